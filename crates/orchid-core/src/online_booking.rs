//! Online booking (网上预约): the store's setting, and the free slots its public page offers —
//! computed by the same rules a device booking is checked with ([`check_booking`], buffers,
//! [`free_room`]), so a slot offered is a slot the store's own devices would accept.
//!
//! A booking from the page is an ordinary [`Appointment`] of channel [`BookingChannel::Website`].
//! A booking from a phone the store does not know stays [`AppointmentStatus::Booked`] (已预约,
//! not yet confirmed) until the desk confirms it — the state every booking already starts in and
//! the flow's "confirm within N minutes" already tracks; it holds its time meanwhile, so no one
//! else can take the slot. A booking from a known phone (or from any phone when the store does
//! not ask for confirmation) is confirmed at once. No new status is needed.
//!
//! She may answer the service's consultation questions ahead ([`answers_ahead`]). Her answers are
//! health data: kept only when she ticks the separate consent to keep them (the health-data
//! consent text of [`crate::consent`], recorded as given online), in an entry of their own that
//! the therapist confirms with her at the bedside
//! ([`crate::service_record::RecordEntryKind::ConsultationAhead`]), never in the booking, which
//! every role reads.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::appointment::{
    Appointment, AppointmentStatus, BookingChannel, check_booking, free_room,
};
use crate::catalog::{CatalogService, QuestionKind};
use crate::ids::{RoomId, StaffId};
use crate::role::Role;
use crate::room::Room;
use crate::service_record::{Answer, AnswerValue};
use crate::staff::Staff;
use crate::store::Store;
use crate::time::{Interval, Timestamp};

/// A store's online booking setting.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct OnlineBooking {
    /// The public page takes bookings.
    pub enabled: bool,
    /// A booking from a phone no customer file has waits for the desk's confirmation.
    pub confirm_unknown_phones: bool,
    /// A booking is made, cancelled or moved online at least this many hours ahead. 0–168.
    pub notice_hours: u32,
    /// How many days ahead the page offers slots. 1–90.
    pub days_ahead: u32,
    /// Slots start every this many minutes from opening. 5–120.
    pub slot_minutes: u32,
}

impl Default for OnlineBooking {
    fn default() -> Self {
        Self {
            enabled: false,
            confirm_unknown_phones: true,
            notice_hours: 2,
            days_ahead: 30,
            slot_minutes: 30,
        }
    }
}

/// The longest free-text answer she may give ahead.
pub const MAX_ANSWER_CHARS: usize = 500;

/// Answers given ahead that cannot be kept. `code()` is stable and meant for translation.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "code")]
pub enum AheadError {
    /// Answers without the customer's consent to keep them.
    #[serde(rename = "booking.consent_required")]
    #[error("answers to the consultation questions are kept only with your consent")]
    ConsentRequired,
    /// An answer to a question the service does not ask, or a second answer to one.
    #[serde(rename = "booking.answer_invalid")]
    #[error("an answer does not fit the service's questions")]
    AnswerInvalid {
        /// The question's key.
        key: String,
    },
    /// A text answer longer than [`MAX_ANSWER_CHARS`].
    #[serde(rename = "booking.answer_too_long")]
    #[error("an answer is at most {MAX_ANSWER_CHARS} characters")]
    AnswerTooLong {
        /// The question's key.
        key: String,
    },
}

impl AheadError {
    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::ConsentRequired => "booking.consent_required",
            Self::AnswerInvalid { .. } => "booking.answer_invalid",
            Self::AnswerTooLong { .. } => "booking.answer_too_long",
        }
    }
}

