//! Service tasks (服务任务) and the service butler (服务管家), seed 004: a manager or the
//! customer-service supervisor hands a person a task with a deadline — a care call, organising a
//! customer activity, telling customers of a notice, coordinating a service — and the person
//! marks it done; a task done after its deadline, or still open past it, is late (the butler's
//! monthly assessment counts task timeliness).

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::error::ValidationError;
use crate::ids::{CustomerId, ServiceTaskId, StaffId, StoreId};
use crate::permission::{self, Action, Sensitivity};
use crate::record::record_fields;
use crate::role::Role;
use crate::sync::Actor;
use crate::text::{Label, Note};
use crate::time::Timestamp;

/// What the task is (seed 004's duties).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    /// 回访: call a customer to ask how she is.
    CareCall,
    /// 组织客户活动: organise a customer activity.
    CustomerActivity,
    /// 传达通知: tell customers of a notice of the store.
    Notice,
    /// 服务协调: coordinate a service with the people it needs.
    Coordination,
    /// 上级交办的其他工作: anything else.
    Other,
}

impl TaskKind {
    /// Every kind, in the order a form offers them.
    pub const ALL: [TaskKind; 5] = [
        TaskKind::CareCall,
        TaskKind::CustomerActivity,
        TaskKind::Notice,
        TaskKind::Coordination,
        TaskKind::Other,
    ];
}

/// Where a task stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// To do.
    #[default]
    Open,
    /// Done (when and by whom are on the task).
    Done,
    /// Called off by whoever assigns tasks.
    Cancelled,
}

/// A service task.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceTask {
    /// Id.
    pub id: ServiceTaskId,
    /// Store.
    pub store_id: StoreId,
    /// What kind of task.
    pub kind: TaskKind,
    /// What to do, in a line.
    pub title: Label,
    /// More about it.
    pub note: Note,
    /// Who does it.
    pub assignee: Option<StaffId>,
    /// Who assigned it (the signed-in person who wrote the task).
    pub assigned_by: Option<StaffId>,
    /// The deadline.
    pub due: Timestamp,
    /// The customer it is about, if any.
    pub customer_id: Option<CustomerId>,
    /// Where it stands.
    pub status: TaskStatus,
    /// When it was done.
    pub done_at: Option<Timestamp>,
    /// Who marked it done (the signed-in person).
    pub done_by: Option<StaffId>,
}

impl ServiceTask {
    /// A blank record to materialize fields onto.
    pub fn blank(id: ServiceTaskId, store_id: StoreId) -> Self {
        Self {
            id,
            store_id,
            kind: TaskKind::Other,
            title: Label::placeholder(),
            note: Note::default(),
            assignee: None,
            assigned_by: None,
            due: Timestamp::UNIX_EPOCH,
            customer_id: None,
            status: TaskStatus::Open,
            done_at: None,
            done_by: None,
        }
    }
    /// Late at `now`: open past its deadline, or done after it. A cancelled task is never late.
    pub fn is_late(&self, now: Timestamp) -> bool {
        match self.status {
            TaskStatus::Open => now > self.due,
            TaskStatus::Done => self.done_at.is_some_and(|at| at > self.due),
            TaskStatus::Cancelled => false,
        }
    }
    /// Open and past its deadline at `now`.
    pub fn is_overdue(&self, now: Timestamp) -> bool {
        self.status == TaskStatus::Open && now > self.due
    }
    /// May `actor` mark this task done (or open again)? The person it is assigned to, or whoever
    /// may assign tasks.
    pub fn may_mark_done(&self, actor: &Actor) -> bool {
        self.assignee == Some(actor.staff_id) || may_assign(actor.role)
    }
    /// The fields that mark the task done by `by` at `at`.
    pub fn done_fields(by: StaffId, at: Timestamp) -> Vec<ServiceTaskField> {
        vec![
            ServiceTaskField::Status(TaskStatus::Done),
            ServiceTaskField::DoneAt(Some(at)),
            ServiceTaskField::DoneBy(Some(by)),
        ]
    }
}

/// May `role` assign, change and cancel tasks? (Seed 004: the butler's superior hands out tasks.)
pub fn may_assign(role: Role) -> bool {
    permission::allowed(role, Action::TaskAssign, Sensitivity::Ordinary)
}

