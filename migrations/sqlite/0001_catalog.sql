-- The catalogue, as in the PostgreSQL schema (migrations/postgres), in SQLite's types:
-- timestamps are RFC 3339 text, booleans integers.

CREATE TABLE attribute_options (
    attribute  TEXT    NOT NULL CHECK (attribute IN ('size', 'colour', 'theme')),
    code       TEXT    NOT NULL CHECK (code <> ''),
    position   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (attribute, code)
) STRICT;

CREATE TABLE attribute_option_labels (
    attribute  TEXT NOT NULL,
    code       TEXT NOT NULL,
    locale     TEXT NOT NULL CHECK (locale IN ('es', 'fr', 'pt', 'it')),
    label      TEXT NOT NULL CHECK (label <> ''),
    PRIMARY KEY (attribute, code, locale),
    FOREIGN KEY (attribute, code) REFERENCES attribute_options ON DELETE CASCADE
) STRICT;

CREATE TABLE categories (
    id         INTEGER PRIMARY KEY,
    parent_id  INTEGER REFERENCES categories ON DELETE CASCADE,
    position   INTEGER NOT NULL DEFAULT 0,
    enabled    INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    CHECK (parent_id <> id)
) STRICT;
CREATE INDEX categories_parent_idx ON categories (parent_id);

CREATE TABLE category_translations (
    category_id INTEGER NOT NULL REFERENCES categories ON DELETE CASCADE,
    locale      TEXT    NOT NULL CHECK (locale IN ('es', 'fr', 'pt', 'it')),
    name        TEXT    NOT NULL CHECK (name <> ''),
    url_key     TEXT    NOT NULL CHECK (url_key <> '' AND url_key NOT GLOB '*[^a-z0-9-]*'),
    PRIMARY KEY (category_id, locale)
) STRICT;

CREATE TABLE products (
    id          INTEGER PRIMARY KEY,
    sku         TEXT    NOT NULL UNIQUE
                        CHECK (length(sku) BETWEEN 1 AND 64 AND sku NOT GLOB '*[^A-Z0-9._-]*'),
    kind        TEXT    NOT NULL CHECK (kind IN ('simple', 'configurable')),
    tax_class   TEXT    NOT NULL DEFAULT 'standard' CHECK (tax_class IN ('standard')),
    enabled     INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    theme       TEXT,
    gender      TEXT    CHECK (gender IN ('women', 'men', 'unisex')),
    age_group   TEXT    CHECK (age_group IN ('adult', 'teen', 'kid', 'baby')),
    created_at  TEXT    NOT NULL
) STRICT;

CREATE TABLE product_translations (
    product_id  INTEGER NOT NULL REFERENCES products ON DELETE CASCADE,
    locale      TEXT    NOT NULL CHECK (locale IN ('es', 'fr', 'pt', 'it')),
    name        TEXT    NOT NULL CHECK (name <> ''),
    description TEXT    NOT NULL DEFAULT '',
    url_key     TEXT    NOT NULL CHECK (url_key <> '' AND url_key NOT GLOB '*[^a-z0-9-]*'),
    PRIMARY KEY (product_id, locale),
    UNIQUE (locale, url_key)
) STRICT;

CREATE TABLE product_sites (
    product_id        INTEGER NOT NULL REFERENCES products ON DELETE CASCADE,
    site              TEXT    NOT NULL CHECK (site IN ('es', 'fr', 'pt', 'it')),
    currency          TEXT    NOT NULL DEFAULT 'EUR' CHECK (currency = 'EUR'),
    price_cents       INTEGER NOT NULL CHECK (price_cents >= 0),
    sale_price_cents  INTEGER CHECK (sale_price_cents >= 0),
    sale_starts_at    TEXT,
    sale_ends_at      TEXT,
    visibility        TEXT    NOT NULL DEFAULT 'both'
                              CHECK (visibility IN ('both', 'catalog', 'search', 'none')),
    PRIMARY KEY (product_id, site)
) STRICT;

CREATE TABLE variants (
    id          INTEGER PRIMARY KEY,
    product_id  INTEGER NOT NULL REFERENCES products ON DELETE CASCADE,
    sku         TEXT    NOT NULL UNIQUE
                        CHECK (length(sku) BETWEEN 1 AND 64 AND sku NOT GLOB '*[^A-Z0-9._-]*'),
    size        TEXT,
    colour      TEXT,
    stock       INTEGER NOT NULL DEFAULT 0 CHECK (stock >= 0),
    position    INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX variants_product_idx ON variants (product_id);

CREATE TABLE product_images (
    product_id  INTEGER NOT NULL REFERENCES products ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    path        TEXT    NOT NULL CHECK (path <> ''),
    PRIMARY KEY (product_id, position)
) STRICT;

CREATE TABLE product_categories (
    product_id  INTEGER NOT NULL REFERENCES products ON DELETE CASCADE,
    category_id INTEGER NOT NULL REFERENCES categories ON DELETE CASCADE,
    position    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (product_id, category_id)
) STRICT;
CREATE INDEX product_categories_category_idx ON product_categories (category_id);

-- The change log. SQLite has one writer at a time (writes begin with BEGIN IMMEDIATE),
-- so ids commit in order; AUTOINCREMENT keeps an id from ever being reused.
CREATE TABLE catalog_changes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT    NOT NULL
                        CHECK (kind IN ('product', 'price', 'stock', 'category', 'reset')),
    product_id  INTEGER,
    changed_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
