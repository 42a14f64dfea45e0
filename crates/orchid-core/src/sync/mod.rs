//! The sync protocol, sans-IO (after Replicache / PowerSync in shape and Automerge's `sync.rs` in style):
//! pure state machines and versioned messages; the client and server do the IO.
//!
//! * Every change is a [`Mutation`]: client id, per-client increasing mutation id, hybrid logical clock,
//!   the actor (staff and role), the store, and a [`Change`] (`kind` + `payload` on the wire).
//! * [`Replica::apply`] merges a mutation with the rule of its kind of data: per-field last writer wins by
//!   HLC; tombstones (a delete or an erasure wins); append-only logs (service records, complaint events,
//!   consents, assessments, audit); deltas for counters (stock, points, package sessions); status moves
//!   replayed through the appointment status machine; colliding bookings both kept and flagged
//!   ([`Replica::booking_conflicts`]). Every rule is commutative, associative and idempotent, and
//!   mutations are also de-duplicated by `(client_id, mutation_id)`: replicas that saw the same mutations
//!   are equal, whatever the order, duplication or delay.
//! * A mutation is validated on its own before it is merged (permission of the actor's role on the data
//!   it touches, field checks): a rejected mutation carries a [`ValidationError`] with a stable code.
//! * [`SyncClient`] keeps the outbox and the confirmed/optimistic replicas; [`ServerState`] is the
//!   reference server (push idempotency, clock-drift check, log with cursors, pull).

mod client;
mod replica;
mod server;

pub use client::{PullReport, PushReport, SyncClient};
pub use replica::{Applied, AppointmentView, ConsentFlag, CustomerExport, Owned, Replica, SeenIds};
pub use server::{
    LogEntry, ServerState, complaint_number, complaint_number_mutation, server_actor,
    server_client_of,
};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::appointment::{AppointmentField, StatusChange};
use crate::audit::AuditEntry;
use crate::catalog::CatalogField;
use crate::checkout::{Checkout, CheckoutVoid};
use crate::complaint::{ComplaintEvent, ComplaintEventKind};
use crate::consent::ConsentRecord;
use crate::customer::{CustomerField, SkinAssessment};
use crate::error::ValidationError;
use crate::feedback::Feedback;
use crate::followup::FollowUpField;
use crate::hlc::Hlc;
use crate::ids::{
    AppointmentId, CheckTemplateId, ClientId, CustomerId, EntityKind, EntityRef, FollowUpId,
    ProductId, RoomId, ServiceId, ServiceRecordId, ServiceTaskId, StaffId, StoreId, WaitlistId,
};
use crate::internal_check::{CheckRecord, CheckTemplateField, CorrectiveEvent};
use crate::loyalty::LoyaltyDelta;
use crate::permission::{self, Action, Sensitivity};
use crate::product::{Batch, ProductField, StockMovement};
use crate::record::FieldSet;
use crate::role::Role;
use crate::room::RoomField;
use crate::service_record::{RecordEntry, RecordEntryKind};
use crate::service_task::ServiceTaskField;
use crate::staff::StaffField;
use crate::store::StoreField;
use crate::waitlist::WaitlistField;

/// The version of the wire format. Bumped on any incompatible change; the snapshot tests pin it.
pub const FORMAT_VERSION: u32 = 1;

/// Sync errors. `code()` is stable and meant for translation.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "code")]
pub enum SyncError {
    /// A message in a format version this code does not speak.
    #[serde(rename = "sync.unsupported_version")]
    #[error("format version {got} is not supported (this side speaks {supported})")]
    UnsupportedVersion {
        /// The version received.
        got: u32,
        /// The version spoken here.
        supported: u32,
    },
    /// The actor in the mutation (or in its payload) is not the one who is signed in.
    #[serde(rename = "sync.actor_mismatch")]
    #[error("the mutation's actor is not the signed-in staff member and role")]
    ActorMismatch,
    /// This kind of record is append-only and cannot be deleted.
    #[serde(rename = "sync.not_deletable")]
    #[error("{kind:?} records cannot be deleted")]
    NotDeletable {
        /// The kind.
        kind: EntityKind,
    },
    /// A mutation id that does not follow the last one processed for this client; send the missing
    /// ones first.
    #[serde(rename = "sync.mutation_id_gap")]
    #[error("expected mutation {expected}, got {got}")]
    MutationIdGap {
        /// The next id expected.
        expected: u64,
        /// The id received.
        got: u64,
    },
    /// A mutation from another client than the one pushing.
    #[serde(rename = "sync.wrong_client")]
    #[error("the mutation belongs to another client")]
    WrongClient,
    /// The actor may not act in this store.
    #[serde(rename = "sync.wrong_store")]
    #[error("not allowed to act in store {store_id}")]
    WrongStore {
        /// The store.
        store_id: StoreId,
    },
    /// The record belongs to another store than the mutation says.
    #[serde(rename = "sync.entity_in_other_store")]
    #[error("the record belongs to another store")]
    EntityInOtherStore,
    /// A role above the actor's own may not be given (or taken away) by them.
    #[serde(rename = "sync.role_not_grantable")]
    #[error("a {actor} may not give or take the role {role}")]
    RoleNotGrantable {
        /// The actor's role.
        actor: Role,
        /// The role named.
        role: Role,
    },
    /// Nobody changes their own role or deactivates themselves.
    #[serde(rename = "sync.own_account")]
    #[error("nobody changes their own role or deactivates themselves")]
    OwnAccount,
    /// Only an owner changes, deactivates or removes an owner.
    #[serde(rename = "sync.owner_only")]
    #[error("only an owner changes, deactivates or signs out an owner")]
    OwnerOnly,
    /// The device id is used by another sign-in.
    #[serde(rename = "sync.device_taken")]
    #[error("this device id belongs to another sign-in")]
    DeviceTaken,
}

