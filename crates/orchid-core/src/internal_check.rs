//! Internal checks (内部检查, seed 000's 监督机制) and hygiene checklists (seed 003's 卫生管理: rooms
//! and tools cleaned and disinfected, regular inspections, problems put right).
//!
//! * A **template** says what to check: its items, how often (daily, weekly, monthly) and whether
//!   once per room. Editable, field by field (last writer wins). Every store starts with
//!   [`starting_templates`], whose words are Orchid's own in both languages, so each reader sees
//!   her own language until a manager rewrites them (her words are then stored as she typed them,
//!   in both slots: a salon's own checklist speaks the salon's language).
//! * A **check done** is insert-once: the template, the room, who did it (the signed-in person),
//!   when, on which device, and each item passed, failed (with a note: what was wrong) or not
//!   applicable. The item's words are copied in, so the history reads as it was checked.
//! * A failed item becomes a **corrective action**, an append-only log of events: raised (by the
//!   one who found it), assigned (a responsible person and a deadline, by a supervisor), done (what
//!   was done) and verified (by a supervisor or the manager who did not do it). Its state is the
//!   replay of the log in clock order, so two tablets offline never overwrite each other; an event
//!   the replay cannot take (a verification of work not done, or by the person who did it) is
//!   listed as ignored rather than refused after the fact.
//! * A **staff spot check** (员工日常抽查, seed 004: 上级每日抽查) is a check of one person by her
//!   superior: its items are marked as counting for teamwork or discipline, and the person checked
//!   is named on the check, so her monthly scorecard's teamwork and discipline figures are the
//!   share of those items she passed, each traced to the check.
//! * [`checks_due`] says which checks are due in the current period and which were missed, in the
//!   store's time zone; [`CorrectiveActionView::is_overdue`] which actions passed their deadline.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::error::ValidationError;
use crate::hlc::Hlc;
use crate::ids::{
    CheckId, CheckTemplateId, ClientId, CorrectiveActionId, CorrectiveEventId, RoomId, StaffId,
    StoreId,
};
use crate::permission::Action;
use crate::record::record_fields;
use crate::role::Role;
use crate::text::{Label, Note, TextError};
use crate::time::{Timestamp, UtcOffset};

/// The most items a template may hold.
pub const MAX_ITEMS: usize = 40;

/// Invalid check data.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "code")]
pub enum CheckError {
    /// A template without items.
    #[serde(rename = "check.no_items")]
    #[error("a checklist needs at least one item")]
    NoItems,
    /// A template with too many items.
    #[serde(rename = "check.too_many_items")]
    #[error("a checklist holds at most {max} items")]
    TooManyItems {
        /// The most allowed.
        max: usize,
    },
    /// Two items (of a template or of a check done) with the same number.
    #[serde(rename = "check.duplicate_item")]
    #[error("item {item} is listed twice")]
    DuplicateItem {
        /// The item.
        item: u16,
    },
    /// A failed item without a note saying what was wrong.
    #[serde(rename = "check.fail_needs_note")]
    #[error("a failed item needs a note saying what was wrong")]
    FailNeedsNote {
        /// The item.
        item: u16,
    },
    /// An item not answered.
    #[serde(rename = "check.unanswered")]
    #[error("every item needs an answer")]
    Unanswered,
    /// A corrective action closed without saying what was done.
    #[serde(rename = "check.what_was_done")]
    #[error("say what was done")]
    WhatWasDoneMissing,
    /// The person who did the work verifies it.
    #[serde(rename = "check.self_verify")]
    #[error("the person who did the work cannot verify it")]
    SelfVerify,
    /// Verifying an action that is not done, or done again after verification.
    #[serde(rename = "check.not_done")]
    #[error("the action is not done yet")]
    NotDone,
    /// A staff spot check that does not name the person checked.
    #[serde(rename = "check.subject_missing")]
    #[error("a staff spot check names the person checked")]
    SubjectMissing,
    /// A person checking herself, or a check of a room or the flow naming a person.
    #[serde(rename = "check.subject_not_allowed")]
    #[error("a person is checked by someone else, and only on a staff spot check")]
    SubjectNotAllowed,
}

impl CheckError {
    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoItems => "check.no_items",
            Self::TooManyItems { .. } => "check.too_many_items",
            Self::DuplicateItem { .. } => "check.duplicate_item",
            Self::FailNeedsNote { .. } => "check.fail_needs_note",
            Self::Unanswered => "check.unanswered",
            Self::WhatWasDoneMissing => "check.what_was_done",
            Self::SelfVerify => "check.self_verify",
            Self::NotDone => "check.not_done",
            Self::SubjectMissing => "check.subject_missing",
            Self::SubjectNotAllowed => "check.subject_not_allowed",
        }
    }
}

/// A text in both languages of the app.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Words {
    /// 简体中文.
    pub zh: Label,
    /// English.
    pub en: Label,
}

impl Words {
    /// Both languages given; an empty one takes the other's words (one of them is required).
    pub fn parse(zh: &str, en: &str) -> Result<Self, TextError> {
        let (zh, en) = match (zh.trim().is_empty(), en.trim().is_empty()) {
            (true, false) => (en, en),
            (false, true) => (zh, zh),
            _ => (zh, en),
        };
        Ok(Self {
            zh: Label::parse(zh)?,
            en: Label::parse(en)?,
        })
    }
    /// The same words in both languages (what a manager typed).
    pub fn same(text: &str) -> Result<Self, TextError> {
        Self::parse(text, text)
    }
    /// The text in Chinese (`true`) or English.
    pub fn get(&self, chinese: bool) -> &str {
        if chinese {
            self.zh.as_str()
        } else {
            self.en.as_str()
        }
    }
}

