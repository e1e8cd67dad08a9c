//! The PostgreSQL backend: the production system of record.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use comptoir_domain::order::OrderNumber;
use comptoir_domain::{Catalogue, Money, Product, ProductId, SiteCode, Sku};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgConnection, PgPool};

use crate::change_log::{CHANGE_LOG_LOCK, CatalogChange, ChangeKind, ChangePosition};
use crate::flatten::{self, Table};
use crate::rows::{self, ProductQueries, fetch_product_rows, product_queries};
use crate::{
    CatalogueSnapshot, ConfirmationMail, Customer, DatabaseUrl, NewCustomer, NewOrder, OrderRecord,
    OrderSummary, OutgoingMail, PlacedOrder, Progress, QueuedMail, Result, SavedAddress,
    ShippingAddress, Store, StoreError,
};
use crate::{orders, outbox};

crate::same_sql::same_sql_queries!(sqlx::PgPool);
crate::payments::impl_payment_store!(PgStore);
crate::backoffice::impl_backoffice_store!(PgStore, sqlx::Postgres);

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/postgres");

const ALL_PRODUCTS: ProductQueries = product_queries!("IS NOT NULL");
const SOME_PRODUCTS: ProductQueries = product_queries!("= ANY($1)");

/// Products copied per round of `COPY` statements during a catalogue replacement.
const COPY_CHUNK: usize = 5_000;

#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
    /// Rung by [`listen_for_changes`], started by the first follower that asks.
    wakeups: Arc<std::sync::OnceLock<Arc<tokio::sync::Notify>>>,
}

/// The channel migration 0013 notifies on when the change log grows.
const CHANGE_CHANNEL: &str = "catalog_changes";

/// Listens to [`CHANGE_CHANNEL`] on a connection of its own and rings `wake` at each
/// notification, forever; reconnects after a failure (logged once per outage).
async fn listen_for_changes(pool: PgPool, wake: Arc<tokio::sync::Notify>) {
    let mut failing = false;
    loop {
        let heard: std::result::Result<std::convert::Infallible, sqlx::Error> = async {
            let mut listener = sqlx::postgres::PgListener::connect_with(&pool).await?;
            listener.listen(CHANGE_CHANNEL).await?;
            loop {
                listener.recv().await?;
                wake.notify_waiters();
            }
        }
        .await;
        let Err(error) = heard;
        if !failing {
            tracing::warn!(%error, "change-log wake-ups lost; followers poll alone until they are back");
            failing = true;
        }
        tokio::time::sleep(Duration::from_secs(5)).await;
    }
}

impl PgStore {
    /// Connects, failing within a few seconds with the (redacted) URL when the
    /// server cannot be reached.
    pub async fn connect(url: &DatabaseUrl, max_connections: u32) -> Result<Self> {
        let connect_error = |source| StoreError::Connect {
            url: url.clone(),
            source,
        };
        let options: PgConnectOptions = url.expose().parse().map_err(connect_error)?;
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await
            .map_err(connect_error)?;
        Ok(PgStore {
            pool,
            wakeups: Arc::default(),
        })
    }

    /// The connection pool, for tests that change data behind the store's back.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// The migrations this backend applies, for test template fingerprints.
    pub fn migrator() -> &'static sqlx::migrate::Migrator {
        &MIGRATOR
    }

    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>> {
        Ok(self.pool.begin().await?)
    }
}

