//! Comptoir's storefront: the four country sites, server-rendered from an in-memory
//! catalogue snapshot.
//!
//! A request flows through [`layers::site_layer`], which finds its site from the Host
//! header and path (or redirects to the canonical URL), then through the page
//! [`pages::router`], which renders from the [`snapshot`]. Nothing about a visitor is
//! kept in the replica: sessions and carts live in Redis or the database
//! ([`shopper`]), so any replica can serve any request.

mod caching;
pub mod config;
pub mod content;
mod extract;
mod facet_cache;
mod i18n;
mod layers;
mod mails;
mod pages;
mod responses;
mod search;
mod shopper;
pub mod sites;
pub mod snapshot;
mod vies;
mod workers;

use std::sync::Arc;

use arc_swap::ArcSwap;
use axum::Router;
use comptoir_payments::redsys::MerchantKey;
use comptoir_payments::{CardGateway, GatewayKind};
use comptoir_sessions::{DatabaseState, RedisState, ShortLived};
use comptoir_store::ShopStore;
use comptoir_web::csrf::CsrfKey;

pub use comptoir_web::error::HttpError;
pub use config::{
    GatewaySettings, MailSettings, OrderLimits, SearchSettings, ShopSettings, StorefrontConfig,
};
pub use snapshot::follower::SharedSnapshot;

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The catalogue snapshot pages are rendered from, kept current by the follower.
    pub snapshot: SharedSnapshot,
    /// The canonical base URL of each site; every link a page shows starts with one.
    pub sites: Arc<sites::SiteUrls>,
    /// The product search, in process or remote.
    pub search: search::SearchClient,
    /// Facet counts of unfiltered category pages, shared by their requests.
    pub facet_cache: Arc<facet_cache::FacetCache>,
    /// Each site's sitemaps, made again when the catalogue changes.
    pub sitemaps: Arc<pages::SitemapCache>,
    /// The system of record: stock, orders, customers.
    pub store: Arc<dyn ShopStore>,
    /// Shoppers' carts, in Redis or the database.
    pub carts: shopper::Carts,
    /// Shipping rates, limits and the other selling settings.
    pub shop: Arc<ShopSettings>,
    /// The card gateway shoppers pay on, its key resolved.
    pub gateway: Arc<CardGateway>,
    /// The installation's key for the forms' tokens.
    pub csrf_key: CsrfKey,
    /// Per site: the delivery facts every product page shows.
    pub delivery_facts: Arc<[Vec<String>; 4]>,
    /// Every page's content security policy: the shop's own origin, and the
    /// analytics script's when the shop has one.
    pub content_security_policy: axum::http::HeaderValue,
    /// Whether the server is shutting down (readiness answers 503 then).
    pub drain: comptoir_web::health::Drain,
    /// The shop's own static files, which pages link by fingerprinted name.
    pub static_files: Arc<comptoir_web::assets::StaticFiles>,
    /// Pages for everyone, compressed once per content.
    pub compressed_pages: Arc<comptoir_web::compression::CompressedPages>,
    /// Confirms business buyers' VAT numbers of other member states.
    pub vies: vies::Vies,
}

impl axum::extract::FromRef<AppState> for CsrfKey {
    fn from_ref(state: &AppState) -> CsrfKey {
        state.csrf_key.clone()
    }
}

/// Loads the catalogue, starts following its changes (and, for in-process search,
/// building or opening the index in the background), connects to where shopper
/// state lives, starts the background workers (mail, unpaid orders), and returns the
/// app ready to serve.
pub async fn build(
    store: Arc<dyn ShopStore>,
    config: &StorefrontConfig,
) -> Result<Router, StartError> {
    let snapshot: SharedSnapshot = Arc::new(ArcSwap::from_pointee(
        snapshot::follower::load(store.as_ref(), config.static_base.clone()).await?,
    ));
    let search = match &config.search {
        SearchSettings::InProcess { index_dir } => {
            let engine = Arc::new(comptoir_search::SearchEngine::open(index_dir.as_deref())?);
            tokio::spawn(comptoir_search::follower::follow(
                store.clone(),
                engine.clone(),
                config.catalogue_poll_interval,
            ));
            search::SearchClient::InProcess(engine)
        }
        SearchSettings::Service { url } => search::SearchClient::remote(url),
    };
    tokio::spawn(snapshot::follower::follow(
        store.clone(),
        snapshot.clone(),
        config.catalogue_poll_interval,
    ));
    let shopper_state: Arc<dyn ShortLived> = match &config.shop.redis_url {
        Some(url) => Arc::new(RedisState::connect(url.expose()).await?),
        None => Arc::new(DatabaseState(store.clone())),
    };
    workers::start(store.clone(), &config.shop)?;
    let gateway = Arc::new(card_gateway(store.as_ref(), &config.shop.card_gateway).await?);
    let csrf_key = CsrfKey::of_installation(store.as_ref()).await?;
    let state = AppState {
        snapshot,
        sites: Arc::new(config.sites.clone()),
        search,
        facet_cache: Arc::default(),
        sitemaps: Arc::default(),
        carts: shopper::Carts::new(
            shopper_state.clone(),
            config.shop.cart_idle,
            config.sites.any_https(),
        ),
        store,
        shop: Arc::new(config.shop.clone()),
        gateway,
        csrf_key,
        delivery_facts: Arc::new(
            comptoir_domain::SiteCode::ALL.map(|site| pages::delivery_facts(&config.shop, site)),
        ),
        content_security_policy: comptoir_web::headers::content_security_policy(
            config.static_base.foreign_origin(),
            config.shop.analytics_script.as_ref(),
        ),
        drain: config.drain.clone(),
        static_files: config.static_files.clone(),
        compressed_pages: Arc::new(comptoir_web::compression::CompressedPages::new(
            COMPRESSED_PAGES_BYTES,
        )),
        vies: vies::Vies::new(&config.shop.vies_url),
    };
    Ok(app(state, shopper_state, config))
}

