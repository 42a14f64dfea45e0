//! Importing a customer list (导入顾客, issue 25): pick an `.xlsx` or CSV file, check the columns
//! the core guessed from the headers (with the first rows beside them), choose what happens to a
//! row whose phone is already a customer's, import — all good rows in one transaction, on the
//! device — and read the result: counts and the rows not imported with their reasons, which can
//! be downloaded. Who may import follows the core's matrix (`CustomerWrite`): the route's area,
//! and every write is checked again as the active person.
use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::A;
use orchid_core::customer_import::{DuplicatePolicy, ImportColumn, check_mapping, guess_mapping};

use crate::components::store_error_text;
use crate::i18n::import_words::ImportWord;
use crate::state::customer_import::{
    ImportOutcome, Table, errors_csv, file_bytes, let_the_page_draw, read_table,
};
use crate::state::download::download_as;
use crate::state::store::use_store;
use crate::state::use_i18n;

/// Rows shown beside each column.
const PREVIEW_ROWS: usize = 5;

/// Bad rows listed on the page; the download has all of them.
const SHOWN_ERRORS: usize = 200;

/// Where a running import is, for its progress bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    Reading,
    Checking,
    Saving,
}

impl Stage {
    fn step(self) -> u8 {
        match self {
            Self::Reading => 1,
            Self::Checking => 2,
            Self::Saving => 3,
        }
    }
    fn word(self) -> ImportWord {
        match self {
            Self::Reading => ImportWord::Reading,
            Self::Checking => ImportWord::Checking,
            Self::Saving => ImportWord::Saving,
        }
    }
}

