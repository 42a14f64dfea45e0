#![allow(clippy::unwrap_used)]
use super::*;
use crate::catalog::StandardUse;
use crate::checkout::{BillLine, Checkout, CheckoutVoid, LineItem};
use crate::ids::{CheckoutId, PackageId, ServiceRecordId, StaffId, StockMovementId, StoreId};
use crate::loyalty::{LoyaltyChange, PointsReason, StoredValueReason};
use crate::service_record::ProductUse;
use crate::text::{Label, Note};
use crate::time::tests::cst;

const STORE: StoreId = StoreId::from_u128(100);
const DESK: StaffId = StaffId::from_u128(3);
const FACIAL: ServiceId = ServiceId::from_u128(20);
const MASSAGE: ServiceId = ServiceId::from_u128(21);
const CREAM: ProductId = ProductId::from_u128(30);
const OIL: ProductId = ProductId::from_u128(31);
const CREAM_A: BatchId = BatchId::from_u128(40);
const CREAM_B: BatchId = BatchId::from_u128(41);

fn china() -> UtcOffset {
    UtcOffset::from_minutes(480).unwrap()
}

fn december() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

fn batch(id: BatchId, product_id: ProductId, cost: Option<i64>) -> Batch {
    Batch {
        id,
        product_id,
        batch_no: Label::parse("B1").unwrap(),
        expires_on: None,
        received_at: cst(2026, 11, 1, 9, 0),
        supplier: None,
        cost: cost.map(|y| Money::yuan(y, 0)),
    }
}

fn movement(
    n: u128,
    product_id: ProductId,
    batch_id: Option<BatchId>,
    delta: i64,
    reason: StockReason,
    at: Timestamp,
) -> StockMovement {
    StockMovement {
        id: StockMovementId::from_u128(n),
        product_id,
        batch_id,
        delta,
        reason,
        at,
        by: DESK,
    }
}

fn record(
    n: u128,
    services: Vec<ServiceId>,
    products: Vec<(ProductId, u32)>,
    at: Timestamp,
) -> ServiceRecord {
    ServiceRecord {
        id: ServiceRecordId::from_u128(n),
        customer_id: CustomerId::from_u128(7),
        therapist_id: DESK,
        appointment_id: None,
        services,
        opened_at: at,
        answers: Vec::new(),
        consent_refused: false,
        check: None,
        override_by: None,
        plan: None,
        steps: Vec::new(),
        products: products
            .into_iter()
            .map(|(product_id, quantity)| ProductUse {
                product_id,
                batch_id: None,
                quantity,
                at,
            })
            .collect(),
        notes: Vec::new(),
        effect: None,
        evaluation_note: None,
        completed_at: None,
        ignored: Vec::new(),
    }
}

fn checkout(n: u128, payments: Vec<Payment>, at: Timestamp) -> Checkout {
    let total = Money(payments.iter().map(|p| p.value().0).sum());
    Checkout {
        id: CheckoutId::from_u128(n),
        store_id: STORE,
        customer_id: Some(CustomerId::from_u128(7)),
        appointment_id: None,
        lines: vec![BillLine {
            item: LineItem::Service { service_id: FACIAL },
            name: Label::parse("面部护理").unwrap(),
            quantity: 1,
            unit_price: total,
        }],
        level: Default::default(),
        discount_percent: 0,
        subtotal: total,
        total,
        payments,
        points_earned: 0,
        at,
        by: DESK,
    }
}

fn outside(means: OutsideMeans, yuan: i64) -> Payment {
    Payment::Outside {
        means,
        amount: Money::yuan(yuan, 0),
    }
}

fn delta(n: u128, customer: u128, change: LoyaltyChange, at: Timestamp) -> LoyaltyDelta {
    LoyaltyDelta {
        id: crate::ids::LoyaltyDeltaId::from_u128(n),
        customer_id: CustomerId::from_u128(customer),
        at,
        by: DESK,
        change,
        note: Note::default(),
        checkout_id: None,
    }
}

fn report(sources: SalesSources<'_>, now: Timestamp) -> SalesReport {
    sales_report(december(), china(), now, sources)
}

fn empty<'a>() -> SalesSources<'a> {
    SalesSources {
        batches: &[],
        movements: &[],
        records: &[],
        services: &[],
        checkouts: &[],
        loyalty: &[],
    }
}

