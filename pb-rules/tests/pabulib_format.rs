//! The Pabulib format: quoting, errors that name their line, and round trips on real files.

use std::path::PathBuf;

use pb_rules::{Ballot, VoteType, amount, pabulib, parse_amount};

const SMALL: &str = "\u{feff}META
key;value
description;\"A test; with a semicolon\"
budget;1000,50
vote_type;cumulative
currency;EUR
PROJECTS
project_id;cost;name;selected
1;500;\"Park \"\"De Linde\"\"\";1
2;250,25;\"Two
lines\";0
L3;none;x;0
VOTES
voter_id;vote;points;age
a;1,2;3,2;40
b;;;none
c;2,L3;1,1;
";

#[test]
fn quoted_fields_decimal_commas_and_multi_line_names_are_read() {
    let text = SMALL.replace("L3;none;x;0", "L3;0;x;0");
    let e = pabulib::parse(&text).expect("valid file");
    assert_eq!(e.vote_type, VoteType::Cumulative);
    assert_eq!(e.budget, parse_amount("1000.5").expect("number"));
    assert_eq!(
        e.meta_value("description"),
        Some("A test; with a semicolon")
    );
    assert_eq!(e.projects[0].field("name"), Some("Park \"De Linde\""));
    assert_eq!(e.projects[1].field("name"), Some("Two\nlines"));
    assert_eq!(e.projects[1].cost, parse_amount("250.25").expect("number"));
    assert_eq!(e.voters.len(), 3);
    assert_eq!(
        e.voters[0].ballot,
        Ballot::Cardinal(vec![(0, amount(3)), (1, amount(2))])
    );
    assert_eq!(e.voters[1].ballot, Ballot::Cardinal(vec![]));
    assert_eq!(e.selected_in_file(), Some(vec![0]));
    let back = pabulib::parse(&pabulib::write(&e)).expect("own output");
    assert_eq!(back, e);
}

fn error_of(text: &str) -> String {
    pabulib::parse(text).expect_err("invalid").to_string()
}

#[test]
fn parse_errors_name_the_line_and_the_problem() {
    assert_eq!(error_of(SMALL), "line 12: project has no cost");
    assert_eq!(
        error_of(
            &SMALL
                .replace("L3;none;x;0", "L3;1;x;0")
                .replace("c;2,L3", "c;2,L4")
        ),
        "line 17: vote names unknown project `L4`"
    );
    assert_eq!(
        error_of(
            &SMALL
                .replace("L3;none;x;0", "L3;1;x;0")
                .replace("3,2;40", "3;40")
        ),
        "line 15: 2 projects voted for but 1 points given"
    );
    assert_eq!(
        error_of(&SMALL.replace("L3;none;x;0", "L3;abc;x;0")),
        "line 12: cost `abc` is not a number"
    );
    assert_eq!(
        error_of(&SMALL.replace("L3;none;x;0", "1;5;x;0")),
        "line 12: duplicate project id `1`"
    );
    assert_eq!(
        error_of("hello\n"),
        "line 1: expected a section name (META, PROJECTS or VOTES)"
    );
    assert_eq!(
        error_of("META\nkey;value\nvote_type;approval\n"),
        "line 1: META has no budget"
    );
    assert_eq!(
        error_of("META\nkey;value\nbudget;1\nvote_type;plural\n"),
        "line 4: unknown vote_type `plural` (expected approval, choose-1, cumulative, scoring or ordinal)"
    );
    assert_eq!(
        error_of("META\n"),
        "line 1: section META has no header line"
    );
    // Found by the fuzzer: a second META section changing the vote type after the votes.
    assert_eq!(
        error_of(
            "META\nkey;value\nbudget;1\nvote_type;ordinal\nMETA\nkey;value\nvote_type;approval\n"
        ),
        "line 7: META gives `vote_type` a second time"
    );
}

#[test]
fn approval_and_ordinal_duplicates_keep_the_first_position() {
    let text = "META\nkey;value\nbudget;10\nvote_type;ordinal\nPROJECTS\nproject_id;cost\na;1\nb;2\nVOTES\nvoter_id;vote\n1;b,a,b\n";
    let e = pabulib::parse(text).expect("valid");
    assert_eq!(e.voters[0].ballot, Ballot::Ordinal(vec![1, 0]));
}

#[test]
fn short_rows_leave_their_last_columns_empty_and_still_round_trip() {
    // Found by the fuzzer: a vote row with fewer fields than the header.
    let text = "META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost;name\na;1\nVOTES\nvoter_id;vote;age;sex\n1;a;30;F\n2;a;40\n3\n";
    let e = pabulib::parse(text).expect("valid");
    assert_eq!(e.projects[0].field("name"), Some(""));
    assert_eq!(
        e.voters[1].extra,
        vec![
            ("age".to_owned(), "40".to_owned()),
            ("sex".to_owned(), String::new())
        ]
    );
    assert_eq!(e.voters[2].ballot, Ballot::Approval(vec![]));
    assert_eq!(pabulib::parse(&pabulib::write(&e)).expect("own output"), e);
}

fn pabulib_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("PABULIB_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/pabulib"));
    dir.is_dir().then_some(dir)
}

#[test]
fn every_real_file_parses_and_round_trips() {
    let Some(dir) = pabulib_dir() else {
        eprintln!("skipped: no Pabulib folder (set PABULIB_DIR)");
        return;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("readable folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pb"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .pb files in {}", dir.display());
    for path in files {
        let text = std::fs::read_to_string(&path).expect("readable file");
        let e = pabulib::parse(&text).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
        let meta_count = |key: &str| e.meta_value(key).and_then(|v| v.parse::<usize>().ok());
        assert_eq!(
            meta_count("num_projects"),
            Some(e.projects.len()),
            "{}",
            path.display()
        );
        assert_eq!(
            meta_count("num_votes"),
            Some(e.voters.len()),
            "{}",
            path.display()
        );
        let written = pabulib::write(&e);
        let back = pabulib::parse(&written)
            .unwrap_or_else(|err| panic!("{} rewritten: {err}", path.display()));
        assert!(back == e, "{} does not round-trip", path.display());
    }
}