impl SyncError {
    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnsupportedVersion { .. } => "sync.unsupported_version",
            Self::ActorMismatch => "sync.actor_mismatch",
            Self::NotDeletable { .. } => "sync.not_deletable",
            Self::MutationIdGap { .. } => "sync.mutation_id_gap",
            Self::WrongClient => "sync.wrong_client",
            Self::WrongStore { .. } => "sync.wrong_store",
            Self::EntityInOtherStore => "sync.entity_in_other_store",
            Self::RoleNotGrantable { .. } => "sync.role_not_grantable",
            Self::OwnAccount => "sync.own_account",
            Self::OwnerOnly => "sync.owner_only",
            Self::DeviceTaken => "sync.device_taken",
        }
    }
}

/// Who makes a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Actor {
    /// The member of staff.
    pub staff_id: StaffId,
    /// The role they act in.
    pub role: Role,
}

/// A person a change names as having done it (its author, the one who recorded, assessed,
/// witnessed or moved something), with the role it names her in when it names one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NamedAuthor {
    /// The member of staff, when the change names one.
    pub staff_id: Option<StaffId>,
    /// The role, when the change names one.
    pub role: Option<Role>,
}

impl NamedAuthor {
    fn staff(staff_id: StaffId) -> Self {
        Self {
            staff_id: Some(staff_id),
            role: None,
        }
    }
    fn staff_in(staff_id: StaffId, role: Role) -> Self {
        Self {
            staff_id: Some(staff_id),
            role: Some(role),
        }
    }
    /// Is this the actor (in her role, where a role is named)?
    pub fn is(&self, actor: &Actor) -> bool {
        self.staff_id.is_none_or(|s| s == actor.staff_id)
            && self.role.is_none_or(|r| r == actor.role)
    }
}

