//! Every setting, from flags or environment variables, with defaults that run the
//! shop locally with no setup.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use comptoir_backoffice::{BackofficeConfig, ClientNetworks};
use comptoir_domain::SiteCode;
use comptoir_domain::checkout::ShippingRates;
use comptoir_domain::customer::RetentionYears;
use comptoir_domain::invoicing::verifactu::Endpoint as VerifactuEndpoint;
use comptoir_domain::static_base::StaticBase;
use comptoir_import::magento_attributes::AttributeMap;
use comptoir_import::magento_products::{MagentoSettings, PriceBasis, StoreSites};
use comptoir_payments::redsys::MerchantKey;
use comptoir_store::{DatabaseUrl, InvoiceMoment, StoreConfig};
use comptoir_storefront::sites::{BaseUrl, SiteUrls};
use comptoir_storefront::{
    GatewaySettings, MailSettings, OrderLimits, SearchSettings, ShopSettings, StorefrontConfig,
};
use comptoir_verifactu::{AeatClient, Sending, Software};
use comptoir_web::Secret;
use comptoir_web::assets::StaticFiles;
use comptoir_web::client::{Networks, TrustedProxies};
use comptoir_web::headers::ThirdPartyScript;
use comptoir_web::health::Drain;

#[derive(Parser)]
#[command(
    name = "comptoir",
    version,
    about = "Comptoir: an online shop for four country sites"
)]
pub struct Cli {
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub log: LogArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The card payment gateway.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentGateway {
    /// The demo's own card page: approve or decline, no card typed.
    TestBank,
    /// Redsys, with the merchant's key.
    Redsys,
}

/// How every binary logs.
#[derive(Args, Debug, Clone)]
pub struct LogArgs {
    /// `text` for people, `json` (one object a line) for a log collector.
    #[arg(long, env = "LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve the storefront (the default).
    Serve(Box<ServeArgs>),
    /// Apply database migrations and exit.
    Migrate,
    /// Ask a server's health URL (`http://127.0.0.1:8080/health/ready`): exits 0
    /// when it answers 2xx within 3 s. For container health checks, which have no
    /// curl; opens no database.
    Probe { url: String },
    /// Replay shoppers' visits against a running shop at a target arrival rate
    /// (open loop), each visit planned from a campaign profile: landing, facets,
    /// searches with typos, products, the cart, and a share of guest orders paid
    /// by card at the test bank. Latency per action in HDR histograms, live
    /// progress; bounded by time and count; Ctrl-C stops at once with the partial
    /// report. Opens no database.
    Load(Box<LoadArgs>),
    /// Size a campaign: the load model in steps of rising arrival rate against
    /// one replica until its service level breaks; then the replicas per tier,
    /// the shoppers one replica carries and the cost per day, written to
    /// `DIR/sizing.md`, `DIR/sizing.json` and `DIR/sizing.svg`. Opens no database.
    Sizing(Box<SizingArgs>),
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
        /// Seed only an empty catalogue (safe to run at every start).
        #[arg(long)]
        if_empty: bool,
        #[command(flatten)]
        media: MediaArgs,
    },
    /// Manage back-office staff accounts.
    #[command(subcommand)]
    Staff(StaffCommand),
    /// Promotion rules from and to CSV files (`docs/promotions.md`), and codes for
    /// rules that take generated ones.
    #[command(subcommand)]
    Promotions(PromotionsCommand),
    /// Invoices and the company's VERI*FACTU records (`docs/invoicing.md`).
    #[command(subcommand)]
    Invoices(InvoicesCommand),
    /// Import products from a CSV file in Comptoir's format (the back office's
    /// catalogue export) or a Magento 1.9 product export, told apart by the header:
    /// known SKUs are updated, new ones created. Every good product is imported and
    /// every row left out is listed with its line and reason. Exit status: 0 when
    /// the file was read (even with rows left out), 1 when it cannot be read, 2 when
    /// no row could be imported.
    Import(Box<ImportArgs>),
    /// Import the customers of a Magento 1.9 customer export (CSV). Their old
    /// password hashes are kept and replaced by argon2id at each one's first login.
    /// Every good customer is imported and every row left out listed; accounts
    /// already there stay. Exit status as for `import`.
    ImportCustomers {
        /// The export file.
        file: PathBuf,
        /// Write nothing unless every row is right.
        #[arg(long)]
        strict: bool,
        /// Which site each Magento store view feeds: a customer's language is that
        /// of the store view they registered on.
        #[arg(long = "magento-store-sites", env = "MAGENTO_STORE_SITES", default_value = MAGENTO_STORE_SITES, value_parser = StoreSites::parse)]
        store_sites: StoreSites,
    },
    /// Migrate a running Magento 1.x shop (CE 1.4 to 1.9) straight from its MySQL
    /// or MariaDB database, read only: store views, the category tree with its
    /// translations, products, every old URL (answering 301). Everything is read
    /// and checked first, every problem listed; then the catalogue is written in
    /// one transaction. A re-run updates what changed and duplicates nothing.
    /// Exit status as for `import`.
    ImportMagento(Box<ImportMagentoArgs>),
}

