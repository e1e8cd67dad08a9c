-- Every version of a product's price on a site, for the reference price a reduction
-- is announced against (Directive 98/6/EC art. 6a: the lowest price of the 30 days
-- before the reduction began). A trigger records each change however it is made
-- (back office, import, price command); a version equal to the latest is not
-- recorded again, so deleting and re-inserting an offer unchanged leaves no trace.
CREATE TABLE offer_history (
    product_id        bigint      NOT NULL REFERENCES products ON DELETE CASCADE,
    site              text        NOT NULL CHECK (site IN ('es', 'fr', 'pt', 'it')),
    valid_from        timestamptz NOT NULL,
    price_cents       bigint      NOT NULL CHECK (price_cents >= 0),
    sale_price_cents  bigint      CHECK (sale_price_cents >= 0),
    sale_starts_at    timestamptz,
    sale_ends_at      timestamptz,
    PRIMARY KEY (product_id, site, valid_from)
);

CREATE FUNCTION record_offer_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1
        FROM (SELECT * FROM offer_history h
              WHERE h.product_id = NEW.product_id AND h.site = NEW.site
              ORDER BY h.valid_from DESC LIMIT 1) latest
        WHERE latest.price_cents = NEW.price_cents
          AND latest.sale_price_cents IS NOT DISTINCT FROM NEW.sale_price_cents
          AND latest.sale_starts_at IS NOT DISTINCT FROM NEW.sale_starts_at
          AND latest.sale_ends_at IS NOT DISTINCT FROM NEW.sale_ends_at
    ) THEN
        -- Two changes in one transaction share now(): the later one wins.
        INSERT INTO offer_history (product_id, site, valid_from, price_cents,
                                   sale_price_cents, sale_starts_at, sale_ends_at)
        VALUES (NEW.product_id, NEW.site, now(), NEW.price_cents,
                NEW.sale_price_cents, NEW.sale_starts_at, NEW.sale_ends_at)
        ON CONFLICT (product_id, site, valid_from) DO UPDATE SET
            price_cents = EXCLUDED.price_cents,
            sale_price_cents = EXCLUDED.sale_price_cents,
            sale_starts_at = EXCLUDED.sale_starts_at,
            sale_ends_at = EXCLUDED.sale_ends_at;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER offer_history_on_change
    AFTER INSERT OR UPDATE OF price_cents, sale_price_cents, sale_starts_at, sale_ends_at
    ON product_sites FOR EACH ROW EXECUTE FUNCTION record_offer_version();

-- What is known today: each offer as it stands, since its product was created.
INSERT INTO offer_history (product_id, site, valid_from, price_cents, sale_price_cents,
                           sale_starts_at, sale_ends_at)
SELECT ps.product_id, ps.site, p.created_at, ps.price_cents, ps.sale_price_cents,
       ps.sale_starts_at, ps.sale_ends_at
FROM product_sites ps JOIN products p ON p.id = ps.product_id;
