//! Online booking: the public page's routes, from a customer's phone to the store's devices.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::{Duration, NaiveDate};
use common::{Staff, TestServer, now};
use http_body_util::BodyExt;
use orchid_core::appointment::{Appointment, AppointmentField, AppointmentStatus, BookingChannel};
use orchid_core::catalog::{
    CatalogField, CatalogService, ConsultationQuestion, Money, QuestionKind, ServiceCategory,
};
use orchid_core::ids::{AppointmentId, CustomerId, ServiceId};
use orchid_core::record::FieldSet;
use orchid_core::role::Role;
use orchid_core::store::{Store, StoreField};
use orchid_core::sync::{Change, SyncClient};
use orchid_core::text::{Label, Name, Tag};
use orchid_core::time::{DayHours, Interval, OpeningHours, UtcOffset};
use serde_json::{Value, json};
use tower::ServiceExt;

struct Salon {
    s: TestServer,
    owner: Staff,
    therapist: Staff,
    service: ServiceId,
    code: String,
}

/// A store open 10:00–21:00 taking online bookings, one therapist, one 60-minute facial with two
/// consultation questions.
async fn salon(confirm_unknown_phones: bool) -> Salon {
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let store = owner.store_id;
    let therapist = s.add_staff(&owner, store, "lily", Role::Therapist).await;
    let mut record = Store::new(store, Name::parse("兰心美容").unwrap());
    record.opening_hours = OpeningHours::every_day(DayHours::hm(10, 0, 21, 0).unwrap());
    record.settings.online_booking.enabled = true;
    record.settings.online_booking.confirm_unknown_phones = confirm_unknown_phones;
    let mut service = CatalogService::new(
        ServiceId(uuid::Uuid::now_v7()),
        store,
        Name::parse("补水护理").unwrap(),
        ServiceCategory::Facial,
        60,
        Money::yuan(380, 0),
    );
    service.consultation = vec![
        ConsultationQuestion {
            key: Tag::parse("q1").unwrap(),
            text: Label::parse("近两周做过激光吗？").unwrap(),
            kind: QuestionKind::YesNo {
                yes_means: Some(Tag::parse("recent_laser").unwrap()),
            },
        },
        ConsultationQuestion {
            key: Tag::parse("q2").unwrap(),
            text: Label::parse("皮肤有什么需要注意的？").unwrap(),
            kind: QuestionKind::Text,
        },
    ];
    let mut device = owner.device();
    for change in [
        Change::StoreUpsert {
            id: store,
            fields: StoreField::all_from(&record),
        },
        Change::CatalogUpsert {
            id: service.id,
            fields: CatalogField::all_from(&service),
        },
    ] {
        device.mutate(owner.actor(), change, now()).unwrap();
    }
    s.push(&owner, &mut device, 50).await;
    let (status, link) = s.get("/api/v1/online-booking", &owner).await;
    assert_eq!(status, StatusCode::OK, "{link}");
    assert_eq!(link["enabled"], true);
    let code = link["code"].as_str().unwrap().to_owned();
    assert_eq!(link["path"], format!("/book/{code}"));
    Salon {
        s,
        owner,
        therapist,
        service: service.id,
        code,
    }
}

fn tomorrow() -> NaiveDate {
    UtcOffset::CHINA.local_date(now()) + Duration::days(1)
}

