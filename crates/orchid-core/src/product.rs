//! Products (产品管理): catalog, batches with expiry, stock as movements (deltas, never absolute values),
//! usage per service, low-stock and expiry alerts, and the link from a batch to what used it.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::catalog::Money;
use crate::error::ValidationError;
use crate::ids::{BatchId, ProductId, ServiceRecordId, StaffId, StockMovementId, StoreId};
use crate::record::record_fields;
use crate::text::{Label, Name, Tag};
use crate::time::Timestamp;

/// Invalid product data.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "code")]
pub enum ProductError {
    /// A stock movement of zero.
    #[serde(rename = "stock.zero_movement")]
    #[error("a stock movement cannot be zero")]
    ZeroMovement,
    /// A movement whose sign does not fit its reason (receiving must add, using must take away).
    #[serde(rename = "stock.wrong_sign")]
    #[error("a {reason} movement cannot be {delta}")]
    WrongSign {
        /// The reason's code.
        reason: String,
        /// The delta.
        delta: i64,
    },
    /// A negative low-stock threshold.
    #[serde(rename = "product.negative_threshold")]
    #[error("the low-stock threshold cannot be negative")]
    NegativeThreshold,
    /// A stocktake count below zero.
    #[serde(rename = "stock.negative_count")]
    #[error("a counted quantity cannot be negative")]
    NegativeCount,
    /// A movement too large to be real (see [`crate::record::MAX_DELTA`]).
    #[serde(rename = "stock.delta_too_large")]
    #[error("a stock movement of more than {max} units is refused")]
    DeltaTooLarge {
        /// The largest allowed.
        max: i64,
    },
}

impl ProductError {
    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::ZeroMovement => "stock.zero_movement",
            Self::WrongSign { .. } => "stock.wrong_sign",
            Self::NegativeThreshold => "product.negative_threshold",
            Self::DeltaTooLarge { .. } => "stock.delta_too_large",
            Self::NegativeCount => "stock.negative_count",
        }
    }
}

/// The unit stock is counted in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StockUnit {
    /// Pieces / bottles / boxes.
    Piece,
    /// Millilitres.
    Ml,
    /// Grams.
    Gram,
}

/// A product used in services or sold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Product {
    /// Id.
    pub id: ProductId,
    /// Store.
    pub store_id: StoreId,
    /// Name.
    pub name: Name,
    /// Brand.
    pub brand: Option<Label>,
    /// Unit of stock.
    pub unit: StockUnit,
    /// Allergens / key ingredients (matched against customers' allergies).
    pub allergens: Vec<Tag>,
    /// Alert when stock is at or below this.
    pub low_stock_threshold: i64,
    /// Retail price, if sold to customers (a product without one is for professional use in
    /// services only).
    pub price: Option<Money>,
    /// In use.
    pub active: bool,
    /// The usual supplier (a batch names the one that delivered it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplier: Option<Label>,
}

impl Product {
    /// A new active product.
    pub fn new(id: ProductId, store_id: StoreId, name: Name, unit: StockUnit) -> Self {
        Self {
            id,
            store_id,
            name,
            brand: None,
            unit,
            allergens: Vec::new(),
            low_stock_threshold: 0,
            price: None,
            active: true,
            supplier: None,
        }
    }
    /// A blank record to materialize fields onto.
    pub fn blank(id: ProductId, store_id: StoreId) -> Self {
        Self::new(id, store_id, Name::placeholder(), StockUnit::Piece)
    }
}

