//! One complaint: its header (number, severity, nature, status, countdown), what the customer said,
//! the records it links to, the steps a person may take now (by status and permission), the
//! append-only history (who, when, which device) and a printable summary for the customer.
use chrono::Utc;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use orchid_core::catalog::Money;
use orchid_core::complaint::{
    ComplaintEventKind, ComplaintNature, ComplaintStatus, ComplaintView, ContactChannel, RootCause,
    Severity, SolutionOption,
};
use orchid_core::ids::{ClientId, ComplaintId, StaffId};
use orchid_core::permission::{self, Action, Sensitivity};
use orchid_core::role::Role;
use orchid_core::sync::Change;
use orchid_core::text::{Label, Note, Tag};
use orchid_core::time::{Timestamp, UtcOffset};

use crate::components::store_error_text;
use crate::format::local_text;
use crate::i18n::complaint_words::ComplaintWord;
use crate::i18n::errors::error_text;
use crate::i18n::stock_words::StockWord;
use crate::i18n::{Lang, Msg};
use crate::pages::complaints::{
    CONTACT_CHANNELS, Countdown, ROOT_CAUSES, channel_word, contact_word, customer_name, cw, may,
    nature_word, reference, role_word, root_cause_word, severity_word, status_word, use_clock,
};
use crate::state::complaints::{complaint_event, staff_name};
use crate::state::store::{StoreHandle, store_offset, use_store};
use crate::state::{I18n, use_i18n};

/// What every step needs to write its events: the store, the language, the complaint, and where
/// a refusal is shown.
#[derive(Clone, Copy)]
struct StepWriter {
    store: StoreHandle,
    i18n: I18n,
    id: ComplaintId,
    error: RwSignal<Option<String>>,
}

impl StepWriter {
    fn new(c: StoredValue<ComplaintView>, error: RwSignal<Option<String>>) -> Self {
        Self {
            store: use_store(),
            i18n: use_i18n(),
            id: c.with_value(|c| c.id),
            error,
        }
    }

    /// Writes complaint events (one step may be several, e.g. an unsatisfied confirmation and
    /// the reopening) in one transaction, and reports a refusal in words; `done` runs after
    /// the write.
    fn write(self, kinds: Vec<ComplaintEventKind>, done: impl Fn() + 'static) {
        let changes: Result<Vec<Change>, _> = kinds
            .into_iter()
            .map(|k| complaint_event(self.store, self.id, k))
            .collect();
        self.commit(changes, done);
    }

    /// Writes `changes` in one transaction and reports a refusal in words; `done` runs after
    /// the write.
    fn commit(
        self,
        changes: Result<Vec<Change>, crate::storage::repo::StoreError>,
        done: impl Fn() + 'static,
    ) {
        let Self {
            store, i18n, error, ..
        } = self;
        let changes = match changes {
            Ok(c) => c,
            Err(e) => {
                error.set(Some(store_error_text(i18n.lang(), &e).to_owned()));
                return;
            }
        };
        leptos::task::spawn_local(async move {
            match store.mutate_all(changes).await {
                Ok(_) => {
                    error.set(None);
                    done();
                }
                Err(e) => error.set(Some(store_error_text(i18n.lang(), &e).to_owned())),
            }
        });
    }
}

fn note_of(raw: &str, lang: Lang) -> Result<Note, String> {
    Note::parse(raw.trim())
        .map_err(|e| error_text(lang, orchid_core::ValidationError::from(e).code()).to_owned())
}

fn required_note(raw: &str, lang: Lang) -> Result<Note, String> {
    match note_of(raw, lang)? {
        n if n.is_empty() => Err(ComplaintWord::ErrRequired.text(lang).to_owned()),
        n => Ok(n),
    }
}

/// A note being typed in a step, and why it was refused (shown under its field by [`NoteField`]).
#[derive(Clone, Copy)]
struct NoteInput {
    text: RwSignal<String>,
    error: RwSignal<Option<String>>,
}

impl NoteInput {
    fn new() -> Self {
        Self {
            text: RwSignal::new(String::new()),
            error: RwSignal::new(None),
        }
    }

    /// The note as typed, or `None` with the reason shown under the field (too long, or empty
    /// when `required`).
    fn take(self, lang: Lang, required: bool) -> Option<Note> {
        let raw = self.text.get_untracked();
        let parsed = if required {
            required_note(&raw, lang)
        } else {
            note_of(&raw, lang)
        };
        match parsed {
            Ok(note) => {
                self.error.set(None);
                Some(note)
            }
            Err(why) => {
                self.error.set(Some(why));
                None
            }
        }
    }

    fn clear(self) {
        self.text.set(String::new());
    }
}

#[component]
pub fn ComplaintPage() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let params = use_params_map();
    let now = use_clock();
    let id = Memo::new(move |_| {
        params
            .with(|p| p.get("id"))
            .and_then(|raw| uuid::Uuid::parse_str(&raw).ok())
            .map(ComplaintId::from_uuid)
    });
    // Recomputed on store changes only, not on the clock: the page (and a half-typed form) is
    // rebuilt when the complaint changes; the countdown ticks by itself. The running minutes are
    // left out of the comparison so an unrelated store change does not rebuild it either.
    let complaint = Memo::new(move |_| {
        id.get()
            .and_then(|id| store.complaint(id, Utc::now()))
            .map(|mut c| {
                if c.deadline.due_at.is_some() && c.deadline.met_at.is_none() {
                    c.deadline.used_minutes = 0;
                }
                c
            })
    });
    view! {
        <Show when=move || store.ready.get() fallback=move || view! { <p role="status">{move || i18n.t(Msg::Loading)}</p> }>
            {move || match (complaint.get(), may(store, Action::ComplaintRead)) {
                (Some(c), true) => view! { <ComplaintBody c=c now=now/> }.into_any(),
                (Some(_), false) => view! {
                    <h1>{move || i18n.t(Msg::NavComplaints)}</h1>
                    <p class="empty-state">{move || cw(i18n, ComplaintWord::NoInboxAccess)}</p>
                }.into_any(),
                (None, _) => view! {
                    <h1>{move || i18n.t(Msg::NavComplaints)}</h1>
                    <p class="empty-state">{move || cw(i18n, ComplaintWord::NotFound)}</p>
                }.into_any(),
            }}
        </Show>
    }
}

