//! Products and stock ([products & loyalty]): the catalogue (add and edit a product — name,
//! unit, professional or retail, supplier, low-stock threshold), each product's batches with what
//! is left of them (summed from movements), receiving a batch (the batch and its movement in one
//! write) and a stocktake of a batch (the difference recorded with the reason chosen). Offline
//! like every page; what a role may do follows the core's matrix (`ProductManage`, `StockMove`).
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::components::A;
use orchid_core::catalog::Money;
use orchid_core::ids::{BatchId, ProductId};
use orchid_core::permission::{self, Action as Permit, Sensitivity};
use orchid_core::product::{self, Product, ProductField, StockReason, StockUnit};
use orchid_core::record::FieldSet;
use orchid_core::text::{Label, Name};

use crate::components::customer_form::tag_list;
use crate::components::store_error_text;
use crate::format::local_text;
use crate::i18n::stock_words::StockWord;
use crate::state::complaints::staff_name;
use crate::state::stock::{BatchStock, Receipt, quantity_text};
use crate::state::store::{StoreHandle, use_store};
use crate::state::use_i18n;

/// Which form is open (one at a time, so a tablet's screen is not a wall of inputs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Panel {
    Closed,
    NewProduct,
    Edit(ProductId),
    Receive(ProductId),
    Count(BatchId),
    Trace(BatchId),
}

fn may(store: StoreHandle, action: Permit) -> bool {
    permission::allowed(store.role(), action, Sensitivity::Ordinary)
}

fn unit_word(unit: StockUnit) -> StockWord {
    match unit {
        StockUnit::Piece => StockWord::UnitPiece,
        StockUnit::Ml => StockWord::UnitMl,
        StockUnit::Gram => StockWord::UnitGram,
    }
}

fn unit_code(unit: StockUnit) -> &'static str {
    match unit {
        StockUnit::Piece => "piece",
        StockUnit::Ml => "ml",
        StockUnit::Gram => "g",
    }
}

fn unit_of(code: &str) -> StockUnit {
    match code {
        "ml" => StockUnit::Ml,
        "g" => StockUnit::Gram,
        _ => StockUnit::Piece,
    }
}

/// A whole number ≥ `min` typed by a person (spaces allowed around it).
fn whole(raw: &str, min: i64) -> Option<i64> {
    raw.trim().parse::<i64>().ok().filter(|n| *n >= min)
}

/// An optional one-line text: empty is none.
fn optional_label(raw: &str) -> Result<Option<Label>, StockWord> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    Label::parse(raw).map(Some).map_err(|_| StockWord::TooLong)
}

#[component]
pub fn StockPage() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let panel = RwSignal::new(Panel::Closed);
    let products = Memo::new(move |_| store.all_products());
    let may_manage = move || may(store, Permit::ProductManage);
    let lang = move || i18n.lang();
    view! {
        <h1>{move || StockWord::StockTitle.text(lang())}</h1>
        <p class="page-intro">{move || StockWord::StockIntro.text(lang())}</p>
        <Show when=move || store.ready.get() fallback=|| ()>
            <div class="page-head">
                <h2 id="catalogue-title">{move || StockWord::Catalogue.text(lang())}</h2>
                <div class="page-head__actions">
                    <Show when=move || may_manage() && panel.get() != Panel::NewProduct>
                        <button type="button" data-testid="new-product" on:click=move |_| panel.set(Panel::NewProduct)>
                            {move || StockWord::NewProduct.text(lang())}
                        </button>
                    </Show>
                </div>
            </div>
            <Show when=move || panel.get() == Panel::NewProduct>
                <ProductForm product=None panel=panel/>
            </Show>
            <Show when=move || products.get().is_empty()>
                <p class="empty-state" data-testid="no-products">
                    {move || if may_manage() { StockWord::NoProducts.text(lang()) } else { StockWord::NoProductsYouMayAdd.text(lang()) }}
                </p>
            </Show>
            <section class="stock-list" aria-labelledby="catalogue-title">
                <For each=move || products.get() key=|p| (p.id, format!("{p:?}")) let:p>
                    <ProductCard product=p panel=panel/>
                </For>
            </section>
        </Show>
    }
}

