//! The waitlist (候补): customers waiting for a slot, matched when one frees up.

use chrono::{NaiveDate, Timelike};
use serde::{Deserialize, Serialize};

use crate::ids::{CustomerId, RoomId, ServiceId, StaffId, StoreId, WaitlistId};
use crate::record::record_fields;
use crate::text::Note;
use crate::time::{Interval, Timestamp, UtcOffset};

/// Part of the day a customer prefers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayPart {
    /// Before 12:00.
    Morning,
    /// 12:00–17:59.
    Afternoon,
    /// From 18:00.
    Evening,
}

impl DayPart {
    /// The part of the day of a local hour.
    pub fn of_hour(hour: u32) -> Self {
        match hour {
            0..=11 => Self::Morning,
            12..=17 => Self::Afternoon,
            _ => Self::Evening,
        }
    }
}

/// Where a waitlist entry stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum WaitlistStatus {
    /// Waiting.
    #[default]
    Waiting,
    /// A slot was offered.
    Offered,
    /// Booked.
    Booked,
    /// No longer wanted.
    Cancelled,
}

/// A customer waiting for a slot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WaitlistEntry {
    /// Id.
    pub id: WaitlistId,
    /// Store.
    pub store_id: StoreId,
    /// Customer.
    pub customer_id: CustomerId,
    /// Services wanted.
    pub services: Vec<ServiceId>,
    /// Preferred therapist.
    pub therapist_id: Option<StaffId>,
    /// Earliest acceptable local date.
    pub earliest: NaiveDate,
    /// Latest acceptable local date.
    pub latest: NaiveDate,
    /// Preferred parts of the day (empty: any).
    pub day_parts: Vec<DayPart>,
    /// When they asked.
    pub created_at: Timestamp,
    /// Status.
    pub status: WaitlistStatus,
    /// Note.
    pub note: Note,
    /// The slot offered to her, while the entry is [`WaitlistStatus::Offered`] (kept once booked,
    /// so the list says which slot she took). Old records read without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer: Option<WaitlistOffer>,
}

/// A freed slot offered to a waiting customer: what "Book it" will book.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WaitlistOffer {
    /// When.
    pub slot: Interval,
    /// With whom.
    pub therapist_id: Option<StaffId>,
    /// Where.
    pub room_id: Option<RoomId>,
    /// When it was offered.
    pub at: Timestamp,
    /// By whom.
    pub by: Option<StaffId>,
}

impl WaitlistEntry {
    /// A blank record to materialize fields onto.
    pub fn blank(id: WaitlistId, store_id: StoreId) -> Self {
        Self {
            id,
            store_id,
            customer_id: CustomerId::from_u128(0),
            services: Vec::new(),
            therapist_id: None,
            earliest: NaiveDate::MIN,
            latest: NaiveDate::MIN,
            day_parts: Vec::new(),
            created_at: Timestamp::UNIX_EPOCH,
            status: WaitlistStatus::Waiting,
            note: Note::default(),
            offer: None,
        }
    }
    /// Would this customer take a slot at `slot` with `therapist`?
    pub fn fits(&self, slot: &Interval, therapist: Option<StaffId>, offset: UtcOffset) -> bool {
        let local = offset.local(slot.start);
        self.status == WaitlistStatus::Waiting
            && (self.earliest..=self.latest).contains(&local.date())
            && (self.day_parts.is_empty()
                || self.day_parts.contains(&DayPart::of_hour(local.hour())))
            && (self.therapist_id.is_none() || self.therapist_id == therapist)
    }
}

/// Waiting customers who would take a freed slot, first come first served.
pub fn candidates_for_slot<'a>(
    entries: impl IntoIterator<Item = &'a WaitlistEntry>,
    slot: &Interval,
    therapist: Option<StaffId>,
    offset: UtcOffset,
) -> Vec<&'a WaitlistEntry> {
    let mut out: Vec<&WaitlistEntry> = entries
        .into_iter()
        .filter(|e| e.fits(slot, therapist, offset))
        .collect();
    out.sort_by_key(|e| (e.created_at, e.id));
    out
}

