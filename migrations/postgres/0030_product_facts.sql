-- What a product page tells besides its name, price and description (Magento's
-- manufacturer, country_of_manufacture, weight, EAN, news_from/to_date,
-- short_description and meta_keyword).
ALTER TABLE products
    ADD COLUMN brand        text    CHECK (brand <> ''),
    ADD COLUMN made_in      text    CHECK (made_in ~ '^[A-Z]{2}$'),
    ADD COLUMN weight_grams integer CHECK (weight_grams >= 0),
    ADD COLUMN gtin         text    CHECK (gtin ~ '^([0-9]{8}|[0-9]{12,14})$'),
    ADD COLUMN new_from     date,
    ADD COLUMN new_until    date    CHECK (new_until >= new_from);

ALTER TABLE product_translations
    ADD COLUMN short_description text NOT NULL DEFAULT '',
    ADD COLUMN meta_keywords     text NOT NULL DEFAULT '';
