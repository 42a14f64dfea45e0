//! The device store in headless Chromium: the behavioural test list against IndexedDB, the
//! schema and migrations, strict durability, and two connections (tabs).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

use std::cell::Cell;
use std::rc::Rc;

use orchid::storage::conformance::{Harness, all};
use orchid::storage::idb::{IdbRepo, last_write_durability};
use orchid::storage::repo::Repository;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn unique(name: &str) -> String {
    format!("orchid-test-{name}-{}", uuid::Uuid::now_v7().simple())
}

fn harness(db: String) -> Rc<Harness> {
    let switch = Rc::new(Cell::new(false));
    let open_switch = switch.clone();
    Rc::new(Harness {
        open: Box::new(move || {
            let (db, switch) = (db.clone(), open_switch.clone());
            Box::pin(async move {
                let repo = IdbRepo::open(&db)
                    .await
                    .unwrap()
                    .with_failure_switch(switch);
                let repo: Rc<dyn Repository> = Rc::new(repo);
                repo
            })
        }),
        fail_next_commit: Box::new(move || switch.set(true)),
    })
}

#[wasm_bindgen_test]
async fn indexeddb_passes_the_behavioural_tests() {
    for (name, test) in all() {
        web_sys::console::log_1(&format!("indexeddb: {name}").into());
        test(harness(unique(name))).await;
    }
}

#[wasm_bindgen_test]
async fn writes_use_strict_durability() {
    let h = harness(unique("durability"));
    let repo = (h.open)().await;
    repo.commit(orchid::storage::repo::WriteBatch {
        meta: Some(orchid::storage::repo::DeviceMeta::fresh(
            orchid::state::store::new_id(),
            orchid::state::store::new_id(),
            orchid::state::store::new_id(),
        )),
        ..Default::default()
    })
    .await
    .unwrap();
    assert_eq!(last_write_durability().as_deref(), Some("strict"));
}

#[wasm_bindgen_test]
async fn another_tab_opening_a_newer_version_closes_this_connection() {
    use orchid::storage::repo::StoreError;
    let name = unique("versionchange");
    let old = IdbRepo::open(&name).await.unwrap();
    old.load().await.unwrap();
    let told = Rc::new(Cell::new(false));
    let flag = told.clone();
    orchid::storage::idb::on_version_change(move || flag.set(true), || {});
    let newer = IdbRepo::open_version(&name, orchid::storage::repo::SCHEMA_VERSION + 1)
        .await
        .unwrap();
    assert!(told.get(), "the old connection was told");
    assert_eq!(old.load().await.unwrap_err(), StoreError::VersionChanged);
    // This code cannot open a database newer than it knows.
    newer.close();
    let again = IdbRepo::open(&name).await;
    assert!(
        matches!(again, Err(StoreError::VersionChanged)),
        "{:?}",
        again.err()
    );
}

#[wasm_bindgen_test]
async fn a_change_is_announced_to_other_tabs() {
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let heard = Rc::new(Cell::new(0u32));
    let count = heard.clone();
    let other_tab = web_sys::BroadcastChannel::new("orchid-store").unwrap();
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_| {
        count.set(count.get() + 1);
    });
    other_tab.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    let h = harness(unique("tabs"));
    let store = orchid::state::StoreHandle::new(RwSignal::new(None));
    store.open((h.open)().await).await.unwrap();
    let id: orchid_core::ids::CustomerId = orchid::state::store::new_id();
    store
        .mutate(orchid_core::sync::Change::CustomerUpsert {
            id,
            fields: vec![orchid_core::customer::CustomerField::Name(
                orchid_core::text::Name::parse("Tab Test").unwrap(),
            )],
        })
        .await
        .unwrap();
    // Messages arrive as tasks: give the event loop a turn.
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 50)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
    assert_eq!(heard.get(), 1);
    // A second handle on the same database (the other tab) sees the change after reloading.
    let other = orchid::state::StoreHandle::new(RwSignal::new(None));
    other.open((h.open)().await).await.unwrap();
    assert!(other.customer(id).is_some());
}

