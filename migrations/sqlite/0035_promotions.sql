-- Promotions, as in migrations/postgres: cart price rules, applied by themselves or with a coupon code, and
-- the uses of their codes, claimed in the order's transaction.
CREATE TABLE promotion_rules (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    name_es             TEXT        NOT NULL DEFAULT '',
    name_fr             TEXT        NOT NULL DEFAULT '',
    name_pt             TEXT        NOT NULL DEFAULT '',
    name_it             TEXT        NOT NULL DEFAULT '',
    -- Site codes separated by '|': 'es|pt'.
    sites               TEXT        NOT NULL CHECK (sites <> ''),
    -- Wall-clock times on each site's clock ('2026-10-31T00:00:00').
    starts_at           TEXT,
    ends_at             TEXT,
    audience            TEXT        NOT NULL CHECK (audience IN ('everyone', 'customers')),
    priority            INTEGER     NOT NULL DEFAULT 0,
    stop_further        INTEGER     NOT NULL DEFAULT 0 CHECK (stop_further IN (0, 1)),
    min_subtotal_cents  INTEGER      CHECK (min_subtotal_cents >= 0),
    min_quantity        INTEGER     CHECK (min_quantity >= 1),
    -- Lists separated by '|': category ids, themes, SKUs, 'code=value' attributes,
    -- country codes. A category deleted since matches no line.
    categories          TEXT        NOT NULL DEFAULT '',
    themes              TEXT        NOT NULL DEFAULT '',
    skus                TEXT        NOT NULL DEFAULT '',
    attributes          TEXT        NOT NULL DEFAULT '',
    countries           TEXT        NOT NULL DEFAULT '',
    -- 'percent_off' (hundredths of a percent), 'amount_off' or 'fixed_price'
    -- (cents), 'take_pay' (take_units, pay_units); none for free shipping alone.
    discount            TEXT        CHECK (discount IN ('percent_off', 'amount_off', 'fixed_price', 'take_pay')),
    discount_value      INTEGER,
    take_units          INTEGER,
    pay_units           INTEGER,
    target              TEXT        NOT NULL CHECK (target IN ('matching_lines', 'whole_cart')),
    free_shipping       INTEGER     NOT NULL DEFAULT 0 CHECK (free_shipping IN (0, 1)),
    max_discount_cents  INTEGER      CHECK (max_discount_cents > 0),
    activation          TEXT        NOT NULL CHECK (activation IN ('automatic', 'shared_code', 'generated_codes')),
    uses_total          INTEGER     CHECK (uses_total >= 1),
    uses_per_customer   INTEGER     CHECK (uses_per_customer >= 1),
    enabled             INTEGER     NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    -- Optimistic concurrency: a save based on an older version is refused.
    version             INTEGER      NOT NULL DEFAULT 0,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
) STRICT;

-- Every code of every rule: a shared code, or each generated one.
CREATE TABLE promotion_codes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    rule_id     INTEGER      NOT NULL REFERENCES promotion_rules ON DELETE CASCADE,
    -- Upper-case, as `CouponCode::parse` keeps it.
    code        TEXT        NOT NULL UNIQUE,
    -- Orders holding it now (a use given back is taken off).
    uses        INTEGER     NOT NULL DEFAULT 0 CHECK (uses >= 0),
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX promotion_codes_rule_idx ON promotion_codes (rule_id);

-- A rule's uses by one customer (guests by their lower-cased e-mail address).
CREATE TABLE promotion_customer_uses (
    rule_id       INTEGER  NOT NULL REFERENCES promotion_rules ON DELETE CASCADE,
    customer_key  TEXT    NOT NULL,
    uses          INTEGER NOT NULL CHECK (uses >= 0),
    PRIMARY KEY (rule_id, customer_key)
) STRICT;

-- What each order was given, by rule: its name and code as the shopper saw them.
CREATE TABLE order_promotions (
    order_id       INTEGER      NOT NULL REFERENCES orders ON DELETE CASCADE,
    position       INTEGER     NOT NULL,
    rule_id        INTEGER      REFERENCES promotion_rules ON DELETE SET NULL,
    code_id        INTEGER      REFERENCES promotion_codes ON DELETE SET NULL,
    name           TEXT        NOT NULL,
    code           TEXT,
    amount_cents   INTEGER      NOT NULL CHECK (amount_cents >= 0),
    free_shipping  INTEGER     NOT NULL CHECK (free_shipping IN (0, 1)),
    customer_key   TEXT        NOT NULL,
    -- The code's use given back (the order was cancelled or expired unpaid).
    released_at    TEXT,
    PRIMARY KEY (order_id, position)
) STRICT;
CREATE INDEX order_promotions_rule_idx ON order_promotions (rule_id);

-- A rule's change reaches every replica through the change log, like a price.
-- SQLite cannot change a CHECK constraint: the change log is copied into a table
-- that admits `promotion` changes, ids kept.
CREATE TABLE catalog_changes_next (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT    NOT NULL
                        CHECK (kind IN ('product', 'price', 'stock', 'category', 'reset', 'content', 'promotion')),
    product_id  INTEGER,
    changed_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
INSERT INTO catalog_changes_next (id, kind, product_id, changed_at)
    SELECT id, kind, product_id, changed_at FROM catalog_changes;
DROP TABLE catalog_changes;
ALTER TABLE catalog_changes_next RENAME TO catalog_changes;
CREATE INDEX catalog_changes_by_product ON catalog_changes (product_id, changed_at)
    WHERE kind IN ('product', 'price');
