//! The alarm of an unacknowledged critical complaint, on every page of every device of the
//! store until someone acknowledges it (\[complaints\]).
//!
//! "Unacknowledged" is read from the complaint's log: a critical complaint whose first response
//! (the emergency response, 启动应急处理) is not recorded yet. Acknowledging writes that event, so
//! it syncs and the alarm goes off on every device; on the device that logged the complaint it
//! shows at once, also offline. Where the browser allows, a system notification is shown too; the
//! permission is only asked for from a button.
use std::collections::BTreeSet;

use chrono::Utc;
use leptos::prelude::*;
use leptos_router::components::A;
use orchid_core::complaint::{ComplaintEventKind, ComplaintView, Severity};
use orchid_core::ids::ComplaintId;
use orchid_core::permission::Action;

use crate::i18n::Lang;
use crate::i18n::complaint_words::ComplaintWord;
use crate::pages::complaints::{Countdown, customer_name, cw, excerpt, may, reference, use_clock};
use crate::state::complaints::complaint_event;
use crate::state::store::use_store;
use crate::state::use_i18n;

fn unacknowledged_critical(c: &ComplaintView) -> bool {
    c.severity == Severity::Critical && c.is_open() && c.deadline.met_at.is_none()
}

/// The browser's notification permission: "granted", "denied", "default", or none if the
/// browser has no notifications.
fn notification_permission() -> Option<String> {
    let window = web_sys::window()?;
    let has = js_sys::Reflect::has(&window, &"Notification".into()).unwrap_or(false);
    has.then(web_sys::Notification::permission)
        .map(|p| match p {
            web_sys::NotificationPermission::Granted => "granted",
            web_sys::NotificationPermission::Denied => "denied",
            _ => "default",
        })
        .map(str::to_owned)
}

fn notify(lang: Lang, c: &ComplaintView) {
    let options = web_sys::NotificationOptions::new();
    options.set_body(&excerpt(c.description.as_str(), 80));
    options.set_tag(&format!("complaint-{}", c.id));
    options.set_require_interaction(true);
    let title = format!("{} {}", ComplaintWord::AlarmTitle.text(lang), reference(c));
    if let Err(e) = web_sys::Notification::new_with_options(&title, &options) {
        leptos::logging::warn!("could not show a notification: {e:?}");
    }
}

#[component]
pub fn ComplaintAlarm() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let now = use_clock();
    let alarms = Memo::new(move |_| {
        // Reacts to store changes (and sync); the clock only refreshes the countdown below.
        let mut list: Vec<ComplaintView> = store
            .complaints(Utc::now())
            .into_iter()
            .filter(unacknowledged_critical)
            .collect();
        list.sort_by_key(|c| c.received_at);
        list
    });
    let permission = RwSignal::new(notification_permission());
    // Each alarm is notified once per page load, not on every store change.
    let notified = StoredValue::new(BTreeSet::<ComplaintId>::new());
    Effect::new(move || {
        let list = alarms.get();
        if permission.get().as_deref() != Some("granted") {
            return;
        }
        for c in &list {
            let fresh = notified
                .try_update_value(|n| n.insert(c.id))
                .unwrap_or(false);
            if fresh {
                notify(i18n.lang(), c);
            }
        }
    });
    let ask = move |_| {
        if let Ok(promise) = web_sys::Notification::request_permission() {
            leptos::task::spawn_local(async move {
                let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
                permission.set(notification_permission());
            });
        }
    };
    let error = RwSignal::new(None::<&'static str>);
    let acknowledge = move |id: ComplaintId| {
        let change = complaint_event(
            store,
            id,
            ComplaintEventKind::EmergencyResponseStarted {
                note: Default::default(),
            },
        );
        leptos::task::spawn_local(async move {
            let result = match change {
                Ok(change) => store.mutate(change).await.map(|_| ()),
                Err(e) => Err(e),
            };
            error.set(
                result
                    .err()
                    .map(|e| crate::components::store_error_text(i18n.lang(), &e)),
            );
        });
    };
    let may_ack = move || may(store, Action::ComplaintHandle);
    view! {
        <Show when=move || alarms.with(|a| !a.is_empty())>
            <div class="complaint-alarm" role="alert" data-testid="complaint-alarm">
                <For
                    each=move || alarms.get()
                    key=|c| (c.id, c.number.clone())
                    children=move |c| {
                        let id = c.id;
                        let who = customer_name(store, &c);
                        let label = format!("{} {} · {}", reference(&c), who, excerpt(c.description.as_str(), 40));
                        let deadline = c.deadline.clone();
                        view! {
                            <div class="complaint-alarm__item">
                                <strong>{move || cw(i18n, ComplaintWord::AlarmTitle)}</strong>
                                " " <A href=format!("/complaints/{id}")>{label}</A>
                                " " <Countdown deadline=deadline now=now/>
                                <Show
                                    when=may_ack
                                    fallback=move || view! { <span class="complaint-alarm__tell">{move || cw(i18n, ComplaintWord::AlarmTellManager)}</span> }
                                >
                                    <button type="button" class="complaint-alarm__ack" data-testid="alarm-acknowledge" on:click=move |_| acknowledge(id)>
                                        {move || cw(i18n, ComplaintWord::AcknowledgeStart)}
                                    </button>
                                </Show>
                            </div>
                        }
                    }
                />
                <Show when=move || permission.get().as_deref() == Some("default") || error.with(Option::is_some)>
                    <div class="complaint-alarm__item">
                        <Show when=move || permission.get().as_deref() == Some("default")>
                            <button type="button" class="button--secondary complaint-alarm__notify" on:click=ask>
                                {move || cw(i18n, ComplaintWord::EnableNotifications)}
                            </button>
                        </Show>
                        <p class="form-error">{move || error.get()}</p>
                    </div>
                </Show>
            </div>
        </Show>
    }
}
