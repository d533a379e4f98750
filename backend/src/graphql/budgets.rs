//! GraphQL types and resolvers for the wijkbudget: a thin layer over `domain::budgets`. Every
//! rule (who may do what, what a ballot may contain, secrecy) is decided in the domain.

use chrono::{DateTime, NaiveDateTime, Utc};
use juniper::{GraphQLEnum, GraphQLInputObject, GraphQLObject, ID, graphql_object};

use super::relay::{PageInfo, after_cursor, decode_cursor, decode_id, encode_cursor, encode_id};
use super::{Context, GqlResult};
use crate::domain::budgets::{self as domain, PROPOSAL_KIND, ROUND_KIND, service};
use crate::domain::ids::NeighbourhoodId;
use crate::domain::{DomainError, FieldProblem, ProblemCode};

const NEIGHBOURHOOD_KIND: &str = "Neighbourhood";
const DEFAULT_PAGE: i64 = 20;
const MAX_PAGE: i64 = 100;

/// Where a budget round stands. Phases only move forward.
#[derive(Debug, Clone, Copy, PartialEq, Eq, GraphQLEnum)]
pub enum BudgetPhase {
    /// Members propose projects.
    Proposing,
    /// Organisers review the proposals.
    Reviewing,
    /// Members vote (secret ballot).
    Voting,
    /// The vote is closed and counted; see `budgetOutcome`.
    Counted,
}

impl From<domain::Phase> for BudgetPhase {
    fn from(p: domain::Phase) -> Self {
        match p {
            domain::Phase::Proposing => Self::Proposing,
            domain::Phase::Reviewing => Self::Reviewing,
            domain::Phase::Voting => Self::Voting,
            domain::Phase::Counted => Self::Counted,
        }
    }
}

/// What a ballot may contain. Fixed when the round is created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, GraphQLEnum)]
pub enum BudgetBallotKind {
    /// Choose any number of projects.
    Approval,
    /// Choose at most `maxChoices` projects.
    #[graphql(name = "K_APPROVAL")]
    KApproval,
    /// Choose projects that together cost at most the total amount.
    Knapsack,
}

impl From<domain::BallotKind> for BudgetBallotKind {
    fn from(k: domain::BallotKind) -> Self {
        match k {
            domain::BallotKind::Approval => Self::Approval,
            domain::BallotKind::KApproval => Self::KApproval,
            domain::BallotKind::Knapsack => Self::Knapsack,
        }
    }
}

impl From<BudgetBallotKind> for domain::BallotKind {
    fn from(k: BudgetBallotKind) -> Self {
        match k {
            BudgetBallotKind::Approval => Self::Approval,
            BudgetBallotKind::KApproval => Self::KApproval,
            BudgetBallotKind::Knapsack => Self::Knapsack,
        }
    }
}

/// How the ballots are counted (with `pb-rules`). Fixed when the round is created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, GraphQLEnum)]
pub enum BudgetRule {
    /// The most supported projects first, while the money lasts.
    Greedy,
    /// The Method of Equal Shares.
    EqualShares,
}

impl From<domain::Rule> for BudgetRule {
    fn from(r: domain::Rule) -> Self {
        match r {
            domain::Rule::Greedy => Self::Greedy,
            domain::Rule::EqualShares => Self::EqualShares,
        }
    }
}

impl From<BudgetRule> for domain::Rule {
    fn from(r: BudgetRule) -> Self {
        match r {
            BudgetRule::Greedy => Self::Greedy,
            BudgetRule::EqualShares => Self::EqualShares,
        }
    }
}

/// The review state of a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, GraphQLEnum)]
pub enum BudgetProposalStatus {
    /// Waiting for a review.
    Submitted,
    /// On the ballot.
    Feasible,
    /// Not on the ballot; `reviewReason` says why.
    NotFeasible,
}

impl From<domain::ProposalStatus> for BudgetProposalStatus {
    fn from(s: domain::ProposalStatus) -> Self {
        match s {
            domain::ProposalStatus::Submitted => Self::Submitted,
            domain::ProposalStatus::Feasible => Self::Feasible,
            domain::ProposalStatus::NotFeasible => Self::NotFeasible,
        }
    }
}

fn utc(at: NaiveDateTime) -> DateTime<Utc> {
    at.and_utc()
}

