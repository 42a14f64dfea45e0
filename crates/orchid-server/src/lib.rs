//! 兰心 Orchid's server: the HTTP API under `/api/v1` and the built client, over one database.
pub mod auth;
pub mod config;
pub mod db;
pub mod error;
pub mod web;

use std::sync::Arc;

use axum::Router;
use axum::routing::{any, get, post};

use crate::config::Config;
use crate::db::Db;
use crate::error::StartError;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// A valid hash of nothing in particular: sign-in for an unknown login verifies against it
    /// so that it takes as long as for a known one.
    pub dummy_hash: Arc<str>,
}

/// The whole HTTP surface, without a socket: tests drive it with `oneshot`.
pub fn app(state: AppState, config: &Config) -> Router {
    let api = Router::new()
        .route("/health", get(web::health))
        .route("/auth/sign-in", post(auth::sign_in))
        .fallback(any(web::api_not_found));
    Router::new()
        .nest("/api/v1", api)
        .fallback(web::static_files(&config.dist))
        .layer(axum::middleware::from_fn(web::security_headers))
        .with_state(state)
}

/// Opens the database, creates the owner on first start, binds the address.
pub async fn prepare(config: &Config) -> Result<(Router, tokio::net::TcpListener), StartError> {
    let db = db::open(&config.database_url).await?;
    match auth::ensure_owner(&db, config.owner_password.as_deref()).await? {
        auth::OwnerAccount::AlreadyThere => {}
        auth::OwnerAccount::Created {
            generated_password: Some(password),
        } => {
            println!(
                "Created the owner account. Sign in as `{}` with the password {password}\n  (shown only this once; write it down, or set ORCHID_OWNER_PASSWORD before the first start)",
                auth::OWNER_LOGIN
            );
        }
        auth::OwnerAccount::Created {
            generated_password: None,
        } => {
            println!(
                "Created the owner account. Sign in as `{}` with the password from ORCHID_OWNER_PASSWORD.",
                auth::OWNER_LOGIN
            );
        }
    }
    let dummy_hash = tokio::task::spawn_blocking(|| auth::hash_password("not a password"))
        .await
        .map_err(|e| StartError::Owner(e.to_string()))?
        .map_err(|e| StartError::Owner(e.to_string()))?;
    let state = AppState {
        db,
        dummy_hash: dummy_hash.into(),
    };
    if !config.dist.join("index.html").is_file() {
        tracing::warn!(
            "{} has no index.html: build the client with `cargo xtask run` (or `trunk build --release`); the API works meanwhile",
            config.dist.display()
        );
    }
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|source| {
            if source.kind() == std::io::ErrorKind::AddrInUse {
                StartError::AddressInUse { addr: config.addr }
            } else {
                StartError::Listen {
                    addr: config.addr,
                    source,
                }
            }
        })?;
    Ok((app(state, config), listener))
}
