//! The one mapping from domain errors to GraphQL errors: `extensions.code` plus a message in the
//! user's language; for VALIDATION and CONFLICT, `extensions.fields` lists each problem.

use juniper::{FieldError, Object, Value};

use super::i18n;
use crate::domain::accounts::Language;
use crate::domain::{DomainError, FieldProblem};

pub type GqlResult<T> = Result<T, FieldError>;

/// The stable machine codes of `extensions.code`.
pub const CODES: &[&str] = &[
    "UNAUTHENTICATED",
    "FORBIDDEN",
    "NOT_FOUND",
    "VALIDATION",
    "CONFLICT",
    "RATE_LIMITED",
    "UNAVAILABLE",
    "INTERNAL",
    "QUERY_TOO_COMPLEX",
    "PERSISTED_DOCUMENT_NOT_FOUND",
    "TIMEOUT",
];

/// Seconds a client is asked to wait (`Retry-After`) when the database is unavailable.
pub const UNAVAILABLE_RETRY_AFTER_SECS: u32 = 5;

/// The `extensions.code` of a domain error.
pub fn code_of(error: &DomainError) -> &'static str {
    match error {
        DomainError::Unauthenticated => "UNAUTHENTICATED",
        DomainError::Forbidden => "FORBIDDEN",
        DomainError::NotFound { .. } => "NOT_FOUND",
        DomainError::Validation(_) => "VALIDATION",
        DomainError::Conflict(_) => "CONFLICT",
        DomainError::RateLimited { .. } => "RATE_LIMITED",
        DomainError::Unavailable(_) => "UNAVAILABLE",
        DomainError::Internal(_) => "INTERNAL",
    }
}

fn fields_value(problems: &[FieldProblem], language: Language) -> Value {
    Value::list(
        problems
            .iter()
            .map(|p| {
                let mut o = Object::with_capacity(3);
                o.add_field("field", Value::scalar(p.field.to_owned()));
                o.add_field("code", Value::scalar(p.code.as_str().to_owned()));
                o.add_field("message", Value::scalar(i18n::problem_message(p, language)));
                Value::object(o)
            })
            .collect(),
    )
}

/// Map a domain error to a GraphQL field error. Internal causes are logged here, never shown.
pub fn to_field_error(error: DomainError, language: Language) -> FieldError {
    let code = code_of(&error);
    let mut extensions = Object::with_capacity(3);
    extensions.add_field("code", Value::scalar(code.to_owned()));
    match &error {
        DomainError::Validation(problems) | DomainError::Conflict(problems) => {
            extensions.add_field("fields", fields_value(problems, language));
        }
        DomainError::RateLimited { retry_after_secs } => {
            let secs = i32::try_from(*retry_after_secs).unwrap_or(i32::MAX);
            extensions.add_field("retryAfterSeconds", Value::scalar(secs));
        }
        DomainError::Unavailable(cause) => {
            tracing::error!(%cause, "the database is unavailable");
            extensions.add_field(
                "retryAfterSeconds",
                Value::scalar(UNAVAILABLE_RETRY_AFTER_SECS as i32),
            );
        }
        DomainError::Internal(cause) => {
            tracing::error!(%cause, "internal error while handling a GraphQL request");
        }
        _ => {}
    }
    FieldError::new(
        i18n::error_message(&error, language),
        Value::object(extensions),
    )
}

/// A whole-request error body (before execution: bad JSON, bad token, …).
pub fn error_response(code: &str, message: &str) -> serde_json::Value {
    serde_json::json!({
        "errors": [{ "message": message, "extensions": { "code": code } }]
    })
}
