//! Grievance use cases: raise, edit, update, co-sign, list, and the organiser steps
//! (acknowledge, resolve, close, merge). Each checks its rules in `policy` first.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{
    EditGrievance, Grievance, GrievanceCursor, GrievanceFilter, GrievancePage, GrievanceView,
    ListedGrievance, MERGE_MAX, Order, REASON_MAX, RaiseGrievance, Status, TEXT_MAX, TITLE_MAX,
    Theme, Timeline,
};
use super::policy::{self, Viewer};
use super::repo::{self, ListFilter, ListedRow};
use super::themes::ThemeCache;
use crate::db::backend_specific::is_unique_violation;
use crate::db::schema::users;
use crate::db::{DbConnection, write_transaction};
use crate::domain::accounts::{Language, memberships};
use crate::domain::audit::{self, AuditEntry};
use crate::domain::error::{conflict, invalid};
use crate::domain::geo::{AREA_RADIUS_MAX, GeoPoint, PlanarDistance};
use crate::domain::ids::{CampaignId, GrievanceId, NeighbourhoodId, ThemeId, UserId, public_id};
use crate::domain::neighbourhoods::{Neighbourhood, repo as neighbourhoods_repo};
use crate::domain::outbox;
use crate::domain::text::{checked_text, one_checked_text};
use crate::domain::{Actor, DomainError, DomainResult, FieldProblem, ProblemCode, now};
use crate::email::templates::{GrievanceNews, grievance_news};

/// Largest page a client may ask for.
pub const MAX_PAGE_SIZE: i64 = 100;
/// Page size when the client does not say.
pub const DEFAULT_PAGE_SIZE: i64 = 20;
/// The kind of a grievance in public ids and links.
pub const PUBLIC_KIND: &str = "Grievance";

fn not_found() -> DomainError {
    DomainError::NotFound {
        entity: "grievance",
    }
}

/// What `viewer` sees of each listed row, in the same order; `themes` must know every
/// row's theme (see `ThemeCache::covering`).
fn views_of(
    viewer: &Viewer,
    themes: &[Theme],
    rows: Vec<ListedRow>,
) -> DomainResult<Vec<GrievanceView>> {
    rows.into_iter()
        .map(|row| {
            let g = row.grievance;
            let theme = themes
                .iter()
                .find(|t| t.id == g.theme_id)
                .cloned()
                .ok_or_else(|| {
                    DomainError::Internal(format!("grievance {} has no theme", g.id.0))
                })?;
            Ok(GrievanceView {
                author: policy::author_view(
                    viewer,
                    &g,
                    &row.neighbourhood.name,
                    row.author_name.as_deref(),
                ),
                viewer_has_cosigned: row.viewer_cosigned,
                viewer_is_author: viewer.user == Some(g.author),
                permissions: policy::permissions(viewer, &g),
                neighbourhood: row.neighbourhood,
                theme,
                grievance: g,
            })
        })
        .collect()
}

/// Read `ids` (and with `family_of` the grievances merged into it) as `viewer` sees them, in
/// no particular order: one statement, and one more when a theme is new to the cache.
fn read_views(
    conn: &mut DbConnection,
    viewer: &Viewer,
    themes: &ThemeCache,
    ids: &[GrievanceId],
    family_of: Option<GrievanceId>,
) -> DomainResult<Vec<GrievanceView>> {
    if ids.is_empty() && family_of.is_none() {
        return Ok(Vec::new());
    }
    let rows = repo::listed(conn, ids, family_of, viewer.user)?;
    let known = themes.covering(conn, rows.iter().map(|r| r.grievance.theme_id))?;
    views_of(viewer, &known, rows)
}