record_fields! {
    /// The editable fields of a [`ServiceTask`].
    pub enum ServiceTaskField for ServiceTask [checked] {
        /// Kind.
        Kind(TaskKind) => kind, Ordinary, Keep;
        /// Title: may name the customer, so erased with her.
        Title(Label) => title, Ordinary, Erase;
        /// Note.
        Note(Note) => note, Ordinary, Erase;
        /// Assignee (staff, not the customer's data).
        Assignee(Option<StaffId>) => assignee, Ordinary, Keep;
        /// Who assigned it.
        AssignedBy(Option<StaffId>) => assigned_by, Ordinary, Keep;
        /// Deadline.
        Due(Timestamp) => due, Ordinary, Keep;
        /// Customer.
        CustomerId(Option<CustomerId>) => customer_id, Ordinary, Keep;
        /// Status.
        Status(TaskStatus) => status, Ordinary, Keep;
        /// Done at.
        DoneAt(Option<Timestamp>) => done_at, Ordinary, Keep;
        /// Done by.
        DoneBy(Option<StaffId>) => done_by, Ordinary, Keep;
    }
}

impl ServiceTaskField {
    fn check_field(&self) -> Result<(), ValidationError> {
        match self {
            Self::Assignee(None) => Err(TaskError::AssigneeMissing.into()),
            _ => Ok(()),
        }
    }
    /// A field the person doing the task writes (marking it done or open again); every other
    /// field is the assigner's.
    pub fn is_work(&self) -> bool {
        matches!(
            self,
            Self::Status(TaskStatus::Open | TaskStatus::Done) | Self::DoneAt(_) | Self::DoneBy(_)
        )
    }
}

/// What the permission a change to a task needs: marking done needs only to work on tasks (and,
/// checked against the task, to be its assignee: [`ServiceTask::may_mark_done`]); anything else
/// is assigning.
pub fn required_action(fields: &[ServiceTaskField]) -> Action {
    if !fields.is_empty() && fields.iter().all(ServiceTaskField::is_work) {
        Action::TaskWork
    } else {
        Action::TaskAssign
    }
}

/// Why a task change was refused.
#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "code")]
pub enum TaskError {
    /// A task is given to someone.
    #[serde(rename = "task.assignee_missing")]
    #[error("a task needs a person to do it")]
    AssigneeMissing,
    /// Only the person a task is assigned to (or one who assigns tasks) marks it done.
    #[serde(rename = "task.not_assignee")]
    #[error("only the person a task is assigned to marks it done")]
    NotAssignee,
}

impl TaskError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::AssigneeMissing => "task.assignee_missing",
            Self::NotAssignee => "task.not_assignee",
        }
    }
}

