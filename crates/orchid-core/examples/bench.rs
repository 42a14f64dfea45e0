//! Benchmarks of the core, printed as `name: value unit` lines for `cargo xtask bench`:
//!
//! ```text
//! cargo run --profile server -p orchid-core --example bench
//! ```
//!
//! (The library has no clock; this example measures with `std::time::Instant`.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use orchid_core::appointment::AppointmentField;
use orchid_core::catalog::Money;
use orchid_core::checkout::{self, BillLine, BillRequest, Checkout, LineItem, OutsideMeans};
use orchid_core::complaint::{
    ComplaintChannel, ComplaintEvent, ComplaintEventKind, ComplaintLinks, ComplaintView,
    ContactChannel, Severity,
};
use orchid_core::customer::{CustomerField, Phone};
use orchid_core::customer_import;
use orchid_core::hlc::Hlc;
use orchid_core::ids::*;
use orchid_core::loyalty::{LoyaltyChange, LoyaltyDelta, LoyaltyRules, StoredValueReason};
use orchid_core::product::{StockMovement, StockReason};
use orchid_core::role::Role;
use orchid_core::store::Store;
use orchid_core::sync::{
    Actor, Change, Cursor, FORMAT_VERSION, Mutation, PullResponse, PulledChange, Replica,
    SyncClient,
};
use orchid_core::text::{Label, Name, Note, Tag};
use orchid_core::time::{Interval, Timestamp};

const STORE: StoreId = StoreId::from_u128(1);

fn base() -> Timestamp {
    DateTime::<Utc>::from_timestamp(1_741_572_000, 0).unwrap()
}

/// A realistic mix: customer edits (ordinary and sensitive), bookings, stock movements.
fn workload(n: usize, clients: u128) -> Vec<Mutation> {
    let names: Vec<Name> = ["王芳", "李娜", "张敏", "刘洋", "陈静"]
        .iter()
        .map(|s| Name::parse(s).unwrap())
        .collect();
    let phone = Phone::parse("13812345678").unwrap();
    let tag = Tag::parse("VIP").unwrap();
    let therapist = Actor {
        staff_id: StaffId::from_u128(7),
        role: Role::Therapist,
    };
    let reception = Actor {
        staff_id: StaffId::from_u128(8),
        role: Role::Reception,
    };
    let base_ms = u64::try_from(base().timestamp_millis()).unwrap();
    (0..n)
        .map(|i| {
            let client = ClientId::from_u128(i as u128 % clients + 1);
            let id = (i as u128 / clients) as u64 + 1;
            let hlc = Hlc::new(base_ms + i as u64, 0, client);
            let who = i as u128 % 10_000;
            let (actor, change) = match i % 4 {
                0 => (
                    reception,
                    Change::CustomerUpsert {
                        id: CustomerId::from_u128(who),
                        fields: vec![
                            CustomerField::Name(names[i % 5].clone()),
                            CustomerField::Phone(Some(phone.clone())),
                            CustomerField::Tags(vec![tag.clone()]),
                        ],
                    },
                ),
                1 => (
                    therapist,
                    Change::CustomerUpsert {
                        id: CustomerId::from_u128(who),
                        fields: vec![CustomerField::HealthNotes(
                            Note::parse("对果酸敏感").unwrap(),
                        )],
                    },
                ),
                2 => {
                    let start = base() + Duration::minutes((i % 500) as i64 * 30);
                    (
                        reception,
                        Change::AppointmentUpsert {
                            id: AppointmentId::from_u128(who),
                            fields: vec![
                                AppointmentField::CustomerId(CustomerId::from_u128(who)),
                                AppointmentField::TherapistId(Some(StaffId::from_u128(
                                    i as u128 % 12,
                                ))),
                                AppointmentField::Services(vec![ServiceId::from_u128(1)]),
                                AppointmentField::Time(
                                    Interval::new(start, start + Duration::minutes(60)).unwrap(),
                                ),
                            ],
                        },
                    )
                }
                _ => (
                    therapist,
                    Change::StockMove(StockMovement {
                        id: StockMovementId::from_u128(i as u128),
                        product_id: ProductId::from_u128(i as u128 % 50),
                        batch_id: None,
                        delta: -1,
                        reason: StockReason::UsedInService {
                            record_id: ServiceRecordId::from_u128(i as u128),
                        },
                        at: base(),
                        by: therapist.staff_id,
                    }),
                ),
            };
            Mutation {
                client_id: client,
                mutation_id: id,
                hlc,
                actor,
                store_id: STORE,
                change,
            }
        })
        .collect()
}

