-- What a product page tells besides its name, price and description (Magento's
-- manufacturer, country_of_manufacture, weight, EAN, news_from/to_date,
-- short_description and meta_keyword).
ALTER TABLE products ADD COLUMN brand TEXT CHECK (brand <> '');
ALTER TABLE products ADD COLUMN made_in TEXT
    CHECK (length(made_in) = 2 AND made_in NOT GLOB '*[^A-Z]*');
ALTER TABLE products ADD COLUMN weight_grams INTEGER CHECK (weight_grams >= 0);
ALTER TABLE products ADD COLUMN gtin TEXT
    CHECK (length(gtin) IN (8, 12, 13, 14) AND gtin NOT GLOB '*[^0-9]*');
ALTER TABLE products ADD COLUMN new_from TEXT;
ALTER TABLE products ADD COLUMN new_until TEXT CHECK (new_until >= new_from);

ALTER TABLE product_translations ADD COLUMN short_description TEXT NOT NULL DEFAULT '';
ALTER TABLE product_translations ADD COLUMN meta_keywords TEXT NOT NULL DEFAULT '';
