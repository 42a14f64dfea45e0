//! A store (门店): its opening hours, time zone and settings — the per-store numbers the rules use.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::error::ValidationError;
use crate::ids::StoreId;
use crate::record::record_fields;
use crate::role::Role;
use crate::text::{Label, Name};
use crate::time::{OpeningHours, UtcOffset};

/// Invalid store settings.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "code")]
pub enum StoreError {
    /// A setting is outside its allowed range.
    #[serde(rename = "store.setting_out_of_range")]
    #[error("setting {setting} = {value} is outside {min}..={max}")]
    SettingOutOfRange {
        /// The setting's name (as in JSON).
        setting: String,
        /// The value given.
        value: i64,
        /// Smallest allowed.
        min: i64,
        /// Largest allowed.
        max: i64,
    },
    /// A complaint route to a role that cannot handle complaints.
    #[serde(rename = "store.route_to_role_that_cannot_handle")]
    #[error("complaints cannot be routed to a {role}")]
    RouteToRoleThatCannotHandle {
        /// The role.
        role: Role,
    },
}

impl StoreError {
    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::SettingOutOfRange { .. } => "store.setting_out_of_range",
            Self::RouteToRoleThatCannotHandle { .. } => "store.route_to_role_that_cannot_handle",
        }
    }
}

/// Time limits of the standard service flow (预约 → 接待 → 介绍 → 服务 → 反馈 → 跟进), per store.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FlowLimits {
    /// A booking is confirmed within this many minutes of being made.
    pub confirm_booking_minutes: u32,
    /// After arrival, the customer is received (consultation / introduction starts) within this many minutes.
    pub reception_minutes: u32,
    /// The introduction / consultation is done and the service starts within this many minutes.
    pub introduction_minutes: u32,
    /// The service may run this many minutes over its planned duration.
    pub service_overrun_minutes: u32,
    /// Feedback is asked within this many minutes of the end of the service.
    pub feedback_minutes: u32,
    /// The first follow-up is done within this many hours of the end of the service.
    pub follow_up_hours: u32,
}

impl Default for FlowLimits {
    fn default() -> Self {
        Self {
            confirm_booking_minutes: 120,
            reception_minutes: 10,
            introduction_minutes: 20,
            service_overrun_minutes: 15,
            feedback_minutes: 30,
            follow_up_hours: 48,
        }
    }
}

/// Who handles complaints of the natures the seeds leave open.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ComplaintRouting {
    /// Product complaints (default: technical supervisor).
    pub product: Role,
    /// Environment / hygiene complaints (default: customer-service supervisor).
    pub environment: Role,
    /// Other complaints (default: customer-service supervisor).
    pub other: Role,
}

impl Default for ComplaintRouting {
    fn default() -> Self {
        Self {
            product: Role::TechnicalSupervisor,
            environment: Role::CustomerServiceSupervisor,
            other: Role::CustomerServiceSupervisor,
        }
    }
}

/// A store's settings: the numbers behind the rules.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct StoreSettings {
    /// Minutes kept free after each booking of a therapist or room (cleaning, preparation). 0–120.
    pub booking_buffer_minutes: u32,
    /// Time limits of the service flow.
    pub flow_limits: FlowLimits,
    /// A feedback with any dimension rated at or below this (1–5) is "low". 1–4.
    pub low_rating_threshold: u8,
    /// A feedback with a recommend score at or below this (0–10) is "low". 0–9.
    pub low_recommend_threshold: u8,
    /// Routing of complaint natures the seeds leave open.
    pub complaint_routing: ComplaintRouting,
    /// Count complaint deadlines in opening hours only (otherwise around the clock).
    pub deadlines_in_business_hours: bool,
    /// Warn when this share (percent, 1–99) of a deadline's time has passed.
    pub deadline_warning_percent: u8,
    /// The care call (护理回访) after a service happens this many days later. 1–14.
    pub care_call_after_days: u32,
    /// Birthday care reminders this many days ahead. 0–60.
    pub birthday_reminder_days: u32,
    /// A customer who has not come for this many days is lapsed (re-engagement). 14–730.
    pub lapsed_after_days: u32,
    /// Batches expiring within this many days raise an alert. 1–365.
    pub expiry_warning_days: u32,
    /// A bedside tablet locks itself after this many idle seconds (nothing sensitive stays on an
    /// unattended screen). 10–1800; default two minutes.
    pub bedside_lock_seconds: u32,
    /// A shared device (reception's PC, a tablet several people use) returns to "who is
    /// working?" after this many idle seconds. 60–14,400; default fifteen minutes: the desk is
    /// watched, a bedside tablet is not.
    pub desk_lock_seconds: u32,
    /// A device keeps appointments, service records and feedback of the last this many months;
    /// older ones the server has may be evicted from it (they stay on the server). 1–120.
    pub device_history_months: u32,
    /// A customer's file is kept this many months after her last contact (visit, booking,
    /// feedback, an edit of her file), then listed for a manager to review and erase (PIPL art.
    /// 47). 12–240; default three years.
    pub retention_months: u32,
    /// The kiosk asks a customer's expectations (the SERVQUAL gap's other half) at her first
    /// feedback and then at every this-many-th one; 0 asks only the first time. 0–50; default 5.
    pub expectations_every: u32,
    /// How much each figure of the monthly staff scorecard counts (relative weights).
    pub scorecard_weights: crate::scorecard::ScorecardWeights,
    /// Customers booking themselves on the store's public page (off until the store turns it on).
    pub online_booking: crate::online_booking::OnlineBooking,
    /// Membership rules: points, level discounts, top-up offers (absent in older data: defaults).
    pub loyalty: crate::loyalty::LoyaltyRules,
}

