//! The monthly staff scorecard (员工考核, seed 004: satisfaction, timeliness, accuracy of the
//! records, complaints, the customer's rating of her butler, teamwork and discipline), computed
//! from what Orchid already records — feedback, visits, follow-ups and service tasks, complaints,
//! and her superior's daily spot checks — so that every figure can be traced back to the records
//! it comes from.
//!
//! Each figure is a score 0–100, or none when nothing of its kind happened that month; the total
//! is the mean of the figures that have a score, weighted by the store's settings (relative
//! weights: a figure without data does not pull the total down).

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::complaint::{ComplaintView, RootCause};
use crate::feedback::{Dimension, Feedback};
use crate::flow::{FlowStep, StepState, StepStatus};
use crate::followup::{FollowUp, FollowUpStatus};
use crate::ids::{
    CheckId, ComplaintId, CustomerId, FeedbackId, FollowUpId, ServiceRecordId, ServiceTaskId,
    StaffId,
};
use crate::internal_check::{CheckKind, CheckRecord, Conduct, Outcome, Words};
use crate::permission::{Action, Sensitivity, allowed};
use crate::report::Satisfaction;
use crate::role::Role;
use crate::service_record::ServiceRecord;
use crate::service_task::{ServiceTask, TaskStatus};
use crate::time::{Timestamp, UtcOffset};

/// How much each figure counts in the total (relative: 40/25/20/15 is the same as 8/5/4/3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct ScorecardWeights {
    /// Customer satisfaction with her services. 0–100.
    pub satisfaction: u32,
    /// Flow steps and follow-ups within their limits. 0–100.
    pub timeliness: u32,
    /// Complete service records. 0–100.
    pub accuracy: u32,
    /// No complaints attributed to her after investigation. 0–100.
    pub complaints: u32,
    /// Her customers' rating of her as their service butler. 0–100.
    pub butler: u32,
    /// Teamwork in her superior's spot checks. 0–100.
    pub teamwork: u32,
    /// Discipline in her superior's spot checks. 0–100.
    pub discipline: u32,
}

impl Default for ScorecardWeights {
    fn default() -> Self {
        Self {
            satisfaction: 40,
            timeliness: 25,
            accuracy: 20,
            complaints: 15,
            butler: 10,
            teamwork: 10,
            discipline: 10,
        }
    }
}

/// One record a figure counts, and whether it lowered the score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// What it is.
    pub item: EvidenceItem,
    /// When it happened.
    pub at: Timestamp,
    /// The customer it is about, for the link to her file.
    pub customer_id: Option<CustomerId>,
    /// It lowered the score.
    pub against: bool,
}

/// The record behind a line of evidence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EvidenceItem {
    /// A customer's feedback and its overall score (1–5).
    Feedback {
        /// Id.
        id: FeedbackId,
        /// The mean of the five ratings.
        overall: f64,
    },
    /// A step of one of her visits, done on time, late, or overdue and not done.
    Step {
        /// The visit's service record.
        record: ServiceRecordId,
        /// Which step.
        step: FlowStep,
        /// Done past its limit, or overdue and not done.
        late: bool,
        /// Minutes past its limit, for a step still overdue (the flow does not keep how late a
        /// late step was done).
        minutes_over: Option<i64>,
    },
    /// A follow-up assigned to her.
    FollowUp {
        /// Id.
        id: FollowUpId,
        /// Minutes past its due time (0 when on time).
        minutes_late: i64,
    },
    /// A service task assigned to her (seed 004: 任务完成及时).
    Task {
        /// Id.
        id: ServiceTaskId,
        /// What it was, in a line.
        title: String,
        /// Minutes past its deadline (0 when on time).
        minutes_late: i64,
    },
    /// A customer's rating of her as butler, given with a feedback.
    Butler {
        /// The feedback it came with.
        feedback: FeedbackId,
        /// 1–5.
        rating: u8,
    },
    /// An item of a spot check of her by her superior.
    SpotCheck {
        /// The check.
        id: CheckId,
        /// Who checked.
        by: StaffId,
        /// The item's words as checked.
        text: Words,
        /// Passed or failed.
        outcome: Outcome,
        /// What the superior noted.
        note: String,
    },
    /// A completed service record, and what it lacks.
    Record {
        /// Id.
        id: ServiceRecordId,
        /// What is missing: the contraindication check, the steps, the evaluation.
        missing: Vec<RecordPart>,
    },
    /// A complaint attributed to her after investigation.
    Complaint {
        /// Id.
        id: ComplaintId,
        /// The root cause found.
        root_cause: RootCause,
    },
}

