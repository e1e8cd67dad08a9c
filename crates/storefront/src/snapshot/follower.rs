//! Keeps a replica's snapshot current by following the catalogue change log.
//!
//! Every poll reads the changes after the snapshot's position, reloads just the
//! products they name and publishes the next snapshot. Only a `reset` (reseed), a
//! category change or a very large batch reloads everything. A failed poll keeps the
//! current snapshot and tries again at the next tick.

use std::sync::Arc;
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;
use chrono::Utc;
use comptoir_domain::ProductId;
use comptoir_domain::static_base::StaticBase;
use comptoir_store::{ModificationTimes, PendingChanges, ShopStore};

use super::{ProductDisplay, Snapshot, promotion_prices};
use crate::content::Contents;

/// The snapshot every request reads, swapped atomically by the follower.
pub type SharedSnapshot = Arc<ArcSwap<Snapshot>>;

/// Loads the whole catalogue into a new snapshot, its images under `static_base`.
pub async fn load(
    store: &dyn ShopStore,
    static_base: StaticBase,
) -> comptoir_store::Result<Snapshot> {
    let started = Instant::now();
    let loaded = store.load_catalogue().await?;
    let display = load_display(store, None).await?;
    let content = Contents::build(store.content().await?);
    let snapshot = Snapshot::build(loaded.catalogue, loaded.position, Utc::now())
        .with_display(display, static_base)
        .with_content(content)
        .with_promotions(store.promotion_rules().await?);
    let references = promotion_prices::load(store, &snapshot, Utc::now()).await?;
    let snapshot = snapshot.with_promotion_references(references);
    tracing::info!(
        products = snapshot.product_count(),
        position = snapshot.position().0,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "catalogue snapshot loaded"
    );
    Ok(snapshot)
}

/// What pages show of the products `ids` (all when `None`) beyond the products.
async fn load_display(
    store: &dyn ShopStore,
    ids: Option<&[ProductId]>,
) -> comptoir_store::Result<ProductDisplay> {
    Ok(ProductDisplay {
        reference_prices: store.reference_prices(ids).await?,
        renditions: store.renditions(ids).await?,
        modified: match ids {
            None => store.modification_times().await?,
            // The changes being applied tell.
            Some(_) => ModificationTimes::default(),
        },
    })
}

/// Applies every change logged since the shared snapshot's position.
pub async fn catch_up(
    store: &dyn ShopStore,
    shared: &SharedSnapshot,
) -> comptoir_store::Result<()> {
    let current = shared.load_full();
    let pending = PendingChanges::after(store, current.position()).await?;
    // How far behind the change log this replica was when it looked.
    metrics::gauge!("comptoir_snapshot_lag_changes")
        .set(pending.position.0.saturating_sub(current.position().0) as f64);
    let now = Utc::now();
    let next = if pending.reload_everything {
        load(store, current.static_base().clone()).await?
    } else if !pending.products.is_empty() {
        let ids: Vec<_> = pending.products.iter().copied().collect();
        let products = store.load_products(&ids).await?;
        // Only a change beyond stock can change a price or an image.
        let display = if pending.beyond_stock {
            ProductDisplay {
                modified: ModificationTimes {
                    products: pending.modified.into_iter().collect(),
                    catalogue_replaced: None,
                },
                ..load_display(store, Some(&ids)).await?
            }
        } else {
            ProductDisplay::default()
        };
        tracing::debug!(
            products = ids.len(),
            position = pending.position.0,
            "applying catalogue changes"
        );
        current.apply(
            &pending.products,
            products,
            display,
            pending.position,
            pending.beyond_stock,
        )
    } else if pending.position != current.position() {
        current.apply(
            &pending.products,
            Vec::new(),
            ProductDisplay::default(),
            pending.position,
            false,
        )
    } else if current.prices_are_stale(now) {
        current.repriced(now)
    } else {
        return Ok(());
    };
    let next = if pending.content && !pending.reload_everything {
        next.with_content(Contents::build(store.content().await?))
    } else {
        next
    };
    let next = if pending.reload_everything {
        next
    } else if pending.promotions {
        let next = next.with_promotions(store.promotion_rules().await?);
        let references = promotion_prices::load(store, &next, now).await?;
        next.with_promotion_references(references)
    } else if pending.beyond_stock {
        let ids: Vec<_> = pending.products.iter().copied().collect();
        let references = promotion_prices::refreshed(store, &next, &ids, now).await?;
        next.with_promotion_references(references)
    } else {
        next
    };
    shared.store(Arc::new(next));
    Ok(())
}

/// Follows the change log forever, polling every `interval`.
pub async fn follow(store: Arc<dyn ShopStore>, shared: SharedSnapshot, interval: Duration) {
    let wake = store.change_wakeups();
    comptoir_store::poll_forever(interval, wake.as_deref(), "catalogue snapshot", || {
        catch_up(store.as_ref(), &shared)
    })
    .await;
}
