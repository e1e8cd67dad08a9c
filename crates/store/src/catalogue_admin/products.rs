//! The back office's view of products: finding them among 65 000, and saving an edit
//! with optimistic concurrency (a save based on an older version is refused, never
//! silently overwriting another staff member's save).

use async_trait::async_trait;
use comptoir_domain::{
    AgeGroup, CategoryId, Gender, Locale, PageMeta, PerLocale, Product, ProductId, SiteCode,
    SitePrice,
};
use serde_json::{Map, Value};

use crate::Result;
use crate::staff::Actor;

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
    pub meta: PerLocale<PageMeta>,
    /// The offer per site (by [`SiteCode::index`]); `None` where it is not sold.
    pub sites: [Option<SitePrice>; 4],
    /// New stock counts, only for the variants whose count staff changed: (variant
    /// id, units). Untouched counts are not written, so units sold meanwhile stay sold.
    pub stock_counts: Vec<(i64, i32)>,
    /// New stock policies, only for the variants whose policy staff changed.
    pub stock_policies: Vec<(i64, comptoir_domain::StockPolicy)>,
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
    /// Nothing written: there is no such category.
    UnknownCategory,
    /// Nothing written: a price would overflow.
    PriceTooLarge,
}

/// A variant of an enabled product running out, for the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LowStock {
    pub product_id: i64,
    /// The product's name in Spanish (the back office's catalogue language).
    pub name: String,
    pub sku: String,
    pub size: Option<String>,
    pub stock: i64,
}

/// Products as staff find, edit and change them in bulk.
#[async_trait]
pub trait ProductAdminStore: Send + Sync {
    /// A page of the products matching `filter`, by SKU, and how many match.
    async fn find_products(
        &self,
        filter: &ProductFilter,
        limit: u32,
        offset: u32,
    ) -> Result<ProductPage>;

    /// The `theme` attribute's options: (code, Spanish label).
    async fn theme_choices(&self) -> Result<Vec<(String, String)>>;

    /// Every product's id, by SKU (for exports, read in chunks).
    async fn product_ids(&self) -> Result<Vec<ProductId>>;

    /// A product as the editor shows it, and its version.
    async fn product_for_edit(&self, id: ProductId) -> Result<Option<(Product, i64)>>;

    /// Saves an edit based on `expected_version`, with its change-log entry and its
    /// audit entry, in one transaction; refused if the product was saved since.
    async fn save_product(
        &self,
        edit: &ProductEdit,
        expected_version: i64,
        by: &Actor,
    ) -> Result<EditOutcome>;

    /// Applies one change to every product of `ids` in one transaction: each
    /// product's version moves on (an editor open on it must reload), each change is
    /// logged and audited.
    async fn bulk_change(
        &self,
        ids: &[ProductId],
        change: BulkChange,
        by: &Actor,
    ) -> Result<BulkOutcome>;

    /// Up to `limit` variants of enabled products with at most `threshold` units
    /// left, fewest first.
    async fn low_stock(&self, threshold: i64, limit: u32) -> Result<Vec<LowStock>>;
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
        let (was, now) = (&before.meta[locale], &edit.meta[locale]);
        compare(
            format!("meta_title.{code}"),
            was.title.as_str().into(),
            now.title.as_str().into(),
        );
        compare(
            format!("meta_description.{code}"),
            was.description.as_str().into(),
            now.description.as_str().into(),
        );
    }
    for site in SiteCode::ALL {
        compare(
            format!("site.{}", site.as_str()),
            offer_json(before.site(site)),
            offer_json(edit.sites[site.index()].as_ref()),
        );
    }
    for (variant_id, policy) in &edit.stock_policies {
        if let Some(variant) = before.variants.iter().find(|v| v.id == *variant_id) {
            compare(
                format!("stock_policy.{}", variant.sku.as_str()),
                variant.stock_policy.as_str().into(),
                policy.as_str().into(),
            );
        }
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

pub(crate) const UPSERT_TRANSLATION_SQL: &str = "INSERT INTO product_translations \
     (product_id, locale, name, description, url_key, meta_title, meta_description) \
     VALUES ($1, $2, $3, $4, $5, $6, $7) \
     ON CONFLICT (product_id, locale) DO UPDATE SET name = excluded.name, \
     description = excluded.description, url_key = excluded.url_key, \
     meta_title = excluded.meta_title, meta_description = excluded.meta_description";
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
/// Units owed (below zero) are forgiven when the variant stops selling beyond its stock.
pub(crate) const SET_VARIANT_STOCK_POLICY_SQL: &str = "UPDATE variants SET stock_policy = $3, \
     stock = CASE WHEN $3 <> 'backorders' AND stock < 0 THEN 0 ELSE stock END \
     WHERE id = $1 AND product_id = $2";
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
        // A variant sold beyond its count (backorders, not counted) is never short.
        let beyond = "EXISTS (SELECT 1 FROM variants v WHERE v.product_id = p.id \
                      AND v.stock_policy <> 'counted')";
        let units = "(SELECT COALESCE(SUM(v.stock), 0) FROM variants v WHERE v.product_id = p.id)";
        match stock {
            StockFilter::Out => query.push(format!(" AND NOT {beyond} AND {units} <= 0")),
            StockFilter::Low => query
                .push(format!(" AND NOT {beyond} AND {units} BETWEEN 1 AND "))
                .push_bind(LOW_STOCK_UNITS),
            StockFilter::In => query.push(format!(" AND ({beyond} OR {units} > 0)")),
        };
    }
}

