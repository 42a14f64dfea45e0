//! Reports ([treatment room]): customer satisfaction per dimension, per therapist, per service
//! and over time, with NPS and the expectation gap where it was asked. Bars are plain CSS and
//! inline SVG (no chart library); the page prints cleanly (style/bedside.css, `@media print`).
use chrono::{Duration, Utc};
use leptos::prelude::*;
use orchid_core::feedback::{Dimension, Feedback};
use orchid_core::permission::{self, Action as Permit, Sensitivity};
use orchid_core::report::{
    Period, Satisfaction, satisfaction_by_period, satisfaction_by_service,
    satisfaction_by_therapist,
};

use crate::components::figure_table::ColumnChart;
use crate::i18n::Lang;
use crate::i18n::bedside_words::{BedsideWord, dimension_word};
use crate::i18n::scorecard_words::ScorecardWord;
use crate::state::store::{store_offset, use_store};
use crate::state::use_i18n;

fn one_decimal(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_owned(), |v| format!("{v:.1}"))
}

/// A horizontal bar for a 1–5 average.
#[component]
fn Bar(value: Option<f64>, label: String) -> impl IntoView {
    let percent = value.map_or(0.0, |v| (v / 5.0 * 100.0).clamp(0.0, 100.0));
    let tone = match value {
        Some(v) if v < 3.0 => "bar-fill bar-fill--low",
        Some(v) if v < 4.0 => "bar-fill bar-fill--mid",
        _ => "bar-fill",
    };
    view! {
        <div class="bar-row">
            <span class="bar-label">{label}</span>
            // SVG attributes, not a style attribute: the app's CSP allows no inline styles.
            <svg class="bar-track" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
                <rect class="bar-bg" x="0" y="0" width="100" height="10" rx="5"/>
                <rect class=tone x="0" y="0" width=format!("{percent:.1}") height="10" rx="5"/>
            </svg>
            <span class="bar-value">{one_decimal(value)}</span>
        </div>
    }
}

fn gap_text(lang: Lang, gap: Option<f64>) -> String {
    match gap {
        Some(g) => format!("{g:+.1}"),
        None => BedsideWord::GapNotAsked.text(lang).to_owned(),
    }
}

