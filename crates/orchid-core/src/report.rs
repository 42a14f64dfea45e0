//! The figures reports need: satisfaction per dimension, therapist, service and period with the
//! expectation gap and the recommend score; complaint counts by nature, severity, channel, status and root
//! cause; deadline compliance; time to close; reopen rate; staff performance.
//!
//! Pure functions over records the caller selects (a period, a store); averages are `f64` because they
//! are for display, never stored or synced.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::complaint::{
    ComplaintChannel, ComplaintNature, ComplaintStatus, ComplaintView, DeadlineState, RootCause,
    Severity,
};
use crate::feedback::{Dimension, Feedback, PerDimension};
use crate::ids::{ServiceId, StaffId};
use crate::service_record::ServiceRecord;
use crate::time::{Timestamp, UtcOffset};

/// Satisfaction figures over a set of feedback.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Satisfaction {
    /// How many answers.
    pub count: usize,
    /// Average rating per dimension (1–5).
    pub average: PerDimension<Option<f64>>,
    /// Average of all five dimensions.
    pub overall: Option<f64>,
    /// Average perception minus average expectation, per dimension, over answers that gave an
    /// expectation (SERVQUAL gap: negative means below expectations).
    pub gap: PerDimension<Option<f64>>,
    /// Net promoter score: % of 9–10 minus % of 0–6.
    pub nps: Option<f64>,
}

fn mean(sum: f64, n: usize) -> Option<f64> {
    (n > 0).then(|| sum / n as f64)
}

impl Satisfaction {
    /// Computes the figures.
    pub fn of<'a>(feedback: impl IntoIterator<Item = &'a Feedback>) -> Self {
        let mut count = 0usize;
        let mut sums = [0f64; 5];
        let mut gap_sums = [0f64; 5];
        let mut gap_n = [0usize; 5];
        let (mut promoters, mut detractors) = (0usize, 0usize);
        for f in feedback {
            count += 1;
            for (i, d) in Dimension::ALL.iter().enumerate() {
                let r = f64::from(f.ratings.get(*d));
                sums[i] += r;
                if let Some(e) = f.expectations.get(*d) {
                    gap_sums[i] += r - f64::from(e);
                    gap_n[i] += 1;
                }
            }
            match f.recommend {
                9..=10 => promoters += 1,
                0..=6 => detractors += 1,
                _ => {}
            }
        }
        let per = |v: [Option<f64>; 5]| PerDimension {
            tangibles: v[0],
            reliability: v[1],
            responsiveness: v[2],
            assurance: v[3],
            empathy: v[4],
        };
        let average = per(sums.map(|s| mean(s, count)));
        let gap = per([0, 1, 2, 3, 4].map(|i| mean(gap_sums[i], gap_n[i])));
        Self {
            count,
            average,
            overall: mean(sums.iter().sum(), count * 5),
            gap,
            nps: (count > 0).then(|| (promoters as f64 - detractors as f64) * 100.0 / count as f64),
        }
    }
}

/// Satisfaction per therapist.
pub fn satisfaction_by_therapist(feedback: &[Feedback]) -> BTreeMap<StaffId, Satisfaction> {
    let mut groups: BTreeMap<StaffId, Vec<&Feedback>> = BTreeMap::new();
    for f in feedback {
        if let Some(t) = f.therapist_id {
            groups.entry(t).or_default().push(f);
        }
    }
    groups
        .into_iter()
        .map(|(k, v)| (k, Satisfaction::of(v)))
        .collect()
}

/// Satisfaction per service (an answer about several services counts for each).
pub fn satisfaction_by_service(feedback: &[Feedback]) -> BTreeMap<ServiceId, Satisfaction> {
    let mut groups: BTreeMap<ServiceId, Vec<&Feedback>> = BTreeMap::new();
    for f in feedback {
        for s in &f.services {
            groups.entry(*s).or_default().push(f);
        }
    }
    groups
        .into_iter()
        .map(|(k, v)| (k, Satisfaction::of(v)))
        .collect()
}

/// A reporting period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// Local day.
    Day,
    /// ISO week (starting Monday).
    Week,
    /// Calendar month.
    Month,
}

