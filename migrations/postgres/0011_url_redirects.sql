-- Old URLs of imported products (Magento's `url_key.html` and `url_path` per store
-- view), answered with a 301 to the product's page on that site.
CREATE TABLE url_redirects (
    site        text   NOT NULL CHECK (site IN ('es', 'fr', 'pt', 'it')),
    -- The path within the site, without its leading slash.
    path        text   NOT NULL CHECK (path <> ''),
    product_id  bigint NOT NULL REFERENCES products ON DELETE CASCADE,
    PRIMARY KEY (site, path)
);
