-- Products a product suggests (Magento's related, up-sell and cross-sell links),
-- by SKU: the linked product may be imported later, and pages show those they find.
CREATE TABLE product_links (
    product_id  bigint  NOT NULL REFERENCES products ON DELETE CASCADE,
    kind        text    NOT NULL CHECK (kind IN ('related', 'up_sell', 'cross_sell')),
    position    integer NOT NULL,
    linked_sku  text    NOT NULL CHECK (linked_sku <> ''),
    PRIMARY KEY (product_id, kind, position)
);
