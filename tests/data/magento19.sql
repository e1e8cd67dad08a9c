-- A small Magento CE 1.9 shop's data, for the database migration's tests
-- (`comptoir import-magento`), loaded after `magento19_schema.sql` (its tables
-- and setup): a costume shop.
--
-- What it holds, and what each part checks:
-- * categories Disfraces > Mujer, Hombre and Accesorios > Pelucas, translated per
--   store view; "Huérfana", whose parent is missing;
-- * the configurable witch costume BRUJA in sizes S, M, L (children with their own
--   stock, M dearer by 5 €, a broom as a custom option), the pirate hat SOMBRERO by size and colour, the wig
--   PELUCA-RUBIA on sale with two gallery images, a tier price and a group price;
--   the hat dearer in France and on sale in Italy (the shop's price scope is the
--   website);
-- * what cannot be migrated: a bundle, a grouped and a virtual product, a product
--   without SKU, a configurable whose child is missing, a description that is not
--   UTF-8;
-- * URL rewrites for products (alone and under category paths), categories, a
--   custom permanent redirect, one pointing nowhere;
-- * CMS pages and a block with Magento's directives;
-- * a customer with an address, a newsletter subscription and an order that was
--   invoiced and shipped with a tracking number; reviews;
-- * the newsletter's list: the customer, a guest in France (without a date), one
--   who left, an address that is not one.
--
-- Loaded by the tests into a database of their own; by hand:
--   cat tests/data/magento19_schema.sql tests/data/magento19.sql \
--     | mysql -h 127.0.0.1 -u root magento_fixture

SET NAMES utf8;

SET FOREIGN_KEY_CHECKS = 0;

SET SQL_MODE = 'NO_AUTO_VALUE_ON_ZERO';

-- The category tree: 1 is the root of roots, 2 the store group's root.

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

INSERT INTO catalog_category_entity_int (entity_type_id, attribute_id, store_id, entity_id, value) VALUES
  (3, 42, 0, 2, 1), (3, 42, 0, 3, 1), (3, 42, 0, 4, 1), (3, 42, 0, 5, 1),
  (3, 42, 0, 6, 1), (3, 42, 0, 7, 1), (3, 42, 0, 8, 1), (3, 42, 0, 9, 0);

INSERT INTO catalog_category_entity_text (entity_type_id, attribute_id, store_id, entity_id, value) VALUES
  (3, 48, 0, 4, 'Disfraces de mujer para Carnaval y Halloween.'),
  (3, 48, 2, 4, 'Déguisements pour femme pour le Carnaval et Halloween.');

INSERT INTO catalog_category_product VALUES
  (4, 10, 1), (3, 10, 2), (5, 60, 1), (7, 20, 1), (6, 60, 3), (8, 20, 2);

-- Products. Entity ids: 10 BRUJA (configurable) with 11–13, 20 PELUCA-RUBIA,
-- 30–32 bundle, grouped and virtual, 40 without SKU, 50 a configurable whose child
-- 999 is missing, 60 SOMBRERO by size and colour with 61–62, 70 a description not
-- in UTF-8.

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

INSERT INTO catalog_product_entity_decimal (entity_type_id, attribute_id, store_id, entity_id, value) VALUES
  (4, 75, 0, 10, 29.9900), (4, 80, 0, 10, 0.6000),
  (4, 75, 0, 11, 29.9900), (4, 75, 0, 12, 29.9900), (4, 75, 0, 13, 29.9900),
  (4, 75, 0, 20, 12.5000), (4, 76, 0, 20, 9.9900), (4, 80, 0, 20, 0.2000),
  (4, 75, 0, 30, 39.0000), (4, 75, 0, 31, 25.0000), (4, 75, 0, 32, 20.0000),
  (4, 75, 0, 40, 4.9900), (4, 75, 0, 50, 19.9900),
  (4, 75, 0, 60, 14.9900), (4, 75, 2, 60, 16.9900), (4, 76, 4, 60, 12.9900), (4, 75, 0, 61, 14.9900), (4, 75, 0, 62, 14.9900),
  (4, 75, 0, 70, 7.5000);

