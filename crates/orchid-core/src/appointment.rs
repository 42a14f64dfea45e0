//! Appointments (预约): booking from every channel, conflicts for therapist, room/bed and customer (with a
//! buffer), opening hours, recurrence, and the status machine with the roles allowed for each move.

use chrono::{Duration, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::catalog::ServiceCategory;
use crate::error::ValidationError;
use crate::ids::{AppointmentId, CustomerId, RoomId, ServiceId, StaffId, StoreId, TransitionId};
use crate::record::record_fields;
use crate::role::Role;
use crate::room::Room;
use crate::store::Store;
use crate::text::Note;
use crate::time::{Interval, Timestamp, UtcOffset};

/// The longest single appointment, in minutes (12 hours).
pub const MAX_APPOINTMENT_MINUTES: i64 = 12 * 60;
/// The most occurrences a recurring booking may expand to.
pub const MAX_OCCURRENCES: u32 = 52;

/// Refused bookings and moves. `code()` is stable and meant for translation.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "code")]
pub enum AppointmentError {
    /// The appointment is not within one day's opening hours.
    #[serde(rename = "appointment.outside_opening_hours")]
    #[error("the appointment {start} – {end} is outside the store's opening hours")]
    OutsideOpeningHours {
        /// Start.
        start: Timestamp,
        /// End.
        end: Timestamp,
    },
    /// Longer than 12 hours.
    #[serde(rename = "appointment.too_long")]
    #[error("an appointment of {minutes} minutes is too long (at most {max})")]
    TooLong {
        /// Its length.
        minutes: i64,
        /// The limit.
        max: i64,
    },
    /// No service booked.
    #[serde(rename = "appointment.no_services")]
    #[error("an appointment needs at least one service")]
    NoServices,
    /// The appointment collides with others (see the conflicts).
    #[serde(rename = "appointment.conflict")]
    #[error("the appointment collides with {count} other booking(s)")]
    Conflict {
        /// How many collisions.
        count: usize,
        /// The collisions.
        conflicts: Vec<Conflict>,
    },
    /// There is no such move in the status machine.
    #[serde(rename = "appointment.transition_not_allowed")]
    #[error("an appointment cannot go from {from:?} to {to:?}")]
    TransitionNotAllowed {
        /// Current status.
        from: AppointmentStatus,
        /// Wanted status.
        to: AppointmentStatus,
    },
    /// The move exists but this role may not make it.
    #[serde(rename = "appointment.role_may_not_transition")]
    #[error("a {role} may not move an appointment from {from:?} to {to:?}")]
    RoleMayNotTransition {
        /// Who tried.
        role: Role,
        /// Current status.
        from: AppointmentStatus,
        /// Wanted status.
        to: AppointmentStatus,
    },
    /// A check-in on another day than the booking's (in the store's time zone): the customer is
    /// not here for this booking, or the wrong booking was tapped.
    #[serde(rename = "appointment.not_the_booking_day")]
    #[error("a booking of {booked} cannot be checked in on {today}")]
    NotTheBookingDay {
        /// The booking's day.
        booked: NaiveDate,
        /// The day of the check-in.
        today: NaiveDate,
    },
    /// Cancelling needs a reason.
    #[serde(rename = "appointment.reason_required")]
    #[error("a reason is required to cancel")]
    ReasonRequired,
    /// A recurrence without an end (neither count nor until).
    #[serde(rename = "recurrence.needs_end")]
    #[error("a recurring booking needs a number of occurrences or an end date")]
    RecurrenceNeedsEnd,
    /// A recurrence interval outside 1–12.
    #[serde(rename = "recurrence.interval_out_of_range")]
    #[error("a recurrence interval of {interval} is outside 1–12")]
    RecurrenceIntervalOutOfRange {
        /// The interval given.
        interval: u32,
    },
    /// A recurrence expanding to more than the limit.
    #[serde(rename = "recurrence.too_many")]
    #[error("a recurring booking may have at most {max} occurrences")]
    RecurrenceTooMany {
        /// The limit.
        max: u32,
    },
}

impl AppointmentError {
    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::OutsideOpeningHours { .. } => "appointment.outside_opening_hours",
            Self::TooLong { .. } => "appointment.too_long",
            Self::NoServices => "appointment.no_services",
            Self::Conflict { .. } => "appointment.conflict",
            Self::TransitionNotAllowed { .. } => "appointment.transition_not_allowed",
            Self::RoleMayNotTransition { .. } => "appointment.role_may_not_transition",
            Self::NotTheBookingDay { .. } => "appointment.not_the_booking_day",
            Self::ReasonRequired => "appointment.reason_required",
            Self::RecurrenceNeedsEnd => "recurrence.needs_end",
            Self::RecurrenceIntervalOutOfRange { .. } => "recurrence.interval_out_of_range",
            Self::RecurrenceTooMany { .. } => "recurrence.too_many",
        }
    }
}

/// Where the booking came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookingChannel {
    /// 电话.
    Phone,
    /// 微信.
    Wechat,
    /// 网站.
    Website,
    /// 到店 (walk-in).
    WalkIn,
    /// Other.
    Other,
}

/// How often a booking repeats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// Every `interval` days.
    Daily,
    /// Every `interval` weeks.
    Weekly,
    /// Every `interval` months, on the same day (the month's last day if it has fewer days).
    Monthly,
}

