//! The follow-up worklist ([treatment room]): care calls, recalls and birthdays, with outcomes.
use leptos::prelude::*;

use crate::components::PageIntro;
use crate::i18n::Msg;
use crate::state::use_i18n;

#[component]
pub fn FollowUpsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageIntro title=Msg::NavFollowUps intro=Msg::FollowUpsIntro/>
        <p class="empty-state">{move || i18n.t(Msg::NothingYet)}</p>
    }
}
