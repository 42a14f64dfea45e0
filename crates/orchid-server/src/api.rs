//! What every API handler shares: the JSON body extractor whose failures are `{error, message}`
//! answers (never axum's plain-text rejections), the signed-in [`Session`], and small helpers.
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use chrono::{DateTime, Utc};
use orchid_core::ids::{StaffId, StoreId};
use orchid_core::role::Role;
use orchid_core::sync::Actor;
use serde::de::DeserializeOwned;

use crate::AppState;
use crate::auth::token_hash;
use crate::error::AppError;

/// The largest body the API takes (a push of a few hundred mutations fits many times over).
pub const BODY_LIMIT_BYTES: usize = 2 * 1024 * 1024;

/// A JSON body. Malformed JSON is a 400 `bad_json`, a body of the wrong shape (wrong types,
/// unknown mutation kinds, missing fields) a 422 `invalid_body` naming the place, a body over
/// [`BODY_LIMIT_BYTES`] a 413 `too_large`.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        // axum's `Json` parses through `serde_path_to_error`, which tracks the path of every
        // value (a tenth of a push's CPU in a profile). The body is parsed plainly first; only a
        // body that fails goes through axum again, for its answer naming the place.
        if !json_content_type(req.headers()) {
            return Err(AppError::UnsupportedMediaType);
        }
        let bytes = match axum::body::Bytes::from_request(req, state).await {
            Ok(bytes) => bytes,
            Err(rejection) => return Err(json_rejection(JsonRejection::from(rejection))),
        };
        if let Ok(value) = serde_json::from_slice(&bytes) {
            return Ok(ApiJson(value));
        }
        match axum::Json::<T>::from_bytes(&bytes) {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

/// axum's test for a JSON body (`application/json`, or a `+json` type), as `axum::Json` does it.
fn json_content_type(headers: &axum::http::HeaderMap) -> bool {
    let Some(mime) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<mime::Mime>().ok())
    else {
        return false;
    };
    mime.type_() == "application"
        && (mime.subtype() == "json" || mime.suffix().is_some_and(|name| name == "json"))
}

fn json_rejection(rejection: JsonRejection) -> AppError {
    match rejection {
        JsonRejection::JsonSyntaxError(e) => AppError::BadJson(inner_message(&e.body_text())),
        JsonRejection::JsonDataError(e) => AppError::InvalidBody(inner_message(&e.body_text())),
        JsonRejection::MissingJsonContentType(_) => AppError::UnsupportedMediaType,
        JsonRejection::BytesRejection(e) => {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                AppError::TooLarge {
                    limit_bytes: BODY_LIMIT_BYTES,
                }
            } else {
                AppError::BadRequest(e.body_text())
            }
        }
        other => AppError::BadRequest(other.body_text()),
    }
}

/// axum's text is "Failed to deserialize the JSON body into the target type: <serde's reason>";
/// the reason (with its line and column) is what a developer needs.
fn inner_message(text: &str) -> String {
    text.split_once(": ")
        .map_or(text, |(_, rest)| rest)
        .chars()
        .take(500)
        .collect()
}

/// Query parameters; a malformed query is a 400 `bad_request` with serde's reason.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(ApiQuery(value)),
            Err(rejection) => Err(AppError::BadRequest(inner_message(&rejection.body_text()))),
        }
    }
}

/// The signed-in staff member and device behind a request's bearer token. Extracting it refuses
/// a missing, unknown, expired or revoked token with 401 `unauthorized`.
#[derive(Clone, Debug)]
pub struct Session {
    /// The session's public id (the device's entry in `GET /api/v1/devices`).
    pub id: String,
    pub staff_id: StaffId,
    pub staff_name: String,
    pub store_id: StoreId,
    pub role: Role,
    pub device: String,
}

/// A session whose person must still choose her own password (her account was made, or her
/// password reset, by someone else). It is accepted by `POST /auth/password` only: every other
/// route answers 403 `password.must_change`, so a password someone else typed is good for
/// nothing but replacing it.
#[derive(Clone, Debug)]
pub struct PasswordPendingSession(pub Session);

