//! Queries whose SQL and binding are the same in both backends, written once: the
//! macro generates them as functions over each backend's pool, and each `Store`
//! implementation delegates to its own.

macro_rules! same_sql_queries {
    ($pool:ty) => {
        /// Queries identical in both backends (see `crate::same_sql`).
        mod same_sql {
            use chrono::{DateTime, Utc};

            use crate::customers::{self, AddressRow, OrderRow};
            use crate::{
                Activation, Customer, NewCustomer, OrderRecord, OrderSummary, OutgoingMail, Result,
                SavedAddress, ShippingAddress, ephemeral, outbox,
            };

            pub(super) async fn catalogue_is_empty(pool: &$pool) -> Result<bool> {
                let any: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM products)")
                    .fetch_one(pool)
                    .await?;
                Ok(!any)
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

            pub(super) async fn ephemeral_put_new(
                pool: &$pool,
                key: &str,
                value: &[u8],
                expires_at: DateTime<Utc>,
                now: DateTime<Utc>,
            ) -> Result<bool> {
                let inserted = sqlx::query(ephemeral::PUT_NEW_SQL)
                    .bind(key)
                    .bind(value)
                    .bind(expires_at)
                    .bind(now)
                    .execute(pool)
                    .await?;
                Ok(inserted.rows_affected() == 1)
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

            pub(super) async fn register_customer(
                pool: &$pool,
                customer: &NewCustomer,
                activation: &Activation<'_>,
            ) -> Result<()> {
                let mut tx = pool.begin().await?;
                let created: Option<i64> = sqlx::query_scalar(customers::REGISTER_CUSTOMER_SQL)
                    .bind(&customer.email)
                    .bind(&customer.name)
                    .bind(&customer.password_hash)
                    .bind(Utc::now())
                    .fetch_optional(&mut *tx)
                    .await?;
                let waiting = match created {
                    Some(id) => Some(id),
                    None => {
                        let existing: Customer = sqlx::query_as(customers::CUSTOMER_BY_EMAIL_SQL)
                            .bind(&customer.email)
                            .fetch_one(&mut *tx)
                            .await?;
                        // An account waiting for activation gets a new link (its password
                        // stays the one first chosen); an active one, a warning.
                        (!existing.activated).then_some(existing.id)
                    }
                };
                match waiting {
                    Some(id) => {
                        sqlx::query(customers::INSERT_ACTIVATION_SQL)
                            .bind(activation.token_hash)
                            .bind(id)
                            .bind(activation.expires_at)
                            .execute(&mut *tx)
                            .await?;
                        outbox::enqueue!(&mut *tx, activation.link_mail);
                    }
                    None => {
                        outbox::enqueue!(&mut *tx, activation.already_registered_mail);
                    }
                }
                tx.commit().await?;
                Ok(())
            }

            pub(super) async fn activate_customer(
                pool: &$pool,
                token_hash: &str,
                now: DateTime<Utc>,
            ) -> Result<Option<i64>> {
                let mut tx = pool.begin().await?;
                let customer: Option<i64> = sqlx::query_scalar(customers::USE_ACTIVATION_SQL)
                    .bind(token_hash)
                    .bind(now)
                    .fetch_optional(&mut *tx)
                    .await?;
                if let Some(id) = customer {
                    sqlx::query(customers::ACTIVATE_SQL)
                        .bind(id)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(customer)
            }

            pub(super) async fn installation_secret(pool: &$pool, name: &str, candidate: &str) -> Result<String> {
                sqlx::query("INSERT INTO installation_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
                    .bind(name)
                    .bind(candidate)
                    .execute(pool)
                    .await?;
                let kept = sqlx::query_scalar("SELECT value FROM installation_secrets WHERE name = $1").bind(name);
                Ok(kept.fetch_one(pool).await?)
            }

            pub(super) async fn create_customer(
                pool: &$pool,
                customer: &NewCustomer,
            ) -> Result<Option<i64>> {
                let insert = sqlx::query_scalar(customers::INSERT_CUSTOMER_SQL)
                    .bind(&customer.email)
                    .bind(&customer.name)
                    .bind(&customer.password_hash)
                    .bind(Utc::now());
                Ok(insert.fetch_optional(pool).await?)
            }

            pub(super) async fn customer_by_email(
                pool: &$pool,
                email: &str,
            ) -> Result<Option<Customer>> {
                let query = sqlx::query_as(customers::CUSTOMER_BY_EMAIL_SQL).bind(email);
                Ok(query.fetch_optional(pool).await?)
            }

            pub(super) async fn customer(pool: &$pool, id: i64) -> Result<Option<Customer>> {
                let query = sqlx::query_as(customers::CUSTOMER_SQL).bind(id);
                Ok(query.fetch_optional(pool).await?)
            }

            pub(super) async fn set_password_hash(pool: &$pool, id: i64, hash: &str) -> Result<()> {
                sqlx::query(customers::SET_PASSWORD_SQL)
                    .bind(id)
                    .bind(hash)
                    .execute(pool)
                    .await?;
                Ok(())
            }

            pub(super) async fn add_address(
                pool: &$pool,
                customer_id: i64,
                address: &ShippingAddress,
                most: u32,
            ) -> Result<Option<i64>> {
                let insert = sqlx::query_scalar(customers::ADD_ADDRESS_SQL)
                    .bind(customer_id)
                    .bind(&address.name)
                    .bind(&address.street)
                    .bind(&address.postcode)
                    .bind(&address.city)
                    .bind(&address.country)
                    .bind(Utc::now())
                    .bind(i64::from(most));
                Ok(insert.fetch_optional(pool).await?)
            }

            pub(super) async fn addresses(
                pool: &$pool,
                customer_id: i64,
            ) -> Result<Vec<SavedAddress>> {
                let rows: Vec<AddressRow> = sqlx::query_as(customers::ADDRESSES_SQL)
                    .bind(customer_id)
                    .fetch_all(pool)
                    .await?;
                Ok(rows.into_iter().map(SavedAddress::from).collect())
            }

            pub(super) async fn delete_address(
                pool: &$pool,
                customer_id: i64,
                address_id: i64,
            ) -> Result<bool> {
                let deleted = sqlx::query(customers::DELETE_ADDRESS_SQL)
                    .bind(address_id)
                    .bind(customer_id)
                    .execute(pool)
                    .await?;
                Ok(deleted.rows_affected() > 0)
            }

            pub(super) async fn create_password_reset(
                pool: &$pool,
                customer_id: i64,
                token_hash: &str,
                expires_at: DateTime<Utc>,
                mail: &OutgoingMail,
            ) -> Result<()> {
                let mut tx = pool.begin().await?;
                sqlx::query(customers::INSERT_RESET_SQL)
                    .bind(token_hash)
                    .bind(customer_id)
                    .bind(expires_at)
                    .execute(&mut *tx)
                    .await?;
                outbox::enqueue!(&mut *tx, mail);
                tx.commit().await?;
                Ok(())
            }

            pub(super) async fn reset_password(
                pool: &$pool,
                token_hash: &str,
                new_hash: &str,
                now: DateTime<Utc>,
            ) -> Result<Option<i64>> {
                // The token is taken first: a write, so SQLite locks for writing at once.
                let mut tx = pool.begin().await?;
                let customer: Option<i64> = sqlx::query_scalar(customers::USE_RESET_SQL)
                    .bind(token_hash)
                    .bind(now)
                    .fetch_optional(&mut *tx)
                    .await?;
                if let Some(id) = customer {
                    sqlx::query(customers::SET_PASSWORD_SQL)
                        .bind(id)
                        .bind(new_hash)
                        .execute(&mut *tx)
                        .await?;
                    // A new password ends every link sent before it.
                    sqlx::query(customers::END_RESETS_SQL)
                        .bind(id)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    // The link came to the account's mailbox: the account is its owner's.
                    sqlx::query(customers::ACTIVATE_SQL)
                        .bind(id)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(customer)
            }

            pub(super) async fn count_in_window(
                pool: &$pool,
                key: &str,
                window_ends: DateTime<Utc>,
                now: DateTime<Utc>,
            ) -> Result<u64> {
                let count: i64 = sqlx::query_scalar(customers::COUNT_SQL)
                    .bind(key)
                    .bind(window_ends)
                    .bind(now)
                    .fetch_one(pool)
                    .await?;
                Ok(u64::try_from(count).unwrap_or(0))
            }

            pub(super) async fn order(pool: &$pool, id: i64) -> Result<Option<OrderRecord>> {
                let row: Option<OrderRow> = sqlx::query_as(customers::ORDER_SQL)
                    .bind(id)
                    .fetch_optional(pool)
                    .await?;
                let Some(row) = row else {
                    return Ok(None);
                };
                let lines = sqlx::query_as(customers::ORDER_LINES_SQL)
                    .bind(id)
                    .fetch_all(pool)
                    .await?;
                Ok(Some(row.with_lines(lines)))
            }

            pub(super) async fn order_id_by_number(
                pool: &$pool,
                number: &str,
            ) -> Result<Option<i64>> {
                let query = sqlx::query_scalar(customers::ORDER_ID_BY_NUMBER_SQL).bind(number);
                Ok(query.fetch_optional(pool).await?)
            }

            pub(super) async fn order_id_by_idempotency_key(
                pool: &$pool,
                key: &str,
            ) -> Result<Option<i64>> {
                let query = sqlx::query_scalar("SELECT id FROM orders WHERE idempotency_key = $1")
                    .bind(key);
                Ok(query.fetch_optional(pool).await?)
            }

            pub(super) async fn customer_orders(
                pool: &$pool,
                customer_id: i64,
                limit: u32,
            ) -> Result<Vec<OrderSummary>> {
                let query = sqlx::query_as(customers::CUSTOMER_ORDERS_SQL)
                    .bind(customer_id)
                    .bind(i64::from(limit));
                Ok(query.fetch_all(pool).await?)
            }

            pub(super) async fn enqueue_mail(pool: &$pool, mail: &OutgoingMail) -> Result<i64> {
                Ok(outbox::enqueue!(pool, mail))
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
