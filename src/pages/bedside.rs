//! Bedside mode ([treatment room]): PIN unlock, the therapist's day, auto-lock, and the service
//! flow's overdue steps for the Today page. The visit is in `bedside_visit`, the customer-facing
//! feedback kiosk in `bedside_kiosk`.
use chrono::Utc;
use leptos::prelude::*;
use leptos_router::components::A;
use orchid_core::appointment::{AppointmentStatus, StatusChange};
use orchid_core::flow::{self, FlowFacts, StepState};
use orchid_core::ids::ServiceRecordId;
use orchid_core::role::Role;
use orchid_core::service_record::{RecordEntry, RecordEntryKind};
use orchid_core::sync::{AppointmentView, Change};
use orchid_core::text::Note;

use crate::components::pin_prompt::{PinPrompt, let_browser_paint};
use crate::components::store_error_text;
use crate::i18n::Lang;
use crate::i18n::bedside_words::BedsideWord;
use crate::i18n::labels::role_name;
use crate::pages::bedside_visit::VisitScreen;
use crate::state::bedside::{Screen, now_ms, use_bedside_ui};
use crate::state::device_lock::use_device_lock;
use crate::state::store::{StoreHandle, new_id, store_offset, use_store};
use crate::state::{use_app_state, use_i18n};
use crate::storage::pins::{self, PinRecord};
use crate::storage::repo::{Pairing, StoreError};

#[component]
pub fn BedsidePage() -> impl IntoView {
    let ui = use_bedside_ui();
    let i18n = use_i18n();
    let store = use_store();
    // A new screen starts at its top (the PIN pad or a long visit may have been scrolled).
    Effect::new(move || {
        ui.screen.track();
        if let Some(w) = web_sys::window() {
            w.scroll_to_with_x_and_y(0.0, 0.0);
        }
    });
    view! {
        <div class="bedside">
            <IdleLock/>
            <Show when=move || store.ready.get() fallback=move || view! { <p role="status">{move || i18n.bw(BedsideWord::Loading)}</p> }>
                {move || match ui.screen.get() {
                    Screen::Locked => view! { <LockScreen/> }.into_any(),
                    Screen::Day => view! { <DayList/> }.into_any(),
                    Screen::Visit(id) => view! { <VisitScreen id=id/> }.into_any(),
                    // The kiosk itself covers the whole app (see `bedside_kiosk::Kiosk`).
                    Screen::Kiosk(_) => ().into_any(),
                }}
            </Show>
        </div>
    }
}

/// Locks the tablet after the store's idle time (touches and keys count as activity).
#[component]
fn IdleLock() -> impl IntoView {
    let ui = use_bedside_ui();
    let device_lock = use_device_lock();
    let store = use_store();
    let touched = move || ui.last_activity_ms.set(now_ms());
    let pointer = window_event_listener(leptos::ev::pointerdown, move |_| touched());
    let key = window_event_listener(leptos::ev::keydown, move |_| touched());
    let input = window_event_listener(leptos::ev::input, move |_| touched());
    let check = move || {
        // The kiosk shows nothing sensitive and cannot be left without a PIN anyway.
        if matches!(ui.screen.get_untracked(), Screen::Locked | Screen::Kiosk(_)) {
            return;
        }
        let limit = untrack(|| store.store()).map_or(120, |s| s.settings.bedside_lock_seconds);
        if now_ms() - ui.last_activity_ms.get_untracked() > f64::from(limit) * 1000.0 {
            ui.lock();
            device_lock.lock();
        }
    };
    // Coming back to the page after a while locks at once.
    check();
    let timer = set_interval_with_handle(check, std::time::Duration::from_secs(1)).ok();
    on_cleanup(move || {
        pointer.remove();
        key.remove();
        input.remove();
        if let Some(t) = timer {
            t.clear();
        }
    });
}

