//! The shop's products written as Magento's own product export would write them
//! (System → Import/Export → Export): a first row per product with its admin
//! values, then rows for its categories, websites, images, children, super
//! attribute prices, tier prices, links and each store view's own texts. The
//! export's reader (`comptoir_import::magento_products`) then reads them, so a
//! product means the same whichever way it comes.

use std::collections::HashMap;

use comptoir_import::magento_attributes::AttributeMap;
use comptoir_import::magento_products::READ_COLUMNS;

use crate::categories::CategoryTree;
use crate::eav::{Attribute, Attributes, OptionLabels, Values};
use crate::report::Report;
use crate::stores::Stores;
use crate::{MagentoDb, MagentoError};

/// Attributes every product export carries, by the column they fill.
const EXPORTED: [&str; 20] = [
    "name",
    "description",
    "short_description",
    "price",
    "special_price",
    "special_from_date",
    "special_to_date",
    "status",
    "visibility",
    "url_key",
    "url_path",
    "meta_title",
    "meta_description",
    "meta_keyword",
    "weight",
    "news_from_date",
    "news_to_date",
    "tax_class_id",
    "country_of_manufacture",
    "image",
];

/// Of those, the ones a store view may have its own value of (prices, when the
/// shop's price scope is the website).
const PER_STORE: [&str; 11] = [
    "name",
    "price",
    "special_price",
    "visibility",
    "description",
    "short_description",
    "url_key",
    "url_path",
    "meta_title",
    "meta_description",
    "meta_keyword",
];

/// The shop's products as an export, and where each product's rows start.
pub struct ProductSheet {
    /// The export's CSV text.
    pub csv: Vec<u8>,
    /// Each product's first line, its Magento id and SKU, in line order.
    pub lines: Vec<(u64, u64, String)>,
    /// The SKU of each product written, by Magento id.
    pub skus: HashMap<u64, String>,
    /// How many products are configurables' children, to be their variants.
    pub children: usize,
    /// Each product's categories and its position in each, by Magento ids.
    pub positions: Positions,
}

/// Categories and positions in them, by product (Magento ids).
pub type Positions = HashMap<u64, Vec<(u64, i64)>>;

impl ProductSheet {
    /// The product whose rows hold `line`, named for the report.
    pub fn entity_at(&self, line: u64) -> String {
        let at = self.lines.partition_point(|(first, ..)| *first <= line);
        match at.checked_sub(1).map(|at| &self.lines[at]) {
            Some((_, id, sku)) if line > 1 => format!("product {id} ({sku})"),
            _ => "catalogue".to_owned(),
        }
    }
}

/// A row of the sheet being written, by column name.
struct Rows {
    columns: HashMap<String, usize>,
    writer: csv::Writer<Vec<u8>>,
    /// The line the next row is written on.
    line: u64,
}

impl Rows {
    fn new(columns: &[String]) -> Rows {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer
            .write_record(columns)
            .expect("writing to memory does not fail");
        Rows {
            columns: columns
                .iter()
                .enumerate()
                .map(|(at, column)| (column.clone(), at))
                .collect(),
            writer,
            line: 2,
        }
    }

    /// Writes a row with `cells` set, the rest empty; returns its line.
    fn write(&mut self, cells: &[(&str, &str)]) -> u64 {
        let mut row = vec![""; self.columns.len()];
        for (column, value) in cells {
            row[self.columns[*column]] = value;
        }
        self.writer
            .write_record(&row)
            .expect("writing to memory does not fail");
        self.line += 1;
        self.line - 1
    }
}

/// A product's row of `catalog_product_entity`.
struct Entity {
    id: u64,
    kind: String,
    sku: Option<String>,
}

