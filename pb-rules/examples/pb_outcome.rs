//! Behaves exactly like `buurtkracht pb outcome`, for use before the binary exists.
//!
//! `cargo run --release -p pb-rules --example pb_outcome --features cli -- FILE.pb --rule greedy`

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser;

#[derive(Parser, Debug)]
#[command(name = "pb_outcome", about = "The outcome of a Pabulib .pb file")]
struct Cli {
    #[command(flatten)]
    args: pb_rules::cli::OutcomeArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match pb_rules::cli::run_outcome(&cli.args) {
        Ok(text) => {
            let mut stdout = std::io::stdout().lock();
            if stdout.write_all(text.as_bytes()).is_err() {
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Err(line) => {
            let _ = writeln!(std::io::stderr(), "error: {line}");
            ExitCode::from(2)
        }
    }
}