/// The PIN screen: who is at the tablet, then her PIN.
#[component]
fn LockScreen() -> impl IntoView {
    let ui = use_bedside_ui();
    let store = use_store();
    let state = use_app_state();
    let i18n = use_i18n();
    let pins_changed = RwSignal::new(0u32);
    let candidates = Signal::derive(move || {
        pins_changed.track();
        pins::load_pins()
    });
    let on_ok = Callback::new(move |record: PinRecord| {
        store.act_as(&record, |session| state.signed_in(session));
        ui.unlocked_as.set(Some(record.staff_id));
        ui.last_activity_ms.set(now_ms());
        ui.screen.set(Screen::Day);
    });
    view! {
        <section class="bedside-lock" aria-labelledby="bedside-lock-title" data-testid="bedside-lock">
            <h1 id="bedside-lock-title">{move || i18n.bw(BedsideWord::BedsideTitle)}</h1>
            <p class="page-intro">{move || i18n.bw(BedsideWord::LockIntro)}</p>
            <Show
                when=move || !candidates.get().is_empty()
                fallback=move || {
                    view! {
                        <p data-testid="no-pins">{move || i18n.bw(BedsideWord::NoPins)}</p>
                        <PinSetup on_saved=Callback::new(move |_| pins_changed.update(|n| *n += 1))/>
                    }
                }
            >
                <PinPrompt candidates=candidates heading=BedsideWord::WhoIsHere on_ok=on_ok testid="unlock"/>
            </Show>
        </section>
    }
}

#[derive(serde::Serialize)]
struct PinBody<'a> {
    pin: &'a str,
}

#[derive(serde::Deserialize)]
struct PinAnswer {
    pin_hash: String,
}

/// Sets the signed-in person's PIN for offline unlock (on a standalone device: the owner's).
#[component]
pub fn PinSetup(#[prop(optional)] on_saved: Option<Callback<()>>) -> impl IntoView {
    let state = use_app_state();
    let store = use_store();
    let i18n = use_i18n();
    let first = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let device_lock = use_device_lock();
    let save = Action::new_local(move |_: &()| async move {
        let lang = i18n.lang();
        let (a, b) = (first.get_untracked(), again.get_untracked());
        // The core's rule, the server's too: refused here with its own sentence before anything
        // is sent or saved.
        if let Err(err) = orchid_core::pin::check_pin(&a) {
            return Err(crate::i18n::errors::error_text(lang, err.code()).to_owned());
        }
        if a != b {
            return Err(BedsideWord::PinMismatch.text(lang).to_owned());
        }
        let session = state.session.get_untracked();
        let record = match (store.pairing(), session) {
            (Some(Pairing::Paired { .. }), Some(session)) => {
                let staff_id = session
                    .staff_id
                    .ok_or_else(|| BedsideWord::SignInFirst.text(lang).to_owned())?;
                let answer: PinAnswer = crate::sync::http::post_json_auth(
                    "/api/v1/auth/pin",
                    &session.token,
                    &PinBody { pin: &a },
                )
                .await
                .map_err(|e| match e {
                    crate::sync::http::HttpError::Unreachable => {
                        BedsideWord::PinNeedsServer.text(lang).to_owned()
                    }
                    _ => BedsideWord::PinRefused.text(lang).to_owned(),
                })?;
                PinRecord {
                    staff_id,
                    staff_name: session.staff_name.clone(),
                    role: session.role.clone(),
                    pin_hash: answer.pin_hash,
                    session: Some(session),
                }
            }
            (Some(Pairing::Standalone), _) => {
                let actor = store
                    .actor()
                    .map_err(|e| store_error_text(lang, &e).to_owned())?;
                let name = store
                    .staff_member(actor.staff_id)
                    .map(|s| s.name.to_string())
                    .unwrap_or_else(|| role_name(lang, actor.role).to_owned());
                let_browser_paint().await;
                let salt = pins::random_salt()
                    .ok_or_else(|| BedsideWord::PinRefused.text(lang).to_owned())?;
                let hash = pins::hash_pin(&a, &salt)
                    .ok_or_else(|| BedsideWord::PinRefused.text(lang).to_owned())?;
                PinRecord {
                    staff_id: actor.staff_id,
                    staff_name: name,
                    role: actor.role.code().to_owned(),
                    pin_hash: hash,
                    session: None,
                }
            }
            _ => return Err(BedsideWord::SignInFirst.text(lang).to_owned()),
        };
        pins::save_pin(record).map_err(|_| BedsideWord::PinRefused.text(lang).to_owned())?;
        Ok(())
    });
    Effect::new(move || {
        if let Some(result) = save.value().get() {
            match result {
                Ok(()) => {
                    device_lock.pins_changed.update(|n| *n += 1);
                    first.set(String::new());
                    again.set(String::new());
                    message.set(Some((true, i18n.bw(BedsideWord::PinSaved).to_owned())));
                    if let Some(cb) = on_saved {
                        cb.run(());
                    }
                }
                Err(text) => message.set(Some((false, text))),
            }
        }
    });
    let signed_in_or_standalone = move || {
        state.session.get().is_some() || matches!(store.pairing(), Some(Pairing::Standalone))
    };
    view! {
        <section class="card pin-setup" aria-labelledby="pin-setup-title" data-testid="pin-setup">
            <h2 id="pin-setup-title">{move || i18n.bw(BedsideWord::PinSetupTitle)}</h2>
            <Show
                when=signed_in_or_standalone
                fallback=move || view! { <p>{move || i18n.bw(BedsideWord::SignInFirst)} " " <A href="/sign-in">{move || i18n.bw(BedsideWord::SignIn)}</A></p> }
            >
                <p>{move || i18n.bw(BedsideWord::PinSetupIntro)}</p>
                <form on:submit=move |ev| {
                    ev.prevent_default();
                    save.dispatch(());
                }>
                    <div class="field">
                        <label for="pin-new">{move || i18n.bw(BedsideWord::NewPin)}</label>
                        <input id="pin-new" type="password" inputmode="numeric" autocomplete="new-password" maxlength="12" prop:value=first on:input=move |ev| first.set(event_target_value(&ev))/>
                    </div>
                    <div class="field">
                        <label for="pin-again">{move || i18n.bw(BedsideWord::RepeatPin)}</label>
                        <input id="pin-again" type="password" inputmode="numeric" autocomplete="new-password" maxlength="12" prop:value=again on:input=move |ev| again.set(event_target_value(&ev))/>
                    </div>
                    <button type="submit" disabled=move || save.pending().get() || store.pairing().is_none()>{move || i18n.bw(BedsideWord::SavePin)}</button>
                </form>
                <p role="status" data-testid="pin-setup-message" class=move || match message.get() { Some((false, _)) => "form-error", _ => "" }>
                    {move || message.get().map(|(_, t)| t)}
                </p>
            </Show>
        </section>
    }
}