/// Reads every product and writes the export. Products without a SKU, values
/// that are not UTF-8 and configurables' missing children are reported here;
/// the rest is the reader's to check.
pub async fn read(
    db: &mut MagentoDb,
    stores: &Stores,
    tree: &CategoryTree,
    facts: &AttributeMap,
    report: &mut Report,
) -> Result<ProductSheet, MagentoError> {
    let entities = entities(db).await?;
    let attributes = Attributes::read(db, "catalog_product").await?;
    let super_attributes = super_attributes(db).await?;
    // Columns of attributes beyond the export's own: super attributes (each
    // child's value) and the facts the settings name.
    let mut attribute_codes: Vec<String> = Vec::new();
    let super_codes = super_attributes
        .values()
        .flatten()
        .filter_map(|(_, attribute)| attributes.by_id(*attribute))
        .map(|attribute| attribute.code.clone());
    for code in facts.names().filter(|code| attributes.get(code).is_none()) {
        report.note(
            "attribute map",
            format!("the shop has no product attribute '{code}': that fact is not read"),
        );
    }
    let fact_codes = facts.names().map(str::to_owned);
    for code in super_codes.chain(fact_codes) {
        if !attribute_codes.contains(&code) && attributes.get(&code).is_some() {
            attribute_codes.push(code);
        }
    }
    let wanted: Vec<&Attribute> = EXPORTED
        .iter()
        .map(|code| code.to_string())
        .chain(attribute_codes.iter().cloned())
        .filter_map(|code| attributes.get(&code))
        .collect();
    let values = Values::read(db, "catalog_product_entity", &wanted, true).await?;
    for (entity, attribute, store) in values.not_utf8() {
        let code = attributes.by_id(attribute).map_or("?", |a| a.code.as_str());
        let sku = entities
            .iter()
            .find(|e| e.id == entity)
            .and_then(|e| e.sku.clone())
            .unwrap_or_default();
        report.problem(
            &format!("product {entity} ({sku})"),
            format!("its {code} (store view {store}) is not UTF-8 text: left out"),
        );
    }
    let labels = OptionLabels::read(db).await?;
    let tax_classes = tax_classes(db).await?;
    let websites = websites(db).await?;
    let placements = placements(db).await?;
    let stock = stock(db).await?;
    let pricing = super_pricing(db).await?;
    let children = children(db).await?;
    let gallery = gallery(db).await?;
    let tiers = tier_prices(db).await?;
    let links = links(db).await?;
    let options = custom_options(db, stores).await?;

    // Every column the export's reader takes, then the attributes' own.
    let mut columns: Vec<String> = READ_COLUMNS.iter().map(|c| c.to_string()).collect();
    columns.extend(attribute_codes.iter().cloned());
    let mut rows = Rows::new(&columns);
    let skus: HashMap<u64, String> = entities
        .iter()
        .filter_map(|e| Some((e.id, e.sku.clone().filter(|sku| !sku.trim().is_empty())?)))
        .collect();
    for view in stores.left_out() {
        report.note(
            &format!("store view {} ({})", view.id, view.code),
            "--store-sites gives it no site: its texts, prices and URLs are left out",
        );
    }
    let child_ids: std::collections::HashSet<u64> = children.values().flatten().copied().collect();
    let (variants, own): (Vec<&Entity>, Vec<&Entity>) = entities
        .iter()
        .partition(|entity| child_ids.contains(&entity.id));
    report.counts("products").read = own.len();
    let mut lines = Vec::new();
    for entity in &entities {
        let Some(sku) = skus.get(&entity.id) else {
            report.problem(
                &format!("product {} (no SKU)", entity.id),
                format!("a {} product without a SKU: left out", entity.kind),
            );
            continue;
        };
        let id = entity.id;
        let value = |code: &str| {
            let attribute = attributes.get(code)?;
            let text = values.admin(id, Some(attribute))?;
            Some(shown(attribute, text, &labels, &tax_classes))
        };
        // The first row: the admin scope's values.
        let mut cells: Vec<(String, String)> = vec![
            ("sku".into(), sku.clone()),
            ("_type".into(), entity.kind.clone()),
        ];
        for code in EXPORTED
            .iter()
            .copied()
            .chain(attribute_codes.iter().map(String::as_str))
        {
            if let Some(text) = value(code) {
                cells.push((code.to_owned(), text));
            }
        }
        if let Some(stock) = stock.get(&id) {
            cells.extend(stock.iter().cloned());
        }
        let first = rows.write(&borrowed(&cells));
        lines.push((first, id, sku.clone()));
        // Its lists, a row per item.
        for code in websites.of(id) {
            rows.write(&[("_product_websites", code)]);
        }
        for (category, _) in placements.get(&id).into_iter().flatten() {
            match tree.get(*category) {
                Some(category) => {
                    rows.write(&[("_category", &category.path)]);
                }
                None => report.note(
                    &format!("product {id} ({sku})"),
                    format!("category {category} is not migrated: not placed in it"),
                ),
            }
        }
        for (path, position, disabled) in gallery.get(&id).into_iter().flatten() {
            rows.write(&[
                ("_media_image", path),
                ("_media_position", position),
                ("_media_is_disabled", disabled),
            ]);
        }
        for child in children.get(&id).into_iter().flatten() {
            match skus.get(child) {
                Some(child_sku) => {
                    rows.write(&[("_super_products_sku", child_sku)]);
                }
                None => report.note(
                    &format!("product {id} ({sku})"),
                    format!("its child {child} is missing: the others are its variants"),
                ),
            }
        }
        for (super_id, attribute) in super_attributes.get(&id).into_iter().flatten() {
            let Some(attribute) = attributes.by_id(*attribute) else {
                continue;
            };
            let corrections = pricing.get(super_id);
            // A row per option its children have, with the option's price
            // correction where it has one.
            let mut options: Vec<String> = children
                .get(&id)
                .into_iter()
                .flatten()
                .filter_map(|child| values.admin(*child, Some(attribute)))
                .map(str::to_owned)
                .collect();
            options.sort_unstable();
            options.dedup();
            if options.is_empty() {
                rows.write(&[("_super_attribute_code", &attribute.code)]);
            }
            for option in options {
                let correction = corrections
                    .and_then(|prices| prices.get(&option))
                    .map_or("", String::as_str);
                let label = labels.admin(&option).unwrap_or(&option);
                rows.write(&[
                    ("_super_attribute_code", &attribute.code),
                    ("_super_attribute_option", label),
                    ("_super_attribute_price_corr", correction),
                ]);
            }
        }
        for tier in tiers.get(&id).into_iter().flatten() {
            rows.write(&borrowed(tier));
        }
        for row in options.get(&id).into_iter().flatten() {
            rows.write(&borrowed(row));
        }
        for (kind, linked, position) in links.get(&id).into_iter().flatten() {
            if let Some(linked) = skus.get(linked) {
                let (sku_column, position_column) = match kind.as_str() {
                    "up_sell" => ("_links_upsell_sku", "_links_upsell_position"),
                    "cross_sell" => ("_links_crosssell_sku", "_links_crosssell_position"),
                    _ => ("_links_related_sku", "_links_related_position"),
                };
                rows.write(&[(sku_column, linked), (position_column, position)]);
            }
        }
        // Each store view's own texts, and whether it sells the product.
        let in_websites = websites.ids_of(id);
        for (view, _) in stores.mapped() {
            let mut cells: Vec<(String, String)> = PER_STORE
                .iter()
                .filter_map(|code| {
                    let text = values.of_store(id, attributes.get(code), view.id)?;
                    Some(((*code).to_owned(), text.to_owned()))
                })
                .collect();
            let status = values.of_store(id, attributes.get("status"), view.id);
            if status == Some("2") || !in_websites.contains(&view.website_id) {
                cells.push(("status".into(), "2".into()));
            }
            if !cells.is_empty() {
                cells.push(("_store".into(), view.code.clone()));
                rows.write(&borrowed(&cells));
            }
        }
    }
    let csv = rows
        .writer
        .into_inner()
        .expect("writing to memory does not fail");
    Ok(ProductSheet {
        csv,
        lines,
        skus,
        children: variants.len(),
        positions: placements,
    })
}

