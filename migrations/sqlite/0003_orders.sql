-- Orders, as in migrations/postgres. SQLite has no sequences: each site's next order
-- number is a counter row, which costs nothing more here since SQLite writers take
-- turns anyway (BEGIN IMMEDIATE).
CREATE TABLE order_number_counters (
    site  TEXT    PRIMARY KEY CHECK (site IN ('es', 'fr', 'pt', 'it')),
    next  INTEGER NOT NULL
) STRICT;
INSERT INTO order_number_counters (site, next)
VALUES ('es', 100000000), ('fr', 100000000), ('pt', 100000000), ('it', 100000000);

CREATE TABLE orders (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    number             TEXT    NOT NULL UNIQUE,
    site               TEXT    NOT NULL CHECK (site IN ('es', 'fr', 'pt', 'it')),
    idempotency_key    TEXT    NOT NULL UNIQUE CHECK (length(idempotency_key) BETWEEN 16 AND 128),
    email              TEXT    NOT NULL CHECK (email <> ''),
    ship_name          TEXT    NOT NULL,
    ship_street        TEXT    NOT NULL,
    ship_postcode      TEXT    NOT NULL,
    ship_city          TEXT    NOT NULL,
    ship_country       TEXT    NOT NULL CHECK (ship_country IN ('ES', 'FR', 'PT', 'IT')),
    payment_method     TEXT    NOT NULL,
    payment_status     TEXT    NOT NULL DEFAULT 'pending'
                               CHECK (payment_status IN ('pending', 'paid', 'failed', 'refunded')),
    fulfilment_status  TEXT    NOT NULL DEFAULT 'new'
                               CHECK (fulfilment_status IN ('new', 'processing', 'shipped', 'delivered', 'cancelled')),
    currency           TEXT    NOT NULL DEFAULT 'EUR' CHECK (currency = 'EUR'),
    items_cents        INTEGER NOT NULL CHECK (items_cents >= 0),
    discount_cents     INTEGER NOT NULL CHECK (discount_cents >= 0),
    shipping_cents     INTEGER NOT NULL CHECK (shipping_cents >= 0),
    vat_cents          INTEGER NOT NULL CHECK (vat_cents >= 0),
    total_cents        INTEGER NOT NULL CHECK (total_cents >= 0),
    outside_eu_vat     INTEGER NOT NULL CHECK (outside_eu_vat IN (0, 1)),
    placed_at          TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX orders_placed_at_idx ON orders (placed_at);

CREATE TABLE order_lines (
    order_id        INTEGER NOT NULL REFERENCES orders ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    variant_id      INTEGER NOT NULL REFERENCES variants,
    sku             TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    unit_cents      INTEGER NOT NULL CHECK (unit_cents >= 0),
    quantity        INTEGER NOT NULL CHECK (quantity > 0),
    gross_cents     INTEGER NOT NULL,
    discount_cents  INTEGER NOT NULL,
    net_cents       INTEGER NOT NULL,
    vat_cents       INTEGER NOT NULL,
    vat_rate_bp     INTEGER NOT NULL,
    PRIMARY KEY (order_id, position)
) STRICT;
