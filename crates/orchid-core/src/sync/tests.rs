use chrono::Duration;

use super::*;
use crate::appointment::{AppointmentStatus, CancelReason, StatusChange};
use crate::customer::{CustomerField, Phone, SkinAssessment, SkinScores};
use crate::hlc::{Hlc, HlcError};
use crate::ids::{AppointmentId, AssessmentId, ComplaintId, CustomerId, ServiceId, TransitionId};
use crate::permission::Action;
use crate::text::{Name, Note, Tag};
use crate::time::tests::cst;
use crate::time::{Interval, Timestamp};

const STORE: StoreId = StoreId::from_u128(100);
const A: ClientId = ClientId::from_u128(1);
const B: ClientId = ClientId::from_u128(2);
const SERVER: ClientId = ClientId::from_u128(999);

fn actor(role: Role) -> Actor {
    Actor {
        staff_id: StaffId::from_u128(role as u128 + 1),
        role,
    }
}

fn t0() -> Timestamp {
    cst(2025, 3, 10, 10, 0)
}

fn m(client: ClientId, id: u64, wall: u64, role: Role, change: Change) -> Mutation {
    Mutation {
        client_id: client,
        mutation_id: id,
        hlc: Hlc::new(wall, 0, client),
        actor: actor(role),
        store_id: STORE,
        change,
    }
}

fn name(n: &str) -> CustomerField {
    CustomerField::Name(Name::parse(n).unwrap())
}

fn upsert(id: u128, fields: Vec<CustomerField>) -> Change {
    Change::CustomerUpsert {
        id: CustomerId::from_u128(id),
        fields,
    }
}

#[test]
fn last_writer_wins_per_field_in_any_order() {
    let m1 = m(
        A,
        1,
        10,
        Role::Reception,
        upsert(
            1,
            vec![
                name("王芳"),
                CustomerField::Phone(Some(Phone::parse("13812345678").unwrap())),
            ],
        ),
    );
    let m2 = m(B, 1, 20, Role::Reception, upsert(1, vec![name("王芳芳")]));
    let m3 = m(
        A,
        2,
        15,
        Role::Therapist,
        upsert(
            1,
            vec![CustomerField::Allergies(vec![Tag::parse("果酸").unwrap()])],
        ),
    );
    let mut x = Replica::new();
    let mut y = Replica::new();
    for mu in [&m1, &m2, &m3] {
        x.apply(mu).unwrap();
    }
    for mu in [&m3, &m2, &m1, &m2] {
        y.apply(mu).unwrap();
    }
    assert_eq!(x, y);
    let c = x.customer(CustomerId::from_u128(1)).unwrap();
    assert_eq!(c.name.as_str(), "王芳芳");
    assert!(c.phone.is_some());
    assert_eq!(c.allergies.len(), 1);
    assert_eq!(x.customers(STORE).len(), 1);
}

#[test]
fn duplicates_are_detected_by_client_and_mutation_id() {
    let m1 = m(A, 1, 10, Role::Reception, upsert(1, vec![name("王芳")]));
    let mut r = Replica::new();
    assert!(matches!(
        r.apply(&m1).unwrap(),
        Applied::Merged { changed: true, .. }
    ));
    assert_eq!(r.apply(&m1).unwrap(), Applied::Duplicate);
    assert_eq!(r.applied_through(A), 1);
    let m3 = m(A, 3, 30, Role::Reception, upsert(1, vec![name("王")]));
    r.apply(&m3).unwrap();
    assert_eq!(r.applied_through(A), 1);
    assert!(r.has_applied(A, 3));
    r.apply(&m(A, 2, 20, Role::Reception, upsert(1, vec![name("王二")])))
        .unwrap();
    assert_eq!(r.applied_through(A), 3);
    assert_eq!(
        r.customer(CustomerId::from_u128(1)).unwrap().name.as_str(),
        "王"
    );
}