fn borrowed(cells: &[(String, String)]) -> Vec<(&str, &str)> {
    cells
        .iter()
        .map(|(column, value)| (column.as_str(), value.as_str()))
        .collect()
}

/// A value as the export writes it: a select's option by its admin label, a tax
/// class by its name.
fn shown(
    attribute: &Attribute,
    value: &str,
    labels: &OptionLabels,
    tax_classes: &HashMap<String, String>,
) -> String {
    if attribute.code == "tax_class_id" {
        return match value {
            "0" => "None".to_owned(),
            id => tax_classes
                .get(id)
                .cloned()
                .unwrap_or_else(|| id.to_owned()),
        };
    }
    if attribute.backend == "int"
        && attribute.input == "select"
        && let Some(label) = labels.admin(value)
    {
        return label.to_owned();
    }
    value.to_owned()
}

async fn entities(db: &mut MagentoDb) -> Result<Vec<Entity>, MagentoError> {
    let table = db.tables().name("catalog_product_entity");
    let rows: Vec<(u64, Vec<u8>, Option<Vec<u8>>)> = db
        .rows(
            "catalog_product_entity",
            &format!(
                "SELECT CAST(entity_id AS UNSIGNED), CAST(type_id AS BINARY), CAST(sku AS BINARY) \
                 FROM {table} \
                 ORDER BY entity_id"
            ),
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, kind, sku)| Entity {
            id,
            kind: String::from_utf8_lossy(&kind).into_owned(),
            sku: sku.map(|sku| String::from_utf8_lossy(&sku).into_owned()),
        })
        .collect())
}

