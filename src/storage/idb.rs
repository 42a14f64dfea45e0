//! The device's store in IndexedDB, through `rexie` 0.6.2: the [`Repository`] the app runs on.
//!
//! Layout (database `orchid`, IndexedDB version = [`SCHEMA_VERSION`]):
//! * `meta` — key `"device"`: the [`DeviceMeta`] as JSON.
//! * `outbox` — key path `mutation_id`: `{ mutation_id, last, run_lz4 }`, a run of up to 100
//!   pending mutations with consecutive ids, `run_lz4` the LZ4-compressed (size first) UTF-8 JSON
//!   of a [`StoredRun`] (version 6; version 4 and 5 rows hold it uncompressed as `run`; see
//!   [`super::outbox_runs`]: one put per run instead of one per mutation, what the run's mutations
//!   share stored once). Rows of earlier versions are read as they are: `{ mutation_id, json }`
//!   (one mutation) and `{ mutation_id, last, json: "[…]" }` (version 3).
//! * `log` — key path `page`: `{ page, bytes }`, one page of confirmed changes each, `bytes` their
//!   UTF-8 JSON (version 5; earlier pages `{ page, json }` with the JSON as text).
//! * `snapshot` — key `"confirmed"`: `{ through_page, replica }`, `replica` the confirmed replica's
//!   UTF-8 JSON (version 5). Earlier versions stored the whole [`Snapshot`] as JSON text, the
//!   replica's JSON escaped inside it: escaping, turning into a two-byte string and storing that
//!   was half of the snapshot's cost at the end of an initial sync (`cargo xtask bench store`).
//! * `rec_<kind>` — key path `id`: `{ id, keys: { name, phone, … }, json }`, with one index per
//!   key (`keys.<name>`), e.g. `rec_customer` by `name`, `initials`, `phone`, `phone4`, `member`;
//!   `rec_appointment` by `day`, `therapist_day`, `customer` (see [`index_names`]).
//!
//! Every [`Repository::commit`] is **one** read-write transaction over the stores it touches, with
//! strict durability (`js/idb_hooks.js`: rexie does not expose transaction options). Everything
//! is encoded before the transaction opens; its requests are then issued in one go on the
//! browser's transaction object (`issue`: no callback per request, which through rexie cost as
//! much as storing the records) and only IndexedDB is awaited inside it, so it cannot auto-commit
//! half-way. An abort is reported with its reason (`QuotaExceededError` →
//! [`StoreError::QuotaExceeded`]).
//!
//! Migrations are numbered ([`MIGRATIONS`]). Object stores and indexes are declared for the latest
//! version (rexie creates what is missing and removes what is no longer declared during the
//! upgrade); each data step runs after opening, in one transaction, and is recorded in
//! `DeviceMeta::schema_version`. The browser tests upgrade a database filled at every earlier
//! version.
use std::cell::{Cell, RefCell};

use futures::channel::oneshot;
use std::collections::BTreeSet;
use std::rc::Rc;

use async_trait::async_trait;
use js_sys::{Object, Reflect};
use orchid_core::ids::EntityKind;
use orchid_core::sync::Mutation;
use rexie::{Index, KeyRange, ObjectStore, Rexie, TransactionMode, TransactionResult};
use uuid::Uuid;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::outbox_runs::{OUTBOX_RUN, RowEdit, StoredRun, compress, decompress, edit_row, runs};
use super::repo::{
    ALL_KINDS, DeviceMeta, Loaded, LogPage, RecordRow, Repository, SCHEMA_VERSION, Snapshot,
    StoreError, WriteBatch, index_names, kind_since, store_name,
};

/// The database's name in the app.
pub const DB_NAME: &str = "orchid";

const META: &str = "meta";
const OUTBOX: &str = "outbox";
const LOG: &str = "log";
const SNAPSHOT: &str = "snapshot";
const META_KEY: &str = "device";
const SNAPSHOT_KEY: &str = "confirmed";

/// The numbered migrations: (version, what it does). Version 1 is the first layout.
pub const MIGRATIONS: &[(u32, &str)] = &[
    (1, "first layout: meta, outbox, log, snapshot, records"),
    (
        2,
        "customer rows get pinyin initials of Chinese names in their `initials` key",
    ),
    (
        3,
        "an outbox row may hold a run of mutations (rows of earlier versions stay as they are)",
    ),
    (
        4,
        "new outbox rows store a run compactly, as UTF-8 bytes (rows of earlier versions stay)",
    ),
    (
        5,
        "the snapshot and new log pages are stored as UTF-8 bytes (earlier ones are read as they are)",
    ),
    (
        6,
        "new outbox rows store their run LZ4-compressed (rows of earlier versions stay)",
    ),
    (
        7,
        "object stores for checklists, checks done and corrective actions (rexie adds them)",
    ),
    (8, "an object store for service tasks (rexie adds it)"),
    (9, "an object store for check-outs (rexie adds it)"),
];

#[wasm_bindgen(module = "/src/storage/js/idb_hooks.js")]
extern "C" {
    fn install();
    fn set_next_durability(durability: &str);
    fn simulate_quota_exceeded_once();
    fn take_last_abort() -> Option<String>;
    fn last_durability() -> Option<String>;
    fn set_on_version_change(callback: &js_sys::Function);
    fn set_on_blocked(callback: &js_sys::Function);
    fn take_write_transaction() -> JsValue;
    #[wasm_bindgen(catch)]
    fn issue_put(tx: &JsValue, store: &str, value: &JsValue, key: &JsValue) -> Result<(), JsValue>;
    #[wasm_bindgen(catch)]
    fn issue_rows(tx: &JsValue, narrow: &str, wide: &str) -> Result<(), JsValue>;
    /// True if a worker stores a long pull's rows (else this thread does).
    #[wasm_bindgen(js_name = rows_worker_available)]
    pub fn rows_worker_ready() -> bool;
    fn store_rows_in_worker(
        db: &str,
        stores: &js_sys::Array,
        narrow: &str,
        wide: &str,
    ) -> js_sys::Promise;
    #[wasm_bindgen(catch)]
    fn issue_delete(tx: &JsValue, store: &str, key: &JsValue) -> Result<(), JsValue>;
    #[wasm_bindgen(catch)]
    fn issue_clear(tx: &JsValue, store: &str) -> Result<(), JsValue>;
}

