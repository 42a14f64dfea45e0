//! Customer care and loyalty (客户关怀): membership levels, points and prepaid packages, all as deltas so
//! that changes made offline on several devices add up; re-engagement of lapsed customers.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::catalog::Money;
use crate::ids::{
    CheckoutId, CustomerId, LoyaltyDeltaId, PackageId, ServiceId, ServiceRecordId, StaffId,
};
use crate::text::Note;
use crate::time::Timestamp;

/// Invalid loyalty changes.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "code")]
pub enum LoyaltyError {
    /// A change of zero.
    #[serde(rename = "loyalty.zero_delta")]
    #[error("a change of zero points or sessions")]
    ZeroDelta,
    /// A package with no sessions or a negative price.
    #[serde(rename = "loyalty.bad_package")]
    #[error("a package needs 1–1000 sessions and a price of zero or more")]
    BadPackage,
    /// A stored-value change whose sign does not fit its reason (a top-up takes nothing away).
    #[serde(rename = "loyalty.wrong_sign")]
    #[error("the amount's sign does not fit the reason")]
    WrongSign,
    /// A change too large to be real (see [`crate::record::MAX_DELTA`]).
    #[serde(rename = "loyalty.delta_too_large")]
    #[error("a change of more than {max} is refused")]
    DeltaTooLarge {
        /// The largest allowed.
        max: i64,
    },
}

impl LoyaltyError {
    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::ZeroDelta => "loyalty.zero_delta",
            Self::BadPackage => "loyalty.bad_package",
            Self::WrongSign => "loyalty.wrong_sign",
            Self::DeltaTooLarge { .. } => "loyalty.delta_too_large",
        }
    }
}

/// Membership level (会员等级).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum MembershipLevel {
    /// Not a member.
    #[default]
    None,
    /// 普通会员.
    Standard,
    /// 银卡.
    Silver,
    /// 金卡.
    Gold,
    /// 钻石卡.
    Diamond,
}

impl MembershipLevel {
    /// Every level, lowest first.
    pub const ALL: [Self; 5] = [
        Self::None,
        Self::Standard,
        Self::Silver,
        Self::Gold,
        Self::Diamond,
    ];
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Standard => "standard",
            Self::Silver => "silver",
            Self::Gold => "gold",
            Self::Diamond => "diamond",
        }
    }
    /// The level of a code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }
}

/// Why points changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PointsReason {
    /// Earned by spending.
    Purchase,
    /// Earned by a referral.
    Referral,
    /// Birthday gift.
    Birthday,
    /// Redeemed.
    Redeemed,
    /// Goodwill (e.g. a complaint's solution).
    Goodwill,
    /// Correction.
    Adjustment,
    /// Expired.
    Expired,
}

/// What changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LoyaltyChange {
    /// Points added (+) or taken (−).
    Points {
        /// Change.
        delta: i64,
        /// Why.
        reason: PointsReason,
    },
    /// A prepaid package (疗程卡) bought.
    PackagePurchased {
        /// The package.
        package_id: PackageId,
        /// For which service.
        service_id: ServiceId,
        /// Sessions bought.
        sessions: u32,
        /// Price paid.
        price: Money,
        /// Valid until.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expires_on: Option<NaiveDate>,
    },
    /// Sessions used (−) or given back (+).
    PackageSessions {
        /// The package.
        package_id: PackageId,
        /// Change.
        delta: i32,
        /// The service record that used it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        record_id: Option<ServiceRecordId>,
    },
    /// Membership level set (the latest by time wins).
    Level {
        /// The level.
        level: MembershipLevel,
    },
    /// Money on the customer's stored-value card (储值卡) added (+) or taken (−).
    StoredValue {
        /// Change, in fen.
        delta: Money,
        /// Why.
        reason: StoredValueReason,
    },
}

