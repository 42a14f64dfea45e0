//! The waitlist (候补) on the calendar ([front desk]): customers who could not get a time, matched
//! with the core's `candidates_for_slot` when a slot frees up (a cancel, a no-show, or any free
//! slot tapped); "Offer this slot" marks the entry Offered with the slot, and "Book it" books
//! that slot (checked like any booking) and marks the entry Booked in one `mutate_all`.
use std::borrow::Cow;

use chrono::{Duration, NaiveDate, Utc};
use leptos::prelude::*;
use orchid_core::appointment::{AppointmentField, BookingChannel, check_booking};
use orchid_core::ids::{AppointmentId, CustomerId, RoomId, ServiceId, StaffId, WaitlistId};
use orchid_core::role::Role;
use orchid_core::sync::Change;
use orchid_core::text::Note;
use orchid_core::time::{Interval, Timestamp};
use orchid_core::waitlist::{DayPart, WaitlistEntry, WaitlistField, WaitlistOffer, WaitlistStatus};

use crate::components::{CustomerPicker, dialog_keys, store_error_text};
use crate::i18n::Msg;
use crate::i18n::desk_words::{DeskWord, day_part_name, waitlist_status_name};
use crate::i18n::errors::error_text;
use crate::pages::calendar_move::refusal_text;
use crate::state::store::{StoreHandle, new_id, store_offset, store_record, use_store};
use crate::state::waitlist::may_manage_waitlist;
use crate::state::{I18n, use_i18n};

fn dw(i18n: I18n, word: DeskWord) -> impl Fn() -> &'static str + Copy {
    move || word.text(i18n.lang())
}

/// How long the entry's services take together (an hour when none is known).
fn entry_minutes(store: StoreHandle, entry: &WaitlistEntry) -> i64 {
    let catalog = store.catalog();
    let total: i64 = entry
        .services
        .iter()
        .filter_map(|s| catalog.iter().find(|c| c.id == *s))
        .map(|c| i64::from(c.duration_minutes))
        .sum();
    if total > 0 { total } else { 60 }
}

fn names_of_services(store: StoreHandle, services: &[ServiceId]) -> String {
    let catalog = store.catalog();
    services
        .iter()
        .filter_map(|s| catalog.iter().find(|c| c.id == *s))
        .map(|c| c.name.as_str().to_owned())
        .collect::<Vec<_>>()
        .join("、")
}

/// The changes that offer `start` (with therapist/room) to `entry`.
fn offer_change(
    store: StoreHandle,
    entry: &WaitlistEntry,
    start: Timestamp,
    therapist_id: Option<StaffId>,
    room_id: Option<RoomId>,
) -> Change {
    let slot = Interval {
        start,
        end: start + Duration::minutes(entry_minutes(store, entry)),
    };
    let offer = WaitlistOffer {
        slot,
        therapist_id,
        room_id,
        at: Utc::now(),
        by: store.actor().ok().map(|a| a.staff_id),
    };
    Change::WaitlistUpsert {
        id: entry.id,
        fields: vec![
            WaitlistField::Status(WaitlistStatus::Offered),
            WaitlistField::Offer(Some(offer)),
        ],
    }
}

/// The booking of an offered slot and the entry marked Booked, checked like any booking first.
fn book_changes(
    store: StoreHandle,
    entry: &WaitlistEntry,
    i18n: I18n,
) -> Result<Vec<Change>, Cow<'static, str>> {
    let lang = i18n.lang();
    let Some(offer) = entry.offer else {
        return Err(Cow::Borrowed(DeskWord::NoneFits.text(lang)));
    };
    let Some(record) = store_record(store) else {
        return Err(Cow::Borrowed(i18n.t(Msg::Loading)));
    };
    let services = if entry.services.is_empty() {
        store
            .catalog()
            .first()
            .map(|c| vec![c.id])
            .unwrap_or_default()
    } else {
        entry.services.clone()
    };
    let id: AppointmentId = new_id();
    let booked_by = store.actor().ok().map(|a| a.staff_id);
    let mut candidate = orchid_core::appointment::Appointment::blank(id, record.id);
    candidate.customer_id = entry.customer_id;
    candidate.therapist_id = offer.therapist_id;
    candidate.room_id = offer.room_id;
    candidate.services = services.clone();
    candidate.time = offer.slot;
    candidate.channel = BookingChannel::Phone;
    candidate.needs = entry.note.clone();
    candidate.booked_at = Utc::now();
    candidate.booked_by = booked_by;
    let day = record.utc_offset.local_date(offer.slot.start);
    let existing = store.appointments_between(day - Duration::days(1), day + Duration::days(1));
    check_booking(
        &record,
        &candidate,
        existing.iter().map(|a| (&a.appointment, a.status.status)),
    )
    .map_err(|e| refusal_text(store, id, &e, lang))?;
    Ok(vec![
        Change::AppointmentUpsert {
            id,
            fields: vec![
                AppointmentField::CustomerId(candidate.customer_id),
                AppointmentField::TherapistId(candidate.therapist_id),
                AppointmentField::RoomId(candidate.room_id),
                AppointmentField::Services(services),
                AppointmentField::Time(candidate.time),
                AppointmentField::Channel(candidate.channel),
                AppointmentField::Needs(candidate.needs),
                AppointmentField::BookedAt(candidate.booked_at),
                AppointmentField::BookedBy(booked_by),
            ],
        },
        Change::WaitlistUpsert {
            id: entry.id,
            fields: vec![WaitlistField::Status(WaitlistStatus::Booked)],
        },
    ])
}

