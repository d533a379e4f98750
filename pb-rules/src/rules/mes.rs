//! The Method of Equal Shares (Peters, Pierczyński, Skowron), computed exactly.
//!
//! Every voter starts with an equal share of the budget. In each round, the project that its
//! supporters can pay for with the smallest "price per unit of satisfaction" ρ is funded; each
//! supporter pays `min(their money, ρ × their satisfaction)`. Projects the supporters can no
//! longer pay for leave for good.
//!
//! How it is made fast and exact:
//! - voters with identical ballots form one group;
//! - voters with the same remaining money form a "class"; every budget is an integer numerator
//!   over one common denominator `l`, which grows (by multiplication) when a round's price needs
//!   it; a class's numerator is brought to the current `l` lazily, when it is next used. No
//!   rounding ever happens;
//! - pricing a project aggregates its supporters by (class, weight), so it sorts classes rather
//!   than voters;
//! - a project's last price is a lower bound of its next one (money only decreases), so each
//!   round only re-prices projects that could still win, as pabutools does;
//! - floats serve as hints only (to sort, and to guess where the supporters who can pay in full
//!   begin); every decision is then proved with exact integers, or made exactly when the hint is
//!   not conclusive. The property tests compare the outcome with a literal implementation of
//!   pabutools' algorithm.

use std::cmp::Ordering;

use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, ToPrimitive, Zero};
use rustc_hash::FxHashMap;

use super::greedy::greedy_turns;
use super::{
    Completion, Explanation, MAX_BUDGET_RAISES, Outcome, Prepared, Reason, RuleError, RuleOptions,
    SharesDetails, is_exhaustive, ratio_f64,
};
use crate::election::Election;

/// A project funded in a run.
struct Funded {
    project: usize,
    round: usize,
    payers: u64,
    /// Most paid by one voter, in scaled money.
    max_payment: BigRational,
}

/// The result of one run of MES with a given starting budget per voter.
struct Run {
    funded: Vec<Funded>,
    /// Common denominator of the final money.
    l: BigInt,
    /// Final money per class, numerators over `l`, in scaled money.
    class_num: Vec<BigInt>,
    /// Final class of each group.
    group_class: Vec<u32>,
    /// Starting money per voter, in scaled money.
    start: BigRational,
}

/// ρ, a price per unit of satisfaction in pabutools' units, as an unreduced exact fraction with
/// a float hint.
#[derive(Clone)]
struct Price {
    num: BigInt,
    den: BigInt,
    approx: f64,
}

impl Price {
    fn new(num: BigInt, den: BigInt) -> Self {
        let approx = ratio_f64(&num, &den);
        Self { num, den, approx }
    }

    fn zero() -> Self {
        Self::new(BigInt::zero(), BigInt::one())
    }

    fn cmp_exact(&self, other: &Self) -> Ordering {
        (&self.num * &other.den).cmp(&(&other.num * &self.den))
    }

    /// Whether the hints alone prove `self > other` (hints are accurate to far better than
    /// one part in 10^9).
    fn surely_above(&self, other: &Self) -> bool {
        self.approx.is_normal()
            && other.approx.is_normal()
            && self.approx > other.approx * (1.0 + 1e-9)
    }
}

struct Engine<'a> {
    prep: &'a Prepared,
    l: BigInt,
    class_num: Vec<BigInt>,
    class_groups: Vec<u32>,
    class_approx: Vec<f64>,
    /// The epoch (index in `epoch_l`) of each class numerator: numerators are rescaled to the
    /// current `l` lazily, when the class is next used.
    class_epoch: Vec<u32>,
    /// `l` at each epoch; the last one is the current `l`.
    epoch_l: Vec<BigInt>,
    /// `l / epoch_l[e]` per epoch `e`, computed on first use in the current epoch.
    epoch_factor: Vec<Option<BigInt>>,
    group_class: Vec<u32>,
    active: Vec<bool>,
    /// Per class counts, all zero between uses (see [`aggregate`]).
    scratch: Vec<u64>,
    /// All voters' starting money, as a float (the scale of the hints' errors).
    total_f: f64,
}

/// Class 0 is "no money left".
const BROKE: u32 = 0;

