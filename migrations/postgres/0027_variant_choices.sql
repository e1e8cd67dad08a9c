-- Variants told apart by more than a size and a colour (Magento's other super
-- attributes: a format, a gender), the label of each such attribute per language,
-- and what a variant adds to its product's price on a site (XXL +5 €).
CREATE TABLE attribute_labels (
    attribute  text NOT NULL CHECK (attribute ~ '^[a-z][a-z0-9_]{0,63}$'
                                    AND attribute NOT IN ('size', 'colour')),
    locale     text NOT NULL CHECK (locale IN ('es', 'fr', 'pt', 'it')),
    label      text NOT NULL CHECK (label <> ''),
    PRIMARY KEY (attribute, locale)
);

CREATE TABLE variant_choices (
    variant_id  bigint  NOT NULL REFERENCES variants ON DELETE CASCADE,
    attribute   text    NOT NULL CHECK (attribute ~ '^[a-z][a-z0-9_]{0,63}$'
                                        AND attribute NOT IN ('size', 'colour')),
    value       text    NOT NULL CHECK (value <> ''),
    -- The attribute's place among the product's choices (its group's order on the page).
    position    integer NOT NULL,
    PRIMARY KEY (variant_id, attribute)
);

CREATE TABLE variant_surcharges (
    variant_id    bigint NOT NULL REFERENCES variants ON DELETE CASCADE,
    site          text   NOT NULL CHECK (site IN ('es', 'fr', 'pt', 'it')),
    amount_cents  bigint NOT NULL CHECK (amount_cents <> 0),
    PRIMARY KEY (variant_id, site)
);
