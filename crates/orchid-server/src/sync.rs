//! `POST /api/v1/sync/push` and `/pull`: the core's reference `ServerState` (push idempotency,
//! clock-drift check, log with cursors, pull) kept in the database instead of memory.
//!
//! What is persisted, and why that is enough: the core validates a mutation from the mutation
//! alone (permission of the actor's role, field checks) and merges on every replica with rules
//! that commute, so the server never needs the merged records to decide — only
//! * the log of accepted mutations, with a cursor per store (`changes`),
//! * the last mutation id processed per device (`sync_clients`: idempotency, gap detection),
//! * which store each record belongs to (`entities`: store isolation), and
//! * which customers were erased (`erased_customers`: later mutations about them are redacted).
//!
//! Each push is one database transaction: a failure anywhere (a crash, a lost connection) leaves
//! nothing applied and the device's retry starts afresh; a success commits every outcome at once.
use std::collections::{BTreeMap, BTreeSet};

use axum::Json;
use axum::extract::State;
use chrono::Utc;
use orchid_core::catalog::{self, CatalogField, StandardUse};
use orchid_core::consent::{self, ConsentError, ConsentRecord, HealthWrite};
use orchid_core::hlc::{Hlc, HlcClock, HlcError};
use orchid_core::ids::{ClientId, ConsentId, EntityKind, EntityRef, StaffId, StoreId};
use orchid_core::role::Role;
use orchid_core::service_record::{self, RecordEntry, RecordEntryKind};
use orchid_core::staff::StaffField;
use orchid_core::sync::{
    Change, Cursor, FORMAT_VERSION, HealthSubject, MAX_PULL_COLLEAGUES, Mutation, PullRequest,
    PushOutcome, PushRequest, PushResponse, PushResult, SyncError, check_version,
};
use orchid_core::{ValidationError, permission};
use serde_json::value::RawValue;
use sqlx::AnyConnection;

use crate::AppState;
use crate::api::{self, ApiJson, Session};
use crate::audit::{self, ServerEntry};
use crate::complaint_numbers;
use crate::db::Backend;
use crate::device_binding;
use crate::error::AppError;
use crate::visibility;

/// The most mutations one push may carry; a device with more sends several pushes.
pub const MAX_PUSH_MUTATIONS: usize = 500;
/// The most changes one pull answers with.
pub const MAX_PULL_LIMIT: u32 = 1000;

pub(crate) fn kind_code(change: &Change) -> String {
    serde_json::to_value(change)
        .ok()
        .and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_owned))
        .unwrap_or_default()
}

pub(crate) fn entity_kind_code(entity: &EntityRef) -> String {
    audit::code_of(&entity.kind)
}

pub async fn push(
    State(state): State<AppState>,
    session: Session,
    headers: axum::http::HeaderMap,
    ApiJson(request): ApiJson<PushRequest>,
) -> Result<Json<PushResponse>, AppError> {
    check_version(request.format_version)?;
    let device_key = device_binding::key_hash(&headers)?;
    if request.mutations.len() > MAX_PUSH_MUTATIONS {
        return Err(AppError::BadRequest(format!(
            "at most {MAX_PUSH_MUTATIONS} mutations per push; send the rest in the next one"
        )));
    }
    if request
        .mutations
        .iter()
        .any(|m| i64::try_from(m.mutation_id).is_err())
    {
        return Err(AppError::InvalidBody(
            "mutation ids must be below 2^63".into(),
        ));
    }
    let wanted: BTreeSet<StoreId> = request.mutations.iter().map(|m| m.store_id).collect();
    let may_act_in = session.stores_acted_in(&state, &wanted).await?;
    let carried = carried_people(&state, &session, request.client_id, &request.mutations).await?;
    // Everything that needs no database is done here, in parallel with other pushes; only
    // `apply` runs in the (single, on SQLite) write turn.
    let prepared = Prepared::new(
        session,
        request,
        may_act_in,
        &carried,
        device_key,
        Utc::now(),
    )?;
    // A push that needs nothing beyond the log (the usual one) is written by SQLite's
    // synchronous writer; the rest (erasures, audit entries, complaint numbers, another store's
    // records) and PostgreSQL's go through sqlx.
    if state.db.has_sync_writer() && prepared.plain() {
        let written = state
            .db
            .write_sync(move |conn| prepared.apply_plain(conn))
            .await;
        let response = written.unwrap_or_else(|| {
            Err(AppError::internal(std::io::Error::other(
                "the synchronous writer is gone",
            )))
        })?;
        wake_waiters(&state, &wanted);
        return Ok(Json(response));
    }
    // Read before the write (see `RESERVED_CLIENT_SQL`): stores are only ever added, each with
    // a fresh random id. PostgreSQL reads it in the push's first statement instead
    // (`PG_CLIENT_ROW_SQL`), a round trip fewer.
    if state.db.backend == Backend::Sqlite {
        let reserved: Option<String> = sqlx::query_scalar(RESERVED_CLIENT_SQL)
            .bind(&prepared.client)
            .fetch_optional(&state.db.pool)
            .await?;
        if reserved.is_some() {
            return Err(reserved_client());
        }
    }
    let response = state
        .db
        .write_grouped({
            let state = state.clone();
            move |conn| Box::pin(async move { prepared.apply(conn, &state).await })
        })
        .await?;
    wake_waiters(&state, &wanted);
    Ok(Json(response))
}

/// Devices waiting on the stores a push wrote to learn of it now (see `live.rs`); a push that
/// logged nothing new only costs them a read of the cursor.
fn wake_waiters(state: &AppState, stores: &BTreeSet<StoreId>) {
    for store in stores {
        state.live.touched(*store);
    }
}

/// A store's id is the client id of the server's own changes in that store (complaint numbers):
/// no device may use it, or its mutation ids would collide with the server's.
const RESERVED_CLIENT_SQL: &str = "SELECT id FROM stores WHERE id = $1";

fn reserved_client() -> AppError {
    AppError::BadRequest("this client id is reserved; a device makes its own random id".into())
}

/// The device's row, created or read (its store and last mutation id).
const CLIENT_ROW_SQL: &str =
    "INSERT INTO sync_clients (client_id, store_id, last_mutation_id, updated_at)
     VALUES ($1, $2, 0, $3)
     ON CONFLICT (client_id) DO UPDATE SET updated_at = sync_clients.updated_at
     RETURNING store_id, last_mutation_id";
/// The device's last mutation id, after the push.
const SET_LAST_SQL: &str =
    "UPDATE sync_clients SET last_mutation_id = $1, updated_at = $2 WHERE client_id = $3";
/// A store's cursor moved past a push's changes; answers the new last cursor.
const BUMP_CURSOR_SQL: &str = "INSERT INTO sync_stores (store_id, last_seq) VALUES ($1, $2)
     ON CONFLICT (store_id) DO UPDATE SET last_seq = sync_stores.last_seq + $2
     RETURNING last_seq";

/// [`CLIENT_ROW_SQL`] on PostgreSQL, with whether the client id is a store's (reserved, see
/// [`RESERVED_CLIENT_SQL`]): one round trip instead of two.
const PG_CLIENT_ROW_SQL: &str = "WITH client AS (
         INSERT INTO sync_clients (client_id, store_id, last_mutation_id, updated_at)
         VALUES ($1, $2, 0, $3)
         ON CONFLICT (client_id) DO UPDATE SET updated_at = sync_clients.updated_at
         RETURNING store_id, last_mutation_id)
     SELECT store_id, last_mutation_id, EXISTS (SELECT 1 FROM stores WHERE id = $1)
     FROM client";

/// PostgreSQL takes a push's many values as a few lists, each one text parameter whose items
/// are separated by the ASCII unit separator (U+001F, `chr(31)` in SQL) and split with
/// `string_to_array`: a statement of fixed text (prepared once per connection, whatever the
/// push's size) without sqlx's `Any` driver binding hundreds of parameters. Not JSON: the
/// database's JSON parser unescaping the logged bodies (JSON inside JSON) cost more than the
/// round trips this saves. No item can hold the separator: ids, codes, numbers, and bodies
/// that serde_json wrote, which escapes every control character ([`pg_list`] checks it).
const PG_LIST_SEPARATOR: char = '\u{1f}';

/// Joins `items` into one [`PG_LIST_SEPARATOR`]-separated text.
fn pg_list<'a>(items: impl IntoIterator<Item = &'a str>) -> Result<String, AppError> {
    let mut out = String::new();
    for (i, item) in items.into_iter().enumerate() {
        if item.contains(PG_LIST_SEPARATOR) {
            return Err(AppError::internal(std::io::Error::other(
                "a value holding the list separator",
            )));
        }
        if i > 0 {
            out.push(PG_LIST_SEPARATOR);
        }
        out.push_str(item);
    }
    Ok(out)
}

