//! Every setting, from flags or environment variables, with defaults that run the
//! shop locally with no setup.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use comptoir_domain::SiteCode;
use comptoir_store::{DatabaseUrl, StoreConfig};
use comptoir_storefront::sites::{BaseUrl, SiteUrls};
use comptoir_storefront::{SearchSettings, StorefrontConfig};

#[derive(Parser)]
#[command(
    name = "comptoir",
    version,
    about = "Comptoir: an online shop for four country sites"
)]
pub struct Cli {
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve the storefront (the default).
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate,
    /// Rebuild the search index from the whole catalogue.
    Reindex {
        /// Index folder [default: {data-dir}/search-index].
        #[arg(long)]
        index_dir: Option<PathBuf>,
    },
    /// Replace the catalogue with the deterministic demo catalogue (orders are
    /// forgotten with the old catalogue: for demo databases).
    Seed {
        /// Number of products to generate.
        #[arg(long, default_value_t = comptoir_demo::DEFAULT_PRODUCT_COUNT)]
        products: usize,
    },
}

impl Default for Command {
    fn default() -> Self {
        Command::Serve(ServeArgs::parse_from(["serve"]))
    }
}

#[derive(Args)]
pub struct StoreArgs {
    /// PostgreSQL URL; without it, Comptoir uses an embedded SQLite file.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// Folder of the embedded database.
    #[arg(long, env = "COMPTOIR_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// Largest number of database connections of this process.
    #[arg(long, env = "DATABASE_MAX_CONNECTIONS", default_value_t = 10)]
    pub database_max_connections: u32,
}

impl StoreArgs {
    /// Where the in-process search index lives unless told otherwise.
    pub fn default_search_index_dir(&self) -> PathBuf {
        self.data_dir.join("search-index")
    }

    pub fn to_config(&self) -> StoreConfig {
        StoreConfig {
            database_url: self
                .database_url
                .as_deref()
                .filter(|url| !url.is_empty())
                .map(DatabaseUrl::new),
            data_dir: self.data_dir.clone(),
            max_connections: self.database_max_connections,
        }
    }
}

/// Parsed on its own too, for the default command.
#[derive(Parser)]
pub struct ServeArgs {
    /// Address the storefront listens on.
    #[arg(long, env = "COMPTOIR_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Canonical base URL of the Spanish site [default: http://{bind}/es/].
    #[arg(long, env = "SITE_ES_URL")]
    pub site_es_url: Option<String>,
    /// Canonical base URL of the French site [default: http://{bind}/fr/].
    #[arg(long, env = "SITE_FR_URL")]
    pub site_fr_url: Option<String>,
    /// Canonical base URL of the Portuguese site [default: http://{bind}/pt/].
    #[arg(long, env = "SITE_PT_URL")]
    pub site_pt_url: Option<String>,
    /// Canonical base URL of the Italian site [default: http://{bind}/it/].
    #[arg(long, env = "SITE_IT_URL")]
    pub site_it_url: Option<String>,
    /// How often, in milliseconds, the replica reads the catalogue change log.
    #[arg(long, env = "CATALOGUE_POLL_MS", default_value_t = 500)]
    pub catalogue_poll_ms: u64,
    /// Folder of the static assets.
    #[arg(long, env = "COMPTOIR_STATIC_DIR", default_value = "static")]
    pub static_dir: PathBuf,
    /// Base URL of the `search` service; unset, search runs in this process.
    #[arg(long, env = "SEARCH_URL")]
    pub search_url: Option<String>,
    /// Folder of the in-process search index [default: {data-dir}/search-index].
    #[arg(long, env = "SEARCH_INDEX_DIR")]
    pub search_index_dir: Option<PathBuf>,
    /// Products of the demo catalogue an empty embedded database is seeded with.
    #[arg(long, env = "DEMO_PRODUCTS", default_value_t = comptoir_demo::DEFAULT_PRODUCT_COUNT)]
    pub demo_products: usize,
}

impl ServeArgs {
    pub fn storefront_config(&self, store: &StoreArgs) -> anyhow::Result<StorefrontConfig> {
        let local = SiteUrls::local(&self.bind.to_string());
        let configured = [
            &self.site_es_url,
            &self.site_fr_url,
            &self.site_pt_url,
            &self.site_it_url,
        ];
        let mut urls = Vec::with_capacity(4);
        for (site, url) in SiteCode::ALL.into_iter().zip(configured) {
            urls.push(match url.as_deref().filter(|u| !u.is_empty()) {
                Some(url) => BaseUrl::parse(url)
                    .with_context(|| format!("SITE_{}_URL", site.as_str().to_ascii_uppercase()))?,
                None => local.base(site).clone(),
            });
        }
        let urls: [BaseUrl; 4] = urls.try_into().expect("one URL per site");
        Ok(StorefrontConfig {
            sites: SiteUrls::new(urls),
            catalogue_poll_interval: Duration::from_millis(self.catalogue_poll_ms.max(50)),
            static_dir: self.static_dir.clone(),
            search: match self.search_url.as_deref().filter(|url| !url.is_empty()) {
                Some(url) => {
                    BaseUrl::parse(url).context("SEARCH_URL")?;
                    SearchSettings::Service {
                        url: url.to_owned(),
                    }
                }
                None => SearchSettings::InProcess {
                    index_dir: Some(
                        self.search_index_dir
                            .clone()
                            .unwrap_or_else(|| store.default_search_index_dir()),
                    ),
                },
            },
        })
    }
}
