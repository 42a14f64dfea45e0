//! Internal checks ([supervision], seeds 000 and 003): the checks due in this period (per room
//! for the daily hygiene check), doing one on a tablet — big pass / fail / not-applicable buttons,
//! a note required on a failed item — the corrective actions (assign a responsible person and a
//! deadline, close with what was done, verify), the history, and the checklists for the manager.
//! Offline like every page; who may do what follows the core's matrix (`CheckDo`,
//! `CheckSupervise`, `CheckTemplateManage`), and the server checks it again.
use std::collections::BTreeMap;

use chrono::NaiveDate;
use leptos::prelude::*;
use orchid_core::ids::{CheckTemplateId, CorrectiveActionId, RoomId, StaffId};
use orchid_core::internal_check::{
    ActionStatus, CheckItem, CheckKind, CheckRecord, CheckSchedule, CheckTemplate,
    CheckTemplateField, Conduct, CorrectiveActionView, DueState, Outcome, Words,
};
use orchid_core::permission::{self, Action as Permit, Sensitivity};
use orchid_core::record::FieldSet;
use orchid_core::text::Note;

use crate::components::store_error_text;
use crate::format::local_text;
use crate::i18n::Lang;
use crate::i18n::check_words::CheckWord;
use crate::state::complaints::staff_name;
use crate::state::store::{StoreHandle, store_offset, use_store};
use crate::state::use_i18n;

/// Which form is open (one at a time, so a tablet's screen is not a wall of inputs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Panel {
    Closed,
    Doing(CheckTemplateId, Option<RoomId>),
    NewTemplate,
    EditTemplate(CheckTemplateId),
}

fn may(store: StoreHandle, action: Permit) -> bool {
    permission::allowed(store.role(), action, Sensitivity::Ordinary)
}

fn zh(lang: Lang) -> bool {
    lang == Lang::Zh
}

fn kind_word(kind: CheckKind) -> CheckWord {
    match kind {
        CheckKind::Hygiene => CheckWord::KindHygiene,
        CheckKind::ServiceFlow => CheckWord::KindServiceFlow,
        CheckKind::FeedbackHandling => CheckWord::KindFeedback,
        CheckKind::InformationCompliance => CheckWord::KindInformation,
        CheckKind::StaffConduct => CheckWord::KindStaffConduct,
    }
}

fn kind_code(kind: CheckKind) -> &'static str {
    match kind {
        CheckKind::Hygiene => "hygiene",
        CheckKind::ServiceFlow => "service_flow",
        CheckKind::FeedbackHandling => "feedback_handling",
        CheckKind::InformationCompliance => "information_compliance",
        CheckKind::StaffConduct => "staff_conduct",
    }
}

fn schedule_word(s: CheckSchedule) -> CheckWord {
    match s {
        CheckSchedule::Daily => CheckWord::Daily,
        CheckSchedule::Weekly => CheckWord::Weekly,
        CheckSchedule::Monthly => CheckWord::Monthly,
    }
}

fn schedule_code(s: CheckSchedule) -> &'static str {
    match s {
        CheckSchedule::Daily => "daily",
        CheckSchedule::Weekly => "weekly",
        CheckSchedule::Monthly => "monthly",
    }
}

fn room_name(store: StoreHandle, lang: Lang, room: Option<RoomId>) -> String {
    match room {
        Some(id) => store
            .rooms()
            .into_iter()
            .find(|r| r.id == id)
            .map(|r| r.name.to_string())
            .unwrap_or_else(|| "?".to_owned()),
        None => CheckWord::WholeStore.text(lang).to_owned(),
    }
}

fn template_name(store: StoreHandle, lang: Lang, id: CheckTemplateId) -> String {
    store
        .check_template(id)
        .map(|t| t.name.get(zh(lang)).to_owned())
        .unwrap_or_else(|| "?".to_owned())
}

#[component]
pub fn ChecksPage() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let panel = RwSignal::new(Panel::Closed);
    let saved = RwSignal::new(None::<CheckWord>);
    view! {
        <h1>{move || CheckWord::Title.text(lang())}</h1>
        <p class="page-intro">{move || CheckWord::Intro.text(lang())}</p>
        <Show when=move || store.ready.get() fallback=|| ()>
            <Show when=move || saved.get().is_some()>
                <p class="checks-saved" role="status" data-testid="check-saved">
                    {move || saved.get().map(|w| w.text(lang()))}
                </p>
            </Show>
            {move || match panel.get() {
                Panel::Doing(template, room) => view! {
                    <DoCheck template=template room=room panel=panel saved=saved/>
                }.into_any(),
                _ => view! { <DueList panel=panel saved=saved/> }.into_any(),
            }}
            <Actions/>
            <History/>
            <Templates panel=panel/>
        </Show>
    }
}

