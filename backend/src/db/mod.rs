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
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::r2d2::{ManageConnection, Pool};

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

/// Counts statements, and marks the connection broken when the database went away under it,
/// so that the pool drops it instead of handing it out again. This replaces a test query on
/// every checkout: a connection is trusted until a statement says otherwise.
struct ConnectionWatch {
    counter: Arc<StatementCounter>,
    broken: Arc<AtomicBool>,
}

impl Instrumentation for ConnectionWatch {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        match event {
            InstrumentationEvent::StartQuery { query, .. } => {
                self.counter.0.fetch_add(1, Ordering::Relaxed);
                tracing::trace!(target: "buurtkracht::sql", %query);
            }
            InstrumentationEvent::FinishQuery {
                error: Some(error), ..
            } if backend_specific::connection_lost(error) => {
                self.broken.store(true, Ordering::Relaxed);
            }
            _ => {}
        }
    }
}

/// A connection as the pool keeps it: the connection and whether it is known to be broken.
pub struct PoolConnection {
    conn: DbConnection,
    broken: Arc<AtomicBool>,
}

impl std::ops::Deref for PoolConnection {
    type Target = DbConnection;
    fn deref(&self) -> &DbConnection {
        &self.conn
    }
}

impl std::ops::DerefMut for PoolConnection {
    fn deref_mut(&mut self) -> &mut DbConnection {
        &mut self.conn
    }
}

/// Opens connections for the pool: the backend the URL names (so a failure reports the real
/// cause, e.g. "connection refused"), configured and watched.
pub struct Manager {
    url: Arc<DatabaseUrl>,
    counter: Arc<StatementCounter>,
    health: Arc<Health>,
    statement_timeout: Duration,
}

/// Whether the database could be reached the last time a connection was opened.
#[derive(Debug, Default)]
struct Health {
    /// Set when opening a connection failed; cleared when one opened.
    failing: AtomicBool,
}

impl ManageConnection for Manager {
    type Connection = PoolConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<PoolConnection, diesel::r2d2::Error> {
        let opened = self.open();
        self.health
            .failing
            .store(opened.is_err(), Ordering::Relaxed);
        opened
    }

    fn is_valid(&self, conn: &mut PoolConnection) -> Result<(), diesel::r2d2::Error> {
        backend_specific::ping(conn).map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut PoolConnection) -> bool {
        use diesel::r2d2::R2D2Connection as _;
        std::thread::panicking() || conn.broken.load(Ordering::Relaxed) || conn.conn.is_broken()
    }
}

impl Manager {
    fn open(&self) -> Result<PoolConnection, diesel::r2d2::Error> {
        use diesel::Connection as _;
        let mut conn = match self.url.as_ref() {
            DatabaseUrl::Sqlite(path) => DbConnection::Sqlite(
                diesel::SqliteConnection::establish(&path.to_string_lossy())
                    .map_err(diesel::r2d2::Error::ConnectionError)?,
            ),
            DatabaseUrl::Postgres(url) => DbConnection::Pg(
                diesel::PgConnection::establish(url)
                    .map_err(diesel::r2d2::Error::ConnectionError)?,
            ),
        };
        backend_specific::configure_connection(&mut conn, self.statement_timeout)
            .map_err(diesel::r2d2::Error::QueryError)?;
        let broken = Arc::new(AtomicBool::new(false));
        conn.set_instrumentation(ConnectionWatch {
            counter: Arc::clone(&self.counter),
            broken: Arc::clone(&broken),
        });
        Ok(PoolConnection { conn, broken })
    }
}

/// r2d2 logs to `log`; say it through `tracing`, with the real cause.
#[derive(Debug)]
struct PoolErrors;

impl diesel::r2d2::HandleError<diesel::r2d2::Error> for PoolErrors {
    fn handle_error(&self, error: diesel::r2d2::Error) {
        tracing::warn!(%error, "cannot open a database connection");
    }
}

/// A pooled connection.
pub type PooledConn = diesel::r2d2::PooledConnection<Manager>;

/// How long a request waits for a database connection while the database cannot be reached,
/// before it is answered with `UNAVAILABLE` (HTTP 503): short, so that a database that is away
/// is reported at once instead of holding every request for seconds.
/// How long a statement may wait or run, unless the server says otherwise.
pub const DEFAULT_STATEMENT_TIMEOUT: Duration = Duration::from_secs(10);

pub const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(1);
/// How long a request waits for a connection while the database is up but every connection
/// is busy (a burst of requests queues instead of failing).
pub const BUSY_CHECKOUT_TIMEOUT: Duration = Duration::from_secs(10);

/// The database handle shared by the whole process: a pool for either backend.
#[derive(Clone)]
pub struct Database {
    pool: Pool<Manager>,
    url: Arc<DatabaseUrl>,
    statements: Arc<StatementCounter>,
    health: Arc<Health>,
}

