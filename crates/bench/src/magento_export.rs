//! The demo catalogue written as a Magento 1.9 product export, the way Magento writes
//! one: children as `simple` rows with visibility 1, then each product's admin row
//! and its continuation rows (more categories, gallery images, children), then one
//! row per store view with its translations. With quirks, after every
//! [`QUIRK_EVERY`]th product come products with what real exports hold and a plain
//! export lacks ([`Quirk`]), for the import to read as Magento would.

use std::collections::HashMap;
use std::io::Write;

use comptoir_domain::{Catalogue, CategoryId, Locale, Money, Product, SiteCode};

const COLUMNS: [&str; 55] = [
    "sku",
    "_store",
    "_attribute_set",
    "_type",
    "_category",
    "_root_category",
    "_product_websites",
    "description",
    "name",
    "price",
    "qty",
    "is_in_stock",
    "manage_stock",
    "use_config_manage_stock",
    "backorders",
    "use_config_backorders",
    "min_sale_qty",
    "use_config_min_sale_qty",
    "special_from_date",
    "special_price",
    "special_to_date",
    "status",
    "url_key",
    "url_path",
    "visibility",
    "weight",
    "meta_keyword",
    "short_description",
    "manufacturer",
    "country_of_manufacture",
    "ean",
    "news_from_date",
    "news_to_date",
    "tax_class_id",
    "_links_related_sku",
    "_links_related_position",
    "_links_upsell_sku",
    "_links_upsell_position",
    "_tier_price_website",
    "_tier_price_customer_group",
    "_tier_price_qty",
    "_tier_price_price",
    "size",
    "color",
    "genero",
    "_media_image",
    "_super_products_sku",
    "_super_attribute_code",
    "_super_attribute_option",
    "_super_attribute_price_corr",
    "_custom_option_type",
    "_custom_option_title",
    "_custom_option_is_required",
    "_custom_option_row_title",
    "_custom_option_row_price",
];

/// Products between two runs of quirky products.
pub const QUIRK_EVERY: usize = 1000;

/// What real Magento exports hold that the demo's plain export lacks, each written
/// as products of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quirk {
    /// A `_category` path the tree lacks.
    NewCategory,
    /// A SKU with spaces and `<`.
    SymbolsInSku,
    /// Two SKUs that differ only by a trailing tab and a trailing space.
    WhitespaceTwins,
    /// Two products with one `url_key`, Magento's `url_path` telling them apart.
    SharedUrlKey,
    /// A `url_key` with an accent and `&`.
    InvalidUrlKey,
    /// `qty` below zero.
    NegativeStock,
    /// A bundle.
    Bundle,
    /// A special price from a slashed date, month first.
    SlashedDate,
    /// A row without SKU with its own type, name and price.
    LostSku,
    /// An HTML description with a script.
    HtmlDescription,
    /// In no website.
    NoWebsite,
    /// Its French store view disabled.
    StoreViewDisabled,
    /// A store view no site is mapped to.
    UnmappedStoreView,
    /// `is_in_stock` 0 with units.
    OutOfStock,
    /// Backorders of its own.
    Backorders,
    /// A configurable by size and gender, the XXL dearer, one child without a
    /// gender.
    SuperAttributes,
    /// A required drop-down custom option with a dearer value, and a text one.
    CustomOptions,
    /// Sold two units at a time at least.
    SaleQuantities,
    /// A country, a barcode and days as new that cannot be read, and the untaxed
    /// class.
    UnreadableFacts,
    /// Related to the product before it, and up-sold to a SKU no file has.
    Links,
    /// Cheaper from ten units for every shopper, and for a customer group.
    TierPrices,
}

impl Quirk {
    pub const ALL: [Quirk; 21] = [
        Quirk::NewCategory,
        Quirk::SymbolsInSku,
        Quirk::WhitespaceTwins,
        Quirk::SharedUrlKey,
        Quirk::InvalidUrlKey,
        Quirk::NegativeStock,
        Quirk::Bundle,
        Quirk::SlashedDate,
        Quirk::LostSku,
        Quirk::HtmlDescription,
        Quirk::NoWebsite,
        Quirk::StoreViewDisabled,
        Quirk::UnmappedStoreView,
        Quirk::OutOfStock,
        Quirk::Backorders,
        Quirk::SuperAttributes,
        Quirk::CustomOptions,
        Quirk::SaleQuantities,
        Quirk::UnreadableFacts,
        Quirk::Links,
        Quirk::TierPrices,
    ];
}

