//! The visit beside the bed: consultation, the contraindication check (a hard stop, or a
//! supervisor's override with her PIN and a reason), skin assessment, the personal plan, the SOP
//! steps with their timers, products with batch, notes, the effect evaluation, and completion
//! (the core plans the follow-ups in the same write).
use chrono::Utc;
use leptos::prelude::*;
use orchid_core::appointment::{AppointmentStatus, StatusChange};
use orchid_core::audit::AuditContext;
use orchid_core::catalog::{CatalogService, QuestionKind};
use orchid_core::consent::ConsentDecision;
use orchid_core::customer::{Customer, SkinAssessment, SkinScores};
use orchid_core::followup::{
    self, FollowUpChannel, FollowUpField, FollowUpPurpose, FollowUpStatus,
};
use orchid_core::ids::{EntityKind, EntityRef, ServiceRecordId};
use orchid_core::permission::{self, Action as Permit, Sensitivity};
use orchid_core::product::is_expired;
use orchid_core::role::Role;
use orchid_core::service_record::{
    Answer, AnswerValue, BlockReason, ConsultationStart, ContraindicationCheck, RecordEntry,
    RecordEntryKind, ServiceRecord, check_contraindications, consultation_start,
};
use orchid_core::store::Store;
use orchid_core::sync::Change;
use orchid_core::text::{Label, Note, Tag};

use crate::components::PinPrompt;
use crate::components::consent::ConsentDialog;
use crate::components::store_error_text;
use crate::format::local_text;
use crate::i18n::bedside_words::BedsideWord;
use crate::i18n::privacy_words::PrivacyWord;
use crate::i18n::stock_words::StockWord;
use crate::pages::bedside::over_text;
use crate::state::audit::log_sensitive_read;
use crate::state::bedside::{Screen, use_bedside_ui};
use crate::state::consent::{has_health_consent, verbal_check_entry};
use crate::state::stock::{Usage, quantity_text, unit_short};
use crate::state::store::{StoreHandle, new_id, store_offset, use_store};
use crate::state::{use_app_state, use_i18n};
use crate::storage::pins::{self, PinRecord};
use crate::storage::repo::StoreError;

/// A record entry written as the acting staff member now.
fn entry(
    store: StoreHandle,
    record_id: ServiceRecordId,
    kind: RecordEntryKind,
) -> Result<Change, StoreError> {
    let actor = store.actor()?;
    Ok(Change::ServiceRecordEntry(RecordEntry {
        id: new_id(),
        record_id,
        at: Utc::now(),
        by: actor.staff_id,
        role: actor.role,
        kind,
    }))
}

fn status_move(
    store: StoreHandle,
    record: &ServiceRecord,
    to: AppointmentStatus,
) -> Option<Change> {
    let actor = store.actor().ok()?;
    Some(Change::AppointmentStatus {
        appointment_id: record.appointment_id?,
        change: StatusChange {
            id: new_id(),
            to,
            at: Utc::now(),
            by: actor.staff_id,
            role: actor.role,
            reason: None,
            note: Note::default(),
        },
    })
}

fn appointment_status(store: StoreHandle, record: &ServiceRecord) -> Option<AppointmentStatus> {
    record
        .appointment_id
        .and_then(|a| untrack(|| store.appointment(a)))
        .map(|a| a.status.status)
}

fn note(text: &str) -> Result<Note, StoreError> {
    Note::parse(text).map_err(|e| {
        let error = orchid_core::ValidationError::from(e);
        StoreError::Rejected {
            code: error.code(),
            error: Box::new(error),
        }
    })
}

/// Words for a reason the service is stopped.
fn reason_text(lang: crate::i18n::Lang, r: &BlockReason) -> String {
    match r {
        BlockReason::Contraindication { tag } => {
            format!("{}：{tag}", BedsideWord::ReasonContraindication.text(lang))
        }
        BlockReason::Allergy { allergen, .. } => {
            format!("{}：{allergen}", BedsideWord::ReasonAllergy.text(lang))
        }
        BlockReason::Answer { means, .. } => {
            format!("{}：{means}", BedsideWord::ReasonAnswer.text(lang))
        }
    }
}

#[component]
pub fn VisitScreen(id: ServiceRecordId) -> impl IntoView {
    let store = use_store();
    let ui = use_bedside_ui();
    let i18n = use_i18n();
    let record = Memo::new(move |_| store.service_record(id));
    let customer = Memo::new(move |_| record.get().and_then(|r| store.customer(r.customer_id)));
    let services = Memo::new(move |_| {
        let wanted = record.get().map(|r| r.services).unwrap_or_default();
        store
            .catalog()
            .into_iter()
            .filter(|s| wanted.contains(&s.id))
            .collect::<Vec<_>>()
    });
    // The visit shows her health fields: logged once when it opens (not in a reactive closure).
    if let Some(r) = untrack(|| store.service_record(id)) {
        log_sensitive_read(store, r.customer_id);
    }
    let offset = store_offset(store);
    let previous_plan = Memo::new(move |_| {
        let r = record.get()?;
        store
            .service_records_of(r.customer_id)
            .into_iter()
            .filter(|x| x.id != id)
            .filter_map(|x| x.plan.clone().map(|p| (x.opened_at, p)))
            .next_back()
    });
    view! {
        <div class="bedside-bar">
            <button type="button" class="button--secondary button--large" on:click=move |_| ui.screen.set(Screen::Day)>
                {move || i18n.bw(BedsideWord::BackToDay)}
            </button>
            <button type="button" class="button--secondary button--large" data-testid="lock-now" on:click=move |_| ui.lock()>
                {move || i18n.bw(BedsideWord::LockNow)}
            </button>
        </div>
        <article class="visit" data-testid="visit">
            <header class="visit-head card">
                <h1 data-testid="visit-customer">{move || customer.get().map(|c| c.name.to_string())}</h1>
                <p>{move || services.get().iter().map(|s| s.name.to_string()).collect::<Vec<_>>().join("、")}</p>
                {move || customer.get().map(|c| view! { <HealthTags customer=c/> })}
                {move || {
                    previous_plan
                        .get()
                        .map(|(at, plan)| {
                            view! {
                                <div class="visit-previous-plan" data-testid="previous-plan">
                                    <h2>{move || i18n.bw(BedsideWord::PreviousPlan)} " · " {local_text(offset, at)}</h2>
                                    <p class="pre-line">{plan.to_string()}</p>
                                </div>
                            }
                        })
                }}
            </header>
            <Consultation id=id record=record customer=customer services=services/>
            <CheckResult id=id record=record/>
            <Show
                when=move || record.get().is_some_and(|r| r.may_proceed())
                fallback=move || view! { <p class="visit-stopped" data-testid="service-stopped">{move || i18n.bw(BedsideWord::ServiceWaitsForCheck)}</p> }
            >
                <SkinSection customer=customer/>
                <PlanSection id=id record=record/>
                <StepsSection id=id record=record services=services/>
                <ProductsSection id=id record=record customer=customer services=services/>
                <NotesSection id=id record=record/>
                <EvaluationSection id=id record=record/>
                <CompleteSection id=id record=record services=services/>
            </Show>
        </article>
    }
}

