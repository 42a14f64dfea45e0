-- The records of erased customers (bookings, follow-ups, service records, complaints…), so that a
-- later change to one of them that does not name her (an edit queued on a device that was offline)
-- is still logged without her personal data.
CREATE TABLE erased_entities (
    entity_id    TEXT PRIMARY KEY,
    entity_kind  TEXT NOT NULL,
    customer_id  TEXT NOT NULL,
    store_id     TEXT NOT NULL
);