/// The supporters of `p` with money left, aggregated by (class, weight) into (class, weight,
/// voters): far fewer entries than voters. `scratch` must be all zeros; it is left so.
fn aggregate(
    prep: &Prepared,
    group_class: &[u32],
    p: usize,
    scratch: &mut Vec<u64>,
) -> Vec<(u32, u64, u64)> {
    let supporters = &prep.supporters[p];
    if let Some(w) = prep.uniform_weight[p] {
        // One weight for all supporters (approval ballots): count per class in a dense array.
        let mut touched: Vec<u32> = Vec::new();
        for &(g, _) in supporters {
            let c = group_class[g as usize];
            if c == BROKE {
                continue;
            }
            let c_index = c as usize;
            if c_index >= scratch.len() {
                scratch.resize(c_index + 1, 0);
            }
            if scratch[c_index] == 0 {
                touched.push(c);
            }
            scratch[c_index] += prep.groups[g as usize].mult;
        }
        return touched
            .into_iter()
            .map(|c| (c, w, std::mem::take(&mut scratch[c as usize])))
            .collect();
    }
    let mut raw: Vec<(u32, u64, u64)> = supporters
        .iter()
        .filter_map(|&(g, w)| {
            let c = group_class[g as usize];
            (c != BROKE).then(|| (c, w, prep.groups[g as usize].mult))
        })
        .collect();
    raw.sort_unstable_by_key(|&(c, w, _)| (c, w));
    let mut entries: Vec<(u32, u64, u64)> = Vec::with_capacity(raw.len());
    for (c, w, m) in raw {
        match entries.last_mut() {
            Some(last) if last.0 == c && last.1 == w => last.2 += m,
            _ => entries.push((c, w, m)),
        }
    }
    entries
}

impl<'a> Engine<'a> {
    fn new(prep: &'a Prepared, start_num: BigInt) -> Self {
        let l = BigInt::from(prep.n_voters.max(1));
        let approx = ratio_f64(&start_num, &l);
        let m = prep.costs.len();
        let groups = u32::try_from(prep.groups.len()).unwrap_or(u32::MAX);
        Self {
            prep,
            l,
            class_num: vec![BigInt::zero(), start_num],
            class_groups: vec![0, groups],
            class_approx: vec![0.0, approx],
            class_epoch: vec![0, 0],
            epoch_l: vec![BigInt::from(prep.n_voters.max(1))],
            epoch_factor: vec![None],
            group_class: vec![1; prep.groups.len()],
            active: vec![false; m],
            scratch: Vec::new(),
            total_f: approx * prep.n_voters as f64,
        }
    }

    /// Brings the numerator of class `c` to the current `l`.
    fn sync(&mut self, c: u32) {
        let c = c as usize;
        let now = self.epoch_l.len() - 1;
        let epoch = self.class_epoch[c] as usize;
        if epoch == now || self.class_num[c].is_zero() {
            self.class_epoch[c] = now as u32;
            return;
        }
        let factor = match &self.epoch_factor[epoch] {
            Some(f) => f,
            None => {
                let f = &self.l / &self.epoch_l[epoch];
                self.epoch_factor[epoch].insert(f)
            }
        };
        self.class_num[c] *= factor;
        self.class_epoch[c] = now as u32;
    }

