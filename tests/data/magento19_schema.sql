-- The tables of a Magento CE 1.9 install that `comptoir import-magento` reads,
-- with their columns as Magento 1.9's install and upgrade scripts create them
-- (the columns it does not read kept where they give a row its shape), and the
-- shop's setup: websites and store views (Spain the default, France, Portugal,
-- Italy, and a German one no Comptoir site takes), the configuration, the EAV
-- attributes with their options and labels, tax classes, link types, customer
-- groups. One table, as an old install may leave it, is in latin1.
--
-- The tests load it, then `magento19.sql` (a small shop's data); `magento-db`
-- (crates/bench) loads it, then generates a whole catalogue.

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

CREATE TABLE catalog_category_entity_int (
  value_id int(11) NOT NULL AUTO_INCREMENT,
  entity_type_id smallint(5) unsigned NOT NULL DEFAULT '0',
  attribute_id smallint(5) unsigned NOT NULL DEFAULT '0',
  store_id smallint(5) unsigned NOT NULL DEFAULT '0',
  entity_id int(10) unsigned NOT NULL DEFAULT '0',
  value int(11) DEFAULT NULL,
  PRIMARY KEY (value_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE catalog_category_entity_text (
  value_id int(11) NOT NULL AUTO_INCREMENT,
  entity_type_id smallint(5) unsigned NOT NULL DEFAULT '0',
  attribute_id smallint(5) unsigned NOT NULL DEFAULT '0',
  store_id smallint(5) unsigned NOT NULL DEFAULT '0',
  entity_id int(10) unsigned NOT NULL DEFAULT '0',
  value text,
  PRIMARY KEY (value_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE catalog_category_product (
  category_id int(10) unsigned NOT NULL DEFAULT '0',
  product_id int(10) unsigned NOT NULL DEFAULT '0',
  position int(11) NOT NULL DEFAULT '0',
  PRIMARY KEY (category_id, product_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

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

-- Left in latin1 by an old install: UTF-8 bytes in it, and some that are not.
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

CREATE TABLE catalog_product_website (
  product_id int(10) unsigned NOT NULL,
  website_id smallint(5) unsigned NOT NULL,
  PRIMARY KEY (product_id, website_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

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

CREATE TABLE catalog_product_super_attribute (
  product_super_attribute_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  product_id int(10) unsigned NOT NULL DEFAULT '0',
  attribute_id smallint(5) unsigned NOT NULL DEFAULT '0',
  position smallint(5) unsigned NOT NULL DEFAULT '0',
  PRIMARY KEY (product_super_attribute_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE catalog_product_super_attribute_pricing (
  value_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  product_super_attribute_id int(10) unsigned NOT NULL DEFAULT '0',
  value_index varchar(255) DEFAULT NULL,
  is_percent smallint(5) unsigned DEFAULT '0',
  pricing_value decimal(12,4) DEFAULT NULL,
  website_id smallint(5) unsigned NOT NULL DEFAULT '0',
  PRIMARY KEY (value_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE catalog_product_super_link (
  link_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  product_id int(10) unsigned NOT NULL DEFAULT '0',
  parent_id int(10) unsigned NOT NULL DEFAULT '0',
  PRIMARY KEY (link_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE catalog_product_entity_media_gallery (
  value_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  attribute_id smallint(5) unsigned NOT NULL DEFAULT '0',
  entity_id int(10) unsigned NOT NULL DEFAULT '0',
  value varchar(255) DEFAULT NULL,
  PRIMARY KEY (value_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE catalog_product_entity_media_gallery_value (
  value_id int(10) unsigned NOT NULL DEFAULT '0',
  store_id smallint(5) unsigned NOT NULL DEFAULT '0',
  label varchar(255) DEFAULT NULL,
  position int(10) unsigned DEFAULT NULL,
  disabled smallint(5) unsigned NOT NULL DEFAULT '0',
  PRIMARY KEY (value_id, store_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

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

CREATE TABLE catalog_product_entity_group_price (
  value_id int(11) NOT NULL AUTO_INCREMENT,
  entity_id int(10) unsigned NOT NULL DEFAULT '0',
  all_groups smallint(5) unsigned NOT NULL DEFAULT '1',
  customer_group_id smallint(5) unsigned NOT NULL DEFAULT '0',
  value decimal(12,4) NOT NULL DEFAULT '0.0000',
  website_id smallint(5) unsigned NOT NULL,
  PRIMARY KEY (value_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

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

CREATE TABLE catalog_product_option (
  option_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  product_id int(10) unsigned NOT NULL DEFAULT '0',
  type varchar(50) DEFAULT NULL,
  is_require smallint(6) NOT NULL DEFAULT '1',
  sku varchar(64) DEFAULT NULL,
  max_characters int(10) unsigned DEFAULT NULL,
  file_extension varchar(50) DEFAULT NULL,
  image_size_x smallint(5) unsigned DEFAULT NULL,
  image_size_y smallint(5) unsigned DEFAULT NULL,
  sort_order int(10) unsigned NOT NULL DEFAULT '0',
  PRIMARY KEY (option_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE catalog_product_option_title (
  option_title_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  option_id int(10) unsigned NOT NULL DEFAULT '0',
  store_id smallint(5) unsigned NOT NULL DEFAULT '0',
  title varchar(255) DEFAULT NULL,
  PRIMARY KEY (option_title_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE catalog_product_option_price (
  option_price_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  option_id int(10) unsigned NOT NULL DEFAULT '0',
  store_id smallint(5) unsigned NOT NULL DEFAULT '0',
  price decimal(12,4) NOT NULL DEFAULT '0.0000',
  price_type varchar(7) NOT NULL DEFAULT 'fixed',
  PRIMARY KEY (option_price_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE catalog_product_option_type_value (
  option_type_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  option_id int(10) unsigned NOT NULL DEFAULT '0',
  sku varchar(64) DEFAULT NULL,
  sort_order int(10) unsigned NOT NULL DEFAULT '0',
  PRIMARY KEY (option_type_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE catalog_product_option_type_title (
  option_type_title_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  option_type_id int(10) unsigned NOT NULL DEFAULT '0',
  store_id smallint(5) unsigned NOT NULL DEFAULT '0',
  title varchar(255) DEFAULT NULL,
  PRIMARY KEY (option_type_title_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE catalog_product_option_type_price (
  option_type_price_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  option_type_id int(10) unsigned NOT NULL DEFAULT '0',
  store_id smallint(5) unsigned NOT NULL DEFAULT '0',
  price decimal(12,4) NOT NULL DEFAULT '0.0000',
  price_type varchar(7) NOT NULL DEFAULT 'fixed',
  PRIMARY KEY (option_type_price_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

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

CREATE TABLE cms_page_store (
  page_id smallint(6) NOT NULL,
  store_id smallint(5) unsigned NOT NULL,
  PRIMARY KEY (page_id, store_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

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

CREATE TABLE cms_block_store (
  block_id smallint(6) NOT NULL,
  store_id smallint(5) unsigned NOT NULL,
  PRIMARY KEY (block_id, store_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

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

CREATE TABLE customer_entity_varchar (
  value_id int(11) NOT NULL AUTO_INCREMENT,
  entity_type_id smallint(5) unsigned NOT NULL DEFAULT '0',
  attribute_id smallint(5) unsigned NOT NULL DEFAULT '0',
  entity_id int(10) unsigned NOT NULL DEFAULT '0',
  value varchar(255) DEFAULT NULL,
  PRIMARY KEY (value_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE customer_entity_int (
  value_id int(11) NOT NULL AUTO_INCREMENT,
  entity_type_id smallint(5) unsigned NOT NULL DEFAULT '0',
  attribute_id smallint(5) unsigned NOT NULL DEFAULT '0',
  entity_id int(10) unsigned NOT NULL DEFAULT '0',
  value int(11) NOT NULL DEFAULT '0',
  PRIMARY KEY (value_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE customer_entity_datetime (
  value_id int(11) NOT NULL AUTO_INCREMENT,
  entity_type_id smallint(5) unsigned NOT NULL DEFAULT '0',
  attribute_id smallint(5) unsigned NOT NULL DEFAULT '0',
  entity_id int(10) unsigned NOT NULL DEFAULT '0',
  value datetime DEFAULT NULL,
  PRIMARY KEY (value_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

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

CREATE TABLE customer_address_entity_varchar (
  value_id int(11) NOT NULL AUTO_INCREMENT,
  entity_type_id smallint(5) unsigned NOT NULL DEFAULT '0',
  attribute_id smallint(5) unsigned NOT NULL DEFAULT '0',
  entity_id int(10) unsigned NOT NULL DEFAULT '0',
  value varchar(255) DEFAULT NULL,
  PRIMARY KEY (value_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE customer_address_entity_text (
  value_id int(11) NOT NULL AUTO_INCREMENT,
  entity_type_id smallint(5) unsigned NOT NULL DEFAULT '0',
  attribute_id smallint(5) unsigned NOT NULL DEFAULT '0',
  entity_id int(10) unsigned NOT NULL DEFAULT '0',
  value text NOT NULL,
  PRIMARY KEY (value_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

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

CREATE TABLE sales_flat_shipment (
  entity_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  store_id smallint(5) unsigned DEFAULT NULL,
  total_qty decimal(12,4) DEFAULT NULL,
  order_id int(10) unsigned NOT NULL,
  increment_id varchar(50) DEFAULT NULL,
  created_at timestamp NULL DEFAULT NULL,
  PRIMARY KEY (entity_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

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

CREATE TABLE review (
  review_id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  created_at timestamp NULL DEFAULT NULL,
  entity_id smallint(5) unsigned NOT NULL DEFAULT '0',
  entity_pk_value int(10) unsigned NOT NULL DEFAULT '0',
  status_id smallint(5) unsigned NOT NULL DEFAULT '0',
  PRIMARY KEY (review_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

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


CREATE TABLE salesrule (
  rule_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  name varchar(255) DEFAULT NULL,
  description text,
  from_date date DEFAULT NULL,
  to_date date DEFAULT NULL,
  uses_per_customer int(11) NOT NULL DEFAULT '0',
  is_active smallint(6) NOT NULL DEFAULT '0',
  conditions_serialized mediumtext,
  actions_serialized mediumtext,
  stop_rules_processing smallint(6) NOT NULL DEFAULT '1',
  is_advanced smallint(5) unsigned NOT NULL DEFAULT '1',
  product_ids text,
  sort_order int(10) unsigned NOT NULL DEFAULT '0',
  simple_action varchar(32) DEFAULT NULL,
  discount_amount decimal(12,4) NOT NULL DEFAULT '0.0000',
  discount_qty decimal(12,4) DEFAULT NULL,
  discount_step int(10) unsigned NOT NULL,
  simple_free_shipping smallint(5) unsigned NOT NULL DEFAULT '0',
  apply_to_shipping smallint(5) unsigned NOT NULL DEFAULT '0',
  times_used int(10) unsigned NOT NULL DEFAULT '0',
  is_rss smallint(6) NOT NULL DEFAULT '0',
  coupon_type smallint(5) unsigned NOT NULL DEFAULT '1',
  use_auto_generation smallint(6) NOT NULL DEFAULT '0',
  uses_per_coupon int(11) NOT NULL DEFAULT '0',
  PRIMARY KEY (rule_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE salesrule_website (
  rule_id int(10) unsigned NOT NULL,
  website_id smallint(5) unsigned NOT NULL,
  PRIMARY KEY (rule_id, website_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE salesrule_customer_group (
  rule_id int(10) unsigned NOT NULL,
  customer_group_id smallint(5) unsigned NOT NULL,
  PRIMARY KEY (rule_id, customer_group_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE salesrule_label (
  label_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  rule_id int(10) unsigned NOT NULL,
  store_id smallint(5) unsigned NOT NULL,
  label varchar(255) DEFAULT NULL,
  PRIMARY KEY (label_id),
  UNIQUE KEY UNQ_SALESRULE_LABEL_RULE_ID_STORE_ID (rule_id, store_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE salesrule_coupon (
  coupon_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  rule_id int(10) unsigned NOT NULL,
  code varchar(255) DEFAULT NULL,
  usage_limit int(10) unsigned DEFAULT NULL,
  usage_per_customer int(10) unsigned DEFAULT NULL,
  times_used int(10) unsigned NOT NULL DEFAULT '0',
  expiration_date timestamp NULL DEFAULT NULL,
  is_primary smallint(5) unsigned DEFAULT NULL,
  created_at timestamp NULL DEFAULT NULL,
  type smallint(6) DEFAULT '0',
  PRIMARY KEY (coupon_id),
  UNIQUE KEY UNQ_SALESRULE_COUPON_CODE (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE salesrule_customer (
  rule_customer_id int(10) unsigned NOT NULL AUTO_INCREMENT,
  rule_id int(10) unsigned NOT NULL DEFAULT '0',
  customer_id int(10) unsigned NOT NULL DEFAULT '0',
  times_used smallint(5) unsigned NOT NULL DEFAULT '0',
  PRIMARY KEY (rule_customer_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

SET FOREIGN_KEY_CHECKS = 1;
