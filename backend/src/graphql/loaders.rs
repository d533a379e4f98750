//! Per-request batch loaders, so that a list of N items costs a bounded number of SQL
//! statements however long it is.

use std::collections::HashMap;
use std::sync::Arc;

use dataloader::BatchFn;
use dataloader::cached::Loader;

use crate::db::Database;
use crate::domain::DomainError;
use crate::domain::ids::{NeighbourhoodId, UserId};
use crate::domain::neighbourhoods::repo as neighbourhoods_repo;

/// A failed batch, shared by every key of the batch.
pub type Loaded<T> = Result<T, Arc<str>>;

/// Member counts per neighbourhood.
pub struct MemberCounts {
    db: Database,
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
    db: Database,
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
        Err(error) => {
            let shared: Arc<str> = Arc::from(error.to_string());
            keys.iter()
                .map(|k| (*k, Err(Arc::clone(&shared))))
                .collect()
        }
    }
}

/// The loaders of one request.
pub struct Loaders {
    pub member_counts: Loader<NeighbourhoodId, Loaded<i64>, MemberCounts>,
    pub organisers: Loader<NeighbourhoodId, Loaded<Vec<(UserId, String)>>, Organisers>,
}

impl Loaders {
    pub fn new(db: &Database) -> Self {
        Self {
            member_counts: Loader::new(MemberCounts { db: db.clone() }).with_max_batch_size(500),
            organisers: Loader::new(Organisers { db: db.clone() }).with_max_batch_size(500),
        }
    }
}