/// A recurrence rule (a course of treatments: every week for 10 weeks…).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Recurrence {
    /// How often.
    pub frequency: Frequency,
    /// Every how many days/weeks/months, 1–12.
    pub interval: u32,
    /// How many occurrences in all (including the first).
    pub count: Option<u32>,
    /// Last local date an occurrence may fall on.
    pub until: Option<NaiveDate>,
}

impl Recurrence {
    /// Checks the interval and that the rule ends.
    pub fn validate(&self) -> Result<(), AppointmentError> {
        if !(1..=12).contains(&self.interval) {
            return Err(AppointmentError::RecurrenceIntervalOutOfRange {
                interval: self.interval,
            });
        }
        match self.count {
            None if self.until.is_none() => Err(AppointmentError::RecurrenceNeedsEnd),
            Some(c) if c == 0 || c > MAX_OCCURRENCES => Err(AppointmentError::RecurrenceTooMany {
                max: MAX_OCCURRENCES,
            }),
            _ => Ok(()),
        }
    }

    /// The occurrences of a booking whose first occurrence is `first`, in the store's local time (so a
    /// 10:00 booking stays at 10:00). At most [`MAX_OCCURRENCES`]; more is an error.
    pub fn expand(
        &self,
        first: Interval,
        offset: UtcOffset,
    ) -> Result<Vec<Interval>, AppointmentError> {
        self.validate()?;
        let length = first.end - first.start;
        let local_start = offset.local(first.start);
        let mut out = Vec::new();
        for i in 0..=MAX_OCCURRENCES {
            if let Some(c) = self.count
                && i >= c
            {
                break;
            }
            let step = i.saturating_mul(self.interval);
            let date = match self.frequency {
                Frequency::Daily => local_start
                    .date()
                    .checked_add_signed(Duration::days(i64::from(step))),
                Frequency::Weekly => local_start
                    .date()
                    .checked_add_signed(Duration::weeks(i64::from(step))),
                Frequency::Monthly => local_start.date().checked_add_months(Months::new(step)),
            };
            let Some(date) = date else { break };
            if let Some(until) = self.until
                && date > until
            {
                break;
            }
            if i == MAX_OCCURRENCES {
                return Err(AppointmentError::RecurrenceTooMany {
                    max: MAX_OCCURRENCES,
                });
            }
            let start = offset.to_utc(date.and_time(local_start.time()));
            out.push(Interval {
                start,
                end: start + length,
            });
        }
        Ok(out)
    }
}

/// Membership of a recurring series.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Series {
    /// The first appointment of the series.
    pub series_id: AppointmentId,
    /// The rule.
    pub rule: Recurrence,
    /// 0 for the first occurrence.
    pub index: u32,
}

/// An appointment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Appointment {
    /// Id.
    pub id: AppointmentId,
    /// Store.
    pub store_id: StoreId,
    /// Customer.
    pub customer_id: CustomerId,
    /// Therapist, if chosen.
    pub therapist_id: Option<StaffId>,
    /// Room or bed, if chosen.
    pub room_id: Option<RoomId>,
    /// Services booked.
    pub services: Vec<ServiceId>,
    /// When.
    pub time: Interval,
    /// Booking channel.
    pub channel: BookingChannel,
    /// The customer's needs, so staff know them before arrival.
    pub needs: Note,
    /// Part of a recurring series.
    pub series: Option<Series>,
    /// When it was booked.
    pub booked_at: Timestamp,
    /// Who booked it (none for online self-booking).
    pub booked_by: Option<StaffId>,
    /// The day-before reminder, once reception has made it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminded: Option<Reminder>,
}

/// A reminder made to the customer about her booking (the app records it; sending is done by
/// phone or the messaging app).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Reminder {
    /// When.
    pub at: Timestamp,
    /// How.
    pub channel: crate::followup::FollowUpChannel,
    /// By whom.
    pub by: Option<StaffId>,
}

impl Appointment {
    /// A blank record to materialize fields onto (sync can deliver fields before the booking).
    pub fn blank(id: AppointmentId, store_id: StoreId) -> Self {
        let epoch = Timestamp::UNIX_EPOCH;
        Self {
            id,
            store_id,
            customer_id: CustomerId::from_u128(0),
            therapist_id: None,
            room_id: None,
            services: Vec::new(),
            time: Interval {
                start: epoch,
                end: epoch + Duration::minutes(1),
            },
            channel: BookingChannel::Other,
            needs: Note::default(),
            series: None,
            booked_at: epoch,
            booked_by: None,
            reminded: None,
        }
    }
    /// Checks what can be checked without other bookings: services, length, recurrence.
    pub fn validate(&self) -> Result<(), AppointmentError> {
        if self.services.is_empty() {
            return Err(AppointmentError::NoServices);
        }
        check_length(&self.time)?;
        if let Some(s) = &self.series {
            s.rule.validate()?;
        }
        Ok(())
    }
}

fn check_length(time: &Interval) -> Result<(), AppointmentError> {
    let minutes = time.minutes();
    if minutes > MAX_APPOINTMENT_MINUTES {
        return Err(AppointmentError::TooLong {
            minutes,
            max: MAX_APPOINTMENT_MINUTES,
        });
    }
    Ok(())
}

