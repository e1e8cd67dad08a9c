-- Mails to send. Written in the same transaction as what they announce, sent later by
-- a worker with retries: a mail server outage loses nothing and delays no checkout.
CREATE TABLE outbox (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recipient        text        NOT NULL CHECK (recipient <> ''),
    subject          text        NOT NULL,
    body             text        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    -- A worker that took a mail holds it until then; if it dies, another takes over.
    claimed_until    timestamptz,
    sent_at          timestamptz,
    last_error       text
);
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE sent_at IS NULL;
