//! Products brought in by an import file, matched to the catalogue by SKU: a known
//! SKU updates its product, an unknown one creates it. One transaction for the
//! whole file: it lands entirely or not at all.

use std::collections::{HashMap, HashSet};

use comptoir_domain::{
    AgeGroup, CategoryId, Gender, PerLocale, Product, ProductId, ProductKind, SiteCode, SitePrice,
    Sku,
};

/// What an import file brings: its products, and the old URLs of the categories it
/// names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductFile {
    pub products: Vec<ImportedProduct>,
    /// Category URLs in the shop the file comes from: answered with a 301 to the
    /// category's page.
    pub old_category_paths: Vec<OldCategoryPath>,
}

/// A category's URL in the shop a file comes from, on one site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OldCategoryPath {
    pub site: SiteCode,
    /// The path without its leading slash (`disfraces/adultos.html`).
    pub path: String,
    pub category: CategoryId,
}

/// What an old URL stands for now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OldUrlTarget {
    Product(ProductId),
    Category(CategoryId),
}

/// A product as an import file describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedProduct {
    pub sku: Sku,
    pub kind: ProductKind,
    pub enabled: bool,
    pub theme: Option<String>,
    pub gender: Option<Gender>,
    pub age_group: Option<AgeGroup>,
    pub names: PerLocale<String>,
    pub descriptions: PerLocale<String>,
    pub url_keys: PerLocale<String>,
    /// The offer per site (by `SiteCode::index`); `None` where it is not sold.
    pub sites: [Option<SitePrice>; 4],
    pub categories: Vec<CategoryId>,
    /// Image paths under `/static/`, the main one first.
    pub images: Vec<String>,
    pub variants: Vec<ImportedVariant>,
    /// The product's URLs in the shop it comes from, per site (paths without their
    /// leading slash): answered with a 301 to its page.
    pub old_paths: Vec<(SiteCode, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedVariant {
    pub sku: Sku,
    pub size: Option<String>,
    pub colour: Option<String>,
    pub stock: i32,
}

/// How an import ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProductImportOutcome {
    Done {
        created: usize,
        updated: usize,
        /// Products the file gives exactly as stored: left alone.
        unchanged: usize,
    },
    /// Something the file cannot do to this catalogue (a URL key or a variant SKU
    /// another product has): nothing was written.
    Refused(String),
}

pub(crate) const UPSERT_TRANSLATION_SQL: &str = "INSERT INTO product_translations \
     (product_id, locale, name, description, url_key) VALUES ($1, $2, $3, $4, $5) \
     ON CONFLICT (product_id, locale) DO UPDATE SET name = excluded.name, \
     description = excluded.description, url_key = excluded.url_key";

/// Products written per batch of statements: a few round trips write them all.
pub(crate) const CHUNK: usize = 500;

/// What writing one chunk of an import did.
pub(crate) struct ChunkWritten {
    /// The products created or changed, to log for the replicas.
    pub changed: Vec<i64>,
    pub created: usize,
    /// Products the file gives exactly as stored: not written.
    pub unchanged: usize,
}

/// Whether writing `imported` over `stored` would change nothing: same data, same
/// texts, offers, categories, images, and the same variants in the same order with
/// the same stock.
pub(crate) fn unchanged(imported: &ImportedProduct, stored: &Product) -> bool {
    let new_categories: HashSet<CategoryId> = imported.categories.iter().copied().collect();
    let old_categories: HashSet<CategoryId> = stored.categories.iter().map(|(c, _)| *c).collect();
    let variants = imported.variants.len() == stored.variants.len()
        && imported
            .variants
            .iter()
            .zip(&stored.variants)
            .all(|(new, old)| {
                new.sku == old.sku
                    && new.size == old.size
                    && new.colour == old.colour
                    && new.stock == old.stock
            });
    imported.sku == stored.sku
        && imported.kind == stored.kind
        && imported.enabled == stored.enabled
        && imported.theme == stored.theme
        && imported.gender == stored.gender
        && imported.age_group == stored.age_group
        && imported.names == stored.names
        && imported.descriptions == stored.descriptions
        && imported.url_keys == stored.url_keys
        && imported.sites == stored.sites
        && imported.images == stored.images
        && new_categories == old_categories
        && variants
}

