//! The sales and stock report (issue 23 item 8): stock value and stock movements of a month, the
//! products each service used, sales by payment means with voids subtracted, and what the store
//! owes its customers (stored value not yet spent, package sessions not yet used, points).
//!
//! Everything is worked out from the records a device holds, IO-free: the month in the store's
//! time zone, the balances as of a moment (the month's end, or now while the month runs).
//!
//! "Usage per service" sets what the month's service records used (actual) beside what the
//! catalogue's standard use says those services should have used (expected: the standard times
//! the services done), with the difference.

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::catalog::{CatalogService, Money};
use crate::checkout::{CheckoutView, OutsideMeans, Payment};
use crate::ids::{BatchId, CustomerId, ProductId, ServiceId};
use crate::loyalty::{LoyaltyBalance, LoyaltyDelta};
use crate::product::{Batch, StockMovement, StockReason};
use crate::service_record::ServiceRecord;
use crate::time::{Timestamp, UtcOffset};

/// How a bill was paid, as the report groups it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMeans {
    /// 现金.
    Cash,
    /// 银行卡.
    BankCard,
    /// 微信支付.
    WechatPay,
    /// 支付宝.
    Alipay,
    /// The stored-value card.
    StoredValue,
    /// Package sessions (paid for when the package was bought).
    PackageSession,
    /// Points redeemed.
    Points,
}

impl PaymentMeans {
    /// Every means, in the report's order.
    pub const ALL: [Self; 7] = [
        Self::WechatPay,
        Self::Alipay,
        Self::Cash,
        Self::BankCard,
        Self::StoredValue,
        Self::PackageSession,
        Self::Points,
    ];
    /// The means of a payment.
    pub fn of(payment: &Payment) -> Self {
        match payment {
            Payment::PackageSession { .. } => Self::PackageSession,
            Payment::StoredValue { .. } => Self::StoredValue,
            Payment::Points { .. } => Self::Points,
            Payment::Outside { means, .. } => match means {
                OutsideMeans::Cash => Self::Cash,
                OutsideMeans::BankCard => Self::BankCard,
                OutsideMeans::WechatPay => Self::WechatPay,
                OutsideMeans::Alipay => Self::Alipay,
            },
        }
    }
}

/// One means' figures of the month.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeansFigures {
    /// Paid by it in check-outs of the month.
    pub sold: Money,
    /// Given back by voids made in the month.
    pub voided: Money,
    /// Sold less voided.
    pub net: Money,
    /// Payments by it (a package's: sessions used; points': points used), voids subtracted.
    pub count: i64,
}

/// A product's stock value as of the report's moment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductValue {
    /// The product.
    pub product_id: ProductId,
    /// On hand, in its unit.
    pub on_hand: i64,
    /// On hand × the cost of a unit of its batch.
    pub value: Money,
    /// Units on hand whose cost is not known (a batch without a cost, or stock moved without a
    /// batch): counted, not valued.
    pub uncosted: i64,
}

/// A product's movements in the month, in its unit (out: below zero).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductMovements {
    /// Received.
    pub received: i64,
    /// Used in services.
    pub used: i64,
    /// Sold.
    pub sold: i64,
    /// Stocktake differences.
    pub stocktake: i64,
    /// Expired, damaged and returned.
    pub other: i64,
}

impl ProductMovements {
    /// The month's change of stock.
    pub fn net(&self) -> i64 {
        self.received + self.used + self.sold + self.stocktake + self.other
    }
}

/// What one service used of one product in the month's service records, and what its standard
/// use says it should have.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceUsage {
    /// The service (a record of several: the first whose standard lists the product, else its
    /// first; none: a record without a service).
    pub service_id: Option<ServiceId>,
    /// The product.
    pub product_id: ProductId,
    /// Visits (service records) that used it.
    pub visits: usize,
    /// Units used (actual).
    pub quantity: i64,
    /// Times the service was done in the month.
    pub done: usize,
    /// Units the standard says: its quantity of the product times `done`; 0 for a product
    /// the standard does not list; none when the service has no standard use.
    pub expected: Option<i64>,
}