/// Open tasks of `person` due by the end of `day_end` (today's and overdue), deadline first.
pub fn todo_of(tasks: &[ServiceTask], person: StaffId, day_end: Timestamp) -> Vec<&ServiceTask> {
    let mut v: Vec<&ServiceTask> = tasks
        .iter()
        .filter(|t| t.assignee == Some(person))
        .filter(|t| t.status == TaskStatus::Open && t.due <= day_end)
        .collect();
    v.sort_by_key(|t| (t.due, t.id));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> Timestamp {
        chrono::DateTime::from_timestamp(seconds, 0).unwrap_or(Timestamp::UNIX_EPOCH)
    }

    fn task(due: i64) -> ServiceTask {
        let mut t = ServiceTask::blank(ServiceTaskId::from_u128(1), StoreId::from_u128(1));
        t.assignee = Some(StaffId::from_u128(7));
        t.due = at(due);
        t
    }

    fn actor(staff: u128, role: Role) -> Actor {
        Actor {
            staff_id: StaffId::from_u128(staff),
            role,
        }
    }

    #[test]
    fn late_is_open_past_the_deadline_or_done_after_it() {
        let mut t = task(1000);
        assert!(!t.is_late(at(1000)));
        assert!(t.is_late(at(1001)));
        t.status = TaskStatus::Done;
        t.done_at = Some(at(999));
        assert!(!t.is_late(at(5000)));
        t.done_at = Some(at(1001));
        assert!(t.is_late(at(5000)));
        t.status = TaskStatus::Cancelled;
        assert!(!t.is_late(at(5000)));
    }

    #[test]
    fn the_assignee_or_an_assigner_marks_done_and_no_one_else() {
        let t = task(1000);
        assert!(t.may_mark_done(&actor(7, Role::Therapist)));
        assert!(!t.may_mark_done(&actor(8, Role::Therapist)));
        assert!(t.may_mark_done(&actor(8, Role::CustomerServiceSupervisor)));
        assert!(t.may_mark_done(&actor(8, Role::Manager)));
        assert!(!t.may_mark_done(&actor(8, Role::TechnicalSupervisor)));
    }

    #[test]
    fn marking_done_is_work_anything_else_is_assigning() {
        let by = StaffId::from_u128(7);
        let at = at(5);
        assert_eq!(
            required_action(&ServiceTask::done_fields(by, at)),
            Action::TaskWork
        );
        assert_eq!(
            required_action(&[ServiceTaskField::Status(TaskStatus::Cancelled)]),
            Action::TaskAssign
        );
        assert_eq!(
            required_action(&[
                ServiceTaskField::Status(TaskStatus::Done),
                ServiceTaskField::Due(at)
            ]),
            Action::TaskAssign
        );
        assert_eq!(required_action(&[]), Action::TaskAssign);
    }

    #[test]
    fn a_replica_lets_only_her_or_an_assigner_mark_her_task_done() {
        use crate::hlc::Hlc;
        use crate::ids::ClientId;
        use crate::sync::{Change, Mutation, Replica};
        let client = ClientId::from_u128(5);
        let id = ServiceTaskId::from_u128(1);
        let store = StoreId::from_u128(1);
        let write = |n: u64, by: Actor, fields: Vec<ServiceTaskField>| Mutation {
            client_id: client,
            mutation_id: n,
            hlc: Hlc::new(1_000 + n, 0, client),
            actor: by,
            store_id: store,
            change: Change::ServiceTaskUpsert { id, fields },
        };
        let manager = actor(1, Role::Manager);
        let mut replica = Replica::new();
        let assigned = write(
            1,
            manager,
            vec![
                ServiceTaskField::Kind(TaskKind::CareCall),
                ServiceTaskField::Assignee(Some(StaffId::from_u128(7))),
                ServiceTaskField::AssignedBy(Some(manager.staff_id)),
                ServiceTaskField::Due(at(1000)),
            ],
        );
        assert_eq!(assigned.change.validate(&manager), Ok(()));
        assert!(replica.apply(&assigned).is_ok());

        let colleague = actor(8, Role::Therapist);
        let by_colleague = write(
            2,
            colleague,
            ServiceTask::done_fields(colleague.staff_id, at(900)),
        );
        assert_eq!(by_colleague.change.validate(&colleague), Ok(()));
        assert_eq!(
            replica.check_write(&by_colleague),
            Err(TaskError::NotAssignee.into())
        );
        // Nor may she hand it to herself: that is assigning.
        let taken = write(
            3,
            colleague,
            vec![ServiceTaskField::Assignee(Some(colleague.staff_id))],
        );
        assert!(taken.change.validate(&colleague).is_err());

        let her = actor(7, Role::Therapist);
        let by_her = write(4, her, ServiceTask::done_fields(her.staff_id, at(900)));
        assert_eq!(replica.check_write(&by_her), Ok(()));
        // Marking done in someone else's name is refused whoever writes it.
        assert!(by_her.change.validate(&colleague).is_err());
        assert!(replica.apply(&by_her).is_ok());
        let task = replica.service_task(id).unwrap();
        assert_eq!(task.status, TaskStatus::Done);
        assert_eq!(task.done_by, Some(her.staff_id));
        assert!(!task.is_late(at(5000)));
    }

    #[test]
    fn errors_go_over_the_wire_with_their_code() {
        for e in [TaskError::AssigneeMissing, TaskError::NotAssignee] {
            let json = serde_json::to_value(&e).unwrap_or_default();
            assert_eq!(json["code"], e.code());
        }
    }

    #[test]
    fn todo_holds_her_open_tasks_due_by_the_day_end_deadline_first() {
        let mut a = task(2000);
        a.id = ServiceTaskId::from_u128(2);
        let b = task(1000);
        let mut later = task(9000);
        later.id = ServiceTaskId::from_u128(3);
        let mut other = task(500);
        other.id = ServiceTaskId::from_u128(4);
        other.assignee = Some(StaffId::from_u128(8));
        let mut done = task(400);
        done.id = ServiceTaskId::from_u128(5);
        done.status = TaskStatus::Done;
        let all = [a, b, later, other, done];
        let todo = todo_of(&all, StaffId::from_u128(7), at(3000));
        let ids: Vec<_> = todo.iter().map(|t| t.id).collect();
        assert_eq!(
            ids,
            vec![ServiceTaskId::from_u128(1), ServiceTaskId::from_u128(2)]
        );
    }
}