/// Bound values per statement at most (SQLite allows 32 766, PostgreSQL 65 535).
const MAX_BIND_VALUES: usize = 30_000;

/// How many rows of `values_per_row` values one statement may carry.
pub(crate) fn rows_per_statement(values_per_row: usize) -> usize {
    MAX_BIND_VALUES / values_per_row
}

/// Why a chunk of products cannot be written when some URL key it sets is taken
/// by another product (`owners`: the current owners of those keys, as product id,
/// locale and key), or set by two products of the chunk. `ids[i]` is the id of
/// `products[i]`.
pub(crate) fn url_key_clash(
    products: &[&ImportedProduct],
    ids: &[i64],
    owners: &[(i64, String, String)],
) -> Option<String> {
    let mut wanted: HashMap<(&str, &str), (i64, &str)> = HashMap::new();
    for (product, &id) in products.iter().zip(ids) {
        for (locale, key) in product.url_keys.iter() {
            let sku = product.sku.as_str();
            if let Some((_, other)) = wanted.insert((locale.as_str(), key.as_str()), (id, sku)) {
                return Some(format!(
                    "{sku}: the URL key '{key}' ({}) is also {other}'s",
                    locale.as_str()
                ));
            }
        }
    }
    owners.iter().find_map(|(owner, locale, key)| {
        let (id, sku) = wanted.get(&(locale.as_str(), key.as_str()))?;
        (id != owner)
            .then(|| format!("{sku}: the URL key '{key}' ({locale}) belongs to another product"))
    })
}

/// The placements to remove: those stored (`placed`, as product and category id)
/// that the file no longer gives. Kept placements keep their merchandising position.
pub(crate) fn placements_to_remove(
    products: &[&ImportedProduct],
    ids: &[i64],
    placed: &[(i64, i64)],
) -> Vec<(i64, i64)> {
    let wanted: HashSet<(i64, i64)> = products
        .iter()
        .zip(ids)
        .flat_map(|(product, &id)| product.categories.iter().map(move |c| (id, c.0)))
        .collect();
    placed
        .iter()
        .filter(|placement| !wanted.contains(placement))
        .copied()
        .collect()
}

/// The old URLs of a chunk, each (site, path) once: the last product to claim it
/// wins, as it would row by row.
pub(crate) fn old_urls<'a>(
    products: &'a [ImportedProduct],
    ids: &[i64],
) -> Vec<(&'static str, &'a str, i64)> {
    let mut claimed: HashMap<(&'static str, &'a str), i64> = HashMap::new();
    for (product, &id) in products.iter().zip(ids) {
        for (site, path) in &product.old_paths {
            claimed.insert((site.as_str(), path.as_str()), id);
        }
    }
    let mut urls: Vec<_> = claimed
        .into_iter()
        .map(|((site, path), id)| (site, path, id))
        .collect();
    urls.sort_unstable();
    urls
}

pub(crate) const UPSERT_CATEGORY_REDIRECT_SQL: &str = "INSERT INTO category_redirects \
     (site, path, category_id) VALUES ($1, $2, $3) \
     ON CONFLICT (site, path) DO UPDATE SET category_id = excluded.category_id";
/// A product's old URL first, then a category's (a path both had is the product's).
pub(crate) const REDIRECT_SQL: &str = "SELECT product_id, NULL AS category_id FROM url_redirects \
     WHERE site = $1 AND path = $2 \
     UNION ALL SELECT NULL, category_id FROM category_redirects WHERE site = $1 AND path = $2";

