//! The monthly supervision report ([supervision]): one store's month from the core's
//! `monthly_report` and the month's staff scorecards, as tables with their CSV and a trend chart;
//! "print → save as PDF" gives clean A4 pages (style/scorecards.css, `@media print`). The owner of
//! a chain may switch to the chain's report, which the server works out from every store's
//! records (`GET /api/v1/head-office/monthly`): the stores side by side, then the chain's total in
//! the same tables.
use leptos::prelude::*;
use orchid_core::complaint::{ComplaintNature, RootCause, Severity};
use orchid_core::feedback::Dimension;
use orchid_core::monthly_report::{ChainMonth, MonthlyReport};
use orchid_core::permission::{Area, may_open};
use orchid_core::scorecard::Scorecard;
use orchid_core::staff::Staff;

use crate::components::figure_table::{ColumnChart, FigureTable, TableQueue};
use crate::components::{ReportHead, team_error_text};
use crate::i18n::Lang;
use crate::i18n::bedside_words::dimension_word;
use crate::i18n::complaint_words::{nature_word, root_cause_word, severity_word};
use crate::i18n::labels::role_name;
use crate::i18n::scorecard_words::ScorecardWord as Word;
use crate::state::chain;
use crate::state::store::use_store;
use crate::state::{use_app_state, use_i18n};

fn decimal(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_owned(), |v| format!("{v:.1}"))
}

fn percent(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_owned(), |v| format!("{:.0}%", v * 100.0))
}

fn whole(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_owned(), |v| format!("{v:.0}"))
}

fn pairs(lang: Lang, title: Word, rows: Vec<(Word, String)>) -> FigureTable {
    FigureTable {
        title: title.text(lang).to_owned(),
        head: vec![
            Word::Figure2.text(lang).to_owned(),
            Word::Value.text(lang).to_owned(),
        ],
        rows: rows
            .into_iter()
            .map(|(word, value)| vec![word.text(lang).to_owned(), value])
            .collect(),
    }
}

/// Every table of the report, in the user's language.
fn tables(
    lang: Lang,
    r: &MonthlyReport,
    cards: &[(Staff, Scorecard)],
) -> Vec<(FigureTable, &'static str)> {
    let s = &r.satisfaction;
    let satisfaction = pairs(
        lang,
        Word::SatisfactionSection,
        vec![
            (Word::Responses, s.count.to_string()),
            (Word::Overall, decimal(s.overall)),
            (Word::Nps, whole(s.nps)),
        ],
    );
    let dimensions = FigureTable {
        title: Word::Dimension.text(lang).to_owned(),
        head: vec![
            Word::Dimension.text(lang).to_owned(),
            Word::Average.text(lang).to_owned(),
            Word::Gap.text(lang).to_owned(),
        ],
        rows: Dimension::ALL
            .iter()
            .map(|d| {
                vec![
                    dimension_word(lang, *d).to_owned(),
                    decimal(s.average.get(*d)),
                    s.gap
                        .get(*d)
                        .map_or_else(|| "—".to_owned(), |g| format!("{g:+.1}")),
                ]
            })
            .collect(),
    };
    let trend = FigureTable {
        title: Word::Trend.text(lang).to_owned(),
        head: vec![
            Word::Month.text(lang).to_owned(),
            Word::Responses.text(lang).to_owned(),
            Word::Overall.text(lang).to_owned(),
        ],
        rows: r
            .trend
            .iter()
            .map(|(m, s)| {
                vec![
                    m.format("%Y-%m").to_string(),
                    s.count.to_string(),
                    decimal(s.overall),
                ]
            })
            .collect(),
    };
    let c = &r.complaints;
    let complaints = pairs(
        lang,
        Word::ComplaintsSection,
        vec![
            (Word::Received, c.total.to_string()),
            (Word::DeadlineCompliance, percent(c.deadline_compliance)),
            (Word::HoursToClose, decimal(c.average_hours_to_close)),
            (Word::ReopenRate, percent(c.reopen_rate)),
            (Word::Breached, c.breached_open.to_string()),
            (
                Word::CallBacks,
                format!(
                    "{} / {} / {}",
                    c.call_backs_done, c.call_backs_on_time, c.call_backs_satisfied
                ),
            ),
        ],
    );
    let counted = |title: Word, rows: Vec<(String, usize)>| FigureTable {
        title: title.text(lang).to_owned(),
        head: vec![
            title.text(lang).to_owned(),
            Word::Count.text(lang).to_owned(),
        ],
        rows: rows
            .into_iter()
            .map(|(k, n)| vec![k, n.to_string()])
            .collect(),
    };
    let natures = counted(
        Word::ByNature,
        c.by_nature
            .iter()
            .map(|(n, count): (&ComplaintNature, &usize)| {
                (nature_word(*n).text(lang).to_owned(), *count)
            })
            .collect(),
    );
    let severities = counted(
        Word::BySeverity,
        c.by_severity
            .iter()
            .map(|(s, count): (&Severity, &usize)| {
                (severity_word(*s).text(lang).to_owned(), *count)
            })
            .collect(),
    );
    let causes = counted(
        Word::ByRootCause,
        c.by_root_cause
            .iter()
            .map(|(r, count): (&RootCause, &usize)| {
                (root_cause_word(*r).text(lang).to_owned(), *count)
            })
            .collect(),
    );
    let f = &r.follow_ups;
    let follow_ups = pairs(
        lang,
        Word::FollowUpsSection,
        vec![
            (Word::Due, f.due.to_string()),
            (Word::DoneOnTime, f.done_on_time.to_string()),
            (Word::DoneLate, f.done_late.to_string()),
            (Word::StillOpen, f.overdue.to_string()),
            (Word::Unreachable, f.unreachable.to_string()),
            (Word::Cancelled, f.cancelled.to_string()),
        ],
    );
    let k = &r.checks;
    let checks = pairs(
        lang,
        Word::ChecksSection,
        vec![
            (Word::ChecksDone, k.done.to_string()),
            (Word::WithFailures, k.with_failures.to_string()),
            (Word::FailedItems, k.failed_items.to_string()),
            (Word::ActionsRaised, k.actions_raised.to_string()),
            (Word::ActionsDone, k.actions_done.to_string()),
            (Word::ActionsVerified, k.actions_verified.to_string()),
            (Word::ActionsOverdue, k.actions_overdue.to_string()),
        ],
    );
    let staff = FigureTable {
        title: Word::StaffSection.text(lang).to_owned(),
        head: [
            Word::Person,
            Word::Total,
            Word::Satisfaction,
            Word::Timeliness,
            Word::Accuracy,
            Word::Complaints,
            Word::Butler,
            Word::Teamwork,
            Word::Discipline,
        ]
        .iter()
        .map(|w| w.text(lang).to_owned())
        .collect(),
        rows: cards
            .iter()
            .filter(|(_, card)| card.total.is_some())
            .map(|(person, card)| {
                vec![
                    format!("{} ({})", person.name, role_name(lang, person.role)),
                    whole(card.total),
                    whole(card.satisfaction.score),
                    whole(card.timeliness.score),
                    whole(card.accuracy.score),
                    whole(card.complaints.score),
                    whole(card.butler.score),
                    whole(card.teamwork.score),
                    whole(card.discipline.score),
                ]
            })
            .collect(),
    };
    vec![
        (satisfaction, "monthly-satisfaction"),
        (dimensions, "monthly-dimensions"),
        (trend, "monthly-trend"),
        (complaints, "monthly-complaints"),
        (natures, "monthly-natures"),
        (severities, "monthly-severities"),
        (causes, "monthly-causes"),
        (follow_ups, "monthly-follow-ups"),
        (checks, "monthly-checks"),
        (staff, "monthly-staff"),
    ]
}

