//! In-process times of parsing and of each rule, per `.pb` file (median of a few runs), for the
//! comparison table in BENCHMARKS.md. Criterion (`cargo bench`) gives the careful figures for
//! the largest file and the synthetic election; this gives the overview for every file.
//!
//! `cargo run --release -p pb-rules --example time_rules -- FILE.pb...`

use std::process::ExitCode;
use std::time::{Duration, Instant};

use pb_rules::{Completion, RuleOptions, equal_shares, greedy, pabulib};

fn median<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let _ = std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn main() -> ExitCode {
    println!("| file | parse ms | greedy ms | mes ms | mes_add1 ms | mes_add1_greedy ms |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for path in std::env::args().skip(1) {
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("cannot read {path}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let election = match pabulib::parse(&text) {
            Ok(e) => e,
            Err(e) => {
                eprintln!("{path}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let base = RuleOptions::defaults_for(&election);
        let with = |completion| RuleOptions { completion, ..base };
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let parse = median(3, || pabulib::parse(&text));
        let g = median(5, || greedy(&election, &base));
        let m = median(5, || equal_shares(&election, &base));
        let a = median(1, || equal_shares(&election, &with(Completion::Add1)));
        let ag = median(1, || {
            equal_shares(&election, &with(Completion::Add1ThenGreedy))
        });
        let name = std::path::Path::new(&path)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or(path.clone());
        println!(
            "| {name} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |",
            ms(parse),
            ms(g),
            ms(m),
            ms(a),
            ms(ag)
        );
    }
    ExitCode::SUCCESS
}
