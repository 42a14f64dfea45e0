//! Reads for the complaint pages (\[complaints\]): a complaint's history with the device of each
//! event, product batches by name, the service record an investigation looks at.
use orchid_core::complaint::ComplaintEvent;
use orchid_core::ids::{AppointmentId, BatchId, ClientId, ComplaintId};
use orchid_core::product::Batch;
use orchid_core::service_record::ServiceRecord;

use super::StoreHandle;

/// A product batch with its product's name, for pickers and the case library.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchLabel {
    /// The batch.
    pub batch: Batch,
    /// Its product's name.
    pub product: String,
}

impl BatchLabel {
    /// "精华液 · B-17".
    pub fn text(&self) -> String {
        format!("{} · {}", self.product, self.batch.batch_no.as_str())
    }
}

impl StoreHandle {
    /// A complaint's events in time order, each with the device that wrote it.
    pub fn complaint_log(&self, id: ComplaintId) -> Vec<(ClientId, ComplaintEvent)> {
        self.with_view(|v, _| v.complaint_log(id))
            .unwrap_or_default()
    }

    /// This device's id.
    pub fn client_id(&self) -> Option<ClientId> {
        self.read(|d| d.meta().client_id)
    }

    /// The store's product batches, newest first, with their product names.
    pub fn batch_labels(&self) -> Vec<BatchLabel> {
        self.with_view(|v, s| {
            let products = v.products(s);
            let mut list: Vec<BatchLabel> = v
                .batches(s)
                .into_iter()
                .map(|batch| BatchLabel {
                    product: products
                        .iter()
                        .find(|p| p.id == batch.product_id)
                        .map(|p| p.name.as_str().to_owned())
                        .unwrap_or_default(),
                    batch,
                })
                .collect();
            list.sort_by_key(|b| std::cmp::Reverse(b.batch.received_at));
            list
        })
        .unwrap_or_default()
    }

    /// One batch with its product's name.
    pub fn batch_label(&self, id: BatchId) -> Option<BatchLabel> {
        self.batch_labels().into_iter().find(|b| b.batch.id == id)
    }

    /// The service record of a visit, if one was opened.
    pub fn service_record_of_visit(&self, visit: AppointmentId) -> Option<ServiceRecord> {
        self.with_view(|v, s| {
            v.service_records(s)
                .into_iter()
                .find(|r| r.appointment_id == Some(visit))
        })
        .flatten()
    }
}
