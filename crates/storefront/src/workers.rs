//! Background work every replica runs beside its pages. Each task is safe to run on
//! many replicas at once: mails are claimed with a lock that skips taken rows, an
//! order expires once whoever sweeps it (a guarded update), and a reminder is queued
//! once (marked in the same transaction).

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use comptoir_domain::SiteCode;
use comptoir_mail::{FileMailer, InvoicePdfs, Mailer, SmtpMailer};
use comptoir_payments::PaymentMethod;
use comptoir_store::{ShopStore, StoreError};

use crate::{ShopSettings, StartError};

/// How often the outbox is read.
const MAIL_INTERVAL: Duration = Duration::from_secs(2);
/// How often unpaid orders and expired shopper state are looked for.
const SWEEP_INTERVAL: Duration = Duration::from_secs(60);

pub fn start(store: Arc<dyn ShopStore>, shop: &ShopSettings) -> Result<(), StartError> {
    let mailer: Arc<dyn Mailer> = match &shop.mail.smtp_url {
        Some(url) => {
            let mailer = SmtpMailer::new(url.expose(), &shop.mail.sender);
            Arc::new(mailer.map_err(|e| StartError::Mail(e.0))?)
        }
        None => Arc::new(FileMailer {
            folder: shop.mail.folder.clone(),
            sender: shop.mail.sender.clone(),
        }),
    };
    let pdfs = InvoicePdfs {
        invoices: store.clone(),
        qr_host: shop.verifactu.qr_host(),
    };
    tokio::spawn(comptoir_mail::run(
        store.clone(),
        pdfs,
        mailer,
        MAIL_INTERVAL,
    ));
    comptoir_web::metrics::sample_database_pool(store.clone());
    tokio::spawn(sample_mail_backlog(store.clone()));
    let card_timeout = chrono::Duration::from_std(shop.pending_payment_timeout)
        .unwrap_or(chrono::Duration::minutes(30));
    let transfer_timeout =
        chrono::Duration::from_std(shop.bank_transfer_timeout).unwrap_or(chrono::Duration::days(7));
    let iban = shop.bank_transfer_iban.clone();
    let purge_state = shop.redis_url.is_none();
    tokio::spawn(comptoir_store::poll_forever(
        SWEEP_INTERVAL,
        None,
        "unpaid-order sweeper",
        move || {
            let store = store.clone();
            let iban = iban.clone();
            async move {
                let now = Utc::now();
                let card = PaymentMethod::Card.as_str();
                let cancelled = store.expire_unpaid_orders(card, now - card_timeout).await?;
                if cancelled > 0 {
                    tracing::info!(cancelled, "unpaid card orders cancelled, stock returned");
                }
                remind_transfers(store.as_ref(), &iban, now, transfer_timeout).await?;
                let transfer = PaymentMethod::BankTransfer.as_str();
                let cancelled = store
                    .expire_unpaid_orders(transfer, now - transfer_timeout)
                    .await?;
                if cancelled > 0 {
                    tracing::info!(cancelled, "unpaid transfers cancelled, stock returned");
                }
                // Redis expires sessions and carts itself; the database needs a sweep.
                if purge_state {
                    store.ephemeral_purge(now).await?;
                }
                Ok::<(), StoreError>(())
            }
        },
    ));
    Ok(())
}

/// Reminds the shoppers of unpaid transfers a day before their orders expire (or
/// halfway, when they expire within two days).
async fn remind_transfers(
    store: &dyn ShopStore,
    iban: &str,
    now: chrono::DateTime<Utc>,
    timeout: chrono::Duration,
) -> Result<(), StoreError> {
    let notice = chrono::Duration::days(1).min(timeout / 2);
    for order_id in store.transfers_to_remind(now - (timeout - notice)).await? {
        let Some(order) = store.order(order_id).await? else {
            continue;
        };
        let site = SiteCode::parse(&order.site).unwrap_or(SiteCode::Es);
        let mail = crate::mails::transfer_reminder(&order, site, iban, order.placed_at + timeout);
        if store.queue_transfer_reminder(order_id, &mail, now).await? {
            tracing::info!(order = order.number, "unpaid transfer reminded");
        }
    }
    Ok(())
}

/// Every 5 s, the mails not sent yet (`comptoir_mail_outbox_backlog`): a relay that
/// refuses mail shows as a backlog that grows.
async fn sample_mail_backlog(store: Arc<dyn ShopStore>) {
    let mut tick = tokio::time::interval(Duration::from_secs(5));
    loop {
        tick.tick().await;
        match store.mail_backlog().await {
            Ok(backlog) => metrics::gauge!("comptoir_mail_outbox_backlog").set(backlog as f64),
            Err(error) => tracing::debug!(%error, "mail backlog not read"),
        }
    }
}
