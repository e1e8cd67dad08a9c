//! What staff do with orders: find them, and move them on (fulfilment, payment,
//! shipment, refund, notes), each step checked against the order's rules and
//! written with its timeline event and audit entry in one transaction.

use chrono::{DateTime, Utc};
use comptoir_domain::SiteCode;
use comptoir_domain::order::{
    FulfilmentStatus, OrderStatus, OrderStep, PaymentStatus, PaymentTiming,
};

/// Which orders the order list shows; `None` matches all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderFilter {
    /// An order number, or part of the customer's e-mail address.
    pub text: Option<String>,
    pub site: Option<SiteCode>,
    pub payment: Option<PaymentStatus>,
    pub fulfilment: Option<FulfilmentStatus>,
    pub placed_from: Option<DateTime<Utc>>,
    pub placed_until: Option<DateTime<Utc>>,
    pub min_total_cents: Option<i64>,
    pub max_total_cents: Option<i64>,
}

/// A line of the order list.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OrderListRow {
    pub id: i64,
    pub number: String,
    pub site: String,
    pub email: String,
    pub payment_method: String,
    pub payment_status: String,
    pub fulfilment_status: String,
    pub total_cents: i64,
    pub placed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderPage {
    pub rows: Vec<OrderListRow>,
    pub total: i64,
}

/// A step of an order's timeline.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OrderEvent {
    pub at: DateTime<Utc>,
    pub actor: String,
    /// `note`, `status`, `payment`, `shipment` or `refund`.
    pub kind: String,
    pub text: String,
    pub carrier: Option<String>,
    pub tracking: Option<String>,
    pub amount_cents: Option<i64>,
}

/// What staff do to an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderChange {
    /// new → processing, shipped → delivered, or cancelled before shipping (its
    /// stock returned). Shipping goes through [`OrderChange::Ship`].
    Fulfilment(FulfilmentStatus),
    /// A bank transfer or cash on delivery received.
    MarkPaid,
    /// Money given back (part or all of what was paid).
    Refund {
        amount_cents: i64,
        reason: String,
    },
    /// Handed to a carrier: the order is shipped and the customer told.
    Ship {
        carrier: String,
        tracking: String,
    },
    Note(String),
}

/// How a change ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderChangeOutcome {
    Done,
    /// The order's rules do not allow it now; nothing was written.
    Refused(&'static str),
    NotFound,
}

/// An order's state as the rules need it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct OrderState {
    pub payment_method: String,
    pub payment_status: String,
    pub fulfilment_status: String,
    pub total_cents: i64,
    pub refunded_cents: i64,
}

/// What a change does to the order row, once allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Plan {
    pub fulfilment: FulfilmentStatus,
    pub payment: PaymentStatus,
    pub refunded_cents: i64,
    /// Units go back on the shelf (a cancellation).
    pub restock: bool,
    pub action: &'static str,
    pub event_kind: &'static str,
}

