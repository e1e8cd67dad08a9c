-- Order timeline and refunds, as in migrations/postgres.
ALTER TABLE orders ADD COLUMN refunded_cents INTEGER NOT NULL DEFAULT 0 CHECK (refunded_cents >= 0);

CREATE TABLE order_events (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id      INTEGER NOT NULL REFERENCES orders ON DELETE CASCADE,
    at            TEXT    NOT NULL,
    staff_id      INTEGER REFERENCES staff,
    actor         TEXT    NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('note', 'status', 'payment', 'shipment', 'refund')),
    text          TEXT    NOT NULL DEFAULT '',
    carrier       TEXT,
    tracking      TEXT,
    amount_cents  INTEGER
) STRICT;
CREATE INDEX order_events_order_idx ON order_events (order_id, id);
CREATE INDEX orders_email_idx ON orders (email);
