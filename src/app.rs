//! The root component: contexts provided once, the router, the shell around every page.
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::SyncStatus;
use crate::components::search_shortcut::SearchFocusWanted;
use crate::components::{AppHeader, ComplaintAlarm, SearchShortcut, UpdateBanner};
use crate::pages::bedside::BedsidePage;
use crate::pages::calendar::CalendarPage;
use crate::pages::complaints::{
    ComplaintLibraryPage, ComplaintPage, ComplaintsPage, NewComplaintPage,
};
use crate::pages::customer::{CustomerPage, EditCustomerPage, NewCustomerPage};
use crate::pages::customers::CustomersPage;
use crate::pages::follow_ups::FollowUpsPage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::reports::ReportsPage;
use crate::pages::settings::SettingsPage;
use crate::pages::setup::SetupPage;
use crate::pages::sign_in::SignInPage;
use crate::pages::today::TodayPage;
use crate::pwa;
use crate::state::AppState;

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::load();
    provide_context(state);
    // The device's store (IndexedDB) and the sync loop: `state::use_store()` in every page.
    crate::state::provide_store(state.session);
    // Bedside mode: who unlocked the tablet; the feedback kiosk hides the shell around it.
    let bedside = crate::state::bedside::provide_bedside_ui();
    // `/` → the customer search (the shortcut and the customer list share this flag).
    provide_context(SearchFocusWanted(RwSignal::new(false)));

    // <html lang> follows the chosen language, for screen readers and fonts.
    Effect::new(move || {
        let tag = state.lang.get().tag();
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            && let Err(err) = root.set_attribute("lang", tag)
        {
            leptos::logging::warn!("could not set the page language: {err:?}");
        }
    });
    let online = state.online;
    // The handles live as long as the page: the app never unmounts.
    let _ = window_event_listener(leptos::ev::online, move |_| online.set(true));
    let _ = window_event_listener(leptos::ev::offline, move |_| online.set(false));
    pwa::register(state.update_ready);

    view! {
        <Router>
            <Show when=move || !bedside.kiosk_on()>
                <AppHeader/>
                <UpdateBanner/>
                <ComplaintAlarm/>
                <SyncStatus/>
                <SearchShortcut/>
            </Show>
            <crate::pages::bedside_kiosk::Kiosk/>
            <main id="main" class="app-main" tabindex="-1" hidden=move || bedside.kiosk_on()>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=TodayPage/>
                    <Route path=path!("/customers") view=CustomersPage/>
                    <Route path=path!("/customers/new") view=NewCustomerPage/>
                    <Route path=path!("/customers/:id") view=CustomerPage/>
                    <Route path=path!("/customers/:id/edit") view=EditCustomerPage/>
                    <Route path=path!("/calendar") view=CalendarPage/>
                    <Route path=path!("/bedside") view=BedsidePage/>
                    <Route path=path!("/complaints") view=ComplaintsPage/>
                    <Route path=path!("/complaints/new") view=NewComplaintPage/>
                    <Route path=path!("/complaints/library") view=ComplaintLibraryPage/>
                    <Route path=path!("/complaints/:id") view=ComplaintPage/>
                    <Route path=path!("/follow-ups") view=FollowUpsPage/>
                    <Route path=path!("/reports") view=ReportsPage/>
                    <Route path=path!("/settings") view=SettingsPage/>
                    <Route path=path!("/setup") view=SetupPage/>
                    <Route path=path!("/sign-in") view=SignInPage/>
                </Routes>
            </main>
        </Router>
    }
}