    /// The price per unit of weight `(numerator over l, denominator)` at which the supporters
    /// of `p` can pay for it, or `None` when they cannot.
    fn price(&mut self, p: usize) -> Option<(BigInt, BigInt)> {
        let mut entries = aggregate(self.prep, &self.group_class, p, &mut self.scratch);
        for &(c, _, _) in &entries {
            self.sync(c);
        }
        let need = &self.prep.costs[p] * &self.l;
        // Can the supporters pay at all? The float hints decide unless it is close (their error
        // is below 1e-11 of the total budget; the margin is 1e-9 of it).
        let cost_f = self.prep.costs[p].to_f64().unwrap_or(f64::INFINITY);
        let available_f: f64 = entries
            .iter()
            .map(|&(c, _, m)| self.class_approx[c as usize] * m as f64)
            .sum();
        let margin = 1e-9 * (self.total_f + cost_f);
        let hints_usable = margin.is_finite() && available_f.is_finite();
        if hints_usable && available_f < cost_f - margin {
            return None;
        }
        if !hints_usable || available_f <= cost_f + margin {
            let mut available = BigInt::zero();
            for &(c, _, m) in &entries {
                available += &self.class_num[c as usize] * m;
            }
            if available < need {
                return None;
            }
        }
        // Poorest first by money per unit of weight: a float hint, then an exact insertion pass.
        let mut keyed: Vec<(f64, (u32, u64, u64))> = entries
            .iter()
            .map(|&e| (self.class_approx[e.0 as usize] / e.1 as f64, e))
            .collect();
        keyed.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        entries.clear();
        entries.extend(keyed.into_iter().map(|(_, e)| e));
        let exact = |a: &(u32, u64, u64), b: &(u32, u64, u64)| -> Ordering {
            let na = &self.class_num[a.0 as usize];
            let nb = &self.class_num[b.0 as usize];
            if a.1 == b.1 {
                na.cmp(nb)
            } else {
                (na * b.1).cmp(&(nb * a.1))
            }
        };
        for i in 1..entries.len() {
            let mut j = i;
            while j > 0 && exact(&entries[j - 1], &entries[j]) == Ordering::Greater {
                entries.swap(j - 1, j);
                j -= 1;
            }
        }
        let total_weight = entries.iter().try_fold(0u128, |acc, &(_, w, m)| {
            acc.checked_add(u128::from(w).checked_mul(u128::from(m))?)
        });
        if hints_usable
            && let Some(total_weight) = total_weight
            && let Some(found) = self.boundary_by_hints(&entries, &need, cost_f, total_weight)
        {
            return Some(found);
        }
        // The plain exact scan (pabutools' loop): the first supporter who can pay ρ × weight.
        let mut denom: BigInt = entries.iter().map(|&(_, w, m)| BigInt::from(w) * m).sum();
        let mut contrib = BigInt::zero();
        for &(c, w, m) in &entries {
            let rest = &need - &contrib;
            let num = &self.class_num[c as usize];
            if &rest * w <= num * &denom {
                return Some((rest, denom));
            }
            contrib += num * m;
            denom -= BigInt::from(w) * m;
        }
        None
    }

    /// The exact scan's answer found with float hints and then proved exactly: entries are
    /// sorted exactly, and "entry `k` can pay given that all before it pay everything" is false
    /// then true along them, so checking it exactly at `k` and `k - 1` proves `k` is the first.
    /// `None` when the proof fails (the caller then runs the exact scan).
    fn boundary_by_hints(
        &self,
        entries: &[(u32, u64, u64)],
        need: &BigInt,
        cost_f: f64,
        total_weight: u128,
    ) -> Option<(BigInt, BigInt)> {
        let mut rest_f = cost_f;
        let mut denom = total_weight;
        let mut found = None;
        for (i, &(c, w, m)) in entries.iter().enumerate() {
            let money = self.class_approx[c as usize];
            if rest_f * w as f64 <= money * denom as f64 {
                found = Some(i);
                break;
            }
            rest_f -= money * m as f64;
            denom -= u128::from(w) * u128::from(m);
        }
        let k = found?;
        let mut contrib = BigInt::zero();
        for &(c, _, m) in &entries[..k] {
            contrib += &self.class_num[c as usize] * m;
        }
        let rest = need - &contrib;
        let (c, w, _) = entries[k];
        let denom_k = BigInt::from(denom);
        if &rest * w > &self.class_num[c as usize] * &denom_k {
            return None;
        }
        if k > 0 {
            let (c, w, m) = entries[k - 1];
            let num = &self.class_num[c as usize];
            let rest_before = &rest + num * m;
            let denom_before = &denom_k + BigInt::from(u128::from(w) * u128::from(m));
            if rest_before * w <= num * denom_before {
                return None;
            }
        }
        Some((rest, denom_k))
    }

    /// Funds `p` at price `rest / denom` per unit of weight; returns (payers, max payment).
    fn fund(&mut self, p: usize, rest: &BigInt, denom: &BigInt) -> (u64, BigRational) {
        let g = rest.gcd(denom);
        let (n, d) = if g.is_zero() {
            (rest.clone(), denom.clone())
        } else {
            (rest / &g, denom / &g)
        };
        if !d.is_one() {
            self.l *= &d;
            self.epoch_l.push(self.l.clone());
            self.epoch_factor = vec![None; self.epoch_l.len()];
        }
        // What one unit of weight pays, approximately: for the sorting hints of new classes.
        let pay_hint = ratio_f64(&n, &self.l);
        self.active[p] = false;
        let mut moved: FxHashMap<(u32, u64), u32> = FxHashMap::default();
        let mut payers = 0u64;
        let mut max_payment = BigInt::zero();
        for &(g, w) in &self.prep.supporters[p] {
            let c = self.group_class[g as usize];
            if c == BROKE {
                continue;
            }
            payers += self.prep.groups[g as usize].mult;
            let next = match moved.get(&(c, w)) {
                Some(&next) => next,
                None => {
                    self.sync(c);
                    let old = &self.class_num[c as usize];
                    let owed = &n * w;
                    let (paid, left) = if &owed >= old {
                        (old.clone(), BigInt::zero())
                    } else {
                        (owed.clone(), old - &owed)
                    };
                    if paid > max_payment {
                        max_payment = paid;
                    }
                    let next = if left.is_zero() {
                        BROKE
                    } else {
                        let id = u32::try_from(self.class_num.len()).unwrap_or(u32::MAX);
                        let hint = (self.class_approx[c as usize] - pay_hint * w as f64).max(0.0);
                        self.class_approx.push(hint);
                        self.class_num.push(left);
                        self.class_epoch.push((self.epoch_l.len() - 1) as u32);
                        self.class_groups.push(0);
                        id
                    };
                    moved.insert((c, w), next);
                    next
                }
            };
            self.group_class[g as usize] = next;
            self.class_groups[c as usize] -= 1;
            self.class_groups[next as usize] += 1;
        }
        let max_payment = BigRational::new(max_payment, self.l.clone());
        (payers, max_payment)
    }