/// Checks `change` against the order's rules (the domain's [`OrderStatus::after`],
/// over both statuses): the plan, or why it is refused.
pub(crate) fn plan(state: &OrderState, change: &OrderChange) -> Result<Plan, &'static str> {
    let fulfilment =
        FulfilmentStatus::parse(&state.fulfilment_status).ok_or("unknown fulfilment status")?;
    let payment = PaymentStatus::parse(&state.payment_status).ok_or("unknown payment status")?;
    let status = OrderStatus::new(payment, fulfilment);
    let timing = if state.payment_method == "cash-on-delivery" {
        PaymentTiming::OnDelivery
    } else {
        PaymentTiming::BeforeShipping
    };
    let unchanged = Plan {
        fulfilment,
        payment,
        refunded_cents: state.refunded_cents,
        restock: false,
        action: "order.note",
        event_kind: "note",
    };
    let step = |step: OrderStep, refused: &'static str| {
        status.after(step, timing).ok_or(refused).map(|next| Plan {
            fulfilment: next.fulfilment,
            payment: next.payment,
            ..unchanged.clone()
        })
    };
    match change {
        OrderChange::Note(text) if text.trim().is_empty() => Err("A note needs some text."),
        OrderChange::Note(_) => Ok(unchanged),
        OrderChange::Fulfilment(FulfilmentStatus::Shipped) => {
            Err("Ship an order with its carrier and tracking number.")
        }
        OrderChange::Fulfilment(next) if !fulfilment.can_become(*next) => {
            Err("The order cannot move to that status from where it is.")
        }
        OrderChange::Fulfilment(next) => {
            let (order_step, action) = match next {
                FulfilmentStatus::Processing => (OrderStep::StartProcessing, "order.status"),
                FulfilmentStatus::Delivered => (OrderStep::Deliver, "order.status"),
                FulfilmentStatus::Cancelled => (OrderStep::Cancel, "order.status"),
                FulfilmentStatus::New | FulfilmentStatus::Shipped => {
                    return Err("The order cannot move to that status from where it is.");
                }
            };
            let plan = step(
                order_step,
                "The order is not paid: it is prepared once paid, unless paid on delivery.",
            )?;
            Ok(Plan {
                restock: *next == FulfilmentStatus::Cancelled,
                action,
                event_kind: "status",
                ..plan
            })
        }
        OrderChange::MarkPaid
            if !matches!(
                state.payment_method.as_str(),
                "bank-transfer" | "cash-on-delivery"
            ) =>
        {
            Err("Card payments are settled by the payment gateway, not by hand.")
        }
        OrderChange::MarkPaid if !payment.can_become(PaymentStatus::Paid) => {
            Err("Only a pending payment can be marked paid.")
        }
        OrderChange::MarkPaid => Ok(Plan {
            action: "order.paid",
            event_kind: "payment",
            ..step(OrderStep::MarkPaid, "The order is cancelled.")?
        }),
        OrderChange::Refund { .. } if payment != PaymentStatus::Paid => {
            Err("Only a paid order can be refunded.")
        }
        OrderChange::Refund { amount_cents, .. }
            if *amount_cents <= 0 || *amount_cents > state.total_cents - state.refunded_cents =>
        {
            Err("A refund is more than nothing and at most what is left to refund.")
        }
        OrderChange::Refund { amount_cents, .. } => {
            let refunded_cents = state.refunded_cents + amount_cents;
            let whole = refunded_cents == state.total_cents;
            Ok(Plan {
                refunded_cents,
                action: "order.refund",
                event_kind: "refund",
                ..step(
                    OrderStep::Refund { whole },
                    "Only a paid order can be refunded.",
                )?
            })
        }
        OrderChange::Ship { carrier, tracking }
            if carrier.trim().is_empty() || tracking.trim().is_empty() =>
        {
            Err("A shipment needs its carrier and tracking number.")
        }
        OrderChange::Ship { .. } if fulfilment != FulfilmentStatus::Processing => {
            Err("Only an order being processed can be shipped.")
        }
        OrderChange::Ship { .. } => Ok(Plan {
            action: "order.ship",
            event_kind: "shipment",
            ..step(
                OrderStep::Ship,
                "An unpaid order is shipped only when it is paid on delivery.",
            )?
        }),
    }
}

/// The audit log's record of an order's state, and of the event that moved it.
pub(crate) fn audited(
    fulfilment: &str,
    payment: &str,
    refunded_cents: i64,
    event: Option<&OrderEvent>,
) -> String {
    let mut record = serde_json::json!({
        "fulfilment_status": fulfilment,
        "payment_status": payment,
        "refunded_cents": refunded_cents,
    });
    if let Some(event) = event {
        record["event"] = serde_json::json!({
            "kind": event.kind,
            "text": event.text,
            "carrier": event.carrier,
            "tracking": event.tracking,
            "amount_cents": event.amount_cents,
        });
    }
    record.to_string()
}

pub(crate) const ORDER_STATE_SQL: &str = "SELECT payment_method, payment_status, \
     fulfilment_status, total_cents, refunded_cents FROM orders WHERE id = $1";
/// Moves the order on only from the state the rules were checked against.
pub(crate) const APPLY_PLAN_SQL: &str = "UPDATE orders SET fulfilment_status = $2, \
     payment_status = $3, refunded_cents = $4 WHERE id = $1 AND fulfilment_status = $5 \
     AND payment_status = $6 AND refunded_cents = $7";
pub(crate) const INSERT_EVENT_SQL: &str = "INSERT INTO order_events \
     (order_id, at, staff_id, actor, kind, text, carrier, tracking, amount_cents) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
pub(crate) const ORDER_EVENTS_SQL: &str = "SELECT at, actor, kind, text, carrier, tracking, \
     amount_cents FROM order_events WHERE order_id = $1 ORDER BY id";
pub(crate) const ORDER_LIST_SELECT: &str = "SELECT id, number, site, email, payment_method, \
     payment_status, fulfilment_status, total_cents, placed_at FROM orders WHERE 1 = 1";
pub(crate) const ORDER_LIST_COUNT: &str = "SELECT COUNT(*) FROM orders WHERE 1 = 1";

