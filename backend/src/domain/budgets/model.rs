//! The types of the wijkbudget domain.

use chrono::NaiveDateTime;

use crate::domain::ids::{NeighbourhoodId, UserId};

/// Where a round stands. Phases only move forward: proposing → reviewing → voting → counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Proposing,
    Reviewing,
    Voting,
    Counted,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Proposing => "proposing",
            Self::Reviewing => "reviewing",
            Self::Voting => "voting",
            Self::Counted => "counted",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "proposing" => Self::Proposing,
            "reviewing" => Self::Reviewing,
            "voting" => Self::Voting,
            "counted" => Self::Counted,
            _ => return None,
        })
    }

    /// The phase after this one, if any.
    pub fn next(self) -> Option<Self> {
        match self {
            Self::Proposing => Some(Self::Reviewing),
            Self::Reviewing => Some(Self::Voting),
            Self::Voting => Some(Self::Counted),
            Self::Counted => None,
        }
    }
}

/// What a ballot may contain. Fixed when the round is created, so it can never change while
/// people vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BallotKind {
    /// Approve any number of projects.
    Approval,
    /// Approve at most `max_choices` projects.
    KApproval,
    /// Choose projects that together cost at most the total amount.
    Knapsack,
}

impl BallotKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Approval => "approval",
            Self::KApproval => "k_approval",
            Self::Knapsack => "knapsack",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "approval" => Self::Approval,
            "k_approval" => Self::KApproval,
            "knapsack" => Self::Knapsack,
            _ => return None,
        })
    }
}

/// How the ballots are counted. Fixed when the round is created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Most supported projects first, while the money lasts.
    Greedy,
    /// The Method of Equal Shares (pb-rules' defaults, as pabutools).
    EqualShares,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Greedy => "greedy",
            Self::EqualShares => "equal_shares",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "greedy" => Self::Greedy,
            "equal_shares" => Self::EqualShares,
            _ => return None,
        })
    }
}

/// The review state of a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProposalStatus {
    /// Waiting for review.
    Submitted,
    /// On the ballot.
    Feasible,
    /// Not on the ballot; `review_reason` says why.
    NotFeasible,
}

impl ProposalStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Feasible => "feasible",
            Self::NotFeasible => "not_feasible",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "submitted" => Self::Submitted,
            "feasible" => Self::Feasible,
            "not_feasible" => Self::NotFeasible,
            _ => return None,
        })
    }
}

/// A stored round.
#[derive(Debug, Clone)]
pub struct Round {
    pub id: i64,
    pub neighbourhood: NeighbourhoodId,
    pub title: String,
    pub total_euros: i64,
    pub ballot_kind: BallotKind,
    pub max_choices: Option<i32>,
    pub rule: Rule,
    pub phase: Phase,
    pub proposals_until: Option<NaiveDateTime>,
    pub voting_from: Option<NaiveDateTime>,
    pub voting_until: Option<NaiveDateTime>,
    pub ballot_count: i64,
    pub counted_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

/// A round as one viewer sees it.
#[derive(Debug, Clone)]
pub struct RoundView {
    pub round: Round,
    /// Whether the viewer has voted in this round.
    pub viewer_has_voted: bool,
    /// Whether the viewer may propose a project now.
    pub viewer_can_propose: bool,
    /// Whether the viewer may vote now (a member who has not voted, while voting is open).
    pub viewer_can_vote: bool,
    /// Whether the viewer organises this round (organiser of the neighbourhood, or admin).
    pub viewer_can_organise: bool,
}

/// A stored proposal with its author's display name.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub id: i64,
    pub round: i64,
    pub author: Option<UserId>,
    /// The author's display name; `None` after the account was deleted.
    pub author_name: Option<String>,
    pub title: String,
    pub description: String,
    /// The cost on the ballot (the reviewed cost once reviewed).
    pub cost_euros: i64,
    /// The cost the author proposed.
    pub proposed_cost_euros: i64,
    pub status: ProposalStatus,
    pub review_reason: Option<String>,
    /// Once counted: whether it was funded.
    pub funded: Option<bool>,
    /// Once counted: why (from pb-rules).
    pub explanation: Option<String>,
    pub created_at: NaiveDateTime,
}

/// A proposal as one viewer sees it.
#[derive(Debug, Clone)]
pub struct ProposalView {
    pub proposal: Proposal,
    pub viewer_is_author: bool,
    pub viewer_can_edit: bool,
    pub viewer_can_review: bool,
}

/// A page of proposals, oldest first.
#[derive(Debug, Clone)]
pub struct ProposalPage {
    pub items: Vec<ProposalView>,
    pub has_next: bool,
}

/// The form to create a round.
#[derive(Debug, Clone)]
pub struct NewRound {
    pub neighbourhood: NeighbourhoodId,
    pub title: String,
    pub total_euros: i64,
    pub ballot_kind: BallotKind,
    pub max_choices: Option<i32>,
    pub rule: Rule,
    pub proposals_until: Option<NaiveDateTime>,
    pub voting_from: Option<NaiveDateTime>,
    pub voting_until: Option<NaiveDateTime>,
}

/// The form to propose a project.
#[derive(Debug, Clone)]
pub struct NewProposal {
    pub round: i64,
    pub title: String,
    pub description: String,
    pub cost_euros: i64,
}

/// The form to edit one's own proposal.
#[derive(Debug, Clone)]
pub struct ProposalEdit {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub cost_euros: i64,
}

/// An organiser's review of a proposal.
#[derive(Debug, Clone)]
pub struct Review {
    pub proposal: i64,
    pub feasible: bool,
    /// Required when not feasible or when the cost is revised; public.
    pub reason: Option<String>,
    /// A revised cost (feasible proposals only).
    pub cost_euros: Option<i64>,
}

/// The stored outcome of a counted round.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub round: Round,
    /// Every proposal that was on the ballot, with whether it was funded and why.
    pub projects: Vec<Proposal>,
    /// The total cost of the funded projects.
    pub funded_euros: i64,
}
