//! Simplified Chinese and English, from the first string.
//!
//! Every string the UI shows is a [`Msg`]; [`tr`] is an exhaustive `match`, so a message without
//! both translations does not compile. (A catalogue crate such as `leptos_i18n` would add a build
//! step and proc-macros for the same guarantee; see ARCHITECTURE.md.)
use serde::{Deserialize, Serialize};

/// One area's words: an enum of them and `text(lang)`, both languages side by side in one
/// exhaustive `match`, so a word without its translation does not compile; each area keeps its own
/// catalogue so it grows without touching [`Msg`]. Defined before the modules that use it.
macro_rules! word_catalogue {
    ($catalogue:ident; $($name:ident => ($zh:expr, $en:expr),)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $catalogue {
            $($name,)*
        }

        impl $catalogue {
            pub fn text(self, lang: Lang) -> &'static str {
                let (zh, en) = match self {
                    $($catalogue::$name => ($zh, $en),)*
                };
                match lang {
                    Lang::Zh => zh,
                    Lang::En => en,
                }
            }
        }
    };
}

pub mod bedside_words;
pub mod booking_words;
pub mod check_words;
pub mod checkout_words;
pub mod complaint_words;
pub mod desk_words;
mod en;
pub mod errors;
pub mod first_use_words;
pub mod import_words;
pub mod labels;
pub mod privacy_words;
pub mod sales_words;
pub mod scorecard_words;
pub mod setup_words;
pub mod stock_words;
pub mod store_words;
pub mod task_words;
pub mod team_words;
mod zh;

/// A language the UI speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Lang {
    #[default]
    #[serde(rename = "zh-CN")]
    Zh,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Zh, Lang::En];

    /// The BCP 47 tag, for `<html lang>` and storage.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The language's own name, shown in the language picker.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Zh => "简体中文",
            Lang::En => "English",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The first of the browser's preferred languages that we speak; Chinese otherwise,
    /// since Orchid's users are first of all Chinese salons.
    pub fn negotiate<'a>(preferred: impl IntoIterator<Item = &'a str>) -> Lang {
        preferred
            .into_iter()
            .find_map(Lang::from_tag)
            .unwrap_or_default()
    }
}

