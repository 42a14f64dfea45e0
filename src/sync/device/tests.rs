//! What a pull writes: rows only for records it changed.
#![allow(clippy::unwrap_used)]
use chrono::Utc;
use orchid_core::customer::CustomerField;
use orchid_core::ids::{ClientId, CustomerId, StoreId};
use orchid_core::sync::{Change, ServerState};
use orchid_core::text::Name;

use super::*;
use crate::storage::new_id;
use crate::storage::repo::Repository;

fn upsert(id: CustomerId, name: &str) -> Change {
    Change::CustomerUpsert {
        id,
        fields: vec![CustomerField::Name(Name::parse(name).unwrap())],
    }
}

/// Two devices of one store (same owner), each with its own client id.
fn two_devices() -> (Device, Device) {
    let store: StoreId = new_id();
    let first = DeviceMeta::fresh(ClientId::from_u128(1), store, new_id());
    let mut second = first.clone();
    second.client_id = ClientId::from_u128(2);
    (Device::fresh(first).0, Device::fresh(second).0)
}

fn push_all(server: &mut ServerState, device: &mut Device) {
    let Some((actor, req)) = device.push_request(500) else {
        return;
    };
    let resp = server.push(&req, &actor, &|_| true, Utc::now()).unwrap();
    device.on_push_response(&resp, Utc::now()).unwrap();
}

#[test]
fn a_pull_that_only_confirms_this_devices_changes_rewrites_no_row() {
    let (mut device, _) = two_devices();
    let mut server = ServerState::new(ClientId::from_u128(99));
    let actor = device.meta().owner;
    let ids: Vec<CustomerId> = (0..3).map(|_| new_id()).collect();
    for (i, id) in ids.iter().enumerate() {
        let (_, batch) = device
            .mutate(actor, upsert(*id, &format!("王芳{i}")), Utc::now())
            .unwrap();
        assert_eq!(
            batch.rows_put.len(),
            1,
            "the row is written when the change is made"
        );
    }
    push_all(&mut server, &mut device);
    let resp = server.pull(&device.pull_request(1000)).unwrap();
    let (report, batch) = device.on_pull_response(&resp, Utc::now()).unwrap();
    assert_eq!(report.confirmed, 3);
    assert_eq!(batch.outbox_delete, vec![1, 2, 3]);
    assert!(
        batch.rows_put.is_empty(),
        "rows rewritten: {:?}",
        batch.rows_put
    );
    assert!(device.pending().is_empty());
    assert_eq!(
        device.view().customer(ids[0]).unwrap().name.as_str(),
        "王芳0"
    );
}

#[test]
fn a_pull_writes_the_rows_of_other_devices_changes_even_beside_its_own() {
    let (mut mine, mut other) = two_devices();
    let mut server = ServerState::new(ClientId::from_u128(99));
    let actor = mine.meta().owner;
    let shared: CustomerId = new_id();
    let own_only: CustomerId = new_id();
    mine.mutate(actor, upsert(own_only, "李娜"), Utc::now())
        .unwrap();
    mine.mutate(actor, upsert(shared, "张伟"), Utc::now())
        .unwrap();
    push_all(&mut server, &mut mine);
    // The other device renames the shared customer a minute later (its change wins).
    let later = Utc::now() + chrono::Duration::minutes(1);
    other
        .mutate(actor, upsert(shared, "张伟伟"), later)
        .unwrap();
    push_all(&mut server, &mut other);

    let resp = server.pull(&mine.pull_request(1000)).unwrap();
    let (_, batch) = mine.on_pull_response(&resp, Utc::now()).unwrap();
    let written: Vec<Uuid> = batch.rows_put.iter().map(|r| r.id).collect();
    assert_eq!(
        written,
        vec![shared.0],
        "only the record another device changed"
    );
    assert!(
        batch.rows_put[0].json.contains("张伟伟"),
        "{}",
        batch.rows_put[0].json
    );
    assert_eq!(
        mine.view().customer(shared).unwrap().name.as_str(),
        "张伟伟"
    );
}

/// Pushes the device's outbox and pulls until the server has confirmed it all.
fn push_and_confirm(server: &mut ServerState, device: &mut Device) {
    push_all(server, device);
    loop {
        let resp = server.pull(&device.pull_request(1000)).unwrap();
        let (report, _) = device.on_pull_response(&resp, Utc::now()).unwrap();
        if !report.has_more {
            break;
        }
    }
}

