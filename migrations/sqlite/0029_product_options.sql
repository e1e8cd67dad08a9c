-- Options a product offers on top of its variant, with no stock of their own
-- (Magento's drop-down and radio custom options), and their values, each with
-- what it adds to the price on each site. Titles per language, a column each.
CREATE TABLE product_options (
    id          INTEGER PRIMARY KEY,
    product_id  INTEGER NOT NULL REFERENCES products ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    required    INTEGER NOT NULL CHECK (required IN (0, 1)),
    title_es    TEXT    NOT NULL CHECK (title_es <> ''),
    title_fr    TEXT    NOT NULL CHECK (title_fr <> ''),
    title_pt    TEXT    NOT NULL CHECK (title_pt <> ''),
    title_it    TEXT    NOT NULL CHECK (title_it <> ''),
    UNIQUE (product_id, position)
) STRICT;

CREATE TABLE product_option_values (
    id                  INTEGER PRIMARY KEY,
    option_id           INTEGER NOT NULL REFERENCES product_options ON DELETE CASCADE,
    position            INTEGER NOT NULL,
    title_es            TEXT    NOT NULL CHECK (title_es <> ''),
    title_fr            TEXT    NOT NULL CHECK (title_fr <> ''),
    title_pt            TEXT    NOT NULL CHECK (title_pt <> ''),
    title_it            TEXT    NOT NULL CHECK (title_it <> ''),
    surcharge_es_cents  INTEGER NOT NULL DEFAULT 0,
    surcharge_fr_cents  INTEGER NOT NULL DEFAULT 0,
    surcharge_pt_cents  INTEGER NOT NULL DEFAULT 0,
    surcharge_it_cents  INTEGER NOT NULL DEFAULT 0,
    UNIQUE (option_id, position)
) STRICT;