impl Session {
    pub fn actor(&self) -> Actor {
        Actor {
            staff_id: self.staff_id,
            role: self.role,
        }
    }

    /// Refuses unless the role may do `action` (on ordinary data).
    pub fn require(&self, action: orchid_core::permission::Action) -> Result<(), AppError> {
        if orchid_core::permission::allowed(
            self.role,
            action,
            orchid_core::permission::Sensitivity::Ordinary,
        ) {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "a {} may not {}",
                self.role.code(),
                action.code()
            )))
        }
    }

    /// May this session act in (read or write) `store`? Staff act in their own store; the owner
    /// in every store of the chain (every store in this database).
    pub async fn may_act_in(&self, state: &AppState, store: StoreId) -> Result<bool, AppError> {
        Ok(self
            .stores_acted_in(state, &std::collections::BTreeSet::from([store]))
            .await?
            .contains(&store))
    }

    /// The stores among `wanted` this session may act in, by [`Session::may_act_in`]'s rule,
    /// in one query at most (a push names its stores at once).
    pub async fn stores_acted_in(
        &self,
        state: &AppState,
        wanted: &std::collections::BTreeSet<StoreId>,
    ) -> Result<std::collections::BTreeSet<StoreId>, AppError> {
        let mut out: std::collections::BTreeSet<StoreId> = wanted
            .iter()
            .copied()
            .filter(|store| *store == self.store_id)
            .collect();
        let others: Vec<String> = wanted
            .iter()
            .filter(|store| **store != self.store_id)
            .map(StoreId::to_string)
            .collect();
        if others.is_empty() {
            return Ok(out);
        }
        let list = state.db.backend.list_placeholders(others.len());
        let sql = if self.role == Role::Owner {
            // Every store of the chain (every store in this database).
            format!("SELECT id FROM stores WHERE id IN ({list})")
        } else {
            // The stores she also works in (`staff_stores`, set by the owner); her own is the
            // first parameter, after the list's.
            let staff = match state.db.backend {
                crate::db::Backend::Sqlite => "?".to_owned(),
                crate::db::Backend::Postgres => format!("${}", others.len() + 1),
            };
            format!(
                "SELECT store_id FROM staff_stores WHERE store_id IN ({list}) AND staff_id = {staff}"
            )
        };
        let mut query = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql));
        for store in &others {
            query = query.bind(store.as_str());
        }
        if self.role != Role::Owner {
            query = query.bind(self.staff_id.to_string());
        }
        for found in query.fetch_all(&state.db.pool).await? {
            if let Ok(id) = uuid::Uuid::parse_str(&found) {
                out.insert(StoreId(id));
            }
        }
        Ok(out)
    }
}

/// How often a session's "last seen" is written: not on every request, so a busy device does not
/// add a write to each push.
const LAST_SEEN_EVERY_MS: i64 = 60_000;

type SessionRow = (
    String,
    String,
    String,
    Option<String>,
    Option<i64>,
    String,
    String,
    String,
    String,
    Option<i64>,
    i64,
);

impl FromRequestParts<AppState> for Session {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let (session, must_change_password) = load_session(parts, state).await?;
        if must_change_password {
            return Err(AppError::Rejected {
                status: axum::http::StatusCode::FORBIDDEN,
                code: "password.must_change",
                message: "choose your own password first (POST /api/v1/auth/password)".into(),
            });
        }
        Ok(session)
    }
}

impl FromRequestParts<AppState> for PasswordPendingSession {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(PasswordPendingSession(load_session(parts, state).await?.0))
    }
}

/// The session behind the bearer token and whether its person must change her password.
async fn load_session(parts: &Parts, state: &AppState) -> Result<(Session, bool), AppError> {
    let token = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(AppError::Unauthorized)?;
    session_of_token(state, token).await
}