#[component]
fn HealthTags(customer: Customer) -> impl IntoView {
    let i18n = use_i18n();
    let allergies = customer
        .allergies
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("、");
    let contra = customer
        .contraindications
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("、");
    view! {
        <dl class="visit-health" data-testid="visit-health">
            <dt>{move || i18n.bw(BedsideWord::Allergies)}</dt>
            <dd>{if allergies.is_empty() { "—".to_owned() } else { allergies }}</dd>
            <dt>{move || i18n.bw(BedsideWord::Contraindications)}</dt>
            <dd>{if contra.is_empty() { "—".to_owned() } else { contra }}</dd>
        </dl>
    }
}

#[component]
fn Consultation(
    id: ServiceRecordId,
    record: Memo<Option<ServiceRecord>>,
    customer: Memo<Option<Customer>>,
    services: Memo<Vec<CatalogService>>,
) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let offset = store_offset(store);
    // What the consultation starts from: the visit's own answers once recorded; before, the
    // answers she gave ahead on the online booking page, for the therapist to go through with
    // her (none of them is the visit's until she saves); else nothing.
    let ahead = Memo::new(move |_| {
        record
            .get()
            .and_then(|r| r.appointment_id)
            .and_then(|a| store.answers_ahead(a))
    });
    let start = Memo::new(move |_| {
        record
            .get()
            .map(|r| ahead.with(|a| consultation_start(&r, a.as_ref())))
    });
    let from_ahead = move || matches!(start.get(), Some(ConsultationStart::Ahead(_)));
    let answers = RwSignal::new(untrack(|| match start.get() {
        Some(ConsultationStart::Recorded(given) | ConsultationStart::Ahead(given)) => given,
        _ => Vec::new(),
    }));
    // Her answers ahead may reach the tablet after the visit opened (the next sync).
    Effect::new(move || {
        if let Some(ConsultationStart::Ahead(given)) = start.get()
            && answers.with_untracked(Vec::is_empty)
        {
            answers.set(given);
        }
    });
    let ahead_value = move |key: &Tag| match start.get() {
        Some(ConsultationStart::Ahead(given)) => {
            given.into_iter().find(|a| a.key == *key).map(|a| a.value)
        }
        _ => None,
    };
    let error = RwSignal::new(None::<&'static str>);
    let set_answer = move |key: Tag, value: AnswerValue| {
        answers.update(|list| {
            list.retain(|a| a.key != key);
            list.push(Answer { key, value });
        })
    };
    // Her answers are health data: asked and kept only under her consent. Without it the
    // consultation records her refusal, and the check runs on her file alone after the therapist
    // confirms she asked about contraindications aloud (an audit entry).
    let customer_id = Memo::new(move |_| record.get().map(|r| r.customer_id));
    let consented = Memo::new(move |_| {
        customer_id
            .get()
            .is_some_and(|c| has_health_consent(store, c))
    });
    let refused_now = RwSignal::new(false);
    let refused_recorded = Memo::new(move |_| record.get().is_some_and(|r| r.consent_refused));
    let consent_open = RwSignal::new(false);
    let verbal_confirmed = RwSignal::new(false);
    let verbal_missing = RwSignal::new(false);
    let check = Action::new_local(move |without_consent: &bool| {
        let without_consent = *without_consent;
        async move {
            let customer = customer.get_untracked().ok_or(StoreError::NotReady)?;
            let given = if without_consent {
                Vec::new()
            } else {
                answers.get_untracked()
            };
            let check = visit_check(&customer, &services.get_untracked(), &given);
            let mut changes = vec![
                entry(
                    store,
                    id,
                    RecordEntryKind::Consultation {
                        answers: given,
                        consent_refused: without_consent,
                    },
                )?,
                entry(store, id, RecordEntryKind::Checked { check })?,
            ];
            if without_consent {
                changes.push(verbal_check_entry(store, id)?);
            }
            store.mutate_all(changes).await.map(|_| ())
        }
    });
    let run_verbal = move |_| {
        let confirmed = verbal_confirmed.get_untracked();
        verbal_missing.set(!confirmed);
        if confirmed {
            error.set(None);
            check.dispatch(true);
        }
    };
    let on_decided = Callback::new(move |decision: ConsentDecision| {
        refused_now.set(decision != ConsentDecision::Given);
    });
    Effect::new(move || match check.value().get() {
        Some(Err(e)) => error.set(Some(store_error_text(i18n.lang(), &e))),
        Some(Ok(())) => error.set(None),
        None => {}
    });
    let questions = move || {
        let mut seen = Vec::new();
        services
            .get()
            .into_iter()
            .flat_map(|s| s.consultation)
            .filter(|q| {
                let fresh = !seen.contains(&q.key);
                seen.push(q.key.clone());
                fresh
            })
            .collect::<Vec<_>>()
    };
    let ask_view = move || {
        view! {
            <div class="consent-locked" data-testid="consult-consent">
                <p>{move || PrivacyWord::BedsideAskFirst.text(i18n.lang())}</p>
                <button type="button" class="button--large" data-testid="ask-consent" on:click=move |_| consent_open.set(true)>
                    {move || PrivacyWord::AskConsent.text(i18n.lang())}
                </button>
            </div>
        }
    };
    let refused_view = move || {
        view! {
            <div class="consent-locked" data-testid="consult-refused">
                <p>{move || PrivacyWord::BedsideRefused.text(i18n.lang())}</p>
                <label class="verbal-check">
                    <input type="checkbox" data-testid="verbal-confirm" prop:checked=verbal_confirmed on:change=move |ev| verbal_confirmed.set(event_target_checked(&ev))/>
                    <span>{move || PrivacyWord::VerbalConfirm.text(i18n.lang())}</span>
                </label>
                <p class="form-error" role="alert">
                    {move || verbal_missing.get().then(|| PrivacyWord::VerbalNeeded.text(i18n.lang()))}
                    {move || error.get()}
                </p>
                <button type="button" class="button--large" data-testid="verbal-run" disabled=move || check.pending().get() on:click=run_verbal>
                    {move || PrivacyWord::VerbalRun.text(i18n.lang())}
                </button>
            </div>
        }
    };
    let recorded_view = move || {
        view! { <p class="consent-locked" data-testid="consult-refused-recorded">{move || PrivacyWord::RefusedRecorded.text(i18n.lang())}</p> }
    };
    let questions_view = move || {
        view! {
            {move || from_ahead().then(|| {
                let at = ahead.get().map(|a| local_text(offset, a.at)).unwrap_or_default();
                view! {
                    <div class="answers-ahead" role="note" data-testid="answers-ahead">
                        <h3>{move || i18n.bw(BedsideWord::AheadTitle)} " · " {at}</h3>
                        <p>{move || i18n.bw(BedsideWord::AheadHint)}</p>
                    </div>
                }
            })}
            {move || {
                let qs = questions();
                if qs.is_empty() {
                    return view! { <p class="muted">{i18n.bw(BedsideWord::NoQuestions)}</p> }.into_any();
                }
                qs.into_iter()
                    .enumerate()
                    .map(|(n, q)| {
                        let key = q.key.clone();
                        let current = move || {
                            let key = key.clone();
                            answers.get().into_iter().find(|a| a.key == key).map(|a| a.value)
                        };
                        let name = format!("q-{n}");
                        // Marked while the answer is still the one she gave online.
                        let (mark_key, mark_current) = (q.key.clone(), current.clone());
                        let mark = move || {
                            let given = ahead_value(&mark_key);
                            (given.is_some() && given == mark_current()).then(|| view! {
                                <p class="ahead-mark" data-testid="answered-ahead">{move || i18n.bw(BedsideWord::AheadMark)}</p>
                            })
                        };
                        match q.kind {
                            QuestionKind::YesNo { .. } => {
                                let (k1, k2) = (q.key.clone(), q.key.clone());
                                let (c1, c2) = (current.clone(), current);
                                view! {
                                    <fieldset class="question">
                                        <legend>{q.text.to_string()}</legend>
                                        {mark}
                                        <label class="choice-big">
                                            <input type="radio" name=name.clone() prop:checked=move || c1() == Some(AnswerValue::YesNo(true)) on:change=move |_| set_answer(k1.clone(), AnswerValue::YesNo(true))/>
                                            {move || i18n.bw(BedsideWord::Yes)}
                                        </label>
                                        <label class="choice-big">
                                            <input type="radio" name=name prop:checked=move || c2() == Some(AnswerValue::YesNo(false)) on:change=move |_| set_answer(k2.clone(), AnswerValue::YesNo(false))/>
                                            {move || i18n.bw(BedsideWord::No)}
                                        </label>
                                    </fieldset>
                                }
                                    .into_any()
                            }
                            QuestionKind::Text => {
                                let k = q.key.clone();
                                let input_id = format!("q-text-{n}");
                                view! {
                                    <div class="field">
                                        <label for=input_id.clone()>{q.text.to_string()}</label>
                                        {mark}
                                        <textarea id=input_id rows="2" prop:value=move || match current() { Some(AnswerValue::Text(t)) => t.to_string(), _ => String::new() }
                                            on:change=move |ev| if let Ok(t) = Note::parse(&event_target_value(&ev)) { set_answer(k.clone(), AnswerValue::Text(t)) }
                                        ></textarea>
                                    </div>
                                }
                                    .into_any()
                            }
                            QuestionKind::Choice { choices } => {
                                let k = q.key.clone();
                                let input_id = format!("q-choice-{n}");
                                view! {
                                    <div class="field">
                                        <label for=input_id.clone()>{q.text.to_string()}</label>
                                        {mark}
                                        <select id=input_id on:change=move |ev| if let Ok(l) = Label::parse(&event_target_value(&ev)) { set_answer(k.clone(), AnswerValue::Choice(l)) }>
                                            <option value="">"—"</option>
                                            {choices.into_iter().map(|c| {
                                                let chosen = current.clone();
                                                let value = AnswerValue::Choice(c.clone());
                                                view! { <option value=c.to_string() selected=move || chosen() == Some(value.clone())>{c.to_string()}</option> }
                                            }).collect_view()}
                                        </select>
                                    </div>
                                }
                                    .into_any()
                            }
                        }
                    })
                    .collect_view()
                    .into_any()
            }}
            <p class="form-error" role="alert">{move || error.get()}</p>
            <button type="button" class="button--large" data-testid="run-check" disabled=move || check.pending().get() on:click=move |_| { check.dispatch(false); }>
                {move || i18n.bw(if from_ahead() { BedsideWord::ConfirmAndCheck } else { BedsideWord::RunCheck })}
            </button>
        }
    };
    view! {
        <section class="card visit-section" aria-labelledby="consult-title" data-testid="consultation">
            <h2 id="consult-title">{move || i18n.bw(BedsideWord::Consultation)}</h2>
            {move || {
                if refused_recorded.get() {
                    recorded_view().into_any()
                } else if consented.get() {
                    questions_view().into_any()
                } else if refused_now.get() {
                    refused_view().into_any()
                } else {
                    ask_view().into_any()
                }
            }}
            {move || customer_id.get().map(|c| view! { <ConsentDialog customer=c open=consent_open on_decided=on_decided/> })}
        </section>
    }
}