/// Product tax classes' names by id (`tax_class`, when the install has it).
async fn tax_classes(db: &mut MagentoDb) -> Result<HashMap<String, String>, MagentoError> {
    if !db.tables().has("tax_class") {
        return Ok(HashMap::new());
    }
    let table = db.tables().name("tax_class");
    let rows: Vec<(String, Vec<u8>)> = db
        .rows(
            "tax_class",
            &format!("SELECT CAST(class_id AS CHAR), CAST(class_name AS BINARY) FROM {table}"),
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| (id, String::from_utf8_lossy(&name).into_owned()))
        .collect())
}

/// The websites each product is in.
struct Websites {
    codes: HashMap<u64, String>,
    of: HashMap<u64, Vec<u64>>,
}

impl Websites {
    fn of(&self, product: u64) -> impl Iterator<Item = &str> {
        self.ids_of(product)
            .into_iter()
            .filter_map(|id| self.codes.get(&id).map(String::as_str))
    }

    fn ids_of(&self, product: u64) -> Vec<u64> {
        self.of.get(&product).cloned().unwrap_or_default()
    }
}

async fn websites(db: &mut MagentoDb) -> Result<Websites, MagentoError> {
    let (websites, links) = (
        db.tables().name("core_website"),
        db.tables().name("catalog_product_website"),
    );
    let codes: Vec<(u64, Vec<u8>)> = db
        .rows(
            "core_website",
            &format!("SELECT CAST(website_id AS UNSIGNED), CAST(code AS BINARY) FROM {websites}"),
        )
        .await?;
    let of: Vec<(u64, u64)> = db
        .rows(
            "catalog_product_website",
            &format!(
                "SELECT CAST(product_id AS UNSIGNED), CAST(website_id AS UNSIGNED) FROM {links} \
                 ORDER BY product_id, website_id"
            ),
        )
        .await?;
    Ok(Websites {
        codes: codes
            .into_iter()
            .map(|(id, code)| (id, String::from_utf8_lossy(&code).into_owned()))
            .collect(),
        of: crate::grouped(of),
    })
}

/// Each product's categories with its position there, by position.
async fn placements(db: &mut MagentoDb) -> Result<Positions, MagentoError> {
    let table = db.tables().name("catalog_category_product");
    let rows: Vec<(u64, u64, i64)> = db
        .rows(
            "catalog_category_product",
            &format!(
                "SELECT CAST(product_id AS UNSIGNED), CAST(category_id AS UNSIGNED), \
                 CAST(position AS SIGNED) FROM {table} \
                 ORDER BY product_id, position, category_id"
            ),
        )
        .await?;
    Ok(crate::grouped(rows.into_iter().map(
        |(product, category, position)| (product, (category, position)),
    )))
}

