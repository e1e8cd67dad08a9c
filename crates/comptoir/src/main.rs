//! `comptoir`: serve the storefront (the default), migrate the database, seed the demo
//! catalogue, rebuild the search index, or add back-office staff. Configuration comes
//! from the command line or the environment.

mod commands;

use std::process::ExitCode;

use anyhow::Context;
use comptoir::config::{Cli, Command, InvoicesCommand, PromotionsCommand, StaffCommand};
use comptoir::{init_logging, parse_settings, run_main};

use commands::catalogue::{reindex, seed};
use commands::import::{import_customers, import_products};
use commands::probe::probe;
use commands::serve::serve;
use commands::staff::add_staff;

/// Pages are rendered with many short-lived allocations; mimalloc serves them faster
/// than the system allocator under concurrency.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli: Cli = parse_settings();
    init_logging(&cli.log);
    run_main(run(cli))
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let command = cli.command.unwrap_or_default();
    match &command {
        Command::Probe { url } => return probe(url).await,
        Command::Load(args) => return commands::load::load(args).await,
        Command::Sizing(args) => return commands::load::sizing(args).await,
        _ => {}
    }
    // Settings are checked before anything is opened: a typo fails at once.
    let storefront_config = match &command {
        Command::Serve(args) => Some(args.storefront_config(&cli.store)?),
        _ => None,
    };
    // The old shop's database is opened first: a wrong address is told before
    // anything else is done.
    let magento = match &command {
        Command::ImportMagento(args) => Some(commands::magento::connect(args).await?),
        _ => None,
    };
    let store_config = cli.store.to_config();
    let store = comptoir_store::open(&store_config).await?;
    store
        .migrate()
        .await
        .context("cannot migrate the database")?;
    match command {
        Command::Probe { .. } | Command::Load(_) | Command::Sizing(_) => {
            unreachable!("answered before the store is opened")
        }
        Command::Migrate => {
            println!("database schema is up to date ({})", store.backend());
            Ok(())
        }
        Command::Seed {
            products,
            if_empty,
            media,
        } => {
            if if_empty && !store.catalogue_is_empty().await? {
                println!("the catalogue has products: left as it is");
                return Ok(());
            }
            seed(store.as_ref(), products, &media.media_dir(&cli.store)).await
        }
        Command::Reindex { index_dir } => {
            let index_dir = index_dir.unwrap_or_else(|| cli.store.default_search_index_dir());
            reindex(store.as_ref(), &index_dir).await
        }
        Command::Serve(args) => {
            let config = storefront_config.expect("serve settings were checked above");
            serve(store, *args, config, store_config.database_url.is_none()).await
        }
        Command::Staff(StaffCommand::Add { email, name, role }) => {
            add_staff(store.as_ref(), &email, &name, &role).await
        }
        Command::Invoices(InvoicesCommand::Records { out }) => {
            commands::invoices::records(store.as_ref(), out.as_deref()).await
        }
        Command::Promotions(PromotionsCommand::Import { file }) => {
            commands::promotions::import(store.as_ref(), &file).await
        }
        Command::Promotions(PromotionsCommand::Export { out }) => {
            commands::promotions::export(store.as_ref(), out.as_deref()).await
        }
        Command::Promotions(PromotionsCommand::Codes {
            rule,
            count,
            length,
            prefix,
            out,
        }) => {
            let batch = (count, length, prefix.as_str());
            commands::promotions::codes(store.as_ref(), rule, batch, &out).await
        }
        Command::ImportCustomers {
            file,
            strict,
            store_sites,
        } => import_customers(store.as_ref(), &file, &store_sites, strict).await,
        Command::ImportMagento(args) => {
            let db = magento.expect("the Magento database was opened above");
            let media_dir = args
                .comptoir_media_dir
                .clone()
                .unwrap_or_else(|| cli.store.default_media_dir());
            commands::magento::import_magento(store.as_ref(), db, &args, media_dir).await
        }
        Command::Import(args) => {
            import_products(
                store.as_ref(),
                &args.file,
                &args.magento.settings(),
                &args.media.media_dir(&cli.store),
                args.strict,
            )
            .await
        }
    }
}
