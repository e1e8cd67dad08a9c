//! The demo catalogue written into a Magento 1.9 database, as a running Magento
//! shop holds it: the install's tables and setup (`tests/data/magento19_schema.sql`),
//! the category tree with each store view's names and keys, products (those with
//! sizes as configurables whose children are the variants, by the `size` super
//! attribute) with their translations, prices, sales, stock, websites, category
//! placements, gallery and URL rewrites (alone and under each category's path),
//! customers with an address each, and two orders each (invoiced, every other one
//! shipped with a tracking number). For measuring `comptoir import-magento` on
//! a whole shop.

use std::collections::HashMap;

use comptoir_domain::{Catalogue, CategoryId, Locale, Money, SiteCode};
use sqlx::{MySql, MySqlConnection, QueryBuilder};

/// The install's tables and setup, as the tests load them.
const SCHEMA: &str = include_str!("../../../tests/data/magento19_schema.sql");

/// Store view ids of the schema's setup, by the locale each feeds (0 is the admin
/// scope, in Spanish).
const STORES: [(u64, Locale); 4] = [
    (1, Locale::Es),
    (2, Locale::Fr),
    (3, Locale::Pt),
    (4, Locale::It),
];

/// Attribute ids of the schema's setup.
mod attribute {
    pub const CATEGORY_NAME: u64 = 41;
    pub const CATEGORY_ACTIVE: u64 = 42;
    pub const CATEGORY_URL_KEY: u64 = 43;
    pub const CATEGORY_URL_PATH: u64 = 57;
    pub const NAME: u64 = 71;
    pub const DESCRIPTION: u64 = 72;
    pub const PRICE: u64 = 75;
    pub const SPECIAL_PRICE: u64 = 76;
    pub const SPECIAL_FROM: u64 = 77;
    pub const SPECIAL_TO: u64 = 78;
    pub const WEIGHT: u64 = 80;
    pub const IMAGE: u64 = 85;
    pub const GALLERY: u64 = 88;
    pub const STATUS: u64 = 96;
    pub const URL_KEY: u64 = 97;
    pub const URL_PATH: u64 = 98;
    pub const VISIBILITY: u64 = 102;
    pub const TAX_CLASS: u64 = 121;
    pub const SIZE: u64 = 133;
    pub const CUSTOMER_FIRSTNAME: u64 = 5;
    pub const CUSTOMER_LASTNAME: u64 = 7;
    pub const PASSWORD_HASH: u64 = 12;
    pub const ADDRESS_FIRSTNAME: u64 = 20;
    pub const ADDRESS_LASTNAME: u64 = 22;
    pub const ADDRESS_STREET: u64 = 25;
    pub const ADDRESS_CITY: u64 = 26;
    pub const ADDRESS_COUNTRY: u64 = 27;
    pub const ADDRESS_POSTCODE: u64 = 30;
}

/// The taxable goods class of the schema's setup.
const TAXABLE_GOODS: &str = "2";

/// Rows per INSERT: well under MySQL's 65 535 placeholders.
const BATCH: usize = 2_000;

/// A value of a row to insert.
#[derive(Debug, Clone)]
enum Value {
    Id(u64),
    Text(String),
    Null,
}

impl From<u64> for Value {
    fn from(id: u64) -> Value {
        Value::Id(id)
    }
}

impl From<String> for Value {
    fn from(text: String) -> Value {
        Value::Text(text)
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Value {
        Value::Text(text.to_owned())
    }
}

/// Rows of one table, inserted in batches.
struct Table {
    name: &'static str,
    columns: &'static [&'static str],
    rows: Vec<Vec<Value>>,
}

