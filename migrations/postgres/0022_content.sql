-- What staff write besides the catalogue: content pages (legal texts, help) with
-- every version kept, the old URL keys of renamed pages, blocks for named slots of
-- the layout, and the seller's identity per site. A change of any of them is a
-- `content` change in the log, so every replica reloads them.

CREATE TABLE content_pages (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site             text        NOT NULL CHECK (site IN ('es', 'fr', 'pt', 'it')),
    url_key          text        NOT NULL,
    title            text        NOT NULL CHECK (title <> ''),
    body             text        NOT NULL,
    meta_title       text        NOT NULL DEFAULT '',
    meta_description text        NOT NULL DEFAULT '',
    active           boolean     NOT NULL,
    footer_position  integer,
    role             text        CHECK (role IN ('legal_notice', 'terms', 'privacy', 'cookies', 'withdrawal', 'disputes')),
    version          bigint      NOT NULL DEFAULT 1,
    updated_at       timestamptz NOT NULL,
    UNIQUE (site, url_key)
);
CREATE UNIQUE INDEX content_pages_role ON content_pages (site, role) WHERE role IS NOT NULL;

-- Every saved version of a page: what a shopper accepted (the terms an order names)
-- can always be read again.
CREATE TABLE content_page_versions (
    page_id   bigint      NOT NULL REFERENCES content_pages ON DELETE CASCADE,
    version   bigint      NOT NULL,
    title     text        NOT NULL,
    body      text        NOT NULL,
    saved_at  timestamptz NOT NULL,
    saved_by  text        NOT NULL,
    PRIMARY KEY (page_id, version)
);

CREATE TABLE content_redirects (
    site     text   NOT NULL,
    old_key  text   NOT NULL,
    page_id  bigint NOT NULL REFERENCES content_pages ON DELETE CASCADE,
    PRIMARY KEY (site, old_key)
);

CREATE TABLE content_blocks (
    site        text        NOT NULL CHECK (site IN ('es', 'fr', 'pt', 'it')),
    slot        text        NOT NULL CHECK (slot IN ('site_notice', 'home_banner')),
    body        text        NOT NULL,
    active      boolean     NOT NULL,
    version     bigint      NOT NULL DEFAULT 1,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (site, slot)
);

CREATE TABLE seller_identities (
    site                 text        PRIMARY KEY CHECK (site IN ('es', 'fr', 'pt', 'it')),
    company_name         text        NOT NULL,
    tax_id               text        NOT NULL,
    address              text        NOT NULL,
    registry             text        NOT NULL,
    email                text        NOT NULL,
    phone                text        NOT NULL,
    host                 text        NOT NULL,
    publication_director text        NOT NULL,
    dispute_body         text        NOT NULL,
    version              bigint      NOT NULL DEFAULT 1,
    updated_at           timestamptz NOT NULL
);

ALTER TABLE catalog_changes DROP CONSTRAINT catalog_changes_kind_check;
ALTER TABLE catalog_changes ADD CONSTRAINT catalog_changes_kind_check
    CHECK (kind IN ('product', 'price', 'stock', 'category', 'reset', 'content'));

-- The terms the shopper accepted at checkout: the page and its version, and when.
ALTER TABLE orders ADD COLUMN terms_page_id bigint;
ALTER TABLE orders ADD COLUMN terms_version bigint;
ALTER TABLE orders ADD COLUMN terms_accepted_at timestamptz;