/// The session of a colleague signed in on the caller's device, whose token the caller's pull
/// carries (`PullRequest::colleagues`): `None` for a token that is unknown, expired or revoked, or
/// whose person must still choose her own password.
pub async fn colleague_session(state: &AppState, token: &str) -> Result<Option<Session>, AppError> {
    match session_of_token(state, token).await {
        Ok((session, false)) => Ok(Some(session)),
        Ok((_, true)) | Err(AppError::Unauthorized) => Ok(None),
        Err(other) => Err(other),
    }
}

/// The session behind `token` and whether its person must change her password.
async fn session_of_token(state: &AppState, token: &str) -> Result<(Session, bool), AppError> {
    let hash = token_hash(token);
    let row: Option<SessionRow> = sqlx::query_as(
        "SELECT s.id, s.device, s.expires_at, s.revoked_at, s.last_seen_at,
                    st.id, st.display_name, st.store_id, st.role, st.deactivated_at,
                    st.must_change_password
             FROM sessions s JOIN staff st ON st.id = s.staff_id
             WHERE s.token_hash = $1",
    )
    .bind(&hash)
    .fetch_optional(&state.db.pool)
    .await?;
    let Some((
        id,
        device,
        expires_at,
        revoked_at,
        last_seen,
        staff_id,
        name,
        store_id,
        role,
        deactivated_at,
        must_change_password,
    )) = row
    else {
        return Err(AppError::Unauthorized);
    };
    let now = Utc::now();
    let expired = DateTime::parse_from_rfc3339(&expires_at)
        .map(|t| t.with_timezone(&Utc) <= now)
        .unwrap_or(true);
    // A deactivated account's sessions are revoked when it is deactivated; checked here
    // too, so that no session can outlive the account whatever wrote the row.
    if revoked_at.is_some() || expired || deactivated_at.is_some() {
        return Err(AppError::Unauthorized);
    }
    let parse_uuid = |s: &str| uuid::Uuid::parse_str(s).map_err(AppError::internal);
    let session = Session {
        id,
        staff_id: StaffId(parse_uuid(&staff_id)?),
        staff_name: name,
        store_id: StoreId(parse_uuid(&store_id)?),
        role: Role::from_code(&role).ok_or(AppError::Unauthorized)?,
        device,
    };
    let now_ms = now.timestamp_millis();
    if last_seen.is_none_or(|t| now_ms - t > LAST_SEEN_EVERY_MS) {
        // Through the writer's queue: on SQLite, a write from a reading connection while
        // the writer holds the lock waits in SQLite's busy handler, which sleeps in steps
        // of up to 100 ms — a stall in a storm of pushes.
        state
            .db
            .write_grouped(move |conn| {
                Box::pin(async move {
                    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                        .bind(now_ms)
                        .bind(hash)
                        .execute(conn)
                        .await?;
                    Ok(())
                })
            })
            .await?;
    }
    Ok((session, must_change_password != 0))
}

/// The socket's peer address, when the server runs with connect info (tests driving `app()`
/// directly have none).
pub struct PeerAddr(pub Option<std::net::SocketAddr>);

impl<S: Send + Sync> FromRequestParts<S> for PeerAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(PeerAddr(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0),
        ))
    }
}

/// The caller's address: the socket's peer, or — when the server is told it sits behind a proxy
/// that sets it — the right-most `X-Forwarded-For` entry: the one the proxy added for the peer
/// it saw. Entries to its left were written by the client and prove nothing (taking the first
/// let anyone pick their own address and dodge throttling).
pub fn client_address(
    parts_headers: &axum::http::HeaderMap,
    peer: Option<std::net::SocketAddr>,
    trust_forwarded_for: bool,
) -> String {
    if trust_forwarded_for
        && let Some(last) = parts_headers
            .get_all("x-forwarded-for")
            .iter()
            .next_back()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    {
        return crate::input::log_safe(&last.chars().take(64).collect::<String>());
    }
    peer.map_or_else(|| "unknown".to_owned(), |p| p.ip().to_string())
}

/// Now, in Unix milliseconds (the unit of every new time column).
pub fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}
