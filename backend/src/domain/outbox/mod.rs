//! The durable e-mail outbox. A message is stored in the same transaction as the change that
//! causes it; the outbox job claims one due message at a time with a lease (so that several
//! server instances never send one message at the same time), sends it, and marks it sent as
//! soon as the mail server accepted it, or schedules a retry with exponential backoff.
//!
//! The delivery promise: every message is delivered at least once, and nothing is lost on a
//! restart or a crash. A message is sent twice only when its sender dies (or cannot reach the
//! database) between the mail server's acceptance and the mark; it is then sent again when its
//! lease has run out, with the same `Message-ID` (`<outbox-<id>@<sender's domain>>`), so mail
//! programs can recognise the copy.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::outbox_messages;
use crate::email::Email;

/// A stored message.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox_messages)]
pub struct OutboxMessage {
    pub id: i64,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub attempts: i32,
    pub sent_at: Option<NaiveDateTime>,
}

impl OutboxMessage {
    pub fn email(&self) -> Email {
        Email {
            to: self.recipient.clone(),
            subject: self.subject.clone(),
            text: self.body_text.clone(),
            html: self.body_html.clone(),
        }
    }
}

/// Queue `email` (call inside the transaction that causes it).
pub fn enqueue(
    conn: &mut DbConnection,
    kind: &str,
    email: &Email,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(outbox_messages::table)
        .values((
            outbox_messages::kind.eq(kind),
            outbox_messages::recipient.eq(&email.to),
            outbox_messages::subject.eq(&email.subject),
            outbox_messages::body_text.eq(&email.text),
            outbox_messages::body_html.eq(&email.html),
            outbox_messages::attempts.eq(0),
            outbox_messages::next_attempt_at.eq(now),
            outbox_messages::created_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// Claim the oldest due message for `lease` (call inside a write transaction); a message
/// claimed by another instance whose lease has not run out is skipped. One message at a time,
/// so that a lease has to cover one delivery only, however slow the mail server is.
pub fn claim_next(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    lease: TimeDelta,
) -> QueryResult<Option<OutboxMessage>> {
    let free = outbox_messages::claimed_until
        .is_null()
        .or(outbox_messages::claimed_until.lt(now));
    let candidates: Vec<i64> = outbox_messages::table
        .filter(outbox_messages::sent_at.is_null())
        .filter(outbox_messages::next_attempt_at.le(now))
        .filter(free)
        .order_by(outbox_messages::id.asc())
        .limit(5)
        .select(outbox_messages::id)
        .load(conn)?;
    for id in candidates {
        // Conditional update: only one claimer wins, on either backend.
        let won = diesel::update(
            outbox_messages::table
                .find(id)
                .filter(outbox_messages::sent_at.is_null())
                .filter(
                    outbox_messages::claimed_until
                        .is_null()
                        .or(outbox_messages::claimed_until.lt(now)),
                ),
        )
        .set(outbox_messages::claimed_until.eq(now + lease))
        .execute(conn)?;
        if won == 1 {
            return outbox_messages::table
                .find(id)
                .select(OutboxMessage::as_select())
                .first(conn)
                .map(Some);
        }
    }
    Ok(None)
}

/// Mark a message sent.
pub fn mark_sent(conn: &mut DbConnection, id: i64, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(outbox_messages::table.find(id))
        .set((
            outbox_messages::sent_at.eq(now),
            outbox_messages::claimed_until.eq(None::<NaiveDateTime>),
            outbox_messages::last_error.eq(None::<String>),
        ))
        .execute(conn)
        .map(drop)
}

/// Record a failed attempt and when to try again.
pub fn mark_failed(
    conn: &mut DbConnection,
    id: i64,
    attempts: i32,
    error: &str,
    retry_at: NaiveDateTime,
) -> QueryResult<()> {
    let error: String = error.chars().take(1000).collect();
    diesel::update(outbox_messages::table.find(id))
        .set((
            outbox_messages::attempts.eq(attempts),
            outbox_messages::last_error.eq(error),
            outbox_messages::next_attempt_at.eq(retry_at),
            outbox_messages::claimed_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
        .map(drop)
}

/// Delay before attempt `attempts + 1`: base × 2^(attempts − 1), at most an hour.
pub fn backoff(base: TimeDelta, attempts: i32) -> TimeDelta {
    let exponent = u32::try_from(attempts.saturating_sub(1))
        .unwrap_or(0)
        .min(16);
    let delay = base * 2_i32.pow(exponent);
    delay.min(TimeDelta::hours(1))
}

/// Messages not yet sent (for tests and the admin dashboard later).
pub fn pending_count(conn: &mut DbConnection) -> QueryResult<i64> {
    outbox_messages::table
        .filter(outbox_messages::sent_at.is_null())
        .count()
        .get_result(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let base = TimeDelta::seconds(5);
        assert_eq!(backoff(base, 1), TimeDelta::seconds(5));
        assert_eq!(backoff(base, 2), TimeDelta::seconds(10));
        assert_eq!(backoff(base, 4), TimeDelta::seconds(40));
        assert_eq!(backoff(base, 40), TimeDelta::hours(1));
    }
}
