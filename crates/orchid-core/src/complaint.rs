//! Complaints (投诉处理), after the seeds' complaint policy: intake from every channel, triage by nature and
//! severity (一般/较大/重大), routing to the responsible role, deadlines (critical: respond within 1 h;
//! major: feedback within 48 h; general: contact with a first proposal within 24 h), investigation linked to
//! the service record, staff and product batch, several solution options, the customer's choice and
//! confirmation, reopening on appeal, closing and archiving into the case library.
//!
//! A complaint is an **append-only event log**. Its state is computed from the log at `now` by
//! [`ComplaintView::compute`], which sorts the events first: the result is the same whatever order the
//! events arrived in.

use chrono::Duration;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::catalog::Money;
use crate::followup::{self, FollowUp, FollowUpChannel, FollowUpPurpose, FollowUpStatus};
use crate::ids::{
    AppointmentId, BatchId, ComplaintEventId, ComplaintId, CustomerId, FeedbackId, FollowUpId,
    ServiceRecordId, StaffId,
};
use crate::permission::{self, Action, Sensitivity};
use crate::role::Role;
use crate::store::Store;
use crate::text::{Label, Name, Note, Tag};
use crate::time::Timestamp;

/// Refused complaint events. `code()` is stable and meant for translation.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "code")]
pub enum ComplaintError {
    /// The intake has no description of what happened.
    #[serde(rename = "complaint.description_required")]
    #[error("describe what happened")]
    DescriptionRequired,
    /// A satisfaction score outside 1–5.
    #[serde(rename = "complaint.satisfaction_out_of_range")]
    #[error("satisfaction {value} is outside 1–5")]
    SatisfactionOutOfRange {
        /// The score given.
        value: u8,
    },
    /// Solution options missing or with repeated keys.
    #[serde(rename = "complaint.bad_options")]
    #[error("offer at least one solution, each with its own number")]
    BadOptions,
    /// The customer chose an option that was not offered.
    #[serde(rename = "complaint.unknown_option")]
    #[error("option {option} was not offered")]
    UnknownOption {
        /// The option chosen.
        option: u8,
    },
    /// Assigned to a role that cannot handle complaints.
    #[serde(rename = "complaint.assignee_cannot_handle")]
    #[error("a {role} cannot handle complaints")]
    AssigneeCannotHandle {
        /// The role.
        role: Role,
    },
    /// The role may not do this to a complaint.
    #[serde(rename = "complaint.role_not_allowed")]
    #[error("a {role} may not do this to a complaint")]
    RoleNotAllowed {
        /// The role.
        role: Role,
    },
    /// A second intake for the same complaint.
    #[serde(rename = "complaint.already_received")]
    #[error("the complaint was already received")]
    AlreadyReceived,
    /// The complaint is closed: reopen it first.
    #[serde(rename = "complaint.closed")]
    #[error("the complaint is closed")]
    Closed,
    /// The step needs an earlier one (e.g. confirm needs a resolution; archive needs closing).
    #[serde(rename = "complaint.out_of_order")]
    #[error("{step} is not possible while the complaint is {status:?}")]
    OutOfOrder {
        /// The step attempted.
        step: String,
        /// The status at that point.
        status: ComplaintStatus,
    },
    /// Closing before the customer confirmed needs the store manager.
    #[serde(rename = "complaint.not_confirmed")]
    #[error(
        "the customer has not confirmed the solution; only the store manager may close it anyway"
    )]
    NotConfirmed,
}

impl ComplaintError {
    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::DescriptionRequired => "complaint.description_required",
            Self::SatisfactionOutOfRange { .. } => "complaint.satisfaction_out_of_range",
            Self::BadOptions => "complaint.bad_options",
            Self::UnknownOption { .. } => "complaint.unknown_option",
            Self::AssigneeCannotHandle { .. } => "complaint.assignee_cannot_handle",
            Self::RoleNotAllowed { .. } => "complaint.role_not_allowed",
            Self::AlreadyReceived => "complaint.already_received",
            Self::Closed => "complaint.closed",
            Self::OutOfOrder { .. } => "complaint.out_of_order",
            Self::NotConfirmed => "complaint.not_confirmed",
        }
    }
}

/// How the complaint came in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComplaintChannel {
    /// 店内投诉箱.
    SuggestionBox,
    /// 客服电话.
    Phone,
    /// 在线客服平台 / website.
    Online,
    /// 微信.
    Wechat,
    /// 电子邮件.
    Email,
    /// In person at the store.
    InPerson,
    /// Raised from a low feedback score.
    Feedback,
    /// Other.
    Other,
}

/// The nature of a complaint (投诉性质).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComplaintNature {
    /// 服务态度.
    ServiceAttitude,
    /// 技术问题.
    Technical,
    /// 费用纠纷.
    FeeDispute,
    /// 产品问题.
    Product,
    /// 环境卫生.
    Environment,
    /// 其他.
    Other,
}

impl ComplaintNature {
    /// Every nature.
    pub const ALL: [ComplaintNature; 6] = [
        Self::ServiceAttitude,
        Self::Technical,
        Self::FeeDispute,
        Self::Product,
        Self::Environment,
        Self::Other,
    ];
}

/// Severity (严重程度).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// 一般: contact the customer with a first proposal within 24 hours.
    #[default]
    General,
    /// 较大: give the customer feedback within 48 hours; the complaint team discusses the solution.
    Major,
    /// 重大: start the emergency response and tell the customer within 1 hour; the store manager decides.
    Critical,
}

impl Severity {
    /// Every severity.
    pub const ALL: [Severity; 3] = [Self::General, Self::Major, Self::Critical];
    /// The time allowed for the first response.
    pub fn response_limit(self) -> Duration {
        match self {
            Self::General => Duration::hours(24),
            Self::Major => Duration::hours(48),
            Self::Critical => Duration::hours(1),
        }
    }
}

/// The role responsible for a complaint: critical → store manager; service attitude → customer service;
/// technical → technical supervisor; fee dispute → finance supervisor; the rest as the store configures.
pub fn route(nature: ComplaintNature, severity: Severity, store: &Store) -> Role {
    if severity == Severity::Critical {
        return Role::Manager;
    }
    let r = &store.settings.complaint_routing;
    match nature {
        ComplaintNature::ServiceAttitude => Role::CustomerServiceSupervisor,
        ComplaintNature::Technical => Role::TechnicalSupervisor,
        ComplaintNature::FeeDispute => Role::FinanceSupervisor,
        ComplaintNature::Product => r.product,
        ComplaintNature::Environment => r.environment,
        ComplaintNature::Other => r.other,
    }
}

/// The triage the intake text suggests (the person decides): a nature when a word points to one,
/// and a severity — critical for bodily harm or a threat to go public or to the authorities, major
/// for a demand of money back or a repeated problem, general otherwise. Keywords in Chinese and
/// English, matched case-insensitively; the first nature whose words appear wins.
pub fn suggest(text: &str) -> (Option<ComplaintNature>, Severity) {
    const NATURE_WORDS: [(ComplaintNature, &[&str]); 5] = [
        (
            ComplaintNature::Product,
            &["批次", "过期", "产品", "batch", "expired", "product"],
        ),
        (
            ComplaintNature::Technical,
            &[
                "过敏",
                "红肿",
                "刺痛",
                "灼伤",
                "烫伤",
                "起泡",
                "手法",
                "效果",
                "发红",
                "allerg",
                "rash",
                "burn",
                "sting",
                "blister",
                "technique",
                "redness",
            ],
        ),
        (
            ComplaintNature::FeeDispute,
            &[
                "退款",
                "收费",
                "扣费",
                "价格",
                "多收",
                "套餐",
                "refund",
                "charge",
                "price",
                "overcharg",
                "bill",
            ],
        ),
        (
            ComplaintNature::ServiceAttitude,
            &[
                "态度",
                "不耐烦",
                "推销",
                "冷淡",
                "rude",
                "attitude",
                "impolite",
                "pushy",
            ],
        ),
        (
            ComplaintNature::Environment,
            &[
                "卫生", "脏", "异味", "噪音", "dirty", "hygiene", "smell", "noise",
            ],
        ),
    ];
    const CRITICAL: &[&str] = &[
        "灼伤", "烫伤", "起泡", "医院", "就医", "毁容", "媒体", "曝光", "12315", "律师", "报警",
        "burn", "blister", "hospital", "doctor", "lawyer", "police", "media",
    ];
    const MAJOR: &[&str] = &[
        "退款",
        "赔偿",
        "再次",
        "又一次",
        "多次",
        "过敏",
        "refund",
        "compensat",
        "again",
        "allerg",
    ];
    let lower = text.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    let nature = NATURE_WORDS
        .iter()
        .find(|(_, words)| has(words))
        .map(|(n, _)| *n);
    let severity = if has(CRITICAL) {
        Severity::Critical
    } else if has(MAJOR) {
        Severity::Major
    } else {
        Severity::General
    };
    (nature, severity)
}

