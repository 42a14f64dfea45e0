//! Snapshot tests of the wire format: the JSON of representative messages is committed under
//! `tests/snapshots/`; any change to it fails here, so it is deliberate. Rewrite with
//! `UPDATE_SNAPSHOTS=1 cargo test -p orchid-core --test snapshots` and review the diff.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use chrono::{DateTime, Duration, Utc};
use orchid_core::appointment::{
    AppointmentField, AppointmentStatus, BookingChannel, CancelReason, StatusChange,
};
use orchid_core::complaint::{
    ComplaintChannel, ComplaintEvent, ComplaintEventKind, ComplaintLinks, ComplaintNature,
    ComplaintView, Severity,
};
use orchid_core::customer::{CustomerField, Gender, Phone};
use orchid_core::error::ValidationError;
use orchid_core::hlc::Hlc;
use orchid_core::ids::*;
use orchid_core::permission::{Action, PermissionError, Sensitivity};
use orchid_core::product::{StockMovement, StockReason};
use orchid_core::role::Role;
use orchid_core::service_task::{ServiceTaskField, TaskKind, TaskStatus};
use orchid_core::store::Store;
use orchid_core::sync::{
    Actor, Change, Cursor, FORMAT_VERSION, Mutation, PullRequest, PullResponse, PulledChange,
    PushOutcome, PushRequest, PushResponse, PushResult,
};
use orchid_core::text::{Name, Note, Tag};
use orchid_core::time::{Interval, Timestamp};
use serde::Serialize;

fn t(minutes: i64) -> Timestamp {
    DateTime::<Utc>::from_timestamp(1_741_572_000, 0).unwrap() + Duration::minutes(minutes)
}

const CLIENT: ClientId = ClientId::from_u128(0x0195_7f3a_0000_7000_8000_0000_0000_0001);
const STORE: StoreId = StoreId::from_u128(0x0195_7f3a_0000_7000_8000_0000_0000_0100);
const STAFF: StaffId = StaffId::from_u128(0x0195_7f3a_0000_7000_8000_0000_0000_0200);

fn actor() -> Actor {
    Actor {
        staff_id: STAFF,
        role: Role::Reception,
    }
}

fn mutation(id: u64, change: Change) -> Mutation {
    Mutation {
        client_id: CLIENT,
        mutation_id: id,
        hlc: Hlc::new(1_741_572_000_000 + id, 0, CLIENT),
        actor: actor(),
        store_id: STORE,
        change,
    }
}

fn customer_upsert() -> Mutation {
    mutation(
        1,
        Change::CustomerUpsert {
            id: CustomerId::from_u128(0x0195_7f3a_0000_7000_8000_0000_0000_0300),
            fields: vec![
                CustomerField::Name(Name::parse("王芳").unwrap()),
                CustomerField::Phone(Some(Phone::parse("138 1234 5678").unwrap())),
                CustomerField::Gender(Gender::Female),
                CustomerField::Tags(vec![Tag::parse("VIP").unwrap()]),
            ],
        },
    )
}

fn booking() -> Mutation {
    mutation(
        2,
        Change::AppointmentUpsert {
            id: AppointmentId::from_u128(0x0195_7f3a_0000_7000_8000_0000_0000_0400),
            fields: vec![
                AppointmentField::CustomerId(CustomerId::from_u128(
                    0x0195_7f3a_0000_7000_8000_0000_0000_0300,
                )),
                AppointmentField::TherapistId(Some(StaffId::from_u128(
                    0x0195_7f3a_0000_7000_8000_0000_0000_0201,
                ))),
                AppointmentField::Services(vec![ServiceId::from_u128(
                    0x0195_7f3a_0000_7000_8000_0000_0000_0500,
                )]),
                AppointmentField::Time(Interval::new(t(0), t(60)).unwrap()),
                AppointmentField::Channel(BookingChannel::Wechat),
                AppointmentField::Needs(Note::parse("想改善缺水").unwrap()),
            ],
        },
    )
}

fn cancel() -> Mutation {
    mutation(
        3,
        Change::AppointmentStatus {
            appointment_id: AppointmentId::from_u128(0x0195_7f3a_0000_7000_8000_0000_0000_0400),
            change: StatusChange {
                id: TransitionId::from_u128(0x0195_7f3a_0000_7000_8000_0000_0000_0401),
                to: AppointmentStatus::Cancelled,
                at: t(-30),
                by: STAFF,
                role: Role::Reception,
                reason: Some(CancelReason::CustomerRequest),
                note: Note::default(),
            },
        },
    )
}

