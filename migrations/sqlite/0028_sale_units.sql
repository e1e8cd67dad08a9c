-- How many units of a variant one order may hold (Magento's `min_sale_qty` and
-- `max_sale_qty`): at least the minimum, at most the maximum when there is one.
ALTER TABLE variants ADD COLUMN min_sale_units INTEGER NOT NULL DEFAULT 1
    CHECK (min_sale_units >= 1);
ALTER TABLE variants ADD COLUMN max_sale_units INTEGER
    CHECK (max_sale_units IS NULL OR max_sale_units >= min_sale_units);
