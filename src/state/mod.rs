//! Contexts and hooks: the bridge from storage, sync and the browser to components.
//! Components never call storage or the network themselves.
pub mod audit;
pub mod bedside;
pub mod chain;
pub mod checkout;
pub mod checks;
pub mod complaints;
pub mod consent;
pub mod customer_care;
pub mod customer_import;
pub mod device_lock;
pub mod download;
pub mod eviction;
pub mod local_people;
pub mod monthly_report;
pub mod retention;
pub mod sales_report;
pub mod scorecard;
pub mod stock;
pub mod store;
pub mod tabs;
pub mod tasks;
pub mod team;
pub mod waitlist;

pub use store::{StoreHandle, SyncPhase, SyncStatus, provide_store, use_store};

use leptos::prelude::*;

use crate::i18n::{Lang, Msg, tr};
use crate::storage::settings::{self, Session};

/// State shared by the whole app, provided once in [`crate::app::App`].
#[derive(Clone, Copy)]
pub struct AppState {
    pub lang: RwSignal<Lang>,
    pub online: RwSignal<bool>,
    /// A new service worker is installed and waiting: offer a reload.
    pub update_ready: RwSignal<bool>,
    pub session: RwSignal<Option<Session>>,
}

impl AppState {
    /// Reads what the device remembers and the browser's state; never fails (defaults instead).
    pub fn load() -> Self {
        let navigator = web_sys::window().map(|w| w.navigator());
        let lang = settings::load_lang().unwrap_or_else(|| {
            let preferred: Vec<String> = navigator
                .as_ref()
                .map(|n| n.languages().iter().filter_map(|v| v.as_string()).collect())
                .unwrap_or_default();
            Lang::negotiate(preferred.iter().map(String::as_str))
        });
        let online = navigator.map(|n| n.on_line()).unwrap_or(true);
        Self {
            lang: RwSignal::new(lang),
            online: RwSignal::new(online),
            update_ready: RwSignal::new(false),
            session: RwSignal::new(settings::load_session()),
        }
    }

    pub fn set_lang(&self, lang: Lang) {
        self.lang.set(lang);
        if let Err(err) = settings::save_lang(lang) {
            leptos::logging::warn!("the language choice could not be remembered: {err}");
        }
    }

    /// Remembers who signed in (and their token, for their changes waiting in the outbox). On a
    /// standalone device a manager's or owner's sign-in also pairs the device (see `provide_store`).
    pub fn signed_in(&self, session: Session) {
        if let Err(err) = settings::save_session(&session) {
            leptos::logging::warn!("the session could not be remembered: {err}");
        }
        if let Some(staff) = session.staff_id
            && let Err(err) = settings::save_token(staff, &session.token)
        {
            leptos::logging::warn!("the token could not be remembered: {err}");
        }
        // A bedside PIN remembered for this person unlocks with her new token from now on.
        crate::storage::pins::refresh_session(&session);
        self.session.set(Some(session));
    }

    pub fn sign_out(&self) {
        settings::clear_session();
        self.session.set(None);
    }
}

pub fn use_app_state() -> AppState {
    // Provided once at the root before any component renders; a missing context is a programming
    // error that the first test run shows, so a fresh default keeps the app alive rather than panicking.
    use_context::<AppState>().unwrap_or_else(AppState::load)
}

/// Translation in the current language, reactive.
#[derive(Clone, Copy)]
pub struct I18n {
    lang: RwSignal<Lang>,
}

impl I18n {
    pub fn t(&self, msg: Msg) -> &'static str {
        tr(self.lang.get(), msg)
    }

    pub fn lang(&self) -> Lang {
        self.lang.get()
    }
}

pub fn use_i18n() -> I18n {
    I18n {
        lang: use_app_state().lang,
    }
}
