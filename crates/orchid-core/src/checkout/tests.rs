use super::*;
use crate::hlc::Hlc;
use crate::ids::ClientId;
use crate::loyalty::LevelThreshold;
use crate::role::Role;
use crate::sync::{Actor, Mutation, Replica};
use crate::time::tests::cst;

const STORE: StoreId = StoreId::from_u128(100);
const HER: CustomerId = CustomerId::from_u128(7);
const FACIAL: ServiceId = ServiceId::from_u128(20);
const MASSAGE: ServiceId = ServiceId::from_u128(21);
const CREAM: ProductId = ProductId::from_u128(30);
const PKG: PackageId = PackageId::from_u128(40);
const DESK: StaffId = StaffId::from_u128(3);
const MANAGER: StaffId = StaffId::from_u128(2);

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, 10).unwrap()
}

fn service(id: ServiceId, yuan: i64) -> BillLine {
    BillLine {
        item: LineItem::Service { service_id: id },
        name: Label::parse("面部护理").unwrap(),
        quantity: 1,
        unit_price: Money::yuan(yuan, 0),
    }
}

fn cream(quantity: u32) -> BillLine {
    BillLine {
        item: LineItem::Product {
            product_id: CREAM,
            batch_id: Some(BatchId::from_u128(31)),
        },
        name: Label::parse("保湿霜").unwrap(),
        quantity,
        unit_price: Money::yuan(150, 0),
    }
}

fn balance(sessions: i64, card_yuan: i64, expires_on: Option<NaiveDate>) -> LoyaltyBalance {
    LoyaltyBalance {
        points: 0,
        level: MembershipLevel::Gold,
        packages: vec![PackageBalance {
            package_id: PKG,
            service_id: Some(FACIAL),
            bought: 10,
            remaining: sessions,
            expires_on,
        }],
        stored_value: Money::yuan(card_yuan, 0),
    }
}

fn rules() -> LoyaltyRules {
    LoyaltyRules {
        level_discounts: [0, 5, 10, 15],
        ..LoyaltyRules::default()
    }
}

fn request<'a>(
    lines: &'a [BillLine],
    balance: Option<&'a LoyaltyBalance>,
    rules: &'a LoyaltyRules,
) -> BillRequest<'a> {
    BillRequest {
        lines,
        balance,
        rules,
        today: today(),
        outside: OutsideMeans::WechatPay,
        use_packages: true,
        use_stored_value: true,
        use_points: false,
    }
}

#[test]
fn a_package_pays_for_its_service_first_then_the_card_if_it_covers_the_rest() {
    let lines = [service(FACIAL, 380), service(MASSAGE, 200), cream(1)];
    let her = balance(3, 1000, Some(today()));
    let rules = rules();
    let b = bill(&request(&lines, Some(&her), &rules));
    assert_eq!(b.discount_percent, 10);
    assert_eq!(b.subtotal, Money::yuan(730, 0));
    assert_eq!(b.total, Money::yuan(657, 0));
    assert_eq!(b.discount, Money::yuan(73, 0));
    assert_eq!(
        b.payments,
        vec![
            Payment::PackageSession {
                package_id: PKG,
                service_id: FACIAL,
                sessions: 1,
                value: Money::yuan(342, 0),
            },
            Payment::StoredValue {
                amount: Money::yuan(315, 0)
            },
        ]
    );
    // Points on the money paid (the session was paid when the package was bought).
    assert_eq!(b.points_earned, 315);
}

#[test]
fn a_card_short_of_the_rest_leaves_it_all_to_the_outside_means() {
    let lines = [service(MASSAGE, 200)];
    let her = balance(3, 100, None);
    let rules = rules();
    let b = bill(&request(&lines, Some(&her), &rules));
    assert_eq!(
        b.payments,
        vec![Payment::Outside {
            means: OutsideMeans::WechatPay,
            amount: Money::yuan(180, 0)
        }]
    );
}

