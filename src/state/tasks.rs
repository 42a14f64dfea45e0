//! Reads and writes of service tasks (服务任务) for the Tasks page, Today and the customer's file:
//! the store's tasks, the active person's tasks due by the end of today (the core's `todo_of`, in
//! the store's time zone), and the writes — a task assigned, marked done, cancelled — each one
//! change the core checks on this device and again on the server.
use chrono::{Duration, NaiveDate, NaiveTime, Utc};
use orchid_core::ids::{CustomerId, ServiceTaskId, StaffId};
use orchid_core::service_task::{self, ServiceTask, ServiceTaskField, TaskKind, TaskStatus};
use orchid_core::staff::Staff;
use orchid_core::sync::Change;
use orchid_core::text::{Label, Note};
use orchid_core::time::Timestamp;

use super::StoreHandle;
use super::store::{new_id, store_offset};
use crate::storage::repo::StoreError;

/// A task to assign, as the form gives it.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskDraft {
    /// Kind.
    pub kind: TaskKind,
    /// What to do.
    pub title: Label,
    /// Details.
    pub note: Note,
    /// Who does it.
    pub assignee: StaffId,
    /// Deadline.
    pub due: Timestamp,
    /// The customer it is about.
    pub customer: Option<CustomerId>,
}

impl StoreHandle {
    /// The store's tasks, by deadline.
    pub fn service_tasks(&self) -> Vec<ServiceTask> {
        self.with_view(|v, s| v.service_tasks(s))
            .unwrap_or_default()
    }

    /// The tasks about a customer, by deadline.
    pub fn service_tasks_of(&self, customer: CustomerId) -> Vec<ServiceTask> {
        let mut list = self.service_tasks();
        list.retain(|t| t.customer_id == Some(customer));
        list
    }

    /// The end of today in the store's time zone (tasks due by then are today's).
    pub fn end_of_store_day(&self) -> Timestamp {
        let offset = store_offset(*self);
        let today = offset.local_date(Utc::now());
        let next = today.succ_opt().unwrap_or(today);
        offset.to_utc(next.and_time(NaiveTime::MIN)) - Duration::seconds(1)
    }

    /// The active person's open tasks due today or earlier, deadline first.
    pub fn my_tasks_today(&self) -> Vec<ServiceTask> {
        let Ok(actor) = self.actor() else {
            return Vec::new();
        };
        let all = self.service_tasks();
        service_task::todo_of(&all, actor.staff_id, self.end_of_store_day())
            .into_iter()
            .cloned()
            .collect()
    }

    /// The active person's open tasks due after today.
    pub fn my_tasks_later(&self) -> Vec<ServiceTask> {
        let Ok(actor) = self.actor() else {
            return Vec::new();
        };
        let end = self.end_of_store_day();
        self.service_tasks()
            .into_iter()
            .filter(|t| {
                t.assignee == Some(actor.staff_id) && t.status == TaskStatus::Open && t.due > end
            })
            .collect()
    }

    /// Assigns a new task as the active person; returns its id.
    pub async fn assign_task(&self, draft: TaskDraft) -> Result<ServiceTaskId, StoreError> {
        let actor = self.actor()?;
        let id = new_id();
        let fields = vec![
            ServiceTaskField::Kind(draft.kind),
            ServiceTaskField::Title(draft.title),
            ServiceTaskField::Note(draft.note),
            ServiceTaskField::Assignee(Some(draft.assignee)),
            ServiceTaskField::AssignedBy(Some(actor.staff_id)),
            ServiceTaskField::Due(draft.due),
            ServiceTaskField::CustomerId(draft.customer),
            ServiceTaskField::Status(TaskStatus::Open),
        ];
        self.mutate(Change::ServiceTaskUpsert { id, fields })
            .await?;
        Ok(id)
    }

    /// Marks a task done now, as the active person (the core refuses it unless she is its
    /// assignee or one who assigns tasks).
    pub async fn mark_task_done(&self, id: ServiceTaskId) -> Result<(), StoreError> {
        let actor = self.actor()?;
        self.mutate(Change::ServiceTaskUpsert {
            id,
            fields: ServiceTask::done_fields(actor.staff_id, Utc::now()),
        })
        .await
        .map(|_| ())
    }

    /// The people a task may be given to: the store's active staff, by name.
    pub fn task_assignees(&self) -> Vec<Staff> {
        let mut list: Vec<Staff> = self.staff().into_iter().filter(|s| s.active).collect();
        list.sort_by(|a, b| a.name.as_str().cmp(b.name.as_str()));
        list
    }

    /// Gives an open task to someone else or moves its deadline (seed 004: the superior hands
    /// out and rearranges the butler's work). Only the fields that changed are written, so an
    /// assignee marking it done meanwhile on another device is kept.
    pub async fn change_task(
        &self,
        id: ServiceTaskId,
        assignee: Option<StaffId>,
        due: Option<Timestamp>,
    ) -> Result<(), StoreError> {
        let mut fields = Vec::new();
        if let Some(person) = assignee {
            fields.push(ServiceTaskField::Assignee(Some(person)));
        }
        if let Some(at) = due {
            fields.push(ServiceTaskField::Due(at));
        }
        if fields.is_empty() {
            return Ok(());
        }
        self.mutate(Change::ServiceTaskUpsert { id, fields })
            .await
            .map(|_| ())
    }

    /// Calls a task off.
    pub async fn cancel_task(&self, id: ServiceTaskId) -> Result<(), StoreError> {
        self.mutate(Change::ServiceTaskUpsert {
            id,
            fields: vec![ServiceTaskField::Status(TaskStatus::Cancelled)],
        })
        .await
        .map(|_| ())
    }
}

/// The deadline of a date and time typed in the store's zone (`2026-12-07`, `18:00`).
pub fn deadline_of(store: StoreHandle, date: &str, time: &str) -> Option<Timestamp> {
    let day = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").ok()?;
    let end_of_day = NaiveTime::from_hms_opt(23, 59, 0).unwrap_or(NaiveTime::MIN);
    let at = NaiveTime::parse_from_str(time.trim(), "%H:%M").unwrap_or(end_of_day);
    Some(store_offset(store).to_utc(day.and_time(at)))
}
