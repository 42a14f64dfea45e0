//! Bedside mode's state ([treatment room]): who unlocked the tablet, which screen shows, the
//! customer-facing kiosk, and the store reads the bedside, follow-up and report pages need.
//!
//! The state lives at the app's root (not in the page) so the kiosk covers every route and the
//! lock survives a detour through another page.
use leptos::prelude::*;
use orchid_core::feedback::Feedback;
use orchid_core::ids::{AppointmentId, ServiceRecordId, StaffId};
use orchid_core::product::{Batch, Product};
use orchid_core::service_record::{AnswersAhead, ServiceRecord};

use super::store::StoreHandle;
use crate::storage::settings::{self, DeviceLock};

/// What the bedside tablet shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    /// The PIN screen: nothing about customers.
    Locked,
    /// The unlocked therapist's appointments of today.
    Day,
    /// A visit in progress.
    Visit(ServiceRecordId),
    /// The customer-facing feedback screen for a finished visit.
    Kiosk(ServiceRecordId),
}

#[derive(Clone, Copy)]
pub struct BedsideUi {
    pub screen: RwSignal<Screen>,
    /// Who unlocked the tablet (the staff the visit is written as).
    pub unlocked_as: RwSignal<Option<StaffId>>,
    /// Last touch or key press (ms since the epoch), for the auto-lock.
    pub last_activity_ms: RwSignal<f64>,
}

impl BedsideUi {
    pub fn kiosk_on(&self) -> bool {
        matches!(self.screen.get(), Screen::Kiosk(_))
    }

    /// Back to the PIN screen.
    pub fn lock(&self) {
        self.unlocked_as.set(None);
        self.screen.set(Screen::Locked);
    }
}

pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Provided once in [`crate::app::App`]. A kiosk the device was showing comes back as the
/// kiosk (a customer who reloads the page must not get the app), and every change of screen to
/// or from the kiosk is remembered on the device.
pub fn provide_bedside_ui() -> BedsideUi {
    let first = match settings::load_device_lock() {
        DeviceLock::Kiosk { record } => Screen::Kiosk(record),
        DeviceLock::Open | DeviceLock::Locked => Screen::Locked,
    };
    let ui = BedsideUi {
        screen: RwSignal::new(first),
        unlocked_as: RwSignal::new(None),
        last_activity_ms: RwSignal::new(now_ms()),
    };
    Effect::new(move |was_kiosk: Option<bool>| {
        let screen = ui.screen.get();
        let kiosk = matches!(screen, Screen::Kiosk(_));
        match screen {
            Screen::Kiosk(record) => settings::save_device_lock(DeviceLock::Kiosk { record }),
            _ if was_kiosk == Some(true) => {
                if matches!(settings::load_device_lock(), DeviceLock::Kiosk { .. }) {
                    settings::save_device_lock(DeviceLock::Open);
                }
            }
            _ => {}
        }
        kiosk
    });
    provide_context(ui);
    ui
}

pub fn use_bedside_ui() -> BedsideUi {
    // Provided at the root; a fresh locked state is the safe default if it ever is not.
    use_context::<BedsideUi>().unwrap_or_else(|| BedsideUi {
        screen: RwSignal::new(Screen::Locked),
        unlocked_as: RwSignal::new(None),
        last_activity_ms: RwSignal::new(now_ms()),
    })
}

impl StoreHandle {
    /// One service record.
    pub fn service_record(&self, id: ServiceRecordId) -> Option<ServiceRecord> {
        self.with_view(|v, _| v.service_record(id)).flatten()
    }

    /// The consultation answers the customer of `appointment` gave ahead on the online booking
    /// page, not yet confirmed (only on a device whose person may read health data: the server
    /// sends them to no one else).
    pub fn answers_ahead(&self, appointment: AppointmentId) -> Option<AnswersAhead> {
        self.with_view(|v, _| v.answers_ahead(appointment))
            .flatten()
    }

    /// Every service record of the store, oldest first.
    pub fn all_service_records(&self) -> Vec<ServiceRecord> {
        self.with_view(|v, s| {
            let mut r = v.service_records(s);
            r.sort_by_key(|r| (r.opened_at, r.id));
            r
        })
        .unwrap_or_default()
    }

    /// Every feedback of the store, oldest first.
    pub fn all_feedback(&self) -> Vec<Feedback> {
        self.with_view(|v, s| {
            let mut f = v.feedback(s);
            f.sort_by_key(|f| (f.submitted_at, f.id));
            f
        })
        .unwrap_or_default()
    }

    /// Active products.
    pub fn products(&self) -> Vec<Product> {
        self.with_view(|v, s| v.products(s).into_iter().filter(|p| p.active).collect())
            .unwrap_or_default()
    }

    /// Batches received.
    pub fn batches(&self) -> Vec<Batch> {
        self.with_view(|v, s| v.batches(s)).unwrap_or_default()
    }

    /// Every customer of the store (for birthdays).
    pub fn all_customers(&self) -> Vec<orchid_core::customer::Customer> {
        self.with_view(|v, s| v.customers(s)).unwrap_or_default()
    }
}
