//! Reads and writes of check-out and memberships ([products & loyalty] items 4–6): a customer's
//! balances and their history, the bill worked out by the core, and the writes that must go
//! together — a check-out with its loyalty deltas and stock moves, a void with its opposite
//! deltas, a top-up with its bonus — each in one transaction, ids derived by the core so a
//! retried write makes no duplicates.
use chrono::{Months, NaiveDate, Utc};
use orchid_core::catalog::Money;
use orchid_core::checkout::{
    self, Bill, BillLine, BillRequest, Checkout, CheckoutView, CheckoutVoid, LineItem,
    OutsideMeans, Overdrawn,
};
use orchid_core::ids::{AppointmentId, CheckoutId, CustomerId, PackageId, ServiceId};
use orchid_core::loyalty::{
    LoyaltyBalance, LoyaltyChange, LoyaltyDelta, LoyaltyRules, MembershipLevel, StoredValueReason,
};
use orchid_core::permission::{self, Action, Sensitivity};
use orchid_core::product::Product;
use orchid_core::sync::Change;
use orchid_core::text::{Label, Note};

use super::StoreHandle;
use super::store::{new_id, store_record};
use crate::storage::repo::StoreError;

/// "¥380.00".
pub fn money_text(m: Money) -> String {
    format!("¥{m}")
}

/// What the desk chose for a bill: the customer, the visit, the lines and how to pay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BillDraft {
    /// The customer (none: an anonymous retail sale).
    pub customer_id: Option<CustomerId>,
    /// The visit it closes.
    pub appointment_id: Option<AppointmentId>,
    /// The lines.
    pub lines: Vec<BillLine>,
    /// The means for what her cards do not cover.
    pub outside: OutsideMeans,
    /// Use her packages.
    pub use_packages: bool,
    /// Use her stored-value card.
    pub use_stored_value: bool,
    /// Take her points off, by the store's rule.
    pub use_points: bool,
}

impl Default for BillDraft {
    fn default() -> Self {
        Self {
            customer_id: None,
            appointment_id: None,
            lines: Vec::new(),
            outside: OutsideMeans::WechatPay,
            use_packages: true,
            use_stored_value: true,
            use_points: false,
        }
    }
}

/// A top-up of a stored-value card.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TopUp {
    /// Money paid.
    pub paid: Money,
    /// The store's bonus.
    pub bonus: Money,
}

/// A package sold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageSale {
    /// For which service.
    pub service_id: ServiceId,
    /// Sessions.
    pub sessions: u32,
    /// Price paid.
    pub price: Money,
    /// Valid for this many months (none: no expiry).
    pub valid_months: Option<u32>,
}

impl StoreHandle {
    /// May the active person take payment?
    pub fn may_check_out(&self) -> bool {
        permission::allowed(self.role(), Action::Checkout, Sensitivity::Ordinary)
    }

    /// May the active person void a check-out?
    pub fn may_void_checkouts(&self) -> bool {
        permission::allowed(self.role(), Action::CheckoutVoid, Sensitivity::Ordinary)
    }

    /// May the active person set a customer's level and settle an overdrawn balance?
    pub fn may_correct_loyalty(&self) -> bool {
        permission::allowed(self.role(), Action::LoyaltyCorrect, Sensitivity::Ordinary)
    }

    /// May the active person read the store's sales and stock report?
    pub fn may_read_sales(&self) -> bool {
        permission::allowed(self.role(), Action::SalesReportView, Sensitivity::Ordinary)
    }

    /// May the active person top up cards and sell packages?
    pub fn may_adjust_loyalty(&self) -> bool {
        permission::allowed(self.role(), Action::LoyaltyAdjust, Sensitivity::Ordinary)
    }

    /// The store's membership rules (the core's defaults while the store has no record).
    pub fn loyalty_rules(&self) -> LoyaltyRules {
        store_record(*self)
            .map(|s| s.settings.loyalty)
            .unwrap_or_default()
    }

    /// A customer's balances, summed from every delta on the device.
    pub fn balance_of(&self, customer: CustomerId) -> LoyaltyBalance {
        self.with_view(|v, _| v.loyalty(customer))
            .unwrap_or_default()
    }

    /// A customer's loyalty movements, newest first.
    pub fn loyalty_history(&self, customer: CustomerId) -> Vec<LoyaltyDelta> {
        let mut list = self
            .with_view(|v, _| v.loyalty_deltas(customer))
            .unwrap_or_default();
        list.reverse();
        list
    }