impl Table {
    fn new(name: &'static str, columns: &'static [&'static str]) -> Table {
        Table {
            name,
            columns,
            rows: Vec::new(),
        }
    }

    fn push(&mut self, row: Vec<Value>) {
        debug_assert_eq!(row.len(), self.columns.len());
        self.rows.push(row);
    }

    async fn insert(self, connection: &mut MySqlConnection) -> Result<(), sqlx::Error> {
        for batch in self.rows.chunks(BATCH) {
            let mut query: QueryBuilder<MySql> = QueryBuilder::new(format!(
                "INSERT INTO {} ({}) ",
                self.name,
                self.columns.join(", ")
            ));
            query.push_values(batch, |mut row, values| {
                for value in values {
                    match value {
                        Value::Id(id) => row.push_bind(*id),
                        // As bytes: the server converts text to a latin1 column's
                        // charset, as an old install's tables may be.
                        Value::Text(text) => row.push_bind(text.as_bytes().to_vec()),
                        Value::Null => row.push_bind(None::<u64>),
                    };
                }
            });
            query.build().execute(&mut *connection).await?;
        }
        Ok(())
    }
}

/// EAV value tables with a store view: entity type, attribute, store, entity, value.
const EAV_COLUMNS: &[&str] = &[
    "entity_type_id",
    "attribute_id",
    "store_id",
    "entity_id",
    "value",
];

/// Customers' EAV value tables, which have no store view.
const CUSTOMER_EAV_COLUMNS: &[&str] = &["entity_type_id", "attribute_id", "entity_id", "value"];

/// What was written.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub categories: usize,
    pub products: usize,
    pub rewrites: usize,
    pub customers: usize,
    pub orders: usize,
}

/// Loads the schema and writes `catalogue` and `customers` customers into the
/// (empty) database `connection` is on.
pub async fn fill(
    connection: &mut MySqlConnection,
    catalogue: &Catalogue,
    customers: usize,
) -> Result<Written, sqlx::Error> {
    sqlx::raw_sql(SCHEMA).execute(&mut *connection).await?;
    let mut written = Written::default();
    let mut rewrites = Table::new(
        "core_url_rewrite",
        &[
            "store_id",
            "id_path",
            "request_path",
            "target_path",
            "is_system",
            "options",
            "category_id",
            "product_id",
        ],
    );
    let category_paths = write_categories(connection, catalogue, &mut rewrites).await?;
    written.categories = catalogue.categories.len();
    written.products =
        write_products(connection, catalogue, &category_paths, &mut rewrites).await?;
    written.rewrites = rewrites.rows.len();
    rewrites.insert(connection).await?;
    written.customers = write_customers(connection, customers).await?;
    // Two orders a customer, as a shop a few years old holds.
    written.orders = write_orders(connection, catalogue, customers * 2, customers).await?;
    Ok(written)
}

/// Magento's id of a demo category: after its root (1) and store root (2).
fn category_entity(id: CategoryId) -> u64 {
    u64::try_from(id.0).expect("category ids are positive") + 10
}

/// Each category's URL path per locale (`disfraces/mujer`), by id.
type CategoryPaths = HashMap<CategoryId, [String; 4]>;

async fn write_categories(
    connection: &mut MySqlConnection,
    catalogue: &Catalogue,
    rewrites: &mut Table,
) -> Result<CategoryPaths, sqlx::Error> {
    let mut entities = Table::new(
        "catalog_category_entity",
        &[
            "entity_id",
            "entity_type_id",
            "attribute_set_id",
            "parent_id",
            "path",
            "position",
            "level",
            "children_count",
        ],
    );
    let mut varchar = Table::new("catalog_category_entity_varchar", EAV_COLUMNS);
    let mut int = Table::new("catalog_category_entity_int", EAV_COLUMNS);
    entities.push(vec![
        1.into(),
        3.into(),
        3.into(),
        0.into(),
        "1".into(),
        0.into(),
        0.into(),
        0.into(),
    ]);
    entities.push(vec![
        2.into(),
        3.into(),
        3.into(),
        1.into(),
        "1/2".into(),
        1.into(),
        1.into(),
        0.into(),
    ]);
    varchar.push(vec![
        3.into(),
        attribute::CATEGORY_NAME.into(),
        0.into(),
        2.into(),
        "Default Category".into(),
    ]);
    let by_id: HashMap<CategoryId, _> = catalogue.categories.iter().map(|c| (c.id, c)).collect();
    let mut paths = CategoryPaths::new();
    for category in &catalogue.categories {
        let mut ancestors = vec![category];
        while let Some(parent) = ancestors.last().and_then(|c| c.parent) {
            ancestors.push(by_id[&parent]);
        }
        ancestors.reverse();
        let ids: Vec<String> = ancestors
            .iter()
            .map(|c| category_entity(c.id).to_string())
            .collect();
        let id = category_entity(category.id);
        let parent = category.parent.map_or(2, category_entity);
        let level = ancestors.len() as u64 + 1;
        let position = u64::try_from(category.position.max(0)).unwrap_or(0);
        entities.push(vec![
            id.into(),
            3.into(),
            3.into(),
            parent.into(),
            format!("1/2/{}", ids.join("/")).into(),
            position.into(),
            level.into(),
            0.into(),
        ]);
        int.push(vec![
            3.into(),
            attribute::CATEGORY_ACTIVE.into(),
            0.into(),
            id.into(),
            u64::from(category.enabled).into(),
        ]);
        let locale_paths = Locale::ALL.map(|locale| {
            ancestors
                .iter()
                .map(|c| c.url_keys[locale].as_str())
                .collect::<Vec<_>>()
                .join("/")
        });
        for (store, locale) in std::iter::once((0, Locale::Es)).chain(STORES) {
            let path = &locale_paths[locale.index()];
            for (attribute, value) in [
                (attribute::CATEGORY_NAME, category.names[locale].clone()),
                (
                    attribute::CATEGORY_URL_KEY,
                    category.url_keys[locale].clone(),
                ),
                (attribute::CATEGORY_URL_PATH, format!("{path}.html")),
            ] {
                varchar.push(vec![
                    3.into(),
                    attribute.into(),
                    store.into(),
                    id.into(),
                    value.into(),
                ]);
            }
            if store != 0 {
                rewrites.push(vec![
                    store.into(),
                    format!("category/{id}").into(),
                    format!("{path}.html").into(),
                    format!("catalog/category/view/id/{id}").into(),
                    1.into(),
                    "".into(),
                    id.into(),
                    Value::Null,
                ]);
            }
        }
        paths.insert(category.id, locale_paths);
    }
    entities.insert(connection).await?;
    varchar.insert(connection).await?;
    int.insert(connection).await?;
    Ok(paths)
}