impl ServiceUsage {
    /// Actual less expected (above zero: more used than the standard says).
    pub fn difference(&self) -> Option<i64> {
        self.expected.map(|e| self.quantity.saturating_sub(e))
    }
    /// The difference as a whole percentage of the expected, rounded half away from zero;
    /// none without an expected figure above zero.
    pub fn difference_percent(&self) -> Option<i64> {
        let expected = self.expected.filter(|e| *e > 0)?;
        let diff = i128::from(self.difference()?) * 100;
        let e = i128::from(expected);
        let rounded = (diff.abs() * 2 + e) / (2 * e);
        i64::try_from(if diff < 0 { -rounded } else { rounded }).ok()
    }
}

/// What the store owes its customers as of the report's moment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Liability {
    /// Money on cards above zero: prepaid, not yet spent.
    pub stored_value: Money,
    /// Customers with money on their card.
    pub stored_value_customers: usize,
    /// Money below zero on cards spent twice offline (to settle with the customers).
    pub overdrawn: Money,
    /// Sessions left on packages not expired, by service (none: sessions whose purchase has not
    /// reached this device), in service id order.
    pub sessions_by_service: Vec<(Option<ServiceId>, i64)>,
    /// Points held (customers above zero).
    pub points: i64,
}

/// The report of one month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesReport {
    /// The month's first day.
    pub month: NaiveDate,
    /// The balances and stock are as of this moment.
    pub as_of: Timestamp,
    /// Stock value per product (products ever stocked), by product id.
    pub stock: Vec<ProductValue>,
    /// The total stock value.
    pub stock_value: Money,
    /// Stock movements of the month per product.
    pub movements: BTreeMap<ProductId, ProductMovements>,
    /// Product usage per service.
    pub usage: Vec<ServiceUsage>,
    /// Sales by payment means.
    pub sales: BTreeMap<PaymentMeans, MeansFigures>,
    /// Check-outs of the month (voided ones too).
    pub checkouts: usize,
    /// Voids made in the month.
    pub voids: usize,
    /// What the store owes its customers.
    pub liability: Liability,
}

impl SalesReport {
    /// Money taken in the month, voids subtracted (package sessions were paid when bought;
    /// points are no money).
    pub fn money_net(&self) -> Money {
        Money(
            self.sales
                .iter()
                .filter(|(m, _)| !matches!(m, PaymentMeans::PackageSession | PaymentMeans::Points))
                .map(|(_, f)| f.net.0)
                .sum(),
        )
    }
}

/// What the report is worked out from: the device's records of the store.
#[derive(Clone, Copy, Debug)]
pub struct SalesSources<'a> {
    /// Batches.
    pub batches: &'a [Batch],
    /// Stock movements.
    pub movements: &'a [StockMovement],
    /// Service records.
    pub records: &'a [ServiceRecord],
    /// The service catalogue (each service's standard use).
    pub services: &'a [CatalogService],
    /// Check-outs with their voids.
    pub checkouts: &'a [CheckoutView],
    /// Every customer's loyalty deltas.
    pub loyalty: &'a [LoyaltyDelta],
}

/// The first moment of a local day.
fn start_of(day: NaiveDate, offset: UtcOffset) -> Timestamp {
    offset.to_utc(day.and_time(NaiveTime::MIN))
}

