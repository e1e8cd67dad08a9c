-- Payments that cannot be forged, and an order state machine that cannot be broken.
--
-- Each card attempt carries its own unguessable reference (Redsys's Ds_Merchant_Order:
-- 4 digits then 8 random letters or digits), the amount and currency the gateway was
-- asked for, and its own status: a decline fails the attempt only; cancelling the
-- order voids its open attempts; money that arrives for an order that can no longer
-- take it is kept as money to refund.
ALTER TABLE payment_attempts ADD COLUMN reference text;
ALTER TABLE payment_attempts ADD COLUMN amount_cents bigint;
ALTER TABLE payment_attempts ADD COLUMN currency text NOT NULL DEFAULT 'EUR';
ALTER TABLE payment_attempts ADD COLUMN status text NOT NULL DEFAULT 'open'
    CHECK (status IN ('open', 'approved', 'declined', 'void', 'to-refund'));
UPDATE payment_attempts a SET reference = lpad(a.id::text, 12, '0'), amount_cents = o.total_cents,
    status = 'void'
    FROM orders o WHERE o.id = a.order_id;
ALTER TABLE payment_attempts ALTER COLUMN reference SET NOT NULL;
ALTER TABLE payment_attempts ALTER COLUMN amount_cents SET NOT NULL;
CREATE UNIQUE INDEX payment_attempts_reference_idx ON payment_attempts (reference);

-- Card payments received for an order that could not take them (cancelled, or paid
-- already): staff refund them.
ALTER TABLE orders ADD COLUMN refund_due_cents bigint NOT NULL DEFAULT 0 CHECK (refund_due_cents >= 0);
-- When the reminder of an unpaid bank transfer was queued.
ALTER TABLE orders ADD COLUMN reminded_at timestamptz;
-- Who placed the order (the client address), to limit open unpaid orders per client.
ALTER TABLE orders ADD COLUMN client_address text;
CREATE INDEX orders_unpaid_idx ON orders (payment_method, placed_at) WHERE payment_status = 'pending';
CREATE INDEX orders_client_unpaid_idx ON orders (client_address) WHERE payment_status = 'pending';

-- A line's units go back on the shelf once, whatever path cancels the order.
ALTER TABLE order_lines ADD COLUMN restocked_at timestamptz;
UPDATE order_lines l SET restocked_at = now() FROM orders o
    WHERE o.id = l.order_id AND o.fulfilment_status = 'cancelled';

-- Secrets generated once per installation and shared by every replica (the test
-- bank's signing key). Never shipped, never printed.
CREATE TABLE installation_secrets (
    name   text PRIMARY KEY,
    value  text NOT NULL
);
