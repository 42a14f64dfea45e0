//! One customer's file: contact, care, health (for roles allowed to see it; every viewing is
//! logged), and one timeline of everything that happened.
use chrono::Utc;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use orchid_core::customer::Customer;
use orchid_core::ids::CustomerId;
use orchid_core::permission::{self, Sensitivity};
use orchid_core::time::Timestamp;

use crate::components::balances::CustomerBalances;
use crate::components::{ConsentSection, CustomerForm, VisitHistory};
use crate::format::local_text;
use crate::i18n::task_words::TaskWord;
use crate::i18n::{Msg, labels};
use crate::pages::customer_privacy::CustomerPrivacy;
use crate::state::audit::log_sensitive_read;
use crate::state::store::{store_offset, use_store};
use crate::state::use_i18n;

fn customer_id_param() -> Memo<Option<CustomerId>> {
    let params = use_params_map();
    Memo::new(move |_| {
        params
            .with(|p| p.get("id"))
            .and_then(|raw| uuid::Uuid::parse_str(&raw).ok())
            .map(CustomerId::from_uuid)
    })
}

#[component]
pub fn NewCustomerPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{move || i18n.t(Msg::CustomerNew)}</h1>
        <CustomerForm existing=None/>
    }
}

#[component]
pub fn EditCustomerPage() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let id = customer_id_param();
    view! {
        <h1>{move || i18n.t(Msg::CustomerEdit)}</h1>
        {move || {
            // Built once per customer: the form keeps what is typed even if a sync arrives.
            let ready = store.ready.get();
            let existing = id.get().filter(|_| ready).and_then(|id| untrack(|| store.customer(id)));
            match existing {
                Some(c) => view! { <CustomerForm existing=Some(c)/> }.into_any(),
                None if !store.ready.get() => view! { <p role="status">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
                None => view! { <p>{move || i18n.t(Msg::CustomerNotFound)}</p> }.into_any(),
            }
        }}
    }
}

#[component]
pub fn CustomerPage() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let id = customer_id_param();
    let customer = Memo::new(move |_| id.get().and_then(|id| store.customer(id)));
    view! {
        {move || match customer.get() {
            Some(c) => view! { <CustomerFile customer=c/> }.into_any(),
            None if !store.ready.get() => view! { <p role="status">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
            None => view! {
                <h1>{move || i18n.t(Msg::NavCustomers)}</h1>
                <p>{move || i18n.t(Msg::CustomerNotFound)}</p>
            }
            .into_any(),
        }}
    }
}

fn or_dash(text: String) -> String {
    if text.trim().is_empty() {
        "—".to_owned()
    } else {
        text
    }
}

#[component]
fn Item(label: Msg, value: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="item">
            <dt>{move || i18n.t(label)}</dt>
            <dd>{or_dash(value)}</dd>
        </div>
    }
}

#[component]
fn CustomerFile(customer: Customer) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let role = store.role();
    let may_see_health = permission::allowed(
        role,
        permission::Action::CustomerRead,
        Sensitivity::Sensitive,
    );
    let id = customer.id;
    if may_see_health {
        // Reading health data is logged (PIPL/GDPR), on the device first like every change.
        log_sensitive_read(store, id);
    }
    let tags = |list: &[orchid_core::text::Tag]| {
        list.iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join("、")
    };
    let c = customer.clone();
    let butler = customer
        .butler
        .and_then(|s| crate::state::complaints::staff_name(store, s));
    view! {
        <div class="page-head">
            <h1>{customer.name.as_str().to_owned()}</h1>
            <div class="page-head__actions">
                <A href=format!("/customers/{id}/edit") attr:class="button">{move || i18n.t(Msg::CustomerEdit)}</A>
                <A href=format!("/calendar?customer={id}") attr:class="button button--secondary">{move || i18n.t(Msg::BookAppointment)}</A>
                {crate::state::waitlist::may_manage_waitlist(store.role()).then(|| view! {
                    <A href=format!("/calendar?customer={id}&waitlist=1") attr:class="button button--secondary">
                        {move || crate::i18n::desk_words::DeskWord::AddToWaitlist.text(i18n.lang())}
                    </A>
                })}
                <A href=format!("/complaints/new?customer={id}") attr:class="button button--secondary">
                    {move || crate::i18n::complaint_words::ComplaintWord::NewComplaint.text(i18n.lang())}
                </A>
                <CustomerPrivacy customer=id/>
            </div>
        </div>
        <div class="file-grid">
            <section class="card" aria-labelledby="file-contact">
                <h2 id="file-contact">{move || i18n.t(Msg::SectionContact)}</h2>
                <dl>
                    <Item label=Msg::FieldPhone value=c.phone.as_ref().map(|p| p.readable()).unwrap_or_default()/>
                    <Item label=Msg::FieldEmail value=c.email.as_ref().map(|e| e.as_str().to_owned()).unwrap_or_default()/>
                    <Item label=Msg::FieldWechat value=c.wechat.as_ref().map(|w| w.as_str().to_owned()).unwrap_or_default()/>
                    <Item label=Msg::FieldGender value=i18n.t(labels::gender(c.gender)).to_owned()/>
                    <Item label=Msg::FieldBirthday value=c.birthday.map(birthday_text).unwrap_or_default()/>
                    <Item label=Msg::FieldMemberNo value=c.membership_no.as_ref().map(|m| m.as_str().to_owned()).unwrap_or_default()/>
                </dl>
            </section>
            <section class="card" aria-labelledby="file-care">
                <h2 id="file-care">{move || i18n.t(Msg::SectionCare)}</h2>
                <dl>
                    <Item label=Msg::LabelTags value=tags(&c.tags)/>
                    <Item label=Msg::FieldPreferences value=c.preferences.as_str().to_owned()/>
                    <Item label=Msg::FieldNotes value=c.notes.as_str().to_owned()/>
                    <div class="item" data-testid="file-butler">
                        <dt>{move || TaskWord::Butler.text(i18n.lang())}</dt>
                        <dd>{butler.clone().unwrap_or_else(|| "—".to_owned())}</dd>
                    </div>
                </dl>
                {orchid_core::service_task::may_assign(role).then(|| view! {
                    <p><A href=format!("/tasks?customer={id}") attr:data-testid="assign-her-task">{move || TaskWord::AssignHer.text(i18n.lang())}</A></p>
                })}
            </section>
            <section class="card card--sensitive" aria-labelledby="file-health" data-testid="health-section">
                <h2 id="file-health">{move || i18n.t(Msg::SectionHealth)}</h2>
                {if may_see_health {
                    view! {
                        <dl>
                            <Item label=Msg::FieldSkinType value=c.skin_type.map(|s| i18n.t(labels::skin_type(s)).to_owned()).unwrap_or_default()/>
                            <Item label=Msg::LabelAllergies value=tags(&c.allergies)/>
                            <Item label=Msg::LabelContraindications value=tags(&c.contraindications)/>
                            <Item label=Msg::FieldHealthNotes value=c.health_notes.as_str().to_owned()/>
                        </dl>
                        <p class="hint">{move || i18n.t(Msg::SectionHealthLogged)}</p>
                    }
                    .into_any()
                } else {
                    view! { <p>{move || i18n.t(Msg::SectionHealthHidden)}</p> }.into_any()
                }}
            </section>
        </div>
        <CustomerBalances customer=id/>
        <ConsentSection customer=id/>
        <VisitHistory customer=id/>
        <Timeline customer=id/>
    }
}

