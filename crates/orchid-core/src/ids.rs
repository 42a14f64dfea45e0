//! Typed identifiers. Ids are UUIDs (v7 in practice) made on the device by the client or the server;
//! this crate never generates them, it only carries and compares them.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($($(#[$meta:meta])* $name:ident;)*) => {$(
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// Wraps a UUID made elsewhere.
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }
            /// A fixed id, handy in tests and fixtures.
            pub const fn from_u128(value: u128) -> Self {
                Self(Uuid::from_u128(value))
            }
            /// The UUID inside.
            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl From<Uuid> for $name {
            fn from(uuid: Uuid) -> Self {
                Self(uuid)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }
    )*};
}

id_type! {
    /// A store (门店). A chain has many.
    StoreId;
    /// A member of staff.
    StaffId;
    /// A customer file (顾客档案).
    CustomerId;
    /// A skin assessment.
    AssessmentId;
    /// A consent record.
    ConsentId;
    /// An entry of the service catalog (服务项目).
    ServiceId;
    /// A room or bed.
    RoomId;
    /// An appointment (预约).
    AppointmentId;
    /// A status transition of an appointment.
    TransitionId;
    /// A waitlist entry.
    WaitlistId;
    /// A service record (服务记录).
    ServiceRecordId;
    /// One entry of a service record.
    RecordEntryId;
    /// A feedback / satisfaction survey answer.
    FeedbackId;
    /// A follow-up (回访).
    FollowUpId;
    /// A complaint (投诉).
    ComplaintId;
    /// One event of a complaint's log.
    ComplaintEventId;
    /// A product.
    ProductId;
    /// A batch of a product.
    BatchId;
    /// A stock movement.
    StockMovementId;
    /// A loyalty delta (points, package sessions, membership change).
    LoyaltyDeltaId;
    /// A prepaid package bought by a customer.
    PackageId;
    /// An audit entry.
    AuditId;
    /// A device / browser profile that makes mutations (the sync "client").
    ClientId;
    /// A checklist (检查模板).
    CheckTemplateId;
    /// A check done.
    CheckId;
    /// A corrective action (整改).
    CorrectiveActionId;
    /// One event of a corrective action's log.
    CorrectiveEventId;
    /// A service task (服务任务).
    ServiceTaskId;
    /// A check-out (结账): the bill of a visit or a retail sale.
    CheckoutId;
}

/// The kinds of record sync knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// [`crate::store::Store`].
    Store,
    /// [`crate::staff::Staff`].
    Staff,
    /// [`crate::customer::Customer`].
    Customer,
    /// [`crate::customer::SkinAssessment`].
    SkinAssessment,
    /// [`crate::consent::ConsentRecord`].
    Consent,
    /// [`crate::catalog::CatalogService`].
    CatalogService,
    /// [`crate::room::Room`].
    Room,
    /// [`crate::appointment::Appointment`].
    Appointment,
    /// [`crate::waitlist::WaitlistEntry`].
    Waitlist,
    /// [`crate::service_record::ServiceRecord`].
    ServiceRecord,
    /// [`crate::feedback::Feedback`].
    Feedback,
    /// [`crate::followup::FollowUp`].
    FollowUp,
    /// [`crate::complaint::ComplaintView`].
    Complaint,
    /// [`crate::product::Product`].
    Product,
    /// [`crate::product::Batch`].
    Batch,
    /// [`crate::product::StockMovement`].
    StockMovement,
    /// [`crate::loyalty::LoyaltyDelta`].
    LoyaltyDelta,
    /// [`crate::audit::AuditEntry`].
    Audit,
    /// [`crate::internal_check::CheckTemplate`].
    CheckTemplate,
    /// [`crate::internal_check::CheckRecord`].
    Check,
    /// [`crate::internal_check::CorrectiveActionView`].
    CorrectiveAction,
    /// [`crate::service_task::ServiceTask`].
    ServiceTask,
    /// [`crate::checkout::Checkout`] (and its void, if voided).
    Checkout,
}

/// A reference to one record of any kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EntityRef {
    /// Kind.
    pub kind: EntityKind,
    /// Id.
    pub id: Uuid,
}

impl EntityRef {
    /// A reference.
    pub fn new(kind: EntityKind, id: impl Into<Uuid>) -> Self {
        Self {
            kind,
            id: id.into(),
        }
    }
}

macro_rules! into_uuid {
    ($($name:ident),*) => {$(
        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }
    )*};
}

into_uuid!(
    StoreId,
    StaffId,
    CustomerId,
    AssessmentId,
    ConsentId,
    ServiceId,
    RoomId,
    AppointmentId,
    TransitionId,
    WaitlistId,
    ServiceRecordId,
    RecordEntryId,
    FeedbackId,
    FollowUpId,
    ComplaintId,
    ComplaintEventId,
    ProductId,
    BatchId,
    StockMovementId,
    LoyaltyDeltaId,
    PackageId,
    AuditId,
    ClientId,
    CheckTemplateId,
    CheckId,
    CorrectiveActionId,
    CorrectiveEventId,
    ServiceTaskId,
    CheckoutId
);
