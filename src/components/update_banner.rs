use leptos::prelude::*;

use crate::i18n::Msg;
use crate::pwa;
use crate::state::{use_app_state, use_i18n};

/// "A new version is ready — reload", shown while a new service worker waits.
#[component]
pub fn UpdateBanner() -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    view! {
        <Show when=move || state.update_ready.get()>
            <div class="update-banner" role="alert" data-testid="update-banner">
                <span>{move || i18n.t(Msg::UpdateReady)}</span>
                <button type="button" on:click=move |_| pwa::apply_update()>
                    {move || i18n.t(Msg::Reload)}
                </button>
            </div>
        </Show>
    }
}
