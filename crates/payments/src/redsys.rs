//! Redsys redirect payments (`HMAC_SHA256_V1`).
//!
//! The shop sends the shopper to Redsys with `Ds_MerchantParameters` (base64 JSON) and
//! `Ds_Signature`; Redsys notifies the result the same way. A signature is the
//! HMAC-SHA256 of the base64 parameters, keyed with the merchant key 3DES-encrypted
//! (CBC, zero IV, zero padding) over the order reference.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use des::TdesEde3;
use des::cipher::{BlockCipherEncrypt, KeyInit};
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

/// `Ds_SignatureVersion` of every request and notification.
pub const SIGNATURE_VERSION: &str = "HMAC_SHA256_V1";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RedsysError {
    #[error("the merchant key must be 24 bytes in base64")]
    Key,
    #[error("the merchant parameters are not base64 JSON")]
    Parameters,
    #[error("the notification names no order")]
    MissingOrder,
    #[error("'{0}' is not a Redsys order reference (4 digits, then up to 8 letters or digits)")]
    OrderReference(String),
    #[error("the signature does not match")]
    Signature,
}

/// A merchant's secret key: 24 bytes, given in base64. Redsys hands each merchant its
/// own; the test bank generates one per installation ([`MerchantKey::generate`]).
#[derive(Clone)]
pub struct MerchantKey([u8; 24]);

impl std::fmt::Debug for MerchantKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MerchantKey(***)")
    }
}

impl MerchantKey {
    pub fn parse(base64: &str) -> Result<MerchantKey, RedsysError> {
        let bytes = STANDARD
            .decode(base64.trim())
            .map_err(|_| RedsysError::Key)?;
        Ok(MerchantKey(bytes.try_into().map_err(|_| RedsysError::Key)?))
    }

    /// A new random key, for a test bank that signs with a key no one else knows.
    pub fn generate() -> MerchantKey {
        let mut bytes = [0u8; 24];
        getrandom::fill(&mut bytes).expect("the operating system gives random bytes");
        MerchantKey(bytes)
    }

    /// The key in base64, the form [`MerchantKey::parse`] reads: for storing a
    /// generated key, never for printing.
    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.0)
    }

    /// The order's own key: the merchant key 3DES-encrypted over the order reference.
    fn for_order(&self, order: &str) -> Vec<u8> {
        let cipher = TdesEde3::new_from_slice(&self.0).expect("a 24-byte key is a 3DES key");
        let mut data = order.as_bytes().to_vec();
        data.resize(data.len().div_ceil(8).max(1) * 8, 0);
        // CBC with a zero IV: each block is XORed with the previous ciphertext.
        let mut previous = [0u8; 8];
        for chunk in data.chunks_mut(8) {
            for (byte, prior) in chunk.iter_mut().zip(previous) {
                *byte ^= prior;
            }
            let block: &mut [u8; 8] = chunk.try_into().expect("chunks of 8");
            cipher.encrypt_block(block.into());
            previous = *block;
        }
        data
    }

    fn mac(&self, order: &str, parameters: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.for_order(order))
            .expect("HMAC takes any key length");
        mac.update(parameters.as_bytes());
        mac
    }

    /// `Ds_Signature` of `parameters` (the base64 `Ds_MerchantParameters`) for `order`.
    pub fn sign(&self, order: &str, parameters: &str) -> String {
        STANDARD.encode(self.mac(order, parameters).finalize().into_bytes())
    }
}

/// A Redsys order reference (`Ds_Merchant_Order`): 4 to 12 characters, the first 4
/// digits, the rest letters or digits. One per payment attempt, never reused, and not
/// guessable ([`OrderReference::random`]): knowing one attempt's tells nothing of
/// another's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderReference(String);

impl OrderReference {
    pub fn parse(text: &str) -> Result<OrderReference, RedsysError> {
        let bytes = text.as_bytes();
        let valid = (4..=12).contains(&bytes.len())
            && bytes[..4].iter().all(u8::is_ascii_digit)
            && bytes[4..].iter().all(u8::is_ascii_alphanumeric);
        valid
            .then(|| OrderReference(text.to_owned()))
            .ok_or_else(|| RedsysError::OrderReference(text.to_owned()))
    }

