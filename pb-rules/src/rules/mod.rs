//! The vote-counting rules: greedy by support and the Method of Equal Shares.
//!
//! Both work on exact numbers. Internally, money is scaled to integers (by the least common
//! denominator of the budget and the costs) and utilities to integers (by the least common
//! denominator of the points); scaling every project alike changes no decision of either rule.

mod greedy;
mod mes;

use std::fmt;
use std::hash::{Hash, Hasher};

use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, ToPrimitive, Zero};
use rustc_hash::FxHashMap;

use crate::election::{Ballot, Election, VoteType};
use crate::number::{Amount, format_money};

pub use greedy::greedy;
pub use mes::equal_shares;

/// How much a resident is taken to gain from a funded project (pabutools' satisfaction classes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Satisfaction {
    /// The cost of the funded projects the resident supports (`Cost_Sat`). Default for approval
    /// and choose-1 votes.
    Cost,
    /// The number of funded projects the resident supports (`Cardinality_Sat`).
    Cardinality,
    /// The points the resident gave the funded projects (`Additive_Cardinal_Sat`). Default for
    /// cumulative and scoring votes.
    Points,
    /// Borda score of the funded projects in the resident's ranking: a ranking of length `L`
    /// gives `L - 1 - position` (`Additive_Borda_Sat`). Default for ordinal votes.
    Borda,
}

impl Satisfaction {
    /// pabutools' default for a vote type.
    #[must_use]
    pub fn default_for(vote_type: VoteType) -> Self {
        match vote_type {
            VoteType::Approval | VoteType::ChooseOne => Self::Cost,
            VoteType::Cumulative | VoteType::Scoring => Self::Points,
            VoteType::Ordinal => Self::Borda,
        }
    }

    /// The name used on the command line.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cost => "cost",
            Self::Cardinality => "cardinality",
            Self::Points => "points",
            Self::Borda => "borda",
        }
    }
}

/// How ties between equally good projects are broken. Deterministic in every case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum TieBreak {
    /// The project whose id comes first when ids are compared as strings ("10" before "9").
    /// This is pabutools' default (`lexico_tie_breaking`).
    #[default]
    ProjectId,
    /// The cheapest project, then by project id.
    LowestCost,
    /// The most expensive project, then by project id.
    HighestCost,
}

/// How the Method of Equal Shares spends what it leaves over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Completion {
    /// Plain MES: stop when no project is affordable (pabutools' default).
    #[default]
    None,
    /// Raise every voter's budget by one currency unit and rerun, until the outcome is
    /// exhaustive; if a raise makes the outcome cost more than the budget, the previous outcome
    /// stands (pabutools `voter_budget_increment=1`).
    Add1,
    /// [`Completion::Add1`], then greedy on what is left
    /// (pabutools `completion_by_rule_combination`).
    Add1ThenGreedy,
}

impl Completion {
    /// The name used on the command line.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Add1 => "add1",
            Self::Add1ThenGreedy => "add1-then-greedy",
        }
    }
}

/// Options of a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RuleOptions {
    /// The utility model.
    pub satisfaction: Satisfaction,
    /// The tie-break.
    pub tie_break: TieBreak,
    /// The completion (Method of Equal Shares only; greedy ignores it).
    pub completion: Completion,
}

impl RuleOptions {
    /// pabutools' defaults for the election's vote type.
    #[must_use]
    pub fn defaults_for(election: &Election) -> Self {
        Self {
            satisfaction: Satisfaction::default_for(election.vote_type),
            tie_break: TieBreak::default(),
            completion: Completion::default(),
        }
    }
}

/// Why a rule could not be applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleError {
    /// The satisfaction does not fit the ballots (Borda needs rankings, points need points).
    SatisfactionNotForVoteType {
        /// The satisfaction asked for.
        satisfaction: Satisfaction,
        /// The vote type of the election.
        vote_type: VoteType,
    },
    /// A ballot names a project that does not exist.
    BallotProjectOutOfRange {
        /// The ballot's position.
        voter: usize,
    },
    /// Points too large or too finely divided to count exactly with 64-bit integers.
    PointsTooLarge,
    /// The add1 completion raised the voters' budgets [`MAX_BUDGET_RAISES`] times without
    /// reaching an exhaustive outcome (an election where a project's few supporters would need
    /// a huge share each); stopped rather than run for hours.
    TooManyBudgetRaises,
}