/// Appends to the change log, in commit order (see [`crate::change_log`]).
/// Writes changes in the caller's transaction, holding the change log's lock in
/// shared mode to its commit: writers never wait for one another, only for a reader
/// taking its exclusive turn ([`committed_changes_after`]).
/// Readies a transaction that writes many rows into tables it makes grow: plans are
/// made for each statement, as the tables are then, never kept from when they were
/// small (a kept plan that scans a 10-row table keeps scanning it at 65 000 rows).
async fn begin_bulk(conn: &mut PgConnection) -> Result<()> {
    sqlx::query("SET LOCAL plan_cache_mode = force_custom_plan")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The products `ids` as stored, read on `conn` (in its transaction, if any).
async fn products_in(conn: &mut PgConnection, ids: &[i64]) -> Result<Vec<Product>> {
    let ids = ids.to_vec();
    rows::assemble_products(fetch_product_rows!(conn, SOME_PRODUCTS, &ids))
}

async fn append_changes(conn: &mut PgConnection, kind: ChangeKind, products: &[i64]) -> Result<()> {
    sqlx::query("SELECT pg_advisory_xact_lock_shared($1)")
        .bind(CHANGE_LOG_LOCK)
        .execute(&mut *conn)
        .await?;
    if products.is_empty() {
        sqlx::query("INSERT INTO catalog_changes (kind) VALUES ($1)")
            .bind(kind.as_str())
            .execute(&mut *conn)
            .await?;
    } else {
        sqlx::query(
            "INSERT INTO catalog_changes (kind, product_id) SELECT $1, unnest($2::bigint[])",
        )
        .bind(kind.as_str())
        .bind(products)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

#[async_trait]
impl Store for PgStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    fn change_wakeups(&self) -> Option<Arc<tokio::sync::Notify>> {
        let wake = self.wakeups.get_or_init(|| {
            let wake = Arc::new(tokio::sync::Notify::new());
            tokio::spawn(listen_for_changes(self.pool.clone(), wake.clone()));
            wake
        });
        Some(wake.clone())
    }

    async fn migrate(&self) -> Result<()> {
        MIGRATOR.run(&self.pool).await?;
        Ok(())
    }

    async fn catalogue_is_empty(&self) -> Result<bool> {
        same_sql::catalogue_is_empty(&self.pool).await
    }

    async fn replace_catalogue(&self, catalogue: &Catalogue, progress: Progress<'_>) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "TRUNCATE payment_attempts, order_events, order_lines, orders, url_redirects, category_redirects, product_categories, product_images, variants, product_sites, product_translations, \
             products, category_translations, categories, attribute_option_labels, attribute_options \
             RESTART IDENTITY",
        )
        .execute(&mut *tx)
        .await?;
        for table in flatten::structure_tables(catalogue) {
            copy(&mut tx, &table).await?;
        }
        let mut stored = 0;
        for chunk in catalogue.products.chunks(COPY_CHUNK) {
            for table in flatten::product_tables(chunk) {
                copy(&mut tx, &table).await?;
            }
            stored += chunk.len() as u64;
            progress(stored);
        }
        // Rows were copied with their ids: move the identity sequences past them.
        for statement in [
            "SELECT setval(pg_get_serial_sequence('products', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM products), false)",
            "SELECT setval(pg_get_serial_sequence('variants', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM variants), false)",
            "SELECT setval(pg_get_serial_sequence('categories', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM categories), false)",
        ] {
            sqlx::query(statement).execute(&mut *tx).await?;
        }
        append_changes(&mut tx, ChangeKind::Reset, &[]).await?;
        tx.commit().await?;
        // Fresh statistics now, not at autovacuum's leisure: until then the planner
        // takes the new tables for empty and scans them whole for every product read.
        sqlx::query(
            "ANALYZE products, product_translations, product_sites, variants, product_images, product_categories",
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn load_catalogue(&self) -> Result<CatalogueSnapshot> {
        // The position first, with every change up to it committed; then one snapshot
        // for the data, taken later, so it holds all those changes. A change after the
        // position that the data already holds is applied again by the reader, which
        // reloads current state: harmless.
        let position = committed_position(&self.pool).await?;
        let mut tx = self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .await?;
        let mut snapshot = rows::read_catalogue_snapshot!(&mut *tx, ALL_PRODUCTS);
        tx.commit().await?;
        snapshot.position = position;
        Ok(snapshot)
    }

    async fn load_products(&self, ids: &[ProductId]) -> Result<Vec<Product>> {
        let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
        let mut tx = self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .await?;
        let products = products_in(&mut tx, &ids).await?;
        tx.commit().await?;
        Ok(products)
    }

    async fn changes_after(
        &self,
        position: ChangePosition,
        limit: u32,
    ) -> Result<Vec<CatalogChange>> {
        committed_changes_after(&self.pool, position, limit).await
    }

    async fn set_price(&self, product: &Sku, site: SiteCode, price: Money) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let id: Option<i64> = sqlx::query_scalar(
            "UPDATE product_sites SET price_cents = $3 FROM products \
             WHERE products.id = product_sites.product_id AND products.sku = $1 AND site = $2 \
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
        let mut tx = self.pool.begin().await?;
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
        // SKIP LOCKED: concurrent workers take different mails without waiting.
        let claim = sqlx::query_as(
            "UPDATE outbox SET claimed_until = $2 WHERE id IN ( \
             SELECT id FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= $1 \
             AND (claimed_until IS NULL OR claimed_until < $1) \
             ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED) \
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
        let mut tx = self.pool.begin().await?;
        let sequence = format!("order_number_{}", order.site);
        let value: i64 = sqlx::query_scalar("SELECT nextval($1::regclass)")
            .bind(sequence)
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

/// Changes after `position`, read while no writer is between appending and committing:
/// the exclusive lock waits for the writers in flight and holds new ones back for the
/// read, so every id up to the last one read is committed and none is passed over.
async fn committed_changes_after(
    pool: &PgPool,
    position: ChangePosition,
    limit: u32,
) -> Result<Vec<CatalogChange>> {
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(CHANGE_LOG_LOCK)
        .execute(&mut *tx)
        .await?;
    let rows = sqlx::query_as(rows::CHANGES_AFTER_SQL)
        .bind(position.0)
        .bind(i64::from(limit))
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    rows::changes(rows)
}

/// The last change id whose predecessors are all committed, read like
/// [`committed_changes_after`].
async fn committed_position(pool: &PgPool) -> Result<ChangePosition> {
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(CHANGE_LOG_LOCK)
        .execute(&mut *tx)
        .await?;
    let position: i64 = sqlx::query_scalar(rows::LAST_CHANGE_SQL)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(ChangePosition(position))
}

/// Streams a table's rows with `COPY ... FROM STDIN` in CSV form.
async fn copy(conn: &mut PgConnection, table: &Table<'_>) -> Result<()> {
    let statement = format!(
        "COPY {} ({}) FROM STDIN (FORMAT csv)",
        table.name,
        table.columns.join(", ")
    );
    let mut copy_in = conn.copy_in_raw(&statement).await?;
    copy_in.send(table.to_csv().into_bytes()).await?;
    copy_in.finish().await?;
    Ok(())
}
