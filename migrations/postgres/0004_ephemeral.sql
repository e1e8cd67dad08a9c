-- Short-lived values (sessions, carts) when no Redis is configured: a key, its bytes,
-- and when it expires. Expired rows are ignored on read and purged in the background.
CREATE TABLE ephemeral (
    key         text        PRIMARY KEY,
    value       bytea       NOT NULL,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX ephemeral_expires_at_idx ON ephemeral (expires_at);