/// Each product's stock columns as the export names them (the default stock, 1).
async fn stock(db: &mut MagentoDb) -> Result<HashMap<u64, Vec<(String, String)>>, MagentoError> {
    const COLUMNS: [&str; 10] = [
        "qty",
        "is_in_stock",
        "manage_stock",
        "use_config_manage_stock",
        "backorders",
        "use_config_backorders",
        "min_sale_qty",
        "use_config_min_sale_qty",
        "max_sale_qty",
        "use_config_max_sale_qty",
    ];
    let table = db.tables().name("cataloginventory_stock_item");
    let selected: Vec<String> = COLUMNS
        .iter()
        .map(|column| format!("COALESCE(CAST({column} AS CHAR), '')"))
        .collect();
    type StockRow = (
        u64,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
    );
    let rows: Vec<StockRow> = db
        .rows(
            "cataloginventory_stock_item",
            &format!(
                "SELECT CAST(product_id AS UNSIGNED), {} FROM {table} WHERE stock_id = 1",
                selected.join(", ")
            ),
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(|(product, a, b, c, d, e, f, g, h, i, j)| {
            let values = [a, b, c, d, e, f, g, h, i, j];
            let cells = COLUMNS
                .iter()
                .zip(values)
                .map(|(column, value)| ((*column).to_owned(), value))
                .collect();
            (product, cells)
        })
        .collect())
}

/// Each configurable's super attributes in order: their row id and attribute id.
async fn super_attributes(
    db: &mut MagentoDb,
) -> Result<HashMap<u64, Vec<(u64, u64)>>, MagentoError> {
    let table = db.tables().name("catalog_product_super_attribute");
    let rows: Vec<(u64, u64, u64)> = db
        .rows(
            "catalog_product_super_attribute",
            &format!(
                "SELECT CAST(product_id AS UNSIGNED), CAST(product_super_attribute_id AS UNSIGNED), \
                 CAST(attribute_id AS UNSIGNED) FROM {table} \
                 ORDER BY product_id, position, product_super_attribute_id"
            ),
        )
        .await?;
    Ok(crate::grouped(rows.into_iter().map(
        |(product, row, attribute)| (product, (row, attribute)),
    )))
}

/// Super attribute values' price corrections (all websites'), by super
/// attribute and option id: `5.0000`, or `10.0000%`.
async fn super_pricing(
    db: &mut MagentoDb,
) -> Result<HashMap<u64, HashMap<String, String>>, MagentoError> {
    if !db.tables().has("catalog_product_super_attribute_pricing") {
        return Ok(HashMap::new());
    }
    let table = db.tables().name("catalog_product_super_attribute_pricing");
    let rows: Vec<(u64, String, Option<u64>, String)> = db
        .rows(
            "catalog_product_super_attribute_pricing",
            &format!(
                "SELECT CAST(product_super_attribute_id AS UNSIGNED), CAST(value_index AS CHAR), \
                 CAST(is_percent AS UNSIGNED), \
                 CAST(pricing_value AS CHAR) FROM {table} WHERE website_id = 0"
            ),
        )
        .await?;
    let mut pricing: HashMap<u64, HashMap<String, String>> = HashMap::new();
    for (attribute, option, percent, value) in rows {
        let value = if percent == Some(1) {
            format!("{value}%")
        } else {
            value
        };
        pricing.entry(attribute).or_default().insert(option, value);
    }
    Ok(pricing)
}

/// Each configurable's children, by Magento id.
async fn children(db: &mut MagentoDb) -> Result<HashMap<u64, Vec<u64>>, MagentoError> {
    let table = db.tables().name("catalog_product_super_link");
    let rows: Vec<(u64, u64)> = db
        .rows(
            "catalog_product_super_link",
            &format!(
                "SELECT CAST(parent_id AS UNSIGNED), CAST(product_id AS UNSIGNED) FROM {table} \
                 ORDER BY parent_id, link_id"
            ),
        )
        .await?;
    Ok(crate::grouped(rows))
}

