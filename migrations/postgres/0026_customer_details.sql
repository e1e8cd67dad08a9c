-- What an old shop's account held besides the name and e-mail address (Magento's
-- customer attributes and address fields), kept with the account.
ALTER TABLE customers ADD COLUMN phone text NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN company text NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN tax_id text NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN birth_date date;
ALTER TABLE customers ADD COLUMN gender text CHECK (gender IN ('female', 'male', 'other'));
ALTER TABLE customers ADD COLUMN customer_group text NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN locale text CHECK (locale IN ('es', 'fr', 'pt', 'it'));
ALTER TABLE customer_addresses ADD COLUMN company text NOT NULL DEFAULT '';
ALTER TABLE customer_addresses ADD COLUMN region text NOT NULL DEFAULT '';
ALTER TABLE customer_addresses ADD COLUMN phone text NOT NULL DEFAULT '';