fn euros(value: i64) -> f64 {
    value as f64
}

/// A wijkbudget round of a neighbourhood.
#[derive(Debug, Clone, GraphQLObject)]
pub struct BudgetRound {
    pub id: ID,
    pub neighbourhood_id: ID,
    pub title: String,
    /// The money to spend, in whole euros.
    pub total_euros: f64,
    pub ballot_kind: BudgetBallotKind,
    /// The most projects one ballot may choose (K_APPROVAL only).
    pub max_choices: Option<i32>,
    pub rule: BudgetRule,
    pub phase: BudgetPhase,
    /// Planned: the end of proposing.
    pub proposals_until: Option<DateTime<Utc>>,
    /// Planned: the start of voting.
    pub voting_from: Option<DateTime<Utc>>,
    /// Planned: the end of voting.
    pub voting_until: Option<DateTime<Utc>>,
    /// Ballots cast so far.
    pub ballot_count: f64,
    pub counted_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// Whether the viewer has voted in this round (never what they voted).
    pub viewer_has_voted: bool,
    /// Whether the viewer may propose a project now.
    pub viewer_can_propose: bool,
    /// Whether the viewer may vote now.
    pub viewer_can_vote: bool,
    /// Whether the viewer organises this round (reviews, moves its phase).
    pub viewer_can_organise: bool,
}

impl From<domain::RoundView> for BudgetRound {
    fn from(v: domain::RoundView) -> Self {
        let r = v.round;
        Self {
            id: encode_id(ROUND_KIND, r.id),
            neighbourhood_id: encode_id(NEIGHBOURHOOD_KIND, r.neighbourhood.0),
            title: r.title,
            total_euros: euros(r.total_euros),
            ballot_kind: r.ballot_kind.into(),
            max_choices: r.max_choices,
            rule: r.rule.into(),
            phase: r.phase.into(),
            proposals_until: r.proposals_until.map(utc),
            voting_from: r.voting_from.map(utc),
            voting_until: r.voting_until.map(utc),
            ballot_count: euros(r.ballot_count),
            counted_at: r.counted_at.map(utc),
            created_at: utc(r.created_at),
            viewer_has_voted: v.viewer_has_voted,
            viewer_can_propose: v.viewer_can_propose,
            viewer_can_vote: v.viewer_can_vote,
            viewer_can_organise: v.viewer_can_organise,
        }
    }
}

/// A project proposed for a budget round.
#[derive(Debug, Clone, GraphQLObject)]
pub struct BudgetProposal {
    pub id: ID,
    pub round_id: ID,
    pub title: String,
    pub description: String,
    /// The author's display name; empty after the account was deleted.
    pub author_name: Option<String>,
    /// The cost on the ballot, in whole euros (the reviewed cost once reviewed).
    pub cost_euros: f64,
    /// The cost the author proposed, in whole euros.
    pub proposed_cost_euros: f64,
    pub status: BudgetProposalStatus,
    /// The organisers' public reason (not feasible, or a revised cost).
    pub review_reason: Option<String>,
    /// Once counted: whether it was funded.
    pub funded: Option<bool>,
    /// Once counted: why it was or was not funded (from pb-rules, in English).
    pub explanation: Option<String>,
    pub created_at: DateTime<Utc>,
    pub viewer_is_author: bool,
    pub viewer_can_edit: bool,
    pub viewer_can_review: bool,
}

fn proposal(p: domain::Proposal, is_author: bool, edit: bool, review: bool) -> BudgetProposal {
    BudgetProposal {
        id: encode_id(PROPOSAL_KIND, p.id),
        round_id: encode_id(ROUND_KIND, p.round),
        title: p.title,
        description: p.description,
        author_name: p.author_name,
        cost_euros: euros(p.cost_euros),
        proposed_cost_euros: euros(p.proposed_cost_euros),
        status: p.status.into(),
        review_reason: p.review_reason,
        funded: p.funded,
        explanation: p.explanation,
        created_at: utc(p.created_at),
        viewer_is_author: is_author,
        viewer_can_edit: edit,
        viewer_can_review: review,
    }
}

impl From<domain::ProposalView> for BudgetProposal {
    fn from(v: domain::ProposalView) -> Self {
        proposal(
            v.proposal,
            v.viewer_is_author,
            v.viewer_can_edit,
            v.viewer_can_review,
        )
    }
}

