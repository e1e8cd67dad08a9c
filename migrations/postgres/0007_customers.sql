-- Customer accounts, shared by the four sites: one customer, one e-mail address
-- (stored lower-cased, so the unique constraint ignores case).
CREATE TABLE customers (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email          text        NOT NULL UNIQUE CHECK (email <> ''),
    name           text        NOT NULL,
    -- argon2id in PHC form, or a legacy Magento hash replaced at the next login.
    password_hash  text        NOT NULL,
    created_at     timestamptz NOT NULL
);

CREATE TABLE customer_addresses (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id  bigint      NOT NULL REFERENCES customers ON DELETE CASCADE,
    name         text        NOT NULL,
    street       text        NOT NULL,
    postcode     text        NOT NULL,
    city         text        NOT NULL,
    country      text        NOT NULL CHECK (country IN ('ES', 'FR', 'PT', 'IT')),
    created_at   timestamptz NOT NULL
);
CREATE INDEX customer_addresses_customer_idx ON customer_addresses (customer_id);

-- One-time password reset tokens. Only a SHA-256 of the token is kept: the token
-- itself exists in the e-mail alone.
CREATE TABLE password_resets (
    token_hash   text        PRIMARY KEY,
    customer_id  bigint      NOT NULL REFERENCES customers ON DELETE CASCADE,
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz
);

-- Counters in a time window (login attempts per account and per address) when no
-- Redis is configured.
CREATE TABLE counters (
    key         text        PRIMARY KEY,
    count       bigint      NOT NULL,
    expires_at  timestamptz NOT NULL
);

ALTER TABLE orders ADD COLUMN customer_id bigint REFERENCES customers;
ALTER TABLE orders ADD COLUMN shipping_method text NOT NULL DEFAULT 'standard';
CREATE INDEX orders_customer_idx ON orders (customer_id, placed_at) WHERE customer_id IS NOT NULL;