/// Writes `write_import_chunk` for a backend: a chunk of an import in a few
/// statements per table (rows many to a statement), not a statement per row; and
/// `listed`, the `IN (…)` lists it and other bulk reads use.
macro_rules! import_chunk_writer {
    ($db:ty) => {
        /// `head` followed by the list `values`, closed: `WHERE id IN (` + `1, 2)`. An
        /// empty list matches nothing.
        fn listed<'t, T>(
            head: &'static str,
            values: impl IntoIterator<Item = T>,
        ) -> sqlx::QueryBuilder<$db>
        where
            T: sqlx::Encode<'t, $db> + sqlx::Type<$db>,
        {
            let mut query = sqlx::QueryBuilder::<$db>::new(head);
            let mut list = query.separated(", ");
            let mut empty = true;
            for value in values {
                list.push_bind(value);
                empty = false;
            }
            // `IN ()` is not SQL; `IN (NULL)` matches nothing.
            if empty {
                list.push("NULL");
            }
            list.push_unseparated(")");
            query
        }

        /// Writes one chunk of an import: its products created or updated by SKU (or
        /// left alone when given as stored), their texts, offers, placements, images,
        /// variants, and every product's old URLs. Returns what it did, or why the
        /// chunk cannot be written.
        async fn write_import_chunk(
            tx: &mut sqlx::Transaction<'static, $db>,
            products: &[$crate::ImportedProduct],
            now: chrono::DateTime<chrono::Utc>,
        ) -> $crate::Result<Result<$crate::product_import::ChunkWritten, String>> {
            use std::collections::{HashMap, HashSet};

            use $crate::product_import::{
                old_urls, placements_to_remove, rows_per_statement, unchanged, url_key_clash,
            };
            use comptoir_domain::{AgeGroup, Gender};
            use sqlx::QueryBuilder;

            // Products: a known SKU is updated, an unknown one created.
            let skus: Vec<&str> = products.iter().map(|p| p.sku.as_str()).collect();
            let mut by_sku: HashMap<String, i64> =
                listed("SELECT sku, id FROM products WHERE sku IN (", skus.iter().copied())
                    .build_query_as::<(String, i64)>()
                    .fetch_all(&mut **tx)
                    .await?
                    .into_iter()
                    .collect();
            let (known, new): (Vec<&$crate::ImportedProduct>, Vec<&$crate::ImportedProduct>) =
                products
                    .iter()
                    .partition(|p| by_sku.contains_key(p.sku.as_str()));
            let created = new.len();
            // Products the file leaves as they are: not written, not logged.
            let known_ids: Vec<i64> = known.iter().map(|p| by_sku[p.sku.as_str()]).collect();
            let stored: HashMap<i64, comptoir_domain::Product> = products_in(&mut **tx, &known_ids)
                .await?
                .into_iter()
                .map(|product| (product.id.0, product))
                .collect();
            let (left, known): (Vec<&$crate::ImportedProduct>, Vec<&$crate::ImportedProduct>) =
                known.into_iter().partition(|p| {
                    stored
                        .get(&by_sku[p.sku.as_str()])
                        .is_some_and(|stored| unchanged(p, stored))
                });
            for part in known.chunks(rows_per_statement(6)) {
                let mut query = QueryBuilder::<$db>::new(
                    "WITH v (id, kind, enabled, theme, gender, age_group) AS (",
                );
                query.push_values(part.iter().copied(), |mut row, product| {
                    row.push_bind(by_sku[product.sku.as_str()])
                        .push_bind(product.kind.as_str())
                        .push_bind(product.enabled)
                        .push_bind(product.theme.as_deref())
                        .push_bind(product.gender.map(Gender::as_str))
                        .push_bind(product.age_group.map(AgeGroup::as_str));
                });
                query.push(
                    ") UPDATE products SET kind = v.kind, enabled = v.enabled, theme = v.theme, \
                     gender = v.gender, age_group = v.age_group, version = products.version + 1 \
                     FROM v WHERE products.id = v.id",
                );
                query.build().execute(&mut **tx).await?;
            }
            for part in new.chunks(rows_per_statement(8)) {
                let mut query = QueryBuilder::<$db>::new(
                    "INSERT INTO products \
                     (sku, kind, tax_class, enabled, theme, gender, age_group, created_at) ",
                );
                query.push_values(part.iter().copied(), |mut row, product| {
                    row.push_bind(product.sku.as_str())
                        .push_bind(product.kind.as_str())
                        .push_bind("standard")
                        .push_bind(product.enabled)
                        .push_bind(product.theme.as_deref())
                        .push_bind(product.gender.map(Gender::as_str))
                        .push_bind(product.age_group.map(AgeGroup::as_str))
                        .push_bind(now);
                });
                query.push(" RETURNING sku, id");
                let created: Vec<(String, i64)> =
                    query.build_query_as().fetch_all(&mut **tx).await?;
                by_sku.extend(created);
            }
            let all_ids: Vec<i64> = skus.iter().map(|sku| by_sku[*sku]).collect();
            let left_alone: HashSet<&str> = left.iter().map(|p| p.sku.as_str()).collect();
            let writing: Vec<&$crate::ImportedProduct> = products
                .iter()
                .filter(|p| !left_alone.contains(p.sku.as_str()))
                .collect();
            let ids: Vec<i64> = writing.iter().map(|p| by_sku[p.sku.as_str()]).collect();

            // Texts, once no URL key is another product's.
            let keys: Vec<&str> = writing
                .iter()
                .flat_map(|p| p.url_keys.iter().map(|(_, key)| key.as_str()))
                .collect();
            let owners: Vec<(i64, String, String)> = listed(
                "SELECT product_id, locale, url_key FROM product_translations WHERE url_key IN (",
                keys,
            )
            .build_query_as()
            .fetch_all(&mut **tx)
            .await?;
            if let Some(clash) = url_key_clash(&writing, &ids, &owners) {
                return Ok(Err(clash));
            }
            let texts: Vec<(i64, comptoir_domain::Locale, &$crate::ImportedProduct)> = writing
                .iter()
                .copied()
                .zip(&ids)
                .flat_map(|(p, &id)| comptoir_domain::Locale::ALL.map(|locale| (id, locale, p)))
                .collect();
            for part in texts.chunks(rows_per_statement(5)) {
                let mut query = QueryBuilder::<$db>::new(
                    "INSERT INTO product_translations \
                     (product_id, locale, name, description, url_key) ",
                );
                query.push_values(part, |mut row, (id, locale, product)| {
                    row.push_bind(*id)
                        .push_bind(locale.as_str())
                        .push_bind(product.names[*locale].as_str())
                        .push_bind(product.descriptions[*locale].as_str())
                        .push_bind(product.url_keys[*locale].as_str());
                });
                query.push(
                    " ON CONFLICT (product_id, locale) DO UPDATE SET name = excluded.name, \
                     description = excluded.description, url_key = excluded.url_key",
                );
                query.build().execute(&mut **tx).await?;
            }

            // Offers, replaced.
            listed("DELETE FROM product_sites WHERE product_id IN (", ids.iter().copied())
                .build()
                .execute(&mut **tx)
                .await?;
            let offers: Vec<(i64, comptoir_domain::SiteCode, &comptoir_domain::SitePrice)> =
                writing
                    .iter()
                    .copied()
                    .zip(&ids)
                    .flat_map(|(p, &id)| {
                        comptoir_domain::SiteCode::ALL
                            .into_iter()
                            .filter_map(move |site| Some((id, site, p.sites[site.index()].as_ref()?)))
                    })
                    .collect();
            for part in offers.chunks(rows_per_statement(7)) {
                let mut query = QueryBuilder::<$db>::new(
                    "INSERT INTO product_sites (product_id, site, price_cents, sale_price_cents, \
                     sale_starts_at, sale_ends_at, visibility) ",
                );
                query.push_values(part, |mut row, (id, site, offer)| {
                    row.push_bind(*id)
                        .push_bind(site.as_str())
                        .push_bind(offer.price.cents())
                        .push_bind(offer.sale.map(|sale| sale.price.cents()))
                        .push_bind(offer.sale.and_then(|sale| sale.starts_at))
                        .push_bind(offer.sale.and_then(|sale| sale.ends_at))
                        .push_bind(offer.visibility.as_str());
                });
                query.build().execute(&mut **tx).await?;
            }

            // Placements: those the file no longer gives removed, the others kept.
            let placed: Vec<(i64, i64)> = listed(
                "SELECT product_id, category_id FROM product_categories WHERE product_id IN (",
                ids.iter().copied(),
            )
            .build_query_as()
            .fetch_all(&mut **tx)
            .await?;
            let removed = placements_to_remove(&writing, &ids, &placed);
            for part in removed.chunks(rows_per_statement(2)) {
                let mut query = QueryBuilder::<$db>::new(
                    "DELETE FROM product_categories WHERE (product_id, category_id) IN (",
                );
                query.push_values(part, |mut row, (product, category)| {
                    row.push_bind(*product).push_bind(*category);
                });
                query.push(")");
                query.build().execute(&mut **tx).await?;
            }
            let placements: Vec<(i64, i64)> = writing
                .iter()
                .copied()
                .zip(&ids)
                .flat_map(|(p, &id)| p.categories.iter().map(move |c| (id, c.0)))
                .collect();
            for part in placements.chunks(rows_per_statement(2)) {
                let mut query = QueryBuilder::<$db>::new(
                    "INSERT INTO product_categories (product_id, category_id, position) ",
                );
                query.push_values(part, |mut row, (product, category)| {
                    row.push_bind(*product).push_bind(*category).push("0");
                });
                query.push(" ON CONFLICT (product_id, category_id) DO NOTHING");
                query.build().execute(&mut **tx).await?;
            }

            // Images, replaced.
            listed("DELETE FROM product_images WHERE product_id IN (", ids.iter().copied())
                .build()
                .execute(&mut **tx)
                .await?;
            let images: Vec<(i64, i32, &str)> = writing
                .iter()
                .copied()
                .zip(&ids)
                .flat_map(|(p, &id)| {
                    p.images
                        .iter()
                        .enumerate()
                        .map(move |(position, path)| (id, position as i32, path.as_str()))
                })
                .collect();
            for part in images.chunks(rows_per_statement(3)) {
                let mut query = QueryBuilder::<$db>::new(
                    "INSERT INTO product_images (product_id, position, path) ",
                );
                query.push_values(part, |mut row, (id, position, path)| {
                    row.push_bind(*id).push_bind(*position).push_bind(*path);
                });
                query.build().execute(&mut **tx).await?;
            }

            // Variants: a known SKU is updated if it is this product's, refused if it
            // is another's; an unknown one created.
            let variants: Vec<(i64, i32, &$crate::ImportedVariant, &str)> = writing
                .iter()
                .copied()
                .zip(&ids)
                .flat_map(|(p, &id)| {
                    p.variants.iter().enumerate().map(move |(position, v)| {
                        (id, position as i32, v, p.sku.as_str())
                    })
                })
                .collect();
            let mut owners: HashMap<String, (i64, i64)> = HashMap::new();
            let variant_skus: Vec<&str> = variants.iter().map(|(_, _, v, _)| v.sku.as_str()).collect();
            for part in variant_skus.chunks(rows_per_statement(1)) {
                let found: Vec<(String, i64, i64)> =
                    listed("SELECT sku, id, product_id FROM variants WHERE sku IN (", part.iter().copied())
                        .build_query_as()
                        .fetch_all(&mut **tx)
                        .await?;
                owners.extend(found.into_iter().map(|(sku, id, owner)| (sku, (id, owner))));
            }
            let mut claimed: HashMap<&str, &str> = HashMap::new();
            for (id, _, variant, product_sku) in &variants {
                let sku = variant.sku.as_str();
                if let Some(other) = claimed.insert(sku, product_sku) {
                    return Ok(Err(format!(
                        "{product_sku}: the variant SKU {sku} is also {other}'s"
                    )));
                }
                if owners.get(sku).is_some_and(|(_, owner)| owner != id) {
                    return Ok(Err(format!(
                        "{product_sku}: the variant SKU {sku} belongs to another product"
                    )));
                }
            }
            let (known_variants, new_variants): (Vec<_>, Vec<_>) = variants
                .iter()
                .partition(|(_, _, v, _)| owners.contains_key(v.sku.as_str()));
            for part in known_variants.chunks(rows_per_statement(5)) {
                let mut query = QueryBuilder::<$db>::new(
                    "WITH v (id, size, colour, stock, position) AS (",
                );
                query.push_values(part.iter().copied(), |mut row, (_, position, variant, _)| {
                    row.push_bind(owners[variant.sku.as_str()].0)
                        .push_bind(variant.size.as_deref())
                        .push_bind(variant.colour.as_deref())
                        .push_bind(variant.stock)
                        .push_bind(position);
                });
                query.push(
                    ") UPDATE variants SET size = v.size, colour = v.colour, stock = v.stock, \
                     position = v.position FROM v WHERE variants.id = v.id",
                );
                query.build().execute(&mut **tx).await?;
            }
            for part in new_variants.chunks(rows_per_statement(6)) {
                let mut query = QueryBuilder::<$db>::new(
                    "INSERT INTO variants (product_id, sku, size, colour, stock, position) ",
                );
                query.push_values(part.iter().copied(), |mut row, (id, position, variant, _)| {
                    row.push_bind(id)
                        .push_bind(variant.sku.as_str())
                        .push_bind(variant.size.as_deref())
                        .push_bind(variant.colour.as_deref())
                        .push_bind(variant.stock)
                        .push_bind(position);
                });
                query.build().execute(&mut **tx).await?;
            }

            // Old URLs.
            let urls = old_urls(products, &all_ids);
            for part in urls.chunks(rows_per_statement(3)) {
                let mut query =
                    QueryBuilder::<$db>::new("INSERT INTO url_redirects (site, path, product_id) ");
                query.push_values(part, |mut row, (site, path, id)| {
                    row.push_bind(*site).push_bind(*path).push_bind(*id);
                });
                query.push(
                    " ON CONFLICT (site, path) DO UPDATE SET product_id = excluded.product_id",
                );
                query.build().execute(&mut **tx).await?;
            }
            Ok(Ok($crate::product_import::ChunkWritten {
                changed: ids,
                created,
                unchanged: left.len(),
            }))
        }
    };
}
pub(crate) use import_chunk_writer;

