//! Building and running the server.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::{App, HttpServer, middleware, web};

use crate::config::Config;
use crate::db::{Database, DatabaseUrl, DbSetupError, migrations};
use crate::domain::accounts::tokens::{TokenKeys, random_secret};
use crate::email::Mailer;
use crate::http::security::{self, SecurityHeaders};
use crate::http::{AppState, routes};
use crate::jobs::outbox::OutboxJob;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Database(#[from] DbSetupError),
    #[error("BUURTKRACHT_JWT_SECRET: {0}")]
    Secret(String),
    #[error("BUURTKRACHT_SMTP_URL: {0}")]
    Mailer(String),
    #[error("cannot listen on {address}: {source}")]
    Listen {
        address: String,
        source: std::io::Error,
    },
}

/// Open the database and apply pending migrations.
pub async fn open_database(config: &Config) -> Result<Database, DbSetupError> {
    let url = config.database_url.clone();
    let size = config.db_pool_size;
    let timeout = config.api.request_timeout;
    let opened = tokio::task::spawn_blocking(move || -> Result<Database, DbSetupError> {
        let db = Database::open_with(&url, size, timeout)?;
        let mut conn = db
            .get()
            .map_err(|e| DbSetupError::Migrations(e.to_string()))?;
        let applied = crate::db::backend_specific::without_statement_timeout(
            &mut conn,
            timeout,
            migrations::run_pending,
        )
        .map_err(|e| DbSetupError::Migrations(e.to_string()))??;
        for name in applied {
            tracing::info!(migration = %name, "applied migration");
        }
        Ok(db)
    })
    .await;
    opened.map_err(|e| DbSetupError::Migrations(e.to_string()))?
}

/// A built server, bound to its port, not yet running.
pub struct Application {
    server: Server,
    port: u16,
    db: Database,
}

impl Application {
    /// Open the database, migrate, bind the listener and build the server.
    pub async fn build(config: &Config) -> Result<Self, StartupError> {
        let db = open_database(config).await?;
        Self::build_with(config, db)
    }

    /// Build the server on an already-open database, and start the outbox job and the sweep of
    /// expired pending actions beside it.
    pub fn build_with(config: &Config, db: Database) -> Result<Self, StartupError> {
        let keys = Arc::new(TokenKeys::from_secret(jwt_secret(config)?.as_bytes()));
        let mailer = match &config.smtp_url {
            Some(url) => {
                Mailer::smtp(url, config.mail_from.clone()).map_err(StartupError::Mailer)?
            }
            None => Mailer::files(config.outbox_dir.clone(), config.mail_from.clone()),
        };
        let outbox = OutboxJob {
            db: db.clone(),
            mailer,
            retry_base: chrono::TimeDelta::milliseconds(
                i64::try_from(config.mail_retry_ms).unwrap_or(5000),
            ),
            wake: Arc::new(tokio::sync::Notify::new()),
        };
        let outbox_wake = Arc::clone(&outbox.wake);
        tokio::spawn(outbox.run());
        tokio::spawn(crate::jobs::pending_actions::run(db.clone()));
        let listener = TcpListener::bind(config.listen).map_err(|source| StartupError::Listen {
            address: config.listen.to_string(),
            source,
        })?;
        let port = listener
            .local_addr()
            .map_err(|source| StartupError::Listen {
                address: config.listen.to_string(),
                source,
            })?
            .port();
        let web_files = crate::http::web_files::WebFiles::choose(config.web_dir.as_deref());
        tracing::info!(from = %web_files.describe(), "serving the web app");
        let state = web::Data::new(AppState {
            db: db.clone(),
            schema: Arc::new(crate::graphql::schema()),
            web_files,
            keys,
            public_url: config.public_url.clone(),
            map: Arc::new(config.map.clone()),
            outbox_wake,
            links_per_ip_hour: i64::try_from(config.links_per_ip_hour).unwrap_or(i64::MAX),
            themes: Arc::new(crate::domain::grievances::ThemeCache::default()),
            api: config.api.clone(),
            budget: crate::http::cost_budget::CostBudget::new(config.api.cost_per_minute),
            trusted_proxies: Arc::new(config.trusted_proxies.clone()),
        });
        let security = Arc::new(SecurityHeaders::new(&config.public_url, &config.map));
        let mut server = HttpServer::new(move || {
            let security = Arc::clone(&security);
            App::new()
                .app_data(state.clone())
                .app_data(web::PayloadConfig::new(1024 * 1024))
                .wrap(middleware::Compress::default())
                // Inside the request span (so its log line has the final status), outside
                // everything else (so every answer, errors included, gets the headers).
                .wrap_fn(move |req, srv| {
                    security::with_security_headers(Arc::clone(&security), req, srv)
                })
                .wrap_fn(routes::with_request_span)
                .configure(routes::configure)
        })
        .shutdown_timeout(config.shutdown_timeout_secs)
        // Keep idle connections longer than clients and proxies do (nginx: 75 s), so that a
        // client never sends on a connection the server is closing at that moment (the
        // server's 5 s default made reused connections fail with a reset now and then).
        .keep_alive(std::time::Duration::from_secs(90))
        // Signals are handled by `run_until_signalled`, registered before we say we listen.
        .disable_signals()
        .listen(listener)
        .map_err(|source| StartupError::Listen {
            address: config.listen.to_string(),
            source,
        })?;
        if config.workers > 0 {
            server = server.workers(config.workers);
        }
        Ok(Self {
            server: server.run(),
            port,
            db,
        })
    }