/// `comptoir load`'s settings.
#[derive(Args)]
pub struct LoadArgs {
    /// The shop: `http://127.0.0.1:8080`. Only the loopback, unless
    /// `--allow-host` names the host.
    #[arg(long)]
    pub target: String,
    /// A campaign profile (TOML; `docs/campaign.toml` documents it) [default:
    /// the retailer's campaign peak].
    #[arg(long)]
    pub profile: Option<PathBuf>,
    /// How long to load, in seconds (at most an hour).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub duration: u64,
    /// Visits arriving per second [default: the profile's peak].
    #[arg(long)]
    pub rate: Option<f64>,
    /// Visits started at most.
    #[arg(long, default_value_t = 1_000_000)]
    pub max_visits: u64,
    /// The mean pause between two pages of a visit, in seconds [default: the
    /// profile's]. Shorter pauses reach a steady load sooner, the request mix
    /// unchanged.
    #[arg(long)]
    pub think_seconds: Option<f64>,
    /// A host other than the loopback that may be loaded (repeatable).
    #[arg(long = "allow-host")]
    pub allow_hosts: Vec<String>,
    /// Writes the measurements as JSON to this file too.
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// The seed of the visits' random choices: the same seed plans the same visits.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// `comptoir sizing`'s settings.
#[derive(Args)]
pub struct SizingArgs {
    /// The replica to measure: `http://127.0.0.1:8080`. Only the loopback, unless
    /// `--allow-host` names the host.
    #[arg(long)]
    pub target: String,
    /// A campaign profile (TOML; `docs/campaign.toml`) [default: the retailer's peak].
    #[arg(long)]
    pub profile: Option<PathBuf>,
    /// Bounds the whole run; when reached before the service level breaks, the
    /// last step kept is reported as a lower bound.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=240))]
    pub max_minutes: u64,
    /// Where the report is written.
    #[arg(long, default_value = "sizing")]
    pub out: PathBuf,
    /// Storefront replicas behind the target (a balancer): they share the rate
    /// measured.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub replicas: u32,
    /// A replica's metrics (`http://127.0.0.1:9464/metrics`), for its CPU per visit;
    /// once per replica behind the target.
    #[arg(long)]
    pub metrics: Vec<String>,
    /// The search service's metrics, when the replicas search through one (once
    /// per search replica).
    #[arg(long)]
    pub search_metrics: Vec<String>,
    /// The shop's PostgreSQL (`postgres://…`), to count its transactions per visit.
    #[arg(long)]
    pub database_url: Option<String>,
    /// The shop's Redis (`redis://…`), to count its commands per visit.
    #[arg(long)]
    pub redis_url: Option<String>,
    /// Seconds each step lasts.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(5..=600))]
    pub step_seconds: u64,
    /// Visits per second of the first step.
    #[arg(long, default_value_t = 2.0)]
    pub start_rate: f64,
    /// Each step's rate over the one before.
    #[arg(long, default_value_t = 1.5)]
    pub growth: f64,
    /// Mean pause between two pages during the steps, in seconds: short, so that
    /// each step reaches its load within seconds (the request mix is the profile's).
    #[arg(long, default_value_t = 1.0)]
    pub think_seconds: f64,
    /// A host other than the loopback that may be loaded (repeatable).
    #[arg(long = "allow-host")]
    pub allow_hosts: Vec<String>,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// `comptoir import`'s settings.
#[derive(Args)]
pub struct ImportArgs {
    /// The file.
    pub file: PathBuf,
    /// Write nothing unless every row is right.
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub magento: MagentoArgs,
    /// Where the images the file names were copied (resized once written).
    #[command(flatten)]
    pub media: MediaArgs,
}

/// `comptoir import-magento`'s settings.
#[derive(Args)]
pub struct ImportMagentoArgs {
    /// The Magento database, `mysql://user:password@host:3306/magento`; `SELECT`
    /// rights are enough.
    #[arg(env = "MAGENTO_DATABASE_URL", hide_env_values = true)]
    pub database_url: String,
    /// Which site each store view feeds (`admin=es,default=es,fr=fr,pt=pt,it=it`);
    /// a store code the shop lacks is an error. Without it, `default` and `es`
    /// feed Spain and `fr`, `pt`, `it` their sites, where the shop has them.
    #[arg(long, env = "MAGENTO_STORE_SITES", value_parser = StoreSites::parse)]
    pub store_sites: Option<StoreSites>,
    /// Magento's `media/` folder: product images are copied from its
    /// `catalog/product` into Comptoir's media folder and resized.
    #[arg(long)]
    pub media_dir: Option<PathBuf>,
    /// The prefix of every Magento table, where the install has one.
    #[arg(long, env = "MAGENTO_TABLE_PREFIX", default_value = "")]
    pub table_prefix: String,
    /// Read and check everything and print the report; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Also write the whole report, every problem and note, to this CSV file
    /// (the terminal shows every problem and the first notes).
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// A TOML file naming the attributes that hold a product's gender, age
    /// group, theme, brand and GTIN, and the shop's own words for their values
    /// (`docs/magento-attributes.toml`). Without it, Magento's usual codes.
    #[arg(long = "attribute-map", env = "MAGENTO_ATTRIBUTE_MAP", value_parser = read_attribute_map)]
    pub attributes: Option<AttributeMap>,
    /// Comptoir's folder of product images [default: {data-dir}/media].
    #[arg(long = "comptoir-media-dir", env = "MEDIA_DIR")]
    pub comptoir_media_dir: Option<PathBuf>,
}

fn read_attribute_map(path: &str) -> Result<AttributeMap, String> {
    AttributeMap::read(Path::new(path))
}

/// The default mapping of Magento store views to sites.
pub const MAGENTO_STORE_SITES: &str = "admin=es,default=es,es=es,fr=fr,pt=pt,it=it";

/// How the Magento shop an export comes from was set up (its exports do not say).
#[derive(Args)]
pub struct MagentoArgs {
    /// Which site each Magento store view feeds (`admin` for the admin scope).
    #[arg(long = "magento-store-sites", env = "MAGENTO_STORE_SITES", default_value = MAGENTO_STORE_SITES, value_parser = StoreSites::parse)]
    pub store_sites: StoreSites,
    /// Whether the export's prices include VAT: Magento's
    /// `tax/calculation/price_includes_tax`. When false, each site adds its
    /// standard VAT to the net price.
    #[arg(long = "magento-prices-include-tax", env = "MAGENTO_PRICES_INCLUDE_TAX", default_value_t = true, action = clap::ArgAction::Set)]
    pub prices_include_tax: bool,
    /// A TOML file naming the columns that hold a product's gender, age group,
    /// theme, brand and GTIN, and the shop's own words for their values
    /// (`docs/magento-attributes.toml`). Without it, Magento's usual codes.
    #[arg(long = "magento-attribute-map", env = "MAGENTO_ATTRIBUTE_MAP", value_parser = read_attribute_map)]
    pub attributes: Option<AttributeMap>,
}

impl MagentoArgs {
    pub fn settings(&self) -> MagentoSettings {
        MagentoSettings {
            stores: self.store_sites.clone(),
            prices: PriceBasis::from_includes_tax(self.prices_include_tax),
            attributes: self.attributes.clone().unwrap_or_default(),
        }
    }
}

#[derive(Subcommand)]
pub enum InvoicesCommand {
    /// Write every VERI*FACTU record, in chain order, as JSON lines: one flat object
    /// of strings per record, its fields exactly as they enter its footprint (to
    /// standard output without --out).
    Records {
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
pub enum PromotionsCommand {
    /// Create the rules of a promotions file: every row is checked first; one wrong
    /// row (listed with its line and column) and nothing is written.
    Import { file: PathBuf },
    /// Write every rule as a promotions file (to standard output without --out).
    Export {
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Generate unique codes for a rule that takes generated codes, store them and
    /// write them to a one-column file (`code`).
    Codes {
        /// The rule's id.
        rule: i64,
        #[arg(long)]
        count: u32,
        /// Random characters after the prefix.
        #[arg(long, default_value_t = 10)]
        length: usize,
        #[arg(long, default_value = "")]
        prefix: String,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum StaffCommand {
    /// Create a staff account (the first admin, typically). The password is asked
    /// for on the terminal, or read as one line from standard input.
    Add {
        /// The staff member's e-mail address, their login.
        email: String,
        #[arg(long)]
        name: String,
        /// What the account may do.
        #[arg(long, default_value = "admin", value_parser = ["admin", "catalogue", "orders", "support", "marketing"])]
        role: String,
    },
}

impl Default for Command {
    fn default() -> Self {
        Command::Serve(Box::new(crate::parse_settings_from(["serve"])))
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
    /// Seconds to keep trying a database not reachable yet before giving up (a
    /// replica started before PostgreSQL waits rather than crash-looping).
    #[arg(long, env = "DATABASE_WAIT_SECONDS", default_value = "0", value_parser = seconds)]
    pub database_wait_seconds: Duration,
    /// When orders' invoices are issued: `paid` (in the transaction that marks an
    /// order paid) or `shipped` (in the one that marks it shipped).
    #[arg(long, env = "INVOICE_ON", default_value = "paid", value_parser = InvoiceMoment::parse)]
    pub invoice_on: InvoiceMoment,
    /// Where VERI*FACTU records are sent: `off` (made and kept, nothing sent),
    /// AEAT's `test` or `production` service. Invoices' QR codes point at AEAT's
    /// test host until it is `production`.
    #[arg(long, env = "VERIFACTU_ENDPOINT", default_value = "off", value_parser = VerifactuEndpoint::parse)]
    pub verifactu_endpoint: VerifactuEndpoint,
}

impl StoreArgs {
    /// Where uploaded images live unless told otherwise.
    pub fn default_media_dir(&self) -> PathBuf {
        self.data_dir.join("media")
    }

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
            connect_wait: self.database_wait_seconds,
            invoice_on: self.invoice_on,
        }
    }
}

/// Parsed on its own too, for the default command.
#[derive(Parser)]
pub struct ServeArgs {
    /// Address the storefront listens on.
    #[arg(long, env = "COMPTOIR_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Address of `/metrics` (Prometheus): a private one, never the public port's.
    #[arg(long, env = "METRICS_BIND", default_value = "127.0.0.1:9464")]
    pub metrics_bind: SocketAddr,
    /// Canonical base URL of the Spanish site [default: http://{bind}/es/].
    #[arg(long, env = "SITE_ES_URL", value_parser = BaseUrl::parse)]
    pub site_es_url: Option<BaseUrl>,
    /// Canonical base URL of the French site [default: http://{bind}/fr/].
    #[arg(long, env = "SITE_FR_URL", value_parser = BaseUrl::parse)]
    pub site_fr_url: Option<BaseUrl>,
    /// Canonical base URL of the Portuguese site [default: http://{bind}/pt/].
    #[arg(long, env = "SITE_PT_URL", value_parser = BaseUrl::parse)]
    pub site_pt_url: Option<BaseUrl>,
    /// Canonical base URL of the Italian site [default: http://{bind}/it/].
    #[arg(long, env = "SITE_IT_URL", value_parser = BaseUrl::parse)]
    pub site_it_url: Option<BaseUrl>,
    /// How often, in milliseconds (50 or more), the replica reads the catalogue
    /// change log.
    #[arg(long, env = "CATALOGUE_POLL_MS", default_value = "500", value_parser = milliseconds_from(50))]
    pub catalogue_poll_ms: Duration,
    /// Base URL of the `search` service; unset, search runs in this process.
    #[arg(long, env = "SEARCH_URL", value_parser = BaseUrl::parse)]
    pub search_url: Option<BaseUrl>,
    /// Folder of the in-process search index [default: {data-dir}/search-index].
    #[arg(long, env = "SEARCH_INDEX_DIR")]
    pub search_index_dir: Option<PathBuf>,
    /// Where pages point browsers for static files and product images: `/static`,
    /// or a CDN that fetches from the shop (`https://cdn.example.com/static`).
    #[arg(long, env = "STATIC_BASE_URL", default_value = "/static", value_parser = StaticBase::parse)]
    pub static_base_url: StaticBase,
    /// Products of the demo catalogue an empty embedded database is seeded with.
    #[arg(long, env = "DEMO_PRODUCTS", default_value_t = comptoir_demo::DEFAULT_PRODUCT_COUNT)]
    pub demo_products: usize,
    #[command(flatten)]
    pub web: WebArgs,
    #[command(flatten)]
    pub drain: DrainArgs,
    #[command(flatten)]
    pub shop: ShopArgs,
}

/// What the storefront and the back office both read, declared once.
#[derive(Args)]
pub struct WebArgs {
    /// Redis for sessions and carts (`redis://host:6379`), shared by every replica;
    /// unset, they live in the database.
    #[arg(long, env = "REDIS_URL", hide_env_values = true)]
    pub redis_url: Option<Secret>,
    /// Folder of the static assets.
    #[arg(long, env = "COMPTOIR_STATIC_DIR", default_value = "static")]
    pub static_dir: PathBuf,
    #[command(flatten)]
    pub media: MediaArgs,
}

impl WebArgs {
    fn media_dir(&self, store: &StoreArgs) -> PathBuf {
        self.media.media_dir(store)
    }

    /// The static files, read now so that a missing folder stops the start.
    fn static_files(&self, base: &StaticBase) -> anyhow::Result<Arc<StaticFiles>> {
        Ok(Arc::new(StaticFiles::load(&self.static_dir, base)?))
    }
}

/// How a server stops.
#[derive(Args)]
pub struct DrainArgs {
    /// Seconds a server keeps serving after SIGTERM, not ready, while balancers
    /// notice (0 to 7); it then exits within 15 s of the signal.
    #[arg(long, env = "SHUTDOWN_GRACE_SECONDS", default_value = "5", value_parser = grace_seconds)]
    pub shutdown_grace_seconds: Duration,
}

impl DrainArgs {
    pub fn drain(&self) -> Drain {
        Drain::new(self.shutdown_grace_seconds)
    }
}

/// Whole seconds from 0 to 7: enough for balancers to notice, within the 15 s a
/// server has to exit.
fn grace_seconds(text: &str) -> Result<Duration, String> {
    match text.trim().parse::<u64>() {
        Ok(seconds) if seconds <= 7 => Ok(Duration::from_secs(seconds)),
        _ => Err(format!("`{text}`: whole seconds from 0 to 7")),
    }
}

/// Where product images live.
#[derive(Args)]
pub struct MediaArgs {
    /// Folder of product images (uploads, imports' copies, their renditions), served
    /// at `/static/media/` [default: {data-dir}/media]; shared by every storefront
    /// replica and the back office.
    #[arg(long, env = "MEDIA_DIR")]
    pub media_dir: Option<PathBuf>,
}

impl MediaArgs {
    pub fn media_dir(&self, store: &StoreArgs) -> PathBuf {
        self.media_dir
            .clone()
            .unwrap_or_else(|| store.default_media_dir())
    }
}

/// How the shop sells: shopper state, shipping, payment, mail.
#[derive(Args)]
pub struct ShopArgs {
    /// Minutes without a request after which a session ends.
    #[arg(long, env = "SESSION_IDLE_MINUTES", default_value = "120", value_parser = minutes)]
    pub session_idle_minutes: Duration,
    /// Days without a change after which a cart is forgotten.
    #[arg(long, env = "CART_IDLE_DAYS", default_value = "30", value_parser = days)]
    pub cart_idle_days: Duration,
    /// Minutes a card payment may stay pending before its order is cancelled and
    /// its stock returned.
    #[arg(long, env = "PENDING_PAYMENT_MINUTES", default_value = "30", value_parser = minutes)]
    pub pending_payment_minutes: Duration,
    /// Shipping per country (ES, FR, PT, IT): price and, after a slash, the amount
    /// from which it is free.
    #[arg(
        long,
        env = "SHIPPING_RATES",
        default_value = "ES=4.95/49,PT=4.95/49,FR=5.95/59,IT=5.95/59",
        value_parser = ShippingRates::parse
    )]
    pub shipping_rates: ShippingRates,
    /// Card gateway: `test-bank` (the demo's own, approve or decline) or `redsys`.
    #[arg(long, env = "PAYMENT_GATEWAY", value_enum, default_value_t = PaymentGateway::TestBank)]
    pub payment_gateway: PaymentGateway,
    /// Redsys payment page.
    #[arg(
        long,
        env = "REDSYS_URL",
        default_value = "https://sis-t.redsys.es:25443/sis/realizarPago"
    )]
    pub redsys_url: String,
    #[arg(long, env = "REDSYS_MERCHANT_CODE", default_value = "999008881")]
    pub redsys_merchant_code: String,
    #[arg(long, env = "REDSYS_TERMINAL", default_value = "1")]
    pub redsys_terminal: String,
    /// The merchant's secret key (base64) Redsys gave; required with
    /// `PAYMENT_GATEWAY=redsys`. The test bank generates its own key per installation.
    #[arg(long, env = "REDSYS_KEY", hide_env_values = true)]
    pub redsys_key: Option<Secret>,
    /// Days a bank-transfer order may stay unpaid before it is cancelled and its
    /// stock returned (its shopper is reminded a day before).
    #[arg(long, env = "BANK_TRANSFER_DAYS", default_value = "7", value_parser = days)]
    pub bank_transfer_days: Duration,
    /// Units of one article (size or colour) one order may hold.
    #[arg(long, env = "MAX_UNITS_PER_LINE", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_units_per_line: u32,
    /// Open unpaid bank-transfer and cash-on-delivery orders one client address may
    /// hold at once (card orders expire with their payment and are not counted).
    #[arg(long, env = "MAX_OPEN_UNPAID_ORDERS", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_open_unpaid_orders: u32,
    /// The account bank transfers are paid into.
    #[arg(
        long,
        env = "BANK_TRANSFER_IBAN",
        default_value = "ES91 2100 0418 4502 0005 1332"
    )]
    pub bank_transfer_iban: String,
    /// SMTP relay (`smtp://host:25`); unset, mails are written to MAIL_DIR.
    #[arg(long, env = "SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<Secret>,
    /// Folder of the mails written without SMTP [default: {data-dir}/mail].
    #[arg(long, env = "MAIL_DIR")]
    pub mail_dir: Option<PathBuf>,
    /// The address mails come from.
    #[arg(
        long,
        env = "MAIL_FROM",
        default_value = "Comptoir <tienda@comptoir.example>"
    )]
    pub mail_from: String,
    /// The EU's VIES service that confirms a business buyer's VAT number of another
    /// member state (its `check-vat-number` address).
    #[arg(
        long,
        env = "VIES_URL",
        default_value = "https://ec.europa.eu/taxation_customs/vies/rest-api/check-vat-number"
    )]
    pub vies_url: String,
    /// Balancers whose X-Forwarded-For is believed (CIDR list; none by default):
    /// client addresses (for login limits) come from it behind them.
    #[arg(long, env = "TRUSTED_PROXIES", default_value = "", value_parser = TrustedProxies::parse)]
    pub trusted_proxies: TrustedProxies,
    /// An analytics script (absolute URL) the shop adds: pages then ask shoppers for
    /// consent and load it only once given. Unset: strictly necessary cookies only,
    /// no banner.
    #[arg(long, env = "ANALYTICS_SCRIPT_URL", value_parser = ThirdPartyScript::parse)]
    pub analytics_script_url: Option<ThirdPartyScript>,
    /// Replaced by TRUSTED_PROXIES: set, the shop refuses to start.
    #[arg(long, env = "TRUST_FORWARDED_FOR", hide = true)]
    pub trust_forwarded_for: Option<String>,
}

