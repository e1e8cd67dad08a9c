//! `comptoir`: serve the storefront (the default), migrate the database, or seed the
//! demo catalogue. Configuration comes from the command line or the environment.

mod config;

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use clap::Parser;
use comptoir_domain::SiteCode;
use comptoir_store::Store;
use comptoir_storefront::StorefrontConfig;
use indicatif::{ProgressBar, ProgressStyle};

use config::{Cli, Command, ServeArgs};

/// Pages are rendered with many short-lived allocations; mimalloc serves them faster
/// than the system allocator under concurrency.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One line, the whole chain of causes, no backtrace.
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let command = cli.command.unwrap_or_default();
    // Settings are checked before anything is opened: a typo fails at once.
    let storefront_config = match &command {
        Command::Serve(args) => Some(args.storefront_config()?),
        _ => None,
    };
    let store_config = cli.store.to_config();
    let store = comptoir_store::open(&store_config).await?;
    store
        .migrate()
        .await
        .context("cannot migrate the database")?;
    match command {
        Command::Migrate => {
            println!("database schema is up to date ({})", store.backend());
            Ok(())
        }
        Command::Seed { products } => seed(store.as_ref(), products).await,
        Command::Serve(args) => {
            let config = storefront_config.expect("serve settings were checked above");
            serve(store, args, config, store_config.database_url.is_none()).await
        }
    }
}

async fn seed(store: &dyn Store, products: usize) -> anyhow::Result<()> {
    let started = Instant::now();
    let catalogue = comptoir_demo::generate(products);
    let bar = ProgressBar::new(catalogue.products.len() as u64).with_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} products ({elapsed})")
            .expect("the progress template is valid")
            .progress_chars("=> "),
    );
    bar.set_message(format!(
        "seeding the demo catalogue into {}",
        store.backend()
    ));
    store
        .replace_catalogue(&catalogue, &|stored| bar.set_position(stored))
        .await
        .context("seeding failed")?;
    bar.finish();
    println!(
        "seeded {} products and {} categories into {} in {:.1} s",
        catalogue.products.len(),
        catalogue.categories.len(),
        store.backend(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn serve(
    store: Arc<dyn Store>,
    args: ServeArgs,
    config: StorefrontConfig,
    embedded: bool,
) -> anyhow::Result<()> {
    if store.catalogue_is_empty().await? {
        if embedded {
            println!("first start: the embedded database is empty");
            seed(store.as_ref(), args.demo_products).await?;
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
        .context("cannot load the catalogue")?;
    println!("Comptoir is open:");
    for site in SiteCode::ALL {
        println!("  {}  {}", site, config.sites.base(site));
    }
    comptoir_storefront::serve(listener, app)
        .await
        .context("the server stopped")?;
    Ok(())
}