/// The contraindication check of a visit: every service of it, with the answers given; the
/// reasons of all of them count.
fn visit_check(
    customer: &Customer,
    services: &[CatalogService],
    answers: &[Answer],
) -> ContraindicationCheck {
    let mut reasons = Vec::new();
    for s in services {
        if let ContraindicationCheck::Blocked { reasons: r } =
            check_contraindications(customer, s, &[], answers)
        {
            reasons.extend(r);
        }
    }
    reasons.sort();
    reasons.dedup();
    if reasons.is_empty() {
        ContraindicationCheck::Allowed
    } else {
        ContraindicationCheck::Blocked { reasons }
    }
}

#[component]
fn CheckResult(id: ServiceRecordId, record: Memo<Option<ServiceRecord>>) -> impl IntoView {
    let store = use_store();
    let state = use_app_state();
    let i18n = use_i18n();
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let supervisors = Signal::derive(|| {
        pins::load_pins()
            .into_iter()
            .filter(|p| {
                Role::from_code(&p.role).is_some_and(|r| {
                    permission::allowed(r, Permit::ContraindicationOverride, Sensitivity::Sensitive)
                })
            })
            .collect::<Vec<_>>()
    });
    let on_ok = Callback::new(move |supervisor: PinRecord| {
        let lang = i18n.lang();
        let why = reason.get_untracked();
        if why.trim().is_empty() {
            error.set(Some(
                BedsideWord::OverrideReasonRequired.text(lang).to_owned(),
            ));
            return;
        }
        let Some(ContraindicationCheck::Blocked { reasons }) =
            record.get_untracked().and_then(|r| r.check)
        else {
            return;
        };
        leptos::task::spawn_local(async move {
            match override_as(store, state, supervisor, id, reasons, &why).await {
                Ok(()) => {
                    error.set(None);
                    reason.set(String::new());
                }
                Err(e) => error.set(Some(store_error_text(lang, &e).to_owned())),
            }
        });
    });
    view! {
        {move || {
            let r = record.get()?;
            let check = r.check.clone()?;
            let lang = i18n.lang();
            Some(match check {
                ContraindicationCheck::Allowed => view! {
                    <p class="check-ok card" role="status" data-testid="check-ok">{BedsideWord::CheckAllowed.text(lang)}</p>
                }
                    .into_any(),
                ContraindicationCheck::Blocked { reasons } => {
                    let overridden = r.override_by.clone().map(|(by, role, why)| {
                        let name = store.staff_member(by).map(|s| s.name.to_string()).unwrap_or_else(|| crate::i18n::labels::role_name(lang, role).to_owned());
                        view! {
                            <p class="check-override" data-testid="override-logged">
                                {BedsideWord::OverriddenBy.text(lang)} " " <strong>{name}</strong> "：" {why.to_string()}
                            </p>
                        }
                    });
                    let open = r.override_by.is_none();
                    view! {
                        <section class="card check-blocked" role="alert" data-testid="check-blocked">
                            <h2>{BedsideWord::ServiceStopped.text(lang)}</h2>
                            <ul>
                                {reasons.iter().map(|x| view! { <li>{reason_text(lang, x)}</li> }).collect_view()}
                            </ul>
                            {overridden}
                        </section>
                        <Show when=move || open>
                            <section class="card override" aria-labelledby="override-title" data-testid="override">
                                <h2 id="override-title">{move || i18n.bw(BedsideWord::OverrideTitle)}</h2>
                                <p>{move || i18n.bw(BedsideWord::OverrideIntro)}</p>
                                <div class="field">
                                    <label for="override-reason">{move || i18n.bw(BedsideWord::OverrideReason)}</label>
                                    <textarea id="override-reason" rows="3" prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                                </div>
                                <Show
                                    when=move || !supervisors.get().is_empty()
                                    fallback=move || view! { <p>{move || i18n.bw(BedsideWord::NoSupervisorPins)}</p> }
                                >
                                    <PinPrompt candidates=supervisors heading=BedsideWord::WhichSupervisor on_ok=on_ok testid="override-pin"/>
                                </Show>
                                <p class="form-error" role="alert" data-testid="override-error">{move || error.get()}</p>
                            </section>
                        </Show>
                    }
                        .into_any()
                }
            })
        }}
    }
}

