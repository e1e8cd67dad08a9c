//! Payments: how a shopper may pay, and the card gateways behind one interface, kept
//! apart from I/O.
//!
//! A card payment sends the shopper to a gateway's hosted page; the gateway then
//! notifies the shop with a signed message. Two gateways speak that protocol: Redsys
//! (the card gateway Spanish shops use) and the demo's test bank, served by Comptoir
//! itself, which signs its notifications the same way. No card number ever reaches
//! the shop.

pub mod redsys;

use redsys::{
    MerchantKey, Notification, OrderReference, PaymentRequest, ReceivedRequest, RedsysError,
    SignedForm,
};

/// How an order is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PaymentMethod {
    /// On a card gateway's page; the order waits for its notification.
    Card,
    /// The shopper transfers the amount; staff mark the order paid.
    BankTransfer,
    /// Paid to the carrier at delivery.
    CashOnDelivery,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 3] = [
        PaymentMethod::Card,
        PaymentMethod::BankTransfer,
        PaymentMethod::CashOnDelivery,
    ];

    /// The code stored with the order.
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Card => "card",
            PaymentMethod::BankTransfer => "bank-transfer",
            PaymentMethod::CashOnDelivery => "cash-on-delivery",
        }
    }

    pub fn parse(code: &str) -> Option<PaymentMethod> {
        PaymentMethod::ALL.into_iter().find(|m| m.as_str() == code)
    }
}

/// Which card gateway a shop uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GatewayKind {
    /// The demo's test bank, a page of this shop: approve or decline.
    TestBank,
    Redsys,
}

impl GatewayKind {
    /// The provider name stored with each payment attempt.
    pub fn as_str(self) -> &'static str {
        match self {
            GatewayKind::TestBank => "test-bank",
            GatewayKind::Redsys => "redsys",
        }
    }
}

/// A card gateway speaking the Redsys redirect protocol.
#[derive(Debug, Clone)]
pub struct CardGateway {
    pub kind: GatewayKind,
    /// Where the redirect form posts (the gateway's payment page).
    pub payment_url: String,
    pub merchant_code: String,
    pub terminal: String,
    key: MerchantKey,
}

/// The form that sends the shopper to the gateway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub action: String,
    pub form: SignedForm,
}

/// Where the gateway sends its notification and the shopper afterwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnUrls {
    pub notification: String,
    pub ok: String,
    pub ko: String,
}

impl CardGateway {
    pub fn new(
        kind: GatewayKind,
        payment_url: String,
        merchant_code: String,
        terminal: String,
        key: MerchantKey,
    ) -> CardGateway {
        CardGateway {
            kind,
            payment_url,
            merchant_code,
            terminal,
            key,
        }
    }

    /// The signed form for the payment attempt `reference` of `amount_cents`.
    pub fn redirect(
        &self,
        reference: &OrderReference,
        amount_cents: i64,
        urls: &ReturnUrls,
    ) -> Redirect {
        let request = PaymentRequest {
            order: reference.clone(),
            amount_cents,
            merchant_code: self.merchant_code.clone(),
            terminal: self.terminal.clone(),
            notification_url: urls.notification.clone(),
            ok_url: urls.ok.clone(),
            ko_url: urls.ko.clone(),
        };
        Redirect {
            action: self.payment_url.clone(),
            form: request.sign(&self.key),
        }
    }

    /// Checks a notification's signature and reads it.
    pub fn verify(&self, parameters: &str, signature: &str) -> Result<Notification, RedsysError> {
        redsys::verify_notification(&self.key, parameters, signature)
    }

    /// A payment request as the test bank reads it, its signature checked; `None`
    /// for a real gateway, whose page is not the shop's.
    pub fn test_bank_request(
        &self,
        parameters: &str,
        signature: &str,
    ) -> Option<Result<ReceivedRequest, RedsysError>> {
        (self.kind == GatewayKind::TestBank)
            .then(|| redsys::verify_request(&self.key, parameters, signature))
    }

    /// The test bank's answer for an attempt: a notification signed with this
    /// gateway's key. Only the test bank answers itself.
    pub fn test_bank_answer(
        &self,
        attempt: &OrderReference,
        amount_cents: i64,
        approve: bool,
    ) -> Option<SignedForm> {
        (self.kind == GatewayKind::TestBank).then(|| {
            redsys::sign_notification(
                &self.key,
                attempt,
                amount_cents,
                if approve { 0 } else { 190 },
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gateway(kind: GatewayKind) -> CardGateway {
        CardGateway::new(
            kind,
            "https://bank.example/pay".to_owned(),
            "999008881".to_owned(),
            "1".to_owned(),
            MerchantKey::parse("sq7HjrUOBfKmC576ILgskD5srU870gJ7").unwrap(),
        )
    }

    #[test]
    fn the_test_bank_answers_through_the_notification_path() {
        let bank = gateway(GatewayKind::TestBank);
        let urls = ReturnUrls {
            notification: "http://shop/n".to_owned(),
            ok: "http://shop/ok".to_owned(),
            ko: "http://shop/ko".to_owned(),
        };
        let reference = OrderReference::random();
        let redirect = bank.redirect(&reference, 2_499, &urls);
        assert_eq!(redirect.action, "https://bank.example/pay");
        let seen = bank
            .test_bank_request(&redirect.form.merchant_parameters, &redirect.form.signature)
            .unwrap()
            .unwrap();
        assert_eq!(seen.amount_cents, 2_499);
        assert_eq!(seen.notification_url, "http://shop/n");
        let forged = bank.test_bank_request(&redirect.form.merchant_parameters, "AAAA");
        assert!(matches!(forged, Some(Err(RedsysError::Signature))));
        let answer = bank.test_bank_answer(&reference, 2_499, true).unwrap();
        let notification = bank
            .verify(&answer.merchant_parameters, &answer.signature)
            .unwrap();
        assert!(notification.authorised());
        assert_eq!(notification.order, reference.as_str());
        assert!(
            gateway(GatewayKind::Redsys)
                .test_bank_answer(&reference, 2_499, true)
                .is_none(),
            "a real gateway's answers are never forged by the shop"
        );
    }

    #[test]
    fn payment_methods_have_codes() {
        for method in PaymentMethod::ALL {
            assert_eq!(PaymentMethod::parse(method.as_str()), Some(method));
        }
    }
}