/// PostgreSQL: the push's records claimed (as [`claim_sql`], in key order; `$1`–`$3` lists of
/// their kinds, ids and stores, see [`PG_LIST_SEPARATOR`]), and beside their owners what the push
/// must know before deciding: which of its customers (`$4`) and records (`$5`) are erased, and
/// the device's binding (`device_binding::Facts`: its key, whether session `$7` is joined to
/// device `$6`, whether a live session is, as of `$8`). Rows: (what, id, kind, store).
const PG_CLAIM_SQL: &str = "WITH claimed AS (
         INSERT INTO entities (kind, id, store_id)
         SELECT kind, id, store_id
         FROM unnest(string_to_array($1, chr(31)), string_to_array($2, chr(31)),
                     string_to_array($3, chr(31))) AS w(kind, id, store_id)
         ORDER BY kind, id
         ON CONFLICT (kind, id) DO UPDATE SET store_id = entities.store_id
         RETURNING kind, id, store_id)
     SELECT 'owner', id, kind, store_id FROM claimed
     UNION ALL
     SELECT 'erased', customer_id, NULL, NULL FROM erased_customers
     WHERE customer_id = ANY (string_to_array($4, chr(31)))
     UNION ALL
     SELECT 'erased_entity', entity_id, NULL, NULL FROM erased_entities
     WHERE entity_id = ANY (string_to_array($5, chr(31)))
     UNION ALL
     SELECT 'key', key_hash, NULL, NULL FROM device_keys WHERE client_id = $6
     UNION ALL
     SELECT 'joined', NULL, NULL, NULL
     WHERE EXISTS (SELECT 1 FROM device_sessions WHERE client_id = $6 AND session_id = $7)
     UNION ALL
     SELECT 'live', NULL, NULL, NULL
     WHERE EXISTS (SELECT 1 FROM device_sessions d JOIN sessions s ON s.id = d.session_id
                   WHERE d.client_id = $6 AND s.revoked_at IS NULL AND s.expires_at > $8)";

/// PostgreSQL: the rest of a push in one statement — the device's last mutation id
/// ([`SET_LAST_SQL`]), its key and session joined when the binding says so
/// (`device_binding::STORE_KEY_SQL`, `JOIN_SQL`), each store's cursor moved by the push's
/// count (`$8`, `$9`: lists of stores and counts, locked in store order as
/// [`BUMP_CURSOR_SQL`]), and the log's rows (`$11`–`$19`: lists of the columns of
/// [`ChangeRow`] that differ by row, the `seq`s counting from 1 in their store, an empty
/// customer meaning none) placed after the cursor each store had.
const PG_WRITE_SQL: &str = "WITH client AS (
         UPDATE sync_clients SET last_mutation_id = $1, updated_at = $2 WHERE client_id = $3),
     device_key AS (
         INSERT INTO device_keys (client_id, key_hash, bound_at)
         SELECT $3::TEXT, $4::TEXT, $2::BIGINT WHERE $5::BOOLEAN
         ON CONFLICT (client_id)
         DO UPDATE SET key_hash = excluded.key_hash, bound_at = excluded.bound_at),
     device_session AS (
         INSERT INTO device_sessions (client_id, session_id, joined_at)
         SELECT $3::TEXT, $6::TEXT, $2::BIGINT WHERE $7::BOOLEAN
         ON CONFLICT (client_id, session_id) DO NOTHING),
     counts AS (
         SELECT store_id, n::BIGINT AS n
         FROM unnest(string_to_array($8, chr(31)), string_to_array($9, chr(31)))
              AS c(store_id, n)),
     cursors AS (
         INSERT INTO sync_stores (store_id, last_seq)
         SELECT store_id, n FROM counts ORDER BY store_id
         ON CONFLICT (store_id) DO UPDATE SET last_seq = sync_stores.last_seq + excluded.last_seq
         RETURNING store_id, last_seq)
     INSERT INTO changes (store_id, seq, client_id, mutation_id, staff_id, session_id,
                          kind, entity_kind, entity_id, customer_id, body, received_at)
     SELECT r.store_id, cursors.last_seq - counts.n + r.seq::BIGINT, r.client_id,
            r.mutation_id::BIGINT, $10::TEXT, $6::TEXT, r.kind, r.entity_kind, r.entity_id,
            NULLIF(r.customer_id, ''), r.body, $2::BIGINT
     FROM unnest(string_to_array($11, chr(31)), string_to_array($12, chr(31)),
                 string_to_array($13, chr(31)), string_to_array($14, chr(31)),
                 string_to_array($15, chr(31)), string_to_array($16, chr(31)),
                 string_to_array($17, chr(31)), string_to_array($18, chr(31)),
                 string_to_array($19, chr(31)))
          AS r(store_id, seq, client_id, mutation_id, kind, entity_kind, entity_id,
               customer_id, body)
     JOIN cursors ON cursors.store_id = r.store_id
     JOIN counts ON counts.store_id = r.store_id";

/// What [`PG_CLAIM_SQL`] answers.
struct PgKnown {
    owners: std::collections::HashMap<(String, String), String>,
    erased: BTreeSet<String>,
    erased_entities: BTreeSet<String>,
    device: device_binding::OwnedFacts,
}

/// A row of [`PG_CLAIM_SQL`]: what it tells, an id, a record's kind and store.
type PgClaimRow = (String, Option<String>, Option<String>, Option<String>);

/// Runs [`PG_CLAIM_SQL`] for the mutations that passed the id checks.
async fn pg_claim(
    tx: &mut AnyConnection,
    prepared: &Prepared,
    prechecked: &[Result<(), PushOutcome>],
) -> Result<PgKnown, AppError> {
    let wanted = claim_rows(prepared.claimable(prechecked));
    let rows: Vec<PgClaimRow> = sqlx::query_as(PG_CLAIM_SQL)
        .bind(pg_list(wanted.iter().map(|(kind, _, _)| *kind))?)
        .bind(pg_list(wanted.iter().map(|(_, id, _)| *id))?)
        .bind(pg_list(wanted.iter().map(|(_, _, store)| store.as_str()))?)
        .bind(pg_list(prepared.customers.iter().map(String::as_str))?)
        .bind(pg_list(prepared.unnamed.iter().map(String::as_str))?)
        .bind(&prepared.client)
        .bind(&prepared.session.id)
        .bind(prepared.now.to_rfc3339())
        .fetch_all(&mut *tx)
        .await?;
    let mut known = PgKnown {
        owners: std::collections::HashMap::with_capacity(wanted.len()),
        erased: BTreeSet::new(),
        erased_entities: BTreeSet::new(),
        device: device_binding::OwnedFacts::default(),
    };
    for (what, id, kind, store) in rows {
        match (what.as_str(), id, kind, store) {
            ("owner", Some(id), Some(kind), Some(store)) => {
                known.owners.insert((kind, id), store);
            }
            ("erased", Some(id), _, _) => {
                known.erased.insert(id);
            }
            ("erased_entity", Some(id), _, _) => {
                known.erased_entities.insert(id);
            }
            ("key", key, _, _) => known.device.stored_key = Some(key),
            ("joined", ..) => known.device.joined = true,
            ("live", ..) => known.device.any_live = true,
            _ => {
                return Err(AppError::internal(std::io::Error::other(
                    "an unexpected row from the push's claim",
                )));
            }
        }
    }
    Ok(known)
}

/// Which of `n` customers are erased.
fn erased_sql(backend: Backend, n: usize) -> String {
    format!(
        "SELECT customer_id FROM erased_customers WHERE customer_id IN ({})",
        backend.list_placeholders(n)
    )
}

/// Which of `n` records belong to erased customers.
fn erased_entities_sql(backend: Backend, n: usize) -> String {
    format!(
        "SELECT entity_id FROM erased_entities WHERE entity_id IN ({})",
        backend.list_placeholders(n)
    )
}

/// Records of an erased customer, remembered (see [`erased_entities_sql`]).
const REMEMBER_ERASED_ENTITY_SQL: &str =
    "INSERT INTO erased_entities (entity_id, entity_kind, customer_id, store_id)
     VALUES ($1, $2, $3, $4) ON CONFLICT (entity_id) DO NOTHING";

/// `n` records claimed for a store unless another had them; answers every owner.
fn claim_sql(backend: Backend, n: usize) -> String {
    format!(
        "INSERT INTO entities (kind, id, store_id) VALUES {}
         ON CONFLICT (kind, id) DO UPDATE SET store_id = entities.store_id
         RETURNING kind, id, store_id",
        backend.row_placeholders(n, 3)
    )
}

/// `n` changes logged (the columns of [`ChangeRow`], in order).
fn insert_changes_sql(backend: Backend, n: usize) -> String {
    format!(
        "INSERT INTO changes (store_id, seq, client_id, mutation_id, staff_id, session_id,
                              kind, entity_kind, entity_id, customer_id, body, received_at)
         VALUES {}",
        backend.row_placeholders(n, 12)
    )
}

/// A push with the work that needs no database done: each mutation's checks that do not depend
/// on the device's last mutation id, its log body serialized, its record and customer named.
struct Prepared {
    session: Session,
    client: String,
    /// The SHA-256 of the device's key, when the push carries one (see [`device_binding`]).
    device_key: Option<String>,
    now: chrono::DateTime<Utc>,
    items: Vec<Item>,
    /// The customers the push is about (as text), each once.
    customers: BTreeSet<String>,
    /// The records this push changes without naming their customer (as text), each once: those
    /// of an erased customer are logged without personal data.
    unnamed: BTreeSet<String>,
    /// The store a device pushing for the first time belongs to: the store its changes are for
    /// when the session may act there (the owner's device working in another store of the chain
    /// is that store's device), else the session's own.
    device_store: StoreId,
    /// The stores of this push the session may act in (read before the write turn).
    may_act_in: BTreeSet<StoreId>,
}

struct Item {
    mutation: Mutation,
    /// Another device's mutation: rejected before its id is looked at.
    wrong_client: bool,
    /// The checks after the id is consumed (actor, store, clock, the core's rules).
    checked: Result<(), ValidationError>,
    entity_kind: String,
    entity_id: String,
    customer: Option<String>,
    /// The change's kind and the mutation as logged, when the checks passed.
    kind: String,
    body: Option<String>,
}