/// What a template checks (the seeds' internal checks).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// Hygiene and disinfection of rooms and tools (seed 003): done by the staff of the room.
    Hygiene,
    /// A spot check of the service flow (reception, service, feedback, follow-up; seed 000).
    ServiceFlow,
    /// How customers' feedback and complaints are handled (seed 000).
    FeedbackHandling,
    /// Whether customer information is kept as the law and the store's rules say (seed 000).
    InformationCompliance,
    /// A superior's spot check of one person's teamwork and discipline (seed 004).
    StaffConduct,
}

impl CheckKind {
    /// Every kind, in a stable order.
    pub const ALL: [CheckKind; 5] = [
        CheckKind::Hygiene,
        CheckKind::ServiceFlow,
        CheckKind::FeedbackHandling,
        CheckKind::InformationCompliance,
        CheckKind::StaffConduct,
    ];
    /// The permission doing a check of this kind needs: hygiene is everyone's who works in the
    /// rooms, the other checks are supervisors' spot checks.
    pub fn action(self) -> Action {
        match self {
            CheckKind::Hygiene => Action::CheckDo,
            _ => Action::CheckSupervise,
        }
    }
}

/// How often a check is due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckSchedule {
    /// Every day.
    Daily,
    /// Every week (Monday to Sunday).
    Weekly,
    /// Every calendar month.
    Monthly,
}

impl CheckSchedule {
    /// The first day of the period `day` falls in.
    pub fn period_start(self, day: NaiveDate) -> NaiveDate {
        match self {
            CheckSchedule::Daily => day,
            CheckSchedule::Weekly => day
                .checked_sub_days(Days::new(u64::from(day.weekday().num_days_from_monday())))
                .unwrap_or(day),
            CheckSchedule::Monthly => day.with_day(1).unwrap_or(day),
        }
    }
    /// The first day of the period before the one starting on `start`.
    fn previous(self, start: NaiveDate) -> NaiveDate {
        match self {
            CheckSchedule::Daily => start.checked_sub_days(Days::new(1)),
            CheckSchedule::Weekly => start.checked_sub_days(Days::new(7)),
            CheckSchedule::Monthly => start.checked_sub_months(Months::new(1)),
        }
        .unwrap_or(start)
    }
    /// The first day of the period after the one starting on `start`.
    fn next(self, start: NaiveDate) -> NaiveDate {
        match self {
            CheckSchedule::Daily => start.checked_add_days(Days::new(1)),
            CheckSchedule::Weekly => start.checked_add_days(Days::new(7)),
            CheckSchedule::Monthly => start.checked_add_months(Months::new(1)),
        }
        .unwrap_or(start)
    }
}

/// What an item of a staff spot check counts for in the person's scorecard (seed 004's monthly
/// assessment: 团队协作, 纪律).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Conduct {
    /// Working with colleagues: helping, handing over, sharing.
    Teamwork,
    /// Keeping the store's rules: on time, uniform, the service norms.
    Discipline,
}

/// One item of a checklist. Its number stays with it when the list is edited, so a check done
/// and its corrective actions keep pointing at it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckItem {
    /// Its number within the template.
    pub id: u16,
    /// What to check.
    pub text: Words,
    /// On a staff spot check: what the item counts for in the scorecard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conduct: Option<Conduct>,
}

/// A checklist.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckTemplate {
    /// Id.
    pub id: CheckTemplateId,
    /// Store.
    pub store_id: StoreId,
    /// Its name.
    pub name: Words,
    /// What it checks.
    pub kind: CheckKind,
    /// The items.
    pub items: Vec<CheckItem>,
    /// How often.
    pub schedule: CheckSchedule,
    /// Once per room (each active room is checked on its own).
    pub per_room: bool,
    /// In use.
    pub active: bool,
    /// Missed checks count from this day (none: from the first check of it done in the store),
    /// so a store is not told of checks missed before it started them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counted_from: Option<NaiveDate>,
}

impl CheckTemplate {
    /// A blank record to materialize fields onto.
    pub fn blank(id: CheckTemplateId, store_id: StoreId) -> Self {
        Self {
            id,
            store_id,
            name: Words {
                zh: Label::placeholder(),
                en: Label::placeholder(),
            },
            kind: CheckKind::Hygiene,
            items: Vec::new(),
            schedule: CheckSchedule::Daily,
            per_room: false,
            active: true,
            counted_from: None,
        }
    }
    /// The item numbered `id`.
    pub fn item(&self, id: u16) -> Option<&CheckItem> {
        self.items.iter().find(|i| i.id == id)
    }
}

fn check_items(items: &[CheckItem]) -> Result<(), CheckError> {
    if items.is_empty() {
        return Err(CheckError::NoItems);
    }
    if items.len() > MAX_ITEMS {
        return Err(CheckError::TooManyItems { max: MAX_ITEMS });
    }
    let mut seen = BTreeSet::new();
    for i in items {
        if !seen.insert(i.id) {
            return Err(CheckError::DuplicateItem { item: i.id });
        }
    }
    Ok(())
}

