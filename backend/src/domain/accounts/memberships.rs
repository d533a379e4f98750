//! Memberships of neighbourhoods, with roles. Residents join (unverified); an organiser of that
//! neighbourhood (or an admin) verifies residency, which later gives a vote in its budget.
//! Admins appoint organisers.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::Role;
use super::sessions::user_by_id;
use crate::db::schema::{memberships, neighbourhoods};
use crate::db::{DbConnection, write_transaction};
use crate::domain::audit::{self, AuditEntry};
use crate::domain::ids::{NeighbourhoodId, UserId};
use crate::domain::neighbourhoods::model::NeighbourhoodRow;
use crate::domain::neighbourhoods::{Neighbourhood, repo as neighbourhoods_repo};
use crate::domain::{Actor, DomainError, DomainResult, FieldProblem, ProblemCode, now};

/// A person's membership of a neighbourhood.
#[derive(Debug, Clone)]
pub struct Membership {
    pub user: UserId,
    pub neighbourhood: Neighbourhood,
    pub role: Role,
    pub verified_at: Option<NaiveDateTime>,
    pub joined_at: NaiveDateTime,
}

/// A member as an organiser of the neighbourhood sees them: a name, never contact details.
#[derive(Debug, Clone)]
pub struct Member {
    pub user: UserId,
    pub display_name: String,
    pub role: Role,
    pub verified_at: Option<NaiveDateTime>,
    pub joined_at: NaiveDateTime,
}

fn parse_role(raw: &str) -> Role {
    if raw == Role::Organiser.as_str() {
        Role::Organiser
    } else {
        Role::Resident
    }
}

/// The memberships of one person, with their neighbourhoods (one statement).
pub fn of_user(conn: &mut DbConnection, user: UserId) -> DomainResult<Vec<Membership>> {
    let rows: Vec<(
        String,
        Option<NaiveDateTime>,
        NaiveDateTime,
        NeighbourhoodRow,
    )> = memberships::table
        .inner_join(neighbourhoods::table)
        .filter(memberships::user_id.eq(user.0))
        .order_by((neighbourhoods::name.asc(), neighbourhoods::id.asc()))
        .select((
            memberships::role,
            memberships::verified_at,
            memberships::created_at,
            NeighbourhoodRow::as_select(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(role, verified_at, joined_at, neighbourhood)| Membership {
            user,
            neighbourhood: neighbourhood.into(),
            role: parse_role(&role),
            verified_at,
            joined_at,
        })
        .collect())
}

fn role_in(
    conn: &mut DbConnection,
    user: UserId,
    neighbourhood: NeighbourhoodId,
) -> QueryResult<Option<Role>> {
    memberships::table
        .filter(memberships::user_id.eq(user.0))
        .filter(memberships::neighbourhood_id.eq(neighbourhood.0))
        .select(memberships::role)
        .first::<String>(conn)
        .optional()
        .map(|r| r.map(|r| parse_role(&r)))
}

/// Organisers of this neighbourhood and admins may manage its members.
pub fn may_manage_members(
    conn: &mut DbConnection,
    actor: &Actor,
    neighbourhood: NeighbourhoodId,
) -> DomainResult<()> {
    let person = actor.person().ok_or(DomainError::Unauthenticated)?;
    if person.is_admin || role_in(conn, person.id, neighbourhood)? == Some(Role::Organiser) {
        Ok(())
    } else {
        Err(DomainError::Forbidden)
    }
}

fn existing_neighbourhood(
    conn: &mut DbConnection,
    id: NeighbourhoodId,
) -> DomainResult<Neighbourhood> {
    neighbourhoods_repo::find_by_id(conn, id)?.ok_or(DomainError::NotFound {
        entity: "neighbourhood",
    })
}

fn membership(
    conn: &mut DbConnection,
    user: UserId,
    neighbourhood: NeighbourhoodId,
) -> DomainResult<Membership> {
    of_user(conn, user)?
        .into_iter()
        .find(|m| m.neighbourhood.id == neighbourhood)
        .ok_or(DomainError::NotFound {
            entity: "membership",
        })
}

/// Join a neighbourhood as a resident (unverified).
pub fn join(
    conn: &mut DbConnection,
    actor: &Actor,
    neighbourhood: NeighbourhoodId,
) -> DomainResult<Membership> {
    let person = actor.person().ok_or(DomainError::Unauthenticated)?;
    write_transaction(conn, |conn| {
        existing_neighbourhood(conn, neighbourhood)?;
        if role_in(conn, person.id, neighbourhood)?.is_some() {
            return Err(DomainError::Conflict(vec![FieldProblem::new(
                "neighbourhoodId",
                ProblemCode::Taken,
            )]));
        }
        let at = now();
        super::repo::insert_membership(conn, person.id, neighbourhood, Role::Resident, None, at)?;
        membership(conn, person.id, neighbourhood)
    })
}

/// Make `user` an unverified resident of `neighbourhood` unless they are a member already:
/// raising or co-signing there joins implicitly. Returns whether a membership was made (call
/// inside the use case's write transaction).
pub fn ensure_member(
    conn: &mut DbConnection,
    user: UserId,
    neighbourhood: NeighbourhoodId,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    if role_in(conn, user, neighbourhood)?.is_some() {
        return Ok(false);
    }
    super::repo::insert_membership(conn, user, neighbourhood, Role::Resident, None, at)?;
    Ok(true)
}

/// Leave a neighbourhood.
pub fn leave(
    conn: &mut DbConnection,
    actor: &Actor,
    neighbourhood: NeighbourhoodId,
) -> DomainResult<()> {
    let person = actor.person().ok_or(DomainError::Unauthenticated)?;
    let removed = diesel::delete(
        memberships::table
            .filter(memberships::user_id.eq(person.id.0))
            .filter(memberships::neighbourhood_id.eq(neighbourhood.0)),
    )
    .execute(conn)?;
    if removed == 0 {
        return Err(DomainError::NotFound {
            entity: "membership",
        });
    }
    Ok(())
}

/// Members of a neighbourhood (all, or one person), oldest first.
fn load_members(
    conn: &mut DbConnection,
    neighbourhood: NeighbourhoodId,
    only: Option<UserId>,
) -> QueryResult<Vec<Member>> {
    use crate::db::schema::users;
    let mut query = memberships::table
        .inner_join(users::table)
        .filter(memberships::neighbourhood_id.eq(neighbourhood.0))
        .order_by(memberships::created_at.asc())
        .select((
            users::id,
            users::display_name,
            memberships::role,
            memberships::verified_at,
            memberships::created_at,
        ))
        .into_boxed();
    if let Some(person) = only {
        query = query.filter(memberships::user_id.eq(person.0));
    }
    let rows: Vec<(i64, String, String, Option<NaiveDateTime>, NaiveDateTime)> =
        query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, display_name, role, verified_at, joined_at)| Member {
            user: UserId(id),
            display_name,
            role: parse_role(&role),
            verified_at,
            joined_at,
        })
        .collect())
}

