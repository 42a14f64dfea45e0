-- Online booking (the store's public page). The bookings themselves are appointments in the
-- store's change log; these tables hold only what the page needs beside them.

-- A customer's private link to her booking: the SHA-256 of its random token, never the token.
CREATE TABLE online_bookings (
    token_hash      TEXT PRIMARY KEY,
    store_id        TEXT NOT NULL,
    appointment_id  TEXT NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX online_bookings_by_appointment ON online_bookings(appointment_id);

-- Booking attempts, for the rate limits per address and per phone: in the database, so that two
-- servers on one PostgreSQL count the same attempts. The key is `address:<ip>` or the SHA-256 of
-- `phone:<number>` (no phone number is kept here); rows older than a day are deleted.
CREATE TABLE booking_attempts (
    key  TEXT NOT NULL,
    at   BIGINT NOT NULL
);
CREATE INDEX booking_attempts_by_key ON booking_attempts(key, at);
