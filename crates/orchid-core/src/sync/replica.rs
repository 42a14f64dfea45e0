//! The replica: every record of every store this side knows, in merge form, with `apply`.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::appointment::{self, Appointment, Conflict, StatusChange, StatusView};
use crate::audit::AuditEntry;
use crate::catalog::CatalogService;
use crate::checkout::{Checkout, CheckoutView, CheckoutVoid, Overdrawn, overdrawn};
use crate::complaint::{ComplaintEvent, ComplaintEventKind, ComplaintView};
use crate::consent::{self, ConsentPurpose, ConsentRecord, HealthWrite};
use crate::customer::{Customer, SkinAssessment};
use crate::error::ValidationError;
use crate::feedback::Feedback;
use crate::followup::FollowUp;
use crate::hlc::Hlc;
use crate::ids::{
    AppointmentId, AssessmentId, AuditId, BatchId, CheckId, CheckTemplateId, CheckoutId, ClientId,
    ComplaintEventId, ComplaintId, ConsentId, CorrectiveActionId, CorrectiveEventId, CustomerId,
    EntityKind, EntityRef, FeedbackId, FollowUpId, LoyaltyDeltaId, ProductId, RecordEntryId,
    RoomId, ServiceId, ServiceRecordId, ServiceTaskId, StaffId, StockMovementId, StoreId,
    TransitionId, WaitlistId,
};
use crate::internal_check::{
    CheckRecord, CheckTemplate, CorrectiveActionView, CorrectiveEvent, starting_templates,
};
use crate::loyalty::{LoyaltyBalance, LoyaltyChange, LoyaltyDelta};
use crate::product::{Batch, Product, StockLevels, StockMovement};
use crate::record::{FieldSet, LwwEntity};
use crate::room::Room;
use crate::service_record::{AnswersAhead, RecordEntry, RecordEntryKind, ServiceRecord};
use crate::service_task::{ServiceTask, ServiceTaskField};
use crate::staff::Staff;
use crate::store::Store;
use crate::text::Note;
use crate::time::Timestamp;
use crate::waitlist::WaitlistEntry;

use super::{Change, HealthSubject, Mutation};

/// A health write that no current consent covered when the replay reached it: made on a device
/// that had not yet seen her withdrawal (or before consent was asked at all). The data is kept;
/// the manager decides (ask her again, or clear the field).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ConsentFlag {
    /// Whose data.
    pub customer_id: CustomerId,
    /// The record written (the customer file, a skin assessment, a service record).
    pub entity: EntityRef,
    /// The field of the customer file, if the write was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// When and on which device it was written.
    pub written: Hlc,
}

/// A value with the store it belongs to and the timestamp of the write that set it. Merging keeps the
/// write with the smallest timestamp (first writer wins, by HLC), so the owner never flip-flops.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Owned<T> {
    /// The store.
    pub store_id: StoreId,
    /// The write that set `store_id` (and, for insert-once values, the value).
    pub hlc: Hlc,
    /// The value.
    pub value: T,
}

impl<T> Owned<T> {
    fn claim(&mut self, store_id: StoreId, hlc: Hlc) -> bool {
        if hlc < self.hlc {
            self.store_id = store_id;
            self.hlc = hlc;
            true
        } else {
            false
        }
    }
}

/// The mutation ids seen from one client: all ids up to `contiguous`, plus those in `above`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeenIds {
    /// Every id in `1..=contiguous` was seen.
    pub contiguous: u64,
    /// Ids above `contiguous + 1` seen out of order.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub above: BTreeSet<u64>,
}

impl SeenIds {
    fn contains(&self, id: u64) -> bool {
        id <= self.contiguous || self.above.contains(&id)
    }
    fn insert(&mut self, id: u64) {
        if id <= self.contiguous {
            return;
        }
        if id == self.contiguous + 1 {
            self.contiguous = id;
            while self.above.remove(&(self.contiguous + 1)) {
                self.contiguous += 1;
            }
        } else {
            self.above.insert(id);
        }
    }
}

/// What `apply` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Applied {
    /// Merged. `changed` is false if the merge kept what was there (an older write).
    Merged {
        /// The record touched (write it to storage if `changed`).
        entity: EntityRef,
        /// Whether the state changed.
        changed: bool,
    },
    /// This `(client_id, mutation_id)` was applied before: nothing done.
    Duplicate,
}

/// An appointment with its status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppointmentView {
    /// The booking.
    pub appointment: Appointment,
    /// Its status, replayed from its moves.
    pub status: StatusView,
}

/// Everything a store holds about one customer (a data-subject access request).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerExport {
    /// The file.
    pub customer: Customer,
    /// Skin assessments.
    pub skin_assessments: Vec<SkinAssessment>,
    /// Consents.
    pub consents: Vec<ConsentRecord>,
    /// Appointments.
    pub appointments: Vec<AppointmentView>,
    /// Service records.
    pub service_records: Vec<ServiceRecord>,
    /// Consultation answers she gave ahead on the online booking page.
    #[serde(default)]
    pub answers_ahead: Vec<AnswersAhead>,
    /// Feedback.
    pub feedback: Vec<Feedback>,
    /// Follow-ups.
    pub follow_ups: Vec<FollowUp>,
    /// Complaint events.
    pub complaint_events: Vec<ComplaintEvent>,
    /// Loyalty changes.
    pub loyalty: Vec<LoyaltyDelta>,
    /// Who read or changed her sensitive data, when, on which device: the audit entries about
    /// her and her records (PIPL art. 45 and GDPR art. 15 give her the recipients), oldest first.
    #[serde(default)]
    pub access: Vec<AuditEntry>,
}

type Lww<I, F> = BTreeMap<I, Owned<LwwEntity<F>>>;
type Log<I, K, T> = BTreeMap<I, Owned<BTreeMap<K, T>>>;

/// Every record this side knows, in merge form. Equal replicas are equal values (`==`), whatever order
/// they received their mutations in. Serializable, to persist or ship as a snapshot.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Replica {
    stores: Lww<StoreId, crate::store::StoreField>,
    staff: Lww<StaffId, crate::staff::StaffField>,
    customers: Lww<CustomerId, crate::customer::CustomerField>,
    assessments: BTreeMap<AssessmentId, Owned<SkinAssessment>>,
    consents: BTreeMap<ConsentId, Owned<ConsentRecord>>,
    catalog: Lww<ServiceId, crate::catalog::CatalogField>,
    rooms: Lww<RoomId, crate::room::RoomField>,
    appointments: Lww<AppointmentId, crate::appointment::AppointmentField>,
    statuses: Log<AppointmentId, TransitionId, (Hlc, StatusChange)>,
    waitlist: Lww<WaitlistId, crate::waitlist::WaitlistField>,
    records: Log<ServiceRecordId, RecordEntryId, (Hlc, RecordEntry)>,
    feedback: BTreeMap<FeedbackId, Owned<Feedback>>,
    follow_ups: Lww<FollowUpId, crate::followup::FollowUpField>,
    complaints: Log<ComplaintId, ComplaintEventId, (Hlc, ComplaintEvent)>,
    products: Lww<ProductId, crate::product::ProductField>,
    batches: BTreeMap<BatchId, Owned<Batch>>,
    stock: BTreeMap<StockMovementId, Owned<StockMovement>>,
    loyalty: BTreeMap<LoyaltyDeltaId, Owned<LoyaltyDelta>>,
    audit: BTreeMap<AuditId, Owned<AuditEntry>>,
    seen: BTreeMap<ClientId, SeenIds>,
    /// Per customer, her latest visit among the records this device evicted (local to a device:
    /// what the retention list needs to know of visits it no longer holds).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    evicted_contact: BTreeMap<CustomerId, Timestamp>,
    // Internal checks: absent from snapshots made before them (hence `default`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    check_templates: Lww<CheckTemplateId, crate::internal_check::CheckTemplateField>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    checks: BTreeMap<CheckId, Owned<CheckRecord>>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    corrective: Log<CorrectiveActionId, CorrectiveEventId, (Hlc, CorrectiveEvent)>,
    // Service tasks: absent from snapshots made before them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    tasks: Lww<ServiceTaskId, ServiceTaskField>,
    // Check-outs and their voids: absent from snapshots made before them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    checkouts: BTreeMap<CheckoutId, Owned<Checkout>>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    checkout_voids: BTreeMap<CheckoutId, Owned<CheckoutVoid>>,
}