impl Prepared {
    fn new(
        session: Session,
        request: PushRequest,
        may_act_in: BTreeSet<StoreId>,
        carried: &Carried,
        device_key: Option<String>,
        now: chrono::DateTime<Utc>,
    ) -> Result<Self, AppError> {
        let client_id = request.client_id;
        let device_store = request
            .mutations
            .first()
            .map(|m| m.store_id)
            .filter(|store| may_act_in.contains(store))
            .unwrap_or(session.store_id);
        let mut customers = BTreeSet::new();
        let mut unnamed = BTreeSet::new();
        let mut items = Vec::with_capacity(request.mutations.len());
        for m in request.mutations {
            let wrong_client = m.client_id != client_id;
            let checked = check_after_id(&session, carried, client_id, &m, &may_act_in, now);
            let entity = m.change.entity();
            let customer = m.change.customer().map(|c| c.to_string());
            match &customer {
                Some(c) => {
                    customers.insert(c.clone());
                }
                None => {
                    unnamed.insert(entity.id.to_string());
                }
            }
            let (kind, body) = if !wrong_client && checked.is_ok() {
                let body = serde_json::to_string(&m).map_err(AppError::internal)?;
                (kind_of_body(&body)?, Some(body))
            } else {
                (String::new(), None)
            };
            items.push(Item {
                wrong_client,
                checked,
                entity_kind: entity_kind_code(&entity),
                entity_id: entity.id.to_string(),
                customer,
                kind,
                body,
                mutation: m,
            });
        }
        Ok(Self {
            client: client_id.to_string(),
            device_key,
            session,
            now,
            items,
            customers,
            unnamed,
            device_store,
            may_act_in,
        })
    }

    /// The push's database work, in one transaction (or one savepoint of a grouped one).
    async fn apply(
        self,
        tx: &mut AnyConnection,
        state: &AppState,
    ) -> Result<PushResponse, AppError> {
        if state.db.backend == Backend::Postgres {
            return self.apply_pg(tx, state).await;
        }
        let backend = state.db.backend;
        let now_ms = self.now.timestamp_millis();
        // The device's row, created or read in one statement and locked for the transaction
        // (PostgreSQL: the upsert's row lock; SQLite: one writer): two pushes from one device
        // never interleave.
        let (client_store, last): (String, i64) = sqlx::query_as(CLIENT_ROW_SQL)
            .bind(&self.client)
            .bind(self.device_store.to_string())
            .bind(now_ms)
            .fetch_one(&mut *tx)
            .await?;
        self.check_client_store(state, &client_store).await?;
        device_binding::check(
            &mut *tx,
            &self.client,
            &self.session.id,
            self.device_key.as_deref(),
            self.now,
        )
        .await?;
        let mut batch = Batch::default();
        // Which customers of this batch are already erased (one query, not one per mutation).
        for chunk in self.customers.iter().collect::<Vec<_>>().chunks(200) {
            let sql = erased_sql(backend, chunk.len());
            let mut query = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql));
            for c in chunk {
                query = query.bind(c.as_str());
            }
            batch.erased.extend(query.fetch_all(&mut *tx).await?);
        }
        for chunk in self.unnamed.iter().collect::<Vec<_>>().chunks(200) {
            let sql = erased_entities_sql(backend, chunk.len());
            let mut query = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql));
            for e in chunk {
                query = query.bind(e.as_str());
            }
            batch
                .erased_entities
                .extend(query.fetch_all(&mut *tx).await?);
        }

        // Three steps, so the records' owners are claimed in a few statements rather than one
        // per mutation: the id checks (the rest was checked before the write turn), one claim
        // of every surviving record's store, then acceptance in order.
        let (prechecked, last) = self.sequenced(last);
        let owners = claim_owners(&mut *tx, backend, self.claimable(&prechecked)).await?;
        let Prepared {
            session,
            client,
            now,
            items,
            ..
        } = self;
        let (results, mut batch) =
            accept_all(tx, &session, items, prechecked, &owners, now, batch).await?;
        batch.write(&mut *tx, backend, &session, now_ms).await?;
        let last_db = i64::try_from(last).unwrap_or(i64::MAX);
        sqlx::query(SET_LAST_SQL)
            .bind(last_db)
            .bind(now_ms)
            .bind(&client)
            .execute(&mut *tx)
            .await?;
        Ok(PushResponse {
            format_version: FORMAT_VERSION,
            results,
            last_mutation_id: last,
        })
    }

    /// [`Prepared::apply`] on PostgreSQL: the same decisions in three statements instead of a
    /// dozen, since every statement is a round trip to the database — and those round trips,
    /// not the rows written, were most of a push's time on both sides (network system calls,
    /// wake-ups): the device's row ([`PG_CLIENT_ROW_SQL`]); the records' claim with what the
    /// push must know before deciding ([`PG_CLAIM_SQL`]); the log's rows with the cursors and
    /// the device's last id ([`PG_WRITE_SQL`]). Changes whose cursor is part of their body
    /// (complaint numbers) are written by [`Batch::write`] as on SQLite.
    async fn apply_pg(
        self,
        tx: &mut AnyConnection,
        state: &AppState,
    ) -> Result<PushResponse, AppError> {
        let now_ms = self.now.timestamp_millis();
        // The device's row, created or read and locked for the transaction (the upsert's row
        // lock): two pushes from one device never interleave.
        let (client_store, last, reserved): (String, i64, bool) = sqlx::query_as(PG_CLIENT_ROW_SQL)
            .bind(&self.client)
            .bind(self.device_store.to_string())
            .bind(now_ms)
            .fetch_one(&mut *tx)
            .await?;
        if reserved {
            return Err(reserved_client());
        }
        self.check_client_store(state, &client_store).await?;
        let (prechecked, last) = self.sequenced(last);
        // Read after the device's row is locked (a statement of its own, so with a snapshot
        // taken after the lock): a push of the same device that committed meanwhile is seen.
        let known = pg_claim(&mut *tx, &self, &prechecked).await?;
        let (store_key, join) =
            match device_binding::decide(&known.device.facts(), self.device_key.as_deref()) {
                device_binding::Decision::Allowed => (false, false),
                device_binding::Decision::Join { store_key } => (store_key, true),
                device_binding::Decision::Taken => return Err(device_binding::taken()),
            };
        let batch = Batch {
            erased: known.erased,
            erased_entities: known.erased_entities,
            ..Batch::default()
        };
        let Prepared {
            session,
            client,
            device_key,
            now,
            items,
            ..
        } = self;
        let (results, mut batch) =
            accept_all(tx, &session, items, prechecked, &known.owners, now, batch).await?;
        let last_db = i64::try_from(last).unwrap_or(i64::MAX);
        if batch.accepted.iter().any(|a| a.numbered) {
            if join {
                device_binding::join(
                    &mut *tx,
                    &client,
                    &session.id,
                    device_key.as_deref(),
                    store_key,
                    now_ms,
                )
                .await?;
            }
            batch
                .write(&mut *tx, Backend::Postgres, &session, now_ms)
                .await?;
            sqlx::query(SET_LAST_SQL)
                .bind(last_db)
                .bind(now_ms)
                .bind(&client)
                .execute(&mut *tx)
                .await?;
        } else {
            batch.remember_erased(&mut *tx).await?;
            let mut query = sqlx::query(PG_WRITE_SQL)
                .bind(last_db)
                .bind(now_ms)
                .bind(&client)
                .bind(device_key.as_deref())
                .bind(store_key)
                .bind(&session.id)
                .bind(join);
            let [stores, counts, rows @ ..] = batch.pg_lists(&session, now_ms)?;
            query = query
                .bind(stores)
                .bind(counts)
                .bind(session.staff_id.to_string());
            for list in rows {
                query = query.bind(list);
            }
            // Every accepted change must be logged: a row the statement's joins lost would be
            // answered as accepted yet never reach a device. Refused as a whole instead (the
            // transaction rolls back; the device's retry is applied once).
            let logged = query.execute(&mut *tx).await?.rows_affected();
            if usize::try_from(logged).ok() != Some(batch.accepted.len()) {
                return Err(AppError::internal(std::io::Error::other(format!(
                    "{logged} of {} accepted changes logged",
                    batch.accepted.len()
                ))));
            }
        }
        Ok(PushResponse {
            format_version: FORMAT_VERSION,
            results,
            last_mutation_id: last,
        })
    }

    /// A device belongs to the store it first pushed for: another store's staff must not use
    /// up (or learn) its mutation ids. Stores are never removed, so one this push was found to
    /// act in needs no second look.
    async fn check_client_store(
        &self,
        state: &AppState,
        client_store: &str,
    ) -> Result<(), AppError> {
        let client_store = parse_store(client_store)?;
        if self.may_act_in.contains(&client_store)
            || self.session.may_act_in(state, client_store).await?
        {
            return Ok(());
        }
        Err(AppError::Forbidden(
            "this device is registered to another store; sign it in to that store".into(),
        ))
    }
}

/// Every mutation's outcome, in push order: those that passed the id checks (`prechecked`) are
/// decided by [`accept`] against their records' `owners`.
async fn accept_all(
    tx: &mut AnyConnection,
    session: &Session,
    items: Vec<Item>,
    prechecked: Vec<Result<(), PushOutcome>>,
    owners: &std::collections::HashMap<(String, String), String>,
    now: chrono::DateTime<Utc>,
    mut batch: Batch,
) -> Result<(Vec<PushResult>, Batch), AppError> {
    let mut results = Vec::with_capacity(items.len());
    for (item, pre) in items.into_iter().zip(prechecked) {
        let mutation_id = item.mutation.mutation_id;
        let outcome = match pre {
            Err(outcome) => outcome,
            Ok(()) => accept(&mut *tx, session, item, owners, now, &mut batch).await?,
        };
        results.push(PushResult {
            mutation_id,
            outcome,
        });
    }
    Ok((results, batch))
}

