//! The chain's head-office view: one row per store for a day — bookings, arrivals, no-shows, open
//! complaints by deadline state, the month's satisfaction, overdue follow-ups — with the stores that
//! need the owner first.
//!
//! Computed from a store's merged records (a [`Replica`]) so that the server, which replays each
//! store's log, and a device that holds the store give the same figures.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::appointment::AppointmentStatus;
use crate::complaint::{DeadlineState, Severity};
use crate::ids::StoreId;
use crate::report::{Period, Satisfaction, period_start};
use crate::sync::Replica;
use crate::time::Timestamp;

/// One store's figures for one local day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoreDay {
    /// The store.
    pub store_id: StoreId,
    /// Its name as the store's record says (empty before the store's settings reached the log).
    pub name: String,
    /// The local day the figures are for (the store's own time zone).
    pub day: NaiveDate,
    /// Bookings that start that day, cancelled ones left out.
    pub bookings: usize,
    /// Of those, customers who came (arrived, in service or done).
    pub arrivals: usize,
    /// Of those, no-shows.
    pub no_shows: usize,
    /// Complaints still needing work.
    pub complaints_open: usize,
    /// Open complaints whose first-response clock runs within its time, is paused waiting for the
    /// customer, or was answered.
    pub complaints_on_track: usize,
    /// Open complaints past the warning share of their time (due soon).
    pub complaints_due_soon: usize,
    /// Open complaints past their deadline (overdue, 超时).
    pub complaints_overdue: usize,
    /// Open complaints of critical severity.
    pub complaints_critical: usize,
    /// The satisfaction of the day's month so far.
    pub satisfaction_month: Satisfaction,
    /// Follow-up calls planned and past due at `now`.
    pub follow_ups_overdue: usize,
}

impl StoreDay {
    /// A store's row with nothing counted yet.
    pub fn empty(store_id: StoreId, name: String, day: NaiveDate) -> Self {
        Self {
            store_id,
            name,
            day,
            bookings: 0,
            arrivals: 0,
            no_shows: 0,
            complaints_open: 0,
            complaints_on_track: 0,
            complaints_due_soon: 0,
            complaints_overdue: 0,
            complaints_critical: 0,
            satisfaction_month: Satisfaction::default(),
            follow_ups_overdue: 0,
        }
    }
    /// How urgently the owner should look at this store: critical complaints first, then overdue
    /// ones, then those due soon, then overdue follow-ups. Larger is more urgent.
    pub fn urgency(&self) -> (usize, usize, usize, usize) {
        (
            self.complaints_critical,
            self.complaints_overdue,
            self.complaints_due_soon,
            self.follow_ups_overdue,
        )
    }
}

/// The figures of `store` in `view` for its local day `day`, at `now`.
pub fn store_day(view: &Replica, store: StoreId, day: NaiveDate, now: Timestamp) -> StoreDay {
    let record = view.store(store);
    let offset = record.as_ref().map(|s| s.utc_offset).unwrap_or_default();
    let name = record.map(|s| s.name.to_string()).unwrap_or_default();
    let mut figures = StoreDay::empty(store, name, day);
    for booking in view.appointments(store) {
        if offset.local_date(booking.appointment.time.start) != day {
            continue;
        }
        match booking.status.status {
            AppointmentStatus::Cancelled => continue,
            AppointmentStatus::Arrived
            | AppointmentStatus::InService
            | AppointmentStatus::Completed => figures.arrivals += 1,
            AppointmentStatus::NoShow => figures.no_shows += 1,
            AppointmentStatus::Booked | AppointmentStatus::Confirmed => {}
        }
        figures.bookings += 1;
    }
    for complaint in view.complaints(store, now).iter().filter(|c| c.is_open()) {
        figures.complaints_open += 1;
        match complaint.deadline.state {
            DeadlineState::Breached => figures.complaints_overdue += 1,
            DeadlineState::Warning => figures.complaints_due_soon += 1,
            DeadlineState::OnTrack
            | DeadlineState::Paused
            | DeadlineState::MetOnTime
            | DeadlineState::MetLate => figures.complaints_on_track += 1,
        }
        if complaint.severity == Severity::Critical {
            figures.complaints_critical += 1;
        }
    }
    let month = period_start(offset.to_utc(day.into()), Period::Month, offset);
    let feedback = view.feedback(store);
    figures.satisfaction_month = Satisfaction::of(feedback.iter().filter(|f| {
        period_start(f.submitted_at, Period::Month, offset) == month
            && offset.local_date(f.submitted_at) <= day
    }));
    figures.follow_ups_overdue = view
        .follow_ups(store)
        .iter()
        .filter(|f| f.is_overdue(now))
        .count();
    figures
}