#[test]
fn a_long_pull_is_compacted_once_at_its_end_and_reloads_the_same() {
    let total = COMPACT_AFTER as usize + 1_500;
    let (server, writer, mut reader) = server_with_customers(total);
    assert!(writer.pending().is_empty());

    // The reader pulls it all in pages of 1,000, storing each page's batch as the app does.
    let repo = stored_fresh(&reader);
    let mut snapshots = Vec::new();
    loop {
        let resp = server.pull(&reader.pull_request(1000)).unwrap();
        let (report, batch) = reader.on_pull_response(&resp, Utc::now()).unwrap();
        if let Some(s) = &batch.snapshot {
            snapshots.push(s.through_page);
        }
        assert!(batch.log_page.is_none(), "nothing of a long pull is logged");
        if report.has_more {
            assert!(batch.meta.is_none(), "the stored cursor waits for the end");
            assert!(batch.settle_later && batch.is_rows_only());
            assert_eq!(batch.rows_put.len(), 1000, "but the rows are written");
        }
        futures::executor::block_on(repo.commit(batch)).unwrap();
        if !report.has_more {
            break;
        }
    }
    assert_eq!(
        snapshots,
        vec![reader.meta().last_page],
        "one snapshot, at the end"
    );

    let loaded = futures::executor::block_on(repo.load()).unwrap();
    assert!(loaded.log.is_empty(), "the log is in the snapshot");
    let (reloaded, _) = Device::restore(loaded).unwrap().unwrap();
    let store = reader.meta().store_id;
    assert_eq!(reloaded.view().customers(store).len(), total);
    assert_eq!(reloaded.confirmed(), reader.confirmed());
    assert_eq!(reloaded.meta().cursor, reader.meta().cursor);
}

/// A writer with `total` customers, all confirmed by the server.
fn server_with_customers(total: usize) -> (ServerState, Device, Device) {
    let (mut writer, reader) = two_devices();
    let mut server = ServerState::new(ClientId::from_u128(99));
    let actor = writer.meta().owner;
    for i in 0..total {
        writer
            .mutate(actor, upsert(new_id(), &format!("客{i}")), Utc::now())
            .unwrap();
        if writer.pending().len() == 500 {
            push_and_confirm(&mut server, &mut writer);
        }
    }
    push_and_confirm(&mut server, &mut writer);
    (server, writer, reader)
}

/// A repository holding `device` as freshly made (its record only).
fn stored_fresh(device: &Device) -> crate::storage::memory::MemoryRepo {
    let repo = crate::storage::memory::MemoryRepo::new();
    let (_, first) = Device::fresh(device.meta().clone());
    futures::executor::block_on(repo.commit(first)).unwrap();
    repo
}

/// Pulls pages of 1,000 into `device`, committing each batch to `repo`; stops after `pages`
/// pages or at the end. Returns whether the pull ended.
fn pull_pages(
    server: &ServerState,
    device: &mut Device,
    repo: &crate::storage::memory::MemoryRepo,
    pages: usize,
) -> bool {
    for _ in 0..pages {
        let resp = server.pull(&device.pull_request(1000)).unwrap();
        let (report, batch) = device.on_pull_response(&resp, Utc::now()).unwrap();
        futures::executor::block_on(repo.commit(batch)).unwrap();
        if !report.has_more {
            return true;
        }
    }
    false
}

#[test]
fn a_long_pull_short_of_compaction_is_logged_as_one_page_at_its_end() {
    let (server, writer, mut reader) = server_with_customers(2_500);
    let repo = stored_fresh(&reader);
    assert!(pull_pages(&server, &mut reader, &repo, 10));

    let loaded = futures::executor::block_on(repo.load()).unwrap();
    assert!(loaded.snapshot.is_none(), "2,500 changes are not compacted");
    assert_eq!(loaded.log.len(), 1, "one page for the whole pull");
    assert_eq!(loaded.log[0].changes.len(), 2_500);
    let (reloaded, _) = Device::restore(loaded).unwrap().unwrap();
    assert_eq!(reloaded.confirmed(), writer.confirmed());
    assert_eq!(reloaded.meta().cursor, reader.meta().cursor);
    assert_eq!(reloaded.meta().log_changes, 2_500);
}

