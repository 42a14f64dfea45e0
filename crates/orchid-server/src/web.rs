//! Serving the built client: security headers on every answer, the right caching per file, the
//! app shell for in-app routes, and the precompressed `.br`/`.gz` files written at build time.
use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

/// No inline script and no `eval`; only the wasm compiler (`'wasm-unsafe-eval'`).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; \
worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// The app uses none of these browser features (it types, shows and syncs; notifications and
/// storage are not governed by this header): deny them all, so that an injected script or a
/// framed page cannot ask for them either.
pub const PERMISSIONS_POLICY: &str = "accelerometer=(), ambient-light-sensor=(), autoplay=(), \
bluetooth=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), hid=(), \
magnetometer=(), microphone=(), midi=(), payment=(), publickey-credentials-get=(), serial=(), \
usb=(), xr-spatial-tracking=()";

/// Adds the headers every answer carries.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static(PERMISSIONS_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(cache_control(&path)),
        );
    }
    response
}

/// Hashed build output never changes under its name: cache it for a year. The page, the service
/// worker and the manifest must be asked for every time, or an update is never seen.
pub fn cache_control(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or_default();
    if path.starts_with("/api/") {
        "no-store"
    } else if is_hashed(name) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

/// Trunk names hashed files `name-<hex>.ext` (and `name-<hex>_bg.wasm`): a 64-bit hash in hex,
/// without leading zeros, so usually 16 digits and sometimes fewer. Twelve or more hex digits
/// cannot be a word or a size like `icon-192`.
fn is_hashed(file_name: &str) -> bool {
    let stem = file_name.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (12..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

/// The static files of `dist/`, with `index.html` for any path without a file extension
/// (an in-app route such as `/customers`), and 404 for missing files.
pub fn static_files<S: Clone + Send + Sync + 'static>(
    dist: &Path,
) -> axum::routing::MethodRouter<S> {
    let dist: PathBuf = dist.to_path_buf();
    axum::routing::get(move |request: Request| {
        let dist = dist.clone();
        async move {
            let path = request.uri().path().to_owned();
            let has_extension = path
                .rsplit('/')
                .next()
                .is_some_and(|name| name.contains('.'));
            let files = ServeDir::new(&dist)
                .precompressed_br()
                .precompressed_gzip()
                .append_index_html_on_directories(true);
            let response = if has_extension || path == "/" {
                files.oneshot(request).await
            } else {
                ServeFile::new(dist.join("index.html"))
                    .precompressed_br()
                    .precompressed_gzip()
                    .oneshot(request)
                    .await
            };
            match response {
                Ok(response) => {
                    let mut response = response.map(Body::new);
                    if path == "/" || !has_extension {
                        // The shell answers for many URLs: never cache it under any of them.
                        response
                            .headers_mut()
                            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
                    }
                    response
                }
                Err(never) => match never {},
            }
        }
    })
}

pub async fn api_not_found() -> impl IntoResponse {
    crate::error::AppError::NotFound
}

pub async fn api_method_not_allowed() -> impl IntoResponse {
    crate::error::AppError::MethodNotAllowed
}

pub async fn health() -> impl IntoResponse {
    (
        StatusCode::OK,
        axum::Json(serde_json::json!({ "status": "ok", "version": env!("CARGO_PKG_VERSION") })),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_assets_are_immutable_and_the_shell_is_not() {
        assert_eq!(
            cache_control("/orchid-0123456789abcdef_bg.wasm"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(
            cache_control("/boot-0123456789abcdef.js"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(cache_control("/index.html"), "no-cache");
        assert_eq!(cache_control("/sw.js"), "no-cache");
        assert_eq!(cache_control("/manifest.webmanifest"), "no-cache");
        assert_eq!(cache_control("/icons/icon-192.png"), "no-cache");
        assert_eq!(cache_control("/api/v1/health"), "no-store");
        assert_eq!(cache_control("/tiny-0123.css"), "no-cache");
        assert_eq!(
            cache_control("/tokens-8f81402c104875c.css"),
            "public, max-age=31536000, immutable"
        );
    }
}