/// The chain's stores side by side, the chain's total last.
fn stores_table(lang: Lang, chain: &ChainMonth) -> FigureTable {
    let row = |name: String, r: &MonthlyReport| {
        let (s, c, f, k) = (&r.satisfaction, &r.complaints, &r.follow_ups, &r.checks);
        vec![
            name,
            s.count.to_string(),
            decimal(s.overall),
            whole(s.nps),
            c.total.to_string(),
            percent(c.deadline_compliance),
            percent(c.reopen_rate),
            format!("{} / {}", f.done_on_time, f.due),
            format!("{} / {}", k.with_failures, k.done),
            k.actions_overdue.to_string(),
        ]
    };
    let mut rows: Vec<Vec<String>> = chain
        .stores
        .iter()
        .map(|store| row(store.name.clone(), &store.report))
        .collect();
    rows.push(row(Word::ChainTotal.text(lang).to_owned(), &chain.total));
    FigureTable {
        title: Word::StoresSection.text(lang).to_owned(),
        head: [
            Word::StoreColumn,
            Word::Responses,
            Word::Overall,
            Word::Nps,
            Word::Received,
            Word::DeadlineCompliance,
            Word::ReopenRate,
            Word::FollowUpsOnTime,
            Word::ChecksFailed,
            Word::ActionsOverdue,
        ]
        .iter()
        .map(|w| w.text(lang).to_owned())
        .collect(),
        rows,
    }
}

