//! The crate-wide validation error: any module's error, each serialized as `{ "code": "...", ...params }`.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::hlc::HlcError;
use crate::permission::PermissionError;
use crate::text::TextError;
use crate::time::TimeError;

/// A reason a value or a change was refused. Every variant wraps a module's error, whose JSON form is
/// `{ "code": "<module>.<reason>", ...parameters }`; the UI translates by code.
#[derive(Debug, Clone, PartialEq, Error, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ValidationError {
    /// Text.
    #[error(transparent)]
    Text(#[from] TextError),
    /// Time.
    #[error(transparent)]
    Time(#[from] TimeError),
    /// Clock.
    #[error(transparent)]
    Hlc(#[from] HlcError),
    /// Permission.
    #[error(transparent)]
    Permission(#[from] PermissionError),
    /// Store settings.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// Consent.
    #[error(transparent)]
    Consent(#[from] crate::consent::ConsentError),
    /// Customer file.
    #[error(transparent)]
    Customer(#[from] crate::customer::CustomerError),
    /// Service catalog.
    #[error(transparent)]
    Catalog(#[from] crate::catalog::CatalogError),
    /// Appointment.
    #[error(transparent)]
    Appointment(#[from] crate::appointment::AppointmentError),
    /// Complaint.
    #[error(transparent)]
    Complaint(#[from] crate::complaint::ComplaintError),
    /// Products and stock.
    #[error(transparent)]
    Product(#[from] crate::product::ProductError),
    /// Loyalty.
    #[error(transparent)]
    Loyalty(#[from] crate::loyalty::LoyaltyError),
    /// Service records and contraindications.
    #[error(transparent)]
    ServiceRecord(#[from] crate::service_record::ServiceRecordError),
    /// Feedback.
    #[error(transparent)]
    Feedback(#[from] crate::feedback::FeedbackError),
    /// Sync protocol.
    #[error(transparent)]
    Sync(#[from] crate::sync::SyncError),
    /// Internal checks and corrective actions.
    #[error(transparent)]
    Check(#[from] crate::internal_check::CheckError),
    /// Service tasks.
    #[error(transparent)]
    Task(#[from] crate::service_task::TaskError),
    /// Check-outs.
    #[error(transparent)]
    Checkout(#[from] crate::checkout::CheckoutError),
}

impl ValidationError {
    /// Stable machine code, e.g. `phone.invalid`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Text(e) => e.code(),
            Self::Time(e) => e.code(),
            Self::Hlc(e) => e.code(),
            Self::Permission(e) => e.code(),
            Self::Store(e) => e.code(),
            Self::Consent(e) => e.code(),
            Self::Customer(e) => e.code(),
            Self::Catalog(e) => e.code(),
            Self::Appointment(e) => e.code(),
            Self::Complaint(e) => e.code(),
            Self::Product(e) => e.code(),
            Self::Loyalty(e) => e.code(),
            Self::ServiceRecord(e) => e.code(),
            Self::Feedback(e) => e.code(),
            Self::Sync(e) => e.code(),
            Self::Check(e) => e.code(),
            Self::Task(e) => e.code(),
            Self::Checkout(e) => e.code(),
        }
    }
}