#[test]
fn a_tab_closed_in_the_middle_of_a_long_pull_pulls_those_pages_again() {
    let (server, writer, mut reader) = server_with_customers(3_500);
    let repo = stored_fresh(&reader);
    assert!(!pull_pages(&server, &mut reader, &repo, 2));
    let store = reader.meta().store_id;
    assert_eq!(reader.view().customers(store).len(), 2_000);
    let rows_so_far = futures::executor::block_on(repo.count(EntityKind::Customer)).unwrap();
    assert_eq!(
        rows_so_far, 2_000,
        "the rows of the pages taken in are written"
    );

    // The tab is closed: what was stored is the device as it was before the pull.
    let loaded = futures::executor::block_on(repo.load()).unwrap();
    let (mut reopened, _) = Device::restore(loaded).unwrap().unwrap();
    assert_eq!(reopened.meta().cursor, None);
    assert!(reopened.confirmed().customers(store).is_empty());
    // The next sync pulls from the stored cursor, and ends where a pull never interrupted ends.
    assert!(pull_pages(&server, &mut reopened, &repo, 10));
    assert_eq!(reopened.confirmed(), writer.confirmed());
    let loaded = futures::executor::block_on(repo.load()).unwrap();
    let (reloaded, _) = Device::restore(loaded).unwrap().unwrap();
    assert_eq!(reloaded.confirmed(), writer.confirmed());
    assert_eq!(
        futures::executor::block_on(repo.count(EntityKind::Customer)).unwrap(),
        3_500,
        "each row once"
    );
}

#[test]
fn a_change_made_during_a_long_pull_stores_the_cursor_the_pull_started_from() {
    let (mut server, _writer, mut reader) = server_with_customers(0);
    let actor = reader.meta().owner;
    // The reader's own ten customers come first in the log, then 2,500 of another device.
    for i in 0..10 {
        reader
            .mutate(actor, upsert(new_id(), &format!("本{i}")), Utc::now())
            .unwrap();
    }
    push_all(&mut server, &mut reader);
    let mut other = two_devices().0;
    other.meta.store_id = reader.meta().store_id;
    other.meta.client_id = ClientId::from_u128(3);
    for i in 0..2_500 {
        other
            .mutate(actor, upsert(new_id(), &format!("他{i}")), Utc::now())
            .unwrap();
        if other.pending().len() == 500 {
            push_and_confirm(&mut server, &mut other);
        }
    }

    let resp = server.pull(&reader.pull_request(1000)).unwrap();
    let (report, batch) = reader.on_pull_response(&resp, Utc::now()).unwrap();
    assert!(report.has_more);
    assert_eq!(report.confirmed, 10);
    assert!(
        batch.outbox_delete.is_empty(),
        "the outbox keeps what a deferred page confirmed"
    );
    // A change now stores the device record with the cursor the pull started from.
    let (_, batch) = reader
        .mutate(actor, upsert(new_id(), "中途"), Utc::now())
        .unwrap();
    assert_eq!(batch.meta.unwrap().cursor, None);

    let last = loop {
        let resp = server.pull(&reader.pull_request(1000)).unwrap();
        let (report, batch) = reader.on_pull_response(&resp, Utc::now()).unwrap();
        if !report.has_more {
            break batch;
        }
    };
    assert_eq!(last.outbox_delete, (1..=10).collect::<Vec<u64>>());
    assert_eq!(last.meta.unwrap().cursor, reader.pull_request(1).cursor);
    assert_eq!(last.log_page.unwrap().changes.len(), 2_510);
}

