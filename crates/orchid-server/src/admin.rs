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
use crate::auth::hash_password;
use crate::error::AppError;
use crate::server_change;

#[derive(Deserialize)]
pub struct NewStore {
    pub name: String,
    /// Where it is.
    #[serde(default)]
    pub address: Option<String>,
    /// Its time zone, as minutes from UTC (default: the copied store's, else China's).
    #[serde(default)]
    pub utc_offset_minutes: Option<i32>,
    /// A store of the chain whose opening hours, settings, time zone and active services the new
    /// store starts with (each can be changed afterwards in the new store's set-up).
    #[serde(default)]
    pub copy_from: Option<StoreId>,
}

/// The new store's first records: its settings (and the copied store's services), made by the
/// server in the new store's log so that every device that joins the store starts from them.
async fn first_records(
    state: &AppState,
    session: &Session,
    id: StoreId,
    name: &str,
    new: &NewStore,
) -> Result<Vec<Change>, AppError> {
    use orchid_core::catalog::CatalogField;
    use orchid_core::record::FieldSet;
    use orchid_core::store::{Store, StoreField};
    use orchid_core::text::Label;
    use orchid_core::time::UtcOffset;

    let copied = match new.copy_from {
        Some(from) => {
            if !session.may_act_in(state, from).await? {
                return Err(AppError::NotFound);
            }
            state
                .replicas
                .read(&state.db, from, |view| {
                    (view.store(from), view.catalog(from))
                })
                .await?
        }
        None => (None, Vec::new()),
    };
    let name =
        Name::parse(name).map_err(|e| crate::input::refused(e.code(), "the store's name"))?;
    let mut store = match copied.0 {
        Some(from) => Store { id, name, ..from },
        None => Store::new(id, name),
    };
    store.address = match new.address.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(
            Label::parse(text)
                .map_err(|e| crate::input::refused(e.code(), "the store's address"))?,
        ),
    };
    if let Some(minutes) = new.utc_offset_minutes {
        store.utc_offset = UtcOffset::from_minutes(minutes).map_err(|e| {
            crate::input::refused(e.code(), "the time zone is between UTC−12:00 and UTC+14:00")
        })?;
    }
    let mut changes = vec![Change::StoreUpsert {
        id,
        fields: StoreField::all_from(&store),
    }];
    for mut service in copied.1.into_iter().filter(|s| s.active) {
        // The standard use names the other store's products; the new store has none yet and
        // sets its own once it has them.
        service.standard_use.clear();
        let fields = CatalogField::all_from(&service);
        changes.push(Change::CatalogUpsert {
            id: orchid_core::ids::ServiceId(uuid::Uuid::now_v7()),
            fields,
        });
    }
    Ok(changes)
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

