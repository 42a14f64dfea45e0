//! The PIN pad: who is at the device, then her PIN, checked on the device (Argon2id) with the
//! device's growing waits after wrong PINs. Used by the "who is working?" lock, the bedside lock,
//! the supervisor's override and the kiosk's staff exit.
use leptos::prelude::*;
use orchid_core::ids::StaffId;
use orchid_core::role::Role;

use crate::i18n::bedside_words::{BedsideWord, wait_text};
use crate::i18n::labels::role_name;
use crate::state::bedside::now_ms;
use crate::state::use_i18n;
use crate::storage::pins::{self, PinRecord, Throttle};

/// Lets the browser paint (e.g. "checking…") before a slow synchronous step such as Argon2.
pub async fn let_browser_paint() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let scheduled = web_sys::window().and_then(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 30)
                .ok()
        });
        if scheduled.is_none() {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Asks one of `candidates` for her PIN (checked on the device, throttled) and calls `on_ok`.
#[component]
pub fn PinPrompt(
    candidates: Signal<Vec<PinRecord>>,
    heading: BedsideWord,
    on_ok: Callback<PinRecord>,
    testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let chosen = RwSignal::new(None::<StaffId>);
    let pin = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let checking = RwSignal::new(false);
    let input_id = format!("{testid}-pin");
    // With one person to choose, she is chosen.
    Effect::new(move || {
        let list = candidates.get();
        if list.len() == 1 {
            chosen.set(list.first().map(|r| r.staff_id));
        }
    });
    let submit = move || {
        let lang = i18n.lang();
        let Some(record) = candidates
            .get_untracked()
            .into_iter()
            .find(|r| Some(r.staff_id) == chosen.get_untracked())
        else {
            error.set(Some(BedsideWord::ChoosePerson.text(lang).to_owned()));
            return;
        };
        let mut throttle = Throttle::load();
        let wait = throttle.wait_secs(now_ms());
        if wait > 0 {
            error.set(Some(wait_text(lang, wait)));
            return;
        }
        checking.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let_browser_paint().await;
            let typed = pin.get_untracked();
            let ok = pins::verify_pin(&typed, &record.pin_hash);
            checking.set(false);
            pin.set(String::new());
            if ok {
                throttle.succeeded();
                on_ok.run(record);
            } else {
                let wait = throttle.failed(now_ms());
                error.set(Some(if wait > 0 {
                    wait_text(lang, wait)
                } else {
                    BedsideWord::WrongPin.text(lang).to_owned()
                }));
            }
        });
    };
    let key = move |d: char| {
        pin.update(|p| {
            if p.len() < 12 {
                p.push(d);
            }
        })
    };
    let input_for_label = input_id.clone();
    view! {
        <form
            class="pin-prompt"
            data-testid=testid
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            <fieldset class="pin-people">
                <legend>{move || i18n.bw(heading)}</legend>
                {move || {
                    candidates
                        .get()
                        .into_iter()
                        .map(|r| {
                            let id = r.staff_id;
                            let role = Role::from_code(&r.role);
                            view! {
                                <button
                                    type="button"
                                    class="pin-person"
                                    aria-pressed=move || if chosen.get() == Some(id) { "true" } else { "false" }
                                    on:click=move |_| chosen.set(Some(id))
                                >
                                    <strong>{r.staff_name.clone()}</strong>
                                    <span>{move || role.map(|role| role_name(i18n.lang(), role)).unwrap_or_default()}</span>
                                </button>
                            }
                        })
                        .collect_view()
                }}
            </fieldset>
            <label for=input_for_label>{move || i18n.bw(BedsideWord::Pin)}</label>
            <input
                id=input_id
                class="pin-input"
                type="password"
                inputmode="numeric"
                autocomplete="off"
                maxlength="12"
                prop:value=pin
                on:input=move |ev| pin.set(event_target_value(&ev).chars().filter(char::is_ascii_digit).collect())
            />
            <div class="pin-keypad" role="group" aria-label=move || i18n.bw(BedsideWord::Keypad)>
                {['1', '2', '3', '4', '5', '6', '7', '8', '9']
                    .into_iter()
                    .map(|d| view! { <button type="button" on:click=move |_| key(d)>{d.to_string()}</button> })
                    .collect_view()}
                <button type="button" aria-label=move || i18n.bw(BedsideWord::ClearPin) on:click=move |_| pin.set(String::new())>"C"</button>
                <button type="button" on:click=move |_| key('0')>"0"</button>
                <button type="button" aria-label=move || i18n.bw(BedsideWord::DeleteDigit) on:click=move |_| pin.update(|p| { p.pop(); })>"⌫"</button>
            </div>
            <p class="form-error" role="alert" data-testid=format!("{testid}-error")>{move || error.get()}</p>
            <button type="submit" class="button--large" disabled=move || checking.get()>
                {move || if checking.get() { i18n.bw(BedsideWord::Checking) } else { i18n.bw(BedsideWord::Unlock) }}
            </button>
        </form>
    }
}
