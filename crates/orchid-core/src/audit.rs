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

/// Reading that stands out ([`unusual_reads`]): one person opening the health data of more than
/// this many different customers…
pub const UNUSUAL_READ_CUSTOMERS: usize = 15;
/// …within this many minutes. A therapist sees her day's eight or ten customers over hours; a
/// manager preparing a report works from the figures, not from each file. Fifteen health files in
/// half an hour is someone copying them.
pub const UNUSUAL_READ_MINUTES: i64 = 30;

/// The entries that are part of reading that stands out: a person's sensitive reads of more than
/// [`UNUSUAL_READ_CUSTOMERS`] different records within [`UNUSUAL_READ_MINUTES`]. Every entry of
/// such a burst is returned, so a screen can highlight them and say whose and when.
pub fn unusual_reads(entries: &[AuditEntry]) -> std::collections::BTreeSet<AuditId> {
    use std::collections::{BTreeMap, BTreeSet};
    let window = chrono::Duration::minutes(UNUSUAL_READ_MINUTES);
    let mut by_person: BTreeMap<StaffId, Vec<&AuditEntry>> = BTreeMap::new();
    for e in entries.iter().filter(|e| {
        e.sensitivity == Sensitivity::Sensitive
            && matches!(e.action, Action::CustomerRead | Action::ServiceRecordRead)
    }) {
        by_person.entry(e.actor).or_default().push(e);
    }
    let mut flagged = BTreeSet::new();
    for reads in by_person.values_mut() {
        reads.sort_by_key(|e| (e.at, e.id));
        let mut start = 0;
        for end in 0..reads.len() {
            while reads[end].at - reads[start].at > window {
                start += 1;
            }
            let burst = &reads[start..=end];
            let records: BTreeSet<_> = burst.iter().map(|e| e.entity).collect();
            if records.len() > UNUSUAL_READ_CUSTOMERS {
                flagged.extend(burst.iter().map(|e| e.id));
            }
        }
    }
    flagged
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

    /// Sixteen health files in twenty minutes stand out; the same sixteen over a day, or fifteen
    /// in twenty minutes, or sixteen reads of one file, do not.
    #[test]
    fn a_burst_of_health_reads_stands_out() {
        use crate::ids::{CustomerId, EntityKind};
        let start = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default();
        let read = |n: u128, person: u128, customer: u128, minutes: i64| AuditEntry {
            id: AuditId::from_u128(n),
            store_id: StoreId::from_u128(1),
            at: start + chrono::Duration::minutes(minutes),
            actor: StaffId::from_u128(person),
            role: Role::Therapist,
            client_id: ClientId::from_u128(1),
            action: Action::CustomerRead,
            entity: EntityRef::new(EntityKind::Customer, CustomerId::from_u128(customer)),
            fields: vec!["allergies".into()],
            sensitivity: Sensitivity::Sensitive,
            note: Note::default(),
        };
        let burst: Vec<AuditEntry> = (0..16).map(|i| read(i, 1, i, 20 * i as i64 / 16)).collect();
        assert_eq!(unusual_reads(&burst).len(), 16);
        let spread: Vec<AuditEntry> = (0..16).map(|i| read(i, 1, i, 40 * i as i64)).collect();
        assert!(unusual_reads(&spread).is_empty());
        let fifteen: Vec<AuditEntry> = (0..15).map(|i| read(i, 1, i, i as i64)).collect();
        assert!(unusual_reads(&fifteen).is_empty());
        let one_file: Vec<AuditEntry> = (0..16).map(|i| read(i, 1, 7, i as i64)).collect();
        assert!(unusual_reads(&one_file).is_empty());
        // Two people, eight each: nobody stands out.
        let two: Vec<AuditEntry> = (0..16).map(|i| read(i, i % 2, i, i as i64)).collect();
        assert!(unusual_reads(&two).is_empty());
    }
}
