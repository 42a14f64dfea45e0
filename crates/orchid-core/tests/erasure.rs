//! An erasure erases: after `customer.erase`, no text or contact of hers remains in any record that
//! refers to her — in a replica whatever order the changes arrive in, and in each change as the
//! server logs it — while the anonymous facts (a visit, a score, a complaint's nature) stay. The
//! changes below cover every change kind (`kind_of` is an exhaustive match, so a kind added later
//! fails `every_kind_is_covered` until it is added here).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::Duration;
use common::{STORE, actor, base};
use orchid_core::appointment::{AppointmentField, AppointmentStatus, StatusChange};
use orchid_core::audit::AuditEntry;
use orchid_core::catalog::{CatalogField, Money};
use orchid_core::checkout::{BillLine, Checkout, CheckoutVoid, LineItem, OutsideMeans, Payment};
use orchid_core::complaint::{
    ComplaintChannel, ComplaintEvent, ComplaintEventKind, ComplaintLinks, ComplaintNature,
    ContactChannel, RootCause, Severity, SolutionOption,
};
use orchid_core::consent::{ConsentDecision, ConsentMethod, ConsentPurpose, ConsentRecord};
use orchid_core::customer::{CustomerField, Phone, SkinAssessment, SkinScores};
use orchid_core::feedback::{Feedback, PerDimension};
use orchid_core::followup::{FollowUpField, FollowUpStatus};
use orchid_core::hlc::Hlc;
use orchid_core::ids::*;
use orchid_core::loyalty::{LoyaltyChange, LoyaltyDelta, MembershipLevel, PointsReason};
use orchid_core::permission::{Action, Sensitivity};
use orchid_core::product::{Batch, ProductField, StockMovement, StockReason};
use orchid_core::role::Role;
use orchid_core::room::RoomField;
use orchid_core::service_record::{
    Answer, AnswerValue, BlockReason, ContraindicationCheck, RecordEntry, RecordEntryKind,
};
use orchid_core::service_task::{ServiceTaskField, TaskKind};
use orchid_core::staff::StaffField;
use orchid_core::store::StoreField;
use orchid_core::sync::{Change, Mutation, Replica};
use orchid_core::text::{Label, Name, Note, Tag};
use orchid_core::time::Interval;
use orchid_core::waitlist::WaitlistField;

const HER: CustomerId = CustomerId::from_u128(1);
const OTHER: CustomerId = CustomerId::from_u128(2);
/// Written into every text field about her; must not survive the erasure.
const MARK: &str = "秘密ERASEME";
const PHONE_DIGITS: &str = "13900001111";

fn note() -> Note {
    Note::parse(&format!("{MARK} 她说")).unwrap()
}
fn label() -> Label {
    Label::parse(MARK).unwrap()
}
fn tag() -> Tag {
    Tag::parse(MARK).unwrap()
}

const APPOINTMENT: AppointmentId = AppointmentId::from_u128(11);
const RECORD: ServiceRecordId = ServiceRecordId::from_u128(12);
const COMPLAINT: ComplaintId = ComplaintId::from_u128(13);
const FOLLOW_UP: FollowUpId = FollowUpId::from_u128(14);
const WAITLIST: WaitlistId = WaitlistId::from_u128(15);
const TASK: ServiceTaskId = ServiceTaskId::from_u128(16);
const CHECKOUT: CheckoutId = CheckoutId::from_u128(17);
const RECORD_AHEAD: ServiceRecordId = ServiceRecordId::from_u128(18);

fn entry(n: u128, kind: RecordEntryKind) -> Change {
    Change::ServiceRecordEntry(RecordEntry {
        id: RecordEntryId::from_u128(n),
        record_id: RECORD,
        at: base(),
        by: actor(Role::Therapist).staff_id,
        role: Role::Therapist,
        kind,
    })
}

fn event(n: u128, kind: ComplaintEventKind) -> Change {
    Change::ComplaintEvent(ComplaintEvent {
        id: ComplaintEventId::from_u128(n),
        complaint_id: COMPLAINT,
        at: base() + Duration::minutes(n as i64),
        by: Some(actor(Role::CustomerServiceSupervisor).staff_id),
        role: Role::CustomerServiceSupervisor,
        kind,
    })
}

