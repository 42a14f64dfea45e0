//! Moving and resizing a booking (改约): one check shared by the calendar's mouse drag and its
//! tap-and-choose dialog. Every move is checked with the core (the status machine, opening hours,
//! collisions with the store's buffer) before anything is written, and only the fields that
//! changed are written, so a concurrent edit of another field on another device merges.
use std::borrow::Cow;

use chrono::{Duration, NaiveDateTime};
use leptos::prelude::*;
use orchid_core::appointment::{AppointmentError, AppointmentField, Resource, check_booking};
use orchid_core::ids::{AppointmentId, RoomId, StaffId};
use orchid_core::permission::{self, Sensitivity};
use orchid_core::role::Role;
use orchid_core::sync::Change;
use orchid_core::time::{Interval, Timestamp};

use crate::components::{dialog_keys, store_error_text};
use crate::i18n::desk_words::DeskWord;
use crate::i18n::errors::error_text;
use crate::i18n::{Lang, Msg};
use crate::pages::calendar::SlotFields;
use crate::state::store::{StoreHandle, store_offset, store_record, use_store};
use crate::state::use_i18n;

/// The grid step a move or resize snaps to (the day view's free slots are quarter hours).
pub const STEP_MINUTES: i64 = 15;

/// Where and when a booking should be after a move or resize.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reschedule {
    pub time: Interval,
    pub therapist_id: Option<StaffId>,
    pub room_id: Option<RoomId>,
}

/// May the acting role move bookings at all? (The core's matrix: writing a booking's fields.)
pub fn may_move_bookings(role: Role) -> bool {
    permission::allowed(
        role,
        permission::Action::AppointmentBook,
        Sensitivity::Ordinary,
    )
}

/// Checks a move or resize of booking `id` with the core and returns the fields that change
/// (empty: nothing to write), or why it is refused, in the user's language.
pub fn plan_reschedule(
    store: StoreHandle,
    id: AppointmentId,
    to: Reschedule,
    lang: Lang,
) -> Result<Vec<AppointmentField>, Cow<'static, str>> {
    if !may_move_bookings(store.role()) {
        return Err(Cow::Borrowed(error_text(lang, "permission.denied")));
    }
    let Some(current) = store.appointment(id) else {
        return Err(Cow::Borrowed(crate::i18n::tr(lang, Msg::NotFoundTitle)));
    };
    if !current.status.status.may_reschedule() {
        return Err(Cow::Borrowed(DeskWord::NotMovable.text(lang)));
    }
    let before = &current.appointment;
    let mut fields = Vec::new();
    if before.time != to.time {
        fields.push(AppointmentField::Time(to.time));
    }
    if before.therapist_id != to.therapist_id {
        fields.push(AppointmentField::TherapistId(to.therapist_id));
    }
    if before.room_id != to.room_id {
        fields.push(AppointmentField::RoomId(to.room_id));
    }
    if fields.is_empty() {
        return Ok(fields);
    }
    let Some(record) = store_record(store) else {
        return Err(Cow::Borrowed(crate::i18n::tr(lang, Msg::Loading)));
    };
    let mut candidate = before.clone();
    candidate.time = to.time;
    candidate.therapist_id = to.therapist_id;
    candidate.room_id = to.room_id;
    // The bookings of the new day and of the days either side (a buffer can reach over midnight);
    // the booking itself is skipped by the core (same id).
    let offset = record.utc_offset;
    let day = offset.local_date(to.time.start);
    let existing = store.appointments_between(day - Duration::days(1), day + Duration::days(1));
    check_booking(
        &record,
        &candidate,
        existing.iter().map(|a| (&a.appointment, a.status.status)),
    )
    .map_err(|e| refusal_text(store, id, &e, lang))?;
    Ok(fields)
}

