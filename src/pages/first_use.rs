//! The first-use guide (/welcome, issue 25): an empty store's owner goes through the store's name
//! and hours, rooms and beds, services picked from the core's templates, the team, then a first
//! booking in the calendar. Every step can be skipped and writes only what Set-up also edits;
//! which steps are done is read from the store's records (named, rooms, services, therapists),
//! not from a flag, so it holds across devices and reloads.
use chrono::{Duration, NaiveDate, NaiveTime, Utc, Weekday};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use orchid_core::customer::{CustomerField, Phone};
use orchid_core::ids::{CustomerId, RoomId, StaffId};
use orchid_core::role::Role;
use orchid_core::room::{RoomField, RoomKind};
use orchid_core::service_templates::{TEMPLATES, TemplateLanguage};
use orchid_core::staff::StaffField;
use orchid_core::store::StoreField;
use orchid_core::sync::Change;
use orchid_core::text::Name;
use orchid_core::time::{DayHours, OpeningHours};

use crate::components::{LocalPins, store_error_text};
use crate::i18n::errors::error_text;
use crate::i18n::first_use_words::FirstUseWord;
use crate::i18n::labels::role_name;
use crate::i18n::setup_words::weekday_name;
use crate::i18n::{Lang, Msg};
use crate::state::store::{new_id, standalone, store_offset};
use crate::state::{StoreHandle, use_i18n, use_store};

const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// The guide's steps, in order.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Step {
    Store,
    Rooms,
    Services,
    Team,
    Booking,
}

const STEPS: [Step; 5] = [
    Step::Store,
    Step::Rooms,
    Step::Services,
    Step::Team,
    Step::Booking,
];

impl Step {
    fn title(self) -> FirstUseWord {
        match self {
            Self::Store => FirstUseWord::StepStore,
            Self::Rooms => FirstUseWord::StepRooms,
            Self::Services => FirstUseWord::StepServices,
            Self::Team => FirstUseWord::StepTeam,
            Self::Booking => FirstUseWord::StepBooking,
        }
    }

    fn next(self) -> Self {
        match self {
            Self::Store => Self::Rooms,
            Self::Rooms => Self::Services,
            Self::Services => Self::Team,
            Self::Team | Self::Booking => Self::Booking,
        }
    }

    /// Is this step's part of the store there, read from its records (reactive)?
    fn done(self, store: StoreHandle) -> bool {
        match self {
            Self::Store => store_named(store),
            Self::Rooms => !store.rooms().is_empty(),
            Self::Services => !store.catalog().is_empty(),
            Self::Team => has_therapist(store),
            Self::Booking => store.customer_count() > 0,
        }
    }
}

fn store_named(store: StoreHandle) -> bool {
    store.store().is_some_and(|s| s.name != Name::placeholder())
}

fn has_therapist(store: StoreHandle) -> bool {
    store
        .staff()
        .iter()
        .any(|s| s.active && s.role == Role::Therapist)
}

fn template_language(lang: Lang) -> TemplateLanguage {
    match lang {
        Lang::Zh => TemplateLanguage::Zh,
        Lang::En => TemplateLanguage::En,
    }
}

fn fw(word: FirstUseWord) -> impl Fn() -> &'static str + Copy {
    let i18n = use_i18n();
    move || word.text(i18n.lang())
}

/// Writes `changes` in one transaction; the refusal in the user's words.
async fn write(store: StoreHandle, changes: Vec<Change>, lang: Lang) -> Result<(), String> {
    store
        .mutate_all(changes)
        .await
        .map(|_| ())
        .map_err(|e| store_error_text(lang, &e).to_owned())
}

#[component]
pub fn FirstUsePage() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    view! {
        <h1>{fw(FirstUseWord::Title)}</h1>
        <p class="page-intro">{fw(FirstUseWord::Intro)}</p>
        <Show
            when=move || store.ready.get()
            fallback=move || view! { <p role="status">{move || i18n.t(Msg::Loading)}</p> }
        >
            <Guide/>
        </Show>
    }
}

