use std::time::Duration;

use comptoir_domain::checkout::ShippingRates;
use comptoir_payments::redsys::MerchantKey;
use comptoir_payments::{CardGateway, GatewayKind};
use comptoir_storefront::sites::SiteUrls;
use comptoir_storefront::{MailSettings, SearchSettings, ShopSettings, StorefrontConfig};

use crate::{Backend, TestStore};

/// Redis for the PostgreSQL tests (the production pairing), at `TEST_REDIS_URL`.
pub fn test_redis_url() -> String {
    std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned())
}

/// Redsys's public test key, which the test bank signs with.
pub const TEST_GATEWAY_KEY: &str = "sq7HjrUOBfKmC576ILgskD5srU870gJ7";

/// The shop's settings in tests: Redis beside PostgreSQL, the database beside SQLite
/// (the embedded default); the test bank; mails written into the test's own folder.
pub fn shop_settings(db: &TestStore) -> ShopSettings {
    ShopSettings {
        redis_url: (db.backend == Backend::Postgres).then(test_redis_url),
        session_idle: Duration::from_secs(3600),
        cart_idle: Duration::from_secs(24 * 3600),
        pending_payment_timeout: Duration::from_secs(1800),
        shipping_rates: ShippingRates::default(),
        card_gateway: CardGateway::new(
            GatewayKind::TestBank,
            String::new(),
            "999008881".to_owned(),
            "1".to_owned(),
            MerchantKey::parse(TEST_GATEWAY_KEY).expect("the test key parses"),
        ),
        bank_transfer_iban: "ES91 2100 0418 4502 0005 1332".to_owned(),
        mail: MailSettings {
            smtp_url: None,
            folder: db.mail_dir(),
            sender: "tienda@comptoir.example".to_owned(),
        },
        trust_forwarded_for: false,
    }
}

/// The storefront, running on an ephemeral port over a test database.
pub struct TestApp {
    /// `127.0.0.1:{port}`
    pub address: String,
    pub client: reqwest::Client,
    pub db: TestStore,
}

/// Starts the real storefront on port 0 over `db`, with local site URLs, a fast
/// change-log poll and in-process search.
pub async fn spawn_app(db: TestStore) -> TestApp {
    spawn_app_with_search(db, SearchSettings::InProcess { index_dir: None }).await
}

/// [`spawn_app`] with the given search settings.
pub async fn spawn_app_with_search(db: TestStore, search: SearchSettings) -> TestApp {
    spawn_app_with(db, search, SiteUrls::local).await
}

/// [`spawn_app`] with the given search settings and site URLs (made from the app's
/// address).
pub async fn spawn_app_with(
    db: TestStore,
    search: SearchSettings,
    sites: impl FnOnce(&str) -> SiteUrls,
) -> TestApp {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("an ephemeral port");
    let address = listener.local_addr().expect("bound").to_string();
    let config = StorefrontConfig {
        sites: sites(&address),
        catalogue_poll_interval: Duration::from_millis(100),
        static_dir: concat!(env!("CARGO_MANIFEST_DIR"), "/../static").into(),
        media_dir: db.media_dir(),
        search,
        shop: shop_settings(&db),
    };
    let app = comptoir_storefront::build(db.store.clone(), &config)
        .await
        .expect("the storefront starts");
    tokio::spawn(comptoir_web::serve(listener, app));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client");
    TestApp {
        address,
        client,
        db,
    }
}

/// A page as fetched: status, headers and body.
pub struct Page {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Page {
    /// Reads a whole response.
    pub async fn read(response: reqwest::Response) -> Page {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.text().await.unwrap_or_default();
        Page {
            status,
            headers,
            body,
        }
    }

    pub fn location(&self) -> &str {
        self.headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The prices of the product cards, in page order, in cents.
    pub fn card_prices(&self) -> Vec<i64> {
        self.body
            .split("<p class=\"price\">")
            .skip(1)
            .filter_map(|card| {
                let shown = card.split("</p>").next()?;
                // A sale shows the struck regular price first: take the last amount.
                let amount = shown
                    .rsplit("<strong")
                    .next()?
                    .split('>')
                    .nth(1)?
                    .split('<')
                    .next()?;
                parse_euros(amount)
            })
            .collect()
    }
}

/// `1.234,56 €` (any locale's form) → 123456.
fn parse_euros(text: &str) -> Option<i64> {
    let digits: String = text
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == ',')
        .collect();
    let (whole, cents) = digits.split_once(',')?;
    Some(whole.parse::<i64>().ok()? * 100 + cents.parse::<i64>().ok()?)
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> Page {
        self.get_with(path, &[]).await
    }

    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Page {
        let mut request = self.client.get(self.url(path));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        Page::read(response).await
    }

    /// Waits until the search index answers (it is built in the background at start).
    pub async fn search_ready(&self) {
        let ready = self
            .eventually("/es/buscar?q=bruja", Duration::from_secs(30), |body| {
                body.contains("class=\"grid\"")
            })
            .await;
        assert!(ready, "the search index was not ready within 30 s");
    }

    /// Fetches `path` until `check` holds on its body, for at most `limit`.
    pub async fn eventually(
        &self,
        path: &str,
        limit: Duration,
        check: impl Fn(&str) -> bool,
    ) -> bool {
        let deadline = tokio::time::Instant::now() + limit;
        while tokio::time::Instant::now() < deadline {
            if check(&self.get(path).await.body) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn parses_amounts_of_every_locale() {
        assert_eq!(super::parse_euros("1.234,56\u{a0}€"), Some(123_456));
        assert_eq!(super::parse_euros("1\u{202f}234,56\u{a0}€"), Some(123_456));
        assert_eq!(super::parse_euros("0,05 €"), Some(5));
        assert_eq!(super::parse_euros("€"), None);
    }
}
