//! The mail outbox: mails queued with what they announce, sent by a worker.

use chrono::{DateTime, Utc};

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
}

pub(crate) const ENQUEUE_SQL: &str = "INSERT INTO outbox (recipient, subject, body, next_attempt_at) VALUES ($1, $2, $3, $4) RETURNING id";
/// Queues `mail` through `executor` (a pool, or the transaction of what it announces);
/// evaluates to the mail's id.
macro_rules! enqueue {
    ($executor:expr, $mail:expr) => {{
        let mail: &$crate::OutgoingMail = $mail;
        let id: i64 = sqlx::query_scalar($crate::outbox::ENQUEUE_SQL)
            .bind(&mail.recipient)
            .bind(&mail.subject)
            .bind(&mail.body)
            .bind(chrono::Utc::now())
            .fetch_one($executor)
            .await?;
        id
    }};
}
pub(crate) use enqueue;

pub(crate) const SENT_SQL: &str =
    "UPDATE outbox SET sent_at = $2, claimed_until = NULL, attempts = attempts + 1 WHERE id = $1";
pub(crate) const FAILED_SQL: &str = "UPDATE outbox SET attempts = attempts + 1, last_error = $2, \
     next_attempt_at = $3, claimed_until = NULL WHERE id = $1";

/// How long a worker holds the mails it took before another may take them.
pub(crate) fn claim_until(now: DateTime<Utc>) -> DateTime<Utc> {
    now + chrono::Duration::minutes(2)
}
