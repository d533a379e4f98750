//! Account use cases available before sign-in lands: bootstrap admins and their tokens.

use super::model::{EmailAddress, Language, User};
use super::repo;
use super::tokens::{hash_secret, random_secret};
use crate::db::{DbConnection, write_transaction};
use crate::domain::actor::PersonActor;
use crate::domain::audit::{self, AuditEntry};
use crate::domain::text::checked_text;
use crate::domain::{Actor, DomainError, DomainResult, now};

/// Prefix of admin tokens, so that a leaked one is recognisable in logs and scanners.
pub const ADMIN_TOKEN_PREFIX: &str = "bk_admin_";

/// The result of `create-admin`: the admin and a fresh token, shown once.
#[derive(Debug)]
pub struct AdminWithToken {
    pub user: User,
    pub token: String,
    pub created: bool,
}

/// Create an admin, or promote an existing person, and issue a new admin token. Run from the
/// command line, so there is no acting person; the audit log records it as the system.
pub fn create_admin(
    conn: &mut DbConnection,
    email: &str,
    display_name: &str,
) -> DomainResult<AdminWithToken> {
    let mut problems = Vec::new();
    let email = EmailAddress::parse(email)
        .map_err(|p| problems.push(p))
        .ok();
    let name = checked_text("displayName", display_name, 1, 80, false, &mut problems);
    let Some(email) = email.filter(|_| problems.is_empty()) else {
        return Err(DomainError::Validation(problems));
    };
    let token = random_secret(ADMIN_TOKEN_PREFIX);
    write_transaction(conn, |conn| {
        let at = now();
        let (user, created) = match repo::find_by_email(conn, &email)? {
            Some(existing) => {
                repo::make_admin(conn, existing.id, at)?;
                (existing, false)
            }
            None => (
                repo::insert_user(conn, &email, &name, Language::Dutch, Some(at), at)?,
                true,
            ),
        };
        repo::insert_admin_token(conn, user.id, &hash_secret(&token), "create-admin", at)?;
        audit::record(
            conn,
            &Actor::Visitor,
            AuditEntry::new("admin.create", "user", Some(user.id.0))
                .details(serde_json::json!({ "promoted": !created })),
        )?;
        Ok(AdminWithToken {
            user: User {
                is_admin: true,
                ..user
            },
            token: token.clone(),
            created,
        })
    })
}

/// The actor behind a bearer token, or `Unauthenticated` when it is unknown or revoked.
pub fn actor_for_token(conn: &mut DbConnection, token: &str) -> DomainResult<Actor> {
    if !token.starts_with(ADMIN_TOKEN_PREFIX) || token.len() > 200 {
        return Err(DomainError::Unauthenticated);
    }
    match repo::admin_token_holder(conn, &hash_secret(token))? {
        Some((id, is_admin)) => Ok(Actor::Person(PersonActor {
            id,
            is_admin,
            session: None,
            memberships: None,
        })),
        None => Err(DomainError::Unauthenticated),
    }
}

/// Change the signed-in person's display name and/or language.
pub fn update_profile(
    conn: &mut DbConnection,
    actor: &Actor,
    display_name: Option<&str>,
    language: Option<Language>,
) -> DomainResult<User> {
    use crate::db::schema::users;
    use diesel::prelude::*;
    let person = actor.person().ok_or(DomainError::Unauthenticated)?;
    let mut problems = Vec::new();
    let name = display_name.map(|n| {
        checked_text(
            "displayName",
            n,
            1,
            super::sessions::DISPLAY_NAME_MAX,
            false,
            &mut problems,
        )
    });
    if !problems.is_empty() {
        return Err(DomainError::Validation(problems));
    }
    write_transaction(conn, |conn| {
        let at = now();
        if let Some(name) = &name {
            diesel::update(users::table.find(person.id.0))
                .set((users::display_name.eq(name), users::updated_at.eq(at)))
                .execute(conn)?;
        }
        if let Some(language) = language {
            diesel::update(users::table.find(person.id.0))
                .set((
                    users::language.eq(language.as_str()),
                    users::updated_at.eq(at),
                ))
                .execute(conn)?;
        }
        super::sessions::user_by_id(conn, person.id)?
            .filter(|u| !u.deleted)
            .ok_or(DomainError::Unauthenticated)
    })
}
