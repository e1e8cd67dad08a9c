//! The product editor's form: what it shows, and how what staff typed becomes a
//! [`ProductEdit`] or a list of messages. Pure, so it is unit tested.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use comptoir_domain::{
    AgeGroup, CategoryId, Currency, Gender, Locale, Money, PageMeta, PerLocale, Product, Sale,
    SiteCode, SitePrice, StockPolicy, Visibility,
};
use comptoir_store::{NewVariant, ProductEdit};

/// Longest name and description accepted.
const MAX_NAME_CHARS: usize = 200;
const MAX_DESCRIPTION_CHARS: usize = 20_000;
/// Meta texts: what result pages show of them, at most.
const MAX_META_TITLE_CHARS: usize = 70;
const MAX_META_DESCRIPTION_CHARS: usize = 160;
/// Largest stock count staff may type.
const MAX_STOCK: i32 = 1_000_000;
/// Longest size or colour label.
const MAX_OPTION_CHARS: usize = 40;

/// The visibilities, with their labels, in the order the form offers them.
pub const VISIBILITIES: [(Visibility, &str); 4] = [
    (Visibility::CatalogueAndSearch, "Catalogue and search"),
    (Visibility::Catalogue, "Catalogue only"),
    (Visibility::Search, "Search only"),
    (Visibility::NotVisible, "Not visible"),
];

/// A language's texts as the form shows them.
pub struct TextsView {
    pub code: &'static str,
    pub name: String,
    pub description: String,
    pub url_key: String,
    pub meta_title: String,
    pub meta_description: String,
}

/// A site's offer as the form shows it.
pub struct OfferView {
    pub code: &'static str,
    pub sold: bool,
    pub price: String,
    pub sale_price: String,
    /// `YYYY-MM-DD`, the first day of the sale (UTC).
    pub sale_from: String,
    /// `YYYY-MM-DD`, the last day of the sale (UTC).
    pub sale_until: String,
    pub visibility: &'static str,
}

/// A variant's stock as the form shows it.
pub struct VariantView {
    pub id: i64,
    pub sku: String,
    pub size: String,
    pub colour: String,
    /// The count when the form was opened: only a count staff changed is written.
    pub seen: String,
    pub stock: String,
    /// How its units are counted (`StockPolicy` code).
    pub policy: String,
}

/// The stock policies, in the order the form offers them, with their labels.
pub const STOCK_POLICIES: [(StockPolicy, &str); 3] = [
    (StockPolicy::Counted, "Counted: sold while units are left"),
    (
        StockPolicy::Backorders,
        "Backorders: sold beyond the units left",
    ),
    (StockPolicy::NotCounted, "Not counted: always for sale"),
];

/// The genders and age groups, in the order the form offers them.
pub const GENDERS: [Gender; 3] = [Gender::Women, Gender::Men, Gender::Unisex];
pub const AGE_GROUPS: [AgeGroup; 4] = [
    AgeGroup::Adult,
    AgeGroup::Teen,
    AgeGroup::Kid,
    AgeGroup::Baby,
];

/// What the form's pickers may hold: theme codes and category ids.
pub struct Choices {
    pub themes: HashSet<String>,
    pub categories: HashSet<i64>,
}

/// A posted form: its single fields, and the categories ticked (a repeated field).
pub struct Posted {
    fields: HashMap<String, String>,
    categories: Vec<String>,
}

impl Posted {
    pub fn new(pairs: Vec<(String, String)>) -> Posted {
        let mut fields = HashMap::new();
        let mut categories = Vec::new();
        for (name, value) in pairs {
            if name == "category" {
                categories.push(value);
            } else {
                fields.insert(name, value);
            }
        }
        Posted { fields, categories }
    }
}

/// Everything the editor form shows.
pub struct EditorView {
    pub version: i64,
    pub enabled: bool,
    pub theme: String,
    pub gender: String,
    pub age_group: String,
    /// The categories the product is placed in.
    pub categories: Vec<i64>,
    /// Image paths under `/static/`, the main one first.
    pub images: Vec<String>,
    pub texts: Vec<TextsView>,
    pub offers: Vec<OfferView>,
    pub variants: Vec<VariantView>,
}

fn amount(money: Money) -> String {
    format!("{}.{:02}", money.cents() / 100, money.cents() % 100)
}