record_fields! {
    /// The editable fields of a [`Product`].
    pub enum ProductField for Product [checked] {
        /// Name.
        Name(Name) => name, Ordinary, Keep;
        /// Brand.
        Brand(Option<Label>) => brand, Ordinary, Keep;
        /// Unit.
        Unit(StockUnit) => unit, Ordinary, Keep;
        /// Allergens.
        Allergens(Vec<Tag>) => allergens, Ordinary, Keep;
        /// Low-stock threshold.
        LowStockThreshold(i64) => low_stock_threshold, Ordinary, Keep;
        /// Price.
        Price(Option<Money>) => price, Ordinary, Keep;
        /// Active.
        Active(bool) => active, Ordinary, Keep;
        /// Usual supplier.
        Supplier(Option<Label>) => supplier, Ordinary, Keep;
    }
}

impl ProductField {
    fn check_field(&self) -> Result<(), ValidationError> {
        match self {
            Self::LowStockThreshold(t) if *t < 0 => Err(ProductError::NegativeThreshold.into()),
            Self::LowStockThreshold(t) if *t > crate::record::MAX_DELTA => {
                Err(ProductError::DeltaTooLarge {
                    max: crate::record::MAX_DELTA,
                }
                .into())
            }
            _ => Ok(()),
        }
    }
}

/// A batch (批次) of a product. Append-only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Batch {
    /// Id.
    pub id: BatchId,
    /// Product.
    pub product_id: ProductId,
    /// The batch number printed on the package.
    pub batch_no: Label,
    /// Expiry date.
    pub expires_on: Option<NaiveDate>,
    /// When it was received.
    pub received_at: Timestamp,
    /// Supplier.
    pub supplier: Option<Label>,
    /// What the whole batch cost, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<Money>,
}

/// Why stock moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum StockReason {
    /// Delivered (adds).
    Received,
    /// Used in a service (takes away).
    UsedInService {
        /// The service record.
        record_id: ServiceRecordId,
    },
    /// Sold to a customer (takes away).
    Sold,
    /// Expired and thrown away (takes away).
    Expired,
    /// Damaged (takes away).
    Damaged,
    /// Returned by a customer or to a supplier (either way).
    Returned,
    /// A stock-take correction (either way).
    Adjustment,
}

impl StockReason {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::UsedInService { .. } => "used_in_service",
            Self::Sold => "sold",
            Self::Expired => "expired",
            Self::Damaged => "damaged",
            Self::Returned => "returned",
            Self::Adjustment => "adjustment",
        }
    }
}

/// A stock movement: a delta, never an absolute value, so movements made offline on several devices add
/// up correctly. Append-only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StockMovement {
    /// Id.
    pub id: StockMovementId,
    /// Product.
    pub product_id: ProductId,
    /// Batch, if known.
    pub batch_id: Option<BatchId>,
    /// Change in units (+ in, − out).
    pub delta: i64,
    /// Why.
    #[serde(flatten)]
    pub reason: StockReason,
    /// When.
    pub at: Timestamp,
    /// Who.
    pub by: StaffId,
}

impl StockMovement {
    /// Checks the delta against its reason.
    pub fn validate(&self) -> Result<(), ProductError> {
        if self.delta == 0 {
            return Err(ProductError::ZeroMovement);
        }
        if self.delta.unsigned_abs() > crate::record::MAX_DELTA.unsigned_abs() {
            return Err(ProductError::DeltaTooLarge {
                max: crate::record::MAX_DELTA,
            });
        }
        let ok = match self.reason {
            StockReason::Received => self.delta > 0,
            StockReason::UsedInService { .. }
            | StockReason::Sold
            | StockReason::Expired
            | StockReason::Damaged => self.delta < 0,
            StockReason::Returned | StockReason::Adjustment => true,
        };
        if ok {
            Ok(())
        } else {
            Err(ProductError::WrongSign {
                reason: self.reason.code().to_owned(),
                delta: self.delta,
            })
        }
    }
}

/// Stock per product and per batch, summed from movements.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockLevels {
    /// Per product.
    pub by_product: BTreeMap<ProductId, i64>,
    /// Per batch.
    pub by_batch: BTreeMap<BatchId, i64>,
}

