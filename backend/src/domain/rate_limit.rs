//! Rate limits backed by the database, so they hold across restarts and server instances.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::rate_limit_hits;
use crate::domain::{DomainError, DomainResult};

/// At most `max` hits per `window`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max: i64,
    pub window: TimeDelta,
}

/// Sign-in links per e-mail address.
pub const LINKS_PER_ADDRESS: Limit = Limit {
    max: 5,
    window: TimeDelta::minutes(15),
};
/// Sign-in links per client IP address.
pub const LINKS_PER_IP: Limit = Limit {
    max: 30,
    window: TimeDelta::hours(1),
};
/// Password attempts per e-mail address.
pub const PASSWORDS_PER_ADDRESS: Limit = Limit {
    max: 10,
    window: TimeDelta::minutes(15),
};
/// Password attempts per client IP address.
pub const PASSWORDS_PER_IP: Limit = Limit {
    max: 50,
    window: TimeDelta::hours(1),
};

/// Check every (bucket, limit) pair and, when none is exceeded, count one hit in each.
/// Refused with `RateLimited` saying when the oldest hit leaves the fullest window.
pub fn hit(
    conn: &mut DbConnection,
    buckets: &[(&str, Limit)],
    now: NaiveDateTime,
) -> DomainResult<()> {
    let mut retry_after: Option<i64> = None;
    for (bucket, limit) in buckets {
        let since = now - limit.window;
        diesel::delete(
            rate_limit_hits::table
                .filter(rate_limit_hits::bucket.eq(*bucket))
                .filter(rate_limit_hits::created_at.le(since)),
        )
        .execute(conn)?;
        let count: i64 = rate_limit_hits::table
            .filter(rate_limit_hits::bucket.eq(*bucket))
            .count()
            .get_result(conn)?;
        if count >= limit.max {
            let oldest: Option<NaiveDateTime> = rate_limit_hits::table
                .filter(rate_limit_hits::bucket.eq(*bucket))
                .select(diesel::dsl::min(rate_limit_hits::created_at))
                .first(conn)?;
            let wait = oldest.map_or(limit.window, |o| o + limit.window - now);
            let secs = wait.num_seconds().max(1);
            retry_after = Some(retry_after.map_or(secs, |r| r.max(secs)));
        }
    }
    if let Some(secs) = retry_after {
        return Err(DomainError::RateLimited {
            retry_after_secs: u64::try_from(secs).unwrap_or(1),
        });
    }
    for (bucket, _) in buckets {
        diesel::insert_into(rate_limit_hits::table)
            .values((
                rate_limit_hits::bucket.eq(*bucket),
                rate_limit_hits::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}
