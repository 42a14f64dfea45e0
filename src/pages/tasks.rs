//! Service tasks (服务任务, seed 004): everyone's own list — her tasks due today and overdue, then
//! later ones — with "mark as done" (offline too); for the manager and the customer-service
//! supervisor, assigning a task (kind, what to do, who, deadline, optionally a customer) and the
//! store's tasks with their done and late state. A page of its own beside Today rather than a
//! section of Follow-ups: every role has tasks (the technical and finance supervisors do not open
//! Follow-ups), and a task need not be about a customer.
use chrono::{Duration, Utc};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use orchid_core::ids::{CustomerId, StaffId};
use orchid_core::service_task::{self, ServiceTask, TaskKind, TaskStatus};
use orchid_core::text::{Label, Note};

use crate::components::{CustomerPicker, store_error_text};
use crate::i18n::task_words::{TaskWord, kind_code, kind_word, status_word};
use crate::state::complaints::staff_name;
use crate::state::store::{store_offset, use_store};
use crate::state::tasks::{TaskDraft, deadline_of};
use crate::state::use_i18n;

#[component]
pub fn TasksPage() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let assigns = move || store.active_role().is_some_and(service_task::may_assign);
    let today = Memo::new(move |_| store.my_tasks_today());
    let later = Memo::new(move |_| store.my_tasks_later());
    view! {
        <h1>{move || TaskWord::Title.text(lang())}</h1>
        <p class="page-intro">{move || TaskWord::Intro.text(lang())}</p>
        <section class="card tasks-section" aria-labelledby="tasks-mine" data-testid="my-tasks">
            <h2 id="tasks-mine">{move || TaskWord::MyTitle.text(lang())}</h2>
            <ul class="tasks-list">
                {move || {
                    let list = today.get();
                    if list.is_empty() {
                        return view! { <li class="empty-state">{TaskWord::MyNone.text(lang())}</li> }.into_any();
                    }
                    list.into_iter().map(|t| view! { <TaskRow task=t/> }).collect_view().into_any()
                }}
            </ul>
            <Show when=move || later.with(|l| !l.is_empty())>
                <h3>{move || TaskWord::LaterTitle.text(lang())}</h3>
                <ul class="tasks-list" data-testid="my-later-tasks">
                    {move || later.get().into_iter().map(|t| view! { <TaskRow task=t/> }).collect_view()}
                </ul>
            </Show>
        </section>
        <Show when=assigns>
            <AssignTask/>
            <AllTasks/>
        </Show>
    }
}

