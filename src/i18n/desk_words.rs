//! The words of reception's calendar moves and the waitlist (候补) ([front desk]).
//!
//! Both languages sit side by side in one exhaustive `match`, so a word without its translation
//! does not compile; the area keeps its own catalogue so it grows without touching [`super::Msg`].
use orchid_core::waitlist::{DayPart, WaitlistStatus};

use super::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeskWord {
    AddAsNewCustomer,
    Visits,
    NoVisits,
    VisitInProgress,
    VisitMinutes,
    VisitCheckAllowed,
    VisitCheckBlocked,
    VisitOverride,
    Move,
    ChangeLength,
    MoveTitle,
    LengthTitle,
    LengthMinutes,
    Ends,
    NotMovable,
    NothingChanged,
    LengthBad,
    DragHint,
    ResizeHandle,
    Moved,
    TakenTherapist,
    TakenRoom,
    TakenCustomer,
    Waitlist,
    WaitlistIntro,
    WaitlistEmpty,
    AddToWaitlist,
    ServicesWanted,
    PreferredTherapist,
    AnyTherapist,
    Earliest,
    Latest,
    DayParts,
    DayPartsHint,
    Note,
    DatesBad,
    ChooseServices,
    Added,
    Remove,
    FitsThisSlot,
    NoneFits,
    OfferSlot,
    OfferedSlot,
    BookIt,
    BackToWaiting,
    BookedFromWaitlist,
    Waiting,
    Offered,
    BookedEntries,
    ForDates,
    NotAllowed,
    ResolveCollision,
}

impl DeskWord {
    pub fn text(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            DeskWord::Move => ("改约", "Move"),
            DeskWord::ResolveCollision => (
                "两个预约同时占用同一位美容师、房间或床位。请改约或取消其中一个。",
                "Two bookings hold the same therapist, room or bed at once. Move or cancel one of them.",
            ),
            DeskWord::ChangeLength => ("调整时长", "Change length"),
            DeskWord::MoveTitle => ("改约：新的时间与人员", "Move the booking"),
            DeskWord::LengthTitle => ("调整预约时长", "Change the booking's length"),
            DeskWord::LengthMinutes => ("时长（分钟）", "Length (minutes)"),
            DeskWord::Ends => ("结束", "Ends"),
            DeskWord::NotMovable => (
                "服务中、已完成、爽约或已取消的预约不能改约。",
                "A booking in service, completed, a no-show or cancelled cannot be moved.",
            ),
            DeskWord::NothingChanged => ("没有改动。", "Nothing changed."),
            DeskWord::LengthBad => (
                "时长须为 15 的倍数，15 到 720 分钟。",
                "The length must be a multiple of 15, from 15 to 720 minutes.",
            ),
            DeskWord::DragHint => (
                "可用鼠标拖到其他时间或列；拖动底边调整时长。",
                "Drag with the mouse to another time or column; drag the bottom edge to change the length.",
            ),
            DeskWord::ResizeHandle => ("拖动调整时长", "Drag to change the length"),
            DeskWord::Moved => ("已改约。", "Moved."),
            DeskWord::TakenTherapist => (
                "美容师此时已有预约：",
                "The therapist is already booked then: ",
            ),
            DeskWord::TakenRoom => ("房间此时已被占用：", "The room is already taken then: "),
            DeskWord::AddAsNewCustomer => ("新建顾客：", "Add as a new customer:"),
            DeskWord::Visits => ("服务记录", "Visits"),
            DeskWord::NoVisits => ("还没有服务记录。", "No visits recorded yet."),
            DeskWord::VisitInProgress => ("进行中", "In progress"),
            DeskWord::VisitMinutes => ("分钟", "min"),
            DeskWord::VisitCheckAllowed => {
                ("禁忌检查：未发现禁忌", "Contraindication check: none found")
            }
            DeskWord::VisitCheckBlocked => {
                ("禁忌检查：发现禁忌", "Contraindication check: stopped for")
            }
            DeskWord::VisitOverride => ("主管放行：", "Allowed by a supervisor:"),
            DeskWord::TakenCustomer => (
                "该顾客此时已有其他预约：",
                "The customer already has a booking then: ",
            ),
            DeskWord::Waitlist => ("候补名单", "Waitlist"),
            DeskWord::WaitlistIntro => (
                "约不到时间的顾客在此等候；有空出的时段时，系统会列出合适的顾客，一键通知并预约。",
                "Customers who could not get a time wait here; when a slot frees up, the calendar lists who fits it, to offer it and book it.",
            ),
            DeskWord::WaitlistEmpty => ("暂无候补顾客。", "No one is waiting."),
            DeskWord::AddToWaitlist => ("加入候补", "Add to the waitlist"),
            DeskWord::ServicesWanted => ("想做的项目", "Services wanted"),
            DeskWord::PreferredTherapist => ("指定美容师", "Preferred therapist"),
            DeskWord::AnyTherapist => ("不限", "Any"),
            DeskWord::Earliest => ("最早日期", "Earliest date"),
            DeskWord::Latest => ("最晚日期", "Latest date"),
            DeskWord::DayParts => ("时段", "Parts of the day"),
            DeskWord::DayPartsHint => ("都不选表示任何时段均可。", "None chosen: any time of day."),
            DeskWord::Note => ("备注", "Note"),
            DeskWord::DatesBad => (
                "最晚日期不能早于最早日期。",
                "The latest date cannot be before the earliest.",
            ),
            DeskWord::ChooseServices => ("请至少选择一个项目。", "Choose at least one service."),
            DeskWord::Added => ("已加入候补。", "Added to the waitlist."),
            DeskWord::Remove => ("移出候补", "Remove"),
            DeskWord::FitsThisSlot => (
                "候补中适合此时段的顾客",
                "Waiting customers who fit this slot",
            ),
            DeskWord::NoneFits => (
                "没有适合此时段的候补顾客。",
                "No one waiting fits this slot.",
            ),
            DeskWord::OfferSlot => ("提供此时段", "Offer this slot"),
            DeskWord::OfferedSlot => ("已提供的时段", "Slot offered"),
            DeskWord::BookIt => ("预约此时段", "Book it"),
            DeskWord::BackToWaiting => ("放回候补", "Back to waiting"),
            DeskWord::BookedFromWaitlist => ("已从候补约上。", "Booked from the waitlist."),
            DeskWord::Waiting => ("等候中", "Waiting"),
            DeskWord::Offered => ("已通知", "Offered"),
            DeskWord::BookedEntries => ("已约上", "Booked"),
            DeskWord::ForDates => ("日期", "Dates"),
            DeskWord::NotAllowed => (
                "您的岗位不能管理候补名单。",
                "Your role may not manage the waitlist.",
            ),
        };
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// The name of a part of the day.
pub fn day_part_name(part: DayPart, lang: Lang) -> &'static str {
    let (zh, en) = match part {
        DayPart::Morning => ("上午", "Morning"),
        DayPart::Afternoon => ("下午", "Afternoon"),
        DayPart::Evening => ("晚上", "Evening"),
    };
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// The name of a waitlist entry's state.
pub fn waitlist_status_name(status: WaitlistStatus, lang: Lang) -> &'static str {
    let (zh, en) = match status {
        WaitlistStatus::Waiting => ("等候中", "Waiting"),
        WaitlistStatus::Offered => ("已通知", "Offered"),
        WaitlistStatus::Booked => ("已约上", "Booked"),
        WaitlistStatus::Cancelled => ("已移出", "Removed"),
    };
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}
