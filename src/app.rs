//! The root component: contexts provided once, the router, the shell around every page.
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::{Lazy, LazyRoute, lazy_route, path};
use orchid_core::permission::Area;

use crate::components::SyncStatus;
use crate::components::search_shortcut::SearchFocusWanted;
use crate::components::{
    AppHeader, ComplaintAlarm, RoleGate, SearchShortcut, UpdateBanner, WhoIsWorking,
};
use crate::pages::audit::AuditPage;
use crate::pages::bedside::BedsidePage;
use crate::pages::calendar::CalendarPage;
use crate::pages::checkout::CheckoutPage;
use crate::pages::checks::ChecksPage;
use crate::pages::complaints::{
    ComplaintLibraryPage, ComplaintPage, ComplaintsPage, NewComplaintPage,
};
use crate::pages::customer::{CustomerPage, EditCustomerPage, NewCustomerPage};
use crate::pages::customer_copy::CustomerCopyPage;
use crate::pages::customer_import::CustomerImportPage;
use crate::pages::customers::CustomersPage;
use crate::pages::first_use::FirstUsePage;
use crate::pages::follow_ups::FollowUpsPage;
use crate::pages::head_office::HeadOfficePage;
use crate::pages::monthly_report::MonthlyReportPage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::password::ChangePasswordPage;
use crate::pages::reports::ReportsPage;
use crate::pages::retention::RetentionPage;
use crate::pages::sales_reports::SalesReportPage;
use crate::pages::scorecards::ScorecardsPage;
use crate::pages::settings::SettingsPage;
use crate::pages::setup::SetupPage;
use crate::pages::sign_in::SignInPage;
use crate::pages::stock::StockPage;
use crate::pages::tasks::TasksPage;
use crate::pages::today::TodayPage;
use crate::pwa;
use crate::state::AppState;

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::load();
    provide_context(state);
    // The device's store (IndexedDB) and the sync loop: `state::use_store()` in every page.
    let store = crate::state::provide_store(state.session);
    // Bedside mode: who unlocked the tablet; the feedback kiosk hides the shell around it.
    let bedside = crate::state::bedside::provide_bedside_ui();
    // A shared device's "who is working?" lock, kept on the device.
    crate::state::device_lock::provide_device_lock(store, bedside);
    // The stores of the chain this device knows (the header's menu, the head office).
    crate::state::chain::provide_known_stores();
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
            <Shell/>
        </Router>
    }
}

/// Every page behind its role's gate: a role sees only its own work ([`RoleGate`]).
macro_rules! gated {
    ($area:expr, $page:ident) => {
        || view! { <RoleGate area=$area><$page/></RoleGate> }
    };
}

/// A rarely used or heavy page behind its role's gate, in a wasm chunk of its own: the release
/// build (`cargo xtask finish-dist`) splits its code out of the first load, and the router
/// fetches the chunk (precached by the service worker, so offline too) when the page is opened.
macro_rules! lazy_page {
    ($route:ident, $area:expr, $page:ident) => {
        struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            fn view(_this: Self) -> AnyView {
                view! { <RoleGate area=$area><$page/></RoleGate> }.into_any()
            }
        }
    };
}

lazy_page!(SetupRoute, Area::Setup, SetupPage);
lazy_page!(FirstUseRoute, Area::Setup, FirstUsePage);
lazy_page!(CustomerImportRoute, Area::CustomerEdit, CustomerImportPage);
lazy_page!(CustomerCopyRoute, Area::Customers, CustomerCopyPage);
lazy_page!(RetentionRoute, Area::Customers, RetentionPage);
lazy_page!(ReportsRoute, Area::Reports, ReportsPage);
lazy_page!(MonthlyReportRoute, Area::Reports, MonthlyReportPage);
lazy_page!(SalesReportRoute, Area::Reports, SalesReportPage);
lazy_page!(HeadOfficeRoute, Area::HeadOffice, HeadOfficePage);
lazy_page!(StockRoute, Area::Stock, StockPage);
lazy_page!(ChecksRoute, Area::Checks, ChecksPage);
lazy_page!(ScorecardsRoute, Area::Today, ScorecardsPage);
lazy_page!(AuditRoute, Area::Audit, AuditPage);
lazy_page!(SettingsRoute, Area::Settings, SettingsPage);
lazy_page!(
    ComplaintLibraryRoute,
    Area::Complaints,
    ComplaintLibraryPage
);
lazy_page!(FollowUpsRoute, Area::FollowUps, FollowUpsPage);
lazy_page!(TasksRoute, Area::Today, TasksPage);