/// One task: what, for whom, by when, where it stands; the buttons its reader may use.
#[component]
fn TaskRow(task: ServiceTask) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let offset = store_offset(store);
    let now = Utc::now();
    let id = task.id;
    let late = task.is_late(now);
    let open = task.status == TaskStatus::Open;
    let due_today = open && !late && offset.local_date(task.due) == offset.local_date(now);
    let me = store.actor().ok();
    let may_mark = open && me.is_some_and(|a| task.may_mark_done(&a));
    let may_cancel = open && store.active_role().is_some_and(service_task::may_assign);
    let status = task.status;
    let kind = task.kind;
    let title = task.title.to_string();
    let note = task.note.to_string();
    let due = offset.local(task.due).format("%Y-%m-%d %H:%M").to_string();
    let assignee = task
        .assignee
        .and_then(|s| staff_name(store, s))
        .unwrap_or_default();
    let assigned_by = task
        .assigned_by
        .and_then(|s| staff_name(store, s))
        .unwrap_or_default();
    let done = task.done_at.map(|at| {
        let by = task
            .done_by
            .and_then(|s| staff_name(store, s))
            .unwrap_or_default();
        format!("{} · {by}", offset.local(at).format("%Y-%m-%d %H:%M"))
    });
    let customer = task
        .customer_id
        .and_then(|c| store.customer(c).map(|found| (c, found.name.to_string())));
    let error = RwSignal::new(None::<&'static str>);
    let act = Action::new_local(move |cancel: &bool| {
        let cancel = *cancel;
        async move {
            if cancel {
                store.cancel_task(id).await
            } else {
                store.mark_task_done(id).await
            }
        }
    });
    Effect::new(move || match act.value().get() {
        Some(Ok(())) => error.set(None),
        Some(Err(e)) => error.set(Some(store_error_text(i18n.lang(), &e))),
        None => {}
    });
    let late_word = if status == TaskStatus::Done {
        TaskWord::DoneLate
    } else {
        TaskWord::Overdue
    };
    let class = if late && open {
        "tasks-row tasks-row--late"
    } else {
        "tasks-row"
    };
    view! {
        <li class=class data-testid="task" data-task=id.to_string() data-status=format!("{status:?}").to_lowercase() data-late=late.to_string()>
            <div class="tasks-row__head">
                <strong class="tasks-row__title">{title}</strong>
                <span class="badge">{move || kind_word(kind).text(lang())}</span>
                {(status != TaskStatus::Open).then(|| view! { <span class="badge" data-testid="task-status">{move || status_word(status).text(lang())}</span> })}
                {late.then(|| view! { <strong class="badge badge--alert" data-testid="task-late">{move || late_word.text(lang())}</strong> })}
                {due_today.then(|| view! { <span class="badge">{move || TaskWord::DueToday.text(lang())}</span> })}
            </div>
            <dl class="tasks-facts">
                <dt>{move || TaskWord::Deadline.text(lang())}</dt>
                <dd>{due}</dd>
                <dt>{move || TaskWord::Assignee.text(lang())}</dt>
                <dd>{assignee}</dd>
                {(!assigned_by.is_empty()).then(|| view! {
                    <dt>{move || TaskWord::AssignedBy.text(lang())}</dt>
                    <dd>{assigned_by.clone()}</dd>
                })}
                {customer.map(|(c, name)| view! {
                    <dt>{move || i18n.t(crate::i18n::Msg::BookingCustomer)}</dt>
                    <dd><A href=format!("/customers/{c}")>{name}</A></dd>
                })}
                {done.map(|d| view! {
                    <dt>{move || TaskWord::DoneBy.text(lang())}</dt>
                    <dd data-testid="task-done">{d}</dd>
                })}
            </dl>
            {(!note.is_empty()).then(|| view! { <p class="muted pre-line">{note.clone()}</p> })}
            {may_cancel.then(|| view! { <ChangeTask task=task.clone()/> })}
            {(may_mark || may_cancel).then(|| view! {
                <div class="tasks-row__actions">
                    {may_mark.then(|| view! {
                        <button type="button" class="button--large" data-testid="task-done-button" disabled=move || act.pending().get() on:click=move |_| { act.dispatch(false); }>
                            {move || TaskWord::MarkDone.text(lang())}
                        </button>
                    })}
                    {may_cancel.then(|| view! {
                        <button type="button" class="button--secondary" data-testid="task-cancel" disabled=move || act.pending().get() on:click=move |_| { act.dispatch(true); }>
                            {move || TaskWord::CancelTask.text(lang())}
                        </button>
                    })}
                </div>
            })}
            <p class="form-error" role="alert">{move || error.get()}</p>
        </li>
    }
}

