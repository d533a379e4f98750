//! Every piece of backend-specific SQL lives here, behind an explicit `match` on the backend.

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::result::Error;

use super::DbConnection;

/// Per-connection settings, applied whenever the pool hands out a new connection.
pub fn configure_connection(conn: &mut DbConnection) -> QueryResult<()> {
    match conn {
        // busy_timeout first, so that even switching to WAL waits for a lock instead of failing
        // when the pool opens several connections at once. WAL lets readers and one writer
        // work at once; NORMAL is durable in WAL mode except for the last commits on power loss.
        // A 16 MB page cache per connection (the default is 2 MB) keeps a neighbourhood's
        // grievances in memory instead of re-reading them from the OS on every list.
        DbConnection::Sqlite(c) => c.batch_execute(
            "PRAGMA busy_timeout = 10000;
             PRAGMA journal_mode = WAL;
             PRAGMA foreign_keys = ON;
             PRAGMA synchronous = NORMAL;
             PRAGMA cache_size = -16000;",
        ),
        DbConnection::Pg(c) => c.batch_execute("SET TIME ZONE 'UTC';"),
    }
}

/// A trivial round trip.
pub fn ping(conn: &mut DbConnection) -> QueryResult<()> {
    conn.batch_execute("SELECT 1")
}

pub(super) fn write_transaction<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<Error>,
{
    let nested = match conn {
        DbConnection::Sqlite(inner) => {
            AnsiTransactionManager::transaction_manager_status_mut(inner)
                .transaction_depth()
                .map_err(E::from)?
                .is_some()
        }
        DbConnection::Pg(_) => false,
    };
    if nested {
        // Already inside a write transaction: diesel nests with a savepoint.
        return conn.transaction(work);
    }
    match conn {
        DbConnection::Sqlite(inner) => {
            // The same steps as `SqliteConnection::immediate_transaction`, but handing the
            // closure the multi-backend connection. The transaction state lives in the inner
            // connection, so diesel's bookkeeping (nesting, broken-connection checks) holds.
            AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?;
            match work(conn) {
                Ok(value) => {
                    <DbConnection as TransactionManager<DbConnection>>::commit_transaction(conn)?;
                    Ok(value)
                }
                Err(error) => {
                    <DbConnection as TransactionManager<DbConnection>>::rollback_transaction(conn)?;
                    Err(error)
                }
            }
        }
        DbConnection::Pg(_) => conn.transaction(work),
    }
}

/// The id of the row this connection inserted last. Session-scoped on both backends, so
/// concurrent inserts on other connections cannot interfere. Call right after the insert.
pub fn last_insert_id(conn: &mut DbConnection) -> QueryResult<i64> {
    use diesel::sql_types::BigInt;
    match conn {
        DbConnection::Sqlite(c) => {
            diesel::select(diesel::dsl::sql::<BigInt>("last_insert_rowid()")).get_result(c)
        }
        DbConnection::Pg(c) => {
            diesel::select(diesel::dsl::sql::<BigInt>("lastval()")).get_result(c)
        }
    }
}

/// Whether a diesel error is a unique-constraint violation (both backends report it the same
/// way through diesel).
pub fn is_unique_violation(error: &Error) -> bool {
    matches!(
        error,
        Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}
