//! `GET /api/v1/head-office`: the owner's view of the chain — one row per store for a day, the
//! stores that need her first (see `orchid_core::head_office`). Figures come from each store's
//! replayed records (`store_replicas`), so they are the ones the store's own devices show.
//!
//! `GET /api/v1/head-office/monthly`: the chain's monthly supervision report — each store's and
//! one over all of them (`orchid_core::monthly_report::chain_report`), from the same records.
use axum::Json;
use axum::extract::State;
use chrono::{Datelike, NaiveDate, Utc};
use orchid_core::head_office::{StoreDay, most_urgent_first, store_day};
use orchid_core::ids::StoreId;
use orchid_core::monthly_report::{ChainMonth, ChainPart, Records, chain_report};
use orchid_core::permission::Action;
use orchid_core::sync::Replica;
use orchid_core::time::UtcOffset;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::api::{ApiQuery, Session};
use crate::error::AppError;

#[derive(Deserialize)]
pub struct HeadOfficeQuery {
    /// The local day (`YYYY-MM-DD`) in each store's own time zone; default: each store's today.
    pub day: Option<NaiveDate>,
}

#[derive(Serialize)]
pub struct HeadOffice {
    /// One row per store, the most urgent first.
    pub stores: Vec<StoreDay>,
}

pub async fn today(
    State(state): State<AppState>,
    session: Session,
    ApiQuery(query): ApiQuery<HeadOfficeQuery>,
) -> Result<Json<HeadOffice>, AppError> {
    session.require(Action::ChainView)?;
    let now = Utc::now();
    let mut rows: Vec<StoreDay> = each_store(&state, |view, store, offset| {
        let day = query.day.unwrap_or_else(|| offset.local_date(now));
        store_day(view, store, day, now)
    })
    .await?
    .into_iter()
    .map(|each| StoreDay {
        name: each.name,
        ..each.read
    })
    .collect();
    most_urgent_first(&mut rows);
    Ok(Json(HeadOffice { stores: rows }))
}

/// What `read` found in one store's records, with the store's name and time zone.
struct StoreRead<T> {
    store: StoreId,
    name: String,
    offset: UtcOffset,
    read: T,
}

/// Runs `read` on every store's records, in the order the stores were opened. A store whose
/// settings have not reached its log yet is called what it was opened as, in UTC.
async fn each_store<T>(
    state: &AppState,
    read: impl Fn(&Replica, StoreId, UtcOffset) -> T,
) -> Result<Vec<StoreRead<T>>, AppError> {
    let stores: Vec<(String, String)> =
        sqlx::query_as("SELECT id, name FROM stores ORDER BY created_at, id")
            .fetch_all(&state.db.pool)
            .await?;
    let mut found = Vec::with_capacity(stores.len());
    for (id, opened_as) in stores {
        let store = uuid::Uuid::parse_str(&id)
            .map(StoreId)
            .map_err(AppError::internal)?;
        let (named, offset, read) = state
            .replicas
            .read(&state.db, store, |view| {
                let record = view.store(store);
                let named = record.as_ref().map(|s| s.name.to_string());
                let offset = record.map(|s| s.utc_offset).unwrap_or_default();
                (named, offset, read(view, store, offset))
            })
            .await?;
        let name = named.filter(|named| !named.is_empty()).unwrap_or(opened_as);
        found.push(StoreRead {
            store,
            name,
            offset,
            read,
        });
    }
    Ok(found)
}

#[derive(Deserialize)]
pub struct ChainMonthQuery {
    /// Any day of the month (`YYYY-MM-DD`); default: the month of the first store's today.
    pub month: Option<NaiveDate>,
}

/// The chain's monthly supervision report (the owner).
pub async fn monthly(
    State(state): State<AppState>,
    session: Session,
    ApiQuery(query): ApiQuery<ChainMonthQuery>,
) -> Result<Json<ChainMonth>, AppError> {
    session.require(Action::ChainView)?;
    let now = Utc::now();
    let gathered = each_store(&state, |view, store, _| Records::of(view, store, now)).await?;
    let first_day = |day: NaiveDate| day.with_day(1).unwrap_or(day);
    let month = first_day(query.month.unwrap_or_else(|| {
        let offset = gathered.first().map(|each| each.offset).unwrap_or_default();
        offset.local_date(now)
    }));
    let parts: Vec<ChainPart<'_>> = gathered
        .iter()
        .map(|each| ChainPart {
            store_id: each.store,
            name: &each.name,
            offset: each.offset,
            sources: each.read.sources(),
        })
        .collect();
    Ok(Json(chain_report(month, now, &parts)))
}
