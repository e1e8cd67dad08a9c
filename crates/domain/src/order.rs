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

    pub const ALL: [PaymentStatus; 4] = [
        PaymentStatus::Pending,
        PaymentStatus::Paid,
        PaymentStatus::Failed,
        PaymentStatus::Refunded,
    ];

    pub fn parse(code: &str) -> Option<Self> {
        PaymentStatus::ALL.into_iter().find(|s| s.as_str() == code)
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

    pub const ALL: [FulfilmentStatus; 5] = [
        FulfilmentStatus::New,
        FulfilmentStatus::Processing,
        FulfilmentStatus::Shipped,
        FulfilmentStatus::Delivered,
        FulfilmentStatus::Cancelled,
    ];

    pub fn parse(code: &str) -> Option<Self> {
        FulfilmentStatus::ALL
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

/// An order's two statuses taken together: what the order may do next depends on both
/// (a cancelled order takes no payment; an unpaid card order is not shipped).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderStatus {
    pub payment: PaymentStatus,
    pub fulfilment: FulfilmentStatus,
}

/// How an order is paid, as far as its rules care: goods leave unpaid only when the
/// carrier collects the money.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentTiming {
    /// Card or bank transfer: paid before the goods leave.
    BeforeShipping,
    /// Cash on delivery: paid to the carrier.
    OnDelivery,
}

/// Something that moves an order on. Every statement that changes an order's statuses
/// applies one step, and its `WHERE` admits exactly [`OrderStep::sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderStep {
    /// The gateway approved a card payment: only an order still waiting for it.
    PayByCard,
    /// Staff record a bank transfer or the carrier's cash.
    MarkPaid,
    /// Staff start preparing the order.
    StartProcessing,
    /// Handed to the carrier.
    Ship,
    Deliver,
    /// Staff cancel an order not yet shipped; its units go back once.
    Cancel,
    /// An unpaid order's time ran out: cancelled, its payment failed, its units back.
    Expire,
    /// Money given back, in part (the status stays paid) or whole.
    Refund {
        whole: bool,
    },
}

impl OrderStatus {
    pub fn new(payment: PaymentStatus, fulfilment: FulfilmentStatus) -> OrderStatus {
        OrderStatus {
            payment,
            fulfilment,
        }
    }

    /// The statuses after `step`, or `None` when the rules forbid it from here.
    pub fn after(self, step: OrderStep, timing: PaymentTiming) -> Option<OrderStatus> {
        use FulfilmentStatus::*;
        use PaymentStatus::*;
        let OrderStatus {
            payment,
            fulfilment,
        } = self;
        let cod = timing == PaymentTiming::OnDelivery;
        let next = match step {
            OrderStep::PayByCard => (payment == Pending && fulfilment == New && !cod)
                .then_some(OrderStatus::new(Paid, New)),
            OrderStep::MarkPaid => (payment == Pending && fulfilment != Cancelled)
                .then_some(OrderStatus::new(Paid, fulfilment)),
            OrderStep::StartProcessing => (fulfilment == New
                && (payment == Paid || (payment == Pending && cod)))
                .then_some(OrderStatus::new(payment, Processing)),
            OrderStep::Ship => (fulfilment == Processing
                && (payment == Paid || (payment == Pending && cod)))
                .then_some(OrderStatus::new(payment, Shipped)),
            OrderStep::Deliver => (fulfilment == Shipped && matches!(payment, Pending | Paid))
                .then_some(OrderStatus::new(payment, Delivered)),
            OrderStep::Cancel => (matches!(fulfilment, New | Processing)
                && matches!(payment, Pending | Paid))
            .then_some(OrderStatus::new(payment, Cancelled)),
            OrderStep::Expire => (payment == Pending && fulfilment == New)
                .then_some(OrderStatus::new(Failed, Cancelled)),
            OrderStep::Refund { whole } => (payment == Paid).then_some(OrderStatus::new(
                if whole { Refunded } else { Paid },
                fulfilment,
            )),
        };
        debug_assert!(next.is_none_or(|n| {
            (n.payment == payment || payment.can_become(n.payment))
                && (n.fulfilment == fulfilment || fulfilment.can_become(n.fulfilment))
        }));
        next
    }
}

