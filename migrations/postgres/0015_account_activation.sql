-- Registration never tells whether an address has an account: a new account waits
-- for its owner to follow the link mailed to it. Accounts from before (and
-- imported ones) are active.
ALTER TABLE customers ADD COLUMN activated_at timestamptz;
UPDATE customers SET activated_at = created_at;

-- One-time activation links; only a SHA-256 of the token is kept.
CREATE TABLE account_activations (
    token_hash   text        PRIMARY KEY,
    customer_id  bigint      NOT NULL REFERENCES customers ON DELETE CASCADE,
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz
);
CREATE INDEX account_activations_customer_idx ON account_activations (customer_id);
