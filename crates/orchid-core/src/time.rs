//! Time helpers. There is no clock here: every function that needs "now" takes it as an argument.
//!
//! Instants are UTC ([`Timestamp`]). A store's local time is UTC plus a fixed offset ([`UtcOffset`]):
//! China has no daylight saving time, and a fixed offset keeps the core free of a time-zone database.

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, Utc,
    Weekday,
};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// An instant, in UTC.
pub type Timestamp = DateTime<Utc>;

/// Errors of time values. `code()` is stable and meant for translation.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "code")]
pub enum TimeError {
    /// The UTC offset is outside −12:00..=+14:00.
    #[serde(rename = "time.offset_out_of_range")]
    #[error("UTC offset of {minutes} minutes is out of range")]
    OffsetOutOfRange {
        /// The offset given.
        minutes: i32,
    },
    /// Opening hours where the store closes before (or when) it opens.
    #[serde(rename = "time.closes_before_opening")]
    #[error("closing time {close} is not after opening time {open}")]
    ClosesBeforeOpening {
        /// Opening time, `HH:MM`.
        open: String,
        /// Closing time, `HH:MM`.
        close: String,
    },
    /// An interval whose end is not after its start.
    #[serde(rename = "time.end_not_after_start")]
    #[error("the end is not after the start")]
    EndNotAfterStart,
}

impl TimeError {
    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::OffsetOutOfRange { .. } => "time.offset_out_of_range",
            Self::ClosesBeforeOpening { .. } => "time.closes_before_opening",
            Self::EndNotAfterStart => "time.end_not_after_start",
        }
    }
}

/// A fixed offset from UTC in minutes, e.g. `480` for China Standard Time (UTC+8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "i32", into = "i32")]
pub struct UtcOffset(i32);

impl UtcOffset {
    /// China Standard Time, UTC+08:00.
    pub const CHINA: Self = Self(480);
    /// UTC.
    pub const UTC: Self = Self(0);

    /// Checks that `minutes` is within −12:00..=+14:00.
    pub fn from_minutes(minutes: i32) -> Result<Self, TimeError> {
        if (-720..=840).contains(&minutes) {
            Ok(Self(minutes))
        } else {
            Err(TimeError::OffsetOutOfRange { minutes })
        }
    }
    /// Minutes east of UTC.
    pub fn minutes(self) -> i32 {
        self.0
    }
    fn fixed(self) -> FixedOffset {
        // In range by construction; UTC as a defensive fallback.
        FixedOffset::east_opt(self.0 * 60).unwrap_or_else(|| Utc.fix())
    }
    /// The local date and time of an instant.
    pub fn local(self, at: Timestamp) -> NaiveDateTime {
        at.naive_utc() + Duration::minutes(i64::from(self.0))
    }
    /// The local date of an instant.
    pub fn local_date(self, at: Timestamp) -> NaiveDate {
        self.local(at).date()
    }
    /// The instant of a local date and time.
    pub fn to_utc(self, local: NaiveDateTime) -> Timestamp {
        (local - Duration::minutes(i64::from(self.0))).and_utc()
    }
    /// The local wall time with the offset attached (for display).
    pub fn with_offset(self, at: Timestamp) -> DateTime<FixedOffset> {
        at.with_timezone(&self.fixed())
    }
}

impl Default for UtcOffset {
    fn default() -> Self {
        Self::CHINA
    }
}

impl TryFrom<i32> for UtcOffset {
    type Error = TimeError;
    fn try_from(minutes: i32) -> Result<Self, TimeError> {
        Self::from_minutes(minutes)
    }
}

impl From<UtcOffset> for i32 {
    fn from(value: UtcOffset) -> i32 {
        value.0
    }
}

/// Opening hours of one day: open at `open`, close at `close`, same day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "DayHoursRaw", into = "DayHoursRaw")]
pub struct DayHours {
    open: NaiveTime,
    close: NaiveTime,
}