record_fields! {
    /// The editable fields of a [`WaitlistEntry`].
    pub enum WaitlistField for WaitlistEntry {
        /// Customer.
        CustomerId(CustomerId) => customer_id, Ordinary, Keep;
        /// Services.
        Services(Vec<ServiceId>) => services, Ordinary, Keep;
        /// Therapist.
        TherapistId(Option<StaffId>) => therapist_id, Ordinary, Keep;
        /// Earliest date.
        Earliest(NaiveDate) => earliest, Ordinary, Keep;
        /// Latest date.
        Latest(NaiveDate) => latest, Ordinary, Keep;
        /// Day parts.
        DayParts(Vec<DayPart>) => day_parts, Ordinary, Keep;
        /// Created at.
        CreatedAt(Timestamp) => created_at, Ordinary, Keep;
        /// Status.
        Status(WaitlistStatus) => status, Ordinary, Keep;
        /// Note.
        Note(Note) => note, Ordinary, Erase;
        /// The slot offered.
        Offer(Option<WaitlistOffer>) => offer, Ordinary, Keep;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::tests::cst;
    use chrono::Duration;

    #[test]
    fn an_entry_written_before_offers_reads_without_one_and_an_offer_round_trips() {
        let mut entry = WaitlistEntry::blank(WaitlistId::from_u128(1), StoreId::from_u128(1));
        let old = serde_json::to_value(&entry).unwrap();
        assert!(
            old.get("offer").is_none(),
            "no offer, no key: old readers see the same JSON"
        );
        let read: WaitlistEntry = serde_json::from_value(old).unwrap();
        assert_eq!(read.offer, None);
        let start = cst(2025, 3, 11, 15, 0);
        entry.earliest = NaiveDate::from_ymd_opt(2025, 3, 10).unwrap();
        entry.latest = NaiveDate::from_ymd_opt(2025, 3, 12).unwrap();
        entry.status = WaitlistStatus::Offered;
        entry.offer = Some(WaitlistOffer {
            slot: Interval::new(start, start + Duration::minutes(45)).unwrap(),
            therapist_id: Some(StaffId::from_u128(9)),
            room_id: None,
            at: cst(2025, 3, 10, 18, 0),
            by: None,
        });
        let back: WaitlistEntry =
            serde_json::from_str(&serde_json::to_string(&entry).unwrap()).unwrap();
        assert_eq!(back, entry);
        // Offered entries are not candidates for another slot.
        assert!(!entry.fits(&entry.offer.unwrap().slot, None, UtcOffset::CHINA));
    }

    #[test]
    fn matching_a_freed_slot() {
        let mut a = WaitlistEntry::blank(WaitlistId::from_u128(1), StoreId::from_u128(1));
        a.earliest = NaiveDate::from_ymd_opt(2025, 3, 10).unwrap();
        a.latest = NaiveDate::from_ymd_opt(2025, 3, 12).unwrap();
        a.created_at = cst(2025, 3, 1, 9, 0);
        let mut b = a.clone();
        b.id = WaitlistId::from_u128(2);
        b.created_at = cst(2025, 2, 1, 9, 0);
        b.day_parts = vec![DayPart::Evening];
        let mut c = a.clone();
        c.id = WaitlistId::from_u128(3);
        c.therapist_id = Some(StaffId::from_u128(9));
        let slot = |h| {
            Interval::new(
                cst(2025, 3, 11, h, 0),
                cst(2025, 3, 11, h, 0) + Duration::hours(1),
            )
            .unwrap()
        };
        let got: Vec<WaitlistId> =
            candidates_for_slot([&a, &b, &c], &slot(14), None, UtcOffset::CHINA)
                .iter()
                .map(|e| e.id)
                .collect();
        assert_eq!(got, vec![a.id]);
        let got: Vec<WaitlistId> = candidates_for_slot(
            [&a, &b, &c],
            &slot(19),
            Some(StaffId::from_u128(9)),
            UtcOffset::CHINA,
        )
        .iter()
        .map(|e| e.id)
        .collect();
        assert_eq!(got, vec![b.id, a.id, c.id]);
        let late = Interval::new(cst(2025, 3, 13, 10, 0), cst(2025, 3, 13, 11, 0)).unwrap();
        assert!(candidates_for_slot([&a], &late, None, UtcOffset::CHINA).is_empty());
    }
}