/// A part of a service record a complete one has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordPart {
    /// The contraindication check.
    Check,
    /// The SOP steps.
    Steps,
    /// The effect evaluation.
    Evaluation,
}

/// One figure of the scorecard.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// 0–100; none when nothing of this kind happened.
    pub score: Option<f64>,
    /// Every record counted, the ones that lowered the score marked.
    pub evidence: Vec<Evidence>,
}

impl Figure {
    fn share(evidence: Vec<Evidence>) -> Self {
        let good = evidence.iter().filter(|e| !e.against).count();
        Self {
            score: share(good, evidence.len()),
            evidence,
        }
    }
}

fn share(good: usize, of: usize) -> Option<f64> {
    (of > 0).then(|| good as f64 * 100.0 / of as f64)
}

/// A person's month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    /// Whose.
    pub staff_id: StaffId,
    /// The month's first day (store time).
    pub month: NaiveDate,
    /// Her customers' satisfaction: the mean overall rating, 1–5 mapped to 0–100.
    pub satisfaction: Figure,
    /// Her visits' steps (introduction, service, feedback) and her follow-ups within their limits.
    pub timeliness: Figure,
    /// Her completed service records that have the check, the steps and the evaluation.
    pub accuracy: Figure,
    /// 100 less 25 per complaint attributed to her (attitude, skill, process) after investigation.
    pub complaints: Figure,
    /// Her customers' ratings of her as butler: the mean, 1–5 mapped to 0–100.
    #[serde(default)]
    pub butler: Figure,
    /// The teamwork items of her spot checks she passed.
    #[serde(default)]
    pub teamwork: Figure,
    /// The discipline items of her spot checks she passed.
    #[serde(default)]
    pub discipline: Figure,
    /// The weighted mean of the figures that have a score.
    pub total: Option<f64>,
}

/// What the scorecards of a month are computed from: the store's records as the device holds
/// them (each list may hold other people's and other months' records too).
#[derive(Clone, Copy, Debug)]
pub struct Records<'a> {
    /// Feedback.
    pub feedback: &'a [Feedback],
    /// Service records.
    pub records: &'a [ServiceRecord],
    /// The flow status of each service record's visit (the core's `flow_status`).
    pub visits: &'a [(ServiceRecordId, Vec<StepStatus>)],
    /// Follow-ups.
    pub follow_ups: &'a [FollowUp],
    /// Complaints; `None` when the reader may not read complaints (a therapist's device holds
    /// none), so her complaints figure is unknown rather than a perfect 100.
    pub complaints: Option<&'a [ComplaintView]>,
    /// Service tasks.
    pub tasks: &'a [ServiceTask],
    /// Checks done (the staff spot checks among them count).
    pub checks: &'a [CheckRecord],
}

/// The steps of a visit that are the therapist's own (the booking and the reception are the
/// desk's, the follow-up is counted as the follow-up assigned to someone).
const HER_STEPS: [FlowStep; 3] = [
    FlowStep::Introduction,
    FlowStep::Service,
    FlowStep::Feedback,
];

/// Root causes that put a complaint down to the person named in it.
fn attributed(cause: RootCause) -> bool {
    matches!(
        cause,
        RootCause::Attitude | RootCause::Skill | RootCause::Process
    )
}

