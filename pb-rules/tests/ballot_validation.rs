//! Ballot validation: every problem, with its code and project, never a panic.

use num_rational::BigRational;
use pb_rules::{
    Ballot, BallotEntry, BallotKind, BallotProblem, BallotRules, Election, Minimum, ProblemCode,
    Project, VoteType, amount, to_ballot, validate_ballot,
};

fn election() -> Election {
    Election::new(
        amount(1000),
        VoteType::Approval,
        vec![
            Project::new("park", amount(600)),
            Project::new("bench", amount(100)),
            Project::new("mural", amount(500)),
        ],
    )
}

fn codes(problems: &[BallotProblem]) -> Vec<(ProblemCode, Option<&str>)> {
    problems
        .iter()
        .map(|p| (p.code, p.project.as_deref()))
        .collect()
}

#[test]
fn a_valid_approval_ballot_has_no_problems() {
    let rules = BallotRules::new(BallotKind::Approval);
    let entries = [BallotEntry::approve("park"), BallotEntry::approve("mural")];
    assert!(validate_ballot(&election(), &rules, &entries).is_empty());
    assert_eq!(
        to_ballot(&election(), &rules, &entries),
        Ok(Ballot::Approval(vec![0, 2]))
    );
}

#[test]
fn every_problem_is_reported_with_its_project() {
    let rules = BallotRules {
        kind: BallotKind::KApproval { k: 1 },
        minimum: Minimum::None,
    };
    let entries = [
        BallotEntry::approve("park"),
        BallotEntry::approve("pool"),
        BallotEntry::approve("park"),
        BallotEntry::points("bench", 2),
    ];
    let problems = validate_ballot(&election(), &rules, &entries);
    assert_eq!(
        codes(&problems),
        vec![
            (ProblemCode::UnknownProject, Some("pool")),
            (ProblemCode::DuplicateProject, Some("park")),
            (ProblemCode::PointsNotAllowed, Some("bench")),
            (ProblemCode::TooManyProjects, None),
        ]
    );
}

#[test]
fn cumulative_ballots_check_points() {
    let rules = BallotRules::new(BallotKind::Cumulative { points: 5 });
    let entries = [
        BallotEntry::points("park", 4),
        BallotEntry::points("bench", -1),
        BallotEntry::approve("mural"),
    ];
    assert_eq!(
        codes(&validate_ballot(&election(), &rules, &entries)),
        vec![
            (ProblemCode::NegativePoints, Some("bench")),
            (ProblemCode::MissingPoints, Some("mural")),
        ]
    );
    let over = [
        BallotEntry::points("park", 4),
        BallotEntry::points("bench", 2),
    ];
    assert_eq!(
        codes(&validate_ballot(&election(), &rules, &over)),
        vec![(ProblemCode::TooManyPoints, None)]
    );
    let fine = [
        BallotEntry::points("park", 3),
        BallotEntry::points("bench", 2),
        BallotEntry::points("mural", 0),
    ];
    assert_eq!(
        to_ballot(&election(), &rules, &fine),
        Ok(Ballot::Cardinal(vec![(0, amount(3)), (1, amount(2))]))
    );
}

#[test]
fn knapsack_ballots_must_fit_the_budget_and_minimums_apply() {
    let rules = BallotRules::new(BallotKind::Knapsack);
    let over = [BallotEntry::approve("park"), BallotEntry::approve("mural")];
    assert_eq!(
        codes(&validate_ballot(&election(), &rules, &over)),
        vec![(ProblemCode::OverBudget, None)]
    );
    let rules = BallotRules {
        kind: BallotKind::Knapsack,
        minimum: Minimum::BudgetShare(BigRational::new(1.into(), 2.into())),
    };
    let small = [BallotEntry::approve("bench")];
    assert_eq!(
        codes(&validate_ballot(&election(), &rules, &small)),
        vec![(ProblemCode::BelowMinimumCost, None)]
    );
    let rules = BallotRules {
        kind: BallotKind::Approval,
        minimum: Minimum::Projects(2),
    };
    assert_eq!(
        codes(&validate_ballot(&election(), &rules, &small)),
        vec![(ProblemCode::TooFewProjects, None)]
    );
    assert!(to_ballot(&election(), &rules, &small).is_err());
}

#[test]
fn problem_codes_are_stable_and_distinct() {
    let names: Vec<&str> = ProblemCode::ALL.iter().map(|c| c.as_str()).collect();
    let mut unique = names.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), names.len());
    assert!(
        names
            .iter()
            .all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
    );
}
