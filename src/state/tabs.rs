//! Several tabs of the app on one device: a change written in one tab shows in the others.
//!
//! Each write announces itself on a `BroadcastChannel`; the other tabs reload their in-memory state
//! from IndexedDB (the source of truth) and bump their `revision`. A tab that sees another tab open
//! a newer schema (`versionchange`) closes its connection and asks the user to reload (see
//! `storage::idb`).
use std::cell::RefCell;

use super::store::StoreHandle;

const CHANNEL: &str = "orchid-store";

thread_local! {
    static CHANNEL_HANDLE: RefCell<Option<web_sys::BroadcastChannel>> = const { RefCell::new(None) };
}

fn channel() -> Option<web_sys::BroadcastChannel> {
    if !cfg!(target_arch = "wasm32") {
        return None;
    }
    CHANNEL_HANDLE.with(|c| {
        let mut c = c.borrow_mut();
        if c.is_none() {
            *c = web_sys::BroadcastChannel::new(CHANNEL).ok();
        }
        c.clone()
    })
}

/// Tells the other tabs that the store changed.
pub fn announce_change() {
    if let Some(ch) = channel()
        && let Err(err) = ch.post_message(&wasm_bindgen::JsValue::from_str("changed"))
    {
        leptos::logging::warn!("could not tell other tabs about a change: {err:?}");
    }
}

/// Reloads `store` whenever another tab announces a change. Call once, at start.
pub fn listen(store: StoreHandle) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let Some(ch) = channel() else {
        return;
    };
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_ev| {
        leptos::task::spawn_local(async move {
            if let Err(err) = store.reload().await {
                leptos::logging::warn!("could not reload after another tab's change: {err}");
            }
        });
    });
    ch.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The listener lives as long as the page.
    on_message.forget();
}
