//! The trust boundaries of `POST /sync/push`, tried as a disgruntled manager, a curious colleague
//! and another store would try them (issue 19): who may grant what, who is speaking, whose device
//! id it is, clocks and deltas, and the contraindication stop. Each runs on SQLite, and on
//! PostgreSQL when `ORCHID_TEST_POSTGRES_URL` is set.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

#[path = "../../orchid-core/tests/common/mod.rs"]
mod generators;

use axum::http::{Method, StatusCode};
use common::{Staff, TestServer, now};
use orchid_core::hlc::{Hlc, HlcClock};
use orchid_core::ids::{
    ClientId, CustomerId, ProductId, RecordEntryId, ServiceId, ServiceRecordId, StaffId,
    StockMovementId, StoreId,
};
use orchid_core::product::{StockMovement, StockReason};
use orchid_core::role::Role;
use orchid_core::service_record::{
    BlockReason, ContraindicationCheck, RecordEntry, RecordEntryKind,
};
use orchid_core::staff::StaffField;
use orchid_core::store::StoreField;
use orchid_core::sync::{Actor, Change, FORMAT_VERSION, Mutation};
use orchid_core::text::{Name, Note, Tag};
use serde_json::{Value, json};

/// A device that pushes whatever it is told to, under its id and mutation ids: an attacker's
/// script, or an honest device when the mutation is honest.
struct Script {
    client: ClientId,
    next_id: u64,
    clock: HlcClock,
}

impl Script {
    fn new() -> Self {
        let client = ClientId(uuid::Uuid::now_v7());
        Self {
            client,
            next_id: 1,
            clock: HlcClock::new(client),
        }
    }

    fn mutation(&mut self, actor: Actor, store: StoreId, change: Change) -> Mutation {
        let m = Mutation {
            client_id: self.client,
            mutation_id: self.next_id,
            hlc: self.clock.tick(now()).unwrap(),
            actor,
            store_id: store,
            change,
        };
        self.next_id += 1;
        m
    }

    fn body(&self, mutations: &[Mutation]) -> Value {
        json!({
            "format_version": FORMAT_VERSION,
            "client_id": self.client,
            "mutations": mutations,
        })
    }

    /// Pushes one mutation as `staff`; answers the HTTP status and the mutation's outcome.
    async fn push(
        &mut self,
        s: &TestServer,
        staff: &Staff,
        store: StoreId,
        change: Change,
    ) -> (StatusCode, Value) {
        let m = self.mutation(staff.actor(), store, change);
        let (status, body) = s.push_json(staff, self.body(&[m])).await;
        (status, body["results"][0].clone())
    }
}

fn refused_with(outcome: &Value, code: &str) {
    assert_eq!(outcome["status"], "rejected", "{outcome}");
    assert_eq!(outcome["error"]["code"], code, "{outcome}");
}

fn accepted(status: StatusCode, outcome: &Value) {
    assert_eq!(status, StatusCode::OK, "{outcome}");
    assert_eq!(outcome["status"], "accepted", "{outcome}");
}

async fn role_of(s: &TestServer, staff: StaffId) -> String {
    sqlx::query_scalar("SELECT role FROM staff WHERE id = $1")
        .bind(staff.to_string())
        .fetch_one(s.pool())
        .await
        .unwrap()
}

async fn live_sessions(s: &TestServer, staff: StaffId) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE staff_id = $1 AND revoked_at IS NULL")
        .bind(staff.to_string())
        .fetch_one(s.pool())
        .await
        .unwrap()
}