record_fields! {
    /// The editable fields of a [`CheckTemplate`].
    pub enum CheckTemplateField for CheckTemplate [checked] {
        /// Name.
        Name(Words) => name, Ordinary, Keep;
        /// Kind.
        Kind(CheckKind) => kind, Ordinary, Keep;
        /// Items.
        Items(Vec<CheckItem>) => items, Ordinary, Keep;
        /// Schedule.
        Schedule(CheckSchedule) => schedule, Ordinary, Keep;
        /// Once per room.
        PerRoom(bool) => per_room, Ordinary, Keep;
        /// In use.
        Active(bool) => active, Ordinary, Keep;
        /// Counted from.
        CountedFrom(Option<NaiveDate>) => counted_from, Ordinary, Keep;
    }
}

impl CheckTemplateField {
    fn check_field(&self) -> Result<(), ValidationError> {
        match self {
            Self::Items(items) => check_items(items).map_err(Into::into),
            _ => Ok(()),
        }
    }
}

/// The id of the `n`-th starting template of a store: derived from the store's id, so each store
/// of a chain has its own (a record belongs to one store) and every device knows them offline.
pub fn starting_template_id(store: StoreId, n: u8) -> CheckTemplateId {
    const TAG: u128 = 0x0c4e_c000_0000_0000_0000_0000_0000_0000;
    CheckTemplateId::from_u128(store.as_uuid().as_u128() ^ TAG ^ u128::from(n))
}

fn words(zh: &str, en: &str) -> Words {
    // The starting set's words are constants checked by a test; a bad one would read `?`.
    Words::parse(zh, en).unwrap_or_else(|_| Words {
        zh: Label::placeholder(),
        en: Label::placeholder(),
    })
}

fn template(
    store: StoreId,
    n: u8,
    name: (&str, &str),
    kind: CheckKind,
    schedule: CheckSchedule,
    per_room: bool,
    items: &[(&str, &str)],
) -> CheckTemplate {
    CheckTemplate {
        id: starting_template_id(store, n),
        store_id: store,
        name: words(name.0, name.1),
        kind,
        items: items
            .iter()
            .zip(1u16..)
            .map(|((zh, en), id)| CheckItem {
                id,
                text: words(zh, en),
                conduct: None,
            })
            .collect(),
        schedule,
        per_room,
        active: true,
        counted_from: None,
    }
}

/// The checklists every store starts with, from the seeds: the daily hygiene and disinfection of
/// each room and its tools (seed 003: 卫生管理, 设施设备的清洁与维护, 技师洗净双手、穿戴整洁), and the
/// supervisors' spot checks of seed 000's 内部检查 — the service flow, feedback handling, and
/// customer-information compliance.
pub fn starting_templates(store: StoreId) -> Vec<CheckTemplate> {
    use CheckKind::*;
    use CheckSchedule::*;
    vec![
        template(
            store,
            1,
            (
                "房间与工具每日卫生消毒",
                "Daily hygiene and disinfection of the room and tools",
            ),
            Hygiene,
            Daily,
            true,
            &[
                (
                    "床单、毛巾一客一换",
                    "Bed linen and towels changed for each customer",
                ),
                (
                    "工具、器械已清洁消毒并分开存放",
                    "Tools and instruments cleaned, disinfected and stored apart",
                ),
                (
                    "台面、美容床、仪器表面已擦拭消毒",
                    "Counters, bed and device surfaces wiped and disinfected",
                ),
                (
                    "产品在有效期内且已盖好",
                    "Products within their date and closed",
                ),
                ("垃圾已清理,地面干净", "Waste removed, floor clean"),
                ("通风良好,空气清新", "Room aired, air fresh"),
                (
                    "技师洗手并穿戴整洁工作服",
                    "Therapist's hands washed, uniform clean",
                ),
            ],
        ),
        template(
            store,
            2,
            ("服务流程抽查", "Service-flow spot check"),
            ServiceFlow,
            Weekly,
            false,
            &[
                (
                    "顾客进店时礼貌迎接",
                    "Customers greeted politely on arrival",
                ),
                ("预约信息已确认并记录", "Booking confirmed and recorded"),
                (
                    "服务前已做咨询并记录",
                    "Consultation done and recorded before the service",
                ),
                (
                    "按标准操作规程完成服务",
                    "Service done by its standard steps",
                ),
                (
                    "服务后已询问并记录顾客反馈",
                    "Feedback asked for and recorded after the service",
                ),
                ("回访已按期进行", "Follow-ups made on time"),
            ],
        ),
        template(
            store,
            3,
            ("顾客反馈处理检查", "Feedback-handling check"),
            FeedbackHandling,
            Monthly,
            false,
            &[
                ("每条反馈均有记录", "Every piece of feedback recorded"),
                (
                    "投诉在时限内首次回应",
                    "Complaints answered first within their deadline",
                ),
                (
                    "投诉处理结果已回访",
                    "Customers called back after a complaint closed",
                ),
                ("根据反馈改进了服务", "Service improved from the feedback"),
            ],
        ),
        template(
            store,
            4,
            ("顾客信息合规检查", "Customer-information compliance check"),
            InformationCompliance,
            Monthly,
            false,
            &[
                (
                    "健康信息均有顾客同意",
                    "Health information kept only with the customer's consent",
                ),
                (
                    "顾客档案未外泄,纸质资料已锁好",
                    "No customer file left out; paper records locked away",
                ),
                (
                    "设备锁屏与个人PIN在用",
                    "Devices lock, each person uses her own PIN",
                ),
                (
                    "档案访问与修改经过授权",
                    "Files read and changed only by those allowed",
                ),
            ],
        ),
        conduct_template(store),
    ]
}

