//! `comptoir seed` and `comptoir reindex`: the demo catalogue and the search index.

use std::time::Instant;

use anyhow::Context;
use comptoir::progress_bar;
use comptoir_store::Store;

/// Replaces the catalogue with the demo's `products`, writes the demo's photos into
/// `media_dir` with their renditions, and the sample legal pages where the shop has
/// no content yet.
pub(crate) async fn seed(
    store: &dyn Store,
    products: usize,
    media_dir: &std::path::Path,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let catalogue = comptoir_demo::generate(products);
    let bar = progress_bar(
        catalogue.products.len() as u64,
        format!("seeding the demo catalogue into {}", store.backend()),
    );
    store
        .replace_catalogue(&catalogue, &|stored| bar.set_position(stored))
        .await
        .context("seeding failed")?;
    bar.finish();
    let photos = comptoir_media::demo::install(store, media_dir)
        .await
        .context("cannot write the demo's photos")?;
    let content = comptoir_demo::content::sample();
    if store
        .install_content(&content, &comptoir_store::Actor::command_line())
        .await
        .context("cannot write the sample content pages")?
    {
        println!(
            "wrote {} sample content pages (legal texts to review in the back office)",
            content.pages.len()
        );
    }
    println!(
        "seeded {} products, {photos} photos and {} categories into {} in {:.1} s",
        catalogue.products.len(),
        catalogue.categories.len(),
        store.backend(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Rebuilds the search index in `index_dir` from the whole catalogue.
pub(crate) async fn reindex(store: &dyn Store, index_dir: &std::path::Path) -> anyhow::Result<()> {
    let started = Instant::now();
    let loaded = store.load_catalogue().await?;
    let engine = comptoir_search::SearchEngine::open(Some(index_dir))
        .with_context(|| format!("cannot open the search index in {}", index_dir.display()))?;
    let bar = progress_bar(
        loaded.catalogue.products.len() as u64,
        format!("indexing into {}", index_dir.display()),
    );
    let position = loaded.position.0;
    let products = loaded.catalogue.products.len();
    tokio::task::spawn_blocking(move || {
        engine.rebuild(
            &loaded.catalogue,
            position,
            chrono::Utc::now(),
            &|done, _| bar.set_position(done),
        )
    })
    .await??;
    println!(
        "indexed {products} products for 4 sites in {:.1} s (change-log position {position})",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
