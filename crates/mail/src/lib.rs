//! The mail worker. Mails are queued in the outbox with what they announce (an order,
//! a password reset); this worker sends them, retrying with growing delays, so that a
//! mail server outage loses nothing and delays no checkout. Without an SMTP server,
//! mails are written as `.eml` files under `./data/mail/`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use comptoir_store::{OutboxStore, QueuedMail};

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

/// Sends through an SMTP relay on the shop's own network (`smtp://host:port`, with
/// optional `user:password@`). The connection is not encrypted: the relay is
/// expected on the private network, and encrypts onwards itself.
pub struct SmtpMailer {
    transport: lettre::AsyncSmtpTransport<lettre::Tokio1Executor>,
    sender: lettre::message::Mailbox,
}

impl SmtpMailer {
    pub fn new(url: &str, sender: &str) -> Result<SmtpMailer, SendError> {
        let invalid = |why: &str| SendError(format!("SMTP_URL: {why}"));
        let url = url::Url::parse(url).map_err(|e| invalid(&e.to_string()))?;
        if url.scheme() != "smtp" {
            return Err(invalid("only smtp:// relays are supported"));
        }
        let host = url.host_str().ok_or_else(|| invalid("no host"))?;
        let mut builder =
            lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::builder_dangerous(host)
                .port(url.port().unwrap_or(25));
        if !url.username().is_empty() {
            let decode = |text: &str| {
                percent_decode(text).ok_or_else(|| invalid("credentials are not UTF-8"))
            };
            builder =
                builder.credentials(lettre::transport::smtp::authentication::Credentials::new(
                    decode(url.username())?,
                    decode(url.password().unwrap_or_default())?,
                ));
        }
        let transport = builder.build();
        let sender = sender
            .parse()
            .map_err(|e| SendError(format!("sender address '{sender}': {e}")))?;
        Ok(SmtpMailer { transport, sender })
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, mail: &QueuedMail) -> Result<(), SendError> {
        use lettre::AsyncTransport;
        let recipient = mail
            .recipient
            .parse()
            .map_err(|e| SendError(format!("recipient '{}': {e}", mail.recipient)))?;
        let message = lettre::Message::builder()
            .from(self.sender.clone())
            .to(recipient)
            .subject(&mail.subject)
            .header(lettre::message::header::ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
            .map_err(|e| SendError(e.to_string()))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| SendError(e.to_string()))
    }
}

fn percent_decode(text: &str) -> Option<String> {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .ok()
        .map(|decoded| decoded.into_owned())
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
    store: &dyn OutboxStore,
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

/// Sends due mails every `interval`, forever; a full batch is followed by the next at
/// once, so that a busy hour's mails do not queue up behind the interval.
pub async fn run(store: Arc<dyn OutboxStore>, mailer: Arc<dyn Mailer>, interval: Duration) {
    comptoir_store::poll_forever(interval, None, "mail worker", || async {
        while deliver_due(store.as_ref(), mailer.as_ref(), Utc::now()).await? == BATCH as usize {}
        Ok::<(), comptoir_store::StoreError>(())
    })
    .await;
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
