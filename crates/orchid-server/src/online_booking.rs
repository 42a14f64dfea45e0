//! Online booking (网上预约): the store's public page and its JSON routes, no sign-in.
//!
//! The server knows the store's hours, services, therapists, rooms and bookings from its change
//! log, replayed by the core ([`crate::store_replicas`]). A booking is checked and appended under
//! the store's log cursor lock (the row every push and server change locks until commit): the
//! replay is caught up to the last committed change *after* the lock is taken, so two requests —
//! on one server or on two servers over one PostgreSQL — cannot both take the same slot. A
//! booking a device made offline meanwhile reaches the log later; both stay, and every replica
//! flags the pair as it flags two devices' collisions (the core's `all_conflicts`).
//!
//! The booking itself is an ordinary appointment of channel `website` (and her customer file,
//! found by phone or created), appended as the server's own changes, so every device has it on
//! its next pull. Her answers to the service's consultation questions, if she gives any, are
//! health data: kept only when she ticks the separate consent (the core's health-data text, the
//! version she was shown), which is appended as her consent given online, followed by the answers
//! in a service-record entry of their own (`consultation_ahead`, sensitive: a pull leaves it out
//! for the roles that may not read health data) — never in the appointment, which every role
//! reads. Beside the log the server keeps only the hashed private links and the booking
//! attempts the rate limits count (in the database, so two servers count the same attempts).
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, NaiveDate, Utc};
use orchid_core::appointment::{
    Appointment, AppointmentField, AppointmentStatus, BookingChannel, CancelReason, StatusChange,
};
use orchid_core::catalog::CatalogService;
use orchid_core::consent::{
    ConsentDecision, ConsentLanguage, ConsentMethod, ConsentPurpose, ConsentRecord,
    HEALTH_TEXT_VERSION, health_text,
};
use orchid_core::customer::{Customer, CustomerField, CustomerSource, Phone};
use orchid_core::ids::{
    AppointmentId, ConsentId, CustomerId, RecordEntryId, ServiceId, ServiceRecordId, StaffId,
    StoreId, TransitionId,
};
use orchid_core::online_booking::{answers_ahead, free_slots, place_booking, within_notice};
use orchid_core::record::FieldSet;
use orchid_core::service_record::{Answer, RecordEntry, RecordEntryKind};
use orchid_core::store::Store;
use orchid_core::sync::{Change, Replica, server_actor, server_client_of};
use orchid_core::text::{Label, Name, Note};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::api::{ApiJson, ApiQuery, PeerAddr, Session, client_address};
use crate::auth::{new_token, token_hash};
use crate::error::AppError;
use crate::server_change::{Cause, append_by};

/// Bookings one address may try in an hour.
pub const ATTEMPTS_PER_ADDRESS_HOUR: i64 = 10;
/// Bookings one phone may try in a day.
pub const ATTEMPTS_PER_PHONE_DAY: i64 = 3;
/// The longest "needs" a customer may type.
pub const MAX_NEEDS_CHARS: usize = 500;
/// The session id logged with the page's changes.
const SESSION: &str = "online-booking";

/// The store's public code: derived from its id (SHA-256, 12 base-32 characters, 60 bits), so it
/// needs no storage, never changes, and cannot be guessed or walked without the store's id.
pub fn booking_code(store: StoreId) -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let digest = Sha256::digest(format!("orchid-online-booking:{store}").as_bytes());
    let mut bits: u64 = 0;
    for byte in digest.iter().take(8) {
        bits = (bits << 8) | u64::from(*byte);
    }
    (0..12)
        .map(|i| char::from(ALPHABET[((bits >> (i * 5)) & 31) as usize]))
        .collect()
}

fn refused(status: StatusCode, code: &'static str, message: &str) -> AppError {
    AppError::Rejected {
        status,
        code,
        message: message.to_owned(),
    }
}

fn not_found() -> AppError {
    refused(
        StatusCode::NOT_FOUND,
        "booking.not_found",
        "no store takes online bookings at this address",
    )
}

