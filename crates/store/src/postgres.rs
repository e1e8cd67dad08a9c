//! The PostgreSQL backend: the production system of record.

use std::sync::Arc;
use std::time::Duration;

use comptoir_domain::{Catalogue, Product, SiteCode};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgConnection, PgPool, Postgres, Transaction};

use crate::change_log::{CHANGE_LOG_LOCK, CatalogueChange, ChangeKind, ChangePosition};
use crate::dialect::Dialect;
use crate::flatten::{self, Table};
use crate::rows::{self, ProductQueries, fetch_product_rows, product_queries};
use crate::{CatalogueSnapshot, DatabaseUrl, Progress, Result, StoreError};

crate::dialect::impl_features!(PgStore, MIGRATOR);

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/postgres");

const ALL_PRODUCTS: ProductQueries = product_queries!("IS NOT NULL");
const NO_PRODUCTS: ProductQueries = product_queries!("IS NULL");
const SOME_PRODUCTS: ProductQueries = product_queries!("= ANY($1)");

/// Products copied per round of `COPY` statements during a catalogue replacement.
const COPY_CHUNK: usize = 5_000;

#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
    invoice_on: crate::InvoiceMoment,
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
            invoice_on: crate::InvoiceMoment::default(),
            wakeups: Arc::default(),
        })
    }

    /// The store issuing orders' invoices at `moment` (at payment by default).
    pub fn invoicing_on(self, moment: crate::InvoiceMoment) -> Self {
        PgStore {
            invoice_on: moment,
            ..self
        }
    }

    /// The connection pool, for tests that change data behind the store's back.
    pub fn raw_pool(&self) -> &PgPool {
        &self.pool
    }

    /// The migrations this backend applies, for test template fingerprints.
    pub fn migrator() -> &'static sqlx::migrate::Migrator {
        &MIGRATOR
    }
}

impl Dialect for PgStore {
    type Db = Postgres;

    const NAME: &'static str = "postgres";

    fn invoice_moment(&self) -> crate::InvoiceMoment {
        self.invoice_on
    }

    const CLAIM_DUE_MAILS_SQL: &'static str = "UPDATE outbox SET claimed_until = $2 WHERE id IN ( \
         SELECT id FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= $1 \
         AND (claimed_until IS NULL OR claimed_until < $1) \
         ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED) \
         RETURNING id, recipient, subject, body, attempts, invoice_number";

    fn pool(&self) -> &PgPool {
        &self.pool
    }

    fn change_wakeups(&self) -> Option<Arc<tokio::sync::Notify>> {
        let wake = self.wakeups.get_or_init(|| {
            let wake = Arc::new(tokio::sync::Notify::new());
            tokio::spawn(listen_for_changes(self.pool.clone(), wake.clone()));
            wake
        });
        Some(wake.clone())
    }

    async fn begin_write(&self) -> Result<Transaction<'static, Postgres>> {
        Ok(self.pool.begin().await?)
    }

    async fn begin_snapshot(&self) -> Result<Transaction<'static, Postgres>> {
        Ok(self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .await?)
    }

    /// Plans are made for each statement, as the tables are then, never kept from
    /// when they were small (a kept plan that scans a 10-row table keeps scanning it
    /// at 65 000 rows).
    async fn begin_bulk(conn: &mut PgConnection) -> Result<()> {
        sqlx::query("SET LOCAL plan_cache_mode = force_custom_plan")
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    /// Holds the change log's lock in shared mode to the commit: writers never wait
    /// for one another, only for a reader taking its exclusive turn
    /// ([`committed_changes_after`]).
    async fn append_changes(
        conn: &mut PgConnection,
        kind: ChangeKind,
        products: &[i64],
    ) -> Result<()> {
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

    async fn products_in(conn: &mut PgConnection, ids: &[i64]) -> Result<Vec<Product>> {
        let ids = ids.to_vec();
        rows::assemble_products(fetch_product_rows!(conn, SOME_PRODUCTS, &ids))
    }

    async fn next_order_number(conn: &mut PgConnection, site: SiteCode) -> Result<i64> {
        let sequence = format!("order_number_{site}");
        Ok(sqlx::query_scalar("SELECT nextval($1::regclass)")
            .bind(sequence)
            .fetch_one(&mut *conn)
            .await?)
    }

    async fn read_catalogue(&self, with_products: bool) -> Result<CatalogueSnapshot> {
        let products = if with_products {
            ALL_PRODUCTS
        } else {
            NO_PRODUCTS
        };
        // The position first, with every change up to it committed; then one snapshot
        // for the data, taken later, so it holds all those changes. A change after the
        // position that the data already holds is applied again by the reader, which
        // reloads current state: harmless.
        let position = committed_position(&self.pool).await?;
        let mut tx = self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .await?;
        let mut snapshot = rows::read_catalogue_snapshot!(&mut *tx, products);
        tx.commit().await?;
        snapshot.position = position;
        Ok(snapshot)
    }

    async fn committed_changes_after(
        &self,
        position: ChangePosition,
        limit: u32,
    ) -> Result<Vec<CatalogueChange>> {
        committed_changes_after(&self.pool, position, limit).await
    }

    async fn bulk_replace_catalogue(
        &self,
        catalogue: &Catalogue,
        progress: Progress<'_>,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        // Promotions go with the catalogue their rules name (categories, SKUs);
        // invoices, their records and their mails with the orders (a demo's, never
        // a shop's).
        sqlx::query(crate::invoicing::DROP_INVOICE_MAILS_SQL)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "TRUNCATE verifactu_records, invoice_lines, invoices, invoice_series, order_promotions, promotion_customer_uses, promotion_codes, promotion_rules, payment_attempts, order_events, order_lines, orders, url_redirects, category_redirects, product_categories, product_images, product_links, price_tiers, product_option_values, product_options, variant_choices, variant_surcharges, variants, offer_history, product_sites, product_translations, \
             products, category_translations, categories, attribute_option_labels, attribute_options, attribute_labels \
             RESTART IDENTITY",
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query(crate::invoicing::RESET_CHAIN_SQL)
            .execute(&mut *tx)
            .await?;
        // The copied rows carry their price history: the trigger that records each
        // offer change would only check every row against it. Off for this
        // transaction alone (TRUNCATE already holds the table exclusively).
        sqlx::query("ALTER TABLE product_sites DISABLE TRIGGER offer_history_on_change")
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
            "SELECT setval(pg_get_serial_sequence('product_options', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM product_options), false)",
            "SELECT setval(pg_get_serial_sequence('product_option_values', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM product_option_values), false)",
            "SELECT setval(pg_get_serial_sequence('categories', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM categories), false)",
        ] {
            sqlx::query(statement).execute(&mut *tx).await?;
        }
        sqlx::query("ALTER TABLE product_sites ENABLE TRIGGER offer_history_on_change")
            .execute(&mut *tx)
            .await?;
        Self::append_changes(&mut tx, ChangeKind::Reset, &[]).await?;
        tx.commit().await?;
        // Fresh statistics now, not at autovacuum's leisure: until then the planner
        // takes the new tables for empty and scans them whole for every product read.
        sqlx::query(
            "ANALYZE products, product_translations, product_sites, offer_history, variants, product_images, product_links, price_tiers, product_categories",
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

/// Changes after `position`, read while no writer is between appending and committing:
/// the exclusive lock waits for the writers in flight and holds new ones back for the
/// read, so every id up to the last one read is committed and none is passed over.
async fn committed_changes_after(
    pool: &PgPool,
    position: ChangePosition,
    limit: u32,
) -> Result<Vec<CatalogueChange>> {
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