impl Salon {
    async fn slots(&self, date: NaiveDate) -> Vec<Value> {
        let uri = format!(
            "/api/v1/book/{}/slots?service={}&date={date}",
            self.code, self.service
        );
        let (status, body) = self.s.call(Method::GET, &uri, None, None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["slots"].as_array().unwrap().clone()
    }

    /// The booking page's store, services and therapists, as anyone on the web reads them.
    async fn page(&self) -> (StatusCode, Value) {
        let uri = format!("/api/v1/book/{}", self.code);
        self.s.call(Method::GET, &uri, None, None).await
    }

    async fn book(&self, start: &Value, name: &str, phone: &str) -> (StatusCode, Value) {
        self.book_with(json!({
            "service_id": self.service, "start": start, "name": name, "phone": phone,
            "needs": "肩颈有点紧", "website": "",
        }))
        .await
    }

    async fn book_with(&self, body: Value) -> (StatusCode, Value) {
        self.s
            .call(
                Method::POST,
                &format!("/api/v1/book/{}", self.code),
                None,
                Some(body),
            )
            .await
    }

    /// A call of her private link's page (`/api/v1/booking/…`): no session, only the token.
    async fn her_link(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.s.call(Method::POST, path, None, Some(body)).await
    }

    /// The store's device after a pull: what the desk sees.
    async fn desk(&self) -> SyncClient {
        let mut device = self.owner.device();
        self.s.pull_all(&self.owner, &mut device, 500).await;
        device
    }
}

#[tokio::test]
async fn a_booking_lands_on_the_devices_as_a_website_appointment_pending_for_an_unknown_phone() {
    let salon = salon(true).await;
    let (status, page) = salon.page().await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["store"]["name"], "兰心美容");
    assert_eq!(page["services"][0]["name"], "补水护理");
    assert_eq!(page["therapists"][0]["name"], "lily");
    let slots = salon.slots(tomorrow()).await;
    // 10:00 to 20:00 every half hour.
    assert_eq!(slots.len(), 21, "{slots:?}");
    let (status, booked) = salon
        .book(&slots[0]["start"], "王芳", "138 0013 8000")
        .await;
    assert_eq!(status, StatusCode::CREATED, "{booked}");
    assert_eq!(
        booked["status"], "booked",
        "an unknown phone waits for the desk"
    );
    assert_eq!(booked["therapist_name"], "lily");
    assert!(booked["token"].as_str().unwrap().len() >= 40);
    // The token is kept hashed only.
    let stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM online_bookings WHERE token_hash = $1")
            .bind(booked["token"].as_str().unwrap())
            .fetch_one(salon.s.pool())
            .await
            .unwrap();
    assert_eq!(stored, 0);

    let desk = salon.desk().await;
    let store = salon.owner.store_id;
    let bookings = desk.view().appointments(store);
    assert_eq!(bookings.len(), 1);
    let website = &bookings[0];
    assert_eq!(website.appointment.channel, BookingChannel::Website);
    assert_eq!(website.status.status, AppointmentStatus::Booked);
    assert_eq!(
        website.appointment.therapist_id,
        Some(salon.therapist.staff_id)
    );
    assert_eq!(website.appointment.needs.as_str(), "肩颈有点紧");
    let her = desk
        .view()
        .customer(website.appointment.customer_id)
        .unwrap();
    assert_eq!(her.name.as_ref(), "王芳");
    assert_eq!(
        her.phone.as_ref().map(|p| p.as_str()),
        Some("+8613800138000")
    );

    // Now that the store knows her phone, her next booking is confirmed at once, in her file.
    let (status, again) = salon
        .book(&slots[6]["start"], "Wang Fang", "13800138000")
        .await;
    assert_eq!(status, StatusCode::CREATED, "{again}");
    assert_eq!(again["status"], "confirmed");
    let desk = salon.desk().await;
    let bookings = desk.view().appointments(store);
    assert_eq!(bookings.len(), 2);
    assert!(bookings.iter().all(|b| b.appointment.customer_id == her.id));
    assert_eq!(desk.view().customers(store).len(), 1);
}

#[tokio::test]
async fn a_store_that_does_not_ask_confirms_every_booking() {
    let salon = salon(false).await;
    let slots = salon.slots(tomorrow()).await;
    let (status, booked) = salon.book(&slots[2]["start"], "李娜", "13900139000").await;
    assert_eq!(status, StatusCode::CREATED, "{booked}");
    assert_eq!(booked["status"], "confirmed");
}

