-- Customers' requests to be erased (GDPR art. 17), decided by staff. Once carried
-- out, a request keeps only a masked address, as the record that it was done.
CREATE TABLE erasure_requests (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id   INTEGER REFERENCES customers ON DELETE SET NULL,
    email         TEXT    NOT NULL,
    site          TEXT    NOT NULL CHECK (site IN ('es', 'fr', 'pt', 'it')),
    requested_at  TEXT    NOT NULL,
    status        TEXT    NOT NULL DEFAULT 'requested'
                          CHECK (status IN ('requested', 'erased', 'refused')),
    decided_at    TEXT,
    decided_by    TEXT,
    reason        TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE UNIQUE INDEX erasure_requests_pending ON erasure_requests (customer_id)
    WHERE status = 'requested';

-- An erased customer's orders are kept intact for tax law, restricted until then,
-- and masked after.
ALTER TABLE orders ADD COLUMN restricted_until TEXT;
ALTER TABLE orders ADD COLUMN masked_at TEXT;
CREATE INDEX orders_restricted_idx ON orders (restricted_until)
    WHERE restricted_until IS NOT NULL AND masked_at IS NULL;
