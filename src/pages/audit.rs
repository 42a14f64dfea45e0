//! The audit screen ([privacy]) for managers and the owner: who read or changed which customer's
//! sensitive data, when, on which device — every device's entries, as synced to this one, so it
//! works offline —, filtered by customer, staff member and dates, downloadable as CSV, with
//! reading that stands out (the core's `unusual_reads`: many customers' health data opened by
//! one person in a short time) marked and summed up at the top. Entries only the server writes
//! (sign-ins, exports through the server) are in the server's log (`GET /api/v1/audit`).
use std::collections::BTreeMap;

use chrono::NaiveDate;
use leptos::prelude::*;
use orchid_core::ids::StaffId;

use crate::format::{csv_line, local_text};
use crate::i18n::Lang;
use crate::i18n::labels::role_name;
use crate::i18n::privacy_words::{PrivacyWord, action_word, field_words};
use crate::state::audit::{AuditLine, person_name};
use crate::state::download::download_as;
use crate::state::store::{StoreHandle, store_offset, use_store};
use crate::state::use_i18n;

/// The filters, as typed.
#[derive(Clone, Copy)]
struct Filters {
    customer: RwSignal<String>,
    person: RwSignal<String>,
    from: RwSignal<String>,
    to: RwSignal<String>,
}

impl Filters {
    fn keep(&self, line: &AuditLine, store: StoreHandle) -> bool {
        let offset = store_offset(store);
        let day = offset.local(line.entry.at).date();
        let customer = self.customer.get().trim().to_lowercase();
        let person = self.person.get();
        let date = |raw: String| NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok();
        (customer.is_empty()
            || line
                .customer_name
                .as_ref()
                .is_some_and(|n| n.to_lowercase().contains(&customer)))
            && (person.is_empty() || line.entry.actor.to_string() == person)
            && date(self.from.get()).is_none_or(|from| day >= from)
            && date(self.to.get()).is_none_or(|to| day <= to)
    }
}