#[test]
fn an_expired_or_used_up_package_does_not_pay() {
    let lines = [service(FACIAL, 380)];
    let rules = LoyaltyRules::default();
    let yesterday = today().pred_opt();
    for her in [
        balance(3, 0, yesterday),
        balance(0, 0, None),
        balance(-1, 0, None),
    ] {
        let b = bill(&request(&lines, Some(&her), &rules));
        assert!(
            matches!(b.payments.as_slice(), [Payment::Outside { amount, .. }] if *amount == Money::yuan(380, 0)),
            "{:?}",
            b.payments
        );
    }
    // Two facials and one session left: the session pays one, the other is paid.
    let two = [BillLine {
        quantity: 2,
        ..service(FACIAL, 380)
    }];
    let her = balance(1, 0, None);
    let b = bill(&request(&two, Some(&her), &rules));
    assert_eq!(b.payments.len(), 2);
    assert_eq!(b.payments[1].money(), Money::yuan(380, 0));
}

#[test]
fn an_anonymous_sale_has_no_discount_card_or_points() {
    let lines = [cream(2)];
    let rules = rules();
    let b = bill(&request(&lines, None, &rules));
    assert_eq!(b.total, Money::yuan(300, 0));
    assert_eq!(b.points_earned, 0);
    assert!(matches!(b.payments.as_slice(), [Payment::Outside { .. }]));
}

#[test]
fn store_rules_give_bonus_and_level_by_top_up() {
    let rules = LoyaltyRules {
        top_up_offers: vec![
            TopUpOffer {
                pay: Money::yuan(1000, 0),
                bonus: Money::yuan(200, 0),
            },
            TopUpOffer {
                pay: Money::yuan(5000, 0),
                bonus: Money::yuan(1500, 0),
            },
        ],
        level_thresholds: vec![LevelThreshold {
            top_up: Money::yuan(5000, 0),
            level: MembershipLevel::Gold,
        }],
        ..LoyaltyRules::default()
    };
    assert_eq!(rules.bonus_for(Money::yuan(999, 0)), Money(0));
    assert_eq!(rules.bonus_for(Money::yuan(1000, 0)), Money::yuan(200, 0));
    assert_eq!(rules.bonus_for(Money::yuan(6000, 0)), Money::yuan(1500, 0));
    assert_eq!(rules.level_for_top_up(Money::yuan(1000, 0)), None);
    assert_eq!(
        rules.level_for_top_up(Money::yuan(5000, 0)),
        Some(MembershipLevel::Gold)
    );
    assert_eq!(rules.points_for(Money(199)), 1);
    let mut bad = rules.clone();
    bad.level_discounts[2] = 60;
    assert!(bad.out_of_range().is_some());
}

use crate::loyalty::TopUpOffer;

fn checkout(id: u128, lines: Vec<BillLine>, her: &LoyaltyBalance, by: StaffId) -> Checkout {
    let rules = LoyaltyRules::default();
    let b = bill(&request(&lines, Some(her), &rules));
    Checkout {
        id: CheckoutId::from_u128(id),
        store_id: STORE,
        customer_id: Some(HER),
        appointment_id: None,
        lines,
        level: b.level,
        discount_percent: b.discount_percent,
        subtotal: b.subtotal,
        total: b.total,
        payments: b.payments,
        points_earned: b.points_earned,
        at: cst(2025, 3, 10, 11, 0),
        by,
    }
}

fn apply_all(
    r: &mut Replica,
    client: u128,
    first: u64,
    role: Role,
    by: StaffId,
    changes: Vec<Change>,
) {
    let client = ClientId::from_u128(client);
    for (i, change) in changes.into_iter().enumerate() {
        let n = first + i as u64;
        let m = Mutation {
            client_id: client,
            mutation_id: n,
            hlc: Hlc::new(1_000 + n, 0, client),
            actor: Actor { staff_id: by, role },
            store_id: STORE,
            change,
        };
        m.validate().unwrap();
        r.apply(&m).unwrap();
    }
}

fn bought(r: &mut Replica, sessions: u32) {
    apply_all(
        r,
        9,
        1,
        Role::Reception,
        DESK,
        vec![Change::LoyaltyDelta(LoyaltyDelta {
            id: LoyaltyDeltaId::from_u128(500),
            customer_id: HER,
            at: cst(2025, 3, 1, 10, 0),
            by: DESK,
            change: LoyaltyChange::PackagePurchased {
                package_id: PKG,
                service_id: FACIAL,
                sessions,
                price: Money::yuan(2980, 0),
                expires_on: None,
            },
            note: Note::default(),
            checkout_id: None,
        })],
    );
}