fn amount(money: Money) -> String {
    format!("{}.{:02}00", money.cents() / 100, money.cents() % 100)
}

/// Writes every product; returns how many products Magento holds (children
/// included).
async fn write_products(
    connection: &mut MySqlConnection,
    catalogue: &Catalogue,
    category_paths: &CategoryPaths,
    rewrites: &mut Table,
) -> Result<usize, sqlx::Error> {
    let mut entities = Table::new(
        "catalog_product_entity",
        &[
            "entity_id",
            "entity_type_id",
            "attribute_set_id",
            "type_id",
            "sku",
        ],
    );
    let mut varchar = Table::new("catalog_product_entity_varchar", EAV_COLUMNS);
    let mut int = Table::new("catalog_product_entity_int", EAV_COLUMNS);
    let mut decimal = Table::new("catalog_product_entity_decimal", EAV_COLUMNS);
    let mut text = Table::new("catalog_product_entity_text", EAV_COLUMNS);
    let mut datetime = Table::new("catalog_product_entity_datetime", EAV_COLUMNS);
    let mut websites = Table::new("catalog_product_website", &["product_id", "website_id"]);
    let mut placements = Table::new(
        "catalog_category_product",
        &["category_id", "product_id", "position"],
    );
    let mut stock = Table::new(
        "cataloginventory_stock_item",
        &["product_id", "stock_id", "qty", "is_in_stock"],
    );
    let mut super_attributes = Table::new(
        "catalog_product_super_attribute",
        &[
            "product_super_attribute_id",
            "product_id",
            "attribute_id",
            "position",
        ],
    );
    let mut super_links = Table::new("catalog_product_super_link", &["product_id", "parent_id"]);
    let mut gallery = Table::new(
        "catalog_product_entity_media_gallery",
        &["value_id", "attribute_id", "entity_id", "value"],
    );
    let mut gallery_values = Table::new(
        "catalog_product_entity_media_gallery_value",
        &["value_id", "store_id", "label", "position", "disabled"],
    );
    let mut options = Table::new(
        "eav_attribute_option",
        &["option_id", "attribute_id", "sort_order"],
    );
    let mut option_values = Table::new(
        "eav_attribute_option_value",
        &["option_id", "store_id", "value"],
    );
    // Size options after the setup's.
    let mut sizes: HashMap<String, u64> = HashMap::new();
    let mut next_entity: u64 = 1;
    let mut next_image: u64 = 1;
    for product in &catalogue.products {
        let offer = product
            .site(SiteCode::Es)
            .or(product.sites.iter().flatten().next());
        let price = offer.map_or_else(|| "0.0000".to_owned(), |o| amount(o.price));
        let configurable = product.variants.len() > 1 || product.variants[0].sku != product.sku;
        let id = next_entity;
        next_entity += 1;
        let mut eav_int = |entity: u64, attribute: u64, value: u64| {
            int.push(vec![
                4.into(),
                attribute.into(),
                0.into(),
                entity.into(),
                value.into(),
            ]);
        };
        eav_int(id, attribute::STATUS, if product.enabled { 1 } else { 2 });
        eav_int(id, attribute::VISIBILITY, 4);
        eav_int(
            id,
            attribute::TAX_CLASS,
            TAXABLE_GOODS.parse().expect("an id"),
        );
        entities.push(vec![
            id.into(),
            4.into(),
            4.into(),
            if configurable {
                "configurable"
            } else {
                "simple"
            }
            .into(),
            product.sku.as_str().into(),
        ]);
        websites.push(vec![id.into(), 1.into()]);
        decimal.push(vec![
            4.into(),
            attribute::PRICE.into(),
            0.into(),
            id.into(),
            price.clone().into(),
        ]);
        if let Some(grams) = product.facts.weight_grams {
            let kilograms = format!("{}.{:03}0", grams / 1000, grams % 1000);
            decimal.push(vec![
                4.into(),
                attribute::WEIGHT.into(),
                0.into(),
                id.into(),
                kilograms.into(),
            ]);
        }
        if let Some(sale) = offer.and_then(|o| o.sale) {
            decimal.push(vec![
                4.into(),
                attribute::SPECIAL_PRICE.into(),
                0.into(),
                id.into(),
                amount(sale.price).into(),
            ]);
            for (attribute, day) in [
                (
                    attribute::SPECIAL_FROM,
                    sale.starts_at.map(|at| at.date_naive()),
                ),
                (attribute::SPECIAL_TO, sale.last_day()),
            ] {
                if let Some(day) = day {
                    datetime.push(vec![
                        4.into(),
                        attribute.into(),
                        0.into(),
                        id.into(),
                        format!("{day} 00:00:00").into(),
                    ]);
                }
            }
        }
        for (store, locale) in std::iter::once((0, Locale::Es)).chain(STORES) {
            let key = &product.url_keys[locale];
            for (attribute, value) in [
                (attribute::NAME, product.names[locale].clone()),
                (attribute::URL_KEY, key.clone()),
                (attribute::URL_PATH, format!("{key}.html")),
            ] {
                varchar.push(vec![
                    4.into(),
                    attribute.into(),
                    store.into(),
                    id.into(),
                    value.into(),
                ]);
            }
            text.push(vec![
                4.into(),
                attribute::DESCRIPTION.into(),
                store.into(),
                id.into(),
                product.descriptions[locale].clone().into(),
            ]);
            if store == 0 {
                continue;
            }
            let mut rewrite = |request: String, category: Option<u64>| {
                let id_path = match category {
                    Some(category) => format!("product/{id}/{category}"),
                    None => format!("product/{id}"),
                };
                rewrites.push(vec![
                    store.into(),
                    id_path.into(),
                    request.into(),
                    format!("catalog/product/view/id/{id}").into(),
                    1.into(),
                    "".into(),
                    category.map_or(Value::Null, Value::Id),
                    id.into(),
                ]);
            };
            rewrite(format!("{key}.html"), None);
            for (category, _) in &product.categories {
                if let Some(path) = category_paths.get(category) {
                    rewrite(
                        format!("{}/{key}.html", path[locale.index()]),
                        Some(category_entity(*category)),
                    );
                }
            }
        }
        for (category, position) in &product.categories {
            let position = u64::try_from((*position).max(0)).unwrap_or(0);
            placements.push(vec![
                category_entity(*category).into(),
                id.into(),
                position.into(),
            ]);
        }
        for (at, image) in product.images.iter().enumerate() {
            let file = image.rsplit('/').next().unwrap_or(image);
            let path = format!("/{}/{}/{file}", &file[..1], &file[1..2.min(file.len())]);
            if at == 0 {
                varchar.push(vec![
                    4.into(),
                    attribute::IMAGE.into(),
                    0.into(),
                    id.into(),
                    path.clone().into(),
                ]);
            }
            gallery.push(vec![
                next_image.into(),
                attribute::GALLERY.into(),
                id.into(),
                path.into(),
            ]);
            gallery_values.push(vec![
                next_image.into(),
                0.into(),
                product.names[Locale::Es].clone().into(),
                (at as u64 + 1).into(),
                0.into(),
            ]);
            next_image += 1;
        }
        if !configurable {
            let variant = &product.variants[0];
            let units = u64::try_from(variant.stock.max(0)).unwrap_or(0);
            stock.push(vec![
                id.into(),
                1.into(),
                format!("{units}.0000").into(),
                u64::from(units > 0).into(),
            ]);
            continue;
        }
        stock.push(vec![id.into(), 1.into(), "0.0000".into(), 1.into()]);
        super_attributes.push(vec![id.into(), id.into(), attribute::SIZE.into(), 0.into()]);
        for variant in &product.variants {
            let child = next_entity;
            next_entity += 1;
            let size = variant
                .size
                .clone()
                .unwrap_or_else(|| variant.sku.as_str().to_owned());
            let next_option = 1_000 + sizes.len() as u64;
            let option = *sizes.entry(size.clone()).or_insert_with(|| {
                options.push(vec![
                    next_option.into(),
                    attribute::SIZE.into(),
                    next_option.into(),
                ]);
                option_values.push(vec![next_option.into(), 0.into(), size.clone().into()]);
                next_option
            });
            entities.push(vec![
                child.into(),
                4.into(),
                4.into(),
                "simple".into(),
                variant.sku.as_str().into(),
            ]);
            websites.push(vec![child.into(), 1.into()]);
            super_links.push(vec![child.into(), id.into()]);
            let child_key = format!(
                "{}-{}",
                product.url_keys[Locale::Es],
                variant.sku.as_str().to_lowercase()
            );
            varchar.push(vec![
                4.into(),
                attribute::NAME.into(),
                0.into(),
                child.into(),
                format!("{} {size}", product.names[Locale::Es]).into(),
            ]);
            varchar.push(vec![
                4.into(),
                attribute::URL_KEY.into(),
                0.into(),
                child.into(),
                child_key.into(),
            ]);
            decimal.push(vec![
                4.into(),
                attribute::PRICE.into(),
                0.into(),
                child.into(),
                price.clone().into(),
            ]);
            let mut child_int = |attribute: u64, value: u64| {
                int.push(vec![
                    4.into(),
                    attribute.into(),
                    0.into(),
                    child.into(),
                    value.into(),
                ]);
            };
            child_int(attribute::STATUS, 1);
            child_int(attribute::VISIBILITY, 1);
            child_int(attribute::TAX_CLASS, TAXABLE_GOODS.parse().expect("an id"));
            child_int(attribute::SIZE, option);
            let units = u64::try_from(variant.stock.max(0)).unwrap_or(0);
            stock.push(vec![
                child.into(),
                1.into(),
                format!("{units}.0000").into(),
                u64::from(units > 0).into(),
            ]);
        }
    }
    for table in [
        options,
        option_values,
        entities,
        varchar,
        int,
        decimal,
        text,
        datetime,
        websites,
        placements,
        stock,
        super_attributes,
        super_links,
        gallery,
        gallery_values,
    ] {
        table.insert(connection).await?;
    }
    Ok(usize::try_from(next_entity - 1).expect("fewer products than usize"))
}