/// A change, by kind of data. On the wire: `"kind": "customer.upsert", "payload": {…}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload")]
pub enum Change {
    /// Create or edit a store (fields: last writer wins).
    #[serde(rename = "store.upsert")]
    StoreUpsert {
        /// Store.
        id: StoreId,
        /// Fields written.
        fields: Vec<StoreField>,
    },
    /// Create or edit a staff account.
    #[serde(rename = "staff.upsert")]
    StaffUpsert {
        /// Staff.
        id: StaffId,
        /// Fields written.
        fields: Vec<StaffField>,
    },
    /// Create or edit a customer file.
    #[serde(rename = "customer.upsert")]
    CustomerUpsert {
        /// Customer.
        id: CustomerId,
        /// Fields written.
        fields: Vec<CustomerField>,
    },
    /// Erase a customer (right to be forgotten): a tombstone that wins over every edit, and their
    /// skin assessments and feedback comments removed, on every device.
    #[serde(rename = "customer.erase")]
    CustomerErase {
        /// Customer.
        id: CustomerId,
    },
    /// Add a skin assessment (append-only).
    #[serde(rename = "skin_assessment.add")]
    SkinAssessmentAdd(SkinAssessment),
    /// Record a consent decision (append-only).
    #[serde(rename = "consent.record")]
    ConsentRecord(ConsentRecord),
    /// Create or edit a catalog entry.
    #[serde(rename = "catalog.upsert")]
    CatalogUpsert {
        /// Service.
        id: ServiceId,
        /// Fields written.
        fields: Vec<CatalogField>,
    },
    /// Create or edit a room or bed.
    #[serde(rename = "room.upsert")]
    RoomUpsert {
        /// Room.
        id: RoomId,
        /// Fields written.
        fields: Vec<RoomField>,
    },
    /// Book or edit an appointment (colliding bookings are kept and flagged).
    #[serde(rename = "appointment.upsert")]
    AppointmentUpsert {
        /// Appointment.
        id: AppointmentId,
        /// Fields written.
        fields: Vec<AppointmentField>,
    },
    /// Move an appointment's status (replayed in HLC order through the status machine).
    #[serde(rename = "appointment.status")]
    AppointmentStatus {
        /// Appointment.
        appointment_id: AppointmentId,
        /// The move.
        change: StatusChange,
    },
    /// Create or edit a waitlist entry.
    #[serde(rename = "waitlist.upsert")]
    WaitlistUpsert {
        /// Entry.
        id: WaitlistId,
        /// Fields written.
        fields: Vec<WaitlistField>,
    },
    /// Append to a service record.
    #[serde(rename = "service_record.entry")]
    ServiceRecordEntry(RecordEntry),
    /// Submit feedback (insert-once).
    #[serde(rename = "feedback.submit")]
    FeedbackSubmit(Feedback),
    /// Create or edit a follow-up.
    #[serde(rename = "follow_up.upsert")]
    FollowUpUpsert {
        /// Follow-up.
        id: FollowUpId,
        /// Fields written.
        fields: Vec<FollowUpField>,
    },
    /// Append to a complaint's event log.
    #[serde(rename = "complaint.event")]
    ComplaintEvent(ComplaintEvent),
    /// Create or edit a product.
    #[serde(rename = "product.upsert")]
    ProductUpsert {
        /// Product.
        id: ProductId,
        /// Fields written.
        fields: Vec<ProductField>,
    },
    /// Add a batch (insert-once).
    #[serde(rename = "batch.add")]
    BatchAdd(Batch),
    /// Move stock (a delta).
    #[serde(rename = "stock.move")]
    StockMove(StockMovement),
    /// Change points, packages or level (a delta).
    #[serde(rename = "loyalty.delta")]
    LoyaltyDelta(LoyaltyDelta),
    /// Append an audit entry.
    #[serde(rename = "audit.append")]
    AuditAppend(AuditEntry),
    /// Create or edit a checklist.
    #[serde(rename = "check_template.upsert")]
    CheckTemplateUpsert {
        /// Template.
        id: CheckTemplateId,
        /// Fields written.
        fields: Vec<CheckTemplateField>,
    },
    /// Record a check done (insert-once).
    #[serde(rename = "check.record")]
    CheckRecord(CheckRecord),
    /// Append to a corrective action's event log.
    #[serde(rename = "corrective.event")]
    CorrectiveEvent(CorrectiveEvent),
    /// Create, assign, change or mark done a service task.
    #[serde(rename = "service_task.upsert")]
    ServiceTaskUpsert {
        /// Task.
        id: ServiceTaskId,
        /// Fields written.
        fields: Vec<ServiceTaskField>,
    },
    /// Record a check-out (insert-once; its deltas and stock moves are written with it).
    #[serde(rename = "checkout.record")]
    CheckoutRecord(Checkout),
    /// Void a check-out (insert-once; its opposite deltas are written with it).
    #[serde(rename = "checkout.void")]
    CheckoutVoid(CheckoutVoid),
    /// Delete an editable record (a tombstone). Append-only records cannot be deleted.
    #[serde(rename = "delete")]
    Delete {
        /// The record.
        entity: EntityRef,
    },
}

/// Whose health data a change writes (see [`crate::consent`]): a customer named in the change
/// (answers given ahead name her), or the customer of a service record (named in its `opened`
/// entry).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HealthSubject {
    /// The customer.
    Customer(CustomerId),
    /// The customer of this service record.
    Record(ServiceRecordId),
}

fn max_sensitivity<F: FieldSet>(fields: &[F]) -> Sensitivity {
    fields
        .iter()
        .map(FieldSet::sensitivity)
        .max()
        .unwrap_or_default()
}

fn check_fields<F: FieldSet>(fields: &[F]) -> Result<(), ValidationError> {
    fields.iter().try_for_each(FieldSet::check)
}

