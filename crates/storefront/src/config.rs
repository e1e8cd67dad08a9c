use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use comptoir_domain::checkout::ShippingRates;
use comptoir_domain::static_base::StaticBase;
use comptoir_payments::redsys::MerchantKey;
use comptoir_web::assets::StaticFiles;

use crate::sites::SiteUrls;

/// How a storefront replica runs.
#[derive(Debug, Clone)]
pub struct StorefrontConfig {
    /// The canonical base URL of each site.
    pub sites: SiteUrls,
    /// How often the replica reads the catalogue change log.
    pub catalogue_poll_interval: Duration,
    /// The shop's own files served at `/static/` (CSS, scripts, placeholder images).
    pub static_files: Arc<StaticFiles>,
    /// Where pages point for them and for product images (`STATIC_BASE_URL`).
    pub static_base: StaticBase,
    /// Folder of the images staff upload, served at `/static/media/`.
    pub media_dir: PathBuf,
    pub search: SearchSettings,
    pub shop: ShopSettings,
    /// Whether the server is shutting down, shared by its readiness and its
    /// `serve` (`SHUTDOWN_GRACE_SECONDS`).
    pub drain: comptoir_web::health::Drain,
}

/// Where searches are answered.
#[derive(Debug, Clone)]
pub enum SearchSettings {
    /// In this process, with its index in this folder (in memory when `None`).
    InProcess { index_dir: Option<PathBuf> },
    /// By the `search` service at this base URL.
    Service { url: String },
}

/// How the shop sells: where shopper state lives, for how long, shipping, payment
/// and mail.
#[derive(Debug, Clone)]
pub struct ShopSettings {
    /// Redis for sessions and carts; `None` keeps them in the database.
    pub redis_url: Option<comptoir_web::Secret>,
    /// A session ends after this long without a request.
    pub session_idle: Duration,
    /// A cart is forgotten after this long without a change.
    pub cart_idle: Duration,
    /// A card order whose payment is still pending after this long is cancelled and
    /// its stock returned.
    pub pending_payment_timeout: Duration,
    /// A bank-transfer order still unpaid after this long is cancelled and its stock
    /// returned; its shopper is reminded a day before.
    pub bank_transfer_timeout: Duration,
    /// What one shopper may hold, so that no one takes stock off sale for free.
    pub order_limits: OrderLimits,
    pub shipping_rates: ShippingRates,
    /// The card gateway shoppers pay on.
    pub card_gateway: GatewaySettings,
    /// The account bank transfers are paid into, shown to the shopper.
    pub bank_transfer_iban: String,
    /// Where e-mails go.
    pub mail: MailSettings,
    /// Balancers whose `X-Forwarded-For` is believed (`TRUSTED_PROXIES`): limits
    /// (logins, open unpaid orders) count per client address.
    pub trusted_proxies: comptoir_web::client::TrustedProxies,
    /// An analytics script the shop adds (`ANALYTICS_SCRIPT_URL`): pages then ask
    /// for consent, and load it only once given. `None`: only strictly necessary
    /// cookies, no banner.
    pub analytics_script: Option<comptoir_web::headers::ThirdPartyScript>,
    /// Where VERI*FACTU records go; invoices' QR codes point at its host.
    pub verifactu: comptoir_domain::invoicing::verifactu::Endpoint,
    /// The VIES service that confirms business buyers' VAT numbers (`VIES_URL`).
    pub vies_url: String,
}

/// Limits on what one shopper may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderLimits {
    /// Units of one product variant in one order (and in the cart).
    pub units_per_line: u32,
    /// Open unpaid bank-transfer and cash-on-delivery orders from one client
    /// address. Card orders are bounded by their payment's expiry and not counted.
    pub open_unpaid_per_client: u32,
}

/// The card gateway: the demo's test bank, whose key is generated once per
/// installation and kept in the database (every replica signs with the same one), or
/// Redsys with the merchant's own key.
#[derive(Debug, Clone)]
pub enum GatewaySettings {
    TestBank,
    Redsys {
        /// The gateway's payment page.
        url: String,
        merchant_code: String,
        terminal: String,
        key: MerchantKey,
    },
}

/// Where e-mails go, and from whom.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// `smtp://host:port` of a relay; `None` writes `.eml` files into `folder`.
    pub smtp_url: Option<comptoir_web::Secret>,
    pub folder: PathBuf,
    /// The `From` address.
    pub sender: String,
}
