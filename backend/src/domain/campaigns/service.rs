//! Campaign use cases: start from grievances, read and list, link and unlink grievances,
//! phases and their goals, completing a phase (and with the last one closing the campaign),
//! participants, the core team and the organiser stepping back. Each checks its rules in
//! `policy` first and writes in one transaction.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;

use super::model::{
    CHANGE_GOALS_MAX, Campaign, CampaignPage, CampaignStatus, CampaignView, CompletePhase,
    DEFAULT_PHASES, GOAL_MAX, GOALS_MAX, LINK_MAX, LINK_TEXT_MAX, NewGoal, PHASES_MAX, Phase,
    PhaseStatus, REASON_MAX, StartCampaign, TEXT_MAX, TITLE_MAX, UNIT_MAX, UpdateGoal, VALUE_MAX,
};
use super::policy;
use super::repo::{self, NewCampaign};
use crate::db::backend_specific::is_unique_violation;
use crate::db::{DbConnection, write_transaction};
use crate::domain::accounts::Language;
use crate::domain::audit::{self, AuditEntry};
use crate::domain::error::{conflict, invalid};
use crate::domain::grievances::policy::{Viewer, signed_in};
use crate::domain::grievances::{Grievance, Status, repo as grievances_repo};
use crate::domain::ids::public_id;
use crate::domain::ids::{CampaignId, GoalId, GrievanceId, NeighbourhoodId, PhaseId, UserId};
use crate::domain::neighbourhoods::repo as neighbourhoods_repo;
use crate::domain::outbox;
use crate::domain::text::{checked_text, one_checked_text};
use crate::domain::{Actor, DomainError, DomainResult, FieldProblem, ProblemCode, now};
use crate::email::templates::campaign_invitation;

/// Largest page a client may ask for.
pub const MAX_PAGE_SIZE: i64 = 100;
/// Page size when the client does not say.
pub const DEFAULT_PAGE_SIZE: i64 = 20;
/// The kind of a campaign in public ids and links.
pub const PUBLIC_KIND: &str = "Campaign";

fn not_found() -> DomainError {
    DomainError::NotFound { entity: "campaign" }
}

/// Read `ids` as `viewer` sees them, in the order of `ids` (missing ones left out): three
/// statements whatever the number of campaigns, phases, goals and members.
fn read_views(
    conn: &mut DbConnection,
    viewer: &Viewer,
    ids: &[CampaignId],
) -> DomainResult<Vec<CampaignView>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut found: HashMap<CampaignId, _> = repo::with_neighbourhoods(conn, ids)?
        .into_iter()
        .map(|(c, n)| (c.id, (c, n)))
        .collect();
    let mut phases = repo::phases(conn, ids)?;
    let members = repo::team_and_viewer(conn, ids, viewer.user)?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let Some((campaign, neighbourhood)) = found.remove(id) else {
            continue;
        };
        let mine = members
            .iter()
            .find(|m| m.campaign == *id && Some(m.user) == viewer.user);
        let is_participant = mine.is_some();
        let is_core_team = mine.is_some_and(|m| m.core_team);
        let core_team = members
            .iter()
            .filter(|m| m.campaign == *id && m.core_team)
            .filter_map(|m| m.display_name.clone().map(|n| (m.user, n)))
            .collect();
        out.push(CampaignView {
            viewer: policy::flags(viewer, &campaign, is_participant, is_core_team),
            phases: phases.remove(id).unwrap_or_default(),
            core_team,
            neighbourhood,
            campaign,
        });
    }
    Ok(out)
}

fn view_of(conn: &mut DbConnection, viewer: &Viewer, id: CampaignId) -> DomainResult<CampaignView> {
    read_views(conn, viewer, &[id])?.pop().ok_or_else(not_found)
}

/// One campaign as the actor sees it; public.
pub fn get(
    conn: &mut DbConnection,
    actor: &Actor,
    id: CampaignId,
) -> DomainResult<Option<CampaignView>> {
    let viewer = Viewer::load(conn, actor)?;
    Ok(read_views(conn, &viewer, &[id])?.pop())
}

