//! A customer's membership balances (level, points, stored-value card, packages with sessions
//! left and expiry), their history, and the desk's actions on them: top up the card (with the
//! store's bonus) and sell a package. Shown in the customer file and on the check-out's bill and
//! receipt; every balance is the core's sum of deltas.
use leptos::prelude::*;
use leptos_router::components::A;
use orchid_core::catalog::Money;
use orchid_core::checkout::Overdrawn;
use orchid_core::ids::{CustomerId, ServiceId};
use orchid_core::loyalty::{
    LoyaltyBalance, LoyaltyChange, LoyaltyDelta, MembershipLevel, StoredValueReason,
};
use orchid_core::text::Note;

use crate::components::store_error_text;
use crate::format::local_text;
use crate::i18n::Lang;
use crate::i18n::checkout_words::CheckoutWord;
use crate::state::checkout::{PackageSale, TopUp, money_text};
use crate::state::store::{store_offset, use_store};
use crate::state::use_i18n;

/// The word of a level.
pub fn level_word(level: MembershipLevel) -> CheckoutWord {
    match level {
        MembershipLevel::None => CheckoutWord::LevelNone,
        MembershipLevel::Standard => CheckoutWord::LevelStandard,
        MembershipLevel::Silver => CheckoutWord::LevelSilver,
        MembershipLevel::Gold => CheckoutWord::LevelGold,
        MembershipLevel::Diamond => CheckoutWord::LevelDiamond,
    }
}

