//! Property tests: budget never exceeded, greedy exhaustive, the Equal Shares budget-share
//! invariant, independence of ballot and project order, agreement with a naive, literal
//! implementation of pabutools' MES, and a parser that never panics.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Zero};
use pb_rules::{
    Ballot, Completion, Election, Project, RuleOptions, Satisfaction, TieBreak, VoteType, amount,
    equal_shares, greedy, pabulib,
};
use proptest::prelude::*;

fn arb_election() -> impl Strategy<Value = Election> {
    arb_election_sized(1..7, 0..120, 0..10)
}

fn arb_election_sized(
    projects: std::ops::Range<usize>,
    budget: std::ops::Range<i64>,
    voters: std::ops::Range<usize>,
) -> impl Strategy<Value = Election> {
    (projects, budget, prop::bool::ANY, voters).prop_flat_map(|(m, budget, cumulative, n)| {
        let costs = prop::collection::vec(prop_oneof![1 => Just(0i64), 8 => 1i64..60], m);
        let ballot = if cumulative {
            prop::collection::vec((0..m, 0i64..4), 0..=m)
                .prop_map(|items| {
                    let mut seen = Vec::new();
                    let mut out = Vec::new();
                    for (p, pts) in items {
                        if !seen.contains(&p) {
                            seen.push(p);
                            out.push((p, amount(pts)));
                        }
                    }
                    Ballot::Cardinal(out)
                })
                .boxed()
        } else {
            prop::collection::vec(prop::bool::ANY, m)
                .prop_map(|mask| Ballot::Approval((0..mask.len()).filter(|&i| mask[i]).collect()))
                .boxed()
        };
        (costs, prop::collection::vec(ballot, n)).prop_map(move |(costs, ballots)| {
            let projects = costs
                .iter()
                .enumerate()
                .map(|(i, &c)| Project::new(format!("{}", i * 7 % 11), amount(c)))
                .collect();
            let vt = if cumulative {
                VoteType::Cumulative
            } else {
                VoteType::Approval
            };
            let mut e = Election::new(amount(budget), vt, projects);
            for b in ballots {
                e.push_ballot(b);
            }
            e
        })
    })
}

fn sats(e: &Election) -> Vec<Satisfaction> {
    if e.vote_type == VoteType::Cumulative {
        vec![
            Satisfaction::Points,
            Satisfaction::Cost,
            Satisfaction::Cardinality,
        ]
    } else {
        vec![Satisfaction::Cost, Satisfaction::Cardinality]
    }
}

fn opts(satisfaction: Satisfaction, completion: Completion) -> RuleOptions {
    RuleOptions {
        satisfaction,
        tie_break: TieBreak::ProjectId,
        completion,
    }
}

const COMPLETIONS: [Completion; 3] = [
    Completion::None,
    Completion::Add1,
    Completion::Add1ThenGreedy,
];

fn total_cost(e: &Election, selected: &[usize]) -> BigRational {
    selected.iter().map(|&p| e.projects[p].cost.clone()).sum()
}

/// Satisfaction of voter `v` from project `p`, exactly as pabutools defines it.
fn utility(e: &Election, sat: Satisfaction, v: usize, p: usize) -> BigRational {
    let ballot = &e.voters[v].ballot;
    let listed = ballot.projects().any(|q| q == p);
    match sat {
        Satisfaction::Cost if listed => e.projects[p].cost.clone(),
        Satisfaction::Cardinality if listed => BigRational::one(),
        Satisfaction::Points => match ballot {
            Ballot::Cardinal(items) => items
                .iter()
                .find(|(q, _)| *q == p)
                .map_or_else(BigRational::zero, |(_, a)| a.clone()),
            _ => BigRational::zero(),
        },
        _ => BigRational::zero(),
    }
}

/// pabutools' MES, written out literally: per voter, the poor/rich affordability loop.
fn naive_mes(e: &Election, sat: Satisfaction, extra: i64) -> Vec<usize> {
    let n = e.voters.len();
    if n == 0 {
        return Vec::new();
    }
    let start = &e.budget / BigRational::from_integer(BigInt::from(n)) + amount(extra);
    let mut budget = vec![start; n];
    let m = e.projects.len();
    let u: Vec<Vec<BigRational>> = (0..n)
        .map(|v| (0..m).map(|p| utility(e, sat, v, p)).collect())
        .collect();
    let mut selected = Vec::new();
    let mut remaining = Vec::new();
    for p in 0..m {
        let total: BigRational = u.iter().map(|row| row[p].clone()).sum();
        if total > BigRational::zero() {
            if e.projects[p].cost.is_zero() {
                selected.push(p);
            } else {
                remaining.push(p);
            }
        }
    }
    loop {
        let mut best: Option<(BigRational, usize)> = None;
        let mut keep = Vec::new();
        for &p in &remaining {
            let supporters: Vec<usize> =
                (0..n).filter(|&v| u[v][p] > BigRational::zero()).collect();
            let available: BigRational = supporters.iter().map(|&v| budget[v].clone()).sum();
            if available < e.projects[p].cost {
                continue;
            }
            keep.push(p);
            let mut rich = supporters.clone();
            let mut poor_money = BigRational::zero();
            let rho = loop {
                let denom: BigRational = rich.iter().map(|&v| u[v][p].clone()).sum();
                let rho = (&e.projects[p].cost - &poor_money) / denom;
                let (now_poor, still): (Vec<usize>, Vec<usize>) =
                    rich.iter().partition(|&&v| budget[v] < &rho * &u[v][p]);
                if now_poor.is_empty() {
                    break rho;
                }
                for v in now_poor {
                    poor_money += budget[v].clone();
                }
                rich = still;
            };
            let better = match &best {
                None => true,
                Some((b, q)) => rho < *b || (rho == *b && e.projects[p].id < e.projects[*q].id),
            };
            if better {
                best = Some((rho, p));
            }
        }
        remaining = keep;
        let Some((rho, p)) = best else { break };
        for (money, row) in budget.iter_mut().zip(&u) {
            if row[p] > BigRational::zero() {
                let pay = (&rho * &row[p]).min(money.clone());
                *money -= pay;
            }
        }
        selected.push(p);
        remaining.retain(|&q| q != p);
    }
    selected
}

