//! Greedy by support: the rule most cities use.

use std::cmp::Ordering;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{Signed, Zero};

use super::{Explanation, Outcome, Prepared, Reason, RuleError, RuleOptions};
use crate::election::Election;

/// Support per unit of cost; free projects with support come first, unsupported ones last.
#[derive(Clone, PartialEq, Eq)]
enum Density {
    None,
    Finite(BigRational),
    Infinite,
}

impl Ord for Density {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Self::Finite(a), Self::Finite(b)) => a.cmp(b),
            (a, b) => a.level().cmp(&b.level()),
        }
    }
}

impl PartialOrd for Density {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Density {
    fn level(&self) -> u8 {
        match self {
            Self::None => 0,
            Self::Finite(_) => 1,
            Self::Infinite => 2,
        }
    }
}

/// One project's turn in greedy.
pub(crate) struct Turn {
    pub project: usize,
    pub rank: usize,
    pub remaining: BigInt,
    pub funded: bool,
}

/// Runs greedy on top of an initial selection; returns every other project's turn in ranking
/// order.
pub(crate) fn greedy_turns(prep: &Prepared, initial: &[usize]) -> Vec<Turn> {
    let m = prep.costs.len();
    let mut taken = vec![false; m];
    for &p in initial {
        taken[p] = true;
    }
    let density = |p: usize| -> Density {
        let total = BigInt::from(prep.total_weight[p]) * &prep.factor[p];
        if !total.is_positive() {
            Density::None
        } else if prep.costs[p].is_zero() {
            Density::Infinite
        } else {
            Density::Finite(BigRational::new(total, prep.costs[p].clone()))
        }
    };
    let mut order: Vec<(Density, usize)> = (0..m)
        .filter(|&p| !taken[p])
        .map(|p| (density(p), p))
        .collect();
    order.sort_by(|(da, a), (db, b)| db.cmp(da).then_with(|| prep.rank[*a].cmp(&prep.rank[*b])));
    let mut remaining = &prep.budget - prep.total_cost(initial);
    let mut turns = Vec::with_capacity(order.len());
    for (i, (_, p)) in order.into_iter().enumerate() {
        let funded = prep.costs[p] <= remaining;
        turns.push(Turn {
            project: p,
            rank: i + 1,
            remaining: remaining.clone(),
            funded,
        });
        if funded {
            remaining -= &prep.costs[p];
        }
    }
    turns
}

/// Greedy by support ("greedy utilitarian welfare"): projects in order of total satisfaction per
/// unit of cost, each funded when it still fits, skipping those that do not. Ties follow
/// `options.tie_break`.
///
/// With cost satisfaction the order is "most supporters first" (on any ballot type); with points
/// satisfaction it is points per unit of cost, as in pabutools. Projects nobody supports come
/// last and are still funded when they fit; free supported projects come first.
///
/// # Errors
/// When the satisfaction does not fit the vote type.
pub fn greedy(election: &Election, options: &RuleOptions) -> Result<Outcome, RuleError> {
    let prep = Prepared::new(election, options, false)?;
    let turns = greedy_turns(&prep, &[]);
    let mut selected = Vec::new();
    let mut explanations: Vec<Option<Explanation>> = vec![None; election.projects.len()];
    for t in turns {
        let remaining = prep.money(t.remaining);
        let reason = if t.funded {
            selected.push(t.project);
            Reason::GreedyFunded {
                rank: t.rank,
                remaining,
            }
        } else {
            Reason::GreedyDoesNotFit {
                rank: t.rank,
                remaining,
            }
        };
        explanations[t.project] = Some(Explanation {
            project: t.project,
            funded: t.funded,
            reason,
        });
    }
    let cost = prep.money(prep.total_cost(&selected));
    Ok(Outcome {
        selected,
        cost,
        explanations: explanations.into_iter().flatten().collect(),
        shares: None,
    })
}
