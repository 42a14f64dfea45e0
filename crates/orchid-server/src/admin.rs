//! Stores, staff accounts and devices (sessions): what the owner and managers manage on the
//! server itself. Accounts (login, password, role) live only here; the staff *record* devices
//! show (name, phone, skills) syncs as `staff.upsert` mutations like any other record.
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use orchid_core::ids::{EntityKind, EntityRef, StaffId, StoreId};
use orchid_core::permission::Action;
use orchid_core::role::Role;
use orchid_core::staff::StaffField;
use orchid_core::sync::Change;
use orchid_core::text::Name;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::api::{ApiJson, ApiQuery, Session, now_ms};
use crate::audit::{self, ServerEntry};
use crate::auth::{MIN_PASSWORD_CHARS, hash_password};
use crate::error::AppError;
use crate::server_change;

#[derive(Deserialize)]
pub struct NewStore {
    pub name: String,
}

#[derive(Serialize)]
pub struct StoreRow {
    pub id: String,
    pub name: String,
    pub created_at: String,
}

#[derive(Serialize)]
pub struct StoreList {
    pub stores: Vec<StoreRow>,
}

fn checked_name(name: &str, what: &str) -> Result<String, AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(AppError::InvalidBody(format!(
            "{what} must be 1 to 100 characters, without control characters"
        )));
    }
    Ok(name.to_owned())
}

/// `POST /api/v1/stores`: the owner opens a store of the chain.
pub async fn create_store(
    State(state): State<AppState>,
    session: Session,
    ApiJson(new): ApiJson<NewStore>,
) -> Result<(StatusCode, Json<StoreRow>), AppError> {
    if session.role != Role::Owner {
        return Err(AppError::Forbidden("only the owner opens stores".into()));
    }
    let name = checked_name(&new.name, "a store's name")?;
    let id = StoreId(uuid::Uuid::now_v7());
    let created_at = Utc::now().to_rfc3339();
    let mut tx = state.db.begin_write().await?;
    sqlx::query("INSERT INTO stores (id, name, created_at) VALUES ($1, $2, $3)")
        .bind(id.to_string())
        .bind(&name)
        .bind(&created_at)
        .execute(&mut *tx)
        .await?;
    audit::server_entry(
        &mut tx,
        ServerEntry::by(
            &session,
            "store_created",
            Some(EntityRef::new(EntityKind::Store, id)),
        ),
        now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(StoreRow {
            id: id.to_string(),
            name,
            created_at,
        }),
    ))
}

