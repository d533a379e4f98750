//! `buurtkracht pb outcome FILE.pb`: the outcome of a Pabulib file (feature `cli`).
//!
//! The only place in this crate that does I/O (it reads the file).

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::election::Election;
use crate::number::{Amount, format_exact, format_money};
use crate::rules::{
    Completion, Outcome, RuleOptions, Satisfaction, TieBreak, equal_shares, greedy,
};

/// The rule to compute.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleArg {
    /// Greedy by support per unit of cost.
    Greedy,
    /// The Method of Equal Shares.
    EqualShares,
}

/// The utility model.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SatisfactionArg {
    /// Cost of the funded projects a voter supports.
    Cost,
    /// Number of funded projects a voter supports.
    Cardinality,
    /// Points given to the funded projects (cumulative and scoring votes).
    Points,
    /// Borda score of the funded projects (ordinal votes).
    Borda,
}

/// How Equal Shares completes its outcome.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionArg {
    /// No completion.
    None,
    /// Raise the voters' budgets one unit at a time until the outcome is exhaustive.
    Add1,
    /// `add1`, then greedy on what is left.
    Add1ThenGreedy,
}

/// Arguments of `pb outcome`.
#[derive(clap::Args, Debug)]
pub struct OutcomeArgs {
    /// The Pabulib `.pb` file.
    pub file: PathBuf,
    /// The rule.
    #[arg(long, value_enum)]
    pub rule: RuleArg,
    /// The utility model (default: pabutools' default for the file's vote type: cost for
    /// approval and choose-1, points for cumulative and scoring, borda for ordinal).
    #[arg(long, value_enum)]
    pub satisfaction: Option<SatisfactionArg>,
    /// The completion of Equal Shares (default: none).
    #[arg(long, value_enum)]
    pub completion: Option<CompletionArg>,
    /// Print JSON: `{"selected": [...], "cost": ...}` and more.
    #[arg(long)]
    pub json: bool,
}

/// Computes the outcome and returns the complete standard output.
///
/// # Errors
/// One line saying what is wrong with the file or the flags.
pub fn run_outcome(args: &OutcomeArgs) -> Result<String, String> {
    let text = std::fs::read_to_string(&args.file)
        .map_err(|e| format!("cannot read {}: {e}", args.file.display()))?;
    let election =
        crate::pabulib::parse(&text).map_err(|e| format!("{}: {e}", args.file.display()))?;
    if args.rule == RuleArg::Greedy && args.completion.is_some_and(|c| c != CompletionArg::None) {
        return Err("--completion applies only to --rule equal-shares".to_owned());
    }
    let mut options = RuleOptions::defaults_for(&election);
    options.tie_break = TieBreak::ProjectId;
    if let Some(s) = args.satisfaction {
        options.satisfaction = match s {
            SatisfactionArg::Cost => Satisfaction::Cost,
            SatisfactionArg::Cardinality => Satisfaction::Cardinality,
            SatisfactionArg::Points => Satisfaction::Points,
            SatisfactionArg::Borda => Satisfaction::Borda,
        };
    }
    options.completion = match args.completion {
        None | Some(CompletionArg::None) => Completion::None,
        Some(CompletionArg::Add1) => Completion::Add1,
        Some(CompletionArg::Add1ThenGreedy) => Completion::Add1ThenGreedy,
    };
    let outcome = match args.rule {
        RuleArg::Greedy => greedy(&election, &options),
        RuleArg::EqualShares => equal_shares(&election, &options),
    }
    .map_err(|e| format!("{}: {e}", args.file.display()))?;
    let rule = match args.rule {
        RuleArg::Greedy => "greedy",
        RuleArg::EqualShares => "equal-shares",
    };
    Ok(if args.json {
        json(&election, &outcome, rule, &options)
    } else {
        text_report(&election, &outcome, rule, &options)
    })
}

