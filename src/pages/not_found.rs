use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::Msg;
use crate::state::use_i18n;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{move || i18n.t(Msg::NotFoundTitle)}</h1>
        <p>{move || i18n.t(Msg::NotFoundBody)}</p>
        <A href="/">{move || i18n.t(Msg::BackToToday)}</A>
    }
}
