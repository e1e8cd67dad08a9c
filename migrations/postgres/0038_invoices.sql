-- Invoices, issued once and never changed (RD 1619/2012), from series gapless per
-- invoice type and year for the whole company; and VERI*FACTU's chain of records
-- (RD 1007/2023), one for the company, kept forever.

-- The last number of each series: issuing takes the next one in the transaction
-- that marks the order paid, holding the row until it commits, so two replicas
-- never skip or repeat a number.
CREATE TABLE invoice_series (
    invoice_type  text    NOT NULL CHECK (invoice_type IN ('F1', 'F2', 'F3', 'R1', 'R4', 'R5')),
    year          integer NOT NULL,
    last_number   bigint  NOT NULL CHECK (last_number >= 1),
    PRIMARY KEY (invoice_type, year)
);

CREATE TABLE invoices (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- 'F2-2027-000123'.
    number          text        NOT NULL UNIQUE,
    invoice_type    text        NOT NULL CHECK (invoice_type IN ('F1', 'F2', 'F3', 'R1', 'R4', 'R5')),
    year            integer     NOT NULL,
    sequence        bigint      NOT NULL CHECK (sequence >= 1),
    order_id        bigint      NOT NULL REFERENCES orders,
    -- The invoice a rectifying invoice corrects.
    rectifies_id    bigint      REFERENCES invoices,
    issued_at       timestamptz NOT NULL,
    -- Its date on Madrid's clock, as printed and registered: '2027-01-04'.
    issued_on       text        NOT NULL,
    -- The language it is written in: the order's site's.
    site            text        NOT NULL CHECK (site IN ('es', 'fr', 'pt', 'it')),
    treatment       text        NOT NULL
                                CHECK (treatment IN ('domestic', 'distance_sale', 'intra_community', 'export')),
    -- The country a distance sale or intra-community supply goes to.
    destination     text        NOT NULL CHECK (destination IN ('ES', 'FR', 'PT', 'IT')),
    seller_name     text        NOT NULL,
    seller_tax_id   text        NOT NULL,
    seller_address  text        NOT NULL,
    -- A simplified invoice may name no buyer.
    buyer_name      text,
    buyer_tax_id    text,
    buyer_address   text,
    net_cents       bigint      NOT NULL,
    vat_cents       bigint      NOT NULL,
    total_cents     bigint      NOT NULL,
    UNIQUE (invoice_type, year, sequence)
);
CREATE INDEX invoices_order_idx ON invoices (order_id);
CREATE INDEX invoices_issued_idx ON invoices (issued_at);

CREATE TABLE invoice_lines (
    invoice_id      bigint  NOT NULL REFERENCES invoices,
    position        integer NOT NULL,
    description     text    NOT NULL,
    sku             text    NOT NULL,
    quantity        bigint  NOT NULL,
    unit_cents      bigint  NOT NULL,
    discount_cents  bigint  NOT NULL,
    net_cents       bigint  NOT NULL,
    vat_cents       bigint  NOT NULL,
    -- None where no VAT applies (an export).
    vat_rate_bp     integer,
    PRIMARY KEY (invoice_id, position)
);

-- Every record of the chain, in order, with its fields exactly as they entered its
-- footprint; only its submission state changes.
CREATE TABLE verifactu_records (
    id                  bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    chain_position      bigint      NOT NULL UNIQUE CHECK (chain_position >= 1),
    invoice_id          bigint      NOT NULL REFERENCES invoices,
    record_type         text        NOT NULL CHECK (record_type IN ('alta', 'anulacion')),
    correction          boolean     NOT NULL DEFAULT false,
    issuer_tax_id       text        NOT NULL,
    invoice_number      text        NOT NULL,
    -- 'dd-mm-yyyy', as hashed.
    issued_on           text        NOT NULL,
    -- A registration's type and amounts ('4.34', as hashed).
    invoice_type        text,
    vat_total           text,
    total               text,
    previous_footprint  text        NOT NULL,
    footprint           text        NOT NULL UNIQUE,
    -- '2027-01-04T10:15:02+01:00', as hashed.
    generated_at        text        NOT NULL,
    -- Submission to the AEAT.
    state               text        NOT NULL DEFAULT 'queued'
                                    CHECK (state IN ('queued', 'accepted', 'accepted_with_errors', 'rejected')),
    aeat_code           text,
    aeat_message        text,
    sent_at             timestamptz
);
CREATE INDEX verifactu_records_invoice_idx ON verifactu_records (invoice_id);
CREATE INDEX verifactu_records_queued_idx ON verifactu_records (chain_position) WHERE state = 'queued';

-- The chain's head, one row: a record is made holding it until its transaction
-- commits, so concurrent replicas never fork the chain.
CREATE TABLE verifactu_chain (
    id              integer PRIMARY KEY CHECK (id = 1),
    last_position   bigint  NOT NULL,
    last_footprint  text    NOT NULL
);
INSERT INTO verifactu_chain (id, last_position, last_footprint) VALUES (1, 0, '');
