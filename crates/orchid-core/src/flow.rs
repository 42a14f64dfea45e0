//! The standard service flow (服务流程): booking → reception → introduction → service → feedback →
//! follow-up, each step with the store's time limit, and which are overdue at `now` (an alert when one
//! runs over).

use chrono::Duration;
use serde::{Deserialize, Serialize};

use crate::feedback::Feedback;
use crate::followup::{FollowUp, FollowUpStatus};
use crate::service_record::ServiceRecord;
use crate::store::FlowLimits;
use crate::sync::AppointmentView;
use crate::time::Timestamp;

/// A step of the standard flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlowStep {
    /// 顾客预约: the booking is confirmed.
    Booking,
    /// 到店接待: the customer is received after arrival.
    Reception,
    /// 服务项目介绍: consultation and introduction, until the service starts.
    Introduction,
    /// 服务实施: the service, within its planned time.
    Service,
    /// 顾客反馈: feedback asked after the service.
    Feedback,
    /// 后续跟进: the first follow-up.
    FollowUp,
}

impl FlowStep {
    /// The steps in order.
    pub const ALL: [FlowStep; 6] = [
        Self::Booking,
        Self::Reception,
        Self::Introduction,
        Self::Service,
        Self::Feedback,
        Self::FollowUp,
    ];
}

/// When each step's milestones happened, gathered from the records.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowFacts {
    /// When the booking was made.
    pub booked_at: Option<Timestamp>,
    /// Its start.
    pub scheduled_start: Option<Timestamp>,
    /// Confirmed.
    pub confirmed_at: Option<Timestamp>,
    /// Arrived (checked in).
    pub arrived_at: Option<Timestamp>,
    /// Consultation / introduction started (the service record opened).
    pub introduction_at: Option<Timestamp>,
    /// Service started.
    pub service_started_at: Option<Timestamp>,
    /// Planned minutes of the service.
    pub planned_minutes: u32,
    /// Service completed.
    pub completed_at: Option<Timestamp>,
    /// Feedback given.
    pub feedback_at: Option<Timestamp>,
    /// First follow-up done.
    pub followed_up_at: Option<Timestamp>,
}

impl FlowFacts {
    /// Gathers the facts of one visit.
    pub fn gather(
        visit: &AppointmentView,
        record: Option<&ServiceRecord>,
        feedback: Option<&Feedback>,
        follow_ups: &[FollowUp],
    ) -> Self {
        let s = &visit.status;
        Self {
            booked_at: Some(visit.appointment.booked_at),
            scheduled_start: Some(visit.appointment.time.start),
            confirmed_at: s.confirmed_at,
            arrived_at: s.arrived_at,
            introduction_at: record.map(|r| r.opened_at),
            service_started_at: s.service_started_at,
            planned_minutes: u32::try_from(visit.appointment.time.minutes()).unwrap_or(0),
            completed_at: s.completed_at.or(record.and_then(|r| r.completed_at)),
            feedback_at: feedback.map(|f| f.submitted_at),
            followed_up_at: follow_ups
                .iter()
                .filter(|f| f.status == FollowUpStatus::Done)
                .filter_map(|f| f.done_at)
                .min(),
        }
    }
}

/// Where a step stands at `now`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum StepState {
    /// Its start has not happened yet.
    NotStarted,
    /// Running, due at `due_at`.
    Running {
        /// Due.
        due_at: Timestamp,
    },
    /// Past its limit and not done: alert.
    Overdue {
        /// Was due.
        due_at: Timestamp,
        /// Minutes over.
        minutes_over: i64,
    },
    /// Done.
    Done {
        /// When.
        at: Timestamp,
        /// Within the limit.
        on_time: bool,
    },
    /// Skipped (the visit was cancelled or a no-show).
    Skipped,
}

/// A step and its state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepStatus {
    /// Step.
    pub step: FlowStep,
    /// State.
    pub state: StepState,
}

fn state(
    anchor: Option<Timestamp>,
    due: Option<Timestamp>,
    done: Option<Timestamp>,
    now: Timestamp,
) -> StepState {
    match (anchor, due, done) {
        (_, Some(due_at), Some(at)) => StepState::Done {
            at,
            on_time: at <= due_at,
        },
        (_, None, Some(at)) => StepState::Done { at, on_time: true },
        (Some(_), Some(due_at), None) if now > due_at => StepState::Overdue {
            due_at,
            minutes_over: (now - due_at).num_minutes().max(1),
        },
        (Some(_), Some(due_at), None) => StepState::Running { due_at },
        _ => StepState::NotStarted,
    }
}

