//! Field-level records. Every editable record type (store, staff, customer, catalog entry, room,
//! appointment, waitlist entry, follow-up, product) has a companion `…Field` enum with one variant per
//! editable field. A change is a list of fields; sync merges each field separately, last writer wins by
//! [`Hlc`]. Each field knows its [`Sensitivity`], so permissions and audit work per field.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::ValidationError;
use crate::hlc::Hlc;
use crate::permission::Sensitivity;

/// The fields of one record type.
pub trait FieldSet: Clone + PartialEq + Serialize + DeserializeOwned {
    /// The record the fields belong to.
    type Record;
    /// The field's stable name (its JSON `field` tag).
    fn name(&self) -> &'static str;
    /// How sensitive the field is.
    fn sensitivity(&self) -> Sensitivity;
    /// Writes the field into a record.
    fn apply_to(self, record: &mut Self::Record);
    /// Every field of a record (to create it in one change).
    fn all_from(record: &Self::Record) -> Vec<Self>;
    /// Checks that need more than the field's type (ranges, cross-checks within one field).
    fn check(&self) -> Result<(), ValidationError> {
        Ok(())
    }
    /// The field as an erasure of the customer it is about leaves it: `None` when it keeps its
    /// value (an anonymous fact: a time, a status, a service) or is already blank, else the field
    /// blanked. Each field says which in its `record_fields!` line, so a field added later
    /// cannot be left out of erasure by mistake.
    fn erased(&self) -> Option<Self>;
}

/// A value that can stand for erased personal data.
pub trait Erasable: PartialEq {
    /// The blank that replaces it.
    fn erased() -> Self;
}

impl Erasable for crate::text::Note {
    fn erased() -> Self {
        Self::default()
    }
}

impl Erasable for crate::text::Name {
    fn erased() -> Self {
        Self::placeholder()
    }
}

impl Erasable for crate::text::Label {
    /// A label cannot be empty: a dash stands in (a proposal's text, which the case's options
    /// still count).
    fn erased() -> Self {
        Self::dash()
    }
}

impl<T: PartialEq> Erasable for Option<T> {
    fn erased() -> Self {
        None
    }
}

impl<T: PartialEq> Erasable for Vec<T> {
    fn erased() -> Self {
        Vec::new()
    }
}

/// Sets `slot` to its erased blank; true if it held something.
pub fn erase<T: Erasable>(slot: &mut T) -> bool {
    let blank = T::erased();
    if *slot == blank {
        false
    } else {
        *slot = blank;
        true
    }
}

