//! Intake of a complaint from any channel (投诉接收): the customer (on file or not), when it was
//! received and happened, what happened and what she expects, the visit, staff member and product
//! batch involved, and the triage the core suggests with the role it routes to. Works offline:
//! the intake is one event written to the device.
use std::collections::BTreeMap;

use chrono::{NaiveDateTime, Utc};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use orchid_core::complaint::{
    ComplaintChannel, ComplaintEvent, ComplaintEventKind, ComplaintLinks, ComplaintNature,
    Severity, route, suggest,
};
use orchid_core::ids::{AppointmentId, BatchId, ComplaintId, CustomerId, StaffId};
use orchid_core::permission::Action as Permission;
use orchid_core::product::{Batch, ProductField, StockUnit};
use orchid_core::sync::Change;
use orchid_core::text::{Label, Name, Note};

use crate::components::store_error_text;
use crate::format::local_text;
use crate::i18n::complaint_words::ComplaintWord;
use crate::i18n::errors::error_text;
use crate::pages::complaints::{
    CHANNELS, channel_word, cw, may, nature_word, role_word, severity_word,
};
use crate::state::store::{new_id, store_offset, store_record, use_store};
use crate::state::use_i18n;

const LOCAL_INPUT: &str = "%Y-%m-%dT%H:%M";

type Errors = BTreeMap<&'static str, String>;

fn code_of(e: impl Into<orchid_core::ValidationError>) -> &'static str {
    e.into().code()
}