impl Change {
    /// The record this change is about.
    /// The customer the change names, if it names one itself (a booking, a follow-up or a
    /// waitlist entry written with its customer field, a service record's opening, a complaint's
    /// intake, a skin assessment…). A later change to the same record may not name her: replicas
    /// find the customer of a record from the record ([`Replica::customer_of`]), the server from
    /// the changes it logged about it.
    pub fn customer(&self) -> Option<CustomerId> {
        fn in_fields<F>(
            fields: &[F],
            pick: impl Fn(&F) -> Option<CustomerId>,
        ) -> Option<CustomerId> {
            fields.iter().find_map(pick)
        }
        match self {
            Self::CustomerUpsert { id, .. } | Self::CustomerErase { id } => Some(*id),
            Self::SkinAssessmentAdd(a) => Some(a.customer_id),
            Self::ConsentRecord(c) => Some(c.customer_id),
            Self::AppointmentUpsert { fields, .. } => in_fields(fields, |f| match f {
                AppointmentField::CustomerId(c) => Some(*c),
                _ => None,
            }),
            Self::WaitlistUpsert { fields, .. } => in_fields(fields, |f| match f {
                WaitlistField::CustomerId(c) => Some(*c),
                _ => None,
            }),
            Self::FollowUpUpsert { fields, .. } => in_fields(fields, |f| match f {
                FollowUpField::CustomerId(c) => Some(*c),
                _ => None,
            }),
            Self::ServiceTaskUpsert { fields, .. } => in_fields(fields, |f| match f {
                ServiceTaskField::CustomerId(c) => *c,
                _ => None,
            }),
            Self::ServiceRecordEntry(e) => match &e.kind {
                RecordEntryKind::Opened { customer_id, .. }
                | RecordEntryKind::ConsultationAhead { customer_id, .. } => Some(*customer_id),
                _ => None,
            },
            Self::FeedbackSubmit(f) => f.customer_id,
            Self::ComplaintEvent(e) => match &e.kind {
                ComplaintEventKind::Received { customer_id, .. } => *customer_id,
                _ => None,
            },
            Self::LoyaltyDelta(d) => Some(d.customer_id),
            Self::CheckoutRecord(c) => c.customer_id,
            Self::AuditAppend(a) => {
                (a.entity.kind == EntityKind::Customer).then_some(CustomerId(a.entity.id))
            }
            Self::StoreUpsert { .. }
            | Self::StaffUpsert { .. }
            | Self::CatalogUpsert { .. }
            | Self::RoomUpsert { .. }
            | Self::AppointmentStatus { .. }
            | Self::ProductUpsert { .. }
            | Self::BatchAdd(_)
            | Self::StockMove(_)
            | Self::CheckTemplateUpsert { .. }
            | Self::CheckRecord(_)
            | Self::CorrectiveEvent(_)
            | Self::CheckoutVoid(_)
            | Self::Delete { .. } => None,
        }
    }

    /// Removes the personal data this change carries, for a change about a customer who is
    /// erased (the caller knows it is: the server from its log, a replica from its records). What
    /// stays is the anonymous fact. Each field enum and record type says what it erases, so a
    /// kind or field added later is covered. True if anything was removed.
    pub fn erase_personal(&mut self) -> bool {
        fn erase_fields<F: FieldSet>(fields: &mut [F]) -> bool {
            let mut changed = false;
            for f in fields {
                if let Some(blank) = f.erased() {
                    *f = blank;
                    changed = true;
                }
            }
            changed
        }
        match self {
            // The file itself: every field goes (the tombstone drops them on replicas too).
            Self::CustomerUpsert { fields, .. } => {
                let had = !fields.is_empty();
                fields.clear();
                had
            }
            Self::CustomerErase { .. } => false,
            Self::SkinAssessmentAdd(a) => a.erase_personal(),
            Self::ConsentRecord(c) => c.erase_personal(),
            Self::StoreUpsert { fields, .. } => erase_fields(fields),
            Self::StaffUpsert { fields, .. } => erase_fields(fields),
            Self::CatalogUpsert { fields, .. } => erase_fields(fields),
            Self::RoomUpsert { fields, .. } => erase_fields(fields),
            Self::AppointmentUpsert { fields, .. } => erase_fields(fields),
            Self::AppointmentStatus { change, .. } => change.erase_personal(),
            Self::WaitlistUpsert { fields, .. } => erase_fields(fields),
            Self::ServiceRecordEntry(e) => e.erase_personal(),
            Self::FeedbackSubmit(f) => f.erase_personal(),
            Self::FollowUpUpsert { fields, .. } => erase_fields(fields),
            Self::ComplaintEvent(e) => e.erase_personal(),
            Self::ProductUpsert { fields, .. } => erase_fields(fields),
            Self::LoyaltyDelta(d) => d.erase_personal(),
            Self::AuditAppend(a) => a.erase_personal(),
            Self::CheckTemplateUpsert { fields, .. } => erase_fields(fields),
            // A check and its actions are about a room and the staff, not a customer.
            Self::CheckRecord(_) | Self::CorrectiveEvent(_) => false,
            Self::ServiceTaskUpsert { fields, .. } => erase_fields(fields),
            Self::CheckoutRecord(c) => c.erase_personal(),
            Self::CheckoutVoid(v) => v.erase_personal(),
            Self::BatchAdd(_) | Self::StockMove(_) | Self::Delete { .. } => false,
        }
    }

