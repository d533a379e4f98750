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
/// Wrong passwords per e-mail address and client: the strict limit, answered with
/// `RateLimited` until the oldest of them is 15 minutes old.
pub const PASSWORDS_PER_ADDRESS_AND_CLIENT: Limit = Limit {
    max: 5,
    window: TimeDelta::minutes(15),
};
/// Wrong passwords per e-mail address from all clients together, after which every further
/// attempt on the address first waits a growing delay (`password_delay`): the soft limit.
pub const PASSWORDS_PER_ADDRESS: Limit = Limit {
    max: 10,
    window: TimeDelta::hours(1),
};
/// Wrong passwords per client, over all addresses.
pub const PASSWORDS_PER_IP: Limit = Limit {
    max: 50,
    window: TimeDelta::hours(1),
};
/// The longest delay of the soft limit.
pub const PASSWORD_DELAY_CAP: TimeDelta = TimeDelta::minutes(5);

/// The wait before the next attempt on an address with `failures` wrong passwords in the soft
/// limit's window: none below the limit, then 1 s, 2 s, 4 s … at most `PASSWORD_DELAY_CAP`.
pub fn password_delay(failures: i64) -> TimeDelta {
    let over = failures - PASSWORDS_PER_ADDRESS.max;
    if over < 0 {
        return TimeDelta::zero();
    }
    let secs = 1i64 << over.min(20);
    TimeDelta::seconds(secs).min(PASSWORD_DELAY_CAP)
}

/// Forget the hits of `bucket` that have left `limit`'s window, and count the rest.
pub fn count(
    conn: &mut DbConnection,
    bucket: &str,
    limit: Limit,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::delete(
        rate_limit_hits::table
            .filter(rate_limit_hits::bucket.eq(bucket))
            .filter(rate_limit_hits::created_at.le(now - limit.window)),
    )
    .execute(conn)?;
    rate_limit_hits::table
        .filter(rate_limit_hits::bucket.eq(bucket))
        .count()
        .get_result(conn)
}

/// Whole seconds until `bucket` is below `limit` again; `None` when it is below already.
pub fn retry_after(
    conn: &mut DbConnection,
    bucket: &str,
    limit: Limit,
    now: NaiveDateTime,
) -> QueryResult<Option<u64>> {
    if count(conn, bucket, limit, now)? < limit.max {
        return Ok(None);
    }
    let oldest = earliest(conn, bucket)?;
    let wait = oldest.map_or(limit.window, |o| o + limit.window - now);
    Ok(Some(whole_seconds(wait)))
}

/// The earliest time stored in `bucket`.
pub fn earliest(conn: &mut DbConnection, bucket: &str) -> QueryResult<Option<NaiveDateTime>> {
    rate_limit_hits::table
        .filter(rate_limit_hits::bucket.eq(bucket))
        .select(diesel::dsl::min(rate_limit_hits::created_at))
        .first(conn)
}

/// A wait in whole seconds for `retryAfterSeconds`, at least one.
pub fn whole_seconds(wait: TimeDelta) -> u64 {
    u64::try_from(wait.num_seconds().max(1)).unwrap_or(1)
}

/// Count one hit in `bucket` at `at`; returns its id (for `remove`).
pub fn record(conn: &mut DbConnection, bucket: &str, at: NaiveDateTime) -> QueryResult<i64> {
    diesel::insert_into(rate_limit_hits::table)
        .values((
            rate_limit_hits::bucket.eq(bucket),
            rate_limit_hits::created_at.eq(at),
        ))
        .execute(conn)?;
    crate::db::backend_specific::last_insert_id(conn)
}

/// Take back hits counted by `record`.
pub fn remove(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<()> {
    diesel::delete(rate_limit_hits::table.filter(rate_limit_hits::id.eq_any(ids)))
        .execute(conn)
        .map(drop)
}

/// Forget every hit of `bucket`.
pub fn clear(conn: &mut DbConnection, bucket: &str) -> QueryResult<()> {
    diesel::delete(rate_limit_hits::table.filter(rate_limit_hits::bucket.eq(bucket)))
        .execute(conn)
        .map(drop)
}

/// The longest window of any limit; hits older than this count nowhere.
const LONGEST_WINDOW: TimeDelta = TimeDelta::hours(1);

/// Delete hits that have left every window, also of buckets nobody touches again (each client
/// address that tried once leaves its own). Returns how many were deleted.
pub fn sweep(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(
        rate_limit_hits::table.filter(rate_limit_hits::created_at.le(now - LONGEST_WINDOW)),
    )
    .execute(conn)
}

/// Check every (bucket, limit) pair and, when none is exceeded, count one hit in each.
/// Refused with `RateLimited` saying when the oldest hit leaves the fullest window.
pub fn hit(
    conn: &mut DbConnection,
    buckets: &[(&str, Limit)],
    now: NaiveDateTime,
) -> DomainResult<()> {
    let mut retry: Option<u64> = None;
    for (bucket, limit) in buckets {
        if let Some(secs) = retry_after(conn, bucket, *limit, now)? {
            retry = Some(retry.map_or(secs, |r| r.max(secs)));
        }
    }
    if let Some(retry_after_secs) = retry {
        return Err(DomainError::RateLimited { retry_after_secs });
    }
    for (bucket, _) in buckets {
        record(conn, bucket, now)?;
    }
    Ok(())
}

/// The rate-limit key of a client: its IP address, or for IPv6 its /64 network (one
/// household or server usually has a whole /64).
pub fn client_key(client_ip: Option<&str>) -> String {
    match client_ip.and_then(|ip| ip.parse::<std::net::IpAddr>().ok()) {
        Some(std::net::IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
            let network = u128::from(v6) & (u128::MAX << 64);
            format!("{}/64", std::net::Ipv6Addr::from(network))
        }
        Some(std::net::IpAddr::V6(v6)) => v6
            .to_ipv4_mapped()
            .map_or_else(|| v6.to_string(), |v4| v4.to_string()),
        Some(ip) => ip.to_string(),
        None => "unknown".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_window_covers_every_limit() {
        for limit in [
            LINKS_PER_ADDRESS,
            LINKS_PER_IP,
            PASSWORDS_PER_ADDRESS_AND_CLIENT,
            PASSWORDS_PER_ADDRESS,
            PASSWORDS_PER_IP,
        ] {
            assert!(limit.window <= LONGEST_WINDOW);
        }
    }

    #[test]
    fn the_password_delay_doubles_up_to_its_cap() {
        assert_eq!(password_delay(9), TimeDelta::zero());
        assert_eq!(password_delay(10), TimeDelta::seconds(1));
        assert_eq!(password_delay(11), TimeDelta::seconds(2));
        assert_eq!(password_delay(13), TimeDelta::seconds(8));
        assert_eq!(password_delay(19), TimeDelta::seconds(300));
        assert_eq!(password_delay(i64::MAX), PASSWORD_DELAY_CAP);
    }
}