/// The report of the month starting on `month` (store time), its balances as of the month's end
/// or `now`, whichever comes first.
pub fn sales_report(
    month: NaiveDate,
    offset: UtcOffset,
    now: Timestamp,
    sources: SalesSources<'_>,
) -> SalesReport {
    let first = month;
    let next = first.checked_add_months(Months::new(1)).unwrap_or(first);
    let in_month = |at: Timestamp| {
        let day = offset.local_date(at);
        day >= first && day < next
    };
    // The moment just before the next month begins, or now.
    let as_of = start_of(next, offset).min(now);
    let by_then = |at: Timestamp| if as_of == now { at <= now } else { at < as_of };

    let (stock, stock_value) = stock_value(sources.batches, sources.movements, &by_then);
    let mut movements: BTreeMap<ProductId, ProductMovements> = BTreeMap::new();
    for m in sources.movements.iter().filter(|m| in_month(m.at)) {
        let row = movements.entry(m.product_id).or_default();
        let slot = match m.reason {
            StockReason::Received => &mut row.received,
            StockReason::UsedInService { .. } => &mut row.used,
            StockReason::Sold => &mut row.sold,
            StockReason::Adjustment => &mut row.stocktake,
            StockReason::Expired | StockReason::Damaged | StockReason::Returned => &mut row.other,
        };
        *slot = slot.saturating_add(m.delta);
    }

    let usage = usage_per_service(sources.records, sources.services, &in_month);

    let mut sales: BTreeMap<PaymentMeans, MeansFigures> = BTreeMap::new();
    let mut checkouts = 0;
    let mut voids = 0;
    for view in sources.checkouts {
        let c = &view.checkout;
        let sold = in_month(c.at);
        let voided = view.void.as_ref().is_some_and(|v| in_month(v.at));
        checkouts += usize::from(sold);
        voids += usize::from(voided);
        for p in &c.payments {
            let units = match p {
                Payment::PackageSession { sessions, .. } => i64::from(*sessions),
                Payment::Points { points, .. } => *points,
                _ => 1,
            };
            let row = sales.entry(PaymentMeans::of(p)).or_default();
            if sold {
                row.sold.0 = row.sold.0.saturating_add(p.value().0);
                row.count += units;
            }
            if voided {
                row.voided.0 = row.voided.0.saturating_add(p.value().0);
                row.count -= units;
            }
        }
    }
    for row in sales.values_mut() {
        row.net = Money(row.sold.0 - row.voided.0);
    }

    // The last day the balances count: a package valid through the month's last day still owes.
    let last_day = if as_of == now {
        offset.local_date(now)
    } else {
        next.pred_opt().unwrap_or(next)
    };
    let liability = liability(sources.loyalty, last_day, &by_then);

    SalesReport {
        month,
        as_of,
        stock,
        stock_value,
        movements,
        usage,
        sales,
        checkouts,
        voids,
        liability,
    }
}

/// Stock on hand per product and its value at the cost of a unit of each batch (the batch's
/// cost over the units received into it).
fn stock_value(
    batches: &[Batch],
    movements: &[StockMovement],
    by_then: &impl Fn(Timestamp) -> bool,
) -> (Vec<ProductValue>, Money) {
    let mut received: BTreeMap<BatchId, i64> = BTreeMap::new();
    let mut on_hand: BTreeMap<(ProductId, Option<BatchId>), i64> = BTreeMap::new();
    for m in movements {
        if let (StockReason::Received, Some(b)) = (m.reason, m.batch_id) {
            *received.entry(b).or_default() += m.delta;
        }
        if by_then(m.at) {
            let level = on_hand.entry((m.product_id, m.batch_id)).or_default();
            *level = level.saturating_add(m.delta);
        }
    }
    let costs: BTreeMap<BatchId, Money> = batches
        .iter()
        .filter_map(|b| b.cost.map(|c| (b.id, c)))
        .collect();
    let mut per_product: BTreeMap<ProductId, ProductValue> = BTreeMap::new();
    for ((product_id, batch), units) in on_hand {
        let row = per_product
            .entry(product_id)
            .or_insert_with(|| ProductValue {
                product_id,
                on_hand: 0,
                value: Money(0),
                uncosted: 0,
            });
        row.on_hand = row.on_hand.saturating_add(units);
        let unit_cost = batch.and_then(|b| {
            let cost = costs.get(&b)?;
            let got = *received.get(&b)?;
            (got > 0).then_some((cost.0, got))
        });
        match unit_cost {
            // Rounded to the fen: the batch's cost shared over what is left of it.
            Some((cost, got)) if units > 0 => {
                let value = i128::from(cost) * i128::from(units) / i128::from(got);
                row.value.0 = row
                    .value
                    .0
                    .saturating_add(i64::try_from(value).unwrap_or(i64::MAX));
            }
            Some(_) => {}
            None => row.uncosted = row.uncosted.saturating_add(units.max(0)),
        }
    }
    let total = Money(per_product.values().map(|p| p.value.0).sum());
    (per_product.into_values().collect(), total)
}