/// `staff`'s scorecard for the month starting on `month` (store time), as of `now`; a
/// `low_rating` (the store's threshold, 1–5) marks a feedback as lowering the score.
pub fn scorecard(
    staff: StaffId,
    month: NaiveDate,
    offset: UtcOffset,
    now: Timestamp,
    low_rating: u8,
    weights: ScorecardWeights,
    records: Records<'_>,
) -> Scorecard {
    let next = month.checked_add_months(Months::new(1)).unwrap_or(month);
    let in_month = |at: Timestamp| {
        let day = offset.local_date(at);
        day >= month && day < next
    };

    let feedback = records
        .feedback
        .iter()
        .filter(|f| f.therapist_id == Some(staff) && in_month(f.submitted_at))
        .map(|f| {
            let overall = Dimension::ALL
                .iter()
                .map(|d| f64::from(f.ratings.get(*d)))
                .sum::<f64>()
                / Dimension::ALL.len() as f64;
            Evidence {
                item: EvidenceItem::Feedback { id: f.id, overall },
                at: f.submitted_at,
                customer_id: f.customer_id,
                against: Dimension::ALL
                    .iter()
                    .any(|d| f.ratings.get(*d) <= low_rating),
            }
        })
        .collect::<Vec<_>>();
    // The report's own average (the mean of the five dimensions' means), mapped 1–5 → 0–100.
    let satisfaction = Figure {
        score: Satisfaction::of(
            records
                .feedback
                .iter()
                .filter(|f| f.therapist_id == Some(staff) && in_month(f.submitted_at)),
        )
        .overall
        .map(|overall| (overall - 1.0) * 25.0),
        evidence: feedback,
    };

    let hers = records
        .records
        .iter()
        .filter(|r| r.therapist_id == staff && in_month(r.opened_at))
        .collect::<Vec<_>>();
    let mut timely = Vec::new();
    for record in &hers {
        let Some((_, steps)) = records.visits.iter().find(|(id, _)| *id == record.id) else {
            continue;
        };
        for status in steps.iter().filter(|s| HER_STEPS.contains(&s.step)) {
            let (at, late, minutes_over) = match status.state {
                StepState::Done { at, on_time } => (at, !on_time, None),
                StepState::Overdue {
                    due_at,
                    minutes_over,
                } => (due_at, true, Some(minutes_over)),
                StepState::NotStarted | StepState::Running { .. } | StepState::Skipped => continue,
            };
            timely.push(Evidence {
                item: EvidenceItem::Step {
                    record: record.id,
                    step: status.step,
                    late,
                    minutes_over,
                },
                at,
                customer_id: Some(record.customer_id),
                against: late,
            });
        }
    }
    for follow_up in records
        .follow_ups
        .iter()
        .filter(|f| f.assignee == Some(staff) && in_month(f.due) && f.due <= now)
    {
        let late = match (follow_up.status, follow_up.done_at) {
            (FollowUpStatus::Done, Some(done)) => (done - follow_up.due).num_minutes().max(0),
            (FollowUpStatus::Planned, _) => (now - follow_up.due).num_minutes().max(1),
            // Cancelled, or done without a time: nothing to hold against her.
            _ => continue,
        };
        timely.push(Evidence {
            item: EvidenceItem::FollowUp {
                id: follow_up.id,
                minutes_late: late,
            },
            at: follow_up.due,
            customer_id: Some(follow_up.customer_id),
            against: late > 0,
        });
    }
    for task in records
        .tasks
        .iter()
        .filter(|t| t.assignee == Some(staff) && in_month(t.due) && t.due <= now)
    {
        let late = match (task.status, task.done_at) {
            (TaskStatus::Done, Some(done)) => (done - task.due).num_minutes().max(0),
            (TaskStatus::Open, _) => (now - task.due).num_minutes().max(1),
            _ => continue,
        };
        timely.push(Evidence {
            item: EvidenceItem::Task {
                id: task.id,
                title: task.title.to_string(),
                minutes_late: late,
            },
            at: task.due,
            customer_id: task.customer_id,
            against: late > 0,
        });
    }
    timely.sort_by_key(|e| e.at);

    let rated = records
        .feedback
        .iter()
        .filter(|f| in_month(f.submitted_at))
        .filter_map(|f| {
            let b = f.butler.filter(|b| b.butler == staff)?;
            Some(Evidence {
                item: EvidenceItem::Butler {
                    feedback: f.id,
                    rating: b.rating,
                },
                at: f.submitted_at,
                customer_id: f.customer_id,
                against: b.rating <= low_rating,
            })
        })
        .collect::<Vec<_>>();
    let ratings = rated
        .iter()
        .filter_map(|e| match e.item {
            EvidenceItem::Butler { rating, .. } => Some(f64::from(rating)),
            _ => None,
        })
        .collect::<Vec<_>>();
    let butler = Figure {
        score: (!ratings.is_empty())
            .then(|| (ratings.iter().sum::<f64>() / ratings.len() as f64 - 1.0) * 25.0),
        evidence: rated,
    };

    let spot = |conduct: Conduct| {
        let mut evidence = Vec::new();
        for check in records.checks.iter().filter(|c| {
            c.kind == CheckKind::StaffConduct && c.subject == Some(staff) && in_month(c.at)
        }) {
            // An item a salon added to the spot check without saying what it counts for keeps
            // the store's rules: discipline.
            for result in check.results.iter().filter(|r| {
                r.outcome != Outcome::NotApplicable
                    && r.conduct.unwrap_or(Conduct::Discipline) == conduct
            }) {
                evidence.push(Evidence {
                    item: EvidenceItem::SpotCheck {
                        id: check.id,
                        by: check.by,
                        text: result.text.clone(),
                        outcome: result.outcome,
                        note: result.note.to_string(),
                    },
                    at: check.at,
                    customer_id: None,
                    against: result.outcome == Outcome::Fail,
                });
            }
        }
        evidence.sort_by_key(|e| e.at);
        Figure::share(evidence)
    };
    let teamwork = spot(Conduct::Teamwork);
    let discipline = spot(Conduct::Discipline);

    let accuracy = hers
        .iter()
        .filter(|r| r.completed_at.is_some())
        .map(|r| {
            let missing = [
                (RecordPart::Check, r.check.is_none()),
                (RecordPart::Steps, r.steps.is_empty()),
                (RecordPart::Evaluation, r.effect.is_none()),
            ]
            .into_iter()
            .filter_map(|(part, lacks)| lacks.then_some(part))
            .collect::<Vec<_>>();
            Evidence {
                against: !missing.is_empty(),
                item: EvidenceItem::Record { id: r.id, missing },
                at: r.opened_at,
                customer_id: Some(r.customer_id),
            }
        })
        .collect::<Vec<_>>();

    let known = records.complaints.is_some();
    let complaints = records
        .complaints
        .unwrap_or_default()
        .iter()
        .filter(|c| c.links.staff_ids.contains(&staff) && in_month(c.received_at))
        .filter_map(|c| {
            let cause = c.root_cause.filter(|cause| attributed(*cause))?;
            Some(Evidence {
                item: EvidenceItem::Complaint {
                    id: c.id,
                    root_cause: cause,
                },
                at: c.received_at,
                customer_id: c.customer_id,
                against: true,
            })
        })
        .collect::<Vec<_>>();
    // Only someone who worked that month (or was complained about) has a complaints figure.
    let worked = !hers.is_empty() || !satisfaction.evidence.is_empty() || !timely.is_empty();
    let complaints = Figure {
        score: (known && (worked || !complaints.is_empty()))
            .then(|| (100.0 - 25.0 * complaints.len() as f64).max(0.0)),
        evidence: complaints,
    };

    let timeliness = Figure::share(timely);
    let accuracy = Figure::share(accuracy);
    let weighted = [
        (weights.satisfaction, satisfaction.score),
        (weights.timeliness, timeliness.score),
        (weights.accuracy, accuracy.score),
        (weights.complaints, complaints.score),
        (weights.butler, butler.score),
        (weights.teamwork, teamwork.score),
        (weights.discipline, discipline.score),
    ];
    let (sum, weight) = weighted
        .iter()
        .filter_map(|(w, score)| score.map(|s| (f64::from(*w) * s, f64::from(*w))))
        .fold((0.0, 0.0), |(s, w), (ds, dw)| (s + ds, w + dw));
    Scorecard {
        staff_id: staff,
        month,
        satisfaction,
        timeliness,
        accuracy,
        complaints,
        butler,
        teamwork,
        discipline,
        total: (weight > 0.0).then(|| sum / weight),
    }
}