/// The most times the add1 completion raises the voters' budgets before giving up. Real
/// elections need hundreds to a few thousand.
pub const MAX_BUDGET_RAISES: u64 = 100_000;

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SatisfactionNotForVoteType {
                satisfaction,
                vote_type,
            } => write!(
                f,
                "satisfaction `{}` cannot be used with {} ballots",
                satisfaction.as_str(),
                vote_type.as_str()
            ),
            Self::BallotProjectOutOfRange { voter } => {
                write!(f, "ballot {voter} names a project that does not exist")
            }
            Self::PointsTooLarge => f.write_str("points are too large to count exactly"),
            Self::TooManyBudgetRaises => write!(
                f,
                "the add1 completion did not finish within {MAX_BUDGET_RAISES} budget raises"
            ),
        }
    }
}

impl std::error::Error for RuleError {}

/// Why a project was or was not funded, with the exact numbers behind it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// Greedy: funded at its turn in the ranking.
    GreedyFunded {
        /// Its place in the ranking (1 = most support per unit of cost).
        rank: usize,
        /// Money still unspent when its turn came.
        remaining: Amount,
    },
    /// Greedy: skipped because it no longer fitted.
    GreedyDoesNotFit {
        /// Its place in the ranking.
        rank: usize,
        /// Money still unspent when its turn came.
        remaining: Amount,
    },
    /// Equal Shares: costs nothing and has supporters, so funded before the first round.
    FreeAndSupported,
    /// Equal Shares: funded in a round; its supporters shared the cost.
    SharesFunded {
        /// The round (1-based).
        round: usize,
        /// How many supporters still had money and paid.
        payers: u64,
        /// The most any single supporter paid.
        max_payment: Amount,
    },
    /// Equal Shares: nobody supports it.
    NoSupport,
    /// Equal Shares: it has votes, but gives its voters no satisfaction under this model (a free
    /// project under cost satisfaction).
    NoSatisfaction,
    /// Equal Shares: its supporters did not have enough money left between them.
    SupportersCannotAfford {
        /// The money its supporters had left between them at the end.
        supporters_money: Amount,
        /// How many residents support it.
        supporters: u64,
    },
    /// The greedy completion after Equal Shares funded it.
    CompletionFunded {
        /// Money still unspent when its turn came.
        remaining: Amount,
    },
    /// Not funded by Equal Shares, and it did not fit in what the greedy completion had left.
    CompletionDoesNotFit {
        /// Why Equal Shares did not fund it.
        shares: Box<Reason>,
        /// Money still unspent when its turn came in the completion.
        remaining: Amount,
    },
}

/// The explanation of one project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    /// The project (index in [`Election::projects`]).
    pub project: usize,
    /// Whether it was funded.
    pub funded: bool,
    /// Why.
    pub reason: Reason,
}

impl Explanation {
    /// The explanation in plain English for a resident.
    #[must_use]
    pub fn describe(&self, election: &Election) -> String {
        let currency = election.currency();
        let money = |a: &Amount| format_money(a, currency);
        let cost = election
            .projects
            .get(self.project)
            .map(|p| money(&p.cost))
            .unwrap_or_default();
        describe_reason(&self.reason, &cost, &money)
    }
}

fn supporters_phrase(count: u64) -> String {
    if count == 1 {
        "its only supporter".to_owned()
    } else {
        format!("its {count} supporters")
    }
}

fn describe_reason(reason: &Reason, cost: &str, money: &dyn Fn(&Amount) -> String) -> String {
    match reason {
        Reason::GreedyFunded { rank, remaining } => format!(
            "funded: ranked {rank} by support per unit of cost, and it fitted ({} was still left, it costs {cost})",
            money(remaining)
        ),
        Reason::GreedyDoesNotFit { rank, remaining } => format!(
            "not funded: ranked {rank} by support per unit of cost, but when its turn came only {} was left, it costs {cost}",
            money(remaining)
        ),
        Reason::FreeAndSupported => "funded: it costs nothing and has supporters".to_owned(),
        Reason::SharesFunded {
            round,
            payers,
            max_payment,
        } => format!(
            "funded in round {round}: {} with money left shared the cost of {cost}; nobody paid more than {}",
            supporters_phrase(*payers),
            money(max_payment)
        ),
        Reason::NoSupport => "not funded: nobody voted for it".to_owned(),
        Reason::NoSatisfaction => {
            "not funded: under this satisfaction model it gives its voters nothing (it costs nothing)".to_owned()
        }
        Reason::SupportersCannotAfford {
            supporters_money,
            supporters,
        } => format!(
            "not funded: {} had {} left between them, it costs {cost}",
            supporters_phrase(*supporters),
            money(supporters_money)
        ),
        Reason::CompletionFunded { remaining } => format!(
            "funded in the completion: after Equal Shares, {} was still left and it fitted (it costs {cost})",
            money(remaining)
        ),
        Reason::CompletionDoesNotFit { shares, remaining } => format!(
            "{}; in the completion only {} was left",
            describe_reason(shares, cost, money),
            money(remaining)
        ),
    }
}

