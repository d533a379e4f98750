//! The `buurtkracht` binary.

use std::process::ExitCode;

use clap::Parser as _;
use clap::error::ErrorKind;

#[actix_web::main]
async fn main() -> ExitCode {
    match buurtkracht::cli::Cli::try_parse() {
        Ok(cli) => buurtkracht::cli::run(cli).await,
        // Help and version are not errors; print them as clap does.
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            let _ = e.print();
            ExitCode::SUCCESS
        }
        Err(e) if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            ExitCode::from(2)
        }
        // Bad flags: one clear line, not clap's usage block.
        Err(e) => {
            let rendered = e.to_string();
            let first = rendered.lines().next().unwrap_or("invalid arguments");
            eprintln!(
                "buurtkracht: {} (see `buurtkracht --help`)",
                first.trim_start_matches("error: ")
            );
            ExitCode::from(2)
        }
    }
}