#[cfg(test)]
mod tests {
    use super::*;

    fn product(sku: &str, url_key: &str, categories: &[i64]) -> ImportedProduct {
        ImportedProduct {
            sku: Sku::parse(sku).unwrap(),
            kind: ProductKind::Simple,
            enabled: true,
            theme: None,
            gender: None,
            age_group: None,
            names: PerLocale::from_fn(|_| sku.to_owned()),
            descriptions: PerLocale::default(),
            url_keys: PerLocale::from_fn(|locale| format!("{url_key}-{}", locale.as_str())),
            sites: [None, None, None, None],
            categories: categories.iter().map(|&id| CategoryId(id)).collect(),
            images: Vec::new(),
            variants: Vec::new(),
            old_paths: vec![(SiteCode::Fr, format!("{url_key}.html"))],
        }
    }

    #[test]
    fn a_url_key_of_another_product_or_set_twice_is_a_clash() {
        let (pirate, witch) = (product("A-1", "pirata", &[]), product("B-1", "bruja", &[]));
        let products = [&pirate, &witch];
        let owned = |id: i64, key: &str| (id, "fr".to_owned(), key.to_owned());
        assert_eq!(url_key_clash(&products, &[1, 2], &[]), None);
        assert_eq!(
            url_key_clash(&products, &[1, 2], &[owned(1, "pirata-fr")]),
            None,
            "its own key"
        );
        assert_eq!(
            url_key_clash(&products, &[1, 2], &[owned(7, "bruja-fr")]).unwrap(),
            "B-1: the URL key 'bruja-fr' (fr) belongs to another product"
        );
        let other_pirate = product("C-1", "pirata", &[]);
        let twice = [&pirate, &other_pirate];
        assert!(
            url_key_clash(&twice, &[1, 3], &[])
                .unwrap()
                .ends_with("is also A-1's")
        );
    }

