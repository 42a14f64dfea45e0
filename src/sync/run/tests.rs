//! The sync loop against the core's reference server (`ServerState`), natively.
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use async_trait::async_trait;
use chrono::Utc;
use futures::executor::block_on;
use leptos::prelude::*;
use orchid_core::customer::CustomerField;
use orchid_core::ids::{ClientId, CustomerId, StaffId, StoreId};
use orchid_core::role::Role;
use orchid_core::sync::{
    Actor, Change, Cursor, PullRequest, PullResponse, PushRequest, PushResponse, ServerState,
};
use orchid_core::text::Name;

use super::*;
use crate::state::store::StoreHandle;
use crate::storage::memory::MemoryRepo;
use crate::storage::new_id;
use crate::storage::settings::Session;

struct Reference {
    server: RefCell<ServerState>,
    tokens: BTreeMap<String, Actor>,
    store: StoreId,
    deny_store: Cell<bool>,
    drop_next_push_response: Cell<bool>,
    pushes: Cell<usize>,
    /// How many minutes the server's clock is behind the device's.
    behind_minutes: Cell<i64>,
    /// The colleagues' tokens each pull carried.
    pulled_with: RefCell<Vec<Vec<String>>>,
    /// Where each pull started.
    pulled_from: RefCell<Vec<Option<Cursor>>>,
}

impl Reference {
    fn new(store: StoreId, tokens: &[(&str, Actor)]) -> Rc<Self> {
        Rc::new(Self {
            server: RefCell::new(ServerState::new(ClientId::from_u128(99))),
            tokens: tokens.iter().map(|(t, a)| ((*t).to_owned(), *a)).collect(),
            store,
            deny_store: Cell::new(false),
            drop_next_push_response: Cell::new(false),
            pushes: Cell::new(0),
            behind_minutes: Cell::new(0),
            pulled_with: RefCell::new(Vec::new()),
            pulled_from: RefCell::new(Vec::new()),
        })
    }
    fn logged(&self) -> usize {
        self.server.borrow().log.len()
    }
}

#[async_trait(?Send)]
impl Transport for Reference {
    async fn push(&self, token: &str, req: &PushRequest) -> Result<PushResponse, HttpError> {
        let auth = self.tokens.get(token).ok_or(HttpError::Status {
            status: 401,
            code: None,
        })?;
        self.pushes.set(self.pushes.get() + 1);
        let store = self.store;
        let deny = self.deny_store.get();
        let now = Utc::now() - chrono::Duration::minutes(self.behind_minutes.get());
        let resp = self
            .server
            .borrow_mut()
            .push(req, auth, &|s| !deny && s == store, now)
            .map_err(|_| HttpError::BadBody)?;
        if self.drop_next_push_response.replace(false) {
            // Applied on the server, but the answer never reaches the device.
            return Err(HttpError::Unreachable);
        }
        Ok(resp)
    }
    async fn pull(&self, token: &str, req: &PullRequest) -> Result<PullResponse, HttpError> {
        if !self.tokens.contains_key(token) {
            return Err(HttpError::Status {
                status: 401,
                code: None,
            });
        }
        self.pulled_with.borrow_mut().push(req.colleagues.clone());
        self.pulled_from.borrow_mut().push(req.cursor);
        self.server
            .borrow()
            .pull(req)
            .map_err(|_| HttpError::BadBody)
    }
}

fn session(token: &str, actor: Actor, store: StoreId) -> Session {
    Session {
        token: token.into(),
        staff_name: "店长".into(),
        role: actor.role.code().into(),
        staff_id: Some(actor.staff_id),
        store_id: Some(store),
        expires_at: None,
        must_change_password: false,
        demo_server: false,
    }
}

/// A device paired with `store` by `manager`, who is signed in with `token`.
async fn paired_device(store: StoreId, manager: Actor, token: &str) -> StoreHandle {
    let handle = StoreHandle::new(RwSignal::new(Some(session(token, manager, store))));
    handle.open(Rc::new(MemoryRepo::new())).await.unwrap();
    handle.pair(store, manager, "店长".into()).await.unwrap();
    handle
}