/// The columns of a line, as shown and as downloaded.
fn columns(line: &AuditLine, store: StoreHandle, lang: Lang, this_device: bool) -> [String; 7] {
    let e = &line.entry;
    let sensitive = e.sensitivity == orchid_core::permission::Sensitivity::Sensitive;
    [
        local_text(store_offset(store), e.at),
        person_name(store, e.actor, lang),
        role_name(lang, e.role).to_owned(),
        action_word(e.action, sensitive).text(lang).to_owned(),
        line.customer_name
            .clone()
            .or_else(|| {
                line.customer
                    .map(|_| PrivacyWord::AuditErased.text(lang).to_owned())
            })
            .unwrap_or_default(),
        field_words(&e.fields, lang),
        if this_device {
            PrivacyWord::ThisDevice.text(lang).to_owned()
        } else {
            e.client_id.to_string().chars().take(8).collect()
        },
    ]
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let filters = Filters {
        customer: RwSignal::new(String::new()),
        person: RwSignal::new(String::new()),
        from: RwSignal::new(String::new()),
        to: RwSignal::new(String::new()),
    };
    let lines = Memo::new(move |_| store.audit_lines());
    let shown = Memo::new(move |_| {
        lines
            .get()
            .into_iter()
            .filter(|l| filters.keep(l, store))
            .collect::<Vec<_>>()
    });
    let this_device = move || store.client_id();
    // Whose reading stands out, with how many customers and from when to when.
    let bursts = Memo::new(move |_| {
        let mut by_person: BTreeMap<StaffId, Vec<AuditLine>> = BTreeMap::new();
        for l in lines.get().into_iter().filter(|l| l.unusual) {
            by_person.entry(l.entry.actor).or_default().push(l);
        }
        by_person
            .into_iter()
            .map(|(person, lines)| {
                let records: std::collections::BTreeSet<_> =
                    lines.iter().map(|l| l.entry.entity).collect();
                let first = lines.iter().map(|l| l.entry.at).min();
                let last = lines.iter().map(|l| l.entry.at).max();
                (person, records.len(), first, last)
            })
            .collect::<Vec<_>>()
    });
    let people = Memo::new(move |_| {
        let mut seen: BTreeMap<StaffId, String> = BTreeMap::new();
        for l in lines.get() {
            seen.entry(l.entry.actor)
                .or_insert_with(|| person_name(store, l.entry.actor, lang()));
        }
        seen.into_iter().collect::<Vec<_>>()
    });
    let download_csv = move |_| {
        let lang = lang();
        let device = this_device();
        let mut text = csv_line(&[
            PrivacyWord::AuditWhen.text(lang),
            PrivacyWord::AuditPerson.text(lang),
            "",
            PrivacyWord::AuditAction.text(lang),
            PrivacyWord::AuditCustomer.text(lang),
            PrivacyWord::AuditFields.text(lang),
            PrivacyWord::AuditDevice.text(lang),
            PrivacyWord::AuditUnusual.text(lang),
        ]);
        for l in shown.get_untracked() {
            let mut cells = columns(&l, store, lang, Some(l.entry.client_id) == device).to_vec();
            cells.push(if l.unusual { "!".into() } else { String::new() });
            text.push_str(&csv_line(&cells));
        }
        // With a byte-order mark: Excel reads a CSV without one in the system's code page.
        if let Err(err) = download_as(
            "orchid-audit.csv",
            &format!("\u{FEFF}{text}"),
            "text/csv;charset=utf-8",
        ) {
            leptos::logging::warn!("the audit download failed: {err:?}");
        }
    };
    view! {
        <h1>{move || PrivacyWord::AuditTitle.text(lang())}</h1>
        <p class="page-intro">{move || PrivacyWord::AuditIntro.text(lang())}</p>
        <Show when=move || store.ready.get() fallback=|| ()>
            <Show when=move || !bursts.get().is_empty()>
                <section class="card audit-unusual" role="alert" data-testid="audit-unusual">
                    <h2>{move || PrivacyWord::AuditUnusual.text(lang())}</h2>
                    <ul class="plain-list">
                        {move || bursts.get().into_iter().map(|(person, count, first, last)| {
                            let name = person_name(store, person, lang());
                            let offset = store_offset(store);
                            let span = match (first, last) {
                                (Some(a), Some(b)) => format!(" ({} – {})", local_text(offset, a), local_text(offset, b)),
                                _ => String::new(),
                            };
                            view! {
                                <li>{count} {move || PrivacyWord::AuditUnusualSentence.text(lang())} {name.clone()} {span.clone()}</li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            </Show>
            <form class="audit-filters" on:submit=|ev| ev.prevent_default()>
                <div class="field">
                    <label for="audit-customer">{move || PrivacyWord::AuditCustomer.text(lang())}</label>
                    <input id="audit-customer" type="search" prop:value=filters.customer
                        on:input=move |ev| filters.customer.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="audit-person">{move || PrivacyWord::AuditPerson.text(lang())}</label>
                    <select id="audit-person" on:change=move |ev| filters.person.set(event_target_value(&ev))>
                        <option value="">{move || PrivacyWord::AuditEveryone.text(lang())}</option>
                        <For each=move || people.get() key=|p| p.clone() let:p>
                            <option value=p.0.to_string()>{p.1.clone()}</option>
                        </For>
                    </select>
                </div>
                <div class="field">
                    <label for="audit-from">{move || PrivacyWord::AuditFrom.text(lang())}</label>
                    <input id="audit-from" type="date" prop:value=filters.from
                        on:input=move |ev| filters.from.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="audit-to">{move || PrivacyWord::AuditTo.text(lang())}</label>
                    <input id="audit-to" type="date" prop:value=filters.to
                        on:input=move |ev| filters.to.set(event_target_value(&ev))/>
                </div>
                <button type="button" data-testid="audit-download" on:click=download_csv>
                    {move || PrivacyWord::AuditDownload.text(lang())}
                </button>
            </form>
            <p role="status" data-testid="audit-count">{move || shown.get().len()} " " {move || PrivacyWord::AuditShown.text(lang())}</p>
            <Show when=move || shown.get().is_empty()>
                <p class="empty-state" data-testid="audit-none">{move || PrivacyWord::AuditNone.text(lang())}</p>
            </Show>
            <Show when=move || !shown.get().is_empty()>
                <div class="table-wrap">
                    <table class="audit-list" data-testid="audit-list">
                        <thead>
                            <tr>
                                <th scope="col">{move || PrivacyWord::AuditWhen.text(lang())}</th>
                                <th scope="col">{move || PrivacyWord::AuditPerson.text(lang())}</th>
                                <th scope="col">{move || PrivacyWord::AuditAction.text(lang())}</th>
                                <th scope="col">{move || PrivacyWord::AuditCustomer.text(lang())}</th>
                                <th scope="col">{move || PrivacyWord::AuditFields.text(lang())}</th>
                                <th scope="col">{move || PrivacyWord::AuditDevice.text(lang())}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {move || {
                                let lang = lang();
                                let device = this_device();
                                shown.get().into_iter().map(|l| {
                                    let [when, person, role, action, customer, fields, device_name] =
                                        columns(&l, store, lang, Some(l.entry.client_id) == device);
                                    let class = if l.unusual { "audit-row audit-row--unusual" } else { "audit-row" };
                                    view! {
                                        <tr class=class data-testid="audit-row" data-unusual=l.unusual.to_string()>
                                            <td>{when}</td>
                                            <td>{person} <span class="muted">{role}</span></td>
                                            <td>{action}</td>
                                            <td>{customer}</td>
                                            <td>{fields}</td>
                                            <td>{device_name}</td>
                                        </tr>
                                    }
                                }).collect_view()
                            }}
                        </tbody>
                    </table>
                </div>
            </Show>
        </Show>
    }
}
