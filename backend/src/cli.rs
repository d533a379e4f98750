//! The `buurtkracht` command line.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::domain::{accounts, demo};
use crate::startup::{Application, open_database};

/// Buurtkracht: community organising and participation for neighbourhoods.
#[derive(Debug, Parser)]
#[command(name = "buurtkracht", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply migrations and serve the web app and the GraphQL API.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the GraphQL schema (SDL).
    Schema,
    /// Print the trusted documents' ids (`graphql/trusted-documents.json`).
    TrustedDocuments,
    /// Print every text the server sends people (e-mails, error messages), in Dutch and
    /// English, as JSON lines; the plain-language check reads them.
    Texts,
    /// Fill an empty database with demo data (does nothing when it holds data).
    SeedDemo,
    /// Create an admin, or promote an existing person, and print a new admin API token.
    CreateAdmin {
        /// The admin's e-mail address.
        #[arg(long)]
        email: String,
        /// The name others see.
        #[arg(long, default_value = "Beheerder")]
        name: String,
    },
    /// Participatory-budgeting tools for Pabulib `.pb` files.
    Pb {
        #[command(subcommand)]
        command: PbCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum PbCommand {
    /// Compute the outcome of an election in a `.pb` file.
    Outcome(pb_rules::cli::OutcomeArgs),
}

fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("buurtkracht: {message}");
    ExitCode::FAILURE
}

/// Run a parsed command line.
pub async fn run(cli: Cli) -> ExitCode {
    match &cli.command {
        Command::Schema => {
            print!("{}", crate::graphql::sdl());
            return ExitCode::SUCCESS;
        }
        Command::TrustedDocuments => {
            print!("{}", crate::graphql::trusted::manifest());
            return ExitCode::SUCCESS;
        }
        Command::Texts => {
            let texts = crate::email::templates::samples()
                .into_iter()
                .chain(crate::graphql::i18n::samples());
            for (language, source, text) in texts {
                let line = serde_json::json!({ "lang": language.as_str(), "source": source, "text": text });
                println!("{line}");
            }
            return ExitCode::SUCCESS;
        }
        // Pure computation on a file: needs no configuration or database.
        Command::Pb {
            command: PbCommand::Outcome(args),
        } => {
            return match pb_rules::cli::run_outcome(args) {
                Ok(text) => {
                    print!("{text}");
                    ExitCode::SUCCESS
                }
                Err(line) => fail(line),
            };
        }
        _ => {}
    }
    let config = match Config::load() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("buurtkracht: {e}");
            return ExitCode::from(2);
        }
    };
    crate::telemetry::init(&config.log_filter, config.log_format);
    match cli.command {
        Command::Serve => serve(&config).await,
        Command::Migrate => match open_database(&config).await {
            Ok(_) => {
                println!("migrations applied");
                ExitCode::SUCCESS
            }
            Err(e) => fail(e),
        },
        Command::SeedDemo => {
            let db = match open_database(&config).await {
                Ok(db) => db,
                Err(e) => return fail(e),
            };
            match db.run(demo::seed).await {
                Ok(demo::SeedOutcome::Seeded {
                    neighbourhoods,
                    people,
                }) => {
                    println!("demo data added: {neighbourhoods} neighbourhoods, {people} people");
                    ExitCode::SUCCESS
                }
                Ok(demo::SeedOutcome::AlreadyFilled) => {
                    println!("the database already holds data; demo data not added");
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
        Command::CreateAdmin { email, name } => {
            let db = match open_database(&config).await {
                Ok(db) => db,
                Err(e) => return fail(e),
            };
            match db
                .run(move |conn| accounts::service::create_admin(conn, &email, &name))
                .await
            {
                Ok(made) => {
                    let what = if made.created { "created" } else { "promoted" };
                    eprintln!(
                        "admin {what}: {} <{}>. The token below is shown only once; send it as \
                         `Authorization: Bearer <token>`.",
                        made.user.display_name, made.user.email
                    );
                    println!("{}", made.token);
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
        Command::Schema | Command::TrustedDocuments | Command::Texts | Command::Pb { .. } => {
            ExitCode::SUCCESS
        }
    }
}

async fn serve(config: &Config) -> ExitCode {
    // Registered before anything else, so a SIGTERM at any moment after start is graceful.
    let shutdown = match shutdown_signal() {
        Ok(signal) => signal,
        Err(e) => return fail(format!("cannot listen for signals: {e}")),
    };
    let app = match Application::build(config).await {
        Ok(app) => app,
        Err(e) => return fail(e),
    };
    tracing::info!(
        address = %config.listen,
        port = app.port(),
        backend = ?app.database().kind(),
        "Buurtkracht is listening"
    );
    match app.run_until_signalled(shutdown).await {
        Ok(()) => {
            tracing::info!("stopped");
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}

/// Resolves on SIGTERM or SIGINT.
fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut terminate = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! {
            _ = terminate.recv() => {}
            _ = interrupt.recv() => {}
        }
    })
}
