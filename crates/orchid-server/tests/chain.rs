//! The chain: the owner opens a store from another's settings and catalogue, and the head office
//! shows every store's day with the figures the store's own devices compute.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use axum::http::{Method, StatusCode};
use chrono::Datelike;
use common::{Staff, TestServer, now};
use orchid_core::appointment::{AppointmentStatus, CancelReason, StatusChange};
use orchid_core::demo::{DemoSize, demo_store};
use orchid_core::head_office::{StoreDay, store_day};
use orchid_core::ids::{StoreId, TransitionId};
use orchid_core::role::Role;
use orchid_core::store::StoreField;
use orchid_core::sync::{Change, Replica, SyncClient};
use orchid_core::text::Name;
use orchid_core::time::{DayHours, OpeningHours, Timestamp, UtcOffset};
use serde_json::{Value, json};

async fn head_office(s: &TestServer, token: &str) -> (StatusCode, Value) {
    s.call(Method::GET, "/api/v1/head-office", Some(token), None)
        .await
}

fn row(answer: &Value, store: StoreId) -> StoreDay {
    let rows = answer["stores"].as_array().unwrap();
    let found = rows
        .iter()
        .find(|r| r["store_id"] == json!(store))
        .unwrap_or_else(|| panic!("no row for {store}: {answer}"));
    serde_json::from_value(found.clone()).unwrap()
}

/// The owner's first store, "静安店", filled with the demo's records (`seed`) on her device as of
/// `at`, every change pushed and confirmed: the device then sees what the server logged.
async fn demo_first_store(
    s: &TestServer,
    owner: &Staff,
    at: Timestamp,
    size: DemoSize,
    seed: u64,
) -> SyncClient {
    let store = owner.store_id;
    let today = UtcOffset::CHINA.local_date(now());
    let mut device = owner.device();
    let mut changes = vec![Change::StoreUpsert {
        id: store,
        fields: vec![StoreField::Name(Name::parse("静安店").unwrap())],
    }];
    changes.extend(
        demo_store(
            store,
            owner.actor(),
            UtcOffset::CHINA,
            today,
            at,
            size,
            seed,
        )
        .unwrap(),
    );
    for change in changes {
        device.mutate(owner.actor(), change, now()).unwrap();
    }
    // A device's pushed changes leave its outbox when the pull brings them back.
    while !device.pending().is_empty() {
        s.push(owner, &mut device, 200).await;
        s.pull_all(owner, &mut device, 1000).await;
    }
    device
}

#[tokio::test]
async fn the_head_office_shows_each_store_as_its_devices_see_it_and_only_to_the_owner() {
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let store_a = owner.store_id;
    let today = UtcOffset::CHINA.local_date(now());
    let size = DemoSize {
        customers: 120,
        days_each_side: 2,
    };
    // The demo's day as of this morning, so that some of today's bookings are still to come
    // whatever the hour the test runs at (in the evening every one had arrived or been
    // completed, and the cancellation below found none to cancel).
    let this_morning = UtcOffset::CHINA.to_utc(today.and_hms_opt(8, 0, 0).unwrap());
    let mut device = demo_first_store(&s, &owner, this_morning, size, 3).await;
    s.pull_all(&owner, &mut device, 1000).await;
    let store_b = s.add_store(&owner, "徐汇店").await;

    let (status, answer) = head_office(&s, &owner.token).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let a = row(&answer, store_a);
    let expected = store_day(device.view(), store_a, today, now());
    assert_eq!(a.name, "静安店");
    assert!(a.bookings > 0, "{a:?}");
    assert_eq!(
        (
            a.bookings,
            a.arrivals,
            a.no_shows,
            a.complaints_open,
            a.complaints_overdue
        ),
        (
            expected.bookings,
            expected.arrivals,
            expected.no_shows,
            expected.complaints_open,
            expected.complaints_overdue
        )
    );
    let b = row(&answer, store_b);
    assert_eq!((b.name.as_str(), b.bookings), ("徐汇店", 0));

    // A booking of today cancelled on a device: the next look at the head office counts it out
    // (the server's replay catches up with the log).
    let booked = device
        .view()
        .appointments(store_a)
        .into_iter()
        .find(|v| {
            UtcOffset::CHINA.local_date(v.appointment.time.start) == today
                && v.status.status == AppointmentStatus::Booked
        })
        .expect("the demo books today");
    device
        .mutate(
            owner.actor(),
            Change::AppointmentStatus {
                appointment_id: booked.appointment.id,
                change: StatusChange {
                    id: TransitionId(uuid::Uuid::now_v7()),
                    to: AppointmentStatus::Cancelled,
                    at: now(),
                    by: owner.staff_id,
                    role: Role::Owner,
                    reason: Some(CancelReason::CustomerRequest),
                    note: Default::default(),
                },
            },
            now(),
        )
        .unwrap();
    s.push(&owner, &mut device, 10).await;
    let (_, answer) = head_office(&s, &owner.token).await;
    assert_eq!(row(&answer, store_a).bookings, a.bookings - 1);

    // A manager of store A, a receptionist: not the head office's figures, not even their own.
    let manager = s
        .add_staff(&owner, store_a, "manager-a", Role::Manager)
        .await;
    let reception = s
        .add_staff(&owner, store_a, "desk-a", Role::Reception)
        .await;
    for who in [&manager, &reception] {
        let (status, answer) = head_office(&s, &who.token).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{answer}");
        assert!(!answer.to_string().contains("徐汇店"));
    }
}