/// Each product's gallery images with their position and disabled flag (the
/// admin scope's).
async fn gallery(
    db: &mut MagentoDb,
) -> Result<HashMap<u64, Vec<(String, String, String)>>, MagentoError> {
    let (images, values) = (
        "catalog_product_entity_media_gallery",
        "catalog_product_entity_media_gallery_value",
    );
    if !db.tables().has(images) || !db.tables().has(values) {
        return Ok(HashMap::new());
    }
    let (images_table, values_table) = (db.tables().name(images), db.tables().name(values));
    let rows: Vec<(u64, Vec<u8>, String, String)> = db
        .rows(
            images,
            &format!(
                "SELECT CAST(g.entity_id AS UNSIGNED), CAST(g.value AS BINARY), \
                 COALESCE(CAST(v.position AS CHAR), ''), COALESCE(CAST(v.disabled AS CHAR), '0') \
                 FROM {images_table} g LEFT JOIN {values_table} v \
                 ON v.value_id = g.value_id AND v.store_id = 0 \
                 ORDER BY g.entity_id, v.position, g.value_id"
            ),
        )
        .await?;
    Ok(crate::grouped(rows.into_iter().map(
        |(product, path, position, disabled)| {
            let path = String::from_utf8_lossy(&path).into_owned();
            (product, (path, position, disabled))
        },
    )))
}

/// Each product's tier prices and (from Magento 1.7) group prices, as the
/// export's cells.
async fn tier_prices(
    db: &mut MagentoDb,
) -> Result<HashMap<u64, Vec<Vec<(String, String)>>>, MagentoError> {
    let mut tiers: HashMap<u64, Vec<Vec<(String, String)>>> = HashMap::new();
    for (table, qty, prefix) in [
        (
            "catalog_product_entity_tier_price",
            "CAST(qty AS CHAR)",
            "_tier_price",
        ),
        ("catalog_product_entity_group_price", "'1'", "_group_price"),
    ] {
        if !db.tables().has(table) {
            continue;
        }
        let name = db.tables().name(table);
        let rows: Vec<(u64, u64, String, String, String)> = db
            .rows(
                table,
                &format!(
                    "SELECT CAST(entity_id AS UNSIGNED), CAST(all_groups AS UNSIGNED), \
                     CAST(customer_group_id AS CHAR), {qty}, \
                     CAST(value AS CHAR) FROM {name} ORDER BY entity_id, value_id"
                ),
            )
            .await?;
        for (product, all_groups, group, qty, price) in rows {
            let group = if all_groups == 1 {
                "all".to_owned()
            } else {
                group
            };
            let mut cells = vec![
                (format!("{prefix}_website"), "all".to_owned()),
                (format!("{prefix}_customer_group"), group),
                (format!("{prefix}_price"), price),
            ];
            if prefix == "_tier_price" {
                cells.push(("_tier_price_qty".to_owned(), qty));
            }
            tiers.entry(product).or_default().push(cells);
        }
    }
    Ok(tiers)
}

/// Each product's related, up-sell and cross-sell links: kind, linked product,
/// position.
async fn links(
    db: &mut MagentoDb,
) -> Result<HashMap<u64, Vec<(String, u64, String)>>, MagentoError> {
    let needed = [
        "catalog_product_link",
        "catalog_product_link_type",
        "catalog_product_link_attribute",
        "catalog_product_link_attribute_int",
    ];
    if !needed.iter().all(|table| db.tables().has(table)) {
        return Ok(HashMap::new());
    }
    let [links, types, attributes, values] = needed.map(|table| db.tables().name(table));
    let rows: Vec<(u64, u64, String, String)> = db
        .rows(
            "catalog_product_link",
            &format!(
                "SELECT CAST(l.product_id AS UNSIGNED), CAST(l.linked_product_id AS UNSIGNED), \
                 CAST(t.code AS CHAR), \
                 COALESCE(CAST(v.value AS CHAR), '') \
                 FROM {links} l JOIN {types} t ON t.link_type_id = l.link_type_id \
                 LEFT JOIN {attributes} a ON a.link_type_id = l.link_type_id \
                   AND a.product_link_attribute_code = 'position' \
                 LEFT JOIN {values} v ON v.link_id = l.link_id \
                   AND v.product_link_attribute_id = a.product_link_attribute_id \
                 WHERE t.code IN ('relation', 'up_sell', 'cross_sell') \
                 ORDER BY l.product_id, l.link_id"
            ),
        )
        .await?;
    Ok(crate::grouped(rows.into_iter().map(
        |(product, linked, kind, position)| (product, (kind, linked, position)),
    )))
}

