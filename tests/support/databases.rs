use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use comptoir_store::postgres::PgStore;
use comptoir_store::sqlite::SqliteStore;
use comptoir_store::{DatabaseUrl, Store};
use sqlx::{Connection, PgConnection};

use crate::TEST_PRODUCT_COUNT;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh database holding the test catalogue, removed when dropped.
pub struct TestStore {
    pub store: Arc<dyn Store>,
    pub backend: Backend,
    /// Where the database is: the PostgreSQL URL, or the SQLite file's URL.
    pub url: String,
    /// Settings a storefront needs to open this same database.
    pub store_config: comptoir_store::StoreConfig,
    /// Where the storefront writes this test's mails (no SMTP in tests).
    mail: tempfile::TempDir,
    /// Where this test's back office keeps uploaded import files.
    imports: tempfile::TempDir,
    /// Where the back office stores this test's uploaded images.
    media: Arc<tempfile::TempDir>,
    _cleanup: Cleanup,
}

impl TestStore {
    pub fn mail_dir(&self) -> PathBuf {
        self.mail.path().to_owned()
    }

    pub fn import_dir(&self) -> PathBuf {
        self.imports.path().to_owned()
    }

    pub fn media_dir(&self) -> PathBuf {
        self.media.path().to_owned()
    }

    /// Reads `file`, a Magento product export every row of which is right, with
    /// the default settings, and imports it.
    pub async fn import_magento(&self, file: &str) {
        let settings = comptoir_import::magento_products::MagentoSettings::default();
        let paths = self.store.category_paths().await.unwrap();
        let imported = comptoir_import::magento_products::read(file.as_bytes(), &paths, &settings)
            .unwrap()
            .all_or_nothing()
            .unwrap();
        self.store
            .import_products(&imported, &comptoir_store::Actor::command_line(), &|_| {})
            .await
            .unwrap();
    }

    /// Sets the shelf price of product `sku` on `site` as another process would:
    /// through a store of its own, so running apps learn it from the change log.
    pub async fn reprice(&self, sku: &str, site: comptoir_domain::SiteCode, cents: i64) {
        let writer = comptoir_store::open(&self.store_config)
            .await
            .expect("a second store opens");
        let sku = comptoir_domain::Sku::parse(sku).expect("a valid SKU");
        writer
            .set_price(&sku, site, comptoir_domain::Money::eur(cents))
            .await
            .expect("the price is set");
    }

    /// A variant's stock on hand, as the store has it now.
    pub async fn stock_of(&self, sku: &str) -> i32 {
        let catalogue = self.store.load_catalogue().await.unwrap().catalogue;
        catalogue
            .products
            .iter()
            .flat_map(|p| &p.variants)
            .find(|v| v.sku.as_str() == sku)
            .map(|v| v.stock)
            .unwrap_or_else(|| panic!("no variant {sku}"))
    }

    /// The first mail the mail worker writes whose content has `needle`, waiting up
    /// to 10 s for it.
    pub async fn mail_with(&self, needle: &str) -> Option<String> {
        self.mails_with(needle, 1).await.into_iter().next()
    }

