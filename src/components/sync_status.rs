use chrono::Local;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::Msg;
use crate::state::store::storage_estimate;
use crate::state::{SyncPhase, use_i18n, use_store};

/// Where the device's records stand, on every page: standalone / offline / sending n of m /
/// waiting changes / last synced / the last problem in words. Problems with the store itself
/// (another tab upgraded it, storage full) show here too.
#[component]
pub fn SyncStatus() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let phase = move || {
        let s = store.sync.get();
        match s.phase {
            SyncPhase::Loading => i18n.t(Msg::SyncLoading).to_owned(),
            SyncPhase::Standalone => i18n.t(Msg::SyncStandalone).to_owned(),
            SyncPhase::Offline => i18n.t(Msg::SyncOffline).to_owned(),
            SyncPhase::Idle => i18n.t(Msg::SyncIdle).to_owned(),
            SyncPhase::Pushing { done, total } => {
                format!("{} {done} / {total}", i18n.t(Msg::SyncSending))
            }
            SyncPhase::Pulling { received } => {
                format!("{} {received}", i18n.t(Msg::SyncReceiving))
            }
            SyncPhase::Waiting => i18n.t(Msg::SyncWaiting).to_owned(),
            SyncPhase::SignInNeeded => i18n.t(Msg::SyncSignInAgain).to_owned(),
        }
    };
    let pending = move || store.sync.get().pending;
    let last = move || {
        store.sync.get().last_synced.map(|t| {
            format!(
                "{} {}",
                i18n.t(Msg::SyncLastSynced),
                t.with_timezone(&Local).format("%H:%M")
            )
        })
    };
    let problem = move || {
        store
            .open_error
            .get()
            .or_else(|| store.sync.get().last_error)
            .map(|m| i18n.t(m))
    };
    // Changes waiting to be sent in storage the browser may evict (Safari deletes a site's
    // storage after 7 days without a visit unless it is on the Home Screen; any browser may under
    // pressure): said where the waiting count is, with the way out.
    // Read again after writes, so that a grant made in Settings is seen here.
    let persisted = LocalResource::new(move || {
        store.revision.track();
        async move { storage_estimate().await.persisted }
    });
    let at_risk = move || pending() > 0 && persisted.get().is_some_and(|p| p != Some(true));
    view! {
        <div class="sync-status" role="status" data-testid="sync-status">
            <span data-testid="sync-phase">{phase}</span>
            <Show when=move || { pending() > 0 }>
                <span data-testid="sync-pending">
                    {move || format!("{} {}", i18n.t(Msg::SyncPending), pending())}
                </span>
            </Show>
            <span>{last}</span>
            <Show when=at_risk>
                <span class="sync-status__risk" data-testid="storage-at-risk">
                    {move || i18n.t(Msg::StorageAtRisk)} " "
                    <A href="/settings#settings-storage" attr:data-testid="storage-keep">{move || i18n.t(Msg::StorageHowToKeep)}</A>
                </span>
            </Show>
            // The way out, right where the problem is said: the queue stays on the device while
            // the person signs in again (or chooses her password) and then goes out.
            <Show when=move || {
                let s = store.sync.get();
                s.phase == SyncPhase::SignInNeeded || s.last_error == Some(Msg::SyncSignInAgain)
            }>
                <A href="/sign-in" attr:data-testid="sync-sign-in">{move || i18n.t(Msg::SignIn)}</A>
            </Show>
            <Show when=move || store.sync.get().last_error == Some(Msg::SyncChoosePassword)>
                <A href="/password">{move || crate::i18n::team_words::TeamWord::ChangeMyPassword.text(i18n.lang())}</A>
            </Show>
            <Show when=move || problem().is_some()>
                <span class="sync-status__problem" data-testid="sync-problem">{problem}</span>
                <Show when=move || store.open_error.get() == Some(Msg::StoreVersionChanged)>
                    <button type="button" on:click=move |_| reload_page()>
                        {move || i18n.t(Msg::Reload)}
                    </button>
                </Show>
            </Show>
        </div>
    }
}

fn reload_page() {
    if let Some(w) = web_sys::window()
        && let Err(err) = w.location().reload()
    {
        leptos::logging::warn!("could not reload: {err:?}");
    }
}
