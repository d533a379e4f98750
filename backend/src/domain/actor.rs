//! Who is acting: a visitor or a signed-in person.

use super::ids::UserId;

/// The person on whose behalf a use case runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// Not signed in.
    Visitor,
    /// A signed-in person.
    Person(PersonActor),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonActor {
    pub id: UserId,
    /// Platform-wide administrator.
    pub is_admin: bool,
    /// The sign-in session (refresh-token family) of this request; none for admin tokens.
    pub session: Option<String>,
}

impl Actor {
    pub fn person(&self) -> Option<&PersonActor> {
        match self {
            Self::Visitor => None,
            Self::Person(p) => Some(p),
        }
    }

    pub fn user_id(&self) -> Option<UserId> {
        self.person().map(|p| p.id)
    }
}
