-- What carriers and invoices need of an order: a phone number to call, the province
-- of an Italian address, and, when the shopper asks for an invoice in a company's
-- (or their own) name, its tax id and billing address.
ALTER TABLE orders ADD COLUMN phone text NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN ship_region text NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN invoice_tax_id text;
ALTER TABLE orders ADD COLUMN invoice_name text;
ALTER TABLE orders ADD COLUMN invoice_street text;
ALTER TABLE orders ADD COLUMN invoice_postcode text;
ALTER TABLE orders ADD COLUMN invoice_city text;
ALTER TABLE orders ADD COLUMN invoice_country text;
