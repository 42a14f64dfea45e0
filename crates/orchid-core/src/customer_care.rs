//! Customer care that plans itself (客户关怀): birthday care (生日关怀) and reminders of prepaid
//! packages about to expire with sessions left (疗程卡到期提醒) are planned every day without anyone
//! pressing a button; customers who have not come back for the store's `lapsed_after_days` form a
//! re-engagement list (流失客户召回) from which a person plans the calls.
//!
//! The day's care is computed, not stored: every device lists the same calls from the same
//! records, and a call becomes a follow-up record only when a person records its outcome,
//! reschedules or cancels it ([`CarePlan::follow_up`], [`CarePlan::with_plan`]). Each call has an
//! id made from what it is about (her birthday, her package's expiry, her last visit), so two
//! devices — offline, or one after the other — write the same record, never two calls; and a
//! call someone made or cancelled is not listed again.
use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Duration, NaiveDate};

use crate::appointment::AppointmentStatus;
use crate::consent::{self, ConsentDecision, ConsentPurpose};
use crate::customer::Customer;
use crate::followup::{self, FollowUp, FollowUpChannel, FollowUpField, FollowUpPurpose};
use crate::ids::{CustomerId, FollowUpId, PackageId, StoreId};
use crate::record::FieldSet;
use crate::store::Store;
use crate::sync::{Change, Replica};
use crate::text::Note;
use crate::time::Timestamp;

/// How many days before a package expires its reminder is due.
pub const PACKAGE_REMINDER_DAYS: i64 = 30;

/// What a planned care call is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CareReason {
    /// Her birthday, on this date.
    Birthday(NaiveDate),
    /// Her prepaid package expires on this date with sessions left.
    PackageExpiring {
        /// The package.
        package: PackageId,
        /// Its last valid day.
        expires_on: NaiveDate,
    },
    /// She has not come back since this visit.
    NotBackSince(NaiveDate),
}

/// A care call to plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CarePlan {
    /// The follow-up's id, the same on every device.
    pub id: FollowUpId,
    /// Whom to call.
    pub customer_id: CustomerId,
    /// When.
    pub due: Timestamp,
    /// What about.
    pub reason: CareReason,
}

impl CarePlan {
    /// Why, as the follow-up records it.
    pub fn purpose(&self) -> FollowUpPurpose {
        match self.reason {
            CareReason::Birthday(_) => FollowUpPurpose::Birthday,
            CareReason::PackageExpiring { .. } => FollowUpPurpose::Recall,
            CareReason::NotBackSince(_) => FollowUpPurpose::ReEngagement,
        }
    }

    /// How: birthday wishes go by WeChat, the rest by phone.
    pub fn channel(&self) -> FollowUpChannel {
        match self.reason {
            CareReason::Birthday(_) => FollowUpChannel::Wechat,
            CareReason::PackageExpiring { .. } | CareReason::NotBackSince(_) => {
                FollowUpChannel::Phone
            }
        }
    }

    /// The note, in both languages: every device writes the same words.
    pub fn note(&self) -> Note {
        let text = match &self.reason {
            CareReason::Birthday(on) => format!("生日 Birthday {on}"),
            CareReason::PackageExpiring { expires_on, .. } => {
                format!("疗程卡到期 Package expires {expires_on}")
            }
            CareReason::NotBackSince(last) => format!("久未到店 Not back since {last}"),
        };
        Note::parse(&text).unwrap_or_default()
    }

    /// What the plan sets of a follow-up. No status: a new follow-up is planned, and a device
    /// writing the plan late must not undo a call already made.
    fn fields(&self) -> Vec<FollowUpField> {
        vec![
            FollowUpField::CustomerId(self.customer_id),
            FollowUpField::Due(self.due),
            FollowUpField::Channel(self.channel()),
            FollowUpField::Purpose(self.purpose()),
            FollowUpField::Note(self.note()),
        ]
    }

