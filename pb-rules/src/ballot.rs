//! Ballot kinds and validation of a ballot a resident submits.
//!
//! Validation never stops at the first problem and never panics: it returns every problem, each
//! with a stable machine code and the project it concerns, so the app can show them all at once.

use std::collections::HashSet;
use std::fmt;

use crate::election::{Ballot, Election};
use crate::number::{Amount, amount};
use num_traits::Zero;

/// What a ballot may contain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BallotKind {
    /// Approve any number of projects.
    Approval,
    /// Approve at most `k` projects.
    KApproval {
        /// The most projects a resident may approve.
        k: usize,
    },
    /// Spread at most `points` points over projects (non-negative integers).
    Cumulative {
        /// The most points a resident may give in total.
        points: u64,
    },
    /// Choose projects whose total cost is at most the budget.
    Knapsack,
}

/// A lower bound on what a ballot must contain.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Minimum {
    /// No lower bound.
    #[default]
    None,
    /// At least this many projects.
    Projects(usize),
    /// Projects costing together at least this share of the budget (for example 1/2).
    BudgetShare(Amount),
}

/// The rules a ballot must satisfy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BallotRules {
    /// What the ballot may contain.
    pub kind: BallotKind,
    /// What it must at least contain.
    pub minimum: Minimum,
}

impl BallotRules {
    /// Rules of the given kind without a minimum.
    #[must_use]
    pub fn new(kind: BallotKind) -> Self {
        Self {
            kind,
            minimum: Minimum::None,
        }
    }
}

/// One line of a submitted ballot: a project id and, for cumulative ballots, the points given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BallotEntry {
    /// The project id.
    pub project: String,
    /// Points given (cumulative ballots only; `None` for approval and knapsack ballots).
    pub points: Option<i64>,
}

impl BallotEntry {
    /// An approval of a project.
    #[must_use]
    pub fn approve(project: impl Into<String>) -> Self {
        Self {
            project: project.into(),
            points: None,
        }
    }

    /// Points for a project.
    #[must_use]
    pub fn points(project: impl Into<String>, points: i64) -> Self {
        Self {
            project: project.into(),
            points: Some(points),
        }
    }
}

/// The stable machine code of a ballot problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProblemCode {
    /// The project id is not part of the election.
    UnknownProject,
    /// The project appears more than once.
    DuplicateProject,
    /// More projects than a k-approval ballot allows.
    TooManyProjects,
    /// More points in total than a cumulative ballot allows.
    TooManyPoints,
    /// The chosen projects cost more than the budget (knapsack ballots).
    OverBudget,
    /// Negative points.
    NegativePoints,
    /// A cumulative ballot line without points.
    MissingPoints,
    /// Points on a ballot kind that has none.
    PointsNotAllowed,
    /// Fewer projects than the minimum.
    TooFewProjects,
    /// The chosen projects cost less than the minimum share of the budget.
    BelowMinimumCost,
}

impl ProblemCode {
    /// Every code, for documentation and tests.
    pub const ALL: [Self; 10] = [
        Self::UnknownProject,
        Self::DuplicateProject,
        Self::TooManyProjects,
        Self::TooManyPoints,
        Self::OverBudget,
        Self::NegativePoints,
        Self::MissingPoints,
        Self::PointsNotAllowed,
        Self::TooFewProjects,
        Self::BelowMinimumCost,
    ];

    /// The code as the API shows it (`snake_case`, stable).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UnknownProject => "unknown_project",
            Self::DuplicateProject => "duplicate_project",
            Self::TooManyProjects => "too_many_projects",
            Self::TooManyPoints => "too_many_points",
            Self::OverBudget => "over_budget",
            Self::NegativePoints => "negative_points",
            Self::MissingPoints => "missing_points",
            Self::PointsNotAllowed => "points_not_allowed",
            Self::TooFewProjects => "too_few_projects",
            Self::BelowMinimumCost => "below_minimum_cost",
        }
    }
}