/// A page of a neighbourhood's campaigns, newest first; public. Empty `statuses` means all.
pub fn list(
    conn: &mut DbConnection,
    actor: &Actor,
    neighbourhood: NeighbourhoodId,
    statuses: &[CampaignStatus],
    first: Option<i64>,
    after: Option<CampaignId>,
) -> DomainResult<CampaignPage> {
    let size = crate::domain::error::page_size(first, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)?;
    let statuses = if statuses.is_empty() {
        vec![CampaignStatus::Active, CampaignStatus::Closed]
    } else {
        statuses.to_vec()
    };
    let viewer = Viewer::load(conn, actor)?;
    let mut ids = repo::page_ids(conn, neighbourhood, &statuses, after, size + 1)?;
    let has_next_page = ids.len() as i64 > size;
    ids.truncate(size as usize);
    if ids.is_empty() && neighbourhoods_repo::find_by_id(conn, neighbourhood)?.is_none() {
        return Err(DomainError::NotFound {
            entity: "neighbourhood",
        });
    }
    Ok(CampaignPage {
        items: read_views(conn, &viewer, &ids)?,
        has_next_page,
        has_previous_page: after.is_some(),
    })
}

/// Check a list of grievance ids: deduplicated, at least one, at most `LINK_MAX`.
fn checked_ids(ids: &[GrievanceId], problems: &mut Vec<FieldProblem>) -> Vec<GrievanceId> {
    let mut ids = ids.to_vec();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        problems.push(FieldProblem::new("grievanceIds", ProblemCode::Required));
    } else if ids.len() > LINK_MAX {
        problems.push(FieldProblem::new(
            "grievanceIds",
            ProblemCode::TooLong { max: LINK_MAX },
        ));
    }
    ids
}

/// The grievances `ids`, all of one neighbourhood: `NotFound` when one is missing.
fn grievances_of_one_neighbourhood(
    conn: &mut DbConnection,
    ids: &[GrievanceId],
) -> DomainResult<(NeighbourhoodId, Vec<Grievance>)> {
    let found = grievances_repo::find_many(conn, ids)?;
    if found.len() != ids.len() || found.is_empty() {
        return Err(DomainError::NotFound {
            entity: "grievance",
        });
    }
    let neighbourhood = found[0].neighbourhood_id;
    if found.iter().any(|g| g.neighbourhood_id != neighbourhood) {
        return Err(invalid("grievanceIds", ProblemCode::InvalidFormat));
    }
    Ok((neighbourhood, found))
}

/// Who a grievance's public history names for a campaign step: organisers and admins, as for
/// their own status changes; nobody for residents of the core team, so that a step on an
/// anonymous grievance never points at a resident (who may be its author).
fn history_actor(viewer: &Viewer, neighbourhood: NeighbourhoodId, user: UserId) -> Option<UserId> {
    viewer.moderates(neighbourhood).then_some(user)
}

/// The path of a campaign's page in the web app ("acties": the word residents use).
pub fn path(id: CampaignId) -> String {
    format!("/acties/{}", public_id(PUBLIC_KIND, id.0))
}

/// Link `ids` to `campaign` and move them to IN_CAMPAIGN (inside the caller's transaction);
/// their authors and co-signers (except `by`) get an invitation in their language, through
/// the outbox. Each must be open or acknowledged and in no campaign, else CONFLICT. The
/// grievances' history names `shown_as` (see `history_actor`).
fn link(
    conn: &mut DbConnection,
    campaign: &Campaign,
    ids: &[GrievanceId],
    by: UserId,
    shown_as: Option<UserId>,
    public_url: &str,
    at: NaiveDateTime,
) -> DomainResult<()> {
    for id in ids {
        grievances_repo::lock(conn, *id)?;
    }
    let current = grievances_repo::find_many(conn, ids)?;
    if current.len() != ids.len() {
        return Err(DomainError::NotFound {
            entity: "grievance",
        });
    }
    if current
        .iter()
        .any(|g| g.campaign.is_some() || !g.status.may_become(Status::InCampaign))
    {
        return Err(conflict("grievanceIds", ProblemCode::InvalidTransition));
    }
    repo::set_grievance_campaign(conn, ids, Some(campaign.id))?;
    for g in &current {
        grievances_repo::set_status(conn, g.id, Status::InCampaign, &campaign.title, None, at)?;
        grievances_repo::insert_status_change(
            conn,
            g.id,
            g.status,
            Status::InCampaign,
            &campaign.title,
            shown_as,
            at,
        )?;
    }
    let authors: Vec<(GrievanceId, UserId)> = current.iter().map(|g| (g.id, g.author)).collect();
    let link = format!("{}{}", public_url.trim_end_matches('/'), path(campaign.id));
    for (user, grievance, email, language) in repo::involved_people(conn, &authors)? {
        if user == by {
            continue;
        }
        let Some(g) = current.iter().find(|g| g.id == grievance) else {
            continue;
        };
        let language = Language::parse(&language).unwrap_or(Language::Dutch);
        let message = campaign_invitation(&email, language, &campaign.title, &g.title, &link);
        outbox::enqueue(conn, "campaign_invitation", &message, at)?;
    }
    Ok(())
}