/// Units of each product used by each service in the month's records, beside its standard use.
///
/// A product used in a record goes to the record's first service whose standard lists that
/// product, else to its first service (so a facial-and-massage visit's oil counts under the
/// massage once the massage's standard names the oil). A service counts as done in the month
/// when a record of it opened in the month was completed or used a product or ran a step (a
/// visit stopped at the consultation was not done). The standard is today's catalogue's.
fn usage_per_service(
    records: &[ServiceRecord],
    services: &[CatalogService],
    in_month: &impl Fn(Timestamp) -> bool,
) -> Vec<ServiceUsage> {
    #[derive(Default)]
    struct Row {
        visits: usize,
        quantity: i64,
        expected: i64,
    }
    let standard: BTreeMap<ServiceId, &CatalogService> = services
        .iter()
        .filter(|s| !s.standard_use.is_empty())
        .map(|s| (s.id, s))
        .collect();
    let lists = |service: ServiceId, product: ProductId| {
        standard
            .get(&service)
            .is_some_and(|s| s.standard_use.iter().any(|l| l.product_id == product))
    };
    let mut rows: BTreeMap<(Option<ServiceId>, ProductId), Row> = BTreeMap::new();
    let mut done: BTreeMap<ServiceId, usize> = BTreeMap::new();
    for r in records {
        let mut seen: Vec<(Option<ServiceId>, ProductId)> = Vec::new();
        for p in r.products.iter().filter(|p| in_month(p.at)) {
            let service = r
                .services
                .iter()
                .copied()
                .find(|s| lists(*s, p.product_id))
                .or_else(|| r.services.first().copied());
            let key = (service, p.product_id);
            let row = rows.entry(key).or_default();
            if !seen.contains(&key) {
                seen.push(key);
                row.visits += 1;
            }
            row.quantity = row.quantity.saturating_add(i64::from(p.quantity));
        }
        let was_done = r.completed_at.is_some() || !r.products.is_empty() || !r.steps.is_empty();
        if !(was_done && in_month(r.opened_at)) {
            continue;
        }
        let mut counted: Vec<ServiceId> = Vec::new();
        for s in r.services.iter().copied() {
            if counted.contains(&s) {
                continue;
            }
            counted.push(s);
            *done.entry(s).or_default() += 1;
            for l in standard
                .get(&s)
                .map(|c| c.standard_use.as_slice())
                .unwrap_or_default()
            {
                let row = rows.entry((Some(s), l.product_id)).or_default();
                row.expected = row.expected.saturating_add(i64::from(l.quantity));
            }
        }
    }
    rows.into_iter()
        .map(|((service_id, product_id), row)| ServiceUsage {
            service_id,
            product_id,
            visits: row.visits,
            quantity: row.quantity,
            done: service_id.and_then(|s| done.get(&s).copied()).unwrap_or(0),
            expected: service_id
                .filter(|s| standard.contains_key(s))
                .map(|_| row.expected),
        })
        .collect()
}

/// Stored value, sessions and points as of `as_of` (packages expired by `today` owe nothing).
fn liability(
    deltas: &[LoyaltyDelta],
    today: NaiveDate,
    by_then: &impl Fn(Timestamp) -> bool,
) -> Liability {
    let mut by_customer: BTreeMap<CustomerId, Vec<&LoyaltyDelta>> = BTreeMap::new();
    for d in deltas.iter().filter(|d| by_then(d.at)) {
        by_customer.entry(d.customer_id).or_default().push(d);
    }
    let mut out = Liability::default();
    let mut sessions: BTreeMap<Option<ServiceId>, i64> = BTreeMap::new();
    for list in by_customer.into_values() {
        let b = LoyaltyBalance::from_deltas(list);
        if b.stored_value.0 > 0 {
            out.stored_value.0 += b.stored_value.0;
            out.stored_value_customers += 1;
        } else {
            out.overdrawn.0 += b.stored_value.0;
        }
        out.points += b.points.max(0);
        for p in b.packages {
            if p.remaining > 0 && p.expires_on.is_none_or(|d| d >= today) {
                *sessions.entry(p.service_id).or_default() += p.remaining;
            }
        }
    }
    out.sessions_by_service = sessions.into_iter().collect();
    out
}

#[cfg(test)]
mod tests;