/// Why the money on a stored-value card changed. A top-up with a bonus is two deltas (the money
/// paid, the bonus given), so the store's liability and its gifts stay apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StoredValueReason {
    /// Money the customer paid onto the card (+).
    TopUp,
    /// The store's bonus on a top-up (+), e.g. pay 1,000 get 1,200.
    Bonus,
    /// Paid for a check-out (−).
    Spend,
    /// Given back: a voided check-out's spend (+) or money refunded off the card (−).
    Refund,
    /// A correction by the manager, e.g. settling an overdrawn card (either way).
    Correction,
    /// The money left on her card in the system the store used before, brought in by an import
    /// (either way: an old system may have let a card go below zero). Not a sale, not a gift.
    Opening,
}

impl StoredValueReason {
    /// Every reason, in a stable order.
    pub const ALL: [Self; 6] = [
        Self::TopUp,
        Self::Bonus,
        Self::Spend,
        Self::Refund,
        Self::Correction,
        Self::Opening,
    ];
    /// Does a delta of this sign fit the reason?
    fn fits(self, delta: Money) -> bool {
        match self {
            Self::TopUp | Self::Bonus => delta.0 > 0,
            Self::Spend => delta.0 < 0,
            Self::Refund | Self::Correction | Self::Opening => delta.0 != 0,
        }
    }
}

/// A loyalty change. Append-only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoyaltyDelta {
    /// Id.
    pub id: LoyaltyDeltaId,
    /// Whose.
    pub customer_id: CustomerId,
    /// When.
    pub at: Timestamp,
    /// Who.
    pub by: StaffId,
    /// What.
    #[serde(flatten)]
    pub change: LoyaltyChange,
    /// Note.
    #[serde(default)]
    pub note: Note,
    /// The check-out (or its void) that made it, if one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkout_id: Option<CheckoutId>,
}

impl LoyaltyDelta {
    /// Blanks the note once the customer is erased; the movement stays (balances still add up).
    pub fn erase_personal(&mut self) -> bool {
        let Self {
            id: _,
            customer_id: _,
            at: _,
            by: _,
            change: _,
            note,
            checkout_id: _,
        } = self;
        crate::record::erase(note)
    }
    /// What a person needs to write this change. Top-ups, packages sold, points and what a
    /// check-out or its void writes are the desk's ([`Action::LoyaltyAdjust`]); a correction of
    /// the card, an opening balance brought from the store's old system (money the store owes,
    /// taken on without a payment), sessions given back outside a check-out's void (settling an
    /// overdrawn package) and a level set are the manager's ([`Action::LoyaltyCorrect`]): a level
    /// is a discount on every later bill, so a top-up that reaches one sets it only when the
    /// manager takes it.
    ///
    /// [`Action::LoyaltyAdjust`]: crate::permission::Action::LoyaltyAdjust
    /// [`Action::LoyaltyCorrect`]: crate::permission::Action::LoyaltyCorrect
    pub fn required_action(&self) -> crate::permission::Action {
        use crate::permission::Action;
        let by_checkout = self.checkout_id.is_some();
        match &self.change {
            LoyaltyChange::StoredValue {
                reason: StoredValueReason::Correction | StoredValueReason::Opening,
                ..
            } => Action::LoyaltyCorrect,
            LoyaltyChange::PackageSessions {
                delta, record_id, ..
            } if *delta > 0 && record_id.is_none() && !by_checkout => Action::LoyaltyCorrect,
            LoyaltyChange::Level { .. } => Action::LoyaltyCorrect,
            _ => Action::LoyaltyAdjust,
        }
    }
    /// Checks the change.
    pub fn validate(&self) -> Result<(), LoyaltyError> {
        let too_large = LoyaltyError::DeltaTooLarge {
            max: crate::record::MAX_DELTA,
        };
        match &self.change {
            LoyaltyChange::Points { delta, .. } if delta.unsigned_abs() > MAX_DELTA_ABS => {
                return Err(too_large);
            }
            LoyaltyChange::PackagePurchased { price, .. } if price.0 > crate::record::MAX_DELTA => {
                return Err(too_large);
            }
            LoyaltyChange::StoredValue { delta, .. } if delta.0.unsigned_abs() > MAX_DELTA_ABS => {
                return Err(too_large);
            }
            _ => {}
        }
        match &self.change {
            LoyaltyChange::Points { delta: 0, .. }
            | LoyaltyChange::PackageSessions { delta: 0, .. }
            | LoyaltyChange::StoredValue {
                delta: Money(0), ..
            } => Err(LoyaltyError::ZeroDelta),
            LoyaltyChange::StoredValue { delta, reason } if !reason.fits(*delta) => {
                Err(LoyaltyError::WrongSign)
            }
            LoyaltyChange::PackagePurchased {
                sessions, price, ..
            } if *sessions == 0 || *sessions > 1000 || price.0 < 0 => Err(LoyaltyError::BadPackage),
            _ => Ok(()),
        }
    }
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// The largest change one delta may make, up or down (points, sessions, or fen of stored value).
pub const MAX_DELTA_ABS: u64 = crate::record::MAX_DELTA.unsigned_abs();

/// A package's balance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageBalance {
    /// The package.
    pub package_id: PackageId,
    /// For which service (none if sessions arrived before the purchase).
    pub service_id: Option<ServiceId>,
    /// Sessions bought.
    pub bought: u32,
    /// Sessions left (can go negative if used offline beyond the balance: flag it).
    pub remaining: i64,
    /// Valid until.
    pub expires_on: Option<NaiveDate>,
}

