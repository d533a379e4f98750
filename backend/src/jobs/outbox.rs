//! Delivers the e-mail outbox: claims due messages, sends them, records the outcome.

use std::sync::Arc;
use std::time::Duration;

use chrono::TimeDelta;
use tokio::sync::Notify;

use crate::db::{Database, DbError, write_transaction};
use crate::domain::now;
use crate::domain::outbox;
use crate::email::Mailer;

/// How long a claimed message is reserved for the claiming instance: longer than one delivery
/// can take (the SMTP timeout is 20 s), so that no other instance sends it meanwhile; a
/// message whose sender died waits this long before another instance tries it.
pub const LEASE: TimeDelta = TimeDelta::seconds(60);
/// How often the outbox is checked when nobody wakes the job.
const POLL: Duration = Duration::from_secs(2);
/// Messages per round, before the job looks at its wake-up bell again.
const BATCH: usize = 20;

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
    /// One round: send what is due, one message at a time, each marked as soon as the mail
    /// server answered. A message whose mark fails is left to its lease and the round goes on
    /// with the next one. Returns how many messages were handled.
    pub async fn run_once(&self) -> Result<usize, DbError> {
        let mut handled = 0;
        while handled < BATCH {
            let claimed = self
                .db
                .run(|conn| {
                    write_transaction(conn, |conn| outbox::claim_next(conn, now(), LEASE))
                        .map_err(DbError::from)
                })
                .await?;
            let Some(message) = claimed else {
                break;
            };
            handled += 1;
            self.deliver(message).await;
        }
        Ok(handled)
    }

    async fn deliver(&self, message: outbox::OutboxMessage) {
        let outcome = self.mailer.send(message.id, &message.email()).await;
        let id = message.id;
        let attempts = message.attempts.saturating_add(1);
        let retry_base = self.retry_base;
        let kind = message.kind;
        let marked = {
            let outcome = outcome.clone();
            self.db
                .run(move |conn| {
                    let at = now();
                    match &outcome {
                        Ok(()) => outbox::mark_sent(conn, id, at),
                        Err(error) => {
                            let retry_at = at + outbox::backoff(retry_base, attempts);
                            outbox::mark_failed(conn, id, attempts, error, retry_at)
                        }
                    }
                    .map_err(DbError::from)
                })
                .await
        };
        match (outcome, marked) {
            (Ok(()), Ok(())) => tracing::info!(id, kind, "e-mail sent"),
            (Err(error), Ok(())) => {
                tracing::warn!(id, kind, attempts, %error, "e-mail not sent; will retry");
            }
            (Ok(()), Err(error)) => tracing::error!(
                id,
                kind,
                %error,
                "e-mail sent but not marked; it is sent again after its lease"
            ),
            (Err(send), Err(error)) => tracing::error!(
                id,
                kind,
                %send,
                %error,
                "e-mail not sent and the retry not recorded; tried again after its lease"
            ),
        }
    }

    /// Run forever: a round whenever woken, or every few seconds.
    pub async fn run(self) {
        loop {
            match self.run_once().await {
                // A full round: there may be more waiting.
                Ok(n) if n == BATCH => continue,
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
