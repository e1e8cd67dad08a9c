-- A small Magento CE 1.9 shop, for the database migration's tests
-- (`comptoir import-magento`). The tables are those the migration reads, with
-- their columns as Magento 1.9's install and upgrade scripts create them (the
-- columns it does not read kept where they give a row its shape); the data is
-- ours: a costume shop with store views for Spain (the default), France,
-- Portugal and Italy, and a German one no Comptoir site takes.
--
-- What it holds, and what each part checks:
-- * categories Disfraces > Mujer, Hombre and Accesorios > Pelucas, translated per
--   store view; "Huérfana", whose parent is missing;
-- * the configurable witch costume BRUJA in sizes S, M, L (children with their own
--   stock, M dearer by 5 €), the pirate hat SOMBRERO by size and colour, the wig
--   PELUCA-RUBIA on sale with two gallery images, a tier price and a group price;
-- * what cannot be migrated: a bundle, a grouped and a virtual product, a product
--   without SKU, a configurable whose child is missing, a description that is not
--   UTF-8;
-- * URL rewrites for products (alone and under category paths), categories, a
--   custom permanent redirect, one pointing nowhere;
-- * CMS pages and a block with Magento's directives;
-- * a customer with an address, a newsletter subscription and an order that was
--   invoiced and shipped with a tracking number; reviews.
--
-- Loaded by the tests into a database of their own:
--   mysql -h 127.0.0.1 -u root magento_fixture < tests/data/magento19.sql

SET NAMES utf8;
SET FOREIGN_KEY_CHECKS = 0;
-- As Magento's dumps say, so that the admin rows keep their id 0.
SET SQL_MODE = 'NO_AUTO_VALUE_ON_ZERO';