/// Changes about her, each carrying her data where it can, and changes of the kinds that are
/// about no customer. Later edits of her records that do not name her are among them.
fn changes() -> Vec<Change> {
    let start = base() + Duration::hours(2);
    let therapist = actor(Role::Therapist).staff_id;
    vec![
        Change::CustomerUpsert {
            id: HER,
            fields: vec![
                CustomerField::Name(Name::parse(MARK).unwrap()),
                CustomerField::Phone(Some(Phone::parse(PHONE_DIGITS).unwrap())),
                CustomerField::Notes(note()),
                CustomerField::Allergies(vec![tag()]),
                CustomerField::HealthNotes(note()),
            ],
        },
        Change::CustomerUpsert {
            id: OTHER,
            fields: vec![CustomerField::Name(Name::parse("李娜").unwrap())],
        },
        Change::SkinAssessmentAdd(SkinAssessment {
            id: AssessmentId::from_u128(21),
            customer_id: HER,
            assessed_at: base(),
            assessed_by: therapist,
            skin_type: None,
            scores: SkinScores {
                hydration: Some(40),
                ..Default::default()
            },
            concerns: vec![tag()],
            notes: note(),
        }),
        Change::ConsentRecord(ConsentRecord {
            id: ConsentId::from_u128(22),
            customer_id: HER,
            purpose: ConsentPurpose::HealthData,
            version: Label::parse(orchid_core::consent::HEALTH_TEXT_VERSION).unwrap(),
            decision: ConsentDecision::Given,
            at: base(),
            recorded_by: therapist,
            method: ConsentMethod::TabletSignature,
            signed_name: Some(Name::parse(MARK).unwrap()),
            language: None,
            device: None,
        }),
        Change::AppointmentUpsert {
            id: APPOINTMENT,
            fields: vec![
                AppointmentField::CustomerId(HER),
                AppointmentField::TherapistId(Some(therapist)),
                AppointmentField::Services(vec![ServiceId::from_u128(1)]),
                AppointmentField::Time(
                    Interval::new(start, start + Duration::minutes(60)).unwrap(),
                ),
                AppointmentField::Needs(note()),
            ],
        },
        // An edit that does not name her.
        Change::AppointmentUpsert {
            id: APPOINTMENT,
            fields: vec![AppointmentField::Needs(
                Note::parse(&format!("{MARK} 改")).unwrap(),
            )],
        },
        Change::AppointmentStatus {
            appointment_id: APPOINTMENT,
            change: StatusChange {
                id: TransitionId::from_u128(31),
                to: AppointmentStatus::Confirmed,
                at: base(),
                by: actor(Role::Reception).staff_id,
                role: Role::Reception,
                reason: None,
                note: note(),
            },
        },
        Change::WaitlistUpsert {
            id: WAITLIST,
            fields: vec![WaitlistField::CustomerId(HER), WaitlistField::Note(note())],
        },
        entry(
            41,
            RecordEntryKind::Opened {
                customer_id: HER,
                therapist_id: therapist,
                appointment_id: Some(APPOINTMENT),
                services: vec![ServiceId::from_u128(1)],
            },
        ),
        entry(
            42,
            RecordEntryKind::Consultation {
                answers: vec![Answer {
                    key: Tag::parse("pregnant").unwrap(),
                    value: AnswerValue::Text(note()),
                }],
                consent_refused: false,
            },
        ),
        entry(
            43,
            RecordEntryKind::Checked {
                check: ContraindicationCheck::Blocked {
                    reasons: vec![BlockReason::Contraindication { tag: tag() }],
                },
            },
        ),
        // Her answers given ahead on the booking page: a record of their own, no visit.
        Change::ServiceRecordEntry(RecordEntry {
            id: RecordEntryId::from_u128(47),
            record_id: RECORD_AHEAD,
            at: base(),
            by: orchid_core::sync::server_actor().staff_id,
            role: orchid_core::sync::server_actor().role,
            kind: RecordEntryKind::ConsultationAhead {
                customer_id: HER,
                appointment_id: APPOINTMENT,
                answers: vec![Answer {
                    key: Tag::parse("q1").unwrap(),
                    value: AnswerValue::Text(note()),
                }],
            },
        }),
        entry(44, RecordEntryKind::Plan { plan: note() }),
        entry(45, RecordEntryKind::Note { note: note() }),
        entry(
            46,
            RecordEntryKind::Evaluation {
                effect: 4,
                note: note(),
            },
        ),
        Change::FeedbackSubmit(Feedback {
            id: FeedbackId::from_u128(51),
            store_id: STORE,
            customer_id: Some(HER),
            appointment_id: Some(APPOINTMENT),
            service_record_id: Some(RECORD),
            therapist_id: Some(therapist),
            services: vec![],
            submitted_at: base(),
            ratings: PerDimension::all(4),
            expectations: PerDimension::default(),
            recommend: 9,
            comment: note(),
            butler: None,
        }),
        // The kiosk's feedback names the visit, not her.
        Change::FeedbackSubmit(Feedback {
            id: FeedbackId::from_u128(52),
            store_id: STORE,
            customer_id: None,
            appointment_id: Some(APPOINTMENT),
            service_record_id: None,
            therapist_id: Some(therapist),
            services: vec![],
            submitted_at: base(),
            ratings: PerDimension::all(5),
            expectations: PerDimension::default(),
            recommend: 10,
            comment: note(),
            butler: None,
        }),
        Change::FollowUpUpsert {
            id: FOLLOW_UP,
            fields: vec![
                FollowUpField::CustomerId(HER),
                FollowUpField::Due(base()),
                FollowUpField::Status(FollowUpStatus::Planned),
            ],
        },
        Change::FollowUpUpsert {
            id: FOLLOW_UP,
            fields: vec![FollowUpField::Note(note())],
        },
        // A care call for her: what it says of her goes, who and when stay.
        Change::ServiceTaskUpsert {
            id: TASK,
            fields: vec![
                ServiceTaskField::Kind(TaskKind::CareCall),
                ServiceTaskField::Title(label()),
                ServiceTaskField::Note(note()),
                ServiceTaskField::Assignee(Some(actor(Role::Therapist).staff_id)),
                ServiceTaskField::Due(base()),
                ServiceTaskField::CustomerId(Some(HER)),
            ],
        },
        event(
            61,
            ComplaintEventKind::Received {
                channel: ComplaintChannel::Phone,
                customer_id: Some(HER),
                customer_name: Some(Name::parse(MARK).unwrap()),
                contact: Some(label()),
                occurred_at: None,
                description: note(),
                expected_solution: note(),
                nature: Some(ComplaintNature::ALL[0]),
                severity: Some(Severity::ALL[0]),
                links: ComplaintLinks::default(),
            },
        ),
        event(
            62,
            ComplaintEventKind::Contacted {
                channel: ContactChannel::Phone,
                summary: note(),
                proposal_made: true,
            },
        ),
        event(
            63,
            ComplaintEventKind::SolutionsProposed {
                options: vec![SolutionOption {
                    option: 1,
                    description: label(),
                    compensation: None,
                }],
            },
        ),
        event(
            64,
            ComplaintEventKind::Closed {
                root_cause: Some(RootCause::Skill),
                note: note(),
            },
        ),
        Change::LoyaltyDelta(LoyaltyDelta {
            id: LoyaltyDeltaId::from_u128(71),
            customer_id: HER,
            at: base(),
            by: actor(Role::Reception).staff_id,
            change: LoyaltyChange::Points {
                delta: 120,
                reason: PointsReason::Adjustment,
            },
            note: note(),
            checkout_id: None,
        }),
        // Her check-out stays in the books; the void's reason (which may tell of her) goes.
        Change::CheckoutRecord(checkout()),
        Change::CheckoutVoid(CheckoutVoid {
            checkout_id: CHECKOUT,
            reason: label(),
            at: base(),
            by: actor(Role::Manager).staff_id,
        }),
        Change::AuditAppend(AuditEntry {
            id: AuditId::from_u128(81),
            store_id: STORE,
            at: base(),
            actor: therapist,
            role: Role::Therapist,
            client_id: ClientId::from_u128(1),
            action: Action::CustomerRead,
            entity: EntityRef::new(EntityKind::Customer, HER),
            fields: vec!["allergies".into()],
            sensitivity: Sensitivity::Sensitive,
            note: note(),
        }),
        Change::AuditAppend(AuditEntry {
            id: AuditId::from_u128(82),
            store_id: STORE,
            at: base(),
            actor: therapist,
            role: Role::Therapist,
            client_id: ClientId::from_u128(1),
            action: Action::ServiceRecordRead,
            entity: EntityRef::new(EntityKind::ServiceRecord, RECORD),
            fields: vec![],
            sensitivity: Sensitivity::Sensitive,
            note: note(),
        }),
        // The kinds about no customer.
        Change::StoreUpsert {
            id: STORE,
            fields: vec![StoreField::Name(Name::parse("兰心").unwrap())],
        },
        Change::StaffUpsert {
            id: StaffId::from_u128(91),
            fields: vec![StaffField::Name(Name::parse("王美容师").unwrap())],
        },
        Change::CatalogUpsert {
            id: ServiceId::from_u128(1),
            fields: vec![CatalogField::Price(Money(38_000))],
        },
        Change::RoomUpsert {
            id: RoomId::from_u128(92),
            fields: vec![RoomField::Name(Name::parse("一号房").unwrap())],
        },
        Change::ProductUpsert {
            id: ProductId::from_u128(93),
            fields: vec![ProductField::Name(Name::parse("玻尿酸精华").unwrap())],
        },
        Change::BatchAdd(Batch {
            id: BatchId::from_u128(94),
            product_id: ProductId::from_u128(93),
            batch_no: Label::parse("B-1").unwrap(),
            expires_on: None,
            received_at: base(),
            supplier: None,
            cost: None,
        }),
        Change::StockMove(StockMovement {
            id: StockMovementId::from_u128(95),
            product_id: ProductId::from_u128(93),
            batch_id: Some(BatchId::from_u128(94)),
            delta: 10,
            reason: StockReason::Received,
            at: base(),
            by: actor(Role::Manager).staff_id,
        }),
        Change::Delete {
            entity: EntityRef::new(EntityKind::Room, RoomId::from_u128(92)),
        },
        // Internal checks: about rooms and staff, not a customer.
        common::change(23, 1, 2, Role::Manager),
        common::change(24, 1, 2, Role::Manager),
        Change::CheckRecord(orchid_core::internal_check::CheckRecord {
            id: CheckId::from_u128(96),
            store_id: STORE,
            template_id: CheckTemplateId::from_u128(97),
            kind: orchid_core::internal_check::CheckKind::Hygiene,
            room_id: Some(RoomId::from_u128(92)),
            by: actor(Role::Manager).staff_id,
            at: base(),
            device: ClientId::from_u128(1),
            results: vec![orchid_core::internal_check::ItemResult {
                item: 1,
                text: orchid_core::internal_check::Words::same("工具已消毒").unwrap(),
                outcome: orchid_core::internal_check::Outcome::Pass,
                note: Note::default(),
                conduct: None,
            }],
            subject: None,
        }),
    ]
}

