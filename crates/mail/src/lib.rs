//! The mail worker. Mails are queued in the outbox with what they announce (an order,
//! a password reset, an invoice); this worker sends them, retrying with growing
//! delays, so that a mail server outage loses nothing and delays no checkout. A mail
//! that carries an invoice gets its PDF attached here. Without an SMTP server, mails
//! are written as `.eml` files under `./data/mail/`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use base64::Engine;
use chrono::{DateTime, Utc};
use comptoir_domain::invoicing::verifactu::AeatHost;
use comptoir_store::{InvoiceStore, OutboxStore, QueuedMail};

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SendError(pub String);

/// A file a mail carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub file_name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// Where mails go.
#[async_trait]
pub trait Mailer: Send + Sync + 'static {
    async fn send(&self, mail: &QueuedMail, attachments: &[Attachment]) -> Result<(), SendError>;
}

/// The invoices mails carry, made into PDFs when they are sent.
#[derive(Clone)]
pub struct InvoicePdfs {
    pub invoices: Arc<dyn InvoiceStore>,
    /// The AEAT host their QR codes point at.
    pub qr_host: AeatHost,
}

impl InvoicePdfs {
    /// What `mail` carries: its invoice's PDF, if it names one.
    async fn attachments(&self, mail: &QueuedMail) -> Result<Vec<Attachment>, SendError> {
        let Some(number) = &mail.invoice_number else {
            return Ok(Vec::new());
        };
        let document = self
            .invoices
            .invoice_document(number)
            .await
            .map_err(|e| SendError(format!("invoice {number}: {e}")))?
            .ok_or_else(|| SendError(format!("invoice {number} is not stored")))?;
        let host = self.qr_host;
        // Laying out pages is CPU work: off the threads that answer requests.
        let rendered = tokio::task::spawn_blocking(move || {
            comptoir_invoice_pdf::render(&document.invoice, &document.order_number, host)
                .map(|pdf| (comptoir_invoice_pdf::file_name(&document.invoice), pdf))
        })
        .await
        .map_err(|e| SendError(format!("invoice {number}: {e}")))?;
        let (file_name, bytes) =
            rendered.map_err(|e| SendError(format!("invoice {number}: {e}")))?;
        Ok(vec![Attachment {
            file_name,
            content_type: "application/pdf",
            bytes,
        }])
    }
}

/// Writes each mail as an RFC 5322 file, for the single node and for tests.
pub struct FileMailer {
    pub folder: PathBuf,
    /// The `From` address.
    pub sender: String,
}

#[async_trait]
impl Mailer for FileMailer {
    async fn send(&self, mail: &QueuedMail, attachments: &[Attachment]) -> Result<(), SendError> {
        tokio::fs::create_dir_all(&self.folder)
            .await
            .map_err(|e| SendError(e.to_string()))?;
        let head = format!(
            "From: {}\r\nTo: {}\r\nSubject: {}\r\n",
            self.sender, mail.recipient, mail.subject
        );
        let text = format!(
            "Content-Type: text/plain; charset=utf-8\r\n\r\n{}\r\n",
            mail.body.replace('\n', "\r\n")
        );
        let message = if attachments.is_empty() {
            format!("{head}{text}")
        } else {
            // The text stays readable as it is; each file follows in base64.
            let boundary = format!("comptoir-mail-{}", mail.id);
            let mut message = format!(
                "{head}MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"{boundary}\"\r\n\r\n--{boundary}\r\n{text}"
            );
            for attachment in attachments {
                let encoded = base64::engine::general_purpose::STANDARD.encode(&attachment.bytes);
                message.push_str(&format!(
                    "--{boundary}\r\nContent-Type: {}; name=\"{name}\"\r\nContent-Disposition: attachment; filename=\"{name}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n",
                    attachment.content_type,
                    name = attachment.file_name
                ));
                for line in encoded.as_bytes().chunks(76) {
                    message.push_str(&String::from_utf8_lossy(line));
                    message.push_str("\r\n");
                }
            }
            message.push_str(&format!("--{boundary}--\r\n"));
            message
        };
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
    async fn send(&self, mail: &QueuedMail, attachments: &[Attachment]) -> Result<(), SendError> {
        use lettre::AsyncTransport;
        use lettre::message::header::ContentType;
        use lettre::message::{MultiPart, SinglePart};
        let recipient = mail
            .recipient
            .parse()
            .map_err(|e| SendError(format!("recipient '{}': {e}", mail.recipient)))?;
        let builder = lettre::Message::builder()
            .from(self.sender.clone())
            .to(recipient)
            .subject(&mail.subject);
        let message = if attachments.is_empty() {
            builder
                .header(ContentType::TEXT_PLAIN)
                .body(mail.body.clone())
        } else {
            let mut parts = MultiPart::mixed().singlepart(SinglePart::plain(mail.body.clone()));
            for attachment in attachments {
                let content_type = ContentType::parse(attachment.content_type)
                    .map_err(|e| SendError(format!("{}: {e}", attachment.file_name)))?;
                parts = parts.singlepart(
                    lettre::message::Attachment::new(attachment.file_name.clone())
                        .body(attachment.bytes.clone(), content_type),
                );
            }
            builder.multipart(parts)
        }
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

/// Sends the mails due at `now`, with the invoices they carry; how many were sent.
pub async fn deliver_due(
    store: &dyn OutboxStore,
    pdfs: &InvoicePdfs,
    mailer: &dyn Mailer,
    now: DateTime<Utc>,
) -> comptoir_store::Result<usize> {
    let mut sent = 0;
    for mail in store.claim_due_mails(now, BATCH).await? {
        let outcome = match pdfs.attachments(&mail).await {
            Ok(attachments) => mailer.send(&mail, &attachments).await,
            Err(error) => Err(error),
        };
        match outcome {
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
pub async fn run(
    store: Arc<dyn OutboxStore>,
    pdfs: InvoicePdfs,
    mailer: Arc<dyn Mailer>,
    interval: Duration,
) {
    comptoir_store::poll_forever(interval, None, "mail worker", || async {
        while deliver_due(store.as_ref(), &pdfs, mailer.as_ref(), Utc::now()).await?
            == BATCH as usize
        {}
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
