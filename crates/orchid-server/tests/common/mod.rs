//! The test server: `app()` on a fresh database — SQLite in a temporary folder, or a fresh
//! PostgreSQL database when `ORCHID_TEST_POSTGRES_URL` names a server — and helpers to call it.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::{DateTime, Utc};
use http_body_util::BodyExt;
use orchid_core::consent::{
    ConsentDecision, ConsentMethod, ConsentPurpose, ConsentRecord, HEALTH_TEXT_VERSION,
};
use orchid_core::hlc::Hlc;
use orchid_core::ids::{ClientId, StaffId, StoreId};
use orchid_core::role::Role;
use orchid_core::sync::{Actor, Change, Mutation, PullResponse, PushResponse, SyncClient};
use orchid_server::AppState;
use orchid_server::config::Config;
use serde_json::{Value, json};
use tower::ServiceExt;

pub const OWNER_PASSWORD: &str = "owner-password-1";
pub const PASSWORD: &str = "staff-password-1";
/// The first password a manager gives a new account; the person replaces it with [`PASSWORD`].
pub const FIRST_PASSWORD: &str = "first-password-9";

pub struct TestServer {
    pub dir: tempfile::TempDir,
    pub config: Config,
    pub state: AppState,
    pub app: axum::Router,
}

/// Which back end the tests run on: PostgreSQL when `ORCHID_TEST_POSTGRES_URL` is set (each
/// server gets a database of its own), SQLite otherwise.
pub async fn database_url(dir: &std::path::Path) -> String {
    match std::env::var("ORCHID_TEST_POSTGRES_URL") {
        Ok(admin) if !admin.is_empty() => {
            use sqlx::Executor;
            sqlx::any::install_default_drivers();
            let name = format!("orchid_test_{}", uuid::Uuid::now_v7().simple());
            let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin)
                .await
                .unwrap();
            conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .await
                .unwrap();
            let mut url = url::Url::parse(&admin).unwrap();
            url.set_path(&format!("/{name}"));
            url.to_string()
        }
        _ => format!("sqlite://{}", dir.join("data/orchid.db").display()),
    }
}

