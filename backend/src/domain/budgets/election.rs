//! The bridge to `pb-rules`: the election of a round (its feasible proposals and ballots),
//! ballot validation, the count and the Pabulib export. The count and the export use the same
//! election, so the export recomputes to the stored outcome.

use pb_rules::{
    BallotEntry, BallotRules, Election, Project, RuleOptions, VoteType, amount, equal_shares,
    greedy,
};

use super::model::{BallotKind, Proposal, Round, Rule};
use crate::domain::{DomainError, FieldProblem, ProblemCode};

/// The project id of a proposal in the election and in the `.pb` file: its number.
pub fn project_id(proposal: i64) -> String {
    proposal.to_string()
}

/// The ballot rules of a round.
pub fn ballot_rules(round: &Round) -> BallotRules {
    BallotRules::new(match round.ballot_kind {
        BallotKind::Approval => pb_rules::BallotKind::Approval,
        BallotKind::KApproval => pb_rules::BallotKind::KApproval {
            k: round
                .max_choices
                .and_then(|k| usize::try_from(k).ok())
                .unwrap_or(1),
        },
        BallotKind::Knapsack => pb_rules::BallotKind::Knapsack,
    })
}

/// The election of a round without ballots: the feasible proposals, in id order.
pub fn empty_election(round: &Round, on_ballot: &[Proposal]) -> Election {
    let projects = on_ballot
        .iter()
        .map(|p| {
            let mut project = Project::new(project_id(p.id), amount(p.cost_euros));
            project.extra.push(("name".to_owned(), p.title.clone()));
            project
        })
        .collect();
    let mut election = Election::new(amount(round.total_euros), VoteType::Approval, projects);
    election.meta.extend([
        ("description".to_owned(), round.title.clone()),
        ("country".to_owned(), "Netherlands".to_owned()),
        ("unit".to_owned(), round.title.clone()),
        ("instance".to_owned(), round.id.to_string()),
        ("num_projects".to_owned(), on_ballot.len().to_string()),
        ("currency".to_owned(), "EUR".to_owned()),
        (
            "rule".to_owned(),
            match round.rule {
                Rule::Greedy => "greedy",
                Rule::EqualShares => "equalshares",
            }
            .to_owned(),
        ),
    ]);
    election
}

/// Checks a ballot (project ids of the election) against the round's rules. Every problem is
/// reported on the field `choices`, once per kind of problem.
pub fn check_ballot(
    election: &Election,
    rules: &BallotRules,
    choices: &[String],
) -> Result<Vec<usize>, DomainError> {
    let mut problems: Vec<FieldProblem> = Vec::new();
    if choices.is_empty() {
        problems.push(FieldProblem::new("choices", ProblemCode::Required));
    }
    let entries: Vec<BallotEntry> = choices.iter().map(BallotEntry::approve).collect();
    for problem in pb_rules::validate_ballot(election, rules, &entries) {
        let code = match problem.code {
            pb_rules::ProblemCode::UnknownProject => ProblemCode::UnknownChoice,
            pb_rules::ProblemCode::DuplicateProject => ProblemCode::DuplicateChoice,
            pb_rules::ProblemCode::TooManyProjects => ProblemCode::TooManyChoices {
                max: match rules.kind {
                    pb_rules::BallotKind::KApproval { k } => k,
                    _ => 0,
                },
            },
            pb_rules::ProblemCode::OverBudget => ProblemCode::OverBudget,
            _ => ProblemCode::InvalidFormat,
        };
        let problem = FieldProblem::new("choices", code);
        if !problems.contains(&problem) {
            problems.push(problem);
        }
    }
    if !problems.is_empty() {
        return Err(DomainError::Validation(problems));
    }
    let mut indices: Vec<usize> = choices
        .iter()
        .filter_map(|c| election.project_index(c))
        .collect();
    indices.sort_unstable();
    Ok(indices)
}

