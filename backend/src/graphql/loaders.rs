//! Per-request batch loaders, so that a list of N items costs a bounded number of SQL
//! statements however long it is. Each loader runs on the request's one connection.
//!
//! To add one: a struct holding the `RequestDb`, a `BatchFn` that reads every key in one
//! statement (a repo function taking `&[Key]`), a field in `Loaders`, and a resolver that calls
//! `try_load(key)` (see `Neighbourhood.memberCount`).

use std::collections::HashMap;

use dataloader::BatchFn;
use dataloader::cached::Loader;

use crate::db::RequestDb;
use crate::domain::DomainError;
use crate::domain::campaigns::{Campaign, repo as campaigns_repo};
use crate::domain::grievances::Timeline;
use crate::domain::grievances::service as grievances;
use crate::domain::ids::{CampaignId, GrievanceId, NeighbourhoodId, UserId};
use crate::domain::neighbourhoods::repo as neighbourhoods_repo;

/// A value of a batch, or the batch's failure (given to every key of the batch).
pub type Loaded<T> = Result<T, DomainError>;

/// Member counts per neighbourhood.
pub struct MemberCounts {
    db: RequestDb,
}

impl BatchFn<NeighbourhoodId, Loaded<i64>> for MemberCounts {
    async fn load(&mut self, keys: &[NeighbourhoodId]) -> HashMap<NeighbourhoodId, Loaded<i64>> {
        let ids = keys.to_vec();
        let result = self
            .db
            .run(move |conn| {
                neighbourhoods_repo::member_counts(conn, &ids).map_err(DomainError::from)
            })
            .await;
        spread(keys, result, |map, key| map.get(key).copied().unwrap_or(0))
    }
}

/// Organisers (id, display name) per neighbourhood.
pub struct Organisers {
    db: RequestDb,
}

impl BatchFn<NeighbourhoodId, Loaded<Vec<(UserId, String)>>> for Organisers {
    async fn load(
        &mut self,
        keys: &[NeighbourhoodId],
    ) -> HashMap<NeighbourhoodId, Loaded<Vec<(UserId, String)>>> {
        let ids = keys.to_vec();
        let result = self
            .db
            .run(move |conn| neighbourhoods_repo::organisers(conn, &ids).map_err(DomainError::from))
            .await;
        spread(keys, result, |map, key| {
            map.get(key).cloned().unwrap_or_default()
        })
    }
}

/// The updates and status history per grievance (one statement for both).
pub struct Timelines {
    db: RequestDb,
}

impl BatchFn<GrievanceId, Loaded<Timeline>> for Timelines {
    async fn load(&mut self, keys: &[GrievanceId]) -> HashMap<GrievanceId, Loaded<Timeline>> {
        let ids = keys.to_vec();
        let result = self
            .db
            .run(move |conn| grievances::timelines(conn, &ids))
            .await;
        spread(keys, result, |map, key| {
            map.get(key).cloned().unwrap_or_default()
        })
    }
}

/// The short form of campaigns (for `Grievance.campaign`).
pub struct CampaignLinks {
    db: RequestDb,
}

impl BatchFn<CampaignId, Loaded<Option<Campaign>>> for CampaignLinks {
    async fn load(&mut self, keys: &[CampaignId]) -> HashMap<CampaignId, Loaded<Option<Campaign>>> {
        let ids = keys.to_vec();
        let result = self
            .db
            .run(move |conn| campaigns_repo::find_many(conn, &ids).map_err(DomainError::from))
            .await;
        spread(keys, result, |map, key| map.get(key).cloned())
    }
}

/// Give every key its value from one batch result (or the batch's error).
fn spread<K, M, V>(
    keys: &[K],
    result: Result<M, DomainError>,
    pick: impl Fn(&M, &K) -> V,
) -> HashMap<K, Loaded<V>>
where
    K: Copy + Eq + std::hash::Hash,
{
    match result {
        Ok(map) => keys.iter().map(|k| (*k, Ok(pick(&map, k)))).collect(),
        Err(error) => keys.iter().map(|k| (*k, Err(error.clone()))).collect(),
    }
}

/// The loaders of one request.
pub struct Loaders {
    pub member_counts: Loader<NeighbourhoodId, Loaded<i64>, MemberCounts>,
    pub organisers: Loader<NeighbourhoodId, Loaded<Vec<(UserId, String)>>, Organisers>,
    pub timelines: Loader<GrievanceId, Loaded<Timeline>, Timelines>,
    pub campaign_links: Loader<CampaignId, Loaded<Option<Campaign>>, CampaignLinks>,
}

impl Loaders {
    pub fn new(db: &RequestDb) -> Self {
        Self {
            member_counts: Loader::new(MemberCounts { db: db.clone() }).with_max_batch_size(500),
            organisers: Loader::new(Organisers { db: db.clone() }).with_max_batch_size(500),
            timelines: Loader::new(Timelines { db: db.clone() }).with_max_batch_size(500),
            campaign_links: Loader::new(CampaignLinks { db: db.clone() }).with_max_batch_size(500),
        }
    }

    /// The timeline of one grievance, batched with the others the request asks for.
    pub async fn timeline(
        &self,
        context: &super::Context,
        id: GrievanceId,
    ) -> super::GqlResult<Timeline> {
        loaded(self.timelines.try_load(id).await, context)
    }
}

impl Loaders {
    /// The short form of a campaign, batched with the others the request asks for.
    pub async fn campaign_link(
        &self,
        context: &super::Context,
        id: CampaignId,
    ) -> super::GqlResult<Option<super::campaigns::CampaignLink>> {
        let found = loaded(self.campaign_links.try_load(id).await, context)?;
        Ok(found.map(super::campaigns::CampaignLink))
    }
}

/// The value of a `try_load`, or the batch's failure as a GraphQL error.
pub fn loaded<T>(
    result: Result<Loaded<T>, std::io::Error>,
    context: &super::Context,
) -> super::GqlResult<T> {
    match result {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(context.fail(error)),
        Err(cause) => Err(context.fail(DomainError::Internal(cause.to_string()))),
    }
}
