//! `comptoir`: serve the storefront (the default), migrate the database, seed the demo
//! catalogue, rebuild the search index, or add back-office staff. Configuration comes
//! from the command line or the environment.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use comptoir::config::{Cli, Command, ServeArgs, StaffCommand};
use comptoir::{init_logging, parse_settings, progress_bar, run_main};
use comptoir_domain::SiteCode;
use comptoir_store::{Actor, NewStaff, Store};
use comptoir_storefront::StorefrontConfig;

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
    // Settings are checked before anything is opened: a typo fails at once.
    let storefront_config = match &command {
        Command::Serve(args) => Some(args.storefront_config(&cli.store)?),
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
        Command::Seed { products, if_empty } => {
            if if_empty && !store.catalogue_is_empty().await? {
                println!("the catalogue has products: left as it is");
                return Ok(());
            }
            seed(store.as_ref(), products).await
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
        Command::ImportCustomers { file } => import_customers(store.as_ref(), &file).await,
        Command::Import { file, store_sites } => {
            let sites = comptoir_import::magento_products::StoreSites::parse(&store_sites)
                .map_err(|e| anyhow::anyhow!("MAGENTO_STORE_SITES: {e}"))?;
            import_products(store.as_ref(), &file, &sites).await
        }
    }
}

/// Rows' problems shown at most.
const ROWS_SHOWN: usize = 50;

/// Opens `path` for reading with a progress bar over its bytes.
fn read_with_progress(
    path: &std::path::Path,
) -> anyhow::Result<(indicatif::ProgressBar, impl std::io::Read)> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let bar = indicatif::ProgressBar::new(size).with_style(
        indicatif::ProgressStyle::with_template("reading {msg} [{bar:40}] {bytes}/{total_bytes}")
            .expect("the progress template is valid")
            .progress_chars("=> "),
    );
    bar.set_message(path.display().to_string());
    let reader = bar.wrap_read(file);
    Ok((bar, reader))
}

/// The records of a read file, or an error listing its bad rows.
fn all_rows_right<T>(read: Result<T, Vec<comptoir_import::RowError>>) -> anyhow::Result<T> {
    read.or_else(|errors| {
        for error in errors.iter().take(ROWS_SHOWN) {
            eprintln!("{error}");
        }
        if errors.len() > ROWS_SHOWN {
            eprintln!("… and {} more", errors.len() - ROWS_SHOWN);
        }
        anyhow::bail!("{} rows are wrong: nothing was imported", errors.len())
    })
}

/// Reads a product file (Comptoir's format or a Magento 1.9 export), then writes it
/// all or nothing.
async fn import_products(
    store: &dyn Store,
    path: &std::path::Path,
    sites: &comptoir_import::magento_products::StoreSites,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let categories = store.category_paths().await?;
    let (bar, reader) = read_with_progress(path)?;
    let read = comptoir_import::read_products(reader, &categories, sites)
        .with_context(|| format!("cannot read {}", path.display()))?;
    bar.finish();
    let file = all_rows_right(read)?;
    let bar = progress_bar(
        file.products.len() as u64,
        format!("importing into {}", store.backend()),
    );
    let outcome = store
        .import_products(&file, &Actor::command_line(), &|written| {
            bar.set_position(written);
        })
        .await
        .context("the import failed: nothing was imported")?;
    bar.finish();
    match outcome {
        comptoir_store::ProductImportOutcome::Done {
            created,
            updated,
            unchanged,
        } => {
            println!(
                "{created} products created, {updated} updated, {unchanged} unchanged in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        comptoir_store::ProductImportOutcome::Refused(reason) => {
            anyhow::bail!("{reason}: nothing was imported")
        }
    }
}

/// Reads a Magento customer export with a progress bar, then writes it all or, if
/// any row is wrong, nothing (and lists the rows).
async fn import_customers(store: &dyn Store, path: &std::path::Path) -> anyhow::Result<()> {
    let (bar, reader) = read_with_progress(path)?;
    let read = comptoir_import::magento_customers::read(reader)
        .with_context(|| format!("cannot read {}", path.display()))?;
    bar.finish();
    let file = all_rows_right(read)?;
    for note in file.notes.iter().take(ROWS_SHOWN) {
        println!("{note}");
    }
    let report = store
        .import_customers(&file.customers, &Actor::command_line())
        .await
        .context("the import failed: nothing was imported")?;
    println!(
        "{} customers imported, {} already had an account ({} addresses left out)",
        report.created,
        report.already_there,
        file.notes.len()
    );
    Ok(())
}

/// Creates a staff account, its creation audited as done from the command line.
async fn add_staff(store: &dyn Store, email: &str, name: &str, role: &str) -> anyhow::Result<()> {
    let email = comptoir_domain::email::Email::parse(email)?;
    let role = comptoir_domain::staff::Role::parse(role)?;
    let name = name.trim();
    if name.is_empty() {
        anyhow::bail!("--name must not be empty");
    }
    let password = comptoir_accounts::Password::parse(&read_new_password()?)?;
    let password_hash = tokio::task::spawn_blocking(move || password.hash()).await??;
    let member = NewStaff {
        email: email.as_str().to_owned(),
        name: name.to_owned(),
        role,
        password_hash,
    };
    match store.create_staff(&member, &Actor::command_line()).await? {
        Some(id) => {
            println!("staff account {id} created: {email} ({})", role.label());
            Ok(())
        }
        None => anyhow::bail!("{email} already has a staff account"),
    }
}

/// A new password: typed twice on a terminal, without echo; otherwise the first line
/// of standard input (for scripts).
fn read_new_password() -> anyhow::Result<String> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ")?;
        let again = rpassword::prompt_password("Password again: ")?;
        if first != again {
            anyhow::bail!("the two passwords differ");
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}

async fn seed(store: &dyn Store, products: usize) -> anyhow::Result<()> {
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
    println!(
        "seeded {} products and {} categories into {} in {:.1} s",
        catalogue.products.len(),
        catalogue.categories.len(),
        store.backend(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Rebuilds the search index in `index_dir` from the whole catalogue.
async fn reindex(store: &dyn Store, index_dir: &std::path::Path) -> anyhow::Result<()> {
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
        .context("cannot start the storefront")?;
    println!("Comptoir is open:");
    for site in SiteCode::ALL {
        println!("  {}  {}", site, config.sites.base(site));
    }
    comptoir_web::serve(listener, app)
        .await
        .context("the server stopped")?;
    Ok(())
}
