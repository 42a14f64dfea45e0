//! The monthly supervision report (seed 000's 监督与考核, seed 001's complaint statistics, seed
//! 003's quality control): one month of a store in figures — satisfaction and the expectation gap
//! with six months' trend, complaints (nature, severity, deadlines, time to close, reopenings, root
//! causes, call-backs), follow-ups done on time, internal checks and their corrective actions.
//! The staff scorecards of the month sit beside it (`scorecard`). The owner's report of the chain
//! (`chain_report`) is each store's report and one over all their records, which the server
//! computes from each store's replica with the same [`Records::of`] as a device.

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::complaint::ComplaintView;
use crate::customer_care;
use crate::feedback::Feedback;
use crate::followup::{FollowUp, FollowUpOutcome, FollowUpStatus};
use crate::ids::StoreId;
use crate::internal_check::{ActionStatus, CheckRecord, CorrectiveActionView, Outcome};
use crate::report::{ComplaintStats, Satisfaction};
use crate::sync::Replica;
use crate::time::{Timestamp, UtcOffset};

/// Follow-ups due in the month.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpFigures {
    /// Due in the month (up to now).
    pub due: usize,
    /// Done by their due time.
    pub done_on_time: usize,
    /// Done after it.
    pub done_late: usize,
    /// Still to do, past due.
    pub overdue: usize,
    /// Tried, the customer not reached.
    pub unreachable: usize,
    /// Cancelled.
    pub cancelled: usize,
    /// The outcomes of those done.
    pub outcomes: BTreeMap<FollowUpOutcome, usize>,
}

/// Internal checks done in the month and the corrective actions they raised.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckFigures {
    /// Checks done.
    pub done: usize,
    /// Of those, with at least one failed item.
    pub with_failures: usize,
    /// Failed items.
    pub failed_items: usize,
    /// Corrective actions raised in the month.
    pub actions_raised: usize,
    /// Of those, put right and waiting for verification.
    pub actions_done: usize,
    /// Of those, verified.
    pub actions_verified: usize,
    /// Of those, still open past their deadline.
    pub actions_overdue: usize,
}

/// One month of a store.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthlyReport {
    /// The month's first day (store time).
    pub month: NaiveDate,
    /// Satisfaction of the month's feedback (with the expectation gap where it was asked).
    pub satisfaction: Satisfaction,
    /// Satisfaction per month, the five months before this one and this one, oldest first.
    pub trend: Vec<(NaiveDate, Satisfaction)>,
    /// Complaints received in the month, as they stand now.
    pub complaints: ComplaintStats,
    /// Follow-ups due in the month.
    pub follow_ups: FollowUpFigures,
    /// Internal checks of the month.
    pub checks: CheckFigures,
}

/// What the report is computed from: the store's records (any months; the report picks its own).
#[derive(Clone, Copy, Debug)]
pub struct Sources<'a> {
    /// Feedback.
    pub feedback: &'a [Feedback],
    /// Complaints as they stand now.
    pub complaints: &'a [ComplaintView],
    /// Follow-ups.
    pub follow_ups: &'a [FollowUp],
    /// Checks done.
    pub checks: &'a [CheckRecord],
    /// Corrective actions.
    pub actions: &'a [CorrectiveActionView],
}

/// A store's records for the report, taken out of its replica: the device and the server (for
/// the chain's report) gather them the same way, so both give the same figures.
#[derive(Clone, Debug, Default)]
pub struct Records {
    /// Feedback.
    pub feedback: Vec<Feedback>,
    /// Complaints as they stand at the time given.
    pub complaints: Vec<ComplaintView>,
    /// Follow-ups, with the day's customer care not yet written down.
    pub follow_ups: Vec<FollowUp>,
    /// Checks done.
    pub checks: Vec<CheckRecord>,
    /// Corrective actions.
    pub actions: Vec<CorrectiveActionView>,
}

