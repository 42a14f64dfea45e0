//! The monthly staff scorecards (issue 24 item 4): the device's records gathered for the core's
//! `scorecard`, for the people the active person may read (herself; the team for supervisors).
use chrono::{Months, NaiveDate, Utc};
use orchid_core::appointment::AppointmentStatus;
use orchid_core::flow::{FlowFacts, flow_status};
use orchid_core::permission::{Action, Sensitivity, allowed};
use orchid_core::scorecard::{self, Records, Scorecard};
use orchid_core::staff::Staff;

use super::StoreHandle;
use super::store::store_offset;

impl StoreHandle {
    /// The month the store is in now (its first day, store time).
    pub fn this_month(&self) -> NaiveDate {
        scorecard::month_of(Utc::now(), store_offset(*self))
    }

    /// May the active person read her colleagues' scorecards (supervisors, the manager, the
    /// owner), or only her own?
    pub fn may_read_team_scorecards(&self) -> bool {
        allowed(self.role(), Action::ReportView, Sensitivity::Ordinary)
    }

    /// The scorecards of `month` the active person may read, hers first, then by name; people
    /// no longer active only if they have a figure that month.
    pub fn scorecards(&self, month: NaiveDate) -> Vec<(Staff, Scorecard)> {
        let Ok(actor) = self.actor() else {
            return Vec::new();
        };
        let offset = store_offset(*self);
        let settings = self.store().map(|s| s.settings).unwrap_or_default();
        let now = Utc::now();
        let next = month.checked_add_months(Months::new(1)).unwrap_or(month);
        let records = self.all_service_records();
        let feedback = self.all_feedback();
        let follow_ups = self.follow_ups();
        let tasks = self.service_tasks();
        let checks = self.checks_done();
        let complaints = allowed(actor.role, Action::ComplaintRead, Sensitivity::Ordinary)
            .then(|| self.complaints(now));
        // Each visit of the month that has a service record, with its steps' state now.
        let visits = self
            .appointments_between(month, next)
            .into_iter()
            .filter_map(|visit| {
                let record = records
                    .iter()
                    .rev()
                    .find(|r| r.appointment_id == Some(visit.appointment.id))?;
                let answer = feedback
                    .iter()
                    .find(|f| f.appointment_id == Some(visit.appointment.id));
                let calls = follow_ups
                    .iter()
                    .filter(|f| f.record_id == Some(record.id))
                    .cloned()
                    .collect::<Vec<_>>();
                let facts = FlowFacts::gather(&visit, Some(record), answer, &calls);
                let ended = matches!(
                    visit.status.status,
                    AppointmentStatus::Cancelled | AppointmentStatus::NoShow
                );
                Some((
                    record.id,
                    flow_status(&facts, &settings.flow_limits, ended, now),
                ))
            })
            .collect::<Vec<_>>();
        let inputs = Records {
            feedback: &feedback,
            records: &records,
            visits: &visits,
            follow_ups: &follow_ups,
            complaints: complaints.as_deref(),
            tasks: &tasks,
            checks: &checks,
        };
        let mut cards = self
            .staff()
            .into_iter()
            .filter(|person| scorecard::may_read(actor.role, Some(actor.staff_id), person.id))
            .map(|person| {
                let card = scorecard::scorecard(
                    person.id,
                    month,
                    offset,
                    now,
                    settings.low_rating_threshold,
                    settings.scorecard_weights,
                    inputs,
                );
                (person, card)
            })
            .filter(|(person, card)| person.active || card.total.is_some())
            .collect::<Vec<_>>();
        cards.sort_by(|(a, _), (b, _)| {
            (a.id != actor.staff_id, a.name.as_str())
                .cmp(&(b.id != actor.staff_id, b.name.as_str()))
        });
        cards
    }
}
