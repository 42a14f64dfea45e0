use super::Msg;

pub(super) fn text(msg: Msg) -> &'static str {
    match msg {
        Msg::AppName => "Orchid",
        Msg::SkipToContent => "Skip to content",
        Msg::MainNavigation => "Main navigation",
        Msg::NavToday => "Today",
        Msg::NavCustomers => "Customers",
        Msg::NavCalendar => "Calendar",
        Msg::NavBedside => "Bedside",
        Msg::NavComplaints => "Complaints",
        Msg::NavFollowUps => "Follow-ups",
        Msg::NavReports => "Reports",
        Msg::NavCheckout => "Check-out",
        Msg::NavStock => "Stock",
        Msg::NavChecks => "Checks",
        Msg::NavSettings => "Settings",
        Msg::Online => "Online",
        Msg::Offline => "Offline",
        Msg::OfflineHint => {
            "Working offline: your changes are kept on this device and sent when the network returns."
        }
        Msg::Language => "Language",
        Msg::UpdateReady => "A new version is ready.",
        Msg::Reload => "Reload",
        Msg::SignIn => "Sign in",
        Msg::SignOut => "Sign out",
        Msg::SignedInAs => "Signed in as",
        Msg::Login => "Login name",
        Msg::Password => "Password",
        Msg::SignInFailed => "The login name or password is not right. Check them and try again.",
        Msg::SignInUnreachable => {
            "The server cannot be reached. Check the network, or sign in later: the app keeps working offline."
        }
        Msg::SignInThrottled => "Too many failed attempts. Wait a few minutes, then try again.",
        Msg::SigningIn => "Signing in…",
        Msg::FieldRequired => "Please fill this in.",
        Msg::TodayIntro => {
            "Today's appointments, arrivals, overdue service steps, reminders, follow-ups and complaint deadlines."
        }
        Msg::CustomersIntro => {
            "Customer files: contact, preferences, skin assessments, allergies and the whole history."
        }
        Msg::CalendarIntro => "Bookings by therapist and by room or bed.",
        Msg::BedsideIntro => {
            "Beside the treatment bed: consultation, the service steps, and the customer's feedback."
        }
        Msg::ComplaintsIntro => "Complaints from intake to archive, with their deadlines.",
        Msg::FollowUpsIntro => "Care calls, recalls and birthdays to follow up.",
        Msg::ReportsIntro => "Satisfaction, complaints and service-flow figures.",
        Msg::SettingsIntro => "This device, language, sign-in and the store's set-up.",
        Msg::NotFoundTitle => "Page not found",
        Msg::NotFoundBody => "There is no page at this address.",
        Msg::BackToToday => "Back to Today",
        Msg::NothingYet => "Nothing here yet.",
        Msg::BookingRepeat => "Repeat",
        Msg::BookingRepeatNone => "Does not repeat",
        Msg::BookingRepeatWeekly => "Every week",
        Msg::BookingRepeatFortnightly => "Every two weeks",
        Msg::BookingRepeatMonthly => "Every month",
        Msg::BookingRepeatTimes => "Times in all",
        Msg::BookingRepeatTimesBad => "Enter a number of times from 2 to 52.",
        Msg::ChannelSms => "SMS",
        Msg::ChannelEmail => "E-mail",
        Msg::ChannelCall => "Phone call",
        Msg::ReminderHow => "Reminded by",
        Msg::ReminderMark => "Mark reminded",
        Msg::ReminderDone => "Reminded",
        Msg::LabelTags => "Tags",
        Msg::LabelAllergies => "Allergies",
        Msg::LabelContraindications => "Contraindications",
        Msg::DeadlineWarning => "Due soon",
        Msg::DeadlineBreached => "Overdue",
        Msg::DeadlineDueAt => "Due",
        Msg::SeverityGeneral => "General",
        Msg::SeverityMajor => "Major",
        Msg::SeverityCritical => "Critical",
        Msg::TodayNoComplaintsDue => "No complaint is near its deadline.",
        Msg::TodayNoFollowUps => "No follow-ups due today.",
        Msg::TodayNoReminders => "No bookings to remind for tomorrow.",
        Msg::TodayLate => "Late",
        Msg::ReasonDuplicate => "A duplicate booking",
        Msg::CustomerSearch => "Search customers",
        Msg::CustomerSearchHint => {
            "Name, pinyin initials, phone (or its last four digits), member number — press / from any page"
        }
        Msg::CustomerCount => "customers",
        Msg::CustomerNew => "New customer file",
        Msg::CustomerEdit => "Edit file",
        Msg::CustomerNoMatch => "No customer matches.",
        Msg::CustomersNoneYet => "No customers yet.",
        Msg::CustomerAddFirst => "Add the first customer",
        Msg::CustomerNotFound => "There is no such customer file (it may have been erased).",
        Msg::FieldName => "Name",
        Msg::FieldPhone => "Phone",
        Msg::FieldEmail => "E-mail",
        Msg::FieldWechat => "WeChat",
        Msg::FieldGender => "Gender",
        Msg::FieldBirthday => "Birthday",
        Msg::FieldMemberNo => "Member number",
        Msg::FieldTags => "Tags (separated by commas)",
        Msg::FieldPreferences => "Preferences",
        Msg::FieldNotes => "Notes",
        Msg::FieldSkinType => "Skin type",
        Msg::FieldAllergies => "Allergies (separated by commas)",
        Msg::FieldContraindications => "Contraindications (separated by commas)",
        Msg::FieldHealthNotes => "Health notes",
        Msg::GenderFemale => "Female",
        Msg::GenderMale => "Male",
        Msg::GenderOther => "Other",
        Msg::GenderUndisclosed => "Not given",
        Msg::SkinDry => "Dry",
        Msg::SkinOily => "Oily",
        Msg::SkinCombination => "Combination",
        Msg::SkinNormal => "Normal",
        Msg::SkinSensitive => "Sensitive",
        Msg::NotGiven => "—",
        Msg::Save => "Save",
        Msg::Saving => "Saving…",
        Msg::Cancel => "Cancel",
        Msg::Saved => "Saved.",
        Msg::FixErrors => "Please correct the marked fields first.",
        Msg::SectionContact => "Contact",
        Msg::SectionCare => "Preferences and tags",
        Msg::SectionHealth => "Health (sensitive)",
        Msg::SectionHealthHidden => "Your role may not see health information.",
        Msg::SectionHealthLogged => "Viewing health information is recorded in the audit log.",
        Msg::SectionTimeline => "History",
        Msg::TimelineEmpty => "No history yet.",
        Msg::TimelineAppointment => "Appointment",
        Msg::TimelineFeedback => "Feedback",
        Msg::TimelineFollowUp => "Follow-up",
        Msg::TimelineComplaint => "Complaint",
        Msg::TimelineServiceRecord => "Service record",
        Msg::BookAppointment => "Book",
        Msg::CalendarDay => "Day",
        Msg::CalendarWeek => "Week",
        Msg::CalendarByTherapist => "By therapist",
        Msg::CalendarByRoom => "By room/bed",
        Msg::CalendarPrev => "Previous",
        Msg::CalendarNext => "Next",
        Msg::CalendarToday => "Today",
        Msg::CalendarNoStaff => "No therapists yet.",
        Msg::CalendarAddStaff => "Add the team in Set-up",
        Msg::CalendarAskForStaff => "A manager adds the team in Set-up.",
        Msg::CalendarFreeSlot => "Free slot: tap to book",
        Msg::Unassigned => "Unassigned",
        Msg::BookingCustomer => "Customer",
        Msg::BookingService => "Service",
        Msg::BookingTherapist => "Therapist",
        Msg::BookingRoom => "Room/bed",
        Msg::BookingStart => "Start",
        Msg::BookingDate => "Date",
        Msg::BookingChannel => "Booked by",
        Msg::BookingNeeds => "The customer's needs",
        Msg::BookingChooseCustomer => "Choose a customer.",
        Msg::BookingChooseService => "Choose a service.",
        Msg::BookingBadTime => "Enter a valid date and time.",
        Msg::ChannelPhone => "Phone",
        Msg::ChannelWechat => "WeChat",
        Msg::ChannelWebsite => "Website",
        Msg::ChannelWalkIn => "Walk-in",
        Msg::ChannelOther => "Other",
        Msg::StatusBooked => "Booked",
        Msg::StatusConfirmed => "Confirmed",
        Msg::StatusArrived => "Arrived",
        Msg::StatusInService => "In service",
        Msg::StatusCompleted => "Completed",
        Msg::StatusNoShow => "No-show",
        Msg::StatusCancelled => "Cancelled",
        Msg::ActionConfirm => "Confirm",
        Msg::ActionCheckIn => "Check in",
        Msg::ActionNoShow => "Mark no-show",
        Msg::ActionCancel => "Cancel booking",
        Msg::CancelReason => "Reason for cancelling",
        Msg::ReasonCustomerRequest => "The customer asked",
        Msg::ReasonIllness => "The customer is unwell",
        Msg::ReasonStoreRequest => "The store's reason",
        Msg::ReasonOther => "Another reason",
        Msg::Conflicted => "Collides: needs a person to resolve",
        Msg::CheckInNeeds => "Needs",
        Msg::CheckInLastVisit => "Last visit",
        Msg::CheckInLastFeedback => "Last feedback",
        Msg::CheckInAllergies => "Allergies and contraindications",
        Msg::Close => "Close",
        Msg::TodayAppointments => "Today's appointments",
        Msg::TodayExpected => "Still expected",
        Msg::TodayNone => "No appointments today.",
        Msg::TodayComplaintsDue => "Complaints near their deadline",
        Msg::TodayFollowUpsDue => "Follow-ups due",
        Msg::TodayOverdueSteps => "Service steps running late",
        Msg::TodayReminders => "Reminders for tomorrow",
        Msg::Loading => "Loading…",
        Msg::DemoLoad => "Load the demo store (invented data)",
        Msg::DemoLoading => "Loading the demo data…",
        Msg::DemoHint => {
            "This device has no data yet. To look around, load a demo store: 2,000 invented customers and a month of appointments. It is for trying Orchid only — when this device is signed in to your salon's server, the demo data stays behind."
        }
        Msg::DemoLeftBehind => {
            "The demo store's invented data stayed off your salon's server: this device now holds your store's records."
        }
        Msg::TodayStoreLoading => "Loading this store's records from the server…",
        Msg::TodayNoCustomers => "This store has no customers yet.",
        Msg::TodaySetUp => "Set up the team, rooms and services",
        Msg::MinutesShort => "min",
        Msg::Open => "Open",
        Msg::StoreUnavailable => {
            "This browser cannot keep records on the device (storage is disabled or in private mode). Changes last only until the tab closes."
        }
        Msg::StoreOpenFailed => {
            "The records on this device could not be opened. Reload the page; if it happens again, restore a backup in Settings."
        }
        Msg::StoreVersionChanged => {
            "A newer version of the app was opened in another tab. Reload this tab to keep working."
        }
        Msg::StoreQuotaExceeded => {
            "This device's storage is full, so the change was not saved. Free space (other sites' data, old downloads) or sync and export a backup, then try again."
        }
        Msg::StoreReadFailed => "The records on this device could not be read. Reload the page.",
        Msg::StoreWriteFailed => {
            "The change could not be saved on this device; nothing was changed. Try again."
        }
        Msg::StoreSignInRequired => "Sign in to make changes on this device.",
        Msg::StoreNotReady => "The records are still loading. Try again in a moment.",
        Msg::BackupInvalid => "This file is not an Orchid backup this version can restore.",
        Msg::PermissionDenied => "Your role is not allowed to do this.",
        Msg::ChangeRefused => "The change could not be made. Check what you entered and try again.",
        Msg::StoreBlocked => {
            "Other tabs of the app are still open with an older version. Close them so this tab can finish updating."
        }
        Msg::SyncUnreachable => {
            "The server cannot be reached. Changes stay on this device and are sent when it can be reached."
        }
        Msg::SyncSignInAgain => "Sign in again so the changes waiting on this device can be sent.",
        Msg::SyncServerError => "The server had a problem; sync will try again shortly.",
        Msg::SyncProtocolError => {
            "The server runs another version of Orchid. Reload the app; if it persists, tell the manager."
        }
        Msg::SyncClockAhead => {
            "This device's clock is ahead of the server's. Set the right date and time; changes made meanwhile stay on this device and are sent once the server's clock reaches them."
        }
        Msg::SyncWaitsForManager => {
            "Changes made on this device by someone since deactivated are waiting: a manager or the owner signing in here sends them (they stay hers)."
        }
        Msg::SyncChoosePassword => {
            "Your password was set by someone else: choose your own (Settings → Change my password) and this device syncs again."
        }
        Msg::SyncDeviceTaken => {
            "The server says this device's id belongs to another device. Changes stay on this device; a manager signs the other device out in Devices, then sync goes on."
        }
        Msg::PairNeedsManager => {
            "A manager or the owner must sign in first to register this device with the store."
        }
        Msg::PairOtherStore => {
            "This device belongs to another store. Sign in with an account of that store, or unpair the device in Settings."
        }
        Msg::SyncLoading => "Loading the records on this device…",
        Msg::SyncStandalone => "On this device only (no server)",
        Msg::SyncOffline => "Offline: changes wait on this device",
        Msg::SyncIdle => "Up to date",
        Msg::SyncSending => "Sending",
        Msg::SyncReceiving => "Receiving changes",
        Msg::SyncWaiting => "Sync will try again shortly",
        Msg::SyncPending => "Waiting to send:",
        Msg::SyncLastSynced => "Last synced",
        Msg::SyncNow => "Sync now",
        Msg::SyncRejected => "Changes the server refused (they were undone on this device):",
        Msg::SettingsDevice => "This device",
        Msg::DeviceStandalone => "This device works on its own: records are kept only here.",
        Msg::DevicePairedBy => "Registered with the store's server by",
        Msg::PairIntro => {
            "To keep records in step with the store's server, a manager or the owner signs in:"
        }
        Msg::Unpair => "Stop syncing on this device",
        Msg::StorageHeading => "Storage",
        Msg::StorageUsed => "Used",
        Msg::StoragePersistent => "The browser keeps these records even when space runs low.",
        Msg::StorageNotPersistent => {
            "The browser may clear these records when space runs low. Sync or export a backup regularly."
        }
        Msg::StorageAskPersist => "Ask the browser to keep them",
        Msg::StorageAtRisk => {
            "Changes not yet sent live only in this browser, which may clear them."
        }
        Msg::StorageHowToKeep => "How to keep them",
        Msg::StorageInstallHint => {
            "Install Orchid (Chrome: menu → Install; iPad: Share → Add to Home Screen) so they are kept."
        }
        Msg::BackupHeading => "Backup",
        Msg::BackupIntro => {
            "Save everything on this device to a file, or move it to a new device (changes not yet sent go with it)."
        }
        Msg::BackupExport => "Export a backup",
        Msg::BackupRestore => "Restore from a backup file",
        Msg::BackupRestoreConfirm => {
            "Replace everything on this device with the backup? Do not use the old device afterwards."
        }
        Msg::BackupRestored => "The backup was restored.",
    }
}
