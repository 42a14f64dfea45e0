//! `GET /api/v1/head-office`: the owner's view of the chain — one row per store for a day, the
//! stores that need her first (see `orchid_core::head_office`). Figures come from each store's
//! replayed records (`store_replicas`), so they are the ones the store's own devices show.
use axum::Json;
use axum::extract::State;
use chrono::{NaiveDate, Utc};
use orchid_core::head_office::{StoreDay, most_urgent_first, store_day};
use orchid_core::ids::StoreId;
use orchid_core::permission::Action;
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
    let stores: Vec<(String, String)> =
        sqlx::query_as("SELECT id, name FROM stores ORDER BY created_at, id")
            .fetch_all(&state.db.pool)
            .await?;
    let now = Utc::now();
    let mut rows = Vec::with_capacity(stores.len());
    for (id, name) in stores {
        let store = uuid::Uuid::parse_str(&id)
            .map(StoreId)
            .map_err(AppError::internal)?;
        let mut row = state
            .replicas
            .read(&state.db, store, |view| {
                let offset = view.store(store).map(|s| s.utc_offset).unwrap_or_default();
                let day = query.day.unwrap_or_else(|| offset.local_date(now));
                store_day(view, store, day, now)
            })
            .await?;
        // A store whose settings have not reached its log yet is called what it was opened as.
        if row.name.is_empty() {
            row.name = name;
        }
        rows.push(row);
    }
    most_urgent_first(&mut rows);
    Ok(Json(HeadOffice { stores: rows }))
}