/// The first local date of the period containing `at`.
pub fn period_start(at: Timestamp, period: Period, offset: UtcOffset) -> NaiveDate {
    let d = offset.local_date(at);
    match period {
        Period::Day => d,
        Period::Week => d - chrono::Duration::days(i64::from(d.weekday().num_days_from_monday())),
        Period::Month => d.with_day(1).unwrap_or(d),
    }
}

/// Satisfaction per period, keyed by the period's first local date.
pub fn satisfaction_by_period(
    feedback: &[Feedback],
    period: Period,
    offset: UtcOffset,
) -> BTreeMap<NaiveDate, Satisfaction> {
    let mut groups: BTreeMap<NaiveDate, Vec<&Feedback>> = BTreeMap::new();
    for f in feedback {
        groups
            .entry(period_start(f.submitted_at, period, offset))
            .or_default()
            .push(f);
    }
    groups
        .into_iter()
        .map(|(k, v)| (k, Satisfaction::of(v)))
        .collect()
}

/// Complaint statistics over a set of complaints (computed at the same `now`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ComplaintStats {
    /// How many.
    pub total: usize,
    /// By nature (untriaged ones under `other`).
    pub by_nature: BTreeMap<ComplaintNature, usize>,
    /// By severity.
    pub by_severity: BTreeMap<Severity, usize>,
    /// By channel.
    pub by_channel: BTreeMap<ComplaintChannel, usize>,
    /// By status.
    pub by_status: BTreeMap<ComplaintStatus, usize>,
    /// By root cause (closed ones that gave one).
    pub by_root_cause: BTreeMap<RootCause, usize>,
    /// First responses due so far, and how many were on time.
    pub first_response_due: usize,
    /// First responses on time.
    pub first_response_on_time: usize,
    /// On-time share, 0–1.
    pub deadline_compliance: Option<f64>,
    /// Open complaints past their deadline now.
    pub breached_open: usize,
    /// Average hours from intake to closing, over closed ones.
    pub average_hours_to_close: Option<f64>,
    /// Share of resolved-or-later complaints that were reopened at least once, 0–1.
    pub reopen_rate: Option<f64>,
    /// Appeals.
    pub appeals: u32,
    /// Average satisfaction with the solution (1–5).
    pub average_solution_satisfaction: Option<f64>,
    /// Call-backs made after closing (回访), with their outcome recorded.
    #[serde(default)]
    pub call_backs_done: usize,
    /// Of those, made by their due time.
    #[serde(default)]
    pub call_backs_on_time: usize,
    /// Of those, where the customer was satisfied.
    #[serde(default)]
    pub call_backs_satisfied: usize,
    /// Satisfied share of the call-backs, 0–1.
    #[serde(default)]
    pub call_back_satisfaction: Option<f64>,
}

impl ComplaintStats {
    /// Computes the statistics.
    pub fn of<'a>(complaints: impl IntoIterator<Item = &'a ComplaintView>) -> Self {
        let mut s = Self::default();
        let (mut close_hours, mut closed) = (0f64, 0usize);
        let (mut reopened, mut finished) = (0usize, 0usize);
        let (mut sat, mut sat_n) = (0f64, 0usize);
        for c in complaints {
            s.total += 1;
            *s.by_nature
                .entry(c.nature.unwrap_or(ComplaintNature::Other))
                .or_default() += 1;
            *s.by_severity.entry(c.severity).or_default() += 1;
            *s.by_channel.entry(c.channel).or_default() += 1;
            *s.by_status.entry(c.status).or_default() += 1;
            if let Some(r) = c.root_cause {
                *s.by_root_cause.entry(r).or_default() += 1;
            }
            if let Some(on_time) = c.first_response_on_time {
                s.first_response_due += 1;
                if on_time {
                    s.first_response_on_time += 1;
                }
            }
            if c.is_open() && c.deadline.state == DeadlineState::Breached {
                s.breached_open += 1;
            }
            if let Some(d) = c.time_to_close() {
                close_hours += d.num_minutes() as f64 / 60.0;
                closed += 1;
            }
            if c.status >= ComplaintStatus::Resolved || c.reopen_count > 0 {
                finished += 1;
                if c.reopen_count > 0 {
                    reopened += 1;
                }
            }
            s.appeals += c.appeal_count;
            if let Some(x) = c.satisfaction {
                sat += f64::from(x);
                sat_n += 1;
            }
            for call in &c.call_backs {
                s.call_backs_done += 1;
                s.call_backs_on_time += usize::from(call.on_time);
                s.call_backs_satisfied += usize::from(call.satisfied);
            }
        }
        s.deadline_compliance = mean(s.first_response_on_time as f64, s.first_response_due);
        s.average_hours_to_close = mean(close_hours, closed);
        s.reopen_rate = mean(reopened as f64, finished);
        s.average_solution_satisfaction = mean(sat, sat_n);
        s.call_back_satisfaction = mean(s.call_backs_satisfied as f64, s.call_backs_done);
        s
    }
}

