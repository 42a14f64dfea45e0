//! The device store's side of `cargo xtask bench` (xtask/bench/store.bench.mjs): the real store
//! code (`StoreHandle` over `IdbRepo`, the sync loop's `sync_once` over HTTP) exported to a bench
//! page, which times each call and runs the peers (raw IndexedDB, Dexie) beside it.
//!
//! Built only by the bench (`cargo build --release --example store_bench --target
//! wasm32-unknown-unknown`, then `wasm-bindgen --target web`): the app's bundle does not contain
//! it. Natively it is an empty program, so `cargo clippy --all-targets` still checks it.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

#[cfg(target_arch = "wasm32")]
mod bench {
    use std::cell::RefCell;
    use std::collections::BTreeMap;
    use std::rc::Rc;

    use chrono::Utc;
    use leptos::prelude::*;
    use orchid::state::StoreHandle;
    use orchid::state::store::new_id;
    use orchid::storage::idb::IdbRepo;
    use orchid::storage::repo::Repository;
    use orchid::storage::settings::Session;
    use orchid::sync::run::{HttpTransport, sync_once};
    use orchid_core::customer::{CustomerField, CustomerSource};
    use orchid_core::demo::{DemoSize, demo_store};
    use orchid_core::ids::{CustomerId, EntityKind, StaffId};
    use orchid_core::sync::Change;
    use orchid_core::time::UtcOffset;
    use wasm_bindgen::prelude::*;

    thread_local! {
        /// The store of the last `open` (the bench runs one at a time).
        static STORE: RefCell<Option<(StoreHandle, Rc<dyn Repository>)>> = const { RefCell::new(None) };
        /// The reactive owner of that store's signals, cleaned up when the next one opens (else
        /// every run's replica would stay in memory).
        static OWNER: RefCell<Option<Owner>> = const { RefCell::new(None) };
        /// Changes made ready by `prepare_customers`, written by `write_prepared`.
        static PREPARED: RefCell<Vec<Change>> = const { RefCell::new(Vec::new()) };
        /// The customers written last (for the drain's updates).
        static CUSTOMERS: RefCell<Vec<CustomerId>> = const { RefCell::new(Vec::new()) };
        /// The owner's sign-in at the bench's server.
        static SESSION: RefCell<Option<Session>> = const { RefCell::new(None) };
    }

    fn js(e: impl std::fmt::Display) -> JsValue {
        JsValue::from_str(&e.to_string())
    }

    fn store() -> Result<StoreHandle, JsValue> {
        STORE
            .with(|s| s.borrow().as_ref().map(|(h, _)| *h))
            .ok_or_else(|| js("no store open"))
    }

    /// Opens (creating) the device store in database `db`, as the app does at start-up; with
    /// `signed_in`, the owner's session of `sign_in` acts (a paired device), else the device owner.
    #[wasm_bindgen]
    pub async fn open(db: String, fresh: bool, signed_in: bool) -> Result<(), JsValue> {
        if fresh {
            IdbRepo::delete(&db).await.map_err(js)?;
        }
        let session = if signed_in {
            SESSION.with(|s| s.borrow().clone())
        } else {
            None
        };
        STORE.with(|s| s.borrow_mut().take());
        if let Some(old) = OWNER.with(|o| o.borrow_mut().take()) {
            old.cleanup();
        }
        let owner = Owner::new();
        let handle = owner.with(|| StoreHandle::new(RwSignal::new(session)));
        OWNER.with(|o| *o.borrow_mut() = Some(owner));
        let repo: Rc<dyn Repository> = Rc::new(IdbRepo::open(&db).await.map_err(js)?);
        handle.open(repo.clone()).await.map_err(js)?;
        STORE.with(|s| *s.borrow_mut() = Some((handle, repo)));
        Ok(())
    }

    /// Builds `n` demo customers (Chinese and latin names, phones, member numbers, tags) for the
    /// open store, without writing them; returns how many changes.
    #[wasm_bindgen]
    pub fn prepare_customers(n: usize, seed: u64) -> Result<usize, JsValue> {
        let handle = store()?;
        let actor = handle.actor().map_err(js)?;
        let store_id = handle.store_id().ok_or_else(|| js("store not ready"))?;
        let now = Utc::now();
        let changes: Vec<Change> = demo_store(
            store_id,
            actor,
            UtcOffset::CHINA,
            UtcOffset::CHINA.local_date(now),
            now,
            DemoSize {
                customers: n,
                days_each_side: 0,
            },
            seed,
        )
        .map_err(|e| js(e.code()))?
        .into_iter()
        .filter(|c| matches!(c, Change::CustomerUpsert { .. }))
        .collect();
        let ids = changes
            .iter()
            .filter_map(|c| match c {
                Change::CustomerUpsert { id, .. } => Some(*id),
                _ => None,
            })
            .collect();
        CUSTOMERS.with(|c| *c.borrow_mut() = ids);
        let len = changes.len();
        PREPARED.with(|p| *p.borrow_mut() = changes);
        Ok(len)
    }