/// A page of budget rounds, newest first.
#[derive(Debug, Clone, GraphQLObject)]
pub struct BudgetRoundConnection {
    pub edges: Vec<BudgetRoundEdge>,
    pub page_info: PageInfo,
}

#[derive(Debug, Clone, GraphQLObject)]
pub struct BudgetRoundEdge {
    pub cursor: String,
    pub node: BudgetRound,
}

/// A page of proposals, oldest first.
#[derive(Debug, Clone)]
pub struct BudgetProposalConnection {
    pub edges: Vec<BudgetProposalEdge>,
    pub page_info: PageInfo,
    round: i64,
}

/// A page of proposals, oldest first.
#[graphql_object(context = Context)]
impl BudgetProposalConnection {
    fn edges(&self) -> &[BudgetProposalEdge] {
        &self.edges
    }

    fn page_info(&self) -> &PageInfo {
        &self.page_info
    }

    /// All proposals of the round (one statement, only when asked for; at most 200).
    async fn total_count(&self, context: &Context) -> GqlResult<i32> {
        let round = self.round;
        let total = context
            .run(move |conn, _actor| Ok(service::proposal_count(conn, round)?))
            .await?;
        Ok(i32::try_from(total).unwrap_or(i32::MAX))
    }
}

#[derive(Debug, Clone, GraphQLObject)]
pub struct BudgetProposalEdge {
    pub cursor: String,
    pub node: BudgetProposal,
}

/// The counted outcome of a round, computed with pb-rules and stored at the close.
#[derive(Debug, Clone, GraphQLObject)]
pub struct BudgetOutcome {
    pub round: BudgetRound,
    pub rule: BudgetRule,
    /// The ballots counted.
    pub ballot_count: f64,
    /// The total cost of the funded projects, in whole euros.
    pub funded_euros: f64,
    /// The funded projects, in ballot order (at most 200).
    pub funded: Vec<BudgetProposal>,
    /// Every project on the ballot, with whether it was funded and why (at most 200).
    pub projects: Vec<BudgetProposal>,
    /// The anonymous election in the Pabulib `.pb` format, to recompute the result.
    pub election_pb: String,
}

/// A new budget round.
#[derive(Debug, Clone, GraphQLInputObject)]
pub struct CreateBudgetRoundInput {
    pub neighbourhood_id: ID,
    pub title: String,
    /// Whole euros, 1 to 100,000,000.
    pub total_euros: f64,
    pub ballot_kind: BudgetBallotKind,
    /// Required for K_APPROVAL (1 to 100), not allowed otherwise.
    pub max_choices: Option<i32>,
    pub rule: BudgetRule,
    pub proposals_until: Option<DateTime<Utc>>,
    pub voting_from: Option<DateTime<Utc>>,
    pub voting_until: Option<DateTime<Utc>>,
}

/// A project to propose.
#[derive(Debug, Clone, GraphQLInputObject)]
pub struct ProposeBudgetProjectInput {
    pub round_id: ID,
    pub title: String,
    pub description: String,
    /// Whole euros, at most the round's total.
    pub cost_euros: f64,
}

/// A change to one's own proposal.
#[derive(Debug, Clone, GraphQLInputObject)]
pub struct EditBudgetProposalInput {
    pub id: ID,
    pub title: String,
    pub description: String,
    pub cost_euros: f64,
}

/// An organiser's review.
#[derive(Debug, Clone, GraphQLInputObject)]
pub struct ReviewBudgetProposalInput {
    pub id: ID,
    pub feasible: bool,
    /// Public; required when not feasible or when the cost is revised.
    pub reason: Option<String>,
    /// A revised cost in whole euros (feasible only).
    pub cost_euros: Option<f64>,
}

fn problem(field: &'static str, code: ProblemCode) -> DomainError {
    DomainError::Validation(vec![FieldProblem::new(field, code)])
}

/// Whole euros from the API's Float: an integer within i64, or OUT_OF_RANGE on `field`.
fn whole_euros(context: &Context, field: &'static str, value: f64) -> GqlResult<i64> {
    if value.is_finite() && value.fract() == 0.0 && value.abs() < 1e15 {
        Ok(value as i64)
    } else {
        Err(context.fail(problem(field, ProblemCode::OutOfRange)))
    }
}

