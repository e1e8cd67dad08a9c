//! Reads a running Magento 1.x shop (CE 1.4 to 1.9) straight from its MySQL or
//! MariaDB database, for `comptoir import-magento`. Read only: one connection,
//! one read-only transaction with a consistent snapshot (the shop may keep
//! selling while it is read), `SELECT` only.
//!
//! Products go through the same reader as Magento's CSV export: the database's
//! products are written as the export would write them ([`products`]) and read
//! by `comptoir_import::magento_products`, so that both ways map SKUs, options,
//! URL keys, stock settings and prices alike. What an export lacks (the category
//! tree's translations, every old URL, CMS pages, customers' addresses) is read
//! here and added to its records.

pub mod categories;
pub mod cms;
pub mod customers;
mod eav;
pub mod migration;
pub mod newsletter;
pub mod orders;
mod php;
pub mod products;
pub mod report;
pub mod salesrules;
mod schema;
pub mod shop;
pub mod stores;
pub mod url_rewrites;

use std::str::FromStr;

use sqlx::mysql::{MySqlConnectOptions, MySqlConnection};
use sqlx::{ConnectOptions, Connection};

pub use report::{Problem, Report};
pub use schema::Tables;

/// Why a Magento database cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum MagentoError {
    #[error("'{0}' is not a MySQL URL (mysql://user:password@host:3306/magento)")]
    NotAUrl(String),
    #[error("cannot reach the Magento database '{database}' on {host}: {cause}")]
    Unreachable {
        host: String,
        database: String,
        cause: sqlx::Error,
    },
    #[error(
        "not a Magento 1.x database: it lacks the table{} {}",
        if .0.len() > 1 { "s" } else { "" },
        .0.join(", ")
    )]
    NotMagento(Vec<String>),
    #[error("{0}")]
    Stores(String),
    #[error("the products read could not be read as an export: {0}")]
    Export(#[from] comptoir_import::FileError),
    #[error("reading {table}: {cause}")]
    Query { table: String, cause: sqlx::Error },
}

/// A read-only session on a Magento database, its tables named with the
/// install's prefix.
pub struct MagentoDb {
    connection: MySqlConnection,
    tables: Tables,
}

impl MagentoDb {
    /// Connects, starts a read-only transaction with a consistent snapshot, and
    /// checks that the database has Magento 1.x's tables.
    pub async fn connect(url: &str, table_prefix: &str) -> Result<MagentoDb, MagentoError> {
        let options = MySqlConnectOptions::from_str(url)
            .map_err(|_| MagentoError::NotAUrl(redacted(url)))?
            // Magento's own setting; text the server converts to UTF-8.
            .charset("utf8mb4");
        let unreachable = |cause| MagentoError::Unreachable {
            host: format!("{}:{}", options.get_host(), options.get_port()),
            database: options.get_database().unwrap_or_default().to_owned(),
            cause,
        };
        let mut connection = options.connect().await.map_err(unreachable)?;
        for statement in [
            "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ",
            "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY",
        ] {
            sqlx::raw_sql(statement)
                .execute(&mut connection)
                .await
                .map_err(unreachable)?;
        }
        let tables = Tables::check(&mut connection, table_prefix).await?;
        Ok(MagentoDb { connection, tables })
    }

    /// Ends the read-only transaction and the connection.
    pub async fn close(mut self) {
        // Nothing was written: the end of the snapshot cannot fail in a way that
        // matters, and the connection is closed either way.
        let _ = sqlx::raw_sql("ROLLBACK")
            .execute(&mut self.connection)
            .await;
        let _ = self.connection.close().await;
    }

    /// The tables this install has.
    pub fn tables(&self) -> &Tables {
        &self.tables
    }

    /// Runs `sql` and returns its rows, its failure naming `table`. The SQL is
    /// ours, with table names from [`Tables::name`] and no value from outside.
    pub(crate) async fn rows<T>(&mut self, table: &str, sql: &str) -> Result<Vec<T>, MagentoError>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::mysql::MySqlRow> + Send + Unpin,
    {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.to_owned()))
            .fetch_all(&mut self.connection)
            .await
            .map_err(|cause| MagentoError::Query {
                table: table.to_owned(),
                cause,
            })
    }
}

/// `url` without its password, for messages.
fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{}{user}:…{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}

/// Rows of (key, value) as each key's values, in row order.
pub(crate) fn grouped<K: std::hash::Hash + Eq, V>(
    rows: impl IntoIterator<Item = (K, V)>,
) -> std::collections::HashMap<K, Vec<V>> {
    let mut groups: std::collections::HashMap<K, Vec<V>> = std::collections::HashMap::new();
    for (key, value) in rows {
        groups.entry(key).or_default().push(value);
    }
    groups
}

/// Text where a byte that is not UTF-8 spoils only itself (codes, names shown to
/// staff), none for NULL.
pub(crate) fn lossy(bytes: Option<&[u8]>) -> String {
    String::from_utf8_lossy(bytes.unwrap_or_default()).into_owned()
}

/// Text read from the database as bytes: Magento's tables are UTF-8, but old
/// installs left some in latin1 with UTF-8 bytes in them, or worse.
pub(crate) fn text(bytes: Option<Vec<u8>>) -> Result<String, Vec<u8>> {
    String::from_utf8(bytes.unwrap_or_default()).map_err(|e| e.into_bytes())
}

/// A MySQL timestamp (`2025-10-20 17:45:00`, UTC as Magento stores them); the
/// zero date is none.
pub(crate) fn timestamp(text: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
        .ok()
        .map(|at| at.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_utc_and_the_zero_date_is_none() {
        assert_eq!(
            timestamp("2025-10-20 17:45:00").unwrap().to_rfc3339(),
            "2025-10-20T17:45:00+00:00"
        );
        assert_eq!(timestamp("0000-00-00 00:00:00"), None);
    }

    #[test]
    fn a_url_is_shown_without_its_password() {
        assert_eq!(
            redacted("mysql://shop:s3cret@db.example:3306/magento"),
            "mysql://shop:…@db.example:3306/magento"
        );
        assert_eq!(redacted("mysql://db/magento"), "mysql://db/magento");
    }

    #[test]
    fn text_that_is_not_utf8_is_told_apart() {
        assert_eq!(text(Some(b"Sorci\xC3\xA8re".to_vec())).unwrap(), "Sorcière");
        assert_eq!(text(None).unwrap(), "");
        assert!(text(Some(b"M\xE1scara".to_vec())).is_err());
    }
}
