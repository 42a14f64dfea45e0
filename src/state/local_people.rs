//! People on a standalone device, one with no server (issue 21: "a standalone device keeps
//! working, with local people and PINs"). A small salon's one tablet is shared by the owner and her
//! therapists: each opens it with her own PIN, kept only on this device, and works as herself —
//! her role's app, her name on what she does. There is no server to sign in to, so the PIN is all
//! the proof there is; what it guards is the role's limits and who is named, not the device's
//! data from its owner.
use leptos::prelude::*;
use orchid_core::ids::StaffId;
use orchid_core::permission::{Action, Sensitivity, allowed};
use orchid_core::role::Role;
use orchid_core::sync::Actor;

use super::StoreHandle;
use crate::storage::pins::{self, PinRecord};
use crate::storage::repo::Pairing;
use crate::storage::settings;

/// One of the store's people as the standalone device knows her.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalPerson {
    pub staff_id: StaffId,
    pub name: String,
    pub role: Role,
    /// She can open this device with a PIN.
    pub has_pin: bool,
    /// She is the person acting now.
    pub is_me: bool,
}

/// Why a PIN was not set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LocalPinError {
    /// The device has a server: people sign in there and set their PIN themselves.
    NotStandalone,
    /// Only who may manage the staff sets a colleague's PIN.
    NotAllowed,
    /// The one setting PINs has none herself: the device would lock her out.
    OwnPinFirst,
    /// She is not one of the store's active people.
    NotActive,
    /// The PIN breaks the core's rule (its error code).
    Shape(&'static str),
    /// The two PINs typed differ.
    Mismatch,
    /// The browser could not make or keep the PIN (no random source, storage full).
    Unavailable,
}

impl StoreHandle {
    /// The person a standalone device acts as, other than its owner: the one who opened it last
    /// with her PIN, while she is one of the store's active people.
    pub(crate) fn local_actor(&self, owner: Actor) -> Option<Actor> {
        let id = self.local_person.get_untracked()?;
        if id == owner.staff_id {
            return None;
        }
        let member = self.staff_member(id).filter(|s| s.active)?;
        Some(Actor {
            staff_id: id,
            role: member.role,
        })
    }

    /// `record`'s PIN was right: she is the active person from now on. On a paired device her
    /// session (and token) makes her so; on a standalone one the device remembers her.
    pub fn act_as(&self, record: &PinRecord, signed_in: impl FnOnce(settings::Session)) {
        if let Some(session) = record.session.clone() {
            signed_in(session);
        } else if matches!(self.pairing(), Some(Pairing::Standalone)) {
            settings::save_local_person(Some(record.staff_id));
            self.local_person.set(Some(record.staff_id));
        }
    }

    /// The name of the colleague acting on this standalone device, when it is not its owner.
    pub fn local_person_name(&self) -> Option<String> {
        self.local_person.track();
        if !matches!(self.pairing(), Some(Pairing::Standalone)) {
            return None;
        }
        let owner = self.read(|d| d.meta().owner)?;
        let actor = self.local_actor(owner)?;
        self.staff_member(actor.staff_id)
            .map(|s| s.name.as_str().to_owned())
    }

    /// The active staff of a standalone device with whether each can open it by PIN, the acting
    /// person first, then by name. Empty on a paired device.
    pub fn local_people(&self) -> Vec<LocalPerson> {
        if !matches!(self.pairing(), Some(Pairing::Standalone)) {
            return Vec::new();
        }
        let me = self.actor().ok();
        let with_pin: std::collections::BTreeSet<StaffId> =
            pins::load_pins().into_iter().map(|p| p.staff_id).collect();
        let mut people: Vec<LocalPerson> = self
            .staff()
            .into_iter()
            .filter(|s| s.active)
            .map(|s| LocalPerson {
                staff_id: s.id,
                name: s.name.as_str().to_owned(),
                role: s.role,
                has_pin: with_pin.contains(&s.id),
                is_me: me.is_some_and(|m| m.staff_id == s.id),
            })
            .collect();
        // The device's owner may not be on the staff list (the demo's, a new device's): she is
        // listed all the same, by her role, since she sets the PINs and needs her own.
        if let Some(me) = me
            && !people.iter().any(|p| p.is_me)
        {
            people.push(LocalPerson {
                staff_id: me.staff_id,
                name: String::new(),
                role: me.role,
                has_pin: with_pin.contains(&me.staff_id),
                is_me: true,
            });
        }
        people.sort_by(|a, b| b.is_me.cmp(&a.is_me).then_with(|| a.name.cmp(&b.name)));
        people
    }

    /// Gives `staff` a PIN to open this standalone device with (replacing hers, if any). The
    /// acting person sets her own, or — if she may manage the staff and has a PIN herself —
    /// a colleague's. The PIN is hashed here (Argon2id, as the server would) and kept on the device.
    /// `unnamed` is the name kept for her if the staff list has none (a device's owner who is not on
    /// it): her role's name, in the language of the screen.
    pub fn set_local_pin(
        &self,
        staff: StaffId,
        unnamed: &str,
        pin: &str,
        again: &str,
    ) -> Result<(), LocalPinError> {
        if !matches!(self.pairing(), Some(Pairing::Standalone)) {
            return Err(LocalPinError::NotStandalone);
        }
        let actor = self.actor().map_err(|_| LocalPinError::NotAllowed)?;
        let people = self.local_people();
        let person = people
            .iter()
            .find(|p| p.staff_id == staff)
            .ok_or(LocalPinError::NotActive)?;
        if staff != actor.staff_id {
            if !allowed(actor.role, Action::StaffManage, Sensitivity::Ordinary) {
                return Err(LocalPinError::NotAllowed);
            }
            if !people.iter().any(|p| p.is_me && p.has_pin) {
                return Err(LocalPinError::OwnPinFirst);
            }
        }
        orchid_core::pin::check_pin(pin).map_err(|e| LocalPinError::Shape(e.code()))?;
        if pin != again {
            return Err(LocalPinError::Mismatch);
        }
        let salt = pins::random_salt().ok_or(LocalPinError::Unavailable)?;
        let hash = pins::hash_pin(pin, &salt).ok_or(LocalPinError::Unavailable)?;
        pins::save_pin(PinRecord {
            staff_id: staff,
            staff_name: if person.name.is_empty() {
                unnamed.to_owned()
            } else {
                person.name.clone()
            },
            role: person.role.code().to_owned(),
            pin_hash: hash,
            session: None,
        })
        .map_err(|_| LocalPinError::Unavailable)
    }
}