fn main() {
    // Mutations applied per second: 200,000 mutations into a fresh replica, best of 3.
    let ms = workload(200_000, 8);
    let mut best = f64::MAX;
    for _ in 0..3 {
        let mut r = Replica::new();
        let t = Instant::now();
        for m in &ms {
            black_box(r.apply(m).unwrap());
        }
        best = best.min(t.elapsed().as_secs_f64());
        black_box(&r);
    }
    println!(
        "core_apply_mutations_per_sec: {:.0} mutations/s",
        ms.len() as f64 / best
    );

    // Merging a pull of 10,000 changes into a device that has 200 pending mutations of its own.
    let pulled = workload(10_000, 8);
    let resp = PullResponse {
        format_version: FORMAT_VERSION,
        store_id: STORE,
        changes: pulled
            .into_iter()
            .enumerate()
            .map(|(i, m)| PulledChange {
                cursor: Cursor(i as u64 + 1),
                mutation: m,
            })
            .collect(),
        cursor: Cursor(10_000),
        has_more: false,
        last_mutation_id: 0,
    };
    let mut best = f64::MAX;
    for _ in 0..3 {
        let mut device = SyncClient::new(ClientId::from_u128(99), STORE);
        let reception = Actor {
            staff_id: StaffId::from_u128(8),
            role: Role::Reception,
        };
        for i in 0..200u128 {
            let change = Change::CustomerUpsert {
                id: CustomerId::from_u128(50_000 + i),
                fields: vec![CustomerField::Name(Name::parse("新客").unwrap())],
            };
            device.mutate(reception, change, base()).unwrap();
        }
        let t = Instant::now();
        black_box(device.on_pull_response(&resp, base()).unwrap());
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!("core_merge_pull_10000_ms: {:.1} ms", best * 1000.0);

    // The JSON cost of that pull (what the client parses).
    let json = serde_json::to_string(&resp).unwrap();
    let t = Instant::now();
    let back: PullResponse = serde_json::from_str(&json).unwrap();
    black_box(back);
    println!(
        "core_parse_pull_10000_ms: {:.1} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    println!("core_pull_10000_bytes: {} bytes", json.len());

    // Conflicts among a store's bookings (the 10,000 appointments above).
    let mut r = Replica::new();
    for m in &ms {
        r.apply(m).unwrap();
    }
    let t = Instant::now();
    let conflicts = r.booking_conflicts(STORE, 10);
    black_box(&conflicts);
    println!(
        "core_booking_conflicts_10000_ms: {:.1} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );

    // Computing a complaint's state from a 50-event log.
    let store = Store::new(STORE, Name::parse("兰心").unwrap());
    let staff = StaffId::from_u128(3);
    let mut events = vec![ComplaintEvent {
        id: ComplaintEventId::from_u128(0),
        complaint_id: ComplaintId::from_u128(1),
        at: base(),
        by: Some(staff),
        role: Role::CustomerServiceSupervisor,
        kind: ComplaintEventKind::Received {
            channel: ComplaintChannel::Phone,
            customer_id: None,
            customer_name: None,
            contact: None,
            occurred_at: None,
            description: Note::parse("等待时间过长").unwrap(),
            expected_solution: Note::default(),
            nature: None,
            severity: Some(Severity::Major),
            links: ComplaintLinks::default(),
        },
    }];
    for i in 1..50u128 {
        events.push(ComplaintEvent {
            id: ComplaintEventId::from_u128(i),
            complaint_id: ComplaintId::from_u128(1),
            at: base() + Duration::minutes(i as i64),
            by: Some(staff),
            role: Role::CustomerServiceSupervisor,
            kind: ComplaintEventKind::Contacted {
                channel: ContactChannel::Phone,
                summary: Note::default(),
                proposal_made: false,
            },
        });
    }
    let n = 10_000;
    let t = Instant::now();
    for _ in 0..n {
        black_box(ComplaintView::compute(
            black_box(&events),
            &store,
            base() + Duration::hours(3),
        ));
    }
    println!(
        "core_complaint_compute_50_events_us: {:.1} us",
        t.elapsed().as_secs_f64() * 1e6 / f64::from(n)
    );
    // Importing a customer list: 10,000 rows of text cells (as the client reads them from a CSV
    // or .xlsx) mapped from Chinese headers, parsed, normalised and planned against 2,000
    // existing customers (a tenth of the rows are theirs: merged). Best of 3.
    let headers: Vec<String> = [
        "姓名",
        "手机号码",
        "生日",
        "性别",
        "会员卡号",
        "备注",
        "标签",
    ]
    .map(String::from)
    .to_vec();
    let rows: Vec<Vec<String>> = (0..10_000u32)
        .map(|i| {
            vec![
                format!("顾客{i}"),
                format!("139 {:04} {:04}", i / 10_000, i % 10_000),
                format!("19{}/{}/{}", 60 + i % 40, 1 + i % 12, 1 + i % 28),
                if i % 2 == 0 { "女" } else { "男" }.to_owned(),
                format!("VIP{i:05}"),
                "喜欢安静".to_owned(),
                "VIP、敏感肌".to_owned(),
            ]
        })
        .collect();
    let existing: Vec<orchid_core::customer::Customer> = (0..2_000u32)
        .map(|i| {
            let mut c = orchid_core::customer::Customer::new(
                CustomerId::from_u128(u128::from(i) + 1),
                STORE,
                Name::parse(&format!("老顾客{i}")).unwrap(),
            );
            c.phone = Some(Phone::parse(&format!("139{:08}", i * 5)).unwrap());
            c
        })
        .collect();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
    let mut best = f64::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        let mapping = customer_import::guess_mapping(&headers);
        let by_phone = customer_import::customers_by_phone(&existing);
        let plan = customer_import::plan_import(
            &rows,
            &mapping,
            &by_phone,
            customer_import::DuplicatePolicy::Merge,
            today,
        );
        best = best.min(t.elapsed().as_secs_f64());
        assert_eq!(plan.new_count + plan.merged_count, 10_000);
        black_box(plan);
    }
    println!(
        "core_import_plan_10000_ms: {:.1} ms (map, parse, normalise, find duplicates; goal: the whole import <= 10000)",
        best * 1000.0
    );
    // Balances (stored value, packages, points) of 10,000 customers with 20 movements each,
    // summed on the device from the deltas, and the overdrawn list built from them.
    let loyalty = loyalty_workload(10_000, 20);
    let mut r = Replica::new();
    for m in &loyalty {
        r.apply(m).unwrap();
    }
    let mut best = f64::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        let balances = r.balances(STORE);
        best = best.min(t.elapsed().as_secs_f64());
        assert_eq!(balances.len(), 10_000);
        black_box(balances);
    }
    println!(
        "core_balances_10000x20_ms: {:.1} ms (goal <= 50)",
        best * 1000.0
    );
    let t = Instant::now();
    black_box(r.overdrawn(STORE));
    println!(
        "core_overdrawn_10000x20_ms: {:.1} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );

    // A visit's check-out to its receipt: the bill worked out (packages, card, discount,
    // points), its changes made and applied, her balances after read back.
    let her = CustomerId::from_u128(1_000_000 + 7);
    let lines: Vec<BillLine> = (0..5)
        .map(|i| BillLine {
            item: if i % 2 == 0 {
                LineItem::Service {
                    service_id: ServiceId::from_u128(700 + i),
                }
            } else {
                LineItem::Product {
                    product_id: ProductId::from_u128(800 + i),
                    batch_id: None,
                }
            },
            name: Label::parse("深层清洁面部护理").unwrap(),
            quantity: 1,
            unit_price: Money::yuan(380, 0),
        })
        .collect();
    let rules = LoyaltyRules {
        level_discounts: [0, 5, 10, 15],
        ..LoyaltyRules::default()
    };
    let mut best = f64::MAX;
    for n in 0..100u128 {
        let mut device = r.clone();
        let t = Instant::now();
        let balance = device.loyalty(her);
        let bill = checkout::bill(&BillRequest {
            lines: &lines,
            balance: Some(&balance),
            rules: &rules,
            today: chrono::NaiveDate::from_ymd_opt(2025, 3, 10).unwrap(),
            outside: OutsideMeans::WechatPay,
            use_packages: true,
            use_stored_value: true,
            use_points: false,
        });
        let record = Checkout {
            id: CheckoutId::from_u128(9_000_000 + n),
            store_id: STORE,
            customer_id: Some(her),
            appointment_id: None,
            lines: lines.clone(),
            level: bill.level,
            discount_percent: bill.discount_percent,
            subtotal: bill.subtotal,
            total: bill.total,
            payments: bill.payments,
            points_earned: bill.points_earned,
            at: base(),
            by: StaffId::from_u128(3),
        };
        let client = ClientId::from_u128(77);
        for (i, change) in checkout::sale_changes(&record).into_iter().enumerate() {
            let m = Mutation {
                client_id: client,
                mutation_id: i as u64 + 1,
                hlc: Hlc::new(2_000_000_000_000 + i as u64, 0, client),
                actor: Actor {
                    staff_id: StaffId::from_u128(3),
                    role: Role::Reception,
                },
                store_id: STORE,
                change,
            };
            device.apply(&m).unwrap();
        }
        black_box(device.loyalty(her));
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "core_checkout_to_receipt_ms: {:.2} ms (bill, changes, applied, balances after; 200,000 movements on the device)",
        best * 1000.0
    );
}

/// `customers` customers with `each` loyalty movements: a package bought and sessions used, a
/// top-up with its bonus and spends, points.
fn loyalty_workload(customers: u128, each: u128) -> Vec<Mutation> {
    let client = ClientId::from_u128(55);
    let actor = Actor {
        staff_id: StaffId::from_u128(3),
        role: Role::Reception,
    };
    let mut out = Vec::new();
    let mut n = 0u64;
    for c in 0..customers {
        let customer_id = CustomerId::from_u128(1_000_000 + c);
        let package_id = PackageId::from_u128(2_000_000 + c);
        for k in 0..each {
            let change = match k {
                0 => LoyaltyChange::PackagePurchased {
                    package_id,
                    service_id: ServiceId::from_u128(700),
                    sessions: 10,
                    price: Money::yuan(2980, 0),
                    expires_on: None,
                },
                1 => LoyaltyChange::StoredValue {
                    delta: Money::yuan(1000, 0),
                    reason: StoredValueReason::TopUp,
                },
                2 => LoyaltyChange::StoredValue {
                    delta: Money::yuan(200, 0),
                    reason: StoredValueReason::Bonus,
                },
                k if k % 3 == 0 => LoyaltyChange::PackageSessions {
                    package_id,
                    delta: -1,
                    record_id: None,
                },
                k if k % 3 == 1 => LoyaltyChange::StoredValue {
                    delta: Money::yuan(-50, 0),
                    reason: StoredValueReason::Spend,
                },
                _ => LoyaltyChange::Points {
                    delta: 50,
                    reason: orchid_core::loyalty::PointsReason::Purchase,
                },
            };
            n += 1;
            out.push(Mutation {
                client_id: client,
                mutation_id: n,
                hlc: Hlc::new(1_741_572_000_000 + n, 0, client),
                actor,
                store_id: STORE,
                change: Change::LoyaltyDelta(LoyaltyDelta {
                    id: LoyaltyDeltaId::from_u128(u128::from(n)),
                    customer_id,
                    at: base(),
                    by: actor.staff_id,
                    change,
                    note: Note::default(),
                    checkout_id: None,
                }),
            });
        }
    }
    out
}
