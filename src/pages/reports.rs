//! Reports ([treatment room]): satisfaction per dimension, therapist, service and period.
use leptos::prelude::*;

use crate::components::PageIntro;
use crate::i18n::Msg;
use crate::state::use_i18n;

#[component]
pub fn ReportsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageIntro title=Msg::NavReports intro=Msg::ReportsIntro/>
        <p class="empty-state">{move || i18n.t(Msg::NothingYet)}</p>
    }
}
