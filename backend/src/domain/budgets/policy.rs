//! Who may do what with budget rounds. The viewer is the grievances' `Viewer` (memberships and
//! organiser roles, loaded once per use case).

pub use crate::domain::grievances::policy::Viewer;

use super::model::{Phase, Proposal, Round};
use crate::domain::ids::{NeighbourhoodId, UserId};
use crate::domain::{DomainError, DomainResult};

/// Signed in, or `Unauthenticated`.
pub fn signed_in(viewer: &Viewer) -> DomainResult<UserId> {
    viewer.user.ok_or(DomainError::Unauthenticated)
}

/// Organisers of the neighbourhood and admins create rounds, review, and move phases.
pub fn may_organise(viewer: &Viewer, neighbourhood: NeighbourhoodId) -> DomainResult<UserId> {
    let user = signed_in(viewer)?;
    if viewer.moderates(neighbourhood) {
        Ok(user)
    } else {
        Err(DomainError::Forbidden)
    }
}

/// Members of the neighbourhood propose projects and vote.
pub fn may_take_part(viewer: &Viewer, neighbourhood: NeighbourhoodId) -> DomainResult<UserId> {
    let user = signed_in(viewer)?;
    if viewer.member_of.contains(&neighbourhood) {
        Ok(user)
    } else {
        Err(DomainError::Forbidden)
    }
}

/// Only the author edits a proposal.
pub fn may_edit(viewer: &Viewer, proposal: &Proposal) -> DomainResult<UserId> {
    let user = signed_in(viewer)?;
    if proposal.author == Some(user) {
        Ok(user)
    } else {
        Err(DomainError::Forbidden)
    }
}

/// What the viewer may do with a round now: (propose, vote, organise), given whether they voted.
pub fn round_permissions(viewer: &Viewer, round: &Round, has_voted: bool) -> (bool, bool, bool) {
    let member = viewer.user.is_some() && viewer.member_of.contains(&round.neighbourhood);
    (
        member && round.phase == Phase::Proposing,
        member && round.phase == Phase::Voting && !has_voted,
        viewer.user.is_some() && viewer.moderates(round.neighbourhood),
    )
}