#[derive(Serialize, Deserialize)]
struct DayHoursRaw {
    open: NaiveTime,
    close: NaiveTime,
}

impl TryFrom<DayHoursRaw> for DayHours {
    type Error = TimeError;
    fn try_from(raw: DayHoursRaw) -> Result<Self, TimeError> {
        Self::new(raw.open, raw.close)
    }
}

impl From<DayHours> for DayHoursRaw {
    fn from(value: DayHours) -> Self {
        Self {
            open: value.open,
            close: value.close,
        }
    }
}

impl DayHours {
    /// Checks that the store closes after it opens.
    pub fn new(open: NaiveTime, close: NaiveTime) -> Result<Self, TimeError> {
        if close <= open {
            return Err(TimeError::ClosesBeforeOpening {
                open: open.format("%H:%M").to_string(),
                close: close.format("%H:%M").to_string(),
            });
        }
        Ok(Self { open, close })
    }
    /// From hours and minutes, e.g. `hm(10, 0, 21, 30)`.
    pub fn hm(open_h: u32, open_m: u32, close_h: u32, close_m: u32) -> Result<Self, TimeError> {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).ok_or(TimeError::EndNotAfterStart);
        Self::new(t(open_h, open_m)?, t(close_h, close_m)?)
    }
    /// Opening time.
    pub fn open(&self) -> NaiveTime {
        self.open
    }
    /// Closing time.
    pub fn close(&self) -> NaiveTime {
        self.close
    }
}

/// Weekly opening hours; `None` for a day the store is closed.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OpeningHours {
    /// Monday.
    pub mon: Option<DayHours>,
    /// Tuesday.
    pub tue: Option<DayHours>,
    /// Wednesday.
    pub wed: Option<DayHours>,
    /// Thursday.
    pub thu: Option<DayHours>,
    /// Friday.
    pub fri: Option<DayHours>,
    /// Saturday.
    pub sat: Option<DayHours>,
    /// Sunday.
    pub sun: Option<DayHours>,
}

impl OpeningHours {
    /// The same hours every day of the week.
    pub fn every_day(hours: DayHours) -> Self {
        let h = Some(hours);
        Self {
            mon: h,
            tue: h,
            wed: h,
            thu: h,
            fri: h,
            sat: h,
            sun: h,
        }
    }
    /// Open around the clock (used when deadlines run in wall-clock time).
    pub fn always() -> Self {
        Self {
            mon: None,
            tue: None,
            wed: None,
            thu: None,
            fri: None,
            sat: None,
            sun: None,
        }
    }
    /// The hours of a weekday.
    pub fn on(&self, day: Weekday) -> Option<DayHours> {
        match day {
            Weekday::Mon => self.mon,
            Weekday::Tue => self.tue,
            Weekday::Wed => self.wed,
            Weekday::Thu => self.thu,
            Weekday::Fri => self.fri,
            Weekday::Sat => self.sat,
            Weekday::Sun => self.sun,
        }
    }
    /// True if the store is closed every day.
    pub fn is_never_open(&self) -> bool {
        [
            self.mon, self.tue, self.wed, self.thu, self.fri, self.sat, self.sun,
        ]
        .iter()
        .all(Option::is_none)
    }

    /// True if the whole interval `[start, end)` lies within one day's opening hours.
    pub fn contains(&self, offset: UtcOffset, start: Timestamp, end: Timestamp) -> bool {
        if end <= start {
            return false;
        }
        let (ls, le) = (offset.local(start), offset.local(end));
        let Some(hours) = self.on(ls.date().weekday()) else {
            return false;
        };
        // An end exactly at closing time on the same day is fine.
        ls.date() == le.date() && ls.time() >= hours.open && le.time() <= hours.close
    }

    /// The open intervals (UTC) of the local date `date`.
    fn open_interval(&self, offset: UtcOffset, date: NaiveDate) -> Option<(Timestamp, Timestamp)> {
        let hours = self.on(date.weekday())?;
        Some((
            offset.to_utc(date.and_time(hours.open)),
            offset.to_utc(date.and_time(hours.close)),
        ))
    }