/// Writes the override as the supervisor who gave her PIN (the core checks her role), with an
/// audit entry, then gives the tablet back to the therapist's session.
async fn override_as(
    store: StoreHandle,
    state: crate::state::AppState,
    supervisor: PinRecord,
    id: ServiceRecordId,
    reasons: Vec<BlockReason>,
    why: &str,
) -> Result<(), StoreError> {
    let justification = note(why)?;
    let previous = state.session.get_untracked();
    if let Some(session) = supervisor.session.clone() {
        if let (Some(staff), Err(err)) = (
            session.staff_id,
            session.staff_id.map_or(Ok(()), |s| {
                crate::storage::settings::save_token(s, &session.token)
            }),
        ) {
            leptos::logging::warn!("could not remember {staff}'s token: {err}");
        }
        // Not remembered as the device's session: only this write is made as her.
        state.session.set(Some(session));
    }
    let result = async {
        let actor = store.actor()?;
        let (store_id, client_id) = store
            .read(|d| (d.meta().store_id, d.meta().client_id))
            .ok_or(StoreError::NotReady)?;
        let mut changes = vec![entry(
            store,
            id,
            RecordEntryKind::Override {
                reasons,
                justification: justification.clone(),
                // Only reached after `PinPrompt` checked the supervisor's PIN.
                pin_verified: true,
            },
        )?];
        let context = AuditContext {
            store_id,
            actor: actor.staff_id,
            role: actor.role,
            client_id,
        };
        if let Some(mut audit) = context.entry_if_required(
            new_id(),
            Utc::now(),
            Permit::ContraindicationOverride,
            EntityRef::new(EntityKind::ServiceRecord, id.as_uuid()),
            &["override"],
            Sensitivity::Sensitive,
        ) {
            audit.note = justification;
            changes.push(Change::AuditAppend(audit));
        }
        store.mutate_all(changes).await.map(|_| ())
    }
    .await;
    state.session.set(previous);
    result
}