record_fields! {
    /// The editable fields of an [`Appointment`]. (Its status is not a field: it moves through
    /// [`StatusChange`]s and the status machine.)
    pub enum AppointmentField for Appointment [checked] {
        /// Customer.
        CustomerId(CustomerId) => customer_id, Ordinary, Keep;
        /// Therapist.
        TherapistId(Option<StaffId>) => therapist_id, Ordinary, Keep;
        /// Room or bed.
        RoomId(Option<RoomId>) => room_id, Ordinary, Keep;
        /// Services.
        Services(Vec<ServiceId>) => services, Ordinary, Keep;
        /// Time.
        Time(Interval) => time, Ordinary, Keep;
        /// Channel.
        Channel(BookingChannel) => channel, Ordinary, Keep;
        /// Needs.
        Needs(Note) => needs, Ordinary, Erase;
        /// Series.
        Series(Option<Series>) => series, Ordinary, Keep;
        /// Booked at.
        BookedAt(Timestamp) => booked_at, Ordinary, Keep;
        /// Booked by.
        BookedBy(Option<StaffId>) => booked_by, Ordinary, Keep;
        /// The reminder made.
        Reminded(Option<Reminder>) => reminded, Ordinary, Keep;
    }
}

impl AppointmentField {
    fn check_field(&self) -> Result<(), ValidationError> {
        let r = match self {
            Self::Services(s) if s.is_empty() => Err(AppointmentError::NoServices),
            Self::Time(t) => check_length(t),
            Self::Series(Some(s)) => s.rule.validate(),
            _ => Ok(()),
        };
        r.map_err(Into::into)
    }
}

/// The status of an appointment.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentStatus {
    /// 已预约.
    #[default]
    Booked,
    /// 已确认.
    Confirmed,
    /// 已到店 (checked in).
    Arrived,
    /// 服务中.
    InService,
    /// 已完成.
    Completed,
    /// 爽约.
    NoShow,
    /// 已取消.
    Cancelled,
}

impl AppointmentStatus {
    /// Every status.
    pub const ALL: [AppointmentStatus; 7] = [
        Self::Booked,
        Self::Confirmed,
        Self::Arrived,
        Self::InService,
        Self::Completed,
        Self::NoShow,
        Self::Cancelled,
    ];
    /// Does an appointment in this status hold its therapist, room and customer? (Not when cancelled or
    /// a no-show.)
    pub fn holds_time(self) -> bool {
        !matches!(self, Self::NoShow | Self::Cancelled)
    }
    /// May a booking in this status move to another time, therapist or room, or change length?
    /// Only before its service starts: once in service, completed, a no-show or cancelled, its
    /// time is history (reinstate a cancelled booking first, then move it).
    pub fn may_reschedule(self) -> bool {
        matches!(self, Self::Booked | Self::Confirmed | Self::Arrived)
    }
}

/// Why an appointment was cancelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CancelReason {
    /// The customer asked.
    CustomerRequest,
    /// The customer is ill or a contraindication appeared.
    Health,
    /// The store had to (therapist ill, equipment broken…).
    StoreReason,
    /// Booked twice by mistake, or a booking collision resolved.
    Duplicate,
    /// Weather, traffic, other.
    Other,
}

/// The roles allowed to move an appointment from `from` to `to`; empty if there is no such move.
pub fn roles_for_move(from: AppointmentStatus, to: AppointmentStatus) -> &'static [Role] {
    use AppointmentStatus::*;
    use Role::*;
    const FRONT: &[Role] = &[Owner, Manager, Reception, CustomerServiceSupervisor];
    const ARRIVE: &[Role] = &[
        Owner,
        Manager,
        Reception,
        CustomerServiceSupervisor,
        Therapist,
    ];
    const SERVE: &[Role] = &[Owner, Manager, Therapist, TechnicalSupervisor];
    const MGMT_FRONT: &[Role] = &[Owner, Manager, Reception];
    const MGMT: &[Role] = &[Owner, Manager];
    match (from, to) {
        (Booked, Confirmed) => FRONT,
        (Booked | Confirmed, Arrived) => ARRIVE,
        (Arrived, InService) => SERVE,
        (InService, Completed) => SERVE,
        (Booked | Confirmed, NoShow) => FRONT,
        (Booked | Confirmed | Arrived, Cancelled) => FRONT,
        // A late arrival after being marked a no-show.
        (NoShow, Arrived) => MGMT_FRONT,
        // Reinstating a cancelled booking.
        (Cancelled, Booked) => MGMT,
        _ => &[],
    }
}

/// Checks one move of the status machine.
pub fn check_move(
    from: AppointmentStatus,
    to: AppointmentStatus,
    role: Role,
    reason: Option<CancelReason>,
) -> Result<(), AppointmentError> {
    let roles = roles_for_move(from, to);
    if roles.is_empty() {
        return Err(AppointmentError::TransitionNotAllowed { from, to });
    }
    if !roles.contains(&role) {
        return Err(AppointmentError::RoleMayNotTransition { role, from, to });
    }
    if to == AppointmentStatus::Cancelled && reason.is_none() {
        return Err(AppointmentError::ReasonRequired);
    }
    Ok(())
}

