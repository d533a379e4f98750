//! The use cases of the wijkbudget. Every mutation runs in one write transaction; every rule is
//! decided by `policy`.

use diesel::prelude::*;

use super::election::{self, project_id};
use super::model::{
    BallotKind, NewProposal, NewRound, Outcome, Phase, Proposal, ProposalEdit, ProposalPage,
    ProposalStatus, ProposalView, Review, Round, RoundView,
};
use super::policy::{self, Viewer};
use super::{PROPOSAL_KIND, repo};
use crate::db::schema::{budget_proposals, budget_rounds, budget_voters, neighbourhoods};
use crate::db::{DbConnection, backend_specific, write_transaction};
use crate::domain::audit::{self, AuditEntry};
use crate::domain::ids::{NeighbourhoodId, parse_public_id};
use crate::domain::text::checked_text;
use crate::domain::{Actor, DomainError, DomainResult, FieldProblem, ProblemCode, now};

pub const TITLE_MAX: usize = 120;
pub const DESCRIPTION_MAX: usize = 5000;
pub const REASON_MAX: usize = 2000;
/// The largest total amount of a round, in euros.
pub const TOTAL_MAX: i64 = 100_000_000;
/// The most choices a k-approval ballot may allow.
pub const MAX_CHOICES_MAX: i32 = 100;
/// The most proposals per round (so that a ballot and an outcome stay a bounded list).
pub const PROPOSALS_MAX: i64 = 200;

fn not_found() -> DomainError {
    DomainError::NotFound {
        entity: "budget round",
    }
}

fn proposal_not_found() -> DomainError {
    DomainError::NotFound {
        entity: "budget proposal",
    }
}

fn wrong_phase() -> DomainError {
    DomainError::Conflict(vec![FieldProblem::new(
        "phase",
        ProblemCode::InvalidTransition,
    )])
}

fn invalid(problems: Vec<FieldProblem>) -> DomainResult<()> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(DomainError::Validation(problems))
    }
}

fn view_round(viewer: &Viewer, round: Round, has_voted: bool) -> RoundView {
    let (propose, vote, organise) = policy::round_permissions(viewer, &round, has_voted);
    RoundView {
        round,
        viewer_has_voted: has_voted,
        viewer_can_propose: propose,
        viewer_can_vote: vote,
        viewer_can_organise: organise,
    }
}

fn view_proposal(viewer: &Viewer, round: &Round, proposal: Proposal) -> ProposalView {
    let is_author = viewer.user.is_some() && proposal.author == viewer.user;
    ProposalView {
        viewer_is_author: is_author,
        viewer_can_edit: is_author && round.phase == Phase::Proposing,
        viewer_can_review: viewer.user.is_some()
            && viewer.moderates(round.neighbourhood)
            && round.phase == Phase::Reviewing,
        proposal,
    }
}

fn has_voted(conn: &mut DbConnection, viewer: &Viewer, round: i64) -> QueryResult<bool> {
    match viewer.user {
        None => Ok(false),
        Some(user) => Ok(!repo::voted_in(conn, user, &[round])?.is_empty()),
    }
}

/// A round as the actor sees it; `None` when it does not exist.
pub fn round(conn: &mut DbConnection, actor: &Actor, id: i64) -> DomainResult<Option<RoundView>> {
    let Some(round) = repo::find_round(conn, id)? else {
        return Ok(None);
    };
    let viewer = Viewer::load(conn, actor)?;
    let voted = has_voted(conn, &viewer, id)?;
    Ok(Some(view_round(&viewer, round, voted)))
}

/// The rounds of a neighbourhood, newest first: up to `first` after the round `before`, and
/// whether more follow. Three statements at most, whatever the page size.
pub fn rounds(
    conn: &mut DbConnection,
    actor: &Actor,
    neighbourhood: NeighbourhoodId,
    before: Option<i64>,
    first: i64,
) -> DomainResult<(Vec<RoundView>, bool)> {
    let viewer = Viewer::load(conn, actor)?;
    let mut rows = repo::rounds_of(conn, neighbourhood, before, first + 1)?;
    let has_next = rows.len() as i64 > first;
    rows.truncate(usize::try_from(first).unwrap_or(0));
    let voted = match viewer.user {
        Some(user) => repo::voted_in(conn, user, &rows.iter().map(|r| r.id).collect::<Vec<_>>())?,
        None => Vec::new(),
    };
    let views = rows
        .into_iter()
        .map(|r| {
            let v = voted.contains(&r.id);
            view_round(&viewer, r, v)
        })
        .collect();
    Ok((views, has_next))
}

