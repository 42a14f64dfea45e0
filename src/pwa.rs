//! The service worker from the app's side: register it, and tell the user when a new version
//! waits. The worker itself is `public/sw.js`; its precache list is written at build time.
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    ServiceWorker, ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState,
};

fn container() -> Option<ServiceWorkerContainer> {
    let navigator = web_sys::window()?.navigator();
    // `serviceWorker` is missing on plain-HTTP origins other than localhost.
    let has_sw = js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false);
    has_sw.then(|| navigator.service_worker())
}

/// Registers `/sw.js` and sets `update_ready` whenever a new worker is installed and waiting
/// while an older one controls this page.
pub fn register(update_ready: RwSignal<bool>) {
    let Some(container) = container() else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let registration = match JsFuture::from(container.register("/sw.js")).await {
            Ok(value) => match value.dyn_into::<ServiceWorkerRegistration>() {
                Ok(registration) => registration,
                Err(_) => return,
            },
            Err(err) => {
                leptos::logging::warn!("service worker not registered: {err:?}");
                return;
            }
        };
        watch(&container, &registration, update_ready);
    });
}

fn watch(
    container: &ServiceWorkerContainer,
    registration: &ServiceWorkerRegistration,
    update_ready: RwSignal<bool>,
) {
    let has_controller = container.controller().is_some();
    if registration.waiting().is_some() && has_controller {
        update_ready.set(true);
    }
    let registration_for_event = registration.clone();
    let container_for_event = container.clone();
    let on_update_found = Closure::<dyn FnMut()>::new(move || {
        let Some(installing) = registration_for_event.installing() else {
            return;
        };
        let worker = installing.clone();
        let container = container_for_event.clone();
        let on_state_change = Closure::<dyn FnMut()>::new(move || {
            // The first install of all is not an update: nothing to reload into.
            if worker.state() == ServiceWorkerState::Installed && container.controller().is_some() {
                update_ready.set(true);
            }
        });
        installing.set_onstatechange(Some(on_state_change.as_ref().unchecked_ref()));
        // Lives as long as the worker object; one per update, so the leak is bounded.
        on_state_change.forget();
    });
    registration.set_onupdatefound(Some(on_update_found.as_ref().unchecked_ref()));
    on_update_found.forget();
}

/// Activates the waiting worker and reloads once it controls the page.
pub fn apply_update() {
    let Some(container) = container() else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(value) = JsFuture::from(container.get_registration()).await else {
            return;
        };
        let Ok(registration) = value.dyn_into::<ServiceWorkerRegistration>() else {
            return;
        };
        let Some(waiting): Option<ServiceWorker> = registration.waiting() else {
            reload();
            return;
        };
        let on_controller_change = Closure::<dyn FnMut()>::new(reload);
        container.set_oncontrollerchange(Some(on_controller_change.as_ref().unchecked_ref()));
        on_controller_change.forget();
        if let Err(err) = waiting.post_message(&"SKIP_WAITING".into()) {
            leptos::logging::warn!("could not activate the new version: {err:?}");
        }
    });
}

fn reload() {
    if let Some(window) = web_sys::window()
        && let Err(err) = window.location().reload()
    {
        leptos::logging::warn!("reload failed: {err:?}");
    }
}
