//! People and memberships.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::users;
use crate::domain::ids::UserId;
use crate::domain::{FieldProblem, ProblemCode};

/// A person with an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    /// Private: visible to the person and to admins only.
    pub email: String,
    pub display_name: String,
    pub language: Language,
    pub is_admin: bool,
    pub created_at: NaiveDateTime,
    /// Deleted accounts keep their row (so content stays attributed to "a former resident").
    pub deleted: bool,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = users)]
pub(super) struct UserRow {
    id: i64,
    email: String,
    display_name: String,
    language: String,
    admin_since: Option<NaiveDateTime>,
    created_at: NaiveDateTime,
    deleted_at: Option<NaiveDateTime>,
}

impl From<UserRow> for User {
    fn from(row: UserRow) -> Self {
        Self {
            id: UserId(row.id),
            email: row.email,
            display_name: row.display_name,
            language: Language::parse(&row.language).unwrap_or_default(),
            is_admin: row.admin_since.is_some(),
            created_at: row.created_at,
            deleted: row.deleted_at.is_some(),
        }
    }
}

/// The languages the platform speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    Dutch,
    English,
}

impl Language {
    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "nl" => Some(Self::Dutch),
            "en" => Some(Self::English),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Dutch => "nl",
            Self::English => "en",
        }
    }
}

/// A person's role in one neighbourhood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Bewoner.
    Resident,
    /// Opbouwwerker, member of the wijkteam.
    Organiser,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Resident => "resident",
            Self::Organiser => "organiser",
        }
    }
}

/// A checked, normalised (lowercase) e-mail address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub const MAX: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, FieldProblem> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err(FieldProblem::new("email", ProblemCode::Required));
        }
        if email.chars().count() > Self::MAX {
            return Err(FieldProblem::new(
                "email",
                ProblemCode::TooLong { max: Self::MAX },
            ));
        }
        let valid = match email.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && local.len() <= 64
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains('@')
                    && !email.chars().any(|c| c.is_whitespace() || c.is_control())
            }
            None => false,
        };
        if valid {
            Ok(Self(email))
        } else {
            Err(FieldProblem::new("email", ProblemCode::InvalidFormat))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}
