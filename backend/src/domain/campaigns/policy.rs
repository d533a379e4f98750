//! Who may do what with campaigns. One function per rule; the services call them and the
//! viewer flags are built from them, so every API path honours them.

use super::model::{Campaign, CampaignStatus, ViewerFlags};
use crate::domain::grievances::policy::{Viewer, signed_in};
use crate::domain::ids::{NeighbourhoodId, UserId};
use crate::domain::{DomainError, DomainResult};

/// Start a campaign in `neighbourhood`: its organisers and admins always; a resident who
/// raised or co-signed one of the grievances (`involved`) when the neighbourhood allows
/// resident-started campaigns.
pub fn may_start(
    viewer: &Viewer,
    neighbourhood: NeighbourhoodId,
    residents_may_start: bool,
    involved: bool,
) -> DomainResult<UserId> {
    let user = signed_in(viewer)?;
    if viewer.moderates(neighbourhood) || (residents_may_start && involved) {
        Ok(user)
    } else {
        Err(DomainError::Forbidden)
    }
}

/// Edit a campaign, its phases and goals, link and unlink grievances, complete phases: the core
/// team, the neighbourhood's organisers and admins.
pub fn may_edit(viewer: &Viewer, campaign: &Campaign, is_core_team: bool) -> DomainResult<UserId> {
    let user = signed_in(viewer)?;
    if is_core_team || viewer.moderates(campaign.neighbourhood_id) {
        Ok(user)
    } else {
        Err(DomainError::Forbidden)
    }
}

/// Add and remove core-team members, step back: the neighbourhood's organisers and admins.
pub fn may_moderate(viewer: &Viewer, campaign: &Campaign) -> DomainResult<UserId> {
    let user = signed_in(viewer)?;
    if viewer.moderates(campaign.neighbourhood_id) {
        Ok(user)
    } else {
        Err(DomainError::Forbidden)
    }
}

/// Change the neighbourhood's campaign settings: its organisers and admins.
pub fn may_configure(viewer: &Viewer, neighbourhood: NeighbourhoodId) -> DomainResult<UserId> {
    let user = signed_in(viewer)?;
    if viewer.moderates(neighbourhood) {
        Ok(user)
    } else {
        Err(DomainError::Forbidden)
    }
}

/// What the viewer is and may do.
pub fn flags(
    viewer: &Viewer,
    campaign: &Campaign,
    is_participant: bool,
    is_core_team: bool,
) -> ViewerFlags {
    let open = campaign.status == CampaignStatus::Active;
    let moderates = viewer.user.is_some() && viewer.moderates(campaign.neighbourhood_id);
    ViewerFlags {
        is_participant,
        is_core_team,
        can_edit: open && (is_core_team || moderates),
        can_moderate: moderates,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::CampaignId;

    fn campaign(status: CampaignStatus) -> Campaign {
        let at = chrono::DateTime::UNIX_EPOCH.naive_utc();
        Campaign {
            id: CampaignId(1),
            neighbourhood_id: NeighbourhoodId(7),
            title: "t".into(),
            summary: "s".into(),
            change_goals: vec!["g".into()],
            status,
            outcome: None,
            started_by: None,
            handed_over_at: None,
            participant_count: 0,
            created_at: at,
            updated_at: at,
            closed_at: None,
        }
    }

    fn viewer(organiser_of: Option<i64>, admin: bool) -> Viewer {
        Viewer {
            user: Some(UserId(3)),
            is_admin: admin,
            member_of: Default::default(),
            organiser_of: organiser_of.map(NeighbourhoodId).into_iter().collect(),
        }
    }

    #[test]
    fn roles_decide_who_starts_and_edits() {
        let here = NeighbourhoodId(7);
        assert!(may_start(&Viewer::default(), here, true, true).is_err());
        assert!(may_start(&viewer(None, false), here, true, true).is_ok());
        assert!(may_start(&viewer(None, false), here, false, true).is_err());
        assert!(may_start(&viewer(None, false), here, true, false).is_err());
        assert!(may_start(&viewer(Some(7), false), here, false, false).is_ok());
        assert!(may_start(&viewer(Some(8), false), here, false, false).is_err());
        let c = campaign(CampaignStatus::Active);
        assert!(may_edit(&viewer(None, false), &c, true).is_ok());
        assert!(may_edit(&viewer(None, false), &c, false).is_err());
        assert!(may_edit(&viewer(None, true), &c, false).is_ok());
        assert!(may_moderate(&viewer(Some(8), false), &c).is_err());
        assert!(flags(&viewer(Some(7), false), &c, false, false).can_edit);
        let closed = campaign(CampaignStatus::Closed);
        assert!(!flags(&viewer(None, false), &closed, true, true).can_edit);
    }
}