#[tokio::test]
async fn a_taken_slot_is_not_offered_and_is_refused() {
    let salon = salon(false).await;
    let slots = salon.slots(tomorrow()).await;
    let ten = slots[0]["start"].clone();
    let (status, _) = salon.book(&ten, "王芳", "13800138000").await;
    assert_eq!(status, StatusCode::CREATED);
    let after = salon.slots(tomorrow()).await;
    let starts: Vec<&Value> = after.iter().map(|s| &s["start"]).collect();
    assert!(!starts.contains(&&ten));
    // 10:30 ends 11:30: it overlaps; 11:00 is inside the 10-minute buffer after 11:00.
    assert!(!starts.contains(&&slots[1]["start"]));
    assert!(!starts.contains(&&slots[2]["start"]));
    assert!(starts.contains(&&slots[3]["start"]));
    let (status, body) = salon.book(&ten, "李娜", "13900139000").await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"], "booking.slot_taken");
    // Outside the hours and within the notice period are refused too.
    let (status, body) = salon
        .book(&json!(now() + Duration::minutes(30)), "李娜", "13900139000")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"], "booking.too_late");
    // Beyond the days offered, up to the last instant a date can hold: refused, not a crash.
    for (start, phone) in [
        (json!(now() + Duration::days(40)), "13700137000"),
        (json!("9999-12-31T23:59:59Z"), "13600136000"),
    ] {
        let (status, body) = salon.book(&start, "李娜", phone).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"], "booking.too_far");
    }
}

#[tokio::test]
async fn a_booking_made_offline_meanwhile_is_flagged_as_a_collision_on_every_device() {
    let salon = salon(false).await;
    let store = salon.owner.store_id;
    let slots = salon.slots(tomorrow()).await;
    let start: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(slots[4]["start"].clone()).unwrap();
    // The desk's tablet, offline, books lily at the same time for a walk-in's friend.
    let mut tablet = salon.owner.device();
    let walk_in = CustomerId(uuid::Uuid::now_v7());
    let mut offline = Appointment::blank(AppointmentId(uuid::Uuid::now_v7()), store);
    offline.customer_id = walk_in;
    offline.therapist_id = Some(salon.therapist.staff_id);
    offline.services = vec![salon.service];
    offline.time = Interval::new(start, start + Duration::minutes(60)).unwrap();
    offline.channel = BookingChannel::Phone;
    let customer =
        orchid_core::customer::Customer::new(walk_in, store, Name::parse("赵敏").unwrap());
    tablet
        .mutate(
            salon.owner.actor(),
            Change::CustomerUpsert {
                id: walk_in,
                fields: orchid_core::customer::CustomerField::all_from(&customer),
            },
            now(),
        )
        .unwrap();
    tablet
        .mutate(
            salon.owner.actor(),
            Change::AppointmentUpsert {
                id: offline.id,
                fields: AppointmentField::all_from(&offline),
            },
            now(),
        )
        .unwrap();
    // Meanwhile the customer books online: the server does not know the tablet's booking yet.
    let (status, body) = salon.book(&slots[4]["start"], "王芳", "13800138000").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // The tablet comes back: both bookings stay, and every replica flags the pair.
    salon.s.push(&salon.owner, &mut tablet, 50).await;
    salon.s.pull_all(&salon.owner, &mut tablet, 500).await;
    let desk = salon.desk().await;
    for replica in [tablet.view(), desk.view()] {
        assert_eq!(replica.appointments(store).len(), 2);
        let conflicts = replica.booking_conflicts(store, 10);
        assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    }
}

