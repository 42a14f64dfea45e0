//! Check-out (结账), issue 23 items 4–6: the bill of a visit or of a retail sale — services and
//! products at their prices, the membership level's discount, paid by a package session, by the
//! stored-value card or by an outside means (recorded, never processed), points earned by the
//! store's rule.
//!
//! A check-out is an append-only record; what it does to balances and stock is a set of deltas
//! written with it in one batch ([`sale_changes`]), their ids derived from the check-out's id so a
//! retried write makes no duplicates. A void ([`CheckoutVoid`], a manager's, with a reason) never
//! deletes: it writes the opposite deltas ([`void_changes`]). Two devices offline may both
//! redeem the last session of a package: both check-outs stand (the service happened), the
//! balance goes below zero and [`overdrawn`] lists it for the manager to settle.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

use crate::catalog::Money;
use crate::ids::{
    AppointmentId, BatchId, CheckoutId, CustomerId, LoyaltyDeltaId, PackageId, ProductId,
    ServiceId, StaffId, StockMovementId, StoreId,
};
use crate::loyalty::{
    LoyaltyBalance, LoyaltyChange, LoyaltyDelta, LoyaltyRules, MembershipLevel, PackageBalance,
    PointsReason, StoredValueReason,
};
use crate::product::{StockMovement, StockReason};
use crate::sync::Change;
use crate::text::{Label, Note};
use crate::time::Timestamp;

/// The most lines one bill holds.
pub const MAX_LINES: usize = 100;
/// The most of one thing on a line.
pub const MAX_QUANTITY: u32 = 1000;

/// Invalid check-outs.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "code")]
pub enum CheckoutError {
    /// A bill with nothing on it, or with more than [`MAX_LINES`] lines.
    #[serde(rename = "checkout.no_lines")]
    #[error("a bill needs 1–100 lines")]
    NoLines,
    /// A line of 0 or more than [`MAX_QUANTITY`], or a negative price.
    #[serde(rename = "checkout.bad_line")]
    #[error("each line needs a quantity of 1–1000 and a price of zero or more")]
    BadLine,
    /// The payments do not add up to the total, or one is negative.
    #[serde(rename = "checkout.payments_do_not_add_up")]
    #[error("the payments do not add up to the total")]
    PaymentsDoNotAddUp,
    /// A package or the stored-value card pays, but no customer is named.
    #[serde(rename = "checkout.needs_customer")]
    #[error("a package or a stored-value card needs the customer")]
    NeedsCustomer,
    /// A void without a reason.
    #[serde(rename = "checkout.reason_required")]
    #[error("a void needs a reason")]
    ReasonRequired,
    /// A discount above 100 percent or points below zero.
    #[serde(rename = "checkout.bad_amount")]
    #[error("a discount or points out of range")]
    BadAmount,
}

impl CheckoutError {
    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoLines => "checkout.no_lines",
            Self::BadLine => "checkout.bad_line",
            Self::PaymentsDoNotAddUp => "checkout.payments_do_not_add_up",
            Self::NeedsCustomer => "checkout.needs_customer",
            Self::ReasonRequired => "checkout.reason_required",
            Self::BadAmount => "checkout.bad_amount",
        }
    }
}

/// What a line sells.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LineItem {
    /// A service of the catalog.
    Service {
        /// The service.
        service_id: ServiceId,
    },
    /// A retail product, out of a batch (its stock moves out).
    Product {
        /// The product.
        product_id: ProductId,
        /// The batch it comes out of, if known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        batch_id: Option<BatchId>,
    },
}

/// One line of a bill, with the name it had when sold (the receipt keeps it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillLine {
    /// What.
    #[serde(flatten)]
    pub item: LineItem,
    /// Its name at the time.
    pub name: Label,
    /// How many.
    pub quantity: u32,
    /// The price of one, before the discount.
    pub unit_price: Money,
}

impl BillLine {
    /// The line before the discount.
    pub fn amount(&self) -> Money {
        Money(self.unit_price.0.saturating_mul(i64::from(self.quantity)))
    }
}

/// A means of payment outside Orchid: recorded, never processed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutsideMeans {
    /// 现金.
    Cash,
    /// 银行卡.
    BankCard,
    /// 微信支付.
    WechatPay,
    /// 支付宝.
    Alipay,
}

