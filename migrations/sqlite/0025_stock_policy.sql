-- no-transaction
-- How each variant's units are counted when it sells (Magento's `manage_stock` and
-- `backorders`): strictly, beyond zero (units owed), or not at all. The stock check
-- changes with it: SQLite rebuilds the table, foreign keys off (as in 0024).
PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE variants_rebuilt (
    id            INTEGER PRIMARY KEY,
    product_id    INTEGER NOT NULL REFERENCES products ON DELETE CASCADE,
    sku           TEXT    NOT NULL UNIQUE
                          CHECK (length(sku) BETWEEN 1 AND 255 AND sku = trim(sku)
                                 AND sku NOT GLOB '*[a-z' || char(1) || '-' || char(31) || char(127) || ']*'),
    size          TEXT,
    colour        TEXT,
    stock         INTEGER NOT NULL DEFAULT 0 CHECK (stock >= 0 OR stock_policy = 'backorders'),
    position      INTEGER NOT NULL DEFAULT 0,
    stock_policy  TEXT    NOT NULL DEFAULT 'counted'
                          CHECK (stock_policy IN ('counted', 'backorders', 'not_counted'))
) STRICT;
INSERT INTO variants_rebuilt (id, product_id, sku, size, colour, stock, position)
    SELECT id, product_id, sku, size, colour, stock, position FROM variants;
DROP TABLE variants;
ALTER TABLE variants_rebuilt RENAME TO variants;
CREATE INDEX variants_product_idx ON variants (product_id);

COMMIT;
PRAGMA foreign_keys = ON;
