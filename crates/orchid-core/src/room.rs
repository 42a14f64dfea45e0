//! Rooms and beds: the places a service happens. Each is booked as one resource.

use serde::{Deserialize, Serialize};

use crate::catalog::ServiceCategory;
use crate::ids::{RoomId, StoreId};
use crate::record::record_fields;
use crate::text::Name;

/// What kind of place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoomKind {
    /// A treatment room (one customer at a time).
    Room,
    /// A bed (possibly inside a shared room).
    Bed,
    /// A VIP suite.
    Suite,
}

/// A bookable room or bed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Room {
    /// Id.
    pub id: RoomId,
    /// Store.
    pub store_id: StoreId,
    /// Name (A01, 玫瑰房, 3号床…).
    pub name: Name,
    /// Kind.
    pub kind: RoomKind,
    /// The room a bed stands in.
    pub parent: Option<RoomId>,
    /// Categories of service it suits (empty: any).
    pub suits: Vec<ServiceCategory>,
    /// In use.
    pub active: bool,
}

impl Room {
    /// A new active room or bed.
    pub fn new(id: RoomId, store_id: StoreId, name: Name, kind: RoomKind) -> Self {
        Self {
            id,
            store_id,
            name,
            kind,
            parent: None,
            suits: Vec::new(),
            active: true,
        }
    }
    /// A blank record to materialize fields onto.
    pub fn blank(id: RoomId, store_id: StoreId) -> Self {
        Self::new(id, store_id, Name::placeholder(), RoomKind::Room)
    }
    /// Does it suit a service of `category`?
    pub fn suits(&self, category: ServiceCategory) -> bool {
        self.suits.is_empty() || self.suits.contains(&category)
    }
}

record_fields! {
    /// The editable fields of a [`Room`].
    pub enum RoomField for Room {
        /// Name.
        Name(Name) => name, Ordinary, Keep;
        /// Kind.
        Kind(RoomKind) => kind, Ordinary, Keep;
        /// Parent room.
        Parent(Option<RoomId>) => parent, Ordinary, Keep;
        /// Suited categories.
        Suits(Vec<ServiceCategory>) => suits, Ordinary, Keep;
        /// Active.
        Active(bool) => active, Ordinary, Keep;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suits() {
        let mut r = Room::blank(RoomId::from_u128(1), StoreId::from_u128(1));
        assert!(r.suits(ServiceCategory::Body));
        r.suits = vec![ServiceCategory::Facial];
        assert!(!r.suits(ServiceCategory::Body));
        assert!(r.suits(ServiceCategory::Facial));
    }
}