    fn run(mut self, free: &[usize], candidates: &[usize]) -> Run {
        let prep = self.prep;
        let mut bound: Vec<Price> = vec![Price::zero(); prep.costs.len()];
        for &p in candidates {
            self.active[p] = true;
            let total: BigInt = BigInt::from(prep.total_weight_positive(p)) * &prep.factor[p];
            bound[p] = Price::new(prep.costs[p].clone(), total);
        }
        let mut funded: Vec<Funded> = free
            .iter()
            .map(|&p| Funded {
                project: p,
                round: 0,
                payers: 0,
                max_payment: BigRational::zero(),
            })
            .collect();
        let mut round = 0usize;
        loop {
            let mut order: Vec<usize> = candidates
                .iter()
                .copied()
                .filter(|&p| self.active[p])
                .collect();
            // By the float hint; exact comparisons decide whenever the hint is not conclusive.
            order.sort_by(|&a, &b| bound[a].approx.total_cmp(&bound[b].approx));
            let mut best: Option<Price> = None;
            let mut tied: Vec<(usize, BigInt, BigInt)> = Vec::new();
            for p in order {
                if let Some(b) = &best {
                    if bound[p].surely_above(b) {
                        // So is every later project: their hints are at least as large.
                        break;
                    }
                    if bound[p].cmp_exact(b) == Ordering::Greater {
                        continue;
                    }
                }
                match self.price(p) {
                    None => self.active[p] = false,
                    Some((rest, denom)) => {
                        let rho = Price::new(rest.clone(), &denom * &self.l * &prep.factor[p]);
                        match best.as_ref().map(|b| rho.cmp_exact(b)) {
                            None | Some(Ordering::Less) => {
                                best = Some(rho.clone());
                                tied.clear();
                                tied.push((p, rest, denom));
                            }
                            Some(Ordering::Equal) => tied.push((p, rest, denom)),
                            Some(Ordering::Greater) => {}
                        }
                        bound[p] = rho;
                    }
                }
            }
            let Some((p, rest, denom)) = tied.into_iter().min_by_key(|(p, _, _)| prep.rank[*p])
            else {
                break;
            };
            round += 1;
            let (payers, max_payment) = self.fund(p, &rest, &denom);
            funded.push(Funded {
                project: p,
                round,
                payers,
                max_payment,
            });
        }
        for c in 0..self.class_num.len() {
            if self.class_groups[c] > 0 {
                self.sync(c as u32);
            }
        }
        Run {
            funded,
            l: self.l,
            class_num: self.class_num,
            group_class: self.group_class,
            start: BigRational::zero(),
        }
    }
}

impl Prepared {
    fn total_weight_positive(&self, p: usize) -> i128 {
        self.supporters[p]
            .iter()
            .map(|&(g, w)| i128::from(w) * i128::from(self.groups[g as usize].mult))
            .sum()
    }
}

fn run_once(prep: &Prepared, free: &[usize], candidates: &[usize], increments: u64) -> Run {
    // Starting money per voter = budget / n + increments currency units, as a numerator over n.
    let n = BigInt::from(prep.n_voters.max(1));
    let start_num = &prep.budget + &prep.money_scale * BigInt::from(increments) * &n;
    let start = BigRational::new(start_num.clone(), n);
    let mut run = Engine::new(prep, start_num).run(free, candidates);
    run.start = start;
    run
}