impl StockLevels {
    /// Sums movements.
    pub fn from_movements<'a>(movements: impl IntoIterator<Item = &'a StockMovement>) -> Self {
        let mut s = Self::default();
        for m in movements {
            let level = s.by_product.entry(m.product_id).or_default();
            *level = level.saturating_add(m.delta);
            if let Some(b) = m.batch_id {
                let level = s.by_batch.entry(b).or_default();
                *level = level.saturating_add(m.delta);
            }
        }
        s
    }
    /// Stock of a product.
    pub fn product(&self, id: ProductId) -> i64 {
        self.by_product.get(&id).copied().unwrap_or(0)
    }
}

/// A product at or below its threshold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LowStock {
    /// Product.
    pub product_id: ProductId,
    /// Stock now.
    pub level: i64,
    /// Threshold.
    pub threshold: i64,
}

/// Active products at or below their low-stock threshold.
pub fn low_stock<'a>(
    products: impl IntoIterator<Item = &'a Product>,
    levels: &StockLevels,
) -> Vec<LowStock> {
    products
        .into_iter()
        .filter(|p| p.active)
        .filter_map(|p| {
            let level = levels.product(p.id);
            (level <= p.low_stock_threshold).then_some(LowStock {
                product_id: p.id,
                level,
                threshold: p.low_stock_threshold,
            })
        })
        .collect()
}

/// A batch in stock that has expired or expires soon.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpiryAlert {
    /// Batch.
    pub batch_id: BatchId,
    /// Product.
    pub product_id: ProductId,
    /// Expiry date.
    pub expires_on: NaiveDate,
    /// Days left (negative once expired).
    pub days_left: i64,
    /// Units still in stock.
    pub level: i64,
}

/// Batches still in stock that expire within `within_days` of `today` (or already have), soonest first.
pub fn expiring<'a>(
    batches: impl IntoIterator<Item = &'a Batch>,
    levels: &StockLevels,
    today: NaiveDate,
    within_days: u32,
) -> Vec<ExpiryAlert> {
    let mut out: Vec<ExpiryAlert> = batches
        .into_iter()
        .filter_map(|b| {
            let expires_on = b.expires_on?;
            let level = levels.by_batch.get(&b.id).copied().unwrap_or(0);
            let days_left = (expires_on - today).num_days();
            (level > 0 && days_left <= i64::from(within_days)).then_some(ExpiryAlert {
                batch_id: b.id,
                product_id: b.product_id,
                expires_on,
                days_left,
                level,
            })
        })
        .collect();
    out.sort_by_key(|a| (a.expires_on, a.batch_id));
    out
}

/// The service records that used a batch (to trace reactions and complaints to a batch).
pub fn records_using_batch<'a>(
    movements: impl IntoIterator<Item = &'a StockMovement>,
    batch: BatchId,
) -> Vec<ServiceRecordId> {
    let mut out: Vec<ServiceRecordId> = movements
        .into_iter()
        .filter(|m| m.batch_id == Some(batch))
        .filter_map(|m| match m.reason {
            StockReason::UsedInService { record_id } => Some(record_id),
            _ => None,
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// How many days ahead a batch's expiry raises an alert when the store has not said
/// (`StoreSettings::expiry_warning_days`).
pub const DEFAULT_EXPIRY_WARNING_DAYS: u32 = 30;

/// The batch of `product` to use first: one still in stock and not expired, the one expiring
/// soonest (a batch without an expiry date last), the oldest received among equals. `None` when
/// no batch of it is in stock and usable. Using the soonest first is what keeps stock from
/// expiring on the shelf (先进先出 by expiry).
pub fn first_to_use<'a>(
    product: ProductId,
    batches: impl IntoIterator<Item = &'a Batch>,
    levels: &StockLevels,
    today: NaiveDate,
) -> Option<&'a Batch> {
    batches
        .into_iter()
        .filter(|b| b.product_id == product)
        .filter(|b| levels.by_batch.get(&b.id).copied().unwrap_or(0) > 0)
        .filter(|b| b.expires_on.is_none_or(|d| d >= today))
        .min_by_key(|b| (b.expires_on.is_none(), b.expires_on, b.received_at, b.id))
}

/// What Today shows about stock: products at or below their threshold, batches in stock expiring
/// within the store's window, and batches in stock already past their date.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockAlerts {
    /// Products at or below their low-stock threshold, by product id.
    pub low: Vec<LowStock>,
    /// Batches in stock expiring today or within the window, soonest first.
    pub expiring: Vec<ExpiryAlert>,
    /// Batches in stock whose date has passed, oldest date first: to be thrown away.
    pub expired: Vec<ExpiryAlert>,
}

