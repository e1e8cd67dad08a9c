//! Writes the demo catalogue as a Magento 1.9 product export, the way Magento
//! writes one: children as `simple` rows with visibility 1, then each product's
//! admin row and its continuation rows (more categories, gallery images, children),
//! then one row per store view with its translations. For measuring the import of
//! a whole shop; the categories are those `comptoir seed` creates.
//!
//! Usage: `magento-export PRODUCTS > export.csv`

use std::collections::HashMap;
use std::io::Write;

use comptoir_domain::{Catalogue, CategoryId, Locale, Money, Product, SiteCode};

const COLUMNS: [&str; 24] = [
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
    "special_from_date",
    "special_price",
    "special_to_date",
    "status",
    "url_key",
    "url_path",
    "visibility",
    "size",
    "_media_image",
    "_super_products_sku",
    "_super_attribute_code",
    "_super_attribute_option",
    "_super_attribute_price_corr",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let products: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .ok_or("usage: magento-export PRODUCTS")?;
    let catalogue = comptoir_demo::generate(products);
    let paths = category_paths(&catalogue);
    let mut out = csv::Writer::from_writer(std::io::BufWriter::new(std::io::stdout().lock()));
    out.write_record(COLUMNS)?;
    for product in &catalogue.products {
        write_product(&mut out, product, &paths)?;
    }
    out.into_inner()?.flush()?;
    Ok(())
}

/// Each category's path below the root, in Spanish (Magento's admin names).
fn category_paths(catalogue: &Catalogue) -> HashMap<CategoryId, String> {
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

fn write_row(out: &mut csv::Writer<impl Write>, row: &Row) -> csv::Result<()> {
    out.write_record(COLUMNS.map(|c| row.get(c).map_or("", String::as_str)))
}

fn write_product(
    out: &mut csv::Writer<impl Write>,
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
            row.insert("_super_attribute_code", "size".into());
            row.insert(
                "_super_attribute_option",
                child.size.clone().unwrap_or_default(),
            );
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