/// The consultation answers a customer gave ahead for `service`, as they may be kept: each
/// answers one of the service's questions, once, in its form (yes/no, one of its choices, or a
/// text of at most [`MAX_ANSWER_CHARS`]); an empty text is no answer. Any answer needs her
/// `consent` to keep health data; with none, none is kept (an empty list).
pub fn answers_ahead(
    service: &CatalogService,
    answers: Vec<Answer>,
    consent: bool,
) -> Result<Vec<Answer>, AheadError> {
    let mut kept: Vec<Answer> = Vec::new();
    for answer in answers {
        let invalid = || AheadError::AnswerInvalid {
            key: answer.key.as_str().to_owned(),
        };
        let question = service
            .consultation
            .iter()
            .find(|q| q.key == answer.key)
            .ok_or_else(invalid)?;
        if kept.iter().any(|a| a.key == answer.key) {
            return Err(invalid());
        }
        match (&question.kind, &answer.value) {
            (QuestionKind::YesNo { .. }, AnswerValue::YesNo(_)) => {}
            (QuestionKind::Choice { choices }, AnswerValue::Choice(c)) if choices.contains(c) => {}
            (QuestionKind::Text, AnswerValue::Text(t)) if t.is_empty() => continue,
            (QuestionKind::Text, AnswerValue::Text(t)) => {
                if t.as_str().chars().count() > MAX_ANSWER_CHARS {
                    return Err(AheadError::AnswerTooLong {
                        key: answer.key.as_str().to_owned(),
                    });
                }
            }
            _ => return Err(invalid()),
        }
        kept.push(answer);
    }
    if !kept.is_empty() && !consent {
        return Err(AheadError::ConsentRequired);
    }
    Ok(kept)
}

/// A slot the page offers: a start, and who and where would serve her.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    /// Start.
    pub start: Timestamp,
    /// End (start + the service's duration).
    pub end: Timestamp,
    /// The therapist who is free then.
    pub therapist_id: StaffId,
    /// The room or bed kept for it (`None` when the store has no place suiting the service).
    pub room_id: Option<RoomId>,
}

/// The therapists a customer may choose online for `service`: active therapists of the store
/// trained to give it.
pub fn bookable_therapists<'a>(
    store: &Store,
    staff: &'a [Staff],
    service: &CatalogService,
) -> Vec<&'a Staff> {
    staff
        .iter()
        .filter(|s| s.role == Role::Therapist && s.acts_in(store.id) && s.can_give(service.id))
        .collect()
}

/// May an online booking starting at `start` be made, cancelled or moved at `now`? Only
/// [`OnlineBooking::notice_hours`] or more ahead.
pub fn within_notice(setting: &OnlineBooking, start: Timestamp, now: Timestamp) -> bool {
    start >= now + Duration::hours(i64::from(setting.notice_hours))
}

/// Places `base` (its id, customer and needs) at `start` for `service`: with `wanted` or, for
/// "anyone", the first bookable therapist free then; in a free room of the kind the service
/// needs when the store has one (a store with none books without a room, as a device does).
/// `None` when no therapist and place is free, or the time breaks the store's rules.
#[allow(clippy::too_many_arguments)]
pub fn place_booking(
    store: &Store,
    service: &CatalogService,
    staff: &[Staff],
    wanted: Option<StaffId>,
    rooms: &[Room],
    existing: &[(&Appointment, AppointmentStatus)],
    base: &Appointment,
    start: Timestamp,
) -> Option<Appointment> {
    let end = start + Duration::minutes(i64::from(service.duration_minutes));
    let time = Interval::new(start, end).ok()?;
    let buffer = store.settings.booking_buffer_minutes;
    bookable_therapists(store, staff, service)
        .into_iter()
        .filter(|t| wanted.is_none_or(|w| w == t.id))
        .find_map(|therapist| {
            let mut candidate = base.clone();
            candidate.services = vec![service.id];
            candidate.time = time;
            candidate.channel = BookingChannel::Website;
            candidate.therapist_id = Some(therapist.id);
            candidate.room_id = None;
            let category = Some(service.category);
            let room = free_room(
                &candidate,
                rooms,
                category,
                existing.iter().copied(),
                buffer,
            );
            // With no booking at all a suitable place would be free: if it is not, there is
            // one but it is taken now.
            if room.is_none() && free_room(&candidate, rooms, category, [], buffer).is_some() {
                return None;
            }
            candidate.room_id = room;
            check_booking(store, &candidate, existing.iter().copied())
                .ok()
                .map(|()| candidate)
        })
}

