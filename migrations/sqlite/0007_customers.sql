-- Customer accounts, addresses, password resets and counters, as in migrations/postgres.
CREATE TABLE customers (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    email          TEXT    NOT NULL UNIQUE CHECK (email <> ''),
    name           TEXT    NOT NULL,
    password_hash  TEXT    NOT NULL,
    created_at     TEXT    NOT NULL
) STRICT;

CREATE TABLE customer_addresses (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id  INTEGER NOT NULL REFERENCES customers ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    street       TEXT    NOT NULL,
    postcode     TEXT    NOT NULL,
    city         TEXT    NOT NULL,
    country      TEXT    NOT NULL CHECK (country IN ('ES', 'FR', 'PT', 'IT')),
    created_at   TEXT    NOT NULL
) STRICT;
CREATE INDEX customer_addresses_customer_idx ON customer_addresses (customer_id);

CREATE TABLE password_resets (
    token_hash   TEXT    PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers ON DELETE CASCADE,
    expires_at   TEXT    NOT NULL,
    used_at      TEXT
) STRICT;

CREATE TABLE counters (
    key         TEXT    PRIMARY KEY,
    count       INTEGER NOT NULL,
    expires_at  TEXT    NOT NULL
) STRICT;

ALTER TABLE orders ADD COLUMN customer_id INTEGER REFERENCES customers;
ALTER TABLE orders ADD COLUMN shipping_method TEXT NOT NULL DEFAULT 'standard';
CREATE INDEX orders_customer_idx ON orders (customer_id, placed_at) WHERE customer_id IS NOT NULL;
