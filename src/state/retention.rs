//! The customers past the store's keeping time ([privacy], PIPL art. 47): the core's list with
//! the store's `retention_months`, for the manager's review page and Today.
use chrono::Utc;
use orchid_core::permission::{self, Action, Sensitivity};
use orchid_core::retention::{self, PastRetention};
use orchid_core::store::StoreSettings;

use super::StoreHandle;

impl StoreHandle {
    /// May the active person erase customers (and so review those past the keeping time)?
    /// Reactive: follows a sign-in or a PIN switch.
    pub fn may_erase_customers(&self) -> bool {
        self.active_role().is_some_and(|role| {
            permission::allowed(role, Action::CustomerErase, Sensitivity::Sensitive)
        })
    }

    /// How many months the store keeps a customer's file after her last contact.
    pub fn retention_months(&self) -> u32 {
        self.store()
            .map_or(StoreSettings::default().retention_months, |s| {
                s.settings.retention_months
            })
    }

    /// The store's customers past the keeping time, longest ago first.
    pub fn past_retention(&self) -> Vec<PastRetention> {
        let months = self.retention_months();
        self.with_view(|replica, store| {
            retention::past_retention(replica, store, Utc::now(), months)
        })
        .unwrap_or_default()
    }
}