    /// A new random reference: 4 digits, then 8 letters or digits (about 2·10¹⁸
    /// possibilities).
    pub fn random() -> OrderReference {
        const DIGITS: &[u8] = b"0123456789";
        const ALPHANUMERIC: &[u8] =
            b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        let mut text = String::with_capacity(12);
        text.extend((0..4).map(|_| uniform_choice(DIGITS)));
        text.extend((0..8).map(|_| uniform_choice(ALPHANUMERIC)));
        OrderReference(text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One character of `alphabet`, each equally likely: random bytes past the largest
/// multiple of the alphabet's length are drawn again.
fn uniform_choice(alphabet: &[u8]) -> char {
    let limit = 256 - 256 % alphabet.len();
    loop {
        let mut byte = [0u8; 1];
        getrandom::fill(&mut byte).expect("the operating system gives random bytes");
        if usize::from(byte[0]) < limit {
            return char::from(alphabet[usize::from(byte[0]) % alphabet.len()]);
        }
    }
}

/// A payment request: what the redirect form posts to Redsys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRequest {
    pub order: OrderReference,
    pub amount_cents: i64,
    pub merchant_code: String,
    pub terminal: String,
    /// Where Redsys posts the notification.
    pub notification_url: String,
    /// Where the shopper returns after paying, or after giving up.
    pub ok_url: String,
    pub ko_url: String,
}

/// The three fields of the redirect form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedForm {
    pub signature_version: &'static str,
    pub merchant_parameters: String,
    pub signature: String,
}

impl PaymentRequest {
    pub fn sign(&self, key: &MerchantKey) -> SignedForm {
        let parameters = serde_json::json!({
            "DS_MERCHANT_AMOUNT": self.amount_cents.to_string(),
            "DS_MERCHANT_ORDER": self.order.as_str(),
            "DS_MERCHANT_MERCHANTCODE": self.merchant_code,
            "DS_MERCHANT_CURRENCY": "978",
            "DS_MERCHANT_TRANSACTIONTYPE": "0",
            "DS_MERCHANT_TERMINAL": self.terminal,
            "DS_MERCHANT_MERCHANTURL": self.notification_url,
            "DS_MERCHANT_URLOK": self.ok_url,
            "DS_MERCHANT_URLKO": self.ko_url,
        });
        let merchant_parameters = STANDARD.encode(parameters.to_string());
        SignedForm {
            signature_version: SIGNATURE_VERSION,
            signature: key.sign(self.order.as_str(), &merchant_parameters),
            merchant_parameters,
        }
    }
}

/// A payment request as the bank reads it, its signature checked: what the demo's
/// test bank shows and where it answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedRequest {
    pub order: OrderReference,
    pub amount_cents: i64,
    pub notification_url: String,
    pub ok_url: String,
    pub ko_url: String,
}

/// Checks a payment request's signature and reads it, as a bank does.
pub fn verify_request(
    key: &MerchantKey,
    parameters: &str,
    signature: &str,
) -> Result<ReceivedRequest, RedsysError> {
    let json: Value = decode_any(parameters)
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or(RedsysError::Parameters)?;
    let field = |name: &str| -> Option<String> {
        let value = json
            .as_object()?
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))?
            .1;
        value.as_str().map(str::to_owned)
    };
    let order = field("DS_MERCHANT_ORDER").ok_or(RedsysError::MissingOrder)?;
    let provided = decode_any(signature).ok_or(RedsysError::Signature)?;
    key.mac(&order, parameters.trim())
        .verify_slice(&provided)
        .map_err(|_| RedsysError::Signature)?;
    Ok(ReceivedRequest {
        order: OrderReference::parse(&order)?,
        amount_cents: field("DS_MERCHANT_AMOUNT")
            .and_then(|a| a.parse().ok())
            .ok_or(RedsysError::Parameters)?,
        notification_url: field("DS_MERCHANT_MERCHANTURL").ok_or(RedsysError::Parameters)?,
        ok_url: field("DS_MERCHANT_URLOK").ok_or(RedsysError::Parameters)?,
        ko_url: field("DS_MERCHANT_URLKO").ok_or(RedsysError::Parameters)?,
    })
}

/// A notification as a bank signs it: what the demo's test bank sends back through
/// the shop's notification path. `response` is `Ds_Response` (0 authorised, 190
/// declined).
pub fn sign_notification(
    key: &MerchantKey,
    order: &OrderReference,
    amount_cents: i64,
    response: u16,
) -> SignedForm {
    let parameters = serde_json::json!({
        "Ds_Amount": amount_cents.to_string(),
        "Ds_Currency": "978",
        "Ds_Order": order.as_str(),
        "Ds_Response": format!("{response:04}"),
        "Ds_TransactionType": "0",
    });
    let merchant_parameters = STANDARD.encode(parameters.to_string());
    SignedForm {
        signature_version: SIGNATURE_VERSION,
        signature: key.sign(order.as_str(), &merchant_parameters),
        merchant_parameters,
    }
}

