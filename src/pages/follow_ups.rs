//! The follow-up worklist ([treatment room]): care calls, recalls, birthdays and complaints'
//! call-backs (回访, shown only to those who handle complaints, with a link to the case and the
//! question "satisfied or not", written into the case too), overdue ones first and highlighted;
//! the outcome is recorded with the channel used, or the call moved.
//! (Sending messages is out of scope: the list records that they were made.)
use chrono::{NaiveDate, NaiveTime, Utc};
use leptos::prelude::*;
use leptos_router::components::A;
use orchid_core::customer_care::Lapsed;
use orchid_core::followup::{
    self, FollowUp, FollowUpChannel, FollowUpField, FollowUpOutcome, FollowUpPurpose,
    FollowUpStatus,
};
use orchid_core::ids::{CustomerId, FollowUpId, StaffId};
use orchid_core::permission::{self, Action as Permit, Sensitivity};
use orchid_core::role::Role;

use orchid_core::text::Note;

use crate::components::store_error_text;
use crate::i18n::Lang;
use crate::i18n::bedside_words::BedsideWord;
use crate::i18n::bedside_words::purpose_word;
use crate::i18n::complaint_words::ComplaintWord;
use crate::i18n::team_words::TeamWord;
use crate::state::complaints::{CallBackAnswer, staff_name};
use crate::state::store::{store_offset, use_store};
use crate::state::use_i18n;
use crate::storage::repo::StoreError;

fn channel_word(c: FollowUpChannel) -> BedsideWord {
    match c {
        FollowUpChannel::Phone => BedsideWord::ChannelPhone,
        FollowUpChannel::Sms => BedsideWord::ChannelSms,
        FollowUpChannel::Wechat => BedsideWord::ChannelWechat,
        FollowUpChannel::Email => BedsideWord::ChannelEmail,
    }
}

const CHANNELS: [(FollowUpChannel, &str); 4] = [
    (FollowUpChannel::Phone, "phone"),
    (FollowUpChannel::Sms, "sms"),
    (FollowUpChannel::Wechat, "wechat"),
    (FollowUpChannel::Email, "email"),
];

/// What the person at the other end said, or that nobody answered.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Result_ {
    Outcome(FollowUpOutcome),
    Unreachable,
}

const RESULTS: [(Result_, &str, BedsideWord); 6] = [
    (
        Result_::Outcome(FollowUpOutcome::Satisfied),
        "satisfied",
        BedsideWord::OutcomeSatisfied,
    ),
    (
        Result_::Outcome(FollowUpOutcome::ProblemRaised),
        "problem",
        BedsideWord::OutcomeProblem,
    ),
    (
        Result_::Outcome(FollowUpOutcome::Rebooked),
        "rebooked",
        BedsideWord::OutcomeRebooked,
    ),
    (
        Result_::Outcome(FollowUpOutcome::NotInterested),
        "not_interested",
        BedsideWord::OutcomeNotInterested,
    ),
    (
        Result_::Outcome(FollowUpOutcome::Other),
        "other",
        BedsideWord::OutcomeOther,
    ),
    (
        Result_::Unreachable,
        "unreachable",
        BedsideWord::Unreachable,
    ),
];

/// What a complaint's call-back can come to.
const CALL_BACK_ANSWERS: [(CallBackAnswer, &str, ComplaintWord); 3] = [
    (
        CallBackAnswer::Satisfied,
        "satisfied",
        ComplaintWord::CallBackSatisfied,
    ),
    (
        CallBackAnswer::NotSatisfied,
        "not_satisfied",
        ComplaintWord::CallBackNotSatisfied,
    ),
    (
        CallBackAnswer::Unreachable,
        "unreachable",
        ComplaintWord::CallBackUnreachable,
    ),
];

const PURPOSES: [FollowUpPurpose; 6] = [
    FollowUpPurpose::CareCall,
    FollowUpPurpose::Recall,
    FollowUpPurpose::Birthday,
    FollowUpPurpose::ReEngagement,
    FollowUpPurpose::ComplaintCheck,
    FollowUpPurpose::Other,
];

fn purpose_code(p: FollowUpPurpose) -> &'static str {
    match p {
        FollowUpPurpose::CareCall => "care_call",
        FollowUpPurpose::Recall => "recall",
        FollowUpPurpose::Birthday => "birthday",
        FollowUpPurpose::ReEngagement => "re_engagement",
        FollowUpPurpose::ComplaintCheck => "complaint_check",
        FollowUpPurpose::Other => "other",
    }
}