/// The store behind a public code, if it takes online bookings.
async fn store_of_code(state: &AppState, code: &str) -> Result<StoreId, AppError> {
    if code.len() != 12 || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(not_found());
    }
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM stores")
        .fetch_all(&state.db.pool)
        .await?;
    ids.iter()
        .filter_map(|id| uuid::Uuid::parse_str(id).ok().map(StoreId))
        .find(|id| booking_code(*id) == code)
        .ok_or_else(not_found)
}

/// The store's record, if online booking is on.
fn open_store(replica: &Replica, store: StoreId) -> Option<Store> {
    replica
        .store(store)
        .filter(|s| s.settings.online_booking.enabled)
}

fn services_offered(replica: &Replica, store: StoreId) -> Vec<CatalogService> {
    replica
        .catalog(store)
        .into_iter()
        .filter(|s| s.active && s.duration_minutes > 0)
        .collect()
}

fn appointments(replica: &Replica, store: StoreId) -> Vec<(Appointment, AppointmentStatus)> {
    replica
        .appointments(store)
        .into_iter()
        .map(|v| (v.appointment, v.status.status))
        .collect()
}

fn staff_name(replica: &Replica, id: Option<StaffId>) -> Option<String> {
    id.and_then(|id| replica.staff_member(id))
        .map(|s| s.name.as_ref().to_owned())
}

/// The health-data consent the page asks for beside the questions: the core's text of today's
/// version, the very text the tablet's consent dialog shows, in both languages.
fn consent_text() -> Value {
    let text = health_text(HEALTH_TEXT_VERSION);
    json!({
        "version": HEALTH_TEXT_VERSION,
        "zh": text.map(|t| t.zh).unwrap_or_default(),
        "en": text.map(|t| t.en).unwrap_or_default(),
    })
}

