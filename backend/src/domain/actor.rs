//! Who is acting: a visitor or a signed-in person.

use std::sync::Arc;

use super::ids::{NeighbourhoodId, UserId};

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
    /// The person's memberships (neighbourhood, organiser or not), when they were read with
    /// the token check at the start of the request; `None`: read them when needed.
    pub memberships: Option<Arc<[MembershipRole]>>,
}

/// One membership as the rules need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MembershipRole {
    pub neighbourhood: NeighbourhoodId,
    pub organiser: bool,
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

    /// The same actor without memberships read earlier (after a change to them).
    pub fn without_memberships(&self) -> Self {
        match self {
            Self::Visitor => Self::Visitor,
            Self::Person(p) => Self::Person(PersonActor {
                memberships: None,
                ..p.clone()
            }),
        }
    }
}