#[test]
fn rejections_carry_a_reason_and_change_nothing() {
    let mut r = Replica::new();
    let sensitive = m(
        A,
        1,
        10,
        Role::Reception,
        upsert(
            1,
            vec![CustomerField::HealthNotes(Note::parse("孕期").unwrap())],
        ),
    );
    let e = r.apply(&sensitive).unwrap_err();
    assert_eq!(e.code(), "permission.denied");
    assert_eq!(r, Replica::new());
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["code"], "permission.denied");
    assert_eq!(json["action"], "customer_write");
    // Deleting an append-only record.
    let del = m(
        A,
        1,
        10,
        Role::Owner,
        Change::Delete {
            entity: EntityRef::new(EntityKind::Complaint, ComplaintId::from_u128(1)),
        },
    );
    assert_eq!(r.apply(&del).unwrap_err().code(), "sync.not_deletable");
    // A status move claiming someone else's role.
    let mut change = status(1, AppointmentStatus::Confirmed, Role::Manager);
    change.by = StaffId::from_u128(4242);
    let mv = m(
        A,
        1,
        10,
        Role::Manager,
        Change::AppointmentStatus {
            appointment_id: AppointmentId::from_u128(1),
            change,
        },
    );
    assert_eq!(r.apply(&mv).unwrap_err().code(), "sync.actor_mismatch");
    assert_eq!(
        Change::Delete {
            entity: EntityRef::new(EntityKind::Room, ServiceId::from_u128(1))
        }
        .requires()
        .unwrap()
        .0,
        Action::RoomManage
    );
}

fn status(id: u128, to: AppointmentStatus, role: Role) -> StatusChange {
    StatusChange {
        id: TransitionId::from_u128(id),
        to,
        at: t0(),
        by: actor(role).staff_id,
        role,
        reason: (to == AppointmentStatus::Cancelled).then_some(CancelReason::CustomerRequest),
        note: Note::default(),
    }
}

#[test]
fn tombstones_and_erasure_win_in_any_order() {
    let create = m(
        A,
        1,
        10,
        Role::Therapist,
        upsert(
            1,
            vec![
                name("王芳"),
                CustomerField::HealthNotes(Note::parse("高血压").unwrap()),
            ],
        ),
    );
    let assess = m(
        A,
        2,
        11,
        Role::Therapist,
        Change::SkinAssessmentAdd(SkinAssessment {
            id: AssessmentId::from_u128(1),
            customer_id: CustomerId::from_u128(1),
            assessed_at: t0(),
            assessed_by: actor(Role::Therapist).staff_id,
            skin_type: None,
            scores: SkinScores::default(),
            concerns: vec![],
            notes: Note::default(),
        }),
    );
    let erase = m(
        B,
        1,
        12,
        Role::Manager,
        Change::CustomerErase {
            id: CustomerId::from_u128(1),
        },
    );
    let late_edit = m(A, 3, 50, Role::Reception, upsert(1, vec![name("又改名")]));
    let mut x = Replica::new();
    for mu in [&create, &assess, &erase, &late_edit] {
        x.apply(mu).unwrap();
    }
    let mut y = Replica::new();
    for mu in [&late_edit, &erase, &assess, &create] {
        y.apply(mu).unwrap();
    }
    assert_eq!(x, y);
    assert!(x.customer(CustomerId::from_u128(1)).is_none());
    assert!(x.is_erased(CustomerId::from_u128(1)));
    assert!(x.skin_assessments(CustomerId::from_u128(1)).is_empty());
    assert!(
        x.customer_state(CustomerId::from_u128(1))
            .unwrap()
            .fields
            .is_empty()
    );
    assert!(x.export_customer(CustomerId::from_u128(1)).is_none());
}

fn booking(id: u128, therapist: u128, start: Timestamp) -> Change {
    use crate::appointment::AppointmentField as F;
    Change::AppointmentUpsert {
        id: AppointmentId::from_u128(id),
        fields: vec![
            F::CustomerId(CustomerId::from_u128(id)),
            F::TherapistId(Some(StaffId::from_u128(therapist))),
            F::Services(vec![ServiceId::from_u128(1)]),
            F::Time(Interval::new(start, start + Duration::minutes(60)).unwrap()),
        ],
    }
}