    /// Minutes of opening hours between `from` and `to` (0 if `to <= from`).
    pub fn open_minutes_between(&self, offset: UtcOffset, from: Timestamp, to: Timestamp) -> i64 {
        self.open_time_between(offset, from, to).num_minutes()
    }

    /// Opening time between `from` and `to` (zero if `to <= from`).
    pub fn open_time_between(&self, offset: UtcOffset, from: Timestamp, to: Timestamp) -> Duration {
        let mut total = Duration::zero();
        if to <= from {
            return total;
        }
        let mut date = offset.local_date(from);
        let last = offset.local_date(to);
        while date <= last {
            if let Some((o, c)) = self.open_interval(offset, date) {
                let s = o.max(from);
                let e = c.min(to);
                if e > s {
                    total += e - s;
                }
            }
            match date.succ_opt() {
                Some(d) => date = d,
                None => break,
            }
        }
        total
    }

    /// The instant at which `minutes` of opening hours have passed since `from`. `None` if the store is
    /// never open (or the search runs past a year).
    pub fn add_open_minutes(
        &self,
        offset: UtcOffset,
        from: Timestamp,
        minutes: i64,
    ) -> Option<Timestamp> {
        self.add_open_time(offset, from, Duration::minutes(minutes))
    }

    /// The instant at which `length` of opening time has passed since `from`. `None` if the store is
    /// never open (or the search runs past a year).
    pub fn add_open_time(
        &self,
        offset: UtcOffset,
        from: Timestamp,
        length: Duration,
    ) -> Option<Timestamp> {
        if self.is_never_open() {
            return None;
        }
        let mut left = length.max(Duration::zero());
        let mut date = offset.local_date(from);
        for _ in 0..400 {
            if let Some((o, c)) = self.open_interval(offset, date) {
                let s = o.max(from);
                if c > s {
                    let avail = c - s;
                    if avail >= left {
                        return Some(s + left);
                    }
                    left -= avail;
                }
            }
            date = date.succ_opt()?;
        }
        None
    }
}

impl Default for OpeningHours {
    /// 10:00–21:00 every day, a common salon schedule.
    fn default() -> Self {
        match DayHours::hm(10, 0, 21, 0) {
            Ok(h) => Self::every_day(h),
            Err(_) => Self::always(),
        }
    }
}

/// A half-open interval `[start, end)` of instants; `end > start` always (checked when parsed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "IntervalRaw")]
pub struct Interval {
    /// Start, inclusive.
    pub start: Timestamp,
    /// End, exclusive.
    pub end: Timestamp,
}

#[derive(Deserialize)]
struct IntervalRaw {
    start: Timestamp,
    end: Timestamp,
}

impl TryFrom<IntervalRaw> for Interval {
    type Error = TimeError;
    fn try_from(raw: IntervalRaw) -> Result<Self, TimeError> {
        Self::new(raw.start, raw.end)
    }
}

impl Interval {
    /// Checks that `end > start`.
    pub fn new(start: Timestamp, end: Timestamp) -> Result<Self, TimeError> {
        if end <= start {
            return Err(TimeError::EndNotAfterStart);
        }
        Ok(Self { start, end })
    }
    /// True if the two intervals share at least one instant.
    pub fn overlaps(&self, other: &Interval) -> bool {
        self.start < other.end && other.start < self.end
    }
    /// The interval with its end moved `minutes` later (a buffer after a booking).
    pub fn extended_by(&self, minutes: u32) -> Interval {
        Interval {
            start: self.start,
            end: self.end + Duration::minutes(i64::from(minutes)),
        }
    }
    /// Length in minutes.
    pub fn minutes(&self) -> i64 {
        (self.end - self.start).num_minutes()
    }
}

