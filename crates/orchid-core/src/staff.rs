//! Staff accounts: a person, their store and their role.

use serde::{Deserialize, Serialize};

use crate::customer::Phone;
use crate::ids::{ServiceId, StaffId, StoreId};
use crate::record::record_fields;
use crate::role::Role;
use crate::text::Name;

/// A member of staff.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Staff {
    /// Id.
    pub id: StaffId,
    /// Home store. An owner acts in every store of the chain.
    pub store_id: StoreId,
    /// Name.
    pub name: Name,
    /// Role.
    pub role: Role,
    /// Work phone.
    pub phone: Option<Phone>,
    /// False once the person has left (kept for history).
    pub active: bool,
    /// Services this person is trained to give (therapists).
    pub skills: Vec<ServiceId>,
}

impl Staff {
    /// A new, active member of staff.
    pub fn new(id: StaffId, store_id: StoreId, name: Name, role: Role) -> Self {
        Self {
            id,
            store_id,
            name,
            role,
            phone: None,
            active: true,
            skills: Vec::new(),
        }
    }
    /// A blank record to materialize fields onto.
    pub fn blank(id: StaffId, store_id: StoreId) -> Self {
        Self::new(id, store_id, Name::placeholder(), Role::Reception)
    }
    /// May this person act in `store`? Owners act in every store of the chain; others in their own.
    pub fn acts_in(&self, store: StoreId) -> bool {
        self.active && (self.role == Role::Owner || self.store_id == store)
    }
    /// Can this person give `service`? (An empty skill list means "not restricted".)
    pub fn can_give(&self, service: ServiceId) -> bool {
        self.skills.is_empty() || self.skills.contains(&service)
    }
}

record_fields! {
    /// The editable fields of a [`Staff`] member.
    pub enum StaffField for Staff {
        /// Name.
        Name(Name) => name, Ordinary, Keep;
        /// Role.
        Role(Role) => role, Ordinary, Keep;
        /// Phone.
        Phone(Option<Phone>) => phone, Ordinary, Keep;
        /// Active.
        Active(bool) => active, Ordinary, Keep;
        /// Skills.
        Skills(Vec<ServiceId>) => skills, Ordinary, Keep;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acting_in_stores() {
        let a = StoreId::from_u128(1);
        let b = StoreId::from_u128(2);
        let mut s = Staff::new(
            StaffId::from_u128(9),
            a,
            Name::parse("李娜").unwrap(),
            Role::Therapist,
        );
        assert!(s.acts_in(a));
        assert!(!s.acts_in(b));
        s.role = Role::Owner;
        assert!(s.acts_in(b));
        s.active = false;
        assert!(!s.acts_in(a));
    }

    #[test]
    fn skills() {
        let mut s = Staff::blank(StaffId::from_u128(1), StoreId::from_u128(1));
        assert!(s.can_give(ServiceId::from_u128(5)));
        s.skills = vec![ServiceId::from_u128(4)];
        assert!(!s.can_give(ServiceId::from_u128(5)));
        assert!(s.can_give(ServiceId::from_u128(4)));
    }
}