/// Details of a run of the Method of Equal Shares, to check its invariants.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharesDetails {
    /// Each voter's starting budget in the final run (budget / voters, plus increments).
    pub budget_per_voter: Amount,
    /// How many times the completion raised the voters' budgets (0 without completion).
    pub increments: u64,
    /// The projects Equal Shares itself funded (before any greedy completion), in order.
    pub shares_selected: Vec<usize>,
    /// Starting money per voter in scaled money.
    start: BigRational,
    money_scale: BigInt,
    /// Final money per class: numerators over `l`, in scaled money.
    l: BigInt,
    class_num: Vec<BigInt>,
    group_class: Vec<u32>,
    voter_group: Vec<u32>,
}

impl SharesDetails {
    /// What voter `voter` (index in [`Election::voters`]) paid in the final run.
    #[must_use]
    pub fn spent_by_voter(&self, voter: usize) -> Option<Amount> {
        let group = *self.voter_group.get(voter)?;
        let class = *self.group_class.get(group as usize)?;
        let left = BigRational::new(self.class_num.get(class as usize)?.clone(), self.l.clone());
        Some((&self.start - left) / BigRational::from_integer(self.money_scale.clone()))
    }
}

/// The outcome of a rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The funded projects, in the order the rule funded them.
    pub selected: Vec<usize>,
    /// Their total cost.
    pub cost: Amount,
    /// One explanation per project, in project order.
    pub explanations: Vec<Explanation>,
    /// Equal Shares only: what the voters paid.
    pub shares: Option<SharesDetails>,
}

impl Outcome {
    /// The funded project ids, sorted as strings (the order the JSON output uses).
    #[must_use]
    pub fn selected_ids(&self, election: &Election) -> Vec<String> {
        let mut ids: Vec<String> = self
            .selected
            .iter()
            .filter_map(|&p| election.projects.get(p).map(|p| p.id.clone()))
            .collect();
        ids.sort();
        ids
    }
}

/// A group of voters with identical ballots.
pub(crate) struct Group {
    /// Where its (project, weight) items (weights != 0) start in the flat list built with it.
    pub start: u32,
    /// How many items.
    pub len: u32,
    /// How many voters.
    pub mult: u64,
}

/// The election turned into integers for one satisfaction.
pub(crate) struct Prepared {
    pub n_voters: u64,
    /// One currency unit in scaled money.
    pub money_scale: BigInt,
    /// Scaled integer costs.
    pub costs: Vec<BigInt>,
    /// Scaled integer budget.
    pub budget: BigInt,
    /// Utility of one weight unit: scaled cost (cost satisfaction) or 1.
    pub factor: Vec<BigInt>,
    pub groups: Vec<Group>,
    pub voter_group: Vec<u32>,
    /// Per project: (group, weight) for weight > 0.
    pub supporters: Vec<Vec<(u32, u64)>>,
    /// Per project: sum of multiplicity x weight over all groups (may be negative for scores).
    pub total_weight: Vec<i128>,
    /// Per project: its position in the tie-break order (0 = wins ties).
    pub rank: Vec<usize>,
    /// Per project: whether any ballot supports it at all (even with zero satisfaction).
    pub voted: Vec<bool>,
    /// Per project: the weight all its supporters share, if they all have the same.
    pub uniform_weight: Vec<Option<u64>>,
}