/// Read `ids` as `viewer` sees them, in the order of `ids` (missing ones left out): as
/// `read_views`.
fn read_views_in_order(
    conn: &mut DbConnection,
    viewer: &Viewer,
    themes: &ThemeCache,
    ids: &[GrievanceId],
) -> DomainResult<Vec<GrievanceView>> {
    let mut by_id: HashMap<GrievanceId, GrievanceView> =
        read_views(conn, viewer, themes, ids, None)?
            .into_iter()
            .map(|v| (v.grievance.id, v))
            .collect();
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// One grievance as a mutation returns it (themes read afresh: writes are rare).
fn view_of(
    conn: &mut DbConnection,
    viewer: &Viewer,
    id: GrievanceId,
) -> DomainResult<GrievanceView> {
    read_views(conn, viewer, &ThemeCache::default(), &[id], None)?
        .pop()
        .ok_or_else(not_found)
}

/// A grievance with the grievances merged into it.
#[derive(Debug, Clone)]
pub struct GrievanceWithFamily {
    pub view: GrievanceView,
    /// The grievances merged into this one, oldest first.
    pub merged_from: Vec<GrievanceView>,
}

/// One grievance as the actor may see it, with the grievances merged into it; public. One
/// statement.
pub fn get(
    conn: &mut DbConnection,
    actor: &Actor,
    themes: &ThemeCache,
    id: GrievanceId,
) -> DomainResult<Option<GrievanceWithFamily>> {
    let viewer = Viewer::load(conn, actor)?;
    let mut found = read_views(conn, &viewer, themes, &[id], Some(id))?;
    let Some(at) = found.iter().position(|v| v.grievance.id == id) else {
        return Ok(None);
    };
    let view = found.swap_remove(at);
    found.sort_by_key(|v| v.grievance.id);
    Ok(Some(GrievanceWithFamily {
        view,
        merged_from: found,
    }))
}

/// Several grievances as the actor may see them, in the order of `ids` (missing ones left out).
pub fn get_many(
    conn: &mut DbConnection,
    actor: &Actor,
    themes: &ThemeCache,
    ids: &[GrievanceId],
) -> DomainResult<Vec<GrievanceView>> {
    let viewer = Viewer::load(conn, actor)?;
    read_views_in_order(conn, &viewer, themes, ids)
}

/// The grievances merged into `survivor`, as the actor may see them, oldest first.
pub fn merged_from(
    conn: &mut DbConnection,
    actor: &Actor,
    themes: &ThemeCache,
    survivor: GrievanceId,
) -> DomainResult<Vec<GrievanceView>> {
    Ok(get(conn, actor, themes, survivor)?
        .map(|g| g.merged_from)
        .unwrap_or_default())
}

/// The updates and the status history of each of `ids` (oldest first), in one statement;
/// public (organiser decisions carry a visible reason).
pub fn timelines(
    conn: &mut DbConnection,
    ids: &[GrievanceId],
) -> DomainResult<HashMap<GrievanceId, Timeline>> {
    Ok(repo::timelines(conn, ids)?)
}

/// Every theme, in display order; public.
pub fn themes(conn: &mut DbConnection, themes: &ThemeCache) -> DomainResult<Vec<Theme>> {
    Ok(themes.all(conn)?.to_vec())
}

/// A list request.
#[derive(Debug, Clone)]
pub struct ListQuery {
    pub neighbourhood: NeighbourhoodId,
    pub filter: GrievanceFilter,
    pub order: Order,
    pub first: Option<i64>,
    pub after: Option<GrievanceCursor>,
}

/// What a list counts, for its `totalCount` (asked for separately, so that a page that does
/// not show the count does not pay for it).
#[derive(Debug, Clone)]
pub struct ListCount(Counted);

#[derive(Debug, Clone)]
enum Counted {
    /// A neighbourhood's list with its filters.
    List(ListFilter),
    /// The OPEN grievances of these neighbourhoods (`needing_response`).
    Open(Vec<NeighbourhoodId>),
    /// The grievances linked to a campaign.
    Campaign(CampaignId),
}

/// A page of a neighbourhood's grievances; public. Two statements whatever the page size:
/// the ids of the page, then those grievances with their neighbourhood, author and the
/// viewer's co-sign.
pub fn list(
    conn: &mut DbConnection,
    actor: &Actor,
    themes: &ThemeCache,
    query: ListQuery,
) -> DomainResult<(GrievancePage, ListCount)> {
    let mut problems = Vec::new();
    let size = match query.first {
        None => DEFAULT_PAGE_SIZE,
        Some(n) if (0..=MAX_PAGE_SIZE).contains(&n) => n,
        Some(n) if n < 0 => {
            problems.push(FieldProblem::new("first", ProblemCode::OutOfRange));
            0
        }
        Some(_) => {
            problems.push(FieldProblem::new(
                "first",
                ProblemCode::TooLong {
                    max: MAX_PAGE_SIZE as usize,
                },
            ));
            0
        }
    };
    let near = query.filter.near.and_then(|near| {
        let origin = GeoPoint::from_degrees("near", near.latitude, near.longitude, &mut problems)?;
        let max_key = match near.radius_meters {
            None => None,
            Some(r) if (1..=AREA_RADIUS_MAX).contains(&r) => Some(PlanarDistance::key_within(r)),
            Some(_) => {
                problems.push(FieldProblem::new("radiusMeters", ProblemCode::OutOfRange));
                None
            }
        };
        Some((origin, PlanarDistance::from(origin), max_key))
    });
    if query.order == Order::Nearest && query.filter.near.is_none() {
        problems.push(FieldProblem::new("near", ProblemCode::Required));
    }
    let cursor_fits = matches!(
        (query.after, query.order),
        (None, _)
            | (Some(GrievanceCursor::Top { .. }), Order::Top)
            | (Some(GrievanceCursor::Newest { .. }), Order::Newest)
            | (Some(GrievanceCursor::Nearest { .. }), Order::Nearest)
    );
    if !cursor_fits {
        problems.push(FieldProblem::new("after", ProblemCode::InvalidFormat));
    }
    let viewer = Viewer::load(conn, actor)?;
    let theme_ids = theme_ids(conn, themes, &query.filter.themes, &mut problems)?;
    if !problems.is_empty() {
        return Err(DomainError::Validation(problems));
    }
    let statuses = if query.filter.statuses.is_empty() {
        Status::ALL
            .into_iter()
            .filter(|s| *s != Status::Merged)
            .collect()
    } else {
        query.filter.statuses.clone()
    };
    let filter = ListFilter {
        neighbourhood: query.neighbourhood,
        theme_ids,
        statuses,
        near: near.map(|(_, planar, max_key)| (planar, max_key)),
        located_only: false,
    };
    let mut ids = repo::page_ids(conn, &filter, query.order, query.after, size + 1)?;
    let has_next_page = ids.len() as i64 > size;
    ids.truncate(size as usize);
    if ids.is_empty() && neighbourhoods_repo::find_by_id(conn, query.neighbourhood)?.is_none() {
        return Err(DomainError::NotFound {
            entity: "neighbourhood",
        });
    }
    let items = read_views_in_order(conn, &viewer, themes, &ids)?
        .into_iter()
        .map(|view| {
            let g = &view.grievance;
            let cursor = match query.order {
                Order::Top => GrievanceCursor::Top {
                    cosigns: g.cosign_count,
                    id: g.id,
                },
                Order::Newest => GrievanceCursor::Newest { id: g.id },
                Order::Nearest => GrievanceCursor::Nearest {
                    key: match (&filter.near, g.location) {
                        (Some((planar, _)), Some(p)) => planar.key(&p),
                        _ => i64::MAX,
                    },
                    id: g.id,
                },
            };
            ListedGrievance {
                distance_meters: match (near, g.location) {
                    (Some((origin, _, _)), Some(point)) => Some(origin.distance_meters(&point)),
                    _ => None,
                },
                view,
                cursor,
            }
        })
        .collect();
    Ok((
        GrievancePage {
            items,
            has_next_page,
            has_previous_page: query.after.is_some(),
        },
        ListCount(Counted::List(filter)),
    ))
}

/// How many grievances a list has in all: one statement over the counters, which are kept
/// per neighbourhood, theme and status; a list near a place counts its rows (from the list
/// index).
pub fn count(conn: &mut DbConnection, what: &ListCount) -> DomainResult<i64> {
    let filter = match &what.0 {
        Counted::List(filter) => filter,
        Counted::Open(neighbourhoods) if neighbourhoods.is_empty() => return Ok(0),
        Counted::Open(neighbourhoods) => {
            return Ok(repo::counted(conn, neighbourhoods, &[Status::Open], &[])?);
        }
        Counted::Campaign(campaign) => return Ok(repo::count_in_campaign(conn, *campaign)?),
    };
    if filter.near.is_some() || filter.located_only {
        return Ok(repo::count(conn, filter)?);
    }
    Ok(repo::counted(
        conn,
        &[filter.neighbourhood],
        &filter.statuses,
        &filter.theme_ids,
    )?)
}

/// Theme keys to ids; an unknown key is a problem of `themes`.
fn theme_ids(
    conn: &mut DbConnection,
    themes: &ThemeCache,
    keys: &[String],
    problems: &mut Vec<FieldProblem>,
) -> DomainResult<Vec<ThemeId>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let mut known = themes.all(conn)?;
    if keys.iter().any(|k| !known.iter().any(|t| &t.key == k)) {
        // Maybe added on another instance since the cache was read.
        known = themes.reload(conn)?;
    }
    let mut ids = Vec::new();
    for key in keys {
        match known.iter().find(|t| &t.key == key) {
            Some(t) => ids.push(t.id),
            None => {
                problems.push(FieldProblem::new("themes", ProblemCode::InvalidFormat));
                break;
            }
        }
    }
    Ok(ids)
}