/// A customer checks in (arrives, also late after a no-show) only on her booking's day, in the
/// store's time zone: a booking of tomorrow checked in today is the wrong booking tapped, and would
/// count her as arrived and free nothing. Other moves are not tied to the day (a booking is
/// confirmed, cancelled or completed late).
pub fn check_arrival_day(
    appointment: &Appointment,
    to: AppointmentStatus,
    at: Timestamp,
    offset: UtcOffset,
) -> Result<(), AppointmentError> {
    if to != AppointmentStatus::Arrived {
        return Ok(());
    }
    let booked = offset.local_date(appointment.time.start);
    let today = offset.local_date(at);
    if booked == today {
        Ok(())
    } else {
        Err(AppointmentError::NotTheBookingDay { booked, today })
    }
}

/// A requested status move. Append-only: sync keeps every one and replays them in HLC order through the
/// status machine, so every replica reaches the same status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatusChange {
    /// Id.
    pub id: TransitionId,
    /// Wanted status.
    pub to: AppointmentStatus,
    /// When it happened (device time).
    pub at: Timestamp,
    /// Who.
    pub by: StaffId,
    /// In which role.
    pub role: Role,
    /// Why (required to cancel).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<CancelReason>,
    /// Note.
    #[serde(default)]
    pub note: Note,
}

impl StatusChange {
    /// Blanks the note once the customer is erased; the move (to what, when, by whom, why by
    /// category) stays. Every field is named, so a field added later must be placed.
    pub fn erase_personal(&mut self) -> bool {
        let Self {
            id: _,
            to: _,
            at: _,
            by: _,
            role: _,
            reason: _,
            note,
        } = self;
        crate::record::erase(note)
    }
}

/// A move that the replay could not make (e.g. two devices moved the same appointment differently).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IgnoredChange {
    /// The change.
    pub id: TransitionId,
    /// Why.
    pub error: AppointmentError,
}

/// The status of an appointment, computed from its status changes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StatusView {
    /// Current status.
    pub status: AppointmentStatus,
    /// When it was confirmed.
    pub confirmed_at: Option<Timestamp>,
    /// When the customer arrived (checked in).
    pub arrived_at: Option<Timestamp>,
    /// When the service started.
    pub service_started_at: Option<Timestamp>,
    /// When it was completed.
    pub completed_at: Option<Timestamp>,
    /// When it was cancelled or marked a no-show.
    pub ended_at: Option<Timestamp>,
    /// Why it was cancelled.
    pub cancel_reason: Option<CancelReason>,
    /// The changes applied, in order.
    pub applied: Vec<TransitionId>,
    /// The changes that could not be applied.
    pub ignored: Vec<IgnoredChange>,
}

impl StatusView {
    /// Replays status changes, which must be given in their total order (HLC order), through the status
    /// machine. A change that is not a valid move from the status reached so far is ignored and reported.
    pub fn replay<'a>(changes: impl IntoIterator<Item = &'a StatusChange>) -> Self {
        let mut v = Self::default();
        for c in changes {
            if let Err(error) = check_move(v.status, c.to, c.role, c.reason) {
                v.ignored.push(IgnoredChange { id: c.id, error });
                continue;
            }
            v.status = c.to;
            match c.to {
                AppointmentStatus::Booked => {
                    v.ended_at = None;
                    v.cancel_reason = None;
                }
                AppointmentStatus::Confirmed => v.confirmed_at = Some(c.at),
                AppointmentStatus::Arrived => v.arrived_at = Some(c.at),
                AppointmentStatus::InService => v.service_started_at = Some(c.at),
                AppointmentStatus::Completed => v.completed_at = Some(c.at),
                AppointmentStatus::NoShow => v.ended_at = Some(c.at),
                AppointmentStatus::Cancelled => {
                    v.ended_at = Some(c.at);
                    v.cancel_reason = c.reason;
                }
            }
            v.applied.push(c.id);
        }
        v
    }
}

/// May the appointment be marked a no-show at `now`? Only once its start has passed.
pub fn may_mark_no_show(appointment: &Appointment, now: Timestamp) -> bool {
    now >= appointment.time.start
}

/// Is a reminder due at `now` for a booking in `status`, `hours_before` its start? True from that
/// moment until the start, while it is booked or confirmed (the sender records that it was sent).
pub fn reminder_due(
    appointment: &Appointment,
    status: AppointmentStatus,
    hours_before: u32,
    now: Timestamp,
) -> bool {
    matches!(
        status,
        AppointmentStatus::Booked | AppointmentStatus::Confirmed
    ) && now >= appointment.time.start - Duration::hours(i64::from(hours_before))
        && now < appointment.time.start
}

/// Which shared resource two bookings collide on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "resource", content = "id", rename_all = "snake_case")]
pub enum Resource {
    /// The same therapist.
    Therapist(StaffId),
    /// The same room or bed.
    Room(RoomId),
    /// The same customer, twice at once.
    Customer(CustomerId),
}

/// Two bookings that collide. `a < b` always, so each collision is listed once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Conflict {
    /// One booking.
    pub a: AppointmentId,
    /// The other booking.
    pub b: AppointmentId,
    /// On what.
    pub resource: Resource,
}

