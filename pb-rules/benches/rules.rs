//! Criterion benchmarks: each rule on the largest real election (most voters) in the shared
//! Pabulib folder and on a synthetic election of 100,000 voters and 200 projects (greedy and
//! plain MES there; the add1 completions are timed separately, see BENCHMARKS.md).
//!
//! `CARGO_TARGET_DIR=/work/target-pb cargo bench -p pb-rules --bench rules`
//! (set PABULIB_DIR to point elsewhere; without the folder, the real-file benchmarks are skipped).

use std::path::PathBuf;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use pb_rules::{Completion, Election, RuleOptions, equal_shares, greedy, pabulib, synthetic};

fn pabulib_dir() -> PathBuf {
    std::env::var_os("PABULIB_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/pabulib"))
}

/// The real election with the most voters, read at run time.
fn largest() -> Option<(String, String, Election)> {
    let dir = pabulib_dir();
    let entries = std::fs::read_dir(&dir).ok()?;
    let mut best: Option<(String, String, Election)> = None;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|x| x != "pb") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let Ok(election) = pabulib::parse(&text) else {
            continue;
        };
        if best
            .as_ref()
            .is_none_or(|(_, _, b)| election.voters.len() > b.voters.len())
        {
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            best = Some((name, text, election));
        }
    }
    best
}

/// `completions`: also the add1 variants (they rerun MES once per budget raise, which on the
/// synthetic election means over a hundred runs per iteration).
fn bench_election(c: &mut Criterion, label: &str, election: &Election, completions: bool) {
    let mut group = c.benchmark_group(label);
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));
    let defaults = RuleOptions::defaults_for(election);
    group.bench_function("greedy", |b| b.iter(|| greedy(election, &defaults)));
    group.bench_function("mes", |b| b.iter(|| equal_shares(election, &defaults)));
    if !completions {
        group.finish();
        return;
    }
    let add1 = RuleOptions {
        completion: Completion::Add1,
        ..defaults
    };
    group.bench_function("mes_add1", |b| b.iter(|| equal_shares(election, &add1)));
    let add1_greedy = RuleOptions {
        completion: Completion::Add1ThenGreedy,
        ..defaults
    };
    group.bench_function("mes_add1_greedy", |b| {
        b.iter(|| equal_shares(election, &add1_greedy))
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    match largest() {
        Some((name, text, election)) => {
            let mut group = c.benchmark_group(format!("largest/{name}"));
            group
                .sample_size(10)
                .measurement_time(Duration::from_secs(5));
            group.bench_function("parse", |b| b.iter(|| pabulib::parse(&text)));
            group.finish();
            bench_election(c, &format!("largest/{name}"), &election, true);
        }
        None => eprintln!(
            "skipping the real-file benchmarks: no .pb files in {}",
            pabulib_dir().display()
        ),
    }
    let synthetic = synthetic::approval_election(100_000, 200, 42);
    bench_election(c, "synthetic_100k_x_200", &synthetic, false);
}

criterion_group!(rules, benches);
criterion_main!(rules);
