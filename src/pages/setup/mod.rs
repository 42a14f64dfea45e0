//! The managers' set-up page (/setup): staff and roles, rooms and beds, the service catalog (with
//! SOP steps, contraindications and consultation questions), opening hours and the store's time
//! limits. Every save is a core `Change` checked with the manager's permissions, written offline
//! and synced; the server re-checks the same rules.
use chrono::{NaiveTime, Weekday};
use leptos::prelude::*;
use leptos_router::components::A;
use orchid_core::catalog::{
    CatalogField, CatalogService, ConsultationQuestion, Money, QuestionKind, ServiceCategory,
    SopStep,
};
use orchid_core::ids::{RoomId, ServiceId, StaffId};
use orchid_core::permission::{Action as Permit, Sensitivity, allowed};
use orchid_core::role::Role;
use orchid_core::room::{RoomField, RoomKind};
use orchid_core::staff::StaffField;
use orchid_core::store::{StoreError, StoreField, StoreSettings};
use orchid_core::sync::Change;
use orchid_core::text::{Label, Name, Note, Tag};
use orchid_core::time::{DayHours, OpeningHours};

use crate::components::store_error_text;
use crate::i18n::errors::error_text;
use crate::i18n::first_use_words::FirstUseWord;
use crate::i18n::labels::role_name;
use crate::i18n::setup_words::{SetupWord, category_name, room_kind_name, weekday_name};
use crate::i18n::{Lang, Msg};
use crate::state::store::new_id;
use crate::state::{use_i18n, use_store};

mod logins;
mod online_booking;
mod standard_use;

use standard_use::{StandardUseField, UseLines, parse_standard_use};

const CATEGORIES: [ServiceCategory; 9] = [
    ServiceCategory::Facial,
    ServiceCategory::Body,
    ServiceCategory::Massage,
    ServiceCategory::Wellness,
    ServiceCategory::HairRemoval,
    ServiceCategory::Nail,
    ServiceCategory::Makeup,
    ServiceCategory::Device,
    ServiceCategory::Other,
];
const ROOM_KINDS: [RoomKind; 3] = [RoomKind::Room, RoomKind::Bed, RoomKind::Suite];
const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Staff,
    Logins,
    Rooms,
    Catalog,
    Store,
    Booking,
}

/// The words of this page in the current language, reactive.
fn sw(i18n: crate::state::I18n, word: SetupWord) -> impl Fn() -> &'static str + Copy {
    move || word.text(i18n.lang())
}

/// A save's outcome, shown under its button: the core's refusal in words, or "saved".
pub(super) type Outcome = RwSignal<Option<Result<(), String>>>;

pub(super) fn outcome_view(outcome: Outcome) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        outcome.get().map(|r| match r {
            Ok(()) => {
                view! { <p class="form-ok" role="status">{SetupWord::Saved.text(i18n.lang())}</p> }
                    .into_any()
            }
            Err(text) => view! { <p class="form-error" role="alert">{text}</p> }.into_any(),
        })
    }
}

pub(super) async fn save(changes: Vec<Change>, lang: Lang) -> Result<(), String> {
    let store = use_store();
    store
        .mutate_all(changes)
        .await
        .map(|_| ())
        .map_err(|e| store_error_text(lang, &e).to_owned())
}

#[component]
pub fn SetupPage() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let tab = RwSignal::new(Tab::Staff);
    let may = move |action: Permit| allowed(store.role(), action, Sensitivity::Ordinary);
    let tab_button = move |t: Tab, word: SetupWord| {
        view! {
            <button
                type="button"
                role="tab"
                class="setup-tab"
                aria-selected=move || (tab.get() == t).to_string()
                on:click=move |_| tab.set(t)
            >
                {sw(i18n, word)}
            </button>
        }
    };
    view! {
        <header class="page-intro">
            <h1>{sw(i18n, SetupWord::Title)}</h1>
            <p>{sw(i18n, SetupWord::Intro)}</p>
            <p>
                <A href="/welcome" attr:data-testid="setup-open-guide">
                    {move || FirstUseWord::OpenGuide.text(i18n.lang())}
                </A>
            </p>
        </header>
        <Show
            when=move || store.ready.get()
            fallback=move || view! { <p role="status">{move || i18n.t(Msg::Loading)}</p> }
        >
            <Show
                when=move || may(Permit::StoreSettings) || may(Permit::StaffManage)
                fallback=move || view! { <p class="empty-state">{sw(i18n, SetupWord::NotAllowed)}</p> }
            >
                <div class="setup-tabs" role="tablist">
                    {tab_button(Tab::Staff, SetupWord::TabStaff)}
                    <Show when=move || may(Permit::StaffManage)>
                        <button
                            type="button"
                            role="tab"
                            class="setup-tab"
                            data-testid="tab-logins"
                            aria-selected=move || (tab.get() == Tab::Logins).to_string()
                            on:click=move |_| tab.set(Tab::Logins)
                        >
                            {move || crate::i18n::team_words::TeamWord::TabLogins.text(i18n.lang())}
                        </button>
                    </Show>
                    {tab_button(Tab::Rooms, SetupWord::TabRooms)}
                    {tab_button(Tab::Catalog, SetupWord::TabCatalog)}
                    {tab_button(Tab::Store, SetupWord::TabStore)}
                    <Show when=move || may(Permit::StoreSettings)>
                        <button
                            type="button"
                            role="tab"
                            class="setup-tab"
                            data-testid="tab-online-booking"
                            aria-selected=move || (tab.get() == Tab::Booking).to_string()
                            on:click=move |_| tab.set(Tab::Booking)
                        >
                            {move || crate::i18n::booking_words::BedsideWord::Tab.text(i18n.lang())}
                        </button>
                    </Show>
                </div>
                <div class="setup-panel" role="tabpanel">
                    {move || match tab.get() {
                        Tab::Staff => view! { <StaffSection/> }.into_any(),
                        Tab::Logins => view! { <logins::LoginsSection/> }.into_any(),
                        Tab::Rooms => view! { <RoomsSection/> }.into_any(),
                        Tab::Catalog => view! { <CatalogSection/> }.into_any(),
                        Tab::Store => view! { <StoreSection/> }.into_any(),
                        Tab::Booking => view! { <online_booking::OnlineBookingSection/> }.into_any(),
                    }}
                </div>
            </Show>
        </Show>
    }
}