fn customer(name: &str) -> (CustomerId, Change) {
    let id: CustomerId = new_id();
    (
        id,
        Change::CustomerUpsert {
            id,
            fields: vec![CustomerField::Name(Name::parse(name).unwrap())],
        },
    )
}

fn tokens(list: &[(&str, Actor)]) -> BTreeMap<StaffId, String> {
    list.iter()
        .map(|(t, a)| (a.staff_id, (*t).to_owned()))
        .collect()
}

fn manager() -> Actor {
    Actor {
        staff_id: new_id(),
        role: Role::Manager,
    }
}

#[test]
fn a_device_clock_ahead_of_the_server_keeps_its_changes_until_they_can_be_taken() {
    block_on(async {
        let store_id: StoreId = new_id();
        let m = manager();
        let server = Reference::new(store_id, &[("tok-m", m)]);
        let device = paired_device(store_id, m, "tok-m").await;
        let mut ids = Vec::new();
        for name in ["王丽华", "Anna Li"] {
            let (id, change) = customer(name);
            device.mutate(change).await.unwrap();
            ids.push(id);
        }
        // The tablet's clock runs 20 minutes ahead (the server allows 5).
        server.behind_minutes.set(20);
        let waiting = sync_once(device, server.as_ref(), &tokens(&[("tok-m", m)])).await;
        match waiting {
            Err(SyncFailure::ClockAhead { ahead_ms }) => assert!(ahead_ms > 19 * 60 * 1000),
            other => panic!("expected the clock to be reported, got {other:?}"),
        }
        assert_eq!(
            SyncFailure::ClockAhead { ahead_ms: 1 }.msg(),
            Msg::SyncClockAhead
        );
        assert_eq!(server.logged(), 0);
        assert_eq!(device.pending_count(), 2, "nothing is dropped");
        for id in &ids {
            assert!(device.customer(*id).is_some(), "the view keeps the change");
        }
        // Once the server's clock has caught up, both are taken, in order, once.
        server.behind_minutes.set(0);
        let run = sync_once(device, server.as_ref(), &tokens(&[("tok-m", m)]))
            .await
            .unwrap();
        assert_eq!(run.pushed, 2);
        assert!(run.rejected.is_empty());
        assert_eq!(server.logged(), 2);
        assert_eq!(device.pending_count(), 0);
    });
}

#[test]
fn the_outbox_reaches_the_server_exactly_once_even_if_an_answer_is_lost() {
    block_on(async {
        let store_id: StoreId = new_id();
        let m = manager();
        let server = Reference::new(store_id, &[("tok-m", m)]);
        let device = paired_device(store_id, m, "tok-m").await;
        for name in ["王丽华", "Anna Li", "张伟"] {
            device.mutate(customer(name).1).await.unwrap();
        }
        server.drop_next_push_response.set(true);
        let lost = sync_once(device, server.as_ref(), &tokens(&[("tok-m", m)])).await;
        assert_eq!(lost, Err(SyncFailure::Unreachable));
        assert_eq!(server.logged(), 3);
        assert_eq!(device.pending_count(), 3, "unconfirmed changes stay queued");

        let run = sync_once(device, server.as_ref(), &tokens(&[("tok-m", m)]))
            .await
            .unwrap();
        assert_eq!(
            run.pushed, 3,
            "the server answers duplicate for the resent ones"
        );
        assert_eq!(server.logged(), 3, "nothing doubled");
        assert_eq!(device.pending_count(), 0, "confirmed by the pull");
        let server_view = server.server.borrow().replica.customers(store_id);
        let device_view = device.with_view(|v, s| v.customers(s)).unwrap();
        assert_eq!(device_view, server_view);
    });
}

