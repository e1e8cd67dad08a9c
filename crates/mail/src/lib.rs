//! The mail worker. Mails are queued in the outbox with what they announce (an order,
//! a password reset); this worker sends them, retrying with growing delays, so that a
//! mail server outage loses nothing and delays no checkout. Without an SMTP server,
//! mails are written as `.eml` files under `./data/mail/`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use comptoir_store::{QueuedMail, Store};

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SendError(pub String);

/// Where mails go.
#[async_trait]
pub trait Mailer: Send + Sync + 'static {
    async fn send(&self, mail: &QueuedMail) -> Result<(), SendError>;
}

/// Writes each mail as an RFC 5322 file, for the single node and for tests.
pub struct FileMailer {
    pub folder: PathBuf,
    /// The `From` address.
    pub sender: String,
}

#[async_trait]
impl Mailer for FileMailer {
    async fn send(&self, mail: &QueuedMail) -> Result<(), SendError> {
        tokio::fs::create_dir_all(&self.folder)
            .await
            .map_err(|e| SendError(e.to_string()))?;
        let message = format!(
            "From: {}\r\nTo: {}\r\nSubject: {}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{}\r\n",
            self.sender,
            mail.recipient,
            mail.subject,
            mail.body.replace('\n', "\r\n")
        );
        let path = self.folder.join(format!("{:08}.eml", mail.id));
        tokio::fs::write(path, message)
            .await
            .map_err(|e| SendError(e.to_string()))
    }
}

/// Mails taken per round.
const BATCH: u32 = 20;

/// When to try a mail again after `attempts` failures: 1 minute, doubling, at most a
/// day.
pub fn retry_delay(attempts: i32) -> chrono::Duration {
    let minutes = 1i64 << attempts.clamp(0, 11);
    chrono::Duration::minutes(minutes.min(24 * 60))
}

/// Sends the mails due at `now`; how many were sent.
pub async fn deliver_due(
    store: &dyn Store,
    mailer: &dyn Mailer,
    now: DateTime<Utc>,
) -> comptoir_store::Result<usize> {
    let mut sent = 0;
    for mail in store.claim_due_mails(now, BATCH).await? {
        match mailer.send(&mail).await {
            Ok(()) => {
                store.mail_sent(mail.id, Utc::now()).await?;
                sent += 1;
            }
            Err(error) => {
                tracing::warn!(id = mail.id, %error, attempts = mail.attempts + 1, "mail not sent; will retry");
                store
                    .mail_failed(mail.id, &error.0, Utc::now() + retry_delay(mail.attempts))
                    .await?;
            }
        }
    }
    Ok(sent)
}

/// Sends due mails every `interval`, forever.
pub async fn run(store: Arc<dyn Store>, mailer: Arc<dyn Mailer>, interval: Duration) {
    comptoir_store::poll_forever(interval, "mail worker", || async {
        deliver_due(store.as_ref(), mailer.as_ref(), Utc::now())
            .await
            .map(|_| ())
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::retry_delay;

    #[test]
    fn retries_back_off_up_to_a_day() {
        assert_eq!(retry_delay(0).num_minutes(), 1);
        assert_eq!(retry_delay(3).num_minutes(), 8);
        assert_eq!(retry_delay(40).num_minutes(), 24 * 60);
        assert_eq!(retry_delay(-1).num_minutes(), 1);
    }
}