/// A custom option's row (`catalog_product_option`).
#[derive(sqlx::FromRow)]
struct OptionRow {
    id: u64,
    product: u64,
    kind: Option<String>,
    required: u64,
    sku: Option<Vec<u8>>,
    max_characters: Option<String>,
    sort: Option<String>,
}

/// A value of a drop-down, radio, checkbox or multiple-select option.
#[derive(sqlx::FromRow)]
struct OptionValueRow {
    id: u64,
    option: u64,
    sku: Option<Vec<u8>>,
    sort: Option<String>,
}

/// Titles (of options or of their values) by what they title and store view.
type Titles = HashMap<(u64, u64), String>;
/// Prices (`5.0000`, or `10.0000%`) by what they price (admin scope).
type Prices = HashMap<u64, String>;

/// Each product's custom options as the export's rows: per option, a row with its
/// type, title and first value, a row per further value, then per store view a
/// row with its title and first value's, and a row per further value's (as
/// Magento's export writes them).
async fn custom_options(
    db: &mut MagentoDb,
    stores: &Stores,
) -> Result<HashMap<u64, Vec<Vec<(String, String)>>>, MagentoError> {
    let needed = [
        "catalog_product_option",
        "catalog_product_option_title",
        "catalog_product_option_type_value",
        "catalog_product_option_type_title",
    ];
    if !needed.iter().all(|table| db.tables().has(table)) {
        return Ok(HashMap::new());
    }
    let [
        options_table,
        titles_table,
        values_table,
        value_titles_table,
    ] = needed.map(|table| db.tables().name(table));
    let options: Vec<OptionRow> = db
        .rows(
            "catalog_product_option",
            &format!(
                "SELECT CAST(option_id AS UNSIGNED) AS id, CAST(product_id AS UNSIGNED) AS product, \
                 CAST(type AS CHAR) AS kind, CAST(is_require AS UNSIGNED) AS required, \
                 CAST(sku AS BINARY) AS sku, CAST(max_characters AS CHAR) AS max_characters, \
                 CAST(sort_order AS CHAR) AS sort FROM {options_table} \
                 ORDER BY product_id, sort_order, option_id"
            ),
        )
        .await?;
    let values: Vec<OptionValueRow> = db
        .rows(
            "catalog_product_option_type_value",
            &format!(
                "SELECT CAST(option_type_id AS UNSIGNED) AS id, \
                 CAST(option_id AS UNSIGNED) AS `option`, CAST(sku AS BINARY) AS sku, \
                 CAST(sort_order AS CHAR) AS sort FROM {values_table} \
                 ORDER BY option_id, sort_order, option_type_id"
            ),
        )
        .await?;
    let titles = titles_of(
        db,
        "catalog_product_option_title",
        &titles_table,
        "option_id",
    )
    .await?;
    let value_titles = titles_of(
        db,
        "catalog_product_option_type_title",
        &value_titles_table,
        "option_type_id",
    )
    .await?;
    let prices = option_prices(db, "catalog_product_option_price", "option_id").await?;
    let value_prices =
        option_prices(db, "catalog_product_option_type_price", "option_type_id").await?;
    let values_of = crate::grouped(values.into_iter().map(|value| (value.option, value)));
    let mut by_product: HashMap<u64, Vec<Vec<(String, String)>>> = HashMap::new();
    for option in options {
        let rows = by_product.entry(option.product).or_default();
        let option_values = values_of
            .get(&option.id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let value_cells = |value: &OptionValueRow| {
            vec![
                (
                    "_custom_option_row_title".to_owned(),
                    titles_or_empty(&value_titles, value.id, 0),
                ),
                (
                    "_custom_option_row_price".to_owned(),
                    value_prices.get(&value.id).cloned().unwrap_or_default(),
                ),
                (
                    "_custom_option_row_sku".to_owned(),
                    crate::lossy(value.sku.as_deref()),
                ),
                (
                    "_custom_option_row_sort".to_owned(),
                    value.sort.clone().unwrap_or_default(),
                ),
            ]
        };
        let mut first = vec![
            ("_custom_option_store".to_owned(), String::new()),
            (
                "_custom_option_type".to_owned(),
                option.kind.clone().unwrap_or_default(),
            ),
            (
                "_custom_option_title".to_owned(),
                titles_or_empty(&titles, option.id, 0),
            ),
            (
                "_custom_option_is_required".to_owned(),
                option.required.to_string(),
            ),
            (
                "_custom_option_price".to_owned(),
                prices.get(&option.id).cloned().unwrap_or_default(),
            ),
            (
                "_custom_option_sku".to_owned(),
                crate::lossy(option.sku.as_deref()),
            ),
            (
                "_custom_option_max_characters".to_owned(),
                option.max_characters.clone().unwrap_or_default(),
            ),
            (
                "_custom_option_sort_order".to_owned(),
                option.sort.clone().unwrap_or_default(),
            ),
        ];
        if let Some(value) = option_values.first() {
            first.extend(value_cells(value));
        }
        rows.push(first);
        for value in option_values.iter().skip(1) {
            rows.push(value_cells(value));
        }
        for (view, _) in stores.mapped() {
            let own_title = titles
                .get(&(option.id, view.id))
                .cloned()
                .unwrap_or_default();
            let value_title = |value: &OptionValueRow| {
                value_titles
                    .get(&(value.id, view.id))
                    .cloned()
                    .unwrap_or_default()
            };
            let any_own =
                !own_title.is_empty() || option_values.iter().any(|v| !value_title(v).is_empty());
            if !any_own {
                continue;
            }
            let store = ("_custom_option_store".to_owned(), view.code.clone());
            let mut first = vec![
                store.clone(),
                ("_custom_option_title".to_owned(), own_title),
            ];
            if let Some(value) = option_values.first() {
                first.push(("_custom_option_row_title".to_owned(), value_title(value)));
            }
            rows.push(first);
            for value in option_values.iter().skip(1) {
                rows.push(vec![
                    store.clone(),
                    ("_custom_option_row_title".to_owned(), value_title(value)),
                ]);
            }
        }
    }
    Ok(by_product)
}

fn titles_or_empty(titles: &Titles, id: u64, store: u64) -> String {
    titles.get(&(id, store)).cloned().unwrap_or_default()
}

/// The titles of `table` (named `name` in SQL) by the id in `column` and store view.
async fn titles_of(
    db: &mut MagentoDb,
    table: &str,
    name: &str,
    column: &str,
) -> Result<Titles, MagentoError> {
    let rows: Vec<(u64, u64, Option<Vec<u8>>)> = db
        .rows(
            table,
            &format!(
                "SELECT CAST({column} AS UNSIGNED), CAST(store_id AS UNSIGNED), \
                 CAST(title AS BINARY) FROM {name}"
            ),
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, store, title)| ((id, store), crate::lossy(title.as_deref())))
        .collect())
}