#[component]
fn ComplaintBody(c: ComplaintView, now: RwSignal<Timestamp>) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let offset = store_offset(store);
    let who = customer_name(store, &c);
    let contact = c
        .customer_id
        .and_then(|id| store.customer(id))
        .and_then(|cu| cu.phone.map(|p| p.readable()));
    let severity = c.severity;
    let nature = c.nature;
    let status = c.status;
    let responsible = c.responsible_role;
    let channel = c.channel;
    let escalation = c.escalation.clone();
    let assignee = c
        .assignee
        .and_then(|s| store.staff_member(s))
        .map(|s| s.name.as_str().to_owned());
    let c = StoredValue::new(c);
    let print = move |_| crate::components::print_page();
    view! {
        <header class="complaint-head">
            <h1>
                {move || cw(i18n, ComplaintWord::Complaint)} " " <span data-testid="complaint-ref">{c.with_value(reference)}</span>
            </h1>
            <div class="complaint-head__badges">
                <span class=format!("badge severity severity--{severity:?}").to_lowercase() data-testid="complaint-severity">{move || cw(i18n, severity_word(severity))}</span>
                <span class="badge">{move || nature.map(|n| cw(i18n, nature_word(n))).unwrap_or_else(|| cw(i18n, ComplaintWord::Untriaged))}</span>
                <span class="badge" data-testid="complaint-status">{move || cw(i18n, status_word(status))}</span>
                // The first-response clock matters while the case needs work; a case resolved or
                // closed without a contact shows no time left to answer.
                {c.with_value(|c| c.is_open()).then(|| view! {
                    <Countdown deadline=c.with_value(|c| c.deadline.clone()) now=now/>
                })}
                {escalation.map(|e| view! {
                    <span class="badge badge--danger" data-testid="escalated">{move || format!("{} {}", cw(i18n, ComplaintWord::EscalatedTo), cw(i18n, role_word(e.to)))}</span>
                })}
            </div>
            <button type="button" class="button--secondary no-print" on:click=print>{move || cw(i18n, ComplaintWord::PrintSummary)}</button>
        </header>
        <div class="complaint-layout">
            <section class="card complaint-facts" aria-labelledby="complaint-facts-title">
                <h2 id="complaint-facts-title">{move || cw(i18n, ComplaintWord::Facts)}</h2>
                <dl class="facts">
                    <dt>{move || cw(i18n, ComplaintWord::Customer)}</dt>
                    <dd>
                        {match c.with_value(|c| c.customer_id) {
                            Some(id) => view! { <A href=format!("/customers/{id}")>{who.clone()}</A> }.into_any(),
                            None => view! { <span>{who.clone()}</span> }.into_any(),
                        }}
                        {contact.map(|p| view! { " " <a href=format!("tel:{p}")>{p.clone()}</a> })}
                    </dd>
                    <dt>{move || cw(i18n, ComplaintWord::Channel)}</dt>
                    <dd>{move || cw(i18n, channel_word(channel))}</dd>
                    <dt>{move || cw(i18n, ComplaintWord::ReceivedAt)}</dt>
                    <dd>{c.with_value(|c| local_text(offset, c.received_at))}</dd>
                    {c.with_value(|c| c.deadline.due_at).map(|due| view! {
                        <dt>{move || cw(i18n, ComplaintWord::RespondBy)}</dt>
                        <dd data-testid="complaint-due">{local_text(offset, due)} " (" {c.with_value(|c| c.deadline.limit_minutes / 60)} " " {move || cw(i18n, ComplaintWord::HoursShort)} ")"</dd>
                    })}
                    <dt>{move || cw(i18n, ComplaintWord::RoutedTo)}</dt>
                    <dd data-testid="complaint-responsible">{move || cw(i18n, role_word(responsible))} {assignee.map(|a| format!(" · {a}"))}</dd>
                    <dt>{move || cw(i18n, ComplaintWord::WhatHappened)}</dt>
                    <dd class="prewrap">{c.with_value(|c| c.description.as_str().to_owned())}</dd>
                    {c.with_value(|c| (!c.expected_solution.is_empty()).then(|| c.expected_solution.as_str().to_owned())).map(|e| view! {
                        <dt>{move || cw(i18n, ComplaintWord::WhatTheyExpect)}</dt>
                        <dd class="prewrap">{e}</dd>
                    })}
                    <Links c=c/>
                    {c.with_value(|c| c.root_cause).map(|r| view! {
                        <dt>{move || cw(i18n, ComplaintWord::RootCause)}</dt>
                        <dd>{move || cw(i18n, root_cause_word(r))}</dd>
                    })}
                    {c.with_value(|c| c.satisfaction).map(|s| view! {
                        <dt>{move || cw(i18n, ComplaintWord::Satisfaction)}</dt>
                        <dd data-testid="complaint-satisfaction">{format!("{s} / 5")}</dd>
                    })}
                    <CallBackFacts c=c/>
                </dl>
                <Options c=c/>
            </section>
            <section class="card complaint-actions no-print" aria-labelledby="complaint-actions-title">
                <h2 id="complaint-actions-title">{move || cw(i18n, ComplaintWord::NextSteps)}</h2>
                <Actions c=c/>
            </section>
        </div>
        <History id=c.with_value(|c| c.id) offset=offset/>
        <PrintSummary c=c who=customer_name(store, &c.get_value())/>
    }
}

/// The call-back (回访) after closing: when it is planned and who makes it, and once made what
/// the customer said, when, and whether it was on time.
#[component]
fn CallBackFacts(c: StoredValue<ComplaintView>) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let offset = store_offset(store);
    let (id, due, customer, last) = c.with_value(|c| {
        (
            c.id,
            c.call_back_due,
            c.customer_id,
            c.call_backs.last().cloned(),
        )
    });
    let Some(due) = due else {
        return ().into_any();
    };
    if customer.is_none() {
        return view! {
            <dt>{move || cw(i18n, ComplaintWord::CallBack)}</dt>
            <dd data-testid="complaint-call-back">{move || cw(i18n, ComplaintWord::CallBackNoFile)}</dd>
        }
        .into_any();
    }
    let planned = store.call_back_of(id);
    let when = local_text(offset, planned.as_ref().map_or(due, |f| f.due));
    let by = planned
        .as_ref()
        .and_then(|f| f.assignee)
        .and_then(|s| staff_name(store, s));
    let unreachable = planned
        .as_ref()
        .is_some_and(|f| f.status == orchid_core::followup::FollowUpStatus::Unreachable);
    view! {
        <dt>{move || cw(i18n, ComplaintWord::CallBack)}</dt>
        <dd data-testid="complaint-call-back" class="call-back">
            <span data-testid="call-back-plan">
                {move || cw(i18n, ComplaintWord::CallBackPlannedFor)} " " <span class="call-back__when">{when.clone()}</span>
                {by.clone().map(|name| view! { " · " {move || cw(i18n, ComplaintWord::CallBackBy)} " " {name.clone()} })}
            </span>
            {unreachable.then(|| view! { <span>{move || cw(i18n, ComplaintWord::CallBackUnreachable)}</span> })}
            {last.map(|call| {
                let at = local_text(offset, call.at);
                let note = call.note.as_str().to_owned();
                let (word, class) = if call.satisfied {
                    (ComplaintWord::CallBackSatisfied, "badge")
                } else {
                    (ComplaintWord::CallBackNotSatisfied, "badge badge--danger")
                };
                view! {
                    <span data-testid="call-back-outcome">
                        {move || cw(i18n, ComplaintWord::CallBackOutcome)} " "
                        <span class=class>{move || cw(i18n, word)}</span>
                        " · " <span class="call-back__when">{at}</span> " · "
                        {move || cw(i18n, if call.on_time { ComplaintWord::CallBackOnTime } else { ComplaintWord::CallBackLate })}
                        {(!note.is_empty()).then(|| view! { <q class="call-back__words">{note.clone()}</q> })}
                    </span>
                }
            })}
        </dd>
    }
    .into_any()
}