/// The organiser's first screen: the OPEN grievances (new, not yet acknowledged) of the
/// neighbourhoods the actor organises, oldest first, so the longest wait comes first. Empty for
/// people who organise none. Two statements whatever the page size (the ids of the page, then
/// those grievances as `list` reads them); its `totalCount` comes from the counters.
pub fn needing_response(
    conn: &mut DbConnection,
    actor: &Actor,
    themes: &ThemeCache,
    first: Option<i64>,
    after: Option<GrievanceId>,
) -> DomainResult<(GrievancePage, ListCount)> {
    let size = match first {
        None => DEFAULT_PAGE_SIZE,
        Some(n) if (0..=MAX_PAGE_SIZE).contains(&n) => n,
        Some(_) => {
            return Err(invalid(
                "first",
                ProblemCode::TooLong {
                    max: MAX_PAGE_SIZE as usize,
                },
            ));
        }
    };
    let viewer = Viewer::load(conn, actor)?;
    policy::signed_in(&viewer)?;
    let mut organised: Vec<NeighbourhoodId> = viewer.organiser_of.iter().copied().collect();
    organised.sort();
    let mut ids = if organised.is_empty() {
        Vec::new()
    } else {
        repo::open_ids_in(conn, &organised, after, size + 1)?
    };
    let has_next_page = ids.len() as i64 > size;
    ids.truncate(size as usize);
    let items = read_views_in_order(conn, &viewer, themes, &ids)?
        .into_iter()
        .map(|view| ListedGrievance {
            cursor: GrievanceCursor::Newest {
                id: view.grievance.id,
            },
            distance_meters: None,
            view,
        })
        .collect();
    Ok((
        GrievancePage {
            items,
            has_next_page,
            has_previous_page: after.is_some(),
        },
        ListCount(Counted::Open(organised)),
    ))
}

