//! A shared device's "who is working?" lock: the reception PC and the tablets several people use
//! in a day. Each person signs in once on the device while online and sets her PIN; from then on
//! she switches to herself with the PIN, offline, and every change is made (and pushed) as her.
//!
//! The lock is a state of the device, not of the page: it is kept in localStorage
//! ([`settings::DeviceLock`]), so a reload, a new tab or a deep link opens on the lock, and the
//! store's idle time (`desk_lock_seconds`) brings the device back to it. A device nobody has set
//! a PIN on is a personal one and never locks (nobody could open it again).
use leptos::prelude::*;
use orchid_core::ids::StaffId;

use super::AppState;
use super::bedside::{BedsideUi, Screen, now_ms};
use super::store::StoreHandle;
use crate::storage::pins::{self, PinRecord};
use crate::storage::settings::{self, DeviceLock};

#[derive(Clone, Copy)]
pub struct DeviceLockUi {
    /// "Who is working?" covers the app.
    pub locked: RwSignal<bool>,
    /// Last touch, key press or input anywhere (ms since the epoch).
    pub last_activity_ms: RwSignal<f64>,
    /// Bumped when the device's PINs change (a PIN set, a person removed).
    pub pins_changed: RwSignal<u32>,
    /// The bedside's own state: opening the device opens the bedside for the same person.
    bedside: Option<BedsideUi>,
}

impl DeviceLockUi {
    /// The people who can open this device with their PIN, reactive to [`Self::pins_changed`].
    pub fn people(&self) -> Vec<PinRecord> {
        self.pins_changed.track();
        pins::load_pins()
    }

    /// Is this device shared (someone can open it with a PIN)? Only a shared device locks.
    pub fn shared(&self) -> bool {
        !self.people().is_empty()
    }

    /// Back to "who is working?" (a device nobody could open again is not locked).
    pub fn lock(&self) {
        if untrack(|| self.shared()) {
            settings::save_device_lock(DeviceLock::Locked);
            self.locked.set(true);
        }
    }

    /// `record`'s PIN was right: she is the active person from now on.
    pub fn open_as(&self, state: &AppState, store: &StoreHandle, record: &PinRecord) {
        store.act_as(record, |session| state.signed_in(session));
        if let Some(bedside) = self.bedside {
            bedside.unlocked_as.set(Some(record.staff_id));
            bedside.last_activity_ms.set(now_ms());
            if bedside.screen.get_untracked() == Screen::Locked {
                bedside.screen.set(Screen::Day);
            }
        }
        self.opened();
    }

    /// Someone signed in (with her password): the device is hers now.
    pub fn opened(&self) {
        if matches!(settings::load_device_lock(), DeviceLock::Locked) {
            settings::save_device_lock(DeviceLock::Open);
        }
        self.last_activity_ms.set(now_ms());
        self.locked.set(false);
    }

    /// Forgets the PINs of people who may no longer open this device (deactivated or removed
    /// from the store's staff, as the last sync said).
    pub fn forget_people_gone(&self, store: &StoreHandle) {
        let people = pins::load_pins();
        let gone: Vec<StaffId> = people
            .iter()
            .filter(|p| {
                store
                    .staff_member(p.staff_id)
                    .is_some_and(|member| !member.active)
            })
            .map(|p| p.staff_id)
            .collect();
        if gone.is_empty() {
            return;
        }
        // Only the PIN: her token stays while the sync loop needs it for what she queued.
        for staff in &gone {
            pins::forget_pin(*staff);
        }
        self.pins_changed.update(|n| *n += 1);
    }
}

/// Provided once in [`crate::app::App`]: the lock as the device remembers it, the idle timer, and
/// the PINs of deactivated people dropped whenever the records change.
pub fn provide_device_lock(store: StoreHandle, bedside: BedsideUi) -> DeviceLockUi {
    let ui = DeviceLockUi {
        locked: RwSignal::new(matches!(settings::load_device_lock(), DeviceLock::Locked)),
        last_activity_ms: RwSignal::new(now_ms()),
        pins_changed: RwSignal::new(0),
        bedside: Some(bedside),
    };
    provide_context(ui);
    let touched = move || ui.last_activity_ms.set(now_ms());
    // The handles live as long as the page: the app never unmounts.
    let _ = window_event_listener(leptos::ev::pointerdown, move |_| touched());
    let _ = window_event_listener(leptos::ev::keydown, move |_| touched());
    let _ = window_event_listener(leptos::ev::input, move |_| touched());
    // Another tab locked or opened the device.
    let _ = window_event_listener(leptos::ev::storage, move |_| {
        ui.locked
            .set(matches!(settings::load_device_lock(), DeviceLock::Locked));
        ui.pins_changed.update(|n| *n += 1);
    });
    let check = move || {
        if ui.locked.get_untracked() {
            return;
        }
        // An open bedside keeps its own, shorter, idle lock (which locks the device too).
        let at_bedside = web_sys::window()
            .and_then(|w| w.location().pathname().ok())
            .is_some_and(|p| p == "/bedside");
        if at_bedside && bedside.screen.get_untracked() != Screen::Locked {
            return;
        }
        let limit = untrack(|| store.store()).map_or(900, |s| s.settings.desk_lock_seconds);
        if now_ms() - ui.last_activity_ms.get_untracked() > f64::from(limit) * 1000.0 {
            ui.lock();
        }
    };
    if let Err(err) = set_interval_with_handle(check, std::time::Duration::from_secs(5)) {
        leptos::logging::warn!("the idle lock could not be started: {err:?}");
    }
    Effect::new(move || {
        store.revision.track();
        if store.ready.get() {
            untrack(|| ui.forget_people_gone(&store));
        }
    });
    ui
}

pub fn use_device_lock() -> DeviceLockUi {
    // Provided at the root; outside it (a test mounting one component) an open, unshared device.
    use_context::<DeviceLockUi>().unwrap_or_else(|| DeviceLockUi {
        locked: RwSignal::new(false),
        last_activity_ms: RwSignal::new(now_ms()),
        pins_changed: RwSignal::new(0),
        bedside: None,
    })
}
