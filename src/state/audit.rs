//! Audit entries the pages ask for, written like every change: on the device, with the outbox.
use chrono::Utc;
use orchid_core::audit::AuditContext;
use orchid_core::ids::{CustomerId, EntityKind, EntityRef};
use orchid_core::permission::{self, Sensitivity};
use orchid_core::sync::Change;

use super::store::{StoreHandle, new_id};

/// Records that the acting person saw a customer's health fields: an audit entry written on the
/// device (with the outbox, like every change) and synced to the server's audit log.
pub fn log_sensitive_read(store: StoreHandle, customer: CustomerId) {
    let Ok(actor) = store.actor() else {
        return;
    };
    let Some((store_id, client_id)) = store.read(|d| (d.meta().store_id, d.meta().client_id))
    else {
        return;
    };
    let context = AuditContext {
        store_id,
        actor: actor.staff_id,
        role: actor.role,
        client_id,
    };
    let Some(entry) = context.entry_if_required(
        new_id(),
        Utc::now(),
        permission::Action::CustomerRead,
        EntityRef::new(EntityKind::Customer, customer.as_uuid()),
        &[
            "skin_type",
            "allergies",
            "contraindications",
            "health_notes",
        ],
        Sensitivity::Sensitive,
    ) else {
        return;
    };
    leptos::task::spawn_local(async move {
        if let Err(err) = store.mutate(Change::AuditAppend(entry)).await {
            leptos::logging::warn!("the sensitive read could not be logged: {err}");
        }
    });
}