impl Prepared {
    /// The id checks of every mutation, in push order, from the device's `last` mutation id
    /// (see [`sequence`]); and the device's last mutation id after them.
    fn sequenced(&self, last: i64) -> (Vec<Result<(), PushOutcome>>, u64) {
        let mut last = u64::try_from(last).unwrap_or(0);
        let checked = self
            .items
            .iter()
            .map(|item| sequence(item, &mut last))
            .collect();
        (checked, last)
    }

    /// The mutations that passed the id checks: their records are claimed.
    fn claimable<'a>(
        &'a self,
        prechecked: &'a [Result<(), PushOutcome>],
    ) -> impl Iterator<Item = &'a Item> {
        self.items
            .iter()
            .zip(prechecked)
            .filter(|(_, p)| p.is_ok())
            .map(|(item, _)| item)
    }

    /// True when the push needs nothing beyond the log: no erasure, audit entry or complaint
    /// number, and every mutation in the session's own store (whose records the device's store
    /// check and the ownership claim compare with). [`Prepared::apply_plain`] writes those.
    fn plain(&self) -> bool {
        self.items.iter().all(|item| {
            let m = &item.mutation;
            !matches!(
                m.change,
                Change::CustomerErase { .. } | Change::AuditAppend(_)
            ) && complaint_numbers::intake_of(m).is_none()
                && !m.change.requires().is_ok_and(|(action, sensitivity)| {
                    permission::requires_audit(action, sensitivity)
                })
                && m.store_id == self.session.store_id
                && !touches_account(&m.change)
                && !meets_the_stop(&m.change)
                && !is_check_in(&m.change)
                && !is_task_work(&m.change)
                && !names_products(&m.change)
        })
    }

    /// [`Prepared::apply`] for a [plain](Prepared::plain) push, on the synchronous writer's
    /// connection (SQLite): the same statements and the same decisions.
    fn apply_plain(self, conn: &rusqlite::Connection) -> Result<PushResponse, AppError> {
        let session = &self.session;
        let now_ms = self.now.timestamp_millis();
        let store = session.store_id.to_string();
        // On the writer's connection: one statement fewer for the push's task to wait for.
        let reserved = conn
            .prepare_cached(RESERVED_CLIENT_SQL)
            .and_then(|mut st| st.exists([&self.client]))
            .map_err(AppError::internal)?;
        if reserved {
            return Err(reserved_client());
        }
        let (client_store, last): (String, i64) = conn
            .prepare_cached(CLIENT_ROW_SQL)
            .and_then(|mut st| {
                st.query_row((&self.client, &store, now_ms), |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
            })
            .map_err(AppError::internal)?;
        // The session's own store is the only one a plain push acts in.
        if parse_store(&client_store)? != session.store_id {
            return Err(AppError::Forbidden(
                "this device is registered to another store; sign it in to that store".into(),
            ));
        }
        device_binding::check_sync(
            conn,
            &self.client,
            &session.id,
            self.device_key.as_deref(),
            self.now,
        )?;
        let mut batch = Batch::default();
        let customers: Vec<&String> = self.customers.iter().collect();
        for chunk in customers.chunks(200) {
            let mut st = conn
                .prepare_cached(&erased_sql(Backend::Sqlite, chunk.len()))
                .map_err(AppError::internal)?;
            let erased = st
                .query_map(rusqlite::params_from_iter(chunk), |r| r.get::<_, String>(0))
                .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
                .map_err(AppError::internal)?;
            batch.erased.extend(erased);
        }
        let unnamed: Vec<&String> = self.unnamed.iter().collect();
        for chunk in unnamed.chunks(200) {
            let mut st = conn
                .prepare_cached(&erased_entities_sql(Backend::Sqlite, chunk.len()))
                .map_err(AppError::internal)?;
            let erased = st
                .query_map(rusqlite::params_from_iter(chunk), |r| r.get::<_, String>(0))
                .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
                .map_err(AppError::internal)?;
            batch.erased_entities.extend(erased);
        }
        let (prechecked, last) = self.sequenced(last);
        // Records this push writes that another store had: refused.
        let mut foreign = std::collections::HashSet::new();
        let wanted = claim_rows(self.claimable(&prechecked));
        for chunk in wanted.chunks(CLAIM_CHUNK) {
            let mut st = conn
                .prepare_cached(&claim_sql(Backend::Sqlite, chunk.len()))
                .map_err(AppError::internal)?;
            let params = chunk
                .iter()
                .flat_map(|(kind, id, store)| [*kind, *id, store.as_str()]);
            let owners = st
                .query_map(rusqlite::params_from_iter(params), |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                })
                .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
                .map_err(AppError::internal)?;
            foreign.extend(
                owners
                    .into_iter()
                    .filter(|(_, _, owner)| *owner != store)
                    .map(|(kind, id, _)| (kind, id)),
            );
        }
        let mut results = Vec::with_capacity(self.items.len());
        for (item, pre) in self.items.into_iter().zip(prechecked) {
            let mutation_id = item.mutation.mutation_id;
            let outcome = match pre {
                Err(outcome) => outcome,
                Ok(()) if foreign.contains(&(item.entity_kind.clone(), item.entity_id.clone())) => {
                    PushOutcome::Rejected {
                        error: SyncError::EntityInOtherStore.into(),
                    }
                }
                Ok(()) => {
                    batch.log(item);
                    PushOutcome::Accepted
                }
            };
            results.push(PushResult {
                mutation_id,
                outcome,
            });
        }
        batch.write_sync(conn, session, now_ms)?;
        conn.prepare_cached(SET_LAST_SQL)
            .and_then(|mut st| {
                st.execute((
                    i64::try_from(last).unwrap_or(i64::MAX),
                    now_ms,
                    &self.client,
                ))
            })
            .map_err(AppError::internal)?;
        Ok(PushResponse {
            format_version: FORMAT_VERSION,
            results,
            last_mutation_id: last,
        })
    }
}

/// A logged mutation's `kind`, read back from its JSON (cheaper than [`kind_code`]'s detour
/// through a `Value` of the whole change).
fn kind_of_body(body: &str) -> Result<String, AppError> {
    #[derive(serde::Deserialize)]
    struct KindOnly {
        kind: String,
    }
    serde_json::from_str::<KindOnly>(body)
        .map(|k| k.kind)
        .map_err(AppError::internal)
}

/// What a push accepted, written at the end in few statements.
#[derive(Default)]
struct Batch {
    /// Per store: how many changes this push logs there. Their cursors are numbered from 1 here
    /// and moved after the store's last cursor when written, so the store's cursor row (which
    /// serializes the store's pushes on PostgreSQL) is locked only at the very end.
    counts: std::collections::BTreeMap<StoreId, i64>,
    /// Erased customers (as text), including erasures earlier in this batch.
    erased: BTreeSet<String>,
    /// Records of erased customers (ids as text) among this push's.
    erased_entities: BTreeSet<String>,
    /// Records of erased customers first seen in this push (id, kind, customer, store), to
    /// remember with the log.
    newly_erased: Vec<[String; 4]>,
    accepted: Vec<Accepted>,
}

struct Accepted {
    store: StoreId,
    /// The cursor among this push's changes of `store` (1, 2, …).
    seq: i64,
    mutation: Mutation,
    /// The server's own change (complaint number), whose mutation id is its cursor.
    numbered: bool,
    kind: String,
    /// The mutation as JSON; `None` when it was changed since (redacted, numbered).
    body: Option<String>,
    entity_kind: String,
    entity_id: String,
    customer: Option<String>,
}

/// Rows per multi-row insert (× 12 columns stays far below both back ends' parameter limits).
const INSERT_CHUNK: usize = 50;

impl Batch {
    /// The mutation as it is logged: redacted when its customer is erased (and then without its
    /// JSON, which is made again from the redacted mutation).
    fn logged_form(&mut self, mut m: Mutation, body: Option<String>) -> (Mutation, Option<String>) {
        let entity = m.change.entity();
        let entity_id = entity.id.to_string();
        let erased_customer = m
            .change
            .customer()
            .map(|c| c.to_string())
            .filter(|c| self.erased.contains(c));
        if let Some(customer) = erased_customer {
            // Her record, maybe new (made offline before the device heard of the erasure): later
            // changes to it that do not name her are redacted too.
            if entity.kind != EntityKind::Customer && self.erased_entities.insert(entity_id.clone())
            {
                self.newly_erased.push([
                    entity_id,
                    entity_kind_code(&entity),
                    customer,
                    m.store_id.to_string(),
                ]);
            }
        } else if !self.erased_entities.contains(&entity_id) {
            return (m, body);
        }
        if m.change.erase_personal() {
            (m, None)
        } else {
            (m, body)
        }
    }

    /// Logs an accepted [plain](Prepared::plain) mutation: its next cursor and its entry.
    fn log(&mut self, item: Item) {
        let store = item.mutation.store_id;
        let (mutation, body) = self.logged_form(item.mutation, item.body);
        let seq = self.next_seq(store);
        self.accepted.push(Accepted {
            store,
            seq,
            mutation,
            numbered: false,
            kind: item.kind,
            body,
            entity_kind: item.entity_kind,
            entity_id: item.entity_id,
            customer: item.customer,
        });
    }

    /// The next cursor (relative, see `counts`) in `store`.
    fn next_seq(&mut self, store: StoreId) -> i64 {
        let n = self.counts.entry(store).or_insert(0);
        *n += 1;
        *n
    }

    /// Records of erased customers first seen in this push, remembered.
    async fn remember_erased(&self, tx: &mut AnyConnection) -> Result<(), AppError> {
        for [entity_id, kind, customer, store] in &self.newly_erased {
            sqlx::query(REMEMBER_ERASED_ENTITY_SQL)
                .bind(entity_id)
                .bind(kind)
                .bind(customer)
                .bind(store)
                .execute(&mut *tx)
                .await?;
        }
        Ok(())
    }

