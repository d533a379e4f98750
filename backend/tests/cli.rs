//! The `buurtkracht` binary: configuration errors, schema, seeding, admins, graceful shutdown.

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn buurtkracht(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_buurtkracht"));
    command
        .current_dir(dir)
        .args(args)
        .env("BUURTKRACHT_LOG", "warn");
    for key in ["DATABASE_URL", "BUURTKRACHT_LISTEN", "BUURTKRACHT_CONFIG"] {
        command.env_remove(key);
    }
    command.envs(env.iter().copied());
    command.output().expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn bad_configuration_stops_with_one_line_naming_the_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (key, value) in [
        ("BUURTKRACHT_LISTEN", "not-an-address"),
        ("DATABASE_URL", "mysql://localhost/x"),
        ("BUURTKRACHT_DB_POOL_SIZE", "lots"),
    ] {
        let out = buurtkracht(dir.path(), &["serve"], &[(key, value)]);
        assert_eq!(out.status.code(), Some(2), "{key}");
        let stderr = text(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
        assert!(stderr.contains(key), "names {key}: {stderr}");
    }
    assert!(!dir.path().join("data").exists(), "nothing was created");
}

#[test]
fn the_defaults_put_the_database_under_data() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = buurtkracht(dir.path(), &["migrate"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(dir.path().join("data/buurtkracht.sqlite3").is_file());
}

#[test]
fn schema_prints_the_sdl() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = buurtkracht(dir.path(), &["schema"], &[]);
    assert!(out.status.success());
    assert_eq!(text(&out.stdout), buurtkracht::graphql::sdl());
    assert!(text(&out.stdout).contains("type Neighbourhood"));
}

#[test]
fn seed_demo_fills_an_empty_database_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = [("DATABASE_URL", "sqlite://demo/db.sqlite3")];
    let first = buurtkracht(dir.path(), &["seed-demo"], &db);
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert!(
        text(&first.stdout).contains("5 neighbourhoods"),
        "{}",
        text(&first.stdout)
    );
    let second = buurtkracht(dir.path(), &["seed-demo"], &db);
    assert!(second.status.success());
    assert!(text(&second.stdout).contains("already holds data"));
}

#[test]
fn create_admin_prints_a_token_and_refuses_a_bad_address() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = [("DATABASE_URL", "sqlite://a.sqlite3")];
    let bad = buurtkracht(
        dir.path(),
        &["create-admin", "--email", "not-an-address"],
        &db,
    );
    assert!(!bad.status.success());
    assert!(text(&bad.stderr).contains("email"), "{}", text(&bad.stderr));
    let good = buurtkracht(
        dir.path(),
        &["create-admin", "--email", "Ad@Example.org", "--name", "Ad"],
        &db,
    );
    assert!(good.status.success(), "{}", text(&good.stderr));
    let token = text(&good.stdout);
    assert!(token.trim().starts_with("bk_admin_"), "{token}");
    assert!(
        text(&good.stderr).contains("ad@example.org"),
        "addresses are stored in lowercase"
    );
    let again = buurtkracht(
        dir.path(),
        &["create-admin", "--email", "ad@example.org"],
        &db,
    );
    assert!(text(&again.stderr).contains("promoted"));
    assert_ne!(text(&again.stdout), token, "every call issues a new token");
}

#[test]
fn serve_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_buurtkracht"))
        .current_dir(dir.path())
        .arg("serve")
        .env("BUURTKRACHT_LISTEN", "127.0.0.1:0")
        .env("BUURTKRACHT_LOG", "info")
        .env("BUURTKRACHT_LOG_FORMAT", "json")
        .env("BUURTKRACHT_SHUTDOWN_TIMEOUT", "5")
        .env_remove("DATABASE_URL")
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve starts");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let listening = lines
        .by_ref()
        .map_while(Result::ok)
        .find(|line| line.contains("Buurtkracht is listening"))
        .expect("a listening line");
    let event: serde_json::Value = serde_json::from_str(&listening).expect("JSON log line");
    assert!(event["port"].as_u64().is_some_and(|p| p > 0), "{event}");

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(exit) = child.try_wait().expect("wait") {
            assert!(exit.success(), "exit after SIGTERM: {exit}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "serve did not stop within 20 s of SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn pb_outcome_computes_a_pabulib_election() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Budget 100; A costs 60 (3 approvals), B 50 (2), C 40 (2). Greedy by approvals: A fits
    // (40 left), B does not fit, C fits (0 left): A and C, cost 100.
    let pb = "META\nkey;value\ndescription;test\nnum_projects;3\nnum_votes;4\nbudget;100\nvote_type;approval\nrule;greedy\n\
              PROJECTS\nproject_id;cost;name\nA;60;Speeltuin\nB;50;Bankjes\nC;40;Bomen\n\
              VOTES\nvoter_id;vote\n1;A,B\n2;A,C\n3;A\n4;B,C\n";
    let file = dir.path().join("small.pb");
    std::fs::write(&file, pb).expect("write");
    let path = file.to_str().expect("utf-8");
    let out = buurtkracht(
        dir.path(),
        &["pb", "outcome", path, "--rule", "greedy", "--json"],
        &[],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["selected"], serde_json::json!(["A", "C"]));
    assert_eq!(json["cost"], 100);
    let human = buurtkracht(
        dir.path(),
        &["pb", "outcome", path, "--rule", "greedy"],
        &[],
    );
    assert!(
        text(&human.stdout).contains("Bomen"),
        "{}",
        text(&human.stdout)
    );

    let bad = buurtkracht(
        dir.path(),
        &["pb", "outcome", "/nonexistent.pb", "--rule", "greedy"],
        &[],
    );
    assert!(!bad.status.success());
    assert_eq!(
        text(&bad.stderr).lines().count(),
        1,
        "{}",
        text(&bad.stderr)
    );
}

#[test]
fn unknown_flags_get_one_line_and_a_non_zero_exit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = buurtkracht(
        dir.path(),
        &["pb", "outcome", "x.pb", "--rule", "greedy", "--colour"],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("--colour"), "{stderr}");
    let bad_rule = buurtkracht(
        dir.path(),
        &["pb", "outcome", "x.pb", "--rule", "lottery"],
        &[],
    );
    assert_eq!(
        text(&bad_rule.stderr).lines().count(),
        1,
        "{}",
        text(&bad_rule.stderr)
    );
    assert!(!bad_rule.status.success());
    let help = buurtkracht(dir.path(), &["--help"], &[]);
    assert!(help.status.success() && text(&help.stdout).contains("seed-demo"));
}