/// Start a campaign from grievances of one neighbourhood: its organisers and admins, or a
/// resident who raised or co-signed one of them when the neighbourhood allows it. The
/// grievances move to IN_CAMPAIGN; the default phases are created in `language`, the first
/// one active; the starter joins the core team.
pub fn start(
    conn: &mut DbConnection,
    actor: &Actor,
    form: StartCampaign,
    language: Language,
    public_url: &str,
) -> DomainResult<CampaignView> {
    let viewer = Viewer::load(conn, actor)?;
    let user = signed_in(&viewer)?;
    let mut problems = Vec::new();
    let title = checked_text("title", &form.title, 1, TITLE_MAX, false, &mut problems);
    let summary = checked_text("summary", &form.summary, 1, TEXT_MAX, true, &mut problems);
    let mut change_goals = Vec::new();
    if form.change_goals.is_empty() {
        problems.push(FieldProblem::new("changeGoals", ProblemCode::Required));
    } else if form.change_goals.len() > CHANGE_GOALS_MAX {
        problems.push(FieldProblem::new(
            "changeGoals",
            ProblemCode::TooLong {
                max: CHANGE_GOALS_MAX,
            },
        ));
    } else {
        for goal in &form.change_goals {
            let before = problems.len();
            let text = checked_text("changeGoals", goal, 1, GOAL_MAX, false, &mut problems);
            if problems.len() > before {
                break;
            }
            change_goals.push(text);
        }
    }
    let ids = checked_ids(&form.grievances, &mut problems);
    if !problems.is_empty() {
        return Err(DomainError::Validation(problems));
    }
    let (neighbourhood, found) = grievances_of_one_neighbourhood(conn, &ids)?;
    let involved = found.iter().any(|g| g.author == user)
        || !grievances_repo::cosigned_by(conn, user, &ids)?.is_empty();
    let residents_may_start = repo::residents_may_start(conn, neighbourhood)?;
    policy::may_start(&viewer, neighbourhood, residents_may_start, involved)?;
    let id = write_transaction(conn, |conn| {
        let at = now();
        let id = repo::insert(
            conn,
            &NewCampaign {
                neighbourhood,
                title: &title,
                summary: &summary,
                change_goals: &change_goals,
                started_by: user,
                at,
            },
        )?;
        let campaign = repo::find(conn, id)?.ok_or_else(not_found)?;
        let shown_as = history_actor(&viewer, neighbourhood, user);
        link(conn, &campaign, &ids, user, shown_as, public_url, at)?;
        for (position, (nl, en)) in DEFAULT_PHASES.iter().enumerate() {
            let phase_title = match language {
                Language::Dutch => nl,
                Language::English => en,
            };
            let status = if position == 0 {
                PhaseStatus::Active
            } else {
                PhaseStatus::Planned
            };
            repo::insert_phase(conn, id, position as i32, phase_title, "", status, at)?;
        }
        repo::insert_member(conn, id, user, true, at)?;
        audit::record(
            conn,
            actor,
            AuditEntry::new("campaign.start", "campaign", Some(id.0)).details(serde_json::json!({
                "grievances": ids.iter().map(|g| g.0).collect::<Vec<_>>(),
            })),
        )?;
        Ok::<_, DomainError>(id)
    })?;
    view_of(conn, &viewer, id)
}

/// The campaign and whether the viewer is in its core team, for the checks of a step.
fn campaign_for_step(
    conn: &mut DbConnection,
    viewer: &Viewer,
    id: CampaignId,
) -> DomainResult<(Campaign, bool)> {
    let campaign = repo::find(conn, id)?.ok_or_else(not_found)?;
    let core = match viewer.user {
        Some(user) => repo::membership(conn, id, user)?.unwrap_or(false),
        None => false,
    };
    Ok((campaign, core))
}

fn must_run(campaign: &Campaign) -> DomainResult<()> {
    if campaign.status == CampaignStatus::Active {
        Ok(())
    } else {
        Err(conflict("status", ProblemCode::InvalidTransition))
    }
}

