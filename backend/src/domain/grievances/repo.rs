//! Grievance queries. Every function takes the connection, so callers compose them; every
//! batch function costs one statement however many ids it gets.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{
    CommentCursor, CommentRecord, Grievance, GrievanceCursor, GrievanceRow, GrievanceUpdate, Order,
    Status, StatusChange, Theme, Timeline,
};
use crate::db::backend_specific::{self, last_insert_id};
use crate::db::schema::{
    grievance_comment_reports, grievance_comments, grievance_cosigns, grievance_counts,
    grievance_status_changes, grievance_updates, grievances, neighbourhoods, themes, users,
};
use crate::db::{DbConnection, MultiBackend};
use crate::domain::geo::{GeoPoint, PlanarDistance};
use crate::domain::ids::{CampaignId, CommentId, GrievanceId, NeighbourhoodId, ThemeId, UserId};
use crate::domain::neighbourhoods::Neighbourhood;
use crate::domain::neighbourhoods::model::NeighbourhoodRow;

// ---- themes ----

/// Every theme, in display order.
pub fn themes(conn: &mut DbConnection) -> QueryResult<Vec<Theme>> {
    themes::table
        .order_by((themes::position.asc(), themes::id.asc()))
        .select(Theme::as_select())
        .load(conn)
}

pub fn insert_theme(
    conn: &mut DbConnection,
    key: &str,
    name_nl: &str,
    name_en: &str,
    now: NaiveDateTime,
) -> QueryResult<ThemeId> {
    let position: Option<i32> = themes::table
        .select(diesel::dsl::max(themes::position))
        .first(conn)?;
    diesel::insert_into(themes::table)
        .values((
            themes::key.eq(key),
            themes::name_nl.eq(name_nl),
            themes::name_en.eq(name_en),
            themes::position.eq(position.unwrap_or(0) + 10),
            themes::created_at.eq(now),
        ))
        .execute(conn)?;
    last_insert_id(conn).map(ThemeId)
}

// ---- grievances ----

/// A new grievance row.
pub struct NewGrievance<'a> {
    pub neighbourhood: NeighbourhoodId,
    pub author: UserId,
    pub theme: ThemeId,
    pub title: &'a str,
    pub text: &'a str,
    pub location: Option<GeoPoint>,
    pub show_name: bool,
    pub at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, new: &NewGrievance<'_>) -> QueryResult<GrievanceId> {
    diesel::insert_into(grievances::table)
        .values((
            grievances::neighbourhood_id.eq(new.neighbourhood.0),
            grievances::author_user_id.eq(new.author.0),
            grievances::theme_id.eq(new.theme.0),
            grievances::title.eq(new.title),
            grievances::body.eq(new.text),
            grievances::latitude_e6.eq(new.location.map(|p| p.latitude_e6)),
            grievances::longitude_e6.eq(new.location.map(|p| p.longitude_e6)),
            grievances::show_name.eq(i32::from(new.show_name)),
            grievances::status.eq(Status::Open.as_str()),
            grievances::cosign_count.eq(0_i64),
            grievances::comment_count.eq(0_i64),
            grievances::created_at.eq(new.at),
            grievances::updated_at.eq(new.at),
        ))
        .execute(conn)?;
    let id = last_insert_id(conn).map(GrievanceId)?;
    add_to_count(conn, new.neighbourhood, new.theme, Status::Open, 1)?;
    Ok(id)
}

pub fn find(conn: &mut DbConnection, id: GrievanceId) -> QueryResult<Option<Grievance>> {
    grievances::table
        .find(id.0)
        .select(GrievanceRow::as_select())
        .first(conn)
        .optional()
        .map(|r| r.map(Into::into))
}

/// Grievances by id, in no particular order (one statement).
pub fn find_many(conn: &mut DbConnection, ids: &[GrievanceId]) -> QueryResult<Vec<Grievance>> {
    let raw: Vec<i64> = ids.iter().map(|i| i.0).collect();
    grievances::table
        .filter(grievances::id.eq_any(raw))
        .select(GrievanceRow::as_select())
        .load(conn)
        .map(|rows| rows.into_iter().map(Into::into).collect())
}

/// The grievances merged into `survivor`, oldest first.
pub fn merged_into(conn: &mut DbConnection, survivor: GrievanceId) -> QueryResult<Vec<Grievance>> {
    grievances::table
        .filter(grievances::merged_into_id.eq(survivor.0))
        .order_by(grievances::id.asc())
        .select(GrievanceRow::as_select())
        .load(conn)
        .map(|rows| rows.into_iter().map(Into::into).collect())
}

