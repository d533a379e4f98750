//! Comments on grievances: flat, newest last; editable by their author for 15 minutes;
//! reported by anyone signed in; hidden by organisers with a reason that stays visible.

use super::model::{
    COMMENT_EDIT_WINDOW, COMMENT_MAX, CommentCursor, CommentPage, CommentView, Grievance,
    REASON_MAX, Status,
};
use super::policy::{self, Viewer};
use super::repo;
use crate::db::backend_specific::is_unique_violation;
use crate::db::{DbConnection, write_transaction};
use crate::domain::audit::{self, AuditEntry};
use crate::domain::error::conflict;
use crate::domain::ids::{CommentId, GrievanceId};
use crate::domain::neighbourhoods::repo as neighbourhoods_repo;
use crate::domain::text::{checked_text, one_checked_text};
use crate::domain::{Actor, DomainError, DomainResult, FieldProblem, ProblemCode, now};

/// Largest page of comments.
pub const MAX_PAGE_SIZE: i64 = 100;
/// Page size when the client does not say.
pub const DEFAULT_PAGE_SIZE: i64 = 50;

fn not_found() -> DomainError {
    DomainError::NotFound { entity: "comment" }
}

fn grievance_not_found() -> DomainError {
    DomainError::NotFound {
        entity: "grievance",
    }
}

/// What `viewer` sees of `rows`, all on `grievance` (in `neighbourhood_name`).
fn views(
    viewer: &Viewer,
    grievance: &Grievance,
    neighbourhood_name: &str,
    rows: Vec<repo::CommentRow>,
) -> Vec<CommentView> {
    let moderator = viewer.moderates(grievance.neighbourhood_id);
    let at = now();
    rows.into_iter()
        .map(|row| {
            let r = row.record;
            let hidden = r.hidden_at.is_some();
            let is_author = policy::is_comment_author(viewer, r.author_user_id);
            CommentView {
                id: r.id,
                grievance_id: r.grievance_id,
                author: policy::shown_author(
                    viewer,
                    grievance.neighbourhood_id,
                    r.author_user_id,
                    r.author_anonymous != 0,
                    neighbourhood_name,
                    row.author_name.as_deref(),
                ),
                // Who raised the grievance is only revealed when that is no secret: their
                // own anonymous comments say so without a name; named ones may say it too.
                by_grievance_author: r.author_user_id == grievance.author
                    && (r.author_anonymous != 0 || grievance.show_name),
                text: (!hidden || moderator).then(|| r.body.clone()),
                hidden,
                hidden_reason: r.hidden_reason.clone(),
                created_at: r.created_at,
                edited_at: r.edited_at,
                viewer_can_edit: is_author && !hidden && at - r.created_at < COMMENT_EDIT_WINDOW,
                viewer_has_reported: row.viewer_reported,
                report_count: moderator.then_some(row.report_count),
            }
        })
        .collect()
}

/// One comment as a mutation returns it.
fn view_of(conn: &mut DbConnection, viewer: &Viewer, id: CommentId) -> DomainResult<CommentView> {
    let record = repo::find_comment(conn, id)?.ok_or_else(not_found)?;
    let grievance = repo::find(conn, record.grievance_id)?.ok_or_else(grievance_not_found)?;
    let neighbourhood = neighbourhoods_repo::find_by_id(conn, grievance.neighbourhood_id)?.ok_or(
        DomainError::NotFound {
            entity: "neighbourhood",
        },
    )?;
    let author_name = repo::names(conn, &[record.author_user_id])?
        .remove(&record.author_user_id)
        .flatten();
    let viewer_reported = match viewer.user {
        Some(user) => !repo::reported_by(conn, user, &[id])?.is_empty(),
        None => false,
    };
    let report_count = repo::report_counts(conn, &[id])?
        .get(&id)
        .copied()
        .unwrap_or(0);
    let row = repo::CommentRow {
        record,
        author_name,
        report_count,
        viewer_reported,
    };
    views(viewer, &grievance, &neighbourhood.name, vec![row])
        .pop()
        .ok_or_else(not_found)
}

/// A page of the comments on `grievance` (which the caller read, with the name of its
/// neighbourhood), oldest first; public. One statement: the total is the grievance's stored
/// comment count.
pub fn list(
    conn: &mut DbConnection,
    actor: &Actor,
    grievance: &Grievance,
    neighbourhood_name: &str,
    first: Option<i64>,
    after: Option<CommentCursor>,
) -> DomainResult<CommentPage> {
    let size = match first {
        None => DEFAULT_PAGE_SIZE,
        Some(n) if (0..=MAX_PAGE_SIZE).contains(&n) => n,
        Some(n) if n < 0 => {
            return Err(DomainError::Validation(vec![FieldProblem::new(
                "first",
                ProblemCode::OutOfRange,
            )]));
        }
        Some(_) => {
            return Err(DomainError::Validation(vec![FieldProblem::new(
                "first",
                ProblemCode::TooLong {
                    max: MAX_PAGE_SIZE as usize,
                },
            )]));
        }
    };
    let viewer = Viewer::load(conn, actor)?;
    let mut rows = repo::comment_page(conn, grievance.id, after, size + 1, viewer.user)?;
    let has_next_page = rows.len() as i64 > size;
    rows.truncate(size as usize);
    Ok(CommentPage {
        items: views(&viewer, grievance, neighbourhood_name, rows),
        has_next_page,
        has_previous_page: after.is_some(),
        total_count: grievance.comment_count,
    })
}

