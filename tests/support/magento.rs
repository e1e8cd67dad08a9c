//! Magento 1.9 shops in MariaDB for the migration's tests: the fixture
//! (`data/magento19_schema.sql`, then `data/magento19.sql`) loaded into a
//! database of the test's own, dropped at the
//! end. MariaDB is found at `TEST_MARIADB_URL` (default `mysql://root@127.0.0.1:3306`);
//! without it, the tests say so loudly and pass as skipped, unless
//! `COMPTOIR_REQUIRE_MARIADB=1` (as in CI).

use sqlx::{Connection, MySqlConnection};

use crate::databases::{run_to_end, unique_suffix};

/// A migration that tells no one how it goes.
pub struct QuietMigration;

impl comptoir_magento::migration::MigrationProgress for QuietMigration {
    fn reading(&self, _: &str) {}
    fn writing(&self, _: u64, _: u64) {}
}

/// The fixture shop's tables and setup, then its data.
const FIXTURE: [&str; 2] = [
    include_str!("../data/magento19_schema.sql"),
    include_str!("../data/magento19.sql"),
];

/// A Magento database of the test's own, dropped when this is.
pub struct MagentoFixture {
    /// Its URL, as `comptoir import-magento` takes it.
    pub url: String,
    server_url: String,
    name: String,
}

impl MagentoFixture {
    /// The fixture shop, its tables named with `prefix`; `None` when MariaDB is
    /// unreachable and not required.
    pub async fn load(prefix: &str) -> Option<MagentoFixture> {
        let fixture = MagentoFixture::empty().await?;
        let mut connection = fixture.connection().await;
        for sql in FIXTURE {
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                .execute(&mut connection)
                .await
                .expect("the fixture loads");
        }
        if !prefix.is_empty() {
            let tables: Vec<(String,)> = sqlx::query_as(
                "SELECT CAST(table_name AS CHAR) FROM information_schema.tables \
                 WHERE table_schema = DATABASE()",
            )
            .fetch_all(&mut connection)
            .await
            .expect("tables are listed");
            for (table,) in tables {
                let rename = format!("RENAME TABLE `{table}` TO `{prefix}{table}`");
                sqlx::raw_sql(sqlx::AssertSqlSafe(rename))
                    .execute(&mut connection)
                    .await
                    .expect("a table is renamed");
            }
        }
        Some(fixture)
    }

    /// An empty database (not Magento's); `None` when MariaDB is unreachable and
    /// not required.
    pub async fn empty() -> Option<MagentoFixture> {
        let server_url = std::env::var("TEST_MARIADB_URL")
            .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306".to_owned());
        let mut server = match MySqlConnection::connect(&server_url).await {
            Ok(server) => server,
            Err(error) if !mariadb_required() => {
                eprintln!(
                    "\n*** SKIPPED: Magento migration test, no MariaDB at {server_url} ({error}). \
                     Set TEST_MARIADB_URL, or COMPTOIR_REQUIRE_MARIADB=1 to fail instead. ***\n"
                );
                return None;
            }
            Err(error) => {
                panic!("MariaDB is required (COMPTOIR_REQUIRE_MARIADB=1) but unreachable: {error}")
            }
        };
        let name = format!("magento_{}", unique_suffix());
        let create = format!("CREATE DATABASE `{name}` CHARACTER SET utf8");
        sqlx::raw_sql(sqlx::AssertSqlSafe(create))
            .execute(&mut server)
            .await
            .expect("a database is created");
        Some(MagentoFixture {
            url: format!("{}/{name}", server_url.trim_end_matches('/')),
            server_url,
            name,
        })
    }

    /// A connection to the shop's database, to change it as its staff would.
    pub async fn connection(&self) -> MySqlConnection {
        MySqlConnection::connect(&self.url)
            .await
            .expect("the fixture's database opens")
    }

    /// Runs `sql` on the shop's database.
    pub async fn execute(&self, sql: &str) {
        let mut connection = self.connection().await;
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
            .execute(&mut connection)
            .await
            .expect("the statement runs");
    }
}

impl Drop for MagentoFixture {
    fn drop(&mut self) {
        let (server_url, name) = (self.server_url.clone(), self.name.clone());
        run_to_end(async move {
            let mut server = MySqlConnection::connect(&server_url).await.ok()?;
            let drop = format!("DROP DATABASE IF EXISTS `{name}`");
            sqlx::raw_sql(sqlx::AssertSqlSafe(drop))
                .execute(&mut server)
                .await
                .ok()
        });
    }
}

fn mariadb_required() -> bool {
    std::env::var("COMPTOIR_REQUIRE_MARIADB").is_ok_and(|v| v == "1")
}
