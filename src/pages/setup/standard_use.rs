//! A service's standard product use in Set-up's catalog form ([products & loyalty] item 8): lines
//! of one of the store's products and a quantity in its unit, which the sales and stock report
//! multiplies by the services done and sets beside what the visits used.
use leptos::prelude::*;
use orchid_core::catalog::{StandardUse, check_standard_use};
use orchid_core::product::Product;

use super::sw;
use crate::i18n::Lang;
use crate::i18n::errors::error_text;
use crate::i18n::setup_words::SetupWord;
use crate::state::stock::unit_short;
use crate::state::{use_i18n, use_store};

/// One line of the form: the product chosen (its id; "" for none yet) and the quantity typed.
#[derive(Clone, Copy)]
struct UseLine {
    key: u64,
    product: RwSignal<String>,
    quantity: RwSignal<String>,
}

/// The lines being edited. Each line keeps its own signals, so typing in one redraws nothing
/// but that input; adding or removing a line redraws the list.
#[derive(Clone, Copy)]
pub(super) struct UseLines {
    lines: RwSignal<Vec<UseLine>>,
    next: StoredValue<u64>,
}

impl UseLines {
    pub(super) fn new() -> Self {
        Self {
            lines: RwSignal::new(Vec::new()),
            next: StoredValue::new(0),
        }
    }

    /// Replaces the lines with a service's standard use (none for a new service).
    pub(super) fn reset(&self, from: &[StandardUse]) {
        let lines = from
            .iter()
            .map(|l| self.line(l.product_id.to_string(), l.quantity.to_string()))
            .collect();
        self.lines.set(lines);
    }

    fn line(&self, product: String, quantity: String) -> UseLine {
        let key = self.next.get_value();
        self.next.set_value(key + 1);
        UseLine {
            key,
            product: RwSignal::new(product),
            quantity: RwSignal::new(quantity),
        }
    }

    fn add(&self) {
        let line = self.line(String::new(), String::new());
        self.lines.update(|l| l.push(line));
    }

    fn remove(&self, key: u64) {
        self.lines.update(|l| l.retain(|x| x.key != key));
    }

    /// The lines' text (product id, quantity), for [`parse_standard_use`].
    pub(super) fn texts(&self) -> Vec<(String, String)> {
        self.lines.with_untracked(|lines| {
            lines
                .iter()
                .map(|l| (l.product.get_untracked(), l.quantity.get_untracked()))
                .collect()
        })
    }
}

/// The lines as the core's standard use, or why not in the user's language. A line left wholly
/// empty (added, never filled) is dropped; a quantity without a product is not.
pub(super) fn parse_standard_use(
    lines: &[(String, String)],
    products: &[Product],
    lang: Lang,
) -> Result<Vec<StandardUse>, String> {
    let mut out = Vec::new();
    for (product, quantity) in lines {
        let (product, quantity) = (product.trim(), quantity.trim());
        if product.is_empty() && quantity.is_empty() {
            continue;
        }
        let Some(p) = products.iter().find(|p| p.id.to_string() == product) else {
            return Err(SetupWord::ChooseProduct.text(lang).to_owned());
        };
        let quantity = quantity
            .parse::<u32>()
            .map_err(|_| SetupWord::NumberNeeded.text(lang).to_owned())?;
        out.push(StandardUse {
            product_id: p.id,
            quantity,
        });
    }
    // Every line names one of the store's products (found above); the core checks the rest.
    check_standard_use(&out).map_err(|e| error_text(lang, e.code()).to_owned())?;
    Ok(out)
}