    /// A customer's check-outs, newest first.
    pub fn checkouts_of(&self, customer: CustomerId) -> Vec<CheckoutView> {
        self.with_view(|v, _| v.checkouts_of_customer(customer))
            .unwrap_or_default()
    }

    /// The store's check-outs, newest first.
    pub fn checkouts(&self) -> Vec<CheckoutView> {
        self.with_view(|v, s| v.checkouts(s)).unwrap_or_default()
    }

    /// One check-out.
    pub fn checkout(&self, id: CheckoutId) -> Option<CheckoutView> {
        self.with_view(|v, _| v.checkout(id)).flatten()
    }

    /// The check-out that closed a visit, if any (not voided).
    pub fn checkout_of_visit(&self, appointment: AppointmentId) -> Option<CheckoutView> {
        self.checkouts()
            .into_iter()
            .find(|c| c.void.is_none() && c.checkout.appointment_id == Some(appointment))
    }

    /// Customers whose sessions or card money are below zero.
    pub fn overdrawn(&self) -> Vec<Overdrawn> {
        self.with_view(|v, s| v.overdrawn(s)).unwrap_or_default()
    }

    /// Retail products in use (those with a price).
    pub fn retail_products(&self) -> Vec<Product> {
        self.all_products()
            .into_iter()
            .filter(|p| p.active && p.price.is_some())
            .collect()
    }

    /// The bill of a draft, by the core's rule, with the customer's balances as the device
    /// knows them.
    pub fn bill_of(&self, draft: &BillDraft) -> Bill {
        let balance = draft.customer_id.map(|c| self.balance_of(c));
        let rules = self.loyalty_rules();
        checkout::bill(&BillRequest {
            lines: &draft.lines,
            balance: balance.as_ref(),
            rules: &rules,
            today: self.store_today(),
            outside: draft.outside,
            use_packages: draft.use_packages,
            use_stored_value: draft.use_stored_value,
            use_points: draft.use_points,
        })
    }

    /// A service line at its catalogue price.
    pub fn service_line(&self, service: ServiceId) -> Option<BillLine> {
        let s = self.catalog().into_iter().find(|s| s.id == service)?;
        Some(BillLine {
            item: LineItem::Service { service_id: s.id },
            name: Label::parse(s.name.as_str()).ok()?,
            quantity: 1,
            unit_price: s.price,
        })
    }

    /// A product line at its retail price, out of the batch to use first.
    pub fn product_line(
        &self,
        product: orchid_core::ids::ProductId,
        quantity: u32,
    ) -> Option<BillLine> {
        let p = self.product(product)?;
        Some(BillLine {
            item: LineItem::Product {
                product_id: p.id,
                batch_id: self.first_batch_to_use(p.id),
            },
            name: Label::parse(p.name.as_str()).ok()?,
            quantity,
            unit_price: p.price?,
        })
    }

    /// Writes a check-out: the record, its loyalty deltas and its stock moves, in one
    /// transaction (the core's `sale_changes`). Returns the check-out written.
    pub async fn check_out(&self, draft: &BillDraft) -> Result<Checkout, StoreError> {
        let actor = self.actor()?;
        let store_id = self.store_id().ok_or(StoreError::NotReady)?;
        let bill = self.bill_of(draft);
        let record = Checkout {
            id: new_id(),
            store_id,
            customer_id: draft.customer_id,
            appointment_id: draft.appointment_id,
            lines: draft.lines.clone(),
            level: bill.level,
            discount_percent: bill.discount_percent,
            subtotal: bill.subtotal,
            total: bill.total,
            payments: bill.payments,
            points_earned: bill.points_earned,
            at: Utc::now(),
            by: actor.staff_id,
        };
        self.mutate_all(checkout::sale_changes(&record)).await?;
        Ok(record)
    }

    /// Voids a check-out with the reason: the void and its opposite deltas, in one transaction.
    pub async fn void_checkout(&self, id: CheckoutId, reason: Label) -> Result<(), StoreError> {
        let actor = self.actor()?;
        let Some(view) = self.checkout(id) else {
            return Err(StoreError::NotReady);
        };
        if view.void.is_some() {
            return Ok(());
        }
        let void = CheckoutVoid {
            checkout_id: id,
            reason,
            at: Utc::now(),
            by: actor.staff_id,
        };
        self.mutate_all(checkout::void_changes(&view.checkout, &void))
            .await
            .map(|_| ())
    }

