//! The monthly supervision report: the device's records gathered for the core's
//! `monthly_report`.
use chrono::{NaiveDate, Utc};
use orchid_core::monthly_report::{self, MonthlyReport, Sources};

use super::StoreHandle;
use super::store::store_offset;

impl StoreHandle {
    /// The store's report of the month starting on `month`, as of now.
    pub fn monthly_report(&self, month: NaiveDate) -> MonthlyReport {
        let now = Utc::now();
        let feedback = self.all_feedback();
        let complaints = self.complaints(now);
        let follow_ups = self.follow_ups();
        let checks = self.checks_done();
        let actions = self.corrective_actions();
        monthly_report::monthly_report(
            month,
            store_offset(*self),
            now,
            Sources {
                feedback: &feedback,
                complaints: &complaints,
                follow_ups: &follow_ups,
                checks: &checks,
                actions: &actions,
            },
        )
    }
}