/// Link more grievances of the campaign's neighbourhood: the core team and organisers.
pub fn add_grievances(
    conn: &mut DbConnection,
    actor: &Actor,
    id: CampaignId,
    grievances: &[GrievanceId],
    public_url: &str,
) -> DomainResult<CampaignView> {
    let viewer = Viewer::load(conn, actor)?;
    signed_in(&viewer)?;
    let (campaign, core) = campaign_for_step(conn, &viewer, id)?;
    let user = policy::may_edit(&viewer, &campaign, core)?;
    let mut problems = Vec::new();
    let ids = checked_ids(grievances, &mut problems);
    if !problems.is_empty() {
        return Err(DomainError::Validation(problems));
    }
    let (neighbourhood, _) = grievances_of_one_neighbourhood(conn, &ids)?;
    if neighbourhood != campaign.neighbourhood_id {
        return Err(invalid("grievanceIds", ProblemCode::InvalidFormat));
    }
    write_transaction(conn, |conn| {
        repo::lock(conn, id)?;
        let campaign = repo::find(conn, id)?.ok_or_else(not_found)?;
        must_run(&campaign)?;
        let at = now();
        let shown_as = history_actor(&viewer, campaign.neighbourhood_id, user);
        link(conn, &campaign, &ids, user, shown_as, public_url, at)?;
        repo::touch(conn, id, at)?;
        Ok::<_, DomainError>(())
    })?;
    view_of(conn, &viewer, id)
}

/// Unlink a grievance with a reason (the core team and organisers): it goes back to
/// ACKNOWLEDGED with that reason; recorded in its history and the audit log.
pub fn unlink_grievance(
    conn: &mut DbConnection,
    actor: &Actor,
    id: CampaignId,
    grievance: GrievanceId,
    reason: &str,
) -> DomainResult<CampaignView> {
    let viewer = Viewer::load(conn, actor)?;
    signed_in(&viewer)?;
    let (campaign, core) = campaign_for_step(conn, &viewer, id)?;
    let user = policy::may_edit(&viewer, &campaign, core)?;
    let reason = one_checked_text("reason", reason, 1, REASON_MAX, true)?;
    write_transaction(conn, |conn| {
        repo::lock(conn, id)?;
        let campaign = repo::find(conn, id)?.ok_or_else(not_found)?;
        must_run(&campaign)?;
        grievances_repo::lock(conn, grievance)?;
        let current = grievances_repo::find(conn, grievance)?
            .filter(|g| g.campaign == Some(id))
            .ok_or(DomainError::NotFound {
                entity: "grievance",
            })?;
        let at = now();
        repo::set_grievance_campaign(conn, &[grievance], None)?;
        if current.status == Status::InCampaign {
            grievances_repo::set_status(conn, grievance, Status::Acknowledged, &reason, None, at)?;
            grievances_repo::insert_status_change(
                conn,
                grievance,
                Status::InCampaign,
                Status::Acknowledged,
                &reason,
                history_actor(&viewer, campaign.neighbourhood_id, user),
                at,
            )?;
        }
        repo::touch(conn, id, at)?;
        let mut entry = AuditEntry::new("campaign.unlink_grievance", "campaign", Some(id.0))
            .details(serde_json::json!({ "grievance": grievance.0 }));
        entry.reason = Some(reason.clone());
        audit::record(conn, actor, entry)?;
        Ok::<_, DomainError>(())
    })?;
    view_of(conn, &viewer, id)
}

fn check_phase_text(title: &str, description: &str) -> DomainResult<(String, String)> {
    let mut problems = Vec::new();
    let title = checked_text("title", title, 1, TITLE_MAX, false, &mut problems);
    let description = checked_text("description", description, 0, TEXT_MAX, true, &mut problems);
    if problems.is_empty() {
        Ok((title, description))
    } else {
        Err(DomainError::Validation(problems))
    }
}

/// Add a phase at the end (the core team and organisers), planned.
pub fn add_phase(
    conn: &mut DbConnection,
    actor: &Actor,
    id: CampaignId,
    title: &str,
    description: &str,
) -> DomainResult<CampaignView> {
    let viewer = Viewer::load(conn, actor)?;
    signed_in(&viewer)?;
    let (campaign, core) = campaign_for_step(conn, &viewer, id)?;
    policy::may_edit(&viewer, &campaign, core)?;
    let (title, description) = check_phase_text(title, description)?;
    write_transaction(conn, |conn| {
        repo::lock(conn, id)?;
        let campaign = repo::find(conn, id)?.ok_or_else(not_found)?;
        must_run(&campaign)?;
        let phases = repo::phases_of(conn, id)?;
        if phases.len() >= PHASES_MAX {
            return Err(conflict(
                "campaignId",
                ProblemCode::TooLong { max: PHASES_MAX },
            ));
        }
        let position = phases.iter().map(|p| p.position).max().unwrap_or(-1) + 1;
        let at = now();
        repo::insert_phase(
            conn,
            id,
            position,
            &title,
            &description,
            PhaseStatus::Planned,
            at,
        )?;
        repo::touch(conn, id, at)?;
        Ok(())
    })?;
    view_of(conn, &viewer, id)
}