    /// Tops up a customer's card: the money paid and the bonus as two deltas, and the level a
    /// top-up of this size reaches by the store's rules, in one transaction.
    pub async fn top_up(&self, customer: CustomerId, top_up: TopUp) -> Result<(), StoreError> {
        let actor = self.actor()?;
        let at = Utc::now();
        let delta = |change| {
            Change::LoyaltyDelta(LoyaltyDelta {
                id: new_id(),
                customer_id: customer,
                at,
                by: actor.staff_id,
                change,
                note: Note::default(),
                checkout_id: None,
            })
        };
        let mut changes = vec![delta(LoyaltyChange::StoredValue {
            delta: top_up.paid,
            reason: StoredValueReason::TopUp,
        })];
        if top_up.bonus.0 > 0 {
            changes.push(delta(LoyaltyChange::StoredValue {
                delta: top_up.bonus,
                reason: StoredValueReason::Bonus,
            }));
        }
        let current = self.balance_of(customer).level;
        // A level is the manager's to set (the core's `LoyaltyDelta::required_action`): at the
        // desk the top-up is written alone and the manager raises the level from the file.
        if let Some(level) = self.loyalty_rules().level_for_top_up(top_up.paid)
            && level > current
            && self.may_correct_loyalty()
        {
            changes.push(delta(LoyaltyChange::Level { level }));
        }
        self.mutate_all(changes).await.map(|_| ())
    }

    /// Sets a customer's level (the manager's: the core's `LoyaltyDelta::required_action`); the
    /// latest level set wins on every device.
    pub async fn set_level(
        &self,
        customer: CustomerId,
        level: MembershipLevel,
    ) -> Result<(), StoreError> {
        let actor = self.actor()?;
        self.mutate(Change::LoyaltyDelta(LoyaltyDelta {
            id: new_id(),
            customer_id: customer,
            at: Utc::now(),
            by: actor.staff_id,
            change: LoyaltyChange::Level { level },
            note: Note::default(),
            checkout_id: None,
        }))
        .await
        .map(|_| ())
    }

    /// Sells a package: sessions of a service, its price and expiry, as one delta.
    pub async fn sell_package(
        &self,
        customer: CustomerId,
        sale: PackageSale,
    ) -> Result<PackageId, StoreError> {
        let actor = self.actor()?;
        let today = self.store_today();
        let expires_on = sale.valid_months.and_then(|m| months_after(today, m));
        let package_id = new_id();
        self.mutate(Change::LoyaltyDelta(LoyaltyDelta {
            id: new_id(),
            customer_id: customer,
            at: Utc::now(),
            by: actor.staff_id,
            change: LoyaltyChange::PackagePurchased {
                package_id,
                service_id: sale.service_id,
                sessions: sale.sessions,
                price: sale.price,
                expires_on,
            },
            note: Note::default(),
            checkout_id: None,
        }))
        .await?;
        Ok(package_id)
    }

    /// Settles an overdrawn balance with the customer (she paid for the extra sessions or
    /// money, or the store waives it): a correction bringing each balance below zero back to
    /// zero, with the manager's note. Nothing is deleted; both check-outs stay.
    pub async fn settle_overdrawn(&self, owed: &Overdrawn, note: Note) -> Result<(), StoreError> {
        let actor = self.actor()?;
        let at = Utc::now();
        let mut changes = Vec::new();
        for p in &owed.packages {
            let Ok(delta) = i32::try_from(-p.remaining) else {
                continue;
            };
            changes.push(LoyaltyChange::PackageSessions {
                package_id: p.package_id,
                delta,
                record_id: None,
            });
        }
        if let Some(card) = owed.stored_value {
            changes.push(LoyaltyChange::StoredValue {
                delta: Money(-card.0),
                reason: StoredValueReason::Correction,
            });
        }
        let changes = changes
            .into_iter()
            .map(|change| {
                Change::LoyaltyDelta(LoyaltyDelta {
                    id: new_id(),
                    customer_id: owed.customer_id,
                    at,
                    by: actor.staff_id,
                    change,
                    note: note.clone(),
                    checkout_id: None,
                })
            })
            .collect();
        self.mutate_all(changes).await.map(|_| ())
    }
}

/// The day `months` after `day` (the month's last day when it has fewer days).
fn months_after(day: NaiveDate, months: u32) -> Option<NaiveDate> {
    day.checked_add_months(Months::new(months))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_package_valid_twelve_months_ends_on_the_same_day_next_year() {
        let day = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
        assert_eq!(months_after(day, 12), NaiveDate::from_ymd_opt(2027, 1, 31));
        assert_eq!(months_after(day, 1), NaiveDate::from_ymd_opt(2026, 2, 28));
        assert_eq!(money_text(Money::yuan(1200, 5)), "¥1200.05");
    }
}