#[test]
fn a_check_out_writes_its_deltas_and_stock_once_however_often_it_is_written() {
    let mut r = Replica::new();
    bought(&mut r, 10);
    let c = checkout(
        1,
        vec![service(FACIAL, 380), cream(2)],
        &r.loyalty(HER),
        DESK,
    );
    let changes = sale_changes(&c);
    // The record, a session, points for the cream, the stock out.
    assert_eq!(changes.len(), 4);
    assert_eq!(sale_changes(&c), changes);
    apply_all(&mut r, 1, 1, Role::Reception, DESK, changes.clone());
    // A retry from another session of the same device, under new mutation ids.
    apply_all(&mut r, 1, 10, Role::Reception, DESK, changes);
    let after = r.loyalty(HER);
    assert_eq!(after.packages[0].remaining, 9);
    assert_eq!(after.points, 300);
    let moved: i64 = r.stock_movements(STORE).iter().map(|m| m.delta).sum();
    assert_eq!(moved, -2);
    assert_eq!(r.checkouts(STORE).len(), 1);
    assert_eq!(r.checkouts_of_customer(HER)[0].checkout.id, c.id);
}

#[test]
fn a_void_gives_everything_back_and_deletes_nothing() {
    let mut r = Replica::new();
    bought(&mut r, 10);
    let c = checkout(
        1,
        vec![service(FACIAL, 380), cream(1)],
        &r.loyalty(HER),
        DESK,
    );
    apply_all(&mut r, 1, 1, Role::Reception, DESK, sale_changes(&c));
    let void = CheckoutVoid {
        checkout_id: c.id,
        reason: Label::parse("顾客退货").unwrap(),
        at: cst(2025, 3, 10, 12, 0),
        by: MANAGER,
    };
    // The desk may not void.
    let refused = Mutation {
        client_id: ClientId::from_u128(1),
        mutation_id: 5,
        hlc: Hlc::new(5_000, 0, ClientId::from_u128(1)),
        actor: Actor {
            staff_id: MANAGER,
            role: Role::Reception,
        },
        store_id: STORE,
        change: Change::CheckoutVoid(void.clone()),
    };
    assert_eq!(refused.validate().unwrap_err().code(), "permission.denied");
    apply_all(
        &mut r,
        2,
        1,
        Role::Manager,
        MANAGER,
        void_changes(&c, &void),
    );
    let after = r.loyalty(HER);
    assert_eq!(after.packages[0].remaining, 10);
    assert_eq!(after.points, 0);
    assert_eq!(
        r.stock_movements(STORE)
            .iter()
            .map(|m| m.delta)
            .sum::<i64>(),
        0
    );
    let view = r.checkout(c.id).unwrap();
    assert_eq!(view.void.unwrap().reason.as_str(), "顾客退货");
    // Every delta stays: the sale's and the void's.
    assert_eq!(r.loyalty_deltas(HER).len(), 1 + 2 + 2);
}

#[test]
fn two_devices_offline_redeem_the_last_session_both_kept_balance_minus_one_overdrawn() {
    let mut first = Replica::new();
    bought(&mut first, 1);
    let mut second = first.clone();
    // Each device sees one session left and redeems it.
    let a = checkout(1, vec![service(FACIAL, 380)], &first.loyalty(HER), DESK);
    let b = checkout(2, vec![service(FACIAL, 380)], &second.loyalty(HER), DESK);
    assert!(matches!(a.payments[0], Payment::PackageSession { .. }));
    assert!(matches!(b.payments[0], Payment::PackageSession { .. }));
    apply_all(&mut first, 1, 1, Role::Reception, DESK, sale_changes(&a));
    apply_all(&mut second, 2, 1, Role::Reception, DESK, sale_changes(&b));
    assert!(first.overdrawn(STORE).is_empty());
    // They sync.
    apply_all(&mut first, 2, 1, Role::Reception, DESK, sale_changes(&b));
    apply_all(&mut second, 1, 1, Role::Reception, DESK, sale_changes(&a));
    for r in [&first, &second] {
        assert_eq!(r.checkouts(STORE).len(), 2);
        assert_eq!(r.loyalty(HER).packages[0].remaining, -1);
        let owed = r.overdrawn(STORE);
        assert_eq!(owed.len(), 1);
        assert_eq!(owed[0].customer_id, HER);
        assert_eq!(owed[0].packages[0].remaining, -1);
        assert_eq!(owed[0].stored_value, None);
    }
}