#[test]
fn an_erasure_rewrites_her_consent_rows_without_the_name_she_typed() {
    use orchid_core::consent::{
        ConsentDecision, ConsentMethod, ConsentPurpose, ConsentRecord, HEALTH_TEXT_VERSION,
    };
    use orchid_core::ids::EntityKind;
    let (mut device, mut other) = two_devices();
    let mut server = ServerState::new(ClientId::from_u128(99));
    let actor = device.meta().owner;
    let id: CustomerId = new_id();
    let consent = ConsentRecord {
        id: new_id(),
        customer_id: id,
        purpose: ConsentPurpose::HealthData,
        version: orchid_core::text::Label::parse(HEALTH_TEXT_VERSION).unwrap(),
        decision: ConsentDecision::Given,
        at: Utc::now(),
        recorded_by: actor.staff_id,
        method: ConsentMethod::TabletSignature,
        signed_name: Some(Name::parse("林小美").unwrap()),
        language: None,
        device: Some(device.meta().client_id),
    };
    device
        .mutate(actor, upsert(id, "林小美"), Utc::now())
        .unwrap();
    let (_, batch) = device
        .mutate(actor, Change::ConsentRecord(consent), Utc::now())
        .unwrap();
    assert!(batch.rows_put[0].json.contains("林小美"));
    push_all(&mut server, &mut device);
    let resp = server.pull(&other.pull_request(1000)).unwrap();
    other.on_pull_response(&resp, Utc::now()).unwrap();

    // Erased here: the consent row is rewritten, dated decision kept, typed name gone.
    let (_, batch) = device
        .mutate(actor, Change::CustomerErase { id }, Utc::now())
        .unwrap();
    let row = batch
        .rows_put
        .iter()
        .find(|r| r.kind == EntityKind::Consent)
        .expect("the consent row is rewritten");
    assert!(row.json.contains("given"), "{}", row.json);
    assert!(!row.json.contains("林小美"), "{}", row.json);
    // And on the other device when the erasure arrives.
    push_all(&mut server, &mut device);
    let resp = server.pull(&other.pull_request(1000)).unwrap();
    let (_, batch) = other.on_pull_response(&resp, Utc::now()).unwrap();
    let row = batch
        .rows_put
        .iter()
        .find(|r| r.kind == EntityKind::Consent)
        .expect("the consent row is rewritten");
    assert!(!row.json.contains("林小美"), "{}", row.json);
}

/// The erasure rewrites the rows of every record about her that holds her words — a follow-up's
/// note, a loyalty movement's note —, here and on the other device when it pulls the erasure.
#[test]
fn an_erasure_rewrites_every_row_about_her() {
    use orchid_core::followup::{FollowUpField, FollowUpStatus};
    use orchid_core::ids::{EntityKind, FollowUpId, LoyaltyDeltaId};
    use orchid_core::loyalty::{LoyaltyChange, LoyaltyDelta, PointsReason};
    use orchid_core::text::Note;
    let (mut device, mut other) = two_devices();
    let mut server = ServerState::new(ClientId::from_u128(99));
    let actor = device.meta().owner;
    let id: CustomerId = new_id();
    let follow_up: FollowUpId = new_id();
    let delta: LoyaltyDeltaId = new_id();
    device
        .mutate(actor, upsert(id, "林小美"), Utc::now())
        .unwrap();
    for change in [
        Change::FollowUpUpsert {
            id: follow_up,
            fields: vec![
                FollowUpField::CustomerId(id),
                FollowUpField::Due(Utc::now()),
                FollowUpField::Status(FollowUpStatus::Planned),
                FollowUpField::Note(Note::parse("问林小美的过敏").unwrap()),
            ],
        },
        Change::LoyaltyDelta(LoyaltyDelta {
            id: delta,
            customer_id: id,
            at: Utc::now(),
            by: actor.staff_id,
            change: LoyaltyChange::Points {
                delta: 50,
                reason: PointsReason::Adjustment,
            },
            note: Note::parse("林小美生日").unwrap(),
            checkout_id: None,
        }),
    ] {
        device.mutate(actor, change, Utc::now()).unwrap();
    }
    push_all(&mut server, &mut device);
    let resp = server.pull(&other.pull_request(1000)).unwrap();
    other.on_pull_response(&resp, Utc::now()).unwrap();

    let rewritten = |batch: &crate::storage::repo::WriteBatch| {
        for kind in [EntityKind::FollowUp, EntityKind::LoyaltyDelta] {
            let row = batch
                .rows_put
                .iter()
                .find(|r| r.kind == kind)
                .unwrap_or_else(|| panic!("the {kind:?} row is rewritten"));
            assert!(!row.json.contains("林小美"), "{}", row.json);
        }
    };
    let (_, batch) = device
        .mutate(actor, Change::CustomerErase { id }, Utc::now())
        .unwrap();
    rewritten(&batch);
    push_all(&mut server, &mut device);
    let resp = server.pull(&other.pull_request(1000)).unwrap();
    let (_, batch) = other.on_pull_response(&resp, Utc::now()).unwrap();
    rewritten(&batch);
}
