//! The areas of the app. Each is a heading and its purpose until its issue fills it:
//! Today and Customers and Calendar ([front desk]), Bedside and Follow-ups and Reports
//! ([treatment room]), Complaints ([complaints]), Settings ([store]).
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
pub fn TodayPage() -> impl IntoView {
    view! { <Area title=Msg::NavToday intro=Msg::TodayIntro/> }
}

#[component]
pub fn CustomersPage() -> impl IntoView {
    view! { <Area title=Msg::NavCustomers intro=Msg::CustomersIntro/> }
}

#[component]
pub fn CalendarPage() -> impl IntoView {
    view! { <Area title=Msg::NavCalendar intro=Msg::CalendarIntro/> }
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

#[component]
pub fn SettingsPage() -> impl IntoView {
    let state = crate::state::use_app_state();
    let i18n = use_i18n();
    view! {
        <PageIntro title=Msg::NavSettings intro=Msg::SettingsIntro/>
        {move || {
            state
                .session
                .get()
                .map(|session| {
                    view! {
                        <section class="card">
                            <p>
                                {move || i18n.t(Msg::SignedInAs)} " " <strong>{session.staff_name.clone()}</strong>
                                " (" {session.role.clone()} ")"
                            </p>
                            <button type="button" on:click=move |_| state.sign_out()>
                                {move || i18n.t(Msg::SignOut)}
                            </button>
                        </section>
                    }
                })
        }}
    }
}
