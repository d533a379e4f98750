//! Writes the synthetic benchmark election as a `.pb` file, so pabutools can be timed on it.
//!
//! `cargo run --release -p pb-rules --example write_synthetic -- OUT.pb [VOTERS] [PROJECTS]`

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: write_synthetic OUT.pb [VOTERS] [PROJECTS]");
        return ExitCode::from(2);
    };
    let voters = args.get(1).and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let projects = args.get(2).and_then(|v| v.parse().ok()).unwrap_or(200);
    let election = pb_rules::synthetic::approval_election(voters, projects, 42);
    match std::fs::write(path, pb_rules::pabulib::write(&election)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cannot write {path}: {e}");
            ExitCode::FAILURE
        }
    }
}