/// `count` customers, each with an address in one of the four countries and a
/// Magento password hash (`md5(salt + "carnaval"):salt`).
async fn write_customers(
    connection: &mut MySqlConnection,
    count: usize,
) -> Result<usize, sqlx::Error> {
    let mut entities = Table::new(
        "customer_entity",
        &[
            "entity_id",
            "entity_type_id",
            "website_id",
            "email",
            "group_id",
            "store_id",
            "is_active",
        ],
    );
    let mut varchar = Table::new("customer_entity_varchar", CUSTOMER_EAV_COLUMNS);
    let mut addresses = Table::new(
        "customer_address_entity",
        &["entity_id", "entity_type_id", "parent_id", "is_active"],
    );
    let mut address_varchar = Table::new("customer_address_entity_varchar", CUSTOMER_EAV_COLUMNS);
    let mut address_text = Table::new("customer_address_entity_text", CUSTOMER_EAV_COLUMNS);
    let cities = [
        ("ES", "Madrid", "28013", 1),
        ("FR", "Lyon", "69002", 2),
        ("PT", "Porto", "4050-001", 3),
        ("IT", "Bologna", "40121", 4),
    ];
    for n in 1..=count as u64 {
        let (country, city, postcode, store) = cities[(n % 4) as usize];
        entities.push(vec![
            n.into(),
            1.into(),
            1.into(),
            format!("cliente{n}@example.com").into(),
            1.into(),
            store.into(),
            1.into(),
        ]);
        // The salt, hashed with the password below.
        let salt = format!("{:02}", n % 100);
        for (attribute, value) in [
            (attribute::CUSTOMER_FIRSTNAME, format!("Cliente{n}")),
            (attribute::CUSTOMER_LASTNAME, "Ejemplo".to_owned()),
            (attribute::PASSWORD_HASH, salt),
        ] {
            varchar.push(vec![1.into(), attribute.into(), n.into(), value.into()]);
        }
        addresses.push(vec![n.into(), 2.into(), n.into(), 1.into()]);
        for (attribute, value) in [
            (attribute::ADDRESS_FIRSTNAME, format!("Cliente{n}")),
            (attribute::ADDRESS_LASTNAME, "Ejemplo".to_owned()),
            (attribute::ADDRESS_CITY, city.to_owned()),
            (attribute::ADDRESS_COUNTRY, country.to_owned()),
            (attribute::ADDRESS_POSTCODE, postcode.to_owned()),
        ] {
            address_varchar.push(vec![2.into(), attribute.into(), n.into(), value.into()]);
        }
        address_text.push(vec![
            2.into(),
            attribute::ADDRESS_STREET.into(),
            n.into(),
            format!("Calle {n}").into(),
        ]);
    }
    for table in [entities, varchar, addresses, address_varchar, address_text] {
        table.insert(connection).await?;
    }
    sqlx::query(
        "UPDATE customer_entity_varchar SET value = CONCAT(MD5(CONCAT(value, 'carnaval')), ':', value) \
         WHERE attribute_id = ?",
    )
    .bind(attribute::PASSWORD_HASH)
    .execute(&mut *connection)
    .await?;
    Ok(count)
}

