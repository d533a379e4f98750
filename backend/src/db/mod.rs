//! The database: one connection type for both backends, the pool, the portable schema and the
//! embedded migration sets.
//!
//! How one query serves both backends: `DbConnection` is diesel's `MultiConnection` over
//! `SqliteConnection` and `PgConnection`. Queries are written once with diesel's query builder
//! against the portable `schema.rs` and run unchanged on either backend. What is *not* allowed
//! outside `backend_specific.rs`: raw SQL, backend-only SQL types (use `BigInt`, `Text`,
//! `Timestamp`, `Integer`; no `Bool`, `Uuid`, `Jsonb`), `RETURNING` clauses, upserts and
//! anything else that needs a `match` on the backend.

pub mod backend_specific;
pub mod migrations;
pub mod schema;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};

/// A connection to either database backend.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    /// The embedded default: a file under `data/`.
    Sqlite(diesel::SqliteConnection),
    /// Production.
    Pg(diesel::PgConnection),
}

/// Which database backend a URL selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    Sqlite,
    Postgres,
}

/// A parsed database location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// A SQLite database file (the folder is created when missing).
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL.
    Postgres(String),
}

impl DatabaseUrl {
    /// Parse `sqlite://path`, `sqlite:path`, a bare path ending in `.sqlite3`/`.db`, or
    /// `postgres://…` / `postgresql://…`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(Self::Postgres(raw.to_owned()));
        }
        let path = raw
            .strip_prefix("sqlite://")
            .or_else(|| raw.strip_prefix("sqlite:"))
            .unwrap_or(raw);
        if path.is_empty() {
            return Err(
                "is empty (expected sqlite://data/buurtkracht.sqlite3 or postgres://…)".into(),
            );
        }
        if path == ":memory:" {
            return Err(
                "an in-memory SQLite database cannot be shared by a pool; use a file".into(),
            );
        }
        if path.contains("://") {
            return Err(format!(
                "has an unsupported scheme in {path:?} (expected sqlite:// or postgres://)"
            ));
        }
        Ok(Self::Sqlite(PathBuf::from(path)))
    }

    pub fn kind(&self) -> BackendKind {
        match self {
            Self::Sqlite(_) => BackendKind::Sqlite,
            Self::Postgres(_) => BackendKind::Postgres,
        }
    }

    /// The string diesel connects with.
    fn connection_string(&self) -> String {
        match self {
            Self::Sqlite(path) => path.to_string_lossy().into_owned(),
            Self::Postgres(url) => url.clone(),
        }
    }
}

/// Errors while opening the database.
#[derive(Debug, thiserror::Error)]
pub enum DbSetupError {
    #[error("cannot create the folder {path}: {source}")]
    CreateDir {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot connect to the database: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("cannot apply migrations: {0}")]
    Migrations(String),
}

/// Counts SQL statements run through the pool; used by tests and benchmarks to prove batching.
#[derive(Debug, Default)]
pub struct StatementCounter(AtomicU64);

impl StatementCounter {
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

struct CountingInstrumentation(Arc<StatementCounter>);

impl Instrumentation for CountingInstrumentation {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            self.0.0.fetch_add(1, Ordering::Relaxed);
            tracing::trace!(target: "buurtkracht::sql", %query);
        }
    }
}

#[derive(Debug)]
struct ConnectionSetup {
    counter: Arc<StatementCounter>,
}

impl CustomizeConnection<DbConnection, diesel::r2d2::Error> for ConnectionSetup {
    fn on_acquire(&self, conn: &mut DbConnection) -> Result<(), diesel::r2d2::Error> {
        backend_specific::configure_connection(conn).map_err(diesel::r2d2::Error::QueryError)?;
        diesel::Connection::set_instrumentation(
            conn,
            CountingInstrumentation(Arc::clone(&self.counter)),
        );
        Ok(())
    }
}

/// A pooled connection.
pub type PooledConn = PooledConnection<ConnectionManager<DbConnection>>;

/// The database handle shared by the whole process: a pool for either backend.
#[derive(Clone)]
pub struct Database {
    pool: Pool<ConnectionManager<DbConnection>>,
    url: Arc<DatabaseUrl>,
    statements: Arc<StatementCounter>,
}

impl Database {
    /// Open a pool. For SQLite the folder of the file is created. Does not run migrations.
    pub fn open(url: &DatabaseUrl, pool_size: u32) -> Result<Self, DbSetupError> {
        if let DatabaseUrl::Sqlite(path) = url
            && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir).map_err(|source| DbSetupError::CreateDir {
                path: dir.display().to_string(),
                source,
            })?;
        }
        let statements = Arc::new(StatementCounter::default());
        let manager = ConnectionManager::<DbConnection>::new(url.connection_string());
        let pool = Pool::builder()
            .max_size(pool_size)
            .min_idle(Some(1))
            .connection_timeout(Duration::from_secs(10))
            .test_on_check_out(true)
            .connection_customizer(Box::new(ConnectionSetup {
                counter: Arc::clone(&statements),
            }))
            .build(manager)?;
        Ok(Self {
            pool,
            url: Arc::new(url.clone()),
            statements,
        })
    }

    pub fn kind(&self) -> BackendKind {
        self.url.kind()
    }

    /// SQL statements run so far through this pool.
    pub fn statement_count(&self) -> u64 {
        self.statements.get()
    }

    /// Run blocking database work on tokio's blocking thread pool, so that actix's async
    /// workers never wait on the database.
    pub async fn run<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let pool = self.pool.clone();
        let joined = tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().map_err(|e| E::from(DbError::Pool(e)))?;
            work(&mut conn)
        })
        .await;
        match joined {
            Ok(result) => result,
            Err(join_error) => Err(E::from(DbError::Panicked(join_error.to_string()))),
        }
    }

    /// A connection for synchronous callers (the command line, migrations, tests).
    pub fn get(&self) -> Result<PooledConn, DbError> {
        self.pool.get().map_err(DbError::Pool)
    }

    /// Readiness: a connection can be had within `timeout`, answers `SELECT 1`, and (SQLite) the
    /// database file is still where the configuration says.
    pub async fn check_ready(&self, timeout: Duration) -> Result<(), String> {
        let pool = self.pool.clone();
        let url = Arc::clone(&self.url);
        let joined = tokio::task::spawn_blocking(move || -> Result<(), String> {
            if let DatabaseUrl::Sqlite(path) = url.as_ref()
                && !path.exists()
            {
                return Err(format!("the database file {} is gone", path.display()));
            }
            let mut conn = pool.get_timeout(timeout).map_err(|e| e.to_string())?;
            backend_specific::ping(&mut conn).map_err(|e| e.to_string())
        })
        .await;
        joined.map_err(|e| e.to_string())?
    }
}

/// Failures of the database layer that are not a diesel query error.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("no database connection available: {0}")]
    Pool(diesel::r2d2::PoolError),
    #[error("database work panicked: {0}")]
    Panicked(String),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
}

/// Run `work` in one write transaction. On SQLite it begins `IMMEDIATE`, so concurrent writers
/// queue on the busy timeout instead of failing when a read lock would have to be upgraded.
pub fn write_transaction<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    backend_specific::write_transaction(conn, work)
}
