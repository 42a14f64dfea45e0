//! The store this device works in, and the other stores of the chain the signed-in person may
//! switch to — every store for the owner, those she also works in for anyone else (the list is
//! kept on the device, so switching works offline). Shown only when there is a choice.
use leptos::prelude::*;

use crate::i18n::team_words::TeamWord;
use crate::state::chain;
use crate::state::{use_app_state, use_i18n, use_store};

#[component]
pub fn StoreSwitch() -> impl IntoView {
    let state = use_app_state();
    let store = use_store();
    let i18n = use_i18n();
    let stores = chain::use_known_stores();
    // A first password opens nothing but its replacement: ask only once she chose her own.
    let signed_in = move || state.session.get().is_some_and(|s| !s.must_change_password);
    // Learn her stores whenever someone signs in and the network is there.
    Effect::new(move || {
        if signed_in() && state.online.get() {
            leptos::task::spawn_local(async move {
                // Offline or refused: the remembered list stays.
                let _ = chain::refresh_stores(&state, stores).await;
            });
        }
    });
    let choice = move || signed_in() && stores.get().len() > 1;
    let current = move || store.store_id();
    let on_change = move |ev: leptos::ev::Event| {
        let chosen = event_target_value(&ev);
        if let Some(target) = stores
            .get_untracked()
            .into_iter()
            .find(|s| s.id.to_string() == chosen)
            && Some(target.id) != current()
        {
            chain::switch_to(target.id);
        }
    };
    view! {
        <Show when=choice>
            <label class="store-switch">
                <span class="store-switch__label">{move || TeamWord::SwitchStore.text(i18n.lang())}</span>
                <select data-testid="store-switch" on:change=on_change>
                    {move || {
                        stores
                            .get()
                            .into_iter()
                            .map(|s| {
                                let selected = Some(s.id) == current();
                                view! { <option value=s.id.to_string() selected=selected>{s.name}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
        </Show>
    }
}
