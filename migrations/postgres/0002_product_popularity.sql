-- Units sold recently: the "best sellers" sort of listings and search.
ALTER TABLE products ADD COLUMN popularity integer NOT NULL DEFAULT 0 CHECK (popularity >= 0);
