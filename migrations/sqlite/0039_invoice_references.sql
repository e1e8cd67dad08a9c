-- An invoice may refer to another: a rectifying invoice to the one it corrects, a
-- full invoice issued on request (F3) to the simplified one it replaces.
ALTER TABLE invoices RENAME COLUMN rectifies_id TO refers_to_id;
