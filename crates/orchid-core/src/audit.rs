//! The audit log: who did what to which record, from which device, when — including reads of sensitive
//! fields. Append-only.

use serde::{Deserialize, Serialize};

use crate::ids::{AuditId, ClientId, EntityRef, StaffId, StoreId};
use crate::permission::{Action, Sensitivity, requires_audit};
use crate::role::Role;
use crate::text::Note;
use crate::time::Timestamp;

/// One audit entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Id.
    pub id: AuditId,
    /// Store.
    pub store_id: StoreId,
    /// When.
    pub at: Timestamp,
    /// Who.
    pub actor: StaffId,
    /// In which role.
    pub role: Role,
    /// From which device.
    pub client_id: ClientId,
    /// What they did.
    pub action: Action,
    /// To which record.
    pub entity: EntityRef,
    /// Which fields (names as in JSON), if it matters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    /// Whether sensitive data was involved.
    pub sensitivity: Sensitivity,
    /// Why (e.g. the reason of an override or an export).
    #[serde(default)]
    pub note: Note,
}

/// Who is acting, from where, for audit entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditContext {
    /// Store.
    pub store_id: StoreId,
    /// Who.
    pub actor: StaffId,
    /// In which role.
    pub role: Role,
    /// Device.
    pub client_id: ClientId,
}

impl AuditEntry {
    /// Blanks the note once the customer the entry is about is erased; who read or changed what,
    /// when, stays (the log must still show it happened).
    pub fn erase_personal(&mut self) -> bool {
        let Self {
            id: _,
            store_id: _,
            at: _,
            actor: _,
            role: _,
            client_id: _,
            action: _,
            entity: _,
            fields: _,
            sensitivity: _,
            note,
        } = self;
        crate::record::erase(note)
    }
}

impl AuditContext {
    /// The entry to log for `action` on `entity` touching `fields`, if the rules require one
    /// ([`requires_audit`]); `None` if no entry is needed. The caller supplies the id and time.
    pub fn entry_if_required(
        &self,
        id: AuditId,
        at: Timestamp,
        action: Action,
        entity: EntityRef,
        fields: &[&str],
        sensitivity: Sensitivity,
    ) -> Option<AuditEntry> {
        requires_audit(action, sensitivity).then(|| AuditEntry {
            id,
            store_id: self.store_id,
            at,
            actor: self.actor,
            role: self.role,
            client_id: self.client_id,
            action,
            entity,
            fields: fields.iter().map(|f| (*f).to_owned()).collect(),
            sensitivity,
            note: Note::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{CustomerId, EntityKind};
    use crate::time::tests::cst;

    #[test]
    fn sensitive_reads_are_logged_ordinary_are_not() {
        let ctx = AuditContext {
            store_id: StoreId::from_u128(1),
            actor: StaffId::from_u128(2),
            role: Role::Therapist,
            client_id: ClientId::from_u128(3),
        };
        let e = EntityRef::new(EntityKind::Customer, CustomerId::from_u128(4));
        let at = cst(2025, 3, 1, 10, 0);
        let logged = ctx.entry_if_required(
            AuditId::from_u128(1),
            at,
            Action::CustomerRead,
            e,
            &["allergies"],
            Sensitivity::Sensitive,
        );
        let logged = logged.unwrap();
        assert_eq!(logged.fields, vec!["allergies".to_owned()]);
        assert_eq!(logged.role, Role::Therapist);
        assert!(
            ctx.entry_if_required(
                AuditId::from_u128(2),
                at,
                Action::CustomerRead,
                e,
                &["name"],
                Sensitivity::Ordinary
            )
            .is_none()
        );
        assert!(
            ctx.entry_if_required(
                AuditId::from_u128(2),
                at,
                Action::CustomerExport,
                e,
                &[],
                Sensitivity::Ordinary
            )
            .is_some()
        );
    }
}