#[tokio::test]
async fn a_new_store_starts_from_another_stores_hours_and_services() {
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let store_a = owner.store_id;
    let hours = OpeningHours::every_day(DayHours::hm(9, 30, 22, 0).unwrap());
    let mut device = owner.device();
    let mut changes = vec![Change::StoreUpsert {
        id: store_a,
        fields: vec![
            StoreField::Name(Name::parse("静安店").unwrap()),
            StoreField::OpeningHours(hours.clone()),
        ],
    }];
    let demo = demo_store(
        store_a,
        owner.actor(),
        UtcOffset::CHINA,
        UtcOffset::CHINA.local_date(now()),
        now(),
        DemoSize {
            customers: 5,
            days_each_side: 0,
        },
        1,
    )
    .unwrap();
    changes.extend(
        demo.into_iter()
            .filter(|c| matches!(c, Change::CatalogUpsert { .. })),
    );
    for change in changes {
        device.mutate(owner.actor(), change, now()).unwrap();
    }
    s.push(&owner, &mut device, 200).await;
    let services_a = device.view().catalog(store_a);
    assert!(!services_a.is_empty());

    let (status, body) = s
        .call(
            Method::POST,
            "/api/v1/stores",
            Some(&owner.token),
            Some(json!({ "name": "苏州店", "address": "苏州市观前街 1 号", "utc_offset_minutes": 480, "copy_from": store_a })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let store_b = StoreId(body["id"].as_str().unwrap().parse().unwrap());

    // A device of the new store learns its settings and services from its log.
    let mut tablet = orchid_core::sync::SyncClient::new(
        orchid_core::ids::ClientId(uuid::Uuid::now_v7()),
        store_b,
    );
    s.pull_all(&owner, &mut tablet, 1000).await;
    let view: &Replica = tablet.view();
    let record = view
        .store(store_b)
        .expect("the new store's settings are in its log");
    assert_eq!(record.name.to_string(), "苏州店");
    assert_eq!(record.opening_hours, hours);
    assert_eq!(
        record.address.map(|a| a.to_string()).as_deref(),
        Some("苏州市观前街 1 号")
    );
    let services_b = view.catalog(store_b);
    let mut names_a: Vec<String> = services_a.iter().map(|c| c.name.to_string()).collect();
    let mut names_b: Vec<String> = services_b.iter().map(|c| c.name.to_string()).collect();
    names_a.sort();
    names_b.sort();
    assert_eq!(names_a, names_b);
    // Copies, not the same records: editing one store's service leaves the other's alone.
    assert!(
        services_b
            .iter()
            .all(|b| services_a.iter().all(|a| a.id != b.id))
    );
    assert!(services_b.iter().all(|b| b.store_id == store_b));

    // The owner's tablet working in the new store is registered as that store's device.
    tablet
        .mutate(
            owner.actor(),
            Change::StoreUpsert {
                id: store_b,
                fields: vec![StoreField::Name(Name::parse("苏州观前店").unwrap())],
            },
            now(),
        )
        .unwrap();
    s.push(&owner, &mut tablet, 10).await;
    let registered: String =
        sqlx::query_scalar("SELECT store_id FROM sync_clients WHERE client_id = $1")
            .bind(tablet.client_id().to_string())
            .fetch_one(s.pool())
            .await
            .unwrap();
    assert_eq!(registered, store_b.to_string());

    // Bad input: a clear code, and no store made.
    let stores_before = s.get("/api/v1/stores", &owner).await.1["stores"]
        .as_array()
        .unwrap()
        .len();
    for (body, status, code) in [
        (
            json!({ "name": "远方店", "utc_offset_minutes": 2000 }),
            StatusCode::BAD_REQUEST,
            "time.offset_out_of_range",
        ),
        (json!({ "name": "" }), StatusCode::BAD_REQUEST, "name.empty"),
        (
            json!({ "name": "影子店", "copy_from": uuid::Uuid::now_v7() }),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
    ] {
        let (got, answer) = s
            .call(
                Method::POST,
                "/api/v1/stores",
                Some(&owner.token),
                Some(body),
            )
            .await;
        assert_eq!(
            (got, answer["error"].as_str().unwrap_or_default()),
            (status, code),
            "{answer}"
        );
    }
    let stores_after = s.get("/api/v1/stores", &owner).await.1["stores"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(stores_after, stores_before);
}

/// A customer file in `store`, made on `device` by `who`; pushed; answers the push's outcome.
async fn push_customer(
    s: &TestServer,
    who: &common::Staff,
    device: &mut orchid_core::sync::SyncClient,
    store: StoreId,
) -> (StatusCode, Value) {
    use orchid_core::customer::CustomerField;
    let m = orchid_core::sync::Mutation {
        client_id: device.client_id(),
        mutation_id: device.pending().len() as u64 + 1,
        hlc: orchid_core::hlc::Hlc::new(now().timestamp_millis() as u64, 0, device.client_id()),
        actor: who.actor(),
        store_id: store,
        change: Change::CustomerUpsert {
            id: orchid_core::ids::CustomerId(uuid::Uuid::now_v7()),
            fields: vec![CustomerField::Name(Name::parse("跨店顾客").unwrap())],
        },
    };
    s.push_json(
        who,
        json!({ "format_version": 1, "client_id": device.client_id(), "mutations": [m] }),
    )
    .await
}

#[tokio::test]
async fn the_owner_lets_a_therapist_work_in_a_second_store_and_takes_it_back() {
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let store_a = owner.store_id;
    let store_b = s.add_store(&owner, "徐汇店").await;
    let therapist = s.add_staff(&owner, store_a, "lin", Role::Therapist).await;
    let manager = s.add_staff(&owner, store_a, "boss-a", Role::Manager).await;
    let stores = |who: common::Staff| {
        let s = &s;
        async move {
            let (_, list) = s.get("/api/v1/stores", &who).await;
            list["stores"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["name"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(stores(therapist.clone()).await.len(), 1);
    let mut device_b = orchid_core::sync::SyncClient::new(
        orchid_core::ids::ClientId(uuid::Uuid::now_v7()),
        store_b,
    );
    let (_, answer) = push_customer(&s, &therapist, &mut device_b, store_b).await;
    assert_eq!(answer["results"][0]["status"], "rejected", "{answer}");

    // Only the owner lets her work there.
    let path = format!("/api/v1/staff/{}/stores", therapist.staff_id);
    let body = json!({ "store_id": store_b, "works_here": true });
    let (status, _) = s
        .call(
            Method::POST,
            &path,
            Some(&manager.token),
            Some(body.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, answer) = s
        .call(Method::POST, &path, Some(&owner.token), Some(body))
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["also_in"], json!([store_b]));
    assert_eq!(
        stores(therapist.clone()).await.last().map(String::as_str),
        Some("徐汇店")
    );

    // Now she works there in her own role; the store's devices know her.
    let mut device_b = orchid_core::sync::SyncClient::new(
        orchid_core::ids::ClientId(uuid::Uuid::now_v7()),
        store_b,
    );
    let (status, answer) = push_customer(&s, &therapist, &mut device_b, store_b).await;
    assert_eq!(
        (status, answer["results"][0]["status"].clone()),
        (StatusCode::OK, json!("accepted")),
        "{answer}"
    );
    s.pull_all(&owner, &mut device_b, 1000).await;
    let known = device_b
        .view()
        .staff_member(therapist.staff_id)
        .expect("store B knows her");
    assert_eq!((known.role, known.active), (Role::Therapist, true));

    // Taken back: her next push there is refused; the store keeps her record, inactive.
    let (status, answer) = s
        .call(
            Method::POST,
            &path,
            Some(&owner.token),
            Some(json!({ "store_id": store_b, "works_here": false })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["also_in"], json!([]));
    let (status, _) = push_customer(&s, &therapist, &mut device_b, store_b).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    s.pull_all(&owner, &mut device_b, 1000).await;
    assert!(
        !device_b
            .view()
            .staff_member(therapist.staff_id)
            .unwrap()
            .active
    );
    // Her own store is not "another" store.
    let (status, answer) = s
        .call(
            Method::POST,
            &path,
            Some(&owner.token),
            Some(json!({ "store_id": store_a, "works_here": true })),
        )
        .await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("staff.own_store"))
    );
}

/// The chain's monthly report: each store's month as its own devices compute it, and one over
/// every store's records; for the owner only.
#[tokio::test]
async fn the_chains_monthly_report_adds_up_its_stores_as_their_devices_see_them() {
    use orchid_core::monthly_report::{ChainMonth, Records, monthly_report};
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let store_a = owner.store_id;
    let size = DemoSize {
        customers: 60,
        days_each_side: 2,
    };
    let device = demo_first_store(&s, &owner, now(), size, 5).await;
    let store_b = s.add_store(&owner, "徐汇店").await;
    // The month of the demo's complaints, so that the month counts some whatever the day.
    let received = device.view().complaints(store_a, now())[0].received_at;
    let month = UtcOffset::CHINA.local_date(received);

    let (status, answer) = s
        .get(
            &format!("/api/v1/head-office/monthly?month={month}"),
            &owner,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let chain: ChainMonth = serde_json::from_value(answer).unwrap();
    assert_eq!(chain.month, month.with_day(1).unwrap());
    let names: Vec<(StoreId, &str)> = chain
        .stores
        .iter()
        .map(|m| (m.store_id, m.name.as_str()))
        .collect();
    assert_eq!(names, vec![(store_a, "静安店"), (store_b, "徐汇店")]);
    let records = Records::of(device.view(), store_a, now());
    let expected = monthly_report(chain.month, UtcOffset::CHINA, now(), records.sources());
    let a = &chain.stores[0].report;
    assert!(a.complaints.total > 0, "{a:?}");
    assert_eq!(a.complaints.total, expected.complaints.total);
    assert_eq!(a.complaints.by_nature, expected.complaints.by_nature);
    assert_eq!(a.follow_ups.due, expected.follow_ups.due);
    assert_eq!(a.checks, expected.checks);
    assert_eq!(chain.stores[1].report.complaints.total, 0);
    assert_eq!(chain.total.complaints.total, a.complaints.total);
    assert_eq!(chain.total.satisfaction.count, a.satisfaction.count);

    // Not for a manager; a month that is no date is refused with its reason.
    let manager = s
        .add_staff(&owner, store_a, "manager-m", Role::Manager)
        .await;
    let (status, body) = s.get("/api/v1/head-office/monthly", &manager).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(!body.to_string().contains("徐汇店"));
    let (status, body) = s
        .get("/api/v1/head-office/monthly?month=2026-13-01", &owner)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}