/// A text input bound to `value`, with its label and the error under it.
#[component]
fn Field(
    id: &'static str,
    label: SetupWord,
    value: RwSignal<String>,
    #[prop(optional)] error: Option<RwSignal<Option<String>>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] hint: Option<SetupWord>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = error.unwrap_or_else(|| RwSignal::new(None));
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id>{sw(i18n, label)}</label>
            <input
                id=id
                type=kind
                aria-invalid=move || error.with(Option::is_some).to_string()
                aria-describedby=error_id.clone()
                prop:value=value
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            {hint.map(|h| view! { <p class="hint">{sw(i18n, h)}</p> })}
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </div>
    }
}

/// Parses a name, or puts the core's reason next to the field.
fn parse_name(raw: &str, error: RwSignal<Option<String>>, lang: Lang) -> Option<Name> {
    match Name::parse(raw) {
        Ok(n) => {
            error.set(None);
            Some(n)
        }
        Err(e) => {
            error.set(Some(error_text(lang, e.code()).to_owned()));
            None
        }
    }
}

/// Parses a whole number, or says so next to the field.
/// "Enter a number from `min` to `max`", in the user's language.
fn out_of_range(min: i64, max: i64, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("请填写 {min} 到 {max} 之间的整数。"),
        Lang::En => format!("Enter a whole number from {min} to {max}."),
    }
}

fn parse_number(raw: &str, error: RwSignal<Option<String>>, lang: Lang) -> Option<u32> {
    match raw.trim().parse::<u32>() {
        Ok(n) => {
            error.set(None);
            Some(n)
        }
        Err(_) => {
            error.set(Some(SetupWord::NumberNeeded.text(lang).to_owned()));
            None
        }
    }
}

/// A row of the staff or the rooms table.
#[derive(Clone, Debug, PartialEq)]
struct ActiveRow<K> {
    id: K,
    name: String,
    /// What it is: the person's role, the room's kind (in the user's language).
    detail: String,
    active: bool,
}

