-- no-transaction
-- Staff who run promotions: the `marketing` role. SQLite cannot change a CHECK
-- constraint: the staff table is copied into one that admits it, ids kept, by
-- SQLite's documented procedure: foreign keys off while the table is replaced
-- (audit_log and order_events refer to it), the copy in one transaction, keys on.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE staff_next (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    email          TEXT    NOT NULL UNIQUE CHECK (email <> ''),
    name           TEXT    NOT NULL,
    role           TEXT    NOT NULL
                           CHECK (role IN ('admin', 'catalogue', 'orders', 'support', 'marketing')),
    password_hash  TEXT    NOT NULL,
    active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at     TEXT    NOT NULL
) STRICT;
INSERT INTO staff_next (id, email, name, role, password_hash, active, created_at)
    SELECT id, email, name, role, password_hash, active, created_at FROM staff;
DROP TABLE staff;
ALTER TABLE staff_next RENAME TO staff;
COMMIT;
PRAGMA foreign_keys = ON;