/// `GET /api/v1/book/{code}`: the store, its services (with their consultation questions) and
/// therapists, and the consent text the questions need.
pub async fn page_data(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<Value>, AppError> {
    let store = store_of_code(&state, &code).await?;
    let answer = state
        .replicas
        .read(&state.db, store, |replica| {
            let record = open_store(replica, store)?;
            let services = services_offered(replica, store);
            let staff = replica.staff(store);
            let therapists: Vec<Value> = staff
                .iter()
                .filter(|s| s.role == orchid_core::role::Role::Therapist && s.acts_in(store))
                .map(|s| {
                    let gives: Vec<ServiceId> = services
                        .iter()
                        .filter(|svc| s.can_give(svc.id))
                        .map(|svc| svc.id)
                        .collect();
                    json!({ "id": s.id, "name": s.name, "services": gives })
                })
                .collect();
            let services: Vec<Value> = services
                .iter()
                .map(|s| {
                    json!({
                        "id": s.id, "name": s.name, "category": s.category,
                        "duration_minutes": s.duration_minutes, "price": s.price,
                        "description": s.description, "questions": s.consultation,
                    })
                })
                .collect();
            let online = &record.settings.online_booking;
            Some(json!({
                "store": {
                    "name": record.name, "address": record.address,
                    "utc_offset_minutes": record.utc_offset.minutes(),
                    "opening_hours": record.opening_hours,
                    "notice_hours": online.notice_hours,
                    "days_ahead": online.days_ahead,
                },
                "services": services,
                "therapists": therapists,
                "health_consent": consent_text(),
            }))
        })
        .await?;
    answer.map(Json).ok_or_else(not_found)
}

#[derive(Deserialize)]
pub struct SlotQuery {
    service: ServiceId,
    #[serde(default)]
    therapist: Option<StaffId>,
    date: NaiveDate,
}

/// `GET /api/v1/book/{code}/slots`: the free slots of a day.
pub async fn slots(
    State(state): State<AppState>,
    Path(code): Path<String>,
    ApiQuery(query): ApiQuery<SlotQuery>,
) -> Result<Json<Value>, AppError> {
    let store = store_of_code(&state, &code).await?;
    let now = Utc::now();
    let answer = state
        .replicas
        .read(&state.db, store, |replica| {
            let record = open_store(replica, store)?;
            let service = services_offered(replica, store)
                .into_iter()
                .find(|s| s.id == query.service)?;
            let staff = replica.staff(store);
            let rooms = replica.rooms(store);
            let booked = appointments(replica, store);
            let existing: Vec<_> = booked.iter().map(|(a, s)| (a, *s)).collect();
            // Nobody yet: her own bookings cannot collide with a customer not on file.
            let base = Appointment::blank(AppointmentId(uuid::Uuid::nil()), store);
            let slots: Vec<Value> = free_slots(
                &record,
                &service,
                &staff,
                query.therapist,
                &rooms,
                &existing,
                &base,
                query.date,
                now,
            )
            .into_iter()
            .map(|slot| {
                json!({
                    "start": slot.start, "end": slot.end,
                    "therapist_id": slot.therapist_id,
                    "therapist_name": staff_name(replica, Some(slot.therapist_id)),
                })
            })
            .collect();
            Some(json!({ "date": query.date, "slots": slots }))
        })
        .await?;
    answer.map(Json).ok_or_else(not_found)
}

/// What the page sends to book.
#[derive(Deserialize)]
pub struct BookingRequest {
    service_id: ServiceId,
    #[serde(default)]
    therapist_id: Option<StaffId>,
    start: chrono::DateTime<Utc>,
    name: String,
    phone: String,
    #[serde(default)]
    needs: String,
    /// Her answers to the service's consultation questions (optional; health data).
    #[serde(default)]
    answers: Vec<Answer>,
    /// She ticked the separate consent to keep her health data, in this version of its text.
    #[serde(default)]
    health_consent: Option<String>,
    /// The language the page (and so the consent text) was shown in.
    #[serde(default)]
    language: Option<ConsentLanguage>,
    /// The honeypot: a field people do not see (hidden by the page's style sheet); a bot fills it.
    #[serde(default)]
    website: String,
}

/// What the page shows after booking or on the private link.
#[derive(Serialize)]
pub struct BookingView {
    store_name: String,
    code: String,
    service_name: String,
    therapist_name: Option<String>,
    start: chrono::DateTime<Utc>,
    end: chrono::DateTime<Utc>,
    utc_offset_minutes: i32,
    /// `booked` (waiting for the store's confirmation), `confirmed`, `cancelled`…
    status: AppointmentStatus,
    /// May she still cancel or move it here (before the notice period, not yet served)?
    may_change: bool,
    notice_hours: u32,
    /// Only in the answer to the booking itself: the private link's token.
    #[serde(skip_serializing_if = "Option::is_none")]
    token: Option<String>,
}

fn view_of(
    replica: &Replica,
    store: StoreId,
    appointment: AppointmentId,
    now: chrono::DateTime<Utc>,
) -> Option<BookingView> {
    let record = replica.store(store)?;
    let view = replica.appointment(appointment)?;
    let a = &view.appointment;
    let service_name = a
        .services
        .first()
        .and_then(|s| replica.catalog_service(*s))
        .map(|s| s.name.as_ref().to_owned())
        .unwrap_or_default();
    let status = view.status.status;
    Some(BookingView {
        store_name: record.name.as_ref().to_owned(),
        code: booking_code(store),
        service_name,
        therapist_name: staff_name(replica, a.therapist_id),
        start: a.time.start,
        end: a.time.end,
        utc_offset_minutes: record.utc_offset.minutes(),
        status,
        may_change: matches!(
            status,
            AppointmentStatus::Booked | AppointmentStatus::Confirmed
        ) && within_notice(&record.settings.online_booking, a.time.start, now),
        notice_hours: record.settings.online_booking.notice_hours,
        token: None,
    })
}

fn phone_key(phone: &Phone) -> String {
    let digest = Sha256::digest(format!("phone:{}", phone.as_str()).as_bytes());
    format!("phone:{}", base64_url(&digest))
}

fn base64_url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Counts this attempt for the address and the phone, refusing past the limits. Its own
/// transaction, committed whatever happens next: a refused booking counts too.
async fn count_attempt(
    state: &AppState,
    address: &str,
    phone: Option<&Phone>,
) -> Result<(), AppError> {
    let now = crate::api::now_ms();
    let mut tx = state.db.begin_write().await?;
    sqlx::query("DELETE FROM booking_attempts WHERE at < $1")
        .bind(now - 24 * 3_600_000)
        .execute(&mut *tx)
        .await?;
    let count = |key: String, since: i64| {
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM booking_attempts WHERE key = $1 AND at >= $2",
        )
        .bind(key)
        .bind(since)
    };
    let address_key = format!("address:{address}");
    let by_address = count(address_key.clone(), now - 3_600_000)
        .fetch_one(&mut *tx)
        .await?;
    let phone_key = phone.map(phone_key);
    let by_phone = match &phone_key {
        Some(key) => {
            count(key.clone(), now - 24 * 3_600_000)
                .fetch_one(&mut *tx)
                .await?
        }
        None => 0,
    };
    let over = by_address >= ATTEMPTS_PER_ADDRESS_HOUR || by_phone >= ATTEMPTS_PER_PHONE_DAY;
    if !over {
        for key in std::iter::once(address_key).chain(phone_key) {
            sqlx::query("INSERT INTO booking_attempts (key, at) VALUES ($1, $2)")
                .bind(key)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;
    if over {
        return Err(refused(
            StatusCode::TOO_MANY_REQUESTS,
            "booking.too_many",
            "too many bookings from this address or phone; call the store",
        ));
    }
    Ok(())
}

/// Takes the store's log cursor lock in `tx` (held until commit), as every append does: the
/// replay read after it has every change committed before.
async fn lock_store_log(tx: &mut sqlx::AnyConnection, store: StoreId) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO sync_stores (store_id, last_seq) VALUES ($1, 0)
         ON CONFLICT (store_id) DO UPDATE SET last_seq = sync_stores.last_seq",
    )
    .bind(store.to_string())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

fn cause() -> Cause<'static> {
    Cause {
        staff_id: server_actor().staff_id.to_string(),
        session_id: SESSION,
        by_owner: false,
    }
}

