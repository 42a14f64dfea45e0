//! Settings of this device: who is signed in, pairing with the store's server, sync, storage
//! (usage, quota, persistence) and backups.
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::PageIntro;
use crate::i18n::Msg;
use crate::i18n::store_words::StoreWord;
use crate::state::download::download;
use crate::state::store::{request_persistent_storage, storage_estimate};
use crate::state::{use_app_state, use_i18n, use_store};
use crate::storage::repo::Pairing;

/// A size as people read it: MB, or GB from 1,024 MB (a quota of "5128.1 MB" reads badly).
fn readable_size(bytes: Option<f64>) -> String {
    bytes.map_or_else(
        || "?".to_owned(),
        |b| {
            let mb = b / 1_048_576.0;
            if mb >= 1024.0 {
                format!("{:.1} GB", mb / 1024.0)
            } else {
                format!("{mb:.1} MB")
            }
        },
    )
}

/// One change the server refused, in words (the sync status keeps the core's error code).
fn refused_line(lang: crate::i18n::Lang, mutation_id: u64, code: &str) -> String {
    format!(
        "#{mutation_id}: {}",
        crate::i18n::errors::error_text(lang, code)
    )
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let state = use_app_state();
    let store = use_store();
    let i18n = use_i18n();

    // Storage figures, refreshed after every change and after asking for persistence.
    let asked = RwSignal::new(0u32);
    let estimate = LocalResource::new(move || {
        store.revision.track();
        asked.track();
        storage_estimate()
    });
    let persist = Action::new_local(move |_: &()| async move {
        let granted = request_persistent_storage().await;
        asked.update(|n| *n += 1);
        granted
    });
    let sync_now = move |_| crate::sync::run::kick();
    let evict = Action::new_local(move |_: &()| async move { store.evict_old_records().await });

    let backup_message = RwSignal::new(None::<Msg>);
    let export = Action::new_local(move |_: &()| async move {
        match store.export_backup().await {
            Ok(json) => {
                let name = format!(
                    "orchid-backup-{}.json",
                    chrono::Local::now().format("%Y%m%d-%H%M")
                );
                if download(&name, &json).is_err() {
                    backup_message.set(Some(Msg::StoreReadFailed));
                }
            }
            Err(e) => backup_message.set(Some(e.msg())),
        }
    });
    let restore = Action::new_local(move |text: &String| {
        let text = text.clone();
        async move {
            match store.restore_backup(&text).await {
                Ok(()) => backup_message.set(Some(Msg::BackupRestored)),
                Err(e) => backup_message.set(Some(e.msg())),
            }
        }
    });
    let on_file = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        let confirmed = web_sys::window()
            .and_then(|w| {
                w.confirm_with_message(i18n.t(Msg::BackupRestoreConfirm))
                    .ok()
            })
            .unwrap_or(false);
        if !confirmed {
            input.set_value("");
            return;
        }
        leptos::task::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                Ok(text) => {
                    restore.dispatch(text.as_string().unwrap_or_default());
                }
                Err(_) => backup_message.set(Some(Msg::BackupInvalid)),
            }
        });
    };
    let unpair = Action::new_local(move |_: &()| async move {
        if let Err(e) = store.unpair().await {
            backup_message.set(Some(e.msg()));
        }
    });

    let may_set_up = move || {
        store.revision.track();
        orchid_core::permission::allowed(
            store.role(),
            orchid_core::permission::Action::StoreSettings,
            orchid_core::permission::Sensitivity::Ordinary,
        )
    };
    view! {
        <PageIntro title=Msg::NavSettings intro=Msg::SettingsIntro/>
        <Show when=may_set_up>
            <p>
                <A href="/setup" attr:class="button button--secondary">
                    {move || crate::i18n::setup_words::SetupWord::Title.text(i18n.lang())}
                </A>
            </p>
        </Show>
        // The cards one under the other with room between them.
        <div class="settings-cards">
        {move || {
            state
                .session
                .get()
                .map(|session| {
                    // The role in the reader's language (the session keeps the wire code,
                    // which is shown only for a role this version does not know).
                    let code = session.role.clone();
                    let role = move || match orchid_core::role::Role::from_code(&code) {
                        Some(role) => crate::i18n::labels::role_name(i18n.lang(), role).to_owned(),
                        None => code.clone(),
                    };
                    view! {
                        <section class="card">
                            <p data-testid="signed-in-as">
                                {move || i18n.t(Msg::SignedInAs)} " " <strong>{session.staff_name.clone()}</strong>
                                " (" {role} ")"
                            </p>
                            <button type="button" on:click=move |_| state.sign_out()>
                                {move || i18n.t(Msg::SignOut)}
                            </button>
                            " "
                            <A href="/password" attr:class="button button--secondary" attr:data-testid="change-my-password">
                                {move || crate::i18n::team_words::TeamWord::ChangeMyPassword.text(i18n.lang())}
                            </A>
                        </section>
                    }
                })
        }}
        <crate::pages::bedside::PinSetup/>
        <crate::pages::bedside::LockSetting/>
        <section class="card" aria-labelledby="settings-device" data-testid="settings-device">
            <h2 id="settings-device">{move || i18n.t(Msg::SettingsDevice)}</h2>
            {move || match store.pairing() {
                Some(Pairing::Paired { by_name, at, .. }) => {
                    view! {
                        <p data-testid="pairing">
                            {i18n.t(Msg::DevicePairedBy)} " " <strong>{by_name}</strong> " · " {at.chars().take(10).collect::<String>()}
                        </p>
                        <button type="button" class="button--secondary" on:click=move |_| { unpair.dispatch(()); }>
                            {i18n.t(Msg::Unpair)}
                        </button>
                    }
                        .into_any()
                }
                Some(Pairing::Standalone) => {
                    view! {
                        <p data-testid="pairing">{i18n.t(Msg::DeviceStandalone)}</p>
                        <p>{i18n.t(Msg::PairIntro)} " " <A href="/sign-in">{i18n.t(Msg::SignIn)}</A></p>
                    }
                        .into_any()
                }
                None => view! { <p>{i18n.t(Msg::SyncLoading)}</p> }.into_any(),
            }}
            <p>
                {move || i18n.t(Msg::SyncPending)} " "
                <strong data-testid="settings-pending">{move || store.pending_count()}</strong>
            </p>
            <button type="button" on:click=sync_now data-testid="sync-now">{move || i18n.t(Msg::SyncNow)}</button>
            <Show when=move || !store.sync.get().rejected.is_empty()>
                <p>{move || i18n.t(Msg::SyncRejected)}</p>
                <ul data-testid="sync-rejected">
                    {move || {
                        store
                            .sync
                            .get()
                            .rejected
                            .into_iter()
                            .map(|(id, code)| {
                                view! { <li>{move || refused_line(i18n.lang(), id, &code)}</li> }
                            })
                            .collect_view()
                    }}
                </ul>
            </Show>
        </section>
        <section class="card" aria-labelledby="settings-storage">
            <h2 id="settings-storage">{move || i18n.t(Msg::StorageHeading)}</h2>
            <Transition fallback=move || view! { <p>{i18n.t(Msg::SyncLoading)}</p> }>
                {move || {
                    estimate
                        .get()
                        .map(|e| {
                            view! {
                                <p data-testid="storage-usage">
                                    {i18n.t(Msg::StorageUsed)} " " {readable_size(e.usage)} " / " {readable_size(e.quota)}
                                </p>
                                <p data-testid="storage-persisted">
                                    {if e.persisted == Some(true) {
                                        i18n.t(Msg::StoragePersistent)
                                    } else {
                                        i18n.t(Msg::StorageNotPersistent)
                                    }}
                                </p>
                                <Show when=move || e.persisted != Some(true)>
                                    <p data-testid="storage-install-hint">{i18n.t(Msg::StorageInstallHint)}</p>
                                    <button type="button" class="button--secondary" on:click=move |_| { persist.dispatch(()); }>
                                        {i18n.t(Msg::StorageAskPersist)}
                                    </button>
                                </Show>
                            }
                        })
                }}
            </Transition>
            <p>{move || StoreWord::EvictIntro.text(i18n.lang())}</p>
            <p data-testid="evictable">{move || StoreWord::EvictCount.text(i18n.lang())} {move || store.evictable_count()}</p>
            <button type="button" class="button--secondary" data-testid="evict-old" disabled=move || evict.pending().get() on:click=move |_| { evict.dispatch(()); }>
                {move || StoreWord::EvictButton.text(i18n.lang())}
            </button>
            <p role="status" data-testid="evict-message">
                {move || evict.value().get().map(|r| match r {
                    Ok(n) => format!("{}{n}", StoreWord::EvictDone.text(i18n.lang())),
                    Err(e) => i18n.t(e.msg()).to_owned(),
                })}
            </p>
        </section>
        <section class="card" aria-labelledby="settings-backup">
            <h2 id="settings-backup">{move || i18n.t(Msg::BackupHeading)}</h2>
            <p>{move || i18n.t(Msg::BackupIntro)}</p>
            <button type="button" on:click=move |_| { export.dispatch(()); } data-testid="backup-export">
                {move || i18n.t(Msg::BackupExport)}
            </button>
            // Its own field under the export button, not run on after it on the same line.
            <div class="field backup-restore">
                <label for="backup-file">{move || i18n.t(Msg::BackupRestore)}</label>
                <input id="backup-file" type="file" accept="application/json,.json" on:change=on_file data-testid="backup-file"/>
            </div>
            <p role="status" data-testid="backup-message">{move || backup_message.get().map(|m| i18n.t(m))}</p>
        </section>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::{readable_size, refused_line};
    use crate::i18n::Lang;

    #[test]
    fn a_refused_change_reads_in_words() {
        assert_eq!(
            refused_line(Lang::En, 12, "text.empty"),
            "#12: Please fill this in."
        );
        assert_eq!(
            refused_line(Lang::Zh, 12, "text.empty"),
            "#12: 请填写此项。"
        );
        assert!(!refused_line(Lang::En, 3, "some.new_code").contains("some.new_code"));
    }

    #[test]
    fn sizes_read_in_mb_then_gb() {
        assert_eq!(readable_size(None), "?");
        assert_eq!(readable_size(Some(8.5 * 1_048_576.0)), "8.5 MB");
        assert_eq!(readable_size(Some(1023.0 * 1_048_576.0)), "1023.0 MB");
        assert_eq!(readable_size(Some(5128.1 * 1_048_576.0)), "5.0 GB");
    }
}
