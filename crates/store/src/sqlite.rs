//! The embedded SQLite backend: a single file, no server, for a single node.
//!
//! WAL mode lets the storefront read while a write is under way; writes begin with
//! `BEGIN IMMEDIATE` so that two writers queue (within the busy timeout) instead of
//! failing when one upgrades a read transaction.

use std::path::Path;
use std::time::Duration;

use comptoir_domain::{Catalogue, Product, SiteCode};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool, Transaction};

use crate::change_log::{CatalogueChange, ChangeKind, ChangePosition};
use crate::dialect::Dialect;
use crate::flatten::{self, Cell, Table};
use crate::rows::{self, ProductQueries, fetch_product_rows, product_queries};
use crate::{CatalogueSnapshot, Progress, Result, StoreError};

crate::dialect::impl_features!(SqliteStore, MIGRATOR);

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/sqlite");

const ALL_PRODUCTS: ProductQueries = product_queries!("IS NOT NULL");
const NO_PRODUCTS: ProductQueries = product_queries!("IS NULL");
const SOME_PRODUCTS: ProductQueries = product_queries!("IN (SELECT value FROM json_each($1))");

/// SQLite binds at most 32 766 parameters per statement.
const MAX_PARAMETERS: usize = 30_000;
const INSERT_CHUNK: usize = 5_000;

#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    invoice_on: crate::InvoiceMoment,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file at `path`.
    pub async fn open(path: &Path, max_connections: u32) -> Result<Self> {
        let open_error = |source: Box<dyn std::error::Error + Send + Sync>| StoreError::Open {
            path: path.to_owned(),
            source,
        };
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).map_err(|e| open_error(e.into()))?;
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(max_connections)
            .connect_with(options)
            .await
            .map_err(|e| open_error(e.into()))?;
        Ok(SqliteStore {
            pool,
            invoice_on: crate::InvoiceMoment::default(),
        })
    }

    /// The store issuing orders' invoices at `moment` (at payment by default).
    pub fn invoicing_on(self, moment: crate::InvoiceMoment) -> Self {
        SqliteStore {
            invoice_on: moment,
            ..self
        }
    }

    /// The connection pool, for tests that change data behind the store's back.
    pub fn raw_pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub fn migrator() -> &'static sqlx::migrate::Migrator {
        &MIGRATOR
    }
}

impl Dialect for SqliteStore {
    type Db = Sqlite;

    const NAME: &'static str = "sqlite";

    fn invoice_moment(&self) -> crate::InvoiceMoment {
        self.invoice_on
    }

    const CLAIM_DUE_MAILS_SQL: &'static str = "UPDATE outbox SET claimed_until = $2 WHERE id IN ( \
         SELECT id FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= $1 \
         AND (claimed_until IS NULL OR claimed_until < $1) ORDER BY id LIMIT $3) \
         RETURNING id, recipient, subject, body, attempts, invoice_number";

    fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// A read transaction sees one snapshot of the WAL.
    async fn begin_snapshot(&self) -> Result<Transaction<'static, Sqlite>> {
        Ok(self.pool.begin().await?)
    }

    /// Nothing to do for SQLite, whose plans follow the indexes whatever the tables'
    /// sizes.
    async fn begin_bulk(_: &mut SqliteConnection) -> Result<()> {
        Ok(())
    }

    async fn append_changes(
        conn: &mut SqliteConnection,
        kind: ChangeKind,
        products: &[i64],
    ) -> Result<()> {
        if products.is_empty() {
            sqlx::query("INSERT INTO catalog_changes (kind) VALUES ($1)")
                .bind(kind.as_str())
                .execute(&mut *conn)
                .await?;
        }
        for product in products {
            sqlx::query("INSERT INTO catalog_changes (kind, product_id) VALUES ($1, $2)")
                .bind(kind.as_str())
                .bind(product)
                .execute(&mut *conn)
                .await?;
        }
        Ok(())
    }

    async fn products_in(conn: &mut SqliteConnection, ids: &[i64]) -> Result<Vec<Product>> {
        // SQLite has no arrays: the ids go as a JSON list (`json_each`).
        let ids = format!(
            "[{}]",
            ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
        );
        rows::assemble_products(fetch_product_rows!(conn, SOME_PRODUCTS, &ids))
    }

    async fn next_order_number(conn: &mut SqliteConnection, site: SiteCode) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "UPDATE order_number_counters SET next = next + 1 WHERE site = $1 RETURNING next - 1",
        )
        .bind(site.as_str())
        .fetch_one(&mut *conn)
        .await?)
    }

    async fn read_catalogue(&self, with_products: bool) -> Result<CatalogueSnapshot> {
        let products = if with_products {
            ALL_PRODUCTS
        } else {
            NO_PRODUCTS
        };
        // A read transaction sees one snapshot of the WAL: the position and the
        // data agree.
        let mut tx = self.pool.begin().await?;
        let snapshot = rows::read_catalogue_snapshot!(&mut *tx, products);
        tx.commit().await?;
        Ok(snapshot)
    }

    async fn committed_changes_after(
        &self,
        position: ChangePosition,
        limit: u32,
    ) -> Result<Vec<CatalogueChange>> {
        // One writer at a time commits its ids in order: a plain read never skips one.
        let query = sqlx::query_as(rows::CHANGES_AFTER_SQL)
            .bind(position.0)
            .bind(i64::from(limit));
        rows::changes(query.fetch_all(&self.pool).await?)
    }

    async fn bulk_replace_catalogue(
        &self,
        catalogue: &Catalogue,
        progress: Progress<'_>,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        // Promotions go with the catalogue their rules name (categories, SKUs);
        // invoices, their records and their mails with the orders (a demo's, never
        // a shop's).
        sqlx::query(crate::invoicing::DROP_INVOICE_MAILS_SQL)
            .execute(&mut *tx)
            .await?;
        for table in [
            "verifactu_records",
            "invoice_lines",
            "invoices",
            "invoice_series",
            "order_promotions",
            "promotion_customer_uses",
            "promotion_codes",
            "promotion_rules",
            "payment_attempts",
            "order_events",
            "order_lines",
            "orders",
            "url_redirects",
            "category_redirects",
            "product_categories",
            "product_images",
            "product_links",
            "price_tiers",
            "product_option_values",
            "product_options",
            "variant_choices",
            "variant_surcharges",
            "variants",
            "offer_history",
            "product_sites",
            "product_translations",
            "products",
            "category_translations",
            "categories",
            "attribute_option_labels",
            "attribute_options",
            "attribute_labels",
        ] {
            sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table}")))
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(crate::invoicing::RESET_CHAIN_SQL)
            .execute(&mut *tx)
            .await?;
        for table in flatten::structure_tables(catalogue) {
            insert(&mut tx, &table).await?;
        }
        let mut stored = 0;
        for chunk in catalogue.products.chunks(INSERT_CHUNK) {
            for table in flatten::product_tables(chunk) {
                insert(&mut tx, &table).await?;
            }
            stored += chunk.len() as u64;
            progress(stored);
        }
        Self::append_changes(&mut tx, ChangeKind::Reset, &[]).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Inserts a table's rows in multi-row `INSERT` statements.
async fn insert(conn: &mut SqliteConnection, table: &Table<'_>) -> Result<()> {
    let rows_per_statement = MAX_PARAMETERS / table.columns.len();
    for batch in table.rows.chunks(rows_per_statement) {
        let mut insert = QueryBuilder::<Sqlite>::new(format!(
            "INSERT INTO {} ({}) ",
            table.name,
            table.columns.join(", ")
        ));
        insert.push_values(batch, |mut values, row| {
            for cell in row {
                match cell {
                    Cell::Int(n) => values.push_bind(*n),
                    Cell::Bool(b) => values.push_bind(*b),
                    Cell::Text(text) => values.push_bind(text.to_string()),
                    Cell::Time(time) => values.push_bind(*time),
                    Cell::Day(day) => values.push_bind(*day),
                    Cell::Null => values.push_bind(None::<i64>),
                };
            }
        });
        insert.build().execute(&mut *conn).await?;
    }
    Ok(())
}
