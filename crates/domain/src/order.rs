//! Orders: their human numbers and the two status machines, payment apart from
//! fulfilment.

use std::fmt;

use crate::site::SiteCode;

/// A human order number: the site's code and a number from the site's own sequence
/// (`ES-100000123`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OrderNumber(String);

/// Order numbers start here, so that they all have the same length for years.
pub const FIRST_ORDER_NUMBER: i64 = 100_000_000;

impl OrderNumber {
    pub fn new(site: SiteCode, sequence_value: i64) -> OrderNumber {
        OrderNumber(format!(
            "{}-{sequence_value}",
            site.as_str().to_ascii_uppercase()
        ))
    }

    pub fn parse(text: &str) -> Option<OrderNumber> {
        let (site, number) = text.trim().split_once('-')?;
        let site = SiteCode::parse(&site.to_ascii_lowercase()).ok()?;
        let number: i64 = number.parse().ok().filter(|n| *n >= FIRST_ORDER_NUMBER)?;
        Some(OrderNumber::new(site, number))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OrderNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentStatus {
    Pending,
    Paid,
    Failed,
    Refunded,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FulfilmentStatus {
    New,
    Processing,
    Shipped,
    Delivered,
    Cancelled,
}

impl PaymentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentStatus::Pending => "pending",
            PaymentStatus::Paid => "paid",
            PaymentStatus::Failed => "failed",
            PaymentStatus::Refunded => "refunded",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [
            PaymentStatus::Pending,
            PaymentStatus::Paid,
            PaymentStatus::Failed,
            PaymentStatus::Refunded,
        ]
        .into_iter()
        .find(|s| s.as_str() == code)
    }

    /// Whether a payment may move from `self` to `next`. A pending payment is
    /// settled once (paid or failed); only a paid one is refunded.
    pub fn can_become(self, next: PaymentStatus) -> bool {
        use PaymentStatus::*;
        matches!(
            (self, next),
            (Pending, Paid) | (Pending, Failed) | (Paid, Refunded)
        )
    }
}

impl FulfilmentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            FulfilmentStatus::New => "new",
            FulfilmentStatus::Processing => "processing",
            FulfilmentStatus::Shipped => "shipped",
            FulfilmentStatus::Delivered => "delivered",
            FulfilmentStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        use FulfilmentStatus::*;
        [New, Processing, Shipped, Delivered, Cancelled]
            .into_iter()
            .find(|s| s.as_str() == code)
    }

    /// new → processing → shipped → delivered; an order not yet shipped can be
    /// cancelled (its stock goes back).
    pub fn can_become(self, next: FulfilmentStatus) -> bool {
        use FulfilmentStatus::*;
        matches!(
            (self, next),
            (New, Processing)
                | (Processing, Shipped)
                | (Shipped, Delivered)
                | (New, Cancelled)
                | (Processing, Cancelled)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_numbers() {
        let number = OrderNumber::new(SiteCode::Es, 100_000_123);
        assert_eq!(number.as_str(), "ES-100000123");
        assert_eq!(OrderNumber::parse("es-100000123"), Some(number));
        for bad in ["ES100000123", "DE-100000123", "ES-12", "ES-abc", ""] {
            assert_eq!(OrderNumber::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn payment_transitions() {
        use PaymentStatus::*;
        assert!(
            Pending.can_become(Paid) && Pending.can_become(Failed) && Paid.can_become(Refunded)
        );
        assert!(!Paid.can_become(Paid), "paid exactly once");
        assert!(
            !Failed.can_become(Paid) && !Refunded.can_become(Paid) && !Pending.can_become(Refunded)
        );
        for s in [Pending, Paid, Failed, Refunded] {
            assert_eq!(PaymentStatus::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn fulfilment_transitions() {
        use FulfilmentStatus::*;
        assert!(
            New.can_become(Processing)
                && Processing.can_become(Shipped)
                && Shipped.can_become(Delivered)
        );
        assert!(New.can_become(Cancelled) && Processing.can_become(Cancelled));
        assert!(
            !Shipped.can_become(Cancelled)
                && !Delivered.can_become(New)
                && !New.can_become(Shipped)
        );
        for s in [New, Processing, Shipped, Delivered, Cancelled] {
            assert_eq!(FulfilmentStatus::parse(s.as_str()), Some(s));
        }
    }
}