/// `GET /api/v1/stores`: the stores the caller may act in.
pub async fn list_stores(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<StoreList>, AppError> {
    let rows: Vec<(String, String, String)> = if session.role == Role::Owner {
        sqlx::query_as("SELECT id, name, created_at FROM stores ORDER BY created_at, id")
            .fetch_all(&state.db.pool)
            .await?
    } else {
        sqlx::query_as("SELECT id, name, created_at FROM stores WHERE id = $1")
            .bind(session.store_id.to_string())
            .fetch_all(&state.db.pool)
            .await?
    };
    Ok(Json(StoreList {
        stores: rows
            .into_iter()
            .map(|(id, name, created_at)| StoreRow {
                id,
                name,
                created_at,
            })
            .collect(),
    }))
}

#[derive(Deserialize)]
pub struct NewStaff {
    /// The store (default: the caller's).
    pub store_id: Option<StoreId>,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub password: String,
}

#[derive(Serialize)]
pub struct StaffRow {
    pub id: String,
    pub store_id: String,
    pub login: String,
    pub display_name: String,
    pub role: String,
    pub created_at: String,
}

#[derive(Serialize)]
pub struct StaffList {
    pub staff: Vec<StaffRow>,
}

#[derive(Deserialize)]
pub struct StoreQuery {
    /// The store (default: the caller's).
    pub store_id: Option<StoreId>,
}

/// The store a management request is about, if the caller may manage it.
async fn managed_store(
    state: &AppState,
    session: &Session,
    store: Option<StoreId>,
) -> Result<StoreId, AppError> {
    session.require(Action::StaffManage)?;
    let store = store.unwrap_or(session.store_id);
    if !session.may_act_in(state, store).await? {
        return Err(orchid_core::sync::SyncError::WrongStore { store_id: store }.into());
    }
    Ok(store)
}

/// `POST /api/v1/staff`: a manager (own store) or the owner (any store) creates an account.
/// Only the owner creates owner accounts.
pub async fn create_staff(
    State(state): State<AppState>,
    session: Session,
    ApiJson(new): ApiJson<NewStaff>,
) -> Result<(StatusCode, Json<StaffRow>), AppError> {
    let store = managed_store(&state, &session, new.store_id).await?;
    if new.role == Role::Owner && session.role != Role::Owner {
        return Err(AppError::Forbidden(
            "only the owner creates owner accounts".into(),
        ));
    }
    let login = new.login.trim().to_owned();
    if login.is_empty()
        || login.chars().count() > 64
        || !login
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
    {
        return Err(AppError::InvalidBody(
            "a login is 1 to 64 letters, digits, `.`, `_`, `-` or `@`".into(),
        ));
    }
    let display_name = checked_name(&new.display_name, "a display name")?;
    if new.password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AppError::InvalidBody(format!(
            "a password is at least {MIN_PASSWORD_CHARS} characters long"
        )));
    }
    let taken: Option<String> = sqlx::query_scalar("SELECT id FROM staff WHERE login = $1")
        .bind(&login)
        .fetch_optional(&state.db.pool)
        .await?;
    if taken.is_some() {
        return Err(AppError::Conflict(format!(
            "the login `{login}` is taken; choose another"
        )));
    }
    let password = new.password;
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(AppError::internal)?
        .map_err(|e| AppError::InvalidBody(e.to_string()))?;
    let id = StaffId(uuid::Uuid::now_v7());
    let created_at = Utc::now().to_rfc3339();
    let mut tx = state.db.begin_write().await?;
    let inserted = sqlx::query(
        "INSERT INTO staff (id, store_id, login, display_name, role, password_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (login) DO NOTHING",
    )
    .bind(id.to_string())
    .bind(store.to_string())
    .bind(&login)
    .bind(&display_name)
    .bind(new.role.code())
    .bind(hash)
    .bind(&created_at)
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(AppError::Conflict(format!(
            "the login `{login}` is taken; choose another"
        )));
    }
    let mut entry = ServerEntry::by(
        &session,
        "staff_created",
        Some(EntityRef::new(EntityKind::Staff, id)),
    );
    entry.store_id = Some(store);
    entry.note = format!("{login} as {}", new.role.code());
    audit::server_entry(&mut tx, entry, now_ms()).await?;
    // Every device of the store learns the new colleague (calendar columns, PIN unlock, routing).
    let name = Name::parse(&display_name).map_err(|e| AppError::InvalidBody(e.to_string()))?;
    let upsert = Change::StaffUpsert {
        id,
        fields: vec![
            StaffField::Name(name),
            StaffField::Role(new.role),
            StaffField::Active(true),
        ],
    };
    server_change::append(&mut tx, store, upsert, &session, Utc::now()).await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(StaffRow {
            id: id.to_string(),
            store_id: store.to_string(),
            login,
            display_name,
            role: new.role.code().to_owned(),
            created_at,
        }),
    ))
}

/// `GET /api/v1/staff`: the accounts of a store.
pub async fn list_staff(
    State(state): State<AppState>,
    session: Session,
    ApiQuery(query): ApiQuery<StoreQuery>,
) -> Result<Json<StaffList>, AppError> {
    let store = managed_store(&state, &session, query.store_id).await?;
    let rows: Vec<(String, String, String, String, String, String)> = sqlx::query_as(
        "SELECT id, store_id, login, display_name, role, created_at FROM staff
         WHERE store_id = $1 ORDER BY created_at, id",
    )
    .bind(store.to_string())
    .fetch_all(&state.db.pool)
    .await?;
    Ok(Json(StaffList {
        staff: rows
            .into_iter()
            .map(
                |(id, store_id, login, display_name, role, created_at)| StaffRow {
                    id,
                    store_id,
                    login,
                    display_name,
                    role,
                    created_at,
                },
            )
            .collect(),
    }))
}

