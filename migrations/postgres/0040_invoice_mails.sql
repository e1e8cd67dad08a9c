-- A mail may carry an invoice, by its number: the mail worker attaches its PDF,
-- made when the mail is sent (an invoice never changes, so neither does its PDF).
-- No foreign key: a demo's reseed truncates invoices (dropping their mails first).
ALTER TABLE outbox ADD COLUMN invoice_number text;