impl StockAlerts {
    /// True when there is nothing to show.
    pub fn is_empty(&self) -> bool {
        self.low.is_empty() && self.expiring.is_empty() && self.expired.is_empty()
    }
}

/// The stock alerts of a store on `today`, with its expiry window of `within_days`. A product
/// taken out of use raises no alert, nor do its batches.
pub fn stock_alerts(
    products: &[Product],
    batches: &[Batch],
    levels: &StockLevels,
    today: NaiveDate,
    within_days: u32,
) -> StockAlerts {
    let active = |id: ProductId| products.iter().any(|p| p.id == id && p.active);
    let (expired, expiring) = expiring(
        batches.iter().filter(|b| active(b.product_id)),
        levels,
        today,
        within_days,
    )
    .into_iter()
    .partition(|a| a.days_left < 0);
    StockAlerts {
        low: low_stock(products, levels),
        expiring,
        expired,
    }
}

/// The movement a stocktake (盘点) records for a batch: the counted quantity minus what the
/// movements say is there (`None` when they agree). Counts below zero are refused.
pub fn stocktake_delta(counted: i64, level: i64) -> Result<Option<i64>, ProductError> {
    if counted < 0 {
        return Err(ProductError::NegativeCount);
    }
    if counted > crate::record::MAX_DELTA {
        return Err(ProductError::DeltaTooLarge {
            max: crate::record::MAX_DELTA,
        });
    }
    let delta = counted.saturating_sub(level);
    Ok((delta != 0).then_some(delta))
}

