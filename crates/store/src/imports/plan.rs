//! How an import file meets the catalogue: which products it leaves as they are,
//! whose URL keys clash, which placements go, which old URLs to keep. Pure
//! functions, tested here; `super` writes what they decide.

use std::collections::{HashMap, HashSet};

use comptoir_domain::import::{ImportClash, ImportedProduct};
use comptoir_domain::product_options::ProductOption;
use comptoir_domain::{CategoryId, Product};

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

/// Each product's items (images, links, tiers) as rows: the product's id, the
/// item's position among its product's, the item.
pub(crate) fn positioned<'a, T>(
    products: impl IntoIterator<Item = (i64, &'a [T])>,
) -> Vec<(i64, i32, &'a T)> {
    products
        .into_iter()
        .flat_map(|(id, items)| {
            items
                .iter()
                .enumerate()
                .map(move |(position, item)| (id, position as i32, item))
        })
        .collect()
}

/// A product's facts as the `products` table's columns hold them (all NULL for
/// none).
pub(crate) struct FactColumns {
    pub brand: Option<String>,
    pub made_in: Option<String>,
    pub weight_grams: Option<i32>,
    pub gtin: Option<String>,
    pub new_from: Option<chrono::NaiveDate>,
    pub new_until: Option<chrono::NaiveDate>,
}

impl FactColumns {
    pub fn of(facts: Option<&comptoir_domain::product_facts::ProductFacts>) -> FactColumns {
        FactColumns {
            brand: facts.and_then(|f| f.brand.clone()),
            made_in: facts
                .and_then(|f| f.made_in)
                .map(|country| country.as_str().to_owned()),
            // Readers keep weights to a tonne, far below i32's range.
            weight_grams: facts
                .and_then(|f| f.weight_grams)
                .and_then(|grams| i32::try_from(grams).ok()),
            gtin: facts
                .and_then(|f| f.gtin.as_ref())
                .map(|gtin| gtin.as_str().to_owned()),
            new_from: facts.and_then(|f| f.new_from),
            new_until: facts.and_then(|f| f.new_until),
        }
    }
}

/// Whether writing `imported` over `stored` would change nothing: same data, same
/// texts, offers, categories, images, and the same variants in the same order with
/// the same stock. `created`: the ids of the file's new categories.
pub(crate) fn unchanged(
    imported: &ImportedProduct,
    stored: &Product,
    created: &[CategoryId],
) -> bool {
    let new_categories: HashSet<CategoryId> = imported
        .categories
        .iter()
        .map(|placed| placed.category.id(created))
        .collect();
    let old_categories: HashSet<CategoryId> = stored.categories.iter().map(|(c, _)| *c).collect();
    // A position the file gives must be the one stored.
    let same_positions = imported.categories.iter().all(|placed| {
        placed.position.is_none_or(|position| {
            stored
                .categories
                .contains(&(placed.category.id(created), position))
        })
    });
    let variants = imported.variants.len() == stored.variants.len()
        && imported
            .variants
            .iter()
            .zip(&stored.variants)
            .all(|(new, old)| {
                new.sku == old.sku
                    && new.size == old.size
                    && new.colour == old.colour
                    && new.choices == old.choices
                    && new.surcharge_cents == old.surcharge_cents
                    && new.stock == old.stock
                    && new.stock_policy == old.stock_policy
                    && new.sale_units == old.sale_units
            });
    imported.sku == stored.sku
        && imported
            .options
            .as_ref()
            .is_none_or(|options| same_options(options, &stored.options))
        && imported
            .facts
            .as_ref()
            .is_none_or(|facts| *facts == stored.facts)
        && imported
            .links
            .as_ref()
            .is_none_or(|links| *links == stored.links)
        && imported
            .price_tiers
            .as_ref()
            .is_none_or(|tiers| *tiers == stored.price_tiers)
        && imported.kind == stored.kind
        && imported.enabled == stored.enabled
        && imported.theme == stored.theme
        && imported.gender == stored.gender
        && imported.age_group == stored.age_group
        && imported.names == stored.names
        && imported.descriptions == stored.descriptions
        && imported.url_keys == stored.url_keys
        && imported.meta == stored.meta
        && imported.sites == stored.sites
        && imported.images == stored.images
        && new_categories == old_categories
        && same_positions
        && variants
}

/// Whether two lists of options are the same but for their ids.
fn same_options(imported: &[ProductOption], stored: &[ProductOption]) -> bool {
    imported.len() == stored.len()
        && imported.iter().zip(stored).all(|(new, old)| {
            new.titles == old.titles
                && new.required == old.required
                && new.values.len() == old.values.len()
                && new.values.iter().zip(&old.values).all(|(new, old)| {
                    new.titles == old.titles && new.surcharge_cents == old.surcharge_cents
                })
        })
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
) -> Option<ImportClash> {
    let mut wanted: HashMap<(&str, &str), (i64, &str)> = HashMap::new();
    for (product, &id) in products.iter().zip(ids) {
        for (locale, key) in product.url_keys.iter() {
            let sku = product.sku.as_str();
            if let Some((_, other)) = wanted.insert((locale.as_str(), key.as_str()), (id, sku)) {
                return Some(ImportClash::UrlKeyTwice {
                    sku: sku.to_owned(),
                    key: key.clone(),
                    locale: locale.as_str().to_owned(),
                    other: other.to_owned(),
                });
            }
        }
    }
    owners.iter().find_map(|(owner, locale, key)| {
        let (id, sku) = wanted.get(&(locale.as_str(), key.as_str()))?;
        (id != owner).then(|| ImportClash::UrlKeyTaken {
            sku: (*sku).to_owned(),
            key: key.clone(),
            locale: locale.clone(),
        })
    })
}