/// The state of every step of a visit at `now`, under the store's limits. A visit that ended without
/// service (cancelled, no-show) has its remaining steps skipped.
pub fn flow_status(
    f: &FlowFacts,
    limits: &FlowLimits,
    ended_without_service: bool,
    now: Timestamp,
) -> Vec<StepStatus> {
    let mins = |m: u32| Duration::minutes(i64::from(m));
    let booking_due = f.booked_at.map(|b| {
        let due = b + mins(limits.confirm_booking_minutes);
        f.scheduled_start.map_or(due, |s| due.min(s))
    });
    let reception_done = f.introduction_at.or(f.service_started_at);
    let intro_anchor = f
        .introduction_at
        .or(f.arrived_at.map(|a| a + mins(limits.reception_minutes)));
    let states = [
        (
            FlowStep::Booking,
            state(
                f.booked_at,
                booking_due,
                f.confirmed_at.or(f.arrived_at),
                now,
            ),
        ),
        (
            FlowStep::Reception,
            state(
                f.arrived_at,
                f.arrived_at.map(|a| a + mins(limits.reception_minutes)),
                reception_done,
                now,
            ),
        ),
        (
            FlowStep::Introduction,
            state(
                f.arrived_at,
                intro_anchor.map(|a| a + mins(limits.introduction_minutes)),
                f.service_started_at,
                now,
            ),
        ),
        (
            FlowStep::Service,
            state(
                f.service_started_at,
                f.service_started_at
                    .map(|s| s + mins(f.planned_minutes) + mins(limits.service_overrun_minutes)),
                f.completed_at,
                now,
            ),
        ),
        (
            FlowStep::Feedback,
            state(
                f.completed_at,
                f.completed_at.map(|c| c + mins(limits.feedback_minutes)),
                f.feedback_at,
                now,
            ),
        ),
        (
            FlowStep::FollowUp,
            state(
                f.completed_at,
                f.completed_at
                    .map(|c| c + Duration::hours(i64::from(limits.follow_up_hours))),
                f.followed_up_at,
                now,
            ),
        ),
    ];
    states
        .into_iter()
        .map(|(step, state)| {
            let state = match state {
                StepState::NotStarted | StepState::Running { .. } | StepState::Overdue { .. }
                    if ended_without_service =>
                {
                    StepState::Skipped
                }
                s => s,
            };
            StepStatus { step, state }
        })
        .collect()
}

/// Only the overdue steps (the alerts).
pub fn overdue(steps: &[StepStatus]) -> Vec<StepStatus> {
    steps
        .iter()
        .copied()
        .filter(|s| matches!(s.state, StepState::Overdue { .. }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::tests::cst;

    fn at(h: u32, m: u32) -> Timestamp {
        cst(2025, 3, 10, h, m)
    }

    fn facts() -> FlowFacts {
        FlowFacts {
            booked_at: Some(at(8, 0)),
            scheduled_start: Some(at(14, 0)),
            planned_minutes: 60,
            ..Default::default()
        }
    }

    fn step(v: &[StepStatus], s: FlowStep) -> StepState {
        v.iter().find(|x| x.step == s).map(|x| x.state).unwrap()
    }

    #[test]
    fn booking_must_be_confirmed_within_the_limit() {
        let l = FlowLimits::default(); // 120 minutes
        let f = facts();
        assert_eq!(
            step(&flow_status(&f, &l, false, at(10, 0)), FlowStep::Booking),
            StepState::Running { due_at: at(10, 0) }
        );
        assert_eq!(
            step(&flow_status(&f, &l, false, at(10, 1)), FlowStep::Booking),
            StepState::Overdue {
                due_at: at(10, 0),
                minutes_over: 1
            }
        );
        let mut f2 = f.clone();
        f2.confirmed_at = Some(at(9, 0));
        assert_eq!(
            step(&flow_status(&f2, &l, false, at(12, 0)), FlowStep::Booking),
            StepState::Done {
                at: at(9, 0),
                on_time: true
            }
        );
        assert_eq!(
            step(&flow_status(&f, &l, false, at(12, 0)), FlowStep::Reception),
            StepState::NotStarted
        );
    }

    #[test]
    fn a_full_visit_with_an_overrun() {
        let l = FlowLimits::default(); // reception 10, introduction 20, overrun 15, feedback 30, follow-up 48 h
        let mut f = facts();
        f.confirmed_at = Some(at(8, 30));
        f.arrived_at = Some(at(13, 55));
        f.introduction_at = Some(at(14, 5)); // 10 minutes: on time
        f.service_started_at = Some(at(14, 26)); // 21 minutes after introduction: late
        let v = flow_status(&f, &l, false, at(15, 41));
        assert_eq!(
            step(&v, FlowStep::Reception),
            StepState::Done {
                at: at(14, 5),
                on_time: true
            }
        );
        assert_eq!(
            step(&v, FlowStep::Introduction),
            StepState::Done {
                at: at(14, 26),
                on_time: false
            }
        );
        // 60 planned + 15 tolerated: due 15:41.
        assert_eq!(
            step(&v, FlowStep::Service),
            StepState::Running { due_at: at(15, 41) }
        );
        assert_eq!(overdue(&flow_status(&f, &l, false, at(15, 42))).len(), 1);
        f.completed_at = Some(at(15, 30));
        let v = flow_status(&f, &l, false, at(16, 1));
        assert_eq!(
            step(&v, FlowStep::Feedback),
            StepState::Overdue {
                due_at: at(16, 0),
                minutes_over: 1
            }
        );
        assert_eq!(
            step(&v, FlowStep::FollowUp),
            StepState::Running {
                due_at: at(15, 30) + Duration::hours(48)
            }
        );
    }

    #[test]
    fn cancelled_visits_skip_the_rest() {
        let v = flow_status(&facts(), &FlowLimits::default(), true, at(20, 0));
        assert!(v.iter().all(|s| s.state == StepState::Skipped));
    }
}
