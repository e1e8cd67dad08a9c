-- Every version of a product's price on a site, for the reference price a reduction
-- is announced against (Directive 98/6/EC art. 6a: the lowest price of the 30 days
-- before the reduction began). Triggers record each change however it is made
-- (back office, import, price command); a version equal to the latest is not
-- recorded again, so deleting and re-inserting an offer unchanged leaves no trace.
CREATE TABLE offer_history (
    product_id        INTEGER NOT NULL REFERENCES products ON DELETE CASCADE,
    site              TEXT    NOT NULL CHECK (site IN ('es', 'fr', 'pt', 'it')),
    valid_from        TEXT    NOT NULL,
    price_cents       INTEGER NOT NULL CHECK (price_cents >= 0),
    sale_price_cents  INTEGER CHECK (sale_price_cents >= 0),
    sale_starts_at    TEXT,
    sale_ends_at      TEXT,
    PRIMARY KEY (product_id, site, valid_from)
);

-- SQLite has no trigger functions and a trigger fires on one event: the insert and
-- update triggers below are the same. Two changes within the same millisecond share
-- a time: the later one wins.
CREATE TRIGGER offer_history_on_insert AFTER INSERT ON product_sites
WHEN NOT EXISTS (
    SELECT 1
    FROM (SELECT * FROM offer_history h
          WHERE h.product_id = NEW.product_id AND h.site = NEW.site
          ORDER BY h.valid_from DESC LIMIT 1) latest
    WHERE latest.price_cents = NEW.price_cents
      AND latest.sale_price_cents IS NEW.sale_price_cents
      AND latest.sale_starts_at IS NEW.sale_starts_at
      AND latest.sale_ends_at IS NEW.sale_ends_at
)
BEGIN
    INSERT OR REPLACE INTO offer_history (product_id, site, valid_from, price_cents,
                                          sale_price_cents, sale_starts_at, sale_ends_at)
    VALUES (NEW.product_id, NEW.site, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), NEW.price_cents,
            NEW.sale_price_cents, NEW.sale_starts_at, NEW.sale_ends_at);
END;

CREATE TRIGGER offer_history_on_update
AFTER UPDATE OF price_cents, sale_price_cents, sale_starts_at, sale_ends_at ON product_sites
WHEN NOT EXISTS (
    SELECT 1
    FROM (SELECT * FROM offer_history h
          WHERE h.product_id = NEW.product_id AND h.site = NEW.site
          ORDER BY h.valid_from DESC LIMIT 1) latest
    WHERE latest.price_cents = NEW.price_cents
      AND latest.sale_price_cents IS NEW.sale_price_cents
      AND latest.sale_starts_at IS NEW.sale_starts_at
      AND latest.sale_ends_at IS NEW.sale_ends_at
)
BEGIN
    INSERT OR REPLACE INTO offer_history (product_id, site, valid_from, price_cents,
                                          sale_price_cents, sale_starts_at, sale_ends_at)
    VALUES (NEW.product_id, NEW.site, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), NEW.price_cents,
            NEW.sale_price_cents, NEW.sale_starts_at, NEW.sale_ends_at);
END;

-- What is known today: each offer as it stands, since its product was created.
INSERT INTO offer_history (product_id, site, valid_from, price_cents, sale_price_cents,
                           sale_starts_at, sale_ends_at)
SELECT ps.product_id, ps.site, p.created_at, ps.price_cents, ps.sale_price_cents,
       ps.sale_starts_at, ps.sale_ends_at
FROM product_sites ps JOIN products p ON p.id = ps.product_id;