fn page_size(context: &Context, first: Option<i32>) -> GqlResult<i64> {
    match first.map(i64::from) {
        None => Ok(DEFAULT_PAGE),
        Some(n) if n < 0 => Err(context.fail(problem("first", ProblemCode::InvalidFormat))),
        Some(n) if n > MAX_PAGE => Err(context.fail(problem(
            "first",
            ProblemCode::TooLong {
                max: MAX_PAGE as usize,
            },
        ))),
        Some(n) => Ok(n),
    }
}

fn id_cursor(id: i64) -> String {
    encode_cursor(&serde_json::json!({ "id": id }))
}

fn parse_id_cursor(raw: &str) -> Option<i64> {
    decode_cursor(raw)?.get("id")?.as_i64()
}

fn decoded(context: &Context, kind: &str, id: &ID, entity: &'static str) -> GqlResult<i64> {
    decode_id(kind, id).ok_or_else(|| context.fail(DomainError::NotFound { entity }))
}

fn naive(at: Option<DateTime<Utc>>) -> Option<NaiveDateTime> {
    at.map(|a| a.naive_utc())
}

pub(super) async fn rounds(
    context: &Context,
    neighbourhood_id: ID,
    first: Option<i32>,
    after: Option<String>,
) -> GqlResult<BudgetRoundConnection> {
    let size = page_size(context, first)?;
    let before = after_cursor(context, after.as_deref(), parse_id_cursor)?;
    let Some(neighbourhood) = decode_id(NEIGHBOURHOOD_KIND, &neighbourhood_id) else {
        return Err(context.fail(DomainError::NotFound {
            entity: "neighbourhood",
        }));
    };
    let (views, has_next) = context
        .run(move |conn, actor| {
            service::rounds(conn, actor, NeighbourhoodId(neighbourhood), before, size)
        })
        .await?;
    let edges: Vec<BudgetRoundEdge> = views
        .into_iter()
        .map(|v| BudgetRoundEdge {
            cursor: id_cursor(v.round.id),
            node: v.into(),
        })
        .collect();
    Ok(BudgetRoundConnection {
        page_info: PageInfo {
            has_next_page: has_next,
            has_previous_page: before.is_some(),
            start_cursor: edges.first().map(|e| e.cursor.clone()),
            end_cursor: edges.last().map(|e| e.cursor.clone()),
        },
        edges,
    })
}

pub(super) async fn round(context: &Context, id: ID) -> GqlResult<Option<BudgetRound>> {
    let Some(raw) = decode_id(ROUND_KIND, &id) else {
        return Ok(None);
    };
    let found = context
        .run(move |conn, actor| service::round(conn, actor, raw))
        .await?;
    Ok(found.map(BudgetRound::from))
}

pub(super) async fn proposals(
    context: &Context,
    round_id: ID,
    first: Option<i32>,
    after: Option<String>,
) -> GqlResult<Option<BudgetProposalConnection>> {
    let size = page_size(context, first)?;
    let after_id = after_cursor(context, after.as_deref(), parse_id_cursor)?;
    let Some(raw) = decode_id(ROUND_KIND, &round_id) else {
        return Ok(None);
    };
    let page = context
        .run(move |conn, actor| service::proposals(conn, actor, raw, after_id, size))
        .await?;
    Ok(page.map(|page| {
        let edges: Vec<BudgetProposalEdge> = page
            .items
            .into_iter()
            .map(|v| BudgetProposalEdge {
                cursor: id_cursor(v.proposal.id),
                node: v.into(),
            })
            .collect();
        BudgetProposalConnection {
            page_info: PageInfo {
                has_next_page: page.has_next,
                has_previous_page: after_id.is_some(),
                start_cursor: edges.first().map(|e| e.cursor.clone()),
                end_cursor: edges.last().map(|e| e.cursor.clone()),
            },
            edges,
            round: raw,
        }
    }))
}