/// The daily spot check of a person by her superior (seed 004: 上级每日抽查; the monthly
/// assessment's 团队协作 and 纪律).
fn conduct_template(store: StoreId) -> CheckTemplate {
    use Conduct::*;
    let mut t = template(
        store,
        5,
        ("员工日常抽查", "Daily staff spot check"),
        CheckKind::StaffConduct,
        CheckSchedule::Daily,
        false,
        &[
            (
                "主动配合同事，需要时互相补位",
                "Works with colleagues, steps in when needed",
            ),
            (
                "交接清楚，信息及时共享",
                "Hands over clearly, shares information in time",
            ),
            ("准时到岗，不早退", "On time, stays to the end of the shift"),
            (
                "仪容仪表与工作服符合规范",
                "Appearance and uniform as the store requires",
            ),
            (
                "遵守店规与服务规范",
                "Keeps the store's rules and service norms",
            ),
        ],
    );
    for (item, conduct) in t
        .items
        .iter_mut()
        .zip([Teamwork, Teamwork, Discipline, Discipline, Discipline])
    {
        item.conduct = Some(conduct);
    }
    t
}

/// An item's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// As it should be.
    Pass,
    /// Not as it should be: the note says what was wrong, and a corrective action follows.
    Fail,
    /// Does not apply here today.
    NotApplicable,
}

/// One item of a check done.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemResult {
    /// The template's item.
    pub item: u16,
    /// Its words when checked.
    pub text: Words,
    /// The answer.
    pub outcome: Outcome,
    /// What was seen (required on a failed item).
    #[serde(default, skip_serializing_if = "Note::is_empty")]
    pub note: Note,
    /// What the item counted for, on a staff spot check (copied from the template).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conduct: Option<Conduct>,
}

/// A check done (insert-once).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckRecord {
    /// Id.
    pub id: CheckId,
    /// Store.
    pub store_id: StoreId,
    /// The template.
    pub template_id: CheckTemplateId,
    /// Its kind when done (decides who may do it).
    pub kind: CheckKind,
    /// The room checked, for a per-room template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_id: Option<RoomId>,
    /// Who did it: the signed-in person.
    pub by: StaffId,
    /// When.
    pub at: Timestamp,
    /// On which device.
    pub device: ClientId,
    /// Every item's answer.
    pub results: Vec<ItemResult>,
    /// The person checked, on a staff spot check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<StaffId>,
}

impl CheckRecord {
    /// Every item answered once; a failed item says what was wrong.
    pub fn validate(&self) -> Result<(), CheckError> {
        if self.results.is_empty() {
            return Err(CheckError::Unanswered);
        }
        match (self.kind, self.subject) {
            (CheckKind::StaffConduct, None) => return Err(CheckError::SubjectMissing),
            (CheckKind::StaffConduct, Some(subject)) if subject == self.by => {
                return Err(CheckError::SubjectNotAllowed);
            }
            (CheckKind::StaffConduct, Some(_)) | (_, None) => {}
            (_, Some(_)) => return Err(CheckError::SubjectNotAllowed),
        }
        let mut seen = BTreeSet::new();
        for r in &self.results {
            if !seen.insert(r.item) {
                return Err(CheckError::DuplicateItem { item: r.item });
            }
            if r.outcome == Outcome::Fail && r.note.is_empty() {
                return Err(CheckError::FailNeedsNote { item: r.item });
            }
        }
        Ok(())
    }
    /// Its failed items.
    pub fn failed(&self) -> impl Iterator<Item = &ItemResult> {
        self.results.iter().filter(|r| r.outcome == Outcome::Fail)
    }
}

/// What happened to a corrective action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CorrectiveEventKind {
    /// A failed item of a check becomes an action (by the one who did the check).
    Raised {
        /// The check.
        check_id: CheckId,
        /// Its template.
        template_id: CheckTemplateId,
        /// The room, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room_id: Option<RoomId>,
        /// The failed item.
        item: u16,
        /// Its words.
        text: Words,
        /// What was wrong.
        note: Note,
    },
    /// Who puts it right, and by when (a supervisor or the manager).
    Assigned {
        /// The responsible person.
        responsible: StaffId,
        /// The last day, in the store's time zone.
        deadline: NaiveDate,
    },
    /// Put right: what was done.
    Done {
        /// What was done.
        what: Note,
    },
    /// Checked and accepted by a supervisor or the manager who did not do the work.
    Verified {
        /// Who did the work, as the verifier saw it (the replay ignores the verification if the
        /// log says otherwise).
        done_by: StaffId,
    },
}

impl CorrectiveEventKind {
    /// The permission the event needs: raising and doing are the staff's, assigning and verifying
    /// the supervisors'.
    pub fn action(&self) -> Action {
        match self {
            Self::Raised { .. } | Self::Done { .. } => Action::CheckDo,
            Self::Assigned { .. } | Self::Verified { .. } => Action::CheckSupervise,
        }
    }
}

/// One event of a corrective action's log (append-only).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectiveEvent {
    /// The event.
    pub id: CorrectiveEventId,
    /// The action.
    pub action_id: CorrectiveActionId,
    /// Who: the signed-in person.
    pub by: StaffId,
    /// In which role.
    pub role: Role,
    /// When.
    pub at: Timestamp,
    /// What.
    #[serde(flatten)]
    pub kind: CorrectiveEventKind,
}