INSERT INTO catalog_product_entity_datetime (entity_type_id, attribute_id, store_id, entity_id, value) VALUES
  (4, 77, 0, 20, '2026-01-01 00:00:00'), (4, 78, 0, 20, '2099-12-31 00:00:00'),
  (4, 93, 0, 10, '0000-00-00 00:00:00');

-- The mask's description was written into the latin1 table as bytes that are
-- not UTF-8.
INSERT INTO catalog_product_entity_text (entity_type_id, attribute_id, store_id, entity_id, value) VALUES
  (4, 72, 0, 10, _binary '<p>Vestido negro con <strong>sombrero de bruja</strong>.</p>'),
  (4, 72, 2, 10, CONCAT(_binary '<p>Robe noire avec <strong>chapeau de sorci', X'C3A8', _binary 're</strong>.</p>')),
  (4, 73, 0, 10, _binary 'Vestido y sombrero'),
  (4, 83, 0, 10, _binary 'bruja, halloween'),
  (4, 72, 0, 20, _binary '<p>Peluca rubia larga.</p>'),
  (4, 72, 0, 60, _binary '<p>Sombrero de pirata.</p>'),
  (4, 72, 0, 70, CONCAT(_binary 'M', X'E1', _binary 'scara veneciana pintada a mano'));

INSERT INTO catalog_product_website VALUES
  (10, 1), (11, 1), (12, 1), (13, 1), (20, 1), (30, 1), (31, 1), (32, 1), (40, 1), (50, 1),
  (60, 1), (61, 1), (62, 1), (70, 1);

INSERT INTO cataloginventory_stock_item (product_id, stock_id, qty, is_in_stock, max_sale_qty, use_config_max_sale_qty) VALUES
  (10, 1, 0, 1, 0, 1), (11, 1, 4, 1, 0, 1), (12, 1, 7, 1, 0, 1), (13, 1, 0, 0, 0, 1),
  (20, 1, 25, 1, 5, 0), (30, 1, 3, 1, 0, 1), (31, 1, 0, 1, 0, 1), (32, 1, 100, 1, 0, 1),
  (40, 1, 10, 1, 0, 1), (50, 1, 0, 1, 0, 1), (60, 1, 0, 1, 0, 1), (61, 1, 6, 1, 0, 1),
  (62, 1, 2, 1, 0, 1), (70, 1, 9, 1, 0, 1);

INSERT INTO catalog_product_super_attribute VALUES (1, 10, 133, 0), (2, 50, 133, 0), (3, 60, 133, 0), (4, 60, 92, 1);

INSERT INTO catalog_product_super_attribute_pricing (product_super_attribute_id, value_index, is_percent, pricing_value, website_id) VALUES
  (1, '21', 0, 5.0000, 0);

INSERT INTO catalog_product_super_link (product_id, parent_id) VALUES
  (11, 10), (12, 10), (13, 10), (999, 50), (61, 60), (62, 60);

INSERT INTO catalog_product_entity_media_gallery VALUES
  (1, 88, 10, '/b/r/bruja.jpg'),
  (2, 88, 20, '/p/e/peluca-rubia.jpg'),
  (3, 88, 20, '/p/e/peluca-rubia-lado.jpg'),
  (4, 88, 20, '/p/e/peluca-rubia-vieja.jpg');

INSERT INTO catalog_product_entity_media_gallery_value VALUES
  (1, 0, 'Disfraz de bruja', 1, 0),
  (2, 0, 'Peluca rubia', 1, 0),
  (3, 0, 'De lado', 2, 0),
  (4, 0, 'Foto antigua', 3, 1);

INSERT INTO catalog_product_entity_tier_price (entity_id, all_groups, customer_group_id, qty, value, website_id) VALUES
  (20, 1, 0, 10.0000, 8.5000, 0);

INSERT INTO catalog_product_entity_group_price (entity_id, all_groups, customer_group_id, value, website_id) VALUES
  (20, 0, 2, 10.0000, 0);

INSERT INTO catalog_product_link VALUES (1, 10, 20, 1), (2, 10, 60, 4), (3, 20, 10, 5);

