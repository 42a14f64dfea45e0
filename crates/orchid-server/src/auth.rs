//! Passwords, the owner account, sign-in and session tokens.
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::Json;
use axum::extract::State;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, Utc};
use rand::RngCore;
use rand::rngs::OsRng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::AppState;
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
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM staff")
        .fetch_one(db)
        .await
        .map_err(|e| StartError::Owner(e.to_string()))?;
    if count > 0 {
        return Ok(OwnerAccount::AlreadyThere);
    }
    let generated = password.is_none().then(random_password);
    let password = password.or(generated.as_deref()).unwrap_or_default();
    if password.chars().count() < 8 {
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
    let mut tx = db
        .begin()
        .await
        .map_err(|e| StartError::Owner(e.to_string()))?;
    sqlx::query("INSERT INTO stores (id, name, created_at) VALUES (?, ?, ?)")
        .bind(&store_id)
        .bind("兰心 Orchid")
        .bind(&now)
        .execute(&mut *tx)
        .await
        .map_err(|e| StartError::Owner(e.to_string()))?;
    sqlx::query(
        "INSERT INTO staff (id, store_id, login, display_name, role, password_hash, created_at)
         VALUES (?, ?, ?, ?, 'owner', ?, ?)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(&store_id)
    .bind(OWNER_LOGIN)
    .bind("店长 Owner")
    .bind(&hash)
    .bind(&now)
    .execute(&mut *tx)
    .await
    .map_err(|e| StartError::Owner(e.to_string()))?;
    tx.commit()
        .await
        .map_err(|e| StartError::Owner(e.to_string()))?;
    Ok(OwnerAccount::Created {
        generated_password: generated,
    })
}

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
    pub staff_name: String,
    pub role: String,
    pub expires_at: String,
}

pub async fn sign_in(
    State(state): State<AppState>,
    Json(request): Json<SignInRequest>,
) -> Result<Json<SignInResponse>, AppError> {
    let row: Option<(String, String, String, String)> =
        sqlx::query_as("SELECT id, display_name, role, password_hash FROM staff WHERE login = ?")
            .bind(request.login.trim())
            .fetch_optional(&state.db)
            .await?;
    // Verify against a real hash even for an unknown login, so timing does not tell which
    // logins exist.
    let (staff_id, name, role, hash) = row.unwrap_or_else(|| {
        (
            String::new(),
            String::new(),
            String::new(),
            state.dummy_hash.to_string(),
        )
    });
    let password = request.password;
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(AppError::internal)?;
    if !matches || staff_id.is_empty() {
        tracing::info!(login = %request.login, "failed sign-in");
        return Err(AppError::BadCredentials);
    }
    let token = new_token();
    let now = Utc::now();
    let expires = now + Duration::days(SESSION_DAYS);
    let device: String = request.device.chars().take(200).collect();
    sqlx::query(
        "INSERT INTO sessions (token_hash, staff_id, device, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(token_hash(&token))
    .bind(&staff_id)
    .bind(device)
    .bind(now.to_rfc3339())
    .bind(expires.to_rfc3339())
    .execute(&state.db)
    .await?;
    Ok(Json(SignInResponse {
        token,
        staff_name: name,
        role,
        expires_at: expires.to_rfc3339(),
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
