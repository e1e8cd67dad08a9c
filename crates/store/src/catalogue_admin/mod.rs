//! The catalogue as staff administer it: products found among 65 000 and edited
//! with optimistic concurrency, their images and variants, the category tree.
//! Each change is written with its change-log entry (so every replica reloads what
//! changed) and its audit entry, in one transaction.

pub(crate) mod categories;
pub(crate) mod product_parts;
pub(crate) mod products;

pub use categories::{CategoryAdminStore, CategoryChoice, CategoryEdit, CategoryOutcome};
pub use product_parts::{ImageChange, NewVariant, ProductPartsStore, VariantOutcome};
pub use products::{
    BulkChange, BulkOutcome, EditOutcome, LOW_STOCK_UNITS, LowStock, ProductAdminStore,
    ProductEdit, ProductFilter, ProductListRow, ProductPage, StockFilter,
};