#[test]
fn stock_is_valued_at_each_batchs_unit_cost_and_uncosted_stock_is_counted_apart() {
    // Cream: batch A 100 ml for ¥200 (¥2/ml), 30 ml used → 70 ml = ¥140; batch B 50 ml for
    // ¥150 (¥3/ml) → ¥150. Oil: a batch without a cost, 20 ml.
    let batches = [
        batch(CREAM_A, CREAM, Some(200)),
        batch(CREAM_B, CREAM, Some(150)),
        batch(BatchId::from_u128(42), OIL, None),
    ];
    let nov = cst(2026, 11, 2, 10, 0);
    let dec = cst(2026, 12, 3, 10, 0);
    let movements = [
        movement(1, CREAM, Some(CREAM_A), 100, StockReason::Received, nov),
        movement(2, CREAM, Some(CREAM_B), 50, StockReason::Received, dec),
        movement(
            3,
            CREAM,
            Some(CREAM_A),
            -30,
            StockReason::UsedInService {
                record_id: ServiceRecordId::from_u128(9),
            },
            dec,
        ),
        movement(
            4,
            OIL,
            Some(BatchId::from_u128(42)),
            20,
            StockReason::Received,
            dec,
        ),
    ];
    let r = report(
        SalesSources {
            batches: &batches,
            movements: &movements,
            ..empty()
        },
        cst(2026, 12, 20, 12, 0),
    );
    let cream = r.stock.iter().find(|p| p.product_id == CREAM).unwrap();
    assert_eq!(
        (cream.on_hand, cream.value, cream.uncosted),
        (120, Money::yuan(290, 0), 0)
    );
    let oil = r.stock.iter().find(|p| p.product_id == OIL).unwrap();
    assert_eq!((oil.on_hand, oil.value, oil.uncosted), (20, Money(0), 20));
    assert_eq!(r.stock_value, Money::yuan(290, 0));

    // As of the end of November, only batch A's 100 ml were there.
    let before = sales_report(
        NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        china(),
        cst(2026, 12, 20, 12, 0),
        SalesSources {
            batches: &batches,
            movements: &movements,
            ..empty()
        },
    );
    assert_eq!(before.stock_value, Money::yuan(200, 0));
    assert_eq!(before.as_of, cst(2026, 12, 1, 0, 0));
}

#[test]
fn movements_of_the_month_are_split_by_reason_in_store_time() {
    let movements = [
        // 1 December 07:30 China time is still 30 November in UTC: December's all the same.
        movement(
            1,
            CREAM,
            None,
            100,
            StockReason::Received,
            cst(2026, 12, 1, 7, 30),
        ),
        movement(
            2,
            CREAM,
            None,
            -5,
            StockReason::Sold,
            cst(2026, 12, 2, 10, 0),
        ),
        movement(
            3,
            CREAM,
            None,
            -7,
            StockReason::UsedInService {
                record_id: ServiceRecordId::from_u128(9),
            },
            cst(2026, 12, 2, 11, 0),
        ),
        movement(
            4,
            CREAM,
            None,
            -2,
            StockReason::Adjustment,
            cst(2026, 12, 31, 23, 59),
        ),
        movement(
            5,
            CREAM,
            None,
            -1,
            StockReason::Damaged,
            cst(2026, 12, 5, 9, 0),
        ),
        // 1 January China time: not December's.
        movement(
            6,
            CREAM,
            None,
            -50,
            StockReason::Sold,
            cst(2027, 1, 1, 0, 1),
        ),
        movement(
            7,
            CREAM,
            None,
            10,
            StockReason::Received,
            cst(2026, 11, 30, 23, 59),
        ),
    ];
    let r = report(
        SalesSources {
            movements: &movements,
            ..empty()
        },
        cst(2027, 1, 5, 12, 0),
    );
    let m = &r.movements[&CREAM];
    assert_eq!(
        (m.received, m.sold, m.used, m.stocktake, m.other),
        (100, -5, -7, -2, -1)
    );
    assert_eq!(m.net(), 85);
}