#[component]
fn SkinSection(customer: Memo<Option<Customer>>) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let offset = store_offset(store);
    let hydration = RwSignal::new(String::new());
    let oiliness = RwSignal::new(String::new());
    let redness = RwSignal::new(String::new());
    let notes = RwSignal::new(String::new());
    let error = RwSignal::new(None::<&'static str>);
    let latest = Memo::new(move |_| {
        customer.get().and_then(|c| {
            store
                .skin_assessments(c.id)
                .into_iter()
                .max_by_key(|a| a.assessed_at)
        })
    });
    let save = Action::new_local(move |_: &()| async move {
        let c = customer.get_untracked().ok_or(StoreError::NotReady)?;
        let actor = store.actor()?;
        let num = |s: RwSignal<String>| s.get_untracked().trim().parse::<u8>().ok();
        let assessment = SkinAssessment {
            id: new_id(),
            customer_id: c.id,
            assessed_at: Utc::now(),
            assessed_by: actor.staff_id,
            skin_type: c.skin_type,
            scores: SkinScores {
                hydration: num(hydration),
                oiliness: num(oiliness),
                redness: num(redness),
                ..SkinScores::default()
            },
            concerns: Vec::new(),
            notes: note(&notes.get_untracked())?,
        };
        store
            .mutate(Change::SkinAssessmentAdd(assessment))
            .await
            .map(|_| ())
    });
    Effect::new(move || match save.value().get() {
        Some(Err(e)) => error.set(Some(store_error_text(i18n.lang(), &e))),
        Some(Ok(())) => {
            error.set(None);
            notes.set(String::new());
        }
        None => {}
    });
    view! {
        <section class="card visit-section" aria-labelledby="skin-title" data-testid="skin">
            <h2 id="skin-title">{move || i18n.bw(BedsideWord::SkinAssessment)}</h2>
            {move || latest.get().map(|a| view! {
                <p class="muted" data-testid="skin-latest">
                    {move || i18n.bw(BedsideWord::LastAssessed)} " " {local_text(offset, a.assessed_at)}
                    {a.scores.hydration.map(|h| format!(" · 💧{h}"))}
                    {a.scores.oiliness.map(|o| format!(" · {o}"))}
                    " " {a.notes.to_string()}
                </p>
            })}
            <div class="field-row">
                <div class="field">
                    <label for="skin-hydration">{move || i18n.bw(BedsideWord::Hydration)}</label>
                    <input id="skin-hydration" type="number" min="0" max="100" inputmode="numeric" prop:value=hydration on:input=move |ev| hydration.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="skin-oiliness">{move || i18n.bw(BedsideWord::Oiliness)}</label>
                    <input id="skin-oiliness" type="number" min="0" max="100" inputmode="numeric" prop:value=oiliness on:input=move |ev| oiliness.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="skin-redness">{move || i18n.bw(BedsideWord::Redness)}</label>
                    <input id="skin-redness" type="number" min="0" max="5" inputmode="numeric" prop:value=redness on:input=move |ev| redness.set(event_target_value(&ev))/>
                </div>
            </div>
            <div class="field">
                <label for="skin-notes">{move || i18n.bw(BedsideWord::SkinNotes)}</label>
                <textarea id="skin-notes" rows="2" prop:value=notes on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
            </div>
            <p class="form-error" role="alert">{move || error.get()}</p>
            <button type="button" class="button--large" on:click=move |_| { save.dispatch(()); }>{move || i18n.bw(BedsideWord::SaveAssessment)}</button>
        </section>
    }
}

#[component]
fn PlanSection(id: ServiceRecordId, record: Memo<Option<ServiceRecord>>) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let sessions = RwSignal::new(String::new());
    let products = RwSignal::new(String::new());
    let home = RwSignal::new(String::new());
    let error = RwSignal::new(None::<&'static str>);
    let save = Action::new_local(move |_: &()| async move {
        let lang = i18n.lang();
        let text = format!(
            "{}：{}\n{}：{}\n{}：{}",
            BedsideWord::PlanSessions.text(lang),
            sessions.get_untracked().trim(),
            BedsideWord::PlanProducts.text(lang),
            products.get_untracked().trim(),
            BedsideWord::PlanHomeCare.text(lang),
            home.get_untracked().trim()
        );
        let plan = note(&text)?;
        store
            .mutate(entry(store, id, RecordEntryKind::Plan { plan })?)
            .await
            .map(|_| ())
    });
    Effect::new(move || match save.value().get() {
        Some(Err(e)) => error.set(Some(store_error_text(i18n.lang(), &e))),
        Some(Ok(())) => error.set(None),
        None => {}
    });
    view! {
        <section class="card visit-section" aria-labelledby="plan-title" data-testid="plan">
            <h2 id="plan-title">{move || i18n.bw(BedsideWord::PersonalPlan)}</h2>
            {move || record.get().and_then(|r| r.plan).map(|p| view! { <p class="pre-line" data-testid="plan-saved">{p.to_string()}</p> })}
            <div class="field">
                <label for="plan-sessions">{move || i18n.bw(BedsideWord::PlanSessions)}</label>
                <input id="plan-sessions" type="text" prop:value=sessions on:input=move |ev| sessions.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for="plan-products">{move || i18n.bw(BedsideWord::PlanProducts)}</label>
                <input id="plan-products" type="text" prop:value=products on:input=move |ev| products.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for="plan-home">{move || i18n.bw(BedsideWord::PlanHomeCare)}</label>
                <textarea id="plan-home" rows="2" prop:value=home on:input=move |ev| home.set(event_target_value(&ev))></textarea>
            </div>
            <p class="form-error" role="alert">{move || error.get()}</p>
            <button type="button" class="button--large" data-testid="save-plan" on:click=move |_| { save.dispatch(()); }>{move || i18n.bw(BedsideWord::SavePlan)}</button>
        </section>
    }
}

fn mm_ss(seconds: i64) -> String {
    let s = seconds.max(0);
    format!("{:02}:{:02}", s / 60, s % 60)
}