    #[test]
    fn only_placements_the_file_no_longer_gives_are_removed() {
        let (placed_twice, placed_nowhere) =
            (product("A-1", "a", &[10, 11]), product("B-1", "b", &[]));
        let products = [&placed_twice, &placed_nowhere];
        let placed = [(1, 10), (1, 12), (2, 10)];
        assert_eq!(
            placements_to_remove(&products, &[1, 2], &placed),
            [(1, 12), (2, 10)]
        );
    }

    #[test]
    fn an_old_url_claimed_twice_goes_to_the_last_product() {
        let products = [product("A-1", "a", &[]), product("B-1", "a", &[])];
        assert_eq!(old_urls(&products, &[1, 2]), [("fr", "a.html", 2)]);
    }

    /// `imported` as the store would give it back once written.
    fn stored_as(imported: &ImportedProduct) -> Product {
        Product {
            id: ProductId(1),
            sku: imported.sku.clone(),
            kind: imported.kind,
            tax_class: comptoir_domain::TaxClass::Standard,
            enabled: imported.enabled,
            created_at: chrono::Utc::now(),
            popularity: 3,
            theme: imported.theme.clone(),
            gender: imported.gender,
            age_group: imported.age_group,
            names: imported.names.clone(),
            descriptions: imported.descriptions.clone(),
            url_keys: imported.url_keys.clone(),
            images: imported.images.clone(),
            sites: imported.sites.clone(),
            variants: imported
                .variants
                .iter()
                .enumerate()
                .map(|(position, v)| comptoir_domain::Variant {
                    id: 10 + position as i64,
                    sku: v.sku.clone(),
                    size: v.size.clone(),
                    colour: v.colour.clone(),
                    stock: v.stock,
                    position: position as i32,
                })
                .collect(),
            categories: imported.categories.iter().rev().map(|&c| (c, 5)).collect(),
        }
    }

    #[test]
    fn a_product_given_as_stored_is_unchanged() {
        let mut imported = product("A-1", "pirata", &[10, 11]);
        imported.variants.push(ImportedVariant {
            sku: Sku::parse("A-1-M").unwrap(),
            size: Some("M".into()),
            colour: None,
            stock: 4,
        });
        let stored = stored_as(&imported);
        assert!(
            unchanged(&imported, &stored),
            "placements in another order, ids, popularity and dates do not count"
        );
        let changes: [fn(&mut ImportedProduct); 5] = [
            |p| p.enabled = false,
            |p| p.names[comptoir_domain::Locale::Fr].push('!'),
            |p| p.categories.pop().map(drop).unwrap_or_default(),
            |p| p.variants[0].stock = 5,
            |p| p.images.push("media/x.jpg".into()),
        ];
        for change in changes {
            let mut changed = imported.clone();
            change(&mut changed);
            assert!(!unchanged(&changed, &stored), "{changed:?}");
        }
    }

    #[test]
    fn statements_stay_under_the_bind_limits() {
        assert!(rows_per_statement(8) * 8 <= 32_766);
        assert!(rows_per_statement(1) >= CHUNK);
    }
}
