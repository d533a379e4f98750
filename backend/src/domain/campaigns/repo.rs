//! Campaign queries. Every function takes the connection, so callers compose them; every
//! batch function costs one statement however many ids it gets.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{
    Campaign, CampaignRow, CampaignStatus, Goal, GoalRow, Outcome, Phase, PhaseRow, PhaseStatus,
};
use crate::db::backend_specific::last_insert_id;
use crate::db::schema::{
    campaign_goal_updates, campaign_goals, campaign_members, campaign_phases, campaign_settings,
    campaigns, grievances, neighbourhoods, users,
};
use crate::db::{DbConnection, MultiBackend};
use crate::domain::ids::{CampaignId, GoalId, GrievanceId, NeighbourhoodId, PhaseId, UserId};
use crate::domain::neighbourhoods::Neighbourhood;
use crate::domain::neighbourhoods::model::NeighbourhoodRow;

/// What a new campaign stores.
pub struct NewCampaign<'a> {
    pub neighbourhood: NeighbourhoodId,
    pub title: &'a str,
    pub summary: &'a str,
    pub change_goals: &'a [String],
    pub started_by: UserId,
    pub at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, new: &NewCampaign<'_>) -> QueryResult<CampaignId> {
    let goals = serde_json::to_string(new.change_goals).unwrap_or_else(|_| "[]".into());
    diesel::insert_into(campaigns::table)
        .values((
            campaigns::neighbourhood_id.eq(new.neighbourhood.0),
            campaigns::title.eq(new.title),
            campaigns::summary.eq(new.summary),
            campaigns::change_goals.eq(goals),
            campaigns::status.eq(CampaignStatus::Active.as_str()),
            campaigns::started_by_user_id.eq(Some(new.started_by.0)),
            campaigns::participant_count.eq(0_i64),
            campaigns::created_at.eq(new.at),
            campaigns::updated_at.eq(new.at),
        ))
        .execute(conn)?;
    last_insert_id(conn).map(CampaignId)
}

pub fn find(conn: &mut DbConnection, id: CampaignId) -> QueryResult<Option<Campaign>> {
    campaigns::table
        .find(id.0)
        .select(CampaignRow::as_select())
        .first(conn)
        .optional()
        .map(|r| r.map(Campaign::from))
}

/// Take the campaign's row lock for the rest of the transaction (PostgreSQL; SQLite's write
/// transactions are serial already), so that steps on one campaign happen one after another.
pub fn lock(conn: &mut DbConnection, id: CampaignId) -> QueryResult<usize> {
    diesel::update(campaigns::table.find(id.0))
        .set(campaigns::id.eq(campaigns::id))
        .execute(conn)
}

pub fn touch(conn: &mut DbConnection, id: CampaignId, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(campaigns::table.find(id.0))
        .set(campaigns::updated_at.eq(at))
        .execute(conn)
}

/// The campaigns `ids` with their neighbourhoods, in no particular order: one statement.
pub fn with_neighbourhoods(
    conn: &mut DbConnection,
    ids: &[CampaignId],
) -> QueryResult<Vec<(Campaign, Neighbourhood)>> {
    let raw: Vec<i64> = ids.iter().map(|i| i.0).collect();
    let rows: Vec<(CampaignRow, NeighbourhoodRow)> = campaigns::table
        .inner_join(neighbourhoods::table)
        .filter(campaigns::id.eq_any(raw))
        .select((CampaignRow::as_select(), NeighbourhoodRow::as_select()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(c, n)| (c.into(), n.into()))
        .collect())
}

/// The ids of up to `limit` campaigns of a neighbourhood with one of `statuses`, newest first,
/// before id `after`: one statement.
pub fn page_ids(
    conn: &mut DbConnection,
    neighbourhood: NeighbourhoodId,
    statuses: &[CampaignStatus],
    after: Option<CampaignId>,
    limit: i64,
) -> QueryResult<Vec<CampaignId>> {
    let statuses: Vec<&'static str> = statuses.iter().map(|s| s.as_str()).collect();
    let mut query = campaigns::table
        .filter(campaigns::neighbourhood_id.eq(neighbourhood.0))
        .filter(campaigns::status.eq_any(statuses))
        .order_by(campaigns::id.desc())
        .limit(limit)
        .select(campaigns::id)
        .into_boxed::<MultiBackend>();
    if let Some(after) = after {
        query = query.filter(campaigns::id.lt(after.0));
    }
    let ids: Vec<i64> = query.load(conn)?;
    Ok(ids.into_iter().map(CampaignId).collect())
}