/// The checks of this period still to do, the missed ones first.
#[component]
fn DueList(panel: RwSignal<Panel>, saved: RwSignal<Option<CheckWord>>) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let due = Memo::new(move |_| store.checks_to_do());
    view! {
        <section class="checks-section" aria-labelledby="checks-due-title">
            <h2 id="checks-due-title">{move || CheckWord::DueTitle.text(lang())}</h2>
            <Show when=move || due.with(Vec::is_empty)>
                <p class="empty-state" data-testid="nothing-due">{move || CheckWord::NothingDue.text(lang())}</p>
            </Show>
            <ul class="checks-due plain-list">
                {move || due.get().into_iter().map(|d| {
                    let template = store.check_template(d.template_id);
                    let may_do = template.as_ref().is_some_and(|t| may(store, t.kind.action()));
                    let name = move || template_name(store, lang(), d.template_id);
                    let room = move || room_name(store, lang(), d.room_id);
                    let (class, badge) = match d.state {
                        DueState::Overdue { since } => ("badge badge--danger", Some(since)),
                        _ => ("badge badge--warn", None),
                    };
                    let testid_room = room_name(store, Lang::En, d.room_id);
                    view! {
                        <li class="card checks-due__item" data-testid="due-check" data-room=testid_room data-state=if badge.is_some() { "overdue" } else { "due" }>
                            <div>
                                <strong>{name}</strong>
                                <span class="hint">" · " {room}</span>
                                " "
                                <span class=class>
                                    {move || match badge {
                                        Some(since) => format!("{} {since}", CheckWord::OverdueSince.text(lang())),
                                        None => CheckWord::Due.text(lang()).to_owned(),
                                    }}
                                </span>
                            </div>
                            <Show when=move || may_do>
                                <button type="button" data-testid="start-check" on:click=move |_| {
                                    saved.set(None);
                                    panel.set(Panel::Doing(d.template_id, d.room_id));
                                }>
                                    {move || CheckWord::Start.text(lang())}
                                </button>
                            </Show>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// Doing a check: each item answered with a big button; a failed item's note is required.
#[component]
fn DoCheck(
    template: CheckTemplateId,
    room: Option<RoomId>,
    panel: RwSignal<Panel>,
    saved: RwSignal<Option<CheckWord>>,
) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let Some(t) = store.check_template(template) else {
        return ().into_any();
    };
    let answers: RwSignal<BTreeMap<u16, Outcome>> = RwSignal::new(BTreeMap::new());
    let notes: RwSignal<BTreeMap<u16, String>> = RwSignal::new(BTreeMap::new());
    let error = RwSignal::new(None::<String>);
    let record_template = StoredValue::new(t.clone());
    // A staff spot check is of one person: whom, chosen from the store's active staff but the
    // one checking.
    let of_person = t.kind == CheckKind::StaffConduct;
    let subject = RwSignal::new(String::new());
    let me = store.actor().ok().map(|a| a.staff_id);
    let people = store
        .staff()
        .into_iter()
        .filter(|s| s.active && Some(s.id) != me)
        .collect::<Vec<_>>();
    let save = Action::new_local(move |_: &()| async move {
        let lang = i18n.lang();
        let template = record_template.get_value();
        let person = if of_person {
            let chosen = subject.get_untracked();
            let Some(id) = chosen.parse::<uuid::Uuid>().ok().map(StaffId) else {
                return Err(CheckWord::ChoosePerson.text(lang).to_owned());
            };
            Some(id)
        } else {
            None
        };
        let answers = answers.get_untracked();
        let notes = notes.get_untracked();
        let mut list = Vec::new();
        for item in &template.items {
            let Some(outcome) = answers.get(&item.id).copied() else {
                return Err(CheckWord::AnswerEvery.text(lang).to_owned());
            };
            let raw = notes.get(&item.id).cloned().unwrap_or_default();
            let note =
                Note::parse(&raw).map_err(|_| CheckWord::NoteTooLong.text(lang).to_owned())?;
            if outcome == Outcome::Fail && note.is_empty() {
                return Err(CheckWord::FailNeedsNote.text(lang).to_owned());
            }
            list.push((item.id, outcome, note));
        }
        let failed = list.iter().any(|(_, o, _)| *o == Outcome::Fail);
        store
            .record_check(&template, room, person, list)
            .await
            .map_err(|e| store_error_text(lang, &e).to_owned())?;
        Ok(failed)
    });
    Effect::new(move || match save.value().get() {
        Some(Ok(failed)) => {
            error.set(None);
            saved.set(Some(if failed {
                CheckWord::CheckSavedWithActions
            } else {
                CheckWord::CheckSaved
            }));
            panel.set(Panel::Closed);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let name = t.name.clone();
    let items = t.items.clone();
    view! {
        <form class="card checks-do" data-testid="check-form" aria-labelledby="check-form-title" on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
            <h2 id="check-form-title">
                {move || name.get(zh(lang())).to_owned()}
                {(!of_person).then(|| view! { " · " {move || room_name(store, lang(), room)} })}
            </h2>
            {of_person.then(|| view! {
                <div class="field">
                    <label for="check-subject">{move || CheckWord::PersonChecked.text(lang())}</label>
                    <select id="check-subject" data-testid="check-subject" aria-required="true" on:change=move |ev| subject.set(event_target_value(&ev))>
                        <option value="" selected>{move || CheckWord::ChoosePerson.text(lang())}</option>
                        {people.iter().map(|p| view! { <option value=p.id.to_string()>{p.name.to_string()}</option> }).collect_view()}
                    </select>
                </div>
            })}
            <ol class="checks-items plain-list">
                {items.into_iter().map(|item| view! { <ItemAnswer item=item answers=answers notes=notes/> }).collect_view()}
            </ol>
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert" data-testid="check-error">{move || error.get()}</p>
            </Show>
            <div class="form-actions">
                <button type="submit" data-testid="save-check">{move || CheckWord::SaveCheck.text(lang())}</button>
                <button type="button" class="button--secondary" on:click=move |_| panel.set(Panel::Closed)>
                    {move || CheckWord::Cancel.text(lang())}
                </button>
            </div>
        </form>
    }
    .into_any()
}

#[component]
fn ItemAnswer(
    item: CheckItem,
    answers: RwSignal<BTreeMap<u16, Outcome>>,
    notes: RwSignal<BTreeMap<u16, String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let id = item.id;
    let text = item.text.clone();
    let label_id = format!("check-item-{id}");
    let note_id = format!("check-note-{id}");
    let current = move || answers.with(|a| a.get(&id).copied());
    let failed = move || current() == Some(Outcome::Fail);
    let choice = move |outcome: Outcome,
                       word: CheckWord,
                       class: &'static str,
                       code: &'static str| {
        view! {
            <button
                type="button"
                class=move || format!("checks-answer {class}{}", if current() == Some(outcome) { " is-chosen" } else { "" })
                aria-pressed=move || if current() == Some(outcome) { "true" } else { "false" }
                data-testid=format!("answer-{code}")
                on:click=move |_| answers.update(|a| { a.insert(id, outcome); })
            >
                {move || word.text(lang())}
            </button>
        }
    };
    let english = text.en.to_string();
    let note_id2 = note_id.clone();
    view! {
        <li class="checks-item" data-testid="check-item" data-item=english>
            <p class="checks-item__text" id=label_id.clone()>{move || text.get(zh(lang())).to_owned()}</p>
            <div class="checks-answers" role="group" aria-labelledby=label_id>
                {choice(Outcome::Pass, CheckWord::Pass, "checks-answer--pass", "pass")}
                {choice(Outcome::Fail, CheckWord::Fail, "checks-answer--fail", "fail")}
                {choice(Outcome::NotApplicable, CheckWord::NotApplicable, "checks-answer--na", "na")}
            </div>
            <div class="field checks-item__note">
                <label for=note_id.clone()>
                    {move || if failed() { CheckWord::NoteRequired.text(lang()) } else { CheckWord::Note.text(lang()) }}
                </label>
                <textarea
                    id=note_id2
                    rows="2"
                    data-testid="item-note"
                    aria-required=move || if failed() { "true" } else { "false" }
                    prop:value=move || notes.with(|n| n.get(&id).cloned().unwrap_or_default())
                    on:input=move |ev| notes.update(|n| { n.insert(id, event_target_value(&ev)); })
                ></textarea>
            </div>
        </li>
    }
}

/// The corrective actions not yet verified, each with what the person's role may do next.
#[component]
fn Actions() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let open = Memo::new(move |_| {
        store
            .corrective_actions()
            .into_iter()
            .filter(|a| a.status != ActionStatus::Verified)
            .collect::<Vec<_>>()
    });
    view! {
        <section class="checks-section" aria-labelledby="checks-actions-title">
            <h2 id="checks-actions-title">{move || CheckWord::ActionsTitle.text(lang())}</h2>
            <Show when=move || open.with(Vec::is_empty)>
                <p class="empty-state" data-testid="no-actions">{move || CheckWord::NoActions.text(lang())}</p>
            </Show>
            <div class="checks-actions">
                <For each=move || open.get() key=|a| format!("{a:?}") let:a>
                    <ActionCard action=a/>
                </For>
            </div>
        </section>
    }
}

fn status_word(status: ActionStatus) -> CheckWord {
    match status {
        ActionStatus::Open => CheckWord::StatusOpen,
        ActionStatus::Done => CheckWord::StatusDone,
        ActionStatus::Verified => CheckWord::StatusVerified,
    }
}

#[component]
fn ActionCard(action: CorrectiveActionView) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let offset = store_offset(store);
    let id = action.id;
    let today = store.store_today();
    let overdue = action.is_overdue(today);
    let status = action.status;
    let supervise = may(store, Permit::CheckSupervise);
    let may_do = may(store, Permit::CheckDo);
    let text = action.text.clone();
    let note = action.note.to_string();
    let room = action.room_id;
    let raised = format!(
        "{} · {}",
        staff_name(store, action.raised_by).unwrap_or_default(),
        local_text(offset, action.raised_at)
    );
    let responsible = action.responsible.and_then(|s| staff_name(store, s));
    let deadline = action.deadline;
    let done = action.done.clone().map(|(by, at, what)| {
        (
            format!(
                "{} · {}",
                staff_name(store, by).unwrap_or_default(),
                local_text(offset, at)
            ),
            what.to_string(),
        )
    });
    let heading = format!("action-{id}");
    let labelled_by = heading.clone();
    let english = action.text.en.to_string();
    let stored = StoredValue::new(action);
    view! {
        <article class="card checks-action" data-testid="action" data-item=english data-status=format!("{status:?}").to_lowercase() aria-labelledby=labelled_by>
            <header class="checks-action__head">
                <h3 id=heading>{move || text.get(zh(lang())).to_owned()}</h3>
                <span class=if status == ActionStatus::Open { "badge badge--warn" } else { "badge" } data-testid="action-status">
                    {move || status_word(status).text(lang())}
                </span>
                {overdue.then(|| view! { " " <span class="badge badge--danger" data-testid="action-overdue">{move || CheckWord::Overdue.text(lang())}</span> })}
            </header>
            <p class="checks-action__note">{note}</p>
            <dl class="checks-facts">
                <dt>{move || CheckWord::FoundBy.text(lang())}</dt>
                <dd>{move || room_name(store, lang(), room)} " · " {raised.clone()}</dd>
                <dt>{move || CheckWord::Responsible.text(lang())}</dt>
                <dd data-testid="action-responsible">
                    {match (responsible.clone(), deadline) {
                        (Some(who), Some(d)) => view! { {who} " · " {move || CheckWord::Deadline.text(lang())} " " {d.to_string()} }.into_any(),
                        _ => view! { {move || CheckWord::NotAssigned.text(lang())} }.into_any(),
                    }}
                </dd>
                {done.clone().map(|(who, what)| view! {
                    <dt>{move || CheckWord::DoneBy.text(lang())}</dt>
                    <dd data-testid="action-done">{who}</dd>
                    <dt>{move || CheckWord::WhatWasDone.text(lang())}</dt>
                    <dd data-testid="action-what">{what}</dd>
                })}
            </dl>
            {(status == ActionStatus::Open && supervise).then(|| view! { <AssignForm action=id/> })}
            {(status == ActionStatus::Open && may_do).then(|| view! { <CloseForm action=id/> })}
            {(status == ActionStatus::Done && supervise).then(|| view! { <VerifyButton action=stored.get_value()/> })}
        </article>
    }
}

#[component]
fn AssignForm(action: CorrectiveActionId) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let staff = store.staff();
    let who = RwSignal::new(String::new());
    let deadline = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let save = Action::new_local(move |_: &()| async move {
        let lang = i18n.lang();
        let person: StaffId = who
            .get_untracked()
            .parse::<uuid::Uuid>()
            .map(StaffId)
            .map_err(|_| CheckWord::ChooseResponsible.text(lang).to_owned())?;
        let day = NaiveDate::parse_from_str(&deadline.get_untracked(), "%Y-%m-%d")
            .map_err(|_| CheckWord::ChooseDeadline.text(lang).to_owned())?;
        store
            .assign_action(action, person, day)
            .await
            .map_err(|e| store_error_text(lang, &e).to_owned())
    });
    Effect::new(move || {
        if let Some(Err(e)) = save.value().get() {
            error.set(Some(e));
        }
    });
    let f_who = format!("assign-who-{action}");
    let f_day = format!("assign-day-{action}");
    view! {
        <form class="checks-inline" data-testid="assign-form" on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
            <div class="field">
                <label for=f_who.clone()>{move || CheckWord::Responsible.text(lang())}</label>
                <select id=f_who data-testid="assign-who" on:change=move |ev| who.set(event_target_value(&ev))>
                    <option value="">"—"</option>
                    {staff.into_iter().filter(|s| s.active).map(|s| view! {
                        <option value=s.id.to_string()>{s.name.to_string()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for=f_day.clone()>{move || CheckWord::Deadline.text(lang())}</label>
                <input id=f_day type="date" data-testid="assign-deadline" prop:value=deadline on:input=move |ev| deadline.set(event_target_value(&ev))/>
            </div>
            <button type="submit" data-testid="assign">{move || CheckWord::Assign.text(lang())}</button>
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert">{move || error.get()}</p>
            </Show>
        </form>
    }
}

#[component]
fn CloseForm(action: CorrectiveActionId) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let what = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let save = Action::new_local(move |_: &()| async move {
        let lang = i18n.lang();
        let note = Note::parse(&what.get_untracked())
            .map_err(|_| CheckWord::NoteTooLong.text(lang).to_owned())?;
        if note.is_empty() {
            return Err(CheckWord::SayWhatWasDone.text(lang).to_owned());
        }
        store
            .close_action(action, note)
            .await
            .map_err(|e| store_error_text(lang, &e).to_owned())
    });
    Effect::new(move || {
        if let Some(Err(e)) = save.value().get() {
            error.set(Some(e));
        }
    });
    let f_what = format!("close-what-{action}");
    view! {
        <form class="checks-inline" data-testid="close-form" on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
            <div class="field checks-inline__wide">
                <label for=f_what.clone()>{move || CheckWord::WhatWasDone.text(lang())}</label>
                <textarea id=f_what rows="2" data-testid="close-what" prop:value=what on:input=move |ev| what.set(event_target_value(&ev))></textarea>
            </div>
            <button type="submit" data-testid="mark-done">{move || CheckWord::MarkDone.text(lang())}</button>
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert" data-testid="close-error">{move || error.get()}</p>
            </Show>
        </form>
    }
}

#[component]
fn VerifyButton(action: CorrectiveActionView) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let stored = StoredValue::new(action);
    let error = RwSignal::new(None::<String>);
    let verify = Action::new_local(move |_: &()| async move {
        let lang = i18n.lang();
        store
            .verify_action(&stored.get_value())
            .await
            .map_err(|e| store_error_text(lang, &e).to_owned())
    });
    Effect::new(move || {
        if let Some(Err(e)) = verify.value().get() {
            error.set(Some(e));
        }
    });
    view! {
        <div class="checks-inline">
            <button type="button" data-testid="verify" on:click=move |_| { verify.dispatch(()); }>
                {move || CheckWord::Verify.text(lang())}
            </button>
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert" data-testid="verify-error">{move || error.get()}</p>
            </Show>
        </div>
    }
}

/// The checks done, newest first, and the actions verified.
#[component]
fn History() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let offset = store_offset(store);
    // A spot check of a person is hers and her supervisors' to read, not her colleagues'.
    let me = store.actor().ok().map(|a| a.staff_id);
    let done = Memo::new(move |_| {
        let supervises = may(store, Permit::CheckSupervise);
        let mut list = store
            .checks_done()
            .into_iter()
            .filter(|c| c.subject.is_none() || supervises || c.subject == me)
            .collect::<Vec<_>>();
        list.truncate(50);
        list
    });
    let verified = Memo::new(move |_| {
        store
            .corrective_actions()
            .into_iter()
            .filter(|a| a.status == ActionStatus::Verified)
            .collect::<Vec<_>>()
    });
    let row = move |c: CheckRecord| {
        let count = |o: Outcome| c.results.iter().filter(|r| r.outcome == o).count();
        let (pass, fail, na) = (
            count(Outcome::Pass),
            count(Outcome::Fail),
            count(Outcome::NotApplicable),
        );
        let who = staff_name(store, c.by).unwrap_or_default();
        let failed: Vec<(Words, String)> = c
            .failed()
            .map(|r| (r.text.clone(), r.note.to_string()))
            .collect();
        let (template, room) = (c.template_id, c.room_id);
        let subject = c.subject.and_then(|s| staff_name(store, s));
        view! {
            <tr data-testid="history-row">
                <td>{local_text(offset, c.at)}</td>
                <td>
                    {move || template_name(store, lang(), template)} " · "
                    {match subject.clone() {
                        Some(name) => name.into_any(),
                        None => (move || room_name(store, lang(), room)).into_any(),
                    }}
                </td>
                <td>{who}</td>
                <td>
                    {move || format!("{pass} {} · {fail} {} · {na} {}", CheckWord::PassedCount.text(lang()), CheckWord::FailedCount.text(lang()), CheckWord::NaCount.text(lang()))}
                    <ul class="plain-list checks-failed">
                        {failed.into_iter().map(|(text, note)| view! {
                            <li>{move || text.get(zh(lang())).to_owned()} {move || CheckWord::NoteSep.text(lang())} {note}</li>
                        }).collect_view()}
                    </ul>
                </td>
            </tr>
        }
    };
    view! {
        <section class="checks-section" aria-labelledby="checks-history-title">
            <h2 id="checks-history-title">{move || CheckWord::HistoryTitle.text(lang())}</h2>
            <Show
                when=move || !done.with(Vec::is_empty)
                fallback=move || view! { <p class="empty-state">{move || CheckWord::NoHistory.text(lang())}</p> }
            >
                <table class="checks-table">
                    <caption class="visually-hidden">{move || CheckWord::HistoryTitle.text(lang())}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || CheckWord::When.text(lang())}</th>
                            <th scope="col">{move || CheckWord::Checklist.text(lang())}</th>
                            <th scope="col">{move || CheckWord::By.text(lang())}</th>
                            <th scope="col">{move || CheckWord::Results.text(lang())}</th>
                        </tr>
                    </thead>
                    <tbody>{move || done.get().into_iter().map(row).collect_view()}</tbody>
                </table>
            </Show>
            <Show when=move || !verified.with(Vec::is_empty)>
                <h3>{move || CheckWord::ClosedActions.text(lang())}</h3>
                <ul class="plain-list checks-verified">
                    {move || verified.get().into_iter().map(|a| {
                        let text = a.text.clone();
                        let what = a.done.as_ref().map(|(_, _, w)| w.to_string()).unwrap_or_default();
                        let by = a.verified.and_then(|(by, _)| staff_name(store, by)).unwrap_or_default();
                        view! {
                            <li data-testid="verified-action">
                                {move || text.get(zh(lang())).to_owned()} " — " {what} " · "
                                {move || CheckWord::VerifiedBy.text(lang())} " " {by}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </Show>
        </section>
    }
}

/// The checklists: everyone sees them; the manager writes them.
#[component]
fn Templates(panel: RwSignal<Panel>) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let templates = Memo::new(move |_| store.check_templates());
    let may_edit = move || may(store, Permit::CheckTemplateManage);
    view! {
        <section class="checks-section" aria-labelledby="checks-templates-title">
            <div class="page-head">
                <h2 id="checks-templates-title">{move || CheckWord::TemplatesTitle.text(lang())}</h2>
                <Show when=move || may_edit() && panel.get() != Panel::NewTemplate>
                    <button type="button" class="button--secondary" data-testid="new-template" on:click=move |_| panel.set(Panel::NewTemplate)>
                        {move || CheckWord::NewTemplate.text(lang())}
                    </button>
                </Show>
            </div>
            <Show when=move || panel.get() == Panel::NewTemplate>
                <TemplateForm template=None panel=panel/>
            </Show>
            <ul class="plain-list checks-templates">
                <For each=move || templates.get() key=|t| format!("{t:?}") let:t>
                    {
                        let id = t.id;
                        let kind = t.kind;
                        let schedule = t.schedule;
                        let per_room = t.per_room;
                        let active = t.active;
                        let count = t.items.len();
                        let name = t.name.clone();
                        let english = t.name.en.to_string();
                        let editing = move || panel.get() == Panel::EditTemplate(id);
                        let edit = t.clone();
                        view! {
                            <li class="card checks-template" data-testid="template" data-name=english>
                                <div class="checks-template__head">
                                    <div>
                                        <strong>{move || name.get(zh(lang())).to_owned()}</strong>
                                        <p class="hint">
                                            {move || kind_word(kind).text(lang())} " · "
                                            {move || schedule_word(schedule).text(lang())}
                                            {move || per_room.then(|| format!(" · {}", CheckWord::PerRoom.text(lang())))}
                                            " · " {count} " " {move || CheckWord::ItemsCount.text(lang())}
                                            {move || (!active).then(|| format!(" · {}", CheckWord::NotInUse.text(lang())))}
                                        </p>
                                    </div>
                                    <Show when=move || may_edit() && !editing()>
                                        <button type="button" class="button--secondary" data-testid="edit-template" on:click=move |_| panel.set(Panel::EditTemplate(id))>
                                            {move || CheckWord::EditTemplate.text(lang())}
                                        </button>
                                    </Show>
                                </div>
                                <Show when=editing>
                                    <TemplateForm template=Some(edit.clone()) panel=panel/>
                                </Show>
                            </li>
                        }
                    }
                </For>
            </ul>
        </section>
    }
}

/// The items typed one per line in each language, numbered: an edited list keeps the numbers of
/// the lines it keeps in place (the history and actions point at them), new lines get new ones.
fn items_of(
    zh_lines: &str,
    en_lines: &str,
    before: &[CheckItem],
    kind: CheckKind,
) -> Result<Vec<CheckItem>, CheckWord> {
    let zh: Vec<&str> = zh_lines.lines().map(str::trim).collect();
    let en: Vec<&str> = en_lines.lines().map(str::trim).collect();
    let count = zh.len().max(en.len());
    let mut next = before.iter().map(|i| i.id).max().unwrap_or(0);
    let mut items = Vec::new();
    for n in 0..count {
        let z = zh.get(n).copied().unwrap_or("");
        let e = en.get(n).copied().unwrap_or("");
        if z.is_empty() && e.is_empty() {
            continue;
        }
        let text = Words::parse(z, e).map_err(|_| CheckWord::TooLong)?;
        let id = match before.get(n) {
            Some(b) => b.id,
            None => {
                next += 1;
                next
            }
        };
        // A spot-check line keeps what it counts for; a new one counts for discipline (the
        // store's rules) until the core learns otherwise.
        let conduct = (kind == CheckKind::StaffConduct).then(|| {
            before
                .get(n)
                .and_then(|b| b.conduct)
                .unwrap_or(Conduct::Discipline)
        });
        items.push(CheckItem { id, text, conduct });
    }
    if items.is_empty() {
        return Err(CheckWord::ItemsNeeded);
    }
    Ok(items)
}

#[component]
fn TemplateForm(template: Option<CheckTemplate>, panel: RwSignal<Panel>) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let id = template.as_ref().map(|t| t.id);
    let original = StoredValue::new(template.clone());
    let lines = |f: fn(&Words) -> String| {
        template
            .as_ref()
            .map(|t| {
                t.items
                    .iter()
                    .map(|i| f(&i.text))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default()
    };
    let name_zh = RwSignal::new(
        template
            .as_ref()
            .map(|t| t.name.zh.to_string())
            .unwrap_or_default(),
    );
    let name_en = RwSignal::new(
        template
            .as_ref()
            .map(|t| t.name.en.to_string())
            .unwrap_or_default(),
    );
    let items_zh = RwSignal::new(lines(|w| w.zh.to_string()));
    let items_en = RwSignal::new(lines(|w| w.en.to_string()));
    let kind = RwSignal::new(template.as_ref().map_or(CheckKind::Hygiene, |t| t.kind));
    let schedule = RwSignal::new(
        template
            .as_ref()
            .map_or(CheckSchedule::Daily, |t| t.schedule),
    );
    let per_room = RwSignal::new(template.as_ref().is_some_and(|t| t.per_room));
    let active = RwSignal::new(template.as_ref().is_none_or(|t| t.active));
    let counted_from = RwSignal::new(
        template
            .as_ref()
            .and_then(|t| t.counted_from)
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    let error = RwSignal::new(None::<String>);
    let save = Action::new_local(move |_: &()| async move {
        let lang = i18n.lang();
        let before = original.get_value();
        let (zh, en) = (name_zh.get_untracked(), name_en.get_untracked());
        if zh.trim().is_empty() && en.trim().is_empty() {
            return Err(CheckWord::NameNeeded.text(lang).to_owned());
        }
        let name = Words::parse(&zh, &en).map_err(|_| CheckWord::TooLong.text(lang).to_owned())?;
        let old_items = before.as_ref().map(|t| t.items.clone()).unwrap_or_default();
        let items = items_of(
            &items_zh.get_untracked(),
            &items_en.get_untracked(),
            &old_items,
            kind.get_untracked(),
        )
        .map_err(|w| w.text(lang).to_owned())?;
        let from = counted_from.get_untracked();
        let from = if from.trim().is_empty() {
            None
        } else {
            NaiveDate::parse_from_str(from.trim(), "%Y-%m-%d").ok()
        };
        let mut fields = vec![
            CheckTemplateField::Name(name),
            CheckTemplateField::Kind(kind.get_untracked()),
            CheckTemplateField::Items(items),
            CheckTemplateField::Schedule(schedule.get_untracked()),
            CheckTemplateField::PerRoom(per_room.get_untracked()),
            CheckTemplateField::Active(active.get_untracked()),
            CheckTemplateField::CountedFrom(from),
        ];
        // An edit sends only what changed, so another device's edit of another field stands.
        if let Some(before) = before {
            let unchanged = CheckTemplateField::all_from(&before);
            fields.retain(|f| !unchanged.contains(f));
            if fields.is_empty() {
                return Ok(before.id);
            }
        }
        store
            .save_check_template(id, fields)
            .await
            .map_err(|e| store_error_text(lang, &e).to_owned())
    });
    Effect::new(move || match save.value().get() {
        Some(Ok(_)) => {
            error.set(None);
            panel.set(Panel::Closed);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let key = id.map_or_else(|| "new".to_owned(), |id| id.to_string());
    let f = |field: &str| format!("template-{field}-{key}");
    let (f_zh, f_en, f_kind, f_schedule, f_items_zh, f_items_en, f_from) = (
        f("name-zh"),
        f("name-en"),
        f("kind"),
        f("schedule"),
        f("items-zh"),
        f("items-en"),
        f("from"),
    );
    let (f_hint, f_from_hint) = (f("items-hint"), f("from-hint"));
    let (f_hint2, f_hint3, f_from_hint2) = (f_hint.clone(), f_hint.clone(), f_from_hint.clone());
    view! {
        <form class="checks-template-form" data-testid="template-form" on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
            <div class="field-row">
                <div class="field">
                    <label for=f_zh.clone()>{move || CheckWord::NameZh.text(lang())}</label>
                    <input id=f_zh type="text" maxlength="200" prop:value=name_zh on:input=move |ev| name_zh.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for=f_en.clone()>{move || CheckWord::NameEn.text(lang())}</label>
                    <input id=f_en type="text" maxlength="200" prop:value=name_en on:input=move |ev| name_en.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for=f_kind.clone()>{move || CheckWord::Kind.text(lang())}</label>
                    <select id=f_kind on:change=move |ev| {
                        let code = event_target_value(&ev);
                        if let Some(k) = CheckKind::ALL.into_iter().find(|k| kind_code(*k) == code) { kind.set(k); }
                    }>
                        {CheckKind::ALL.into_iter().map(|k| view! {
                            <option value=kind_code(k) selected=move || kind.get() == k>{move || kind_word(k).text(lang())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for=f_schedule.clone()>{move || CheckWord::Schedule.text(lang())}</label>
                    <select id=f_schedule on:change=move |ev| {
                        let code = event_target_value(&ev);
                        if let Some(s) = [CheckSchedule::Daily, CheckSchedule::Weekly, CheckSchedule::Monthly].into_iter().find(|s| schedule_code(*s) == code) { schedule.set(s); }
                    }>
                        {[CheckSchedule::Daily, CheckSchedule::Weekly, CheckSchedule::Monthly].into_iter().map(|s| view! {
                            <option value=schedule_code(s) selected=move || schedule.get() == s>{move || schedule_word(s).text(lang())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for=f_from.clone()>{move || CheckWord::CountedFrom.text(lang())}</label>
                    <input id=f_from type="date" data-testid="template-counted-from" aria-describedby=f_from_hint prop:value=counted_from on:input=move |ev| counted_from.set(event_target_value(&ev))/>
                    <span class="hint" id=f_from_hint2>{move || CheckWord::CountedFromHint.text(lang())}</span>
                </div>
            </div>
            <div class="field-row">
                <div class="field">
                    <label for=f_items_zh.clone()>{move || CheckWord::ItemsZh.text(lang())}</label>
                    <textarea id=f_items_zh rows="7" aria-describedby=f_hint2 prop:value=items_zh on:input=move |ev| items_zh.set(event_target_value(&ev))></textarea>
                </div>
                <div class="field">
                    <label for=f_items_en.clone()>{move || CheckWord::ItemsEn.text(lang())}</label>
                    <textarea id=f_items_en rows="7" aria-describedby=f_hint3 prop:value=items_en on:input=move |ev| items_en.set(event_target_value(&ev))></textarea>
                </div>
            </div>
            <p class="hint" id=f_hint>{move || CheckWord::ItemsHint.text(lang())}</p>
            <label class="check">
                <input type="checkbox" prop:checked=per_room on:change=move |ev| per_room.set(event_target_checked(&ev))/>
                {move || CheckWord::PerRoom.text(lang())}
            </label>
            <label class="check">
                <input type="checkbox" prop:checked=active on:change=move |ev| active.set(event_target_checked(&ev))/>
                {move || CheckWord::InUse.text(lang())}
            </label>
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert">{move || error.get()}</p>
            </Show>
            <div class="form-actions">
                <button type="submit" data-testid="save-template">{move || CheckWord::Save.text(lang())}</button>
                <button type="button" class="button--secondary" on:click=move |_| panel.set(Panel::Closed)>
                    {move || CheckWord::Cancel.text(lang())}
                </button>
            </div>
        </form>
    }
}