#[component]
fn Links(c: StoredValue<ComplaintView>) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let offset = store_offset(store);
    let links = c.with_value(|c| c.links.clone());
    let staff = links
        .staff_ids
        .iter()
        .filter_map(|s| store.staff_member(*s))
        .map(|s| s.name.as_str().to_owned())
        .collect::<Vec<_>>()
        .join("、");
    let batches = links
        .batch_ids
        .iter()
        .filter_map(|b| store.batch_label(*b))
        .map(|b| b.text())
        .collect::<Vec<_>>()
        .join("、");
    let visit = links
        .appointment_id
        .and_then(|a| store.appointment(a))
        .map(|a| local_text(offset, a.appointment.time.start));
    view! {
        {visit.map(|v| view! { <dt>{move || cw(i18n, ComplaintWord::Visit)}</dt><dd>{v}</dd> })}
        {(!staff.is_empty()).then(|| view! { <dt>{move || cw(i18n, ComplaintWord::StaffInvolved)}</dt><dd>{staff}</dd> })}
        {(!batches.is_empty()).then(|| view! { <dt>{move || cw(i18n, ComplaintWord::ProductBatch)}</dt><dd data-testid="complaint-batches">{batches}</dd> })}
        {(!links.batch_ids.is_empty()).then(|| view! { <BatchCustomers c=c/> })}
    }
}

/// A product complaint leads to the batch's other customers (the core's batch trace), and, for
/// those who plan follow-ups, to the recall: a care call for each of them.
#[component]
fn BatchCustomers(c: StoredValue<ComplaintView>) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let (batches, hers) = c.with_value(|c| (c.links.batch_ids.clone(), c.customer_id));
    let role = store.role();
    let may_see = permission::may_open(role, permission::Area::Customers);
    let may_recall = permission::allowed(role, Action::FollowUpManage, Sensitivity::Ordinary);
    let others = {
        let batches = batches.clone();
        Memo::new(move |_| {
            let mut list = batches
                .iter()
                .flat_map(|b| store.batch_trace(*b).customers())
                .filter(|id| Some(*id) != hers)
                .collect::<Vec<_>>();
            list.sort();
            list.dedup();
            list
        })
    };
    let recalled = RwSignal::new(None::<Result<usize, String>>);
    let recall = leptos::prelude::Action::new_local(move |_: &()| {
        let batches = batches.clone();
        async move {
            let mut planned = 0;
            for batch in batches {
                match store.recall_batch(batch).await {
                    Ok(n) => planned += n,
                    Err(e) => {
                        recalled.set(Some(Err(store_error_text(i18n.lang(), &e).to_owned())));
                        return;
                    }
                }
            }
            recalled.set(Some(Ok(planned)));
        }
    });
    may_see.then(|| view! {
        <dt>{move || StockWord::TraceOthers.text(lang())}</dt>
        <dd data-testid="complaint-batch-others">
            {move || {
                let list = others.get();
                if list.is_empty() {
                    return view! { <span>{StockWord::TraceNoOthers.text(lang())}</span> }.into_any();
                }
                list.into_iter()
                    .map(|id| {
                        let name = store.customer(id).map(|x| x.name.to_string()).unwrap_or_default();
                        view! { <A href=format!("/customers/{id}")>{name}</A> " " }
                    })
                    .collect_view()
                    .into_any()
            }}
            {(may_recall).then(|| view! {
                <Show when=move || !others.with(Vec::is_empty)>
                    <button type="button" class="button--secondary" data-testid="complaint-recall" on:click=move |_| { recall.dispatch(()); }>
                        {move || StockWord::RecallButton.text(lang())}
                    </button>
                </Show>
            })}
            {move || recalled.get().map(|r| match r {
                Ok(n) => view! { <p class="form-ok" role="status" data-testid="complaint-recall-done">{StockWord::RecallDone.text(lang())} {n}</p> }.into_any(),
                Err(text) => view! { <p class="form-error" role="alert">{text}</p> }.into_any(),
            })}
        </dd>
    })
}

