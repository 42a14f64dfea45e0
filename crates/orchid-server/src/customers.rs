//! `GET /api/v1/customers/{id}/export`: everything a store holds about one customer, as JSON (a
//! data-subject access request). Erasure is the `customer.erase` mutation, pushed like any other
//! change (see `sync.rs`: the tombstone reaches every device, the logged history is redacted).
use axum::Json;
use axum::extract::{Path, State};
use orchid_core::ids::{CustomerId, EntityKind, EntityRef, StoreId};
use orchid_core::permission::Action;
use orchid_core::sync::{CustomerExport, Mutation, Replica};

use crate::AppState;
use crate::api::{Session, now_ms};
use crate::audit::{self, ServerEntry};
use crate::error::AppError;

pub async fn export(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Json<CustomerExport>, AppError> {
    session.require(Action::CustomerExport)?;
    let id = uuid::Uuid::parse_str(&id)
        .map(CustomerId)
        .map_err(|_| AppError::BadRequest("the customer id is a UUID".into()))?;
    let owner: Option<String> =
        sqlx::query_scalar("SELECT store_id FROM entities WHERE kind = 'customer' AND id = $1")
            .bind(id.to_string())
            .fetch_optional(&state.db.pool)
            .await?;
    // Unknown, erased, or in a store the caller may not see: the same 404.
    let Some(store) = owner else {
        return Err(AppError::NotFound);
    };
    let store = uuid::Uuid::parse_str(&store)
        .map(StoreId)
        .map_err(AppError::internal)?;
    if !session.may_act_in(&state, store).await? {
        return Err(AppError::NotFound);
    }
    // The merged records are not kept on the server (see sync.rs): replay the store's log
    // through the core, which knows how every kind of change merges and what belongs to whom.
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT body FROM changes WHERE store_id = $1 ORDER BY seq")
            .bind(store.to_string())
            .fetch_all(&state.db.pool)
            .await?;
    let mut replica = Replica::new();
    for (body,) in rows {
        let m: Mutation = serde_json::from_str(&body).map_err(AppError::internal)?;
        // Every logged change passed validation when it was pushed; one that no longer does
        // (rules tightened since) is left out rather than failing the export.
        let _ = replica.apply(&m);
    }
    let export = replica.export_customer(id).ok_or(AppError::NotFound)?;
    let mut tx = state.db.begin_write().await?;
    let mut entry = ServerEntry::by(
        &session,
        "customer_exported",
        Some(EntityRef::new(EntityKind::Customer, id)),
    );
    entry.store_id = Some(store);
    audit::server_entry(&mut tx, entry, now_ms()).await?;
    tx.commit().await?;
    Ok(Json(export))
}