    pub fn entity(&self) -> EntityRef {
        use EntityKind as K;
        match self {
            Self::StoreUpsert { id, .. } => EntityRef::new(K::Store, *id),
            Self::StaffUpsert { id, .. } => EntityRef::new(K::Staff, *id),
            Self::CustomerUpsert { id, .. } | Self::CustomerErase { id } => {
                EntityRef::new(K::Customer, *id)
            }
            Self::SkinAssessmentAdd(a) => EntityRef::new(K::SkinAssessment, a.id),
            Self::ConsentRecord(c) => EntityRef::new(K::Consent, c.id),
            Self::CatalogUpsert { id, .. } => EntityRef::new(K::CatalogService, *id),
            Self::RoomUpsert { id, .. } => EntityRef::new(K::Room, *id),
            Self::AppointmentUpsert { id, .. } => EntityRef::new(K::Appointment, *id),
            Self::AppointmentStatus { appointment_id, .. } => {
                EntityRef::new(K::Appointment, *appointment_id)
            }
            Self::WaitlistUpsert { id, .. } => EntityRef::new(K::Waitlist, *id),
            Self::ServiceRecordEntry(e) => EntityRef::new(K::ServiceRecord, e.record_id),
            Self::FeedbackSubmit(f) => EntityRef::new(K::Feedback, f.id),
            Self::FollowUpUpsert { id, .. } => EntityRef::new(K::FollowUp, *id),
            Self::ComplaintEvent(e) => EntityRef::new(K::Complaint, e.complaint_id),
            Self::ProductUpsert { id, .. } => EntityRef::new(K::Product, *id),
            Self::BatchAdd(b) => EntityRef::new(K::Batch, b.id),
            Self::StockMove(s) => EntityRef::new(K::StockMovement, s.id),
            Self::LoyaltyDelta(d) => EntityRef::new(K::LoyaltyDelta, d.id),
            Self::AuditAppend(a) => EntityRef::new(K::Audit, a.id),
            Self::CheckTemplateUpsert { id, .. } => EntityRef::new(K::CheckTemplate, *id),
            Self::CheckRecord(c) => EntityRef::new(K::Check, c.id),
            Self::CorrectiveEvent(e) => EntityRef::new(K::CorrectiveAction, e.action_id),
            Self::ServiceTaskUpsert { id, .. } => EntityRef::new(K::ServiceTask, *id),
            Self::CheckoutRecord(c) => EntityRef::new(K::Checkout, c.id),
            Self::CheckoutVoid(v) => EntityRef::new(K::Checkout, v.checkout_id),
            Self::Delete { entity } => *entity,
        }
    }

    /// Whose health data this change writes, if it writes any: a customer file's sensitive field
    /// given a value, a skin assessment, consultation answers. Such a change needs her current
    /// health-data consent ([`crate::consent::health_write`]). Clearing a field writes none.
    pub fn health_subject(&self) -> Option<HealthSubject> {
        match self {
            Self::CustomerUpsert { id, fields } if fields.iter().any(|f| f.holds_health_data()) => {
                Some(HealthSubject::Customer(*id))
            }
            Self::SkinAssessmentAdd(a) => Some(HealthSubject::Customer(a.customer_id)),
            Self::ServiceRecordEntry(e) => match &e.kind {
                RecordEntryKind::Consultation { answers, .. } if !answers.is_empty() => {
                    Some(HealthSubject::Record(e.record_id))
                }
                RecordEntryKind::ConsultationAhead {
                    customer_id,
                    answers,
                    ..
                } if !answers.is_empty() => Some(HealthSubject::Customer(*customer_id)),
                _ => None,
            },
            _ => None,
        }
    }

