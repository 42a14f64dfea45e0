-- The whole schema on PostgreSQL, the same tables as migrations/sqlite/0001 + 0002 (see there for
-- why each exists). Types are kept to TEXT and BIGINT so one set of queries serves both back ends.
CREATE TABLE stores (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE staff (
    id             TEXT PRIMARY KEY,
    store_id       TEXT NOT NULL REFERENCES stores(id),
    login          TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL,
    role           TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    created_at     TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,
    staff_id      TEXT NOT NULL REFERENCES staff(id),
    device        TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    revoked_at    TEXT,
    id            TEXT,
    last_seen_at  BIGINT,
    address       TEXT,
    pin_set_at    BIGINT
);
CREATE INDEX sessions_by_staff ON sessions(staff_id);
CREATE UNIQUE INDEX sessions_by_id ON sessions(id);

CREATE TABLE sync_stores (
    store_id  TEXT PRIMARY KEY,
    last_seq  BIGINT NOT NULL
);

CREATE TABLE sync_clients (
    client_id         TEXT PRIMARY KEY,
    store_id          TEXT NOT NULL,
    last_mutation_id  BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL
);

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

CREATE TABLE entities (
    kind      TEXT NOT NULL,
    id        TEXT NOT NULL,
    store_id  TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);

CREATE TABLE erased_customers (
    customer_id  TEXT PRIMARY KEY,
    store_id     TEXT NOT NULL,
    erased_at    BIGINT NOT NULL
);

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

CREATE TABLE sign_in_failures (
    key  TEXT NOT NULL,
    at   BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_by_key ON sign_in_failures(key, at);
