//! The audit log: entries the devices report (`audit.append` mutations: sensitive reads,
//! overrides…) and entries the server writes itself (accepted mutations the core says must be
//! audited, sign-in lock-outs, exports, erasures, staff changes, revoked devices). Managers read it
//! with `GET /api/v1/audit`.
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use orchid_core::audit::AuditEntry;
use orchid_core::ids::{EntityRef, StoreId};
use orchid_core::permission::Action;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::api::{ApiQuery, Session};
use crate::error::AppError;

/// An entry the server writes itself.
pub struct ServerEntry {
    pub store_id: Option<StoreId>,
    pub staff_id: Option<String>,
    pub role: Option<String>,
    pub session_id: Option<String>,
    pub action: &'static str,
    pub entity: Option<EntityRef>,
    pub note: String,
}

impl ServerEntry {
    /// An entry about what `session` did.
    pub fn by(session: &Session, action: &'static str, entity: Option<EntityRef>) -> Self {
        Self {
            store_id: Some(session.store_id),
            staff_id: Some(session.staff_id.to_string()),
            role: Some(session.role.code().to_owned()),
            session_id: Some(session.id.clone()),
            action,
            entity,
            note: String::new(),
        }
    }
}

fn kind_code(entity: &EntityRef) -> String {
    serde_json::to_value(entity.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

pub async fn server_entry(
    conn: &mut sqlx::AnyConnection,
    entry: ServerEntry,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (id, store_id, at, staff_id, role, session_id, client_id, action,
                                entity_kind, entity_id, sensitivity, fields, note, source,
                                received_at)
         VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8, $9, NULL, NULL, $10, 'server', $3)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(entry.store_id.map(|s| s.to_string()))
    .bind(now_ms)
    .bind(entry.staff_id)
    .bind(entry.role)
    .bind(entry.session_id)
    .bind(entry.action)
    .bind(entry.entity.as_ref().map(kind_code))
    .bind(entry.entity.map(|e| e.id.to_string()))
    .bind(entry.note)
    .execute(conn)
    .await?;
    Ok(())
}

/// Stores an entry a device reported (idempotent: its id is the key), attributed to the session
/// that pushed it.
pub async fn device_entry(
    conn: &mut sqlx::AnyConnection,
    entry: &AuditEntry,
    store_id: StoreId,
    session_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (id, store_id, at, staff_id, role, session_id, client_id, action,
                                entity_kind, entity_id, sensitivity, fields, note, source,
                                received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'device', $14)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(entry.id.to_string())
    .bind(store_id.to_string())
    .bind(entry.at.timestamp_millis())
    .bind(entry.actor.to_string())
    .bind(entry.role.code())
    .bind(session_id)
    .bind(entry.client_id.to_string())
    .bind(entry.action.code())
    .bind(kind_code(&entry.entity))
    .bind(entry.entity.id.to_string())
    .bind(code_of(&entry.sensitivity))
    .bind(serde_json::to_string(&entry.fields).unwrap_or_else(|_| "[]".into()))
    .bind(entry.note.as_str())
    // The server's clock, not the device's: the log is ordered by it, so a device with a wrong
    // (or forged) clock cannot put its entries first.
    .bind(chrono::Utc::now().timestamp_millis())
    .execute(conn)
    .await?;
    Ok(())
}

/// The snake_case code of a serde enum value.
pub fn code_of<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The query of `GET /api/v1/audit`.
#[derive(Deserialize)]
pub struct AuditQuery {
    /// The store (default: the caller's). The owner may read any store's log.
    pub store_id: Option<StoreId>,
    /// Entries strictly older than this position: the `next_before` of the previous page.
    pub before: Option<String>,
    /// At most this many entries (1–500, default 100).
    pub limit: Option<u32>,
}

#[derive(Serialize)]
pub struct AuditRow {
    pub id: String,
    pub store_id: Option<String>,
    /// When it happened by the clock of whoever wrote it (the device's, for device entries):
    /// shown, never used for order.
    pub at: String,
    pub at_ms: i64,
    /// When the server received it: the log's order.
    pub received_at: String,
    pub received_at_ms: i64,
    pub staff_id: Option<String>,
    pub role: Option<String>,
    pub session_id: Option<String>,
    pub client_id: Option<String>,
    pub action: String,
    pub entity_kind: Option<String>,
    pub entity_id: Option<String>,
    pub sensitivity: Option<String>,
    pub fields: Vec<String>,
    pub note: String,
    /// `device` (reported by a device) or `server` (written by the server).
    pub source: String,
}

#[derive(Serialize)]
pub struct AuditPage {
    /// Newest first.
    pub entries: Vec<AuditRow>,
    /// Pass as `before` for the next (older) page; absent on the last page.
    pub next_before: Option<String>,
}

type Row = (
    String,
    Option<String>,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    i64,
);

fn ms_text(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339())
        .unwrap_or_default()
}