/// Who to escalate to when the responsible role misses a deadline.
pub fn escalation_target(responsible: Role) -> Role {
    if responsible.is_management() {
        Role::Owner
    } else {
        Role::Manager
    }
}

/// Records a complaint points to, for the investigation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct ComplaintLinks {
    /// The visit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appointment_id: Option<AppointmentId>,
    /// The service record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_record_id: Option<ServiceRecordId>,
    /// Staff involved.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub staff_ids: Vec<StaffId>,
    /// Product batches involved.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub batch_ids: Vec<BatchId>,
    /// The feedback that raised it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feedback_id: Option<FeedbackId>,
}

impl ComplaintLinks {
    fn merge(&mut self, other: &ComplaintLinks) {
        self.appointment_id = self.appointment_id.or(other.appointment_id);
        self.service_record_id = self.service_record_id.or(other.service_record_id);
        self.feedback_id = self.feedback_id.or(other.feedback_id);
        for s in &other.staff_ids {
            if !self.staff_ids.contains(s) {
                self.staff_ids.push(*s);
            }
        }
        for b in &other.batch_ids {
            if !self.batch_ids.contains(b) {
                self.batch_ids.push(*b);
            }
        }
    }
}

/// One solution offered to the customer (多种方案选择).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SolutionOption {
    /// Its number, unique within the proposal.
    pub option: u8,
    /// What the store will do.
    pub description: Label,
    /// Money back or credit, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compensation: Option<Money>,
}

/// How staff reached the customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactChannel {
    /// Phone call.
    Phone,
    /// SMS.
    Sms,
    /// WeChat.
    Wechat,
    /// E-mail.
    Email,
    /// In person.
    InPerson,
}

/// Root causes, for statistics and prevention (预防为主).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RootCause {
    /// Staff attitude.
    Attitude,
    /// Technique / skill.
    Skill,
    /// The process was not followed.
    Process,
    /// Product quality or reaction.
    ProductQuality,
    /// Prices, packages, billing.
    Pricing,
    /// Miscommunication, expectations not set.
    Communication,
    /// Environment, hygiene, facilities.
    Environment,
    /// No fault found.
    NoFault,
    /// Other.
    Other,
}

/// What happened in one event of a complaint's log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ComplaintEventKind {
    /// Intake (投诉接收): who, when, what, the expected solution.
    Received {
        /// Channel.
        channel: ComplaintChannel,
        /// The customer, if on file.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        customer_id: Option<CustomerId>,
        /// The customer's name, if not on file.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        customer_name: Option<Name>,
        /// How to reach them, if not on file.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        contact: Option<Label>,
        /// When the incident happened.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        occurred_at: Option<Timestamp>,
        /// What happened.
        description: Note,
        /// What the customer expects.
        #[serde(default)]
        expected_solution: Note,
        /// Nature, if clear at intake.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        nature: Option<ComplaintNature>,
        /// Severity, if clear at intake (otherwise general until triaged).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        severity: Option<Severity>,
        /// Linked records.
        #[serde(default)]
        links: ComplaintLinks,
    },
    /// The human-readable number, assigned by the server.
    NumberAssigned {
        /// E.g. `TS-2025-0042`.
        number: String,
    },
    /// Triage (投诉评估): nature and severity.
    Triaged {
        /// Nature.
        nature: ComplaintNature,
        /// Severity.
        severity: Severity,
        /// Note.
        #[serde(default)]
        note: Note,
    },
    /// Assignment to a handler (投诉分配).
    Assigned {
        /// The handler.
        to: StaffId,
        /// The handler's role.
        role: Role,
        /// Why (a re-assignment says why the case moves).
        #[serde(default, skip_serializing_if = "Note::is_empty")]
        reason: Note,
    },
    /// The emergency response was started (critical complaints).
    EmergencyResponseStarted {
        /// Note.
        #[serde(default)]
        note: Note,
    },
    /// Staff contacted the customer.
    Contacted {
        /// How.
        channel: ContactChannel,
        /// What was said.
        #[serde(default)]
        summary: Note,
        /// A first proposal was made in this contact.
        #[serde(default)]
        proposal_made: bool,
    },
    /// An investigation note (调查核实), with the records it looked at.
    Investigated {
        /// Findings.
        note: Note,
        /// Records looked at.
        #[serde(default)]
        links: ComplaintLinks,
    },
    /// Solutions offered to the customer.
    SolutionsProposed {
        /// The options.
        options: Vec<SolutionOption>,
    },
    /// Waiting for the customer: deadlines pause.
    AwaitingCustomer {
        /// What we wait for.
        #[serde(default)]
        note: Note,
    },
    /// The customer answered: deadlines run again.
    CustomerResponded {
        /// What they said.
        #[serde(default)]
        note: Note,
    },
    /// The customer chose an option.
    CustomerChose {
        /// The option.
        option: u8,
    },
    /// The solution was carried out.
    Resolved {
        /// What was done.
        #[serde(default)]
        summary: Note,
    },
    /// The customer confirmed, with their satisfaction (1–5).
    Confirmed {
        /// Satisfaction 1–5.
        satisfaction: u8,
        /// Their words.
        #[serde(default)]
        note: Note,
    },
    /// Escalated by hand.
    Escalated {
        /// To whom.
        to: Role,
        /// Why.
        #[serde(default)]
        reason: Note,
    },
    /// Reopened: the customer appealed or the problem came back.
    Reopened {
        /// Why.
        reason: Note,
        /// The customer appealed (申诉).
        #[serde(default)]
        appeal: bool,
    },
    /// Closed (结案).
    Closed {
        /// The root cause.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        root_cause: Option<RootCause>,
        /// Note (required in spirit when closing without confirmation).
        #[serde(default)]
        note: Note,
    },
    /// The call-back after closing (回访): does the solution hold for the customer? Recorded
    /// from the call-back follow-up; allowed once the case was closed, also after archiving or a
    /// reopening (the call was made all the same).
    CallBack {
        /// The follow-up that made the call.
        follow_up_id: FollowUpId,
        /// The customer is satisfied with how the complaint ended.
        satisfied: bool,
        /// What she said.
        #[serde(default)]
        note: Note,
    },
    /// Archived into the case library (归档).
    Archived {
        /// Tags for the case library.
        #[serde(default)]
        tags: Vec<Tag>,
        /// Lessons learned.
        #[serde(default)]
        lesson: Note,
    },
}

impl ComplaintEvent {
    /// Blanks what the event says about the customer once she is erased: her name and contact,
    /// every free text (which may quote or name her); the facts stay (channel, nature, severity,
    /// who, when, the satisfaction score, the root cause), so the statistics keep the case. Every
    /// field is named, so a field added later must be placed on one side or the other.
    pub fn erase_personal(&mut self) -> bool {
        use crate::record::erase;
        match &mut self.kind {
            ComplaintEventKind::Received {
                channel: _,
                customer_id: _,
                customer_name,
                contact,
                occurred_at: _,
                description,
                expected_solution,
                nature: _,
                severity: _,
                links: _,
            } => {
                erase(customer_name)
                    | erase(contact)
                    | erase(description)
                    | erase(expected_solution)
            }
            ComplaintEventKind::NumberAssigned { number: _ }
            | ComplaintEventKind::CustomerChose { option: _ } => false,
            ComplaintEventKind::Triaged {
                nature: _,
                severity: _,
                note,
            }
            | ComplaintEventKind::EmergencyResponseStarted { note }
            | ComplaintEventKind::Investigated { note, links: _ }
            | ComplaintEventKind::AwaitingCustomer { note }
            | ComplaintEventKind::CustomerResponded { note }
            | ComplaintEventKind::Confirmed {
                satisfaction: _,
                note,
            }
            | ComplaintEventKind::Closed {
                root_cause: _,
                note,
            }
            | ComplaintEventKind::CallBack {
                follow_up_id: _,
                satisfied: _,
                note,
            } => erase(note),
            ComplaintEventKind::Assigned {
                to: _,
                role: _,
                reason,
            }
            | ComplaintEventKind::Escalated { to: _, reason }
            | ComplaintEventKind::Reopened { reason, appeal: _ } => erase(reason),
            ComplaintEventKind::Contacted {
                channel: _,
                summary,
                proposal_made: _,
            }
            | ComplaintEventKind::Resolved { summary } => erase(summary),
            ComplaintEventKind::SolutionsProposed { options } => {
                let mut changed = false;
                for SolutionOption {
                    option: _,
                    description,
                    compensation: _,
                } in options
                {
                    changed |= erase(description);
                }
                changed
            }
            ComplaintEventKind::Archived { tags: _, lesson } => erase(lesson),
        }
    }
}

