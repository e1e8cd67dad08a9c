//! `backoffice`: the staff's application, on the private (VPN) address only. Uses the
//! same database settings as the storefront: with no `DATABASE_URL` it opens the
//! same embedded database.

use std::process::ExitCode;

use anyhow::Context;
use comptoir::config::BackofficeCli;
use comptoir::{init_logging, parse_settings, run_main};

fn main() -> ExitCode {
    let cli: BackofficeCli = parse_settings();
    init_logging(&cli.log);
    run_main(run(cli))
}

async fn run(cli: BackofficeCli) -> anyhow::Result<()> {
    // Settings are checked before anything is opened: a typo fails at once.
    let config = cli.backoffice.backoffice_config(&cli.store)?;
    comptoir_backoffice::network::check_bind(config.bind, config.behind_private_network)?;
    let store = comptoir_store::open(&cli.store.to_config()).await?;
    store
        .migrate()
        .await
        .context("cannot migrate the database")?;
    comptoir_web::metrics::sample_database_pool(store.clone());
    let app = comptoir_backoffice::build(store, &config)
        .await
        .context("cannot start the back office")?;
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .with_context(|| format!("cannot listen on {}", config.bind))?;
    comptoir_web::metrics::serve(cli.backoffice.metrics_bind).await;
    println!("Comptoir back office: http://{}/", config.bind);
    comptoir_web::health::serve(listener, app, config.drain.clone())
        .await
        .context("the server stopped")?;
    Ok(())
}
