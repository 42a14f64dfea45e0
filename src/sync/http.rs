//! A small JSON-over-fetch helper, so the rest of `sync` speaks in Rust types.
use serde::{Serialize, de::DeserializeOwned};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

/// Why a request to the server did not give the answer we wanted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpError {
    /// No answer at all: offline, server down, DNS.
    Unreachable,
    /// The server answered with this status and `{ error, message }` body (or none).
    Status { status: u16, code: Option<String> },
    /// The answer was not the JSON we expected.
    BadBody,
}

#[derive(serde::Deserialize)]
struct ErrorBody {
    error: String,
}

/// POSTs `body` as JSON and reads the JSON answer.
pub async fn post_json<B: Serialize, R: DeserializeOwned>(
    url: &str,
    body: &B,
) -> Result<R, HttpError> {
    post_json_with(url, None, body).await
}

/// The same, with `Authorization: Bearer <token>`.
pub async fn post_json_auth<B: Serialize, R: DeserializeOwned>(
    url: &str,
    token: &str,
    body: &B,
) -> Result<R, HttpError> {
    post_json_with(url, Some(token), body).await
}

/// GETs `url` with `Authorization: Bearer <token>` and reads the JSON answer.
pub async fn get_json_auth<R: DeserializeOwned>(url: &str, token: &str) -> Result<R, HttpError> {
    send_json("GET", url, Some(token), None).await
}

async fn post_json_with<B: Serialize, R: DeserializeOwned>(
    url: &str,
    token: Option<&str>,
    body: &B,
) -> Result<R, HttpError> {
    let text = serde_json::to_string(body).map_err(|_| HttpError::BadBody)?;
    send_json("POST", url, token, Some(&text)).await
}

async fn send_json<R: DeserializeOwned>(
    method: &str,
    url: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> Result<R, HttpError> {
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(text) = body {
        init.set_body(&JsValue::from_str(text));
    }
    let request = Request::new_with_str_and_init(url, &init).map_err(|_| HttpError::BadBody)?;
    if body.is_some() {
        request
            .headers()
            .set("content-type", "application/json")
            .map_err(|_| HttpError::BadBody)?;
    }
    if let Some(token) = token {
        request
            .headers()
            .set("authorization", &format!("Bearer {token}"))
            .map_err(|_| HttpError::BadBody)?;
        if let Some(key) = crate::storage::settings::device_key() {
            request
                .headers()
                .set("orchid-device-key", &key)
                .map_err(|_| HttpError::BadBody)?;
        }
    }
    let window = web_sys::window().ok_or(HttpError::Unreachable)?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|_| HttpError::Unreachable)?
        .dyn_into()
        .map_err(|_| HttpError::BadBody)?;
    // The body as bytes, parsed as they came: as text, the browser would decode it to UTF-16 and
    // wasm-bindgen encode it back to UTF-8 (a pull page of 1,000 changes is about 400 KB).
    let body = JsFuture::from(response.array_buffer().map_err(|_| HttpError::BadBody)?)
        .await
        .map_err(|_| HttpError::BadBody)?;
    let json = js_sys::Uint8Array::new(&body).to_vec();
    if !response.ok() {
        let code = serde_json::from_slice::<ErrorBody>(&json)
            .ok()
            .map(|b| b.error);
        return Err(HttpError::Status {
            status: response.status(),
            code,
        });
    }
    serde_json::from_slice(&json).map_err(|_| HttpError::BadBody)
}
