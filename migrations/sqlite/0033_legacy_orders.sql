-- Orders of the shop Comptoir replaced (Magento's `sales_flat_order`), kept to be
-- read: the customer sees them in their account, staff find them in the back
-- office. They never touch stock. Their numbers are the old shop's increment ids
-- (`100000021`), which Comptoir's own (`ES-100000123`) can never be.
CREATE TABLE legacy_orders (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    number            TEXT    NOT NULL UNIQUE CHECK (number <> ''),
    site              TEXT    NOT NULL CHECK (site IN ('es', 'fr', 'pt', 'it')),
    -- The account of the same e-mail address when the order was imported.
    customer_id       INTEGER REFERENCES customers ON DELETE SET NULL,
    email             TEXT    NOT NULL,
    placed_at         TEXT    NOT NULL,
    -- The old shop's status, as it named it (`complete`, `canceled`).
    status            TEXT    NOT NULL,
    currency          TEXT    NOT NULL CHECK (length(currency) = 3),
    subtotal_cents    INTEGER NOT NULL,
    shipping_cents    INTEGER NOT NULL,
    discount_cents    INTEGER NOT NULL,
    tax_cents         INTEGER NOT NULL,
    total_cents       INTEGER NOT NULL,
    paid_cents        INTEGER NOT NULL,
    payment_method    TEXT    NOT NULL,
    shipping_method   TEXT    NOT NULL,
    billing_address   TEXT    NOT NULL,
    shipping_address  TEXT    NOT NULL,
    -- Invoice numbers and dates, shipments with their tracking numbers, one a line.
    invoices          TEXT    NOT NULL,
    shipments         TEXT    NOT NULL
) STRICT;
CREATE INDEX legacy_orders_customer ON legacy_orders (customer_id, placed_at);

CREATE TABLE legacy_order_lines (
    order_id          INTEGER NOT NULL REFERENCES legacy_orders ON DELETE CASCADE,
    position          INTEGER NOT NULL,
    sku               TEXT    NOT NULL,
    name              TEXT    NOT NULL,
    units             INTEGER NOT NULL,
    unit_price_cents  INTEGER NOT NULL,
    total_cents       INTEGER NOT NULL,
    PRIMARY KEY (order_id, position)
) STRICT;
