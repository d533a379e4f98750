//! Small elections whose outcome is worked out by hand in each test.

use num_rational::BigRational;
use pb_rules::{
    Ballot, Completion, Election, Project, Reason, RuleOptions, Satisfaction, TieBreak, VoteType,
    amount, equal_shares, greedy,
};

fn election(
    budget: i64,
    vote_type: VoteType,
    projects: &[(&str, i64)],
    ballots: Vec<Ballot>,
) -> Election {
    let projects = projects
        .iter()
        .map(|(id, cost)| Project::new(*id, amount(*cost)))
        .collect();
    let mut e = Election::new(amount(budget), vote_type, projects);
    for b in ballots {
        e.push_ballot(b);
    }
    e
}

fn approval(ps: &[usize]) -> Ballot {
    Ballot::Approval(ps.to_vec())
}

fn options(satisfaction: Satisfaction, completion: Completion) -> RuleOptions {
    RuleOptions {
        satisfaction,
        tie_break: TieBreak::ProjectId,
        completion,
    }
}

fn ratio(n: i64, d: i64) -> BigRational {
    BigRational::new(n.into(), d.into())
}

#[test]
fn greedy_funds_by_approvals_and_skips_what_does_not_fit() {
    // a: 2 approvals, b and c: 1 each (tie, "b" < "c"). a (60) fits, b (50) no longer fits in the
    // 40 left, c (40) does.
    let e = election(
        100,
        VoteType::Approval,
        &[("a", 60), ("b", 50), ("c", 40)],
        vec![approval(&[0, 1]), approval(&[0]), approval(&[2])],
    );
    let out = greedy(&e, &options(Satisfaction::Cost, Completion::None)).expect("rule");
    assert_eq!(out.selected, vec![0, 2]);
    assert_eq!(out.cost, amount(100));
    assert_eq!(
        out.explanations[1].reason,
        Reason::GreedyDoesNotFit {
            rank: 2,
            remaining: amount(40)
        }
    );
    assert!(
        out.explanations[1]
            .describe(&e)
            .contains("only 40 was left, it costs 50")
    );
}

#[test]
fn greedy_breaks_ties_by_project_id_as_a_string() {
    // "10" and "9" have one approval each and only one fits: "10" < "9" as strings.
    let e = election(
        10,
        VoteType::Approval,
        &[("9", 10), ("10", 10)],
        vec![approval(&[0]), approval(&[1])],
    );
    let out = greedy(&e, &options(Satisfaction::Cost, Completion::None)).expect("rule");
    assert_eq!(out.selected_ids(&e), ["10"]);
    // With the cheapest-first tie-break on equal costs, the id still decides.
    let mut o = options(Satisfaction::Cost, Completion::None);
    o.tie_break = TieBreak::LowestCost;
    assert_eq!(greedy(&e, &o).expect("rule").selected_ids(&e), ["10"]);
}

#[test]
fn a_project_that_never_fits_is_explained() {
    let e = election(
        100,
        VoteType::Approval,
        &[("big", 150), ("small", 30)],
        vec![approval(&[0]), approval(&[0]), approval(&[1])],
    );
    let out = greedy(&e, &options(Satisfaction::Cost, Completion::None)).expect("rule");
    assert_eq!(out.selected_ids(&e), ["small"]);
    assert!(!out.explanations[0].funded);
    assert_eq!(
        out.explanations[0].reason,
        Reason::GreedyDoesNotFit {
            rank: 1,
            remaining: amount(100)
        }
    );
    let mes = equal_shares(&e, &options(Satisfaction::Cost, Completion::None)).expect("rule");
    assert_eq!(mes.selected_ids(&e), ["small"]);
}

