//! `comptoir serve`: the storefront, with its workers and followers.

use std::sync::Arc;

use anyhow::Context;
use comptoir::config::ServeArgs;
use comptoir_domain::SiteCode;
use comptoir_store::Store;
use comptoir_storefront::StorefrontConfig;

use super::catalogue::seed;

pub(crate) async fn serve(
    store: Arc<dyn Store>,
    args: ServeArgs,
    config: StorefrontConfig,
    embedded: bool,
) -> anyhow::Result<()> {
    if store.catalogue_is_empty().await? {
        if embedded {
            println!("first start: the embedded database is empty");
            seed(store.as_ref(), args.demo_products, &config.media_dir).await?;
        } else {
            tracing::warn!(
                "the catalogue is empty: run `comptoir seed` to load the demo catalogue"
            );
        }
    }
    let listener = tokio::net::TcpListener::bind(args.bind)
        .await
        .with_context(|| format!("cannot listen on {}", args.bind))?;
    let app = comptoir_storefront::build(store, &config)
        .await
        .context("cannot start the storefront")?;
    comptoir_web::metrics::serve(args.metrics_bind).await;
    println!("Comptoir is open:");
    for site in SiteCode::ALL {
        println!("  {}  {}", site, config.sites.base(site));
    }
    comptoir_web::health::serve(listener, app, config.drain.clone())
        .await
        .context("the server stopped")?;
    Ok(())
}
