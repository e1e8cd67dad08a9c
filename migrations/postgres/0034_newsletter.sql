-- Who asked for the newsletter, on which site, since when: the consent record a
-- mailing needs (GDPR art. 7). A subscriber who leaves keeps the row, marked, so
-- that importing the old shop's list again never subscribes them anew.
CREATE TABLE newsletter_subscribers (
    -- As accounts keep addresses: `Email::parse`'s form.
    email            text        PRIMARY KEY,
    site             text        NOT NULL CHECK (site IN ('es', 'fr', 'pt', 'it')),
    subscribed_at    timestamptz NOT NULL,
    unsubscribed_at  timestamptz,
    -- Where the consent was given: `account` or `magento` (the old shop's list).
    source           text        NOT NULL
);

-- An erased customer's orders of the old shop are restricted and masked as their
-- own orders are.
ALTER TABLE legacy_orders ADD COLUMN restricted_until timestamptz;
ALTER TABLE legacy_orders ADD COLUMN masked_at timestamptz;