impl OutsideMeans {
    /// Every means, in the order a form offers them.
    pub const ALL: [Self; 4] = [Self::WechatPay, Self::Alipay, Self::Cash, Self::BankCard];
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Cash => "cash",
            Self::BankCard => "bank_card",
            Self::WechatPay => "wechat_pay",
            Self::Alipay => "alipay",
        }
    }
}

/// One payment of a bill.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Payment {
    /// Sessions of a prepaid package for a service line.
    PackageSession {
        /// The package.
        package_id: PackageId,
        /// The service.
        service_id: ServiceId,
        /// Sessions used.
        sessions: u32,
        /// What those sessions cover of the bill (after the discount).
        value: Money,
    },
    /// Money off the stored-value card.
    StoredValue {
        /// How much.
        amount: Money,
    },
    /// Points she held, at the store's points per yuan off.
    Points {
        /// Points used.
        points: i64,
        /// What they cover of the bill.
        value: Money,
    },
    /// Paid outside Orchid.
    Outside {
        /// How.
        means: OutsideMeans,
        /// How much.
        amount: Money,
    },
}

impl Payment {
    /// What this payment covers of the bill.
    pub fn value(&self) -> Money {
        match self {
            Self::PackageSession { value, .. } | Self::Points { value, .. } => *value,
            Self::StoredValue { amount } | Self::Outside { amount, .. } => *amount,
        }
    }
    /// Money paid (a package session was paid when the package was bought; points are no
    /// money and earn none).
    pub fn money(&self) -> Money {
        match self {
            Self::PackageSession { .. } | Self::Points { .. } => Money(0),
            Self::StoredValue { amount } | Self::Outside { amount, .. } => *amount,
        }
    }
}

/// A check-out. Append-only (insert-once); a void is a separate record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkout {
    /// Id.
    pub id: CheckoutId,
    /// The store.
    pub store_id: StoreId,
    /// The customer; none for an anonymous retail sale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<CustomerId>,
    /// The visit it closes, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appointment_id: Option<AppointmentId>,
    /// The lines.
    pub lines: Vec<BillLine>,
    /// Her level at the time.
    #[serde(default)]
    pub level: MembershipLevel,
    /// The level's discount, percent.
    #[serde(default)]
    pub discount_percent: u8,
    /// Before the discount.
    pub subtotal: Money,
    /// After the discount: what the payments cover.
    pub total: Money,
    /// How it was paid.
    pub payments: Vec<Payment>,
    /// Points earned.
    #[serde(default)]
    pub points_earned: i64,
    /// When.
    pub at: Timestamp,
    /// Who (the signed-in person).
    pub by: StaffId,
}

impl Checkout {
    /// Blanks nothing: a check-out names the customer by id only, and its lines the store's
    /// services and products (the sale stays in the books after an erasure, as the loyalty
    /// deltas do). Every field is named so that one added later is decided here.
    pub fn erase_personal(&mut self) -> bool {
        let Self {
            id: _,
            store_id: _,
            customer_id: _,
            appointment_id: _,
            lines: _,
            level: _,
            discount_percent: _,
            subtotal: _,
            total: _,
            payments: _,
            points_earned: _,
            at: _,
            by: _,
        } = self;
        false
    }
    /// Checks the record on its own.
    pub fn validate(&self) -> Result<(), CheckoutError> {
        if self.lines.is_empty() || self.lines.len() > MAX_LINES {
            return Err(CheckoutError::NoLines);
        }
        if self.lines.iter().any(|l| {
            l.quantity == 0
                || l.quantity > MAX_QUANTITY
                || !(0..=MAX_MONEY).contains(&l.unit_price.0)
        }) {
            return Err(CheckoutError::BadLine);
        }
        if self.discount_percent > 100 || self.points_earned < 0 || self.points_earned > MAX_MONEY {
            return Err(CheckoutError::BadAmount);
        }
        if self.payments.iter().any(
            |p| matches!(p, Payment::Points { points, .. } if !(1..=MAX_MONEY).contains(points)),
        ) {
            return Err(CheckoutError::BadAmount);
        }
        if self.payments.iter().any(|p| p.value().0 < 0)
            || self.payments.iter().map(|p| p.value().0).sum::<i64>() != self.total.0
            || !(0..=self.subtotal.0).contains(&self.total.0)
        {
            return Err(CheckoutError::PaymentsDoNotAddUp);
        }
        let needs_customer = self
            .payments
            .iter()
            .any(|p| !matches!(p, Payment::Outside { .. }));
        if needs_customer && self.customer_id.is_none() {
            return Err(CheckoutError::NeedsCustomer);
        }
        Ok(())
    }
    /// Money paid (stored value and outside means).
    pub fn money_paid(&self) -> Money {
        Money(self.payments.iter().map(|p| p.money().0).sum())
    }
}