#[component]
fn Options(c: StoredValue<ComplaintView>) -> impl IntoView {
    let i18n = use_i18n();
    let (options, chosen) = c.with_value(|c| (c.options.clone(), c.chosen_option));
    (!options.is_empty()).then(|| {
        view! {
            <h3>{move || cw(i18n, ComplaintWord::SolutionsOffered)}</h3>
            <ol class="solution-list">
                {options.into_iter().map(|o| {
                    let is_chosen = chosen == Some(o.option);
                    view! {
                        <li class:chosen-option=is_chosen>
                            {o.description.as_str().to_owned()}
                            {o.compensation.map(|m| format!(" · ¥{m}"))}
                            {is_chosen.then(|| view! { " " <span class="badge">{move || cw(i18n, ComplaintWord::ChosenByCustomer)}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        }
    })
}

/// The steps open at this status for this role.
#[component]
fn Actions(c: StoredValue<ComplaintView>) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let role = store.role();
    let can = |a: Action| permission::allowed(role, a, Sensitivity::Ordinary);
    let (status, severity, met, options) = c.with_value(|c| {
        (
            c.status,
            c.severity,
            c.deadline.met_at.is_some(),
            c.options.clone(),
        )
    });
    let open = status < ComplaintStatus::Resolved;
    let handle = can(Action::ComplaintHandle);
    let error = RwSignal::new(None::<String>);
    let mut steps: Vec<AnyView> = Vec::new();
    if handle && open && !met {
        steps.push(
            view! { <FirstResponse c=c critical=severity == Severity::Critical error=error/> }
                .into_any(),
        );
    }
    if handle && open {
        steps.push(view! { <ContactStep c=c error=error/> }.into_any());
        steps.push(view! { <InvestigateStep c=c error=error/> }.into_any());
        steps.push(view! { <SolutionsStep c=c error=error/> }.into_any());
        if !options.is_empty() {
            steps.push(view! { <ChoiceStep c=c options=options error=error/> }.into_any());
        }
        steps.push(view! { <PauseStep c=c paused=status == ComplaintStatus::AwaitingCustomer error=error/> }.into_any());
        steps.push(view! { <ResolveStep c=c error=error/> }.into_any());
    }
    if can(Action::ComplaintTriage) && open {
        steps.push(view! { <TriageStep c=c error=error/> }.into_any());
    }
    if can(Action::ComplaintAssign) && open {
        steps.push(view! { <AssignStep c=c error=error/> }.into_any());
    }
    if handle && status == ComplaintStatus::Resolved {
        steps.push(
            view! { <ConfirmStep c=c may_reopen=can(Action::ComplaintReopen) error=error/> }
                .into_any(),
        );
    }
    if can(Action::ComplaintClose)
        && (status == ComplaintStatus::Confirmed
            || (status == ComplaintStatus::Resolved && role.is_management()))
    {
        steps.push(view! { <CloseStep c=c error=error/> }.into_any());
    }
    if can(Action::ComplaintArchive) && status == ComplaintStatus::Closed {
        steps.push(view! { <ArchiveStep c=c error=error/> }.into_any());
    }
    if can(Action::ComplaintReopen) && status >= ComplaintStatus::Confirmed {
        let step = view! { <ReopenStep c=c error=error/> }.into_any();
        // An unsatisfied call-back makes reopening the next thing to do: first in the list.
        if c.with_value(ComplaintView::call_back_asks_reopening) {
            steps.insert(0, step);
        } else {
            steps.push(step);
        }
    }
    let none = steps.is_empty();
    view! {
        <p class="form-error" role="alert" data-testid="complaint-error">{move || error.get()}</p>
        {none.then(|| view! { <p class="empty-state">{move || cw(i18n, ComplaintWord::NoSteps)}</p> })}
        <div class="complaint-steps">{steps}</div>
    }
}

/// A step's form: a titled box with its fields and one submit button.
#[component]
fn Step(
    title: ComplaintWord,
    submit: ComplaintWord,
    testid: &'static str,
    #[prop(optional)] open: bool,
    on_submit: impl Fn() + 'static,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <details class="complaint-step" open=open data-testid=testid>
            <summary>{move || cw(i18n, title)}</summary>
            <form class="form" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); on_submit(); }>
                {children()}
                <div class="form-actions"><button type="submit">{move || cw(i18n, submit)}</button></div>
            </form>
        </details>
    }
}

/// A labelled textarea, with its error below it.
#[component]
fn NoteField(id: &'static str, label: ComplaintWord, input: NoteInput) -> impl IntoView {
    let i18n = use_i18n();
    let NoteInput { text: value, error } = input;
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id>{move || cw(i18n, label)}</label>
            <textarea id=id rows="2" prop:value=value aria-describedby=error_id.clone()
                aria-invalid=move || error.with(Option::is_some).to_string()
                on:input=move |ev| value.set(event_target_value(&ev))></textarea>
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </div>
    }
}

#[component]
fn FirstResponse(
    c: StoredValue<ComplaintView>,
    critical: bool,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let w = StepWriter::new(c, error);
    let i18n = w.i18n;
    let note = NoteInput::new();
    let submit = move || {
        let Some(n) = note.take(i18n.lang(), false) else {
            return;
        };
        let kind = if critical {
            ComplaintEventKind::EmergencyResponseStarted { note: n }
        } else {
            ComplaintEventKind::Contacted {
                channel: ContactChannel::Phone,
                summary: n,
                proposal_made: true,
            }
        };
        w.write(vec![kind], || {});
    };
    let (title, button) = if critical {
        (
            ComplaintWord::StepEmergency,
            ComplaintWord::AcknowledgeStart,
        )
    } else {
        (
            ComplaintWord::StepFirstResponse,
            ComplaintWord::RecordFirstResponse,
        )
    };
    view! {
        <Step title=title submit=button testid="step-first-response" open=true on_submit=submit>
            <NoteField id="first-response-note" label=ComplaintWord::Note input=note/>
        </Step>
    }
}

#[component]
fn ContactStep(c: StoredValue<ComplaintView>, error: RwSignal<Option<String>>) -> impl IntoView {
    let w = StepWriter::new(c, error);
    let i18n = w.i18n;
    let channel = RwSignal::new(ContactChannel::Phone);
    let summary = NoteInput::new();
    let proposal = RwSignal::new(false);
    let submit = move || {
        let Some(n) = summary.take(i18n.lang(), true) else {
            return;
        };
        w.write(
            vec![ComplaintEventKind::Contacted {
                channel: channel.get_untracked(),
                summary: n,
                proposal_made: proposal.get_untracked(),
            }],
            move || {
                summary.clear();
                proposal.set(false);
            },
        );
    };
    view! {
        <Step title=ComplaintWord::StepContact submit=ComplaintWord::Add testid="step-contact" on_submit=submit>
            <div class="field">
                <label for="contact-channel">{move || cw(i18n, ComplaintWord::ContactBy)}</label>
                <select id="contact-channel" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Some(c) = CONTACT_CHANNELS.into_iter().find(|c| format!("{c:?}") == v) {
                        channel.set(c);
                    }
                }>
                    {CONTACT_CHANNELS.into_iter().map(|c| view! { <option value=format!("{c:?}")>{move || cw(i18n, contact_word(c))}</option> }).collect_view()}
                </select>
            </div>
            <NoteField id="contact-summary" label=ComplaintWord::WhatWasSaid input=summary/>
            <label class="inline-check">
                <input type="checkbox" prop:checked=proposal on:change=move |ev| proposal.set(event_target_checked(&ev))/>
                {move || cw(i18n, ComplaintWord::ProposalMade)}
            </label>
        </Step>
    }
}

#[component]
fn InvestigateStep(
    c: StoredValue<ComplaintView>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let w = StepWriter::new(c, error);
    let i18n = w.i18n;
    let note = NoteInput::new();
    let record = c.with_value(|c| {
        c.links
            .service_record_id
            .and_then(|r| w.store.service_record(r))
            .or_else(|| {
                c.links
                    .appointment_id
                    .and_then(|a| w.store.service_record_of_visit(a))
            })
    });
    let submit = move || {
        let Some(n) = note.take(i18n.lang(), true) else {
            return;
        };
        w.write(
            vec![ComplaintEventKind::Investigated {
                note: n,
                links: Default::default(),
            }],
            move || note.clear(),
        );
    };
    view! {
        <Step title=ComplaintWord::StepInvestigate submit=ComplaintWord::Add testid="step-investigate" on_submit=submit>
            {record.map(|r| view! { <ServiceRecordSummary record=r/> })}
            <NoteField id="investigation-note" label=ComplaintWord::Findings input=note/>
        </Step>
    }
}

/// The linked service record, read-only: who served her, what, with which products and batches.
/// Consultation answers (health data) are not shown here.
#[component]
fn ServiceRecordSummary(record: orchid_core::service_record::ServiceRecord) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let offset = store_offset(store);
    let therapist = store
        .staff_member(record.therapist_id)
        .map(|s| s.name.as_str().to_owned())
        .unwrap_or_default();
    let catalog = store.catalog();
    let services = record
        .services
        .iter()
        .filter_map(|s| catalog.iter().find(|c| c.id == *s))
        .map(|s| s.name.as_str().to_owned())
        .collect::<Vec<_>>()
        .join("、");
    let products = record
        .products
        .iter()
        .map(|p| {
            p.batch_id
                .and_then(|b| store.batch_label(b))
                .map(|b| b.text())
                .unwrap_or_else(|| p.product_id.to_string())
        })
        .collect::<Vec<_>>()
        .join("、");
    let notes = record
        .notes
        .iter()
        .map(|n| n.as_str().to_owned())
        .collect::<Vec<_>>()
        .join(" / ");
    view! {
        <div class="service-record-summary" data-testid="linked-service-record">
            <h3>{move || cw(i18n, ComplaintWord::ServiceRecord)}</h3>
            <p>{local_text(offset, record.opened_at)} " · " {therapist} " · " {services}</p>
            {(!products.is_empty()).then(|| view! { <p>{move || cw(i18n, ComplaintWord::ProductsUsed)} ": " {products.clone()}</p> })}
            {(!notes.is_empty()).then(|| view! { <p>{notes.clone()}</p> })}
            {record.effect.map(|e| view! { <p>{move || cw(i18n, ComplaintWord::Effect)} ": " {e} " / 5"</p> })}
        </div>
    }
}