    /// The port actually bound (useful with port 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The database handle the server uses.
    pub fn database(&self) -> Database {
        self.db.clone()
    }

    /// Serve until the server is stopped (tests drop it with the runtime).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }

    /// Serve until `shutdown` resolves (e.g. on SIGTERM), then stop accepting connections and
    /// let open requests finish within the shutdown timeout.
    pub async fn run_until_signalled(
        self,
        shutdown: impl std::future::Future<Output = ()>,
    ) -> std::io::Result<()> {
        let handle = self.server.handle();
        let mut server = std::pin::pin!(self.server);
        tokio::select! {
            result = &mut server => result,
            () = shutdown => {
                tracing::info!("shutting down: finishing open requests");
                // The server future processes the stop command, so keep polling it meanwhile.
                let ((), result) = tokio::join!(handle.stop(true), server);
                result
            }
        }
    }
}

/// The access-token key: from configuration, or (embedded mode) generated once and kept in
/// `jwt-secret` next to the SQLite database, readable by its owner only.
fn jwt_secret(config: &Config) -> Result<String, StartupError> {
    if let Some(secret) = &config.jwt_secret {
        return Ok(secret.clone());
    }
    let DatabaseUrl::Sqlite(path) = &config.database_url else {
        return Err(StartupError::Secret("is required with PostgreSQL".into()));
    };
    let file = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map_or_else(
            || std::path::PathBuf::from("jwt-secret"),
            |d| d.join("jwt-secret"),
        );
    match std::fs::read_to_string(&file) {
        Ok(secret) if secret.trim().len() >= 32 => Ok(secret.trim().to_owned()),
        Ok(_) => Err(StartupError::Secret(format!(
            "{} is too short",
            file.display()
        ))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let secret = random_secret("");
            write_private(&file, &secret).map_err(|e| {
                StartupError::Secret(format!("cannot write {}: {e}", file.display()))
            })?;
            tracing::info!(file = %file.display(), "generated a new key for access tokens");
            Ok(secret)
        }
        Err(e) => Err(StartupError::Secret(format!(
            "cannot read {}: {e}",
            file.display()
        ))),
    }
}

fn write_private(file: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(file)?;
    f.write_all(text.as_bytes())
}