#[test]
fn bad_check_outs_are_refused() {
    let her = balance(0, 0, None);
    let good = checkout(1, vec![service(MASSAGE, 200)], &her, DESK);
    assert_eq!(good.validate(), Ok(()));
    let mut empty = good.clone();
    empty.lines.clear();
    assert_eq!(empty.validate(), Err(CheckoutError::NoLines));
    let mut zero = good.clone();
    zero.lines[0].quantity = 0;
    assert_eq!(zero.validate(), Err(CheckoutError::BadLine));
    let mut short = good.clone();
    short.payments.clear();
    assert_eq!(short.validate(), Err(CheckoutError::PaymentsDoNotAddUp));
    let mut anonymous_card = good.clone();
    anonymous_card.customer_id = None;
    anonymous_card.payments = vec![Payment::StoredValue { amount: good.total }];
    assert_eq!(anonymous_card.validate(), Err(CheckoutError::NeedsCustomer));
    // A therapist does not take payment.
    let m = Mutation {
        client_id: ClientId::from_u128(1),
        mutation_id: 1,
        hlc: Hlc::new(1, 0, ClientId::from_u128(1)),
        actor: Actor {
            staff_id: DESK,
            role: Role::Therapist,
        },
        store_id: STORE,
        change: Change::CheckoutRecord(good),
    };
    assert_eq!(m.validate().unwrap_err().code(), "permission.denied");
}

#[test]
fn stored_value_top_up_with_bonus_spend_and_sign_checks() {
    let delta = |id: u128, cents: i64, reason: StoredValueReason| LoyaltyDelta {
        id: LoyaltyDeltaId::from_u128(id),
        customer_id: HER,
        at: cst(2025, 3, 1, 10, 0),
        by: DESK,
        change: LoyaltyChange::StoredValue {
            delta: Money(cents),
            reason,
        },
        note: Note::default(),
        checkout_id: None,
    };
    let ds = [
        delta(1, 100_000, StoredValueReason::TopUp),
        delta(2, 20_000, StoredValueReason::Bonus),
        delta(3, -130_000, StoredValueReason::Spend),
    ];
    assert!(ds.iter().all(|d| d.validate().is_ok()));
    let b = LoyaltyBalance::from_deltas(&ds);
    assert_eq!(b.stored_value, Money(-10_000));
    assert!(b.is_overdrawn());
    assert_eq!(
        delta(4, -5, StoredValueReason::TopUp)
            .validate()
            .unwrap_err()
            .code(),
        "loyalty.wrong_sign"
    );
    assert_eq!(
        delta(5, 0, StoredValueReason::Correction)
            .validate()
            .unwrap_err()
            .code(),
        "loyalty.zero_delta"
    );
}

#[test]
fn a_level_the_manager_sets_gives_its_discount_at_the_next_check_out() {
    use crate::loyalty::LoyaltyChange;
    let level = |id: u128, day: u32, level| LoyaltyDelta {
        id: LoyaltyDeltaId::from_u128(id),
        customer_id: HER,
        at: crate::time::tests::cst(2025, 3, day, 10, 0),
        by: MANAGER,
        change: LoyaltyChange::Level { level },
        note: Note::default(),
        checkout_id: None,
    };
    // Silver first, then Gold: the latest wins (whatever order the devices sync in).
    let deltas = [
        level(2, 5, MembershipLevel::Gold),
        level(1, 4, MembershipLevel::Silver),
    ];
    let her = LoyaltyBalance::from_deltas(&deltas);
    assert_eq!(her.level, MembershipLevel::Gold);
    assert_eq!(
        deltas[0].required_action(),
        crate::permission::Action::LoyaltyCorrect
    );
    let lines = [service(MASSAGE, 300)];
    let rules = rules();
    let b = bill(&request(&lines, Some(&her), &rules));
    assert_eq!(b.discount_percent, 10);
    assert_eq!(b.total, Money::yuan(270, 0));
    assert_eq!(
        b.payments,
        vec![Payment::Outside {
            means: OutsideMeans::WechatPay,
            amount: Money::yuan(270, 0)
        }]
    );
    for l in MembershipLevel::ALL {
        assert_eq!(MembershipLevel::from_code(l.code()), Some(l));
    }
}

