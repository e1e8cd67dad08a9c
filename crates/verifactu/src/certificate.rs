//! The company's certificate, as its certificate authority hands it out: a PKCS#12
//! file and its password. TLS presents it to AEAT, which knows the company by it.

use base64::Engine;
use p12_keystore::{KeyStore, Pkcs12ImportPolicy};

#[derive(Debug, thiserror::Error)]
pub enum CertificateError {
    /// A wrong password reads as a damaged file: PKCS#12 cannot tell them apart.
    #[error("the certificate cannot be opened (wrong password, or not a PKCS#12 file): {0}")]
    Unreadable(String),
    #[error("the certificate file holds no private key with its certificate")]
    NoKey,
    #[error("TLS does not take the certificate: {0}")]
    Rejected(String),
}

/// The identity TLS presents: the private key and its certificate chain of the
/// PKCS#12 file `der`.
pub fn identity(der: &[u8], password: &str) -> Result<reqwest::Identity, CertificateError> {
    let store = KeyStore::from_pkcs12(der, password, Pkcs12ImportPolicy::Relaxed)
        .map_err(|e| CertificateError::Unreadable(e.to_string()))?;
    let (_, chain) = store.private_key_chain().ok_or(CertificateError::NoKey)?;
    if chain.certs().is_empty() {
        return Err(CertificateError::NoKey);
    }
    let mut pem = armoured("PRIVATE KEY", chain.key().as_der());
    for certificate in chain.certs() {
        pem.push_str(&armoured("CERTIFICATE", certificate.as_der()));
    }
    reqwest::Identity::from_pem(pem.as_bytes())
        .map_err(|e| CertificateError::Rejected(e.to_string()))
}

/// `der` in PEM's armour, as TLS reads keys and certificates.
fn armoured(label: &str, der: &[u8]) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(der);
    let mut pem = format!("-----BEGIN {label}-----\n");
    for line in encoded.as_bytes().chunks(64) {
        pem.push_str(&String::from_utf8_lossy(line));
        pem.push('\n');
    }
    pem.push_str(&format!("-----END {label}-----\n"));
    pem
}

#[cfg(test)]
mod tests {
    use super::*;
    use p12_keystore::{Certificate, KeyStoreEntry, PrivateKey, PrivateKeyChain};

    fn pkcs12(password: &str) -> Vec<u8> {
        let key = rcgen::KeyPair::generate().unwrap();
        let params = rcgen::CertificateParams::new(vec!["empresa.example".to_owned()]).unwrap();
        let certificate = params.self_signed(&key).unwrap();
        let chain = PrivateKeyChain::new(
            vec![1u8; 20],
            PrivateKey::from_der(&key.serialize_der()).unwrap(),
            [Certificate::from_der(certificate.der()).unwrap()],
        );
        let mut store = KeyStore::new();
        store.add_entry("empresa", KeyStoreEntry::PrivateKeyChain(chain));
        store.writer(password).write().unwrap()
    }

    #[test]
    fn a_pkcs12_file_opens_with_its_password_only() {
        let der = pkcs12("s3cret");
        assert!(identity(&der, "s3cret").is_ok());
        let wrong = identity(&der, "guess").unwrap_err();
        assert!(matches!(wrong, CertificateError::Unreadable(_)), "{wrong}");
        assert!(matches!(
            identity(b"not a certificate", "s3cret"),
            Err(CertificateError::Unreadable(_))
        ));
    }

    #[test]
    fn pem_lines_are_64_characters() {
        let pem = armoured("CERTIFICATE", &[7u8; 100]);
        let lines: Vec<&str> = pem.lines().collect();
        assert_eq!(lines[0], "-----BEGIN CERTIFICATE-----");
        assert_eq!(lines[1].len(), 64);
        assert_eq!(lines.last(), Some(&"-----END CERTIFICATE-----"));
    }
}