/// The report's sections: one store's (with its staff scorecards) or the chain's total.
fn sections(lang: Lang, r: &MonthlyReport, cards: Option<&[(Staff, Scorecard)]>) -> AnyView {
    let stem = match cards {
        Some(_) => format!("orchid-{}", r.month.format("%Y-%m")),
        None => format!("orchid-chain-{}", r.month.format("%Y-%m")),
    };
    let points = r
        .trend
        .iter()
        .map(|(m, s)| (m.format("%Y-%m").to_string(), s.overall, s.count))
        .collect::<Vec<_>>();
    let mut queue = TableQueue::new(stem, tables(lang, r, cards.unwrap_or_default()));
    let mut take = move |count: usize| queue.take(count);
    let (satisfaction, trend, complaints) = (take(2), take(1), take(4));
    let (follow_ups, checks, staff) = (take(1), take(1), take(1));
    let staff = match cards {
        Some(_) => staff.into_any(),
        None => view! { <p class="muted" data-testid="monthly-chain-staff">{Word::ChainStaffNote.text(lang)}</p> }
            .into_any(),
    };
    view! {
        <section class="card monthly-section">
            <h2>{Word::SatisfactionSection.text(lang)}</h2>
            {satisfaction}
        </section>
        <section class="card monthly-section">
            <h2>{Word::Trend.text(lang)}</h2>
            <ColumnChart points=points/>
            {trend}
        </section>
        <section class="card monthly-section">
            <h2>{Word::ComplaintsSection.text(lang)}</h2>
            {complaints}
        </section>
        <section class="card monthly-section">
            <h2>{Word::FollowUpsSection.text(lang)}</h2>
            {follow_ups}
        </section>
        <section class="card monthly-section">
            <h2>{Word::ChecksSection.text(lang)}</h2>
            {checks}
        </section>
        <section class="card monthly-section">
            <h2>{Word::StaffSection.text(lang)}</h2>
            {staff}
        </section>
    }
    .into_any()
}

/// Which report the page shows: the store's, from the device, or the chain's, from the server.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    Store,
    Chain,
}

#[component]
pub fn MonthlyReportPage() -> impl IntoView {
    let state = use_app_state();
    let store = use_store();
    let i18n = use_i18n();
    let month = RwSignal::new(store.this_month());
    let scope = RwSignal::new(Scope::Store);
    // The owner of more than one store, on a device signed in to the chain's server; the server
    // checks it again.
    let known = chain::use_known_stores();
    let may_chain = move || {
        store
            .active_role()
            .is_some_and(|role| may_open(role, Area::HeadOffice))
            && state.session.get().is_some()
            && known.with(|stores| stores.len() > 1)
    };
    let report = Memo::new(move |_| {
        (
            store.monthly_report(month.get()),
            store.scorecards(month.get()),
        )
    });
    let chain_report = LocalResource::new(move || {
        let wanted = (scope.get() == Scope::Chain).then(|| month.get());
        state.online.track();
        async move {
            match wanted {
                Some(month) => Some(chain::chain_monthly(&state, month).await),
                None => None,
            }
        }
    });
    view! {
        <div class="report monthly-report">
            <ReportHead
                title=Signal::derive(move || Word::MonthlyTitle.text(i18n.lang()))
                intro=Signal::derive(move || Word::MonthlyIntro.text(i18n.lang()))
                print_label=Signal::derive(move || Word::Print.text(i18n.lang()))
                month=month
                testid="monthly"
                select_id="monthly-month"
            />
            <Show when=may_chain>
                <fieldset class="report-scope no-print" data-testid="monthly-scope">
                    <legend>{move || Word::ReportOf.text(i18n.lang())}</legend>
                    <label>
                        <input
                            type="radio"
                            name="monthly-scope"
                            data-testid="monthly-scope-store"
                            prop:checked=move || scope.get() == Scope::Store
                            on:change=move |_| scope.set(Scope::Store)
                        />
                        " "
                        {move || Word::ThisStore.text(i18n.lang())}
                    </label>
                    <label>
                        <input
                            type="radio"
                            name="monthly-scope"
                            data-testid="monthly-scope-chain"
                            prop:checked=move || scope.get() == Scope::Chain
                            on:change=move |_| scope.set(Scope::Chain)
                        />
                        " "
                        {move || Word::WholeChain.text(i18n.lang())}
                    </label>
                </fieldset>
            </Show>
            {move || {
                let lang = i18n.lang();
                if scope.get() == Scope::Store || !may_chain() {
                    let (r, cards) = report.get();
                    return sections(lang, &r, Some(&cards));
                }
                let body = match chain_report.get().flatten() {
                    None => view! { <p class="muted" aria-busy="true">"…"</p> }.into_any(),
                    Some(Err(err)) => view! {
                        <p class="form-error" role="alert" data-testid="monthly-chain-error">
                            {team_error_text(lang, &err)}
                        </p>
                    }
                    .into_any(),
                    Some(Ok(chain)) => {
                        let stem = format!("orchid-chain-{}", chain.month.format("%Y-%m"));
                        let stores = TableQueue::new(
                            stem,
                            vec![(stores_table(lang, &chain), "monthly-chain-stores")],
                        )
                        .take(1);
                        view! {
                            <section class="card monthly-section">
                                <h2>{Word::StoresSection.text(lang)}</h2>
                                {stores}
                            </section>
                            {sections(lang, &chain.total, None)}
                        }
                        .into_any()
                    }
                };
                view! {
                    <section class="monthly-chain" data-testid="monthly-chain">
                        <h2>{Word::WholeChain.text(lang)}</h2>
                        <p class="page-intro">{Word::ChainIntro.text(lang)}</p>
                        {body}
                    </section>
                }
                .into_any()
            }}
        </div>
    }
}