const MAX_MONEY: i64 = crate::record::MAX_DELTA;

/// A manager's void of a check-out, with the reason. Insert-once; its opposite deltas are
/// written with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutVoid {
    /// The check-out voided.
    pub checkout_id: CheckoutId,
    /// Why (said to the customer, kept for the books).
    pub reason: Label,
    /// When.
    pub at: Timestamp,
    /// Who (a manager or the owner).
    pub by: StaffId,
}

impl CheckoutVoid {
    /// Blanks the reason once the customer is erased (it may tell of her); who and when stay.
    pub fn erase_personal(&mut self) -> bool {
        let Self {
            checkout_id: _,
            reason,
            at: _,
            by: _,
        } = self;
        crate::record::erase(reason)
    }
}

/// A check-out as a store sees it: with its void, if voided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutView {
    /// The check-out.
    pub checkout: Checkout,
    /// Its void.
    pub void: Option<CheckoutVoid>,
}

/// What a bill is worked out from.
#[derive(Clone, Debug)]
pub struct BillRequest<'a> {
    /// The lines.
    pub lines: &'a [BillLine],
    /// The customer's balances (none: an anonymous sale — no discount, packages, card or points).
    pub balance: Option<&'a LoyaltyBalance>,
    /// The store's rules.
    pub rules: &'a LoyaltyRules,
    /// The store's local date (packages past their expiry do not pay).
    pub today: NaiveDate,
    /// The means the desk picked for what the customer's cards do not cover.
    pub outside: OutsideMeans,
    /// Use her packages for the services they are for.
    pub use_packages: bool,
    /// Use her stored-value card when it covers the rest.
    pub use_stored_value: bool,
    /// Take her points off what the packages leave, by the store's points per yuan off.
    pub use_points: bool,
}

/// A worked-out bill: what a check-out records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bill {
    /// Her level.
    pub level: MembershipLevel,
    /// The level's discount, percent.
    pub discount_percent: u8,
    /// Before the discount.
    pub subtotal: Money,
    /// The discount.
    pub discount: Money,
    /// After the discount.
    pub total: Money,
    /// The payments: packages first, then her points if the desk uses them, then the card if
    /// it covers the rest, else the outside means.
    pub payments: Vec<Payment>,
    /// Points earned on the money paid.
    pub points_earned: i64,
}

/// The price of one after a discount (the discount rounds down to the fen, in her favour never
/// against the store's books: the price stays whole fen).
fn discounted(unit: Money, percent: u8) -> Money {
    let off = unit.0.saturating_mul(i64::from(percent.min(100))) / 100;
    Money(unit.0 - off)
}

