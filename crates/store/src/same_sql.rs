//! Queries whose SQL and binding are the same in both backends, written once: the
//! macro generates them as functions over each backend's pool, and each `Store`
//! implementation delegates to its own.

macro_rules! same_sql_queries {
    ($pool:ty) => {
        /// Queries identical in both backends (see `crate::same_sql`).
        mod same_sql {
            use chrono::{DateTime, Utc};

            use crate::rows;
            use crate::{CatalogChange, ChangePosition, OutgoingMail, Result, ephemeral, outbox};

            pub(super) async fn catalogue_is_empty(pool: &$pool) -> Result<bool> {
                let any: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM products)")
                    .fetch_one(pool)
                    .await?;
                Ok(!any)
            }

            pub(super) async fn changes_after(
                pool: &$pool,
                position: ChangePosition,
                limit: u32,
            ) -> Result<Vec<CatalogChange>> {
                let query = sqlx::query_as(rows::CHANGES_AFTER_SQL)
                    .bind(position.0)
                    .bind(i64::from(limit));
                rows::changes(query.fetch_all(pool).await?)
            }

            pub(super) async fn ephemeral_get(
                pool: &$pool,
                key: &str,
                now: DateTime<Utc>,
            ) -> Result<Option<Vec<u8>>> {
                Ok(sqlx::query_scalar(ephemeral::GET_SQL)
                    .bind(key)
                    .bind(now)
                    .fetch_optional(pool)
                    .await?)
            }

            pub(super) async fn ephemeral_put(
                pool: &$pool,
                key: &str,
                value: &[u8],
                expires_at: DateTime<Utc>,
            ) -> Result<()> {
                sqlx::query(ephemeral::PUT_SQL)
                    .bind(key)
                    .bind(value)
                    .bind(expires_at)
                    .execute(pool)
                    .await?;
                Ok(())
            }

            pub(super) async fn ephemeral_delete(pool: &$pool, key: &str) -> Result<()> {
                sqlx::query(ephemeral::DELETE_SQL)
                    .bind(key)
                    .execute(pool)
                    .await?;
                Ok(())
            }

            pub(super) async fn ephemeral_purge(pool: &$pool, now: DateTime<Utc>) -> Result<u64> {
                Ok(sqlx::query(ephemeral::PURGE_SQL)
                    .bind(now)
                    .execute(pool)
                    .await?
                    .rows_affected())
            }

            pub(super) async fn unpaid_orders(
                pool: &$pool,
                method: &str,
                before: DateTime<Utc>,
            ) -> Result<Vec<i64>> {
                let query = sqlx::query_scalar(crate::orders::EXPIRED_UNPAID_SQL)
                    .bind(method)
                    .bind(before);
                Ok(query.fetch_all(pool).await?)
            }

            pub(super) async fn new_payment_attempt(pool: &$pool, order_id: i64, provider: &str) -> Result<i64> {
                let insert = sqlx::query_scalar("INSERT INTO payment_attempts (order_id, provider) VALUES ($1, $2) RETURNING id");
                Ok(insert.bind(order_id).bind(provider).fetch_one(pool).await?)
            }

            pub(super) async fn order_of_payment_attempt(pool: &$pool, attempt: i64) -> Result<Option<i64>> {
                let query = sqlx::query_scalar("SELECT order_id FROM payment_attempts WHERE id = $1");
                Ok(query.bind(attempt).fetch_optional(pool).await?)
            }

            pub(super) async fn enqueue_mail(pool: &$pool, mail: &OutgoingMail) -> Result<i64> {
                let enqueue = sqlx::query_scalar(outbox::ENQUEUE_SQL)
                    .bind(&mail.recipient)
                    .bind(&mail.subject)
                    .bind(&mail.body)
                    .bind(Utc::now());
                Ok(enqueue.fetch_one(pool).await?)
            }

            pub(super) async fn mail_sent(pool: &$pool, id: i64, at: DateTime<Utc>) -> Result<()> {
                sqlx::query(outbox::SENT_SQL)
                    .bind(id)
                    .bind(at)
                    .execute(pool)
                    .await?;
                Ok(())
            }

            pub(super) async fn mail_failed(
                pool: &$pool,
                id: i64,
                error: &str,
                retry_at: DateTime<Utc>,
            ) -> Result<()> {
                sqlx::query(outbox::FAILED_SQL)
                    .bind(id)
                    .bind(error)
                    .bind(retry_at)
                    .execute(pool)
                    .await?;
                Ok(())
            }
        }
    };
}
pub(crate) use same_sql_queries;