#[component]
pub fn CustomerImportPage() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let file_name = RwSignal::new(String::new());
    let table: RwSignal<Option<Arc<Table>>> = RwSignal::new(None);
    let mapping = RwSignal::new(Vec::<ImportColumn>::new());
    let policy = RwSignal::new(DuplicatePolicy::Merge);
    let stage = RwSignal::new(None::<Stage>);
    let problem = RwSignal::new(None::<String>);
    let outcome = RwSignal::new(None::<ImportOutcome>);

    let start_over = move || {
        table.set(None);
        mapping.set(Vec::new());
        outcome.set(None);
        problem.set(None);
        file_name.set(String::new());
    };

    let on_file = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        table.set(None);
        outcome.set(None);
        problem.set(None);
        file_name.set(file.name());
        stage.set(Some(Stage::Reading));
        leptos::task::spawn_local(async move {
            let_the_page_draw().await;
            let read = match file_bytes(&file).await {
                Ok(bytes) => read_table(&bytes),
                Err(e) => Err(e),
            };
            stage.set(None);
            match read {
                Ok(t) => {
                    mapping.set(guess_mapping(&t.headers));
                    table.set(Some(Arc::new(t)));
                }
                Err(e) => problem.set(Some(e.word().text(i18n.lang()).to_owned())),
            }
        });
    };

    let mapping_error = move || {
        check_mapping(&mapping.get())
            .err()
            .map(|e| ImportWord::mapping_error(lang(), e))
    };
    let has_balance = move || mapping.with(|m| m.contains(&ImportColumn::Balance));

    let run_import = move |_| {
        let Some(t) = table.get_untracked() else {
            return;
        };
        if check_mapping(&mapping.get_untracked()).is_err() {
            return;
        }
        problem.set(None);
        stage.set(Some(Stage::Checking));
        leptos::task::spawn_local(async move {
            let_the_page_draw().await;
            let today = chrono::Local::now().date_naive();
            let plan = store.plan_customer_import(
                &t,
                &mapping.get_untracked(),
                policy.get_untracked(),
                today,
            );
            stage.set(Some(Stage::Saving));
            let_the_page_draw().await;
            match store.import_customers(plan).await {
                Ok(done) => {
                    outcome.set(Some(done));
                    // The steps above are gone: the focus goes to the result's heading, so a
                    // screen reader reads what the import did.
                    request_animation_frame(focus_result);
                }
                Err(e) => problem.set(Some(format!(
                    "{}{}",
                    ImportWord::ImportFailed.text(i18n.lang()),
                    store_error_text(i18n.lang(), &e)
                ))),
            }
            stage.set(None);
        });
    };

    let busy = move || stage.get().is_some();
    let show_mapping = move || table.with(Option::is_some) && outcome.with(Option::is_none);

    view! {
        <h1>{move || ImportWord::Title.text(lang())}</h1>
        <p class="page-intro">{move || ImportWord::Intro.text(lang())}</p>
        <Show when=move || outcome.with(Option::is_none)>
            <section class="import-step" aria-labelledby="import-file-title">
                <h2 id="import-file-title">{move || ImportWord::StepFile.text(lang())}</h2>
                <div class="field">
                    <label for="import-file">{move || ImportWord::ChooseFile.text(lang())}</label>
                    <input
                        id="import-file"
                        type="file"
                        accept=".xlsx,.csv,.txt,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                        data-testid="import-file"
                        aria-describedby="import-file-hint"
                        prop:disabled=busy
                        on:change=on_file
                    />
                    <p class="hint" id="import-file-hint">{move || ImportWord::FileHint.text(lang())}</p>
                </div>
                {move || table.get().map(|t| view! {
                    <p class="import-file-summary" data-testid="import-file-summary">
                        <strong>{file_name.get()}</strong> " · "
                        {t.kind.word().text(lang())} " · "
                        <span data-testid="import-row-count">{t.rows.len()}</span> " "
                        {ImportWord::DataRows.text(lang())}
                    </p>
                })}
            </section>
        </Show>
        <Show when=show_mapping>
            <MappingStep table=table mapping=mapping/>
            <Show when=has_balance>
                <p class="import-note" data-testid="import-balance-note">{move || ImportWord::BalanceImported.text(lang())}</p>
            </Show>
            <section class="import-step" aria-labelledby="import-dup-title">
                <h2 id="import-dup-title">{move || ImportWord::StepDuplicates.text(lang())}</h2>
                <fieldset class="import-choices">
                    <legend class="visually-hidden">{move || ImportWord::StepDuplicates.text(lang())}</legend>
                    <PolicyChoice policy=policy value=DuplicatePolicy::Merge word=ImportWord::Merge key="merge"/>
                    <PolicyChoice policy=policy value=DuplicatePolicy::Skip word=ImportWord::Skip key="skip"/>
                    <PolicyChoice policy=policy value=DuplicatePolicy::KeepBoth word=ImportWord::KeepBoth key="keep-both"/>
                </fieldset>
            </section>
            <section class="import-step" aria-labelledby="import-go-title">
                <h2 id="import-go-title">{move || ImportWord::StepImport.text(lang())}</h2>
                {move || mapping_error().map(|e| view! {
                    <p class="form-error" role="alert" data-testid="import-mapping-error">{e}</p>
                })}
                <div class="import-actions">
                    <button
                        type="button"
                        class="button--large"
                        data-testid="import-run"
                        prop:disabled=move || busy() || mapping_error().is_some()
                        on:click=run_import
                    >
                        {move || ImportWord::ImportButton.text(lang())}
                    </button>
                    <button type="button" class="button--secondary" prop:disabled=busy on:click=move |_| start_over()>
                        {move || ImportWord::StartOver.text(lang())}
                    </button>
                </div>
            </section>
        </Show>
        {move || stage.get().map(|s| view! {
            <div class="import-progress" data-testid="import-progress">
                <label for="import-progress-bar">{s.word().text(lang())}</label>
                <progress id="import-progress-bar" max="3" value=s.step()>{s.step()} " / 3"</progress>
            </div>
        })}
        {move || problem.get().map(|p| view! {
            <p class="form-error" role="alert" data-testid="import-problem">{p}</p>
        })}
        {move || outcome.get().map(|o| view! {
            <ImportResult outcome=o on_again=Callback::new(move |()| start_over())/>
        })}
        <Show when=move || outcome.with(Option::is_none)>
            <p class="import-back">
                <A href="/customers">{move || ImportWord::BackToCustomers.text(lang())}</A>
            </p>
        </Show>
    }
}

