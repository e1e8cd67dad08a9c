//! Comptoir's own product format, as the back office exports it: one row per
//! variant, the product's columns repeated on each of its rows (they must agree).
//! Categories are paths from the root (`Disfraces/Adultos`), several joined by `|`;
//! images likewise.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use chrono::NaiveDate;
use comptoir_domain::import::{CategoryRef, ImportedProduct, ImportedVariant, ProductFile};
use comptoir_domain::{
    AgeGroup, CategoryId, Gender, Locale, Money, PageMeta, PerLocale, ProductKind, Sale, SiteCode,
    SitePrice, Sku, StockPolicy, Visibility,
};

use crate::{FileError, ReadOutcome, RowError};

/// The columns of the format that hold the product (as opposed to the variant).
fn product_columns() -> Vec<String> {
    let mut columns: Vec<String> = ["sku", "kind", "enabled", "theme", "gender", "age_group"]
        .map(String::from)
        .to_vec();
    for field in [
        "name",
        "description",
        "url_key",
        "meta_title",
        "meta_description",
    ] {
        columns.extend(Locale::ALL.map(|locale| format!("{field}_{}", locale.as_str())));
    }
    for site in SiteCode::ALL {
        for field in [
            "price",
            "sale_price",
            "sale_from",
            "sale_until",
            "visibility",
        ] {
            columns.push(format!("{field}_{}", site.as_str()));
        }
    }
    columns.extend(["categories", "images"].map(String::from));
    columns
}

/// Every column of the format, in the order the export writes them.
pub fn columns() -> Vec<String> {
    let mut columns = product_columns();
    columns.extend(["variant_sku", "size", "colour", "stock", STOCK_POLICY].map(String::from));
    columns
}

/// A column files written before it existed lack: read as `counted`.
const STOCK_POLICY: &str = "stock_policy";

/// Reads a whole file; `categories` maps category paths to ids. `Ok(Err(..))` lists
/// every bad row: nothing should be written then.
pub fn read(
    input: impl Read,
    categories: &HashMap<String, CategoryId>,
) -> Result<ReadOutcome<ProductFile>, FileError> {
    let mut reader = crate::csv_reader(input, false);
    let required: Vec<String> = columns()
        .into_iter()
        .filter(|column| column != STOCK_POLICY)
        .collect();
    let header = crate::header(&mut reader, &required)?;
    let index = crate::ColumnIndex::new(&header);
    let product_columns = product_columns();
    let mut products: Vec<ImportedProduct> = Vec::new();
    // Where each SKU's product is in `products`.
    let mut product_index: HashMap<String, usize> = HashMap::new();
    // Each product's columns as first seen, to check that its other rows agree.
    let mut first_rows: HashMap<String, Vec<String>> = HashMap::new();
    let mut variant_skus = HashSet::new();
    // Products with a wrong row: left out whole.
    let mut rejected_skus = HashSet::new();
    let mut errors = Vec::new();
    crate::read_rows(&mut reader, &mut errors, |line, fields, errors| {
        // Text cells come as the export wrote them, formulas marked as text.
        let field = |name: &str| crate::spreadsheet::restored(index.field(fields, name));
        let mut problems = Vec::new();
        let variant = read_variant(&field, &mut problems);
        if let Some(variant) = &variant
            && !variant_skus.insert(variant.sku.as_str().to_owned())
        {
            problems.push(format!(
                "variant SKU {} appears twice",
                variant.sku.as_str()
            ));
        }
        let sku = field("sku");
        let own: Vec<String> = product_columns
            .iter()
            .map(|c| field(c).to_owned())
            .collect();
        match first_rows.get(sku) {
            Some(first) if *first != own => {
                problems.push(format!("the product columns differ from {sku}'s first row"));
            }
            Some(_) => {
                if problems.is_empty()
                    && let (Some(variant), Some(&index)) = (variant, product_index.get(sku))
                {
                    products[index].variants.push(variant);
                }
            }
            None => {
                first_rows.insert(sku.to_owned(), own);
                let product = read_product(&field, categories, &mut problems);
                if let (Some(mut product), Some(variant), true) =
                    (product, variant, problems.is_empty())
                {
                    product.variants.push(variant);
                    product_index.insert(sku.to_owned(), products.len());
                    products.push(product);
                }
            }
        }
        if !problems.is_empty() {
            rejected_skus.insert(sku.to_owned());
        }
        errors.extend(
            problems
                .into_iter()
                .map(|message| RowError { line, message }),
        );
    })?;
    products.retain(|product| !rejected_skus.contains(product.sku.as_str()));
    Ok(ReadOutcome {
        records: ProductFile {
            products,
            new_categories: Vec::new(),
            old_category_paths: Vec::new(),
        },
        rejected: errors,
        notes: Vec::new(),
    })
}

fn read_variant<'f>(
    field: &impl Fn(&str) -> &'f str,
    problems: &mut Vec<String>,
) -> Option<ImportedVariant> {
    let sku = Sku::parse(field("variant_sku"))
        .map_err(|e| problems.push(format!("variant_sku: {e}")))
        .ok();
    let stock_policy = match field(STOCK_POLICY) {
        "" => Some(StockPolicy::Counted),
        code => StockPolicy::parse(code).or_else(|| {
            problems.push(format!(
                "stock_policy: '{code}' is not counted, backorders or not_counted"
            ));
            None
        }),
    };
    // Units owed (below zero) only where the article sells beyond its stock.
    let stock = match field("stock").parse::<i32>() {
        Ok(stock) if stock >= 0 || stock_policy == Some(StockPolicy::Backorders) => Some(stock),
        _ => {
            problems.push(format!(
                "stock: '{}' is not a whole number from 0",
                field("stock")
            ));
            None
        }
    };
    let optional = |name: &str| Some(field(name).to_owned()).filter(|v| !v.is_empty());
    Some(ImportedVariant {
        sku: sku?,
        size: optional("size"),
        colour: optional("colour"),
        stock: stock?,
        stock_policy: stock_policy?,
    })
}