/// Every message of the UI.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    AppName,
    SkipToContent,
    MainNavigation,
    NavToday,
    NavCustomers,
    NavCalendar,
    NavBedside,
    NavComplaints,
    NavFollowUps,
    NavReports,
    NavCheckout,
    NavStock,
    NavChecks,
    NavSettings,
    Online,
    Offline,
    OfflineHint,
    Language,
    UpdateReady,
    Reload,
    SignIn,
    SignOut,
    SignedInAs,
    Login,
    Password,
    SignInFailed,
    SignInUnreachable,
    SignInThrottled,
    SigningIn,
    FieldRequired,
    TodayIntro,
    CustomersIntro,
    CalendarIntro,
    BedsideIntro,
    ComplaintsIntro,
    FollowUpsIntro,
    ReportsIntro,
    SettingsIntro,
    NotFoundTitle,
    NotFoundBody,
    BackToToday,
    NothingYet,
    BookingRepeat,
    BookingRepeatNone,
    BookingRepeatWeekly,
    BookingRepeatFortnightly,
    BookingRepeatMonthly,
    BookingRepeatTimes,
    BookingRepeatTimesBad,
    ChannelSms,
    ChannelEmail,
    ChannelCall,
    ReminderHow,
    ReminderMark,
    ReminderDone,
    LabelTags,
    LabelAllergies,
    LabelContraindications,
    DeadlineWarning,
    DeadlineBreached,
    DeadlineDueAt,
    SeverityGeneral,
    SeverityMajor,
    SeverityCritical,
    TodayNoComplaintsDue,
    TodayNoFollowUps,
    TodayNoReminders,
    TodayLate,
    ReasonDuplicate,
    CustomerSearch,
    CustomerSearchHint,
    CustomerCount,
    CustomerNew,
    CustomerEdit,
    CustomerNoMatch,
    CustomersNoneYet,
    CustomerAddFirst,
    CustomerNotFound,
    FieldName,
    FieldPhone,
    FieldEmail,
    FieldWechat,
    FieldGender,
    FieldBirthday,
    FieldMemberNo,
    FieldTags,
    FieldPreferences,
    FieldNotes,
    FieldSkinType,
    FieldAllergies,
    FieldContraindications,
    FieldHealthNotes,
    GenderFemale,
    GenderMale,
    GenderOther,
    GenderUndisclosed,
    SkinDry,
    SkinOily,
    SkinCombination,
    SkinNormal,
    SkinSensitive,
    NotGiven,
    Save,
    Saving,
    Cancel,
    Saved,
    FixErrors,
    SectionContact,
    SectionCare,
    SectionHealth,
    SectionHealthHidden,
    SectionHealthLogged,
    SectionTimeline,
    TimelineEmpty,
    TimelineAppointment,
    TimelineFeedback,
    TimelineFollowUp,
    TimelineComplaint,
    TimelineServiceRecord,
    BookAppointment,
    CalendarDay,
    CalendarWeek,
    CalendarByTherapist,
    CalendarByRoom,
    CalendarPrev,
    CalendarNext,
    CalendarToday,
    CalendarNoStaff,
    CalendarAddStaff,
    CalendarAskForStaff,
    CalendarFreeSlot,
    Unassigned,
    BookingCustomer,
    BookingService,
    BookingTherapist,
    BookingRoom,
    BookingStart,
    BookingDate,
    BookingChannel,
    BookingNeeds,
    BookingChooseCustomer,
    BookingChooseService,
    BookingBadTime,
    ChannelPhone,
    ChannelWechat,
    ChannelWebsite,
    ChannelWalkIn,
    ChannelOther,
    StatusBooked,
    StatusConfirmed,
    StatusArrived,
    StatusInService,
    StatusCompleted,
    StatusNoShow,
    StatusCancelled,
    ActionConfirm,
    ActionCheckIn,
    ActionNoShow,
    ActionCancel,
    CancelReason,
    ReasonCustomerRequest,
    ReasonIllness,
    ReasonStoreRequest,
    ReasonOther,
    Conflicted,
    CheckInNeeds,
    CheckInLastVisit,
    CheckInLastFeedback,
    CheckInAllergies,
    Close,
    TodayAppointments,
    TodayExpected,
    TodayNone,
    TodayComplaintsDue,
    TodayFollowUpsDue,
    TodayOverdueSteps,
    TodayReminders,
    Loading,
    DemoLoad,
    DemoLoading,
    DemoHint,
    DemoLeftBehind,
    TodayStoreLoading,
    TodayNoCustomers,
    TodaySetUp,
    MinutesShort,
    Open,
    // The device's store and sync ([store]).
    StoreUnavailable,
    StoreOpenFailed,
    StoreVersionChanged,
    StoreQuotaExceeded,
    StoreReadFailed,
    StoreWriteFailed,
    StoreSignInRequired,
    StoreNotReady,
    BackupInvalid,
    PermissionDenied,
    ChangeRefused,
    StoreBlocked,
    SyncUnreachable,
    SyncSignInAgain,
    SyncServerError,
    SyncProtocolError,
    SyncClockAhead,
    SyncDeviceTaken,
    SyncChoosePassword,
    SyncWaitsForManager,
    PairNeedsManager,
    PairOtherStore,
    SyncLoading,
    SyncStandalone,
    SyncOffline,
    SyncIdle,
    SyncSending,
    SyncReceiving,
    SyncWaiting,
    SyncPending,
    SyncLastSynced,
    SyncNow,
    SyncRejected,
    SettingsDevice,
    DeviceStandalone,
    DevicePairedBy,
    PairIntro,
    Unpair,
    StorageHeading,
    StorageUsed,
    StoragePersistent,
    StorageNotPersistent,
    StorageAskPersist,
    StorageAtRisk,
    StorageInstallHint,
    StorageHowToKeep,
    BackupHeading,
    BackupIntro,
    BackupExport,
    BackupRestore,
    BackupRestoreConfirm,
    BackupRestored,
}

/// The text of `msg` in `lang`.
pub fn tr(lang: Lang, msg: Msg) -> &'static str {
    match lang {
        Lang::Zh => zh::text(msg),
        Lang::En => en::text(msg),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_the_first_language_we_speak() {
        assert_eq!(Lang::negotiate(["fr-FR", "en-GB", "zh-CN"]), Lang::En);
        assert_eq!(Lang::negotiate(["zh-TW"]), Lang::Zh);
        assert_eq!(Lang::negotiate(["de"]), Lang::Zh);
        assert_eq!(Lang::negotiate([]), Lang::Zh);
    }

    #[test]
    fn tags_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
    }

    #[test]
    fn both_languages_differ_for_words() {
        // A copy-paste of one catalogue into the other would pass the compiler; this catches it.
        assert_ne!(
            tr(Lang::Zh, Msg::NavCustomers),
            tr(Lang::En, Msg::NavCustomers)
        );
        assert_ne!(
            tr(Lang::Zh, Msg::UpdateReady),
            tr(Lang::En, Msg::UpdateReady)
        );
    }
}