    /// [`PG_WRITE_SQL`]'s lists (see [`PG_LIST_SEPARATOR`]): the stores and their counts, then
    /// the rows' columns, their cursors counting from 1 in their store (none may be a numbered
    /// change: its body holds its cursor).
    fn pg_lists(&mut self, session: &Session, now_ms: i64) -> Result<[String; 11], AppError> {
        let stores: Vec<String> = self.counts.keys().map(StoreId::to_string).collect();
        let counts: Vec<String> = self.counts.values().map(i64::to_string).collect();
        let rows = self.placed(&BTreeMap::new(), session, now_ms)?;
        let seqs: Vec<String> = rows.iter().map(|r| r.seq.to_string()).collect();
        let mutation_ids: Vec<String> = rows.iter().map(|r| r.mutation_id.to_string()).collect();
        let column = |f: fn(&ChangeRow) -> &str| pg_list(rows.iter().map(f));
        Ok([
            pg_list(stores.iter().map(String::as_str))?,
            pg_list(counts.iter().map(String::as_str))?,
            column(|r| &r.store_id)?,
            pg_list(seqs.iter().map(String::as_str))?,
            column(|r| &r.client_id)?,
            pg_list(mutation_ids.iter().map(String::as_str))?,
            column(|r| &r.kind)?,
            column(|r| &r.entity_kind)?,
            column(|r| &r.entity_id)?,
            column(|r| r.customer_id.as_deref().unwrap_or_default())?,
            column(|r| &r.body)?,
        ])
    }

    async fn write(
        &mut self,
        tx: &mut AnyConnection,
        backend: Backend,
        session: &Session,
        now_ms: i64,
    ) -> Result<(), AppError> {
        self.remember_erased(&mut *tx).await?;
        // Each store's cursor row, locked in one order (no deadlock between two pushes) until
        // commit, which keeps commits in cursor order: a pull never sees cursor n+1 before n.
        let mut bases = std::collections::BTreeMap::new();
        for (store, count) in &self.counts {
            let last_seq: i64 = sqlx::query_scalar(BUMP_CURSOR_SQL)
                .bind(store.to_string())
                .bind(*count)
                .fetch_one(&mut *tx)
                .await?;
            bases.insert(*store, last_seq - count);
        }
        for chunk in self.placed(&bases, session, now_ms)?.chunks(INSERT_CHUNK) {
            let sql = insert_changes_sql(backend, chunk.len());
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for row in chunk {
                query = query
                    .bind(&row.store_id)
                    .bind(row.seq)
                    .bind(&row.client_id)
                    .bind(row.mutation_id)
                    .bind(&row.staff_id)
                    .bind(&row.session_id)
                    .bind(&row.kind)
                    .bind(&row.entity_kind)
                    .bind(&row.entity_id)
                    .bind(&row.customer_id)
                    .bind(&row.body)
                    .bind(row.received_at);
            }
            query.execute(&mut *tx).await?;
        }
        Ok(())
    }

    /// [`Batch::write`] on the synchronous writer's connection.
    fn write_sync(
        &mut self,
        conn: &rusqlite::Connection,
        session: &Session,
        now_ms: i64,
    ) -> Result<(), AppError> {
        for [entity_id, kind, customer, store] in &self.newly_erased {
            conn.prepare_cached(REMEMBER_ERASED_ENTITY_SQL)
                .and_then(|mut st| st.execute([entity_id, kind, customer, store]))
                .map_err(AppError::internal)?;
        }
        let mut bases = std::collections::BTreeMap::new();
        for (store, count) in &self.counts {
            let last_seq: i64 = conn
                .prepare_cached(BUMP_CURSOR_SQL)
                .and_then(|mut st| st.query_row((store.to_string(), *count), |r| r.get(0)))
                .map_err(AppError::internal)?;
            bases.insert(*store, last_seq - count);
        }
        for chunk in self.placed(&bases, session, now_ms)?.chunks(INSERT_CHUNK) {
            use rusqlite::types::Value;
            let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 12);
            for row in chunk {
                values.extend([
                    Value::Text(row.store_id.clone()),
                    Value::Integer(row.seq),
                    Value::Text(row.client_id.clone()),
                    Value::Integer(row.mutation_id),
                    Value::Text(row.staff_id.clone()),
                    Value::Text(row.session_id.clone()),
                    Value::Text(row.kind.clone()),
                    Value::Text(row.entity_kind.clone()),
                    Value::Text(row.entity_id.clone()),
                    row.customer_id.clone().map_or(Value::Null, Value::Text),
                    Value::Text(row.body.clone()),
                    Value::Integer(row.received_at),
                ]);
            }
            conn.prepare_cached(&insert_changes_sql(Backend::Sqlite, chunk.len()))
                .and_then(|mut st| st.execute(rusqlite::params_from_iter(values)))
                .map_err(AppError::internal)?;
        }
        Ok(())
    }

    /// The accepted changes as rows of the log, once each store's cursor before this push is
    /// known (`bases`): their cursors, and the server's numbered changes' mutation ids.
    fn placed(
        &mut self,
        bases: &std::collections::BTreeMap<StoreId, i64>,
        session: &Session,
        now_ms: i64,
    ) -> Result<Vec<ChangeRow>, AppError> {
        let staff_id = session.staff_id.to_string();
        let mut rows = Vec::with_capacity(self.accepted.len());
        for a in &mut self.accepted {
            a.seq += bases.get(&a.store).copied().unwrap_or_default();
            if a.numbered {
                a.mutation.mutation_id = u64::try_from(a.seq).unwrap_or(0);
            }
            let body = match a.body.take() {
                Some(body) => body,
                None => serde_json::to_string(&a.mutation).map_err(AppError::internal)?,
            };
            rows.push(ChangeRow {
                store_id: a.store.to_string(),
                seq: a.seq,
                client_id: a.mutation.client_id.to_string(),
                mutation_id: i64::try_from(a.mutation.mutation_id).unwrap_or(i64::MAX),
                staff_id: staff_id.clone(),
                session_id: session.id.clone(),
                kind: std::mem::take(&mut a.kind),
                entity_kind: std::mem::take(&mut a.entity_kind),
                entity_id: std::mem::take(&mut a.entity_id),
                customer_id: a.customer.take(),
                body,
                received_at: now_ms,
            });
        }
        Ok(rows)
    }
}

/// One row of `changes`, in its columns' order.
struct ChangeRow {
    store_id: String,
    seq: i64,
    client_id: String,
    mutation_id: i64,
    staff_id: String,
    session_id: String,
    kind: String,
    entity_kind: String,
    entity_id: String,
    customer_id: Option<String>,
    body: String,
    received_at: i64,
}

fn parse_store(text: &str) -> Result<StoreId, AppError> {
    uuid::Uuid::parse_str(text)
        .map(StoreId)
        .map_err(AppError::internal)
}

/// The id checks of the core's `ServerState::decide`, in push order, with the device's last
/// mutation id: `Err` is the mutation's outcome, `Ok` lets it on to the ownership check.
fn sequence(item: &Item, last: &mut u64) -> Result<(), PushOutcome> {
    let m = &item.mutation;
    if item.wrong_client {
        return Err(PushOutcome::Rejected {
            error: SyncError::WrongClient.into(),
        });
    }
    if m.mutation_id <= *last {
        return Err(PushOutcome::Duplicate);
    }
    if m.mutation_id != *last + 1 {
        return Err(PushOutcome::Retry {
            error: SyncError::MutationIdGap {
                expected: *last + 1,
                got: m.mutation_id,
            }
            .into(),
        });
    }
    // A clock too far ahead: kept by the device and sent again later, as the core decides; the
    // id is not consumed.
    if let Err(error @ ValidationError::Hlc(HlcError::TooFarAhead { .. })) = &item.checked {
        return Err(PushOutcome::Retry {
            error: error.clone(),
        });
    }
    // From here on the id is consumed, whatever the outcome.
    *last = m.mutation_id;
    item.checked
        .clone()
        .map_err(|error| PushOutcome::Rejected { error })
}

/// People whose queued changes a push may carry although she is not the session's person: for
/// each, her role and the moment (ms) her account was deactivated.
type Carried = BTreeMap<StaffId, (Role, i64)>;

/// A person deactivated while her device was offline leaves changes in its outbox that were
/// hers to make, and every later change of the device waits behind them. A manager (for her
/// own store's people, in roles she may grant) or the owner signed in on that device carries
/// them: accepted as the
/// deactivated person's, and only those made before the deactivation, only from a device that
/// person used (one of her sessions joined its id). The log keeps the carrier's session beside
/// each change. Everyone else's push names only its own person, as before.
async fn carried_people(
    state: &AppState,
    session: &Session,
    client: ClientId,
    mutations: &[Mutation],
) -> Result<Carried, AppError> {
    let mut carried = Carried::new();
    if !session.role.is_management() {
        return Ok(carried);
    }
    let others: BTreeSet<StaffId> = mutations
        .iter()
        .map(|m| m.actor.staff_id)
        .filter(|staff| *staff != session.staff_id)
        .collect();
    for staff in others {
        let row: Option<(String, String, i64)> = sqlx::query_as(
            "SELECT st.role, st.store_id, st.deactivated_at FROM staff st
             WHERE st.id = $1 AND st.deactivated_at IS NOT NULL
               AND EXISTS (SELECT 1 FROM device_sessions d JOIN sessions s ON s.id = d.session_id
                           WHERE d.client_id = $2 AND s.staff_id = st.id)",
        )
        .bind(staff.to_string())
        .bind(client.to_string())
        .fetch_optional(&state.db.pool)
        .await?;
        let Some((role, store, deactivated_ms)) = row else {
            continue;
        };
        let Some(role) = Role::from_code(&role) else {
            continue;
        };
        if session.role != Role::Owner && store != session.store_id.to_string() {
            continue;
        }
        // Nobody speaks with more authority than her own: a manager does not carry an owner's
        // changes (they could grant what she may not).
        if !session.role.may_grant(role) {
            continue;
        }
        carried.insert(staff, (role, deactivated_ms));
    }
    Ok(carried)
}

