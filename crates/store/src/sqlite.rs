//! The embedded SQLite backend: a single file, no server, for a single node.
//!
//! WAL mode lets the storefront read while a write is under way; writes begin with
//! `BEGIN IMMEDIATE` so that two writers queue (within the busy timeout) instead of
//! failing when one upgrades a read transaction.

use std::path::Path;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use comptoir_domain::order::OrderNumber;
use comptoir_domain::{Catalogue, Money, Product, ProductId, SiteCode, Sku};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};

use crate::change_log::{CatalogChange, ChangeKind, ChangePosition};
use crate::flatten::{self, Cell, Table};
use crate::rows::{self, ProductQueries, fetch_product_rows, product_queries};
use crate::{
    CatalogueSnapshot, ConfirmationMail, Customer, NewCustomer, NewOrder, OrderRecord,
    OrderSummary, OutgoingMail, PlacedOrder, Progress, QueuedMail, Result, SavedAddress,
    ShippingAddress, Store, StoreError,
};
use crate::{orders, outbox};

crate::same_sql::same_sql_queries!(sqlx::SqlitePool);
crate::payments::impl_payment_store!(SqliteStore);
crate::backoffice::impl_backoffice_store!(SqliteStore, Sqlite);

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/sqlite");

const ALL_PRODUCTS: ProductQueries = product_queries!("IS NOT NULL");
const SOME_PRODUCTS: ProductQueries = product_queries!("IN (SELECT value FROM json_each($1))");

/// SQLite binds at most 32 766 parameters per statement.
const MAX_PARAMETERS: usize = 30_000;
const INSERT_CHUNK: usize = 5_000;

#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
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
        Ok(SqliteStore { pool })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub fn migrator() -> &'static sqlx::migrate::Migrator {
        &MIGRATOR
    }

    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }
}

/// Readies a transaction that writes many rows: nothing to do for SQLite, whose
/// plans follow the indexes whatever the tables' sizes.
async fn begin_bulk(_: &mut SqliteConnection) -> Result<()> {
    Ok(())
}

