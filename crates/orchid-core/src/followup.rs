//! Follow-ups (回访/后续跟进): a care call the day after a service, a recall at the service's interval,
//! birthday care; by phone, SMS, WeChat or e-mail; with the outcome recorded.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::catalog::CatalogService;
use crate::customer::Customer;
use crate::ids::{
    ComplaintId, CustomerId, FollowUpId, ServiceId, ServiceRecordId, StaffId, StoreId,
};
use crate::permission::{self, Action, Sensitivity};
use crate::record::record_fields;
use crate::role::Role;
use crate::store::Store;
use crate::text::Note;
use crate::time::Timestamp;

/// How to follow up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpChannel {
    /// Phone call.
    Phone,
    /// SMS.
    Sms,
    /// WeChat.
    Wechat,
    /// E-mail.
    Email,
}

/// Why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpPurpose {
    /// 护理回访: how is the skin after the service?
    CareCall,
    /// 复购/疗程提醒: time for the next session.
    Recall,
    /// 生日关怀.
    Birthday,
    /// Win back a lapsed customer.
    ReEngagement,
    /// 投诉回访: the call-back after a complaint was closed, asking whether the solution holds
    /// (the follow-up names the complaint; see [`crate::complaint::call_back_after_closing`]).
    ComplaintCheck,
    /// Other.
    Other,
}

/// Where a follow-up stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpStatus {
    /// To do.
    #[default]
    Planned,
    /// Done.
    Done,
    /// Tried, could not reach.
    Unreachable,
    /// Not needed any more.
    Cancelled,
}

/// What came of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpOutcome {
    /// All well.
    Satisfied,
    /// A problem was raised (consider a complaint).
    ProblemRaised,
    /// The customer booked again.
    Rebooked,
    /// Not interested.
    NotInterested,
    /// Other.
    Other,
}

/// A follow-up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FollowUp {
    /// Id.
    pub id: FollowUpId,
    /// Store.
    pub store_id: StoreId,
    /// Customer.
    pub customer_id: CustomerId,
    /// When it is due.
    pub due: Timestamp,
    /// How.
    pub channel: FollowUpChannel,
    /// Why.
    pub purpose: FollowUpPurpose,
    /// After which service record.
    pub record_id: Option<ServiceRecordId>,
    /// Who does it.
    pub assignee: Option<StaffId>,
    /// Status.
    pub status: FollowUpStatus,
    /// Outcome.
    pub outcome: Option<FollowUpOutcome>,
    /// When it was done.
    pub done_at: Option<Timestamp>,
    /// Notes.
    pub note: Note,
    /// The complaint this follow-up calls back about (a complaint's call-back); none in records
    /// written before call-backs existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complaint_id: Option<ComplaintId>,
}

impl FollowUp {
    /// A blank record to materialize fields onto.
    pub fn blank(id: FollowUpId, store_id: StoreId) -> Self {
        Self {
            id,
            store_id,
            customer_id: CustomerId::from_u128(0),
            due: Timestamp::UNIX_EPOCH,
            channel: FollowUpChannel::Phone,
            purpose: FollowUpPurpose::Other,
            record_id: None,
            assignee: None,
            status: FollowUpStatus::Planned,
            outcome: None,
            done_at: None,
            note: Note::default(),
            complaint_id: None,
        }
    }
    /// Planned and past due at `now`.
    pub fn is_overdue(&self, now: Timestamp) -> bool {
        self.status == FollowUpStatus::Planned && now > self.due
    }
    /// May `role` work on this follow-up? Every follow-up needs the follow-up permission; a
    /// complaint's call-back also needs the right to handle complaints, since its outcome is
    /// written into the case (a therapist or the reception neither reads nor handles cases).
    pub fn may_work_on(&self, role: Role) -> bool {
        permission::allowed(role, Action::FollowUpManage, Sensitivity::Ordinary)
            && (self.complaint_id.is_none()
                || permission::allowed(role, Action::ComplaintHandle, Sensitivity::Ordinary))
    }
}

