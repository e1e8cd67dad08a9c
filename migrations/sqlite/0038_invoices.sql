-- Invoices, as in migrations/postgres: issued once and never changed (RD 1619/2012), from series gapless per
-- invoice type and year for the whole company; and VERI*FACTU's chain of records
-- (RD 1007/2023), one for the company, kept forever.

-- The last number of each series: issuing takes the next one in the transaction
-- that marks the order paid, holding the row until it commits, so two replicas
-- never skip or repeat a number.
CREATE TABLE invoice_series (
    invoice_type  TEXT    NOT NULL CHECK (invoice_type IN ('F1', 'F2', 'F3', 'R1', 'R4', 'R5')),
    year          INTEGER NOT NULL,
    last_number   INTEGER  NOT NULL CHECK (last_number >= 1),
    PRIMARY KEY (invoice_type, year)
) STRICT;

CREATE TABLE invoices (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    -- 'F2-2027-000123'.
    number          TEXT        NOT NULL UNIQUE,
    invoice_type    TEXT        NOT NULL CHECK (invoice_type IN ('F1', 'F2', 'F3', 'R1', 'R4', 'R5')),
    year            INTEGER     NOT NULL,
    sequence        INTEGER      NOT NULL CHECK (sequence >= 1),
    order_id        INTEGER      NOT NULL REFERENCES orders,
    -- The invoice a rectifying invoice corrects.
    rectifies_id    INTEGER      REFERENCES invoices,
    issued_at       TEXT NOT NULL,
    -- Its date on Madrid's clock, as printed and registered: '2027-01-04'.
    issued_on       TEXT        NOT NULL,
    -- The language it is written in: the order's site's.
    site            TEXT        NOT NULL CHECK (site IN ('es', 'fr', 'pt', 'it')),
    treatment       TEXT        NOT NULL
                                CHECK (treatment IN ('domestic', 'distance_sale', 'intra_community', 'export')),
    -- The country a distance sale or intra-community supply goes to.
    destination     TEXT        NOT NULL CHECK (destination IN ('ES', 'FR', 'PT', 'IT')),
    seller_name     TEXT        NOT NULL,
    seller_tax_id   TEXT        NOT NULL,
    seller_address  TEXT        NOT NULL,
    -- A simplified invoice may name no buyer.
    buyer_name      TEXT,
    buyer_tax_id    TEXT,
    buyer_address   TEXT,
    net_cents       INTEGER      NOT NULL,
    vat_cents       INTEGER      NOT NULL,
    total_cents     INTEGER      NOT NULL,
    UNIQUE (invoice_type, year, sequence)
) STRICT;
CREATE INDEX invoices_order_idx ON invoices (order_id);
CREATE INDEX invoices_issued_idx ON invoices (issued_at);

CREATE TABLE invoice_lines (
    invoice_id      INTEGER  NOT NULL REFERENCES invoices,
    position        INTEGER NOT NULL,
    description     TEXT    NOT NULL,
    sku             TEXT    NOT NULL,
    quantity        INTEGER  NOT NULL,
    unit_cents      INTEGER  NOT NULL,
    discount_cents  INTEGER  NOT NULL,
    net_cents       INTEGER  NOT NULL,
    vat_cents       INTEGER  NOT NULL,
    -- None where no VAT applies (an export).
    vat_rate_bp     INTEGER,
    PRIMARY KEY (invoice_id, position)
) STRICT;

-- Every record of the chain, in order, with its fields exactly as they entered its
-- footprint; only its submission state changes.
CREATE TABLE verifactu_records (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    chain_position      INTEGER      NOT NULL UNIQUE CHECK (chain_position >= 1),
    invoice_id          INTEGER      NOT NULL REFERENCES invoices,
    record_type         TEXT        NOT NULL CHECK (record_type IN ('alta', 'anulacion')),
    correction          INTEGER     NOT NULL DEFAULT 0 CHECK (correction IN (0, 1)),
    issuer_tax_id       TEXT        NOT NULL,
    invoice_number      TEXT        NOT NULL,
    -- 'dd-mm-yyyy', as hashed.
    issued_on           TEXT        NOT NULL,
    -- A registration's type and amounts ('4.34', as hashed).
    invoice_type        TEXT,
    vat_total           TEXT,
    total               TEXT,
    previous_footprint  TEXT        NOT NULL,
    footprint           TEXT        NOT NULL UNIQUE,
    -- '2027-01-04T10:15:02+01:00', as hashed.
    generated_at        TEXT        NOT NULL,
    -- Submission to the AEAT.
    state               TEXT        NOT NULL DEFAULT 'queued'
                                    CHECK (state IN ('queued', 'accepted', 'accepted_with_errors', 'rejected')),
    aeat_code           TEXT,
    aeat_message        TEXT,
    sent_at             TEXT
) STRICT;
CREATE INDEX verifactu_records_invoice_idx ON verifactu_records (invoice_id);
CREATE INDEX verifactu_records_queued_idx ON verifactu_records (chain_position) WHERE state = 'queued';

-- The chain's head, one row: a record is made holding it until its transaction
-- commits, so concurrent replicas never fork the chain.
CREATE TABLE verifactu_chain (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    last_position   INTEGER  NOT NULL,
    last_footprint  TEXT    NOT NULL
) STRICT;
INSERT INTO verifactu_chain (id, last_position, last_footprint) VALUES (1, 0, '');
