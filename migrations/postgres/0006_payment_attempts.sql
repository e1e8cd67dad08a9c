-- Each time a shopper is sent to a card gateway: its own reference (Redsys's
-- Ds_Merchant_Order must be unique per attempt), kept apart from the order number.
CREATE TABLE payment_attempts (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id    bigint      NOT NULL REFERENCES orders ON DELETE CASCADE,
    provider    text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payment_attempts_order_idx ON payment_attempts (order_id);
