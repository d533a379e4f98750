//! Neighbourhood queries. Every function takes the connection, so callers compose them.

use std::collections::HashMap;

use diesel::prelude::*;

use super::model::{NeighbourhoodRow, NewNeighbourhoodRow};
use super::{Neighbourhood, NeighbourhoodCursor};
use crate::db::DbConnection;
use crate::db::schema::{memberships, neighbourhoods, users};
use crate::domain::ids::{NeighbourhoodId, UserId};

pub(super) fn insert(
    conn: &mut DbConnection,
    row: &NewNeighbourhoodRow<'_>,
) -> QueryResult<Neighbourhood> {
    diesel::insert_into(neighbourhoods::table)
        .values(row)
        .execute(conn)?;
    neighbourhoods::table
        .filter(neighbourhoods::slug.eq(row.slug))
        .select(NeighbourhoodRow::as_select())
        .first(conn)
        .map(Into::into)
}

pub fn find_by_slug(conn: &mut DbConnection, slug: &str) -> QueryResult<Option<Neighbourhood>> {
    neighbourhoods::table
        .filter(neighbourhoods::slug.eq(slug))
        .select(NeighbourhoodRow::as_select())
        .first(conn)
        .optional()
        .map(|r| r.map(Into::into))
}

pub fn find_by_id(
    conn: &mut DbConnection,
    id: NeighbourhoodId,
) -> QueryResult<Option<Neighbourhood>> {
    neighbourhoods::table
        .find(id.0)
        .select(NeighbourhoodRow::as_select())
        .first(conn)
        .optional()
        .map(|r| r.map(Into::into))
}

pub fn slug_exists(conn: &mut DbConnection, slug: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        neighbourhoods::table.filter(neighbourhoods::slug.eq(slug)),
    ))
    .get_result(conn)
}

/// Up to `limit` neighbourhoods after `after`, ordered by (name, id).
pub fn list_after(
    conn: &mut DbConnection,
    after: Option<&NeighbourhoodCursor>,
    limit: i64,
) -> QueryResult<Vec<Neighbourhood>> {
    let mut query = neighbourhoods::table
        .select(NeighbourhoodRow::as_select())
        .order_by((neighbourhoods::name.asc(), neighbourhoods::id.asc()))
        .limit(limit)
        .into_boxed();
    if let Some(cursor) = after {
        query = query.filter(
            neighbourhoods::name
                .gt(cursor.name.clone())
                .or(neighbourhoods::name
                    .eq(cursor.name.clone())
                    .and(neighbourhoods::id.gt(cursor.id.0))),
        );
    }
    query
        .load(conn)
        .map(|rows| rows.into_iter().map(Into::into).collect())
}

pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
    neighbourhoods::table.count().get_result(conn)
}

pub(super) fn update_name(
    conn: &mut DbConnection,
    id: NeighbourhoodId,
    name: &str,
    description: Option<&str>,
    now: chrono::NaiveDateTime,
) -> QueryResult<usize> {
    let target = neighbourhoods::table.find(id.0);
    match description {
        Some(d) => diesel::update(target)
            .set((
                neighbourhoods::name.eq(name),
                neighbourhoods::description.eq(d),
                neighbourhoods::updated_at.eq(now),
            ))
            .execute(conn),
        None => diesel::update(target)
            .set((
                neighbourhoods::name.eq(name),
                neighbourhoods::updated_at.eq(now),
            ))
            .execute(conn),
    }
}

pub(super) fn update_area(
    conn: &mut DbConnection,
    id: NeighbourhoodId,
    area: Option<&crate::domain::geo::Area>,
    now: chrono::NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(neighbourhoods::table.find(id.0))
        .set((
            neighbourhoods::area_latitude_e6.eq(area.map(|a| a.center.latitude_e6)),
            neighbourhoods::area_longitude_e6.eq(area.map(|a| a.center.longitude_e6)),
            neighbourhoods::area_radius_meters.eq(area.map(|a| a.radius_meters)),
            neighbourhoods::updated_at.eq(now),
        ))
        .execute(conn)
}

/// Neighbourhoods by id, for a batch (one statement).
pub fn by_ids(
    conn: &mut DbConnection,
    ids: &[NeighbourhoodId],
) -> QueryResult<HashMap<NeighbourhoodId, Neighbourhood>> {
    let raw: Vec<i64> = ids.iter().map(|i| i.0).collect();
    let rows: Vec<NeighbourhoodRow> = neighbourhoods::table
        .filter(neighbourhoods::id.eq_any(raw))
        .select(NeighbourhoodRow::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let n: Neighbourhood = r.into();
            (n.id, n)
        })
        .collect())
}

/// Number of members per neighbourhood, for a batch of neighbourhoods (one statement).
pub fn member_counts(
    conn: &mut DbConnection,
    ids: &[NeighbourhoodId],
) -> QueryResult<HashMap<NeighbourhoodId, i64>> {
    let raw: Vec<i64> = ids.iter().map(|i| i.0).collect();
    let rows: Vec<(i64, i64)> = memberships::table
        .filter(memberships::neighbourhood_id.eq_any(raw))
        .group_by(memberships::neighbourhood_id)
        .select((memberships::neighbourhood_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, n)| (NeighbourhoodId(id), n))
        .collect())
}

/// Organisers (id and display name) per neighbourhood, for a batch (one statement), ordered by
/// display name.
pub fn organisers(
    conn: &mut DbConnection,
    ids: &[NeighbourhoodId],
) -> QueryResult<HashMap<NeighbourhoodId, Vec<(UserId, String)>>> {
    let raw: Vec<i64> = ids.iter().map(|i| i.0).collect();
    let rows: Vec<(i64, i64, String)> = memberships::table
        .inner_join(users::table)
        .filter(memberships::neighbourhood_id.eq_any(raw))
        .filter(memberships::role.eq(crate::domain::accounts::Role::Organiser.as_str()))
        .order_by((users::display_name.asc(), users::id.asc()))
        .select((
            memberships::neighbourhood_id,
            users::id,
            users::display_name,
        ))
        .load(conn)?;
    let mut out: HashMap<NeighbourhoodId, Vec<(UserId, String)>> = HashMap::new();
    for (nid, uid, name) in rows {
        out.entry(NeighbourhoodId(nid))
            .or_default()
            .push((UserId(uid), name));
    }
    Ok(out)
}
