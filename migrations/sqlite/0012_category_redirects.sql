-- Old URLs of imported categories, as in migrations/postgres.
CREATE TABLE category_redirects (
    site         TEXT    NOT NULL CHECK (site IN ('es', 'fr', 'pt', 'it')),
    path         TEXT    NOT NULL CHECK (path <> ''),
    category_id  INTEGER NOT NULL REFERENCES categories ON DELETE CASCADE,
    PRIMARY KEY (site, path)
) STRICT;