    /// The mails whose content has `needle`, in the order they were written, once
    /// there are `count` of them (waiting up to 10 s; fewer if they never come).
    pub async fn mails_with(&self, needle: &str, count: usize) -> Vec<String> {
        let matching = || -> Vec<String> {
            self.mails()
                .into_iter()
                .filter(|(_, mail)| mail.contains(needle))
                .map(|(_, mail)| mail)
                .collect()
        };
        for _ in 0..100 {
            let found = matching();
            if found.len() >= count {
                return found;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        matching()
    }

    /// The mails written so far, as (file name, content), by name.
    pub fn mails(&self) -> Vec<(String, String)> {
        let mut mails: Vec<(String, String)> = std::fs::read_dir(self.mail.path())
            .map(|entries| {
                entries
                    .filter_map(|entry| {
                        let entry = entry.ok()?;
                        let content = std::fs::read_to_string(entry.path()).ok()?;
                        Some((entry.file_name().to_string_lossy().into_owned(), content))
                    })
                    .collect()
            })
            .unwrap_or_default();
        mails.sort();
        mails
    }
}

impl TestStore {
    /// A second store on the same database, with its own connections: what a second
    /// replica opens.
    pub async fn sharing(other: &TestStore) -> TestStore {
        let store: Arc<dyn Store> = match other.backend {
            Backend::Postgres => Arc::new(
                PgStore::connect(&DatabaseUrl::new(other.url.clone()), 5)
                    .await
                    .expect("the shared database connects"),
            ),
            Backend::Sqlite => Arc::new(
                SqliteStore::open(
                    std::path::Path::new(other.url.trim_start_matches("sqlite://")),
                    5,
                )
                .await
                .expect("the shared file opens"),
            ),
        };
        TestStore {
            store,
            backend: other.backend,
            url: other.url.clone(),
            store_config: other.store_config.clone(),
            mail: temporary_folder(),
            imports: temporary_folder(),
            // Servers sharing a database share the media folder too, as in production.
            media: other.media.clone(),
            _cleanup: Cleanup::Shared,
        }
    }
}

/// A folder of this test's own, removed with it.
fn temporary_folder() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

enum Cleanup {
    /// The folder of the SQLite file, deleted when dropped.
    Folder {
        _dir: tempfile::TempDir,
    },
    PostgresDatabase {
        admin_url: String,
        name: String,
    },
    /// Another handle on a database some other `TestStore` removes.
    Shared,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        if let Cleanup::PostgresDatabase { admin_url, name } = self {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            run_to_end(async move {
                let mut admin = PgConnection::connect(&admin_url).await.ok()?;
                let statement = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                sqlx::query(sqlx::AssertSqlSafe(statement))
                    .execute(&mut admin)
                    .await
                    .ok()
            });
        }
    }
}

/// Runs `work` to its end from a `Drop`, which runs inside the test's runtime and
/// cannot block it: on a thread with a runtime of its own. Its failure is ignored
/// (the database server may be gone).
pub(crate) fn run_to_end<T: Send + 'static>(
    work: impl std::future::Future<Output = Option<T>> + Send + 'static,
) {
    let done = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .ok()?;
        runtime.block_on(work)
    });
    let _ = done.join();
}

fn postgres_admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

fn postgres_required() -> bool {
    std::env::var("COMPTOIR_REQUIRE_POSTGRES").is_ok_and(|v| v == "1")
}

/// Changed whenever the seeding code writes differently what it is given (the inputs
/// themselves are hashed): a template of an older seed is then not reused.
const SEED_REVISION: u32 = 2;

/// Identifies the template's content: the migrations, the test catalogue, the sample
/// content and the seed's revision. A change to any builds a new template.
fn fingerprint(migrator: &sqlx::migrate::Migrator) -> String {
    let mut hasher = DefaultHasher::new();
    SEED_REVISION.hash(&mut hasher);
    for migration in migrator.iter() {
        migration.version.hash(&mut hasher);
        migration.checksum.hash(&mut hasher);
    }
    format!("{:?}", comptoir_demo::generate(TEST_PRODUCT_COUNT)).hash(&mut hasher);
    format!("{:?}", comptoir_demo::content::sample()).hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

pub(crate) fn unique_suffix() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        nanos
    )
}

/// Seeds a template database, and its media folder with the demo's photos and their
/// renditions (as `comptoir seed` does).
async fn seed(store: &dyn Store, media: &Path) {
    store.migrate().await.expect("migrations apply");
    let catalogue = comptoir_demo::generate(TEST_PRODUCT_COUNT);
    store
        .replace_catalogue(&catalogue, &|_| {})
        .await
        .expect("the test catalogue loads");
    let _ = std::fs::remove_dir_all(media);
    comptoir_media::demo::install(store, media)
        .await
        .expect("the demo photos are written");
    store
        .install_content(
            &comptoir_demo::content::sample(),
            &comptoir_store::Actor::command_line(),
        )
        .await
        .expect("the sample content is written");
}

/// Where a template's media folder is: beside it, built with it.
fn templates_folder() -> PathBuf {
    let templates = std::env::temp_dir().join("comptoir-test-templates");
    std::fs::create_dir_all(&templates).expect("temp dir is writable");
    templates
}

