//! "My data" export and account deletion. Deletion erases personal data and keeps what the
//! person wrote, attributed to "a former resident"; counts stay correct because the row stays.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::memberships;
use super::sessions::user_by_id;
use crate::db::schema::{
    admin_api_tokens, audit_log, memberships as memberships_table, outbox_messages, refresh_tokens,
    sign_in_links, users,
};
use crate::db::{DbConnection, write_transaction};
use crate::domain::audit::{self, AuditEntry};
use crate::domain::{Actor, DomainError, DomainResult, now};

fn iso(t: NaiveDateTime) -> String {
    t.and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Everything stored about the signed-in person, as JSON.
pub fn export(conn: &mut DbConnection, actor: &Actor) -> DomainResult<serde_json::Value> {
    let person = actor.person().ok_or(DomainError::Unauthenticated)?;
    let user = user_by_id(conn, person.id)?
        .filter(|u| !u.deleted)
        .ok_or(DomainError::Unauthenticated)?;
    let has_password: Option<String> = users::table
        .find(user.id.0)
        .select(users::password_hash)
        .first(conn)?;
    let memberships: Vec<serde_json::Value> = memberships::of_user(conn, user.id)?
        .into_iter()
        .map(|m| {
            serde_json::json!({
                "neighbourhood": { "slug": m.neighbourhood.slug, "name": m.neighbourhood.name },
                "role": m.role.as_str(),
                "verifiedAt": m.verified_at.map(iso),
                "joinedAt": iso(m.joined_at),
            })
        })
        .collect();
    let sessions: Vec<serde_json::Value> = refresh_tokens::table
        .filter(refresh_tokens::user_id.eq(user.id.0))
        .order_by(refresh_tokens::id.asc())
        .select((refresh_tokens::created_at, refresh_tokens::expires_at, refresh_tokens::used_at, refresh_tokens::revoked_at))
        .load::<(NaiveDateTime, NaiveDateTime, Option<NaiveDateTime>, Option<NaiveDateTime>)>(conn)?
        .into_iter()
        .map(|(created, expires, used, revoked)| {
            serde_json::json!({ "createdAt": iso(created), "expiresAt": iso(expires), "usedAt": used.map(iso), "revokedAt": revoked.map(iso) })
        })
        .collect();
    let links: Vec<serde_json::Value> = sign_in_links::table
        .filter(sign_in_links::user_id.eq(user.id.0))
        .order_by(sign_in_links::id.asc())
        .select((sign_in_links::created_at, sign_in_links::used_at))
        .load::<(NaiveDateTime, Option<NaiveDateTime>)>(conn)?
        .into_iter()
        .map(|(created, used)| serde_json::json!({ "createdAt": iso(created), "usedAt": used.map(iso) }))
        .collect();
    let emails: Vec<serde_json::Value> = outbox_messages::table
        .filter(outbox_messages::recipient.eq(&user.email))
        .order_by(outbox_messages::id.asc())
        .select((outbox_messages::subject, outbox_messages::created_at, outbox_messages::sent_at))
        .load::<(String, NaiveDateTime, Option<NaiveDateTime>)>(conn)?
        .into_iter()
        .map(|(subject, created, sent)| serde_json::json!({ "subject": subject, "createdAt": iso(created), "sentAt": sent.map(iso) }))
        .collect();
    let actions: Vec<serde_json::Value> = audit_log::table
        .filter(audit_log::actor_user_id.eq(user.id.0))
        .order_by(audit_log::id.asc())
        .select((audit_log::action, audit_log::subject_type, audit_log::reason, audit_log::created_at))
        .load::<(String, String, Option<String>, NaiveDateTime)>(conn)?
        .into_iter()
        .map(|(action, subject, reason, at)| serde_json::json!({ "action": action, "subject": subject, "reason": reason, "at": iso(at) }))
        .collect();
    Ok(serde_json::json!({
        "exportedAt": iso(now()),
        "account": {
            "email": user.email,
            "displayName": user.display_name,
            "language": user.language.as_str(),
            "isAdmin": user.is_admin,
            "hasPassword": has_password.is_some(),
            "createdAt": iso(user.created_at),
        },
        "memberships": memberships,
        "sessions": sessions,
        "signInLinks": links,
        "emails": emails,
        "actionsAsOrganiserOrAdmin": actions,
        "grievances": crate::domain::grievances::repo::contributions_of(conn, user.id)?,
        "budgets": crate::domain::budgets::repo::contributions_of(conn, user.id)?,
    }))
}

/// Delete the signed-in person's account: personal data erased, sessions ended, memberships
/// ended, unsent e-mails to them dropped; the row stays (as "a former resident") so that what
/// they wrote and what they counted towards stays correct.
pub fn delete_account(conn: &mut DbConnection, actor: &Actor) -> DomainResult<()> {
    let person = actor.person().ok_or(DomainError::Unauthenticated)?;
    write_transaction(conn, |conn| {
        let user = user_by_id(conn, person.id)?
            .filter(|u| !u.deleted)
            .ok_or(DomainError::Unauthenticated)?;
        let at = now();
        diesel::delete(
            outbox_messages::table
                .filter(outbox_messages::recipient.eq(&user.email))
                .filter(outbox_messages::sent_at.is_null()),
        )
        .execute(conn)?;
        diesel::delete(refresh_tokens::table.filter(refresh_tokens::user_id.eq(user.id.0)))
            .execute(conn)?;
        diesel::delete(sign_in_links::table.filter(sign_in_links::user_id.eq(user.id.0)))
            .execute(conn)?;
        diesel::delete(admin_api_tokens::table.filter(admin_api_tokens::user_id.eq(user.id.0)))
            .execute(conn)?;
        diesel::delete(memberships_table::table.filter(memberships_table::user_id.eq(user.id.0)))
            .execute(conn)?;
        diesel::update(users::table.find(user.id.0))
            .set((
                users::email.eq(format!("deleted-{}@deleted.invalid", user.id.0)),
                users::display_name.eq(""),
                users::password_hash.eq(None::<String>),
                users::admin_since.eq(None::<NaiveDateTime>),
                users::deleted_at.eq(at),
                users::updated_at.eq(at),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            actor,
            AuditEntry::new("account.delete", "user", Some(user.id.0)),
        )?;
        Ok(())
    })
}