#[component]
pub fn ReportsPage() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let offset = store_offset(store);
    let range = RwSignal::new("90".to_owned());
    let may = move || permission::allowed(store.role(), Permit::ReportView, Sensitivity::Ordinary);
    let feedback = Memo::new(move |_| {
        let days: Option<i64> = range.get().parse().ok();
        let since = days.map(|d| Utc::now() - Duration::days(d));
        store
            .all_feedback()
            .into_iter()
            .filter(|f| since.is_none_or(|s| f.submitted_at >= s))
            .collect::<Vec<Feedback>>()
    });
    let print = move |_| crate::components::print_page();
    view! {
        <div class="report">
            <div class="report-head">
                <div>
                    <h1>{move || i18n.bw(BedsideWord::ReportsTitle)}</h1>
                    <p class="page-intro">{move || i18n.bw(BedsideWord::ReportsIntro)}</p>
                    <p class="report-links no-print">
                        <leptos_router::components::A href="/reports/monthly" attr:data-testid="monthly-link">
                            {move || ScorecardWord::MonthlyLink.text(i18n.lang())}
                        </leptos_router::components::A>
                        " · "
                        <leptos_router::components::A href="/scorecards" attr:data-testid="scorecards-link">
                            {move || ScorecardWord::Link.text(i18n.lang())}
                        </leptos_router::components::A>
                        <Show when=move || store.may_read_sales()>
                            " · "
                            <leptos_router::components::A href="/reports/sales" attr:data-testid="sales-link">
                                {move || crate::i18n::sales_words::SalesWord::Link.text(i18n.lang())}
                            </leptos_router::components::A>
                        </Show>
                        <Show when=move || store.active_role().is_some_and(|r| orchid_core::permission::may_open(r, orchid_core::permission::Area::Audit))>
                            " · "
                            <leptos_router::components::A href="/audit" attr:data-testid="audit-link">
                                {move || crate::i18n::privacy_words::PrivacyWord::AuditLink.text(i18n.lang())}
                            </leptos_router::components::A>
                        </Show>
                    </p>
                </div>
                <div class="report-tools no-print">
                    <div class="field">
                        <label for="report-range">{move || i18n.bw(BedsideWord::Period)}</label>
                        <select id="report-range" on:change=move |ev| range.set(event_target_value(&ev))>
                            <option value="30">{move || i18n.bw(BedsideWord::Last30)}</option>
                            <option value="90" selected=true>{move || i18n.bw(BedsideWord::Last90)}</option>
                            <option value="all">{move || i18n.bw(BedsideWord::AllTime)}</option>
                        </select>
                    </div>
                    <button type="button" class="button--secondary" on:click=print>{move || i18n.bw(BedsideWord::Print)}</button>
                </div>
            </div>
            <Show when=may fallback=move || view! { <p>{move || i18n.bw(BedsideWord::NotAllowed)}</p> }>
                {move || {
                    let list = feedback.get();
                    let lang = i18n.lang();
                    if list.is_empty() {
                        return view! { <p class="empty-state" data-testid="report-empty">{BedsideWord::NoFeedback.text(lang)}</p> }.into_any();
                    }
                    let all = Satisfaction::of(list.iter());
                    let therapists = satisfaction_by_therapist(&list);
                    let services = satisfaction_by_service(&list);
                    let period = if range.get() == "all" { Period::Month } else { Period::Week };
                    let by_time = satisfaction_by_period(&list, period, offset);
                    let catalog = store.catalog();
                    let therapist_name = |id| store.staff_member(id).map(|x| x.name.to_string()).unwrap_or_else(|| id.to_string());
                    let service_name = |id| catalog.iter().find(|c| c.id == id).map(|c| c.name.to_string()).unwrap_or_else(|| id.to_string());
                    let gap_by_therapist = therapists.iter().map(|(id, s)| (therapist_name(*id), s.clone())).collect::<Vec<_>>();
                    let gap_by_service = services.iter().map(|(id, s)| (service_name(*id), s.clone())).collect::<Vec<_>>();
                    let gap_by_month = satisfaction_by_period(&list, Period::Month, offset)
                        .into_iter()
                        .map(|(d, s)| (d.format("%Y-%m").to_string(), s))
                        .collect::<Vec<_>>();
                    view! {
                        <section class="card report-summary" data-testid="report-summary">
                            <p><strong class="report-big">{all.count}</strong> " " {BedsideWord::Responses.text(lang)}</p>
                            <p><strong class="report-big">{one_decimal(all.overall)}</strong> " " {BedsideWord::Overall.text(lang)} " / 5"</p>
                            <p><strong class="report-big">{all.nps.map_or_else(|| "—".to_owned(), |n| format!("{n:.0}"))}</strong> " " {BedsideWord::Nps.text(lang)}</p>
                        </section>
                        <section class="card" aria-labelledby="report-dim">
                            <h2 id="report-dim">{BedsideWord::ByDimension.text(lang)}</h2>
                            <div data-testid="report-dimensions">
                                {Dimension::ALL.into_iter().map(|d| view! {
                                    <Bar value=all.average.get(d) label=dimension_word(lang, d).to_owned()/>
                                }).collect_view()}
                            </div>
                            <table class="report-table" data-testid="report-gap">
                                <caption>{BedsideWord::Gap.text(lang)}</caption>
                                <thead><tr><th scope="col">{BedsideWord::Dimension.text(lang)}</th><th scope="col">{BedsideWord::Gap.text(lang)}</th></tr></thead>
                                <tbody>
                                    {Dimension::ALL.into_iter().map(|d| view! {
                                        <tr><th scope="row">{dimension_word(lang, d)}</th><td>{gap_text(lang, all.gap.get(d))}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </section>
                        <section class="card" aria-labelledby="report-therapist">
                            <h2 id="report-therapist">{BedsideWord::ByTherapist.text(lang)}</h2>
                            <div data-testid="report-therapists">
                                {therapists.into_iter().map(|(id, s)| {
                                    view! { <Bar value=s.overall label=format!("{} ({})", therapist_name(id), s.count)/> }
                                }).collect_view()}
                            </div>
                        </section>
                        <section class="card" aria-labelledby="report-service">
                            <h2 id="report-service">{BedsideWord::ByService.text(lang)}</h2>
                            <div data-testid="report-services">
                                {services.into_iter().map(|(id, s)| {
                                    view! { <Bar value=s.overall label=format!("{} ({})", service_name(id), s.count)/> }
                                }).collect_view()}
                            </div>
                        </section>
                        <section class="card" aria-labelledby="report-time">
                            <h2 id="report-time">{if period == Period::Week { BedsideWord::ByWeek.text(lang) } else { BedsideWord::OverTime.text(lang) }}</h2>
                            <ColumnChart points=by_time.into_iter().map(|(d, s)| (d.format("%m-%d").to_string(), s.overall, s.count)).collect()/>
                        </section>
                        <GapTable caption=BedsideWord::GapByTherapist rows=gap_by_therapist testid="report-gap-therapist"/>
                        <GapTable caption=BedsideWord::GapByService rows=gap_by_service testid="report-gap-service"/>
                        <GapTable caption=BedsideWord::GapByMonth rows=gap_by_month testid="report-gap-month"/>
                    }
                        .into_any()
                }}
            </Show>
        </div>
    }
}

/// Perception minus expectation per dimension for each row (a therapist, a service, a month), or
/// nothing when no row's customers were asked their expectations.
#[component]
fn GapTable(
    caption: BedsideWord,
    rows: Vec<(String, Satisfaction)>,
    testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let rows = rows
        .into_iter()
        .filter(|(_, s)| Dimension::ALL.iter().any(|d| s.gap.get(*d).is_some()))
        .collect::<Vec<_>>();
    (!rows.is_empty()).then(|| {
        let lang = i18n.lang();
        view! {
            <section class="card">
                <table class="report-table gap-table" data-testid=testid>
                    <caption>{caption.text(lang)}</caption>
                    <thead>
                        <tr>
                            <td></td>
                            {Dimension::ALL.into_iter().map(|d| view! { <th scope="col">{dimension_word(lang, d)}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().map(|(name, s)| view! {
                            <tr>
                                <th scope="row">{name}</th>
                                {Dimension::ALL.into_iter().map(|d| view! { <td>{gap_text(lang, s.gap.get(d))}</td> }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
        }
    })
}
