//! The case library (投诉案例库): closed and archived complaints searched by nature, service, staff
//! member, product batch and text, and the statistics of all complaints — by nature, severity and
//! month, deadline compliance, time to close, reopen rate — drawn as plain bars.
use std::collections::BTreeMap;

use chrono::Utc;
use leptos::prelude::*;
use leptos_router::components::A;
use orchid_core::complaint::{ComplaintNature, ComplaintStatus, ComplaintView, Severity};
use orchid_core::ids::{BatchId, ServiceId, StaffId};
use orchid_core::permission::Action;
use orchid_core::report::ComplaintStats;

use crate::format::local_text;
use crate::i18n::Msg;
use crate::i18n::complaint_words::ComplaintWord;
use crate::pages::complaints::{
    customer_name, cw, excerpt, may, nature_word, reference, root_cause_word, severity_word,
    status_word,
};
use crate::state::store::{StoreHandle, store_offset, use_store};
use crate::state::use_i18n;

/// Everything a case can be found by, lower-cased, in one string.
fn haystack(store: StoreHandle, c: &ComplaintView) -> String {
    let batches = c
        .links
        .batch_ids
        .iter()
        .filter_map(|b| store.batch_label(*b))
        .map(|b| b.text())
        .collect::<Vec<_>>()
        .join(" ");
    format!(
        "{} {} {} {} {} {}",
        reference(c),
        customer_name(store, c),
        c.description.as_str(),
        c.expected_solution.as_str(),
        c.tags
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        batches
    )
    .to_lowercase()
}

fn services_of(store: StoreHandle, c: &ComplaintView) -> Vec<ServiceId> {
    c.links
        .appointment_id
        .and_then(|a| store.appointment(a))
        .map(|a| a.appointment.services)
        .unwrap_or_default()
}