INSERT INTO catalog_product_link_attribute_int (product_link_attribute_id, link_id, value) VALUES (1, 1, 1), (4, 2, 1), (5, 3, 1);

-- The witch costume's custom options: a broom (a drop-down, translated in
-- France, dearer with it) and an embroidered name (text: Comptoir takes none).
INSERT INTO catalog_product_option (option_id, product_id, type, is_require, max_characters, sort_order) VALUES
  (1, 10, 'drop_down', 1, NULL, 1), (2, 10, 'field', 0, 20, 2);
INSERT INTO catalog_product_option_title (option_id, store_id, title) VALUES
  (1, 0, 'Escoba'), (1, 2, 'Balai'), (2, 0, 'Nombre bordado');
INSERT INTO catalog_product_option_price (option_id, store_id, price, price_type) VALUES (2, 0, 3.0000, 'fixed');
INSERT INTO catalog_product_option_type_value (option_type_id, option_id, sort_order) VALUES (1, 1, 1), (2, 1, 2);
INSERT INTO catalog_product_option_type_title (option_type_id, store_id, title) VALUES
  (1, 0, 'Sin escoba'), (2, 0, 'Con escoba'), (1, 2, 'Sans balai'), (2, 2, 'Avec balai');
INSERT INTO catalog_product_option_type_price (option_type_id, store_id, price, price_type) VALUES
  (1, 0, 0.0000, 'fixed'), (2, 0, 4.0000, 'fixed');

-- Every old URL: products alone and under category paths, categories, a custom
-- permanent redirect, a system path, and a rewrite whose product is gone.

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

INSERT INTO cms_page (page_id, title, meta_description, identifier, content_heading, content, is_active) VALUES
  (1, '404 Not Found 1', NULL, 'no-route', 'Whoops, our bad...', '<p>The page you requested was not found.</p>', 1),
  (2, 'Home page', NULL, 'home', NULL, '<p>{{widget type="cms/widget_page_link" template="cms/widget/link/link_block.phtml" page_id="3"}}</p>', 1),
  (3, 'Quiénes somos', 'Tienda de disfraces desde 1998.', 'quienes-somos', 'Quiénes somos',
   '<p>Vendemos disfraces desde 1998. Mira nuestras <a href="{{store url="disfraces.html"}}">novedades</a> y la <a href="{{store direct_url="accesorios/pelucas.html"}}">tienda de pelucas</a>.</p>\n<p><img src="{{media url="wysiwyg/tienda.jpg"}}" alt="Nuestra tienda" /></p>\n{{block type="cms/block" block_id="envios"}}\n<p><img src="{{skin url="images/logo.png"}}" alt="Logo" /></p>', 1),
  (4, 'Qui sommes-nous', NULL, 'qui-sommes-nous', NULL, '<p>Nous vendons des déguisements depuis 1998.</p>', 1),
  (5, 'Página antigua', NULL, 'pagina-antigua', NULL, '<p>Ya no se usa.</p>', 0);

INSERT INTO cms_page_store VALUES (1, 0), (2, 0), (3, 1), (4, 2), (5, 1);

INSERT INTO cms_block (block_id, title, identifier, content, is_active) VALUES
  (1, 'Envíos', 'envios', '<p>Envío gratis desde 50 €. <a href="{{store url="envios"}}">Condiciones</a></p>', 1);

INSERT INTO cms_block_store VALUES (1, 1);

INSERT INTO customer_entity (entity_id, entity_type_id, attribute_set_id, website_id, email, group_id, store_id, created_at, is_active) VALUES
  (1, 1, 0, 1, 'lucia.garcia@example.com', 1, 1, '2019-03-02 10:00:00', 1),
  (2, 1, 0, 1, 'marie.dubois@example.fr', 2, 2, '2020-10-12 18:30:00', 1);

-- Lucía's password is "bruja2019" (md5(salt + password):salt, Magento 1's hash).
INSERT INTO customer_entity_varchar (entity_type_id, attribute_id, entity_id, value) VALUES
  (1, 5, 1, 'Lucía'), (1, 7, 1, 'García'),
  (1, 12, 1, CONCAT(MD5('Xy12bruja2019'), ':Xy12')),
  (1, 5, 2, 'Marie'), (1, 7, 2, 'Dubois'), (1, 15, 2, 'FR40303265045');