/// Is a batch's expiry date already past on `today` (receiving one is allowed, but it is said)?
pub fn is_expired(expires_on: Option<NaiveDate>, today: NaiveDate) -> bool {
    expires_on.is_some_and(|d| d < today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::FieldSet;
    use crate::time::tests::cst;

    fn mv(id: u128, batch: Option<u128>, delta: i64, reason: StockReason) -> StockMovement {
        StockMovement {
            id: StockMovementId::from_u128(id),
            product_id: ProductId::from_u128(1),
            batch_id: batch.map(BatchId::from_u128),
            delta,
            reason,
            at: cst(2025, 3, 1, 10, 0),
            by: StaffId::from_u128(1),
        }
    }

    #[test]
    fn movement_signs() {
        assert!(mv(1, None, 10, StockReason::Received).validate().is_ok());
        assert_eq!(
            mv(1, None, -1, StockReason::Received)
                .validate()
                .unwrap_err()
                .code(),
            "stock.wrong_sign"
        );
        assert_eq!(
            mv(1, None, 0, StockReason::Adjustment)
                .validate()
                .unwrap_err()
                .code(),
            "stock.zero_movement"
        );
        assert!(mv(1, None, -1, StockReason::Sold).validate().is_ok());
        assert!(mv(1, None, 1, StockReason::Sold).validate().is_err());
        assert!(mv(1, None, -3, StockReason::Adjustment).validate().is_ok());
        assert!(ProductField::LowStockThreshold(-1).check().is_err());
    }

    #[test]
    fn levels_alerts_and_trace() {
        let rec = ServiceRecordId::from_u128(77);
        let ms = [
            mv(1, Some(1), 10, StockReason::Received),
            mv(2, Some(2), 5, StockReason::Received),
            mv(
                3,
                Some(1),
                -2,
                StockReason::UsedInService { record_id: rec },
            ),
            mv(4, Some(2), -5, StockReason::Sold),
        ];
        let levels = StockLevels::from_movements(&ms);
        assert_eq!(levels.product(ProductId::from_u128(1)), 8);
        assert_eq!(levels.by_batch[&BatchId::from_u128(2)], 0);
        let mut p = Product::blank(ProductId::from_u128(1), StoreId::from_u128(1));
        p.low_stock_threshold = 8;
        assert_eq!(low_stock([&p], &levels).len(), 1);
        p.low_stock_threshold = 7;
        assert!(low_stock([&p], &levels).is_empty());
        let today = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
        let batch = |id, d| Batch {
            id: BatchId::from_u128(id),
            product_id: ProductId::from_u128(1),
            batch_no: Label::parse("B1").unwrap(),
            expires_on: NaiveDate::from_ymd_opt(2025, 3, d),
            received_at: cst(2025, 1, 1, 0, 0),
            supplier: None,
            cost: None,
        };
        let b1 = batch(1, 31);
        let b2 = batch(2, 5); // empty: no alert
        assert_eq!(expiring([&b1, &b2], &levels, today, 30).len(), 1);
        assert!(expiring([&b1], &levels, today, 29).is_empty());
        assert_eq!(records_using_batch(&ms, BatchId::from_u128(1)), vec![rec]);
    }

    fn batch_of(id: u128, product: u128, expires: Option<(u32, u32)>, received_day: u32) -> Batch {
        Batch {
            id: BatchId::from_u128(id),
            product_id: ProductId::from_u128(product),
            batch_no: Label::parse(&format!("B{id}")).unwrap(),
            expires_on: expires.and_then(|(m, d)| NaiveDate::from_ymd_opt(2025, m, d)),
            received_at: cst(2025, 1, received_day, 0, 0),
            supplier: None,
            cost: None,
        }
    }

    fn stock(batch: u128, product: u128, delta: i64) -> StockMovement {
        StockMovement {
            product_id: ProductId::from_u128(product),
            ..mv(batch * 100, Some(batch), delta, StockReason::Received)
        }
    }

    #[test]
    fn the_batch_expiring_first_is_used_first() {
        let today = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
        let late = batch_of(1, 1, Some((6, 1)), 1);
        let soon = batch_of(2, 1, Some((4, 1)), 2);
        let no_date = batch_of(3, 1, None, 1);
        let empty_sooner = batch_of(4, 1, Some((3, 10)), 1);
        let expired = batch_of(5, 1, Some((2, 20)), 1);
        let other_product = batch_of(6, 2, Some((3, 2)), 1);
        let levels = StockLevels::from_movements(&[
            stock(1, 1, 10),
            stock(2, 1, 10),
            stock(3, 1, 10),
            stock(5, 1, 10),
            stock(6, 2, 10),
        ]);
        let all = [
            &late,
            &soon,
            &no_date,
            &empty_sooner,
            &expired,
            &other_product,
        ];
        let pick = |bs: &[&Batch]| {
            first_to_use(ProductId::from_u128(1), bs.iter().copied(), &levels, today).map(|b| b.id)
        };
        // Not the empty batch, not the expired one, not another product's: the soonest in stock.
        assert_eq!(pick(&all), Some(soon.id));
        assert_eq!(pick(&[&late, &no_date]), Some(late.id));
        assert_eq!(pick(&[&no_date]), Some(no_date.id));
        // Expiring today is still usable today.
        let today_batch = batch_of(7, 1, Some((3, 1)), 1);
        let levels_today = StockLevels::from_movements(&[stock(7, 1, 1), stock(1, 1, 1)]);
        assert_eq!(
            first_to_use(
                ProductId::from_u128(1),
                [&late, &today_batch],
                &levels_today,
                today
            )
            .map(|b| b.id),
            Some(today_batch.id)
        );
        assert_eq!(pick(&[&expired, &empty_sooner]), None);
        // Same date: the one received first.
        let twin = batch_of(8, 1, Some((4, 1)), 1);
        let levels_twins = StockLevels::from_movements(&[stock(2, 1, 1), stock(8, 1, 1)]);
        assert_eq!(
            first_to_use(
                ProductId::from_u128(1),
                [&soon, &twin],
                &levels_twins,
                today
            )
            .map(|b| b.id),
            Some(twin.id)
        );
    }

    #[test]
    fn alerts_split_low_expiring_and_expired() {
        let today = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
        let mut cream = Product::blank(ProductId::from_u128(1), StoreId::from_u128(1));
        cream.low_stock_threshold = 100;
        let mut serum = Product::blank(ProductId::from_u128(2), StoreId::from_u128(1));
        serum.low_stock_threshold = 5;
        let mut retired = Product::blank(ProductId::from_u128(3), StoreId::from_u128(1));
        retired.active = false;
        retired.low_stock_threshold = 1_000;
        let batches = [
            batch_of(1, 1, Some((3, 31)), 1), // 30 days: in the window
            batch_of(2, 1, Some((4, 1)), 1),  // 31 days: not yet
            batch_of(3, 2, Some((2, 28)), 1), // expired yesterday
            batch_of(4, 2, Some((3, 1)), 1),  // expires today: expiring, not expired
            batch_of(5, 3, Some((2, 1)), 1),  // a retired product's: no alert
            batch_of(6, 2, Some((1, 1)), 1),  // expired but empty: no alert
        ];
        let levels = StockLevels::from_movements(&[
            stock(1, 1, 60),
            stock(2, 1, 40),
            stock(3, 2, 3),
            stock(4, 2, 3),
            stock(5, 3, 3),
        ]);
        let alerts = stock_alerts(
            &[cream.clone(), serum.clone(), retired],
            &batches,
            &levels,
            today,
            DEFAULT_EXPIRY_WARNING_DAYS,
        );
        // Cream: 100 ≤ 100 is low; serum 6 > 5 is not; the retired product never is.
        assert_eq!(
            alerts.low,
            vec![LowStock {
                product_id: cream.id,
                level: 100,
                threshold: 100
            }]
        );
        let ids = |v: &[ExpiryAlert]| v.iter().map(|a| a.batch_id).collect::<Vec<_>>();
        assert_eq!(
            ids(&alerts.expiring),
            vec![BatchId::from_u128(4), BatchId::from_u128(1)]
        );
        assert_eq!(ids(&alerts.expired), vec![BatchId::from_u128(3)]);
        assert_eq!(alerts.expired[0].days_left, -1);
        assert!(!alerts.is_empty());
        // A shorter window drops the batch 30 days out.
        let week = stock_alerts(&[cream, serum], &batches, &levels, today, 7);
        assert_eq!(ids(&week.expiring), vec![BatchId::from_u128(4)]);
    }

    #[test]
    fn stocktake_records_the_difference() {
        assert_eq!(stocktake_delta(495, 500), Ok(Some(-5)));
        assert_eq!(stocktake_delta(12, 10), Ok(Some(2)));
        assert_eq!(stocktake_delta(10, 10), Ok(None));
        assert_eq!(stocktake_delta(-1, 10), Err(ProductError::NegativeCount));
        assert_eq!(
            stocktake_delta(crate::record::MAX_DELTA + 1, 0)
                .unwrap_err()
                .code(),
            "stock.delta_too_large"
        );
        let today = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
        assert!(is_expired(NaiveDate::from_ymd_opt(2025, 2, 28), today));
        assert!(!is_expired(Some(today), today));
        assert!(!is_expired(None, today));
    }
}