/// A new database (`name`, made unique) left by layout `version` holding `batch`, then opened by
/// today's code: the upgraded repository and what it loads.
async fn upgraded_from(
    name: &str,
    version: u32,
    batch: orchid::storage::repo::WriteBatch,
) -> (IdbRepo, orchid::storage::repo::Loaded) {
    let name = unique(name);
    let old = IdbRepo::open_version(&name, version).await.unwrap();
    old.commit(batch).await.unwrap();
    old.close();
    let upgraded = IdbRepo::open(&name).await.unwrap();
    let loaded = upgraded.load().await.unwrap();
    (upgraded, loaded)
}

/// Upgrades a database filled by every earlier layout version to the current one.
#[wasm_bindgen_test]
async fn migrations_upgrade_a_store_from_every_earlier_version() {
    use leptos::prelude::*;
    use orchid::storage::idb::MIGRATIONS;
    use orchid::storage::repo::{
        DeviceMeta, LogPage, RecordRow, SCHEMA_VERSION, Snapshot, WriteBatch,
    };
    use orchid_core::ids::{CustomerId, EntityKind};
    use orchid_core::sync::{Cursor, PulledChange};
    assert_eq!(MIGRATIONS.last().map(|m| m.0), Some(SCHEMA_VERSION));
    for (version, what) in MIGRATIONS.iter().filter(|(v, _)| *v < SCHEMA_VERSION) {
        web_sys::console::log_1(&format!("from version {version}: {what}").into());
        // A device as version `version` left it: a customer made offline, queued.
        let store = orchid::state::StoreHandle::new(RwSignal::new(None));
        let memory = Rc::new(orchid::storage::memory::MemoryRepo::new());
        store.open(memory.clone()).await.unwrap();
        let id: CustomerId = orchid::state::store::new_id();
        // Three queued changes: one row each before version 3, one run since.
        for name in ["王丽", "王丽华", "王丽华"] {
            store
                .mutate(orchid_core::sync::Change::CustomerUpsert {
                    id,
                    fields: vec![orchid_core::customer::CustomerField::Name(
                        orchid_core::text::Name::parse(name).unwrap(),
                    )],
                })
                .await
                .unwrap();
        }
        let loaded = memory.load().await.unwrap();
        let queued = loaded.outbox.clone();
        let mut meta: DeviceMeta = loaded.meta.unwrap();
        meta.schema_version = *version;
        let mut row: RecordRow = memory
            .row(EntityKind::Customer, id.0)
            .await
            .unwrap()
            .unwrap();
        if *version < 2 {
            // Version 1 knew no pinyin.
            row.keys.insert("initials".into(), String::new());
        }
        let batch = WriteBatch {
            meta: Some(meta),
            outbox_put: loaded.outbox,
            rows_put: vec![row],
            ..Default::default()
        };
        let (upgraded, loaded) = upgraded_from(&format!("from-v{version}"), *version, batch).await;
        assert_eq!(loaded.meta.as_ref().unwrap().schema_version, SCHEMA_VERSION);
        assert_eq!(loaded.outbox, queued, "queued changes survive the upgrade");
        let by_initials = upgraded
            .rows_by_prefix(EntityKind::Customer, "initials", "wlh", 5)
            .await
            .unwrap();
        assert_eq!(by_initials.len(), 1);
        let store = orchid::state::StoreHandle::new(RwSignal::new(None));
        let upgraded = Rc::new(upgraded);
        store.open(upgraded.clone()).await.unwrap();
        assert_eq!(store.search_customers("wlh", 5).len(), 1);
        assert_eq!(store.pending_count(), 3);
        // Old rows beside new ones: a fourth change is queued in today's layout, then the second
        // (in an old row) is confirmed; exactly the others stay, in order.
        store
            .mutate(orchid_core::sync::Change::CustomerUpsert {
                id,
                fields: vec![orchid_core::customer::CustomerField::Name(
                    orchid_core::text::Name::parse("王芳").unwrap(),
                )],
            })
            .await
            .unwrap();
        upgraded
            .commit(WriteBatch {
                outbox_delete: vec![queued[1].mutation_id],
                ..Default::default()
            })
            .await
            .unwrap();
        let left: Vec<u64> = upgraded
            .load()
            .await
            .unwrap()
            .outbox
            .iter()
            .map(|m| m.mutation_id)
            .collect();
        let first = queued[0].mutation_id;
        assert_eq!(
            left,
            vec![first, first + 2, first + 3],
            "from version {version}"
        );

        // The confirmed log and snapshot as version `version` stored them are read as they were;
        // after the upgrade, new ones are written in today's layout and read back the same.
        let logged = |page: u64| LogPage {
            page,
            changes: vec![PulledChange {
                cursor: Cursor(page),
                mutation: queued[0].clone(),
            }],
        };
        let snapshot = |through_page: u64| Snapshot {
            through_page,
            replica_json: format!(r#"{{"name":"王丽 \"{through_page}\"","page":{through_page}}}"#),
        };
        let batch = WriteBatch {
            log_page: Some(logged(7)),
            snapshot: Some(snapshot(6)),
            ..Default::default()
        };
        let (upgraded, loaded) = upgraded_from(&format!("log-v{version}"), *version, batch).await;
        assert_eq!(loaded.snapshot, Some(snapshot(6)), "from version {version}");
        assert_eq!(loaded.log, vec![logged(7)], "from version {version}");
        let committed = |batch: WriteBatch| {
            let upgraded = &upgraded;
            async move {
                upgraded.commit(batch).await.unwrap();
                upgraded.load().await.unwrap()
            }
        };
        let loaded = committed(WriteBatch {
            log_page: Some(logged(8)),
            ..Default::default()
        })
        .await;
        assert_eq!(loaded.log, vec![logged(7), logged(8)], "old and new pages");
        let loaded = committed(WriteBatch {
            snapshot: Some(snapshot(7)),
            ..Default::default()
        })
        .await;
        assert_eq!(loaded.snapshot, Some(snapshot(7)));
        assert_eq!(loaded.log, vec![logged(8)], "the snapshot replaced page 7");
    }
}

/// Settings shows how much the device holds and may hold: the browser's estimate is read (it is a
/// plain object, not an instance of a class; reading it as one left Settings at "? / ?").
#[wasm_bindgen_test]
async fn the_storage_estimate_reads_usage_and_quota() {
    let estimate = orchid::storage::quota::estimate().await;
    assert!(
        matches!((estimate.usage, estimate.quota), (Some(usage), Some(quota)) if quota > 0.0 && usage <= quota),
        "{estimate:?}"
    );
    assert!(estimate.persisted.is_some());
}

/// A full device (QuotaExceededError, injected at the JS boundary: Chromium's quota cannot be
/// made small in a test): the user is told what to do, and neither the record nor its outbox
/// mutation was written, on disk or in memory; the same change succeeds once there is room.
#[wasm_bindgen_test]
async fn a_full_device_writes_nothing_and_says_what_to_do() {
    use leptos::prelude::RwSignal;
    use orchid::i18n::{Lang, Msg, tr};
    use orchid::storage::repo::StoreError;
    use orchid_core::customer::{CustomerField, Phone};
    use orchid_core::ids::{CustomerId, EntityKind};
    use orchid_core::sync::Change;
    use orchid_core::text::Name;

    let db = unique("quota");
    let repo: Rc<dyn Repository> = Rc::new(IdbRepo::open(&db).await.unwrap());
    let store = orchid::state::StoreHandle::new(RwSignal::new(None));
    store.open(repo.clone()).await.unwrap();
    let id: CustomerId = orchid::state::store::new_id();
    let change = Change::CustomerUpsert {
        id,
        fields: vec![
            CustomerField::Name(Name::parse("王丽华").unwrap()),
            CustomerField::Phone(Some(Phone::parse("13812345678").unwrap())),
        ],
    };

    orchid::storage::idb::simulate_quota_exceeded();
    let err = store.mutate(change.clone()).await.unwrap_err();
    assert_eq!(err, StoreError::QuotaExceeded);
    assert_eq!(err.msg(), Msg::StoreQuotaExceeded);
    let en = tr(Lang::En, err.msg());
    assert!(en.contains("full") && en.contains("Free space") && en.contains("try again"));
    assert!(tr(Lang::Zh, err.msg()).contains("存储空间已满"));

    // Nothing half-written: no record row, no outbox mutation, and memory agrees with the disk.
    assert!(
        repo.row(EntityKind::Customer, id.as_uuid())
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(repo.count(EntityKind::Customer).await.unwrap(), 0);
    assert!(repo.outbox(10).await.unwrap().is_empty());
    assert!(store.customer(id).is_none());
    assert_eq!(store.pending_count(), 0);
    let reopened = IdbRepo::open(&db).await.unwrap();
    assert!(reopened.load().await.unwrap().outbox.is_empty());

    // With room again, the same change is stored with its mutation.
    store.mutate(change).await.unwrap();
    assert!(
        repo.row(EntityKind::Customer, id.as_uuid())
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(repo.outbox(10).await.unwrap().len(), 1);
}

/// Resolves after `ms` milliseconds.
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[wasm_bindgen_test]
async fn a_long_pulls_rows_are_stored_by_a_worker_that_never_blocks_an_upgrade() {
    use orchid::storage::repo::{DeviceMeta, RecordRow, WriteBatch};
    use orchid_core::ids::EntityKind;
    assert!(
        orchid::storage::idb::rows_worker_ready(),
        "the worker starts"
    );
    let name = unique("rows-worker");
    let repo = IdbRepo::open(&name).await.unwrap();
    let id = uuid::Uuid::now_v7();
    let row = RecordRow {
        kind: EntityKind::Customer,
        id,
        keys: [("name".to_owned(), "wang fang".to_owned())].into(),
        json: r#"{"name":"王芳"}"#.into(),
    };
    repo.commit(WriteBatch {
        rows_put: vec![row.clone()],
        settle_later: true,
        ..Default::default()
    })
    .await
    .unwrap();
    // The next commit waits for the worker's.
    let meta = DeviceMeta::fresh(
        orchid::state::store::new_id(),
        orchid::state::store::new_id(),
        orchid::state::store::new_id(),
    );
    repo.commit(WriteBatch {
        meta: Some(meta),
        ..Default::default()
    })
    .await
    .unwrap();
    assert_eq!(repo.row(EntityKind::Customer, id).await.unwrap(), Some(row));
    let found = repo
        .rows_by_prefix(EntityKind::Customer, "name", "wang", 5)
        .await
        .unwrap();
    assert_eq!(found.len(), 1);

    // Once idle, the worker holds no connection: a newer version opens at once, not blocked.
    repo.close();
    sleep(1_500).await;
    let blocked = Rc::new(Cell::new(false));
    let flag = blocked.clone();
    orchid::storage::idb::on_version_change(|| {}, move || flag.set(true));
    let newer = Box::pin(IdbRepo::open_version(
        &name,
        orchid::storage::repo::SCHEMA_VERSION + 1,
    ));
    match futures::future::select(newer, Box::pin(sleep(5_000))).await {
        futures::future::Either::Left((opened, _)) => opened.unwrap().close(),
        futures::future::Either::Right(_) => panic!("the upgrade waited 5 s"),
    }
    assert!(!blocked.get(), "nothing blocked the upgrade");
}
