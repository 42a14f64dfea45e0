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
use std::collections::BTreeSet;

use axum::Json;
use axum::extract::State;
use chrono::Utc;
use orchid_core::hlc::HlcClock;
use orchid_core::ids::{ClientId, EntityRef, StoreId};
use orchid_core::role::Role;
use orchid_core::sync::{
    Change, Cursor, FORMAT_VERSION, Mutation, PullRequest, PullResponse, PulledChange, PushOutcome,
    PushRequest, PushResponse, PushResult, SyncError, check_version,
};
use orchid_core::{ValidationError, permission};
use sqlx::AnyConnection;

use crate::AppState;
use crate::api::{ApiJson, Session};
use crate::audit::{self, ServerEntry};
use crate::complaint_numbers;
use crate::db::Backend;
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

/// The stores this session may act in, among `wanted`.
async fn allowed_stores(
    state: &AppState,
    session: &Session,
    wanted: &BTreeSet<StoreId>,
) -> Result<BTreeSet<StoreId>, AppError> {
    let mut out = BTreeSet::new();
    for store in wanted {
        if session.may_act_in(state, *store).await? {
            out.insert(*store);
        }
    }
    Ok(out)
}

pub async fn push(
    State(state): State<AppState>,
    session: Session,
    ApiJson(request): ApiJson<PushRequest>,
) -> Result<Json<PushResponse>, AppError> {
    check_version(request.format_version)?;
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
    let may_act_in = allowed_stores(&state, &session, &wanted).await?;
    let now = Utc::now();
    let now_ms = now.timestamp_millis();
    let client = request.client_id.to_string();

    let mut tx = state.db.begin_write().await?;
    // A store's id is the client id of the server's own changes in that store (complaint
    // numbers): no device may use it, or its mutation ids would collide with the server's.
    let is_store: Option<String> = sqlx::query_scalar("SELECT id FROM stores WHERE id = $1")
        .bind(&client)
        .fetch_optional(&mut *tx)
        .await?;
    if is_store.is_some() {
        return Err(AppError::BadRequest(
            "this client id is reserved; a device makes its own random id".into(),
        ));
    }
    // The device's row, locked for the transaction: two pushes from one device never interleave.
    sqlx::query(
        "INSERT INTO sync_clients (client_id, store_id, last_mutation_id, updated_at)
         VALUES ($1, $2, 0, $3) ON CONFLICT (client_id) DO NOTHING",
    )
    .bind(&client)
    .bind(session.store_id.to_string())
    .bind(now_ms)
    .execute(&mut *tx)
    .await?;
    let select_client = match state.db.backend {
        Backend::Sqlite => {
            "SELECT store_id, last_mutation_id FROM sync_clients WHERE client_id = $1"
        }
        Backend::Postgres => {
            "SELECT store_id, last_mutation_id FROM sync_clients WHERE client_id = $1 FOR UPDATE"
        }
    };
    let (client_store, last): (String, i64) = sqlx::query_as(select_client)
        .bind(&client)
        .fetch_one(&mut *tx)
        .await?;
    // A device belongs to the store it first pushed for: another store's staff must not use up
    // (or learn) its mutation ids.
    let client_store = parse_store(&client_store)?;
    if !session.may_act_in(&state, client_store).await? {
        return Err(AppError::Forbidden(
            "this device is registered to another store; sign it in to that store".into(),
        ));
    }
    // Each store's cursor row, locked in one order (no deadlock between two pushes) until
    // commit, which keeps commits in cursor order: a pull never sees cursor n+1 before n.
    let mut batch = Batch::default();
    for store in &may_act_in {
        let last_seq: i64 = sqlx::query_scalar(
            "INSERT INTO sync_stores (store_id, last_seq) VALUES ($1, 0)
             ON CONFLICT (store_id) DO UPDATE SET last_seq = sync_stores.last_seq
             RETURNING last_seq",
        )
        .bind(store.to_string())
        .fetch_one(&mut *tx)
        .await?;
        batch.seqs.insert(*store, (last_seq, last_seq));
    }
    // Which customers of this batch are already erased (one query, not one per mutation).
    let customers: BTreeSet<String> = request
        .mutations
        .iter()
        .filter_map(|m| visibility::customer_of(&m.change))
        .map(|c| c.to_string())
        .collect();
    for chunk in customers.iter().collect::<Vec<_>>().chunks(200) {
        let sql = format!(
            "SELECT customer_id FROM erased_customers WHERE customer_id IN ({})",
            state.db.backend.list_placeholders(chunk.len())
        );
        let mut query = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql));
        for c in chunk {
            query = query.bind(c.as_str());
        }
        batch.erased.extend(query.fetch_all(&mut *tx).await?);
    }

    let mut last = u64::try_from(last).unwrap_or(0);
    // Three steps, so the records' owners are claimed in a few statements rather than one per
    // mutation: the checks that need no database (in order: ids, actor, store, clock, rules), one
    // claim of every surviving record's store, then acceptance in order.
    let prechecked: Vec<Result<(), PushOutcome>> = request
        .mutations
        .iter()
        .map(|m| precheck(&session, request.client_id, m, &mut last, &may_act_in, now))
        .collect();
    let owners = claim_owners(
        &mut tx,
        state.db.backend,
        request
            .mutations
            .iter()
            .zip(&prechecked)
            .filter(|(_, p)| p.is_ok())
            .map(|(m, _)| m),
    )
    .await?;
    let mut results = Vec::with_capacity(request.mutations.len());
    for (m, pre) in request.mutations.iter().zip(prechecked) {
        let outcome = match pre {
            Err(outcome) => outcome,
            Ok(()) => accept(&mut tx, &session, m, &owners, now, &mut batch).await?,
        };
        results.push(PushResult {
            mutation_id: m.mutation_id,
            outcome,
        });
    }
    batch
        .write(&mut tx, state.db.backend, &session, now_ms)
        .await?;
    let last_db = i64::try_from(last).unwrap_or(i64::MAX);
    sqlx::query(
        "UPDATE sync_clients SET last_mutation_id = $1, updated_at = $2 WHERE client_id = $3",
    )
    .bind(last_db)
    .bind(now_ms)
    .bind(&client)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Json(PushResponse {
        format_version: FORMAT_VERSION,
        results,
        last_mutation_id: last,
    }))
}

