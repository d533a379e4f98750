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
