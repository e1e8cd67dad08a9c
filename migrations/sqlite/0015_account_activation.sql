-- Account activation, as in migrations/postgres/0015_account_activation.sql.
ALTER TABLE customers ADD COLUMN activated_at TEXT;
UPDATE customers SET activated_at = created_at;

CREATE TABLE account_activations (
    token_hash   TEXT    PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers ON DELETE CASCADE,
    expires_at   TEXT    NOT NULL,
    used_at      TEXT
) STRICT;
CREATE INDEX account_activations_customer_idx ON account_activations (customer_id);
