-- What staff write besides the catalogue: content pages (legal texts, help) with
-- every version kept, the old URL keys of renamed pages, blocks for named slots of
-- the layout, and the seller's identity per site. A change of any of them is a
-- `content` change in the log, so every replica reloads them.

CREATE TABLE content_pages (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    site             TEXT    NOT NULL CHECK (site IN ('es', 'fr', 'pt', 'it')),
    url_key          TEXT    NOT NULL,
    title            TEXT    NOT NULL CHECK (title <> ''),
    body             TEXT    NOT NULL,
    meta_title       TEXT    NOT NULL DEFAULT '',
    meta_description TEXT    NOT NULL DEFAULT '',
    active           INTEGER NOT NULL CHECK (active IN (0, 1)),
    footer_position  INTEGER,
    role             TEXT    CHECK (role IN ('legal_notice', 'terms', 'privacy', 'cookies', 'withdrawal', 'disputes')),
    version          INTEGER NOT NULL DEFAULT 1,
    updated_at       TEXT    NOT NULL,
    UNIQUE (site, url_key)
) STRICT;
CREATE UNIQUE INDEX content_pages_role ON content_pages (site, role) WHERE role IS NOT NULL;

CREATE TABLE content_page_versions (
    page_id   INTEGER NOT NULL REFERENCES content_pages ON DELETE CASCADE,
    version   INTEGER NOT NULL,
    title     TEXT    NOT NULL,
    body      TEXT    NOT NULL,
    saved_at  TEXT    NOT NULL,
    saved_by  TEXT    NOT NULL,
    PRIMARY KEY (page_id, version)
) STRICT;

CREATE TABLE content_redirects (
    site     TEXT    NOT NULL,
    old_key  TEXT    NOT NULL,
    page_id  INTEGER NOT NULL REFERENCES content_pages ON DELETE CASCADE,
    PRIMARY KEY (site, old_key)
) STRICT;

CREATE TABLE content_blocks (
    site        TEXT    NOT NULL CHECK (site IN ('es', 'fr', 'pt', 'it')),
    slot        TEXT    NOT NULL CHECK (slot IN ('site_notice', 'home_banner')),
    body        TEXT    NOT NULL,
    active      INTEGER NOT NULL CHECK (active IN (0, 1)),
    version     INTEGER NOT NULL DEFAULT 1,
    updated_at  TEXT    NOT NULL,
    PRIMARY KEY (site, slot)
) STRICT;

CREATE TABLE seller_identities (
    site                 TEXT    PRIMARY KEY CHECK (site IN ('es', 'fr', 'pt', 'it')),
    company_name         TEXT    NOT NULL,
    tax_id               TEXT    NOT NULL,
    address              TEXT    NOT NULL,
    registry             TEXT    NOT NULL,
    email                TEXT    NOT NULL,
    phone                TEXT    NOT NULL,
    host                 TEXT    NOT NULL,
    publication_director TEXT    NOT NULL,
    dispute_body         TEXT    NOT NULL,
    version              INTEGER NOT NULL DEFAULT 1,
    updated_at           TEXT    NOT NULL
) STRICT;

-- SQLite cannot change a CHECK constraint: the change log is copied into a table
-- that admits `content` changes, ids kept.
CREATE TABLE catalog_changes_next (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT    NOT NULL
                        CHECK (kind IN ('product', 'price', 'stock', 'category', 'reset', 'content')),
    product_id  INTEGER,
    changed_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
INSERT INTO catalog_changes_next (id, kind, product_id, changed_at)
    SELECT id, kind, product_id, changed_at FROM catalog_changes;
DROP TABLE catalog_changes;
ALTER TABLE catalog_changes_next RENAME TO catalog_changes;
CREATE INDEX catalog_changes_by_product ON catalog_changes (product_id, changed_at)
    WHERE kind IN ('product', 'price');

ALTER TABLE orders ADD COLUMN terms_page_id INTEGER;
ALTER TABLE orders ADD COLUMN terms_version INTEGER;
ALTER TABLE orders ADD COLUMN terms_accepted_at TEXT;
