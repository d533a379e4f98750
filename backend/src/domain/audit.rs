//! The audit log: who did what, when and why, for organiser and admin actions.

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::audit_log;
use crate::domain::{Actor, now};

/// One action to record.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub action: &'static str,
    pub subject_type: &'static str,
    pub subject_id: Option<i64>,
    pub reason: Option<String>,
    pub details: serde_json::Value,
}

impl AuditEntry {
    pub fn new(action: &'static str, subject_type: &'static str, subject_id: Option<i64>) -> Self {
        Self {
            action,
            subject_type,
            subject_id,
            reason: None,
            details: serde_json::Value::Object(serde_json::Map::new()),
        }
    }

    pub fn details(mut self, details: serde_json::Value) -> Self {
        self.details = details;
        self
    }
}

/// Record `entry` as done by `actor` (a visitor stands for the command line / the system).
pub fn record(conn: &mut DbConnection, actor: &Actor, entry: AuditEntry) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::actor_user_id.eq(actor.user_id().map(|u| u.0)),
            audit_log::action.eq(entry.action),
            audit_log::subject_type.eq(entry.subject_type),
            audit_log::subject_id.eq(entry.subject_id),
            audit_log::reason.eq(entry.reason),
            audit_log::details.eq(entry.details.to_string()),
            audit_log::created_at.eq(now()),
        ))
        .execute(conn)
        .map(drop)
}

/// A recorded action, as read back.
#[derive(Debug, Clone, Queryable)]
pub struct AuditRecord {
    pub action: String,
    pub subject_id: Option<i64>,
    pub actor_user_id: Option<i64>,
}

/// Recorded actions, newest first.
pub fn recent(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<AuditRecord>> {
    audit_log::table
        .order_by(audit_log::id.desc())
        .limit(limit)
        .select((
            audit_log::action,
            audit_log::subject_id,
            audit_log::actor_user_id,
        ))
        .load(conn)
}

/// One entry as admins read it.
#[derive(Debug, Clone)]
pub struct AuditView {
    pub id: i64,
    pub action: String,
    pub subject_type: String,
    pub subject_id: Option<i64>,
    pub actor: Option<(i64, String)>,
    pub reason: Option<String>,
    pub details: String,
    pub created_at: chrono::NaiveDateTime,
}

/// A page of the audit log, newest first, for admins: up to `limit` entries older than `before`,
/// and whether more follow.
pub fn page(
    conn: &mut DbConnection,
    actor: &Actor,
    before: Option<i64>,
    limit: i64,
) -> crate::domain::DomainResult<(Vec<AuditView>, bool)> {
    use crate::db::schema::users;
    use crate::domain::DomainError;
    match actor.person() {
        None => return Err(DomainError::Unauthenticated),
        Some(p) if !p.is_admin => return Err(DomainError::Forbidden),
        Some(_) => {}
    }
    let mut query = audit_log::table
        .left_join(users::table)
        .order_by(audit_log::id.desc())
        .limit(limit + 1)
        .select((
            audit_log::id,
            audit_log::action,
            audit_log::subject_type,
            audit_log::subject_id,
            users::id.nullable(),
            users::display_name.nullable(),
            audit_log::reason,
            audit_log::details,
            audit_log::created_at,
        ))
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(audit_log::id.lt(before));
    }
    type Row = (
        i64,
        String,
        String,
        Option<i64>,
        Option<i64>,
        Option<String>,
        Option<String>,
        String,
        chrono::NaiveDateTime,
    );
    let mut rows: Vec<Row> = query.load(conn)?;
    let more = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    Ok((
        rows.into_iter()
            .map(
                |(id, action, subject_type, subject_id, uid, name, reason, details, created_at)| {
                    AuditView {
                        id,
                        action,
                        subject_type,
                        subject_id,
                        actor: uid.zip(name),
                        reason,
                        details,
                        created_at,
                    }
                },
            )
            .collect(),
        more,
    ))
}