/// The grievances linked to a campaign, newest first, as the actor may see them (anonymous
/// authors stay anonymous); public. One statement whatever the page size (and one more when a
/// theme is new to the cache).
pub fn in_campaign(
    conn: &mut DbConnection,
    actor: &Actor,
    themes: &ThemeCache,
    campaign: CampaignId,
    first: Option<i64>,
    after: Option<GrievanceId>,
) -> DomainResult<(GrievancePage, ListCount)> {
    let size = crate::domain::error::page_size(first, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)?;
    let viewer = Viewer::load(conn, actor)?;
    let mut rows = repo::listed_in_campaign(conn, campaign, after, size + 1, viewer.user)?;
    let has_next_page = rows.len() as i64 > size;
    rows.truncate(size as usize);
    let known = themes.covering(conn, rows.iter().map(|r| r.grievance.theme_id))?;
    let items = views_of(&viewer, &known, rows)?
        .into_iter()
        .map(|view| ListedGrievance {
            cursor: GrievanceCursor::Newest {
                id: view.grievance.id,
            },
            distance_meters: None,
            view,
        })
        .collect();
    Ok((
        GrievancePage {
            items,
            has_next_page,
            has_previous_page: after.is_some(),
        },
        ListCount(Counted::Campaign(campaign)),
    ))
}

/// Most features in one map export.
pub const MAP_FEATURES_MAX: i64 = 20_000;

/// Every grievance with a place in a neighbourhood, newest first, as the public sees them
/// (for map clients: the GeoJSON export). `None` when there is no such neighbourhood.
pub fn map_features(
    conn: &mut DbConnection,
    themes: &ThemeCache,
    slug: &str,
    themes_filter: &[String],
    statuses: &[Status],
) -> DomainResult<Option<Vec<GrievanceView>>> {
    let Some(neighbourhood) = neighbourhoods_repo::find_by_slug(conn, slug)? else {
        return Ok(None);
    };
    let mut problems = Vec::new();
    let theme_ids = theme_ids(conn, themes, themes_filter, &mut problems)?;
    if !problems.is_empty() {
        return Err(invalid("themes", ProblemCode::InvalidFormat));
    }
    let filter = ListFilter {
        neighbourhood: neighbourhood.id,
        theme_ids,
        statuses: if statuses.is_empty() {
            Status::ALL
                .into_iter()
                .filter(|s| *s != Status::Merged)
                .collect()
        } else {
            statuses.to_vec()
        },
        near: None,
        located_only: true,
    };
    let ids = repo::page_ids(conn, &filter, Order::Newest, None, MAP_FEATURES_MAX)?;
    // Always the public's view: the export is the same for everybody.
    let viewer = Viewer::default();
    Ok(Some(read_views_in_order(conn, &viewer, themes, &ids)?))
}

struct CheckedContent {
    title: String,
    text: String,
    theme: Theme,
}

fn check_content(
    conn: &mut DbConnection,
    title: &str,
    text: &str,
    theme: &str,
    problems: &mut Vec<FieldProblem>,
) -> DomainResult<Option<CheckedContent>> {
    let title = checked_text("title", title, 1, TITLE_MAX, false, problems);
    let text = checked_text("text", text, 1, TEXT_MAX, true, problems);
    let key = theme.trim();
    let theme = repo::themes(conn)?.into_iter().find(|t| t.key == key);
    if theme.is_none() {
        // Missing is not wrong: an empty choice asks to choose.
        let code = if key.is_empty() {
            ProblemCode::Required
        } else {
            ProblemCode::InvalidFormat
        };
        problems.push(FieldProblem::new("theme", code));
    }
    Ok(theme.map(|theme| CheckedContent { title, text, theme }))
}

