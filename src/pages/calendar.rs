//! The calendar: a day with a column per therapist (or per room/bed), a week at a glance,
//! booking by tapping a free slot, and each booking's status moves (confirm, check in on arrival,
//! no-show, cancel with a reason).
use std::borrow::Cow;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use orchid_core::appointment::{
    AppointmentField, AppointmentStatus, BookingChannel, CancelReason, Frequency, Recurrence,
    Series, StatusChange, check_arrival_day, check_booking, check_move, free_room,
};
use orchid_core::ids::{AppointmentId, CustomerId, RoomId, ServiceId, StaffId};
use orchid_core::permission::{self, Sensitivity};
use orchid_core::role::Role;
use orchid_core::sync::{AppointmentView, Change};
use orchid_core::text::Note;
use orchid_core::time::{Interval, UtcOffset};

use crate::components::balances::BalanceSummary;
use crate::components::{CustomerPicker, dialog_keys, store_error_text};
use crate::format::local_text;
use crate::i18n::desk_words::DeskWord;
use crate::i18n::errors::error_text;
use crate::i18n::{Msg, labels};
use crate::pages::calendar_move::{
    MoveDialog, MoveMode, Reschedule, may_move_bookings, plan_reschedule, refusal_text, shifted,
    snap_minutes, stretched, write_reschedule,
};
use crate::pages::waitlist::{SlotOffers, WaitlistDialog};
use crate::state::store::{StoreHandle, new_id, store_offset, store_record, use_store};
use crate::state::use_i18n;
use crate::state::waitlist::may_manage_waitlist;

/// The hours the day view shows (store time).
const FIRST_HOUR: u32 = 9;
const LAST_HOUR: u32 = 22;
/// Vertical scale of the day view.
const PX_PER_MINUTE: f64 = 1.2;
/// A tap on a free slot books at the quarter hour it falls in.
const SLOT_MINUTES: i64 = 15;

/// Where a booking sits in its column: (top, height) in pixels from the first hour.
pub fn block_geometry(day: NaiveDate, start: NaiveDateTime, end: NaiveDateTime) -> (f64, f64) {
    let origin = day.and_time(NaiveTime::MIN) + Duration::hours(i64::from(FIRST_HOUR));
    let top = (start - origin).num_minutes().max(0) as f64 * PX_PER_MINUTE;
    let bottom = (end - origin).num_minutes().max(0) as f64 * PX_PER_MINUTE;
    (top, (bottom - top).max(18.0))
}

/// The quarter hour at `offset_px` below the first hour of `day`.
pub fn slot_at(day: NaiveDate, offset_px: f64) -> NaiveDateTime {
    let minutes = (offset_px / PX_PER_MINUTE).max(0.0) as i64;
    let snapped = minutes / SLOT_MINUTES * SLOT_MINUTES;
    day.and_time(NaiveTime::MIN)
        + Duration::hours(i64::from(FIRST_HOUR))
        + Duration::minutes(snapped)
}

/// What a column of the day view stands for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Column {
    Therapist(StaffId),
    Room(RoomId),
}

impl Column {
    fn holds(self, a: &AppointmentView) -> bool {
        match self {
            Column::Therapist(t) => a.appointment.therapist_id == Some(t),
            Column::Room(r) => a.appointment.room_id == Some(r),
        }
    }
}

fn parse_day(raw: Option<String>, offset: UtcOffset) -> NaiveDate {
    raw.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
        .unwrap_or_else(|| offset.local_date(Utc::now()))
}

