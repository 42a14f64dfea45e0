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
    #[error("sign in first: the token is missing, expired or revoked")]
    Unauthorized,
    #[error("too many failed sign-ins; try again in {retry_after_secs} seconds")]
    Throttled { retry_after_secs: u64 },
    #[error("not allowed: {0}")]
    Forbidden(String),
    #[error("the request is not valid: {0}")]
    BadRequest(String),
    #[error("the body is not valid JSON: {0}")]
    BadJson(String),
    #[error("the body does not have the expected shape: {0}")]
    InvalidBody(String),
    #[error("send the body as JSON (Content-Type: application/json)")]
    UnsupportedMediaType,
    #[error("the body is larger than the {limit_bytes} bytes allowed")]
    TooLarge { limit_bytes: usize },
    #[error("{0}")]
    Sync(#[from] orchid_core::sync::SyncError),
    #[error("{0}")]
    Conflict(String),
    #[error("not found")]
    NotFound,
    #[error("this path does not take that method")]
    MethodNotAllowed,
    #[error("the server is busy; try again shortly")]
    Busy,
    /// A refusal with a code of its own (`password.too_short`, `account_deactivated`…): the
    /// client translates by code.
    #[error("{message}")]
    Rejected {
        status: StatusCode,
        code: &'static str,
        message: String,
    },
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl AppError {
    pub fn internal(err: impl std::error::Error + Send + Sync + 'static) -> Self {
        AppError::Internal(Box::new(err))
    }

    pub fn status_and_code(&self) -> (StatusCode, &'static str) {
        use orchid_core::sync::SyncError;
        match self {
            AppError::BadCredentials => (StatusCode::UNAUTHORIZED, "bad_credentials"),
            AppError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            AppError::Throttled { .. } => (StatusCode::TOO_MANY_REQUESTS, "throttled"),
            AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            AppError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            AppError::BadJson(_) => (StatusCode::BAD_REQUEST, "bad_json"),
            AppError::InvalidBody(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
            AppError::UnsupportedMediaType => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            }
            AppError::TooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            AppError::Sync(e) => match e {
                SyncError::WrongStore { .. }
                | SyncError::WrongClient
                | SyncError::ActorMismatch
                | SyncError::EntityInOtherStore
                | SyncError::RoleNotGrantable { .. }
                | SyncError::OwnAccount
                | SyncError::OwnerOnly
                | SyncError::DeviceTaken => (StatusCode::FORBIDDEN, e.code()),
                _ => (StatusCode::BAD_REQUEST, e.code()),
            },
            AppError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            AppError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            AppError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            AppError::Busy => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
            AppError::Rejected { status, code, .. } => (*status, code),
            AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        // Lock time-outs (SQLite "database is locked", PostgreSQL deadlocks and serialization
        // failures) are load, not bugs: the client retries the same push, which is idempotent.
        if is_busy(&err) {
            tracing::warn!(error = %err, "database busy");
            return AppError::Busy;
        }
        AppError::internal(err)
    }
}

impl AppError {
    /// The same answer as `From<sqlx::Error>` for an error that several requests share (a
    /// grouped commit that failed fails every push of the group).
    pub fn from_shared(err: &sqlx::Error) -> Self {
        if is_busy(err) {
            tracing::warn!(error = %err, "database busy");
            return AppError::Busy;
        }
        AppError::internal(std::io::Error::other(err.to_string()))
    }
}

fn is_busy(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(db) => {
            matches!(
                db.code().as_deref(),
                Some("5" | "6" | "517" | "40001" | "40P01")
            ) || db.message().contains("database is locked")
        }
        sqlx::Error::PoolTimedOut => true,
        _ => false,
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
        let retry_after = match &self {
            AppError::Throttled { retry_after_secs } => Some(*retry_after_secs),
            AppError::Busy => Some(1),
            _ => None,
        };
        let mut response = (
            status,
            Json(ErrorBody {
                error: code,
                message: self.to_string(),
            }),
        )
            .into_response();
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        response
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
        "ORCHID_DATABASE_URL must start with sqlite:// or postgres:// (for example sqlite://data/orchid.db); got {0}"
    )]
    UnsupportedDatabase(String),
    #[error("cannot open the database {url}: {source}")]
    Database { url: String, source: sqlx::Error },
    #[error("cannot update the database schema: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot create the owner account: {0}")]
    Owner(String),
}
