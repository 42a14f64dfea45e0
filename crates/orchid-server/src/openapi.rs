//! The API's routes and their OpenAPI 3.1 description, from one table: `app()` mounts exactly the
//! routes listed in [`routes`], and `/api/v1/openapi.json` describes exactly those, so the
//! document cannot leave a route out.
//!
//! The document is assembled by hand rather than derived (utoipa): the wire types of the sync
//! protocol live in `orchid-core`, which stays free of server dependencies, and their payloads
//! are described by the core's own snapshot tests (`crates/orchid-core/tests/snapshots/`).
use axum::Json;
use axum::routing::{MethodRouter, get, post};
use serde_json::{Map, Value, json};

use crate::{
    AppState, admin, audit, auth, customers, head_office, live, online_booking, sync, web,
};

/// One operation.
pub struct Route {
    pub method: &'static str,
    /// Below `/api/v1`, in axum's syntax (`{id}`), which is also OpenAPI's.
    pub path: &'static str,
    pub handler: MethodRouter<AppState>,
    pub summary: &'static str,
    pub description: &'static str,
    /// Needs `Authorization: Bearer <token>`.
    pub auth: bool,
    /// Schema name of the JSON body, if any.
    pub body: Option<&'static str>,
    /// Query parameters: name, schema, description.
    pub query: &'static [(&'static str, &'static str, &'static str)],
    pub ok_status: u16,
    /// Schema name of the success answer.
    pub ok: &'static str,
}