fn pair_conflicts(x: &Appointment, y: &Appointment, buffer_minutes: u32, out: &mut Vec<Conflict>) {
    if x.id == y.id {
        return;
    }
    let (a, b) = if x.id < y.id {
        (x.id, y.id)
    } else {
        (y.id, x.id)
    };
    // Therapist and room keep a buffer after each booking; a customer does not need one.
    if x.time
        .extended_by(buffer_minutes)
        .overlaps(&y.time.extended_by(buffer_minutes))
    {
        if let (Some(t), Some(u)) = (x.therapist_id, y.therapist_id)
            && t == u
        {
            out.push(Conflict {
                a,
                b,
                resource: Resource::Therapist(t),
            });
        }
        if let (Some(r), Some(s)) = (x.room_id, y.room_id)
            && r == s
        {
            out.push(Conflict {
                a,
                b,
                resource: Resource::Room(r),
            });
        }
    }
    if x.customer_id == y.customer_id && x.time.overlaps(&y.time) {
        out.push(Conflict {
            a,
            b,
            resource: Resource::Customer(x.customer_id),
        });
    }
}

/// The collisions of `candidate` with `existing` bookings that hold time (pass each with its status).
pub fn conflicts_with<'a>(
    candidate: &Appointment,
    existing: impl IntoIterator<Item = (&'a Appointment, AppointmentStatus)>,
    buffer_minutes: u32,
) -> Vec<Conflict> {
    let mut out = Vec::new();
    for (other, status) in existing {
        if status.holds_time() {
            pair_conflicts(candidate, other, buffer_minutes, &mut out);
        }
    }
    out.sort();
    out
}

/// Every collision among bookings that hold time, sorted. A sweep over start times: O(n log n + k).
pub fn all_conflicts<'a>(
    bookings: impl IntoIterator<Item = (&'a Appointment, AppointmentStatus)>,
    buffer_minutes: u32,
) -> Vec<Conflict> {
    let mut active: Vec<&Appointment> = bookings
        .into_iter()
        .filter(|(_, s)| s.holds_time())
        .map(|(a, _)| a)
        .collect();
    active.sort_by_key(|a| (a.time.start, a.id));
    let buffer = Duration::minutes(i64::from(buffer_minutes));
    let mut out = Vec::new();
    for (i, x) in active.iter().enumerate() {
        for y in active.iter().skip(i + 1) {
            if y.time.start >= x.time.end + buffer {
                break;
            }
            pair_conflicts(x, y, buffer_minutes, &mut out);
        }
    }
    out.sort();
    out.dedup();
    out
}

/// A free room or bed for `candidate` (its time, with the store's buffer), among `rooms`: in use,
/// suiting the service's `category`, and the most specific place — a bed rather than the room it
/// stands in. The first in `rooms`' order that no booking holding time occupies; `None` when every
/// suitable place is taken (or there is none), and the booking stays unassigned.
pub fn free_room<'a>(
    candidate: &Appointment,
    rooms: &[Room],
    category: Option<ServiceCategory>,
    existing: impl IntoIterator<Item = (&'a Appointment, AppointmentStatus)>,
    buffer_minutes: u32,
) -> Option<RoomId> {
    let existing = existing.into_iter().collect::<Vec<_>>();
    let has_beds = |room: &Room| {
        rooms
            .iter()
            .any(|bed| bed.active && bed.parent == Some(room.id))
    };
    rooms
        .iter()
        .filter(|room| room.active && !has_beds(room))
        .filter(|room| category.is_none_or(|c| room.suits(c)))
        .find(|room| {
            let mut placed = candidate.clone();
            placed.room_id = Some(room.id);
            !conflicts_with(&placed, existing.iter().copied(), buffer_minutes)
                .iter()
                .any(|c| c.resource == Resource::Room(room.id))
        })
        .map(|room| room.id)
}

