//! Shared generators for the property tests: small integers in, mutations of every kind out, with ids
//! drawn from small pools so that replicas contend for the same records.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, Utc};
use orchid_core::appointment::{
    AppointmentField, AppointmentStatus, BookingChannel, CancelReason, StatusChange,
};
use orchid_core::audit::AuditEntry;
use orchid_core::catalog::{CatalogField, Money};
use orchid_core::checkout::{BillLine, Checkout, CheckoutVoid, LineItem, OutsideMeans, Payment};
use orchid_core::complaint::{
    ComplaintChannel, ComplaintEvent, ComplaintEventKind, ComplaintLinks, ComplaintNature,
    ContactChannel, Severity, SolutionOption,
};
use orchid_core::consent::{ConsentDecision, ConsentMethod, ConsentPurpose, ConsentRecord};
use orchid_core::customer::{CustomerField, Gender, SkinAssessment, SkinScores};
use orchid_core::feedback::{Feedback, PerDimension};
use orchid_core::followup::{FollowUpField, FollowUpStatus};
use orchid_core::hlc::Hlc;
use orchid_core::ids::*;
use orchid_core::internal_check::{
    CheckTemplateField, CorrectiveEvent, CorrectiveEventKind, Words,
};
use orchid_core::loyalty::{LoyaltyChange, LoyaltyDelta, MembershipLevel, PointsReason};
use orchid_core::permission::{Action, Sensitivity};
use orchid_core::product::{Batch, ProductField, StockMovement, StockReason};
use orchid_core::role::Role;
use orchid_core::room::RoomField;
use orchid_core::service_record::{RecordEntry, RecordEntryKind};
use orchid_core::service_task::{ServiceTask, ServiceTaskField, TaskKind, TaskStatus};
use orchid_core::staff::StaffField;
use orchid_core::store::{StoreField, StoreSettings};
use orchid_core::sync::{Actor, Change, Mutation};
use orchid_core::text::{Label, Name, Note, Tag};
use orchid_core::time::{Interval, Timestamp};
use orchid_core::waitlist::WaitlistField;

pub const STORE: StoreId = StoreId::from_u128(100);

/// 2025-03-10 10:00 China time.
pub fn base() -> Timestamp {
    DateTime::<Utc>::from_timestamp(1_741_572_000, 0).unwrap_or_default()
}

pub fn actor(role: Role) -> Actor {
    Actor {
        staff_id: StaffId::from_u128(1000 + role as u128),
        role,
    }
}

pub fn role(i: u8) -> Role {
    Role::ALL[usize::from(i) % Role::ALL.len()]
}

fn name(i: u8) -> Name {
    Name::parse(["王芳", "李娜", "张敏", "刘洋", "陈静"][usize::from(i) % 5]).unwrap()
}

fn note(i: u8) -> Note {
    Note::parse(&format!("备注{i}")).unwrap()
}

fn tag(i: u8) -> Tag {
    Tag::parse(["果酸", "孕期", "酒精", "敏感肌"][usize::from(i) % 4]).unwrap()
}

/// The number of kinds `change` can make.
pub const KINDS: u8 = 29;