/// The phases of `campaigns` with their goals, each in order: one statement.
pub fn phases(
    conn: &mut DbConnection,
    campaigns: &[CampaignId],
) -> QueryResult<HashMap<CampaignId, Vec<Phase>>> {
    let raw: Vec<i64> = campaigns.iter().map(|i| i.0).collect();
    let rows: Vec<(PhaseRow, Option<GoalRow>)> = campaign_phases::table
        .left_join(campaign_goals::table)
        .filter(campaign_phases::campaign_id.eq_any(raw))
        .order_by((
            campaign_phases::campaign_id.asc(),
            campaign_phases::position.asc(),
            campaign_goals::position.asc(),
            campaign_goals::id.asc(),
        ))
        .select((PhaseRow::as_select(), Option::<GoalRow>::as_select()))
        .load(conn)?;
    let mut out: HashMap<CampaignId, Vec<Phase>> = HashMap::new();
    for (phase, goal) in rows {
        let phase_id = phase.id;
        let phase = Phase::from(phase);
        let list = out.entry(phase.campaign_id).or_default();
        if list.last().map(|p| p.id.0) != Some(phase_id) {
            list.push(phase);
        }
        if let (Some(goal), Some(last)) = (goal, list.last_mut()) {
            last.goals.push(Goal::from(goal));
        }
    }
    Ok(out)
}

/// The phases of one campaign with their goals, in order.
pub fn phases_of(conn: &mut DbConnection, campaign: CampaignId) -> QueryResult<Vec<Phase>> {
    Ok(phases(conn, &[campaign])?
        .remove(&campaign)
        .unwrap_or_default())
}

/// One member row as the page needs it.
pub struct MemberRow {
    pub campaign: CampaignId,
    pub user: UserId,
    pub display_name: Option<String>,
    pub core_team: bool,
}

/// The core teams of `campaigns` (oldest first) and the rows of `viewer`, with display names
/// (`None` for deleted accounts): one statement.
pub fn team_and_viewer(
    conn: &mut DbConnection,
    campaigns: &[CampaignId],
    viewer: Option<UserId>,
) -> QueryResult<Vec<MemberRow>> {
    let raw: Vec<i64> = campaigns.iter().map(|i| i.0).collect();
    let viewer = viewer.map(|u| u.0).unwrap_or(0);
    let rows: Vec<(i64, i64, String, Option<NaiveDateTime>, i32)> = campaign_members::table
        .inner_join(users::table)
        .filter(campaign_members::campaign_id.eq_any(raw))
        .filter(
            campaign_members::core_team
                .eq(1)
                .or(campaign_members::user_id.eq(viewer)),
        )
        .order_by(campaign_members::id.asc())
        .select((
            campaign_members::campaign_id,
            campaign_members::user_id,
            users::display_name,
            users::deleted_at,
            campaign_members::core_team,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(c, u, name, deleted, core)| MemberRow {
            campaign: CampaignId(c),
            user: UserId(u),
            display_name: deleted.is_none().then_some(name),
            core_team: core != 0,
        })
        .collect())
}

/// Whether `user` takes part, and whether in the core team: `None` when not at all.
pub fn membership(
    conn: &mut DbConnection,
    campaign: CampaignId,
    user: UserId,
) -> QueryResult<Option<bool>> {
    campaign_members::table
        .filter(campaign_members::campaign_id.eq(campaign.0))
        .filter(campaign_members::user_id.eq(user.0))
        .select(campaign_members::core_team)
        .first::<i32>(conn)
        .optional()
        .map(|r| r.map(|core| core != 0))
}

/// Add `user` as participant (core team or not); keeps the count. Call with the campaign
/// locked and after `membership` said they are not in yet.
pub fn insert_member(
    conn: &mut DbConnection,
    campaign: CampaignId,
    user: UserId,
    core_team: bool,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(campaign_members::table)
        .values((
            campaign_members::campaign_id.eq(campaign.0),
            campaign_members::user_id.eq(user.0),
            campaign_members::core_team.eq(i32::from(core_team)),
            campaign_members::created_at.eq(at),
        ))
        .execute(conn)?;
    add_to_participants(conn, campaign, 1)
}

