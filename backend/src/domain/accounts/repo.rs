//! Queries on people, memberships and admin tokens.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{EmailAddress, Language, Role, User, UserRow};
use crate::db::DbConnection;
use crate::db::schema::{admin_api_tokens, memberships, users};
use crate::domain::ids::{NeighbourhoodId, UserId};

pub fn find_by_email(conn: &mut DbConnection, email: &EmailAddress) -> QueryResult<Option<User>> {
    users::table
        .filter(users::email.eq(email.as_str()))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
        .map(|r| r.map(Into::into))
}

pub fn insert_user(
    conn: &mut DbConnection,
    email: &EmailAddress,
    display_name: &str,
    language: Language,
    admin_since: Option<NaiveDateTime>,
    at: NaiveDateTime,
) -> QueryResult<User> {
    diesel::insert_into(users::table)
        .values((
            users::email.eq(email.as_str()),
            users::display_name.eq(display_name),
            users::language.eq(language.as_str()),
            users::admin_since.eq(admin_since),
            users::created_at.eq(at),
            users::updated_at.eq(at),
        ))
        .execute(conn)?;
    find_by_email(conn, email)?.ok_or(diesel::result::Error::NotFound)
}

pub fn make_admin(conn: &mut DbConnection, id: UserId, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(users::table.find(id.0).filter(users::admin_since.is_null()))
        .set((users::admin_since.eq(at), users::updated_at.eq(at)))
        .execute(conn)
}

pub fn insert_admin_token(
    conn: &mut DbConnection,
    user: UserId,
    token_hash: &str,
    label: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(admin_api_tokens::table)
        .values((
            admin_api_tokens::user_id.eq(user.0),
            admin_api_tokens::token_hash.eq(token_hash),
            admin_api_tokens::label.eq(label),
            admin_api_tokens::created_at.eq(at),
        ))
        .execute(conn)
}

/// The holder of an unrevoked admin token with this hash, and whether they are still an admin.
pub fn admin_token_holder(
    conn: &mut DbConnection,
    token_hash: &str,
) -> QueryResult<Option<(UserId, bool)>> {
    admin_api_tokens::table
        .inner_join(users::table)
        .filter(admin_api_tokens::token_hash.eq(token_hash))
        .filter(admin_api_tokens::revoked_at.is_null())
        .select((users::id, users::admin_since))
        .first::<(i64, Option<NaiveDateTime>)>(conn)
        .optional()
        .map(|r| r.map(|(id, since)| (UserId(id), since.is_some())))
}

pub fn insert_membership(
    conn: &mut DbConnection,
    user: UserId,
    neighbourhood: NeighbourhoodId,
    role: Role,
    verified_at: Option<NaiveDateTime>,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(memberships::table)
        .values((
            memberships::user_id.eq(user.0),
            memberships::neighbourhood_id.eq(neighbourhood.0),
            memberships::role.eq(role.as_str()),
            memberships::verified_at.eq(verified_at),
            memberships::created_at.eq(at),
        ))
        .execute(conn)
}