#[test]
fn two_devices_converge() {
    block_on(async {
        let store_id: StoreId = new_id();
        let m = manager();
        let server = Reference::new(store_id, &[("tok-m", m)]);
        let a = paired_device(store_id, m, "tok-m").await;
        let b = paired_device(store_id, m, "tok-m").await;
        let (id, change) = customer("李娜");
        a.mutate(change).await.unwrap();
        sync_once(a, server.as_ref(), &tokens(&[("tok-m", m)]))
            .await
            .unwrap();
        let before = b.revision.get_untracked();
        sync_once(b, server.as_ref(), &tokens(&[("tok-m", m)]))
            .await
            .unwrap();
        assert!(
            b.revision.get_untracked() > before,
            "screens are told to refresh"
        );
        assert_eq!(
            b.customer(id)
                .map(|c| c.name.as_str().to_owned())
                .as_deref(),
            Some("李娜")
        );
        assert_eq!(b.search_customers("李", 5).len(), 1);
    });
}

#[test]
fn a_refused_change_leaves_the_outbox_and_is_reported() {
    block_on(async {
        let store_id: StoreId = new_id();
        let m = manager();
        let server = Reference::new(store_id, &[("tok-m", m)]);
        let device = paired_device(store_id, m, "tok-m").await;
        let (id, change) = customer("Refused");
        device.mutate(change).await.unwrap();
        server.deny_store.set(true);
        let run = sync_once(device, server.as_ref(), &tokens(&[("tok-m", m)]))
            .await
            .unwrap();
        assert_eq!(run.rejected, vec![(1, "sync.wrong_store".to_owned())]);
        assert_eq!(device.pending_count(), 0);
        assert!(device.customer(id).is_none(), "undone in the view");
    });
}

#[test]
fn five_hundred_changes_drain_in_batches() {
    block_on(async {
        let store_id: StoreId = new_id();
        let m = manager();
        let server = Reference::new(store_id, &[("tok-m", m)]);
        let device = paired_device(store_id, m, "tok-m").await;
        for i in 0..500 {
            device.mutate(customer(&format!("C{i}")).1).await.unwrap();
        }
        let run = sync_once(device, server.as_ref(), &tokens(&[("tok-m", m)]))
            .await
            .unwrap();
        assert_eq!(run.pushed, 500);
        assert_eq!(server.pushes.get(), 3);
        assert_eq!(server.logged(), 500);
        assert_eq!(device.pending_count(), 0);
    });
}

#[test]
fn changes_of_someone_without_a_token_wait_for_them() {
    block_on(async {
        let store_id: StoreId = new_id();
        let m = manager();
        let t = Actor {
            staff_id: new_id(),
            role: Role::Reception,
        };
        let server = Reference::new(store_id, &[("tok-m", m), ("tok-t", t)]);
        let device = paired_device(store_id, m, "tok-m").await;
        device.mutate(customer("By manager").1).await.unwrap();
        device.session.set(Some(session("tok-t", t, store_id)));
        device.mutate(customer("By reception").1).await.unwrap();
        device.session.set(Some(session("tok-m", m, store_id)));
        device.mutate(customer("By manager again").1).await.unwrap();
        // Only the manager's token is on the device: their first change goes; the reception's
        // change and everything after it wait.
        let r = sync_once(device, server.as_ref(), &tokens(&[("tok-m", m)])).await;
        assert_eq!(r, Err(SyncFailure::SignInAgain(t.staff_id)));
        assert_eq!(server.logged(), 1);
        assert_eq!(device.pending_count(), 2);
        // The reception signs in again: everything goes, each with its own token.
        let run = sync_once(
            device,
            server.as_ref(),
            &tokens(&[("tok-m", m), ("tok-t", t)]),
        )
        .await
        .unwrap();
        assert_eq!(run.rejected, Vec::<(u64, String)>::new());
        assert_eq!(server.logged(), 3);
        assert_eq!(device.pending_count(), 0);
    });
}

#[test]
fn a_standalone_device_moves_its_records_to_the_store_it_is_paired_with() {
    block_on(async {
        let store_id: StoreId = new_id();
        let m = manager();
        let server = Reference::new(store_id, &[("tok-m", m)]);
        let device = StoreHandle::new(RwSignal::new(None));
        device.open(Rc::new(MemoryRepo::new())).await.unwrap();
        let (id, change) = customer("Made alone");
        device.mutate(change).await.unwrap();
        device.session.set(Some(session("tok-m", m, store_id)));
        let dropped = device.pair(store_id, m, "店长".into()).await.unwrap();
        assert!(dropped.is_empty());
        assert_eq!(device.store_id(), Some(store_id));
        assert!(device.customer(id).is_some());
        sync_once(device, server.as_ref(), &tokens(&[("tok-m", m)]))
            .await
            .unwrap();
        assert_eq!(server.logged(), 1);
        assert!(
            server
                .server
                .borrow()
                .replica
                .customer(id)
                .is_some_and(|c| c.store_id == store_id)
        );
    });
}