#[test]
fn usage_per_service_counts_visits_and_units_of_the_month() {
    let dec = cst(2026, 12, 3, 10, 0);
    let records = [
        record(1, vec![FACIAL], vec![(CREAM, 5), (CREAM, 3), (OIL, 2)], dec),
        record(2, vec![FACIAL, MASSAGE], vec![(CREAM, 4)], dec),
        record(3, vec![MASSAGE], vec![(OIL, 10)], dec),
        record(4, vec![MASSAGE], vec![(OIL, 99)], cst(2026, 11, 3, 10, 0)),
    ];
    let r = december_usage(&records, &[]);
    let get = |s, p| usage_of(&r, s, p).map(|u| (u.visits, u.quantity));
    assert_eq!(get(FACIAL, CREAM), Some((2, 12)));
    assert_eq!(get(FACIAL, OIL), Some((1, 2)));
    assert_eq!(get(MASSAGE, OIL), Some((1, 10)));
    assert_eq!(r.usage.len(), 3);
    // No standard use in the catalogue: no expected figure, no difference.
    assert!(r.usage.iter().all(|u| u.expected.is_none()));
    assert!(r.usage.iter().all(|u| u.difference().is_none()));
}

fn service(id: ServiceId, standard: &[(ProductId, u32)]) -> CatalogService {
    let mut s = CatalogService::blank(id, STORE);
    s.standard_use = standard
        .iter()
        .map(|(product_id, quantity)| StandardUse {
            product_id: *product_id,
            quantity: *quantity,
        })
        .collect();
    s
}

/// December's report over these visits and this catalogue, read on the 20th.
fn december_usage(records: &[ServiceRecord], services: &[CatalogService]) -> SalesReport {
    report(
        SalesSources {
            records,
            services,
            ..empty()
        },
        cst(2026, 12, 20, 12, 0),
    )
}

/// The usage row of `product` in `service`.
fn usage_of(r: &SalesReport, service: ServiceId, product: ProductId) -> Option<ServiceUsage> {
    r.usage
        .iter()
        .find(|u| u.service_id == Some(service) && u.product_id == product)
        .cloned()
}

#[test]
fn usage_sets_the_standard_times_the_services_done_beside_the_actual() {
    let dec = cst(2026, 12, 3, 10, 0);
    let mut stopped = record(5, vec![FACIAL], vec![], dec);
    stopped.completed_at = None;
    let mut completed_without_products = record(6, vec![FACIAL], vec![], dec);
    completed_without_products.completed_at = Some(dec);
    let records = [
        // Three facials done: 6 + 4 ml of cream against 5 ml each by the standard.
        record(1, vec![FACIAL], vec![(CREAM, 6)], dec),
        record(2, vec![FACIAL], vec![(CREAM, 4), (OIL, 1)], dec),
        completed_without_products,
        // Stopped at the consultation: not done, nothing expected of it.
        stopped,
        // A facial and a massage: the oil goes to the massage, whose standard lists it.
        record(3, vec![FACIAL, MASSAGE], vec![(CREAM, 5), (OIL, 12)], dec),
        // November's facial: neither done nor used in December.
        record(4, vec![FACIAL], vec![(CREAM, 50)], cst(2026, 11, 3, 10, 0)),
    ];
    let services = [
        service(FACIAL, &[(CREAM, 5)]),
        service(MASSAGE, &[(OIL, 10)]),
    ];
    let r = december_usage(&records, &services);
    let get = |s, p| usage_of(&r, s, p).unwrap();
    let cream = get(FACIAL, CREAM);
    // Facials done: records 1, 2, 6 and 3 (a facial too) — 4 × 5 ml expected, 15 ml used.
    assert_eq!((cream.done, cream.visits), (4, 3));
    assert_eq!((cream.expected, cream.quantity), (Some(20), 15));
    assert_eq!(cream.difference(), Some(-5));
    assert_eq!(cream.difference_percent(), Some(-25));
    // Oil in a facial, which the facial's standard does not list: expected 0, all of it over.
    let oil_in_facial = get(FACIAL, OIL);
    assert_eq!(
        (oil_in_facial.expected, oil_in_facial.quantity),
        (Some(0), 1)
    );
    assert_eq!(oil_in_facial.difference(), Some(1));
    assert_eq!(oil_in_facial.difference_percent(), None);
    // One massage done, its oil 12 ml against 10: 20 % over.
    let oil = get(MASSAGE, OIL);
    assert_eq!(
        (oil.done, oil.visits, oil.expected, oil.quantity),
        (1, 1, Some(10), 12)
    );
    assert_eq!(oil.difference_percent(), Some(20));
    assert_eq!(r.usage.len(), 3);
}

