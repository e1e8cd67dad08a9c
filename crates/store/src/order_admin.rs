//! What staff do with orders: find them, and move them on (fulfilment, payment,
//! shipment, refund, notes), each step checked against the order's rules and
//! written with its timeline event and audit entry in one transaction.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::staff::Actor;
use crate::{OutgoingMail, Result};
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
    Refused(OrderRefusal),
    NotFound,
}

/// Why the order's rules refuse a change now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderRefusal {
    /// The order holds a status Comptoir does not know.
    UnknownStatus,
    EmptyNote,
    /// Shipping goes through [`OrderChange::Ship`], with its tracking.
    ShipWithTracking,
    /// Not a step the order's fulfilment can take from where it is.
    UnreachableStatus,
    /// An order paid before shipping is prepared once paid.
    NotPaidYet,
    /// Card payments are the gateway's to settle.
    SettledByGateway,
    /// Only a pending payment can be marked paid.
    NotPending,
    Cancelled,
    /// Only a paid order can be refunded.
    NotPaid,
    /// A refund is more than nothing and at most what is left to refund.
    RefundOutOfRange,
    /// A shipment needs its carrier and tracking number.
    ShipmentIncomplete,
    /// Only an order being processed can be shipped.
    NotProcessing,
    /// An unpaid order is shipped only when it is paid on delivery.
    UnpaidShipment,
    /// Someone else changed the order since it was read.
    ChangedMeanwhile,
}

/// A site's orders over a period, for the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SiteSales {
    /// `es`, `fr`, `pt` or `it`.
    pub site: String,
    /// Orders placed and not cancelled.
    pub orders: i64,
    /// Their grand totals, in the site's currency's cents.
    pub revenue_cents: i64,
    /// Those of them paid already.
    pub paid: i64,
}

/// Orders as staff find, export and move them on.
#[async_trait]
pub trait OrderAdminStore: Send + Sync {
    /// A page of the orders matching `filter`, newest first, and how many match.
    async fn find_orders(&self, filter: &OrderFilter, limit: u32, offset: u32)
    -> Result<OrderPage>;

    /// An order's timeline: notes, status changes, payments, shipments, refunds.
    async fn order_events(&self, order_id: i64) -> Result<Vec<OrderEvent>>;

    /// The orders `ids` with their lines, in the order of `ids` (unknown ones left
    /// out): many orders in two queries, for exports.
    async fn orders_by_ids(&self, ids: &[i64]) -> Result<Vec<crate::OrderRecord>>;

    /// Applies `change` if the order's rules allow it, with its timeline event, its
    /// audit entry and `mail` (queued), in one transaction.
    async fn change_order(
        &self,
        order_id: i64,
        change: &OrderChange,
        by: &Actor,
        mail: Option<&OutgoingMail>,
    ) -> Result<OrderChangeOutcome>;

