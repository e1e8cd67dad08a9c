//! Comptoir's domain: the rules of the shop, free of I/O.
//!
//! Everything here is pure and unit tested: money in integer cents, VAT derived from
//! VAT-included shelf prices, the four country sites, and the catalogue's types.

pub mod cart;
pub mod catalogue;
pub mod checkout;
pub mod content;
pub mod customer;
pub mod destination;
pub mod email;
pub mod image;
pub mod import;
pub mod invoicing;
pub mod local_time;
pub mod money;
pub mod order;
pub mod phone;
pub mod price_history;
pub mod price_tiers;
pub mod product_facts;
pub mod product_options;
pub mod promotions;
pub mod rich_text;
pub mod site;
pub mod slug;
pub mod staff;
pub mod static_base;
pub mod tax_id;
pub mod totals;
pub mod vat;

pub use catalogue::{
    AgeGroup, AttributeLabels, AttributeOption, COLOUR, Catalogue, Category, CategoryId,
    ChoiceAttribute, ChoiceError, Gender, LinkKind, PageMeta, Product, ProductId, ProductKind,
    ProductLink, SIZE, Sale, SaleUnits, SitePrice, Sku, SkuError, StockPolicy, StockState,
    TaxClass, Variant, VariantChoice, Visibility,
};
pub use money::{Currency, Money};
pub use site::{Locale, PerLocale, SiteCode};
pub use vat::{VatRate, VatSplit};
