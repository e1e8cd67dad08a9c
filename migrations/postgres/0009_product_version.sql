-- Optimistic concurrency for the back office's product editor: every staff save
-- increments the version it was based on, and a save based on an older version is
-- refused. Orders moving stock do not touch it.
ALTER TABLE products ADD COLUMN version bigint NOT NULL DEFAULT 0;