INSERT INTO customer_entity_int (entity_type_id, attribute_id, entity_id, value) VALUES
  (1, 13, 1, 1), (1, 14, 1, 1), (1, 18, 1, 2);

INSERT INTO customer_entity_datetime (entity_type_id, attribute_id, entity_id, value) VALUES
  (1, 11, 1, '1988-05-17 00:00:00');

INSERT INTO customer_address_entity (entity_id, entity_type_id, parent_id, is_active) VALUES (1, 2, 1, 1);

INSERT INTO customer_address_entity_varchar (entity_type_id, attribute_id, entity_id, value) VALUES
  (2, 20, 1, 'Lucía'), (2, 22, 1, 'García'), (2, 26, 1, 'Madrid'), (2, 27, 1, 'ES'),
  (2, 28, 1, 'Madrid'), (2, 30, 1, '28013'), (2, 31, 1, '+34 612 345 678');

INSERT INTO customer_address_entity_text (entity_type_id, attribute_id, entity_id, value) VALUES
  (2, 25, 1, 'Calle Mayor 12\n3º B');

INSERT INTO newsletter_subscriber (store_id, customer_id, change_status_at, subscriber_email, subscriber_status) VALUES
  (1, 1, '2024-11-02 10:15:00', 'lucia.garcia@example.com', 1),
  (2, 0, NULL, 'Invite.Guest@Example.com', 1),
  (3, 0, '2023-05-01 08:00:00', 'baja@example.com', 3),
  (4, 0, NULL, 'not-an-address', 1);

-- Lucía's order of the witch costume in size M, paid by card, invoiced and
-- shipped.

INSERT INTO sales_flat_order VALUES
  (1, 'complete', 'complete', 1, 1, 39.9800, 4.9900, 34.9900, 6.9400, 39.9800, 4.1200, 4.9900, 28.9200, 34.9900, 6.9400, 0.0000, 1.0000,
   1, 2, '100000021', 'EUR', 'lucia.garcia@example.com', 'Lucía', 'García', 0, 'EUR', 'Envío estándar', 'flatrate_flatrate',
   '2025-10-20 17:45:00', '2025-10-22 09:00:00'),
  (2, 'canceled', 'canceled', 1, NULL, 12.5000, 0.0000, 12.5000, 2.1700, 12.5000, 0.0000, 0.0000, 10.3300, 12.5000, 2.1700, 0.0000, 1.0000,
   3, 4, '100000022', 'EUR', 'invitado@example.com', 'Pablo', 'Ruiz', 1, 'EUR', 'Recogida', 'freeshipping_freeshipping',
   '2025-10-21 11:00:00', '2025-10-21 12:00:00');

INSERT INTO sales_flat_order_item VALUES
  (1, 1, NULL, 1, 10, 'configurable', 'BRUJA-M', 'Disfraz de bruja', 1.0000, 1.0000, 28.9200, 34.9900, 21.0000, 6.0700, 28.9200, 34.9900, 0.0000),
  (2, 1, 1, 1, 12, 'simple', 'BRUJA-M', 'Disfraz de bruja M', 1.0000, 1.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000),
  (3, 2, NULL, 1, 20, 'simple', 'PELUCA-RUBIA', 'Peluca rubia', 1.0000, 0.0000, 10.3300, 12.5000, 21.0000, 2.1700, 10.3300, 12.5000, 0.0000);

INSERT INTO sales_flat_order_address VALUES
  (1, 1, 1, 'Madrid', '28013', 'García', 'Calle Mayor 12\n3º B', 'Madrid', 'lucia.garcia@example.com', '+34 612 345 678', 'ES', 'Lucía', 'billing', NULL),
  (2, 1, 1, 'Madrid', '28013', 'García', 'Calle Mayor 12\n3º B', 'Madrid', 'lucia.garcia@example.com', '+34 612 345 678', 'ES', 'Lucía', 'shipping', NULL),
  (3, 2, NULL, 'Sevilla', '41001', 'Ruiz', 'Calle Sierpes 3', 'Sevilla', 'invitado@example.com', '600000000', 'ES', 'Pablo', 'billing', NULL),
  (4, 2, NULL, 'Sevilla', '41001', 'Ruiz', 'Calle Sierpes 3', 'Sevilla', 'invitado@example.com', '600000000', 'ES', 'Pablo', 'shipping', NULL);