pub(crate) const LOW_STOCK_SQL: &str = "SELECT p.id AS product_id, t.name, v.sku, v.size, \
     CAST(v.stock AS BIGINT) AS stock \
     FROM variants v JOIN products p ON p.id = v.product_id \
     JOIN product_translations t ON t.product_id = p.id AND t.locale = 'es' \
     WHERE p.enabled AND v.stock <= $1 AND v.stock_policy <> 'not_counted' \
     ORDER BY v.stock, v.sku LIMIT $2";

/// Writes `impl ProductAdminStore for $store`, a backend's store type.
macro_rules! impl_product_admin_store {
    ($store:ty) => {
        const _: () = {
            use $crate::dialect::Dialect;

            type Db = <$store as Dialect>::Db;

            /// Writes a product's names, descriptions, URL keys and page meta in every
            /// language; the language whose URL key another product has, if any (then
            /// the caller drops the transaction: nothing is written).
            async fn write_texts(
                tx: &mut sqlx::Transaction<'static, Db>,
                product_id: i64,
                [names, descriptions, url_keys]: [&comptoir_domain::PerLocale<String>; 3],
                meta: &comptoir_domain::PerLocale<comptoir_domain::PageMeta>,
            ) -> $crate::Result<Option<comptoir_domain::Locale>> {
                for locale in comptoir_domain::Locale::ALL {
                    let written = sqlx::query($crate::catalogue_admin::products::UPSERT_TRANSLATION_SQL)
                        .bind(product_id)
                        .bind(locale.as_str())
                        .bind(&names[locale])
                        .bind(&descriptions[locale])
                        .bind(&url_keys[locale])
                        .bind(&meta[locale].title)
                        .bind(&meta[locale].description)
                        .execute(&mut **tx)
                        .await;
                    match written {
                        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
                            return Ok(Some(locale));
                        }
                        other => {
                            other?;
                        }
                    }
                }
                Ok(None)
            }

            /// Replaces a product's offers with `sites` (by `SiteCode::index`).
            async fn write_offers(
                tx: &mut sqlx::Transaction<'static, Db>,
                product_id: i64,
                sites: &[Option<comptoir_domain::SitePrice>; 4],
            ) -> $crate::Result<()> {
                sqlx::query($crate::catalogue_admin::products::DELETE_OFFERS_SQL)
                    .bind(product_id)
                    .execute(&mut **tx)
                    .await?;
                for site in comptoir_domain::SiteCode::ALL {
                    let Some(offer) = &sites[site.index()] else {
                        continue;
                    };
                    sqlx::query($crate::catalogue_admin::products::INSERT_OFFER_SQL)
                        .bind(product_id)
                        .bind(site.as_str())
                        .bind(offer.price.cents())
                        .bind(offer.sale.map(|sale| sale.price.cents()))
                        .bind(offer.sale.and_then(|sale| sale.starts_at))
                        .bind(offer.sale.and_then(|sale| sale.ends_at))
                        .bind(offer.visibility.as_str())
                        .execute(&mut **tx)
                        .await?;
                }
                Ok(())
            }

            #[async_trait::async_trait]
            impl $crate::catalogue_admin::ProductAdminStore for $store {
                async fn find_products(
                    &self,
                    filter: &$crate::ProductFilter,
                    limit: u32,
                    offset: u32,
                ) -> $crate::Result<$crate::ProductPage> {
                    use $crate::catalogue_admin::products as admin;
                    let mut rows = sqlx::QueryBuilder::<Db>::new(admin::PRODUCT_LIST_SELECT);
                    rows.push(admin::PRODUCT_LIST_FROM);
                    admin::push_product_filter(&mut rows, filter);
                    rows.push(" ORDER BY p.sku LIMIT ")
                        .push_bind(i64::from(limit))
                        .push(" OFFSET ")
                        .push_bind(i64::from(offset));
                    let rows = rows
                        .build_query_as::<$crate::ProductListRow>()
                        .fetch_all(self.pool())
                        .await?;
                    let mut count = sqlx::QueryBuilder::<Db>::new(admin::PRODUCT_LIST_COUNT);
                    count.push(admin::PRODUCT_LIST_FROM);
                    admin::push_product_filter(&mut count, filter);
                    let total: i64 = count.build_query_scalar().fetch_one(self.pool()).await?;
                    Ok($crate::ProductPage { rows, total })
                }

                async fn theme_choices(&self) -> $crate::Result<Vec<(String, String)>> {
                    Ok(sqlx::query_as($crate::catalogue_admin::products::THEME_CHOICES_SQL)
                        .fetch_all(self.pool())
                        .await?)
                }

                async fn product_ids(&self) -> $crate::Result<Vec<comptoir_domain::ProductId>> {
                    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM products ORDER BY sku")
                        .fetch_all(self.pool())
                        .await?;
                    Ok(ids.into_iter().map(comptoir_domain::ProductId).collect())
                }

                async fn product_for_edit(
                    &self,
                    id: comptoir_domain::ProductId,
                ) -> $crate::Result<Option<(comptoir_domain::Product, i64)>> {
                    let Some(product) = $crate::CatalogueStore::load_products(self, &[id]).await?.pop() else {
                        return Ok(None);
                    };
                    let version: i64 = sqlx::query_scalar($crate::catalogue_admin::products::PRODUCT_VERSION_SQL)
                        .bind(id.0)
                        .fetch_one(self.pool())
                        .await?;
                    Ok(Some((product, version)))
                }

                async fn save_product(
                    &self,
                    edit: &$crate::ProductEdit,
                    expected_version: i64,
                    by: &$crate::staff::Actor,
                ) -> $crate::Result<$crate::EditOutcome> {
                    use $crate::EditOutcome;
                    use $crate::catalogue_admin::products as admin;
                    let id = edit.id.0;
                    let Some(before) = $crate::CatalogueStore::load_products(self, &[edit.id]).await?.pop()
                    else {
                        return Ok(EditOutcome::NotFound);
                    };
                    let mut tx = self.begin_write().await?;
                    let version: Option<i64> = sqlx::query_scalar(admin::BUMP_VERSION_SQL)
                        .bind(id)
                        .bind(expected_version)
                        .bind(edit.enabled)
                        .bind(&edit.theme)
                        .bind(edit.gender.map(comptoir_domain::Gender::as_str))
                        .bind(edit.age_group.map(comptoir_domain::AgeGroup::as_str))
                        .fetch_optional(&mut *tx)
                        .await?;
                    let Some(version) = version else {
                        return Ok(EditOutcome::Conflict);
                    };
                    let texts = [&edit.names, &edit.descriptions, &edit.url_keys];
                    if let Some(locale) = write_texts(&mut tx, id, texts, &edit.meta).await? {
                        return Ok(EditOutcome::UrlKeyTaken(locale));
                    }
                    write_offers(&mut tx, id, &edit.sites).await?;
                    sqlx::query(admin::DELETE_PLACEMENTS_SQL)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    for (category, position) in &edit.categories {
                        let placed = sqlx::query(admin::INSERT_PLACEMENT_AT_SQL)
                            .bind(id)
                            .bind(category.0)
                            .bind(position)
                            .execute(&mut *tx)
                            .await;
                        match placed {
                            Err(sqlx::Error::Database(error)) if error.is_foreign_key_violation() => {
                                return Ok(EditOutcome::UnknownCategory);
                            }
                            other => {
                                other?;
                            }
                        }
                    }
                    for (variant_id, policy) in &edit.stock_policies {
                        sqlx::query(admin::SET_VARIANT_STOCK_POLICY_SQL)
                            .bind(variant_id)
                            .bind(id)
                            .bind(policy.as_str())
                            .execute(&mut *tx)
                            .await?;
                    }
                    for (variant_id, units) in &edit.stock_counts {
                        sqlx::query(admin::SET_VARIANT_STOCK_SQL)
                            .bind(variant_id)
                            .bind(id)
                            .bind(units)
                            .execute(&mut *tx)
                            .await?;
                    }
                    Self::append_changes(&mut tx, $crate::ChangeKind::Product, &[id]).await?;
                    let (old, new) = admin::audited_changes(&before, edit);
                    Self::audit(&mut tx, by, "product.edit", "product", &id.to_string(), Some(old), Some(new))
                        .await?;
                    tx.commit().await?;
                    Ok(EditOutcome::Saved { version })
                }

                async fn bulk_change(
                    &self,
                    ids: &[comptoir_domain::ProductId],
                    change: $crate::BulkChange,
                    by: &$crate::staff::Actor,
                ) -> $crate::Result<$crate::BulkOutcome> {
                    use $crate::catalogue_admin::products as admin;
                    use $crate::{BulkChange, BulkOutcome};
                    let mut tx = self.begin_write().await?;
                    if let BulkChange::MoveToCategory(category) = change {
                        let exists: Option<i64> = sqlx::query_scalar(admin::CATEGORY_EXISTS_SQL)
                            .bind(category)
                            .fetch_optional(&mut *tx)
                            .await?;
                        if exists.is_none() {
                            return Ok(BulkOutcome::UnknownCategory);
                        }
                    }
                    let mut changed = Vec::with_capacity(ids.len());
                    for id in ids.iter().map(|id| id.0) {
                        let (action, before, after) = match change {
                            BulkChange::Enable(enabled) => {
                                let Some(was): Option<bool> = sqlx::query_scalar(admin::ENABLED_SQL)
                                    .bind(id)
                                    .fetch_optional(&mut *tx)
                                    .await?
                                else {
                                    continue;
                                };
                                sqlx::query(admin::SET_ENABLED_SQL)
                                    .bind(id)
                                    .bind(enabled)
                                    .execute(&mut *tx)
                                    .await?;
                                (
                                    "product.bulk.enabled",
                                    serde_json::json!({ "enabled": was }),
                                    serde_json::json!({ "enabled": enabled }),
                                )
                            }
                            BulkChange::MoveToCategory(category) => {
                                let was: Vec<i64> = sqlx::query_scalar(admin::PLACEMENTS_SQL)
                                    .bind(id)
                                    .fetch_all(&mut *tx)
                                    .await?;
                                sqlx::query(admin::DELETE_PLACEMENTS_SQL)
                                    .bind(id)
                                    .execute(&mut *tx)
                                    .await?;
                                sqlx::query(admin::INSERT_PLACEMENT_SQL)
                                    .bind(id)
                                    .bind(category)
                                    .execute(&mut *tx)
                                    .await?;
                                (
                                    "product.bulk.category",
                                    serde_json::json!({ "categories": was }),
                                    serde_json::json!({ "categories": [category] }),
                                )
                            }
                            BulkChange::PriceByPercent { site, percent } => {
                                let offers: Vec<(String, i64, Option<i64>)> =
                                    sqlx::query_as(admin::OFFERS_SQL)
                                        .bind(id)
                                        .fetch_all(&mut *tx)
                                        .await?;
                                let mut was = serde_json::Map::new();
                                let mut now = serde_json::Map::new();
                                for (code, price, sale) in offers {
                                    if site.is_some_and(|site| site.as_str() != code) {
                                        continue;
                                    }
                                    let Some((new_price, new_sale)) =
                                        admin::repriced(price, sale, percent)
                                    else {
                                        return Ok(BulkOutcome::PriceTooLarge);
                                    };
                                    sqlx::query(admin::SET_OFFER_PRICE_SQL)
                                        .bind(id)
                                        .bind(&code)
                                        .bind(new_price)
                                        .bind(new_sale)
                                        .execute(&mut *tx)
                                        .await?;
                                    was.insert(
                                        code.clone(),
                                        serde_json::json!({ "price_cents": price, "sale_price_cents": sale }),
                                    );
                                    now.insert(
                                        code,
                                        serde_json::json!({ "price_cents": new_price, "sale_price_cents": new_sale }),
                                    );
                                }
                                if now.is_empty() {
                                    continue;
                                }
                                ("product.bulk.price", was.into(), now.into())
                            }
                        };
                        sqlx::query(admin::BUMP_ANY_VERSION_SQL)
                            .bind(id)
                            .execute(&mut *tx)
                            .await?;
                        Self::audit(&mut tx,
                            by,
                            action,
                            "product",
                            &id.to_string(),
                            Some(before.to_string()),
                            Some(after.to_string()),
                        )
                        .await?;
                        changed.push(id);
                    }
                    if !changed.is_empty() {
                        Self::append_changes(&mut tx, $crate::ChangeKind::Product, &changed).await?;
                    }
                    tx.commit().await?;
                    Ok(BulkOutcome::Done(changed.len()))
                }

                async fn low_stock(
                    &self,
                    threshold: i64,
                    limit: u32,
                ) -> $crate::Result<Vec<$crate::LowStock>> {
                    Ok(sqlx::query_as($crate::catalogue_admin::products::LOW_STOCK_SQL)
                        .bind(threshold)
                        .bind(i64::from(limit))
                        .fetch_all(self.pool())
                        .await?)
                }
            }
        };
    };
}
pub(crate) use impl_product_admin_store;
