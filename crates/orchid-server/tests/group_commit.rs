//! Grouped writes (SQLite): pushes that queue while the writer is busy share one transaction,
//! each in its own savepoint. Held back by taking the write turn, then let go at once, they
//! must still be applied exactly once each, in consecutive cursors, and a push that fails in
//! the group must leave the others applied. On PostgreSQL (no grouping) the same outcomes hold.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use common::{Staff, TestServer, now};
use orchid_core::customer::CustomerField;
use orchid_core::ids::{ClientId, CustomerId};
use orchid_core::role::Role;
use orchid_core::sync::{Change, SyncClient};
use orchid_core::text::Name;
use orchid_server::db::Backend;
use serde_json::{Value, json};

fn customer(name: &str) -> Change {
    Change::CustomerUpsert {
        id: CustomerId(uuid::Uuid::now_v7()),
        fields: vec![CustomerField::Name(Name::parse(name).unwrap())],
    }
}

/// A push request of `n` new customers from `device`, made by `staff`.
fn push_of(staff: &Staff, device: &mut SyncClient, n: usize) -> Value {
    for i in 0..n {
        device
            .mutate(staff.actor(), customer(&format!("顾客{i}")), now())
            .unwrap();
    }
    serde_json::to_value(device.push_request(100).unwrap()).unwrap()
}

