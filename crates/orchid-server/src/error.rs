//! Errors: what the API answers (`AppError`), and what stops the server at start (`StartError`).
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An API error, answered as `{ "error": code, "message": text }` with the matching status.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("the login name or password is wrong")]
    BadCredentials,
    #[error("the request is not valid: {0}")]
    BadRequest(String),
    #[error("not found")]
    NotFound,
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl AppError {
    pub fn internal(err: impl std::error::Error + Send + Sync + 'static) -> Self {
        AppError::Internal(Box::new(err))
    }

    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            AppError::BadCredentials => (StatusCode::UNAUTHORIZED, "bad_credentials"),
            AppError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            AppError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        AppError::internal(err)
    }
}

#[derive(Serialize)]
struct ErrorBody {
    error: &'static str,
    message: String,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        if let AppError::Internal(source) = &self {
            // The details stay in the log; the client gets no internals.
            tracing::error!(error = %source, "internal error");
        }
        (
            status,
            Json(ErrorBody {
                error: code,
                message: self.to_string(),
            }),
        )
            .into_response()
    }
}

/// Why the server could not start, each with what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(
        "the address {addr} is already in use. Stop the program using it, or choose another with ORCHID_ADDR (for example ORCHID_ADDR=127.0.0.1:8081)."
    )]
    AddressInUse { addr: std::net::SocketAddr },
    #[error("cannot listen on {addr}: {source}. Choose another address with ORCHID_ADDR.")]
    Listen {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error(
        "cannot use the data folder {folder}: {source}. Make it writable, or put the database elsewhere with ORCHID_DATABASE_URL=sqlite:///some/writable/folder/orchid.db"
    )]
    DataFolder {
        folder: String,
        source: std::io::Error,
    },
    #[error(
        "ORCHID_DATABASE_URL must start with sqlite:// (PostgreSQL support comes with the [server] work); got {0}"
    )]
    UnsupportedDatabase(String),
    #[error("cannot open the database {url}: {source}")]
    Database { url: String, source: sqlx::Error },
    #[error("cannot update the database schema: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot create the owner account: {0}")]
    Owner(String),
}