/// Change title, text and theme (the counts follow a change of theme).
pub fn update_content(
    conn: &mut DbConnection,
    id: GrievanceId,
    title: &str,
    text: &str,
    theme: ThemeId,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    let before = counted_key(conn, id)?;
    let changed = diesel::update(grievances::table.find(id.0))
        .set((
            grievances::title.eq(title),
            grievances::body.eq(text),
            grievances::theme_id.eq(theme.0),
            grievances::updated_at.eq(at),
        ))
        .execute(conn)?;
    if let Some((neighbourhood, old_theme, status)) = before {
        move_count(conn, neighbourhood, (old_theme, status), (theme, status))?;
    }
    Ok(changed)
}

/// Take the grievance's row lock (a no-op write), so that counts recomputed after it cannot
/// race concurrent co-signs on PostgreSQL; SQLite writers are serialised anyway.
pub fn lock(conn: &mut DbConnection, id: GrievanceId) -> QueryResult<usize> {
    diesel::update(grievances::table.find(id.0))
        .set(grievances::id.eq(grievances::id))
        .execute(conn)
}

/// Change the status (the counts follow).
pub fn set_status(
    conn: &mut DbConnection,
    id: GrievanceId,
    status: Status,
    reason: &str,
    merged_into: Option<GrievanceId>,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    let before = counted_key(conn, id)?;
    let changed = diesel::update(grievances::table.find(id.0))
        .set((
            grievances::status.eq(status.as_str()),
            grievances::status_reason.eq(reason),
            grievances::merged_into_id.eq(merged_into.map(|g| g.0)),
            grievances::updated_at.eq(at),
        ))
        .execute(conn)?;
    if let Some((neighbourhood, theme, old_status)) = before {
        move_count(conn, neighbourhood, (theme, old_status), (theme, status))?;
    }
    Ok(changed)
}

// ---- counts ----

