//! The back office's view of products: finding them among 65 000, and saving an edit
//! with optimistic concurrency (a save based on an older version is refused, never
//! silently overwriting another staff member's save).

use comptoir_domain::{
    AgeGroup, CategoryId, Gender, Locale, PerLocale, Product, ProductId, SiteCode, SitePrice,
};
use serde_json::{Map, Value};

/// Which products the product list shows; `None` matches all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductFilter {
    /// A SKU prefix or part of the Spanish name (case-insensitive).
    pub text: Option<String>,
    /// Placed in this category or one below it.
    pub category: Option<i64>,
    /// Sold on this site.
    pub site: Option<SiteCode>,
    pub enabled: Option<bool>,
    pub stock: Option<StockFilter>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StockFilter {
    /// No unit left in any variant.
    Out,
    /// 1 to [`LOW_STOCK_UNITS`] units in all.
    Low,
    /// At least one unit.
    In,
}

/// A product with this many units or fewer in all is low on stock.
pub const LOW_STOCK_UNITS: i64 = 5;

/// A line of the product list.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ProductListRow {
    pub id: i64,
    pub sku: String,
    /// The Spanish name.
    pub name: String,
    pub enabled: bool,
    /// Units in stock over all variants.
    pub stock: i64,
    /// The Spanish site's regular price, if sold there.
    pub price_es_cents: Option<i64>,
    /// On how many sites it is sold.
    pub sites: i64,
}

/// A page of the product list and how many products match in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductPage {
    pub rows: Vec<ProductListRow>,
    pub total: i64,
}

/// A category for pickers: its Spanish name, its depth in the tree, and its path
/// from the root (`Disfraces/Adultos`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryChoice {
    pub id: i64,
    pub name: String,
    pub depth: usize,
    pub path: String,
}

/// What the product editor changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductEdit {
    pub id: ProductId,
    pub enabled: bool,
    /// Code of a `theme` attribute option.
    pub theme: Option<String>,
    pub gender: Option<Gender>,
    pub age_group: Option<AgeGroup>,
    /// Placements and their merchandising positions.
    pub categories: Vec<(CategoryId, i32)>,
    pub names: PerLocale<String>,
    pub descriptions: PerLocale<String>,
    pub url_keys: PerLocale<String>,
    /// The offer per site (by [`SiteCode::index`]); `None` where it is not sold.
    pub sites: [Option<SitePrice>; 4],
    /// New stock counts, only for the variants whose count staff changed: (variant
    /// id, units). Untouched counts are not written, so units sold meanwhile stay sold.
    pub stock_counts: Vec<(i64, i32)>,
}

/// How a save ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditOutcome {
    /// Saved; the product's new version.
    Saved {
        version: i64,
    },
    /// Someone saved the product since this edit began: nothing was written.
    Conflict,
    /// Another product of that language already has the URL key: nothing written.
    UrlKeyTaken(Locale),
    /// A category that does not exist (deleted meanwhile): nothing written.
    UnknownCategory,
    NotFound,
}

/// One change applied to many products at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkChange {
    Enable(bool),
    /// The products' placements become this one category.
    MoveToCategory(i64),
    /// Regular prices changed by this percentage, on one site or all; a sale price no
    /// longer below the new price is dropped.
    PriceByPercent {
        site: Option<SiteCode>,
        percent: i64,
    },
}

/// How a bulk change ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkOutcome {
    /// Applied to this many products.
    Done(usize),
    /// Nothing written: the category does not exist, or a price would overflow.
    Refused(&'static str),
}