pub fn set_core_team(
    conn: &mut DbConnection,
    campaign: CampaignId,
    user: UserId,
    core_team: bool,
) -> QueryResult<usize> {
    diesel::update(
        campaign_members::table
            .filter(campaign_members::campaign_id.eq(campaign.0))
            .filter(campaign_members::user_id.eq(user.0)),
    )
    .set(campaign_members::core_team.eq(i32::from(core_team)))
    .execute(conn)
}

/// Remove `user`; keeps the count. Returns whether they were in.
pub fn delete_member(
    conn: &mut DbConnection,
    campaign: CampaignId,
    user: UserId,
) -> QueryResult<bool> {
    let removed = diesel::delete(
        campaign_members::table
            .filter(campaign_members::campaign_id.eq(campaign.0))
            .filter(campaign_members::user_id.eq(user.0)),
    )
    .execute(conn)?;
    if removed > 0 {
        add_to_participants(conn, campaign, -1)?;
    }
    Ok(removed > 0)
}

/// How many core-team members there are besides `except`.
pub fn core_team_size(
    conn: &mut DbConnection,
    campaign: CampaignId,
    except: Option<UserId>,
) -> QueryResult<i64> {
    campaign_members::table
        .filter(campaign_members::campaign_id.eq(campaign.0))
        .filter(campaign_members::core_team.eq(1))
        .filter(campaign_members::user_id.ne(except.map(|u| u.0).unwrap_or(0)))
        .count()
        .get_result(conn)
}

fn add_to_participants(
    conn: &mut DbConnection,
    campaign: CampaignId,
    delta: i64,
) -> QueryResult<()> {
    diesel::update(campaigns::table.find(campaign.0))
        .set(campaigns::participant_count.eq(campaigns::participant_count + delta))
        .execute(conn)?;
    Ok(())
}

pub fn set_handed_over(
    conn: &mut DbConnection,
    campaign: CampaignId,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(campaigns::table.find(campaign.0))
        .set((
            campaigns::handed_over_at.eq(Some(at)),
            campaigns::updated_at.eq(at),
        ))
        .execute(conn)
}

pub fn close(
    conn: &mut DbConnection,
    campaign: CampaignId,
    outcome: Outcome,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(campaigns::table.find(campaign.0))
        .set((
            campaigns::status.eq(CampaignStatus::Closed.as_str()),
            campaigns::outcome.eq(Some(outcome.as_str())),
            campaigns::closed_at.eq(Some(at)),
            campaigns::updated_at.eq(at),
        ))
        .execute(conn)
}

// ---- phases and goals ----

pub fn insert_phase(
    conn: &mut DbConnection,
    campaign: CampaignId,
    position: i32,
    title: &str,
    description: &str,
    status: PhaseStatus,
    at: NaiveDateTime,
) -> QueryResult<PhaseId> {
    diesel::insert_into(campaign_phases::table)
        .values((
            campaign_phases::campaign_id.eq(campaign.0),
            campaign_phases::position.eq(position),
            campaign_phases::title.eq(title),
            campaign_phases::description.eq(description),
            campaign_phases::status.eq(status.as_str()),
            campaign_phases::created_at.eq(at),
        ))
        .execute(conn)?;
    last_insert_id(conn).map(PhaseId)
}

/// The campaign a phase belongs to.
pub fn campaign_of_phase(
    conn: &mut DbConnection,
    phase: PhaseId,
) -> QueryResult<Option<CampaignId>> {
    campaign_phases::table
        .find(phase.0)
        .select(campaign_phases::campaign_id)
        .first::<i64>(conn)
        .optional()
        .map(|r| r.map(CampaignId))
}

/// The campaign and phase a goal belongs to.
pub fn campaign_of_goal(
    conn: &mut DbConnection,
    goal: GoalId,
) -> QueryResult<Option<(CampaignId, PhaseId)>> {
    campaign_goals::table
        .inner_join(campaign_phases::table)
        .filter(campaign_goals::id.eq(goal.0))
        .select((campaign_phases::campaign_id, campaign_phases::id))
        .first::<(i64, i64)>(conn)
        .optional()
        .map(|r| r.map(|(c, p)| (CampaignId(c), PhaseId(p))))
}

