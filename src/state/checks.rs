//! Reads and writes of internal checks for the Checks page and Today: the store's checklists, the
//! checks due now with the core's `checks_due` in the store's time zone, the corrective actions
//! replayed by the core, and the writes — a check done with one corrective action per failed item
//! in one transaction, an action assigned, closed and verified.
use chrono::{NaiveDate, Utc};
use orchid_core::ids::{CheckTemplateId, CorrectiveActionId, RoomId, StaffId};
use orchid_core::internal_check::{
    self, ActionStatus, CheckError, CheckRecord, CheckTemplate, CheckTemplateField,
    CorrectiveActionView, CorrectiveEvent, CorrectiveEventKind, DueCheck, DueState, ItemResult,
    Outcome,
};
use orchid_core::permission::{self, Sensitivity};
use orchid_core::room::Room;
use orchid_core::sync::Change;
use orchid_core::text::Note;

use super::StoreHandle;
use super::store::{new_id, store_offset};
use crate::storage::repo::StoreError;

/// Today's checks and actions that need someone, for Today's alerts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CheckAlerts {
    /// Checks missed in an earlier period and not yet done in this one.
    pub overdue_checks: Vec<DueCheck>,
    /// Checks to do in this period.
    pub due_checks: Vec<DueCheck>,
    /// Open actions past their deadline.
    pub overdue_actions: Vec<CorrectiveActionView>,
    /// Actions done and waiting for a supervisor's verification.
    pub to_verify: Vec<CorrectiveActionView>,
}

impl StoreHandle {
    /// The store's checklists (the starting set and the store's own), those in use first.
    pub fn check_templates(&self) -> Vec<CheckTemplate> {
        let mut list = self
            .with_view(|v, s| v.check_templates(s))
            .unwrap_or_default();
        list.sort_by_key(|t| !t.active);
        list
    }

    /// One checklist.
    pub fn check_template(&self, id: CheckTemplateId) -> Option<CheckTemplate> {
        self.check_templates().into_iter().find(|t| t.id == id)
    }

    /// The rooms checked one by one: active rooms and suites (a bed is checked with its room).
    pub fn checked_rooms(&self) -> Vec<Room> {
        let mut rooms: Vec<Room> = self
            .rooms()
            .into_iter()
            .filter(|r| r.active && r.parent.is_none())
            .collect();
        rooms.sort_by(|a, b| a.name.as_str().cmp(b.name.as_str()));
        rooms
    }

    /// Every check done, newest first.
    pub fn checks_done(&self) -> Vec<CheckRecord> {
        let mut list = self.with_view(|v, s| v.checks_done(s)).unwrap_or_default();
        list.reverse();
        list
    }

    /// Where each scheduled check stands now (the core's `checks_due`).
    pub fn checks_due(&self) -> Vec<DueCheck> {
        let rooms: Vec<RoomId> = self.checked_rooms().iter().map(|r| r.id).collect();
        let done = self.with_view(|v, s| v.checks_done(s)).unwrap_or_default();
        internal_check::checks_due(
            &self.check_templates(),
            &rooms,
            &done,
            store_offset(*self),
            Utc::now(),
        )
    }

    /// Every corrective action: open ones first (by deadline), then those to verify, then closed.
    pub fn corrective_actions(&self) -> Vec<CorrectiveActionView> {
        let mut list = self
            .with_view(|v, s| v.corrective_actions(s))
            .unwrap_or_default();
        list.sort_by_key(|a| {
            (
                a.status,
                a.deadline.is_none(),
                a.deadline,
                std::cmp::Reverse(a.raised_at),
            )
        });
        list
    }

    /// The checks not yet done in this period that the active person's role does (a therapist's
    /// list holds her rooms' hygiene checks, not the supervisors' spot checks).
    pub fn checks_to_do(&self) -> Vec<DueCheck> {
        let role = self.role();
        let templates = self.check_templates();
        let rooms = self.checked_rooms();
        let position = |d: &DueCheck| {
            (
                !matches!(d.state, DueState::Overdue { .. }),
                templates.iter().position(|t| t.id == d.template_id),
                d.room_id
                    .and_then(|r| rooms.iter().position(|room| room.id == r)),
            )
        };
        // Missed ones first, then in the order of the checklists and of the rooms.
        let mut list: Vec<DueCheck> = self
            .checks_due()
            .into_iter()
            .filter(|d| d.state != DueState::Done)
            .filter(|d| {
                templates.iter().any(|t| {
                    t.id == d.template_id
                        && permission::allowed(role, t.kind.action(), Sensitivity::Ordinary)
                })
            })
            .collect();
        list.sort_by_key(position);
        list
    }