// The worker that stores a long pull's rows (and the rows' parser `idb_hooks.js` imports): named
// here so that wasm-bindgen ships it beside `idb_hooks.js`.
#[wasm_bindgen(module = "/src/storage/js/rows_worker.js")]
extern "C" {
    #[wasm_bindgen(catch)]
    #[allow(dead_code)]
    fn put_rows(tx: &JsValue, text: &str) -> Result<(), JsValue>;
}

/// The durability of the last read-write transaction as the browser reports it (`"strict"`), for
/// tests.
pub fn last_write_durability() -> Option<String> {
    last_durability()
}

/// Test hook: the next read-write transaction (of any connection) is aborted with a
/// `QuotaExceededError`, as the browser does when the disk or the site's quota is full (Chromium's
/// quota cannot be forced small in a test).
#[doc(hidden)]
pub fn simulate_quota_exceeded() {
    install();
    simulate_quota_exceeded_once();
}

/// Calls `f` when another tab opens a newer version of the store (this tab's connection is then
/// closed: the user must reload), and `blocked` when this tab's upgrade waits for other tabs.
pub fn on_version_change(f: impl Fn() + 'static, blocked: impl Fn() + 'static) {
    install();
    let f = Closure::<dyn Fn(JsValue)>::new(move |_v: JsValue| f());
    set_on_version_change(f.as_ref().unchecked_ref());
    f.forget();
    let b = Closure::<dyn Fn()>::new(blocked);
    set_on_blocked(b.as_ref().unchecked_ref());
    b.forget();
}

/// The object stores of layout `version`.
fn schema(version: u32) -> Vec<ObjectStore> {
    let mut stores = vec![
        ObjectStore::new(META),
        ObjectStore::new(OUTBOX).key_path("mutation_id"),
        ObjectStore::new(LOG).key_path("page"),
        ObjectStore::new(SNAPSHOT),
    ];
    for kind in ALL_KINDS.into_iter().filter(|k| kind_since(*k) <= version) {
        let mut s = ObjectStore::new(store_name(kind)).key_path("id");
        for index in index_names(kind) {
            s = s.add_index(Index::new(index, &format!("keys.{index}")));
        }
        stores.push(s);
    }
    stores
}

/// The outcome of a `settle_later` commit, once its transaction ends.
type Unsettled = oneshot::Receiver<Result<(), StoreError>>;

/// The IndexedDB repository.
pub struct IdbRepo {
    db: Rexie,
    name: String,
    /// The layout version this connection writes: [`SCHEMA_VERSION`] but in migration tests.
    layout: u32,
    fail_next: Rc<Cell<bool>>,
    /// The outcomes of `settle_later` commits not yet waited for.
    unsettled: Rc<RefCell<Vec<Unsettled>>>,
}

fn js_err(e: impl std::fmt::Debug) -> String {
    format!("{e:?}")
}

fn read_err(e: rexie::Error) -> StoreError {
    if closed(&e) {
        StoreError::VersionChanged
    } else {
        StoreError::Read(js_err(e))
    }
}

/// True if the error says the connection is closed (another tab upgraded the database).
fn closed(e: &rexie::Error) -> bool {
    let text = format!("{e:?}");
    text.contains("InvalidStateError") || text.contains("closing")
}

fn set(obj: &Object, key: &str, value: &JsValue) -> Result<(), StoreError> {
    Reflect::set(obj, &JsValue::from_str(key), value)
        .map(|_| ())
        .map_err(|e| StoreError::Write(js_err(e)))
}

fn get_str(obj: &JsValue, key: &str) -> Result<String, StoreError> {
    Reflect::get(obj, &JsValue::from_str(key))
        .ok()
        .and_then(|v| v.as_string())
        .ok_or_else(|| StoreError::Corrupt(format!("missing {key}")))
}

fn decode<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}

fn encode<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Write(e.to_string()))
}

fn row_value(row: &RecordRow) -> Result<JsValue, StoreError> {
    let obj = Object::new();
    set(&obj, "id", &JsValue::from_str(&row.id.to_string()))?;
    let keys = Object::new();
    for (k, v) in &row.keys {
        set(&keys, k, &JsValue::from_str(v))?;
    }
    set(&obj, "keys", &keys)?;
    set(&obj, "json", &JsValue::from_str(&row.json))?;
    Ok(obj.into())
}

/// Separates the rows of a text for `issue_rows`.
const ROW_END: char = '\u{1}';
/// Separates the fields of a row in a text for `issue_rows`.
const FIELD_END: char = '\u{2}';
/// Stands, in the narrow text of [`RowsText`], for the next field of its wide text.
const WIDE_FIELD: char = '\u{3}';

/// Record rows as two texts for `issue_rows`: the rows, each field in turn (store, id, JSON, then
/// index name and key pairs), and apart from them the fields that are not ASCII.
///
/// Why two: the browser makes a text with a single Chinese character into two bytes per
/// character, and every part cut from it stays so. In one text, a row's id and its phone, initials
/// and member keys (and the JSON of a latin-named customer) were stored at twice their size; raw
/// IndexedDB, given separate strings, stores them at one byte per character.
#[derive(Debug, Default)]
struct RowsText {
    narrow: String,
    wide: String,
}