#[tokio::test]
async fn the_private_link_shows_cancels_and_moves_the_booking() {
    let salon = salon(false).await;
    let store = salon.owner.store_id;
    let slots = salon.slots(tomorrow()).await;
    let (_, booked) = salon.book(&slots[0]["start"], "王芳", "13800138000").await;
    let token = booked["token"].as_str().unwrap().to_owned();
    let (status, view) = salon
        .her_link("/api/v1/booking/view", json!({ "token": token }))
        .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["status"], "confirmed");
    assert_eq!(view["may_change"], true);
    assert!(view.get("token").is_none());
    // She moves it to 15:00, then cancels.
    let (status, moved) = salon
        .her_link(
            "/api/v1/booking/reschedule",
            json!({ "token": token, "start": slots[10]["start"] }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["start"], slots[10]["start"]);
    let (status, cancelled) = salon
        .her_link("/api/v1/booking/cancel", json!({ "token": token }))
        .await;
    assert_eq!(status, StatusCode::OK, "{cancelled}");
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["may_change"], false);
    let desk = salon.desk().await;
    let bookings = desk.view().appointments(store);
    assert_eq!(bookings[0].status.status, AppointmentStatus::Cancelled);
    assert_eq!(
        serde_json::to_value(bookings[0].appointment.time.start).unwrap(),
        slots[10]["start"]
    );
    // Its time is free again.
    assert_eq!(salon.slots(tomorrow()).await.len(), 21);
    // A made-up link is not found.
    let (status, body) = salon
        .her_link("/api/v1/booking/cancel", json!({ "token": "nope" }))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"], "booking.link_unknown");
}

#[tokio::test]
async fn the_honeypot_and_bad_fields_book_nothing() {
    let salon = salon(false).await;
    let store = salon.owner.store_id;
    let before = salon.s.last_cursor(store).await;
    let slots = salon.slots(tomorrow()).await;
    let (status, body) = salon
        .book_with(json!({
            "service_id": salon.service, "start": slots[0]["start"], "name": "bot",
            "phone": "13800138000", "website": "http://spam.example",
        }))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"], "booking.rejected");
    for (field, value, code) in [
        ("name", json!(""), "booking.name_invalid"),
        ("name", json!("王".repeat(61)), "booking.name_invalid"),
        ("phone", json!("12345"), "booking.phone_invalid"),
        ("needs", json!("x".repeat(501)), "booking.needs_too_long"),
    ] {
        let mut body = json!({
            "service_id": salon.service, "start": slots[0]["start"], "name": "王芳",
            "phone": "13800138000",
        });
        body[field] = value;
        let (status, answer) = salon.book_with(body).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {answer}"
        );
        assert_eq!(answer["error"], code);
    }
    assert_eq!(salon.s.last_cursor(store).await, before, "nothing logged");
}

#[tokio::test]
async fn bookings_are_rate_limited_per_phone_and_per_address() {
    let salon = salon(false).await;
    let slots = salon.slots(tomorrow()).await;
    // Three tries a day for one phone (a refused try counts too).
    for i in [0, 3, 6] {
        let (status, body) = salon.book(&slots[i]["start"], "王芳", "13800138000").await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (status, body) = salon.book(&slots[9]["start"], "王芳", "13800138000").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(body["error"], "booking.too_many");
    // Ten an hour from one address, whatever the phone: the three counted above and seven more
    // (the refused fourth was not counted).
    for i in 0..7 {
        let phone = format!("1390013900{i}");
        let (status, body) = salon.book(&slots[0]["start"], "李娜", &phone).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
    }
    let (status, body) = salon.book(&slots[12]["start"], "赵敏", "13700137000").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    // Counted in the database, where a second server on the same PostgreSQL reads them.
    let counted: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM booking_attempts")
        .fetch_one(salon.s.pool())
        .await
        .unwrap();
    assert!(counted >= 10);
}

#[tokio::test]
async fn a_store_not_taking_bookings_and_an_unknown_code_are_not_found() {
    let s = TestServer::start().await;
    let owner = s.owner().await;
    let (_, link) = s.get("/api/v1/online-booking", &owner).await;
    assert_eq!(link["enabled"], false);
    let code = link["code"].as_str().unwrap();
    for uri in [
        format!("/api/v1/book/{code}"),
        "/api/v1/book/abcdefghijkm".to_owned(),
    ] {
        let (status, body) = s.call(Method::GET, &uri, None, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        assert_eq!(body["error"], "booking.not_found");
    }
}

#[tokio::test]
async fn the_page_is_plain_html_in_the_browsers_language_with_a_qr_code() {
    let salon = salon(false).await;
    let get = |uri: String, language: &'static str| {
        Request::builder()
            .uri(uri)
            .header(header::ACCEPT_LANGUAGE, language)
            .header(header::HOST, "salon.example:8080")
            .body(Body::empty())
            .unwrap()
    };
    let answer = salon
        .s
        .app
        .clone()
        .oneshot(get(format!("/book/{}", salon.code), "en-GB,en;q=0.9"))
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    let csp = answer.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    let html = String::from_utf8(
        answer
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
    .unwrap();
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("/booking-page/book.js"));
    assert!(
        !html.contains("<script>") && !html.contains("style="),
        "no inline script or style"
    );
    let answer = salon
        .s
        .app
        .clone()
        .oneshot(get(format!("/book/{}/qr.svg", salon.code), "zh-CN"))
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.headers()[header::CONTENT_TYPE], "image/svg+xml");
    let svg = answer.into_body().collect().await.unwrap().to_bytes();
    assert!(svg.starts_with(b"<?xml") || svg.starts_with(b"<svg"));
}