pub fn edit_phase(
    conn: &mut DbConnection,
    phase: PhaseId,
    title: &str,
    description: &str,
) -> QueryResult<usize> {
    diesel::update(campaign_phases::table.find(phase.0))
        .set((
            campaign_phases::title.eq(title),
            campaign_phases::description.eq(description),
        ))
        .execute(conn)
}

/// Move a phase from `from` to `to`; the number of rows changed (0 when it was not in `from`).
/// Activating a second phase of a campaign fails on the unique index.
pub fn set_phase_status(
    conn: &mut DbConnection,
    phase: PhaseId,
    from: PhaseStatus,
    to: PhaseStatus,
) -> QueryResult<usize> {
    diesel::update(
        campaign_phases::table
            .find(phase.0)
            .filter(campaign_phases::status.eq(from.as_str())),
    )
    .set(campaign_phases::status.eq(to.as_str()))
    .execute(conn)
}

pub fn complete_phase(
    conn: &mut DbConnection,
    phase: PhaseId,
    reflection: &str,
    by: UserId,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        campaign_phases::table
            .find(phase.0)
            .filter(campaign_phases::status.eq(PhaseStatus::Active.as_str())),
    )
    .set((
        campaign_phases::status.eq(PhaseStatus::Completed.as_str()),
        campaign_phases::reflection.eq(Some(reflection)),
        campaign_phases::completed_at.eq(Some(at)),
        campaign_phases::completed_by_user_id.eq(Some(by.0)),
    ))
    .execute(conn)
}

pub fn insert_goal(
    conn: &mut DbConnection,
    phase: PhaseId,
    position: i32,
    text: &str,
    target: Option<i64>,
    unit: Option<&str>,
    at: NaiveDateTime,
) -> QueryResult<GoalId> {
    diesel::insert_into(campaign_goals::table)
        .values((
            campaign_goals::phase_id.eq(phase.0),
            campaign_goals::position.eq(position),
            campaign_goals::text.eq(text),
            campaign_goals::target.eq(target),
            campaign_goals::unit.eq(unit),
            campaign_goals::current_value.eq(target.map(|_| 0_i64)),
            campaign_goals::updated_at.eq(at),
        ))
        .execute(conn)?;
    last_insert_id(conn).map(GoalId)
}