/// A change of kind `kind % KINDS`, shaped by `a`, `b` (ids from small pools, values), made by `role`.
pub fn change(kind: u8, a: u8, b: u8, role: Role) -> Change {
    let who = actor(role);
    let at = base() + Duration::minutes(i64::from(b) * 7);
    let small = |x: u8| u128::from(x % 4) + 1;
    match kind % KINDS {
        0 => Change::CustomerUpsert {
            id: CustomerId::from_u128(small(a)),
            fields: vec![
                CustomerField::Name(name(b)),
                CustomerField::Gender(if b.is_multiple_of(2) {
                    Gender::Female
                } else {
                    Gender::Male
                }),
            ],
        },
        1 => Change::CustomerUpsert {
            id: CustomerId::from_u128(small(a)),
            fields: vec![
                CustomerField::Allergies(vec![tag(b)]),
                CustomerField::HealthNotes(note(b)),
            ],
        },
        2 => Change::CustomerUpsert {
            id: CustomerId::from_u128(small(a)),
            fields: vec![CustomerField::Tags(vec![tag(b), tag(b / 2)])],
        },
        3 => Change::CustomerErase {
            id: CustomerId::from_u128(small(a)),
        },
        4 => Change::SkinAssessmentAdd(SkinAssessment {
            id: AssessmentId::from_u128(u128::from(b % 8)),
            customer_id: CustomerId::from_u128(small(a)),
            assessed_at: at,
            assessed_by: who.staff_id,
            skin_type: None,
            scores: SkinScores {
                hydration: Some(b % 101),
                ..Default::default()
            },
            concerns: vec![tag(b)],
            notes: note(a),
        }),
        5 => Change::ConsentRecord(ConsentRecord {
            id: ConsentId::from_u128(u128::from(b % 8)),
            customer_id: CustomerId::from_u128(small(a)),
            purpose: if a.is_multiple_of(2) {
                ConsentPurpose::HealthData
            } else {
                ConsentPurpose::Marketing
            },
            version: Label::parse(orchid_core::consent::HEALTH_TEXT_VERSION).unwrap(),
            decision: if b.is_multiple_of(3) {
                ConsentDecision::Withdrawn
            } else {
                ConsentDecision::Given
            },
            at,
            recorded_by: who.staff_id,
            method: ConsentMethod::TabletSignature,
            signed_name: Some(name(b)),
            language: None,
            device: None,
        }),
        6 | 7 => {
            let start = base() + Duration::minutes(i64::from(b % 12) * 30);
            Change::AppointmentUpsert {
                id: AppointmentId::from_u128(small(a) + u128::from(kind % 2) * 4),
                fields: vec![
                    AppointmentField::CustomerId(CustomerId::from_u128(small(b))),
                    AppointmentField::TherapistId(Some(StaffId::from_u128(u128::from(b % 3)))),
                    AppointmentField::RoomId(Some(RoomId::from_u128(u128::from(a % 3)))),
                    AppointmentField::Services(vec![ServiceId::from_u128(1)]),
                    AppointmentField::Time(
                        Interval::new(start, start + Duration::minutes(30 + i64::from(a % 4) * 15))
                            .unwrap(),
                    ),
                    AppointmentField::Channel(BookingChannel::Wechat),
                ],
            }
        }
        8 => {
            let to = AppointmentStatus::ALL[usize::from(b) % AppointmentStatus::ALL.len()];
            Change::AppointmentStatus {
                appointment_id: AppointmentId::from_u128(small(a) + u128::from(b % 2) * 4),
                change: StatusChange {
                    id: TransitionId::from_u128(u128::from(a) * 256 + u128::from(b)),
                    to,
                    at,
                    by: who.staff_id,
                    role,
                    reason: (to == AppointmentStatus::Cancelled)
                        .then_some(CancelReason::CustomerRequest),
                    note: Note::default(),
                },
            }
        }
        9 => Change::ComplaintEvent(complaint_event(small(a), b, at, role, who.staff_id)),
        10 => Change::StockMove(StockMovement {
            id: StockMovementId::from_u128(u128::from(a) * 256 + u128::from(b)),
            product_id: ProductId::from_u128(small(a)),
            batch_id: Some(BatchId::from_u128(small(b))),
            delta: if b.is_multiple_of(2) {
                i64::from(b) + 1
            } else {
                -(i64::from(b))
            },
            reason: if b.is_multiple_of(2) {
                StockReason::Received
            } else {
                StockReason::Sold
            },
            at,
            by: who.staff_id,
        }),
        11 => Change::LoyaltyDelta(LoyaltyDelta {
            id: LoyaltyDeltaId::from_u128(u128::from(a) * 256 + u128::from(b)),
            customer_id: CustomerId::from_u128(small(a)),
            at,
            by: who.staff_id,
            change: LoyaltyChange::Points {
                delta: i64::from(b) - 100,
                reason: PointsReason::Adjustment,
            },
            note: Note::default(),
            checkout_id: None,
        }),
        12 => Change::ServiceRecordEntry(RecordEntry {
            id: RecordEntryId::from_u128(u128::from(b % 16)),
            record_id: ServiceRecordId::from_u128(small(a)),
            at,
            by: who.staff_id,
            role,
            kind: match b % 4 {
                0 => RecordEntryKind::Opened {
                    customer_id: CustomerId::from_u128(small(a)),
                    therapist_id: who.staff_id,
                    appointment_id: None,
                    services: vec![ServiceId::from_u128(1)],
                },
                1 => RecordEntryKind::Note { note: note(b) },
                2 => RecordEntryKind::ProductUsed {
                    product_id: ProductId::from_u128(1),
                    batch_id: Some(BatchId::from_u128(1)),
                    quantity: u32::from(b) + 1,
                },
                _ => RecordEntryKind::Evaluation {
                    effect: b % 5 + 1,
                    note: Note::default(),
                },
            },
        }),
        13 => Change::FeedbackSubmit(Feedback {
            id: FeedbackId::from_u128(u128::from(b % 8)),
            store_id: STORE,
            customer_id: Some(CustomerId::from_u128(small(a))),
            appointment_id: None,
            service_record_id: None,
            therapist_id: Some(StaffId::from_u128(1)),
            services: vec![],
            submitted_at: at,
            ratings: PerDimension::all(b % 5 + 1),
            expectations: PerDimension::default(),
            recommend: b % 11,
            comment: note(a),
            butler: None,
        }),
        14 => Change::FollowUpUpsert {
            id: FollowUpId::from_u128(small(a)),
            fields: vec![
                FollowUpField::CustomerId(CustomerId::from_u128(small(b))),
                FollowUpField::Due(at),
                FollowUpField::Status(if b.is_multiple_of(2) {
                    FollowUpStatus::Planned
                } else {
                    FollowUpStatus::Done
                }),
            ],
        },
        15 => Change::ProductUpsert {
            id: ProductId::from_u128(small(a)),
            fields: vec![
                ProductField::Name(name(b)),
                ProductField::LowStockThreshold(i64::from(b)),
            ],
        },
        16 => Change::BatchAdd(Batch {
            id: BatchId::from_u128(small(a)),
            product_id: ProductId::from_u128(small(b)),
            batch_no: Label::parse(&format!("B{b}")).unwrap(),
            expires_on: None,
            received_at: at,
            supplier: None,
            cost: None,
        }),
        17 => Change::AuditAppend(AuditEntry {
            id: AuditId::from_u128(u128::from(a) * 256 + u128::from(b)),
            store_id: STORE,
            at,
            actor: who.staff_id,
            role,
            client_id: ClientId::from_u128(1),
            action: Action::CustomerRead,
            entity: EntityRef::new(EntityKind::Customer, CustomerId::from_u128(small(a))),
            fields: vec!["allergies".into()],
            sensitivity: Sensitivity::Sensitive,
            note: Note::default(),
        }),
        18 => Change::Delete {
            entity: if b.is_multiple_of(2) {
                EntityRef::new(EntityKind::Appointment, AppointmentId::from_u128(small(a)))
            } else {
                EntityRef::new(EntityKind::Product, ProductId::from_u128(small(a)))
            },
        },
        19 => Change::StoreUpsert {
            id: STORE,
            fields: vec![StoreField::Settings(StoreSettings {
                booking_buffer_minutes: u32::from(b % 121),
                ..Default::default()
            })],
        },
        20 => Change::CatalogUpsert {
            id: ServiceId::from_u128(small(a)),
            fields: vec![
                CatalogField::Name(name(b)),
                CatalogField::Price(Money(i64::from(b) * 100)),
            ],
        },
        21 => Change::RoomUpsert {
            id: RoomId::from_u128(small(a)),
            fields: vec![
                RoomField::Name(name(b)),
                RoomField::Active(b.is_multiple_of(2)),
            ],
        },
        22 => Change::WaitlistUpsert {
            id: WaitlistId::from_u128(small(a)),
            fields: vec![
                WaitlistField::CustomerId(CustomerId::from_u128(small(b))),
                WaitlistField::Note(note(b)),
            ],
        },
        23 => Change::CheckTemplateUpsert {
            id: orchid_core::ids::CheckTemplateId::from_u128(small(a)),
            fields: vec![
                CheckTemplateField::Name(Words::same(name(b).as_str()).unwrap()),
                CheckTemplateField::Active(b.is_multiple_of(2)),
            ],
        },
        24 => Change::CorrectiveEvent(CorrectiveEvent {
            id: orchid_core::ids::CorrectiveEventId::from_u128(u128::from(a) * 256 + u128::from(b)),
            action_id: orchid_core::ids::CorrectiveActionId::from_u128(small(a)),
            by: who.staff_id,
            role,
            at,
            kind: match b % 4 {
                0 => CorrectiveEventKind::Raised {
                    check_id: orchid_core::ids::CheckId::from_u128(small(a)),
                    template_id: orchid_core::ids::CheckTemplateId::from_u128(1),
                    room_id: None,
                    item: u16::from(b % 3) + 1,
                    text: Words::same("工具已消毒").unwrap(),
                    note: note(b),
                },
                1 => CorrectiveEventKind::Assigned {
                    responsible: StaffId::from_u128(u128::from(b % 3)),
                    deadline: base().date_naive(),
                },
                2 => CorrectiveEventKind::Done { what: note(a) },
                _ => CorrectiveEventKind::Verified {
                    done_by: actor(self::role(b)).staff_id,
                },
            },
        }),
        25 => Change::ServiceTaskUpsert {
            id: ServiceTaskId::from_u128(small(a)),
            fields: match b % 3 {
                0 => vec![
                    ServiceTaskField::Kind(TaskKind::ALL[usize::from(a) % TaskKind::ALL.len()]),
                    ServiceTaskField::Title(Label::parse(name(b).as_str()).unwrap()),
                    ServiceTaskField::Note(note(a)),
                    ServiceTaskField::Assignee(Some(StaffId::from_u128(u128::from(b % 3)))),
                    ServiceTaskField::AssignedBy(Some(who.staff_id)),
                    ServiceTaskField::Due(base() + Duration::hours(i64::from(a % 48))),
                    ServiceTaskField::CustomerId(Some(CustomerId::from_u128(small(b)))),
                ],
                1 => ServiceTask::done_fields(who.staff_id, at),
                _ => vec![ServiceTaskField::Status(TaskStatus::Cancelled)],
            },
        },
        26 => {
            let price = Money(i64::from(b) * 100);
            Change::CheckoutRecord(Checkout {
                id: CheckoutId::from_u128(u128::from(a) * 256 + u128::from(b)),
                store_id: STORE,
                customer_id: (!b.is_multiple_of(3)).then(|| CustomerId::from_u128(small(a))),
                appointment_id: None,
                lines: vec![BillLine {
                    item: LineItem::Service {
                        service_id: ServiceId::from_u128(small(b)),
                    },
                    name: Label::parse(name(b).as_str()).unwrap(),
                    quantity: 1,
                    unit_price: price,
                }],
                level: MembershipLevel::None,
                discount_percent: 0,
                subtotal: price,
                total: price,
                payments: vec![Payment::Outside {
                    means: OutsideMeans::ALL[usize::from(a) % OutsideMeans::ALL.len()],
                    amount: price,
                }],
                points_earned: i64::from(b),
                at,
                by: who.staff_id,
            })
        }
        27 => Change::CheckoutVoid(CheckoutVoid {
            checkout_id: CheckoutId::from_u128(u128::from(a) * 256 + u128::from(b)),
            reason: Label::parse(name(a).as_str()).unwrap(),
            at,
            by: who.staff_id,
        }),
        _ => Change::StaffUpsert {
            id: StaffId::from_u128(small(a)),
            fields: vec![StaffField::Name(name(b)), StaffField::Role(self::role(b))],
        },
    }
}