impl Default for StoreSettings {
    fn default() -> Self {
        Self {
            booking_buffer_minutes: 10,
            flow_limits: FlowLimits::default(),
            low_rating_threshold: 2,
            low_recommend_threshold: 6,
            complaint_routing: ComplaintRouting::default(),
            deadlines_in_business_hours: false,
            deadline_warning_percent: 75,
            care_call_after_days: 1,
            birthday_reminder_days: 7,
            lapsed_after_days: 90,
            expiry_warning_days: 30,
            bedside_lock_seconds: 120,
            desk_lock_seconds: 900,
            device_history_months: 12,
            retention_months: 36,
            expectations_every: 5,
            scorecard_weights: crate::scorecard::ScorecardWeights::default(),
            online_booking: crate::online_booking::OnlineBooking::default(),
            loyalty: crate::loyalty::LoyaltyRules::default(),
        }
    }
}

fn range(setting: &str, value: i64, min: i64, max: i64) -> Result<(), StoreError> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(StoreError::SettingOutOfRange {
            setting: setting.to_owned(),
            value,
            min,
            max,
        })
    }
}

impl StoreSettings {
    /// Checks every setting's range.
    pub fn validate(&self) -> Result<(), StoreError> {
        let f = &self.flow_limits;
        range(
            "bedside_lock_seconds",
            self.bedside_lock_seconds.into(),
            10,
            1800,
        )?;
        range(
            "desk_lock_seconds",
            self.desk_lock_seconds.into(),
            60,
            14_400,
        )?;
        range(
            "device_history_months",
            self.device_history_months.into(),
            1,
            120,
        )?;
        range("retention_months", self.retention_months.into(), 12, 240)?;
        range("expectations_every", self.expectations_every.into(), 0, 50)?;
        let online = &self.online_booking;
        range(
            "online_booking.notice_hours",
            online.notice_hours.into(),
            0,
            168,
        )?;
        range("online_booking.days_ahead", online.days_ahead.into(), 1, 90)?;
        range(
            "online_booking.slot_minutes",
            online.slot_minutes.into(),
            5,
            120,
        )?;
        if let Some((setting, value, min, max)) = self.loyalty.out_of_range() {
            range(setting, value, min, max)?;
        }
        let weights = &self.scorecard_weights;
        for (setting, value) in [
            ("scorecard_weights.satisfaction", weights.satisfaction),
            ("scorecard_weights.timeliness", weights.timeliness),
            ("scorecard_weights.accuracy", weights.accuracy),
            ("scorecard_weights.complaints", weights.complaints),
            ("scorecard_weights.butler", weights.butler),
            ("scorecard_weights.teamwork", weights.teamwork),
            ("scorecard_weights.discipline", weights.discipline),
        ] {
            range(setting, value.into(), 0, 100)?;
        }
        range(
            "booking_buffer_minutes",
            self.booking_buffer_minutes.into(),
            0,
            120,
        )?;
        range(
            "flow_limits.confirm_booking_minutes",
            f.confirm_booking_minutes.into(),
            1,
            10_080,
        )?;
        range(
            "flow_limits.reception_minutes",
            f.reception_minutes.into(),
            1,
            240,
        )?;
        range(
            "flow_limits.introduction_minutes",
            f.introduction_minutes.into(),
            1,
            240,
        )?;
        range(
            "flow_limits.service_overrun_minutes",
            f.service_overrun_minutes.into(),
            0,
            240,
        )?;
        range(
            "flow_limits.feedback_minutes",
            f.feedback_minutes.into(),
            1,
            1440,
        )?;
        range(
            "flow_limits.follow_up_hours",
            f.follow_up_hours.into(),
            1,
            720,
        )?;
        range(
            "low_rating_threshold",
            self.low_rating_threshold.into(),
            1,
            4,
        )?;
        range(
            "low_recommend_threshold",
            self.low_recommend_threshold.into(),
            0,
            9,
        )?;
        range(
            "deadline_warning_percent",
            self.deadline_warning_percent.into(),
            1,
            99,
        )?;
        range(
            "care_call_after_days",
            self.care_call_after_days.into(),
            1,
            14,
        )?;
        range(
            "birthday_reminder_days",
            self.birthday_reminder_days.into(),
            0,
            60,
        )?;
        range("lapsed_after_days", self.lapsed_after_days.into(), 14, 730)?;
        range(
            "expiry_warning_days",
            self.expiry_warning_days.into(),
            1,
            365,
        )?;
        let r = &self.complaint_routing;
        for role in [r.product, r.environment, r.other] {
            if !crate::permission::allowed(
                role,
                crate::permission::Action::ComplaintHandle,
                Default::default(),
            ) {
                return Err(StoreError::RouteToRoleThatCannotHandle { role });
            }
        }
        Ok(())
    }
}

