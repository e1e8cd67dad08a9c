-- Short-lived values (sessions, carts), as in migrations/postgres.
CREATE TABLE ephemeral (
    key         TEXT PRIMARY KEY,
    value       BLOB NOT NULL,
    expires_at  TEXT NOT NULL
) STRICT;
CREATE INDEX ephemeral_expires_at_idx ON ephemeral (expires_at);