    /// The planned follow-up as the worklist shows it before anyone wrote it.
    pub fn follow_up(&self, store: StoreId) -> FollowUp {
        let mut f = FollowUp::blank(self.id, store);
        for field in self.fields() {
            field.apply_to(&mut f);
        }
        f
    }

    /// The follow-up as a change that writes the plan.
    pub fn change(&self) -> Change {
        Change::FollowUpUpsert {
            id: self.id,
            fields: self.fields(),
        }
    }
}

/// `edits` to the follow-up `planned` (as [`CarePlan::follow_up`] made it), with the plan's own
/// fields first when no record of it exists yet, so recording an outcome or moving the call
/// writes the whole follow-up; a field the edit sets is not written twice.
pub fn with_plan(
    planned: &FollowUp,
    exists: bool,
    edits: Vec<FollowUpField>,
) -> Vec<FollowUpField> {
    if exists {
        return edits;
    }
    let plan = [
        FollowUpField::CustomerId(planned.customer_id),
        FollowUpField::Due(planned.due),
        FollowUpField::Channel(planned.channel),
        FollowUpField::Purpose(planned.purpose),
        FollowUpField::Note(planned.note.clone()),
    ];
    let mut out: Vec<FollowUpField> = plan
        .into_iter()
        .filter(|p| {
            !edits
                .iter()
                .any(|e| std::mem::discriminant(e) == std::mem::discriminant(p))
        })
        .collect();
    out.extend(edits);
    out
}

/// The id of a care call about `customer` for the thing `key` names, of kind `tag`.
fn care_id(tag: u128, customer: CustomerId, key: u128) -> FollowUpId {
    FollowUpId::from_u128(customer.as_uuid().as_u128().rotate_left(7) ^ key ^ tag)
}

fn day_key(day: NaiveDate) -> u128 {
    // Days since 1 January of the year 1, spread over the high bits so they do not cancel the customer's.
    u128::from(day.num_days_from_ce().unsigned_abs()).rotate_left(64)
}

const BIRTHDAY_TAG: u128 = 0x6269_7274_6864_6179; // "birthday"
const PACKAGE_TAG: u128 = 0x7061_636b_6167_6565; // "package"
const LAPSED_TAG: u128 = 0x6c61_7073_6564; // "lapsed"

/// The customers who said no (refused or withdrew) to `purpose`.
fn opted_out(
    replica: &Replica,
    customers: &[Customer],
    purpose: ConsentPurpose,
) -> BTreeSet<CustomerId> {
    customers
        .iter()
        .filter(|c| {
            let records = replica.consents(c.id);
            consent::current(records.iter())
                .get(&purpose)
                .is_some_and(|r| r.decision != ConsentDecision::Given)
        })
        .map(|c| c.id)
        .collect()
}