#[test]
fn colliding_bookings_are_both_kept_and_flagged() {
    let a = m(A, 1, 10, Role::Reception, booking(1, 7, t0()));
    let b = m(
        B,
        1,
        11,
        Role::Reception,
        booking(2, 7, t0() + Duration::minutes(30)),
    );
    let mut r = Replica::new();
    r.apply(&a).unwrap();
    r.apply(&b).unwrap();
    assert_eq!(r.appointments(STORE).len(), 2);
    let c = r.booking_conflicts(STORE, 10);
    assert_eq!(c.len(), 1);
    // Cancelling one resolves it.
    let cancel = m(
        A,
        2,
        20,
        Role::Reception,
        Change::AppointmentStatus {
            appointment_id: AppointmentId::from_u128(2),
            change: status(1, AppointmentStatus::Cancelled, Role::Reception),
        },
    );
    r.apply(&cancel).unwrap();
    assert!(r.booking_conflicts(STORE, 10).is_empty());
    assert_eq!(
        r.appointment(AppointmentId::from_u128(2))
            .unwrap()
            .status
            .status,
        AppointmentStatus::Cancelled
    );
}

#[test]
fn status_moves_replay_in_hlc_order() {
    let id = AppointmentId::from_u128(1);
    let mv = |client, mid, wall, sid, to, role| {
        m(
            client,
            mid,
            wall,
            role,
            Change::AppointmentStatus {
                appointment_id: id,
                change: status(sid, to, role),
            },
        )
    };
    let confirm = mv(A, 1, 10, 1, AppointmentStatus::Confirmed, Role::Reception);
    let arrive = mv(A, 2, 20, 2, AppointmentStatus::Arrived, Role::Reception);
    let cancel = mv(B, 1, 15, 3, AppointmentStatus::Cancelled, Role::Reception);
    let mut x = Replica::new();
    let mut y = Replica::new();
    for mu in [&confirm, &arrive, &cancel] {
        x.apply(mu).unwrap();
    }
    for mu in [&arrive, &cancel, &confirm] {
        y.apply(mu).unwrap();
    }
    assert_eq!(x, y);
    let v = x.appointment_status(id);
    // confirm (10) → cancel (15) → arrive (20) is not a move from cancelled: ignored, reported.
    assert_eq!(v.status, AppointmentStatus::Cancelled);
    assert_eq!(v.ignored.len(), 1);
}

fn auth(role: Role) -> Actor {
    actor(role)
}

#[test]
fn client_server_round_trip() {
    let mut server = ServerState::new(SERVER);
    let mut a = SyncClient::new(A, STORE);
    let mut b = SyncClient::new(B, STORE);
    let now = t0();
    let anywhere = |_: StoreId| true;
    a.mutate(actor(Role::Reception), upsert(1, vec![name("王芳")]), now)
        .unwrap();
    a.mutate(
        actor(Role::Reception),
        upsert(
            1,
            vec![CustomerField::Notes(Note::parse("喜欢安静").unwrap())],
        ),
        now,
    )
    .unwrap();
    assert_eq!(a.pending().len(), 2);
    let req = a.push_request(10).unwrap();
    let resp = server
        .push(&req, &auth(Role::Reception), &anywhere, now)
        .unwrap();
    assert!(
        resp.results
            .iter()
            .all(|r| r.outcome == PushOutcome::Accepted)
    );
    assert_eq!(resp.last_mutation_id, 2);
    // The response is lost; the client pushes again: duplicates, nothing applied twice.
    let resp = server
        .push(&req, &auth(Role::Reception), &anywhere, now)
        .unwrap();
    assert!(
        resp.results
            .iter()
            .all(|r| r.outcome == PushOutcome::Duplicate)
    );
    a.on_push_response(&resp).unwrap();
    assert_eq!(a.pending().len(), 2);
    let pulled = server.pull(&a.pull_request(100)).unwrap();
    let rep = a.on_pull_response(&pulled, now).unwrap();
    assert_eq!(rep.confirmed, 2);
    assert!(a.pending().is_empty());
    assert_eq!(a.view(), a.confirmed());
    // B pulls in pages of one.
    loop {
        let resp = server.pull(&b.pull_request(1)).unwrap();
        let rep = b.on_pull_response(&resp, now).unwrap();
        if !rep.has_more {
            break;
        }
    }
    assert_eq!(
        b.view().customer(CustomerId::from_u128(1)),
        a.view().customer(CustomerId::from_u128(1))
    );
    assert_eq!(b.cursor(), Some(Cursor(2)));
}

