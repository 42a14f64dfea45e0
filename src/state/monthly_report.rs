//! The monthly supervision report: the device's records gathered for the core's
//! `monthly_report`, the same way the server gathers them for the chain's report.
use chrono::{NaiveDate, Utc};
use orchid_core::monthly_report::{self, MonthlyReport, Records};

use super::StoreHandle;
use super::store::store_offset;

impl StoreHandle {
    /// The store's report of the month starting on `month`, as of now.
    pub fn monthly_report(&self, month: NaiveDate) -> MonthlyReport {
        let now = Utc::now();
        let records = self
            .with_view(|view, store| Records::of(view, store, now))
            .unwrap_or_default();
        monthly_report::monthly_report(month, store_offset(*self), now, records.sources())
    }
}