impl Database {
    /// Open a pool. For SQLite the folder of the file is created. Does not run migrations.
    pub fn open(url: &DatabaseUrl, pool_size: u32) -> Result<Self, DbSetupError> {
        Self::open_with(url, pool_size, DEFAULT_STATEMENT_TIMEOUT)
    }

    /// Open a pool whose statements give up after `statement_timeout` (PostgreSQL's
    /// `statement_timeout`, SQLite's busy timeout): the server passes its request timeout, so
    /// that work a timed-out request left behind rolls back instead of committing later.
    pub fn open_with(
        url: &DatabaseUrl,
        pool_size: u32,
        statement_timeout: Duration,
    ) -> Result<Self, DbSetupError> {
        if let DatabaseUrl::Sqlite(path) = url
            && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir).map_err(|source| DbSetupError::CreateDir {
                path: dir.display().to_string(),
                source,
            })?;
        }
        let statements = Arc::new(StatementCounter::default());
        let url = Arc::new(url.clone());
        let health = Arc::new(Health::default());
        let manager = Manager {
            url: Arc::clone(&url),
            counter: Arc::clone(&statements),
            health: Arc::clone(&health),
            statement_timeout,
        };
        // The first connection is opened with a generous wait (the server may be starting);
        // after that, requests wait at most CHECKOUT_TIMEOUT.
        let pool = Pool::builder()
            .max_size(pool_size)
            .min_idle(Some(1))
            .connection_timeout(Duration::from_secs(10))
            .test_on_check_out(false)
            .error_handler(Box::new(PoolErrors))
            .build(manager)?;
        Ok(Self {
            pool,
            url,
            statements,
            health,
        })
    }

    pub fn kind(&self) -> BackendKind {
        self.url.kind()
    }

    /// SQL statements run so far through this pool.
    pub fn statement_count(&self) -> u64 {
        self.statements.get()
    }

    /// A connection: within `CHECKOUT_TIMEOUT` when the database cannot be reached, else
    /// within `BUSY_CHECKOUT_TIMEOUT` (every connection busy).
    fn checkout(pool: &Pool<Manager>, health: &Health) -> Result<PooledConn, DbError> {
        match pool.get_timeout(CHECKOUT_TIMEOUT) {
            Ok(conn) => Ok(conn),
            Err(_) if !health.failing.load(Ordering::Relaxed) => pool
                .get_timeout(BUSY_CHECKOUT_TIMEOUT - CHECKOUT_TIMEOUT)
                .map_err(DbError::Pool),
            Err(error) => Err(DbError::Pool(error)),
        }
    }

    /// Run blocking database work on tokio's blocking thread pool, so that actix's async
    /// workers never wait on the database. For work outside a request (jobs, the command
    /// line); a request uses its `RequestDb`, which keeps one connection.
    pub async fn run<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let pool = self.pool.clone();
        let health = Arc::clone(&self.health);
        let joined = tokio::task::spawn_blocking(move || {
            let mut conn = Self::checkout(&pool, &health).map_err(E::from)?;
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

    /// A handle for one request: it checks out one connection on first use and keeps it
    /// until the request is done.
    pub fn for_request(&self) -> RequestDb {
        RequestDb {
            pool: self.pool.clone(),
            health: Arc::clone(&self.health),
            conn: Arc::new(tokio::sync::Mutex::new(None)),
        }
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

/// One request's database handle: the first piece of work checks out a pooled connection,
/// every later piece of the same request reuses it, and it goes back to the pool when the
/// request (every clone of this handle) is done. Work runs one piece at a time, in the order
/// it asks, on tokio's blocking pool.
#[derive(Clone)]
pub struct RequestDb {
    pool: Pool<Manager>,
    health: Arc<Health>,
    conn: Arc<tokio::sync::Mutex<Option<PooledConn>>>,
}

impl RequestDb {
    /// Run `work` on this request's connection.
    pub async fn run<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let mut slot = Arc::clone(&self.conn).lock_owned().await;
        let pool = self.pool.clone();
        let health = Arc::clone(&self.health);
        let joined = tokio::task::spawn_blocking(move || {
            let (result, broken) = {
                let conn = match slot.as_mut() {
                    Some(conn) => conn,
                    None => slot.insert(Database::checkout(&pool, &health).map_err(E::from)?),
                };
                let result = work(conn);
                (result, conn.broken.load(Ordering::Relaxed))
            };
            if broken {
                // Gone: give it back now so that the pool drops it; later work checks out
                // another one.
                *slot = None;
            }
            result
        })
        .await;
        match joined {
            Ok(result) => result,
            Err(join_error) => Err(E::from(DbError::Panicked(join_error.to_string()))),
        }
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
