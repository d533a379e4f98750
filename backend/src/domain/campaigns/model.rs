//! Campaign rows, views and forms.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{campaign_goals, campaign_phases, campaigns};
use crate::domain::ids::{CampaignId, GoalId, GrievanceId, NeighbourhoodId, PhaseId, UserId};
use crate::domain::neighbourhoods::Neighbourhood;

/// Longest title, in characters.
pub const TITLE_MAX: usize = 120;
/// Longest summary, reflection or phase description, in characters.
pub const TEXT_MAX: usize = 5000;
/// Longest change goal or phase goal, in characters.
pub const GOAL_MAX: usize = 300;
/// Most change goals of one campaign.
pub const CHANGE_GOALS_MAX: usize = 10;
/// Most grievances one request links.
pub const LINK_MAX: usize = 50;
/// Most phases of one campaign.
pub const PHASES_MAX: usize = 12;
/// Most goals of one phase.
pub const GOALS_MAX: usize = 20;
/// Most core-team members of one campaign.
pub const CORE_TEAM_MAX: usize = 30;
/// Longest reason or note, in characters.
pub const REASON_MAX: usize = 1000;
/// Longest unit of a numeric goal, in characters.
pub const UNIT_MAX: usize = 40;
/// Longest evidence link, in characters.
pub const LINK_TEXT_MAX: usize = 500;
/// Largest numeric goal target or value.
pub const VALUE_MAX: i64 = 1_000_000_000;

/// The default phases of a new campaign (Dutch title, English title): dialogue and picturing
/// the end result, planning actions, carrying out, reflecting and evaluating.
pub const DEFAULT_PHASES: [(&str, &str); 4] = [
    ("Dialoog en eindbeeld", "Dialogue and end result"),
    ("Acties plannen", "Planning actions"),
    ("Uitvoeren", "Carrying out"),
    ("Reflecteren en evalueren", "Reflecting and evaluating"),
];

/// Whether a campaign still runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CampaignStatus {
    Active,
    Closed,
}

impl CampaignStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Closed => "closed",
        }
    }

    /// Parse a stored status; unknown text is a broken row, reported as closed.
    pub fn parse(raw: &str) -> Self {
        if raw == "active" {
            Self::Active
        } else {
            Self::Closed
        }
    }
}

/// How a closed campaign ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Won,
    PartlyWon,
    NotWon,
    Stopped,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [Self::Won, Self::PartlyWon, Self::NotWon, Self::Stopped];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Won => "won",
            Self::PartlyWon => "partly_won",
            Self::NotWon => "not_won",
            Self::Stopped => "stopped",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == raw)
    }

    /// What the linked grievances become: resolved when (partly) won, else closed.
    pub fn grievance_status(self) -> crate::domain::grievances::Status {
        use crate::domain::grievances::Status;
        match self {
            Self::Won | Self::PartlyWon => Status::Resolved,
            Self::NotWon | Self::Stopped => Status::Closed,
        }
    }
}

/// Where a phase stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhaseStatus {
    Planned,
    Active,
    Completed,
}

impl PhaseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::Active => "active",
            Self::Completed => "completed",
        }
    }

    pub fn parse(raw: &str) -> Self {
        match raw {
            "planned" => Self::Planned,
            "active" => Self::Active,
            _ => Self::Completed,
        }
    }
}

/// A campaign as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Campaign {
    pub id: CampaignId,
    pub neighbourhood_id: NeighbourhoodId,
    pub title: String,
    pub summary: String,
    /// What must be different, in order.
    pub change_goals: Vec<String>,
    pub status: CampaignStatus,
    pub outcome: Option<Outcome>,
    pub started_by: Option<UserId>,
    /// When the organiser stepped back (residents run it since).
    pub handed_over_at: Option<NaiveDateTime>,
    pub participant_count: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = campaigns)]