/// The counter a grievance is in: (neighbourhood, theme, status).
fn counted_key(
    conn: &mut DbConnection,
    id: GrievanceId,
) -> QueryResult<Option<(NeighbourhoodId, ThemeId, Status)>> {
    let row: Option<(i64, i64, String)> = grievances::table
        .find(id.0)
        .select((
            grievances::neighbourhood_id,
            grievances::theme_id,
            grievances::status,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(|(n, t, s)| (NeighbourhoodId(n), ThemeId(t), Status::parse(&s))))
}

/// A grievance moved from one counter to another (no-op when they are the same). Old before
/// new: statuses only move forward, so concurrent changes take the counter rows in the same
/// order and never wait on each other in a circle.
fn move_count(
    conn: &mut DbConnection,
    neighbourhood: NeighbourhoodId,
    from: (ThemeId, Status),
    to: (ThemeId, Status),
) -> QueryResult<()> {
    if from != to {
        add_to_count(conn, neighbourhood, from.0, from.1, -1)?;
        add_to_count(conn, neighbourhood, to.0, to.1, 1)?;
    }
    Ok(())
}

fn add_to_count(
    conn: &mut DbConnection,
    neighbourhood: NeighbourhoodId,
    theme: ThemeId,
    status: Status,
    delta: i64,
) -> QueryResult<usize> {
    backend_specific::add_to_grievance_count(conn, neighbourhood.0, theme.0, status.as_str(), delta)
}

/// How many grievances of `neighbourhoods` have one of `statuses` (and one of `themes`, when
/// given), from the counters: one statement over at most neighbourhoods × themes × statuses
/// rows.
pub fn counted(
    conn: &mut DbConnection,
    neighbourhoods: &[NeighbourhoodId],
    statuses: &[Status],
    themes: &[ThemeId],
) -> QueryResult<i64> {
    let statuses: Vec<&'static str> = statuses.iter().map(|s| s.as_str()).collect();
    let neighbourhoods: Vec<i64> = neighbourhoods.iter().map(|n| n.0).collect();
    let mut query = grievance_counts::table
        .filter(grievance_counts::neighbourhood_id.eq_any(neighbourhoods))
        .filter(grievance_counts::status.eq_any(statuses))
        .select(grievance_counts::grievances)
        .into_boxed();
    if !themes.is_empty() {
        let ids: Vec<i64> = themes.iter().map(|t| t.0).collect();
        query = query.filter(grievance_counts::theme_id.eq_any(ids));
    }
    Ok(query.load::<i64>(conn)?.into_iter().sum())
}

pub fn insert_status_change(
    conn: &mut DbConnection,
    id: GrievanceId,
    from: Status,
    to: Status,
    reason: &str,
    actor: Option<UserId>,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(grievance_status_changes::table)
        .values((
            grievance_status_changes::grievance_id.eq(id.0),
            grievance_status_changes::from_status.eq(from.as_str()),
            grievance_status_changes::to_status.eq(to.as_str()),
            grievance_status_changes::reason.eq(reason),
            grievance_status_changes::actor_user_id.eq(actor.map(|a| a.0)),
            grievance_status_changes::created_at.eq(at),
        ))
        .execute(conn)
}

/// The updates and status histories of `ids`, oldest first, with the names of who made each
/// change: one statement.
pub fn timelines(
    conn: &mut DbConnection,
    ids: &[GrievanceId],
) -> QueryResult<HashMap<GrievanceId, Timeline>> {
    let raw: Vec<i64> = ids.iter().map(|i| i.0).collect();
    let mut rows = backend_specific::timeline(conn, &raw)?;
    rows.sort_by_key(|r| (r.0, r.1));
    let mut out: HashMap<GrievanceId, Timeline> = HashMap::new();
    for (grievance, id, text, at, from, to, actor, name, deleted) in rows {
        let entry = out.entry(GrievanceId(grievance)).or_default();
        match (from, to) {
            (Some(from), Some(to)) => entry.history.push(StatusChange {
                from: Status::parse(&from),
                to: Status::parse(&to),
                reason: text,
                by: match (actor, name, deleted) {
                    (Some(id), Some(name), None) => Some((UserId(id), name)),
                    _ => None,
                },
                at,
            }),
            _ => entry.updates.push(GrievanceUpdate {
                id,
                text,
                created_at: at,
            }),
        }
    }
    Ok(out)
}

/// The filters of a list, resolved to ids and keys.
#[derive(Debug, Clone)]
pub struct ListFilter {
    pub neighbourhood: NeighbourhoodId,
    pub theme_ids: Vec<ThemeId>,
    pub statuses: Vec<Status>,
    /// Distance origin and, when given, the largest key (radius).
    pub near: Option<(PlanarDistance, Option<i64>)>,
    /// Only grievances with a place (implied by `near`).
    pub located_only: bool,
}

type Boxed<'a> = grievances::BoxedQuery<'a, MultiBackend>;

fn filtered(filter: &ListFilter) -> Boxed<'static> {
    let statuses: Vec<&'static str> = filter.statuses.iter().map(|s| s.as_str()).collect();
    let mut query = grievances::table
        .filter(grievances::neighbourhood_id.eq(filter.neighbourhood.0))
        .filter(grievances::status.eq_any(statuses))
        .into_boxed();
    if !filter.theme_ids.is_empty() {
        let ids: Vec<i64> = filter.theme_ids.iter().map(|t| t.0).collect();
        query = query.filter(grievances::theme_id.eq_any(ids));
    }
    if filter.located_only {
        query = query
            .filter(grievances::latitude_e6.is_not_null())
            .filter(grievances::longitude_e6.is_not_null());
    }
    if let Some((planar, max_key)) = filter.near {
        query = query
            .filter(grievances::latitude_e6.is_not_null())
            .filter(grievances::longitude_e6.is_not_null());
        if let Some(max_key) = max_key {
            query = query.filter(distance_key(planar).le(max_key));
        }
    }
    query
}

/// The SQL twin of `PlanarDistance::key`: integer arithmetic, identical on both backends.
fn distance_key(
    planar: PlanarDistance,
) -> diesel::dsl::Add<diesel::dsl::Mul<DyExpr, DyExpr>, diesel::dsl::Mul<DxExpr, DxExpr>> {
    dy(planar) * dy(planar) + dx(planar) * dx(planar)
}

type DyExpr = diesel::dsl::Sub<diesel::dsl::AssumeNotNull<grievances::latitude_e6>, i64>;
type DxExpr = diesel::dsl::Div<
    diesel::dsl::Mul<
        diesel::dsl::Sub<diesel::dsl::AssumeNotNull<grievances::longitude_e6>, i64>,
        i64,
    >,
    i64,
>;

fn dy(planar: PlanarDistance) -> DyExpr {
    grievances::latitude_e6.assume_not_null() - planar.origin.latitude_e6
}

fn dx(planar: PlanarDistance) -> DxExpr {
    (grievances::longitude_e6.assume_not_null() - planar.origin.longitude_e6)
        * planar.longitude_scale_e6
        / 1_000_000_i64
}

