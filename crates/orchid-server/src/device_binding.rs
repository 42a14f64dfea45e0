//! Which sessions may push under a device id (a sync client id).
//!
//! A device id is not a secret: every pull shows the ids of the devices that made the changes.
//! If any session could push under any id, a colleague who learned one could use up that
//! device's mutation ids, and the real device's next change would be answered `duplicate` and
//! dropped. So an id belongs to the device that first pushed under it: the device keeps a random
//! key (sent with each push in the [`DEVICE_KEY_HEADER`] header; the server keeps its SHA-256),
//! and each session that pushes with that key is joined to the id. A session without the key is
//! refused while a session joined to the id is live. When none is (all signed out, revoked or
//! expired), the id is free again, so a device that lost its key is not stuck for good: a
//! manager revokes its sessions in Devices.
use crate::auth::token_hash;
use crate::error::AppError;
use orchid_core::sync::SyncError;

/// The header a device sends its key in.
pub const DEVICE_KEY_HEADER: &str = "orchid-device-key";
/// The longest key accepted (a device makes a 32-character one).
const MAX_KEY_LEN: usize = 128;

/// The key's hash, from a push's headers; `None` when the push carries none (API clients).
pub fn key_hash(headers: &axum::http::HeaderMap) -> Result<Option<String>, AppError> {
    let Some(value) = headers.get(DEVICE_KEY_HEADER) else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= MAX_KEY_LEN)
        .ok_or_else(|| {
            AppError::BadRequest(format!(
                "{DEVICE_KEY_HEADER} must be 1–{MAX_KEY_LEN} visible ASCII characters"
            ))
        })?;
    Ok(Some(token_hash(key)))
}

/// What the database says about the id, for this session.
pub struct Facts<'a> {
    /// The id's row: `None` when nobody pushed under it yet; `Some(None)` when it was bound
    /// without a key.
    pub stored_key: Option<Option<&'a str>>,
    /// This session is joined to the id.
    pub joined: bool,
    /// Some session joined to the id is live (not revoked, not expired).
    pub any_live: bool,
}

/// What to do with a push.
#[derive(Debug, PartialEq, Eq)]
pub enum Decision {
    /// Push on; nothing to write.
    Allowed,
    /// Join the session to the id; when `store_key`, the push's key becomes the id's key.
    Join { store_key: bool },
    /// Another device's id.
    Taken,
}

pub fn decide(facts: &Facts<'_>, key: Option<&str>) -> Decision {
    match facts.stored_key {
        None => Decision::Join { store_key: true },
        Some(stored) if facts.joined => {
            if stored.is_none() && key.is_some() {
                Decision::Join { store_key: true }
            } else {
                Decision::Allowed
            }
        }
        Some(Some(stored)) if key == Some(stored) => Decision::Join { store_key: false },
        Some(_) if !facts.any_live => Decision::Join { store_key: true },
        Some(_) => Decision::Taken,
    }
}

pub const KEY_SQL: &str = "SELECT key_hash FROM device_keys WHERE client_id = $1";
pub const JOINED_SQL: &str =
    "SELECT COUNT(*) FROM device_sessions WHERE client_id = $1 AND session_id = $2";
/// Sessions' `expires_at` are RFC 3339 in UTC, as written by sign-in: they compare as text.
pub const LIVE_SQL: &str = "SELECT COUNT(*) FROM device_sessions d
     JOIN sessions s ON s.id = d.session_id
     WHERE d.client_id = $1 AND s.revoked_at IS NULL AND s.expires_at > $2";
pub const STORE_KEY_SQL: &str = "INSERT INTO device_keys (client_id, key_hash, bound_at)
     VALUES ($1, $2, $3)
     ON CONFLICT (client_id) DO UPDATE SET key_hash = excluded.key_hash, bound_at = excluded.bound_at";
pub const JOIN_SQL: &str = "INSERT INTO device_sessions (client_id, session_id, joined_at)
     VALUES ($1, $2, $3) ON CONFLICT (client_id, session_id) DO NOTHING";

/// [`Facts`] as read in one statement with the rest of a push (PostgreSQL's push).
#[derive(Debug, Default)]
pub struct OwnedFacts {
    pub stored_key: Option<Option<String>>,
    pub joined: bool,
    pub any_live: bool,
}

impl OwnedFacts {
    pub fn facts(&self) -> Facts<'_> {
        Facts {
            stored_key: self.stored_key.as_ref().map(Option::as_deref),
            joined: self.joined,
            any_live: self.any_live,
        }
    }
}