fn complaint_intake() -> ComplaintEvent {
    ComplaintEvent {
        id: ComplaintEventId::from_u128(0x0195_7f3a_0000_7000_8000_0000_0000_0601),
        complaint_id: ComplaintId::from_u128(0x0195_7f3a_0000_7000_8000_0000_0000_0600),
        at: t(0),
        by: Some(STAFF),
        role: Role::Reception,
        kind: ComplaintEventKind::Received {
            channel: ComplaintChannel::Phone,
            customer_id: Some(CustomerId::from_u128(
                0x0195_7f3a_0000_7000_8000_0000_0000_0300,
            )),
            customer_name: None,
            contact: None,
            occurred_at: Some(t(-120)),
            description: Note::parse("做完果酸后脸部刺痛发红").unwrap(),
            expected_solution: Note::parse("退款并免费修复").unwrap(),
            nature: Some(ComplaintNature::Technical),
            severity: Some(Severity::Critical),
            links: ComplaintLinks {
                appointment_id: Some(AppointmentId::from_u128(
                    0x0195_7f3a_0000_7000_8000_0000_0000_0400,
                )),
                ..Default::default()
            },
        },
    }
}

fn stock() -> Mutation {
    mutation(
        5,
        Change::StockMove(StockMovement {
            id: StockMovementId::from_u128(0x0195_7f3a_0000_7000_8000_0000_0000_0700),
            product_id: ProductId::from_u128(0x0195_7f3a_0000_7000_8000_0000_0000_0701),
            batch_id: Some(BatchId::from_u128(
                0x0195_7f3a_0000_7000_8000_0000_0000_0702,
            )),
            delta: -2,
            reason: StockReason::UsedInService {
                record_id: ServiceRecordId::from_u128(0x0195_7f3a_0000_7000_8000_0000_0000_0703),
            },
            at: t(30),
            by: STAFF,
        }),
    )
}

fn check_done() -> Mutation {
    use orchid_core::internal_check::{CheckRecord, ItemResult, Outcome, starting_templates};
    let template = starting_templates(STORE).remove(0);
    mutation(
        6,
        Change::CheckRecord(CheckRecord {
            id: CheckId::from_u128(0x0195_7f3a_0000_7000_8000_0000_0000_0800),
            store_id: STORE,
            template_id: template.id,
            kind: template.kind,
            room_id: Some(RoomId::from_u128(0x0195_7f3a_0000_7000_8000_0000_0000_0801)),
            by: STAFF,
            at: t(40),
            device: CLIENT,
            results: template
                .items
                .iter()
                .take(2)
                .map(|i| ItemResult {
                    item: i.id,
                    text: i.text.clone(),
                    outcome: if i.id == 2 {
                        Outcome::Fail
                    } else {
                        Outcome::Pass
                    },
                    note: if i.id == 2 {
                        Note::parse("镊子未消毒").unwrap()
                    } else {
                        Note::default()
                    },
                    conduct: None,
                })
                .collect(),
            subject: None,
        }),
    )
}

fn check<T: Serialize>(name: &str, value: &T) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("snapshots");
    let path = dir.join(format!("{name}.json"));
    let json = serde_json::to_string_pretty(value).unwrap() + "\n";
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(&path, &json).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing snapshot {}; run with UPDATE_SNAPSHOTS=1",
            path.display()
        )
    });
    assert_eq!(
        committed, json,
        "wire format of {name} changed; if deliberate, run with UPDATE_SNAPSHOTS=1 and bump FORMAT_VERSION if incompatible"
    );
}

#[test]
fn format_version() {
    assert_eq!(FORMAT_VERSION, 1, "the snapshots below pin version 1");
}

/// A visit's check-out: a facial paid by a package session, a cream by WeChat Pay.
fn checkout_record() -> Change {
    use orchid_core::catalog::Money;
    use orchid_core::checkout::{BillLine, Checkout, LineItem, OutsideMeans, Payment};
    use orchid_core::ids::{BatchId, CheckoutId, PackageId, ProductId, ServiceId};
    use orchid_core::loyalty::MembershipLevel;
    use orchid_core::text::Label;
    let facial = ServiceId::from_u128(0x0195_7f3a_0000_7000_8000_0000_0000_0200);
    Change::CheckoutRecord(Checkout {
        id: CheckoutId::from_u128(0x0195_7f3a_0000_7000_8000_0000_0000_0600),
        store_id: STORE,
        customer_id: Some(CustomerId::from_u128(
            0x0195_7f3a_0000_7000_8000_0000_0000_0300,
        )),
        appointment_id: None,
        lines: vec![
            BillLine {
                item: LineItem::Service { service_id: facial },
                name: Label::parse("深层清洁面部护理").unwrap(),
                quantity: 1,
                unit_price: Money::yuan(380, 0),
            },
            BillLine {
                item: LineItem::Product {
                    product_id: ProductId::from_u128(0x0195_7f3a_0000_7000_8000_0000_0000_0700),
                    batch_id: Some(BatchId::from_u128(
                        0x0195_7f3a_0000_7000_8000_0000_0000_0701,
                    )),
                },
                name: Label::parse("保湿霜").unwrap(),
                quantity: 1,
                unit_price: Money::yuan(150, 0),
            },
        ],
        level: MembershipLevel::Silver,
        discount_percent: 0,
        subtotal: Money::yuan(530, 0),
        total: Money::yuan(530, 0),
        payments: vec![
            Payment::PackageSession {
                package_id: PackageId::from_u128(0x0195_7f3a_0000_7000_8000_0000_0000_0800),
                service_id: facial,
                sessions: 1,
                value: Money::yuan(380, 0),
            },
            Payment::Outside {
                means: OutsideMeans::WechatPay,
                amount: Money::yuan(150, 0),
            },
        ],
        points_earned: 150,
        at: t(30),
        by: STAFF,
    })
}

