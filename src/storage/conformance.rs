//! The behavioural test list every [`Repository`] must pass, run natively against
//! [`super::memory::MemoryRepo`] (`cargo test -p orchid`) and in headless Chromium against IndexedDB
//! (`tests/browser_store.rs`). Each test gets a [`Harness`]: a way to open a fresh store, to open
//! a second connection to the same data (a reload, another tab), and to make the next commit fail.
#![doc(hidden)]
#![allow(clippy::panic)]

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use leptos::prelude::*;
use orchid_core::customer::{CustomerField, Phone};
use orchid_core::ids::{CustomerId, EntityKind, EntityRef, StaffId};
use orchid_core::role::Role;
use orchid_core::sync::{Actor, Change};
use orchid_core::text::Name;

use super::new_id;
use super::repo::{Repository, StoreError, WriteBatch};
use super::settings::Session;
use crate::state::store::StoreHandle;

/// A future that is not `Send`.
pub type LocalFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// How a test reaches the store under test.
pub struct Harness {
    /// A connection to the (initially empty) store of this test.
    pub open: Box<dyn Fn() -> LocalFuture<Rc<dyn Repository>>>,
    /// Makes the next commit fail part-way (after some of its writes were issued), like a crash or
    /// a full disk would.
    pub fail_next_commit: Box<dyn Fn()>,
}

fn ok<T, E: std::fmt::Debug>(r: Result<T, E>, what: &str) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("{what}: {e:?}"),
    }
}

async fn handle(h: &Harness, session: Option<Session>) -> StoreHandle {
    let store = StoreHandle::new(RwSignal::new(session));
    ok(store.open((h.open)().await).await, "open");
    store
}

fn new_customer(name: &str, phone: &str) -> (CustomerId, Change) {
    let id: CustomerId = new_id();
    let mut fields = vec![CustomerField::Name(ok(Name::parse(name), "name"))];
    if !phone.is_empty() {
        fields.push(CustomerField::Phone(Some(ok(Phone::parse(phone), "phone"))));
    }
    (id, Change::CustomerUpsert { id, fields })
}

/// A fresh device gets an identity once and keeps it.
pub async fn fresh_device_is_created_once(h: Rc<Harness>) {
    let h = &*h;
    let a = handle(h, None).await;
    let first = a.read(|d| d.meta().client_id);
    let b = handle(h, None).await;
    assert!(first.is_some());
    assert_eq!(b.read(|d| d.meta().client_id), first);
    assert_eq!(b.pending_count(), 0);
}

/// A change writes the record and its outbox mutation; both are there after a reload.
pub async fn a_change_is_stored_with_its_outbox_mutation(h: Rc<Harness>) {
    let h = &*h;
    let store = handle(h, None).await;
    let (id, change) = new_customer("王丽华", "138 1234 5678");
    let m = ok(store.mutate(change).await, "mutate");
    assert_eq!(m.mutation_id, 1);
    assert_eq!(
        store
            .customer(id)
            .map(|c| c.name.as_str().to_owned())
            .as_deref(),
        Some("王丽华")
    );

    let repo = (h.open)().await;
    let outbox = ok(repo.outbox(10).await, "outbox");
    assert_eq!(outbox.len(), 1);
    let row = ok(repo.row(EntityKind::Customer, id.0).await, "row");
    let row = row.unwrap_or_else(|| panic!("the customer row is missing"));
    assert_eq!(
        row.keys.get("phone").map(String::as_str),
        Some("13812345678")
    );
    assert_eq!(row.keys.get("phone4").map(String::as_str), Some("5678"));

    let again = handle(h, None).await;
    assert_eq!(again.pending_count(), 1);
    assert_eq!(again.search_customers("5678", 10).len(), 1);
}