impl fmt::Display for ProblemCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem with a ballot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BallotProblem {
    /// What is wrong.
    pub code: ProblemCode,
    /// The project concerned, when the problem is about one project.
    pub project: Option<String>,
}

impl BallotProblem {
    fn new(code: ProblemCode, project: Option<&str>) -> Self {
        Self {
            code,
            project: project.map(str::to_owned),
        }
    }
}

/// Checks a submitted ballot against the rules and the election's projects and budget.
/// Returns every problem found (empty when the ballot is valid), in the order of the entries,
/// followed by problems about the ballot as a whole.
#[must_use]
pub fn validate_ballot(
    election: &Election,
    rules: &BallotRules,
    entries: &[BallotEntry],
) -> Vec<BallotProblem> {
    let mut problems = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    let mut counted = 0usize;
    let mut total_points: i128 = 0;
    let mut total_cost = Amount::zero();
    let cumulative = matches!(rules.kind, BallotKind::Cumulative { .. });
    for entry in entries {
        let id = entry.project.as_str();
        let index = election.project_index(id);
        if index.is_none() {
            problems.push(BallotProblem::new(ProblemCode::UnknownProject, Some(id)));
        }
        if !seen.insert(id) {
            problems.push(BallotProblem::new(ProblemCode::DuplicateProject, Some(id)));
            continue;
        }
        match (cumulative, entry.points) {
            (true, None) => problems.push(BallotProblem::new(ProblemCode::MissingPoints, Some(id))),
            (true, Some(p)) if p < 0 => {
                problems.push(BallotProblem::new(ProblemCode::NegativePoints, Some(id)));
            }
            (true, Some(p)) => total_points += i128::from(p),
            (false, Some(_)) => {
                problems.push(BallotProblem::new(ProblemCode::PointsNotAllowed, Some(id)));
            }
            (false, None) => {}
        }
        if let Some(i) = index {
            // A cumulative line with zero points supports nothing; it does not count as chosen.
            if !(cumulative && entry.points.unwrap_or(0) <= 0) {
                counted += 1;
                total_cost += election.projects[i].cost.clone();
            }
        }
    }
    match rules.kind {
        BallotKind::Approval => {}
        BallotKind::KApproval { k } => {
            if counted > k {
                problems.push(BallotProblem::new(ProblemCode::TooManyProjects, None));
            }
        }
        BallotKind::Cumulative { points } => {
            if total_points > i128::from(points) {
                problems.push(BallotProblem::new(ProblemCode::TooManyPoints, None));
            }
        }
        BallotKind::Knapsack => {
            if total_cost > election.budget {
                problems.push(BallotProblem::new(ProblemCode::OverBudget, None));
            }
        }
    }
    match &rules.minimum {
        Minimum::None => {}
        Minimum::Projects(m) => {
            if counted < *m {
                problems.push(BallotProblem::new(ProblemCode::TooFewProjects, None));
            }
        }
        Minimum::BudgetShare(share) => {
            if total_cost < share * &election.budget {
                problems.push(BallotProblem::new(ProblemCode::BelowMinimumCost, None));
            }
        }
    }
    problems
}

/// Turns a valid submitted ballot into a [`Ballot`] for the rules (approval for approval,
/// k-approval and knapsack ballots, points for cumulative ballots).
///
/// # Errors
/// Returns the problems of [`validate_ballot`] when there are any.
pub fn to_ballot(
    election: &Election,
    rules: &BallotRules,
    entries: &[BallotEntry],
) -> Result<Ballot, Vec<BallotProblem>> {
    let problems = validate_ballot(election, rules, entries);
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut approved = Vec::new();
    let mut points = Vec::new();
    for entry in entries {
        if let Some(i) = election.project_index(&entry.project) {
            match entry.points {
                Some(p) if p > 0 => points.push((i, amount(p))),
                Some(_) => {}
                None => approved.push(i),
            }
        }
    }
    Ok(match rules.kind {
        BallotKind::Cumulative { .. } => Ballot::Cardinal(points),
        _ => Ballot::Approval(approved),
    })
}