/// `count` orders of the first products' first variants, each by one of the
/// `customers` customers, of two lines, invoiced; every other one shipped with a
/// tracking number.
async fn write_orders(
    connection: &mut MySqlConnection,
    catalogue: &Catalogue,
    count: usize,
    customers: usize,
) -> Result<usize, sqlx::Error> {
    if customers == 0 || catalogue.products.is_empty() {
        return Ok(0);
    }
    let mut orders = Table::new(
        "sales_flat_order",
        &[
            "entity_id",
            "state",
            "status",
            "store_id",
            "customer_id",
            "grand_total",
            "shipping_incl_tax",
            "subtotal_incl_tax",
            "tax_amount",
            "discount_amount",
            "increment_id",
            "customer_email",
            "order_currency_code",
            "shipping_description",
            "created_at",
        ],
    );
    let mut items = Table::new(
        "sales_flat_order_item",
        &[
            "order_id",
            "store_id",
            "product_type",
            "sku",
            "name",
            "qty_ordered",
            "price_incl_tax",
            "row_total_incl_tax",
        ],
    );
    let mut addresses = Table::new(
        "sales_flat_order_address",
        &[
            "parent_id",
            "address_type",
            "firstname",
            "lastname",
            "street",
            "postcode",
            "city",
            "country_id",
        ],
    );
    let mut payments = Table::new(
        "sales_flat_order_payment",
        &["parent_id", "method", "amount_paid"],
    );
    let mut invoices = Table::new(
        "sales_flat_invoice",
        &[
            "order_id",
            "store_id",
            "grand_total",
            "increment_id",
            "created_at",
        ],
    );
    let mut shipments = Table::new(
        "sales_flat_shipment",
        &[
            "entity_id",
            "order_id",
            "store_id",
            "increment_id",
            "created_at",
        ],
    );
    let mut tracks = Table::new(
        "sales_flat_shipment_track",
        &[
            "parent_id",
            "order_id",
            "track_number",
            "title",
            "carrier_code",
        ],
    );
    for n in 1..=count as u64 {
        let customer = (n - 1) % customers as u64 + 1;
        let store = customer % 4 + 1;
        let placed = format!("2025-{:02}-{:02} 18:00:00", n % 12 + 1, n % 28 + 1);
        let lines: Vec<&comptoir_domain::Product> = (0..2)
            .map(|k| &catalogue.products[(n as usize * 7 + k * 13) % catalogue.products.len()])
            .collect();
        let mut subtotal = 0;
        for product in &lines {
            let cents = product
                .site(SiteCode::Es)
                .or(product.sites.iter().flatten().next())
                .map_or(0, |offer| offer.price.cents());
            subtotal += cents;
            let price = format!("{}.{:02}00", cents / 100, cents % 100);
            items.push(vec![
                n.into(),
                store.into(),
                "simple".into(),
                product.variants[0].sku.as_str().into(),
                product.names[Locale::Es].clone().into(),
                "1.0000".into(),
                price.clone().into(),
                price.into(),
            ]);
        }
        let shipping = 495;
        let total = subtotal + shipping;
        let amount = |cents: i64| format!("{}.{:02}00", cents / 100, cents % 100);
        let number = format!("{}", 200_000_000 + n);
        orders.push(vec![
            n.into(),
            "complete".into(),
            "complete".into(),
            store.into(),
            customer.into(),
            amount(total).into(),
            amount(shipping).into(),
            amount(subtotal).into(),
            amount(total * 21 / 121).into(),
            "0.0000".into(),
            number.clone().into(),
            format!("cliente{customer}@example.com").into(),
            "EUR".into(),
            "Envío estándar".into(),
            placed.clone().into(),
        ]);
        for kind in ["billing", "shipping"] {
            addresses.push(vec![
                n.into(),
                kind.into(),
                format!("Cliente{customer}").into(),
                "Ejemplo".into(),
                format!("Calle {customer}").into(),
                "28013".into(),
                "Madrid".into(),
                "ES".into(),
            ]);
        }
        payments.push(vec![n.into(), "redsys".into(), amount(total).into()]);
        invoices.push(vec![
            n.into(),
            store.into(),
            amount(total).into(),
            number.clone().into(),
            placed.clone().into(),
        ]);
        if n % 2 == 0 {
            shipments.push(vec![
                n.into(),
                n.into(),
                store.into(),
                number.into(),
                placed.into(),
            ]);
            tracks.push(vec![
                n.into(),
                n.into(),
                format!("PK{n:09}ES").into(),
                "Correos".into(),
                "custom".into(),
            ]);
        }
    }
    for table in [
        orders, items, addresses, payments, invoices, shipments, tracks,
    ] {
        table.insert(connection).await?;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use comptoir_e2e::{Backend, MagentoFixture, QuietMigration, fresh_store};
    use comptoir_magento::MagentoDb;
    use comptoir_magento::migration::{self, MigrationSettings};

    use super::*;

    /// A generated shop migrates whole: every product, its children as variants,
    /// every customer; nothing left out.
    #[tokio::test]
    async fn a_generated_shop_migrates_whole() {
        let Some(shop) = MagentoFixture::empty().await else {
            return;
        };
        let catalogue = comptoir_demo::generate(300);
        let mut connection = shop.connection().await;
        let written = fill(&mut connection, &catalogue, 20).await.unwrap();
        assert_eq!(written.customers, 20);
        let store = fresh_store(Backend::Sqlite).await.unwrap();
        let db = MagentoDb::connect(&shop.url, "").await.unwrap();
        let settings = MigrationSettings {
            media_dir: store.media_dir(),
            ..MigrationSettings::default()
        };
        let report = migration::migrate(db, store.store.as_ref(), &settings, &QuietMigration)
            .await
            .unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        let counts = |kind: &str| {
            let counts = report.counts.iter().find(|c| c.kind == kind).unwrap();
            (counts.read, counts.skipped)
        };
        assert_eq!(counts("products"), (300, 0));
        assert_eq!(counts("customers"), (20, 0));
        assert_eq!(counts("orders"), (40, 0));
        let migrated = store.store.load_catalogue().await.unwrap().catalogue;
        let variants = |catalogue: &Catalogue| {
            catalogue
                .products
                .iter()
                .map(|p| p.variants.len())
                .sum::<usize>()
        };
        assert!(variants(&migrated) >= variants(&catalogue));
    }
}
