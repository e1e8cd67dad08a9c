//! Comptoir's own product format, as the back office exports it: one row per
//! variant, the product's columns repeated on each of its rows (they must agree).
//! Categories are paths from the root (`Disfraces/Adultos`), several joined by `|`;
//! images likewise.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use chrono::NaiveDate;
use comptoir_domain::import::{
    CategoryRef, ImportedProduct, ImportedVariant, Placement, ProductFile,
};
use comptoir_domain::product_facts::{CountryCode, Gtin, ProductFacts};
use comptoir_domain::{
    AgeGroup, CategoryId, ChoiceAttribute, Gender, Locale, Money, PageMeta, PerLocale, ProductKind,
    Sale, SaleUnits, SiteCode, SitePrice, Sku, StockPolicy, VariantChoice, Visibility,
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
    columns.extend(["variant_sku", "size", "colour", "stock"].map(String::from));
    columns.extend(optional_columns());
    columns.extend(fact_columns());
    columns
}

/// The product's facts ([`ProductFacts`]): files written before they existed lack
/// them, and their products keep the facts they have.
fn fact_columns() -> Vec<String> {
    let mut columns: Vec<String> = [
        "brand",
        "made_in",
        "weight_grams",
        "gtin",
        "new_from",
        "new_until",
    ]
    .map(String::from)
    .to_vec();
    for field in ["short_description", "meta_keywords"] {
        columns.extend(Locale::ALL.map(|locale| format!("{field}_{}", locale.as_str())));
    }
    columns
}

/// A product's facts as [`fact_columns`] write them.
pub fn fact_cells(facts: &ProductFacts) -> Vec<String> {
    let mut cells = vec![
        facts.brand.clone().unwrap_or_default(),
        facts
            .made_in
            .map(|country| country.as_str().to_owned())
            .unwrap_or_default(),
        facts
            .weight_grams
            .map(|grams| grams.to_string())
            .unwrap_or_default(),
        facts
            .gtin
            .as_ref()
            .map(|gtin| gtin.as_str().to_owned())
            .unwrap_or_default(),
        facts
            .new_from
            .map(|day| day.to_string())
            .unwrap_or_default(),
        facts
            .new_until
            .map(|day| day.to_string())
            .unwrap_or_default(),
    ];
    cells.extend(Locale::ALL.map(|locale| facts.short_descriptions[locale].clone()));
    cells.extend(Locale::ALL.map(|locale| facts.keywords[locale].clone()));
    cells
}

fn read_facts<'f>(field: &impl Fn(&str) -> &'f str, problems: &mut Vec<String>) -> ProductFacts {
    // A column's value, `None` when empty or wrong (the problem noted).
    fn optional<T, E: std::fmt::Display>(
        column: &str,
        text: &str,
        parse: impl Fn(&str) -> Result<T, E>,
        problems: &mut Vec<String>,
    ) -> Option<T> {
        if text.is_empty() {
            return None;
        }
        parse(text)
            .map_err(|why| problems.push(format!("{column}: {why}")))
            .ok()
    }
    let day = |text: &str| {
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| format!("'{text}' is not a day such as 2026-10-31"))
    };
    let grams = |text: &str| {
        text.parse::<u32>()
            .ok()
            .filter(|grams| *grams <= ProductFacts::HEAVIEST_GRAMS)
            .ok_or_else(|| format!("'{text}' is not a whole number of grams up to a tonne"))
    };
    let facts = ProductFacts {
        made_in: optional("made_in", field("made_in"), CountryCode::parse, problems),
        gtin: optional("gtin", field("gtin"), Gtin::parse, problems),
        weight_grams: optional("weight_grams", field("weight_grams"), grams, problems),
        new_from: optional("new_from", field("new_from"), day, problems),
        new_until: optional("new_until", field("new_until"), day, problems),
        short_descriptions: PerLocale::from_fn(|locale| {
            comptoir_domain::rich_text::sanitised(field(&format!(
                "short_description_{}",
                locale.as_str()
            )))
        }),
        keywords: PerLocale::from_fn(|locale| {
            field(&format!("meta_keywords_{}", locale.as_str())).to_owned()
        }),
        brand: Some(field("brand").to_owned()).filter(|brand| !brand.is_empty()),
    };
    if facts
        .new_from
        .zip(facts.new_until)
        .is_some_and(|(from, until)| from > until)
    {
        problems.push("new_until is before new_from".to_owned());
    }
    facts
}

