//! Audit entries the pages ask for, written like every change: on the device, with the outbox;
//! and the audit screen's reading of them (every device's entries, synced to this one).
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

/// Writes the audit entry of an export of a customer's data — the file, or her printable copy
/// (the core says whether it is required).
pub async fn log_export(store: StoreHandle, customer: CustomerId) {
    let Ok(actor) = store.actor() else { return };
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
    if let Some(entry) = context.entry_if_required(
        new_id(),
        Utc::now(),
        permission::Action::CustomerExport,
        EntityRef::new(EntityKind::Customer, customer.as_uuid()),
        &[],
        Sensitivity::Sensitive,
    ) && let Err(err) = store.mutate(Change::AuditAppend(entry)).await
    {
        leptos::logging::warn!("the export could not be logged: {err}");
    }
}

/// One line of the audit screen: an entry, whose record it is about, and whether it is part of
/// reading that stands out (the core's `unusual_reads`).
#[derive(Clone, Debug, PartialEq)]
pub struct AuditLine {
    /// The entry.
    pub entry: orchid_core::audit::AuditEntry,
    /// The customer it is about, if any.
    pub customer: Option<CustomerId>,
    /// Her name, if she is not erased.
    pub customer_name: Option<String>,
    /// Part of a burst of health reads by one person.
    pub unusual: bool,
}

impl StoreHandle {
    /// The store's audit entries this device holds, newest first.
    pub fn audit_lines(&self) -> Vec<AuditLine> {
        self.with_view(|replica, store| {
            let mut entries = replica.audit(store);
            let unusual = orchid_core::audit::unusual_reads(&entries);
            entries.sort_by(|a, b| b.at.cmp(&a.at).then(b.id.cmp(&a.id)));
            entries
                .into_iter()
                .map(|entry| {
                    let customer = replica.customer_of(entry.entity);
                    AuditLine {
                        customer_name: customer
                            .and_then(|c| replica.customer(c))
                            .map(|c| c.name.to_string()),
                        customer,
                        unusual: unusual.contains(&entry.id),
                        entry,
                    }
                })
                .collect()
        })
        .unwrap_or_default()
    }
}

/// A person's name for the audit screen and her copy: the staff member's name; "the device's
/// owner" on a standalone device (who has no staff record); else the start of the id.
pub fn person_name(
    store: StoreHandle,
    id: orchid_core::ids::StaffId,
    lang: crate::i18n::Lang,
) -> String {
    if let Some(name) = super::complaints::staff_name(store, id) {
        return name;
    }
    if store.read(|d| d.meta().owner.staff_id) == Some(id) {
        return crate::i18n::privacy_words::PrivacyWord::DeviceOwner
            .text(lang)
            .to_owned();
    }
    id.to_string().chars().take(8).collect()
}