/// A customer's loyalty balances.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoyaltyBalance {
    /// Points.
    pub points: i64,
    /// Level.
    pub level: MembershipLevel,
    /// Packages.
    pub packages: Vec<PackageBalance>,
    /// Money on the stored-value card (can go negative if spent offline beyond the balance).
    #[serde(default)]
    pub stored_value: Money,
}

impl LoyaltyBalance {
    /// Is anything below zero (sessions or money used offline on two devices at once)? A
    /// manager settles it with the customer.
    pub fn is_overdrawn(&self) -> bool {
        self.stored_value.0 < 0 || self.packages.iter().any(|p| p.remaining < 0)
    }
}

impl LoyaltyBalance {
    /// Sums the deltas of one customer (in any order).
    pub fn from_deltas<'a>(deltas: impl IntoIterator<Item = &'a LoyaltyDelta>) -> Self {
        let mut points = 0i64;
        let mut stored_value = 0i64;
        let mut level: Option<(Timestamp, LoyaltyDeltaId, MembershipLevel)> = None;
        // A customer holds a few packages: a list searched in place beats a map (the balances of a
        // store's 10,000 customers are summed on the device).
        let mut packages: Vec<PackageBalance> = Vec::new();
        fn package(list: &mut Vec<PackageBalance>, package_id: PackageId) -> &mut PackageBalance {
            let i = match list.iter().position(|p| p.package_id == package_id) {
                Some(i) => i,
                None => {
                    list.push(PackageBalance {
                        package_id,
                        service_id: None,
                        bought: 0,
                        remaining: 0,
                        expires_on: None,
                    });
                    list.len() - 1
                }
            };
            &mut list[i]
        }
        for d in deltas {
            match &d.change {
                LoyaltyChange::Points { delta, .. } => points = points.saturating_add(*delta),
                LoyaltyChange::Level { level: l } => {
                    if level.is_none_or(|(at, id, _)| (d.at, d.id) > (at, id)) {
                        level = Some((d.at, d.id, *l));
                    }
                }
                LoyaltyChange::PackagePurchased {
                    package_id,
                    service_id,
                    sessions,
                    expires_on,
                    ..
                } => {
                    let p = package(&mut packages, *package_id);
                    p.service_id = Some(*service_id);
                    p.bought += sessions;
                    p.remaining = p.remaining.saturating_add(i64::from(*sessions));
                    p.expires_on = *expires_on;
                }
                LoyaltyChange::PackageSessions {
                    package_id, delta, ..
                } => {
                    let p = package(&mut packages, *package_id);
                    p.remaining = p.remaining.saturating_add(i64::from(*delta));
                }
                LoyaltyChange::StoredValue { delta, .. } => {
                    stored_value = stored_value.saturating_add(delta.0);
                }
            }
        }
        packages.sort_by_key(|p| p.package_id);
        Self {
            points,
            stored_value: Money(stored_value),
            level: level.map(|l| l.2).unwrap_or_default(),
            packages,
        }
    }
}