// Rule 1: nobody raises their own role, nobody grants above their own, only an owner touches an
// owner.
#[tokio::test]
async fn a_manager_cannot_make_herself_owner_nor_touch_an_owner() {
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let manager = s
        .add_staff(&owner, owner.store_id, "manager1", Role::Manager)
        .await;
    let reception = s
        .add_staff(&owner, owner.store_id, "reception1", Role::Reception)
        .await;
    let mut device = Script::new();

    let raise_self = Change::StaffUpsert {
        id: manager.staff_id,
        fields: vec![StaffField::Role(Role::Owner)],
    };
    let (_, outcome) = device
        .push(&s, &manager, manager.store_id, raise_self)
        .await;
    refused_with(&outcome, "sync.own_account");

    let make_owner = Change::StaffUpsert {
        id: reception.staff_id,
        fields: vec![StaffField::Role(Role::Owner)],
    };
    let (_, outcome) = device
        .push(&s, &manager, manager.store_id, make_owner)
        .await;
    refused_with(&outcome, "sync.role_not_grantable");

    let demote_owner = Change::StaffUpsert {
        id: owner.staff_id,
        fields: vec![StaffField::Role(Role::Reception)],
    };
    let (_, outcome) = device
        .push(&s, &manager, manager.store_id, demote_owner)
        .await;
    refused_with(&outcome, "sync.owner_only");

    let deactivate_owner = Change::StaffUpsert {
        id: owner.staff_id,
        fields: vec![StaffField::Active(false)],
    };
    let (_, outcome) = device
        .push(&s, &manager, manager.store_id, deactivate_owner)
        .await;
    refused_with(&outcome, "sync.owner_only");
    let (_, outcome) = device
        .push(
            &s,
            &manager,
            manager.store_id,
            Change::StaffUpsert {
                id: owner.staff_id,
                fields: vec![StaffField::Name(Name::parse("not the owner").unwrap())],
            },
        )
        .await;
    refused_with(&outcome, "sync.owner_only");

    assert_eq!(role_of(&s, manager.staff_id).await, "manager");
    assert_eq!(role_of(&s, owner.staff_id).await, "owner");
    assert_eq!(role_of(&s, reception.staff_id).await, "reception");
    // The owner still works.
    let (status, _) = s.get("/api/v1/staff", &owner).await;
    assert_eq!(status, StatusCode::OK);
}

// Rule 1 (what a grant does): a role given in the staff record is the account's role, and a
// deactivated person is signed out everywhere at once.
#[tokio::test]
async fn a_granted_role_and_a_deactivation_take_effect_on_the_account() {
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let manager = s
        .add_staff(&owner, owner.store_id, "manager1", Role::Manager)
        .await;
    let therapist = s
        .add_staff(&owner, owner.store_id, "therapist1", Role::Therapist)
        .await;
    let mut device = Script::new();
    let (status, outcome) = device
        .push(
            &s,
            &manager,
            manager.store_id,
            Change::StaffUpsert {
                id: therapist.staff_id,
                fields: vec![StaffField::Role(Role::TechnicalSupervisor)],
            },
        )
        .await;
    accepted(status, &outcome);
    assert_eq!(
        role_of(&s, therapist.staff_id).await,
        "technical_supervisor"
    );

    let (status, outcome) = device
        .push(
            &s,
            &manager,
            manager.store_id,
            Change::StaffUpsert {
                id: therapist.staff_id,
                fields: vec![StaffField::Active(false)],
            },
        )
        .await;
    accepted(status, &outcome);
    assert_eq!(live_sessions(&s, therapist.staff_id).await, 0);
    let (status, body) = s.sign_in("therapist1", common::PASSWORD).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, _) = s.get("/api/v1/devices", &therapist).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

// Rule 2: a store's own records change only under that store.
#[tokio::test]
async fn another_stores_manager_cannot_rewrite_its_settings_or_staff() {
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let store_b = s.add_store(&owner, "二店").await;
    let manager_a = s
        .add_staff(&owner, owner.store_id, "manager_a", Role::Manager)
        .await;
    let manager_b = s
        .add_staff(&owner, store_b, "manager_b", Role::Manager)
        .await;
    let reception_a = s
        .add_staff(&owner, owner.store_id, "reception_a", Role::Reception)
        .await;
    let mut device = Script::new();

    // Store A's manager files store B's record under store A.
    let (_, outcome) = device
        .push(
            &s,
            &manager_a,
            manager_a.store_id,
            Change::StoreUpsert {
                id: store_b,
                fields: vec![StoreField::Name(Name::parse("被改名").unwrap())],
            },
        )
        .await;
    refused_with(&outcome, "sync.entity_in_other_store");
    // B's own manager still edits it.
    let mut device_b = Script::new();
    let (status, outcome) = device_b
        .push(
            &s,
            &manager_b,
            store_b,
            Change::StoreUpsert {
                id: store_b,
                fields: vec![StoreField::Name(Name::parse("二店新名").unwrap())],
            },
        )
        .await;
    accepted(status, &outcome);

    // B's manager deactivates the chain owner's, or store A's receptionist's, staff record.
    let mut device_b2 = Script::new();
    let (_, outcome) = device_b2
        .push(
            &s,
            &manager_b,
            store_b,
            Change::StaffUpsert {
                id: owner.staff_id,
                fields: vec![StaffField::Active(false)],
            },
        )
        .await;
    assert_eq!(outcome["status"], "rejected", "{outcome}");
    let (_, outcome) = device_b2
        .push(
            &s,
            &manager_b,
            store_b,
            Change::StaffUpsert {
                id: reception_a.staff_id,
                fields: vec![StaffField::Active(false)],
            },
        )
        .await;
    refused_with(&outcome, "sync.entity_in_other_store");
    assert_eq!(
        live_sessions(&s, reception_a.staff_id).await,
        1,
        "A's receptionist is still signed in"
    );
    assert_eq!(live_sessions(&s, owner.staff_id).await, 1);
}