fn erasure() -> Change {
    Change::CustomerErase { id: HER }
}

/// The change kinds, by an exhaustive match: a kind added to `Change` must be added here, and
/// then to `changes`.
fn kind_of(change: &Change) -> usize {
    match change {
        Change::StoreUpsert { .. } => 0,
        Change::StaffUpsert { .. } => 1,
        Change::CustomerUpsert { .. } => 2,
        Change::CustomerErase { .. } => 3,
        Change::SkinAssessmentAdd(_) => 4,
        Change::ConsentRecord(_) => 5,
        Change::CatalogUpsert { .. } => 6,
        Change::RoomUpsert { .. } => 7,
        Change::AppointmentUpsert { .. } => 8,
        Change::AppointmentStatus { .. } => 9,
        Change::WaitlistUpsert { .. } => 10,
        Change::ServiceRecordEntry(_) => 11,
        Change::FeedbackSubmit(_) => 12,
        Change::FollowUpUpsert { .. } => 13,
        Change::ComplaintEvent(_) => 14,
        Change::ProductUpsert { .. } => 15,
        Change::BatchAdd(_) => 16,
        Change::StockMove(_) => 17,
        Change::LoyaltyDelta(_) => 18,
        Change::AuditAppend(_) => 19,
        Change::Delete { .. } => 20,
        Change::CheckTemplateUpsert { .. } => 21,
        Change::CheckRecord(_) => 22,
        Change::CorrectiveEvent(_) => 23,
        Change::ServiceTaskUpsert { .. } => 24,
        Change::CheckoutRecord(_) => 25,
        Change::CheckoutVoid(_) => 26,
    }
}
const KINDS: usize = 27;

