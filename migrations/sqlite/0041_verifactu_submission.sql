-- Sending VERI*FACTU records to the AEAT: how often each was tried (an answer that a
-- record is a duplicate, on a retry, means AEAT has it already), and the sender's
-- one row: when AEAT lets it send next, since when AEAT has been unreachable (the
-- records sent after it carry Incidencia = S), what went wrong last, and the lease
-- that keeps a second back office from sending at the same time.
ALTER TABLE verifactu_records ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;

CREATE TABLE verifactu_submission (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    next_send_at     TEXT,
    outage_since     TEXT,
    failures         INTEGER NOT NULL DEFAULT 0,
    last_attempt_at  TEXT,
    last_error       TEXT,
    lease_until      TEXT
);
INSERT INTO verifactu_submission (id) VALUES (1);