/// A column files written before it existed lack: read as `counted`.
const STOCK_POLICY: &str = "stock_policy";
/// Choices beyond size and colour, `attribute=value` joined by `|`
/// (`formato=A4|genere=Uomo`); files written before it existed lack it.
const CHOICES: &str = "choices";

/// How many units one order may hold at least (empty: 1) and at most (empty: no
/// limit but the shop's).
const MIN_SALE_UNITS: &str = "min_sale_units";
const MAX_SALE_UNITS: &str = "max_sale_units";

/// Columns files written before they existed lack: the stock policy, further
/// choices, what the variant adds to the price on each site (`5.00`, `-2.50`),
/// and the units one order may hold.
fn optional_columns() -> Vec<String> {
    let mut columns = vec![STOCK_POLICY.to_owned(), CHOICES.to_owned()];
    columns.extend(SiteCode::ALL.map(|site| format!("surcharge_{}", site.as_str())));
    columns.extend([MIN_SALE_UNITS, MAX_SALE_UNITS].map(String::from));
    columns
}

/// A choice list as the `choices` column writes it.
pub fn choices_text(choices: &[VariantChoice]) -> String {
    choices
        .iter()
        .map(|choice| format!("{}={}", choice.attribute.as_str(), choice.value))
        .collect::<Vec<_>>()
        .join("|")
}

/// A surcharge as the `surcharge_<site>` columns write it; empty for none.
pub fn surcharge_text(cents: i64) -> String {
    match cents {
        0 => String::new(),
        _ => {
            let sign = if cents < 0 { "-" } else { "" };
            let abs = cents.unsigned_abs();
            format!("{sign}{}.{:02}", abs / 100, abs % 100)
        }
    }
}

fn read_choices(text: &str, problems: &mut Vec<String>) -> Vec<VariantChoice> {
    let mut choices: Vec<VariantChoice> = Vec::new();
    for part in text.split('|').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((attribute, value)) = part.split_once('=') else {
            problems.push(format!("choices: '{part}' is not attribute=value"));
            continue;
        };
        let value = value.trim();
        match ChoiceAttribute::parse(attribute) {
            Ok(attribute) if choices.iter().any(|c| c.attribute == attribute) => {
                problems.push(format!("choices: {} is given twice", attribute.as_str()));
            }
            Ok(_) if value.is_empty() => {
                problems.push(format!("choices: '{part}' has no value"));
            }
            Ok(attribute) => choices.push(VariantChoice {
                attribute,
                value: value.to_owned(),
            }),
            Err(e) => problems.push(format!("choices: {e}")),
        }
    }
    choices
}

fn read_surcharge(text: &str, column: &str, problems: &mut Vec<String>) -> i64 {
    let (negative, amount) = match text.trim().strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.trim()),
    };
    if amount.is_empty() {
        return 0;
    }
    match Money::parse(amount, comptoir_domain::Currency::Eur) {
        Ok(money) if negative => -money.cents(),
        Ok(money) => money.cents(),
        Err(e) => {
            problems.push(format!("{column}: {e}"));
            0
        }
    }
}

