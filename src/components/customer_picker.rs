//! Choosing a customer by typing: the field the booking dialog and the waitlist form share.
use leptos::prelude::*;
use orchid_core::customer::CustomerField;
use orchid_core::ids::CustomerId;
use orchid_core::permission::{self, Action as Permit, Sensitivity};
use orchid_core::sync::Change;
use orchid_core::text::Name;

use crate::components::store_error_text;
use crate::i18n::Msg;
use crate::i18n::desk_words::DeskWord;
use crate::i18n::errors::error_text;
use crate::state::store::{new_id, use_store};
use crate::state::use_i18n;

/// Suggestions shown while typing: enough to pick from, short enough to read.
const SUGGESTIONS: usize = 8;

/// A labelled search field with suggestions; a click on one sets `chosen`, whose name is shown
/// above the field (`chosen_testid` marks it for tests). `id` is the input's id.
#[component]
pub fn CustomerPicker(
    id: &'static str,
    chosen_testid: &'static str,
    chosen: RwSignal<Option<CustomerId>>,
) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let query = RwSignal::new(String::new());
    let hits = Memo::new(move |_| {
        let q = query.get();
        if q.trim().is_empty() {
            Vec::new()
        } else {
            store.search_customers(&q, SUGGESTIONS)
        }
    });
    // Nobody found: reception adds her in place, by the name typed (the rest later, in her file).
    let may_add = move || {
        store.active_role().is_some_and(|role| {
            permission::allowed(role, Permit::CustomerWrite, Sensitivity::Ordinary)
        })
    };
    let add_error = RwSignal::new(None::<String>);
    let add = Action::new_local(move |_: &()| async move {
        let lang = i18n.lang();
        let name = match Name::parse(query.get_untracked().trim()) {
            Ok(name) => name,
            Err(e) => {
                add_error.set(Some(error_text(lang, e.code()).to_owned()));
                return;
            }
        };
        let id: CustomerId = new_id();
        let change = Change::CustomerUpsert {
            id,
            fields: vec![CustomerField::Name(name)],
        };
        match store.mutate(change).await {
            Ok(_) => {
                add_error.set(None);
                chosen.set(Some(id));
                query.set(String::new());
            }
            Err(e) => add_error.set(Some(store_error_text(lang, &e).to_owned())),
        }
    });
    let offer_add =
        move || may_add() && !query.with(|q| q.trim().is_empty()) && hits.with(Vec::is_empty);
    let chosen_name = move || {
        chosen
            .get()
            .and_then(|id| store.customer(id))
            .map(|c| c.name.as_str().to_owned())
    };
    view! {
        <div class="field">
            <label for=id>{move || i18n.t(Msg::BookingCustomer)}</label>
            <Show when=move || chosen_name().is_some()>
                <p class="chosen" data-testid=chosen_testid>{chosen_name}</p>
            </Show>
            <input
                id=id
                type="search"
                placeholder=move || i18n.t(Msg::CustomerSearchHint)
                prop:value=query
                on:input=move |ev| query.set(event_target_value(&ev))
            />
            <ul class="suggestions">
                <For
                    each=move || hits.get()
                    key=|c| c.id
                    children=move |c| {
                        let id = c.id;
                        let label = format!("{} {}", c.name.as_str(), c.phone.as_ref().map(|p| p.readable()).unwrap_or_default());
                        view! {
                            <li>
                                <button type="button" class="button--secondary" on:click=move |_| { chosen.set(Some(id)); query.set(String::new()); }>
                                    {label}
                                </button>
                            </li>
                        }
                    }
                />
            </ul>
            <Show when=offer_add>
                <button type="button" class="button--secondary" data-testid="picker-add-customer" on:click=move |_| { add.dispatch(()); }>
                    {move || format!("{} {}", DeskWord::AddAsNewCustomer.text(i18n.lang()), query.get().trim())}
                </button>
            </Show>
            <p class="field-error" role="alert">{move || add_error.get()}</p>
        </div>
    }
}