/// The care calls due to be planned on `today` that are not planned yet: birthdays within the
/// store's `birthday_reminder_days` (due on the day, by WeChat; not for customers who said no to
/// marketing), and packages with sessions left expiring within [`PACKAGE_REMINDER_DAYS`] (not for
/// customers who said no to reminders).
pub fn daily_care(replica: &Replica, store: &Store, today: NaiveDate) -> Vec<CarePlan> {
    let customers: Vec<Customer> = replica
        .customers(store.id)
        .into_iter()
        .filter(|c| !replica.is_erased(c.id))
        .collect();
    let existing = replica.follow_ups(store.id);
    let taken: BTreeSet<FollowUpId> = existing.iter().map(|f| f.id).collect();
    let offset = store.utc_offset;
    let mut out = Vec::new();

    let birthdays = followup::birthday_plans(store, customers.iter(), today);
    if !birthdays.is_empty() {
        let no_marketing = opted_out(replica, &customers, ConsentPurpose::Marketing);
        for (plan, on) in birthdays {
            if no_marketing.contains(&plan.customer_id) {
                continue;
            }
            // A birthday call planned by hand before this planned itself counts too.
            let planned_by_hand = existing.iter().any(|f| {
                f.customer_id == plan.customer_id
                    && f.purpose == FollowUpPurpose::Birthday
                    && (offset.local_date(f.due) - on).num_days().abs() <= 60
            });
            if planned_by_hand {
                continue;
            }
            out.push(CarePlan {
                id: care_id(BIRTHDAY_TAG, plan.customer_id, day_key(on)),
                customer_id: plan.customer_id,
                due: followup::at_call_hour(store, on),
                reason: CareReason::Birthday(on),
            });
        }
    }

    let with_packages = replica.customers_with_packages(store.id);
    if !with_packages.is_empty() {
        let known: Vec<Customer> = customers
            .iter()
            .filter(|c| with_packages.contains(&c.id))
            .cloned()
            .collect();
        let no_reminders = opted_out(replica, &known, ConsentPurpose::Reminders);
        for c in known.iter().filter(|c| !no_reminders.contains(&c.id)) {
            for p in replica.loyalty(c.id).packages {
                let Some(expires_on) = p.expires_on else {
                    continue;
                };
                let days_left = (expires_on - today).num_days();
                if p.remaining <= 0 || !(0..=PACKAGE_REMINDER_DAYS).contains(&days_left) {
                    continue;
                }
                out.push(CarePlan {
                    id: care_id(
                        PACKAGE_TAG,
                        c.id,
                        p.package_id.as_uuid().as_u128() ^ day_key(expires_on),
                    ),
                    customer_id: c.id,
                    due: followup::at_call_hour(
                        store,
                        expires_on - Duration::days(PACKAGE_REMINDER_DAYS),
                    ),
                    reason: CareReason::PackageExpiring {
                        package: p.package_id,
                        expires_on,
                    },
                });
            }
        }
    }
    out.retain(|p| !taken.contains(&p.id));
    out.sort_by_key(|p| (p.due, p.id));
    out
}

/// A customer who has not come back.
#[derive(Clone, Debug, PartialEq)]
pub struct Lapsed {
    /// Her file.
    pub customer: Customer,
    /// Her last visit.
    pub last_visit: NaiveDate,
    /// Days since.
    pub days: i64,
    /// The re-engagement call for this absence (planned or not yet).
    pub plan: CarePlan,
    /// Whether that call is already planned (or was made).
    pub planned: bool,
}

