//! The back office on an ephemeral port, and staff accounts to log in with.

use std::sync::Arc;
use std::time::Duration;

use comptoir_backoffice::{BackofficeConfig, ClientNetworks};
use comptoir_domain::staff::Role;
use comptoir_sessions::{DatabaseState, RedisState, ShortLived};
use comptoir_store::{Actor, NewStaff};

use crate::{Backend, Page, Shopper, TestStore, test_redis_url};

/// A password every test staff account has.
pub const STAFF_PASSWORD: &str = "camarote-de-carnaval-7";

/// The back office, running on an ephemeral port over a test database.
pub struct TestBackoffice {
    /// `127.0.0.1:{port}`
    pub address: String,
    pub db: TestStore,
}

/// The settings of a test back office serving `networks`; staff sessions end after
/// `idle`. Parsed as the `backoffice` binary parses its own (the machine's
/// environment ignored), on an ephemeral port.
pub fn backoffice_config(networks: ClientNetworks, idle: Duration) -> BackofficeConfig {
    let cli: comptoir::config::BackofficeCli = comptoir::parse_arguments_only([
        "backoffice",
        "--bind",
        "127.0.0.1:0",
        "--static-dir",
        concat!(env!("CARGO_MANIFEST_DIR"), "/../static"),
    ]);
    let config = cli
        .backoffice
        .backoffice_config(&cli.store)
        .expect("the test settings are valid");
    BackofficeConfig {
        networks,
        session_idle: idle,
        ..config
    }
}

/// Loopback and private networks, no proxy: the defaults.
pub fn default_networks() -> ClientNetworks {
    ClientNetworks {
        allow: comptoir_web::client::Networks::parse(comptoir_backoffice::network::DEFAULT_ALLOW)
            .expect("the default networks parse"),
        trusted_proxies: Default::default(),
    }
}

/// Starts the real back office on port 0 over `db` (sessions in Redis beside
/// PostgreSQL, in the database beside SQLite).
pub async fn spawn_backoffice(db: TestStore, config: BackofficeConfig) -> TestBackoffice {
    // The test's own media folder, which its storefronts serve too.
    let config = BackofficeConfig {
        media_dir: db.media_dir(),
        import_dir: db.import_dir(),
        ..config
    };
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .expect("an ephemeral port");
    let address = listener.local_addr().expect("bound").to_string();
    let sessions: Arc<dyn ShortLived> = match db.backend {
        Backend::Postgres => Arc::new(
            RedisState::connect(&test_redis_url())
                .await
                .expect("Redis for staff sessions"),
        ),
        Backend::Sqlite => Arc::new(DatabaseState(db.store.clone())),
    };
    let state = comptoir_backoffice::AppState {
        store: db.store.clone(),
        https: false,
        media_dir: Arc::new(config.media_dir.clone()),
        magento: Arc::new(config.magento.clone()),
        imports: comptoir_backoffice::ImportJobs::open(config.import_dir.clone())
            .expect("the import folder opens"),
        csrf_key: comptoir_web::csrf::CsrfKey::of_installation(db.store.as_ref())
            .await
            .expect("the forms' key"),
        image_renderer: comptoir_backoffice::start_image_renderer(
            db.store.clone(),
            config.media_dir.clone(),
        ),
        retention: config.retention,
        verifactu: config.verifactu,
    };
    let app = comptoir_backoffice::app(state, sessions, &config);
    tokio::spawn(comptoir_web::health::serve(
        listener,
        app,
        config.drain.clone(),
    ));
    TestBackoffice { address, db }
}

impl TestBackoffice {
    /// Creates a staff account with [`STAFF_PASSWORD`], as `comptoir staff add` does.
    pub async fn add_staff(&self, email: &str, role: Role) -> i64 {
        let hash = comptoir_accounts::Password::parse(STAFF_PASSWORD)
            .and_then(|password| password.hash())
            .expect("the password hashes");
        let member = NewStaff {
            email: email.to_owned(),
            name: email.split('@').next().unwrap_or(email).to_owned(),
            role,
            password_hash: hash,
        };
        self.db
            .store
            .create_staff(&member, &Actor::command_line())
            .await
            .expect("the store answers")
            .expect("a new account")
    }

    /// A browser logged in as `email`.
    pub async fn logged_in(&self, email: &str) -> Shopper {
        let staff = Shopper::new(&self.address);
        assert_eq!(staff.get("/login").await.status, 200);
        let answer = staff
            .post("/login", &[("email", email), ("password", STAFF_PASSWORD)])
            .await;
        assert_eq!(answer.status, 303, "login of {email}: {}", answer.body);
        staff
    }
}

/// Posts a multipart form holding the file `bytes` as `field` (named `name`), with
/// the staff member's cookies and, if given, a CSRF token first.
pub async fn post_file(
    app: &TestBackoffice,
    staff: &Shopper,
    path: &str,
    (field, name): (&str, &str),
    bytes: Vec<u8>,
    token: Option<String>,
) -> Page {
    let mut form = reqwest::multipart::Form::new();
    if let Some(token) = token {
        form = form.text("csrf", token);
    }
    let form = form.part(
        field.to_owned(),
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
    );
    let cookies = format!(
        "backoffice_session={}",
        staff.cookie("backoffice_session").unwrap()
    );
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("http://{}{path}", app.address))
        .header("cookie", cookies)
        .multipart(form)
        .send()
        .await
        .unwrap();
    Page::read(response).await
}