#[derive(Serialize)]
pub struct DeviceRow {
    /// The session's id (for revoking).
    pub id: String,
    pub staff_id: String,
    pub staff_name: String,
    pub role: String,
    /// The name the device gave at sign-in.
    pub device: String,
    pub signed_in_at: String,
    pub expires_at: String,
    pub last_seen_at: Option<String>,
    pub address: Option<String>,
    pub revoked_at: Option<String>,
    /// Whether an offline PIN was set on this device.
    pub pin_set: bool,
    /// The session making this request.
    pub current: bool,
}

#[derive(Serialize)]
pub struct DeviceList {
    pub devices: Vec<DeviceRow>,
}

type DeviceDbRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<i64>,
);

fn ms_to_text(ms: i64) -> Option<String> {
    DateTime::<Utc>::from_timestamp_millis(ms).map(|t| t.to_rfc3339())
}

/// `GET /api/v1/devices`: every signed-in device of a store's staff, newest first.
pub async fn list_devices(
    State(state): State<AppState>,
    session: Session,
    ApiQuery(query): ApiQuery<StoreQuery>,
) -> Result<Json<DeviceList>, AppError> {
    let store = managed_store(&state, &session, query.store_id).await?;
    let rows: Vec<DeviceDbRow> = sqlx::query_as(
        "SELECT s.id, st.id, st.display_name, st.role, s.device, s.created_at, s.expires_at,
                s.last_seen_at, s.address, s.revoked_at, s.pin_set_at
         FROM sessions s JOIN staff st ON st.id = s.staff_id
         WHERE st.store_id = $1
         ORDER BY s.created_at DESC, s.id",
    )
    .bind(store.to_string())
    .fetch_all(&state.db.pool)
    .await?;
    Ok(Json(DeviceList {
        devices: rows
            .into_iter()
            .map(|r| DeviceRow {
                current: r.0 == session.id,
                id: r.0,
                staff_id: r.1,
                staff_name: r.2,
                role: r.3,
                device: r.4,
                signed_in_at: r.5,
                expires_at: r.6,
                last_seen_at: r.7.and_then(ms_to_text),
                address: r.8,
                revoked_at: r.9,
                pin_set: r.10.is_some(),
            })
            .collect(),
    }))
}

#[derive(Serialize)]
pub struct Revoked {
    pub id: String,
    pub revoked_at: String,
}

/// `POST /api/v1/devices/{id}/revoke`: signs a device out for good. Managers revoke any device
/// of their store (the owner any store's); anyone may revoke their own session (sign out).
pub async fn revoke_device(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Json<Revoked>, AppError> {
    let row: Option<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT st.store_id, st.id, s.revoked_at FROM sessions s JOIN staff st ON st.id = s.staff_id
         WHERE s.id = $1",
    )
    .bind(&id)
    .fetch_optional(&state.db.pool)
    .await?;
    // An unknown id and another store's device answer alike: nothing tells which ids exist.
    let Some((store, staff_id, revoked_at)) = row else {
        return Err(AppError::NotFound);
    };
    let store = uuid::Uuid::parse_str(&store)
        .map(StoreId)
        .map_err(AppError::internal)?;
    if id != session.id {
        let manages = orchid_core::permission::allowed(
            session.role,
            Action::StaffManage,
            orchid_core::permission::Sensitivity::Ordinary,
        );
        if !manages || !session.may_act_in(&state, store).await? {
            return Err(AppError::NotFound);
        }
    }
    if let Some(revoked_at) = revoked_at {
        return Ok(Json(Revoked { id, revoked_at }));
    }
    let revoked_at = Utc::now().to_rfc3339();
    let mut tx = state.db.begin_write().await?;
    sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
        .bind(&revoked_at)
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    let mut entry = ServerEntry::by(&session, "device_revoked", None);
    entry.store_id = Some(store);
    entry.note = format!("session {id} of staff {staff_id}");
    audit::server_entry(&mut tx, entry, now_ms()).await?;
    tx.commit().await?;
    Ok(Json(Revoked { id, revoked_at }))
}
