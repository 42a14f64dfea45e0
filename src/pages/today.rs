//! Reception's home: today's bookings by therapist, who is still expected, complaints near
//! their deadline, follow-ups due, stock alerts and tomorrow's reminders. On an empty store it
//! offers the first-use guide (/welcome) to whoever may set the store up; beside it, on a
//! standalone device (or one of a server for trying Orchid), the demo store, and on a real store's,
//! where to start.
use chrono::{Duration, Utc};
use leptos::prelude::*;
use leptos_router::components::A;
use orchid_core::appointment::{AppointmentField, AppointmentStatus, Reminder};
use orchid_core::complaint::{DeadlineState, Severity};
use orchid_core::demo::{DemoSize, demo_store};
use orchid_core::followup::FollowUpChannel;
use orchid_core::followup::FollowUpStatus;
use orchid_core::ids::AppointmentId;
use orchid_core::permission::{self, Area, may_open};
use orchid_core::product::{ExpiryAlert, StockAlerts};
use orchid_core::sync::Change;

use crate::components::balances::OverdrawnItems;
use crate::components::{PageIntro, store_error_text};
use crate::format::local_text;
use crate::i18n::check_words::CheckWord;
use crate::i18n::checkout_words::CheckoutWord;
use crate::i18n::first_use_words::FirstUseWord;
use crate::i18n::privacy_words::PrivacyWord;
use crate::i18n::scorecard_words::ScorecardWord;
use crate::i18n::stock_words::StockWord;
use crate::i18n::task_words::TaskWord;
use crate::i18n::{Msg, labels};
use crate::pages::bedside::OverdueSteps;
use crate::state::stock::quantity_text;
use crate::state::store::{SyncPhase, demo_allowed, remember_demo, store_offset, use_store};
use crate::state::use_i18n;

/// For a visit the desk may take payment for (she has arrived, is in service or done): `Some(true)`
/// once it is paid, `Some(false)` while it waits; `None` otherwise.
fn checkout_action(
    store: crate::state::StoreHandle,
    visit: AppointmentId,
    status: AppointmentStatus,
) -> Option<bool> {
    let due = matches!(
        status,
        AppointmentStatus::Arrived | AppointmentStatus::InService | AppointmentStatus::Completed
    );
    (due && store.may_check_out()).then(|| store.checkout_of_visit(visit).is_some())
}

fn severity(s: Severity) -> Msg {
    match s {
        Severity::General => Msg::SeverityGeneral,
        Severity::Major => Msg::SeverityMajor,
        Severity::Critical => Msg::SeverityCritical,
    }
}

#[component]
pub fn TodayPage() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let empty = move || store.ready.get() && store.customer_count() == 0;
    let may_set_up = move || may_open(store.role(), Area::Setup);
    view! {
        <PageIntro title=Msg::NavToday intro=Msg::TodayIntro/>
        <Show when=move || store.ready.get() fallback=move || view! { <p role="status">{move || i18n.t(Msg::Loading)}</p> }>
            <Show when=empty>
                {move || may_set_up().then(|| view! { <FirstUseOffer/> })}
                {move || if demo_allowed(store) {
                    view! { <DemoOffer/> }.into_any()
                } else {
                    view! { <FirstSteps/> }.into_any()
                }}
            </Show>
            <div class="today-grid">
                <OverdrawnItems/>
                <TodayAppointments/>
                <OverdueSteps/>
                <ComplaintsDue/>
                <FollowUpsDue/>
                <StockAlertsDue/>
                <RetentionDue/>
                <CheckAlertsDue/>
                <TasksOverdue/>
                <Reminders/>
            </div>
            <p class="today-links">
                <A href="/scorecards" attr:data-testid="my-scorecard">{move || ScorecardWord::MyLink.text(i18n.lang())}</A>
                " · "
                <A href="/tasks" attr:data-testid="my-tasks-link">{move || TaskWord::TodayLink.text(i18n.lang())}</A>
            </p>
        </Show>
    }
}

