//! What the people signed in on a device may read of a logged mutation, applied on the server
//! before a pull answers, so what none of them may read never leaves it. (An erased customer's
//! data is removed from the log itself, by the core's `Change::erase_personal`: see `sync.rs`.)
//!
//! The rules come from the core's permission matrix (`permission::allowed`), its redaction helpers
//! (`SkinAssessment::redacted`) and its scorecard rule (`scorecard::may_read`: a staff spot check
//! is read by its person and by those who read the team's scorecards). The core has no "mutation
//! as a reader may see it" function yet, so the mapping from change kinds to read permissions
//! lives here.
use orchid_core::ids::StaffId;
use orchid_core::internal_check::CheckKind;
use orchid_core::permission::{Action, Sensitivity, allowed, reads_everything};
use orchid_core::record::FieldSet;
use orchid_core::role::Role;
use orchid_core::scorecard;
use orchid_core::sync::{Change, Mutation};

/// Who a pull is for: the signed-in person and the colleagues signed in on the same device (a
/// shared tablet holds what any of them may read; its screens show each only hers).
#[derive(Clone, Debug, Default)]
pub struct Readers {
    people: Vec<(StaffId, Role)>,
}

impl Readers {
    /// The signed-in person alone.
    pub fn of(staff: StaffId, role: Role) -> Self {
        Readers {
            people: vec![(staff, role)],
        }
    }

    /// Adds a colleague on the same device.
    pub fn with(&mut self, staff: StaffId, role: Role) {
        if !self.people.iter().any(|(s, _)| *s == staff) {
            self.people.push((staff, role));
        }
    }

    /// May any of them do `action` at `sensitivity`?
    fn may(&self, action: Action, sensitivity: Sensitivity) -> bool {
        self.people
            .iter()
            .any(|(_, role)| allowed(*role, action, sensitivity))
    }

    /// May any of them read `subject`'s scorecard (the core's rule)?
    fn may_read_scorecard_of(&self, subject: StaffId) -> bool {
        self.people
            .iter()
            .any(|(staff, role)| scorecard::may_read(*role, Some(*staff), subject))
    }

    /// True if they read every mutation as logged ([`Readers::filter`] changes nothing for
    /// them), so a pull may answer with the logged JSON as it is.
    pub fn read_everything(&self) -> bool {
        self.people.iter().any(|(_, role)| reads_everything(*role))
    }

    /// The mutation as they may read it: sensitive fields removed, or `None` when none of them
    /// may read that record at all (the pull still moves its cursor past it).
    pub fn filter(&self, mut m: Mutation) -> Option<Mutation> {
        let sensitive = !self.may(Action::CustomerRead, Sensitivity::Sensitive);
        match &mut m.change {
            Change::CustomerUpsert { fields, .. } if sensitive => {
                fields.retain(|f| f.sensitivity() == Sensitivity::Ordinary);
            }
            Change::SkinAssessmentAdd(a) if sensitive => *a = a.redacted(),
            Change::ServiceRecordEntry(e)
                if !self.may(Action::ServiceRecordRead, e.kind.requires().1) =>
            {
                return None;
            }
            Change::ComplaintEvent(_)
                if !self.may(Action::ComplaintRead, Sensitivity::Ordinary) =>
            {
                return None;
            }
            Change::FeedbackSubmit(_) if !self.may(Action::FeedbackRead, Sensitivity::Ordinary) => {
                return None;
            }
            Change::AuditAppend(_) if !self.may(Action::AuditRead, Sensitivity::Ordinary) => {
                return None;
            }
            // A superior's spot check of a person is part of her assessment: hers to read and
            // her supervisors', not her colleagues'.
            Change::CheckRecord(c)
                if c.kind == CheckKind::StaffConduct
                    && !c
                        .subject
                        .is_some_and(|subject| self.may_read_scorecard_of(subject)) =>
            {
                return None;
            }
            _ => {}
        }
        Some(m)
    }
}

/// The mutation as `role` may read it (one person, `staff`, alone on her device).
#[cfg(test)]
fn for_role(role: Role, staff: StaffId, m: Mutation) -> Option<Mutation> {
    Readers::of(staff, role).filter(m)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const SOMEONE: StaffId = StaffId::from_u128(1);

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
            assert_eq!(
                for_role(role, SOMEONE, m.clone()),
                Some(m.clone()),
                "{role:?}"
            );
        }
        let complaint =
            include_str!("../../orchid-core/tests/snapshots/mutation_complaint_event.json");
        let m: Mutation = serde_json::from_str(complaint).unwrap();
        for role in Role::ALL.into_iter().filter(|r| reads_everything(*r)) {
            assert_eq!(
                for_role(role, SOMEONE, m.clone()),
                Some(m.clone()),
                "{role:?}"
            );
        }
    }

    /// A shared tablet's pull reads what any of its people may: a therapist alone does not get
    /// a complaint, the same tablet with the manager signed in too does.
    #[test]
    fn a_device_reads_what_any_of_its_people_may() {
        let complaint =
            include_str!("../../orchid-core/tests/snapshots/mutation_complaint_event.json");
        let m: Mutation = serde_json::from_str(complaint).unwrap();
        let mut readers = Readers::of(SOMEONE, Role::Therapist);
        assert!(!readers.read_everything());
        assert_eq!(readers.filter(m.clone()), None);
        readers.with(StaffId::from_u128(2), Role::Reception);
        assert_eq!(readers.filter(m.clone()), None);
        readers.with(StaffId::from_u128(3), Role::Manager);
        assert!(readers.read_everything());
        assert_eq!(readers.filter(m.clone()), Some(m));
    }
}