fn merge_lww<I: Ord + Copy, F: FieldSet>(
    map: &mut Lww<I, F>,
    id: I,
    m: &Mutation,
    fields: &[F],
) -> bool {
    let entry = map.entry(id).or_insert_with(|| Owned {
        store_id: m.store_id,
        hlc: m.hlc,
        value: LwwEntity::default(),
    });
    let mut changed = entry.claim(m.store_id, m.hlc);
    for f in fields {
        changed |= entry.value.merge_field(m.hlc, f.clone());
    }
    changed
}

fn delete_lww<I: Ord + Copy, F: FieldSet>(map: &mut Lww<I, F>, id: I, m: &Mutation) -> bool {
    let entry = map.entry(id).or_insert_with(|| Owned {
        store_id: m.store_id,
        hlc: m.hlc,
        value: LwwEntity::default(),
    });
    entry.claim(m.store_id, m.hlc) | entry.value.delete(m.hlc)
}

/// Insert-once: the value written with the smallest HLC wins.
fn merge_once<I: Ord + Copy, T: Clone + PartialEq>(
    map: &mut BTreeMap<I, Owned<T>>,
    id: I,
    m: &Mutation,
    value: &T,
) -> bool {
    match map.get_mut(&id) {
        Some(cur) if cur.hlc <= m.hlc => false,
        Some(cur) => {
            *cur = Owned {
                store_id: m.store_id,
                hlc: m.hlc,
                value: value.clone(),
            };
            true
        }
        None => {
            map.insert(
                id,
                Owned {
                    store_id: m.store_id,
                    hlc: m.hlc,
                    value: value.clone(),
                },
            );
            true
        }
    }
}

/// Append-only log of one record: entries keyed by their own id; the owner is claimed by the earliest
/// write; an entry id written twice keeps the earliest write.
fn merge_log<I: Ord + Copy, K: Ord + Copy, T: Clone>(
    map: &mut Log<I, K, (Hlc, T)>,
    id: I,
    key: K,
    m: &Mutation,
    value: &T,
) -> bool {
    let log = map.entry(id).or_insert_with(|| Owned {
        store_id: m.store_id,
        hlc: m.hlc,
        value: BTreeMap::new(),
    });
    let mut changed = log.claim(m.store_id, m.hlc);
    match log.value.get(&key) {
        Some((h, _)) if *h <= m.hlc => {}
        _ => {
            log.value.insert(key, (m.hlc, value.clone()));
            changed = true;
        }
    }
    changed
}

fn live<I, F: FieldSet>(
    map: &Lww<I, F>,
    id: &I,
    blank: impl FnOnce(StoreId) -> F::Record,
) -> Option<F::Record>
where
    I: Ord,
{
    let o = map.get(id)?;
    if o.value.fields.is_empty() {
        return None;
    }
    o.value.materialize(blank(o.store_id))
}

impl Replica {
    /// An empty replica.
    pub fn new() -> Self {
        Self::default()
    }

    /// Has this mutation been applied?
    pub fn has_applied(&self, client: ClientId, mutation_id: u64) -> bool {
        self.seen
            .get(&client)
            .is_some_and(|s| s.contains(mutation_id))
    }

    /// The highest id `n` such that every mutation `1..=n` of `client` was applied.
    pub fn applied_through(&self, client: ClientId) -> u64 {
        self.seen.get(&client).map_or(0, |s| s.contiguous)
    }

    /// Validates and merges a mutation. Idempotent: a mutation already applied is a `Duplicate`. A
    /// mutation that fails validation changes nothing and returns the reason.
    pub fn apply(&mut self, m: &Mutation) -> Result<Applied, ValidationError> {
        if self.has_applied(m.client_id, m.mutation_id) {
            return Ok(Applied::Duplicate);
        }
        m.validate()?;
        let mut changed = self.merge(m);
        // A record of an erased customer takes no personal data, whenever its changes arrive
        // (a device that was offline for weeks pushes its edits after the erasure).
        let entity = m.change.entity();
        if entity.kind != EntityKind::Customer
            && let Some(customer) = self.customer_of(entity)
            && self.is_erased(customer)
        {
            changed |= self.erase_entity(entity);
        }
        self.seen
            .entry(m.client_id)
            .or_default()
            .insert(m.mutation_id);
        Ok(Applied::Merged {
            entity: m.change.entity(),
            changed,
        })
    }