// Rule 3: every person-naming field is the signed-in person.
#[tokio::test]
async fn a_colleague_cannot_be_named_as_the_one_who_moved_stock() {
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let reception = s
        .add_staff(&owner, owner.store_id, "reception1", Role::Reception)
        .await;
    let manager = s
        .add_staff(&owner, owner.store_id, "manager1", Role::Manager)
        .await;
    let mut device = Script::new();
    let stock = |by: StaffId| {
        Change::StockMove(StockMovement {
            id: StockMovementId(uuid::Uuid::now_v7()),
            product_id: ProductId(uuid::Uuid::now_v7()),
            batch_id: None,
            delta: -3,
            reason: StockReason::Sold,
            at: now(),
            by,
        })
    };
    let (_, outcome) = device
        .push(&s, &manager, manager.store_id, stock(reception.staff_id))
        .await;
    refused_with(&outcome, "sync.actor_mismatch");
    let (status, outcome) = device
        .push(&s, &manager, manager.store_id, stock(manager.staff_id))
        .await;
    accepted(status, &outcome);
}

/// `POST /api/v1/sync/push` as `staff`, from the device whose key is `key` (none: a device
/// that sends no key).
fn push_with_key(
    staff: &Staff,
    body: Value,
    key: Option<&str>,
) -> axum::http::Request<axum::body::Body> {
    let mut request = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/api/v1/sync/push")
        .header("authorization", format!("Bearer {}", staff.token))
        .header("content-type", "application/json");
    if let Some(key) = key {
        request = request.header("orchid-device-key", key);
    }
    request
        .body(axum::body::Body::from(body.to_string()))
        .unwrap()
}

// Rule 4: a device id belongs to the device that first used it.
#[tokio::test]
async fn a_colleague_who_learned_a_device_id_cannot_push_under_it() {
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let reception = s
        .add_staff(&owner, owner.store_id, "reception1", Role::Reception)
        .await;
    let colleague = s
        .add_staff(&owner, owner.store_id, "reception2", Role::Reception)
        .await;
    let customer = |name: &str| Change::CustomerUpsert {
        id: CustomerId(uuid::Uuid::now_v7()),
        fields: vec![orchid_core::customer::CustomerField::Name(
            Name::parse(name).unwrap(),
        )],
    };
    let key = "device-key-of-the-front-desk-0001";

    let mut real = Script::new();
    let first = real.mutation(reception.actor(), reception.store_id, customer("王芳"));
    let (status, body) = s
        .raw(push_with_key(&reception, real.body(&[first]), Some(key)))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // The colleague pushes under the real device's id, with its next mutation id.
    let mut forged = Script {
        client: real.client,
        next_id: real.next_id,
        clock: HlcClock::new(real.client),
    };
    let stolen = forged.mutation(colleague.actor(), colleague.store_id, customer("假的"));
    let (status, body) = s
        .raw(push_with_key(&colleague, forged.body(&[stolen]), None))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"], "sync.device_taken");
    let guessed = forged.mutation(colleague.actor(), colleague.store_id, customer("假的"));
    let (status, _) = s
        .raw(push_with_key(
            &colleague,
            forged.body(&[guessed]),
            Some("a-guessed-key"),
        ))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The real device's next change is accepted, not answered "duplicate".
    let next = real.mutation(reception.actor(), reception.store_id, customer("李娜"));
    let (status, body) = s
        .raw(push_with_key(&reception, real.body(&[next]), Some(key)))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["results"][0]["status"], "accepted", "{body}");

    // A colleague signed in on that very device (it sends the device's key) pushes under it.
    let shared = real.mutation(colleague.actor(), colleague.store_id, customer("张敏"));
    let (status, body) = s
        .raw(push_with_key(&colleague, real.body(&[shared]), Some(key)))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["results"][0]["status"], "accepted", "{body}");
}

