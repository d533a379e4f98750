//! Storage of rounds, proposals, voters and ballots. Lists load in one statement each.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{BallotKind, Phase, Proposal, ProposalStatus, Round, Rule};
use crate::db::DbConnection;
use crate::db::schema::{budget_ballots, budget_proposals, budget_rounds, budget_voters, users};
use crate::domain::ids::{NeighbourhoodId, UserId};

type RoundRow = (
    i64,
    i64,
    String,
    i64,
    String,
    Option<i32>,
    String,
    String,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    i64,
    Option<NaiveDateTime>,
    NaiveDateTime,
);

macro_rules! round_columns {
    () => {
        (
            budget_rounds::id,
            budget_rounds::neighbourhood_id,
            budget_rounds::title,
            budget_rounds::total_euros,
            budget_rounds::ballot_kind,
            budget_rounds::max_choices,
            budget_rounds::rule,
            budget_rounds::phase,
            budget_rounds::proposals_until,
            budget_rounds::voting_from,
            budget_rounds::voting_until,
            budget_rounds::ballot_count,
            budget_rounds::counted_at,
            budget_rounds::created_at,
        )
    };
}

fn round_of(row: RoundRow) -> QueryResult<Round> {
    let bad = |what: &str| diesel::result::Error::DeserializationError(what.into());
    Ok(Round {
        id: row.0,
        neighbourhood: NeighbourhoodId(row.1),
        title: row.2,
        total_euros: row.3,
        ballot_kind: BallotKind::parse(&row.4).ok_or_else(|| bad("ballot kind"))?,
        max_choices: row.5,
        rule: Rule::parse(&row.6).ok_or_else(|| bad("rule"))?,
        phase: Phase::parse(&row.7).ok_or_else(|| bad("phase"))?,
        proposals_until: row.8,
        voting_from: row.9,
        voting_until: row.10,
        ballot_count: row.11,
        counted_at: row.12,
        created_at: row.13,
    })
}

