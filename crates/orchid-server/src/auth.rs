//! Passwords, the owner account, sign-in and session tokens.
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, Utc};
use rand::RngCore;
use rand::rngs::OsRng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::api::{ApiJson, PasswordPendingSession, PeerAddr, Session, client_address};
use crate::db::Database;
use crate::error::{AppError, StartError};
use orchid_core::ids::StoreId;

/// How long a device stays signed in without signing in again.
const SESSION_DAYS: i64 = 30;
pub const OWNER_LOGIN: &str = "owner";

fn argon2() -> Result<Argon2<'static>, argon2::Error> {
    // OWASP's minimum for Argon2id: m = 19 MiB, t = 2, p = 1.
    let params = Params::new(19 * 1024, 2, 1, None)?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    let hash = argon2()
        .map_err(argon2::password_hash::Error::from)?
        .hash_password(password.as_bytes(), &salt)?;
    Ok(hash.to_string())
}

pub fn verify_password(password: &str, stored_hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored_hash) else {
        return false;
    };
    argon2()
        .map(|a| a.verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// A random 256-bit token, URL-safe.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn token_hash(token: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(token.as_bytes()))
}

/// A password a person can type from the terminal: 16 characters without look-alikes.
fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}

/// What the owner needs to know after the first start.
pub enum OwnerAccount {
    AlreadyThere,
    Created { generated_password: Option<String> },
}

/// On an empty database, creates the first store and its owner account.
pub async fn ensure_owner(
    db: &Database,
    password: Option<&str>,
) -> Result<OwnerAccount, StartError> {
    let owner_err = |e: sqlx::Error| StartError::Owner(e.to_string());
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM staff")
        .fetch_one(&db.pool)
        .await
        .map_err(owner_err)?;
    if count > 0 {
        return Ok(OwnerAccount::AlreadyThere);
    }
    let generated = password.is_none().then(random_password);
    let password = password.or(generated.as_deref()).unwrap_or_default();
    crate::input::check_password(password)
        .map_err(|e| StartError::Owner(format!("ORCHID_OWNER_PASSWORD is not accepted: {e}")))?;
    let owned = password.to_owned();
    let hash = tokio::task::spawn_blocking(move || hash_password(&owned))
        .await
        .map_err(|e| StartError::Owner(e.to_string()))?
        .map_err(|e| StartError::Owner(e.to_string()))?;
    let now = Utc::now().to_rfc3339();
    let store_id = uuid::Uuid::now_v7().to_string();
    let mut tx = db.begin_write().await.map_err(owner_err)?;
    sqlx::query("INSERT INTO stores (id, name, created_at) VALUES ($1, $2, $3)")
        .bind(&store_id)
        .bind("兰心 Orchid")
        .bind(&now)
        .execute(&mut *tx)
        .await
        .map_err(owner_err)?;
    let inserted = sqlx::query(
        "INSERT INTO staff (id, store_id, login, display_name, role, password_hash, created_at)
         VALUES ($1, $2, $3, $4, 'owner', $5, $6)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(&store_id)
    .bind(OWNER_LOGIN)
    .bind("老板 Owner")
    .bind(&hash)
    .bind(&now)
    .execute(&mut *tx)
    .await;
    match inserted {
        // Two servers of a chain started together on an empty database: the other one made the
        // owner between our count and our insert. Its store and owner stand; ours (this
        // transaction's store too) is rolled back, and this server starts like any later one.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            drop(tx);
            return Ok(OwnerAccount::AlreadyThere);
        }
        Err(e) => return Err(owner_err(e)),
        Ok(_) => {}
    }
    tx.commit().await.map_err(owner_err)?;
    Ok(OwnerAccount::Created {
        generated_password: generated,
    })
}