/// Create a round: organisers of the neighbourhood and admins.
pub fn create_round(
    conn: &mut DbConnection,
    actor: &Actor,
    form: NewRound,
) -> DomainResult<RoundView> {
    let viewer = Viewer::load(conn, actor)?;
    let user = policy::may_organise(&viewer, form.neighbourhood)?;
    let exists: i64 = neighbourhoods::table
        .filter(neighbourhoods::id.eq(form.neighbourhood.0))
        .count()
        .get_result(conn)?;
    if exists == 0 {
        return Err(DomainError::NotFound {
            entity: "neighbourhood",
        });
    }
    let mut problems = Vec::new();
    let title = checked_text("title", &form.title, 1, TITLE_MAX, false, &mut problems);
    if !(1..=TOTAL_MAX).contains(&form.total_euros) {
        problems.push(FieldProblem::new("totalEuros", ProblemCode::OutOfRange));
    }
    match (form.ballot_kind, form.max_choices) {
        (BallotKind::KApproval, None) => {
            problems.push(FieldProblem::new("maxChoices", ProblemCode::Required));
        }
        (BallotKind::KApproval, Some(k)) if !(1..=MAX_CHOICES_MAX).contains(&k) => {
            problems.push(FieldProblem::new("maxChoices", ProblemCode::OutOfRange));
        }
        (BallotKind::Approval | BallotKind::Knapsack, Some(_)) => {
            problems.push(FieldProblem::new("maxChoices", ProblemCode::InvalidFormat));
        }
        _ => {}
    }
    let in_order = |a: Option<chrono::NaiveDateTime>, b: Option<chrono::NaiveDateTime>| match (a, b)
    {
        (Some(a), Some(b)) => a <= b,
        _ => true,
    };
    if !in_order(form.proposals_until, form.voting_from) {
        problems.push(FieldProblem::new("votingFrom", ProblemCode::OutOfRange));
    }
    if !in_order(form.voting_from, form.voting_until)
        || !in_order(form.proposals_until, form.voting_until)
    {
        problems.push(FieldProblem::new("votingUntil", ProblemCode::OutOfRange));
    }
    invalid(problems)?;
    let id = write_transaction(conn, |conn| -> DomainResult<i64> {
        let at = now();
        diesel::insert_into(budget_rounds::table)
            .values((
                budget_rounds::neighbourhood_id.eq(form.neighbourhood.0),
                budget_rounds::title.eq(&title),
                budget_rounds::total_euros.eq(form.total_euros),
                budget_rounds::ballot_kind.eq(form.ballot_kind.as_str()),
                budget_rounds::max_choices.eq(form.max_choices),
                budget_rounds::rule.eq(form.rule.as_str()),
                budget_rounds::phase.eq(Phase::Proposing.as_str()),
                budget_rounds::proposals_until.eq(form.proposals_until),
                budget_rounds::voting_from.eq(form.voting_from),
                budget_rounds::voting_until.eq(form.voting_until),
                budget_rounds::ballot_count.eq(0_i64),
                budget_rounds::created_by_user_id.eq(Some(user.0)),
                budget_rounds::created_at.eq(at),
                budget_rounds::updated_at.eq(at),
            ))
            .execute(conn)?;
        let id = backend_specific::last_insert_id(conn)?;
        audit::record(
            conn,
            actor,
            AuditEntry::new("budget.create", "budget_round", Some(id)).details(serde_json::json!({
                "neighbourhood": form.neighbourhood.0,
                "totalEuros": form.total_euros,
                "ballotKind": form.ballot_kind.as_str(),
                "maxChoices": form.max_choices,
                "rule": form.rule.as_str(),
            })),
        )?;
        Ok(id)
    })?;
    let round = repo::find_round(conn, id)?.ok_or_else(not_found)?;
    Ok(view_round(&viewer, round, false))
}