/// A change the core refuses writes nothing.
pub async fn a_refused_change_writes_nothing(h: Rc<Harness>) {
    let h = &*h;
    let store = handle(h, None).await;
    let refused = store
        .mutate(Change::Delete {
            entity: EntityRef::new(EntityKind::Customer, new_id::<CustomerId>()),
        })
        .await;
    assert!(
        matches!(
            refused,
            Err(StoreError::Rejected {
                code: "sync.not_deletable",
                ..
            })
        ),
        "{refused:?}"
    );
    let repo = (h.open)().await;
    assert!(ok(repo.outbox(10).await, "outbox").is_empty());
    // A reception role may not erase customers: refused by permission, nothing written.
    let reception = Session {
        token: "t".into(),
        staff_name: "前台".into(),
        role: Role::Reception.code().into(),
        staff_id: Some(new_id::<StaffId>()),
        store_id: None,
        expires_at: None,
        must_change_password: false,
        demo_server: false,
    };
    let store = handle(h, Some(reception)).await;
    let denied = store
        .mutate(Change::CustomerErase {
            id: new_id::<CustomerId>(),
        })
        .await;
    assert!(
        matches!(
            denied,
            Err(StoreError::Rejected {
                code: "permission.denied",
                ..
            })
        ),
        "{denied:?}"
    );
    assert!(ok(repo.outbox(10).await, "outbox").is_empty());
}

/// A write that fails part-way leaves no trace, in storage or in memory, and the next mutation
/// reuses the id (no gap in the outbox).
pub async fn a_failed_write_leaves_no_trace(h: Rc<Harness>) {
    let h = &*h;
    let store = handle(h, None).await;
    let (kept, change) = new_customer("Anna Li", "");
    ok(store.mutate(change).await, "first");
    (h.fail_next_commit)();
    let (lost, change) = new_customer("Lost Person", "13900001111");
    let failed = store.mutate(change).await;
    assert!(
        failed.is_err(),
        "the injected failure did not fail the write"
    );
    assert!(
        store.customer(lost).is_none(),
        "memory ran ahead of storage"
    );
    assert!(store.customer(kept).is_some());
    let repo = (h.open)().await;
    assert!(ok(repo.row(EntityKind::Customer, lost.0).await, "row").is_none());
    assert_eq!(ok(repo.outbox(10).await, "outbox").len(), 1);
    let (_, change) = new_customer("Next", "");
    let m = ok(store.mutate(change).await, "after failure");
    assert_eq!(m.mutation_id, 2, "the failed mutation's id must be reused");
}

/// The outbox keeps mutation-id order across reloads and ids continue without gaps.
pub async fn the_outbox_keeps_its_order(h: Rc<Harness>) {
    let h = &*h;
    let store = handle(h, None).await;
    for i in 0..5 {
        let (_, change) = new_customer(&format!("Customer {i}"), "");
        ok(store.mutate(change).await, "mutate");
    }
    let repo = (h.open)().await;
    let ids: Vec<u64> = ok(repo.outbox(100).await, "outbox")
        .iter()
        .map(|m| m.mutation_id)
        .collect();
    assert_eq!(ids, vec![1, 2, 3, 4, 5]);
    let again = handle(h, None).await;
    let (_, change) = new_customer("Sixth", "");
    assert_eq!(ok(again.mutate(change).await, "mutate").mutation_id, 6);
    let limited = ok(repo.outbox(2).await, "outbox");
    assert_eq!(
        limited.iter().map(|m| m.mutation_id).collect::<Vec<_>>(),
        vec![1, 2]
    );
}

/// Many mutations written at once, then some of them confirmed or refused in any pattern: the
/// outbox keeps exactly the others, in order, across reloads (IndexedDB stores runs of them per row).
pub async fn the_outbox_drops_exactly_the_mutations_it_is_told(h: Rc<Harness>) {
    let h = &*h;
    let store = handle(h, None).await;
    let changes: Vec<Change> = (0..250)
        .map(|i| new_customer(&format!("Customer {i}"), "").1)
        .collect();
    ok(store.mutate_all(changes).await, "mutate_all");
    let repo = (h.open)().await;
    let all: Vec<u64> = (1..=250).collect();
    let ids = |ms: Vec<orchid_core::sync::Mutation>| -> Vec<u64> {
        ms.iter().map(|m| m.mutation_id).collect()
    };
    assert_eq!(ids(ok(repo.load().await, "load").outbox), all);
    assert_eq!(
        ids(ok(repo.outbox(7).await, "outbox")),
        (1..=7).collect::<Vec<_>>()
    );
    // A confirmed prefix that ends inside a run, lone refusals, a stretch across two runs.
    let mut gone: Vec<u64> = (1..=30).collect();
    gone.extend([75, 101, 199]);
    gone.extend(120..=210);
    let delete = |ids: Vec<u64>| WriteBatch {
        outbox_delete: ids,
        ..Default::default()
    };
    ok(repo.commit(delete(gone.clone())).await, "delete");
    let left: Vec<u64> = all.iter().copied().filter(|i| !gone.contains(i)).collect();
    let reopened = (h.open)().await;
    assert_eq!(ids(ok(reopened.load().await, "load").outbox), left);
    assert_eq!(
        ids(ok(reopened.outbox(3).await, "outbox")),
        vec![31, 32, 33]
    );
    // Deleting ids that are not there (already confirmed) changes nothing.
    ok(
        reopened.commit(delete(vec![1, 2, 150, 999])).await,
        "delete again",
    );
    assert_eq!(ids(ok(reopened.load().await, "load").outbox), left);
    let again = handle(h, None).await;
    assert_eq!(again.pending_count(), left.len());
    ok(reopened.commit(delete(left)).await, "delete the rest");
    assert!(ok(reopened.load().await, "load").outbox.is_empty());
}

