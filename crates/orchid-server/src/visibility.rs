//! What a role may read of a logged mutation, applied on the server before a pull answers, so
//! fields a role may not read never leave it. (An erased customer's data is removed from the log
//! itself, by the core's `Change::erase_personal`: see `sync.rs`.)
//!
//! The rules come from the core's permission matrix (`permission::allowed`) and its redaction
//! helpers (`SkinAssessment::redacted`). The core has no "mutation as a role may see it" function
//! yet, so the mapping from change kinds to read permissions lives here.
use orchid_core::permission::{Action, Sensitivity, allowed};
use orchid_core::record::FieldSet;
use orchid_core::role::Role;
use orchid_core::sync::{Change, Mutation};

/// The mutation as `role` may read it: sensitive fields removed, or `None` when the role may not
/// read that kind of record at all (the pull still moves its cursor past it).
pub fn for_role(role: Role, mut m: Mutation) -> Option<Mutation> {
    let may = |action, sensitivity| allowed(role, action, sensitivity);
    let sensitive = !may(Action::CustomerRead, Sensitivity::Sensitive);
    match &mut m.change {
        Change::CustomerUpsert { fields, .. } if sensitive => {
            fields.retain(|f| f.sensitivity() == Sensitivity::Ordinary);
        }
        Change::SkinAssessmentAdd(a) if sensitive => *a = a.redacted(),
        Change::ServiceRecordEntry(e) if !may(Action::ServiceRecordRead, e.kind.requires().1) => {
            return None;
        }
        Change::ComplaintEvent(_) if !may(Action::ComplaintRead, Sensitivity::Ordinary) => {
            return None;
        }
        Change::FeedbackSubmit(_) if !may(Action::FeedbackRead, Sensitivity::Ordinary) => {
            return None;
        }
        Change::AuditAppend(_) if !may(Action::AuditRead, Sensitivity::Ordinary) => return None,
        _ => {}
    }
    Some(m)
}

/// True if `role` reads every mutation as logged ([`for_role`] changes nothing for it), so a pull
/// may answer with the logged JSON as it is.
pub fn reads_everything(role: Role) -> bool {
    let may = |action| allowed(role, action, Sensitivity::Sensitive);
    may(Action::CustomerRead)
        && may(Action::ServiceRecordRead)
        && allowed(role, Action::ComplaintRead, Sensitivity::Ordinary)
        && allowed(role, Action::FeedbackRead, Sensitivity::Ordinary)
        && allowed(role, Action::AuditRead, Sensitivity::Ordinary)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// `reads_everything` checks each read at its highest sensitivity: sound only if a role
    /// allowed the sensitive read is allowed the ordinary one.
    #[test]
    fn a_sensitive_read_implies_the_ordinary_one() {
        for role in Role::ALL {
            for action in Action::ALL {
                if allowed(role, action, Sensitivity::Sensitive) {
                    assert!(
                        allowed(role, action, Sensitivity::Ordinary),
                        "{role:?} {action:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_owner_reads_everything_a_therapist_does_not() {
        assert!(reads_everything(Role::Owner));
        assert!(!reads_everything(Role::Therapist));
    }

    /// What a pull passes through as logged is what `for_role` would have answered.
    #[test]
    fn a_role_that_reads_everything_gets_mutations_unchanged() {
        let logged =
            include_str!("../../orchid-core/tests/snapshots/mutation_customer_upsert.json");
        let m: Mutation = serde_json::from_str(logged).unwrap();
        for role in Role::ALL.into_iter().filter(|r| reads_everything(*r)) {
            assert_eq!(for_role(role, m.clone()), Some(m.clone()), "{role:?}");
        }
        let complaint =
            include_str!("../../orchid-core/tests/snapshots/mutation_complaint_event.json");
        let m: Mutation = serde_json::from_str(complaint).unwrap();
        for role in Role::ALL.into_iter().filter(|r| reads_everything(*r)) {
            assert_eq!(for_role(role, m.clone()), Some(m.clone()), "{role:?}");
        }
    }
}
