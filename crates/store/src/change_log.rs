//! The catalogue change log: one append-only table that every reader follows.
//!
//! Writers append in the same transaction as their change. Ids must become visible
//! in increasing order, or a reader polling `id > last` could pass over a row that
//! commits late (sequence values are handed out before commit). PostgreSQL writers
//! therefore take a transaction-level advisory lock before appending and keep it to
//! commit; SQLite has a single writer at a time. See docs/architecture.md.

use comptoir_domain::ProductId;

/// How far a reader has followed the change log: the id of the last change applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct ChangePosition(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// A product's data (names, attributes, images, placements...).
    Product,
    Price,
    Stock,
    /// The category tree or attribute options.
    Category,
    /// The whole catalogue was replaced: readers reload it.
    Reset,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Product => "product",
            ChangeKind::Price => "price",
            ChangeKind::Stock => "stock",
            ChangeKind::Category => "category",
            ChangeKind::Reset => "reset",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [
            ChangeKind::Product,
            ChangeKind::Price,
            ChangeKind::Stock,
            ChangeKind::Category,
            ChangeKind::Reset,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogChange {
    pub position: ChangePosition,
    pub kind: ChangeKind,
    /// The product concerned, for product, price and stock changes.
    pub product: Option<ProductId>,
}

/// Key of the PostgreSQL advisory lock that orders change-log appends.
pub(crate) const CHANGE_LOG_LOCK: i64 = 0x636f_6d70_746f_6972; // "comptoir"
