-- The stores a member of staff also works in, besides her own (`staff.store_id`): a therapist
-- who covers a second store of the chain. The owner works in every store and needs no row.
CREATE TABLE staff_stores (
    staff_id TEXT NOT NULL,
    store_id TEXT NOT NULL,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (staff_id, store_id)
);
CREATE INDEX staff_stores_by_store ON staff_stores (store_id);
