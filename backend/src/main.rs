//! The `buurtkracht` binary.

use std::process::ExitCode;

use clap::Parser as _;

#[actix_web::main]
async fn main() -> ExitCode {
    buurtkracht::cli::run(buurtkracht::cli::Cli::parse()).await
}
