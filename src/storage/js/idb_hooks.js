// What rexie 0.6.2 (over idb 0.6.5) does not expose, added around the browser's own IndexedDB
// objects, for the device store only (nothing else in the app uses IndexedDB):
// - the durability of the next read-write transaction ("strict" for the outbox and records);
// - why the last transaction aborted (QuotaExceededError arrives as an abort, not a request error);
// - `versionchange` (another tab opens a newer schema) and `blocked` notifications;
// - the read-write transaction just opened, to issue a commit's requests on it directly: through
//   rexie every request gets its own success and error callbacks into wasm, and for a write of
//   10,000 records those cost as much as the records' own storing.
import { put_rows } from './rows_worker.js';

let nextDurability = null;
let lastWriteTx = null;
let lastAbort = null;
let lastDurability = null;
let onVersionChange = null;
let onBlocked = null;
// Test hook: the next read-write transaction is aborted the way a full disk aborts it.
let simulateQuota = false;
const watched = new WeakSet();

export function install() {
  const proto = IDBDatabase.prototype;
  if (proto.transaction.__orchid) return;
  const original = proto.transaction;
  const patched = function (names, mode, options) {
    let tx;
    if (nextDurability !== null && mode === 'readwrite' && options === undefined) {
      tx = original.call(this, names, mode, { durability: nextDurability });
    } else {
      tx = original.call(this, names, mode, options);
    }
    nextDurability = null;
    let quota = false;
    if (mode === 'readwrite') {
      lastWriteTx = tx;
      lastDurability = tx.durability === undefined ? 'unsupported' : tx.durability;
      if (simulateQuota) {
        simulateQuota = false;
        quota = true;
        // After the requests the caller issues in this task, before any of them completes.
        queueMicrotask(() => {
          // Set before aborting: the requests' errors can settle the caller before the
          // transaction's own abort event arrives.
          lastAbort = 'QuotaExceededError';
          try {
            tx.abort();
          } catch {
            // Already finished: nothing to simulate.
          }
        });
      }
    }
    tx.addEventListener('abort', () => {
      // Chromium reports a full disk as an abort whose error is a QuotaExceededError.
      lastAbort = quota ? 'QuotaExceededError' : tx.error ? tx.error.name : 'AbortError';
    });
    if (!watched.has(this)) {
      watched.add(this);
      this.addEventListener('versionchange', (event) => {
        if (onVersionChange) onVersionChange(event.newVersion === null ? 0 : event.newVersion);
      });
    }
    return tx;
  };
  patched.__orchid = true;
  proto.transaction = patched;

  const factory = IDBFactory.prototype;
  const open = factory.open;
  const patchedOpen = function (...args) {
    const request = open.apply(this, args);
    request.addEventListener('blocked', () => {
      if (onBlocked) onBlocked();
    });
    return request;
  };
  factory.open = patchedOpen;
}

export function simulate_quota_exceeded_once() {
  simulateQuota = true;
}

export function set_next_durability(durability) {
  nextDurability = durability;
}

export function take_last_abort() {
  const e = lastAbort;
  lastAbort = null;
  return e;
}

export function last_durability() {
  return lastDurability;
}

export function set_on_version_change(callback) {
  onVersionChange = callback;
}

export function set_on_blocked(callback) {
  onBlocked = callback;
}

/** The read-write transaction opened last, once (null afterwards). Taken in the same task as the
 * `transaction()` call that opened it, so it is the caller's. */
export function take_write_transaction() {
  const tx = lastWriteTx;
  lastWriteTx = null;
  return tx;
}

// Requests issued without callbacks of their own: a request that fails aborts the transaction
// (nobody prevents its error event), and the abort's reason reaches the caller through
// `take_last_abort` and the transaction's `done`. A request the browser refuses at once (a bad
// key) throws here.
export function issue_put(tx, store, value, key) {
  if (key === undefined) tx.objectStore(store).put(value);
  else tx.objectStore(store).put(value, key);
}

// Record rows, many in one call (see `put_rows`): one string across from wasm instead of a dozen
// per row (an object, its keys, each key and value).
export function issue_rows(tx, narrow, wide) {
  put_rows(tx, narrow, wide);
}

// The worker that stores `settle_later` rows (rows_worker.js), started on first use; `null` where
// workers are not available (the caller then stores on this thread).
let rowsWorker;
let nextRowsJob = 1;
const rowsJobs = new Map();

function worker() {
  if (rowsWorker === undefined) {
    rowsWorker = null;
    try {
      if (typeof Worker !== 'undefined') {
        rowsWorker = new Worker(new URL('./rows_worker.js', import.meta.url), { type: 'module' });
        rowsWorker.onmessage = (event) => {
          const job = rowsJobs.get(event.data.id);
          rowsJobs.delete(event.data.id);
          if (job === undefined) return;
          if (event.data.error === null) job.resolve();
          else job.reject(new Error(event.data.error));
        };
        rowsWorker.onerror = (event) => {
          // The worker failed to load or crashed: every job waiting on it fails (their rows are
          // written again by the next pull), and later ones are stored on this thread.
          rowsWorker = null;
          for (const job of rowsJobs.values()) job.reject(new Error(`rows worker: ${event.message}`));
          rowsJobs.clear();
        };
      }
    } catch {
      rowsWorker = null;
    }
  }
  return rowsWorker;
}

/** True if rows can be stored by the worker. */
export function rows_worker_available() {
  return worker() !== null;
}

/** Stores rows (the texts of `put_rows`) into `stores` of database `db` in the worker, in a
 * transaction of its own; resolves once committed, rejects with the reason it did not. */
export function store_rows_in_worker(db, stores, narrow, wide) {
  const w = worker();
  if (w === null) return Promise.reject(new Error('no rows worker'));
  const id = nextRowsJob++;
  return new Promise((resolve, reject) => {
    rowsJobs.set(id, { resolve, reject });
    w.postMessage({ id, db, stores, narrow, wide });
  });
}

export function issue_delete(tx, store, key) {
  tx.objectStore(store).delete(key);
}

export function issue_clear(tx, store) {
  tx.objectStore(store).clear();
}