/// A test's own media folder, holding the template's files (hard links: the
/// renditions are never rewritten in place, uploads add files of their own).
fn media_from(template: &Path) -> tempfile::TempDir {
    fn link_all(from: &Path, to: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(to)?;
        for entry in std::fs::read_dir(from)? {
            let entry = entry?;
            let target = to.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                link_all(&entry.path(), &target)?;
            } else if std::fs::hard_link(entry.path(), &target).is_err() {
                std::fs::copy(entry.path(), &target)?;
            }
        }
        Ok(())
    }
    let folder = temporary_folder();
    link_all(template, folder.path()).expect("the template's media folder is copied");
    folder
}

/// A fresh database of `backend` with the test catalogue, or `None` when PostgreSQL
/// is unavailable and not required.
pub async fn fresh_store(backend: Backend) -> Option<TestStore> {
    match backend {
        Backend::Sqlite => Some(fresh_sqlite().await),
        Backend::Postgres => fresh_postgres().await,
    }
}

fn store_config(
    database_url: Option<DatabaseUrl>,
    data_dir: PathBuf,
) -> comptoir_store::StoreConfig {
    comptoir_store::StoreConfig {
        database_url,
        data_dir,
        max_connections: 5,
        connect_wait: std::time::Duration::ZERO,
        invoice_on: comptoir_store::InvoiceMoment::Paid,
    }
}

async fn fresh_sqlite() -> TestStore {
    let templates = templates_folder();
    let fingerprint = fingerprint(SqliteStore::migrator());
    let template = templates.join(format!("{fingerprint}.sqlite"));
    let template_media = templates.join(format!("{fingerprint}-media"));
    if !template.exists() || !template_media.exists() {
        // Built aside then renamed: a concurrent test never sees half a template.
        let building = templates.join(format!("building-{}.sqlite", unique_suffix()));
        let store = SqliteStore::open(&building, 1)
            .await
            .expect("template opens");
        seed(&store, &template_media).await;
        store.raw_pool().close().await;
        std::fs::rename(&building, &template).expect("template is renamed into place");
        // Templates of older migrations or catalogues are of no more use.
        for entry in std::fs::read_dir(&templates)
            .into_iter()
            .flatten()
            .flatten()
        {
            let path = entry.path();
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            let sqlite_media = name
                .as_deref()
                .is_some_and(|n| n.ends_with("-media") && !n.starts_with("comptoir_tpl_"));
            if sqlite_media && path != template_media {
                let _ = std::fs::remove_dir_all(&path);
            }
            let older = path.extension().is_some_and(|e| e == "sqlite") && path != template;
            if older
                && !path
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("building-"))
            {
                let _ = std::fs::remove_file(path);
            }
        }
    }
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("comptoir.sqlite");
    std::fs::copy(&template, &path).expect("template copies");
    let store = SqliteStore::open(&path, 5).await.expect("copy opens");
    TestStore {
        store: Arc::new(store),
        backend: Backend::Sqlite,
        url: format!("sqlite://{}", path.display()),
        store_config: store_config(None, folder.path().to_owned()),
        mail: temporary_folder(),
        imports: temporary_folder(),
        media: Arc::new(media_from(&template_media)),
        _cleanup: Cleanup::Folder { _dir: folder },
    }
}

/// An empty PostgreSQL database of the test's own (a restore's target), removed
/// when dropped; `None` when PostgreSQL is unreachable and not required.
pub struct EmptyDatabase {
    pub url: String,
    _cleanup: Cleanup,
}

pub async fn empty_postgres_database() -> Option<EmptyDatabase> {
    let admin_url = postgres_admin_url();
    let mut admin = admin_connection(&admin_url).await?;
    let name = format!("comptoir_empty_{}", unique_suffix());
    execute(&mut admin, format!("CREATE DATABASE \"{name}\"")).await;
    Some(EmptyDatabase {
        url: database_url(&admin_url, &name),
        _cleanup: Cleanup::PostgresDatabase { admin_url, name },
    })
}

/// A connection to the server's admin database; `None` (saying why) when it is
/// unreachable and not required.
async fn admin_connection(admin_url: &str) -> Option<PgConnection> {
    match PgConnection::connect(admin_url).await {
        Ok(connection) => Some(connection),
        Err(error) if !postgres_required() => {
            eprintln!(
                "\n*** SKIPPED: PostgreSQL test, no server at {} ({error}). \
                 Set TEST_DATABASE_URL, or COMPTOIR_REQUIRE_POSTGRES=1 to fail instead. ***\n",
                DatabaseUrl::new(admin_url.to_owned())
            );
            None
        }
        Err(error) => {
            panic!("PostgreSQL is required (COMPTOIR_REQUIRE_POSTGRES=1) but unreachable: {error}")
        }
    }
}