#[test]
fn server_rejections_are_undone_on_the_device() {
    let mut server = ServerState::new(SERVER);
    let mut a = SyncClient::new(A, STORE);
    let now = t0();
    a.mutate(actor(Role::Reception), upsert(1, vec![name("王芳")]), now)
        .unwrap();
    a.mutate(actor(Role::Reception), upsert(1, vec![name("王芳二")]), now)
        .unwrap();
    // The server knows this device as someone else (e.g. the session changed): the actor does not match.
    let resp = server
        .push(
            &a.push_request(1).unwrap(),
            &auth(Role::Manager),
            &|_| true,
            now,
        )
        .unwrap();
    let rep = a.on_push_response(&resp).unwrap();
    assert_eq!(rep.rejected.len(), 1);
    assert_eq!(rep.rejected[0].1.code(), "sync.actor_mismatch");
    assert_eq!(a.pending().len(), 1);
    assert_eq!(
        a.view()
            .customer(CustomerId::from_u128(1))
            .unwrap()
            .name
            .as_str(),
        "王芳二"
    );
    // A store the actor may not act in.
    let resp = server
        .push(
            &a.push_request(1).unwrap(),
            &auth(Role::Reception),
            &|_| false,
            now,
        )
        .unwrap();
    assert_eq!(
        a.on_push_response(&resp).unwrap().rejected[0].1.code(),
        "sync.wrong_store"
    );
    assert!(a.view().customer(CustomerId::from_u128(1)).is_none());
}

#[test]
fn server_checks_gaps_drift_and_versions() {
    let mut server = ServerState::new(SERVER);
    let now = t0();
    let wall = u64::try_from(now.timestamp_millis()).unwrap();
    let later = m(A, 2, wall, Role::Reception, upsert(1, vec![name("王")]));
    let req = PushRequest {
        format_version: FORMAT_VERSION,
        client_id: A,
        mutations: vec![later.clone()],
    };
    let resp = server
        .push(&req, &auth(Role::Reception), &|_| true, now)
        .unwrap();
    assert!(
        matches!(&resp.results[0].outcome, PushOutcome::Retry { error } if error.code() == "sync.mutation_id_gap")
    );
    assert_eq!(resp.last_mutation_id, 0);
    // A clock 6 minutes ahead (limit 5 minutes) is not refused for good: the change waits, and
    // the device's later changes wait behind it.
    let ahead = m(
        A,
        1,
        wall + 6 * 60 * 1000,
        Role::Reception,
        upsert(1, vec![name("王")]),
    );
    let req = PushRequest {
        format_version: FORMAT_VERSION,
        client_id: A,
        mutations: vec![ahead, later],
    };
    let resp = server
        .push(&req, &auth(Role::Reception), &|_| true, now)
        .unwrap();
    assert!(matches!(
        &resp.results[0].outcome,
        PushOutcome::Retry {
            error: ValidationError::Hlc(HlcError::TooFarAhead { .. })
        }
    ));
    assert!(
        matches!(&resp.results[1].outcome, PushOutcome::Retry { error } if error.code() == "sync.mutation_id_gap")
    );
    assert_eq!(resp.last_mutation_id, 0);
    assert!(server.log.is_empty());
    // Two minutes later the server's clock is close enough: both are taken, in order.
    let resp = server
        .push(
            &req,
            &auth(Role::Reception),
            &|_| true,
            now + chrono::Duration::minutes(2),
        )
        .unwrap();
    assert_eq!(resp.results[0].outcome, PushOutcome::Accepted);
    assert_eq!(resp.results[1].outcome, PushOutcome::Accepted);
    assert_eq!(server.log.len(), 2);
    let bad = PushRequest {
        format_version: 99,
        client_id: A,
        mutations: vec![],
    };
    assert_eq!(
        server
            .push(&bad, &auth(Role::Reception), &|_| true, now)
            .unwrap_err()
            .code(),
        "sync.unsupported_version"
    );
    // Another store's record cannot be edited by naming it under this store.
    let mut other = m(B, 1, wall, Role::Reception, upsert(1, vec![name("李")]));
    other.store_id = StoreId::from_u128(5);
    let req = PushRequest {
        format_version: FORMAT_VERSION,
        client_id: B,
        mutations: vec![other],
    };
    let resp = server
        .push(&req, &auth(Role::Reception), &|_| true, now)
        .unwrap();
    assert!(
        matches!(&resp.results[0].outcome, PushOutcome::Rejected { error } if error.code() == "sync.entity_in_other_store")
    );
}

