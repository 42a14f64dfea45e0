//! The sales and stock report: the device's records of the store gathered for the core's
//! `sales_report`, in one pass over the view.
use chrono::{NaiveDate, Utc};
use orchid_core::sales_report::{self, SalesReport, SalesSources};

use super::StoreHandle;
use super::store::store_offset;

impl StoreHandle {
    /// The store's sales and stock report of the month starting on `month`, its balances as
    /// of the month's end (or now, while it runs). `None` before the store is open on the device.
    pub fn sales_report(&self, month: NaiveDate) -> Option<SalesReport> {
        let offset = store_offset(*self);
        let now = Utc::now();
        self.with_view(|v, s| {
            let batches = v.batches(s);
            let movements = v.stock_movements(s);
            let records = v.service_records(s);
            let services = v.catalog(s);
            let checkouts = v.checkouts(s);
            let loyalty = v.store_loyalty_deltas(s);
            sales_report::sales_report(
                month,
                offset,
                now,
                SalesSources {
                    batches: &batches,
                    movements: &movements,
                    records: &records,
                    services: &services,
                    checkouts: &checkouts,
                    loyalty: &loyalty,
                },
            )
        })
    }
}