record_fields! {
    /// The editable fields of a [`FollowUp`].
    pub enum FollowUpField for FollowUp {
        /// Customer.
        CustomerId(CustomerId) => customer_id, Ordinary, Keep;
        /// Due.
        Due(Timestamp) => due, Ordinary, Keep;
        /// Channel.
        Channel(FollowUpChannel) => channel, Ordinary, Keep;
        /// Purpose.
        Purpose(FollowUpPurpose) => purpose, Ordinary, Keep;
        /// Record.
        RecordId(Option<ServiceRecordId>) => record_id, Ordinary, Keep;
        /// Assignee.
        Assignee(Option<StaffId>) => assignee, Ordinary, Keep;
        /// Status.
        Status(FollowUpStatus) => status, Ordinary, Keep;
        /// Outcome.
        Outcome(Option<FollowUpOutcome>) => outcome, Ordinary, Keep;
        /// Done at.
        DoneAt(Option<Timestamp>) => done_at, Ordinary, Keep;
        /// Note.
        Note(Note) => note, Ordinary, Erase;
        /// The complaint called back about.
        ComplaintId(Option<ComplaintId>) => complaint_id, Ordinary, Keep;
    }
}

/// A follow-up to create (the caller gives it an id).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpPlan {
    /// Customer.
    pub customer_id: CustomerId,
    /// Why.
    pub purpose: FollowUpPurpose,
    /// When.
    pub due: Timestamp,
    /// The service it follows.
    pub service_id: Option<ServiceId>,
}

/// The local hour at which planned calls are due (a polite time to call).
pub const CALL_HOUR: u32 = 10;

/// 10:00 local time on `date`.
pub(crate) fn at_call_hour(store: &Store, date: NaiveDate) -> Timestamp {
    let t = NaiveTime::from_hms_opt(CALL_HOUR, 0, 0).unwrap_or(NaiveTime::MIN);
    store.utc_offset.to_utc(date.and_time(t))
}

/// The follow-ups after a completed service: a care call `care_call_after_days` later, and a recall at the
/// service's interval if it has one. Due at 10:00 local time.
pub fn plan_after_service(
    store: &Store,
    customer: CustomerId,
    service: &CatalogService,
    completed_at: Timestamp,
) -> Vec<FollowUpPlan> {
    let day = store.utc_offset.local_date(completed_at);
    let mut out = vec![FollowUpPlan {
        customer_id: customer,
        purpose: FollowUpPurpose::CareCall,
        due: at_call_hour(
            store,
            day + Duration::days(i64::from(store.settings.care_call_after_days)),
        ),
        service_id: Some(service.id),
    }];
    if let Some(days) = service.recall_days {
        out.push(FollowUpPlan {
            customer_id: customer,
            purpose: FollowUpPurpose::Recall,
            due: at_call_hour(store, day + Duration::days(i64::from(days))),
            service_id: Some(service.id),
        });
    }
    out
}

/// The next birthday on or after `today` (29 February is celebrated on 28 February in other years).
pub fn next_birthday(birthday: NaiveDate, today: NaiveDate) -> Option<NaiveDate> {
    let in_year = |y: i32| {
        NaiveDate::from_ymd_opt(y, birthday.month(), birthday.day())
            .or_else(|| NaiveDate::from_ymd_opt(y, 2, 28))
    };
    let this = in_year(today.year())?;
    if this >= today {
        Some(this)
    } else {
        in_year(today.year() + 1)
    }
}