/// A therapist's performance figures.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StaffPerformance {
    /// Satisfaction of their customers.
    pub satisfaction: Satisfaction,
    /// Complaints that name them.
    pub complaints: usize,
    /// Service records they wrote.
    pub records: usize,
    /// Of those, complete ones: checked, with steps, an evaluation and completed.
    pub complete_records: usize,
}

/// Performance per therapist, from satisfaction, complaints and the completeness of their records.
pub fn staff_performance(
    feedback: &[Feedback],
    complaints: &[ComplaintView],
    records: &[ServiceRecord],
) -> BTreeMap<StaffId, StaffPerformance> {
    let mut out: BTreeMap<StaffId, StaffPerformance> = BTreeMap::new();
    for (t, s) in satisfaction_by_therapist(feedback) {
        out.entry(t).or_default().satisfaction = s;
    }
    for c in complaints {
        for s in &c.links.staff_ids {
            out.entry(*s).or_default().complaints += 1;
        }
    }
    for r in records {
        let p = out.entry(r.therapist_id).or_default();
        p.records += 1;
        if r.check.is_some()
            && !r.steps.is_empty()
            && r.effect.is_some()
            && r.completed_at.is_some()
        {
            p.complete_records += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feedback::tests::feedback;
    use crate::time::tests::cst;

    #[test]
    fn satisfaction_figures() {
        let mut a = feedback(1, 5, 10);
        a.expectations.empathy = Some(4);
        let mut b = feedback(2, 3, 6);
        b.expectations.empathy = Some(5);
        b.therapist_id = Some(StaffId::from_u128(9));
        let c = feedback(3, 4, 8);
        let s = Satisfaction::of([&a, &b, &c]);
        assert_eq!(s.count, 3);
        assert_eq!(s.average.tangibles, Some(4.0));
        assert_eq!(s.overall, Some(4.0));
        assert_eq!(s.gap.empathy, Some(-0.5)); // (5-4 + 3-5) / 2
        assert_eq!(s.gap.tangibles, None);
        assert!((s.nps.unwrap() - 0.0).abs() < 1e-9); // one promoter, one detractor
        let by = satisfaction_by_therapist(&[a.clone(), b.clone(), c.clone()]);
        assert_eq!(by[&StaffId::from_u128(2)].count, 2);
        assert_eq!(by[&StaffId::from_u128(9)].count, 1);
        assert_eq!(satisfaction_by_service(&[a, b, c]).len(), 1);
        assert_eq!(Satisfaction::of([]), Satisfaction::default());
    }

    #[test]
    fn periods() {
        let t = cst(2025, 3, 12, 23, 30); // a Wednesday
        assert_eq!(
            period_start(t, Period::Day, UtcOffset::CHINA),
            NaiveDate::from_ymd_opt(2025, 3, 12).unwrap()
        );
        assert_eq!(
            period_start(t, Period::Week, UtcOffset::CHINA),
            NaiveDate::from_ymd_opt(2025, 3, 10).unwrap()
        );
        assert_eq!(
            period_start(t, Period::Month, UtcOffset::CHINA),
            NaiveDate::from_ymd_opt(2025, 3, 1).unwrap()
        );
        let mut f = feedback(1, 5, 10);
        f.submitted_at = t;
        let g = feedback(2, 5, 10); // 2025-03-10
        assert_eq!(
            satisfaction_by_period(&[f, g], Period::Week, UtcOffset::CHINA).len(),
            1
        );
    }

    #[test]
    fn complaint_statistics() {
        use crate::complaint::{
            ComplaintEvent, ComplaintEventKind as K, ComplaintLinks, ContactChannel,
        };
        use crate::ids::{ComplaintEventId, ComplaintId, StoreId};
        use crate::role::Role;
        use crate::store::Store;
        use crate::text::{Name, Note};
        let store = Store::new(StoreId::from_u128(1), Name::parse("兰心").unwrap());
        let t0 = cst(2025, 3, 10, 12, 0);
        let ev = |c: u128, id: u128, minutes: i64, role: Role, kind: K| ComplaintEvent {
            id: ComplaintEventId::from_u128(id),
            complaint_id: ComplaintId::from_u128(c),
            at: t0 + chrono::Duration::minutes(minutes),
            by: None,
            role,
            kind,
        };
        let received = |severity| K::Received {
            channel: ComplaintChannel::Phone,
            customer_id: None,
            customer_name: None,
            contact: None,
            occurred_at: None,
            description: Note::parse("x").unwrap(),
            expected_solution: Note::default(),
            nature: Some(ComplaintNature::FeeDispute),
            severity: Some(severity),
            links: ComplaintLinks {
                staff_ids: vec![StaffId::from_u128(2)],
                ..Default::default()
            },
        };
        let cs = Role::CustomerServiceSupervisor;
        let first = vec![
            ev(1, 1, 0, Role::Reception, received(Severity::General)),
            ev(
                1,
                2,
                60,
                cs,
                K::Contacted {
                    channel: ContactChannel::Phone,
                    summary: Note::default(),
                    proposal_made: true,
                },
            ),
            ev(
                1,
                3,
                120,
                cs,
                K::Resolved {
                    summary: Note::default(),
                },
            ),
            ev(
                1,
                4,
                180,
                cs,
                K::Confirmed {
                    satisfaction: 4,
                    note: Note::default(),
                },
            ),
            ev(
                1,
                5,
                240,
                cs,
                K::Closed {
                    root_cause: Some(RootCause::Pricing),
                    note: Note::default(),
                },
            ),
        ];
        let second = vec![ev(2, 1, 0, Role::Reception, received(Severity::Critical))];
        let now = t0 + chrono::Duration::hours(5);
        let views: Vec<ComplaintView> = [first, second]
            .iter()
            .map(|e| ComplaintView::compute(e, &store, now).unwrap())
            .collect();
        let s = ComplaintStats::of(&views);
        assert_eq!(s.total, 2);
        assert_eq!(s.by_nature[&ComplaintNature::FeeDispute], 2);
        assert_eq!(s.by_status[&ComplaintStatus::Closed], 1);
        assert_eq!((s.first_response_due, s.first_response_on_time), (2, 1));
        assert_eq!(s.deadline_compliance, Some(0.5));
        assert_eq!(s.breached_open, 1);
        assert_eq!(s.average_hours_to_close, Some(4.0));
        assert_eq!(s.reopen_rate, Some(0.0));
        assert_eq!(s.by_root_cause[&RootCause::Pricing], 1);
        assert_eq!(s.average_solution_satisfaction, Some(4.0));
        let perf = staff_performance(&[], &views, &[]);
        assert_eq!(perf[&StaffId::from_u128(2)].complaints, 2);
        assert_eq!(s.call_backs_done, 0);
        assert_eq!(s.call_back_satisfaction, None);

        // Three call-backs on the closed one: two on time, one satisfied.
        let mut called = views[0].clone();
        for (n, (on_time, satisfied)) in [(true, false), (true, true), (false, false)]
            .into_iter()
            .enumerate()
        {
            called.call_backs.push(crate::complaint::CallBack {
                follow_up_id: crate::ids::FollowUpId::from_u128(n as u128),
                at: now,
                by: None,
                satisfied,
                on_time,
                note: Note::default(),
            });
        }
        let s = ComplaintStats::of([&called, &views[1]]);
        assert_eq!(s.call_backs_done, 3);
        assert_eq!(s.call_backs_on_time, 2);
        assert_eq!(s.call_backs_satisfied, 1);
        assert_eq!(s.call_back_satisfaction, Some(1.0 / 3.0));
    }
}