/// A verified notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub order: String,
    pub amount_cents: Option<i64>,
    /// `Ds_Currency`, ISO 4217 numeric (`978` is the euro).
    pub currency: Option<String>,
    /// `Ds_Response`: 0–99 means authorised.
    pub response: Option<u16>,
}

impl Notification {
    pub fn authorised(&self) -> bool {
        self.response.is_some_and(|code| code <= 99)
    }
}

/// Decodes base64 in either alphabet, padded or not: notifications may come URL-safe.
fn decode_any(text: &str) -> Option<Vec<u8>> {
    let text = text.trim().trim_end_matches('=');
    let padded = format!("{text}{}", "=".repeat((4 - text.len() % 4) % 4));
    STANDARD
        .decode(&padded)
        .or_else(|_| URL_SAFE.decode(&padded))
        .ok()
}

/// Checks a notification's signature and reads it. Anything forged or garbled is
/// refused; the signature is compared in constant time.
pub fn verify_notification(
    key: &MerchantKey,
    parameters: &str,
    signature: &str,
) -> Result<Notification, RedsysError> {
    let json: Value = decode_any(parameters)
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or(RedsysError::Parameters)?;
    let field = |name: &str| -> Option<String> {
        let object = json.as_object()?;
        let value = object
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))?
            .1;
        value.as_str().map(str::to_owned)
    };
    let order = field("Ds_Order").ok_or(RedsysError::MissingOrder)?;
    let provided = decode_any(signature).ok_or(RedsysError::Signature)?;
    key.mac(&order, parameters.trim())
        .verify_slice(&provided)
        .map_err(|_| RedsysError::Signature)?;
    Ok(Notification {
        amount_cents: field("Ds_Amount").and_then(|a| a.parse().ok()),
        currency: field("Ds_Currency"),
        response: field("Ds_Response").and_then(|r| r.parse().ok()),
        order,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEST_KEY: &str = "sq7HjrUOBfKmC576ILgskD5srU870gJ7";
    const REQUEST: &str = "eyJEU19NRVJDSEFOVF9BTU9VTlQiOiIyNDk5IiwiRFNfTUVSQ0hBTlRfT1JERVIiOiI0MTU5QTAwMDAxMjMiLCJEU19NRVJDSEFOVF9NRVJDSEFOVENPREUiOiI5OTkwMDg4ODEiLCJEU19NRVJDSEFOVF9DVVJSRU5DWSI6Ijk3OCIsIkRTX01FUkNIQU5UX1RSQU5TQUNUSU9OVFlQRSI6IjAiLCJEU19NRVJDSEFOVF9URVJNSU5BTCI6IjEifQ==";
    const NOTIFICATION: &str = "eyJEc19EYXRlIjoiMzAlMkYwOCUyRjIwMjIiLCJEc19Ib3VyIjoiMTIlM0ExOCIsIkRzX1NlY3VyZVBheW1lbnQiOiIxIiwiRHNfQ2FyZF9Db3VudHJ5IjoiNzI0IiwiRHNfQW1vdW50IjoiMTU5MDAiLCJEc19DdXJyZW5jeSI6Ijk3OCIsIkRzX09yZGVyIjoiTU4wMDAwNDkiLCJEc19NZXJjaGFudENvZGUiOiIzNTU4NjgxMDAiLCJEc19UZXJtaW5hbCI6IjAwMSIsIkRzX1Jlc3BvbnNlIjoiMDAwMCIsIkRzX01lcmNoYW50RGF0YSI6IiIsIkRzX1RyYW5zYWN0aW9uVHlwZSI6IjAiLCJEc19Db25zdW1lckxhbmd1YWdlIjoiMSIsIkRzX0F1dGhvcmlzYXRpb25Db2RlIjoiMDAyNDEzIiwiRHNfQ2FyZF9CcmFuZCI6IjEiLCJEc19Qcm9jZXNzZWRQYXlNZXRob2QiOiI1IiwiRHNfQ29udHJvbF8xNjYxODU0NjgzOTg4IjoiMTY2MTg1NDY4Mzk4OCJ9";

    fn key() -> MerchantKey {
        MerchantKey::parse(TEST_KEY).unwrap()
    }

    #[test]
    fn signs_the_request_test_vector() {
        assert_eq!(
            key().sign("4159A0000123", REQUEST),
            "dMRu7zS7ycEK9K2+U9rbskyxKV4YlH9fGaEJC39fEQo="
        );
    }

    #[test]
    fn verifies_the_notification_test_vector_in_both_alphabets() {
        let signature = "O9aFvML5qK8VBQhV4GK8kFHvmAQaSnX1hfckr7abzIs=";
        let notification = verify_notification(&key(), NOTIFICATION, signature).unwrap();
        assert_eq!(notification.order, "MN000049");
        assert_eq!(notification.amount_cents, Some(15_900));
        assert!(notification.authorised());
        let url_safe = signature.replace('+', "-").replace('/', "_");
        assert!(verify_notification(&key(), NOTIFICATION, url_safe.trim_end_matches('=')).is_ok());
    }

    #[test]
    fn signed_notifications_verify() {
        let order = OrderReference::parse("0042ab12CD34").unwrap();
        let approved = sign_notification(&key(), &order, 2_499, 0);
        let read = verify_notification(&key(), &approved.merchant_parameters, &approved.signature)
            .unwrap();
        assert_eq!(read.order, "0042ab12CD34");
        assert_eq!(read.currency.as_deref(), Some("978"));
        assert_eq!(read.amount_cents, Some(2_499));
        assert!(read.authorised());
        let declined = sign_notification(&key(), &order, 2_499, 190);
        let read = verify_notification(&key(), &declined.merchant_parameters, &declined.signature)
            .unwrap();
        assert!(!read.authorised());
    }

    #[test]
    fn refuses_tampered_notifications() {
        let signature = "O9aFvML5qK8VBQhV4GK8kFHvmAQaSnX1hfckr7abzIs=";
        let tampered = NOTIFICATION.replacen("MTU5MDA", "MTU5MDE", 1);
        assert_eq!(
            verify_notification(&key(), &tampered, signature),
            Err(RedsysError::Signature)
        );
        assert_eq!(
            verify_notification(
                &key(),
                NOTIFICATION,
                "AAAAvML5qK8VBQhV4GK8kFHvmAQaSnX1hfckr7abzIs="
            ),
            Err(RedsysError::Signature)
        );
        assert_eq!(
            verify_notification(&key(), "not base64!", signature),
            Err(RedsysError::Parameters)
        );
        let other_key = MerchantKey::parse("Mk9m98IfEblmPfrpsawt7BmxObt98Jev").unwrap();
        assert_eq!(
            verify_notification(&other_key, NOTIFICATION, signature),
            Err(RedsysError::Signature)
        );
    }

    #[test]
    fn a_signed_request_verifies_as_its_notification_would() {
        let request = PaymentRequest {
            order: OrderReference::parse("4159A0000123").unwrap(),
            amount_cents: 2_499,
            merchant_code: "999008881".into(),
            terminal: "1".into(),
            notification_url: "https://www.disfraces.example.es/pago/redsys".into(),
            ok_url: "https://www.disfraces.example.es/pedido/ok".into(),
            ko_url: "https://www.disfraces.example.es/pedido/ko".into(),
        };
        let form = request.sign(&key());
        assert_eq!(form.signature_version, "HMAC_SHA256_V1");
        assert_eq!(
            form.signature,
            key().sign("4159A0000123", &form.merchant_parameters)
        );
    }

    #[test]
    fn order_references_follow_redsys_rules() {
        assert!(OrderReference::parse("4159A0000123").is_ok());
        assert!(OrderReference::parse("1234").is_ok());
        for bad in ["123", "A1234", "1234567890123", "1234-56"] {
            assert!(OrderReference::parse(bad).is_err(), "{bad}");
        }
        let references: Vec<OrderReference> = (0..200).map(|_| OrderReference::random()).collect();
        for reference in &references {
            assert_eq!(reference.as_str().len(), 12);
            assert_eq!(
                OrderReference::parse(reference.as_str()).as_ref(),
                Ok(reference)
            );
        }
        let mut distinct: Vec<&str> = references.iter().map(OrderReference::as_str).collect();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), 200, "never the same twice");
        assert!(
            references
                .iter()
                .any(|r| r.as_str()[4..].bytes().any(|b| b.is_ascii_lowercase())),
            "letters of both cases are drawn"
        );
        assert!(MerchantKey::parse("short").is_err());
        let generated = MerchantKey::generate();
        assert_ne!(generated.to_base64(), MerchantKey::generate().to_base64());
        let again = MerchantKey::parse(&generated.to_base64()).unwrap();
        assert_eq!(again.sign("1234", "x"), generated.sign("1234", "x"));
        assert_eq!(format!("{:?}", key()), "MerchantKey(***)");
    }
}