#[component]
pub fn CalendarPage() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let offset = Memo::new(move |_| store_offset(store));
    let day = Memo::new(move |_| parse_day(query.with(|q| q.get("day")), offset.get()));
    let by_room = Memo::new(move |_| query.with(|q| q.get("by").as_deref() == Some("room")));
    let week = Memo::new(move |_| query.with(|q| q.get("view").as_deref() == Some("week")));
    let for_customer = Memo::new(move |_| {
        query
            .with(|q| q.get("customer"))
            .and_then(|raw| uuid::Uuid::parse_str(&raw).ok())
            .map(CustomerId::from_uuid)
    });
    let go = move |day: NaiveDate, by_room: bool, week: bool| {
        let mut url = format!("/calendar?day={}", day.format("%Y-%m-%d"));
        if by_room {
            url.push_str("&by=room");
        }
        if week {
            url.push_str("&view=week");
        }
        if let Some(c) = for_customer.get_untracked() {
            url.push_str(&format!("&customer={c}"));
        }
        navigate(&url, Default::default());
    };
    let go = StoredValue::new(go);
    let step = move |days: i64| {
        let d = day.get_untracked()
            + Duration::days(if week.get_untracked() { 7 * days } else { days });
        go.with_value(|go| go(d, by_room.get_untracked(), week.get_untracked()));
    };

    let columns = Memo::new(move |_| {
        let mut columns: Vec<(Column, String)> = if by_room.get() {
            store
                .rooms()
                .into_iter()
                .filter(|r| r.active)
                .map(|r| (Column::Room(r.id), r.name.as_str().to_owned()))
                .collect()
        } else {
            store
                .staff()
                .into_iter()
                .filter(|s| s.active && s.role == Role::Therapist)
                .map(|s| (Column::Therapist(s.id), s.name.as_str().to_owned()))
                .collect()
        };
        columns.sort_by(|a, b| a.1.cmp(&b.1));
        columns
    });
    let booking = RwSignal::new(None::<BookingDraft>);
    let selected = RwSignal::new(None::<AppointmentId>);
    let moving = RwSignal::new(None::<(AppointmentId, MoveMode)>);
    let drag_error = RwSignal::new(None::<Cow<'static, str>>);
    let waitlist_open = RwSignal::new(query.with_untracked(|q| q.get("waitlist").is_some()));
    let may_waitlist = may_manage_waitlist(store.role());
    let waiting = Memo::new(move |_| {
        store
            .waitlist()
            .iter()
            .filter(|e| {
                matches!(
                    e.status,
                    orchid_core::waitlist::WaitlistStatus::Waiting
                        | orchid_core::waitlist::WaitlistStatus::Offered
                )
            })
            .count()
    });

    view! {
        <div class="page-head">
            <h1>{move || i18n.t(Msg::NavCalendar)}</h1>
            <div class="page-head__actions calendar-nav">
                <button type="button" class="button--secondary" on:click=move |_| step(-1)>{move || i18n.t(Msg::CalendarPrev)}</button>
                <label>
                    <span class="visually-hidden">{move || i18n.t(Msg::BookingDate)}</span>
                    <input
                        type="date"
                        data-testid="calendar-day"
                        prop:value=move || day.get().format("%Y-%m-%d").to_string()
                        on:change=move |ev| {
                            if let Ok(d) = NaiveDate::parse_from_str(&event_target_value(&ev), "%Y-%m-%d") {
                                go.with_value(|go| go(d, by_room.get_untracked(), week.get_untracked()));
                            }
                        }
                    />
                </label>
                <button type="button" class="button--secondary" on:click=move |_| step(1)>{move || i18n.t(Msg::CalendarNext)}</button>
                <button type="button" class="button--secondary" on:click=move |_| go.with_value(|go| go(offset.get_untracked().local_date(Utc::now()), by_room.get_untracked(), week.get_untracked()))>
                    {move || i18n.t(Msg::CalendarToday)}
                </button>
                <button type="button" class="button--secondary" aria-pressed=move || (!week.get()).to_string() on:click=move |_| go.with_value(|go| go(day.get_untracked(), by_room.get_untracked(), false))>
                    {move || i18n.t(Msg::CalendarDay)}
                </button>
                <button type="button" class="button--secondary" aria-pressed=move || week.get().to_string() on:click=move |_| go.with_value(|go| go(day.get_untracked(), by_room.get_untracked(), true))>
                    {move || i18n.t(Msg::CalendarWeek)}
                </button>
                <button type="button" class="button--secondary" aria-pressed=move || by_room.get().to_string() on:click=move |_| go.with_value(|go| go(day.get_untracked(), !by_room.get_untracked(), week.get_untracked()))>
                    {move || if by_room.get() { i18n.t(Msg::CalendarByTherapist) } else { i18n.t(Msg::CalendarByRoom) }}
                </button>
                <Show when=move || may_waitlist>
                    <button type="button" class="button--secondary" data-testid="waitlist-open" on:click=move |_| waitlist_open.set(true)>
                        {move || DeskWord::Waitlist.text(i18n.lang())} " (" {move || waiting.get()} ")"
                    </button>
                </Show>
            </div>
        </div>
        <p class="form-error calendar-notice" role="alert" data-testid="calendar-error">{move || drag_error.get()}</p>
        <Show when=move || store.ready.get() fallback=move || view! { <p role="status">{move || i18n.t(Msg::Loading)}</p> }>
            {move || if week.get() {
                view! { <WeekView day=day.get() offset=offset.get() selected=selected/> }.into_any()
            } else if columns.with(|c| c.is_empty()) {
                view! { <NoStaffYet/> }.into_any()
            } else {
                view! { <DayView day=day columns=columns offset=offset booking=booking selected=selected for_customer=for_customer drag_error=drag_error/> }.into_any()
            }}
        </Show>
        {move || booking.get().map(|draft| view! { <BookingDialog draft=draft booking=booking/> })}
        {move || selected.get().map(|id| view! { <AppointmentPanel id=id selected=selected moving=moving/> })}
        {move || moving.get().map(|(id, mode)| view! { <MoveDialog id=id mode=mode moving=moving/> })}
        // Only once the store is read: the dialog's pickers list the catalog and the therapists.
        {move || (waitlist_open.get() && store.ready.get()).then(|| view! { <WaitlistDialog open=waitlist_open customer=for_customer.get_untracked()/> })}
    }
}