/// A raise form that passed its checks.
pub(super) struct CheckedRaise {
    pub(super) neighbourhood: Neighbourhood,
    content: CheckedContent,
    location: Option<GeoPoint>,
    show_name: bool,
}

/// Check a raise form, adding its problems to `problems`; `NotFound` for an unknown
/// neighbourhood.
pub(super) fn check_raise(
    conn: &mut DbConnection,
    form: &RaiseGrievance,
    problems: &mut Vec<FieldProblem>,
) -> DomainResult<Option<CheckedRaise>> {
    let neighbourhood = neighbourhoods_repo::find_by_id(conn, form.neighbourhood)?.ok_or(
        DomainError::NotFound {
            entity: "neighbourhood",
        },
    )?;
    let content = check_content(conn, &form.title, &form.text, &form.theme, problems)?;
    let location = form.location.and_then(|(lat, lon)| {
        let point = GeoPoint::from_degrees("location", lat, lon, problems)?;
        match neighbourhood.area {
            Some(area) if !area.admits(&point) => {
                problems.push(FieldProblem::new("location", ProblemCode::OutsideArea));
                None
            }
            _ => Some(point),
        }
    });
    Ok(content.map(|content| CheckedRaise {
        neighbourhood,
        content,
        location,
        show_name: form.show_name,
    }))
}

impl CheckedRaise {
    /// What a pending raise stores, to be checked again when it is confirmed.
    pub(super) fn form(&self) -> RaiseGrievance {
        RaiseGrievance {
            neighbourhood: self.neighbourhood.id,
            title: self.content.title.clone(),
            text: self.content.text.clone(),
            theme: self.content.theme.key.clone(),
            location: self.location.map(|p| (p.latitude(), p.longitude())),
            show_name: self.show_name,
        }
    }

    /// The grievance's title.
    pub(super) fn title(&self) -> &str {
        &self.content.title
    }
}

/// Store a checked grievance by `author`, who becomes a member of its neighbourhood when they
/// were not (call inside a write transaction).
pub(super) fn insert_raised(
    conn: &mut DbConnection,
    author: UserId,
    checked: &CheckedRaise,
    at: NaiveDateTime,
) -> DomainResult<GrievanceId> {
    memberships::ensure_member(conn, author, checked.neighbourhood.id, at)?;
    Ok(repo::insert(
        conn,
        &repo::NewGrievance {
            neighbourhood: checked.neighbourhood.id,
            author,
            theme: checked.content.theme.id,
            title: &checked.content.title,
            text: &checked.content.text,
            location: checked.location,
            show_name: checked.show_name,
            at,
        },
    )?)
}

/// Raise a grievance. Anyone signed in may; raising in a neighbourhood makes the person a (not
/// yet verified) member of it.
pub fn raise(
    conn: &mut DbConnection,
    actor: &Actor,
    form: RaiseGrievance,
) -> DomainResult<GrievanceView> {
    let mut viewer = Viewer::load(conn, actor)?;
    let author = policy::may_raise(&viewer)?;
    let mut problems = Vec::new();
    let checked = check_raise(conn, &form, &mut problems)?;
    let checked = match checked {
        Some(c) if problems.is_empty() => c,
        _ => return Err(DomainError::Validation(problems)),
    };
    let id = write_transaction(conn, |conn| insert_raised(conn, author, &checked, now()))?;
    // The membership may be new (the memberships read with the token check do not know it).
    viewer.member_of.insert(checked.neighbourhood.id);
    view_of(conn, &viewer, id)
}

/// Edit title, text and theme: the author, until the first co-sign.
pub fn edit(
    conn: &mut DbConnection,
    actor: &Actor,
    form: EditGrievance,
) -> DomainResult<GrievanceView> {
    let viewer = Viewer::load(conn, actor)?;
    policy::signed_in(&viewer)?;
    let grievance = repo::find(conn, form.id)?.ok_or_else(not_found)?;
    policy::may_author(&viewer, &grievance)?;
    let mut problems = Vec::new();
    let content = check_content(conn, &form.title, &form.text, &form.theme, &mut problems)?;
    let content = match content {
        Some(c) if problems.is_empty() => c,
        _ => return Err(DomainError::Validation(problems)),
    };
    write_transaction(conn, |conn| {
        // Re-read inside the transaction: a co-sign may have arrived since.
        let current = repo::find(conn, form.id)?.ok_or_else(not_found)?;
        if !current.status.is_active() {
            return Err(conflict("status", ProblemCode::InvalidTransition));
        }
        if current.cosign_count > 0 {
            return Err(conflict("id", ProblemCode::Locked));
        }
        repo::update_content(
            conn,
            form.id,
            &content.title,
            &content.text,
            content.theme.id,
            now(),
        )?;
        Ok(())
    })?;
    view_of(conn, &viewer, form.id)
}