// Rule 10: a clock stamp near the counter's end cannot stop other devices from writing.
#[tokio::test]
async fn a_clock_counter_at_its_end_is_refused() {
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let mut device = Script::new();
    let mut m = device.mutation(
        owner.actor(),
        owner.store_id,
        Change::CustomerUpsert {
            id: CustomerId(uuid::Uuid::now_v7()),
            fields: vec![orchid_core::customer::CustomerField::Name(
                Name::parse("王芳").unwrap(),
            )],
        },
    );
    m.hlc = Hlc {
        counter: u32::MAX - 1,
        ..m.hlc
    };
    let (status, body) = s.push_json(&owner, device.body(&[m])).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["results"][0]["status"], "rejected", "{body}");
    assert_eq!(body["results"][0]["error"]["code"], "hlc.counter_too_high");
}

// Rule 13: deltas are bounded.
#[tokio::test]
async fn a_stock_delta_that_could_overflow_is_refused() {
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let mut device = Script::new();
    let (_, outcome) = device
        .push(
            &s,
            &owner,
            owner.store_id,
            Change::StockMove(StockMovement {
                id: StockMovementId(uuid::Uuid::now_v7()),
                product_id: ProductId(uuid::Uuid::now_v7()),
                batch_id: None,
                delta: i64::MAX,
                reason: StockReason::Received,
                at: now(),
                by: owner.staff_id,
            }),
        )
        .await;
    refused_with(&outcome, "stock.delta_too_large");
}

// Rule 17: the contraindication stop holds on the server.
#[tokio::test]
async fn a_blocked_record_takes_no_step_without_a_real_override() {
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let therapist = s
        .add_staff(&owner, owner.store_id, "therapist1", Role::Therapist)
        .await;
    let supervisor = s
        .add_staff(
            &owner,
            owner.store_id,
            "supervisor1",
            Role::TechnicalSupervisor,
        )
        .await;
    let record = ServiceRecordId(uuid::Uuid::now_v7());
    let mut at = now() - chrono::Duration::minutes(10);
    let mut entry = |by: &Staff, kind: RecordEntryKind| {
        at += chrono::Duration::seconds(10);
        Change::ServiceRecordEntry(RecordEntry {
            id: RecordEntryId(uuid::Uuid::now_v7()),
            record_id: record,
            at,
            by: by.staff_id,
            role: by.role,
            kind,
        })
    };
    let reasons = vec![BlockReason::Contraindication {
        tag: Tag::parse("孕期").unwrap(),
    }];
    let opened = entry(
        &therapist,
        RecordEntryKind::Opened {
            customer_id: CustomerId(uuid::Uuid::now_v7()),
            therapist_id: therapist.staff_id,
            appointment_id: None,
            services: vec![ServiceId(uuid::Uuid::now_v7())],
        },
    );
    let checked = entry(
        &therapist,
        RecordEntryKind::Checked {
            check: ContraindicationCheck::Blocked {
                reasons: reasons.clone(),
            },
        },
    );
    let step = |index| RecordEntryKind::StepStarted {
        index,
        name: Name::parse("清洁").unwrap(),
    };
    let mut bedside = Script::new();
    for change in [opened, checked] {
        let (status, outcome) = bedside
            .push(&s, &therapist, therapist.store_id, change)
            .await;
        accepted(status, &outcome);
    }
    let (_, outcome) = bedside
        .push(
            &s,
            &therapist,
            therapist.store_id,
            entry(&therapist, step(0)),
        )
        .await;
    refused_with(&outcome, "service.blocked");

    // An override whose PIN the device did not verify, or by the therapist herself, lifts nothing.
    let mut supervisor_device = Script::new();
    let unverified = entry(
        &supervisor,
        RecordEntryKind::Override {
            reasons: reasons.clone(),
            justification: Note::parse("已确认医生许可").unwrap(),
            pin_verified: false,
        },
    );
    let (_, outcome) = supervisor_device
        .push(&s, &supervisor, supervisor.store_id, unverified)
        .await;
    refused_with(&outcome, "service.override_pin_not_verified");
    let (_, outcome) = bedside
        .push(
            &s,
            &therapist,
            therapist.store_id,
            entry(&therapist, step(0)),
        )
        .await;
    refused_with(&outcome, "service.blocked");

    let verified = entry(
        &supervisor,
        RecordEntryKind::Override {
            reasons,
            justification: Note::parse("已确认医生许可").unwrap(),
            pin_verified: true,
        },
    );
    let (status, outcome) = supervisor_device
        .push(&s, &supervisor, supervisor.store_id, verified)
        .await;
    accepted(status, &outcome);
    let (status, outcome) = bedside
        .push(
            &s,
            &therapist,
            therapist.store_id,
            entry(&therapist, step(0)),
        )
        .await;
    accepted(status, &outcome);
}

