-- Accounts that can be switched off and passwords that can be reset; the audit log ordered by the
-- server's receive time; sign-in attempts reserved before the password is checked (issue 19).

-- When the account was deactivated (Unix ms); NULL while active. A deactivated account cannot
-- sign in and its sessions are revoked at once.
ALTER TABLE staff ADD COLUMN deactivated_at BIGINT;
-- 1 after a manager or the owner reset the password: the person is asked to choose her own.
ALTER TABLE staff ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0;

-- Logins are compared lower-cased from now on: bring existing ones to that form, unless that
-- would collide with another account's login (which then keeps its old spelling).
UPDATE staff SET login = lower(trim(login))
WHERE login <> lower(trim(login))
  AND NOT EXISTS (SELECT 1 FROM staff other
                  WHERE other.id <> staff.id AND other.login = lower(trim(staff.login)));

-- When the server received an audit entry (Unix ms). `at` stays the device's own time, shown
-- beside it; the log is ordered by this one, which a device cannot choose.
ALTER TABLE audit_log ADD COLUMN received_at BIGINT;
UPDATE audit_log SET received_at = at WHERE received_at IS NULL;
CREATE INDEX audit_by_store_received ON audit_log(store_id, received_at);

-- A sign-in attempt is written as a failure *before* its password is checked, under this id;
-- a right password deletes its rows again.
ALTER TABLE sign_in_failures ADD COLUMN reservation TEXT;

-- One row every reservation updates first: on PostgreSQL that row lock makes concurrent
-- reservations take turns, so thirty parallel guesses cannot all read "not locked yet".
-- (SQLite's writers take turns already.)
CREATE TABLE sign_in_gate (
    id     BIGINT PRIMARY KEY,
    turns  BIGINT NOT NULL
);
INSERT INTO sign_in_gate (id, turns) VALUES (1, 0);