/// A complaint event of complaint `complaint`, shaped by `b`.
pub fn complaint_event(
    complaint: u128,
    b: u8,
    at: Timestamp,
    role: Role,
    by: StaffId,
) -> ComplaintEvent {
    let kind = match b % 13 {
        0 | 1 => ComplaintEventKind::Received {
            channel: ComplaintChannel::Phone,
            customer_id: Some(CustomerId::from_u128(1)),
            customer_name: None,
            contact: None,
            occurred_at: None,
            description: Note::parse("服务态度差").unwrap(),
            expected_solution: Note::default(),
            nature: None,
            severity: Some(Severity::ALL[usize::from(b / 12) % 3]),
            links: ComplaintLinks::default(),
        },
        2 => ComplaintEventKind::Triaged {
            nature: ComplaintNature::ALL[usize::from(b / 12) % 6],
            severity: Severity::ALL[usize::from(b / 7) % 3],
            note: Note::default(),
        },
        3 => ComplaintEventKind::Contacted {
            channel: ContactChannel::Phone,
            summary: Note::default(),
            proposal_made: b.is_multiple_of(2),
        },
        4 => ComplaintEventKind::AwaitingCustomer {
            note: Note::default(),
        },
        5 => ComplaintEventKind::CustomerResponded {
            note: Note::default(),
        },
        6 => ComplaintEventKind::SolutionsProposed {
            options: vec![SolutionOption {
                option: 1,
                description: Label::parse("退款").unwrap(),
                compensation: None,
            }],
        },
        7 => ComplaintEventKind::CustomerChose { option: 1 + b % 2 },
        8 => ComplaintEventKind::Resolved {
            summary: Note::default(),
        },
        9 => ComplaintEventKind::Confirmed {
            satisfaction: b % 5 + 1,
            note: Note::default(),
        },
        10 => ComplaintEventKind::Closed {
            root_cause: None,
            note: Note::default(),
        },
        // Two calls, each possibly recorded twice: the replay keeps one outcome per call.
        11 => ComplaintEventKind::CallBack {
            follow_up_id: FollowUpId::from_u128(u128::from(b % 2)),
            satisfied: b.is_multiple_of(3),
            note: Note::default(),
        },
        _ => ComplaintEventKind::Reopened {
            reason: Note::parse("申诉").unwrap(),
            appeal: true,
        },
    };
    ComplaintEvent {
        id: ComplaintEventId::from_u128(u128::from(b)),
        complaint_id: ComplaintId::from_u128(complaint),
        at,
        by: Some(by),
        role,
        kind,
    }
}

