//! Rule: every person a change names as having done something is the signed-in actor. Checked as
//! a table over every kind the generators make, by every role, so a new kind cannot forget it.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::{KINDS, actor, change};
use orchid_core::ValidationError;
use orchid_core::ids::StaffId;
use orchid_core::role::Role;
use orchid_core::sync::{Actor, SyncError};

/// A change whose payload carries its author's id must list her among its authors, and the
/// same change validated as a colleague in the same role must be refused as not hers.
#[test]
fn every_kind_that_names_its_author_is_refused_from_anyone_else() {
    let mut checked_kinds = std::collections::BTreeSet::new();
    for kind in 0..KINDS {
        for role in Role::ALL {
            for (a, b) in [(0u8, 0u8), (1, 3), (2, 5), (3, 8)] {
                let c = change(kind, a, b, role);
                let author = actor(role);
                let json = serde_json::to_string(&c).unwrap();
                let names_author = json.contains(&author.staff_id.to_string());
                let listed = c
                    .authors()
                    .iter()
                    .any(|n| n.staff_id == Some(author.staff_id));
                if c.validate(&author).is_err() {
                    continue;
                }
                let colleague = Actor {
                    staff_id: StaffId::from_u128(9_999),
                    role,
                };
                let as_colleague = c.validate(&colleague);
                if listed {
                    checked_kinds.insert(kind);
                    assert_eq!(
                        as_colleague,
                        Err(ValidationError::Sync(SyncError::ActorMismatch)),
                        "kind {kind} as {role:?}: {json}"
                    );
                } else {
                    // Only assignments (who will act: the therapist a record is opened for, an
                    // assignee) may carry the id without naming her as its author.
                    assert!(
                        !names_author || json.contains("therapist_id"),
                        "kind {kind} names {} but does not list her as its author: {json}",
                        author.staff_id
                    );
                }
            }
        }
    }
    // Stock moves, loyalty changes, consents, skin assessments, appointment status changes,
    // complaint events, service-record entries and audit entries all name their author.
    assert!(checked_kinds.len() >= 8, "{checked_kinds:?}");
}

/// Each mutation kind names a role only as its actor's role.
#[test]
fn a_change_naming_a_role_is_refused_in_another_role() {
    for kind in 0..KINDS {
        let c = change(kind, 1, 3, Role::Manager);
        let author = actor(Role::Manager);
        if c.validate(&author).is_err() || !c.authors().iter().any(|n| n.role.is_some()) {
            continue;
        }
        // The same person in another role (e.g. claiming to be the owner in the payload).
        let other = Actor {
            staff_id: author.staff_id,
            role: Role::Owner,
        };
        assert!(c.validate(&other).is_err(), "kind {kind}");
    }
}