fn day(at: Option<DateTime<Utc>>) -> String {
    at.map(|at| at.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// The page meta fields of a product's or category's form (`meta_title_es`,
/// `meta_description_es`, …), each at most what result pages show; problems go to
/// `errors`.
pub fn read_page_meta<'f>(
    field: &dyn Fn(&str) -> &'f str,
    errors: &mut Vec<String>,
) -> PerLocale<PageMeta> {
    PerLocale::from_fn(|locale| {
        let code = locale.as_str();
        page_meta(
            field(&format!("meta_title_{code}")),
            field(&format!("meta_description_{code}")),
            &format!(" ({code})"),
            errors,
        )
    })
}

/// A page's meta title and description, each at most what result pages show;
/// `qualifier` follows the field's name in a problem (` (es)`).
pub fn page_meta(
    title: &str,
    description: &str,
    qualifier: &str,
    errors: &mut Vec<String>,
) -> PageMeta {
    let mut check = |value: &str, label: &str, limit: usize| {
        if value.chars().count() > limit {
            errors.push(format!(
                "{label}{qualifier}: at most {limit} characters (what search engines show)."
            ));
        }
        value.to_owned()
    };
    PageMeta {
        title: check(title, "Meta title", MAX_META_TITLE_CHARS),
        description: check(description, "Meta description", MAX_META_DESCRIPTION_CHARS),
    }
}

impl EditorView {
    /// The form for `product` as stored.
    pub fn of(product: &Product, version: i64) -> EditorView {
        EditorView {
            version,
            enabled: product.enabled,
            theme: product.theme.clone().unwrap_or_default(),
            gender: product
                .gender
                .map(Gender::as_str)
                .unwrap_or_default()
                .to_owned(),
            age_group: product
                .age_group
                .map(AgeGroup::as_str)
                .unwrap_or_default()
                .to_owned(),
            categories: product.categories.iter().map(|(id, _)| id.0).collect(),
            images: product.images.clone(),
            texts: Locale::ALL
                .into_iter()
                .map(|locale| TextsView {
                    code: locale.as_str(),
                    name: product.names[locale].clone(),
                    description: product.descriptions[locale].clone(),
                    url_key: product.url_keys[locale].clone(),
                    meta_title: product.meta[locale].title.clone(),
                    meta_description: product.meta[locale].description.clone(),
                })
                .collect(),
            offers: SiteCode::ALL
                .into_iter()
                .map(|site| {
                    let offer = product.site(site);
                    let sale = offer.and_then(|o| o.sale);
                    OfferView {
                        code: site.as_str(),
                        sold: offer.is_some(),
                        price: offer.map(|o| amount(o.price)).unwrap_or_default(),
                        sale_price: sale.map(|s| amount(s.price)).unwrap_or_default(),
                        sale_from: day(sale.and_then(|s| s.starts_at)),
                        sale_until: sale
                            .and_then(|s| s.last_day())
                            .map(|d| d.format("%Y-%m-%d").to_string())
                            .unwrap_or_default(),
                        visibility: offer
                            .map_or(Visibility::CatalogueAndSearch, |o| o.visibility)
                            .as_str(),
                    }
                })
                .collect(),
            variants: product
                .variants
                .iter()
                .map(|variant| VariantView {
                    id: variant.id,
                    sku: variant.sku.as_str().to_owned(),
                    size: variant.size.clone().unwrap_or_default(),
                    colour: variant.colour.clone().unwrap_or_default(),
                    seen: variant.stock.to_string(),
                    stock: variant.stock.to_string(),
                    policy: variant.stock_policy.as_str().to_owned(),
                })
                .collect(),
        }
    }

    /// The form as staff typed it, for showing it again with its messages.
    pub fn typed(product: &Product, posted: &Posted) -> EditorView {
        let form = &posted.fields;
        let field = |name: String| form.get(&name).cloned().unwrap_or_default();
        let stored = EditorView::of(product, 0);
        EditorView {
            version: field("version".into()).parse().unwrap_or(0),
            enabled: form.contains_key("enabled"),
            theme: field("theme".into()),
            gender: field("gender".into()),
            age_group: field("age_group".into()),
            categories: posted
                .categories
                .iter()
                .filter_map(|id| id.parse().ok())
                .collect(),
            images: product.images.clone(),
            texts: stored
                .texts
                .into_iter()
                .map(|texts| TextsView {
                    name: field(format!("name_{}", texts.code)),
                    description: field(format!("description_{}", texts.code)),
                    url_key: field(format!("url_key_{}", texts.code)),
                    meta_title: field(format!("meta_title_{}", texts.code)),
                    meta_description: field(format!("meta_description_{}", texts.code)),
                    ..texts
                })
                .collect(),
            offers: stored
                .offers
                .into_iter()
                .map(|offer| OfferView {
                    sold: form.contains_key(&format!("sold_{}", offer.code)),
                    price: field(format!("price_{}", offer.code)),
                    sale_price: field(format!("sale_price_{}", offer.code)),
                    sale_from: field(format!("sale_from_{}", offer.code)),
                    sale_until: field(format!("sale_until_{}", offer.code)),
                    visibility: Visibility::parse(&field(format!("visibility_{}", offer.code)))
                        .unwrap_or(Visibility::CatalogueAndSearch)
                        .as_str(),
                    ..offer
                })
                .collect(),
            variants: stored
                .variants
                .into_iter()
                .map(|variant| VariantView {
                    seen: field(format!("seen_{}", variant.id)),
                    stock: field(format!("stock_{}", variant.id)),
                    policy: field(format!("policy_{}", variant.id)),
                    ..variant
                })
                .collect(),
        }
    }
}

/// Reads the editor's form for `product`: the edit and the version it was based on,
/// or every message about what could not be read.
pub fn parse(
    product: &Product,
    posted: &Posted,
    choices: &Choices,
) -> Result<(ProductEdit, i64), Vec<String>> {
    let form = &posted.fields;
    let mut errors = Vec::new();
    let field = |name: &str| form.get(name).map(|v| v.trim()).unwrap_or_default();
    let version = field("version").parse::<i64>().unwrap_or_else(|_| {
        errors.push("The form is incomplete: open the product again.".to_owned());
        0
    });
    let mut texts = |kind: &str, label: &str, check: &dyn Fn(&str) -> Option<String>| {
        PerLocale::from_fn(|locale| {
            let value = field(&format!("{kind}_{}", locale.as_str())).to_owned();
            if let Some(problem) = check(&value) {
                errors.push(format!("{label} ({}): {problem}", locale.as_str()));
            }
            value
        })
    };
    let names = texts("name", "Name", &|name| match name.chars().count() {
        0 => Some("needed.".into()),
        n if n > MAX_NAME_CHARS => Some(format!("at most {MAX_NAME_CHARS} characters.")),
        _ => None,
    });
    // Kept as safe HTML, as every description is.
    let descriptions = texts("description", "Description", &|text| {
        (text.chars().count() > MAX_DESCRIPTION_CHARS)
            .then(|| format!("at most {MAX_DESCRIPTION_CHARS} characters."))
    })
    .map(|text| comptoir_domain::rich_text::sanitised(&text));
    let url_keys = texts("url_key", "URL key", &|key| {
        (!comptoir_domain::slug::is_url_key(key)).then(|| {
            "lower-case letters and digits joined by single hyphens (such as disfraz-de-bruja)."
                .into()
        })
    });
    let meta = read_page_meta(&field, &mut errors);
    let theme = match field("theme") {
        "" => None,
        code if choices.themes.contains(code) => Some(code.to_owned()),
        code => {
            errors.push(format!("Theme: '{code}' is not one of the themes."));
            None
        }
    };
    let mut optional_code = |name: &str, label: &str, valid: bool| {
        let code = field(name);
        if !code.is_empty() && !valid {
            errors.push(format!("{label}: '{code}' is not one of the choices."));
        }
    };
    let gender = Gender::parse(field("gender"));
    optional_code("gender", "Gender", gender.is_some());
    let age_group = AgeGroup::parse(field("age_group"));
    optional_code("age_group", "Age group", age_group.is_some());
    let mut categories = Vec::new();
    for typed in &posted.categories {
        match typed.parse::<i64>() {
            Ok(id) if choices.categories.contains(&id) => {
                // A placement kept keeps its merchandising position.
                let position = product
                    .categories
                    .iter()
                    .find(|(placed, _)| placed.0 == id)
                    .map_or(0, |(_, position)| *position);
                if !categories
                    .iter()
                    .any(|(placed, _): &(CategoryId, i32)| placed.0 == id)
                {
                    categories.push((CategoryId(id), position));
                }
            }
            _ => errors.push(format!("Categories: '{typed}' is not a category.")),
        }
    }
    let mut sites: [Option<SitePrice>; 4] = [None, None, None, None];
    for site in SiteCode::ALL {
        if !form.contains_key(&format!("sold_{}", site.as_str())) {
            continue;
        }
        match parse_offer(site, &field, product.site(site)) {
            Ok(offer) => sites[site.index()] = Some(offer),
            Err(problem) => errors.push(format!("Site {}: {problem}", site.as_str())),
        }
    }
    let mut stock_policies = Vec::new();
    for variant in &product.variants {
        match field(&format!("policy_{}", variant.id)) {
            "" => {}
            code => match StockPolicy::parse(code) {
                Some(policy) if policy != variant.stock_policy => {
                    stock_policies.push((variant.id, policy));
                }
                Some(_) => {}
                None => errors.push(format!(
                    "Stock of {}: '{code}' is not a way of counting units.",
                    variant.sku.as_str()
                )),
            },
        }
    }
    let mut stock_counts = Vec::new();
    for variant in &product.variants {
        let typed = field(&format!("stock_{}", variant.id));
        let seen = field(&format!("seen_{}", variant.id));
        if typed == seen {
            continue;
        }
        // Units owed (below zero) only where the variant sells beyond its stock.
        let policy = stock_policies
            .iter()
            .find(|(id, _)| *id == variant.id)
            .map_or(variant.stock_policy, |(_, policy)| *policy);
        let least = if policy == StockPolicy::Backorders {
            -MAX_STOCK
        } else {
            0
        };
        match typed.parse::<i32>() {
            Ok(units) if (least..=MAX_STOCK).contains(&units) => {
                stock_counts.push((variant.id, units));
            }
            _ => errors.push(format!(
                "Stock of {}: a whole number from {least} to {MAX_STOCK}.",
                variant.sku.as_str()
            )),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok((
        ProductEdit {
            id: product.id,
            enabled: form.contains_key("enabled"),
            theme,
            gender,
            age_group,
            categories,
            names,
            descriptions,
            url_keys,
            meta,
            sites,
            stock_counts,
            stock_policies,
        },
        version,
    ))
}

/// A site's offer from its fields. A sale price at or above the price is refused
/// when typed; one already stored so (shoppers pay the price then) is kept.
fn parse_offer<'f>(
    site: SiteCode,
    field: &impl Fn(&str) -> &'f str,
    stored: Option<&SitePrice>,
) -> Result<SitePrice, String> {
    let code = site.as_str();
    let currency: Currency = site.currency();
    let price = Money::parse(field(&format!("price_{code}")), currency)
        .map_err(|_| "the price is an amount such as 24.99.".to_owned())?;
    let visibility = Visibility::parse(field(&format!("visibility_{code}")))
        .ok_or_else(|| "choose a visibility.".to_owned())?;
    let sale_text = field(&format!("sale_price_{code}"));
    let sale = if sale_text.is_empty() {
        None
    } else {
        let sale_price = Money::parse(sale_text, currency)
            .map_err(|_| "the sale price is an amount such as 19.99.".to_owned())?;
        let unchanged = stored.is_some_and(|stored| {
            stored.price == price && stored.sale.is_some_and(|sale| sale.price == sale_price)
        });
        if sale_price >= price && !unchanged {
            return Err("the sale price must be below the price.".into());
        }
        let date = |name: &str| -> Result<Option<NaiveDate>, String> {
            let text = field(&format!("{name}_{code}"));
            if text.is_empty() {
                return Ok(None);
            }
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| format!("'{text}' is not a date."))
        };
        Some(
            Sale::over_days(sale_price, date("sale_from")?, date("sale_until")?)
                .ok_or("the sale ends before it starts.")?,
        )
    };
    Ok(SitePrice {
        price,
        sale,
        visibility,
    })
}

/// The editor's "add a variant" form as typed.
#[derive(Debug, Default, serde::Deserialize)]
pub struct NewVariantForm {
    #[serde(default)]
    pub sku: String,
    #[serde(default)]
    pub size: String,
    #[serde(default)]
    pub colour: String,
    #[serde(default)]
    pub stock: String,
}

/// A new variant from its form: a SKU, a size or a colour to tell it apart, and a
/// stock count; or every message.
pub fn parse_new_variant(form: &NewVariantForm) -> Result<NewVariant, Vec<String>> {
    let mut errors = Vec::new();
    let sku = comptoir_domain::Sku::parse(form.sku.trim())
        .map_err(|e| errors.push(format!("SKU: {e}")))
        .ok();
    let option = |text: &str, label: &str, errors: &mut Vec<String>| {
        let text = text.trim();
        if text.chars().count() > MAX_OPTION_CHARS {
            errors.push(format!("{label}: at most {MAX_OPTION_CHARS} characters."));
        }
        (!text.is_empty()).then(|| text.to_owned())
    };
    let size = option(&form.size, "Size", &mut errors);
    let colour = option(&form.colour, "Colour", &mut errors);
    if size.is_none() && colour.is_none() {
        errors.push("Give the new variant a size or a colour.".to_owned());
    }
    let stock = match form.stock.trim() {
        "" => Some(0),
        typed => typed
            .parse::<i32>()
            .ok()
            .filter(|units| (0..=MAX_STOCK).contains(units)),
    };
    if stock.is_none() {
        errors.push(format!(
            "Units: '{}' is not a whole number from 0 to {MAX_STOCK}.",
            form.stock.trim()
        ));
    }
    match (sku, stock) {
        (Some(sku), Some(stock)) if errors.is_empty() => Ok(NewVariant {
            sku,
            size,
            colour,
            choices: Vec::new(),
            surcharge_cents: [0; 4],
            stock,
            // Staff choose another way of counting in the variants table after.
            stock_policy: StockPolicy::Counted,
            sale_units: comptoir_domain::SaleUnits::default(),
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product() -> Product {
        comptoir_demo_product()
    }

    /// A product of the demo catalogue, with sizes and four sites.
    fn comptoir_demo_product() -> Product {
        let catalogue = comptoir_demo::generate(40);
        catalogue
            .products
            .into_iter()
            .find(|p| p.variants.len() > 1 && p.sites.iter().all(Option::is_some))
            .expect("a product with sizes sold everywhere")
    }

    fn choices(product: &Product) -> Choices {
        Choices {
            themes: product
                .theme
                .iter()
                .cloned()
                .chain(["pirata".to_owned()])
                .collect(),
            categories: product
                .categories
                .iter()
                .map(|(id, _)| id.0)
                .chain([9_001])
                .collect(),
        }
    }

    fn posted(form: &HashMap<String, String>, categories: &[i64]) -> Posted {
        let mut pairs: Vec<(String, String)> = form.clone().into_iter().collect();
        pairs.extend(
            categories
                .iter()
                .map(|id| ("category".to_owned(), id.to_string())),
        );
        Posted::new(pairs)
    }

    fn placed(product: &Product) -> Vec<i64> {
        product.categories.iter().map(|(id, _)| id.0).collect()
    }

    /// The form as the editor first shows it, as posted (categories apart).
    fn form_of(product: &Product) -> HashMap<String, String> {
        let view = EditorView::of(product, 4);
        let mut form = HashMap::new();
        form.insert("theme".into(), view.theme.clone());
        form.insert("gender".into(), view.gender.clone());
        form.insert("age_group".into(), view.age_group.clone());
        form.insert("version".into(), "4".into());
        if view.enabled {
            form.insert("enabled".into(), "true".into());
        }
        for t in &view.texts {
            form.insert(format!("name_{}", t.code), t.name.clone());
            form.insert(format!("description_{}", t.code), t.description.clone());
            form.insert(format!("url_key_{}", t.code), t.url_key.clone());
            form.insert(format!("meta_title_{}", t.code), t.meta_title.clone());
            form.insert(
                format!("meta_description_{}", t.code),
                t.meta_description.clone(),
            );
        }
        for o in &view.offers {
            if o.sold {
                form.insert(format!("sold_{}", o.code), "true".into());
            }
            form.insert(format!("price_{}", o.code), o.price.clone());
            form.insert(format!("sale_price_{}", o.code), o.sale_price.clone());
            form.insert(format!("sale_from_{}", o.code), o.sale_from.clone());
            form.insert(format!("sale_until_{}", o.code), o.sale_until.clone());
            form.insert(format!("visibility_{}", o.code), o.visibility.into());
        }
        for v in &view.variants {
            form.insert(format!("seen_{}", v.id), v.seen.clone());
            form.insert(format!("stock_{}", v.id), v.stock.clone());
        }
        form
    }

    #[test]
    fn an_untouched_form_changes_nothing() {
        let product = product();
        let form = posted(&form_of(&product), &placed(&product));
        let (edit, version) = parse(&product, &form, &choices(&product)).unwrap();
        assert_eq!(version, 4);
        assert_eq!(edit.enabled, product.enabled);
        assert_eq!(
            (edit.theme.clone(), edit.gender, edit.age_group),
            (product.theme.clone(), product.gender, product.age_group)
        );
        assert_eq!(
            edit.categories, product.categories,
            "placements and positions kept"
        );
        assert_eq!(edit.names, product.names);
        assert_eq!(edit.url_keys, product.url_keys);
        assert_eq!(edit.sites, product.sites, "prices and sales round-trip");
        assert!(edit.stock_counts.is_empty(), "no count written back");
    }

    #[test]
    fn typed_values_become_the_edit() {
        let product = product();
        let mut form = form_of(&product);
        form.insert("price_fr".into(), "31,5".into());
        form.insert("sale_price_fr".into(), "20".into());
        form.insert("sale_from_fr".into(), "2026-10-20".into());
        form.insert("sale_until_fr".into(), "2026-10-31".into());
        form.remove("sold_it");
        let variant = &product.variants[1];
        form.insert(format!("stock_{}", variant.id), "12".into());
        form.insert("theme".into(), "pirata".into());
        form.insert("gender".into(), "unisex".into());
        let (edit, _) = parse(&product, &posted(&form, &[9_001]), &choices(&product)).unwrap();
        assert_eq!(edit.theme.as_deref(), Some("pirata"));
        assert_eq!(edit.gender, Some(Gender::Unisex));
        assert_eq!(edit.categories, [(CategoryId(9_001), 0)]);
        let fr = edit.sites[SiteCode::Fr.index()].clone().unwrap();
        assert_eq!(fr.price, Money::eur(3_150));
        let sale = fr.sale.unwrap();
        assert_eq!(sale.price, Money::eur(2_000));
        assert_eq!(
            sale.starts_at.unwrap().to_rfc3339(),
            "2026-10-20T00:00:00+00:00"
        );
        assert_eq!(
            sale.ends_at.unwrap().to_rfc3339(),
            "2026-11-01T00:00:00+00:00"
        );
        assert_eq!(edit.sites[SiteCode::It.index()], None);
        assert_eq!(edit.stock_counts, [(variant.id, 12)]);
        // Shown again, the sale's last day is the one typed.
        let shown = EditorView::of(
            &Product {
                sites: edit.sites,
                ..product.clone()
            },
            5,
        );
        assert_eq!(shown.offers[1].sale_until, "2026-10-31");
        assert_eq!(shown.offers[1].price, "31.50");
    }

    #[test]
    fn bad_fields_are_each_named() {
        let product = product();
        let mut form = form_of(&product);
        form.insert("name_pt".into(), "  ".into());
        form.insert("url_key_fr".into(), "Déguisement Pirate".into());
        form.insert("price_es".into(), "-3".into());
        form.insert("price_it".into(), "abc".into());
        form.insert("sale_price_fr".into(), "999999".into());
        form.insert(format!("stock_{}", product.variants[0].id), "-1".into());
        form.remove("version");
        form.insert("theme".into(), "unicornio".into());
        form.insert("age_group".into(), "elderly".into());
        let errors = parse(&product, &posted(&form, &[77_777]), &choices(&product)).unwrap_err();
        let all = errors.join("\n");
        for expected in [
            "incomplete",
            "Name (pt): needed.",
            "URL key (fr)",
            "Site es: the price",
            "Site it: the price",
            "Site fr: the sale price must be below",
            "Stock of",
            "Theme: 'unicornio'",
            "Age group: 'elderly'",
            "Categories: '77777'",
        ] {
            assert!(all.contains(expected), "{expected} in:\n{all}");
        }
    }

    #[test]
    fn a_new_variant_needs_a_sku_a_size_or_colour_and_a_count() {
        let typed = |sku: &str, size: &str, colour: &str, stock: &str| NewVariantForm {
            sku: sku.into(),
            size: size.into(),
            colour: colour.into(),
            stock: stock.into(),
        };
        let added = parse_new_variant(&typed(" DIS-PIRATA-XXL ", "XXL", "", "7")).unwrap();
        assert_eq!(added.sku.as_str(), "DIS-PIRATA-XXL");
        assert_eq!(
            (added.size.as_deref(), added.colour, added.stock),
            (Some("XXL"), None, 7)
        );
        assert_eq!(
            parse_new_variant(&typed("PEL-ROJA", "", "Rojo", ""))
                .unwrap()
                .stock,
            0
        );
        let errors = parse_new_variant(&typed("no\tsku", "", "", "-2")).unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[1].contains("size or a colour"));
        assert!(errors[2].contains("'-2'"));
        assert!(parse_new_variant(&typed("X-1", &"L".repeat(41), "", "1")).is_err());
    }
}
