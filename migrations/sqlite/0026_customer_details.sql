-- What an old shop's account held besides the name and e-mail address (Magento's
-- customer attributes and address fields), kept with the account.
ALTER TABLE customers ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN company TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN tax_id TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN birth_date TEXT;
ALTER TABLE customers ADD COLUMN gender TEXT CHECK (gender IN ('female', 'male', 'other'));
ALTER TABLE customers ADD COLUMN customer_group TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN locale TEXT CHECK (locale IN ('es', 'fr', 'pt', 'it'));
ALTER TABLE customer_addresses ADD COLUMN company TEXT NOT NULL DEFAULT '';
ALTER TABLE customer_addresses ADD COLUMN region TEXT NOT NULL DEFAULT '';
ALTER TABLE customer_addresses ADD COLUMN phone TEXT NOT NULL DEFAULT '';
