-- The back office's staff accounts and the audit log of every change they make.
CREATE TABLE staff (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Lower-cased, like customers' addresses.
    email          text        NOT NULL UNIQUE CHECK (email <> ''),
    name           text        NOT NULL,
    role           text        NOT NULL CHECK (role IN ('admin', 'catalogue', 'orders', 'support')),
    -- argon2id in PHC form.
    password_hash  text        NOT NULL,
    -- A staff member who leaves is disabled, never deleted: the audit log names them.
    active         boolean     NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL
);

-- Who changed what, when, and the values before and after (JSON text, so both
-- backends store it alike). Rows are only ever inserted.
CREATE TABLE audit_log (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         timestamptz NOT NULL,
    -- NULL for the command line.
    staff_id   bigint      REFERENCES staff,
    -- The staff member's e-mail address at the time, or `command line`.
    actor      text        NOT NULL,
    action     text        NOT NULL,
    entity     text        NOT NULL,
    entity_id  text        NOT NULL,
    old_values text,
    new_values text
);
CREATE INDEX audit_log_at_idx ON audit_log (at, id);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id);
CREATE INDEX audit_log_staff_idx ON audit_log (staff_id);
