//! The whole old shop read at once: its store views, category tree, products with
//! every old URL, as the records Comptoir's import writes, and the report of what
//! was left out or changed.

use std::collections::{HashMap, HashSet};

use comptoir_domain::import::{CategoryRef, LegacyOrder, OldCategoryPath, ProductFile};
use comptoir_domain::{CategoryId, ProductKind, SiteCode, Sku};
use comptoir_import::magento_attributes::AttributeMap;
use comptoir_import::magento_customers::CustomerFile;
use comptoir_import::magento_products::{self, MagentoSettings, PriceBasis, StoreSites};

use crate::categories::{Category, CategoryTree};
use crate::cms::{self, CmsContent};
use crate::report::Report;
use crate::salesrules::MigratedRule;
use crate::stores::Stores;
use crate::url_rewrites::{self, Shown};
use crate::{MagentoDb, MagentoError, customers, newsletter, orders, products, salesrules};

/// How to read the shop: what its database does not say.
#[derive(Debug, Clone, Default)]
pub struct ShopSettings {
    /// Which site each store view feeds (`--store-sites`); `None`: the default
    /// map, whichever of its store codes the shop has.
    pub stores: Option<StoreSites>,
    /// Which attributes hold a product's gender, age group, theme, brand and GTIN.
    pub attributes: AttributeMap,
}

/// Comptoir's categories, which the shop's are matched to.
#[derive(Debug, Default)]
pub struct KnownCategories {
    /// By their path of Spanish names (`Disfraces/Mujer`).
    pub by_path: HashMap<String, CategoryId>,
    /// By the Magento id an earlier migration gave them, so that a category
    /// renamed in Magento since stays the one it was.
    pub by_magento_id: HashMap<u64, CategoryId>,
}

/// What the shop brings.
pub struct MagentoShop {
    pub products: ProductFile,
    /// The shop's categories Comptoir already has, with the texts Magento gives
    /// them now.
    pub known_categories: Vec<(CategoryId, Category)>,
    pub customers: CustomerFile,
    pub subscribers: Vec<comptoir_store::NewsletterSubscriber>,
    pub content: CmsContent,
    pub orders: Vec<LegacyOrder>,
    /// Cart price rules, their categories still Magento's.
    pub promotions: Vec<MigratedRule>,
    pub stores: Stores,
    pub report: Report,
}

/// Reads the shop, matching its categories to `known`; `stage` hears what is
/// being read.
pub async fn read(
    db: &mut MagentoDb,
    known: &KnownCategories,
    settings: &ShopSettings,
    stage: &(dyn Fn(&str) + Sync),
) -> Result<MagentoShop, MagentoError> {
    let mut report = Report::default();
    stage("store views");
    let stores = Stores::read(db, settings.stores.as_ref()).await?;
    let prices = price_basis(db).await?;
    stage("the category tree");
    let tree = CategoryTree::read(db, &stores, &mut report).await?;
    stage("products");
    let sheet = products::read(db, &stores, &tree, &settings.attributes, &mut report).await?;
    stage("products' rows");
    let export_settings = MagentoSettings {
        stores: stores.sites.clone(),
        prices,
        attributes: settings.attributes.clone(),
    };
    let mut existing = known.by_path.clone();
    for category in &tree.categories {
        if let Some(id) = known.by_magento_id.get(&category.id) {
            existing.insert(category.path.clone(), *id);
        }
    }
    let paths: Vec<String> = tree.categories.iter().map(|c| c.path.clone()).collect();
    let (read, places) = magento_products::read_with_tree(
        sheet.csv.as_slice(),
        &existing,
        &export_settings,
        &paths,
    )?;
    for rejected in &read.rejected {
        report.problem(&sheet.entity_at(rejected.line), rejected.message.clone());
    }
    for note in &read.notes {
        report.note(&sheet.entity_at(note.line), note.message.clone());
    }
    let mut file = read.records;
    let products = report.counts("products");
    products.skipped = products.read.saturating_sub(file.products.len());
    let variants: usize = file
        .products
        .iter()
        .filter(|product| product.kind == ProductKind::Configurable)
        .map(|product| product.variants.len())
        .sum();
    report.note(
        "catalogue",
        format!(
            "{variants} of the {} children of configurable products migrated as their variants",
            sheet.children
        ),
    );
    // New categories take their store views' names, keys and meta texts.
    for new in &mut file.new_categories {
        if let Some(category) = tree.categories.iter().find(|c| c.path == new.path) {
            new.names = category.names.clone();
            new.url_keys = category.url_keys.clone();
            new.meta = category.meta.clone();
        }
    }
    let categories: HashMap<u64, CategoryRef> = tree
        .categories
        .iter()
        .zip(places)
        .filter_map(|(category, place)| Some((category.id, place?)))
        .collect();
    let known_categories = tree
        .categories
        .iter()
        .filter_map(|category| match categories.get(&category.id) {
            Some(CategoryRef::Existing(id)) => Some((*id, category.clone())),
            _ => None,
        })
        .collect();
    stage("URL rewrites");
    let old_urls = url_rewrites::read(db, &stores, &mut report).await?;
    let migrated = migrated_products(&file, &sheet);
    attach_old_urls(&mut file, &old_urls, &migrated, &categories, &mut report);
    attach_positions(&mut file, &sheet, &migrated, &categories);
    stage("customers");
    let customers = customers::read(db, &stores, &mut report).await?;
    stage("newsletter subscribers");
    let subscribers = newsletter::read(db, &stores, chrono::Utc::now(), &mut report).await?;
    stage("CMS pages");
    let content = cms::read(db, &stores, &mut report).await?;
    stage("orders");
    let orders = orders::read(db, &stores, &mut report).await?;
    stage("cart price rules");
    let promotions = salesrules::naming_migrated_categories(
        salesrules::read(db, &stores, &mut report).await?,
        |category| categories.contains_key(&category),
        &mut report,
    );
    Ok(MagentoShop {
        products: file,
        known_categories,
        customers,
        subscribers,
        content,
        orders,
        promotions,
        stores,
        report,
    })
}