impl Prepared {
    /// `grouped`: whether to group identical ballots and list supporters (Equal Shares needs
    /// them; greedy only needs the totals).
    pub fn new(
        election: &Election,
        options: &RuleOptions,
        grouped: bool,
    ) -> Result<Self, RuleError> {
        let sat = options.satisfaction;
        let ok = match sat {
            Satisfaction::Cost | Satisfaction::Cardinality => true,
            Satisfaction::Points => election.vote_type.has_points(),
            Satisfaction::Borda => election.vote_type == VoteType::Ordinal,
        };
        if !ok {
            return Err(RuleError::SatisfactionNotForVoteType {
                satisfaction: sat,
                vote_type: election.vote_type,
            });
        }
        let m = election.projects.len();
        let mut money_scale = election.budget.denom().clone();
        for p in &election.projects {
            money_scale = money_scale.lcm(p.cost.denom());
        }
        let to_scaled = |a: &Amount| -> BigInt { (a.numer() * &money_scale) / a.denom() };
        let costs: Vec<BigInt> = election
            .projects
            .iter()
            .map(|p| to_scaled(&p.cost))
            .collect();
        let budget = to_scaled(&election.budget);
        let factor: Vec<BigInt> = match sat {
            Satisfaction::Cost => costs.clone(),
            _ => vec![BigInt::one(); m],
        };

        // Points may be fractional: count them in units of the least common denominator.
        let mut points_scale = BigInt::one();
        if sat == Satisfaction::Points {
            for v in &election.voters {
                if let Ballot::Cardinal(items) = &v.ballot {
                    for (_, a) in items {
                        points_scale = points_scale.lcm(a.denom());
                    }
                }
            }
        }

        // Identical ballots share a group: hash of the items -> first group, then a chain.
        let mut group_index: FxHashMap<u64, u32> = FxHashMap::default();
        let mut same_hash_next: Vec<u32> = Vec::new();
        let mut total_weight = vec![0i128; m];
        let mut groups: Vec<Group> = Vec::new();
        let mut flat: Vec<(u32, i64)> = Vec::new();
        let mut voter_group = Vec::with_capacity(election.voters.len());
        let mut items: Vec<(u32, i64)> = Vec::new();
        let mut voted = vec![false; m];
        for (vi, v) in election.voters.iter().enumerate() {
            items.clear();
            let out_of_range = |p: usize| -> Result<u32, RuleError> {
                if p < m {
                    u32::try_from(p).map_err(|_| RuleError::BallotProjectOutOfRange { voter: vi })
                } else {
                    Err(RuleError::BallotProjectOutOfRange { voter: vi })
                }
            };
            match (&v.ballot, sat) {
                (Ballot::Ordinal(ps), Satisfaction::Borda) => {
                    let len = ps.len();
                    for (pos, &p) in ps.iter().enumerate() {
                        let w =
                            i64::try_from(len - pos - 1).map_err(|_| RuleError::PointsTooLarge)?;
                        items.push((out_of_range(p)?, w));
                    }
                }
                (Ballot::Cardinal(ps), Satisfaction::Points) => {
                    for (p, a) in ps {
                        let scaled = (a.numer() * &points_scale) / a.denom();
                        let w = scaled.to_i64().ok_or(RuleError::PointsTooLarge)?;
                        items.push((out_of_range(*p)?, w));
                    }
                }
                (ballot, _) => {
                    for p in ballot.projects() {
                        items.push((out_of_range(p)?, 1));
                    }
                }
            }
            for &(p, w) in &items {
                if w > 0 {
                    voted[p as usize] = true;
                }
            }
            // Cost satisfaction: a free project satisfies nobody (pabutools drops it from MES).
            items.retain(|&(p, w)| {
                w != 0 && !(sat == Satisfaction::Cost && costs[p as usize].is_zero())
            });
            items.sort_unstable();
            items.dedup_by_key(|(p, _)| *p);
            if !grouped {
                for &(p, w) in &items {
                    total_weight[p as usize] += i128::from(w);
                }
                continue;
            }
            let hash = {
                let mut h = rustc_hash::FxHasher::default();
                items.hash(&mut h);
                h.finish()
            };
            let mut found = None;
            let mut cursor = group_index.get(&hash).copied();
            while let Some(g) = cursor {
                let group = &groups[g as usize];
                if flat[group.start as usize..(group.start + group.len) as usize] == items[..] {
                    found = Some(g);
                    break;
                }
                cursor = same_hash_next
                    .get(g as usize)
                    .copied()
                    .filter(|&next| next != u32::MAX);
            }
            let g = match found {
                Some(g) => g,
                None => {
                    let g = u32::try_from(groups.len()).map_err(|_| RuleError::PointsTooLarge)?;
                    let start = u32::try_from(flat.len()).map_err(|_| RuleError::PointsTooLarge)?;
                    flat.extend_from_slice(&items);
                    groups.push(Group {
                        start,
                        len: items.len() as u32,
                        mult: 0,
                    });
                    // New groups go to the front of their hash chain.
                    same_hash_next.push(group_index.insert(hash, g).unwrap_or(u32::MAX));
                    g
                }
            };
            groups[g as usize].mult += 1;
            voter_group.push(g);
        }

        let mut supporters: Vec<Vec<(u32, u64)>> = vec![Vec::new(); m];
        for (g, group) in groups.iter().enumerate() {
            for &(p, w) in &flat[group.start as usize..(group.start + group.len) as usize] {
                total_weight[p as usize] += i128::from(w) * i128::from(group.mult);
                if w > 0 {
                    supporters[p as usize].push((g as u32, w.unsigned_abs()));
                }
            }
        }

        let uniform_weight = supporters
            .iter()
            .map(|s| {
                let first = s.first().map(|&(_, w)| w)?;
                s.iter().all(|&(_, w)| w == first).then_some(first)
            })
            .collect();

        let mut order: Vec<usize> = (0..m).collect();
        match options.tie_break {
            TieBreak::ProjectId => {
                order.sort_by(|&a, &b| election.projects[a].id.cmp(&election.projects[b].id))
            }
            TieBreak::LowestCost => order.sort_by(|&a, &b| {
                costs[a]
                    .cmp(&costs[b])
                    .then_with(|| election.projects[a].id.cmp(&election.projects[b].id))
            }),
            TieBreak::HighestCost => order.sort_by(|&a, &b| {
                costs[b]
                    .cmp(&costs[a])
                    .then_with(|| election.projects[a].id.cmp(&election.projects[b].id))
            }),
        }
        let mut rank = vec![0usize; m];
        for (r, &p) in order.iter().enumerate() {
            rank[p] = r;
        }

        Ok(Self {
            n_voters: election.voters.len() as u64,
            money_scale,
            costs,
            budget,
            factor,
            groups,
            voter_group,
            supporters,
            total_weight,
            rank,
            voted,
            uniform_weight,
        })
    }