#[test]
fn backoff_doubles_with_jitter_and_is_capped() {
    assert_eq!(backoff_ms(0, 0.0), 1_000);
    assert_eq!(backoff_ms(0, 1.0), 2_000);
    assert_eq!(backoff_ms(3, 1.0), 16_000);
    assert_eq!(backoff_ms(30, 1.0), 300_000);
    assert!(backoff_ms(30, 0.0) >= 150_000);
}

/// A shared tablet pulls as the person at it and carries the others' tokens, so the server sends
/// what the next one to open it may read.
#[test]
fn a_shared_tablets_pull_carries_the_other_peoples_tokens() {
    block_on(async {
        let store_id: StoreId = new_id();
        let m = manager();
        let t = Actor {
            staff_id: new_id(),
            role: Role::Therapist,
        };
        let server = Reference::new(store_id, &[("tok-m", m), ("tok-t", t)]);
        let device = paired_device(store_id, m, "tok-m").await;
        sync_once(
            device,
            server.as_ref(),
            &tokens(&[("tok-m", m), ("tok-t", t)]),
        )
        .await
        .unwrap();
        assert_eq!(*server.pulled_with.borrow(), vec![vec!["tok-t".to_owned()]]);
    });
}

/// A colleague who first signs in on a tablet may read what its earlier pulls were not sent (the
/// server sends what the device's people may read): its next pull starts again from the
/// beginning, keeping what it holds — unless a manager, who reads everything, pulled before.
#[test]
fn a_new_person_on_a_tablet_pulls_again_from_the_start_unless_a_manager_did() {
    block_on(async {
        let store_id: StoreId = new_id();
        let therapist = |_| Actor {
            staff_id: new_id(),
            role: Role::Therapist,
        };
        let (t, c) = (therapist(1), therapist(2));
        let m = manager();
        let server = Reference::new(store_id, &[("tok-t", t), ("tok-c", c), ("tok-m", m)]);
        let from = |server: &Reference| {
            server
                .pulled_from
                .borrow_mut()
                .drain(..)
                .collect::<Vec<_>>()
        };

        let tablet = paired_device(store_id, t, "tok-t").await;
        let (her, change) = customer("王丽华");
        tablet.mutate(change).await.unwrap();
        let alone = tokens(&[("tok-t", t)]);
        sync_once(tablet, server.as_ref(), &alone).await.unwrap();
        sync_once(tablet, server.as_ref(), &alone).await.unwrap();
        let first = from(&server);
        assert_eq!(first[0], None);
        assert!(first[1].is_some(), "{first:?}");
        let both = tokens(&[("tok-t", t), ("tok-c", c)]);
        sync_once(tablet, server.as_ref(), &both).await.unwrap();
        sync_once(tablet, server.as_ref(), &both).await.unwrap();
        let again = from(&server);
        assert_eq!(again[0], None, "her colleague is new: from the start");
        assert!(again[1].is_some(), "once: {again:?}");
        assert!(tablet.customer(her).is_some(), "what it held stays");
        assert_eq!(tablet.pending_count(), 0);

        // The manager's tablet already has everything: a colleague there changes nothing.
        let desk = paired_device(store_id, m, "tok-m").await;
        sync_once(desk, server.as_ref(), &tokens(&[("tok-m", m)]))
            .await
            .unwrap();
        from(&server);
        sync_once(
            desk,
            server.as_ref(),
            &tokens(&[("tok-m", m), ("tok-c", c)]),
        )
        .await
        .unwrap();
        let after = from(&server);
        assert!(after[0].is_some(), "{after:?}");
    });
}