/// The placements to remove: those stored (`placed`, as product and category id)
/// that the file no longer gives. Kept placements keep their merchandising position.
/// `created`: the ids of the file's new categories.
pub(crate) fn placements_to_remove(
    products: &[&ImportedProduct],
    ids: &[i64],
    placed: &[(i64, i64)],
    created: &[CategoryId],
) -> Vec<(i64, i64)> {
    let wanted: HashSet<(i64, i64)> = products
        .iter()
        .zip(ids)
        .flat_map(|(product, &id)| {
            product
                .categories
                .iter()
                .map(move |placed| (id, placed.category.id(created).0))
        })
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

/// The position after the last of the children of `$1` (top-level when null).
pub(crate) const NEXT_CATEGORY_POSITION_SQL: &str = "SELECT CAST(COALESCE(MAX(position) + 1, 0) AS INTEGER) \
     FROM categories WHERE parent_id = $1 OR (parent_id IS NULL AND $1 IS NULL)";

pub(crate) const UPSERT_CATEGORY_REDIRECT_SQL: &str = "INSERT INTO category_redirects \
     (site, path, category_id) VALUES ($1, $2, $3) \
     ON CONFLICT (site, path) DO UPDATE SET category_id = excluded.category_id";

#[cfg(test)]
mod tests {
    use comptoir_domain::import::{CategoryRef, ImportedVariant, Placement};
    use comptoir_domain::{PerLocale, ProductId, ProductKind, SiteCode, Sku};

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
            meta: PerLocale::default(),
            facts: None,
            links: None,
            price_tiers: None,
            sites: [None, None, None, None],
            categories: categories
                .iter()
                .map(|&id| Placement::in_category(CategoryRef::Existing(CategoryId(id))))
                .collect(),
            images: Vec::new(),
            variants: Vec::new(),
            options: None,
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
            url_key_clash(&products, &[1, 2], &[owned(7, "bruja-fr")])
                .unwrap()
                .to_string(),
            "B-1: the URL key 'bruja-fr' (fr) belongs to another product"
        );
        let other_pirate = product("C-1", "pirata", &[]);
        let twice = [&pirate, &other_pirate];
        assert!(
            url_key_clash(&twice, &[1, 3], &[])
                .unwrap()
                .to_string()
                .ends_with("is also A-1's")
        );
    }

    #[test]
    fn only_placements_the_file_no_longer_gives_are_removed() {
        let (placed_twice, placed_nowhere) =
            (product("A-1", "a", &[10, 11]), product("B-1", "b", &[]));
        let products = [&placed_twice, &placed_nowhere];
        let placed = [(1, 10), (1, 12), (2, 10), (2, 20)];
        let mut placed_in_a_new_one = placed_nowhere.clone();
        placed_in_a_new_one
            .categories
            .push(Placement::in_category(CategoryRef::New(0)));
        let products_with_new = [&placed_twice, &placed_in_a_new_one];
        assert_eq!(
            placements_to_remove(&products, &[1, 2], &placed, &[]),
            [(1, 12), (2, 10), (2, 20)]
        );
        assert_eq!(
            placements_to_remove(&products_with_new, &[1, 2], &placed, &[CategoryId(20)]),
            [(1, 12), (2, 10)],
            "a new category is known by the id it was created with"
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
            meta: imported.meta.clone(),
            facts: imported.facts.clone().unwrap_or_default(),
            links: imported.links.clone().unwrap_or_default(),
            price_tiers: imported.price_tiers.clone().unwrap_or_default(),
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
                    choices: v.choices.clone(),
                    surcharge_cents: v.surcharge_cents,
                    stock: v.stock,
                    stock_policy: v.stock_policy,
                    sale_units: v.sale_units,
                    position: position as i32,
                })
                .collect(),
            options: imported.options.clone().unwrap_or_default(),
            categories: imported
                .categories
                .iter()
                .rev()
                .map(|placed| (placed.category.id(&[]), 5))
                .collect(),
        }
    }

    #[test]
    fn a_product_given_as_stored_is_unchanged() {
        let mut imported = product("A-1", "pirata", &[10, 11]);
        imported.variants.push(ImportedVariant {
            sku: Sku::parse("A-1-M").unwrap(),
            size: Some("M".into()),
            colour: None,
            choices: Vec::new(),
            surcharge_cents: [0; 4],
            stock: 4,
            stock_policy: comptoir_domain::StockPolicy::Counted,
            sale_units: comptoir_domain::SaleUnits::default(),
        });
        let stored = stored_as(&imported);
        assert!(
            unchanged(&imported, &stored, &[]),
            "placements in another order, ids, popularity and dates do not count"
        );
        let changes: [fn(&mut ImportedProduct); 7] = [
            |p| p.variants[0].surcharge_cents[1] = 500,
            |p| p.enabled = false,
            |p| p.names[comptoir_domain::Locale::Fr].push('!'),
            |p| p.categories.pop().map(drop).unwrap_or_default(),
            |p| p.variants[0].stock = 5,
            |p| p.variants[0].stock_policy = comptoir_domain::StockPolicy::NotCounted,
            |p| p.images.push("media/x.jpg".into()),
        ];
        for change in changes {
            let mut changed = imported.clone();
            change(&mut changed);
            assert!(!unchanged(&changed, &stored, &[]), "{changed:?}");
        }
    }

    #[test]
    fn statements_stay_under_the_bind_limits() {
        assert!(rows_per_statement(8) * 8 <= 32_766);
        assert!(rows_per_statement(1) >= CHUNK);
    }
}