/// The ids of up to `limit` grievances after `after` in `order`: a narrow read that the list
/// indexes can answer; `listed` then reads those rows with what a list shows beside them.
pub fn page_ids(
    conn: &mut DbConnection,
    filter: &ListFilter,
    order: Order,
    after: Option<GrievanceCursor>,
    limit: i64,
) -> QueryResult<Vec<GrievanceId>> {
    let query = filtered(filter).limit(limit).select(grievances::id);
    let ids: Vec<i64> = match order {
        Order::Top => {
            let mut query =
                query.order_by((grievances::cosign_count.desc(), grievances::id.desc()));
            if let Some(GrievanceCursor::Top { cosigns, id }) = after {
                query = query.filter(
                    grievances::cosign_count
                        .lt(cosigns)
                        .or(grievances::cosign_count
                            .eq(cosigns)
                            .and(grievances::id.lt(id.0))),
                );
            }
            query.load(conn)?
        }
        Order::Newest => {
            let mut query = query.order_by(grievances::id.desc());
            if let Some(GrievanceCursor::Newest { id }) = after {
                query = query.filter(grievances::id.lt(id.0));
            }
            query.load(conn)?
        }
        Order::Nearest => {
            let Some((planar, _)) = filter.near else {
                return Ok(Vec::new());
            };
            let mut query = query.order_by((distance_key(planar).asc(), grievances::id.asc()));
            if let Some(GrievanceCursor::Nearest { key, id }) = after {
                query = query.filter(
                    distance_key(planar)
                        .gt(key)
                        .or(distance_key(planar).eq(key).and(grievances::id.gt(id.0))),
                );
            }
            query.load(conn)?
        }
    };
    Ok(ids.into_iter().map(GrievanceId).collect())
}

/// A grievance with what every view of it needs: its neighbourhood, its author's name (`None`
/// for a deleted account) and whether the viewer co-signed it.
pub struct ListedRow {
    pub grievance: Grievance,
    pub neighbourhood: Neighbourhood,
    pub author_name: Option<String>,
    pub viewer_cosigned: bool,
}

type ListedTuple = (
    GrievanceRow,
    NeighbourhoodRow,
    String,
    Option<NaiveDateTime>,
    bool,
);

/// The grievances `ids` (in no particular order), and with `family_of` also the grievances
/// merged into that one, each with its neighbourhood, author's name and whether `viewer`
/// co-signed it: one statement.
pub fn listed(
    conn: &mut DbConnection,
    ids: &[GrievanceId],
    family_of: Option<GrievanceId>,
    viewer: Option<UserId>,
) -> QueryResult<Vec<ListedRow>> {
    let raw: Vec<i64> = ids.iter().map(|i| i.0).collect();
    let viewer: Vec<i64> = viewer.into_iter().map(|u| u.0).collect();
    let cosigned = diesel::dsl::exists(
        grievance_cosigns::table
            .filter(grievance_cosigns::grievance_id.eq(grievances::id))
            .filter(grievance_cosigns::user_id.eq_any(viewer)),
    );
    let mut query = grievances::table
        .inner_join(neighbourhoods::table)
        .inner_join(users::table)
        .filter(grievances::id.eq_any(raw))
        .select((
            GrievanceRow::as_select(),
            NeighbourhoodRow::as_select(),
            users::display_name,
            users::deleted_at,
            cosigned,
        ))
        .into_boxed();
    if let Some(survivor) = family_of {
        query = query.or_filter(grievances::merged_into_id.eq(survivor.0));
    }
    let rows: Vec<ListedTuple> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(g, n, name, deleted, cosigned)| ListedRow {
            grievance: g.into(),
            neighbourhood: n.into(),
            author_name: deleted.is_none().then_some(name),
            viewer_cosigned: cosigned,
        })
        .collect())
}

/// Up to `limit` grievances linked to `campaign`, newest first, before `after`, as `listed`
/// reads them: one statement.
pub fn listed_in_campaign(
    conn: &mut DbConnection,
    campaign: CampaignId,
    after: Option<GrievanceId>,
    limit: i64,
    viewer: Option<UserId>,
) -> QueryResult<Vec<ListedRow>> {
    let viewer: Vec<i64> = viewer.into_iter().map(|u| u.0).collect();
    let cosigned = diesel::dsl::exists(
        grievance_cosigns::table
            .filter(grievance_cosigns::grievance_id.eq(grievances::id))
            .filter(grievance_cosigns::user_id.eq_any(viewer)),
    );
    let mut query = grievances::table
        .inner_join(neighbourhoods::table)
        .inner_join(users::table)
        .filter(grievances::campaign_id.eq(campaign.0))
        .order_by(grievances::id.desc())
        .limit(limit)
        .select((
            GrievanceRow::as_select(),
            NeighbourhoodRow::as_select(),
            users::display_name,
            users::deleted_at,
            cosigned,
        ))
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(grievances::id.lt(after.0));
    }
    let rows: Vec<ListedTuple> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(g, n, name, deleted, cosigned)| ListedRow {
            grievance: g.into(),
            neighbourhood: n.into(),
            author_name: deleted.is_none().then_some(name),
            viewer_cosigned: cosigned,
        })
        .collect())
}