fn slot_taken() -> AppError {
    refused(
        StatusCode::CONFLICT,
        "booking.slot_taken",
        "this time is no longer free; choose another",
    )
}

fn too_late() -> AppError {
    refused(
        StatusCode::UNPROCESSABLE_ENTITY,
        "booking.too_late",
        "this booking is within the store's notice period; call the store",
    )
}

/// Refuses a start within the notice period or beyond the days the store offers. Compared
/// before any arithmetic on it: a start in the year 9999 must be an answer, not an overflow.
fn check_start(
    record: &Store,
    start: chrono::DateTime<Utc>,
    now: chrono::DateTime<Utc>,
) -> Result<(), AppError> {
    let online = &record.settings.online_booking;
    if !within_notice(online, start, now) {
        return Err(too_late());
    }
    let too_far = || {
        refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "booking.too_far",
            "this day is not open for online booking yet",
        )
    };
    if start > now + Duration::days(i64::from(online.days_ahead) + 2) {
        return Err(too_far());
    }
    let last_day = record.utc_offset.local_date(now) + Duration::days(i64::from(online.days_ahead));
    if record.utc_offset.local_date(start) > last_day {
        return Err(too_far());
    }
    Ok(())
}

/// `POST /api/v1/book/{code}`: books.
pub async fn book(
    State(state): State<AppState>,
    Path(code): Path<String>,
    PeerAddr(peer): PeerAddr,
    headers: HeaderMap,
    ApiJson(request): ApiJson<BookingRequest>,
) -> Result<(StatusCode, Json<BookingView>), AppError> {
    let store = store_of_code(&state, &code).await?;
    let address = client_address(&headers, peer, state.trust_forwarded_for);
    if !request.website.is_empty() {
        count_attempt(&state, &address, None).await?;
        tracing::info!(%address, "online booking honeypot filled");
        return Err(refused(
            StatusCode::BAD_REQUEST,
            "booking.rejected",
            "this booking cannot be taken here; call the store",
        ));
    }
    let name = Name::parse(request.name.trim()).map_err(|_| {
        refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "booking.name_invalid",
            "a name of 1 to 60 characters on one line",
        )
    })?;
    let phone = Phone::parse(&request.phone).map_err(|_| {
        refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "booking.phone_invalid",
            "a mobile phone number (11 digits, or +country code)",
        )
    })?;
    let needs = request.needs.trim();
    if needs.chars().count() > MAX_NEEDS_CHARS {
        return Err(refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "booking.needs_too_long",
            "the needs are at most 500 characters",
        ));
    }
    let needs = Note::parse(needs).map_err(|_| {
        refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "booking.needs_too_long",
            "the needs are at most 500 characters",
        )
    })?;
    // The consent she ticked names the version of the text she was shown: one of ours.
    let consent_version = match request.health_consent.as_deref() {
        None => None,
        Some(v) => Some(
            health_text(v)
                .and_then(|t| Label::parse(t.version).ok())
                .ok_or_else(|| {
                    refused(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "booking.consent_unknown",
                        "this consent text is not the store's; reload the page",
                    )
                })?,
        ),
    };
    count_attempt(&state, &address, Some(&phone)).await?;

    let now = Utc::now();
    let mut tx = state.db.begin_write().await?;
    lock_store_log(&mut tx, store).await?;
    // Decided on the replay as of the lock: customer, therapist, room, and whether it waits.
    let decided = state
        .replicas
        .read(&state.db, store, |replica| {
            let record = open_store(replica, store).ok_or_else(not_found)?;
            let online = &record.settings.online_booking;
            let service = services_offered(replica, store)
                .into_iter()
                .find(|s| s.id == request.service_id)
                .ok_or_else(|| {
                    refused(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "booking.unknown_service",
                        "the store does not offer this service online",
                    )
                })?;
            check_start(&record, request.start, now)?;
            let answers =
                answers_ahead(&service, request.answers.clone(), consent_version.is_some())
                    .map_err(|e| {
                        refused(StatusCode::UNPROCESSABLE_ENTITY, e.code(), &e.to_string())
                    })?;
            let known = replica
                .customers(store)
                .into_iter()
                .find(|c| c.phone.as_ref() == Some(&phone) && !replica.is_erased(c.id));
            // Whoever holds her phone can book in her name, but not undo her own decision at the
            // store: after she withdrew or refused the health-data consent there, the page's tick
            // records nothing, and her answers wait for the therapist to ask them in person. The
            // page is not told, so it reveals nothing about her decision.
            let declined = known.as_ref().is_some_and(|c| {
                replica
                    .health_consent(c.id)
                    .is_some_and(|r| r.decision != ConsentDecision::Given)
            });
            let answers = if declined { Vec::new() } else { answers };
            let customer_id = known
                .as_ref()
                .map_or_else(|| CustomerId(uuid::Uuid::now_v7()), |c| c.id);
            let mut base = Appointment::blank(AppointmentId(uuid::Uuid::now_v7()), store);
            base.customer_id = customer_id;
            base.needs = needs.clone();
            base.booked_at = now;
            base.channel = BookingChannel::Website;
            let booked = appointments(replica, store);
            let existing: Vec<_> = booked.iter().map(|(a, s)| (a, *s)).collect();
            let placed = place_booking(
                &record,
                &service,
                &replica.staff(store),
                request.therapist_id,
                &replica.rooms(store),
                &existing,
                &base,
                request.start,
            )
            .ok_or_else(slot_taken)?;
            let confirm = known.is_some() || !online.confirm_unknown_phones;
            Ok::<_, AppError>((placed, known.is_none(), confirm, answers, declined))
        })
        .await??;
    let (appointment, new_customer, confirm, answers, declined) = decided;
    let mut changes = Vec::new();
    if new_customer {
        let mut file = Customer::new(appointment.customer_id, store, name);
        file.phone = Some(phone);
        file.source = CustomerSource::Website;
        changes.push(Change::CustomerUpsert {
            id: file.id,
            fields: CustomerField::all_from(&file),
        });
    }
    changes.push(Change::AppointmentUpsert {
        id: appointment.id,
        fields: AppointmentField::all_from(&appointment),
    });
    if confirm {
        changes.push(Change::AppointmentStatus {
            appointment_id: appointment.id,
            change: StatusChange {
                id: TransitionId(uuid::Uuid::now_v7()),
                to: AppointmentStatus::Confirmed,
                at: now,
                by: server_actor().staff_id,
                role: server_actor().role,
                reason: None,
                note: Note::default(),
            },
        });
    }
    // Her consent given on the page, then her answers under it (health data: a record of their
    // own, never a field of the booking). The server is the device; nobody of the store witnessed.
    if let Some(version) = consent_version.filter(|_| !declined) {
        changes.push(Change::ConsentRecord(ConsentRecord {
            id: ConsentId(uuid::Uuid::now_v7()),
            customer_id: appointment.customer_id,
            purpose: ConsentPurpose::HealthData,
            version,
            decision: ConsentDecision::Given,
            at: now,
            recorded_by: server_actor().staff_id,
            method: ConsentMethod::Online,
            signed_name: None,
            language: request.language,
            device: Some(server_client_of(store)),
        }));
    }
    if !answers.is_empty() {
        changes.push(Change::ServiceRecordEntry(RecordEntry {
            id: RecordEntryId(uuid::Uuid::now_v7()),
            record_id: ServiceRecordId(uuid::Uuid::now_v7()),
            at: now,
            by: server_actor().staff_id,
            role: server_actor().role,
            kind: RecordEntryKind::ConsultationAhead {
                customer_id: appointment.customer_id,
                appointment_id: appointment.id,
                answers,
            },
        }));
    }
    // One millisecond apart: the changes keep their order wherever they are merged.
    for (i, change) in changes.into_iter().enumerate() {
        let at = now + Duration::milliseconds(i64::try_from(i).unwrap_or(0));
        append_by(&mut tx, store, change, cause(), at).await?;
    }
    let token = new_token();
    sqlx::query(
        "INSERT INTO online_bookings (token_hash, store_id, appointment_id, created_at)
         VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash(&token))
    .bind(store.to_string())
    .bind(appointment.id.to_string())
    .bind(now.timestamp_millis())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    // The store's online devices learn of it now (see `live.rs`).
    state.live.touched(store);
    let view = state
        .replicas
        .read(&state.db, store, |replica| {
            view_of(replica, store, appointment.id, now)
        })
        .await?
        .ok_or_else(|| AppError::internal(std::io::Error::other("booking not replayed")))?;
    Ok((
        StatusCode::CREATED,
        Json(BookingView {
            token: Some(token),
            ..view
        }),
    ))
}