#[component]
fn ProductCard(product: Product, panel: RwSignal<Panel>) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let id = product.id;
    let unit = product.unit;
    let batches = Memo::new(move |_| store.batches_of(id));
    let total = Memo::new(move |_| store.stock_levels().product(id));
    let threshold = product.low_stock_threshold;
    let low = move || product.active && total.get() <= threshold;
    let may_manage = move || may(store, Permit::ProductManage);
    let may_move = move || may(store, Permit::StockMove);
    let use_word = if product.price.is_some() {
        StockWord::UseRetail
    } else {
        StockWord::UseProfessional
    };
    let supplier = product.supplier.as_ref().map(ToString::to_string);
    let brand = product.brand.as_ref().map(ToString::to_string);
    let allergens = (!product.allergens.is_empty()).then(|| {
        product
            .allergens
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("、")
    });
    let name = product.name.to_string();
    let heading_id = format!("product-{id}");
    let labelled_by = heading_id.clone();
    let editing = move || panel.get() == Panel::Edit(id);
    let edit_product = product.clone();
    let usual_supplier = product.supplier.clone();
    view! {
        <article class="card stock-product" data-testid="stock-product" data-name=name.clone() aria-labelledby=labelled_by>
            <header class="stock-product__head">
                <div>
                    <h3 id=heading_id>{name.clone()}</h3>
                    <p class="hint">
                        {move || unit_word(unit).text(lang())} " · " {move || use_word.text(lang())}
                        {brand.clone().map(|b| view! { " · " {b} })}
                        {supplier.clone().map(|s| view! { " · " {move || StockWord::Supplier.text(lang())} " " {s.clone()} })}
                        {allergens.clone().map(|a| view! { " · " {move || StockWord::AllergensShort.text(lang())} " " {a.clone()} })}
                        {(!product.active).then(|| view! { " · " <span class="badge">{move || StockWord::Inactive.text(lang())}</span> })}
                    </p>
                </div>
                <div class="stock-product__total">
                    <span class="hint">{move || StockWord::InStock.text(lang())}</span>
                    <strong data-testid="product-total">{move || quantity_text(lang(), total.get(), unit)}</strong>
                    <Show when=low>
                        <span class="badge badge--warn" data-testid="low-badge">{move || StockWord::LowBadge.text(lang())}</span>
                    </Show>
                    <span class="hint">{move || StockWord::Threshold.text(lang())} " " {move || quantity_text(lang(), threshold, unit)}</span>
                </div>
            </header>
            <div class="stock-product__actions">
                <Show when=move || may_manage() && !editing()>
                    <button type="button" class="button--secondary" data-testid="edit-product" on:click=move |_| panel.set(Panel::Edit(id))>
                        {move || StockWord::Edit.text(lang())}
                    </button>
                </Show>
                <Show when=move || may_manage() && may_move() && panel.get() != Panel::Receive(id)>
                    <button type="button" data-testid="receive" on:click=move |_| panel.set(Panel::Receive(id))>
                        {move || StockWord::Receive.text(lang())}
                    </button>
                </Show>
            </div>
            <Show when=editing>
                <ProductForm product=Some(edit_product.clone()) panel=panel/>
            </Show>
            <Show when=move || panel.get() == Panel::Receive(id)>
                <ReceiveForm product=id supplier=usual_supplier.clone() panel=panel/>
            </Show>
            <Show
                when=move || !batches.get().is_empty()
                fallback=move || view! { <p class="hint">{move || StockWord::NoBatches.text(lang())}</p> }
            >
                <table class="stock-table" data-testid="batches">
                    <caption class="visually-hidden">{move || StockWord::Batches.text(lang())}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || StockWord::BatchNo.text(lang())}</th>
                            <th scope="col">{move || StockWord::ExpiresOn.text(lang())}</th>
                            <th scope="col">{move || StockWord::ReceivedOn.text(lang())}</th>
                            <th scope="col" class="num">{move || StockWord::InStock.text(lang())}</th>
                            <th scope="col"><span class="visually-hidden">{move || StockWord::Stocktake.text(lang())}</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || batches.get() key=|b| (b.batch.id, b.level) let:b>
                            <BatchRow product=id unit=unit stock=b panel=panel may_move=may_move()/>
                        </For>
                    </tbody>
                    <tfoot>
                        <tr>
                            <th scope="row" colspan="3">{move || StockWord::Total.text(lang())}</th>
                            <td class="num">{move || quantity_text(lang(), total.get(), unit)}</td>
                            <td></td>
                        </tr>
                    </tfoot>
                </table>
                <Movements product=id unit=unit/>
            </Show>
        </article>
    }
}