pub async fn list(
    State(state): State<AppState>,
    session: Session,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> Result<Json<AuditPage>, AppError> {
    session.require(Action::AuditRead)?;
    let store = query.store_id.unwrap_or(session.store_id);
    if !session.may_act_in(&state, store).await? {
        return Err(orchid_core::sync::SyncError::WrongStore { store_id: store }.into());
    }
    let limit = i64::from(query.limit.unwrap_or(100).clamp(1, 500));
    // The position is `<received_at_ms>_<id>`: entries sharing a millisecond never straddle a
    // page edge.
    let (before_at, before_id) = match query.before.as_deref() {
        None => (i64::MAX, String::new()),
        Some(text) => text
            .split_once('_')
            .and_then(|(at, id)| Some((at.parse::<i64>().ok()?, id.to_owned())))
            .ok_or_else(|| {
                AppError::BadRequest("`before` is the `next_before` of a previous page".into())
            })?,
    };
    // Server entries without a store (a lock-out of an address, or of a login that does not
    // exist) concern no store: only the owner sees them. A lock-out of an existing login carries
    // that login's store and is shown to that store's managers like any of its entries.
    let unowned = if session.role == orchid_core::role::Role::Owner {
        "OR store_id IS NULL"
    } else {
        ""
    };
    let sql = format!(
        "SELECT id, store_id, at, staff_id, role, session_id, client_id, action, entity_kind,
                entity_id, sensitivity, fields, note, source, received_at
         FROM audit_log
         WHERE (store_id = $1 {unowned})
           AND (received_at < $2 OR (received_at = $2 AND id < $3))
         ORDER BY received_at DESC, id DESC
         LIMIT $4"
    );
    let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(store.to_string())
        .bind(before_at)
        .bind(before_id)
        .bind(limit + 1)
        .fetch_all(&state.db.pool)
        .await?;
    let has_more = rows.len() as i64 > limit;
    let entries: Vec<AuditRow> = rows
        .into_iter()
        .take(usize::try_from(limit).unwrap_or(100))
        .map(|r| AuditRow {
            id: r.0,
            store_id: r.1,
            at: ms_text(r.2),
            at_ms: r.2,
            received_at: ms_text(r.14),
            received_at_ms: r.14,
            staff_id: r.3,
            role: r.4,
            session_id: r.5,
            client_id: r.6,
            action: r.7,
            entity_kind: r.8,
            entity_id: r.9,
            sensitivity: r.10,
            fields: r
                .11
                .and_then(|f| serde_json::from_str(&f).ok())
                .unwrap_or_default(),
            note: r.12.unwrap_or_default(),
            source: r.13,
        })
        .collect();
    let next_before = if has_more {
        entries
            .last()
            .map(|e| format!("{}_{}", e.received_at_ms, e.id))
    } else {
        None
    };
    Ok(Json(AuditPage {
        entries,
        next_before,
    }))
}