fn read_product<'f>(
    field: &impl Fn(&str) -> &'f str,
    categories: &HashMap<String, CategoryId>,
    problems: &mut Vec<String>,
) -> Option<ImportedProduct> {
    let mut problem = |message: String| problems.push(message);
    let sku = Sku::parse(field("sku"))
        .map_err(|e| problem(format!("sku: {e}")))
        .ok();
    let kind = ProductKind::parse(field("kind"));
    if kind.is_none() {
        problem(format!(
            "kind: '{}' is not simple or configurable",
            field("kind")
        ));
    }
    let enabled = match field("enabled") {
        "1" => true,
        "0" => false,
        other => {
            problem(format!("enabled: '{other}' is not 1 or 0"));
            false
        }
    };
    let optional_code = |name: &str| Some(field(name)).filter(|v| !v.is_empty());
    let gender = optional_code("gender").map(|code| {
        Gender::parse(code).ok_or_else(|| format!("gender: '{code}' is not women, men or unisex"))
    });
    let age_group = optional_code("age_group").map(|code| {
        AgeGroup::parse(code)
            .ok_or_else(|| format!("age_group: '{code}' is not adult, teen, kid or baby"))
    });
    let (gender, age_group) = (
        gender.transpose().map_err(&mut problem).ok().flatten(),
        age_group.transpose().map_err(&mut problem).ok().flatten(),
    );
    let texts = |kind: &str| {
        PerLocale::from_fn(|locale| field(&format!("{kind}_{}", locale.as_str())).to_owned())
    };
    let (names, url_keys) = (texts("name"), texts("url_key"));
    let descriptions =
        texts("description").map(|text| comptoir_domain::rich_text::sanitised(&text));
    for locale in Locale::ALL {
        if names[locale].is_empty() {
            problem(format!("name_{}: needed", locale.as_str()));
        }
        if !comptoir_domain::slug::is_url_key(&url_keys[locale]) {
            problem(format!(
                "url_key_{}: '{}' is not a URL key",
                locale.as_str(),
                url_keys[locale]
            ));
        }
    }
    let mut sites: [Option<SitePrice>; 4] = [None, None, None, None];
    for site in SiteCode::ALL {
        match read_offer(field, site) {
            Ok(offer) => sites[site.index()] = offer,
            Err(message) => problem(format!("site {}: {message}", site.as_str())),
        }
    }
    let mut placed = Vec::new();
    for path in field("categories")
        .split('|')
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        match categories.get(path) {
            Some(id) => placed.push(CategoryRef::Existing(*id)),
            None => problem(format!("categories: no category '{path}'")),
        }
    }
    let images = field("images")
        .split('|')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    Some(ImportedProduct {
        sku: sku?,
        kind: kind?,
        enabled,
        theme: optional_code("theme").map(str::to_owned),
        gender,
        age_group,
        names,
        descriptions,
        url_keys,
        meta: PerLocale::from_fn(|locale| PageMeta {
            title: field(&format!("meta_title_{}", locale.as_str())).to_owned(),
            description: field(&format!("meta_description_{}", locale.as_str())).to_owned(),
        }),
        sites,
        categories: placed,
        images,
        variants: Vec::new(),
        old_paths: Vec::new(),
    })
}

/// A site's offer from its columns: none when its price is empty.
fn read_offer<'f>(
    field: &impl Fn(&str) -> &'f str,
    site: SiteCode,
) -> Result<Option<SitePrice>, String> {
    let code = site.as_str();
    let column = |name: &str| field(&format!("{name}_{code}"));
    if column("price").is_empty() {
        return Ok(None);
    }
    let price = Money::parse(column("price"), site.currency())
        .map_err(|_| format!("price '{}' is not an amount such as 24.99", column("price")))?;
    let visibility = match column("visibility") {
        "" => Visibility::CatalogueAndSearch,
        code => Visibility::parse(code)
            .ok_or_else(|| format!("visibility '{code}' is not both, catalog, search or none"))?,
    };
    let sale = match column("sale_price") {
        "" => None,
        text => {
            // A sale price at or above the price is kept as it is: shoppers pay the
            // price (see `SitePrice::effective`).
            let sale_price = Money::parse(text, site.currency())
                .map_err(|_| format!("sale price '{text}' is not an amount"))?;
            let day = |name: &str| -> Result<Option<NaiveDate>, String> {
                match column(name) {
                    "" => Ok(None),
                    text => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                        .map(Some)
                        .map_err(|_| format!("{name} '{text}' is not a date (YYYY-MM-DD)")),
                }
            };
            Some(
                Sale::over_days(sale_price, day("sale_from")?, day("sale_until")?)
                    .ok_or("the sale ends before it starts")?,
            )
        }
    };
    Ok(Some(SitePrice {
        price,
        sale,
        visibility,
    }))
}
