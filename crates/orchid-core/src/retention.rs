//! How long a customer's data is kept (PIPL art. 47, GDPR art. 5(1)(e)): a store keeps a
//! customer's file for its `retention_months` after her last contact, then lists her for a manager
//! to review and erase. Nothing is erased by itself: a person decides, with the file in front of her.
use std::collections::BTreeMap;

use chrono::{DateTime, Months};

use crate::customer::Customer;
use crate::ids::{CustomerId, StoreId};
use crate::sync::Replica;
use crate::time::Timestamp;

/// A customer past the store's keeping time.
#[derive(Clone, Debug, PartialEq)]
pub struct PastRetention {
    /// Her file.
    pub customer: Customer,
    /// Her last contact: the latest of her visits and bookings, feedback, and edits of her file.
    pub last_contact: Timestamp,
}

/// Each customer's last contact as this replica knows it: bookings (past or ahead), service
/// records, feedback, the last write to her file, and what the device evicted.
pub fn last_contacts(replica: &Replica, store: StoreId) -> BTreeMap<CustomerId, Timestamp> {
    let mut latest: BTreeMap<CustomerId, Timestamp> = BTreeMap::new();
    let mut seen = |customer: CustomerId, at: Timestamp| {
        let slot = latest.entry(customer).or_insert(at);
        *slot = (*slot).max(at);
    };
    for c in replica.customers(store) {
        let written = replica
            .customer_state(c.id)
            .and_then(|state| state.last_write())
            .and_then(|hlc| DateTime::from_timestamp_millis(i64::try_from(hlc.wall_ms).ok()?));
        if let Some(at) = written {
            seen(c.id, at);
        }
        if let Some(at) = replica.evicted_contact(c.id) {
            seen(c.id, at);
        }
    }
    for a in replica.appointments(store) {
        seen(a.appointment.customer_id, a.appointment.time.start);
    }
    for r in replica.service_records(store) {
        seen(r.customer_id, r.opened_at);
    }
    for f in replica.feedback(store) {
        if let Some(c) = f.customer_id {
            seen(c, f.submitted_at);
        }
    }
    latest
}

/// The store's customers whose last contact is more than `months` before `now`, longest ago
/// first.
pub fn past_retention(
    replica: &Replica,
    store: StoreId,
    now: Timestamp,
    months: u32,
) -> Vec<PastRetention> {
    let Some(cutoff) = now.checked_sub_months(Months::new(months)) else {
        return Vec::new();
    };
    let contacts = last_contacts(replica, store);
    let mut past: Vec<PastRetention> = replica
        .customers(store)
        .into_iter()
        .filter_map(|customer| {
            let last_contact = *contacts.get(&customer.id)?;
            (last_contact < cutoff).then_some(PastRetention {
                customer,
                last_contact,
            })
        })
        .collect();
    past.sort_by_key(|p| p.last_contact);
    past
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use chrono::Duration;

    use super::*;
    use crate::appointment::AppointmentField;
    use crate::customer::CustomerField;
    use crate::hlc::Hlc;
    use crate::ids::{AppointmentId, ClientId, EntityKind, EntityRef, ServiceId, StaffId};
    use crate::role::Role;
    use crate::sync::{Actor, Change, Mutation};
    use crate::text::Name;
    use crate::time::Interval;

    const STORE: StoreId = StoreId::from_u128(1);
    const CLIENT: ClientId = ClientId::from_u128(7);

    fn at(days_ago: i64, now: Timestamp) -> Timestamp {
        now - Duration::days(days_ago)
    }

    fn apply(replica: &mut Replica, n: u64, written: Timestamp, change: Change) {
        let m = Mutation {
            client_id: CLIENT,
            mutation_id: n,
            hlc: Hlc::new(
                u64::try_from(written.timestamp_millis()).unwrap(),
                0,
                CLIENT,
            ),
            actor: Actor {
                staff_id: StaffId::from_u128(9),
                role: Role::Manager,
            },
            store_id: STORE,
            change,
        };
        replica.apply(&m).unwrap();
    }

    fn customer(id: u128, name: &str) -> Change {
        Change::CustomerUpsert {
            id: CustomerId::from_u128(id),
            fields: vec![CustomerField::Name(Name::parse(name).unwrap())],
        }
    }

    fn booking(id: u128, customer: u128, start: Timestamp) -> Change {
        Change::AppointmentUpsert {
            id: AppointmentId::from_u128(id),
            fields: vec![
                AppointmentField::CustomerId(CustomerId::from_u128(customer)),
                AppointmentField::Services(vec![ServiceId::from_u128(1)]),
                AppointmentField::Time(Interval::new(start, start + Duration::hours(1)).unwrap()),
            ],
        }
    }

    #[test]
    fn a_customer_is_listed_three_years_after_her_last_contact_not_before() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let mut replica = Replica::new();
        // Filed four years ago; one came back two years ago, one never; one filed recently.
        apply(&mut replica, 1, at(4 * 365, now), customer(1, "老顾客"));
        apply(&mut replica, 2, at(4 * 365, now), customer(2, "回头客"));
        apply(
            &mut replica,
            3,
            at(2 * 365, now),
            booking(10, 2, at(2 * 365, now)),
        );
        apply(&mut replica, 4, at(30, now), customer(3, "新顾客"));
        let past = past_retention(&replica, STORE, now, 36);
        let names: Vec<&str> = past.iter().map(|p| p.customer.name.as_str()).collect();
        assert_eq!(names, ["老顾客"]);
        assert_eq!(past[0].last_contact, at(4 * 365, now));
        // A shorter keeping time lists the one who came two years ago too, longest ago first.
        let past = past_retention(&replica, STORE, now, 12);
        let names: Vec<&str> = past.iter().map(|p| p.customer.name.as_str()).collect();
        assert_eq!(names, ["老顾客", "回头客"]);
    }

    /// A device that evicted her old visit still knows she came then.
    #[test]
    fn an_evicted_visit_still_counts() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let mut replica = Replica::new();
        apply(&mut replica, 1, at(4 * 365, now), customer(2, "回头客"));
        apply(
            &mut replica,
            2,
            at(2 * 365, now),
            booking(10, 2, at(2 * 365, now)),
        );
        assert!(replica.evict(EntityRef::new(
            EntityKind::Appointment,
            AppointmentId::from_u128(10)
        )));
        assert!(replica.appointments(STORE).is_empty());
        assert!(past_retention(&replica, STORE, now, 36).is_empty());
        assert_eq!(past_retention(&replica, STORE, now, 12).len(), 1);
    }
}