#[component]
fn SolutionsStep(c: StoredValue<ComplaintView>, error: RwSignal<Option<String>>) -> impl IntoView {
    let w = StepWriter::new(c, error);
    let i18n = w.i18n;
    let texts: [RwSignal<String>; 3] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let amounts: [RwSignal<String>; 3] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let field_error = RwSignal::new(None::<String>);
    let submit = move || {
        let lang = i18n.lang();
        let mut options = Vec::new();
        for (n, (t, a)) in texts.iter().zip(amounts.iter()).enumerate() {
            let text = t.get_untracked();
            if text.trim().is_empty() {
                continue;
            }
            let Ok(description) = Label::parse(text.trim()) else {
                field_error.set(Some(ComplaintWord::ErrOptionText.text(lang).to_owned()));
                return;
            };
            let raw = a.get_untracked();
            let compensation = if raw.trim().is_empty() {
                None
            } else {
                match raw.trim().parse::<f64>() {
                    Ok(y) if (0.0..1e9).contains(&y) => Some(Money((y * 100.0).round() as i64)),
                    _ => {
                        field_error.set(Some(ComplaintWord::ErrAmount.text(lang).to_owned()));
                        return;
                    }
                }
            };
            options.push(SolutionOption {
                option: (n + 1) as u8,
                description,
                compensation,
            });
        }
        if options.is_empty() {
            field_error.set(Some(ComplaintWord::ErrOneOption.text(lang).to_owned()));
            return;
        }
        field_error.set(None);
        w.write(
            vec![ComplaintEventKind::SolutionsProposed { options }],
            move || {
                for t in texts.iter().chain(amounts.iter()) {
                    t.set(String::new());
                }
            },
        );
    };
    view! {
        <Step title=ComplaintWord::StepSolutions submit=ComplaintWord::OfferSolutions testid="step-solutions" on_submit=submit>
            {(0..3).map(|n| {
                let (t, a) = (texts[n], amounts[n]);
                let tid = format!("option-{}-text", n + 1);
                let aid = format!("option-{}-amount", n + 1);
                view! {
                    <div class="field-row">
                        <div class="field">
                            <label for=tid.clone()>{move || format!("{} {}", cw(i18n, ComplaintWord::Option), n + 1)}</label>
                            <input id=tid prop:value=t on:input=move |ev| t.set(event_target_value(&ev))/>
                        </div>
                        <div class="field field--narrow">
                            <label for=aid.clone()>{move || cw(i18n, ComplaintWord::Compensation)}</label>
                            <input id=aid inputmode="decimal" prop:value=a on:input=move |ev| a.set(event_target_value(&ev))/>
                        </div>
                    </div>
                }
            }).collect_view()}
            <p class="field-error" role="alert">{move || field_error.get()}</p>
        </Step>
    }
}

