//! Reads and writes for the complaint pages (\[complaints\]): a complaint's history with the
//! device of each event, product batches by name, the service record an investigation looks at;
//! a complaint event by the acting person; closing with its call-back (回访) and recording the
//! call-back's outcome, each in one transaction.
use chrono::Utc;
use leptos::prelude::GetUntracked;
use orchid_core::complaint::{self, ComplaintEvent, ComplaintEventKind, RootCause};
use orchid_core::followup::{
    FollowUp, FollowUpChannel, FollowUpField, FollowUpOutcome, FollowUpStatus,
};
use orchid_core::ids::{AppointmentId, BatchId, ClientId, ComplaintId, StaffId};
use orchid_core::product::Batch;
use orchid_core::record::FieldSet;
use orchid_core::service_record::ServiceRecord;
use orchid_core::sync::Change;
use orchid_core::text::Note;

use super::StoreHandle;
use super::store::new_id;
use crate::storage::repo::StoreError;

/// A complaint event by the acting person, now.
pub fn complaint_event(
    store: StoreHandle,
    complaint_id: ComplaintId,
    kind: ComplaintEventKind,
) -> Result<Change, StoreError> {
    let actor = store.actor()?;
    Ok(Change::ComplaintEvent(ComplaintEvent {
        id: new_id(),
        complaint_id,
        at: Utc::now(),
        by: Some(actor.staff_id),
        role: actor.role,
        kind,
    }))
}

/// A colleague's name: from her staff record or, when she is the person signed in on this device,
/// from the session (a device that has not pulled yet may lack her record while showing what she
/// just did, such as the call-back she will make).
pub fn staff_name(store: StoreHandle, id: StaffId) -> Option<String> {
    store
        .staff_member(id)
        .map(|s| s.name.as_str().to_owned())
        .or_else(|| {
            super::use_app_state()
                .session
                .get_untracked()
                .filter(|session| session.staff_id == Some(id))
                .map(|session| session.staff_name)
        })
}

/// What the customer said when called back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallBackAnswer {
    /// She is satisfied with how the case ended.
    Satisfied,
    /// She is not.
    NotSatisfied,
    /// Nobody answered: the follow-up is marked so, the case is not written to.
    Unreachable,
}

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
    /// The changes that close complaint `id` as the acting person: the closing event and, when
    /// the complaint names a customer on file, its call-back follow-up (the core's
    /// `call_back_after_closing`). Written together with `mutate_all`, so a closed case never
    /// lacks its call-back.
    pub fn closing_changes(
        &self,
        id: ComplaintId,
        root_cause: Option<RootCause>,
        note: Note,
    ) -> Result<Vec<Change>, StoreError> {
        let closing = complaint_event(*self, id, ComplaintEventKind::Closed { root_cause, note })?;
        let mut changes = Vec::with_capacity(2);
        if let (Change::ComplaintEvent(closed), Some(view), Some(store)) =
            // A fresh device may not hold the store's record yet: then its defaults, as the
            // complaint's own rules use.
            (
                &closing,
                self.complaint(id, Utc::now()),
                super::store::store_record(*self),
            )
            && let Some(call) = complaint::call_back_after_closing(&view, closed, &store)
        {
            changes.push(Change::FollowUpUpsert {
                id: call.id,
                fields: FollowUpField::all_from(&call),
            });
        }
        changes.insert(0, closing);
        Ok(changes)
    }

    /// The call-back follow-up planned after the latest closing of complaint `id`, if any.
    pub fn call_back_of(&self, id: ComplaintId) -> Option<FollowUp> {
        self.follow_ups()
            .into_iter()
            .filter(|f| f.complaint_id == Some(id))
            .max_by_key(|f| (f.due, f.id))
    }

    /// Records what the customer answered to a complaint's call-back: the follow-up done (or
    /// unreachable) and, when she answered, the case's call-back event, in one transaction.
    pub async fn record_call_back(
        &self,
        call: &FollowUp,
        channel: FollowUpChannel,
        answer: CallBackAnswer,
        note: Note,
    ) -> Result<(), StoreError> {
        let (status, outcome, satisfied) = match answer {
            CallBackAnswer::Satisfied => (
                FollowUpStatus::Done,
                Some(FollowUpOutcome::Satisfied),
                Some(true),
            ),
            CallBackAnswer::NotSatisfied => (
                FollowUpStatus::Done,
                Some(FollowUpOutcome::ProblemRaised),
                Some(false),
            ),
            CallBackAnswer::Unreachable => (FollowUpStatus::Unreachable, None, None),
        };
        let mut fields = vec![
            FollowUpField::Channel(channel),
            FollowUpField::Status(status),
            FollowUpField::Outcome(outcome),
            FollowUpField::DoneAt(Some(Utc::now())),
        ];
        if !note.is_empty() {
            fields.push(FollowUpField::Note(note.clone()));
        }
        let mut changes = vec![Change::FollowUpUpsert {
            id: call.id,
            fields,
        }];
        if let (Some(complaint_id), Some(satisfied)) = (call.complaint_id, satisfied) {
            changes.push(complaint_event(
                *self,
                complaint_id,
                ComplaintEventKind::CallBack {
                    follow_up_id: call.id,
                    satisfied,
                    note,
                },
            )?);
        }
        self.mutate_all(changes).await.map(|_| ())
    }

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
