//! Background work every replica runs beside its pages. Each task is safe to run on
//! many replicas at once: mails are claimed with a lock that skips taken rows, and a
//! payment is settled exactly once whoever cancels it.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use comptoir_mail::{FileMailer, Mailer, SmtpMailer};
use comptoir_payments::PaymentMethod;
use comptoir_store::Store;

use crate::{ShopSettings, StartError};

/// How often the outbox is read.
const MAIL_INTERVAL: Duration = Duration::from_secs(2);
/// How often unpaid card orders and expired shopper state are looked for.
const SWEEP_INTERVAL: Duration = Duration::from_secs(60);

pub fn start(store: Arc<dyn Store>, shop: &ShopSettings) -> Result<(), StartError> {
    let mailer: Arc<dyn Mailer> = match &shop.mail.smtp_url {
        Some(url) => {
            Arc::new(SmtpMailer::new(url, &shop.mail.sender).map_err(|e| StartError::Mail(e.0))?)
        }
        None => Arc::new(FileMailer {
            folder: shop.mail.folder.clone(),
            sender: shop.mail.sender.clone(),
        }),
    };
    tokio::spawn(comptoir_mail::run(store.clone(), mailer, MAIL_INTERVAL));
    let timeout = chrono::Duration::from_std(shop.pending_payment_timeout)
        .unwrap_or(chrono::Duration::minutes(30));
    let purge_state = shop.redis_url.is_none();
    tokio::spawn(comptoir_store::poll_forever(
        SWEEP_INTERVAL,
        None,
        "unpaid-order sweeper",
        move || {
            let store = store.clone();
            async move {
                let now = Utc::now();
                let cancelled = store
                    .cancel_unpaid_orders(PaymentMethod::Card.as_str(), now - timeout)
                    .await?;
                if cancelled > 0 {
                    tracing::info!(cancelled, "unpaid card orders cancelled, stock returned");
                }
                // Redis expires sessions and carts itself; the database needs a sweep.
                if purge_state {
                    store.ephemeral_purge(now).await?;
                }
                Ok::<(), comptoir_store::StoreError>(())
            }
        },
    ));
    Ok(())
}