/// One line of the timeline.
#[derive(Clone, PartialEq)]
struct Event {
    at: Timestamp,
    kind: Msg,
    text: String,
    status: Option<Msg>,
}

#[component]
fn Timeline(customer: CustomerId) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let events = Memo::new(move |_| {
        let mut events = Vec::new();
        let catalog = store.catalog();
        let service_names = |ids: &[orchid_core::ids::ServiceId]| {
            ids.iter()
                .filter_map(|s| catalog.iter().find(|c| c.id == *s))
                .map(|c| c.name.as_str().to_owned())
                .collect::<Vec<_>>()
                .join("、")
        };
        for a in store.appointments_of(customer) {
            events.push(Event {
                at: a.appointment.time.start,
                kind: Msg::TimelineAppointment,
                text: service_names(&a.appointment.services),
                status: Some(labels::status(a.status.status)),
            });
        }
        for f in store.feedback_of(customer) {
            events.push(Event {
                at: f.submitted_at,
                kind: Msg::TimelineFeedback,
                text: format!("{} / 10 · {}", f.recommend, f.comment.as_str()),
                status: None,
            });
        }
        for f in store.follow_ups_of(customer) {
            events.push(Event {
                at: f.due,
                kind: Msg::TimelineFollowUp,
                text: String::new(),
                status: None,
            });
        }
        for c in store
            .complaints(Utc::now())
            .into_iter()
            .filter(|c| c.customer_id == Some(customer))
        {
            events.push(Event {
                at: c.received_at,
                kind: Msg::TimelineComplaint,
                text: c.description.as_str().to_owned(),
                status: None,
            });
        }
        events.sort_by_key(|e| std::cmp::Reverse(e.at));
        events
    });
    let offset = move || store_offset(store);
    view! {
        <section class="card timeline" aria-labelledby="file-timeline">
            <h2 id="file-timeline">{move || i18n.t(Msg::SectionTimeline)}</h2>
            <Show
                when=move || events.with(|e| !e.is_empty())
                fallback=move || view! { <p class="empty-state">{move || i18n.t(Msg::TimelineEmpty)}</p> }
            >
                <ol class="timeline__list" data-testid="timeline">
                    <For
                        each=move || events.get()
                        key=|e| (e.at, e.kind as u32 as u64, e.text.clone())
                        children=move |e| {
                            view! {
                                <li class="timeline__item">
                                    <time>{local_text(offset(), e.at)}</time>
                                    <span class="timeline__kind">{move || i18n.t(e.kind)}</span>
                                    <span>{e.text.clone()}</span>
                                    {e.status.map(|s| view! { <span class="badge">{move || i18n.t(s)}</span> })}
                                </li>
                            }
                        }
                    />
                </ol>
            </Show>
        </section>
    }
}

/// A birthday as written: `1990-03-05`, or `03-05` for one imported without its year (stored in
/// the core's `BIRTHDAY_YEAR_UNKNOWN`).
fn birthday_text(day: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    if day.year() == orchid_core::customer_import::BIRTHDAY_YEAR_UNKNOWN {
        day.format("%m-%d").to_string()
    } else {
        day.format("%Y-%m-%d").to_string()
    }
}
