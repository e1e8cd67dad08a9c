-- Payment attempts, as in migrations/postgres.
CREATE TABLE payment_attempts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id    INTEGER NOT NULL REFERENCES orders ON DELETE CASCADE,
    provider    TEXT    NOT NULL,
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX payment_attempts_order_idx ON payment_attempts (order_id);