/// The form's standard-use lines: a product picker among the store's products, the quantity with
/// the product's unit, a remove button per line, and one to add a line.
#[component]
pub(super) fn StandardUseField(lines: UseLines, error: RwSignal<Option<String>>) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let products = Memo::new(move |_| store.all_products());
    let row = move |l: UseLine| {
        let product_id = format!("standard-product-{}", l.key);
        let quantity_id = format!("standard-qty-{}", l.key);
        let unit = move || {
            let chosen = l.product.get();
            products.with(|list| {
                list.iter()
                    .find(|p| p.id.to_string() == chosen)
                    .map(|p| unit_short(i18n.lang(), p.unit))
            })
        };
        // Products in use, and the one this line names even if it is no longer in use.
        let options = move || {
            let chosen = l.product.get();
            products
                .get()
                .into_iter()
                .filter(|p| p.active || p.id.to_string() == chosen)
                .map(|p| {
                    let value = p.id.to_string();
                    let selected = value == chosen;
                    view! { <option value=value selected=selected>{p.name.as_str().to_owned()}</option> }
                })
                .collect_view()
        };
        view! {
            <div class="field-row standard-use-line" data-testid="standard-use-line">
                <div class="field">
                    <label for=product_id.clone()>{sw(i18n, SetupWord::StandardProduct)}</label>
                    <select
                        id=product_id
                        data-testid="standard-product"
                        on:change=move |ev| l.product.set(event_target_value(&ev))
                    >
                        <option value="" selected=move || l.product.with(String::is_empty)>"—"</option>
                        {options}
                    </select>
                </div>
                <div class="field">
                    <label for=quantity_id.clone()>
                        {sw(i18n, SetupWord::StandardQuantity)}
                        {move || unit().map(|u| format!(" ({u})"))}
                    </label>
                    <input
                        id=quantity_id
                        type="number"
                        inputmode="numeric"
                        data-testid="standard-qty"
                        prop:value=l.quantity
                        on:input=move |ev| l.quantity.set(event_target_value(&ev))
                    />
                </div>
                <button
                    type="button"
                    class="button button--secondary standard-use-remove"
                    data-testid="remove-standard-use"
                    on:click=move |_| lines.remove(l.key)
                >
                    {sw(i18n, SetupWord::RemoveStandardUse)}
                </button>
            </div>
        }
    };
    view! {
        <fieldset class="standard-use" data-testid="standard-use" aria-describedby="standard-use-hint standard-use-error">
            <legend>{sw(i18n, SetupWord::StandardUse)}</legend>
            <p class="hint" id="standard-use-hint">{sw(i18n, SetupWord::StandardUseHint)}</p>
            <Show
                when=move || products.with(|p| p.iter().any(|p| p.active))
                fallback=move || view! { <p class="muted" data-testid="standard-no-products">{sw(i18n, SetupWord::NoProductsForStandard)}</p> }
            >
                {move || lines.lines.get().into_iter().map(row).collect_view()}
                <button
                    type="button"
                    class="button button--secondary"
                    data-testid="add-standard-use"
                    on:click=move |_| lines.add()
                >
                    {sw(i18n, SetupWord::AddStandardUse)}
                </button>
            </Show>
            <p class="field-error" id="standard-use-error" data-testid="standard-use-error">{move || error.get()}</p>
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use orchid_core::catalog::{MAX_STANDARD_LINES, MAX_STANDARD_QUANTITY};
    use orchid_core::ids::{ProductId, StoreId};
    use orchid_core::product::StockUnit;
    use orchid_core::text::Name;

    fn serum() -> Product {
        Product::new(
            ProductId::from_u128(1),
            StoreId::from_u128(9),
            Name::parse("玻尿酸精华").unwrap(),
            StockUnit::Ml,
        )
    }

    fn text(product: &Product, quantity: &str) -> (String, String) {
        (product.id.to_string(), quantity.to_owned())
    }

    #[test]
    fn lines_become_the_standard_use() {
        let p = serum();
        let lines = [text(&p, " 3 "), (String::new(), String::new())];
        assert_eq!(
            parse_standard_use(&lines, std::slice::from_ref(&p), Lang::En),
            Ok(vec![StandardUse {
                product_id: p.id,
                quantity: 3
            }])
        );
        assert_eq!(parse_standard_use(&[], &[], Lang::En), Ok(Vec::new()));
    }

    #[test]
    fn bad_lines_are_refused_in_words() {
        let p = serum();
        let products = std::slice::from_ref(&p);
        let refused =
            |lines: &[(String, String)]| parse_standard_use(lines, products, Lang::En).unwrap_err();
        assert_eq!(
            refused(&[(String::new(), "3".into())]),
            SetupWord::ChooseProduct.text(Lang::En)
        );
        assert_eq!(
            refused(&[text(&p, "three")]),
            SetupWord::NumberNeeded.text(Lang::En)
        );
        assert_eq!(
            refused(&[text(&p, "0")]),
            error_text(Lang::En, "catalog.standard_use_quantity")
        );
        assert_eq!(
            refused(&[text(&p, "2"), text(&p, "4")]),
            error_text(Lang::En, "catalog.standard_use_duplicate")
        );
        // A product of another store (or removed) is not one the picker offers.
        let other = (ProductId::from_u128(2).to_string(), "1".to_owned());
        assert_eq!(refused(&[other]), SetupWord::ChooseProduct.text(Lang::En));
        assert_eq!(
            parse_standard_use(&[text(&p, "2")], products, Lang::Zh).map(|l| l.len()),
            Ok(1)
        );
    }

    #[test]
    fn the_sentences_state_the_cores_bounds() {
        // The error sentences name 10,000 and 50: they must change with the core's limits.
        assert_eq!(MAX_STANDARD_QUANTITY, 10_000);
        assert_eq!(MAX_STANDARD_LINES, 50);
        assert!(error_text(Lang::En, "catalog.standard_use_quantity").contains("10,000"));
        assert!(error_text(Lang::Zh, "catalog.standard_use_too_many").contains("50"));
    }
}
