-- When each product last changed in more than its stock (sitemaps' lastmod), read
-- without scanning every stock change of the log.
CREATE INDEX catalog_changes_by_product ON catalog_changes (product_id, changed_at)
    WHERE kind IN ('product', 'price');
