-- Where a migrated rule came from ('magento:12'), so that a migration run again
-- finds the rules it wrote; none for rules staff made here.
ALTER TABLE promotion_rules ADD COLUMN source text;
CREATE UNIQUE INDEX promotion_rules_source_idx ON promotion_rules (source);