#[component]
pub fn NewComplaintPage() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let navigate = use_navigate();
    let query = use_query_map();
    let offset = store_offset(store);
    let now_local = offset.local(Utc::now()).format(LOCAL_INPUT).to_string();

    let channel = RwSignal::new(ComplaintChannel::InPerson);
    let customer = RwSignal::new(
        query
            .with_untracked(|q| q.get("customer"))
            .and_then(|raw| uuid::Uuid::parse_str(&raw).ok())
            .map(CustomerId::from_uuid),
    );
    let search = RwSignal::new(String::new());
    let new_name = RwSignal::new(String::new());
    let new_contact = RwSignal::new(String::new());
    let received = RwSignal::new(now_local);
    let occurred = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let expected = RwSignal::new(String::new());
    let visit = RwSignal::new(None::<AppointmentId>);
    let staff = RwSignal::new(None::<StaffId>);
    let batch = RwSignal::new(None::<BatchId>);
    let new_product = RwSignal::new(String::new());
    let new_batch_no = RwSignal::new(String::new());
    let chosen_nature = RwSignal::new(None::<ComplaintNature>);
    let chosen_severity = RwSignal::new(None::<Severity>);
    let errors = RwSignal::new(Errors::new());
    let form_error = RwSignal::new(None::<&'static str>);

    let hits = Memo::new(move |_| {
        let q = search.get();
        if q.trim().is_empty() {
            Vec::new()
        } else {
            store.search_customers(&q, 8)
        }
    });
    let chosen_name = move || {
        customer.get().and_then(|id| store.customer(id)).map(|c| {
            format!(
                "{} {}",
                c.name.as_str(),
                c.phone.as_ref().map(|p| p.readable()).unwrap_or_default()
            )
        })
    };
    let visits = Memo::new(move |_| {
        let mut list = customer
            .get()
            .map(|id| store.appointments_of(id))
            .unwrap_or_default();
        list.sort_by_key(|a| std::cmp::Reverse(a.appointment.time.start));
        list.truncate(12);
        list
    });
    let staff_list = Memo::new(move |_| {
        let mut list = store
            .staff()
            .into_iter()
            .filter(|s| s.active)
            .collect::<Vec<_>>();
        list.sort_by(|a, b| a.name.cmp(&b.name));
        list
    });
    let batches = Memo::new(move |_| store.batch_labels());
    let may_add_batch = move || may(store, Permission::ProductManage);

    let suggestion =
        Memo::new(move |_| description.with(|d| expected.with(|e| suggest(&format!("{d}\n{e}")))));
    let nature = move || chosen_nature.get().or(suggestion.get().0);
    let severity = move || chosen_severity.get().unwrap_or(suggestion.get().1);
    let routed_to = move || {
        store_record(store)
            .map(|s| route(nature().unwrap_or(ComplaintNature::Other), severity(), &s))
    };

    let save = Action::new_local(move |changes: &(ComplaintId, Vec<Change>)| {
        let (id, changes) = changes.clone();
        async move { store.mutate_all(changes).await.map(|_| id) }
    });
    Effect::new(move || match save.value().get() {
        Some(Ok(id)) => navigate(&format!("/complaints/{id}"), Default::default()),
        Some(Err(e)) => form_error.set(Some(store_error_text(i18n.lang(), &e))),
        None => {}
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.lang();
        let mut errs = Errors::new();
        let now = Utc::now();
        let received_at =
            match NaiveDateTime::parse_from_str(&received.get_untracked(), LOCAL_INPUT) {
                Ok(t) if offset.to_utc(t) <= now + chrono::Duration::minutes(1) => offset.to_utc(t),
                Ok(_) => {
                    errs.insert("received", ComplaintWord::ErrFuture.text(lang).to_owned());
                    now
                }
                Err(_) => {
                    errs.insert("received", ComplaintWord::ErrBadTime.text(lang).to_owned());
                    now
                }
            };
        let occurred_raw = occurred.get_untracked();
        let occurred_at = if occurred_raw.trim().is_empty() {
            None
        } else {
            match NaiveDateTime::parse_from_str(&occurred_raw, LOCAL_INPUT) {
                Ok(t) if offset.to_utc(t) <= received_at => Some(offset.to_utc(t)),
                Ok(_) => {
                    errs.insert(
                        "occurred",
                        ComplaintWord::ErrOccurredAfter.text(lang).to_owned(),
                    );
                    None
                }
                Err(_) => {
                    errs.insert("occurred", ComplaintWord::ErrBadTime.text(lang).to_owned());
                    None
                }
            }
        };
        let description_note = match Note::parse(description.get_untracked().trim()) {
            Ok(n) if !n.is_empty() => Some(n),
            Ok(_) => {
                errs.insert(
                    "description",
                    ComplaintWord::ErrDescribe.text(lang).to_owned(),
                );
                None
            }
            Err(e) => {
                errs.insert("description", error_text(lang, code_of(e)).to_owned());
                None
            }
        };
        let expected_note = match Note::parse(expected.get_untracked().trim()) {
            Ok(n) => n,
            Err(e) => {
                errs.insert("expected", error_text(lang, code_of(e)).to_owned());
                Note::default()
            }
        };
        // Without a file, the customer's name and how to reach her are asked for.
        let customer_id = customer.get_untracked();
        let (customer_name, contact) = if customer_id.is_some() {
            (None, None)
        } else {
            let name = match Name::parse(new_name.get_untracked().trim()) {
                Ok(n) => Some(n),
                Err(_) => {
                    errs.insert("customer", ComplaintWord::ErrCustomer.text(lang).to_owned());
                    None
                }
            };
            let raw = new_contact.get_untracked();
            let contact = if raw.trim().is_empty() {
                None
            } else {
                match Label::parse(raw.trim()) {
                    Ok(l) => Some(l),
                    Err(e) => {
                        errs.insert("contact", error_text(lang, code_of(e)).to_owned());
                        None
                    }
                }
            };
            (name, contact)
        };
        // A batch not on file yet is recorded with its product, by someone who may.
        let mut changes = Vec::new();
        let mut batch_id = batch.get_untracked();
        let (product_raw, batch_raw) = (new_product.get_untracked(), new_batch_no.get_untracked());
        if batch_id.is_none() && !(product_raw.trim().is_empty() && batch_raw.trim().is_empty()) {
            match (
                Name::parse(product_raw.trim()),
                Label::parse(batch_raw.trim()),
            ) {
                (Ok(product_name), Ok(batch_no)) => {
                    let product_id = new_id();
                    let id: BatchId = new_id();
                    changes.push(Change::ProductUpsert {
                        id: product_id,
                        fields: vec![
                            ProductField::Name(product_name),
                            ProductField::Unit(StockUnit::Piece),
                            ProductField::Active(true),
                        ],
                    });
                    changes.push(Change::BatchAdd(Batch {
                        id,
                        product_id,
                        batch_no,
                        expires_on: None,
                        received_at: now,
                        supplier: None,
                        cost: None,
                    }));
                    batch_id = Some(id);
                }
                _ => {
                    errs.insert("batch", ComplaintWord::ErrBatch.text(lang).to_owned());
                }
            }
        }
        let Ok(actor) = store.actor() else {
            form_error.set(Some(i18n.t(crate::i18n::Msg::StoreSignInRequired)));
            return;
        };
        errors.set(errs.clone());
        let Some(description_note) = description_note else {
            return;
        };
        if !errs.is_empty() {
            return;
        }
        form_error.set(None);
        let id: ComplaintId = new_id();
        let links = ComplaintLinks {
            appointment_id: visit.get_untracked(),
            service_record_id: visit
                .get_untracked()
                .and_then(|v| store.service_record_of_visit(v))
                .map(|r| r.id),
            staff_ids: staff.get_untracked().into_iter().collect(),
            batch_ids: batch_id.into_iter().collect(),
            feedback_id: None,
        };
        changes.push(Change::ComplaintEvent(ComplaintEvent {
            id: new_id(),
            complaint_id: id,
            at: received_at,
            by: Some(actor.staff_id),
            role: actor.role,
            kind: ComplaintEventKind::Received {
                channel: channel.get_untracked(),
                customer_id,
                customer_name,
                contact,
                occurred_at,
                description: description_note,
                expected_solution: expected_note,
                nature: nature(),
                severity: Some(severity()),
                links,
            },
        }));
        save.dispatch((id, changes));
    };

    let error_of = move |key: &'static str| move || errors.with(|e| e.get(key).cloned());
    let invalid = move |key: &'static str| move || errors.with(|e| e.contains_key(key)).to_string();

    view! {
        <h1>{move || cw(i18n, ComplaintWord::NewComplaint)}</h1>
        <p class="page-intro">{move || cw(i18n, ComplaintWord::IntakeIntro)}</p>
        <form class="card form complaint-intake" on:submit=on_submit novalidate data-testid="complaint-intake">
            <div class="field-row">
                <div class="field">
                    <label for="complaint-channel">{move || cw(i18n, ComplaintWord::Channel)}</label>
                    <select id="complaint-channel" on:change=move |ev| {
                        if let Ok(c) = serde_json::from_str::<ComplaintChannel>(&format!("\"{}\"", event_target_value(&ev))) {
                            channel.set(c);
                        }
                    }>
                        {CHANNELS.into_iter().map(|c| {
                            let value = serde_json::to_string(&c).unwrap_or_default().trim_matches('"').to_owned();
                            view! { <option value=value selected=move || channel.get() == c>{move || cw(i18n, channel_word(c))}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="complaint-received">{move || cw(i18n, ComplaintWord::ReceivedAt)}</label>
                    <input id="complaint-received" type="datetime-local" prop:value=received
                        aria-invalid=invalid("received") aria-describedby="complaint-received-error"
                        on:input=move |ev| received.set(event_target_value(&ev))/>
                    <p class="field-error" id="complaint-received-error">{error_of("received")}</p>
                </div>
                <div class="field">
                    <label for="complaint-occurred">{move || cw(i18n, ComplaintWord::OccurredAt)}</label>
                    <input id="complaint-occurred" type="datetime-local" prop:value=occurred
                        aria-invalid=invalid("occurred") aria-describedby="complaint-occurred-error"
                        on:input=move |ev| occurred.set(event_target_value(&ev))/>
                    <p class="field-error" id="complaint-occurred-error">{error_of("occurred")}</p>
                </div>
            </div>

            <fieldset class="field complaint-customer">
                <legend>{move || cw(i18n, ComplaintWord::Customer)}</legend>
                <Show when=move || chosen_name().is_some()>
                    <p class="chosen" data-testid="complaint-chosen-customer">
                        {chosen_name}
                        " "
                        <button type="button" class="button--secondary" on:click=move |_| { customer.set(None); visit.set(None); }>{move || cw(i18n, ComplaintWord::ChangeCustomer)}</button>
                    </p>
                </Show>
                <Show when=move || customer.get().is_none()>
                    <label for="complaint-customer-search">{move || cw(i18n, ComplaintWord::FindCustomer)}</label>
                    <input id="complaint-customer-search" type="search" placeholder=move || i18n.t(crate::i18n::Msg::CustomerSearchHint)
                        prop:value=search on:input=move |ev| search.set(event_target_value(&ev))/>
                    <ul class="suggestions">
                        <For
                            each=move || hits.get()
                            key=|c| c.id
                            children=move |c| {
                                let id = c.id;
                                let label = format!("{} {}", c.name.as_str(), c.phone.as_ref().map(|p| p.readable()).unwrap_or_default());
                                view! {
                                    <li><button type="button" class="button--secondary" on:click=move |_| { customer.set(Some(id)); search.set(String::new()); }>{label}</button></li>
                                }
                            }
                        />
                    </ul>
                    <p class="hint">{move || cw(i18n, ComplaintWord::NotOnFile)}</p>
                    <div class="field-row">
                        <div class="field">
                            <label for="complaint-customer-name">{move || cw(i18n, ComplaintWord::CustomerName)}</label>
                            <input id="complaint-customer-name" prop:value=new_name aria-invalid=invalid("customer")
                                aria-describedby="complaint-customer-error" on:input=move |ev| new_name.set(event_target_value(&ev))/>
                            <p class="field-error" id="complaint-customer-error">{error_of("customer")}</p>
                        </div>
                        <div class="field">
                            <label for="complaint-customer-contact">{move || cw(i18n, ComplaintWord::CustomerContact)}</label>
                            <input id="complaint-customer-contact" type="tel" prop:value=new_contact aria-invalid=invalid("contact")
                                aria-describedby="complaint-contact-error" on:input=move |ev| new_contact.set(event_target_value(&ev))/>
                            <p class="field-error" id="complaint-contact-error">{error_of("contact")}</p>
                        </div>
                    </div>
                </Show>
            </fieldset>

            <div class="field">
                <label for="complaint-description">{move || cw(i18n, ComplaintWord::WhatHappened)}</label>
                <textarea id="complaint-description" rows="4" prop:value=description aria-invalid=invalid("description")
                    aria-describedby="complaint-description-error" on:input=move |ev| description.set(event_target_value(&ev))></textarea>
                <p class="field-error" id="complaint-description-error">{error_of("description")}</p>
            </div>
            <div class="field">
                <label for="complaint-expected">{move || cw(i18n, ComplaintWord::WhatTheyExpect)}</label>
                <textarea id="complaint-expected" rows="2" prop:value=expected aria-invalid=invalid("expected")
                    aria-describedby="complaint-expected-error" on:input=move |ev| expected.set(event_target_value(&ev))></textarea>
                <p class="field-error" id="complaint-expected-error">{error_of("expected")}</p>
            </div>

            <div class="field-row">
                <div class="field">
                    <label for="complaint-visit">{move || cw(i18n, ComplaintWord::Visit)}</label>
                    <select id="complaint-visit" on:change=move |ev| visit.set(uuid::Uuid::parse_str(&event_target_value(&ev)).ok().map(AppointmentId::from_uuid))>
                        <option value="">{move || cw(i18n, ComplaintWord::NoneChosen)}</option>
                        <For
                            each=move || visits.get()
                            key=|a| a.appointment.id
                            children=move |a| view! {
                                <option value=a.appointment.id.to_string()>{local_text(offset, a.appointment.time.start)}</option>
                            }
                        />
                    </select>
                </div>
                <div class="field">
                    <label for="complaint-staff">{move || cw(i18n, ComplaintWord::StaffInvolved)}</label>
                    <select id="complaint-staff" on:change=move |ev| staff.set(uuid::Uuid::parse_str(&event_target_value(&ev)).ok().map(StaffId::from_uuid))>
                        <option value="">{move || cw(i18n, ComplaintWord::NoneChosen)}</option>
                        <For
                            each=move || staff_list.get()
                            key=|s| s.id
                            children=move |s| view! { <option value=s.id.to_string()>{s.name.as_str().to_owned()}</option> }
                        />
                    </select>
                </div>
            </div>
            <fieldset class="field">
                <legend>{move || cw(i18n, ComplaintWord::ProductBatch)}</legend>
                <label for="complaint-batch">{move || cw(i18n, ComplaintWord::BatchOnFile)}</label>
                <select id="complaint-batch" on:change=move |ev| batch.set(uuid::Uuid::parse_str(&event_target_value(&ev)).ok().map(BatchId::from_uuid))>
                    <option value="">{move || cw(i18n, ComplaintWord::NoneChosen)}</option>
                    <For
                        each=move || batches.get()
                        key=|b| b.batch.id
                        children=move |b| view! { <option value=b.batch.id.to_string()>{b.text()}</option> }
                    />
                </select>
                <Show when=move || batch.get().is_none() && may_add_batch()>
                    <div class="field-row">
                        <div class="field">
                            <label for="complaint-new-product">{move || cw(i18n, ComplaintWord::NewBatchProduct)}</label>
                            <input id="complaint-new-product" prop:value=new_product on:input=move |ev| new_product.set(event_target_value(&ev))/>
                        </div>
                        <div class="field">
                            <label for="complaint-new-batch">{move || cw(i18n, ComplaintWord::NewBatchNumber)}</label>
                            <input id="complaint-new-batch" prop:value=new_batch_no aria-invalid=invalid("batch")
                                aria-describedby="complaint-batch-error" on:input=move |ev| new_batch_no.set(event_target_value(&ev))/>
                        </div>
                    </div>
                </Show>
                <p class="field-error" id="complaint-batch-error">{error_of("batch")}</p>
            </fieldset>

            <div class="field-row complaint-triage">
                <div class="field">
                    <label for="complaint-nature">{move || cw(i18n, ComplaintWord::Nature)}</label>
                    <select id="complaint-nature" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        chosen_nature.set(ComplaintNature::ALL.into_iter().find(|n| format!("{n:?}") == v));
                    }>
                        <option value="" selected=move || nature().is_none()>{move || cw(i18n, ComplaintWord::Untriaged)}</option>
                        {ComplaintNature::ALL.into_iter().map(|n| view! {
                            <option value=format!("{n:?}") selected=move || nature() == Some(n)>{move || cw(i18n, nature_word(n))}</option>
                        }).collect_view()}
                    </select>
                    <p class="hint" data-testid="nature-suggestion">
                        {move || format!("{} {}", cw(i18n, ComplaintWord::Suggested), suggestion.get().0.map(|n| cw(i18n, nature_word(n))).unwrap_or("—"))}
                    </p>
                </div>
                <div class="field">
                    <label for="complaint-severity">{move || cw(i18n, ComplaintWord::Severity)}</label>
                    <select id="complaint-severity" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        chosen_severity.set(Severity::ALL.into_iter().find(|s| format!("{s:?}") == v));
                    }>
                        {Severity::ALL.into_iter().map(|s| view! {
                            <option value=format!("{s:?}") selected=move || severity() == s>{move || cw(i18n, severity_word(s))}</option>
                        }).collect_view()}
                    </select>
                    <p class="hint" data-testid="severity-suggestion">
                        {move || format!("{} {}", cw(i18n, ComplaintWord::Suggested), cw(i18n, severity_word(suggestion.get().1)))}
                    </p>
                </div>
                <div class="field">
                    <span class="field-label">{move || cw(i18n, ComplaintWord::RoutedTo)}</span>
                    <p class="routed" data-testid="routed-to">{move || routed_to().map(|r| cw(i18n, role_word(r))).unwrap_or_default()}</p>
                    <p class="hint">{move || {
                        let limit = severity().response_limit().num_hours();
                        match i18n.lang() {
                            crate::i18n::Lang::Zh => format!("首次响应时限：{limit} 小时"),
                            crate::i18n::Lang::En => format!("First response within {limit} h"),
                        }
                    }}</p>
                </div>
            </div>

            <p class="form-error" role="alert">{move || form_error.get()}</p>
            <div class="form-actions">
                <button type="submit" disabled=move || save.pending().get()>{move || cw(i18n, ComplaintWord::LogComplaint)}</button>
            </div>
        </form>
    }
}
