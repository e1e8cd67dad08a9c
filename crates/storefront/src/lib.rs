//! Comptoir's storefront: the four country sites, server-rendered from an in-memory
//! catalogue snapshot.
//!
//! A request flows through [`layers::site_layer`], which finds its site from the Host
//! header and path (or redirects to the canonical URL), then through the page
//! [`pages::router`], which renders from the [`snapshot`]. Nothing about a visitor is
//! kept in the replica: sessions and carts live in Redis or the database
//! ([`shopper`]), so any replica can serve any request.

pub mod config;
mod error;
mod facet_cache;
mod i18n;
mod layers;
mod mails;
mod pages;
mod search;
mod shopper;
pub mod sites;
pub mod snapshot;
mod workers;

use std::sync::Arc;

use arc_swap::ArcSwap;
use axum::Router;
use comptoir_sessions::{DatabaseState, RedisState, SessionStore, ShortLived};
use comptoir_store::Store;
use tower_sessions::{Expiry, SessionManagerLayer};

pub use config::{MailSettings, SearchSettings, ShopSettings, StorefrontConfig};
pub use error::StorefrontError;
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
    /// The system of record: stock, orders, customers.
    pub store: Arc<dyn Store>,
    /// Shoppers' carts, in Redis or the database.
    pub carts: shopper::Carts,
    /// Shipping rates, the card gateway and the other selling settings.
    pub shop: Arc<ShopSettings>,
}

/// Loads the catalogue, starts following its changes (and, for in-process search,
/// building or opening the index in the background), connects to where shopper
/// state lives, starts the background workers (mail, unpaid orders), and returns the
/// app ready to serve.
pub async fn build(store: Arc<dyn Store>, config: &StorefrontConfig) -> Result<Router, StartError> {
    let snapshot: SharedSnapshot = Arc::new(ArcSwap::from_pointee(
        snapshot::follower::load(store.as_ref()).await?,
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
        Some(url) => Arc::new(RedisState::connect(url).await?),
        None => Arc::new(DatabaseState(store.clone())),
    };
    workers::start(store.clone(), &config.shop)?;
    let state = AppState {
        snapshot,
        sites: Arc::new(config.sites.clone()),
        search,
        facet_cache: Arc::default(),
        carts: shopper::Carts::new(
            shopper_state.clone(),
            config.shop.cart_idle,
            config.sites.any_https(),
        ),
        store,
        shop: Arc::new(config.shop.clone()),
    };
    Ok(app(state, shopper_state, config))
}

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
}

/// The storefront's routes and layers over `state`; sessions in `shopper_state`.
pub fn app(
    state: AppState,
    shopper_state: Arc<dyn ShortLived>,
    config: &StorefrontConfig,
) -> Router {
    let sessions = SessionManagerLayer::new(SessionStore(shopper_state))
        .with_name("session")
        .with_http_only(true)
        .with_same_site(tower_sessions::cookie::SameSite::Lax)
        .with_secure(config.sites.any_https())
        .with_expiry(Expiry::OnInactivity(
            tower_sessions::cookie::time::Duration::try_from(config.shop.session_idle)
                .unwrap_or(tower_sessions::cookie::time::Duration::HOUR),
        ));
    // Static files and the health check are outside the session layer: they never
    // read a session, so they never wait for Redis.
    let routes = Router::new()
        .merge(pages::router())
        .layer(sessions)
        .nest_service(
            "/static/media",
            tower_http::services::ServeDir::new(&config.media_dir),
        )
        .nest_service(
            "/static",
            tower_http::services::ServeDir::new(&config.static_dir),
        )
        .route("/health", axum::routing::get(health))
        .with_state(state.clone());
    // The site layer rewrites the URI to the path within the site, so it must run
    // before routing: it wraps the routes as a whole, not each route.
    Router::new()
        .fallback_service(routes)
        .layer(axum::middleware::from_fn_with_state(
            state,
            layers::site_layer,
        ))
}

/// A `301 Moved Permanently` to `location`: the answer to every non-canonical form
/// of a page's URL.
fn moved_permanently(location: &str) -> axum::response::Response {
    use axum::response::IntoResponse;
    match axum::http::HeaderValue::try_from(location) {
        Ok(location) => (
            axum::http::StatusCode::MOVED_PERMANENTLY,
            [(axum::http::header::LOCATION, location)],
        )
            .into_response(),
        Err(_) => axum::http::StatusCode::BAD_REQUEST.into_response(),
    }
}

/// For load balancers: answers once the snapshot is loaded, with its change-log
/// position so operators can compare replicas.
async fn health(axum::extract::State(state): axum::extract::State<AppState>) -> String {
    format!("ok {}\n", state.snapshot.load().position().0)
}