/// How many grievances are linked to `campaign` (from its index).
pub fn count_in_campaign(conn: &mut DbConnection, campaign: CampaignId) -> QueryResult<i64> {
    grievances::table
        .filter(grievances::campaign_id.eq(campaign.0))
        .count()
        .get_result(conn)
}

/// The ids of up to `limit` OPEN grievances of `neighbourhoods` after id `after`, oldest
/// first (one statement; `listed` then reads the rows).
pub fn open_ids_in(
    conn: &mut DbConnection,
    neighbourhoods: &[NeighbourhoodId],
    after: Option<GrievanceId>,
    limit: i64,
) -> QueryResult<Vec<GrievanceId>> {
    let raw: Vec<i64> = neighbourhoods.iter().map(|n| n.0).collect();
    let mut page = grievances::table
        .filter(grievances::neighbourhood_id.eq_any(raw))
        .filter(grievances::status.eq(Status::Open.as_str()))
        .order_by(grievances::id.asc())
        .limit(limit)
        .select(grievances::id)
        .into_boxed::<MultiBackend>();
    if let Some(after) = after {
        page = page.filter(grievances::id.gt(after.0));
    }
    let ids: Vec<i64> = page.load(conn)?;
    Ok(ids.into_iter().map(GrievanceId).collect())
}

pub fn count(conn: &mut DbConnection, filter: &ListFilter) -> QueryResult<i64> {
    filtered(filter).count().get_result(conn)
}

/// Display names by id (one statement); `None` for deleted accounts.
pub fn names(
    conn: &mut DbConnection,
    ids: &[UserId],
) -> QueryResult<HashMap<UserId, Option<String>>> {
    let raw: Vec<i64> = ids.iter().map(|i| i.0).collect();
    let rows: Vec<(i64, String, Option<NaiveDateTime>)> = users::table
        .filter(users::id.eq_any(raw))
        .select((users::id, users::display_name, users::deleted_at))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, deleted)| (UserId(id), deleted.is_none().then_some(name)))
        .collect())
}

// ---- co-signs ----

/// Which of `ids` the user co-signed (one statement).
pub fn cosigned_by(
    conn: &mut DbConnection,
    user: UserId,
    ids: &[GrievanceId],
) -> QueryResult<HashSet<GrievanceId>> {
    let raw: Vec<i64> = ids.iter().map(|i| i.0).collect();
    let rows: Vec<i64> = grievance_cosigns::table
        .filter(grievance_cosigns::user_id.eq(user.0))
        .filter(grievance_cosigns::grievance_id.eq_any(raw))
        .select(grievance_cosigns::grievance_id)
        .load(conn)?;
    Ok(rows.into_iter().map(GrievanceId).collect())
}

/// Insert a co-sign; fails with a unique violation when it exists.
pub fn insert_cosign(
    conn: &mut DbConnection,
    grievance: GrievanceId,
    user: UserId,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(grievance_cosigns::table)
        .values((
            grievance_cosigns::grievance_id.eq(grievance.0),
            grievance_cosigns::user_id.eq(user.0),
            grievance_cosigns::created_at.eq(at),
        ))
        .execute(conn)
}

pub fn delete_cosign(
    conn: &mut DbConnection,
    grievance: GrievanceId,
    user: UserId,
) -> QueryResult<usize> {
    diesel::delete(
        grievance_cosigns::table
            .filter(grievance_cosigns::grievance_id.eq(grievance.0))
            .filter(grievance_cosigns::user_id.eq(user.0)),
    )
    .execute(conn)
}

/// Add `delta` to the stored co-sign count in one atomic statement.
pub fn add_to_cosign_count(
    conn: &mut DbConnection,
    grievance: GrievanceId,
    delta: i64,
) -> QueryResult<usize> {
    diesel::update(grievances::table.find(grievance.0))
        .set(grievances::cosign_count.eq(grievances::cosign_count + delta))
        .execute(conn)
}

