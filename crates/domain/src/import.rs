//! What import files bring: products matched to the catalogue by SKU, the old URLs
//! of categories, and customers from the old shop. Parsed by `comptoir-import`,
//! written by the store.

use crate::customer::NewCustomer;
use crate::order::ShippingAddress;
use crate::{
    AgeGroup, CategoryId, Gender, PageMeta, PerLocale, ProductKind, SiteCode, SitePrice, Sku,
};

/// Why an import file cannot be written to this catalogue: one of its products would
/// take what another product has. Nothing of the file is written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportClash {
    #[error("{sku}: the URL key '{key}' ({locale}) is also {other}'s")]
    UrlKeyTwice {
        sku: String,
        key: String,
        locale: String,
        other: String,
    },
    #[error("{sku}: the URL key '{key}' ({locale}) belongs to another product")]
    UrlKeyTaken {
        sku: String,
        key: String,
        locale: String,
    },
    #[error("{sku}: the variant SKU {variant} is also {other}'s")]
    VariantTwice {
        sku: String,
        variant: String,
        other: String,
    },
    #[error("{sku}: the variant SKU {variant} belongs to another product")]
    VariantTaken { sku: String, variant: String },
}

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
    pub meta: PerLocale<PageMeta>,
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

/// A customer brought from another shop (Magento), with their address book and
/// their old password hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedCustomer {
    pub customer: NewCustomer,
    pub addresses: Vec<ShippingAddress>,
}