/// Where each quirk was written: its first line in the file (the header is line 1).
pub type QuirkLines = Vec<(Quirk, u64)>;

/// Writes `catalogue` as a Magento export to `out`, with quirky products after every
/// [`QUIRK_EVERY`]th product when `quirks`; the lines the quirks start on.
pub fn write_export(
    catalogue: &Catalogue,
    out: impl Write,
    quirks: bool,
) -> Result<QuirkLines, Box<dyn std::error::Error>> {
    let paths = category_paths(catalogue);
    let mut out = Export {
        csv: csv::Writer::from_writer(out),
        line: 1,
    };
    out.csv.write_record(COLUMNS)?;
    let mut lines = Vec::new();
    for (i, product) in catalogue.products.iter().enumerate() {
        write_product(&mut out, product, &paths)?;
        if quirks && (i + 1) % QUIRK_EVERY == 0 {
            for quirk in Quirk::ALL {
                lines.push((quirk, out.line + 1));
                write_quirk(&mut out, quirk, i / QUIRK_EVERY)?;
            }
        }
    }
    out.csv.flush()?;
    Ok(lines)
}

/// The CSV writer and the line last written (no field holds a line end).
struct Export<W: Write> {
    csv: csv::Writer<W>,
    line: u64,
}

/// Each category's path below the root, in Spanish (Magento's admin names).
pub fn category_paths(catalogue: &Catalogue) -> HashMap<CategoryId, String> {
    let by_id: HashMap<CategoryId, _> = catalogue.categories.iter().map(|c| (c.id, c)).collect();
    catalogue
        .categories
        .iter()
        .map(|category| {
            let mut names = vec![category.names[Locale::Es].clone()];
            let mut parent = category.parent;
            while let Some(id) = parent {
                names.push(by_id[&id].names[Locale::Es].clone());
                parent = by_id[&id].parent;
            }
            names.reverse();
            (category.id, names.join("/"))
        })
        .collect()
}

fn amount(money: Money) -> String {
    format!("{}.{:02}00", money.cents() / 100, money.cents() % 100)
}

type Row = HashMap<&'static str, String>;

fn write_row(out: &mut Export<impl Write>, row: &Row) -> csv::Result<()> {
    out.line += 1;
    out.csv
        .write_record(COLUMNS.map(|c| row.get(c).map_or("", String::as_str)))
}