/// Sends every push at once while the write turn is held, waits until they all wait for the
/// writer (SQLite), then lets the writer go; answers each push's status and body, in order.
async fn push_together(
    s: &Arc<TestServer>,
    pushes: Vec<(Staff, Value)>,
) -> Vec<(StatusCode, Value)> {
    let held = s.state.db.begin_write().await.unwrap();
    let count = pushes.len();
    let tasks: Vec<_> = pushes
        .into_iter()
        .map(|(staff, body)| {
            let s = s.clone();
            tokio::spawn(async move { s.push_json(&staff, body).await })
        })
        .collect();
    if s.state.db.backend == Backend::Sqlite {
        // The writer holds the first push (waiting for the turn); the rest queue behind it.
        let deadline = Instant::now() + Duration::from_secs(30);
        while s.state.db.queued_writes() < count - 1 {
            assert!(Instant::now() < deadline, "the pushes never queued");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
    drop(held);
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    answers
}

async fn cursors(s: &TestServer, staff: &Staff) -> Vec<u64> {
    let request = json!({
        "format_version": 1, "client_id": uuid::Uuid::now_v7(),
        "store_id": staff.store_id, "cursor": null, "limit": 1000
    });
    let (status, page) = s.pull_json(staff, request).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["cursor"].as_u64().unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn queued_pushes_share_a_commit_each_applied_once_and_a_failing_one_alone_is_undone() {
    let s = Arc::new(TestServer::start().await);
    let owner = s.owner().await;
    let reception = s
        .add_staff(&owner, owner.store_id, "reception1", Role::Reception)
        .await;
    // A device of another store: a push for it by this store's staff fails inside the group,
    // after its savepoint has written the device's row (the store check reads that row).
    let other_store = s.add_store(&owner, "分店").await;
    let other = s
        .add_staff(&owner, other_store, "reception2", Role::Reception)
        .await;
    let other_client = ClientId(uuid::Uuid::now_v7());
    let mut other_device = SyncClient::new(other_client, other_store);
    let body = push_of(&other, &mut other_device, 1);
    let (status, answer) = s.push_json(&other, body).await;
    assert_eq!(status, StatusCode::OK, "{answer}");

    // A device whose row was set back (as after a restore from an old backup): its next push
    // claims a new record and moves the store's cursor before its log insert fails on a
    // mutation id already logged. Its savepoint must take all of that back.
    let broken_client = ClientId(uuid::Uuid::now_v7());
    let mut broken_device = SyncClient::new(broken_client, reception.store_id);
    let body = push_of(&reception, &mut broken_device, 1);
    let (status, answer) = s.push_json(&reception, body).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    sqlx::query("UPDATE sync_clients SET last_mutation_id = 0 WHERE client_id = $1")
        .bind(broken_client.to_string())
        .execute(s.pool())
        .await
        .unwrap();
    let mut broken_again = SyncClient::new(broken_client, reception.store_id);
    let broken_body = push_of(&reception, &mut broken_again, 1);
    let unclaimed = broken_body["mutations"][0]["payload"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    const DEVICES: usize = 12;
    const PER_PUSH: usize = 3;
    let mut pushes = Vec::new();
    for i in 0..DEVICES {
        let mut device = reception.device();
        pushes.push((
            reception.clone(),
            push_of(&reception, &mut device, PER_PUSH),
        ));
        if i == DEVICES / 2 {
            let mut intruder = SyncClient::new(other_client, reception.store_id);
            pushes.push((reception.clone(), push_of(&reception, &mut intruder, 2)));
        }
        if i == DEVICES / 3 {
            pushes.push((reception.clone(), broken_body.clone()));
        }
    }
    let (groups_before, writes_before) = s.state.db.group_counts();
    let answers = push_together(&s, pushes).await;

    let mut applied = 0;
    let mut failed = 0;
    for (status, answer) in &answers {
        if *status == StatusCode::INTERNAL_SERVER_ERROR {
            failed += 1;
            continue;
        }
        if *status == StatusCode::FORBIDDEN {
            assert!(
                answer["message"]
                    .as_str()
                    .unwrap()
                    .contains("another store"),
                "{answer}"
            );
            continue;
        }
        assert_eq!(*status, StatusCode::OK, "{answer}");
        assert_eq!(answer["last_mutation_id"], PER_PUSH);
        for r in answer["results"].as_array().unwrap() {
            assert_eq!(r["status"], "accepted", "{answer}");
        }
        applied += 1;
    }
    assert_eq!(applied, DEVICES, "every push but the failing ones");
    assert_eq!(failed, 1, "the set-back device's push");
    // The set-back device's first push, then the pushes of the group.
    assert_eq!(
        s.change_count(reception.store_id).await,
        (DEVICES * PER_PUSH) as i64 + 1
    );
    // Consecutive cursors, nothing doubled: the server's staff.upsert of reception1, then the
    // pushes (a cursor moved by the failed push and not taken back would leave a gap).
    let seen = cursors(&s, &reception).await;
    let last = s.last_cursor(reception.store_id).await;
    assert_eq!(last, (DEVICES * PER_PUSH) as u64 + 2);
    let claimed: Option<String> = sqlx::query_scalar("SELECT store_id FROM entities WHERE id = $1")
        .bind(&unclaimed)
        .fetch_optional(s.pool())
        .await
        .unwrap();
    assert_eq!(claimed, None, "the failed push's claim was taken back");
    assert_eq!(seen, (1..=last).collect::<Vec<u64>>());
    // The failing push left nothing: the other store's device is as it was.
    let (store, last_id): (String, i64) =
        sqlx::query_as("SELECT store_id, last_mutation_id FROM sync_clients WHERE client_id = $1")
            .bind(other_client.to_string())
            .fetch_one(s.pool())
            .await
            .unwrap();
    assert_eq!((store, last_id), (other_store.to_string(), 1));
    assert_eq!(s.change_count(other_store).await, 1);

    if s.state.db.backend == Backend::Sqlite {
        let (groups, writes) = s.state.db.group_counts();
        let (groups, writes) = (groups - groups_before, writes - writes_before);
        assert_eq!(writes, DEVICES as u64 + 2);
        // The first push ran alone while the rest queued; the rest shared commits.
        assert!(groups < writes, "{groups} groups for {writes} pushes");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_push_twice_in_one_group_is_applied_once() {
    let s = Arc::new(TestServer::start().await);
    let owner = s.owner().await;
    let reception = s
        .add_staff(&owner, owner.store_id, "reception1", Role::Reception)
        .await;
    let mut device = reception.device();
    let body = push_of(&reception, &mut device, 4);
    let answers = push_together(
        &s,
        vec![
            (reception.clone(), body.clone()),
            (reception.clone(), body.clone()),
            (reception.clone(), body),
        ],
    )
    .await;
    let mut accepted = 0;
    let mut duplicates = 0;
    for (status, answer) in &answers {
        assert_eq!(*status, StatusCode::OK, "{answer}");
        assert_eq!(answer["last_mutation_id"], 4);
        for r in answer["results"].as_array().unwrap() {
            match r["status"].as_str().unwrap() {
                "accepted" => accepted += 1,
                "duplicate" => duplicates += 1,
                other => panic!("unexpected outcome {other}: {answer}"),
            }
        }
    }
    assert_eq!((accepted, duplicates), (4, 8));
    assert_eq!(s.change_count(reception.store_id).await, 4);
}