/// The stored form of a ballot: the chosen proposal numbers, ascending, comma-separated.
pub fn encode_choices(election: &Election, indices: &[usize]) -> String {
    let mut ids: Vec<i64> = indices
        .iter()
        .filter_map(|&i| election.projects.get(i))
        .filter_map(|p| p.id.parse().ok())
        .collect();
    ids.sort_unstable();
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// Adds stored ballots to the election (unknown numbers are skipped; they cannot occur, since
/// proposals on the ballot never change during voting).
pub fn push_ballots(election: &mut Election, ballots: &[String]) {
    for stored in ballots {
        let indices: Vec<usize> = stored
            .split(',')
            .filter(|s| !s.is_empty())
            .filter_map(|id| election.project_index(id))
            .collect();
        election.push_ballot(pb_rules::Ballot::Approval(indices));
    }
}

/// One project's result: (index in the election, funded, explanation).
pub type ProjectResult = (usize, bool, String);

/// Counts the election with the round's rule.
pub fn count(election: &Election, rule: Rule) -> Result<Vec<ProjectResult>, DomainError> {
    let options = RuleOptions::defaults_for(election);
    let outcome = match rule {
        Rule::Greedy => greedy(election, &options),
        Rule::EqualShares => equal_shares(election, &options),
    }
    .map_err(|e| DomainError::Internal(format!("pb-rules: {e:?}")))?;
    let funded: std::collections::HashSet<usize> = outcome.selected.iter().copied().collect();
    Ok(outcome
        .explanations
        .iter()
        .map(|e| (e.project, funded.contains(&e.project), e.describe(election)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::budgets::model::{Phase, ProposalStatus};
    use crate::domain::ids::NeighbourhoodId;

    fn round(kind: BallotKind, max_choices: Option<i32>, rule: Rule) -> Round {
        Round {
            id: 1,
            neighbourhood: NeighbourhoodId(1),
            title: "Wijkbudget".into(),
            total_euros: 100,
            ballot_kind: kind,
            max_choices,
            rule,
            phase: Phase::Voting,
            proposals_until: None,
            voting_from: None,
            voting_until: None,
            ballot_count: 0,
            counted_at: None,
            created_at: chrono::NaiveDateTime::default(),
        }
    }

    fn proposal(id: i64, cost: i64) -> Proposal {
        Proposal {
            id,
            round: 1,
            author: None,
            author_name: None,
            title: format!("plan {id}"),
            description: String::new(),
            cost_euros: cost,
            proposed_cost_euros: cost,
            status: ProposalStatus::Feasible,
            review_reason: None,
            funded: None,
            explanation: None,
            created_at: chrono::NaiveDateTime::default(),
        }
    }

    fn codes(result: Result<Vec<usize>, DomainError>) -> Vec<&'static str> {
        match result {
            Err(DomainError::Validation(problems)) => {
                problems.iter().map(|p| p.code.as_str()).collect()
            }
            other => panic!("expected problems, got {other:?}"),
        }
    }

    #[test]
    fn a_vote_without_ballots_still_counts_with_both_rules() {
        for rule in [Rule::Greedy, Rule::EqualShares] {
            let r = round(BallotKind::Approval, None, rule);
            let election = empty_election(&r, &[proposal(7, 60), proposal(9, 50)]);
            let results = count(&election, rule).expect("counts");
            assert_eq!(results.len(), 2);
            assert!(
                results.iter().all(|(_, _, why)| !why.is_empty()),
                "{rule:?}"
            );
            // Equal Shares funds nothing nobody supports; greedy, like pabutools, goes on
            // while the money lasts.
            if rule == Rule::EqualShares {
                assert!(results.iter().all(|(_, funded, _)| !funded));
            }
        }
    }

    #[test]
    fn ballots_map_pb_rules_problems_to_field_codes_and_store_sorted_numbers() {
        let on_ballot = [proposal(7, 60), proposal(9, 50), proposal(12, 40)];
        let k = round(BallotKind::KApproval, Some(2), Rule::Greedy);
        let election = empty_election(&k, &on_ballot);
        let rules = ballot_rules(&k);
        let ids = |xs: &[&str]| xs.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            codes(check_ballot(&election, &rules, &ids(&["7", "9", "12"]))),
            ["TOO_MANY_CHOICES"]
        );
        assert_eq!(
            codes(check_ballot(&election, &rules, &ids(&["8"]))),
            ["UNKNOWN_CHOICE"]
        );
        assert_eq!(codes(check_ballot(&election, &rules, &[])), ["REQUIRED"]);
        let chosen = check_ballot(&election, &rules, &ids(&["12", "7"])).expect("valid");
        assert_eq!(encode_choices(&election, &chosen), "7,12");
        let knapsack = round(BallotKind::Knapsack, None, Rule::Greedy);
        let election = empty_election(&knapsack, &on_ballot);
        assert_eq!(
            codes(check_ballot(
                &election,
                &ballot_rules(&knapsack),
                &ids(&["7", "9"])
            )),
            ["OVER_BUDGET"]
        );
    }
}
