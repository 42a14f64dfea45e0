//! A customer's privacy rights on her file, for the roles the core allows: export everything
//! about her as a file (works offline, from the device's records; logged in the audit log), and
//! erase her (manager only, after confirmation): the core's `customer.erase` tombstone reaches
//! every device through sync, and the server redacts its history.
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use orchid_core::ids::CustomerId;
use orchid_core::permission::{self, Sensitivity};
use orchid_core::sync::Change;

use crate::components::store_error_text;
use crate::i18n::Lang;
use crate::state::audit::log_export;
use crate::state::download::download;
use crate::state::{use_i18n, use_store};

fn words(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

#[component]
pub fn CustomerPrivacy(customer: CustomerId) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let navigate = use_navigate();
    let role = store.role();
    let may_export = permission::allowed(
        role,
        permission::Action::CustomerExport,
        Sensitivity::Sensitive,
    );
    let may_erase = permission::allowed(
        role,
        permission::Action::CustomerErase,
        Sensitivity::Sensitive,
    );
    let message = RwSignal::new(None::<String>);
    let export = move |_| {
        let lang = i18n.lang();
        let Some(data) = store
            .with_view(|replica, _| replica.export_customer(customer))
            .flatten()
        else {
            return;
        };
        match serde_json::to_string_pretty(&data) {
            Ok(json) => {
                let name = format!("orchid-customer-{customer}.json");
                if download(&name, &json).is_err() {
                    message.set(Some(
                        words(lang, "无法生成文件。", "The file could not be made.").to_owned(),
                    ));
                    return;
                }
                leptos::task::spawn_local(log_export(store, customer));
            }
            Err(err) => message.set(Some(err.to_string())),
        }
    };
    let erase = Action::new_local(move |_: &()| {
        let lang = i18n.lang();
        let navigate = navigate.clone();
        async move {
            match store.mutate(Change::CustomerErase { id: customer }).await {
                Ok(_) => navigate("/customers", Default::default()),
                Err(e) => message.set(Some(store_error_text(lang, &e).to_owned())),
            }
        }
    });
    let confirm_erase = move |_| {
        let question = words(
            i18n.lang(),
            "确定要删除这位顾客的全部资料吗？删除会同步到所有设备，无法恢复。",
            "Erase everything about this customer? The erasure reaches every device and cannot be undone.",
        );
        let confirmed = web_sys::window()
            .and_then(|w| w.confirm_with_message(question).ok())
            .unwrap_or(false);
        if confirmed {
            erase.dispatch(());
        }
    };
    view! {
        {may_export
            .then(|| {
                view! {
                    <button type="button" class="button button--secondary" on:click=export data-testid="customer-export">
                        {move || words(i18n.lang(), "导出资料", "Export data")}
                    </button>
                    <leptos_router::components::A href=format!("/customers/{customer}/copy") attr:class="button button--secondary" attr:data-testid="customer-copy">
                        {move || crate::i18n::privacy_words::PrivacyWord::CopyLink.text(i18n.lang())}
                    </leptos_router::components::A>
                }
            })}
        {may_erase
            .then(|| {
                view! {
                    <button type="button" class="button button--danger" on:click=confirm_erase data-testid="customer-erase">
                        {move || words(i18n.lang(), "删除顾客", "Erase customer")}
                    </button>
                }
            })}
        <p class="field-error" role="alert">{move || message.get()}</p>
    }
}