/// Works out a bill: lines at their prices less her level's discount; a package for a service
/// with sessions left and not expired pays for it first (the one expiring soonest); then her
/// points, when the desk uses them, in whole yuan by the store's points per yuan off; then the
/// stored-value card if it covers the whole rest; else the rest by the outside means picked.
/// Points are earned on the money paid (a package session was paid for when bought, and points
/// redeemed earn none).
pub fn bill(req: &BillRequest<'_>) -> Bill {
    let level = req.balance.map(|b| b.level).unwrap_or_default();
    let discount_percent = if req.balance.is_some() {
        req.rules.discount_for(level)
    } else {
        0
    };
    let mut subtotal = 0i64;
    let mut total = 0i64;
    let mut payments: Vec<Payment> = Vec::new();
    // Sessions left per usable package, as this bill uses them.
    let mut usable: Vec<PackageBalance> = match req.balance {
        Some(b) if req.use_packages => b
            .packages
            .iter()
            .filter(|p| p.remaining > 0 && p.expires_on.is_none_or(|d| d >= req.today))
            .cloned()
            .collect(),
        _ => Vec::new(),
    };
    usable.sort_by_key(|p| (p.expires_on.unwrap_or(NaiveDate::MAX), p.package_id));
    let mut covered = 0i64;
    for line in req.lines {
        let unit = discounted(line.unit_price, discount_percent);
        subtotal = subtotal.saturating_add(line.amount().0);
        total = total.saturating_add(unit.0.saturating_mul(i64::from(line.quantity)));
        let LineItem::Service { service_id } = line.item else {
            continue;
        };
        let mut wanted = i64::from(line.quantity);
        for p in usable
            .iter_mut()
            .filter(|p| p.service_id == Some(service_id))
        {
            if wanted == 0 {
                break;
            }
            let take = wanted.min(p.remaining);
            if take <= 0 {
                continue;
            }
            p.remaining -= take;
            wanted -= take;
            let value = unit.0.saturating_mul(take);
            covered = covered.saturating_add(value);
            let sessions = u32::try_from(take).unwrap_or(u32::MAX);
            match payments.iter_mut().find(|x| {
                matches!(x, Payment::PackageSession { package_id, .. } if *package_id == p.package_id)
            }) {
                Some(Payment::PackageSession {
                    sessions: s,
                    value: v,
                    ..
                }) => {
                    *s = s.saturating_add(sessions);
                    *v = Money(v.0.saturating_add(value));
                }
                _ => payments.push(Payment::PackageSession {
                    package_id: p.package_id,
                    service_id,
                    sessions,
                    value: Money(value),
                }),
            }
        }
    }
    let mut rest = Money(total - covered);
    if let Some(b) = req.balance
        && req.use_points
        && let Some((points, value)) = req.rules.points_off(b.points, rest)
    {
        payments.push(Payment::Points { points, value });
        rest = Money(rest.0 - value.0);
    }
    if rest.0 > 0 {
        let card = req.balance.map(|b| b.stored_value).unwrap_or_default();
        if req.use_stored_value && card >= rest {
            payments.push(Payment::StoredValue { amount: rest });
        } else {
            payments.push(Payment::Outside {
                means: req.outside,
                amount: rest,
            });
        }
    }
    let money: i64 = payments.iter().map(|p| p.money().0).sum();
    let points_earned = if req.balance.is_some() {
        req.rules.points_for(Money(money))
    } else {
        0
    };
    Bill {
        level,
        discount_percent,
        subtotal: Money(subtotal),
        discount: Money(subtotal - total),
        total: Money(total),
        payments,
        points_earned,
    }
}

/// An id derived from a check-out's: the same check-out always gives the same ids, so writing it
/// again (a retry, a double tap) adds nothing. The low bits of the random part carry the purpose
/// and the position.
fn derived(base: CheckoutId, purpose: u8, index: usize) -> Uuid {
    let index = u128::try_from(index).unwrap_or(0) & 0x00ff_ffff;
    Uuid::from_u128(base.as_uuid().as_u128() ^ ((u128::from(purpose) << 24) | (index + 1)))
}

const SALE_DELTA: u8 = 1;
const SALE_STOCK: u8 = 2;
const VOID_DELTA: u8 = 3;
const VOID_STOCK: u8 = 4;

/// Units of a product (out of a batch) a check-out sells.
type Sold = (ProductId, Option<BatchId>, i64);

/// The loyalty changes a check-out makes, and the stock it sells.
fn effects(c: &Checkout) -> (Vec<LoyaltyChange>, Vec<Sold>) {
    let mut loyalty = Vec::new();
    for p in &c.payments {
        match p {
            Payment::PackageSession {
                package_id,
                sessions,
                ..
            } => loyalty.push(LoyaltyChange::PackageSessions {
                package_id: *package_id,
                delta: -i32::try_from(*sessions).unwrap_or(i32::MAX),
                record_id: None,
            }),
            Payment::Points { points, .. } if *points > 0 => loyalty.push(LoyaltyChange::Points {
                delta: -*points,
                reason: PointsReason::Redeemed,
            }),
            Payment::StoredValue { amount } if amount.0 > 0 => {
                loyalty.push(LoyaltyChange::StoredValue {
                    delta: Money(-amount.0),
                    reason: StoredValueReason::Spend,
                })
            }
            _ => {}
        }
    }
    if c.points_earned > 0 {
        loyalty.push(LoyaltyChange::Points {
            delta: c.points_earned,
            reason: PointsReason::Purchase,
        });
    }
    let stock = c
        .lines
        .iter()
        .filter_map(|l| match l.item {
            LineItem::Product {
                product_id,
                batch_id,
            } => Some((product_id, batch_id, i64::from(l.quantity))),
            LineItem::Service { .. } => None,
        })
        .collect();
    (loyalty, stock)
}