/// Checks a new or moved booking against the store's hours and the existing bookings. Errors for what
/// cannot be booked at all; collisions come back as an error too, so the UI can show them and let a person
/// decide (sync keeps both bookings if two devices booked offline and flags them; see [`all_conflicts`]).
pub fn check_booking<'a>(
    store: &Store,
    candidate: &Appointment,
    existing: impl IntoIterator<Item = (&'a Appointment, AppointmentStatus)>,
) -> Result<(), AppointmentError> {
    candidate.validate()?;
    if !store
        .opening_hours
        .contains(store.utc_offset, candidate.time.start, candidate.time.end)
    {
        return Err(AppointmentError::OutsideOpeningHours {
            start: candidate.time.start,
            end: candidate.time.end,
        });
    }
    let conflicts = conflicts_with(candidate, existing, store.settings.booking_buffer_minutes);
    if conflicts.is_empty() {
        Ok(())
    } else {
        Err(AppointmentError::Conflict {
            count: conflicts.len(),
            conflicts,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Name;
    use crate::time::tests::cst;
    use AppointmentStatus::*;

    fn appt(
        id: u128,
        therapist: u128,
        room: u128,
        customer: u128,
        start: Timestamp,
        minutes: i64,
    ) -> Appointment {
        let mut a = Appointment::blank(AppointmentId::from_u128(id), StoreId::from_u128(1));
        a.therapist_id = Some(StaffId::from_u128(therapist));
        a.room_id = Some(RoomId::from_u128(room));
        a.customer_id = CustomerId::from_u128(customer);
        a.services = vec![ServiceId::from_u128(1)];
        a.time = Interval::new(start, start + Duration::minutes(minutes)).unwrap();
        a
    }

    fn store() -> Store {
        Store::new(StoreId::from_u128(1), Name::parse("兰心").unwrap())
    }

    #[test]
    fn only_bookings_not_yet_served_move() {
        let movable: Vec<_> = AppointmentStatus::ALL
            .into_iter()
            .filter(|s| s.may_reschedule())
            .collect();
        assert_eq!(movable, vec![Booked, Confirmed, Arrived]);
    }

    #[test]
    fn buffer_boundaries_for_therapist_and_room() {
        let a = appt(1, 10, 20, 30, cst(2025, 3, 10, 10, 0), 60);
        // Starts exactly when a's buffer (10 min) ends: fine.
        let b = appt(2, 10, 20, 31, cst(2025, 3, 10, 11, 10), 60);
        assert!(conflicts_with(&b, [(&a, Booked)], 10).is_empty());
        // One minute inside the buffer: therapist and room collide.
        let c = appt(3, 10, 20, 31, cst(2025, 3, 10, 11, 9), 60);
        let found = conflicts_with(&c, [(&a, Booked)], 10);
        assert_eq!(
            found,
            vec![
                Conflict {
                    a: a.id,
                    b: c.id,
                    resource: Resource::Therapist(StaffId::from_u128(10))
                },
                Conflict {
                    a: a.id,
                    b: c.id,
                    resource: Resource::Room(RoomId::from_u128(20))
                },
            ]
        );
        // Without buffer, back to back is fine.
        assert!(conflicts_with(&c, [(&a, Booked)], 0).is_empty());
    }

    #[test]
    fn customer_collides_without_buffer() {
        let a = appt(1, 10, 20, 30, cst(2025, 3, 10, 10, 0), 60);
        let b = appt(2, 11, 21, 30, cst(2025, 3, 10, 10, 59), 30);
        assert_eq!(
            conflicts_with(&b, [(&a, Confirmed)], 10)[0].resource,
            Resource::Customer(CustomerId::from_u128(30))
        );
        let c = appt(3, 11, 21, 30, cst(2025, 3, 10, 11, 0), 30);
        assert!(conflicts_with(&c, [(&a, Confirmed)], 10).is_empty());
    }

    #[test]
    fn cancelled_and_no_show_do_not_hold_time() {
        let a = appt(1, 10, 20, 30, cst(2025, 3, 10, 10, 0), 60);
        let b = appt(2, 10, 20, 30, cst(2025, 3, 10, 10, 0), 60);
        assert!(conflicts_with(&b, [(&a, Cancelled)], 10).is_empty());
        assert!(conflicts_with(&b, [(&a, NoShow)], 10).is_empty());
        assert_eq!(conflicts_with(&b, [(&a, Completed)], 10).len(), 3);
    }

    #[test]
    fn all_conflicts_matches_pairwise() {
        let list = [
            appt(1, 10, 20, 30, cst(2025, 3, 10, 10, 0), 60),
            appt(2, 10, 21, 31, cst(2025, 3, 10, 10, 30), 60),
            appt(3, 11, 21, 32, cst(2025, 3, 10, 11, 35), 60),
            appt(4, 12, 22, 33, cst(2025, 3, 10, 15, 0), 60),
        ];
        let found = all_conflicts(list.iter().map(|a| (a, Booked)), 10);
        let mut expected = Vec::new();
        for (i, x) in list.iter().enumerate() {
            for y in list.iter().skip(i + 1) {
                pair_conflicts(x, y, 10, &mut expected);
            }
        }
        expected.sort();
        assert_eq!(found, expected);
        assert_eq!(found.len(), 2); // therapist 10 on 1–2, room 21 on 2–3 (11:30 + 10 min buffer > 11:35)
    }

    #[test]
    fn booking_inside_opening_hours() {
        let s = store();
        let ok = appt(1, 10, 20, 30, cst(2025, 3, 10, 20, 0), 60);
        assert_eq!(check_booking(&s, &ok, []), Ok(()));
        let late = appt(1, 10, 20, 30, cst(2025, 3, 10, 20, 1), 60);
        assert_eq!(
            check_booking(&s, &late, []).unwrap_err().code(),
            "appointment.outside_opening_hours"
        );
        let early = appt(1, 10, 20, 30, cst(2025, 3, 10, 9, 59), 60);
        assert!(check_booking(&s, &early, []).is_err());
        let mut none = ok.clone();
        none.services.clear();
        assert_eq!(
            check_booking(&s, &none, []).unwrap_err().code(),
            "appointment.no_services"
        );
        let other = appt(2, 10, 29, 39, cst(2025, 3, 10, 19, 30), 30);
        let e = check_booking(&s, &ok, [(&other, Booked)]).unwrap_err();
        assert_eq!(e.code(), "appointment.conflict");
    }

    #[test]
    fn reminders_and_no_shows() {
        let a = appt(1, 1, 1, 1, cst(2025, 3, 11, 10, 0), 60);
        assert!(!reminder_due(&a, Booked, 24, cst(2025, 3, 10, 9, 59)));
        assert!(reminder_due(&a, Booked, 24, cst(2025, 3, 10, 10, 0)));
        assert!(reminder_due(&a, Confirmed, 24, cst(2025, 3, 11, 9, 59)));
        assert!(!reminder_due(&a, Confirmed, 24, cst(2025, 3, 11, 10, 0)));
        assert!(!reminder_due(&a, Cancelled, 24, cst(2025, 3, 11, 9, 0)));
        assert!(!may_mark_no_show(&a, cst(2025, 3, 11, 9, 59)));
        assert!(may_mark_no_show(&a, cst(2025, 3, 11, 10, 0)));
    }

    #[test]
    fn length_limit() {
        let a = appt(1, 1, 1, 1, cst(2025, 3, 10, 8, 0), MAX_APPOINTMENT_MINUTES);
        assert!(a.validate().is_ok());
        let b = appt(
            1,
            1,
            1,
            1,
            cst(2025, 3, 10, 8, 0),
            MAX_APPOINTMENT_MINUTES + 1,
        );
        assert_eq!(b.validate().unwrap_err().code(), "appointment.too_long");
    }

    #[test]
    fn status_machine_moves_and_roles() {
        use Role::*;
        assert!(check_move(Booked, Confirmed, Reception, None).is_ok());
        assert_eq!(
            check_move(Booked, Confirmed, Therapist, None)
                .unwrap_err()
                .code(),
            "appointment.role_may_not_transition"
        );
        assert!(check_move(Confirmed, Arrived, Therapist, None).is_ok());
        assert!(check_move(Booked, Arrived, Reception, None).is_ok()); // check-in confirms the booking
        assert!(check_move(Arrived, InService, Therapist, None).is_ok());
        assert!(check_move(Arrived, InService, Reception, None).is_err());
        assert!(check_move(InService, Completed, TechnicalSupervisor, None).is_ok());
        assert_eq!(
            check_move(Booked, Completed, Owner, None)
                .unwrap_err()
                .code(),
            "appointment.transition_not_allowed"
        );
        assert_eq!(
            check_move(Booked, Cancelled, Reception, None)
                .unwrap_err()
                .code(),
            "appointment.reason_required"
        );
        assert!(
            check_move(
                Booked,
                Cancelled,
                Reception,
                Some(CancelReason::CustomerRequest)
            )
            .is_ok()
        );
        assert!(check_move(InService, Cancelled, Manager, Some(CancelReason::Health)).is_err());
        assert!(check_move(Confirmed, NoShow, CustomerServiceSupervisor, None).is_ok());
        assert!(check_move(NoShow, Arrived, Reception, None).is_ok());
        assert!(check_move(Cancelled, Booked, Reception, None).is_err());
        assert!(check_move(Cancelled, Booked, Manager, None).is_ok());
        for to in AppointmentStatus::ALL {
            assert!(
                roles_for_move(Completed, to).is_empty(),
                "completed is final"
            );
            for r in Role::ALL {
                if r == FinanceSupervisor {
                    assert!(check_move(Booked, to, r, Some(CancelReason::Other)).is_err());
                }
            }
        }
    }

    #[test]
    fn a_customer_checks_in_only_on_her_booking_day() {
        let offset = UtcOffset::CHINA;
        let day = NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
        let at = |d: NaiveDate, h: u32, m: u32| offset.to_utc(d.and_hms_opt(h, m, 0).unwrap());
        let mut booking = Appointment::blank(AppointmentId::from_u128(1), StoreId::from_u128(1));
        booking.time = Interval::new(at(day, 10, 0), at(day, 11, 0)).unwrap();
        let arrived = AppointmentStatus::Arrived;
        // Early in the morning of the day (still the day before in UTC: the store's own day
        // counts) and late after a no-show.
        assert!(check_arrival_day(&booking, arrived, at(day, 0, 5), offset).is_ok());
        assert!(check_arrival_day(&booking, arrived, at(day, 23, 50), offset).is_ok());
        let yesterday = day.pred_opt().unwrap();
        assert_eq!(
            check_arrival_day(&booking, arrived, at(yesterday, 18, 0), offset),
            Err(AppointmentError::NotTheBookingDay {
                booked: day,
                today: yesterday
            })
        );
        let tomorrow = day.succ_opt().unwrap();
        assert_eq!(
            check_arrival_day(&booking, arrived, at(tomorrow, 9, 0), offset)
                .unwrap_err()
                .code(),
            "appointment.not_the_booking_day"
        );
        // Confirming or cancelling ahead is not tied to the day.
        for to in [AppointmentStatus::Confirmed, AppointmentStatus::Cancelled] {
            assert!(check_arrival_day(&booking, to, at(yesterday, 18, 0), offset).is_ok());
        }
    }

    fn change(id: u128, to: AppointmentStatus, role: Role, minute: u32) -> StatusChange {
        StatusChange {
            id: TransitionId::from_u128(id),
            to,
            at: cst(2025, 3, 10, 10, minute),
            by: StaffId::from_u128(1),
            role,
            reason: (to == Cancelled).then_some(CancelReason::CustomerRequest),
            note: Note::default(),
        }
    }

    #[test]
    fn replay_follows_the_machine_and_reports_what_it_skips() {
        let changes = [
            change(1, Confirmed, Role::Reception, 0),
            change(2, Arrived, Role::Reception, 5),
            change(3, Cancelled, Role::Reception, 6), // allowed from arrived
            change(4, InService, Role::Therapist, 10), // no longer possible
        ];
        let v = StatusView::replay(&changes);
        assert_eq!(v.status, Cancelled);
        assert_eq!(v.arrived_at, Some(cst(2025, 3, 10, 10, 5)));
        assert_eq!(v.cancel_reason, Some(CancelReason::CustomerRequest));
        assert_eq!(v.applied.len(), 3);
        assert_eq!(v.ignored.len(), 1);
        assert_eq!(
            v.ignored[0].error.code(),
            "appointment.transition_not_allowed"
        );
    }

    #[test]
    fn recurrence_expands_in_local_time() {
        let first = Interval::new(cst(2025, 1, 31, 10, 0), cst(2025, 1, 31, 11, 0)).unwrap();
        let weekly = Recurrence {
            frequency: Frequency::Weekly,
            interval: 1,
            count: Some(3),
            until: None,
        };
        let got = weekly.expand(first, UtcOffset::CHINA).unwrap();
        assert_eq!(
            got.iter().map(|i| i.start).collect::<Vec<_>>(),
            vec![
                cst(2025, 1, 31, 10, 0),
                cst(2025, 2, 7, 10, 0),
                cst(2025, 2, 14, 10, 0)
            ]
        );
        assert!(got.iter().all(|i| i.minutes() == 60));
        let monthly = Recurrence {
            frequency: Frequency::Monthly,
            interval: 1,
            count: None,
            until: NaiveDate::from_ymd_opt(2025, 4, 30),
        };
        let got = monthly.expand(first, UtcOffset::CHINA).unwrap();
        assert_eq!(
            got.iter().map(|i| i.start).collect::<Vec<_>>(),
            vec![
                cst(2025, 1, 31, 10, 0),
                cst(2025, 2, 28, 10, 0), // clamped to the month's last day
                cst(2025, 3, 31, 10, 0),
                cst(2025, 4, 30, 10, 0),
            ]
        );
        let daily = Recurrence {
            frequency: Frequency::Daily,
            interval: 2,
            count: Some(52),
            until: None,
        };
        assert_eq!(daily.expand(first, UtcOffset::CHINA).unwrap().len(), 52);
    }

    #[test]
    fn recurrence_limits() {
        let first = Interval::new(cst(2025, 1, 1, 10, 0), cst(2025, 1, 1, 11, 0)).unwrap();
        let r = |interval, count, until| Recurrence {
            frequency: Frequency::Daily,
            interval,
            count,
            until,
        };
        assert_eq!(
            r(1, None, None).validate().unwrap_err().code(),
            "recurrence.needs_end"
        );
        assert_eq!(
            r(0, Some(2), None).validate().unwrap_err().code(),
            "recurrence.interval_out_of_range"
        );
        assert_eq!(
            r(13, Some(2), None).validate().unwrap_err().code(),
            "recurrence.interval_out_of_range"
        );
        assert_eq!(
            r(1, Some(53), None).validate().unwrap_err().code(),
            "recurrence.too_many"
        );
        let far = r(1, None, NaiveDate::from_ymd_opt(2026, 1, 1));
        assert_eq!(
            far.expand(first, UtcOffset::CHINA).unwrap_err().code(),
            "recurrence.too_many"
        );
        let ok = r(1, None, NaiveDate::from_ymd_opt(2025, 2, 21)); // 52 days
        assert_eq!(ok.expand(first, UtcOffset::CHINA).unwrap().len(), 52);
    }

    #[test]
    fn a_free_bed_of_the_right_kind_is_offered() {
        use crate::room::RoomKind;
        let place = |id: u128, kind, parent: Option<u128>, suits: Vec<ServiceCategory>| {
            let mut r = Room::new(
                RoomId::from_u128(id),
                StoreId::from_u128(1),
                Name::parse(&format!("R{id}")).unwrap(),
                kind,
            );
            r.parent = parent.map(RoomId::from_u128);
            r.suits = suits;
            r
        };
        // Room 10 holds beds 11 and 12; room 20 suits body treatments only.
        let rooms = [
            place(10, RoomKind::Room, None, vec![]),
            place(11, RoomKind::Bed, Some(10), vec![]),
            place(12, RoomKind::Bed, Some(10), vec![]),
            place(20, RoomKind::Room, None, vec![ServiceCategory::Body]),
        ];
        let at = cst(2026, 3, 2, 10, 0);
        let taken = appt(1, 1, 11, 1, at, 60);
        let mut candidate = appt(2, 2, 0, 2, at + Duration::minutes(30), 60);
        candidate.room_id = None;
        let existing = [(&taken, Booked)];
        // Bed 11 is taken (and its buffer): bed 12, not the room the beds stand in.
        assert_eq!(
            free_room(
                &candidate,
                &rooms,
                Some(ServiceCategory::Facial),
                existing,
                10
            ),
            Some(RoomId::from_u128(12))
        );
        // A cancelled booking holds nothing.
        assert_eq!(
            free_room(
                &candidate,
                &rooms,
                Some(ServiceCategory::Facial),
                [(&taken, Cancelled)],
                10
            ),
            Some(RoomId::from_u128(11))
        );
        // With both beds taken, a facial has nowhere to go; a body treatment has room 20.
        let other = appt(3, 3, 12, 3, at, 90);
        let full = [(&taken, Booked), (&other, Booked)];
        assert_eq!(
            free_room(&candidate, &rooms, Some(ServiceCategory::Facial), full, 10),
            None
        );
        assert_eq!(
            free_room(&candidate, &rooms, Some(ServiceCategory::Body), full, 10),
            Some(RoomId::from_u128(20))
        );
    }
}