CREATE TABLE core_website (
  website_id smallint(5) unsigned NOT NULL AUTO_INCREMENT,
  code varchar(32) DEFAULT NULL,
  name varchar(64) DEFAULT NULL,
  sort_order smallint(5) unsigned NOT NULL DEFAULT '0',
  default_group_id smallint(5) unsigned NOT NULL DEFAULT '0',
  is_default smallint(5) unsigned DEFAULT '0',
  PRIMARY KEY (website_id),
  UNIQUE KEY UNQ_CORE_WEBSITE_CODE (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO core_website VALUES (0, 'admin', 'Admin', 0, 0, 0), (1, 'base', 'Main Website', 0, 1, 1);

CREATE TABLE core_store_group (
  group_id smallint(5) unsigned NOT NULL AUTO_INCREMENT,
  website_id smallint(5) unsigned NOT NULL DEFAULT '0',
  name varchar(255) NOT NULL,
  root_category_id int(10) unsigned NOT NULL DEFAULT '0',
  default_store_id smallint(5) unsigned NOT NULL DEFAULT '0',
  PRIMARY KEY (group_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO core_store_group VALUES (0, 0, 'Default', 0, 0), (1, 1, 'Tienda de disfraces', 2, 1);

CREATE TABLE core_store (
  store_id smallint(5) unsigned NOT NULL AUTO_INCREMENT,
  code varchar(32) DEFAULT NULL,
  website_id smallint(5) unsigned NOT NULL DEFAULT '0',
  group_id smallint(5) unsigned NOT NULL DEFAULT '0',
  name varchar(255) NOT NULL,
  sort_order smallint(5) unsigned NOT NULL DEFAULT '0',
  is_active smallint(5) unsigned NOT NULL DEFAULT '0',
  PRIMARY KEY (store_id),
  UNIQUE KEY UNQ_CORE_STORE_CODE (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO core_store VALUES
  (0, 'admin', 0, 0, 'Admin', 0, 1),
  (1, 'default', 1, 1, 'Español', 0, 1),
  (2, 'fr', 1, 1, 'Français', 1, 1),
  (3, 'pt', 1, 1, 'Português', 2, 1),
  (4, 'it', 1, 1, 'Italiano', 3, 1),
  (5, 'de', 1, 1, 'Deutsch', 4, 0);

CREATE TABLE core_config_data (
  config_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  scope varchar(8) NOT NULL DEFAULT 'default',
  scope_id int(11) NOT NULL DEFAULT '0',
  path varchar(255) NOT NULL DEFAULT 'general',
  value text,
  PRIMARY KEY (config_id),
  UNIQUE KEY UNQ_CORE_CONFIG_DATA_SCOPE_SCOPE_ID_PATH (scope, scope_id, path)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO core_config_data (scope, scope_id, path, value) VALUES
  ('default', 0, 'tax/calculation/price_includes_tax', '1'),
  ('default', 0, 'catalog/seo/product_url_suffix', '.html'),
  ('default', 0, 'catalog/seo/category_url_suffix', '.html'),
  ('default', 0, 'web/unsecure/base_url', 'http://www.disfraces-ejemplo.es/'),
  ('stores', 2, 'web/unsecure/base_url', 'http://www.deguisements-exemple.fr/');

CREATE TABLE eav_entity_type (
  entity_type_id smallint(5) unsigned NOT NULL AUTO_INCREMENT,
  entity_type_code varchar(50) NOT NULL,
  entity_model varchar(255) NOT NULL,
  entity_table varchar(255) DEFAULT NULL,
  PRIMARY KEY (entity_type_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO eav_entity_type VALUES
  (1, 'customer', 'customer/customer', 'customer/entity'),
  (2, 'customer_address', 'customer/address', 'customer/address_entity'),
  (3, 'catalog_category', 'catalog/category', 'catalog/category'),
  (4, 'catalog_product', 'catalog/product', 'catalog/product');

CREATE TABLE eav_attribute (
  attribute_id smallint(5) unsigned NOT NULL AUTO_INCREMENT,
  entity_type_id smallint(5) unsigned NOT NULL DEFAULT '0',
  attribute_code varchar(255) DEFAULT NULL,
  backend_type varchar(8) NOT NULL DEFAULT 'static',
  frontend_input varchar(50) DEFAULT NULL,
  frontend_label varchar(255) DEFAULT NULL,
  source_model varchar(255) DEFAULT NULL,
  is_required smallint(5) unsigned NOT NULL DEFAULT '0',
  is_user_defined smallint(5) unsigned NOT NULL DEFAULT '0',
  PRIMARY KEY (attribute_id),
  UNIQUE KEY UNQ_EAV_ATTRIBUTE_ENTITY_TYPE_ID_ATTRIBUTE_CODE (entity_type_id, attribute_code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO eav_attribute VALUES
  (5, 1, 'firstname', 'varchar', 'text', 'First Name', NULL, 1, 0),
  (7, 1, 'lastname', 'varchar', 'text', 'Last Name', NULL, 1, 0),
  (11, 1, 'dob', 'datetime', 'date', 'Date Of Birth', NULL, 0, 0),
  (12, 1, 'password_hash', 'varchar', 'hidden', NULL, NULL, 0, 0),
  (13, 1, 'default_billing', 'int', 'text', 'Default Billing Address', NULL, 0, 0),
  (14, 1, 'default_shipping', 'int', 'text', 'Default Shipping Address', NULL, 0, 0),
  (15, 1, 'taxvat', 'varchar', 'text', 'Tax/VAT number', NULL, 0, 0),
  (18, 1, 'gender', 'int', 'select', 'Gender', 'eav/entity_attribute_source_table', 0, 0),
  (20, 2, 'firstname', 'varchar', 'text', 'First Name', NULL, 1, 0),
  (22, 2, 'lastname', 'varchar', 'text', 'Last Name', NULL, 1, 0),
  (24, 2, 'company', 'varchar', 'text', 'Company', NULL, 0, 0),
  (25, 2, 'street', 'text', 'multiline', 'Street Address', NULL, 1, 0),
  (26, 2, 'city', 'varchar', 'text', 'City', NULL, 1, 0),
  (27, 2, 'country_id', 'varchar', 'select', 'Country', NULL, 1, 0),
  (28, 2, 'region', 'varchar', 'text', 'State/Province', NULL, 0, 0),
  (30, 2, 'postcode', 'varchar', 'text', 'Zip/Postal Code', NULL, 0, 0),
  (31, 2, 'telephone', 'varchar', 'text', 'Telephone', NULL, 1, 0),
  (41, 3, 'name', 'varchar', 'text', 'Name', NULL, 1, 0),
  (42, 3, 'is_active', 'int', 'select', 'Is Active', NULL, 1, 0),
  (43, 3, 'url_key', 'varchar', 'text', 'URL Key', NULL, 0, 0),
  (44, 3, 'description', 'text', 'textarea', 'Description', NULL, 0, 0),
  (46, 3, 'meta_title', 'varchar', 'text', 'Page Title', NULL, 0, 0),
  (48, 3, 'meta_description', 'text', 'textarea', 'Meta Description', NULL, 0, 0),
  (57, 3, 'url_path', 'varchar', 'text', NULL, NULL, 0, 0),
  (71, 4, 'name', 'varchar', 'text', 'Name', NULL, 1, 0),
  (72, 4, 'description', 'text', 'textarea', 'Description', NULL, 1, 0),
  (73, 4, 'short_description', 'text', 'textarea', 'Short Description', NULL, 1, 0),
  (75, 4, 'price', 'decimal', 'price', 'Price', NULL, 1, 0),
  (76, 4, 'special_price', 'decimal', 'price', 'Special Price', NULL, 0, 0),
  (77, 4, 'special_from_date', 'datetime', 'date', 'Special Price From Date', NULL, 0, 0),
  (78, 4, 'special_to_date', 'datetime', 'date', 'Special Price To Date', NULL, 0, 0),
  (80, 4, 'weight', 'decimal', 'weight', 'Weight', NULL, 1, 0),
  (81, 4, 'manufacturer', 'int', 'select', 'Manufacturer', NULL, 0, 1),
  (82, 4, 'meta_title', 'varchar', 'text', 'Meta Title', NULL, 0, 0),
  (83, 4, 'meta_keyword', 'text', 'textarea', 'Meta Keywords', NULL, 0, 0),
  (84, 4, 'meta_description', 'varchar', 'textarea', 'Meta Description', NULL, 0, 0),
  (85, 4, 'image', 'varchar', 'media_image', 'Base Image', NULL, 0, 0),
  (88, 4, 'media_gallery', 'varchar', 'gallery', 'Media Gallery', NULL, 0, 0),
  (92, 4, 'color', 'int', 'select', 'Color', NULL, 0, 1),
  (93, 4, 'news_from_date', 'datetime', 'date', 'Set Product as New from Date', NULL, 0, 0),
  (94, 4, 'news_to_date', 'datetime', 'date', 'Set Product as New to Date', NULL, 0, 0),
  (96, 4, 'status', 'int', 'select', 'Status', 'catalog/product_status', 1, 0),
  (97, 4, 'url_key', 'varchar', 'text', 'URL Key', NULL, 0, 0),
  (98, 4, 'url_path', 'varchar', 'text', NULL, NULL, 0, 0),
  (102, 4, 'visibility', 'int', 'select', 'Visibility', 'catalog/product_visibility', 1, 0),
  (117, 4, 'country_of_manufacture', 'varchar', 'select', 'Country of Manufacture', 'catalog/product_attribute_source_countryofmanufacture', 0, 0),
  (121, 4, 'tax_class_id', 'int', 'select', 'Tax Class', 'tax/class_source_product', 1, 0),
  (133, 4, 'size', 'int', 'select', 'Talla', NULL, 0, 1),
  (134, 4, 'gender', 'int', 'select', 'Género', NULL, 0, 1),
  (135, 4, 'age_group', 'int', 'select', 'Edad', NULL, 0, 1),
  (136, 4, 'theme', 'int', 'select', 'Temática', NULL, 0, 1),
  (137, 4, 'ean', 'varchar', 'text', 'EAN', NULL, 0, 1),
  (138, 4, 'material', 'varchar', 'text', 'Material', NULL, 0, 1);

CREATE TABLE eav_attribute_label (
  attribute_label_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  attribute_id smallint(5) unsigned NOT NULL DEFAULT '0',
  store_id smallint(5) unsigned NOT NULL DEFAULT '0',
  value varchar(255) DEFAULT NULL,
  PRIMARY KEY (attribute_label_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO eav_attribute_label (attribute_id, store_id, value) VALUES
  (133, 2, 'Taille'), (133, 3, 'Tamanho'), (133, 4, 'Taglia'),
  (92, 1, 'Color'), (92, 2, 'Couleur'), (92, 3, 'Cor'), (92, 4, 'Colore');

CREATE TABLE eav_attribute_option (
  option_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  attribute_id smallint(5) unsigned NOT NULL DEFAULT '0',
  sort_order smallint(5) unsigned NOT NULL DEFAULT '0',
  PRIMARY KEY (option_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO eav_attribute_option VALUES
  (10, 92, 0), (11, 92, 1),
  (20, 133, 0), (21, 133, 1), (22, 133, 2),
  (30, 81, 0),
  (40, 134, 0), (41, 134, 1),
  (50, 135, 0),
  (60, 136, 0);

CREATE TABLE eav_attribute_option_value (
  value_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  option_id int(10) unsigned NOT NULL DEFAULT '0',
  store_id smallint(5) unsigned NOT NULL DEFAULT '0',
  value varchar(255) DEFAULT NULL,
  PRIMARY KEY (value_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO eav_attribute_option_value (option_id, store_id, value) VALUES
  (10, 0, 'Negro'), (10, 2, 'Noir'), (10, 3, 'Preto'), (10, 4, 'Nero'),
  (11, 0, 'Rojo'), (11, 2, 'Rouge'), (11, 3, 'Vermelho'), (11, 4, 'Rosso'),
  (20, 0, 'S'), (21, 0, 'M'), (22, 0, 'L'),
  (30, 0, 'Rubie''s'),
  (40, 0, 'Mujer'), (41, 0, 'Hombre'),
  (50, 0, 'Adulto'),
  (60, 0, 'Halloween');

CREATE TABLE tax_class (
  class_id smallint(6) NOT NULL AUTO_INCREMENT,
  class_name varchar(255) NOT NULL,
  class_type varchar(8) NOT NULL DEFAULT 'CUSTOMER',
  PRIMARY KEY (class_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO tax_class VALUES (2, 'Taxable Goods', 'PRODUCT'), (3, 'Retail Customer', 'CUSTOMER');

-- The category tree: 1 is the root of roots, 2 the store group's root.
CREATE TABLE catalog_category_entity (
  entity_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  entity_type_id smallint(5) unsigned NOT NULL DEFAULT '0',
  attribute_set_id smallint(5) unsigned NOT NULL DEFAULT '0',
  parent_id int(10) unsigned NOT NULL DEFAULT '0',
  created_at timestamp NULL DEFAULT NULL,
  updated_at timestamp NULL DEFAULT NULL,
  path varchar(255) NOT NULL,
  position int(11) NOT NULL,
  level int(11) NOT NULL DEFAULT '0',
  children_count int(11) NOT NULL,
  PRIMARY KEY (entity_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO catalog_category_entity VALUES
  (1, 3, 3, 0, NULL, NULL, '1', 0, 0, 7),
  (2, 3, 3, 1, NULL, NULL, '1/2', 1, 1, 6),
  (3, 3, 3, 2, NULL, NULL, '1/2/3', 1, 2, 2),
  (4, 3, 3, 3, NULL, NULL, '1/2/3/4', 1, 3, 0),
  (5, 3, 3, 3, NULL, NULL, '1/2/3/5', 2, 3, 0),
  (6, 3, 3, 2, NULL, NULL, '1/2/6', 2, 2, 1),
  (7, 3, 3, 6, NULL, NULL, '1/2/6/7', 1, 3, 0),
  (8, 3, 3, 99, NULL, NULL, '1/2/99/8', 1, 3, 0),
  (9, 3, 3, 2, NULL, NULL, '1/2/9', 3, 2, 0);

CREATE TABLE catalog_category_entity_varchar (
  value_id int(11) NOT NULL AUTO_INCREMENT,
  entity_type_id smallint(5) unsigned NOT NULL DEFAULT '0',
  attribute_id smallint(5) unsigned NOT NULL DEFAULT '0',
  store_id smallint(5) unsigned NOT NULL DEFAULT '0',
  entity_id int(10) unsigned NOT NULL DEFAULT '0',
  value varchar(255) DEFAULT NULL,
  PRIMARY KEY (value_id),
  UNIQUE KEY UNQ_CAT_CTGR_ENTT_VCHR (entity_type_id, entity_id, attribute_id, store_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO catalog_category_entity_varchar (entity_type_id, attribute_id, store_id, entity_id, value) VALUES
  (3, 41, 0, 1, 'Root Catalog'),
  (3, 41, 0, 2, 'Default Category'),
  (3, 41, 0, 3, 'Disfraces'), (3, 43, 0, 3, 'disfraces'), (3, 57, 0, 3, 'disfraces.html'),
  (3, 41, 2, 3, 'Déguisements'), (3, 43, 2, 3, 'deguisements'), (3, 57, 2, 3, 'deguisements.html'),
  (3, 41, 3, 3, 'Fantasias'), (3, 41, 4, 3, 'Costumi'),
  (3, 41, 0, 4, 'Mujer'), (3, 43, 0, 4, 'mujer'), (3, 57, 0, 4, 'disfraces/mujer.html'),
  (3, 41, 2, 4, 'Femme'), (3, 41, 3, 4, 'Mulher'), (3, 41, 4, 4, 'Donna'),
  (3, 41, 0, 5, 'Hombre'), (3, 43, 0, 5, 'hombre'), (3, 57, 0, 5, 'disfraces/hombre.html'),
  (3, 41, 2, 5, 'Homme'), (3, 41, 3, 5, 'Homem'), (3, 41, 4, 5, 'Uomo'),
  (3, 41, 0, 6, 'Accesorios'), (3, 43, 0, 6, 'accesorios'), (3, 57, 0, 6, 'accesorios.html'),
  (3, 41, 2, 6, 'Accessoires'), (3, 41, 3, 6, 'Acessórios'), (3, 41, 4, 6, 'Accessori'),
  (3, 41, 0, 7, 'Pelucas'), (3, 43, 0, 7, 'pelucas'), (3, 57, 0, 7, 'accesorios/pelucas.html'),
  (3, 41, 2, 7, 'Perruques'), (3, 41, 3, 7, 'Perucas'), (3, 41, 4, 7, 'Parrucche'),
  (3, 41, 0, 8, 'Huérfana'), (3, 43, 0, 8, 'huerfana'),
  (3, 41, 0, 9, 'Archivo'), (3, 43, 0, 9, 'archivo');

CREATE TABLE catalog_category_entity_int (
  value_id int(11) NOT NULL AUTO_INCREMENT,
  entity_type_id smallint(5) unsigned NOT NULL DEFAULT '0',
  attribute_id smallint(5) unsigned NOT NULL DEFAULT '0',
  store_id smallint(5) unsigned NOT NULL DEFAULT '0',
  entity_id int(10) unsigned NOT NULL DEFAULT '0',
  value int(11) DEFAULT NULL,
  PRIMARY KEY (value_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO catalog_category_entity_int (entity_type_id, attribute_id, store_id, entity_id, value) VALUES
  (3, 42, 0, 2, 1), (3, 42, 0, 3, 1), (3, 42, 0, 4, 1), (3, 42, 0, 5, 1),
  (3, 42, 0, 6, 1), (3, 42, 0, 7, 1), (3, 42, 0, 8, 1), (3, 42, 0, 9, 0);

CREATE TABLE catalog_category_entity_text (
  value_id int(11) NOT NULL AUTO_INCREMENT,
  entity_type_id smallint(5) unsigned NOT NULL DEFAULT '0',
  attribute_id smallint(5) unsigned NOT NULL DEFAULT '0',
  store_id smallint(5) unsigned NOT NULL DEFAULT '0',
  entity_id int(10) unsigned NOT NULL DEFAULT '0',
  value text,
  PRIMARY KEY (value_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO catalog_category_entity_text (entity_type_id, attribute_id, store_id, entity_id, value) VALUES
  (3, 48, 0, 4, 'Disfraces de mujer para Carnaval y Halloween.'),
  (3, 48, 2, 4, 'Déguisements pour femme pour le Carnaval et Halloween.');

CREATE TABLE catalog_category_product (
  category_id int(10) unsigned NOT NULL DEFAULT '0',
  product_id int(10) unsigned NOT NULL DEFAULT '0',
  position int(11) NOT NULL DEFAULT '0',
  PRIMARY KEY (category_id, product_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO catalog_category_product VALUES
  (4, 10, 1), (3, 10, 2), (5, 60, 1), (7, 20, 1), (6, 60, 3), (8, 20, 2);

-- Products. Entity ids: 10 BRUJA (configurable) with 11–13, 20 PELUCA-RUBIA,
-- 30–32 bundle, grouped and virtual, 40 without SKU, 50 a configurable whose child
-- 999 is missing, 60 SOMBRERO by size and colour with 61–62, 70 a description not
-- in UTF-8.
CREATE TABLE catalog_product_entity (
  entity_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  entity_type_id smallint(5) unsigned NOT NULL DEFAULT '0',
  attribute_set_id smallint(5) unsigned NOT NULL DEFAULT '0',
  type_id varchar(32) NOT NULL DEFAULT 'simple',
  sku varchar(64) DEFAULT NULL,
  has_options smallint(6) NOT NULL DEFAULT '0',
  required_options smallint(5) unsigned NOT NULL DEFAULT '0',
  created_at timestamp NULL DEFAULT NULL,
  updated_at timestamp NULL DEFAULT NULL,
  PRIMARY KEY (entity_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO catalog_product_entity (entity_id, entity_type_id, attribute_set_id, type_id, sku) VALUES
  (10, 4, 4, 'configurable', 'BRUJA'),
  (11, 4, 4, 'simple', 'BRUJA-S'),
  (12, 4, 4, 'simple', 'BRUJA-M'),
  (13, 4, 4, 'simple', 'BRUJA-L'),
  (20, 4, 4, 'simple', 'PELUCA-RUBIA'),
  (30, 4, 4, 'bundle', 'PACK-HALLOWEEN'),
  (31, 4, 4, 'grouped', 'SET-PIRATA'),
  (32, 4, 4, 'virtual', 'TARJETA-REGALO'),
  (40, 4, 4, 'simple', NULL),
  (50, 4, 4, 'configurable', 'CAPA'),
  (60, 4, 4, 'configurable', 'SOMBRERO'),
  (61, 4, 4, 'simple', 'SOMBRERO-M-NEGRO'),
  (62, 4, 4, 'simple', 'SOMBRERO-L-ROJO'),
  (70, 4, 4, 'simple', 'MASCARA');

CREATE TABLE catalog_product_entity_varchar (
  value_id int(11) NOT NULL AUTO_INCREMENT,
  entity_type_id smallint(5) unsigned NOT NULL DEFAULT '0',
  attribute_id smallint(5) unsigned NOT NULL DEFAULT '0',
  store_id smallint(5) unsigned NOT NULL DEFAULT '0',
  entity_id int(10) unsigned NOT NULL DEFAULT '0',
  value varchar(255) DEFAULT NULL,
  PRIMARY KEY (value_id),
  UNIQUE KEY UNQ_CAT_PRD_ENTT_VCHR (entity_id, attribute_id, store_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO catalog_product_entity_varchar (entity_type_id, attribute_id, store_id, entity_id, value) VALUES
  (4, 71, 0, 10, 'Disfraz de bruja'), (4, 97, 0, 10, 'disfraz-bruja'), (4, 98, 0, 10, 'disfraz-bruja.html'),
  (4, 71, 2, 10, 'Déguisement de sorcière'), (4, 97, 2, 10, 'deguisement-sorciere'), (4, 98, 2, 10, 'deguisement-sorciere.html'),
  (4, 71, 3, 10, 'Fantasia de bruxa'), (4, 97, 3, 10, 'fantasia-bruxa'),
  (4, 71, 4, 10, 'Costume da strega'), (4, 97, 4, 10, 'costume-strega'),
  (4, 71, 5, 10, 'Hexenkostüm'),
  (4, 82, 0, 10, 'Disfraz de bruja para mujer'), (4, 84, 0, 10, 'Disfraz de bruja con sombrero, tallas S a L.'),
  (4, 82, 2, 10, 'Déguisement de sorcière pour femme'),
  (4, 85, 0, 10, '/b/r/bruja.jpg'),
  (4, 117, 0, 10, 'CN'), (4, 137, 0, 10, '8435489012343'), (4, 138, 0, 10, 'Poliéster'),
  (4, 71, 0, 11, 'Disfraz de bruja S'), (4, 97, 0, 11, 'disfraz-bruja-s'),
  (4, 71, 0, 12, 'Disfraz de bruja M'), (4, 97, 0, 12, 'disfraz-bruja-m'),
  (4, 71, 0, 13, 'Disfraz de bruja L'), (4, 97, 0, 13, 'disfraz-bruja-l'),
  (4, 71, 0, 20, 'Peluca rubia'), (4, 97, 0, 20, 'peluca-rubia'), (4, 98, 0, 20, 'peluca-rubia.html'),
  (4, 71, 2, 20, 'Perruque blonde'), (4, 97, 2, 20, 'perruque-blonde'),
  (4, 71, 3, 20, 'Peruca loira'), (4, 97, 3, 20, 'peruca-loira'),
  (4, 71, 4, 20, 'Parrucca bionda'), (4, 97, 4, 20, 'parrucca-bionda'),
  (4, 85, 0, 20, '/p/e/peluca-rubia.jpg'),
  (4, 71, 0, 30, 'Pack Halloween'), (4, 97, 0, 30, 'pack-halloween'),
  (4, 71, 0, 31, 'Set pirata'), (4, 97, 0, 31, 'set-pirata'),
  (4, 71, 0, 32, 'Tarjeta regalo'), (4, 97, 0, 32, 'tarjeta-regalo'),
  (4, 71, 0, 40, 'Antifaz sin referencia'), (4, 97, 0, 40, 'antifaz'),
  (4, 71, 0, 50, 'Capa de vampiro'), (4, 97, 0, 50, 'capa-vampiro'),
  (4, 71, 0, 60, 'Sombrero pirata'), (4, 97, 0, 60, 'sombrero-pirata'),
  (4, 71, 2, 60, 'Chapeau de pirate'), (4, 97, 2, 60, 'chapeau-pirate'),
  (4, 71, 0, 61, 'Sombrero pirata M negro'), (4, 97, 0, 61, 'sombrero-pirata-m-negro'),
  (4, 71, 0, 62, 'Sombrero pirata L rojo'), (4, 97, 0, 62, 'sombrero-pirata-l-rojo'),
  (4, 71, 0, 70, 'Máscara veneciana'), (4, 97, 0, 70, 'mascara-veneciana');

CREATE TABLE catalog_product_entity_int (
  value_id int(11) NOT NULL AUTO_INCREMENT,
  entity_type_id smallint(5) unsigned NOT NULL DEFAULT '0',
  attribute_id smallint(5) unsigned NOT NULL DEFAULT '0',
  store_id smallint(5) unsigned NOT NULL DEFAULT '0',
  entity_id int(10) unsigned NOT NULL DEFAULT '0',
  value int(11) DEFAULT NULL,
  PRIMARY KEY (value_id),
  UNIQUE KEY UNQ_CATALOG_PRODUCT_ENTITY_INT (entity_id, attribute_id, store_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
-- status 96 (1 enabled, 2 disabled), visibility 102, tax class 121, size 133,
-- colour 92, manufacturer 81, gender 134, age group 135, theme 136.
INSERT INTO catalog_product_entity_int (entity_type_id, attribute_id, store_id, entity_id, value) VALUES
  (4, 96, 0, 10, 1), (4, 102, 0, 10, 4), (4, 121, 0, 10, 2), (4, 81, 0, 10, 30),
  (4, 134, 0, 10, 40), (4, 135, 0, 10, 50), (4, 136, 0, 10, 60),
  (4, 96, 0, 11, 1), (4, 102, 0, 11, 1), (4, 121, 0, 11, 2), (4, 133, 0, 11, 20),
  (4, 96, 0, 12, 1), (4, 102, 0, 12, 1), (4, 121, 0, 12, 2), (4, 133, 0, 12, 21),
  (4, 96, 0, 13, 1), (4, 102, 0, 13, 1), (4, 121, 0, 13, 2), (4, 133, 0, 13, 22),
  (4, 96, 0, 20, 1), (4, 102, 0, 20, 4), (4, 121, 0, 20, 2), (4, 96, 4, 20, 2),
  (4, 96, 0, 30, 1), (4, 102, 0, 30, 4),
  (4, 96, 0, 31, 1), (4, 102, 0, 31, 4),
  (4, 96, 0, 32, 1), (4, 102, 0, 32, 4),
  (4, 96, 0, 40, 1), (4, 102, 0, 40, 4),
  (4, 96, 0, 50, 1), (4, 102, 0, 50, 4),
  (4, 96, 0, 60, 1), (4, 102, 0, 60, 4), (4, 121, 0, 60, 2),
  (4, 96, 0, 61, 1), (4, 102, 0, 61, 1), (4, 133, 0, 61, 21), (4, 92, 0, 61, 10),
  (4, 96, 0, 62, 1), (4, 102, 0, 62, 1), (4, 133, 0, 62, 22), (4, 92, 0, 62, 11),
  (4, 96, 0, 70, 1), (4, 102, 0, 70, 4);

CREATE TABLE catalog_product_entity_decimal (
  value_id int(11) NOT NULL AUTO_INCREMENT,
  entity_type_id smallint(5) unsigned NOT NULL DEFAULT '0',
  attribute_id smallint(5) unsigned NOT NULL DEFAULT '0',
  store_id smallint(5) unsigned NOT NULL DEFAULT '0',
  entity_id int(10) unsigned NOT NULL DEFAULT '0',
  value decimal(12,4) DEFAULT NULL,
  PRIMARY KEY (value_id),
  UNIQUE KEY UNQ_CAT_PRD_ENTT_DEC (entity_id, attribute_id, store_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO catalog_product_entity_decimal (entity_type_id, attribute_id, store_id, entity_id, value) VALUES
  (4, 75, 0, 10, 29.9900), (4, 80, 0, 10, 0.6000),
  (4, 75, 0, 11, 29.9900), (4, 75, 0, 12, 29.9900), (4, 75, 0, 13, 29.9900),
  (4, 75, 0, 20, 12.5000), (4, 76, 0, 20, 9.9900), (4, 80, 0, 20, 0.2000),
  (4, 75, 0, 30, 39.0000), (4, 75, 0, 31, 25.0000), (4, 75, 0, 32, 20.0000),
  (4, 75, 0, 40, 4.9900), (4, 75, 0, 50, 19.9900),
  (4, 75, 0, 60, 14.9900), (4, 75, 0, 61, 14.9900), (4, 75, 0, 62, 14.9900),
  (4, 75, 0, 70, 7.5000);

CREATE TABLE catalog_product_entity_datetime (
  value_id int(11) NOT NULL AUTO_INCREMENT,
  entity_type_id smallint(5) unsigned NOT NULL DEFAULT '0',
  attribute_id smallint(5) unsigned NOT NULL DEFAULT '0',
  store_id smallint(5) unsigned NOT NULL DEFAULT '0',
  entity_id int(10) unsigned NOT NULL DEFAULT '0',
  value datetime DEFAULT NULL,
  PRIMARY KEY (value_id),
  UNIQUE KEY UNQ_CAT_PRD_ENTT_DTIME (entity_id, attribute_id, store_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO catalog_product_entity_datetime (entity_type_id, attribute_id, store_id, entity_id, value) VALUES
  (4, 77, 0, 20, '2026-01-01 00:00:00'), (4, 78, 0, 20, '2099-12-31 00:00:00'),
  (4, 93, 0, 10, '0000-00-00 00:00:00');

-- A table an old install left in latin1: the mask's description was written
-- into it as bytes that are not UTF-8.
CREATE TABLE catalog_product_entity_text (
  value_id int(11) NOT NULL AUTO_INCREMENT,
  entity_type_id smallint(5) unsigned NOT NULL DEFAULT '0',
  attribute_id smallint(5) unsigned NOT NULL DEFAULT '0',
  store_id smallint(5) unsigned NOT NULL DEFAULT '0',
  entity_id int(10) unsigned NOT NULL DEFAULT '0',
  value text,
  PRIMARY KEY (value_id),
  UNIQUE KEY UNQ_CAT_PRD_ENTT_TXT (entity_id, attribute_id, store_id)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;
INSERT INTO catalog_product_entity_text (entity_type_id, attribute_id, store_id, entity_id, value) VALUES
  (4, 72, 0, 10, _binary '<p>Vestido negro con <strong>sombrero de bruja</strong>.</p>'),
  (4, 72, 2, 10, CONCAT(_binary '<p>Robe noire avec <strong>chapeau de sorci', X'C3A8', _binary 're</strong>.</p>')),
  (4, 73, 0, 10, _binary 'Vestido y sombrero'),
  (4, 83, 0, 10, _binary 'bruja, halloween'),
  (4, 72, 0, 20, _binary '<p>Peluca rubia larga.</p>'),
  (4, 72, 0, 60, _binary '<p>Sombrero de pirata.</p>'),
  (4, 72, 0, 70, CONCAT(_binary 'M', X'E1', _binary 'scara veneciana pintada a mano'));

CREATE TABLE catalog_product_website (
  product_id int(10) unsigned NOT NULL,
  website_id smallint(5) unsigned NOT NULL,
  PRIMARY KEY (product_id, website_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO catalog_product_website VALUES
  (10, 1), (11, 1), (12, 1), (13, 1), (20, 1), (30, 1), (31, 1), (32, 1), (40, 1), (50, 1),
  (60, 1), (61, 1), (62, 1), (70, 1);

CREATE TABLE cataloginventory_stock_item (
  item_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  product_id int(10) unsigned NOT NULL DEFAULT '0',
  stock_id smallint(5) unsigned NOT NULL DEFAULT '0',
  qty decimal(12,4) NOT NULL DEFAULT '0.0000',
  min_qty decimal(12,4) NOT NULL DEFAULT '0.0000',
  use_config_min_qty smallint(5) unsigned NOT NULL DEFAULT '1',
  is_qty_decimal smallint(5) unsigned NOT NULL DEFAULT '0',
  backorders smallint(5) unsigned NOT NULL DEFAULT '0',
  use_config_backorders smallint(5) unsigned NOT NULL DEFAULT '1',
  min_sale_qty decimal(12,4) NOT NULL DEFAULT '1.0000',
  use_config_min_sale_qty smallint(5) unsigned NOT NULL DEFAULT '1',
  max_sale_qty decimal(12,4) NOT NULL DEFAULT '0.0000',
  use_config_max_sale_qty smallint(5) unsigned NOT NULL DEFAULT '1',
  is_in_stock smallint(5) unsigned NOT NULL DEFAULT '0',
  manage_stock smallint(5) unsigned NOT NULL DEFAULT '0',
  use_config_manage_stock smallint(5) unsigned NOT NULL DEFAULT '1',
  PRIMARY KEY (item_id),
  UNIQUE KEY UNQ_CATALOGINVENTORY_STOCK_ITEM_PRODUCT_ID_STOCK_ID (product_id, stock_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO cataloginventory_stock_item (product_id, stock_id, qty, is_in_stock, max_sale_qty, use_config_max_sale_qty) VALUES
  (10, 1, 0, 1, 0, 1), (11, 1, 4, 1, 0, 1), (12, 1, 7, 1, 0, 1), (13, 1, 0, 0, 0, 1),
  (20, 1, 25, 1, 5, 0), (30, 1, 3, 1, 0, 1), (31, 1, 0, 1, 0, 1), (32, 1, 100, 1, 0, 1),
  (40, 1, 10, 1, 0, 1), (50, 1, 0, 1, 0, 1), (60, 1, 0, 1, 0, 1), (61, 1, 6, 1, 0, 1),
  (62, 1, 2, 1, 0, 1), (70, 1, 9, 1, 0, 1);

CREATE TABLE catalog_product_super_attribute (
  product_super_attribute_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  product_id int(10) unsigned NOT NULL DEFAULT '0',
  attribute_id smallint(5) unsigned NOT NULL DEFAULT '0',
  position smallint(5) unsigned NOT NULL DEFAULT '0',
  PRIMARY KEY (product_super_attribute_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO catalog_product_super_attribute VALUES (1, 10, 133, 0), (2, 50, 133, 0), (3, 60, 133, 0), (4, 60, 92, 1);

CREATE TABLE catalog_product_super_attribute_pricing (
  value_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  product_super_attribute_id int(10) unsigned NOT NULL DEFAULT '0',
  value_index varchar(255) DEFAULT NULL,
  is_percent smallint(5) unsigned DEFAULT '0',
  pricing_value decimal(12,4) DEFAULT NULL,
  website_id smallint(5) unsigned NOT NULL DEFAULT '0',
  PRIMARY KEY (value_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO catalog_product_super_attribute_pricing (product_super_attribute_id, value_index, is_percent, pricing_value, website_id) VALUES
  (1, '21', 0, 5.0000, 0);

CREATE TABLE catalog_product_super_link (
  link_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  product_id int(10) unsigned NOT NULL DEFAULT '0',
  parent_id int(10) unsigned NOT NULL DEFAULT '0',
  PRIMARY KEY (link_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO catalog_product_super_link (product_id, parent_id) VALUES
  (11, 10), (12, 10), (13, 10), (999, 50), (61, 60), (62, 60);

CREATE TABLE catalog_product_entity_media_gallery (
  value_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  attribute_id smallint(5) unsigned NOT NULL DEFAULT '0',
  entity_id int(10) unsigned NOT NULL DEFAULT '0',
  value varchar(255) DEFAULT NULL,
  PRIMARY KEY (value_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO catalog_product_entity_media_gallery VALUES
  (1, 88, 10, '/b/r/bruja.jpg'),
  (2, 88, 20, '/p/e/peluca-rubia.jpg'),
  (3, 88, 20, '/p/e/peluca-rubia-lado.jpg'),
  (4, 88, 20, '/p/e/peluca-rubia-vieja.jpg');

CREATE TABLE catalog_product_entity_media_gallery_value (
  value_id int(10) unsigned NOT NULL DEFAULT '0',
  store_id smallint(5) unsigned NOT NULL DEFAULT '0',
  label varchar(255) DEFAULT NULL,
  position int(10) unsigned DEFAULT NULL,
  disabled smallint(5) unsigned NOT NULL DEFAULT '0',
  PRIMARY KEY (value_id, store_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO catalog_product_entity_media_gallery_value VALUES
  (1, 0, 'Disfraz de bruja', 1, 0),
  (2, 0, 'Peluca rubia', 1, 0),
  (3, 0, 'De lado', 2, 0),
  (4, 0, 'Foto antigua', 3, 1);

CREATE TABLE catalog_product_entity_tier_price (
  value_id int(11) NOT NULL AUTO_INCREMENT,
  entity_id int(10) unsigned NOT NULL DEFAULT '0',
  all_groups smallint(5) unsigned NOT NULL DEFAULT '1',
  customer_group_id smallint(5) unsigned NOT NULL DEFAULT '0',
  qty decimal(12,4) NOT NULL DEFAULT '1.0000',
  value decimal(12,4) NOT NULL DEFAULT '0.0000',
  website_id smallint(5) unsigned NOT NULL,
  PRIMARY KEY (value_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO catalog_product_entity_tier_price (entity_id, all_groups, customer_group_id, qty, value, website_id) VALUES
  (20, 1, 0, 10.0000, 8.5000, 0);

CREATE TABLE catalog_product_entity_group_price (
  value_id int(11) NOT NULL AUTO_INCREMENT,
  entity_id int(10) unsigned NOT NULL DEFAULT '0',
  all_groups smallint(5) unsigned NOT NULL DEFAULT '1',
  customer_group_id smallint(5) unsigned NOT NULL DEFAULT '0',
  value decimal(12,4) NOT NULL DEFAULT '0.0000',
  website_id smallint(5) unsigned NOT NULL,
  PRIMARY KEY (value_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO catalog_product_entity_group_price (entity_id, all_groups, customer_group_id, value, website_id) VALUES
  (20, 0, 2, 10.0000, 0);

CREATE TABLE catalog_product_link_type (
  link_type_id smallint(5) unsigned NOT NULL AUTO_INCREMENT,
  code varchar(32) DEFAULT NULL,
  PRIMARY KEY (link_type_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO catalog_product_link_type VALUES (1, 'relation'), (2, 'bundle'), (3, 'super'), (4, 'up_sell'), (5, 'cross_sell');

CREATE TABLE catalog_product_link (
  link_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  product_id int(10) unsigned NOT NULL DEFAULT '0',
  linked_product_id int(10) unsigned NOT NULL DEFAULT '0',
  link_type_id smallint(5) unsigned NOT NULL DEFAULT '0',
  PRIMARY KEY (link_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO catalog_product_link VALUES (1, 10, 20, 1), (2, 10, 60, 4), (3, 20, 10, 5);

CREATE TABLE catalog_product_link_attribute (
  product_link_attribute_id smallint(5) unsigned NOT NULL AUTO_INCREMENT,
  link_type_id smallint(5) unsigned NOT NULL DEFAULT '0',
  product_link_attribute_code varchar(32) DEFAULT NULL,
  data_type varchar(32) DEFAULT NULL,
  PRIMARY KEY (product_link_attribute_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO catalog_product_link_attribute VALUES (1, 1, 'position', 'int'), (4, 4, 'position', 'int'), (5, 5, 'position', 'int');

CREATE TABLE catalog_product_link_attribute_int (
  value_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  product_link_attribute_id smallint(5) unsigned DEFAULT NULL,
  link_id int(10) unsigned NOT NULL,
  value int(11) NOT NULL DEFAULT '0',
  PRIMARY KEY (value_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO catalog_product_link_attribute_int (product_link_attribute_id, link_id, value) VALUES (1, 1, 1), (4, 2, 1), (5, 3, 1);

-- Every old URL: products alone and under category paths, categories, a custom
-- permanent redirect, a system path, and a rewrite whose product is gone.
CREATE TABLE core_url_rewrite (
  url_rewrite_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  store_id smallint(5) unsigned NOT NULL DEFAULT '0',
  id_path varchar(255) DEFAULT NULL,
  request_path varchar(255) DEFAULT NULL,
  target_path varchar(255) DEFAULT NULL,
  is_system smallint(5) unsigned DEFAULT '1',
  options varchar(255) DEFAULT NULL,
  description varchar(255) DEFAULT NULL,
  category_id int(10) unsigned DEFAULT NULL,
  product_id int(10) unsigned DEFAULT NULL,
  PRIMARY KEY (url_rewrite_id),
  UNIQUE KEY UNQ_CORE_URL_REWRITE_REQUEST_PATH_STORE_ID (request_path, store_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO core_url_rewrite (store_id, id_path, request_path, target_path, is_system, options, category_id, product_id) VALUES
  (1, 'product/10', 'disfraz-bruja.html', 'catalog/product/view/id/10', 1, '', NULL, 10),
  (1, 'product/10/4', 'disfraces/mujer/disfraz-bruja.html', 'catalog/product/view/id/10/category/4', 1, '', 4, 10),
  (1, 'product/10/3', 'disfraces/disfraz-bruja.html', 'catalog/product/view/id/10/category/3', 1, '', 3, 10),
  (2, 'product/10', 'deguisement-sorciere.html', 'catalog/product/view/id/10', 1, '', NULL, 10),
  (2, 'product/10/4', 'deguisements/femme/deguisement-sorciere.html', 'catalog/product/view/id/10/category/4', 1, '', 4, 10),
  (1, 'product/20', 'peluca-rubia.html', 'catalog/product/view/id/20', 1, '', NULL, 20),
  (3, 'product/20', 'peruca-loira.html', 'catalog/product/view/id/20', 1, '', NULL, 20),
  (1, 'category/3', 'disfraces.html', 'catalog/category/view/id/3', 1, '', 3, NULL),
  (1, 'category/4', 'disfraces/mujer.html', 'catalog/category/view/id/4', 1, '', 4, NULL),
  (2, 'category/3', 'deguisements.html', 'catalog/category/view/id/3', 1, '', 3, NULL),
  (2, 'category/4', 'deguisements/femme.html', 'catalog/category/view/id/4', 1, '', 4, NULL),
  (1, 'category/7', 'accesorios/pelucas.html', 'catalog/category/view/id/7', 1, '', 7, NULL),
  (1, '12345_67890', 'bruja-halloween-2019.html', 'disfraz-bruja.html', 0, 'RP', NULL, NULL),
  (1, '23456_78901', 'ofertas/peluca.html', 'peluca-rubia.html', 0, 'R', NULL, NULL),
  (1, 'product/888', 'producto-borrado.html', 'catalog/product/view/id/888', 1, '', NULL, 888),
  (5, 'product/10', 'hexenkostuem.html', 'catalog/product/view/id/10', 1, '', NULL, 10);

CREATE TABLE cms_page (
  page_id smallint(6) NOT NULL AUTO_INCREMENT,
  title varchar(255) DEFAULT NULL,
  root_template varchar(255) DEFAULT NULL,
  meta_keywords text,
  meta_description text,
  identifier varchar(100) DEFAULT NULL,
  content_heading varchar(255) DEFAULT NULL,
  content mediumtext,
  creation_time timestamp NULL DEFAULT NULL,
  update_time timestamp NULL DEFAULT NULL,
  is_active smallint(6) NOT NULL DEFAULT '1',
  sort_order smallint(6) NOT NULL DEFAULT '0',
  PRIMARY KEY (page_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO cms_page (page_id, title, meta_description, identifier, content_heading, content, is_active) VALUES
  (1, '404 Not Found 1', NULL, 'no-route', 'Whoops, our bad...', '<p>The page you requested was not found.</p>', 1),
  (2, 'Home page', NULL, 'home', NULL, '<p>{{widget type="cms/widget_page_link" template="cms/widget/link/link_block.phtml" page_id="3"}}</p>', 1),
  (3, 'Quiénes somos', 'Tienda de disfraces desde 1998.', 'quienes-somos', 'Quiénes somos',
   '<p>Vendemos disfraces desde 1998. Mira nuestras <a href="{{store url="disfraces.html"}}">novedades</a> y la <a href="{{store direct_url="accesorios/pelucas.html"}}">tienda de pelucas</a>.</p>\n<p><img src="{{media url="wysiwyg/tienda.jpg"}}" alt="Nuestra tienda" /></p>\n{{block type="cms/block" block_id="envios"}}\n<p><img src="{{skin url="images/logo.png"}}" alt="Logo" /></p>', 1),
  (4, 'Qui sommes-nous', NULL, 'qui-sommes-nous', NULL, '<p>Nous vendons des déguisements depuis 1998.</p>', 1),
  (5, 'Página antigua', NULL, 'pagina-antigua', NULL, '<p>Ya no se usa.</p>', 0);

CREATE TABLE cms_page_store (
  page_id smallint(6) NOT NULL,
  store_id smallint(5) unsigned NOT NULL,
  PRIMARY KEY (page_id, store_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO cms_page_store VALUES (1, 0), (2, 0), (3, 1), (4, 2), (5, 1);

CREATE TABLE cms_block (
  block_id smallint(6) NOT NULL AUTO_INCREMENT,
  title varchar(255) NOT NULL,
  identifier varchar(255) NOT NULL,
  content mediumtext,
  creation_time timestamp NULL DEFAULT NULL,
  update_time timestamp NULL DEFAULT NULL,
  is_active smallint(6) NOT NULL DEFAULT '1',
  PRIMARY KEY (block_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO cms_block (block_id, title, identifier, content, is_active) VALUES
  (1, 'Envíos', 'envios', '<p>Envío gratis desde 50 €. <a href="{{store url="envios"}}">Condiciones</a></p>', 1);

CREATE TABLE cms_block_store (
  block_id smallint(6) NOT NULL,
  store_id smallint(5) unsigned NOT NULL,
  PRIMARY KEY (block_id, store_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO cms_block_store VALUES (1, 1);

CREATE TABLE customer_group (
  customer_group_id smallint(5) unsigned NOT NULL AUTO_INCREMENT,
  customer_group_code varchar(32) NOT NULL,
  tax_class_id int(10) unsigned NOT NULL DEFAULT '0',
  PRIMARY KEY (customer_group_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO customer_group VALUES (0, 'NOT LOGGED IN', 3), (1, 'General', 3), (2, 'Wholesale', 3);

CREATE TABLE customer_entity (
  entity_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  entity_type_id smallint(5) unsigned NOT NULL DEFAULT '0',
  attribute_set_id smallint(5) unsigned NOT NULL DEFAULT '0',
  website_id smallint(5) unsigned DEFAULT NULL,
  email varchar(255) DEFAULT NULL,
  group_id smallint(5) unsigned NOT NULL DEFAULT '0',
  increment_id varchar(50) DEFAULT NULL,
  store_id smallint(5) unsigned DEFAULT '0',
  created_at timestamp NULL DEFAULT NULL,
  updated_at timestamp NULL DEFAULT NULL,
  is_active smallint(5) unsigned NOT NULL DEFAULT '1',
  disable_auto_group_change smallint(5) unsigned NOT NULL DEFAULT '0',
  PRIMARY KEY (entity_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO customer_entity (entity_id, entity_type_id, attribute_set_id, website_id, email, group_id, store_id, created_at, is_active) VALUES
  (1, 1, 0, 1, 'lucia.garcia@example.com', 1, 1, '2019-03-02 10:00:00', 1),
  (2, 1, 0, 1, 'marie.dubois@example.fr', 2, 2, '2020-10-12 18:30:00', 1);

CREATE TABLE customer_entity_varchar (
  value_id int(11) NOT NULL AUTO_INCREMENT,
  entity_type_id smallint(5) unsigned NOT NULL DEFAULT '0',
  attribute_id smallint(5) unsigned NOT NULL DEFAULT '0',
  entity_id int(10) unsigned NOT NULL DEFAULT '0',
  value varchar(255) DEFAULT NULL,
  PRIMARY KEY (value_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
-- Lucía's password is "bruja2019" (md5(salt + password):salt, Magento 1's hash).
INSERT INTO customer_entity_varchar (entity_type_id, attribute_id, entity_id, value) VALUES
  (1, 5, 1, 'Lucía'), (1, 7, 1, 'García'),
  (1, 12, 1, CONCAT(MD5('Xy12bruja2019'), ':Xy12')),
  (1, 5, 2, 'Marie'), (1, 7, 2, 'Dubois'), (1, 15, 2, 'FR40303265045');

CREATE TABLE customer_entity_int (
  value_id int(11) NOT NULL AUTO_INCREMENT,
  entity_type_id smallint(5) unsigned NOT NULL DEFAULT '0',
  attribute_id smallint(5) unsigned NOT NULL DEFAULT '0',
  entity_id int(10) unsigned NOT NULL DEFAULT '0',
  value int(11) NOT NULL DEFAULT '0',
  PRIMARY KEY (value_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO customer_entity_int (entity_type_id, attribute_id, entity_id, value) VALUES
  (1, 13, 1, 1), (1, 14, 1, 1), (1, 18, 1, 2);

CREATE TABLE customer_entity_datetime (
  value_id int(11) NOT NULL AUTO_INCREMENT,
  entity_type_id smallint(5) unsigned NOT NULL DEFAULT '0',
  attribute_id smallint(5) unsigned NOT NULL DEFAULT '0',
  entity_id int(10) unsigned NOT NULL DEFAULT '0',
  value datetime DEFAULT NULL,
  PRIMARY KEY (value_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO customer_entity_datetime (entity_type_id, attribute_id, entity_id, value) VALUES
  (1, 11, 1, '1988-05-17 00:00:00');

CREATE TABLE customer_address_entity (
  entity_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  entity_type_id smallint(5) unsigned NOT NULL DEFAULT '0',
  attribute_set_id smallint(5) unsigned NOT NULL DEFAULT '0',
  increment_id varchar(50) DEFAULT NULL,
  parent_id int(10) unsigned DEFAULT NULL,
  created_at timestamp NULL DEFAULT NULL,
  updated_at timestamp NULL DEFAULT NULL,
  is_active smallint(5) unsigned NOT NULL DEFAULT '1',
  PRIMARY KEY (entity_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO customer_address_entity (entity_id, entity_type_id, parent_id, is_active) VALUES (1, 2, 1, 1);

CREATE TABLE customer_address_entity_varchar (
  value_id int(11) NOT NULL AUTO_INCREMENT,
  entity_type_id smallint(5) unsigned NOT NULL DEFAULT '0',
  attribute_id smallint(5) unsigned NOT NULL DEFAULT '0',
  entity_id int(10) unsigned NOT NULL DEFAULT '0',
  value varchar(255) DEFAULT NULL,
  PRIMARY KEY (value_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO customer_address_entity_varchar (entity_type_id, attribute_id, entity_id, value) VALUES
  (2, 20, 1, 'Lucía'), (2, 22, 1, 'García'), (2, 26, 1, 'Madrid'), (2, 27, 1, 'ES'),
  (2, 28, 1, 'Madrid'), (2, 30, 1, '28013'), (2, 31, 1, '+34 612 345 678');

CREATE TABLE customer_address_entity_text (
  value_id int(11) NOT NULL AUTO_INCREMENT,
  entity_type_id smallint(5) unsigned NOT NULL DEFAULT '0',
  attribute_id smallint(5) unsigned NOT NULL DEFAULT '0',
  entity_id int(10) unsigned NOT NULL DEFAULT '0',
  value text NOT NULL,
  PRIMARY KEY (value_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO customer_address_entity_text (entity_type_id, attribute_id, entity_id, value) VALUES
  (2, 25, 1, 'Calle Mayor 12\n3º B');

CREATE TABLE customer_address_entity_int (
  value_id int(11) NOT NULL AUTO_INCREMENT,
  entity_type_id smallint(5) unsigned NOT NULL DEFAULT '0',
  attribute_id smallint(5) unsigned NOT NULL DEFAULT '0',
  entity_id int(10) unsigned NOT NULL DEFAULT '0',
  value int(11) NOT NULL DEFAULT '0',
  PRIMARY KEY (value_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE newsletter_subscriber (
  subscriber_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  store_id smallint(5) unsigned DEFAULT '0',
  change_status_at timestamp NULL DEFAULT NULL,
  customer_id int(10) unsigned NOT NULL DEFAULT '0',
  subscriber_email varchar(150) DEFAULT NULL,
  subscriber_status int(11) NOT NULL DEFAULT '0',
  subscriber_confirm_code varchar(32) DEFAULT 'NULL',
  PRIMARY KEY (subscriber_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO newsletter_subscriber (store_id, customer_id, subscriber_email, subscriber_status) VALUES
  (1, 1, 'lucia.garcia@example.com', 1);

-- Lucía's order of the witch costume in size M, paid by card, invoiced and
-- shipped.
CREATE TABLE sales_flat_order (
  entity_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  state varchar(32) DEFAULT NULL,
  status varchar(32) DEFAULT NULL,
  store_id smallint(5) unsigned DEFAULT NULL,
  customer_id int(10) unsigned DEFAULT NULL,
  base_grand_total decimal(12,4) DEFAULT NULL,
  base_shipping_amount decimal(12,4) DEFAULT NULL,
  base_subtotal decimal(12,4) DEFAULT NULL,
  base_tax_amount decimal(12,4) DEFAULT NULL,
  grand_total decimal(12,4) DEFAULT NULL,
  shipping_amount decimal(12,4) DEFAULT NULL,
  shipping_incl_tax decimal(12,4) DEFAULT NULL,
  subtotal decimal(12,4) DEFAULT NULL,
  subtotal_incl_tax decimal(12,4) DEFAULT NULL,
  tax_amount decimal(12,4) DEFAULT NULL,
  discount_amount decimal(12,4) DEFAULT NULL,
  total_qty_ordered decimal(12,4) DEFAULT NULL,
  billing_address_id int(10) DEFAULT NULL,
  shipping_address_id int(10) DEFAULT NULL,
  increment_id varchar(50) DEFAULT NULL,
  base_currency_code varchar(3) DEFAULT NULL,
  customer_email varchar(255) DEFAULT NULL,
  customer_firstname varchar(255) DEFAULT NULL,
  customer_lastname varchar(255) DEFAULT NULL,
  customer_is_guest smallint(5) unsigned DEFAULT NULL,
  order_currency_code varchar(255) DEFAULT NULL,
  shipping_description varchar(255) DEFAULT NULL,
  shipping_method varchar(255) DEFAULT NULL,
  created_at timestamp NULL DEFAULT NULL,
  updated_at timestamp NULL DEFAULT NULL,
  PRIMARY KEY (entity_id),
  UNIQUE KEY UNQ_SALES_FLAT_ORDER_INCREMENT_ID (increment_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO sales_flat_order VALUES
  (1, 'complete', 'complete', 1, 1, 39.9800, 4.9900, 34.9900, 6.9400, 39.9800, 4.1200, 4.9900, 28.9200, 34.9900, 6.9400, 0.0000, 1.0000,
   1, 2, '100000021', 'EUR', 'lucia.garcia@example.com', 'Lucía', 'García', 0, 'EUR', 'Envío estándar', 'flatrate_flatrate',
   '2025-10-20 17:45:00', '2025-10-22 09:00:00'),
  (2, 'canceled', 'canceled', 1, NULL, 12.5000, 0.0000, 12.5000, 2.1700, 12.5000, 0.0000, 0.0000, 10.3300, 12.5000, 2.1700, 0.0000, 1.0000,
   3, 4, '100000022', 'EUR', 'invitado@example.com', 'Pablo', 'Ruiz', 1, 'EUR', 'Recogida', 'freeshipping_freeshipping',
   '2025-10-21 11:00:00', '2025-10-21 12:00:00');

CREATE TABLE sales_flat_order_item (
  item_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  order_id int(10) unsigned NOT NULL DEFAULT '0',
  parent_item_id int(10) unsigned DEFAULT NULL,
  store_id smallint(5) unsigned DEFAULT NULL,
  product_id int(10) unsigned DEFAULT NULL,
  product_type varchar(255) DEFAULT NULL,
  sku varchar(255) DEFAULT NULL,
  name varchar(255) DEFAULT NULL,
  qty_ordered decimal(12,4) DEFAULT '0.0000',
  qty_shipped decimal(12,4) DEFAULT '0.0000',
  price decimal(12,4) NOT NULL DEFAULT '0.0000',
  price_incl_tax decimal(12,4) DEFAULT NULL,
  tax_percent decimal(12,4) DEFAULT '0.0000',
  tax_amount decimal(12,4) DEFAULT '0.0000',
  row_total decimal(12,4) NOT NULL DEFAULT '0.0000',
  row_total_incl_tax decimal(12,4) DEFAULT NULL,
  discount_amount decimal(12,4) DEFAULT '0.0000',
  PRIMARY KEY (item_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO sales_flat_order_item VALUES
  (1, 1, NULL, 1, 10, 'configurable', 'BRUJA-M', 'Disfraz de bruja', 1.0000, 1.0000, 28.9200, 34.9900, 21.0000, 6.0700, 28.9200, 34.9900, 0.0000),
  (2, 1, 1, 1, 12, 'simple', 'BRUJA-M', 'Disfraz de bruja M', 1.0000, 1.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000),
  (3, 2, NULL, 1, 20, 'simple', 'PELUCA-RUBIA', 'Peluca rubia', 1.0000, 0.0000, 10.3300, 12.5000, 21.0000, 2.1700, 10.3300, 12.5000, 0.0000);

CREATE TABLE sales_flat_order_address (
  entity_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  parent_id int(10) unsigned DEFAULT NULL,
  customer_address_id int(10) DEFAULT NULL,
  region varchar(255) DEFAULT NULL,
  postcode varchar(255) DEFAULT NULL,
  lastname varchar(255) DEFAULT NULL,
  street varchar(255) DEFAULT NULL,
  city varchar(255) DEFAULT NULL,
  email varchar(255) DEFAULT NULL,
  telephone varchar(255) DEFAULT NULL,
  country_id varchar(2) DEFAULT NULL,
  firstname varchar(255) DEFAULT NULL,
  address_type varchar(255) DEFAULT NULL,
  company varchar(255) DEFAULT NULL,
  PRIMARY KEY (entity_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO sales_flat_order_address VALUES
  (1, 1, 1, 'Madrid', '28013', 'García', 'Calle Mayor 12\n3º B', 'Madrid', 'lucia.garcia@example.com', '+34 612 345 678', 'ES', 'Lucía', 'billing', NULL),
  (2, 1, 1, 'Madrid', '28013', 'García', 'Calle Mayor 12\n3º B', 'Madrid', 'lucia.garcia@example.com', '+34 612 345 678', 'ES', 'Lucía', 'shipping', NULL),
  (3, 2, NULL, 'Sevilla', '41001', 'Ruiz', 'Calle Sierpes 3', 'Sevilla', 'invitado@example.com', '600000000', 'ES', 'Pablo', 'billing', NULL),
  (4, 2, NULL, 'Sevilla', '41001', 'Ruiz', 'Calle Sierpes 3', 'Sevilla', 'invitado@example.com', '600000000', 'ES', 'Pablo', 'shipping', NULL);

CREATE TABLE sales_flat_order_payment (
  entity_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  parent_id int(10) unsigned NOT NULL,
  base_amount_paid decimal(12,4) DEFAULT NULL,
  amount_paid decimal(12,4) DEFAULT NULL,
  amount_ordered decimal(12,4) DEFAULT NULL,
  method varchar(255) DEFAULT NULL,
  last_trans_id varchar(255) DEFAULT NULL,
  cc_last4 varchar(255) DEFAULT NULL,
  PRIMARY KEY (entity_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO sales_flat_order_payment VALUES
  (1, 1, 39.9800, 39.9800, 39.9800, 'redsys', '512345', '4242'),
  (2, 2, NULL, NULL, 12.5000, 'checkmo', NULL, NULL);

CREATE TABLE sales_flat_invoice (
  entity_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  store_id smallint(5) unsigned DEFAULT NULL,
  grand_total decimal(12,4) DEFAULT NULL,
  order_id int(10) unsigned NOT NULL,
  state int(11) DEFAULT NULL,
  increment_id varchar(50) DEFAULT NULL,
  created_at timestamp NULL DEFAULT NULL,
  PRIMARY KEY (entity_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO sales_flat_invoice VALUES (1, 1, 39.9800, 1, 2, '100000015', '2025-10-20 17:46:00');

CREATE TABLE sales_flat_shipment (
  entity_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  store_id smallint(5) unsigned DEFAULT NULL,
  total_qty decimal(12,4) DEFAULT NULL,
  order_id int(10) unsigned NOT NULL,
  increment_id varchar(50) DEFAULT NULL,
  created_at timestamp NULL DEFAULT NULL,
  PRIMARY KEY (entity_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO sales_flat_shipment VALUES (1, 1, 1.0000, 1, '100000009', '2025-10-21 10:00:00');

CREATE TABLE sales_flat_shipment_track (
  entity_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  parent_id int(10) unsigned NOT NULL,
  order_id int(10) unsigned NOT NULL,
  track_number text,
  title varchar(255) DEFAULT NULL,
  carrier_code varchar(32) DEFAULT NULL,
  created_at timestamp NULL DEFAULT NULL,
  PRIMARY KEY (entity_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO sales_flat_shipment_track VALUES (1, 1, 1, 'PK123456789ES', 'Correos', 'custom', '2025-10-21 10:00:00');

CREATE TABLE review (
  review_id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  created_at timestamp NULL DEFAULT NULL,
  entity_id smallint(5) unsigned NOT NULL DEFAULT '0',
  entity_pk_value int(10) unsigned NOT NULL DEFAULT '0',
  status_id smallint(5) unsigned NOT NULL DEFAULT '0',
  PRIMARY KEY (review_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO review (entity_id, entity_pk_value, status_id) VALUES (1, 10, 1), (1, 10, 1), (1, 20, 2);

CREATE TABLE rating_option_vote (
  vote_id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  option_id int(10) unsigned NOT NULL DEFAULT '0',
  review_id bigint(20) unsigned DEFAULT NULL,
  entity_pk_value bigint(20) unsigned NOT NULL DEFAULT '0',
  rating_id smallint(5) unsigned NOT NULL DEFAULT '0',
  percent smallint(6) NOT NULL DEFAULT '0',
  value smallint(6) NOT NULL DEFAULT '0',
  PRIMARY KEY (vote_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO rating_option_vote (option_id, review_id, entity_pk_value, rating_id, percent, value) VALUES
  (5, 1, 10, 1, 100, 5), (4, 2, 10, 1, 80, 4);

SET FOREIGN_KEY_CHECKS = 1;
