-- Who asked for the newsletter, on which site, since when: the consent record a
-- mailing needs (GDPR art. 7). A subscriber who leaves keeps the row, marked, so
-- that importing the old shop's list again never subscribes them anew.
CREATE TABLE newsletter_subscribers (
    -- As accounts keep addresses: `Email::parse`'s form.
    email            TEXT    PRIMARY KEY,
    site             TEXT    NOT NULL CHECK (site IN ('es', 'fr', 'pt', 'it')),
    subscribed_at    TEXT    NOT NULL,
    unsubscribed_at  TEXT,
    -- Where the consent was given: `account` or `magento` (the old shop's list).
    source           TEXT    NOT NULL
) STRICT;

-- An erased customer's orders of the old shop are restricted and masked as their
-- own orders are.
ALTER TABLE legacy_orders ADD COLUMN restricted_until TEXT;
ALTER TABLE legacy_orders ADD COLUMN masked_at TEXT;
