//! `search`: the search engine as its own service (HTTP JSON API), for running search
//! replicas apart from the storefront. Each replica opens or builds its own index and
//! follows the catalogue change log. Storefronts use it when `SEARCH_URL` is set.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use comptoir::config::{DrainArgs, LogArgs, StoreArgs};
use comptoir::{init_logging, parse_settings, progress_bar, run_main};
use comptoir_search::SearchEngine;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "search", version, about = "Comptoir's search service")]
struct SearchCli {
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    log: LogArgs,
    /// Address the service listens on.
    #[arg(long, env = "SEARCH_BIND", default_value = "127.0.0.1:8090")]
    bind: SocketAddr,
    /// Address of `/metrics` (Prometheus).
    #[arg(long, env = "METRICS_BIND", default_value = "127.0.0.1:9465")]
    metrics_bind: SocketAddr,
    /// Index folder of this replica [default: {data-dir}/search-index].
    #[arg(long, env = "SEARCH_INDEX_DIR")]
    index_dir: Option<PathBuf>,
    /// How often, in milliseconds, the replica reads the catalogue change log.
    #[arg(long, env = "CATALOGUE_POLL_MS", default_value_t = 500, value_parser = clap::value_parser!(u64).range(50..))]
    catalogue_poll_ms: u64,
    #[command(flatten)]
    drain: DrainArgs,
}

fn main() -> ExitCode {
    let cli: SearchCli = parse_settings();
    init_logging(&cli.log);
    run_main(run(cli))
}

async fn run(cli: SearchCli) -> anyhow::Result<()> {
    let store = comptoir_store::open(&cli.store.to_config()).await?;
    let index_dir = cli
        .index_dir
        .clone()
        .unwrap_or_else(|| cli.store.default_search_index_dir());
    let engine = Arc::new(
        SearchEngine::open(Some(&index_dir))
            .with_context(|| format!("cannot open the search index in {}", index_dir.display()))?,
    );
    let listener = tokio::net::TcpListener::bind(cli.bind)
        .await
        .with_context(|| format!("cannot listen on {}", cli.bind))?;
    // Serve at once (503 until the index is ready) while it is opened or built.
    let bar = progress_bar(0, format!("indexing into {}", index_dir.display()));
    let progress = Arc::new(move |done: u64, total: u64| {
        bar.set_length(total);
        bar.set_position(done);
        if done >= total {
            bar.finish();
        }
    });
    let interval = Duration::from_millis(cli.catalogue_poll_ms);
    tokio::spawn(comptoir_search::follower::follow_reporting(
        store.clone(),
        engine.clone(),
        interval,
        progress,
    ));
    comptoir_web::metrics::sample_database_pool(store.clone());
    comptoir_web::metrics::serve(cli.metrics_bind).await;
    println!("search service on http://{}/", cli.bind);
    let drain = cli.drain.drain();
    let app = comptoir_search_service::router(engine, drain.clone());
    comptoir_web::health::serve(listener, app, drain)
        .await
        .context("the server stopped")?;
    Ok(())
}