/// One generated operation: which client, which kind, two shaping bytes, a role, and a clock jitter.
pub type Op = (u8, u8, u8, u8, u8, u8);

/// Turns operations into mutations: per client, increasing mutation ids from 1 and increasing HLCs
/// (wall times jitter and collide across clients; the node breaks ties).
pub fn mutations(ops: &[Op], clients: u8) -> Vec<Mutation> {
    let mut next_id = vec![0u64; usize::from(clients)];
    let mut last: Vec<Option<Hlc>> = vec![None; usize::from(clients)];
    let base_ms = u64::try_from(base().timestamp_millis()).unwrap_or(0);
    ops.iter()
        .map(|&(c, kind, a, b, r, jitter)| {
            let ci = usize::from(c % clients);
            let node = ClientId::from_u128(ci as u128 + 1);
            next_id[ci] += 1;
            let wall = base_ms + u64::from(jitter % 16);
            let hlc = match last[ci] {
                Some(h) if h.wall_ms >= wall => Hlc::new(h.wall_ms, h.counter + 1, node),
                _ => Hlc::new(wall, 0, node),
            };
            last[ci] = Some(hlc);
            let role = role(r);
            Mutation {
                client_id: node,
                mutation_id: next_id[ci],
                hlc,
                actor: actor(role),
                store_id: STORE,
                change: change(kind, a, b, role),
            }
        })
        .collect()
}
