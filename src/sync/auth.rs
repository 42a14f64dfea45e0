//! Signing in against the server.
use serde::{Deserialize, Serialize};

use super::http::{HttpError, post_json};
use crate::storage::settings::Session;

#[derive(Serialize)]
struct SignInRequest<'a> {
    login: &'a str,
    password: &'a str,
    device: &'a str,
}

#[derive(Deserialize)]
struct SignInResponse {
    token: String,
    staff_name: String,
    role: String,
    #[serde(default)]
    staff_id: Option<orchid_core::ids::StaffId>,
    #[serde(default)]
    store_id: Option<orchid_core::ids::StoreId>,
    #[serde(default)]
    expires_at: Option<String>,
    #[serde(default)]
    must_change_password: bool,
    #[serde(default)]
    demo_server: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInError {
    WrongCredentials,
    /// Too many failed attempts: the server makes this account or address wait.
    Throttled,
    Unreachable,
}

pub async fn sign_in(login: &str, password: &str) -> Result<Session, SignInError> {
    let device = web_sys::window()
        .and_then(|w| w.navigator().user_agent().ok())
        .unwrap_or_default();
    let response: Result<SignInResponse, _> = post_json(
        "/api/v1/auth/sign-in",
        &SignInRequest {
            login,
            password,
            device: &device,
        },
    )
    .await;
    match response {
        Ok(r) => Ok(Session {
            token: r.token,
            staff_name: r.staff_name,
            role: r.role,
            staff_id: r.staff_id,
            store_id: r.store_id,
            expires_at: r.expires_at,
            must_change_password: r.must_change_password,
            demo_server: r.demo_server,
        }),
        Err(HttpError::Status { status: 429, .. }) => Err(SignInError::Throttled),
        Err(HttpError::Status {
            status: 401 | 403, ..
        }) => Err(SignInError::WrongCredentials),
        Err(_) => Err(SignInError::Unreachable),
    }
}