fn status_text(lang: Lang, s: FollowUpStatus) -> &'static str {
    match s {
        FollowUpStatus::Planned => "",
        FollowUpStatus::Done => BedsideWord::StatusDone.text(lang),
        FollowUpStatus::Unreachable => BedsideWord::StatusUnreachable.text(lang),
        FollowUpStatus::Cancelled => BedsideWord::StatusCancelled.text(lang),
    }
}

/// Whether the worklist shows `f`: everyone's, or only those assigned to `mine`.
fn shown_to(f: &FollowUp, mine: Option<StaffId>) -> bool {
    mine.is_none_or(|me| f.assignee == Some(me))
}

#[component]
pub fn FollowUpsPage() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let purpose = RwSignal::new(String::new());
    let show_done = RwSignal::new(false);
    // A therapist's list starts with her own follow-ups (the care calls after her visits); she
    // may show everyone's. Others start with all. Until she chooses, it follows the active role.
    let only_mine_choice = RwSignal::new(None::<bool>);
    let only_mine = Signal::derive(move || {
        only_mine_choice
            .get()
            .unwrap_or_else(|| store.active_role() == Some(Role::Therapist))
    });
    let message = RwSignal::new(None::<String>);
    let may =
        move || permission::allowed(store.role(), Permit::FollowUpManage, Sensitivity::Ordinary);
    // Complaints' call-backs are offered as a kind only to those the list shows them to.
    let handles_complaints =
        move || permission::allowed(store.role(), Permit::ComplaintHandle, Sensitivity::Ordinary);
    let list = Memo::new(move |_| {
        let wanted = purpose.get();
        let done = show_done.get();
        let mine = only_mine
            .get()
            .then(|| store.actor().ok().map(|a| a.staff_id))
            .flatten();
        let mut l: Vec<FollowUp> = store
            .follow_ups()
            .into_iter()
            .filter(|f| shown_to(f, mine))
            // A complaint's call-back is for those who handle complaints: its link, its
            // question and its outcome belong to the case.
            .filter(|f| f.may_work_on(store.role()))
            .filter(|f| wanted.is_empty() || purpose_code(f.purpose) == wanted)
            .filter(|f| done || f.status == FollowUpStatus::Planned)
            .collect();
        l.sort_by_key(|f| (f.status != FollowUpStatus::Planned, f.due, f.id));
        l
    });
    view! {
        <h1>{move || i18n.bw(BedsideWord::FollowUpsTitle)}</h1>
        <p class="page-intro">{move || i18n.bw(BedsideWord::FollowUpsIntro)} {move || i18n.bw(BedsideWord::CarePlansItself)}</p>
        <div class="worklist-tools">
            <div class="field">
                <label for="fu-purpose">{move || i18n.bw(BedsideWord::Purpose)}</label>
                <select id="fu-purpose" data-testid="fu-purpose" on:change=move |ev| purpose.set(event_target_value(&ev))>
                    <option value="">{move || i18n.bw(BedsideWord::AllPurposes)}</option>
                    {PURPOSES.into_iter().filter(|p| *p != FollowUpPurpose::ComplaintCheck || handles_complaints()).map(|p| view! { <option value=purpose_code(p)>{move || i18n.bw(purpose_word(p))}</option> }).collect_view()}
                </select>
            </div>
            <label class="check">
                <input type="checkbox" prop:checked=show_done on:change=move |ev| show_done.set(event_target_checked(&ev))/>
                {move || i18n.bw(BedsideWord::ShowDone)}
            </label>
            <label class="check">
                <input type="checkbox" data-testid="fu-only-mine" prop:checked=only_mine on:change=move |ev| only_mine_choice.set(Some(event_target_checked(&ev)))/>
                {move || TeamWord::OnlyMine.text(i18n.lang())}
            </label>
        </div>
        <p role="status" data-testid="fu-message">{move || message.get()}</p>
        <ul class="worklist" data-testid="follow-ups">
            {move || {
                let l = list.get();
                if l.is_empty() {
                    return view! { <li class="empty-state">{i18n.bw(BedsideWord::NoFollowUps)}</li> }.into_any();
                }
                l.into_iter().take(300).map(|f| view! { <FollowUpRow follow_up=f/> }).collect_view().into_any()
            }}
        </ul>
        <Show when=may>
            <LapsedList/>
        </Show>
    }
}

/// How many absent customers the list shows at once.
const LAPSED_SHOWN: usize = 200;