/// The campaign of a phase, the phase, and whether the viewer may edit it.
fn phase_for_step(
    conn: &mut DbConnection,
    viewer: &Viewer,
    phase: PhaseId,
) -> DomainResult<(Campaign, UserId)> {
    let campaign =
        repo::campaign_of_phase(conn, phase)?.ok_or(DomainError::NotFound { entity: "phase" })?;
    let (campaign, core) = campaign_for_step(conn, viewer, campaign)?;
    let user = policy::may_edit(viewer, &campaign, core)?;
    Ok((campaign, user))
}

fn find_phase(phases: &[Phase], id: PhaseId) -> DomainResult<&Phase> {
    phases
        .iter()
        .find(|p| p.id == id)
        .ok_or(DomainError::NotFound { entity: "phase" })
}

/// Edit a phase's title and description before it starts (the core team and organisers).
pub fn edit_phase(
    conn: &mut DbConnection,
    actor: &Actor,
    phase: PhaseId,
    title: &str,
    description: &str,
) -> DomainResult<CampaignView> {
    let viewer = Viewer::load(conn, actor)?;
    signed_in(&viewer)?;
    let (campaign, _) = phase_for_step(conn, &viewer, phase)?;
    let (title, description) = check_phase_text(title, description)?;
    write_transaction(conn, |conn| {
        repo::lock(conn, campaign.id)?;
        let phases = repo::phases_of(conn, campaign.id)?;
        if find_phase(&phases, phase)?.status != PhaseStatus::Planned {
            return Err(conflict("phaseId", ProblemCode::Locked));
        }
        repo::edit_phase(conn, phase, &title, &description)?;
        repo::touch(conn, campaign.id, now())?;
        Ok(())
    })?;
    view_of(conn, &viewer, campaign.id)
}

/// Add a goal to a phase that has not been completed (the core team and organisers): a text,
/// optionally a numeric target (1 to a billion) with a unit.
pub fn add_goal(
    conn: &mut DbConnection,
    actor: &Actor,
    form: NewGoal,
) -> DomainResult<CampaignView> {
    let viewer = Viewer::load(conn, actor)?;
    signed_in(&viewer)?;
    let (campaign, _) = phase_for_step(conn, &viewer, form.phase)?;
    let mut problems = Vec::new();
    let text = checked_text("text", &form.text, 1, GOAL_MAX, false, &mut problems);
    if let Some(target) = form.target
        && !(1..=VALUE_MAX).contains(&target)
    {
        problems.push(FieldProblem::new("target", ProblemCode::OutOfRange));
    }
    let unit = form
        .unit
        .as_deref()
        .map(|u| checked_text("unit", u, 0, UNIT_MAX, false, &mut problems))
        .filter(|u| !u.is_empty());
    if unit.is_some() && form.target.is_none() {
        problems.push(FieldProblem::new("unit", ProblemCode::InvalidFormat));
    }
    if !problems.is_empty() {
        return Err(DomainError::Validation(problems));
    }
    write_transaction(conn, |conn| {
        repo::lock(conn, campaign.id)?;
        let current = repo::find(conn, campaign.id)?.ok_or_else(not_found)?;
        must_run(&current)?;
        let phases = repo::phases_of(conn, campaign.id)?;
        let phase = find_phase(&phases, form.phase)?;
        if phase.status == PhaseStatus::Completed {
            return Err(conflict("phaseId", ProblemCode::Locked));
        }
        if phase.goals.len() >= GOALS_MAX {
            return Err(conflict("phaseId", ProblemCode::TooLong { max: GOALS_MAX }));
        }
        let position = phase.goals.iter().map(|g| g.position).max().unwrap_or(-1) + 1;
        let at = now();
        repo::insert_goal(
            conn,
            form.phase,
            position,
            &text,
            form.target,
            unit.as_deref(),
            at,
        )?;
        repo::touch(conn, campaign.id, at)?;
        Ok(())
    })?;
    view_of(conn, &viewer, campaign.id)
}

