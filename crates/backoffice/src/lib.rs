//! Comptoir's back office: the staff's application, a separate binary from the
//! storefront, reachable only from the private network.
//!
//! A request passes [`network::allowlist_layer`] first (clients outside the allowed
//! networks get 403 before anything else runs), then the session layer (staff
//! sessions end after a short idle time), then the [`pages::router`]. Each page
//! names the permission it needs; the staff member's role decides
//! ([`comptoir_domain::staff::Role::may`]). Every change goes through the store with
//! its audit entry in the same transaction.

mod error_page;
mod mails;
pub mod network;
mod pages;
mod product_form;
mod staff_session;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use comptoir_domain::customer::RetentionYears;
use comptoir_sessions::{DatabaseState, RedisState, ShortLived};
use comptoir_store::Store;
use comptoir_web::csrf::CsrfKey;
use tokio::sync::Notify;

pub use comptoir_web::error::HttpError;
pub use network::{ClientNetworks, NetworkError};
pub use pages::ImportJobs;

/// How the back office runs.
#[derive(Debug, Clone)]
pub struct BackofficeConfig {
    /// The address it listens on: the VPN interface's in production.
    pub bind: SocketAddr,
    /// Whether listening on every interface is acceptable (a machine reachable only
    /// from a private network).
    pub behind_private_network: bool,
    pub networks: ClientNetworks,
    /// Served over https (TLS ends at a proxy in front): Secure cookies and HSTS.
    pub https: bool,
    /// A staff session ends after this long without a request.
    pub session_idle: Duration,
    /// Redis for staff sessions; `None` keeps them in the database.
    pub redis_url: Option<comptoir_web::Secret>,
    /// The files served at `/static/` (the stylesheet, icons).
    pub static_files: Arc<comptoir_web::assets::StaticFiles>,
    /// Folder uploaded images are stored in, the one storefronts serve at
    /// `/static/media/`; the back office serves it there too, for previews.
    pub media_dir: PathBuf,
    /// How the Magento shop exports come from was set up: which site each store
    /// view feeds, whether prices include VAT.
    pub magento: comptoir_import::magento_products::MagentoSettings,
    /// Folder uploaded import files wait in between their preview and their
    /// import; files an earlier run left there are deleted at start.
    pub import_dir: PathBuf,
    /// Years an erased customer's orders stay restricted, per site, before they are
    /// masked.
    pub retention: RetentionYears,
    /// Where VERI*FACTU records go; invoices' QR codes point at its host.
    pub verifactu: comptoir_domain::invoicing::verifactu::Endpoint,
    /// How records reach AEAT; none while `verifactu` is `off`.
    pub verifactu_sending: Option<comptoir_verifactu::Sending>,
    /// Whether the server is shutting down, shared by its readiness and its `serve`.
    pub drain: comptoir_web::health::Drain,
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The system of record, the staff features with the shop's ([`comptoir_store::Store`]).
    pub store: Arc<dyn Store>,
    /// Whether the back office is served over https (Secure cookies).
    pub https: bool,
    /// Where uploaded images are written.
    pub media_dir: Arc<PathBuf>,
    /// How the Magento shop exports come from was set up.
    pub magento: Arc<comptoir_import::magento_products::MagentoSettings>,
    /// Product imports being checked, waiting for confirmation or written.
    pub imports: ImportJobs,
    /// The installation's key for the forms' tokens.
    pub csrf_key: CsrfKey,
    /// Wakes the image renderer after an upload or an import.
    pub image_renderer: Arc<Notify>,
    /// Years an erased customer's orders stay restricted, per site.
    pub retention: RetentionYears,
    /// Where VERI*FACTU records go; invoices' QR codes point at its host.
    pub verifactu: comptoir_domain::invoicing::verifactu::Endpoint,
}

impl axum::extract::FromRef<AppState> for CsrfKey {
    fn from_ref(state: &AppState) -> CsrfKey {
        state.csrf_key.clone()
    }
}

/// How often the image renderer looks for images an import or a restart left
/// without renditions (uploads and imports wake it at once).
const IMAGE_SWEEP_INTERVAL: Duration = Duration::from_secs(60);

/// Starts rendering product images in the background; what wakes it.
pub fn start_image_renderer(store: Arc<dyn Store>, media_dir: PathBuf) -> Arc<Notify> {
    let wake = Arc::new(Notify::new());
    tokio::spawn(comptoir_media::follow(
        store,
        media_dir,
        wake.clone(),
        IMAGE_SWEEP_INTERVAL,
    ));
    wake
}

/// How often orders whose restriction ended are looked for and masked.
const MASKING_INTERVAL: Duration = Duration::from_secs(3600);