/// The checks of `ServerState::decide` after the id (which need no database, so they run
/// before the write turn): actor, store, the payload's own store and device, clock, rules.
fn check_after_id(
    session: &Session,
    carried: &Carried,
    client_id: ClientId,
    m: &Mutation,
    may_act_in: &BTreeSet<StoreId>,
    now: chrono::DateTime<Utc>,
) -> Result<(), ValidationError> {
    // The clock first, as the core checks it before the rest: a clock too far ahead makes the
    // mutation wait (see `sequence`) whatever else is wrong with it. Only the drift matters
    // here: the server issues no timestamps of its own.
    HlcClock::new(client_id).observe(m.hlc, now)?;
    let carried_for = |actor: orchid_core::sync::Actor| {
        carried
            .get(&actor.staff_id)
            .is_some_and(|(role, until_ms)| {
                // At or before the deactivation's millisecond: made while she still worked here.
                *role == actor.role && i64::try_from(m.hlc.wall_ms).is_ok_and(|at| at <= *until_ms)
            })
    };
    if m.actor != session.actor() && !carried_for(m.actor) {
        return Err(SyncError::ActorMismatch.into());
    }
    if !may_act_in.contains(&m.store_id) {
        return Err(SyncError::WrongStore {
            store_id: m.store_id,
        }
        .into());
    }
    // The core checks the rest, including that a record carrying its store or device inside
    // the payload agrees with the mutation.
    m.validate()
}

/// Each record's store, claimed for the first mutation (in push order) that writes it if nobody
/// had it: one multi-row statement per chunk that answers every owner, old or new.
async fn claim_owners<'a>(
    tx: &mut AnyConnection,
    backend: Backend,
    items: impl Iterator<Item = &'a Item>,
) -> Result<std::collections::HashMap<(String, String), String>, AppError> {
    let wanted = claim_rows(items);
    let mut owners = std::collections::HashMap::with_capacity(wanted.len());
    for chunk in wanted.chunks(CLAIM_CHUNK) {
        let sql = claim_sql(backend, chunk.len());
        let mut query = sqlx::query_as::<_, (String, String, String)>(sqlx::AssertSqlSafe(sql));
        for (kind, id, store) in chunk {
            query = query.bind(*kind).bind(*id).bind(store.as_str());
        }
        for (kind, id, store) in query.fetch_all(&mut *tx).await? {
            owners.insert((kind, id), store);
        }
    }
    Ok(owners)
}

/// The records `items` write, each once (PostgreSQL refuses to touch a row twice in one
/// statement), with their mutation's store, in key order: two pushes that claim the same
/// records lock them in the same order, so they wait for each other rather than deadlock
/// (PostgreSQL; the store's cursor row, which used to serialize them, is locked only at the end).
fn claim_rows<'a>(items: impl Iterator<Item = &'a Item>) -> Vec<(&'a str, &'a str, String)> {
    let mut wanted: Vec<(&str, &str, String)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for item in items {
        if seen.insert((item.entity_kind.as_str(), item.entity_id.as_str())) {
            wanted.push((
                &item.entity_kind,
                &item.entity_id,
                item.mutation.store_id.to_string(),
            ));
        }
    }
    wanted.sort_unstable();
    wanted
}

/// Rows per ownership claim (× 3 parameters, far below both back ends' limits).
const CLAIM_CHUNK: usize = 200;

/// The rest of `ServerState::decide` for a mutation that passed [`sequence`]: the record must
/// belong to the mutation's store; then it is accepted into the batch.
async fn accept(
    tx: &mut AnyConnection,
    session: &Session,
    item: Item,
    owners: &std::collections::HashMap<(String, String), String>,
    now: chrono::DateTime<Utc>,
    batch: &mut Batch,
) -> Result<PushOutcome, AppError> {
    let m = &item.mutation;
    let store = m.store_id.to_string();
    match owners.get(&(item.entity_kind.clone(), item.entity_id.clone())) {
        Some(owner) if *owner == store => {}
        Some(_) => {
            return Ok(PushOutcome::Rejected {
                error: SyncError::EntityInOtherStore.into(),
            });
        }
        None => {
            return Err(AppError::internal(std::io::Error::other(
                "a record without its claimed store",
            )));
        }
    }
    if let Some(error) = check_account(tx, session, m).await? {
        return Ok(PushOutcome::Rejected { error });
    }
    if let Some(error) = check_stop(tx, m, batch).await? {
        return Ok(PushOutcome::Rejected { error });
    }
    if let Some(error) = check_consent(tx, m, batch).await? {
        return Ok(PushOutcome::Rejected { error });
    }
    if let Some(error) = check_arrival_day(tx, m, batch).await? {
        return Ok(PushOutcome::Rejected { error });
    }
    if let Some(error) = check_task_work(tx, m, batch).await? {
        return Ok(PushOutcome::Rejected { error });
    }
    if let Some(error) = check_standard_products(tx, m).await? {
        return Ok(PushOutcome::Rejected { error });
    }
    // Accepted.
    apply_to_account(tx, m, now).await?;
    let (logged, body) = batch.logged_form(m.clone(), item.body);
    let seq = batch.next_seq(m.store_id);
    let now_ms = now.timestamp_millis();
    if let Change::CustomerErase { id } = &m.change {
        erase_history(tx, *id, m.store_id, now_ms, batch).await?;
    }
    if let Change::AuditAppend(a) = &m.change {
        audit::device_entry(&mut *tx, a, m.store_id, &session.id).await?;
    }
    // The core says which changes must be audited (sensitive data, erasure, staff changes…);
    // the server, which saw who pushed them, writes that entry itself.
    if let Ok((action, sensitivity)) = m.change.requires()
        && !matches!(m.change, Change::AuditAppend(_))
        && permission::requires_audit(action, sensitivity)
    {
        let mut entry = ServerEntry::by(session, "mutation_accepted", Some(m.change.entity()));
        entry.store_id = Some(m.store_id);
        entry.note = format!("{} ({})", item.kind, action.code());
        audit::server_entry(&mut *tx, entry, now_ms).await?;
    }
    let intake = complaint_numbers::intake_of(m);
    batch.accepted.push(Accepted {
        store: m.store_id,
        seq,
        mutation: logged,
        numbered: false,
        kind: item.kind,
        body,
        entity_kind: item.entity_kind.clone(),
        entity_id: item.entity_id.clone(),
        customer: item.customer,
    });
    // A complaint's intake: the server numbers it, as the next change of the store's log (its
    // mutation id, the cursor, is set when the cursors are known).
    if let Some(complaint) = intake
        && let Some(numbered) = complaint_numbers::assign(tx, m.store_id, complaint, 0, now).await?
    {
        let seq = batch.next_seq(m.store_id);
        let kind = kind_code(&numbered.change);
        batch.accepted.push(Accepted {
            store: m.store_id,
            seq,
            mutation: numbered,
            numbered: true,
            kind,
            body: None,
            entity_kind: item.entity_kind,
            entity_id: item.entity_id,
            customer: None,
        });
    }
    Ok(PushOutcome::Accepted)
}

/// The member of staff whose login a change may touch: a staff record's upsert or deletion.
fn account_of(change: &Change) -> Option<StaffId> {
    match change {
        Change::StaffUpsert { id, .. } => Some(*id),
        Change::Delete { entity } if entity.kind == EntityKind::Staff => Some(StaffId(entity.id)),
        _ => None,
    }
}

fn touches_account(change: &Change) -> bool {
    account_of(change).is_some()
}

/// A service step or an override: checked against the record's earlier entries.
fn meets_the_stop(change: &Change) -> bool {
    matches!(change, Change::ServiceRecordEntry(e)
        if e.kind.delivers_service() || matches!(e.kind, RecordEntryKind::Override { .. }))
}

/// A check-in, which [`check_arrival_day`] reads the booking for.
fn is_check_in(change: &Change) -> bool {
    matches!(change, Change::AppointmentStatus { change, .. }
        if change.to == orchid_core::appointment::AppointmentStatus::Arrived)
}

/// A staff record that has a login is that person's account: it changes only under the store
/// the account belongs to (the owner's, in any store of the chain), and an owner's only by an
/// owner. The core has already checked the roles named (`Role::may_grant`) and that nobody
/// changes their own role or deactivates themselves.
async fn check_account(
    tx: &mut AnyConnection,
    session: &Session,
    m: &Mutation,
) -> Result<Option<ValidationError>, AppError> {
    let Some(staff) = account_of(&m.change) else {
        return Ok(None);
    };
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT store_id, role FROM staff WHERE id = $1")
            .bind(staff.to_string())
            .fetch_optional(&mut *tx)
            .await?;
    let Some((store, role)) = row else {
        return Ok(None);
    };
    if session.role != Role::Owner && store != m.store_id.to_string() {
        return Ok(Some(SyncError::EntityInOtherStore.into()));
    }
    if Role::from_code(&role) == Some(Role::Owner) && session.role != Role::Owner {
        return Ok(Some(SyncError::OwnerOnly.into()));
    }
    Ok(None)
}