    /// Converts scaled money back to an amount.
    pub fn money(&self, scaled: BigInt) -> Amount {
        BigRational::new(scaled, self.money_scale.clone())
    }

    /// Converts a scaled rational amount back to an amount.
    pub fn money_ratio(&self, scaled: &BigRational) -> Amount {
        scaled / BigRational::from_integer(self.money_scale.clone())
    }

    pub fn total_cost(&self, projects: &[usize]) -> BigInt {
        projects.iter().map(|&p| &self.costs[p]).sum()
    }
}

/// Whether nothing more fits: every project in `available` that is not selected costs more than
/// what is left.
pub(crate) fn is_exhaustive(prep: &Prepared, selected: &[usize], available: &[usize]) -> bool {
    let spent = prep.total_cost(selected);
    let mut chosen = vec![false; prep.costs.len()];
    for &p in selected {
        chosen[p] = true;
    }
    available
        .iter()
        .all(|&p| chosen[p] || &spent + &prep.costs[p] > prep.budget)
}

/// An approximation of `n / d` (for non-negative `n`, positive `d`) with a relative error below
/// 1e-15 whenever the result is a normal float. Used for hints only; decisions are exact.
pub(crate) fn ratio_f64(n: &BigInt, d: &BigInt) -> f64 {
    if n.is_zero() {
        return 0.0;
    }
    if d.is_zero() {
        return f64::INFINITY;
    }
    let sn = n.bits().saturating_sub(64);
    let sd = d.bits().saturating_sub(64);
    let a = (n >> sn).to_f64().unwrap_or(f64::NAN);
    let b = (d >> sd).to_f64().unwrap_or(f64::NAN);
    let exp = (i64::try_from(sn).unwrap_or(i64::MAX / 2)
        - i64::try_from(sd).unwrap_or(i64::MAX / 2))
    .clamp(-4000, 4000);
    a / b * 2f64.powi(exp as i32)
}