#[component]
fn DayView(
    day: Memo<NaiveDate>,
    columns: Memo<Vec<(Column, String)>>,
    offset: Memo<UtcOffset>,
    booking: RwSignal<Option<BookingDraft>>,
    selected: RwSignal<Option<AppointmentId>>,
    for_customer: Memo<Option<CustomerId>>,
    drag_error: RwSignal<Option<Cow<'static, str>>>,
) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let appointments = Memo::new(move |_| store.appointments_on(day.get()));
    let may_move = may_move_bookings(store.role());
    // The booking being dragged with the mouse, the columns' left edges when the drag began, and
    // whether the click that ends a drag must be swallowed (it would open the booking's panel).
    let drag = RwSignal::new(None::<Drag>);
    let column_lefts = StoredValue::new(Vec::<f64>::new());
    let just_dragged = StoredValue::new(false);
    let finish_drag = move |d: Drag| {
        let lang = i18n.lang();
        let Some(current) = store.appointment(d.id) else {
            return;
        };
        let before = &current.appointment;
        let minutes = snap_minutes(f64::from(d.dy), PX_PER_MINUTE);
        let time = match d.kind {
            DragKind::Move => shifted(before.time, minutes),
            DragKind::Resize => stretched(before.time, minutes),
        };
        let (mut therapist_id, mut room_id) = (before.therapist_id, before.room_id);
        if let Some((column, _)) = columns.with_untracked(|c| c.get(d.target_column).cloned()) {
            match column {
                Column::Therapist(t) => therapist_id = Some(t),
                Column::Room(r) => room_id = Some(r),
            }
        }
        let to = Reschedule {
            time,
            therapist_id,
            room_id,
        };
        match plan_reschedule(store, d.id, to, lang) {
            Ok(fields) => {
                drag_error.set(None);
                leptos::task::spawn_local(async move {
                    if let Err(e) = write_reschedule(store, d.id, fields, lang).await {
                        drag_error.set(Some(e));
                    }
                });
            }
            Err(reason) => drag_error.set(Some(reason)),
        }
    };
    let conflicted = Memo::new(move |_| store.conflicted_bookings());
    let customers_name = move |id: CustomerId| {
        store
            .customer(id)
            .map(|c| c.name.as_str().to_owned())
            .unwrap_or_default()
    };
    let height = f64::from((LAST_HOUR - FIRST_HOUR) * 60) * PX_PER_MINUTE;
    let hours = (FIRST_HOUR..LAST_HOUR).collect::<Vec<_>>();
    view! {
        <div class="day-view" data-testid="day-view">
            <div class="day-view__hours" aria-hidden="true" style:height=format!("{height}px")>
                {hours
                    .iter()
                    .map(|h| {
                        let top = f64::from((h - FIRST_HOUR) * 60) * PX_PER_MINUTE;
                        view! { <span class="day-view__hour" style:top=format!("{top}px")>{format!("{h:02}:00")}</span> }
                    })
                    .collect_view()}
            </div>
            <For
                each=move || columns.get()
                key=|(column, name)| (format!("{column:?}"), name.clone())
                children=move |(column, name)| {
                    let in_column = move || {
                        appointments
                            .get()
                            .into_iter()
                            .filter(|a| column.holds(a) && a.status.status.holds_time())
                            .collect::<Vec<_>>()
                    };
                    let on_tap = move |ev: leptos::ev::MouseEvent| {
                        let start = slot_at(day.get_untracked(), f64::from(ev.offset_y()));
                        booking.set(Some(BookingDraft::new(start, column, for_customer.get_untracked())));
                    };
                    // Overlapping bookings of the column side by side, so a collision shows both.
                    let placed = Memo::new(move |_| {
                        lanes(
                            in_column()
                                .iter()
                                .map(|a| (a.appointment.id, a.appointment.time.start.timestamp(), a.appointment.time.end.timestamp()))
                                .collect(),
                        )
                    });
                    let label_for_section = name.clone();
                    let name_for_slot = name.clone();
                    view! {
                        <section class="day-view__column" aria-label=label_for_section>
                            <h2 class="day-view__name">{name.clone()}</h2>
                            <div class="day-view__track" style:height=format!("{height}px")>
                                <button
                                    type="button"
                                    class="day-view__free"
                                    aria-label=move || format!("{}: {}", name_for_slot, i18n.t(Msg::CalendarFreeSlot))
                                    on:click=on_tap
                                ></button>
                                <For
                                    each=in_column
                                    key=|a| (a.appointment.id, a.appointment.time, a.status.status)
                                    children=move |a| {
                                        let local_start = offset.get_untracked().local(a.appointment.time.start);
                                        let local_end = offset.get_untracked().local(a.appointment.time.end);
                                        let (top, h) = block_geometry(day.get_untracked(), local_start, local_end);
                                        let id = a.appointment.id;
                                        let status = a.status.status;
                                        let clash = move || conflicted.with(|c| c.binary_search(&id).is_ok());
                                        let clash_with = move || collision_text(store, offset.get(), id);
                                        let place = move || {
                                            placed.with(|p| p.iter().find(|(one, ..)| *one == id).map_or((0, 1), |(_, lane, count)| (*lane, *count)))
                                        };
                                        let draggable = may_move && status.may_reschedule();
                                        // This booking's drag, once the mouse has moved enough to be one.
                                        let dragging = move || drag.get().filter(|d| d.id == id && d.is_drag());
                                        let snapped_px = move |d: Drag| snap_minutes(f64::from(d.dy), PX_PER_MINUTE) as f64 * PX_PER_MINUTE;
                                        let shown_top = move || match dragging() {
                                            Some(d) if d.kind == DragKind::Move => top + snapped_px(d),
                                            _ => top,
                                        };
                                        let shown_height = move || match dragging() {
                                            Some(d) if d.kind == DragKind::Resize => (h + snapped_px(d)).max(SLOT_MINUTES as f64 * PX_PER_MINUTE),
                                            _ => h,
                                        };
                                        let shown_shift = move || {
                                            dragging()
                                                .and_then(|d| column_lefts.with_value(|l| Some(l.get(d.target_column)? - l.get(d.origin_column)?)))
                                                .filter(|dx| *dx != 0.0)
                                                .map(|dx| format!("translateX({dx}px)"))
                                        };
                                        let shown_time = move || {
                                            let (start, end) = match dragging() {
                                                Some(d) => {
                                                    let minutes = Duration::minutes(snap_minutes(f64::from(d.dy), PX_PER_MINUTE));
                                                    match d.kind {
                                                        DragKind::Move => (local_start + minutes, local_end + minutes),
                                                        DragKind::Resize => (local_start, (local_end + minutes).max(local_start + Duration::minutes(SLOT_MINUTES))),
                                                    }
                                                }
                                                None => (local_start, local_end),
                                            };
                                            format!("{} – {}", start.format("%H:%M"), end.format("%H:%M"))
                                        };
                                        let on_down = move |ev: leptos::ev::PointerEvent| {
                                            // A new press: a click swallowed after an earlier drag no longer is.
                                            just_dragged.set_value(false);
                                            if !draggable || ev.pointer_type() != "mouse" || ev.button() != 0 {
                                                return;
                                            }
                                            let on_edge = ev
                                                .target()
                                                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                                                .is_some_and(|el| el.class_list().contains("booking__resize"));
                                            // The booking itself keeps the pointer until release, wherever the mouse goes.
                                            // (From the target, since delegated events may not carry it as currentTarget.)
                                            if let Some(el) = ev
                                                .target()
                                                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                                                .and_then(|el| el.closest(".booking").ok().flatten())
                                            {
                                                let _ = el.set_pointer_capture(ev.pointer_id());
                                            }
                                            column_lefts.set_value(column_left_edges());
                                            let origin = columns.with_untracked(|c| c.iter().position(|(col, _)| *col == column)).unwrap_or(0);
                                            drag.set(Some(Drag {
                                                id,
                                                kind: if on_edge { DragKind::Resize } else { DragKind::Move },
                                                from_x: ev.client_x(),
                                                from_y: ev.client_y(),
                                                dx: 0,
                                                dy: 0,
                                                origin_column: origin,
                                                target_column: origin,
                                            }));
                                        };
                                        let on_move = move |ev: leptos::ev::PointerEvent| {
                                            let Some(mut d) = drag.get_untracked().filter(|d| d.id == id) else {
                                                return;
                                            };
                                            d.dx = ev.client_x() - d.from_x;
                                            d.dy = ev.client_y() - d.from_y;
                                            if d.kind == DragKind::Move {
                                                d.target_column = column_lefts.with_value(|l| nearest_column(l, d.origin_column, f64::from(d.dx)));
                                            }
                                            drag.set(Some(d));
                                        };
                                        let on_up = move |ev: leptos::ev::PointerEvent| {
                                            let Some(d) = drag.get_untracked().filter(|d| d.id == id) else {
                                                return;
                                            };
                                            drag.set(None);
                                            let d = Drag { dx: ev.client_x() - d.from_x, dy: ev.client_y() - d.from_y, ..d };
                                            if d.is_drag() {
                                                just_dragged.set_value(true);
                                                finish_drag(d);
                                            }
                                        };
                                        let on_cancel = move |_: leptos::ev::PointerEvent| {
                                            if drag.get_untracked().is_some_and(|d| d.id == id) {
                                                drag.set(None);
                                            }
                                        };
                                        view! {
                                            <button
                                                type="button"
                                                class=move || format!("booking booking--{}", status_class(status))
                                                class:booking--conflict=clash
                                                class:booking--draggable=draggable
                                                class:booking--dragging=move || dragging().is_some()
                                                style:left=move || { let (lane, count) = place(); format!("calc(4px + (100% - 8px) * {lane} / {count})") }
                                                style:width=move || { let (_, count) = place(); format!("calc((100% - 8px) / {count} - 2px)") }
                                                style:top=move || format!("{}px", shown_top())
                                                style:height=move || format!("{}px", shown_height())
                                                style:transform=shown_shift
                                                title=move || draggable.then(|| DeskWord::DragHint.text(i18n.lang()))
                                                data-testid="booking"
                                                on:pointerdown=on_down
                                                on:pointermove=on_move
                                                on:pointerup=on_up
                                                on:pointercancel=on_cancel
                                                on:click=move |_| {
                                                    if just_dragged.get_value() {
                                                        just_dragged.set_value(false);
                                                    } else {
                                                        selected.set(Some(id));
                                                    }
                                                }
                                            >
                                                <span class="booking__time">{shown_time}</span>
                                                <span class="booking__who">{customers_name(a.appointment.customer_id)}</span>
                                                <span class="booking__status">
                                                    {move || i18n.t(labels::status(status))}
                                                    // Booked by the customer on the store's page: the desk confirms
                                                    // it when the store asks, so it stands out.
                                                    {(a.appointment.channel == BookingChannel::Website).then(|| view! {
                                                        <span class="booking__channel" data-testid="booking-website">
                                                            " · " {move || i18n.t(Msg::ChannelWebsite)}
                                                        </span>
                                                    })}
                                                </span>
                                                <Show when=clash>
                                                    <span class="booking__conflict" data-testid="booking-conflict">
                                                        {move || i18n.t(Msg::Conflicted)}
                                                        <span class="booking__clash-with">{move || format!(" · {}", clash_with())}</span>
                                                    </span>
                                                </Show>
                                                {draggable.then(|| view! { <span class="booking__resize" aria-hidden="true" data-testid="booking-resize"></span> })}
                                            </button>
                                        }
                                    }
                                />
                            </div>
                        </section>
                    }
                }
            />
        </div>
    }
}