impl RowsText {
    fn field(&mut self, value: &str) {
        if value.is_ascii() {
            self.narrow.push_str(value);
        } else {
            self.narrow.push(WIDE_FIELD);
            self.wide.push_str(value);
            self.wide.push(FIELD_END);
        }
    }

    fn is_empty(&self) -> bool {
        self.narrow.is_empty()
    }
}

/// Rows per call into JS when a commit streams many batches (see `commit_stream`).
const ROWS_PER_ISSUE: usize = 100;

/// The puts of record rows: as few [`RowsText`]s for `issue_rows` as can be, which makes each
/// row into the object [`row_value`] makes. A row with a field holding a separator (JSON never
/// does, it escapes control characters; an index key made from odd input might) is put on its
/// own, in its place among the others.
fn row_ops(rows: &[RecordRow]) -> Result<Vec<IdbOperation>, StoreError> {
    fn flush(
        text: &mut RowsText,
        stores: &mut BTreeSet<&'static str>,
        ops: &mut Vec<IdbOperation>,
    ) {
        if !text.is_empty() {
            ops.push(IdbOperation::Rows(
                std::mem::take(text),
                std::mem::take(stores).into_iter().collect(),
            ));
        }
    }
    let clean = |t: &str| !t.contains([ROW_END, FIELD_END, WIDE_FIELD]);
    let mut ops = Vec::new();
    let mut stores = BTreeSet::new();
    let mut text = RowsText {
        narrow: String::with_capacity(rows.iter().map(|r| r.json.len() + 160).sum()),
        wide: String::new(),
    };
    for row in rows {
        let store = store_name(row.kind);
        if !clean(&row.json) || !row.keys.iter().all(|(k, v)| clean(k) && clean(v)) {
            flush(&mut text, &mut stores, &mut ops);
            ops.push(IdbOperation::Put(store, row_value(row)?, None));
            continue;
        }
        stores.insert(store);
        text.field(store);
        text.narrow.push(FIELD_END);
        text.field(&row.id.to_string());
        text.narrow.push(FIELD_END);
        text.field(&row.json);
        for (k, v) in &row.keys {
            text.narrow.push(FIELD_END);
            text.field(k);
            text.narrow.push(FIELD_END);
            text.field(v);
        }
        text.narrow.push(ROW_END);
    }
    flush(&mut text, &mut stores, &mut ops);
    Ok(ops)
}

fn row_from(kind: EntityKind, value: &JsValue) -> Result<RecordRow, StoreError> {
    let id = get_str(value, "id")?;
    let id = Uuid::parse_str(&id).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let json = get_str(value, "json")?;
    let mut keys = std::collections::BTreeMap::new();
    if let Ok(k) = Reflect::get(value, &JsValue::from_str("keys")) {
        for index in index_names(kind) {
            if let Some(v) = Reflect::get(&k, &JsValue::from_str(index))
                .ok()
                .and_then(|v| v.as_string())
            {
                keys.insert((*index).to_owned(), v);
            }
        }
    }
    Ok(RecordRow {
        kind,
        id,
        keys,
        json,
    })
}

/// One outbox row (version 4): `{ mutation_id: first id, last: last id, run }`, `run` being the
/// [`StoredRun`]'s JSON as UTF-8 bytes. A string would be stored as UTF-16 by the browser as soon
/// as it holds one Chinese character: twice the bytes for JSON that is mostly ASCII.
fn outbox_row(run: &[Mutation], layout: u32) -> Result<JsValue, StoreError> {
    let (Some(first), Some(last), Some(stored)) = (run.first(), run.last(), StoredRun::of(run))
    else {
        return Err(StoreError::Write("empty outbox row".into()));
    };
    let json = serde_json::to_vec(&stored).map_err(|e| StoreError::Write(e.to_string()))?;
    // Since version 6 compressed: an import queues as many bytes of outbox as of records, and
    // the browser's storing thread, not our code, was the slower side of such a write. LZ4 makes
    // them about a quarter for a few milliseconds.
    let (key, bytes) = if layout >= 6 {
        ("run_lz4", compress(&json))
    } else {
        ("run", json)
    };
    bytes_row(
        &[
            ("mutation_id", first.mutation_id),
            ("last", last.mutation_id),
        ],
        key,
        &bytes,
    )
}

/// The outbox rows holding `mutations` (in id order), in the layout of version `layout`: the
/// current one, or an earlier one for the migration tests (a repository opened with
/// [`IdbRepo::open_version`] writes what that version wrote).
fn outbox_rows(mutations: &[Mutation], layout: u32) -> Result<Vec<JsValue>, StoreError> {
    match layout {
        ..=2 => mutations
            .iter()
            .map(|m| numbered("mutation_id", m.mutation_id, encode(m)?))
            .collect(),
        3 => runs(mutations, OUTBOX_RUN)
            .into_iter()
            .map(|run| {
                let (first, last) = match run {
                    [first, .., last] => (first, last),
                    [one] => (one, one),
                    [] => return Err(StoreError::Write("empty outbox row".into())),
                };
                let row = numbered("mutation_id", first.mutation_id, encode(&run)?)?;
                set(
                    row.unchecked_ref(),
                    "last",
                    &JsValue::from_f64(last.mutation_id as f64),
                )?;
                Ok(row)
            })
            .collect(),
        _ => runs(mutations, OUTBOX_RUN)
            .into_iter()
            .map(|run| outbox_row(run, layout))
            .collect(),
    }
}