#[tokio::test]
async fn two_servers_on_one_database_never_give_one_slot_twice() {
    let salon = salon(false).await;
    // A second server on the same database: its own cache of the store's records.
    let other_state = orchid_server::state(&salon.s.config).await.unwrap();
    let other = orchid_server::app(other_state, &salon.s.config);
    let slots = salon.slots(tomorrow()).await;
    let book_on = |app: axum::Router, start: Value, phone: &'static str| {
        let uri = format!("/api/v1/book/{}", salon.code);
        let body = json!({
            "service_id": salon.service, "start": start, "name": "王芳", "phone": phone,
        });
        async move {
            let request = Request::builder()
                .method(Method::POST)
                .uri(uri)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .unwrap();
            app.oneshot(request).await.unwrap().status()
        }
    };
    // The second server reads the store first (its cache is then behind the first's booking).
    let (status, _) = salon.page().await;
    assert_eq!(status, StatusCode::OK);
    let warm = other
        .clone()
        .oneshot(
            Request::builder()
                .uri(format!("/api/v1/book/{}", salon.code))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(warm.status(), StatusCode::OK);
    // Both at once for the same time: one booking, one refusal.
    let (a, b) = tokio::join!(
        book_on(
            salon.s.app.clone(),
            slots[2]["start"].clone(),
            "13800138000"
        ),
        book_on(other.clone(), slots[2]["start"].clone(), "13900139000"),
    );
    let mut statuses = [a, b];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::CREATED, StatusCode::CONFLICT]);
    // One after the other, the second server's cache behind: still refused.
    let first = book_on(
        salon.s.app.clone(),
        slots[8]["start"].clone(),
        "13700137000",
    )
    .await;
    assert_eq!(first, StatusCode::CREATED);
    let second = book_on(other, slots[8]["start"].clone(), "13600136000").await;
    assert_eq!(second, StatusCode::CONFLICT);
    let desk = salon.desk().await;
    assert_eq!(desk.view().appointments(salon.owner.store_id).len(), 2);
    assert!(
        desk.view()
            .booking_conflicts(salon.owner.store_id, 10)
            .is_empty()
    );
}