/// Appends `filter`'s conditions to an order list query.
pub(crate) fn push_order_filter<DB: sqlx::Database>(
    query: &mut sqlx::QueryBuilder<DB>,
    filter: &OrderFilter,
) where
    for<'t> String: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    for<'t> i64: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    for<'t> DateTime<Utc>: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    if let Some(text) = &filter.text {
        let escaped = crate::product_admin::like_escaped(text);
        query
            .push(" AND (number = ")
            .push_bind(text.to_uppercase())
            .push(" OR email LIKE ")
            .push_bind(format!("%{}%", escaped.to_lowercase()))
            .push(" ESCAPE '\\')");
    }
    let mut equals = |column: &str, value: Option<&str>| {
        if let Some(value) = value {
            query
                .push(format!(" AND {column} = "))
                .push_bind(value.to_owned());
        }
    };
    equals("site", filter.site.map(SiteCode::as_str));
    equals("payment_status", filter.payment.map(PaymentStatus::as_str));
    equals(
        "fulfilment_status",
        filter.fulfilment.map(FulfilmentStatus::as_str),
    );
    if let Some(from) = filter.placed_from {
        query.push(" AND placed_at >= ").push_bind(from);
    }
    if let Some(until) = filter.placed_until {
        query.push(" AND placed_at < ").push_bind(until);
    }
    if let Some(min) = filter.min_total_cents {
        query.push(" AND total_cents >= ").push_bind(min);
    }
    if let Some(max) = filter.max_total_cents {
        query.push(" AND total_cents <= ").push_bind(max);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(method: &str, payment: &str, fulfilment: &str) -> OrderState {
        OrderState {
            payment_method: method.into(),
            payment_status: payment.into(),
            fulfilment_status: fulfilment.into(),
            total_cents: 5_000,
            refunded_cents: 0,
        }
    }

    #[test]
    fn fulfilment_follows_its_rules() {
        let new = state("card", "paid", "new");
        let next = |s: &OrderState, to| plan(s, &OrderChange::Fulfilment(to));
        assert_eq!(
            next(&new, FulfilmentStatus::Processing).unwrap().fulfilment,
            FulfilmentStatus::Processing
        );
        assert!(next(&new, FulfilmentStatus::Delivered).is_err());
        assert!(
            next(&new, FulfilmentStatus::Shipped).is_err(),
            "shipping needs a tracking number"
        );
        let cancel = next(&new, FulfilmentStatus::Cancelled).unwrap();
        assert!(cancel.restock);
        let shipped = state("card", "paid", "shipped");
        assert!(next(&shipped, FulfilmentStatus::Cancelled).is_err());
        let ship = OrderChange::Ship {
            carrier: "SEUR".into(),
            tracking: "X1".into(),
        };
        assert!(plan(&new, &ship).is_err(), "processing first");
        let processing = state("card", "paid", "processing");
        assert_eq!(
            plan(&processing, &ship).unwrap().fulfilment,
            FulfilmentStatus::Shipped
        );
        let no_tracking = OrderChange::Ship {
            carrier: "SEUR".into(),
            tracking: " ".into(),
        };
        assert!(plan(&processing, &no_tracking).is_err());
    }

    #[test]
    fn unpaid_orders_are_not_prepared_unless_paid_on_delivery() {
        let ship = OrderChange::Ship {
            carrier: "SEUR".into(),
            tracking: "X1".into(),
        };
        assert!(plan(&state("card", "pending", "processing"), &ship).is_err());
        assert!(plan(&state("bank-transfer", "pending", "processing"), &ship).is_err());
        assert!(plan(&state("cash-on-delivery", "pending", "processing"), &ship).is_ok());
        let start = OrderChange::Fulfilment(FulfilmentStatus::Processing);
        assert!(plan(&state("card", "pending", "new"), &start).is_err());
        assert!(plan(&state("cash-on-delivery", "pending", "new"), &start).is_ok());
        let cancel = OrderChange::Fulfilment(FulfilmentStatus::Cancelled);
        let cancelled = plan(&state("card", "pending", "new"), &cancel).unwrap();
        assert!(cancelled.restock);
        assert_eq!(cancelled.payment, PaymentStatus::Pending);
    }

    #[test]
    fn only_transfers_and_cash_are_marked_paid_by_hand() {
        assert!(plan(&state("card", "pending", "new"), &OrderChange::MarkPaid).is_err());
        assert!(
            plan(
                &state("bank-transfer", "paid", "new"),
                &OrderChange::MarkPaid
            )
            .is_err()
        );
        assert!(
            plan(
                &state("bank-transfer", "pending", "cancelled"),
                &OrderChange::MarkPaid
            )
            .is_err()
        );
        let paid = plan(
            &state("cash-on-delivery", "pending", "shipped"),
            &OrderChange::MarkPaid,
        );
        assert_eq!(paid.unwrap().payment, PaymentStatus::Paid);
    }

    #[test]
    fn refunds_add_up_to_the_total_at_most() {
        let refund = |amount_cents| OrderChange::Refund {
            amount_cents,
            reason: String::new(),
        };
        let paid = state("card", "paid", "delivered");
        let part = plan(&paid, &refund(1_000)).unwrap();
        assert_eq!(
            (part.refunded_cents, part.payment),
            (1_000, PaymentStatus::Paid)
        );
        let rest = OrderState {
            refunded_cents: 1_000,
            ..paid.clone()
        };
        let all = plan(&rest, &refund(4_000)).unwrap();
        assert_eq!(
            (all.refunded_cents, all.payment),
            (5_000, PaymentStatus::Refunded)
        );
        assert!(plan(&rest, &refund(4_001)).is_err());
        assert!(plan(&paid, &refund(0)).is_err());
        assert!(plan(&paid, &refund(-5)).is_err());
        assert!(plan(&state("card", "pending", "new"), &refund(100)).is_err());
    }
}