    fn merge(&mut self, m: &Mutation) -> bool {
        match &m.change {
            Change::StoreUpsert { id, fields } => merge_lww(&mut self.stores, *id, m, fields),
            Change::StaffUpsert { id, fields } => merge_lww(&mut self.staff, *id, m, fields),
            Change::CustomerUpsert { id, fields } => merge_lww(&mut self.customers, *id, m, fields),
            Change::CustomerErase { id } => {
                let mut changed = delete_lww(&mut self.customers, *id, m);
                // Erased content is blanked in place (not removed), each value keeping the time
                // of its write, so that which write of an id wins stays the same whatever the
                // order.
                for entity in self.records_of_customer(*id) {
                    changed |= self.erase_entity(entity);
                }
                changed
            }
            Change::SkinAssessmentAdd(a) => {
                if self.is_erased(a.customer_id) {
                    merge_once(&mut self.assessments, a.id, m, &a.redacted())
                } else {
                    merge_once(&mut self.assessments, a.id, m, a)
                }
            }
            Change::ConsentRecord(c) => {
                if self.is_erased(c.customer_id) {
                    merge_once(&mut self.consents, c.id, m, &c.redacted())
                } else {
                    merge_once(&mut self.consents, c.id, m, c)
                }
            }
            Change::CatalogUpsert { id, fields } => merge_lww(&mut self.catalog, *id, m, fields),
            Change::RoomUpsert { id, fields } => merge_lww(&mut self.rooms, *id, m, fields),
            Change::AppointmentUpsert { id, fields } => {
                merge_lww(&mut self.appointments, *id, m, fields)
            }
            Change::AppointmentStatus {
                appointment_id,
                change,
            } => merge_log(&mut self.statuses, *appointment_id, change.id, m, change),
            Change::WaitlistUpsert { id, fields } => merge_lww(&mut self.waitlist, *id, m, fields),
            Change::ServiceRecordEntry(e) => merge_log(&mut self.records, e.record_id, e.id, m, e),
            Change::FeedbackSubmit(f) => {
                let mut f = f.clone();
                if let Some(c) = f.customer_id
                    && self.is_erased(c)
                {
                    f.comment = Note::default();
                }
                merge_once(&mut self.feedback, f.id, m, &f)
            }
            Change::FollowUpUpsert { id, fields } => {
                merge_lww(&mut self.follow_ups, *id, m, fields)
            }
            Change::ComplaintEvent(e) => {
                merge_log(&mut self.complaints, e.complaint_id, e.id, m, e)
            }
            Change::ProductUpsert { id, fields } => merge_lww(&mut self.products, *id, m, fields),
            Change::BatchAdd(b) => merge_once(&mut self.batches, b.id, m, b),
            Change::StockMove(s) => merge_once(&mut self.stock, s.id, m, s),
            Change::LoyaltyDelta(d) => merge_once(&mut self.loyalty, d.id, m, d),
            Change::AuditAppend(a) => merge_once(&mut self.audit, a.id, m, a),
            Change::CheckTemplateUpsert { id, fields } => {
                merge_lww(&mut self.check_templates, *id, m, fields)
            }
            Change::CheckRecord(c) => merge_once(&mut self.checks, c.id, m, c),
            Change::CorrectiveEvent(e) => merge_log(&mut self.corrective, e.action_id, e.id, m, e),
            Change::ServiceTaskUpsert { id, fields } => merge_lww(&mut self.tasks, *id, m, fields),
            Change::CheckoutRecord(c) => merge_once(&mut self.checkouts, c.id, m, c),
            Change::CheckoutVoid(v) => merge_once(&mut self.checkout_voids, v.checkout_id, m, v),
            Change::Delete { entity } => {
                let id = entity.id;
                match entity.kind {
                    EntityKind::Staff => delete_lww(&mut self.staff, StaffId(id), m),
                    EntityKind::CatalogService => delete_lww(&mut self.catalog, ServiceId(id), m),
                    EntityKind::Room => delete_lww(&mut self.rooms, RoomId(id), m),
                    EntityKind::Appointment => {
                        delete_lww(&mut self.appointments, AppointmentId(id), m)
                    }
                    EntityKind::Waitlist => delete_lww(&mut self.waitlist, WaitlistId(id), m),
                    EntityKind::FollowUp => delete_lww(&mut self.follow_ups, FollowUpId(id), m),
                    EntityKind::ServiceTask => delete_lww(&mut self.tasks, ServiceTaskId(id), m),
                    EntityKind::Product => delete_lww(&mut self.products, ProductId(id), m),
                    // Refused by validation.
                    _ => false,
                }
            }
        }
    }

    /// The customer a record is about, if any: named in the record itself, or (feedback, an
    /// audit entry) in the visit or record it refers to.
    pub fn customer_of(&self, entity: EntityRef) -> Option<CustomerId> {
        fn lww_customer<I: Ord, F: FieldSet>(
            map: &Lww<I, F>,
            id: &I,
            pick: impl Fn(&F) -> Option<CustomerId>,
        ) -> Option<CustomerId> {
            map.get(id)?
                .value
                .fields
                .iter()
                .find_map(|s| pick(&s.field))
        }
        let id = entity.id;
        match entity.kind {
            EntityKind::Customer => Some(CustomerId(id)),
            EntityKind::SkinAssessment => self
                .assessments
                .get(&AssessmentId(id))
                .map(|a| a.value.customer_id),
            EntityKind::Consent => self
                .consents
                .get(&ConsentId(id))
                .map(|c| c.value.customer_id),
            EntityKind::Appointment => {
                lww_customer(&self.appointments, &AppointmentId(id), |f| match f {
                    crate::appointment::AppointmentField::CustomerId(c) => Some(*c),
                    _ => None,
                })
            }
            EntityKind::Waitlist => lww_customer(&self.waitlist, &WaitlistId(id), |f| match f {
                crate::waitlist::WaitlistField::CustomerId(c) => Some(*c),
                _ => None,
            }),
            EntityKind::FollowUp => lww_customer(&self.follow_ups, &FollowUpId(id), |f| match f {
                crate::followup::FollowUpField::CustomerId(c) => Some(*c),
                _ => None,
            }),
            EntityKind::ServiceTask => lww_customer(&self.tasks, &ServiceTaskId(id), |f| match f {
                ServiceTaskField::CustomerId(c) => *c,
                _ => None,
            }),
            EntityKind::ServiceRecord => self
                .records
                .get(&ServiceRecordId(id))?
                .value
                .values()
                .find_map(|(_, e)| match &e.kind {
                    RecordEntryKind::Opened { customer_id, .. }
                    | RecordEntryKind::ConsultationAhead { customer_id, .. } => Some(*customer_id),
                    _ => None,
                }),
            EntityKind::Complaint => self
                .complaints
                .get(&ComplaintId(id))?
                .value
                .values()
                .find_map(|(_, e)| match &e.kind {
                    ComplaintEventKind::Received { customer_id, .. } => *customer_id,
                    _ => None,
                }),
            EntityKind::Feedback => {
                let f = &self.feedback.get(&FeedbackId(id))?.value;
                f.customer_id
                    .or_else(|| {
                        f.appointment_id.and_then(|a| {
                            self.customer_of(EntityRef::new(EntityKind::Appointment, a))
                        })
                    })
                    .or_else(|| {
                        f.service_record_id.and_then(|r| {
                            self.customer_of(EntityRef::new(EntityKind::ServiceRecord, r))
                        })
                    })
            }
            EntityKind::LoyaltyDelta => self
                .loyalty
                .get(&LoyaltyDeltaId(id))
                .map(|d| d.value.customer_id),
            EntityKind::Checkout => self
                .checkouts
                .get(&CheckoutId(id))
                .and_then(|c| c.value.customer_id),
            EntityKind::Audit => {
                let about = self.audit.get(&AuditId(id))?.value.entity;
                (about.kind != EntityKind::Audit)
                    .then(|| self.customer_of(about))
                    .flatten()
            }
            EntityKind::Store
            | EntityKind::Staff
            | EntityKind::CatalogService
            | EntityKind::Room
            | EntityKind::Product
            | EntityKind::Batch
            | EntityKind::StockMovement
            | EntityKind::CheckTemplate
            | EntityKind::Check
            | EntityKind::CorrectiveAction => None,
        }
    }