/// Throttling of sign-in attempts, counted in the database (so several servers behind a load
/// balancer share it) within [`THROTTLE_WINDOW_MS`]. Three counters, each with its own limit:
///
/// * one login from one address ([`MAX_FAILURES_PER_LOGIN_AND_ADDRESS`]): what stops guessing;
/// * one address, whatever the login ([`MAX_FAILURES_PER_ADDRESS`]): what stops trying many
///   logins; looser, since a reception PC serves several people;
/// * one login from anywhere ([`MAX_FAILURES_PER_LOGIN`]): what stops a guesser who changes
///   address; higher, so that a few wrong guesses from elsewhere do not lock a person out, and a
///   sign-in from a device that holds a live session of that same person is not held by it.
///
/// A lock lasts until the oldest failure in the window ages out. See docs/SECURITY.md.
pub const THROTTLE_WINDOW_MS: i64 = 15 * 60 * 1000;
pub const MAX_FAILURES_PER_LOGIN_AND_ADDRESS: i64 = 5;
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;
pub const MAX_FAILURES_PER_LOGIN: i64 = 25;
/// PIN settings per session and per person in the window: each one is an Argon2 hash (19 MiB,
/// a noticeable share of a small server's CPU), and a person needs one or two.
pub const MAX_PIN_SETS_PER_SESSION: i64 = 5;
pub const MAX_PIN_SETS_PER_STAFF: i64 = 10;
/// Wrong current passwords given to `POST /auth/password` per person in the window: a stolen
/// session must not become a way to guess the password.
pub const MAX_WRONG_OLD_PASSWORDS: i64 = 5;

/// A sign-in. Fields added later are optional (`#[serde(default)]`), so older clients keep
/// working.
#[derive(Deserialize)]
pub struct SignInRequest {
    pub login: String,
    pub password: String,
    #[serde(default)]
    pub device: String,
    /// The token of a live session of the same person on this device, if it has one: a known
    /// device is not held by the per-login lock (someone guessing elsewhere cannot lock the
    /// owner out of her own tablet).
    #[serde(default)]
    pub device_token: Option<String>,
}

#[derive(Serialize)]
pub struct SignInResponse {
    pub token: String,
    pub staff_id: String,
    pub staff_name: String,
    pub role: String,
    pub store_id: String,
    pub expires_at: String,
    /// The password was reset by a manager or the owner: ask the person to choose her own
    /// (`POST /auth/password`).
    pub must_change_password: bool,
    /// A server for trying Orchid (`--demo`): the app may offer the demo store on its devices.
    pub demo_server: bool,
}

fn pair_key(login: &str, address: &str) -> String {
    format!("pair:{login}|{address}")
}

fn login_key(login: &str) -> String {
    format!("login:{login}")
}

fn address_key(address: &str) -> String {
    format!("addr:{address}")
}

/// One throttled counter: its key and its limit in the window.
#[derive(Clone, Debug)]
pub struct Limit {
    pub key: String,
    pub max: i64,
}

/// An attempt written down before it is checked.
pub struct Reservation {
    pub id: String,
    /// The keys this attempt filled up (it was the last one allowed): if it fails, they lock.
    pub filled: Vec<String>,
}