impl OrderStep {
    /// Every state `self` may start from: what the guarding `WHERE` admits.
    pub fn sources(self, timing: PaymentTiming) -> Vec<OrderStatus> {
        let mut sources = Vec::new();
        for payment in PaymentStatus::ALL {
            for fulfilment in FulfilmentStatus::ALL {
                let status = OrderStatus::new(payment, fulfilment);
                if status.after(self, timing).is_some() {
                    sources.push(status);
                }
            }
        }
        sources
    }

    /// The SQL condition admitting exactly [`OrderStep::sources`], over the columns
    /// `payment_status` and `fulfilment_status`. Only status codes (fixed words) go
    /// into it.
    pub fn guard_sql(self, timing: PaymentTiming) -> String {
        let sources = self.sources(timing);
        if sources.is_empty() {
            return "FALSE".to_owned();
        }
        let alternatives: Vec<String> = sources
            .iter()
            .map(|s| {
                format!(
                    "(payment_status = '{}' AND fulfilment_status = '{}')",
                    s.payment.as_str(),
                    s.fulfilment.as_str()
                )
            })
            .collect();
        format!("({})", alternatives.join(" OR "))
    }
}

/// Where an order goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShippingAddress {
    pub name: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    /// ISO code: `ES`, `FR`, `PT`, `IT`.
    pub country: String,
}

/// Who the invoice of an order is made out to, when the shopper asks for one in a
/// company's (or their own) name: the billing address (its name the company's) and
/// the tax id, checked ([`crate::tax_id::TaxId`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceDetails {
    pub tax_id: String,
    pub billing: ShippingAddress,
    /// VIES's confirmation that `tax_id` is a VAT number of another member state
    /// (when, and its consultation number): the sale is an exempt
    /// intra-community supply.
    pub vies_proof: Option<String>,
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

    #[test]
    fn both_statuses_decide_together() {
        use FulfilmentStatus::*;
        use PaymentStatus::*;
        let card = PaymentTiming::BeforeShipping;
        let cod = PaymentTiming::OnDelivery;
        let status = OrderStatus::new;
        assert_eq!(
            status(Pending, New).after(OrderStep::PayByCard, card),
            Some(status(Paid, New))
        );
        assert_eq!(
            status(Pending, Cancelled).after(OrderStep::PayByCard, card),
            None,
            "a cancelled order takes no payment"
        );
        assert_eq!(status(Paid, New).after(OrderStep::PayByCard, card), None);
        assert_eq!(
            status(Pending, Processing).after(OrderStep::Ship, card),
            None,
            "an unpaid card order is not shipped"
        );
        assert_eq!(
            status(Pending, Processing).after(OrderStep::Ship, cod),
            Some(status(Pending, Shipped))
        );
        assert_eq!(
            status(Pending, New).after(OrderStep::StartProcessing, card),
            None
        );
        assert_eq!(
            status(Pending, Shipped).after(OrderStep::Expire, card),
            None,
            "the sweeper never cancels a shipped order"
        );
        assert_eq!(
            status(Pending, New).after(OrderStep::Expire, card),
            Some(status(Failed, Cancelled))
        );
        assert_eq!(
            status(Paid, Processing).after(OrderStep::Cancel, card),
            Some(status(Paid, Cancelled))
        );
        assert_eq!(
            status(Pending, Cancelled).after(OrderStep::Cancel, card),
            None
        );
        assert_eq!(
            status(Pending, Shipped).after(OrderStep::MarkPaid, cod),
            Some(status(Paid, Shipped))
        );
        assert_eq!(
            status(Paid, Delivered).after(OrderStep::Refund { whole: true }, card),
            Some(status(Refunded, Delivered))
        );
    }

    #[test]
    fn guards_admit_exactly_the_sources() {
        assert_eq!(
            OrderStep::PayByCard.guard_sql(PaymentTiming::BeforeShipping),
            "((payment_status = 'pending' AND fulfilment_status = 'new'))"
        );
        assert_eq!(
            OrderStep::PayByCard.guard_sql(PaymentTiming::OnDelivery),
            "FALSE"
        );
        let expire = OrderStep::Expire.sources(PaymentTiming::BeforeShipping);
        assert_eq!(
            expire,
            vec![OrderStatus::new(
                PaymentStatus::Pending,
                FulfilmentStatus::New
            )]
        );
        let cancel = OrderStep::Cancel.sources(PaymentTiming::BeforeShipping);
        assert_eq!(cancel.len(), 4, "pending or paid, new or processing");
    }
}