/// The staff and the rooms tables: name, what it is, and whether it is active with the button
/// that switches it (`toggle` gets the id and the current state).
#[component]
fn ActiveTable<K, R>(
    detail_header: SetupWord,
    rows: R,
    toggle: Action<(K, bool), ()>,
) -> impl IntoView
where
    K: Copy + Send + Sync + 'static,
    R: Fn() -> Vec<ActiveRow<K>> + Send + Sync + 'static,
{
    let i18n = use_i18n();
    view! {
        <table class="setup-table">
            <thead>
                <tr>
                    <th scope="col">{sw(i18n, SetupWord::Name)}</th>
                    <th scope="col">{sw(i18n, detail_header)}</th>
                    <th scope="col">{sw(i18n, SetupWord::Active)}</th>
                </tr>
            </thead>
            <tbody>
                {move || {
                    rows()
                        .into_iter()
                        .map(|row| {
                            let (id, active) = (row.id, row.active);
                            view! {
                                <tr>
                                    <td>{row.name}</td>
                                    <td>{row.detail}</td>
                                    <td>
                                        <button
                                            type="button"
                                            class="button button--secondary"
                                            on:click=move |_| {
                                                toggle.dispatch((id, active));
                                            }
                                        >
                                            {if active { SetupWord::Deactivate } else { SetupWord::Activate }
                                                .text(i18n.lang())}
                                        </button>
                                        " "
                                        {if active { SetupWord::Active } else { SetupWord::Inactive }
                                            .text(i18n.lang())}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()
                }}
            </tbody>
        </table>
    }
}

#[component]
fn StaffSection() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let name_error = RwSignal::new(None::<String>);
    let role = RwSignal::new(Role::Therapist);
    let outcome: Outcome = RwSignal::new(None);
    let add = Action::new_local(move |_: &()| {
        let lang = i18n.lang();
        let parsed = parse_name(&name.get_untracked(), name_error, lang);
        async move {
            let Some(parsed) = parsed else { return };
            let id: StaffId = new_id();
            let change = Change::StaffUpsert {
                id,
                fields: vec![
                    StaffField::Name(parsed),
                    StaffField::Role(role.get_untracked()),
                    StaffField::Active(true),
                ],
            };
            let result = save(vec![change], lang).await;
            if result.is_ok() {
                name.set(String::new());
            }
            outcome.set(Some(result));
        }
    });
    let toggle = Action::new_local(move |(id, active): &(StaffId, bool)| {
        let change = Change::StaffUpsert {
            id: *id,
            fields: vec![StaffField::Active(!*active)],
        };
        let lang = i18n.lang();
        async move { outcome.set(Some(save(vec![change], lang).await)) }
    });
    let roles = Role::ALL
        .into_iter()
        .filter(|r| *r != Role::Owner)
        .collect::<Vec<_>>();
    view! {
        <section aria-labelledby="setup-staff">
            <h2 id="setup-staff">{sw(i18n, SetupWord::TabStaff)}</h2>
            <p class="hint">{sw(i18n, SetupWord::StaffHint)}</p>
            <ActiveTable
                detail_header=SetupWord::Role
                rows=move || {
                    store
                        .staff()
                        .into_iter()
                        .map(|s| ActiveRow {
                            id: s.id,
                            name: s.name.as_str().to_owned(),
                            detail: role_name(i18n.lang(), s.role).to_owned(),
                            active: s.active,
                        })
                        .collect()
                }
                toggle=toggle
            />
            <form
                class="setup-form"
                on:submit=move |ev| {
                    ev.prevent_default();
                    add.dispatch(());
                }
            >
                <h3>{sw(i18n, SetupWord::AddStaff)}</h3>
                <Field id="staff-name" label=SetupWord::Name value=name error=name_error/>
                <div class="field">
                    <label for="staff-role">{sw(i18n, SetupWord::Role)}</label>
                    <select
                        id="staff-role"
                        on:change=move |ev| {
                            if let Some(r) = Role::from_code(&event_target_value(&ev)) {
                                role.set(r);
                            }
                        }
                    >
                        {roles
                            .into_iter()
                            .map(|r| {
                                view! {
                                    <option value=r.code() selected=move || role.get() == r>
                                        {move || role_name(i18n.lang(), r)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <button type="submit" class="button">{sw(i18n, SetupWord::AddStaff)}</button>
                {outcome_view(outcome)}
            </form>
        </section>
    }
}

#[component]
fn RoomsSection() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let name_error = RwSignal::new(None::<String>);
    let kind = RwSignal::new(RoomKind::Bed);
    let outcome: Outcome = RwSignal::new(None);
    let add = Action::new_local(move |_: &()| {
        let lang = i18n.lang();
        let parsed = parse_name(&name.get_untracked(), name_error, lang);
        async move {
            let Some(parsed) = parsed else { return };
            let id: RoomId = new_id();
            let change = Change::RoomUpsert {
                id,
                fields: vec![
                    RoomField::Name(parsed),
                    RoomField::Kind(kind.get_untracked()),
                    RoomField::Active(true),
                ],
            };
            let result = save(vec![change], lang).await;
            if result.is_ok() {
                name.set(String::new());
            }
            outcome.set(Some(result));
        }
    });
    let toggle = Action::new_local(move |(id, active): &(RoomId, bool)| {
        let change = Change::RoomUpsert {
            id: *id,
            fields: vec![RoomField::Active(!*active)],
        };
        let lang = i18n.lang();
        async move { outcome.set(Some(save(vec![change], lang).await)) }
    });
    view! {
        <section aria-labelledby="setup-rooms">
            <h2 id="setup-rooms">{sw(i18n, SetupWord::TabRooms)}</h2>
            <ActiveTable
                detail_header=SetupWord::Kind
                rows=move || {
                    store
                        .rooms()
                        .into_iter()
                        .map(|r| ActiveRow {
                            id: r.id,
                            name: r.name.as_str().to_owned(),
                            detail: room_kind_name(r.kind, i18n.lang()).to_owned(),
                            active: r.active,
                        })
                        .collect()
                }
                toggle=toggle
            />
            <form
                class="setup-form"
                on:submit=move |ev| {
                    ev.prevent_default();
                    add.dispatch(());
                }
            >
                <h3>{sw(i18n, SetupWord::AddRoom)}</h3>
                <Field id="room-name" label=SetupWord::Name value=name error=name_error/>
                <div class="field">
                    <label for="room-kind">{sw(i18n, SetupWord::Kind)}</label>
                    <select
                        id="room-kind"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if let Some(k) = ROOM_KINDS.into_iter().find(|k| code_of(k) == v) {
                                kind.set(k);
                            }
                        }
                    >
                        {ROOM_KINDS
                            .into_iter()
                            .map(|k| {
                                view! {
                                    <option value=code_of(&k) selected=move || kind.get() == k>
                                        {move || room_kind_name(k, i18n.lang())}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <button type="submit" class="button">{sw(i18n, SetupWord::AddRoom)}</button>
                {outcome_view(outcome)}
            </form>
        </section>
    }
}

/// The serde name of a unit enum value (`"bed"`, `"facial"`), for `<option value>`.
fn code_of<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The catalog form's text, one string per input.
#[derive(Clone, Default)]
struct ServiceDraft {
    name: String,
    category: String,
    duration: String,
    price: String,
    recall: String,
    steps: String,
    contraindications: String,
    questions: String,
    description: String,
}

impl ServiceDraft {
    fn of(s: &CatalogService) -> Self {
        Self {
            name: s.name.as_str().to_owned(),
            category: code_of(&s.category),
            duration: s.duration_minutes.to_string(),
            price: format!("{}.{:02}", s.price.0 / 100, s.price.0 % 100),
            recall: s.recall_days.map(|d| d.to_string()).unwrap_or_default(),
            steps: s
                .sop_steps
                .iter()
                .map(|st| format!("{}, {}", st.name.as_str(), st.standard_minutes))
                .collect::<Vec<_>>()
                .join("\n"),
            contraindications: s
                .contraindications
                .iter()
                .map(|t| t.as_str().to_owned())
                .collect::<Vec<_>>()
                .join(", "),
            questions: s
                .consultation
                .iter()
                .map(|q| match &q.kind {
                    QuestionKind::YesNo {
                        yes_means: Some(tag),
                    } => format!("{} | {}", q.text.as_str(), tag.as_str()),
                    _ => q.text.as_str().to_owned(),
                })
                .collect::<Vec<_>>()
                .join("\n"),
            description: s.description.as_str().to_owned(),
        }
    }
}

/// Which input a parse error belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ServiceInput {
    Name,
    Duration,
    Price,
    Recall,
    Steps,
    Contraindications,
    Questions,
    Description,
    StandardUse,
}

/// The form's fields as the core's values, or the first input that is wrong and why.
/// `standard_use` is the standard-use lines' text, `products` the store's products.
fn parse_service(
    d: &ServiceDraft,
    standard_use: &[(String, String)],
    products: &[orchid_core::product::Product],
    lang: Lang,
) -> Result<Vec<CatalogField>, (ServiceInput, String)> {
    let text_error =
        |input, e: orchid_core::text::TextError| (input, error_text(lang, e.code()).to_owned());
    let number = |input, raw: &str| {
        raw.trim()
            .parse::<u32>()
            .map_err(|_| (input, SetupWord::NumberNeeded.text(lang).to_owned()))
    };
    let name = Name::parse(&d.name).map_err(|e| text_error(ServiceInput::Name, e))?;
    let category = CATEGORIES
        .into_iter()
        .find(|c| code_of(c) == d.category)
        .unwrap_or(ServiceCategory::Facial);
    let duration = number(ServiceInput::Duration, &d.duration)?;
    let price = Money::parse_yuan(&d.price).ok_or_else(|| {
        (
            ServiceInput::Price,
            SetupWord::NumberNeeded.text(lang).to_owned(),
        )
    })?;
    let recall = if d.recall.trim().is_empty() {
        None
    } else {
        Some(number(ServiceInput::Recall, &d.recall)?)
    };
    let mut steps = Vec::new();
    for line in d.steps.lines().filter(|l| !l.trim().is_empty()) {
        let (step_name, minutes) = line.rsplit_once([',', '，']).ok_or_else(|| {
            (
                ServiceInput::Steps,
                SetupWord::LineNeedsMinutes.text(lang).to_owned(),
            )
        })?;
        steps.push(SopStep {
            name: Name::parse(step_name).map_err(|e| text_error(ServiceInput::Steps, e))?,
            standard_minutes: number(ServiceInput::Steps, minutes)?,
            standard: Note::default(),
        });
    }
    let mut contraindications = Vec::new();
    for raw in d
        .contraindications
        .split([',', '，'])
        .filter(|t| !t.trim().is_empty())
    {
        contraindications
            .push(Tag::parse(raw).map_err(|e| text_error(ServiceInput::Contraindications, e))?);
    }
    let mut questions = Vec::new();
    for (i, line) in d
        .questions
        .lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
    {
        let (text, yes_means) = match line.split_once('|') {
            Some((text, tag)) => (
                text,
                Some(Tag::parse(tag).map_err(|e| text_error(ServiceInput::Questions, e))?),
            ),
            None => (line, None),
        };
        questions.push(ConsultationQuestion {
            key: Tag::parse(&format!("q{}", i + 1))
                .map_err(|e| text_error(ServiceInput::Questions, e))?,
            text: Label::parse(text).map_err(|e| text_error(ServiceInput::Questions, e))?,
            kind: QuestionKind::YesNo { yes_means },
        });
    }
    let description = if d.description.trim().is_empty() {
        Note::default()
    } else {
        Note::parse(&d.description).map_err(|e| text_error(ServiceInput::Description, e))?
    };
    let standard_use = parse_standard_use(standard_use, products, lang)
        .map_err(|e| (ServiceInput::StandardUse, e))?;
    Ok(vec![
        CatalogField::Name(name),
        CatalogField::Category(category),
        CatalogField::DurationMinutes(duration),
        CatalogField::Price(price),
        CatalogField::RecallDays(recall),
        CatalogField::SopSteps(steps),
        CatalogField::Contraindications(contraindications),
        CatalogField::Consultation(questions),
        CatalogField::Description(description),
        CatalogField::Active(true),
        CatalogField::StandardUse(standard_use),
    ])
}

#[component]
fn CatalogSection() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    // The service being edited (None: a new one).
    let editing = RwSignal::new(None::<ServiceId>);
    let draft = RwSignal::new(ServiceDraft {
        category: code_of(&ServiceCategory::Facial),
        ..ServiceDraft::default()
    });
    let errors = RwSignal::new(None::<(ServiceInput, String)>);
    let outcome: Outcome = RwSignal::new(None);
    let use_lines = UseLines::new();
    let field = move |input: ServiceInput| {
        let signal = RwSignal::new(None::<String>);
        Effect::new(move || {
            signal.set(
                errors
                    .get()
                    .filter(|(which, _)| *which == input)
                    .map(|(_, text)| text),
            );
        });
        signal
    };
    let bind = move |get: fn(&ServiceDraft) -> &String, set: fn(&mut ServiceDraft, String)| {
        let value = RwSignal::new(draft.with_untracked(|d| get(d).clone()));
        Effect::new(move || value.set(draft.with(|d| get(d).clone())));
        Effect::new(move || {
            let v = value.get();
            draft.update_untracked(|d| set(d, v));
        });
        value
    };
    let name = bind(|d| &d.name, |d, v| d.name = v);
    let duration = bind(|d| &d.duration, |d, v| d.duration = v);
    let price = bind(|d| &d.price, |d, v| d.price = v);
    let recall = bind(|d| &d.recall, |d, v| d.recall = v);
    let steps = bind(|d| &d.steps, |d, v| d.steps = v);
    let contraindications = bind(|d| &d.contraindications, |d, v| d.contraindications = v);
    let questions = bind(|d| &d.questions, |d, v| d.questions = v);
    let description = bind(|d| &d.description, |d, v| d.description = v);
    let save_service = Action::new_local(move |_: &()| {
        let lang = i18n.lang();
        let lines = use_lines.texts();
        let products = store.all_products();
        let parsed = draft.with_untracked(|d| parse_service(d, &lines, &products, lang));
        let id = editing.get_untracked().unwrap_or_else(new_id);
        async move {
            match parsed {
                Err(e) => {
                    errors.set(Some(e));
                    outcome.set(None);
                }
                Ok(fields) => {
                    errors.set(None);
                    let result = save(vec![Change::CatalogUpsert { id, fields }], lang).await;
                    if result.is_ok() {
                        editing.set(Some(id));
                    }
                    outcome.set(Some(result));
                }
            }
        }
    });
    let start_new = move |_| {
        editing.set(None);
        draft.set(ServiceDraft {
            category: code_of(&ServiceCategory::Facial),
            ..ServiceDraft::default()
        });
        use_lines.reset(&[]);
        errors.set(None);
        outcome.set(None);
    };
    let textarea = move |id: &'static str,
                         label: SetupWord,
                         hint: SetupWord,
                         value: RwSignal<String>,
                         error: RwSignal<Option<String>>| {
        let error_id = format!("{id}-error");
        view! {
            <div class="field">
                <label for=id>{sw(i18n, label)}</label>
                <textarea
                    id=id
                    rows="4"
                    aria-invalid=move || error.with(Option::is_some).to_string()
                    aria-describedby=error_id.clone()
                    prop:value=value
                    on:input=move |ev| value.set(event_target_value(&ev))
                ></textarea>
                <p class="hint">{sw(i18n, hint)}</p>
                <p class="field-error" id=error_id>{move || error.get()}</p>
            </div>
        }
    };
    view! {
        <section aria-labelledby="setup-catalog">
            <h2 id="setup-catalog">{sw(i18n, SetupWord::TabCatalog)}</h2>
            <table class="setup-table">
                <thead>
                    <tr>
                        <th scope="col">{sw(i18n, SetupWord::Name)}</th>
                        <th scope="col">{sw(i18n, SetupWord::Category)}</th>
                        <th scope="col">{sw(i18n, SetupWord::Duration)}</th>
                        <th scope="col">{sw(i18n, SetupWord::Price)}</th>
                        <th scope="col">{sw(i18n, SetupWord::Steps)}</th>
                        <td></td>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        store
                            .catalog()
                            .into_iter()
                            .map(|s| {
                                let id = s.id;
                                let this = s.clone();
                                view! {
                                    <tr>
                                        <td>{s.name.as_str().to_owned()}</td>
                                        <td>{category_name(s.category, i18n.lang())}</td>
                                        <td>{s.duration_minutes}</td>
                                        <td>{s.price.to_string()}</td>
                                        <td>{s.sop_steps.len()}</td>
                                        <td>
                                            <button
                                                type="button"
                                                class="button button--secondary"
                                                on:click=move |_| {
                                                    editing.set(Some(id));
                                                    draft.set(ServiceDraft::of(&this));
                                                    use_lines.reset(&this.standard_use);
                                                    errors.set(None);
                                                    outcome.set(None);
                                                }
                                            >
                                                {sw(i18n, SetupWord::Edit)}
                                            </button>
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()
                    }}
                </tbody>
            </table>
            <form
                class="setup-form"
                on:submit=move |ev| {
                    ev.prevent_default();
                    save_service.dispatch(());
                }
            >
                <h3>
                    {move || {
                        if editing.get().is_some() { SetupWord::EditService } else { SetupWord::AddService }
                            .text(i18n.lang())
                    }}
                </h3>
                <Show when=move || editing.get().is_some()>
                    <button type="button" class="button button--secondary" on:click=start_new>
                        {sw(i18n, SetupWord::NewService)}
                    </button>
                </Show>
                <Field id="service-name" label=SetupWord::Name value=name error=field(ServiceInput::Name)/>
                <div class="field">
                    <label for="service-category">{sw(i18n, SetupWord::Category)}</label>
                    <select
                        id="service-category"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            draft.update(|d| d.category = v);
                        }
                    >
                        {CATEGORIES
                            .into_iter()
                            .map(|c| {
                                let code = code_of(&c);
                                let selected_code = code.clone();
                                view! {
                                    <option
                                        value=code
                                        selected=move || draft.with(|d| d.category == selected_code)
                                    >
                                        {move || category_name(c, i18n.lang())}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field-row">
                    <Field
                        id="service-duration"
                        label=SetupWord::Duration
                        value=duration
                        kind="number"
                        error=field(ServiceInput::Duration)
                    />
                    <Field
                        id="service-price"
                        label=SetupWord::Price
                        value=price
                        error=field(ServiceInput::Price)
                    />
                    <Field
                        id="service-recall"
                        label=SetupWord::RecallDays
                        value=recall
                        kind="number"
                        error=field(ServiceInput::Recall)
                    />
                </div>
                {textarea("service-steps", SetupWord::Steps, SetupWord::StepsHint, steps, field(ServiceInput::Steps))}
                {textarea(
                    "service-contraindications",
                    SetupWord::Contraindications,
                    SetupWord::ContraindicationsHint,
                    contraindications,
                    field(ServiceInput::Contraindications),
                )}
                {textarea(
                    "service-questions",
                    SetupWord::Questions,
                    SetupWord::QuestionsHint,
                    questions,
                    field(ServiceInput::Questions),
                )}
                <Field
                    id="service-description"
                    label=SetupWord::Description
                    value=description
                    error=field(ServiceInput::Description)
                />
                <StandardUseField lines=use_lines error=field(ServiceInput::StandardUse)/>
                <button type="submit" class="button">{sw(i18n, SetupWord::SaveService)}</button>
                {outcome_view(outcome)}
            </form>
        </section>
    }
}

/// One weekday's opening hours as two time inputs ("" = closed).
#[derive(Clone, Copy)]
struct DayInputs {
    day: Weekday,
    open: RwSignal<String>,
    close: RwSignal<String>,
}

fn hours_text(hours: Option<DayHours>) -> (String, String) {
    hours.map_or_else(
        || (String::new(), String::new()),
        |h| {
            (
                h.open().format("%H:%M").to_string(),
                h.close().format("%H:%M").to_string(),
            )
        },
    )
}

fn parse_hours(days: &[DayInputs], lang: Lang) -> Result<OpeningHours, String> {
    let mut hours = OpeningHours::always();
    for d in days {
        let (open, close) = (d.open.get_untracked(), d.close.get_untracked());
        let value = if open.trim().is_empty() && close.trim().is_empty() {
            None
        } else {
            let time = |raw: &str| NaiveTime::parse_from_str(raw.trim(), "%H:%M");
            let (Ok(open), Ok(close)) = (time(&open), time(&close)) else {
                return Err(format!(
                    "{}: {}",
                    weekday_name(d.day, lang),
                    error_text(lang, "time.closes_before_opening")
                ));
            };
            Some(DayHours::new(open, close).map_err(|e| {
                format!(
                    "{}: {}",
                    weekday_name(d.day, lang),
                    error_text(lang, e.code())
                )
            })?)
        };
        match d.day {
            Weekday::Mon => hours.mon = value,
            Weekday::Tue => hours.tue = value,
            Weekday::Wed => hours.wed = value,
            Weekday::Thu => hours.thu = value,
            Weekday::Fri => hours.fri = value,
            Weekday::Sat => hours.sat = value,
            Weekday::Sun => hours.sun = value,
        }
    }
    Ok(hours)
}

/// One number of the store's settings: its input id, its name in the core's range check, label,
/// text, error, and where it goes.
type NumberInput = (
    &'static str,
    &'static str,
    SetupWord,
    RwSignal<String>,
    RwSignal<Option<String>>,
    fn(&mut StoreSettings, u32),
);

#[component]
fn StoreSection() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let current = store.store();
    let hours = current
        .as_ref()
        .map(|s| s.opening_hours.clone())
        .unwrap_or_else(OpeningHours::always);
    // The name the first-use guide (or the server) gave the store, editable here too; an unnamed
    // store's field starts empty and stays unnamed while it is left so.
    let store_name = RwSignal::new(
        current
            .as_ref()
            .filter(|s| s.name != Name::placeholder())
            .map(|s| s.name.as_str().to_owned())
            .unwrap_or_default(),
    );
    let store_name_error = RwSignal::new(None::<String>);
    let settings = current.map(|s| s.settings).unwrap_or_default();
    let days: Vec<DayInputs> = WEEK
        .into_iter()
        .map(|day| {
            let (open, close) = hours_text(hours.on(day));
            DayInputs {
                day,
                open: RwSignal::new(open),
                close: RwSignal::new(close),
            }
        })
        .collect();
    // Each number: its text, its error, how to put it into the settings.
    let numbers: Vec<NumberInput> = {
        let f = &settings.flow_limits;
        let n = |v: u32| RwSignal::new(v.to_string());
        vec![
            (
                "store-buffer",
                "booking_buffer_minutes",
                SetupWord::BookingBuffer,
                n(settings.booking_buffer_minutes),
                RwSignal::new(None),
                |s, v| s.booking_buffer_minutes = v,
            ),
            (
                "store-confirm",
                "flow_limits.confirm_booking_minutes",
                SetupWord::ConfirmBooking,
                n(f.confirm_booking_minutes),
                RwSignal::new(None),
                |s, v| s.flow_limits.confirm_booking_minutes = v,
            ),
            (
                "store-reception",
                "flow_limits.reception_minutes",
                SetupWord::Reception,
                n(f.reception_minutes),
                RwSignal::new(None),
                |s, v| s.flow_limits.reception_minutes = v,
            ),
            (
                "store-introduction",
                "flow_limits.introduction_minutes",
                SetupWord::Introduction,
                n(f.introduction_minutes),
                RwSignal::new(None),
                |s, v| s.flow_limits.introduction_minutes = v,
            ),
            (
                "store-overrun",
                "flow_limits.service_overrun_minutes",
                SetupWord::ServiceOverrun,
                n(f.service_overrun_minutes),
                RwSignal::new(None),
                |s, v| s.flow_limits.service_overrun_minutes = v,
            ),
            (
                "store-feedback",
                "flow_limits.feedback_minutes",
                SetupWord::FeedbackLimit,
                n(f.feedback_minutes),
                RwSignal::new(None),
                |s, v| s.flow_limits.feedback_minutes = v,
            ),
            (
                "store-follow-up",
                "flow_limits.follow_up_hours",
                SetupWord::FollowUpHours,
                n(f.follow_up_hours),
                RwSignal::new(None),
                |s, v| s.flow_limits.follow_up_hours = v,
            ),
            (
                "store-low-rating",
                "low_rating_threshold",
                SetupWord::LowRating,
                n(settings.low_rating_threshold.into()),
                RwSignal::new(None),
                |s, v| s.low_rating_threshold = u8::try_from(v).unwrap_or(u8::MAX),
            ),
            (
                "store-low-recommend",
                "low_recommend_threshold",
                SetupWord::LowRecommend,
                n(settings.low_recommend_threshold.into()),
                RwSignal::new(None),
                |s, v| s.low_recommend_threshold = u8::try_from(v).unwrap_or(u8::MAX),
            ),
            (
                "store-deadline-warning",
                "deadline_warning_percent",
                SetupWord::DeadlineWarning,
                n(settings.deadline_warning_percent.into()),
                RwSignal::new(None),
                |s, v| s.deadline_warning_percent = u8::try_from(v).unwrap_or(u8::MAX),
            ),
            (
                "store-care-call",
                "care_call_after_days",
                SetupWord::CareCallDays,
                n(settings.care_call_after_days),
                RwSignal::new(None),
                |s, v| s.care_call_after_days = v,
            ),
            (
                "store-birthday-days",
                "birthday_reminder_days",
                SetupWord::BirthdayReminderDays,
                n(settings.birthday_reminder_days),
                RwSignal::new(None),
                |s, v| s.birthday_reminder_days = v,
            ),
            (
                "store-lapsed-days",
                "lapsed_after_days",
                SetupWord::LapsedAfterDays,
                n(settings.lapsed_after_days),
                RwSignal::new(None),
                |s, v| s.lapsed_after_days = v,
            ),
            (
                "store-device-history",
                "device_history_months",
                SetupWord::DeviceHistoryMonths,
                n(settings.device_history_months),
                RwSignal::new(None),
                |s, v| s.device_history_months = v,
            ),
            (
                "store-retention",
                "retention_months",
                SetupWord::RetentionMonths,
                n(settings.retention_months),
                RwSignal::new(None),
                |s, v| s.retention_months = v,
            ),
            (
                "store-expiry-warning",
                "expiry_warning_days",
                SetupWord::ExpiryWarningDays,
                n(settings.expiry_warning_days),
                RwSignal::new(None),
                |s, v| s.expiry_warning_days = v,
            ),
            (
                "store-expectations-every",
                "expectations_every",
                SetupWord::ExpectationsEvery,
                n(settings.expectations_every),
                RwSignal::new(None),
                |s, v| s.expectations_every = v,
            ),
            (
                "store-weight-satisfaction",
                "scorecard_weights.satisfaction",
                SetupWord::WeightSatisfaction,
                n(settings.scorecard_weights.satisfaction),
                RwSignal::new(None),
                |s, v| s.scorecard_weights.satisfaction = v,
            ),
            (
                "store-weight-timeliness",
                "scorecard_weights.timeliness",
                SetupWord::WeightTimeliness,
                n(settings.scorecard_weights.timeliness),
                RwSignal::new(None),
                |s, v| s.scorecard_weights.timeliness = v,
            ),
            (
                "store-weight-accuracy",
                "scorecard_weights.accuracy",
                SetupWord::WeightAccuracy,
                n(settings.scorecard_weights.accuracy),
                RwSignal::new(None),
                |s, v| s.scorecard_weights.accuracy = v,
            ),
            (
                "store-weight-complaints",
                "scorecard_weights.complaints",
                SetupWord::WeightComplaints,
                n(settings.scorecard_weights.complaints),
                RwSignal::new(None),
                |s, v| s.scorecard_weights.complaints = v,
            ),
            (
                "store-weight-butler",
                "scorecard_weights.butler",
                SetupWord::WeightButler,
                n(settings.scorecard_weights.butler),
                RwSignal::new(None),
                |s, v| s.scorecard_weights.butler = v,
            ),
            (
                "store-weight-teamwork",
                "scorecard_weights.teamwork",
                SetupWord::WeightTeamwork,
                n(settings.scorecard_weights.teamwork),
                RwSignal::new(None),
                |s, v| s.scorecard_weights.teamwork = v,
            ),
            (
                "store-weight-discipline",
                "scorecard_weights.discipline",
                SetupWord::WeightDiscipline,
                n(settings.scorecard_weights.discipline),
                RwSignal::new(None),
                |s, v| s.scorecard_weights.discipline = v,
            ),
            (
                "store-points-per-yuan",
                "loyalty.points_per_yuan",
                SetupWord::PointsPerYuan,
                n(settings.loyalty.points_per_yuan),
                RwSignal::new(None),
                |s, v| s.loyalty.points_per_yuan = v,
            ),
            (
                "store-points-per-yuan-off",
                "loyalty.points_per_yuan_off",
                SetupWord::PointsPerYuanOff,
                n(settings.loyalty.points_per_yuan_off),
                RwSignal::new(None),
                |s, v| s.loyalty.points_per_yuan_off = v,
            ),
            (
                "store-discount-standard",
                "loyalty.level_discounts.standard",
                SetupWord::DiscountStandard,
                n(settings.loyalty.level_discounts[0].into()),
                RwSignal::new(None),
                |s, v| s.loyalty.level_discounts[0] = u8::try_from(v).unwrap_or(u8::MAX),
            ),
            (
                "store-discount-silver",
                "loyalty.level_discounts.silver",
                SetupWord::DiscountSilver,
                n(settings.loyalty.level_discounts[1].into()),
                RwSignal::new(None),
                |s, v| s.loyalty.level_discounts[1] = u8::try_from(v).unwrap_or(u8::MAX),
            ),
            (
                "store-discount-gold",
                "loyalty.level_discounts.gold",
                SetupWord::DiscountGold,
                n(settings.loyalty.level_discounts[2].into()),
                RwSignal::new(None),
                |s, v| s.loyalty.level_discounts[2] = u8::try_from(v).unwrap_or(u8::MAX),
            ),
            (
                "store-discount-diamond",
                "loyalty.level_discounts.diamond",
                SetupWord::DiscountDiamond,
                n(settings.loyalty.level_discounts[3].into()),
                RwSignal::new(None),
                |s, v| s.loyalty.level_discounts[3] = u8::try_from(v).unwrap_or(u8::MAX),
            ),
        ]
    };
    let offers = RwSignal::new(orchid_core::loyalty::offers_text(
        &settings.loyalty.top_up_offers,
    ));
    let offers_error = RwSignal::new(None::<String>);
    let hours_error = RwSignal::new(None::<String>);
    let outcome: Outcome = RwSignal::new(None);
    let days_for_save = days.clone();
    let numbers_for_save = numbers.clone();
    let save_store = Action::new_local(move |_: &()| {
        let lang = i18n.lang();
        let hours = parse_hours(&days_for_save, lang);
        let mut next = settings.clone();
        let mut ok = true;
        for (_, _, _, value, error, set) in &numbers_for_save {
            match parse_number(&value.get_untracked(), *error, lang) {
                Some(v) => set(&mut next, v),
                None => ok = false,
            }
        }
        match orchid_core::loyalty::parse_offers(&offers.get_untracked()) {
            Some(list) => {
                offers_error.set(None);
                next.loyalty.top_up_offers = list;
            }
            None => {
                offers_error.set(Some(SetupWord::TopUpOffersBad.text(lang).to_owned()));
                ok = false;
            }
        }
        // The core's range check, shown under the number it is about (the server checks again).
        if let (
            true,
            Err(StoreError::SettingOutOfRange {
                setting, min, max, ..
            }),
        ) = (ok, next.validate())
            && let Some((_, _, _, _, error, _)) = numbers_for_save.iter().find(|n| n.1 == setting)
        {
            error.set(Some(out_of_range(min, max, lang)));
            ok = false;
        }
        let typed_name = store_name.get_untracked();
        let name = if typed_name.trim().is_empty() {
            store_name_error.set(None);
            None
        } else {
            let parsed = parse_name(&typed_name, store_name_error, lang);
            ok &= parsed.is_some();
            parsed
        };
        let id = store.store_id();
        async move {
            let hours = match hours {
                Ok(h) => {
                    hours_error.set(None);
                    h
                }
                Err(text) => {
                    hours_error.set(Some(text));
                    return;
                }
            };
            let Some(id) = id else { return };
            if !ok {
                return;
            }
            let mut fields = vec![StoreField::OpeningHours(hours), StoreField::Settings(next)];
            if let Some(name) = name {
                fields.insert(0, StoreField::Name(name));
            }
            let change = Change::StoreUpsert { id, fields };
            outcome.set(Some(save(vec![change], lang).await));
        }
    });
    view! {
        <section aria-labelledby="setup-store">
            <h2 id="setup-store">{sw(i18n, SetupWord::TabStore)}</h2>
            <form
                class="setup-form"
                on:submit=move |ev| {
                    ev.prevent_default();
                    save_store.dispatch(());
                }
            >
                <Field id="store-name" label=SetupWord::StoreName value=store_name error=store_name_error/>
                <fieldset>
                    <legend>{sw(i18n, SetupWord::OpeningHours)}</legend>
                    <table class="setup-table">
                        <tbody>
                            {days
                                .into_iter()
                                .map(|d| {
                                    let open_id = format!("hours-{:?}-open", d.day);
                                    let close_id = format!("hours-{:?}-close", d.day);
                                    view! {
                                        <tr>
                                            <th scope="row">{move || weekday_name(d.day, i18n.lang())}</th>
                                            <td>
                                                <label for=open_id.clone()>{sw(i18n, SetupWord::Opens)}</label>
                                                " "
                                                <input
                                                    id=open_id
                                                    type="time"
                                                    prop:value=d.open
                                                    on:input=move |ev| d.open.set(event_target_value(&ev))
                                                />
                                            </td>
                                            <td>
                                                <label for=close_id.clone()>{sw(i18n, SetupWord::Closes)}</label>
                                                " "
                                                <input
                                                    id=close_id
                                                    type="time"
                                                    prop:value=d.close
                                                    on:input=move |ev| d.close.set(event_target_value(&ev))
                                                />
                                            </td>
                                            <td>
                                                <button
                                                    type="button"
                                                    class="button button--secondary"
                                                    on:click=move |_| {
                                                        d.open.set(String::new());
                                                        d.close.set(String::new());
                                                    }
                                                >
                                                    {sw(i18n, SetupWord::Closed)}
                                                </button>
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                    <p class="field-error" role="alert">{move || hours_error.get()}</p>
                </fieldset>
                <fieldset>
                    <legend>{sw(i18n, SetupWord::FlowLimits)}</legend>
                    <div class="field-grid">
                        {numbers
                            .into_iter()
                            .map(|(id, _, label, value, error, _)| {
                                view! {
                                    <Field id=id label=label value=value error=error kind="number"/>
                                }
                            })
                            .collect_view()}
                    </div>
                    <Field id="store-top-up-offers" label=SetupWord::TopUpOffers value=offers error=offers_error hint=SetupWord::TopUpOffersHint/>
                </fieldset>
                <button type="submit" class="button">{sw(i18n, SetupWord::SaveStore)}</button>
                {outcome_view(outcome)}
            </form>
        </section>
    }
}