/// Add an update: the author, any time before a merge.
pub fn add_update(
    conn: &mut DbConnection,
    actor: &Actor,
    id: GrievanceId,
    text: &str,
) -> DomainResult<GrievanceView> {
    let viewer = Viewer::load(conn, actor)?;
    policy::signed_in(&viewer)?;
    let grievance = repo::find(conn, id)?.ok_or_else(not_found)?;
    policy::may_author(&viewer, &grievance)?;
    let text = one_checked_text("text", text, 1, TEXT_MAX, true)?;
    if grievance.status == Status::Merged {
        return Err(conflict("status", ProblemCode::InvalidTransition));
    }
    write_transaction(conn, |conn| {
        let at = now();
        repo::insert_update(conn, id, &text, at)?;
        diesel::update(crate::db::schema::grievances::table.find(id.0))
            .set(crate::db::schema::grievances::updated_at.eq(at))
            .execute(conn)?;
        Ok::<_, DomainError>(())
    })?;
    view_of(conn, &viewer, id)
}

enum CosignError {
    Domain(DomainError),
    /// A concurrent request of the same person won; nothing to do.
    AlreadyCosigned,
}

impl From<diesel::result::Error> for CosignError {
    fn from(error: diesel::result::Error) -> Self {
        if is_unique_violation(&error) {
            Self::AlreadyCosigned
        } else {
            Self::Domain(error.into())
        }
    }
}

/// Co-sign ("ik ook") as `user`, who becomes a member of the neighbourhood when they were not.
/// Idempotent; the count stays exact under concurrency: the co-sign row is unique per person,
/// and the count changes in the same transaction, atomically.
pub(super) fn cosign_as(
    conn: &mut DbConnection,
    user: UserId,
    id: GrievanceId,
    at: NaiveDateTime,
) -> DomainResult<()> {
    let grievance = repo::find(conn, id)?.ok_or_else(not_found)?;
    if grievance.author == user {
        return Err(conflict("grievanceId", ProblemCode::OwnGrievance));
    }
    if !grievance.status.is_active() {
        return Err(conflict("status", ProblemCode::InvalidTransition));
    }
    if !repo::cosigned_by(conn, user, &[id])?.is_empty() {
        return Ok(());
    }
    let outcome = write_transaction(conn, |conn| {
        let current = repo::find(conn, id)?.ok_or(CosignError::Domain(not_found()))?;
        if !current.status.is_active() {
            return Err(CosignError::Domain(conflict(
                "status",
                ProblemCode::InvalidTransition,
            )));
        }
        repo::insert_cosign(conn, id, user, at)?;
        repo::add_to_cosign_count(conn, id, 1)?;
        memberships::ensure_member(conn, user, current.neighbourhood_id, at)?;
        Ok(())
    });
    match outcome {
        Ok(()) | Err(CosignError::AlreadyCosigned) => Ok(()),
        Err(CosignError::Domain(e)) => Err(e),
    }
}

/// Co-sign ("ik ook") for the signed-in person. See `cosign_as`.
pub fn cosign(
    conn: &mut DbConnection,
    actor: &Actor,
    id: GrievanceId,
) -> DomainResult<GrievanceView> {
    let viewer = Viewer::load(conn, actor)?;
    let user = policy::signed_in(&viewer)?;
    cosign_as(conn, user, id, now())?;
    view_of(conn, &viewer, id)
}

/// Withdraw a co-sign. Idempotent.
pub fn withdraw_cosign(
    conn: &mut DbConnection,
    actor: &Actor,
    id: GrievanceId,
) -> DomainResult<GrievanceView> {
    let viewer = Viewer::load(conn, actor)?;
    let user = policy::signed_in(&viewer)?;
    repo::find(conn, id)?.ok_or_else(not_found)?;
    write_transaction(conn, |conn| {
        if repo::delete_cosign(conn, id, user)? > 0 {
            repo::add_to_cosign_count(conn, id, -1)?;
        }
        Ok::<_, DomainError>(())
    })?;
    view_of(conn, &viewer, id)
}

/// The path of a grievance's page in the web app ("meldingen": the word residents use).
pub fn path(id: GrievanceId) -> String {
    format!("/meldingen/{}", public_id(PUBLIC_KIND, id.0))
}

