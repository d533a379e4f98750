//! Grievance rows, views and forms.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::db::schema::{grievance_comments, grievances, themes};
use crate::domain::accounts::Language;
use crate::domain::geo::GeoPoint;
use crate::domain::ids::{CampaignId, CommentId, GrievanceId, NeighbourhoodId, ThemeId, UserId};
use crate::domain::neighbourhoods::Neighbourhood;

/// Longest title, in characters.
pub const TITLE_MAX: usize = 120;
/// Longest text of a grievance or an update, in characters.
pub const TEXT_MAX: usize = 5000;
/// Longest comment, in characters.
pub const COMMENT_MAX: usize = 2000;
/// Longest reason (status change, hiding, report), in characters.
pub const REASON_MAX: usize = 1000;
/// How long the author may edit a comment.
pub const COMMENT_EDIT_WINDOW: TimeDelta = TimeDelta::minutes(15);
/// Most grievances one merge may fold into a survivor.
pub const MERGE_MAX: usize = 50;

/// Where a grievance stands. open → acknowledged → in campaign → resolved or closed; merged
/// ones point to the grievance they were folded into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Open,
    Acknowledged,
    /// Set by the campaigns capability.
    InCampaign,
    Resolved,
    Closed,
    Merged,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Self::Open,
        Self::Acknowledged,
        Self::InCampaign,
        Self::Resolved,
        Self::Closed,
        Self::Merged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Acknowledged => "acknowledged",
            Self::InCampaign => "in_campaign",
            Self::Resolved => "resolved",
            Self::Closed => "closed",
            Self::Merged => "merged",
        }
    }

    /// Parse a stored status; unknown text is a broken row, reported as closed.
    pub fn parse(raw: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .unwrap_or(Self::Closed)
    }

    /// Still being worked on: people can co-sign it.
    pub fn is_active(self) -> bool {
        matches!(self, Self::Open | Self::Acknowledged | Self::InCampaign)
    }

    /// Whether a grievance in this status may move to `to`.
    pub fn may_become(self, to: Status) -> bool {
        match to {
            Self::Acknowledged => self == Self::Open,
            Self::InCampaign => matches!(self, Self::Open | Self::Acknowledged),
            Self::Resolved | Self::Closed | Self::Merged => self.is_active(),
            Self::Open => false,
        }
    }
}

/// A theme ("thema") of grievances.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = themes)]
pub struct Theme {
    #[diesel(deserialize_as = i64)]
    pub id: ThemeId,
    /// Stable code used by clients and filters, e.g. `housing`.
    pub key: String,
    pub name_nl: String,
    pub name_en: String,
    pub position: i32,
}

impl Theme {
    /// The name in `language`.
    pub fn name_in(&self, language: Language) -> &str {
        match language {
            Language::Dutch => &self.name_nl,
            Language::English => &self.name_en,
        }
    }
}

/// A grievance as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Grievance {
    pub id: GrievanceId,
    pub neighbourhood_id: NeighbourhoodId,
    pub author: UserId,
    pub theme_id: ThemeId,
    pub title: String,
    pub text: String,
    pub location: Option<GeoPoint>,
    /// Whether the public may see the author's name.
    pub show_name: bool,
    pub status: Status,
    /// The reason given with the latest status change.
    pub status_reason: Option<String>,
    pub cosign_count: i64,
    pub comment_count: i64,
    pub merged_into: Option<GrievanceId>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The campaign it is part of.
    pub campaign: Option<CampaignId>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = grievances)]
pub(crate) struct GrievanceRow {
    id: i64,
    neighbourhood_id: i64,
    author_user_id: i64,
    theme_id: i64,
    title: String,
    body: String,
    latitude_e6: Option<i64>,
    longitude_e6: Option<i64>,
    show_name: i32,
    status: String,
    status_reason: Option<String>,
    cosign_count: i64,
    comment_count: i64,
    merged_into_id: Option<i64>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    campaign_id: Option<i64>,
}

impl From<GrievanceRow> for Grievance {
    fn from(row: GrievanceRow) -> Self {
        Self {
            id: GrievanceId(row.id),
            neighbourhood_id: NeighbourhoodId(row.neighbourhood_id),
            author: UserId(row.author_user_id),
            theme_id: ThemeId(row.theme_id),
            title: row.title,
            text: row.body,
            location: GeoPoint::from_columns(row.latitude_e6, row.longitude_e6),
            show_name: row.show_name != 0,
            status: Status::parse(&row.status),
            status_reason: row.status_reason,
            cosign_count: row.cosign_count,
            comment_count: row.comment_count,
            merged_into: row.merged_into_id.map(GrievanceId),
            created_at: row.created_at,
            updated_at: row.updated_at,
            campaign: row.campaign_id.map(CampaignId),
        }
    }
}

/// How the author of something is shown to the viewer. The GraphQL layer words it in the
/// viewer's language ("een bewoner van Transvaal").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthorView {
    /// The public may see the name.
    Named { id: UserId, name: String },
    /// Hidden from the public; `known` is the person when this viewer may know who it is (the
    /// author, organisers of the neighbourhood).
    Anonymous {
        neighbourhood_name: String,
        known: Option<(UserId, String)>,
    },
    /// The account was deleted.
    FormerResident,
}

