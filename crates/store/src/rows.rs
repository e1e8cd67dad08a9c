//! Rows as both backends read them, and their assembly into domain types. The
//! queries that load them differ between backends only in how they filter by id.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use comptoir_domain::catalogue::Sale;
use comptoir_domain::price_history::{
    OfferHistories, OfferVersion, ReferencePrices, reference_price,
};
use comptoir_domain::price_tiers::PriceTier;
use comptoir_domain::product_facts::{CountryCode, Gtin, ProductFacts};
use comptoir_domain::product_options::{OptionValue, ProductOption};
use comptoir_domain::{
    AgeGroup, AttributeLabels, AttributeOption, Category, CategoryId, ChoiceAttribute, Gender,
    LinkKind, Locale, Money, PageMeta, PerLocale, Product, ProductId, ProductKind, ProductLink,
    SaleUnits, SiteCode, SitePrice, Sku, StockPolicy, TaxClass, Variant, VariantChoice, Visibility,
};

use crate::change_log::{CatalogueChange, ChangeKind, ChangePosition};
use crate::{Result, StoreError};

#[derive(sqlx::FromRow)]
pub(crate) struct ProductRow {
    id: i64,
    sku: String,
    kind: String,
    tax_class: String,
    enabled: bool,
    theme: Option<String>,
    gender: Option<String>,
    age_group: Option<String>,
    created_at: DateTime<Utc>,
    popularity: i32,
    brand: Option<String>,
    made_in: Option<String>,
    weight_grams: Option<i32>,
    gtin: Option<String>,
    new_from: Option<NaiveDate>,
    new_until: Option<NaiveDate>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct ProductTranslationRow {
    product_id: i64,
    locale: String,
    name: String,
    description: String,
    url_key: String,
    meta_title: String,
    meta_description: String,
    short_description: String,
    meta_keywords: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct ProductSiteRow {
    product_id: i64,
    site: String,
    price_cents: i64,
    sale_price_cents: Option<i64>,
    sale_starts_at: Option<DateTime<Utc>>,
    sale_ends_at: Option<DateTime<Utc>>,
    visibility: String,
}

/// A version of an offer, from `offer_history`.
#[derive(sqlx::FromRow)]
pub(crate) struct OfferVersionRow {
    product_id: i64,
    site: String,
    valid_from: DateTime<Utc>,
    price_cents: i64,
    sale_price_cents: Option<i64>,
    sale_starts_at: Option<DateTime<Utc>>,
    sale_ends_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct VariantRow {
    id: i64,
    product_id: i64,
    sku: String,
    size: Option<String>,
    colour: Option<String>,
    stock: i32,
    stock_policy: String,
    min_sale_units: i32,
    max_sale_units: Option<i32>,
    position: i32,
}

/// A variant's choice beyond size and colour, from `variant_choices`.
#[derive(sqlx::FromRow)]
pub(crate) struct ChoiceRow {
    variant_id: i64,
    attribute: String,
    value: String,
}

/// What a variant adds to its price on a site, from `variant_surcharges`.
#[derive(sqlx::FromRow)]
pub(crate) struct SurchargeRow {
    variant_id: i64,
    site: String,
    amount_cents: i64,
}

/// A product's option, from `product_options`.
#[derive(sqlx::FromRow)]
pub(crate) struct OptionOfProductRow {
    id: i64,
    product_id: i64,
    required: bool,
    title_es: String,
    title_fr: String,
    title_pt: String,
    title_it: String,
}

/// A value of a product's option, from `product_option_values`.
#[derive(sqlx::FromRow)]
pub(crate) struct OptionValueRow {
    id: i64,
    option_id: i64,
    title_es: String,
    title_fr: String,
    title_pt: String,
    title_it: String,
    surcharge_es_cents: i64,
    surcharge_fr_cents: i64,
    surcharge_pt_cents: i64,
    surcharge_it_cents: i64,
}

#[derive(sqlx::FromRow)]
pub(crate) struct AttributeLabelRow {
    attribute: String,
    locale: String,
    label: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct ImageRow {
    product_id: i64,
    path: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct LinkRow {
    product_id: i64,
    kind: String,
    linked_sku: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct PriceTierRow {
    product_id: i64,
    customer_group: Option<String>,
    min_units: i32,
    price_es_cents: i64,
    price_fr_cents: i64,
    price_pt_cents: i64,
    price_it_cents: i64,
}

#[derive(sqlx::FromRow)]
pub(crate) struct PlacementRow {
    product_id: i64,
    category_id: i64,
    position: i32,
}

#[derive(sqlx::FromRow)]
pub(crate) struct CategoryRow {
    id: i64,
    parent_id: Option<i64>,
    position: i32,
    enabled: bool,
    hygiene_sealed: bool,
}

#[derive(sqlx::FromRow)]
pub(crate) struct CategoryTranslationRow {
    category_id: i64,
    locale: String,
    name: String,
    url_key: String,
    meta_title: String,
    meta_description: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct OptionRow {
    attribute: String,
    code: String,
    position: i32,
}

#[derive(sqlx::FromRow)]
pub(crate) struct OptionLabelRow {
    attribute: String,
    code: String,
    locale: String,
    label: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct ChangeRow {
    id: i64,
    kind: String,
    product_id: Option<i64>,
    changed_at: DateTime<Utc>,
}

/// A row of [`PRODUCTS_MODIFIED_SQL`].
#[derive(sqlx::FromRow)]
pub(crate) struct ModifiedRow {
    pub product_id: i64,
    pub changed_at: DateTime<Utc>,
}

/// The rows of a set of products, each table ordered by product.
pub(crate) struct ProductRows {
    pub products: Vec<ProductRow>,
    pub translations: Vec<ProductTranslationRow>,
    pub sites: Vec<ProductSiteRow>,
    pub variants: Vec<VariantRow>,
    pub choices: Vec<ChoiceRow>,
    pub surcharges: Vec<SurchargeRow>,
    pub options: Vec<OptionOfProductRow>,
    pub option_values: Vec<OptionValueRow>,
    pub images: Vec<ImageRow>,
    pub links: Vec<LinkRow>,
    pub price_tiers: Vec<PriceTierRow>,
    pub placements: Vec<PlacementRow>,
}

/// The SELECTs of [`ProductRows`], with `{filter}` left to each backend.
pub(crate) struct ProductQueries {
    pub products: &'static str,
    pub translations: &'static str,
    pub sites: &'static str,
    pub variants: &'static str,
    pub choices: &'static str,
    pub surcharges: &'static str,
    pub options: &'static str,
    pub option_values: &'static str,
    pub images: &'static str,
    pub links: &'static str,
    pub price_tiers: &'static str,
    pub placements: &'static str,
}

/// Builds the ten product queries around one filter on the product id column, in
/// the backend's syntax (`{}` stands for the column name).
macro_rules! product_queries {
    ($id_filter:literal) => {
        $crate::rows::ProductQueries {
            products: concat!(
                "SELECT id, sku, kind, tax_class, enabled, theme, gender, age_group, created_at, popularity, ",
                "brand, made_in, weight_grams, gtin, new_from, new_until ",
                "FROM products WHERE id ",
                $id_filter,
                " ORDER BY id"
            ),
            translations: concat!(
                "SELECT product_id, locale, name, description, url_key, meta_title, meta_description, ",
                "short_description, meta_keywords FROM product_translations WHERE product_id ",
                $id_filter
            ),
            sites: concat!(
                "SELECT product_id, site, price_cents, sale_price_cents, sale_starts_at, ",
                "sale_ends_at, visibility FROM product_sites WHERE product_id ",
                $id_filter
            ),
            variants: concat!(
                "SELECT id, product_id, sku, size, colour, stock, stock_policy, min_sale_units, max_sale_units, position ",
                "FROM variants WHERE product_id ",
                $id_filter,
                " ORDER BY product_id, position, id"
            ),
            choices: concat!(
                "SELECT c.variant_id, c.attribute, c.value FROM variant_choices c ",
                "JOIN variants v ON v.id = c.variant_id WHERE v.product_id ",
                $id_filter,
                " ORDER BY c.variant_id, c.position"
            ),
            surcharges: concat!(
                "SELECT s.variant_id, s.site, s.amount_cents FROM variant_surcharges s ",
                "JOIN variants v ON v.id = s.variant_id WHERE v.product_id ",
                $id_filter
            ),
            options: concat!(
                "SELECT id, product_id, required, title_es, title_fr, title_pt, title_it ",
                "FROM product_options WHERE product_id ",
                $id_filter,
                " ORDER BY product_id, position"
            ),
            option_values: concat!(
                "SELECT v.id, v.option_id, v.title_es, v.title_fr, v.title_pt, v.title_it, ",
                "v.surcharge_es_cents, v.surcharge_fr_cents, v.surcharge_pt_cents, v.surcharge_it_cents ",
                "FROM product_option_values v JOIN product_options o ON o.id = v.option_id ",
                "WHERE o.product_id ",
                $id_filter,
                " ORDER BY v.option_id, v.position"
            ),
            images: concat!(
                "SELECT product_id, path FROM product_images WHERE product_id ",
                $id_filter,
                " ORDER BY product_id, position"
            ),
            links: concat!(
                "SELECT product_id, kind, linked_sku FROM product_links WHERE product_id ",
                $id_filter,
                " ORDER BY product_id, kind, position"
            ),
            price_tiers: concat!(
                "SELECT product_id, customer_group, min_units, price_es_cents, price_fr_cents, ",
                "price_pt_cents, price_it_cents FROM price_tiers WHERE product_id ",
                $id_filter,
                " ORDER BY product_id, position"
            ),
            placements: concat!(
                "SELECT product_id, category_id, position FROM product_categories ",
                "WHERE product_id ",
                $id_filter
            ),
        }
    };
}
pub(crate) use product_queries;

/// Runs the ten [`ProductQueries`] on one connection, binding `$bind` (if given) to
/// each.
macro_rules! fetch_product_rows {
    ($conn:expr, $queries:expr $(, $bind:expr)?) => {{
        let conn = $conn;
        let queries = &$queries;
        $crate::rows::ProductRows {
            products: sqlx::query_as(queries.products)$(.bind($bind.clone()))?.fetch_all(&mut *conn).await?,
            translations: sqlx::query_as(queries.translations)$(.bind($bind.clone()))?.fetch_all(&mut *conn).await?,
            sites: sqlx::query_as(queries.sites)$(.bind($bind.clone()))?.fetch_all(&mut *conn).await?,
            variants: sqlx::query_as(queries.variants)$(.bind($bind.clone()))?.fetch_all(&mut *conn).await?,
            choices: sqlx::query_as(queries.choices)$(.bind($bind.clone()))?.fetch_all(&mut *conn).await?,
            surcharges: sqlx::query_as(queries.surcharges)$(.bind($bind.clone()))?.fetch_all(&mut *conn).await?,
            options: sqlx::query_as(queries.options)$(.bind($bind.clone()))?.fetch_all(&mut *conn).await?,
            option_values: sqlx::query_as(queries.option_values)$(.bind($bind.clone()))?.fetch_all(&mut *conn).await?,
            images: sqlx::query_as(queries.images)$(.bind($bind.clone()))?.fetch_all(&mut *conn).await?,
            links: sqlx::query_as(queries.links)$(.bind($bind.clone()))?.fetch_all(&mut *conn).await?,
            price_tiers: sqlx::query_as(queries.price_tiers)$(.bind($bind.clone()))?.fetch_all(&mut *conn).await?,
            placements: sqlx::query_as(queries.placements)$(.bind($bind.clone()))?.fetch_all(&mut *conn).await?,
        }
    }};
}
pub(crate) use fetch_product_rows;

/// Reads the whole catalogue and the change-log position on one connection (inside
/// the caller's read transaction, so that they agree).
macro_rules! read_catalogue_snapshot {
    ($conn:expr, $queries:expr) => {{
        let conn = $conn;
        let position: i64 = sqlx::query_scalar($crate::rows::LAST_CHANGE_SQL)
            .fetch_one(&mut *conn)
            .await?;
        let categories = $crate::rows::assemble_categories(
            sqlx::query_as($crate::rows::CATEGORIES_SQL)
                .fetch_all(&mut *conn)
                .await?,
            sqlx::query_as($crate::rows::CATEGORY_TRANSLATIONS_SQL)
                .fetch_all(&mut *conn)
                .await?,
        )?;
        let attribute_options = $crate::rows::assemble_options(
            sqlx::query_as($crate::rows::OPTIONS_SQL)
                .fetch_all(&mut *conn)
                .await?,
            sqlx::query_as($crate::rows::OPTION_LABELS_SQL)
                .fetch_all(&mut *conn)
                .await?,
        )?;
        let attribute_labels = $crate::rows::assemble_attribute_labels(
            sqlx::query_as($crate::rows::ATTRIBUTE_LABELS_SQL)
                .fetch_all(&mut *conn)
                .await?,
        )?;
        let products = $crate::rows::assemble_products($crate::rows::fetch_product_rows!(
            &mut *conn, $queries
        ))?;
        $crate::CatalogueSnapshot {
            catalogue: comptoir_domain::Catalogue {
                attribute_options,
                attribute_labels,
                categories,
                products,
            },
            position: $crate::ChangePosition(position),
        }
    }};
}
pub(crate) use read_catalogue_snapshot;

pub(crate) const CATEGORIES_SQL: &str =
    "SELECT id, parent_id, position, enabled, hygiene_sealed FROM categories ORDER BY id";
pub(crate) const CATEGORY_TRANSLATIONS_SQL: &str = "SELECT category_id, locale, name, url_key, meta_title, meta_description \
     FROM category_translations";
pub(crate) const OPTIONS_SQL: &str =
    "SELECT attribute, code, position FROM attribute_options ORDER BY attribute, position, code";
pub(crate) const OPTION_LABELS_SQL: &str =
    "SELECT attribute, code, locale, label FROM attribute_option_labels";
pub(crate) const ATTRIBUTE_LABELS_SQL: &str =
    "SELECT attribute, locale, label FROM attribute_labels ORDER BY attribute";
pub(crate) const CHANGES_AFTER_SQL: &str = "SELECT id, kind, product_id, changed_at \
     FROM catalog_changes WHERE id > $1 ORDER BY id LIMIT $2";
/// When each product last changed in more than its stock (index
/// `catalog_changes_by_product`).
pub(crate) const PRODUCTS_MODIFIED_SQL: &str = "SELECT product_id, max(changed_at) AS changed_at \
     FROM catalog_changes WHERE kind IN ('product', 'price') AND product_id IS NOT NULL \
     GROUP BY product_id";
/// When the catalogue was last replaced as a whole.
pub(crate) const LAST_RESET_SQL: &str =
    "SELECT max(changed_at) FROM catalog_changes WHERE kind = 'reset'";
pub(crate) const LAST_CHANGE_SQL: &str = "SELECT coalesce(max(id), 0) FROM catalog_changes";

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} '{value}'"))
}

fn locale(code: &str) -> Result<Locale> {
    Locale::parse(code).ok_or_else(|| corrupt("locale", code))
}

fn sku(code: &str) -> Result<Sku> {
    Sku::parse(code).map_err(|_| corrupt("SKU", code))
}

/// Titles stored a column per language, in `Locale::ALL`'s order.
fn titles(columns: [String; 4]) -> PerLocale<String> {
    let mut columns = columns.map(Some);
    PerLocale::from_fn(|locale| columns[locale.index()].take().unwrap_or_default())
}

fn sale_units(min: i32, max: Option<i32>) -> Result<SaleUnits> {
    let units = |n: i32| u32::try_from(n).ok();
    let max = max.map(|max| units(max).ok_or(())).transpose();
    match (units(min), max) {
        (Some(min), Ok(max)) => SaleUnits::new(min, max),
        _ => None,
    }
    .ok_or_else(|| corrupt("sale units", &format!("{min}..{max:?}")))
}

fn optional<T>(
    code: Option<String>,
    parse: impl Fn(&str) -> Option<T>,
    what: &str,
) -> Result<Option<T>> {
    code.map(|c| parse(&c).ok_or_else(|| corrupt(what, &c)))
        .transpose()
}

/// The reference price of each offer whose history `rows` hold, ordered by product,
/// site and time; offers announcing no reduction are left out.
pub(crate) fn reference_prices(rows: Vec<OfferVersionRow>) -> Result<ReferencePrices> {
    let mut prices = ReferencePrices::new();
    for_each_offer(rows, |product, site, versions| {
        if let Some(price) = reference_price(versions) {
            prices.insert((product, site), price);
        }
    })?;
    Ok(prices)
}

/// Every offer's versions, oldest first, from rows ordered by product, site and time.
pub(crate) fn offer_histories(rows: Vec<OfferVersionRow>) -> Result<OfferHistories> {
    let mut histories = OfferHistories::new();
    for_each_offer(rows, |product, site, versions| {
        histories.insert((product, site), versions.to_vec());
    })?;
    Ok(histories)
}

/// Calls `each` with every offer's versions, from rows ordered by product, site and
/// time.
fn for_each_offer(
    rows: Vec<OfferVersionRow>,
    mut each: impl FnMut(ProductId, SiteCode, &[OfferVersion]),
) -> Result<()> {
    let mut versions: Vec<OfferVersion> = Vec::new();
    let mut rows = rows.into_iter().peekable();
    while let Some(row) = rows.next() {
        let site = SiteCode::parse(&row.site).map_err(|_| corrupt("site", &row.site))?;
        let currency = site.currency();
        versions.push(OfferVersion {
            from: row.valid_from,
            price: Money::from_cents(row.price_cents, currency),
            sale: row.sale_price_cents.map(|cents| Sale {
                price: Money::from_cents(cents, currency),
                starts_at: row.sale_starts_at,
                ends_at: row.sale_ends_at,
            }),
        });
        let offer_continues = rows
            .peek()
            .is_some_and(|next| next.product_id == row.product_id && next.site == row.site);
        if !offer_continues {
            each(ProductId(row.product_id), site, &versions);
            versions.clear();
        }
    }
    Ok(())
}

pub(crate) fn assemble_products(rows: ProductRows) -> Result<Vec<Product>> {
    let mut products = Vec::with_capacity(rows.products.len());
    let mut index = HashMap::with_capacity(rows.products.len());
    for row in rows.products {
        index.insert(row.id, products.len());
        products.push(Product {
            id: ProductId(row.id),
            sku: sku(&row.sku)?,
            kind: ProductKind::parse(&row.kind)
                .ok_or_else(|| corrupt("product kind", &row.kind))?,
            tax_class: TaxClass::parse(&row.tax_class)
                .ok_or_else(|| corrupt("tax class", &row.tax_class))?,
            enabled: row.enabled,
            created_at: row.created_at,
            popularity: row.popularity,
            theme: row.theme,
            gender: optional(row.gender, Gender::parse, "gender")?,
            age_group: optional(row.age_group, AgeGroup::parse, "age group")?,
            names: PerLocale::default(),
            descriptions: PerLocale::default(),
            url_keys: PerLocale::default(),
            meta: PerLocale::default(),
            facts: ProductFacts {
                short_descriptions: PerLocale::default(),
                keywords: PerLocale::default(),
                brand: row.brand,
                made_in: optional(row.made_in, |c| CountryCode::parse(c).ok(), "country")?,
                weight_grams: row
                    .weight_grams
                    .map(|grams| {
                        u32::try_from(grams).map_err(|_| corrupt("weight", &grams.to_string()))
                    })
                    .transpose()?,
                gtin: optional(row.gtin, |c| Gtin::parse(c).ok(), "GTIN")?,
                new_from: row.new_from,
                new_until: row.new_until,
            },
            links: Vec::new(),
            price_tiers: Vec::new(),
            images: Vec::new(),
            sites: Default::default(),
            variants: Vec::new(),
            options: Vec::new(),
            categories: Vec::new(),
        });
    }
    // Rows of products deleted between two of the SELECTs are skipped.
    let product = |id: i64| index.get(&id).copied();
    for row in rows.translations {
        let Some(i) = product(row.product_id) else {
            continue;
        };
        let locale = locale(&row.locale)?;
        let p = &mut products[i];
        p.names[locale] = row.name;
        p.descriptions[locale] = row.description;
        p.url_keys[locale] = row.url_key;
        p.meta[locale] = PageMeta {
            title: row.meta_title,
            description: row.meta_description,
        };
        p.facts.short_descriptions[locale] = row.short_description;
        p.facts.keywords[locale] = row.meta_keywords;
    }
    for row in rows.sites {
        let Some(i) = product(row.product_id) else {
            continue;
        };
        let site = SiteCode::parse(&row.site).map_err(|_| corrupt("site", &row.site))?;
        products[i].sites[site.index()] = Some(SitePrice {
            price: Money::from_cents(row.price_cents, site.currency()),
            sale: row.sale_price_cents.map(|cents| Sale {
                price: Money::from_cents(cents, site.currency()),
                starts_at: row.sale_starts_at,
                ends_at: row.sale_ends_at,
            }),
            visibility: Visibility::parse(&row.visibility)
                .ok_or_else(|| corrupt("visibility", &row.visibility))?,
        });
    }
    for row in rows.variants {
        let Some(i) = product(row.product_id) else {
            continue;
        };
        products[i].variants.push(Variant {
            id: row.id,
            sku: sku(&row.sku)?,
            size: row.size,
            colour: row.colour,
            choices: Vec::new(),
            surcharge_cents: [0; 4],
            stock: row.stock,
            stock_policy: StockPolicy::parse(&row.stock_policy)
                .ok_or_else(|| corrupt("stock policy", &row.stock_policy))?,
            sale_units: sale_units(row.min_sale_units, row.max_sale_units)?,
            position: row.position,
        });
    }
    let variants: HashMap<i64, (usize, usize)> = products
        .iter()
        .enumerate()
        .flat_map(|(p, product)| {
            product
                .variants
                .iter()
                .enumerate()
                .map(move |(v, variant)| (variant.id, (p, v)))
        })
        .collect();
    for row in rows.choices {
        let Some(&(p, v)) = variants.get(&row.variant_id) else {
            continue;
        };
        let attribute = ChoiceAttribute::parse(&row.attribute)
            .map_err(|_| corrupt("choice attribute", &row.attribute))?;
        products[p].variants[v].choices.push(VariantChoice {
            attribute,
            value: row.value,
        });
    }
    for row in rows.surcharges {
        let Some(&(p, v)) = variants.get(&row.variant_id) else {
            continue;
        };
        let site = SiteCode::parse(&row.site).map_err(|_| corrupt("site", &row.site))?;
        products[p].variants[v].surcharge_cents[site.index()] = row.amount_cents;
    }
    let mut options: HashMap<i64, (usize, usize)> = HashMap::new();
    for row in rows.options {
        let Some(i) = product(row.product_id) else {
            continue;
        };
        options.insert(row.id, (i, products[i].options.len()));
        products[i].options.push(ProductOption {
            id: row.id,
            titles: titles([row.title_es, row.title_fr, row.title_pt, row.title_it]),
            required: row.required,
            values: Vec::new(),
        });
    }
    for row in rows.option_values {
        let Some(&(p, o)) = options.get(&row.option_id) else {
            continue;
        };
        products[p].options[o].values.push(OptionValue {
            id: row.id,
            titles: titles([row.title_es, row.title_fr, row.title_pt, row.title_it]),
            surcharge_cents: [
                row.surcharge_es_cents,
                row.surcharge_fr_cents,
                row.surcharge_pt_cents,
                row.surcharge_it_cents,
            ],
        });
    }
    for row in rows.images {
        let Some(i) = product(row.product_id) else {
            continue;
        };
        products[i].images.push(row.path);
    }
    for row in rows.links {
        let Some(i) = product(row.product_id) else {
            continue;
        };
        products[i].links.push(ProductLink {
            kind: LinkKind::parse(&row.kind).ok_or_else(|| corrupt("link kind", &row.kind))?,
            sku: sku(&row.linked_sku)?,
        });
    }
    for row in rows.price_tiers {
        let Some(i) = product(row.product_id) else {
            continue;
        };
        products[i].price_tiers.push(PriceTier {
            customer_group: row.customer_group,
            min_units: u32::try_from(row.min_units)
                .map_err(|_| corrupt("tier units", &row.min_units.to_string()))?,
            unit_price_cents: [
                row.price_es_cents,
                row.price_fr_cents,
                row.price_pt_cents,
                row.price_it_cents,
            ],
        });
    }
    for row in rows.placements {
        let Some(i) = product(row.product_id) else {
            continue;
        };
        products[i]
            .categories
            .push((CategoryId(row.category_id), row.position));
    }
    for p in &mut products {
        p.categories.sort_unstable();
    }
    Ok(products)
}

pub(crate) fn assemble_categories(
    rows: Vec<CategoryRow>,
    translations: Vec<CategoryTranslationRow>,
) -> Result<Vec<Category>> {
    let index: HashMap<i64, usize> = rows.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    let mut categories: Vec<Category> = rows
        .into_iter()
        .map(|row| Category {
            id: CategoryId(row.id),
            parent: row.parent_id.map(CategoryId),
            position: row.position,
            enabled: row.enabled,
            hygiene_sealed: row.hygiene_sealed,
            names: PerLocale::default(),
            url_keys: PerLocale::default(),
            meta: PerLocale::default(),
        })
        .collect();
    for row in translations {
        let Some(&i) = index.get(&row.category_id) else {
            continue;
        };
        let locale = locale(&row.locale)?;
        categories[i].names[locale] = row.name;
        categories[i].url_keys[locale] = row.url_key;
        categories[i].meta[locale] = PageMeta {
            title: row.meta_title,
            description: row.meta_description,
        };
    }
    Ok(categories)
}

pub(crate) fn assemble_attribute_labels(
    rows: Vec<AttributeLabelRow>,
) -> Result<Vec<AttributeLabels>> {
    let mut attributes: Vec<AttributeLabels> = Vec::new();
    for row in rows {
        let attribute = ChoiceAttribute::parse(&row.attribute)
            .map_err(|_| corrupt("choice attribute", &row.attribute))?;
        if attributes
            .last()
            .is_none_or(|last| last.attribute != attribute)
        {
            let labels = PerLocale::from_fn(|_| attribute.default_label());
            attributes.push(AttributeLabels { attribute, labels });
        }
        let last = attributes.len() - 1;
        attributes[last].labels[locale(&row.locale)?] = row.label;
    }
    Ok(attributes)
}

pub(crate) fn assemble_options(
    rows: Vec<OptionRow>,
    labels: Vec<OptionLabelRow>,
) -> Result<Vec<AttributeOption>> {
    let index: HashMap<(String, String), usize> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| ((r.attribute.clone(), r.code.clone()), i))
        .collect();
    let mut options: Vec<AttributeOption> = rows
        .into_iter()
        .map(|row| AttributeOption {
            attribute: row.attribute,
            code: row.code,
            labels: PerLocale::default(),
            position: row.position,
        })
        .collect();
    for row in labels {
        let Some(&i) = index.get(&(row.attribute, row.code)) else {
            continue;
        };
        options[i].labels[locale(&row.locale)?] = row.label;
    }
    Ok(options)
}

pub(crate) fn changes(rows: Vec<ChangeRow>) -> Result<Vec<CatalogueChange>> {
    rows.into_iter()
        .map(|row| {
            Ok(CatalogueChange {
                position: ChangePosition(row.id),
                kind: ChangeKind::parse(&row.kind)
                    .ok_or_else(|| corrupt("change kind", &row.kind))?,
                product: row.product_id.map(ProductId),
                changed_at: row.changed_at,
            })
        })
        .collect()
}