/// Customers are found by name, phone prefix, last four digits and member number, both in memory
/// and through the store's indexes.
pub async fn customers_are_found_by_their_keys(h: Rc<Harness>) {
    let h = &*h;
    let store = handle(h, None).await;
    let id: CustomerId = new_id();
    ok(
        store
            .mutate(Change::CustomerUpsert {
                id,
                fields: vec![
                    CustomerField::Name(ok(Name::parse("Zhang Wei"), "name")),
                    CustomerField::Phone(Some(ok(Phone::parse("13987654321"), "phone"))),
                    CustomerField::MembershipNo(Some(ok(
                        orchid_core::customer::MembershipNo::parse("vip-7"),
                        "member",
                    ))),
                ],
            })
            .await,
        "mutate",
    );
    let (_, other) = new_customer("Li Na", "13800004321");
    ok(store.mutate(other).await, "mutate");
    for q in ["zhang", "zw", "139876", "4321", "VIP-7", "wei"] {
        let hits = store.search_customers(q, 10);
        assert!(
            hits.iter().any(|c| c.id == id),
            "{q} did not find Zhang Wei"
        );
    }
    assert_eq!(store.search_customers("4321", 10).len(), 2);
    assert_eq!(store.search_customers("", 10).len(), 2);
    assert!(store.search_customers("nobody", 10).is_empty());

    let repo = (h.open)().await;
    let by_phone = ok(
        repo.rows_by_prefix(EntityKind::Customer, "phone", "139", 10)
            .await,
        "index",
    );
    assert_eq!(by_phone.len(), 1);
    let by_last4 = ok(
        repo.rows_by_prefix(EntityKind::Customer, "phone4", "4321", 10)
            .await,
        "index",
    );
    assert_eq!(by_last4.len(), 2);
    assert_eq!(ok(repo.count(EntityKind::Customer).await, "count"), 2);
}

/// Several changes to one customer committed together (an import, `mutate_all`): the last one is
/// what is stored and found, whatever order the store issues its writes in.
pub async fn the_last_version_in_one_write_is_kept(h: Rc<Harness>) {
    let h = &*h;
    let store = handle(h, None).await;
    let id: CustomerId = new_id();
    let rename = |name: &str| Change::CustomerUpsert {
        id,
        fields: vec![CustomerField::Name(ok(Name::parse(name), "name"))],
    };
    // "Wang" sorts after "Li": a store sorting its writes by name must still keep "Li".
    let (_, other) = new_customer("Zhou Min", "13800001111");
    ok(
        store
            .mutate_all(vec![rename("Wang Fang"), other, rename("Li Fang")])
            .await,
        "mutate_all",
    );
    let repo = (h.open)().await;
    let row = ok(repo.row(EntityKind::Customer, id.0).await, "row");
    let Some(row) = row else {
        panic!("the customer was not stored");
    };
    assert!(row.json.contains("Li Fang"), "stored: {}", row.json);
    assert!(
        ok(
            repo.rows_by_prefix(EntityKind::Customer, "name", "wang", 10)
                .await,
            "index"
        )
        .is_empty(),
        "the first name is still indexed"
    );
    assert_eq!(ok(repo.count(EntityKind::Customer).await, "count"), 2);
}

