//! Her copy of her data ([privacy], PIPL art. 45, GDPR art. 15): a printable page beside the JSON
//! export — her file, consent decisions, bookings and visits, visit records, feedback, follow-ups,
//! complaints, points and packages, and who read or changed her sensitive data (the audit entries
//! about her, from every device as synced here). Offline, from the device's records (the core's
//! `export_customer`); for the roles that may export, and printing it is logged like an export.
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use orchid_core::customer::Customer;
use orchid_core::ids::CustomerId;
use orchid_core::permission::{self, Action as Permit, Sensitivity};
use orchid_core::sync::CustomerExport;

use crate::format::local_text;
use crate::i18n::bedside_words::{BedsideWord, purpose_word};
use crate::i18n::labels::{self, role_name};
use crate::i18n::privacy_words::{PrivacyWord, action_word, decision_word, field_words};
use crate::i18n::{Lang, Msg};
use crate::state::audit::{log_export, person_name};
use crate::state::store::{StoreHandle, store_offset, use_store};
use crate::state::use_i18n;

fn join<T: ToString>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("、")
}

/// Her file's fields as label and value (empty ones left out).
fn file_lines(c: &Customer, lang: Lang, i18n_t: impl Fn(Msg) -> String) -> Vec<(String, String)> {
    let mut lines = vec![
        (i18n_t(Msg::FieldName), c.name.to_string()),
        (
            i18n_t(Msg::FieldPhone),
            c.phone.as_ref().map(|p| p.readable()).unwrap_or_default(),
        ),
        (
            i18n_t(Msg::FieldEmail),
            c.email
                .as_ref()
                .map(|e| e.as_str().to_owned())
                .unwrap_or_default(),
        ),
        (
            i18n_t(Msg::FieldWechat),
            c.wechat
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        ),
        (i18n_t(Msg::FieldGender), i18n_t(labels::gender(c.gender))),
        (
            i18n_t(Msg::FieldBirthday),
            c.birthday.map(|d| d.to_string()).unwrap_or_default(),
        ),
        (
            i18n_t(Msg::FieldMemberNo),
            c.membership_no
                .as_ref()
                .map(|m| m.as_str().to_owned())
                .unwrap_or_default(),
        ),
        (i18n_t(Msg::FieldPreferences), c.preferences.to_string()),
        (PrivacyWord::FieldTags.text(lang).to_owned(), join(&c.tags)),
        (i18n_t(Msg::FieldNotes), c.notes.to_string()),
        (
            i18n_t(Msg::FieldSkinType),
            c.skin_type
                .map(|s| i18n_t(labels::skin_type(s)))
                .unwrap_or_default(),
        ),
        (
            PrivacyWord::FieldAllergies.text(lang).to_owned(),
            join(&c.allergies),
        ),
        (
            i18n_t(Msg::FieldContraindications),
            join(&c.contraindications),
        ),
        (i18n_t(Msg::FieldHealthNotes), c.health_notes.to_string()),
    ];
    lines.retain(|(_, v)| !v.is_empty());
    lines
}

/// A follow-up's state in words (planned ones say so).
fn follow_up_status(lang: Lang, s: orchid_core::followup::FollowUpStatus) -> &'static str {
    use orchid_core::followup::FollowUpStatus as S;
    match s {
        S::Planned => PrivacyWord::CopyPlanned.text(lang),
        S::Done => BedsideWord::StatusDone.text(lang),
        S::Unreachable => BedsideWord::StatusUnreachable.text(lang),
        S::Cancelled => BedsideWord::StatusCancelled.text(lang),
    }
}