/// The re-engagement list (流失客户召回): customers not back for the store's days, each with a
/// call to plan; planning twice plans nothing more (the call's id names her absence).
#[component]
fn LapsedList() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lapsed = Memo::new(move |_| store.lapsed_customers());
    let message = RwSignal::new(None::<String>);
    let plan = Action::new_local(move |which: &Option<CustomerId>| {
        let which = *which;
        async move {
            let chosen: Vec<Lapsed> = lapsed
                .get_untracked()
                .into_iter()
                .filter(|l| which.is_none_or(|c| l.customer.id == c))
                .collect();
            store.plan_re_engagement(&chosen).await
        }
    });
    Effect::new(move || match plan.value().get() {
        Some(Ok(n)) => message.set(Some(format!("{} {n}", i18n.bw(BedsideWord::CallsPlanned)))),
        Some(Err(e)) => message.set(Some(store_error_text(i18n.lang(), &e).to_owned())),
        None => {}
    });
    let any_unplanned = move || lapsed.with(|l| l.iter().any(|x| !x.planned));
    view! {
        <section class="lapsed" aria-labelledby="lapsed-title" data-testid="lapsed">
            <h2 id="lapsed-title">{move || i18n.bw(BedsideWord::LapsedTitle)} " (" {move || lapsed.with(Vec::len)} ")"</h2>
            <p class="muted">{move || i18n.bw(BedsideWord::LapsedIntro)}</p>
            <Show when=any_unplanned>
                <button type="button" class="button--secondary" data-testid="lapsed-plan-all" disabled=move || plan.pending().get() on:click=move |_| { plan.dispatch(None); }>
                    {move || i18n.bw(BedsideWord::PlanAllCalls)}
                </button>
            </Show>
            <p role="status" data-testid="lapsed-message">{move || message.get()}</p>
            {move || {
                let l = lapsed.get();
                if l.is_empty() {
                    return view! { <p class="empty-state">{i18n.bw(BedsideWord::NobodyLapsed)}</p> }.into_any();
                }
                let more = l.len() > LAPSED_SHOWN;
                view! {
                    <table class="report-table lapsed-table">
                        <thead><tr>
                            <th scope="col">{i18n.bw(BedsideWord::Customer)}</th>
                            <th scope="col">{i18n.bw(BedsideWord::LastVisit)}</th>
                            <th scope="col">{i18n.bw(BedsideWord::DaysAway)}</th>
                            <th scope="col"><span class="visually-hidden">{i18n.bw(BedsideWord::PlanCall)}</span></th>
                        </tr></thead>
                        <tbody>
                            {l.into_iter().take(LAPSED_SHOWN).map(|x| {
                                let id = x.customer.id;
                                let href = format!("/customers/{id}");
                                view! {
                                    <tr data-testid="lapsed-row" data-customer=id.to_string()>
                                        <th scope="row"><A href=href>{x.customer.name.as_str().to_owned()}</A></th>
                                        <td>{x.last_visit.to_string()}</td>
                                        <td>{x.days}</td>
                                        <td>{if x.planned {
                                            view! { <span class="badge" data-testid="lapsed-planned">{i18n.bw(BedsideWord::CallPlanned)}</span> }.into_any()
                                        } else {
                                            view! { <button type="button" class="button--secondary" data-testid="lapsed-plan" disabled=move || plan.pending().get() on:click=move |_| { plan.dispatch(Some(id)); }>{i18n.bw(BedsideWord::PlanCall)}</button> }.into_any()
                                        }}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    <Show when=move || more><p class="muted">{i18n.bw(BedsideWord::MoreLapsed)}</p></Show>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn FollowUpRow(follow_up: FollowUp) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let offset = store_offset(store);
    let id: FollowUpId = follow_up.id;
    let now = Utc::now();
    let overdue = follow_up.is_overdue(now);
    let due_today = offset.local_date(follow_up.due) == offset.local_date(now);
    let open = RwSignal::new(None::<bool>); // Some(true): outcome form; Some(false): reschedule
    let channel = RwSignal::new(follow_up.channel);
    let result = RwSignal::new(Result_::Outcome(FollowUpOutcome::Satisfied));
    let answer = RwSignal::new(CallBackAnswer::Satisfied);
    let case = follow_up.complaint_id;
    let this = StoredValue::new(follow_up.clone());
    let note = RwSignal::new(String::new());
    let date = RwSignal::new(offset.local_date(follow_up.due).to_string());
    let error = RwSignal::new(None::<&'static str>);
    let save = Action::new_local(move |outcome_form: &bool| {
        let outcome_form = *outcome_form;
        async move {
            if outcome_form && case.is_some() {
                let typed = note.get_untracked();
                let words = Note::parse(typed.trim())
                    .map_err(|e| StoreError::from(orchid_core::ValidationError::from(e)))?;
                let call = this.get_value();
                return store
                    .record_call_back(
                        &call,
                        channel.get_untracked(),
                        answer.get_untracked(),
                        words,
                    )
                    .await;
            }
            let fields = if outcome_form {
                let (status, outcome) = match result.get_untracked() {
                    Result_::Outcome(o) => (FollowUpStatus::Done, Some(o)),
                    Result_::Unreachable => (FollowUpStatus::Unreachable, None),
                };
                let mut fields = vec![
                    FollowUpField::Channel(channel.get_untracked()),
                    FollowUpField::Status(status),
                    FollowUpField::Outcome(outcome),
                    FollowUpField::DoneAt(Some(Utc::now())),
                ];
                if let Ok(n) = Note::parse(&note.get_untracked())
                    && !n.is_empty()
                {
                    fields.push(FollowUpField::Note(n));
                }
                fields
            } else {
                let day = NaiveDate::parse_from_str(&date.get_untracked(), "%Y-%m-%d")
                    .map_err(|_| StoreError::NotReady)?;
                let at =
                    NaiveTime::from_hms_opt(followup::CALL_HOUR, 0, 0).unwrap_or(NaiveTime::MIN);
                vec![FollowUpField::Due(offset.to_utc(day.and_time(at)))]
            };
            store.edit_follow_up(&this.get_value(), fields).await
        }
    });
    Effect::new(move || match save.value().get() {
        Some(Ok(())) => {
            error.set(None);
            open.set(None);
        }
        Some(Err(e)) => error.set(Some(store_error_text(i18n.lang(), &e))),
        None => {}
    });
    let customer = store.customer(follow_up.customer_id);
    let name = customer
        .as_ref()
        .map(|c| c.name.to_string())
        .unwrap_or_default();
    let phone = customer
        .as_ref()
        .and_then(|c| c.phone.as_ref().map(|p| p.readable()))
        .unwrap_or_default();
    let href = format!("/customers/{}", follow_up.customer_id);
    let assignee = follow_up
        .assignee
        .and_then(|s| staff_name(store, s))
        .unwrap_or_default();
    let class = if overdue {
        "worklist-row worklist-row--overdue"
    } else {
        "worklist-row"
    };
    let planned = follow_up.status == FollowUpStatus::Planned;
    let status = follow_up.status;
    let purpose = follow_up.purpose;
    let fu_channel = follow_up.channel;
    let due = offset
        .local(follow_up.due)
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let saved_note = follow_up.note.to_string();
    let may = permission::allowed(store.role(), Permit::FollowUpManage, Sensitivity::Ordinary);
    let note_id = format!("fu-note-{id}");
    let channel_id = format!("fu-channel-{id}");
    let result_id = format!("fu-result-{id}");
    let date_id = format!("fu-date-{id}");
    view! {
        <li class=class data-testid="follow-up">
            <div class="worklist-main">
                <span class="worklist-due">
                    {due}
                    {overdue.then(|| view! { <strong class="badge badge--alert" data-testid="fu-overdue">{move || i18n.bw(BedsideWord::Overdue)}</strong> })}
                    {(due_today && !overdue).then(|| view! { <span class="badge">{move || i18n.bw(BedsideWord::DueToday)}</span> })}
                </span>
                <span class="worklist-who">
                    <A href=href><strong>{name}</strong></A>
                    " " <span class="muted">{phone}</span>
                </span>
                <span class="badge" data-testid="fu-purpose-label">{move || i18n.bw(purpose_word(purpose))}</span>
                {case.filter(|_| permission::allowed(store.role(), Permit::ComplaintRead, Sensitivity::Ordinary)).map(|c| view! {
                    <A href=format!("/complaints/{c}") attr:data-testid="fu-case">{move || ComplaintWord::OpenTheCase.text(i18n.lang())}</A>
                })}
                <span class="muted">
                    {move || i18n.bw(channel_word(fu_channel))}
                    {(!assignee.is_empty()).then(|| format!(" · {assignee}"))}
                </span>
                <span>{move || status_text(i18n.lang(), status)}</span>
            </div>
            {(!saved_note.is_empty()).then(|| view! { <p class="muted pre-line">{saved_note.clone()}</p> })}
            <Show when=move || planned && may>
                <div class="worklist-actions">
                    <button type="button" class="button--large" data-testid="fu-record" on:click=move |_| open.set(Some(true))>{move || i18n.bw(BedsideWord::RecordOutcome)}</button>
                    <button type="button" class="button--large button--secondary" on:click=move |_| open.set(Some(false))>{move || i18n.bw(BedsideWord::Reschedule)}</button>
                </div>
            </Show>
            {
                let (note_id, channel_id, result_id, date_id) = (note_id.clone(), channel_id.clone(), result_id.clone(), date_id.clone());
                move || match open.get() {
                Some(true) => {
                    let (note_id, channel_id, result_id) = (note_id.clone(), channel_id.clone(), result_id.clone());
                    view! {
                    <form class="worklist-form" on:submit=move |ev| { ev.prevent_default(); save.dispatch(true); }>
                        <div class="field-row">
                            <div class="field">
                                <label for=channel_id.clone()>{move || i18n.bw(BedsideWord::Channel)}</label>
                                <select id=channel_id on:change=move |ev| {
                                    let v = event_target_value(&ev);
                                    if let Some((c, _)) = CHANNELS.iter().find(|(_, code)| *code == v) { channel.set(*c); }
                                }>
                                    {CHANNELS.into_iter().map(|(c, code)| view! { <option value=code selected=move || channel.get() == c>{move || i18n.bw(channel_word(c))}</option> }).collect_view()}
                                </select>
                            </div>
                            <div class="field">
                                <label for=result_id.clone()>{move || if case.is_some() { ComplaintWord::CallBackQuestion.text(i18n.lang()) } else { i18n.bw(BedsideWord::Outcome) }}</label>
                                {if case.is_some() {
                                    // A call-back asks one thing: is she satisfied with how her
                                    // complaint ended?
                                    view! {
                                        <select id=result_id data-testid="fu-call-back-answer" on:change=move |ev| {
                                            let v = event_target_value(&ev);
                                            if let Some((a, _, _)) = CALL_BACK_ANSWERS.iter().find(|(_, code, _)| *code == v) { answer.set(*a); }
                                        }>
                                            {CALL_BACK_ANSWERS.into_iter().map(|(_, code, word)| view! { <option value=code>{move || word.text(i18n.lang())}</option> }).collect_view()}
                                        </select>
                                    }.into_any()
                                } else {
                                    view! {
                                        <select id=result_id on:change=move |ev| {
                                            let v = event_target_value(&ev);
                                            if let Some((r, _, _)) = RESULTS.iter().find(|(_, code, _)| *code == v) { result.set(*r); }
                                        }>
                                            {RESULTS.into_iter().map(|(_, code, word)| view! { <option value=code>{move || i18n.bw(word)}</option> }).collect_view()}
                                        </select>
                                    }.into_any()
                                }}
                            </div>
                        </div>
                        <div class="field">
                            <label for=note_id.clone()>{move || i18n.bw(BedsideWord::FollowUpNote)}</label>
                            <textarea id=note_id rows="2" prop:value=note on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                        </div>
                        <div class="form-actions">
                            <button type="button" class="button--secondary" on:click=move |_| open.set(None)>{move || i18n.bw(BedsideWord::Cancel)}</button>
                            <button type="submit" data-testid="fu-save">{move || i18n.bw(BedsideWord::Save)}</button>
                        </div>
                    </form>
                }.into_any()},
                Some(false) => {
                    let date_id = date_id.clone();
                    view! {
                    <form class="worklist-form" on:submit=move |ev| { ev.prevent_default(); save.dispatch(false); }>
                        <div class="field">
                            <label for=date_id.clone()>{move || i18n.bw(BedsideWord::NewDate)}</label>
                            <input id=date_id type="date" prop:value=date on:input=move |ev| date.set(event_target_value(&ev))/>
                        </div>
                        <div class="form-actions">
                            <button type="button" class="button--secondary" on:click=move |_| open.set(None)>{move || i18n.bw(BedsideWord::Cancel)}</button>
                            <button type="submit">{move || i18n.bw(BedsideWord::Save)}</button>
                        </div>
                    </form>
                }.into_any()},
                None => ().into_any(),
            }}
            <p class="form-error" role="alert">{move || error.get()}</p>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::store::new_id;

    #[test]
    fn only_mine_keeps_the_follow_ups_assigned_to_me() {
        let (me, colleague): (StaffId, StaffId) = (new_id(), new_id());
        let with = |assignee| FollowUp {
            assignee,
            ..FollowUp::blank(new_id(), new_id())
        };
        let (mine, theirs, nobodys) = (with(Some(me)), with(Some(colleague)), with(None));
        assert!(shown_to(&mine, Some(me)));
        assert!(!shown_to(&theirs, Some(me)));
        assert!(!shown_to(&nobodys, Some(me)));
        for f in [&mine, &theirs, &nobodys] {
            assert!(shown_to(f, None));
        }
    }
}