impl TestServer {
    pub async fn start() -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let dist = dir.path().join("dist");
        std::fs::create_dir_all(&dist).unwrap();
        std::fs::write(
            dist.join("index.html"),
            "<!doctype html><title>shell</title>",
        )
        .unwrap();
        let config = Config {
            addr: "127.0.0.1:0".parse().unwrap(),
            database_url: database_url(dir.path()).await,
            dist,
            owner_password: Some(OWNER_PASSWORD.into()),
            trust_forwarded_for: false,
            demo: false,
            header_timeout_secs: 30,
            body_timeout_secs: 60,
        };
        let state = orchid_server::state(&config).await.unwrap();
        let app = orchid_server::app(state.clone(), &config);
        TestServer {
            dir,
            config,
            state,
            app,
        }
    }

    pub fn pool(&self) -> &sqlx::AnyPool {
        &self.state.db.pool
    }

    /// Sends a request; answers the status and the body as JSON (`Null` when empty or not JSON).
    pub async fn call(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let body = match body {
            Some(v) => {
                request = request.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        self.raw(request.body(body).unwrap()).await
    }

    /// A `GET` as `staff`.
    pub async fn get(&self, uri: &str, staff: &Staff) -> (StatusCode, Value) {
        self.call(Method::GET, uri, Some(&staff.token), None).await
    }

    pub async fn raw(&self, request: Request<Body>) -> (StatusCode, Value) {
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    pub async fn sign_in(&self, login: &str, password: &str) -> (StatusCode, Value) {
        self.call(
            Method::POST,
            "/api/v1/auth/sign-in",
            None,
            Some(json!({ "login": login, "password": password, "device": "test tablet" })),
        )
        .await
    }

    /// Signs in; panics unless it works.
    pub async fn staff(&self, login: &str, password: &str) -> Staff {
        let (status, body) = self.sign_in(login, password).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        // A salon's server (not started with `--demo`) tells the app not to offer the demo store.
        assert_eq!(body["demo_server"], false, "{body}");
        Staff {
            token: body["token"].as_str().unwrap().to_owned(),
            staff_id: StaffId(body["staff_id"].as_str().unwrap().parse().unwrap()),
            store_id: StoreId(body["store_id"].as_str().unwrap().parse().unwrap()),
            role: Role::from_code(body["role"].as_str().unwrap()).unwrap(),
        }
    }

    pub async fn owner(&self) -> Staff {
        self.staff("owner", OWNER_PASSWORD).await
    }

    /// Creates a member of staff (as `by`, through the API), signs them in and has them choose
    /// their own password ([`PASSWORD`]), as the first sign-in requires.
    pub async fn add_staff(&self, by: &Staff, store: StoreId, login: &str, role: Role) -> Staff {
        let (status, body) = self
            .call(
                Method::POST,
                "/api/v1/staff",
                Some(&by.token),
                Some(json!({
                    "store_id": store,
                    "login": login,
                    "display_name": login,
                    "role": role,
                    "password": FIRST_PASSWORD,
                })),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let staff = self.staff(login, FIRST_PASSWORD).await;
        let (status, body) = self
            .call(
                Method::POST,
                "/api/v1/auth/password",
                Some(&staff.token),
                Some(json!({ "old_password": FIRST_PASSWORD, "new_password": PASSWORD })),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        staff
    }

    /// Creates a store (as the owner).
    pub async fn add_store(&self, owner: &Staff, name: &str) -> StoreId {
        let (status, body) = self
            .call(
                Method::POST,
                "/api/v1/stores",
                Some(&owner.token),
                Some(json!({ "name": name })),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        StoreId(body["id"].as_str().unwrap().parse().unwrap())
    }

    pub async fn push_json(&self, staff: &Staff, body: Value) -> (StatusCode, Value) {
        self.call(
            Method::POST,
            "/api/v1/sync/push",
            Some(&staff.token),
            Some(body),
        )
        .await
    }

    pub async fn pull_json(&self, staff: &Staff, body: Value) -> (StatusCode, Value) {
        self.call(
            Method::POST,
            "/api/v1/sync/pull",
            Some(&staff.token),
            Some(body),
        )
        .await
    }

    /// Pushes the device's outbox (up to `max`) and takes in the answer.
    pub async fn push(&self, staff: &Staff, device: &mut SyncClient, max: usize) -> PushResponse {
        let request = device.push_request(max).unwrap();
        let (status, body) = self
            .push_json(staff, serde_json::to_value(&request).unwrap())
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let response: PushResponse = serde_json::from_value(body).unwrap();
        device.on_push_response(&response).unwrap();
        response
    }

    /// Pulls until nothing more waits.
    pub async fn pull_all(&self, staff: &Staff, device: &mut SyncClient, limit: u32) {
        loop {
            let response = self.pull(staff, device, limit).await;
            if !response.has_more {
                return;
            }
        }
    }

    pub async fn pull(&self, staff: &Staff, device: &mut SyncClient, limit: u32) -> PullResponse {
        let request = device.pull_request(limit);
        let (status, body) = self
            .pull_json(staff, serde_json::to_value(&request).unwrap())
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let response: PullResponse = serde_json::from_value(body).unwrap();
        device.on_pull_response(&response, now()).unwrap();
        response
    }

    /// How many changes devices made in a store's log (not counting the server's own, e.g. the
    /// `staff.upsert` of each account a test creates).
    pub async fn change_count(&self, store: StoreId) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM changes WHERE store_id = $1 AND client_id <> $1")
            .bind(store.to_string())
            .fetch_one(self.pool())
            .await
            .unwrap()
    }

    /// The store's last cursor (every change, the server's own included).
    pub async fn last_cursor(&self, store: StoreId) -> u64 {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM changes WHERE store_id = $1")
            .bind(store.to_string())
            .fetch_one(self.pool())
            .await
            .unwrap();
        u64::try_from(n).unwrap()
    }
}

#[derive(Clone, Debug)]
pub struct Staff {
    pub token: String,
    pub staff_id: StaffId,
    pub store_id: StoreId,
    pub role: Role,
}

impl Staff {
    pub fn actor(&self) -> Actor {
        Actor {
            staff_id: self.staff_id,
            role: self.role,
        }
    }

    /// `change` as this person's mutation number `n` from `client`, stamped now plus `n` ms (so
    /// one device's mutations stay in order): what a device would push, made without its store.
    pub fn forge(&self, client: ClientId, n: u64, change: Change) -> Mutation {
        let now_ms = u64::try_from(Utc::now().timestamp_millis()).unwrap_or(0);
        Mutation {
            client_id: client,
            mutation_id: n,
            hlc: Hlc::new(now_ms + n, 0, client),
            actor: self.actor(),
            store_id: self.store_id,
            change,
        }
    }

    pub fn device(&self) -> SyncClient {
        SyncClient::new(ClientId(uuid::Uuid::now_v7()), self.store_id)
    }

    /// The customer's consent to keep health data, signed on the tablet, witnessed by this
    /// person now (health fields are written only under it).
    pub fn health_consent(&self, customer: orchid_core::ids::CustomerId) -> Change {
        consent_decision(self, customer, ConsentDecision::Given)
    }
}

/// A health-data consent decision about `customer`, witnessed by `by` now.
pub fn consent_decision(
    by: &Staff,
    customer: orchid_core::ids::CustomerId,
    decision: ConsentDecision,
) -> Change {
    Change::ConsentRecord(ConsentRecord {
        id: orchid_core::ids::ConsentId(uuid::Uuid::now_v7()),
        customer_id: customer,
        purpose: ConsentPurpose::HealthData,
        version: orchid_core::text::Label::parse(HEALTH_TEXT_VERSION).unwrap(),
        decision,
        at: now(),
        recorded_by: by.staff_id,
        method: ConsentMethod::TabletSignature,
        signed_name: Some(orchid_core::text::Name::parse("王芳").unwrap()),
        language: None,
        device: None,
    })
}

pub fn now() -> DateTime<Utc> {
    Utc::now()
}