#[test]
fn mutations() {
    check("mutation_customer_upsert", &customer_upsert());
    check("mutation_appointment_upsert", &booking());
    check("mutation_appointment_status", &cancel());
    check(
        "mutation_complaint_event",
        &mutation(4, Change::ComplaintEvent(complaint_intake())),
    );
    check("mutation_stock_move", &stock());
    check("mutation_check_record", &check_done());
    check(
        "mutation_service_task_upsert",
        &mutation(
            7,
            Change::ServiceTaskUpsert {
                id: ServiceTaskId::from_u128(0x0195_7f3a_0000_7000_8000_0000_0000_0500),
                fields: vec![
                    ServiceTaskField::Kind(TaskKind::CareCall),
                    ServiceTaskField::Title(orchid_core::text::Label::parse("回访王女士").unwrap()),
                    ServiceTaskField::Assignee(Some(STAFF)),
                    ServiceTaskField::Due(t(60 * 24)),
                    ServiceTaskField::CustomerId(Some(CustomerId::from_u128(
                        0x0195_7f3a_0000_7000_8000_0000_0000_0300,
                    ))),
                    ServiceTaskField::Status(TaskStatus::Open),
                ],
            },
        ),
    );
    check("mutation_checkout_record", &mutation(8, checkout_record()));
    check(
        "mutation_delete",
        &mutation(
            6,
            Change::Delete {
                entity: EntityRef::new(
                    EntityKind::Appointment,
                    AppointmentId::from_u128(0x0195_7f3a_0000_7000_8000_0000_0000_0400),
                ),
            },
        ),
    );
}

#[test]
fn push_and_pull() {
    check(
        "push_request",
        &PushRequest {
            format_version: FORMAT_VERSION,
            client_id: CLIENT,
            mutations: vec![customer_upsert(), booking()],
        },
    );
    let denied: ValidationError = PermissionError::Denied {
        role: Role::Reception,
        action: Action::CustomerWrite,
        sensitivity: Sensitivity::Sensitive,
    }
    .into();
    check(
        "push_response",
        &PushResponse {
            format_version: FORMAT_VERSION,
            results: vec![
                PushResult {
                    mutation_id: 1,
                    outcome: PushOutcome::Accepted,
                },
                PushResult {
                    mutation_id: 2,
                    outcome: PushOutcome::Duplicate,
                },
                PushResult {
                    mutation_id: 3,
                    outcome: PushOutcome::Rejected { error: denied },
                },
            ],
            last_mutation_id: 3,
        },
    );
    check(
        "pull_request",
        &PullRequest {
            format_version: FORMAT_VERSION,
            client_id: CLIENT,
            store_id: STORE,
            cursor: Some(Cursor(41)),
            limit: 500,
            colleagues: Vec::new(),
        },
    );
    check(
        "pull_response",
        &PullResponse {
            format_version: FORMAT_VERSION,
            store_id: STORE,
            changes: vec![PulledChange {
                cursor: Cursor(42),
                mutation: customer_upsert(),
            }],
            cursor: Cursor(42),
            has_more: false,
            last_mutation_id: 1,
        },
    );
}

#[test]
fn complaint_view() {
    let store = Store::new(STORE, Name::parse("兰心·静安店").unwrap());
    let view = ComplaintView::compute(&[complaint_intake()], &store, t(50)).unwrap();
    check("complaint_view", &view);
}

/// The whole permission matrix, so any change to who may do what is deliberate and reviewed.
#[test]
fn permission_matrix() {
    use orchid_core::permission::allowed;
    let mut matrix = serde_json::Map::new();
    for role in Role::ALL {
        let mut row = serde_json::Map::new();
        for action in Action::ALL {
            let cell = [Sensitivity::Ordinary, Sensitivity::Sensitive]
                .iter()
                .map(|s| {
                    if allowed(role, action, *s) {
                        "yes"
                    } else {
                        "no"
                    }
                })
                .collect::<Vec<_>>()
                .join("/");
            row.insert(action.code().to_owned(), cell.into());
        }
        matrix.insert(role.code().to_owned(), row.into());
    }
    check("permission_matrix", &matrix);
}