/// An accepted change to an account's staff record takes effect on the account: its role is
/// the role of its sessions from the next request on, and a deactivated or removed person's
/// sessions end at once.
async fn apply_to_account(
    tx: &mut AnyConnection,
    m: &Mutation,
    now: chrono::DateTime<Utc>,
) -> Result<(), AppError> {
    let Some(account) = account_of(&m.change) else {
        return Ok(());
    };
    let staff = account.to_string();
    let ends = match &m.change {
        Change::StaffUpsert { fields, .. } => {
            for field in fields {
                match field {
                    StaffField::Role(role) => {
                        sqlx::query("UPDATE staff SET role = $1 WHERE id = $2")
                            .bind(role.code())
                            .bind(&staff)
                            .execute(&mut *tx)
                            .await?;
                    }
                    StaffField::Active(true) => {
                        sqlx::query("UPDATE staff SET deactivated_at = NULL WHERE id = $1")
                            .bind(&staff)
                            .execute(&mut *tx)
                            .await?;
                    }
                    _ => {}
                }
            }
            fields
                .iter()
                .any(|f| matches!(f, StaffField::Active(false)))
        }
        _ => true,
    };
    if ends {
        // As `POST /staff/{id}/deactivate` does: she cannot sign in again, and every session of
        // hers ends now.
        sqlx::query(
            "UPDATE staff SET deactivated_at = $1 WHERE id = $2 AND deactivated_at IS NULL",
        )
        .bind(now.timestamp_millis())
        .bind(&staff)
        .execute(&mut *tx)
        .await?;
        crate::admin::end_sessions(&mut *tx, account, None, now).await?;
    }
    Ok(())
}

/// The contraindication stop, on the server: a service step (or an override) is refused when
/// the record's entries before it, as logged and earlier in this push, do not admit it — the
/// same rule (`service_record::admits`) every device applies.
async fn check_stop(
    tx: &mut AnyConnection,
    m: &Mutation,
    batch: &Batch,
) -> Result<Option<ValidationError>, AppError> {
    let Change::ServiceRecordEntry(entry) = &m.change else {
        return Ok(None);
    };
    if !meets_the_stop(&m.change) {
        return Ok(None);
    }
    let entity = m.change.entity();
    let bodies: Vec<String> =
        sqlx::query_scalar("SELECT body FROM changes WHERE entity_kind = $1 AND entity_id = $2")
            .bind(entity_kind_code(&entity))
            .bind(entity.id.to_string())
            .fetch_all(&mut *tx)
            .await?;
    let mut earlier: Vec<RecordEntry> = Vec::with_capacity(bodies.len());
    for body in bodies {
        let logged: Mutation = serde_json::from_str(&body).map_err(AppError::internal)?;
        if let Change::ServiceRecordEntry(e) = logged.change {
            earlier.push(e);
        }
    }
    earlier.extend(
        batch
            .accepted
            .iter()
            .filter_map(|a| match &a.mutation.change {
                Change::ServiceRecordEntry(e) if e.record_id == entry.record_id => Some(e.clone()),
                _ => None,
            }),
    );
    // The entries before this one in the record's order (time, then id), as a device that
    // replays the record takes them.
    let before = earlier
        .iter()
        .filter(|e| (e.at, e.id) < (entry.at, entry.id));
    Ok(service_record::admits(before, entry)
        .err()
        .map(ValidationError::from))
}

/// The logged changes of a record (and those of this push), parsed.
async fn logged_changes(
    tx: &mut AnyConnection,
    entity: &EntityRef,
) -> Result<Vec<Mutation>, AppError> {
    let bodies: Vec<String> =
        sqlx::query_scalar("SELECT body FROM changes WHERE entity_kind = $1 AND entity_id = $2")
            .bind(entity_kind_code(entity))
            .bind(entity.id.to_string())
            .fetch_all(&mut *tx)
            .await?;
    bodies
        .iter()
        .map(|b| serde_json::from_str(b).map_err(AppError::internal))
        .collect()
}

/// The consent rule, on the server: a change that writes health data is refused when no
/// health-data consent of hers was given before it (as logged, or earlier in this push); one
/// made after a withdrawal its device had not seen is kept, and every replica flags it — the
/// core's `consent::health_write`, as every device applies it.
async fn check_consent(
    tx: &mut AnyConnection,
    m: &Mutation,
    batch: &Batch,
) -> Result<Option<ValidationError>, AppError> {
    let Some(subject) = m.change.health_subject() else {
        return Ok(None);
    };
    let customer = match subject {
        HealthSubject::Customer(c) => c,
        HealthSubject::Record(record) => {
            let entity = EntityRef::new(EntityKind::ServiceRecord, record);
            let mut entries = logged_changes(tx, &entity).await?;
            entries.extend(batch.accepted.iter().map(|a| a.mutation.clone()));
            let opened = entries.iter().find_map(|l| match &l.change {
                Change::ServiceRecordEntry(RecordEntry {
                    record_id,
                    kind: RecordEntryKind::Opened { customer_id, .. },
                    ..
                }) if *record_id == record => Some(*customer_id),
                _ => None,
            });
            // A record whose opening is not known here names no customer yet: the replay
            // flags the answers if no consent covers them once it is.
            let Some(customer) = opened else {
                return Ok(None);
            };
            customer
        }
    };
    let bodies: Vec<String> =
        sqlx::query_scalar("SELECT body FROM changes WHERE customer_id = $1 AND kind = $2")
            .bind(customer.to_string())
            .bind("consent.record")
            .fetch_all(&mut *tx)
            .await?;
    let mut consents: Vec<(Hlc, ConsentRecord)> = Vec::with_capacity(bodies.len());
    for body in bodies {
        let logged: Mutation = serde_json::from_str(&body).map_err(AppError::internal)?;
        if let Change::ConsentRecord(c) = logged.change {
            consents.push((logged.hlc, c));
        }
    }
    consents.extend(
        batch
            .accepted
            .iter()
            .filter_map(|a| match &a.mutation.change {
                Change::ConsentRecord(c) if c.customer_id == customer => {
                    Some((a.mutation.hlc, c.clone()))
                }
                _ => None,
            }),
    );
    // A consent record is insert-once: under one id, the one written first (the smallest clock)
    // is what every replica keeps. A later record reusing an id for her is not her consent, as
    // it is not on any device.
    let ids: BTreeSet<ConsentId> = consents.iter().map(|(_, c)| c.id).collect();
    let mut kept: Vec<(Hlc, ConsentRecord)> = Vec::with_capacity(ids.len());
    for id in ids {
        let mut under_id: Vec<(Hlc, ConsentRecord)> =
            logged_changes(tx, &EntityRef::new(EntityKind::Consent, id))
                .await?
                .into_iter()
                .filter_map(|l| match l.change {
                    Change::ConsentRecord(c) => Some((l.hlc, c)),
                    _ => None,
                })
                .collect();
        under_id.extend(
            batch
                .accepted
                .iter()
                .filter_map(|a| match &a.mutation.change {
                    Change::ConsentRecord(c) if c.id == id => Some((a.mutation.hlc, c.clone())),
                    _ => None,
                }),
        );
        if let Some(first) = under_id.into_iter().min_by_key(|(h, _)| *h)
            && first.1.customer_id == customer
        {
            kept.push(first);
        }
    }
    let standing = consent::health_write(kept.iter().map(|(h, c)| (*h, c)), m.hlc);
    Ok((standing == HealthWrite::Refused).then(|| ConsentError::HealthDataRequired.into()))
}

/// A check-in only on the booking's day, on the server: the booking (as logged and earlier in
/// this push — a walk-in is booked and checked in in one push) and its store's settings are
/// replayed into a core replica of just those records, which makes the check every device makes
/// (`Replica::check_stop`, `appointment::check_arrival_day`).
async fn check_arrival_day(
    tx: &mut AnyConnection,
    m: &Mutation,
    batch: &Batch,
) -> Result<Option<ValidationError>, AppError> {
    if !is_check_in(&m.change) {
        return Ok(None);
    }
    let appointment = m.change.entity();
    let store = EntityRef {
        kind: EntityKind::Store,
        id: m.store_id.0,
    };
    let mut bodies: Vec<String> = Vec::new();
    for entity in [&appointment, &store] {
        bodies.extend(
            sqlx::query_scalar::<_, String>(
                "SELECT body FROM changes WHERE entity_kind = $1 AND entity_id = $2",
            )
            .bind(entity_kind_code(entity))
            .bind(entity.id.to_string())
            .fetch_all(&mut *tx)
            .await?,
        );
    }
    let mut replica = orchid_core::sync::Replica::new();
    for body in bodies {
        let logged: Mutation = serde_json::from_str(&body).map_err(AppError::internal)?;
        // What was accepted once is replayed as it was; a refusal here only means a record this
        // check does not need.
        let _ = replica.apply(&logged);
    }
    for earlier in &batch.accepted {
        let entity = earlier.mutation.change.entity();
        if entity == appointment || entity == store {
            let _ = replica.apply(&earlier.mutation);
        }
    }
    Ok(replica.check_stop(&m.change).err())
}

/// The standard product use a catalog change writes, if it writes one.
fn standard_use_of(change: &Change) -> Option<&[StandardUse]> {
    match change {
        Change::CatalogUpsert { fields, .. } => fields.iter().find_map(|f| match f {
            CatalogField::StandardUse(lines) => Some(lines.as_slice()),
            _ => None,
        }),
        _ => None,
    }
}

/// A catalog change whose standard use names products (checked against the store's products,
/// so not a plain push).
fn names_products(change: &Change) -> bool {
    standard_use_of(change).is_some_and(|lines| !lines.is_empty())
}

