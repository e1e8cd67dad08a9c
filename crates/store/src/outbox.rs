//! The mail outbox: mails queued in the transaction of what they announce, sent by
//! a worker.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::Result;

/// A mail to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    pub recipient: String,
    pub subject: String,
    /// Plain text.
    pub body: String,
}

/// A mail taken from the outbox by a worker.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct QueuedMail {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// Tries so far, this one excluded.
    pub attempts: i32,
    /// The invoice it carries, as a PDF attachment.
    pub invoice_number: Option<String>,
}

/// The outbox, as the mail worker sees it.
#[async_trait]
pub trait OutboxStore: Send + Sync {
    /// Queues a mail; its id.
    async fn enqueue_mail(&self, mail: &OutgoingMail) -> Result<i64>;

    /// Takes up to `limit` mails due at `now` for this worker: no other worker gets
    /// them until they are marked, or the claim runs out.
    async fn claim_due_mails(&self, now: DateTime<Utc>, limit: u32) -> Result<Vec<QueuedMail>>;

    async fn mail_sent(&self, id: i64, at: DateTime<Utc>) -> Result<()>;

    /// Records a failed try; the mail is tried again from `retry_at`.
    async fn mail_failed(&self, id: i64, error: &str, retry_at: DateTime<Utc>) -> Result<()>;

    /// Mails not sent yet (due, or waiting for a retry).
    async fn mail_backlog(&self) -> Result<i64>;
}

pub(crate) const ENQUEUE_SQL: &str = "INSERT INTO outbox (recipient, subject, body, next_attempt_at) VALUES ($1, $2, $3, $4) RETURNING id";
pub(crate) const BACKLOG_SQL: &str = "SELECT count(*) FROM outbox WHERE sent_at IS NULL";
pub(crate) const SENT_SQL: &str =
    "UPDATE outbox SET sent_at = $2, claimed_until = NULL, attempts = attempts + 1 WHERE id = $1";
pub(crate) const FAILED_SQL: &str = "UPDATE outbox SET attempts = attempts + 1, last_error = $2, \
     next_attempt_at = $3, claimed_until = NULL WHERE id = $1";

/// How long a worker holds the mails it took before another may take them.
pub(crate) fn claim_until(now: DateTime<Utc>) -> DateTime<Utc> {
    now + chrono::Duration::minutes(2)
}

/// Writes `impl OutboxStore for $store`, a backend's store type.
macro_rules! impl_outbox_store {
    ($store:ty) => {
        const _: () = {
            use chrono::{DateTime, Utc};

            use $crate::Result;
            use $crate::dialect::Dialect;
            use $crate::outbox::{self as sql, OutboxStore, OutgoingMail, QueuedMail};

            #[async_trait::async_trait]
            impl OutboxStore for $store {
                async fn enqueue_mail(&self, mail: &OutgoingMail) -> Result<i64> {
                    let mut conn = self.pool().acquire().await?;
                    Self::enqueue(&mut conn, mail).await
                }

                async fn claim_due_mails(
                    &self,
                    now: DateTime<Utc>,
                    limit: u32,
                ) -> Result<Vec<QueuedMail>> {
                    let claim = sqlx::query_as(<Self as Dialect>::CLAIM_DUE_MAILS_SQL)
                        .bind(now)
                        .bind(sql::claim_until(now))
                        .bind(i64::from(limit));
                    Ok(claim.fetch_all(self.pool()).await?)
                }

                async fn mail_backlog(&self) -> Result<i64> {
                    Ok(sqlx::query_scalar(sql::BACKLOG_SQL)
                        .fetch_one(self.pool())
                        .await?)
                }

                async fn mail_sent(&self, id: i64, at: DateTime<Utc>) -> Result<()> {
                    sqlx::query(sql::SENT_SQL)
                        .bind(id)
                        .bind(at)
                        .execute(self.pool())
                        .await?;
                    Ok(())
                }

                async fn mail_failed(
                    &self,
                    id: i64,
                    error: &str,
                    retry_at: DateTime<Utc>,
                ) -> Result<()> {
                    sqlx::query(sql::FAILED_SQL)
                        .bind(id)
                        .bind(error)
                        .bind(retry_at)
                        .execute(self.pool())
                        .await?;
                    Ok(())
                }
            }
        };
    };
}
pub(crate) use impl_outbox_store;
