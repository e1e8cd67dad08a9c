-- Optimistic concurrency for the product editor, as in migrations/postgres.
ALTER TABLE products ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
