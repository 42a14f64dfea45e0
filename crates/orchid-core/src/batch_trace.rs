//! From a product batch to the people it reached ([products & loyalty], seed 003's quality
//! control: a batch that caused a reaction must lead to every customer who received it): the
//! service records that used it, with their customers; the reactions noted in those visits'
//! evaluations; the complaints that name the batch; and the recall — a care follow-up for each of
//! those customers, written with ids made from the batch and the customer, so that recalling
//! twice does not call anyone twice.
use std::collections::BTreeSet;

use crate::followup::{FollowUpChannel, FollowUpField, FollowUpPurpose, FollowUpStatus};
use crate::ids::{BatchId, ComplaintId, CustomerId, FollowUpId, ServiceRecordId, StaffId, StoreId};
use crate::sync::{Change, Replica};
use crate::text::{Label, Note};
use crate::time::Timestamp;

/// An evaluation at or below this effect (of 5) counts as a reaction.
pub const REACTION_EFFECT_AT_MOST: u8 = 2;

/// One visit that used the batch.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchUse {
    /// The visit's record.
    pub record: ServiceRecordId,
    /// Its customer.
    pub customer: CustomerId,
    /// Who served her.
    pub therapist: StaffId,
    /// When the product was used.
    pub at: Timestamp,
    /// How much (in the product's unit).
    pub quantity: u32,
    /// The visit's evaluation, if any: the effect (1–5) and its words.
    pub effect: Option<u8>,
    /// The evaluation's words, if any.
    pub evaluation_note: Option<Note>,
}

impl BatchUse {
    /// A reaction noted in the evaluation: a low effect, or words written about it.
    pub fn reaction(&self) -> bool {
        self.effect.is_some_and(|e| e <= REACTION_EFFECT_AT_MOST)
            || self.evaluation_note.as_ref().is_some_and(|n| !n.is_empty())
    }
}

/// Where a batch went.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BatchTrace {
    /// Every use, oldest first.
    pub uses: Vec<BatchUse>,
    /// Complaints naming the batch.
    pub complaints: Vec<ComplaintId>,
}

impl BatchTrace {
    /// The customers the batch reached, each once, in the order of their first use.
    pub fn customers(&self) -> Vec<CustomerId> {
        let mut seen = BTreeSet::new();
        self.uses
            .iter()
            .map(|u| u.customer)
            .filter(|c| seen.insert(*c))
            .collect()
    }
}

/// Where `batch` went in `store`, from the records this replica holds.
pub fn trace(replica: &Replica, store: StoreId, batch: BatchId, now: Timestamp) -> BatchTrace {
    let mut uses: Vec<BatchUse> = replica
        .service_records(store)
        .into_iter()
        .flat_map(|r| {
            r.products
                .iter()
                .filter(|p| p.batch_id == Some(batch))
                .map(|p| BatchUse {
                    record: r.id,
                    customer: r.customer_id,
                    therapist: r.therapist_id,
                    at: p.at,
                    quantity: p.quantity,
                    effect: r.effect,
                    evaluation_note: r.evaluation_note.clone(),
                })
                .collect::<Vec<_>>()
        })
        .collect();
    uses.sort_by_key(|u| (u.at, u.record));
    let complaints = replica
        .complaints(store, now)
        .into_iter()
        .filter(|c| c.links.batch_ids.contains(&batch))
        .map(|c| c.id)
        .collect();
    BatchTrace { uses, complaints }
}

/// The follow-up id of the recall of `batch` for `customer`: the same every time.
pub fn recall_id(batch: BatchId, customer: CustomerId) -> FollowUpId {
    const TAG: u128 = 0x7265_6361_6c6c; // "recall"
    FollowUpId::from_u128(
        batch.as_uuid().as_u128() ^ customer.as_uuid().as_u128().rotate_left(1) ^ TAG,
    )
}

