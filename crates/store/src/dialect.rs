//! What differs between PostgreSQL and SQLite, named in one place.
//!
//! Every feature of the store (`customers`, `orders`, `staff`...) writes its SQL once,
//! against this trait: a feature's `impl_*!` macro writes `impl Feature for $store`
//! for each backend, and its bodies reach the backend only through these methods and
//! the concrete types they name. Each backend implements the trait once
//! (`postgres.rs`, `sqlite.rs`).
//!
//! The `where` clauses are the column types both backends bind and read; they let
//! the provided methods (helpers several features share) be written once.

use chrono::{DateTime, Utc};
use comptoir_domain::{Product, SiteCode};
use sqlx::{Database, Decode, Encode, Executor, IntoArguments, Pool, Transaction, Type};

use crate::change_log::{CatalogueChange, ChangeKind, ChangePosition};
use crate::staff::Actor;
use crate::{CatalogueSnapshot, OutgoingMail, Result};

/// The connection a backend's transactions run on.
pub(crate) type Connection<D> = <<D as Dialect>::Db as Database>::Connection;

pub(crate) trait Dialect: Sync
where
    for<'c> &'c mut Connection<Self>: Executor<'c, Database = Self::Db>,
    <Self::Db as Database>::Arguments: IntoArguments<Self::Db>,
    for<'q> i64: Encode<'q, Self::Db> + Type<Self::Db>,
    for<'q> Option<i64>: Encode<'q, Self::Db> + Type<Self::Db>,
    for<'q> &'q str: Encode<'q, Self::Db> + Type<Self::Db>,
    for<'q> &'q String: Encode<'q, Self::Db> + Type<Self::Db>,
    for<'q> Option<String>: Encode<'q, Self::Db> + Type<Self::Db>,
    for<'q> DateTime<Utc>: Encode<'q, Self::Db> + Type<Self::Db>,
    for<'r> i64: Decode<'r, Self::Db>,
    for<'r> (i64, i64): sqlx::FromRow<'r, <Self::Db as Database>::Row>,
    usize: sqlx::ColumnIndex<<Self::Db as Database>::Row>,
{
    type Db: Database;

    /// `postgres` or `sqlite`, for logs and error messages.
    const NAME: &'static str;

    /// Takes up to `$3` mails due at `$1` for one worker, claimed until `$2`: with
    /// PostgreSQL's `SKIP LOCKED` concurrent workers take different mails without
    /// waiting; SQLite has one writer at a time.
    const CLAIM_DUE_MAILS_SQL: &'static str;

    fn pool(&self) -> &Pool<Self::Db>;

    /// When this store issues orders' invoices.
    fn invoice_moment(&self) -> crate::InvoiceMoment;

    /// Rung when the change log grows, if the backend can tell (see
    /// [`crate::CatalogueStore::change_wakeups`]).
    fn change_wakeups(&self) -> Option<std::sync::Arc<tokio::sync::Notify>> {
        None
    }

    /// Starts a transaction that will write: SQLite takes its write lock at once
    /// (`BEGIN IMMEDIATE`), so two writers queue instead of failing on upgrade.
    fn begin_write(&self) -> impl Future<Output = Result<Transaction<'static, Self::Db>>> + Send;

    /// Starts a read-only transaction over one consistent snapshot.
    fn begin_snapshot(&self)
    -> impl Future<Output = Result<Transaction<'static, Self::Db>>> + Send;

    /// Readies a transaction that writes many rows (an import).
    fn begin_bulk(conn: &mut Connection<Self>) -> impl Future<Output = Result<()>> + Send;

    /// Appends to the change log, in commit order (see [`crate::change_log`]), in
    /// the caller's transaction: one entry per product, or one without a product.
    fn append_changes(
        conn: &mut Connection<Self>,
        kind: ChangeKind,
        products: &[i64],
    ) -> impl Future<Output = Result<()>> + Send;

    /// The products `ids` as stored, read on `conn` (in its transaction, if any):
    /// the backends pass a list of ids differently.
    fn products_in(
        conn: &mut Connection<Self>,
        ids: &[i64],
    ) -> impl Future<Output = Result<Vec<Product>>> + Send;

    /// The next number in `site`'s order-number sequence, in the caller's transaction.
    fn next_order_number(
        conn: &mut Connection<Self>,
        site: SiteCode,
    ) -> impl Future<Output = Result<i64>> + Send;

    /// The whole catalogue and the change-log position it reflects; without its
    /// products unless `with_products`.
    fn read_catalogue(
        &self,
        with_products: bool,
    ) -> impl Future<Output = Result<CatalogueSnapshot>> + Send;

    /// Up to `limit` changes after `position`, none of them passed over by a writer
    /// still committing.
    fn committed_changes_after(
        &self,
        position: ChangePosition,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<CatalogueChange>>> + Send;

    /// Replaces every catalogue table's rows with `catalogue`'s in one transaction,
    /// the fastest way the backend has (PostgreSQL's `COPY`, SQLite's multi-row
    /// `INSERT`).
    fn bulk_replace_catalogue(
        &self,
        catalogue: &comptoir_domain::Catalogue,
        progress: crate::Progress<'_>,
    ) -> impl Future<Output = Result<()>> + Send;

    /// `head` followed by the list `values`, closed: `WHERE id IN (` + `1, 2)`. An
    /// empty list matches nothing.
    fn listed<'t, T>(
        head: &'static str,
        values: impl IntoIterator<Item = T>,
    ) -> sqlx::QueryBuilder<Self::Db>
    where
        T: Encode<'t, Self::Db> + Type<Self::Db>,
    {
        let mut query = sqlx::QueryBuilder::<Self::Db>::new(head);
        let mut list = query.separated(", ");
        let mut empty = true;
        for value in values {
            list.push_bind(value);
            empty = false;
        }
        // `IN ()` is not SQL; `IN (NULL)` matches nothing.
        if empty {
            list.push("NULL");
        }
        list.push_unseparated(")");
        query
    }

    /// Queues `mail` in the transaction of what it announces; the mail's id.
    async fn enqueue(conn: &mut Connection<Self>, mail: &OutgoingMail) -> Result<i64> {
        let id: i64 = sqlx::query_scalar(crate::outbox::ENQUEUE_SQL)
            .bind(&mail.recipient)
            .bind(&mail.subject)
            .bind(&mail.body)
            .bind(Utc::now())
            .fetch_one(&mut *conn)
            .await?;
        Ok(id)
    }

    /// Appends one audit entry in the transaction of the change: a change without
    /// its entry cannot happen.
    async fn audit(
        conn: &mut Connection<Self>,
        by: &Actor,
        action: &str,
        entity: &str,
        entity_id: &str,
        before: Option<String>,
        after: Option<String>,
    ) -> Result<()> {
        sqlx::query(crate::staff::INSERT_AUDIT_SQL)
            .bind(Utc::now())
            .bind(by.staff_id)
            .bind(&by.name)
            .bind(action)
            .bind(entity)
            .bind(entity_id)
            .bind(before)
            .bind(after)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    /// Gives an order's units back once, inside the caller's write transaction (the
    /// order's statuses already moved to cancelled): voids its open payment attempts
    /// and returns each line not yet returned, recording it; gives an unpaid order's
    /// codes back. The products whose stock moved, sorted, once each.
    async fn release_order(conn: &mut Connection<Self>, order_id: i64) -> Result<Vec<i64>> {
        sqlx::query(crate::payments::VOID_OPEN_ATTEMPTS_SQL)
            .bind(order_id)
            .execute(&mut *conn)
            .await?;
        let lines: Vec<(i64, i64)> = sqlx::query_as(crate::payments::RESTOCK_LINES_SQL)
            .bind(order_id)
            .bind(Utc::now())
            .fetch_all(&mut *conn)
            .await?;
        let mut products: Vec<i64> = Vec::with_capacity(lines.len());
        for (variant_id, quantity) in lines {
            let product: i64 = sqlx::query_scalar(crate::payments::RETURN_UNITS_SQL)
                .bind(variant_id)
                .bind(quantity)
                .fetch_one(&mut *conn)
                .await?;
            products.push(product);
        }
        products.sort_unstable();
        products.dedup();
        // Codes go back to their rules when the order was never paid (a refund
        // keeps the use): counts first, then the order's promotions marked.
        for give_back in [
            crate::promotions::GIVE_BACK_CODES_SQL,
            crate::promotions::GIVE_BACK_CUSTOMER_USES_SQL,
        ] {
            sqlx::query(give_back)
                .bind(order_id)
                .execute(&mut *conn)
                .await?;
        }
        sqlx::query(crate::promotions::MARK_CODES_GIVEN_BACK_SQL)
            .bind(order_id)
            .bind(Utc::now())
            .execute(&mut *conn)
            .await?;
        Ok(products)
    }
}

/// Writes `impl Schema for $store`, a backend's store type whose migrations are
/// `$migrator`.
macro_rules! impl_schema {
    ($store:ty, $migrator:expr) => {
        const _: () = {
            use $crate::dialect::Dialect;
            use $crate::{Result, Schema};

            #[async_trait::async_trait]
            impl Schema for $store {
                fn backend(&self) -> &'static str {
                    <Self as Dialect>::NAME
                }

                async fn migrate(&self) -> Result<()> {
                    $migrator.run(self.pool()).await?;
                    Ok(())
                }

                async fn ping(&self) -> Result<()> {
                    sqlx::query("SELECT 1").execute(self.pool()).await?;
                    Ok(())
                }

                fn pool_status(&self) -> $crate::PoolStatus {
                    let pool = self.pool();
                    $crate::PoolStatus {
                        open: pool.size(),
                        idle: u32::try_from(pool.num_idle()).unwrap_or(u32::MAX),
                        max: pool.options().get_max_connections(),
                    }
                }
            }
        };
    };
}
pub(crate) use impl_schema;