/// May a person (`viewer`, in `role`) read `subject`'s scorecard? Her own always; the team's
/// for those who supervise it (the roles that read the store's reports).
pub fn may_read(role: Role, viewer: Option<StaffId>, subject: StaffId) -> bool {
    viewer == Some(subject) || allowed(role, Action::ReportView, Sensitivity::Ordinary)
}

/// The first day of the month `at` falls in, store time.
pub fn month_of(at: Timestamp, offset: UtcOffset) -> NaiveDate {
    crate::report::period_start(at, crate::report::Period::Month, offset)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::feedback::PerDimension;
    use crate::flow::{FlowFacts, flow_status};
    use crate::ids::{ComplaintEventId, StoreId};
    use crate::service_record::{ContraindicationCheck, StepTiming};
    use crate::store::{FlowLimits, Store};
    use crate::text::{Name, Note};
    use chrono::Duration;

    const THERAPIST: StaffId = StaffId::from_u128(7);
    const COLLEAGUE: StaffId = StaffId::from_u128(8);

    fn at(day: u32, hour: u32) -> Timestamp {
        let local = NaiveDate::from_ymd_opt(2026, 11, day)
            .unwrap()
            .and_hms_opt(hour, 0, 0)
            .unwrap();
        UtcOffset::CHINA.to_utc(local)
    }

    fn feedback(id: u128, staff: StaffId, day: u32, rating: u8) -> Feedback {
        Feedback {
            id: FeedbackId::from_u128(id),
            store_id: StoreId::from_u128(1),
            customer_id: Some(CustomerId::from_u128(id)),
            appointment_id: None,
            service_record_id: None,
            therapist_id: Some(staff),
            services: vec![],
            submitted_at: at(day, 15),
            ratings: PerDimension::all(rating),
            expectations: PerDimension::default(),
            recommend: 9,
            comment: Note::default(),
            butler: None,
        }
    }

    fn record(id: u128, staff: StaffId, day: u32, complete: bool) -> ServiceRecord {
        ServiceRecord {
            id: ServiceRecordId::from_u128(id),
            customer_id: CustomerId::from_u128(id),
            therapist_id: staff,
            appointment_id: None,
            services: vec![],
            opened_at: at(day, 10),
            answers: vec![],
            consent_refused: false,
            check: Some(ContraindicationCheck::Allowed),
            override_by: None,
            plan: None,
            steps: if complete {
                vec![StepTiming {
                    index: 0,
                    name: Name::parse("Cleanse").unwrap(),
                    started_at: at(day, 10),
                    finished_at: Some(at(day, 11)),
                }]
            } else {
                vec![]
            },
            products: vec![],
            notes: vec![],
            effect: complete.then_some(5),
            evaluation_note: None,
            completed_at: Some(at(day, 11)),
            ignored: vec![],
        }
    }

    fn card(records: Records<'_>, staff: StaffId) -> Scorecard {
        scorecard(
            staff,
            NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            UtcOffset::CHINA,
            at(30, 20),
            2,
            ScorecardWeights::default(),
            records,
        )
    }

    fn empty() -> Records<'static> {
        Records {
            feedback: &[],
            records: &[],
            visits: &[],
            follow_ups: &[],
            complaints: Some(&[]),
            tasks: &[],
            checks: &[],
        }
    }

    /// A spot check of `subject` by `by` on `day`, the template's items answered in turn.
    fn spot_check(
        id: u128,
        subject: StaffId,
        by: StaffId,
        day: u32,
        outcomes: &[Outcome],
    ) -> CheckRecord {
        let template = crate::internal_check::starting_templates(StoreId::from_u128(1))
            .into_iter()
            .find(|t| t.kind == CheckKind::StaffConduct)
            .unwrap();
        CheckRecord {
            id: CheckId::from_u128(id),
            store_id: StoreId::from_u128(1),
            template_id: template.id,
            kind: template.kind,
            room_id: None,
            by,
            at: at(day, 18),
            device: crate::ids::ClientId::from_u128(9),
            results: template
                .items
                .iter()
                .zip(outcomes)
                .map(|(i, o)| crate::internal_check::ItemResult {
                    item: i.id,
                    text: i.text.clone(),
                    outcome: *o,
                    note: if *o == Outcome::Fail {
                        Note::parse("迟到20分钟").unwrap()
                    } else {
                        Note::default()
                    },
                    conduct: i.conduct,
                })
                .collect(),
            subject: Some(subject),
        }
    }

    #[test]
    fn tasks_butler_ratings_and_spot_checks_make_her_figures() {
        use Outcome::{Fail, NotApplicable as Na, Pass};
        const SUPERVISOR: StaffId = StaffId::from_u128(9);
        let task = |id: u128, due_day: u32, done: Option<u32>| {
            let mut t = ServiceTask::blank(ServiceTaskId::from_u128(id), StoreId::from_u128(1));
            t.assignee = Some(THERAPIST);
            t.due = at(due_day, 12);
            if let Some(day) = done {
                t.status = TaskStatus::Done;
                t.done_at = Some(at(day, 11));
            }
            t
        };
        let tasks = [
            task(1, 5, Some(5)),
            task(2, 6, Some(8)),
            // Open past its deadline at the end of the month: late.
            task(3, 20, None),
            // Not due before the moment of the scorecard (the 30th, 20:00): not counted yet.
            ServiceTask {
                due: at(30, 23),
                ..task(4, 30, None)
            },
        ];
        let mut rated = feedback(1, COLLEAGUE, 3, 5);
        rated.butler = Some(crate::feedback::ButlerRating {
            butler: THERAPIST,
            rating: 4,
        });
        let mut low = feedback(2, COLLEAGUE, 4, 5);
        low.butler = Some(crate::feedback::ButlerRating {
            butler: THERAPIST,
            rating: 2,
        });
        let mut others = feedback(3, COLLEAGUE, 4, 5);
        others.butler = Some(crate::feedback::ButlerRating {
            butler: COLLEAGUE,
            rating: 1,
        });
        let fb = [rated, low, others];
        // Teamwork items 1–2, discipline 3–5: one discipline item failed, one not applicable.
        let checks = [
            spot_check(40, THERAPIST, SUPERVISOR, 10, &[Pass, Pass, Fail, Pass, Na]),
            spot_check(
                41,
                THERAPIST,
                SUPERVISOR,
                11,
                &[Pass, Fail, Pass, Pass, Pass],
            ),
            spot_check(
                42,
                COLLEAGUE,
                SUPERVISOR,
                11,
                &[Fail, Fail, Fail, Fail, Fail],
            ),
        ];
        let c = card(
            Records {
                feedback: &fb,
                tasks: &tasks,
                checks: &checks,
                ..empty()
            },
            THERAPIST,
        );
        // Tasks: one on time, one done two days late, one still open: 1 of 3.
        let task_evidence: Vec<_> = c
            .timeliness
            .evidence
            .iter()
            .filter(|e| matches!(e.item, EvidenceItem::Task { .. }))
            .collect();
        assert_eq!(task_evidence.len(), 3);
        assert_eq!(task_evidence.iter().filter(|e| e.against).count(), 2);
        assert!(
            matches!(task_evidence[1].item, EvidenceItem::Task { minutes_late, .. } if minutes_late == 47 * 60)
        );
        // Her butler ratings (4 and 2, mean 3 → 50), not her colleague's; the 2 is marked.
        assert_eq!(c.butler.score, Some(50.0));
        assert_eq!(c.butler.evidence.len(), 2);
        assert_eq!(c.butler.evidence.iter().filter(|e| e.against).count(), 1);
        // Teamwork 3 of 4 passed; discipline 4 of 5 (the not applicable left out).
        assert_eq!(c.teamwork.score, Some(75.0));
        assert_eq!(c.discipline.score, Some(80.0));
        let failed = c.discipline.evidence.iter().find(|e| e.against).unwrap();
        assert!(
            matches!(&failed.item, EvidenceItem::SpotCheck { id, by, note, .. } if *id == CheckId::from_u128(40) && *by == SUPERVISOR && note == "迟到20分钟")
        );
        // The total weighs them: timeliness 33.3 (weight 25), butler 50, teamwork 75,
        // discipline 80 (10 each), and complaints 100 (15): she worked that month.
        let expected =
            (25.0 * 100.0 / 3.0 + 10.0 * 50.0 + 10.0 * 75.0 + 10.0 * 80.0 + 15.0 * 100.0) / 70.0;
        assert!((c.total.unwrap() - expected).abs() < 1e-9, "{:?}", c.total);
    }

    #[test]
    fn a_low_score_and_a_late_step_lower_her_figures_and_name_their_records() {
        let fb = [
            feedback(1, THERAPIST, 3, 5),
            feedback(2, THERAPIST, 4, 2),
            feedback(3, COLLEAGUE, 4, 1),
            // Last month's: not counted.
            Feedback {
                submitted_at: at(1, 0) - Duration::days(3),
                ..feedback(4, THERAPIST, 1, 1)
            },
        ];
        let recs = [
            record(10, THERAPIST, 3, true),
            record(11, THERAPIST, 4, true),
        ];
        // The second visit's service ran 30 minutes past its limit.
        let limits = FlowLimits::default();
        let visit = |day: u32, minutes_over: i64| {
            let started = at(day, 9) + Duration::minutes(10);
            let completed = started
                + Duration::minutes(
                    60 + i64::from(limits.service_overrun_minutes) * minutes_over.signum()
                        + minutes_over,
                );
            FlowFacts {
                arrived_at: Some(at(day, 9)),
                introduction_at: Some(at(day, 9)),
                service_started_at: Some(started),
                planned_minutes: 60,
                completed_at: Some(completed),
                feedback_at: Some(completed + Duration::minutes(2)),
                ..FlowFacts::default()
            }
        };
        let (on_time, late) = (visit(3, 0), visit(4, 30));
        let visits = [
            (
                recs[0].id,
                flow_status(&on_time, &limits, false, at(30, 20)),
            ),
            (recs[1].id, flow_status(&late, &limits, false, at(30, 20))),
        ];
        let c = card(
            Records {
                feedback: &fb,
                records: &recs,
                visits: &visits,
                ..empty()
            },
            THERAPIST,
        );
        // (5 + 2) / 2 = 3.5 of 5 → 62.5 of 100; the 2 is marked.
        assert_eq!(c.satisfaction.score, Some(62.5));
        let against = |f: &Figure| f.evidence.iter().filter(|e| e.against).count();
        assert_eq!(c.satisfaction.evidence.len(), 2);
        assert_eq!(against(&c.satisfaction), 1);
        // Six steps (three per visit), the late service among them.
        assert_eq!(c.timeliness.evidence.len(), 6);
        assert_eq!(against(&c.timeliness), 1);
        assert!(c.timeliness.evidence.iter().any(|e| e.against
            && matches!(e.item, EvidenceItem::Step { step: FlowStep::Service, record, .. } if record == recs[1].id)));
        assert_eq!(c.accuracy.score, Some(100.0));
        assert_eq!(c.complaints.score, Some(100.0));
        // The colleague's month is her own.
        let theirs = card(
            Records {
                feedback: &fb,
                records: &recs,
                visits: &visits,
                ..empty()
            },
            COLLEAGUE,
        );
        assert_eq!(theirs.satisfaction.score, Some(0.0));
        assert_eq!(theirs.timeliness.score, None);
    }

    #[test]
    fn the_total_weighs_only_figures_with_data() {
        let recs = [
            record(10, THERAPIST, 3, true),
            record(11, THERAPIST, 4, false),
        ];
        let c = card(
            Records {
                records: &recs,
                ..empty()
            },
            THERAPIST,
        );
        assert_eq!(c.accuracy.score, Some(50.0));
        let missing = c.accuracy.evidence.iter().find(|e| e.against).unwrap();
        assert!(
            matches!(&missing.item, EvidenceItem::Record { missing, .. } if missing == &vec![RecordPart::Steps, RecordPart::Evaluation])
        );
        assert_eq!(c.satisfaction.score, None);
        // Accuracy 50 weighs 20, complaints 100 weighs 15: (1000 + 1500) / 35.
        let total = c.total.unwrap();
        assert!((total - 2500.0 / 35.0).abs() < 1e-9, "{total}");
        // Nobody's month without any record has no score at all.
        let idle = card(empty(), COLLEAGUE);
        assert_eq!(idle.total, None);
        assert_eq!(idle.complaints.score, None);
        // A reader who may not read complaints sees no complaints figure, not a perfect one.
        let unknown = card(
            Records {
                records: &recs,
                complaints: None,
                ..empty()
            },
            THERAPIST,
        );
        assert_eq!(unknown.complaints.score, None);
        assert_eq!(unknown.total, Some(50.0));
    }

    #[test]
    fn late_follow_ups_and_attributed_complaints_count_against_her() {
        let mut done_late = FollowUp::blank(FollowUpId::from_u128(1), StoreId::from_u128(1));
        done_late.assignee = Some(THERAPIST);
        done_late.due = at(5, 10);
        done_late.status = FollowUpStatus::Done;
        done_late.done_at = Some(at(5, 13));
        let mut on_time = done_late.clone();
        on_time.id = FollowUpId::from_u128(2);
        on_time.done_at = Some(at(5, 9));
        let mut not_yet_due = done_late.clone();
        not_yet_due.id = FollowUpId::from_u128(3);
        not_yet_due.status = FollowUpStatus::Planned;
        not_yet_due.due = at(30, 23);
        // A complaint as a low feedback drafts it (naming her), with the root cause found.
        let store = Store::blank(StoreId::from_u128(1));
        let complaint = |id: u128, cause| {
            let draft = feedback(100 + id, THERAPIST, 6, 1)
                .complaint_draft(
                    &store.settings,
                    ComplaintId::from_u128(id),
                    ComplaintEventId::from_u128(id),
                    None,
                    Role::Reception,
                )
                .unwrap();
            let mut view = ComplaintView::compute(&[draft], &store, at(6, 16)).unwrap();
            view.root_cause = cause;
            view
        };
        let complaints = [
            complaint(1, Some(RootCause::Skill)),
            complaint(2, Some(RootCause::NoFault)),
            complaint(3, None),
        ];
        let c = card(
            Records {
                follow_ups: &[done_late, on_time, not_yet_due],
                complaints: Some(&complaints),
                ..empty()
            },
            THERAPIST,
        );
        assert_eq!(c.timeliness.score, Some(50.0));
        assert!(c.timeliness.evidence.iter().any(|e| matches!(
            e.item,
            EvidenceItem::FollowUp {
                minutes_late: 180,
                ..
            }
        )));
        assert_eq!(c.complaints.score, Some(75.0));
        assert_eq!(c.complaints.evidence.len(), 1);
    }

    #[test]
    fn she_reads_her_own_card_and_the_supervisors_read_the_teams() {
        assert!(may_read(Role::Therapist, Some(THERAPIST), THERAPIST));
        assert!(!may_read(Role::Therapist, Some(THERAPIST), COLLEAGUE));
        assert!(!may_read(Role::Reception, None, COLLEAGUE));
        assert!(may_read(Role::Manager, None, COLLEAGUE));
        assert!(may_read(
            Role::TechnicalSupervisor,
            Some(THERAPIST),
            COLLEAGUE
        ));
    }
}