/// Set the stored counts to what the rows say.
pub fn recount(conn: &mut DbConnection, grievance: GrievanceId) -> QueryResult<usize> {
    let cosigns: i64 = grievance_cosigns::table
        .filter(grievance_cosigns::grievance_id.eq(grievance.0))
        .count()
        .get_result(conn)?;
    let comments: i64 = grievance_comments::table
        .filter(grievance_comments::grievance_id.eq(grievance.0))
        .count()
        .get_result(conn)?;
    diesel::update(grievances::table.find(grievance.0))
        .set((
            grievances::cosign_count.eq(cosigns),
            grievances::comment_count.eq(comments),
        ))
        .execute(conn)
}

/// The people who co-signed `grievance`.
pub fn cosigners(conn: &mut DbConnection, grievance: GrievanceId) -> QueryResult<Vec<UserId>> {
    grievance_cosigns::table
        .filter(grievance_cosigns::grievance_id.eq(grievance.0))
        .select(grievance_cosigns::user_id)
        .load::<i64>(conn)
        .map(|ids| ids.into_iter().map(UserId).collect())
}

/// Move the co-signs of `from` to `to`, skipping people who already co-signed `to` (or who
/// raised it); the rest are deleted with `from`'s rows. Returns the people moved.
pub fn move_cosigns(
    conn: &mut DbConnection,
    from: &[GrievanceId],
    to: GrievanceId,
    skip: &HashSet<UserId>,
    at: NaiveDateTime,
) -> QueryResult<Vec<UserId>> {
    let raw: Vec<i64> = from.iter().map(|i| i.0).collect();
    let movers: Vec<i64> = grievance_cosigns::table
        .filter(grievance_cosigns::grievance_id.eq_any(raw.clone()))
        .select(grievance_cosigns::user_id)
        .distinct()
        .load(conn)?;
    diesel::delete(grievance_cosigns::table.filter(grievance_cosigns::grievance_id.eq_any(raw)))
        .execute(conn)?;
    let people: Vec<UserId> = movers
        .into_iter()
        .map(UserId)
        .filter(|u| !skip.contains(u))
        .collect();
    insert_cosigns(conn, to, &people, at)?;
    Ok(people)
}

/// Add co-signs for `people` (who have none on `to` yet).
pub fn insert_cosigns(
    conn: &mut DbConnection,
    to: GrievanceId,
    people: &[UserId],
    at: NaiveDateTime,
) -> QueryResult<()> {
    // One statement per person: multi-row inserts are not available across both backends.
    for person in people {
        insert_cosign(conn, to, *person, at)?;
    }
    Ok(())
}

// ---- updates ----

pub fn insert_update(
    conn: &mut DbConnection,
    grievance: GrievanceId,
    text: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(grievance_updates::table)
        .values((
            grievance_updates::grievance_id.eq(grievance.0),
            grievance_updates::body.eq(text),
            grievance_updates::created_at.eq(at),
        ))
        .execute(conn)
}

// ---- comments ----

pub fn insert_comment(
    conn: &mut DbConnection,
    grievance: GrievanceId,
    author: UserId,
    anonymous: bool,
    text: &str,
    at: NaiveDateTime,
) -> QueryResult<CommentId> {
    diesel::insert_into(grievance_comments::table)
        .values((
            grievance_comments::grievance_id.eq(grievance.0),
            grievance_comments::author_user_id.eq(author.0),
            grievance_comments::author_anonymous.eq(i32::from(anonymous)),
            grievance_comments::body.eq(text),
            grievance_comments::created_at.eq(at),
        ))
        .execute(conn)?;
    let id = last_insert_id(conn).map(CommentId)?;
    diesel::update(grievances::table.find(grievance.0))
        .set(grievances::comment_count.eq(grievances::comment_count + 1_i64))
        .execute(conn)?;
    Ok(id)
}

pub fn find_comment(conn: &mut DbConnection, id: CommentId) -> QueryResult<Option<CommentRecord>> {
    grievance_comments::table
        .find(id.0)
        .select(CommentRecord::as_select())
        .first(conn)
        .optional()
}

pub fn update_comment(
    conn: &mut DbConnection,
    id: CommentId,
    text: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(grievance_comments::table.find(id.0))
        .set((
            grievance_comments::body.eq(text),
            grievance_comments::edited_at.eq(at),
        ))
        .execute(conn)
}