/// Everything a check-out writes, in one batch: the record, its loyalty deltas (sessions and
/// card money used, points earned) and the stock it sells, ids derived from the check-out's.
pub fn sale_changes(c: &Checkout) -> Vec<Change> {
    let (loyalty, stock) = effects(c);
    let mut out = vec![Change::CheckoutRecord(c.clone())];
    if let Some(customer_id) = c.customer_id {
        out.extend(loyalty.into_iter().enumerate().map(|(i, change)| {
            Change::LoyaltyDelta(LoyaltyDelta {
                id: LoyaltyDeltaId(derived(c.id, SALE_DELTA, i)),
                customer_id,
                at: c.at,
                by: c.by,
                change,
                note: Note::default(),
                checkout_id: Some(c.id),
            })
        }));
    }
    out.extend(
        stock
            .into_iter()
            .enumerate()
            .map(|(i, (product_id, batch_id, units))| {
                Change::StockMove(StockMovement {
                    id: StockMovementId(derived(c.id, SALE_STOCK, i)),
                    product_id,
                    batch_id,
                    delta: -units,
                    reason: StockReason::Sold,
                    at: c.at,
                    by: c.by,
                })
            }),
    );
    out
}

/// Everything a void writes, in one batch: the void and the opposite of each of the check-out's
/// deltas (sessions and card money given back, points taken back, stock returned). Nothing is
/// deleted.
pub fn void_changes(c: &Checkout, void: &CheckoutVoid) -> Vec<Change> {
    let (loyalty, stock) = effects(c);
    let mut out = vec![Change::CheckoutVoid(void.clone())];
    let note = Note::parse(void.reason.as_str()).unwrap_or_default();
    if let Some(customer_id) = c.customer_id {
        out.extend(loyalty.into_iter().enumerate().map(|(i, change)| {
            let change = match change {
                LoyaltyChange::PackageSessions {
                    package_id, delta, ..
                } => LoyaltyChange::PackageSessions {
                    package_id,
                    delta: -delta,
                    record_id: None,
                },
                LoyaltyChange::StoredValue { delta, .. } => LoyaltyChange::StoredValue {
                    delta: Money(-delta.0),
                    reason: StoredValueReason::Refund,
                },
                LoyaltyChange::Points { delta, .. } => LoyaltyChange::Points {
                    delta: -delta,
                    reason: PointsReason::Adjustment,
                },
                other => other,
            };
            Change::LoyaltyDelta(LoyaltyDelta {
                id: LoyaltyDeltaId(derived(c.id, VOID_DELTA, i)),
                customer_id,
                at: void.at,
                by: void.by,
                change,
                note: note.clone(),
                checkout_id: Some(c.id),
            })
        }));
    }
    out.extend(
        stock
            .into_iter()
            .enumerate()
            .map(|(i, (product_id, batch_id, units))| {
                Change::StockMove(StockMovement {
                    id: StockMovementId(derived(c.id, VOID_STOCK, i)),
                    product_id,
                    batch_id,
                    delta: units,
                    reason: StockReason::Returned,
                    at: void.at,
                    by: void.by,
                })
            }),
    );
    out
}

/// A customer with a balance below zero: a manager settles it with her.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overdrawn {
    /// The customer.
    pub customer_id: CustomerId,
    /// Her card's money, if below zero.
    pub stored_value: Option<Money>,
    /// Her packages with sessions below zero.
    pub packages: Vec<PackageBalance>,
}

/// The customers whose package sessions or stored value are below zero (two devices spent the
/// same balance offline), by customer id.
pub fn overdrawn(
    balances: impl IntoIterator<Item = (CustomerId, LoyaltyBalance)>,
) -> Vec<Overdrawn> {
    let mut out: Vec<Overdrawn> = balances
        .into_iter()
        .filter(|(_, b)| b.is_overdrawn())
        .map(|(customer_id, b)| Overdrawn {
            customer_id,
            stored_value: (b.stored_value.0 < 0).then_some(b.stored_value),
            packages: b.packages.into_iter().filter(|p| p.remaining < 0).collect(),
        })
        .collect();
    out.sort_by_key(|o| o.customer_id);
    out
}

#[cfg(test)]
mod tests;
