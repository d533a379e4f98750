//! Limits on password guessing that never lock the owner out.
//!
//! - **Strict, per address and client**: 5 wrong passwords per 15 minutes for one e-mail address
//!   from one client (IP address; IPv6 by its /64 network), then `RateLimited` until the oldest
//!   is 15 minutes old. Also 50 wrong passwords per hour from one client over all addresses.
//! - **Soft, per address**: after 10 wrong passwords for an address in an hour from all clients
//!   together, every further attempt on it first waits a growing delay (1 s, 2 s, 4 s …, at
//!   most 5 minutes). A client that is told to wait gets a pass for its next attempt after that
//!   wait, whatever other clients do meanwhile: so the owner, trying from their own client,
//!   waits at most once per attempt and then signs in with the right password.
//! - A right password takes back the attempt and clears the client's strict count for the
//!   address; only wrong passwords count.
//! - The soft limit tripping sends the owner one warning e-mail an hour (`password_guessing`).
//!
//! Every answer is the same for unknown addresses; the sign-in link is never limited by these.

use chrono::{NaiveDateTime, TimeDelta};

use super::model::{EmailAddress, User};
use crate::db::DbConnection;
use crate::db::backend_specific::lock_for_transaction;
use crate::domain::outbox;
use crate::domain::rate_limit::{
    self, Limit, PASSWORDS_PER_ADDRESS, PASSWORDS_PER_ADDRESS_AND_CLIENT, PASSWORDS_PER_IP,
    client_key, password_delay,
};
use crate::domain::{DomainError, DomainResult};
use crate::email::templates::password_guessing;

/// How long a pass stays valid once it is due.
const PASS_TTL: TimeDelta = TimeDelta::minutes(15);
/// At most one warning e-mail per address in this time.
const WARNING_EVERY: Limit = Limit {
    max: 1,
    window: TimeDelta::hours(1),
};

/// The buckets of one (address, client).
struct Buckets {
    address: String,
    pair: String,
    client: String,
    pass: String,
    warned: String,
}

impl Buckets {
    fn new(email: &EmailAddress, client_ip: Option<&str>) -> Self {
        let address = email.as_str();
        let client = client_key(client_ip);
        Self {
            address: format!("password:address:{address}"),
            pair: format!("password:pair:{address} {client}"),
            client: format!("password:ip:{client}"),
            pass: format!("password:pass:{address} {client}"),
            warned: format!("password:warned:{address}"),
        }
    }
}

/// An admitted attempt: the hits it counted, taken back when the password is right.
pub(super) struct Attempt {
    buckets: Buckets,
    hits: Vec<i64>,
}

enum Admission {
    Go(Attempt),
    Wait(u64),
}

/// Admit an attempt for `email` from `client_ip` and count it as wrong until it proves right,
/// or refuse it with `RateLimited`. Runs in the caller's write transaction, which must commit
/// also when this refuses (a pass handed out must stay): so refusals come back as `Wait`.
fn admission(
    conn: &mut DbConnection,
    email: &EmailAddress,
    client_ip: Option<&str>,
    now: NaiveDateTime,
) -> DomainResult<Admission> {
    let buckets = Buckets::new(email, client_ip);
    lock_for_transaction(conn, &buckets.address)?;
    let mut wait: Option<u64> = None;
    for (bucket, limit) in [
        (&buckets.client, PASSWORDS_PER_IP),
        (&buckets.pair, PASSWORDS_PER_ADDRESS_AND_CLIENT),
    ] {
        if let Some(secs) = rate_limit::retry_after(conn, bucket, limit, now)? {
            wait = Some(wait.map_or(secs, |w| w.max(secs)));
        }
    }
    if let Some(secs) = wait {
        return Ok(Admission::Wait(secs));
    }
    let failures = rate_limit::count(conn, &buckets.address, PASSWORDS_PER_ADDRESS, now)?;
    if failures >= PASSWORDS_PER_ADDRESS.max {
        // A pass is stored with the time from which it may be used.
        let stale = Limit {
            max: 1,
            window: PASS_TTL,
        };
        rate_limit::count(conn, &buckets.pass, stale, now)?;
        match rate_limit::earliest(conn, &buckets.pass)? {
            Some(due) if due <= now => rate_limit::clear(conn, &buckets.pass)?,
            Some(due) => return Ok(Admission::Wait(rate_limit::whole_seconds(due - now))),
            None => {
                let delay = password_delay(failures);
                rate_limit::record(conn, &buckets.pass, now + delay)?;
                return Ok(Admission::Wait(rate_limit::whole_seconds(delay)));
            }
        }
    }
    let hits = vec![
        rate_limit::record(conn, &buckets.client, now)?,
        rate_limit::record(conn, &buckets.pair, now)?,
        rate_limit::record(conn, &buckets.address, now)?,
    ];
    Ok(Admission::Go(Attempt { buckets, hits }))
}

