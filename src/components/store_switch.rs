//! The store this device works in, and the other stores of the chain the signed-in owner may
//! switch to (the list is kept on the device, so switching works offline). Shown only when there
//! is more than one store to choose from.
use leptos::prelude::*;
use orchid_core::role::Role;

use crate::i18n::team_words::Tw;
use crate::state::chain;
use crate::state::{use_app_state, use_i18n, use_store};

#[component]
pub fn StoreSwitch() -> impl IntoView {
    let state = use_app_state();
    let store = use_store();
    let i18n = use_i18n();
    let stores = RwSignal::new(chain::known_stores());
    let owner = move || {
        state
            .session
            .get()
            .is_some_and(|s| Role::from_code(&s.role) == Some(Role::Owner))
    };
    // Learn the chain's stores whenever the owner is signed in and the network is there.
    Effect::new(move || {
        if owner() && state.online.get() {
            leptos::task::spawn_local(async move {
                if let Ok(listed) = chain::refresh_stores(&state).await {
                    stores.set(listed);
                }
            });
        }
    });
    let choice = move || owner() && stores.get().len() > 1;
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
                <span class="store-switch__label">{move || Tw::SwitchStore.text(i18n.lang())}</span>
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
