//! Changes the server makes itself outside a push (a new staff account becomes a `staff.upsert`,
//! so every device of the store knows the new colleague's name and role without a manager typing
//! it twice; a booking from the store's public page becomes the customer's file, her
//! appointment and its confirmation). They go into the store's log like a device's accepted mutation,
//! under the store's server client id (`orchid_core::sync::server_client_of`), and are checked
//! by the core's rules first.
use chrono::{DateTime, Utc};
use orchid_core::hlc::Hlc;
use orchid_core::ids::StoreId;
use orchid_core::sync::{Change, Mutation, server_actor, server_client_of};
use sqlx::AnyConnection;

use crate::api::Session;
use crate::error::AppError;
use crate::sync::{entity_kind_code, kind_code};

/// Who caused a server change: a signed-in person, or a customer on the public booking page.
pub struct Cause<'a> {
    /// Logged as the change's staff (the person, or the server actor's nil id).
    pub staff_id: String,
    /// Logged as the change's session (the person's, or `online-booking`).
    pub session_id: &'a str,
    /// An owner caused it: the change may carry an owner's role.
    pub by_owner: bool,
}

impl<'a> From<&'a Session> for Cause<'a> {
    fn from(session: &'a Session) -> Self {
        Cause {
            staff_id: session.staff_id.to_string(),
            session_id: &session.id,
            by_owner: session.role == orchid_core::role::Role::Owner,
        }
    }
}

/// Appends `change` to `store`'s log in the caller's transaction (which commits it).
pub async fn append(
    tx: &mut AnyConnection,
    store: StoreId,
    change: Change,
    session: &Session,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    append_by(tx, store, change, Cause::from(session), now).await
}

/// [`append`] for a change no signed-in person caused.
pub async fn append_by(
    tx: &mut AnyConnection,
    store: StoreId,
    change: Change,
    cause: Cause<'_>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    // Locks the store's cursor row until commit, as a push does: cursors commit in order.
    let last_seq: i64 = sqlx::query_scalar(
        "INSERT INTO sync_stores (store_id, last_seq) VALUES ($1, 0)
         ON CONFLICT (store_id) DO UPDATE SET last_seq = sync_stores.last_seq
         RETURNING last_seq",
    )
    .bind(store.to_string())
    .fetch_one(&mut *tx)
    .await?;
    let seq = last_seq + 1;
    let client_id = server_client_of(store);
    let mutation = Mutation {
        client_id,
        mutation_id: u64::try_from(seq).unwrap_or(0),
        hlc: Hlc {
            wall_ms: u64::try_from(now.timestamp_millis()).unwrap_or(0),
            counter: 0,
            node: client_id,
        },
        // The server speaks with a manager's authority, or an owner's when an owner caused the
        // change: only then may it carry an owner's role (the core refuses a role above the
        // actor's own, on the server and on every device that pulls it).
        actor: orchid_core::sync::Actor {
            role: if cause.by_owner {
                orchid_core::role::Role::Owner
            } else {
                server_actor().role
            },
            ..server_actor()
        },
        store_id: store,
        change,
    };
    // Our own change failing the core's rules is a bug here, not the caller's fault.
    mutation
        .validate()
        .map_err(|e| AppError::internal(std::io::Error::other(e.to_string())))?;
    let entity = mutation.change.entity();
    sqlx::query(
        "INSERT INTO entities (kind, id, store_id) VALUES ($1, $2, $3)
         ON CONFLICT (kind, id) DO NOTHING",
    )
    .bind(entity_kind_code(&entity))
    .bind(entity.id.to_string())
    .bind(store.to_string())
    .execute(&mut *tx)
    .await?;
    let body = serde_json::to_string(&mutation).map_err(AppError::internal)?;
    sqlx::query(
        "INSERT INTO changes (store_id, seq, client_id, mutation_id, staff_id, session_id,
                              kind, entity_kind, entity_id, customer_id, body, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(store.to_string())
    .bind(seq)
    .bind(client_id.to_string())
    .bind(seq)
    .bind(cause.staff_id)
    .bind(cause.session_id.to_owned())
    .bind(kind_code(&mutation.change))
    .bind(entity_kind_code(&entity))
    .bind(entity.id.to_string())
    // Her changes name her, so that erasing her redacts them as it redacts a device's.
    .bind(mutation.change.customer().map(|c| c.to_string()))
    .bind(body)
    .bind(now.timestamp_millis())
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE sync_stores SET last_seq = $1 WHERE store_id = $2")
        .bind(seq)
        .bind(store.to_string())
        .execute(&mut *tx)
        .await?;
    Ok(())
}