/// Giving an open task to someone else or moving its deadline (those who assign tasks).
#[component]
fn ChangeTask(task: ServiceTask) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let offset = store_offset(store);
    let id = task.id;
    let before_assignee = task.assignee;
    let before_due = task.due;
    let assignee = RwSignal::new(task.assignee.map(|s| s.to_string()).unwrap_or_default());
    let date = RwSignal::new(offset.local(task.due).format("%Y-%m-%d").to_string());
    let time = RwSignal::new(offset.local(task.due).format("%H:%M").to_string());
    let error = RwSignal::new(None::<&'static str>);
    let staff = Memo::new(move |_| store.task_assignees());
    let change = Action::new_local(
        move |(person, due): &(Option<StaffId>, Option<orchid_core::time::Timestamp>)| {
            let (person, due) = (*person, *due);
            async move { store.change_task(id, person, due).await }
        },
    );
    Effect::new(move || match change.value().get() {
        Some(Ok(())) => error.set(None),
        Some(Err(e)) => error.set(Some(store_error_text(i18n.lang(), &e))),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(person) = uuid::Uuid::parse_str(&assignee.get_untracked())
            .ok()
            .map(StaffId::from_uuid)
        else {
            error.set(Some(TaskWord::ChooseAssignee.text(lang())));
            return;
        };
        let Some(due) = deadline_of(store, &date.get_untracked(), &time.get_untracked()) else {
            error.set(Some(TaskWord::ChooseDeadline.text(lang())));
            return;
        };
        error.set(None);
        change.dispatch((
            (Some(person) != before_assignee).then_some(person),
            (due != before_due).then_some(due),
        ));
    };
    let (assignee_id, date_id, time_id) = (
        format!("task-{id}-assignee"),
        format!("task-{id}-date"),
        format!("task-{id}-time"),
    );
    view! {
        <details class="tasks-change">
            <summary data-testid="task-change">{move || TaskWord::Change.text(lang())}</summary>
            <form class="form tasks-form" on:submit=on_submit novalidate data-testid="change-task">
                <div class="field-row">
                    <div class="field">
                        <label for=assignee_id.clone()>{move || TaskWord::Assignee.text(lang())}</label>
                        <select id=assignee_id data-testid="change-assignee" on:change=move |ev| assignee.set(event_target_value(&ev))>
                            {move || staff.get().into_iter().map(|s| {
                                let value = s.id.to_string();
                                let is = value.clone();
                                view! { <option value=value selected=move || assignee.get() == is>{s.name.to_string()}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for=date_id.clone()>{move || TaskWord::Deadline.text(lang())}</label>
                        <input id=date_id data-testid="change-date" type="date" prop:value=date on:input=move |ev| date.set(event_target_value(&ev))/>
                    </div>
                    <div class="field">
                        <label for=time_id.clone() class="visually-hidden">{move || TaskWord::Deadline.text(lang())}</label>
                        <input id=time_id data-testid="change-time" type="time" prop:value=time on:input=move |ev| time.set(event_target_value(&ev))/>
                    </div>
                </div>
                <p class="form-error" role="alert">{move || error.get()}</p>
                <div class="form-actions">
                    <button type="submit" data-testid="change-save" disabled=move || change.pending().get()>{move || TaskWord::SaveChange.text(lang())}</button>
                </div>
            </form>
        </details>
    }
}

/// The assigning form (the manager and the customer-service supervisor).
#[component]
fn AssignTask() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let query = use_query_map();
    let offset = store_offset(store);
    let customer = RwSignal::new(
        query
            .with_untracked(|q| q.get("customer"))
            .and_then(|raw| uuid::Uuid::parse_str(&raw).ok())
            .map(CustomerId::from_uuid),
    );
    // A care call for a customer from her file; anything else otherwise.
    let kind = RwSignal::new(if customer.get_untracked().is_some() {
        TaskKind::CareCall
    } else {
        TaskKind::Other
    });
    let title = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let assignee = RwSignal::new(
        customer
            .get_untracked()
            .and_then(|c| store.customer(c))
            .and_then(|c| c.butler)
            .map(|s| s.to_string())
            .unwrap_or_default(),
    );
    let tomorrow = offset.local_date(Utc::now() + Duration::days(1));
    let date = RwSignal::new(tomorrow.to_string());
    let time = RwSignal::new("18:00".to_owned());
    let error = RwSignal::new(None::<&'static str>);
    let saved = RwSignal::new(false);
    let staff = Memo::new(move |_| store.task_assignees());
    let assign = Action::new_local(move |draft: &TaskDraft| {
        let draft = draft.clone();
        async move { store.assign_task(draft).await }
    });
    Effect::new(move || match assign.value().get() {
        Some(Ok(_)) => {
            error.set(None);
            saved.set(true);
            title.set(String::new());
            note.set(String::new());
        }
        Some(Err(e)) => error.set(Some(store_error_text(i18n.lang(), &e))),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let Ok(what) = Label::parse(title.get_untracked().trim()) else {
            error.set(Some(TaskWord::SayWhat.text(lang())));
            return;
        };
        let Some(person) = uuid::Uuid::parse_str(&assignee.get_untracked())
            .ok()
            .map(StaffId::from_uuid)
        else {
            error.set(Some(TaskWord::ChooseAssignee.text(lang())));
            return;
        };
        let Some(due) = deadline_of(store, &date.get_untracked(), &time.get_untracked()) else {
            error.set(Some(TaskWord::ChooseDeadline.text(lang())));
            return;
        };
        let details = match Note::parse(&note.get_untracked()) {
            Ok(n) => n,
            Err(e) => {
                error.set(Some(crate::i18n::errors::error_text(
                    lang(),
                    orchid_core::ValidationError::from(e).code(),
                )));
                return;
            }
        };
        error.set(None);
        assign.dispatch(TaskDraft {
            kind: kind.get_untracked(),
            title: what,
            note: details,
            assignee: person,
            due,
            customer: customer.get_untracked(),
        });
    };
    view! {
        <section class="card tasks-section" aria-labelledby="tasks-assign">
            <h2 id="tasks-assign">{move || TaskWord::AssignTitle.text(lang())}</h2>
            <form class="form tasks-form" on:submit=on_submit novalidate data-testid="assign-task">
                <div class="field-row">
                    <div class="field">
                        <label for="task-kind">{move || TaskWord::Kind.text(lang())}</label>
                        <select id="task-kind" data-testid="task-kind" on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if let Some(k) = TaskKind::ALL.into_iter().find(|k| kind_code(*k) == v) { kind.set(k); }
                        }>
                            {TaskKind::ALL.into_iter().map(|k| view! {
                                <option value=kind_code(k) selected=move || kind.get() == k>{move || kind_word(k).text(lang())}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="task-assignee">{move || TaskWord::Assignee.text(lang())}</label>
                        <select id="task-assignee" data-testid="task-assignee" on:change=move |ev| assignee.set(event_target_value(&ev))>
                            <option value="" selected=move || assignee.get().is_empty()>{move || TaskWord::ChooseAssignee.text(lang())}</option>
                            {move || staff.get().into_iter().map(|s| {
                                let value = s.id.to_string();
                                let is = value.clone();
                                view! { <option value=value selected=move || assignee.get() == is>{s.name.to_string()}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                </div>
                <div class="field">
                    <label for="task-title">{move || TaskWord::TaskTitle.text(lang())}</label>
                    <input id="task-title" data-testid="task-title" type="text" maxlength="200" prop:value=title on:input=move |ev| title.set(event_target_value(&ev))/>
                </div>
                <div class="field-row">
                    <div class="field">
                        <label for="task-date">{move || TaskWord::Deadline.text(lang())}</label>
                        <input id="task-date" data-testid="task-date" type="date" prop:value=date on:input=move |ev| date.set(event_target_value(&ev))/>
                    </div>
                    <div class="field">
                        <label for="task-time" class="visually-hidden">{move || TaskWord::Deadline.text(lang())}</label>
                        <input id="task-time" data-testid="task-time" type="time" prop:value=time on:input=move |ev| time.set(event_target_value(&ev))/>
                    </div>
                </div>
                <CustomerPicker id="task-customer" chosen_testid="task-customer-chosen" chosen=customer/>
                <div class="field">
                    <label for="task-note">{move || TaskWord::TaskNote.text(lang())}</label>
                    <textarea id="task-note" rows="2" prop:value=note on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                </div>
                <p class="form-error" role="alert" data-testid="task-error">{move || error.get()}</p>
                <Show when=move || saved.get()>
                    <p class="tasks-saved" role="status" data-testid="task-assigned">{move || TaskWord::Assigned.text(lang())}</p>
                </Show>
                <div class="form-actions">
                    <button type="submit" data-testid="task-assign" disabled=move || assign.pending().get()>{move || TaskWord::Assign.text(lang())}</button>
                </div>
            </form>
        </section>
    }
}

/// The store's tasks: open ones first by deadline, late ones marked; done and cancelled on demand.
#[component]
fn AllTasks() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let show_closed = RwSignal::new(false);
    let list = Memo::new(move |_| {
        let closed = show_closed.get();
        let mut l: Vec<ServiceTask> = store
            .service_tasks()
            .into_iter()
            .filter(|t| closed || t.status == TaskStatus::Open)
            .collect();
        l.sort_by_key(|t| (t.status != TaskStatus::Open, t.due, t.id));
        l
    });
    view! {
        <section class="card tasks-section" aria-labelledby="tasks-all" data-testid="all-tasks">
            <div class="tasks-section__head">
                <h2 id="tasks-all">{move || TaskWord::AllTitle.text(lang())}</h2>
                <label class="check">
                    <input type="checkbox" data-testid="tasks-show-closed" prop:checked=show_closed on:change=move |ev| show_closed.set(event_target_checked(&ev))/>
                    {move || TaskWord::ShowClosed.text(lang())}
                </label>
            </div>
            <ul class="tasks-list">
                {move || {
                    let l = list.get();
                    if l.is_empty() {
                        return view! { <li class="empty-state">{TaskWord::AllNone.text(lang())}</li> }.into_any();
                    }
                    l.into_iter().take(300).map(|t| view! { <TaskRow task=t/> }).collect_view().into_any()
                }}
            </ul>
        </section>
    }
}