    /// Orders placed from `since` on, per site (sites without orders left out).
    async fn sales_since(&self, since: DateTime<Utc>) -> Result<Vec<SiteSales>>;
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
pub(crate) fn plan(state: &OrderState, change: &OrderChange) -> Result<Plan, OrderRefusal> {
    let fulfilment =
        FulfilmentStatus::parse(&state.fulfilment_status).ok_or(OrderRefusal::UnknownStatus)?;
    let payment = PaymentStatus::parse(&state.payment_status).ok_or(OrderRefusal::UnknownStatus)?;
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
    let step = |step: OrderStep, refused: OrderRefusal| {
        status.after(step, timing).ok_or(refused).map(|next| Plan {
            fulfilment: next.fulfilment,
            payment: next.payment,
            ..unchanged.clone()
        })
    };
    match change {
        OrderChange::Note(text) if text.trim().is_empty() => Err(OrderRefusal::EmptyNote),
        OrderChange::Note(_) => Ok(unchanged),
        OrderChange::Fulfilment(FulfilmentStatus::Shipped) => Err(OrderRefusal::ShipWithTracking),
        OrderChange::Fulfilment(next) if !fulfilment.can_become(*next) => {
            Err(OrderRefusal::UnreachableStatus)
        }
        OrderChange::Fulfilment(next) => {
            let (order_step, action) = match next {
                FulfilmentStatus::Processing => (OrderStep::StartProcessing, "order.status"),
                FulfilmentStatus::Delivered => (OrderStep::Deliver, "order.status"),
                FulfilmentStatus::Cancelled => (OrderStep::Cancel, "order.status"),
                FulfilmentStatus::New | FulfilmentStatus::Shipped => {
                    return Err(OrderRefusal::UnreachableStatus);
                }
            };
            let plan = step(order_step, OrderRefusal::NotPaidYet)?;
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
            Err(OrderRefusal::SettledByGateway)
        }
        OrderChange::MarkPaid if !payment.can_become(PaymentStatus::Paid) => {
            Err(OrderRefusal::NotPending)
        }
        OrderChange::MarkPaid => Ok(Plan {
            action: "order.paid",
            event_kind: "payment",
            ..step(OrderStep::MarkPaid, OrderRefusal::Cancelled)?
        }),
        OrderChange::Refund { .. } if payment != PaymentStatus::Paid => Err(OrderRefusal::NotPaid),
        OrderChange::Refund { amount_cents, .. }
            if *amount_cents <= 0 || *amount_cents > state.total_cents - state.refunded_cents =>
        {
            Err(OrderRefusal::RefundOutOfRange)
        }
        OrderChange::Refund { amount_cents, .. } => {
            let refunded_cents = state.refunded_cents + amount_cents;
            let whole = refunded_cents == state.total_cents;
            Ok(Plan {
                refunded_cents,
                action: "order.refund",
                event_kind: "refund",
                ..step(OrderStep::Refund { whole }, OrderRefusal::NotPaid)?
            })
        }
        OrderChange::Ship { carrier, tracking }
            if carrier.trim().is_empty() || tracking.trim().is_empty() =>
        {
            Err(OrderRefusal::ShipmentIncomplete)
        }
        OrderChange::Ship { .. } if fulfilment != FulfilmentStatus::Processing => {
            Err(OrderRefusal::NotProcessing)
        }
        OrderChange::Ship { .. } => Ok(Plan {
            action: "order.ship",
            event_kind: "shipment",
            ..step(OrderStep::Ship, OrderRefusal::UnpaidShipment)?
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
        let escaped = crate::catalogue_admin::products::like_escaped(text);
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

pub(crate) const SALES_SINCE_SQL: &str = "SELECT site, COUNT(*) AS orders, \
     CAST(COALESCE(SUM(total_cents), 0) AS BIGINT) AS revenue_cents, \
     CAST(COALESCE(SUM(CASE WHEN payment_status = 'paid' THEN 1 ELSE 0 END), 0) AS BIGINT) AS paid \
     FROM orders WHERE placed_at >= $1 AND fulfilment_status <> 'cancelled' \
     GROUP BY site ORDER BY site";

/// Writes `impl OrderAdminStore for $store`, a backend's store type.
macro_rules! impl_order_admin_store {
    ($store:ty) => {
        const _: () = {
            use $crate::dialect::Dialect;

            type Db = <$store as Dialect>::Db;

            #[async_trait::async_trait]
            impl $crate::order_admin::OrderAdminStore for $store {
                async fn find_orders(
                    &self,
                    filter: &$crate::OrderFilter,
                    limit: u32,
                    offset: u32,
                ) -> $crate::Result<$crate::OrderPage> {
                    use $crate::order_admin as admin;
                    let mut rows = sqlx::QueryBuilder::<Db>::new(admin::ORDER_LIST_SELECT);
                    admin::push_order_filter(&mut rows, filter);
                    rows.push(" ORDER BY placed_at DESC, id DESC LIMIT ")
                        .push_bind(i64::from(limit))
                        .push(" OFFSET ")
                        .push_bind(i64::from(offset));
                    let rows = rows
                        .build_query_as::<$crate::OrderListRow>()
                        .fetch_all(self.pool())
                        .await?;
                    let mut count = sqlx::QueryBuilder::<Db>::new(admin::ORDER_LIST_COUNT);
                    admin::push_order_filter(&mut count, filter);
                    let total: i64 = count.build_query_scalar().fetch_one(self.pool()).await?;
                    Ok($crate::OrderPage { rows, total })
                }

                async fn order_events(
                    &self,
                    order_id: i64,
                ) -> $crate::Result<Vec<$crate::OrderEvent>> {
                    Ok(sqlx::query_as($crate::order_admin::ORDER_EVENTS_SQL)
                        .bind(order_id)
                        .fetch_all(self.pool())
                        .await?)
                }

                async fn orders_by_ids(
                    &self,
                    ids: &[i64],
                ) -> $crate::Result<Vec<$crate::OrderRecord>> {
                    use $crate::orders::{
                        ORDER_LINES_IN, ORDER_PROMOTIONS_IN, ORDERS_IN, OrderLineOf,
                        OrderPromotionOf, OrderRow,
                    };
                    let orders: Vec<OrderRow> = Self::listed(ORDERS_IN, ids.iter().copied())
                        .build_query_as()
                        .fetch_all(self.pool())
                        .await?;
                    let lines: Vec<OrderLineOf> = Self::listed(ORDER_LINES_IN, ids.iter().copied())
                        .push(" ORDER BY order_id, position")
                        .build_query_as()
                        .fetch_all(self.pool())
                        .await?;
                    let mut lines_of: std::collections::HashMap<i64, Vec<$crate::OrderLineRecord>> =
                        std::collections::HashMap::new();
                    for line in lines {
                        lines_of.entry(line.order_id).or_default().push(line.line);
                    }
                    let promotions: Vec<OrderPromotionOf> =
                        Self::listed(ORDER_PROMOTIONS_IN, ids.iter().copied())
                            .push(" ORDER BY order_id, position")
                            .build_query_as()
                            .fetch_all(self.pool())
                            .await?;
                    let mut promotions_of: std::collections::HashMap<
                        i64,
                        Vec<$crate::orders::OrderPromotionRecord>,
                    > = std::collections::HashMap::new();
                    for promotion in promotions {
                        promotions_of
                            .entry(promotion.order_id)
                            .or_default()
                            .push(promotion.promotion);
                    }
                    let mut by_id: std::collections::HashMap<i64, OrderRow> = orders
                        .into_iter()
                        .map(|order| (order.id(), order))
                        .collect();
                    Ok(ids
                        .iter()
                        .filter_map(|id| {
                            let order = by_id.remove(id)?;
                            Some(order.with_lines(
                                lines_of.remove(id).unwrap_or_default(),
                                promotions_of.remove(id).unwrap_or_default(),
                            ))
                        })
                        .collect())
                }

                async fn change_order(
                    &self,
                    order_id: i64,
                    change: &$crate::OrderChange,
                    by: &$crate::staff::Actor,
                    mail: Option<&$crate::OutgoingMail>,
                ) -> $crate::Result<$crate::OrderChangeOutcome> {
                    use $crate::order_admin as admin;
                    use $crate::{OrderChange, OrderChangeOutcome};
                    let mut tx = self.begin_write().await?;
                    let state: Option<admin::OrderState> = sqlx::query_as(admin::ORDER_STATE_SQL)
                        .bind(order_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                    let Some(state) = state else {
                        return Ok(OrderChangeOutcome::NotFound);
                    };
                    let plan = match admin::plan(&state, change) {
                        Ok(plan) => plan,
                        Err(reason) => return Ok(OrderChangeOutcome::Refused(reason)),
                    };
                    let moved = sqlx::query(admin::APPLY_PLAN_SQL)
                        .bind(order_id)
                        .bind(plan.fulfilment.as_str())
                        .bind(plan.payment.as_str())
                        .bind(plan.refunded_cents)
                        .bind(&state.fulfilment_status)
                        .bind(&state.payment_status)
                        .bind(state.refunded_cents)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                    if moved == 0 {
                        return Ok(OrderChangeOutcome::Refused(
                            $crate::OrderRefusal::ChangedMeanwhile,
                        ));
                    }
                    if plan.restock {
                        let products = Self::release_order(&mut tx, order_id).await?;
                        if !products.is_empty() {
                            Self::append_changes(&mut tx, $crate::ChangeKind::Stock, &products)
                                .await?;
                        }
                    }
                    let (text, carrier, tracking, amount_cents) = match change {
                        OrderChange::Note(text) => (text.trim().to_owned(), None, None, None),
                        OrderChange::Fulfilment(next) => (
                            format!("{} → {}", state.fulfilment_status, next.as_str()),
                            None,
                            None,
                            None,
                        ),
                        OrderChange::MarkPaid => ("payment received".to_owned(), None, None, None),
                        OrderChange::Refund {
                            amount_cents,
                            reason,
                        } => (reason.trim().to_owned(), None, None, Some(*amount_cents)),
                        OrderChange::Ship { carrier, tracking } => (
                            String::new(),
                            Some(carrier.trim().to_owned()),
                            Some(tracking.trim().to_owned()),
                            None,
                        ),
                    };
                    let event = $crate::OrderEvent {
                        at: chrono::Utc::now(),
                        actor: by.name.clone(),
                        kind: plan.event_kind.to_owned(),
                        text,
                        carrier,
                        tracking,
                        amount_cents,
                    };
                    sqlx::query(admin::INSERT_EVENT_SQL)
                        .bind(order_id)
                        .bind(event.at)
                        .bind(by.staff_id)
                        .bind(&event.actor)
                        .bind(&event.kind)
                        .bind(&event.text)
                        .bind(&event.carrier)
                        .bind(&event.tracking)
                        .bind(event.amount_cents)
                        .execute(&mut *tx)
                        .await?;
                    if let Some(mail) = mail {
                        Self::enqueue(&mut tx, mail).await?;
                    }
                    let before = admin::audited(
                        &state.fulfilment_status,
                        &state.payment_status,
                        state.refunded_cents,
                        None,
                    );
                    let after = admin::audited(
                        plan.fulfilment.as_str(),
                        plan.payment.as_str(),
                        plan.refunded_cents,
                        Some(&event),
                    );
                    Self::audit(
                        &mut tx,
                        by,
                        plan.action,
                        "order",
                        &order_id.to_string(),
                        Some(before),
                        Some(after),
                    )
                    .await?;
                    // Last: an invoice's series and the chain's head stay held
                    // until commit.
                    let (paid_now, shipped_now) = (
                        plan.payment == comptoir_domain::order::PaymentStatus::Paid
                            && state.payment_status != plan.payment.as_str(),
                        matches!(change, OrderChange::Ship { .. }),
                    );
                    let issue = match self.invoice_moment() {
                        $crate::InvoiceMoment::Paid => paid_now,
                        $crate::InvoiceMoment::Shipped => shipped_now,
                    };
                    if issue {
                        Self::issue_invoice(&mut tx, order_id, chrono::Utc::now()).await?;
                    }
                    if let OrderChange::Refund { amount_cents, .. } = change {
                        Self::rectify_invoice(&mut tx, order_id, *amount_cents, chrono::Utc::now())
                            .await?;
                    }
                    tx.commit().await?;
                    Ok(OrderChangeOutcome::Done)
                }

                async fn sales_since(
                    &self,
                    since: chrono::DateTime<chrono::Utc>,
                ) -> $crate::Result<Vec<$crate::SiteSales>> {
                    Ok(sqlx::query_as($crate::order_admin::SALES_SINCE_SQL)
                        .bind(since)
                        .fetch_all(self.pool())
                        .await?)
                }
            }
        };
    };
}
pub(crate) use impl_order_admin_store;

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