fn checkout() -> Checkout {
    Checkout {
        id: CHECKOUT,
        store_id: STORE,
        customer_id: Some(HER),
        appointment_id: None,
        lines: vec![BillLine {
            item: LineItem::Service {
                service_id: ServiceId::from_u128(2),
            },
            name: Label::parse("面部护理").unwrap(),
            quantity: 1,
            unit_price: Money(38_000),
        }],
        level: MembershipLevel::None,
        discount_percent: 0,
        subtotal: Money(38_000),
        total: Money(38_000),
        payments: vec![Payment::Outside {
            means: OutsideMeans::Cash,
            amount: Money(38_000),
        }],
        points_earned: 380,
        at: base(),
        by: actor(Role::Reception).staff_id,
    }
}

/// Who makes each change (the role its own fields name, where it names one).
fn role_of(change: &Change) -> Role {
    match change {
        Change::ServiceRecordEntry(e) => e.role,
        Change::ComplaintEvent(e) => e.role,
        Change::AppointmentStatus { change, .. } => change.role,
        Change::AuditAppend(a) => a.role,
        Change::LoyaltyDelta(_) | Change::CheckoutRecord(_) => Role::Reception,
        Change::SkinAssessmentAdd(_) | Change::ConsentRecord(_) => Role::Therapist,
        _ => Role::Manager,
    }
}