fn member(
    conn: &mut DbConnection,
    neighbourhood: NeighbourhoodId,
    person: UserId,
) -> DomainResult<Member> {
    load_members(conn, neighbourhood, Some(person))?
        .pop()
        .ok_or(DomainError::NotFound {
            entity: "membership",
        })
}

/// The members of a neighbourhood, for its organisers and admins.
pub fn members(
    conn: &mut DbConnection,
    actor: &Actor,
    neighbourhood: NeighbourhoodId,
) -> DomainResult<Vec<Member>> {
    may_manage_members(conn, actor, neighbourhood)?;
    Ok(load_members(conn, neighbourhood, None)?)
}

/// Verify that a member lives in the neighbourhood (organisers of it, admins).
pub fn verify_residency(
    conn: &mut DbConnection,
    actor: &Actor,
    neighbourhood: NeighbourhoodId,
    person: UserId,
) -> DomainResult<Member> {
    write_transaction(conn, |conn| {
        may_manage_members(conn, actor, neighbourhood)?;
        let updated = diesel::update(
            memberships::table
                .filter(memberships::user_id.eq(person.0))
                .filter(memberships::neighbourhood_id.eq(neighbourhood.0)),
        )
        .set(memberships::verified_at.eq(now()))
        .execute(conn)?;
        if updated == 0 {
            return Err(DomainError::NotFound {
                entity: "membership",
            });
        }
        audit::record(
            conn,
            actor,
            AuditEntry::new("membership.verify", "user", Some(person.0))
                .details(serde_json::json!({ "neighbourhood": neighbourhood.0 })),
        )?;
        member(conn, neighbourhood, person)
    })
}

/// Make a person an organiser of a neighbourhood (admins), with an optional reason.
pub fn appoint_organiser(
    conn: &mut DbConnection,
    actor: &Actor,
    neighbourhood: NeighbourhoodId,
    person: UserId,
    reason: Option<String>,
) -> DomainResult<Member> {
    let admin = actor.person().ok_or(DomainError::Unauthenticated)?;
    if !admin.is_admin {
        return Err(DomainError::Forbidden);
    }
    write_transaction(conn, |conn| {
        existing_neighbourhood(conn, neighbourhood)?;
        user_by_id(conn, person)?
            .filter(|u| !u.deleted)
            .ok_or(DomainError::NotFound { entity: "person" })?;
        let at = now();
        match role_in(conn, person, neighbourhood)? {
            Some(_) => {
                diesel::update(
                    memberships::table
                        .filter(memberships::user_id.eq(person.0))
                        .filter(memberships::neighbourhood_id.eq(neighbourhood.0)),
                )
                .set((
                    memberships::role.eq(Role::Organiser.as_str()),
                    memberships::verified_at.eq(at),
                ))
                .execute(conn)?;
            }
            None => {
                super::repo::insert_membership(
                    conn,
                    person,
                    neighbourhood,
                    Role::Organiser,
                    Some(at),
                    at,
                )?;
            }
        }
        let mut entry = AuditEntry::new("membership.appoint_organiser", "user", Some(person.0))
            .details(serde_json::json!({ "neighbourhood": neighbourhood.0 }));
        entry.reason = reason.map(|r| r.trim().chars().take(500).collect());
        audit::record(conn, actor, entry)?;
        member(conn, neighbourhood, person)
    })
}