#[test]
fn a_standard_product_nobody_used_shows_its_whole_expected_as_missing() {
    let dec = cst(2026, 12, 3, 10, 0);
    let mut completed = record(2, vec![MASSAGE], vec![], dec);
    completed.completed_at = Some(dec);
    let records = [record(1, vec![MASSAGE], vec![(CREAM, 2)], dec), completed];
    let services = [service(MASSAGE, &[(OIL, 3)])];
    let r = december_usage(&records, &services);
    let oil = usage_of(&r, MASSAGE, OIL).unwrap();
    assert_eq!(
        (oil.done, oil.visits, oil.quantity, oil.expected),
        (2, 0, 0, Some(6))
    );
    assert_eq!(oil.difference_percent(), Some(-100));
    let cream = usage_of(&r, MASSAGE, CREAM).unwrap();
    assert_eq!((cream.expected, cream.difference()), (Some(0), Some(2)));
}

#[test]
fn difference_percent_rounds_half_away_from_zero() {
    let row = |quantity, expected| ServiceUsage {
        service_id: Some(FACIAL),
        product_id: CREAM,
        visits: 1,
        quantity,
        done: 1,
        expected: Some(expected),
    };
    assert_eq!(row(7, 8).difference_percent(), Some(-13)); // -12.5
    assert_eq!(row(9, 8).difference_percent(), Some(13)); // 12.5
    assert_eq!(row(10, 3).difference_percent(), Some(233)); // 233.3
    assert_eq!(row(3, 3).difference_percent(), Some(0));
}

#[test]
fn sales_by_means_subtract_voids_made_in_the_month() {
    let dec = cst(2026, 12, 3, 10, 0);
    let void = |n: u128, at| CheckoutVoid {
        checkout_id: CheckoutId::from_u128(n),
        reason: Label::parse("wrong service").unwrap(),
        at,
        by: DESK,
    };
    let views = [
        CheckoutView {
            checkout: checkout(1, vec![outside(OutsideMeans::WechatPay, 300)], dec),
            void: None,
        },
        CheckoutView {
            checkout: checkout(
                2,
                vec![
                    Payment::StoredValue {
                        amount: Money::yuan(200, 0),
                    },
                    outside(OutsideMeans::Cash, 50),
                ],
                dec,
            ),
            void: None,
        },
        CheckoutView {
            checkout: checkout(
                3,
                vec![Payment::PackageSession {
                    package_id: PackageId::from_u128(5),
                    service_id: FACIAL,
                    sessions: 1,
                    value: Money::yuan(400, 0),
                }],
                dec,
            ),
            void: None,
        },
        // Sold and voided in December.
        CheckoutView {
            checkout: checkout(4, vec![outside(OutsideMeans::WechatPay, 100)], dec),
            void: Some(void(4, cst(2026, 12, 4, 10, 0))),
        },
        // Sold in November, voided in December: December's net goes down.
        CheckoutView {
            checkout: checkout(
                5,
                vec![outside(OutsideMeans::Alipay, 80)],
                cst(2026, 11, 28, 10, 0),
            ),
            void: Some(void(5, cst(2026, 12, 1, 9, 0))),
        },
        // Paid with her points: no money.
        CheckoutView {
            checkout: checkout(
                7,
                vec![Payment::Points {
                    points: 340,
                    value: Money::yuan(34, 0),
                }],
                dec,
            ),
            void: None,
        },
        // Sold in December, voided in January: still December's sale.
        CheckoutView {
            checkout: checkout(6, vec![outside(OutsideMeans::BankCard, 60)], dec),
            void: Some(void(6, cst(2027, 1, 2, 9, 0))),
        },
    ];
    let r = report(
        SalesSources {
            checkouts: &views,
            ..empty()
        },
        cst(2027, 1, 5, 12, 0),
    );
    let net = |m| r.sales.get(&m).map(|f| f.net);
    assert_eq!(net(PaymentMeans::WechatPay), Some(Money::yuan(300, 0)));
    assert_eq!(r.sales[&PaymentMeans::WechatPay].sold, Money::yuan(400, 0));
    assert_eq!(
        r.sales[&PaymentMeans::WechatPay].voided,
        Money::yuan(100, 0)
    );
    assert_eq!(r.sales[&PaymentMeans::WechatPay].count, 1);
    assert_eq!(net(PaymentMeans::StoredValue), Some(Money::yuan(200, 0)));
    assert_eq!(net(PaymentMeans::Cash), Some(Money::yuan(50, 0)));
    assert_eq!(net(PaymentMeans::PackageSession), Some(Money::yuan(400, 0)));
    assert_eq!(net(PaymentMeans::Alipay), Some(Money::yuan(-80, 0)));
    assert_eq!(net(PaymentMeans::BankCard), Some(Money::yuan(60, 0)));
    assert_eq!(net(PaymentMeans::Points), Some(Money::yuan(34, 0)));
    assert_eq!(r.sales[&PaymentMeans::Points].count, 340);
    assert_eq!((r.checkouts, r.voids), (6, 2));
    // Money: 300 + 200 + 50 − 80 + 60; the package session was paid when bought, the points
    // are no money.
    assert_eq!(r.money_net(), Money::yuan(530, 0));
}

