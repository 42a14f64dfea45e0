//! Sync over HTTP: devices are the core's `SyncClient`s talking to the server through `app()`.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use axum::http::{Method, StatusCode};
use common::{TestServer, now};
use orchid_core::complaint::{
    ComplaintChannel, ComplaintEvent, ComplaintEventKind, ComplaintLinks,
};
use orchid_core::customer::{CustomerField, Gender};
use orchid_core::ids::{ComplaintEventId, ComplaintId, CustomerId};
use orchid_core::role::Role;
use orchid_core::sync::{Change, PushOutcome};
use orchid_core::text::{Name, Note};
use serde_json::json;

fn customer(id: CustomerId, name: &str) -> Change {
    Change::CustomerUpsert {
        id,
        fields: vec![
            CustomerField::Name(Name::parse(name).unwrap()),
            CustomerField::Gender(Gender::Female),
        ],
    }
}

fn notes(id: CustomerId, text: &str) -> Change {
    Change::CustomerUpsert {
        id,
        fields: vec![CustomerField::Notes(Note::parse(text).unwrap())],
    }
}

#[tokio::test]
async fn the_same_push_twice_is_applied_once() {
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let reception = s
        .add_staff(&owner, owner.store_id, "reception1", Role::Reception)
        .await;
    let mut device = reception.device();
    let id = CustomerId(uuid::Uuid::now_v7());
    device
        .mutate(reception.actor(), customer(id, "王芳"), now())
        .unwrap();
    device
        .mutate(reception.actor(), notes(id, "喜欢安静"), now())
        .unwrap();
    let request = serde_json::to_value(device.push_request(50).unwrap()).unwrap();

    let (status, first) = s.push_json(&reception, request.clone()).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first["results"][0]["status"], "accepted");
    assert_eq!(first["results"][1]["status"], "accepted");
    assert_eq!(first["last_mutation_id"], 2);

    // The response was lost; the device sends the same batch again.
    let (status, second) = s.push_json(&reception, request).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    assert_eq!(second["results"][0]["status"], "duplicate");
    assert_eq!(second["results"][1]["status"], "duplicate");
    assert_eq!(s.change_count(reception.store_id).await, 2);

    s.pull_all(&reception, &mut device, 100).await;
    assert!(device.pending().is_empty());
    assert_eq!(
        device.view().customer(id).unwrap().notes.as_str(),
        "喜欢安静"
    );
}

