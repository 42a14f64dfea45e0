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
use crate::api::{ApiJson, PeerAddr, Session, client_address};
use crate::db::Db;
use crate::error::{AppError, StartError};

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
pub async fn ensure_owner(db: &Db, password: Option<&str>) -> Result<OwnerAccount, StartError> {
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
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(StartError::Owner(
            "ORCHID_OWNER_PASSWORD must be at least 8 characters long".into(),
        ));
    }
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
    sqlx::query(
        "INSERT INTO staff (id, store_id, login, display_name, role, password_hash, created_at)
         VALUES ($1, $2, $3, $4, 'owner', $5, $6)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(&store_id)
    .bind(OWNER_LOGIN)
    .bind("店长 Owner")
    .bind(&hash)
    .bind(&now)
    .execute(&mut *tx)
    .await
    .map_err(owner_err)?;
    tx.commit().await.map_err(owner_err)?;
    Ok(OwnerAccount::Created {
        generated_password: generated,
    })
}

/// Passwords shorter than this are refused (NIST SP 800-63B's minimum).
pub const MIN_PASSWORD_CHARS: usize = 8;

/// Throttling of failed sign-ins: within [`THROTTLE_WINDOW_MS`], an account is locked after
/// [`MAX_FAILURES_PER_ACCOUNT`] failures and an address after [`MAX_FAILURES_PER_ADDRESS`]
/// (a reception PC may serve several people, so the address limit is looser). A lock lasts until
/// the oldest failure in the window ages out. Kept in the database, so several servers behind a
/// load balancer share it.
pub const THROTTLE_WINDOW_MS: i64 = 15 * 60 * 1000;
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;

#[derive(Deserialize)]
pub struct SignInRequest {
    pub login: String,
    pub password: String,
    #[serde(default)]
    pub device: String,
}

#[derive(Serialize)]
pub struct SignInResponse {
    pub token: String,
    pub staff_id: String,
    pub staff_name: String,
    pub role: String,
    pub store_id: String,
    pub expires_at: String,
}

fn account_key(login: &str) -> String {
    format!("login:{}", login.trim().to_lowercase())
}

fn address_key(address: &str) -> String {
    format!("addr:{address}")
}

/// If `key` is locked, how many seconds until it is not.
async fn locked_for(db: &Db, key: &str, max: i64, now: i64) -> Result<Option<u64>, AppError> {
    let since = now - THROTTLE_WINDOW_MS;
    let (count, oldest): (i64, Option<i64>) =
        sqlx::query_as("SELECT COUNT(*), MIN(at) FROM sign_in_failures WHERE key = $1 AND at > $2")
            .bind(key)
            .bind(since)
            .fetch_one(&db.pool)
            .await?;
    if count < max {
        return Ok(None);
    }
    let until = oldest.unwrap_or(now) + THROTTLE_WINDOW_MS;
    Ok(Some(
        u64::try_from((until - now).max(1000) / 1000).unwrap_or(1),
    ))
}

/// Records a failure for the account and the address; logs (and audits) the failure that locks.
async fn record_failure(db: &Db, login: &str, address: &str, now: i64) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    for (key, max) in [
        (account_key(login), MAX_FAILURES_PER_ACCOUNT),
        (address_key(address), MAX_FAILURES_PER_ADDRESS),
    ] {
        sqlx::query("DELETE FROM sign_in_failures WHERE key = $1 AND at <= $2")
            .bind(&key)
            .bind(now - THROTTLE_WINDOW_MS)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO sign_in_failures (key, at) VALUES ($1, $2)")
            .bind(&key)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sign_in_failures WHERE key = $1")
            .bind(&key)
            .fetch_one(&mut *tx)
            .await?;
        if count == max {
            tracing::warn!(%key, failures = count, "sign-in locked out after repeated failures");
            crate::audit::server_entry(
                &mut tx,
                crate::audit::ServerEntry {
                    store_id: None,
                    staff_id: None,
                    role: None,
                    session_id: None,
                    action: "sign_in_locked",
                    entity: None,
                    note: format!("{key} locked after {count} failed sign-ins from {address}"),
                },
                now,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
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
    let login = request.login.trim().to_owned();
    // Checked before the password is looked at: a locked account answers the same whether the
    // password is right or wrong, so guessing goes no faster.
    for (key, max) in [
        (account_key(&login), MAX_FAILURES_PER_ACCOUNT),
        (address_key(&address), MAX_FAILURES_PER_ADDRESS),
    ] {
        if let Some(retry_after_secs) = locked_for(&state.db, &key, max, now_ms).await? {
            return Err(AppError::Throttled { retry_after_secs });
        }
    }
    let row: Option<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT id, display_name, role, password_hash, store_id FROM staff WHERE login = $1",
    )
    .bind(&login)
    .fetch_optional(&state.db.pool)
    .await?;
    // Verify against a real hash even for an unknown login, so timing does not tell which
    // logins exist.
    let (staff_id, name, role, hash, store_id) = row.unwrap_or_else(|| {
        (
            String::new(),
            String::new(),
            String::new(),
            state.dummy_hash.to_string(),
            String::new(),
        )
    });
    let password = request.password;
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(AppError::internal)?;
    if !matches || staff_id.is_empty() {
        tracing::info!(%login, %address, "failed sign-in");
        record_failure(&state.db, &login, &address, now_ms).await?;
        return Err(AppError::BadCredentials);
    }
    sqlx::query("DELETE FROM sign_in_failures WHERE key = $1")
        .bind(account_key(&login))
        .execute(&state.db.pool)
        .await?;
    let token = new_token();
    let expires = now + Duration::days(SESSION_DAYS);
    let device: String = request.device.chars().take(200).collect();
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
    .execute(&state.db.pool)
    .await?;
    Ok(Json(SignInResponse {
        token,
        staff_id,
        staff_name: name,
        role,
        store_id,
        expires_at: expires.to_rfc3339(),
    }))
}

/// The shortest offline PIN.
pub const MIN_PIN_DIGITS: usize = 6;

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
pub async fn set_pin(
    State(state): State<AppState>,
    session: Session,
    ApiJson(request): ApiJson<PinRequest>,
) -> Result<Json<PinResponse>, AppError> {
    let pin = request.pin;
    if pin.chars().count() < MIN_PIN_DIGITS
        || pin.chars().count() > 12
        || !pin.chars().all(|c| c.is_ascii_digit())
    {
        return Err(AppError::InvalidBody(format!(
            "a PIN is {MIN_PIN_DIGITS} to 12 digits"
        )));
    }
    if pin.chars().all(|c| pin.starts_with(c)) {
        return Err(AppError::InvalidBody(
            "a PIN of one repeated digit is too easy to guess".into(),
        ));
    }
    let hash = tokio::task::spawn_blocking(move || hash_password(&pin))
        .await
        .map_err(AppError::internal)?
        .map_err(|e| AppError::InvalidBody(e.to_string()))?;
    let now = Utc::now();
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