/// A store.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Store {
    /// Id.
    pub id: StoreId,
    /// Name, e.g. 兰心美容·静安店.
    pub name: Name,
    /// Address.
    pub address: Option<Label>,
    /// Time zone, as a fixed offset.
    pub utc_offset: UtcOffset,
    /// Opening hours.
    pub opening_hours: OpeningHours,
    /// Settings.
    pub settings: StoreSettings,
}

impl Store {
    /// A store with default hours (10:00–21:00, UTC+8) and settings.
    pub fn new(id: StoreId, name: Name) -> Self {
        Self {
            id,
            name,
            address: None,
            utc_offset: UtcOffset::CHINA,
            opening_hours: OpeningHours::default(),
            settings: StoreSettings::default(),
        }
    }
    /// A blank record to materialize fields onto.
    pub fn blank(id: StoreId) -> Self {
        Self::new(id, Name::placeholder())
    }
}

record_fields! {
    /// The editable fields of a [`Store`].
    pub enum StoreField for Store [checked] {
        /// Name.
        Name(Name) => name, Ordinary, Keep;
        /// Address.
        Address(Option<Label>) => address, Ordinary, Keep;
        /// Time zone.
        UtcOffset(UtcOffset) => utc_offset, Ordinary, Keep;
        /// Opening hours.
        OpeningHours(OpeningHours) => opening_hours, Ordinary, Keep;
        /// Settings.
        Settings(StoreSettings) => settings, Ordinary, Keep;
    }
}

impl StoreField {
    fn check_field(&self) -> Result<(), ValidationError> {
        match self {
            Self::Settings(s) => s.validate().map_err(Into::into),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::FieldSet;

    #[test]
    fn default_settings_are_valid() {
        assert_eq!(StoreSettings::default().validate(), Ok(()));
    }

    #[test]
    fn out_of_range_settings_name_the_setting() {
        let mut s = StoreSettings {
            booking_buffer_minutes: 121,
            ..Default::default()
        };
        let e = s.validate().unwrap_err();
        assert_eq!(e.code(), "store.setting_out_of_range");
        assert_eq!(
            e,
            StoreError::SettingOutOfRange {
                setting: "booking_buffer_minutes".into(),
                value: 121,
                min: 0,
                max: 120
            }
        );
        s.booking_buffer_minutes = 120;
        assert!(s.validate().is_ok());
        s.deadline_warning_percent = 100;
        assert!(s.validate().is_err());
        let s = StoreSettings {
            complaint_routing: ComplaintRouting {
                other: Role::Therapist,
                ..Default::default()
            },
            ..Default::default()
        };
        assert_eq!(
            s.validate().unwrap_err().code(),
            "store.route_to_role_that_cannot_handle"
        );
        assert!(StoreField::Settings(s).check().is_err());
    }

    #[test]
    fn settings_deserialize_with_defaults() {
        let s: StoreSettings = serde_json::from_str(r#"{"booking_buffer_minutes":5}"#).unwrap();
        assert_eq!(s.booking_buffer_minutes, 5);
        assert_eq!(s.flow_limits, FlowLimits::default());
    }

    #[test]
    fn fields_apply() {
        let mut st = Store::blank(StoreId::from_u128(1));
        StoreField::Name(Name::parse("兰心·静安店").unwrap()).apply_to(&mut st);
        assert_eq!(st.name.as_str(), "兰心·静安店");
        assert_eq!(StoreField::all_from(&st).len(), StoreField::NAMES.len());
    }
}
