//! A page shown only to the roles whose work it is ([`orchid_core::permission::may_open`]); to
//! anyone else a plain "not available for your role" page, never a broken or empty one. The
//! server refuses the actions themselves whatever a page shows; this keeps each role's app to
//! its own work, and follows the active person reactively (a PIN switch, a sign-in, the store
//! opening after a deep link).
use leptos::prelude::*;
use leptos_router::components::A;
use orchid_core::permission::{Area, may_open};

use crate::i18n::Msg;
use crate::i18n::labels::role_name;
use crate::i18n::team_words::TeamWord;
use crate::state::{use_i18n, use_store};

#[component]
pub fn RoleGate(area: Area, children: ChildrenFn) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    // Until the store is open the role is not known: wait rather than show a refusal.
    let verdict = Memo::new(move |_| {
        if !store.ready.get() {
            return None;
        }
        // Nobody may act (a paired device signed out): the page itself asks for a sign-in.
        Some(store.active_role().is_none_or(|role| may_open(role, area)))
    });
    move || match verdict.get() {
        None => view! { <p role="status">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
        Some(true) => children().into_any(),
        Some(false) => view! { <NotForRole/> }.into_any(),
    }
}

#[component]
fn NotForRole() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let role = move || {
        store
            .active_role()
            .map(|r| role_name(i18n.lang(), r))
            .unwrap_or_default()
    };
    view! {
        <section class="card not-for-role" data-testid="not-for-role" aria-labelledby="not-for-role-title">
            <h1 id="not-for-role-title">{move || TeamWord::NotForRoleTitle.text(i18n.lang())}</h1>
            <p>{move || TeamWord::NotForRoleBody.text(i18n.lang())} " " <strong>{role}</strong></p>
            <p><A href="/">{move || TeamWord::BackToToday.text(i18n.lang())}</A></p>
        </section>
    }
}
