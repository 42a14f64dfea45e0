//! Check-out (结账), [products & loyalty] items 4–6: the bill of a visit (opened from Today or
//! the appointment panel with `?appointment=`) or of a retail sale — services and products at
//! their prices, the member's discount, paid by her packages, her stored-value card or an
//! outside means the desk picks (recorded, never processed), points earned — all worked out by
//! the core's `bill`; confirming writes the check-out with its deltas and stock in one
//! transaction and shows a printable receipt with her balances after (`?receipt=` opens one
//! again). Managers void a check-out
//! with a reason and settle overdrawn balances. Offline like every page.
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use orchid_core::catalog::Money;
use orchid_core::checkout::{BillLine, Checkout, OutsideMeans, Payment};
use orchid_core::ids::{AppointmentId, CheckoutId, CustomerId, ProductId, ServiceId};
use orchid_core::text::Label;

use crate::components::balances::{BalanceSummary, OverdrawnItems};
use crate::components::{CustomerPicker, store_error_text};
use crate::format::local_text;
use crate::i18n::Lang;
use crate::i18n::checkout_words::CheckoutWord;
use crate::state::checkout::{BillDraft, money_text};
use crate::state::complaints::staff_name;
use crate::state::store::{StoreHandle, store_offset, use_store};
use crate::state::use_i18n;

/// The word of an outside means.
pub fn means_word(means: OutsideMeans) -> CheckoutWord {
    match means {
        OutsideMeans::Cash => CheckoutWord::Cash,
        OutsideMeans::BankCard => CheckoutWord::BankCard,
        OutsideMeans::WechatPay => CheckoutWord::WechatPay,
        OutsideMeans::Alipay => CheckoutWord::Alipay,
    }
}

/// "疗程卡抵扣 ×1 · ¥380.00" for a payment.
fn payment_text(lang: Lang, p: &Payment) -> String {
    match p {
        Payment::PackageSession {
            sessions, value, ..
        } => format!(
            "{} ×{sessions} · {}",
            CheckoutWord::PaidByPackage.text(lang),
            money_text(*value)
        ),
        Payment::StoredValue { amount } => {
            format!(
                "{} · {}",
                CheckoutWord::PaidByCard.text(lang),
                money_text(*amount)
            )
        }
        Payment::Points { points, value } => format!(
            "{} {points} · {}",
            CheckoutWord::PaidByPoints.text(lang),
            money_text(*value)
        ),
        Payment::Outside { means, amount } => {
            format!(
                "{} · {}",
                means_word(*means).text(lang),
                money_text(*amount)
            )
        }
    }
}

fn query_id(raw: Option<String>) -> Option<uuid::Uuid> {
    raw.and_then(|r| uuid::Uuid::parse_str(&r).ok())
}

/// A whole number in `1..=max` typed by a person.
fn count(raw: &str, max: u32) -> Option<u32> {
    raw.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=max).contains(n))
}

#[component]
pub fn CheckoutPage() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let query = use_query_map();
    let appointment = Memo::new(move |_| {
        query_id(query.with(|q| q.get("appointment"))).map(AppointmentId::from_uuid)
    });
    // A receipt can be opened again by its address (to print it later, or to show it).
    let receipt = RwSignal::new(
        query_id(query.with_untracked(|q| q.get("receipt"))).map(CheckoutId::from_uuid),
    );
    view! {
        <h1>{move || CheckoutWord::Title.text(lang())}</h1>
        <p class="page-intro">{move || CheckoutWord::Intro.text(lang())}</p>
        <Show when=move || store.ready.get() fallback=|| ()>
            <OverdrawnItems/>
            {move || match receipt.get() {
                Some(id) => view! { <Receipt id=id receipt=receipt/> }.into_any(),
                None => {
                    let visit = appointment.get();
                    let customer = query_id(query.with_untracked(|q| q.get("customer"))).map(CustomerId::from_uuid);
                    untrack(|| view! { <BillForm visit=visit customer=customer receipt=receipt/> }).into_any()
                }
            }}
            <RecentCheckouts receipt=receipt/>
        </Show>
    }
}

/// The draft a visit starts from: her, the visit and its services at their prices.
fn visit_draft(
    store: StoreHandle,
    visit: Option<AppointmentId>,
    customer: Option<CustomerId>,
) -> BillDraft {
    let mut draft = BillDraft {
        customer_id: customer,
        ..BillDraft::default()
    };
    if let Some(a) = visit.and_then(|id| store.appointment(id)) {
        draft.customer_id = Some(a.appointment.customer_id);
        draft.appointment_id = Some(a.appointment.id);
        draft.lines = a
            .appointment
            .services
            .iter()
            .filter_map(|s| store.service_line(*s))
            .collect();
    }
    draft
}