/// Admit an attempt (in a transaction of its own, so that it counts even if the caller fails
/// later), or refuse it with `RateLimited` and `retry_after_secs`.
pub(super) fn admit(
    conn: &mut DbConnection,
    email: &EmailAddress,
    client_ip: Option<&str>,
    now: NaiveDateTime,
) -> DomainResult<Attempt> {
    match crate::db::write_transaction(conn, |conn| admission(conn, email, client_ip, now))? {
        Admission::Go(attempt) => Ok(attempt),
        Admission::Wait(retry_after_secs) => Err(DomainError::RateLimited { retry_after_secs }),
    }
}

/// The password was right: take the attempt back and forget the client's wrong ones for this
/// address (the soft count of the address stays: others may still be guessing).
pub(super) fn succeeded(conn: &mut DbConnection, attempt: &Attempt) -> DomainResult<()> {
    rate_limit::remove(conn, &attempt.hits)?;
    rate_limit::clear(conn, &attempt.buckets.pair)?;
    Ok(())
}

/// The password was wrong (or the address unknown): when this trips the soft limit, warn the
/// owner (if there is one), at most once an hour. `sign_in_page` is the web app's sign-in page.
/// Call in a write transaction.
pub(super) fn failed(
    conn: &mut DbConnection,
    attempt: &Attempt,
    owner: Option<&User>,
    sign_in_page: &str,
    now: NaiveDateTime,
) -> DomainResult<()> {
    let failures = rate_limit::count(conn, &attempt.buckets.address, PASSWORDS_PER_ADDRESS, now)?;
    if failures < PASSWORDS_PER_ADDRESS.max {
        return Ok(());
    }
    let Some(owner) = owner else {
        return Ok(());
    };
    lock_for_transaction(conn, &attempt.buckets.warned)?;
    if rate_limit::count(conn, &attempt.buckets.warned, WARNING_EVERY, now)? >= WARNING_EVERY.max {
        return Ok(());
    }
    rate_limit::record(conn, &attempt.buckets.warned, now)?;
    let email = password_guessing(
        &owner.email,
        owner.language,
        &owner.display_name,
        sign_in_page,
    );
    outbox::enqueue(conn, "password_guessing", &email, now)?;
    tracing::warn!(
        user = owner.id.0,
        failures,
        "many wrong passwords for one address; the owner is warned"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clients_are_keyed_by_address_and_ipv6_by_network() {
        assert_eq!(client_key(Some("192.0.2.7")), "192.0.2.7");
        assert_eq!(client_key(Some("::ffff:192.0.2.7")), "192.0.2.7");
        assert_eq!(
            client_key(Some("2001:db8:1:2:3:4:5:6")),
            "2001:db8:1:2::/64"
        );
        assert_eq!(
            client_key(Some("2001:db8:1:2:ffff::1")),
            client_key(Some("2001:db8:1:2::9"))
        );
        assert_eq!(client_key(None), "unknown");
        assert_eq!(client_key(Some("garbage")), "unknown");
    }
}