/// The edit's changes for the audit log: the fields that differ, before and after.
pub(crate) fn audited_changes(before: &Product, edit: &ProductEdit) -> (String, String) {
    let mut old = Map::new();
    let mut new = Map::new();
    let mut compare = |field: String, was: Value, now: Value| {
        if was != now {
            old.insert(field.clone(), was);
            new.insert(field, now);
        }
    };
    compare("enabled".into(), before.enabled.into(), edit.enabled.into());
    compare(
        "theme".into(),
        before.theme.clone().into(),
        edit.theme.clone().into(),
    );
    compare(
        "gender".into(),
        before.gender.map(Gender::as_str).into(),
        edit.gender.map(Gender::as_str).into(),
    );
    compare(
        "age_group".into(),
        before.age_group.map(AgeGroup::as_str).into(),
        edit.age_group.map(AgeGroup::as_str).into(),
    );
    let category_ids = |placements: &[(CategoryId, i32)]| {
        let mut ids: Vec<i64> = placements.iter().map(|(id, _)| id.0).collect();
        ids.sort_unstable();
        Value::from(ids)
    };
    compare(
        "categories".into(),
        category_ids(&before.categories),
        category_ids(&edit.categories),
    );
    for locale in Locale::ALL {
        let code = locale.as_str();
        let texts = [
            ("name", &before.names, &edit.names),
            ("description", &before.descriptions, &edit.descriptions),
            ("url_key", &before.url_keys, &edit.url_keys),
        ];
        for (field, was, now) in texts {
            compare(
                format!("{field}.{code}"),
                was[locale].as_str().into(),
                now[locale].as_str().into(),
            );
        }
    }
    for site in SiteCode::ALL {
        compare(
            format!("site.{}", site.as_str()),
            offer_json(before.site(site)),
            offer_json(edit.sites[site.index()].as_ref()),
        );
    }
    for (variant_id, units) in &edit.stock_counts {
        if let Some(variant) = before.variants.iter().find(|v| v.id == *variant_id) {
            compare(
                format!("stock.{}", variant.sku.as_str()),
                variant.stock.into(),
                (*units).into(),
            );
        }
    }
    (
        Value::Object(old).to_string(),
        Value::Object(new).to_string(),
    )
}

fn offer_json(offer: Option<&SitePrice>) -> Value {
    match offer {
        None => Value::Null,
        Some(offer) => serde_json::json!({
            "price_cents": offer.price.cents(),
            "sale_price_cents": offer.sale.map(|sale| sale.price.cents()),
            "sale_starts_at": offer.sale.and_then(|sale| sale.starts_at).map(|t| t.to_rfc3339()),
            "sale_ends_at": offer.sale.and_then(|sale| sale.ends_at).map(|t| t.to_rfc3339()),
            "visibility": offer.visibility.as_str(),
        }),
    }
}

pub(crate) const PRODUCT_VERSION_SQL: &str = "SELECT version FROM products WHERE id = $1";
pub(crate) const BUMP_VERSION_SQL: &str = "UPDATE products SET enabled = $3, theme = $4, \
     gender = $5, age_group = $6, version = version + 1 \
     WHERE id = $1 AND version = $2 RETURNING version";
pub(crate) const THEME_CHOICES_SQL: &str = "SELECT o.code, COALESCE(l.label, o.code) FROM attribute_options o \
     LEFT JOIN attribute_option_labels l ON l.attribute = o.attribute AND l.code = o.code AND l.locale = 'es' \
     WHERE o.attribute = 'theme' ORDER BY o.position, o.code";
pub(crate) const DELETE_OFFERS_SQL: &str = "DELETE FROM product_sites WHERE product_id = $1";
pub(crate) const INSERT_OFFER_SQL: &str = "INSERT INTO product_sites \
     (product_id, site, price_cents, sale_price_cents, sale_starts_at, sale_ends_at, visibility) \
     VALUES ($1, $2, $3, $4, $5, $6, $7)";
pub(crate) const SET_VARIANT_STOCK_SQL: &str =
    "UPDATE variants SET stock = $3 WHERE id = $1 AND product_id = $2";
pub(crate) const BUMP_ANY_VERSION_SQL: &str =
    "UPDATE products SET version = version + 1 WHERE id = $1";
pub(crate) const ENABLED_SQL: &str = "SELECT enabled FROM products WHERE id = $1";
pub(crate) const SET_ENABLED_SQL: &str = "UPDATE products SET enabled = $2 WHERE id = $1";
pub(crate) const CATEGORY_EXISTS_SQL: &str = "SELECT id FROM categories WHERE id = $1";
pub(crate) const PLACEMENTS_SQL: &str =
    "SELECT category_id FROM product_categories WHERE product_id = $1 ORDER BY category_id";