#[component]
fn ChoiceStep(
    c: StoredValue<ComplaintView>,
    options: Vec<SolutionOption>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let w = StepWriter::new(c, error);
    let i18n = w.i18n;
    let chosen = RwSignal::new(options.first().map(|o| o.option));
    let submit = move || {
        if let Some(option) = chosen.get_untracked() {
            w.write(vec![ComplaintEventKind::CustomerChose { option }], || {});
        }
    };
    view! {
        <Step title=ComplaintWord::StepChoice submit=ComplaintWord::RecordChoice testid="step-choice" on_submit=submit>
            <fieldset class="field">
                <legend>{move || cw(i18n, ComplaintWord::CustomerChose)}</legend>
                {options.into_iter().map(|o| {
                    let n = o.option;
                    view! {
                        <label class="inline-check">
                            <input type="radio" name="complaint-choice" prop:checked=move || chosen.get() == Some(n) on:change=move |_| chosen.set(Some(n))/>
                            {format!("{n}. {}", o.description.as_str())}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
        </Step>
    }
}

#[component]
fn PauseStep(
    c: StoredValue<ComplaintView>,
    paused: bool,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let w = StepWriter::new(c, error);
    let i18n = w.i18n;
    let note = NoteInput::new();
    let submit = move || {
        let Some(n) = note.take(i18n.lang(), false) else {
            return;
        };
        let kind = if paused {
            ComplaintEventKind::CustomerResponded { note: n }
        } else {
            ComplaintEventKind::AwaitingCustomer { note: n }
        };
        w.write(vec![kind], || {});
    };
    let (title, button) = if paused {
        (ComplaintWord::StepResume, ComplaintWord::Resume)
    } else {
        (ComplaintWord::StepPause, ComplaintWord::Pause)
    };
    view! {
        <Step title=title submit=button testid="step-pause" on_submit=submit>
            <NoteField id="pause-note" label=ComplaintWord::Note input=note/>
        </Step>
    }
}

#[component]
fn ResolveStep(c: StoredValue<ComplaintView>, error: RwSignal<Option<String>>) -> impl IntoView {
    let w = StepWriter::new(c, error);
    let i18n = w.i18n;
    let summary = NoteInput::new();
    let submit = move || {
        let Some(n) = summary.take(i18n.lang(), true) else {
            return;
        };
        w.write(vec![ComplaintEventKind::Resolved { summary: n }], || {});
    };
    view! {
        <Step title=ComplaintWord::StepResolve submit=ComplaintWord::Resolve testid="step-resolve" on_submit=submit>
            <NoteField id="resolve-summary" label=ComplaintWord::WhatWasDone input=summary/>
        </Step>
    }
}

#[component]
fn TriageStep(c: StoredValue<ComplaintView>, error: RwSignal<Option<String>>) -> impl IntoView {
    let w = StepWriter::new(c, error);
    let i18n = w.i18n;
    let (nature0, severity0) = c.with_value(|c| (c.nature, c.severity));
    let nature = RwSignal::new(nature0.unwrap_or(ComplaintNature::Other));
    let severity = RwSignal::new(severity0);
    let note = NoteInput::new();
    let submit = move || {
        let Some(n) = note.take(i18n.lang(), false) else {
            return;
        };
        w.write(
            vec![ComplaintEventKind::Triaged {
                nature: nature.get_untracked(),
                severity: severity.get_untracked(),
                note: n,
            }],
            || {},
        );
    };
    view! {
        <Step title=ComplaintWord::StepTriage submit=ComplaintWord::Save testid="step-triage" on_submit=submit>
            <div class="field-row">
                <div class="field">
                    <label for="triage-nature">{move || cw(i18n, ComplaintWord::Nature)}</label>
                    <select id="triage-nature" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some(n) = ComplaintNature::ALL.into_iter().find(|n| format!("{n:?}") == v) { nature.set(n); }
                    }>
                        {ComplaintNature::ALL.into_iter().map(|n| view! { <option value=format!("{n:?}") selected=nature0 == Some(n)>{move || cw(i18n, nature_word(n))}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="triage-severity">{move || cw(i18n, ComplaintWord::Severity)}</label>
                    <select id="triage-severity" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some(s) = Severity::ALL.into_iter().find(|s| format!("{s:?}") == v) { severity.set(s); }
                    }>
                        {Severity::ALL.into_iter().map(|s| view! { <option value=format!("{s:?}") selected=severity0 == s>{move || cw(i18n, severity_word(s))}</option> }).collect_view()}
                    </select>
                </div>
            </div>
            <NoteField id="triage-note" label=ComplaintWord::Note input=note/>
        </Step>
    }
}

#[component]
fn AssignStep(c: StoredValue<ComplaintView>, error: RwSignal<Option<String>>) -> impl IntoView {
    let w = StepWriter::new(c, error);
    let i18n = w.i18n;
    let handlers = w
        .store
        .staff()
        .into_iter()
        .filter(|s| {
            s.active && permission::allowed(s.role, Action::ComplaintHandle, Sensitivity::Ordinary)
        })
        .collect::<Vec<_>>();
    let to = RwSignal::new(None::<(StaffId, Role)>);
    let reason = NoteInput::new();
    let handlers_for_change = handlers.clone();
    let submit = move || {
        let lang = i18n.lang();
        let Some((staff, role)) = to.get_untracked() else {
            reason
                .error
                .set(Some(ComplaintWord::ErrChooseHandler.text(lang).to_owned()));
            return;
        };
        let Some(r) = reason.take(lang, true) else {
            return;
        };
        w.write(
            vec![ComplaintEventKind::Assigned {
                to: staff,
                role,
                reason: r,
            }],
            || {},
        );
    };
    view! {
        <Step title=ComplaintWord::StepAssign submit=ComplaintWord::Assign testid="step-assign" on_submit=submit>
            <div class="field">
                <label for="assign-to">{move || cw(i18n, ComplaintWord::Handler)}</label>
                <select id="assign-to" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    to.set(handlers_for_change.iter().find(|s| s.id.to_string() == v).map(|s| (s.id, s.role)));
                }>
                    <option value="">{move || cw(i18n, ComplaintWord::NoneChosen)}</option>
                    {handlers.into_iter().map(|s| {
                        let role = s.role;
                        view! { <option value=s.id.to_string()>{move || format!("{} · {}", s.name.as_str(), cw(i18n, role_word(role)))}</option> }
                    }).collect_view()}
                </select>
            </div>
            <NoteField id="assign-reason" label=ComplaintWord::Reason input=reason/>
        </Step>
    }
}

#[component]
fn ConfirmStep(
    c: StoredValue<ComplaintView>,
    may_reopen: bool,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let w = StepWriter::new(c, error);
    let i18n = w.i18n;
    let score = RwSignal::new(5u8);
    let note = NoteInput::new();
    let appeal = RwSignal::new(false);
    let unsatisfied = move || score.get() <= 2;
    let submit = move || {
        let lang = i18n.lang();
        let Some(n) = note.take(lang, false) else {
            return;
        };
        let s = score.get_untracked();
        let mut kinds = vec![ComplaintEventKind::Confirmed {
            satisfaction: s,
            note: n.clone(),
        }];
        // Not satisfied: the case opens again at once, as an appeal if she says so.
        if s <= 2 && may_reopen {
            let reason = if n.is_empty() {
                Note::parse(ComplaintWord::NotSatisfied.text(lang)).unwrap_or_default()
            } else {
                n
            };
            kinds.push(ComplaintEventKind::Reopened {
                reason,
                appeal: appeal.get_untracked(),
            });
        }
        w.write(kinds, || {});
    };
    view! {
        <Step title=ComplaintWord::StepConfirm submit=ComplaintWord::RecordConfirmation testid="step-confirm" open=true on_submit=submit>
            <fieldset class="field satisfaction">
                <legend>{move || cw(i18n, ComplaintWord::Satisfaction)}</legend>
                {(1..=5u8).map(|n| view! {
                    <label class="satisfaction__score">
                        <input type="radio" name="satisfaction" value=n.to_string() prop:checked=move || score.get() == n on:change=move |_| score.set(n)/>
                        {n.to_string()}
                    </label>
                }).collect_view()}
            </fieldset>
            <NoteField id="confirm-note" label=ComplaintWord::CustomerWords input=note/>
            <Show when=unsatisfied>
                <p class="hint" role="status">{move || if may_reopen { cw(i18n, ComplaintWord::WillReopen) } else { cw(i18n, ComplaintWord::AskToReopen) }}</p>
                <Show when=move || may_reopen>
                    <label class="inline-check">
                        <input type="checkbox" prop:checked=appeal on:change=move |ev| appeal.set(event_target_checked(&ev))/>
                        {move || cw(i18n, ComplaintWord::CustomerAppeals)}
                    </label>
                </Show>
            </Show>
        </Step>
    }
}

#[component]
fn CloseStep(c: StoredValue<ComplaintView>, error: RwSignal<Option<String>>) -> impl IntoView {
    let w = StepWriter::new(c, error);
    let i18n = w.i18n;
    let confirmed = c.with_value(|c| c.status == ComplaintStatus::Confirmed);
    let cause = RwSignal::new(None::<RootCause>);
    let note = NoteInput::new();
    let submit = move || {
        // Closing without the customer's confirmation needs a reason on record.
        let Some(n) = note.take(i18n.lang(), !confirmed) else {
            return;
        };
        // The closing and its call-back follow-up are written together.
        w.commit(
            w.store.closing_changes(w.id, cause.get_untracked(), n),
            || {},
        );
    };
    view! {
        <Step title=ComplaintWord::StepClose submit=ComplaintWord::Close testid="step-close" open=confirmed on_submit=submit>
            {(!confirmed).then(|| view! { <p class="hint">{move || cw(i18n, ComplaintWord::CloseUnconfirmed)}</p> })}
            <div class="field">
                <label for="close-cause">{move || cw(i18n, ComplaintWord::RootCause)}</label>
                <select id="close-cause" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    cause.set(ROOT_CAUSES.into_iter().find(|r| format!("{r:?}") == v));
                }>
                    <option value="">{move || cw(i18n, ComplaintWord::NoneChosen)}</option>
                    {ROOT_CAUSES.into_iter().map(|r| view! { <option value=format!("{r:?}")>{move || cw(i18n, root_cause_word(r))}</option> }).collect_view()}
                </select>
            </div>
            <NoteField id="close-note" label=ComplaintWord::Note input=note/>
        </Step>
    }
}

#[component]
fn ArchiveStep(c: StoredValue<ComplaintView>, error: RwSignal<Option<String>>) -> impl IntoView {
    let w = StepWriter::new(c, error);
    let i18n = w.i18n;
    let tags = RwSignal::new(String::new());
    let lesson = NoteInput::new();
    let field_error = RwSignal::new(None::<String>);
    let submit = move || {
        let lang = i18n.lang();
        let parsed: Result<Vec<Tag>, _> = tags
            .get_untracked()
            .split([',', '，', '、'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(Tag::parse)
            .collect();
        let Ok(tag_list) = parsed else {
            field_error.set(Some(ComplaintWord::ErrTags.text(lang).to_owned()));
            return;
        };
        field_error.set(None);
        let Some(lesson_note) = lesson.take(lang, false) else {
            return;
        };
        w.write(
            vec![ComplaintEventKind::Archived {
                tags: tag_list,
                lesson: lesson_note,
            }],
            || {},
        );
    };
    view! {
        <Step title=ComplaintWord::StepArchive submit=ComplaintWord::Archive testid="step-archive" open=true on_submit=submit>
            <div class="field">
                <label for="archive-tags">{move || cw(i18n, ComplaintWord::Tags)}</label>
                <input id="archive-tags" prop:value=tags aria-describedby="archive-tags-error" on:input=move |ev| tags.set(event_target_value(&ev))/>
                <p class="field-error" id="archive-tags-error">{move || field_error.get()}</p>
            </div>
            <NoteField id="archive-lesson" label=ComplaintWord::Lesson input=lesson/>
        </Step>
    }
}

#[component]
fn ReopenStep(c: StoredValue<ComplaintView>, error: RwSignal<Option<String>>) -> impl IntoView {
    let w = StepWriter::new(c, error);
    let i18n = w.i18n;
    let reason = NoteInput::new();
    // After a call-back the customer was not satisfied with, the step is open, says why and
    // starts with her words as the reason.
    let asked = c.with_value(|c| {
        c.call_back_asks_reopening()
            .then(|| {
                c.call_backs
                    .last()
                    .map(|call| call.note.as_str().to_owned())
            })
            .flatten()
    });
    if let Some(words) = &asked {
        reason.text.set(format!(
            "{}{}{words}",
            cw(i18n, ComplaintWord::CallBackNotSatisfiedReason),
            if words.is_empty() {
                ""
            } else {
                cw(i18n, ComplaintWord::ColonSeparator)
            }
        ));
    }
    let (title, submit_word) = if asked.is_some() {
        (
            ComplaintWord::CallBackAsksReopen,
            ComplaintWord::ReopenTheCase,
        )
    } else {
        (ComplaintWord::StepReopen, ComplaintWord::Reopen)
    };
    let appeal = RwSignal::new(false);
    let submit = move || {
        let Some(r) = reason.take(i18n.lang(), true) else {
            return;
        };
        w.write(
            vec![ComplaintEventKind::Reopened {
                reason: r,
                appeal: appeal.get_untracked(),
            }],
            || {},
        );
    };
    view! {
        <Step title=title submit=submit_word testid="step-reopen" open=asked.is_some() on_submit=submit>
            <NoteField id="reopen-reason" label=ComplaintWord::Reason input=reason/>
            <label class="inline-check">
                <input type="checkbox" prop:checked=appeal on:change=move |ev| appeal.set(event_target_checked(&ev))/>
                {move || cw(i18n, ComplaintWord::CustomerAppeals)}
            </label>
        </Step>
    }
}

fn event_word(kind: &ComplaintEventKind) -> ComplaintWord {
    use ComplaintEventKind as K;
    match kind {
        K::Received { .. } => ComplaintWord::EvReceived,
        K::NumberAssigned { .. } => ComplaintWord::EvNumber,
        K::Triaged { .. } => ComplaintWord::EvTriaged,
        K::Assigned { .. } => ComplaintWord::EvAssigned,
        K::EmergencyResponseStarted { .. } => ComplaintWord::EvEmergency,
        K::Contacted { .. } => ComplaintWord::EvContacted,
        K::Investigated { .. } => ComplaintWord::EvInvestigated,
        K::SolutionsProposed { .. } => ComplaintWord::EvSolutions,
        K::AwaitingCustomer { .. } => ComplaintWord::EvAwaiting,
        K::CustomerResponded { .. } => ComplaintWord::EvResponded,
        K::CustomerChose { .. } => ComplaintWord::EvChose,
        K::Resolved { .. } => ComplaintWord::EvResolved,
        K::Confirmed { .. } => ComplaintWord::EvConfirmed,
        K::Escalated { .. } => ComplaintWord::EvEscalated,
        K::Reopened { .. } => ComplaintWord::EvReopened,
        K::Closed { .. } => ComplaintWord::EvClosed,
        K::CallBack { .. } => ComplaintWord::EvCallBack,
        K::Archived { .. } => ComplaintWord::EvArchived,
    }
}

/// The event's own words, in the user's language where they are choices.
fn event_detail(store: StoreHandle, lang: Lang, kind: &ComplaintEventKind) -> String {
    use ComplaintEventKind as K;
    let t = |w: ComplaintWord| w.text(lang);
    match kind {
        K::Received { description, .. } => description.as_str().to_owned(),
        K::NumberAssigned { number } => number.clone(),
        K::Triaged {
            nature,
            severity,
            note,
        } => format!(
            "{} · {} {}",
            t(nature_word(*nature)),
            t(severity_word(*severity)),
            note.as_str()
        ),
        K::Assigned { to, role, reason } => format!(
            "{} ({}) {}",
            store
                .staff_member(*to)
                .map(|s| s.name.as_str().to_owned())
                .unwrap_or_default(),
            t(role_word(*role)),
            reason.as_str()
        ),
        K::Contacted {
            channel,
            summary,
            proposal_made,
        } => format!(
            "{}{} · {}",
            t(contact_word(*channel)),
            if *proposal_made {
                format!(" · {}", t(ComplaintWord::ProposalMade))
            } else {
                String::new()
            },
            summary.as_str()
        ),
        K::SolutionsProposed { options } => options
            .iter()
            .map(|o| format!("{}. {}", o.option, o.description.as_str()))
            .collect::<Vec<_>>()
            .join(" / "),
        K::CustomerChose { option } => format!("{} {option}", t(ComplaintWord::Option)),
        K::Confirmed { satisfaction, note } => {
            format!("{satisfaction} / 5 {}", note.as_str())
        }
        K::Escalated { to, reason } => format!("{} {}", t(role_word(*to)), reason.as_str()),
        K::Reopened { reason, appeal } => format!(
            "{}{}",
            if *appeal {
                format!("{} · ", t(ComplaintWord::CustomerAppeals))
            } else {
                String::new()
            },
            reason.as_str()
        ),
        K::Closed { root_cause, note } => format!(
            "{} {}",
            root_cause.map(|r| t(root_cause_word(r))).unwrap_or(""),
            note.as_str()
        ),
        K::CallBack {
            satisfied, note, ..
        } => {
            let word = t(if *satisfied {
                ComplaintWord::CallBackSatisfied
            } else {
                ComplaintWord::CallBackNotSatisfied
            });
            if note.is_empty() {
                word.to_owned()
            } else {
                format!("{word} · {}", note.as_str())
            }
        }
        K::Archived { tags, lesson } => format!(
            "{} {}",
            tags.iter().map(Tag::as_str).collect::<Vec<_>>().join("、"),
            lesson.as_str()
        ),
        K::EmergencyResponseStarted { note }
        | K::Investigated { note, .. }
        | K::AwaitingCustomer { note }
        | K::CustomerResponded { note }
        | K::Resolved { summary: note } => note.as_str().to_owned(),
    }
}

fn device_text(lang: Lang, device: ClientId, this: Option<ClientId>) -> String {
    if Some(device) == this {
        ComplaintWord::ThisDevice.text(lang).to_owned()
    } else {
        // The tail of the id: its head is a timestamp, alike for devices registered together.
        let id = device.to_string();
        let tail: Vec<char> = id.chars().rev().take(6).collect();
        format!(
            "{} {}",
            ComplaintWord::Device.text(lang),
            tail.into_iter().rev().collect::<String>()
        )
    }
}

/// The append-only history: every event, who recorded it, when, on which device.
#[component]
fn History(id: ComplaintId, offset: UtcOffset) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let log = Memo::new(move |_| store.complaint_log(id));
    let this = store.client_id();
    view! {
        <section class="card complaint-history no-print" aria-labelledby="complaint-history-title">
            <h2 id="complaint-history-title">{move || cw(i18n, ComplaintWord::History)}</h2>
            <ol class="history" data-testid="complaint-history">
                <For
                    each=move || log.get()
                    key=|(_, e)| e.id
                    children=move |(device, e)| {
                        let who = e.by.and_then(|s| store.staff_member(s)).map(|s| s.name.as_str().to_owned()).unwrap_or_default();
                        let role = e.role;
                        let kind = StoredValue::new(e.kind.clone());
                        view! {
                            <li class="history__item">
                                <time>{local_text(offset, e.at)}</time>
                                <strong>{move || kind.with_value(|k| cw(i18n, event_word(k)))}</strong>
                                <span class="history__who">{move || {
                                    let rest = format!("{} · {}", cw(i18n, role_word(role)), device_text(i18n.lang(), device, this));
                                    if who.is_empty() { rest } else { format!("{who} · {rest}") }
                                }}</span>
                                <span class="history__detail">{move || kind.with_value(|k| event_detail(store, i18n.lang(), k))}</span>
                            </li>
                        }
                    }
                />
            </ol>
        </section>
    }
}

/// What the customer takes home when she asks about her complaint: no internal notes.
#[component]
fn PrintSummary(c: StoredValue<ComplaintView>, who: String) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let offset = store_offset(store);
    let store_name = store
        .store()
        .map(|s| s.name.as_str().to_owned())
        .unwrap_or_default();
    let v = c.get_value();
    let chosen = v
        .chosen_option
        .and_then(|n| v.options.iter().find(|o| o.option == n))
        .map(|o| o.description.as_str().to_owned());
    let status = v.status;
    view! {
        <section class="complaint-print" aria-hidden="true">
            <h2>{store_name} " · " {move || cw(i18n, ComplaintWord::PrintTitle)}</h2>
            <p>{move || cw(i18n, ComplaintWord::Complaint)} " " {reference(&v)} " · " {local_text(offset, v.received_at)}</p>
            <p>{move || cw(i18n, ComplaintWord::Customer)} ": " {who}</p>
            <p>{move || cw(i18n, ComplaintWord::WhatHappened)} ": " {v.description.as_str().to_owned()}</p>
            <p>{move || cw(i18n, ComplaintWord::WhatTheyExpect)} ": " {v.expected_solution.as_str().to_owned()}</p>
            <p>{move || cw(i18n, ComplaintWord::SolutionsOffered)} ": " {v.options.iter().map(|o| format!("{}. {}", o.option, o.description.as_str())).collect::<Vec<_>>().join(" / ")}</p>
            {chosen.map(|c| view! { <p>{move || cw(i18n, ComplaintWord::ChosenByCustomer)} ": " {c.clone()}</p> })}
            <p>{move || cw(i18n, ComplaintWord::Status)} ": " {move || cw(i18n, status_word(status))}</p>
            {v.resolved_at.map(|t| view! { <p>{move || cw(i18n, ComplaintWord::EvResolved)} ": " {local_text(offset, t)}</p> })}
            <p class="complaint-print__footer">{move || cw(i18n, ComplaintWord::PrintFooter)}</p>
        </section>
    }
}