pub(super) async fn outcome(context: &Context, round_id: ID) -> GqlResult<Option<BudgetOutcome>> {
    let Some(raw) = decode_id(ROUND_KIND, &round_id) else {
        return Ok(None);
    };
    let found = context
        .run(move |conn, actor| {
            let Some(outcome) = service::outcome(conn, raw)? else {
                return Ok(None);
            };
            let view = service::round(conn, actor, raw)?;
            let pb = service::export(conn, raw)?.unwrap_or_default();
            Ok(view.map(|v| (outcome, v, pb)))
        })
        .await?;
    Ok(found.map(|(outcome, view, pb)| {
        let projects: Vec<BudgetProposal> = outcome
            .projects
            .into_iter()
            .map(|p| proposal(p, false, false, false))
            .collect();
        BudgetOutcome {
            rule: outcome.round.rule.into(),
            ballot_count: euros(outcome.round.ballot_count),
            funded_euros: euros(outcome.funded_euros),
            funded: projects
                .iter()
                .filter(|p| p.funded == Some(true))
                .cloned()
                .collect(),
            projects,
            round: view.into(),
            election_pb: pb,
        }
    }))
}

pub(super) async fn create_round(
    context: &Context,
    input: CreateBudgetRoundInput,
) -> GqlResult<BudgetRound> {
    let neighbourhood = decoded(
        context,
        NEIGHBOURHOOD_KIND,
        &input.neighbourhood_id,
        "neighbourhood",
    )?;
    let total_euros = whole_euros(context, "totalEuros", input.total_euros)?;
    let form = domain::NewRound {
        neighbourhood: NeighbourhoodId(neighbourhood),
        title: input.title,
        total_euros,
        ballot_kind: input.ballot_kind.into(),
        max_choices: input.max_choices,
        rule: input.rule.into(),
        proposals_until: naive(input.proposals_until),
        voting_from: naive(input.voting_from),
        voting_until: naive(input.voting_until),
    };
    let view = context
        .run(move |conn, actor| service::create_round(conn, actor, form))
        .await?;
    Ok(view.into())
}

pub(super) async fn propose(
    context: &Context,
    input: ProposeBudgetProjectInput,
) -> GqlResult<BudgetProposal> {
    let round = decoded(context, ROUND_KIND, &input.round_id, "budget round")?;
    let cost_euros = whole_euros(context, "costEuros", input.cost_euros)?;
    let form = domain::NewProposal {
        round,
        title: input.title,
        description: input.description,
        cost_euros,
    };
    let view = context
        .run(move |conn, actor| service::propose(conn, actor, form))
        .await?;
    Ok(view.into())
}

pub(super) async fn edit_proposal(
    context: &Context,
    input: EditBudgetProposalInput,
) -> GqlResult<BudgetProposal> {
    let id = decoded(context, PROPOSAL_KIND, &input.id, "budget proposal")?;
    let cost_euros = whole_euros(context, "costEuros", input.cost_euros)?;
    let form = domain::ProposalEdit {
        id,
        title: input.title,
        description: input.description,
        cost_euros,
    };
    let view = context
        .run(move |conn, actor| service::edit_proposal(conn, actor, form))
        .await?;
    Ok(view.into())
}

pub(super) async fn review(
    context: &Context,
    input: ReviewBudgetProposalInput,
) -> GqlResult<BudgetProposal> {
    let id = decoded(context, PROPOSAL_KIND, &input.id, "budget proposal")?;
    let cost_euros = input
        .cost_euros
        .map(|c| whole_euros(context, "costEuros", c))
        .transpose()?;
    let form = domain::Review {
        proposal: id,
        feasible: input.feasible,
        reason: input.reason,
        cost_euros,
    };
    let view = context
        .run(move |conn, actor| service::review(conn, actor, form))
        .await?;
    Ok(view.into())
}

pub(super) async fn advance(
    context: &Context,
    id: ID,
    reason: Option<String>,
) -> GqlResult<BudgetRound> {
    let id = decoded(context, ROUND_KIND, &id, "budget round")?;
    let view = context
        .run(move |conn, actor| service::advance(conn, actor, id, reason))
        .await?;
    Ok(view.into())
}

pub(super) async fn cast(
    context: &Context,
    round_id: ID,
    choices: Vec<ID>,
) -> GqlResult<BudgetRound> {
    let id = decoded(context, ROUND_KIND, &round_id, "budget round")?;
    let choices: Vec<String> = choices.into_iter().map(|c| c.to_string()).collect();
    let view = context
        .run(move |conn, actor| service::cast(conn, actor, id, &choices))
        .await?;
    Ok(view.into())
}