/// A row of `fields`, the others empty.
fn row(fields: &[(&'static str, &str)]) -> Row {
    fields
        .iter()
        .map(|(column, value)| (*column, (*value).to_owned()))
        .collect()
}

/// A simple product's admin row, for quirks to change: in the base website, one
/// unit, managed stock.
fn quirky_product(sku: &str, key: &str) -> Row {
    row(&[
        ("sku", sku),
        ("_attribute_set", "Default"),
        ("_type", "simple"),
        ("_product_websites", "base"),
        ("description", "<p>Artículo de prueba.</p>"),
        ("name", &format!("Artículo {key}")),
        ("price", "9.9900"),
        ("qty", "1.0000"),
        ("is_in_stock", "1"),
        ("manage_stock", "0"),
        ("use_config_manage_stock", "1"),
        ("backorders", "0"),
        ("use_config_backorders", "1"),
        ("status", "1"),
        ("url_key", key),
        ("url_path", &format!("{key}.html")),
        ("visibility", "4"),
        ("weight", "0.5000"),
        ("meta_keyword", "disfraz"),
        ("tax_class_id", "Taxable Goods"),
    ])
}

/// The products of one quirk, the `n`th time it is written.
fn write_quirk(out: &mut Export<impl Write>, quirk: Quirk, n: usize) -> csv::Result<()> {
    let key = format!("quirk-{n}-{quirk:?}").to_lowercase();
    let sku = format!("QUIRK-{n}-{quirk:?}").to_uppercase();
    let mut product = quirky_product(&sku, &key);
    let mut set = |column: &'static str, value: &str| {
        product.insert(column, value.to_owned());
    };
    match quirk {
        Quirk::NewCategory => {
            set("_root_category", "Default Category");
            set("_category", &format!("Novedades Magento/Lote {n}"));
        }
        Quirk::SymbolsInSku => set("sku", &format!("Kit <{n}> pirata")),
        Quirk::WhitespaceTwins => {
            set("sku", &format!("{sku}\t"));
            write_row(out, &product)?;
            let mut twin = quirky_product(&format!("{sku} "), &format!("{key}-twin"));
            twin.insert("name", "Gemelo".to_owned());
            return write_row(out, &twin);
        }
        Quirk::SharedUrlKey => {
            write_row(out, &product)?;
            let mut second = quirky_product(&format!("{sku}-B"), &key);
            second.insert("url_path", format!("{key}-575.html"));
            return write_row(out, &second);
        }
        Quirk::InvalidUrlKey => set("url_key", &format!("café-{n}-&-té")),
        Quirk::NegativeStock => set("qty", "-1.0000"),
        Quirk::Bundle => set("_type", "bundle"),
        Quirk::SlashedDate => {
            set("special_price", "7.9900");
            set("special_from_date", "4/24/2014 19:50:04");
        }
        Quirk::LostSku => {
            write_row(out, &product)?;
            let mut lost = quirky_product("", &format!("{key}-lost"));
            lost.insert("name", "Sin SKU".to_owned());
            return write_row(out, &lost);
        }
        Quirk::HtmlDescription => set(
            "description",
            "<h1>Le t&eacute;l&eacute;phone</h1><p onclick=\"x()\">Rouge</p><script>alert(1)</script>",
        ),
        Quirk::NoWebsite => set("_product_websites", ""),
        Quirk::StoreViewDisabled => {
            write_row(out, &product)?;
            return write_row(out, &row(&[("_store", "fr"), ("status", "2")]));
        }
        Quirk::UnmappedStoreView => {
            write_row(out, &product)?;
            return write_row(out, &row(&[("_store", "de"), ("name", "Kostüm")]));
        }
        Quirk::OutOfStock => {
            set("qty", "5.0000");
            set("is_in_stock", "0");
        }
        Quirk::Backorders => {
            set("qty", "0.0000");
            set("backorders", "1");
            set("use_config_backorders", "0");
        }
        Quirk::SuperAttributes => {
            let children = [
                ("M", "Hombre"),
                ("XXL", "Hombre"),
                ("M", "Mujer"),
                ("L", ""),
            ];
            for (size, gender) in children {
                let child_key = format!("{key}-{size}-{gender}").to_lowercase();
                let mut child = quirky_product(&format!("{sku}-{size}-{gender}"), &child_key);
                child.insert("visibility", "1".to_owned());
                child.insert("size", size.to_owned());
                child.insert("genero", gender.to_owned());
                write_row(out, &child)?;
            }
            set("_type", "configurable");
            // As Magento pairs them: children and attribute values by position only.
            let prices = [
                ("size", "M", "0"),
                ("size", "XXL", "5.0000"),
                ("genero", "Hombre", ""),
                ("genero", "Mujer", ""),
            ];
            for (at, (size, gender)) in children.into_iter().enumerate() {
                let mut row = if at == 0 {
                    std::mem::take(&mut product)
                } else {
                    Row::new()
                };
                row.insert("_super_products_sku", format!("{sku}-{size}-{gender}"));
                let (code, option, correction) = prices[at];
                row.insert("_super_attribute_code", code.to_owned());
                row.insert("_super_attribute_option", option.to_owned());
                row.insert("_super_attribute_price_corr", correction.to_owned());
                write_row(out, &row)?;
            }
            return Ok(());
        }
        Quirk::CustomOptions => {
            set("_custom_option_type", "drop_down");
            set("_custom_option_title", "Longitud");
            set("_custom_option_is_required", "1");
            set("_custom_option_row_title", "Corta");
            set("_custom_option_row_price", "0.0000");
            write_row(out, &product)?;
            write_row(
                out,
                &row(&[
                    ("_custom_option_row_title", "Larga"),
                    ("_custom_option_row_price", "3.0000"),
                ]),
            )?;
            return write_row(
                out,
                &row(&[
                    ("_custom_option_type", "field"),
                    ("_custom_option_title", "Nombre"),
                    ("_custom_option_is_required", "0"),
                ]),
            );
        }
        Quirk::SaleQuantities => {
            set("min_sale_qty", "2.0000");
            set("use_config_min_sale_qty", "0");
            set("qty", "10.0000");
        }
        Quirk::UnreadableFacts => {
            set("country_of_manufacture", "China");
            set("ean", "123");
            set("news_from_date", "2026-11-01 00:00:00");
            set("news_to_date", "2026-10-01 00:00:00");
            set("tax_class_id", "None");
        }
        Quirk::Links => {
            set(
                "_links_related_sku",
                &format!("QUIRK-{n}-{:?}", Quirk::UnreadableFacts).to_uppercase(),
            );
            set("_links_related_position", "1");
            set("_links_upsell_sku", &format!("NO-EXPORTADO-{n}"));
            set("_links_upsell_position", "1");
        }
        Quirk::TierPrices => {
            set("_tier_price_website", "all");
            set("_tier_price_customer_group", "all");
            set("_tier_price_qty", "10.0000");
            set("_tier_price_price", "8.9900");
            write_row(out, &product)?;
            return write_row(
                out,
                &row(&[
                    ("_tier_price_website", "base"),
                    ("_tier_price_customer_group", "2"),
                    ("_tier_price_qty", "1.0000"),
                    ("_tier_price_price", "7.9900"),
                ]),
            );
        }
    }
    write_row(out, &product)
}

fn write_product(
    out: &mut Export<impl Write>,
    product: &Product,
    paths: &HashMap<CategoryId, String>,
) -> Result<(), Box<dyn std::error::Error>> {
    let offer = product
        .site(SiteCode::Es)
        .or(product.sites.iter().flatten().next());
    let price = offer
        .map(|o| amount(o.price))
        .unwrap_or_else(|| "0.0000".into());
    let configurable = product.variants.len() > 1 || product.variants[0].sku != product.sku;
    if configurable {
        for variant in &product.variants {
            let size = variant.size.clone().unwrap_or_default();
            let row: Row = [
                ("sku", variant.sku.as_str().to_owned()),
                ("_attribute_set", "Disfraces".into()),
                ("_type", "simple".into()),
                ("_product_websites", "base".into()),
                ("name", format!("{} {size}", product.names[Locale::Es])),
                ("price", price.clone()),
                ("qty", format!("{}.0000", variant.stock)),
                ("status", "1".into()),
                (
                    "url_key",
                    format!(
                        "{}-{}",
                        product.url_keys[Locale::Es],
                        variant.sku.as_str().to_lowercase()
                    ),
                ),
                ("visibility", "1".into()),
                ("size", size),
                ("color", variant.colour.clone().unwrap_or_default()),
            ]
            .into_iter()
            .collect();
            write_row(out, &row)?;
        }
    }
    let sale = offer.and_then(|o| o.sale);
    let day = |at: Option<chrono::DateTime<chrono::Utc>>| {
        at.map(|at| at.format("%Y-%m-%d 00:00:00").to_string())
            .unwrap_or_default()
    };
    let mut admin: Row = [
        ("sku", product.sku.as_str().to_owned()),
        ("_attribute_set", "Disfraces".into()),
        (
            "_type",
            if configurable {
                "configurable"
            } else {
                "simple"
            }
            .into(),
        ),
        ("_product_websites", "base".into()),
        ("description", product.descriptions[Locale::Es].clone()),
        ("name", product.names[Locale::Es].clone()),
        ("price", price),
        (
            "qty",
            if configurable {
                "0.0000".into()
            } else {
                format!("{}.0000", product.variants[0].stock)
            },
        ),
        (
            "special_price",
            sale.map(|s| amount(s.price)).unwrap_or_default(),
        ),
        ("special_from_date", day(sale.and_then(|s| s.starts_at))),
        (
            "special_to_date",
            day(sale
                .and_then(|s| s.last_day())
                .map(|d| d.and_hms_opt(0, 0, 0).unwrap().and_utc())),
        ),
        ("status", if product.enabled { "1" } else { "2" }.into()),
        ("url_key", product.url_keys[Locale::Es].clone()),
        ("url_path", format!("{}.html", product.url_keys[Locale::Es])),
        ("visibility", "4".into()),
        ("tax_class_id", "Taxable Goods".into()),
        (
            "manufacturer",
            product.facts.brand.clone().unwrap_or_default(),
        ),
        (
            "country_of_manufacture",
            product
                .facts
                .made_in
                .map(|country| country.as_str().to_owned())
                .unwrap_or_default(),
        ),
        (
            "weight",
            product
                .facts
                .weight_grams
                .map(|grams| format!("{}.{:03}0", grams / 1000, grams % 1000))
                .unwrap_or_default(),
        ),
    ]
    .into_iter()
    .collect();
    // The admin row carries the first of each list; continuation rows the rest.
    let categories: Vec<&String> = product
        .categories
        .iter()
        .filter_map(|(id, _)| paths.get(id))
        .collect();
    let images: Vec<String> = product.images.iter().map(|i| format!("/{i}")).collect();
    let children: Vec<_> = if configurable {
        product.variants.iter().collect()
    } else {
        Vec::new()
    };
    // Magento lists each super attribute's values apart from the children, paired
    // with them by position only: the children's own rows say which is which.
    let super_values: Vec<(&str, String)> = children
        .iter()
        .map(|child| match (&child.size, &child.colour) {
            (Some(size), _) => ("size", size.clone()),
            (None, Some(colour)) => ("color", colour.clone()),
            (None, None) => ("size", String::new()),
        })
        .collect();
    let lines = categories
        .len()
        .max(images.len())
        .max(children.len())
        .max(1);
    for line in 0..lines {
        let mut row = if line == 0 {
            std::mem::take(&mut admin)
        } else {
            Row::new()
        };
        if let Some(path) = categories.get(line) {
            row.insert("_category", (*path).clone());
            row.insert("_root_category", "Default Category".into());
        }
        if let Some(image) = images.get(line) {
            row.insert("_media_image", image.clone());
        }
        if let Some(child) = children.get(line) {
            row.insert("_super_products_sku", child.sku.as_str().to_owned());
        }
        if let Some((code, value)) = super_values.get(line) {
            row.insert("_super_attribute_code", (*code).to_owned());
            row.insert("_super_attribute_option", value.clone());
            row.insert("_super_attribute_price_corr", "0".to_owned());
        }
        write_row(out, &row)?;
    }
    for (store, locale) in [("fr", Locale::Fr), ("pt", Locale::Pt), ("it", Locale::It)] {
        let row: Row = [
            ("_store", store.to_owned()),
            ("name", product.names[locale].clone()),
            ("description", product.descriptions[locale].clone()),
            ("url_key", product.url_keys[locale].clone()),
            ("url_path", format!("{}.html", product.url_keys[locale])),
        ]
        .into_iter()
        .collect();
        write_row(out, &row)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use comptoir_domain::SiteCode;
    use comptoir_domain::StockPolicy;
    use comptoir_import::magento_products::MagentoSettings;

    use super::*;

    /// Every quirk of an export of 2 000 products is read as Magento would: each
    /// left-out row and each note is on a quirk's line, and every quirk's rows are
    /// named in the report or imported as they should be.
    #[test]
    fn the_report_names_every_quirks_rows() {
        let catalogue = comptoir_demo::generate(2 * QUIRK_EVERY);
        let mut file = Vec::new();
        let lines = write_export(&catalogue, &mut file, true).unwrap();
        assert_eq!(lines.len(), 2 * Quirk::ALL.len());
        let categories: HashMap<String, CategoryId> = category_paths(&catalogue)
            .into_iter()
            .map(|(id, path)| (path, id))
            .collect();
        let read = comptoir_import::read_products(
            file.as_slice(),
            &categories,
            &MagentoSettings::default(),
        )
        .unwrap();
        let line_of = |quirk: Quirk| {
            lines
                .iter()
                .find(|(written, _)| *written == quirk)
                .map(|(_, line)| *line)
                .unwrap()
        };
        // A quirk's rows: from its first line to the next quirk's.
        let rows_of = |line: u64| {
            let next = lines
                .iter()
                .map(|(_, l)| *l)
                .filter(|l| *l > line)
                .min()
                .unwrap_or(line + 2);
            line..next.max(line + 2)
        };
        let reported = |quirk: Quirk, says: &str| {
            let rows = rows_of(line_of(quirk));
            read.rejected
                .iter()
                .chain(&read.notes)
                .any(|row| rows.contains(&row.line) && row.message.contains(says))
        };
        for (quirk, says) in [
            (Quirk::NewCategory, "category 'Novedades Magento' created"),
            (
                Quirk::WhitespaceTwins,
                "imported as QUIRK-0-WHITESPACETWINS-2",
            ),
            (Quirk::SharedUrlKey, "is an earlier product's too"),
            (Quirk::InvalidUrlKey, "is not a URL key"),
            (Quirk::NegativeStock, "below zero"),
            (Quirk::Bundle, "a bundle product"),
            (Quirk::LostSku, "no SKU"),
            (Quirk::NoWebsite, "in no website"),
            (Quirk::StoreViewDisabled, "disabled in the fr store view"),
            (Quirk::UnmappedStoreView, "store view 'de' is not mapped"),
            (Quirk::OutOfStock, "is_in_stock 0"),
            (Quirk::SuperAttributes, "has no genero of its own"),
            (Quirk::CustomOptions, "custom option 'Nombre' (field)"),
            (
                Quirk::UnreadableFacts,
                "'China' is not a two-letter country code",
            ),
            (
                Quirk::UnreadableFacts,
                "GTIN: '123' is not 8, 12, 13 or 14 digits",
            ),
            (Quirk::UnreadableFacts, "are not days in order"),
            (Quirk::UnreadableFacts, "tax class 'None'"),
        ] {
            assert!(reported(quirk, says), "{quirk:?}: {says}");
        }
        let quirk_lines: Vec<u64> = lines.iter().map(|(_, line)| *line).collect();
        for row in read.rejected.iter().chain(&read.notes) {
            assert!(
                row.line == 1
                    || quirk_lines
                        .iter()
                        .any(|line| rows_of(*line).contains(&row.line)),
                "only quirks are reported: {row}"
            );
        }
        assert!(
            read.notes[1]
                .message
                .ends_with("columns not imported: _attribute_set"),
            "{}",
            read.notes[1]
        );
        assert!(
            read.notes.iter().any(|note| note.line == 1
                && note
                    .message
                    .starts_with("2 prices of a customer group kept")),
            "{:?}",
            read.notes
        );

        let product = |sku: &str| {
            read.records
                .products
                .iter()
                .find(|product| product.sku.as_str() == sku)
                .unwrap_or_else(|| panic!("{sku} imported"))
        };
        assert_eq!(product("KIT <0> PIRATA").variants.len(), 1);
        let html = &product("QUIRK-0-HTMLDESCRIPTION").descriptions[Locale::Es];
        assert_eq!(html, "<h3>Le téléphone</h3><p>Rouge</p>");
        let dated = product("QUIRK-0-SLASHEDDATE").sites[SiteCode::Es.index()]
            .as_ref()
            .unwrap()
            .sale
            .unwrap();
        assert_eq!(
            dated.starts_at.unwrap().date_naive().to_string(),
            "2014-04-24"
        );
        assert_eq!(
            product("QUIRK-0-BACKORDERS").variants[0].stock_policy,
            StockPolicy::Backorders
        );
        let by_gender = product("QUIRK-0-SUPERATTRIBUTES");
        let variants: Vec<_> = by_gender
            .variants
            .iter()
            .map(|v| {
                (
                    v.size.as_deref(),
                    v.choices[0].value.as_str(),
                    v.surcharge_cents[0],
                )
            })
            .collect();
        assert_eq!(
            variants,
            [
                (Some("M"), "Hombre", 0),
                (Some("XXL"), "Hombre", 500),
                (Some("M"), "Mujer", 0)
            ]
        );
        let with_options = product("QUIRK-0-CUSTOMOPTIONS").options.as_ref().unwrap();
        assert_eq!(with_options.len(), 1);
        assert_eq!(with_options[0].values[1].surcharge_cents[0], 300);
        assert_eq!(
            product("QUIRK-0-SALEQUANTITIES").variants[0].sale_units.min,
            2
        );
        assert!(!product("QUIRK-0-UNREADABLEFACTS").enabled, "untaxed");
        let links: Vec<(&str, &str)> = product("QUIRK-1-LINKS")
            .links
            .as_ref()
            .unwrap()
            .iter()
            .map(|link| (link.kind.as_str(), link.sku.as_str()))
            .collect();
        assert_eq!(
            links,
            [
                ("related", "QUIRK-1-UNREADABLEFACTS"),
                ("up_sell", "NO-EXPORTADO-1")
            ]
        );
        let tiers = product("QUIRK-0-TIERPRICES").price_tiers.as_ref().unwrap();
        assert_eq!(
            tiers
                .iter()
                .map(|tier| (tier.customer_group.as_deref(), tier.min_units))
                .collect::<Vec<_>>(),
            [(None, 10), (Some("2"), 1)]
        );
        // A product per quirk, one more for the twins and for the shared key, none
        // for the bundle; the lost row is no product.
        let per_round = Quirk::ALL.len() + 1 + 1 - 1;
        assert_eq!(
            read.records.products.len(),
            catalogue.products.len() + 2 * per_round
        );
    }
}
