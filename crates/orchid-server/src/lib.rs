//! 兰心 Orchid's server: the HTTP API under `/api/v1` and the built client, over one database.
// The OpenAPI schemas are one large `json!` literal.
#![recursion_limit = "512"]
pub mod admin;
pub mod api;
pub mod audit;
pub mod auth;
pub mod complaint_numbers;
pub mod config;
pub mod customers;
pub mod db;
pub mod device_binding;
pub mod error;
pub mod head_office;
pub mod input;
pub mod live;
pub mod online_booking;
pub mod openapi;
pub mod server_change;
pub mod store_replicas;
pub mod sync;
pub mod visibility;
pub mod web;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::any;

use crate::config::Config;
use crate::db::Database;
use crate::error::StartError;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Database,
    /// A valid hash of nothing in particular: sign-in for an unknown login verifies against it
    /// so that it takes as long as for a known one.
    pub dummy_hash: Arc<str>,
    /// Take the client's address from `X-Forwarded-For` (only behind a proxy that sets it).
    pub trust_forwarded_for: bool,
    /// A server for trying Orchid (`--demo`): its devices may load the demo store.
    pub demo: bool,
    /// Each store's records replayed from its log, for the figures the server computes itself.
    pub replicas: store_replicas::StoreReplicas,
    /// Devices waiting for their store's next change (`POST /sync/wait`).
    pub live: live::Live,
}

/// The whole HTTP surface, without a socket: tests drive it with `oneshot`.
pub fn app(state: AppState, config: &Config) -> Router {
    // Every route comes from the table the OpenAPI document is built from.
    let api = openapi::routes()
        .into_iter()
        .fold(Router::new(), |router, route| {
            router.route(route.path, route.handler)
        })
        .fallback(any(web::api_not_found))
        .method_not_allowed_fallback(web::api_method_not_allowed)
        .layer(DefaultBodyLimit::max(api::BODY_LIMIT_BYTES));
    // The store's public booking page: plain HTML, a small script and a style sheet (not the app).
    let booking_page = Router::new()
        .route("/book/{code}", axum::routing::get(online_booking::page))
        .route(
            "/book/{code}/manage",
            axum::routing::get(online_booking::manage_page),
        )
        .route(
            "/book/{code}/qr.svg",
            axum::routing::get(online_booking::qr),
        )
        .route(
            "/booking-page/book.js",
            axum::routing::get(online_booking::page_script),
        )
        .route(
            "/booking-page/book.css",
            axum::routing::get(online_booking::page_style),
        );
    Router::new()
        .nest("/api/v1", api)
        .merge(booking_page)
        .fallback(web::static_files(&config.dist))
        .layer(axum::middleware::from_fn(web::security_headers))
        // A body that trickles in is cut off: a few slow clients must not hold requests (and
        // their database connections) open.
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            std::time::Duration::from_secs(config.body_timeout_secs.max(1)),
        ))
        .with_state(state)
}

/// Serves `app` on `listener` until `shutdown` completes, then lets open requests finish (at
/// most 10 s). Not `axum::serve`: it cannot set a header read timeout (hyper's is off without a
/// timer), so a client sending half a header would hold its connection for ever. Each
/// connection is served by hyper's HTTP/1 builder with a timer and `header_timeout_secs`.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    config: &Config,
    shutdown: impl std::future::Future<Output = ()> + Send,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;

    let header_timeout = std::time::Duration::from_secs(config.header_timeout_secs.max(1));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(err) => {
                    // Out of file descriptors and the like: wait a moment instead of spinning.
                    tracing::warn!(error = %err, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // The peer address feeds sign-in throttling per address, as `ConnectInfo`.
        let service = tower::ServiceExt::map_request(
            app.clone(),
            move |mut request: axum::http::Request<hyper::body::Incoming>| {
                request
                    .extensions_mut()
                    .insert(axum::extract::ConnectInfo(peer));
                request.map(axum::body::Body::new)
            },
        );
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(header_timeout)
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let watched = graceful.watch(connection);
        tokio::spawn(async move {
            // A client that went away or was cut off by a timeout: nothing to do.
            let _ = watched.await;
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), graceful.shutdown()).await;
    Ok(())
}

/// Opens the database, creates the owner on first start, binds the address.
pub async fn prepare(config: &Config) -> Result<(Router, tokio::net::TcpListener), StartError> {
    let state = state(config).await?;
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

/// Opens the database and creates the owner on first start: everything but the socket (tests
/// use it to reach the database behind the app).
pub async fn state(config: &Config) -> Result<AppState, StartError> {
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
    let live = live::Live::default();
    live.spawn_poller(db.clone());
    Ok(AppState {
        db,
        dummy_hash: dummy_hash.into(),
        trust_forwarded_for: config.trust_forwarded_for,
        demo: config.demo,
        replicas: store_replicas::StoreReplicas::default(),
        live,
    })
}
