//! Domain logic per capability, independent of HTTP and GraphQL. Services take the acting
//! person and a `&mut DbConnection`, so callers compose them in one transaction.

pub mod accounts;
pub mod actor;
pub mod audit;
pub mod budgets;
pub mod campaigns;
pub mod demo;
pub mod error;
pub mod geo;
pub mod grievances;
pub mod ids;
pub mod neighbourhoods;
pub mod outbox;
pub mod pending_actions;
pub mod rate_limit;
pub mod return_path;
pub mod text;

pub use actor::Actor;
pub use error::{DomainError, DomainResult, FieldProblem, ProblemCode};

/// The current instant, in UTC, at the precision both databases keep (microseconds).
pub fn now() -> chrono::NaiveDateTime {
    let now = chrono::Utc::now().naive_utc();
    chrono::Timelike::with_nanosecond(&now, now.and_utc().timestamp_subsec_micros() * 1000)
        .unwrap_or(now)
}
