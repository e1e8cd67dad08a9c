-- Orders. Each site numbers its orders from its own sequence (ES-100000123): no
-- counter row that every checkout would lock. Sequence values are not transactional,
-- so an attempt that rolls back leaves a gap in the numbers; that is accepted.
CREATE SEQUENCE order_number_es START 100000000;
CREATE SEQUENCE order_number_fr START 100000000;
CREATE SEQUENCE order_number_pt START 100000000;
CREATE SEQUENCE order_number_it START 100000000;

CREATE TABLE orders (
    id                 bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number             text        NOT NULL UNIQUE,
    site               text        NOT NULL CHECK (site IN ('es', 'fr', 'pt', 'it')),
    -- One per checkout attempt: a double click, a retry or a replay finds the order
    -- placed the first time.
    idempotency_key    text        NOT NULL UNIQUE CHECK (length(idempotency_key) BETWEEN 16 AND 128),
    email              text        NOT NULL CHECK (email <> ''),
    ship_name          text        NOT NULL,
    ship_street        text        NOT NULL,
    ship_postcode      text        NOT NULL,
    ship_city          text        NOT NULL,
    ship_country       text        NOT NULL CHECK (ship_country IN ('ES', 'FR', 'PT', 'IT')),
    payment_method     text        NOT NULL,
    payment_status     text        NOT NULL DEFAULT 'pending'
                                   CHECK (payment_status IN ('pending', 'paid', 'failed', 'refunded')),
    fulfilment_status  text        NOT NULL DEFAULT 'new'
                                   CHECK (fulfilment_status IN ('new', 'processing', 'shipped', 'delivered', 'cancelled')),
    currency           text        NOT NULL DEFAULT 'EUR' CHECK (currency = 'EUR'),
    items_cents        bigint      NOT NULL CHECK (items_cents >= 0),
    discount_cents     bigint      NOT NULL CHECK (discount_cents >= 0),
    shipping_cents     bigint      NOT NULL CHECK (shipping_cents >= 0),
    vat_cents          bigint      NOT NULL CHECK (vat_cents >= 0),
    total_cents        bigint      NOT NULL CHECK (total_cents >= 0),
    outside_eu_vat     boolean     NOT NULL,
    placed_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_placed_at_idx ON orders (placed_at);

-- Price snapshots: what was sold, at what price and VAT, whatever the catalogue
-- says later.
CREATE TABLE order_lines (
    order_id        bigint  NOT NULL REFERENCES orders ON DELETE CASCADE,
    position        integer NOT NULL,
    variant_id      bigint  NOT NULL REFERENCES variants,
    sku             text    NOT NULL,
    name            text    NOT NULL,
    unit_cents      bigint  NOT NULL CHECK (unit_cents >= 0),
    quantity        integer NOT NULL CHECK (quantity > 0),
    gross_cents     bigint  NOT NULL,
    discount_cents  bigint  NOT NULL,
    net_cents       bigint  NOT NULL,
    vat_cents       bigint  NOT NULL,
    vat_rate_bp     integer NOT NULL,
    PRIMARY KEY (order_id, position)
);