/// Writes every feature's implementation for a backend's store type, whose
/// migrations are `$migrator`: with [`Dialect`], all a backend needs.
macro_rules! impl_features {
    ($store:ty, $migrator:expr) => {
        $crate::dialect::impl_schema!($store, $migrator);
        $crate::catalogue::impl_catalogue_store!($store);
        $crate::orders::impl_order_store!($store);
        $crate::payments::impl_payment_store!($store);
        $crate::customers::impl_customer_store!($store);
        $crate::ephemeral::impl_ephemeral_store!($store);
        $crate::outbox::impl_outbox_store!($store);
        $crate::redirects::impl_redirect_store!($store);
        $crate::legacy_orders::impl_legacy_order_store!($store);
        $crate::newsletter::impl_newsletter_store!($store);
        $crate::promotions::impl_promotion_store!($store);
        $crate::staff::impl_staff_store!($store);
        $crate::catalogue_admin::products::impl_product_admin_store!($store);
        $crate::catalogue_admin::product_parts::impl_product_parts_store!($store);
        $crate::catalogue_admin::categories::impl_category_admin_store!($store);
        $crate::order_admin::impl_order_admin_store!($store);
        $crate::imports::impl_import_store!($store);
        $crate::images::impl_image_store!($store);
        $crate::content::impl_content_store!($store);
        $crate::privacy::impl_privacy_store!($store);
        $crate::invoicing::impl_invoice_store!($store);
        $crate::verifactu::impl_verifactu_store!($store);
    };
}
pub(crate) use impl_features;
