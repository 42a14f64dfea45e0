//! Printing a page, and the head every printable report shares.
use chrono::NaiveDate;
use leptos::prelude::*;

use crate::components::figure_table::MonthSelect;

/// Opens the browser's print dialog; the stylesheets' `@media print` rules decide what is on paper.
/// A browser that refuses (a kiosk build without printing) leaves a line in the console and the
/// page as it was.
pub fn print_page() {
    if let Some(window) = web_sys::window()
        && let Err(err) = window.print()
    {
        leptos::logging::warn!("printing failed: {err:?}");
    }
}

/// A month's report head: its title with the month, an introduction, and (not printed) the month
/// picker and the print button. `testid` names the month (`{testid}-month`) and the button
/// (`{testid}-print`); `select_id` the picker.
#[component]
pub fn ReportHead(
    #[prop(into)] title: Signal<&'static str>,
    #[prop(into)] intro: Signal<&'static str>,
    #[prop(into)] print_label: Signal<&'static str>,
    month: RwSignal<NaiveDate>,
    testid: &'static str,
    select_id: &'static str,
) -> impl IntoView {
    let month_testid = format!("{testid}-month");
    let print_testid = format!("{testid}-print");
    view! {
        <div class="report-head">
            <div>
                <h1>{move || title.get()} " " <span data-testid=month_testid>{move || month.get().format("%Y-%m").to_string()}</span></h1>
                <p class="page-intro">{move || intro.get()}</p>
            </div>
            <div class="report-tools no-print">
                <MonthSelect month=month id=select_id/>
                <button type="button" class="button--secondary" data-testid=print_testid on:click=move |_| print_page()>{move || print_label.get()}</button>
            </div>
        </div>
    }
}