fn focus_result() {
    use wasm_bindgen::JsCast;
    if let Some(heading) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("import-result-title"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        && let Err(err) = heading.focus()
    {
        leptos::logging::warn!("could not focus the import's result: {err:?}");
    }
}

#[component]
fn PolicyChoice(
    policy: RwSignal<DuplicatePolicy>,
    value: DuplicatePolicy,
    word: ImportWord,
    key: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("import-policy-{key}");
    view! {
        <div class="import-choice">
            <input
                type="radio"
                name="import-policy"
                id=id.clone()
                data-testid=id.clone()
                prop:checked=move || policy.get() == value
                on:change=move |_| policy.set(value)
            />
            <label for=id>{move || word.text(i18n.lang())}</label>
        </div>
    }
}

#[component]
fn MappingStep(
    table: RwSignal<Option<Arc<Table>>>,
    mapping: RwSignal<Vec<ImportColumn>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let columns = move || {
        table.with(|t| {
            t.as_ref().map_or_else(Vec::new, |t| {
                t.headers
                    .iter()
                    .enumerate()
                    .map(|(i, h)| {
                        let samples: Vec<String> = t
                            .rows
                            .iter()
                            .take(PREVIEW_ROWS)
                            .map(|r| r.get(i).cloned().unwrap_or_default())
                            .collect();
                        (i, h.clone(), samples)
                    })
                    .collect()
            })
        })
    };
    view! {
        <section class="import-step" aria-labelledby="import-map-title">
            <h2 id="import-map-title">{move || ImportWord::StepMapping.text(lang())}</h2>
            <p class="hint">{move || ImportWord::MappingHint.text(lang())}</p>
            <div class="import-table-wrap">
                <table class="import-mapping" data-testid="import-mapping">
                    <thead>
                        <tr>
                            <th scope="col">{move || ImportWord::ColumnInFile.text(lang())}</th>
                            <th scope="col">{move || ImportWord::ImportsAs.text(lang())}</th>
                            <th scope="col">{move || ImportWord::Preview.text(lang())}</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=columns key=|(i, h, _)| (*i, h.clone()) let:column>
                            <MappingRow index=column.0 header=column.1 samples=column.2 mapping=mapping/>
                        </For>
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn MappingRow(
    index: usize,
    header: String,
    samples: Vec<String>,
    mapping: RwSignal<Vec<ImportColumn>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let current = move || mapping.with(|m| m.get(index).copied().unwrap_or(ImportColumn::Ignore));
    let label = if header.trim().is_empty() {
        format!("#{}", index + 1)
    } else {
        header.clone()
    };
    let select_label = label.clone();
    view! {
        <tr class:import-mapping__ignored=move || !current().is_imported()>
            <th scope="row">{label}</th>
            <td>
                <select
                    data-testid=format!("import-column-{index}")
                    aria-label=move || format!("{} {}", ImportWord::ImportsAs.text(lang()), select_label)
                    on:change=move |ev| {
                        if let Some(column) = ImportColumn::from_key(&event_target_value(&ev)) {
                            mapping.update(|m| {
                                if let Some(slot) = m.get_mut(index) {
                                    *slot = column;
                                }
                            });
                        }
                    }
                >
                    {ImportColumn::ALL.into_iter().map(|c| view! {
                        <option value=c.key() selected=move || current() == c>
                            {move || ImportWord::of_column(c).text(lang())}
                        </option>
                    }).collect_view()}
                </select>
            </td>
            <td>
                <ul class="import-samples">
                    {samples.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}
                </ul>
            </td>
        </tr>
    }
}

#[component]
fn ImportResult(outcome: ImportOutcome, on_again: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let errors = Arc::new(outcome.errors);
    let balances = outcome.balances;
    let left_out = outcome
        .balances_left_out
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let bad = errors.len();
    let for_download = errors.clone();
    let download = move |_| {
        let text = errors_csv(&for_download, i18n.lang());
        let name = match i18n.lang() {
            crate::i18n::Lang::Zh => "未导入的行.csv",
            crate::i18n::Lang::En => "rows-not-imported.csv",
        };
        if let Err(e) = download_as(name, &text, "text/csv;charset=utf-8") {
            leptos::logging::warn!("download failed: {e:?}");
        }
    };
    let rows = errors.clone();
    view! {
        <section class="import-result" aria-labelledby="import-result-title" data-testid="import-result">
            <h2 id="import-result-title" tabindex="-1">{move || ImportWord::ResultTitle.text(lang())}</h2>
            <dl class="import-counts">
                <div><dt>{move || ImportWord::NewCount.text(lang())}</dt><dd data-testid="import-new">{outcome.new_count}</dd></div>
                <div><dt>{move || ImportWord::MergedCount.text(lang())}</dt><dd data-testid="import-merged">{outcome.merged_count}</dd></div>
                <div><dt>{move || ImportWord::SkippedCount.text(lang())}</dt><dd data-testid="import-skipped">{outcome.skipped_count}</dd></div>
                <div><dt>{move || ImportWord::BadCount.text(lang())}</dt><dd data-testid="import-bad">{bad}</dd></div>
                {(balances.0 > 0).then(|| view! {
                    <div><dt>{move || ImportWord::BalancesCount.text(lang())}</dt><dd data-testid="import-balances">{format!("{} · ¥{}", balances.0, balances.1)}</dd></div>
                })}
            </dl>
            {outcome.balances_not_allowed.then(|| view! {
                <p class="import-note" data-testid="import-balances-not-allowed">{move || ImportWord::BalancesNotAllowed.text(lang())}</p>
            })}
            {(!left_out.is_empty()).then(|| view! {
                <p class="import-note" data-testid="import-balances-left-out">
                    {move || ImportWord::BalancesLeftOut.text(lang())} ": " {left_out.clone()}
                </p>
            })}
            {(bad > 0).then(move || view! {
                <h3>{move || ImportWord::BadRowsTitle.text(lang())}</h3>
                <div class="import-table-wrap">
                    <table class="import-errors" data-testid="import-errors">
                        <thead>
                            <tr>
                                <th scope="col" class="num">{move || ImportWord::RowNumber.text(lang())}</th>
                                <th scope="col">{move || ImportWord::Reason.text(lang())}</th>
                                <th scope="col">{move || ImportWord::Value.text(lang())}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows.iter().take(SHOWN_ERRORS).map(|e| {
                                let problem = e.problem;
                                view! {
                                    <tr data-testid=format!("import-error-row-{}", e.row)>
                                        <td class="num">{e.row}</td>
                                        <td>{move || ImportWord::of_problem(problem).text(lang())}</td>
                                        <td>{e.value.clone()}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                {(bad > SHOWN_ERRORS).then(|| view! {
                    <p class="hint">{move || ImportWord::MoreRows.text(lang())}</p>
                })}
                <button type="button" class="button--secondary" data-testid="import-download-errors" on:click=download>
                    {move || ImportWord::DownloadBad.text(lang())}
                </button>
            })}
            <div class="import-actions">
                <A href="/customers" attr:class="button">{move || ImportWord::BackToCustomers.text(lang())}</A>
                <button type="button" class="button--secondary" on:click=move |_| on_again.run(())>
                    {move || ImportWord::ImportAnother.text(lang())}
                </button>
            </div>
        </section>
    }
}