/// A log page as layout `layout` stores it (see the module's header).
fn log_value(page: &LogPage, layout: u32) -> Result<JsValue, StoreError> {
    if layout < 5 {
        return numbered("page", page.page, encode(&page.changes)?);
    }
    let bytes = serde_json::to_vec(&page.changes).map_err(|e| StoreError::Write(e.to_string()))?;
    bytes_row(&[("page", page.page)], "bytes", &bytes)
}

/// The snapshot as layout `layout` stores it (see the module's header).
fn snapshot_value(snapshot: &Snapshot, layout: u32) -> Result<JsValue, StoreError> {
    if layout < 5 {
        return Ok(JsValue::from_str(&encode(snapshot)?));
    }
    bytes_row(
        &[("through_page", snapshot.through_page)],
        "replica",
        snapshot.replica_json.as_bytes(),
    )
}

/// A stored object of `numbers` and, under `key`, `bytes` (read back with [`bytes_of`]).
fn bytes_row(numbers: &[(&str, u64)], key: &str, bytes: &[u8]) -> Result<JsValue, StoreError> {
    let obj = Object::new();
    for (name, n) in numbers {
        // Mutation ids and page numbers stay far below 2^53.
        set(&obj, name, &JsValue::from_f64(*n as f64))?;
    }
    set(&obj, key, &js_sys::Uint8Array::from(bytes))?;
    Ok(obj.into())
}

/// The UTF-8 bytes under `key` of a stored object, if it has them.
fn bytes_of(value: &JsValue, key: &str) -> Option<Vec<u8>> {
    Reflect::get(value, &JsValue::from_str(key))
        .ok()
        .and_then(|v| v.dyn_into::<js_sys::Uint8Array>().ok())
        .map(|a| a.to_vec())
}

/// A stored snapshot of any layout.
fn snapshot_from(value: &JsValue) -> Result<Snapshot, StoreError> {
    if let Some(text) = value.as_string() {
        return decode(&text, "snapshot");
    }
    let through_page = number(value, "through_page")
        .ok_or_else(|| StoreError::Corrupt("snapshot without page".into()))?;
    let replica = bytes_of(value, "replica")
        .ok_or_else(|| StoreError::Corrupt("snapshot without replica".into()))?;
    let replica_json =
        String::from_utf8(replica).map_err(|e| StoreError::Corrupt(format!("snapshot: {e}")))?;
    Ok(Snapshot {
        through_page,
        replica_json,
    })
}

/// A stored log page of any layout.
fn log_page_from(value: &JsValue) -> Result<LogPage, StoreError> {
    let page = number(value, "page")
        .ok_or_else(|| StoreError::Corrupt("log page without number".into()))?;
    let changes = match bytes_of(value, "bytes") {
        Some(bytes) => serde_json::from_slice(&bytes)
            .map_err(|e| StoreError::Corrupt(format!("log page: {e}")))?,
        None => decode(&get_str(value, "json")?, "log page")?,
    };
    Ok(LogPage { page, changes })
}

fn number(value: &JsValue, key: &str) -> Option<u64> {
    Reflect::get(value, &JsValue::from_str(key))
        .ok()
        .and_then(|v| v.as_f64())
        .map(|n| n as u64)
}

/// The first and last mutation id of an outbox row.
fn outbox_row_span(value: &JsValue) -> Result<(u64, u64), StoreError> {
    let first = number(value, "mutation_id")
        .ok_or_else(|| StoreError::Corrupt("outbox row without mutation id".into()))?;
    Ok((first, number(value, "last").unwrap_or(first)))
}

/// The mutations of an outbox row, of any version's layout: a [`StoredRun`] (4), a JSON array of
/// whole mutations (3), one whole mutation (1, 2).
fn outbox_row_mutations(value: &JsValue) -> Result<Vec<Mutation>, StoreError> {
    let json = match (bytes_of(value, "run_lz4"), bytes_of(value, "run")) {
        (Some(compressed), _) => Some(decompress(&compressed)?),
        (None, run) => run,
    };
    if let Some(json) = json {
        let stored: StoredRun<orchid_core::sync::Change> = serde_json::from_slice(&json)
            .map_err(|e| StoreError::Corrupt(format!("outbox run: {e}")))?;
        return Ok(stored.into_mutations());
    }
    let json = get_str(value, "json")?;
    if number(value, "last").is_some() {
        decode(&json, "outbox run")
    } else {
        Ok(vec![decode(&json, "outbox")?])
    }
}

/// The requests that take the mutations `ids` out of the outbox: the rows holding them are read
/// (in the write transaction: a row is keyed by its first id and holds at most `OUTBOX_RUN`), then
/// deleted, or rewritten with the mutations that stay.
async fn outbox_edits(
    outbox: &rexie::Store,
    ids: &[u64],
    layout: u32,
) -> Result<Vec<IdbOperation>, StoreError> {
    let deleted: BTreeSet<u64> = ids.iter().copied().collect();
    let (Some(&lo), Some(&hi)) = (deleted.first(), deleted.last()) else {
        return Ok(Vec::new());
    };
    let from = lo.saturating_sub(OUTBOX_RUN as u64 - 1);
    let range = KeyRange::bound(
        &JsValue::from_f64(from as f64),
        &JsValue::from_f64(hi as f64),
        Some(false),
        Some(false),
    )
    .map_err(|e| StoreError::Write(js_err(e)))?;
    let rows = outbox.get_all(Some(range), None).await.map_err(read_err)?;
    let mut ops = Vec::new();
    for row in &rows {
        let (first, last) = outbox_row_span(row)?;
        let key = || JsValue::from_f64(first as f64);
        match edit_row(first, last, &deleted, || outbox_row_mutations(row))? {
            RowEdit::Keep => {}
            RowEdit::Delete => ops.push(IdbOperation::Delete(OUTBOX, key())),
            RowEdit::Rewrite(rest) => {
                if rest.first().map(|m| m.mutation_id) != Some(first) {
                    ops.push(IdbOperation::Delete(OUTBOX, key()));
                }
                for row in outbox_rows(&rest, layout)? {
                    ops.push(IdbOperation::Put(OUTBOX, row, None));
                }
            }
        }
    }
    Ok(ops)
}

