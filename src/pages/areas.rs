//! The areas of the app that are a heading and their purpose until their issue fills them:
//! Bedside, Follow-ups and Reports ([treatment room]), Complaints ([complaints]).
use leptos::prelude::*;

use crate::components::PageIntro;
use crate::i18n::Msg;
use crate::state::use_i18n;

#[component]
fn Area(title: Msg, intro: Msg) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageIntro title=title intro=intro/>
        <p class="empty-state">{move || i18n.t(Msg::NothingYet)}</p>
    }
}

#[component]
pub fn BedsidePage() -> impl IntoView {
    view! { <Area title=Msg::NavBedside intro=Msg::BedsideIntro/> }
}

#[component]
pub fn ComplaintsPage() -> impl IntoView {
    view! { <Area title=Msg::NavComplaints intro=Msg::ComplaintsIntro/> }
}

#[component]
pub fn FollowUpsPage() -> impl IntoView {
    view! { <Area title=Msg::NavFollowUps intro=Msg::FollowUpsIntro/> }
}

#[component]
pub fn ReportsPage() -> impl IntoView {
    view! { <Area title=Msg::NavReports intro=Msg::ReportsIntro/> }
}