/// The web address of a grievance.
pub fn link(public_url: &str, id: GrievanceId) -> String {
    format!("{}{}", public_url.trim_end_matches('/'), path(id))
}

/// Tell the author and the co-signers of `grievance` what happened (queued in the caller's
/// transaction). Deleted accounts get nothing.
fn queue_news(
    conn: &mut DbConnection,
    grievance: &Grievance,
    news: GrievanceNews,
    reason: &str,
    link_to: GrievanceId,
    public_url: &str,
    at: NaiveDateTime,
) -> DomainResult<()> {
    let mut recipients = repo::cosigners(conn, grievance.id)?;
    recipients.push(grievance.author);
    let raw: Vec<i64> = recipients.iter().map(|u| u.0).collect();
    let people: Vec<(String, String)> = users::table
        .filter(users::id.eq_any(raw))
        .filter(users::deleted_at.is_null())
        .select((users::email, users::language))
        .load(conn)?;
    let link = link(public_url, link_to);
    for (email, language) in people {
        let language = Language::parse(&language).unwrap_or(Language::Dutch);
        let message = grievance_news(&email, language, &grievance.title, news, reason, &link);
        outbox::enqueue(conn, "grievance_news", &message, at)?;
    }
    Ok(())
}

/// The organiser steps that change a grievance's status with a public reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusStep {
    /// Seen, with a response ("erkend").
    Acknowledge,
    Resolve,
    Close,
}

impl StatusStep {
    fn target(self) -> Status {
        match self {
            Self::Acknowledge => Status::Acknowledged,
            Self::Resolve => Status::Resolved,
            Self::Close => Status::Closed,
        }
    }

    fn reason_field(self) -> &'static str {
        match self {
            Self::Acknowledge => "response",
            Self::Resolve | Self::Close => "reason",
        }
    }

    fn news(self) -> GrievanceNews {
        match self {
            Self::Acknowledge => GrievanceNews::Acknowledged,
            Self::Resolve => GrievanceNews::Resolved,
            Self::Close => GrievanceNews::Closed,
        }
    }

    fn action(self) -> &'static str {
        match self {
            Self::Acknowledge => "grievance.acknowledge",
            Self::Resolve => "grievance.resolve",
            Self::Close => "grievance.close",
        }
    }
}

/// Acknowledge, resolve or close a grievance (organisers of its neighbourhood, admins), with a
/// reason shown to all; recorded in the history and the audit log; the author and co-signers
/// get an e-mail.
pub fn change_status(
    conn: &mut DbConnection,
    actor: &Actor,
    id: GrievanceId,
    step: StatusStep,
    reason: &str,
    public_url: &str,
) -> DomainResult<GrievanceView> {
    let viewer = Viewer::load(conn, actor)?;
    policy::signed_in(&viewer)?;
    let grievance = repo::find(conn, id)?.ok_or_else(not_found)?;
    let organiser = policy::may_moderate(&viewer, grievance.neighbourhood_id)?;
    let reason = one_checked_text(step.reason_field(), reason, 1, REASON_MAX, true)?;
    let target = step.target();
    write_transaction(conn, |conn| {
        let current = repo::find(conn, id)?.ok_or_else(not_found)?;
        if !current.status.may_become(target) {
            return Err(conflict("status", ProblemCode::InvalidTransition));
        }
        let at = now();
        repo::set_status(conn, id, target, &reason, None, at)?;
        repo::insert_status_change(
            conn,
            id,
            current.status,
            target,
            &reason,
            Some(organiser),
            at,
        )?;
        let mut entry = AuditEntry::new(step.action(), "grievance", Some(id.0))
            .details(serde_json::json!({ "from": current.status.as_str(), "to": target.as_str() }));
        entry.reason = Some(reason.clone());
        audit::record(conn, actor, entry)?;
        queue_news(conn, &current, step.news(), &reason, id, public_url, at)
    })?;
    view_of(conn, &viewer, id)
}

