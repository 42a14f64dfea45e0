//! The words for the core's enums, so every page names a status or a channel the same way.
use orchid_core::appointment::{AppointmentStatus, BookingChannel, CancelReason};
use orchid_core::customer::{Gender, SkinType};
use orchid_core::role::Role;

use super::{Lang, Msg};

pub fn gender(g: Gender) -> Msg {
    match g {
        Gender::Female => Msg::GenderFemale,
        Gender::Male => Msg::GenderMale,
        Gender::Other => Msg::GenderOther,
        Gender::Undisclosed => Msg::GenderUndisclosed,
    }
}

pub fn skin_type(s: SkinType) -> Msg {
    match s {
        SkinType::Dry => Msg::SkinDry,
        SkinType::Oily => Msg::SkinOily,
        SkinType::Combination => Msg::SkinCombination,
        SkinType::Normal => Msg::SkinNormal,
        SkinType::Sensitive => Msg::SkinSensitive,
    }
}

pub fn channel(c: BookingChannel) -> Msg {
    match c {
        BookingChannel::Phone => Msg::ChannelPhone,
        BookingChannel::Wechat => Msg::ChannelWechat,
        BookingChannel::Website => Msg::ChannelWebsite,
        BookingChannel::WalkIn => Msg::ChannelWalkIn,
        BookingChannel::Other => Msg::ChannelOther,
    }
}

pub fn status(s: AppointmentStatus) -> Msg {
    match s {
        AppointmentStatus::Booked => Msg::StatusBooked,
        AppointmentStatus::Confirmed => Msg::StatusConfirmed,
        AppointmentStatus::Arrived => Msg::StatusArrived,
        AppointmentStatus::InService => Msg::StatusInService,
        AppointmentStatus::Completed => Msg::StatusCompleted,
        AppointmentStatus::NoShow => Msg::StatusNoShow,
        AppointmentStatus::Cancelled => Msg::StatusCancelled,
    }
}

pub fn cancel_reason(r: CancelReason) -> Msg {
    match r {
        CancelReason::CustomerRequest => Msg::ReasonCustomerRequest,
        CancelReason::Health => Msg::ReasonIllness,
        CancelReason::StoreReason => Msg::ReasonStoreRequest,
        CancelReason::Duplicate => Msg::ReasonDuplicate,
        CancelReason::Other => Msg::ReasonOther,
    }
}

pub fn follow_up_channel(c: orchid_core::followup::FollowUpChannel) -> Msg {
    use orchid_core::followup::FollowUpChannel as C;
    match c {
        C::Phone => Msg::ChannelCall,
        C::Sms => Msg::ChannelSms,
        C::Wechat => Msg::ChannelWechat,
        C::Email => Msg::ChannelEmail,
    }
}

/// A role's name (Chinese from the core, which the permission matrix and audit also use).
pub fn role_name(lang: Lang, role: Role) -> &'static str {
    match lang {
        Lang::Zh => role.name_zh(),
        Lang::En => match role {
            Role::Owner => "Owner",
            Role::Manager => "Manager",
            Role::Reception => "Reception",
            Role::Therapist => "Therapist",
            Role::CustomerServiceSupervisor => "Customer-service supervisor",
            Role::TechnicalSupervisor => "Technical supervisor",
            Role::FinanceSupervisor => "Finance supervisor",
        },
    }
}