/// A top-up offer: pay this much, get this bonus on the card (e.g. pay 1,000 get 200 more).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TopUpOffer {
    /// Paid at least.
    pub pay: Money,
    /// Bonus.
    pub bonus: Money,
}

/// Top-up offers as a person writes them, "1000=200, 5000=1500" (paid = bonus, in yuan; commas
/// or Chinese commas between offers; empty: none), or `None` when one is not of that shape.
pub fn parse_offers(raw: &str) -> Option<Vec<TopUpOffer>> {
    raw.split([',', '，', ';', '；'])
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (pay, bonus) = part.split_once(['=', '＝'])?;
            let pay = Money::parse_yuan(pay)?;
            let bonus = Money::parse_yuan(bonus)?;
            (pay.0 > 0).then_some(TopUpOffer { pay, bonus })
        })
        .collect()
}

/// The offers as [`parse_offers`] reads them back.
pub fn offers_text(offers: &[TopUpOffer]) -> String {
    offers
        .iter()
        .map(|o| format!("{}={}", o.pay, o.bonus))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A level a customer reaches by one top-up of at least an amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LevelThreshold {
    /// A top-up of at least this.
    pub top_up: Money,
    /// Gives this level.
    pub level: MembershipLevel,
}

/// A store's membership rules (store settings): points, discounts, top-up offers, levels.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct LoyaltyRules {
    /// Points earned per whole yuan paid. 0–100; default 1.
    pub points_per_yuan: u32,
    /// Points that take one yuan off a bill at check-out (e.g. 100); 0: points do not pay.
    /// 0–10,000; default 0.
    #[serde(skip_serializing_if = "is_zero")]
    pub points_per_yuan_off: u32,
    /// Discount percent for each level (0–50), in level order: standard, silver, gold, diamond.
    pub level_discounts: [u8; 4],
    /// Top-up offers, any order.
    pub top_up_offers: Vec<TopUpOffer>,
    /// Levels reached by a top-up, any order.
    pub level_thresholds: Vec<LevelThreshold>,
}

impl Default for LoyaltyRules {
    fn default() -> Self {
        Self {
            points_per_yuan: 1,
            points_per_yuan_off: 0,
            level_discounts: [0; 4],
            top_up_offers: Vec::new(),
            level_thresholds: Vec::new(),
        }
    }
}

impl LoyaltyRules {
    /// The discount percent of a level.
    pub fn discount_for(&self, level: MembershipLevel) -> u8 {
        let i = match level {
            MembershipLevel::None => return 0,
            MembershipLevel::Standard => 0,
            MembershipLevel::Silver => 1,
            MembershipLevel::Gold => 2,
            MembershipLevel::Diamond => 3,
        };
        self.level_discounts[i].min(100)
    }
    /// What `held` points may take off `due` by the store's rule, in whole yuan: the points
    /// used and the money they cover (none when points do not pay or cover not one yuan).
    pub fn points_off(&self, held: i64, due: Money) -> Option<(i64, Money)> {
        let per = i64::from(self.points_per_yuan_off);
        if per == 0 || held <= 0 || due.0 < 100 {
            return None;
        }
        let yuan = (held / per).min(due.0 / 100);
        (yuan > 0).then(|| (yuan.saturating_mul(per), Money(yuan.saturating_mul(100))))
    }
    /// Points earned on money paid (whole yuan only).
    pub fn points_for(&self, paid: Money) -> i64 {
        (paid.0.max(0) / 100).saturating_mul(i64::from(self.points_per_yuan))
    }
    /// The bonus of the best offer a top-up of `paid` reaches (none: zero).
    pub fn bonus_for(&self, paid: Money) -> Money {
        self.top_up_offers
            .iter()
            .filter(|o| paid >= o.pay)
            .map(|o| o.bonus)
            .max()
            .unwrap_or_default()
    }
    /// The highest level a top-up of `paid` reaches, if any.
    pub fn level_for_top_up(&self, paid: Money) -> Option<MembershipLevel> {
        self.level_thresholds
            .iter()
            .filter(|t| paid >= t.top_up)
            .map(|t| t.level)
            .max()
    }
    /// Checks the ranges: the (setting, value, min, max) out of range, if any.
    pub fn out_of_range(&self) -> Option<(&'static str, i64, i64, i64)> {
        if self.points_per_yuan > 100 {
            return Some((
                "loyalty.points_per_yuan",
                self.points_per_yuan.into(),
                0,
                100,
            ));
        }
        if self.points_per_yuan_off > 10_000 {
            return Some((
                "loyalty.points_per_yuan_off",
                self.points_per_yuan_off.into(),
                0,
                10_000,
            ));
        }
        let names = [
            "loyalty.level_discounts.standard",
            "loyalty.level_discounts.silver",
            "loyalty.level_discounts.gold",
            "loyalty.level_discounts.diamond",
        ];
        if let Some((name, d)) = names
            .into_iter()
            .zip(self.level_discounts)
            .find(|(_, d)| *d > 50)
        {
            return Some((name, d.into(), 0, 50));
        }
        let money = |m: Money| !(0..=crate::record::MAX_DELTA).contains(&m.0);
        if let Some(o) = self
            .top_up_offers
            .iter()
            .find(|o| money(o.pay) || money(o.bonus))
        {
            return Some((
                "loyalty.top_up_offers",
                o.bonus.0,
                0,
                crate::record::MAX_DELTA,
            ));
        }
        if self.top_up_offers.len() > 20 || self.level_thresholds.len() > 20 {
            return Some(("loyalty.offers", 21, 0, 20));
        }
        None
    }
}