/// What the device shows: the kiosk or "who is working?" when the device is in one of those
/// states (whatever the address), a first password's replacement before anything else, else the
/// app with the page of the address.
#[component]
fn Shell() -> impl IntoView {
    let state = crate::state::use_app_state();
    let bedside = crate::state::bedside::use_bedside_ui();
    let lock = crate::state::device_lock::use_device_lock();
    let location = use_location();
    // Signing in with a login is the one way past the lock besides a PIN.
    let locked = move || lock.locked.get() && location.pathname.get() != "/sign-in";
    let must_change_password = move || {
        state.session.get().is_some_and(|s| s.must_change_password)
            && location.pathname.get() != "/sign-in"
    };
    view! {
        <Show when=move || !bedside.kiosk_on() && !locked()>
            <AppHeader/>
            <UpdateBanner/>
            <ComplaintAlarm/>
            <SyncStatus/>
            <SearchShortcut/>
        </Show>
        <crate::pages::bedside_kiosk::Kiosk/>
        <Show when=locked>
            <WhoIsWorking/>
        </Show>
        <Show when=move || !locked()>
            <main id="main" class="app-main" tabindex="-1" hidden=move || bedside.kiosk_on()>
                <Show when=move || !must_change_password() fallback=ChangePasswordPage>
                    <Routes fallback=NotFoundPage>
                        <Route path=path!("/") view=gated!(Area::Today, TodayPage)/>
                        <Route path=path!("/customers") view=gated!(Area::Customers, CustomersPage)/>
                        <Route path=path!("/customers/new") view=gated!(Area::CustomerEdit, NewCustomerPage)/>
                        <Route path=path!("/customers/retention") view={Lazy::<RetentionRoute>::new()}/>
                        <Route path=path!("/customers/import") view={Lazy::<CustomerImportRoute>::new()}/>
                        <Route path=path!("/customers/:id") view=gated!(Area::Customers, CustomerPage)/>
                        <Route path=path!("/customers/:id/copy") view={Lazy::<CustomerCopyRoute>::new()}/>
                        <Route path=path!("/customers/:id/edit") view=gated!(Area::CustomerEdit, EditCustomerPage)/>
                        <Route path=path!("/calendar") view=gated!(Area::Calendar, CalendarPage)/>
                        <Route path=path!("/bedside") view=gated!(Area::Bedside, BedsidePage)/>
                        <Route path=path!("/complaints") view=gated!(Area::Complaints, ComplaintsPage)/>
                        <Route path=path!("/complaints/new") view=gated!(Area::ComplaintIntake, NewComplaintPage)/>
                        <Route path=path!("/complaints/library") view={Lazy::<ComplaintLibraryRoute>::new()}/>
                        <Route path=path!("/complaints/:id") view=gated!(Area::Complaints, ComplaintPage)/>
                        <Route path=path!("/follow-ups") view={Lazy::<FollowUpsRoute>::new()}/>
                        <Route path=path!("/stock") view={Lazy::<StockRoute>::new()}/>
                        <Route path=path!("/checkout") view=gated!(Area::Checkout, CheckoutPage)/>
                        <Route path=path!("/checks") view={Lazy::<ChecksRoute>::new()}/>
                        <Route path=path!("/reports") view={Lazy::<ReportsRoute>::new()}/>
                        <Route path=path!("/reports/monthly") view={Lazy::<MonthlyReportRoute>::new()}/>
                        <Route path=path!("/reports/sales") view={Lazy::<SalesReportRoute>::new()}/>
                        <Route path=path!("/audit") view={Lazy::<AuditRoute>::new()}/>
                        // Everyone has a scorecard; whose she may read is the core's rule.
                        <Route path=path!("/scorecards") view={Lazy::<ScorecardsRoute>::new()}/>
                        // Everyone may be given a task; who may assign is the core's rule.
                        <Route path=path!("/tasks") view={Lazy::<TasksRoute>::new()}/>
                        <Route path=path!("/head-office") view={Lazy::<HeadOfficeRoute>::new()}/>
                        <Route path=path!("/settings") view={Lazy::<SettingsRoute>::new()}/>
                        <Route path=path!("/setup") view={Lazy::<SetupRoute>::new()}/>
                        <Route path=path!("/welcome") view={Lazy::<FirstUseRoute>::new()}/>
                        <Route path=path!("/password") view=ChangePasswordPage/>
                        <Route path=path!("/sign-in") view=SignInPage/>
                    </Routes>
                </Show>
            </main>
        </Show>
    }
}