fn number(value: &Amount) -> serde_json::Value {
    if value.is_integer()
        && let Ok(i) = value.numer().to_string().parse::<i64>()
    {
        return serde_json::Value::from(i);
    }
    serde_json::Value::from(format_exact(value))
}

fn json(election: &Election, outcome: &Outcome, rule: &str, options: &RuleOptions) -> String {
    let explanations: serde_json::Map<String, serde_json::Value> = outcome
        .explanations
        .iter()
        .filter_map(|e| {
            let id = election.projects.get(e.project)?.id.clone();
            Some((
                id,
                serde_json::json!({"funded": e.funded, "why": e.describe(election)}),
            ))
        })
        .collect();
    let mut value = serde_json::json!({
        "selected": outcome.selected_ids(election),
        "cost": number(&outcome.cost),
        "budget": number(&election.budget),
        "rule": rule,
        "satisfaction": options.satisfaction.as_str(),
        "explanations": explanations,
    });
    if rule == "equal-shares"
        && let Some(map) = value.as_object_mut()
    {
        map.insert("completion".to_owned(), options.completion.as_str().into());
        if let Some(shares) = &outcome.shares {
            map.insert("increments".to_owned(), shares.increments.into());
            map.insert(
                "budget_per_voter".to_owned(),
                format_exact(&shares.budget_per_voter).into(),
            );
        }
    }
    let mut out = value.to_string();
    out.push('\n');
    out
}

fn text_report(
    election: &Election,
    outcome: &Outcome,
    rule: &str,
    options: &RuleOptions,
) -> String {
    let currency = election.currency();
    let money = |a: &Amount| format_money(a, currency);
    let mut out = String::new();
    let title = election
        .meta_value("description")
        .map(str::to_owned)
        .unwrap_or_else(|| "Participatory budget".to_owned());
    let _ = writeln!(
        out,
        "{title}: {} projects, {} voters ({} ballots), budget {}",
        election.projects.len(),
        election.voters.len(),
        election.vote_type.as_str(),
        money(&election.budget)
    );
    let rule_name = if rule == "greedy" {
        "Greedy by support".to_owned()
    } else {
        format!(
            "Method of Equal Shares (completion: {})",
            options.completion.as_str()
        )
    };
    let _ = writeln!(
        out,
        "Rule: {rule_name}, satisfaction: {}, ties broken by project id",
        options.satisfaction.as_str()
    );
    if let Some(shares) = &outcome.shares {
        let raised = if shares.increments == 0 {
            String::new()
        } else {
            format!(
                " (the budget divided by the voters, raised {} times by 1 by the add1 completion)",
                shares.increments
            )
        };
        let _ = writeln!(
            out,
            "Each voter's share of the budget: {}{raised}",
            money(&shares.budget_per_voter)
        );
    }
    let _ = writeln!(
        out,
        "\nFunded: {} project{}, total cost {} of {}",
        outcome.selected.len(),
        if outcome.selected.len() == 1 { "" } else { "s" },
        money(&outcome.cost),
        money(&election.budget)
    );
    let name = |p: usize| -> String {
        election
            .projects
            .get(p)
            .and_then(|p| p.field("name"))
            .filter(|n| !n.is_empty())
            .map(|n| format!(" {n}"))
            .unwrap_or_default()
    };
    let id = |p: usize| election.projects.get(p).map_or("", |p| p.id.as_str());
    for &p in &outcome.selected {
        let cost = election
            .projects
            .get(p)
            .map(|p| money(&p.cost))
            .unwrap_or_default();
        let _ = writeln!(out, "  {} ({cost}){}", id(p), name(p));
    }
    let _ = writeln!(out, "\nWhy, project by project:");
    let mut order: Vec<&crate::rules::Explanation> = outcome.explanations.iter().collect();
    order.sort_by_key(|e| (!e.funded, id(e.project)));
    for e in order {
        let _ = writeln!(out, "  {}: {}", id(e.project), e.describe(election));
    }
    out
}