/// Every API route.
pub fn routes() -> Vec<Route> {
    vec![
        Route {
            method: "get",
            path: "/health",
            handler: get(web::health),
            summary: "Is the server up",
            description: "Answers without touching the database.",
            auth: false,
            body: None,
            query: &[],
            ok_status: 200,
            ok: "Health",
        },
        Route {
            method: "get",
            path: "/openapi.json",
            handler: get(document),
            summary: "This document",
            description: "The OpenAPI 3.1 description of every route, built from the route table.",
            auth: false,
            body: None,
            query: &[],
            ok_status: 200,
            ok: "OpenApi",
        },
        Route {
            method: "post",
            path: "/auth/sign-in",
            handler: post(auth::sign_in),
            summary: "Sign in with a password",
            description: "Opens a session for one staff member on one device (a random 256-bit \
                token, stored hashed, valid 30 days, revocable). The login is compared in \
                Unicode NFKC, lower-case; a login with control, bidirectional or zero-width \
                characters, or longer than 64 characters, is 400 (`login.invalid_character`, \
                `login.too_long`, `login.empty`). Attempts are counted before the password is \
                checked, per login and address (5 in 15 minutes), per address (20) and per \
                login from anywhere (25; not for a sign-in carrying `device_token`, a live \
                session token of the same person): 429 `throttled` with Retry-After; \
                lock-outs are logged and audited. A deactivated account is 403 \
                `account_deactivated` (after the right password only).",
            auth: false,
            body: Some("SignInRequest"),
            query: &[],
            ok_status: 200,
            ok: "SignInResponse",
        },
        Route {
            method: "post",
            path: "/auth/pin",
            handler: post(auth::set_pin),
            summary: "Set the offline-unlock PIN of this device",
            description: "The server hashes the PIN (Argon2id, m = 19 MiB, t = 2, p = 1, fresh \
                salt) and answers the PHC string; the device keeps it beside its session and \
                verifies the PIN against it to unlock while offline. The server keeps only that \
                a PIN was set. Mutations made after an offline unlock are still pushed with \
                that staff member's token, so the server attributes them to the staff member \
                and the device. The PIN rule is the core's `check_pin`: 422 `pin.not_digits`, \
                `pin.too_short`, `pin.too_long`, `pin.too_simple` (one repeated digit, a \
                straight run). At most 5 settings per session and 10 per person in 15 \
                minutes (429 `throttled`).",
            auth: true,
            body: Some("PinRequest"),
            query: &[],
            ok_status: 200,
            ok: "PinResponse",
        },
        Route {
            method: "post",
            path: "/auth/password",
            handler: post(auth::change_password),
            summary: "Change one's own password",
            description: "With the current password (403 `wrong_password`; 5 wrong in 15 minutes \
                is 429 `throttled`). The new one is 10 to 256 characters and not among the \
                most common (400 `password.too_short`, `password.too_long`, \
                `password.too_common`, `password.unchanged`). Every other session of the \
                person ends; this one stays. The only route a session whose person must \
                choose her own password (`must_change_password` at sign-in) may use: every \
                other answers it 403 `password.must_change`. Audited.",
            auth: true,
            body: Some("PasswordChange"),
            query: &[],
            ok_status: 200,
            ok: "PasswordChanged",
        },
        Route {
            method: "post",
            path: "/sync/push",
            handler: post(sync::push),
            summary: "Push mutations from a device's outbox",
            description: "Applied in one database transaction, in order, each re-checked: the \
                device and its next mutation id (duplicates answer `duplicate`, a gap `retry`), \
                the clock drift (a device clock more than 5 minutes ahead answers `retry` with \
                `hlc.too_far_ahead`: the change is kept and sent again later), the actor (must \
                be the signed-in staff member and role), the store (the caller's; the owner's \
                chain), the record's store, and the core's rules for the role. Every mutation gets `accepted`, `duplicate`, \
                `rejected` (with a reason code) or `retry`. At most 500 mutations per push. \
                Consecutive mutations of one device by different staff are pushed with each \
                one's own token.",
            auth: true,
            body: Some("PushRequest"),
            query: &[],
            ok_status: 200,
            ok: "PushResponse",
        },
        Route {
            method: "post",
            path: "/sync/pull",
            handler: post(sync::pull),
            summary: "Pull a store's changes after a cursor",
            description: "Changes in cursor order (a per-store sequence), at most `limit` (1–1000) \
                per page; `has_more` says to pull again from `cursor`. Filtered by the caller's \
                role: sensitive customer fields and skin-assessment contents are removed for \
                roles that may not read them; complaints, feedback, audit entries and \
                sensitive service-record entries are left out for roles that may not read them \
                (the cursor still moves past them), and a staff spot check for anyone but its \
                person and those who read the team's scorecards. With `colleagues` (the tokens \
                of the others signed in on the device), it brings what any of them may read.",
            auth: true,
            body: Some("PullRequest"),
            query: &[],
            ok_status: 200,
            ok: "PullResponse",
        },
        Route {
            method: "post",
            path: "/sync/wait",
            handler: post(live::wait),
            summary: "Wait for a store's next change",
            description: "A long poll: answers as soon as the store's log has changes after \
                `cursor` (`changed: true`; then pull), or after `timeout_ms` (at most 25,000) \
                with `changed: false`. `cursor` in the answer is the store's last, counting \
                changes the caller may not read. Changes pushed to this server wake the request \
                at once; those written by another server on the same database within a second.",
            auth: true,
            body: Some("WaitRequest"),
            query: &[],
            ok_status: 200,
            ok: "WaitAnswer",
        },
        Route {
            method: "get",
            path: "/stores",
            handler: get(admin::list_stores),
            summary: "The stores the caller may act in",
            description: "The owner sees every store of the chain; anyone else their own.",
            auth: true,
            body: None,
            query: &[],
            ok_status: 200,
            ok: "StoreList",
        },
        Route {
            method: "post",
            path: "/stores",
            handler: post(admin::create_store),
            summary: "Open a store (owner)",
            description: "Audited.",
            auth: true,
            body: Some("NewStore"),
            query: &[],
            ok_status: 201,
            ok: "Store",
        },
        Route {
            method: "get",
            path: "/head-office",
            handler: get(head_office::today),
            summary: "Every store's day, the most urgent first (owner)",
            description: "Bookings, arrivals, no-shows, open complaints by deadline state, the \
                month's satisfaction and overdue follow-ups of each store of the chain, computed \
                from the store's records as its devices see them.",
            auth: true,
            body: None,
            query: &[(
                "day",
                "Date",
                "The local day in each store's time zone (default: each store's today).",
            )],
            ok_status: 200,
            ok: "HeadOffice",
        },
        Route {
            method: "get",
            path: "/head-office/monthly",
            handler: get(head_office::monthly),
            summary: "The chain's monthly supervision report (owner)",
            description: "Each store's month (satisfaction and the expectation gap with six \
                months' trend, complaints, follow-ups, checks) and the chain's over all the \
                stores' records, each store's month in its own time zone.",
            auth: true,
            body: None,
            query: &[(
                "month",
                "Date",
                "Any day of the month (default: the month of the first store's today).",
            )],
            ok_status: 200,
            ok: "ChainMonth",
        },
        Route {
            method: "get",
            path: "/staff",
            handler: get(admin::list_staff),
            summary: "A store's staff accounts (owner, manager)",
            description: "",
            auth: true,
            body: None,
            query: &[(
                "store_id",
                "Uuid",
                "The store (default: the caller's; the owner may name any).",
            )],
            ok_status: 200,
            ok: "StaffList",
        },
        Route {
            method: "post",
            path: "/staff",
            handler: post(admin::create_staff),
            summary: "Create a staff account (owner, manager)",
            description: "A manager creates accounts in their own store and never an owner \
                account (nobody grants a role above their own: 403). The login is stored in \
                NFKC, lower-case (400 `login.*`), the display name is 1 to 100 characters \
                without control, bidirectional or zero-width characters (400 `name.*`), the \
                password 10 to 256 characters and not a common one (400 `password.*`). The \
                login must be free (409 `conflict`). Audited.",
            auth: true,
            body: Some("NewStaff"),
            query: &[],
            ok_status: 201,
            ok: "Staff",
        },
        Route {
            method: "post",
            path: "/staff/{id}/deactivate",
            handler: post(admin::deactivate_staff),
            summary: "Deactivate an account (owner, manager)",
            description: "The account can no longer sign in (403 `account_deactivated`) and \
                every session of it ends at once (401 from its next request). Not one's own \
                account; an owner's only by an owner (403). A manager acts on her own store's \
                staff only (another store's answers 404, as an unknown id). Audited; devices \
                learn it as a `staff.upsert`.",
            auth: true,
            body: None,
            query: &[],
            ok_status: 200,
            ok: "Staff",
        },
        Route {
            method: "post",
            path: "/staff/{id}/reactivate",
            handler: post(admin::reactivate_staff),
            summary: "Reactivate an account (owner, manager)",
            description: "The account may sign in again. The same rules as deactivating. Audited.",
            auth: true,
            body: None,
            query: &[],
            ok_status: 200,
            ok: "Staff",
        },
        Route {
            method: "post",
            path: "/staff/{id}/password",
            handler: post(admin::reset_password),
            summary: "Reset someone's password (owner, manager)",
            description: "Sets a new password (10 to 256 characters, not a common one: 400 \
                `password.*`) and `must_change_password`; every session of the person ends. \
                Not one's own (use `/auth/password`); an owner's only by an owner (403). \
                Audited.",
            auth: true,
            body: Some("PasswordReset"),
            query: &[],
            ok_status: 200,
            ok: "Staff",
        },
        Route {
            method: "get",
            path: "/staff/{id}/stores",
            handler: get(admin::list_staff_stores),
            summary: "The stores a person works in (owner, manager)",
            description: "",
            auth: true,
            body: None,
            query: &[],
            ok_status: 200,
            ok: "StaffStores",
        },
        Route {
            method: "post",
            path: "/staff/{id}/stores",
            handler: post(admin::set_staff_store),
            summary: "Let a person work in another store of the chain too, or no longer (owner)",
            description: "She may then sign in to, sync and switch to that store in her own \
                role; its devices learn her staff record as a `staff.upsert`. Audited.",
            auth: true,
            body: Some("StoreMembership"),
            query: &[],
            ok_status: 200,
            ok: "StaffStores",
        },
        Route {
            method: "post",
            path: "/staff/{id}/role",
            handler: post(admin::change_role),
            summary: "Change someone's role (owner, manager)",
            description: "Nobody changes her own role, grants a role above her own, or changes \
                an owner's role unless she is an owner (403). Her sessions act in the new role \
                from their next request. Audited; devices learn it as a `staff.upsert`.",
            auth: true,
            body: Some("NewRole"),
            query: &[],
            ok_status: 200,
            ok: "Staff",
        },
        Route {
            method: "get",
            path: "/devices",
            handler: get(admin::list_devices),
            summary: "Signed-in devices of a store's staff (owner, manager)",
            description: "One entry per session, newest first, with whether it holds an offline \
                PIN and whether it was revoked.",
            auth: true,
            body: None,
            query: &[(
                "store_id",
                "Uuid",
                "The store (default: the caller's; the owner may name any).",
            )],
            ok_status: 200,
            ok: "DeviceList",
        },
        Route {
            method: "post",
            path: "/devices/{id}/revoke",
            handler: post(admin::revoke_device),
            summary: "Revoke a device's session",
            description: "Managers revoke any device of their store's staff but an owner's \
                (403; the owner any store's); anyone may revoke their own session (signing out). The token is refused from \
                then on (401 `unauthorized`); the device then drops its offline PIN. Audited.",
            auth: true,
            body: None,
            query: &[],
            ok_status: 200,
            ok: "Revoked",
        },
        Route {
            method: "get",
            path: "/audit",
            handler: get(audit::list),
            summary: "The audit log (owner, manager)",
            description: "Newest first by the server's receive time (`received_at`); the \
                writer's own time (`at`, a device's clock for device entries) is shown beside \
                it. Device-reported entries (sensitive reads, overrides) and server-written \
                ones (audited mutations, lock-outs, exports, staff changes, revocations). A \
                manager sees her store's entries only (a lock-out of one of her store's logins \
                included); entries of no store (an address's lock-out) only the owner.",
            auth: true,
            body: None,
            query: &[
                (
                    "store_id",
                    "Uuid",
                    "The store (default: the caller's; the owner may name any).",
                ),
                (
                    "before",
                    "String",
                    "The `next_before` of the previous page.",
                ),
                (
                    "limit",
                    "Limit500",
                    "At most this many entries (default 100).",
                ),
            ],
            ok_status: 200,
            ok: "AuditPage",
        },
        Route {
            method: "get",
            path: "/customers/{id}/export",
            handler: get(customers::export),
            summary: "Everything the store holds about a customer (owner, manager, \
                customer-service supervisor)",
            description: "The merged records of one customer as JSON (file, skin assessments, \
                consents, appointments, service records, feedback, follow-ups, complaint events, \
                loyalty). 404 once erased. Audited. Erasure itself is the `customer.erase` \
                mutation, pushed like any change: its tombstone reaches every device and the \
                server redacts the customer's data in its logged history.",
            auth: true,
            body: None,
            query: &[],
            ok_status: 200,
            ok: "CustomerExport",
        },
        Route {
            method: "get",
            path: "/book/{code}",
            handler: get(online_booking::page_data),
            summary: "A store's online booking: the store, its services and therapists (public)",
            description: "No sign-in. `code` is the store's public code (12 characters, derived \
                from its id; Set-up shows it). 404 `booking.not_found` for an unknown code or a \
                store that does not take online bookings. The HTML page for customers is \
                `/book/{code}` outside the API.",
            auth: false,
            body: None,
            query: &[],
            ok_status: 200,
            ok: "BookingPage",
        },
        Route {
            method: "get",
            path: "/book/{code}/slots",
            handler: get(online_booking::slots),
            summary: "The free slots of one day for a service (public)",
            description: "Computed by the core's booking rules (`free_slots`): the store's hours, \
                the service's duration, the booking buffer, the therapists' bookings and a free \
                room of the kind the service needs; not within the store's notice period, nor \
                beyond the days it offers. `therapist` absent means anyone.",
            auth: false,
            body: None,
            query: &[
                ("service", "Uuid", "The service (required)."),
                ("therapist", "Uuid", "A therapist; absent for anyone."),
                ("date", "Date", "The store's local date (required)."),
            ],
            ok_status: 200,
            ok: "BookingSlots",
        },
        Route {
            method: "post",
            path: "/book/{code}",
            handler: post(online_booking::book),
            summary: "Book online (public)",
            description: "Checked again by the core's rules under the store's log lock: 409 \
                `booking.slot_taken` when the time is no longer free. Her file is found by \
                phone or created; the booking is appended to the store's log as an appointment \
                of channel `website` (every device has it on its next pull), confirmed at once \
                unless the phone is unknown and the store asks to confirm those (then `booked`, \
                waiting for the desk). Bounded fields: 422 `booking.name_invalid`, \
                `booking.phone_invalid`, `booking.needs_too_long`, `booking.unknown_service`, \
                `booking.too_late`, `booking.too_far`. Answers to the service's consultation \
                questions are health data: kept only with `health_consent` (the version of the \
                consent text she was shown; 422 `booking.consent_unknown` for one that is not \
                ours), else 422 `booking.consent_required`; each answers one of the service's \
                questions once in its form (422 `booking.answer_invalid`), a text at most 500 \
                characters (422 `booking.answer_too_long`). With them the log gets her consent \
                given online and a sensitive `consultation_ahead` service-record entry, which \
                pulls leave out for roles that may not read health data. \
                A filled honeypot (`website`) is 400 \
                `booking.rejected`; more than 10 tries an hour from one address or 3 a day for \
                one phone is 429 `booking.too_many` (counted in the database). The answer \
                carries the private link's token (stored hashed), shown once.",
            auth: false,
            body: Some("BookingRequest"),
            query: &[],
            ok_status: 201,
            ok: "BookingView",
        },
        Route {
            method: "post",
            path: "/booking/view",
            handler: post(online_booking::view),
            summary: "A booking by its private link (public)",
            description: "The token travels in the body, not the address. 404 \
                `booking.link_unknown`.",
            auth: false,
            body: Some("BookingToken"),
            query: &[],
            ok_status: 200,
            ok: "BookingView",
        },
        Route {
            method: "post",
            path: "/booking/cancel",
            handler: post(online_booking::cancel),
            summary: "Cancel a booking by its private link (public)",
            description: "Before the store's notice period only (422 `booking.too_late`): a \
                status change to `cancelled` (the customer's request) in the store's log.",
            auth: false,
            body: Some("BookingToken"),
            query: &[],
            ok_status: 200,
            ok: "BookingView",
        },
        Route {
            method: "post",
            path: "/booking/reschedule",
            handler: post(online_booking::reschedule),
            summary: "Move a booking by its private link (public)",
            description: "To another free slot, before the notice period of the old time and \
                the new (422 `booking.too_late`; 409 `booking.slot_taken`).",
            auth: false,
            body: Some("BookingReschedule"),
            query: &[],
            ok_status: 200,
            ok: "BookingView",
        },
        Route {
            method: "get",
            path: "/online-booking",
            handler: get(online_booking::link),
            summary: "The signed-in store's public booking address and QR code",
            description: "`path` is the customers' page, `qr_path` its QR code (SVG); `enabled` \
                says whether the store's setting takes bookings.",
            auth: true,
            body: None,
            query: &[],
            ok_status: 200,
            ok: "OnlineBookingLink",
        },
    ]
}