/// Her answers to the consultation questions ahead are health data: refused without the consent
/// she ticks, kept with it as her consent given online and an entry of their own, which the
/// owner's and the therapist's devices receive and reception's does not; erasing her blanks them.
#[tokio::test]
async fn answers_given_ahead_need_her_consent_and_reach_only_who_may_read_health_data() {
    use orchid_core::consent::{ConsentMethod, HEALTH_TEXT_VERSION};
    use orchid_core::sync::{server_actor, server_client_of};
    const SECRET: &str = "左脸有点敏感";
    let salon = salon(false).await;
    let store = salon.owner.store_id;
    let (status, page) = salon.page().await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let questions = &page["services"][0]["questions"];
    assert_eq!(questions[0]["key"], "q1");
    assert_eq!(questions[0]["kind"]["kind"], "yes_no");
    assert_eq!(questions[1]["kind"]["kind"], "text");
    // The consent text is the core's, the one the tablet shows.
    let consent = &page["health_consent"];
    assert_eq!(consent["version"], HEALTH_TEXT_VERSION);
    let text = orchid_core::consent::health_text(HEALTH_TEXT_VERSION).unwrap();
    assert_eq!(consent["zh"][0], text.zh[0]);
    assert_eq!(consent["en"][0], text.en[0]);

    let slots = salon.slots(tomorrow()).await;
    let answers = json!([
        { "key": "q1", "value": { "type": "yes_no", "value": false } },
        { "key": "q2", "value": { "type": "text", "value": SECRET } },
    ]);
    let booking = |phone: &str, extra: Value| {
        let mut body = json!({
            "service_id": salon.service, "start": slots[0]["start"], "name": "王芳",
            "phone": phone, "answers": answers, "language": "zh",
        });
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let before = salon.s.last_cursor(store).await;
    for (body, code) in [
        // Answers without her consent.
        (
            booking("13800138001", json!({})),
            "booking.consent_required",
        ),
        // A consent text that is not ours.
        (
            booking("13800138002", json!({ "health_consent": "1999-01" })),
            "booking.consent_unknown",
        ),
        // A question the service does not ask.
        (
            booking(
                "13800138003",
                json!({ "health_consent": HEALTH_TEXT_VERSION, "answers": [
                    { "key": "q9", "value": { "type": "yes_no", "value": true } }
                ] }),
            ),
            "booking.answer_invalid",
        ),
        // A text answer past its bound.
        (
            booking(
                "13800138004",
                json!({ "health_consent": HEALTH_TEXT_VERSION, "answers": [
                    { "key": "q2", "value": { "type": "text", "value": "字".repeat(501) } }
                ] }),
            ),
            "booking.answer_too_long",
        ),
    ] {
        let (status, answer) = salon.book_with(body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{code}: {answer}");
        assert_eq!(answer["error"], code);
    }
    assert_eq!(salon.s.last_cursor(store).await, before, "nothing logged");

    // With her consent: booked, and the answers kept.
    let (status, booked) = salon
        .book_with(booking(
            "13800138000",
            json!({ "health_consent": HEALTH_TEXT_VERSION }),
        ))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{booked}");
    let desk = salon.desk().await;
    let bookings = desk.view().appointments(store);
    assert_eq!(bookings.len(), 1);
    let appointment = &bookings[0].appointment;
    let her = appointment.customer_id;
    // Not a field of the booking, which every role reads.
    assert!(
        !serde_json::to_string(appointment).unwrap().contains(SECRET),
        "{appointment:?}"
    );
    let ahead = desk.view().answers_ahead(appointment.id).unwrap();
    assert_eq!(ahead.customer_id, her);
    assert_eq!(ahead.answers.len(), 2);
    // Her consent, given online: no witness of the store, the server as the device, her language.
    let given = desk.view().health_consent(her).unwrap();
    assert_eq!(given.method, ConsentMethod::Online);
    assert_eq!(given.version.as_str(), HEALTH_TEXT_VERSION);
    assert_eq!(given.recorded_by, server_actor().staff_id);
    assert_eq!(given.device, Some(server_client_of(store)));
    assert!(desk.view().has_health_consent(her));
    // Covered by it: nothing for the manager to look at.
    assert!(desk.view().consent_flags(store).is_empty());

    // The therapist reads health data; reception does not receive the answers at all.
    let mut therapist = salon.therapist.device();
    salon
        .s
        .pull_all(&salon.therapist, &mut therapist, 500)
        .await;
    assert!(therapist.view().answers_ahead(appointment.id).is_some());
    let reception = salon
        .s
        .add_staff(&salon.owner, store, "rita", Role::Reception)
        .await;
    let mut front = reception.device();
    salon.s.pull_all(&reception, &mut front, 500).await;
    assert_eq!(front.view().appointments(store).len(), 1);
    assert!(front.view().answers_ahead(appointment.id).is_none());
    let (_, raw) = salon
        .s
        .pull_json(
            &reception,
            serde_json::to_value(reception.device().pull_request(1000)).unwrap(),
        )
        .await;
    assert!(!raw.to_string().contains(SECRET), "{raw}");
    assert!(!raw.to_string().contains("consultation_ahead"), "{raw}");

    // Erased, she leaves no answer behind in the log.
    let mut owner_device = salon.owner.device();
    salon.s.pull_all(&salon.owner, &mut owner_device, 500).await;
    owner_device
        .mutate(
            salon.owner.actor(),
            Change::CustomerErase { id: her },
            now(),
        )
        .unwrap();
    salon.s.push(&salon.owner, &mut owner_device, 50).await;
    let (_, raw) = salon
        .s
        .pull_json(
            &salon.owner,
            serde_json::to_value(salon.owner.device().pull_request(1000)).unwrap(),
        )
        .await;
    assert!(raw.to_string().contains("consultation_ahead"), "{raw}");
    assert!(!raw.to_string().contains(SECRET), "{raw}");
}

/// A consent she withdrew at the store is hers: whoever books with her phone and ticks the page's
/// box records no new consent and leaves no answers; the booking itself is made.
#[tokio::test]
async fn the_page_does_not_undo_a_consent_she_withdrew_at_the_store() {
    use orchid_core::consent::{
        ConsentDecision, ConsentMethod, ConsentPurpose, ConsentRecord, HEALTH_TEXT_VERSION,
    };
    use orchid_core::ids::ConsentId;
    use orchid_core::text::Label;
    let salon = salon(false).await;
    let store = salon.owner.store_id;
    let slots = salon.slots(tomorrow()).await;
    let booking = |start: &Value| {
        json!({
            "service_id": salon.service, "start": start, "name": "王芳",
            "phone": "13800138000", "language": "zh",
            "health_consent": HEALTH_TEXT_VERSION,
            "answers": [{ "key": "q2", "value": { "type": "text", "value": "左脸有点敏感" } }],
        })
    };
    let (status, body) = salon.book_with(booking(&slots[0]["start"])).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let mut owner_device = salon.owner.device();
    salon.s.pull_all(&salon.owner, &mut owner_device, 500).await;
    let her = owner_device.view().appointments(store)[0]
        .appointment
        .customer_id;
    assert!(owner_device.view().has_health_consent(her));
    // At the store she withdraws it.
    owner_device
        .mutate(
            salon.owner.actor(),
            Change::ConsentRecord(ConsentRecord {
                id: ConsentId(uuid::Uuid::now_v7()),
                customer_id: her,
                purpose: ConsentPurpose::HealthData,
                version: Label::parse(HEALTH_TEXT_VERSION).unwrap(),
                decision: ConsentDecision::Withdrawn,
                at: now(),
                recorded_by: salon.owner.staff_id,
                method: ConsentMethod::Verbal,
                signed_name: None,
                language: None,
                device: None,
            }),
            now(),
        )
        .unwrap();
    salon.s.push(&salon.owner, &mut owner_device, 50).await;
    // Someone books again with her phone and ticks the box: booked, nothing of health kept.
    let (status, body) = salon
        .book_with(booking(&slots[slots.len() - 1]["start"]))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    salon.s.pull_all(&salon.owner, &mut owner_device, 500).await;
    let view = owner_device.view();
    let bookings = view.appointments(store);
    assert_eq!(bookings.len(), 2);
    assert!(bookings.iter().all(|b| b.appointment.customer_id == her));
    assert_eq!(
        view.health_consent(her).map(|c| c.decision),
        Some(ConsentDecision::Withdrawn)
    );
    let with_answers = bookings
        .iter()
        .filter(|b| view.answers_ahead(b.appointment.id).is_some())
        .count();
    assert_eq!(with_answers, 1, "only the first booking's answers");
}