#[test]
fn points_pay_in_whole_yuan_after_the_packages_never_more_than_she_has_or_the_bill() {
    let rules = LoyaltyRules {
        points_per_yuan_off: 100,
        ..rules()
    };
    let mut her = balance(0, 0, None);
    her.level = MembershipLevel::None;
    her.points = 25_050;
    // ¥300 massage: ¥250 off for 25,000 points (the 50 left cover no whole yuan), ¥50 by WeChat.
    let lines = [service(MASSAGE, 300)];
    let mut req = request(&lines, Some(&her), &rules);
    req.use_points = true;
    let b = bill(&req);
    assert_eq!(
        b.payments,
        vec![
            Payment::Points {
                points: 25_000,
                value: Money::yuan(250, 0)
            },
            Payment::Outside {
                means: OutsideMeans::WechatPay,
                amount: Money::yuan(50, 0)
            }
        ]
    );
    // Points earn on the ¥50 of money only.
    assert_eq!(b.points_earned, 50);
    // A ¥100 cream: not more than the bill.
    let lines = [BillLine {
        unit_price: Money::yuan(100, 0),
        ..cream(1)
    }];
    let mut req = request(&lines, Some(&her), &rules);
    req.use_points = true;
    let b = bill(&req);
    assert_eq!(
        b.payments,
        vec![Payment::Points {
            points: 10_000,
            value: Money::yuan(100, 0)
        }]
    );
    // Not used unless the desk asks, nor when the store's rule is off.
    req.use_points = false;
    assert!(
        !bill(&req)
            .payments
            .iter()
            .any(|p| matches!(p, Payment::Points { .. }))
    );
    let off = LoyaltyRules {
        level_discounts: [0, 5, 10, 15],
        ..LoyaltyRules::default()
    };
    let mut req = request(&lines, Some(&her), &off);
    req.use_points = true;
    assert!(
        !bill(&req)
            .payments
            .iter()
            .any(|p| matches!(p, Payment::Points { .. }))
    );

    // Written as a negative points delta; a void gives them back.
    let b = bill(&request(&[service(MASSAGE, 300)], Some(&her), &rules));
    assert!(
        b.payments
            .iter()
            .all(|p| !matches!(p, Payment::Points { .. }))
    );
    let mut c = checkout(90, vec![service(MASSAGE, 300)], &her, DESK);
    c.discount_percent = 0;
    c.total = Money::yuan(300, 0);
    c.subtotal = Money::yuan(300, 0);
    c.points_earned = 50;
    c.payments = vec![
        Payment::Points {
            points: 25_000,
            value: Money::yuan(250, 0),
        },
        Payment::Outside {
            means: OutsideMeans::Cash,
            amount: Money::yuan(50, 0),
        },
    ];
    assert_eq!(c.validate(), Ok(()));
    let points = |changes: &[crate::sync::Change]| -> i64 {
        changes
            .iter()
            .filter_map(|ch| match ch {
                crate::sync::Change::LoyaltyDelta(LoyaltyDelta {
                    change: LoyaltyChange::Points { delta, .. },
                    ..
                }) => Some(*delta),
                _ => None,
            })
            .sum()
    };
    assert_eq!(points(&sale_changes(&c)), -25_000 + 50);
    let void = CheckoutVoid {
        checkout_id: c.id,
        reason: Label::parse("改约").unwrap(),
        at: c.at,
        by: MANAGER,
    };
    assert_eq!(points(&void_changes(&c, &void)), 25_000 - 50);
    let mut bad = c.clone();
    bad.payments[0] = Payment::Points {
        points: 0,
        value: Money::yuan(250, 0),
    };
    assert_eq!(bad.validate(), Err(CheckoutError::BadAmount));
}
