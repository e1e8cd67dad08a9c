-- Variants told apart by more than a size and a colour (Magento's other super
-- attributes: a format, a gender), the label of each such attribute per language,
-- and what a variant adds to its product's price on a site (XXL +5 €).
CREATE TABLE attribute_labels (
    attribute  TEXT NOT NULL CHECK (length(attribute) BETWEEN 1 AND 64
                                    AND attribute NOT GLOB '*[^a-z0-9_]*'
                                    AND attribute GLOB '[a-z]*'
                                    AND attribute NOT IN ('size', 'colour')),
    locale     TEXT NOT NULL CHECK (locale IN ('es', 'fr', 'pt', 'it')),
    label      TEXT NOT NULL CHECK (label <> ''),
    PRIMARY KEY (attribute, locale)
) STRICT;

CREATE TABLE variant_choices (
    variant_id  INTEGER NOT NULL REFERENCES variants ON DELETE CASCADE,
    attribute   TEXT    NOT NULL CHECK (length(attribute) BETWEEN 1 AND 64
                                        AND attribute NOT GLOB '*[^a-z0-9_]*'
                                        AND attribute GLOB '[a-z]*'
                                        AND attribute NOT IN ('size', 'colour')),
    value       TEXT    NOT NULL CHECK (value <> ''),
    -- The attribute's place among the product's choices (its group's order on the page).
    position    INTEGER NOT NULL,
    PRIMARY KEY (variant_id, attribute)
) STRICT;

CREATE TABLE variant_surcharges (
    variant_id    INTEGER NOT NULL REFERENCES variants ON DELETE CASCADE,
    site          TEXT    NOT NULL CHECK (site IN ('es', 'fr', 'pt', 'it')),
    amount_cents  INTEGER NOT NULL CHECK (amount_cents <> 0),
    PRIMARY KEY (variant_id, site)
) STRICT;