/// A private link's token.
#[derive(Deserialize)]
pub struct TokenRequest {
    token: String,
}

/// A private link's token and the new time.
#[derive(Deserialize)]
pub struct RescheduleRequest {
    token: String,
    start: chrono::DateTime<Utc>,
    #[serde(default)]
    therapist_id: Option<StaffId>,
}

async fn booking_of_token(
    state: &AppState,
    token: &str,
) -> Result<(StoreId, AppointmentId), AppError> {
    let missing = || {
        refused(
            StatusCode::NOT_FOUND,
            "booking.link_unknown",
            "this booking link is not valid",
        )
    };
    if token.is_empty() || token.len() > 100 {
        return Err(missing());
    }
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT store_id, appointment_id FROM online_bookings WHERE token_hash = $1",
    )
    .bind(token_hash(token))
    .fetch_optional(&state.db.pool)
    .await?;
    let (store, appointment) = row.ok_or_else(missing)?;
    let parse = |s: &str| uuid::Uuid::parse_str(s).map_err(AppError::internal);
    Ok((StoreId(parse(&store)?), AppointmentId(parse(&appointment)?)))
}

async fn read_view(
    state: &AppState,
    store: StoreId,
    appointment: AppointmentId,
) -> Result<BookingView, AppError> {
    let now = Utc::now();
    state
        .replicas
        .read(&state.db, store, |replica| {
            view_of(replica, store, appointment, now)
        })
        .await?
        .ok_or_else(|| {
            refused(
                StatusCode::NOT_FOUND,
                "booking.link_unknown",
                "this booking link is not valid",
            )
        })
}

