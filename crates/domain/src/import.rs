//! What import files bring: products matched to the catalogue by SKU, the old URLs
//! of categories, and customers from the old shop. Parsed by `comptoir-import`,
//! written by the store.

use crate::customer::{AddressDetails, CustomerDetails, NewCustomer};
use crate::order::ShippingAddress;
use crate::{
    AgeGroup, CategoryId, Gender, PageMeta, PerLocale, ProductKind, SaleUnits, SiteCode, SitePrice,
    Sku, StockPolicy, VariantChoice,
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

/// What an import file brings: its products, the categories it names that the
/// catalogue lacks, and the old URLs of the categories it names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductFile {
    pub products: Vec<ImportedProduct>,
    /// Created by the import, parents before their children.
    pub new_categories: Vec<NewCategory>,
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
    pub category: CategoryRef,
}

/// A category an import file places products in: one the catalogue has, or one
/// the file brings (its index in [`ProductFile::new_categories`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CategoryRef {
    Existing(CategoryId),
    New(usize),
}

impl CategoryRef {
    /// The category's id, once the file's new categories are created with the ids
    /// `created` (in the file's order).
    pub fn id(self, created: &[CategoryId]) -> CategoryId {
        match self {
            CategoryRef::Existing(id) => id,
            CategoryRef::New(index) => created[index],
        }
    }
}

/// A category a product is placed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    pub category: CategoryRef,
    /// Its merchandising position there (smaller first), where the file gives one
    /// (a Magento database does, its exports do not): `None` keeps the position a
    /// placement has, and puts a new one first.
    pub position: Option<i32>,
}

impl Placement {
    /// A placement without a position of its own.
    pub fn in_category(category: CategoryRef) -> Placement {
        Placement {
            category,
            position: None,
        }
    }
}

/// A category the file names and the catalogue lacks (Magento's `_category`
/// paths): created with its names in each language (a file gives the old shop's
/// admin name in every language, for staff to translate; a Magento database its
/// store views' names) and URL keys (numbered if a sibling has one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCategory {
    /// `None` for a top-level category; a new parent comes earlier in the list.
    pub parent: Option<CategoryRef>,
    pub names: PerLocale<String>,
    pub url_keys: PerLocale<String>,
    pub meta: PerLocale<PageMeta>,
    /// Its path from the root, as the file names it (`Disfraces/Adultos`).
    pub path: String,
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
    /// `None` when the file's format does not carry them: the product keeps its own.
    pub facts: Option<crate::product_facts::ProductFacts>,
    /// `None` when the file's format does not carry them: the product keeps its own.
    pub links: Option<Vec<crate::ProductLink>>,
    /// `None` when the file's format does not carry them: the product keeps its own.
    pub price_tiers: Option<Vec<crate::price_tiers::PriceTier>>,
    /// The offer per site (by `SiteCode::index`); `None` where it is not sold.
    pub sites: [Option<SitePrice>; 4],
    pub categories: Vec<Placement>,
    /// Image paths under `/static/`, the main one first.
    pub images: Vec<String>,
    pub variants: Vec<ImportedVariant>,
    /// Options picked on top of the variant, their ids (0 here) the store's to
    /// give; `None` when the file's format does not carry them (Comptoir's own):
    /// the product keeps those it has.
    pub options: Option<Vec<crate::product_options::ProductOption>>,
    /// The product's URLs in the shop it comes from, per site (paths without their
    /// leading slash): answered with a 301 to its page.
    pub old_paths: Vec<(SiteCode, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedVariant {
    pub sku: Sku,
    pub size: Option<String>,
    pub colour: Option<String>,
    /// Choices beyond size and colour, in the product's attribute order.
    pub choices: Vec<VariantChoice>,
    /// What the variant adds to the product's price per site, in cents.
    pub surcharge_cents: [i64; 4],
    pub stock: i32,
    pub stock_policy: StockPolicy,
    pub sale_units: SaleUnits,
}

/// A customer brought from another shop (Magento), with their address book, their
/// old password hash and what else the old shop knew of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedCustomer {
    pub customer: NewCustomer,
    pub details: CustomerDetails,
    pub addresses: Vec<(ShippingAddress, AddressDetails)>,
}

/// An order of the shop Comptoir replaced, kept to be read: its customer sees it in
/// their account, staff find it in the back office; it never touches stock.
/// Amounts are in cents of `currency`, as the old shop charged them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacyOrder {
    /// The old shop's increment id (`100000021`).
    pub number: String,
    pub site: SiteCode,
    pub email: String,
    pub placed_at: chrono::DateTime<chrono::Utc>,
    /// The old shop's status, as it named it (`complete`, `canceled`).
    pub status: String,
    pub currency: String,
    pub subtotal_cents: i64,
    pub shipping_cents: i64,
    pub discount_cents: i64,
    pub tax_cents: i64,
    pub total_cents: i64,
    pub paid_cents: i64,
    pub payment_method: String,
    pub shipping_method: String,
    /// One line each part: name, street, postcode and city, country.
    pub billing_address: String,
    pub shipping_address: String,
    /// Each invoice: its number, day and amount (`100000015 · 2025-10-20 · 39.98`).
    pub invoices: Vec<String>,
    /// Each shipment: its number, day and tracking numbers.
    pub shipments: Vec<String>,
    pub lines: Vec<LegacyOrderLine>,
}

/// A line of an old order: what was bought, as the old shop named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacyOrderLine {
    pub sku: String,
    pub name: String,
    pub units: i32,
    pub unit_price_cents: i64,
    pub total_cents: i64,
}