/// The proposals of a round, oldest first: up to `first` after the proposal `after`.
pub fn proposals(
    conn: &mut DbConnection,
    actor: &Actor,
    round: i64,
    after: Option<i64>,
    first: i64,
) -> DomainResult<Option<ProposalPage>> {
    let Some(round) = repo::find_round(conn, round)? else {
        return Ok(None);
    };
    let viewer = Viewer::load(conn, actor)?;
    let mut rows = repo::proposals_of(conn, round.id, after, first + 1, false)?;
    let has_next = rows.len() as i64 > first;
    rows.truncate(usize::try_from(first).unwrap_or(0));
    Ok(Some(ProposalPage {
        items: rows
            .into_iter()
            .map(|p| view_proposal(&viewer, &round, p))
            .collect(),
        has_next,
    }))
}

/// The number of proposals of a round (at most `PROPOSALS_MAX`, so the count is bounded).
pub fn proposal_count(conn: &mut DbConnection, round: i64) -> QueryResult<i64> {
    budget_proposals::table
        .filter(budget_proposals::round_id.eq(round))
        .count()
        .get_result(conn)
}

fn check_proposal_fields(
    round: &Round,
    title: &str,
    description: &str,
    cost_euros: i64,
) -> DomainResult<(String, String)> {
    let mut problems = Vec::new();
    let title = checked_text("title", title, 1, TITLE_MAX, false, &mut problems);
    let description = checked_text(
        "description",
        description,
        1,
        DESCRIPTION_MAX,
        true,
        &mut problems,
    );
    if cost_euros < 1 || cost_euros > round.total_euros {
        problems.push(FieldProblem::new("costEuros", ProblemCode::OutOfRange));
    }
    invalid(problems)?;
    Ok((title, description))
}

/// Propose a project: members of the neighbourhood, while proposing is open.
pub fn propose(
    conn: &mut DbConnection,
    actor: &Actor,
    form: NewProposal,
) -> DomainResult<ProposalView> {
    let viewer = Viewer::load(conn, actor)?;
    let round = repo::find_round(conn, form.round)?.ok_or_else(not_found)?;
    let author = policy::may_take_part(&viewer, round.neighbourhood)?;
    let (title, description) =
        check_proposal_fields(&round, &form.title, &form.description, form.cost_euros)?;
    let id = write_transaction(conn, |conn| -> DomainResult<i64> {
        // The phase and the number of proposals, under the round's lock.
        lock_round(conn, round.id)?;
        let current = repo::find_round(conn, round.id)?.ok_or_else(not_found)?;
        if current.phase != Phase::Proposing {
            return Err(wrong_phase());
        }
        let (count, _, _) = repo::proposal_counts(conn, round.id)?;
        if count >= PROPOSALS_MAX {
            return Err(DomainError::Conflict(vec![FieldProblem::new(
                "roundId",
                ProblemCode::LimitReached {
                    max: PROPOSALS_MAX as usize,
                },
            )]));
        }
        let at = now();
        diesel::insert_into(budget_proposals::table)
            .values((
                budget_proposals::round_id.eq(round.id),
                budget_proposals::author_user_id.eq(Some(author.0)),
                budget_proposals::title.eq(&title),
                budget_proposals::description.eq(&description),
                budget_proposals::cost_euros.eq(form.cost_euros),
                budget_proposals::proposed_cost_euros.eq(form.cost_euros),
                budget_proposals::status.eq(ProposalStatus::Submitted.as_str()),
                budget_proposals::created_at.eq(at),
                budget_proposals::updated_at.eq(at),
            ))
            .execute(conn)?;
        Ok(backend_specific::last_insert_id(conn)?)
    })?;
    let proposal = repo::find_proposal(conn, id)?.ok_or_else(proposal_not_found)?;
    Ok(view_proposal(&viewer, &round, proposal))
}

/// Serialise writers of one round on PostgreSQL (SQLite's write transactions are one at a time).
fn lock_round(conn: &mut DbConnection, round: i64) -> DomainResult<()> {
    backend_specific::lock_for_transaction(conn, &format!("budget_round:{round}"))?;
    Ok(())
}