pub fn hide_comment(
    conn: &mut DbConnection,
    id: CommentId,
    reason: &str,
    by: UserId,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(grievance_comments::table.find(id.0))
        .set((
            grievance_comments::hidden_at.eq(at),
            grievance_comments::hidden_reason.eq(reason),
            grievance_comments::hidden_by_user_id.eq(by.0),
        ))
        .execute(conn)
}

/// Up to `limit` comments of `grievance` after `after`, oldest first.
pub fn comments(
    conn: &mut DbConnection,
    grievance: GrievanceId,
    after: Option<CommentCursor>,
    limit: i64,
) -> QueryResult<Vec<CommentRecord>> {
    let mut query = grievance_comments::table
        .filter(grievance_comments::grievance_id.eq(grievance.0))
        .order_by((
            grievance_comments::created_at.asc(),
            grievance_comments::id.asc(),
        ))
        .limit(limit)
        .select(CommentRecord::as_select())
        .into_boxed();
    if let Some(c) = after {
        query = query.filter(
            grievance_comments::created_at
                .gt(c.created_at)
                .or(grievance_comments::created_at
                    .eq(c.created_at)
                    .and(grievance_comments::id.gt(c.id.0))),
        );
    }
    query.load(conn)
}

/// A comment with what its view needs: the author's name (`None` for a deleted account), how
/// often it was reported, and whether the viewer reported it.
pub struct CommentRow {
    pub record: CommentRecord,
    pub author_name: Option<String>,
    pub report_count: i64,
    pub viewer_reported: bool,
}

type CommentTuple = (
    CommentRecord,
    String,
    Option<NaiveDateTime>,
    Option<i64>,
    bool,
);

/// Up to `limit` comments of `grievance` after `after`, oldest first, each with its author's
/// name and reports as `viewer` may see them: one statement.
pub fn comment_page(
    conn: &mut DbConnection,
    grievance: GrievanceId,
    after: Option<CommentCursor>,
    limit: i64,
    viewer: Option<UserId>,
) -> QueryResult<Vec<CommentRow>> {
    let viewer: Vec<i64> = viewer.into_iter().map(|u| u.0).collect();
    let reports = grievance_comment_reports::table
        .filter(grievance_comment_reports::comment_id.eq(grievance_comments::id))
        .count()
        .single_value();
    let reported = diesel::dsl::exists(
        grievance_comment_reports::table
            .filter(grievance_comment_reports::comment_id.eq(grievance_comments::id))
            .filter(grievance_comment_reports::user_id.eq_any(viewer)),
    );
    let mut query = grievance_comments::table
        .inner_join(users::table.on(users::id.eq(grievance_comments::author_user_id)))
        .filter(grievance_comments::grievance_id.eq(grievance.0))
        .order_by((
            grievance_comments::created_at.asc(),
            grievance_comments::id.asc(),
        ))
        .limit(limit)
        .select((
            CommentRecord::as_select(),
            users::display_name,
            users::deleted_at,
            reports,
            reported,
        ))
        .into_boxed();
    if let Some(c) = after {
        query = query.filter(
            grievance_comments::created_at
                .gt(c.created_at)
                .or(grievance_comments::created_at
                    .eq(c.created_at)
                    .and(grievance_comments::id.gt(c.id.0))),
        );
    }
    let rows: Vec<CommentTuple> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(record, name, deleted, reports, reported)| CommentRow {
            record,
            author_name: deleted.is_none().then_some(name),
            report_count: reports.unwrap_or(0),
            viewer_reported: reported,
        })
        .collect())
}

pub fn comment_count(conn: &mut DbConnection, grievance: GrievanceId) -> QueryResult<i64> {
    grievance_comments::table
        .filter(grievance_comments::grievance_id.eq(grievance.0))
        .count()
        .get_result(conn)
}

/// Move every comment of `from` to `to` (their anonymity stays as written).
pub fn move_comments(
    conn: &mut DbConnection,
    from: &[GrievanceId],
    to: GrievanceId,
) -> QueryResult<usize> {
    let raw: Vec<i64> = from.iter().map(|i| i.0).collect();
    diesel::update(grievance_comments::table.filter(grievance_comments::grievance_id.eq_any(raw)))
        .set(grievance_comments::grievance_id.eq(to.0))
        .execute(conn)
}

/// Record a report; fails with a unique violation when this person reported it before.
pub fn insert_report(
    conn: &mut DbConnection,
    comment: CommentId,
    user: UserId,
    reason: Option<&str>,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(grievance_comment_reports::table)
        .values((
            grievance_comment_reports::comment_id.eq(comment.0),
            grievance_comment_reports::user_id.eq(user.0),
            grievance_comment_reports::reason.eq(reason),
            grievance_comment_reports::created_at.eq(at),
        ))
        .execute(conn)
}