    /// What Today tells of checks.
    pub fn check_alerts(&self) -> CheckAlerts {
        let today = self.store_today();
        let (overdue_checks, due_checks) = self
            .checks_to_do()
            .into_iter()
            .partition(|d| matches!(d.state, DueState::Overdue { .. }));
        let actions = self.corrective_actions();
        CheckAlerts {
            overdue_checks,
            due_checks,
            overdue_actions: actions
                .iter()
                .filter(|a| a.is_overdue(today))
                .cloned()
                .collect(),
            to_verify: actions
                .into_iter()
                .filter(|a| a.status == ActionStatus::Done)
                .collect(),
        }
    }

    /// Records a check done by the active person on this device, and a corrective action for
    /// each failed item, in one transaction.
    pub async fn record_check(
        &self,
        template: &CheckTemplate,
        room_id: Option<RoomId>,
        subject: Option<StaffId>,
        answers: Vec<(u16, Outcome, Note)>,
    ) -> Result<(), StoreError> {
        let actor = self.actor()?;
        let device = self.client_id().ok_or(StoreError::NotReady)?;
        let now = Utc::now();
        let results: Vec<ItemResult> = answers
            .into_iter()
            .filter_map(|(item, outcome, note)| {
                template.item(item).map(|i| ItemResult {
                    item,
                    text: i.text.clone(),
                    outcome,
                    note,
                    conduct: i.conduct,
                })
            })
            .collect();
        if results.len() != template.items.len() {
            return Err(rejected(CheckError::Unanswered));
        }
        let record = CheckRecord {
            id: new_id(),
            store_id: template.store_id,
            template_id: template.id,
            kind: template.kind,
            room_id,
            by: actor.staff_id,
            at: now,
            device,
            results,
            subject,
        };
        record.validate().map_err(rejected)?;
        let mut changes: Vec<Change> = record
            .failed()
            .map(|r| {
                Change::CorrectiveEvent(CorrectiveEvent {
                    id: new_id(),
                    action_id: new_id(),
                    by: actor.staff_id,
                    role: actor.role,
                    at: now,
                    kind: CorrectiveEventKind::Raised {
                        check_id: record.id,
                        template_id: template.id,
                        room_id,
                        item: r.item,
                        text: r.text.clone(),
                        note: r.note.clone(),
                    },
                })
            })
            .collect();
        changes.insert(0, Change::CheckRecord(record));
        self.mutate_all(changes).await.map(|_| ())
    }

    /// Writes one event of a corrective action as the active person.
    async fn corrective_event(
        &self,
        action_id: CorrectiveActionId,
        kind: CorrectiveEventKind,
    ) -> Result<(), StoreError> {
        let actor = self.actor()?;
        self.mutate(Change::CorrectiveEvent(CorrectiveEvent {
            id: new_id(),
            action_id,
            by: actor.staff_id,
            role: actor.role,
            at: Utc::now(),
            kind,
        }))
        .await
        .map(|_| ())
    }

    /// Gives an action to a responsible person, with a deadline.
    pub async fn assign_action(
        &self,
        action_id: CorrectiveActionId,
        responsible: StaffId,
        deadline: NaiveDate,
    ) -> Result<(), StoreError> {
        self.corrective_event(
            action_id,
            CorrectiveEventKind::Assigned {
                responsible,
                deadline,
            },
        )
        .await
    }

    /// Closes an action with what was done.
    pub async fn close_action(
        &self,
        action_id: CorrectiveActionId,
        what: Note,
    ) -> Result<(), StoreError> {
        self.corrective_event(action_id, CorrectiveEventKind::Done { what })
            .await
    }

    /// Verifies an action done, as the active person (the core's rule: done, and not by her).
    pub async fn verify_action(&self, action: &CorrectiveActionView) -> Result<(), StoreError> {
        let actor = self.actor()?;
        let done_by = action.check_verify(actor.staff_id).map_err(rejected)?;
        self.corrective_event(action.id, CorrectiveEventKind::Verified { done_by })
            .await
    }

    /// Writes the fields of a checklist that changed (`id` none: a new one); returns its id.
    pub async fn save_check_template(
        &self,
        id: Option<CheckTemplateId>,
        fields: Vec<CheckTemplateField>,
    ) -> Result<CheckTemplateId, StoreError> {
        let id = id.unwrap_or_else(new_id);
        self.mutate(Change::CheckTemplateUpsert { id, fields })
            .await?;
        Ok(id)
    }
}

/// A core refusal as the store's error, so pages show it like any other.
fn rejected(e: CheckError) -> StoreError {
    let error = orchid_core::ValidationError::from(e);
    StoreError::Rejected {
        code: error.code(),
        error: Box::new(error),
    }
}