fn naive_mes_add1(e: &Election, sat: Satisfaction) -> Vec<usize> {
    let candidates: Vec<usize> = (0..e.projects.len())
        .filter(|&p| {
            !e.projects[p].cost.is_zero()
                && (0..e.voters.len()).any(|v| utility(e, sat, v, p) > BigRational::zero())
        })
        .collect();
    let mut previous = Vec::new();
    let mut k = 0;
    loop {
        let out = naive_mes(e, sat, k);
        let cost = total_cost(e, &out);
        if cost > e.budget {
            return previous;
        }
        if candidates
            .iter()
            .all(|p| out.contains(p) || &cost + &e.projects[*p].cost > e.budget)
        {
            return out;
        }
        previous = out;
        k += 1;
    }
}

fn sorted(mut v: Vec<usize>) -> Vec<usize> {
    v.sort_unstable();
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn outcomes_never_exceed_the_budget(e in arb_election()) {
        for sat in sats(&e) {
            let g = greedy(&e, &opts(sat, Completion::None)).expect("rule");
            prop_assert!(g.cost <= e.budget);
            prop_assert_eq!(&g.cost, &total_cost(&e, &g.selected));
            for c in COMPLETIONS {
                let out = equal_shares(&e, &opts(sat, c)).expect("rule");
                prop_assert!(out.cost <= e.budget, "{:?} {:?}", sat, c);
                prop_assert_eq!(&out.cost, &total_cost(&e, &out.selected));
                prop_assert_eq!(out.explanations.len(), e.projects.len());
                for x in &out.explanations {
                    prop_assert_eq!(x.funded, out.selected.contains(&x.project));
                }
            }
        }
    }

    #[test]
    fn greedy_is_exhaustive(e in arb_election()) {
        for sat in sats(&e) {
            let g = greedy(&e, &opts(sat, Completion::None)).expect("rule");
            let left = &e.budget - &g.cost;
            for p in 0..e.projects.len() {
                if !g.selected.contains(&p) {
                    prop_assert!(e.projects[p].cost > left);
                }
            }
            let full = equal_shares(&e, &opts(sat, Completion::Add1ThenGreedy)).expect("rule");
            let left = &e.budget - &full.cost;
            for p in 0..e.projects.len() {
                if !full.selected.contains(&p) {
                    prop_assert!(e.projects[p].cost > left);
                }
            }
        }
    }

    #[test]
    fn equal_shares_keeps_every_voter_within_their_share(e in arb_election()) {
        for sat in sats(&e) {
            for c in [Completion::None, Completion::Add1] {
                let out = equal_shares(&e, &opts(sat, c)).expect("rule");
                let shares = out.shares.as_ref().expect("details");
                let mut total = BigRational::zero();
                for v in 0..e.voters.len() {
                    let spent = shares.spent_by_voter(v).expect("voter");
                    prop_assert!(spent >= BigRational::zero());
                    prop_assert!(spent <= shares.budget_per_voter);
                    let supports_a_winner = shares
                        .shares_selected
                        .iter()
                        .any(|&p| utility(&e, sat, v, p) > BigRational::zero());
                    if !supports_a_winner {
                        prop_assert!(spent.is_zero());
                    }
                    total += spent;
                }
                // Every project Equal Shares funded was paid in full by its supporters, no more.
                prop_assert_eq!(total, total_cost(&e, &shares.shares_selected));
            }
        }
    }

    #[test]
    fn equal_shares_matches_a_literal_implementation_of_pabutools(e in arb_election()) {
        for sat in sats(&e) {
            let fast = equal_shares(&e, &opts(sat, Completion::None)).expect("rule");
            prop_assert_eq!(sorted(fast.selected.clone()), sorted(naive_mes(&e, sat, 0)), "{:?}", sat);
            let fast = equal_shares(&e, &opts(sat, Completion::Add1)).expect("rule");
            prop_assert_eq!(sorted(fast.selected), sorted(naive_mes_add1(&e, sat)), "add1 {:?}", sat);
        }
    }

    #[test]
    fn the_order_of_ballots_does_not_matter(e in arb_election(), seed in any::<u64>()) {
        let mut shuffled = e.clone();
        let n = shuffled.voters.len();
        // A deterministic shuffle from the seed.
        let mut state = seed | 1;
        for i in (1..n).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let j = (state % (i as u64 + 1)) as usize;
            shuffled.voters.swap(i, j);
        }
        for sat in sats(&e) {
            let a = greedy(&e, &opts(sat, Completion::None)).expect("rule");
            let b = greedy(&shuffled, &opts(sat, Completion::None)).expect("rule");
            prop_assert_eq!(a.selected, b.selected);
            for c in COMPLETIONS {
                let a = equal_shares(&e, &opts(sat, c)).expect("rule");
                let b = equal_shares(&shuffled, &opts(sat, c)).expect("rule");
                prop_assert_eq!(a.selected, b.selected);
            }
        }
    }

    #[test]
    fn the_order_of_projects_only_matters_through_their_ids(e in arb_election()) {
        // Reverse the project list (and remap ballots); also prefix every id, which keeps
        // their order as strings. The funded ids must not change.
        let m = e.projects.len();
        let mut moved = e.clone();
        moved.projects.reverse();
        for p in &mut moved.projects {
            p.id = format!("x{}", p.id);
        }
        let remap = |p: usize| m - 1 - p;
        for v in &mut moved.voters {
            v.ballot = match &v.ballot {
                Ballot::Approval(ps) => Ballot::Approval(ps.iter().map(|&p| remap(p)).collect()),
                Ballot::Ordinal(ps) => Ballot::Ordinal(ps.iter().map(|&p| remap(p)).collect()),
                Ballot::Cardinal(ps) => Ballot::Cardinal(ps.iter().map(|(p, a)| (remap(*p), a.clone())).collect()),
            };
        }
        let ids = |e: &Election, sel: &[usize]| -> Vec<String> {
            let mut v: Vec<String> = sel.iter().map(|&p| e.projects[p].id.trim_start_matches('x').to_owned()).collect();
            v.sort();
            v
        };
        for sat in sats(&e) {
            let a = greedy(&e, &opts(sat, Completion::None)).expect("rule");
            let b = greedy(&moved, &opts(sat, Completion::None)).expect("rule");
            prop_assert_eq!(ids(&e, &a.selected), ids(&moved, &b.selected));
            for c in COMPLETIONS {
                let a = equal_shares(&e, &opts(sat, c)).expect("rule");
                let b = equal_shares(&moved, &opts(sat, c)).expect("rule");
                prop_assert_eq!(ids(&e, &a.selected), ids(&moved, &b.selected));
            }
        }
    }

    #[test]
    fn written_elections_read_back_the_same(e in arb_election()) {
        let text = pabulib::write(&e);
        let back = pabulib::parse(&text).expect("own output parses");
        prop_assert_eq!(back, e);
    }

    #[test]
    fn the_parser_never_panics_on_arbitrary_text(text in "\\PC*") {
        let _ = pabulib::parse(&text);
    }

    #[test]
    fn the_parser_never_panics_on_almost_valid_files(
        lines in prop::collection::vec(
            prop_oneof![
                Just("META".to_owned()),
                Just("PROJECTS".to_owned()),
                Just("VOTES".to_owned()),
                Just("key;value".to_owned()),
                Just("budget;100".to_owned()),
                Just("vote_type;cumulative".to_owned()),
                Just("vote_type;approval".to_owned()),
                Just("project_id;cost;name".to_owned()),
                Just("voter_id;vote;points".to_owned()),
                "[0-9]{1,2};[0-9,.-]{0,4};\"?[a-z;\"]{0,5}",
                "[0-9]{1,2};[0-9,]{0,5};[0-9,.-]{0,5}",
                "[;\",a-z0-9\n]{0,12}",
            ],
            0..30,
        )
    ) {
        let text = lines.join("\n");
        if let Ok(e) = pabulib::parse(&text) {
            // Whatever parses must survive a round trip and the rules.
            let back = pabulib::parse(&pabulib::write(&e)).expect("own output parses");
            prop_assert_eq!(&back, &e);
            let o = RuleOptions::defaults_for(&e);
            prop_assert!(greedy(&e, &o).is_ok());
            prop_assert!(equal_shares(&e, &o).is_ok());
        }
    }
}

proptest! {
    // Fewer cases: the literal implementation is slow on a few hundred voters.
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn the_price_shortcuts_agree_with_pabutools_on_larger_elections(
        e in arb_election_sized(5..12, 100..5000, 50..250)
    ) {
        // Many voters and rounds: the float hints and lazy rescaling are exercised for real.
        for sat in sats(&e) {
            let fast = equal_shares(&e, &opts(sat, Completion::None)).expect("rule");
            prop_assert_eq!(sorted(fast.selected), sorted(naive_mes(&e, sat, 0)), "{:?}", sat);
        }
    }
}