pub fn has_reported(
    conn: &mut DbConnection,
    comment: CommentId,
    user: UserId,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        grievance_comment_reports::table
            .filter(grievance_comment_reports::comment_id.eq(comment.0))
            .filter(grievance_comment_reports::user_id.eq(user.0)),
    ))
    .get_result(conn)
}

/// Report counts per comment (one statement).
pub fn report_counts(
    conn: &mut DbConnection,
    ids: &[CommentId],
) -> QueryResult<HashMap<CommentId, i64>> {
    let raw: Vec<i64> = ids.iter().map(|i| i.0).collect();
    let rows: Vec<(i64, i64)> = grievance_comment_reports::table
        .filter(grievance_comment_reports::comment_id.eq_any(raw))
        .group_by(grievance_comment_reports::comment_id)
        .select((
            grievance_comment_reports::comment_id,
            diesel::dsl::count_star(),
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, n)| (CommentId(id), n)).collect())
}

/// Which of `ids` the user reported (one statement).
pub fn reported_by(
    conn: &mut DbConnection,
    user: UserId,
    ids: &[CommentId],
) -> QueryResult<HashSet<CommentId>> {
    let raw: Vec<i64> = ids.iter().map(|i| i.0).collect();
    let rows: Vec<i64> = grievance_comment_reports::table
        .filter(grievance_comment_reports::user_id.eq(user.0))
        .filter(grievance_comment_reports::comment_id.eq_any(raw))
        .select(grievance_comment_reports::comment_id)
        .load(conn)?;
    Ok(rows.into_iter().map(CommentId).collect())
}

// ---- one person's data (the "my data" export) ----

/// What one person contributed to grievances, for their data export: grievances raised,
/// comments, co-signs and reports (four statements).
pub fn contributions_of(conn: &mut DbConnection, user: UserId) -> QueryResult<serde_json::Value> {
    let iso = |t: NaiveDateTime| {
        t.and_utc()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    };
    let raised: Vec<Grievance> = grievances::table
        .filter(grievances::author_user_id.eq(user.0))
        .order_by(grievances::id.asc())
        .select(GrievanceRow::as_select())
        .load::<GrievanceRow>(conn)?
        .into_iter()
        .map(Into::into)
        .collect();
    let comments: Vec<(String, String, NaiveDateTime, Option<NaiveDateTime>)> =
        grievance_comments::table
            .inner_join(grievances::table)
            .filter(grievance_comments::author_user_id.eq(user.0))
            .order_by(grievance_comments::id.asc())
            .select((
                grievances::title,
                grievance_comments::body,
                grievance_comments::created_at,
                grievance_comments::hidden_at,
            ))
            .load(conn)?;
    let cosigns: Vec<(String, NaiveDateTime)> = grievance_cosigns::table
        .inner_join(grievances::table)
        .filter(grievance_cosigns::user_id.eq(user.0))
        .order_by(grievance_cosigns::id.asc())
        .select((grievances::title, grievance_cosigns::created_at))
        .load(conn)?;
    let reports: Vec<(Option<String>, NaiveDateTime)> = grievance_comment_reports::table
        .filter(grievance_comment_reports::user_id.eq(user.0))
        .order_by(grievance_comment_reports::id.asc())
        .select((
            grievance_comment_reports::reason,
            grievance_comment_reports::created_at,
        ))
        .load(conn)?;
    Ok(serde_json::json!({
        "raised": raised.iter().map(|g| serde_json::json!({
            "title": g.title,
            "text": g.text,
            "status": g.status.as_str(),
            "showName": g.show_name,
            "location": g.location.map(|p| serde_json::json!({ "lat": p.latitude(), "lon": p.longitude() })),
            "createdAt": iso(g.created_at),
        })).collect::<Vec<_>>(),
        "comments": comments.into_iter().map(|(title, text, at, hidden)| serde_json::json!({
            "grievance": title, "text": text, "createdAt": iso(at), "hiddenAt": hidden.map(iso),
        })).collect::<Vec<_>>(),
        "cosigned": cosigns.into_iter().map(|(title, at)| serde_json::json!({ "grievance": title, "at": iso(at) })).collect::<Vec<_>>(),
        "commentReports": reports.into_iter().map(|(reason, at)| serde_json::json!({ "reason": reason, "at": iso(at) })).collect::<Vec<_>>(),
    }))
}