/// The products `ids` as stored, read on `conn` (in its transaction, if any).
async fn products_in(conn: &mut SqliteConnection, ids: &[i64]) -> Result<Vec<Product>> {
    // SQLite has no arrays: the ids go as a JSON list (`json_each`).
    let ids = format!(
        "[{}]",
        ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
    );
    rows::assemble_products(fetch_product_rows!(conn, SOME_PRODUCTS, &ids))
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
                    Cell::Null => values.push_bind(None::<i64>),
                };
            }
        });
        insert.build().execute(&mut *conn).await?;
    }
    Ok(())
}

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn migrate(&self) -> Result<()> {
        MIGRATOR.run(&self.pool).await?;
        Ok(())
    }

    async fn catalogue_is_empty(&self) -> Result<bool> {
        same_sql::catalogue_is_empty(&self.pool).await
    }

    async fn replace_catalogue(&self, catalogue: &Catalogue, progress: Progress<'_>) -> Result<()> {
        let mut tx = self.begin_write().await?;
        for table in [
            "payment_attempts",
            "order_events",
            "order_lines",
            "orders",
            "url_redirects",
            "category_redirects",
            "product_categories",
            "product_images",
            "variants",
            "product_sites",
            "product_translations",
            "products",
            "category_translations",
            "categories",
            "attribute_option_labels",
            "attribute_options",
        ] {
            sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table}")))
                .execute(&mut *tx)
                .await?;
        }
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
        append_changes(&mut tx, ChangeKind::Reset, &[]).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn load_catalogue(&self) -> Result<CatalogueSnapshot> {
        // A read transaction sees one snapshot of the WAL: the position and the
        // data agree.
        let mut tx = self.pool.begin().await?;
        let snapshot = rows::read_catalogue_snapshot!(&mut *tx, ALL_PRODUCTS);
        tx.commit().await?;
        Ok(snapshot)
    }

    async fn load_products(&self, ids: &[ProductId]) -> Result<Vec<Product>> {
        let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
        let mut tx = self.pool.begin().await?;
        let products = products_in(&mut tx, &ids).await?;
        tx.commit().await?;
        Ok(products)
    }

    async fn changes_after(
        &self,
        position: ChangePosition,
        limit: u32,
    ) -> Result<Vec<CatalogChange>> {
        // One writer at a time commits its ids in order: a plain read never skips one.
        let query = sqlx::query_as(rows::CHANGES_AFTER_SQL)
            .bind(position.0)
            .bind(i64::from(limit));
        rows::changes(query.fetch_all(&self.pool).await?)
    }

    async fn set_price(&self, product: &Sku, site: SiteCode, price: Money) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let id: Option<i64> = sqlx::query_scalar(
            "UPDATE product_sites SET price_cents = $3 \
             WHERE site = $2 AND product_id = (SELECT id FROM products WHERE sku = $1) \
             RETURNING product_id",
        )
        .bind(product.as_str())
        .bind(site.as_str())
        .bind(price.cents())
        .fetch_optional(&mut *tx)
        .await?;
        let id =
            id.ok_or_else(|| StoreError::NotFound(format!("product {product} on site {site}")))?;
        append_changes(&mut tx, ChangeKind::Price, &[id]).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_stock(&self, variant: &Sku, quantity: i32) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let id: Option<i64> = sqlx::query_scalar(
            "UPDATE variants SET stock = $2 WHERE sku = $1 RETURNING product_id",
        )
        .bind(variant.as_str())
        .bind(quantity)
        .fetch_optional(&mut *tx)
        .await?;
        let id = id.ok_or_else(|| StoreError::NotFound(format!("variant {variant}")))?;
        append_changes(&mut tx, ChangeKind::Stock, &[id]).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn ephemeral_get(&self, key: &str, now: DateTime<Utc>) -> Result<Option<Vec<u8>>> {
        same_sql::ephemeral_get(&self.pool, key, now).await
    }

    async fn ephemeral_put(
        &self,
        key: &str,
        value: &[u8],
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        same_sql::ephemeral_put(&self.pool, key, value, expires_at).await
    }

    async fn ephemeral_put_new(
        &self,
        key: &str,
        value: &[u8],
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        same_sql::ephemeral_put_new(&self.pool, key, value, expires_at, now).await
    }

    async fn ephemeral_delete(&self, key: &str) -> Result<()> {
        same_sql::ephemeral_delete(&self.pool, key).await
    }

    async fn ephemeral_purge(&self, now: DateTime<Utc>) -> Result<u64> {
        same_sql::ephemeral_purge(&self.pool, now).await
    }

    async fn installation_secret(&self, name: &str, candidate: &str) -> Result<String> {
        same_sql::installation_secret(&self.pool, name, candidate).await
    }

    async fn create_customer(&self, customer: &NewCustomer) -> Result<Option<i64>> {
        same_sql::create_customer(&self.pool, customer).await
    }

    async fn register_customer(
        &self,
        customer: &NewCustomer,
        activation: &crate::Activation<'_>,
    ) -> Result<()> {
        same_sql::register_customer(&self.pool, customer, activation).await
    }

    async fn activate_customer(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<i64>> {
        same_sql::activate_customer(&self.pool, token_hash, now).await
    }

    async fn customer_by_email(&self, email: &str) -> Result<Option<Customer>> {
        same_sql::customer_by_email(&self.pool, email).await
    }

    async fn customer(&self, id: i64) -> Result<Option<Customer>> {
        same_sql::customer(&self.pool, id).await
    }

    async fn set_password_hash(&self, customer_id: i64, hash: &str) -> Result<()> {
        same_sql::set_password_hash(&self.pool, customer_id, hash).await
    }

    async fn add_address(
        &self,
        customer_id: i64,
        address: &ShippingAddress,
        most: u32,
    ) -> Result<Option<i64>> {
        same_sql::add_address(&self.pool, customer_id, address, most).await
    }

    async fn addresses(&self, customer_id: i64) -> Result<Vec<SavedAddress>> {
        same_sql::addresses(&self.pool, customer_id).await
    }

    async fn delete_address(&self, customer_id: i64, address_id: i64) -> Result<bool> {
        same_sql::delete_address(&self.pool, customer_id, address_id).await
    }

    async fn create_password_reset(
        &self,
        customer_id: i64,
        token_hash: &str,
        expires_at: DateTime<Utc>,
        mail: &OutgoingMail,
    ) -> Result<()> {
        same_sql::create_password_reset(&self.pool, customer_id, token_hash, expires_at, mail).await
    }

    async fn reset_password(
        &self,
        token_hash: &str,
        new_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<i64>> {
        same_sql::reset_password(&self.pool, token_hash, new_hash, now).await
    }

    async fn count_in_window(
        &self,
        key: &str,
        window_ends: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<u64> {
        same_sql::count_in_window(&self.pool, key, window_ends, now).await
    }

    async fn order(&self, id: i64) -> Result<Option<OrderRecord>> {
        same_sql::order(&self.pool, id).await
    }

    async fn order_id_by_number(&self, number: &str) -> Result<Option<i64>> {
        same_sql::order_id_by_number(&self.pool, number).await
    }

    async fn order_id_by_idempotency_key(&self, key: &str) -> Result<Option<i64>> {
        same_sql::order_id_by_idempotency_key(&self.pool, key).await
    }

    async fn customer_orders(&self, customer_id: i64, limit: u32) -> Result<Vec<OrderSummary>> {
        same_sql::customer_orders(&self.pool, customer_id, limit).await
    }

    async fn enqueue_mail(&self, mail: &OutgoingMail) -> Result<i64> {
        same_sql::enqueue_mail(&self.pool, mail).await
    }

    async fn claim_due_mails(&self, now: DateTime<Utc>, limit: u32) -> Result<Vec<QueuedMail>> {
        // One statement, and SQLite writers take turns: two workers never take one mail.
        let claim = sqlx::query_as(
            "UPDATE outbox SET claimed_until = $2 WHERE id IN ( \
             SELECT id FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= $1 \
             AND (claimed_until IS NULL OR claimed_until < $1) ORDER BY id LIMIT $3) \
             RETURNING id, recipient, subject, body, attempts",
        )
        .bind(now)
        .bind(outbox::claim_until(now))
        .bind(i64::from(limit));
        Ok(claim.fetch_all(&self.pool).await?)
    }

    async fn mail_sent(&self, id: i64, at: DateTime<Utc>) -> Result<()> {
        same_sql::mail_sent(&self.pool, id, at).await
    }

    async fn mail_failed(&self, id: i64, error: &str, retry_at: DateTime<Utc>) -> Result<()> {
        same_sql::mail_failed(&self.pool, id, error, retry_at).await
    }

    async fn place_order(
        &self,
        order: &NewOrder,
        confirmation: ConfirmationMail<'_>,
    ) -> Result<PlacedOrder> {
        let mut tx = self.begin_write().await?;
        let value: i64 = sqlx::query_scalar(
            "UPDATE order_number_counters SET next = next + 1 WHERE site = $1 RETURNING next - 1",
        )
        .bind(order.site.as_str())
        .fetch_one(&mut *tx)
        .await?;
        let number = OrderNumber::new(order.site, value);
        let written = orders::write_order!(&mut *tx, order, number.as_str(), confirmation(&number));
        match written {
            Ok(Some((id, products))) => {
                append_changes(&mut tx, ChangeKind::Stock, &products).await?;
                tx.commit().await?;
                Ok(PlacedOrder {
                    id,
                    number,
                    total_cents: order.total_cents,
                    newly_placed: true,
                })
            }
            Ok(None) => {
                tx.rollback().await?;
                Ok(orders::existing_order!(&self.pool, &order.idempotency_key))
            }
            Err(error) => {
                tx.rollback().await?;
                Err(error)
            }
        }
    }
}