impl ComplaintEventKind {
    /// The permission this event needs.
    pub fn action(&self) -> Action {
        use ComplaintEventKind::*;
        match self {
            Received { .. } => Action::ComplaintIntake,
            NumberAssigned { .. } | Assigned { .. } => Action::ComplaintAssign,
            Triaged { .. } => Action::ComplaintTriage,
            EmergencyResponseStarted { .. }
            | Contacted { .. }
            | Investigated { .. }
            | SolutionsProposed { .. }
            | AwaitingCustomer { .. }
            | CustomerResponded { .. }
            | CustomerChose { .. }
            | Resolved { .. }
            | Confirmed { .. }
            | Escalated { .. }
            | CallBack { .. } => Action::ComplaintHandle,
            Reopened { .. } => Action::ComplaintReopen,
            Closed { .. } => Action::ComplaintClose,
            Archived { .. } => Action::ComplaintArchive,
        }
    }
    /// A short stable name (`received`, `triaged`…), as in JSON.
    pub fn name(&self) -> &'static str {
        use ComplaintEventKind::*;
        match self {
            Received { .. } => "received",
            NumberAssigned { .. } => "number_assigned",
            Triaged { .. } => "triaged",
            Assigned { .. } => "assigned",
            EmergencyResponseStarted { .. } => "emergency_response_started",
            Contacted { .. } => "contacted",
            Investigated { .. } => "investigated",
            SolutionsProposed { .. } => "solutions_proposed",
            AwaitingCustomer { .. } => "awaiting_customer",
            CustomerResponded { .. } => "customer_responded",
            CustomerChose { .. } => "customer_chose",
            Resolved { .. } => "resolved",
            Confirmed { .. } => "confirmed",
            Escalated { .. } => "escalated",
            Reopened { .. } => "reopened",
            Closed { .. } => "closed",
            CallBack { .. } => "call_back",
            Archived { .. } => "archived",
        }
    }
    /// Does this event answer the customer in time for a complaint of `severity`? General complaints
    /// need a contact with a first proposal; major ones feedback to the customer; critical ones the
    /// emergency response or a contact.
    pub fn is_first_response(&self, severity: Severity) -> bool {
        use ComplaintEventKind::*;
        match (self, severity) {
            (SolutionsProposed { .. }, _) => true,
            (Contacted { proposal_made, .. }, Severity::General) => *proposal_made,
            (Contacted { .. }, _) => true,
            (EmergencyResponseStarted { .. }, Severity::Critical) => true,
            _ => false,
        }
    }
}

/// One event of a complaint's log. Never changed once written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComplaintEvent {
    /// Id.
    pub id: ComplaintEventId,
    /// The complaint.
    pub complaint_id: ComplaintId,
    /// When it happened (device time).
    pub at: Timestamp,
    /// Who recorded it (none for the kiosk or the server).
    pub by: Option<StaffId>,
    /// In which role.
    pub role: Role,
    /// What happened.
    #[serde(flatten)]
    pub kind: ComplaintEventKind,
}

impl ComplaintEvent {
    /// Checks what can be checked on the event alone (the state-dependent checks happen in
    /// [`ComplaintView::compute`]).
    pub fn validate(&self) -> Result<(), ComplaintError> {
        if !permission::allowed(self.role, self.kind.action(), Sensitivity::Ordinary) {
            return Err(ComplaintError::RoleNotAllowed { role: self.role });
        }
        match &self.kind {
            ComplaintEventKind::Received { description, .. } if description.is_empty() => {
                Err(ComplaintError::DescriptionRequired)
            }
            ComplaintEventKind::Confirmed { satisfaction, .. }
                if !(1..=5).contains(satisfaction) =>
            {
                Err(ComplaintError::SatisfactionOutOfRange {
                    value: *satisfaction,
                })
            }
            ComplaintEventKind::SolutionsProposed { options } => {
                let mut keys: Vec<u8> = options.iter().map(|o| o.option).collect();
                keys.sort_unstable();
                keys.dedup();
                if options.is_empty() || keys.len() != options.len() {
                    Err(ComplaintError::BadOptions)
                } else {
                    Ok(())
                }
            }
            ComplaintEventKind::Assigned { role, .. }
                if !permission::allowed(*role, Action::ComplaintHandle, Sensitivity::Ordinary) =>
            {
                Err(ComplaintError::AssigneeCannotHandle { role: *role })
            }
            _ => Ok(()),
        }
    }
}

/// Where a complaint stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComplaintStatus {
    /// Taken in, not yet triaged.
    Received,
    /// Nature and severity set.
    Triaged,
    /// A handler is assigned.
    Assigned,
    /// Being handled.
    InProgress,
    /// Waiting for the customer (deadlines paused).
    AwaitingCustomer,
    /// The solution was carried out.
    Resolved,
    /// The customer confirmed.
    Confirmed,
    /// Closed.
    Closed,
    /// Archived in the case library.
    Archived,
}

/// Where the first-response deadline stands at `now`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineState {
    /// Time is running, less than the warning share has passed.
    OnTrack,
    /// Past the warning share (e.g. 75 %) of the time.
    Warning,
    /// Past the deadline without a response (超时).
    Breached,
    /// Paused while waiting for the customer.
    Paused,
    /// Answered in time.
    MetOnTime,
    /// Answered, but late.
    MetLate,
}

/// The first-response deadline of the current cycle (a reopened complaint starts a new cycle).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// The severity whose limit applies.
    pub severity: Severity,
    /// The limit, in minutes (60, 1440 or 2880).
    pub limit_minutes: i64,
    /// When the clock started (intake, a change of severity, or a reopening).
    pub started_at: Timestamp,
    /// When the warning is due, if running.
    pub warn_at: Option<Timestamp>,
    /// When the response is due, if running (none while paused or once met).
    pub due_at: Option<Timestamp>,
    /// Counted time used so far (excluding pauses and, if so configured, closed hours), in minutes.
    pub used_minutes: i64,
    /// When the response came.
    pub met_at: Option<Timestamp>,
    /// The state at `now`.
    pub state: DeadlineState,
}

/// Why a complaint is escalated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EscalationReason {
    /// A deadline was missed.
    DeadlineBreached,
    /// Someone escalated it by hand.
    Manual,
}

/// An escalation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Escalation {
    /// To whom.
    pub to: Role,
    /// Why.
    pub reason: EscalationReason,
    /// Since when.
    pub at: Timestamp,
}

/// The outcome of a call-back after closing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallBack {
    /// The follow-up that made the call.
    pub follow_up_id: FollowUpId,
    /// When it was recorded.
    pub at: Timestamp,
    /// Who recorded it.
    pub by: Option<StaffId>,
    /// The customer is satisfied.
    pub satisfied: bool,
    /// Made by the time the store's rule gives ([`call_back_due`] of the closing before it).
    pub on_time: bool,
    /// What she said.
    pub note: Note,
}

/// An event the computation could not apply, with the reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IgnoredEvent {
    /// The event.
    pub id: ComplaintEventId,
    /// Why.
    pub error: ComplaintError,
}

/// A complaint's state at `now`, computed from its events.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComplaintView {
    /// Id.
    pub id: ComplaintId,
    /// Number (from the server).
    pub number: Option<String>,
    /// Status.
    pub status: ComplaintStatus,
    /// Intake channel.
    pub channel: ComplaintChannel,
    /// Customer on file.
    pub customer_id: Option<CustomerId>,
    /// Customer name if not on file.
    pub customer_name: Option<Name>,
    /// What happened.
    pub description: Note,
    /// What the customer expects.
    pub expected_solution: Note,
    /// When it was received.
    pub received_at: Timestamp,
    /// Nature, once known.
    pub nature: Option<ComplaintNature>,
    /// Severity (general until triaged).
    pub severity: Severity,
    /// The role responsible, by routing.
    pub responsible_role: Role,
    /// The handler assigned.
    pub assignee: Option<StaffId>,
    /// The assigned handler's role (the inbox the case moved to).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee_role: Option<Role>,
    /// Linked records (intake and investigation).
    pub links: ComplaintLinks,
    /// Solutions on offer (the latest proposal).
    pub options: Vec<SolutionOption>,
    /// The customer's choice.
    pub chosen_option: Option<u8>,
    /// The customer's satisfaction with the solution, 1–5.
    pub satisfaction: Option<u8>,
    /// Times reopened.
    pub reopen_count: u32,
    /// Appeals among the reopenings.
    pub appeal_count: u32,
    /// When it was resolved (latest).
    pub resolved_at: Option<Timestamp>,
    /// When it was closed (latest).
    pub closed_at: Option<Timestamp>,
    /// Root cause given at closing.
    pub root_cause: Option<RootCause>,
    /// Case-library tags.
    pub tags: Vec<Tag>,
    /// The call-backs after closing, oldest first; one per follow-up (a second outcome recorded
    /// for the same call, on another device, replaces the first).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub call_backs: Vec<CallBack>,
    /// When the call-back after the latest closing is due; kept when the case is reopened, so
    /// that call's outcome can still be recorded and counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_back_due: Option<Timestamp>,
    /// The first-response deadline of the current cycle.
    pub deadline: Deadline,
    /// Whether the first cycle's response was on time (for compliance reports); `None` while pending.
    pub first_response_on_time: Option<bool>,
    /// Escalation, if any.
    pub escalation: Option<Escalation>,
    /// Events applied, in order.
    pub applied: Vec<ComplaintEventId>,
    /// Events that could not be applied.
    pub ignored: Vec<IgnoredEvent>,
}