/// The Method of Equal Shares with the completion in `options`.
///
/// Voters who support nothing still receive their share (as in pabutools), which is why plain
/// MES may leave much of the budget unspent.
///
/// # Errors
/// When the satisfaction does not fit the vote type, or when the add1 completion would need
/// more than [`MAX_BUDGET_RAISES`] raises.
pub fn equal_shares(election: &Election, options: &RuleOptions) -> Result<Outcome, RuleError> {
    let prep = Prepared::new(election, options, true)?;
    let m = prep.costs.len();
    let mut free = Vec::new();
    let mut candidates = Vec::new();
    for p in 0..m {
        if prep.supporters[p].is_empty() || prep.n_voters == 0 {
            continue;
        }
        if prep.costs[p].is_zero() {
            free.push(p);
        } else {
            candidates.push(p);
        }
    }
    let (run, increments) = match options.completion {
        Completion::None => (run_once(&prep, &free, &candidates, 0), 0),
        Completion::Add1 | Completion::Add1ThenGreedy => {
            let mut k = 0u64;
            let mut previous: Option<(Run, u64)> = None;
            loop {
                let run = run_once(&prep, &free, &candidates, k);
                let chosen: Vec<usize> = run.funded.iter().map(|f| f.project).collect();
                if prep.total_cost(&chosen) > prep.budget {
                    // The raise overspends: the previous outcome stands.
                    break previous.unwrap_or((run, k));
                }
                if is_exhaustive(&prep, &chosen, &candidates) {
                    break (run, k);
                }
                previous = Some((run, k));
                k += 1;
                if k > MAX_BUDGET_RAISES {
                    return Err(RuleError::TooManyBudgetRaises);
                }
            }
        }
    };

    let mut explanations: Vec<Option<Explanation>> = vec![None; m];
    let mut selected: Vec<usize> = Vec::new();
    let mut scratch: Vec<u64> = Vec::new();
    for f in &run.funded {
        selected.push(f.project);
        let reason = if f.round == 0 {
            Reason::FreeAndSupported
        } else {
            Reason::SharesFunded {
                round: f.round,
                payers: f.payers,
                max_payment: prep.money_ratio(&f.max_payment),
            }
        };
        explanations[f.project] = Some(Explanation {
            project: f.project,
            funded: true,
            reason,
        });
    }
    for (p, slot) in explanations.iter_mut().enumerate() {
        if slot.is_some() {
            continue;
        }
        let reason = if prep.supporters[p].is_empty() {
            if prep.voted[p] {
                Reason::NoSatisfaction
            } else {
                Reason::NoSupport
            }
        } else {
            let count: u64 = prep.supporters[p]
                .iter()
                .map(|&(g, _)| prep.groups[g as usize].mult)
                .sum();
            let mut money = BigInt::zero();
            for (c, _, m) in aggregate(&prep, &run.group_class, p, &mut scratch) {
                money += &run.class_num[c as usize] * m;
            }
            Reason::SupportersCannotAfford {
                supporters_money: prep.money_ratio(&BigRational::new(money, run.l.clone())),
                supporters: count,
            }
        };
        *slot = Some(Explanation {
            project: p,
            funded: false,
            reason,
        });
    }
    let shares_selected = selected.clone();

    if options.completion == Completion::Add1ThenGreedy {
        for t in greedy_turns(&prep, &selected) {
            let remaining = prep.money(t.remaining);
            let Some(slot) = explanations.get_mut(t.project) else {
                continue;
            };
            let Some(previous) = slot.take() else {
                continue;
            };
            *slot = Some(if t.funded {
                selected.push(t.project);
                Explanation {
                    project: t.project,
                    funded: true,
                    reason: Reason::CompletionFunded { remaining },
                }
            } else {
                Explanation {
                    project: t.project,
                    funded: false,
                    reason: Reason::CompletionDoesNotFit {
                        shares: Box::new(previous.reason),
                        remaining,
                    },
                }
            });
        }
    }

    let cost = prep.money(prep.total_cost(&selected));
    Ok(Outcome {
        selected,
        cost,
        explanations: explanations.into_iter().flatten().collect(),
        shares: Some(SharesDetails {
            budget_per_voter: prep.money_ratio(&run.start),
            increments,
            shares_selected,
            start: run.start,
            money_scale: prep.money_scale.clone(),
            l: run.l,
            class_num: run.class_num,
            group_class: run.group_class,
            voter_group: prep.voter_group.clone(),
        }),
    })
}