    /// Every record about `customer` (besides her file): what an erasure blanks.
    pub fn records_of_customer(&self, customer: CustomerId) -> Vec<EntityRef> {
        fn refs<I: Copy + Into<uuid::Uuid>, V>(
            kind: EntityKind,
            map: &BTreeMap<I, V>,
        ) -> impl Iterator<Item = EntityRef> + '_ {
            map.keys().map(move |id| EntityRef::new(kind, (*id).into()))
        }
        let all = refs(EntityKind::SkinAssessment, &self.assessments)
            .chain(refs(EntityKind::Consent, &self.consents))
            .chain(refs(EntityKind::Appointment, &self.appointments))
            .chain(refs(EntityKind::Waitlist, &self.waitlist))
            .chain(refs(EntityKind::ServiceRecord, &self.records))
            .chain(refs(EntityKind::Feedback, &self.feedback))
            .chain(refs(EntityKind::FollowUp, &self.follow_ups))
            .chain(refs(EntityKind::ServiceTask, &self.tasks))
            .chain(refs(EntityKind::Complaint, &self.complaints))
            .chain(refs(EntityKind::LoyaltyDelta, &self.loyalty))
            .chain(refs(EntityKind::Checkout, &self.checkouts))
            .chain(refs(EntityKind::Audit, &self.audit));
        all.filter(|e| self.customer_of(*e) == Some(customer))
            .collect()
    }

    /// Blanks the personal data of one record (its customer is erased). True if anything changed.
    fn erase_entity(&mut self, entity: EntityRef) -> bool {
        fn each_entry<K, T>(
            log: Option<&mut Owned<BTreeMap<K, (Hlc, T)>>>,
            erase: impl Fn(&mut T) -> bool,
        ) -> bool {
            let mut changed = false;
            if let Some(log) = log {
                for (_, e) in log.value.values_mut() {
                    changed |= erase(e);
                }
            }
            changed
        }
        let id = entity.id;
        match entity.kind {
            EntityKind::SkinAssessment => self
                .assessments
                .get_mut(&AssessmentId(id))
                .is_some_and(|a| a.value.erase_personal()),
            EntityKind::Consent => self
                .consents
                .get_mut(&ConsentId(id))
                .is_some_and(|c| c.value.erase_personal()),
            EntityKind::Appointment => {
                let fields = self
                    .appointments
                    .get_mut(&AppointmentId(id))
                    .is_some_and(|a| a.value.erase_personal());
                let statuses = each_entry(
                    self.statuses.get_mut(&AppointmentId(id)),
                    StatusChange::erase_personal,
                );
                fields | statuses
            }
            EntityKind::Waitlist => self
                .waitlist
                .get_mut(&WaitlistId(id))
                .is_some_and(|w| w.value.erase_personal()),
            EntityKind::FollowUp => self
                .follow_ups
                .get_mut(&FollowUpId(id))
                .is_some_and(|f| f.value.erase_personal()),
            EntityKind::ServiceTask => self
                .tasks
                .get_mut(&ServiceTaskId(id))
                .is_some_and(|t| t.value.erase_personal()),
            EntityKind::ServiceRecord => each_entry(
                self.records.get_mut(&ServiceRecordId(id)),
                RecordEntry::erase_personal,
            ),
            EntityKind::Complaint => each_entry(
                self.complaints.get_mut(&ComplaintId(id)),
                ComplaintEvent::erase_personal,
            ),
            EntityKind::Feedback => self
                .feedback
                .get_mut(&FeedbackId(id))
                .is_some_and(|f| f.value.erase_personal()),
            EntityKind::LoyaltyDelta => self
                .loyalty
                .get_mut(&LoyaltyDeltaId(id))
                .is_some_and(|d| d.value.erase_personal()),
            EntityKind::Audit => self
                .audit
                .get_mut(&AuditId(id))
                .is_some_and(|a| a.value.erase_personal()),
            EntityKind::Checkout => {
                let sale = self
                    .checkouts
                    .get_mut(&CheckoutId(id))
                    .is_some_and(|c| c.value.erase_personal());
                let void = self
                    .checkout_voids
                    .get_mut(&CheckoutId(id))
                    .is_some_and(|v| v.value.erase_personal());
                sale | void
            }
            // The file itself is dropped by its tombstone; the rest is not about a customer.
            EntityKind::Customer
            | EntityKind::Store
            | EntityKind::Staff
            | EntityKind::CatalogService
            | EntityKind::Room
            | EntityKind::Product
            | EntityKind::Batch
            | EntityKind::StockMovement
            | EntityKind::CheckTemplate
            | EntityKind::Check
            | EntityKind::CorrectiveAction => false,
        }
    }

    /// Was this customer erased?
    pub fn is_erased(&self, id: CustomerId) -> bool {
        self.customers
            .get(&id)
            .is_some_and(|c| c.value.is_deleted())
    }

    /// The store a record belongs to, if known (servers check it against the mutation's store).
    pub fn store_of(&self, entity: EntityRef) -> Option<StoreId> {
        let id = entity.id;
        match entity.kind {
            EntityKind::Store => self.stores.get(&StoreId(id)).map(|o| o.store_id),
            EntityKind::Staff => self.staff.get(&StaffId(id)).map(|o| o.store_id),
            EntityKind::Customer => self.customers.get(&CustomerId(id)).map(|o| o.store_id),
            EntityKind::SkinAssessment => {
                self.assessments.get(&AssessmentId(id)).map(|o| o.store_id)
            }
            EntityKind::Consent => self.consents.get(&ConsentId(id)).map(|o| o.store_id),
            EntityKind::CatalogService => self.catalog.get(&ServiceId(id)).map(|o| o.store_id),
            EntityKind::Room => self.rooms.get(&RoomId(id)).map(|o| o.store_id),
            EntityKind::Appointment => self
                .appointments
                .get(&AppointmentId(id))
                .map(|o| o.store_id)
                .or_else(|| self.statuses.get(&AppointmentId(id)).map(|o| o.store_id)),
            EntityKind::Waitlist => self.waitlist.get(&WaitlistId(id)).map(|o| o.store_id),
            EntityKind::ServiceRecord => self.records.get(&ServiceRecordId(id)).map(|o| o.store_id),
            EntityKind::Feedback => self.feedback.get(&FeedbackId(id)).map(|o| o.store_id),
            EntityKind::FollowUp => self.follow_ups.get(&FollowUpId(id)).map(|o| o.store_id),
            EntityKind::Complaint => self.complaints.get(&ComplaintId(id)).map(|o| o.store_id),
            EntityKind::Product => self.products.get(&ProductId(id)).map(|o| o.store_id),
            EntityKind::Batch => self.batches.get(&BatchId(id)).map(|o| o.store_id),
            EntityKind::StockMovement => self.stock.get(&StockMovementId(id)).map(|o| o.store_id),
            EntityKind::LoyaltyDelta => self.loyalty.get(&LoyaltyDeltaId(id)).map(|o| o.store_id),
            EntityKind::Audit => self.audit.get(&AuditId(id)).map(|o| o.store_id),
            EntityKind::CheckTemplate => self
                .check_templates
                .get(&CheckTemplateId(id))
                .map(|o| o.store_id),
            EntityKind::Check => self.checks.get(&CheckId(id)).map(|o| o.store_id),
            EntityKind::CorrectiveAction => self
                .corrective
                .get(&CorrectiveActionId(id))
                .map(|o| o.store_id),
            EntityKind::ServiceTask => self.tasks.get(&ServiceTaskId(id)).map(|o| o.store_id),
            EntityKind::Checkout => self
                .checkouts
                .get(&CheckoutId(id))
                .map(|o| o.store_id)
                .or_else(|| self.checkout_voids.get(&CheckoutId(id)).map(|o| o.store_id)),
        }
    }

    // ---- reading ----

    /// One loyalty movement.
    pub fn loyalty_delta(&self, id: LoyaltyDeltaId) -> Option<LoyaltyDelta> {
        self.loyalty.get(&id).map(|d| d.value.clone())
    }
    /// One audit entry written on a device.
    pub fn audit_entry(&self, id: AuditId) -> Option<AuditEntry> {
        self.audit.get(&id).map(|a| a.value.clone())
    }

    /// A store.
    pub fn store(&self, id: StoreId) -> Option<Store> {
        live(&self.stores, &id, |_| Store::blank(id))
    }
    /// All stores.
    pub fn stores(&self) -> Vec<Store> {
        self.stores
            .keys()
            .filter_map(|id| self.store(*id))
            .collect()
    }
    /// A member of staff.
    pub fn staff_member(&self, id: StaffId) -> Option<Staff> {
        live(&self.staff, &id, |s| Staff::blank(id, s))
    }
    /// Staff of a store.
    pub fn staff(&self, store: StoreId) -> Vec<Staff> {
        self.staff
            .iter()
            .filter(|(_, o)| o.store_id == store)
            .filter_map(|(id, _)| self.staff_member(*id))
            .collect()
    }
    /// A customer (none if unknown or erased).
    pub fn customer(&self, id: CustomerId) -> Option<Customer> {
        live(&self.customers, &id, |s| Customer::blank(id, s))
    }
    /// Customers of a store.
    pub fn customers(&self, store: StoreId) -> Vec<Customer> {
        self.customers
            .iter()
            .filter(|(_, o)| o.store_id == store)
            .filter_map(|(id, _)| self.customer(*id))
            .collect()
    }
    /// The field-level merge state of a customer (HLC per field), e.g. to show who changed what.
    pub fn customer_state(
        &self,
        id: CustomerId,
    ) -> Option<&LwwEntity<crate::customer::CustomerField>> {
        self.customers.get(&id).map(|o| &o.value)
    }
    /// Skin assessments of a customer, oldest first (none once erased).
    pub fn skin_assessments(&self, customer: CustomerId) -> Vec<SkinAssessment> {
        if self.is_erased(customer) {
            return Vec::new();
        }
        let mut v: Vec<SkinAssessment> = self
            .assessments
            .values()
            .filter(|a| a.value.customer_id == customer)
            .map(|a| a.value.clone())
            .collect();
        v.sort_by_key(|a| (a.assessed_at, a.id));
        v
    }
    /// The store's customers who ever bought a prepaid package (a short list to look for
    /// packages about to expire, without summing every customer's loyalty).
    pub fn customers_with_packages(&self, store: StoreId) -> BTreeSet<CustomerId> {
        self.loyalty
            .values()
            .filter(|o| o.store_id == store)
            .filter(|o| matches!(o.value.change, LoyaltyChange::PackagePurchased { .. }))
            .map(|o| o.value.customer_id)
            .collect()
    }
    /// Consent records of a customer, oldest first.
    pub fn consents(&self, customer: CustomerId) -> Vec<ConsentRecord> {
        let mut v: Vec<ConsentRecord> = self
            .consents
            .values()
            .filter(|c| c.value.customer_id == customer)
            .map(|c| c.value.clone())
            .collect();
        v.sort_by_key(|c| (c.at, c.id));
        v
    }
    /// A catalog entry.
    pub fn catalog_service(&self, id: ServiceId) -> Option<CatalogService> {
        live(&self.catalog, &id, |s| CatalogService::blank(id, s))
    }
    /// The catalog of a store.
    pub fn catalog(&self, store: StoreId) -> Vec<CatalogService> {
        self.catalog
            .iter()
            .filter(|(_, o)| o.store_id == store)
            .filter_map(|(id, _)| self.catalog_service(*id))
            .collect()
    }
    /// A room.
    pub fn room(&self, id: RoomId) -> Option<Room> {
        live(&self.rooms, &id, |s| Room::blank(id, s))
    }
    /// Rooms of a store.
    pub fn rooms(&self, store: StoreId) -> Vec<Room> {
        self.rooms
            .iter()
            .filter(|(_, o)| o.store_id == store)
            .filter_map(|(id, _)| self.room(*id))
            .collect()
    }
    /// The status of an appointment, replayed from its moves in HLC order.
    pub fn appointment_status(&self, id: AppointmentId) -> StatusView {
        let Some(log) = self.statuses.get(&id) else {
            return StatusView::default();
        };
        let mut moves: Vec<&(Hlc, StatusChange)> = log.value.values().collect();
        moves.sort_by_key(|(h, _)| *h);
        StatusView::replay(moves.into_iter().map(|(_, c)| c))
    }
    /// An appointment with its status.
    pub fn appointment(&self, id: AppointmentId) -> Option<AppointmentView> {
        let appointment = live(&self.appointments, &id, |s| Appointment::blank(id, s))?;
        Some(AppointmentView {
            appointment,
            status: self.appointment_status(id),
        })
    }
    /// Appointments of a store, by start time.
    pub fn appointments(&self, store: StoreId) -> Vec<AppointmentView> {
        let mut v: Vec<AppointmentView> = self
            .appointments
            .iter()
            .filter(|(_, o)| o.store_id == store)
            .filter_map(|(id, _)| self.appointment(*id))
            .collect();
        v.sort_by_key(|a| (a.appointment.time.start, a.appointment.id));
        v
    }
    /// Every collision among a store's bookings that hold time: two devices may have booked the same
    /// slot offline; both bookings are kept and each collision is listed here for a person to resolve.
    pub fn booking_conflicts(&self, store: StoreId, buffer_minutes: u32) -> Vec<Conflict> {
        let views = self.appointments(store);
        appointment::all_conflicts(
            views.iter().map(|v| (&v.appointment, v.status.status)),
            buffer_minutes,
        )
    }
    /// A waitlist entry.
    pub fn waitlist_entry(&self, id: WaitlistId) -> Option<WaitlistEntry> {
        live(&self.waitlist, &id, |s| WaitlistEntry::blank(id, s))
    }
    /// The waitlist of a store.
    pub fn waitlist(&self, store: StoreId) -> Vec<WaitlistEntry> {
        self.waitlist
            .iter()
            .filter(|(_, o)| o.store_id == store)
            .filter_map(|(id, _)| self.waitlist_entry(*id))
            .collect()
    }
    /// The entries of a service record.
    pub fn service_record_entries(&self, id: ServiceRecordId) -> Vec<RecordEntry> {
        self.records
            .get(&id)
            .map(|o| o.value.values().map(|(_, e)| e.clone()).collect())
            .unwrap_or_default()
    }
    /// The checks of a change made on this device that depend on records it refers to, as the
    /// server makes them on push: the contraindication stop — a service step (or an override) on
    /// a record is refused unless the record's entries before it admit it
    /// ([`crate::service_record::admits`]) — and a check-in only on the booking's day
    /// ([`crate::appointment::check_arrival_day`]).
    pub fn check_stop(&self, change: &Change) -> Result<(), ValidationError> {
        if let Change::AppointmentStatus {
            appointment_id,
            change,
        } = change
            && let Some(view) = self.appointment(*appointment_id)
        {
            // A store whose settings were never saved keeps its defaults.
            let store = view.appointment.store_id;
            let offset = self
                .store(store)
                .unwrap_or_else(|| Store::blank(store))
                .utc_offset;
            return crate::appointment::check_arrival_day(
                &view.appointment,
                change.to,
                change.at,
                offset,
            )
            .map_err(Into::into);
        }
        let Change::ServiceRecordEntry(entry) = change else {
            return Ok(());
        };
        let entries = self.service_record_entries(entry.record_id);
        let before = entries
            .iter()
            .filter(|e| (e.at, e.id) < (entry.at, entry.id));
        crate::service_record::admits(before, entry).map_err(Into::into)
    }
    /// A customer's health-data decisions, each with the HLC of the change that recorded it.
    fn health_consents(&self, customer: CustomerId) -> Vec<(Hlc, &ConsentRecord)> {
        self.consents
            .values()
            .filter(|c| {
                c.value.customer_id == customer && c.value.purpose == ConsentPurpose::HealthData
            })
            .map(|c| (c.hlc, &c.value))
            .collect()
    }
    /// A customer's current health-data decision: the latest recorded (by HLC), if any.
    pub fn health_consent(&self, customer: CustomerId) -> Option<ConsentRecord> {
        self.health_consents(customer)
            .into_iter()
            .max_by_key(|(h, _)| *h)
            .map(|(_, c)| c.clone())
    }
    /// Is her health-data consent given now?
    pub fn has_health_consent(&self, customer: CustomerId) -> bool {
        self.health_consent(customer)
            .is_some_and(|c| c.decision == consent::ConsentDecision::Given)
    }
    /// Where a mutation that writes health data stands against her consents as this replica
    /// knows them; `None` if it writes none (or names a service record not known here).
    pub fn health_write(&self, m: &Mutation) -> Option<HealthWrite> {
        let customer = match m.change.health_subject()? {
            HealthSubject::Customer(c) => c,
            HealthSubject::Record(r) => self.service_record(r)?.customer_id,
        };
        Some(consent::health_write(self.health_consents(customer), m.hlc))
    }
    /// The checks a device makes before it writes a change of its own: the contraindication
    /// stop, a task marked done only by its assignee, and that health data is written only
    /// under a consent given now.
    pub fn check_write(&self, m: &Mutation) -> Result<(), ValidationError> {
        self.check_stop(&m.change)?;
        self.check_task_work(m)?;
        match self.health_write(m) {
            None | Some(HealthWrite::Covered) => Ok(()),
            Some(_) => Err(consent::ConsentError::HealthDataRequired.into()),
        }
    }
    /// The consent rule as a server applies it to a pushed change: refused when no consent was
    /// ever given before it; a write after a withdrawal the device had not seen is kept (and
    /// listed by [`Replica::consent_flags`]).
    pub fn check_pushed(&self, m: &Mutation) -> Result<(), ValidationError> {
        match self.health_write(m) {
            Some(HealthWrite::Refused) => Err(consent::ConsentError::HealthDataRequired.into()),
            _ => Ok(()),
        }
    }
    /// Every health write of a store's customers that no given consent covered when it was made,
    /// for the manager (as [`Replica::booking_conflicts`] lists colliding bookings).
    pub fn consent_flags(&self, store: StoreId) -> Vec<ConsentFlag> {
        let mut by_customer: BTreeMap<CustomerId, Vec<(Hlc, &ConsentRecord)>> = BTreeMap::new();
        for c in self.consents.values() {
            if c.value.purpose == ConsentPurpose::HealthData {
                by_customer
                    .entry(c.value.customer_id)
                    .or_default()
                    .push((c.hlc, &c.value));
            }
        }
        let uncovered = |customer: CustomerId, hlc: Hlc| {
            let log = by_customer.get(&customer).map(Vec::as_slice).unwrap_or(&[]);
            consent::health_write(log.iter().map(|(h, c)| (*h, *c)), hlc) != HealthWrite::Covered
        };
        let mut flags = Vec::new();
        for (id, o) in &self.customers {
            if o.store_id != store || o.value.is_deleted() {
                continue;
            }
            for s in &o.value.fields {
                if s.field.holds_health_data() && uncovered(*id, s.hlc) {
                    flags.push(ConsentFlag {
                        customer_id: *id,
                        entity: EntityRef::new(EntityKind::Customer, *id),
                        field: Some(s.field.name().to_owned()),
                        written: s.hlc,
                    });
                }
            }
        }
        for a in self.assessments.values() {
            let c = a.value.customer_id;
            if a.store_id == store && !self.is_erased(c) && uncovered(c, a.hlc) {
                flags.push(ConsentFlag {
                    customer_id: c,
                    entity: EntityRef::new(EntityKind::SkinAssessment, a.value.id),
                    field: None,
                    written: a.hlc,
                });
            }
        }
        for (id, o) in &self.records {
            if o.store_id != store {
                continue;
            }
            let Some(customer) = self.customer_of(EntityRef::new(EntityKind::ServiceRecord, *id))
            else {
                continue;
            };
            if self.is_erased(customer) {
                continue;
            }
            for (hlc, e) in o.value.values() {
                if matches!(&e.kind, RecordEntryKind::Consultation { answers, .. }
                    | RecordEntryKind::ConsultationAhead { answers, .. } if !answers.is_empty())
                    && uncovered(customer, *hlc)
                {
                    flags.push(ConsentFlag {
                        customer_id: customer,
                        entity: EntityRef::new(EntityKind::ServiceRecord, *id),
                        field: None,
                        written: *hlc,
                    });
                }
            }
        }
        flags.sort();
        flags
    }
    /// Drops an appointment (with its status moves), a service record or a feedback from this
    /// replica: a device evicting old records the server keeps. Other kinds are never evicted.
    /// True if something was removed.
    pub fn evict(&mut self, entity: EntityRef) -> bool {
        let contact = match entity.kind {
            EntityKind::Appointment => self
                .appointment(AppointmentId(entity.id))
                .map(|a| (a.appointment.customer_id, a.appointment.time.start)),
            EntityKind::ServiceRecord => self
                .service_record(ServiceRecordId(entity.id))
                .map(|r| (r.customer_id, r.opened_at)),
            EntityKind::Feedback => self
                .feedback
                .get(&FeedbackId(entity.id))
                .and_then(|f| Some((f.value.customer_id?, f.value.submitted_at))),
            _ => None,
        };
        if let Some((customer, at)) = contact {
            let latest = self.evicted_contact.entry(customer).or_insert(at);
            *latest = (*latest).max(at);
        }
        match entity.kind {
            EntityKind::Appointment => {
                let id = AppointmentId(entity.id);
                self.statuses.remove(&id);
                self.appointments.remove(&id).is_some()
            }
            EntityKind::ServiceRecord => self.records.remove(&ServiceRecordId(entity.id)).is_some(),
            EntityKind::Feedback => self.feedback.remove(&FeedbackId(entity.id)).is_some(),
            _ => false,
        }
    }
    /// The latest visit of `customer` among the records this device evicted.
    pub fn evicted_contact(&self, customer: CustomerId) -> Option<Timestamp> {
        self.evicted_contact.get(&customer).copied()
    }
    /// The consultation answers her customer gave ahead for booking `appointment` on the online
    /// booking page, not yet confirmed: the latest such entry (by time, then id).
    pub fn answers_ahead(&self, appointment: AppointmentId) -> Option<AnswersAhead> {
        self.records
            .iter()
            .flat_map(|(record_id, o)| {
                o.value.values().filter_map(move |(_, e)| match &e.kind {
                    RecordEntryKind::ConsultationAhead {
                        customer_id,
                        appointment_id,
                        answers,
                    } if *appointment_id == appointment => Some(AnswersAhead {
                        record_id: *record_id,
                        customer_id: *customer_id,
                        appointment_id: *appointment_id,
                        at: e.at,
                        answers: answers.clone(),
                    }),
                    _ => None,
                })
            })
            .max_by_key(|a| (a.at, a.record_id))
    }
    /// A service record, built from its entries.
    pub fn service_record(&self, id: ServiceRecordId) -> Option<ServiceRecord> {
        ServiceRecord::from_entries(self.records.get(&id)?.value.values().map(|(_, e)| e))
    }
    /// Service records of a store.
    pub fn service_records(&self, store: StoreId) -> Vec<ServiceRecord> {
        self.records
            .values()
            .filter(|o| o.store_id == store)
            .filter_map(|o| ServiceRecord::from_entries(o.value.values().map(|(_, e)| e)))
            .collect()
    }
    /// Feedback of a store.
    pub fn feedback(&self, store: StoreId) -> Vec<Feedback> {
        self.feedback
            .values()
            .filter(|o| o.store_id == store)
            .map(|o| o.value.clone())
            .collect()
    }
    /// A follow-up.
    pub fn follow_up(&self, id: FollowUpId) -> Option<FollowUp> {
        live(&self.follow_ups, &id, |s| FollowUp::blank(id, s))
    }
    /// Follow-ups of a store, by due time.
    pub fn follow_ups(&self, store: StoreId) -> Vec<FollowUp> {
        let mut v: Vec<FollowUp> = self
            .follow_ups
            .iter()
            .filter(|(_, o)| o.store_id == store)
            .filter_map(|(id, _)| self.follow_up(*id))
            .collect();
        v.sort_by_key(|f| (f.due, f.id));
        v
    }
    /// A service task.
    pub fn service_task(&self, id: ServiceTaskId) -> Option<ServiceTask> {
        live(&self.tasks, &id, |s| ServiceTask::blank(id, s))
    }
    /// Service tasks of a store, by deadline.
    pub fn service_tasks(&self, store: StoreId) -> Vec<ServiceTask> {
        let mut v: Vec<ServiceTask> = self
            .tasks
            .iter()
            .filter(|(_, o)| o.store_id == store)
            .filter_map(|(id, _)| self.service_task(*id))
            .collect();
        v.sort_by_key(|t| (t.due, t.id));
        v
    }
    /// Marking a task done (or open again) by one who does not assign tasks: only the person it
    /// is assigned to (checked against the task as this side knows it; every device and the
    /// server make the same check).
    pub fn check_task_work(&self, m: &Mutation) -> Result<(), ValidationError> {
        let Change::ServiceTaskUpsert { id, fields } = &m.change else {
            return Ok(());
        };
        if crate::service_task::required_action(fields) != crate::permission::Action::TaskWork
            || crate::service_task::may_assign(m.actor.role)
        {
            return Ok(());
        }
        match self.service_task(*id) {
            Some(task) if task.may_mark_done(&m.actor) => Ok(()),
            _ => Err(crate::service_task::TaskError::NotAssignee.into()),
        }
    }
    /// The events of a complaint.
    pub fn complaint_events(&self, id: ComplaintId) -> Vec<ComplaintEvent> {
        self.complaints
            .get(&id)
            .map(|o| o.value.values().map(|(_, e)| e.clone()).collect())
            .unwrap_or_default()
    }
    /// The events of a complaint with the device that wrote each (for the history: who, when,
    /// which device).
    pub fn complaint_log(&self, id: ComplaintId) -> Vec<(ClientId, ComplaintEvent)> {
        let mut log: Vec<(ClientId, ComplaintEvent)> = self
            .complaints
            .get(&id)
            .map(|o| o.value.values().map(|(h, e)| (h.node, e.clone())).collect())
            .unwrap_or_default();
        log.sort_by_key(|(_, e)| (e.at, e.id));
        log
    }
    /// A complaint's state at `now`, under the rules of its store (default settings if the store is
    /// unknown here).
    pub fn complaint(&self, id: ComplaintId, now: Timestamp) -> Option<ComplaintView> {
        let o = self.complaints.get(&id)?;
        let store = self
            .store(o.store_id)
            .unwrap_or_else(|| Store::blank(o.store_id));
        let events: Vec<ComplaintEvent> = o.value.values().map(|(_, e)| e.clone()).collect();
        ComplaintView::compute(&events, &store, now)
    }
    /// Complaints of a store at `now`.
    pub fn complaints(&self, store: StoreId, now: Timestamp) -> Vec<ComplaintView> {
        self.complaints
            .iter()
            .filter(|(_, o)| o.store_id == store)
            .filter_map(|(id, _)| self.complaint(*id, now))
            .collect()
    }
    /// A product.
    pub fn product(&self, id: ProductId) -> Option<Product> {
        live(&self.products, &id, |s| Product::blank(id, s))
    }
    /// The checklists of a store: the starting set (with the store's edits of them) and its own.
    pub fn check_templates(&self, store: StoreId) -> Vec<CheckTemplate> {
        let mut list: Vec<CheckTemplate> = starting_templates(store)
            .into_iter()
            .filter_map(|t| match self.check_templates.get(&t.id) {
                Some(o) => o.value.materialize(t),
                None => Some(t),
            })
            .collect();
        let starting: BTreeSet<CheckTemplateId> = list.iter().map(|t| t.id).collect();
        list.extend(
            self.check_templates
                .iter()
                .filter(|(id, o)| o.store_id == store && !starting.contains(id))
                .filter_map(|(id, _)| {
                    live(&self.check_templates, id, |s| CheckTemplate::blank(*id, s))
                }),
        );
        list
    }
    /// The checks done in a store, oldest first.
    pub fn checks_done(&self, store: StoreId) -> Vec<CheckRecord> {
        let mut list: Vec<CheckRecord> = self
            .checks
            .values()
            .filter(|o| o.store_id == store)
            .map(|o| o.value.clone())
            .collect();
        list.sort_by_key(|c| (c.at, c.id));
        list
    }
    /// A corrective action, replayed from its log.
    pub fn corrective_action(&self, id: CorrectiveActionId) -> Option<CorrectiveActionView> {
        let o = self.corrective.get(&id)?;
        let events: Vec<(Hlc, CorrectiveEvent)> = o.value.values().cloned().collect();
        CorrectiveActionView::replay(&events)
    }
    /// The corrective actions of a store.
    pub fn corrective_actions(&self, store: StoreId) -> Vec<CorrectiveActionView> {
        self.corrective
            .iter()
            .filter(|(_, o)| o.store_id == store)
            .filter_map(|(id, _)| self.corrective_action(*id))
            .collect()
    }
    /// Products of a store.
    pub fn products(&self, store: StoreId) -> Vec<Product> {
        self.products
            .iter()
            .filter(|(_, o)| o.store_id == store)
            .filter_map(|(id, _)| self.product(*id))
            .collect()
    }
    /// Batches of a store.
    pub fn batches(&self, store: StoreId) -> Vec<Batch> {
        self.batches
            .values()
            .filter(|o| o.store_id == store)
            .map(|o| o.value.clone())
            .collect()
    }
    /// Stock movements of a store.
    pub fn stock_movements(&self, store: StoreId) -> Vec<StockMovement> {
        self.stock
            .values()
            .filter(|o| o.store_id == store)
            .map(|o| o.value.clone())
            .collect()
    }
    /// Stock levels of a store, summed from movements.
    pub fn stock_levels(&self, store: StoreId) -> StockLevels {
        StockLevels::from_movements(
            self.stock
                .values()
                .filter(|o| o.store_id == store)
                .map(|o| &o.value),
        )
    }
    /// Every loyalty change of a store's customers (the sales report sums them as of a moment).
    pub fn store_loyalty_deltas(&self, store: StoreId) -> Vec<LoyaltyDelta> {
        self.loyalty
            .values()
            .filter(|o| o.store_id == store)
            .map(|o| o.value.clone())
            .collect()
    }
    /// A customer's loyalty changes.
    pub fn loyalty_deltas(&self, customer: CustomerId) -> Vec<LoyaltyDelta> {
        let mut v: Vec<LoyaltyDelta> = self
            .loyalty
            .values()
            .filter(|o| o.value.customer_id == customer)
            .map(|o| o.value.clone())
            .collect();
        v.sort_by_key(|d| (d.at, d.id));
        v
    }
    /// A check-out, with its void if voided.
    pub fn checkout(&self, id: CheckoutId) -> Option<CheckoutView> {
        let checkout = self.checkouts.get(&id)?.value.clone();
        Some(CheckoutView {
            checkout,
            void: self.checkout_voids.get(&id).map(|v| v.value.clone()),
        })
    }
    /// The check-outs of a store, newest first.
    pub fn checkouts(&self, store: StoreId) -> Vec<CheckoutView> {
        let mut v: Vec<CheckoutView> = self
            .checkouts
            .iter()
            .filter(|(_, o)| o.store_id == store)
            .filter_map(|(id, _)| self.checkout(*id))
            .collect();
        v.sort_by_key(|c| std::cmp::Reverse((c.checkout.at, c.checkout.id)));
        v
    }
    /// A customer's check-outs, newest first.
    pub fn checkouts_of_customer(&self, customer: CustomerId) -> Vec<CheckoutView> {
        let mut v: Vec<CheckoutView> = self
            .checkouts
            .iter()
            .filter(|(_, o)| o.value.customer_id == Some(customer))
            .filter_map(|(id, _)| self.checkout(*id))
            .collect();
        v.sort_by_key(|c| std::cmp::Reverse((c.checkout.at, c.checkout.id)));
        v
    }
    /// The balances of every customer with a loyalty movement in a store, in one pass over the
    /// movements (a store's 10,000 customers × 20 movements well within a screen's time).
    pub fn balances(&self, store: StoreId) -> BTreeMap<CustomerId, LoyaltyBalance> {
        let mut deltas: Vec<&LoyaltyDelta> = self
            .loyalty
            .values()
            .filter(|o| o.store_id == store)
            .map(|o| &o.value)
            .collect();
        deltas.sort_unstable_by_key(|d| d.customer_id);
        deltas
            .chunk_by(|a, b| a.customer_id == b.customer_id)
            .filter_map(|one| {
                let customer = one.first()?.customer_id;
                Some((customer, LoyaltyBalance::from_deltas(one.iter().copied())))
            })
            .collect()
    }
    /// Every customer of a store whose package sessions or card money are below zero.
    pub fn overdrawn(&self, store: StoreId) -> Vec<Overdrawn> {
        overdrawn(
            self.balances(store)
                .into_iter()
                .filter(|(c, _)| !self.is_erased(*c)),
        )
    }
    /// A customer's loyalty balances.
    pub fn loyalty(&self, customer: CustomerId) -> LoyaltyBalance {
        LoyaltyBalance::from_deltas(
            self.loyalty
                .values()
                .filter(|o| o.value.customer_id == customer)
                .map(|o| &o.value),
        )
    }
    /// The audit log of a store, oldest first.
    pub fn audit(&self, store: StoreId) -> Vec<AuditEntry> {
        let mut v: Vec<AuditEntry> = self
            .audit
            .values()
            .filter(|o| o.store_id == store)
            .map(|o| o.value.clone())
            .collect();
        v.sort_by_key(|a| (a.at, a.id));
        v
    }

    /// Everything about one customer, for an export. `None` if unknown or erased.
    pub fn export_customer(&self, id: CustomerId) -> Option<CustomerExport> {
        let customer = self.customer(id)?;
        let appointments: Vec<AppointmentView> = self
            .appointments
            .keys()
            .filter_map(|a| self.appointment(*a))
            .filter(|a| a.appointment.customer_id == id)
            .collect();
        let service_records: Vec<ServiceRecord> = self
            .records
            .values()
            .filter_map(|o| ServiceRecord::from_entries(o.value.values().map(|(_, e)| e)))
            .filter(|r| r.customer_id == id)
            .collect();
        let complaint_ids: Vec<ComplaintId> = self
            .complaints
            .iter()
            .filter(|(_, o)| {
                o.value.values().any(|(_, e)| {
                    matches!(&e.kind, crate::complaint::ComplaintEventKind::Received { customer_id: Some(c), .. } if *c == id)
                })
            })
            .map(|(k, _)| *k)
            .collect();
        Some(CustomerExport {
            customer,
            skin_assessments: self.skin_assessments(id),
            consents: self.consents(id),
            answers_ahead: appointments
                .iter()
                .filter_map(|a| self.answers_ahead(a.appointment.id))
                .filter(|a| a.customer_id == id)
                .collect(),
            appointments,
            service_records,
            feedback: self
                .feedback
                .values()
                .filter(|o| o.value.customer_id == Some(id))
                .map(|o| o.value.clone())
                .collect(),
            follow_ups: self
                .follow_ups
                .keys()
                .filter_map(|f| self.follow_up(*f))
                .filter(|f| f.customer_id == id)
                .collect(),
            complaint_events: complaint_ids
                .iter()
                .flat_map(|c| self.complaint_events(*c))
                .collect(),
            loyalty: self.loyalty_deltas(id),
            access: {
                let mut access: Vec<AuditEntry> = self
                    .audit
                    .values()
                    .filter(|o| self.customer_of(o.value.entity) == Some(id))
                    .map(|o| o.value.clone())
                    .collect();
                access.sort_by_key(|a| (a.at, a.id));
                access
            },
        })
    }
}