/// Counts deadline time: around the clock, or only in opening hours; never while paused.
struct DeadlineClock<'a> {
    store: &'a Store,
}

impl DeadlineClock<'_> {
    fn span(&self, from: Timestamp, to: Timestamp) -> Duration {
        if to <= from {
            return Duration::zero();
        }
        if self.store.settings.deadlines_in_business_hours
            && !self.store.opening_hours.is_never_open()
        {
            self.store
                .opening_hours
                .open_time_between(self.store.utc_offset, from, to)
        } else {
            to - from
        }
    }
    fn add(&self, from: Timestamp, length: Duration) -> Timestamp {
        if self.store.settings.deadlines_in_business_hours
            && !self.store.opening_hours.is_never_open()
        {
            // `None` only if the store is never open, excluded above; fall back to wall time.
            self.store
                .opening_hours
                .add_open_time(self.store.utc_offset, from, length)
                .unwrap_or(from + length)
        } else {
            from + length
        }
    }
    /// Counted time from `start` to `end`, minus pauses.
    fn used(
        &self,
        start: Timestamp,
        end: Timestamp,
        pauses: &[(Timestamp, Option<Timestamp>)],
    ) -> Duration {
        let mut total = Duration::zero();
        let mut cursor = start;
        for &(p_start, p_end) in pauses {
            let p_start = p_start.max(start);
            if p_start >= end {
                break;
            }
            total += self.span(cursor, p_start.max(cursor));
            cursor = match p_end {
                Some(e) => cursor.max(e),
                None => return total,
            };
        }
        total + self.span(cursor, end)
    }
    /// The instant at which `length` of counted time has passed since `start`, given pauses; `None` if
    /// the clock is paused with no end when the time would run out.
    fn deadline(
        &self,
        start: Timestamp,
        length: Duration,
        pauses: &[(Timestamp, Option<Timestamp>)],
    ) -> Option<Timestamp> {
        let mut left = length;
        let mut cursor = start;
        for &(p_start, p_end) in pauses {
            let p_start = p_start.max(start);
            if p_start > cursor {
                let avail = self.span(cursor, p_start);
                if avail >= left {
                    return Some(self.add(cursor, left));
                }
                left -= avail;
            }
            cursor = cursor.max(p_end?);
        }
        Some(self.add(cursor, left))
    }
}

struct Cycle {
    started_at: Timestamp,
    severity: Severity,
    pauses: Vec<(Timestamp, Option<Timestamp>)>,
    met_at: Option<Timestamp>,
}

impl ComplaintView {
    /// Computes a complaint's state at `now` from its events, in any order. The intake is the earliest
    /// `received` event; the other events are applied in `(at, id)` order; events that make no sense at
    /// their point (closing before the customer confirmed, confirming before a resolution, anything after
    /// closing but a reopening or archiving) are ignored and listed. `None` until the intake is known.
    pub fn compute(
        events: &[ComplaintEvent],
        store: &Store,
        now: Timestamp,
    ) -> Option<ComplaintView> {
        let mut sorted: Vec<&ComplaintEvent> = events.iter().collect();
        // One event per id (an id is written once; if it ever arrives twice with different content, the
        // earliest wins), then in time order.
        sorted.sort_by_key(|e| (e.id, e.at, e.role, e.by));
        sorted.dedup_by(|a, b| a.id == b.id);
        sorted.sort_by_key(|e| (e.at, e.id));
        let intake = *sorted
            .iter()
            .find(|e| matches!(e.kind, ComplaintEventKind::Received { .. }))?;
        let ComplaintEventKind::Received {
            channel,
            customer_id,
            customer_name,
            occurred_at: _,
            description,
            expected_solution,
            nature,
            severity,
            links,
            contact: _,
        } = &intake.kind
        else {
            return None;
        };
        let severity = severity.unwrap_or_default();
        let received_at = intake.at;
        let mut v = ComplaintView {
            id: intake.complaint_id,
            number: None,
            status: ComplaintStatus::Received,
            channel: *channel,
            customer_id: *customer_id,
            customer_name: customer_name.clone(),
            description: description.clone(),
            expected_solution: expected_solution.clone(),
            received_at,
            nature: *nature,
            severity,
            responsible_role: route(nature.unwrap_or(ComplaintNature::Other), severity, store),
            assignee: None,
            assignee_role: None,
            links: links.clone(),
            options: Vec::new(),
            chosen_option: None,
            satisfaction: None,
            reopen_count: 0,
            appeal_count: 0,
            resolved_at: None,
            closed_at: None,
            root_cause: None,
            tags: Vec::new(),
            call_backs: Vec::new(),
            call_back_due: None,
            deadline: Deadline {
                severity,
                limit_minutes: severity.response_limit().num_minutes(),
                started_at: received_at,
                warn_at: None,
                due_at: None,
                used_minutes: 0,
                met_at: None,
                state: DeadlineState::OnTrack,
            },
            first_response_on_time: None,
            escalation: None,
            applied: vec![intake.id],
            ignored: Vec::new(),
        };
        let clock = DeadlineClock { store };
        let mut cycle = Cycle {
            started_at: received_at,
            severity,
            pauses: Vec::new(),
            met_at: None,
        };
        let mut manual_escalation: Option<Escalation> = None;

        for e in sorted.iter().copied().filter(|e| e.id != intake.id) {
            if let Err(error) = v.step(e, &mut cycle, &mut manual_escalation, store, &clock) {
                v.ignored.push(IgnoredEvent { id: e.id, error });
            } else {
                v.applied.push(e.id);
            }
        }

        v.deadline = Self::deadline_at(&cycle, store, &clock, now);
        if v.first_response_on_time.is_none() && v.reopen_count == 0 {
            v.first_response_on_time = match v.deadline.state {
                DeadlineState::MetOnTime => Some(true),
                DeadlineState::MetLate | DeadlineState::Breached => Some(false),
                _ => None,
            };
        }
        let open = v.status < ComplaintStatus::Resolved;
        v.escalation = match (manual_escalation, v.deadline.state, v.deadline.due_at) {
            (Some(m), _, _) => Some(m),
            (None, DeadlineState::Breached, Some(due)) if open => Some(Escalation {
                to: escalation_target(v.responsible_role),
                reason: EscalationReason::DeadlineBreached,
                at: due,
            }),
            _ => None,
        };
        Some(v)
    }

