//! Bedside mode ([treatment room]): PIN unlock, the therapist's day, the visit (consultation,
//! contraindication check, the SOP steps), the feedback kiosk, auto-lock.
use leptos::prelude::*;

use crate::components::PageIntro;
use crate::i18n::Msg;
use crate::state::use_i18n;

#[component]
pub fn BedsidePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageIntro title=Msg::NavBedside intro=Msg::BedsideIntro/>
        <p class="empty-state">{move || i18n.t(Msg::NothingYet)}</p>
    }
}

/// Steps of today's service flows past their time limit, for the Today page.
#[component]
pub fn OverdueSteps() -> impl IntoView {}