    /// The permission this change needs, and the sensitivity of the data it touches.
    pub fn requires(&self) -> Result<(Action, Sensitivity), SyncError> {
        use Sensitivity::{Ordinary, Sensitive};
        Ok(match self {
            Self::StoreUpsert { .. } => (Action::StoreSettings, Ordinary),
            Self::StaffUpsert { .. } => (Action::StaffManage, Ordinary),
            Self::CustomerUpsert { fields, .. } => (Action::CustomerWrite, max_sensitivity(fields)),
            Self::CustomerErase { .. } => (Action::CustomerErase, Sensitive),
            Self::SkinAssessmentAdd(_) => (Action::CustomerWrite, Sensitive),
            Self::ConsentRecord(_) => (Action::ConsentRecord, Ordinary),
            Self::CatalogUpsert { .. } => (Action::CatalogManage, Ordinary),
            Self::RoomUpsert { .. } => (Action::RoomManage, Ordinary),
            Self::AppointmentUpsert { .. } => (Action::AppointmentBook, Ordinary),
            Self::AppointmentStatus { .. } => (Action::AppointmentTransition, Ordinary),
            Self::WaitlistUpsert { .. } => (Action::WaitlistManage, Ordinary),
            Self::ServiceRecordEntry(e) => e.kind.requires(),
            Self::FeedbackSubmit(_) => (Action::FeedbackSubmit, Ordinary),
            Self::FollowUpUpsert { .. } => (Action::FollowUpManage, Ordinary),
            Self::ComplaintEvent(e) => (e.kind.action(), Ordinary),
            Self::ProductUpsert { .. } | Self::BatchAdd(_) => (Action::ProductManage, Ordinary),
            Self::StockMove(_) => (Action::StockMove, Ordinary),
            Self::LoyaltyDelta(d) => (d.required_action(), Ordinary),
            Self::AuditAppend(_) => (Action::AuditWrite, Ordinary),
            Self::CheckTemplateUpsert { .. } => (Action::CheckTemplateManage, Ordinary),
            Self::CheckRecord(c) => (c.kind.action(), Ordinary),
            Self::CorrectiveEvent(e) => (e.kind.action(), Ordinary),
            Self::ServiceTaskUpsert { fields, .. } => {
                (crate::service_task::required_action(fields), Ordinary)
            }
            Self::CheckoutRecord(_) => (Action::Checkout, Ordinary),
            Self::CheckoutVoid(_) => (Action::CheckoutVoid, Ordinary),
            Self::Delete { entity } => match entity.kind {
                EntityKind::Staff => (Action::StaffManage, Ordinary),
                EntityKind::CatalogService => (Action::CatalogManage, Ordinary),
                EntityKind::Room => (Action::RoomManage, Ordinary),
                EntityKind::Appointment => (Action::AppointmentBook, Ordinary),
                EntityKind::Waitlist => (Action::WaitlistManage, Ordinary),
                EntityKind::FollowUp => (Action::FollowUpManage, Ordinary),
                EntityKind::ServiceTask => (Action::TaskAssign, Ordinary),
                EntityKind::Product => (Action::ProductManage, Ordinary),
                kind => return Err(SyncError::NotDeletable { kind }),
            },
        })
    }

    /// Every person this change names as having done it. Each must be the signed-in actor (see
    /// [`Change::validate`]). The match has no catch-all on purpose: a new kind of change must
    /// say here who it names. Assignments (the therapist booked, a follow-up's or complaint's
    /// assignee, a customer's preferred therapist, the therapist a record is opened for) name who
    /// will act, not who acted, and are not listed.
    pub fn authors(&self) -> Vec<NamedAuthor> {
        match self {
            Self::StoreUpsert { .. }
            | Self::StaffUpsert { .. }
            | Self::CustomerUpsert { .. }
            | Self::CustomerErase { .. }
            | Self::CatalogUpsert { .. }
            | Self::RoomUpsert { .. }
            | Self::WaitlistUpsert { .. }
            | Self::FeedbackSubmit(_)
            | Self::FollowUpUpsert { .. }
            | Self::ProductUpsert { .. }
            | Self::BatchAdd(_)
            | Self::CheckTemplateUpsert { .. }
            | Self::Delete { .. } => Vec::new(),
            Self::AppointmentUpsert { fields, .. } => fields
                .iter()
                .filter_map(|f| match f {
                    AppointmentField::BookedBy(Some(by)) => Some(NamedAuthor::staff(*by)),
                    _ => None,
                })
                .collect(),
            Self::AppointmentStatus { change, .. } => {
                vec![NamedAuthor::staff_in(change.by, change.role)]
            }
            Self::SkinAssessmentAdd(a) => vec![NamedAuthor::staff(a.assessed_by)],
            Self::ConsentRecord(c) => vec![NamedAuthor::staff(c.recorded_by)],
            Self::ServiceRecordEntry(e) => vec![NamedAuthor::staff_in(e.by, e.role)],
            Self::ComplaintEvent(e) => vec![NamedAuthor {
                staff_id: e.by,
                role: Some(e.role),
            }],
            Self::StockMove(m) => vec![NamedAuthor::staff(m.by)],
            Self::LoyaltyDelta(d) => vec![NamedAuthor::staff(d.by)],
            Self::AuditAppend(a) => vec![NamedAuthor::staff_in(a.actor, a.role)],
            Self::CheckRecord(c) => vec![NamedAuthor::staff(c.by)],
            Self::CorrectiveEvent(e) => vec![NamedAuthor::staff_in(e.by, e.role)],
            Self::ServiceTaskUpsert { fields, .. } => fields
                .iter()
                .filter_map(|f| match f {
                    ServiceTaskField::AssignedBy(Some(by)) | ServiceTaskField::DoneBy(Some(by)) => {
                        Some(NamedAuthor::staff(*by))
                    }
                    _ => None,
                })
                .collect(),
            Self::CheckoutRecord(c) => vec![NamedAuthor::staff(c.by)],
            Self::CheckoutVoid(v) => vec![NamedAuthor::staff(v.by)],
        }
    }

