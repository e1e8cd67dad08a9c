//! Test support: fresh databases of both backends, each a copy of a migrated template
//! seeded with a small demo catalogue, and the storefront on an ephemeral port.
//!
//! PostgreSQL is found at `TEST_DATABASE_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`). Without it, PostgreSQL tests say so
//! loudly and pass as skipped, unless `COMPTOIR_REQUIRE_POSTGRES=1` (as in CI), where
//! they fail.

mod aeat;
mod backoffice;
mod browser;
mod databases;
mod head;
mod magento;
mod orders;
mod promotions;
mod shopper;
mod spawn;
mod vies;

pub use aeat::{CERTIFICATE_PASSWORD, Received, Script, StandInAeat};
pub use backoffice::{
    STAFF_PASSWORD, TestBackoffice, backoffice_config, default_networks, post_file,
    spawn_backoffice,
};
pub use browser::Browser;
pub use databases::{Backend, EmptyDatabase, TestStore, empty_postgres_database, fresh_store};
pub use head::Head;
pub use magento::{MagentoFixture, QuietMigration};
pub use orders::{paid, refunded, shipped_to_the_canaries, test_order, transfer};
pub use promotions::coded_promotion;
pub use shopper::Shopper;
pub use spawn::{
    Page, TestApp, spawn_app, spawn_app_configured, spawn_app_with, spawn_app_with_search,
    test_bank_key, test_redis_url,
};
pub use vies::StandInVies;

/// Products in the test catalogue: enough for pagination and every category.
pub const TEST_PRODUCT_COUNT: usize = 2_000;

/// Runs each named test body (an `async fn(TestStore)` beside the macro call) once
/// per backend, as `name::sqlite` and `name::postgres`. An unavailable PostgreSQL is
/// skipped loudly, unless CI requires it.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    if let Some(store) = $crate::fresh_store($crate::Backend::Sqlite).await {
                        super::$name(store).await;
                    }
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(store) = $crate::fresh_store($crate::Backend::Postgres).await {
                        super::$name(store).await;
                    }
                }
            }
        )+
    };
}