INSERT INTO sales_flat_order_payment VALUES
  (1, 1, 39.9800, 39.9800, 39.9800, 'redsys', '512345', '4242'),
  (2, 2, NULL, NULL, 12.5000, 'checkmo', NULL, NULL);

INSERT INTO sales_flat_invoice VALUES (1, 1, 39.9800, 1, 2, '100000015', '2025-10-20 17:46:00');

INSERT INTO sales_flat_shipment VALUES (1, 1, 1.0000, 1, '100000009', '2025-10-21 10:00:00');

INSERT INTO sales_flat_shipment_track VALUES (1, 1, 1, 'PK123456789ES', 'Correos', 'custom', '2025-10-21 10:00:00');

INSERT INTO review (entity_id, entity_pk_value, status_id) VALUES (1, 10, 1), (1, 10, 1), (1, 20, 2);

INSERT INTO rating_option_vote (option_id, review_id, entity_pk_value, rating_id, percent, value) VALUES
  (5, 1, 10, 1, 100, 5), (4, 2, 10, 1, 80, 4);

-- Cart price rules (Magento 1.9's shopping cart price rules): a campaign's
-- percentage on a category, free shipping from 39 €, a shared code with uses, a
-- 3 × 2, generated partner codes; and rules Comptoir cannot take (a wholesale
-- group's, an amount off each item, a category not migrated, a payment method).
INSERT INTO salesrule (rule_id, name, from_date, to_date, uses_per_customer, is_active,
  conditions_serialized, actions_serialized, stop_rules_processing, sort_order, simple_action,
  discount_amount, discount_qty, discount_step, simple_free_shipping, apply_to_shipping,
  coupon_type, use_auto_generation, uses_per_coupon) VALUES
  (1, 'Halloween -20 % disfraces', '2026-10-15', '2026-10-31', 0, 1, 'a:6:{s:4:"type";s:32:"salesrule/rule_condition_combine";s:9:"attribute";N;s:8:"operator";N;s:5:"value";s:1:"1";s:18:"is_value_processed";N;s:10:"aggregator";s:3:"all";}', 'a:7:{s:4:"type";s:40:"salesrule/rule_condition_product_combine";s:9:"attribute";N;s:8:"operator";N;s:5:"value";s:1:"1";s:18:"is_value_processed";N;s:10:"aggregator";s:3:"all";s:10:"conditions";a:1:{i:0;a:5:{s:4:"type";s:32:"salesrule/rule_condition_product";s:9:"attribute";s:12:"category_ids";s:8:"operator";s:2:"()";s:5:"value";s:1:"3";s:18:"is_value_processed";b:0;}}}', 0, 1, 'by_percent', 20.0000, NULL, 0, 0, 0, 1, 0, 0),
  (2, 'Envío gratis desde 39 €', NULL, NULL, 0, 1, 'a:7:{s:4:"type";s:32:"salesrule/rule_condition_combine";s:9:"attribute";N;s:8:"operator";N;s:5:"value";s:1:"1";s:18:"is_value_processed";N;s:10:"aggregator";s:3:"all";s:10:"conditions";a:1:{i:0;a:5:{s:4:"type";s:32:"salesrule/rule_condition_address";s:9:"attribute";s:13:"base_subtotal";s:8:"operator";s:2:">=";s:5:"value";s:2:"39";s:18:"is_value_processed";b:0;}}}', 'a:6:{s:4:"type";s:40:"salesrule/rule_condition_product_combine";s:9:"attribute";N;s:8:"operator";N;s:5:"value";s:1:"1";s:18:"is_value_processed";N;s:10:"aggregator";s:3:"all";}', 0, 5, 'by_percent', 0.0000, NULL, 0, 2, 0, 1, 0, 0),
  (3, 'Cupón BRUJA10', NULL, NULL, 1, 1, 'a:6:{s:4:"type";s:32:"salesrule/rule_condition_combine";s:9:"attribute";N;s:8:"operator";N;s:5:"value";s:1:"1";s:18:"is_value_processed";N;s:10:"aggregator";s:3:"all";}', 'a:6:{s:4:"type";s:40:"salesrule/rule_condition_product_combine";s:9:"attribute";N;s:8:"operator";N;s:5:"value";s:1:"1";s:18:"is_value_processed";N;s:10:"aggregator";s:3:"all";}', 1, 2, 'cart_fixed', 10.0000, NULL, 0, 0, 0, 2, 0, 100),
  (4, '3x2 en pelucas', NULL, NULL, 0, 1, 'a:7:{s:4:"type";s:32:"salesrule/rule_condition_combine";s:9:"attribute";N;s:8:"operator";N;s:5:"value";s:1:"1";s:18:"is_value_processed";N;s:10:"aggregator";s:3:"all";s:10:"conditions";a:1:{i:0;a:7:{s:4:"type";s:42:"salesrule/rule_condition_product_subselect";s:9:"attribute";s:3:"qty";s:8:"operator";s:2:">=";s:5:"value";s:1:"3";s:18:"is_value_processed";N;s:10:"aggregator";s:3:"all";s:10:"conditions";a:1:{i:0;a:5:{s:4:"type";s:32:"salesrule/rule_condition_product";s:9:"attribute";s:12:"category_ids";s:8:"operator";s:2:"==";s:5:"value";s:1:"7";s:18:"is_value_processed";b:0;}}}}}', 'a:7:{s:4:"type";s:40:"salesrule/rule_condition_product_combine";s:9:"attribute";N;s:8:"operator";N;s:5:"value";s:1:"1";s:18:"is_value_processed";N;s:10:"aggregator";s:3:"all";s:10:"conditions";a:1:{i:0;a:5:{s:4:"type";s:32:"salesrule/rule_condition_product";s:9:"attribute";s:12:"category_ids";s:8:"operator";s:2:"==";s:5:"value";s:1:"7";s:18:"is_value_processed";b:0;}}}', 0, 3, 'buy_x_get_y', 1.0000, NULL, 2, 0, 0, 1, 0, 0),
  (5, 'Códigos de socios', NULL, NULL, 0, 1, 'a:6:{s:4:"type";s:32:"salesrule/rule_condition_combine";s:9:"attribute";N;s:8:"operator";N;s:5:"value";s:1:"1";s:18:"is_value_processed";N;s:10:"aggregator";s:3:"all";}', 'a:6:{s:4:"type";s:40:"salesrule/rule_condition_product_combine";s:9:"attribute";N;s:8:"operator";N;s:5:"value";s:1:"1";s:18:"is_value_processed";N;s:10:"aggregator";s:3:"all";}', 0, 4, 'by_percent', 15.0000, NULL, 0, 0, 0, 2, 1, 1),
  (6, 'Mayoristas -5 %', NULL, NULL, 0, 1, 'a:6:{s:4:"type";s:32:"salesrule/rule_condition_combine";s:9:"attribute";N;s:8:"operator";N;s:5:"value";s:1:"1";s:18:"is_value_processed";N;s:10:"aggregator";s:3:"all";}', 'a:6:{s:4:"type";s:40:"salesrule/rule_condition_product_combine";s:9:"attribute";N;s:8:"operator";N;s:5:"value";s:1:"1";s:18:"is_value_processed";N;s:10:"aggregator";s:3:"all";}', 0, 6, 'by_percent', 5.0000, NULL, 0, 0, 0, 1, 0, 0),
  (7, '5 € por máscara', NULL, NULL, 0, 0, 'a:6:{s:4:"type";s:32:"salesrule/rule_condition_combine";s:9:"attribute";N;s:8:"operator";N;s:5:"value";s:1:"1";s:18:"is_value_processed";N;s:10:"aggregator";s:3:"all";}', 'a:7:{s:4:"type";s:40:"salesrule/rule_condition_product_combine";s:9:"attribute";N;s:8:"operator";N;s:5:"value";s:1:"1";s:18:"is_value_processed";N;s:10:"aggregator";s:3:"all";s:10:"conditions";a:1:{i:0;a:5:{s:4:"type";s:32:"salesrule/rule_condition_product";s:9:"attribute";s:3:"sku";s:8:"operator";s:2:"==";s:5:"value";s:7:"MASCARA";s:18:"is_value_processed";b:0;}}}', 0, 7, 'by_fixed', 5.0000, NULL, 0, 0, 0, 1, 0, 0),
  (8, 'Huérfanas -10 %', NULL, NULL, 0, 1, 'a:6:{s:4:"type";s:32:"salesrule/rule_condition_combine";s:9:"attribute";N;s:8:"operator";N;s:5:"value";s:1:"1";s:18:"is_value_processed";N;s:10:"aggregator";s:3:"all";}', 'a:7:{s:4:"type";s:40:"salesrule/rule_condition_product_combine";s:9:"attribute";N;s:8:"operator";N;s:5:"value";s:1:"1";s:18:"is_value_processed";N;s:10:"aggregator";s:3:"all";s:10:"conditions";a:1:{i:0;a:5:{s:4:"type";s:32:"salesrule/rule_condition_product";s:9:"attribute";s:12:"category_ids";s:8:"operator";s:2:"==";s:5:"value";s:1:"8";s:18:"is_value_processed";b:0;}}}', 0, 8, 'by_percent', 10.0000, NULL, 0, 0, 0, 1, 0, 0),
  (9, 'Contra reembolso', NULL, NULL, 0, 1, 'a:7:{s:4:"type";s:32:"salesrule/rule_condition_combine";s:9:"attribute";N;s:8:"operator";N;s:5:"value";s:1:"1";s:18:"is_value_processed";N;s:10:"aggregator";s:3:"all";s:10:"conditions";a:1:{i:0;a:5:{s:4:"type";s:32:"salesrule/rule_condition_address";s:9:"attribute";s:14:"payment_method";s:8:"operator";s:2:"==";s:5:"value";s:14:"cashondelivery";s:18:"is_value_processed";b:0;}}}', 'a:6:{s:4:"type";s:40:"salesrule/rule_condition_product_combine";s:9:"attribute";N;s:8:"operator";N;s:5:"value";s:1:"1";s:18:"is_value_processed";N;s:10:"aggregator";s:3:"all";}', 0, 9, 'by_percent', 3.0000, NULL, 0, 0, 0, 1, 0, 0);

INSERT INTO salesrule_website VALUES
  (1, 1), (2, 1), (3, 1), (4, 1), (5, 1), (6, 1), (7, 1), (8, 1), (9, 1);

INSERT INTO salesrule_customer_group VALUES
  (1, 0), (1, 1), (1, 2), (2, 0), (2, 1), (3, 0), (3, 1), (3, 2), (4, 0), (4, 1), (4, 2),
  (5, 0), (5, 1), (5, 2), (6, 2), (7, 0), (7, 1), (8, 0), (8, 1), (9, 0), (9, 1);

INSERT INTO salesrule_label (rule_id, store_id, label) VALUES
  (1, 0, 'Halloween: -20 % en disfraces'), (1, 2, 'Halloween : -20 % sur les déguisements'),
  (1, 4, 'Halloween: -20 % sui costumi'), (2, 0, 'Envío gratis'), (2, 2, 'Livraison offerte');

INSERT INTO salesrule_coupon (rule_id, code, usage_limit, usage_per_customer, times_used, is_primary, type) VALUES
  (3, 'bruja10', 100, 1, 3, 1, 0),
  (5, 'SOCIO-AB12', 1, NULL, 1, NULL, 1), (5, 'SOCIO-CD34', 1, NULL, 0, NULL, 1),
  (5, 'SOCIO EF56', 1, NULL, 0, NULL, 1);

INSERT INTO salesrule_customer (rule_id, customer_id, times_used) VALUES (3, 1, 1);

SET FOREIGN_KEY_CHECKS = 1;