/// Update a goal of the active phase (the core team and organisers), always with a note: a
/// new numeric value (the goal is met once it reaches the target), or ticking it as met (the
/// note, and optionally a link, are the evidence). A met goal stays met.
pub fn update_goal(
    conn: &mut DbConnection,
    actor: &Actor,
    form: UpdateGoal,
) -> DomainResult<CampaignView> {
    let viewer = Viewer::load(conn, actor)?;
    signed_in(&viewer)?;
    let (campaign, phase) =
        repo::campaign_of_goal(conn, form.goal)?.ok_or(DomainError::NotFound { entity: "goal" })?;
    let (campaign, core) = campaign_for_step(conn, &viewer, campaign)?;
    let user = policy::may_edit(&viewer, &campaign, core)?;
    let mut problems = Vec::new();
    let note = checked_text("note", &form.note, 1, REASON_MAX, true, &mut problems);
    let link = form
        .link
        .as_deref()
        .map(|l| checked_text("link", l, 0, LINK_TEXT_MAX, false, &mut problems))
        .filter(|l| !l.is_empty());
    if let Some(l) = &link
        && !(l.starts_with("https://") || l.starts_with("http://"))
    {
        problems.push(FieldProblem::new("link", ProblemCode::InvalidFormat));
    }
    if let Some(v) = form.value
        && !(0..=VALUE_MAX).contains(&v)
    {
        problems.push(FieldProblem::new("value", ProblemCode::OutOfRange));
    }
    if form.value.is_none() && !form.met {
        problems.push(FieldProblem::new("value", ProblemCode::Required));
    }
    if !problems.is_empty() {
        return Err(DomainError::Validation(problems));
    }
    write_transaction(conn, |conn| {
        repo::lock(conn, campaign.id)?;
        let phases = repo::phases_of(conn, campaign.id)?;
        let phase = find_phase(&phases, phase)?;
        if phase.status != PhaseStatus::Active {
            return Err(conflict("goalId", ProblemCode::PhaseNotActive));
        }
        let goal = phase
            .goals
            .iter()
            .find(|g| g.id == form.goal)
            .ok_or(DomainError::NotFound { entity: "goal" })?;
        if form.value.is_some() && goal.target.is_none() {
            return Err(invalid("value", ProblemCode::InvalidFormat));
        }
        let at = now();
        let value = form.value.or(goal.current_value);
        let reached = matches!((goal.target, value), (Some(t), Some(v)) if v >= t);
        let (met_at, evidence, evidence_link) = if goal.is_met() {
            (
                goal.met_at,
                goal.evidence.clone(),
                goal.evidence_link.clone(),
            )
        } else if form.met || reached {
            (Some(at), Some(note.clone()), link.clone())
        } else {
            (None, None, None)
        };
        repo::update_goal(
            conn,
            goal.id,
            value,
            met_at,
            evidence.as_deref(),
            evidence_link.as_deref(),
            &note,
            user,
            at,
        )?;
        repo::touch(conn, campaign.id, at)?;
        Ok::<_, DomainError>(())
    })?;
    view_of(conn, &viewer, campaign.id)
}

