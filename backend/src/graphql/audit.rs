//! The audit log, for admins.

use chrono::{DateTime, Utc};
use juniper::GraphQLObject;

use super::neighbourhoods::PublicPerson;
use super::relay::{PageInfo, decode_cursor, encode_cursor, encode_id};
use super::{Context, GqlResult};
use crate::domain::audit;
use crate::domain::{DomainError, FieldProblem, ProblemCode};

/// One recorded organiser or admin action: who, what, when and why.
#[derive(GraphQLObject)]
pub struct AuditEntry {
    /// What was done, e.g. `neighbourhood.rename`.
    pub action: String,
    /// The kind of thing it was done to.
    pub subject_type: String,
    /// The thing it was done to (an opaque id of that kind), when there is one.
    pub subject_id: Option<juniper::ID>,
    /// Who did it; null for the command line.
    pub actor: Option<PublicPerson>,
    /// The reason given.
    pub reason: Option<String>,
    /// Details, as a JSON object.
    pub details: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// An entry with its cursor.
#[derive(GraphQLObject)]
pub struct AuditEntryEdge {
    /// Pass as `after` to continue after this entry.
    pub cursor: String,
    pub node: AuditEntry,
}

/// A page of the audit log.
#[derive(GraphQLObject)]
pub struct AuditLogConnection {
    /// The entries on this page, newest first.
    pub edges: Vec<AuditEntryEdge>,
    /// Where this page sits.
    pub page_info: PageInfo,
}

fn kind_name(subject_type: &str) -> &'static str {
    match subject_type {
        "neighbourhood" => "Neighbourhood",
        "user" => "Person",
        _ => "Thing",
    }
}

pub(super) async fn list(
    context: &Context,
    first: Option<i32>,
    after: Option<String>,
) -> GqlResult<AuditLogConnection> {
    let invalid = |field| {
        context.fail(DomainError::Validation(vec![FieldProblem::new(
            field,
            ProblemCode::InvalidFormat,
        )]))
    };
    let limit = match first {
        None => 20,
        Some(n) if (0..=100).contains(&n) => i64::from(n),
        Some(_) => return Err(invalid("first")),
    };
    let before = match after.as_deref() {
        None => None,
        Some(raw) => Some(
            decode_cursor(raw)
                .and_then(|v| v.as_i64())
                .ok_or_else(|| invalid("after"))?,
        ),
    };
    let (rows, more) = context
        .run(move |conn, actor| audit::page(conn, actor, before, limit))
        .await?;
    let edges: Vec<AuditEntryEdge> = rows
        .into_iter()
        .map(|row| AuditEntryEdge {
            cursor: encode_cursor(&serde_json::json!(row.id)),
            node: AuditEntry {
                subject_id: row
                    .subject_id
                    .map(|id| encode_id(kind_name(&row.subject_type), id)),
                action: row.action,
                subject_type: row.subject_type,
                actor: row.actor.map(|(id, name)| PublicPerson {
                    id: encode_id(super::accounts::PERSON_KIND, id),
                    // A deleted account keeps its row without a name.
                    display_name: if name.is_empty() {
                        super::i18n::former_resident(context.language).to_owned()
                    } else {
                        name
                    },
                }),
                reason: row.reason,
                details: row.details,
                created_at: row.created_at.and_utc(),
            },
        })
        .collect();
    Ok(AuditLogConnection {
        page_info: PageInfo {
            has_next_page: more,
            has_previous_page: before.is_some(),
            start_cursor: edges.first().map(|e| e.cursor.clone()),
            end_cursor: edges.last().map(|e| e.cursor.clone()),
        },
        edges,
    })
}