/// Her balances in a few words: level, points, card, packages.
#[component]
pub fn BalanceSummary(balance: LoyaltyBalance) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let level = balance.level;
    let today = store.store_today();
    let service_name = move |id: Option<ServiceId>| {
        id.and_then(|id| store.catalog().into_iter().find(|s| s.id == id))
            .map(|s| s.name.as_str().to_owned())
            .unwrap_or_else(|| "—".to_owned())
    };
    let packages = balance.packages.clone();
    view! {
        <dl class="checkout-balances" data-testid="balances">
            <div><dt>{move || CheckoutWord::Level.text(lang())}</dt><dd data-testid="balance-level">{move || level_word(level).text(lang())}</dd></div>
            <div><dt>{move || CheckoutWord::Points.text(lang())}</dt><dd data-testid="balance-points">{balance.points}</dd></div>
            <div class:overdrawn=balance.stored_value.0 < 0><dt>{move || CheckoutWord::StoredValue.text(lang())}</dt><dd data-testid="balance-stored-value">{money_text(balance.stored_value)}</dd></div>
            <div><dt>{move || CheckoutWord::Packages.text(lang())}</dt>
                <dd>
                    {if packages.is_empty() {
                        view! { <span>{move || CheckoutWord::NoPackages.text(lang())}</span> }.into_any()
                    } else {
                        view! {
                            <ul class="plain-list">
                                {packages.into_iter().map(|p| {
                                    let expired = p.expires_on.is_some_and(|d| d < today);
                                    let over = p.remaining < 0;
                                    let until = p.expires_on.map(|d| d.format("%Y-%m-%d").to_string());
                                    view! {
                                        <li data-testid="balance-package" class:overdrawn=over>
                                            {service_name(p.service_id)} " · " {move || CheckoutWord::SessionsLeft.text(lang())} " "
                                            <strong data-testid="package-remaining">{p.remaining}</strong> " / " {p.bought}
                                            " · " {move || CheckoutWord::ExpiresOn.text(lang())} " " {until.clone().unwrap_or_else(|| CheckoutWord::NoExpiry.text(lang()).to_owned())}
                                            {expired.then(|| view! { " " <span class="badge badge--warn">{move || CheckoutWord::Expired.text(lang())}</span> })}
                                            {over.then(|| view! { " " <span class="badge badge--danger">{move || CheckoutWord::Overdrawn.text(lang())}</span> })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </dd>
            </div>
        </dl>
    }
}

/// One line of history: what changed, in words.
fn delta_text(lang: Lang, d: &LoyaltyDelta, service_name: &dyn Fn(ServiceId) -> String) -> String {
    match &d.change {
        LoyaltyChange::Points { delta, .. } => {
            format!("{} {delta:+}", CheckoutWord::PointsLine.text(lang))
        }
        LoyaltyChange::PackagePurchased {
            service_id,
            sessions,
            price,
            ..
        } => format!(
            "{} · {} · {sessions} {} · {}",
            CheckoutWord::PackageBoughtLine.text(lang),
            service_name(*service_id),
            CheckoutWord::Sessions.text(lang),
            money_text(*price)
        ),
        LoyaltyChange::PackageSessions { delta, .. } => {
            format!("{} {delta:+}", CheckoutWord::PackageSessionsLine.text(lang))
        }
        LoyaltyChange::Level { level } => {
            format!(
                "{} {}",
                CheckoutWord::LevelLine.text(lang),
                level_word(*level).text(lang)
            )
        }
        LoyaltyChange::StoredValue { delta, reason } => {
            let why = match reason {
                StoredValueReason::TopUp => CheckoutWord::ReasonTopUp,
                StoredValueReason::Bonus => CheckoutWord::ReasonBonus,
                StoredValueReason::Spend => CheckoutWord::ReasonSpend,
                StoredValueReason::Refund => CheckoutWord::ReasonRefund,
                StoredValueReason::Correction => CheckoutWord::ReasonCorrection,
                StoredValueReason::Opening => CheckoutWord::ReasonOpening,
            };
            let sign = if delta.0 > 0 { "+" } else { "" };
            format!(
                "{} · {} {sign}{}",
                CheckoutWord::StoredValueLine.text(lang),
                why.text(lang),
                money_text(*delta)
            )
        }
    }
}

/// Which form is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    Closed,
    TopUp,
    Package,
    Level,
}

/// The customer file's membership section.
#[component]
pub fn CustomerBalances(customer: CustomerId) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let balance = Memo::new(move |_| store.balance_of(customer));
    let history = Memo::new(move |_| store.loyalty_history(customer));
    let offset = Memo::new(move |_| store_offset(store));
    let form = RwSignal::new(Form::Closed);
    let may_adjust = move || store.may_adjust_loyalty();
    let may_correct = move || store.may_correct_loyalty();
    let may_check_out = move || store.may_check_out();
    let service_name = move |id: ServiceId| {
        store
            .catalog()
            .into_iter()
            .find(|s| s.id == id)
            .map(|s| s.name.as_str().to_owned())
            .unwrap_or_else(|| "—".to_owned())
    };
    view! {
        <section class="card customer-balances" aria-labelledby="balances-title" data-testid="customer-balances">
            <h2 id="balances-title">{move || CheckoutWord::Balances.text(lang())}</h2>
            {move || view! { <BalanceSummary balance=balance.get()/> }}
            <div class="form-actions">
                <Show when=may_check_out>
                    <a class="button button--secondary" href=format!("/checkout?customer={customer}") data-testid="customer-checkout">{move || CheckoutWord::CheckoutLink.text(lang())}</a>
                </Show>
                <Show when=move || may_adjust() && form.get() != Form::TopUp>
                    <button type="button" class="button--secondary" data-testid="open-top-up" on:click=move |_| form.set(Form::TopUp)>{move || CheckoutWord::TopUp.text(lang())}</button>
                </Show>
                <Show when=move || may_adjust() && form.get() != Form::Package>
                    <button type="button" class="button--secondary" data-testid="open-sell-package" on:click=move |_| form.set(Form::Package)>{move || CheckoutWord::SellPackage.text(lang())}</button>
                </Show>
                <Show when=move || may_correct() && form.get() != Form::Level>
                    <button type="button" class="button--secondary" data-testid="open-set-level" on:click=move |_| form.set(Form::Level)>{move || CheckoutWord::SetLevel.text(lang())}</button>
                </Show>
            </div>
            <Show when=move || form.get() == Form::Level>
                <LevelForm customer=customer form=form current=balance.get_untracked().level/>
            </Show>
            <Show when=move || form.get() == Form::TopUp>
                <TopUpForm customer=customer form=form/>
            </Show>
            <Show when=move || form.get() == Form::Package>
                <PackageForm customer=customer form=form/>
            </Show>
            <h3>{move || CheckoutWord::History.text(lang())}</h3>
            <Show when=move || !history.with(Vec::is_empty) fallback=move || view! { <p class="hint">{move || CheckoutWord::NoHistory.text(lang())}</p> }>
                <ul class="plain-list balance-history" data-testid="balance-history">
                    {move || history.get().into_iter().take(50).map(|d| view! {
                        <li>
                            <time>{local_text(offset.get(), d.at)}</time> " · "
                            {delta_text(lang(), &d, &service_name)}
                            {(!d.note.is_empty()).then(|| format!(" · {}", d.note.as_str()))}
                        </li>
                    }).collect_view()}
                </ul>
            </Show>
        </section>
    }
}

#[component]
fn TopUpForm(customer: CustomerId, form: RwSignal<Form>) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let paid = RwSignal::new(String::new());
    let bonus = RwSignal::new(String::new());
    // The bonus follows the store's offers as the amount is typed (the desk may change it).
    let on_paid = move |raw: String| {
        if let Some(m) = Money::parse_yuan(&raw) {
            let b = store.loyalty_rules().bonus_for(m);
            bonus.set(if b.0 > 0 {
                b.to_string()
            } else {
                String::new()
            });
        }
        paid.set(raw);
    };
    let save = Action::new_local(move |_: &()| async move {
        let lang = i18n.lang();
        let needed = || CheckoutWord::AmountNeeded.text(lang).to_owned();
        let paid = Money::parse_yuan(&paid.get_untracked())
            .filter(|m| m.0 > 0)
            .ok_or_else(needed)?;
        let raw_bonus = bonus.get_untracked();
        let bonus = if raw_bonus.trim().is_empty() {
            Money(0)
        } else {
            Money::parse_yuan(&raw_bonus).ok_or_else(needed)?
        };
        store
            .top_up(customer, TopUp { paid, bonus })
            .await
            .map_err(|e| store_error_text(lang, &e).to_owned())
    });
    view! {
        <BalanceForm name="top-up" title=CheckoutWord::TopUp save_label=CheckoutWord::SaveTopUp form=form save=save>
            <div class="field-row">
                <div class="field">
                    <label for="top-up-paid">{move || CheckoutWord::Paid.text(lang())}</label>
                    <input id="top-up-paid" type="text" inputmode="decimal" data-testid="top-up-paid" prop:value=paid on:input=move |ev| on_paid(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="top-up-bonus">{move || CheckoutWord::Bonus.text(lang())}</label>
                    <input id="top-up-bonus" type="text" inputmode="decimal" data-testid="top-up-bonus" aria-describedby="top-up-bonus-hint" prop:value=bonus on:input=move |ev| bonus.set(event_target_value(&ev))/>
                    <p class="hint" id="top-up-bonus-hint">{move || CheckoutWord::BonusHint.text(lang())}</p>
                </div>
            </div>
        </BalanceForm>
    }
}

#[component]
fn PackageForm(customer: CustomerId, form: RwSignal<Form>) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let services = Memo::new(move |_| {
        store
            .catalog()
            .into_iter()
            .filter(|s| s.active)
            .collect::<Vec<_>>()
    });
    let service = RwSignal::new(String::new());
    let sessions = RwSignal::new("10".to_owned());
    let price = RwSignal::new(String::new());
    let months = RwSignal::new("12".to_owned());
    let save = Action::new_local(move |_: &()| async move {
        let lang = i18n.lang();
        let service_id = uuid::Uuid::parse_str(&service.get_untracked())
            .map(ServiceId::from_uuid)
            .map_err(|_| CheckoutWord::ServiceNeeded.text(lang).to_owned())?;
        let sessions = sessions
            .get_untracked()
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=1000).contains(n))
            .ok_or_else(|| CheckoutWord::SessionsNeeded.text(lang).to_owned())?;
        let price = Money::parse_yuan(&price.get_untracked())
            .ok_or_else(|| CheckoutWord::AmountNeeded.text(lang).to_owned())?;
        let raw_months = months.get_untracked();
        let valid_months = if raw_months.trim().is_empty() {
            None
        } else {
            Some(
                raw_months
                    .trim()
                    .parse::<u32>()
                    .ok()
                    .filter(|n| (1..=120).contains(n))
                    .ok_or_else(|| CheckoutWord::MonthsNeeded.text(lang).to_owned())?,
            )
        };
        store
            .sell_package(
                customer,
                PackageSale {
                    service_id,
                    sessions,
                    price,
                    valid_months,
                },
            )
            .await
            .map(|_| ())
            .map_err(|e| store_error_text(lang, &e).to_owned())
    });
    view! {
        <BalanceForm name="package" title=CheckoutWord::SellPackage save_label=CheckoutWord::SavePackage form=form save=save>
            <div class="field-row">
                <div class="field">
                    <label for="package-service">{move || CheckoutWord::Service.text(lang())}</label>
                    <select id="package-service" data-testid="package-service" on:change=move |ev| service.set(event_target_value(&ev))>
                        <option value="">"—"</option>
                        {move || services.get().into_iter().map(|s| view! { <option value=s.id.to_string()>{s.name.as_str().to_owned()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="package-sessions">{move || CheckoutWord::SessionsCount.text(lang())}</label>
                    <input id="package-sessions" type="text" inputmode="numeric" data-testid="package-sessions" prop:value=sessions on:input=move |ev| sessions.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="package-price">{move || CheckoutWord::Price.text(lang())}</label>
                    <input id="package-price" type="text" inputmode="decimal" data-testid="package-price" prop:value=price on:input=move |ev| price.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="package-months">{move || CheckoutWord::ValidMonths.text(lang())}</label>
                    <input id="package-months" type="text" inputmode="numeric" data-testid="package-months" prop:value=months on:input=move |ev| months.set(event_target_value(&ev))/>
                </div>
            </div>
        </BalanceForm>
    }
}

/// Overdrawn balances for the manager to settle (nothing for other roles).
#[component]
pub fn OverdrawnItems() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let items = Memo::new(move |_| {
        if store.may_correct_loyalty() {
            store.overdrawn()
        } else {
            Vec::new()
        }
    });
    let note = RwSignal::new(String::new());
    let done = RwSignal::new(false);
    let settle = Action::new_local(move |owed: &Overdrawn| {
        let owed = owed.clone();
        async move {
            let note = Note::parse(&note.get_untracked()).unwrap_or_default();
            store
                .settle_overdrawn(&owed, note)
                .await
                .map_err(|e| store_error_text(i18n.lang(), &e).to_owned())
        }
    });
    Effect::new(move || {
        if let Some(Ok(())) = settle.value().get() {
            done.set(true);
            note.set(String::new());
        }
    });
    let service_name = move |id: Option<ServiceId>| {
        id.and_then(|id| store.catalog().into_iter().find(|s| s.id == id))
            .map(|s| s.name.as_str().to_owned())
            .unwrap_or_else(|| "—".to_owned())
    };
    view! {
        <Show when=move || !items.with(Vec::is_empty) || done.get()>
            <section class="card checkout-overdrawn no-print" aria-labelledby="overdrawn-title" data-testid="overdrawn">
                <h2 id="overdrawn-title">{move || CheckoutWord::OverdrawnTitle.text(lang())}</h2>
                <p class="hint">{move || CheckoutWord::OverdrawnIntro.text(lang())}</p>
                <Show when=move || done.get()>
                    <p role="status" data-testid="settled">{move || CheckoutWord::Settled.text(lang())}</p>
                </Show>
                <ul class="plain-list">
                    <For each=move || items.get() key=|o| format!("{o:?}") let:o>
                        {
                            let customer = store.customer(o.customer_id).map(|c| c.name.as_str().to_owned()).unwrap_or_default();
                            let note_id = format!("settle-note-{}", o.customer_id);
                            let note_for = note_id.clone();
                            let owed = o.clone();
                            view! {
                                <li data-testid="overdrawn-item">
                                    <A href=format!("/customers/{}", o.customer_id)>{customer}</A>
                                    {o.packages.iter().map(|p| view! {
                                        " · " {service_name(p.service_id)} " · " {move || CheckoutWord::SessionsLeft.text(lang())} " " <strong data-testid="overdrawn-sessions">{p.remaining}</strong>
                                    }).collect_view()}
                                    {o.stored_value.map(|m| view! { " · " {move || CheckoutWord::StoredValue.text(lang())} " " <strong>{money_text(m)}</strong> })}
                                    <div class="checkout-add">
                                        <div class="field">
                                            <label for=note_for>{move || CheckoutWord::SettleNote.text(lang())}</label>
                                            <input id=note_id type="text" data-testid="settle-note" prop:value=note on:input=move |ev| note.set(event_target_value(&ev))/>
                                        </div>
                                        <button type="button" data-testid="settle" disabled=move || settle.pending().get() on:click=move |_| { settle.dispatch(owed.clone()); }>{move || CheckoutWord::Settle.text(lang())}</button>
                                    </div>
                                </li>
                            }
                        }
                    </For>
                </ul>
            </section>
        </Show>
    }
}

/// The manager's choice of her level, each with the store's discount for it.
#[component]
fn LevelForm(
    customer: CustomerId,
    form: RwSignal<Form>,
    current: MembershipLevel,
) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let rules = store.loyalty_rules();
    let chosen = RwSignal::new(current);
    let save = Action::new_local(move |_: &()| async move {
        let lang = i18n.lang();
        store
            .set_level(customer, chosen.get_untracked())
            .await
            .map_err(|e| store_error_text(lang, &e).to_owned())
    });
    view! {
        <BalanceForm name="level" title=CheckoutWord::SetLevel save_label=CheckoutWord::SaveLevel form=form save=save>
            <div class="field">
                <label for="level-choice">{move || CheckoutWord::Level.text(lang())}</label>
                <select id="level-choice" data-testid="level-choice" aria-describedby="level-hint" on:change=move |ev| {
                    if let Some(level) = MembershipLevel::from_code(&event_target_value(&ev)) {
                        chosen.set(level);
                    }
                }>
                    {MembershipLevel::ALL.into_iter().map(|level| {
                        let off = rules.discount_for(level);
                        view! {
                            <option value=level.code() selected=level == current>
                                {move || {
                                    let name = level_word(level).text(lang());
                                    match (off, lang()) {
                                        (0, _) => name.to_owned(),
                                        (off, Lang::Zh) => format!("{name} · {} {off}%", CheckoutWord::LevelOff.text(Lang::Zh)),
                                        (off, Lang::En) => format!("{name} · {off}% {}", CheckoutWord::LevelOff.text(Lang::En)),
                                    }
                                }}
                            </option>
                        }
                    }).collect_view()}
                </select>
                <p class="hint" id="level-hint">{move || CheckoutWord::LevelHint.text(lang())}</p>
            </div>
        </BalanceForm>
    }
}

/// The frame of the desk's small balance forms: the title, the fields, the refusal's sentence,
/// cancel and save. Saving runs `save`; when it is done the form closes, and a refusal stays
/// written under the fields with what was typed kept.
#[component]
fn BalanceForm(
    name: &'static str,
    title: CheckoutWord,
    save_label: CheckoutWord,
    form: RwSignal<Form>,
    save: Action<(), Result<(), String>>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang();
    let error = RwSignal::new(None::<String>);
    Effect::new(move || match save.value().get() {
        Some(Ok(())) => {
            error.set(None);
            form.set(Form::Closed);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    view! {
        <form class="checkout-form" data-testid=format!("{name}-form") on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
            <h3>{move || title.text(lang())}</h3>
            {children()}
            <p class="form-error" role="alert" data-testid=format!("{name}-error")>{move || error.get()}</p>
            <div class="form-actions">
                <button type="button" class="button--secondary" on:click=move |_| form.set(Form::Closed)>{move || CheckoutWord::Cancel.text(lang())}</button>
                <button type="submit" data-testid=format!("save-{name}") disabled=move || save.pending().get()>{move || save_label.text(lang())}</button>
            </div>
        </form>
    }
}
