//! Short-lived state kept in the database: sessions and carts when no Redis is
//! configured, counters for throttles, and the installation's secrets.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::Result;

/// What the store keeps for a short while (and the secrets it keeps for good).
#[async_trait]
pub trait EphemeralStore: Send + Sync {
    /// A short-lived value (a session, a cart) unless it has expired by `now`.
    async fn ephemeral_get(&self, key: &str, now: DateTime<Utc>) -> Result<Option<Vec<u8>>>;

    /// Stores a short-lived value until `expires_at`, replacing any under that key.
    async fn ephemeral_put(&self, key: &str, value: &[u8], expires_at: DateTime<Utc>)
    -> Result<()>;

    /// Stores a short-lived value under a key holding none (or only an expired one by
    /// `now`); `false` if the key is taken.
    async fn ephemeral_put_new(
        &self,
        key: &str,
        value: &[u8],
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<bool>;

    async fn ephemeral_delete(&self, key: &str) -> Result<()>;

    /// Deletes the values expired by `now`; how many.
    async fn ephemeral_purge(&self, now: DateTime<Utc>) -> Result<u64>;

    /// Counts one more event under `key` in the window ending at `window_ends` (a
    /// new window if the last one ended by `now`); the count so far in the window.
    async fn count_in_window(
        &self,
        key: &str,
        window_ends: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<u64>;

    /// The secret kept under `name` for this installation: `candidate` if none was
    /// kept yet (the first replica to ask stores it; every other one reads it).
    async fn installation_secret(&self, name: &str, candidate: &str) -> Result<String>;
}

pub(crate) const GET_SQL: &str = "SELECT value FROM ephemeral WHERE key = $1 AND expires_at > $2";
pub(crate) const PUT_SQL: &str = "INSERT INTO ephemeral (key, value, expires_at) VALUES ($1, $2, $3) \
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at";
/// Inserts unless a live value holds the key; an expired one is replaced.
pub(crate) const PUT_NEW_SQL: &str = "INSERT INTO ephemeral (key, value, expires_at) VALUES ($1, $2, $3) \
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at \
     WHERE ephemeral.expires_at <= $4";
pub(crate) const DELETE_SQL: &str = "DELETE FROM ephemeral WHERE key = $1";
pub(crate) const PURGE_SQL: &str = "DELETE FROM ephemeral WHERE expires_at <= $1";
/// One count per key and window: a key whose window has ended starts again at 1.
pub(crate) const COUNT_SQL: &str = "INSERT INTO counters (key, count, expires_at) VALUES ($1, 1, $2) \
     ON CONFLICT (key) DO UPDATE SET \
     count = CASE WHEN counters.expires_at <= $3 THEN 1 ELSE counters.count + 1 END, \
     expires_at = CASE WHEN counters.expires_at <= $3 THEN excluded.expires_at ELSE counters.expires_at END \
     RETURNING count";
pub(crate) const KEEP_SECRET_SQL: &str =
    "INSERT INTO installation_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING";
pub(crate) const SECRET_SQL: &str = "SELECT value FROM installation_secrets WHERE name = $1";

/// Writes `impl EphemeralStore for $store`, a backend's store type.
macro_rules! impl_ephemeral_store {
    ($store:ty) => {
        const _: () = {
            use chrono::{DateTime, Utc};

            use $crate::Result;
            use $crate::dialect::Dialect;
            use $crate::ephemeral::{self as sql, EphemeralStore};

            #[async_trait::async_trait]
            impl EphemeralStore for $store {
                async fn ephemeral_get(
                    &self,
                    key: &str,
                    now: DateTime<Utc>,
                ) -> Result<Option<Vec<u8>>> {
                    Ok(sqlx::query_scalar(sql::GET_SQL)
                        .bind(key)
                        .bind(now)
                        .fetch_optional(self.pool())
                        .await?)
                }

                async fn ephemeral_put(
                    &self,
                    key: &str,
                    value: &[u8],
                    expires_at: DateTime<Utc>,
                ) -> Result<()> {
                    sqlx::query(sql::PUT_SQL)
                        .bind(key)
                        .bind(value)
                        .bind(expires_at)
                        .execute(self.pool())
                        .await?;
                    Ok(())
                }

                async fn ephemeral_put_new(
                    &self,
                    key: &str,
                    value: &[u8],
                    expires_at: DateTime<Utc>,
                    now: DateTime<Utc>,
                ) -> Result<bool> {
                    let inserted = sqlx::query(sql::PUT_NEW_SQL)
                        .bind(key)
                        .bind(value)
                        .bind(expires_at)
                        .bind(now)
                        .execute(self.pool())
                        .await?;
                    Ok(inserted.rows_affected() == 1)
                }

                async fn ephemeral_delete(&self, key: &str) -> Result<()> {
                    sqlx::query(sql::DELETE_SQL)
                        .bind(key)
                        .execute(self.pool())
                        .await?;
                    Ok(())
                }

                async fn ephemeral_purge(&self, now: DateTime<Utc>) -> Result<u64> {
                    Ok(sqlx::query(sql::PURGE_SQL)
                        .bind(now)
                        .execute(self.pool())
                        .await?
                        .rows_affected())
                }

                async fn count_in_window(
                    &self,
                    key: &str,
                    window_ends: DateTime<Utc>,
                    now: DateTime<Utc>,
                ) -> Result<u64> {
                    let count: i64 = sqlx::query_scalar(sql::COUNT_SQL)
                        .bind(key)
                        .bind(window_ends)
                        .bind(now)
                        .fetch_one(self.pool())
                        .await?;
                    Ok(u64::try_from(count).unwrap_or(0))
                }

                async fn installation_secret(&self, name: &str, candidate: &str) -> Result<String> {
                    sqlx::query(sql::KEEP_SECRET_SQL)
                        .bind(name)
                        .bind(candidate)
                        .execute(self.pool())
                        .await?;
                    let kept = sqlx::query_scalar(sql::SECRET_SQL).bind(name);
                    Ok(kept.fetch_one(self.pool()).await?)
                }
            }
        };
    };
}
pub(crate) use impl_ephemeral_store;
