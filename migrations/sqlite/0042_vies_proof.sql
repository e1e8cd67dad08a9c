-- A business buyer's VAT number of another member state, as VIES confirmed it
-- ('VIES 2027-01-04T10:15:02+00:00 WAPIAAAAZ...'): the order is an exempt
-- intra-community supply, invoiced without VAT, listed in the modelo 349.
ALTER TABLE orders ADD COLUMN invoice_vies_proof TEXT;
