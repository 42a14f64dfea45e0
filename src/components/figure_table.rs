//! A table of figures with a CSV of itself: the reports' tables, printed as they are and
//! downloadable for a spreadsheet.
use chrono::{Months, NaiveDate};
use leptos::prelude::*;

use crate::format::csv_line;
use crate::i18n::scorecard_words::ScorecardWord as Word;
use crate::state::download::download_as;
use crate::state::use_i18n;

/// A titled table: a head row and rows of text, the first cell of each row its header.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FigureTable {
    pub title: String,
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl FigureTable {
    /// The table as CSV, with a byte-order mark so that Excel reads the Chinese as UTF-8.
    pub fn csv(&self) -> String {
        let mut text = String::from("\u{feff}");
        text.push_str(&csv_line(&self.head));
        for row in &self.rows {
            text.push_str(&csv_line(row));
        }
        text
    }
}

/// A report's tables drawn in turn, a few per section, each with its CSV file named after the
/// report (`{stem}-{testid}.csv`).
pub struct TableQueue {
    stem: String,
    tables: std::vec::IntoIter<(FigureTable, &'static str)>,
}

impl TableQueue {
    pub fn new(stem: String, tables: Vec<(FigureTable, &'static str)>) -> Self {
        Self {
            stem,
            tables: tables.into_iter(),
        }
    }

    /// The next `count` tables, drawn.
    pub fn take(&mut self, count: usize) -> impl IntoView + use<> {
        let stem = self.stem.clone();
        self.tables
            .by_ref()
            .take(count)
            .map(|(table, testid)| {
                let file = format!("{stem}-{testid}.csv");
                view! { <FigureTableView table=table file=file testid=testid/> }
            })
            .collect_view()
    }
}

#[component]
pub fn FigureTableView(table: FigureTable, file: String, testid: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let csv = table.csv();
    let save = move |_| {
        if let Err(err) = download_as(&file, &csv, "text/csv;charset=utf-8") {
            leptos::logging::warn!("the CSV could not be saved: {err:?}");
        }
    };
    view! {
        <div class="figure-table">
            <table class="report-table" data-testid=testid>
                <caption>{table.title.clone()}</caption>
                <thead>
                    <tr>{table.head.iter().map(|h| view! { <th scope="col">{h.clone()}</th> }).collect_view()}</tr>
                </thead>
                <tbody>
                    {table.rows.is_empty().then(|| view! { <tr><th scope="row">"—"</th></tr> })}
                    {table
                        .rows
                        .iter()
                        .map(|row| {
                            let mut cells = row.iter();
                            let first = cells.next().cloned().unwrap_or_default();
                            view! {
                                <tr>
                                    <th scope="row">{first}</th>
                                    {cells.map(|c| view! { <td>{c.clone()}</td> }).collect_view()}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            <button type="button" class="button--secondary no-print" on:click=save>
                {move || Word::Csv.text(i18n.lang())}
            </button>
        </div>
    }
}

/// Columns of an average 1–5 per period, as inline SVG (the CSP allows no inline styles).
#[component]
pub fn ColumnChart(points: Vec<(String, Option<f64>, usize)>) -> impl IntoView {
    let n = points.len().max(1);
    let width = 60 * n + 40;
    let height = 180;
    let summary = points
        .iter()
        .map(|(label, v, count)| format!("{label}: {} ({count})", one_decimal(*v)))
        .collect::<Vec<_>>()
        .join("; ");
    view! {
        <svg class="time-chart" viewBox=format!("0 0 {width} {height}") role="img" aria-label=summary data-testid="report-time-chart">
            <line x1="30" y1="150" x2=width.to_string() y2="150" class="axis"/>
            {points
                .into_iter()
                .enumerate()
                .map(|(i, (label, v, _))| {
                    let h = v.map_or(0.0, |v| v / 5.0 * 130.0);
                    let x = 40 + i * 60;
                    view! {
                        <g>
                            <rect x=x.to_string() y=format!("{:.1}", 150.0 - h) width="36" height=format!("{h:.1}") class="column"/>
                            <text x=(x + 18).to_string() y=format!("{:.1}", 144.0 - h) text-anchor="middle" class="value">{one_decimal(v)}</text>
                            <text x=(x + 18).to_string() y="168" text-anchor="middle" class="label">{label}</text>
                        </g>
                    }
                })
                .collect_view()}
        </svg>
    }
}

fn one_decimal(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_owned(), |v| format!("{v:.1}"))
}

/// The month a report shows: the one `month` holds when it opens and the five before it.
#[component]
pub fn MonthSelect(month: RwSignal<NaiveDate>, id: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let latest = month.get_untracked();
    let months = (0..6)
        .filter_map(|back| latest.checked_sub_months(Months::new(back)))
        .collect::<Vec<NaiveDate>>();
    view! {
        <div class="field">
            <label for=id>{move || Word::Month.text(i18n.lang())}</label>
            <select
                id=id
                data-testid=id
                on:change=move |ev| {
                    if let Ok(m) = NaiveDate::parse_from_str(&event_target_value(&ev), "%Y-%m-%d") {
                        month.set(m);
                    }
                }
            >
                {months
                    .into_iter()
                    .map(|m| view! { <option value=m.to_string() selected=move || month.get() == m>{m.format("%Y-%m").to_string()}</option> })
                    .collect_view()}
            </select>
        </div>
    }
}

/// Columns of sums of money, as inline SVG scaled to the largest; a sum below zero (more voided
/// than taken) stands at zero height with its figure written.
#[component]
pub fn MoneyChart(
    points: Vec<(String, orchid_core::catalog::Money)>,
    label: String,
) -> impl IntoView {
    let n = points.len().max(1);
    // Wide enough a column for "Package sessions" under it.
    let width = 110 * n + 20;
    let height = 190;
    let largest = points.iter().map(|(_, m)| m.0).max().unwrap_or(0).max(1);
    let summary = format!(
        "{label}: {}",
        points
            .iter()
            .map(|(l, m)| format!("{l} ¥{m}"))
            .collect::<Vec<_>>()
            .join("; ")
    );
    view! {
        <svg class="time-chart money-chart" viewBox=format!("0 0 {width} {height}") role="img" aria-label=summary data-testid="money-chart">
            <line x1="10" y1="150" x2=width.to_string() y2="150" class="axis"/>
            {points
                .into_iter()
                .enumerate()
                .map(|(i, (name, m))| {
                    // Whole fen in an i64 fit an f64 exactly well past any salon's month.
                    let h = m.0.max(0) as f64 / largest as f64 * 120.0;
                    let x = 30 + i * 110;
                    view! {
                        <g>
                            <rect x=x.to_string() y=format!("{:.1}", 150.0 - h) width="60" height=format!("{h:.1}") class="column"/>
                            <text x=(x + 30).to_string() y=format!("{:.1}", 144.0 - h) text-anchor="middle" class="value">{format!("¥{}", m.0 / 100)}</text>
                            <text x=(x + 30).to_string() y="168" text-anchor="middle" class="label">{name}</text>
                        </g>
                    }
                })
                .collect_view()}
        </svg>
    }
}
