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
