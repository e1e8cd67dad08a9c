-- Promotions: cart price rules, applied by themselves or with a coupon code, and
-- the uses of their codes, claimed in the order's transaction.
CREATE TABLE promotion_rules (
    id                  bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name_es             text        NOT NULL DEFAULT '',
    name_fr             text        NOT NULL DEFAULT '',
    name_pt             text        NOT NULL DEFAULT '',
    name_it             text        NOT NULL DEFAULT '',
    -- Site codes separated by '|': 'es|pt'.
    sites               text        NOT NULL CHECK (sites <> ''),
    -- Wall-clock times on each site's clock ('2026-10-31T00:00:00').
    starts_at           text,
    ends_at             text,
    audience            text        NOT NULL CHECK (audience IN ('everyone', 'customers')),
    priority            integer     NOT NULL DEFAULT 0,
    stop_further        boolean     NOT NULL DEFAULT false,
    min_subtotal_cents  bigint      CHECK (min_subtotal_cents >= 0),
    min_quantity        integer     CHECK (min_quantity >= 1),
    -- Lists separated by '|': category ids, themes, SKUs, 'code=value' attributes,
    -- country codes. A category deleted since matches no line.
    categories          text        NOT NULL DEFAULT '',
    themes              text        NOT NULL DEFAULT '',
    skus                text        NOT NULL DEFAULT '',
    attributes          text        NOT NULL DEFAULT '',
    countries           text        NOT NULL DEFAULT '',
    -- 'percent_off' (hundredths of a percent), 'amount_off' or 'fixed_price'
    -- (cents), 'take_pay' (take_units, pay_units); none for free shipping alone.
    discount            text        CHECK (discount IN ('percent_off', 'amount_off', 'fixed_price', 'take_pay')),
    discount_value      bigint,
    take_units          integer,
    pay_units           integer,
    target              text        NOT NULL CHECK (target IN ('matching_lines', 'whole_cart')),
    free_shipping       boolean     NOT NULL DEFAULT false,
    max_discount_cents  bigint      CHECK (max_discount_cents > 0),
    activation          text        NOT NULL CHECK (activation IN ('automatic', 'shared_code', 'generated_codes')),
    uses_total          integer     CHECK (uses_total >= 1),
    uses_per_customer   integer     CHECK (uses_per_customer >= 1),
    enabled             boolean     NOT NULL DEFAULT true,
    -- Optimistic concurrency: a save based on an older version is refused.
    version             bigint      NOT NULL DEFAULT 0,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL
);

-- Every code of every rule: a shared code, or each generated one.
CREATE TABLE promotion_codes (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rule_id     bigint      NOT NULL REFERENCES promotion_rules ON DELETE CASCADE,
    -- Upper-case, as `CouponCode::parse` keeps it.
    code        text        NOT NULL UNIQUE,
    -- Orders holding it now (a use given back is taken off).
    uses        integer     NOT NULL DEFAULT 0 CHECK (uses >= 0),
    created_at  timestamptz NOT NULL
);
CREATE INDEX promotion_codes_rule_idx ON promotion_codes (rule_id);

-- A rule's uses by one customer (guests by their lower-cased e-mail address).
CREATE TABLE promotion_customer_uses (
    rule_id       bigint  NOT NULL REFERENCES promotion_rules ON DELETE CASCADE,
    customer_key  text    NOT NULL,
    uses          integer NOT NULL CHECK (uses >= 0),
    PRIMARY KEY (rule_id, customer_key)
);

-- What each order was given, by rule: its name and code as the shopper saw them.
CREATE TABLE order_promotions (
    order_id       bigint      NOT NULL REFERENCES orders ON DELETE CASCADE,
    position       integer     NOT NULL,
    rule_id        bigint      REFERENCES promotion_rules ON DELETE SET NULL,
    code_id        bigint      REFERENCES promotion_codes ON DELETE SET NULL,
    name           text        NOT NULL,
    code           text,
    amount_cents   bigint      NOT NULL CHECK (amount_cents >= 0),
    free_shipping  boolean     NOT NULL,
    customer_key   text        NOT NULL,
    -- The code's use given back (the order was cancelled or expired unpaid).
    released_at    timestamptz,
    PRIMARY KEY (order_id, position)
);
CREATE INDEX order_promotions_rule_idx ON order_promotions (rule_id);

-- A rule's change reaches every replica through the change log, like a price.
ALTER TABLE catalog_changes DROP CONSTRAINT catalog_changes_kind_check;
ALTER TABLE catalog_changes ADD CONSTRAINT catalog_changes_kind_check
    CHECK (kind IN ('product', 'price', 'stock', 'category', 'reset', 'content', 'promotion'));