pub(crate) struct CampaignRow {
    id: i64,
    neighbourhood_id: i64,
    title: String,
    summary: String,
    change_goals: String,
    status: String,
    outcome: Option<String>,
    started_by_user_id: Option<i64>,
    handed_over_at: Option<NaiveDateTime>,
    participant_count: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    closed_at: Option<NaiveDateTime>,
}

impl From<CampaignRow> for Campaign {
    fn from(row: CampaignRow) -> Self {
        Self {
            id: CampaignId(row.id),
            neighbourhood_id: NeighbourhoodId(row.neighbourhood_id),
            title: row.title,
            summary: row.summary,
            change_goals: serde_json::from_str(&row.change_goals).unwrap_or_default(),
            status: CampaignStatus::parse(&row.status),
            outcome: row.outcome.as_deref().and_then(Outcome::parse),
            started_by: row.started_by_user_id.map(UserId),
            handed_over_at: row.handed_over_at,
            participant_count: row.participant_count,
            created_at: row.created_at,
            updated_at: row.updated_at,
            closed_at: row.closed_at,
        }
    }
}

/// A phase with its goals in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Phase {
    pub id: PhaseId,
    pub campaign_id: CampaignId,
    pub position: i32,
    pub title: String,
    pub description: String,
    pub status: PhaseStatus,
    pub reflection: Option<String>,
    pub completed_at: Option<NaiveDateTime>,
    pub goals: Vec<Goal>,
}

impl Phase {
    /// Share of the goals met, 0 to 100 (100 for a phase without goals).
    pub fn progress_percent(&self) -> i32 {
        if self.goals.is_empty() {
            return if self.status == PhaseStatus::Completed {
                100
            } else {
                0
            };
        }
        let met = self.goals.iter().filter(|g| g.is_met()).count();
        (met * 100 / self.goals.len()) as i32
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = campaign_phases)]
pub(crate) struct PhaseRow {
    pub(crate) id: i64,
    campaign_id: i64,
    position: i32,
    title: String,
    description: String,
    status: String,
    reflection: Option<String>,
    completed_at: Option<NaiveDateTime>,
}

impl From<PhaseRow> for Phase {
    fn from(row: PhaseRow) -> Self {
        Self {
            id: PhaseId(row.id),
            campaign_id: CampaignId(row.campaign_id),
            position: row.position,
            title: row.title,
            description: row.description,
            status: PhaseStatus::parse(&row.status),
            reflection: row.reflection,
            completed_at: row.completed_at,
            goals: Vec::new(),
        }
    }
}

/// A goal of a phase: a text, optionally a numeric target with a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Goal {
    pub id: GoalId,
    pub phase_id: PhaseId,
    pub position: i32,
    pub text: String,
    pub target: Option<i64>,
    pub unit: Option<String>,
    pub current_value: Option<i64>,
    pub met_at: Option<NaiveDateTime>,
    /// The note (and link) given when it was met.
    pub evidence: Option<String>,
    pub evidence_link: Option<String>,
    /// Why it was not met, when its phase was completed without it.
    pub unmet_reason: Option<String>,
}

impl Goal {
    pub fn is_met(&self) -> bool {
        self.met_at.is_some()
    }

    /// How far the numeric value is towards the target, 0 to 100; for a goal without a target,
    /// 100 when met and 0 when not.
    pub fn progress_percent(&self) -> i32 {
        match (self.target, self.current_value) {
            (Some(target), value) if target > 0 => {
                let value = value.unwrap_or(0).clamp(0, target);
                (value * 100 / target) as i32
            }
            _ => {
                if self.is_met() {
                    100
                } else {
                    0
                }
            }
        }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = campaign_goals)]
pub(crate) struct GoalRow {
    id: i64,
    pub(crate) phase_id: i64,
    position: i32,
    text: String,
    target: Option<i64>,
    unit: Option<String>,
    current_value: Option<i64>,
    met_at: Option<NaiveDateTime>,
    evidence: Option<String>,
    evidence_link: Option<String>,
    unmet_reason: Option<String>,
}