/// `POST /api/v1/booking/view`: her booking, by its private link (the token travels in the body,
/// not the address, so that it stays out of logs).
pub async fn view(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<TokenRequest>,
) -> Result<Json<BookingView>, AppError> {
    let (store, appointment) = booking_of_token(&state, &request.token).await?;
    Ok(Json(read_view(&state, store, appointment).await?))
}

/// `POST /api/v1/booking/cancel`: she cancels, before the notice period.
pub async fn cancel(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<TokenRequest>,
) -> Result<Json<BookingView>, AppError> {
    let (store, appointment) = booking_of_token(&state, &request.token).await?;
    let now = Utc::now();
    let mut tx = state.db.begin_write().await?;
    lock_store_log(&mut tx, store).await?;
    let current = state
        .replicas
        .read(&state.db, store, |replica| {
            view_of(replica, store, appointment, now)
        })
        .await?;
    let Some(current) = current else {
        return Err(AppError::NotFound);
    };
    if current.status == AppointmentStatus::Cancelled {
        drop(tx);
        return Ok(Json(current));
    }
    if !current.may_change {
        return Err(too_late());
    }
    let change = Change::AppointmentStatus {
        appointment_id: appointment,
        change: StatusChange {
            id: TransitionId(uuid::Uuid::now_v7()),
            to: AppointmentStatus::Cancelled,
            at: now,
            by: server_actor().staff_id,
            role: server_actor().role,
            reason: Some(CancelReason::CustomerRequest),
            note: Note::parse("cancelled by the customer online").unwrap_or_default(),
        },
    };
    append_by(&mut tx, store, change, cause(), now).await?;
    tx.commit().await?;
    // The store's online devices learn of it now (see `live.rs`).
    state.live.touched(store);
    Ok(Json(read_view(&state, store, appointment).await?))
}