#[test]
fn pull_filters_by_store_and_pages() {
    let mut server = ServerState::new(SERVER);
    let now = t0();
    let wall = u64::try_from(now.timestamp_millis()).unwrap();
    let mut ms = Vec::new();
    for i in 1..=5u64 {
        let mut mu = m(
            A,
            i,
            wall,
            Role::Reception,
            upsert(u128::from(i), vec![name("王")]),
        );
        if i % 2 == 0 {
            mu.store_id = StoreId::from_u128(5);
        }
        ms.push(mu);
    }
    let req = PushRequest {
        format_version: FORMAT_VERSION,
        client_id: A,
        mutations: ms,
    };
    server
        .push(&req, &auth(Role::Reception), &|_| true, now)
        .unwrap();
    let mut c = SyncClient::new(B, STORE);
    let r1 = server.pull(&c.pull_request(2)).unwrap();
    assert_eq!(r1.changes.len(), 2);
    assert!(r1.has_more);
    c.on_pull_response(&r1, now).unwrap();
    let r2 = server.pull(&c.pull_request(2)).unwrap();
    assert_eq!(r2.changes.len(), 1);
    assert!(!r2.has_more);
    assert_eq!(r2.cursor, Cursor(5));
    c.on_pull_response(&r2, now).unwrap();
    assert_eq!(c.view().customers(STORE).len(), 3);
}

#[test]
fn local_refusal_leaves_the_client_unchanged() {
    let mut a = SyncClient::new(A, STORE);
    let before = a.clone();
    let e = a
        .mutate(
            actor(Role::FinanceSupervisor),
            upsert(1, vec![name("王")]),
            t0(),
        )
        .unwrap_err();
    assert_eq!(e.code(), "permission.denied");
    assert_eq!(a, before);
}

#[test]
fn a_device_refuses_a_service_step_on_a_blocked_record_before_writing_it() {
    use crate::ids::{RecordEntryId, ServiceRecordId};
    use crate::service_record::{BlockReason, ContraindicationCheck, RecordEntry, RecordEntryKind};
    let therapist = actor(Role::Therapist);
    let record = ServiceRecordId::from_u128(7);
    let entry = |n: u128, minutes: i64, kind: RecordEntryKind| {
        Change::ServiceRecordEntry(RecordEntry {
            id: RecordEntryId::from_u128(n),
            record_id: record,
            at: t0() + Duration::minutes(minutes),
            by: therapist.staff_id,
            role: therapist.role,
            kind,
        })
    };
    let mut device = SyncClient::new(A, STORE);
    let opened = entry(
        1,
        0,
        RecordEntryKind::Opened {
            customer_id: CustomerId::from_u128(1),
            therapist_id: therapist.staff_id,
            appointment_id: None,
            services: vec![ServiceId::from_u128(1)],
        },
    );
    let checked = entry(
        2,
        1,
        RecordEntryKind::Checked {
            check: ContraindicationCheck::Blocked {
                reasons: vec![BlockReason::Contraindication {
                    tag: Tag::parse("孕期").unwrap(),
                }],
            },
        },
    );
    device.mutate(therapist, opened, t0()).unwrap();
    device.mutate(therapist, checked, t0()).unwrap();
    let step = entry(3, 2, RecordEntryKind::StepFinished { index: 0 });
    let refused = device.mutate(therapist, step, t0()).unwrap_err();
    assert_eq!(refused.code(), "service.blocked");
    assert_eq!(device.pending().len(), 2, "nothing was written");
}