#[component]
fn BillForm(
    visit: Option<AppointmentId>,
    customer: Option<CustomerId>,
    receipt: RwSignal<Option<CheckoutId>>,
) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let start = visit_draft(store, visit, customer);
    let chosen = RwSignal::new(start.customer_id);
    let draft = RwSignal::new(start);
    // The picker sets her; the draft follows.
    Effect::new(move || {
        let c = chosen.get();
        draft.update(|d| {
            if d.customer_id != c {
                d.customer_id = c;
            }
        });
    });
    let bill = Memo::new(move |_| store.bill_of(&draft.get()));
    let balance = Memo::new(move |_| draft.with(|d| d.customer_id).map(|c| store.balance_of(c)));
    let services = Memo::new(move |_| {
        store
            .catalog()
            .into_iter()
            .filter(|s| s.active)
            .collect::<Vec<_>>()
    });
    let products = Memo::new(move |_| store.retail_products());
    let service_pick = RwSignal::new(String::new());
    let product_pick = RwSignal::new(String::new());
    let product_qty = RwSignal::new("1".to_owned());
    let error = RwSignal::new(None::<String>);
    let add_service = move |_| {
        let Some(id) = query_id(Some(service_pick.get_untracked())).map(ServiceId::from_uuid)
        else {
            error.set(Some(
                CheckoutWord::ServiceNeeded.text(i18n.lang()).to_owned(),
            ));
            return;
        };
        if let Some(line) = store.service_line(id) {
            error.set(None);
            draft.update(|d| d.lines.push(line));
        }
    };
    let add_product = move |_| {
        let lang = i18n.lang();
        let Some(id) = query_id(Some(product_pick.get_untracked())).map(ProductId::from_uuid)
        else {
            return;
        };
        let Some(quantity) = count(&product_qty.get_untracked(), 1000) else {
            error.set(Some(CheckoutWord::QuantityNeeded.text(lang).to_owned()));
            return;
        };
        if let Some(line) = store.product_line(id, quantity) {
            error.set(None);
            draft.update(|d| d.lines.push(line));
        }
    };
    let save = Action::new_local(move |_: &()| async move {
        let d = draft.get_untracked();
        store
            .check_out(&d)
            .await
            .map_err(|e| store_error_text(i18n.lang(), &e))
    });
    Effect::new(move || match save.value().get() {
        Some(Ok(c)) => {
            error.set(None);
            receipt.set(Some(c.id));
        }
        Some(Err(e)) => error.set(Some(e.to_owned())),
        None => {}
    });
    let visit_text = visit
        .and_then(|id| store.appointment(id))
        .map(|a| local_text(store_offset(store), a.appointment.time.start));
    let lines_empty = move || draft.with(|d| d.lines.is_empty());
    let no_products = move || products.with(Vec::is_empty);
    let discount_shown = move || bill.with(|b| b.discount.0 > 0);
    view! {
        <form class="card checkout-bill" data-testid="bill" on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
            <h2>{move || CheckoutWord::Lines.text(lang())}</h2>
            {visit_text.map(|t| view! { <p class="hint" data-testid="bill-visit">{move || CheckoutWord::ForVisit.text(lang())} " " {t.clone()}</p> })}
            <CustomerPicker id="checkout-customer" chosen_testid="checkout-chosen" chosen=chosen/>
            <Show when=move || chosen.get().is_none()>
                <p class="hint" data-testid="checkout-anonymous">{move || CheckoutWord::Anonymous.text(lang())}</p>
            </Show>
            {move || balance.get().map(|b| view! { <BalanceSummary balance=b/> })}
            <div class="checkout-add">
                <div class="field">
                    <label for="checkout-service">{move || CheckoutWord::Service.text(lang())}</label>
                    <select id="checkout-service" data-testid="checkout-service" on:change=move |ev| service_pick.set(event_target_value(&ev))>
                        <option value="">"—"</option>
                        {move || services.get().into_iter().map(|s| view! {
                            <option value=s.id.to_string()>{format!("{} · {}", s.name.as_str(), money_text(s.price))}</option>
                        }).collect_view()}
                    </select>
                </div>
                <button type="button" class="button--secondary" data-testid="add-service" on:click=add_service>{move || CheckoutWord::AddService.text(lang())}</button>
            </div>
            <div class="checkout-add">
                <div class="field">
                    <label for="checkout-product">{move || CheckoutWord::Product.text(lang())}</label>
                    <select id="checkout-product" data-testid="checkout-product" disabled=no_products on:change=move |ev| product_pick.set(event_target_value(&ev))>
                        <option value="">{move || if no_products() { CheckoutWord::NoRetailProducts.text(lang()) } else { "—" }}</option>
                        {move || products.get().into_iter().map(|p| view! {
                            <option value=p.id.to_string()>{format!("{} · {}", p.name.as_str(), p.price.map(money_text).unwrap_or_default())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field field--narrow">
                    <label for="checkout-qty">{move || CheckoutWord::Quantity.text(lang())}</label>
                    <input id="checkout-qty" type="text" inputmode="numeric" data-testid="checkout-qty" prop:value=product_qty on:input=move |ev| product_qty.set(event_target_value(&ev))/>
                </div>
                <button type="button" class="button--secondary" data-testid="add-product" disabled=no_products on:click=add_product>{move || CheckoutWord::AddProduct.text(lang())}</button>
            </div>
            <Show when=move || !lines_empty() fallback=move || view! { <p class="empty-state" data-testid="bill-empty">{move || CheckoutWord::NoLines.text(lang())}</p> }>
                <table class="checkout-table" data-testid="bill-lines">
                    <caption class="visually-hidden">{move || CheckoutWord::Lines.text(lang())}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || CheckoutWord::Item.text(lang())}</th>
                            <th scope="col">{move || CheckoutWord::Quantity.text(lang())}</th>
                            <th scope="col">{move || CheckoutWord::UnitPrice.text(lang())}</th>
                            <th scope="col">{move || CheckoutWord::Amount.text(lang())}</th>
                            <th scope="col"><span class="visually-hidden">{move || CheckoutWord::Remove.text(lang())}</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || draft.get().lines.into_iter().enumerate().map(|(i, l)| {
                            let name = l.name.as_str().to_owned();
                            let remove_label = format!("{} {}", CheckoutWord::Remove.text(lang()), name);
                            view! {
                                <tr data-testid="bill-line">
                                    <td>{name}</td>
                                    <td>{l.quantity}</td>
                                    <td>{money_text(l.unit_price)}</td>
                                    <td>{money_text(l.amount())}</td>
                                    <td>
                                        <button type="button" class="button--secondary button--small" aria-label=remove_label on:click=move |_| draft.update(|d| { if i < d.lines.len() { d.lines.remove(i); } })>
                                            {move || CheckoutWord::Remove.text(lang())}
                                        </button>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </Show>
            <fieldset class="checkout-pay">
                <legend>{move || CheckoutWord::HowToPay.text(lang())}</legend>
                <label class="check">
                    <input type="checkbox" data-testid="use-packages" prop:checked=move || draft.with(|d| d.use_packages) on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| d.use_packages = on); }/>
                    {move || CheckoutWord::UsePackages.text(lang())}
                </label>
                <label class="check">
                    <input type="checkbox" data-testid="use-stored-value" prop:checked=move || draft.with(|d| d.use_stored_value) on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| d.use_stored_value = on); }/>
                    {move || CheckoutWord::UseStoredValue.text(lang())}
                </label>
                <Show when=move || store.loyalty_rules().points_per_yuan_off != 0>
                    <label class="check">
                        <input type="checkbox" data-testid="use-points" prop:checked=move || draft.with(|d| d.use_points) on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| d.use_points = on); }/>
                        {move || CheckoutWord::UsePoints.text(lang())}
                    </label>
                </Show>
                <div class="field">
                    <label for="checkout-means">{move || CheckoutWord::OutsideMeans.text(lang())}</label>
                    <select id="checkout-means" data-testid="checkout-means" on:change=move |ev| {
                        let picked = OutsideMeans::ALL.into_iter().find(|m| m.code() == event_target_value(&ev));
                        if let Some(m) = picked { draft.update(|d| d.outside = m); }
                    }>
                        {OutsideMeans::ALL.into_iter().map(|m| view! {
                            <option value=m.code() selected=move || draft.with(|d| d.outside == m)>{move || means_word(m).text(lang())}</option>
                        }).collect_view()}
                    </select>
                </div>
            </fieldset>
            <dl class="checkout-summary" data-testid="bill-summary">
                <div><dt>{move || CheckoutWord::Subtotal.text(lang())}</dt><dd>{move || money_text(bill.get().subtotal)}</dd></div>
                <Show when=discount_shown>
                    <div><dt>{move || CheckoutWord::Discount.text(lang())} " (" {move || bill.get().discount_percent} "%)"</dt><dd>{move || format!("−{}", money_text(bill.get().discount))}</dd></div>
                </Show>
                <div class="checkout-summary__total"><dt>{move || CheckoutWord::Total.text(lang())}</dt><dd data-testid="bill-total">{move || money_text(bill.get().total)}</dd></div>
                <div><dt>{move || CheckoutWord::HowToPay.text(lang())}</dt>
                    <dd>
                        <ul class="plain-list" data-testid="bill-payments">
                            {move || bill.get().payments.iter().map(|p| view! { <li data-testid="bill-payment">{payment_text(lang(), p)}</li> }).collect_view()}
                        </ul>
                    </dd>
                </div>
                <div><dt>{move || CheckoutWord::PointsEarned.text(lang())}</dt><dd data-testid="bill-points">{move || bill.get().points_earned}</dd></div>
            </dl>
            <p class="form-error" role="alert" data-testid="checkout-error">{move || error.get()}</p>
            <div class="form-actions">
                <button type="submit" data-testid="confirm-checkout" disabled=move || save.pending().get() || lines_empty()>{move || CheckoutWord::Confirm.text(lang())}</button>
            </div>
        </form>
    }
}