#[test]
fn greedy_on_cumulative_ballots_ranks_points_per_unit_of_cost() {
    // Points: a 4 over 40 (0.1), b 1 over 20 (0.05), c 2 over 30 (0.067): a, then c (30 > 20
    // left), then b (20 fits).
    let e = election(
        60,
        VoteType::Cumulative,
        &[("a", 40), ("b", 20), ("c", 30)],
        vec![
            Ballot::Cardinal(vec![(0, amount(3)), (1, amount(1))]),
            Ballot::Cardinal(vec![(0, amount(1)), (2, amount(2))]),
        ],
    );
    let out = greedy(&e, &options(Satisfaction::Points, Completion::None)).expect("rule");
    assert_eq!(out.selected, vec![0, 1]);
}

#[test]
fn equal_shares_gives_voters_who_approve_nothing_their_share_too() {
    // 4 voters, 25 each. a (50): v1 and v2 pay 25 each. b (30): v3 has only 25. v4 approves
    // nothing; their 25 stays unspent.
    let e = election(
        100,
        VoteType::Approval,
        &[("a", 50), ("b", 30)],
        vec![
            approval(&[0]),
            approval(&[0]),
            approval(&[1]),
            approval(&[]),
        ],
    );
    let out = equal_shares(&e, &options(Satisfaction::Cost, Completion::None)).expect("rule");
    assert_eq!(out.selected_ids(&e), ["a"]);
    assert_eq!(out.cost, amount(50));
    assert_eq!(
        out.explanations[1].reason,
        Reason::SupportersCannotAfford {
            supporters_money: amount(25),
            supporters: 1
        }
    );
    assert!(
        out.explanations[1]
            .describe(&e)
            .contains("its only supporter had 25 left between them, it costs 30")
    );
    let shares = out.shares.expect("details");
    assert_eq!(shares.budget_per_voter, amount(25));
    assert_eq!(shares.spent_by_voter(0), Some(amount(25)));
    assert_eq!(shares.spent_by_voter(2), Some(amount(0)));
    assert_eq!(shares.spent_by_voter(3), Some(amount(0)));
}

#[test]
fn equal_shares_picks_the_lowest_price_per_unit_of_satisfaction() {
    // 3 voters, 30 each. a (60) by all: 20 each, ρ = 20/60 = 1/3. b (30) by v1: ρ = 1. c (45) by
    // v2, v3: 22.5 each, ρ = 1/2. a wins; then everyone has 10 left: b and c are unaffordable.
    let e = election(
        90,
        VoteType::Approval,
        &[("a", 60), ("b", 30), ("c", 45)],
        vec![approval(&[0, 1]), approval(&[0, 2]), approval(&[0, 2])],
    );
    let out = equal_shares(&e, &options(Satisfaction::Cost, Completion::None)).expect("rule");
    assert_eq!(out.selected_ids(&e), ["a"]);
    assert_eq!(
        out.explanations[0].reason,
        Reason::SharesFunded {
            round: 1,
            payers: 3,
            max_payment: amount(20)
        }
    );
    assert_eq!(
        out.explanations[2].reason,
        Reason::SupportersCannotAfford {
            supporters_money: amount(20),
            supporters: 2
        }
    );
}

#[test]
fn cost_and_cardinality_satisfaction_can_disagree() {
    // 2 voters, 50 each. a (100) by both: cost ρ = 50/100 = 1/2, cardinality ρ = 50.
    // b (40) by v1 and c (40) by v2: cost ρ = 1, cardinality ρ = 40.
    let e = election(
        100,
        VoteType::Approval,
        &[("a", 100), ("b", 40), ("c", 40)],
        vec![approval(&[0, 1]), approval(&[0, 2])],
    );
    let cost = equal_shares(&e, &options(Satisfaction::Cost, Completion::None)).expect("rule");
    assert_eq!(cost.selected_ids(&e), ["a"]);
    let card =
        equal_shares(&e, &options(Satisfaction::Cardinality, Completion::None)).expect("rule");
    // b and c tie at 40; b goes first by id, then c; a is then unaffordable (20 < 100).
    assert_eq!(card.selected, vec![1, 2]);
}

