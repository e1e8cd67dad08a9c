-- SKUs as Magento allows them: any text without control characters or surrounding
-- whitespace, up to 255 characters, ASCII letters upper-cased (as `Sku::parse`).
ALTER TABLE products DROP CONSTRAINT products_sku_check;
ALTER TABLE products ADD CONSTRAINT products_sku_check
    CHECK (char_length(sku) BETWEEN 1 AND 255 AND sku = btrim(sku) AND sku !~ '[[:cntrl:]a-z]');
ALTER TABLE variants DROP CONSTRAINT variants_sku_check;
ALTER TABLE variants ADD CONSTRAINT variants_sku_check
    CHECK (char_length(sku) BETWEEN 1 AND 255 AND sku = btrim(sku) AND sku !~ '[[:cntrl:]a-z]');