fn numbered(key: &str, n: u64, json: String) -> Result<JsValue, StoreError> {
    let obj = Object::new();
    // Mutation ids and page numbers stay far below 2^53.
    set(&obj, key, &JsValue::from_f64(n as f64))?;
    set(&obj, "json", &JsValue::from_str(&json))?;
    Ok(obj.into())
}

/// One request of a write transaction, prepared before the transaction starts (no work other
/// than issuing IndexedDB requests happens while it is open).
enum IdbOperation {
    Clear(&'static str),
    Put(&'static str, JsValue, Option<JsValue>),
    /// Record rows, as [`row_ops`] writes them for `issue_rows`; the stores they go to.
    Rows(RowsText, Vec<&'static str>),
    Delete(&'static str, JsValue),
}

impl IdbOperation {
    fn stores(&self) -> Vec<&'static str> {
        match self {
            IdbOperation::Clear(s) | IdbOperation::Put(s, ..) | IdbOperation::Delete(s, _) => {
                vec![s]
            }
            IdbOperation::Rows(_, stores) => stores.clone(),
        }
    }
}

/// Issues `ops` on the browser's transaction `tx` without waiting for each: the transaction's
/// `done` reports whether all of them were stored. Fails on the first request the browser refuses
/// at once (the caller then aborts the transaction).
fn issue(tx: &JsValue, ops: &[IdbOperation]) -> Result<(), StoreError> {
    if tx.is_null() || tx.is_undefined() {
        return Err(StoreError::Write("no write transaction to issue on".into()));
    }
    for op in ops {
        let issued = match op {
            IdbOperation::Clear(s) => issue_clear(tx, s),
            IdbOperation::Put(s, v, k) => {
                issue_put(tx, s, v, k.as_ref().unwrap_or(&JsValue::UNDEFINED))
            }
            IdbOperation::Rows(text, _) => issue_rows(tx, &text.narrow, &text.wide),
            IdbOperation::Delete(s, k) => issue_delete(tx, s, k),
        };
        issued.map_err(|e| write_error(js_err(e)))?;
    }
    Ok(())
}

/// Waits for a write transaction to end: `Ok` once committed. A request that failed after it
/// was issued (a full disk) aborted the transaction; the abort's reason says why.
async fn settle(tx: rexie::Transaction) -> Result<(), StoreError> {
    let outcome = tx.done().await;
    let abort = take_last_abort();
    match outcome {
        Ok(TransactionResult::Committed) => Ok(()),
        _ if abort.as_deref() == Some("QuotaExceededError") => Err(StoreError::QuotaExceeded),
        Ok(TransactionResult::Aborted) => Err(StoreError::Write(format!(
            "transaction aborted: {}",
            abort.unwrap_or_default()
        ))),
        Err(e) => Err(write_error(js_err(e))),
    }
}

/// A write's error as the browser worded it: a full disk, or anything else in its words.
fn write_error(text: String) -> StoreError {
    if text.contains("QuotaExceeded") {
        StoreError::QuotaExceeded
    } else {
        StoreError::Write(text)
    }
}

/// Ends a write transaction whose requests `issued` went out: aborted if one was refused at once
/// or the test hook `fail` asks for it (nothing is written then), else waited for until it
/// commits.
async fn finish(
    tx: rexie::Transaction,
    issued: Result<(), StoreError>,
    fail: bool,
) -> Result<(), StoreError> {
    if fail || issued.is_err() {
        let _ = tx.abort().await;
        take_last_abort();
        return Err(issued
            .err()
            .unwrap_or_else(|| StoreError::Write("aborted on purpose (test)".into())));
    }
    settle(tx).await
}

/// The puts of outbox mutations, in rows of the layout of version `layout`.
fn outbox_ops(mutations: &[Mutation], layout: u32) -> Result<Vec<IdbOperation>, StoreError> {
    Ok(outbox_rows(mutations, layout)?
        .into_iter()
        .map(|row| IdbOperation::Put(OUTBOX, row, None))
        .collect())
}

/// The put of the device record.
fn meta_op(meta: &DeviceMeta) -> Result<IdbOperation, StoreError> {
    Ok(IdbOperation::Put(
        META,
        JsValue::from_str(&encode(meta)?),
        Some(JsValue::from_str(META_KEY)),
    ))
}

fn ops_of(batch: &WriteBatch, layout: u32) -> Result<Vec<IdbOperation>, StoreError> {
    let mut ops = Vec::new();
    if batch.clear_records {
        for kind in ALL_KINDS.into_iter().filter(|k| kind_since(*k) <= layout) {
            ops.push(IdbOperation::Clear(store_name(kind)));
        }
        ops.push(IdbOperation::Clear(LOG));
        ops.push(IdbOperation::Clear(SNAPSHOT));
    }
    if batch.outbox_clear {
        ops.push(IdbOperation::Clear(OUTBOX));
    }
    if let Some(meta) = &batch.meta {
        ops.push(meta_op(meta)?);
    }
    // Deletions from the outbox depend on how its rows hold the mutations: `outbox_edits`, inside
    // the transaction.
    ops.extend(outbox_ops(&batch.outbox_put, layout)?);
    if let Some(page) = &batch.log_page {
        ops.push(IdbOperation::Put(LOG, log_value(page, layout)?, None));
    }
    if let Some(snapshot) = &batch.snapshot {
        let range =
            web_sys::IdbKeyRange::upper_bound(&JsValue::from_f64(snapshot.through_page as f64))
                .map_err(|e| StoreError::Write(js_err(e)))?;
        ops.push(IdbOperation::Delete(LOG, range.into()));
        ops.push(IdbOperation::Put(
            SNAPSHOT,
            snapshot_value(snapshot, layout)?,
            Some(JsValue::from_str(SNAPSHOT_KEY)),
        ));
    }
    for (kind, id) in &batch.rows_delete {
        ops.push(IdbOperation::Delete(
            store_name(*kind),
            JsValue::from_str(&id.to_string()),
        ));
    }
    ops.extend(row_ops(&batch.rows_put)?);
    Ok(ops)
}

impl IdbRepo {
    /// Waits for `stored` in a task of its own, started now (a transaction's end must be listened
    /// for before it comes); `settle_earlier` collects the outcome.
    fn settle_later(
        &self,
        stored: impl std::future::Future<Output = Result<(), StoreError>> + 'static,
    ) {
        let (sender, receiver) = oneshot::channel();
        wasm_bindgen_futures::spawn_local(async move {
            let _ = sender.send(stored.await);
        });
        self.unsettled.borrow_mut().push(receiver);
    }

    /// Waits for the `settle_later` commits still being stored: the first failure is returned
    /// (and the rest are waited for too), so that the commit after it writes nothing.
    async fn settle_earlier(&self) -> Result<(), StoreError> {
        let pending = std::mem::take(&mut *self.unsettled.borrow_mut());
        let mut first_error = None;
        for receiver in pending {
            let outcome = receiver
                .await
                .unwrap_or_else(|_| Err(StoreError::Write("a write was abandoned".into())));
            if let Err(e) = outcome {
                first_error.get_or_insert(e);
            }
        }
        first_error.map_or(Ok(()), Err)
    }

    /// The rows of `kind` whose `index` key lies in `range` (all when `None`), at most `limit`,
    /// in index order: the one read behind the prefix and exact-key lookups.
    async fn rows_in_range(
        &self,
        kind: EntityKind,
        index: &str,
        range: Option<KeyRange>,
        limit: u32,
    ) -> Result<Vec<RecordRow>, StoreError> {
        let name = store_name(kind);
        let tx = self
            .db
            .transaction(&[name], TransactionMode::ReadOnly)
            .map_err(read_err)?;
        let idx = tx
            .store(name)
            .map_err(read_err)?
            .index(index)
            .map_err(read_err)?;
        let values = idx.get_all(range, Some(limit)).await.map_err(read_err)?;
        values.iter().map(|v| row_from(kind, v)).collect()
    }

    /// Opens (creating or upgrading) the database `name` at the current layout and runs the data
    /// migrations it still needs.
    pub async fn open(name: &str) -> Result<Self, StoreError> {
        let repo = Self::open_version(name, SCHEMA_VERSION).await?;
        repo.migrate().await?;
        Ok(repo)
    }

    /// Opens the database at layout `version` without running data migrations (tests build
    /// databases of earlier versions with it).
    #[doc(hidden)]
    pub async fn open_version(name: &str, version: u32) -> Result<Self, StoreError> {
        install();
        let mut builder = Rexie::builder(name).version(version);
        for store in schema(version) {
            builder = builder.add_object_store(store);
        }
        let db = builder.build().await.map_err(|e| {
            let text = js_err(&e);
            if text.contains("VersionError") {
                // The database is newer than this code: another tab runs a newer app.
                StoreError::VersionChanged
            } else if text.contains("not available") || text.contains("IndexedDbNotFound") {
                StoreError::Unavailable(text)
            } else {
                StoreError::Open(text)
            }
        })?;
        Ok(Self {
            db,
            name: name.to_owned(),
            layout: version,
            fail_next: Rc::new(Cell::new(false)),
            unsettled: Rc::default(),
        })
    }

    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Closes the connection (e.g. before deleting the database).
    pub fn close(self) {
        self.db.close();
    }

    /// Deletes the database `name` (tests). Waits until every connection is closed.
    pub async fn delete(name: &str) -> Result<(), StoreError> {
        Rexie::delete(name)
            .await
            .map_err(|e| StoreError::Write(js_err(e)))
    }

    /// Opens a read-write transaction over `names` with strict durability: rexie's, to await,
    /// and the browser's own object, to issue requests on (see `issue`).
    fn write_transaction(
        &self,
        names: &[&'static str],
    ) -> Result<(rexie::Transaction, JsValue), StoreError> {
        set_next_durability("strict");
        let tx = self
            .db
            .transaction(names, TransactionMode::ReadWrite)
            .map_err(|e| {
                if closed(&e) {
                    StoreError::VersionChanged
                } else {
                    StoreError::Write(js_err(e))
                }
            })?;
        // Taken at once: it is the transaction just opened.
        Ok((tx, take_write_transaction()))
    }

    /// Test hook: the next commit issues half of its requests, then aborts the transaction.
    #[doc(hidden)]
    pub fn fail_next_commit(&self) {
        self.fail_next.set(true);
    }

    /// Test hook: this connection's next commit fails when `switch` is set (shared by several
    /// connections of one test).
    #[doc(hidden)]
    pub fn with_failure_switch(mut self, switch: Rc<Cell<bool>>) -> Self {
        self.fail_next = switch;
        self
    }

    /// Runs the data steps of every migration newer than the stored data.
    async fn migrate(&self) -> Result<(), StoreError> {
        let loaded = self.load_meta().await?;
        let Some(mut meta) = loaded else {
            return Ok(());
        };
        if meta.schema_version >= SCHEMA_VERSION {
            return Ok(());
        }
        // Each data step: `if meta.schema_version < N { …; meta.schema_version = N }`, writing its
        // changes and the new meta in one transaction.
        if meta.schema_version < 2 {
            // Version 1 computed `initials` from latin words only.
            let mut rows_put = Vec::new();
            for mut row in self.all_rows(EntityKind::Customer).await? {
                let customer: orchid_core::customer::Customer = decode(&row.json, "customer")?;
                row.keys = super::search::CustomerKeys::of(&customer).row_keys();
                rows_put.push(row);
            }
            meta.schema_version = 2;
            self.commit(WriteBatch {
                meta: Some(meta.clone()),
                rows_put,
                ..Default::default()
            })
            .await?;
        }
        // Versions 3 to 6 changed how new outbox rows, log pages and snapshots are written;
        // older ones are still read as they are, so their steps rewrite nothing. Versions 7 to 9
        // added object stores, which the upgrade made (no check, task or check-out could be
        // recorded before them).
        if meta.schema_version < SCHEMA_VERSION {
            meta.schema_version = SCHEMA_VERSION;
            self.commit(WriteBatch {
                meta: Some(meta.clone()),
                ..Default::default()
            })
            .await?;
        }
        Ok(())
    }

    /// Every row of a kind.
    async fn all_rows(&self, kind: EntityKind) -> Result<Vec<RecordRow>, StoreError> {
        let name = store_name(kind);
        let tx = self
            .db
            .transaction(&[name], TransactionMode::ReadOnly)
            .map_err(read_err)?;
        let values = tx
            .store(name)
            .map_err(read_err)?
            .get_all(None, None)
            .await
            .map_err(read_err)?;
        values.iter().map(|v| row_from(kind, v)).collect()
    }

    async fn load_meta(&self) -> Result<Option<DeviceMeta>, StoreError> {
        let tx = self
            .db
            .transaction(&[META], TransactionMode::ReadOnly)
            .map_err(read_err)?;
        let store = tx.store(META).map_err(read_err)?;
        let value = store
            .get(JsValue::from_str(META_KEY))
            .await
            .map_err(read_err)?;
        match value.and_then(|v| v.as_string()) {
            Some(text) => Ok(Some(decode(&text, "meta")?)),
            None => Ok(None),
        }
    }
}

#[async_trait(?Send)]
impl Repository for IdbRepo {
    async fn load(&self) -> Result<Loaded, StoreError> {
        let tx = self
            .db
            .transaction(&[META, SNAPSHOT, LOG, OUTBOX], TransactionMode::ReadOnly)
            .map_err(read_err)?;
        let meta_s = tx.store(META).map_err(read_err)?;
        let snap_s = tx.store(SNAPSHOT).map_err(read_err)?;
        let log_s = tx.store(LOG).map_err(read_err)?;
        let out_s = tx.store(OUTBOX).map_err(read_err)?;
        let (meta, snapshot, log, outbox) = futures::join!(
            meta_s.get(JsValue::from_str(META_KEY)),
            snap_s.get(JsValue::from_str(SNAPSHOT_KEY)),
            log_s.get_all(None, None),
            out_s.get_all(None, None),
        );
        let meta = match meta.map_err(read_err)?.and_then(|v| v.as_string()) {
            Some(text) => Some(decode::<DeviceMeta>(&text, "meta")?),
            None => None,
        };
        let snapshot = match snapshot.map_err(read_err)? {
            Some(v) if !v.is_undefined() && !v.is_null() => Some(snapshot_from(&v)?),
            _ => None,
        };
        let mut pages = Vec::new();
        for v in log.map_err(read_err)? {
            pages.push(log_page_from(&v)?);
        }
        let mut mutations = Vec::new();
        for v in out_s_values(outbox.map_err(read_err)?)? {
            mutations.push(v);
        }
        Ok(Loaded {
            meta,
            snapshot,
            log: pages,
            outbox: mutations,
        })
    }

    async fn commit(&self, batch: WriteBatch) -> Result<(), StoreError> {
        if batch.is_empty() {
            return Ok(());
        }
        self.settle_earlier().await?;
        // Everything is encoded before the transaction opens.
        let mut ops = ops_of(&batch, self.layout)?;
        let later = batch.settle_later && batch.is_rows_only();
        if later
            && !self.fail_next.get()
            && let [IdbOperation::Rows(text, stores)] = ops.as_slice()
            && rows_worker_ready()
        {
            // Stored by the worker, in a transaction of its own, while this thread takes in the
            // next page.
            let stores: js_sys::Array = stores.iter().map(|s| JsValue::from_str(s)).collect();
            let sent = store_rows_in_worker(&self.name, &stores, &text.narrow, &text.wide);
            self.settle_later(async move {
                JsFuture::from(sent)
                    .await
                    .map(|_| ())
                    .map_err(|e| write_error(js_err(e)))
            });
            return Ok(());
        }
        let mut names: BTreeSet<&'static str> = ops.iter().flat_map(IdbOperation::stores).collect();
        if !batch.outbox_delete.is_empty() {
            names.insert(OUTBOX);
        }
        let names: Vec<&'static str> = names.into_iter().collect();
        let (tx, raw_tx) = self.write_transaction(&names)?;
        if !batch.outbox_delete.is_empty() {
            let outbox = tx.store(OUTBOX).map_err(|e| StoreError::Write(js_err(e)))?;
            // A read inside the write transaction: only IndexedDB is awaited, so it stays open.
            let edits = outbox_edits(&outbox, &batch.outbox_delete, self.layout).await?;
            ops.splice(0..0, edits);
        }
        let fail = self.fail_next.replace(false);
        let count = if fail { ops.len() / 2 } else { ops.len() };
        let issued = issue(&raw_tx, &ops[..count]);
        if later {
            self.settle_later(finish(tx, issued, fail));
            return Ok(());
        }
        finish(tx, issued, fail).await
    }

    async fn commit_stream(
        &self,
        next: &mut dyn FnMut() -> Option<Result<WriteBatch, StoreError>>,
    ) -> Result<(), StoreError> {
        // Every store a local mutation can touch: the records', the outbox, the device record.
        let layout = self.layout;
        let mut names: Vec<&'static str> = ALL_KINDS
            .iter()
            .filter(|k| kind_since(**k) <= layout)
            .map(|k| store_name(*k))
            .collect();
        names.extend([OUTBOX, META]);
        self.settle_earlier().await?;
        let (tx, raw_tx) = self.write_transaction(&names)?;
        // Each batch's rows are issued as soon as it is made, so the browser stores them while
        // the core makes the next (all in this one task: the transaction cannot commit before
        // it ends). Outbox mutations go out in full runs; the rest, and the device record (only
        // its last version counts), at the end.
        let mut outbox: Vec<Mutation> = Vec::new();
        let mut meta: Option<DeviceMeta> = None;
        // Record rows of batches that only put rows, issued [`ROWS_PER_ISSUE`] at a time: one
        // call into JS per row cost an import of 10,000 customers about 40 ms of the main thread
        // (`cargo xtask bench store`), time the browser's own storing thread then waited for.
        let mut rows: Vec<RecordRow> = Vec::new();
        let mut issue_all = || -> Result<(), StoreError> {
            while let Some(batch) = next() {
                let mut batch = batch?;
                if !batch.is_plain() {
                    return Err(StoreError::Write("not a plain mutation batch".into()));
                }
                if let Some(m) = batch.meta.take() {
                    meta = Some(m);
                }
                outbox.append(&mut batch.outbox_put);
                if outbox.len() >= OUTBOX_RUN {
                    let rest = outbox.split_off(outbox.len() - outbox.len() % OUTBOX_RUN);
                    issue(&raw_tx, &outbox_ops(&outbox, self.layout)?)?;
                    outbox = rest;
                }
                if batch.is_rows_only() && batch.rows_delete.is_empty() {
                    rows.append(&mut batch.rows_put);
                    if rows.len() >= ROWS_PER_ISSUE {
                        issue(&raw_tx, &row_ops(&std::mem::take(&mut rows))?)?;
                    }
                } else {
                    // Anything else (a deletion) keeps its place after the rows before it.
                    issue(&raw_tx, &row_ops(&std::mem::take(&mut rows))?)?;
                    issue(&raw_tx, &ops_of(&batch, self.layout)?)?;
                }
            }
            issue(&raw_tx, &row_ops(&rows)?)?;
            issue(&raw_tx, &outbox_ops(&outbox, self.layout)?)?;
            if let Some(meta) = meta.take() {
                issue(&raw_tx, &[meta_op(&meta)?])?;
            }
            Ok(())
        };
        let issued = issue_all();
        finish(tx, issued, self.fail_next.replace(false)).await
    }

    async fn outbox(&self, limit: u32) -> Result<Vec<Mutation>, StoreError> {
        let tx = self
            .db
            .transaction(&[OUTBOX], TransactionMode::ReadOnly)
            .map_err(read_err)?;
        let values = tx
            .store(OUTBOX)
            .map_err(read_err)?
            .get_all(None, Some(limit))
            .await
            .map_err(read_err)?;
        // Each row holds at least one mutation, so `limit` rows hold enough.
        let mut mutations = out_s_values(values)?;
        mutations.truncate(limit as usize);
        Ok(mutations)
    }

    async fn row(&self, kind: EntityKind, id: Uuid) -> Result<Option<RecordRow>, StoreError> {
        let name = store_name(kind);
        let tx = self
            .db
            .transaction(&[name], TransactionMode::ReadOnly)
            .map_err(read_err)?;
        let value = tx
            .store(name)
            .map_err(read_err)?
            .get(JsValue::from_str(&id.to_string()))
            .await
            .map_err(read_err)?;
        value.map(|v| row_from(kind, &v)).transpose()
    }

    async fn rows_by_prefix(
        &self,
        kind: EntityKind,
        index: &str,
        prefix: &str,
        limit: u32,
    ) -> Result<Vec<RecordRow>, StoreError> {
        let range = if prefix.is_empty() {
            None
        } else {
            Some(
                KeyRange::bound(
                    &JsValue::from_str(prefix),
                    &JsValue::from_str(&format!("{prefix}\u{ffff}")),
                    Some(false),
                    Some(false),
                )
                .map_err(|e| StoreError::Read(js_err(e)))?,
            )
        };
        self.rows_in_range(kind, index, range, limit).await
    }

    async fn rows_by_key(
        &self,
        kind: EntityKind,
        index: &str,
        key: &str,
        limit: u32,
    ) -> Result<Vec<RecordRow>, StoreError> {
        let range =
            KeyRange::only(&JsValue::from_str(key)).map_err(|e| StoreError::Read(js_err(e)))?;
        self.rows_in_range(kind, index, Some(range), limit).await
    }

    async fn count(&self, kind: EntityKind) -> Result<u32, StoreError> {
        let name = store_name(kind);
        let tx = self
            .db
            .transaction(&[name], TransactionMode::ReadOnly)
            .map_err(read_err)?;
        tx.store(name)
            .map_err(read_err)?
            .count(None)
            .await
            .map_err(read_err)
    }
}

fn out_s_values(values: Vec<JsValue>) -> Result<Vec<Mutation>, StoreError> {
    let mut out = Vec::with_capacity(values.len());
    for v in &values {
        out.extend(outbox_row_mutations(v)?);
    }
    Ok(out)
}
