-- What staff do with an order after it is placed: a timeline of notes, shipments
-- (carrier and tracking number) and refunds, and the amount refunded so far.
ALTER TABLE orders ADD COLUMN refunded_cents bigint NOT NULL DEFAULT 0 CHECK (refunded_cents >= 0);

CREATE TABLE order_events (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id      bigint      NOT NULL REFERENCES orders ON DELETE CASCADE,
    at            timestamptz NOT NULL,
    staff_id      bigint      REFERENCES staff,
    actor         text        NOT NULL,
    kind          text        NOT NULL CHECK (kind IN ('note', 'status', 'payment', 'shipment', 'refund')),
    text          text        NOT NULL DEFAULT '',
    carrier       text,
    tracking      text,
    amount_cents  bigint
);
CREATE INDEX order_events_order_idx ON order_events (order_id, id);
CREATE INDEX orders_email_idx ON orders (email);
