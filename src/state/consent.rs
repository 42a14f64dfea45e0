//! Consent to keep health data, as the pages use it: her current decision and history, the
//! health writes flagged for the manager, and recording a decision (agreed or refused on the
//! tablet by her, withdrawn at the desk) or a therapist's verbal contraindication check — each
//! written on the device first, with the outbox, like every change. The rule itself (no health
//! data without a consent given now) is the core's: the device refuses such a write before it is
//! stored, and the server re-checks it.
use chrono::Utc;
use orchid_core::audit::AuditEntry;
use orchid_core::consent::{
    ConsentDecision, ConsentLanguage, ConsentMethod, ConsentPurpose, ConsentRecord,
    HEALTH_TEXT_VERSION,
};
use orchid_core::ids::{ClientId, CustomerId, EntityKind, EntityRef, ServiceRecordId};
use orchid_core::permission::{self, Action, Sensitivity};
use orchid_core::sync::{Change, ConsentFlag};
use orchid_core::text::{Label, Name, Note};

use super::store::{StoreHandle, new_id};
use crate::storage::repo::StoreError;

/// Her current health-data decision (the latest recorded), reactive.
pub fn health_consent(store: StoreHandle, customer: CustomerId) -> Option<ConsentRecord> {
    store.with_view(|v, _| v.health_consent(customer)).flatten()
}

/// Is her health-data consent given now? Reactive.
pub fn has_health_consent(store: StoreHandle, customer: CustomerId) -> bool {
    health_consent(store, customer).is_some_and(|c| c.decision == ConsentDecision::Given)
}

/// Her health-data decisions, newest first.
pub fn health_history(store: StoreHandle, customer: CustomerId) -> Vec<ConsentRecord> {
    let mut list: Vec<ConsentRecord> = store
        .with_view(|v, _| v.consents(customer))
        .unwrap_or_default()
        .into_iter()
        .filter(|c| c.purpose == ConsentPurpose::HealthData)
        .collect();
    list.reverse();
    list
}

/// Health data of hers written while no consent covered it (an offline device that had not seen
/// her withdrawal), for the roles that read health data.
pub fn flags_of(store: StoreHandle, customer: CustomerId) -> Vec<ConsentFlag> {
    if !permission::allowed(store.role(), Action::CustomerRead, Sensitivity::Sensitive) {
        return Vec::new();
    }
    store
        .with_view(|v, s| v.consent_flags(s))
        .unwrap_or_default()
        .into_iter()
        .filter(|f| f.customer_id == customer)
        .collect()
}

/// The name of the person who witnessed a decision (from her staff record or the session).
pub fn witness_name(store: StoreHandle, id: orchid_core::ids::StaffId) -> Option<String> {
    super::complaints::staff_name(store, id)
}

/// This device's id (consent records name the device they were given on).
pub fn this_device(store: StoreHandle) -> Option<ClientId> {
    store.read(|d| d.meta().client_id)
}

/// May the acting person witness a consent decision?
pub fn may_record(store: StoreHandle) -> bool {
    permission::allowed(store.role(), Action::ConsentRecord, Sensitivity::Ordinary)
}

fn rejected(error: impl Into<orchid_core::ValidationError>) -> StoreError {
    StoreError::from(error.into())
}

/// Records her decision on today's text, witnessed by the acting person on this device: agreed
/// or refused by her on the tablet (agreeing needs the name she typed), or withdrawn (said at
/// the desk, recorded by staff).
pub async fn record_health_decision(
    store: StoreHandle,
    customer: CustomerId,
    decision: ConsentDecision,
    typed_name: &str,
    language: ConsentLanguage,
) -> Result<(), StoreError> {
    let actor = store.actor()?;
    let typed = typed_name.trim();
    let signed_name = if typed.is_empty() {
        None
    } else {
        Some(Name::parse(typed).map_err(rejected)?)
    };
    let method = match decision {
        ConsentDecision::Withdrawn => ConsentMethod::Verbal,
        ConsentDecision::Given | ConsentDecision::Refused => ConsentMethod::TabletSignature,
    };
    let record = ConsentRecord {
        id: new_id(),
        customer_id: customer,
        purpose: ConsentPurpose::HealthData,
        version: Label::parse(HEALTH_TEXT_VERSION).map_err(rejected)?,
        decision,
        at: Utc::now(),
        recorded_by: actor.staff_id,
        method,
        signed_name,
        language: Some(language),
        device: this_device(store),
    };
    store
        .mutate(Change::ConsentRecord(record))
        .await
        .map(|_| ())
}

/// The audit entry of a consultation without consent: the therapist confirms she asked the
/// customer aloud about contraindications (nothing of the answer is kept).
pub fn verbal_check_entry(
    store: StoreHandle,
    record: ServiceRecordId,
) -> Result<Change, StoreError> {
    let actor = store.actor()?;
    let (store_id, client_id) = store
        .read(|d| (d.meta().store_id, d.meta().client_id))
        .ok_or(StoreError::NotReady)?;
    Ok(Change::AuditAppend(AuditEntry {
        id: new_id(),
        store_id,
        at: Utc::now(),
        actor: actor.staff_id,
        role: actor.role,
        client_id,
        action: Action::ServiceRecordWrite,
        entity: EntityRef::new(EntityKind::ServiceRecord, record.as_uuid()),
        fields: vec!["verbal_contraindication_check".to_owned()],
        sensitivity: Sensitivity::Ordinary,
        note: Note::parse(
            "consent refused: contraindications asked aloud, none named; answers not kept",
        )
        .map_err(rejected)?,
    }))
}