/// Dragging a booking (the whole of it) or its bottom edge (its length).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DragKind {
    Move,
    Resize,
}

/// A mouse drag of a booking in the day view, in screen pixels from where it began.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Drag {
    id: AppointmentId,
    kind: DragKind,
    from_x: i32,
    from_y: i32,
    dx: i32,
    dy: i32,
    origin_column: usize,
    target_column: usize,
}

impl Drag {
    /// A few pixels of wobble are a click, not a drag.
    fn is_drag(&self) -> bool {
        self.dx.abs() > 4 || self.dy.abs() > 4
    }
}

/// Whom booking `id` collides with, as its day view and its panel name them: each other
/// booking's start and customer, empty when it collides with none.
fn collision_text(store: StoreHandle, offset: UtcOffset, id: AppointmentId) -> String {
    store
        .collision_partners(id)
        .into_iter()
        .map(|other| {
            let who = store
                .customer(other.appointment.customer_id)
                .map(|c| c.name.as_str().to_owned())
                .unwrap_or_default();
            let at = offset.local(other.appointment.time.start);
            format!("{} {who}", at.format("%H:%M"))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Places overlapping bookings side by side: for each `(id, start, end)` its lane (from 0) and the
/// number of lanes of the group of bookings that overlap it, directly or through others, so
/// that every booking of a group has the same width. Lanes are given greedily by start time, the
/// lowest free one first.
fn lanes<Id: Copy>(mut spans: Vec<(Id, i64, i64)>) -> Vec<(Id, usize, usize)> {
    spans.sort_by_key(|&(_, start, end)| (start, end));
    let mut placed: Vec<(Id, usize, usize)> = Vec::with_capacity(spans.len());
    // The group being built: where it began in `placed`, each lane's end, the group's end.
    let mut group_from = 0;
    let mut lane_ends: Vec<i64> = Vec::new();
    let mut group_end = i64::MIN;
    for (id, start, end) in spans {
        if start >= group_end && !lane_ends.is_empty() {
            let count = lane_ends.len();
            for slot in &mut placed[group_from..] {
                slot.2 = count;
            }
            group_from = placed.len();
            lane_ends.clear();
        }
        let lane = match lane_ends.iter().position(|&lane_end| lane_end <= start) {
            Some(free) => {
                lane_ends[free] = end;
                free
            }
            None => {
                lane_ends.push(end);
                lane_ends.len() - 1
            }
        };
        group_end = if placed.len() == group_from {
            end
        } else {
            group_end.max(end)
        };
        placed.push((id, lane, 0));
    }
    let count = lane_ends.len().max(1);
    for slot in &mut placed[group_from..] {
        slot.2 = count;
    }
    placed
}

/// The left edges of the day view's columns, in their order on screen.
fn column_left_edges() -> Vec<f64> {
    let columns = document().get_elements_by_class_name("day-view__column");
    (0..columns.length())
        .filter_map(|i| columns.item(i))
        .filter_map(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        .map(|el| f64::from(el.offset_left()))
        .collect()
}

/// The column whose left edge is nearest to the origin column's moved by `dx` pixels.
fn nearest_column(lefts: &[f64], origin: usize, dx: f64) -> usize {
    let Some(from) = lefts.get(origin) else {
        return origin;
    };
    let wanted = from + dx;
    lefts
        .iter()
        .enumerate()
        .min_by(|a, b| (a.1 - wanted).abs().total_cmp(&(b.1 - wanted).abs()))
        .map_or(origin, |(i, _)| i)
}

fn status_class(s: AppointmentStatus) -> &'static str {
    match s {
        AppointmentStatus::Booked => "booked",
        AppointmentStatus::Confirmed => "confirmed",
        AppointmentStatus::Arrived => "arrived",
        AppointmentStatus::InService => "in-service",
        AppointmentStatus::Completed => "completed",
        AppointmentStatus::NoShow => "no-show",
        AppointmentStatus::Cancelled => "cancelled",
    }
}

#[component]
fn WeekView(
    day: NaiveDate,
    offset: UtcOffset,
    selected: RwSignal<Option<AppointmentId>>,
) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
    let days = (0..7)
        .map(|i| monday + Duration::days(i))
        .collect::<Vec<_>>();
    let conflicted = Memo::new(move |_| store.conflicted_bookings());
    view! {
        <div class="week-view">
            {days
                .into_iter()
                .map(|d| {
                    let list = move || store.appointments_on(d);
                    view! {
                        <section class="week-view__day" aria-label=d.format("%Y-%m-%d").to_string()>
                            <h2>{d.format("%m-%d").to_string()}</h2>
                            <ul>
                                <For
                                    each=list
                                    key=|a| (a.appointment.id, a.status.status)
                                    children=move |a| {
                                        let id = a.appointment.id;
                                        let who = store.customer(a.appointment.customer_id).map(|c| c.name.as_str().to_owned()).unwrap_or_default();
                                        let status = a.status.status;
                                        view! {
                                            <li>
                                                <button type="button" class="week-view__item" on:click=move |_| selected.set(Some(id))>
                                                    {offset.local(a.appointment.time.start).format("%H:%M").to_string()} " " {who} " · " {move || i18n.t(labels::status(status))}
                                                    <Show when=move || conflicted.with(|c| c.binary_search(&id).is_ok())>
                                                        <span class="booking__conflict" data-testid="booking-conflict">" · " {move || i18n.t(Msg::Conflicted)}</span>
                                                    </Show>
                                                </button>
                                            </li>
                                        }
                                    }
                                />
                            </ul>
                        </section>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// A booking being made.
#[derive(Clone, PartialEq, Debug)]
struct BookingDraft {
    start: NaiveDateTime,
    column: Column,
    customer: Option<CustomerId>,
}

impl BookingDraft {
    fn new(start: NaiveDateTime, column: Column, customer: Option<CustomerId>) -> Self {
        Self {
            start,
            column,
            customer,
        }
    }
}

/// An empty calendar says what to do about it: the way to Set-up's team for those who may
/// open it, whom to ask for the others.
#[component]
fn NoStaffYet() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let may_set_up = permission::may_open(store.role(), permission::Area::Setup);
    view! {
        <p class="empty-state" data-testid="calendar-no-staff">
            {move || i18n.t(Msg::CalendarNoStaff)} " "
            {if may_set_up {
                view! { <A href="/setup#setup-staff">{move || i18n.t(Msg::CalendarAddStaff)}</A> }.into_any()
            } else {
                view! { <span>{move || i18n.t(Msg::CalendarAskForStaff)}</span> }.into_any()
            }}
        </p>
    }
}

#[component]
fn BookingDialog(draft: BookingDraft, booking: RwSignal<Option<BookingDraft>>) -> impl IntoView {
    dialog_keys(move || booking.set(None));
    let store = use_store();
    let i18n = use_i18n();
    let offset = store_offset(store);
    let customer = RwSignal::new(draft.customer);
    let catalog = store.catalog();
    let first_service = catalog.first().map(|s| s.id);
    let service = RwSignal::new(first_service);
    let (therapist0, room0) = match draft.column {
        Column::Therapist(t) => (Some(t), None),
        Column::Room(r) => (None, Some(r)),
    };
    let therapist = RwSignal::new(therapist0);
    let room = RwSignal::new(room0);
    let date = RwSignal::new(draft.start.date().format("%Y-%m-%d").to_string());
    let time = RwSignal::new(draft.start.time().format("%H:%M").to_string());
    let channel = RwSignal::new(BookingChannel::Phone);
    let needs = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Cow<'static, str>>);

    // Repeat: none, or every 1/2 weeks or every month, `times` occurrences in all.
    let repeat = RwSignal::new(String::from("none"));
    let times = RwSignal::new(String::from("4"));
    let save = Action::new_local(move |changes: &Vec<Change>| {
        let changes = changes.clone();
        async move { store.mutate_all(changes).await }
    });
    Effect::new(move || match save.value().get() {
        Some(Ok(_)) => booking.set(None),
        Some(Err(e)) => error.set(Some(Cow::Borrowed(store_error_text(i18n.lang(), &e)))),
        None => {}
    });
    let catalog_for_submit = catalog.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.lang();
        let Some(customer_id) = customer.get_untracked() else {
            error.set(Some(Cow::Borrowed(i18n.t(Msg::BookingChooseCustomer))));
            return;
        };
        let Some(service_id) = service.get_untracked() else {
            error.set(Some(Cow::Borrowed(i18n.t(Msg::BookingChooseService))));
            return;
        };
        let chosen = catalog_for_submit.iter().find(|s| s.id == service_id);
        let minutes = chosen.map_or(60, |s| s.duration_minutes);
        let category = chosen.map(|s| s.category);
        let rooms = store.rooms();
        let start = NaiveDateTime::parse_from_str(
            &format!("{} {}", date.get_untracked(), time.get_untracked()),
            "%Y-%m-%d %H:%M",
        );
        let Ok(start) = start else {
            error.set(Some(Cow::Borrowed(i18n.t(Msg::BookingBadTime))));
            return;
        };
        let start = offset.to_utc(start);
        let interval = match Interval::new(start, start + Duration::minutes(i64::from(minutes))) {
            Ok(i) => i,
            Err(e) => {
                error.set(Some(Cow::Borrowed(error_text(
                    lang,
                    orchid_core::ValidationError::from(e).code(),
                ))));
                return;
            }
        };
        let needs_note = match Note::parse(needs.get_untracked().trim()) {
            Ok(n) => n,
            Err(e) => {
                error.set(Some(Cow::Borrowed(error_text(
                    lang,
                    orchid_core::ValidationError::from(e).code(),
                ))));
                return;
            }
        };
        let rule = match repeat.get_untracked().as_str() {
            "weekly" => Some((Frequency::Weekly, 1)),
            "fortnightly" => Some((Frequency::Weekly, 2)),
            "monthly" => Some((Frequency::Monthly, 1)),
            _ => None,
        };
        let rule = match rule {
            None => None,
            Some((frequency, interval)) => match times.get_untracked().trim().parse::<u32>() {
                Ok(count) if count >= 2 => Some(Recurrence {
                    frequency,
                    interval,
                    count: Some(count),
                    until: None,
                }),
                _ => {
                    error.set(Some(Cow::Borrowed(i18n.t(Msg::BookingRepeatTimesBad))));
                    return;
                }
            },
        };
        let occurrences = match &rule {
            None => vec![interval],
            Some(rule) => match rule.expand(interval, offset) {
                Ok(list) => list,
                Err(e) => {
                    error.set(Some(Cow::Borrowed(error_text(
                        lang,
                        orchid_core::ValidationError::from(e).code(),
                    ))));
                    return;
                }
            },
        };
        let id: AppointmentId = new_id();
        let Some(record) = store_record(store) else {
            return;
        };
        let actor = store.actor().ok();
        let mut candidate = orchid_core::appointment::Appointment::blank(id, record.id);
        candidate.customer_id = customer_id;
        candidate.therapist_id = therapist.get_untracked();
        candidate.room_id = room.get_untracked();
        candidate.services = vec![service_id];
        candidate.time = interval;
        candidate.channel = channel.get_untracked();
        candidate.needs = needs_note.clone();
        candidate.booked_at = Utc::now();
        candidate.booked_by = actor.map(|a| a.staff_id);
        // Every occurrence is checked; a collision is refused here with its reason (and, for a
        // series, the date that collides). Two offline devices can still both book the slot,
        // and then the core keeps both and flags them for a person.
        let mut changes = Vec::with_capacity(occurrences.len());
        for (index, when) in occurrences.iter().enumerate() {
            let this_id = if index == 0 { id } else { new_id() };
            let mut this = candidate.clone();
            this.id = this_id;
            this.time = *when;
            let day = offset.local_date(when.start);
            let existing = store.appointments_on(day);
            // No room chosen: a free one of the kind the service needs, as the therapist is
            // offered (the booking stays unassigned when every suitable place is taken).
            if this.room_id.is_none() {
                this.room_id = free_room(
                    &this,
                    &rooms,
                    category,
                    existing.iter().map(|a| (&a.appointment, a.status.status)),
                    record.settings.booking_buffer_minutes,
                );
            }
            if let Err(e) = check_booking(
                &record,
                &this,
                existing.iter().map(|a| (&a.appointment, a.status.status)),
            ) {
                // Say what collides and when, as Move does, not only that the time is taken.
                let reason = refusal_text(store, this_id, &e, lang);
                error.set(Some(if rule.is_some() {
                    Cow::Owned(format!("{}: {reason}", day.format("%Y-%m-%d")))
                } else {
                    reason
                }));
                return;
            }
            let mut fields = vec![
                AppointmentField::CustomerId(customer_id),
                AppointmentField::TherapistId(candidate.therapist_id),
                AppointmentField::RoomId(this.room_id),
                AppointmentField::Services(vec![service_id]),
                AppointmentField::Time(*when),
                AppointmentField::Channel(candidate.channel),
                AppointmentField::Needs(needs_note.clone()),
                AppointmentField::BookedAt(candidate.booked_at),
                AppointmentField::BookedBy(candidate.booked_by),
            ];
            if let Some(rule) = &rule {
                fields.push(AppointmentField::Series(Some(Series {
                    series_id: id,
                    rule: rule.clone(),
                    index: u32::try_from(index).unwrap_or(u32::MAX),
                })));
            }
            changes.push(Change::AppointmentUpsert {
                id: this_id,
                fields,
            });
        }
        error.set(None);
        save.dispatch(changes);
    };
    let channels = [
        BookingChannel::Phone,
        BookingChannel::Wechat,
        BookingChannel::Website,
        BookingChannel::WalkIn,
        BookingChannel::Other,
    ];
    view! {
        <div class="dialog-backdrop">
            <form class="dialog card form" role="dialog" aria-modal="true" aria-labelledby="booking-title" on:submit=on_submit novalidate data-testid="booking-dialog">
                <h2 id="booking-title">{move || i18n.t(Msg::BookAppointment)}</h2>
                <SlotOffers start=offset.to_utc(draft.start) therapist=therapist0 room=room0/>
                <CustomerPicker id="booking-customer" chosen_testid="booking-chosen" chosen=customer/>
                <div class="field">
                    <label for="booking-service">{move || i18n.t(Msg::BookingService)}</label>
                    <select id="booking-service" on:change=move |ev| service.set(uuid::Uuid::parse_str(&event_target_value(&ev)).ok().map(ServiceId::from_uuid))>
                        {catalog
                            .iter()
                            .map(|s| view! { <option value=s.id.to_string()>{format!("{} · {} {}", s.name.as_str(), s.duration_minutes, i18n.t(Msg::MinutesShort))}</option> })
                            .collect_view()}
                    </select>
                </div>
                <SlotFields prefix="booking" date=date time=time therapist=therapist room=room/>
                <div class="field">
                    <label for="booking-channel">{move || i18n.t(Msg::BookingChannel)}</label>
                    <select id="booking-channel" on:change=move |ev| {
                        if let Ok(c) = serde_json::from_str::<BookingChannel>(&event_target_value(&ev)) {
                            channel.set(c);
                        }
                    }>
                        {channels.into_iter().map(|c| view! { <option value=serde_json::to_string(&c).unwrap_or_default()>{move || i18n.t(labels::channel(c))}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field-row">
                    <div class="field">
                        <label for="booking-repeat">{move || i18n.t(Msg::BookingRepeat)}</label>
                        <select id="booking-repeat" on:change=move |ev| repeat.set(event_target_value(&ev))>
                            <option value="none">{move || i18n.t(Msg::BookingRepeatNone)}</option>
                            <option value="weekly">{move || i18n.t(Msg::BookingRepeatWeekly)}</option>
                            <option value="fortnightly">{move || i18n.t(Msg::BookingRepeatFortnightly)}</option>
                            <option value="monthly">{move || i18n.t(Msg::BookingRepeatMonthly)}</option>
                        </select>
                    </div>
                    <Show when=move || repeat.get() != "none">
                        <div class="field">
                            <label for="booking-times">{move || i18n.t(Msg::BookingRepeatTimes)}</label>
                            <input id="booking-times" type="number" min="2" max="52" prop:value=times on:input=move |ev| times.set(event_target_value(&ev))/>
                        </div>
                    </Show>
                </div>
                <div class="field">
                    <label for="booking-needs">{move || i18n.t(Msg::BookingNeeds)}</label>
                    <textarea id="booking-needs" rows="2" prop:value=needs on:input=move |ev| needs.set(event_target_value(&ev))></textarea>
                </div>
                <p class="form-error" role="alert" data-testid="booking-error">{move || error.get()}</p>
                <div class="form-actions">
                    <button type="button" class="button--secondary" on:click=move |_| booking.set(None)>{move || i18n.t(Msg::Cancel)}</button>
                    <button type="submit" disabled=move || save.pending().get()>{move || i18n.t(Msg::Save)}</button>
                </div>
            </form>
        </div>
    }
}

#[component]
fn AppointmentPanel(
    id: AppointmentId,
    selected: RwSignal<Option<AppointmentId>>,
    moving: RwSignal<Option<(AppointmentId, MoveMode)>>,
) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let view_of = Memo::new(move |_| store.appointment(id));
    dialog_keys(move || selected.set(None));
    // A cancelled booking or a no-show frees its slot: the waitlist entries that fit it are
    // offered below. A memo, so the offers keep their state while other records change.
    let freed = Memo::new(move |_| {
        view_of
            .get()
            .filter(|a| !a.status.status.holds_time())
            .map(|a| {
                (
                    a.appointment.time.start,
                    a.appointment.therapist_id,
                    a.appointment.room_id,
                )
            })
    });
    let may_move = may_move_bookings(store.role());
    let error = RwSignal::new(None::<&'static str>);
    let reason = RwSignal::new(CancelReason::CustomerRequest);
    let move_to = Action::new_local(move |to: &AppointmentStatus| {
        let to = *to;
        async move {
            let actor = store.actor()?;
            let change = StatusChange {
                id: new_id(),
                to,
                at: Utc::now(),
                by: actor.staff_id,
                role: actor.role,
                reason: (to == AppointmentStatus::Cancelled).then(|| reason.get_untracked()),
                note: Note::default(),
            };
            store
                .mutate(Change::AppointmentStatus {
                    appointment_id: id,
                    change,
                })
                .await
                .map(|_| ())
        }
    });
    Effect::new(move || match move_to.value().get() {
        Some(Err(e)) => error.set(Some(store_error_text(i18n.lang(), &e))),
        Some(Ok(())) => error.set(None),
        None => {}
    });
    let role = store.role();
    let may_see_health = permission::allowed(
        role,
        permission::Action::CustomerRead,
        Sensitivity::Sensitive,
    );
    // Logged once when the panel opens. Inside the view closure below it would run again on
    // every revision bump, and the audit write itself bumps the revision: an endless loop.
    if may_see_health && let Some(a) = untrack(|| store.appointment(id)) {
        crate::state::audit::log_sensitive_read(store, a.appointment.customer_id);
    }
    let offset = store_offset(store);
    view! {
        <div class="dialog-backdrop">
            <section class="dialog card" role="dialog" aria-modal="true" aria-labelledby="appointment-title" data-testid="appointment-panel">
                {move || view_of.get().map(|a| {
                    let status = a.status.status;
                    let customer = store.customer(a.appointment.customer_id);
                    let name = customer.as_ref().map(|c| c.name.as_str().to_owned()).unwrap_or_default();
                    let last_visit = store
                        .appointments_of(a.appointment.customer_id)
                        .into_iter()
                        .filter(|v| v.status.status == AppointmentStatus::Completed && v.appointment.time.start < a.appointment.time.start)
                        .map(|v| v.appointment.time.start)
                        .max();
                    let last_feedback = store.feedback_of(a.appointment.customer_id).into_iter().last();
                    // Whom this booking collides with, and the way out, where the person acts.
                    let collides_with = collision_text(store, offset, id);
                    let health = customer
                        .as_ref()
                        .filter(|_| may_see_health)
                        .map(|c| {
                            c.allergies
                                .iter()
                                .chain(c.contraindications.iter())
                                .map(|t| t.as_str().to_owned())
                                .collect::<Vec<_>>()
                                .join("、")
                        });
                    let moves = [
                        (AppointmentStatus::Confirmed, Msg::ActionConfirm),
                        (AppointmentStatus::Arrived, Msg::ActionCheckIn),
                        (AppointmentStatus::NoShow, Msg::ActionNoShow),
                        (AppointmentStatus::Cancelled, Msg::ActionCancel),
                    ]
                    .into_iter()
                    .filter(|(to, _)| check_move(status, *to, role, Some(CancelReason::Other)).is_ok())
                    // Check-in only on the booking's day (the core refuses it on another).
                    .filter(|(to, _)| check_arrival_day(&a.appointment, *to, Utc::now(), offset).is_ok())
                    .collect::<Vec<_>>();
                    let may_cancel = moves.iter().any(|(to, _)| *to == AppointmentStatus::Cancelled);
                    let reschedulable = may_move && status.may_reschedule();
                    let open_move = move |mode: MoveMode| {
                        selected.set(None);
                        moving.set(Some((id, mode)));
                    };
                    view! {
                        <h2 id="appointment-title">{name}</h2>
                        <p>
                            {local_text(offset, a.appointment.time.start)} " · "
                            <span class="badge" data-testid="appointment-status">{move || i18n.t(labels::status(status))}</span>
                            " · " {move || i18n.t(labels::channel(a.appointment.channel))}
                        </p>
                        {(!collides_with.is_empty()).then(|| view! {
                            <p class="form-error" role="alert" data-testid="panel-conflict">
                                {move || i18n.t(Msg::Conflicted)} " · " {collides_with.clone()}
                                {move || if i18n.lang() == crate::i18n::Lang::Zh { "。" } else { ". " }}
                                {move || DeskWord::ResolveCollision.text(i18n.lang())}
                            </p>
                        })}
                        <dl class="check-in">
                            <div class="item"><dt>{move || i18n.t(Msg::CheckInNeeds)}</dt><dd>{a.appointment.needs.as_str().to_owned()}</dd></div>
                            {health.map(|h| view! { <div class="item item--alert"><dt>{move || i18n.t(Msg::CheckInAllergies)}</dt><dd>{if h.is_empty() { "—".to_owned() } else { h }}</dd></div> })}
                            <div class="item"><dt>{move || i18n.t(Msg::CheckInLastVisit)}</dt><dd>{last_visit.map(|t| local_text(offset, t)).unwrap_or_else(|| "—".into())}</dd></div>
                            <div class="item"><dt>{move || i18n.t(Msg::CheckInLastFeedback)}</dt><dd>{last_feedback.map(|f| format!("{} / 10 {}", f.recommend, f.comment.as_str())).unwrap_or_else(|| "—".into())}</dd></div>
                        </dl>
                        {store.may_check_out().then(|| view! { <BalanceSummary balance=store.balance_of(a.appointment.customer_id)/> })}
                        <Show when=move || may_cancel>
                            <div class="field">
                                <label for="cancel-reason">{move || i18n.t(Msg::CancelReason)}</label>
                                <select id="cancel-reason" on:change=move |ev| {
                                    if let Ok(r) = serde_json::from_str::<CancelReason>(&event_target_value(&ev)) {
                                        reason.set(r);
                                    }
                                }>
                                    {[CancelReason::CustomerRequest, CancelReason::Health, CancelReason::StoreReason, CancelReason::Duplicate, CancelReason::Other]
                                        .into_iter()
                                        .map(|r| view! { <option value=serde_json::to_string(&r).unwrap_or_default()>{move || i18n.t(labels::cancel_reason(r))}</option> })
                                        .collect_view()}
                                </select>
                            </div>
                        </Show>
                        <div class="form-actions">
                            {moves
                                .into_iter()
                                .map(|(to, label)| view! { <button type="button" on:click=move |_| { move_to.dispatch(to); }>{move || i18n.t(label)}</button> })
                                .collect_view()}
                        </div>
                        {(matches!(status, AppointmentStatus::Arrived | AppointmentStatus::InService | AppointmentStatus::Completed) && store.may_check_out()).then(|| view! {
                            <div class="form-actions">
                                <A href=format!("/checkout?appointment={id}") attr:class="button" attr:data-testid="panel-checkout">{move || crate::i18n::checkout_words::CheckoutWord::CheckOutVisit.text(i18n.lang())}</A>
                            </div>
                        })}
                        <Show when=move || reschedulable>
                            <div class="form-actions">
                                <button type="button" class="button--secondary" on:click=move |_| open_move(MoveMode::Move)>{move || DeskWord::Move.text(i18n.lang())}</button>
                                <button type="button" class="button--secondary" on:click=move |_| open_move(MoveMode::Length)>{move || DeskWord::ChangeLength.text(i18n.lang())}</button>
                            </div>
                        </Show>
                    }
                })}
                {move || freed.get().map(|(start, therapist, room)| view! { <SlotOffers start=start therapist=therapist room=room/> })}
                <p class="form-error" role="alert">{move || error.get()}</p>
                <div class="form-actions">
                    <button type="button" class="button--secondary" on:click=move |_| selected.set(None)>{move || i18n.t(Msg::Close)}</button>
                </div>
            </section>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_booking_sits_at_its_minutes_from_the_first_hour() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let at = |h, m| day.and_hms_opt(h, m, 0).unwrap();
        let (top, height) = block_geometry(day, at(10, 30), at(11, 30));
        assert_eq!(top, 90.0 * PX_PER_MINUTE);
        assert_eq!(height, 60.0 * PX_PER_MINUTE);
    }

    #[test]
    fn overlapping_bookings_sit_side_by_side_and_others_keep_the_whole_width() {
        // 9–10 and 9:30–10:30 collide; 10:00–11:00 overlaps the second only, and takes the first's
        // lane; 12–13 stands alone.
        let placed = lanes(vec![
            ('d', 720, 780),
            ('b', 570, 630),
            ('a', 540, 600),
            ('c', 600, 660),
        ]);
        assert_eq!(
            placed,
            vec![('a', 0, 2), ('b', 1, 2), ('c', 0, 2), ('d', 0, 1)]
        );
        assert!(lanes::<char>(Vec::new()).is_empty());
        // Three at once need three lanes.
        let three = lanes(vec![(1, 0, 60), (2, 0, 60), (3, 30, 45)]);
        assert_eq!(three, vec![(1, 0, 3), (2, 1, 3), (3, 2, 3)]);
    }

    #[test]
    fn a_drag_lands_in_the_column_nearest_to_where_it_moved() {
        let lefts = [0.0, 160.0, 320.0, 480.0];
        assert_eq!(nearest_column(&lefts, 0, 0.0), 0);
        assert_eq!(nearest_column(&lefts, 0, 70.0), 0);
        assert_eq!(nearest_column(&lefts, 0, 90.0), 1);
        assert_eq!(nearest_column(&lefts, 2, -330.0), 0);
        assert_eq!(nearest_column(&lefts, 1, 900.0), 3);
        assert_eq!(nearest_column(&[], 1, 50.0), 1);
    }

    #[test]
    fn a_tap_books_the_quarter_hour_it_falls_in() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let px = 100.0 * PX_PER_MINUTE; // 10:40 → 10:30
        assert_eq!(slot_at(day, px), day.and_hms_opt(10, 30, 0).unwrap());
        assert_eq!(slot_at(day, -5.0), day.and_hms_opt(9, 0, 0).unwrap());
    }
}

/// The when and who of a booking — date, start, therapist, room — as the booking dialog and the
/// Move dialog both ask them; `prefix` keeps each dialog's field ids its own.
#[component]
pub fn SlotFields(
    prefix: &'static str,
    date: RwSignal<String>,
    time: RwSignal<String>,
    therapist: RwSignal<Option<StaffId>>,
    room: RwSignal<Option<RoomId>>,
    #[prop(optional)] autofocus: bool,
) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let therapists = store
        .staff()
        .into_iter()
        .filter(|s| s.active && s.role == Role::Therapist)
        .collect::<Vec<_>>();
    let rooms = store
        .rooms()
        .into_iter()
        .filter(|r| r.active)
        .collect::<Vec<_>>();
    let (therapist0, room0) = (therapist.get_untracked(), room.get_untracked());
    let id = move |field: &str| format!("{prefix}-{field}");
    view! {
        <div class="field-row">
            <div class="field">
                <label for=id("date")>{move || i18n.t(Msg::BookingDate)}</label>
                <input id=id("date") type="date" autofocus=autofocus prop:value=date on:input=move |ev| date.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for=id("time")>{move || i18n.t(Msg::BookingStart)}</label>
                <input id=id("time") type="time" step="900" prop:value=time on:input=move |ev| time.set(event_target_value(&ev))/>
            </div>
        </div>
        <div class="field-row">
            <div class="field">
                <label for=id("therapist")>{move || i18n.t(Msg::BookingTherapist)}</label>
                <select id=id("therapist") on:change=move |ev| therapist.set(uuid::Uuid::parse_str(&event_target_value(&ev)).ok().map(StaffId::from_uuid))>
                    <option value="" selected=therapist0.is_none()>{move || i18n.t(Msg::Unassigned)}</option>
                    {therapists.iter().map(|s| view! { <option value=s.id.to_string() selected=therapist0 == Some(s.id)>{s.name.as_str().to_owned()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for=id("room")>{move || i18n.t(Msg::BookingRoom)}</label>
                <select id=id("room") on:change=move |ev| room.set(uuid::Uuid::parse_str(&event_target_value(&ev)).ok().map(RoomId::from_uuid))>
                    <option value="" selected=room0.is_none()>{move || i18n.t(Msg::Unassigned)}</option>
                    {rooms.iter().map(|r| view! { <option value=r.id.to_string() selected=room0 == Some(r.id)>{r.name.as_str().to_owned()}</option> }).collect_view()}
                </select>
            </div>
        </div>
    }
}
