-- Old URLs of imported products, as in migrations/postgres.
CREATE TABLE url_redirects (
    site        TEXT    NOT NULL CHECK (site IN ('es', 'fr', 'pt', 'it')),
    path        TEXT    NOT NULL CHECK (path <> ''),
    product_id  INTEGER NOT NULL REFERENCES products ON DELETE CASCADE,
    PRIMARY KEY (site, path)
) STRICT;