fn mutations(changes: Vec<Change>) -> Vec<Mutation> {
    let client = ClientId::from_u128(1);
    changes
        .into_iter()
        .enumerate()
        .map(|(i, change)| {
            let n = i as u64 + 1;
            Mutation {
                client_id: client,
                mutation_id: n,
                hlc: Hlc::new(1_000 + n, 0, client),
                // The server writes the answers given ahead, as the booking page's.
                actor: match &change {
                    Change::ServiceRecordEntry(e)
                        if matches!(e.kind, RecordEntryKind::ConsultationAhead { .. }) =>
                    {
                        orchid_core::sync::server_actor()
                    }
                    _ => actor(role_of(&change)),
                },
                store_id: STORE,
                change,
            }
        })
        .collect()
}

fn leaks(text: &str) -> bool {
    text.contains(MARK) || text.contains("ERASEME") || text.contains(PHONE_DIGITS)
}

#[test]
fn every_kind_is_covered() {
    let mut seen = [false; KINDS];
    for c in changes().iter().chain([&erasure()]) {
        seen[kind_of(c)] = true;
    }
    assert!(seen.iter().all(|s| *s), "{seen:?}");
}

#[test]
fn a_replica_keeps_none_of_her_data_whatever_the_order() {
    let all = mutations(changes().into_iter().chain([erasure()]).collect());
    let erase_at = all.len() - 1;
    let mut replicas = Vec::new();
    // The erasure last, first, and in the middle (edits arriving after it, as from a device that
    // was offline for weeks).
    for position in [erase_at, 0, erase_at / 2] {
        let mut order: Vec<&Mutation> = all[..erase_at].iter().collect();
        order.insert(position, &all[erase_at]);
        let mut replica = Replica::new();
        for m in order {
            replica.apply(m).unwrap();
        }
        let text = serde_json::to_string(&replica).unwrap();
        assert!(!leaks(&text), "position {position}: {text}");
        replicas.push(replica);
    }
    assert!(replicas.windows(2).all(|w| w[0] == w[1]));

    // Before the erasure it was all there (the test could fail).
    let mut before = Replica::new();
    for m in &all[..erase_at] {
        before.apply(m).unwrap();
    }
    assert!(leaks(&serde_json::to_string(&before).unwrap()));

    // The anonymous facts stay: the visit, her scores, the complaint's nature, the points.
    let after = &replicas[0];
    assert!(after.customer(HER).is_none());
    assert!(after.customer(OTHER).is_some());
    assert!(after.appointment(APPOINTMENT).is_some());
    let scores: Vec<u8> = after
        .feedback(STORE)
        .iter()
        .map(|f| f.ratings.tangibles)
        .collect();
    assert_eq!(scores.len(), 2);
    assert!(scores.contains(&4) && scores.contains(&5));
    let complaint = after.complaint(COMPLAINT, base()).unwrap();
    assert_eq!(complaint.nature, Some(ComplaintNature::ALL[0]));
    assert_eq!(after.records_of_customer(HER).len(), 15);
    assert!(
        after
            .answers_ahead(APPOINTMENT)
            .is_some_and(|a| a.answers.is_empty())
    );
    let task = after.service_task(TASK).unwrap();
    assert_eq!(task.kind, TaskKind::CareCall);
    assert_eq!(task.assignee, Some(actor(Role::Therapist).staff_id));
}

#[test]
fn each_change_about_her_loses_her_data_as_the_server_logs_it() {
    for mut change in changes() {
        let about_her = change.customer() == Some(HER)
            || matches!(&change, Change::AppointmentUpsert { id, .. } if *id == APPOINTMENT)
            || matches!(&change, Change::AppointmentStatus { .. })
            || matches!(&change, Change::FollowUpUpsert { .. })
            || matches!(
                &change,
                Change::ServiceRecordEntry(_) | Change::ComplaintEvent(_)
            )
            || matches!(&change, Change::FeedbackSubmit(_) | Change::AuditAppend(_));
        if !about_her {
            continue;
        }
        change.erase_personal();
        let text = serde_json::to_string(&change).unwrap();
        assert!(!leaks(&text), "{text}");
    }
}
