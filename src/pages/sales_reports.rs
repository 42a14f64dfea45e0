//! The sales and stock report ([products & loyalty] item 8) for the manager, the finance
//! supervisor and the owner: a month's takings by payment means with voids subtracted, what the
//! store owes its customers, stock value and movements, products used per service against their
//! standard use (expected, actual, difference) — the core's `sales_report` as tables with their
//! CSV and a chart; prints on A4 (style/sales.css).
use std::collections::BTreeMap;

use leptos::prelude::*;
use orchid_core::catalog::Money;
use orchid_core::ids::{ProductId, ServiceId};
use orchid_core::product::{Product, StockUnit};
use orchid_core::sales_report::{PaymentMeans, SalesReport};

use crate::components::ReportHead;
use crate::components::figure_table::{FigureTable, MoneyChart, TableQueue};
use crate::i18n::Lang;
use crate::i18n::checkout_words::CheckoutWord;
use crate::i18n::sales_words::SalesWord as Word;
use crate::state::checkout::money_text;
use crate::state::stock::quantity_text;
use crate::state::store::{store_offset, use_store};
use crate::state::use_i18n;

/// The words of a means of payment.
fn means_text(lang: Lang, means: PaymentMeans) -> &'static str {
    match means {
        PaymentMeans::Cash => CheckoutWord::Cash.text(lang),
        PaymentMeans::BankCard => CheckoutWord::BankCard.text(lang),
        PaymentMeans::WechatPay => CheckoutWord::WechatPay.text(lang),
        PaymentMeans::Alipay => CheckoutWord::Alipay.text(lang),
        PaymentMeans::StoredValue => Word::StoredValueMeans.text(lang),
        PaymentMeans::PackageSession => Word::PackageMeans.text(lang),
        PaymentMeans::Points => CheckoutWord::PaidByPoints.text(lang),
    }
}

/// Names of the store's products and services, to label the report's rows.
struct Names {
    products: BTreeMap<ProductId, (String, StockUnit)>,
    services: BTreeMap<ServiceId, String>,
}

impl Names {
    fn product(&self, lang: Lang, id: ProductId) -> (String, StockUnit) {
        self.products
            .get(&id)
            .cloned()
            .unwrap_or_else(|| (Word::Removed.text(lang).to_owned(), StockUnit::Piece))
    }
    fn service(&self, lang: Lang, id: Option<ServiceId>) -> String {
        match id {
            None => Word::NoService.text(lang).to_owned(),
            Some(id) => self
                .services
                .get(&id)
                .cloned()
                .unwrap_or_else(|| Word::Removed.text(lang).to_owned()),
        }
    }
}

/// A figure that may go either way, with its sign written out when it is above zero.
fn signed(text: String, value: i64) -> String {
    if value > 0 { format!("+{text}") } else { text }
}

fn head(lang: Lang, words: &[Word]) -> Vec<String> {
    words.iter().map(|w| w.text(lang).to_owned()).collect()
}