/// The secret under which the test bank's key is kept in the database.
const TEST_BANK_KEY: &str = "test-bank-merchant-key";

/// The card gateway the settings name. The test bank signs with a key generated by
/// the first replica to start and kept in the database, so that every replica signs
/// alike and no one outside the installation knows it.
async fn card_gateway(
    store: &dyn ShopStore,
    settings: &GatewaySettings,
) -> Result<CardGateway, StartError> {
    Ok(match settings {
        GatewaySettings::TestBank => {
            let kept = store
                .installation_secret(TEST_BANK_KEY, &MerchantKey::generate().to_base64())
                .await?;
            let key = MerchantKey::parse(&kept).map_err(|_| {
                StartError::Corrupt(format!("the stored secret '{TEST_BANK_KEY}' is not a key"))
            })?;
            CardGateway::new(
                GatewayKind::TestBank,
                String::new(),
                "999008881".to_owned(),
                "1".to_owned(),
                key,
            )
        }
        GatewaySettings::Redsys {
            url,
            merchant_code,
            terminal,
            key,
        } => CardGateway::new(
            GatewayKind::Redsys,
            url.clone(),
            merchant_code.clone(),
            terminal.clone(),
            key.clone(),
        ),
    })
}

/// Memory kept for compressed pages: about 3 000 product pages in both codings.
const COMPRESSED_PAGES_BYTES: usize = 64 * 1024 * 1024;

/// Why the storefront could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Store(#[from] comptoir_store::StoreError),
    #[error("cannot open the search index: {0}")]
    Search(#[from] comptoir_search::SearchError),
    #[error("cannot reach Redis for sessions and carts: {0}")]
    ShopperState(#[from] comptoir_sessions::StateError),
    #[error("cannot start the mail worker: {0}")]
    Mail(String),
    #[error("{0}")]
    Corrupt(String),
}

/// The storefront's routes and layers over `state`; sessions in `shopper_state`.
pub fn app(
    state: AppState,
    shopper_state: Arc<dyn ShortLived>,
    config: &StorefrontConfig,
) -> Router {
    let sessions = comptoir_sessions::session_layer(
        shopper_state,
        "session",
        tower_sessions::cookie::SameSite::Lax,
        config.sites.any_https(),
        config.shop.session_idle,
    );
    // Static files and the health check are outside the session layer: they never
    // read a session, so they never wait for Redis.
    let routes = Router::new().merge(pages::router()).layer(sessions);
    let routes =
        comptoir_web::with_static_files(routes, config.static_files.clone(), &config.media_dir)
            .route("/health", axum::routing::get(health))
            .route(
                "/health/live",
                axum::routing::get(comptoir_web::health::live),
            )
            .route("/health/ready", axum::routing::get(ready))
            .layer(axum::middleware::from_fn(
                comptoir_web::observe::trace_request,
            ))
            .with_state(state.clone());
    // The site layer rewrites the URI to the path within the site, so it must run
    // before routing: it wraps the routes as a whole, not each route.
    // Pages for everyone and static files arrive compressed already (made once,
    // kept); the rest (private pages, JSON) is compressed here, at a level that
    // costs little per request.
    let compression = tower_http::compression::CompressionLayer::new()
        .quality(tower_http::CompressionLevel::Precise(4));
    Router::new()
        .fallback_service(routes)
        .layer(axum::middleware::from_fn_with_state(
            state,
            layers::site_layer,
        ))
        .layer(compression)
}

/// For balancers and orchestrators: ready once the search engine answers and the
/// database and the shopper state (Redis, or the database) do, with the snapshot's
/// change-log position; the port itself opens only once the snapshot is loaded.
async fn ready(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> axum::response::Response {
    let readiness = async {
        if !state.search.is_ready().await {
            return Err("the search index is not ready".to_owned());
        }
        state
            .store
            .ping()
            .await
            .map_err(|error| format!("database: {error}"))?;
        state
            .carts
            .ping()
            .await
            .map_err(|error| format!("shopper state: {error}"))?;
        Ok(state.snapshot.load().position().0.to_string())
    };
    comptoir_web::health::ready_answer(&state.drain, readiness.await)
}

/// For load balancers: answers once the snapshot is loaded, with its change-log
/// position so operators can compare replicas.
async fn health(axum::extract::State(state): axum::extract::State<AppState>) -> String {
    format!("ok {}\n", state.snapshot.load().position().0)
}