#[test]
fn only_a_complaint_handler_links_a_follow_up_to_a_complaint() {
    use crate::followup::FollowUpField;
    use crate::ids::FollowUpId;
    let link = Change::FollowUpUpsert {
        id: FollowUpId::from_u128(1),
        fields: vec![FollowUpField::ComplaintId(Some(ComplaintId::from_u128(7)))],
    };
    for role in [Role::Therapist, Role::Reception] {
        let e = link.validate(&actor(role)).unwrap_err();
        assert_eq!(e.code(), "permission.denied", "{role:?}");
    }
    for role in [Role::CustomerServiceSupervisor, Role::Manager] {
        assert_eq!(link.validate(&actor(role)), Ok(()), "{role:?}");
    }
    // Marking a follow-up done stays the follow-up permission's, as before.
    let done = Change::FollowUpUpsert {
        id: FollowUpId::from_u128(1),
        fields: vec![FollowUpField::Status(crate::followup::FollowUpStatus::Done)],
    };
    assert_eq!(done.validate(&actor(Role::Therapist)), Ok(()));
}

fn consent(
    id: u128,
    customer: u128,
    decision: crate::consent::ConsentDecision,
    by: Actor,
    at: Timestamp,
) -> Change {
    use crate::consent::{ConsentMethod, ConsentPurpose, ConsentRecord, HEALTH_TEXT_VERSION};
    Change::ConsentRecord(ConsentRecord {
        id: crate::ids::ConsentId::from_u128(id),
        customer_id: CustomerId::from_u128(customer),
        purpose: ConsentPurpose::HealthData,
        version: crate::text::Label::parse(HEALTH_TEXT_VERSION).unwrap(),
        decision,
        at,
        recorded_by: by.staff_id,
        method: ConsentMethod::TabletSignature,
        signed_name: Some(Name::parse("王芳").unwrap()),
        language: None,
        device: None,
    })
}

fn allergies(customer: u128, tag: &str) -> Change {
    upsert(
        customer,
        vec![CustomerField::Allergies(vec![Tag::parse(tag).unwrap()])],
    )
}

#[test]
fn a_device_writes_health_data_only_while_consent_is_given() {
    use crate::consent::ConsentDecision::{Given, Refused, Withdrawn};
    let desk = actor(Role::Manager);
    let mut device = SyncClient::new(A, STORE);
    let now = t0();
    device
        .mutate(desk, upsert(1, vec![name("王芳")]), now)
        .unwrap();
    // Ordinary fields need no consent; health fields do.
    let refused = device.mutate(desk, allergies(1, "果酸"), now).unwrap_err();
    assert_eq!(refused.code(), "consent.health_data_required");
    // She refuses when asked: still refused.
    device
        .mutate(desk, consent(1, 1, Refused, desk, now), now)
        .unwrap();
    assert!(device.mutate(desk, allergies(1, "果酸"), now).is_err());
    // Given: written.
    device
        .mutate(desk, consent(2, 1, Given, desk, now), now)
        .unwrap();
    device.mutate(desk, allergies(1, "果酸"), now).unwrap();
    // Withdrawn: refused again, but clearing the field is always allowed.
    device
        .mutate(desk, consent(3, 1, Withdrawn, desk, now), now)
        .unwrap();
    assert!(device.mutate(desk, allergies(1, "酒精"), now).is_err());
    device
        .mutate(
            desk,
            upsert(1, vec![CustomerField::Allergies(Vec::new())]),
            now,
        )
        .unwrap();
    // Given again: written again.
    device
        .mutate(desk, consent(4, 1, Given, desk, now), now)
        .unwrap();
    device.mutate(desk, allergies(1, "酒精"), now).unwrap();
    assert!(!device.view().has_health_consent(CustomerId::from_u128(2)));
    assert!(device.view().has_health_consent(CustomerId::from_u128(1)));
    assert!(device.view().consent_flags(STORE).is_empty());
}

#[test]
fn a_tablet_consent_names_the_device_that_records_it() {
    let desk = actor(Role::Manager);
    let mut device = SyncClient::new(A, STORE);
    let Change::ConsentRecord(mut c) =
        consent(1, 1, crate::consent::ConsentDecision::Given, desk, t0())
    else {
        unreachable!()
    };
    c.device = Some(B);
    let e = device
        .mutate(desk, Change::ConsentRecord(c.clone()), t0())
        .unwrap_err();
    assert_eq!(e.code(), "consent.wrong_device");
    c.device = Some(A);
    c.signed_name = None;
    let e = device
        .mutate(desk, Change::ConsentRecord(c), t0())
        .unwrap_err();
    assert_eq!(e.code(), "consent.signature_required");
}

