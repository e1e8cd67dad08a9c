-- Old URLs of the categories an import names (Magento's category `url_path` with
-- its `.html` suffix), answered with a 301 to the category's page on that site.
CREATE TABLE category_redirects (
    site         text   NOT NULL CHECK (site IN ('es', 'fr', 'pt', 'it')),
    -- The path within the site, without its leading slash.
    path         text   NOT NULL CHECK (path <> ''),
    category_id  bigint NOT NULL REFERENCES categories ON DELETE CASCADE,
    PRIMARY KEY (site, path)
);
