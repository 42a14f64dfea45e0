//! Each store's merged records, kept in memory between requests that need them (the head-office
//! figures, a new store copying another's catalogue). The server keeps only the change log (see
//! `sync.rs`); the records are the core's replay of it. A cached replay is brought up to date with
//! the changes logged since, so a request costs the new changes, not the store's whole history —
//! and a second server on the same database simply keeps its own cache.
use std::collections::HashMap;
use std::sync::Arc;

use orchid_core::ids::StoreId;
use orchid_core::sync::{Mutation, Replica};
use tokio::sync::Mutex;

use crate::db::Database;
use crate::error::AppError;

/// A store's replay and the last log position in it.
struct Replayed {
    through_seq: i64,
    replica: Replica,
}

/// The cache; cheap to clone (shared).
#[derive(Clone, Default)]
pub struct StoreReplicas {
    stores: Arc<Mutex<HashMap<StoreId, Arc<Mutex<Replayed>>>>>,
}

/// How many logged changes one query reads while catching up.
const PAGE: i64 = 2_000;

impl StoreReplicas {
    /// Runs `read` on `store`'s records as of the latest logged change.
    pub async fn read<R>(
        &self,
        db: &Database,
        store: StoreId,
        read: impl FnOnce(&Replica) -> R,
    ) -> Result<R, AppError> {
        let entry = {
            let mut stores = self.stores.lock().await;
            stores
                .entry(store)
                .or_insert_with(|| {
                    Arc::new(Mutex::new(Replayed {
                        through_seq: 0,
                        replica: Replica::new(),
                    }))
                })
                .clone()
        };
        // One store catching up does not hold up the others.
        let mut replayed = entry.lock().await;
        loop {
            let rows: Vec<(i64, String)> = sqlx::query_as(
                "SELECT seq, body FROM changes WHERE store_id = $1 AND seq > $2
                 ORDER BY seq LIMIT $3",
            )
            .bind(store.to_string())
            .bind(replayed.through_seq)
            .bind(PAGE)
            .fetch_all(&db.pool)
            .await?;
            let full_page = rows.len() as i64 == PAGE;
            for (seq, body) in rows {
                let mutation: Mutation = serde_json::from_str(&body).map_err(AppError::internal)?;
                // Every logged change passed the core's rules when it was pushed; one that no
                // longer does (rules tightened since) is left out, as every device leaves it out.
                let _ = replayed.replica.apply(&mutation);
                replayed.through_seq = seq;
            }
            if !full_page {
                break;
            }
        }
        Ok(read(&replayed.replica))
    }
}