/// Magento's `tax/calculation/price_includes_tax` (0, its default: net prices).
async fn price_basis(db: &mut MagentoDb) -> Result<PriceBasis, MagentoError> {
    let table = db.tables().name("core_config_data");
    let rows: Vec<(Option<String>,)> = db
        .rows(
            "core_config_data",
            &format!(
                "SELECT CAST(value AS CHAR) FROM {table} WHERE scope = 'default' \
                 AND path = 'tax/calculation/price_includes_tax'"
            ),
        )
        .await?;
    let includes_tax = rows
        .into_iter()
        .next()
        .and_then(|(value,)| value)
        .is_some_and(|value| value.trim() == "1");
    Ok(PriceBasis::from_includes_tax(includes_tax))
}

/// What a Magento product became: the product at `at` of the file, itself or
/// (a configurable's child) one of its variants.
#[derive(Debug, Clone, Copy)]
struct Migrated {
    at: usize,
    itself: bool,
}

/// Each migrated Magento product by its id, found by its SKU among the file's
/// products and their variants.
fn migrated_products(file: &ProductFile, sheet: &products::ProductSheet) -> HashMap<u64, Migrated> {
    let mut by_sku: HashMap<&str, Migrated> = HashMap::new();
    for (at, product) in file.products.iter().enumerate() {
        for variant in &product.variants {
            by_sku
                .entry(variant.sku.as_str())
                .or_insert(Migrated { at, itself: false });
        }
        by_sku.insert(product.sku.as_str(), Migrated { at, itself: true });
    }
    sheet
        .skus
        .iter()
        .filter_map(|(id, sku)| {
            let sku = Sku::parse(sku).ok()?;
            Some((*id, *by_sku.get(sku.as_str())?))
        })
        .collect()
}

/// Gives each product's placements Magento's positions
/// (`catalog_category_product.position`).
fn attach_positions(
    file: &mut ProductFile,
    sheet: &products::ProductSheet,
    migrated: &HashMap<u64, Migrated>,
    categories: &HashMap<u64, CategoryRef>,
) {
    for (id, placements) in &sheet.positions {
        // A child's placements are not its configurable's.
        let Some(Migrated { at, itself: true }) = migrated.get(id) else {
            continue;
        };
        for (category, position) in placements {
            let (Some(category), Ok(position)) =
                (categories.get(category), i32::try_from(*position))
            else {
                continue;
            };
            for placed in &mut file.products[*at].categories {
                if placed.category == *category {
                    placed.position = Some(position);
                }
            }
        }
    }
}

/// Gives products and categories the old URLs that showed them: a child's URLs
/// lead to its configurable; every product and category also keeps Magento's
/// system paths (`catalog/product/view/id/10`) on every site. An old URL of a
/// product or category that is not migrated is reported.
fn attach_old_urls(
    file: &mut ProductFile,
    old_urls: &[url_rewrites::OldUrl],
    migrated: &HashMap<u64, Migrated>,
    categories: &HashMap<u64, CategoryRef>,
    report: &mut Report,
) {
    let mut paths: Vec<(usize, SiteCode, String)> = Vec::new();
    for (id, Migrated { at, .. }) in migrated {
        for site in SiteCode::ALL {
            paths.push((*at, site, format!("catalog/product/view/id/{id}")));
        }
    }
    let mut category_paths: Vec<OldCategoryPath> = Vec::new();
    for (id, category) in categories {
        for site in SiteCode::ALL {
            category_paths.push(OldCategoryPath {
                site,
                path: format!("{}{id}", url_rewrites::CATEGORY_SYSTEM_PATH),
                category: *category,
            });
        }
    }
    for old in old_urls {
        match old.shown {
            Shown::Product(id) => match migrated.get(&id) {
                Some(Migrated { at, .. }) => paths.push((*at, old.site, old.path.clone())),
                None => report.problem(
                    &format!("URL {} ({})", old.path, old.site),
                    format!("shows product {id}, which is not migrated: left out"),
                ),
            },
            Shown::Category(id) => match categories.get(&id) {
                Some(category) => category_paths.push(OldCategoryPath {
                    site: old.site,
                    path: old.path.clone(),
                    category: *category,
                }),
                None => report.problem(
                    &format!("URL {} ({})", old.path, old.site),
                    format!("shows category {id}, which is not migrated: left out"),
                ),
            },
        }
    }
    for (at, site, path) in paths {
        let product = &mut file.products[at];
        if !product.old_paths.contains(&(site, path.clone())) {
            product.old_paths.push((site, path));
        }
    }
    let mut known: HashSet<(SiteCode, String)> = file
        .old_category_paths
        .iter()
        .map(|old| (old.site, old.path.clone()))
        .collect();
    for old in category_paths {
        if known.insert((old.site, old.path.clone())) {
            file.old_category_paths.push(old);
        }
    }
}