impl From<GoalRow> for Goal {
    fn from(row: GoalRow) -> Self {
        Self {
            id: GoalId(row.id),
            phase_id: PhaseId(row.phase_id),
            position: row.position,
            text: row.text,
            target: row.target,
            unit: row.unit,
            current_value: row.current_value,
            met_at: row.met_at,
            evidence: row.evidence,
            evidence_link: row.evidence_link,
            unmet_reason: row.unmet_reason,
        }
    }
}

/// What the viewer is and may do in a campaign (the mutations check the same rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ViewerFlags {
    pub is_participant: bool,
    pub is_core_team: bool,
    /// Edit the campaign, its phases and goals, complete phases: the core team and the
    /// neighbourhood's organisers (and admins), while it runs.
    pub can_edit: bool,
    /// Manage the core team and step back: organisers of the neighbourhood and admins.
    pub can_moderate: bool,
}

/// A campaign as one viewer sees it.
#[derive(Debug, Clone)]
pub struct CampaignView {
    pub campaign: Campaign,
    pub neighbourhood: Neighbourhood,
    /// In order.
    pub phases: Vec<Phase>,
    /// Core-team members (id, display name), in the order they joined; deleted accounts left out.
    pub core_team: Vec<(UserId, String)>,
    pub viewer: ViewerFlags,
}

/// What a resident or organiser sends to start a campaign.
#[derive(Debug, Clone)]
pub struct StartCampaign {
    pub grievances: Vec<GrievanceId>,
    pub title: String,
    pub summary: String,
    pub change_goals: Vec<String>,
}

/// A new goal for a phase.
#[derive(Debug, Clone)]
pub struct NewGoal {
    pub phase: PhaseId,
    pub text: String,
    pub target: Option<i64>,
    pub unit: Option<String>,
}

/// A change to a goal by the core team: a new value, or ticking it as met; always with a note.
#[derive(Debug, Clone)]
pub struct UpdateGoal {
    pub goal: GoalId,
    pub value: Option<i64>,
    /// Tick it as met (the note is the evidence).
    pub met: bool,
    pub note: String,
    pub link: Option<String>,
}

/// Completing the active phase.
#[derive(Debug, Clone)]
pub struct CompletePhase {
    pub phase: PhaseId,
    pub reflection: String,
    /// A reason for each goal that is not met.
    pub unmet_reasons: Vec<(GoalId, String)>,
    /// Needed when it is the last phase: how the campaign ended, and a short summary that the
    /// linked grievances show as their reason.
    pub outcome: Option<Outcome>,
    pub outcome_summary: Option<String>,
}

/// A page of campaigns, newest first.
#[derive(Debug, Clone)]
pub struct CampaignPage {
    pub items: Vec<CampaignView>,
    pub has_next_page: bool,
    pub has_previous_page: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn goal(target: Option<i64>, value: Option<i64>, met: bool) -> Goal {
        Goal {
            id: GoalId(1),
            phase_id: PhaseId(1),
            position: 0,
            text: "x".into(),
            target,
            unit: None,
            current_value: value,
            met_at: met.then(|| chrono::DateTime::UNIX_EPOCH.naive_utc()),
            evidence: None,
            evidence_link: None,
            unmet_reason: None,
        }
    }

    #[test]
    fn progress_follows_the_value_and_stays_within_bounds() {
        assert_eq!(goal(Some(200), Some(50), false).progress_percent(), 25);
        assert_eq!(goal(Some(200), Some(500), true).progress_percent(), 100);
        assert_eq!(goal(Some(200), None, false).progress_percent(), 0);
        assert_eq!(goal(None, None, true).progress_percent(), 100);
        assert_eq!(goal(None, None, false).progress_percent(), 0);
    }

    #[test]
    fn outcomes_round_trip_and_decide_the_grievance_status() {
        use crate::domain::grievances::Status;
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.as_str()), Some(o));
        }
        assert_eq!(Outcome::Won.grievance_status(), Status::Resolved);
        assert_eq!(Outcome::Stopped.grievance_status(), Status::Closed);
    }
}