fn reason_word(reason: &StockReason) -> StockWord {
    match reason {
        StockReason::Received => StockWord::ReasonReceived,
        StockReason::UsedInService { .. } => StockWord::ReasonUsed,
        StockReason::Sold => StockWord::ReasonSold,
        StockReason::Expired => StockWord::ReasonExpired,
        StockReason::Damaged => StockWord::ReasonDamaged,
        StockReason::Returned => StockWord::ReasonReturned,
        StockReason::Adjustment => StockWord::ReasonAdjustment,
    }
}

/// Every movement of a product, newest first, with who made it: where a level comes from.
#[component]
fn Movements(product: ProductId, unit: StockUnit) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let offset = crate::state::store::store_offset(store);
    let movements = Memo::new(move |_| store.movements_of(product));
    let batch_no = move |id: Option<BatchId>| {
        id.and_then(|id| store.batches().into_iter().find(|b| b.id == id))
            .map(|b| b.batch_no.to_string())
            .unwrap_or_else(|| "—".to_owned())
    };
    view! {
        <details class="stock-movements" data-testid="movements">
            <summary>{move || StockWord::Movements.text(lang())} " (" {move || movements.with(Vec::len)} ")"</summary>
            <ul class="plain-list">
                {move || movements.get().into_iter().map(|m| {
                    let sign = if m.delta > 0 { "+" } else { "" };
                    let who = staff_name(store, m.by).unwrap_or_default();
                    view! {
                        <li data-testid="movement">
                            <span>{local_text(offset, m.at)} " · " {move || reason_word(&m.reason).text(lang())} " · " {batch_no(m.batch_id)}</span>
                            <span class="num">{sign}{move || quantity_text(lang(), m.delta, unit)} " · " {who}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </details>
    }
}

#[component]
fn BatchRow(
    product: ProductId,
    unit: StockUnit,
    stock: BatchStock,
    panel: RwSignal<Panel>,
    may_move: bool,
) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let batch = stock.batch.clone();
    let id = batch.id;
    let today = store.store_today();
    // The same window as Today's alerts.
    let window = store.expiry_window();
    let expiry = batch.expires_on;
    let days_left = expiry.map(|d| (d - today).num_days());
    let expiry_note = move || match days_left {
        Some(d) if d < 0 => Some((
            "badge badge--danger",
            StockWord::Expired.text(lang()).to_owned(),
        )),
        Some(0) => Some((
            "badge badge--warn",
            StockWord::ExpiresToday.text(lang()).to_owned(),
        )),
        Some(d) if d <= i64::from(window) => Some((
            "badge badge--warn",
            format!("{d} {}", StockWord::ExpiresInDays.text(lang())),
        )),
        _ => None,
    };
    let offset = crate::state::store::store_offset(store);
    let received = offset.local_date(batch.received_at).to_string();
    // Tracing names customers and their visits: those who manage products (the quality check)
    // and may read visit records.
    let may_trace = move || {
        may(store, Permit::ProductManage)
            && permission::allowed(
                store.role(),
                Permit::ServiceRecordRead,
                Sensitivity::Ordinary,
            )
    };
    let level = stock.level;
    view! {
        <tr data-testid="batch-row" data-batch=batch.batch_no.to_string()>
            <td>{batch.batch_no.to_string()}</td>
            <td>
                {match expiry { Some(d) => d.to_string(), None => String::new() }}
                {move || expiry.is_none().then(|| StockWord::NoExpiry.text(lang()))}
                {move || expiry_note().map(|(class, text)| view! { " " <span class=class>{text}</span> })}
            </td>
            <td>{received}</td>
            <td class="num" data-testid="batch-level">{move || quantity_text(lang(), level, unit)}</td>
            <td>
                <Show when=move || may_move && panel.get() != Panel::Count(id)>
                    <button type="button" class="button--secondary" data-testid="stocktake" on:click=move |_| panel.set(Panel::Count(id))>
                        {move || StockWord::Stocktake.text(lang())}
                    </button>
                </Show>
                <Show when=move || may_trace() && panel.get() != Panel::Trace(id)>
                    <button type="button" class="button--secondary" data-testid="trace" on:click=move |_| panel.set(Panel::Trace(id))>
                        {move || StockWord::Trace.text(lang())}
                    </button>
                </Show>
            </td>
        </tr>
        <Show when=move || panel.get() == Panel::Trace(id)>
            <tr class="stock-table__form">
                <td colspan="5">
                    <TracePanel batch=id unit=unit panel=panel/>
                </td>
            </tr>
        </Show>
        <Show when=move || panel.get() == Panel::Count(id)>
            <tr class="stock-table__form">
                <td colspan="5">
                    <CountForm product=product batch=id level=level unit=unit panel=panel/>
                </td>
            </tr>
        </Show>
    }
}

/// Where a batch went (the core's `batch_trace`): each visit that used it — when, whose, by whom,
/// how much, its evaluation with a reaction marked —, the complaints naming it, and the recall:
/// a care call planned for each of those customers in one write.
#[component]
fn TracePanel(batch: BatchId, unit: StockUnit, panel: RwSignal<Panel>) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let trace = Memo::new(move |_| store.batch_trace(batch));
    let offset = crate::state::store::store_offset(store);
    let may_recall =
        move || permission::allowed(store.role(), Permit::FollowUpManage, Sensitivity::Ordinary);
    let recalled = RwSignal::new(None::<Result<usize, String>>);
    let recall = Action::new_local(move |_: &()| async move {
        let result = store
            .recall_batch(batch)
            .await
            .map_err(|e| store_error_text(i18n.lang(), &e).to_owned());
        recalled.set(Some(result));
    });
    let customer_name = move |id| {
        store
            .customer(id)
            .map(|c| c.name.to_string())
            .unwrap_or_default()
    };
    view! {
        <section class="trace-panel" data-testid="trace-panel" aria-labelledby="trace-title">
            <h3 id="trace-title">{move || StockWord::TraceTitle.text(lang())}</h3>
            <Show
                when=move || !trace.with(|t| t.uses.is_empty())
                fallback=move || view! { <p data-testid="trace-none">{move || StockWord::TraceNone.text(lang())}</p> }
            >
                <table class="stock-table trace-table">
                    <thead>
                        <tr>
                            <th scope="col">{move || StockWord::TraceWhen.text(lang())}</th>
                            <th scope="col">{move || StockWord::TraceCustomer.text(lang())}</th>
                            <th scope="col">{move || StockWord::TraceTherapist.text(lang())}</th>
                            <th scope="col" class="num">{move || StockWord::TraceAmount.text(lang())}</th>
                            <th scope="col">{move || StockWord::TraceEvaluation.text(lang())}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || trace.get().uses.into_iter().map(|u| {
                            let reaction = u.reaction();
                            let evaluation = format!(
                                "{}{}",
                                u.effect.map(|e| format!("{e}/5 ")).unwrap_or_default(),
                                u.evaluation_note.as_ref().map(ToString::to_string).unwrap_or_default()
                            );
                            view! {
                                <tr data-testid="trace-use">
                                    <td>{local_text(offset, u.at)}</td>
                                    <td><A href=format!("/customers/{}", u.customer)>{customer_name(u.customer)}</A></td>
                                    <td>{staff_name(store, u.therapist).unwrap_or_default()}</td>
                                    <td class="num">{move || quantity_text(lang(), i64::from(u.quantity), unit)}</td>
                                    <td>
                                        {evaluation.clone()}
                                        {reaction.then(|| view! { " " <span class="badge badge--danger" data-testid="trace-reaction">{move || StockWord::Reaction.text(lang())}</span> })}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </Show>
            <h4>{move || StockWord::TraceComplaints.text(lang())}</h4>
            <Show
                when=move || !trace.with(|t| t.complaints.is_empty())
                fallback=move || view! { <p>{move || StockWord::TraceNoComplaints.text(lang())}</p> }
            >
                <ul class="plain-list">
                    {move || trace.get().complaints.into_iter().map(|c| view! {
                        <li><A href=format!("/complaints/{c}")>{c.to_string().chars().take(8).collect::<String>()}</A></li>
                    }).collect_view()}
                </ul>
            </Show>
            <div class="form-actions">
                <Show when=move || may_recall() && !trace.with(|t| t.uses.is_empty())>
                    <button type="button" data-testid="recall" on:click=move |_| { recall.dispatch(()); }>
                        {move || StockWord::RecallButton.text(lang())}
                        " (" {move || trace.with(|t| t.customers().len())} ")"
                    </button>
                </Show>
                <button type="button" class="button--secondary" on:click=move |_| panel.set(Panel::Closed)>
                    {move || StockWord::Close.text(lang())}
                </button>
            </div>
            {move || recalled.get().map(|r| match r {
                Ok(n) => view! {
                    <p class="form-ok" role="status" data-testid="recall-done">
                        {StockWord::RecallDone.text(lang())} {n} " · "
                        <A href="/follow-ups">{StockWord::RecallOpen.text(lang())}</A>
                    </p>
                }.into_any(),
                Err(text) => view! { <p class="form-error" role="alert">{text}</p> }.into_any(),
            })}
        </section>
    }
}

#[component]
fn ProductForm(product: Option<Product>, panel: RwSignal<Panel>) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let id = product.as_ref().map(|p| p.id);
    let original = StoredValue::new(product.clone());
    let name = RwSignal::new(
        product
            .as_ref()
            .map(|p| p.name.to_string())
            .unwrap_or_default(),
    );
    let unit = RwSignal::new(
        product
            .as_ref()
            .map_or("ml", |p| unit_code(p.unit))
            .to_owned(),
    );
    let retail = RwSignal::new(product.as_ref().is_some_and(|p| p.price.is_some()));
    let price = RwSignal::new(
        product
            .as_ref()
            .and_then(|p| p.price)
            .map(|m| m.to_string())
            .unwrap_or_default(),
    );
    let supplier = RwSignal::new(
        product
            .as_ref()
            .and_then(|p| p.supplier.as_ref())
            .map(ToString::to_string)
            .unwrap_or_default(),
    );
    let threshold = RwSignal::new(
        product
            .as_ref()
            .map_or(0, |p| p.low_stock_threshold)
            .to_string(),
    );
    let brand = RwSignal::new(
        product
            .as_ref()
            .and_then(|p| p.brand.as_ref())
            .map(ToString::to_string)
            .unwrap_or_default(),
    );
    let allergens = RwSignal::new(
        product
            .as_ref()
            .map(|p| {
                p.allergens
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default(),
    );
    let active = RwSignal::new(product.as_ref().is_none_or(|p| p.active));
    let error = RwSignal::new(None::<String>);
    let save = Action::new_local(move |_: &()| async move {
        let lang = i18n.lang();
        let name = Name::parse(&name.get_untracked()).map_err(|_| {
            if name.get_untracked().trim().is_empty() {
                StockWord::NameNeeded.text(lang)
            } else {
                StockWord::TooLong.text(lang)
            }
        })?;
        let threshold = whole(&threshold.get_untracked(), 0)
            .ok_or_else(|| StockWord::ThresholdNotNumber.text(lang))?;
        let price = if retail.get_untracked() {
            Some(
                Money::parse_yuan(&price.get_untracked())
                    .ok_or_else(|| StockWord::PriceNotAmount.text(lang))?,
            )
        } else {
            None
        };
        let supplier = optional_label(&supplier.get_untracked()).map_err(|w| w.text(lang))?;
        let brand = optional_label(&brand.get_untracked()).map_err(|w| w.text(lang))?;
        let allergens = tag_list(&allergens.get_untracked())
            .map_err(|_| StockWord::AllergenTooLong.text(lang))?;
        let mut fields = vec![
            ProductField::Name(name),
            ProductField::Unit(unit_of(&unit.get_untracked())),
            ProductField::Price(price),
            ProductField::Supplier(supplier),
            ProductField::Brand(brand),
            ProductField::Allergens(allergens),
            ProductField::LowStockThreshold(threshold),
            ProductField::Active(active.get_untracked()),
        ];
        // An edit sends only what changed, so another device's edit of another field stands.
        if let Some(before) = original.get_value() {
            let unchanged = ProductField::all_from(&before);
            fields.retain(|f| !unchanged.contains(f));
            if fields.is_empty() {
                return Ok::<_, &'static str>(before.id);
            }
        }
        store
            .save_product(id, fields)
            .await
            .map_err(|e| store_error_text(lang, &e))
    });
    Effect::new(move || match save.value().get() {
        Some(Ok(_)) => {
            error.set(None);
            panel.set(Panel::Closed);
        }
        Some(Err(e)) => error.set(Some(e.to_owned())),
        None => {}
    });
    let title = if id.is_some() {
        StockWord::EditProduct
    } else {
        StockWord::NewProduct
    };
    let key = id.map_or_else(|| "new".to_owned(), |id| id.to_string());
    let f = move |field: &str| format!("product-{field}-{key}");
    let (f_name, f_unit, f_use, f_price, f_supplier, f_threshold, f_active) = (
        f("name"),
        f("unit"),
        f("use"),
        f("price"),
        f("supplier"),
        f("threshold"),
        f("active"),
    );
    let (f_brand, f_allergens, f_allergens_hint) =
        (f("brand"), f("allergens"), f("allergens-hint"));
    let f_threshold_hint = f("threshold-hint");
    let f_threshold_hint2 = f_threshold_hint.clone();
    let f_allergens_hint2 = f_allergens_hint.clone();
    let f_price2 = f_price.clone();
    view! {
        <form class="stock-form" data-testid="product-form" on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
            <h3>{move || title.text(lang())}</h3>
            <div class="field-row">
                <div class="field">
                    <label for=f_name.clone()>{move || StockWord::ProductName.text(lang())}</label>
                    <input id=f_name type="text" maxlength="60" prop:value=name on:input=move |ev| name.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for=f_unit.clone()>{move || StockWord::Unit.text(lang())}</label>
                    <select id=f_unit prop:value=unit on:change=move |ev| unit.set(event_target_value(&ev))>
                        {[StockUnit::Ml, StockUnit::Gram, StockUnit::Piece].into_iter().map(|u| view! {
                            <option value=unit_code(u) selected=move || unit.get() == unit_code(u)>{move || unit_word(u).text(lang())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for=f_use.clone()>{move || StockWord::Use.text(lang())}</label>
                    <select id=f_use on:change=move |ev| retail.set(event_target_value(&ev) == "retail")>
                        <option value="professional" selected=move || !retail.get()>{move || StockWord::UseProfessional.text(lang())}</option>
                        <option value="retail" selected=move || retail.get()>{move || StockWord::UseRetail.text(lang())}</option>
                    </select>
                </div>
                <Show when=move || retail.get()>
                    <div class="field">
                        <label for=f_price.clone()>{move || StockWord::RetailPrice.text(lang())}</label>
                        <input id=f_price2.clone() type="text" inputmode="decimal" prop:value=price on:input=move |ev| price.set(event_target_value(&ev))/>
                    </div>
                </Show>
                <div class="field">
                    <label for=f_supplier.clone()>{move || StockWord::Supplier.text(lang())}</label>
                    <input id=f_supplier type="text" prop:value=supplier on:input=move |ev| supplier.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for=f_threshold.clone()>{move || StockWord::Threshold.text(lang())}</label>
                    <input id=f_threshold type="text" inputmode="numeric" aria-describedby=f_threshold_hint prop:value=threshold on:input=move |ev| threshold.set(event_target_value(&ev))/>
                    <span class="hint" id=f_threshold_hint2>{move || StockWord::ThresholdHint.text(lang())}</span>
                </div>
                <div class="field">
                    <label for=f_brand.clone()>{move || StockWord::Brand.text(lang())}</label>
                    <input id=f_brand type="text" prop:value=brand on:input=move |ev| brand.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for=f_allergens.clone()>{move || StockWord::Allergens.text(lang())}</label>
                    <input id=f_allergens type="text" aria-describedby=f_allergens_hint prop:value=allergens on:input=move |ev| allergens.set(event_target_value(&ev))/>
                    <span class="hint" id=f_allergens_hint2>{move || StockWord::AllergensHint.text(lang())}</span>
                </div>
            </div>
            <Show when=move || id.is_some()>
                <label class="check">
                    <input id=f_active.clone() type="checkbox" prop:checked=active on:change=move |ev| active.set(event_target_checked(&ev))/>
                    {move || StockWord::Active.text(lang())}
                </label>
            </Show>
            <p class="form-error" role="alert" data-testid="product-error">{move || error.get()}</p>
            <div class="form-actions">
                <button type="button" class="button--secondary" on:click=move |_| panel.set(Panel::Closed)>{move || StockWord::Cancel.text(lang())}</button>
                <button type="submit" disabled=move || save.pending().get()>{move || StockWord::SaveProduct.text(lang())}</button>
            </div>
        </form>
    }
}

/// "2026-12-31" → a date; empty → none.
fn optional_date(raw: &str) -> Result<Option<NaiveDate>, StockWord> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| StockWord::DateNotValid)
}

#[component]
fn ReceiveForm(
    product: ProductId,
    supplier: Option<Label>,
    panel: RwSignal<Panel>,
) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let batch_no = RwSignal::new(String::new());
    let expires = RwSignal::new(String::new());
    let quantity = RwSignal::new(String::new());
    let cost = RwSignal::new(String::new());
    let supplier = RwSignal::new(supplier.map(|s| s.to_string()).unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    // Receiving a batch already past its date is allowed (it is on the shelf), but said.
    let warning = RwSignal::new(false);
    let save = Action::new_local(move |_: &()| async move {
        let lang = i18n.lang();
        let batch_no = Label::parse(&batch_no.get_untracked()).map_err(|_| {
            if batch_no.get_untracked().trim().is_empty() {
                StockWord::BatchNoNeeded.text(lang)
            } else {
                StockWord::TooLong.text(lang)
            }
        })?;
        let expires_on = optional_date(&expires.get_untracked()).map_err(|w| w.text(lang))?;
        let quantity = whole(&quantity.get_untracked(), 1)
            .ok_or_else(|| StockWord::QuantityNotPositive.text(lang))?;
        let cost = if cost.get_untracked().trim().is_empty() {
            None
        } else {
            Some(
                Money::parse_yuan(&cost.get_untracked())
                    .ok_or_else(|| StockWord::CostNotAmount.text(lang))?,
            )
        };
        let supplier = optional_label(&supplier.get_untracked()).map_err(|w| w.text(lang))?;
        let expired = product::is_expired(expires_on, store.store_today());
        store
            .receive_batch(Receipt {
                product_id: product,
                batch_no,
                expires_on,
                quantity,
                cost,
                supplier,
            })
            .await
            .map(|_| expired)
            .map_err(|e| store_error_text(lang, &e))
    });
    Effect::new(move || match save.value().get() {
        Some(Ok(expired)) => {
            error.set(None);
            warning.set(expired);
            if !expired {
                panel.set(Panel::Closed);
            }
        }
        Some(Err(e)) => error.set(Some(e.to_owned())),
        None => {}
    });
    let f = move |field: &str| format!("receive-{field}-{product}");
    let (f_no, f_exp, f_qty, f_cost, f_sup) =
        (f("no"), f("expires"), f("qty"), f("cost"), f("supplier"));
    view! {
        <form class="stock-form" data-testid="receive-form" on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
            <h4>{move || StockWord::ReceiveTitle.text(lang())}</h4>
            <div class="field-row">
                <div class="field">
                    <label for=f_no.clone()>{move || StockWord::BatchNo.text(lang())}</label>
                    <input id=f_no type="text" prop:value=batch_no on:input=move |ev| batch_no.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for=f_exp.clone()>{move || StockWord::ExpiresOn.text(lang())}</label>
                    <input id=f_exp type="date" prop:value=expires on:input=move |ev| expires.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for=f_qty.clone()>{move || StockWord::Quantity.text(lang())}</label>
                    <input id=f_qty type="text" inputmode="numeric" prop:value=quantity on:input=move |ev| quantity.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for=f_cost.clone()>{move || StockWord::Cost.text(lang())}</label>
                    <input id=f_cost type="text" inputmode="decimal" prop:value=cost on:input=move |ev| cost.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for=f_sup.clone()>{move || StockWord::Supplier.text(lang())}</label>
                    <input id=f_sup type="text" prop:value=supplier on:input=move |ev| supplier.set(event_target_value(&ev))/>
                </div>
            </div>
            <p class="form-error" role="alert" data-testid="receive-error">{move || error.get()}</p>
            <Show when=move || warning.get()>
                <p class="stock-warning" role="status" data-testid="receive-expired">{move || StockWord::ExpiredOnReceive.text(lang())}</p>
            </Show>
            <div class="form-actions">
                <button type="button" class="button--secondary" on:click=move |_| panel.set(Panel::Closed)>{move || StockWord::Cancel.text(lang())}</button>
                <button type="submit" data-testid="save-receive" disabled=move || save.pending().get()>{move || StockWord::SaveReceive.text(lang())}</button>
            </div>
        </form>
    }
}

#[component]
fn CountForm(
    product: ProductId,
    batch: BatchId,
    level: i64,
    unit: StockUnit,
    panel: RwSignal<Panel>,
) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let counted = RwSignal::new(level.to_string());
    let reason = RwSignal::new("adjustment".to_owned());
    let error = RwSignal::new(None::<String>);
    let message = RwSignal::new(None::<StockWord>);
    let save = Action::new_local(move |_: &()| async move {
        let lang = i18n.lang();
        let counted = whole(&counted.get_untracked(), 0)
            .ok_or_else(|| StockWord::CountNotNumber.text(lang))?;
        let reason = match reason.get_untracked().as_str() {
            "damaged" => StockReason::Damaged,
            "expired" => StockReason::Expired,
            "returned" => StockReason::Returned,
            _ => StockReason::Adjustment,
        };
        store
            .record_count(product, batch, counted, reason)
            .await
            .map_err(|e| store_error_text(lang, &e))
    });
    Effect::new(move || match save.value().get() {
        Some(Ok(true)) => {
            error.set(None);
            panel.set(Panel::Closed);
        }
        Some(Ok(false)) => {
            error.set(None);
            message.set(Some(StockWord::CountAgrees));
        }
        Some(Err(e)) => {
            message.set(None);
            error.set(Some(e.to_owned()));
        }
        None => {}
    });
    let f_count = format!("count-{batch}");
    let f_reason = format!("count-reason-{batch}");
    let reasons = [
        ("adjustment", StockWord::ReasonAdjustment),
        ("damaged", StockWord::ReasonDamaged),
        ("expired", StockWord::ReasonExpired),
        ("returned", StockWord::ReasonReturned),
    ];
    view! {
        <form class="stock-form stock-form--inline" data-testid="count-form" on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
            <div class="field-row">
                <div class="field">
                    <label for=f_count.clone()>{move || StockWord::Counted.text(lang())} " (" {move || unit_word(unit).text(lang())} ")"</label>
                    <input id=f_count type="text" inputmode="numeric" prop:value=counted on:input=move |ev| counted.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for=f_reason.clone()>{move || StockWord::Reason.text(lang())}</label>
                    <select id=f_reason on:change=move |ev| reason.set(event_target_value(&ev))>
                        {reasons.into_iter().map(|(code, word)| view! {
                            <option value=code selected=move || reason.get() == code>{move || word.text(lang())}</option>
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <p class="form-error" role="alert" data-testid="count-error">{move || error.get()}</p>
            <p role="status">{move || message.get().map(|m| m.text(lang()))}</p>
            <div class="form-actions">
                <button type="button" class="button--secondary" on:click=move |_| panel.set(Panel::Closed)>{move || StockWord::Cancel.text(lang())}</button>
                <button type="submit" data-testid="save-count" disabled=move || save.pending().get()>{move || StockWord::SaveStocktake.text(lang())}</button>
            </div>
        </form>
    }
}