    fn step(
        &mut self,
        e: &ComplaintEvent,
        cycle: &mut Cycle,
        manual: &mut Option<Escalation>,
        store: &Store,
        clock: &DeadlineClock<'_>,
    ) -> Result<(), ComplaintError> {
        use ComplaintEventKind::*;
        use ComplaintStatus as S;
        e.validate()?;
        let closed = self.status >= S::Closed;
        let out_of_order = |status| ComplaintError::OutOfOrder {
            step: e.kind.name().to_owned(),
            status,
        };
        match &e.kind {
            Received { .. } => return Err(ComplaintError::AlreadyReceived),
            NumberAssigned { number } => {
                if self.number.is_none() {
                    self.number = Some(number.clone());
                }
                return Ok(());
            }
            Reopened { .. } | Archived { .. } | CallBack { .. } => {}
            _ if closed => return Err(ComplaintError::Closed),
            _ => {}
        }
        // Response deadline: the first qualifying event of the cycle meets it.
        if cycle.met_at.is_none() && e.kind.is_first_response(cycle.severity) {
            cycle.met_at = Some(e.at);
        }
        match &e.kind {
            Received { .. } | NumberAssigned { .. } => {}
            Triaged {
                nature, severity, ..
            } => {
                self.nature = Some(*nature);
                if *severity != self.severity {
                    self.severity = *severity;
                    if cycle.met_at.is_none() {
                        // The new limit counts from the change, but never gives less time than the old
                        // one left (a downgrade keeps its original start).
                        let from_change = clock.deadline(e.at, severity.response_limit(), &[]);
                        let from_start =
                            clock.deadline(cycle.started_at, severity.response_limit(), &[]);
                        if from_change > from_start && *severity > cycle.severity {
                            cycle.started_at = e.at.max(cycle.started_at);
                            cycle.pauses.retain(|p| p.1.is_none_or(|end| end > e.at));
                        }
                        cycle.severity = *severity;
                    }
                }
                self.responsible_role = route(*nature, self.severity, store);
                if self.status < S::Triaged {
                    self.status = S::Triaged;
                }
            }
            Assigned { to, role, .. } => {
                self.assignee = Some(*to);
                self.assignee_role = Some(*role);
                if self.status < S::Assigned {
                    self.status = S::Assigned;
                }
            }
            EmergencyResponseStarted { .. } | Contacted { .. } | Investigated { .. } => {
                if let Investigated { links, .. } = &e.kind {
                    self.links.merge(links);
                }
                if self.status < S::InProgress {
                    self.status = S::InProgress;
                }
            }
            SolutionsProposed { options } => {
                self.options = options.clone();
                self.chosen_option = None;
                if self.status < S::InProgress {
                    self.status = S::InProgress;
                }
            }
            AwaitingCustomer { .. } => {
                if self.status >= S::Resolved {
                    return Err(out_of_order(self.status));
                }
                if cycle.pauses.last().is_none_or(|p| p.1.is_some()) {
                    cycle.pauses.push((e.at, None));
                }
                self.status = S::AwaitingCustomer;
            }
            CustomerResponded { .. } | CustomerChose { .. } => {
                if let CustomerChose { option } = &e.kind {
                    if !self.options.iter().any(|o| o.option == *option) {
                        return Err(ComplaintError::UnknownOption { option: *option });
                    }
                    self.chosen_option = Some(*option);
                }
                if let Some(p) = cycle.pauses.last_mut()
                    && p.1.is_none()
                {
                    p.1 = Some(e.at.max(p.0));
                }
                if self.status == S::AwaitingCustomer || self.status < S::InProgress {
                    self.status = S::InProgress;
                }
            }
            Resolved { .. } => {
                self.end_pause(cycle, e.at);
                self.status = S::Resolved;
                self.resolved_at = Some(e.at);
            }
            Confirmed { satisfaction, .. } => {
                if self.status != S::Resolved {
                    return Err(out_of_order(self.status));
                }
                self.satisfaction = Some(*satisfaction);
                self.status = S::Confirmed;
            }
            Escalated { to, .. } => {
                *manual = Some(Escalation {
                    to: *to,
                    reason: EscalationReason::Manual,
                    at: e.at,
                });
            }
            Reopened { appeal, .. } => {
                if self.status < S::Resolved {
                    return Err(out_of_order(self.status));
                }
                self.reopen_count += 1;
                if *appeal {
                    self.appeal_count += 1;
                }
                if self.first_response_on_time.is_none() {
                    self.first_response_on_time = Some(Self::met_on_time(cycle, clock));
                }
                *cycle = Cycle {
                    started_at: e.at,
                    severity: self.severity,
                    pauses: Vec::new(),
                    met_at: None,
                };
                self.status = S::InProgress;
                self.closed_at = None;
                self.satisfaction = None;
            }
            Closed { root_cause, .. } => {
                if self.status != S::Confirmed && !e.role.is_management() {
                    return Err(ComplaintError::NotConfirmed);
                }
                self.end_pause(cycle, e.at);
                self.root_cause = root_cause.or(self.root_cause);
                self.closed_at = Some(e.at);
                self.call_back_due = Some(call_back_due(store, e.at));
                self.status = S::Closed;
            }
            CallBack {
                follow_up_id,
                satisfied,
                note,
            } => {
                // A call-back follows a closing: before any, there was nothing to call about.
                let Some(due) = self.call_back_due else {
                    return Err(out_of_order(self.status));
                };
                self.call_backs.retain(|c| c.follow_up_id != *follow_up_id);
                self.call_backs.push(self::CallBack {
                    follow_up_id: *follow_up_id,
                    at: e.at,
                    by: e.by,
                    satisfied: *satisfied,
                    on_time: e.at <= due,
                    note: note.clone(),
                });
            }
            Archived { tags, .. } => {
                if self.status != S::Closed {
                    return Err(out_of_order(self.status));
                }
                for t in tags {
                    if !self.tags.contains(t) {
                        self.tags.push(t.clone());
                    }
                }
                self.status = S::Archived;
            }
        }
        Ok(())
    }

    fn end_pause(&self, cycle: &mut Cycle, at: Timestamp) {
        if let Some(p) = cycle.pauses.last_mut()
            && p.1.is_none()
        {
            p.1 = Some(at.max(p.0));
        }
    }

    fn met_on_time(cycle: &Cycle, clock: &DeadlineClock<'_>) -> bool {
        match cycle.met_at {
            Some(m) => {
                clock.used(cycle.started_at, m, &cycle.pauses) <= cycle.severity.response_limit()
            }
            None => false,
        }
    }

    fn deadline_at(
        cycle: &Cycle,
        store: &Store,
        clock: &DeadlineClock<'_>,
        now: Timestamp,
    ) -> Deadline {
        let limit = cycle.severity.response_limit();
        let warn_share = i32::from(store.settings.deadline_warning_percent);
        let warn_after = limit * warn_share / 100;
        let paused_now = cycle
            .pauses
            .last()
            .is_some_and(|p| p.1.is_none() && p.0 <= now);
        let end = cycle.met_at.unwrap_or(now);
        let used = clock.used(cycle.started_at, end, &cycle.pauses);
        let due_at = clock.deadline(cycle.started_at, limit, &cycle.pauses);
        let warn_at = clock.deadline(cycle.started_at, warn_after, &cycle.pauses);
        let state = if cycle.met_at.is_some() {
            if used <= limit {
                DeadlineState::MetOnTime
            } else {
                DeadlineState::MetLate
            }
        } else if used >= limit {
            DeadlineState::Breached
        } else if paused_now {
            DeadlineState::Paused
        } else if used >= warn_after {
            DeadlineState::Warning
        } else {
            DeadlineState::OnTrack
        };
        Deadline {
            severity: cycle.severity,
            limit_minutes: limit.num_minutes(),
            started_at: cycle.started_at,
            warn_at: if cycle.met_at.is_some() {
                None
            } else {
                warn_at
            },
            due_at,
            used_minutes: used.num_minutes(),
            met_at: cycle.met_at,
            state,
        }
    }

    /// True while the complaint needs work (not resolved, closed or archived).
    pub fn is_open(&self) -> bool {
        self.status < ComplaintStatus::Resolved
    }
    /// Does the latest call-back ask for the case to be reopened? When the customer was not
    /// satisfied with how the case ended, and it is still closed since that call.
    pub fn call_back_asks_reopening(&self) -> bool {
        self.status >= ComplaintStatus::Closed
            && self.call_backs.last().is_some_and(|c| {
                !c.satisfied && self.closed_at.is_some_and(|closed| c.at >= closed)
            })
    }
    /// Time from intake to closing, if closed.
    pub fn time_to_close(&self) -> Option<Duration> {
        self.closed_at.map(|c| c - self.received_at)
    }
}

/// Days from closing a complaint to its call-back. Three: the solution (a redone treatment, a
/// refund, skin calming down after a reaction) has had time to show whether it holds, and the
/// customer still remembers the case well; a week later the call feels like an afterthought.
pub const CALL_BACK_AFTER_DAYS: i64 = 3;

/// When the call-back after a closing at `closed_at` is due: [`CALL_BACK_AFTER_DAYS`] later, at
/// the store's call hour ([`followup::CALL_HOUR`], local time).
pub fn call_back_due(store: &Store, closed_at: Timestamp) -> Timestamp {
    let day = store.utc_offset.local_date(closed_at) + Duration::days(CALL_BACK_AFTER_DAYS);
    followup::at_call_hour(store, day)
}

