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

use super::repo::{Repository, StoreError};
use super::settings::Session;
use crate::state::store::{StoreHandle, new_id};

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
        ("customers_are_found_by_their_keys", |h| {
            Box::pin(customers_are_found_by_their_keys(h))
        }),
        ("a_paired_device_needs_a_signed_in_actor", |h| {
            Box::pin(a_paired_device_needs_a_signed_in_actor(h))
        }),
    ]
}
