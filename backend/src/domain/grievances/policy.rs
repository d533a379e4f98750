//! Who may do what with grievances, and who may see whom. One function per rule; the
//! services call them, and views are built from them, so every API path honours them.

use std::collections::HashSet;

use diesel::prelude::*;

use super::model::{AuthorView, Grievance, Permissions, Status};
use crate::db::DbConnection;
use crate::db::schema::memberships;
use crate::domain::accounts::Role;
use crate::domain::ids::{NeighbourhoodId, UserId};
use crate::domain::{Actor, DomainError, DomainResult};

/// What the rules need to know about the viewer, loaded once per use case (one statement for
/// a signed-in person, none for a visitor).
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    pub user: Option<UserId>,
    pub is_admin: bool,
    /// Neighbourhoods the viewer is a member of.
    pub member_of: HashSet<NeighbourhoodId>,
    /// Neighbourhoods the viewer organises.
    pub organiser_of: HashSet<NeighbourhoodId>,
}

impl Viewer {
    /// What the rules need about `actor`: no statement when the request read the memberships
    /// with the token check (or for a visitor), else one.
    pub fn load(conn: &mut DbConnection, actor: &Actor) -> QueryResult<Self> {
        let Some(person) = actor.person() else {
            return Ok(Self::default());
        };
        if let Some(known) = &person.memberships {
            return Ok(Self {
                user: Some(person.id),
                is_admin: person.is_admin,
                member_of: known.iter().map(|m| m.neighbourhood).collect(),
                organiser_of: known
                    .iter()
                    .filter(|m| m.organiser)
                    .map(|m| m.neighbourhood)
                    .collect(),
            });
        }
        let rows: Vec<(i64, String)> = memberships::table
            .filter(memberships::user_id.eq(person.id.0))
            .select((memberships::neighbourhood_id, memberships::role))
            .load(conn)?;
        let mut viewer = Self {
            user: Some(person.id),
            is_admin: person.is_admin,
            ..Self::default()
        };
        for (neighbourhood, role) in rows {
            viewer.member_of.insert(NeighbourhoodId(neighbourhood));
            if role == Role::Organiser.as_str() {
                viewer.organiser_of.insert(NeighbourhoodId(neighbourhood));
            }
        }
        Ok(viewer)
    }

    /// Organisers of the neighbourhood and admins moderate its grievances.
    pub fn moderates(&self, neighbourhood: NeighbourhoodId) -> bool {
        self.is_admin || self.organiser_of.contains(&neighbourhood)
    }

    /// Whether the viewer may know who wrote something anonymously in `neighbourhood`: the
    /// person themself and that neighbourhood's organisers. Not admins: nobody needs it there,
    /// and the form promises only the organisers.
    pub fn may_know_anonymous(&self, neighbourhood: NeighbourhoodId, author: UserId) -> bool {
        self.user == Some(author) || self.organiser_of.contains(&neighbourhood)
    }

    fn is(&self, user: UserId) -> bool {
        self.user == Some(user)
    }
}

/// Signed in, or `Unauthenticated`.
pub fn signed_in(viewer: &Viewer) -> DomainResult<UserId> {
    viewer.user.ok_or(DomainError::Unauthenticated)
}

/// Anyone signed in raises grievances; raising in a neighbourhood makes them a member of it
/// (joining is implicit), so there is no separate "join first" step.
pub fn may_raise(viewer: &Viewer) -> DomainResult<UserId> {
    signed_in(viewer)
}

/// Only the author edits or adds updates.
pub fn may_author(viewer: &Viewer, grievance: &Grievance) -> DomainResult<UserId> {
    let user = signed_in(viewer)?;
    if user == grievance.author {
        Ok(user)
    } else {
        Err(DomainError::Forbidden)
    }
}

/// Organisers of the grievance's neighbourhood and admins.
pub fn may_moderate(viewer: &Viewer, neighbourhood: NeighbourhoodId) -> DomainResult<UserId> {
    let user = signed_in(viewer)?;
    if viewer.moderates(neighbourhood) {
        Ok(user)
    } else {
        Err(DomainError::Forbidden)
    }
}

/// What this viewer may do with this grievance.
pub fn permissions(viewer: &Viewer, grievance: &Grievance) -> Permissions {
    let signed_in = viewer.user.is_some();
    let is_author = viewer.user == Some(grievance.author);
    let active = grievance.status.is_active();
    Permissions {
        edit: is_author && grievance.cosign_count == 0 && active,
        add_update: is_author && grievance.status != Status::Merged,
        cosign: signed_in && !is_author && active,
        comment: signed_in && grievance.status != Status::Merged,
        moderate: viewer.moderates(grievance.neighbourhood_id),
    }
}

/// How the author of `grievance` is shown to `viewer`.
pub fn author_view(
    viewer: &Viewer,
    grievance: &Grievance,
    neighbourhood_name: &str,
    author_name: Option<&str>,
) -> AuthorView {
    shown_author(
        viewer,
        grievance.neighbourhood_id,
        grievance.author,
        !grievance.show_name,
        neighbourhood_name,
        author_name,
    )
}

/// How an author is shown: `anonymous` hides them from everyone except themself and the
/// neighbourhood's organisers; `name` is `None` for deleted accounts.
pub fn shown_author(
    viewer: &Viewer,
    neighbourhood: NeighbourhoodId,
    author: UserId,
    anonymous: bool,
    neighbourhood_name: &str,
    name: Option<&str>,
) -> AuthorView {
    if anonymous {
        AuthorView::Anonymous {
            neighbourhood_name: neighbourhood_name.to_owned(),
            known: name
                .filter(|_| viewer.may_know_anonymous(neighbourhood, author))
                .map(|n| (author, n.to_owned())),
        }
    } else {
        match name {
            Some(n) => AuthorView::Named {
                id: author,
                name: n.to_owned(),
            },
            None => AuthorView::FormerResident,
        }
    }
}

/// A comment's author may edit it for a while; `is_author` compares ids.
pub fn is_comment_author(viewer: &Viewer, author: UserId) -> bool {
    viewer.is(author)
}
