//! The customer list: search as you type over every customer of the store.
use leptos::prelude::*;
use leptos_router::components::A;
use orchid_core::customer::Customer;

use crate::components::search_shortcut::{
    CUSTOMER_SEARCH_ID, SearchFocusWanted, focus_customer_search,
};
use crate::components::{PageIntro, VirtualList};
use crate::i18n::Msg;
use crate::i18n::import_words::ImportWord;
use crate::state::store::use_store;
use crate::state::use_i18n;

/// Enough for any store: the list renders only what is in view.
const MAX_HITS: usize = 100_000;

#[component]
pub fn CustomersPage() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let query = RwSignal::new(String::new());
    let hits = Memo::new(move |_| store.search_customers(&query.get(), MAX_HITS));
    let total = move || store.customer_count();
    let may_review_retention = move || store.may_erase_customers();
    // Opened with the `/` shortcut: the cursor goes to the search field once it is drawn.
    if let Some(SearchFocusWanted(wanted)) = use_context::<SearchFocusWanted>()
        && wanted.get_untracked()
    {
        wanted.set(false);
        request_animation_frame(focus_customer_search);
    }

    view! {
        <PageIntro title=Msg::NavCustomers intro=Msg::CustomersIntro/>
        <div class="toolbar">
            <label class="toolbar__search">
                <span class="visually-hidden">{move || i18n.t(Msg::CustomerSearch)}</span>
                <input
                    type="search"
                    id=CUSTOMER_SEARCH_ID
                    aria-keyshortcuts="/"
                    data-testid="customer-search"
                    placeholder=move || i18n.t(Msg::CustomerSearchHint)
                    prop:value=query
                    on:input=move |ev| query.set(event_target_value(&ev))
                />
            </label>
            <A href="/customers/new" attr:class="button">{move || i18n.t(Msg::CustomerNew)}</A>
            <A href="/customers/import" attr:class="button button--secondary" attr:data-testid="open-import">
                {move || ImportWord::OpenImport.text(i18n.lang())}
            </A>
            <Show when=may_review_retention>
                <A href="/customers/retention" attr:data-testid="retention-link">
                    {move || crate::i18n::privacy_words::PrivacyWord::RetentionTitle.text(i18n.lang())}
                </A>
            </Show>
        </div>
        <Show
            when=move || store.ready.get()
            fallback=move || view! { <p role="status">{move || i18n.t(Msg::Loading)}</p> }
        >
            <p class="list-count" role="status" data-testid="customer-count">
                {move || hits.with(|h| h.len())} " / " {total} " " {move || i18n.t(Msg::CustomerCount)}
            </p>
            <Show
                when=move || hits.with(|h| !h.is_empty())
                fallback=move || if total() == 0 {
                    view! {
                        <p class="empty-state" data-testid="customers-none-yet">
                            {move || i18n.t(Msg::CustomersNoneYet)} " "
                            <A href="/customers/new">{move || i18n.t(Msg::CustomerAddFirst)}</A>
                        </p>
                    }.into_any()
                } else {
                    view! { <p class="empty-state">{move || i18n.t(Msg::CustomerNoMatch)}</p> }.into_any()
                }
            >
                <VirtualList
                    items=hits
                    row_height=64
                    height=560
                    label=Signal::derive(move || i18n.t(Msg::NavCustomers))
                    key=|c: &Customer| format!("{}:{:?}", c.id, c.name)
                    row=|c: Customer| view! { <CustomerRow customer=c/> }
                />
            </Show>
        </Show>
    }
}

#[component]
fn CustomerRow(customer: Customer) -> impl IntoView {
    let href = format!("/customers/{}", customer.id);
    let phone = customer
        .phone
        .as_ref()
        .map(|p| p.readable())
        .unwrap_or_default();
    let member = customer
        .membership_no
        .as_ref()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_default();
    let tags = customer
        .tags
        .iter()
        .map(|t| view! { <span class="tag">{t.as_str().to_owned()}</span> })
        .collect_view();
    view! {
        <A href=href attr:class="customer-row">
            <span class="customer-row__name">{customer.name.as_str().to_owned()}</span>
            <span class="customer-row__phone">{phone}</span>
            <span class="customer-row__member">{member}</span>
            <span class="customer-row__tags">{tags}</span>
        </A>
    }
}