/// Reserves an attempt on every counter of `limits`, in one write transaction, before anything
/// is checked: if any counter is full, nothing is written and the answer is `Throttled`;
/// otherwise a row is written on each, under one reservation id. Concurrent attempts take turns
/// (SQLite's writer; on PostgreSQL the row lock on `sign_in_gate`), so of thirty attempts sent
/// at once only as many as a limit allows are ever checked.
pub async fn reserve_attempt(
    db: &Database,
    limits: &[Limit],
    now_ms: i64,
) -> Result<Reservation, AppError> {
    let since = now_ms - THROTTLE_WINDOW_MS;
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE sign_in_gate SET turns = turns + 1 WHERE id = 1")
        .execute(&mut *tx)
        .await?;
    let mut retry_after_ms: Option<i64> = None;
    let mut filled = Vec::new();
    for limit in limits {
        sqlx::query("DELETE FROM sign_in_failures WHERE key = $1 AND at <= $2")
            .bind(&limit.key)
            .bind(since)
            .execute(&mut *tx)
            .await?;
        let (count, oldest): (i64, Option<i64>) =
            sqlx::query_as("SELECT COUNT(*), MIN(at) FROM sign_in_failures WHERE key = $1")
                .bind(&limit.key)
                .fetch_one(&mut *tx)
                .await?;
        if count >= limit.max {
            let until = oldest.unwrap_or(now_ms) + THROTTLE_WINDOW_MS;
            retry_after_ms = Some(retry_after_ms.unwrap_or(0).max(until - now_ms));
        } else if count + 1 == limit.max {
            filled.push(limit.key.clone());
        }
    }
    if let Some(ms) = retry_after_ms {
        tx.commit().await?;
        return Err(AppError::Throttled {
            retry_after_secs: u64::try_from(ms.max(1000) / 1000).unwrap_or(1),
        });
    }
    let id = uuid::Uuid::now_v7().simple().to_string();
    for limit in limits {
        sqlx::query("INSERT INTO sign_in_failures (key, at, reservation) VALUES ($1, $2, $3)")
            .bind(&limit.key)
            .bind(now_ms)
            .bind(&id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(Reservation { id, filled })
}

/// Takes back a reservation whose attempt succeeded (it was no failure).
async fn release(conn: &mut sqlx::AnyConnection, reservation: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sign_in_failures WHERE reservation = $1")
        .bind(reservation)
        .execute(conn)
        .await?;
    Ok(())
}

/// After a failed attempt that filled counters: logs and audits each lock-out. `store_id` is the
/// store of the login when it exists, so that store's managers see it (and nobody else's).
async fn record_lockouts(
    db: &Database,
    reservation: &Reservation,
    login: &str,
    store_id: Option<StoreId>,
    address: &str,
    now_ms: i64,
) -> Result<(), AppError> {
    if reservation.filled.is_empty() {
        return Ok(());
    }
    let mut tx = db.begin_write().await?;
    for key in &reservation.filled {
        // Escaped (newlines, escape sequences, bidi controls): user input cannot forge a line.
        tracing::warn!(
            key = %crate::input::log_safe(key),
            login = %crate::input::log_safe(login),
            address = %crate::input::log_safe(address),
            "sign-in locked out after repeated failures"
        );
        // An address lock concerns every login tried from it: no store of its own.
        let store = if key.starts_with("addr:") {
            None
        } else {
            store_id
        };
        crate::audit::server_entry(
            &mut tx,
            crate::audit::ServerEntry {
                store_id: store,
                staff_id: None,
                role: None,
                session_id: None,
                action: "sign_in_locked",
                entity: None,
                note: format!("{key} locked after repeated failed sign-ins from {address}"),
            },
            now_ms,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

type AccountRow = (String, String, String, String, String, Option<i64>, i64);

/// Is `token` a live session of the account `login`?
async fn is_known_device(db: &Database, token: &str, login: &str) -> Result<bool, AppError> {
    if token.is_empty() || token.len() > 128 {
        return Ok(false);
    }
    let row: Option<(String, Option<String>)> = sqlx::query_as(
        "SELECT s.expires_at, s.revoked_at FROM sessions s JOIN staff st ON st.id = s.staff_id
         WHERE s.token_hash = $1 AND st.login = $2 AND st.deactivated_at IS NULL",
    )
    .bind(token_hash(token))
    .bind(login)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.is_some_and(|(expires_at, revoked_at)| {
        revoked_at.is_none()
            && chrono::DateTime::parse_from_rfc3339(&expires_at)
                .is_ok_and(|t| t.with_timezone(&Utc) > Utc::now())
    }))
}

pub async fn sign_in(
    State(state): State<AppState>,
    PeerAddr(peer): PeerAddr,
    headers: HeaderMap,
    ApiJson(request): ApiJson<SignInRequest>,
) -> Result<Json<SignInResponse>, AppError> {
    let address = client_address(&headers, peer, state.trust_forwarded_for);
    let now = Utc::now();
    let now_ms = now.timestamp_millis();
    // Normalised (and bounded) before it is used anywhere: the failure counters store it.
    let login = crate::input::normalize_login(&request.login)?;
    if request.password.chars().count() > crate::input::MAX_PASSWORD_CHARS {
        return Err(AppError::Rejected {
            status: axum::http::StatusCode::BAD_REQUEST,
            code: "password.too_long",
            message: format!(
                "a password is at most {} characters long",
                crate::input::MAX_PASSWORD_CHARS
            ),
        });
    }
    let known_device = match request.device_token.as_deref() {
        Some(token) => is_known_device(&state.db, token, &login).await?,
        None => false,
    };
    let mut limits = vec![
        Limit {
            key: pair_key(&login, &address),
            max: MAX_FAILURES_PER_LOGIN_AND_ADDRESS,
        },
        Limit {
            key: address_key(&address),
            max: MAX_FAILURES_PER_ADDRESS,
        },
    ];
    if !known_device {
        limits.push(Limit {
            key: login_key(&login),
            max: MAX_FAILURES_PER_LOGIN,
        });
    }
    // Written down before the password is looked at: a locked account answers the same whether
    // the password is right or wrong, and parallel guesses cannot all slip in before the count.
    let reservation = reserve_attempt(&state.db, &limits, now_ms).await?;
    let row: Option<AccountRow> = sqlx::query_as(
        "SELECT id, display_name, role, password_hash, store_id, deactivated_at,
                must_change_password
         FROM staff WHERE login = $1",
    )
    .bind(&login)
    .fetch_optional(&state.db.pool)
    .await?;
    let login_store = row
        .as_ref()
        .and_then(|r| uuid::Uuid::parse_str(&r.4).ok())
        .map(StoreId);
    // Verify against a real hash even for an unknown login, so timing does not tell which
    // logins exist.
    let (staff_id, name, role, hash, store_id, deactivated_at, must_change) =
        row.unwrap_or_else(|| {
            (
                String::new(),
                String::new(),
                String::new(),
                state.dummy_hash.to_string(),
                String::new(),
                None,
                0,
            )
        });
    let password = request.password;
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(AppError::internal)?;
    if !matches || staff_id.is_empty() {
        // `?login`: Debug formatting escapes newlines and escape sequences, so a login cannot
        // write a line of its own into the log.
        tracing::info!(login = ?login, address = ?address, "failed sign-in");
        record_lockouts(
            &state.db,
            &reservation,
            &login,
            login_store,
            &address,
            now_ms,
        )
        .await?;
        return Err(AppError::BadCredentials);
    }
    if deactivated_at.is_some() {
        // Only after the right password: a guesser learns nothing about which accounts exist.
        let mut tx = state.db.begin_write().await?;
        release(&mut tx, &reservation.id).await?;
        tx.commit().await?;
        return Err(AppError::Rejected {
            status: axum::http::StatusCode::FORBIDDEN,
            code: "account_deactivated",
            message: "this account was deactivated; ask the store's manager".into(),
        });
    }
    let token = new_token();
    let expires = now + Duration::days(SESSION_DAYS);
    let device = crate::input::device_name(&request.device);
    let mut tx = state.db.begin_write().await?;
    release(&mut tx, &reservation.id).await?;
    // The person proved herself from this address: her typos here no longer count. The
    // per-login counter is left to age out: clearing it would hand a guesser elsewhere a fresh
    // budget every time the real person signs in.
    sqlx::query("DELETE FROM sign_in_failures WHERE key = $1")
        .bind(pair_key(&login, &address))
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO sessions (token_hash, staff_id, device, created_at, expires_at, id, last_seen_at, address)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(token_hash(&token))
    .bind(&staff_id)
    .bind(device)
    .bind(now.to_rfc3339())
    .bind(expires.to_rfc3339())
    .bind(uuid::Uuid::now_v7().simple().to_string())
    .bind(now_ms)
    .bind(&address)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Json(SignInResponse {
        token,
        staff_id,
        staff_name: name,
        role,
        store_id,
        expires_at: expires.to_rfc3339(),
        must_change_password: must_change != 0,
        demo_server: state.demo,
    }))
}

#[derive(Deserialize)]
pub struct PinRequest {
    pub pin: String,
}

#[derive(Serialize)]
pub struct PinResponse {
    /// Argon2id PHC string of the PIN: the device keeps it (with the session) to unlock offline.
    pub pin_hash: String,
    pub staff_id: String,
    pub set_at: String,
}

/// Sets the offline-unlock PIN of this session's device: the server hashes it (Argon2id, the
/// same parameters as passwords, a fresh salt) and hands the hash back for the device to keep.
/// The server keeps only the fact that this session has a PIN, never the PIN or its hash.
/// The PIN rule is the core's ([`orchid_core::pin::check_pin`]), the one devices apply too.
pub async fn set_pin(
    State(state): State<AppState>,
    session: Session,
    ApiJson(request): ApiJson<PinRequest>,
) -> Result<Json<PinResponse>, AppError> {
    let pin = request.pin;
    if let Err(err) = orchid_core::pin::check_pin(&pin) {
        return Err(AppError::Rejected {
            status: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            code: err.code(),
            message: err.to_string(),
        });
    }
    let now = Utc::now();
    // Every setting counts (none is "released"): each is an Argon2 hash the server computes.
    reserve_attempt(
        &state.db,
        &[
            Limit {
                key: format!("pin-session:{}", session.id),
                max: MAX_PIN_SETS_PER_SESSION,
            },
            Limit {
                key: format!("pin-staff:{}", session.staff_id),
                max: MAX_PIN_SETS_PER_STAFF,
            },
        ],
        now.timestamp_millis(),
    )
    .await?;
    let hash = tokio::task::spawn_blocking(move || hash_password(&pin))
        .await
        .map_err(AppError::internal)?
        .map_err(|e| AppError::InvalidBody(e.to_string()))?;
    sqlx::query("UPDATE sessions SET pin_set_at = $1 WHERE id = $2")
        .bind(now.timestamp_millis())
        .bind(&session.id)
        .execute(&state.db.pool)
        .await?;
    Ok(Json(PinResponse {
        pin_hash: hash,
        staff_id: session.staff_id.to_string(),
        set_at: now.to_rfc3339(),
    }))
}

#[derive(Deserialize)]
pub struct PasswordChange {
    pub old_password: String,
    pub new_password: String,
}

#[derive(Serialize)]
pub struct PasswordChanged {
    pub changed_at: String,
    /// How many other sessions of hers were signed out.
    pub sessions_ended: u64,
}

/// `POST /api/v1/auth/password`: the signed-in person changes her own password (old + new).
/// Her other sessions end (whoever else knew the old password is signed out); this one stays.
pub async fn change_password(
    State(state): State<AppState>,
    PasswordPendingSession(session): PasswordPendingSession,
    ApiJson(request): ApiJson<PasswordChange>,
) -> Result<Json<PasswordChanged>, AppError> {
    let now = Utc::now();
    let now_ms = now.timestamp_millis();
    if request.old_password.chars().count() > crate::input::MAX_PASSWORD_CHARS {
        return Err(wrong_password());
    }
    let reservation = reserve_attempt(
        &state.db,
        &[Limit {
            key: format!("password:{}", session.staff_id),
            max: MAX_WRONG_OLD_PASSWORDS,
        }],
        now_ms,
    )
    .await?;
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM staff WHERE id = $1")
        .bind(session.staff_id.to_string())
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let old = request.old_password.clone();
    let matches = tokio::task::spawn_blocking(move || verify_password(&old, &hash))
        .await
        .map_err(AppError::internal)?;
    if !matches {
        tracing::info!(staff = %session.staff_id, "wrong current password");
        return Err(wrong_password());
    }
    let mut tx = state.db.begin_write().await?;
    release(&mut tx, &reservation.id).await?;
    tx.commit().await?;
    if request.new_password == request.old_password {
        return Err(AppError::Rejected {
            status: axum::http::StatusCode::BAD_REQUEST,
            code: "password.unchanged",
            message: "the new password is the old one; choose another".into(),
        });
    }
    crate::input::check_password(&request.new_password)?;
    let new = request.new_password;
    let new_hash = tokio::task::spawn_blocking(move || hash_password(&new))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    let mut tx = state.db.begin_write().await?;
    sqlx::query("UPDATE staff SET password_hash = $1, must_change_password = 0 WHERE id = $2")
        .bind(new_hash)
        .bind(session.staff_id.to_string())
        .execute(&mut *tx)
        .await?;
    let ended = sqlx::query(
        "UPDATE sessions SET revoked_at = $1
         WHERE staff_id = $2 AND id <> $3 AND revoked_at IS NULL",
    )
    .bind(now.to_rfc3339())
    .bind(session.staff_id.to_string())
    .bind(&session.id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let mut entry = crate::audit::ServerEntry::by(&session, "password_changed", None);
    entry.note = format!("{ended} other sessions ended");
    crate::audit::server_entry(&mut tx, entry, now_ms).await?;
    tx.commit().await?;
    Ok(Json(PasswordChanged {
        changed_at: now.to_rfc3339(),
        sessions_ended: ended,
    }))
}

fn wrong_password() -> AppError {
    AppError::Rejected {
        status: axum::http::StatusCode::FORBIDDEN,
        code: "wrong_password",
        message: "the current password is wrong".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("wrong horse", &hash));
        assert!(!verify_password("correct horse", "not a hash"));
    }

    #[test]
    fn tokens_are_256_bits_and_differ() {
        let a = new_token();
        assert_eq!(URL_SAFE_NO_PAD.decode(&a).unwrap().len(), 32);
        assert_ne!(a, new_token());
        assert_ne!(token_hash(&a), a);
    }

    #[test]
    fn generated_passwords_are_long_enough() {
        assert_eq!(random_password().chars().count(), 16);
    }
}
