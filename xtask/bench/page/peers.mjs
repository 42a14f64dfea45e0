// The peers of the store benchmark, written the plain way each is meant to be used: raw IndexedDB
// (one transaction, the limit) and Dexie 4 (`bulkPut`, `where().startsWith().limit()`). They write
// the very rows our store wrote (same JSON, same five index keys), so only the code differs.
let Dexie = null;

export function useDexie(d) {
  Dexie = d;
}

const INDEXES = ['name', 'initials', 'phone', 'phone4', 'member'];

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

export async function deleteDb(name) {
  await request(indexedDB.deleteDatabase(name));
}

async function openRaw(name) {
  const req = indexedDB.open(name, 1);
  req.onupgradeneeded = () => {
    const store = req.result.createObjectStore('rec_customer', { keyPath: 'id' });
    for (const index of INDEXES) store.createIndex(index, `keys.${index}`);
  };
  return request(req);
}

/** Writes `rows` in one read-write transaction; ms from its start to `complete`. */
export async function rawWrite(name, rows, durability = 'default') {
  await deleteDb(name);
  const db = await openRaw(name);
  const t0 = performance.now();
  await new Promise((resolve, reject) => {
    const tx = db.transaction('rec_customer', 'readwrite', { durability });
    const store = tx.objectStore('rec_customer');
    for (const row of rows) store.put(row);
    tx.oncomplete = resolve;
    tx.onabort = () => reject(tx.error);
  });
  const ms = performance.now() - t0;
  db.close();
  return ms;
}

/** The floor of any initial sync, for scale: the same pull pages from the same server (signed in
 * as `login`), parsed by the browser's own `JSON.parse`, and for each change the row our store
 * wrote for that customer (`rows`, matched by id) put in one transaction per page, the next page
 * fetched while one is stored. No merging, no rows built, no snapshot, default durability: what
 * a client must spend at the least to receive and store the same records. ms from the first
 * request to the last page stored. */
export async function floorSync(name, rows, login, password) {
  await deleteDb(name);
  const db = await openRaw(name);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const post = async (path, body, token) => {
    const headers = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    return response.json();
  };
  const session = await post('/api/v1/auth/sign-in', { login, password, device: 'bench floor' });
  const clientId = crypto.randomUUID();
  const pull = (cursor) => post('/api/v1/sync/pull', {
    format_version: 1,
    client_id: clientId,
    store_id: session.store_id,
    cursor,
    limit: 1000,
  }, session.token);
  const t0 = performance.now();
  let stored = Promise.resolve();
  let count = 0;
  let page = await pull(null);
  for (;;) {
    const next = page.has_more ? pull(page.cursor) : null;
    await stored;
    const changes = page.changes;
    stored = new Promise((resolve, reject) => {
      const tx = db.transaction('rec_customer', 'readwrite');
      const store = tx.objectStore('rec_customer');
      for (const change of changes) {
        const row = byId.get(change.mutation.payload.id);
        if (row !== undefined) {
          store.put(row);
          count += 1;
        }
      }
      tx.oncomplete = resolve;
      tx.onabort = () => reject(tx.error);
    });
    if (next === null) break;
    page = await next;
  }
  await stored;
  const ms = performance.now() - t0;
  db.close();
  return { ms, count };
}

function dexieDb(name) {
  const db = new Dexie(name);
  db.version(1).stores({ customers: `id, ${INDEXES.map((i) => `keys.${i}`).join(', ')}` });
  return db;
}

/** Dexie 4 `bulkPut` of `rows`; ms. */
export async function dexieWrite(name, rows) {
  await Dexie.delete(name);
  const db = dexieDb(name);
  await db.open();
  const t0 = performance.now();
  await db.customers.bulkPut(rows);
  const ms = performance.now() - t0;
  db.close();
  return ms;
}

/** The index a prefix query goes to: digits → phone, latin letters → pinyin initials, else name. */
export function indexFor(q) {
  if (/^\d+$/.test(q)) return 'phone';
  if (/^[a-z]+$/.test(q)) return 'initials';
  return 'name';
}

/** Per-query ms of Dexie `where(index).startsWith(q).limit(limit).toArray()`. */
export async function dexieSearch(name, queries, limit) {
  const db = dexieDb(name);
  await db.open();
  const times = [];
  for (const q of queries) {
    const t0 = performance.now();
    await db.customers.where(`keys.${indexFor(q)}`).startsWith(q).limit(limit).toArray();
    times.push(performance.now() - t0);
  }
  db.close();
  return times;
}

/** Per-query ms of a raw IndexedDB cursor over the index's key range, first `limit` values. */
export async function rawSearch(name, queries, limit) {
  const db = await openRaw(name);
  const times = [];
  for (const q of queries) {
    const t0 = performance.now();
    await new Promise((resolve, reject) => {
      const tx = db.transaction('rec_customer', 'readonly');
      const range = IDBKeyRange.bound(q, `${q}\uffff`);
      const req = tx.objectStore('rec_customer').index(indexFor(q)).openCursor(range);
      const hits = [];
      req.onsuccess = () => {
        const cursor = req.result;
        if (cursor && hits.length < limit) {
          hits.push(cursor.value);
          cursor.continue();
        } else {
          resolve(hits);
        }
      };
      req.onerror = () => reject(req.error);
    });
    times.push(performance.now() - t0);
  }
  db.close();
  return times;
}

/** 200 prefix queries drawn from the rows: name (1–2 characters), pinyin initials (1–3 letters),
 * phone (3–5 digits), in turn; deterministic. */
export function queriesFrom(rows, count) {
  let seed = 42;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed;
  };
  const queries = [];
  for (let i = 0; i < count; i++) {
    const keys = rows[next() % rows.length].keys;
    const kind = i % 3;
    let q;
    if (kind === 0) q = [...keys.name].slice(0, 1 + (next() % 2)).join('');
    else if (kind === 1) q = keys.initials.slice(0, 1 + (next() % 3));
    else q = keys.phone.slice(0, 3 + (next() % 3));
    queries.push(q || keys.name.slice(0, 1));
  }
  return queries;
}