/// Edit one's own proposal while proposing is open.
pub fn edit_proposal(
    conn: &mut DbConnection,
    actor: &Actor,
    form: ProposalEdit,
) -> DomainResult<ProposalView> {
    let viewer = Viewer::load(conn, actor)?;
    policy::signed_in(&viewer)?;
    let proposal = repo::find_proposal(conn, form.id)?.ok_or_else(proposal_not_found)?;
    policy::may_edit(&viewer, &proposal)?;
    let round = repo::find_round(conn, proposal.round)?.ok_or_else(not_found)?;
    let (title, description) =
        check_proposal_fields(&round, &form.title, &form.description, form.cost_euros)?;
    write_transaction(conn, |conn| -> DomainResult<()> {
        lock_round(conn, round.id)?;
        let current = repo::find_round(conn, round.id)?.ok_or_else(not_found)?;
        if current.phase != Phase::Proposing {
            return Err(wrong_phase());
        }
        diesel::update(budget_proposals::table.find(form.id))
            .set((
                budget_proposals::title.eq(&title),
                budget_proposals::description.eq(&description),
                budget_proposals::cost_euros.eq(form.cost_euros),
                budget_proposals::proposed_cost_euros.eq(form.cost_euros),
                budget_proposals::updated_at.eq(now()),
            ))
            .execute(conn)?;
        Ok(())
    })?;
    let proposal = repo::find_proposal(conn, form.id)?.ok_or_else(proposal_not_found)?;
    Ok(view_proposal(&viewer, &round, proposal))
}

/// Review a proposal: organisers of the neighbourhood and admins, while reviewing. A proposal
/// can be reviewed again until voting opens; each review is in the audit log with its reason.
pub fn review(conn: &mut DbConnection, actor: &Actor, form: Review) -> DomainResult<ProposalView> {
    let viewer = Viewer::load(conn, actor)?;
    policy::signed_in(&viewer)?;
    let proposal = repo::find_proposal(conn, form.proposal)?.ok_or_else(proposal_not_found)?;
    let round = repo::find_round(conn, proposal.round)?.ok_or_else(not_found)?;
    policy::may_organise(&viewer, round.neighbourhood)?;
    let mut problems = Vec::new();
    let reason = form
        .reason
        .as_deref()
        .map(|r| checked_text("reason", r, 0, REASON_MAX, true, &mut problems))
        .filter(|r| !r.is_empty());
    let needs_reason = !form.feasible || form.cost_euros.is_some();
    if needs_reason && reason.is_none() && problems.is_empty() {
        problems.push(FieldProblem::new("reason", ProblemCode::Required));
    }
    match form.cost_euros {
        Some(_) if !form.feasible => {
            problems.push(FieldProblem::new("costEuros", ProblemCode::InvalidFormat));
        }
        Some(c) if c < 1 || c > round.total_euros => {
            problems.push(FieldProblem::new("costEuros", ProblemCode::OutOfRange));
        }
        _ => {}
    }
    invalid(problems)?;
    let status = if form.feasible {
        ProposalStatus::Feasible
    } else {
        ProposalStatus::NotFeasible
    };
    let cost = form.cost_euros.unwrap_or(proposal.proposed_cost_euros);
    write_transaction(conn, |conn| -> DomainResult<()> {
        lock_round(conn, round.id)?;
        let current = repo::find_round(conn, round.id)?.ok_or_else(not_found)?;
        if current.phase != Phase::Reviewing {
            return Err(wrong_phase());
        }
        diesel::update(budget_proposals::table.find(proposal.id))
            .set((
                budget_proposals::status.eq(status.as_str()),
                budget_proposals::review_reason.eq(&reason),
                budget_proposals::cost_euros.eq(cost),
                budget_proposals::updated_at.eq(now()),
            ))
            .execute(conn)?;
        let mut entry = AuditEntry::new("budget.review", "budget_proposal", Some(proposal.id))
            .details(serde_json::json!({
                "round": round.id,
                "status": status.as_str(),
                "costEuros": cost,
                "proposedCostEuros": proposal.proposed_cost_euros,
            }));
        entry.reason.clone_from(&reason);
        audit::record(conn, actor, entry)?;
        Ok(())
    })?;
    let proposal = repo::find_proposal(conn, proposal.id)?.ok_or_else(proposal_not_found)?;
    Ok(view_proposal(&viewer, &round, proposal))
}

