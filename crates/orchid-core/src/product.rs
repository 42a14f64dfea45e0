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
    /// Retail price, if sold.
    pub price: Option<Money>,
    /// In use.
    pub active: bool,
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
        Name(Name) => name, Ordinary;
        /// Brand.
        Brand(Option<Label>) => brand, Ordinary;
        /// Unit.
        Unit(StockUnit) => unit, Ordinary;
        /// Allergens.
        Allergens(Vec<Tag>) => allergens, Ordinary;
        /// Low-stock threshold.
        LowStockThreshold(i64) => low_stock_threshold, Ordinary;
        /// Price.
        Price(Option<Money>) => price, Ordinary;
        /// Active.
        Active(bool) => active, Ordinary;
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
        };
        let b1 = batch(1, 31);
        let b2 = batch(2, 5); // empty: no alert
        assert_eq!(expiring([&b1, &b2], &levels, today, 30).len(), 1);
        assert!(expiring([&b1], &levels, today, 29).is_empty());
        assert_eq!(records_using_batch(&ms, BatchId::from_u128(1)), vec![rec]);
    }
}