/// The core's refusal in words; a collision names what collides and when.
pub fn refusal_text(
    store: StoreHandle,
    id: AppointmentId,
    error: &AppointmentError,
    lang: Lang,
) -> Cow<'static, str> {
    let AppointmentError::Conflict { conflicts, .. } = error else {
        return Cow::Borrowed(error_text(
            lang,
            orchid_core::ValidationError::from(error.clone()).code(),
        ));
    };
    let Some(first) = conflicts.first() else {
        return Cow::Borrowed(error_text(lang, error.code()));
    };
    let other_id = if first.a == id { first.b } else { first.a };
    let offset = store_offset(store);
    let when = store
        .appointment(other_id)
        .map(|o| {
            format!(
                "{} – {}",
                offset.local(o.appointment.time.start).format("%H:%M"),
                offset.local(o.appointment.time.end).format("%H:%M")
            )
        })
        .unwrap_or_default();
    let (lead, who) = match first.resource {
        Resource::Therapist(t) => (
            DeskWord::TakenTherapist,
            store
                .staff_member(t)
                .map(|s| s.name.as_str().to_owned())
                .unwrap_or_default(),
        ),
        Resource::Room(r) => (
            DeskWord::TakenRoom,
            store
                .rooms()
                .into_iter()
                .find(|x| x.id == r)
                .map(|x| x.name.as_str().to_owned())
                .unwrap_or_default(),
        ),
        Resource::Customer(c) => (
            DeskWord::TakenCustomer,
            store
                .customer(c)
                .map(|x| x.name.as_str().to_owned())
                .unwrap_or_default(),
        ),
    };
    Cow::Owned(
        format!("{}{who} {when}", lead.text(lang))
            .trim_end()
            .to_owned(),
    )
}

/// Writes a planned move (no-op when nothing changed).
pub async fn write_reschedule(
    store: StoreHandle,
    id: AppointmentId,
    fields: Vec<AppointmentField>,
    lang: Lang,
) -> Result<(), Cow<'static, str>> {
    if fields.is_empty() {
        return Ok(());
    }
    store
        .mutate(Change::AppointmentUpsert { id, fields })
        .await
        .map(|_| ())
        .map_err(|e| Cow::Borrowed(store_error_text(lang, &e)))
}

/// A start moved by `minutes`, snapped to the grid.
pub fn snap_minutes(pixels: f64, px_per_minute: f64) -> i64 {
    let minutes = pixels / px_per_minute;
    (minutes / STEP_MINUTES as f64).round() as i64 * STEP_MINUTES
}

/// `time` moved by `minutes` (a drag of the whole booking).
pub fn shifted(time: Interval, minutes: i64) -> Interval {
    Interval {
        start: time.start + Duration::minutes(minutes),
        end: time.end + Duration::minutes(minutes),
    }
}

/// `time` with its end moved by `minutes`, never shorter than one grid step (a drag of its edge).
pub fn stretched(time: Interval, minutes: i64) -> Interval {
    let shortest = time.start + Duration::minutes(STEP_MINUTES);
    Interval {
        start: time.start,
        end: (time.end + Duration::minutes(minutes)).max(shortest),
    }
}

/// Which of the two actions opened the dialog.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MoveMode {
    Move,
    Length,
}