/// An empty store, for those who may set it up: the first-use guide, the first choice offered.
#[component]
fn FirstUseOffer() -> impl IntoView {
    let i18n = use_i18n();
    let word = move |w: FirstUseWord| move || w.text(i18n.lang());
    view! {
        <section class="card first-use-offer" data-testid="first-use-offer">
            <p>{word(FirstUseWord::TodayStart)}</p>
            <A href="/welcome" attr:class="button" attr:data-testid="first-use-start">{word(FirstUseWord::TodayStartButton)}</A>
        </section>
    }
}

#[component]
fn DemoOffer() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let error = RwSignal::new(None::<&'static str>);
    let load = Action::new_local(move |_: &()| async move {
        let actor = store.actor()?;
        let store_id = store
            .store_id()
            .ok_or(crate::storage::repo::StoreError::NotReady)?;
        let offset = store_offset(store);
        let now = Utc::now();
        let changes = demo_store(
            store_id,
            actor,
            offset,
            offset.local_date(now),
            now,
            DemoSize::default(),
            1,
        )
        .map_err(|e| crate::storage::repo::StoreError::Rejected {
            code: e.code(),
            error: Box::new(e),
        })?;
        let written = store.mutate_all(changes).await.map(|_| ());
        if written.is_ok() {
            remember_demo();
        }
        written
    });
    Effect::new(move || {
        if let Some(Err(e)) = load.value().get() {
            error.set(Some(store_error_text(i18n.lang(), &e)));
        }
    });
    view! {
        <section class="card demo-offer">
            <p>{move || i18n.t(Msg::DemoHint)}</p>
            <button type="button" class="button--secondary" data-testid="load-demo" disabled=move || load.pending().get() on:click=move |_| { load.dispatch(()); }>
                {move || if load.pending().get() { i18n.t(Msg::DemoLoading) } else { i18n.t(Msg::DemoLoad) }}
            </button>
            <p class="form-error" role="alert">{move || error.get()}</p>
        </section>
    }
}

/// A real store's device with no customers: while its first pull runs, that it is loading; then
/// where to start — never the demo store, whose invented customers would reach every device.
#[component]
fn FirstSteps() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let loading = move || {
        store.sync.with(|s| {
            matches!(
                s.phase,
                SyncPhase::Loading | SyncPhase::Pulling { .. } | SyncPhase::Pushing { .. }
            )
        })
    };
    let may_set_up = permission::may_open(store.role(), permission::Area::Setup);
    view! {
        <section class="card demo-offer" data-testid="first-steps">
            <Show
                when=move || !loading()
                fallback=move || view! { <p role="status">{move || i18n.t(Msg::TodayStoreLoading)}</p> }
            >
                <p>{move || i18n.t(Msg::TodayNoCustomers)}</p>
                <p>
                    <A href="/customers/new">{move || i18n.t(Msg::CustomerAddFirst)}</A>
                    {may_set_up.then(|| view! { " · " <A href="/setup">{move || i18n.t(Msg::TodaySetUp)}</A> })}
                </p>
            </Show>
        </section>
    }
}

