//! Products brought in by an import file, matched to the catalogue by SKU: a known
//! SKU updates its product, an unknown one creates it. One transaction for the
//! whole file: it lands entirely or not at all.

use comptoir_domain::{
    AgeGroup, CategoryId, Gender, PerLocale, ProductId, ProductKind, SiteCode, SitePrice, Sku,
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
    },
    /// Something the file cannot do to this catalogue (a URL key or a variant SKU
    /// another product has): nothing was written.
    Refused(String),
}

pub(crate) const PRODUCT_ID_BY_SKU_SQL: &str = "SELECT id FROM products WHERE sku = $1";
pub(crate) const INSERT_PRODUCT_SQL: &str = "INSERT INTO products \
     (sku, kind, tax_class, enabled, theme, gender, age_group, created_at) \
     VALUES ($1, $2, 'standard', $3, $4, $5, $6, $7) RETURNING id";
pub(crate) const UPDATE_PRODUCT_SQL: &str = "UPDATE products SET kind = $2, enabled = $3, \
     theme = $4, gender = $5, age_group = $6, version = version + 1 WHERE id = $1";
pub(crate) const UPSERT_TRANSLATION_SQL: &str = "INSERT INTO product_translations \
     (product_id, locale, name, description, url_key) VALUES ($1, $2, $3, $4, $5) \
     ON CONFLICT (product_id, locale) DO UPDATE SET name = excluded.name, \
     description = excluded.description, url_key = excluded.url_key";
pub(crate) const DELETE_IMAGES_SQL: &str = "DELETE FROM product_images WHERE product_id = $1";
pub(crate) const INSERT_IMAGE_SQL: &str =
    "INSERT INTO product_images (product_id, position, path) VALUES ($1, $2, $3)";
pub(crate) const PLACE_SQL: &str = "INSERT INTO product_categories (product_id, category_id, position) \
     VALUES ($1, $2, 0) ON CONFLICT (product_id, category_id) DO NOTHING";
pub(crate) const UNPLACE_SQL: &str =
    "DELETE FROM product_categories WHERE product_id = $1 AND category_id = $2";
pub(crate) const VARIANT_BY_SKU_SQL: &str = "SELECT id, product_id FROM variants WHERE sku = $1";
pub(crate) const INSERT_VARIANT_SQL: &str = "INSERT INTO variants \
     (product_id, sku, size, colour, stock, position) VALUES ($1, $2, $3, $4, $5, $6)";
pub(crate) const UPDATE_VARIANT_SQL: &str =
    "UPDATE variants SET size = $2, colour = $3, stock = $4, position = $5 WHERE id = $1";
pub(crate) const UPSERT_REDIRECT_SQL: &str = "INSERT INTO url_redirects (site, path, product_id) \
     VALUES ($1, $2, $3) ON CONFLICT (site, path) DO UPDATE SET product_id = excluded.product_id";
pub(crate) const UPSERT_CATEGORY_REDIRECT_SQL: &str = "INSERT INTO category_redirects \
     (site, path, category_id) VALUES ($1, $2, $3) \
     ON CONFLICT (site, path) DO UPDATE SET category_id = excluded.category_id";
/// A product's old URL first, then a category's (a path both had is the product's).
pub(crate) const REDIRECT_SQL: &str = "SELECT product_id, NULL AS category_id FROM url_redirects \
     WHERE site = $1 AND path = $2 \
     UNION ALL SELECT NULL, category_id FROM category_redirects WHERE site = $1 AND path = $2";