/// What a push accepted, written at the end in few statements.
#[derive(Default)]
struct Batch {
    /// Per store: (last cursor before this push, last cursor handed out).
    seqs: std::collections::BTreeMap<StoreId, (i64, i64)>,
    /// Erased customers (as text), including erasures earlier in this batch.
    erased: BTreeSet<String>,
    accepted: Vec<Accepted>,
}

struct Accepted {
    store: StoreId,
    seq: i64,
    mutation: Mutation,
    entity_kind: String,
    entity_id: String,
    customer: Option<String>,
}

/// Rows per multi-row insert (× 12 columns stays far below both back ends' parameter limits).
const INSERT_CHUNK: usize = 50;

impl Batch {
    async fn write(
        &mut self,
        tx: &mut AnyConnection,
        backend: Backend,
        session: &Session,
        now_ms: i64,
    ) -> Result<(), AppError> {
        for chunk in self.accepted.chunks(INSERT_CHUNK) {
            let sql = format!(
                "INSERT INTO changes (store_id, seq, client_id, mutation_id, staff_id, session_id,
                                      kind, entity_kind, entity_id, customer_id, body, received_at)
                 VALUES {}",
                backend.row_placeholders(chunk.len(), 12)
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for a in chunk {
                let body = serde_json::to_string(&a.mutation).map_err(AppError::internal)?;
                query = query
                    .bind(a.store.to_string())
                    .bind(a.seq)
                    .bind(a.mutation.client_id.to_string())
                    .bind(i64::try_from(a.mutation.mutation_id).unwrap_or(i64::MAX))
                    .bind(session.staff_id.to_string())
                    .bind(session.id.clone())
                    .bind(kind_code(&a.mutation.change))
                    .bind(a.entity_kind.clone())
                    .bind(a.entity_id.clone())
                    .bind(a.customer.clone())
                    .bind(body)
                    .bind(now_ms);
            }
            query.execute(&mut *tx).await?;
        }
        for (store, (before, after)) in &self.seqs {
            if after != before {
                sqlx::query("UPDATE sync_stores SET last_seq = $1 WHERE store_id = $2")
                    .bind(*after)
                    .bind(store.to_string())
                    .execute(&mut *tx)
                    .await?;
            }
        }
        Ok(())
    }
}

fn parse_store(text: &str) -> Result<StoreId, AppError> {
    uuid::Uuid::parse_str(text)
        .map(StoreId)
        .map_err(AppError::internal)
}