#[test]
fn equal_shares_with_points_lets_richer_supporters_pay_more() {
    // 2 voters, 30 each. a (40): v1 gives 3 points, v2 1 point: ρ = 40/4 = 10, v1 pays 30, v2 10.
    // b (20, v1 1 point): ρ = 20. c (30, v2 2 points): ρ = 15. a first; then v1 has 0 and v2 20.
    let e = election(
        60,
        VoteType::Cumulative,
        &[("a", 40), ("b", 20), ("c", 30)],
        vec![
            Ballot::Cardinal(vec![(0, amount(3)), (1, amount(1))]),
            Ballot::Cardinal(vec![(0, amount(1)), (2, amount(2))]),
        ],
    );
    let out = equal_shares(&e, &options(Satisfaction::Points, Completion::None)).expect("rule");
    assert_eq!(out.selected_ids(&e), ["a"]);
    let shares = out.shares.as_ref().expect("details");
    assert_eq!(shares.spent_by_voter(0), Some(amount(30)));
    assert_eq!(shares.spent_by_voter(1), Some(amount(10)));
    assert_eq!(
        out.explanations[2].reason,
        Reason::SupportersCannotAfford {
            supporters_money: amount(20),
            supporters: 1
        }
    );
}

#[test]
fn add1_raises_budgets_until_the_outcome_is_exhaustive() {
    // As in the "approve nothing" case: b needs v3 to have 30, five raises of 1.
    let e = election(
        100,
        VoteType::Approval,
        &[("a", 50), ("b", 30)],
        vec![
            approval(&[0]),
            approval(&[0]),
            approval(&[1]),
            approval(&[]),
        ],
    );
    let out = equal_shares(&e, &options(Satisfaction::Cost, Completion::Add1)).expect("rule");
    assert_eq!(out.selected_ids(&e), ["a", "b"]);
    let shares = out.shares.expect("details");
    assert_eq!(shares.increments, 5);
    assert_eq!(shares.budget_per_voter, amount(30));
}

#[test]
fn add1_keeps_the_previous_outcome_when_a_raise_overspends() {
    // 2 voters, 5 each; a (6) by v1, b (6) by v2. One raise makes both affordable (12 > 10), so
    // the outcome before it, nothing, stands. The greedy completion then funds a (tie by id).
    let e = election(
        10,
        VoteType::Approval,
        &[("a", 6), ("b", 6)],
        vec![approval(&[0]), approval(&[1])],
    );
    let out = equal_shares(&e, &options(Satisfaction::Cost, Completion::Add1)).expect("rule");
    assert!(out.selected.is_empty());
    let out =
        equal_shares(&e, &options(Satisfaction::Cost, Completion::Add1ThenGreedy)).expect("rule");
    assert_eq!(out.selected_ids(&e), ["a"]);
    assert_eq!(
        out.explanations[0].reason,
        Reason::CompletionFunded {
            remaining: amount(10)
        }
    );
    assert!(matches!(
        out.explanations[1].reason,
        Reason::CompletionDoesNotFit { .. }
    ));
}

#[test]
fn equal_shares_breaks_exact_ties_by_project_id_as_a_string() {
    // Two identical projects, money for one: "10" wins over "9".
    let e = election(
        10,
        VoteType::Approval,
        &[("9", 10), ("10", 10)],
        vec![approval(&[0, 1]), approval(&[0, 1])],
    );
    let out = equal_shares(&e, &options(Satisfaction::Cost, Completion::None)).expect("rule");
    assert_eq!(out.selected_ids(&e), ["10"]);
    let mut o = options(Satisfaction::Cost, Completion::None);
    o.tie_break = TieBreak::HighestCost;
    assert_eq!(equal_shares(&e, &o).expect("rule").selected_ids(&e), ["10"]);
}

