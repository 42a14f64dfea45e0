//! Reads and writes of products and stock ([products & loyalty]) for the Stock page, Today's
//! alerts and the bedside: stock levels summed from movements, the core's alerts with the store's
//! expiry window, and the writes that must go together — a batch received with its first
//! movement, a product used in a service with the stock it takes — each in one transaction.
use chrono::{NaiveDate, Utc};
use orchid_core::batch_trace::{self, BatchTrace};
use orchid_core::catalog::Money;
use orchid_core::ids::{BatchId, ProductId, ServiceRecordId};
use orchid_core::product::{
    self, Batch, DEFAULT_EXPIRY_WARNING_DAYS, Product, ProductField, StockAlerts, StockLevels,
    StockMovement, StockReason, StockUnit,
};
use orchid_core::sync::Change;
use orchid_core::text::Label;

use super::StoreHandle;
use super::store::{new_id, store_offset, store_record};
use crate::i18n::Lang;
use crate::i18n::stock_words::StockWord;
use crate::storage::repo::StoreError;

/// The short name of a unit: "ml", "g", "件"/"pcs".
pub fn unit_short(lang: Lang, unit: StockUnit) -> &'static str {
    match unit {
        StockUnit::Piece => StockWord::UnitPieceShort,
        StockUnit::Ml => StockWord::UnitMlShort,
        StockUnit::Gram => StockWord::UnitGramShort,
    }
    .text(lang)
}

/// "495 ml", "12 件".
pub fn quantity_text(lang: Lang, quantity: i64, unit: StockUnit) -> String {
    format!("{quantity} {}", unit_short(lang, unit))
}

/// A batch with what is left of it.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchStock {
    /// The batch.
    pub batch: Batch,
    /// Units in stock, summed from its movements.
    pub level: i64,
}

/// What receiving a batch needs (already parsed).
#[derive(Clone, Debug, PartialEq)]
pub struct Receipt {
    /// The product.
    pub product_id: ProductId,
    /// The number printed on the package.
    pub batch_no: Label,
    /// Its expiry date.
    pub expires_on: Option<NaiveDate>,
    /// Units received (above 0).
    pub quantity: i64,
    /// What the batch cost.
    pub cost: Option<Money>,
    /// Who delivered it.
    pub supplier: Option<Label>,
}

/// A product's stock used in a service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Usage {
    /// The product.
    pub product_id: ProductId,
    /// The batch, when one was chosen.
    pub batch_id: Option<BatchId>,
    /// Units used (above 0).
    pub quantity: u32,
}

impl StoreHandle {
    /// Where a batch went: the visits that used it, their customers and evaluations, and the
    /// complaints naming it (the core's `batch_trace`).
    pub fn batch_trace(&self, batch: BatchId) -> BatchTrace {
        self.with_view(|v, s| batch_trace::trace(v, s, batch, Utc::now()))
            .unwrap_or_default()
    }

    /// Recalls a batch: a care call planned today for each customer it reached, all in one
    /// write; recalling again plans no second call (the core's ids). How many customers.
    pub async fn recall_batch(&self, batch: BatchId) -> Result<usize, StoreError> {
        let trace = self.batch_trace(batch);
        let Some(found) = self.batches().into_iter().find(|b| b.id == batch) else {
            return Ok(0);
        };
        let changes = batch_trace::recall(&trace, batch, &found.batch_no, Utc::now());
        let count = changes.len();
        if count > 0 {
            self.mutate_all(changes).await?;
        }
        Ok(count)
    }

    /// The store's day today, in its time zone.
    pub fn store_today(&self) -> NaiveDate {
        store_offset(*self).local_date(Utc::now())
    }

    /// Every product of the store, those in use first, then by name.
    pub fn all_products(&self) -> Vec<Product> {
        let mut list = self.with_view(|v, s| v.products(s)).unwrap_or_default();
        list.sort_by(|a, b| {
            (!a.active, a.name.as_str(), a.id).cmp(&(!b.active, b.name.as_str(), b.id))
        });
        list
    }

    /// One product.
    pub fn product(&self, id: ProductId) -> Option<Product> {
        self.with_view(|v, _| v.product(id)).flatten()
    }

    /// Stock per product and per batch, summed from every movement on the device.
    pub fn stock_levels(&self) -> StockLevels {
        self.with_view(|v, s| v.stock_levels(s)).unwrap_or_default()
    }

    /// A product's batches with what is left of each, expiring soonest first (undated last).
    pub fn batches_of(&self, product: ProductId) -> Vec<BatchStock> {
        let levels = self.stock_levels();
        let mut list: Vec<BatchStock> = self
            .batches()
            .into_iter()
            .filter(|b| b.product_id == product)
            .map(|batch| BatchStock {
                level: levels.by_batch.get(&batch.id).copied().unwrap_or(0),
                batch,
            })
            .collect();
        list.sort_by_key(|b| {
            (
                b.batch.expires_on.is_none(),
                b.batch.expires_on,
                b.batch.received_at,
                b.batch.id,
            )
        });
        list
    }

