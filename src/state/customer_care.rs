//! Customer care that plans itself (see `orchid_core::customer_care`): the day's birthday calls
//! and package reminders are computed from the records and listed with the follow-ups — on every
//! device, the same, with nobody pressing a button and nothing written in the background. A call
//! becomes a record when a person records its outcome, moves or cancels it
//! ([`StoreHandle::edit_follow_up`]). The re-engagement list is planned by a person.
use std::cell::RefCell;

use chrono::{NaiveDate, Utc};
use leptos::prelude::GetUntracked;
use orchid_core::customer_care::{self, CarePlan, Lapsed};
use orchid_core::followup::{FollowUp, FollowUpField};
use orchid_core::ids::StoreId;
use orchid_core::sync::Change;

use super::store::{StoreHandle, store_offset, store_record};
use crate::storage::repo::StoreError;

/// The day's care as computed for one state of the records (a revision) of one store on one day.
struct Computed {
    revision: u64,
    today: NaiveDate,
    store: StoreId,
    plans: Vec<CarePlan>,
}

thread_local! {
    /// Lists read the day's care many times between two changes: it is computed once per change.
    static DUE: RefCell<Option<Computed>> = const { RefCell::new(None) };
}

impl StoreHandle {
    /// The day's birthday calls and package reminders nobody has written yet, as follow-ups.
    pub fn care_due(&self) -> Vec<FollowUp> {
        let Some(store) = store_record(*self) else {
            return Vec::new();
        };
        let today = store_offset(*self).local_date(Utc::now());
        let revision = self.revision.get_untracked();
        let cached = DUE.with_borrow(|due| {
            due.as_ref()
                .filter(|c| (c.revision, c.today, c.store) == (revision, today, store.id))
                .map(|c| c.plans.clone())
        });
        let plans = cached.unwrap_or_else(|| {
            let plans = self
                .with_view(|replica, _| customer_care::daily_care(replica, &store, today))
                .unwrap_or_default();
            DUE.set(Some(Computed {
                revision,
                today,
                store: store.id,
                plans: plans.clone(),
            }));
            plans
        });
        plans.iter().map(|p| p.follow_up(store.id)).collect()
    }

    /// Writes `edits` to `follow_up`; a planned call nobody wrote yet is written whole.
    pub async fn edit_follow_up(
        &self,
        follow_up: &FollowUp,
        edits: Vec<FollowUpField>,
    ) -> Result<(), StoreError> {
        let exists = self
            .with_view(|replica, _| replica.follow_up(follow_up.id).is_some())
            .unwrap_or(false);
        let fields = customer_care::with_plan(follow_up, exists, edits);
        self.mutate(Change::FollowUpUpsert {
            id: follow_up.id,
            fields,
        })
        .await
        .map(|_| ())
    }

    /// Customers not back for the store's `lapsed_after_days`, longest absent first.
    pub fn lapsed_customers(&self) -> Vec<Lapsed> {
        let Some(store) = store_record(*self) else {
            return Vec::new();
        };
        let today = store_offset(*self).local_date(Utc::now());
        self.with_view(|replica, _| customer_care::lapsed_customers(replica, &store, today))
            .unwrap_or_default()
    }

    /// Plans the re-engagement calls of `lapsed` not planned yet; returns how many.
    pub async fn plan_re_engagement(&self, lapsed: &[Lapsed]) -> Result<usize, StoreError> {
        let changes: Vec<_> = lapsed
            .iter()
            .filter(|l| !l.planned)
            .map(|l| l.plan.change())
            .collect();
        let n = changes.len();
        if n == 0 {
            return Ok(0);
        }
        self.mutate_all(changes).await.map(|_| n)
    }
}
