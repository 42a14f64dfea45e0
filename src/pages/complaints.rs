//! Complaints from intake to archive ([complaints]): inboxes by role, the complaint's page,
//! the case library and its statistics.
use leptos::prelude::*;

use crate::components::PageIntro;
use crate::i18n::Msg;
use crate::state::use_i18n;

#[component]
pub fn ComplaintsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageIntro title=Msg::NavComplaints intro=Msg::ComplaintsIntro/>
        <p class="empty-state">{move || i18n.t(Msg::NothingYet)}</p>
    }
}