/// `POST /api/v1/stores`: the owner opens a store of the chain.
pub async fn create_store(
    State(state): State<AppState>,
    session: Session,
    ApiJson(new): ApiJson<NewStore>,
) -> Result<(StatusCode, Json<StoreRow>), AppError> {
    if session.role != Role::Owner {
        return Err(AppError::Forbidden("only the owner opens stores".into()));
    }
    let name = crate::input::checked_name(&new.name)?;
    let id = StoreId(uuid::Uuid::now_v7());
    let records = first_records(&state, &session, id, &name, &new).await?;
    let now = Utc::now();
    let created_at = now.to_rfc3339();
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
    for change in records {
        server_change::append(&mut tx, id, change, &session, now).await?;
    }
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
        // Her own store first, then those she also works in (a UNION's order is not promised).
        sqlx::query_as(
            "SELECT id, name, created_at FROM stores
              WHERE id = $1
                 OR id IN (SELECT store_id FROM staff_stores WHERE staff_id = $2)
              ORDER BY CASE WHEN id = $1 THEN 0 ELSE 1 END, created_at, id",
        )
        .bind(session.store_id.to_string())
        .bind(session.staff_id.to_string())
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
    /// A member of staff already on the store's records (made on a device) who gets a login;
    /// none: a new person.
    #[serde(default)]
    pub staff_id: Option<StaffId>,
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
    /// False once deactivated: no sign-in, no session.
    pub active: bool,
    /// The password was reset and the person has not chosen her own yet.
    pub must_change_password: bool,
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
    // Nobody grants a role above their own: a manager never makes an owner.
    if !session.role.may_grant(new.role) {
        return Err(AppError::Forbidden(format!(
            "a {} may not create a {} account",
            session.role.code(),
            new.role.code()
        )));
    }
    let login = crate::input::new_login(&new.login)?;
    let display_name = crate::input::checked_name(&new.display_name)?;
    crate::input::check_password(&new.password)?;
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
    let id = new.staff_id.unwrap_or(StaffId(uuid::Uuid::now_v7()));
    let created_at = Utc::now().to_rfc3339();
    let mut tx = state.db.begin_write().await?;
    if new.staff_id.is_some() {
        let account: Option<String> = sqlx::query_scalar("SELECT id FROM staff WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&mut *tx)
            .await?;
        if account.is_some() {
            return Err(AppError::Conflict(
                "this person has a login already; reset her password instead".into(),
            ));
        }
        let record_store: Option<String> =
            sqlx::query_scalar("SELECT store_id FROM entities WHERE kind = $1 AND id = $2")
                .bind(audit::code_of(&EntityKind::Staff))
                .bind(id.to_string())
                .fetch_optional(&mut *tx)
                .await?;
        if record_store.is_some_and(|s| s != store.to_string()) {
            return Err(orchid_core::sync::SyncError::EntityInOtherStore.into());
        }
    }
    // Someone else chose this first password: the person replaces it at her first sign-in.
    let inserted = sqlx::query(
        "INSERT INTO staff (id, store_id, login, display_name, role, password_hash, created_at,
                            must_change_password)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 1) ON CONFLICT (login) DO NOTHING",
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
            active: true,
            must_change_password: true,
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
    let rows: Vec<StaffDbRow> = sqlx::query_as(
        "SELECT id, store_id, login, display_name, role, created_at, deactivated_at,
                must_change_password
         FROM staff WHERE store_id = $1 ORDER BY created_at, id",
    )
    .bind(store.to_string())
    .fetch_all(&state.db.pool)
    .await?;
    Ok(Json(StaffList {
        staff: rows.into_iter().map(staff_row).collect(),
    }))
}

type StaffDbRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    Option<i64>,
    i64,
);