/// Complete the active phase (the core team and organisers): every goal met, or a reason for
/// each one that is not; always a reflection. The next phase becomes active; completing the
/// last one closes the campaign with its outcome, and the linked grievances become resolved
/// (won, partly won) or closed (not won, stopped) with the outcome summary as reason. Recorded
/// in the audit log.
pub fn complete_phase(
    conn: &mut DbConnection,
    actor: &Actor,
    form: CompletePhase,
) -> DomainResult<CampaignView> {
    let viewer = Viewer::load(conn, actor)?;
    signed_in(&viewer)?;
    let (campaign, user) = phase_for_step(conn, &viewer, form.phase)?;
    let mut problems = Vec::new();
    let reflection = checked_text(
        "reflection",
        &form.reflection,
        1,
        TEXT_MAX,
        true,
        &mut problems,
    );
    let mut reasons: HashMap<GoalId, String> = HashMap::new();
    for (goal, reason) in &form.unmet_reasons {
        let before = problems.len();
        let text = checked_text("unmetReasons", reason, 1, REASON_MAX, true, &mut problems);
        if problems.len() > before {
            break;
        }
        reasons.insert(*goal, text);
    }
    let summary = form
        .outcome_summary
        .as_deref()
        .map(|s| checked_text("outcomeSummary", s, 0, REASON_MAX, true, &mut problems))
        .filter(|s| !s.is_empty());
    if !problems.is_empty() {
        return Err(DomainError::Validation(problems));
    }
    write_transaction(conn, |conn| {
        repo::lock(conn, campaign.id)?;
        let current = repo::find(conn, campaign.id)?.ok_or_else(not_found)?;
        must_run(&current)?;
        let phases = repo::phases_of(conn, campaign.id)?;
        let phase = find_phase(&phases, form.phase)?;
        if phase.status != PhaseStatus::Active {
            return Err(conflict("phaseId", ProblemCode::PhaseNotActive));
        }
        let goal_ids: HashSet<GoalId> = phase.goals.iter().map(|g| g.id).collect();
        if reasons.keys().any(|g| !goal_ids.contains(g)) {
            return Err(invalid("unmetReasons", ProblemCode::InvalidFormat));
        }
        let unmet: Vec<_> = phase.goals.iter().filter(|g| !g.is_met()).collect();
        if unmet.iter().any(|g| !reasons.contains_key(&g.id)) {
            return Err(conflict("unmetReasons", ProblemCode::GoalsNotMet));
        }
        let next = phases
            .iter()
            .filter(|p| p.status == PhaseStatus::Planned && p.position > phase.position)
            .min_by_key(|p| p.position);
        let closing = match next {
            Some(_) => None,
            None => {
                let mut missing = Vec::new();
                if form.outcome.is_none() {
                    missing.push(FieldProblem::new("outcome", ProblemCode::Required));
                }
                if summary.is_none() {
                    missing.push(FieldProblem::new("outcomeSummary", ProblemCode::Required));
                }
                match (form.outcome, &summary) {
                    (Some(outcome), Some(summary)) => Some((outcome, summary.clone())),
                    _ => return Err(DomainError::Validation(missing)),
                }
            }
        };
        let at = now();
        if repo::complete_phase(conn, phase.id, &reflection, user, at)? != 1 {
            return Err(conflict("phaseId", ProblemCode::PhaseNotActive));
        }
        for goal in &unmet {
            repo::set_unmet_reason(conn, goal.id, &reasons[&goal.id])?;
        }
        if let Some(next) = next {
            repo::set_phase_status(conn, next.id, PhaseStatus::Planned, PhaseStatus::Active)
                .map_err(|e| {
                    if is_unique_violation(&e) {
                        conflict("phaseId", ProblemCode::AlreadyActive)
                    } else {
                        e.into()
                    }
                })?;
        }
        if let Some((outcome, summary)) = &closing {
            repo::close(conn, campaign.id, *outcome, at)?;
            let target = outcome.grievance_status();
            for grievance in repo::linked_in_campaign(conn, campaign.id)? {
                grievances_repo::set_status(conn, grievance, target, summary, None, at)?;
                grievances_repo::insert_status_change(
                    conn,
                    grievance,
                    Status::InCampaign,
                    target,
                    summary,
                    history_actor(&viewer, campaign.neighbourhood_id, user),
                    at,
                )?;
            }
        } else {
            repo::touch(conn, campaign.id, at)?;
        }
        let mut entry = AuditEntry::new("campaign.phase.complete", "campaign", Some(campaign.id.0))
            .details(serde_json::json!({
                "phase": phase.id.0,
                "unmetGoals": unmet.iter().map(|g| g.id.0).collect::<Vec<_>>(),
                "outcome": closing.as_ref().map(|(o, _)| o.as_str()),
            }));
        if !unmet.is_empty() {
            entry.reason = Some(
                unmet
                    .iter()
                    .map(|g| reasons[&g.id].clone())
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
        }
        audit::record(conn, actor, entry)?;
        Ok::<_, DomainError>(())
    })?;
    view_of(conn, &viewer, campaign.id)
}

/// Join a running campaign (anyone signed in); idempotent, the count stays exact.
pub fn join(conn: &mut DbConnection, actor: &Actor, id: CampaignId) -> DomainResult<CampaignView> {
    let viewer = Viewer::load(conn, actor)?;
    let user = signed_in(&viewer)?;
    repo::find(conn, id)?.ok_or_else(not_found)?;
    write_transaction(conn, |conn| {
        repo::lock(conn, id)?;
        let campaign = repo::find(conn, id)?.ok_or_else(not_found)?;
        must_run(&campaign)?;
        if repo::membership(conn, id, user)?.is_none() {
            repo::insert_member(conn, id, user, false, now())?;
        }
        Ok::<_, DomainError>(())
    })?;
    view_of(conn, &viewer, id)
}

/// Leave a campaign (and its core team); idempotent.
pub fn leave(conn: &mut DbConnection, actor: &Actor, id: CampaignId) -> DomainResult<CampaignView> {
    let viewer = Viewer::load(conn, actor)?;
    let user = signed_in(&viewer)?;
    repo::find(conn, id)?.ok_or_else(not_found)?;
    write_transaction(conn, |conn| {
        repo::lock(conn, id)?;
        repo::delete_member(conn, id, user)?;
        Ok::<_, DomainError>(())
    })?;
    view_of(conn, &viewer, id)
}

/// Add a person to the core team, or remove them (organisers of the neighbourhood and admins),
/// with a reason recorded in the audit log. Added people join the campaign.
pub fn set_core_team(
    conn: &mut DbConnection,
    actor: &Actor,
    id: CampaignId,
    person: UserId,
    member: bool,
    reason: &str,
) -> DomainResult<CampaignView> {
    let viewer = Viewer::load(conn, actor)?;
    signed_in(&viewer)?;
    let campaign = repo::find(conn, id)?.ok_or_else(not_found)?;
    policy::may_moderate(&viewer, &campaign)?;
    let reason = one_checked_text("reason", reason, 1, REASON_MAX, true)?;
    if member && !repo::is_active_user(conn, person)? {
        return Err(DomainError::NotFound { entity: "person" });
    }
    write_transaction(conn, |conn| {
        repo::lock(conn, id)?;
        let campaign = repo::find(conn, id)?.ok_or_else(not_found)?;
        must_run(&campaign)?;
        let at = now();
        match (repo::membership(conn, id, person)?, member) {
            (None, true) => {
                if repo::core_team_size(conn, id, None)? >= super::model::CORE_TEAM_MAX as i64 {
                    return Err(conflict(
                        "personId",
                        ProblemCode::TooLong {
                            max: super::model::CORE_TEAM_MAX,
                        },
                    ));
                }
                repo::insert_member(conn, id, person, true, at)?;
            }
            (Some(false), true) => {
                repo::set_core_team(conn, id, person, true)?;
            }
            (Some(true), false) => {
                repo::set_core_team(conn, id, person, false)?;
            }
            (Some(true), true) | (None, false) | (Some(false), false) => return Ok(()),
        }
        repo::touch(conn, id, at)?;
        let action = if member {
            "campaign.core_team.add"
        } else {
            "campaign.core_team.remove"
        };
        let mut entry = AuditEntry::new(action, "campaign", Some(id.0))
            .details(serde_json::json!({ "person": person.0 }));
        entry.reason = Some(reason.clone());
        audit::record(conn, actor, entry)?;
        Ok::<_, DomainError>(())
    })?;
    view_of(conn, &viewer, id)
}

/// The organiser steps back (hands over): residents run the campaign from now on. Needs a
/// core team without the organiser; the organiser leaves the core team and keeps moderation
/// rights. With a reason, in the audit log.
pub fn step_back(
    conn: &mut DbConnection,
    actor: &Actor,
    id: CampaignId,
    reason: &str,
) -> DomainResult<CampaignView> {
    let viewer = Viewer::load(conn, actor)?;
    signed_in(&viewer)?;
    let campaign = repo::find(conn, id)?.ok_or_else(not_found)?;
    let user = policy::may_moderate(&viewer, &campaign)?;
    let reason = one_checked_text("reason", reason, 1, REASON_MAX, true)?;
    write_transaction(conn, |conn| {
        repo::lock(conn, id)?;
        let campaign = repo::find(conn, id)?.ok_or_else(not_found)?;
        must_run(&campaign)?;
        if campaign.handed_over_at.is_some() {
            return Err(conflict("campaignId", ProblemCode::AlreadyUsed));
        }
        if repo::core_team_size(conn, id, Some(user))? == 0 {
            return Err(conflict("coreTeam", ProblemCode::Required));
        }
        let at = now();
        repo::set_core_team(conn, id, user, false)?;
        repo::set_handed_over(conn, id, at)?;
        let mut entry = AuditEntry::new("campaign.step_back", "campaign", Some(id.0));
        entry.reason = Some(reason.clone());
        audit::record(conn, actor, entry)?;
        Ok::<_, DomainError>(())
    })?;
    view_of(conn, &viewer, id)
}

/// Whether residents may start campaigns in `neighbourhood`; public.
pub fn residents_may_start(
    conn: &mut DbConnection,
    neighbourhood: NeighbourhoodId,
) -> DomainResult<bool> {
    if neighbourhoods_repo::find_by_id(conn, neighbourhood)?.is_none() {
        return Err(DomainError::NotFound {
            entity: "neighbourhood",
        });
    }
    Ok(repo::residents_may_start(conn, neighbourhood)?)
}

/// Allow or stop resident-started campaigns (organisers of the neighbourhood and admins).
pub fn set_residents_may_start(
    conn: &mut DbConnection,
    actor: &Actor,
    neighbourhood: NeighbourhoodId,
    allowed: bool,
) -> DomainResult<bool> {
    let viewer = Viewer::load(conn, actor)?;
    signed_in(&viewer)?;
    if neighbourhoods_repo::find_by_id(conn, neighbourhood)?.is_none() {
        return Err(DomainError::NotFound {
            entity: "neighbourhood",
        });
    }
    policy::may_configure(&viewer, neighbourhood)?;
    write_transaction(conn, |conn| {
        repo::set_residents_may_start(conn, neighbourhood, allowed, now())?;
        audit::record(
            conn,
            actor,
            AuditEntry::new("campaign.settings", "neighbourhood", Some(neighbourhood.0))
                .details(serde_json::json!({ "residentsMayStart": allowed })),
        )?;
        Ok::<_, DomainError>(())
    })?;
    Ok(allowed)
}