#[component]
fn TodayAppointments() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let offset = Memo::new(move |_| store_offset(store));
    let today = Memo::new(move |_| store.appointments_on(offset.get().local_date(Utc::now())));
    let expected = move || {
        today
            .get()
            .into_iter()
            .filter(|a| {
                matches!(
                    a.status.status,
                    AppointmentStatus::Booked | AppointmentStatus::Confirmed
                )
            })
            .collect::<Vec<_>>()
    };
    let therapist_name = move |id| {
        store
            .staff_member(id)
            .map(|s| s.name.as_str().to_owned())
            .unwrap_or_default()
    };
    let customer_name = move |id| {
        store
            .customer(id)
            .map(|c| c.name.as_str().to_owned())
            .unwrap_or_default()
    };
    let day_link = move || {
        format!(
            "/calendar?day={}",
            offset.get().local_date(Utc::now()).format("%Y-%m-%d")
        )
    };
    view! {
        <section class="card" aria-labelledby="today-appointments">
            <h2 id="today-appointments"><A href=day_link>{move || i18n.t(Msg::TodayAppointments)}</A></h2>
            <Show when=move || today.with(|t| !t.is_empty()) fallback=move || view! { <p class="empty-state">{move || i18n.t(Msg::TodayNone)}</p> }>
                <ul class="plain-list" data-testid="today-list">
                    <For
                        each=move || today.get()
                        key=|a| (a.appointment.id, a.status.status)
                        children=move |a| {
                            let status = a.status.status;
                            let late = matches!(status, AppointmentStatus::Booked | AppointmentStatus::Confirmed) && a.appointment.time.start < Utc::now();
                            let visit = a.appointment.id;
                            view! {
                                <li class:late=late>
                                    <time>{offset.get_untracked().local(a.appointment.time.start).format("%H:%M").to_string()}</time>
                                    " " <A href=format!("/customers/{}", a.appointment.customer_id)>{customer_name(a.appointment.customer_id)}</A>
                                    " · " {a.appointment.therapist_id.map(therapist_name).unwrap_or_default()}
                                    " " <span class="badge">{move || i18n.t(labels::status(status))}</span>
                                    {late.then(|| view! { <span class="badge badge--warn">{move || i18n.t(Msg::TodayLate)}</span> })}
                                    {move || checkout_action(store, visit, status).map(|paid| if paid {
                                        view! { " " <span class="badge badge--ok" data-testid="today-paid">{move || CheckoutWord::PaidBadge.text(i18n.lang())}</span> }.into_any()
                                    } else {
                                        view! { " " <A href=format!("/checkout?appointment={visit}") attr:class="button button--small" attr:data-testid="today-checkout">{move || CheckoutWord::CheckOutVisit.text(i18n.lang())}</A> }.into_any()
                                    })}
                                </li>
                            }
                        }
                    />
                </ul>
            </Show>
            <h3>{move || i18n.t(Msg::TodayExpected)} " (" {move || expected().len()} ")"</h3>
        </section>
    }
}

#[component]
fn ComplaintsDue() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let offset = Memo::new(move |_| store_offset(store));
    let due = Memo::new(move |_| {
        let mut list = store
            .complaints(Utc::now())
            .into_iter()
            .filter(|c| {
                matches!(
                    c.deadline.state,
                    DeadlineState::Warning | DeadlineState::Breached | DeadlineState::OnTrack
                ) && c.deadline.due_at.is_some()
            })
            .collect::<Vec<_>>();
        list.sort_by_key(|c| c.deadline.due_at);
        list
    });
    view! {
        <section class="card" aria-labelledby="today-complaints">
            <h2 id="today-complaints"><A href="/complaints">{move || i18n.t(Msg::TodayComplaintsDue)}</A></h2>
            <Show when=move || due.with(|d| !d.is_empty()) fallback=move || view! { <p class="empty-state">{move || i18n.t(Msg::TodayNoComplaintsDue)}</p> }>
                <ul class="plain-list">
                    <For
                        each=move || due.get()
                        key=|c| (c.id, c.deadline.state)
                        children=move |c| {
                            let state = c.deadline.state;
                            let sev = c.severity;
                            view! {
                                <li class:late=state == DeadlineState::Breached>
                                    <span class="badge">{move || i18n.t(severity(sev))}</span>
                                    " " <A href=format!("/complaints/{}", c.id)>{c.description.as_str().chars().take(40).collect::<String>()}</A>
                                    " · " {move || i18n.t(Msg::DeadlineDueAt)} " " {c.deadline.due_at.map(|t| local_text(offset.get_untracked(), t)).unwrap_or_default()}
                                    {match state {
                                        DeadlineState::Breached => Some(view! { <span class="badge badge--danger">{move || i18n.t(Msg::DeadlineBreached)}</span> }.into_any()),
                                        DeadlineState::Warning => Some(view! { <span class="badge badge--warn">{move || i18n.t(Msg::DeadlineWarning)}</span> }.into_any()),
                                        _ => None,
                                    }}
                                </li>
                            }
                        }
                    />
                </ul>
            </Show>
        </section>
    }
}