    /// Changes `n` of the customers written last (their source, which `variant` picks, so each
    /// round really changes them), without writing them: pending mutations for the drain.
    #[wasm_bindgen]
    pub fn prepare_updates(n: usize, variant: u32) -> Result<usize, JsValue> {
        let source = if variant.is_multiple_of(2) {
            CustomerSource::Referral
        } else {
            CustomerSource::WalkIn
        };
        let changes: Vec<Change> = CUSTOMERS.with(|c| {
            c.borrow()
                .iter()
                .take(n)
                .map(|id| Change::CustomerUpsert {
                    id: *id,
                    fields: vec![CustomerField::Source(source)],
                })
                .collect()
        });
        let len = changes.len();
        PREPARED.with(|p| *p.borrow_mut() = changes);
        Ok(len)
    }

    /// Writes the prepared changes as the app does (`StoreHandle::mutate_all`: checked by the core,
    /// records and outbox in one transaction).
    #[wasm_bindgen]
    pub async fn write_prepared() -> Result<usize, JsValue> {
        let handle = store()?;
        let changes = PREPARED.with(|p| std::mem::take(&mut *p.borrow_mut()));
        let done = handle.mutate_all(changes).await.map_err(js)?;
        Ok(done.len())
    }

    /// The customer rows as the store wrote them (`{ id, keys, json }`), in the order it wrote
    /// them, for the peers to write the same bytes with the same indexes.
    #[wasm_bindgen]
    pub async fn customer_rows() -> Result<js_sys::Array, JsValue> {
        let repo = STORE
            .with(|s| s.borrow().as_ref().map(|(_, r)| r.clone()))
            .ok_or_else(|| js("no store open"))?;
        let mut rows = repo
            .rows_by_prefix(EntityKind::Customer, "name", "", u32::MAX)
            .await
            .map_err(js)?;
        // In the order ours wrote them (the index gives them in name order): the peers must write
        // the same puts in the same order, not their name index presorted while ours writes it in
        // arrival order. Whether the order changes the time is within the bench's noise.
        let position: std::collections::HashMap<uuid::Uuid, usize> = CUSTOMERS.with(|c| {
            c.borrow()
                .iter()
                .enumerate()
                .map(|(i, id)| (id.0, i))
                .collect()
        });
        rows.sort_by_key(|row| position.get(&row.id).copied().unwrap_or(usize::MAX));
        let out = js_sys::Array::new();
        for row in rows {
            let obj = js_sys::Object::new();
            let keys = js_sys::Object::new();
            for (k, v) in &row.keys {
                js_sys::Reflect::set(&keys, &k.into(), &v.into())?;
            }
            js_sys::Reflect::set(&obj, &"id".into(), &row.id.to_string().into())?;
            js_sys::Reflect::set(&obj, &"keys".into(), &keys)?;
            js_sys::Reflect::set(&obj, &"json".into(), &row.json.into())?;
            out.push(&obj);
        }
        Ok(out)
    }

    /// The app's search as you type (`StoreHandle::search_customers`); returns the hit count.
    #[wasm_bindgen]
    pub fn search(query: &str, limit: usize) -> Result<usize, JsValue> {
        Ok(store()?.search_customers(query, limit).len())
    }

    /// How many customers the open store holds (the in-memory view).
    #[wasm_bindgen]
    pub fn customer_count() -> Result<usize, JsValue> {
        Ok(store()?.customer_count())
    }

    /// Pending mutations of the open store.
    #[wasm_bindgen]
    pub fn pending() -> Result<usize, JsValue> {
        Ok(store()?.pending_count())
    }

    /// Signs in at the server that served this page (kept for `open(.., signed_in)` and `sync`).
    #[wasm_bindgen]
    pub async fn sign_in(login: String, password: String) -> Result<(), JsValue> {
        let session = orchid::sync::auth::sign_in(&login, &password)
            .await
            .map_err(|e| js(format!("{e:?}")))?;
        SESSION.with(|s| *s.borrow_mut() = Some(session));
        Ok(())
    }

    /// Pairs the open store with the signed-in owner's store, as Settings does.
    #[wasm_bindgen]
    pub async fn pair() -> Result<(), JsValue> {
        let handle = store()?;
        let session = SESSION
            .with(|s| s.borrow().clone())
            .ok_or_else(|| js("not signed in"))?;
        let actor = session.actor().ok_or_else(|| js("session without actor"))?;
        let store_id = session
            .store_id
            .ok_or_else(|| js("session without store"))?;
        handle
            .pair(store_id, actor, session.staff_name.clone())
            .await
            .map_err(js)?;
        Ok(())
    }

    /// One run of the sync loop (push the outbox, pull until up to date); returns
    /// `[pushed, pulled]`.
    #[wasm_bindgen]
    pub async fn sync() -> Result<Vec<f64>, JsValue> {
        let handle = store()?;
        let session = SESSION
            .with(|s| s.borrow().clone())
            .ok_or_else(|| js("not signed in"))?;
        let staff: StaffId = session
            .staff_id
            .ok_or_else(|| js("session without staff"))?;
        let tokens = BTreeMap::from([(staff, session.token.clone())]);
        let run = sync_once(handle, &HttpTransport, &tokens)
            .await
            .map_err(js)?;
        if !run.rejected.is_empty() {
            return Err(js(format!("rejected: {:?}", run.rejected)));
        }
        Ok(vec![run.pushed as f64, run.pulled as f64])
    }

    /// A fresh id, so that each bench database has its own name.
    #[wasm_bindgen]
    pub fn fresh_name(prefix: &str) -> String {
        let id: uuid::Uuid = new_id();
        format!("{prefix}-{}", id.simple())
    }
}

fn main() {}