/// Move a round to its next phase: organisers and admins. Voting opens only when every
/// proposal is reviewed and at least one is feasible; closing the vote counts it.
pub fn advance(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    reason: Option<String>,
) -> DomainResult<RoundView> {
    let viewer = Viewer::load(conn, actor)?;
    policy::signed_in(&viewer)?;
    let round = repo::find_round(conn, id)?.ok_or_else(not_found)?;
    policy::may_organise(&viewer, round.neighbourhood)?;
    let mut problems = Vec::new();
    let reason = reason
        .as_deref()
        .map(|r| checked_text("reason", r, 0, REASON_MAX, true, &mut problems))
        .filter(|r| !r.is_empty());
    invalid(problems)?;
    write_transaction(conn, |conn| -> DomainResult<()> {
        lock_round(conn, id)?;
        let current = repo::find_round(conn, id)?.ok_or_else(not_found)?;
        let Some(next) = current.phase.next() else {
            return Err(wrong_phase());
        };
        if next == Phase::Voting {
            let (_, submitted, feasible) = repo::proposal_counts(conn, id)?;
            if submitted > 0 {
                return Err(DomainError::Conflict(vec![FieldProblem::new(
                    "proposals",
                    ProblemCode::NotReviewed,
                )]));
            }
            if feasible == 0 {
                return Err(DomainError::Conflict(vec![FieldProblem::new(
                    "proposals",
                    ProblemCode::Required,
                )]));
            }
        }
        // Compare-and-set on the phase: a concurrent vote holds the round's row until it
        // commits, so the count below sees every ballot cast before the vote closed.
        let changed = diesel::update(
            budget_rounds::table
                .filter(budget_rounds::id.eq(id))
                .filter(budget_rounds::phase.eq(current.phase.as_str())),
        )
        .set((
            budget_rounds::phase.eq(next.as_str()),
            budget_rounds::updated_at.eq(now()),
        ))
        .execute(conn)?;
        if changed != 1 {
            return Err(wrong_phase());
        }
        let mut details = serde_json::json!({
            "from": current.phase.as_str(),
            "to": next.as_str(),
        });
        if next == Phase::Counted {
            let (ballots, funded) = count_round(conn, &current)?;
            details["ballots"] = ballots.into();
            details["funded"] = funded.into();
        }
        let mut entry = AuditEntry::new("budget.phase", "budget_round", Some(id)).details(details);
        entry.reason = reason;
        audit::record(conn, actor, entry)?;
        Ok(())
    })?;
    let round = repo::find_round(conn, id)?.ok_or_else(not_found)?;
    let voted = has_voted(conn, &viewer, id)?;
    Ok(view_round(&viewer, round, voted))
}

/// Count a round inside the closing transaction: rewrite the ballots (see
/// `repo::rewrite_ballots`), run the rule, store per proposal whether it was funded and why.
/// Returns (ballots, funded projects).
fn count_round(conn: &mut DbConnection, round: &Round) -> DomainResult<(usize, usize)> {
    repo::rewrite_ballots(conn, round.id)?;
    let on_ballot = repo::proposals_of(conn, round.id, None, PROPOSALS_MAX, true)?;
    let mut election = election::empty_election(round, &on_ballot);
    let ballots = repo::ballots_of(conn, round.id)?;
    election::push_ballots(&mut election, &ballots);
    let results = election::count(&election, round.rule)?;
    let mut funded = 0;
    for (index, is_funded, explanation) in results {
        let Some(proposal) = on_ballot.get(index) else {
            continue;
        };
        funded += usize::from(is_funded);
        diesel::update(budget_proposals::table.find(proposal.id))
            .set((
                budget_proposals::funded.eq(Some(i32::from(is_funded))),
                budget_proposals::explanation.eq(Some(explanation)),
            ))
            .execute(conn)?;
    }
    diesel::update(budget_rounds::table.find(round.id))
        .set((
            budget_rounds::counted_at.eq(Some(now())),
            budget_rounds::ballot_count.eq(ballots.len() as i64),
        ))
        .execute(conn)?;
    Ok((ballots.len(), funded))
}

