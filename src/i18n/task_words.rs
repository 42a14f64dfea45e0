//! The words of service tasks and the service butler (服务管家, seed 004): the Tasks page, Today's
//! overdue tasks, the butler on the customer's file and form, and the kiosk's butler question.
//!
//! Both languages sit side by side in one exhaustive `match`, so a word without its translation
//! does not compile; the area keeps its own catalogue so it grows without touching [`super::Msg`].
use orchid_core::service_task::{TaskKind, TaskStatus};

use super::Lang;

word_catalogue! {
    TaskWord;
    Title => ("服务任务", "Service tasks"),
    Intro => (
        "回访、客户活动、通知传达、服务协调：店长和客服主管指派，负责人按时完成并标记。离线也能标记完成，联网后自动同步。",
        "Care calls, customer activities, notices to pass on, services to coordinate: the manager and the customer-service supervisor assign them, the person they are given to does them in time and marks them done. Marking done works offline and is sent when the network is back."
    ),
    MyTitle => ("我的任务：今天与逾期", "My tasks: today and overdue"),
    MyNone => ("今天没有待完成的任务。", "No task is waiting for you today."),
    LaterTitle => ("我以后的任务", "My later tasks"),
    AssignTitle => ("指派任务", "Assign a task"),
    AllTitle => ("全部任务", "All tasks"),
    AllNone => ("还没有任务。", "No task yet."),
    ShowClosed => ("显示已完成和已取消的", "Show done and cancelled"),
    Kind => ("类型", "Kind"),
    KindCareCall => ("回访关怀", "Care call"),
    KindCustomerActivity => ("组织客户活动", "Customer activity"),
    KindNotice => ("传达通知", "Notice to customers"),
    KindCoordination => ("服务协调", "Coordinating a service"),
    KindOther => ("其他", "Other"),
    TaskTitle => ("任务内容", "What to do"),
    TaskNote => ("说明（选填）", "Details (optional)"),
    Assignee => ("负责人", "Assigned to"),
    ChooseAssignee => ("请选择负责人", "Choose a person"),
    Deadline => ("截止时间", "Deadline"),
    Customer => ("顾客（选填）", "Customer (optional)"),
    NoCustomer => ("不涉及顾客", "No customer"),
    Assign => ("指派", "Assign"),
    Assigned => ("任务已指派。", "The task is assigned."),
    SayWhat => ("请写明任务内容。", "Say what the task is."),
    ChooseDeadline => ("请选择截止时间。", "Choose a deadline."),
    MarkDone => ("标记完成", "Mark as done"),
    CancelTask => ("取消任务", "Cancel the task"),
    Change => ("改派或改期限", "Reassign or move the deadline"),
    SaveChange => ("保存修改", "Save the change"),
    StatusOpen => ("待完成", "Open"),
    StatusDone => ("已完成", "Done"),
    StatusCancelled => ("已取消", "Cancelled"),
    Overdue => ("已逾期", "Overdue"),
    DoneLate => ("逾期完成", "Done late"),
    DueToday => ("今天截止", "Due today"),
    AssignedBy => ("指派人", "Assigned by"),
    DoneBy => ("完成人", "Done by"),
    TodayTitle => ("我的逾期任务", "My overdue tasks"),
    TodayLink => ("服务任务", "Service tasks"),
    Butler => ("服务管家", "Service butler"),
    NoButler => ("未指定", "None"),
    AssignHer => ("为她指派任务", "Assign a task about her"),
    KioskButler => ("您对服务管家的评价（选填）：", "Your service butler (optional): "),
}

/// The word of a task's kind.
pub fn kind_word(kind: TaskKind) -> TaskWord {
    match kind {
        TaskKind::CareCall => TaskWord::KindCareCall,
        TaskKind::CustomerActivity => TaskWord::KindCustomerActivity,
        TaskKind::Notice => TaskWord::KindNotice,
        TaskKind::Coordination => TaskWord::KindCoordination,
        TaskKind::Other => TaskWord::KindOther,
    }
}

/// The word of a task's status.
pub fn status_word(status: TaskStatus) -> TaskWord {
    match status {
        TaskStatus::Open => TaskWord::StatusOpen,
        TaskStatus::Done => TaskWord::StatusDone,
        TaskStatus::Cancelled => TaskWord::StatusCancelled,
    }
}

/// The stable code of a kind (form values and test ids).
pub fn kind_code(kind: TaskKind) -> &'static str {
    match kind {
        TaskKind::CareCall => "care_call",
        TaskKind::CustomerActivity => "customer_activity",
        TaskKind::Notice => "notice",
        TaskKind::Coordination => "coordination",
        TaskKind::Other => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_code_and_words() {
        let mut codes: Vec<&str> = TaskKind::ALL.iter().map(|k| kind_code(*k)).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), TaskKind::ALL.len());
        for k in TaskKind::ALL {
            assert_ne!(kind_word(k).text(Lang::Zh), kind_word(k).text(Lang::En));
        }
    }
}