#[test]
fn liability_is_unspent_card_money_open_sessions_and_points_with_overdrawn_beside() {
    let nov = cst(2026, 11, 10, 10, 0);
    let card = |n, customer, yuan: i64, reason| {
        delta(
            n,
            customer,
            LoyaltyChange::StoredValue {
                delta: Money::yuan(yuan, 0),
                reason,
            },
            nov,
        )
    };
    let package = |n, customer, service_id, sessions, expires_on| {
        delta(
            n,
            customer,
            LoyaltyChange::PackagePurchased {
                package_id: PackageId::from_u128(n),
                service_id,
                sessions,
                price: Money::yuan(1000, 0),
                expires_on,
            },
            nov,
        )
    };
    let deltas = [
        card(1, 1, 1000, StoredValueReason::TopUp),
        card(2, 1, 200, StoredValueReason::Bonus),
        card(3, 1, -300, StoredValueReason::Spend),
        card(4, 2, 100, StoredValueReason::TopUp),
        card(5, 2, -150, StoredValueReason::Spend),
        package(6, 1, FACIAL, 10, None),
        delta(
            7,
            1,
            LoyaltyChange::PackageSessions {
                package_id: PackageId::from_u128(6),
                delta: -3,
                record_id: None,
            },
            nov,
        ),
        package(
            8,
            2,
            FACIAL,
            5,
            Some(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()),
        ),
        // Expired before December's end counts nothing.
        package(
            9,
            2,
            MASSAGE,
            5,
            Some(NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()),
        ),
        delta(
            10,
            1,
            LoyaltyChange::Points {
                delta: 120,
                reason: PointsReason::Purchase,
            },
            nov,
        ),
        delta(
            11,
            2,
            LoyaltyChange::Points {
                delta: -5,
                reason: PointsReason::Adjustment,
            },
            nov,
        ),
        // After the report's moment: not counted.
        card(12, 3, 500, StoredValueReason::TopUp),
    ];
    let mut later = deltas.to_vec();
    later[11].at = cst(2027, 1, 3, 10, 0);
    let r = report(
        SalesSources {
            loyalty: &later,
            ..empty()
        },
        cst(2027, 1, 5, 12, 0),
    );
    let l = &r.liability;
    assert_eq!(l.stored_value, Money::yuan(900, 0));
    assert_eq!(l.stored_value_customers, 1);
    assert_eq!(l.overdrawn, Money::yuan(-50, 0));
    assert_eq!(l.sessions_by_service, vec![(Some(FACIAL), 12)]);
    assert_eq!(l.points, 120);
}

#[test]
fn a_running_month_is_as_of_now() {
    let now = cst(2026, 12, 7, 12, 0);
    let r = report(empty(), now);
    assert_eq!(r.as_of, now);
    assert!(r.sales.is_empty() && r.stock.is_empty() && r.usage.is_empty());
    assert_eq!(r.money_net(), Money(0));
}
