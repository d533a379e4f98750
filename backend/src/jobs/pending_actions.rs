//! Deletes pending actions whose 48 hours are up, so the name and address of someone who never
//! confirmed do not stay (and a confirmed one's link row does not linger); and rate-limit hits
//! that no window counts any more.

use std::time::Duration;

use crate::db::{Database, DbError};
use crate::domain::{now, pending_actions, rate_limit};

/// How often expired pending actions are looked for.
const EVERY: Duration = Duration::from_secs(10 * 60);

/// One round: delete what has expired. Returns how many were deleted.
pub async fn sweep_once(db: &Database) -> Result<usize, DbError> {
    db.run(|conn| pending_actions::sweep_expired(conn, now()).map_err(DbError::from))
        .await
}

/// Run forever: a round every ten minutes (the first ten minutes after start: a server that
/// starts often stays quiet).
pub async fn run(db: Database) {
    loop {
        tokio::time::sleep(EVERY).await;
        match sweep_once(&db).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(deleted = n, "expired pending actions deleted"),
            Err(error) => tracing::error!(%error, "sweeping pending actions failed"),
        }
        let stale_hits = db
            .run(|conn| rate_limit::sweep(conn, now()).map_err(DbError::from))
            .await;
        if let Err(error) = stale_hits {
            tracing::error!(%error, "sweeping rate-limit hits failed");
        }
    }
}
