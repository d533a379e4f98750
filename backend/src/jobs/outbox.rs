//! Delivers the e-mail outbox: claims due messages, sends them, records the outcome.

use std::sync::Arc;
use std::time::Duration;

use chrono::TimeDelta;
use tokio::sync::Notify;

use crate::db::{Database, DbError, write_transaction};
use crate::domain::now;
use crate::domain::outbox;
use crate::email::Mailer;

/// How long a claimed message is reserved for the claiming instance.
const LEASE: TimeDelta = TimeDelta::minutes(2);
/// How often the outbox is checked when nobody wakes the job.
const POLL: Duration = Duration::from_secs(2);
/// Messages per round.
const BATCH: i64 = 20;

/// The outbox job's settings and its wake-up bell.
#[derive(Clone)]
pub struct OutboxJob {
    pub db: Database,
    pub mailer: Mailer,
    /// First retry delay; doubles per attempt.
    pub retry_base: TimeDelta,
    /// Rung after a message is queued, so it goes out at once.
    pub wake: Arc<Notify>,
}

impl OutboxJob {
    /// One round: send what is due. Returns how many messages were handled.
    pub async fn run_once(&self) -> Result<usize, DbError> {
        let claimed = self
            .db
            .run(|conn| {
                write_transaction(conn, |conn| outbox::claim_due(conn, now(), LEASE, BATCH))
                    .map_err(DbError::from)
            })
            .await?;
        let handled = claimed.len();
        for message in claimed {
            let outcome = self.mailer.send(message.id, &message.email()).await;
            let id = message.id;
            let attempts = message.attempts.saturating_add(1);
            let retry_base = self.retry_base;
            let kind = message.kind.clone();
            self.db
                .run(move |conn| {
                    let at = now();
                    match &outcome {
                        Ok(()) => outbox::mark_sent(conn, id, at)?,
                        Err(error) => {
                            let retry_at = at + outbox::backoff(retry_base, attempts);
                            outbox::mark_failed(conn, id, attempts, error, retry_at)?;
                        }
                    }
                    match outcome {
                        Ok(()) => tracing::info!(id, kind, "e-mail sent"),
                        Err(error) => tracing::warn!(id, kind, attempts, %error, "e-mail not sent; will retry"),
                    }
                    Ok::<(), DbError>(())
                })
                .await?;
        }
        Ok(handled)
    }

    /// Run forever: a round whenever woken, or every few seconds.
    pub async fn run(self) {
        loop {
            match self.run_once().await {
                // A full batch: there may be more waiting.
                Ok(n) if n as i64 == BATCH => continue,
                Ok(_) => {}
                Err(error) => tracing::error!(%error, "outbox round failed"),
            }
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(POLL) => {}
            }
        }
    }
}