pub(crate) const DELETE_PLACEMENTS_SQL: &str =
    "DELETE FROM product_categories WHERE product_id = $1";
pub(crate) const INSERT_PLACEMENT_SQL: &str =
    "INSERT INTO product_categories (product_id, category_id, position) VALUES ($1, $2, 0)";
pub(crate) const INSERT_PLACEMENT_AT_SQL: &str =
    "INSERT INTO product_categories (product_id, category_id, position) VALUES ($1, $2, $3)";
pub(crate) const OFFERS_SQL: &str = "SELECT site, price_cents, sale_price_cents FROM product_sites WHERE product_id = $1 ORDER BY site";
pub(crate) const SET_OFFER_PRICE_SQL: &str = "UPDATE product_sites SET price_cents = $3, \
     sale_price_cents = $4, sale_starts_at = CASE WHEN $4 IS NULL THEN NULL ELSE sale_starts_at END, \
     sale_ends_at = CASE WHEN $4 IS NULL THEN NULL ELSE sale_ends_at END \
     WHERE product_id = $1 AND site = $2";

/// A site's prices after a percentage change: the new price, and the sale price kept
/// only while it stays below it. `None` if the price would overflow.
pub(crate) fn repriced(
    price_cents: i64,
    sale_cents: Option<i64>,
    percent: i64,
) -> Option<(i64, Option<i64>)> {
    let price = comptoir_domain::Money::eur(price_cents)
        .changed_by_percent(percent)
        .ok()?
        .cents();
    Some((price, sale_cents.filter(|sale| *sale < price)))
}

pub(crate) const CATEGORY_CHOICES_SQL: &str = "SELECT c.id, c.parent_id, t.name FROM categories c \
     JOIN category_translations t ON t.category_id = c.id AND t.locale = 'es' \
     ORDER BY c.position, c.id";

/// The list's columns; `FROM` and the filters follow.
pub(crate) const PRODUCT_LIST_SELECT: &str = "SELECT p.id, p.sku, t.name, p.enabled, \
     CAST((SELECT COALESCE(SUM(v.stock), 0) FROM variants v WHERE v.product_id = p.id) AS BIGINT) AS stock, \
     (SELECT ps.price_cents FROM product_sites ps WHERE ps.product_id = p.id AND ps.site = 'es') AS price_es_cents, \
     (SELECT COUNT(*) FROM product_sites ps WHERE ps.product_id = p.id) AS sites";
pub(crate) const PRODUCT_LIST_COUNT: &str = "SELECT COUNT(*)";
pub(crate) const PRODUCT_LIST_FROM: &str = " FROM products p \
     JOIN product_translations t ON t.product_id = p.id AND t.locale = 'es' WHERE 1 = 1";

/// `text` with LIKE's wildcards taken literally (with `ESCAPE '\\'`).
pub(crate) fn like_escaped(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Appends `filter`'s conditions to a product list query.
pub(crate) fn push_product_filter<DB: sqlx::Database>(
    query: &mut sqlx::QueryBuilder<DB>,
    filter: &ProductFilter,
) where
    for<'t> String: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    for<'t> i64: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    for<'t> bool: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    if let Some(text) = &filter.text {
        let escaped = like_escaped(text);
        query
            .push(" AND (p.sku LIKE ")
            .push_bind(format!("{}%", escaped.to_uppercase()))
            .push(" ESCAPE '\\' OR LOWER(t.name) LIKE ")
            .push_bind(format!("%{}%", escaped.to_lowercase()))
            .push(" ESCAPE '\\')");
    }
    if let Some(category) = filter.category {
        query
            .push(
                " AND EXISTS (SELECT 1 FROM product_categories pc WHERE pc.product_id = p.id \
                 AND pc.category_id IN (WITH RECURSIVE below(id) AS (SELECT ",
            )
            .push_bind(category)
            .push(
                " UNION SELECT c.id FROM categories c JOIN below ON c.parent_id = below.id) \
                 SELECT id FROM below))",
            );
    }
    if let Some(site) = filter.site {
        query
            .push(" AND EXISTS (SELECT 1 FROM product_sites ps WHERE ps.product_id = p.id AND ps.site = ")
            .push_bind(site.as_str().to_owned())
            .push(")");
    }
    if let Some(enabled) = filter.enabled {
        query.push(" AND p.enabled = ").push_bind(enabled);
    }
    if let Some(stock) = filter.stock {
        let units =
            " AND (SELECT COALESCE(SUM(v.stock), 0) FROM variants v WHERE v.product_id = p.id)";
        match stock {
            StockFilter::Out => query.push(units).push(" = 0"),
            StockFilter::Low => query
                .push(units)
                .push(" BETWEEN 1 AND ")
                .push_bind(LOW_STOCK_UNITS),
            StockFilter::In => query.push(units).push(" > 0"),
        };
    }
}

