//! The mail outbox and its worker on both backends: mails are sent once, failures are
//! retried later, concurrent workers never send a mail twice.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;
use chrono::Utc;
use comptoir_domain::invoicing::verifactu::AeatHost;
use comptoir_e2e::{TestStore, on_both_backends};
use comptoir_mail::{Attachment, FileMailer, InvoicePdfs, Mailer, SendError, deliver_due};
use comptoir_store::{OutgoingMail, QueuedMail};

on_both_backends! {
    queued_mails_are_written_once,
    failed_mails_are_retried_later,
    concurrent_workers_send_each_mail_once,
}

/// The worker's view of the invoices mails carry.
fn pdfs(t: &TestStore) -> InvoicePdfs {
    InvoicePdfs {
        invoices: t.store.clone(),
        qr_host: AeatHost::Test,
    }
}

fn mail(n: usize) -> OutgoingMail {
    OutgoingMail {
        recipient: format!("cliente{n}@example.es"),
        subject: format!("Pedido ES-10000000{n}"),
        body: "Gracias por tu pedido.\nTe avisaremos del envío.".to_owned(),
    }
}

async fn queued_mails_are_written_once(t: TestStore) {
    let folder = tempfile::tempdir().unwrap();
    let mailer = FileMailer {
        folder: folder.path().join("mail"),
        sender: "tienda@example.es".to_owned(),
    };
    let id = t.store.enqueue_mail(&mail(1)).await.unwrap();
    assert_eq!(
        deliver_due(t.store.as_ref(), &pdfs(&t), &mailer, Utc::now())
            .await
            .unwrap(),
        1
    );
    let written =
        std::fs::read_to_string(folder.path().join("mail").join(format!("{id:08}.eml"))).unwrap();
    assert!(written.contains("To: cliente1@example.es\r\n"));
    assert!(written.contains("Subject: Pedido ES-100000001\r\n"));
    assert!(written.contains("Te avisaremos del envío."));
    assert_eq!(
        deliver_due(t.store.as_ref(), &pdfs(&t), &mailer, Utc::now())
            .await
            .unwrap(),
        0,
        "sent once"
    );
}

/// A mail server that is down.
struct Down;

#[async_trait]
impl Mailer for Down {
    async fn send(&self, _: &QueuedMail, _: &[Attachment]) -> Result<(), SendError> {
        Err(SendError("connection refused".to_owned()))
    }
}

async fn failed_mails_are_retried_later(t: TestStore) {
    t.store.enqueue_mail(&mail(2)).await.unwrap();
    assert_eq!(
        deliver_due(t.store.as_ref(), &pdfs(&t), &Down, Utc::now())
            .await
            .unwrap(),
        0
    );
    // Not due again right away...
    assert!(
        t.store
            .claim_due_mails(Utc::now(), 10)
            .await
            .unwrap()
            .is_empty()
    );
    // ...but in a while, with its failure counted.
    let later = t
        .store
        .claim_due_mails(Utc::now() + chrono::Duration::minutes(5), 10)
        .await
        .unwrap();
    assert_eq!(later.len(), 1);
    assert_eq!(later[0].attempts, 1);
}

/// Counts what it is asked to send.
struct Counting(AtomicUsize);

#[async_trait]
impl Mailer for Counting {
    async fn send(&self, _: &QueuedMail, _: &[Attachment]) -> Result<(), SendError> {
        self.0.fetch_add(1, Ordering::SeqCst);
        tokio::task::yield_now().await;
        Ok(())
    }
}

async fn concurrent_workers_send_each_mail_once(t: TestStore) {
    for n in 0..45 {
        t.store.enqueue_mail(&mail(n)).await.unwrap();
    }
    let counter = Arc::new(Counting(AtomicUsize::new(0)));
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let store = t.store.clone();
            let pdfs = pdfs(&t);
            let counter = counter.clone();
            tokio::spawn(async move {
                let mut sent = 0;
                for _ in 0..5 {
                    sent += deliver_due(store.as_ref(), &pdfs, counter.as_ref(), Utc::now())
                        .await
                        .unwrap();
                }
                sent
            })
        })
        .collect();
    let mut total = 0;
    for worker in workers {
        total += worker.await.unwrap();
    }
    assert_eq!(total, 45);
    assert_eq!(counter.0.load(Ordering::SeqCst), 45, "no mail sent twice");
}