/// Today's appointments of the unlocked therapist (every therapist's for other roles).
#[component]
fn DayList() -> impl IntoView {
    let ui = use_bedside_ui();
    let device_lock = use_device_lock();
    let store = use_store();
    let i18n = use_i18n();
    let offset = store_offset(store);
    let error = RwSignal::new(None::<&'static str>);
    let today = offset.local_date(Utc::now());
    let visits = Memo::new(move |_| {
        let me = ui.unlocked_as.get();
        let mine_only = store.role() == Role::Therapist;
        let mut list: Vec<AppointmentView> = store
            .appointments_on(today)
            .into_iter()
            .filter(|a| {
                !matches!(
                    a.status.status,
                    AppointmentStatus::Cancelled | AppointmentStatus::NoShow
                )
            })
            .filter(|a| !mine_only || a.appointment.therapist_id == me)
            .collect();
        list.sort_by_key(|a| (a.appointment.time.start, a.appointment.id));
        list
    });
    let records = Memo::new(move |_| store.all_service_records());
    let start = Action::new_local(move |a: &AppointmentView| {
        let a = a.clone();
        async move { start_visit(store, &a).await }
    });
    Effect::new(move || match start.value().get() {
        Some(Ok(id)) => ui.screen.set(Screen::Visit(id)),
        Some(Err(e)) => error.set(Some(store_error_text(i18n.lang(), &e))),
        None => {}
    });
    let me_name = move || {
        ui.unlocked_as
            .get()
            .and_then(|id| store.staff_member(id))
            .map(|s| s.name.to_string())
            .or_else(|| use_app_state().session.get().map(|s| s.staff_name))
            .unwrap_or_default()
    };
    view! {
        <div class="bedside-bar">
            <h1>{move || i18n.bw(BedsideWord::MyDay)} " · " <span data-testid="bedside-who">{me_name}</span></h1>
            <button type="button" class="button--secondary button--large" data-testid="lock-now" on:click=move |_| {
                ui.lock();
                device_lock.lock();
            }>
                {move || i18n.bw(BedsideWord::LockNow)}
            </button>
        </div>
        <p class="form-error" role="alert">{move || error.get()}</p>
        <ul class="bedside-day" data-testid="bedside-day">
            {move || {
                let recs = records.get();
                let list = visits.get();
                if list.is_empty() {
                    return view! { <li class="empty-state">{i18n.bw(BedsideWord::NoVisitsToday)}</li> }.into_any();
                }
                list.into_iter()
                    .map(|a| {
                        let record = recs
                            .iter()
                            .rev()
                            .find(|r| r.appointment_id == Some(a.appointment.id))
                            .cloned();
                        let customer = store
                            .customer(a.appointment.customer_id)
                            .map(|c| c.name.to_string())
                            .unwrap_or_default();
                        let therapist = a
                            .appointment
                            .therapist_id
                            .and_then(|t| store.staff_member(t))
                            .map(|s| s.name.to_string())
                            .unwrap_or_default();
                        let services = a
                            .appointment
                            .services
                            .iter()
                            .filter_map(|s| store.catalog().into_iter().find(|c| c.id == *s))
                            .map(|c| c.name.to_string())
                            .collect::<Vec<_>>()
                            .join("、");
                        let time = format!(
                            "{}–{}",
                            offset.local(a.appointment.time.start).format("%H:%M"),
                            offset.local(a.appointment.time.end).format("%H:%M")
                        );
                        let status = a.status.status;
                        let action = match &record {
                            Some(r) if r.completed_at.is_none() => {
                                let id = r.id;
                                view! {
                                    <button type="button" class="button--large" on:click=move |_| ui.screen.set(Screen::Visit(id))>
                                        {move || i18n.bw(BedsideWord::ContinueVisit)}
                                    </button>
                                }
                                    .into_any()
                            }
                            Some(r) => {
                                let id = r.id;
                                let has_feedback = store
                                    .all_feedback()
                                    .iter()
                                    .any(|f| f.service_record_id == Some(id));
                                if has_feedback {
                                    view! { <span class="badge">{move || i18n.bw(BedsideWord::VisitDone)}</span> }.into_any()
                                } else {
                                    view! {
                                        <button type="button" class="button--large button--secondary" on:click=move |_| ui.screen.set(Screen::Kiosk(id))>
                                            {move || i18n.bw(BedsideWord::OpenKiosk)}
                                        </button>
                                    }
                                        .into_any()
                                }
                            }
                            None if matches!(
                                status,
                                AppointmentStatus::Booked
                                    | AppointmentStatus::Confirmed
                                    | AppointmentStatus::Arrived
                            ) => {
                                let a2 = a.clone();
                                view! {
                                    <button type="button" class="button--large" data-testid="start-visit" disabled=move || start.pending().get() on:click=move |_| { start.dispatch(a2.clone()); }>
                                        {move || i18n.bw(BedsideWord::StartVisit)}
                                    </button>
                                }
                                    .into_any()
                            }
                            None => ().into_any(),
                        };
                        view! {
                            <li class="bedside-visit-row" data-testid="bedside-appointment">
                                <span class="bedside-time">{time}</span>
                                <span class="bedside-who">
                                    <strong>{customer}</strong>
                                    <span>{services}</span>
                                    <span class="muted">{therapist}</span>
                                </span>
                                <span class="badge">{move || i18n.t(crate::i18n::labels::status(status))}</span>
                                {action}
                            </li>
                        }
                            .into_any()
                    })
                    .collect_view()
                    .into_any()
            }}
        </ul>
    }
}

/// Opens the service record of a visit (the customer arrives at the bed if reception has not
/// checked her in yet).
async fn start_visit(
    store: StoreHandle,
    a: &AppointmentView,
) -> Result<ServiceRecordId, StoreError> {
    let actor = store.actor()?;
    let now = Utc::now();
    let record_id: ServiceRecordId = new_id();
    let mut changes = Vec::new();
    if matches!(
        a.status.status,
        AppointmentStatus::Booked | AppointmentStatus::Confirmed
    ) {
        changes.push(Change::AppointmentStatus {
            appointment_id: a.appointment.id,
            change: StatusChange {
                id: new_id(),
                to: AppointmentStatus::Arrived,
                at: now,
                by: actor.staff_id,
                role: actor.role,
                reason: None,
                note: Note::default(),
            },
        });
    }
    changes.push(Change::ServiceRecordEntry(RecordEntry {
        id: new_id(),
        record_id,
        at: now,
        by: actor.staff_id,
        role: actor.role,
        kind: RecordEntryKind::Opened {
            customer_id: a.appointment.customer_id,
            therapist_id: a.appointment.therapist_id.unwrap_or(actor.staff_id),
            appointment_id: Some(a.appointment.id),
            services: a.appointment.services.clone(),
        },
    }));
    store.mutate_all(changes).await?;
    Ok(record_id)
}

pub use crate::i18n::bedside_words::flow_step_word;

/// Steps of today's service flows past their time limit, for the Today page.
#[component]
pub fn OverdueSteps() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    // Time passes without any change to the store: re-evaluate every minute.
    let tick = RwSignal::new(0u32);
    let timer = set_interval_with_handle(
        move || tick.update(|t| *t = t.wrapping_add(1)),
        std::time::Duration::from_secs(60),
    )
    .ok();
    on_cleanup(move || {
        if let Some(t) = timer {
            t.clear();
        }
    });
    let offset = store_offset(store);
    let rows = Memo::new(move |_| {
        tick.track();
        let now = Utc::now();
        let today = offset.local_date(now);
        let limits = store
            .store()
            .map(|s| s.settings.flow_limits)
            .unwrap_or_default();
        let records = store.all_service_records();
        let feedback = store.all_feedback();
        let follow_ups = store.follow_ups();
        let mut out = Vec::new();
        for a in store.appointments_on(today) {
            let record = records
                .iter()
                .rev()
                .find(|r| r.appointment_id == Some(a.appointment.id));
            let fb = feedback
                .iter()
                .find(|f| f.appointment_id == Some(a.appointment.id));
            let fus: Vec<_> = follow_ups
                .iter()
                .filter(|f| record.is_some_and(|r| f.record_id == Some(r.id)))
                .cloned()
                .collect();
            let facts = FlowFacts::gather(&a, record, fb, &fus);
            let ended = matches!(
                a.status.status,
                AppointmentStatus::Cancelled | AppointmentStatus::NoShow
            );
            for s in flow::overdue(&flow::flow_status(&facts, &limits, ended, now)) {
                if let StepState::Overdue { minutes_over, .. } = s.state {
                    let name = store
                        .customer(a.appointment.customer_id)
                        .map(|c| c.name.to_string())
                        .unwrap_or_default();
                    out.push((a.appointment.time.start, name, s.step, minutes_over));
                }
            }
        }
        out.sort_by_key(|r| (std::cmp::Reverse(r.3), r.0));
        out
    });
    view! {
        <section class="card overdue-steps" aria-labelledby="overdue-steps-title" data-testid="overdue-steps">
            <h2 id="overdue-steps-title">{move || i18n.bw(BedsideWord::OverdueTitle)}</h2>
            {move || {
                let list = rows.get();
                if list.is_empty() {
                    return view! { <p class="empty-state">{i18n.bw(BedsideWord::NothingOverdue)}</p> }.into_any();
                }
                let lang = i18n.lang();
                view! {
                    <ul class="overdue-list">
                        {list
                            .into_iter()
                            .take(20)
                            .map(|(start, name, step, over)| {
                                view! {
                                    <li class="overdue-row">
                                        <span>{offset.local(start).format("%H:%M").to_string()}</span>
                                        <strong>{name}</strong>
                                        <span>{flow_step_word(step).text(lang)}</span>
                                        <span class="overdue-by">{over_text(lang, over)}</span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

/// How long a step is overdue, in the units a person reads at a glance: minutes within the hour,
/// then hours and minutes, then days and hours ("3754 min over" reads as "2 d 14 h over").
pub fn over_text(lang: Lang, minutes: i64) -> String {
    let (days, hours, mins) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    match (lang, days, hours) {
        (Lang::Zh, 0, 0) => format!("超时 {mins} 分钟"),
        (Lang::Zh, 0, _) => format!("超时 {hours} 小时 {mins} 分钟"),
        (Lang::Zh, _, _) => format!("超时 {days} 天 {hours} 小时"),
        (Lang::En, 0, 0) => format!("{mins} min over"),
        (Lang::En, 0, _) => format!("{hours} h {mins} min over"),
        (Lang::En, _, _) => format!("{days} d {hours} h over"),
    }
}

/// The store's bedside auto-lock time, for those who may change store settings.
#[component]
pub fn LockSetting() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let may = move || {
        orchid_core::permission::allowed(
            store.role(),
            orchid_core::permission::Action::StoreSettings,
            orchid_core::permission::Sensitivity::Ordinary,
        )
    };
    let seconds = RwSignal::new(String::new());
    // A memo, so the field is refilled only when the stored value changes, not on every change
    // to the store (sync bumps it often) while someone is typing.
    let stored = Memo::new(move |_| {
        store
            .store()
            .map_or(120, |s| s.settings.bedside_lock_seconds)
    });
    Effect::new(move || seconds.set(stored.get().to_string()));
    // The shared device's "who is working?" idle time, in the same card.
    let desk_seconds = RwSignal::new(String::new());
    let desk_stored =
        Memo::new(move |_| store.store().map_or(900, |s| s.settings.desk_lock_seconds));
    Effect::new(move || desk_seconds.set(desk_stored.get().to_string()));
    let message = RwSignal::new(None::<(bool, &'static str)>);
    let save = Action::new_local(move |_: &()| async move {
        let value: u32 = seconds.get_untracked().trim().parse().unwrap_or(0);
        let store_id = store.store_id().ok_or(StoreError::NotReady)?;
        let mut settings = store.store().map(|s| s.settings).unwrap_or_default();
        settings.bedside_lock_seconds = value;
        settings.desk_lock_seconds = desk_seconds.get_untracked().trim().parse().unwrap_or(0);
        store
            .mutate(Change::StoreUpsert {
                id: store_id,
                fields: vec![orchid_core::store::StoreField::Settings(settings)],
            })
            .await
            .map(|_| ())
    });
    Effect::new(move || match save.value().get() {
        Some(Ok(())) => message.set(Some((true, i18n.bw(BedsideWord::LockSaved)))),
        Some(Err(e)) => message.set(Some((false, store_error_text(i18n.lang(), &e)))),
        None => {}
    });
    view! {
        <Show when=may>
            <section class="card" aria-labelledby="lock-setting-title" data-testid="lock-setting">
                <h2 id="lock-setting-title">{move || i18n.bw(BedsideWord::LockSettingTitle)}</h2>
                <form on:submit=move |ev| {
                    ev.prevent_default();
                    save.dispatch(());
                }>
                    <div class="field">
                        <label for="lock-seconds">{move || i18n.bw(BedsideWord::LockSeconds)}</label>
                        <input id="lock-seconds" type="number" min="10" max="1800" inputmode="numeric" prop:value=seconds on:input=move |ev| seconds.set(event_target_value(&ev))/>
                    </div>
                    <div class="field">
                        <label for="desk-lock-seconds">{move || crate::i18n::team_words::TeamWord::DeskLock.text(i18n.lang())}</label>
                        <input id="desk-lock-seconds" type="number" min="60" max="14400" inputmode="numeric" prop:value=desk_seconds on:input=move |ev| desk_seconds.set(event_target_value(&ev))/>
                    </div>
                    <button type="submit" disabled=move || save.pending().get()>{move || i18n.bw(BedsideWord::Save)}</button>
                </form>
                <p role="status" data-testid="lock-setting-message" class=move || match message.get() { Some((false, _)) => "form-error", _ => "" }>
                    {move || message.get().map(|(_, t)| t)}
                </p>
            </section>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_overdue_step_reads_in_minutes_hours_or_days() {
        assert_eq!(over_text(Lang::En, 45), "45 min over");
        assert_eq!(over_text(Lang::En, 125), "2 h 5 min over");
        assert_eq!(over_text(Lang::En, 3754), "2 d 14 h over");
        assert_eq!(over_text(Lang::Zh, 45), "超时 45 分钟");
        assert_eq!(over_text(Lang::Zh, 60), "超时 1 小时 0 分钟");
        assert_eq!(over_text(Lang::Zh, 3754), "超时 2 天 14 小时");
    }
}
