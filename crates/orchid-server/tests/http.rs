//! The server over HTTP: `app()` driven with `oneshot`, on a fresh SQLite file and a small dist/.
// Helpers here are test code too, but clippy's allow-unwrap-in-tests only covers `#[test]` fns.
#![allow(clippy::unwrap_used)]
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use orchid_server::config::Config;
use tower::ServiceExt;

struct Fixture {
    _dir: tempfile::TempDir,
    config: Config,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>shell</title>",
    )
    .unwrap();
    std::fs::write(
        dist.join("orchid-0123456789abcdef_bg.wasm"),
        b"\0asm\x01\0\0\0",
    )
    .unwrap();
    std::fs::write(dist.join("boot-0123456789abcdef.js"), "console.log('raw')").unwrap();
    std::fs::write(dist.join("boot-0123456789abcdef.js.br"), b"brotli-bytes").unwrap();
    std::fs::write(dist.join("sw.js"), "// worker").unwrap();
    let config = Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        database_url: format!("sqlite://{}", dir.path().join("data/orchid.db").display()),
        dist,
        owner_password: Some("owner-password-1".into()),
        trust_forwarded_for: false,
        demo: false,
        header_timeout_secs: 30,
        body_timeout_secs: 60,
    };
    Fixture { _dir: dir, config }
}

async fn app(fixture: &Fixture) -> axum::Router {
    orchid_server::prepare(&fixture.config).await.unwrap().0
}

async fn get(
    app: &axum::Router,
    uri: &str,
    accept_encoding: Option<&str>,
) -> axum::response::Response {
    let mut request = Request::get(uri);
    if let Some(encoding) = accept_encoding {
        request = request.header(header::ACCEPT_ENCODING, encoding);
    }
    app.clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap()
}

async fn body_text(response: axum::response::Response) -> String {
    String::from_utf8(
        response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
    .unwrap()
}

#[tokio::test]
async fn pages_carry_the_security_headers_and_the_shell_answers_in_app_routes() {
    let f = fixture();
    let app = app(&f).await;
    let response = get(&app, "/customers", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers();
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("'wasm-unsafe-eval'"));
    assert!(!csp.contains("'unsafe-eval'"));
    assert!(!csp.contains("'unsafe-inline'"));
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(headers.contains_key(header::REFERRER_POLICY));
    assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
    assert!(body_text(response).await.contains("shell"));
}

#[tokio::test]
async fn wasm_is_served_as_wasm_and_cached_forever() {
    let f = fixture();
    let app = app(&f).await;
    let response = get(&app, "/orchid-0123456789abcdef_bg.wasm", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/wasm");
    assert_eq!(
        response.headers()[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    let sw = get(&app, "/sw.js", None).await;
    assert_eq!(sw.headers()[header::CACHE_CONTROL], "no-cache");
}

#[tokio::test]
async fn precompressed_files_are_served_when_the_browser_accepts_them() {
    let f = fixture();
    let app = app(&f).await;
    let br = get(&app, "/boot-0123456789abcdef.js", Some("gzip, br")).await;
    assert_eq!(br.headers()[header::CONTENT_ENCODING], "br");
    assert_eq!(body_text(br).await, "brotli-bytes");
    let plain = get(&app, "/boot-0123456789abcdef.js", None).await;
    assert!(!plain.headers().contains_key(header::CONTENT_ENCODING));
    assert_eq!(body_text(plain).await, "console.log('raw')");
}

#[tokio::test]
async fn missing_files_and_api_paths_are_404_not_the_shell() {
    let f = fixture();
    let app = app(&f).await;
    assert_eq!(
        get(&app, "/missing-file.js", None).await.status(),
        StatusCode::NOT_FOUND
    );
    let api = get(&app, "/api/v1/nothing-here", None).await;
    assert_eq!(api.status(), StatusCode::NOT_FOUND);
    let body: serde_json::Value = serde_json::from_str(&body_text(api).await).unwrap();
    assert_eq!(body["error"], "not_found");
    assert!(body["message"].is_string());
}

async fn sign_in(app: &axum::Router, login: &str, password: &str) -> axum::response::Response {
    let body = serde_json::json!({ "login": login, "password": password, "device": "test" });
    app.clone()
        .oneshot(
            Request::post("/api/v1/auth/sign-in")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn the_owner_created_at_first_start_can_sign_in_and_nobody_else() {
    let f = fixture();
    let app = app(&f).await;
    let ok = sign_in(&app, "owner", "owner-password-1").await;
    assert_eq!(ok.status(), StatusCode::OK);
    let body: serde_json::Value = serde_json::from_str(&body_text(ok).await).unwrap();
    assert_eq!(body["role"], "owner");
    assert_eq!(body["token"].as_str().unwrap().len(), 43);

    for (login, password) in [("owner", "wrong"), ("nobody", "owner-password-1")] {
        let denied = sign_in(&app, login, password).await;
        assert_eq!(denied.status(), StatusCode::UNAUTHORIZED);
        let body: serde_json::Value = serde_json::from_str(&body_text(denied).await).unwrap();
        assert_eq!(body["error"], "bad_credentials");
    }
}

#[tokio::test]
async fn a_second_start_keeps_the_owner_and_its_password() {
    let f = fixture();
    drop(app(&f).await);
    let mut second = f.config.clone();
    second.owner_password = Some("another-password".into());
    let (app, _listener) = orchid_server::prepare(&second).await.unwrap();
    assert_eq!(
        sign_in(&app, "owner", "owner-password-1").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        sign_in(&app, "owner", "another-password").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_port_in_use_and_an_unwritable_folder_are_explained() {
    let f = fixture();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let mut config = f.config.clone();
    config.addr = taken.local_addr().unwrap();
    let err = orchid_server::prepare(&config)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("already in use") && err.contains("ORCHID_ADDR"),
        "{err}"
    );

    let mut config = f.config.clone();
    // A regular file where the data folder should be: no folder can be made there.
    let blocker = f._dir.path().join("not-a-folder");
    std::fs::write(&blocker, "x").unwrap();
    config.database_url = format!("sqlite://{}/orchid.db", blocker.display());
    let err = orchid_server::prepare(&config)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("cannot use the data folder") && err.contains("ORCHID_DATABASE_URL"),
        "{err}"
    );
}
