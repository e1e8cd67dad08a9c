-- Payment attempts, refunds due, restocks and installation secrets, as in
-- migrations/postgres/0014_payment_safety.sql.
ALTER TABLE payment_attempts ADD COLUMN reference TEXT;
ALTER TABLE payment_attempts ADD COLUMN amount_cents INTEGER;
ALTER TABLE payment_attempts ADD COLUMN currency TEXT NOT NULL DEFAULT 'EUR';
ALTER TABLE payment_attempts ADD COLUMN status TEXT NOT NULL DEFAULT 'open'
    CHECK (status IN ('open', 'approved', 'declined', 'void', 'to-refund'));
UPDATE payment_attempts SET reference = substr('000000000000' || id, -12, 12),
    amount_cents = (SELECT total_cents FROM orders WHERE orders.id = payment_attempts.order_id),
    status = 'void';
CREATE UNIQUE INDEX payment_attempts_reference_idx ON payment_attempts (reference);

ALTER TABLE orders ADD COLUMN refund_due_cents INTEGER NOT NULL DEFAULT 0 CHECK (refund_due_cents >= 0);
ALTER TABLE orders ADD COLUMN reminded_at TEXT;
ALTER TABLE orders ADD COLUMN client_address TEXT;
CREATE INDEX orders_unpaid_idx ON orders (payment_method, placed_at) WHERE payment_status = 'pending';
CREATE INDEX orders_client_unpaid_idx ON orders (client_address) WHERE payment_status = 'pending';

ALTER TABLE order_lines ADD COLUMN restocked_at TEXT;
UPDATE order_lines SET restocked_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
    WHERE order_id IN (SELECT id FROM orders WHERE fulfilment_status = 'cancelled');

CREATE TABLE installation_secrets (
    name   TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) STRICT;