/// The checks of the core's `ServerState::decide` that need no database, in push order:
/// `Err` is the mutation's outcome, `Ok` lets it on to the ownership check.
fn precheck(
    session: &Session,
    client_id: ClientId,
    m: &Mutation,
    last: &mut u64,
    may_act_in: &BTreeSet<StoreId>,
    now: chrono::DateTime<Utc>,
) -> Result<(), PushOutcome> {
    let reject = |e: ValidationError| Err(PushOutcome::Rejected { error: e });
    if m.client_id != client_id {
        return reject(SyncError::WrongClient.into());
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
    // From here on the id is consumed, whatever the outcome.
    *last = m.mutation_id;
    if m.actor != session.actor() {
        return reject(SyncError::ActorMismatch.into());
    }
    if !may_act_in.contains(&m.store_id) {
        return reject(
            SyncError::WrongStore {
                store_id: m.store_id,
            }
            .into(),
        );
    }
    // Records that carry their store or device inside the payload must agree with the mutation
    // (the core does not check this; a device must not file an entry under another store).
    match &m.change {
        Change::AuditAppend(a) if a.store_id != m.store_id => {
            return reject(SyncError::EntityInOtherStore.into());
        }
        Change::AuditAppend(a) if a.client_id != m.client_id => {
            return reject(SyncError::WrongClient.into());
        }
        Change::FeedbackSubmit(f) if f.store_id != m.store_id => {
            return reject(SyncError::EntityInOtherStore.into());
        }
        _ => {}
    }
    // Only the drift check matters here: the server issues no timestamps of its own.
    if let Err(e) = HlcClock::new(client_id).observe(m.hlc, now) {
        return reject(e.into());
    }
    if let Err(e) = m.validate() {
        return reject(e);
    }
    Ok(())
}

/// Each record's store, claimed for the first mutation (in push order) that writes it if nobody
/// had it: one multi-row statement per chunk that answers every owner, old or new.
async fn claim_owners<'a>(
    tx: &mut AnyConnection,
    backend: Backend,
    mutations: impl Iterator<Item = &'a Mutation>,
) -> Result<std::collections::HashMap<(String, String), String>, AppError> {
    let mut wanted: Vec<(String, String, String)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for m in mutations {
        let entity = m.change.entity();
        let key = (entity_kind_code(&entity), entity.id.to_string());
        // One row per record: PostgreSQL refuses to touch a row twice in one statement.
        if seen.insert(key.clone()) {
            wanted.push((key.0, key.1, m.store_id.to_string()));
        }
    }
    let mut owners = std::collections::HashMap::with_capacity(wanted.len());
    for chunk in wanted.chunks(CLAIM_CHUNK) {
        let sql = format!(
            "INSERT INTO entities (kind, id, store_id) VALUES {}
             ON CONFLICT (kind, id) DO UPDATE SET store_id = entities.store_id
             RETURNING kind, id, store_id",
            backend.row_placeholders(chunk.len(), 3)
        );
        let mut query = sqlx::query_as::<_, (String, String, String)>(sqlx::AssertSqlSafe(sql));
        for (kind, id, store) in chunk {
            query = query
                .bind(kind.as_str())
                .bind(id.as_str())
                .bind(store.as_str());
        }
        for (kind, id, store) in query.fetch_all(&mut *tx).await? {
            owners.insert((kind, id), store);
        }
    }
    Ok(owners)
}

/// Rows per ownership claim (× 3 parameters, far below both back ends' limits).
const CLAIM_CHUNK: usize = 200;