/// The recall of a batch: one care call per customer it reached, due `due`, naming the batch.
pub fn recall(trace: &BatchTrace, batch: BatchId, batch_no: &Label, due: Timestamp) -> Vec<Change> {
    trace
        .customers()
        .into_iter()
        .map(|customer| {
            let record = trace
                .uses
                .iter()
                .rev()
                .find(|u| u.customer == customer)
                .map(|u| u.record);
            let note =
                Note::parse(&format!("批次召回 Batch recall: {batch_no}")).unwrap_or_default();
            Change::FollowUpUpsert {
                id: recall_id(batch, customer),
                fields: vec![
                    FollowUpField::CustomerId(customer),
                    FollowUpField::Due(due),
                    FollowUpField::Channel(FollowUpChannel::Phone),
                    FollowUpField::Purpose(FollowUpPurpose::CareCall),
                    FollowUpField::RecordId(record),
                    FollowUpField::Status(FollowUpStatus::Planned),
                    FollowUpField::Note(note),
                ],
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::hlc::Hlc;
    use crate::ids::{ClientId, ProductId, RecordEntryId, ServiceId};
    use crate::role::Role;
    use crate::service_record::{RecordEntry, RecordEntryKind};
    use crate::sync::{Actor, Mutation};

    const STORE: StoreId = StoreId::from_u128(1);
    const BATCH: BatchId = BatchId::from_u128(50);

    fn visit(replica: &mut Replica, n: u128, customer: u128, batch: BatchId, effect: Option<u8>) {
        let therapist = StaffId::from_u128(9);
        let at = chrono::DateTime::from_timestamp(1_800_000_000 + n as i64 * 3600, 0).unwrap();
        let record = ServiceRecordId::from_u128(100 + n);
        let mut kinds = vec![
            RecordEntryKind::Opened {
                customer_id: CustomerId::from_u128(customer),
                therapist_id: therapist,
                appointment_id: None,
                services: vec![ServiceId::from_u128(1)],
            },
            RecordEntryKind::ProductUsed {
                product_id: ProductId::from_u128(5),
                batch_id: Some(batch),
                quantity: 5,
            },
        ];
        if let Some(effect) = effect {
            kinds.push(RecordEntryKind::Evaluation {
                effect,
                note: Note::default(),
            });
        }
        for (i, kind) in kinds.into_iter().enumerate() {
            let id = (n * 10 + i as u128) as u64;
            let m = Mutation {
                client_id: ClientId::from_u128(3),
                mutation_id: id,
                hlc: Hlc::new(1_000 + id, 0, ClientId::from_u128(3)),
                actor: Actor {
                    staff_id: therapist,
                    role: Role::Therapist,
                },
                store_id: STORE,
                change: Change::ServiceRecordEntry(RecordEntry {
                    id: RecordEntryId::from_u128(u128::from(id)),
                    record_id: record,
                    at,
                    by: therapist,
                    role: Role::Therapist,
                    kind,
                }),
            };
            replica.apply(&m).unwrap();
        }
    }

    #[test]
    fn a_batch_leads_to_every_customer_it_reached_and_a_recall_calls_each_once() {
        let mut replica = Replica::new();
        let now = chrono::DateTime::from_timestamp(1_900_000_000, 0).unwrap();
        visit(&mut replica, 1, 7, BATCH, Some(5));
        visit(&mut replica, 2, 8, BATCH, Some(1));
        visit(&mut replica, 3, 7, BATCH, None);
        visit(&mut replica, 4, 9, BatchId::from_u128(51), Some(1));
        let trace = trace(&replica, STORE, BATCH, now);
        assert_eq!(trace.uses.len(), 3);
        assert_eq!(
            trace.customers(),
            [CustomerId::from_u128(7), CustomerId::from_u128(8)]
        );
        let reactions: Vec<CustomerId> = trace
            .uses
            .iter()
            .filter(|u| u.reaction())
            .map(|u| u.customer)
            .collect();
        assert_eq!(reactions, [CustomerId::from_u128(8)]);
        let label = Label::parse("HA-1").unwrap();
        let first = recall(&trace, BATCH, &label, now);
        let again = recall(&trace, BATCH, &label, now);
        assert_eq!(first.len(), 2);
        // The same ids: recalling twice plans no second call.
        let ids = |changes: &[Change]| -> Vec<crate::ids::EntityRef> {
            changes.iter().map(Change::entity).collect()
        };
        assert_eq!(ids(&first), ids(&again));
        assert_ne!(ids(&first)[0], ids(&first)[1]);
    }
}