impl Records {
    /// `store`'s records in `view`, as of `now`.
    pub fn of(view: &Replica, store: StoreId, now: Timestamp) -> Self {
        let mut follow_ups = view.follow_ups(store);
        if let Some(record) = view.store(store) {
            let today = record.utc_offset.local_date(now);
            follow_ups.extend(
                customer_care::daily_care(view, &record, today)
                    .iter()
                    .map(|plan| plan.follow_up(store)),
            );
        }
        Self {
            feedback: view.feedback(store),
            complaints: view.complaints(store, now),
            follow_ups,
            checks: view.checks_done(store),
            actions: view.corrective_actions(store),
        }
    }

    /// The records as the report reads them.
    pub fn sources(&self) -> Sources<'_> {
        Sources {
            feedback: &self.feedback,
            complaints: &self.complaints,
            follow_ups: &self.follow_ups,
            checks: &self.checks,
            actions: &self.actions,
        }
    }
}

/// The report of the month starting on `month` (store time), as of `now`.
pub fn monthly_report(
    month: NaiveDate,
    offset: UtcOffset,
    now: Timestamp,
    sources: Sources<'_>,
) -> MonthlyReport {
    report_of_parts(month, now, &[(offset, sources)])
}

/// One store of a chain in the chain's report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoreMonth {
    /// The store.
    pub store_id: StoreId,
    /// Its name.
    pub name: String,
    /// Its month.
    pub report: MonthlyReport,
}

/// The chain's month for the owner: each store's report and the chain's as a whole.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChainMonth {
    /// The month's first day.
    pub month: NaiveDate,
    /// Each store's report, in the order given.
    pub stores: Vec<StoreMonth>,
    /// Every store's records taken together, each in its own time zone: satisfaction and
    /// complaint rates over all the chain's answers and cases (not an average of the stores').
    pub total: MonthlyReport,
}

/// A store's part of the chain's report.
#[derive(Clone, Copy, Debug)]
pub struct ChainPart<'a> {
    /// The store.
    pub store_id: StoreId,
    /// Its name.
    pub name: &'a str,
    /// Its time zone: a month is the store's own.
    pub offset: UtcOffset,
    /// Its records.
    pub sources: Sources<'a>,
}

