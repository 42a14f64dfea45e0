//! "Who is working?": a shared device's lock, covering the whole app (see
//! [`crate::state::device_lock`]). Nothing about customers shows; a person of this device opens
//! it with her PIN, offline, and works as herself from then on; someone new signs in with her
//! login.
use leptos::prelude::*;
use leptos_router::components::A;

use super::pin_prompt::PinPrompt;
use crate::i18n::bedside_words::BedsideWord;
use crate::i18n::team_words::TeamWord;
use crate::state::device_lock::use_device_lock;
use crate::state::store::use_store;
use crate::state::{use_app_state, use_i18n};
use crate::storage::pins::PinRecord;

#[component]
pub fn WhoIsWorking() -> impl IntoView {
    let lock = use_device_lock();
    let state = use_app_state();
    let i18n = use_i18n();
    let people = Signal::derive(move || lock.people());
    let store = use_store();
    let on_ok = Callback::new(move |record: PinRecord| lock.open_as(&state, &store, &record));
    view! {
        <main id="main" class="app-main who-is-working" tabindex="-1" data-testid="who-is-working">
            <section class="bedside-lock" aria-labelledby="who-title">
                <h1 id="who-title">{move || TeamWord::WhoIsWorking.text(i18n.lang())}</h1>
                <p class="page-intro">{move || TeamWord::WhoIntro.text(i18n.lang())}</p>
                <Show
                    when=move || !people.get().is_empty()
                    fallback=move || view! { <p>{move || TeamWord::NobodyHere.text(i18n.lang())}</p> }
                >
                    <PinPrompt candidates=people heading=BedsideWord::WhoIsHere on_ok=on_ok testid="who-unlock"/>
                </Show>
                <p>
                    <A href="/sign-in" attr:data-testid="who-sign-in">{move || TeamWord::SignInWithLogin.text(i18n.lang())}</A>
                </p>
            </section>
        </main>
    }
}
