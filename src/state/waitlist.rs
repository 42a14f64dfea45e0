//! Reads for the waitlist (候补) ([front desk]): the store's entries, and who fits a freed slot.
use orchid_core::ids::{StaffId, WaitlistId};
use orchid_core::permission::{self, Sensitivity};
use orchid_core::role::Role;
use orchid_core::time::Interval;
use orchid_core::waitlist::{WaitlistEntry, candidates_for_slot};

use super::StoreHandle;

/// May the acting role manage the waitlist? (The core's matrix.)
pub fn may_manage_waitlist(role: Role) -> bool {
    permission::allowed(
        role,
        permission::Action::WaitlistManage,
        Sensitivity::Ordinary,
    )
}

impl StoreHandle {
    /// The store's waitlist, first asked first.
    pub fn waitlist(&self) -> Vec<WaitlistEntry> {
        let mut list = self.with_view(|v, s| v.waitlist(s)).unwrap_or_default();
        list.sort_by_key(|e| (e.created_at, e.id));
        list
    }

    /// One waitlist entry.
    pub fn waitlist_entry(&self, id: WaitlistId) -> Option<WaitlistEntry> {
        self.with_view(|v, _| v.waitlist_entry(id)).flatten()
    }

    /// Waiting customers who would take `slot` with `therapist`, first asked first (the core's
    /// `candidates_for_slot`, in the store's time zone).
    pub fn waitlist_candidates(
        &self,
        slot: &Interval,
        therapist: Option<StaffId>,
    ) -> Vec<WaitlistEntry> {
        let offset = super::store::store_offset(*self);
        let list = self.waitlist();
        candidates_for_slot(&list, slot, therapist, offset)
            .into_iter()
            .cloned()
            .collect()
    }
}