/// The rest of `ServerState::decide` for a mutation that passed [`precheck`]: the record must
/// belong to the mutation's store; then it is accepted into the batch.
async fn accept(
    tx: &mut AnyConnection,
    session: &Session,
    m: &Mutation,
    owners: &std::collections::HashMap<(String, String), String>,
    now: chrono::DateTime<Utc>,
    batch: &mut Batch,
) -> Result<PushOutcome, AppError> {
    let entity = m.change.entity();
    let entity_kind = entity_kind_code(&entity);
    let entity_id = entity.id.to_string();
    let store = m.store_id.to_string();
    match owners.get(&(entity_kind.clone(), entity_id.clone())) {
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
    // Accepted.
    let mut logged = m.clone();
    let customer = visibility::customer_of(&m.change);
    if let Some(c) = customer
        && batch.erased.contains(&c.to_string())
    {
        visibility::redact_erased(&mut logged, c);
    }
    let Some(seqs) = batch.seqs.get_mut(&m.store_id) else {
        return Err(AppError::internal(std::io::Error::other(
            "a store without its cursor row",
        )));
    };
    seqs.1 += 1;
    let seq = seqs.1;
    let now_ms = now.timestamp_millis();
    if let Change::CustomerErase { id } = &m.change {
        batch.erased.insert(id.to_string());
        // Earlier changes of this very push are not written yet: redact them here; the
        // logged history is redacted in the database.
        for a in &mut batch.accepted {
            visibility::redact_erased(&mut a.mutation, *id);
        }
        erase_history(tx, *id, m.store_id, now_ms).await?;
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
        let mut entry = ServerEntry::by(session, "mutation_accepted", Some(entity));
        entry.store_id = Some(m.store_id);
        entry.note = format!("{} ({})", kind_code(&m.change), action.code());
        audit::server_entry(&mut *tx, entry, now_ms).await?;
    }
    batch.accepted.push(Accepted {
        store: m.store_id,
        seq,
        mutation: logged,
        entity_kind: entity_kind.clone(),
        entity_id: entity_id.clone(),
        customer: customer.map(|c| c.to_string()),
    });
    // A complaint's intake: the server numbers it, as the next change of the store's log.
    if let Some(complaint) = complaint_numbers::intake_of(m) {
        let next = seqs.1 + 1;
        let mutation_id = u64::try_from(next).unwrap_or(0);
        if let Some(numbered) =
            complaint_numbers::assign(tx, m.store_id, complaint, mutation_id, now).await?
        {
            if let Some(seqs) = batch.seqs.get_mut(&m.store_id) {
                seqs.1 = next;
            }
            batch.accepted.push(Accepted {
                store: m.store_id,
                seq: next,
                mutation: numbered,
                entity_kind,
                entity_id,
                customer: None,
            });
        }
    }
    Ok(PushOutcome::Accepted)
}

/// After an erasure: the customer is marked erased, and every logged change carrying their
/// personal data is redacted in place, so no device pulling later receives it.
async fn erase_history(
    tx: &mut AnyConnection,
    customer: orchid_core::ids::CustomerId,
    store: StoreId,
    now_ms: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO erased_customers (customer_id, store_id, erased_at) VALUES ($1, $2, $3)
         ON CONFLICT (customer_id) DO NOTHING",
    )
    .bind(customer.to_string())
    .bind(store.to_string())
    .bind(now_ms)
    .execute(&mut *tx)
    .await?;
    let rows: Vec<(String, i64, String)> =
        sqlx::query_as("SELECT store_id, seq, body FROM changes WHERE customer_id = $1")
            .bind(customer.to_string())
            .fetch_all(&mut *tx)
            .await?;
    for (store_id, seq, body) in rows {
        let mut m: Mutation = serde_json::from_str(&body).map_err(AppError::internal)?;
        if visibility::redact_erased(&mut m, customer) {
            let body = serde_json::to_string(&m).map_err(AppError::internal)?;
            sqlx::query("UPDATE changes SET body = $1 WHERE store_id = $2 AND seq = $3")
                .bind(body)
                .bind(store_id)
                .bind(seq)
                .execute(&mut *tx)
                .await?;
        }
    }
    Ok(())
}

pub async fn pull(
    State(state): State<AppState>,
    session: Session,
    ApiJson(request): ApiJson<PullRequest>,
) -> Result<Json<PullResponse>, AppError> {
    check_version(request.format_version)?;
    if !session.may_act_in(&state, request.store_id).await? {
        return Err(SyncError::WrongStore {
            store_id: request.store_id,
        }
        .into());
    }
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
    for (seq, body) in rows.into_iter().take(limit as usize) {
        let seq = Cursor(u64::try_from(seq).unwrap_or(0));
        cursor = seq;
        let m: Mutation = serde_json::from_str(&body).map_err(AppError::internal)?;
        // Changes the role may not read are left out; the cursor still moves past them.
        if let Some(m) = visibility::for_role(session.role, m) {
            changes.push(PulledChange {
                cursor: seq,
                mutation: m,
            });
        }
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
    Ok(Json(PullResponse {
        format_version: FORMAT_VERSION,
        store_id: request.store_id,
        changes,
        cursor,
        has_more,
        last_mutation_id,
    }))
}