/// Customers whose birthday falls within the store's `birthday_reminder_days` of `today` (inclusive),
/// soonest first, each with a birthday-care plan due today at 10:00 local time and the birthday's date.
pub fn birthday_plans<'a>(
    store: &Store,
    customers: impl IntoIterator<Item = &'a Customer>,
    today: NaiveDate,
) -> Vec<(FollowUpPlan, NaiveDate)> {
    let days = i64::from(store.settings.birthday_reminder_days);
    let mut out: Vec<(FollowUpPlan, NaiveDate)> = customers
        .into_iter()
        .filter_map(|c| {
            let next = next_birthday(c.birthday?, today)?;
            ((next - today).num_days() <= days).then(|| {
                (
                    FollowUpPlan {
                        customer_id: c.id,
                        purpose: FollowUpPurpose::Birthday,
                        due: at_call_hour(store, today),
                        service_id: None,
                    },
                    next,
                )
            })
        })
        .collect();
    out.sort_by_key(|(p, d)| (*d, p.customer_id));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Money, ServiceCategory};
    use crate::text::Name;
    use crate::time::tests::cst;

    fn store() -> Store {
        Store::new(StoreId::from_u128(1), Name::parse("兰心").unwrap())
    }

    #[test]
    fn care_call_next_day_and_recall() {
        let mut s = CatalogService::new(
            ServiceId::from_u128(1),
            StoreId::from_u128(1),
            Name::parse("补水").unwrap(),
            ServiceCategory::Facial,
            60,
            Money(0),
        );
        let done = cst(2025, 3, 10, 20, 30);
        let plans = plan_after_service(&store(), CustomerId::from_u128(1), &s, done);
        assert_eq!(plans.len(), 1);
        assert_eq!(plans[0].due, cst(2025, 3, 11, 10, 0));
        s.recall_days = Some(28);
        let plans = plan_after_service(&store(), CustomerId::from_u128(1), &s, done);
        assert_eq!(plans[1].purpose, FollowUpPurpose::Recall);
        assert_eq!(plans[1].due, cst(2025, 4, 7, 10, 0));
    }

    #[test]
    fn birthdays() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(
            next_birthday(d(1990, 3, 10), d(2025, 3, 10)),
            Some(d(2025, 3, 10))
        );
        assert_eq!(
            next_birthday(d(1990, 3, 9), d(2025, 3, 10)),
            Some(d(2026, 3, 9))
        );
        assert_eq!(
            next_birthday(d(1992, 2, 29), d(2025, 1, 1)),
            Some(d(2025, 2, 28))
        );
        let mut a = Customer::blank(CustomerId::from_u128(1), StoreId::from_u128(1));
        a.birthday = Some(d(1990, 3, 17)); // 7 days ahead: included
        let mut b = Customer::blank(CustomerId::from_u128(2), StoreId::from_u128(1));
        b.birthday = Some(d(1990, 3, 18)); // 8 days: not yet
        let got = birthday_plans(&store(), [&a, &b], d(2025, 3, 10));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0.customer_id, a.id);
    }

    #[test]
    fn a_record_without_a_complaint_still_reads() {
        let mut f = FollowUp::blank(FollowUpId::from_u128(1), StoreId::from_u128(1));
        let mut json = serde_json::to_value(&f).unwrap();
        assert!(json.get("complaint_id").is_none());
        assert_eq!(serde_json::from_value::<FollowUp>(json.clone()).unwrap(), f);
        f.complaint_id = Some(ComplaintId::from_u128(7));
        json["complaint_id"] = serde_json::to_value(f.complaint_id).unwrap();
        assert_eq!(serde_json::from_value::<FollowUp>(json).unwrap(), f);
    }

    #[test]
    fn only_complaint_handlers_work_on_a_call_back() {
        let mut f = FollowUp::blank(FollowUpId::from_u128(1), StoreId::from_u128(1));
        assert!(f.may_work_on(Role::Therapist));
        assert!(f.may_work_on(Role::Reception));
        assert!(!f.may_work_on(Role::FinanceSupervisor));
        f.complaint_id = Some(ComplaintId::from_u128(7));
        for (role, may) in [
            (Role::Owner, true),
            (Role::Manager, true),
            (Role::CustomerServiceSupervisor, true),
            (Role::Therapist, false),
            (Role::Reception, false),
            (Role::TechnicalSupervisor, false),
            (Role::FinanceSupervisor, false),
        ] {
            assert_eq!(f.may_work_on(role), may, "{role:?}");
        }
    }

    #[test]
    fn overdue() {
        let mut f = FollowUp::blank(FollowUpId::from_u128(1), StoreId::from_u128(1));
        f.due = cst(2025, 3, 11, 10, 0);
        assert!(!f.is_overdue(cst(2025, 3, 11, 10, 0)));
        assert!(f.is_overdue(cst(2025, 3, 11, 10, 1)));
        f.status = FollowUpStatus::Done;
        assert!(!f.is_overdue(cst(2025, 3, 12, 10, 0)));
    }
}