#[tokio::test]
async fn a_device_clock_too_far_ahead_is_told_to_wait_and_loses_nothing() {
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let reception = s
        .add_staff(&owner, owner.store_id, "reception1", Role::Reception)
        .await;
    let mut device = reception.device();
    let id = CustomerId(uuid::Uuid::now_v7());
    // The tablet's clock is 20 minutes fast (the server allows 5).
    let fast = now() + chrono::Duration::minutes(20);
    device
        .mutate(reception.actor(), customer(id, "王芳"), fast)
        .unwrap();
    device
        .mutate(reception.actor(), notes(id, "喜欢安静"), fast)
        .unwrap();
    let request = serde_json::to_value(device.push_request(50).unwrap()).unwrap();
    let (status, body) = s.push_json(&reception, request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Not refused for good: the first waits for the clock, the second behind it, in order.
    assert_eq!(body["results"][0]["status"], "retry", "{body}");
    assert_eq!(
        body["results"][0]["error"]["code"], "hlc.too_far_ahead",
        "{body}"
    );
    assert_eq!(body["results"][1]["status"], "retry", "{body}");
    assert_eq!(
        body["results"][1]["error"]["code"], "sync.mutation_id_gap",
        "{body}"
    );
    assert_eq!(body["last_mutation_id"], 0);
    assert_eq!(s.change_count(reception.store_id).await, 0);
    // The device keeps both.
    let response = serde_json::from_value(body).unwrap();
    device.on_push_response(&response).unwrap();
    assert_eq!(device.pending().len(), 2);
}

#[tokio::test]
async fn three_devices_editing_one_customer_converge() {
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let store = owner.store_id;
    let a = s.add_staff(&owner, store, "manager1", Role::Manager).await;
    let b = s
        .add_staff(&owner, store, "reception1", Role::Reception)
        .await;
    let c = s
        .add_staff(&owner, store, "therapist1", Role::Therapist)
        .await;
    let mut devices = [a.device(), b.device(), c.device()];
    let staff = [&a, &b, &c];
    let id = CustomerId(uuid::Uuid::now_v7());

    // Everyone edits the same file offline, each touching the name and the notes.
    for (i, (device, who)) in devices.iter_mut().zip(staff).enumerate() {
        device
            .mutate(
                who.actor(),
                customer(id, ["王芳", "李娜", "张敏"][i]),
                now(),
            )
            .unwrap();
        device
            .mutate(who.actor(), notes(id, &format!("第{i}位的备注")), now())
            .unwrap();
    }
    // They come online in an awkward order: pushes interleaved with pulls, one push repeated.
    s.push(&b, &mut devices[1], 1).await;
    s.pull_all(&c, &mut devices[2], 2).await;
    s.push(&c, &mut devices[2], 50).await;
    s.push(&a, &mut devices[0], 50).await;
    s.push(&b, &mut devices[1], 50).await;
    s.push(&b, &mut devices[1], 50).await;
    for (device, who) in devices.iter_mut().zip(staff) {
        s.pull_all(who, device, 3).await;
    }
    for (device, who) in devices.iter_mut().zip(staff) {
        s.pull_all(who, device, 3).await;
        assert!(device.pending().is_empty());
    }
    let first = devices[0].view().customer(id).unwrap();
    for device in &devices {
        assert_eq!(device.view().customer(id).unwrap(), first);
        assert_eq!(device.confirmed(), devices[0].confirmed());
    }
    assert_eq!(s.change_count(store).await, 6);
}

#[tokio::test]
async fn an_interrupted_paged_pull_skips_nothing() {
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let reception = s
        .add_staff(&owner, owner.store_id, "reception1", Role::Reception)
        .await;
    let mut writer = reception.device();
    for i in 0..25 {
        writer
            .mutate(
                reception.actor(),
                customer(CustomerId(uuid::Uuid::now_v7()), &format!("顾客{i}")),
                now(),
            )
            .unwrap();
    }
    s.push(&reception, &mut writer, 10).await;

    let mut reader = reception.device();
    let mut seen = Vec::new();
    let mut cursor = None;
    let mut rounds = 0;
    loop {
        rounds += 1;
        let request = json!({
            "format_version": 1, "client_id": uuid::Uuid::now_v7(),
            "store_id": reception.store_id, "cursor": cursor, "limit": 7
        });
        let (status, page) = s.pull_json(&reception, request.clone()).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        if rounds == 2 {
            // This answer is lost on the way; the device asks again from the same cursor, and
            // meanwhile more changes arrive.
            s.push(&reception, &mut writer, 50).await;
            continue;
        }
        for change in page["changes"].as_array().unwrap() {
            seen.push(change["cursor"].as_u64().unwrap());
        }
        cursor = Some(page["cursor"].as_u64().unwrap());
        if !page["has_more"].as_bool().unwrap() {
            break;
        }
    }
    // Every cursor, the server's own staff.upsert of `reception1` included.
    let last = s.last_cursor(reception.store_id).await;
    assert_eq!(seen, (1..=last).collect::<Vec<u64>>());
    assert_eq!(s.change_count(reception.store_id).await, 25);
    s.pull_all(&reception, &mut reader, 4).await;
    assert_eq!(reader.view().customers(reception.store_id).len(), 25);
}

#[tokio::test]
async fn rejected_mutations_use_up_their_id_and_nothing_else() {
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let reception = s
        .add_staff(&owner, owner.store_id, "reception1", Role::Reception)
        .await;
    let mut device = reception.device();
    let id = CustomerId(uuid::Uuid::now_v7());
    device
        .mutate(reception.actor(), customer(id, "王芳"), now())
        .unwrap();
    let mut request = serde_json::to_value(device.push_request(50).unwrap()).unwrap();
    // Another mutation claiming to be the owner's, and one that skips an id.
    let mut forged = request["mutations"][0].clone();
    forged["mutation_id"] = json!(2);
    forged["actor"] = json!({ "staff_id": owner.staff_id, "role": "owner" });
    let mut gap = request["mutations"][0].clone();
    gap["mutation_id"] = json!(5);
    request["mutations"]
        .as_array_mut()
        .unwrap()
        .extend([forged, gap]);
    let (status, body) = s.push_json(&reception, request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["results"][0]["status"], "accepted");
    assert_eq!(body["results"][1]["status"], "rejected");
    assert_eq!(body["results"][1]["error"]["code"], "sync.actor_mismatch");
    assert_eq!(body["results"][2]["status"], "retry");
    assert_eq!(body["results"][2]["error"]["code"], "sync.mutation_id_gap");
    assert_eq!(body["last_mutation_id"], 2);
    assert_eq!(s.change_count(reception.store_id).await, 1);
    let response: orchid_core::sync::PushResponse = serde_json::from_value(body).unwrap();
    assert!(matches!(
        response.results[1].outcome,
        PushOutcome::Rejected { .. }
    ));
}

#[tokio::test]
async fn a_role_is_refused_what_the_matrix_refuses_and_pulls_lose_sensitive_fields() {
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let store = owner.store_id;
    let reception = s
        .add_staff(&owner, store, "reception1", Role::Reception)
        .await;
    let therapist = s
        .add_staff(&owner, store, "therapist1", Role::Therapist)
        .await;
    let id = CustomerId(uuid::Uuid::now_v7());
    let allergies = Change::CustomerUpsert {
        id,
        fields: vec![
            CustomerField::Name(Name::parse("王芳").unwrap()),
            CustomerField::Allergies(vec![orchid_core::text::Tag::parse("果酸").unwrap()]),
        ],
    };
    // Reception may not write allergies: the server refuses even if the device let it through.
    let mut r_device = reception.device();
    let forged = orchid_core::sync::Mutation {
        client_id: r_device.client_id(),
        mutation_id: 1,
        hlc: orchid_core::hlc::Hlc::new(now().timestamp_millis() as u64, 0, r_device.client_id()),
        actor: reception.actor(),
        store_id: store,
        change: allergies.clone(),
    };
    let (status, body) = s
        .push_json(
            &reception,
            json!({ "format_version": 1, "client_id": r_device.client_id(), "mutations": [forged] }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["results"][0]["error"]["code"], "permission.denied");

    // A therapist may; reception then pulls the file without the allergies.
    let mut t_device = therapist.device();
    t_device
        .mutate(therapist.actor(), therapist.health_consent(id), now())
        .unwrap();
    t_device
        .mutate(therapist.actor(), allergies, now())
        .unwrap();
    s.push(&therapist, &mut t_device, 50).await;
    let (_, page) = s
        .pull_json(
            &reception,
            serde_json::to_value(r_device.pull_request(100)).unwrap(),
        )
        .await;
    let text = page.to_string();
    assert!(text.contains("王芳"), "{text}");
    assert!(!text.contains("果酸"), "{text}");
    s.pull_all(&reception, &mut r_device, 100).await;
    assert!(r_device.view().customer(id).unwrap().allergies.is_empty());
    s.pull_all(&therapist, &mut t_device, 100).await;
    assert_eq!(t_device.view().customer(id).unwrap().allergies.len(), 1);
}

/// Health data is kept only under her consent: a pushed health write that no consent covers is
/// refused (a device that skipped the check); one made after a withdrawal its device had not
/// seen is kept, flagged on every replica; consent records reach every device.
#[tokio::test]
async fn health_data_is_kept_only_under_consent_and_a_late_write_is_flagged() {
    use orchid_core::consent::ConsentDecision;
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let store = owner.store_id;
    let therapist = s
        .add_staff(&owner, store, "therapist1", Role::Therapist)
        .await;
    let id = CustomerId(uuid::Uuid::now_v7());
    let allergies = |tag: &str| Change::CustomerUpsert {
        id,
        fields: vec![CustomerField::Allergies(vec![
            orchid_core::text::Tag::parse(tag).unwrap(),
        ])],
    };
    let mut a = therapist.device();
    a.mutate(therapist.actor(), customer(id, "王芳"), now())
        .unwrap();
    s.push(&therapist, &mut a, 50).await;

    // A forged push (the device's own check skipped): refused with the consent's code.
    let forged = orchid_core::sync::Mutation {
        client_id: a.client_id(),
        mutation_id: 2,
        hlc: orchid_core::hlc::Hlc::new(now().timestamp_millis() as u64, 0, a.client_id()),
        actor: therapist.actor(),
        store_id: store,
        change: allergies("果酸"),
    };
    let (status, body) = s
        .push_json(
            &therapist,
            json!({ "format_version": 1, "client_id": a.client_id(), "mutations": [forged] }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body["results"][0]["error"]["code"], "consent.health_data_required",
        "{body}"
    );

    // Consent given on another device, then allergies written here: accepted.
    let mut b = therapist.device();
    s.pull_all(&therapist, &mut b, 100).await;
    b.mutate(therapist.actor(), therapist.health_consent(id), now())
        .unwrap();
    s.push(&therapist, &mut b, 50).await;
    let mut c = therapist.device();
    s.pull_all(&therapist, &mut c, 100).await;
    assert!(c.view().has_health_consent(id));
    c.mutate(therapist.actor(), allergies("果酸"), now())
        .unwrap();
    // Device c goes offline; b records her withdrawal and syncs it; c, unaware, writes again.
    b.mutate(
        therapist.actor(),
        common::consent_decision(&therapist, id, ConsentDecision::Withdrawn),
        now(),
    )
    .unwrap();
    s.push(&therapist, &mut b, 50).await;
    c.mutate(therapist.actor(), allergies("酒精"), now())
        .unwrap();
    let resp = s.push(&therapist, &mut c, 50).await;
    assert!(
        resp.results
            .iter()
            .all(|r| r.outcome == PushOutcome::Accepted),
        "{resp:?}"
    );
    // Every device sees the same: her consent withdrawn, the late write kept and flagged.
    let mut fresh = owner.device();
    s.pull_all(&owner, &mut fresh, 100).await;
    s.pull_all(&therapist, &mut b, 100).await;
    for view in [fresh.view(), b.view()] {
        assert_eq!(view.consents(id).len(), 2);
        assert!(!view.has_health_consent(id));
        assert_eq!(view.customer(id).unwrap().allergies[0].as_str(), "酒精");
        let flags = view.consent_flags(store);
        assert_eq!(flags.len(), 1, "{flags:?}");
        assert_eq!(flags[0].field.as_deref(), Some("allergies"));
        assert_eq!(flags[0].written.node, c.client_id());
    }
}

#[tokio::test]
async fn another_stores_token_neither_reads_nor_writes() {
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let store_a = owner.store_id;
    let store_b = s.add_store(&owner, "分店").await;
    let a = s
        .add_staff(&owner, store_a, "manager_a", Role::Manager)
        .await;
    let b = s
        .add_staff(&owner, store_b, "manager_b", Role::Manager)
        .await;
    let mut a_device = a.device();
    let id = CustomerId(uuid::Uuid::now_v7());
    a_device
        .mutate(a.actor(), customer(id, "王芳"), now())
        .unwrap();
    s.push(&a, &mut a_device, 50).await;

    // B pulls A's store: refused.
    let (status, body) = s
        .pull_json(
            &b,
            serde_json::to_value(a_device.pull_request(100)).unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"], "sync.wrong_store");

    // B pushes into A's store from its own device: rejected, nothing logged.
    let b_device = b.device();
    let forged = orchid_core::sync::Mutation {
        client_id: b_device.client_id(),
        mutation_id: 1,
        hlc: orchid_core::hlc::Hlc::new(now().timestamp_millis() as u64, 0, b_device.client_id()),
        actor: b.actor(),
        store_id: store_a,
        change: notes(id, "改写"),
    };
    let (_, body) = s
        .push_json(
            &b,
            json!({ "format_version": 1, "client_id": b_device.client_id(), "mutations": [forged.clone()] }),
        )
        .await;
    assert_eq!(body["results"][0]["error"]["code"], "sync.wrong_store");

    // B writes A's customer id under B's store: the record belongs to A.
    let mut in_b = forged.clone();
    in_b.mutation_id = 2;
    in_b.store_id = store_b;
    let (_, body) = s
        .push_json(
            &b,
            json!({ "format_version": 1, "client_id": b_device.client_id(), "mutations": [in_b] }),
        )
        .await;
    assert_eq!(
        body["results"][0]["error"]["code"],
        "sync.entity_in_other_store"
    );

    // B pushes with A's device id: refused whole, A's ids untouched.
    let mut stolen = forged;
    stolen.client_id = a_device.client_id();
    stolen.mutation_id = 2;
    stolen.store_id = store_b;
    let (status, body) = s
        .push_json(
            &b,
            json!({ "format_version": 1, "client_id": a_device.client_id(), "mutations": [stolen] }),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(s.change_count(store_a).await, 1);
    assert_eq!(s.change_count(store_b).await, 0);
    a_device
        .mutate(a.actor(), notes(id, "继续"), now())
        .unwrap();
    let response = s.push(&a, &mut a_device, 50).await;
    assert_eq!(
        response.results.last().unwrap().outcome,
        PushOutcome::Accepted
    );
    assert_eq!(response.last_mutation_id, 2);

    // The owner reads both.
    let mut o_device = orchid_core::sync::SyncClient::new(
        orchid_core::ids::ClientId(uuid::Uuid::now_v7()),
        store_a,
    );
    s.pull_all(&owner, &mut o_device, 100).await;
    assert!(o_device.view().customer(id).is_some());
    let (status, _) = s.get("/api/v1/stores", &owner).await;
    assert_eq!(status, StatusCode::OK);
}

/// Many devices push at once while another device pulls in a loop: every cursor is handed out
/// once, and the puller, which only ever moves forward, still sees every change (commits in
/// cursor order per store).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_pushes_and_a_pulling_device_skip_nothing() {
    let s = std::sync::Arc::new(TestServer::start().await);
    let owner = s.owner().await;
    let reception = s
        .add_staff(&owner, owner.store_id, "reception1", Role::Reception)
        .await;
    const DEVICES: usize = 6;
    const BATCHES: usize = 5;
    const PER_BATCH: usize = 8;
    let mut pushers = Vec::new();
    for _ in 0..DEVICES {
        let s = s.clone();
        let staff = reception.clone();
        pushers.push(tokio::spawn(async move {
            let mut device = staff.device();
            for _ in 0..BATCHES {
                for i in 0..PER_BATCH {
                    device
                        .mutate(
                            staff.actor(),
                            customer(CustomerId(uuid::Uuid::now_v7()), &format!("顾客{i}")),
                            now(),
                        )
                        .unwrap();
                }
                s.push(&staff, &mut device, 100).await;
                // Confirm them, so the next push carries only new mutations.
                s.pull_all(&staff, &mut device, 1000).await;
            }
        }));
    }
    let puller = {
        let s = s.clone();
        let staff = reception.clone();
        tokio::spawn(async move {
            let mut seen = Vec::new();
            let mut cursor: Option<u64> = None;
            // The pushes and the server's staff.upsert of `reception1`.
            let total = (DEVICES * BATCHES * PER_BATCH) as u64 + 1;
            for _ in 0..10_000 {
                let request = json!({
                    "format_version": 1, "client_id": uuid::Uuid::now_v7(),
                    "store_id": staff.store_id, "cursor": cursor, "limit": 5
                });
                let (status, page) = s.pull_json(&staff, request).await;
                assert_eq!(status, StatusCode::OK, "{page}");
                for change in page["changes"].as_array().unwrap() {
                    seen.push(change["cursor"].as_u64().unwrap());
                }
                cursor = page["cursor"].as_u64();
                if seen.len() as u64 >= total {
                    break;
                }
                tokio::task::yield_now().await;
            }
            seen
        })
    };
    for p in pushers {
        p.await.unwrap();
    }
    let seen = puller.await.unwrap();
    let total = (DEVICES * BATCHES * PER_BATCH) as u64;
    let last = s.last_cursor(reception.store_id).await;
    assert_eq!(last, total + 1, "the pushes and the server's staff.upsert");
    assert_eq!(seen, (1..=last).collect::<Vec<u64>>());
    assert_eq!(s.change_count(reception.store_id).await, total as i64);
}

fn intake(complaint: ComplaintId, by: &common::Staff, what: &str) -> Change {
    Change::ComplaintEvent(ComplaintEvent {
        id: ComplaintEventId(uuid::Uuid::now_v7()),
        complaint_id: complaint,
        at: now(),
        by: Some(by.staff_id),
        role: by.role,
        kind: ComplaintEventKind::Received {
            channel: ComplaintChannel::Phone,
            customer_id: None,
            customer_name: Some(Name::parse("李女士").unwrap()),
            contact: None,
            occurred_at: None,
            description: Note::parse(what).unwrap(),
            expected_solution: Note::default(),
            nature: None,
            severity: None,
            links: ComplaintLinks::default(),
        },
    })
}

#[tokio::test]
async fn the_server_numbers_each_complaint_once_and_every_device_learns_it() {
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let front = s
        .add_staff(&owner, owner.store_id, "reception-n", Role::Reception)
        .await;
    let supervisor = s
        .add_staff(
            &owner,
            owner.store_id,
            "cs-n",
            Role::CustomerServiceSupervisor,
        )
        .await;
    // Two devices log a complaint each while offline, then push; one push is repeated.
    let (first, second) = (
        ComplaintId(uuid::Uuid::now_v7()),
        ComplaintId(uuid::Uuid::now_v7()),
    );
    let mut desk = front.device();
    desk.mutate(front.actor(), intake(first, &front, "等了四十分钟"), now())
        .unwrap();
    let mut tablet = supervisor.device();
    tablet
        .mutate(
            supervisor.actor(),
            intake(second, &supervisor, "产品过敏"),
            now(),
        )
        .unwrap();
    let request = serde_json::to_value(desk.push_request(50).unwrap()).unwrap();
    let (status, body) = s.push_json(&front, request.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = s.push_json(&front, request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["results"][0]["status"], "duplicate");
    s.push(&supervisor, &mut tablet, 50).await;
    // Two intakes and two numbers (not three), after the two staff.upserts of the accounts.
    assert_eq!(s.change_count(owner.store_id).await, 2);
    assert_eq!(s.last_cursor(owner.store_id).await, 6);

    s.pull_all(&supervisor, &mut tablet, 100).await;
    let year = chrono::Datelike::year(&now());
    let number = |id| tablet.view().complaint(id, now()).unwrap().number;
    assert_eq!(number(first), Some(format!("TS-{year}-0001")));
    assert_eq!(number(second), Some(format!("TS-{year}-0002")));
}

#[tokio::test]
async fn a_device_may_not_use_a_stores_id_as_its_client_id() {
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let mut device = orchid_core::sync::SyncClient::new(
        orchid_core::sync::server_client_of(owner.store_id),
        owner.store_id,
    );
    device
        .mutate(
            owner.actor(),
            customer(CustomerId(uuid::Uuid::now_v7()), "周"),
            now(),
        )
        .unwrap();
    let request = serde_json::to_value(device.push_request(50).unwrap()).unwrap();
    let (status, body) = s.push_json(&owner, request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(s.change_count(owner.store_id).await, 0);
}

#[tokio::test]
async fn a_new_account_reaches_every_device_of_its_store_only() {
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let other_store = s.add_store(&owner, "分店").await;
    let therapist = s
        .add_staff(&owner, owner.store_id, "therapist-new", Role::Therapist)
        .await;
    let elsewhere = s
        .add_staff(&owner, other_store, "elsewhere", Role::Reception)
        .await;
    let mut tablet = therapist.device();
    s.pull_all(&therapist, &mut tablet, 100).await;
    let member = tablet.view().staff_member(therapist.staff_id).unwrap();
    assert_eq!(member.name.as_str(), "therapist-new");
    assert_eq!(member.role, Role::Therapist);
    assert!(member.active);
    assert!(tablet.view().staff_member(elsewhere.staff_id).is_none());
}

#[tokio::test]
async fn a_record_claimed_earlier_in_the_same_push_stays_in_its_store() {
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let branch = s.add_store(&owner, "二店").await;
    let mut device = owner.device();
    let id = CustomerId(uuid::Uuid::now_v7());
    device
        .mutate(owner.actor(), customer(id, "陈静"), now())
        .unwrap();
    device
        .mutate(owner.actor(), notes(id, "转到二店"), now())
        .unwrap();
    let mut request = serde_json::to_value(device.push_request(50).unwrap()).unwrap();
    // The owner may act in both stores, but the customer belongs to the first one's.
    request["mutations"][1]["store_id"] = json!(branch);
    let (status, body) = s.push_json(&owner, request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["results"][0]["status"], "accepted");
    assert_eq!(body["results"][1]["status"], "rejected", "{body}");
    assert_eq!(s.change_count(branch).await, 0);
}

/// Live changes (`POST /sync/wait`): a waiting device is answered when another pushes, when
/// another server on the same database logs a change (its cursor row moves), at once when it is
/// behind, and with `changed: false` when nothing happens; never about another chain's store.
#[tokio::test]
async fn a_waiting_device_learns_of_a_change_pushed_or_logged_elsewhere() {
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let reception = s
        .add_staff(&owner, owner.store_id, "reception1", Role::Reception)
        .await;
    let store = reception.store_id;
    let wait = |cursor: u64, timeout_ms: u32| json!({ "format_version": 1, "store_id": store, "cursor": cursor, "timeout_ms": timeout_ms });
    let waiting = || async {
        while s.state.live.waiting(store) == 0 {
            tokio::task::yield_now().await;
        }
    };

    // Nothing new: the answer comes at the timeout, with the store's cursor.
    let last = s.last_cursor(store).await;
    let (status, body) = s
        .call(
            Method::POST,
            "/api/v1/sync/wait",
            Some(&reception.token),
            Some(wait(last, 50)),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (body["changed"].clone(), body["cursor"].clone()),
        (json!(false), json!(last))
    );

    // Another device pushes while this one waits (for up to 20 s): it is answered by the push.
    let mut other = reception.device();
    other
        .mutate(
            reception.actor(),
            customer(CustomerId(uuid::Uuid::now_v7()), "李娜"),
            now(),
        )
        .unwrap();
    let push = serde_json::to_value(other.push_request(50).unwrap()).unwrap();
    let ((status, body), _) = tokio::join!(
        s.call(
            Method::POST,
            "/api/v1/sync/wait",
            Some(&reception.token),
            Some(wait(last, 20_000))
        ),
        async {
            waiting().await;
            let (status, pushed) = s.push_json(&reception, push).await;
            assert_eq!(status, StatusCode::OK, "{pushed}");
        }
    );
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["changed"], true, "{body}");
    let after_push = s.last_cursor(store).await;
    assert!(after_push > last);
    assert_eq!(body["cursor"], json!(after_push));

    // Another server on the same database logs a change: only its cursor row moves here.
    let ((status, body), _) = tokio::join!(
        s.call(
            Method::POST,
            "/api/v1/sync/wait",
            Some(&reception.token),
            Some(wait(after_push, 20_000))
        ),
        async {
            waiting().await;
            sqlx::query("UPDATE sync_stores SET last_seq = last_seq + 1 WHERE store_id = $1")
                .bind(store.to_string())
                .execute(s.pool())
                .await
                .unwrap();
        }
    );
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["changed"], true, "{body}");
    assert_eq!(body["cursor"], json!(after_push + 1));

    // A device behind is answered at once.
    let (status, body) = s
        .call(
            Method::POST,
            "/api/v1/sync/wait",
            Some(&reception.token),
            Some(wait(0, 20_000)),
        )
        .await;
    assert_eq!(
        (status, body["changed"].clone()),
        (StatusCode::OK, json!(true))
    );

    // Another chain's store: refused, as a pull is.
    let stranger = json!({ "format_version": 1, "store_id": uuid::Uuid::now_v7(), "cursor": 0, "timeout_ms": 10 });
    let (status, body) = s
        .call(
            Method::POST,
            "/api/v1/sync/wait",
            Some(&reception.token),
            Some(stranger),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    // Without a session: refused.
    let (status, _) = s
        .call(Method::POST, "/api/v1/sync/wait", None, Some(wait(0, 10)))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

/// One push with changes for two stores (the owner's device, working in both): each store's
/// changes take that store's next cursors, in push order, and a change that names no customer
/// is logged without one — on PostgreSQL all of them are written by one statement from lists.
#[tokio::test]
async fn a_push_for_two_stores_continues_each_stores_cursor() {
    use orchid_core::ids::RoomId;
    use orchid_core::room::RoomField;
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let branch = s.add_store(&owner, "二店").await;
    let (home_before, branch_before) = (
        s.last_cursor(owner.store_id).await,
        s.last_cursor(branch).await,
    );
    let mut device = owner.device();
    let (first, second) = (
        CustomerId(uuid::Uuid::now_v7()),
        CustomerId(uuid::Uuid::now_v7()),
    );
    let room = RoomId(uuid::Uuid::now_v7());
    let changes = [
        customer(first, "李娜"),
        Change::RoomUpsert {
            id: room,
            fields: vec![RoomField::Name(Name::parse("一号床").unwrap())],
        },
        customer(second, "周敏"),
        notes(first, "第二条"),
    ];
    for change in changes {
        device.mutate(owner.actor(), change, now()).unwrap();
    }
    let mut request = serde_json::to_value(device.push_request(50).unwrap()).unwrap();
    let client = request["client_id"].as_str().unwrap().to_owned();
    request["mutations"][1]["store_id"] = json!(branch);
    request["mutations"][2]["store_id"] = json!(branch);
    let (status, body) = s.push_json(&owner, request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    for i in 0..4 {
        assert_eq!(body["results"][i]["status"], "accepted", "{body}");
    }
    let logged: Vec<(String, i64, Option<String>)> = sqlx::query_as(
        "SELECT store_id, seq, customer_id FROM changes WHERE client_id = $1 ORDER BY mutation_id",
    )
    .bind(&client)
    .fetch_all(s.pool())
    .await
    .unwrap();
    let (home, branch_text) = (owner.store_id.to_string(), branch.to_string());
    let at = |cursor: u64, n: i64| i64::try_from(cursor).unwrap() + n;
    assert_eq!(
        logged,
        vec![
            (home.clone(), at(home_before, 1), Some(first.to_string())),
            (branch_text.clone(), at(branch_before, 1), None),
            (branch_text, at(branch_before, 2), Some(second.to_string())),
            (home, at(home_before, 2), Some(first.to_string())),
        ]
    );
    assert_eq!(s.last_cursor(owner.store_id).await, home_before + 2);
    assert_eq!(s.last_cursor(branch).await, branch_before + 2);
}