fn staff_row(r: StaffDbRow) -> StaffRow {
    StaffRow {
        id: r.0,
        store_id: r.1,
        login: r.2,
        display_name: r.3,
        role: r.4,
        created_at: r.5,
        active: r.6.is_none(),
        must_change_password: r.7 != 0,
    }
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
    let row: Option<(String, String, Option<String>, String)> = sqlx::query_as(
        "SELECT st.store_id, st.id, s.revoked_at, st.role
         FROM sessions s JOIN staff st ON st.id = s.staff_id
         WHERE s.id = $1",
    )
    .bind(&id)
    .fetch_optional(&state.db.pool)
    .await?;
    // An unknown id and another store's device answer alike: nothing tells which ids exist.
    let Some((store, staff_id, revoked_at, role)) = row else {
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
        // Signing someone out is power over her account: only over roles one may grant (a
        // manager cannot sign the owner out).
        let role = Role::from_code(&role).ok_or_else(|| {
            AppError::internal(std::io::Error::other(format!("unknown role {role}")))
        })?;
        if !session.role.may_grant(role) {
            return Err(AppError::Forbidden(format!(
                "a {} may not sign out a {}",
                session.role.code(),
                role.code()
            )));
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

/// The account a management request is about, once the caller may act on it: an unknown id and
/// another store's staff (for a manager) answer alike, 404; an account whose role the caller may
/// not grant (a manager and the owner's account) is 403.
struct Target {
    id: StaffId,
    store: StoreId,
    role: Role,
}

async fn target_staff(state: &AppState, session: &Session, id: &str) -> Result<Target, AppError> {
    session.require(Action::StaffManage)?;
    let Ok(uuid) = uuid::Uuid::parse_str(id) else {
        return Err(AppError::NotFound);
    };
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT store_id, role FROM staff WHERE id = $1")
            .bind(uuid.to_string())
            .fetch_optional(&state.db.pool)
            .await?;
    let Some((store, role)) = row else {
        return Err(AppError::NotFound);
    };
    let store = uuid::Uuid::parse_str(&store)
        .map(StoreId)
        .map_err(AppError::internal)?;
    if !session.may_act_in(state, store).await? {
        return Err(AppError::NotFound);
    }
    let role = Role::from_code(&role)
        .ok_or_else(|| AppError::internal(std::io::Error::other(format!("unknown role {role}"))))?;
    if !session.role.may_grant(role) {
        return Err(AppError::Forbidden(format!(
            "a {} may not change a {}'s account",
            session.role.code(),
            role.code()
        )));
    }
    Ok(Target {
        id: StaffId(uuid),
        store,
        role,
    })
}

/// Her own store and those she also works in: where a change to her staff record is logged.
async fn stores_of(
    tx: &mut sqlx::AnyConnection,
    target: &Target,
) -> Result<Vec<StoreId>, AppError> {
    let others: Vec<String> =
        sqlx::query_scalar("SELECT store_id FROM staff_stores WHERE staff_id = $1")
            .bind(target.id.to_string())
            .fetch_all(&mut *tx)
            .await?;
    let mut stores = vec![target.store];
    for other in others {
        stores.push(
            uuid::Uuid::parse_str(&other)
                .map(StoreId)
                .map_err(AppError::internal)?,
        );
    }
    Ok(stores)
}

fn not_yourself(session: &Session, target: &Target, what: &str) -> Result<(), AppError> {
    if session.staff_id == target.id {
        return Err(AppError::Forbidden(format!("nobody may {what} herself")));
    }
    Ok(())
}

async fn staff_by_id(state: &AppState, id: StaffId) -> Result<StaffRow, AppError> {
    let row: Option<StaffDbRow> = sqlx::query_as(
        "SELECT id, store_id, login, display_name, role, created_at, deactivated_at,
                must_change_password
         FROM staff WHERE id = $1",
    )
    .bind(id.to_string())
    .fetch_optional(&state.db.pool)
    .await?;
    row.map(staff_row).ok_or(AppError::NotFound)
}

/// Ends every live session of `staff` (all of them, or all but `keep`); answers how many.
pub async fn end_sessions(
    conn: &mut sqlx::AnyConnection,
    staff: StaffId,
    keep: Option<&str>,
    now: chrono::DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE sessions SET revoked_at = $1
         WHERE staff_id = $2 AND revoked_at IS NULL AND id <> $3",
    )
    .bind(now.to_rfc3339())
    .bind(staff.to_string())
    .bind(keep.unwrap_or_default())
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Deactivates or reactivates an account; devices learn it as `staff.upsert` (active).
async fn set_active(
    state: AppState,
    session: Session,
    id: String,
    active: bool,
) -> Result<Json<StaffRow>, AppError> {
    let target = target_staff(&state, &session, &id).await?;
    not_yourself(
        &session,
        &target,
        if active { "reactivate" } else { "deactivate" },
    )?;
    let now = Utc::now();
    let mut tx = state.db.begin_write().await?;
    let changed = if active {
        sqlx::query(
            "UPDATE staff SET deactivated_at = NULL WHERE id = $1 AND deactivated_at IS NOT NULL",
        )
        .bind(target.id.to_string())
        .execute(&mut *tx)
        .await?
    } else {
        sqlx::query("UPDATE staff SET deactivated_at = $1 WHERE id = $2 AND deactivated_at IS NULL")
            .bind(now.timestamp_millis())
            .bind(target.id.to_string())
            .execute(&mut *tx)
            .await?
    }
    .rows_affected();
    // Every session ends at once (even if the account was already off: nothing may survive).
    let ended = if active {
        0
    } else {
        end_sessions(&mut tx, target.id, None, now).await?
    };
    if changed > 0 {
        let mut entry = ServerEntry::by(
            &session,
            if active {
                "staff_reactivated"
            } else {
                "staff_deactivated"
            },
            Some(EntityRef::new(EntityKind::Staff, target.id)),
        );
        entry.store_id = Some(target.store);
        entry.note = if active {
            String::new()
        } else {
            format!("{ended} sessions ended")
        };
        audit::server_entry(&mut tx, entry, now.timestamp_millis()).await?;
        let upsert = Change::StaffUpsert {
            id: target.id,
            fields: vec![StaffField::Active(active)],
        };
        for store in stores_of(&mut tx, &target).await? {
            server_change::append(&mut tx, store, upsert.clone(), &session, now).await?;
        }
    }
    tx.commit().await?;
    Ok(Json(staff_by_id(&state, target.id).await?))
}

/// `POST /api/v1/staff/{id}/deactivate`: the account can no longer sign in and every session
/// of it ends at once. Not one's own; an owner's only by an owner.
pub async fn deactivate_staff(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Json<StaffRow>, AppError> {
    set_active(state, session, id, false).await
}

/// `POST /api/v1/staff/{id}/reactivate`: the account may sign in again (with a new sign-in; the
/// old sessions stay ended).
pub async fn reactivate_staff(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Json<StaffRow>, AppError> {
    set_active(state, session, id, true).await
}

#[derive(Deserialize)]
pub struct PasswordReset {
    pub password: String,
}

/// `POST /api/v1/staff/{id}/password`: a manager (own store) or the owner sets a new password for
/// someone who forgot hers. Every session of that person ends, and she is asked to choose her own
/// at the next sign-in (`must_change_password`).
pub async fn reset_password(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    ApiJson(reset): ApiJson<PasswordReset>,
) -> Result<Json<StaffRow>, AppError> {
    let target = target_staff(&state, &session, &id).await?;
    // One's own password is changed with the old one (`POST /auth/password`), never reset.
    not_yourself(&session, &target, "reset the password of")?;
    crate::input::check_password(&reset.password)?;
    let password = reset.password;
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    let now = Utc::now();
    let mut tx = state.db.begin_write().await?;
    sqlx::query("UPDATE staff SET password_hash = $1, must_change_password = 1 WHERE id = $2")
        .bind(hash)
        .bind(target.id.to_string())
        .execute(&mut *tx)
        .await?;
    let ended = end_sessions(&mut tx, target.id, None, now).await?;
    let mut entry = ServerEntry::by(
        &session,
        "staff_password_reset",
        Some(EntityRef::new(EntityKind::Staff, target.id)),
    );
    entry.store_id = Some(target.store);
    entry.note = format!("{ended} sessions ended");
    audit::server_entry(&mut tx, entry, now.timestamp_millis()).await?;
    tx.commit().await?;
    Ok(Json(staff_by_id(&state, target.id).await?))
}

#[derive(Deserialize)]
pub struct NewRole {
    pub role: Role,
}

/// `POST /api/v1/staff/{id}/role`: gives an account another role. Nobody changes her own role,
/// nobody grants a role above her own, and an owner's role is changed only by an owner. The
/// account's sessions act in the new role from their next request.
pub async fn change_role(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    ApiJson(new): ApiJson<NewRole>,
) -> Result<Json<StaffRow>, AppError> {
    let target = target_staff(&state, &session, &id).await?;
    not_yourself(&session, &target, "change the role of")?;
    if !session.role.may_grant(new.role) {
        return Err(AppError::Forbidden(format!(
            "a {} may not grant the role {}",
            session.role.code(),
            new.role.code()
        )));
    }
    if new.role != target.role {
        let now = Utc::now();
        let mut tx = state.db.begin_write().await?;
        sqlx::query("UPDATE staff SET role = $1 WHERE id = $2")
            .bind(new.role.code())
            .bind(target.id.to_string())
            .execute(&mut *tx)
            .await?;
        let mut entry = ServerEntry::by(
            &session,
            "staff_role_changed",
            Some(EntityRef::new(EntityKind::Staff, target.id)),
        );
        entry.store_id = Some(target.store);
        entry.note = format!("{} to {}", target.role.code(), new.role.code());
        audit::server_entry(&mut tx, entry, now.timestamp_millis()).await?;
        let upsert = Change::StaffUpsert {
            id: target.id,
            fields: vec![StaffField::Role(new.role)],
        };
        for store in stores_of(&mut tx, &target).await? {
            server_change::append(&mut tx, store, upsert.clone(), &session, now).await?;
        }
        tx.commit().await?;
    }
    Ok(Json(staff_by_id(&state, target.id).await?))
}

#[derive(Deserialize)]
pub struct StoreMembership {
    /// A store of the chain other than the person's own.
    pub store_id: StoreId,
    /// She works there too (true) or no longer (false).
    pub works_here: bool,
}

#[derive(Serialize)]
pub struct StaffStores {
    /// Her own store.
    pub store_id: String,
    /// The other stores she also works in.
    pub also_in: Vec<String>,
}

async fn staff_stores(state: &AppState, target: &Target) -> Result<StaffStores, AppError> {
    let also_in: Vec<String> = sqlx::query_scalar(
        "SELECT store_id FROM staff_stores WHERE staff_id = $1 ORDER BY added_at, store_id",
    )
    .bind(target.id.to_string())
    .fetch_all(&state.db.pool)
    .await?;
    Ok(StaffStores {
        store_id: target.store.to_string(),
        also_in,
    })
}

/// `GET /api/v1/staff/{id}/stores`: the stores a person works in.
pub async fn list_staff_stores(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Json<StaffStores>, AppError> {
    let target = target_staff(&state, &session, &id).await?;
    Ok(Json(staff_stores(&state, &target).await?))
}

/// `POST /api/v1/staff/{id}/stores`: the owner lets a person work in another store of the chain
/// too (a therapist covering a second store), or no longer. The other store's devices learn her
/// staff record (name, role) from its log, so she appears in its calendar and can unlock there.
pub async fn set_staff_store(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    ApiJson(membership): ApiJson<StoreMembership>,
) -> Result<Json<StaffStores>, AppError> {
    session.require(Action::ChainView)?;
    let target = target_staff(&state, &session, &id).await?;
    if membership.store_id == target.store {
        return Err(crate::input::refused(
            "staff.own_store",
            "this is her own store already",
        ));
    }
    let known: Option<String> = sqlx::query_scalar("SELECT id FROM stores WHERE id = $1")
        .bind(membership.store_id.to_string())
        .fetch_optional(&state.db.pool)
        .await?;
    if known.is_none() {
        return Err(AppError::NotFound);
    }
    let now = Utc::now();
    let mut tx = state.db.begin_write().await?;
    let changed = if membership.works_here {
        sqlx::query(
            "INSERT INTO staff_stores (staff_id, store_id, added_at) VALUES ($1, $2, $3)
             ON CONFLICT (staff_id, store_id) DO NOTHING",
        )
        .bind(target.id.to_string())
        .bind(membership.store_id.to_string())
        .bind(now.timestamp_millis())
        .execute(&mut *tx)
        .await?
        .rows_affected()
    } else {
        sqlx::query("DELETE FROM staff_stores WHERE staff_id = $1 AND store_id = $2")
            .bind(target.id.to_string())
            .bind(membership.store_id.to_string())
            .execute(&mut *tx)
            .await?
            .rows_affected()
    };
    if changed > 0 {
        let (name, deactivated): (String, Option<i64>) =
            sqlx::query_as("SELECT display_name, deactivated_at FROM staff WHERE id = $1")
                .bind(target.id.to_string())
                .fetch_one(&mut *tx)
                .await?;
        let name = Name::parse(&name).map_err(|e| crate::input::refused(e.code(), "her name"))?;
        // In the other store's records she is a colleague while she works there, and inactive
        // (kept for what she did there) once she no longer does.
        let upsert = Change::StaffUpsert {
            id: target.id,
            fields: vec![
                StaffField::Name(name),
                StaffField::Role(target.role),
                StaffField::Active(membership.works_here && deactivated.is_none()),
            ],
        };
        server_change::append(&mut tx, membership.store_id, upsert, &session, now).await?;
        let mut entry = ServerEntry::by(
            &session,
            if membership.works_here {
                "staff_store_added"
            } else {
                "staff_store_removed"
            },
            Some(EntityRef::new(EntityKind::Staff, target.id)),
        );
        entry.store_id = Some(membership.store_id);
        audit::server_entry(&mut tx, entry, now.timestamp_millis()).await?;
    }
    tx.commit().await?;
    Ok(Json(staff_stores(&state, &target).await?))
}