/// The change kinds of the sync protocol, as on the wire.
const CHANGE_KINDS: [&str; 27] = [
    "store.upsert",
    "staff.upsert",
    "customer.upsert",
    "customer.erase",
    "skin_assessment.add",
    "consent.record",
    "catalog.upsert",
    "room.upsert",
    "appointment.upsert",
    "appointment.status",
    "waitlist.upsert",
    "service_record.entry",
    "feedback.submit",
    "follow_up.upsert",
    "complaint.event",
    "product.upsert",
    "batch.add",
    "stock.move",
    "loyalty.delta",
    "audit.append",
    "check_template.upsert",
    "check.record",
    "corrective.event",
    "service_task.upsert",
    "checkout.record",
    "checkout.void",
    "delete",
];

fn object(required: &[&str], properties: Value) -> Value {
    json!({ "type": "object", "required": required, "properties": properties })
}

fn r(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn schemas() -> Value {
    let roles: Vec<&str> = orchid_core::role::Role::ALL
        .iter()
        .map(|r| r.code())
        .collect();
    let string = json!({ "type": "string" });
    let nullable_string = json!({ "type": ["string", "null"] });
    let int = json!({ "type": "integer", "minimum": 0 });
    json!({
        "Error": object(&["error", "message"], json!({
            "error": { "type": "string", "description": "A stable code: bad_credentials, unauthorized, throttled, forbidden, bad_request, bad_json, invalid_body, unsupported_media_type, too_large, conflict, not_found, method_not_allowed, busy, internal, account_deactivated, wrong_password, a rule's code (login.too_long, name.invalid_character, password.too_common, pin.too_simple…) or a sync code (sync.wrong_store, sync.unsupported_version…)." },
            "message": { "type": "string", "description": "A sentence for a developer (the UI translates by code)." }
        })),
        "Uuid": { "type": "string", "format": "uuid" },
        "String": { "type": "string" },
        "Limit500": { "type": "integer", "minimum": 1, "maximum": 500 },
        "Role": { "type": "string", "enum": roles },
        "Health": object(&["status", "version"], json!({ "status": string, "version": string })),
        "OpenApi": { "type": "object" },
        "SignInRequest": object(&["login", "password"], json!({
            "login": string, "password": string,
            "device": { "type": "string", "description": "A name for this device, shown in the devices list (≤ 200 characters kept)." },
            "device_token": { "type": ["string", "null"], "description": "A live session token of the same person on this device: not held by the per-login lock." }
        })),
        "SignInResponse": object(&["token", "staff_id", "staff_name", "role", "store_id", "expires_at", "must_change_password", "demo_server"], json!({
            "token": { "type": "string", "description": "Send as `Authorization: Bearer <token>`." },
            "staff_id": r("Uuid"), "staff_name": string, "role": r("Role"), "store_id": r("Uuid"),
            "expires_at": { "type": "string", "format": "date-time" },
            "must_change_password": { "type": "boolean" },
            "demo_server": { "type": "boolean", "description": "A server for trying Orchid (`--demo`): the app may offer its demo store." }
        })),
        "PinRequest": object(&["pin"], json!({
            "pin": { "type": "string", "pattern": "^[0-9]{6,12}$", "description": "6 to 12 digits, not one repeated digit, not a straight run (123456, 654321)." }
        })),
        "PasswordChange": object(&["old_password", "new_password"], json!({
            "old_password": string,
            "new_password": { "type": "string", "minLength": 10, "maxLength": 256 }
        })),
        "PasswordChanged": object(&["changed_at", "sessions_ended"], json!({
            "changed_at": { "type": "string", "format": "date-time" }, "sessions_ended": int
        })),
        "PasswordReset": object(&["password"], json!({
            "password": { "type": "string", "minLength": 10, "maxLength": 256 }
        })),
        "NewRole": object(&["role"], json!({ "role": r("Role") })),
        "StoreMembership": object(&["store_id", "works_here"], json!({ "store_id": r("Uuid"), "works_here": { "type": "boolean" } })),
        "StaffStores": object(&["store_id", "also_in"], json!({ "store_id": r("Uuid"), "also_in": { "type": "array", "items": r("Uuid") } })),
        "PinResponse": object(&["pin_hash", "staff_id", "set_at"], json!({
            "pin_hash": { "type": "string", "description": "Argon2id PHC string to keep on the device." },
            "staff_id": r("Uuid"), "set_at": { "type": "string", "format": "date-time" }
        })),
        "Hlc": object(&["wall_ms", "counter", "node"], json!({
            "wall_ms": int, "counter": int, "node": r("Uuid")
        })),
        "Actor": object(&["staff_id", "role"], json!({ "staff_id": r("Uuid"), "role": r("Role") })),
        "Mutation": {
            "type": "object",
            "description": "One change made on a device (orchid_core::sync::Mutation). The payload's shape depends on `kind`; see the core's wire-format snapshots.",
            "required": ["client_id", "mutation_id", "hlc", "actor", "store_id", "kind", "payload"],
            "properties": {
                "client_id": r("Uuid"),
                "mutation_id": { "type": "integer", "minimum": 1 },
                "hlc": r("Hlc"), "actor": r("Actor"), "store_id": r("Uuid"),
                "kind": { "type": "string", "enum": CHANGE_KINDS },
                "payload": {}
            }
        },
        "PushRequest": object(&["format_version", "client_id", "mutations"], json!({
            "format_version": { "type": "integer", "const": orchid_core::sync::FORMAT_VERSION },
            "client_id": r("Uuid"),
            "mutations": { "type": "array", "maxItems": sync::MAX_PUSH_MUTATIONS, "items": r("Mutation") }
        })),
        "PushResult": object(&["mutation_id", "status"], json!({
            "mutation_id": int,
            "status": { "type": "string", "enum": ["accepted", "duplicate", "rejected", "retry"] },
            "error": { "type": "object", "required": ["code"], "properties": { "code": string },
                       "description": "Why (rejected, retry): a stable code and its parameters." }
        })),
        "PushResponse": object(&["format_version", "results", "last_mutation_id"], json!({
            "format_version": int,
            "results": { "type": "array", "items": r("PushResult") },
            "last_mutation_id": int
        })),
        "PullRequest": object(&["format_version", "client_id", "store_id", "limit"], json!({
            "format_version": { "type": "integer", "const": orchid_core::sync::FORMAT_VERSION },
            "client_id": r("Uuid"), "store_id": r("Uuid"),
            "cursor": { "type": ["integer", "null"], "minimum": 0 },
            "limit": { "type": "integer", "minimum": 0, "maximum": 4294967295u64, "description": "Clamped to 1–1000." },
            "colleagues": {
                "type": "array", "maxItems": orchid_core::sync::MAX_PULL_COLLEAGUES, "items": { "type": "string" },
                "description": "The tokens of the other people signed in on this device: the pull brings what any of them may read. A token no longer good is left out."
            }
        })),
        "WaitRequest": object(&["format_version", "store_id", "timeout_ms"], json!({
            "format_version": { "type": "integer", "const": orchid_core::sync::FORMAT_VERSION },
            "store_id": r("Uuid"),
            "cursor": { "type": ["integer", "null"], "minimum": 0 },
            "timeout_ms": { "type": "integer", "minimum": 0, "maximum": 4294967295u64, "description": "Clamped to 25,000." }
        })),
        "WaitAnswer": object(&["changed", "cursor"], json!({ "changed": { "type": "boolean" }, "cursor": int })),
        "PulledChange": object(&["cursor", "mutation"], json!({ "cursor": int, "mutation": r("Mutation") })),
        "PullResponse": object(&["format_version", "store_id", "changes", "cursor", "has_more", "last_mutation_id"], json!({
            "format_version": int, "store_id": r("Uuid"),
            "changes": { "type": "array", "items": r("PulledChange") },
            "cursor": int, "has_more": { "type": "boolean" }, "last_mutation_id": int
        })),
        "NewStore": object(&["name"], json!({
            "name": { "type": "string", "minLength": 1, "maxLength": 100 },
            "address": { "type": ["string", "null"], "maxLength": 200 },
            "utc_offset_minutes": { "type": ["integer", "null"], "minimum": -720, "maximum": 840 },
            "copy_from": { "description": "A store whose opening hours, settings, time zone and service catalogue the new one starts with.", "oneOf": [r("Uuid"), { "type": "null" }] }
        })),
        "Store": object(&["id", "name", "created_at"], json!({ "id": r("Uuid"), "name": string, "created_at": string })),
        "Date": { "type": "string", "format": "date" },
        "StoreDay": {
            "type": "object",
            "description": "orchid_core::head_office::StoreDay.",
            "required": ["store_id", "name", "day", "bookings", "arrivals", "no_shows", "complaints_open", "complaints_on_track", "complaints_due_soon", "complaints_overdue", "complaints_critical", "satisfaction_month", "follow_ups_overdue"],
            "properties": {
                "store_id": r("Uuid"), "name": string, "day": r("Date"),
                "bookings": int, "arrivals": int, "no_shows": int,
                "complaints_open": int, "complaints_on_track": int, "complaints_due_soon": int,
                "complaints_overdue": int, "complaints_critical": int,
                "satisfaction_month": { "type": "object" }, "follow_ups_overdue": int
            }
        },
        "HeadOffice": object(&["stores"], json!({ "stores": { "type": "array", "items": r("StoreDay") } })),
        "MonthlyReport": {
            "type": "object",
            "description": "orchid_core::monthly_report::MonthlyReport.",
            "required": ["month", "satisfaction", "trend", "complaints", "follow_ups", "checks"],
            "properties": {
                "month": r("Date"), "satisfaction": { "type": "object" },
                "trend": { "type": "array" }, "complaints": { "type": "object" },
                "follow_ups": { "type": "object" }, "checks": { "type": "object" }
            }
        },
        "StoreMonth": object(&["store_id", "name", "report"], json!({ "store_id": r("Uuid"), "name": string, "report": r("MonthlyReport") })),
        "ChainMonth": object(&["month", "stores", "total"], json!({
            "month": r("Date"),
            "stores": { "type": "array", "items": r("StoreMonth") },
            "total": r("MonthlyReport")
        })),
        "StoreList": object(&["stores"], json!({ "stores": { "type": "array", "items": r("Store") } })),
        "NewStaff": object(&["login", "display_name", "role", "password"], json!({
            "store_id": r("Uuid"),
            "staff_id": r("Uuid"),
            "login": { "type": "string", "pattern": "^[\\p{L}\\p{N}._@-]{1,64}$" },
            "display_name": { "type": "string", "minLength": 1, "maxLength": 100 },
            "role": r("Role"),
            "password": { "type": "string", "minLength": 10, "maxLength": 256 }
        })),
        "Staff": object(&["id", "store_id", "login", "display_name", "role", "created_at", "active", "must_change_password"], json!({
            "id": r("Uuid"), "store_id": r("Uuid"), "login": string, "display_name": string,
            "role": r("Role"), "created_at": string, "active": { "type": "boolean" },
            "must_change_password": { "type": "boolean" }
        })),
        "StaffList": object(&["staff"], json!({ "staff": { "type": "array", "items": r("Staff") } })),
        "Device": object(&["id", "staff_id", "staff_name", "role", "device", "signed_in_at", "expires_at", "pin_set", "current"], json!({
            "id": string, "staff_id": r("Uuid"), "staff_name": string, "role": r("Role"),
            "device": string, "signed_in_at": string, "expires_at": string,
            "last_seen_at": nullable_string, "address": nullable_string, "revoked_at": nullable_string,
            "pin_set": { "type": "boolean" }, "current": { "type": "boolean" }
        })),
        "DeviceList": object(&["devices"], json!({ "devices": { "type": "array", "items": r("Device") } })),
        "Revoked": object(&["id", "revoked_at"], json!({ "id": string, "revoked_at": string })),
        "AuditEntry": object(&["id", "at", "at_ms", "received_at", "received_at_ms", "action", "fields", "note", "source"], json!({
            "id": string, "store_id": nullable_string, "at": string, "at_ms": { "type": "integer" },
            "received_at": string, "received_at_ms": { "type": "integer" },
            "staff_id": nullable_string, "role": nullable_string, "session_id": nullable_string,
            "client_id": nullable_string, "action": string, "entity_kind": nullable_string,
            "entity_id": nullable_string, "sensitivity": nullable_string,
            "fields": { "type": "array", "items": string }, "note": string,
            "source": { "type": "string", "enum": ["device", "server"] }
        })),
        "AuditPage": object(&["entries"], json!({
            "entries": { "type": "array", "items": r("AuditEntry") },
            "next_before": nullable_string
        })),
        "BookingPage": object(&["store", "services", "therapists", "health_consent"], json!({
            "health_consent": object(&["version", "zh", "en"], json!({
                "version": string,
                "zh": { "type": "array", "items": string },
                "en": { "type": "array", "items": string }
            })),
            "store": object(&["name", "utc_offset_minutes", "opening_hours", "notice_hours", "days_ahead"], json!({
                "name": string, "address": nullable_string, "utc_offset_minutes": { "type": "integer" },
                "opening_hours": { "type": "object" }, "notice_hours": int, "days_ahead": int
            })),
            "services": { "type": "array", "items": object(&["id", "name", "category", "duration_minutes", "price", "questions"], json!({
                "id": r("Uuid"), "name": string, "category": string, "duration_minutes": int,
                "price": { "type": "integer", "description": "In fen." }, "description": string,
                "questions": { "type": "array", "items": object(&["key", "text", "kind"], json!({
                    "key": string, "text": string,
                    "kind": { "type": "object", "description": "`{kind: yes_no}`, `{kind: text}` or `{kind: choice, choices: [...]}`." }
                })) }
            })) },
            "therapists": { "type": "array", "items": object(&["id", "name", "services"], json!({
                "id": r("Uuid"), "name": string, "services": { "type": "array", "items": r("Uuid") }
            })) }
        })),
        "BookingSlots": object(&["date", "slots"], json!({
            "date": r("Date"),
            "slots": { "type": "array", "items": object(&["start", "end", "therapist_id"], json!({
                "start": { "type": "string", "format": "date-time" },
                "end": { "type": "string", "format": "date-time" },
                "therapist_id": r("Uuid"), "therapist_name": nullable_string
            })) }
        })),
        "BookingRequest": object(&["service_id", "start", "name", "phone"], json!({
            "service_id": r("Uuid"),
            "therapist_id": { "oneOf": [r("Uuid"), { "type": "null" }] },
            "start": { "type": "string", "format": "date-time" },
            "name": { "type": "string", "minLength": 1, "maxLength": 60 },
            "phone": { "type": "string", "maxLength": 40 },
            "needs": { "type": "string", "maxLength": online_booking::MAX_NEEDS_CHARS },
            "answers": { "type": "array", "items": object(&["key", "value"], json!({
                "key": { "type": "string", "minLength": 1, "maxLength": 40 },
                "value": { "type": "object", "description": "`{type: yes_no, value: bool}`, `{type: text, value: string}` or `{type: choice, value: string}`." }
            })) },
            "health_consent": { "oneOf": [{ "type": "string", "description": "The consent text's version she ticked." }, { "type": "null" }] },
            "language": { "oneOf": [{ "type": "string", "enum": ["zh", "en"] }, { "type": "null" }] },
            "website": { "type": "string", "description": "Leave empty (a field people do not see)." }
        })),
        "BookingToken": object(&["token"], json!({ "token": string })),
        "BookingReschedule": object(&["token", "start"], json!({
            "token": string, "start": { "type": "string", "format": "date-time" },
            "therapist_id": { "oneOf": [r("Uuid"), { "type": "null" }] }
        })),
        "BookingView": object(&["store_name", "code", "service_name", "start", "end", "utc_offset_minutes", "status", "may_change", "notice_hours"], json!({
            "store_name": string, "code": string, "service_name": string,
            "therapist_name": nullable_string,
            "start": { "type": "string", "format": "date-time" },
            "end": { "type": "string", "format": "date-time" },
            "utc_offset_minutes": { "type": "integer" },
            "status": { "type": "string", "enum": ["booked", "confirmed", "arrived", "in_service", "completed", "no_show", "cancelled"] },
            "may_change": { "type": "boolean" }, "notice_hours": int,
            "token": { "type": "string", "description": "The private link's token: only in the answer to the booking." }
        })),
        "OnlineBookingLink": object(&["code", "path", "qr_path", "enabled"], json!({
            "code": string, "path": string, "qr_path": string, "enabled": { "type": "boolean" }
        })),
        "CustomerExport": {
            "type": "object",
            "description": "orchid_core::sync::CustomerExport.",
            "required": ["customer", "skin_assessments", "consents", "appointments", "service_records", "feedback", "follow_ups", "complaint_events", "loyalty", "access"],
            "properties": {
                "customer": { "type": "object" },
                "skin_assessments": { "type": "array" }, "consents": { "type": "array" },
                "appointments": { "type": "array" }, "service_records": { "type": "array" },
                "feedback": { "type": "array" }, "follow_ups": { "type": "array" },
                "complaint_events": { "type": "array" }, "loyalty": { "type": "array" },
                "access": { "type": "array", "description": "The audit entries about her and her records, oldest first." }
            }
        }
    })
}

/// The OpenAPI document.
pub fn build() -> Value {
    let mut paths = Map::new();
    for route in routes() {
        let mut op = Map::new();
        op.insert("summary".into(), json!(route.summary));
        if !route.description.is_empty() {
            op.insert("description".into(), json!(route.description));
        }
        op.insert(
            "operationId".into(),
            json!(format!(
                "{}{}",
                route.method,
                route.path.replace(['/', '{', '}', '-', '.'], "_")
            )),
        );
        let mut params: Vec<Value> = route
            .query
            .iter()
            .map(|(name, schema, description)| {
                json!({ "name": name, "in": "query", "required": false,
                        "description": description, "schema": r(schema) })
            })
            .collect();
        for name in route
            .path
            .split('/')
            .filter_map(|part| part.strip_prefix('{')?.strip_suffix('}'))
        {
            params.push(json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }));
        }
        if !params.is_empty() {
            op.insert("parameters".into(), Value::Array(params));
        }
        if let Some(body) = route.body {
            op.insert(
                "requestBody".into(),
                json!({ "required": true, "content": { "application/json": { "schema": r(body) } } }),
            );
        }
        if route.auth {
            op.insert("security".into(), json!([{ "bearer": [] }]));
        }
        let error = json!({ "description": "An error: `{error, message}`.",
                            "content": { "application/json": { "schema": r("Error") } } });
        op.insert(
            "responses".into(),
            json!({
                route.ok_status.to_string(): {
                    "description": "Done.",
                    "content": { "application/json": { "schema": r(route.ok) } }
                },
                "default": error
            }),
        );
        let entry = paths
            .entry(format!("/api/v1{}", route.path))
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(methods) = entry {
            methods.insert(route.method.into(), Value::Object(op));
        }
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "兰心 Orchid server API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Sync, sign-in, roles and stores for Orchid's offline-first devices. Every error is `{ \"error\": code, \"message\": text }`; a missing, expired or revoked token is 401 `unauthorized`."
        },
        "paths": paths,
        "components": {
            "schemas": schemas(),
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } }
        }
    })
}

pub async fn document() -> Json<Value> {
    static DOCUMENT: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    Json(DOCUMENT.get_or_init(build).clone())
}