impl CorrectiveEvent {
    /// Checks the event on its own: a failed item's note, what was done, and that nobody verifies
    /// her own work.
    pub fn validate(&self) -> Result<(), CheckError> {
        match &self.kind {
            CorrectiveEventKind::Raised { note, item, .. } if note.is_empty() => {
                Err(CheckError::FailNeedsNote { item: *item })
            }
            CorrectiveEventKind::Done { what } if what.is_empty() => {
                Err(CheckError::WhatWasDoneMissing)
            }
            CorrectiveEventKind::Verified { done_by } if *done_by == self.by => {
                Err(CheckError::SelfVerify)
            }
            _ => Ok(()),
        }
    }
}

/// Where a corrective action stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    /// To be put right.
    Open,
    /// Put right, waiting for a supervisor's verification.
    Done,
    /// Verified: closed.
    Verified,
}

/// A corrective action, replayed from its log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectiveActionView {
    /// Id.
    pub id: CorrectiveActionId,
    /// The check that found it.
    pub check_id: CheckId,
    /// Its template.
    pub template_id: CheckTemplateId,
    /// The room.
    pub room_id: Option<RoomId>,
    /// The failed item.
    pub item: u16,
    /// Its words.
    pub text: Words,
    /// What was wrong.
    pub note: Note,
    /// Who found it, and when.
    pub raised_by: StaffId,
    /// When.
    pub raised_at: Timestamp,
    /// Who puts it right.
    pub responsible: Option<StaffId>,
    /// By when.
    pub deadline: Option<NaiveDate>,
    /// Where it stands.
    pub status: ActionStatus,
    /// What was done, by whom and when.
    pub done: Option<(StaffId, Timestamp, Note)>,
    /// Who verified it, and when.
    pub verified: Option<(StaffId, Timestamp)>,
    /// Events the replay could not take (a verification of work not done, or by the one who did
    /// it; work reported after verification), for the manager to see.
    pub ignored: Vec<CorrectiveEventId>,
}

impl CorrectiveActionView {
    /// Replays an action's events in clock order. `None` until its `Raised` event is known.
    pub fn replay(events: &[(Hlc, CorrectiveEvent)]) -> Option<Self> {
        let mut sorted: Vec<&(Hlc, CorrectiveEvent)> = events.iter().collect();
        sorted.sort_by_key(|(h, e)| (*h, e.id));
        let (raised_event, check_id, template_id, room_id, item, text, note) =
            sorted.iter().find_map(|(_, e)| match &e.kind {
                CorrectiveEventKind::Raised {
                    check_id,
                    template_id,
                    room_id,
                    item,
                    text,
                    note,
                } => Some((e, *check_id, *template_id, *room_id, *item, text, note)),
                _ => None,
            })?;
        let mut view = Self {
            id: raised_event.action_id,
            check_id,
            template_id,
            room_id,
            item,
            text: text.clone(),
            note: note.clone(),
            raised_by: raised_event.by,
            raised_at: raised_event.at,
            responsible: None,
            deadline: None,
            status: ActionStatus::Open,
            done: None,
            verified: None,
            ignored: Vec::new(),
        };
        for (_, e) in sorted {
            match &e.kind {
                CorrectiveEventKind::Raised { .. } => {}
                CorrectiveEventKind::Assigned {
                    responsible,
                    deadline,
                } => {
                    view.responsible = Some(*responsible);
                    view.deadline = Some(*deadline);
                }
                CorrectiveEventKind::Done { what } => {
                    if view.status == ActionStatus::Verified {
                        view.ignored.push(e.id);
                    } else {
                        view.status = ActionStatus::Done;
                        view.done = Some((e.by, e.at, what.clone()));
                    }
                }
                CorrectiveEventKind::Verified { done_by } => {
                    let doer = view.done.as_ref().map(|(by, _, _)| *by);
                    if view.status == ActionStatus::Done
                        && doer == Some(*done_by)
                        && doer != Some(e.by)
                    {
                        view.status = ActionStatus::Verified;
                        view.verified = Some((e.by, e.at));
                    } else {
                        view.ignored.push(e.id);
                    }
                }
            }
        }
        Some(view)
    }

    /// Still open on a day after its deadline (`today` in the store's time zone).
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status == ActionStatus::Open && self.deadline.is_some_and(|d| d < today)
    }

    /// May `by` verify it now? Done, and not by her (the role is the permission matrix's).
    pub fn check_verify(&self, by: StaffId) -> Result<StaffId, CheckError> {
        match (&self.status, &self.done) {
            (ActionStatus::Done, Some((doer, _, _))) if *doer == by => Err(CheckError::SelfVerify),
            (ActionStatus::Done, Some((doer, _, _))) => Ok(*doer),
            _ => Err(CheckError::NotDone),
        }
    }
}

/// Where a scheduled check stands in the current period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum DueState {
    /// Done in this period.
    Done,
    /// To do in this period.
    Due,
    /// To do, and missed since the period starting on `since` (the earliest of the periods missed
    /// in a row before this one).
    Overdue {
        /// The first missed period's first day.
        since: NaiveDate,
    },
}

/// One check to do: a template, and the room for a per-room one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueCheck {
    /// The template.
    pub template_id: CheckTemplateId,
    /// The room.
    pub room_id: Option<RoomId>,
    /// The current period's first day.
    pub period_start: NaiveDate,
    /// Where it stands.
    pub state: DueState,
}

/// How far back missed periods are looked for.
const MISSED_LOOKBACK: usize = 62;