/// The admin scope's prices of `table`, by the id in `column`: `5.0000`, or
/// `10.0000%` for a percentage of the product's price.
async fn option_prices(
    db: &mut MagentoDb,
    table: &str,
    column: &str,
) -> Result<Prices, MagentoError> {
    if !db.tables().has(table) {
        return Ok(HashMap::new());
    }
    let name = db.tables().name(table);
    let rows: Vec<(u64, Option<String>, Option<String>)> = db
        .rows(
            table,
            &format!(
                "SELECT CAST({column} AS UNSIGNED), CAST(price AS CHAR), \
                 CAST(price_type AS CHAR) FROM {name} WHERE store_id = 0"
            ),
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, price, kind)| {
            let price = price.unwrap_or_default();
            let price = if kind.as_deref() == Some("percent") {
                format!("{price}%")
            } else {
                price
            };
            (id, price)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_told_by_the_product_whose_rows_hold_it() {
        let sheet = ProductSheet {
            csv: Vec::new(),
            lines: vec![(2, 10, "BRUJA".into()), (9, 20, "PELUCA".into())],
            skus: HashMap::new(),
            children: 0,
            positions: HashMap::new(),
        };
        assert_eq!(sheet.entity_at(1), "catalogue");
        assert_eq!(sheet.entity_at(2), "product 10 (BRUJA)");
        assert_eq!(sheet.entity_at(8), "product 10 (BRUJA)");
        assert_eq!(sheet.entity_at(40), "product 20 (PELUCA)");
    }
}