impl ShopArgs {
    pub fn settings(&self, store: &StoreArgs, web: &WebArgs) -> anyhow::Result<ShopSettings> {
        if self.trust_forwarded_for.is_some() {
            anyhow::bail!(
                "TRUST_FORWARDED_FOR is no longer read: list the balancers' addresses in \
                 TRUSTED_PROXIES (a CIDR list such as 10.0.0.0/24)"
            );
        }
        let card_gateway = match self.payment_gateway {
            PaymentGateway::TestBank => GatewaySettings::TestBank,
            PaymentGateway::Redsys => {
                let key = self.redsys_key.as_ref().map(Secret::expose);
                let key = key.filter(|k| !k.trim().is_empty());
                let key = key.context(
                    "REDSYS_KEY: PAYMENT_GATEWAY=redsys needs the merchant's secret key from Redsys",
                )?;
                GatewaySettings::Redsys {
                    url: self.redsys_url.clone(),
                    merchant_code: self.redsys_merchant_code.clone(),
                    terminal: self.redsys_terminal.clone(),
                    key: MerchantKey::parse(key).context("REDSYS_KEY: not 24 bytes in base64")?,
                }
            }
        };
        Ok(ShopSettings {
            redis_url: web.redis_url.clone(),
            session_idle: self.session_idle_minutes,
            cart_idle: self.cart_idle_days,
            pending_payment_timeout: self.pending_payment_minutes,
            bank_transfer_timeout: self.bank_transfer_days,
            order_limits: OrderLimits {
                units_per_line: self.max_units_per_line,
                open_unpaid_per_client: self.max_open_unpaid_orders,
            },
            shipping_rates: self.shipping_rates.clone(),
            card_gateway,
            bank_transfer_iban: self.bank_transfer_iban.clone(),
            analytics_script: self.analytics_script_url.clone(),
            mail: MailSettings {
                smtp_url: self.smtp_url.clone(),
                folder: self
                    .mail_dir
                    .clone()
                    .unwrap_or_else(|| store.data_dir.join("mail")),
                sender: self.mail_from.clone(),
            },
            trusted_proxies: self.trusted_proxies.clone(),
            verifactu: store.verifactu_endpoint,
            vies_url: self.vies_url.clone(),
        })
    }
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
        let urls = SiteCode::ALL.map(|site| {
            configured[site.index()]
                .clone()
                .unwrap_or_else(|| local.base(site).clone())
        });
        Ok(StorefrontConfig {
            sites: SiteUrls::new(urls),
            catalogue_poll_interval: self.catalogue_poll_ms,
            // The settings first: a mistake in one is named before files are read.
            shop: self.shop.settings(store, &self.web)?,
            static_files: self.web.static_files(&self.static_base_url)?,
            static_base: self.static_base_url.clone(),
            media_dir: self.web.media_dir(store),
            drain: self.drain.drain(),
            search: match &self.search_url {
                Some(url) => SearchSettings::Service {
                    url: url.to_string(),
                },
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

/// The `backoffice` binary's settings.
#[derive(Parser)]
#[command(
    name = "backoffice",
    version,
    about = "Comptoir's back office for staff"
)]
pub struct BackofficeCli {
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub backoffice: BackofficeArgs,
    #[command(flatten)]
    pub log: LogArgs,
}

/// The back office's settings (`backoffice` binary).
#[derive(Args)]
pub struct BackofficeArgs {
    /// Address the back office listens on: the VPN interface's address in production.
    #[arg(long, env = "BACKOFFICE_BIND", default_value = "127.0.0.1:8081")]
    pub bind: SocketAddr,
    /// Address of `/metrics` (Prometheus).
    #[arg(long, env = "METRICS_BIND", default_value = "127.0.0.1:9466")]
    pub metrics_bind: SocketAddr,
    #[command(flatten)]
    pub web: WebArgs,
    #[command(flatten)]
    pub drain: DrainArgs,
    /// Allow listening on every interface (0.0.0.0, ::): only for a machine that is
    /// reachable from a private network alone.
    #[arg(long, env = "BACKOFFICE_PRIVATE_NETWORK", default_value_t = false)]
    pub private_network: bool,
    /// Client networks served (CIDR list); any other client gets 403.
    #[arg(long, env = "BACKOFFICE_ALLOW", default_value = comptoir_backoffice::network::DEFAULT_ALLOW, value_parser = Networks::parse)]
    pub allow: Networks,
    /// Reverse proxies whose X-Forwarded-For is believed (CIDR list; none by default).
    #[arg(long, env = "BACKOFFICE_TRUSTED_PROXIES", default_value = "", value_parser = TrustedProxies::parse)]
    pub trusted_proxies: TrustedProxies,
    /// Served over https (TLS ends at a proxy in front): Secure cookies and HSTS.
    #[arg(long, env = "BACKOFFICE_HTTPS", default_value_t = false)]
    pub https: bool,
    /// Minutes without a request after which a staff session ends.
    #[arg(long, env = "BACKOFFICE_IDLE_MINUTES", default_value = "30", value_parser = minutes)]
    pub idle_minutes: Duration,
    #[command(flatten)]
    pub magento: MagentoArgs,
    /// Folder uploaded import files wait in [default: {data-dir}/imports].
    #[arg(long, env = "IMPORT_DIR")]
    pub import_dir: Option<PathBuf>,
    /// Years an erased customer's orders are kept (restricted) before they are
    /// masked, per site: what each country's tax law requires.
    #[arg(long, env = "ORDER_RETENTION_YEARS", default_value = "es=6,fr=10,pt=10,it=10", value_parser = RetentionYears::parse)]
    pub order_retention_years: RetentionYears,
    #[command(flatten)]
    pub verifactu: VerifactuArgs,
}

/// How the back office sends VERI*FACTU records, with `VERIFACTU_ENDPOINT` `test` or
/// `production`.
#[derive(Args)]
pub struct VerifactuArgs {
    /// The company's certificate that AEAT knows it by: a PKCS#12 file (`.p12`,
    /// `.pfx`) as its certificate authority hands it out.
    #[arg(long, env = "VERIFACTU_CERTIFICATE")]
    pub verifactu_certificate: Option<PathBuf>,
    /// The certificate file's password.
    #[arg(long, env = "VERIFACTU_CERTIFICATE_PASSWORD", hide_env_values = true)]
    pub verifactu_certificate_password: Option<Secret>,
    /// This installation's number in every record (`NumeroInstalacion`): tells
    /// the company's installations apart.
    #[arg(long, env = "VERIFACTU_INSTALLATION", default_value = "1")]
    pub verifactu_installation: String,
}

impl VerifactuArgs {
    /// AEAT's service with the certificate opened, when records are sent.
    fn sending(&self, endpoint: VerifactuEndpoint) -> anyhow::Result<Option<Sending>> {
        let Some(url) = endpoint.service_url() else {
            return Ok(None);
        };
        let path = self.verifactu_certificate.as_ref().context(
            "VERIFACTU_CERTIFICATE is not set: records cannot be sent to AEAT without the \
             company's certificate (VERIFACTU_ENDPOINT=off sends none)",
        )?;
        let der = std::fs::read(path)
            .with_context(|| format!("VERIFACTU_CERTIFICATE: cannot read {}", path.display()))?;
        let password = self
            .verifactu_certificate_password
            .as_ref()
            .context("VERIFACTU_CERTIFICATE_PASSWORD is not set")?;
        let identity = comptoir_verifactu::identity(&der, password.expose())
            .with_context(|| format!("VERIFACTU_CERTIFICATE {}", path.display()))?;
        let client = AeatClient::new(url, identity, None)
            .with_context(|| format!("VERIFACTU_CERTIFICATE {}", path.display()))?;
        Ok(Some(Sending {
            client,
            software: Software {
                installation: self.verifactu_installation.clone(),
            },
        }))
    }
}

impl BackofficeArgs {
    pub fn backoffice_config(&self, store: &StoreArgs) -> anyhow::Result<BackofficeConfig> {
        let networks = ClientNetworks {
            allow: self.allow.clone(),
            trusted_proxies: self.trusted_proxies.clone(),
        };
        if networks.allow.is_empty() {
            anyhow::bail!("BACKOFFICE_ALLOW is empty: no client could reach the back office");
        }
        Ok(BackofficeConfig {
            bind: self.bind,
            behind_private_network: self.private_network,
            networks,
            https: self.https,
            session_idle: self.idle_minutes,
            redis_url: self.web.redis_url.clone(),
            static_files: self.web.static_files(&StaticBase::default())?,
            media_dir: self.web.media_dir(store),
            magento: self.magento.settings(),
            retention: self.order_retention_years,
            verifactu: store.verifactu_endpoint,
            verifactu_sending: self.verifactu.sending(store.verifactu_endpoint)?,
            drain: self.drain.drain(),
            import_dir: self
                .import_dir
                .clone()
                .unwrap_or_else(|| store.data_dir.join("imports")),
        })
    }
}

/// A whole number of minutes, one or more.
fn minutes(text: &str) -> Result<Duration, String> {
    Ok(Duration::from_secs(60 * whole_number_from(1, text)?))
}

/// A whole number of seconds, zero or more.
fn seconds(text: &str) -> Result<Duration, String> {
    Ok(Duration::from_secs(whole_number_from(0, text)?))
}

/// A whole number of days, one or more.
fn days(text: &str) -> Result<Duration, String> {
    Ok(Duration::from_secs(24 * 3600 * whole_number_from(1, text)?))
}

/// A parser of a whole number of milliseconds, `least` or more.
fn milliseconds_from(least: u64) -> impl Fn(&str) -> Result<Duration, String> + Clone {
    move |text| whole_number_from(least, text).map(Duration::from_millis)
}

/// A whole number no smaller than `least`: never silently raised to it.
fn whole_number_from(least: u64, text: &str) -> Result<u64, String> {
    match text.trim().parse::<u64>() {
        Ok(number) if number >= least => Ok(number),
        Ok(_) => Err(format!("{least} is the least allowed")),
        Err(_) => Err("not a whole number".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_whole_numbers_never_raised_to_their_minimum() {
        assert_eq!(minutes("120"), Ok(Duration::from_secs(7200)));
        assert_eq!(days("2"), Ok(Duration::from_secs(2 * 86_400)));
        assert_eq!(milliseconds_from(50)("50"), Ok(Duration::from_millis(50)));
        assert!(milliseconds_from(50)("49").is_err());
        for bad in ["0", "-1", "1.5", "ten", ""] {
            assert!(minutes(bad).is_err(), "{bad}");
        }
    }
}