/// The checks of the current period of every active template (per active room for a per-room
/// one), at `now` in the store's time zone. A period is done when a check of the template (and
/// room) was done on one of its days, local time. A check not done in this period is due; if the
/// period before was also missed — counting from the template's `counted_from`, or else from the
/// first check of it ever done in the store — it is overdue.
pub fn checks_due(
    templates: &[CheckTemplate],
    rooms: &[RoomId],
    done: &[CheckRecord],
    offset: UtcOffset,
    now: Timestamp,
) -> Vec<DueCheck> {
    let today = offset.local_date(now);
    // Per (template, room): the local days a check was done; per template: the first day.
    let mut days: BTreeMap<(CheckTemplateId, Option<RoomId>), BTreeSet<NaiveDate>> =
        BTreeMap::new();
    let mut first: BTreeMap<CheckTemplateId, NaiveDate> = BTreeMap::new();
    for c in done {
        let day = offset.local_date(c.at);
        days.entry((c.template_id, c.room_id))
            .or_default()
            .insert(day);
        first
            .entry(c.template_id)
            .and_modify(|d| *d = (*d).min(day))
            .or_insert(day);
    }
    let mut out = Vec::new();
    for t in templates.iter().filter(|t| t.active) {
        let targets: Vec<Option<RoomId>> = if t.per_room {
            rooms.iter().copied().map(Some).collect()
        } else {
            vec![None]
        };
        let counted_from = t.counted_from.or_else(|| first.get(&t.id).copied());
        let start = t.schedule.period_start(today);
        for room in targets {
            let done_days = days.get(&(t.id, room));
            let done_in = |from: NaiveDate| {
                let to = t.schedule.next(from);
                done_days.is_some_and(|d| d.range(from..to).next().is_some())
            };
            let state = if done_in(start) {
                DueState::Done
            } else {
                let mut since = None;
                let mut period = t.schedule.previous(start);
                for _ in 0..MISSED_LOOKBACK {
                    let counted = counted_from.is_some_and(|c| t.schedule.next(period) > c);
                    if !counted || done_in(period) {
                        break;
                    }
                    since = Some(period);
                    period = t.schedule.previous(period);
                }
                match since {
                    Some(since) => DueState::Overdue { since },
                    None => DueState::Due,
                }
            };
            out.push(DueCheck {
                template_id: t.id,
                room_id: room,
                period_start: start,
                state,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn store() -> StoreId {
        StoreId::from_u128(7)
    }
    fn china() -> UtcOffset {
        UtcOffset::from_minutes(480).unwrap()
    }
    fn hygiene() -> CheckTemplate {
        starting_templates(store()).remove(0)
    }
    fn done(template: &CheckTemplate, room: Option<RoomId>, at: Timestamp) -> CheckRecord {
        CheckRecord {
            id: CheckId::from_u128(at.timestamp() as u128),
            store_id: store(),
            template_id: template.id,
            kind: template.kind,
            room_id: room,
            by: StaffId::from_u128(1),
            at,
            device: ClientId::from_u128(9),
            results: template
                .items
                .iter()
                .map(|i| ItemResult {
                    item: i.id,
                    text: i.text.clone(),
                    outcome: Outcome::Pass,
                    note: Note::default(),
                    conduct: None,
                })
                .collect(),
            subject: None,
        }
    }

    #[test]
    fn a_staff_spot_check_names_someone_else_and_only_it_names_a_person() {
        let set = starting_templates(store());
        let conduct = set
            .iter()
            .find(|t| t.kind == CheckKind::StaffConduct)
            .unwrap();
        assert!(conduct.items.iter().all(|i| i.conduct.is_some()));
        assert_eq!(conduct.kind.action(), Action::CheckSupervise);
        let mut check = done(
            conduct,
            None,
            Utc.with_ymd_and_hms(2026, 3, 1, 10, 0, 0).unwrap(),
        );
        assert_eq!(check.validate(), Err(CheckError::SubjectMissing));
        check.subject = Some(check.by);
        assert_eq!(check.validate(), Err(CheckError::SubjectNotAllowed));
        check.subject = Some(StaffId::from_u128(2));
        assert_eq!(check.validate(), Ok(()));
        let mut room = done(
            &hygiene(),
            Some(RoomId::from_u128(1)),
            Utc.with_ymd_and_hms(2026, 3, 1, 10, 0, 0).unwrap(),
        );
        assert_eq!(room.validate(), Ok(()));
        room.subject = Some(StaffId::from_u128(2));
        assert_eq!(room.validate(), Err(CheckError::SubjectNotAllowed));
    }

    #[test]
    fn starting_set_is_valid_in_both_languages_and_per_store() {
        let set = starting_templates(store());
        assert_eq!(set.len(), 5);
        for t in &set {
            check_items(&t.items).unwrap();
            assert_ne!(t.name.zh, t.name.en);
            assert!(t.name.zh.as_str().chars().any(|c| c > '\u{2e80}'));
        }
        assert_ne!(
            starting_template_id(store(), 1),
            starting_template_id(StoreId::from_u128(8), 1)
        );
        assert_eq!(set[0].kind.action(), Action::CheckDo);
        assert_eq!(set[1].kind.action(), Action::CheckSupervise);
    }

    #[test]
    fn a_daily_room_check_is_due_today_and_overdue_after_a_missed_day_in_the_stores_zone() {
        let t = hygiene();
        let room = RoomId::from_u128(1);
        // Done at 23:30 China time on 1 March (15:30 UTC): that is 1 March's check.
        let march_1 = Utc.with_ymd_and_hms(2026, 3, 1, 15, 30, 0).unwrap();
        let checks = vec![done(&t, Some(room), march_1)];
        // 2 March, 00:10 China time (1 March 16:10 UTC): a new day there, so today's is due.
        let just_after_midnight = Utc.with_ymd_and_hms(2026, 3, 1, 16, 10, 0).unwrap();
        let due = checks_due(
            std::slice::from_ref(&t),
            &[room],
            &checks,
            china(),
            just_after_midnight,
        );
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].state, DueState::Due);
        // Same instant in UTC's zone: still 1 March there, and done.
        let utc = UtcOffset::from_minutes(0).unwrap();
        let due = checks_due(
            std::slice::from_ref(&t),
            &[room],
            &checks,
            utc,
            just_after_midnight,
        );
        assert_eq!(due[0].state, DueState::Done);
        // 3 March: 2 March was missed.
        let march_3 = Utc.with_ymd_and_hms(2026, 3, 3, 2, 0, 0).unwrap();
        let due = checks_due(std::slice::from_ref(&t), &[room], &checks, china(), march_3);
        assert_eq!(
            due[0].state,
            DueState::Overdue {
                since: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
            }
        );
        // A second room never checked is overdue from the template's first check.
        let other = RoomId::from_u128(2);
        let due = checks_due(
            std::slice::from_ref(&t),
            &[room, other],
            &checks,
            china(),
            march_3,
        );
        assert_eq!(
            due[1].state,
            DueState::Overdue {
                since: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
            }
        );
    }

    #[test]
    fn nothing_is_overdue_before_a_store_starts_a_check() {
        let mut t = hygiene();
        let room = RoomId::from_u128(1);
        let now = Utc.with_ymd_and_hms(2026, 3, 3, 2, 0, 0).unwrap();
        let due = checks_due(std::slice::from_ref(&t), &[room], &[], china(), now);
        assert_eq!(due[0].state, DueState::Due);
        t.counted_from = NaiveDate::from_ymd_opt(2026, 3, 2);
        let due = checks_due(std::slice::from_ref(&t), &[room], &[], china(), now);
        assert_eq!(
            due[0].state,
            DueState::Overdue {
                since: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
            }
        );
        t.active = false;
        assert!(checks_due(&[t], &[room], &[], china(), now).is_empty());
    }

    #[test]
    fn weekly_and_monthly_periods() {
        let wed = NaiveDate::from_ymd_opt(2026, 3, 4).unwrap();
        assert_eq!(
            CheckSchedule::Weekly.period_start(wed),
            NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
        );
        assert_eq!(
            CheckSchedule::Monthly.period_start(wed),
            NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
        );
        let mut t = starting_templates(store()).remove(1);
        t.counted_from = NaiveDate::from_ymd_opt(2026, 2, 1);
        // Done on Sunday 1 March: last week's; this week's (from 2 March) is due, not overdue.
        let sunday = Utc.with_ymd_and_hms(2026, 3, 1, 4, 0, 0).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 3, 4, 4, 0, 0).unwrap();
        let due = checks_due(
            std::slice::from_ref(&t),
            &[],
            &[done(&t, None, sunday)],
            china(),
            now,
        );
        assert_eq!(due[0].state, DueState::Due);
        assert_eq!(due[0].room_id, None);
    }

    #[test]
    fn a_failed_item_needs_a_note() {
        let t = hygiene();
        let mut c = done(&t, None, Utc.with_ymd_and_hms(2026, 3, 1, 1, 0, 0).unwrap());
        c.validate().unwrap();
        c.results[2].outcome = Outcome::Fail;
        assert_eq!(c.validate(), Err(CheckError::FailNeedsNote { item: 3 }));
        c.results[2].note = Note::parse("台面有残留").unwrap();
        c.validate().unwrap();
        c.results.push(c.results[0].clone());
        assert_eq!(c.validate(), Err(CheckError::DuplicateItem { item: 1 }));
        c.results.clear();
        assert_eq!(c.validate(), Err(CheckError::Unanswered));
    }

    fn event(n: u128, by: u128, role: Role, kind: CorrectiveEventKind) -> (Hlc, CorrectiveEvent) {
        (
            Hlc {
                wall_ms: 1_000 + n as u64,
                counter: 0,
                node: ClientId::from_u128(1),
            },
            CorrectiveEvent {
                id: CorrectiveEventId::from_u128(n),
                action_id: CorrectiveActionId::from_u128(1),
                by: StaffId::from_u128(by),
                role,
                at: Utc.with_ymd_and_hms(2026, 3, 1, 1, 0, n as u32).unwrap(),
                kind,
            },
        )
    }

    #[test]
    fn an_action_is_verified_only_when_done_and_not_by_the_one_who_did_it() {
        let t = hygiene();
        let raised = event(
            1,
            10,
            Role::Therapist,
            CorrectiveEventKind::Raised {
                check_id: CheckId::from_u128(5),
                template_id: t.id,
                room_id: None,
                item: 3,
                text: t.items[2].text.clone(),
                note: Note::parse("台面有残留").unwrap(),
            },
        );
        let assigned = event(
            2,
            20,
            Role::CustomerServiceSupervisor,
            CorrectiveEventKind::Assigned {
                responsible: StaffId::from_u128(10),
                deadline: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            },
        );
        let early_verify = event(
            3,
            20,
            Role::CustomerServiceSupervisor,
            CorrectiveEventKind::Verified {
                done_by: StaffId::from_u128(10),
            },
        );
        let mut log = vec![raised, assigned, early_verify];
        let v = CorrectiveActionView::replay(&log).unwrap();
        assert_eq!(v.status, ActionStatus::Open);
        assert_eq!(v.ignored, vec![CorrectiveEventId::from_u128(3)]);
        assert!(!v.is_overdue(NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()));
        assert!(v.is_overdue(NaiveDate::from_ymd_opt(2026, 3, 3).unwrap()));
        assert_eq!(
            v.check_verify(StaffId::from_u128(20)),
            Err(CheckError::NotDone)
        );
        log.push(event(
            4,
            10,
            Role::Therapist,
            CorrectiveEventKind::Done {
                what: Note::parse("重新消毒").unwrap(),
            },
        ));
        let v = CorrectiveActionView::replay(&log).unwrap();
        assert_eq!(v.status, ActionStatus::Done);
        assert!(!v.is_overdue(NaiveDate::from_ymd_opt(2026, 3, 9).unwrap()));
        assert_eq!(
            v.check_verify(StaffId::from_u128(10)),
            Err(CheckError::SelfVerify)
        );
        assert_eq!(
            v.check_verify(StaffId::from_u128(20)),
            Ok(StaffId::from_u128(10))
        );
        // The one who did it cannot verify, even naming someone else as the doer: refused on
        // its own when she names herself, ignored by the replay when she names another.
        let own = event(
            5,
            10,
            Role::Manager,
            CorrectiveEventKind::Verified {
                done_by: StaffId::from_u128(10),
            },
        );
        assert_eq!(own.1.validate(), Err(CheckError::SelfVerify));
        let lying = event(
            6,
            10,
            Role::Manager,
            CorrectiveEventKind::Verified {
                done_by: StaffId::from_u128(99),
            },
        );
        log.push(lying);
        let v = CorrectiveActionView::replay(&log).unwrap();
        assert_eq!(v.status, ActionStatus::Done);
        log.push(event(
            7,
            20,
            Role::CustomerServiceSupervisor,
            CorrectiveEventKind::Verified {
                done_by: StaffId::from_u128(10),
            },
        ));
        // The replay is the same whatever order the events arrived in.
        log.reverse();
        let v = CorrectiveActionView::replay(&log).unwrap();
        assert_eq!(v.status, ActionStatus::Verified);
        assert_eq!(v.verified.map(|(by, _)| by), Some(StaffId::from_u128(20)));
        assert_eq!(
            v.ignored,
            vec![
                CorrectiveEventId::from_u128(3),
                CorrectiveEventId::from_u128(6)
            ]
        );
    }

    #[test]
    fn a_check_is_filed_by_its_own_device_and_a_store_edits_its_starting_checklists() {
        use crate::sync::{Actor, Change, Mutation, Replica};
        let t = hygiene();
        let therapist = Actor {
            staff_id: StaffId::from_u128(1),
            role: Role::Therapist,
        };
        let mutation = |n: u64, client: ClientId, actor: Actor, change: Change| Mutation {
            client_id: client,
            mutation_id: n,
            hlc: Hlc {
                wall_ms: 1_000 + n,
                counter: 0,
                node: client,
            },
            actor,
            store_id: store(),
            change,
        };
        let record = done(&t, None, Utc.with_ymd_and_hms(2026, 3, 1, 1, 0, 0).unwrap());
        let mut replica = Replica::new();
        // Recorded as made on device 9, pushed by device 8: refused.
        let wrong = mutation(
            1,
            ClientId::from_u128(8),
            therapist,
            Change::CheckRecord(record.clone()),
        );
        assert_eq!(
            replica.apply(&wrong).unwrap_err().code(),
            "sync.wrong_client"
        );
        replica
            .apply(&mutation(
                1,
                ClientId::from_u128(9),
                therapist,
                Change::CheckRecord(record),
            ))
            .unwrap();
        assert_eq!(replica.checks_done(store()).len(), 1);
        // A therapist does not edit a checklist; the manager's edit of a starting one keeps the
        // fields she did not write.
        let rename = Change::CheckTemplateUpsert {
            id: t.id,
            fields: vec![CheckTemplateField::Name(
                Words::same("我们的卫生检查").unwrap(),
            )],
        };
        assert_eq!(
            replica
                .apply(&mutation(
                    2,
                    ClientId::from_u128(9),
                    therapist,
                    rename.clone()
                ))
                .unwrap_err()
                .code(),
            "permission.denied"
        );
        let manager = Actor {
            staff_id: StaffId::from_u128(2),
            role: Role::Manager,
        };
        replica
            .apply(&mutation(1, ClientId::from_u128(7), manager, rename))
            .unwrap();
        let edited = replica
            .check_templates(store())
            .into_iter()
            .find(|x| x.id == t.id)
            .unwrap();
        assert_eq!(edited.name.zh.as_str(), "我们的卫生检查");
        assert_eq!(edited.items, t.items);
        assert!(edited.per_room);
        // Another store's starting set is its own.
        assert!(
            replica
                .check_templates(StoreId::from_u128(8))
                .iter()
                .all(|x| x.name.zh.as_str() != "我们的卫生检查")
        );
    }

    #[test]
    fn closing_needs_what_was_done() {
        let (_, e) = event(
            1,
            10,
            Role::Therapist,
            CorrectiveEventKind::Done {
                what: Note::default(),
            },
        );
        assert_eq!(e.validate(), Err(CheckError::WhatWasDoneMissing));
    }
}