/// Every table of the report, in the user's language, with its test id.
fn tables(lang: Lang, r: &SalesReport, names: &Names) -> Vec<(FigureTable, &'static str)> {
    let sales = FigureTable {
        title: Word::SalesSection.text(lang).to_owned(),
        head: head(
            lang,
            &[
                Word::Means,
                Word::Sold,
                Word::Voided,
                Word::Net,
                Word::Payments,
            ],
        ),
        rows: PaymentMeans::ALL
            .iter()
            .map(|m| {
                let f = r.sales.get(m).copied().unwrap_or_default();
                vec![
                    means_text(lang, *m).to_owned(),
                    money_text(f.sold),
                    money_text(f.voided),
                    money_text(f.net),
                    f.count.to_string(),
                ]
            })
            .collect(),
    };
    let pairs = |title: Word, rows: Vec<(Word, String)>| FigureTable {
        title: title.text(lang).to_owned(),
        head: head(lang, &[Word::Figure, Word::Amount]),
        rows: rows
            .into_iter()
            .map(|(w, v)| vec![w.text(lang).to_owned(), v])
            .collect(),
    };
    let totals = pairs(
        Word::Totals,
        vec![
            (Word::MoneyNet, money_text(r.money_net())),
            (
                Word::CheckoutsAndVoids,
                format!("{} / {}", r.checkouts, r.voids),
            ),
        ],
    );
    let l = &r.liability;
    let owed = pairs(
        Word::OwedSection,
        vec![
            (Word::StoredValueOwed, money_text(l.stored_value)),
            (
                Word::StoredValueCustomers,
                l.stored_value_customers.to_string(),
            ),
            (Word::Overdrawn, money_text(l.overdrawn)),
            (Word::PointsOwed, l.points.to_string()),
        ],
    );
    let sessions = FigureTable {
        title: Word::SessionsSection.text(lang).to_owned(),
        head: head(lang, &[Word::Service, Word::Sessions]),
        rows: l
            .sessions_by_service
            .iter()
            .map(|(s, n)| vec![names.service(lang, *s), n.to_string()])
            .collect(),
    };
    let mut stock_rows: Vec<Vec<String>> = r
        .stock
        .iter()
        .map(|p| {
            let (name, unit) = names.product(lang, p.product_id);
            vec![
                name,
                quantity_text(lang, p.on_hand, unit),
                money_text(p.value),
                quantity_text(lang, p.uncosted, unit),
            ]
        })
        .collect();
    stock_rows.push(vec![
        Word::StockTotal.text(lang).to_owned(),
        String::new(),
        money_text(r.stock_value),
        String::new(),
    ]);
    let stock = FigureTable {
        title: Word::StockSection.text(lang).to_owned(),
        head: head(
            lang,
            &[Word::Product, Word::OnHand, Word::Value, Word::Uncosted],
        ),
        rows: stock_rows,
    };
    let movements = FigureTable {
        title: Word::MovementsSection.text(lang).to_owned(),
        head: head(
            lang,
            &[
                Word::Product,
                Word::Received,
                Word::UsedInService,
                Word::SoldOut,
                Word::Stocktake,
                Word::Other,
                Word::NetChange,
            ],
        ),
        rows: r
            .movements
            .iter()
            .map(|(id, m)| {
                let (name, unit) = names.product(lang, *id);
                let q = |n: i64| quantity_text(lang, n, unit);
                vec![
                    name,
                    q(m.received),
                    q(m.used),
                    q(m.sold),
                    q(m.stocktake),
                    q(m.other),
                    q(m.net()),
                ]
            })
            .collect(),
    };
    let usage = FigureTable {
        title: Word::UsageSection.text(lang).to_owned(),
        head: head(
            lang,
            &[
                Word::Service,
                Word::Product,
                Word::Done,
                Word::Expected,
                Word::Used,
                Word::Difference,
                Word::DifferencePercent,
            ],
        ),
        rows: r
            .usage
            .iter()
            .map(|u| {
                let (name, unit) = names.product(lang, u.product_id);
                vec![
                    names.service(lang, u.service_id),
                    name,
                    u.done.to_string(),
                    match u.expected {
                        Some(e) => quantity_text(lang, e, unit),
                        None => Word::NoStandard.text(lang).to_owned(),
                    },
                    quantity_text(lang, u.quantity, unit),
                    u.difference()
                        .map(|d| signed(quantity_text(lang, d, unit), d))
                        .unwrap_or_default(),
                    u.difference_percent()
                        .map(|p| signed(format!("{p}%"), p))
                        .unwrap_or_default(),
                ]
            })
            .collect(),
    };
    vec![
        (sales, "sales-by-means"),
        (totals, "sales-totals"),
        (owed, "sales-owed"),
        (sessions, "sales-sessions"),
        (stock, "sales-stock"),
        (movements, "sales-movements"),
        (usage, "sales-usage"),
    ]
}

#[component]
pub fn SalesReportPage() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let month = RwSignal::new(store.this_month());
    let report = Memo::new(move |_| store.sales_report(month.get()));
    let names = move || Names {
        products: store
            .all_products()
            .into_iter()
            .map(|p: Product| (p.id, (p.name.as_str().to_owned(), p.unit)))
            .collect(),
        services: store
            .catalog()
            .into_iter()
            .map(|s| (s.id, s.name.as_str().to_owned()))
            .collect(),
    };
    let may = move || store.may_read_sales();
    view! {
        <div class="report sales-report">
            <ReportHead
                title=Signal::derive(move || Word::Title.text(i18n.lang()))
                intro=Signal::derive(move || Word::Intro.text(i18n.lang()))
                print_label=Signal::derive(move || Word::Print.text(i18n.lang()))
                month=month
                testid="sales"
                select_id="sales-month-select"
            />
            <Show when=may fallback=move || view! { <p data-testid="sales-not-allowed">{move || Word::NotAllowed.text(i18n.lang())}</p> }>
                {move || {
                    let lang = i18n.lang();
                    let Some(r) = report.get() else {
                        return ().into_any();
                    };
                    let as_of = store_offset(store).local(r.as_of).format("%Y-%m-%d %H:%M").to_string();
                    let stem = format!("orchid-{}", r.month.format("%Y-%m"));
                    let points: Vec<(String, Money)> = PaymentMeans::ALL
                        .iter()
                        .map(|m| (means_text(lang, *m).to_owned(), r.sales.get(m).map(|f| f.net).unwrap_or_default()))
                        .collect();
                    let mut queue = TableQueue::new(stem, tables(lang, &r, &names()));
                    let mut take = move |count: usize| queue.take(count);
                    let (sales, owed, stock, movements, usage) = (take(2), take(2), take(1), take(1), take(1));
                    view! {
                        <p class="sales-as-of">{Word::AsOf.text(lang)} " " <span data-testid="sales-as-of">{as_of}</span></p>
                        <section class="card sales-section">
                            <h2>{Word::SalesSection.text(lang)}</h2>
                            <MoneyChart points=points label=Word::ChartTitle.text(lang).to_owned()/>
                            {sales}
                        </section>
                        <section class="card sales-section">
                            <h2>{Word::OwedSection.text(lang)}</h2>
                            {owed}
                        </section>
                        <section class="card sales-section">
                            <h2>{Word::StockSection.text(lang)}</h2>
                            {stock}
                            {movements}
                        </section>
                        <section class="card sales-section">
                            <h2>{Word::UsageSection.text(lang)}</h2>
                            <p class="field-hint">{Word::UsageNote.text(lang)}</p>
                            {usage}
                        </section>
                    }
                        .into_any()
                }}
            </Show>
        </div>
    }
}
