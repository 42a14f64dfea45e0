-- A device id (sync client id) belongs to the device that first pushed under it. The device
-- proves itself by a random key it keeps (sent with each push, only its SHA-256 is kept here);
-- every session that pushed with that key, or that first used the id, is joined to it. Another
-- session pushing under the id without the key is refused while a joined session is live, so
-- nobody who learned a device id can use up its mutation ids.
CREATE TABLE device_keys (
    client_id   TEXT PRIMARY KEY,
    key_hash    TEXT,
    bound_at    BIGINT NOT NULL
);
CREATE TABLE device_sessions (
    client_id   TEXT NOT NULL,
    session_id  TEXT NOT NULL,
    joined_at   BIGINT NOT NULL,
    PRIMARY KEY (client_id, session_id)
);

-- A service step is checked against its record's earlier entries (the contraindication stop).
CREATE INDEX changes_by_entity ON changes(entity_kind, entity_id);
