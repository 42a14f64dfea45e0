//! `/` jumps to the customer search from anywhere outside a text field: reception finds a caller
//! while the phone rings without reaching for the mouse (issue [front desk]: "`/` to search").
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};
use wasm_bindgen::JsCast;

/// The id of the customer list's search field, which the shortcut focuses.
pub const CUSTOMER_SEARCH_ID: &str = "customer-search";

/// Set when the shortcut opened the customer list, so the list focuses its search field once it
/// is drawn (the field does not exist yet when the key is pressed on another page).
#[derive(Clone, Copy)]
pub struct SearchFocusWanted(pub RwSignal<bool>);

/// Listens for `/` while it is mounted (the shell leaves it out in the feedback kiosk, which a
/// customer must not be able to leave).
#[component]
pub fn SearchShortcut() -> impl IntoView {
    let wanted = use_context::<SearchFocusWanted>().map(|w| w.0);
    let navigate = use_navigate();
    let location = use_location();
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() != "/" || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        if ev.default_prevented() || typing_into(ev.target()) {
            return;
        }
        ev.prevent_default();
        if location.pathname.get_untracked() == "/customers" {
            focus_customer_search();
        } else {
            if let Some(wanted) = wanted {
                wanted.set(true);
            }
            navigate("/customers", NavigateOptions::default());
        }
    });
    on_cleanup(move || handle.remove());
}

/// Whether the key went to something that takes text (where `/` is a character to type).
fn typing_into(target: Option<web_sys::EventTarget>) -> bool {
    let Some(element) = target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) else {
        return false;
    };
    matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
        || element.is_content_editable()
}

/// Focuses the customer search field when it is on the page.
pub fn focus_customer_search() {
    if let Some(field) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(CUSTOMER_SEARCH_ID))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        && let Err(err) = field.focus()
    {
        leptos::logging::warn!("could not focus the customer search: {err:?}");
    }
}