async fn fresh_postgres() -> Option<TestStore> {
    let admin_url = postgres_admin_url();
    let mut admin = admin_connection(&admin_url).await?;
    let template = format!("comptoir_tpl_{}", fingerprint(PgStore::migrator()));
    let template_media = templates_folder().join(format!("{template}-media"));
    // Serialise template builds across test processes.
    sqlx::query("SELECT pg_advisory_lock(7242)")
        .execute(&mut admin)
        .await
        .expect("lock");
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(&template)
            .fetch_one(&mut admin)
            .await
            .expect("pg_database is readable");
    if exists && !template_media.exists() {
        // A template whose photos were cleaned away is rebuilt with them.
        execute(
            &mut admin,
            format!("DROP DATABASE \"{template}\" WITH (FORCE)"),
        )
        .await;
    }
    if !exists || !template_media.exists() {
        let building = format!("comptoir_building_{}", unique_suffix());
        execute(&mut admin, format!("CREATE DATABASE \"{building}\"")).await;
        let store = PgStore::connect(&DatabaseUrl::new(database_url(&admin_url, &building)), 2)
            .await
            .expect("template database connects");
        seed(&store, &template_media).await;
        store.raw_pool().close().await;
        execute(
            &mut admin,
            format!("ALTER DATABASE \"{building}\" RENAME TO \"{template}\""),
        )
        .await;
        // Templates of older migrations or catalogues are of no more use.
        let stale: Vec<String> = sqlx::query_scalar(
            "SELECT datname FROM pg_database WHERE datname LIKE 'comptoir\\_tpl\\_%' AND datname <> $1",
        )
        .bind(&template)
        .fetch_all(&mut admin)
        .await
        .expect("pg_database is readable");
        for name in stale {
            let _ = std::fs::remove_dir_all(templates_folder().join(format!("{name}-media")));
            execute(
                &mut admin,
                format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
            )
            .await;
        }
    }
    sqlx::query("SELECT pg_advisory_unlock(7242)")
        .execute(&mut admin)
        .await
        .expect("unlock");
    let name = format!("comptoir_test_{}", unique_suffix());
    execute(
        &mut admin,
        format!("CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""),
    )
    .await;
    let url = database_url(&admin_url, &name);
    // Tests share one Redis, where a customer's cart is kept by customer id: each
    // test database numbers its customers from a point of its own, so one test
    // never finds another's cart.
    let first_customer = {
        use std::hash::{BuildHasher, RandomState};
        RandomState::new().hash_one(&name) % 1_000_000_000_000 + 1
    };
    let mut database = PgConnection::connect(&url)
        .await
        .expect("test database connects");
    execute(
        &mut database,
        format!("ALTER TABLE customers ALTER COLUMN id RESTART WITH {first_customer}"),
    )
    .await;
    database.close().await.expect("the connection closes");
    let store = PgStore::connect(&DatabaseUrl::new(url.clone()), 5)
        .await
        .expect("test database connects");
    Some(TestStore {
        store: Arc::new(store),
        backend: Backend::Postgres,
        store_config: store_config(Some(DatabaseUrl::new(url.clone())), std::env::temp_dir()),
        url,
        mail: temporary_folder(),
        imports: temporary_folder(),
        media: Arc::new(media_from(&template_media)),
        _cleanup: Cleanup::PostgresDatabase { admin_url, name },
    })
}

async fn execute(connection: &mut PgConnection, statement: String) {
    sqlx::query(sqlx::AssertSqlSafe(statement.clone()))
        .execute(connection)
        .await
        .unwrap_or_else(|e| panic!("{statement}: {e}"));
}

/// The admin URL with its database name replaced.
fn database_url(admin_url: &str, database: &str) -> String {
    let without_query = admin_url.split('?').next().unwrap_or(admin_url);
    let base = without_query
        .rsplit_once('/')
        .map_or(without_query, |(base, _)| base);
    format!("{base}/{database}")
}