/// Tap-and-choose: a new date, start and therapist/room (Move), or a new length (Change length).
/// Usable by keyboard (Enter saves) and by touch.
#[component]
pub fn MoveDialog(
    id: AppointmentId,
    mode: MoveMode,
    moving: RwSignal<Option<(AppointmentId, MoveMode)>>,
) -> impl IntoView {
    dialog_keys(move || moving.set(None));
    let store = use_store();
    let i18n = use_i18n();
    let offset = store_offset(store);
    let Some(current) = untrack(|| store.appointment(id)) else {
        return view! { <span></span> }.into_any();
    };
    let before = current.appointment.clone();
    let local_start = offset.local(before.time.start);
    let date = RwSignal::new(local_start.date().format("%Y-%m-%d").to_string());
    let time = RwSignal::new(local_start.time().format("%H:%M").to_string());
    let length = RwSignal::new(before.time.minutes().to_string());
    let therapist = RwSignal::new(before.therapist_id);
    let room = RwSignal::new(before.room_id);
    let error = RwSignal::new(None::<Cow<'static, str>>);
    let save = Action::new_local(move |(fields,): &(Vec<AppointmentField>,)| {
        let fields = fields.clone();
        let lang = i18n.lang();
        async move { write_reschedule(store, id, fields, lang).await }
    });
    Effect::new(move || match save.value().get() {
        Some(Ok(())) => moving.set(None),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let ends = move || {
        let start = NaiveDateTime::parse_from_str(
            &format!("{} {}", date.get(), time.get()),
            "%Y-%m-%d %H:%M",
        )
        .ok()?;
        let minutes = length.get().trim().parse::<i64>().ok()?;
        Some(
            (start + Duration::minutes(minutes))
                .format("%H:%M")
                .to_string(),
        )
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.lang();
        let start = NaiveDateTime::parse_from_str(
            &format!("{} {}", date.get_untracked(), time.get_untracked()),
            "%Y-%m-%d %H:%M",
        );
        let Ok(start) = start else {
            error.set(Some(Cow::Borrowed(i18n.t(Msg::BookingBadTime))));
            return;
        };
        let minutes = match length.get_untracked().trim().parse::<i64>() {
            Ok(m)
                if (STEP_MINUTES..=orchid_core::appointment::MAX_APPOINTMENT_MINUTES)
                    .contains(&m)
                    && m % STEP_MINUTES == 0 =>
            {
                m
            }
            _ => {
                error.set(Some(Cow::Borrowed(DeskWord::LengthBad.text(lang))));
                return;
            }
        };
        let start: Timestamp = offset.to_utc(start);
        let to = Reschedule {
            time: Interval {
                start,
                end: start + Duration::minutes(minutes),
            },
            therapist_id: therapist.get_untracked(),
            room_id: room.get_untracked(),
        };
        match plan_reschedule(store, id, to, lang) {
            Ok(fields) if fields.is_empty() => {
                error.set(Some(Cow::Borrowed(DeskWord::NothingChanged.text(lang))));
            }
            Ok(fields) => {
                error.set(None);
                save.dispatch((fields,));
            }
            Err(reason) => error.set(Some(reason)),
        }
    };
    let title = match mode {
        MoveMode::Move => DeskWord::MoveTitle,
        MoveMode::Length => DeskWord::LengthTitle,
    };
    let who = store
        .customer(before.customer_id)
        .map(|c| c.name.as_str().to_owned())
        .unwrap_or_default();
    let now_text = format!(
        "{} {} – {}",
        who,
        local_start.format("%Y-%m-%d %H:%M"),
        offset.local(before.time.end).format("%H:%M")
    );
    view! {
        <div class="dialog-backdrop">
            <form class="dialog card form" role="dialog" aria-modal="true" aria-labelledby="move-title" on:submit=on_submit novalidate data-testid="move-dialog">
                <h2 id="move-title">{move || title.text(i18n.lang())}</h2>
                <p>{now_text}</p>
                <Show when=move || mode == MoveMode::Move>
                    <SlotFields prefix="move" date=date time=time therapist=therapist room=room autofocus=true/>
                </Show>
                <div class="field-row">
                    <div class="field">
                        <label for="move-length">{move || DeskWord::LengthMinutes.text(i18n.lang())}</label>
                        <input id="move-length" type="number" min="15" max="720" step="15" autofocus=mode == MoveMode::Length prop:value=length on:input=move |ev| length.set(event_target_value(&ev))/>
                    </div>
                    <p class="field move-ends" aria-live="polite">
                        {move || DeskWord::Ends.text(i18n.lang())} " " <strong data-testid="move-ends">{move || ends().unwrap_or_else(|| "—".into())}</strong>
                    </p>
                </div>
                <p class="form-error" role="alert" data-testid="move-error">{move || error.get()}</p>
                <div class="form-actions">
                    <button type="button" class="button--secondary" on:click=move |_| moving.set(None)>{move || i18n.t(Msg::Cancel)}</button>
                    <button type="submit" disabled=move || save.pending().get()>{move || i18n.t(Msg::Save)}</button>
                </div>
            </form>
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use orchid_core::time::UtcOffset;

    #[test]
    fn a_drag_snaps_to_the_nearest_quarter_hour() {
        assert_eq!(snap_minutes(0.0, 1.2), 0);
        assert_eq!(snap_minutes(8.0 * 1.2, 1.2), 15);
        assert_eq!(snap_minutes(7.0 * 1.2, 1.2), 0);
        assert_eq!(snap_minutes(-38.0 * 1.2, 1.2), -45);
    }

    #[test]
    fn a_resize_keeps_the_start_and_one_step_at_least() {
        let offset = UtcOffset::CHINA;
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let at = |h, m| offset.to_utc(day.and_hms_opt(h, m, 0).unwrap());
        let time = Interval::new(at(10, 0), at(11, 0)).unwrap();
        assert_eq!(stretched(time, 30).end, at(11, 30));
        assert_eq!(stretched(time, -120).end, at(10, 15));
        assert_eq!(shifted(time, -60).start, at(9, 0));
        assert_eq!(shifted(time, -60).end, at(10, 0));
    }
}