#[component]
fn FollowUpsDue() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let offset = Memo::new(move |_| store_offset(store));
    let due = Memo::new(move |_| {
        let end_of_today = Utc::now() + Duration::hours(12);
        store
            .follow_ups()
            .into_iter()
            .filter(|f| f.status == FollowUpStatus::Planned && f.due <= end_of_today)
            // A complaint's call-back only for those who may make it (see the worklist).
            .filter(|f| f.complaint_id.is_none() || f.may_work_on(store.role()))
            .collect::<Vec<_>>()
    });
    let customer_name = move |id| {
        store
            .customer(id)
            .map(|c| c.name.as_str().to_owned())
            .unwrap_or_default()
    };
    view! {
        <section class="card" aria-labelledby="today-follow-ups">
            <h2 id="today-follow-ups"><A href="/follow-ups">{move || i18n.t(Msg::TodayFollowUpsDue)}</A></h2>
            <Show when=move || due.with(|d| !d.is_empty()) fallback=move || view! { <p class="empty-state">{move || i18n.t(Msg::TodayNoFollowUps)}</p> }>
                <ul class="plain-list">
                    <For
                        each=move || due.get()
                        key=|f| f.id
                        children=move |f| view! {
                            <li>{local_text(offset.get_untracked(), f.due)} " " <A href=format!("/customers/{}", f.customer_id)>{customer_name(f.customer_id)}</A></li>
                        }
                    />
                </ul>
            </Show>
        </section>
    }
}

/// Customers past the store's keeping time (the core's `retention`), for the roles that may
/// erase them: one line leading to the review list, only when there are some.
#[component]
fn RetentionDue() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let may_erase = move || store.may_erase_customers();
    let count = Memo::new(move |_| {
        if may_erase() {
            store.past_retention().len()
        } else {
            0
        }
    });
    view! {
        <Show when=move || { count.get() != 0 }>
            <section class="card" aria-labelledby="today-retention" data-testid="retention-due">
                <h2 id="today-retention">{move || PrivacyWord::RetentionTitle.text(lang())}</h2>
                <p>
                    <A href="/customers/retention">{move || count.get()} " " {move || PrivacyWord::RetentionDue.text(lang())}</A>
                </p>
            </section>
        </Show>
    }
}