/// One section: a heading and lines of text, or "None".
fn section(
    lang: Lang,
    title: PrivacyWord,
    testid: &'static str,
    lines: Vec<String>,
) -> impl IntoView {
    view! {
        <section class="card copy-section" data-testid=testid>
            <h2>{title.text(lang)}</h2>
            {if lines.is_empty() {
                view! { <p class="muted">{PrivacyWord::CopyNothing.text(lang)}</p> }.into_any()
            } else {
                view! { <ul class="plain-list">{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul> }.into_any()
            }}
        </section>
    }
}

fn sections(
    store: StoreHandle,
    lang: Lang,
    t: impl Fn(Msg) -> String + Copy,
    data: CustomerExport,
) -> impl IntoView {
    let offset = store_offset(store);
    let when = move |at| local_text(offset, at);
    let who = move |id| person_name(store, id, lang);
    let catalog = store.catalog();
    let services = move |ids: &[orchid_core::ids::ServiceId]| {
        ids.iter()
            .map(|id| {
                catalog
                    .iter()
                    .find(|s| s.id == *id)
                    .map(|s| s.name.to_string())
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>()
            .join("、")
    };
    let consents: Vec<String> = data
        .consents
        .iter()
        .map(|c| {
            format!(
                "{} · {} · {} · {}",
                when(c.at),
                decision_word(c.decision).text(lang),
                c.version,
                who(c.recorded_by)
            )
        })
        .collect();
    let visits: Vec<String> = data
        .appointments
        .iter()
        .map(|a| {
            format!(
                "{} · {} · {} · {}",
                when(a.appointment.time.start),
                services(&a.appointment.services),
                a.appointment.therapist_id.map(who).unwrap_or_default(),
                t(labels::status(a.status.status))
            )
        })
        .collect();
    let records: Vec<String> = data
        .service_records
        .iter()
        .map(|r| {
            let mut line = format!(
                "{} · {} · {}",
                when(r.opened_at),
                services(&r.services),
                who(r.therapist_id)
            );
            if let Some(effect) = r.effect {
                line.push_str(&format!(
                    " · {} {effect}/5",
                    PrivacyWord::CopyScore.text(lang)
                ));
            }
            for note in r
                .notes
                .iter()
                .chain(r.evaluation_note.iter())
                .filter(|n| !n.is_empty())
            {
                line.push_str(&format!(" · {note}"));
            }
            line
        })
        .collect();
    let feedback: Vec<String> = data
        .feedback
        .iter()
        .map(|f| {
            let r = &f.ratings;
            let mut line = format!(
                "{} · {} {}/{}/{}/{}/{} · NPS {}",
                when(f.submitted_at),
                PrivacyWord::CopyRatings.text(lang),
                r.tangibles,
                r.reliability,
                r.responsiveness,
                r.assurance,
                r.empathy,
                f.recommend
            );
            if !f.comment.is_empty() {
                line.push_str(&format!(" · {}", f.comment));
            }
            line
        })
        .collect();
    let follow_ups: Vec<String> = data
        .follow_ups
        .iter()
        .map(|f| {
            format!(
                "{} · {} · {} · {}",
                when(f.due),
                purpose_word(f.purpose).text(lang),
                follow_up_status(lang, f.status),
                f.note
            )
        })
        .collect();
    let complaints: Vec<String> = data
        .complaint_events
        .iter()
        .filter_map(|e| match &e.kind {
            orchid_core::complaint::ComplaintEventKind::Received { description, .. } => {
                Some(format!("{} · {description}", when(e.at)))
            }
            _ => None,
        })
        .collect();
    let loyalty: Vec<String> = data
        .loyalty
        .iter()
        .map(|d| {
            let change = match &d.change {
                orchid_core::loyalty::LoyaltyChange::Points { delta, .. } => format!("{delta:+}"),
                other => format!("{other:?}"),
            };
            format!("{} · {change} · {}", when(d.at), d.note)
        })
        .collect();
    let access: Vec<String> = data
        .access
        .iter()
        .map(|a| {
            format!(
                "{} · {} ({}) · {} · {} · {}",
                when(a.at),
                who(a.actor),
                role_name(lang, a.role),
                action_word(a.action, a.sensitivity == Sensitivity::Sensitive).text(lang),
                field_words(&a.fields, lang),
                a.client_id.to_string().chars().take(8).collect::<String>()
            )
        })
        .collect();
    let file = file_lines(&data.customer, lang, t);
    view! {
        <section class="card copy-section" data-testid="copy-file">
            <h2>{PrivacyWord::CopyFile.text(lang)}</h2>
            <dl class="copy-fields">
                {file.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
            </dl>
        </section>
        {section(lang, PrivacyWord::ConsentTitle, "copy-consents", consents)}
        {section(lang, PrivacyWord::CopyVisits, "copy-visits", visits)}
        {section(lang, PrivacyWord::CopyRecords, "copy-records", records)}
        {section(lang, PrivacyWord::CopyFeedback, "copy-feedback", feedback)}
        {section(lang, PrivacyWord::CopyFollowUps, "copy-follow-ups", follow_ups)}
        {section(lang, PrivacyWord::CopyComplaints, "copy-complaints", complaints)}
        {section(lang, PrivacyWord::CopyLoyalty, "copy-loyalty", loyalty)}
        {section(lang, PrivacyWord::CopyAccess, "copy-access", access)}
    }
}

#[component]
pub fn CustomerCopyPage() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let params = use_params_map();
    let customer = Memo::new(move |_| {
        params
            .with(|p| p.get("id"))
            .and_then(|raw| uuid::Uuid::parse_str(&raw).ok())
            .map(CustomerId::from_uuid)
    });
    let may_export =
        move || permission::allowed(store.role(), Permit::CustomerExport, Sensitivity::Sensitive);
    let data = Memo::new(move |_| {
        let id = customer.get()?;
        store
            .with_view(|replica, _| replica.export_customer(id))
            .flatten()
    });
    let print = move |_| {
        if let Some(id) = customer.get_untracked() {
            leptos::task::spawn_local(log_export(store, id));
        }
        crate::components::print_page();
    };
    let lang = move || i18n.lang();
    view! {
        <div class="copy-head">
            <h1>{move || PrivacyWord::CopyTitle.text(lang())} {move || data.get().map(|d| format!(" — {}", d.customer.name)).unwrap_or_default()}</h1>
            <button type="button" class="button--secondary no-print" data-testid="copy-print" on:click=print>
                {move || PrivacyWord::CopyPrint.text(lang())}
            </button>
        </div>
        <p class="page-intro">{move || PrivacyWord::CopyIntro.text(lang())}</p>
        <p class="muted">
            {move || PrivacyWord::CopyMadeAt.text(lang())}
            {move || local_text(store_offset(store), chrono::Utc::now())}
            {move || store.store().map(|s| format!(" · {}", s.name)).unwrap_or_default()}
        </p>
        <Show when=move || store.ready.get() fallback=|| ()>
            {move || {
                let lang = lang();
                if !may_export() {
                    view! { <p class="empty-state">{PrivacyWord::CopyNotAllowed.text(lang)}</p> }.into_any()
                } else if let Some(d) = data.get() {
                    sections(store, lang, move |m| i18n.t(m).to_owned(), d).into_any()
                } else {
                    view! { <p class="empty-state">{PrivacyWord::CopyNotFound.text(lang)}</p> }.into_any()
                }
            }}
        </Show>
    }
}
