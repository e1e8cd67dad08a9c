-- How each variant's units are counted when it sells (Magento's `manage_stock` and
-- `backorders`): strictly, beyond zero (units owed), or not at all.
ALTER TABLE variants ADD COLUMN stock_policy text NOT NULL DEFAULT 'counted'
    CHECK (stock_policy IN ('counted', 'backorders', 'not_counted'));
ALTER TABLE variants DROP CONSTRAINT variants_stock_check;
ALTER TABLE variants ADD CONSTRAINT variants_stock_check
    CHECK (stock >= 0 OR stock_policy = 'backorders');
