-- Prices by quantity and by customer group (Magento's tier and group prices): the
-- unit price per site, VAT included, from `min_units` of one line. A NULL group is
-- every shopper; another is kept for that customer group (Magento's group id).
CREATE TABLE price_tiers (
    product_id      INTEGER NOT NULL REFERENCES products ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    customer_group  TEXT    CHECK (customer_group <> ''),
    min_units       INTEGER NOT NULL CHECK (min_units >= 1),
    price_es_cents  INTEGER NOT NULL CHECK (price_es_cents >= 0),
    price_fr_cents  INTEGER NOT NULL CHECK (price_fr_cents >= 0),
    price_pt_cents  INTEGER NOT NULL CHECK (price_pt_cents >= 0),
    price_it_cents  INTEGER NOT NULL CHECK (price_it_cents >= 0),
    PRIMARY KEY (product_id, position)
) STRICT;
