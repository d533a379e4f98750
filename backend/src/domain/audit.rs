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