#[component]
fn Receipt(id: CheckoutId, receipt: RwSignal<Option<CheckoutId>>) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let offset = store_offset(store);
    let print = move |_| crate::components::print_page();
    let found = store.checkout(id).map(|v| v.checkout);
    view! {
        {found.map(|c: Checkout| {
            let customer = c.customer_id.and_then(|id| store.customer(id)).map(|x| x.name.as_str().to_owned());
            // The store's name heads the receipt once it has one (not the placeholder of a new store).
            let store_name = store
                .store()
                .filter(|s| s.name != orchid_core::text::Name::placeholder())
                .map(|s| format!(" · {}", s.name.as_str()))
                .unwrap_or_default();
            let by = staff_name(store, c.by).unwrap_or_default();
            let after = c.customer_id.map(|id| store.balance_of(id));
            let discount = c.subtotal.0 - c.total.0;
            let short_no = c.id.to_string().chars().rev().take(8).collect::<String>().chars().rev().collect::<String>();
            view! {
                <section class="card checkout-receipt" data-testid="receipt" data-id=c.id.to_string() aria-labelledby="receipt-title">
                    <h2 id="receipt-title">{move || CheckoutWord::Receipt.text(lang())} {store_name}</h2>
                    <p class="hint">
                        {local_text(offset, c.at)} " · " {move || CheckoutWord::ReceiptNo.text(lang())} " " {short_no}
                        " · " {move || CheckoutWord::ReceiptBy.text(lang())} " " {by}
                    </p>
                    <p data-testid="receipt-customer">{move || CheckoutWord::Customer.text(lang())} " " {customer.clone().unwrap_or_else(|| CheckoutWord::Anonymous.text(lang()).to_owned())}</p>
                    <table class="checkout-table">
                        <caption class="visually-hidden">{move || CheckoutWord::Lines.text(lang())}</caption>
                        <thead><tr>
                            <th scope="col">{move || CheckoutWord::Item.text(lang())}</th>
                            <th scope="col">{move || CheckoutWord::Quantity.text(lang())}</th>
                            <th scope="col">{move || CheckoutWord::Amount.text(lang())}</th>
                        </tr></thead>
                        <tbody>
                            {c.lines.iter().map(|l: &BillLine| view! {
                                <tr data-testid="receipt-line"><td>{l.name.as_str().to_owned()}</td><td>{l.quantity}</td><td>{money_text(l.amount())}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    <dl class="checkout-summary">
                        <div><dt>{move || CheckoutWord::Subtotal.text(lang())}</dt><dd>{money_text(c.subtotal)}</dd></div>
                        {(discount > 0).then(|| view! { <div><dt>{move || CheckoutWord::Discount.text(lang())} " (" {c.discount_percent} "%)"</dt><dd>{format!("−{}", money_text(Money(discount)))}</dd></div> })}
                        <div class="checkout-summary__total"><dt>{move || CheckoutWord::Total.text(lang())}</dt><dd data-testid="receipt-total">{money_text(c.total)}</dd></div>
                        <div><dt>{move || CheckoutWord::HowToPay.text(lang())}</dt>
                            <dd><ul class="plain-list">
                                {c.payments.iter().map(|p| { let p = p.clone(); view! { <li data-testid="receipt-payment">{move || payment_text(lang(), &p)}</li> } }).collect_view()}
                            </ul></dd>
                        </div>
                        <div><dt>{move || CheckoutWord::PointsEarned.text(lang())}</dt><dd data-testid="receipt-points">{c.points_earned}</dd></div>
                    </dl>
                    {after.map(|b| view! {
                        <h3>{move || CheckoutWord::BalancesAfter.text(lang())}</h3>
                        <div data-testid="receipt-balances"><BalanceSummary balance=b/></div>
                    })}
                    <div class="form-actions no-print">
                        <button type="button" class="button--secondary" data-testid="print-receipt" on:click=print>{move || CheckoutWord::Print.text(lang())}</button>
                        <button type="button" data-testid="new-checkout" on:click=move |_| receipt.set(None)>{move || CheckoutWord::NewCheckout.text(lang())}</button>
                    </div>
                </section>
            }
        })}
    }
}

#[component]
fn RecentCheckouts(receipt: RwSignal<Option<CheckoutId>>) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let offset = Memo::new(move |_| store_offset(store));
    let recent = Memo::new(move |_| store.checkouts().into_iter().take(20).collect::<Vec<_>>());
    let voiding = RwSignal::new(None::<CheckoutId>);
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let void = Action::new_local(move |id: &CheckoutId| {
        let id = *id;
        async move {
            let lang = i18n.lang();
            let reason = Label::parse(&reason.get_untracked())
                .map_err(|_| CheckoutWord::ReasonNeeded.text(lang).to_owned())?;
            store
                .void_checkout(id, reason)
                .await
                .map_err(|e| store_error_text(lang, &e).to_owned())
        }
    });
    Effect::new(move || match void.value().get() {
        Some(Ok(())) => {
            error.set(None);
            voiding.set(None);
            reason.set(String::new());
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let may_void = move || store.may_void_checkouts();
    view! {
        <section class="card no-print" aria-labelledby="recent-checkouts" data-testid="recent-checkouts">
            <h2 id="recent-checkouts">{move || CheckoutWord::Recent.text(lang())}</h2>
            <Show when=move || !recent.with(Vec::is_empty) fallback=move || view! { <p class="empty-state">{move || CheckoutWord::NoRecent.text(lang())}</p> }>
                <ul class="plain-list checkout-recent">
                    <For each=move || recent.get() key=|c| (c.checkout.id, c.void.is_some()) let:c>
                        {
                            let id = c.checkout.id;
                            let voided = c.void.is_some();
                            let who = c.checkout.customer_id.and_then(|x| store.customer(x)).map(|x| x.name.as_str().to_owned());
                            let reason_id = format!("void-reason-{id}");
                            let reason_for = reason_id.clone();
                            view! {
                                <li data-testid="recent-checkout" class:voided=voided>
                                    <span>{local_text(offset.get_untracked(), c.checkout.at)}</span>
                                    " · " <span>{who.unwrap_or_else(|| CheckoutWord::Anonymous.text(lang()).to_owned())}</span>
                                    " · " <strong>{money_text(c.checkout.total)}</strong>
                                    {voided.then(|| view! { " " <span class="badge badge--warn" data-testid="voided-badge">{move || CheckoutWord::Voided.text(lang())}</span> })}
                                    " " <button type="button" class="button--secondary button--small" on:click=move |_| receipt.set(Some(id))>{move || CheckoutWord::Receipt.text(lang())}</button>
                                    <Show when=move || may_void() && !voided && voiding.get() != Some(id)>
                                        " " <button type="button" class="button--secondary button--small" data-testid="void-checkout" on:click=move |_| { error.set(None); voiding.set(Some(id)); }>{move || CheckoutWord::Void.text(lang())}</button>
                                    </Show>
                                    <Show when=move || voiding.get() == Some(id)>
                                        <div class="checkout-void">
                                            <div class="field">
                                                <label for=reason_for.clone()>{move || CheckoutWord::VoidReason.text(lang())}</label>
                                                <input id=reason_id.clone() type="text" data-testid="void-reason" prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))/>
                                            </div>
                                            <p class="form-error" role="alert">{move || error.get()}</p>
                                            <div class="form-actions">
                                                <button type="button" class="button--secondary" on:click=move |_| voiding.set(None)>{move || CheckoutWord::Cancel.text(lang())}</button>
                                                <button type="button" data-testid="confirm-void" disabled=move || void.pending().get() on:click=move |_| { void.dispatch(id); }>{move || CheckoutWord::ConfirmVoid.text(lang())}</button>
                                            </div>
                                        </div>
                                    </Show>
                                </li>
                            }
                        }
                    </For>
                </ul>
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quantity_is_a_whole_number_in_range() {
        assert_eq!(count(" 3 ", 1000), Some(3));
        assert_eq!(count("0", 1000), None);
        assert_eq!(count("1001", 1000), None);
        assert_eq!(count("二", 1000), None);
    }
}