/// The chain's report of the month starting on `month`, as of `now`.
pub fn chain_report(month: NaiveDate, now: Timestamp, parts: &[ChainPart<'_>]) -> ChainMonth {
    let stores = parts
        .iter()
        .map(|p| StoreMonth {
            store_id: p.store_id,
            name: p.name.to_owned(),
            report: monthly_report(month, p.offset, now, p.sources),
        })
        .collect();
    let all: Vec<(UtcOffset, Sources<'_>)> = parts.iter().map(|p| (p.offset, p.sources)).collect();
    ChainMonth {
        month,
        stores,
        total: report_of_parts(month, now, &all),
    }
}

/// Whether `at` falls in the month starting on `first`, in the time zone `offset`.
fn within(offset: UtcOffset, first: NaiveDate) -> impl Fn(Timestamp) -> bool {
    let next = first.checked_add_months(Months::new(1)).unwrap_or(first);
    move |at: Timestamp| {
        let day = offset.local_date(at);
        day >= first && day < next
    }
}

/// The report over the records of one or more stores, each month counted in its store's time.
fn report_of_parts(
    month: NaiveDate,
    now: Timestamp,
    parts: &[(UtcOffset, Sources<'_>)],
) -> MonthlyReport {
    let feedback_of = |first: NaiveDate| {
        parts.iter().flat_map(move |(offset, s)| {
            let in_that = within(*offset, first);
            s.feedback.iter().filter(move |f| in_that(f.submitted_at))
        })
    };
    let satisfaction = Satisfaction::of(feedback_of(month));
    let trend = (0..6)
        .rev()
        .filter_map(|back| month.checked_sub_months(Months::new(back)))
        .map(|first| (first, Satisfaction::of(feedback_of(first))))
        .collect();
    let complaints = ComplaintStats::of(parts.iter().flat_map(|(offset, s)| {
        let in_month = within(*offset, month);
        s.complaints.iter().filter(move |c| in_month(c.received_at))
    }));

    let mut follow_ups = FollowUpFigures::default();
    let mut checks = CheckFigures::default();
    for (offset, sources) in parts {
        let in_month = within(*offset, month);
        for f in sources
            .follow_ups
            .iter()
            .filter(|f| in_month(f.due) && f.due <= now)
        {
            follow_ups.due += 1;
            match (f.status, f.done_at) {
                (FollowUpStatus::Done, done) => {
                    if done.is_none_or(|at| at <= f.due) {
                        follow_ups.done_on_time += 1;
                    } else {
                        follow_ups.done_late += 1;
                    }
                    if let Some(outcome) = f.outcome {
                        *follow_ups.outcomes.entry(outcome).or_default() += 1;
                    }
                }
                (FollowUpStatus::Planned, _) => follow_ups.overdue += 1,
                (FollowUpStatus::Unreachable, _) => follow_ups.unreachable += 1,
                (FollowUpStatus::Cancelled, _) => follow_ups.cancelled += 1,
            }
        }

        for c in sources.checks.iter().filter(|c| in_month(c.at)) {
            checks.done += 1;
            let failed = c
                .results
                .iter()
                .filter(|r| r.outcome == Outcome::Fail)
                .count();
            checks.failed_items += failed;
            checks.with_failures += usize::from(failed > 0);
        }
        let today = offset.local_date(now);
        for a in sources.actions.iter().filter(|a| in_month(a.raised_at)) {
            checks.actions_raised += 1;
            match a.status {
                ActionStatus::Open => {
                    checks.actions_overdue += usize::from(a.deadline.is_some_and(|d| d < today));
                }
                ActionStatus::Done => checks.actions_done += 1,
                ActionStatus::Verified => checks.actions_verified += 1,
            }
        }
    }

    MonthlyReport {
        month,
        satisfaction,
        trend,
        complaints,
        follow_ups,
        checks,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::feedback::PerDimension;
    use crate::ids::{CustomerId, FeedbackId, FollowUpId, StoreId};
    use crate::text::Note;
    use chrono::Duration;

    fn at(month: u32, day: u32) -> Timestamp {
        UtcOffset::CHINA.to_utc(
            NaiveDate::from_ymd_opt(2026, month, day)
                .unwrap()
                .and_hms_opt(10, 0, 0)
                .unwrap(),
        )
    }

    fn feedback(id: u128, when: Timestamp, rating: u8) -> Feedback {
        Feedback {
            id: FeedbackId::from_u128(id),
            store_id: StoreId::from_u128(1),
            customer_id: Some(CustomerId::from_u128(id)),
            appointment_id: None,
            service_record_id: None,
            therapist_id: None,
            services: vec![],
            submitted_at: when,
            ratings: PerDimension::all(rating),
            expectations: PerDimension::all(Some(5)),
            recommend: 9,
            comment: Note::default(),
            butler: None,
        }
    }

    #[test]
    fn a_month_counts_its_own_records_and_trends_over_six() {
        let fb = [
            feedback(1, at(11, 3), 4),
            feedback(2, at(11, 30), 2),
            feedback(3, at(10, 15), 5),
            feedback(4, at(5, 15), 1),
        ];
        let follow = |id: u128, due: Timestamp, status, done: Option<Timestamp>| FollowUp {
            status,
            due,
            done_at: done,
            outcome: done.map(|_| FollowUpOutcome::Satisfied),
            ..FollowUp::blank(FollowUpId::from_u128(id), StoreId::from_u128(1))
        };
        let follow_ups = [
            follow(1, at(11, 5), FollowUpStatus::Done, Some(at(11, 5))),
            follow(
                2,
                at(11, 6),
                FollowUpStatus::Done,
                Some(at(11, 6) + Duration::hours(5)),
            ),
            follow(3, at(11, 7), FollowUpStatus::Planned, None),
            // Due after "now": not yet counted.
            follow(4, at(11, 29), FollowUpStatus::Planned, None),
        ];
        let report = monthly_report(
            NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            UtcOffset::CHINA,
            at(11, 20),
            Sources {
                feedback: &fb,
                complaints: &[],
                follow_ups: &follow_ups,
                checks: &[],
                actions: &[],
            },
        );
        assert_eq!(report.satisfaction.count, 2);
        assert_eq!(report.satisfaction.overall, Some(3.0));
        assert_eq!(report.satisfaction.gap.empathy, Some(-2.0));
        let months = report
            .trend
            .iter()
            .map(|(m, s)| (m.to_string(), s.count))
            .collect::<Vec<_>>();
        assert_eq!(
            months,
            vec![
                ("2026-06-01".to_owned(), 0),
                ("2026-07-01".to_owned(), 0),
                ("2026-08-01".to_owned(), 0),
                ("2026-09-01".to_owned(), 0),
                ("2026-10-01".to_owned(), 1),
                ("2026-11-01".to_owned(), 2),
            ]
        );
        assert_eq!(report.follow_ups.due, 3);
        assert_eq!(report.follow_ups.done_on_time, 1);
        assert_eq!(report.follow_ups.done_late, 1);
        assert_eq!(report.follow_ups.overdue, 1);
        assert_eq!(
            report.follow_ups.outcomes.get(&FollowUpOutcome::Satisfied),
            Some(&2)
        );
    }

    /// Each store's month is its own: a feedback given on the first of November at 01:00 in
    /// China counts in November there, and an answer at the same instant in a store on UTC
    /// counts in October; the chain's total pools the answers rather than averaging the stores.
    #[test]
    fn the_chains_report_counts_each_store_in_its_own_time_and_pools_the_answers() {
        let instant = at(11, 1) - Duration::hours(9);
        let china = [
            feedback(1, instant, 4),
            feedback(2, at(11, 10), 4),
            feedback(3, at(11, 11), 4),
        ];
        let on_utc = [feedback(4, instant, 1), feedback(5, at(11, 12), 1)];
        let follow_ups = [FollowUp {
            status: FollowUpStatus::Planned,
            due: at(11, 2),
            ..FollowUp::blank(FollowUpId::from_u128(9), StoreId::from_u128(2))
        }];
        let parts = [
            ChainPart {
                store_id: StoreId::from_u128(1),
                name: "Shanghai",
                offset: UtcOffset::CHINA,
                sources: Sources {
                    feedback: &china,
                    complaints: &[],
                    follow_ups: &[],
                    checks: &[],
                    actions: &[],
                },
            },
            ChainPart {
                store_id: StoreId::from_u128(2),
                name: "London",
                offset: UtcOffset::UTC,
                sources: Sources {
                    feedback: &on_utc,
                    complaints: &[],
                    follow_ups: &follow_ups,
                    checks: &[],
                    actions: &[],
                },
            },
        ];
        let chain = chain_report(
            NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            at(11, 20),
            &parts,
        );
        let counts: Vec<(&str, usize)> = chain
            .stores
            .iter()
            .map(|s| (s.name.as_str(), s.report.satisfaction.count))
            .collect();
        assert_eq!(counts, vec![("Shanghai", 3), ("London", 1)]);
        assert_eq!(chain.total.satisfaction.count, 4);
        // Pooled: (4 + 4 + 4 + 1) / 4, not the stores' (4 + 1) / 2.
        assert_eq!(chain.total.satisfaction.overall, Some(3.25));
        // London's October holds the answer given at Shanghai's November 1st.
        let october = |r: &MonthlyReport| r.trend[4].1.count;
        assert_eq!(october(&chain.stores[1].report), 1);
        assert_eq!(october(&chain.stores[0].report), 0);
        assert_eq!(october(&chain.total), 1);
        assert_eq!(chain.total.follow_ups.overdue, 1);
        assert_eq!(chain.stores[0].report.follow_ups.due, 0);
        // One store's row is the store's own report.
        assert_eq!(
            chain.stores[0].report,
            monthly_report(chain.month, UtcOffset::CHINA, at(11, 20), parts[0].sources)
        );
    }
}
