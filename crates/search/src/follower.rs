//! Keeps a search engine current from the catalogue change log, like the storefront's
//! snapshot: each replica (in-process or `search` service) follows the log itself.
//! Index work runs on blocking threads; commits are batched per poll.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use comptoir_store::{CatalogueStore, ChangePosition, PendingChanges};

use crate::{CatalogueContext, SearchEngine, SearchError};

#[derive(Debug, thiserror::Error)]
pub enum FollowError {
    #[error(transparent)]
    Store(#[from] comptoir_store::StoreError),
    #[error(transparent)]
    Search(#[from] SearchError),
    #[error("index task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// Makes the engine ready: an index already built is caught up from its position
/// (reading only the categories and options of the catalogue: in the storefront, the
/// snapshot is loading every product at the same moment); otherwise the whole
/// catalogue is indexed (reporting products done).
pub async fn prepare(
    store: &dyn CatalogueStore,
    engine: &Arc<SearchEngine>,
    progress: Arc<dyn Fn(u64, u64) + Send + Sync>,
) -> Result<(), FollowError> {
    let started = Instant::now();
    if let Some(position) = engine.position() {
        let structure = store.load_structure().await?;
        if position <= structure.position.0 {
            engine.set_context(CatalogueContext::of(&structure.catalogue));
            catch_up(store, engine).await?;
            tracing::info!(position, "search index opened and caught up");
            return Ok(());
        }
    }
    let loaded = store.load_catalogue().await?;
    let engine = engine.clone();
    tokio::task::spawn_blocking(move || {
        engine.rebuild(&loaded.catalogue, loaded.position.0, Utc::now(), &*progress)
    })
    .await??;
    tracing::info!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        "search index built"
    );
    Ok(())
}

/// Applies every change logged since the engine's position, in one commit per site.
pub async fn catch_up(
    store: &dyn CatalogueStore,
    engine: &Arc<SearchEngine>,
) -> Result<(), FollowError> {
    let position = ChangePosition(engine.position().unwrap_or(0));
    let pending = PendingChanges::after(store, position).await?;
    let now = Utc::now();
    if pending.reload_everything || engine.prices_are_stale(now) {
        let loaded = store.load_catalogue().await?;
        let engine = engine.clone();
        tokio::task::spawn_blocking(move || {
            engine.rebuild(&loaded.catalogue, loaded.position.0, now, &|_, _| {})
        })
        .await??;
    } else if pending.position != position {
        let ids: Vec<_> = pending.products.iter().copied().collect();
        let products = store.load_products(&ids).await?;
        let engine = engine.clone();
        tokio::task::spawn_blocking(move || {
            engine.apply(&pending.products, &products, pending.position.0, now)
        })
        .await??;
    }
    Ok(())
}

/// Prepares the engine, then follows the change log forever, polling every `interval`.
pub async fn follow(store: Arc<dyn CatalogueStore>, engine: Arc<SearchEngine>, interval: Duration) {
    follow_reporting(store, engine, interval, Arc::new(|_, _| {})).await;
}

/// [`follow`], reporting the products done while the index is first built.
pub async fn follow_reporting(
    store: Arc<dyn CatalogueStore>,
    engine: Arc<SearchEngine>,
    interval: Duration,
    progress: Arc<dyn Fn(u64, u64) + Send + Sync>,
) {
    loop {
        match prepare(store.as_ref(), &engine, progress.clone()).await {
            Ok(()) => break,
            Err(error) => {
                tracing::warn!(%error, "search index could not be prepared; retrying");
                tokio::time::sleep(interval.max(Duration::from_secs(1))).await;
            }
        }
    }
    let wake = store.change_wakeups();
    comptoir_store::poll_forever(interval, wake.as_deref(), "search index", || {
        catch_up(store.as_ref(), &engine)
    })
    .await;
}