/// Reads a whole file; `categories` maps category paths to ids. `Ok(Err(..))` lists
/// every bad row: nothing should be written then.
pub fn read(
    input: impl Read,
    categories: &HashMap<String, CategoryId>,
) -> Result<ReadOutcome<ProductFile>, FileError> {
    let mut reader = crate::csv_reader(input, false);
    let optional = optional_columns();
    let facts = fact_columns();
    let required: Vec<String> = columns()
        .into_iter()
        .filter(|column| !optional.contains(column) && !facts.contains(column))
        .collect();
    let header = crate::header(&mut reader, &required)?;
    let index = crate::ColumnIndex::new(&header);
    let has_facts = index.has("brand");
    let product_columns: Vec<String> = product_columns().into_iter().chain(facts).collect();
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
                let mut product = read_product(&field, categories, &mut problems);
                if let Some(product) = &mut product
                    && has_facts
                {
                    product.facts = Some(read_facts(&field, &mut problems));
                }
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
    let choices = read_choices(field(CHOICES), problems);
    let surcharge_cents = SiteCode::ALL.map(|site| {
        let column = format!("surcharge_{}", site.as_str());
        read_surcharge(field(&column), &column, problems)
    });
    let units = |column: &str, problems: &mut Vec<String>| match field(column) {
        "" => Some(None),
        text => match text.parse::<u32>() {
            Ok(n) if (1..=i32::MAX as u32).contains(&n) => Some(Some(n)),
            _ => {
                problems.push(format!("{column}: '{text}' is not a whole number from 1"));
                None
            }
        },
    };
    let (min, max) = (
        units(MIN_SALE_UNITS, problems),
        units(MAX_SALE_UNITS, problems),
    );
    let sale_units = match (min, max) {
        (Some(min), Some(max)) => SaleUnits::new(min.unwrap_or(1), max).or_else(|| {
            problems.push(format!("{MAX_SALE_UNITS} is below {MIN_SALE_UNITS}"));
            None
        }),
        _ => None,
    };
    Some(ImportedVariant {
        sale_units: sale_units?,
        sku: sku?,
        size: optional("size"),
        colour: optional("colour"),
        choices,
        surcharge_cents,
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
            Some(id) => placed.push(Placement::in_category(CategoryRef::Existing(*id))),
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
        // Read by `read_facts` where the file has them; else the product keeps its own.
        facts: None,
        // Comptoir's format does not carry these: the product keeps its own.
        links: None,
        price_tiers: None,
        options: None,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_and_surcharges_read_back_as_written() {
        let mut problems = Vec::new();
        let choices = read_choices(" formato=A4 | Genero = Hombre ", &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(choices_text(&choices), "formato=A4|genero=Hombre");
        for cents in [0, 500, -250, 1] {
            let text = surcharge_text(cents);
            assert_eq!(read_surcharge(&text, "surcharge_es", &mut problems), cents);
        }
        assert!(problems.is_empty(), "{problems:?}");
        for bad in [
            "formato",
            "size=M",
            "formato=A4|formato=A3",
            "formato=",
            "2x=1",
        ] {
            let mut problems = Vec::new();
            read_choices(bad, &mut problems);
            assert_eq!(problems.len(), 1, "{bad}: {problems:?}");
        }
        read_surcharge("5,001", "surcharge_fr", &mut problems);
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn facts_read_back_as_written_and_wrong_ones_are_named() {
        let facts = ProductFacts {
            short_descriptions: PerLocale::from_fn(|l| format!("<p>Corta {l}</p>")),
            keywords: PerLocale::from_fn(|l| format!("globos, {l}")),
            brand: Some("Smiffys".into()),
            made_in: CountryCode::parse("CN").ok(),
            weight_grams: Some(350),
            gtin: Gtin::parse("4006381333931").ok(),
            new_from: "2026-10-01".parse().ok(),
            new_until: None,
        };
        let cells = fact_cells(&facts);
        let columns = fact_columns();
        assert_eq!(cells.len(), columns.len());
        let field = |name: &str| {
            let at = columns.iter().position(|c| c == name).unwrap();
            cells[at].as_str()
        };
        let mut problems = Vec::new();
        assert_eq!(read_facts(&field, &mut problems), facts);
        assert!(problems.is_empty(), "{problems:?}");

        let wrong = |name: &str| match name {
            "made_in" => "China",
            "gtin" => "4006381333932",
            "weight_grams" => "0.35",
            "new_from" => "2026-10-31",
            "new_until" => "2026-10-01",
            _ => "",
        };
        let read = read_facts(&wrong, &mut problems);
        assert_eq!(
            (read.made_in, read.gtin, read.weight_grams),
            (None, None, None)
        );
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems[3].contains("new_until is before new_from"));
        let heavier_than_a_tonne = |name: &str| {
            if name == "weight_grams" {
                "1000001"
            } else {
                ""
            }
        };
        let mut problems = Vec::new();
        assert_eq!(
            read_facts(&heavier_than_a_tonne, &mut problems).weight_grams,
            None
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
    }
}