    /// Checks the change on its own, as `actor`: permission, field checks, record checks, that
    /// every person the payload names as having done it is the actor, and that staff roles are
    /// given only within the actor's own authority.
    pub fn validate(&self, actor: &Actor) -> Result<(), ValidationError> {
        let (action, sensitivity) = self.requires()?;
        permission::check(actor.role, action, sensitivity)?;
        if !self.authors().iter().all(|a| a.is(actor)) {
            return Err(SyncError::ActorMismatch.into());
        }
        match self {
            Self::StoreUpsert { fields, .. } => check_fields(fields),
            Self::StaffUpsert { id, fields } => {
                for field in fields {
                    match field {
                        StaffField::Role(role) if *id == actor.staff_id && *role != actor.role => {
                            return Err(SyncError::OwnAccount.into());
                        }
                        StaffField::Active(false) if *id == actor.staff_id => {
                            return Err(SyncError::OwnAccount.into());
                        }
                        StaffField::Role(role) if !actor.role.may_grant(*role) => {
                            return Err(SyncError::RoleNotGrantable {
                                actor: actor.role,
                                role: *role,
                            }
                            .into());
                        }
                        _ => {}
                    }
                }
                check_fields(fields)
            }
            Self::Delete { entity }
                if entity.kind == EntityKind::Staff && entity.id == actor.staff_id.as_uuid() =>
            {
                Err(SyncError::OwnAccount.into())
            }
            Self::CustomerUpsert { fields, .. } => check_fields(fields),
            Self::CatalogUpsert { fields, .. } => check_fields(fields),
            Self::RoomUpsert { fields, .. } => check_fields(fields),
            Self::AppointmentUpsert { fields, .. } => check_fields(fields),
            Self::WaitlistUpsert { fields, .. } => check_fields(fields),
            Self::FollowUpUpsert { fields, .. } => {
                // A follow-up that names a complaint is the case's call-back, whose outcome is
                // written into the case: linking one needs the right to handle complaints too.
                if fields
                    .iter()
                    .any(|f| matches!(f, FollowUpField::ComplaintId(Some(_))))
                {
                    permission::check(actor.role, Action::ComplaintHandle, Sensitivity::Ordinary)?;
                }
                check_fields(fields)
            }
            Self::ProductUpsert { fields, .. } => check_fields(fields),
            Self::CustomerErase { .. } | Self::Delete { .. } | Self::BatchAdd(_) => Ok(()),
            Self::ConsentRecord(c) => c.validate().map_err(Into::into),
            Self::SkinAssessmentAdd(a) => a.validate().map_err(Into::into),
            Self::AppointmentStatus { change, .. } => {
                if change.to == crate::appointment::AppointmentStatus::Cancelled
                    && change.reason.is_none()
                {
                    return Err(crate::appointment::AppointmentError::ReasonRequired.into());
                }
                Ok(())
            }
            Self::ServiceRecordEntry(e) => e.validate().map_err(Into::into),
            Self::FeedbackSubmit(f) => f.validate().map_err(Into::into),
            Self::ComplaintEvent(e) => e.validate().map_err(Into::into),
            Self::StockMove(s) => s.validate().map_err(Into::into),
            Self::LoyaltyDelta(d) => d.validate().map_err(Into::into),
            Self::AuditAppend(_) => Ok(()),
            Self::CheckTemplateUpsert { fields, .. } => check_fields(fields),
            Self::CheckRecord(c) => c.validate().map_err(Into::into),
            Self::CorrectiveEvent(e) => e.validate().map_err(Into::into),
            Self::ServiceTaskUpsert { fields, .. } => check_fields(fields),
            Self::CheckoutRecord(c) => c.validate().map_err(Into::into),
            Self::CheckoutVoid(_) => Ok(()),
        }
    }
}

/// A change made by one device. `(client_id, mutation_id)` identifies it; `hlc` orders it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mutation {
    /// The device.
    pub client_id: ClientId,
    /// Per-device increasing number, from 1.
    pub mutation_id: u64,
    /// Hybrid logical timestamp.
    pub hlc: Hlc,
    /// Who.
    pub actor: Actor,
    /// Which store's data.
    pub store_id: StoreId,
    /// What (`kind` and `payload` on the wire).
    #[serde(flatten)]
    pub change: Change,
}

impl Mutation {
    /// Checks the mutation on its own (see [`Change::validate`]), and that a record which
    /// carries its store or device inside the payload agrees with the mutation: a store's own
    /// record is changed only under that store, an entry is not filed under another store.
    pub fn validate(&self) -> Result<(), ValidationError> {
        match &self.change {
            Change::StoreUpsert { id, .. } if *id != self.store_id => {
                return Err(SyncError::EntityInOtherStore.into());
            }
            Change::AuditAppend(a) if a.store_id != self.store_id => {
                return Err(SyncError::EntityInOtherStore.into());
            }
            Change::AuditAppend(a) if a.client_id != self.client_id => {
                return Err(SyncError::WrongClient.into());
            }
            Change::FeedbackSubmit(f) if f.store_id != self.store_id => {
                return Err(SyncError::EntityInOtherStore.into());
            }
            Change::ConsentRecord(c) if c.device.is_some_and(|d| d != self.client_id) => {
                return Err(crate::consent::ConsentError::WrongDevice.into());
            }
            Change::CheckRecord(c) if c.store_id != self.store_id => {
                return Err(SyncError::EntityInOtherStore.into());
            }
            Change::CheckRecord(c) if c.device != self.client_id => {
                return Err(SyncError::WrongClient.into());
            }
            Change::CheckoutRecord(c) if c.store_id != self.store_id => {
                return Err(SyncError::EntityInOtherStore.into());
            }
            _ => {}
        }
        self.change.validate(&self.actor)
    }
}