/// Store a goal's new value and met state, with the history row.
#[allow(clippy::too_many_arguments)]
pub fn update_goal(
    conn: &mut DbConnection,
    goal: GoalId,
    value: Option<i64>,
    met_at: Option<NaiveDateTime>,
    evidence: Option<&str>,
    link: Option<&str>,
    note: &str,
    actor: UserId,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(campaign_goals::table.find(goal.0))
        .set((
            campaign_goals::current_value.eq(value),
            campaign_goals::met_at.eq(met_at),
            campaign_goals::evidence.eq(evidence),
            campaign_goals::evidence_link.eq(link),
            campaign_goals::updated_at.eq(at),
        ))
        .execute(conn)?;
    diesel::insert_into(campaign_goal_updates::table)
        .values((
            campaign_goal_updates::goal_id.eq(goal.0),
            campaign_goal_updates::value.eq(value),
            campaign_goal_updates::note.eq(note),
            campaign_goal_updates::actor_user_id.eq(Some(actor.0)),
            campaign_goal_updates::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn set_unmet_reason(conn: &mut DbConnection, goal: GoalId, reason: &str) -> QueryResult<usize> {
    diesel::update(campaign_goals::table.find(goal.0))
        .set(campaign_goals::unmet_reason.eq(Some(reason)))
        .execute(conn)
}

// ---- grievances and settings ----

/// Link or unlink grievances (`None` unlinks).
pub fn set_grievance_campaign(
    conn: &mut DbConnection,
    ids: &[GrievanceId],
    campaign: Option<CampaignId>,
) -> QueryResult<usize> {
    let raw: Vec<i64> = ids.iter().map(|i| i.0).collect();
    diesel::update(grievances::table.filter(grievances::id.eq_any(raw)))
        .set(grievances::campaign_id.eq(campaign.map(|c| c.0)))
        .execute(conn)
}

/// The grievances linked to a campaign, in status IN_CAMPAIGN.
pub fn linked_in_campaign(
    conn: &mut DbConnection,
    campaign: CampaignId,
) -> QueryResult<Vec<GrievanceId>> {
    grievances::table
        .filter(grievances::campaign_id.eq(campaign.0))
        .filter(grievances::status.eq(crate::domain::grievances::Status::InCampaign.as_str()))
        .order_by(grievances::id.asc())
        .select(grievances::id)
        .load::<i64>(conn)
        .map(|ids| ids.into_iter().map(GrievanceId).collect())
}

/// Whether residents may start campaigns in `neighbourhood` (yes unless switched off).
pub fn residents_may_start(
    conn: &mut DbConnection,
    neighbourhood: NeighbourhoodId,
) -> QueryResult<bool> {
    campaign_settings::table
        .find(neighbourhood.0)
        .select(campaign_settings::residents_may_start)
        .first::<i32>(conn)
        .optional()
        .map(|r| r.is_none_or(|v| v != 0))
}

pub fn set_residents_may_start(
    conn: &mut DbConnection,
    neighbourhood: NeighbourhoodId,
    allowed: bool,
    at: NaiveDateTime,
) -> QueryResult<()> {
    let changed = diesel::update(campaign_settings::table.find(neighbourhood.0))
        .set((
            campaign_settings::residents_may_start.eq(i32::from(allowed)),
            campaign_settings::updated_at.eq(at),
        ))
        .execute(conn)?;
    if changed == 0 {
        diesel::insert_into(campaign_settings::table)
            .values((
                campaign_settings::neighbourhood_id.eq(neighbourhood.0),
                campaign_settings::residents_may_start.eq(i32::from(allowed)),
                campaign_settings::updated_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Whether `user` has an account that was not deleted.
pub fn is_active_user(conn: &mut DbConnection, user: UserId) -> QueryResult<bool> {
    users::table
        .find(user.0)
        .filter(users::deleted_at.is_null())
        .select(users::id)
        .first::<i64>(conn)
        .optional()
        .map(|r| r.is_some())
}

/// The campaigns `ids` by id: one statement.
pub fn find_many(
    conn: &mut DbConnection,
    ids: &[CampaignId],
) -> QueryResult<HashMap<CampaignId, Campaign>> {
    let raw: Vec<i64> = ids.iter().map(|i| i.0).collect();
    let rows: Vec<CampaignRow> = campaigns::table
        .filter(campaigns::id.eq_any(raw))
        .select(CampaignRow::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let c = Campaign::from(r);
            (c.id, c)
        })
        .collect())
}

/// The people who raised or co-signed one of `ids`, each once with one of those grievances,
/// and their address and language; deleted accounts left out: one statement for the
/// co-signers and one for the people.
pub fn involved_people(
    conn: &mut DbConnection,
    grievances_of: &[(GrievanceId, UserId)],
) -> QueryResult<Vec<(UserId, GrievanceId, String, String)>> {
    use crate::db::schema::grievance_cosigns;
    let raw: Vec<i64> = grievances_of.iter().map(|(g, _)| g.0).collect();
    let cosigns: Vec<(i64, i64)> = grievance_cosigns::table
        .filter(grievance_cosigns::grievance_id.eq_any(raw))
        .order_by(grievance_cosigns::id.asc())
        .select((grievance_cosigns::grievance_id, grievance_cosigns::user_id))
        .load(conn)?;
    let mut first: Vec<(UserId, GrievanceId)> = Vec::new();
    let pairs = grievances_of.iter().map(|(g, u)| (*u, *g)).chain(
        cosigns
            .into_iter()
            .map(|(g, u)| (UserId(u), GrievanceId(g))),
    );
    for (user, grievance) in pairs {
        if !first.iter().any(|(u, _)| *u == user) {
            first.push((user, grievance));
        }
    }
    let ids: Vec<i64> = first.iter().map(|(u, _)| u.0).collect();
    let people: Vec<(i64, String, String)> = users::table
        .filter(users::id.eq_any(ids))
        .filter(users::deleted_at.is_null())
        .select((users::id, users::email, users::language))
        .load(conn)?;
    Ok(first
        .into_iter()
        .filter_map(|(user, grievance)| {
            people
                .iter()
                .find(|(id, _, _)| *id == user.0)
                .map(|(_, email, language)| (user, grievance, email.clone(), language.clone()))
        })
        .collect())
}
