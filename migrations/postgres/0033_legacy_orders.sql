-- Orders of the shop Comptoir replaced (Magento's `sales_flat_order`), kept to be
-- read: the customer sees them in their account, staff find them in the back
-- office. They never touch stock. Their numbers are the old shop's increment ids
-- (`100000021`), which Comptoir's own (`ES-100000123`) can never be.
CREATE TABLE legacy_orders (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number            text        NOT NULL UNIQUE CHECK (number <> ''),
    site              text        NOT NULL CHECK (site IN ('es', 'fr', 'pt', 'it')),
    -- The account of the same e-mail address when the order was imported.
    customer_id       bigint      REFERENCES customers ON DELETE SET NULL,
    email             text        NOT NULL,
    placed_at         timestamptz NOT NULL,
    -- The old shop's status, as it named it (`complete`, `canceled`).
    status            text        NOT NULL,
    currency          text        NOT NULL CHECK (length(currency) = 3),
    subtotal_cents    bigint      NOT NULL,
    shipping_cents    bigint      NOT NULL,
    discount_cents    bigint      NOT NULL,
    tax_cents         bigint      NOT NULL,
    total_cents       bigint      NOT NULL,
    paid_cents        bigint      NOT NULL,
    payment_method    text        NOT NULL,
    shipping_method   text        NOT NULL,
    billing_address   text        NOT NULL,
    shipping_address  text        NOT NULL,
    -- Invoice numbers and dates, shipments with their tracking numbers, one a line.
    invoices          text        NOT NULL,
    shipments         text        NOT NULL
);
CREATE INDEX legacy_orders_customer ON legacy_orders (customer_id, placed_at);

CREATE TABLE legacy_order_lines (
    order_id          bigint  NOT NULL REFERENCES legacy_orders ON DELETE CASCADE,
    position          integer NOT NULL,
    sku               text    NOT NULL,
    name              text    NOT NULL,
    units             integer NOT NULL,
    unit_price_cents  bigint  NOT NULL,
    total_cents       bigint  NOT NULL,
    PRIMARY KEY (order_id, position)
);