/// `POST /api/v1/booking/reschedule`: she moves it to another free slot, before the notice
/// period (of the old time and of the new).
pub async fn reschedule(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<RescheduleRequest>,
) -> Result<Json<BookingView>, AppError> {
    let (store, appointment) = booking_of_token(&state, &request.token).await?;
    let now = Utc::now();
    let mut tx = state.db.begin_write().await?;
    lock_store_log(&mut tx, store).await?;
    let moved = state
        .replicas
        .read(&state.db, store, |replica| {
            let current = view_of(replica, store, appointment, now).ok_or(AppError::NotFound)?;
            let record = open_store(replica, store).ok_or_else(not_found)?;
            if !current.may_change {
                return Err(too_late());
            }
            check_start(&record, request.start, now)?;
            let view = replica.appointment(appointment).ok_or(AppError::NotFound)?;
            let base = view.appointment;
            let service = base
                .services
                .first()
                .and_then(|s| replica.catalog_service(*s))
                .ok_or_else(slot_taken)?;
            let booked = appointments(replica, store);
            let others: Vec<_> = booked
                .iter()
                .filter(|(a, _)| a.id != appointment)
                .map(|(a, s)| (a, *s))
                .collect();
            place_booking(
                &record,
                &service,
                &replica.staff(store),
                request.therapist_id,
                &replica.rooms(store),
                &others,
                &base,
                request.start,
            )
            .ok_or_else(slot_taken)
        })
        .await??;
    let change = Change::AppointmentUpsert {
        id: appointment,
        fields: vec![
            AppointmentField::Time(moved.time),
            AppointmentField::TherapistId(moved.therapist_id),
            AppointmentField::RoomId(moved.room_id),
        ],
    };
    append_by(&mut tx, store, change, cause(), now).await?;
    tx.commit().await?;
    // The store's online devices learn of it now (see `live.rs`).
    state.live.touched(store);
    Ok(Json(read_view(&state, store, appointment).await?))
}

