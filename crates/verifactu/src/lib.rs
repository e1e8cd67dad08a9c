//! Sends VERI*FACTU records to the AEAT (Order HAC/1177/2024): each record, in chain
//! order, in AEAT's SOAP message, over TLS with the company's certificate, at the
//! pace AEAT sets; AEAT's answer is kept on each record for staff to see.

mod answer;
mod certificate;
mod client;
mod message;
mod sender;

pub use certificate::{CertificateError, identity};
pub use client::{AeatClient, TransportError};
pub use message::{INFORMATION_NAMESPACE, LR_NAMESPACE, SOAP_NAMESPACE, Software};
pub use sender::{Round, Sender};

use std::sync::Arc;
use std::time::Duration;

/// How often the sender looks for records due.
const SEND_INTERVAL: Duration = Duration::from_secs(5);

/// What sending records needs: AEAT's service with the company's certificate, and
/// this installation.
#[derive(Clone)]
pub struct Sending {
    pub client: AeatClient,
    pub software: Software,
}

impl std::fmt::Debug for Sending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sending")
            .field("url", &self.client.url())
            .field("software", &self.software)
            .finish_non_exhaustive()
    }
}

impl Sending {
    /// Sends records in the background, for as long as the process runs.
    pub fn start(self, store: Arc<dyn comptoir_store::VerifactuStore>) {
        tokio::spawn(Sender::new(store, self.client, self.software).run(SEND_INTERVAL));
    }
}