/// Records what [`Decision::Join`] says: the device's key (when `store_key`) and the session
/// joined to the device.
pub async fn join(
    tx: &mut sqlx::AnyConnection,
    client: &str,
    session: &str,
    key: Option<&str>,
    store_key: bool,
    now_ms: i64,
) -> Result<(), AppError> {
    if store_key {
        sqlx::query(STORE_KEY_SQL)
            .bind(client)
            .bind(key)
            .bind(now_ms)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(JOIN_SQL)
        .bind(client)
        .bind(session)
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// The refusal of a push under another device's id.
pub fn taken() -> AppError {
    AppError::Sync(SyncError::DeviceTaken)
}

/// Checks (and records) that `session` may push under `client` with `key`, in the push's
/// transaction (after the device's row is locked, so two first pushes do not both bind).
pub async fn check(
    tx: &mut sqlx::AnyConnection,
    client: &str,
    session: &str,
    key: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    let stored: Option<Option<String>> = sqlx::query_scalar(KEY_SQL)
        .bind(client)
        .fetch_optional(&mut *tx)
        .await?;
    let joined: i64 = sqlx::query_scalar(JOINED_SQL)
        .bind(client)
        .bind(session)
        .fetch_one(&mut *tx)
        .await?;
    let any_live = if joined == 0 && stored.is_some() {
        let live: i64 = sqlx::query_scalar(LIVE_SQL)
            .bind(client)
            .bind(now.to_rfc3339())
            .fetch_one(&mut *tx)
            .await?;
        live > 0
    } else {
        false
    };
    let facts = Facts {
        stored_key: stored.as_ref().map(Option::as_deref),
        joined: joined > 0,
        any_live,
    };
    match decide(&facts, key) {
        Decision::Allowed => Ok(()),
        Decision::Taken => Err(taken()),
        Decision::Join { store_key } => {
            join(tx, client, session, key, store_key, now.timestamp_millis()).await
        }
    }
}

/// [`check`] on the synchronous writer's connection (SQLite).
pub fn check_sync(
    conn: &rusqlite::Connection,
    client: &str,
    session: &str,
    key: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    use rusqlite::OptionalExtension;
    let stored: Option<Option<String>> = conn
        .prepare_cached(KEY_SQL)
        .and_then(|mut st| st.query_row([client], |r| r.get(0)).optional())
        .map_err(AppError::internal)?;
    let joined: i64 = conn
        .prepare_cached(JOINED_SQL)
        .and_then(|mut st| st.query_row([client, session], |r| r.get(0)))
        .map_err(AppError::internal)?;
    let any_live = if joined == 0 && stored.is_some() {
        let live: i64 = conn
            .prepare_cached(LIVE_SQL)
            .and_then(|mut st| st.query_row((client, now.to_rfc3339()), |r| r.get(0)))
            .map_err(AppError::internal)?;
        live > 0
    } else {
        false
    };
    let facts = Facts {
        stored_key: stored.as_ref().map(Option::as_deref),
        joined: joined > 0,
        any_live,
    };
    match decide(&facts, key) {
        Decision::Allowed => Ok(()),
        Decision::Taken => Err(taken()),
        Decision::Join { store_key } => {
            let now_ms = now.timestamp_millis();
            if store_key {
                conn.prepare_cached(STORE_KEY_SQL)
                    .and_then(|mut st| st.execute((client, key, now_ms)))
                    .map_err(AppError::internal)?;
            }
            conn.prepare_cached(JOIN_SQL)
                .and_then(|mut st| st.execute((client, session, now_ms)))
                .map_err(AppError::internal)?;
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(stored_key: Option<Option<&str>>, joined: bool, any_live: bool) -> Facts<'_> {
        Facts {
            stored_key,
            joined,
            any_live,
        }
    }

    #[test]
    fn the_first_push_binds_and_a_joined_session_pushes_on() {
        assert_eq!(
            decide(&facts(None, false, false), None),
            Decision::Join { store_key: true }
        );
        assert_eq!(
            decide(&facts(Some(Some("k")), true, true), Some("k")),
            Decision::Allowed
        );
        // A device bound before it had a key gets one at its next push.
        assert_eq!(
            decide(&facts(Some(None), true, true), Some("k")),
            Decision::Join { store_key: true }
        );
    }

    #[test]
    fn another_session_joins_only_with_the_key_or_when_nobody_holds_the_id() {
        assert_eq!(
            decide(&facts(Some(Some("k")), false, true), Some("k")),
            Decision::Join { store_key: false }
        );
        assert_eq!(
            decide(&facts(Some(Some("k")), false, true), Some("other")),
            Decision::Taken
        );
        assert_eq!(
            decide(&facts(Some(Some("k")), false, true), None),
            Decision::Taken
        );
        assert_eq!(
            decide(&facts(Some(None), false, true), None),
            Decision::Taken
        );
        assert_eq!(
            decide(&facts(Some(Some("k")), false, false), Some("new")),
            Decision::Join { store_key: true }
        );
    }
}