/// Add a comment (anyone signed in, while the grievance is not merged). The author of an
/// anonymous grievance comments anonymously too, for good.
pub fn add(
    conn: &mut DbConnection,
    actor: &Actor,
    grievance: GrievanceId,
    text: &str,
) -> DomainResult<CommentView> {
    let viewer = Viewer::load(conn, actor)?;
    let user = policy::signed_in(&viewer)?;
    let text = one_checked_text("text", text, 1, COMMENT_MAX, true)?;
    let id = write_transaction(conn, |conn| {
        let current = repo::find(conn, grievance)?.ok_or_else(grievance_not_found)?;
        if current.status == Status::Merged {
            return Err(conflict("status", ProblemCode::InvalidTransition));
        }
        let anonymous = user == current.author && !current.show_name;
        Ok(repo::insert_comment(
            conn,
            grievance,
            user,
            anonymous,
            &text,
            now(),
        )?)
    })?;
    view_of(conn, &viewer, id)
}

/// Edit one's own comment, within 15 minutes of writing it.
pub fn edit(
    conn: &mut DbConnection,
    actor: &Actor,
    id: CommentId,
    text: &str,
) -> DomainResult<CommentView> {
    let viewer = Viewer::load(conn, actor)?;
    let user = policy::signed_in(&viewer)?;
    let record = repo::find_comment(conn, id)?.ok_or_else(not_found)?;
    if record.author_user_id != user {
        return Err(DomainError::Forbidden);
    }
    let text = one_checked_text("text", text, 1, COMMENT_MAX, true)?;
    let at = now();
    if record.hidden_at.is_some() || at - record.created_at >= COMMENT_EDIT_WINDOW {
        return Err(conflict("commentId", ProblemCode::Locked));
    }
    write_transaction(conn, |conn| repo::update_comment(conn, id, &text, at))?;
    view_of(conn, &viewer, id)
}

/// Report a comment to the organisers (anyone signed in; once per person, idempotent).
pub fn report(
    conn: &mut DbConnection,
    actor: &Actor,
    id: CommentId,
    reason: Option<&str>,
) -> DomainResult<CommentView> {
    let viewer = Viewer::load(conn, actor)?;
    let user = policy::signed_in(&viewer)?;
    repo::find_comment(conn, id)?.ok_or_else(not_found)?;
    let mut problems = Vec::new();
    let reason = reason
        .map(|r| checked_text("reason", r, 0, REASON_MAX, true, &mut problems))
        .filter(|r| !r.is_empty());
    if !problems.is_empty() {
        return Err(DomainError::Validation(problems));
    }
    if !repo::has_reported(conn, id, user)? {
        let outcome = write_transaction(conn, |conn| {
            repo::insert_report(conn, id, user, reason.as_deref(), now())?;
            let mut entry = AuditEntry::new("comment.report", "comment", Some(id.0));
            entry.reason = reason.clone();
            audit::record(conn, actor, entry)
        });
        match outcome {
            Ok(()) => {}
            // The same person reporting twice at once: the first one counts.
            Err(e) if is_unique_violation(&e) => {}
            Err(e) => return Err(e.into()),
        }
    }
    view_of(conn, &viewer, id)
}

/// Hide a comment (organisers of the neighbourhood, admins), with a reason everybody sees.
pub fn hide(
    conn: &mut DbConnection,
    actor: &Actor,
    id: CommentId,
    reason: &str,
) -> DomainResult<CommentView> {
    let viewer = Viewer::load(conn, actor)?;
    policy::signed_in(&viewer)?;
    let record = repo::find_comment(conn, id)?.ok_or_else(not_found)?;
    let grievance = repo::find(conn, record.grievance_id)?.ok_or_else(grievance_not_found)?;
    let organiser = policy::may_moderate(&viewer, grievance.neighbourhood_id)?;
    let reason = one_checked_text("reason", reason, 1, REASON_MAX, true)?;
    if record.hidden_at.is_some() {
        return Err(conflict("commentId", ProblemCode::InvalidTransition));
    }
    write_transaction(conn, |conn| {
        repo::hide_comment(conn, id, &reason, organiser, now())?;
        let mut entry = AuditEntry::new("comment.hide", "comment", Some(id.0))
            .details(serde_json::json!({ "grievance": grievance.id.0 }));
        entry.reason = Some(reason.clone());
        audit::record(conn, actor, entry)?;
        Ok::<_, DomainError>(())
    })?;
    view_of(conn, &viewer, id)
}
