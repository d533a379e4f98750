//! A cost budget per client over time: every GraphQL request spends its computed cost
//! (`graphql::cost`) from the budget of the person who sends it (signed in) or of its client
//! address (visitors), which refills continuously up to `per_minute` points per minute. A
//! request that does not fit is refused with `RATE_LIMITED`, `retryAfterSeconds` and the
//! `RateLimit-*` headers. Budgets are kept in memory, per server process.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// Whose budget a request spends.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ClientKey {
    /// A signed-in person (their user id), whatever address they use.
    Person(i64),
    /// A visitor, or a token that is not an access token: the client address.
    Address(String),
}

/// The state of a budget after a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BudgetState {
    /// Points per minute.
    pub limit: u64,
    /// Points left now.
    pub remaining: u64,
    /// Seconds until the budget is full again.
    pub reset_secs: u64,
}

/// A request that does not fit in the budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverBudget {
    pub state: BudgetState,
    /// Seconds until the request's cost fits.
    pub retry_after_secs: u64,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    points: f64,
    at: Instant,
}

/// Budgets of every client that spent points recently.
#[derive(Debug)]
pub struct CostBudget {
    per_minute: u64,
    buckets: Mutex<HashMap<ClientKey, Bucket>>,
}

/// Above this many clients, full budgets are forgotten (they would be full when met again).
const MAX_TRACKED: usize = 10_000;

impl CostBudget {
    pub fn new(per_minute: u64) -> Self {
        Self {
            per_minute: per_minute.max(1),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    fn per_second(&self) -> f64 {
        self.per_minute as f64 / 60.0
    }

    fn state(&self, points: f64) -> BudgetState {
        let missing = (self.per_minute as f64 - points).max(0.0);
        BudgetState {
            limit: self.per_minute,
            remaining: points.max(0.0).floor() as u64,
            reset_secs: (missing / self.per_second()).ceil() as u64,
        }
    }

    /// Spend `cost` points of `key`'s budget at `now`, or refuse when they are not there.
    /// A cost above the whole budget is charged as the whole budget (the cost limit refuses
    /// such documents before they get here).
    pub fn spend(
        &self,
        key: ClientKey,
        cost: u64,
        now: Instant,
    ) -> Result<BudgetState, OverBudget> {
        let cost = cost.clamp(1, self.per_minute) as f64;
        let full = self.per_minute as f64;
        let per_second = self.per_second();
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if buckets.len() >= MAX_TRACKED {
            buckets.retain(|_, b| {
                b.points + now.saturating_duration_since(b.at).as_secs_f64() * per_second < full
            });
        }
        let bucket = buckets.entry(key).or_insert(Bucket {
            points: full,
            at: now,
        });
        let refilled = (bucket.points
            + now.saturating_duration_since(bucket.at).as_secs_f64() * per_second)
            .min(full);
        bucket.at = now;
        if refilled < cost {
            bucket.points = refilled;
            return Err(OverBudget {
                state: self.state(refilled),
                retry_after_secs: ((cost - refilled) / per_second).ceil().max(1.0) as u64,
            });
        }
        bucket.points = refilled - cost;
        Ok(self.state(bucket.points))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_budget_is_spent_refused_and_refilled() {
        let budget = CostBudget::new(600);
        let t0 = Instant::now();
        let who = || ClientKey::Address("192.0.2.1".into());
        assert_eq!(budget.spend(who(), 500, t0).map(|s| s.remaining), Ok(100));
        let refused = budget.spend(who(), 200, t0).expect_err("100 points left");
        assert_eq!(refused.state.remaining, 100);
        assert_eq!(refused.retry_after_secs, 10);
        // Another client has a budget of its own.
        assert!(budget.spend(ClientKey::Person(7), 600, t0).is_ok());
        // 10 points per second come back.
        let later = t0 + Duration::from_secs(10);
        assert_eq!(budget.spend(who(), 200, later).map(|s| s.remaining), Ok(0));
        let full = later + Duration::from_secs(3600);
        let state = budget.spend(who(), 1, full).expect("refilled");
        assert_eq!((state.remaining, state.reset_secs), (599, 1));
    }
}
