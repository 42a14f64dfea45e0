use leptos::prelude::*;

use crate::i18n::Msg;
use crate::state::use_i18n;

/// A page's heading and the sentence that says what the page is for.
#[component]
pub fn PageIntro(title: Msg, intro: Msg) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{move || i18n.t(title)}</h1>
        <p class="page-intro">{move || i18n.t(intro)}</p>
    }
}
