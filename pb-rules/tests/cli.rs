//! The `pb outcome` command (feature `cli`).
#![cfg(feature = "cli")]

use std::path::PathBuf;

use pb_rules::cli::{CompletionArg, OutcomeArgs, RuleArg, SatisfactionArg, run_outcome};

const FILE: &str = "META
key;value
description;Test
budget;100
vote_type;approval
currency;EUR
PROJECTS
project_id;cost;name
a;60;Park
b;50;Bench
c;40;Mural
VOTES
voter_id;vote
1;a,b
2;a
3;c
";

fn write_temp(name: &str, text: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("pb-rules-cli-{}-{name}", std::process::id()));
    std::fs::write(&path, text).expect("temp file");
    path
}

fn args(file: PathBuf, rule: RuleArg) -> OutcomeArgs {
    OutcomeArgs {
        file,
        rule,
        satisfaction: None,
        completion: None,
        json: false,
    }
}

#[test]
fn json_output_lists_the_selected_ids_sorted_and_the_cost() {
    let file = write_temp("json.pb", FILE);
    let mut a = args(file, RuleArg::Greedy);
    a.json = true;
    let out = run_outcome(&a).expect("valid");
    let value: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(value["selected"], serde_json::json!(["a", "c"]));
    assert_eq!(value["cost"], serde_json::json!(100));
}

#[test]
fn text_output_explains_every_project() {
    let file = write_temp("text.pb", FILE);
    let out = run_outcome(&args(file, RuleArg::EqualShares)).expect("valid");
    assert!(
        out.contains("Funded: 1 project, total cost €60 of €100"),
        "{out}"
    );
    assert!(
        out.contains(
            "c: not funded: its only supporter had €33.33 left between them, it costs €40"
        ),
        "{out}"
    );
}

#[test]
fn bad_flags_and_bad_files_give_one_clear_line() {
    let file = write_temp("flags.pb", FILE);
    let mut a = args(file.clone(), RuleArg::Greedy);
    a.completion = Some(CompletionArg::Add1);
    assert_eq!(
        run_outcome(&a),
        Err("--completion applies only to --rule equal-shares".to_owned())
    );
    let mut a = args(file.clone(), RuleArg::EqualShares);
    a.satisfaction = Some(SatisfactionArg::Points);
    let err = run_outcome(&a).expect_err("points on approval");
    assert!(
        err.ends_with("satisfaction `points` cannot be used with approval ballots"),
        "{err}"
    );
    let broken = write_temp("broken.pb", &FILE.replace("a;60;Park", "a;sixty;Park"));
    let err = run_outcome(&args(broken, RuleArg::Greedy)).expect_err("bad cost");
    assert!(
        err.ends_with("line 9: cost `sixty` is not a number"),
        "{err}"
    );
    assert!(!err.contains('\n'));
}