#[component]
pub fn ComplaintLibraryPage() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let offset = store_offset(store);
    let all = Memo::new(move |_| store.complaints(Utc::now()));
    let text = RwSignal::new(String::new());
    let nature = RwSignal::new(None::<ComplaintNature>);
    let service = RwSignal::new(None::<ServiceId>);
    let staff = RwSignal::new(None::<StaffId>);
    let batch = RwSignal::new(None::<BatchId>);
    let cases = Memo::new(move |_| {
        let q = text.get().trim().to_lowercase();
        let mut list: Vec<ComplaintView> = all
            .get()
            .into_iter()
            .filter(|c| c.status >= ComplaintStatus::Closed)
            .filter(|c| nature.get().is_none_or(|n| c.nature == Some(n)))
            .filter(|c| staff.get().is_none_or(|s| c.links.staff_ids.contains(&s)))
            .filter(|c| batch.get().is_none_or(|b| c.links.batch_ids.contains(&b)))
            .filter(|c| {
                service
                    .get()
                    .is_none_or(|s| services_of(store, c).contains(&s))
            })
            .filter(|c| q.is_empty() || haystack(store, c).contains(&q))
            .collect();
        list.sort_by_key(|c| std::cmp::Reverse(c.closed_at));
        list
    });
    let catalog = Memo::new(move |_| store.catalog());
    let staff_list = Memo::new(move |_| store.staff());
    let batches = Memo::new(move |_| store.batch_labels());
    let stats = Memo::new(move |_| all.with(|a| ComplaintStats::of(a.iter())));
    let by_month = Memo::new(move |_| {
        let mut m = BTreeMap::<String, usize>::new();
        for c in all.get() {
            *m.entry(offset.local(c.received_at).format("%Y-%m").to_string())
                .or_default() += 1;
        }
        m.into_iter().rev().take(12).rev().collect::<Vec<_>>()
    });
    let uuid_of = |ev: &leptos::ev::Event| uuid::Uuid::parse_str(&event_target_value(ev)).ok();

    view! {
        <h1>{move || cw(i18n, ComplaintWord::Library)}</h1>
        <p class="page-intro">{move || cw(i18n, ComplaintWord::LibraryIntro)}</p>
        <Show when=move || may(store, Action::ComplaintRead) fallback=move || view! { <p class="empty-state">{move || cw(i18n, ComplaintWord::NoInboxAccess)}</p> }>
            <section class="card" aria-labelledby="library-search-title">
                <h2 id="library-search-title">{move || cw(i18n, ComplaintWord::SearchCases)}</h2>
                <form class="library-filters" role="search" on:submit=|ev| ev.prevent_default()>
                    <div class="field">
                        <label for="library-text">{move || cw(i18n, ComplaintWord::SearchText)}</label>
                        <input id="library-text" type="search" prop:value=text on:input=move |ev| text.set(event_target_value(&ev))/>
                    </div>
                    <div class="field">
                        <label for="library-nature">{move || cw(i18n, ComplaintWord::Nature)}</label>
                        <select id="library-nature" on:change=move |ev| {
                            let v = event_target_value(&ev);
                            nature.set(ComplaintNature::ALL.into_iter().find(|n| format!("{n:?}") == v));
                        }>
                            <option value="">{move || cw(i18n, ComplaintWord::Any)}</option>
                            {ComplaintNature::ALL.into_iter().map(|n| view! { <option value=format!("{n:?}")>{move || cw(i18n, nature_word(n))}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="library-service">{move || cw(i18n, ComplaintWord::Service)}</label>
                        <select id="library-service" on:change=move |ev| service.set(uuid_of(&ev).map(ServiceId::from_uuid))>
                            <option value="">{move || cw(i18n, ComplaintWord::Any)}</option>
                            <For each=move || catalog.get() key=|s| s.id children=move |s| view! { <option value=s.id.to_string()>{s.name.as_str().to_owned()}</option> }/>
                        </select>
                    </div>
                    <div class="field">
                        <label for="library-staff">{move || cw(i18n, ComplaintWord::StaffInvolved)}</label>
                        <select id="library-staff" on:change=move |ev| staff.set(uuid_of(&ev).map(StaffId::from_uuid))>
                            <option value="">{move || cw(i18n, ComplaintWord::Any)}</option>
                            <For each=move || staff_list.get() key=|s| s.id children=move |s| view! { <option value=s.id.to_string()>{s.name.as_str().to_owned()}</option> }/>
                        </select>
                    </div>
                    <div class="field">
                        <label for="library-batch">{move || cw(i18n, ComplaintWord::ProductBatch)}</label>
                        <select id="library-batch" on:change=move |ev| batch.set(uuid_of(&ev).map(BatchId::from_uuid))>
                            <option value="">{move || cw(i18n, ComplaintWord::Any)}</option>
                            <For each=move || batches.get() key=|b| b.batch.id children=move |b| view! { <option value=b.batch.id.to_string()>{b.text()}</option> }/>
                        </select>
                    </div>
                </form>
                <p class="list-count" role="status">{move || format!("{} {}", cases.with(Vec::len), cw(i18n, ComplaintWord::CountSuffix))}</p>
                <ul class="complaint-list" data-testid="library-results">
                    <For
                        each=move || cases.get()
                        key=|c| (c.id, c.status)
                        children=move |c| {
                            let severity = c.severity;
                            let nature = c.nature;
                            let status = c.status;
                            let cause = c.root_cause;
                            let closed = c.closed_at;
                            let href = format!("/complaints/{}", c.id);
                            let reference = reference(&c);
                            let text = excerpt(c.description.as_str(), 60);
                            view! {
                                <li class="complaint-row" data-testid="library-case">
                                    <A href=href attr:class="complaint-row__link">
                                        <span class="complaint-row__ref">{reference}</span>
                                        <span class=format!("badge severity severity--{severity:?}").to_lowercase()>{move || cw(i18n, severity_word(severity))}</span>
                                        <span class="complaint-row__nature">{move || nature.map(|n| cw(i18n, nature_word(n))).unwrap_or_default()}</span>
                                        <span class="complaint-row__text">{text}</span>
                                    </A>
                                    <span class="complaint-row__meta">
                                        <span class="badge">{move || cw(i18n, status_word(status))}</span>
                                        {cause.map(|r| view! { <span class="badge">{move || cw(i18n, root_cause_word(r))}</span> })}
                                        {closed.map(|t| view! { <time>{local_text(offset, t)}</time> })}
                                    </span>
                                </li>
                            }
                        }
                    />
                </ul>
            </section>
            <section class="card complaint-stats" aria-labelledby="library-stats-title">
                <h2 id="library-stats-title">{move || cw(i18n, ComplaintWord::Statistics)}</h2>
                <dl class="stat-figures" data-testid="complaint-figures">
                    <div><dt>{move || cw(i18n, ComplaintWord::Total)}</dt><dd>{move || stats.with(|s| s.total)}</dd></div>
                    <div><dt>{move || cw(i18n, ComplaintWord::Compliance)}</dt><dd>{move || percent(stats.with(|s| s.deadline_compliance))}</dd></div>
                    <div><dt>{move || cw(i18n, ComplaintWord::AverageToClose)}</dt><dd>{move || stats.with(|s| s.average_hours_to_close).map(|h| format!("{h:.1} {}", cw(i18n, ComplaintWord::HoursShort))).unwrap_or_else(|| "—".into())}</dd></div>
                    <div><dt>{move || cw(i18n, ComplaintWord::ReopenRate)}</dt><dd>{move || percent(stats.with(|s| s.reopen_rate))}</dd></div>
                    <div><dt>{move || cw(i18n, ComplaintWord::BreachedOpen)}</dt><dd>{move || stats.with(|s| s.breached_open)}</dd></div>
                    <div><dt>{move || cw(i18n, ComplaintWord::CallBacksDone)}</dt><dd data-testid="stat-call-backs">{move || stats.with(|s| s.call_backs_done)}</dd></div>
                    <div><dt>{move || cw(i18n, ComplaintWord::CallBacksOnTime)}</dt><dd data-testid="stat-call-backs-on-time">{move || stats.with(|s| s.call_backs_on_time)}</dd></div>
                    <div><dt>{move || cw(i18n, ComplaintWord::CallBackSatisfaction)}</dt><dd data-testid="stat-call-back-satisfaction">{move || percent(stats.with(|s| s.call_back_satisfaction))}</dd></div>
                </dl>
                <div class="stat-charts">
                    <Bars title=ComplaintWord::ByNature rows=Signal::derive(move || {
                        let s = stats.get();
                        ComplaintNature::ALL.into_iter().map(|n| (cw(i18n, nature_word(n)).to_owned(), s.by_nature.get(&n).copied().unwrap_or(0))).collect()
                    })/>
                    <Bars title=ComplaintWord::BySeverity rows=Signal::derive(move || {
                        let s = stats.get();
                        Severity::ALL.into_iter().map(|v| (cw(i18n, severity_word(v)).to_owned(), s.by_severity.get(&v).copied().unwrap_or(0))).collect()
                    })/>
                    <Bars title=ComplaintWord::ByMonth rows=Signal::derive(move || by_month.get())/>
                </div>
            </section>
        </Show>
        <p><A href="/complaints">{move || i18n.t(Msg::NavComplaints)}</A></p>
    }
}

fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "—".to_owned(), |s| format!("{:.0}%", s * 100.0))
}

/// A bar chart in HTML and CSS: a labelled row per category, its bar as wide as its share of the
/// largest, the count written out (readable by screen readers and in print).
#[component]
fn Bars(title: ComplaintWord, rows: Signal<Vec<(String, usize)>>) -> impl IntoView {
    let i18n = use_i18n();
    let max = move || rows.with(|r| r.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1));
    view! {
        <figure class="bars">
            <figcaption>{move || cw(i18n, title)}</figcaption>
            <Show when=move || rows.with(|r| !r.is_empty()) fallback=move || view! { <p class="empty-state">"—"</p> }>
                <ul class="bars__list">
                    <For
                        each=move || rows.get()
                        key=|r| r.clone()
                        children=move |(label, n)| {
                            let width = move || format!("{}%", n * 100 / max());
                            view! {
                                <li class="bars__row">
                                    <span class="bars__label">{label}</span>
                                    <span class="bars__track"><span class="bars__bar" style:width=width></span></span>
                                    <span class="bars__value">{n}</span>
                                </li>
                            }
                        }
                    />
                </ul>
            </Show>
        </figure>
    }
}