#[component]
fn Guide() -> impl IntoView {
    let store = use_store();
    // Start at the first step not done yet; from then on the person moves on or back.
    let first = STEPS
        .into_iter()
        .find(|s| !s.done(store))
        .unwrap_or(Step::Booking);
    let step = RwSignal::new(first);
    let go_to = move |s: Step| {
        step.set(s);
        focus_step_heading();
    };
    view! {
        <div class="first-use">
            <nav class="first-use__steps" aria-label=fw(FirstUseWord::Steps)>
                <ol>
                    {STEPS
                        .into_iter()
                        .enumerate()
                        .map(|(i, s)| {
                            let done = move || s.done(store);
                            view! {
                                <li class:first-use__step--done=done>
                                    <button
                                        type="button"
                                        class="first-use__step"
                                        aria-current=move || (step.get() == s).then_some("step")
                                        on:click=move |_| go_to(s)
                                    >
                                        <span class="first-use__number" aria-hidden="true">{i + 1}</span>
                                        <span>{fw(s.title())}</span>
                                        <span class="first-use__state">
                                            {move || if done() { fw(FirstUseWord::Done)() } else { fw(FirstUseWord::NotDone)() }}
                                        </span>
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
            </nav>
            <section class="card first-use__panel" aria-labelledby="first-use-step" data-testid="first-use-step">
                <h2 id="first-use-step" tabindex="-1">{move || fw(step.get().title())()}</h2>
                {move || {
                    let current = step.get();
                    let next = move || go_to(current.next());
                    match current {
                        Step::Store => view! { <StoreStep next=next/> }.into_any(),
                        Step::Rooms => view! { <RoomsStep next=next/> }.into_any(),
                        Step::Services => view! { <ServicesStep next=next/> }.into_any(),
                        Step::Team => view! { <TeamStep next=next/> }.into_any(),
                        Step::Booking => view! { <BookingStep to_team=move || go_to(Step::Team)/> }.into_any(),
                    }
                }}
            </section>
            <section class="card first-use__install" aria-labelledby="first-use-install" data-testid="first-use-install">
                <h2 id="first-use-install">{fw(FirstUseWord::InstallTitle)}</h2>
                <p>{fw(FirstUseWord::InstallHint)}</p>
            </section>
        </div>
    }
}

/// After a step changes, its heading takes the focus, so a keyboard or screen-reader user starts
/// reading the new step rather than staying on a button that is gone.
fn focus_step_heading() {
    use wasm_bindgen::JsCast;
    request_animation_frame(|| {
        if let Some(heading) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("first-use-step"))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            && let Err(err) = heading.focus()
        {
            leptos::logging::warn!("could not focus the guide's step: {err:?}");
        }
    });
}

/// "Skip" and the step's own button, under its form.
#[component]
fn StepActions(
    submit: FirstUseWord,
    pending: Signal<bool>,
    skip: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <div class="form-actions first-use__actions">
            <button type="button" class="button--secondary" data-testid="first-use-skip" on:click=move |_| skip()>{fw(FirstUseWord::Skip)}</button>
            <button type="submit" disabled=move || pending.get()>
                {move || if pending.get() { fw(FirstUseWord::Saving)() } else { fw(submit)() }}
            </button>
        </div>
    }
}

#[component]
fn StoreStep(next: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let current = store.store();
    let hours = current
        .as_ref()
        .map(|s| s.opening_hours.clone())
        .unwrap_or_default();
    let name = RwSignal::new(
        current
            .as_ref()
            .filter(|s| s.name != Name::placeholder())
            .map(|s| s.name.as_str().to_owned())
            .unwrap_or_default(),
    );
    let sample = WEEK.into_iter().find_map(|d| hours.on(d));
    let opens =
        RwSignal::new(sample.map_or("10:00".to_owned(), |h| h.open().format("%H:%M").to_string()));
    let closes = RwSignal::new(sample.map_or("21:00".to_owned(), |h| {
        h.close().format("%H:%M").to_string()
    }));
    let open_days: Vec<(Weekday, RwSignal<bool>)> = WEEK
        .into_iter()
        .map(|d| (d, RwSignal::new(hours.on(d).is_some())))
        .collect();
    let name_error = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let days_for_save = open_days.clone();
    let save = Action::new_local(move |_: &()| {
        let lang = i18n.lang();
        let parsed_name = Name::parse(&name.get_untracked());
        let open = NaiveTime::parse_from_str(&opens.get_untracked(), "%H:%M");
        let close = NaiveTime::parse_from_str(&closes.get_untracked(), "%H:%M");
        let days: Vec<Weekday> = days_for_save
            .iter()
            .filter(|(_, on)| on.get_untracked())
            .map(|(d, _)| *d)
            .collect();
        let id = store.store_id();
        async move {
            name_error.set(
                parsed_name
                    .as_ref()
                    .err()
                    .map(|e| error_text(lang, e.code()).to_owned()),
            );
            let hours = match (open, close) {
                (Ok(open), Ok(close)) => {
                    DayHours::new(open, close).map_err(|e| error_text(lang, e.code()).to_owned())
                }
                _ => Err(FirstUseWord::TimeMissing.text(lang).to_owned()),
            }
            .and_then(|h| {
                if days.is_empty() {
                    Err(FirstUseWord::NoOpenDay.text(lang).to_owned())
                } else {
                    Ok(opening_hours(h, &days))
                }
            });
            let (Ok(parsed_name), Some(id)) = (parsed_name, id) else {
                return;
            };
            let hours = match hours {
                Ok(h) => h,
                Err(text) => {
                    error.set(Some(text));
                    return;
                }
            };
            error.set(None);
            let change = Change::StoreUpsert {
                id,
                fields: vec![
                    StoreField::Name(parsed_name),
                    StoreField::OpeningHours(hours),
                ],
            };
            match write(store, vec![change], lang).await {
                Ok(()) => next(),
                Err(text) => error.set(Some(text)),
            }
        }
    });
    let pending = save.pending();
    view! {
        <form class="form first-use__form" novalidate on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch(());
        }>
            <div class="field">
                <label for="first-store-name">{fw(FirstUseWord::StoreName)}</label>
                <input
                    id="first-store-name"
                    type="text"
                    autocomplete="organization"
                    aria-describedby="first-store-name-hint first-store-name-error"
                    aria-invalid=move || name_error.with(Option::is_some).to_string()
                    prop:value=name
                    on:input=move |ev| name.set(event_target_value(&ev))
                />
                <p class="hint" id="first-store-name-hint">{fw(FirstUseWord::StoreNameHint)}</p>
                <p class="field-error" id="first-store-name-error">{move || name_error.get()}</p>
            </div>
            <div class="field-row">
                <div class="field">
                    <label for="first-opens">{fw(FirstUseWord::Opens)}</label>
                    <input id="first-opens" type="time" prop:value=opens on:input=move |ev| opens.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="first-closes">{fw(FirstUseWord::Closes)}</label>
                    <input id="first-closes" type="time" prop:value=closes on:input=move |ev| closes.set(event_target_value(&ev))/>
                </div>
            </div>
            <fieldset class="first-use__days">
                <legend>{fw(FirstUseWord::OpenDays)}</legend>
                {open_days
                    .into_iter()
                    .map(|(day, on)| {
                        view! {
                            <label class="check">
                                <input type="checkbox" prop:checked=on on:change=move |ev| on.set(event_target_checked(&ev))/>
                                {move || weekday_name(day, i18n.lang())}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <p class="form-error" role="alert">{move || error.get()}</p>
            <StepActions submit=FirstUseWord::SaveStore pending=pending.into() skip=next/>
        </form>
    }
}

/// The same hours on each of `days`, closed on the others.
fn opening_hours(hours: DayHours, days: &[Weekday]) -> OpeningHours {
    let on = |d: Weekday| days.contains(&d).then_some(hours);
    OpeningHours {
        mon: on(Weekday::Mon),
        tue: on(Weekday::Tue),
        wed: on(Weekday::Wed),
        thu: on(Weekday::Thu),
        fri: on(Weekday::Fri),
        sat: on(Weekday::Sat),
        sun: on(Weekday::Sun),
    }
}

/// A count typed in a field, 1–20 (`zero_ok`: 0–20).
fn parse_count(raw: &str, zero_ok: bool) -> Option<u32> {
    let n: u32 = raw.trim().parse().ok()?;
    let min = if zero_ok { 0 } else { 1 };
    (min..=20).contains(&n).then_some(n)
}

fn room_name(lang: Lang, number: usize) -> String {
    match lang {
        Lang::Zh => format!("{number}{}", FirstUseWord::RoomName.text(lang)),
        Lang::En => format!("{}{number}", FirstUseWord::RoomName.text(lang)),
    }
}

fn bed_name(lang: Lang, number: usize) -> String {
    match lang {
        Lang::Zh => format!("{number}{}", FirstUseWord::BedName.text(lang)),
        Lang::En => format!("{}{number}", FirstUseWord::BedName.text(lang)),
    }
}

#[component]
fn RoomsStep(next: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let rooms = RwSignal::new("2".to_owned());
    let beds = RwSignal::new("1".to_owned());
    let error = RwSignal::new(None::<String>);
    let save = Action::new_local(move |_: &()| {
        let lang = i18n.lang();
        let counts = (
            parse_count(&rooms.get_untracked(), false),
            parse_count(&beds.get_untracked(), true),
        );
        let existing = store.rooms();
        async move {
            let (Some(room_count), Some(bed_count)) = counts else {
                error.set(Some(FirstUseWord::CountOutOfRange.text(lang).to_owned()));
                return;
            };
            error.set(None);
            // Numbered after what is there, so a second pass does not make a second "Room 1".
            let mut room_no = existing.iter().filter(|r| r.kind != RoomKind::Bed).count();
            let mut bed_no = existing.iter().filter(|r| r.kind == RoomKind::Bed).count();
            let mut changes = Vec::new();
            for _ in 0..room_count {
                room_no += 1;
                let room: RoomId = new_id();
                let Ok(name) = Name::parse(&room_name(lang, room_no)) else {
                    continue;
                };
                changes.push(Change::RoomUpsert {
                    id: room,
                    fields: vec![
                        RoomField::Name(name),
                        RoomField::Kind(RoomKind::Room),
                        RoomField::Active(true),
                    ],
                });
                for _ in 0..bed_count {
                    bed_no += 1;
                    let Ok(name) = Name::parse(&bed_name(lang, bed_no)) else {
                        continue;
                    };
                    changes.push(Change::RoomUpsert {
                        id: new_id(),
                        fields: vec![
                            RoomField::Name(name),
                            RoomField::Kind(RoomKind::Bed),
                            RoomField::Parent(Some(room)),
                            RoomField::Active(true),
                        ],
                    });
                }
            }
            match write(store, changes, lang).await {
                Ok(()) => next(),
                Err(text) => error.set(Some(text)),
            }
        }
    });
    let existing = move || {
        store
            .rooms()
            .into_iter()
            .filter(|r| r.active)
            .map(|r| r.name.as_str().to_owned())
            .collect::<Vec<_>>()
            .join(" · ")
    };
    view! {
        <p>{fw(FirstUseWord::RoomsHint)}</p>
        <Show when=move || !existing().is_empty()>
            <p data-testid="first-use-existing">{fw(FirstUseWord::RoomsExisting)} {existing}</p>
        </Show>
        <form class="form first-use__form" novalidate on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch(());
        }>
            <div class="field-row">
                <div class="field">
                    <label for="first-rooms">{fw(FirstUseWord::RoomCount)}</label>
                    <input id="first-rooms" type="number" min="1" max="20" inputmode="numeric" prop:value=rooms on:input=move |ev| rooms.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="first-beds">{fw(FirstUseWord::BedsPerRoom)}</label>
                    <input id="first-beds" type="number" min="0" max="20" inputmode="numeric" prop:value=beds on:input=move |ev| beds.set(event_target_value(&ev))/>
                </div>
            </div>
            <p class="form-error" role="alert">{move || error.get()}</p>
            <StepActions submit=FirstUseWord::AddRooms pending=save.pending().into() skip=next/>
        </form>
    }
}

#[component]
fn ServicesStep(next: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let chosen = RwSignal::new(Vec::<&'static str>::new());
    let error = RwSignal::new(None::<String>);
    // The names already in the catalog, so a template is not added twice.
    let existing = Memo::new(move |_| {
        store
            .catalog()
            .into_iter()
            .map(|s| s.name.as_str().to_owned())
            .collect::<Vec<_>>()
    });
    let save = Action::new_local(move |_: &()| {
        let lang = i18n.lang();
        let keys = chosen.get_untracked();
        async move {
            if keys.is_empty() {
                error.set(Some(FirstUseWord::NoTemplateChosen.text(lang).to_owned()));
                return;
            }
            let changes: Result<Vec<Change>, String> = TEMPLATES
                .iter()
                .filter(|t| keys.contains(&t.key))
                .map(|t| {
                    t.change(new_id(), template_language(lang))
                        .map_err(|e| error_text(lang, e.code()).to_owned())
                })
                .collect();
            let result = match changes {
                Ok(changes) => write(store, changes, lang).await,
                Err(text) => Err(text),
            };
            match result {
                Ok(()) => {
                    chosen.set(Vec::new());
                    error.set(None);
                    next();
                }
                Err(text) => error.set(Some(text)),
            }
        }
    });
    view! {
        <p>{fw(FirstUseWord::ServicesHint)}</p>
        <form class="form first-use__form" novalidate on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch(());
        }>
            <fieldset class="first-use__templates">
                <legend>{fw(FirstUseWord::Templates)}</legend>
                {TEMPLATES
                    .iter()
                    .map(|t| {
                        let key = t.key;
                        let name = move || t.name.text(template_language(i18n.lang()));
                        let there = move || existing.with(|names| names.iter().any(|n| n == name()));
                        let detail = move || {
                            format!(
                                "{} {} · {} {}",
                                t.duration_minutes,
                                FirstUseWord::Minutes.text(i18n.lang()),
                                t.price_yuan,
                                FirstUseWord::Yuan.text(i18n.lang())
                            )
                        };
                        view! {
                            <label class="first-use__template">
                                <input
                                    type="checkbox"
                                    disabled=there
                                    prop:checked=move || there() || chosen.with(|c| c.contains(&key))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        error.set(None);
                                        chosen.update(|c| {
                                            c.retain(|k| *k != key);
                                            if on {
                                                c.push(key);
                                            }
                                        });
                                    }
                                />
                                <span class="first-use__template-name">{name}</span>
                                <span class="first-use__template-detail">{detail}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <p class="form-error" role="alert">{move || error.get()}</p>
            <StepActions submit=FirstUseWord::AddServices pending=save.pending().into() skip=next/>
        </form>
    }
}

#[component]
fn TeamStep(next: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let alone = standalone(store);
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Therapist);
    let name_error = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let add = Action::new_local(move |_: &()| {
        let lang = i18n.lang();
        let parsed = Name::parse(&name.get_untracked());
        let role = role.get_untracked();
        async move {
            let parsed = match parsed {
                Ok(n) => {
                    name_error.set(None);
                    n
                }
                Err(e) => {
                    name_error.set(Some(error_text(lang, e.code()).to_owned()));
                    return;
                }
            };
            let id: StaffId = new_id();
            let change = Change::StaffUpsert {
                id,
                fields: vec![
                    StaffField::Name(parsed),
                    StaffField::Role(role),
                    StaffField::Active(true),
                ],
            };
            match write(store, vec![change], lang).await {
                Ok(()) => {
                    name.set(String::new());
                    error.set(None);
                }
                Err(text) => error.set(Some(text)),
            }
        }
    });
    let team = move || {
        store
            .staff()
            .into_iter()
            .filter(|s| s.active && s.role != Role::Owner)
            .map(|s| format!("{} ({})", s.name.as_str(), role_name(i18n.lang(), s.role)))
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let roles = Role::ALL
        .into_iter()
        .filter(|r| *r != Role::Owner)
        .collect::<Vec<_>>();
    view! {
        <p>{fw(FirstUseWord::TeamHint)}</p>
        <Show when=move || !team().is_empty()>
            <p data-testid="first-use-existing">{fw(FirstUseWord::TeamExisting)} {team}</p>
        </Show>
        {if alone {
            view! {
                <p class="hint">{fw(FirstUseWord::TeamStandaloneHint)}</p>
                <form class="form first-use__form" novalidate on:submit=move |ev| {
                    ev.prevent_default();
                    add.dispatch(());
                }>
                    <div class="field-row">
                        <div class="field">
                            <label for="first-person-name">{fw(FirstUseWord::PersonName)}</label>
                            <input
                                id="first-person-name"
                                type="text"
                                aria-describedby="first-person-name-error"
                                aria-invalid=move || name_error.with(Option::is_some).to_string()
                                prop:value=name
                                on:input=move |ev| name.set(event_target_value(&ev))
                            />
                            <p class="field-error" id="first-person-name-error">{move || name_error.get()}</p>
                        </div>
                        <div class="field">
                            <label for="first-person-role">{fw(FirstUseWord::PersonRole)}</label>
                            <select id="first-person-role" on:change=move |ev| {
                                if let Some(r) = Role::from_code(&event_target_value(&ev)) {
                                    role.set(r);
                                }
                            }>
                                {roles
                                    .into_iter()
                                    .map(|r| view! {
                                        <option value=r.code() selected=move || role.get() == r>{move || role_name(i18n.lang(), r)}</option>
                                    })
                                    .collect_view()}
                            </select>
                        </div>
                    </div>
                    <p class="form-error" role="alert">{move || error.get()}</p>
                    <div class="form-actions first-use__actions">
                        <button type="submit" class="button--secondary" disabled=move || add.pending().get()>{fw(FirstUseWord::AddPerson)}</button>
                        <button type="button" data-testid="first-use-team-next" on:click=move |_| next()>{fw(FirstUseWord::TeamContinue)}</button>
                    </div>
                </form>
                <LocalPins/>
            }
            .into_any()
        } else {
            view! {
                <p class="hint">{fw(FirstUseWord::TeamServerHint)}</p>
                <div class="form-actions first-use__actions">
                    <A href="/setup" attr:class="button button--secondary">{fw(FirstUseWord::OpenLogins)}</A>
                    <button type="button" data-testid="first-use-team-next" on:click=move |_| next()>{fw(FirstUseWord::TeamContinue)}</button>
                </div>
            }
            .into_any()
        }}
    }
}

/// The first day the store is open from tomorrow on (its own zone), where a first booking
/// usually goes; tomorrow if the hours say nothing.
fn first_open_day(store: StoreHandle) -> NaiveDate {
    let offset = store_offset(store);
    let tomorrow = offset.local_date(Utc::now()) + Duration::days(1);
    let hours = store.store().map(|s| s.opening_hours).unwrap_or_default();
    (0..7)
        .map(|d| tomorrow + Duration::days(d))
        .find(|day| hours.on(chrono::Datelike::weekday(day)).is_some())
        .unwrap_or(tomorrow)
}

#[component]
fn BookingStep(to_team: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let navigate = use_navigate();
    let name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let name_error = RwSignal::new(None::<String>);
    let phone_error = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let calendar = move |customer: Option<CustomerId>| {
        let mut url = format!("/calendar?day={}", first_open_day(store).format("%Y-%m-%d"));
        if let Some(c) = customer {
            url.push_str(&format!("&customer={c}"));
        }
        url
    };
    let save = Action::new_local(move |_: &()| {
        let lang = i18n.lang();
        let parsed = Name::parse(&name.get_untracked());
        let typed_phone = phone.get_untracked();
        let navigate = navigate.clone();
        async move {
            name_error.set(
                parsed
                    .as_ref()
                    .err()
                    .map(|e| error_text(lang, e.code()).to_owned()),
            );
            let phone = if typed_phone.trim().is_empty() {
                Ok(None)
            } else {
                Phone::parse(&typed_phone).map(Some)
            };
            phone_error.set(
                phone
                    .as_ref()
                    .err()
                    .map(|e| error_text(lang, e.code()).to_owned()),
            );
            let (Ok(parsed), Ok(phone)) = (parsed, phone) else {
                return;
            };
            let id: CustomerId = new_id();
            let mut fields = vec![CustomerField::Name(parsed)];
            if let Some(p) = phone {
                fields.push(CustomerField::Phone(Some(p)));
            }
            match write(store, vec![Change::CustomerUpsert { id, fields }], lang).await {
                Ok(()) => navigate(&calendar(Some(id)), Default::default()),
                Err(text) => error.set(Some(text)),
            }
        }
    });
    let ready = move || has_therapist(store);
    let has_customers = move || store.customer_count() > 0;
    view! {
        <p>{fw(FirstUseWord::BookingHint)}</p>
        <Show when=move || !ready()>
            <p class="first-use__warning" role="status">
                {fw(FirstUseWord::BookingNeedsTherapist)} " "
                <button type="button" class="button--secondary" on:click=move |_| to_team()>{fw(FirstUseWord::StepTeam)}</button>
            </p>
        </Show>
        <form class="form first-use__form" novalidate on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch(());
        }>
            <div class="field-row">
                <div class="field">
                    <label for="first-customer-name">{fw(FirstUseWord::CustomerName)}</label>
                    <input
                        id="first-customer-name"
                        type="text"
                        aria-describedby="first-customer-name-error"
                        aria-invalid=move || name_error.with(Option::is_some).to_string()
                        prop:value=name
                        on:input=move |ev| name.set(event_target_value(&ev))
                    />
                    <p class="field-error" id="first-customer-name-error">{move || name_error.get()}</p>
                </div>
                <div class="field">
                    <label for="first-customer-phone">{fw(FirstUseWord::CustomerPhone)}</label>
                    <input
                        id="first-customer-phone"
                        type="tel"
                        inputmode="tel"
                        aria-describedby="first-customer-phone-error"
                        aria-invalid=move || phone_error.with(Option::is_some).to_string()
                        prop:value=phone
                        on:input=move |ev| phone.set(event_target_value(&ev))
                    />
                    <p class="field-error" id="first-customer-phone-error">{move || phone_error.get()}</p>
                </div>
            </div>
            <p class="form-error" role="alert">{move || error.get()}</p>
            <div class="form-actions first-use__actions">
                <Show when=has_customers>
                    <A href=move || calendar(None) attr:class="button button--secondary">{fw(FirstUseWord::OpenCalendar)}</A>
                </Show>
                <button type="submit" disabled=move || save.pending().get()>{fw(FirstUseWord::BookFirst)}</button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_of_rooms_and_beds() {
        assert_eq!(parse_count(" 3 ", false), Some(3));
        assert_eq!(parse_count("0", false), None);
        assert_eq!(parse_count("0", true), Some(0));
        assert_eq!(parse_count("20", false), Some(20));
        for bad in ["21", "-1", "", "two", "1.5"] {
            assert_eq!(parse_count(bad, true), None, "{bad}");
        }
    }

    #[test]
    fn hours_on_the_chosen_days_only() {
        let Ok(day) = DayHours::hm(9, 30, 21, 0) else {
            panic!("valid hours");
        };
        let hours = opening_hours(day, &[Weekday::Mon, Weekday::Sat]);
        assert_eq!(hours.on(Weekday::Mon), Some(day));
        assert_eq!(hours.on(Weekday::Sat), Some(day));
        assert_eq!(hours.on(Weekday::Sun), None);
        assert_eq!(hours.on(Weekday::Wed), None);
    }

    #[test]
    fn rooms_and_beds_named_in_the_language() {
        assert_eq!(room_name(Lang::Zh, 2), "2号房");
        assert_eq!(room_name(Lang::En, 2), "Room 2");
        assert_eq!(bed_name(Lang::Zh, 3), "3号床");
        assert_eq!(bed_name(Lang::En, 3), "Bed 3");
        assert!(Name::parse(&room_name(Lang::Zh, 20)).is_ok());
    }
}
