//! The shop's products written as Magento's own product export would write them
//! (System → Import/Export → Export): a first row per product with its admin
//! values, then rows for its categories, websites, images, children, super
//! attribute prices, tier prices, links and each store view's own texts. The
//! export's reader (`comptoir_import::magento_products`) then reads them, so a
//! product means the same whichever way it comes.

use std::collections::HashMap;

use comptoir_import::magento_attributes::AttributeColumns;

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

/// Of those, the ones a store view may have its own value of (a price, when the
/// shop's price scope is the website).
const PER_STORE: [&str; 9] = [
    "name",
    "price",
    "description",
    "short_description",
    "url_key",
    "url_path",
    "meta_title",
    "meta_description",
    "meta_keyword",
];

/// The other columns the export's reader takes.
const LIST_COLUMNS: [&str; 36] = [
    "sku",
    "_store",
    "_type",
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
    "_category",
    "_product_websites",
    "_media_image",
    "_media_position",
    "_media_is_disabled",
    "_super_products_sku",
    "_super_attribute_code",
    "_super_attribute_option",
    "_super_attribute_price_corr",
    "_links_related_sku",
    "_links_related_position",
    "_links_upsell_sku",
    "_links_upsell_position",
    "_links_crosssell_sku",
    "_links_crosssell_position",
    "_tier_price_website",
    "_tier_price_customer_group",
    "_tier_price_qty",
    "_tier_price_price",
    "_group_price_website",
    "_group_price_customer_group",
    "_group_price_price",
    // Written empty: the export's reader reads every path below its root.
    "_root_category",
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
}

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
    facts: &AttributeColumns,
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

    let mut columns: Vec<String> = LIST_COLUMNS
        .iter()
        .chain(EXPORTED.iter())
        .map(|column| column.to_string())
        .collect();
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
        for category in placements.get(&id).into_iter().flatten() {
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

/// Each product's categories, by position.
async fn placements(db: &mut MagentoDb) -> Result<HashMap<u64, Vec<u64>>, MagentoError> {
    let table = db.tables().name("catalog_category_product");
    let rows: Vec<(u64, u64)> = db
        .rows(
            "catalog_category_product",
            &format!(
                "SELECT CAST(product_id AS UNSIGNED), CAST(category_id AS UNSIGNED) FROM {table} \
                 ORDER BY product_id, position, category_id"
            ),
        )
        .await?;
    Ok(crate::grouped(rows))
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
        };
        assert_eq!(sheet.entity_at(1), "catalogue");
        assert_eq!(sheet.entity_at(2), "product 10 (BRUJA)");
        assert_eq!(sheet.entity_at(8), "product 10 (BRUJA)");
        assert_eq!(sheet.entity_at(40), "product 20 (PELUCA)");
    }
}
