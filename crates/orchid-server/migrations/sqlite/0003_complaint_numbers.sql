-- Human-readable complaint numbers (投诉编号), given by the server when it accepts a complaint's
-- intake: one counter per store and year, one number per complaint (assigned once).
CREATE TABLE complaint_counters (
    store_id  TEXT NOT NULL,
    year      BIGINT NOT NULL,
    last_number BIGINT NOT NULL,
    PRIMARY KEY (store_id, year)
);
CREATE TABLE complaint_numbers (
    complaint_id  TEXT PRIMARY KEY,
    store_id      TEXT NOT NULL,
    number        TEXT NOT NULL,
    assigned_at   BIGINT NOT NULL
);
CREATE UNIQUE INDEX complaint_numbers_by_store ON complaint_numbers(store_id, number);