#[test]
fn the_server_refuses_health_data_never_consented_to() {
    let desk = actor(Role::Manager);
    let mut server = ServerState::new(SERVER);
    let anywhere = |_: StoreId| true;
    // A device that skips the check (an old or altered client) pushes allergies directly.
    let pushed = m(A, 1, 10, Role::Manager, allergies(1, "果酸"));
    let req = PushRequest {
        format_version: FORMAT_VERSION,
        client_id: A,
        mutations: vec![pushed],
    };
    let resp = server.push(&req, &desk, &anywhere, t0()).unwrap();
    assert!(matches!(
        &resp.results[0].outcome,
        PushOutcome::Rejected { error } if error.code() == "consent.health_data_required"
    ));
}

#[test]
fn a_write_after_a_withdrawal_the_device_had_not_seen_is_kept_and_flagged() {
    use crate::consent::ConsentDecision::{Given, Withdrawn};
    let desk = actor(Role::Manager);
    let mut server = ServerState::new(SERVER);
    let anywhere = |_: StoreId| true;
    let now = t0();
    let mut a = SyncClient::new(A, STORE);
    let mut b = SyncClient::new(B, STORE);
    // A records her file and her consent; both devices see it.
    a.mutate(desk, upsert(1, vec![name("王芳")]), now).unwrap();
    a.mutate(desk, consent(1, 1, Given, desk, now), now)
        .unwrap();
    let resp = server
        .push(&a.push_request(10).unwrap(), &desk, &anywhere, now)
        .unwrap();
    a.on_push_response(&resp).unwrap();
    for c in [&mut a, &mut b] {
        let pulled = server.pull(&c.pull_request(100)).unwrap();
        c.on_pull_response(&pulled, now).unwrap();
    }
    // B goes offline. A records her withdrawal and syncs it.
    let later = now + Duration::minutes(5);
    a.mutate(desk, consent(2, 1, Withdrawn, desk, later), later)
        .unwrap();
    let resp = server
        .push(&a.push_request(10).unwrap(), &desk, &anywhere, later)
        .unwrap();
    a.on_push_response(&resp).unwrap();
    // Later still, B (which never saw the withdrawal) writes her allergies: allowed on B.
    let offline = now + Duration::minutes(10);
    b.mutate(desk, allergies(1, "果酸"), offline).unwrap();
    // B comes back: the server keeps the write (nothing is lost) …
    let resp = server
        .push(&b.push_request(10).unwrap(), &desk, &anywhere, offline)
        .unwrap();
    assert_eq!(resp.results[0].outcome, PushOutcome::Accepted);
    // … and every replica, whatever the order it received the changes in, flags it.
    for c in [&mut a, &mut b] {
        let pulled = server.pull(&c.pull_request(100)).unwrap();
        c.on_pull_response(&pulled, offline).unwrap();
    }
    assert_eq!(a.view(), b.view());
    let flags = a.view().consent_flags(STORE);
    assert_eq!(flags.len(), 1);
    assert_eq!(flags[0].customer_id, CustomerId::from_u128(1));
    assert_eq!(flags[0].field.as_deref(), Some("allergies"));
    assert_eq!(flags[0].written.node, B);
    let mut reversed = Replica::new();
    let mut log: Vec<Mutation> = server
        .pull(&SyncClient::new(ClientId::from_u128(3), STORE).pull_request(100))
        .unwrap()
        .changes
        .into_iter()
        .map(|c| c.mutation)
        .collect();
    log.reverse();
    for mu in &log {
        reversed.apply(mu).unwrap();
    }
    assert_eq!(reversed.consent_flags(STORE), flags);
    // Given again later: the flag stays (the write was made without it), and new writes pass.
    let again = now + Duration::minutes(20);
    a.mutate(desk, consent(3, 1, Given, desk, again), again)
        .unwrap();
    a.mutate(desk, allergies(1, "酒精"), again).unwrap();
    assert!(
        a.view().consent_flags(STORE).is_empty(),
        "the newer write covers the field"
    );
}
