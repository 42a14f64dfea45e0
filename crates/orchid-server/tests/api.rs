//! Sign-in, tokens, roles, store isolation, bad input, the OpenAPI document, export and erasure.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{Staff, TestServer, now};
use orchid_core::customer::{CustomerField, Gender};
use orchid_core::ids::{ClientId, CustomerId};
use orchid_core::role::Role;
use orchid_core::sync::{Change, SyncClient};
use orchid_core::text::{Name, Tag};
use serde_json::{Value, json};

fn customer_with_allergy(id: CustomerId) -> Change {
    Change::CustomerUpsert {
        id,
        fields: vec![
            CustomerField::Name(Name::parse("王芳").unwrap()),
            CustomerField::Gender(Gender::Female),
            CustomerField::Allergies(vec![Tag::parse("果酸").unwrap()]),
        ],
    }
}

#[tokio::test]
async fn missing_unknown_expired_and_revoked_tokens_are_refused() {
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let manager = s
        .add_staff(&owner, owner.store_id, "manager1", Role::Manager)
        .await;
    let pull = |staff_store| json!({ "format_version": 1, "client_id": uuid::Uuid::now_v7(), "store_id": staff_store, "cursor": null, "limit": 10 });
    for token in [None, Some("not-a-token"), Some("")] {
        let (status, body) = s
            .call(
                Method::POST,
                "/api/v1/sync/pull",
                token,
                Some(pull(owner.store_id)),
            )
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["error"], "unauthorized");
        assert!(body["message"].is_string());
    }
    let (status, _) = s.pull_json(&manager, pull(manager.store_id)).await;
    assert_eq!(status, StatusCode::OK);

    // Expired.
    let expired = s.staff("manager1", common::PASSWORD).await;
    sqlx::query("UPDATE sessions SET expires_at = $1 WHERE token_hash = $2")
        .bind((now() - chrono::Duration::seconds(1)).to_rfc3339())
        .bind(orchid_server::auth::token_hash(&expired.token))
        .execute(s.pool())
        .await
        .unwrap();
    let (status, body) = s.pull_json(&expired, pull(manager.store_id)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthorized"))
    );

    // Revoked by the owner, through the devices list.
    let (status, devices) = s.get("/api/v1/devices", &owner).await;
    assert_eq!(status, StatusCode::OK, "{devices}");
    let list = devices["devices"].as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list.iter().filter(|d| d["current"] == true).count(), 1);
    let target = list
        .iter()
        .find(|d| {
            d["staff_name"] == "manager1"
                && d["revoked_at"].is_null()
                && d["expires_at"].as_str().unwrap() > now().to_rfc3339().as_str()
        })
        .unwrap();
    let id = target["id"].as_str().unwrap();
    let (status, body) = s
        .call(
            Method::POST,
            &format!("/api/v1/devices/{id}/revoke"),
            Some(&owner.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = s.pull_json(&manager, pull(manager.store_id)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Anyone may sign their own device out.
    let me = s.staff("manager1", common::PASSWORD).await;
    let (_, devices) = s.get("/api/v1/devices", &me).await;
    let mine = devices["devices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["current"] == true)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, _) = s
        .call(
            Method::POST,
            &format!("/api/v1/devices/{mine}/revoke"),
            Some(&me.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = s.pull_json(&me, pull(me.store_id)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn repeated_failed_sign_ins_lock_the_account_and_are_audited() {
    let s = TestServer::start().await;
    let owner = s.owner().await;
    s.add_staff(&owner, owner.store_id, "reception1", Role::Reception)
        .await;
    for _ in 0..5 {
        let (status, body) = s.sign_in("reception1", "wrong password").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["error"], "bad_credentials");
    }
    // Locked: even the right password waits.
    let (status, body) = s.sign_in("reception1", common::PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(body["error"], "throttled");
    // Other accounts are not locked by it.
    assert_eq!(
        s.sign_in("owner", common::OWNER_PASSWORD).await.0,
        StatusCode::OK
    );
    let (status, audit) = s.get("/api/v1/audit", &owner).await;
    assert_eq!(status, StatusCode::OK, "{audit}");
    assert!(
        audit["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "sign_in_locked"),
        "{audit}"
    );
    // An address trying many logins is throttled too.
    for i in 0..15 {
        s.sign_in(&format!("guess{i}"), "x").await;
    }
    let (status, _) = s.sign_in("owner", common::OWNER_PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
}

async fn send_raw(
    s: &TestServer,
    staff: &Staff,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> (StatusCode, Value) {
    let mut request = Request::post("/api/v1/sync/push")
        .header(header::AUTHORIZATION, format!("Bearer {}", staff.token));
    if let Some(ct) = content_type {
        request = request.header(header::CONTENT_TYPE, ct);
    }
    s.raw(request.body(Body::from(body)).unwrap()).await
}

#[tokio::test]
async fn bad_input_is_a_clear_4xx_and_applies_nothing() {
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let mut device = SyncClient::new(ClientId(uuid::Uuid::now_v7()), owner.store_id);
    let id = CustomerId(uuid::Uuid::now_v7());
    device
        .mutate(owner.actor(), owner.health_consent(id), now())
        .unwrap();
    device
        .mutate(owner.actor(), customer_with_allergy(id), now())
        .unwrap();
    device
        .mutate(owner.actor(), customer_with_allergy(id), now())
        .unwrap();
    let good = serde_json::to_value(device.push_request(50).unwrap()).unwrap();
    let json = Some("application/json");

    let mut unknown_kind = good.clone();
    unknown_kind["mutations"][2]["kind"] = json!("customer.teleport");
    let mut wrong_type = good.clone();
    wrong_type["mutations"][0]["mutation_id"] = json!("one");
    let mut bad_date = good.clone();
    bad_date["mutations"][2]["payload"]["fields"][0] =
        json!({ "field": "birthday", "value": "1850-13-45" });
    let mut old_version = good.clone();
    old_version["format_version"] = json!(99);
    let huge = format!(
        "{{\"format_version\":1,\"pad\":\"{}\"}}",
        "x".repeat(3 * 1024 * 1024)
    );

    type BadCase<'a> = (&'a str, Option<&'a str>, Vec<u8>, StatusCode, &'a str);
    let cases: Vec<BadCase> = vec![
        (
            "malformed JSON",
            json,
            b"{\"format_version\": 1,".to_vec(),
            StatusCode::BAD_REQUEST,
            "bad_json",
        ),
        (
            "not JSON at all",
            json,
            b"hello".to_vec(),
            StatusCode::BAD_REQUEST,
            "bad_json",
        ),
        (
            "wrong type",
            json,
            wrong_type.to_string().into_bytes(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            "unknown mutation kind",
            json,
            unknown_kind.to_string().into_bytes(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            "date out of range",
            json,
            bad_date.to_string().into_bytes(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            "missing fields",
            json,
            b"{}".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            "no content type",
            None,
            good.to_string().into_bytes(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            "oversized body",
            json,
            huge.into_bytes(),
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
        ),
        (
            "unsupported format version",
            json,
            old_version.to_string().into_bytes(),
            StatusCode::BAD_REQUEST,
            "sync.unsupported_version",
        ),
    ];
    for (what, content_type, body, status, code) in cases {
        let (got, answer) = send_raw(&s, &owner, content_type, body).await;
        assert_eq!(got, status, "{what}: {answer}");
        assert_eq!(answer["error"], code, "{what}: {answer}");
        assert!(!answer["message"].as_str().unwrap().is_empty(), "{what}");
    }
    let (_, answer) = send_raw(&s, &owner, json, unknown_kind.to_string().into_bytes()).await;
    assert!(
        answer["message"]
            .as_str()
            .unwrap()
            .contains("customer.teleport"),
        "{answer}"
    );
    // Nothing of the refused batches was applied: the good batch is still new.
    assert_eq!(s.change_count(owner.store_id).await, 0);
    let (status, body) = s.push_json(&owner, good).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["results"][0]["status"], "accepted");
    assert_eq!(body["results"][1]["status"], "accepted");
    assert_eq!(body["results"][2]["status"], "accepted");

    // Wrong methods and unknown paths answer in JSON too.
    let (status, body) = s.get("/api/v1/sync/push", &owner).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::METHOD_NOT_ALLOWED, Some("method_not_allowed"))
    );
    let (status, body) = s.get("/api/v1/audit?limit=many", &owner).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("bad_request"))
    );
}

/// Every endpoint, as every role of store A and as a manager of store B, against store A's
/// data: the answer is the one the permission matrix gives, and nothing of A reaches B.
#[tokio::test]
async fn every_endpoint_for_every_role_and_another_store() {
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let store_a = owner.store_id;
    let store_b = s.add_store(&owner, "分店").await;
    let mut staff = vec![owner.clone()];
    for (i, role) in Role::ALL.iter().skip(1).enumerate() {
        staff.push(s.add_staff(&owner, store_a, &format!("a{i}"), *role).await);
    }
    let outsider = s
        .add_staff(&owner, store_b, "b_manager", Role::Manager)
        .await;
    // Some data in A: a customer with an allergy, a device session to revoke.
    let mut device = SyncClient::new(ClientId(uuid::Uuid::now_v7()), store_a);
    let customer = CustomerId(uuid::Uuid::now_v7());
    device
        .mutate(owner.actor(), owner.health_consent(customer), now())
        .unwrap();
    device
        .mutate(owner.actor(), customer_with_allergy(customer), now())
        .unwrap();
    s.push(&owner, &mut device, 50).await;
    let victim = s
        .add_staff(&owner, store_a, "victim", Role::Therapist)
        .await;
    let (_, devices) = s.get("/api/v1/devices", &owner).await;
    let victim_session = devices["devices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["staff_name"] == "victim")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let management = |r: Role| r.is_management();
    let export = |r: Role| {
        matches!(
            r,
            Role::Owner | Role::Manager | Role::CustomerServiceSupervisor
        )
    };
    let anyone = |_: Role| true;
    let owner_only = |r: Role| r == Role::Owner;
    type Case = (Method, String, Option<Value>, fn(Role) -> bool);
    let store_a_query = format!("?store_id={store_a}");
    let cases: Vec<Case> = vec![
        (
            Method::POST,
            "/api/v1/sync/pull".into(),
            Some(
                json!({ "format_version": 1, "client_id": uuid::Uuid::now_v7(), "store_id": store_a, "cursor": null, "limit": 100 }),
            ),
            anyone,
        ),
        (Method::GET, "/api/v1/stores".into(), None, anyone),
        (
            Method::POST,
            "/api/v1/stores".into(),
            Some(json!({ "name": "新店" })),
            owner_only,
        ),
        (Method::GET, "/api/v1/head-office".into(), None, owner_only),
        (
            Method::GET,
            "/api/v1/head-office/monthly".into(),
            None,
            owner_only,
        ),
        (
            Method::GET,
            format!("/api/v1/staff{store_a_query}"),
            None,
            management,
        ),
        (
            Method::POST,
            "/api/v1/staff".into(),
            Some(
                json!({ "store_id": store_a, "login": "", "display_name": "x", "role": "therapist", "password": "p" }),
            ),
            management,
        ),
        (
            Method::GET,
            format!("/api/v1/devices{store_a_query}"),
            None,
            management,
        ),
        (
            Method::GET,
            format!("/api/v1/audit{store_a_query}"),
            None,
            management,
        ),
        (
            Method::GET,
            format!("/api/v1/customers/{customer}/export"),
            None,
            export,
        ),
        (
            Method::POST,
            format!("/api/v1/devices/{victim_session}/revoke"),
            None,
            management,
        ),
    ];
    let refused = [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND];
    for (method, uri, body, allowed) in &cases {
        for who in staff.iter().chain([&outsider]) {
            // The revoke case revokes for real: keep it for last and only for the owner.
            if uri.contains("/revoke") && who.role == Role::Owner && who.store_id == store_a {
                continue;
            }
            let (status, answer) = s
                .call(method.clone(), uri, Some(&who.token), body.clone())
                .await;
            let text = answer.to_string();
            assert!(
                status.as_u16() < 500,
                "{method} {uri} as {:?}: {status} {text}",
                who.role
            );
            let may = who.store_id == store_a && allowed(who.role)
                || (*uri == "/api/v1/stores" && *method == Method::GET);
            if may {
                assert!(
                    !refused.contains(&status),
                    "{method} {uri} as {:?}: {status} {text}",
                    who.role
                );
            } else {
                assert!(
                    refused.contains(&status)
                        || (*method == Method::POST
                            && uri == "/api/v1/stores"
                            && status == StatusCode::FORBIDDEN),
                    "{method} {uri} as {:?} of {}: {status} {text}",
                    who.role,
                    if who.store_id == store_a { "A" } else { "B" }
                );
                assert!(answer["error"].is_string());
            }
            // Nothing of A's customer reaches anyone of B, nor the allergy roles may not read.
            if who.store_id != store_a {
                assert!(!text.contains("王芳"), "{method} {uri} leaked to B: {text}");
            }
            if !orchid_core::permission::allowed(
                who.role,
                orchid_core::permission::Action::CustomerRead,
                orchid_core::permission::Sensitivity::Sensitive,
            ) {
                assert!(
                    !text.contains("果酸"),
                    "{method} {uri} leaked to {:?}: {text}",
                    who.role
                );
            }
        }
    }
    // Pull and push as B against A's store are refused whatever the role (sync.rs tests the
    // mutation-level checks); the owner finally revokes the victim.
    let (status, _) = s
        .call(
            Method::POST,
            &format!("/api/v1/devices/{victim_session}/revoke"),
            Some(&owner.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = s.get("/api/v1/stores", &victim).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_openapi_document_lists_every_route_and_every_listed_route_exists() {
    let s = TestServer::start().await;
    let (status, doc) = s
        .call(Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["openapi"], "3.1.0");
    let routes = orchid_server::openapi::routes();
    assert_eq!(
        doc["paths"]
            .as_object()
            .unwrap()
            .values()
            .map(|m| m.as_object().unwrap().len())
            .sum::<usize>(),
        routes.len()
    );
    for route in &routes {
        let path = format!("/api/v1{}", route.path);
        assert!(
            doc["paths"][&path][route.method].is_object(),
            "{path} missing"
        );
        // A method no route takes: 405 if the path is mounted, 404 if not.
        let uri = path
            .replace("{id}", &uuid::Uuid::now_v7().to_string())
            .replace("{code}", "abcdefghijkm");
        let (status, _) = s.call(Method::PATCH, &uri, None, None).await;
        assert_eq!(
            status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{path} is not mounted"
        );
    }
    // Every schema referenced is defined.
    let text = doc.to_string();
    for part in text.split("#/components/schemas/").skip(1) {
        let name: String = part.chars().take_while(|c| c.is_alphanumeric()).collect();
        assert!(
            doc["components"]["schemas"][&name].is_object(),
            "{name} undefined"
        );
    }
}

#[tokio::test]
async fn a_customer_is_exported_then_erased_everywhere() {
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let manager = s
        .add_staff(&owner, owner.store_id, "manager1", Role::Manager)
        .await;
    let reception = s
        .add_staff(&owner, owner.store_id, "reception1", Role::Reception)
        .await;
    let mut m_device = manager.device();
    let id = CustomerId(uuid::Uuid::now_v7());
    m_device
        .mutate(manager.actor(), manager.health_consent(id), now())
        .unwrap();
    m_device
        .mutate(manager.actor(), customer_with_allergy(id), now())
        .unwrap();
    // The manager opened her health data: her copy says who, when, from which device.
    m_device
        .mutate(
            manager.actor(),
            Change::AuditAppend(orchid_core::audit::AuditEntry {
                id: orchid_core::ids::AuditId(uuid::Uuid::now_v7()),
                store_id: manager.store_id,
                at: now(),
                actor: manager.staff_id,
                role: Role::Manager,
                client_id: m_device.client_id(),
                action: orchid_core::permission::Action::CustomerRead,
                entity: orchid_core::ids::EntityRef::new(
                    orchid_core::ids::EntityKind::Customer,
                    id,
                ),
                fields: vec!["allergies".into()],
                sensitivity: orchid_core::permission::Sensitivity::Sensitive,
                note: orchid_core::text::Note::default(),
            }),
            now(),
        )
        .unwrap();
    s.push(&manager, &mut m_device, 50).await;

    let uri = format!("/api/v1/customers/{id}/export");
    let (status, export) = s.get(&uri, &manager).await;
    assert_eq!(status, StatusCode::OK, "{export}");
    assert_eq!(export["customer"]["name"], "王芳");
    assert!(export.to_string().contains("果酸"));
    assert_eq!(export["access"][0]["action"], "customer_read", "{export}");
    assert_eq!(export["access"][0]["actor"], manager.staff_id.to_string());
    let (status, _) = s.get(&uri, &reception).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Erasure: the manager's device pushes customer.erase; a late edit from an offline device
    // arrives afterwards.
    let mut r_device = reception.device();
    s.pull_all(&reception, &mut r_device, 100).await;
    assert!(r_device.view().customer(id).is_some());
    r_device
        .mutate(
            reception.actor(),
            Change::CustomerUpsert {
                id,
                fields: vec![CustomerField::Name(Name::parse("王芳芳").unwrap())],
            },
            now(),
        )
        .unwrap();
    m_device
        .mutate(manager.actor(), Change::CustomerErase { id }, now())
        .unwrap();
    s.push(&manager, &mut m_device, 50).await;
    s.push(&reception, &mut r_device, 50).await;

    // Every device converges on the tombstone; a new device pulling from the start never sees
    // the erased data.
    s.pull_all(&reception, &mut r_device, 100).await;
    s.pull_all(&manager, &mut m_device, 100).await;
    assert!(r_device.view().customer(id).is_none());
    assert!(m_device.view().customer(id).is_none());
    let (_, page) = s
        .pull_json(
            &manager,
            serde_json::to_value(manager.device().pull_request(1000)).unwrap(),
        )
        .await;
    let text = page.to_string();
    assert!(!text.contains("王芳") && !text.contains("果酸"), "{text}");
    assert!(text.contains("customer.erase"));
    let (status, _) = s.get(&uri, &manager).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, audit) = s.get("/api/v1/audit", &manager).await;
    let actions: Vec<&str> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"customer_exported"), "{actions:?}");
    assert!(audit.to_string().contains("customer.erase"), "{audit}");
}

#[tokio::test]
async fn an_offline_pin_is_hashed_for_the_device_and_shown_in_the_devices_list() {
    let s = TestServer::start().await;
    let owner = s.owner().await;
    for (pin, ok) in [
        ("12", false),
        ("111111", false),
        ("12a456", false),
        ("204816", true),
    ] {
        let (status, body) = s
            .call(
                Method::POST,
                "/api/v1/auth/pin",
                Some(&owner.token),
                Some(json!({ "pin": pin })),
            )
            .await;
        assert_eq!(status == StatusCode::OK, ok, "{pin}: {body}");
        if ok {
            let hash = body["pin_hash"].as_str().unwrap();
            assert!(orchid_server::auth::verify_password(pin, hash));
            assert!(hash.starts_with("$argon2id$"));
        }
    }
    let (_, devices) = s.get("/api/v1/devices", &owner).await;
    assert_eq!(devices["devices"][0]["pin_set"], true);
}

/// Two servers of a chain started together on one empty database: both start, and there is one
/// store and one owner (before, the second failed to start on the owner's login, taken by the
/// first between its check and its insert). On SQLite the writers take turns, on PostgreSQL they
/// race for real.
#[tokio::test]
async fn two_servers_starting_together_on_an_empty_database_make_one_owner() {
    let dir = tempfile::tempdir().unwrap();
    let url = common::database_url(dir.path()).await;
    if url.starts_with("sqlite://") {
        std::fs::create_dir_all(dir.path().join("data")).unwrap();
    }
    let config = |password: &str| orchid_server::config::Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        database_url: url.clone(),
        dist: dir.path().join("dist"),
        owner_password: Some(password.into()),
        trust_forwarded_for: false,
        demo: false,
        header_timeout_secs: 30,
        body_timeout_secs: 60,
    };
    let (one, two) = (config(common::OWNER_PASSWORD), config("second-server-pw-1"));
    let (first, second) = tokio::join!(orchid_server::state(&one), orchid_server::state(&two));
    let (first, second) = (first.unwrap(), second.unwrap());
    let stores: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM stores")
        .fetch_one(&first.db.pool)
        .await
        .unwrap();
    let owners: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM staff WHERE role = 'owner'")
        .fetch_one(&second.db.pool)
        .await
        .unwrap();
    assert_eq!((stores, owners), (1, 1));
}

/// Products and stock are re-checked with the core and the caller's role: a therapist records
/// what she used (a stock movement naming herself) but does not create products or batches,
/// customer service moves no stock, a movement names its author and fits its reason, and the
/// level every device sums is what was accepted.
#[tokio::test]
async fn stock_changes_are_rechecked_with_the_role_that_pushes_them() {
    use orchid_core::ids::{BatchId, ProductId, ServiceRecordId, StockMovementId};
    use orchid_core::product::{Batch, ProductField, StockMovement, StockReason, StockUnit};
    use orchid_core::text::Label;

    let s = TestServer::start().await;
    let owner = s.owner().await;
    let store = owner.store_id;
    let manager = s
        .add_staff(&owner, store, "stock_manager", Role::Manager)
        .await;
    let therapist = s
        .add_staff(&owner, store, "stock_therapist", Role::Therapist)
        .await;
    let service = s
        .add_staff(&owner, store, "stock_cs", Role::CustomerServiceSupervisor)
        .await;
    let product = ProductId(uuid::Uuid::now_v7());
    let batch = Batch {
        id: BatchId(uuid::Uuid::now_v7()),
        product_id: product,
        batch_no: Label::parse("LOT-2026-01").unwrap(),
        expires_on: chrono::NaiveDate::from_ymd_opt(2027, 1, 31),
        received_at: now(),
        supplier: None,
        cost: None,
    };
    let movement = |by: &Staff, delta: i64, reason: StockReason| StockMovement {
        id: StockMovementId(uuid::Uuid::now_v7()),
        product_id: product,
        batch_id: Some(batch.id),
        delta,
        reason,
        at: now(),
        by: by.staff_id,
    };
    // The manager creates the product and receives 500 ml.
    let mut m_device = manager.device();
    for change in [
        Change::ProductUpsert {
            id: product,
            fields: vec![
                ProductField::Name(Name::parse("玻尿酸精华").unwrap()),
                ProductField::Unit(StockUnit::Ml),
                ProductField::LowStockThreshold(100),
            ],
        },
        Change::BatchAdd(batch.clone()),
        Change::StockMove(movement(&manager, 500, StockReason::Received)),
    ] {
        m_device.mutate(manager.actor(), change, now()).unwrap();
    }
    let pushed = s.push(&manager, &mut m_device, 50).await;
    assert!(
        pushed
            .results
            .iter()
            .all(|r| matches!(r.outcome, orchid_core::sync::PushOutcome::Accepted)),
        "{pushed:?}"
    );

    // What a therapist's device might send if it let everything through.
    let forge =
        |staff: &Staff, client: ClientId, n: u64, change: Change| staff.forge(client, n, change);
    let t_client = therapist.device().client_id();
    let used = Change::StockMove(movement(
        &therapist,
        -5,
        StockReason::UsedInService {
            record_id: ServiceRecordId(uuid::Uuid::now_v7()),
        },
    ));
    let mutations = vec![
        forge(
            &therapist,
            t_client,
            1,
            Change::ProductUpsert {
                id: ProductId(uuid::Uuid::now_v7()),
                fields: vec![ProductField::Name(Name::parse("自带产品").unwrap())],
            },
        ),
        forge(
            &therapist,
            t_client,
            2,
            Change::BatchAdd(Batch {
                id: BatchId(uuid::Uuid::now_v7()),
                ..batch.clone()
            }),
        ),
        // Named as the manager's movement: she may only write her own.
        forge(
            &therapist,
            t_client,
            3,
            Change::StockMove(movement(&manager, -50, StockReason::Adjustment)),
        ),
        // "Received" cannot take stock away.
        forge(
            &therapist,
            t_client,
            4,
            Change::StockMove(movement(&therapist, -50, StockReason::Received)),
        ),
        forge(&therapist, t_client, 5, used),
    ];
    let (status, body) = s
        .push_json(
            &therapist,
            json!({ "format_version": 1, "client_id": t_client, "mutations": mutations }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let codes: Vec<Value> = body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["error"]["code"].clone())
        .collect();
    assert_eq!(
        codes,
        vec![
            json!("permission.denied"),
            json!("permission.denied"),
            json!("sync.actor_mismatch"),
            json!("stock.wrong_sign"),
            Value::Null
        ],
        "{body}"
    );
    assert_eq!(body["results"][4]["status"], "accepted");

    // Customer service handles complaints, not stock.
    let cs_client = service.device().client_id();
    let (_, body) = s
        .push_json(
            &service,
            json!({ "format_version": 1, "client_id": cs_client, "mutations": [
                forge(&service, cs_client, 1, Change::StockMove(movement(&service, -1, StockReason::Damaged)))
            ] }),
        )
        .await;
    assert_eq!(body["results"][0]["error"]["code"], "permission.denied");

    // Every device sums the same level: 500 received, 5 used.
    s.pull_all(&manager, &mut m_device, 100).await;
    let levels = m_device.view().stock_levels(store);
    assert_eq!(levels.product(product), 495);
    assert_eq!(levels.by_batch[&batch.id], 495);
    assert_eq!(m_device.view().products(store).len(), 1);
    assert_eq!(m_device.view().batches(store).len(), 1);
}

/// An erasure reaches every record about her, not only her file: a booking's needs, follow-up and
/// waitlist notes, loyalty notes — also in edits that do not name her, pushed by a device that
/// was offline during the erasure, and in a record that device made for her meanwhile. What
/// stays is the fact (the booking, its time).
#[tokio::test]
async fn an_erasure_reaches_her_records_and_later_edits_that_do_not_name_her() {
    use orchid_core::appointment::AppointmentField;
    use orchid_core::followup::{FollowUpField, FollowUpStatus};
    use orchid_core::ids::{AppointmentId, FollowUpId, LoyaltyDeltaId, ServiceId, WaitlistId};
    use orchid_core::loyalty::{LoyaltyChange, LoyaltyDelta, PointsReason};
    use orchid_core::text::Note;
    use orchid_core::time::Interval;
    use orchid_core::waitlist::WaitlistField;

    const SECRET: &str = "秘密";
    let secret = |what: &str| Note::parse(&format!("{SECRET}{what}")).unwrap();
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let manager = s
        .add_staff(&owner, owner.store_id, "manager1", Role::Manager)
        .await;
    let reception = s
        .add_staff(&owner, owner.store_id, "reception1", Role::Reception)
        .await;
    let id = CustomerId(uuid::Uuid::now_v7());
    let booking = AppointmentId(uuid::Uuid::now_v7());
    let follow_up = FollowUpId(uuid::Uuid::now_v7());
    let start = now() + chrono::Duration::days(3);
    let mut m_device = manager.device();
    for change in [
        manager.health_consent(id),
        customer_with_allergy(id),
        Change::AppointmentUpsert {
            id: booking,
            fields: vec![
                AppointmentField::CustomerId(id),
                AppointmentField::Services(vec![ServiceId(uuid::Uuid::now_v7())]),
                AppointmentField::Time(
                    Interval::new(start, start + chrono::Duration::hours(1)).unwrap(),
                ),
                AppointmentField::Needs(secret("需要")),
            ],
        },
        Change::FollowUpUpsert {
            id: follow_up,
            fields: vec![
                FollowUpField::CustomerId(id),
                FollowUpField::Due(start),
                FollowUpField::Status(FollowUpStatus::Planned),
                FollowUpField::Note(secret("回访")),
            ],
        },
        Change::WaitlistUpsert {
            id: WaitlistId(uuid::Uuid::now_v7()),
            fields: vec![
                WaitlistField::CustomerId(id),
                WaitlistField::Note(secret("候补")),
            ],
        },
        Change::LoyaltyDelta(LoyaltyDelta {
            id: LoyaltyDeltaId(uuid::Uuid::now_v7()),
            customer_id: id,
            at: now(),
            by: manager.staff_id,
            change: LoyaltyChange::Points {
                delta: 100,
                reason: PointsReason::Adjustment,
            },
            note: secret("积分"),
            checkout_id: None,
        }),
    ] {
        m_device.mutate(manager.actor(), change, now()).unwrap();
    }
    s.push(&manager, &mut m_device, 50).await;

    // Reception's device has it all, then goes offline and edits her records without naming
    // her, and books a new follow-up for her, then edits that too.
    let mut r_device = reception.device();
    s.pull_all(&reception, &mut r_device, 100).await;
    let new_follow_up = FollowUpId(uuid::Uuid::now_v7());
    for change in [
        Change::AppointmentUpsert {
            id: booking,
            fields: vec![AppointmentField::Needs(secret("改过的需要"))],
        },
        Change::FollowUpUpsert {
            id: follow_up,
            fields: vec![FollowUpField::Note(secret("改过的回访"))],
        },
        Change::FollowUpUpsert {
            id: new_follow_up,
            fields: vec![
                FollowUpField::CustomerId(id),
                FollowUpField::Due(start),
                FollowUpField::Status(FollowUpStatus::Planned),
            ],
        },
        Change::FollowUpUpsert {
            id: new_follow_up,
            fields: vec![FollowUpField::Note(secret("新的回访"))],
        },
    ] {
        r_device.mutate(reception.actor(), change, now()).unwrap();
    }
    m_device
        .mutate(manager.actor(), Change::CustomerErase { id }, now())
        .unwrap();
    s.push(&manager, &mut m_device, 50).await;
    // The late device's first push, then its second (separate pushes: the server must remember
    // the record it saw named in the first).
    s.push(&reception, &mut r_device, 3).await;
    s.push(&reception, &mut r_device, 50).await;

    let (_, page) = s
        .pull_json(
            &owner,
            serde_json::to_value(owner.device().pull_request(1000)).unwrap(),
        )
        .await;
    let text = page.to_string();
    assert!(!text.contains(SECRET) && !text.contains("王芳"), "{text}");
    // The facts stay: the booking and both follow-ups are still there.
    assert!(text.contains(&booking.to_string()), "{text}");
    assert!(text.contains(&new_follow_up.to_string()), "{text}");
    // And on the devices, once they pull.
    s.pull_all(&reception, &mut r_device, 100).await;
    let view = serde_json::to_string(r_device.view()).unwrap();
    assert!(!view.contains(SECRET), "{view}");
}

/// Internal checks are re-checked with the core and the caller's role: a therapist records her
/// room's hygiene check (naming herself, on her own device, a failed item with its note) and
/// raises and closes the corrective action, but does not edit a checklist, assign or verify an
/// action, or do a supervisor's spot check; the supervisor who verifies is not the one who did the
/// work; and every device replays the same verified action.
#[tokio::test]
async fn check_changes_are_rechecked_with_the_role_that_pushes_them() {
    use orchid_core::ids::{CheckId, CorrectiveActionId, CorrectiveEventId, RoomId};
    use orchid_core::internal_check::{
        ActionStatus, CheckRecord, CheckTemplateField, CorrectiveEvent, CorrectiveEventKind,
        ItemResult, Outcome, Words, starting_templates,
    };
    use orchid_core::text::Note;

    let s = TestServer::start().await;
    let owner = s.owner().await;
    let store = owner.store_id;
    let therapist = s
        .add_staff(&owner, store, "check_therapist", Role::Therapist)
        .await;
    let supervisor = s
        .add_staff(&owner, store, "check_cs", Role::CustomerServiceSupervisor)
        .await;
    let templates = starting_templates(store);
    let hygiene = &templates[0];
    let spot = &templates[1];
    let forge =
        |staff: &Staff, client: ClientId, n: u64, change: Change| staff.forge(client, n, change);
    let record = |by: &Staff,
                  device: ClientId,
                  template: &orchid_core::internal_check::CheckTemplate,
                  note: &str| CheckRecord {
        id: CheckId(uuid::Uuid::now_v7()),
        store_id: store,
        template_id: template.id,
        kind: template.kind,
        room_id: template.per_room.then(|| RoomId(uuid::Uuid::now_v7())),
        by: by.staff_id,
        at: now(),
        device,
        results: vec![ItemResult {
            item: 1,
            text: template.items[0].text.clone(),
            outcome: Outcome::Fail,
            note: Note::parse(note).unwrap(),
            conduct: None,
        }],
        subject: None,
    };
    let action = CorrectiveActionId(uuid::Uuid::now_v7());
    let event = |by: &Staff, kind: CorrectiveEventKind| CorrectiveEvent {
        id: CorrectiveEventId(uuid::Uuid::now_v7()),
        action_id: action,
        by: by.staff_id,
        role: by.role,
        at: now(),
        kind,
    };
    let t_client = therapist.device().client_id();
    let done = record(&therapist, t_client, hygiene, "");
    let good = record(&therapist, t_client, hygiene, "床单未换");
    let mutations = vec![
        // A checklist is the manager's.
        forge(
            &therapist,
            t_client,
            1,
            Change::CheckTemplateUpsert {
                id: hygiene.id,
                fields: vec![CheckTemplateField::Name(Words::same("我的清单").unwrap())],
            },
        ),
        // A failed item says what was wrong.
        forge(&therapist, t_client, 2, Change::CheckRecord(done)),
        // Named as the supervisor's check.
        forge(
            &therapist,
            t_client,
            3,
            Change::CheckRecord(record(&supervisor, t_client, hygiene, "床单未换")),
        ),
        // A service-flow spot check is a supervisor's.
        forge(
            &therapist,
            t_client,
            4,
            Change::CheckRecord(record(&therapist, t_client, spot, "未迎接")),
        ),
        forge(&therapist, t_client, 5, Change::CheckRecord(good.clone())),
        forge(
            &therapist,
            t_client,
            6,
            Change::CorrectiveEvent(event(
                &therapist,
                CorrectiveEventKind::Raised {
                    check_id: good.id,
                    template_id: hygiene.id,
                    room_id: good.room_id,
                    item: 1,
                    text: hygiene.items[0].text.clone(),
                    note: Note::parse("床单未换").unwrap(),
                },
            )),
        ),
        // Assigning is a supervisor's.
        forge(
            &therapist,
            t_client,
            7,
            Change::CorrectiveEvent(event(
                &therapist,
                CorrectiveEventKind::Assigned {
                    responsible: therapist.staff_id,
                    deadline: now().date_naive(),
                },
            )),
        ),
        forge(
            &therapist,
            t_client,
            8,
            Change::CorrectiveEvent(event(
                &therapist,
                CorrectiveEventKind::Done {
                    what: Note::parse("已更换并消毒").unwrap(),
                },
            )),
        ),
        // Nor may she verify her own work.
        forge(
            &therapist,
            t_client,
            9,
            Change::CorrectiveEvent(event(
                &therapist,
                CorrectiveEventKind::Verified {
                    done_by: therapist.staff_id,
                },
            )),
        ),
    ];
    let (status, body) = s
        .push_json(
            &therapist,
            json!({ "format_version": 1, "client_id": t_client, "mutations": mutations }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let codes: Vec<Value> = body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["error"]["code"].clone())
        .collect();
    assert_eq!(
        codes,
        vec![
            json!("permission.denied"),
            json!("check.fail_needs_note"),
            json!("sync.actor_mismatch"),
            json!("permission.denied"),
            Value::Null,
            Value::Null,
            json!("permission.denied"),
            Value::Null,
            json!("permission.denied"),
        ],
        "{body}"
    );

    // The supervisor verifies it (she did not do the work); she cannot claim to have done it.
    let mut s_device = supervisor.device();
    s.pull_all(&supervisor, &mut s_device, 100).await;
    let view = s_device.view().corrective_action(action).unwrap();
    assert_eq!(view.status, ActionStatus::Done);
    let doer = view.check_verify(supervisor.staff_id).unwrap();
    assert_eq!(doer, therapist.staff_id);
    s_device
        .mutate(
            supervisor.actor(),
            Change::CorrectiveEvent(event(
                &supervisor,
                CorrectiveEventKind::Verified { done_by: doer },
            )),
            now(),
        )
        .unwrap();
    let pushed = s.push(&supervisor, &mut s_device, 50).await;
    assert!(
        pushed
            .results
            .iter()
            .all(|r| matches!(r.outcome, orchid_core::sync::PushOutcome::Accepted)),
        "{pushed:?}"
    );
    s.pull_all(&supervisor, &mut s_device, 100).await;
    let view = s_device.view().corrective_action(action).unwrap();
    assert_eq!(view.status, ActionStatus::Verified);
    assert_eq!(view.verified.map(|(by, _)| by), Some(supervisor.staff_id));
    assert_eq!(s_device.view().checks_done(store).len(), 1);

    // The daily staff spot check (seed 004): the supervisor checks the therapist — not herself,
    // not nobody; a therapist does not spot-check a colleague.
    let conduct = templates
        .iter()
        .find(|t| t.kind == orchid_core::internal_check::CheckKind::StaffConduct)
        .unwrap();
    let s_client = s_device.client_id();
    let of =
        |by: &Staff, device: ClientId, subject: Option<orchid_core::ids::StaffId>| CheckRecord {
            subject,
            results: conduct
                .items
                .iter()
                .map(|i| ItemResult {
                    item: i.id,
                    text: i.text.clone(),
                    outcome: Outcome::Pass,
                    note: Note::default(),
                    conduct: i.conduct,
                })
                .collect(),
            ..record(by, device, conduct, "")
        };
    let spot_checks = vec![
        forge(
            &supervisor,
            s_client,
            2,
            Change::CheckRecord(of(&supervisor, s_client, Some(therapist.staff_id))),
        ),
        forge(
            &supervisor,
            s_client,
            3,
            Change::CheckRecord(of(&supervisor, s_client, Some(supervisor.staff_id))),
        ),
        forge(
            &supervisor,
            s_client,
            4,
            Change::CheckRecord(of(&supervisor, s_client, None)),
        ),
    ];
    let (status, body) = s
        .push_json(
            &supervisor,
            json!({ "format_version": 1, "client_id": s_client, "mutations": spot_checks }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let codes: Vec<Value> = body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["error"]["code"].clone())
        .collect();
    assert_eq!(
        codes,
        vec![
            Value::Null,
            json!("check.subject_not_allowed"),
            json!("check.subject_missing"),
        ],
        "{body}"
    );
    let (status, body) = s
        .push_json(
            &therapist,
            json!({ "format_version": 1, "client_id": t_client, "mutations": [forge(
                &therapist,
                t_client,
                10,
                Change::CheckRecord(of(&therapist, t_client, Some(supervisor.staff_id))),
            )] }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["results"][0]["error"]["code"],
        json!("permission.denied"),
        "{body}"
    );

    // A spot check is part of her assessment: it reaches her device and her supervisors', not a
    // colleague's — unless she is signed in on the colleague's tablet too (its pull carries her
    // token), where the tablet must show her own card.
    let colleague = s
        .add_staff(&owner, store, "check_colleague", Role::Therapist)
        .await;
    let spot_checks_on = |device: &orchid_core::sync::SyncClient| {
        device
            .view()
            .checks_done(store)
            .into_iter()
            .filter(|c| c.kind == orchid_core::internal_check::CheckKind::StaffConduct)
            .map(|c| c.subject)
            .collect::<Vec<_>>()
    };
    let mut hers = therapist.device();
    s.pull_all(&therapist, &mut hers, 500).await;
    assert_eq!(spot_checks_on(&hers), vec![Some(therapist.staff_id)]);
    let mut theirs = colleague.device();
    s.pull_all(&colleague, &mut theirs, 500).await;
    assert!(spot_checks_on(&theirs).is_empty());
    // Her supervisor's device has it.
    s.pull_all(&supervisor, &mut s_device, 500).await;
    assert_eq!(spot_checks_on(&s_device), vec![Some(therapist.staff_id)]);
    let pulled_with = |colleagues: Vec<String>| {
        let mut request = colleague.device().pull_request(500);
        request.colleagues = colleagues;
        serde_json::to_value(&request).unwrap()
    };
    let spot_checks_in = |body: &Value| {
        let response: orchid_core::sync::PullResponse =
            serde_json::from_value(body.clone()).unwrap();
        response
            .changes
            .iter()
            .filter(|c| matches!(&c.mutation.change, Change::CheckRecord(r) if r.kind == orchid_core::internal_check::CheckKind::StaffConduct))
            .count()
    };
    let (status, body) = s
        .pull_json(&colleague, pulled_with(vec![therapist.token.clone()]))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(spot_checks_in(&body), 1);
    // A token that is not good widens nothing; too many are refused.
    let (status, body) = s
        .pull_json(&colleague, pulled_with(vec!["not-a-token".into()]))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(spot_checks_in(&body), 0);
    let (status, body) = s
        .pull_json(
            &colleague,
            pulled_with(vec![
                therapist.token.clone();
                orchid_core::sync::MAX_PULL_COLLEAGUES + 1
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"], "sync.too_many_colleagues", "{body}");
}

/// Check-outs are re-checked with the core and the pusher's role: a therapist does not take
/// payment, the desk neither voids nor checks out in another's name nor writes a bill whose
/// payments do not add up; the desk's check-out (record, session, points in one push) and the
/// manager's void are accepted, and a device pulling them sees the balances given back.
#[tokio::test]
async fn checkout_changes_are_rechecked_with_the_role_that_pushes_them() {
    use orchid_core::catalog::Money;
    use orchid_core::checkout::{
        BillLine, Checkout, CheckoutVoid, LineItem, Payment, sale_changes, void_changes,
    };
    use orchid_core::ids::{CheckoutId, CustomerId, LoyaltyDeltaId, PackageId, ServiceId};
    use orchid_core::loyalty::{LoyaltyChange, LoyaltyDelta, MembershipLevel};
    use orchid_core::sync::Mutation;
    use orchid_core::text::{Label, Note};

    let s = TestServer::start().await;
    let owner = s.owner().await;
    let store = owner.store_id;
    let desk = s
        .add_staff(&owner, store, "pay_desk", Role::Reception)
        .await;
    let therapist = s
        .add_staff(&owner, store, "pay_therapist", Role::Therapist)
        .await;
    let manager = s
        .add_staff(&owner, store, "pay_manager", Role::Manager)
        .await;
    let forge =
        |staff: &Staff, client: ClientId, n: u64, change: Change| staff.forge(client, n, change);
    let her = CustomerId(uuid::Uuid::now_v7());
    let facial = ServiceId(uuid::Uuid::now_v7());
    let package = PackageId(uuid::Uuid::now_v7());
    let bill = |by: &Staff| Checkout {
        id: CheckoutId(uuid::Uuid::now_v7()),
        store_id: store,
        customer_id: Some(her),
        appointment_id: None,
        lines: vec![BillLine {
            item: LineItem::Service { service_id: facial },
            name: Label::parse("面部护理").unwrap(),
            quantity: 1,
            unit_price: Money::yuan(380, 0),
        }],
        level: MembershipLevel::None,
        discount_percent: 0,
        subtotal: Money::yuan(380, 0),
        total: Money::yuan(380, 0),
        payments: vec![Payment::PackageSession {
            package_id: package,
            service_id: facial,
            sessions: 1,
            value: Money::yuan(380, 0),
        }],
        points_earned: 0,
        at: now(),
        by: by.staff_id,
    };
    let t_client = therapist.device().client_id();
    let (status, body) = s
        .push_json(
            &therapist,
            json!({ "format_version": 1, "client_id": t_client,
                    "mutations": [forge(&therapist, t_client, 1, Change::CheckoutRecord(bill(&therapist)))] }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["results"][0]["error"]["code"],
        json!("permission.denied")
    );

    let sale = bill(&desk);
    let mut unbalanced = bill(&desk);
    unbalanced.payments.clear();
    let mut first = vec![
        // Bought earlier: ten sessions.
        Change::LoyaltyDelta(LoyaltyDelta {
            id: LoyaltyDeltaId(uuid::Uuid::now_v7()),
            customer_id: her,
            at: now(),
            by: desk.staff_id,
            change: LoyaltyChange::PackagePurchased {
                package_id: package,
                service_id: facial,
                sessions: 10,
                price: Money::yuan(2980, 0),
                expires_on: None,
            },
            note: Note::default(),
            checkout_id: None,
        }),
        Change::CheckoutRecord(bill(&manager)),
        Change::CheckoutRecord(unbalanced),
        Change::CheckoutVoid(CheckoutVoid {
            checkout_id: sale.id,
            reason: Label::parse("试").unwrap(),
            at: now(),
            by: desk.staff_id,
        }),
    ];
    first.extend(sale_changes(&sale));
    let d_client = desk.device().client_id();
    let mutations: Vec<Mutation> = first
        .into_iter()
        .enumerate()
        .map(|(i, c)| forge(&desk, d_client, i as u64 + 1, c))
        .collect();
    let (status, body) = s
        .push_json(
            &desk,
            json!({ "format_version": 1, "client_id": d_client, "mutations": mutations }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let codes: Vec<Value> = body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["error"]["code"].clone())
        .collect();
    assert_eq!(
        codes,
        vec![
            Value::Null,
            json!("sync.actor_mismatch"),
            json!("checkout.payments_do_not_add_up"),
            json!("permission.denied"),
            Value::Null,
            Value::Null,
        ],
        "{body}"
    );

    // The manager voids it: the session comes back, the check-out stays with its void.
    let void = CheckoutVoid {
        checkout_id: sale.id,
        reason: Label::parse("顾客改约").unwrap(),
        at: now(),
        by: manager.staff_id,
    };
    let m_client = manager.device().client_id();
    let mutations: Vec<Mutation> = void_changes(&sale, &void)
        .into_iter()
        .enumerate()
        .map(|(i, c)| forge(&manager, m_client, i as u64 + 1, c))
        .collect();
    let (status, body) = s
        .push_json(
            &manager,
            json!({ "format_version": 1, "client_id": m_client, "mutations": mutations }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == json!("accepted")),
        "{body}"
    );
    let mut device = owner.device();
    s.pull_all(&owner, &mut device, 100).await;
    let view = device.view();
    assert_eq!(view.loyalty(her).packages[0].remaining, 10);
    let checkout = view.checkout(sale.id).unwrap();
    assert_eq!(checkout.void.map(|v| v.by), Some(manager.staff_id));
    assert_eq!(view.checkouts(store).len(), 1);
}

/// Settling an overdrawn balance and setting a level are the manager's (the core's
/// `LoyaltyDelta::required_action`): the desk's login may top up and sell packages, but its
/// card correction, sessions given back outside a void and level are refused; the manager's pass.
#[tokio::test]
async fn settling_an_overdrawn_balance_and_setting_a_level_are_the_managers() {
    use orchid_core::catalog::Money;
    use orchid_core::hlc::Hlc;
    use orchid_core::ids::{CustomerId, LoyaltyDeltaId, PackageId, ServiceId};
    use orchid_core::loyalty::{LoyaltyChange, LoyaltyDelta, MembershipLevel, StoredValueReason};
    use orchid_core::sync::Mutation;
    use orchid_core::text::Note;

    let s = TestServer::start().await;
    let owner = s.owner().await;
    let store = owner.store_id;
    let desk = s
        .add_staff(&owner, store, "settle_desk", Role::Reception)
        .await;
    let manager = s
        .add_staff(&owner, store, "settle_manager", Role::Manager)
        .await;
    let her = CustomerId(uuid::Uuid::now_v7());
    let package = PackageId(uuid::Uuid::now_v7());
    let delta = |by: &Staff, change: LoyaltyChange| {
        Change::LoyaltyDelta(LoyaltyDelta {
            id: LoyaltyDeltaId(uuid::Uuid::now_v7()),
            customer_id: her,
            at: now(),
            by: by.staff_id,
            change,
            note: Note::default(),
            checkout_id: None,
        })
    };
    let changes = |by: &Staff| {
        vec![
            delta(
                by,
                LoyaltyChange::StoredValue {
                    delta: Money::yuan(100, 0),
                    reason: StoredValueReason::TopUp,
                },
            ),
            delta(
                by,
                LoyaltyChange::PackagePurchased {
                    package_id: package,
                    service_id: ServiceId(uuid::Uuid::now_v7()),
                    sessions: 5,
                    price: Money::yuan(1000, 0),
                    expires_on: None,
                },
            ),
            // The settle: the card's money below zero corrected, a session given back.
            delta(
                by,
                LoyaltyChange::StoredValue {
                    delta: Money::yuan(50, 0),
                    reason: StoredValueReason::Correction,
                },
            ),
            delta(
                by,
                LoyaltyChange::PackageSessions {
                    package_id: package,
                    delta: 1,
                    record_id: None,
                },
            ),
            delta(
                by,
                LoyaltyChange::Level {
                    level: MembershipLevel::Gold,
                },
            ),
        ]
    };
    let push = |staff: &Staff| {
        let client = staff.device().client_id();
        let mutations: Vec<Mutation> = changes(staff)
            .into_iter()
            .enumerate()
            .map(|(i, change)| Mutation {
                client_id: client,
                mutation_id: i as u64 + 1,
                hlc: Hlc::new(now().timestamp_millis() as u64 + i as u64, 0, client),
                actor: staff.actor(),
                store_id: store,
                change,
            })
            .collect();
        json!({ "format_version": 1, "client_id": client, "mutations": mutations })
    };
    let codes = |body: &Value| -> Vec<Value> {
        body["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["error"]["code"].clone())
            .collect()
    };
    let (status, body) = s.push_json(&desk, push(&desk)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let denied = json!("permission.denied");
    assert_eq!(
        codes(&body),
        vec![
            Value::Null,
            Value::Null,
            denied.clone(),
            denied.clone(),
            denied
        ],
        "{body}"
    );
    let (status, body) = s.push_json(&manager, push(&manager)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(codes(&body), vec![Value::Null; 5], "{body}");

    let mut device = owner.device();
    s.pull_all(&owner, &mut device, 100).await;
    let balance = device.view().loyalty(her);
    assert_eq!(balance.level, MembershipLevel::Gold);
    // Two top-ups of ¥100 and the manager's ¥50 correction; the desk's was refused.
    assert_eq!(balance.stored_value, Money::yuan(250, 0));
    assert_eq!(balance.packages[0].remaining, 11);
}

/// Service tasks are re-checked with the core and the caller's role: a therapist neither assigns
/// a task nor marks a colleague's done, nor marks hers done in another's name; the customer-service
/// supervisor assigns, the assignee marks hers done (late, past its deadline), and every device
/// replays the same task.
#[tokio::test]
async fn task_changes_are_rechecked_with_the_role_and_person_that_push_them() {
    use orchid_core::ids::ServiceTaskId;
    use orchid_core::service_task::{ServiceTask, ServiceTaskField, TaskKind, TaskStatus};
    use orchid_core::text::Label;

    let s = TestServer::start().await;
    let owner = s.owner().await;
    let store = owner.store_id;
    let butler = s
        .add_staff(&owner, store, "task_butler", Role::Therapist)
        .await;
    let colleague = s
        .add_staff(&owner, store, "task_colleague", Role::Therapist)
        .await;
    let supervisor = s
        .add_staff(&owner, store, "task_cs", Role::CustomerServiceSupervisor)
        .await;
    let forge =
        |staff: &Staff, client: ClientId, n: u64, change: Change| staff.forge(client, n, change);
    let task = ServiceTaskId(uuid::Uuid::now_v7());
    let due = now() - chrono::Duration::hours(1);
    let assign = |by: &Staff| Change::ServiceTaskUpsert {
        id: task,
        fields: vec![
            ServiceTaskField::Kind(TaskKind::CareCall),
            ServiceTaskField::Title(Label::parse("回访王女士").unwrap()),
            ServiceTaskField::Assignee(Some(butler.staff_id)),
            ServiceTaskField::AssignedBy(Some(by.staff_id)),
            ServiceTaskField::Due(due),
            ServiceTaskField::Status(TaskStatus::Open),
        ],
    };

    // A therapist does not hand out tasks.
    let c_client = colleague.device().client_id();
    let (status, body) = s
        .push_json(
            &colleague,
            json!({ "format_version": 1, "client_id": c_client,
                    "mutations": [forge(&colleague, c_client, 1, assign(&colleague))] }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["results"][0]["error"]["code"],
        json!("permission.denied")
    );

    let s_client = supervisor.device().client_id();
    let (status, body) = s
        .push_json(
            &supervisor,
            json!({ "format_version": 1, "client_id": s_client,
                    "mutations": [forge(&supervisor, s_client, 1, assign(&supervisor))] }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["results"][0]["error"], Value::Null, "{body}");

    // The colleague cannot mark it done, in her own name or in the butler's.
    let done_at = now();
    let (status, body) = s
        .push_json(
            &colleague,
            json!({ "format_version": 1, "client_id": c_client, "mutations": [
                forge(&colleague, c_client, 2, Change::ServiceTaskUpsert {
                    id: task, fields: ServiceTask::done_fields(colleague.staff_id, done_at) }),
                forge(&colleague, c_client, 3, Change::ServiceTaskUpsert {
                    id: task, fields: ServiceTask::done_fields(butler.staff_id, done_at) }),
            ] }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let codes: Vec<Value> = body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["error"]["code"].clone())
        .collect();
    assert_eq!(
        codes,
        vec![json!("task.not_assignee"), json!("sync.actor_mismatch")],
        "{body}"
    );

    // The butler does, on her device, which first learns of the task.
    let mut b_device = butler.device();
    s.pull_all(&butler, &mut b_device, 100).await;
    let seen = b_device.view().service_task(task).unwrap();
    assert_eq!(seen.assignee, Some(butler.staff_id));
    assert!(seen.is_overdue(now()));
    b_device
        .mutate(
            butler.actor(),
            Change::ServiceTaskUpsert {
                id: task,
                fields: ServiceTask::done_fields(butler.staff_id, done_at),
            },
            now(),
        )
        .unwrap();
    let pushed = s.push(&butler, &mut b_device, 50).await;
    assert!(
        pushed
            .results
            .iter()
            .all(|r| matches!(r.outcome, orchid_core::sync::PushOutcome::Accepted)),
        "{pushed:?}"
    );
    let mut s_device = supervisor.device();
    s.pull_all(&supervisor, &mut s_device, 100).await;
    let view = s_device.view().service_task(task).unwrap();
    assert_eq!(view.status, TaskStatus::Done);
    assert_eq!(view.done_by, Some(butler.staff_id));
    assert!(view.is_late(now()), "done after its deadline");
}
