//! Each person's PIN to open a device with no server ([`crate::state::local_people`]), in Set-up →
//! Logins and in the first-use guide's team step. The acting person sets her own first; then the
//! manager or the owner sets each colleague's.
use leptos::prelude::*;
use orchid_core::ids::StaffId;

use super::pin_prompt::let_browser_paint;
use crate::i18n::Lang;
use crate::i18n::bedside_words::BedsideWord;
use crate::i18n::labels::role_name;
use crate::i18n::team_words::TeamWord;
use crate::state::device_lock::use_device_lock;
use crate::state::local_people::LocalPinError;
use crate::state::store::use_store;
use crate::state::use_i18n;

fn error_text(lang: Lang, error: LocalPinError) -> &'static str {
    match error {
        LocalPinError::NotStandalone => TeamWord::NeedsNetwork.text(lang),
        LocalPinError::NotAllowed => TeamWord::PinsNotAllowed.text(lang),
        LocalPinError::OwnPinFirst => TeamWord::OwnPinFirst.text(lang),
        LocalPinError::NotActive => TeamWord::PinNotActive.text(lang),
        LocalPinError::Shape(code) => crate::i18n::errors::error_text(lang, code),
        LocalPinError::Mismatch => BedsideWord::PinMismatch.text(lang),
        LocalPinError::Unavailable => BedsideWord::PinRefused.text(lang),
    }
}

#[component]
pub fn LocalPins() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lock = use_device_lock();
    let lang = move || i18n.lang();
    let changed = RwSignal::new(0u32);
    let people = Memo::new(move |_| {
        changed.track();
        lock.pins_changed.track();
        store.local_people()
    });
    let mine_set = move || people.with(|list| list.iter().any(|p| p.is_me && p.has_pin));
    let editing = RwSignal::new(None::<StaffId>);
    let first = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let error = RwSignal::new(None::<&'static str>);
    let saved = RwSignal::new(None::<String>);
    let save = Action::new_local(move |staff: &StaffId| {
        let staff = *staff;
        let unnamed = people.with_untracked(|list| {
            list.iter()
                .find(|p| p.staff_id == staff)
                .map(|p| role_name(i18n.lang(), p.role))
                .unwrap_or_default()
        });
        async move {
            // Hashing takes a moment: the button shows it is busy first.
            let_browser_paint().await;
            store.set_local_pin(
                staff,
                unnamed,
                &first.get_untracked(),
                &again.get_untracked(),
            )
        }
    });
    Effect::new(move || match save.value().get() {
        Some(Ok(())) => {
            let name = people.with_untracked(|list| {
                list.iter()
                    .find(|p| Some(p.staff_id) == editing.get_untracked())
                    .map(|p| {
                        if p.name.is_empty() {
                            role_name(i18n.lang(), p.role).to_owned()
                        } else {
                            p.name.clone()
                        }
                    })
            });
            error.set(None);
            saved.set(name);
            editing.set(None);
            first.set(String::new());
            again.set(String::new());
            changed.update(|n| *n += 1);
            lock.pins_changed.update(|n| *n += 1);
        }
        Some(Err(e)) => error.set(Some(error_text(i18n.lang(), e))),
        None => {}
    });
    let open = move |staff: StaffId| {
        editing.set(Some(staff));
        error.set(None);
        saved.set(None);
        first.set(String::new());
        again.set(String::new());
    };
    view! {
        <section class="card local-pins" aria-labelledby="local-pins-title" data-testid="local-pins">
            <h3 id="local-pins-title">{move || TeamWord::LocalPinsTitle.text(lang())}</h3>
            <p class="hint">{move || TeamWord::LocalPinsIntro.text(lang())}</p>
            <Show when=move || !mine_set()>
                <p class="hint" data-testid="own-pin-first">{move || TeamWord::OwnPinFirst.text(lang())}</p>
            </Show>
            {move || saved.get().map(|name| view! {
                <p role="status" data-testid="local-pin-saved">{name} " · " {move || TeamWord::LocalPinSaved.text(lang())}</p>
            })}
            <ul class="plain-list local-pins__list">
                <For each=move || people.get() key=|p| (p.staff_id, p.has_pin, p.is_me) let:person>
                    {
                        let id = person.staff_id;
                        let role = person.role;
                        let is_me = person.is_me;
                        let has_pin = person.has_pin;
                        let blocked = move || !is_me && !mine_set();
                        let name = person.name.clone();
                        // The device's owner off the staff list goes by her role alone.
                        let who = move || {
                            if name.is_empty() {
                                role_name(lang(), role).to_owned()
                            } else {
                                format!("{name} · {}", role_name(lang(), role))
                            }
                        };
                        view! {
                            <li class="local-pins__row" data-testid="local-pin-row">
                                <span class="local-pins__who">
                                    <strong>{who}</strong>
                                    {is_me.then(|| view! { <span>{move || TeamWord::You.text(lang())}</span> })}
                                </span>
                                <span class="badge" data-testid="local-pin-state">
                                    {move || if has_pin { TeamWord::HasPin.text(lang()) } else { TeamWord::NoPin.text(lang()) }}
                                </span>
                                <button
                                    type="button"
                                    class="button--secondary"
                                    data-testid="local-pin-set"
                                    aria-expanded=move || (editing.get() == Some(id)).to_string()
                                    disabled=blocked
                                    on:click=move |_| open(id)
                                >
                                    {move || if has_pin { TeamWord::ChangePin.text(lang()) } else { TeamWord::SetPin.text(lang()) }}
                                </button>
                                <Show when=move || editing.get() == Some(id)>
                                    <form class="local-pins__form" data-testid="local-pin-form" on:submit=move |ev| {
                                        ev.prevent_default();
                                        save.dispatch(id);
                                    }>
                                        <div class="field">
                                            <label for="local-pin">{move || BedsideWord::NewPin.text(lang())}</label>
                                            <input id="local-pin" type="password" inputmode="numeric" autocomplete="new-password" maxlength="12" prop:value=first on:input=move |ev| first.set(event_target_value(&ev))/>
                                        </div>
                                        <div class="field">
                                            <label for="local-pin-again">{move || BedsideWord::RepeatPin.text(lang())}</label>
                                            <input id="local-pin-again" type="password" inputmode="numeric" autocomplete="new-password" maxlength="12" prop:value=again on:input=move |ev| again.set(event_target_value(&ev))/>
                                        </div>
                                        <p class="form-error" role="alert" data-testid="local-pin-error">{move || error.get()}</p>
                                        <div class="form-actions">
                                            <button type="button" class="button--secondary" on:click=move |_| editing.set(None)>{move || TeamWord::Cancel.text(lang())}</button>
                                            <button type="submit" data-testid="local-pin-save" disabled=move || save.pending().get()>{move || BedsideWord::SavePin.text(lang())}</button>
                                        </div>
                                    </form>
                                </Show>
                            </li>
                        }
                    }
                </For>
            </ul>
        </section>
    }
}