/// A position in a store's change log, assigned by the server (increasing).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Cursor(pub u64);

/// Client → server: mutations from the outbox, oldest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    /// [`FORMAT_VERSION`].
    pub format_version: u32,
    /// The device.
    pub client_id: ClientId,
    /// Mutations, in mutation-id order.
    pub mutations: Vec<Mutation>,
}

/// What the server did with one pushed mutation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum PushOutcome {
    /// Applied and logged.
    Accepted,
    /// Already processed earlier (a retry): nothing done.
    Duplicate,
    /// Refused for good; the client drops it from its outbox and shows the reason.
    Rejected {
        /// Why.
        error: ValidationError,
    },
    /// Not processed now (e.g. an earlier mutation is missing); keep it and send it again.
    Retry {
        /// Why.
        error: ValidationError,
    },
}

/// The outcome for one mutation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushResult {
    /// Which mutation.
    pub mutation_id: u64,
    /// What happened.
    #[serde(flatten)]
    pub outcome: PushOutcome,
}

/// Server → client: the outcome of each pushed mutation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    /// [`FORMAT_VERSION`].
    pub format_version: u32,
    /// Outcomes, in request order.
    pub results: Vec<PushResult>,
    /// The last mutation id of this client the server has processed (accepted or rejected).
    pub last_mutation_id: u64,
}

/// Client → server: changes of a store after a cursor, please.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PullRequest {
    /// [`FORMAT_VERSION`].
    pub format_version: u32,
    /// The device.
    pub client_id: ClientId,
    /// The store.
    pub store_id: StoreId,
    /// The last cursor received (none: from the beginning).
    pub cursor: Option<Cursor>,
    /// At most this many changes.
    pub limit: u32,
    /// The tokens of the other people signed in on this device (a shared tablet): the pull
    /// brings what any of them may read, so the next person to open the tablet finds her own
    /// records there; what none of them may read never reaches the device. At most
    /// [`MAX_PULL_COLLEAGUES`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub colleagues: Vec<String>,
}

/// How many colleagues' tokens a pull may carry.
pub const MAX_PULL_COLLEAGUES: usize = 16;

/// One logged change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PulledChange {
    /// Its position.
    pub cursor: Cursor,
    /// The mutation.
    pub mutation: Mutation,
}

/// Server → client: changes after the cursor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    /// [`FORMAT_VERSION`].
    pub format_version: u32,
    /// The store.
    pub store_id: StoreId,
    /// Changes, in log order.
    pub changes: Vec<PulledChange>,
    /// The cursor to send next time.
    pub cursor: Cursor,
    /// More changes are waiting: pull again.
    pub has_more: bool,
    /// The last mutation id of the pulling client the server has processed; pending mutations up to it
    /// are now in the pulled changes (or were rejected).
    pub last_mutation_id: u64,
}

/// The longest a [`WaitRequest`] is held open (below the idle timeouts of common proxies).
pub const MAX_WAIT_MS: u32 = 25_000;

/// Client → server: answer when the store has changes after `cursor`, or after `timeout_ms`
/// (at most [`MAX_WAIT_MS`]) — an online device's way to learn of another's change at once
/// (a long poll: plain HTTP, through any proxy, on one server or several on one database).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WaitRequest {
    /// [`FORMAT_VERSION`].
    pub format_version: u32,
    /// The store.
    pub store_id: StoreId,
    /// The last cursor the device pulled (none: it has pulled nothing).
    pub cursor: Option<Cursor>,
    /// How long to wait for a change, in milliseconds.
    pub timeout_ms: u32,
}

/// Server → client: whether the store's log moved past the cursor, and where it ends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WaitAnswer {
    /// The log has changes after the request's cursor: pull.
    pub changed: bool,
    /// The store's last cursor (changes the caller may not read count too).
    pub cursor: Cursor,
}

/// Checks a message's format version.
pub fn check_version(got: u32) -> Result<(), SyncError> {
    if got == FORMAT_VERSION {
        Ok(())
    } else {
        Err(SyncError::UnsupportedVersion {
            got,
            supported: FORMAT_VERSION,
        })
    }
}

#[cfg(test)]
mod tests;
