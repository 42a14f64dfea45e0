//! What every dialog does with the keyboard (WAI-ARIA's modal dialog pattern): on opening, the
//! focus moves into it; Escape closes it; on closing, the focus returns to what opened it, so a
//! keyboard user at reception is not thrown back to the top of the page.
use std::sync::atomic::{AtomicUsize, Ordering};

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;

/// How many dialogs are open, one above the other (Move opens over a booking's panel): Escape
/// closes only the top one.
static OPEN_DIALOGS: AtomicUsize = AtomicUsize::new(0);

/// Call in a dialog's component body; `close` is what its Cancel/Close button does.
pub fn dialog_keys(close: impl Fn() + 'static) {
    let opener = SendWrapper::new(
        document()
            .active_element()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()),
    );
    let level = OPEN_DIALOGS.fetch_add(1, Ordering::Relaxed) + 1;
    // After this render, the dialog is in the document: focus its first field or button.
    request_animation_frame(focus_into_dialog);
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape"
            && !ev.default_prevented()
            && OPEN_DIALOGS.load(Ordering::Relaxed) == level
        {
            ev.prevent_default();
            close();
        }
    });
    on_cleanup(move || {
        handle.remove();
        OPEN_DIALOGS.fetch_sub(1, Ordering::Relaxed);
        if let Some(opener) = opener.take()
            && opener.is_connected()
        {
            // Without scrolling: the page stays where the user left it.
            let options = web_sys::FocusOptions::new();
            options.set_prevent_scroll(true);
            let _ = opener.focus_with_options(&options);
        }
    });
}

/// The last modal dialog opened is the one on top.
fn focus_into_dialog() {
    let Ok(dialogs) = document().query_selector_all("[aria-modal=\"true\"]") else {
        return;
    };
    let Some(dialog) = dialogs
        .length()
        .checked_sub(1)
        .and_then(|last| dialogs.item(last))
        .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    if dialog.contains(document().active_element().as_ref().map(|e| e.as_ref())) {
        return;
    }
    let first = dialog
        .query_selector("input:not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled])")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(first) = first {
        let _ = first.focus();
    }
}