/// What the viewer may do with a grievance (for clients to show the right buttons; the
/// mutations check the same rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Permissions {
    pub edit: bool,
    pub add_update: bool,
    pub cosign: bool,
    pub comment: bool,
    pub moderate: bool,
}

/// A grievance as one viewer may see it, with everything a list shows.
#[derive(Debug, Clone)]
pub struct GrievanceView {
    pub grievance: Grievance,
    pub neighbourhood: Neighbourhood,
    pub theme: Theme,
    pub author: AuthorView,
    pub viewer_has_cosigned: bool,
    pub viewer_is_author: bool,
    pub permissions: Permissions,
}

/// A comment as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = grievance_comments)]
pub struct CommentRecord {
    #[diesel(deserialize_as = i64)]
    pub id: CommentId,
    #[diesel(deserialize_as = i64)]
    pub grievance_id: GrievanceId,
    #[diesel(deserialize_as = i64)]
    pub author_user_id: UserId,
    pub author_anonymous: i32,
    pub body: String,
    pub created_at: NaiveDateTime,
    pub edited_at: Option<NaiveDateTime>,
    pub hidden_at: Option<NaiveDateTime>,
    pub hidden_reason: Option<String>,
}

/// A comment as one viewer may see it.
#[derive(Debug, Clone)]
pub struct CommentView {
    pub id: CommentId,
    pub grievance_id: GrievanceId,
    pub author: AuthorView,
    /// Written by the person who raised the grievance.
    pub by_grievance_author: bool,
    /// `None` when hidden and the viewer is not a moderator.
    pub text: Option<String>,
    pub hidden: bool,
    pub hidden_reason: Option<String>,
    pub created_at: NaiveDateTime,
    pub edited_at: Option<NaiveDateTime>,
    pub viewer_can_edit: bool,
    pub viewer_has_reported: bool,
    /// Only for moderators.
    pub report_count: Option<i64>,
}

/// An update the author added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrievanceUpdate {
    pub id: i64,
    pub text: String,
    pub created_at: NaiveDateTime,
}

/// One status change, with its public reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    pub from: Status,
    pub to: Status,
    pub reason: String,
    /// The organiser or admin who made it (`None` once their account is deleted).
    pub by: Option<(UserId, String)>,
    pub at: NaiveDateTime,
}

/// What a resident sends to raise a grievance.
#[derive(Debug, Clone)]
pub struct RaiseGrievance {
    pub neighbourhood: NeighbourhoodId,
    pub title: String,
    pub text: String,
    pub theme: String,
    /// Degrees.
    pub location: Option<(f64, f64)>,
    pub show_name: bool,
}

/// What the author sends to edit a grievance.
#[derive(Debug, Clone)]
pub struct EditGrievance {
    pub id: GrievanceId,
    pub title: String,
    pub text: String,
    pub theme: String,
}

/// Centre of a distance search, in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Near {
    pub latitude: f64,
    pub longitude: f64,
    pub radius_meters: Option<i32>,
}

/// Which grievances a list holds.
#[derive(Debug, Clone, Default)]
pub struct GrievanceFilter {
    /// Theme keys; empty means all.
    pub themes: Vec<String>,
    /// Empty means every status except merged.
    pub statuses: Vec<Status>,
    pub near: Option<Near>,
}

/// The order of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// Most co-signs first, newest first among equals.
    #[default]
    Top,
    Newest,
    /// Closest to `filter.near` first.
    Nearest,
}

/// A position in a list, for keyset paging: stable when rows are added while paging.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrievanceCursor {
    Top { cosigns: i64, id: GrievanceId },
    Newest { id: GrievanceId },
    Nearest { key: i64, id: GrievanceId },
}

/// A page of grievances.
#[derive(Debug, Clone)]
pub struct GrievancePage {
    pub items: Vec<ListedGrievance>,
    pub has_next_page: bool,
    pub has_previous_page: bool,
}

/// What happened to a grievance besides its comments: the author's updates and the status
/// changes, each oldest first.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    pub updates: Vec<GrievanceUpdate>,
    pub history: Vec<StatusChange>,
}

/// One grievance on a page.
#[derive(Debug, Clone)]
pub struct ListedGrievance {
    pub view: GrievanceView,
    pub cursor: GrievanceCursor,
    /// Metres from `filter.near`, when given.
    pub distance_meters: Option<f64>,
}

/// A page of comments, oldest first.
#[derive(Debug, Clone)]
pub struct CommentPage {
    pub items: Vec<CommentView>,
    pub has_next_page: bool,
    pub has_previous_page: bool,
    pub total_count: i64,
}

/// A position in a comment list: (created_at, id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommentCursor {
    pub created_at: NaiveDateTime,
    pub id: CommentId,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_transitions_follow_the_lifecycle() {
        use Status::*;
        assert!(Open.may_become(Acknowledged));
        assert!(!Acknowledged.may_become(Acknowledged));
        assert!(Acknowledged.may_become(InCampaign));
        assert!(InCampaign.may_become(Resolved));
        assert!(Open.may_become(Closed));
        assert!(!Closed.may_become(Resolved));
        assert!(!Resolved.may_become(Merged));
        assert!(!Merged.may_become(Closed));
        for s in Status::ALL {
            assert!(!s.may_become(Open), "{s:?} cannot go back to open");
            assert_eq!(Status::parse(s.as_str()), s);
        }
    }
}
