//! The catalogue change log: one append-only table that every reader follows.
//!
//! Writers append in the same transaction as their change. Ids must become visible
//! in increasing order, or a reader polling `id > last` could pass over a row that
//! commits late (sequence values are handed out before commit). PostgreSQL writers
//! therefore hold a transaction-level advisory lock in shared mode from appending to
//! commit (they never wait for each other), and readers take it in exclusive mode for
//! the moment of a read, when no append is uncommitted. SQLite has a single writer at
//! a time. See docs/architecture.md.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use comptoir_domain::ProductId;

use crate::{CatalogueStore, Result};

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
    /// Content pages, blocks or the seller's identity.
    Content,
    /// Promotion rules.
    Promotion,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Product => "product",
            ChangeKind::Price => "price",
            ChangeKind::Stock => "stock",
            ChangeKind::Category => "category",
            ChangeKind::Reset => "reset",
            ChangeKind::Content => "content",
            ChangeKind::Promotion => "promotion",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [
            ChangeKind::Product,
            ChangeKind::Price,
            ChangeKind::Stock,
            ChangeKind::Category,
            ChangeKind::Reset,
            ChangeKind::Content,
            ChangeKind::Promotion,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueChange {
    pub position: ChangePosition,
    pub kind: ChangeKind,
    /// The product concerned, for product, price and stock changes.
    pub product: Option<ProductId>,
    pub changed_at: DateTime<Utc>,
}

/// Key of the PostgreSQL advisory lock between change-log writers (shared) and
/// readers (exclusive).
pub(crate) const CHANGE_LOG_LOCK: i64 = 0x636f_6d70_746f_6972; // "comptoir"

/// When products last changed, from the change log: what sitemaps give as `lastmod`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModificationTimes {
    /// The last change of each product in more than its stock.
    pub products: HashMap<ProductId, DateTime<Utc>>,
    /// When the whole catalogue was last replaced (a seed), which changes every
    /// product.
    pub catalogue_replaced: Option<DateTime<Utc>>,
}

impl ModificationTimes {
    /// When `product` last changed, if the log tells.
    pub fn of(&self, product: ProductId) -> Option<DateTime<Utc>> {
        self.products
            .get(&product)
            .copied()
            .max(self.catalogue_replaced)
    }
}

/// What a reader must apply to catch up from a position: the changes after it, read
/// to the end of the log and summed up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PendingChanges {
    /// The position of the last change read: the reader's new position once applied.
    pub position: ChangePosition,
    /// Products to reload.
    pub products: BTreeSet<ProductId>,
    /// When each product among them last changed in more than its stock.
    pub modified: BTreeMap<ProductId, DateTime<Utc>>,
    /// Whether any product changed in more than its stock (prices, names, placements):
    /// what listings and search documents are made of.
    pub beyond_stock: bool,
    /// The whole catalogue must be reloaded (a reseed, a category change, or more
    /// changed products than a reload is worth).
    pub reload_everything: bool,
    /// Content pages, blocks or the seller's identity changed: readers that show
    /// them reload them.
    pub content: bool,
    /// Promotion rules changed: readers that apply them reload them.
    pub promotions: bool,
}

/// Changes read per query.
const BATCH: u32 = 5_000;
/// Past this many changed products, reloading everything is cheaper.
const FULL_RELOAD_THRESHOLD: usize = 20_000;

impl PendingChanges {
    /// Reads every change after `position`.
    pub async fn after(
        store: &dyn CatalogueStore,
        position: ChangePosition,
    ) -> Result<PendingChanges> {
        let mut pending = PendingChanges {
            position,
            ..PendingChanges::default()
        };
        loop {
            let batch = store.changes_after(pending.position, BATCH).await?;
            for change in &batch {
                pending.position = change.position;
                match (change.kind, change.product) {
                    (ChangeKind::Reset | ChangeKind::Category, _) => {
                        pending.reload_everything = true;
                    }
                    (ChangeKind::Content, _) => pending.content = true,
                    (ChangeKind::Promotion, _) => pending.promotions = true,
                    (ChangeKind::Stock, Some(product)) => {
                        pending.products.insert(product);
                    }
                    (ChangeKind::Product | ChangeKind::Price, Some(product)) => {
                        pending.products.insert(product);
                        pending.modified.insert(product, change.changed_at);
                        pending.beyond_stock = true;
                    }
                    (_, None) => {}
                }
            }
            if batch.len() < BATCH as usize {
                break;
            }
        }
        if pending.products.len() > FULL_RELOAD_THRESHOLD {
            pending.reload_everything = true;
        }
        Ok(pending)
    }
}

/// Longest wait between two polls while the log cannot be read.
const MAX_BACKOFF: std::time::Duration = std::time::Duration::from_secs(30);

/// The shortest time between two polls when wake-ups come fast.
const MIN_POLL_GAP: std::time::Duration = std::time::Duration::from_millis(50);

/// Runs `poll` every `interval`, forever, and sooner when `wake` is notified (at
/// most every 50 ms). While it fails, waits longer between tries (doubling, up to
/// 30 s) and logs the first failure and the recovery rather than every try; `reader`
/// names the follower in the log.
pub async fn poll_forever<F, Fut, E>(
    interval: std::time::Duration,
    wake: Option<&tokio::sync::Notify>,
    reader: &'static str,
    mut poll: F,
) where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = std::result::Result<(), E>>,
    E: std::fmt::Display,
{
    let mut failures: u32 = 0;
    loop {
        let wait = match failures {
            0 => interval,
            n => interval.saturating_mul(1 << n.min(8)).min(MAX_BACKOFF),
        };
        let polled = tokio::time::Instant::now();
        match wake {
            Some(wake) if failures == 0 => {
                tokio::select! {
                    () = tokio::time::sleep(wait) => {}
                    () = async {
                        wake.notified().await;
                        tokio::time::sleep_until(polled + MIN_POLL_GAP).await;
                    } => {}
                }
            }
            _ => tokio::time::sleep(wait).await,
        }
        match poll().await {
            Ok(()) if failures > 0 => {
                tracing::info!(reader, failures, "following the change log again");
                failures = 0;
            }
            Ok(()) => {}
            Err(error) => {
                if failures == 0 {
                    tracing::warn!(reader, %error, "cannot follow the change log; serving what is loaded, retrying");
                } else {
                    tracing::debug!(reader, %error, failures, "still cannot follow the change log");
                }
                failures = failures.saturating_add(1);
            }
        }
    }
}