    /// A product's movements, newest first.
    pub fn movements_of(&self, product: ProductId) -> Vec<StockMovement> {
        let mut list: Vec<StockMovement> = self
            .with_view(|v, s| v.stock_movements(s))
            .unwrap_or_default()
            .into_iter()
            .filter(|m| m.product_id == product)
            .collect();
        list.sort_by_key(|m| std::cmp::Reverse((m.at, m.id)));
        list
    }

    /// The batch of `product` to use first today (the core's `first_to_use`).
    pub fn first_batch_to_use(&self, product: ProductId) -> Option<BatchId> {
        let levels = self.stock_levels();
        let batches = self.batches();
        product::first_to_use(product, &batches, &levels, self.store_today()).map(|b| b.id)
    }

    /// Today's stock alerts, with the store's expiry window (the core's default while the store
    /// has no record yet).
    pub fn stock_alerts(&self) -> StockAlerts {
        product::stock_alerts(
            &self.all_products(),
            &self.batches(),
            &self.stock_levels(),
            self.store_today(),
            self.expiry_window(),
        )
    }

    /// How many days ahead a batch's expiry is announced: the store's setting, or the core's
    /// default while the store has no record yet.
    pub fn expiry_window(&self) -> u32 {
        store_record(*self).map_or(DEFAULT_EXPIRY_WARNING_DAYS, |s| {
            s.settings.expiry_warning_days
        })
    }

    /// Creates (`id` none) or changes a product; returns its id.
    pub async fn save_product(
        &self,
        id: Option<ProductId>,
        fields: Vec<ProductField>,
    ) -> Result<ProductId, StoreError> {
        let id = id.unwrap_or_else(new_id);
        self.mutate(Change::ProductUpsert { id, fields }).await?;
        Ok(id)
    }

    /// Receives a batch: the batch and the movement that puts its quantity in stock, together.
    pub async fn receive_batch(&self, receipt: Receipt) -> Result<BatchId, StoreError> {
        let actor = self.actor()?;
        let now = Utc::now();
        let batch = Batch {
            id: new_id(),
            product_id: receipt.product_id,
            batch_no: receipt.batch_no,
            expires_on: receipt.expires_on,
            received_at: now,
            supplier: receipt.supplier,
            cost: receipt.cost,
        };
        let id = batch.id;
        let movement = StockMovement {
            id: new_id(),
            product_id: receipt.product_id,
            batch_id: Some(id),
            delta: receipt.quantity,
            reason: StockReason::Received,
            at: now,
            by: actor.staff_id,
        };
        self.mutate_all(vec![Change::BatchAdd(batch), Change::StockMove(movement)])
            .await?;
        Ok(id)
    }

    /// Records a stocktake of one batch: the difference between what was counted and what the
    /// movements say, with the reason chosen. `Ok(false)` when they agree (nothing written).
    pub async fn record_count(
        &self,
        product_id: ProductId,
        batch_id: BatchId,
        counted: i64,
        reason: StockReason,
    ) -> Result<bool, StoreError> {
        let level = self
            .stock_levels()
            .by_batch
            .get(&batch_id)
            .copied()
            .unwrap_or(0);
        let delta = product::stocktake_delta(counted, level).map_err(rejected)?;
        let Some(delta) = delta else {
            return Ok(false);
        };
        let actor = self.actor()?;
        self.mutate(Change::StockMove(StockMovement {
            id: new_id(),
            product_id,
            batch_id: Some(batch_id),
            delta,
            reason,
            at: Utc::now(),
            by: actor.staff_id,
        }))
        .await?;
        Ok(true)
    }

    /// Writes a service record's entry of a product used together with the stock it takes out
    /// (a movement "used in service" naming the record): the record and the stock never
    /// disagree.
    pub async fn use_in_service(
        &self,
        record_id: ServiceRecordId,
        entry: Change,
        usage: Usage,
    ) -> Result<(), StoreError> {
        let actor = self.actor()?;
        let movement = StockMovement {
            id: new_id(),
            product_id: usage.product_id,
            batch_id: usage.batch_id,
            delta: -i64::from(usage.quantity),
            reason: StockReason::UsedInService { record_id },
            at: Utc::now(),
            by: actor.staff_id,
        };
        self.mutate_all(vec![entry, Change::StockMove(movement)])
            .await
            .map(|_| ())
    }
}

/// A core refusal as the store's error, so pages show it like any other.
fn rejected(e: product::ProductError) -> StoreError {
    let error = orchid_core::ValidationError::from(e);
    StoreError::Rejected {
        code: error.code(),
        error: Box::new(error),
    }
}
