-- What the head of a product's or category's page says to search engines, per site
-- (language), as staff wrote it or Magento brought it; empty: made from the page.
ALTER TABLE product_translations ADD COLUMN meta_title text NOT NULL DEFAULT '';
ALTER TABLE product_translations ADD COLUMN meta_description text NOT NULL DEFAULT '';
ALTER TABLE category_translations ADD COLUMN meta_title text NOT NULL DEFAULT '';
ALTER TABLE category_translations ADD COLUMN meta_description text NOT NULL DEFAULT '';
