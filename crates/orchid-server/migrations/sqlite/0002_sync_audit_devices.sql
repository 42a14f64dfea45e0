-- Sync, audit, devices and sign-in throttling. Times in new columns are Unix milliseconds
-- (BIGINT), so they compare as numbers on both back ends.

-- Devices: a public id for each session (the token hash stays the lookup key and is never shown),
-- when and from where it was last used, and whether it holds an offline PIN.
ALTER TABLE sessions ADD COLUMN id TEXT;
UPDATE sessions SET id = lower(hex(randomblob(16))) WHERE id IS NULL;
CREATE UNIQUE INDEX sessions_by_id ON sessions(id);
ALTER TABLE sessions ADD COLUMN last_seen_at BIGINT;
ALTER TABLE sessions ADD COLUMN address TEXT;
ALTER TABLE sessions ADD COLUMN pin_set_at BIGINT;

-- The last cursor handed out per store. Bumping it locks the row until commit, so pushes to one
-- store commit in cursor order and a pull never sees cursor n+1 before n.
CREATE TABLE sync_stores (
    store_id  TEXT PRIMARY KEY,
    last_seq  BIGINT NOT NULL
);

-- Idempotency: the last mutation id processed (accepted or rejected) per device. A device
-- belongs to the store that first pushed from it, so another store cannot use up its ids.
CREATE TABLE sync_clients (
    client_id         TEXT PRIMARY KEY,
    store_id          TEXT NOT NULL,
    last_mutation_id  BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL
);

-- The change log: every accepted mutation, in order, per store; attributed to the staff member
-- and the session (device) that pushed it. `body` is the mutation as JSON.
CREATE TABLE changes (
    store_id     TEXT NOT NULL,
    seq          BIGINT NOT NULL,
    client_id    TEXT NOT NULL,
    mutation_id  BIGINT NOT NULL,
    staff_id     TEXT NOT NULL,
    session_id   TEXT NOT NULL,
    kind         TEXT NOT NULL,
    entity_kind  TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    customer_id  TEXT,
    body         TEXT NOT NULL,
    received_at  BIGINT NOT NULL,
    PRIMARY KEY (store_id, seq)
);
CREATE UNIQUE INDEX changes_by_client ON changes(client_id, mutation_id);
CREATE INDEX changes_by_customer ON changes(customer_id);

-- Which store each record belongs to (the first accepted write decides; later writes from another
-- store are refused).
CREATE TABLE entities (
    kind      TEXT NOT NULL,
    id        TEXT NOT NULL,
    store_id  TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);

-- Erased customers: later mutations about them are redacted before they are logged.
CREATE TABLE erased_customers (
    customer_id  TEXT PRIMARY KEY,
    store_id     TEXT NOT NULL,
    erased_at    BIGINT NOT NULL
);

-- The audit log: entries devices report (sensitive reads, overrides…) and entries the server
-- writes itself (sign-in lock-outs, exports, erasures, staff changes, revocations).
CREATE TABLE audit_log (
    id           TEXT PRIMARY KEY,
    store_id     TEXT,
    at           BIGINT NOT NULL,
    staff_id     TEXT,
    role         TEXT,
    session_id   TEXT,
    client_id    TEXT,
    action       TEXT NOT NULL,
    entity_kind  TEXT,
    entity_id    TEXT,
    sensitivity  TEXT,
    fields       TEXT,
    note         TEXT,
    source       TEXT NOT NULL
);
CREATE INDEX audit_by_store_at ON audit_log(store_id, at);

-- Failed sign-ins, per account (`login:…`) and per address (`addr:…`), for throttling.
CREATE TABLE sign_in_failures (
    key  TEXT NOT NULL,
    at   BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_by_key ON sign_in_failures(key, at);
