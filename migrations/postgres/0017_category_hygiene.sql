-- Goods a shopper may not send back once unsealed, for hygiene (wigs, make-up): the
-- right of withdrawal excludes them (Directive 2011/83/EU, art. 16(e)). Marked on the
-- category, for everything in it and below it.
ALTER TABLE categories ADD COLUMN hygiene_sealed boolean NOT NULL DEFAULT false;
