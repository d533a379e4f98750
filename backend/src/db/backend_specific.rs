//! Every piece of backend-specific SQL lives here, behind an explicit `match` on the backend.

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::result::Error;

use super::DbConnection;

/// Per-connection settings, applied whenever the pool hands out a new connection.
/// `statement_timeout` bounds how long one statement may wait for a lock (SQLite's busy
/// timeout) or run (PostgreSQL's `statement_timeout`).
pub fn configure_connection(
    conn: &mut DbConnection,
    statement_timeout: std::time::Duration,
) -> QueryResult<()> {
    let ms = statement_timeout.as_millis().max(1);
    match conn {
        // busy_timeout first, so that even switching to WAL waits for a lock instead of failing
        // when the pool opens several connections at once. WAL lets readers and one writer
        // work at once; NORMAL is durable in WAL mode except for the last commits on power loss.
        // A 16 MB page cache per connection (the default is 2 MB) keeps a neighbourhood's
        // grievances in memory instead of re-reading them from the OS on every list.
        DbConnection::Sqlite(c) => c.batch_execute(&format!(
            "PRAGMA busy_timeout = {ms};
             PRAGMA journal_mode = WAL;
             PRAGMA foreign_keys = ON;
             PRAGMA synchronous = NORMAL;
             PRAGMA cache_size = -16000;"
        )),
        DbConnection::Pg(c) => c.batch_execute(&format!(
            "SET TIME ZONE 'UTC'; SET statement_timeout = {ms};"
        )),
    }
}

/// Run `work` without the statement timeout (migrations may take long on a large database),
/// then put `statement_timeout` back.
pub fn without_statement_timeout<T>(
    conn: &mut DbConnection,
    statement_timeout: std::time::Duration,
    work: impl FnOnce(&mut DbConnection) -> T,
) -> QueryResult<T> {
    let ms = statement_timeout.as_millis().max(1);
    let (lift, restore) = match conn {
        DbConnection::Sqlite(_) => (
            "PRAGMA busy_timeout = 600000;".to_owned(),
            format!("PRAGMA busy_timeout = {ms};"),
        ),
        DbConnection::Pg(_) => (
            "SET statement_timeout = 0;".to_owned(),
            format!("SET statement_timeout = {ms};"),
        ),
    };
    conn.batch_execute(&lift)?;
    let result = work(conn);
    conn.batch_execute(&restore)?;
    Ok(result)
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
                    // SQLite ends the transaction itself on some errors (a full disk): the
                    // rollback then fails, and the error to report is the first one.
                    if let Err(rollback) =
                        <DbConnection as TransactionManager<DbConnection>>::rollback_transaction(
                            conn,
                        )
                    {
                        tracing::warn!(%rollback, "rollback after a failed write transaction");
                    }
                    Err(error)
                }
            }
        }
        DbConnection::Pg(_) => conn.transaction(work),
    }
}