/// Whole minutes from `from` to `to` (negative if `to` is earlier).
pub fn minutes_between(from: Timestamp, to: Timestamp) -> i64 {
    (to - from).num_minutes()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::TimeZone;

    /// A UTC instant from a local China time, for tests: `cst(2025, 3, 10, 9, 30)`.
    pub(crate) fn cst(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> Timestamp {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap() - Duration::hours(8)
    }

    #[test]
    fn offsets_are_checked() {
        assert!(UtcOffset::from_minutes(480).is_ok());
        assert_eq!(
            UtcOffset::from_minutes(900).unwrap_err().code(),
            "time.offset_out_of_range"
        );
        assert!(serde_json::from_str::<UtcOffset>("-800").is_err());
    }

    #[test]
    fn local_conversion() {
        let at = cst(2025, 3, 10, 0, 30);
        assert_eq!(
            UtcOffset::CHINA.local_date(at),
            NaiveDate::from_ymd_opt(2025, 3, 10).unwrap()
        );
        assert_eq!(UtcOffset::CHINA.to_utc(UtcOffset::CHINA.local(at)), at);
        assert_eq!(
            UtcOffset::CHINA.with_offset(at).to_rfc3339(),
            "2025-03-10T00:30:00+08:00"
        );
    }

    #[test]
    fn day_hours_must_close_after_opening() {
        assert_eq!(
            DayHours::hm(21, 0, 10, 0).unwrap_err().code(),
            "time.closes_before_opening"
        );
        assert!(
            serde_json::from_str::<DayHours>(r#"{"open":"10:00:00","close":"09:00:00"}"#).is_err()
        );
    }

    #[test]
    fn contains_checks_one_day() {
        let h = OpeningHours::default();
        let o = UtcOffset::CHINA;
        assert!(h.contains(o, cst(2025, 3, 10, 10, 0), cst(2025, 3, 10, 21, 0)));
        assert!(!h.contains(o, cst(2025, 3, 10, 9, 59), cst(2025, 3, 10, 11, 0)));
        assert!(!h.contains(o, cst(2025, 3, 10, 20, 0), cst(2025, 3, 10, 21, 1)));
        assert!(!h.contains(o, cst(2025, 3, 10, 20, 0), cst(2025, 3, 11, 11, 0)));
        let mut closed_monday = h.clone();
        closed_monday.mon = None; // 2025-03-10 is a Monday
        assert!(!closed_monday.contains(o, cst(2025, 3, 10, 11, 0), cst(2025, 3, 10, 12, 0)));
    }

    #[test]
    fn open_minutes_skip_nights() {
        let h = OpeningHours::default();
        let o = UtcOffset::CHINA;
        // 20:00 → next day 11:00: one hour in the evening and one in the morning.
        assert_eq!(
            h.open_minutes_between(o, cst(2025, 3, 10, 20, 0), cst(2025, 3, 11, 11, 0)),
            120
        );
        assert_eq!(
            h.add_open_minutes(o, cst(2025, 3, 10, 20, 0), 120),
            Some(cst(2025, 3, 11, 11, 0))
        );
        // Exactly at closing: the remaining minute carries to the next morning.
        assert_eq!(
            h.add_open_minutes(o, cst(2025, 3, 10, 20, 0), 61),
            Some(cst(2025, 3, 11, 10, 1))
        );
        // Starting at night.
        assert_eq!(
            h.add_open_minutes(o, cst(2025, 3, 10, 23, 0), 0),
            Some(cst(2025, 3, 11, 10, 0))
        );
        assert_eq!(
            OpeningHours::always().add_open_minutes(o, cst(2025, 3, 10, 23, 0), 5),
            None
        );
    }

    #[test]
    fn intervals() {
        let a = Interval::new(cst(2025, 1, 1, 10, 0), cst(2025, 1, 1, 11, 0)).unwrap();
        let b = Interval::new(cst(2025, 1, 1, 11, 0), cst(2025, 1, 1, 12, 0)).unwrap();
        assert!(!a.overlaps(&b));
        assert_eq!(a.minutes(), 60);
        assert!(Interval::new(a.end, a.start).is_err());
    }
}