pub fn find_round(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Round>> {
    budget_rounds::table
        .find(id)
        .select(round_columns!())
        .first::<RoundRow>(conn)
        .optional()?
        .map(round_of)
        .transpose()
}

/// Rounds of a neighbourhood, newest first, `limit` of them after `before` (an id).
pub fn rounds_of(
    conn: &mut DbConnection,
    neighbourhood: NeighbourhoodId,
    before: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<Round>> {
    let mut query = budget_rounds::table
        .filter(budget_rounds::neighbourhood_id.eq(neighbourhood.0))
        .order_by(budget_rounds::id.desc())
        .limit(limit)
        .select(round_columns!())
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(budget_rounds::id.lt(before));
    }
    query
        .load::<RoundRow>(conn)?
        .into_iter()
        .map(round_of)
        .collect()
}

/// Which of `rounds` the user voted in (one statement).
pub fn voted_in(conn: &mut DbConnection, user: UserId, rounds: &[i64]) -> QueryResult<Vec<i64>> {
    if rounds.is_empty() {
        return Ok(Vec::new());
    }
    budget_voters::table
        .filter(budget_voters::user_id.eq(user.0))
        .filter(budget_voters::round_id.eq_any(rounds))
        .select(budget_voters::round_id)
        .load(conn)
}

type ProposalRow = (
    i64,
    i64,
    Option<i64>,
    Option<String>,
    String,
    String,
    i64,
    i64,
    String,
    Option<String>,
    Option<i32>,
    Option<String>,
    NaiveDateTime,
);

macro_rules! proposal_columns {
    () => {
        (
            budget_proposals::id,
            budget_proposals::round_id,
            budget_proposals::author_user_id,
            users::display_name.nullable(),
            budget_proposals::title,
            budget_proposals::description,
            budget_proposals::cost_euros,
            budget_proposals::proposed_cost_euros,
            budget_proposals::status,
            budget_proposals::review_reason,
            budget_proposals::funded,
            budget_proposals::explanation,
            budget_proposals::created_at,
        )
    };
}

fn proposal_of(row: ProposalRow) -> QueryResult<Proposal> {
    Ok(Proposal {
        id: row.0,
        round: row.1,
        author: row.2.map(UserId),
        // A deleted account keeps its row with an empty name.
        author_name: row.3.filter(|n| !n.is_empty()),
        title: row.4,
        description: row.5,
        cost_euros: row.6,
        proposed_cost_euros: row.7,
        status: ProposalStatus::parse(&row.8)
            .ok_or_else(|| diesel::result::Error::DeserializationError("proposal status".into()))?,
        review_reason: row.9,
        funded: row.10.map(|f| f != 0),
        explanation: row.11,
        created_at: row.12,
    })
}

pub fn find_proposal(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Proposal>> {
    budget_proposals::table
        .left_join(users::table)
        .filter(budget_proposals::id.eq(id))
        .select(proposal_columns!())
        .first::<ProposalRow>(conn)
        .optional()?
        .map(proposal_of)
        .transpose()
}

/// Proposals of a round, oldest first: `limit` after `after` (an id); only feasible ones when
/// `feasible_only`.
pub fn proposals_of(
    conn: &mut DbConnection,
    round: i64,
    after: Option<i64>,
    limit: i64,
    feasible_only: bool,
) -> QueryResult<Vec<Proposal>> {
    let mut query = budget_proposals::table
        .left_join(users::table)
        .filter(budget_proposals::round_id.eq(round))
        .order_by(budget_proposals::id.asc())
        .limit(limit)
        .select(proposal_columns!())
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(budget_proposals::id.gt(after));
    }
    if feasible_only {
        query = query.filter(budget_proposals::status.eq(ProposalStatus::Feasible.as_str()));
    }
    query
        .load::<ProposalRow>(conn)?
        .into_iter()
        .map(proposal_of)
        .collect()
}

/// Proposals per status of a round: (all, still submitted, feasible).
pub fn proposal_counts(conn: &mut DbConnection, round: i64) -> QueryResult<(i64, i64, i64)> {
    let statuses: Vec<String> = budget_proposals::table
        .filter(budget_proposals::round_id.eq(round))
        .select(budget_proposals::status)
        .load(conn)?;
    let of = |s: ProposalStatus| statuses.iter().filter(|x| *x == s.as_str()).count() as i64;
    Ok((
        statuses.len() as i64,
        of(ProposalStatus::Submitted),
        of(ProposalStatus::Feasible),
    ))
}

/// The stored ballots of a round, in key order (random, not the order of voting).
pub fn ballots_of(conn: &mut DbConnection, round: i64) -> QueryResult<Vec<String>> {
    budget_ballots::table
        .filter(budget_ballots::round_id.eq(round))
        .order_by(budget_ballots::id.asc())
        .select(budget_ballots::choices)
        .load(conn)
}

/// A fresh random ballot key: 128 bits, hex.
pub fn random_key() -> String {
    use rand::RngCore as _;
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn insert_ballot(conn: &mut DbConnection, round: i64, choices: &str) -> QueryResult<()> {
    diesel::insert_into(budget_ballots::table)
        .values((
            budget_ballots::id.eq(random_key()),
            budget_ballots::round_id.eq(round),
            budget_ballots::choices.eq(choices),
        ))
        .execute(conn)
        .map(drop)
}

/// Replaces every ballot of the round by the same ballots under new random keys, inserted in key
/// order: afterwards neither the keys, the physical order nor PostgreSQL's `xmin` says anything
/// about when or in which transaction a ballot was cast.
pub fn rewrite_ballots(conn: &mut DbConnection, round: i64) -> QueryResult<()> {
    let ballots = ballots_of(conn, round)?;
    diesel::delete(budget_ballots::table.filter(budget_ballots::round_id.eq(round)))
        .execute(conn)?;
    let mut rows: Vec<(String, String)> = ballots.into_iter().map(|b| (random_key(), b)).collect();
    rows.sort();
    // One statement per ballot: diesel's multi-backend connection has no batch insert.
    for (key, choices) in &rows {
        diesel::insert_into(budget_ballots::table)
            .values((
                budget_ballots::id.eq(key.as_str()),
                budget_ballots::round_id.eq(round),
                budget_ballots::choices.eq(choices.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// What a person contributed to budget rounds, for "download my data": their proposals and
/// the rounds they voted in (never what they voted: nobody can know that). Two statements.
pub fn contributions_of(conn: &mut DbConnection, user: UserId) -> QueryResult<serde_json::Value> {
    let proposals: Vec<serde_json::Value> = budget_proposals::table
        .filter(budget_proposals::author_user_id.eq(user.0))
        .order_by(budget_proposals::id.asc())
        .select((
            budget_proposals::round_id,
            budget_proposals::title,
            budget_proposals::description,
            budget_proposals::proposed_cost_euros,
            budget_proposals::created_at,
        ))
        .load::<(i64, String, String, i64, NaiveDateTime)>(conn)?
        .into_iter()
        .map(|(round, title, description, cost, at)| {
            serde_json::json!({
                "round": crate::domain::ids::public_id(super::ROUND_KIND, round),
                "title": title,
                "description": description,
                "costEuros": cost,
                "createdAt": at.and_utc().to_rfc3339(),
            })
        })
        .collect();
    let voted: Vec<String> = budget_voters::table
        .filter(budget_voters::user_id.eq(user.0))
        .select(budget_voters::round_id)
        .load::<i64>(conn)?
        .into_iter()
        .map(|round| crate::domain::ids::public_id(super::ROUND_KIND, round))
        .collect();
    Ok(serde_json::json!({ "proposals": proposals, "votedInRounds": voted }))
}