/// Serialise the write transactions that name the same `key` until the current one ends, so
/// that check-then-count steps (rate limits) cannot interleave. SQLite needs nothing: its
/// write transactions are immediate and so one at a time already. Call inside a transaction.
pub fn lock_for_transaction(conn: &mut DbConnection, key: &str) -> QueryResult<()> {
    match conn {
        DbConnection::Sqlite(_) => Ok(()),
        DbConnection::Pg(c) => diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext($1))")
            .bind::<diesel::sql_types::Text, _>(key)
            .execute(c)
            .map(drop),
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

/// Whether a failed statement means the connection itself is gone (the server stopped, was
/// restarted or dropped it): the pool must not hand that connection out again.
pub fn connection_lost(error: &Error) -> bool {
    use diesel::result::DatabaseErrorKind as Kind;
    match error {
        Error::RollbackErrorOnCommit { commit_error, .. } => connection_lost(commit_error),
        Error::DatabaseError(Kind::ClosedConnection | Kind::UnableToSendCommand, _) => true,
        Error::DatabaseError(_, info) => {
            let message = info.message();
            message.contains("terminating connection")
                || message.contains("server closed the connection")
                || message.contains("no connection to the server")
        }
        _ => false,
    }
}

/// Whether the database cannot do the work now for a reason that passes: the connection is
/// gone, the server is shutting down, the disk is full, or a lock was held past the busy
/// timeout. Such a request is answered `UNAVAILABLE` (try again in a moment), and nothing of
/// it was stored. PostgreSQL reports a full disk as "could not extend file … No space left
/// on device", SQLite as "database or disk is full".
pub fn is_unavailable(error: &Error) -> bool {
    if connection_lost(error) {
        return true;
    }
    match error {
        Error::RollbackErrorOnCommit { commit_error, .. } => is_unavailable(commit_error),
        Error::DatabaseError(_, info) => {
            let message = info.message();
            [
                "database or disk is full",
                "No space left on device",
                "could not extend file",
                "database is locked",
                "the database system is shutting down",
                "the database system is starting up",
            ]
            .iter()
            .any(|m| message.contains(m))
        }
        _ => false,
    }
}

/// Add `delta` to the grievance counter of (neighbourhood, theme, status), creating the row
/// when it is missing: an upsert, atomic under concurrent writers on both backends.
pub fn add_to_grievance_count(
    conn: &mut DbConnection,
    neighbourhood: i64,
    theme: i64,
    status: &str,
    delta: i64,
) -> QueryResult<usize> {
    use super::schema::grievance_counts as c;
    let row = (
        c::neighbourhood_id.eq(neighbourhood),
        c::theme_id.eq(theme),
        c::status.eq(status),
        c::grievances.eq(delta),
    );
    let target = (c::neighbourhood_id, c::theme_id, c::status);
    match conn {
        DbConnection::Sqlite(inner) => diesel::insert_into(c::table)
            .values(row)
            .on_conflict(target)
            .do_update()
            .set(c::grievances.eq(c::grievances + delta))
            .execute(inner),
        DbConnection::Pg(inner) => diesel::insert_into(c::table)
            .values(row)
            .on_conflict(target)
            .do_update()
            .set(c::grievances.eq(c::grievances + delta))
            .execute(inner),
    }
}

/// One row of a grievance's timeline: an update (`from`/`to` empty) or a status change.
pub type TimelineRow = (
    i64,
    i64,
    String,
    chrono::NaiveDateTime,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<chrono::NaiveDateTime>,
);

/// The updates and status changes of `grievances` in one statement (a `UNION ALL`, which
/// diesel builds per backend only): grievance, id, text or reason, at, from, to, actor, the
/// actor's name and deletion.
pub fn timeline(conn: &mut DbConnection, grievances: &[i64]) -> QueryResult<Vec<TimelineRow>> {
    use super::schema::{grievance_status_changes as h, grievance_updates as u, users};
    use diesel::sql_types::{BigInt, Nullable, Text, Timestamp};
    macro_rules! union {
        () => {
            u::table
                .filter(u::grievance_id.eq_any(grievances))
                .select((
                    u::grievance_id,
                    u::id,
                    u::body,
                    u::created_at,
                    None::<String>.into_sql::<Nullable<Text>>(),
                    None::<String>.into_sql::<Nullable<Text>>(),
                    None::<i64>.into_sql::<Nullable<BigInt>>(),
                    None::<String>.into_sql::<Nullable<Text>>(),
                    None::<chrono::NaiveDateTime>.into_sql::<Nullable<Timestamp>>(),
                ))
                .union_all(
                    h::table
                        .left_join(users::table.on(users::id.nullable().eq(h::actor_user_id)))
                        .filter(h::grievance_id.eq_any(grievances))
                        .select((
                            h::grievance_id,
                            h::id,
                            h::reason,
                            h::created_at,
                            h::from_status.nullable(),
                            h::to_status.nullable(),
                            h::actor_user_id,
                            users::display_name.nullable(),
                            users::deleted_at.nullable(),
                        )),
                )
        };
    }
    match conn {
        DbConnection::Sqlite(c) => union!().load(c),
        DbConnection::Pg(c) => union!().load(c),
    }
}