/// Cast the viewer's secret ballot: members of the neighbourhood, once, while voting is open.
/// `choices` are public proposal ids.
pub fn cast(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    choices: &[String],
) -> DomainResult<RoundView> {
    let viewer = Viewer::load(conn, actor)?;
    policy::signed_in(&viewer)?;
    let round = repo::find_round(conn, id)?.ok_or_else(not_found)?;
    let voter = policy::may_take_part(&viewer, round.neighbourhood)?;
    if round.phase != Phase::Voting {
        return Err(wrong_phase());
    }
    let on_ballot = repo::proposals_of(conn, id, None, PROPOSALS_MAX, true)?;
    let election = election::empty_election(&round, &on_ballot);
    // A public id that is not a proposal of this round becomes an unknown project for pb-rules.
    let projects: Vec<String> = choices
        .iter()
        .map(|c| match parse_public_id(PROPOSAL_KIND, c) {
            Some(raw) => project_id(raw),
            None => format!("?{c}"),
        })
        .collect();
    let indices = election::check_ballot(&election, &election::ballot_rules(&round), &projects)?;
    let stored = election::encode_choices(&election, &indices);
    write_transaction(conn, |conn| -> DomainResult<()> {
        // Takes the round's row lock, and checks the phase under it: a close waits for this
        // vote, and a vote after the close is refused.
        let open = diesel::update(
            budget_rounds::table
                .filter(budget_rounds::id.eq(id))
                .filter(budget_rounds::phase.eq(Phase::Voting.as_str())),
        )
        .set(budget_rounds::ballot_count.eq(budget_rounds::ballot_count + 1))
        .execute(conn)?;
        if open != 1 {
            return Err(wrong_phase());
        }
        let marked = diesel::insert_into(budget_voters::table)
            .values((
                budget_voters::round_id.eq(id),
                budget_voters::user_id.eq(voter.0),
            ))
            .execute(conn);
        match marked {
            Ok(_) => {}
            Err(e) if backend_specific::is_unique_violation(&e) => {
                return Err(DomainError::Conflict(vec![FieldProblem::new(
                    "roundId",
                    ProblemCode::AlreadyVoted,
                )]));
            }
            Err(e) => return Err(e.into()),
        }
        repo::insert_ballot(conn, id, &stored)?;
        Ok(())
    })?;
    let round = repo::find_round(conn, id)?.ok_or_else(not_found)?;
    Ok(view_round(&viewer, round, true))
}

/// The stored outcome of a counted round; `None` before the count (or for an unknown round).
pub fn outcome(conn: &mut DbConnection, id: i64) -> DomainResult<Option<Outcome>> {
    let Some(round) = repo::find_round(conn, id)? else {
        return Ok(None);
    };
    if round.phase != Phase::Counted {
        return Ok(None);
    }
    let projects = repo::proposals_of(conn, id, None, PROPOSALS_MAX, true)?;
    let funded_euros = projects
        .iter()
        .filter(|p| p.funded == Some(true))
        .map(|p| p.cost_euros)
        .sum();
    Ok(Some(Outcome {
        round,
        projects,
        funded_euros,
    }))
}

/// The counted election in the Pabulib `.pb` format: the projects on the ballot with the
/// `selected` column, and the anonymous ballots in their stored (random) order. `None` before
/// the count.
pub fn export(conn: &mut DbConnection, id: i64) -> DomainResult<Option<String>> {
    let Some(outcome) = outcome(conn, id)? else {
        return Ok(None);
    };
    let mut election = election::empty_election(&outcome.round, &outcome.projects);
    for (project, proposal) in election.projects.iter_mut().zip(&outcome.projects) {
        project.extra.push((
            "selected".to_owned(),
            if proposal.funded == Some(true) {
                "1"
            } else {
                "0"
            }
            .to_owned(),
        ));
    }
    let ballots = repo::ballots_of(conn, id)?;
    election
        .meta
        .push(("num_votes".to_owned(), ballots.len().to_string()));
    election::push_ballots(&mut election, &ballots);
    Ok(Some(pb_rules::pabulib::write(&election)))
}