/// A small deterministic random source (no dependency for one test).
struct Xorshift(u64);

impl Xorshift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn byte(&mut self) -> u8 {
        u8::try_from(self.next() % 256).unwrap()
    }
}

// The property: over random mutations of every kind, by every role, filed under their own store
// or another, naming themselves or a colleague, the server accepts exactly what the permission
// matrix, the actor rule and the store rules allow.
#[tokio::test]
async fn the_server_accepts_exactly_what_the_matrix_the_actor_and_the_store_allow() {
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let store_a = owner.store_id;
    let store_b = s.add_store(&owner, "二店").await;
    let mut people = vec![owner.clone()];
    for (i, role) in Role::ALL.into_iter().enumerate() {
        if role != Role::Owner {
            people.push(s.add_staff(&owner, store_a, &format!("a{i}"), role).await);
        }
    }
    people.push(
        s.add_staff(&owner, store_b, "b_manager", Role::Manager)
            .await,
    );
    let mut devices: Vec<Script> = people.iter().map(|_| Script::new()).collect();
    let mut claimed: std::collections::HashMap<(String, String), StoreId> = Default::default();
    // What the server has accepted so far, replayed: the rules that depend on records (the
    // contraindication stop, a check-in on the booking's day, consent, a task marked done only by
    // its assignee) are checked against it.
    let mut accepted_so_far = orchid_core::sync::Replica::new();
    let mut rng = Xorshift(0x5eed_0019_2026_1202);
    let cases = 240;
    let mut accepted_count = 0;
    for case in 0..cases {
        let who = usize::from(rng.byte()) % people.len();
        let person = people[who].clone();
        let store = if rng.byte().is_multiple_of(4) {
            store_b
        } else {
            store_a
        };
        let role = person.role;
        let kind = rng.byte() % generators::KINDS;
        let (a, b) = (rng.byte(), rng.byte());
        let generated = generators::change(kind, a, b, role);
        // The generator names a fixed actor and store; this session's staff id (or, one time in
        // five, a colleague's) and the mutation's store replace them.
        let named = if rng.byte().is_multiple_of(5) {
            people[(who + 1) % people.len()].staff_id
        } else {
            person.staff_id
        };
        let text = serde_json::to_string(&generated)
            .unwrap()
            .replace(
                &generators::actor(role).staff_id.to_string(),
                &named.to_string(),
            )
            .replace(&generators::STORE.to_string(), &store.to_string());
        let change: Change = serde_json::from_str(&text).unwrap();
        let device = &mut devices[who];
        let m = device.mutation(person.actor(), store, change);
        let may_act = store == person.store_id || role == Role::Owner;
        let entity = m.change.entity();
        let key = (format!("{:?}", entity.kind), entity.id.to_string());
        let other_store_has_it = claimed.get(&key).is_some_and(|owner| *owner != store);
        let expected = may_act
            && m.validate().is_ok()
            && !other_store_has_it
            && accepted_so_far.check_stop(&m.change).is_ok()
            && accepted_so_far.check_task_work(&m).is_ok()
            && accepted_so_far.check_pushed(&m).is_ok();
        let (status, body) = s
            .push_json(&person, device.body(std::slice::from_ref(&m)))
            .await;
        assert_eq!(status, StatusCode::OK, "case {case}: {body}");
        let outcome = &body["results"][0];
        assert_eq!(
            outcome["status"] == "accepted",
            expected,
            "case {case}: {role:?} in {store} (own {}) pushed {text}: {outcome} (core: {:?})",
            person.store_id,
            m.validate()
        );
        if may_act && m.validate().is_ok() {
            claimed.entry(key).or_insert(store);
        }
        if expected {
            accepted_count += 1;
            accepted_so_far.apply(&m).unwrap();
        }
    }
    // The cases reach both answers often.
    assert!(accepted_count > cases / 5, "{accepted_count} of {cases}");
    assert!(
        accepted_count < cases * 4 / 5,
        "{accepted_count} of {cases}"
    );
}