#[component]
fn StepsSection(
    id: ServiceRecordId,
    record: Memo<Option<ServiceRecord>>,
    services: Memo<Vec<CatalogService>>,
) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let error = RwSignal::new(None::<&'static str>);
    let now = RwSignal::new(Utc::now());
    let timer = set_interval_with_handle(
        move || now.set(Utc::now()),
        std::time::Duration::from_secs(1),
    )
    .ok();
    on_cleanup(move || {
        if let Some(t) = timer {
            t.clear();
        }
    });
    // The SOP steps of every service of the visit, numbered through.
    let steps = Memo::new(move |_| {
        services
            .get()
            .into_iter()
            .flat_map(|s| s.sop_steps)
            .collect::<Vec<_>>()
    });
    let act = Action::new_local(move |(index, start): &(u32, bool)| {
        let (index, start) = (*index, *start);
        async move {
            let r = record.get_untracked().ok_or(StoreError::NotReady)?;
            let mut changes = Vec::new();
            if start {
                // The service starts with its first step.
                if appointment_status(store, &r) == Some(AppointmentStatus::Arrived)
                    && let Some(c) = status_move(store, &r, AppointmentStatus::InService)
                {
                    changes.push(c);
                }
                let name = steps
                    .get_untracked()
                    .get(usize::try_from(index).unwrap_or(usize::MAX))
                    .map(|s| s.name.clone())
                    .ok_or(StoreError::NotReady)?;
                changes.push(entry(
                    store,
                    id,
                    RecordEntryKind::StepStarted { index, name },
                )?);
            } else {
                changes.push(entry(store, id, RecordEntryKind::StepFinished { index })?);
            }
            store.mutate_all(changes).await.map(|_| ())
        }
    });
    Effect::new(move || match act.value().get() {
        Some(Err(e)) => error.set(Some(store_error_text(i18n.lang(), &e))),
        Some(Ok(())) => error.set(None),
        None => {}
    });
    view! {
        <section class="card visit-section" aria-labelledby="steps-title" data-testid="steps">
            <h2 id="steps-title">{move || i18n.bw(BedsideWord::ServiceSteps)}</h2>
            <ol class="sop-steps">
                {move || {
                    let r = record.get();
                    let lang = i18n.lang();
                    steps
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(n, step)| {
                            let index = u32::try_from(n).unwrap_or(u32::MAX);
                            let timing = r.as_ref().and_then(|r| r.steps.iter().find(|s| s.index == index).cloned());
                            let standard = i64::from(step.standard_minutes);
                            let state = match timing {
                                None => {
                                    view! {
                                        <button type="button" class="button--large" data-testid="step-start" on:click=move |_| { act.dispatch((index, true)); }>
                                            {BedsideWord::StartStep.text(lang)}
                                        </button>
                                    }
                                        .into_any()
                                }
                                Some(t) if t.finished_at.is_none() => {
                                    let started = t.started_at;
                                    view! {
                                        <span class="step-timer" data-testid="step-timer">
                                            {move || mm_ss((now.get() - started).num_seconds())}
                                            " / " {format!("{standard:02}:00")}
                                        </span>
                                        {move || {
                                            let over = (now.get() - started).num_minutes() - standard;
                                            (over >= 0 && (now.get() - started).num_seconds() > standard * 60).then(|| view! {
                                                <span class="step-over" role="alert" data-testid="step-over">
                                                    {BedsideWord::StepOverStandard.text(lang)} " " {over_text(lang, over.max(1))}
                                                </span>
                                            })
                                        }}
                                        <button type="button" class="button--large" data-testid="step-finish" on:click=move |_| { act.dispatch((index, false)); }>
                                            {BedsideWord::FinishStep.text(lang)}
                                        </button>
                                    }
                                        .into_any()
                                }
                                Some(t) => {
                                    let took = t.finished_at.map_or(0, |f| (f - t.started_at).num_seconds());
                                    let over = took / 60 - standard;
                                    view! {
                                        <span class="step-done">{"✓ "}{mm_ss(took)}</span>
                                        {(took > standard * 60).then(|| view! { <span class="step-over">{over_text(lang, over.max(1))}</span> })}
                                    }
                                        .into_any()
                                }
                            };
                            view! {
                                <li class="sop-step" data-testid="sop-step">
                                    <span class="sop-step-name"><strong>{step.name.to_string()}</strong> " · " {format!("{} {}", step.standard_minutes, BedsideWord::Minutes.text(lang))}</span>
                                    <span class="sop-step-state">{state}</span>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ol>
            <p class="form-error" role="alert">{move || error.get()}</p>
        </section>
    }
}

#[component]
fn ProductsSection(
    id: ServiceRecordId,
    record: Memo<Option<ServiceRecord>>,
    customer: Memo<Option<Customer>>,
    services: Memo<Vec<CatalogService>>,
) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let products = Memo::new(move |_| store.products());
    let batches = Memo::new(move |_| store.batches());
    let product = RwSignal::new(String::new());
    let batch = RwSignal::new(String::new());
    let quantity = RwSignal::new("1".to_owned());
    let error = RwSignal::new(None::<String>);
    // The batches of the chosen product still in stock and not past their date, expiring
    // soonest first: an expired batch is not put on a customer's skin.
    let in_stock = Memo::new(move |_| {
        let chosen = product.get();
        let today = store.store_today();
        products
            .get()
            .into_iter()
            .find(|p| p.id.to_string() == chosen)
            .map(|p| {
                store
                    .batches_of(p.id)
                    .into_iter()
                    .filter(|b| b.level > 0 && !is_expired(b.batch.expires_on, today))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let chosen_unit = move || {
        let chosen = product.get();
        products
            .get()
            .into_iter()
            .find(|p| p.id.to_string() == chosen)
            .map(|p| p.unit)
    };
    let on_product = move |value: String| {
        // The batch expiring first is the one to use (the core's rule); she may choose another.
        let first = products
            .get_untracked()
            .into_iter()
            .find(|p| p.id.to_string() == value)
            .and_then(|p| store.first_batch_to_use(p.id))
            .map(|b| b.to_string())
            .unwrap_or_default();
        product.set(value);
        batch.set(first);
    };
    let add = Action::new_local(move |_: &()| async move {
        let lang = i18n.lang();
        let p = products
            .get_untracked()
            .into_iter()
            .find(|p| p.id.to_string() == product.get_untracked())
            .ok_or_else(|| BedsideWord::ChooseProduct.text(lang).to_owned())?;
        let quantity = quantity.get_untracked().trim().parse::<u32>().unwrap_or(0);
        if quantity == 0 {
            return Err(BedsideWord::QuantityNeeded.text(lang).to_owned());
        }
        // A product the customer is allergic to is refused before it is recorded.
        if let Some(c) = customer.get_untracked() {
            for s in services.get_untracked() {
                if let ContraindicationCheck::Blocked { reasons } = check_contraindications(&c, &s, &[&p], &[])
                    && let Some(r) = reasons.iter().find(|r| matches!(r, BlockReason::Allergy { product_id: Some(x), .. } if *x == p.id))
                {
                    return Err(reason_text(lang, r));
                }
            }
        }
        let batch_id = batches
            .get_untracked()
            .into_iter()
            .find(|b| b.id.to_string() == batch.get_untracked())
            .map(|b| b.id);
        let change = entry(
            store,
            id,
            RecordEntryKind::ProductUsed {
                product_id: p.id,
                batch_id,
                quantity,
            },
        )
        .map_err(|e| store_error_text(lang, &e).to_owned())?;
        // The record's entry and the stock it takes out are written together.
        store
            .use_in_service(
                id,
                change,
                Usage {
                    product_id: p.id,
                    batch_id,
                    quantity,
                },
            )
            .await
            .map_err(|e| store_error_text(lang, &e).to_owned())
    });
    Effect::new(move || match add.value().get() {
        Some(Err(e)) => error.set(Some(e)),
        Some(Ok(())) => error.set(None),
        None => {}
    });
    let name_of = move |pid| {
        products
            .get()
            .into_iter()
            .find(|p| p.id == pid)
            .map(|p| p.name.to_string())
            .unwrap_or_default()
    };
    let amount_of = move |pid, quantity: u32| {
        let lang = i18n.lang();
        match store.product(pid) {
            Some(p) => quantity_text(lang, i64::from(quantity), p.unit),
            None => quantity.to_string(),
        }
    };
    let batch_of = move |bid| {
        batches
            .get()
            .into_iter()
            .find(|b| Some(b.id) == bid)
            .map(|b| b.batch_no.to_string())
            .unwrap_or_else(|| "—".to_owned())
    };
    let no_batch_in_stock = move || !product.get().is_empty() && in_stock.get().is_empty();
    view! {
        <section class="card visit-section" aria-labelledby="products-title" data-testid="products">
            <h2 id="products-title">{move || i18n.bw(BedsideWord::ProductsUsed)}</h2>
            <ul>
                {move || record.get().map(|r| r.products.into_iter().map(|u| view! {
                    <li data-testid="product-used">{name_of(u.product_id)} " × " {amount_of(u.product_id, u.quantity)} " · " {move || i18n.bw(BedsideWord::Batch)} " " {batch_of(u.batch_id)}</li>
                }).collect_view())}
            </ul>
            <Show when=move || !products.get().is_empty() fallback=move || view! { <p class="muted">{move || i18n.bw(BedsideWord::NoProducts)}</p> }>
                <p class="hint batch-hint">{move || StockWord::BatchFirstHint.text(i18n.lang())}</p>
                <div class="field-row">
                    <div class="field">
                        <label for="product-pick">{move || i18n.bw(BedsideWord::Product)}</label>
                        <select id="product-pick" on:change=move |ev| on_product(event_target_value(&ev))>
                            <option value="">"—"</option>
                            {move || products.get().into_iter().map(|p| view! { <option value=p.id.to_string()>{p.name.to_string()}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="batch-pick">{move || i18n.bw(BedsideWord::Batch)}</label>
                        <select id="batch-pick" prop:value=batch on:change=move |ev| batch.set(event_target_value(&ev))>
                            <option value="" selected=move || batch.get().is_empty()>"—"</option>
                            {move || {
                                let lang = i18n.lang();
                                in_stock.get().into_iter().map(|b| {
                                    let value = b.batch.id.to_string();
                                    let unit = chosen_unit().unwrap_or(orchid_core::product::StockUnit::Piece);
                                    let expiry = b.batch.expires_on.map(|d| format!(" · {d}")).unwrap_or_default();
                                    let label = format!("{}{expiry} · {}", b.batch.batch_no, quantity_text(lang, b.level, unit));
                                    let selected_value = value.clone();
                                    view! { <option value=value selected=move || batch.get() == selected_value>{label}</option> }
                                }).collect_view()
                            }}
                        </select>
                    </div>
                    <div class="field">
                        <label for="product-qty">
                            {move || StockWord::AmountIn.text(i18n.lang())}
                            {move || chosen_unit().map(|u| format!(" ({})", unit_short(i18n.lang(), u)))}
                        </label>
                        <input id="product-qty" type="number" min="1" inputmode="numeric" prop:value=quantity on:input=move |ev| quantity.set(event_target_value(&ev))/>
                    </div>
                </div>
                <Show when=no_batch_in_stock>
                    <p class="hint" data-testid="no-batch-in-stock">{move || StockWord::NoBatchInStock.text(i18n.lang())}</p>
                </Show>
                <button type="button" class="button--large" data-testid="add-product" on:click=move |_| { add.dispatch(()); }>{move || i18n.bw(BedsideWord::AddProduct)}</button>
            </Show>
            <p class="form-error" role="alert">{move || error.get()}</p>
        </section>
    }
}

#[component]
fn NotesSection(id: ServiceRecordId, record: Memo<Option<ServiceRecord>>) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<&'static str>);
    let add = Action::new_local(move |_: &()| async move {
        let note = note(&text.get_untracked())?;
        if note.is_empty() {
            return Ok(());
        }
        store
            .mutate(entry(store, id, RecordEntryKind::Note { note })?)
            .await
            .map(|_| ())
    });
    Effect::new(move || match add.value().get() {
        Some(Err(e)) => error.set(Some(store_error_text(i18n.lang(), &e))),
        Some(Ok(())) => {
            error.set(None);
            text.set(String::new());
        }
        None => {}
    });
    view! {
        <section class="card visit-section" aria-labelledby="notes-title" data-testid="notes">
            <h2 id="notes-title">{move || i18n.bw(BedsideWord::Notes)}</h2>
            <ul>{move || record.get().map(|r| r.notes.into_iter().map(|n| view! { <li class="pre-line">{n.to_string()}</li> }).collect_view())}</ul>
            <div class="field">
                <label for="visit-note">{move || i18n.bw(BedsideWord::NewNote)}</label>
                <textarea id="visit-note" rows="2" prop:value=text on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            </div>
            <p class="form-error" role="alert">{move || error.get()}</p>
            <button type="button" class="button--large" on:click=move |_| { add.dispatch(()); }>{move || i18n.bw(BedsideWord::AddNote)}</button>
        </section>
    }
}

#[component]
fn EvaluationSection(id: ServiceRecordId, record: Memo<Option<ServiceRecord>>) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let effect = RwSignal::new(0u8);
    let before = RwSignal::new(String::new());
    let after = RwSignal::new(String::new());
    let words = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let save = Action::new_local(move |_: &()| async move {
        let lang = i18n.lang();
        if effect.get_untracked() == 0 {
            return Err(BedsideWord::ChooseEffect.text(lang).to_owned());
        }
        let text = format!(
            "{}：{}\n{}：{}\n{}：「{}」",
            BedsideWord::Before.text(lang),
            before.get_untracked().trim(),
            BedsideWord::After.text(lang),
            after.get_untracked().trim(),
            BedsideWord::CustomerWords.text(lang),
            words.get_untracked().trim()
        );
        let change = note(&text)
            .and_then(|note| {
                entry(
                    store,
                    id,
                    RecordEntryKind::Evaluation {
                        effect: effect.get_untracked(),
                        note,
                    },
                )
            })
            .map_err(|e| store_error_text(lang, &e).to_owned())?;
        store
            .mutate(change)
            .await
            .map(|_| ())
            .map_err(|e| store_error_text(lang, &e).to_owned())
    });
    Effect::new(move || match save.value().get() {
        Some(Err(e)) => error.set(Some(e)),
        Some(Ok(())) => error.set(None),
        None => {}
    });
    view! {
        <section class="card visit-section" aria-labelledby="eval-title" data-testid="evaluation">
            <h2 id="eval-title">{move || i18n.bw(BedsideWord::EffectEvaluation)}</h2>
            {move || record.get().and_then(|r| r.effect.map(|e| (e, r.evaluation_note))).map(|(e, n)| view! {
                <p class="pre-line" data-testid="evaluation-saved">{"★".repeat(usize::from(e))} " " {n.map(|n| n.to_string())}</p>
            })}
            <fieldset class="stars">
                <legend>{move || i18n.bw(BedsideWord::Effect)}</legend>
                {(1u8..=5).map(|v| view! {
                    <label class=move || crate::pages::bedside_kiosk::star_class(effect.get() >= v)>
                        <input type="radio" name="effect" prop:checked=move || effect.get() == v on:change=move |_| effect.set(v)/>
                        <span aria-hidden="true">"★"</span>
                        <span class="visually-hidden">{v.to_string()}</span>
                    </label>
                }).collect_view()}
            </fieldset>
            <div class="field">
                <label for="eval-before">{move || i18n.bw(BedsideWord::Before)}</label>
                <textarea id="eval-before" rows="2" prop:value=before on:input=move |ev| before.set(event_target_value(&ev))></textarea>
            </div>
            <div class="field">
                <label for="eval-after">{move || i18n.bw(BedsideWord::After)}</label>
                <textarea id="eval-after" rows="2" prop:value=after on:input=move |ev| after.set(event_target_value(&ev))></textarea>
            </div>
            <div class="field">
                <label for="eval-words">{move || i18n.bw(BedsideWord::CustomerWords)}</label>
                <textarea id="eval-words" rows="2" prop:value=words on:input=move |ev| words.set(event_target_value(&ev))></textarea>
            </div>
            <p class="form-error" role="alert">{move || error.get()}</p>
            <button type="button" class="button--large" data-testid="save-evaluation" on:click=move |_| { save.dispatch(()); }>{move || i18n.bw(BedsideWord::SaveEvaluation)}</button>
        </section>
    }
}

#[component]
fn CompleteSection(
    id: ServiceRecordId,
    record: Memo<Option<ServiceRecord>>,
    services: Memo<Vec<CatalogService>>,
) -> impl IntoView {
    let store = use_store();
    let ui = use_bedside_ui();
    let i18n = use_i18n();
    let error = RwSignal::new(None::<&'static str>);
    let complete = Action::new_local(move |_: &()| async move {
        let r = record.get_untracked().ok_or(StoreError::NotReady)?;
        let store_record = store
            .store()
            .or_else(|| store.store_id().map(Store::blank))
            .ok_or(StoreError::NotReady)?;
        let now = Utc::now();
        let mut changes = Vec::new();
        match appointment_status(store, &r) {
            Some(AppointmentStatus::Arrived) => {
                changes.extend(status_move(store, &r, AppointmentStatus::InService));
                changes.extend(status_move(store, &r, AppointmentStatus::Completed));
            }
            Some(AppointmentStatus::InService) => {
                changes.extend(status_move(store, &r, AppointmentStatus::Completed));
            }
            _ => {}
        }
        changes.push(entry(store, id, RecordEntryKind::Completed)?);
        // The core plans the care call and each service's recall; one care call per visit.
        let mut care_call = false;
        for s in services.get_untracked() {
            for plan in followup::plan_after_service(&store_record, r.customer_id, &s, now) {
                if plan.purpose == FollowUpPurpose::CareCall {
                    if care_call {
                        continue;
                    }
                    care_call = true;
                }
                changes.push(Change::FollowUpUpsert {
                    id: new_id(),
                    fields: vec![
                        FollowUpField::CustomerId(plan.customer_id),
                        FollowUpField::Due(plan.due),
                        FollowUpField::Channel(FollowUpChannel::Phone),
                        FollowUpField::Purpose(plan.purpose),
                        FollowUpField::RecordId(Some(id)),
                        FollowUpField::Assignee(Some(r.therapist_id)),
                        FollowUpField::Status(FollowUpStatus::Planned),
                    ],
                });
            }
        }
        store.mutate_all(changes).await.map(|_| ())
    });
    Effect::new(move || match complete.value().get() {
        Some(Err(e)) => error.set(Some(store_error_text(i18n.lang(), &e))),
        Some(Ok(())) => ui.screen.set(Screen::Kiosk(id)),
        None => {}
    });
    view! {
        <section class="card visit-section visit-complete">
            <p class="form-error" role="alert">{move || error.get()}</p>
            <button type="button" class="button--large button--primary" data-testid="complete-visit" disabled=move || complete.pending().get() on:click=move |_| { complete.dispatch(()); }>
                {move || i18n.bw(BedsideWord::CompleteVisit)}
            </button>
            <p class="muted">{move || i18n.bw(BedsideWord::CompleteHint)}</p>
        </section>
    }
}
