//! Customers past the store's keeping time ([privacy], PIPL art. 47): the core's list, longest
//! ago first, each with her last contact and a link to her file, where a manager erases her after
//! looking. Offline like every page; only roles that may erase see the list (the core's matrix:
//! `CustomerErase`), and the erasure itself is checked by the core and the server.
use leptos::prelude::*;
use leptos_router::components::A;

use crate::format::local_text;
use crate::i18n::privacy_words::PrivacyWord;
use crate::state::store::{store_offset, use_store};
use crate::state::use_i18n;

#[component]
pub fn RetentionPage() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let may_erase = move || store.may_erase_customers();
    let past = Memo::new(move |_| {
        if may_erase() {
            store.past_retention()
        } else {
            Vec::new()
        }
    });
    view! {
        <h1>{move || PrivacyWord::RetentionTitle.text(lang())}</h1>
        <p class="page-intro">{move || PrivacyWord::RetentionIntro.text(lang())}</p>
        <Show when=move || store.ready.get() fallback=|| ()>
            <Show
                when=may_erase
                fallback=move || view! {
                    <p class="empty-state" data-testid="retention-not-allowed">{move || PrivacyWord::RetentionOnlyManagers.text(lang())}</p>
                }
            >
                <p data-testid="retention-months">
                    {move || PrivacyWord::RetentionKeptFor.text(lang())}
                    {move || store.retention_months()}
                    " · "
                    <A href="/setup">{move || crate::i18n::setup_words::SetupWord::Title.text(lang())}</A>
                </p>
                <Show when=move || past.get().is_empty()>
                    <p class="empty-state" data-testid="retention-none">{move || PrivacyWord::RetentionNone.text(lang())}</p>
                </Show>
                <Show when=move || !past.get().is_empty()>
                    <table class="retention-list" data-testid="retention-list">
                        <thead>
                            <tr>
                                <th scope="col">{move || PrivacyWord::CustomerName.text(lang())}</th>
                                <th scope="col">{move || PrivacyWord::LastContact.text(lang())}</th>
                                <th scope="col"><span class="visually-hidden">{move || PrivacyWord::RetentionReview.text(lang())}</span></th>
                            </tr>
                        </thead>
                        <tbody>
                            <For each=move || past.get() key=|p| (p.customer.id, p.last_contact) let:p>
                                {
                                    let when = local_text(store_offset(store), p.last_contact);
                                    let href = format!("/customers/{}", p.customer.id);
                                    view! {
                                        <tr data-testid="retention-row">
                                            <td>{p.customer.name.to_string()}</td>
                                            <td>{when}</td>
                                            <td><A href=href>{move || PrivacyWord::RetentionReview.text(lang())}</A></td>
                                        </tr>
                                    }
                                }
                            </For>
                        </tbody>
                    </table>
                </Show>
            </Show>
        </Show>
    }
}