/// The call-back follow-up (回访) a closing schedules: a phone call to the customer at
/// [`call_back_due`], naming the complaint. It is made by the case's handler when her role may
/// both make follow-up calls and handle complaints (recording the outcome writes into the case),
/// otherwise by whoever closed it (closing needs a role that may do both). Its id is the closing
/// event's, so the same closing always makes the same follow-up, whichever device replays it.
/// `None` when `closed` is not this complaint's closing, or when the complaint names no customer
/// on file (there is nobody to call back from the records).
pub fn call_back_after_closing(
    view: &ComplaintView,
    closed: &ComplaintEvent,
    store: &Store,
) -> Option<FollowUp> {
    if !matches!(closed.kind, ComplaintEventKind::Closed { .. }) || closed.complaint_id != view.id {
        return None;
    }
    let customer_id = view.customer_id?;
    let handler_may_call = view.assignee_role.is_some_and(|role| {
        permission::allowed(role, Action::FollowUpManage, Sensitivity::Ordinary)
            && permission::allowed(role, Action::ComplaintHandle, Sensitivity::Ordinary)
    });
    let assignee = view.assignee.filter(|_| handler_may_call).or(closed.by);
    Some(FollowUp {
        id: FollowUpId::from_uuid(closed.id.as_uuid()),
        store_id: store.id,
        customer_id,
        due: call_back_due(store, closed.at),
        channel: FollowUpChannel::Phone,
        purpose: FollowUpPurpose::ComplaintCheck,
        record_id: view.links.service_record_id,
        assignee,
        status: FollowUpStatus::Planned,
        outcome: None,
        done_at: None,
        note: Note::default(),
        complaint_id: Some(view.id),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::StoreId;
    use crate::store::StoreSettings;
    use crate::time::tests::cst;
    use ComplaintEventKind as K;

    fn store() -> Store {
        Store::new(StoreId::from_u128(1), Name::parse("兰心").unwrap())
    }

    fn ev(id: u128, at: Timestamp, role: Role, kind: ComplaintEventKind) -> ComplaintEvent {
        ComplaintEvent {
            id: ComplaintEventId::from_u128(id),
            complaint_id: ComplaintId::from_u128(7),
            at,
            by: Some(StaffId::from_u128(1)),
            role,
            kind,
        }
    }

    fn received(
        at: Timestamp,
        nature: Option<ComplaintNature>,
        severity: Option<Severity>,
    ) -> ComplaintEvent {
        ev(
            1,
            at,
            Role::Reception,
            K::Received {
                channel: ComplaintChannel::Phone,
                customer_id: Some(CustomerId::from_u128(3)),
                customer_name: None,
                contact: None,
                occurred_at: None,
                description: Note::parse("面膜后脸部发红刺痛").unwrap(),
                expected_solution: Note::parse("退款").unwrap(),
                nature,
                severity,
                links: ComplaintLinks::default(),
            },
        )
    }

    fn contacted(id: u128, at: Timestamp, proposal: bool) -> ComplaintEvent {
        ev(
            id,
            at,
            Role::CustomerServiceSupervisor,
            K::Contacted {
                channel: ContactChannel::Phone,
                summary: Note::default(),
                proposal_made: proposal,
            },
        )
    }

    const T0: (i32, u32, u32, u32, u32) = (2025, 3, 10, 12, 0);
    fn t0() -> Timestamp {
        cst(T0.0, T0.1, T0.2, T0.3, T0.4)
    }
    fn m(minutes: i64) -> Timestamp {
        t0() + Duration::minutes(minutes)
    }

    #[test]
    fn suggestion_from_the_intake_text() {
        use ComplaintNature::*;
        assert_eq!(
            suggest("做完面膜脸上起泡，要去医院"),
            (Some(Technical), Severity::Critical)
        );
        assert_eq!(
            suggest("Charged twice, I want a REFUND"),
            (Some(FeeDispute), Severity::Major)
        );
        assert_eq!(
            suggest("前台态度冷淡"),
            (Some(ServiceAttitude), Severity::General)
        );
        assert_eq!(
            suggest("精华液批次 B-17 过敏"),
            (Some(Product), Severity::Major)
        );
        assert_eq!(suggest("等了很久"), (None, Severity::General));
    }

    #[test]
    fn routing_by_nature_and_severity() {
        let s = store();
        use ComplaintNature::*;
        assert_eq!(
            route(ServiceAttitude, Severity::General, &s),
            Role::CustomerServiceSupervisor
        );
        assert_eq!(
            route(Technical, Severity::Major, &s),
            Role::TechnicalSupervisor
        );
        assert_eq!(
            route(FeeDispute, Severity::General, &s),
            Role::FinanceSupervisor
        );
        assert_eq!(
            route(Product, Severity::General, &s),
            Role::TechnicalSupervisor
        );
        assert_eq!(
            route(Environment, Severity::General, &s),
            Role::CustomerServiceSupervisor
        );
        assert_eq!(
            route(Other, Severity::General, &s),
            Role::CustomerServiceSupervisor
        );
        for n in ComplaintNature::ALL {
            assert_eq!(route(n, Severity::Critical, &s), Role::Manager);
        }
        let mut s2 = store();
        s2.settings.complaint_routing.product = Role::Manager;
        assert_eq!(route(Product, Severity::General, &s2), Role::Manager);
        assert_eq!(escalation_target(Role::TechnicalSupervisor), Role::Manager);
        assert_eq!(escalation_target(Role::Manager), Role::Owner);
    }

    fn state_at(events: &[ComplaintEvent], now: Timestamp) -> ComplaintView {
        ComplaintView::compute(events, &store(), now).unwrap()
    }

    #[test]
    fn critical_one_hour_boundaries() {
        let evs = vec![received(
            t0(),
            Some(ComplaintNature::Technical),
            Some(Severity::Critical),
        )];
        let v = state_at(&evs, m(44));
        assert_eq!(v.responsible_role, Role::Manager);
        assert_eq!(v.deadline.due_at, Some(m(60)));
        assert_eq!(v.deadline.warn_at, Some(m(45)));
        assert_eq!(v.deadline.state, DeadlineState::OnTrack);
        assert_eq!(state_at(&evs, m(45)).deadline.state, DeadlineState::Warning);
        assert_eq!(state_at(&evs, m(59)).deadline.state, DeadlineState::Warning);
        let breached = state_at(&evs, m(60));
        assert_eq!(breached.deadline.state, DeadlineState::Breached);
        assert_eq!(
            breached.escalation,
            Some(Escalation {
                to: Role::Owner,
                reason: EscalationReason::DeadlineBreached,
                at: m(60)
            })
        );
        // Emergency response at exactly 60 minutes is on time; at 61, late.
        let mut on_time = evs.clone();
        on_time.push(ev(
            2,
            m(60),
            Role::Manager,
            K::EmergencyResponseStarted {
                note: Note::default(),
            },
        ));
        let v = state_at(&on_time, m(200));
        assert_eq!(v.deadline.state, DeadlineState::MetOnTime);
        assert_eq!(v.first_response_on_time, Some(true));
        assert_eq!(v.escalation, None);
        let mut late = evs.clone();
        late.push(contacted(2, m(61), false));
        let v = state_at(&late, m(200));
        assert_eq!(v.deadline.state, DeadlineState::MetLate);
        assert_eq!(v.first_response_on_time, Some(false));
    }

    #[test]
    fn general_needs_a_proposal_within_24_hours() {
        let mut evs = vec![received(t0(), Some(ComplaintNature::ServiceAttitude), None)];
        evs.push(contacted(2, m(60), false)); // contact without a proposal does not meet it
        let v = state_at(&evs, m(24 * 60 - 1));
        assert_eq!(v.severity, Severity::General);
        assert_eq!(v.responsible_role, Role::CustomerServiceSupervisor);
        assert_eq!(v.deadline.state, DeadlineState::Warning);
        assert_eq!(v.deadline.due_at, Some(m(24 * 60)));
        assert_eq!(
            state_at(&evs, m(24 * 60)).deadline.state,
            DeadlineState::Breached
        );
        evs.push(contacted(3, m(24 * 60), true));
        assert_eq!(
            state_at(&evs, m(3000)).deadline.state,
            DeadlineState::MetOnTime
        );
    }

    #[test]
    fn major_feedback_within_48_hours() {
        let evs = vec![received(
            t0(),
            Some(ComplaintNature::FeeDispute),
            Some(Severity::Major),
        )];
        let v = state_at(&evs, m(0));
        assert_eq!(v.responsible_role, Role::FinanceSupervisor);
        assert_eq!(v.deadline.due_at, Some(m(48 * 60)));
        assert_eq!(v.deadline.warn_at, Some(m(36 * 60)));
        assert_eq!(
            state_at(&evs, m(36 * 60 - 1)).deadline.state,
            DeadlineState::OnTrack
        );
        assert_eq!(
            state_at(&evs, m(36 * 60)).deadline.state,
            DeadlineState::Warning
        );
        assert_eq!(
            state_at(&evs, m(48 * 60 - 1)).deadline.state,
            DeadlineState::Warning
        );
        let b = state_at(&evs, m(48 * 60));
        assert_eq!(b.deadline.state, DeadlineState::Breached);
        assert_eq!(b.escalation.unwrap().to, Role::Manager);
    }

    #[test]
    fn pause_while_awaiting_the_customer() {
        let mut evs = vec![received(
            t0(),
            Some(ComplaintNature::Technical),
            Some(Severity::Critical),
        )];
        evs.push(ev(
            2,
            m(10),
            Role::Manager,
            K::AwaitingCustomer {
                note: Note::default(),
            },
        ));
        let v = state_at(&evs, m(500));
        assert_eq!(v.status, ComplaintStatus::AwaitingCustomer);
        assert_eq!(v.deadline.state, DeadlineState::Paused);
        assert_eq!(v.deadline.due_at, None);
        assert_eq!(v.deadline.used_minutes, 10);
        // The customer answers 2 hours later: 50 minutes left from then.
        evs.push(ev(
            3,
            m(130),
            Role::Manager,
            K::CustomerResponded {
                note: Note::default(),
            },
        ));
        let v = state_at(&evs, m(131));
        assert_eq!(v.deadline.due_at, Some(m(180)));
        assert_eq!(v.deadline.state, DeadlineState::OnTrack);
        assert_eq!(
            state_at(&evs, m(179)).deadline.state,
            DeadlineState::Warning
        );
        assert_eq!(
            state_at(&evs, m(180)).deadline.state,
            DeadlineState::Breached
        );
    }

    #[test]
    fn deadlines_in_business_hours() {
        let mut s = store();
        s.settings = StoreSettings {
            deadlines_in_business_hours: true,
            ..Default::default()
        };
        // Received at 20:30; the store closes at 21:00 and opens at 10:00: a critical complaint has 30
        // minutes tonight and 30 tomorrow morning.
        let evs = vec![received(
            cst(2025, 3, 10, 20, 30),
            None,
            Some(Severity::Critical),
        )];
        let v = ComplaintView::compute(&evs, &s, cst(2025, 3, 11, 10, 29)).unwrap();
        assert_eq!(v.deadline.due_at, Some(cst(2025, 3, 11, 10, 30)));
        assert_eq!(v.deadline.state, DeadlineState::Warning);
        let v = ComplaintView::compute(&evs, &s, cst(2025, 3, 11, 10, 30)).unwrap();
        assert_eq!(v.deadline.state, DeadlineState::Breached);
    }

    #[test]
    fn upgrading_severity_restarts_the_shorter_clock() {
        let mut evs = vec![received(t0(), None, None)];
        evs.push(ev(
            2,
            m(120),
            Role::CustomerServiceSupervisor,
            K::Triaged {
                nature: ComplaintNature::Technical,
                severity: Severity::Critical,
                note: Note::default(),
            },
        ));
        let v = state_at(&evs, m(121));
        assert_eq!(v.severity, Severity::Critical);
        assert_eq!(v.responsible_role, Role::Manager);
        assert_eq!(v.status, ComplaintStatus::Triaged);
        assert_eq!(v.deadline.due_at, Some(m(180)));
        // Downgrading keeps the original start.
        let mut evs = vec![received(t0(), None, Some(Severity::Critical))];
        evs.push(ev(
            2,
            m(30),
            Role::CustomerServiceSupervisor,
            K::Triaged {
                nature: ComplaintNature::Environment,
                severity: Severity::General,
                note: Note::default(),
            },
        ));
        let v = state_at(&evs, m(31));
        assert_eq!(v.deadline.due_at, Some(m(24 * 60)));
        assert_eq!(v.responsible_role, Role::CustomerServiceSupervisor);
    }

    fn full_flow() -> Vec<ComplaintEvent> {
        use Role::*;
        vec![
            received(t0(), None, None),
            ev(
                2,
                m(5),
                CustomerServiceSupervisor,
                K::Triaged {
                    nature: ComplaintNature::Product,
                    severity: Severity::Major,
                    note: Note::default(),
                },
            ),
            ev(
                3,
                m(6),
                CustomerServiceSupervisor,
                K::Assigned {
                    to: StaffId::from_u128(9),
                    role: TechnicalSupervisor,
                    reason: Note::default(),
                },
            ),
            ev(
                4,
                m(30),
                TechnicalSupervisor,
                K::Investigated {
                    note: Note::parse("批次 B2503 过敏").unwrap(),
                    links: ComplaintLinks {
                        batch_ids: vec![BatchId::from_u128(5)],
                        ..Default::default()
                    },
                },
            ),
            ev(
                5,
                m(60),
                TechnicalSupervisor,
                K::SolutionsProposed {
                    options: vec![
                        SolutionOption {
                            option: 1,
                            description: Label::parse("全额退款").unwrap(),
                            compensation: Some(Money::yuan(398, 0)),
                        },
                        SolutionOption {
                            option: 2,
                            description: Label::parse("免费修复护理").unwrap(),
                            compensation: None,
                        },
                    ],
                },
            ),
            ev(
                6,
                m(70),
                TechnicalSupervisor,
                K::CustomerChose { option: 2 },
            ),
            ev(
                7,
                m(2000),
                TechnicalSupervisor,
                K::Resolved {
                    summary: Note::default(),
                },
            ),
            ev(
                8,
                m(2100),
                CustomerServiceSupervisor,
                K::Confirmed {
                    satisfaction: 4,
                    note: Note::default(),
                },
            ),
            ev(
                9,
                m(2200),
                CustomerServiceSupervisor,
                K::Closed {
                    root_cause: Some(RootCause::ProductQuality),
                    note: Note::default(),
                },
            ),
            ev(
                10,
                m(2300),
                CustomerServiceSupervisor,
                K::Archived {
                    tags: vec![Tag::parse("过敏").unwrap()],
                    lesson: Note::default(),
                },
            ),
        ]
    }

    #[test]
    fn full_flow_to_archive() {
        let v = state_at(&full_flow(), m(5000));
        assert_eq!(v.status, ComplaintStatus::Archived);
        assert_eq!(v.responsible_role, Role::TechnicalSupervisor);
        assert_eq!(v.assignee, Some(StaffId::from_u128(9)));
        assert_eq!(v.links.batch_ids, vec![BatchId::from_u128(5)]);
        assert_eq!(v.chosen_option, Some(2));
        assert_eq!(v.satisfaction, Some(4));
        assert_eq!(v.root_cause, Some(RootCause::ProductQuality));
        assert_eq!(v.deadline.state, DeadlineState::MetOnTime);
        assert_eq!(v.time_to_close(), Some(Duration::minutes(2200)));
        assert!(v.ignored.is_empty(), "{:?}", v.ignored);
        assert_eq!(v.applied.len(), 10);
    }

    #[test]
    fn order_of_arrival_does_not_matter() {
        let evs = full_flow();
        let expected = state_at(&evs, m(5000));
        let mut reversed = evs.clone();
        reversed.reverse();
        assert_eq!(state_at(&reversed, m(5000)), expected);
        let mut dup = evs.clone();
        dup.extend(evs.iter().cloned());
        assert_eq!(state_at(&dup, m(5000)), expected);
    }

    #[test]
    fn out_of_order_steps_are_ignored_with_reasons() {
        use Role::*;
        let evs = vec![
            received(t0(), None, None),
            ev(
                2,
                m(1),
                CustomerServiceSupervisor,
                K::Confirmed {
                    satisfaction: 5,
                    note: Note::default(),
                },
            ),
            ev(
                3,
                m(2),
                CustomerServiceSupervisor,
                K::Closed {
                    root_cause: None,
                    note: Note::default(),
                },
            ),
            ev(
                4,
                m(3),
                Manager,
                K::Archived {
                    tags: vec![],
                    lesson: Note::default(),
                },
            ),
            ev(
                5,
                m(4),
                CustomerServiceSupervisor,
                K::CustomerChose { option: 1 },
            ),
            ev(
                6,
                m(5),
                Therapist,
                K::Resolved {
                    summary: Note::default(),
                },
            ),
            ev(7, m(6), Reception, received(t0(), None, None).kind),
        ];
        let v = state_at(&evs, m(10));
        let codes: Vec<&str> = v.ignored.iter().map(|i| i.error.code()).collect();
        assert_eq!(
            codes,
            [
                "complaint.out_of_order",
                "complaint.not_confirmed",
                "complaint.out_of_order",
                "complaint.unknown_option",
                "complaint.role_not_allowed",
                "complaint.already_received",
            ]
        );
        assert_eq!(v.status, ComplaintStatus::Received);
    }

    #[test]
    fn manager_may_close_without_confirmation_and_reopen_starts_a_new_cycle() {
        use Role::*;
        let mut evs = vec![
            received(t0(), Some(ComplaintNature::ServiceAttitude), None),
            contacted(2, m(30), true),
            ev(
                3,
                m(40),
                CustomerServiceSupervisor,
                K::Resolved {
                    summary: Note::default(),
                },
            ),
            ev(
                4,
                m(50),
                Manager,
                K::Closed {
                    root_cause: Some(RootCause::Attitude),
                    note: Note::parse("顾客未接电话").unwrap(),
                },
            ),
        ];
        assert_eq!(state_at(&evs, m(60)).status, ComplaintStatus::Closed);
        // After closing, ordinary work is refused.
        evs.push(contacted(5, m(55), true));
        assert_eq!(
            state_at(&evs, m(60)).ignored[0].error.code(),
            "complaint.closed"
        );
        evs.push(ev(
            6,
            m(100),
            CustomerServiceSupervisor,
            K::Reopened {
                reason: Note::parse("顾客申诉").unwrap(),
                appeal: true,
            },
        ));
        let v = state_at(&evs, m(101));
        assert_eq!(v.status, ComplaintStatus::InProgress);
        assert_eq!((v.reopen_count, v.appeal_count), (1, 1));
        assert_eq!(v.first_response_on_time, Some(true));
        assert_eq!(v.deadline.started_at, m(100));
        assert_eq!(v.deadline.due_at, Some(m(100 + 24 * 60)));
        assert_eq!(v.closed_at, None);
    }

    #[test]
    fn manual_escalation() {
        let mut evs = vec![received(t0(), None, None)];
        evs.push(ev(
            2,
            m(5),
            Role::CustomerServiceSupervisor,
            K::Escalated {
                to: Role::Manager,
                reason: Note::default(),
            },
        ));
        let v = state_at(&evs, m(6));
        assert_eq!(
            v.escalation,
            Some(Escalation {
                to: Role::Manager,
                reason: EscalationReason::Manual,
                at: m(5)
            })
        );
    }

    #[test]
    fn stateless_validation() {
        let bad = ev(
            2,
            m(1),
            Role::CustomerServiceSupervisor,
            K::Confirmed {
                satisfaction: 6,
                note: Note::default(),
            },
        );
        assert_eq!(
            bad.validate().unwrap_err().code(),
            "complaint.satisfaction_out_of_range"
        );
        let bad = ev(
            2,
            m(1),
            Role::CustomerServiceSupervisor,
            K::SolutionsProposed { options: vec![] },
        );
        assert_eq!(bad.validate().unwrap_err().code(), "complaint.bad_options");
        let bad = ev(
            2,
            m(1),
            Role::Manager,
            K::Assigned {
                to: StaffId::from_u128(1),
                role: Role::Therapist,
                reason: Note::default(),
            },
        );
        assert_eq!(
            bad.validate().unwrap_err().code(),
            "complaint.assignee_cannot_handle"
        );
        let mut r = received(t0(), None, None);
        if let K::Received { description, .. } = &mut r.kind {
            *description = Note::default();
        }
        assert_eq!(
            r.validate().unwrap_err().code(),
            "complaint.description_required"
        );
        assert!(received(t0(), None, None).validate().is_ok());
    }

    /// The full flow up to its closing (by the customer-service supervisor, staff 1, at m(2200)),
    /// without archiving.
    fn closed_flow() -> Vec<ComplaintEvent> {
        let mut evs = full_flow();
        evs.truncate(9);
        evs
    }

    fn call_back(id: u128, at: Timestamp, role: Role, satisfied: bool) -> ComplaintEvent {
        ev(
            id,
            at,
            role,
            K::CallBack {
                follow_up_id: FollowUpId::from_u128(9),
                satisfied,
                note: Note::parse("还是有点红").unwrap(),
            },
        )
    }

    #[test]
    fn closing_schedules_a_call_back_three_days_later() {
        let evs = closed_flow();
        let v = state_at(&evs, m(2201));
        let closed = &evs[8];
        let f = call_back_after_closing(&v, closed, &store()).unwrap();
        // Closed at 00:40 on 12 March (local): the call is due on the 15th at 10:00.
        assert_eq!(f.due, cst(2025, 3, 15, 10, 0));
        assert_eq!(v.call_back_due, Some(f.due));
        assert_eq!(f.id.as_uuid(), closed.id.as_uuid());
        assert_eq!(f.complaint_id, Some(v.id));
        assert_eq!(f.customer_id, CustomerId::from_u128(3));
        assert_eq!(f.purpose, FollowUpPurpose::ComplaintCheck);
        assert_eq!(f.status, FollowUpStatus::Planned);
        // The handler is a technical supervisor, who makes no follow-up calls: the closer calls.
        assert_eq!(f.assignee, closed.by);
        // A customer-service handler makes the call herself.
        let mut evs = closed_flow();
        evs[2].kind = K::Assigned {
            to: StaffId::from_u128(9),
            role: Role::CustomerServiceSupervisor,
            reason: Note::default(),
        };
        let v = state_at(&evs, m(2201));
        let f = call_back_after_closing(&v, &evs[8], &store()).unwrap();
        assert_eq!(f.assignee, Some(StaffId::from_u128(9)));
        // Only a closing schedules one, and only with a customer on file to call.
        assert_eq!(call_back_after_closing(&v, &evs[7], &store()), None);
        let mut no_file = v.clone();
        no_file.customer_id = None;
        assert_eq!(call_back_after_closing(&no_file, &evs[8], &store()), None);
    }

    #[test]
    fn an_unsatisfied_call_back_asks_to_reopen_and_reopening_ends_the_ask() {
        let mut evs = closed_flow();
        let closed_at = m(2200);
        evs.push(call_back(
            11,
            cst(2025, 3, 15, 9, 30),
            Role::CustomerServiceSupervisor,
            false,
        ));
        let v = state_at(&evs, m(5000));
        assert!(v.ignored.is_empty(), "{:?}", v.ignored);
        assert_eq!(v.status, ComplaintStatus::Closed);
        assert_eq!(v.closed_at, Some(closed_at));
        assert_eq!(v.call_backs.len(), 1);
        let call = &v.call_backs[0];
        assert!(!call.satisfied);
        assert!(call.on_time);
        assert_eq!(call.by, Some(StaffId::from_u128(1)));
        assert!(v.call_back_asks_reopening());
        evs.push(ev(
            12,
            cst(2025, 3, 15, 9, 40),
            Role::CustomerServiceSupervisor,
            K::Reopened {
                reason: Note::parse("回访不满意").unwrap(),
                appeal: false,
            },
        ));
        let v = state_at(&evs, m(5000));
        assert_eq!(v.status, ComplaintStatus::InProgress);
        assert_eq!(v.reopen_count, 1);
        assert!(!v.call_back_asks_reopening());
        // The call stays on record after the reopening, and a later closing asks nothing more.
        assert_eq!(v.call_backs.len(), 1);
        evs.push(ev(
            13,
            cst(2025, 3, 16, 12, 0),
            Role::Manager,
            K::Closed {
                root_cause: None,
                note: Note::parse("重做护理").unwrap(),
            },
        ));
        let v = state_at(&evs, cst(2025, 3, 17, 0, 0));
        assert_eq!(v.status, ComplaintStatus::Closed);
        assert!(!v.call_back_asks_reopening());
        assert_eq!(v.call_back_due, Some(cst(2025, 3, 19, 10, 0)));
    }

    #[test]
    fn a_satisfied_or_late_call_back() {
        let mut evs = closed_flow();
        evs.push(call_back(11, cst(2025, 3, 15, 10, 1), Role::Manager, true));
        let v = state_at(&evs, m(9000));
        assert!(v.call_backs[0].satisfied);
        assert!(!v.call_backs[0].on_time);
        assert!(!v.call_back_asks_reopening());
    }

    #[test]
    fn call_backs_need_a_closing_and_a_complaint_handler() {
        let mut evs = closed_flow();
        evs.truncate(8);
        evs.push(call_back(
            11,
            m(2150),
            Role::CustomerServiceSupervisor,
            true,
        ));
        let v = state_at(&evs, m(3000));
        assert_eq!(v.ignored[0].error.code(), "complaint.out_of_order");
        assert!(v.call_backs.is_empty());
        for role in [Role::Therapist, Role::Reception] {
            let e = call_back(11, m(3000), role, true);
            assert_eq!(
                e.validate().unwrap_err().code(),
                "complaint.role_not_allowed"
            );
        }
        assert_eq!(
            call_back(11, m(3000), Role::CustomerServiceSupervisor, true).validate(),
            Ok(())
        );
    }

    #[test]
    fn a_second_outcome_of_the_same_call_replaces_the_first() {
        let mut evs = closed_flow();
        evs.push(call_back(
            11,
            m(3000),
            Role::CustomerServiceSupervisor,
            true,
        ));
        evs.push(call_back(12, m(3010), Role::Manager, false));
        let v = state_at(&evs, m(4000));
        assert_eq!(v.call_backs.len(), 1);
        assert!(!v.call_backs[0].satisfied);
        assert_eq!(v.applied.len(), 11);
    }

    #[test]
    fn call_backs_replay_the_same_in_any_order() {
        // Archived, then called back unsatisfied, then reopened: every device computes the same
        // case and schedules the same follow-up from the same closing.
        let mut evs = full_flow();
        evs.push(call_back(
            11,
            m(4000),
            Role::CustomerServiceSupervisor,
            false,
        ));
        let expected = state_at(&evs, m(5000));
        assert_eq!(expected.status, ComplaintStatus::Archived);
        assert!(expected.call_back_asks_reopening());
        let mut shuffled = evs.clone();
        shuffled.reverse();
        shuffled.swap(0, 5);
        shuffled.extend(evs.iter().cloned());
        let replayed = state_at(&shuffled, m(5000));
        assert_eq!(replayed, expected);
        let closed = evs
            .iter()
            .find(|e| matches!(e.kind, K::Closed { .. }))
            .unwrap();
        assert_eq!(
            call_back_after_closing(&replayed, closed, &store()),
            call_back_after_closing(&expected, closed, &store())
        );
        let json = serde_json::to_value(&expected).unwrap();
        let back: ComplaintView = serde_json::from_value(json).unwrap();
        assert_eq!(back, expected);
    }

    #[test]
    fn no_intake_no_view() {
        assert!(ComplaintView::compute(&[contacted(2, m(1), true)], &store(), m(2)).is_none());
    }

    #[test]
    fn event_json_shape() {
        let e = contacted(2, m(1), true);
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["type"], "contacted");
        assert_eq!(json["channel"], "phone");
        let back: ComplaintEvent = serde_json::from_value(json).unwrap();
        assert_eq!(back, e);
    }
}
