//! The one error type of the domain layer. GraphQL maps it once to `extensions.code` and a
//! message in the user's language; HTTP maps it once to a status.

use crate::db::DbError;

pub type DomainResult<T> = Result<T, DomainError>;

/// Why a use case did not happen.
#[derive(Debug, Clone, thiserror::Error)]
pub enum DomainError {
    /// The action needs a signed-in person.
    #[error("not signed in")]
    Unauthenticated,
    /// The acting person may not do this.
    #[error("forbidden")]
    Forbidden,
    /// The thing does not exist (or the actor may not know it exists).
    #[error("{entity} not found")]
    NotFound { entity: &'static str },
    /// Input was refused; every problem is listed, per field.
    #[error("invalid input: {0:?}")]
    Validation(Vec<FieldProblem>),
    /// The input clashes with what is already stored (e.g. a slug that is taken).
    #[error("conflict: {0:?}")]
    Conflict(Vec<FieldProblem>),
    /// Too many attempts; try again after the given number of seconds.
    #[error("rate limited for {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    /// The database cannot do it right now (it is away, restarting or its disk is full);
    /// nothing was stored, and trying again in a moment may work. The cause is logged.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Something broke that the user cannot fix. The cause is logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

/// One problem with one input field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// The input field, as named in the API (camelCase).
    pub field: &'static str,
    pub code: ProblemCode,
}

impl FieldProblem {
    pub fn new(field: &'static str, code: ProblemCode) -> Self {
        Self { field, code }
    }
}

/// Machine codes for field problems; stable, part of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemCode {
    Required,
    TooShort {
        min: usize,
    },
    TooLong {
        max: usize,
    },
    InvalidFormat,
    InvalidCharacters,
    Taken,
    /// A link or token whose time is up.
    Expired,
    /// A one-time link or token that was used before.
    AlreadyUsed,
    /// A password that is too easy to guess.
    TooCommon,
    /// A number or coordinate outside what is possible.
    OutOfRange,
    /// A place far outside the neighbourhood's area.
    OutsideArea,
    /// Something that can no longer be changed (edited after the first co-sign, a comment
    /// after its edit window).
    Locked,
    /// A status change that the current status does not allow.
    InvalidTransition,
    /// Something one may not do to one's own grievance (co-signing it).
    OwnGrievance,
    /// A ballot choice that is not a project on this ballot.
    UnknownChoice,
    /// A project chosen twice on one ballot.
    DuplicateChoice,
    /// More choices than the ballot allows.
    TooManyChoices {
        max: usize,
    },
    /// Chosen projects that together cost more than the budget.
    OverBudget,
    /// A second ballot by the same person.
    AlreadyVoted,
    /// Proposals that still wait for a review.
    NotReviewed,
    /// A list that is full.
    LimitReached {
        max: usize,
    },
    /// A campaign step that needs the phase to be the active one (updating its goals,
    /// completing it).
    PhaseNotActive,
    /// Completing a phase with goals that are not met and have no reason.
    GoalsNotMet,
    /// A second active phase in one campaign.
    AlreadyActive,
}

impl ProblemCode {
    /// The stable machine code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Required => "REQUIRED",
            Self::TooShort { .. } => "TOO_SHORT",
            Self::TooLong { .. } => "TOO_LONG",
            Self::InvalidFormat => "INVALID_FORMAT",
            Self::InvalidCharacters => "INVALID_CHARACTERS",
            Self::Taken => "TAKEN",
            Self::Expired => "EXPIRED",
            Self::AlreadyUsed => "ALREADY_USED",
            Self::TooCommon => "TOO_COMMON",
            Self::OutOfRange => "OUT_OF_RANGE",
            Self::OutsideArea => "OUTSIDE_AREA",
            Self::Locked => "LOCKED",
            Self::InvalidTransition => "INVALID_TRANSITION",
            Self::OwnGrievance => "OWN_GRIEVANCE",
            Self::UnknownChoice => "UNKNOWN_CHOICE",
            Self::DuplicateChoice => "DUPLICATE_CHOICE",
            Self::TooManyChoices { .. } => "TOO_MANY_CHOICES",
            Self::OverBudget => "OVER_BUDGET",
            Self::AlreadyVoted => "ALREADY_VOTED",
            Self::NotReviewed => "NOT_REVIEWED",
            Self::LimitReached { .. } => "LIMIT_REACHED",
            Self::PhaseNotActive => "PHASE_NOT_ACTIVE",
            Self::GoalsNotMet => "GOALS_NOT_MET",
            Self::AlreadyActive => "ALREADY_ACTIVE",
        }
    }
}

impl From<diesel::result::Error> for DomainError {
    fn from(error: diesel::result::Error) -> Self {
        if crate::db::backend_specific::is_unavailable(&error) {
            Self::Unavailable(format!("database: {error}"))
        } else {
            Self::Internal(format!("database: {error}"))
        }
    }
}

impl From<DbError> for DomainError {
    fn from(error: DbError) -> Self {
        match error {
            DbError::Pool(_) => Self::Unavailable(error.to_string()),
            DbError::Query(error) => error.into(),
            DbError::Panicked(_) => Self::Internal(error.to_string()),
        }
    }
}

/// One field problem as a `VALIDATION` error.
pub fn invalid(field: &'static str, code: ProblemCode) -> DomainError {
    DomainError::Validation(vec![FieldProblem::new(field, code)])
}

/// One field problem as a `CONFLICT` error.
pub fn conflict(field: &'static str, code: ProblemCode) -> DomainError {
    DomainError::Conflict(vec![FieldProblem::new(field, code)])
}

/// The size of a page a list is asked for: `default` when `first` is left out, at most
/// `max`; a negative `first` is `OUT_OF_RANGE`, a larger one `TOO_LONG`.
pub fn page_size(first: Option<i64>, default: i64, max: i64) -> DomainResult<i64> {
    match first {
        None => Ok(default),
        Some(n) if (0..=max).contains(&n) => Ok(n),
        Some(n) if n < 0 => Err(invalid("first", ProblemCode::OutOfRange)),
        Some(_) => Err(invalid("first", ProblemCode::TooLong { max: max as usize })),
    }
}
