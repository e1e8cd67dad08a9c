//! The connection to AEAT's service: SOAP over HTTPS, the company's certificate
//! presented for TLS client authentication.

use std::time::Duration;

use crate::certificate::CertificateError;

/// How long AEAT may take to answer a message of up to 1 000 records.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(120);

/// Why a message got no answer: it may or may not have reached AEAT, so its
/// records are sent again (and an answer that they are duplicates then means AEAT
/// had them).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    #[error("AEAT cannot be reached: {0}")]
    Unreachable(String),
    #[error("AEAT answered HTTP {0}")]
    Status(u16),
}

#[derive(Clone)]
pub struct AeatClient {
    http: reqwest::Client,
    url: String,
}

impl AeatClient {
    /// A client of the service at `url` presenting `identity`, trusting the
    /// system's certificate authorities and `extra_root` (a stand-in's).
    pub fn new(
        url: &str,
        identity: reqwest::Identity,
        extra_root: Option<reqwest::Certificate>,
    ) -> Result<AeatClient, CertificateError> {
        let mut builder = reqwest::Client::builder()
            .identity(identity)
            .https_only(true)
            .timeout(ANSWER_TIMEOUT)
            .connect_timeout(Duration::from_secs(15));
        if let Some(root) = extra_root {
            builder = builder.add_root_certificate(root);
        }
        let http = builder
            .build()
            .map_err(|e| CertificateError::Rejected(e.to_string()))?;
        Ok(AeatClient {
            http,
            url: url.to_owned(),
        })
    }

    /// AEAT's service it sends to.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Posts `envelope`; AEAT's answer, a reply or a fault.
    pub async fn send(&self, envelope: String) -> Result<String, TransportError> {
        let response = self
            .http
            .post(&self.url)
            .header("Content-Type", "text/xml; charset=utf-8")
            .header("SOAPAction", "\"\"")
            .body(envelope)
            .send()
            .await
            .map_err(|e| TransportError::Unreachable(error_chain(&e)))?;
        let status = response.status();
        // SOAP 1.1 sends a fault with status 500.
        if !(status.is_success() || status == reqwest::StatusCode::INTERNAL_SERVER_ERROR) {
            return Err(TransportError::Status(status.as_u16()));
        }
        response
            .text()
            .await
            .map_err(|e| TransportError::Unreachable(error_chain(&e)))
    }
}

/// An error with its causes, which say what really failed (a TLS handshake, a
/// refused connection).
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