/// Customers whose last visit is at least `after_days` before `today` (for re-engagement), longest first.
pub fn lapsed(
    last_visits: &BTreeMap<CustomerId, NaiveDate>,
    today: NaiveDate,
    after_days: u32,
) -> Vec<(CustomerId, i64)> {
    let mut out: Vec<(CustomerId, i64)> = last_visits
        .iter()
        .map(|(c, d)| (*c, (today - *d).num_days()))
        .filter(|(_, days)| *days >= i64::from(after_days))
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::tests::cst;

    fn d(id: u128, day: u32, change: LoyaltyChange) -> LoyaltyDelta {
        LoyaltyDelta {
            id: LoyaltyDeltaId::from_u128(id),
            customer_id: CustomerId::from_u128(1),
            at: cst(2025, 3, day, 10, 0),
            by: StaffId::from_u128(1),
            change,
            note: Note::default(),
            checkout_id: None,
        }
    }

    #[test]
    fn balances_in_any_order() {
        let pkg = PackageId::from_u128(5);
        let ds = vec![
            d(
                1,
                1,
                LoyaltyChange::Points {
                    delta: 100,
                    reason: PointsReason::Purchase,
                },
            ),
            d(
                2,
                2,
                LoyaltyChange::Points {
                    delta: -30,
                    reason: PointsReason::Redeemed,
                },
            ),
            d(
                3,
                3,
                LoyaltyChange::Level {
                    level: MembershipLevel::Gold,
                },
            ),
            d(
                4,
                1,
                LoyaltyChange::Level {
                    level: MembershipLevel::Silver,
                },
            ),
            d(
                5,
                4,
                LoyaltyChange::PackageSessions {
                    package_id: pkg,
                    delta: -1,
                    record_id: None,
                },
            ),
            d(
                6,
                1,
                LoyaltyChange::PackagePurchased {
                    package_id: pkg,
                    service_id: ServiceId::from_u128(2),
                    sessions: 10,
                    price: Money::yuan(2980, 0),
                    expires_on: None,
                },
            ),
        ];
        let a = LoyaltyBalance::from_deltas(&ds);
        let mut rev = ds.clone();
        rev.reverse();
        assert_eq!(LoyaltyBalance::from_deltas(&rev), a);
        assert_eq!(a.points, 70);
        assert_eq!(a.level, MembershipLevel::Gold);
        assert_eq!(a.packages[0].remaining, 9);
        assert_eq!(a.packages[0].bought, 10);
    }

    #[test]
    fn corrections_and_levels_need_the_manager_the_desks_changes_do_not() {
        use crate::permission::Action;
        let need = |change: LoyaltyChange, by_checkout: bool| {
            let mut delta = d(1, 1, change);
            delta.checkout_id = by_checkout.then(|| CheckoutId::from_u128(5));
            delta.required_action()
        };
        let card = |delta: i64, reason| LoyaltyChange::StoredValue {
            delta: Money(delta),
            reason,
        };
        let sessions = |delta, record_id| LoyaltyChange::PackageSessions {
            package_id: PackageId::from_u128(9),
            delta,
            record_id,
        };
        assert_eq!(
            need(card(500, StoredValueReason::TopUp), false),
            Action::LoyaltyAdjust
        );
        assert_eq!(
            need(card(-500, StoredValueReason::Spend), true),
            Action::LoyaltyAdjust
        );
        assert_eq!(
            need(card(500, StoredValueReason::Refund), true),
            Action::LoyaltyAdjust
        );
        assert_eq!(
            need(card(500, StoredValueReason::Correction), false),
            Action::LoyaltyCorrect
        );
        // Sessions used at a visit or a check-out, or given back by a void: the desk's.
        assert_eq!(need(sessions(-1, None), true), Action::LoyaltyAdjust);
        assert_eq!(
            need(sessions(-1, Some(ServiceRecordId::from_u128(3))), false),
            Action::LoyaltyAdjust
        );
        assert_eq!(need(sessions(1, None), true), Action::LoyaltyAdjust);
        // Given back outside a void: the settle of an overdrawn package.
        assert_eq!(need(sessions(1, None), false), Action::LoyaltyCorrect);
        assert_eq!(
            need(
                LoyaltyChange::Level {
                    level: MembershipLevel::Gold
                },
                false
            ),
            Action::LoyaltyCorrect
        );
    }

    #[test]
    fn validation() {
        assert_eq!(
            d(
                1,
                1,
                LoyaltyChange::Points {
                    delta: 0,
                    reason: PointsReason::Adjustment
                }
            )
            .validate()
            .unwrap_err()
            .code(),
            "loyalty.zero_delta"
        );
        let bad = LoyaltyChange::PackagePurchased {
            package_id: PackageId::from_u128(1),
            service_id: ServiceId::from_u128(1),
            sessions: 0,
            price: Money(0),
            expires_on: None,
        };
        assert_eq!(
            d(1, 1, bad).validate().unwrap_err().code(),
            "loyalty.bad_package"
        );
    }

    #[test]
    fn offers_are_read_as_written_and_back() {
        let offers = parse_offers(" 1000=200，5000 = 1500 ").unwrap();
        assert_eq!(
            offers,
            vec![
                TopUpOffer {
                    pay: Money::yuan(1000, 0),
                    bonus: Money::yuan(200, 0)
                },
                TopUpOffer {
                    pay: Money::yuan(5000, 0),
                    bonus: Money::yuan(1500, 0)
                },
            ]
        );
        assert_eq!(parse_offers(&offers_text(&offers)), Some(offers));
        assert_eq!(parse_offers(""), Some(Vec::new()));
        assert_eq!(parse_offers("1000"), None);
        assert_eq!(parse_offers("0=100"), None);
        assert_eq!(parse_offers("一千=200"), None);
    }

    #[test]
    fn lapsed_customers() {
        let today = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
        let mut m = BTreeMap::new();
        m.insert(
            CustomerId::from_u128(1),
            NaiveDate::from_ymd_opt(2025, 3, 3).unwrap(),
        ); // 90 days
        m.insert(
            CustomerId::from_u128(2),
            NaiveDate::from_ymd_opt(2025, 3, 4).unwrap(),
        ); // 89 days
        m.insert(
            CustomerId::from_u128(3),
            NaiveDate::from_ymd_opt(2024, 6, 1).unwrap(),
        );
        let l = lapsed(&m, today, 90);
        assert_eq!(
            l,
            vec![
                (CustomerId::from_u128(3), 365),
                (CustomerId::from_u128(1), 90)
            ]
        );
    }
}