#[test]
fn free_projects_are_funded_first_by_equal_shares_only_when_they_satisfy_someone() {
    let e = election(
        10,
        VoteType::Approval,
        &[("free", 0), ("lonely", 0), ("x", 10)],
        vec![approval(&[0, 2]), approval(&[2])],
    );
    // Cardinality satisfaction: "free" satisfies its voter, so it is funded before round 1.
    let out =
        equal_shares(&e, &options(Satisfaction::Cardinality, Completion::None)).expect("rule");
    assert_eq!(out.selected, vec![0, 2]);
    assert_eq!(out.explanations[0].reason, Reason::FreeAndSupported);
    assert_eq!(out.explanations[1].reason, Reason::NoSupport);
    // Cost satisfaction (as pabutools): a free project gives nobody anything.
    let out = equal_shares(&e, &options(Satisfaction::Cost, Completion::None)).expect("rule");
    assert_eq!(out.selected, vec![2]);
    assert_eq!(out.explanations[0].reason, Reason::NoSatisfaction);
    // Greedy funds both free projects: they still fit at the end (support 0, ties by id).
    let out = greedy(&e, &options(Satisfaction::Cost, Completion::None)).expect("rule");
    assert_eq!(out.selected, vec![2, 0, 1]);
}

#[test]
fn borda_counts_the_last_ranked_project_as_no_support() {
    // Rankings of length 3 give 2, 1, 0. x: 2+2 = 4, y: 1+0 = 1, z: 0+1 = 1.
    // Greedy per unit of cost (all cost 10): x, then y and z tie: y by id. Budget for two.
    let e = election(
        20,
        VoteType::Ordinal,
        &[("x", 10), ("y", 10), ("z", 10)],
        vec![
            Ballot::Ordinal(vec![0, 1, 2]),
            Ballot::Ordinal(vec![0, 2, 1]),
        ],
    );
    let out = greedy(&e, &RuleOptions::defaults_for(&e)).expect("rule");
    assert_eq!(out.selected_ids(&e), ["x", "y"]);
    // MES: 10 each. x: ρ = 10/4; everyone pays 5. y: v1 (weight 1) has 5 < 10: unaffordable.
    let out = equal_shares(&e, &RuleOptions::defaults_for(&e)).expect("rule");
    assert_eq!(out.selected_ids(&e), ["x"]);
    assert_eq!(
        out.explanations[0].reason,
        Reason::SharesFunded {
            round: 1,
            payers: 2,
            max_payment: amount(5)
        }
    );
}

#[test]
fn fractional_costs_are_exact() {
    // Costs of 1/3 and 2/3 fill a budget of 1 exactly.
    let mut e = election(1, VoteType::Approval, &[], vec![]);
    e.projects = vec![
        Project::new("p", ratio(1, 3)),
        Project::new("q", ratio(2, 3)),
    ];
    e.push_ballot(approval(&[0, 1]));
    let out = greedy(&e, &options(Satisfaction::Cost, Completion::None)).expect("rule");
    assert_eq!(out.cost, amount(1));
    let out = equal_shares(&e, &options(Satisfaction::Cost, Completion::None)).expect("rule");
    assert_eq!(out.cost, amount(1));
}

#[test]
fn satisfaction_must_fit_the_ballots() {
    let e = election(10, VoteType::Approval, &[("a", 5)], vec![approval(&[0])]);
    let err =
        greedy(&e, &options(Satisfaction::Borda, Completion::None)).expect_err("borda on approval");
    assert_eq!(
        err.to_string(),
        "satisfaction `borda` cannot be used with approval ballots"
    );
    assert!(equal_shares(&e, &options(Satisfaction::Points, Completion::None)).is_err());
}

#[test]
fn an_election_without_voters_funds_nothing_by_equal_shares() {
    let e = election(10, VoteType::Approval, &[("a", 5)], vec![]);
    let out =
        equal_shares(&e, &options(Satisfaction::Cost, Completion::Add1ThenGreedy)).expect("rule");
    // Nothing is supported, so Equal Shares funds nothing; the greedy completion still fills up.
    assert_eq!(out.selected_ids(&e), ["a"]);
    let out = equal_shares(&e, &options(Satisfaction::Cost, Completion::None)).expect("rule");
    assert!(out.selected.is_empty());
}
