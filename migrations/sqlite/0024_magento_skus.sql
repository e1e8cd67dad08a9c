-- no-transaction
-- SKUs as Magento allows them: any text without control characters or surrounding
-- whitespace, up to 255 characters, ASCII letters upper-cased (as `Sku::parse`).
-- SQLite cannot change a CHECK in place: the two tables are rebuilt, foreign keys
-- off so that dropping the old ones cascades nowhere (SQLite's documented way).
PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE products_rebuilt (
    id          INTEGER PRIMARY KEY,
    sku         TEXT    NOT NULL UNIQUE
                        CHECK (length(sku) BETWEEN 1 AND 255 AND sku = trim(sku)
                               AND sku NOT GLOB '*[a-z' || char(1) || '-' || char(31) || char(127) || ']*'),
    kind        TEXT    NOT NULL CHECK (kind IN ('simple', 'configurable')),
    tax_class   TEXT    NOT NULL DEFAULT 'standard' CHECK (tax_class IN ('standard')),
    enabled     INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    theme       TEXT,
    gender      TEXT    CHECK (gender IN ('women', 'men', 'unisex')),
    age_group   TEXT    CHECK (age_group IN ('adult', 'teen', 'kid', 'baby')),
    created_at  TEXT    NOT NULL,
    popularity  INTEGER NOT NULL DEFAULT 0 CHECK (popularity >= 0),
    version     INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO products_rebuilt
    SELECT id, sku, kind, tax_class, enabled, theme, gender, age_group, created_at,
           popularity, version
    FROM products;
DROP TABLE products;
ALTER TABLE products_rebuilt RENAME TO products;

CREATE TABLE variants_rebuilt (
    id          INTEGER PRIMARY KEY,
    product_id  INTEGER NOT NULL REFERENCES products ON DELETE CASCADE,
    sku         TEXT    NOT NULL UNIQUE
                        CHECK (length(sku) BETWEEN 1 AND 255 AND sku = trim(sku)
                               AND sku NOT GLOB '*[a-z' || char(1) || '-' || char(31) || char(127) || ']*'),
    size        TEXT,
    colour      TEXT,
    stock       INTEGER NOT NULL DEFAULT 0 CHECK (stock >= 0),
    position    INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO variants_rebuilt
    SELECT id, product_id, sku, size, colour, stock, position FROM variants;
DROP TABLE variants;
ALTER TABLE variants_rebuilt RENAME TO variants;
CREATE INDEX variants_product_idx ON variants (product_id);

COMMIT;
PRAGMA foreign_keys = ON;