/// Merge duplicates into `survivor` (organisers of its neighbourhood, admins). Co-signs are
/// united without double counting: everyone who co-signed any of them, and the people who
/// raised the merged ones, co-sign the survivor once (its own author excepted). Comments move
/// along; the merged ones point to the survivor.
pub fn merge(
    conn: &mut DbConnection,
    actor: &Actor,
    survivor: GrievanceId,
    merged: &[GrievanceId],
    reason: &str,
    public_url: &str,
) -> DomainResult<GrievanceView> {
    let viewer = Viewer::load(conn, actor)?;
    policy::signed_in(&viewer)?;
    let target = repo::find(conn, survivor)?.ok_or_else(not_found)?;
    let organiser = policy::may_moderate(&viewer, target.neighbourhood_id)?;
    let mut problems = Vec::new();
    let reason = checked_text("reason", reason, 1, REASON_MAX, true, &mut problems);
    let mut merged: Vec<GrievanceId> = merged.to_vec();
    merged.sort();
    merged.dedup();
    if merged.is_empty() {
        problems.push(FieldProblem::new("mergedIds", ProblemCode::Required));
    } else if merged.len() > MERGE_MAX {
        problems.push(FieldProblem::new(
            "mergedIds",
            ProblemCode::TooLong { max: MERGE_MAX },
        ));
    } else if merged.contains(&survivor) {
        problems.push(FieldProblem::new("mergedIds", ProblemCode::InvalidFormat));
    }
    if !problems.is_empty() {
        return Err(DomainError::Validation(problems));
    }
    write_transaction(conn, |conn| {
        repo::lock(conn, survivor)?;
        let target = repo::find(conn, survivor)?.ok_or_else(not_found)?;
        if !target.status.is_active() {
            return Err(conflict("status", ProblemCode::InvalidTransition));
        }
        let others = repo::find_many(conn, &merged)?;
        if others.len() != merged.len() {
            return Err(not_found());
        }
        if others
            .iter()
            .any(|g| g.neighbourhood_id != target.neighbourhood_id)
        {
            return Err(invalid("mergedIds", ProblemCode::InvalidFormat));
        }
        if others.iter().any(|g| !g.status.may_become(Status::Merged)) {
            return Err(conflict("mergedIds", ProblemCode::InvalidTransition));
        }
        let at = now();
        // News first, while the merged ones still hold their co-signs.
        for other in &others {
            queue_news(
                conn,
                other,
                GrievanceNews::Merged,
                &reason,
                survivor,
                public_url,
                at,
            )?;
        }
        let mut already: HashSet<UserId> = repo::cosigners(conn, survivor)?.into_iter().collect();
        already.insert(target.author);
        let moved = repo::move_cosigns(conn, &merged, survivor, &already, at)?;
        let now_cosigning: HashSet<UserId> = already.iter().copied().chain(moved).collect();
        let mut authors: Vec<UserId> = others
            .iter()
            .map(|g| g.author)
            .filter(|a| !now_cosigning.contains(a) && *a != target.author)
            .collect();
        authors.sort();
        authors.dedup();
        repo::insert_cosigns(conn, survivor, &authors, at)?;
        repo::move_comments(conn, &merged, survivor)?;
        for other in &others {
            repo::set_status(conn, other.id, Status::Merged, &reason, Some(survivor), at)?;
            repo::insert_status_change(
                conn,
                other.id,
                other.status,
                Status::Merged,
                &reason,
                Some(organiser),
                at,
            )?;
            repo::recount(conn, other.id)?;
        }
        repo::recount(conn, survivor)?;
        let mut entry = AuditEntry::new("grievance.merge", "grievance", Some(survivor.0)).details(
            serde_json::json!({ "merged": merged.iter().map(|g| g.0).collect::<Vec<_>>() }),
        );
        entry.reason = Some(reason.clone());
        audit::record(conn, actor, entry)?;
        Ok(())
    })?;
    view_of(conn, &viewer, survivor)
}

/// Add a theme (admins).
pub fn create_theme(
    conn: &mut DbConnection,
    actor: &Actor,
    key: &str,
    name_nl: &str,
    name_en: &str,
) -> DomainResult<Theme> {
    crate::domain::neighbourhoods::policy::may_manage_neighbourhoods(actor)?;
    let mut problems = Vec::new();
    let key = key.trim();
    if !crate::domain::text::is_valid_slug(key) {
        problems.push(FieldProblem::new("key", ProblemCode::InvalidFormat));
    }
    let name_nl = checked_text("nameNl", name_nl, 1, 60, false, &mut problems);
    let name_en = checked_text("nameEn", name_en, 1, 60, false, &mut problems);
    if !problems.is_empty() {
        return Err(DomainError::Validation(problems));
    }
    let taken = || conflict("key", ProblemCode::Taken);
    write_transaction(conn, |conn| {
        if repo::themes(conn)?.iter().any(|t| t.key == key) {
            return Err(taken());
        }
        let id = repo::insert_theme(conn, key, &name_nl, &name_en, now()).map_err(|e| {
            if is_unique_violation(&e) {
                taken()
            } else {
                e.into()
            }
        })?;
        audit::record(
            conn,
            actor,
            AuditEntry::new("theme.create", "theme", Some(id.0))
                .details(serde_json::json!({ "key": key, "nameNl": name_nl, "nameEn": name_en })),
        )?;
        repo::themes(conn)?
            .into_iter()
            .find(|t| t.id == id)
            .ok_or_else(|| DomainError::Internal("theme vanished".into()))
    })
}