/// Defines a `…Field` enum and its [`FieldSet`] impl. `check` is taken from an inherent
/// `fn check(&self) -> Result<(), ValidationError>` when `checked` is given. Each field line ends
/// with its sensitivity and with what erasing the customer it is about does to it: `Keep` (an
/// anonymous fact) or `Erase` (blanked, see [`Erasable`]).
macro_rules! record_fields {
    (@erased Keep, $v:ident, $make:expr, $ty:ty) => {{
        let _ = $v;
        None
    }};
    (@erased Erase, $v:ident, $make:expr, $ty:ty) => {{
        let blank = <$ty as $crate::record::Erasable>::erased();
        if *$v == blank { None } else { Some($make(blank)) }
    }};
    (
        $(#[$meta:meta])*
        $vis:vis enum $Field:ident for $Record:ty $([$checked:ident])? {
            $( $(#[$vmeta:meta])* $Variant:ident ( $ty:ty ) => $field:ident, $sens:ident, $erase:ident; )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(tag = "field", content = "value", rename_all = "snake_case")]
        $vis enum $Field {
            $( $(#[$vmeta])* $Variant($ty), )*
        }

        impl $Field {
            /// The names of all fields, in declaration order.
            pub const NAMES: &'static [&'static str] = &[$(stringify!($field)),*];
        }

        impl $crate::record::FieldSet for $Field {
            type Record = $Record;
            fn name(&self) -> &'static str {
                match self { $( Self::$Variant(_) => stringify!($field), )* }
            }
            fn sensitivity(&self) -> $crate::permission::Sensitivity {
                match self { $( Self::$Variant(_) => $crate::permission::Sensitivity::$sens, )* }
            }
            fn apply_to(self, record: &mut $Record) {
                match self { $( Self::$Variant(v) => record.$field = v, )* }
            }
            fn all_from(record: &$Record) -> Vec<Self> {
                vec![ $( Self::$Variant(record.$field.clone()), )* ]
            }
            fn erased(&self) -> Option<Self> {
                match self {
                    $( Self::$Variant(v) => record_fields!(@erased $erase, v, Self::$Variant, $ty), )*
                }
            }
            $(
            fn check(&self) -> Result<(), $crate::error::ValidationError> {
                let _ = stringify!($checked);
                $Field::check_field(self)
            }
            )?
        }
    };
}
pub(crate) use record_fields;

/// A field value and the timestamp of the change that wrote it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stamped<F> {
    /// When it was written.
    pub hlc: Hlc,
    /// The field.
    #[serde(flatten)]
    pub field: F,
}

/// The merge state of one editable record: each field with its latest write, and a tombstone.
/// Merging is commutative, associative and idempotent, so replicas converge whatever the order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound = "F: FieldSet")]
pub struct LwwEntity<F> {
    /// Fields, sorted by name, each with the last write by HLC.
    pub fields: Vec<Stamped<F>>,
    /// Set once the record is deleted: deletes win over every write (a tombstone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted: Option<Hlc>,
}

impl<F> Default for LwwEntity<F> {
    fn default() -> Self {
        Self {
            fields: Vec::new(),
            deleted: None,
        }
    }
}

impl<F: FieldSet> LwwEntity<F> {
    /// Merges one field written at `hlc`. Returns true if the state changed.
    pub fn merge_field(&mut self, hlc: Hlc, field: F) -> bool {
        if self.deleted.is_some() {
            return false;
        }
        let name = field.name();
        match self.fields.binary_search_by(|s| s.field.name().cmp(name)) {
            Ok(i) => {
                let Some(slot) = self.fields.get_mut(i) else {
                    return false;
                };
                if hlc > slot.hlc {
                    *slot = Stamped { hlc, field };
                    true
                } else {
                    false
                }
            }
            Err(i) => {
                self.fields.insert(i, Stamped { hlc, field });
                true
            }
        }
    }

    /// Marks the record deleted. The earliest delete is kept, so the result does not depend on order;
    /// field values are dropped (erasure leaves nothing behind).
    pub fn delete(&mut self, hlc: Hlc) -> bool {
        let earlier = match self.deleted {
            Some(d) => hlc < d,
            None => true,
        };
        if earlier {
            self.deleted = Some(hlc);
        }
        let had_fields = !self.fields.is_empty();
        self.fields.clear();
        earlier || had_fields
    }

    /// Blanks the fields that carry personal data (the customer the record is about was erased),
    /// each keeping the time of its write so that replicas agree whatever the order. True if any
    /// field changed.
    pub fn erase_personal(&mut self) -> bool {
        let mut changed = false;
        for s in &mut self.fields {
            if let Some(blank) = s.field.erased() {
                s.field = blank;
                changed = true;
            }
        }
        changed
    }

    /// True if deleted.
    pub fn is_deleted(&self) -> bool {
        self.deleted.is_some()
    }

    /// The field named `name`, if it was ever written.
    pub fn get(&self, name: &str) -> Option<&Stamped<F>> {
        self.fields.iter().find(|s| s.field.name() == name)
    }

    /// The latest write to any field.
    pub fn last_write(&self) -> Option<Hlc> {
        self.fields.iter().map(|s| s.hlc).max()
    }

    /// Builds the record by writing every known field onto `blank`. `None` if deleted.
    pub fn materialize(&self, mut blank: F::Record) -> Option<F::Record> {
        if self.deleted.is_some() {
            return None;
        }
        for s in &self.fields {
            s.field.clone().apply_to(&mut blank);
        }
        Some(blank)
    }
}

/// The largest change of a counter (points, stock units, a price in cents) one mutation may
/// carry. Balances are sums of such deltas: bounding each keeps every sum far from `i64`'s
/// limits (it would take billions of mutations), and a typing slip of a dozen digits is refused
/// rather than stored.
pub const MAX_DELTA: i64 = 1_000_000_000;
