//! Live changes: `POST /api/v1/sync/wait` holds an online device's request open until its store's
//! log moves past the device's cursor (or a timeout), so a change made on one device reaches the
//! others in about a second instead of at their next poll — a critical complaint's alarm included.
//!
//! A long poll, not a socket: plain request and answer, so it passes any proxy, needs no second
//! protocol, and an answer lost on the way costs only the next request. Waiters of a store share
//! one `watch` channel. A push on this server wakes them as it commits; changes written by
//! another server on the same database (or by this one outside a push) are seen by one query a
//! second over the stores' cursor rows — one query for all waiting devices, however many. Every
//! wake-up re-reads the store's cursor from the database, the one truth.
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use orchid_core::ids::StoreId;
use orchid_core::sync::{Cursor, MAX_WAIT_MS, SyncError, WaitAnswer, WaitRequest, check_version};
use tokio::sync::watch;

use crate::AppState;
use crate::api::{ApiJson, Session};
use crate::db::Database;
use crate::error::AppError;

/// How often the cursors of stores with waiting devices are read from the database.
const POLL_EVERY: Duration = Duration::from_secs(1);

/// The waiters of every store; cheap to clone (shared).
#[derive(Clone, Default)]
pub struct Live {
    stores: Arc<Mutex<HashMap<StoreId, Arc<watch::Sender<u64>>>>>,
}

impl Live {
    fn channel(&self, store: StoreId) -> Arc<watch::Sender<u64>> {
        let mut stores = self.stores.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(
            stores
                .entry(store)
                .or_insert_with(|| Arc::new(watch::channel(0).0)),
        )
    }

    /// Wakes the devices waiting on `store` (they re-read its cursor).
    pub fn touched(&self, store: StoreId) {
        let stores = self.stores.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(tx) = stores.get(&store) {
            tx.send_modify(|n| *n = n.wrapping_add(1));
        }
    }

    /// How many requests wait on `store` now.
    pub fn waiting(&self, store: StoreId) -> usize {
        let stores = self.stores.lock().unwrap_or_else(PoisonError::into_inner);
        stores.get(&store).map_or(0, |tx| tx.receiver_count())
    }

    /// The stores somebody waits on.
    fn watched(&self) -> Vec<StoreId> {
        let stores = self.stores.lock().unwrap_or_else(PoisonError::into_inner);
        stores
            .iter()
            .filter(|(_, tx)| tx.receiver_count() > 0)
            .map(|(id, _)| *id)
            .collect()
    }

    /// Reads the cursors of watched stores every second and wakes their waiters when one moved:
    /// changes another server logged, or this one outside a push. Runs for the life of the
    /// runtime.
    pub fn spawn_poller(&self, db: Database) {
        let live = self.clone();
        tokio::spawn(async move {
            let mut seen: HashMap<StoreId, i64> = HashMap::new();
            let mut ticks = tokio::time::interval(POLL_EVERY);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                let watched = live.watched();
                if watched.is_empty() {
                    seen.clear();
                    continue;
                }
                for store in watched {
                    let Ok(last) = last_cursor(&db, store).await else {
                        // The database is away for a moment: the waiters time out and ask again.
                        continue;
                    };
                    // A store seen for the first time wakes its waiters too: a change logged
                    // after they read the cursor and before this first look is not missed.
                    if seen.insert(store, last) != Some(last) {
                        live.touched(store);
                    }
                }
            }
        });
    }
}

/// The store's last cursor (0 before its first change).
async fn last_cursor(db: &Database, store: StoreId) -> Result<i64, AppError> {
    let last: Option<i64> =
        sqlx::query_scalar("SELECT last_seq FROM sync_stores WHERE store_id = $1")
            .bind(store.to_string())
            .fetch_optional(&db.pool)
            .await?;
    Ok(last.unwrap_or(0))
}

pub async fn wait(
    State(state): State<AppState>,
    session: Session,
    ApiJson(request): ApiJson<WaitRequest>,
) -> Result<Json<WaitAnswer>, AppError> {
    check_version(request.format_version)?;
    if !session.may_act_in(&state, request.store_id).await? {
        return Err(SyncError::WrongStore {
            store_id: request.store_id,
        }
        .into());
    }
    let after = i64::try_from(request.cursor.unwrap_or_default().0).unwrap_or(i64::MAX);
    let deadline = tokio::time::Instant::now()
        + Duration::from_millis(u64::from(request.timeout_ms.min(MAX_WAIT_MS)));
    // Subscribed before the first read, so a change committed in between still wakes us.
    let mut woken = state.live.channel(request.store_id).subscribe();
    loop {
        let last = last_cursor(&state.db, request.store_id).await?;
        let answer = |changed| {
            Json(WaitAnswer {
                changed,
                cursor: Cursor(u64::try_from(last).unwrap_or(0)),
            })
        };
        if last > after {
            return Ok(answer(true));
        }
        match tokio::time::timeout_at(deadline, woken.changed()).await {
            Ok(Ok(())) => {}
            // Timed out (or, never, the channel closed): nothing new.
            Ok(Err(_)) | Err(_) => return Ok(answer(false)),
        }
    }
}