/// Writes changes from a waitlist action and reports the outcome in `feedback`.
fn write(
    store: StoreHandle,
    i18n: I18n,
    changes: Vec<Change>,
    done: DeskWord,
    feedback: RwSignal<Option<(bool, Cow<'static, str>)>>,
) {
    leptos::task::spawn_local(async move {
        match store.mutate_all(changes).await {
            Ok(_) => feedback.set(Some((true, Cow::Borrowed(done.text(i18n.lang()))))),
            Err(e) => feedback.set(Some((
                false,
                Cow::Borrowed(store_error_text(i18n.lang(), &e)),
            ))),
        }
    });
}

fn slot_text(store: StoreHandle, offer: &WaitlistOffer) -> String {
    let offset = store_offset(store);
    let who = offer
        .therapist_id
        .and_then(|t| store.staff_member(t))
        .map(|s| format!(" · {}", s.name.as_str()))
        .unwrap_or_default();
    format!(
        "{} – {}{who}",
        offset.local(offer.slot.start).format("%Y-%m-%d %H:%M"),
        offset.local(offer.slot.end).format("%H:%M")
    )
}

/// A free (or just freed) slot's waitlist: who fits it, "Offer this slot", and "Book it" for the
/// entries offered this very slot.
#[component]
pub fn SlotOffers(
    start: Timestamp,
    therapist: Option<StaffId>,
    room: Option<RoomId>,
) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let feedback = RwSignal::new(None::<(bool, Cow<'static, str>)>);
    let allowed = may_manage_waitlist(store.role());
    let probe = Interval {
        start,
        end: start + Duration::minutes(15),
    };
    let fits = Memo::new(move |_| store.waitlist_candidates(&probe, therapist));
    let offered_here = Memo::new(move |_| {
        store
            .waitlist()
            .into_iter()
            .filter(|e| {
                e.status == WaitlistStatus::Offered
                    && e.offer
                        .is_some_and(|o| o.slot.start == start && o.therapist_id == therapist)
            })
            .collect::<Vec<_>>()
    });
    let shown = move || allowed && (!fits.with(Vec::is_empty) || !offered_here.with(Vec::is_empty));
    let customer_name = move |id: CustomerId| {
        store
            .customer(id)
            .map(|c| c.name.as_str().to_owned())
            .unwrap_or_default()
    };
    view! {
        <Show when=shown>
            <section class="slot-offers" aria-labelledby="slot-offers-title" data-testid="slot-offers">
                <h3 id="slot-offers-title">{dw(i18n, DeskWord::FitsThisSlot)}</h3>
                <ul class="waitlist-list">
                    <For
                        each=move || offered_here.get()
                        key=|e| (e.id, e.status)
                        children=move |e| {
                            let entry = e.clone();
                            let book = move |_| match book_changes(store, &entry, i18n) {
                                Ok(changes) => write(store, i18n, changes, DeskWord::BookedFromWaitlist, feedback),
                                Err(reason) => feedback.set(Some((false, reason))),
                            };
                            view! {
                                <li class="waitlist-item" data-testid="slot-offered">
                                    <div class="waitlist-item__main">
                                        <span class="waitlist-item__who">{customer_name(e.customer_id)}</span>
                                        <span class="badge">{move || waitlist_status_name(WaitlistStatus::Offered, i18n.lang())}</span>
                                    </div>
                                    <button type="button" on:click=book>{dw(i18n, DeskWord::BookIt)}</button>
                                </li>
                            }
                        }
                    />
                    <For
                        each=move || fits.get()
                        key=|e| (e.id, e.status)
                        children=move |e| {
                            let entry = e.clone();
                            let offer = move |_| {
                                let change = offer_change(store, &entry, start, therapist, room);
                                write(store, i18n, vec![change], DeskWord::Offered, feedback);
                            };
                            let services = names_of_services(store, &e.services);
                            view! {
                                <li class="waitlist-item" data-testid="slot-candidate">
                                    <div class="waitlist-item__main">
                                        <span class="waitlist-item__who">{customer_name(e.customer_id)}</span>
                                        <span class="waitlist-item__what">{services}</span>
                                    </div>
                                    <button type="button" class="button--secondary" on:click=offer>{dw(i18n, DeskWord::OfferSlot)}</button>
                                </li>
                            }
                        }
                    />
                </ul>
            </section>
        </Show>
        <Feedback feedback=feedback/>
    }
}

#[component]
fn Feedback(feedback: RwSignal<Option<(bool, Cow<'static, str>)>>) -> impl IntoView {
    view! {
        <p class="form-error" role="alert" data-testid="waitlist-error">
            {move || feedback.get().filter(|(ok, _)| !ok).map(|(_, text)| text)}
        </p>
        <p class="form-ok" role="status" data-testid="waitlist-ok">
            {move || feedback.get().filter(|(ok, _)| *ok).map(|(_, text)| text)}
        </p>
    }
}

/// The waitlist: who waits, who was offered a slot (Book it / Back to waiting), who was booked,
/// and the form to add a customer.
#[component]
pub fn WaitlistDialog(open: RwSignal<bool>, customer: Option<CustomerId>) -> impl IntoView {
    dialog_keys(move || open.set(false));
    let store = use_store();
    let i18n = use_i18n();
    let allowed = may_manage_waitlist(store.role());
    let feedback = RwSignal::new(None::<(bool, Cow<'static, str>)>);
    let entries = Memo::new(move |_| store.waitlist());
    let group = move |status: WaitlistStatus| {
        entries
            .get()
            .into_iter()
            .filter(move |e| e.status == status)
            .collect::<Vec<_>>()
    };
    let customer_name = move |id: CustomerId| {
        store
            .customer(id)
            .map(|c| c.name.as_str().to_owned())
            .unwrap_or_default()
    };
    let row = move |e: WaitlistEntry| {
        let status = e.status;
        let id = e.id;
        let entry = e.clone();
        let book = move |_| match book_changes(store, &entry, i18n) {
            Ok(changes) => write(store, i18n, changes, DeskWord::BookedFromWaitlist, feedback),
            Err(reason) => feedback.set(Some((false, reason))),
        };
        let back = move |_| {
            let change = Change::WaitlistUpsert {
                id,
                fields: vec![WaitlistField::Status(WaitlistStatus::Waiting)],
            };
            write(store, i18n, vec![change], DeskWord::Waiting, feedback);
        };
        let remove = move |_| {
            let change = Change::WaitlistUpsert {
                id,
                fields: vec![WaitlistField::Status(WaitlistStatus::Cancelled)],
            };
            write(store, i18n, vec![change], DeskWord::Remove, feedback);
        };
        let parts = e.day_parts.clone();
        let dates = format!(
            "{} – {}",
            e.earliest.format("%m-%d"),
            e.latest.format("%m-%d")
        );
        let therapist = e
            .therapist_id
            .and_then(|t| store.staff_member(t))
            .map(|s| s.name.as_str().to_owned());
        let offer = e.offer.map(|o| slot_text(store, &o));
        let note = e.note.as_str().to_owned();
        view! {
            <li class="waitlist-item" data-testid="waitlist-entry" data-status=waitlist_status_name(status, crate::i18n::Lang::En).to_lowercase()>
                <div class="waitlist-item__main">
                    <span class="waitlist-item__who">{customer_name(e.customer_id)}</span>
                    <span class="badge" data-testid="waitlist-status">{move || waitlist_status_name(status, i18n.lang())}</span>
                    <span class="waitlist-item__what">{names_of_services(store, &e.services)}</span>
                    <span class="waitlist-item__when">
                        {dates} " "
                        {move || parts.iter().map(|p| day_part_name(*p, i18n.lang())).collect::<Vec<_>>().join("、")}
                        {therapist.map(|t| format!(" · {t}"))}
                    </span>
                    {offer.filter(|_| status != WaitlistStatus::Waiting).map(|o| view! {
                        <span class="waitlist-item__offer">{move || DeskWord::OfferedSlot.text(i18n.lang())} ": " {o.clone()}</span>
                    })}
                    {(!note.is_empty()).then(|| view! { <span class="waitlist-item__note">{note}</span> })}
                </div>
                {(allowed && matches!(status, WaitlistStatus::Waiting | WaitlistStatus::Offered)).then(|| view! {
                    <div class="waitlist-item__actions">
                        {(status == WaitlistStatus::Offered).then(|| view! {
                            <button type="button" on:click=book>{dw(i18n, DeskWord::BookIt)}</button>
                            <button type="button" class="button--secondary" on:click=back>{dw(i18n, DeskWord::BackToWaiting)}</button>
                        })}
                        <button type="button" class="button--secondary" on:click=remove>{dw(i18n, DeskWord::Remove)}</button>
                    </div>
                })}
            </li>
        }
    };
    let groups = [
        WaitlistStatus::Offered,
        WaitlistStatus::Waiting,
        WaitlistStatus::Booked,
    ];
    view! {
        <div class="dialog-backdrop">
            <section class="dialog dialog--wide card" role="dialog" aria-modal="true" aria-labelledby="waitlist-title" data-testid="waitlist-dialog">
                <h2 id="waitlist-title">{dw(i18n, DeskWord::Waitlist)}</h2>
                <p class="page-intro">{dw(i18n, DeskWord::WaitlistIntro)}</p>
                <Show when=move || entries.with(|list| !list.iter().any(|e| e.status != WaitlistStatus::Cancelled))>
                    <p class="empty-state">{dw(i18n, DeskWord::WaitlistEmpty)}</p>
                </Show>
                {groups
                    .into_iter()
                    .map(|status| {
                        let list = move || group(status);
                        view! {
                            <Show when=move || !list().is_empty()>
                                <h3>{move || waitlist_status_name(status, i18n.lang())} " (" {move || list().len()} ")"</h3>
                                <ul class="waitlist-list">
                                    <For each=list key=|e| (e.id, e.status, e.offer) children=row/>
                                </ul>
                            </Show>
                        }
                    })
                    .collect_view()}
                <Feedback feedback=feedback/>
                {if allowed {
                    view! { <AddToWaitlist customer=customer feedback=feedback/> }.into_any()
                } else {
                    view! { <p class="empty-state">{dw(i18n, DeskWord::NotAllowed)}</p> }.into_any()
                }}
                <div class="form-actions">
                    <button type="button" class="button--secondary" on:click=move |_| open.set(false)>{move || i18n.t(Msg::Close)}</button>
                </div>
            </section>
        </div>
    }
}

#[component]
fn AddToWaitlist(
    customer: Option<CustomerId>,
    feedback: RwSignal<Option<(bool, Cow<'static, str>)>>,
) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let offset = store_offset(store);
    let today = offset.local_date(Utc::now());
    let chosen = RwSignal::new(customer);
    let catalog = Memo::new(move |_| store.catalog());
    let services = RwSignal::new(Vec::<ServiceId>::new());
    let therapist = RwSignal::new(None::<StaffId>);
    let earliest = RwSignal::new(today.format("%Y-%m-%d").to_string());
    let latest = RwSignal::new((today + Duration::days(14)).format("%Y-%m-%d").to_string());
    let parts = RwSignal::new(Vec::<DayPart>::new());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Cow<'static, str>>);
    let therapists = Memo::new(move |_| {
        store
            .staff()
            .into_iter()
            .filter(|s| s.active && s.role == Role::Therapist)
            .collect::<Vec<_>>()
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.lang();
        let Some(customer_id) = chosen.get_untracked() else {
            error.set(Some(Cow::Borrowed(i18n.t(Msg::BookingChooseCustomer))));
            return;
        };
        let wanted = services.get_untracked();
        if wanted.is_empty() {
            error.set(Some(Cow::Borrowed(DeskWord::ChooseServices.text(lang))));
            return;
        }
        let parse = |raw: String| NaiveDate::parse_from_str(&raw, "%Y-%m-%d").ok();
        let (Some(from), Some(to)) = (
            parse(earliest.get_untracked()),
            parse(latest.get_untracked()),
        ) else {
            error.set(Some(Cow::Borrowed(i18n.t(Msg::BookingBadTime))));
            return;
        };
        if to < from {
            error.set(Some(Cow::Borrowed(DeskWord::DatesBad.text(lang))));
            return;
        }
        let note = match Note::parse(note.get_untracked().trim()) {
            Ok(n) => n,
            Err(e) => {
                error.set(Some(Cow::Borrowed(error_text(
                    lang,
                    orchid_core::ValidationError::from(e).code(),
                ))));
                return;
            }
        };
        let mut day_parts = parts.get_untracked();
        day_parts.sort();
        let id: WaitlistId = new_id();
        let change = Change::WaitlistUpsert {
            id,
            fields: vec![
                WaitlistField::CustomerId(customer_id),
                WaitlistField::Services(wanted),
                WaitlistField::TherapistId(therapist.get_untracked()),
                WaitlistField::Earliest(from),
                WaitlistField::Latest(to),
                WaitlistField::DayParts(day_parts),
                WaitlistField::CreatedAt(Utc::now()),
                WaitlistField::Status(WaitlistStatus::Waiting),
                WaitlistField::Note(note),
            ],
        };
        error.set(None);
        write(store, i18n, vec![change], DeskWord::Added, feedback);
        chosen.set(None);
        services.set(Vec::new());
        parts.set(Vec::new());
    };
    view! {
        <form class="form waitlist-form" on:submit=on_submit novalidate data-testid="waitlist-form" aria-labelledby="waitlist-add-title">
            <h3 id="waitlist-add-title">{dw(i18n, DeskWord::AddToWaitlist)}</h3>
            <CustomerPicker id="waitlist-customer" chosen_testid="waitlist-chosen" chosen=chosen/>
            <fieldset class="field checks">
                <legend>{dw(i18n, DeskWord::ServicesWanted)}</legend>
                {move || catalog
                    .get()
                    .iter()
                    .map(|s| {
                        let id = s.id;
                        view! {
                            <label class="check">
                                <input
                                    type="checkbox"
                                    prop:checked=move || services.with(|l| l.contains(&id))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        services.update(|l| {
                                            l.retain(|x| *x != id);
                                            if on {
                                                l.push(id);
                                            }
                                        });
                                    }
                                />
                                {s.name.as_str().to_owned()}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <div class="field-row">
                <div class="field">
                    <label for="waitlist-therapist">{dw(i18n, DeskWord::PreferredTherapist)}</label>
                    <select id="waitlist-therapist" on:change=move |ev| therapist.set(uuid::Uuid::parse_str(&event_target_value(&ev)).ok().map(StaffId::from_uuid))>
                        <option value="" selected=move || therapist.get().is_none()>{dw(i18n, DeskWord::AnyTherapist)}</option>
                        {move || therapists.get().iter().map(|s| view! { <option value=s.id.to_string()>{s.name.as_str().to_owned()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="waitlist-earliest">{dw(i18n, DeskWord::Earliest)}</label>
                    <input id="waitlist-earliest" type="date" prop:value=earliest on:input=move |ev| earliest.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="waitlist-latest">{dw(i18n, DeskWord::Latest)}</label>
                    <input id="waitlist-latest" type="date" prop:value=latest on:input=move |ev| latest.set(event_target_value(&ev))/>
                </div>
            </div>
            <fieldset class="field checks">
                <legend>{dw(i18n, DeskWord::DayParts)}</legend>
                {[DayPart::Morning, DayPart::Afternoon, DayPart::Evening]
                    .into_iter()
                    .map(|part| view! {
                        <label class="check">
                            <input
                                type="checkbox"
                                prop:checked=move || parts.with(|l| l.contains(&part))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    parts.update(|l| {
                                        l.retain(|x| *x != part);
                                        if on {
                                            l.push(part);
                                        }
                                    });
                                }
                            />
                            {move || day_part_name(part, i18n.lang())}
                        </label>
                    })
                    .collect_view()}
                <p class="hint">{dw(i18n, DeskWord::DayPartsHint)}</p>
            </fieldset>
            <div class="field">
                <label for="waitlist-note">{dw(i18n, DeskWord::Note)}</label>
                <textarea id="waitlist-note" rows="2" prop:value=note on:input=move |ev| note.set(event_target_value(&ev))></textarea>
            </div>
            <p class="form-error" role="alert" data-testid="waitlist-form-error">{move || error.get()}</p>
            <div class="form-actions">
                <button type="submit">{dw(i18n, DeskWord::AddToWaitlist)}</button>
            </div>
        </form>
    }
}