/// Rows are stored as given, each under every index key, whatever characters a key holds (the
/// IndexedDB store carries many rows across to the browser as one text, with control characters
/// between them), and later rows of one write replace earlier ones in order.
pub async fn rows_are_stored_as_given(h: Rc<Harness>) {
    use super::repo::RecordRow;
    let h = &*h;
    let repo = (h.open)().await;
    let row = |id: uuid::Uuid, name: &str, json: &str| RecordRow {
        kind: EntityKind::Customer,
        id,
        keys: [("name", name), ("phone", "1380000"), ("member", "")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
        json: json.to_owned(),
    };
    let (a, b, c, d, e) = (
        new_id::<uuid::Uuid>(),
        new_id::<uuid::Uuid>(),
        new_id::<uuid::Uuid>(),
        new_id::<uuid::Uuid>(),
        new_id::<uuid::Uuid>(),
    );
    let odd = "odd\u{1}name\u{2}";
    // Chinese fields among ASCII ones in one row and the next (IndexedDB takes them apart from
    // the ASCII ones), and a field that is the mark standing for such a field.
    let wide = |name: &str, json: &str| RecordRow {
        keys: [
            ("name", name),
            ("initials", "wml"),
            ("phone", "13800001234"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect(),
        ..row(d, name, json)
    };
    let batch = WriteBatch {
        rows_put: vec![
            row(a, "alpha", r#"{"v":1}"#),
            row(b, odd, r#"{"v":"\u0001"}"#),
            row(c, "gamma", "{}"),
            row(a, "alpha2", r#"{"v":2}"#),
            wide("王美丽", r#"{"name":"王美丽","note":"é"}"#),
            row(e, "\u{3}", r#"{"name":"李"}"#),
        ],
        ..Default::default()
    };
    ok(repo.commit(batch).await, "commit");
    let got = |id| {
        let repo = repo.clone();
        async move { ok(repo.row(EntityKind::Customer, id).await, "row") }
    };
    assert_eq!(got(a).await, Some(row(a, "alpha2", r#"{"v":2}"#)));
    assert_eq!(got(b).await, Some(row(b, odd, r#"{"v":"\u0001"}"#)));
    assert_eq!(got(c).await, Some(row(c, "gamma", "{}")));
    assert_eq!(
        got(d).await,
        Some(wide("王美丽", r#"{"name":"王美丽","note":"é"}"#))
    );
    assert_eq!(got(e).await, Some(row(e, "\u{3}", r#"{"name":"李"}"#)));
    let by_initials = ok(
        repo.rows_by_prefix(EntityKind::Customer, "initials", "wm", 5)
            .await,
        "index",
    );
    assert_eq!(
        by_initials.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![d]
    );
    let by_name = ok(
        repo.rows_by_prefix(EntityKind::Customer, "name", "odd\u{1}", 5)
            .await,
        "index",
    );
    assert_eq!(by_name.iter().map(|r| r.id).collect::<Vec<_>>(), vec![b]);
    assert!(
        ok(
            repo.rows_by_key(EntityKind::Customer, "name", "alpha", 5)
                .await,
            "index"
        )
        .is_empty(),
        "the first version of a is not indexed"
    );
    assert_eq!(ok(repo.count(EntityKind::Customer).await, "count"), 5);
}

/// Rows written with `settle_later` (a long pull's pages) may be stored after the commit returns.
/// If storing them fails, that commit or the next one fails, and the next one then writes nothing;
/// writes work again after.
pub async fn a_failed_later_settled_write_fails_the_next_commit(h: Rc<Harness>) {
    use super::repo::{DeviceMeta, RecordRow};
    let h = &*h;
    let repo = (h.open)().await;
    let rows = |id: uuid::Uuid| WriteBatch {
        rows_put: vec![RecordRow {
            kind: EntityKind::Customer,
            id,
            keys: Default::default(),
            json: "{}".into(),
        }],
        settle_later: true,
        ..Default::default()
    };
    let meta = || WriteBatch {
        meta: Some(DeviceMeta::fresh(new_id(), new_id(), new_id())),
        ..Default::default()
    };
    let (a, b) = (new_id::<uuid::Uuid>(), new_id::<uuid::Uuid>());
    (h.fail_next_commit)();
    let first = repo.commit(rows(a)).await;
    let second = repo.commit(meta()).await;
    assert!(
        first.is_err() != second.is_err(),
        "exactly one fails: {first:?} {second:?}"
    );
    assert_eq!(ok(repo.row(EntityKind::Customer, a).await, "row"), None);
    if second.is_err() {
        let loaded = ok(repo.load().await, "load");
        assert!(
            loaded.meta.is_none(),
            "the commit after the failure wrote nothing"
        );
    }
    ok(repo.commit(rows(b)).await, "rows");
    ok(repo.commit(meta()).await, "meta");
    assert!(ok(repo.row(EntityKind::Customer, b).await, "row").is_some());
    assert!(ok(repo.load().await, "load").meta.is_some());
}

/// A write of many changes (`mutate_all`) is all or nothing: one the core refuses (here the
/// last), or a write that fails, leaves none of them, in storage or in memory, and the next
/// change takes the first id.
pub async fn a_write_of_many_is_all_or_nothing(h: Rc<Harness>) {
    let h = &*h;
    let store = handle(h, None).await;
    let (first, a) = new_customer("Anna Li", "");
    let (second, b) = new_customer("Zhou Min", "13800001111");
    let refused = Change::Delete {
        entity: EntityRef::new(EntityKind::Customer, new_id::<CustomerId>()),
    };
    let r = store.mutate_all(vec![a.clone(), b.clone(), refused]).await;
    assert!(
        matches!(
            r,
            Err(StoreError::Rejected {
                code: "sync.not_deletable",
                ..
            })
        ),
        "{r:?}"
    );
    (h.fail_next_commit)();
    let failed = store.mutate_all(vec![a, b]).await;
    assert!(
        failed.is_err(),
        "the injected failure did not fail the write"
    );
    assert!(
        store.customer(first).is_none() && store.customer(second).is_none(),
        "memory ran ahead of storage"
    );
    let repo = (h.open)().await;
    assert!(ok(repo.outbox(10).await, "outbox").is_empty());
    assert_eq!(ok(repo.count(EntityKind::Customer).await, "count"), 0);
    let (_, change) = new_customer("Next", "");
    let m = ok(store.mutate(change).await, "after the failures");
    assert_eq!(m.mutation_id, 1, "the first id must be reused");
}

/// On a paired device with nobody signed in, changes are refused (nobody to act as).
pub async fn a_paired_device_needs_a_signed_in_actor(h: Rc<Harness>) {
    let h = &*h;
    let store = handle(h, None).await;
    let manager = Actor {
        staff_id: new_id(),
        role: Role::Manager,
    };
    ok(store.pair(new_id(), manager, "店长".into()).await, "pair");
    let (_, change) = new_customer("Anyone", "");
    assert!(matches!(
        store.mutate(change).await,
        Err(StoreError::SignInRequired)
    ));
}

/// A day's appointments are read through the `day` index: exactly the bookings of that local
/// day (as the in-memory view lists them), none of the days around it.
pub async fn appointments_are_read_by_day(h: Rc<Harness>) {
    let h = &*h;
    let store = handle(h, None).await;
    let actor = ok(store.actor(), "actor");
    let store_id = store.store_id().unwrap_or_else(|| panic!("no store id"));
    let offset = orchid_core::time::UtcOffset::CHINA;
    let now = chrono::Utc::now();
    let today = offset.local_date(now);
    let changes = ok(
        orchid_core::demo::demo_store(
            store_id,
            actor,
            offset,
            today,
            now,
            orchid_core::demo::DemoSize {
                customers: 12,
                days_each_side: 1,
            },
            3,
        ),
        "demo",
    );
    ok(store.mutate_all(changes).await, "mutate_all");
    let repo = (h.open)().await;
    for day in [
        today - chrono::Duration::days(1),
        today,
        today + chrono::Duration::days(1),
    ] {
        let mut expected: Vec<uuid::Uuid> = store
            .appointments_on(day)
            .iter()
            .map(|a| a.appointment.id.as_uuid())
            .collect();
        expected.sort();
        assert!(!expected.is_empty(), "the demo books every day");
        let rows = ok(repo.appointments_on(day).await, "appointments_on");
        assert!(rows.iter().all(|r| r.kind == EntityKind::Appointment));
        let mut got: Vec<uuid::Uuid> = rows.iter().map(|r| r.id).collect();
        got.sort();
        assert_eq!(got, expected, "appointments of {day}");
    }
    let far = today + chrono::Duration::days(30);
    assert!(ok(repo.appointments_on(far).await, "appointments_on").is_empty());
}

/// The core's reference server as a transport (the eviction test needs confirmed records).
struct ReferenceServer {
    server: std::cell::RefCell<orchid_core::sync::ServerState>,
    actor: Actor,
    store: orchid_core::ids::StoreId,
}

#[async_trait::async_trait(?Send)]
impl crate::sync::run::Transport for ReferenceServer {
    async fn push(
        &self,
        _token: &str,
        req: &orchid_core::sync::PushRequest,
    ) -> Result<orchid_core::sync::PushResponse, crate::sync::http::HttpError> {
        let store = self.store;
        self.server
            .borrow_mut()
            .push(req, &self.actor, &|s| s == store, chrono::Utc::now())
            .map_err(|_| crate::sync::http::HttpError::BadBody)
    }
    async fn pull(
        &self,
        _token: &str,
        req: &orchid_core::sync::PullRequest,
    ) -> Result<orchid_core::sync::PullResponse, crate::sync::http::HttpError> {
        self.server
            .borrow()
            .pull(req)
            .map_err(|_| crate::sync::http::HttpError::BadBody)
    }
}

/// Records past the store's horizon leave the device only once the server has them: a pending
/// change keeps its record (row, view, outbox) through eviction and a reload; once it is synced,
/// that record goes too. Recent records always stay.
pub async fn old_records_are_evicted_only_once_the_server_has_them(h: Rc<Harness>) {
    use orchid_core::appointment::AppointmentField;
    use orchid_core::text::Note;

    let h = &*h;
    let owner = Actor {
        staff_id: new_id(),
        role: Role::Owner,
    };
    let store_id: orchid_core::ids::StoreId = new_id();
    let session = Session {
        token: "owner-token".into(),
        staff_name: "店主".into(),
        role: "owner".into(),
        staff_id: Some(owner.staff_id),
        store_id: Some(store_id),
        expires_at: None,
        must_change_password: false,
        demo_server: false,
    };
    let server = ReferenceServer {
        server: std::cell::RefCell::new(orchid_core::sync::ServerState::new(new_id())),
        actor: owner,
        store: store_id,
    };
    let tokens = std::collections::BTreeMap::from([(owner.staff_id, "owner-token".to_owned())]);
    let store = handle(h, Some(session.clone())).await;
    // Standalone, nothing is ever evicted (the device holds the only copy).
    ok(store.pair(store_id, owner, "店主".into()).await, "pair");

    // Bookings of 400 days ago (past the default 12 months) and of today.
    let offset = orchid_core::time::UtcOffset::CHINA;
    let now = chrono::Utc::now();
    let today = offset.local_date(now);
    let size = orchid_core::demo::DemoSize {
        customers: 8,
        days_each_side: 0,
    };
    let old_day = today - chrono::Duration::days(400);
    let mut changes = ok(
        orchid_core::demo::demo_store(store_id, owner, offset, old_day, now, size, 1),
        "old demo",
    );
    changes.extend(
        ok(
            orchid_core::demo::demo_store(store_id, owner, offset, today, now, size, 2),
            "recent demo",
        )
        .into_iter()
        .filter_map(|c| match c {
            // The demo numbers its bookings from 0: new ids, so they do not replace the old ones.
            Change::AppointmentUpsert { fields, .. } => Some(Change::AppointmentUpsert {
                id: new_id(),
                fields,
            }),
            _ => None,
        }),
    );
    ok(store.mutate_all(changes).await, "mutate_all");
    assert_eq!(store.evictable_count(), 0, "nothing the server lacks");
    ok(
        crate::sync::run::sync_once(store, &server, &tokens).await,
        "sync",
    );
    assert_eq!(store.pending_count(), 0);
    let old = store.appointments_on(old_day);
    let recent = store.appointments_on(today);
    assert!(old.len() >= 2 && !recent.is_empty(), "demo bookings");

    // One old booking changed and not yet sent.
    let kept = old[0].appointment.id;
    ok(
        store
            .mutate(Change::AppointmentUpsert {
                id: kept,
                fields: vec![AppointmentField::Needs(ok(
                    Note::parse("带上次的面膜"),
                    "note",
                ))],
            })
            .await,
        "pending edit",
    );
    let evicted = ok(store.evict_old_records().await, "evict");
    assert!(evicted >= old.len() - 1, "evicted {evicted}");
    let repo = (h.open)().await;
    let check = |store: StoreHandle| {
        assert_eq!(
            store.appointments_on(old_day).len(),
            1,
            "only the pending one stays"
        );
        assert!(store.appointment(kept).is_some());
        assert_eq!(
            store.appointments_on(today).len(),
            recent.len(),
            "recent stay"
        );
        assert_eq!(store.pending_count(), 1);
    };
    check(store);
    for a in &old[1..] {
        let row = ok(
            repo.row(EntityKind::Appointment, a.appointment.id.as_uuid())
                .await,
            "row",
        );
        assert!(row.is_none(), "an evicted booking's row is gone");
    }
    assert!(
        ok(
            repo.row(EntityKind::Appointment, kept.as_uuid()).await,
            "row"
        )
        .is_some(),
        "the pending booking's row stays"
    );
    assert_eq!(ok(repo.outbox(10).await, "outbox").len(), 1);
    // The same after a reload (the snapshot was rewritten without the evicted records).
    let reloaded = handle(h, Some(session)).await;
    check(reloaded);

    // Once the server has the change, that booking may go too.
    ok(
        crate::sync::run::sync_once(store, &server, &tokens).await,
        "sync",
    );
    assert_eq!(ok(store.evict_old_records().await, "evict"), 1);
    assert!(store.appointments_on(old_day).is_empty());
    assert_eq!(store.appointments_on(today).len(), recent.len());
}

/// A test of the list.
pub type Test = fn(Rc<Harness>) -> LocalFuture<()>;

/// Every test, by name, for the runners.
pub fn all() -> Vec<(&'static str, Test)> {
    vec![
        ("fresh_device_is_created_once", |h| {
            Box::pin(fresh_device_is_created_once(h))
        }),
        ("a_change_is_stored_with_its_outbox_mutation", |h| {
            Box::pin(a_change_is_stored_with_its_outbox_mutation(h))
        }),
        ("a_refused_change_writes_nothing", |h| {
            Box::pin(a_refused_change_writes_nothing(h))
        }),
        ("a_failed_write_leaves_no_trace", |h| {
            Box::pin(a_failed_write_leaves_no_trace(h))
        }),
        ("the_outbox_keeps_its_order", |h| {
            Box::pin(the_outbox_keeps_its_order(h))
        }),
        ("the_outbox_drops_exactly_the_mutations_it_is_told", |h| {
            Box::pin(the_outbox_drops_exactly_the_mutations_it_is_told(h))
        }),
        ("the_last_version_in_one_write_is_kept", |h| {
            Box::pin(the_last_version_in_one_write_is_kept(h))
        }),
        ("rows_are_stored_as_given", |h| {
            Box::pin(rows_are_stored_as_given(h))
        }),
        ("a_failed_later_settled_write_fails_the_next_commit", |h| {
            Box::pin(a_failed_later_settled_write_fails_the_next_commit(h))
        }),
        ("a_write_of_many_is_all_or_nothing", |h| {
            Box::pin(a_write_of_many_is_all_or_nothing(h))
        }),
        ("customers_are_found_by_their_keys", |h| {
            Box::pin(customers_are_found_by_their_keys(h))
        }),
        ("a_paired_device_needs_a_signed_in_actor", |h| {
            Box::pin(a_paired_device_needs_a_signed_in_actor(h))
        }),
        ("appointments_are_read_by_day", |h| {
            Box::pin(appointments_are_read_by_day(h))
        }),
        (
            "old_records_are_evicted_only_once_the_server_has_them",
            |h| Box::pin(old_records_are_evicted_only_once_the_server_has_them(h)),
        ),
    ]
}