/// `GET /api/v1/online-booking`: the signed-in person's store's public address (Set-up shows it
/// with its QR code).
pub async fn link(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<Value>, AppError> {
    let store = session.store_id;
    let enabled = state
        .replicas
        .read(&state.db, store, |replica| {
            replica
                .store(store)
                .is_some_and(|s| s.settings.online_booking.enabled)
        })
        .await?;
    let code = booking_code(store);
    Ok(Json(json!({
        "code": code,
        "path": format!("/book/{code}"),
        "qr_path": format!("/book/{code}/qr.svg"),
        "enabled": enabled,
    })))
}

/// The page's language: the first of Chinese or English the browser asks for; Chinese if none.
pub fn page_language(headers: &HeaderMap) -> &'static str {
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let mut ranked: Vec<(f32, &'static str)> = accept
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next()?.trim().to_ascii_lowercase();
            let quality = pieces
                .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse().ok()))
                .unwrap_or(1.0_f32);
            let language = if tag.starts_with("zh") {
                "zh"
            } else if tag.starts_with("en") {
                "en"
            } else {
                return None;
            };
            Some((quality, language))
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranked.first().map_or("zh", |(_, language)| language)
}

const PAGE_HTML: &str = include_str!("../booking_page/book.html");
pub const PAGE_JS: &str = include_str!("../booking_page/book.js");
pub const PAGE_CSS: &str = include_str!("../booking_page/book.css");

/// `GET /book/{code}` and `/book/{code}/manage`: the page, in the browser's language (the page
/// has a toggle). The store is looked up by the page's script, which shows a clear "not found".
pub async fn page(headers: HeaderMap) -> Response {
    let language = page_language(&headers);
    let html = PAGE_HTML.replace(
        "<html lang=\"zh-CN\">",
        if language == "en" {
            "<html lang=\"en\">"
        } else {
            "<html lang=\"zh-CN\">"
        },
    );
    let mut response = ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response();
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("accept-language"));
    response
}

/// `GET /book/{code}/manage`: the same page; the token is in the address's fragment.
pub async fn manage_page(headers: HeaderMap) -> Response {
    page(headers).await
}

/// The page's script and style sheet.
pub async fn page_script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        PAGE_JS,
    )
        .into_response()
}

pub async fn page_style() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        PAGE_CSS,
    )
        .into_response()
}

/// `GET /book/{code}/qr.svg`: the page's address as a QR code, to print or post in WeChat. The
/// address is the one this request came by (its `Host`), so the code works wherever the
/// server is reached.
pub async fn qr(
    State(state): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    store_of_code(&state, &code).await?;
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            h.len() <= 255
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("localhost");
    let scheme = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .filter(|p| state.trust_forwarded_for && (*p == "https" || *p == "http"))
        .unwrap_or(if state.trust_forwarded_for {
            "https"
        } else {
            "http"
        });
    let url = format!("{scheme}://{host}/book/{code}");
    let qr = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| AppError::internal(std::io::Error::other(e.to_string())))?;
    let svg = qr
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build();
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_distinct_and_plain() {
        let a = booking_code(StoreId::from_u128(1));
        assert_eq!(a, booking_code(StoreId::from_u128(1)));
        assert_ne!(a, booking_code(StoreId::from_u128(2)));
        assert_eq!(a.len(), 12);
        assert!(
            a.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        );
    }

    #[test]
    fn the_page_speaks_the_browsers_language() {
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(
                header::ACCEPT_LANGUAGE,
                HeaderValue::from_str(value).unwrap(),
            );
            page_language(&headers)
        };
        assert_eq!(page_language(&HeaderMap::new()), "zh");
        assert_eq!(with("en-US,en;q=0.9"), "en");
        assert_eq!(with("zh-CN,zh;q=0.9,en;q=0.8"), "zh");
        assert_eq!(with("fr-FR,en;q=0.5,zh;q=0.8"), "zh");
        assert_eq!(with("de-DE"), "zh");
    }
}