/// Products at or below their threshold, batches expiring within the store's window and
/// batches past their date still in stock (the core's `stock_alerts`), each leading to the
/// Stock page; shown to those who may open it, and only when there is something to say.
#[component]
fn StockAlertsDue() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let alerts = Memo::new(move |_| store.stock_alerts());
    let shown = move || {
        store
            .active_role()
            .is_some_and(|role| may_open(role, Area::Stock))
            && !alerts.with(StockAlerts::is_empty)
    };
    let product = move |id| store.product(id);
    let name_of = move |id| product(id).map(|p| p.name.to_string()).unwrap_or_default();
    let amount = move |id, level| {
        product(id)
            .map(|p| quantity_text(lang(), level, p.unit))
            .unwrap_or_else(|| level.to_string())
    };
    let batch_no = move |id| {
        store
            .batches()
            .into_iter()
            .find(|b| b.id == id)
            .map(|b| b.batch_no.to_string())
            .unwrap_or_default()
    };
    let expiry_item = move |a: ExpiryAlert, expired: bool| {
        let when = if expired {
            format!("{} {}", StockWord::Expired.text(lang()), a.expires_on)
        } else if a.days_left == 0 {
            StockWord::ExpiresToday.text(lang()).to_owned()
        } else {
            format!(
                "{} · {} {}",
                a.expires_on,
                a.days_left,
                StockWord::ExpiresInDays.text(lang())
            )
        };
        let class = if expired { "stock-alert--expired" } else { "" };
        view! {
            <li class=class data-testid=if expired { "alert-expired" } else { "alert-expiring" }>
                <A href="/stock">{name_of(a.product_id)} " · " {move || StockWord::BatchNo.text(lang())} " " {batch_no(a.batch_id)}</A>
                <span>{when} " · " {amount(a.product_id, a.level)}</span>
            </li>
        }
    };
    view! {
        <Show when=shown>
            <section class="card stock-alerts" aria-labelledby="today-stock" data-testid="stock-alerts">
                <h2 id="today-stock"><A href="/stock">{move || StockWord::AlertsTitle.text(lang())}</A></h2>
                <Show when=move || alerts.with(|a| !a.expired.is_empty())>
                    <h3>{move || StockWord::AlertExpired.text(lang())}</h3>
                    <ul class="plain-list">
                        {move || alerts.get().expired.into_iter().map(|a| expiry_item(a, true)).collect_view()}
                    </ul>
                </Show>
                <Show when=move || alerts.with(|a| !a.expiring.is_empty())>
                    <h3>{move || StockWord::AlertExpiring.text(lang())}</h3>
                    <ul class="plain-list">
                        {move || alerts.get().expiring.into_iter().map(|a| expiry_item(a, false)).collect_view()}
                    </ul>
                </Show>
                <Show when=move || alerts.with(|a| !a.low.is_empty())>
                    <h3>{move || StockWord::AlertLow.text(lang())}</h3>
                    <ul class="plain-list">
                        {move || alerts.get().low.into_iter().map(|l| view! {
                            <li data-testid="alert-low">
                                <A href="/stock">{name_of(l.product_id)}</A>
                                <span>{move || StockWord::InStock.text(lang())} " " {amount(l.product_id, l.level)} " · " {move || StockWord::AlertThreshold.text(lang())} " " {amount(l.product_id, l.threshold)}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                </Show>
            </section>
        </Show>
    }
}

/// Internal checks missed in an earlier period, corrective actions past their deadline, actions
/// waiting for a supervisor's verification (for those who verify) and how many checks this period
/// still wants, each leading to the Checks page; shown to those who may open it, and only when
/// there is something to say.
#[component]
fn CheckAlertsDue() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let alerts = Memo::new(move |_| store.check_alerts());
    let supervises = move || {
        store.active_role().is_some_and(|r| {
            permission::allowed(
                r,
                permission::Action::CheckSupervise,
                permission::Sensitivity::Ordinary,
            )
        })
    };
    let shown = move || {
        store
            .active_role()
            .is_some_and(|role| may_open(role, Area::Checks))
            && alerts.with(|a| {
                !a.overdue_checks.is_empty()
                    || !a.due_checks.is_empty()
                    || !a.overdue_actions.is_empty()
                    || (supervises() && !a.to_verify.is_empty())
            })
    };
    let chinese = move || lang() == crate::i18n::Lang::Zh;
    let template_name = move |id| {
        store
            .check_template(id)
            .map(|t| t.name.get(chinese()).to_owned())
            .unwrap_or_default()
    };
    let room_name = move |room: Option<orchid_core::ids::RoomId>| match room {
        Some(id) => store
            .rooms()
            .into_iter()
            .find(|r| r.id == id)
            .map(|r| r.name.to_string())
            .unwrap_or_default(),
        None => CheckWord::WholeStore.text(lang()).to_owned(),
    };
    view! {
        <Show when=shown>
            <section class="card check-alerts" aria-labelledby="today-checks" data-testid="check-alerts">
                <h2 id="today-checks"><A href="/checks">{move || CheckWord::TodayTitle.text(lang())}</A></h2>
                <Show when=move || alerts.with(|a| !a.overdue_checks.is_empty())>
                    <h3>{move || CheckWord::TodayOverdueCheck.text(lang())}</h3>
                    <ul class="plain-list">
                        {move || alerts.get().overdue_checks.into_iter().map(|d| {
                            let since = match d.state {
                                orchid_core::internal_check::DueState::Overdue { since } => since.to_string(),
                                _ => String::new(),
                            };
                            view! {
                                <li data-testid="alert-overdue-check">
                                    <A href="/checks">{template_name(d.template_id)} " · " {room_name(d.room_id)}</A>
                                    <span>{move || CheckWord::OverdueSince.text(lang())} " " {since.clone()}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </Show>
                <Show when=move || alerts.with(|a| !a.overdue_actions.is_empty())>
                    <h3>{move || CheckWord::TodayOverdueAction.text(lang())}</h3>
                    <ul class="plain-list">
                        {move || alerts.get().overdue_actions.into_iter().map(|a| {
                            let deadline = a.deadline.map(|d| d.to_string()).unwrap_or_default();
                            let text = a.text.clone();
                            view! {
                                <li data-testid="alert-overdue-action">
                                    <A href="/checks">{move || text.get(chinese()).to_owned()} " · " {room_name(a.room_id)}</A>
                                    <span>{move || CheckWord::Deadline.text(lang())} " " {deadline.clone()}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </Show>
                <Show when=move || supervises() && alerts.with(|a| !a.to_verify.is_empty())>
                    <p data-testid="alert-to-verify">
                        <A href="/checks">{move || CheckWord::TodayToVerify.text(lang())}</A>
                        " " {move || alerts.with(|a| a.to_verify.len())}
                    </p>
                </Show>
                <Show when=move || alerts.with(|a| !a.due_checks.is_empty())>
                    <p data-testid="alert-due-checks">
                        <A href="/checks">{move || CheckWord::TodayDueCheck.text(lang())}</A>
                        " " {move || alerts.with(|a| a.due_checks.len())}
                    </p>
                </Show>
            </section>
        </Show>
    }
}

/// The active person's service tasks past their deadline (seed 004: the butler's tasks are
/// timed), each a link to the Tasks page where she marks it done.
#[component]
fn TasksOverdue() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let offset = store_offset(store);
    let overdue = Memo::new(move |_| {
        let now = Utc::now();
        let mut mine = store.my_tasks_today();
        mine.retain(|t| t.is_overdue(now));
        mine
    });
    view! {
        <Show when=move || overdue.with(|l| !l.is_empty())>
            <section class="card task-alerts" aria-labelledby="today-tasks" data-testid="task-alerts">
                <h2 id="today-tasks"><A href="/tasks">{move || TaskWord::TodayTitle.text(lang())}</A></h2>
                <ul class="plain-list">
                    {move || overdue.get().into_iter().map(|t| {
                        let due = offset.local(t.due).format("%m-%d %H:%M").to_string();
                        view! {
                            <li data-testid="alert-overdue-task">
                                <A href="/tasks">{t.title.to_string()}</A>
                                <span>{move || TaskWord::Deadline.text(lang())} " " {due.clone()}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        </Show>
    }
}

#[component]
fn Reminders() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let offset = Memo::new(move |_| store_offset(store));
    let tomorrow = Memo::new(move |_| {
        let day = offset.get().local_date(Utc::now()) + Duration::days(1);
        store
            .appointments_on(day)
            .into_iter()
            // Booked and confirmed bookings both get the day-before reminder (the core's
            // `reminder_due`); the ones already reminded stay listed with how.
            .filter(|a| {
                matches!(
                    a.status.status,
                    AppointmentStatus::Booked | AppointmentStatus::Confirmed
                )
            })
            .collect::<Vec<_>>()
    });
    let customer = move |id| store.customer(id);
    let conflicted = Memo::new(move |_| store.conflicted_bookings());
    view! {
        <section class="card" aria-labelledby="today-reminders">
            <h2 id="today-reminders">{move || i18n.t(Msg::TodayReminders)} " (" {move || tomorrow.with(|t| t.len())} ")"</h2>
            <Show when=move || tomorrow.with(|t| !t.is_empty()) fallback=move || view! { <p class="empty-state">{move || i18n.t(Msg::TodayNoReminders)}</p> }>
                <ul class="plain-list">
                    <For
                        each=move || tomorrow.get()
                        // Keyed by the reminder too, so marking one redraws its row.
                        key=|a| (a.appointment.id, a.appointment.reminded.is_some())
                        children=move |a| {
                            let c = customer(a.appointment.customer_id);
                            let name = c.as_ref().map(|c| c.name.as_str().to_owned()).unwrap_or_default();
                            let phone = c.as_ref().and_then(|c| c.phone.as_ref()).map(|p| p.readable()).unwrap_or_default();
                            let channel = a.appointment.channel;
                            let reminded = a.appointment.reminded;
                            let id = a.appointment.id;
                            // The day of the booking in the calendar, where the collision is settled.
                            let calendar_day = format!("/calendar?day={}", offset.get_untracked().local_date(a.appointment.time.start));
                            view! {
                                <li data-testid="reminder">
                                    <time>{offset.get_untracked().local(a.appointment.time.start).format("%H:%M").to_string()}</time>
                                    " " {name} " " <a href=format!("tel:{phone}")>{phone.clone()}</a>
                                    " · " {move || i18n.t(labels::channel(channel))}
                                    // A collision is settled before the customer is told a time.
                                    <Show when=move || conflicted.with(|c| c.binary_search(&id).is_ok())>
                                        " · "
                                        <a class="booking__conflict" data-testid="booking-conflict" href=calendar_day.clone()>{move || i18n.t(Msg::Conflicted)}</a>
                                    </Show>
                                    {match reminded {
                                        Some(r) => view! {
                                            " · "
                                            <span class="badge">
                                                {move || i18n.t(Msg::ReminderDone)} " · "
                                                {move || i18n.t(labels::follow_up_channel(r.channel))} " "
                                                {offset.get_untracked().local(r.at).format("%H:%M").to_string()}
                                            </span>
                                        }
                                        .into_any(),
                                        None => view! { <MarkReminded appointment=id/> }.into_any(),
                                    }}
                                </li>
                            }
                        }
                    />
                </ul>
            </Show>
        </section>
    }
}

/// Records that the customer was reminded of tomorrow's booking, and how.
#[component]
fn MarkReminded(appointment: AppointmentId) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let channel = RwSignal::new(FollowUpChannel::Wechat);
    let error = RwSignal::new(None::<&'static str>);
    let mark = Action::new_local(move |_: &()| {
        let by = store.actor().ok().map(|a| a.staff_id);
        let change = Change::AppointmentUpsert {
            id: appointment,
            fields: vec![AppointmentField::Reminded(Some(Reminder {
                at: Utc::now(),
                channel: channel.get_untracked(),
                by,
            }))],
        };
        let lang = i18n.lang();
        async move {
            if let Err(e) = store.mutate(change).await {
                error.set(Some(store_error_text(lang, &e)));
            }
        }
    });
    let select_id = format!("remind-{appointment}");
    let channels = [
        FollowUpChannel::Wechat,
        FollowUpChannel::Sms,
        FollowUpChannel::Phone,
        FollowUpChannel::Email,
    ];
    view! {
        " · "
        <label for=select_id.clone() class="visually-hidden">{move || i18n.t(Msg::ReminderHow)}</label>
        <select
            id=select_id
            on:change=move |ev| {
                let v = event_target_value(&ev);
                if let Some(c) = channels.into_iter().find(|c| format!("{c:?}") == v) {
                    channel.set(c);
                }
            }
        >
            {channels
                .into_iter()
                .map(|c| {
                    view! {
                        <option value=format!("{c:?}") selected=move || channel.get() == c>
                            {move || i18n.t(labels::follow_up_channel(c))}
                        </option>
                    }
                })
                .collect_view()}
        </select>
        " "
        <button type="button" class="button button--secondary" on:click=move |_| {
            mark.dispatch(());
        }>{move || i18n.t(Msg::ReminderMark)}</button>
        <span class="field-error" role="alert">{move || error.get()}</span>
    }
}