/// The free slots on `date` (the store's local date) for `service` with `wanted` or anyone:
/// every [`OnlineBooking::slot_minutes`] from opening while the service ends by closing, not
/// before the notice period from `now`, nor beyond [`OnlineBooking::days_ahead`]. `base` stands
/// for the customer (her own bookings count when she is known).
#[allow(clippy::too_many_arguments)]
pub fn free_slots(
    store: &Store,
    service: &CatalogService,
    staff: &[Staff],
    wanted: Option<StaffId>,
    rooms: &[Room],
    existing: &[(&Appointment, AppointmentStatus)],
    base: &Appointment,
    date: NaiveDate,
    now: Timestamp,
) -> Vec<Slot> {
    let setting = &store.settings.online_booking;
    let offset = store.utc_offset;
    let today = offset.local_date(now);
    let last_day = today + Duration::days(i64::from(setting.days_ahead));
    let Some(hours) = store.opening_hours.on(date.weekday()) else {
        return Vec::new();
    };
    if date < today || date > last_day || !service.active || service.duration_minutes == 0 {
        return Vec::new();
    }
    let step = Duration::minutes(i64::from(setting.slot_minutes.max(5)));
    let length = Duration::minutes(i64::from(service.duration_minutes));
    let close = offset.to_utc(date.and_time(hours.close()));
    let mut start = offset.to_utc(date.and_time(hours.open()));
    let mut out = Vec::new();
    while start + length <= close {
        if within_notice(setting, start, now)
            && let Some(placed) =
                place_booking(store, service, staff, wanted, rooms, existing, base, start)
            && let Some(therapist_id) = placed.therapist_id
        {
            out.push(Slot {
                start,
                end: placed.time.end,
                therapist_id,
                room_id: placed.room_id,
            });
        }
        start += step;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Money, ServiceCategory};
    use crate::ids::{AppointmentId, CustomerId, ServiceId, StoreId};
    use crate::room::RoomKind;
    use crate::text::Name;
    use crate::time::tests::cst;
    use AppointmentStatus::*;

    fn store() -> Store {
        let mut s = Store::new(StoreId::from_u128(1), Name::parse("兰心").unwrap());
        s.settings.online_booking.enabled = true;
        s
    }

    fn facial() -> CatalogService {
        CatalogService::new(
            ServiceId::from_u128(5),
            StoreId::from_u128(1),
            Name::parse("补水").unwrap(),
            ServiceCategory::Facial,
            60,
            Money::yuan(380, 0),
        )
    }

    fn therapist(id: u128) -> Staff {
        Staff::new(
            StaffId::from_u128(id),
            StoreId::from_u128(1),
            Name::parse(&format!("T{id}")).unwrap(),
            Role::Therapist,
        )
    }

    fn her() -> Appointment {
        let mut a = Appointment::blank(AppointmentId::from_u128(99), StoreId::from_u128(1));
        a.customer_id = CustomerId::from_u128(7);
        a
    }

    fn booked(id: u128, therapist: u128, room: Option<u128>, start: Timestamp) -> Appointment {
        let mut a = Appointment::blank(AppointmentId::from_u128(id), StoreId::from_u128(1));
        a.customer_id = CustomerId::from_u128(100 + id);
        a.therapist_id = Some(StaffId::from_u128(therapist));
        a.room_id = room.map(RoomId::from_u128);
        a.services = vec![ServiceId::from_u128(5)];
        a.time = Interval::new(start, start + Duration::minutes(60)).unwrap();
        a
    }

    /// The facial's free times for her on `date`: nobody asked for, no rooms, nothing booked.
    fn open_slots(staff: &[Staff], date: NaiveDate, now: Timestamp) -> Vec<Slot> {
        free_slots(
            &store(),
            &facial(),
            staff,
            None,
            &[],
            &[],
            &her(),
            date,
            now,
        )
    }

    fn starts(slots: &[Slot]) -> Vec<Timestamp> {
        slots.iter().map(|s| s.start).collect()
    }

    // 2026-03-02 is a Monday; the default hours are 10:00–21:00 every day.
    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
    }

    #[test]
    fn slots_run_from_opening_until_the_service_ends_by_closing() {
        let staff = [therapist(1)];
        let now = cst(2026, 3, 1, 9, 0);
        let slots = open_slots(&staff, day(), now);
        assert_eq!(slots.first().map(|s| s.start), Some(cst(2026, 3, 2, 10, 0)));
        // 60 minutes ending by 21:00: the last start is 20:00; every half hour.
        assert_eq!(slots.last().map(|s| s.start), Some(cst(2026, 3, 2, 20, 0)));
        assert_eq!(slots.len(), 21);
        assert!(
            slots
                .iter()
                .all(|s| s.end - s.start == Duration::minutes(60))
        );
        // A day in the past, beyond the days offered, or with no therapist: nothing.
        let past = NaiveDate::from_ymd_opt(2026, 2, 28).unwrap();
        assert!(open_slots(&staff, past, now).is_empty());
        let far = NaiveDate::from_ymd_opt(2026, 4, 2).unwrap();
        assert!(open_slots(&staff, far, now).is_empty());
        assert!(open_slots(&[], day(), now).is_empty());
    }

    #[test]
    fn the_notice_period_hides_slots_too_soon() {
        let staff = [therapist(1)];
        // 11:10 on the day with two hours' notice: 13:10 is the earliest, so 13:30 first.
        let now = cst(2026, 3, 2, 11, 10);
        let slots = open_slots(&staff, day(), now);
        assert_eq!(
            slots.first().map(|s| s.start),
            Some(cst(2026, 3, 2, 13, 30))
        );
        assert!(within_notice(
            &store().settings.online_booking,
            cst(2026, 3, 2, 13, 10),
            now
        ));
        assert!(!within_notice(
            &store().settings.online_booking,
            cst(2026, 3, 2, 13, 9),
            now
        ));
    }

    #[test]
    fn a_booked_therapist_and_her_buffer_are_not_offered_but_anyone_is() {
        let staff = [therapist(1), therapist(2)];
        let now = cst(2026, 3, 1, 9, 0);
        let taken = booked(1, 1, None, cst(2026, 3, 2, 14, 0));
        let existing = [(&taken, Confirmed)];
        let with_one = free_slots(
            &store(),
            &facial(),
            &staff,
            Some(StaffId::from_u128(1)),
            &[],
            &existing,
            &her(),
            day(),
            now,
        );
        // 13:30 would end at 14:30 (overlap); 15:00 is inside the 10-minute buffer after 15:00;
        // 15:30 is free again.
        let s = starts(&with_one);
        assert!(s.contains(&cst(2026, 3, 2, 12, 30)));
        assert!(!s.contains(&cst(2026, 3, 2, 13, 0)), "ends 14:00 + buffer");
        assert!(!s.contains(&cst(2026, 3, 2, 14, 0)));
        assert!(!s.contains(&cst(2026, 3, 2, 15, 0)));
        assert!(s.contains(&cst(2026, 3, 2, 15, 30)));
        // Anyone: therapist 2 takes 14:00.
        let anyone = free_slots(
            &store(),
            &facial(),
            &staff,
            None,
            &[],
            &existing,
            &her(),
            day(),
            now,
        );
        let at_two = anyone.iter().find(|s| s.start == cst(2026, 3, 2, 14, 0));
        assert_eq!(at_two.map(|s| s.therapist_id), Some(StaffId::from_u128(2)));
        // A cancelled booking holds nothing.
        let cancelled = [(&taken, Cancelled)];
        let free = free_slots(
            &store(),
            &facial(),
            &staff,
            Some(StaffId::from_u128(1)),
            &[],
            &cancelled,
            &her(),
            day(),
            now,
        );
        assert_eq!(free.len(), 21);
    }

    #[test]
    fn a_slot_needs_a_free_place_of_the_right_kind() {
        let staff = [therapist(1), therapist(2)];
        let now = cst(2026, 3, 1, 9, 0);
        let mut bed = Room::new(
            RoomId::from_u128(50),
            StoreId::from_u128(1),
            Name::parse("床1").unwrap(),
            RoomKind::Room,
        );
        bed.suits = vec![ServiceCategory::Facial];
        let rooms = [bed];
        // Therapist 1 in the only facial room at 14:00: therapist 2 is free but the room is not.
        let taken = booked(1, 1, Some(50), cst(2026, 3, 2, 14, 0));
        let existing = [(&taken, Booked)];
        let slots = free_slots(
            &store(),
            &facial(),
            &staff,
            None,
            &rooms,
            &existing,
            &her(),
            day(),
            now,
        );
        assert!(!starts(&slots).contains(&cst(2026, 3, 2, 14, 0)));
        let morning = slots.first().copied();
        assert_eq!(morning.and_then(|s| s.room_id), Some(RoomId::from_u128(50)));
        // A service no room suits is booked without a room.
        let mut nails = facial();
        nails.category = ServiceCategory::Nail;
        let slots = free_slots(
            &store(),
            &nails,
            &staff,
            None,
            &rooms,
            &existing,
            &her(),
            day(),
            now,
        );
        let at_two = slots.iter().find(|s| s.start == cst(2026, 3, 2, 14, 0));
        assert_eq!(at_two.map(|s| s.room_id), Some(None));
    }

    #[test]
    fn only_active_therapists_trained_for_the_service() {
        let mut left = therapist(1);
        left.active = false;
        let mut other_skill = therapist(2);
        other_skill.skills = vec![ServiceId::from_u128(6)];
        let mut reception = therapist(3);
        reception.role = Role::Reception;
        let trained = therapist(4);
        let staff = [left, other_skill, reception, trained];
        let ids: Vec<_> = bookable_therapists(&store(), &staff, &facial())
            .iter()
            .map(|s| s.id)
            .collect();
        assert_eq!(ids, vec![StaffId::from_u128(4)]);
    }

    #[test]
    fn her_own_booking_at_the_same_time_is_a_collision() {
        let staff = [therapist(1), therapist(2)];
        let now = cst(2026, 3, 1, 9, 0);
        let mut mine = booked(1, 2, None, cst(2026, 3, 2, 14, 0));
        mine.customer_id = her().customer_id;
        let existing = [(&mine, Booked)];
        let slots = free_slots(
            &store(),
            &facial(),
            &staff,
            None,
            &[],
            &existing,
            &her(),
            day(),
            now,
        );
        assert!(!starts(&slots).contains(&cst(2026, 3, 2, 14, 0)));
    }

    #[test]
    fn answers_ahead_fit_the_questions_and_need_her_consent() {
        use crate::catalog::ConsultationQuestion;
        use crate::text::{Label, Note, Tag};
        let tag = |s: &str| Tag::parse(s).unwrap();
        let mut service = facial();
        service.consultation = vec![
            ConsultationQuestion {
                key: tag("q1"),
                text: Label::parse("近两周做过激光吗？").unwrap(),
                kind: QuestionKind::YesNo {
                    yes_means: Some(tag("recent_laser")),
                },
            },
            ConsultationQuestion {
                key: tag("q2"),
                text: Label::parse("皮肤状况").unwrap(),
                kind: QuestionKind::Choice {
                    choices: vec![Label::parse("干").unwrap(), Label::parse("油").unwrap()],
                },
            },
            ConsultationQuestion {
                key: tag("q3"),
                text: Label::parse("其他").unwrap(),
                kind: QuestionKind::Text,
            },
        ];
        let answer = |key: &str, value: AnswerValue| Answer {
            key: tag(key),
            value,
        };
        let no = answer("q1", AnswerValue::YesNo(false));
        let dry = answer("q2", AnswerValue::Choice(Label::parse("干").unwrap()));
        let blank = answer("q3", AnswerValue::Text(Note::default()));
        // Kept with her consent; an empty text is no answer.
        assert_eq!(
            answers_ahead(&service, vec![no.clone(), dry.clone(), blank.clone()], true),
            Ok(vec![no.clone(), dry.clone()])
        );
        // Without it: refused; nothing answered needs no consent.
        assert_eq!(
            answers_ahead(&service, vec![no.clone()], false),
            Err(AheadError::ConsentRequired)
        );
        assert_eq!(answers_ahead(&service, vec![blank], false), Ok(vec![]));
        assert_eq!(answers_ahead(&service, vec![], false), Ok(vec![]));
        // A question the service does not ask, a second answer, the wrong form, a choice not
        // offered.
        let refused =
            |answers: Vec<Answer>| answers_ahead(&service, answers, true).unwrap_err().code();
        assert_eq!(
            refused(vec![answer("q9", AnswerValue::YesNo(true))]),
            "booking.answer_invalid"
        );
        assert_eq!(refused(vec![no.clone(), no]), "booking.answer_invalid");
        assert_eq!(
            refused(vec![answer(
                "q1",
                AnswerValue::Choice(Label::parse("是").unwrap())
            )]),
            "booking.answer_invalid"
        );
        assert_eq!(
            refused(vec![answer(
                "q2",
                AnswerValue::Choice(Label::parse("混合").unwrap())
            )]),
            "booking.answer_invalid"
        );
        // A text answer is bounded.
        let long = Note::parse(&"字".repeat(MAX_ANSWER_CHARS + 1)).unwrap();
        assert_eq!(
            refused(vec![answer("q3", AnswerValue::Text(long))]),
            "booking.answer_too_long"
        );
        let longest = Note::parse(&"字".repeat(MAX_ANSWER_CHARS)).unwrap();
        assert!(
            answers_ahead(
                &service,
                vec![answer("q3", AnswerValue::Text(longest))],
                true
            )
            .is_ok()
        );
    }
}