/// Masks, every hour, the personal data of the erased customers' orders whose
/// retention period has ended (safe on several back offices: masking is idempotent).
pub fn start_order_masking(store: Arc<dyn Store>) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(MASKING_INTERVAL);
        loop {
            ticks.tick().await;
            match store.mask_expired_orders(chrono::Utc::now()).await {
                Ok(0) => {}
                Ok(masked) => tracing::info!(masked, "orders past their retention masked"),
                Err(error) => tracing::warn!(%error, "cannot mask orders past their retention"),
            }
        }
    });
}

/// Why the back office could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Network(#[from] NetworkError),
    #[error("cannot reach Redis for staff sessions: {0}")]
    Sessions(#[from] comptoir_sessions::StateError),
    #[error("IMPORT_DIR: cannot use {0}")]
    ImportDir(String),
    #[error(transparent)]
    Store(#[from] comptoir_store::StoreError),
}

/// Checks where it is asked to listen, connects to where sessions live, and returns
/// the app ready to serve.
pub async fn build(store: Arc<dyn Store>, config: &BackofficeConfig) -> Result<Router, StartError> {
    network::check_bind(config.bind, config.behind_private_network)?;
    let sessions: Arc<dyn ShortLived> = match &config.redis_url {
        Some(url) => Arc::new(RedisState::connect(url.expose()).await?),
        None => Arc::new(DatabaseState(store.clone())),
    };
    let csrf_key = CsrfKey::of_installation(store.as_ref()).await?;
    let image_renderer = start_image_renderer(store.clone(), config.media_dir.clone());
    start_order_masking(store.clone());
    if let Some(sending) = &config.verifactu_sending {
        sending.clone().start(store.clone());
    }
    Ok(app(
        AppState {
            store,
            https: config.https,
            media_dir: Arc::new(config.media_dir.clone()),
            magento: Arc::new(config.magento.clone()),
            imports: ImportJobs::open(config.import_dir.clone()).map_err(|error| {
                StartError::ImportDir(format!("{}: {error}", config.import_dir.display()))
            })?,
            csrf_key,
            image_renderer,
            retention: config.retention,
            verifactu: config.verifactu,
        },
        sessions,
        config,
    ))
}

/// The back office's routes and layers over `state`; sessions in `sessions`.
pub fn app(state: AppState, sessions: Arc<dyn ShortLived>, config: &BackofficeConfig) -> Router {
    let session_layer = comptoir_sessions::session_layer(
        sessions.clone(),
        "backoffice_session",
        tower_sessions::cookie::SameSite::Strict,
        config.https,
        config.session_idle,
    );
    let https = config.https;
    let drain = config.drain.clone();
    let ready = move |axum::extract::State(state): axum::extract::State<AppState>| {
        let (drain, sessions) = (drain.clone(), sessions.clone());
        async move { readiness(&state, sessions.as_ref(), &drain).await }
    };
    let routes = Router::new()
        .merge(pages::router())
        .layer(session_layer)
        .route(
            "/health/live",
            axum::routing::get(comptoir_web::health::live),
        )
        .route("/health/ready", axum::routing::get(ready));
    comptoir_web::with_static_files(routes, config.static_files.clone(), &config.media_dir)
        .layer(axum::middleware::from_fn(move |request, next| {
            pages_and_headers(https, request, next)
        }))
        .layer(axum::middleware::from_fn(
            comptoir_web::observe::trace_request,
        ))
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(config.networks.clone()),
            network::allowlist_layer,
        ))
        .with_state(state)
}

/// Ready once the database and the staff sessions' store answer, and while not
/// draining.
async fn readiness(
    state: &AppState,
    sessions: &dyn ShortLived,
    drain: &comptoir_web::health::Drain,
) -> Response {
    let reachable = async {
        state
            .store
            .ping()
            .await
            .map_err(|error| format!("database: {error}"))?;
        sessions
            .ping()
            .await
            .map_err(|error| format!("staff sessions: {error}"))?;
        Ok(String::new())
    };
    comptoir_web::health::ready_answer(drain, reachable.await)
}

/// Gives bare error statuses (from extractors, CSRF refusals, unknown paths) the
/// back office's error page, and every response the security headers.
async fn pages_and_headers(https: bool, request: Request, next: Next) -> Response {
    let mut response = error_page::with_error_page(next.run(request).await);
    let headers = response.headers_mut();
    comptoir_web::headers::add_security_headers(
        headers,
        https,
        &comptoir_web::headers::content_security_policy(None, None),
    );
    // Staff pages show customers' data: never kept by a browser or a proxy.
    headers
        .entry(axum::http::header::CACHE_CONTROL)
        .or_insert(axum::http::HeaderValue::from_static("no-store"));
    response
}
