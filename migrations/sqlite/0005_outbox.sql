-- Mails to send, as in migrations/postgres.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient        TEXT    NOT NULL CHECK (recipient <> ''),
    subject          TEXT    NOT NULL,
    body             TEXT    NOT NULL,
    created_at       TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT    NOT NULL,
    claimed_until    TEXT,
    sent_at          TEXT,
    last_error       TEXT
) STRICT;
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE sent_at IS NULL;