/// A service's standard use names products of the service's own store: each product's record
/// must be claimed by the mutation's store (`entities`; a product this push adds was claimed
/// with it, before any mutation was decided). The core's field check has already bounded the
/// lines, so this is at most `MAX_STANDARD_LINES` lookups, for a change a manager makes rarely.
async fn check_standard_products(
    tx: &mut AnyConnection,
    m: &Mutation,
) -> Result<Option<ValidationError>, AppError> {
    let Some(lines) = standard_use_of(&m.change).filter(|l| !l.is_empty()) else {
        return Ok(None);
    };
    let kind = audit::code_of(&EntityKind::Product);
    let store = m.store_id.to_string();
    let mut known = BTreeSet::new();
    for line in lines {
        let owner: Option<String> =
            sqlx::query_scalar("SELECT store_id FROM entities WHERE kind = $1 AND id = $2")
                .bind(&kind)
                .bind(line.product_id.to_string())
                .fetch_optional(&mut *tx)
                .await?;
        if owner.as_deref() == Some(store.as_str()) {
            known.insert(line.product_id);
        }
    }
    Ok(
        catalog::check_standard_products(lines, |p| known.contains(&p))
            .err()
            .map(ValidationError::from),
    )
}

/// A change marking a task done or open again (checked against the task's assignee, so not a
/// plain push).
fn is_task_work(change: &Change) -> bool {
    matches!(change, Change::ServiceTaskUpsert { fields, .. }
        if orchid_core::service_task::required_action(fields) == permission::Action::TaskWork)
}

/// A service task marked done by one who does not assign tasks only if it is hers: the task (as
/// logged and earlier in this push) is replayed into a core replica, which makes the check every
/// device makes (`Replica::check_task_work`).
async fn check_task_work(
    tx: &mut AnyConnection,
    m: &Mutation,
    batch: &Batch,
) -> Result<Option<ValidationError>, AppError> {
    if !is_task_work(&m.change) {
        return Ok(None);
    }
    let task = m.change.entity();
    let bodies = sqlx::query_scalar::<_, String>(
        "SELECT body FROM changes WHERE entity_kind = $1 AND entity_id = $2",
    )
    .bind(entity_kind_code(&task))
    .bind(task.id.to_string())
    .fetch_all(&mut *tx)
    .await?;
    let mut replica = orchid_core::sync::Replica::new();
    for body in bodies {
        let logged: Mutation = serde_json::from_str(&body).map_err(AppError::internal)?;
        // Accepted once, replayed as it was.
        let _ = replica.apply(&logged);
    }
    for earlier in &batch.accepted {
        if earlier.mutation.change.entity() == task {
            let _ = replica.apply(&earlier.mutation);
        }
    }
    Ok(replica.check_task_work(m).err())
}

/// After an erasure: the customer is marked erased, her records (every record a logged change
/// names her in, and those of this push) are remembered, and every logged change to them is
/// redacted in place by the core's `erase_personal`, so no device pulling later receives her data.
async fn erase_history(
    tx: &mut AnyConnection,
    customer: orchid_core::ids::CustomerId,
    store: StoreId,
    now_ms: i64,
    batch: &mut Batch,
) -> Result<(), AppError> {
    let customer_text = customer.to_string();
    let customer_kind = entity_kind_code(&EntityRef::new(EntityKind::Customer, customer));
    batch.erased.insert(customer_text.clone());
    sqlx::query(
        "INSERT INTO erased_customers (customer_id, store_id, erased_at) VALUES ($1, $2, $3)
         ON CONFLICT (customer_id) DO NOTHING",
    )
    .bind(&customer_text)
    .bind(store.to_string())
    .bind(now_ms)
    .execute(&mut *tx)
    .await?;
    let mut records: BTreeSet<(String, String)> = sqlx::query_as(
        "SELECT DISTINCT entity_kind, entity_id FROM changes WHERE customer_id = $1",
    )
    .bind(&customer_text)
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .collect();
    // Earlier changes of this very push are not written yet.
    let mut earlier: BTreeSet<String> = BTreeSet::new();
    for a in &batch.accepted {
        if a.mutation.change.customer() == Some(customer) {
            records.insert((a.entity_kind.clone(), a.entity_id.clone()));
        }
    }
    for (kind, id) in &records {
        if *kind != customer_kind {
            earlier.insert(id.clone());
            if batch.erased_entities.insert(id.clone()) {
                sqlx::query(REMEMBER_ERASED_ENTITY_SQL)
                    .bind(id)
                    .bind(kind)
                    .bind(&customer_text)
                    .bind(store.to_string())
                    .execute(&mut *tx)
                    .await?;
            }
        }
    }
    for a in &mut batch.accepted {
        if (a.entity_id == customer_text || earlier.contains(&a.entity_id))
            && a.mutation.change.erase_personal()
        {
            a.body = None;
        }
    }
    for (kind, id) in &records {
        let rows: Vec<(String, i64, String)> = sqlx::query_as(
            "SELECT store_id, seq, body FROM changes WHERE entity_kind = $1 AND entity_id = $2",
        )
        .bind(kind)
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        for (store_id, seq, body) in rows {
            let mut m: Mutation = serde_json::from_str(&body).map_err(AppError::internal)?;
            if m.change.erase_personal() {
                let body = serde_json::to_string(&m).map_err(AppError::internal)?;
                sqlx::query("UPDATE changes SET body = $1 WHERE store_id = $2 AND seq = $3")
                    .bind(body)
                    .bind(store_id)
                    .bind(seq)
                    .execute(&mut *tx)
                    .await?;
            }
        }
    }
    Ok(())
}

/// Who a pull is for: the caller and the colleagues whose tokens it carries, each still signed
/// in and acting in the pulled store. A token that is no longer good is left out, not refused:
/// the device learns of it at that person's own next request. Carrying a colleague's token
/// widens the pull only to what that colleague could pull herself.
async fn readers_of(
    state: &AppState,
    session: &Session,
    request: &PullRequest,
) -> Result<visibility::Readers, AppError> {
    if request.colleagues.len() > MAX_PULL_COLLEAGUES {
        return Err(AppError::Rejected {
            status: axum::http::StatusCode::BAD_REQUEST,
            code: "sync.too_many_colleagues",
            message: format!("a pull carries at most {MAX_PULL_COLLEAGUES} colleagues' tokens"),
        });
    }
    let mut readers = visibility::Readers::of(session.staff_id, session.role);
    for token in &request.colleagues {
        if readers.read_everything() {
            break;
        }
        let Some(colleague) = api::colleague_session(state, token).await? else {
            continue;
        };
        if colleague.may_act_in(state, request.store_id).await? {
            readers.with(colleague.staff_id, colleague.role);
        }
    }
    Ok(readers)
}

pub async fn pull(
    State(state): State<AppState>,
    session: Session,
    ApiJson(request): ApiJson<PullRequest>,
) -> Result<Json<PullAnswer>, AppError> {
    check_version(request.format_version)?;
    if !session.may_act_in(&state, request.store_id).await? {
        return Err(SyncError::WrongStore {
            store_id: request.store_id,
        }
        .into());
    }
    let readers = readers_of(&state, &session, &request).await?;
    let limit = request.limit.clamp(1, MAX_PULL_LIMIT);
    let after = request.cursor.unwrap_or_default();
    let after_db = i64::try_from(after.0).unwrap_or(i64::MAX);
    let store = request.store_id.to_string();
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT seq, body FROM changes WHERE store_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
    )
    .bind(&store)
    .bind(after_db)
    .bind(i64::from(limit) + 1)
    .fetch_all(&state.db.pool)
    .await?;
    let has_more = rows.len() > limit as usize;
    let mut cursor = after;
    let mut changes = Vec::with_capacity(rows.len().min(limit as usize));
    // Readers who read everything get the mutations as logged (the server wrote them, from the
    // `Mutation` type); the others' are parsed and cut to what they may read.
    let as_logged = readers.read_everything();
    for (seq, body) in rows.into_iter().take(limit as usize) {
        let seq = Cursor(u64::try_from(seq).unwrap_or(0));
        cursor = seq;
        let mutation = if as_logged {
            RawValue::from_string(body).map_err(AppError::internal)?
        } else {
            let m: Mutation = serde_json::from_str(&body).map_err(AppError::internal)?;
            // Changes they may not read are left out; the cursor still moves past them.
            let Some(m) = readers.filter(m) else {
                continue;
            };
            serde_json::value::to_raw_value(&m).map_err(AppError::internal)?
        };
        changes.push(PulledAnswer {
            cursor: seq,
            mutation,
        });
    }
    let last: Option<(String, i64)> =
        sqlx::query_as("SELECT store_id, last_mutation_id FROM sync_clients WHERE client_id = $1")
            .bind(request.client_id.to_string())
            .fetch_optional(&state.db.pool)
            .await?;
    // Another store's device learns nothing about this one's progress.
    let last_mutation_id = match last {
        Some((client_store, n)) if client_store == store || session.role == Role::Owner => {
            u64::try_from(n).unwrap_or(0)
        }
        _ => 0,
    };
    Ok(Json(PullAnswer {
        format_version: FORMAT_VERSION,
        store_id: request.store_id,
        changes,
        cursor,
        has_more,
        last_mutation_id,
    }))
}

/// A [`orchid_core::sync::PullResponse`] as the server writes it: each mutation as JSON already made.
#[derive(serde::Serialize)]
pub struct PullAnswer {
    format_version: u32,
    store_id: StoreId,
    changes: Vec<PulledAnswer>,
    cursor: Cursor,
    has_more: bool,
    last_mutation_id: u64,
}

/// A [`orchid_core::sync::PulledChange`] with its mutation as JSON already made.
#[derive(serde::Serialize)]
pub struct PulledAnswer {
    cursor: Cursor,
    mutation: Box<RawValue>,
}