// Issue 21: a login for a person already on the store's records, and a first password that
// opens nothing but its own replacement.
#[tokio::test]
async fn a_first_password_opens_nothing_until_the_person_chooses_her_own() {
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let manager = s
        .add_staff(&owner, owner.store_id, "manager1", Role::Manager)
        .await;
    // Reception made Xiao Mei on a device, before the salon had a server.
    let mut device = Script::new();
    let xiao_mei = StaffId(uuid::Uuid::now_v7());
    let (status, outcome) = device
        .push(
            &s,
            &manager,
            manager.store_id,
            Change::StaffUpsert {
                id: xiao_mei,
                fields: vec![
                    StaffField::Name(Name::parse("小美").unwrap()),
                    StaffField::Role(Role::Therapist),
                    StaffField::Active(true),
                ],
            },
        )
        .await;
    accepted(status, &outcome);
    let new_login = |login: &str| {
        json!({ "staff_id": xiao_mei, "login": login, "display_name": "小美",
                "role": "therapist", "password": "first pass 4821" })
    };
    let (status, body) = s
        .call(
            Method::POST,
            "/api/v1/staff",
            Some(&manager.token),
            Some(new_login("xiaomei")),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        body["id"],
        xiao_mei.to_string(),
        "the same person, not a new one"
    );
    assert_eq!(body["must_change_password"], true);
    let (status, _) = s
        .call(
            Method::POST,
            "/api/v1/staff",
            Some(&manager.token),
            Some(new_login("xiaomei2")),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "one login per person");

    let (status, body) = s.sign_in("xiaomei", "first pass 4821").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["must_change_password"], true);
    let first = Staff {
        token: body["token"].as_str().unwrap().to_owned(),
        staff_id: xiao_mei,
        store_id: manager.store_id,
        role: Role::Therapist,
    };
    let pull = json!({ "format_version": FORMAT_VERSION, "client_id": uuid::Uuid::now_v7(),
                       "store_id": first.store_id, "limit": 10 });
    let (status, body) = s.pull_json(&first, pull.clone()).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("password.must_change"))
    );
    let (status, body) = s.get("/api/v1/stores", &first).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = s
        .call(
            Method::POST,
            "/api/v1/auth/password",
            Some(&first.token),
            Some(
                json!({ "old_password": "first pass 4821", "new_password": "mine and only mine" }),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = s.pull_json(&first, pull).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Another store's person is not this store's to give a login to.
    let other_store = s.add_store(&owner, "二店").await;
    let other_person = StaffId(uuid::Uuid::now_v7());
    let (status, outcome) = Script::new()
        .push(
            &s,
            &owner,
            other_store,
            Change::StaffUpsert {
                id: other_person,
                fields: vec![StaffField::Name(Name::parse("阿芳").unwrap())],
            },
        )
        .await;
    accepted(status, &outcome);
    let (status, body) = s
        .call(
            Method::POST,
            "/api/v1/staff",
            Some(&manager.token),
            Some(
                json!({ "staff_id": other_person, "login": "afang", "display_name": "阿芳",
                        "role": "therapist", "password": "first pass 4821" }),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
}

/// A therapist deactivated while her tablet was offline: the changes it queued for her before
/// the deactivation still arrive, carried by a manager signed in on that tablet, and stay hers.
/// Nothing else is carried: her changes dated after the deactivation, from a device she never
/// used, or by a colleague who is not a manager.
#[tokio::test]
async fn a_deactivated_persons_queued_changes_arrive_through_a_manager_on_her_device() {
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let manager = s
        .add_staff(&owner, owner.store_id, "manager1", Role::Manager)
        .await;
    let therapist = s
        .add_staff(&owner, owner.store_id, "therapist1", Role::Therapist)
        .await;
    let colleague = s
        .add_staff(&owner, owner.store_id, "reception1", Role::Reception)
        .await;
    let customer = |name: &str| Change::CustomerUpsert {
        id: CustomerId(uuid::Uuid::now_v7()),
        fields: vec![orchid_core::customer::CustomerField::Name(
            Name::parse(name).unwrap(),
        )],
    };
    let tablet_key = Some("device-key-of-bedside-tablet-0001");
    let push_from_tablet = |staff: &Staff, body: Value| push_with_key(staff, body, tablet_key);

    // Her tablet has synced once as her; then, offline, it queues two more changes.
    let mut tablet = Script::new();
    let synced = tablet.mutation(therapist.actor(), therapist.store_id, customer("王芳"));
    let (status, body) = s
        .raw(push_from_tablet(&therapist, tablet.body(&[synced])))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let queued = [
        tablet.mutation(therapist.actor(), therapist.store_id, customer("李娜")),
        tablet.mutation(therapist.actor(), therapist.store_id, customer("张敏")),
    ];
    let queued_last = tablet.mutation(therapist.actor(), therapist.store_id, customer("周婷"));
    // Meanwhile she is deactivated; her own session can no longer send them.
    let (status, _) = s
        .call(
            Method::POST,
            &format!("/api/v1/staff/{}/deactivate", therapist.staff_id),
            Some(&owner.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = s
        .raw(push_from_tablet(&therapist, tablet.body(&queued)))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // From a device she never used, a manager may not either.
    let mut elsewhere = Script::new();
    let foreign = elsewhere.mutation(therapist.actor(), therapist.store_id, customer("赵敏"));
    let (status, body) = s.push_json(&manager, elsewhere.body(&[foreign])).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["results"][0]["status"], "rejected", "{body}");

    // The manager on her tablet: both arrive, as hers.
    let mut again = Script {
        client: tablet.client,
        next_id: tablet.next_id,
        clock: HlcClock::new(tablet.client),
    };
    let (status, body) = s
        .raw(push_from_tablet(&manager, tablet.body(&queued)))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    for result in body["results"].as_array().unwrap() {
        assert_eq!(result["status"], "accepted", "{body}");
    }
    // Hers in the log (the mutation's actor, what every device pulls), with who carried them.
    let logged: Vec<(String, String)> = sqlx::query_as(
        "SELECT body, staff_id FROM changes WHERE kind = 'customer.upsert' ORDER BY seq",
    )
    .fetch_all(s.pool())
    .await
    .unwrap();
    let authors: Vec<String> = logged
        .iter()
        .map(|(body, _)| {
            serde_json::from_str::<Value>(body).unwrap()["actor"]["staff_id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(authors, vec![therapist.staff_id.to_string(); 3]);
    let pushed_by: Vec<&str> = logged.iter().map(|(_, by)| by.as_str()).collect();
    let (her, carrier) = (therapist.staff_id.to_string(), manager.staff_id.to_string());
    assert_eq!(
        pushed_by,
        vec![her.as_str(), carrier.as_str(), carrier.as_str()]
    );

    // A receptionist signed in on the tablet may not carry them.
    let (status, body) = s
        .raw(push_from_tablet(&colleague, tablet.body(&[queued_last])))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["results"][0]["status"], "rejected", "{body}");

    // A change in her name dated after her deactivation is not carried.
    let deactivated_ms: i64 = sqlx::query_scalar("SELECT deactivated_at FROM staff WHERE id = $1")
        .bind(therapist.staff_id.to_string())
        .fetch_one(s.pool())
        .await
        .unwrap();
    let mut late = again.mutation(therapist.actor(), therapist.store_id, customer("孙丽"));
    late.hlc.wall_ms = u64::try_from(deactivated_ms).unwrap() + 1;
    let (status, body) = s.raw(push_from_tablet(&manager, again.body(&[late]))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["results"][0]["status"], "rejected", "{body}");
    assert_eq!(
        body["results"][0]["error"]["code"], "sync.actor_mismatch",
        "{body}"
    );

    // A second owner's queued change: the manager may not carry it (an owner's authority).
    let partner = s
        .add_staff(&owner, owner.store_id, "owner2", Role::Owner)
        .await;
    let desk_key = Some("device-key-of-the-owners-desk-0001");
    let mut desk = Script::new();
    let first = desk.mutation(partner.actor(), partner.store_id, customer("钱红"));
    let (status, body) = s
        .raw(push_with_key(&partner, desk.body(&[first]), desk_key))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let owners_queued = desk.mutation(partner.actor(), partner.store_id, customer("吴静"));
    let (status, _) = s
        .call(
            Method::POST,
            &format!("/api/v1/staff/{}/deactivate", partner.staff_id),
            Some(&owner.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = s
        .raw(push_with_key(
            &manager,
            desk.body(&[owners_queued]),
            desk_key,
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["results"][0]["error"]["code"], "sync.actor_mismatch",
        "{body}"
    );
}

// A customer checks in on her booking's day only, on the server as on every device: a script
// cannot mark tomorrow's booking arrived today. A walk-in is booked and checked in in one push.
#[tokio::test]
async fn a_booking_is_checked_in_on_its_day_only() {
    use orchid_core::appointment::{AppointmentField, AppointmentStatus, StatusChange};
    use orchid_core::ids::{AppointmentId, TransitionId};
    use orchid_core::time::Interval;

    let s = TestServer::start().await;
    let owner = s.owner().await;
    let reception = s
        .add_staff(&owner, owner.store_id, "reception1", Role::Reception)
        .await;
    let booking =
        |id: AppointmentId, start: orchid_core::time::Timestamp| Change::AppointmentUpsert {
            id,
            fields: vec![
                AppointmentField::CustomerId(CustomerId(uuid::Uuid::now_v7())),
                AppointmentField::Services(vec![ServiceId(uuid::Uuid::now_v7())]),
                AppointmentField::Time(
                    Interval::new(start, start + chrono::Duration::hours(1)).unwrap(),
                ),
            ],
        };
    let arrived = |id: AppointmentId| Change::AppointmentStatus {
        appointment_id: id,
        change: StatusChange {
            id: TransitionId(uuid::Uuid::now_v7()),
            to: AppointmentStatus::Arrived,
            at: now(),
            by: reception.staff_id,
            role: Role::Reception,
            reason: None,
            note: Note::default(),
        },
    };
    let mut desk = Script::new();
    let tomorrow = AppointmentId(uuid::Uuid::now_v7());
    let (status, outcome) = desk
        .push(
            &s,
            &reception,
            reception.store_id,
            booking(tomorrow, now() + chrono::Duration::days(1)),
        )
        .await;
    accepted(status, &outcome);
    let (_, outcome) = desk
        .push(&s, &reception, reception.store_id, arrived(tomorrow))
        .await;
    refused_with(&outcome, "appointment.not_the_booking_day");

    // Booked and checked in in the same push, today: accepted.
    let walk_in = AppointmentId(uuid::Uuid::now_v7());
    let both = [
        desk.mutation(
            reception.actor(),
            reception.store_id,
            booking(walk_in, now()),
        ),
        desk.mutation(reception.actor(), reception.store_id, arrived(walk_in)),
    ];
    let (status, body) = s.push_json(&reception, desk.body(&both)).await;
    accepted(status, &body["results"][0]);
    accepted(status, &body["results"][1]);
}

// A service's standard product use: the server refuses what the core's field check refuses, and
// a product that is not the store's own — another store's, or one it never heard of.
#[tokio::test]
async fn a_standard_use_is_bounded_and_names_the_stores_own_products() {
    use orchid_core::catalog::{CatalogField, StandardUse};
    use orchid_core::product::{ProductField, StockUnit};

    let s = TestServer::start().await;
    let owner = s.owner().await;
    let manager = s
        .add_staff(&owner, owner.store_id, "manager1", Role::Manager)
        .await;
    let other_store = s.add_store(&owner, "分店").await;
    let product = |name: &str| {
        let id = ProductId(uuid::Uuid::now_v7());
        let change = Change::ProductUpsert {
            id,
            fields: vec![
                ProductField::Name(Name::parse(name).unwrap()),
                ProductField::Unit(StockUnit::Ml),
            ],
        };
        (id, change)
    };
    let (serum, add_serum) = product("玻尿酸精华");
    let (theirs, add_theirs) = product("分店的精油");
    let mut device = Script::new();
    let (status, outcome) = device.push(&s, &manager, manager.store_id, add_serum).await;
    accepted(status, &outcome);
    let (status, outcome) = Script::new()
        .push(&s, &owner, other_store, add_theirs)
        .await;
    accepted(status, &outcome);

    let service = ServiceId(uuid::Uuid::now_v7());
    let standard = |lines: &[(ProductId, u32)]| Change::CatalogUpsert {
        id: service,
        fields: vec![CatalogField::StandardUse(
            lines
                .iter()
                .map(|(product_id, quantity)| StandardUse {
                    product_id: *product_id,
                    quantity: *quantity,
                })
                .collect(),
        )],
    };
    for (lines, code) in [
        (vec![(serum, 0)], "catalog.standard_use_quantity"),
        (vec![(serum, 10_001)], "catalog.standard_use_quantity"),
        (
            vec![(serum, 3), (serum, 2)],
            "catalog.standard_use_duplicate",
        ),
        (
            vec![(serum, 3), (theirs, 2)],
            "catalog.standard_use_unknown_product",
        ),
        (
            vec![(ProductId(uuid::Uuid::now_v7()), 2)],
            "catalog.standard_use_unknown_product",
        ),
    ] {
        let (status, outcome) = device
            .push(&s, &manager, manager.store_id, standard(&lines))
            .await;
        assert_eq!(status, StatusCode::OK, "{outcome}");
        refused_with(&outcome, code);
    }
    let (status, outcome) = device
        .push(&s, &manager, manager.store_id, standard(&[(serum, 3)]))
        .await;
    accepted(status, &outcome);
    // Only the good standard use reached the log.
    let logged: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM changes WHERE entity_id = $1")
        .bind(service.to_string())
        .fetch_one(s.pool())
        .await
        .unwrap();
    assert_eq!(logged, 1);
}