/// Orders categories as a tree (parents before their children), with depths.
pub(crate) fn category_tree(rows: Vec<(i64, Option<i64>, String)>) -> Vec<CategoryChoice> {
    fn visit(
        parent: Option<(i64, &str)>,
        depth: usize,
        rows: &[(i64, Option<i64>, String)],
        out: &mut Vec<CategoryChoice>,
    ) {
        for (id, _, name) in rows
            .iter()
            .filter(|(_, p, _)| *p == parent.map(|(id, _)| id))
        {
            let path = match parent {
                Some((_, above)) => format!("{above}/{name}"),
                None => name.clone(),
            };
            out.push(CategoryChoice {
                id: *id,
                name: name.clone(),
                depth,
                path: path.clone(),
            });
            visit(Some((*id, &path)), depth + 1, rows, out);
        }
    }
    let mut out = Vec::with_capacity(rows.len());
    visit(None, 0, &rows, &mut out);
    out
}

pub(crate) const ADD_IMAGE_SQL: &str = "INSERT INTO product_images (product_id, position, path) \
     SELECT $1, COALESCE(MAX(position) + 1, 0), $2 FROM product_images WHERE product_id = $1";
pub(crate) const REMOVE_IMAGE_SQL: &str =
    "DELETE FROM product_images WHERE product_id = $1 AND path = $2";
/// Puts an image before the product's others (positions may go below 0).
pub(crate) const MAKE_MAIN_IMAGE_SQL: &str = "UPDATE product_images SET position = \
     (SELECT MIN(position) - 1 FROM product_images WHERE product_id = $1) \
     WHERE product_id = $1 AND path = $2";
pub(crate) const PRODUCT_EXISTS_SQL: &str = "SELECT id FROM products WHERE id = $1";
pub(crate) const ADD_VARIANT_SQL: &str = "INSERT INTO variants \
     (product_id, sku, size, colour, stock, position) \
     SELECT $1, $2, $3, $4, $5, COALESCE(MAX(position) + 1, 0) FROM variants WHERE product_id = $1";
/// A product with more than one variant is configurable (exports say so).
pub(crate) const BECOME_CONFIGURABLE_SQL: &str = "UPDATE products SET kind = 'configurable' \
     WHERE id = $1 AND (SELECT COUNT(*) FROM variants WHERE product_id = $1) > 1";
pub(crate) const PRODUCT_VARIANTS_SQL: &str =
    "SELECT id, sku FROM variants WHERE product_id = $1 ORDER BY position, id";
pub(crate) const VARIANT_ORDERED_SQL: &str =
    "SELECT variant_id FROM order_lines WHERE variant_id = $1 LIMIT 1";
pub(crate) const DELETE_VARIANT_SQL: &str =
    "DELETE FROM variants WHERE id = $1 AND product_id = $2";

/// What staff do to one of a product's images.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageChange {
    Remove,
    /// Shown first, on listings too.
    MakeMain,
}

/// A variant staff add in the editor: what an import gives of one.
pub type NewVariant = crate::ImportedVariant;

/// How adding or removing a variant ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VariantOutcome {
    Done,
    /// No such product, or no such variant of it.
    NotFound,
    /// Another variant has the SKU: nothing written.
    SkuTaken,
    /// A product keeps at least one variant.
    LastVariant,
    /// Orders name the variant: it stays (its stock can go to 0).
    Ordered,
}
