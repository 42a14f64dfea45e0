// Stores record rows off the main thread: a long pull's pages before its last (`settle_later`
// batches of rows only), so that the app's thread takes in the next page while this one is stored.
// The same file is the rows' parser for the main thread (`issue_rows` in idb_hooks.js) and, loaded
// as a worker, the storing side; in a window it only exports.

/** Issues the puts of the rows in `narrow`: rows separated by U+0001, each row's fields by U+0002
 * — store, id, JSON, then index name and key pairs. A field that is U+0003 is the next field of
 * `wide` (the fields that are not ASCII, each ended by U+0002), so that the others stay one byte
 * per character (see `RowsText` in idb.rs). */
export function put_rows(tx, narrow, wide) {
  const wides = wide ? wide.split('\u0002') : [];
  let next = 0;
  const field = (f) => (f === '\u0003' ? wides[next++] : f);
  const stores = new Map();
  for (const line of narrow.split('\u0001')) {
    if (line === '') continue;
    const f = line.split('\u0002');
    const name = field(f[0]);
    let store = stores.get(name);
    if (store === undefined) {
      store = tx.objectStore(name);
      stores.set(name, store);
    }
    const id = field(f[1]);
    const json = field(f[2]);
    const keys = {};
    for (let i = 3; i + 1 < f.length; i += 2) {
      const key = field(f[i]);
      keys[key] = field(f[i + 1]);
    }
    store.put({ id, keys, json });
  }
}

if (typeof WorkerGlobalScope !== 'undefined' && globalThis instanceof WorkerGlobalScope) {
  // One connection per database while pages keep coming, closed a second after the last (and at
  // once when another connection wants a new version or deletes the database): an idle worker
  // holds no connection, so it never makes another tab's upgrade wait or report "blocked".
  const connections = new Map();
  const IDLE_MS = 1000;
  let idleTimer = null;
  const closeAll = () => {
    for (const connection of connections.values()) connection.then((db) => db.close(), () => {});
    connections.clear();
  };
  const connect = (name) => {
    let connection = connections.get(name);
    if (connection === undefined) {
      connection = new Promise((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => {
          const db = request.result;
          db.onversionchange = () => {
            db.close();
            connections.delete(name);
          };
          resolve(db);
        };
        request.onerror = () => {
          connections.delete(name);
          reject(request.error);
        };
      });
      connections.set(name, connection);
    }
    return connection;
  };

  globalThis.onmessage = async (event) => {
    const { id, db, stores, narrow, wide } = event.data;
    clearTimeout(idleTimer);
    const answer = (error) => {
      globalThis.postMessage({ id, error });
      clearTimeout(idleTimer);
      idleTimer = setTimeout(closeAll, IDLE_MS);
    };
    try {
      const connection = await connect(db);
      const tx = connection.transaction(stores, 'readwrite', { durability: 'strict' });
      tx.oncomplete = () => answer(null);
      tx.onabort = () => answer(tx.error ? tx.error.name : 'AbortError');
      put_rows(tx, narrow, wide);
    } catch (error) {
      answer(error && error.name ? `${error.name}: ${error.message}` : String(error));
    }
  };
}