/// The customers whose last visit (a service record, or a booking she came to) is
/// `lapsed_after_days` or more before `today`, with nothing booked ahead, longest absent first —
/// not those erased or who said no to marketing. Each carries the call to plan, due today.
pub fn lapsed_customers(replica: &Replica, store: &Store, today: NaiveDate) -> Vec<Lapsed> {
    let offset = store.utc_offset;
    let mut last: BTreeMap<CustomerId, NaiveDate> = BTreeMap::new();
    let mut booked_ahead: BTreeSet<CustomerId> = BTreeSet::new();
    let mut visited = |customer: CustomerId, day: NaiveDate| {
        let slot = last.entry(customer).or_insert(day);
        *slot = (*slot).max(day);
    };
    for r in replica.service_records(store.id) {
        visited(r.customer_id, offset.local_date(r.opened_at));
    }
    for a in replica.appointments(store.id) {
        let day = offset.local_date(a.appointment.time.start);
        match a.status.status {
            AppointmentStatus::Arrived
            | AppointmentStatus::InService
            | AppointmentStatus::Completed => {
                visited(a.appointment.customer_id, day);
            }
            AppointmentStatus::Booked | AppointmentStatus::Confirmed if day >= today => {
                booked_ahead.insert(a.appointment.customer_id);
            }
            _ => {}
        }
    }
    let after = i64::from(store.settings.lapsed_after_days);
    let candidates: Vec<Customer> = last
        .iter()
        .filter(|(c, day)| (today - **day).num_days() >= after && !booked_ahead.contains(c))
        .filter(|(c, _)| !replica.is_erased(**c))
        .filter_map(|(c, _)| replica.customer(*c))
        .collect();
    let no_marketing = opted_out(replica, &candidates, ConsentPurpose::Marketing);
    let mut out: Vec<Lapsed> = candidates
        .into_iter()
        .filter(|c| !no_marketing.contains(&c.id))
        .filter_map(|customer| {
            let last_visit = *last.get(&customer.id)?;
            let plan = CarePlan {
                id: care_id(LAPSED_TAG, customer.id, day_key(last_visit)),
                customer_id: customer.id,
                due: followup::at_call_hour(store, today),
                reason: CareReason::NotBackSince(last_visit),
            };
            let planned = replica.follow_up(plan.id).is_some();
            Some(Lapsed {
                days: (today - last_visit).num_days(),
                customer,
                last_visit,
                plan,
                planned,
            })
        })
        .collect();
    out.sort_by(|a, b| b.days.cmp(&a.days).then(a.customer.id.cmp(&b.customer.id)));
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::appointment::{AppointmentField, AppointmentStatus, StatusChange};
    use crate::consent::{ConsentMethod, ConsentRecord};
    use crate::customer::CustomerField;
    use crate::followup::FollowUpStatus;
    use crate::hlc::Hlc;
    use crate::ids::{
        AppointmentId, ClientId, ConsentId, LoyaltyDeltaId, ServiceId, StaffId, StoreId,
        TransitionId,
    };
    use crate::loyalty::{LoyaltyChange, LoyaltyDelta};
    use crate::role::Role;
    use crate::sync::{Actor, Mutation};
    use crate::text::{Label, Name};
    use crate::time::Interval;
    use crate::time::tests::cst;

    const STORE: StoreId = StoreId::from_u128(1);

    struct World {
        replica: Replica,
        n: u64,
        client: ClientId,
    }

    impl World {
        fn new(client: u128) -> Self {
            Self {
                replica: Replica::default(),
                n: 0,
                client: ClientId::from_u128(client),
            }
        }
        fn apply(&mut self, change: Change) {
            self.n += 1;
            let m = Mutation {
                client_id: self.client,
                mutation_id: self.n,
                hlc: Hlc::new(1_700_000_000_000 + self.n, 0, self.client),
                actor: Actor {
                    staff_id: StaffId::from_u128(9),
                    role: Role::Manager,
                },
                store_id: STORE,
                change,
            };
            self.replica.apply(&m).unwrap();
        }
        fn customer(&mut self, id: u128, birthday: Option<NaiveDate>) {
            let mut fields = vec![CustomerField::Name(
                Name::parse(&format!("客{id}")).unwrap(),
            )];
            if let Some(b) = birthday {
                fields.push(CustomerField::Birthday(Some(b)));
            }
            self.apply(Change::CustomerUpsert {
                id: CustomerId::from_u128(id),
                fields,
            });
        }
        fn visit(&mut self, id: u128, customer: u128, start: Timestamp, status: AppointmentStatus) {
            self.apply(Change::AppointmentUpsert {
                id: AppointmentId::from_u128(id),
                fields: vec![
                    AppointmentField::CustomerId(CustomerId::from_u128(customer)),
                    AppointmentField::Services(vec![ServiceId::from_u128(1)]),
                    AppointmentField::Time(
                        Interval::new(start, start + Duration::hours(1)).unwrap(),
                    ),
                ],
            });
            let path: &[AppointmentStatus] = match status {
                AppointmentStatus::Completed => &[
                    AppointmentStatus::Arrived,
                    AppointmentStatus::InService,
                    AppointmentStatus::Completed,
                ],
                AppointmentStatus::Booked => &[],
                _ => &[status],
            };
            for (k, to) in path.iter().enumerate() {
                self.apply(Change::AppointmentStatus {
                    appointment_id: AppointmentId::from_u128(id),
                    change: StatusChange {
                        id: TransitionId::from_u128(id * 10 + k as u128),
                        to: *to,
                        at: start,
                        by: StaffId::from_u128(9),
                        role: Role::Manager,
                        reason: None,
                        note: Default::default(),
                    },
                });
            }
        }
        fn said_no(&mut self, id: u128, customer: u128, purpose: ConsentPurpose) {
            self.apply(Change::ConsentRecord(ConsentRecord {
                id: ConsentId::from_u128(id),
                customer_id: CustomerId::from_u128(customer),
                purpose,
                version: Label::parse("2025-01").unwrap(),
                decision: ConsentDecision::Withdrawn,
                at: cst(2025, 1, 1, 10, 0),
                recorded_by: StaffId::from_u128(9),
                method: ConsentMethod::Verbal,
                signed_name: None,
                language: None,
                device: None,
            }));
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn store() -> Store {
        Store::new(STORE, Name::parse("兰心").unwrap())
    }

    #[test]
    fn birthdays_are_planned_once_with_the_same_id_on_every_device_and_not_against_a_no() {
        let today = d(2025, 3, 10);
        let mut plans = Vec::new();
        for client in [1, 2] {
            let mut w = World::new(client);
            w.customer(1, Some(d(1990, 3, 14))); // in four days
            w.customer(2, Some(d(1990, 3, 30))); // too far ahead
            w.customer(3, Some(d(1988, 3, 12))); // said no to marketing
            w.said_no(1, 3, ConsentPurpose::Marketing);
            let got = daily_care(&w.replica, &store(), today);
            assert_eq!(got.len(), 1, "{got:?}");
            assert_eq!(got[0].customer_id, CustomerId::from_u128(1));
            assert_eq!(got[0].reason, CareReason::Birthday(d(2025, 3, 14)));
            assert_eq!(got[0].due, cst(2025, 3, 14, 10, 0));
            plans.push(got[0].clone());
            // Once written, it is not planned again — not the next day either.
            w.apply(got[0].change());
            assert!(daily_care(&w.replica, &store(), today).is_empty());
            assert!(daily_care(&w.replica, &store(), today.succ_opt().unwrap()).is_empty());
            // A call made stays made: the plan writes no status.
            w.apply(Change::FollowUpUpsert {
                id: got[0].id,
                fields: vec![FollowUpField::Status(FollowUpStatus::Done)],
            });
            w.apply(got[0].change());
            assert_eq!(
                w.replica.follow_up(got[0].id).unwrap().status,
                FollowUpStatus::Done
            );
        }
        assert_eq!(plans[0], plans[1], "two devices plan the same follow-up");
        // Recording the outcome of a call nobody wrote yet writes the whole follow-up; the
        // moved due date is the edit's, not the plan's.
        let planned = plans[0].follow_up(STORE);
        assert_eq!(planned.status, FollowUpStatus::Planned);
        let moved = cst(2025, 3, 15, 10, 0);
        let fields = with_plan(
            &planned,
            false,
            vec![
                FollowUpField::Due(moved),
                FollowUpField::Status(FollowUpStatus::Done),
            ],
        );
        let mut w = World::new(3);
        w.customer(1, Some(d(1990, 3, 14)));
        w.apply(Change::FollowUpUpsert {
            id: planned.id,
            fields,
        });
        let written = w.replica.follow_up(planned.id).unwrap();
        assert_eq!(
            (
                written.customer_id,
                written.purpose,
                written.due,
                written.status
            ),
            (
                planned.customer_id,
                FollowUpPurpose::Birthday,
                moved,
                FollowUpStatus::Done
            )
        );
        assert_eq!(written.note, planned.note);
        assert!(daily_care(&w.replica, &store(), today).is_empty());
        assert_eq!(with_plan(&planned, true, Vec::new()), Vec::new());
        // Next year's birthday is another call.
        let mut w = World::new(1);
        w.customer(1, Some(d(1990, 3, 14)));
        w.apply(plans[0].change());
        let next = daily_care(&w.replica, &store(), d(2026, 3, 10));
        assert_eq!(next.len(), 1);
        assert_ne!(next[0].id, plans[0].id);
    }

    #[test]
    fn a_package_with_sessions_left_is_remembered_a_month_before_it_expires() {
        let mut w = World::new(1);
        w.customer(1, None);
        w.customer(2, None);
        let package = |id: u128, customer: u128, expires_on: NaiveDate| {
            Change::LoyaltyDelta(LoyaltyDelta {
                id: LoyaltyDeltaId::from_u128(id),
                customer_id: CustomerId::from_u128(customer),
                at: cst(2024, 6, 1, 10, 0),
                by: StaffId::from_u128(9),
                change: LoyaltyChange::PackagePurchased {
                    package_id: PackageId::from_u128(id),
                    service_id: ServiceId::from_u128(1),
                    sessions: 2,
                    price: crate::catalog::Money(100_000),
                    expires_on: Some(expires_on),
                },
                note: Note::default(),
                checkout_id: None,
            })
        };
        w.apply(package(10, 1, d(2025, 4, 1)));
        w.apply(package(11, 2, d(2025, 4, 1)));
        // Customer 2 used both sessions: nothing to remind her of.
        w.apply(Change::LoyaltyDelta(LoyaltyDelta {
            id: LoyaltyDeltaId::from_u128(12),
            customer_id: CustomerId::from_u128(2),
            at: cst(2024, 7, 1, 10, 0),
            by: StaffId::from_u128(9),
            change: LoyaltyChange::PackageSessions {
                package_id: PackageId::from_u128(11),
                delta: -2,
                record_id: None,
            },
            note: Note::default(),
            checkout_id: None,
        }));
        assert!(daily_care(&w.replica, &store(), d(2025, 2, 28)).is_empty());
        let got = daily_care(&w.replica, &store(), d(2025, 3, 2));
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].customer_id, CustomerId::from_u128(1));
        assert_eq!(got[0].purpose(), FollowUpPurpose::Recall);
        assert_eq!(got[0].due, cst(2025, 3, 2, 10, 0));
        assert!(daily_care(&w.replica, &store(), d(2025, 4, 2)).is_empty());
        w.said_no(1, 1, ConsentPurpose::Reminders);
        assert!(daily_care(&w.replica, &store(), d(2025, 3, 2)).is_empty());
    }

    #[test]
    fn the_lapsed_are_those_not_back_for_the_stores_days_and_nothing_booked() {
        let mut w = World::new(1);
        let today = d(2025, 6, 30);
        for c in 1..=5 {
            w.customer(c, None);
        }
        w.visit(1, 1, cst(2025, 1, 10, 10, 0), AppointmentStatus::Completed); // 171 days
        w.visit(2, 2, cst(2025, 5, 1, 10, 0), AppointmentStatus::Completed); // 60 days: not yet
        w.visit(3, 3, cst(2025, 2, 1, 10, 0), AppointmentStatus::Completed);
        w.visit(4, 3, cst(2025, 7, 5, 10, 0), AppointmentStatus::Booked); // coming back
        w.visit(5, 4, cst(2025, 3, 1, 10, 0), AppointmentStatus::NoShow); // never came
        w.visit(6, 5, cst(2025, 3, 1, 10, 0), AppointmentStatus::Completed);
        w.said_no(1, 5, ConsentPurpose::Marketing);
        let got = lapsed_customers(&w.replica, &store(), today);
        assert_eq!(
            got.iter().map(|l| l.customer.id).collect::<Vec<_>>(),
            vec![CustomerId::from_u128(1)]
        );
        assert_eq!(got[0].last_visit, d(2025, 1, 10));
        assert_eq!(got[0].days, 171);
        assert!(!got[0].planned);
        w.apply(got[0].plan.change());
        let again = lapsed_customers(&w.replica, &store(), today.succ_opt().unwrap());
        assert!(again[0].planned, "the call for this absence is planned");
        assert_eq!(again[0].plan.id, got[0].plan.id);
    }
}