/// Orders the rows as the head office reads them: the most urgent store first, then by name.
pub fn most_urgent_first(rows: &mut [StoreDay]) {
    rows.sort_by(|a, b| {
        b.urgency()
            .cmp(&a.urgency())
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.store_id.cmp(&b.store_id))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::appointment::{CancelReason, StatusChange};
    use crate::demo::{DemoSize, demo_store};
    use crate::ids::{ClientId, StaffId, TransitionId};
    use crate::role::Role;
    use crate::sync::{Actor, Change, SyncClient};
    use crate::time::UtcOffset;

    const STORE: StoreId = StoreId::from_u128(7);

    fn owner() -> Actor {
        Actor {
            staff_id: StaffId::from_u128(9),
            role: Role::Owner,
        }
    }

    fn now() -> Timestamp {
        chrono::DateTime::parse_from_rfc3339("2026-11-23T02:00:00Z")
            .map(|t| t.with_timezone(&chrono::Utc))
            .unwrap_or_default()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
    }

    /// The demo store (three days each side of today), as a device holds it after `extra` changes.
    fn demo(extra: impl FnOnce(&Replica) -> Vec<Change>) -> Replica {
        let size = DemoSize {
            customers: 200,
            days_each_side: 3,
        };
        let changes = demo_store(STORE, owner(), UtcOffset::CHINA, today(), now(), size, 1)
            .unwrap_or_default();
        let mut client = SyncClient::new(ClientId::from_u128(1), STORE);
        for change in changes {
            assert!(client.mutate(owner(), change, now()).is_ok());
        }
        let more = extra(client.view());
        for change in more {
            assert!(client.mutate(owner(), change, now()).is_ok());
        }
        client.view().clone()
    }

    fn moved(view: &Replica, to: AppointmentStatus, n: usize) -> Vec<Change> {
        view.appointments(STORE)
            .into_iter()
            .filter(|a| {
                UtcOffset::CHINA.local_date(a.appointment.time.start) == today()
                    && a.status.status == AppointmentStatus::Booked
            })
            .take(n)
            .map(|a| Change::AppointmentStatus {
                appointment_id: a.appointment.id,
                change: StatusChange {
                    id: TransitionId::from_u128(0xfeed + a.appointment.id.as_uuid().as_u128()),
                    to,
                    at: now(),
                    by: owner().staff_id,
                    role: Role::Owner,
                    reason: (to == AppointmentStatus::Cancelled)
                        .then_some(CancelReason::CustomerRequest),
                    note: Default::default(),
                },
            })
            .collect()
    }

    #[test]
    fn a_cancelled_booking_leaves_the_day_and_a_no_show_stays_in_it() {
        let before = store_day(&demo(|_| Vec::new()), STORE, today(), now());
        assert!(before.bookings >= 3, "the demo books today: {before:?}");
        let cancelled = store_day(
            &demo(|v| moved(v, AppointmentStatus::Cancelled, 1)),
            STORE,
            today(),
            now(),
        );
        assert_eq!(cancelled.bookings, before.bookings - 1);
        let no_show = store_day(
            &demo(|v| moved(v, AppointmentStatus::NoShow, 2)),
            STORE,
            today(),
            now(),
        );
        assert_eq!(no_show.bookings, before.bookings);
        assert_eq!(no_show.no_shows, before.no_shows + 2);
        assert_eq!(no_show.arrivals, before.arrivals);
    }

    #[test]
    fn another_day_and_another_store_count_nothing() {
        let view = demo(|_| Vec::new());
        let far = store_day(&view, STORE, today() + chrono::Duration::days(30), now());
        assert_eq!((far.bookings, far.arrivals, far.no_shows), (0, 0, 0));
        let other = store_day(&view, StoreId::from_u128(8), today(), now());
        assert_eq!(other.bookings + other.complaints_open, 0);
        assert!(other.name.is_empty());
    }

    #[test]
    fn every_open_complaint_is_in_exactly_one_deadline_state() {
        let figures = store_day(&demo(|_| Vec::new()), STORE, today(), now());
        assert!(figures.complaints_open > 0, "the demo has open complaints");
        assert_eq!(
            figures.complaints_on_track + figures.complaints_due_soon + figures.complaints_overdue,
            figures.complaints_open
        );
    }

    #[test]
    fn the_store_with_a_critical_complaint_comes_first() {
        let row = |n: u128, name: &str, critical: usize, overdue: usize| StoreDay {
            complaints_critical: critical,
            complaints_overdue: overdue,
            ..StoreDay::empty(StoreId::from_u128(n), name.into(), today())
        };
        let mut rows = vec![
            row(1, "A", 0, 0),
            row(2, "B", 0, 3),
            row(3, "C", 1, 0),
            row(4, "D", 0, 0),
        ];
        most_urgent_first(&mut rows);
        let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["C", "B", "A", "D"]);
    }
}
