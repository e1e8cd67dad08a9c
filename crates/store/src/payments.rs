//! Paying for an order after it is placed: card payment attempts, what a gateway's
//! answer does to the order, unpaid orders expiring, and changing the way to pay.
//!
//! Each card attempt has its own unguessable reference and remembers the amount and
//! currency the gateway was asked for, so a notification is checked against the
//! attempt it names. A decline fails that attempt only: the order stays pending with
//! its stock held until it expires. Every statement that moves an order applies one
//! [`OrderStep`] and admits in its `WHERE` exactly the states the domain allows it
//! from; units go back on the shelf once per line, recorded, whatever path cancels.
//! The SQL is the same for both backends, so [`impl_payment_store!`] writes the
//! implementation once.

use std::sync::LazyLock;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use comptoir_domain::order::{OrderStep, PaymentTiming};

use crate::{OutgoingMail, Result};

/// A card payment attempt: one visit to the gateway's page.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PaymentAttempt {
    pub id: i64,
    pub order_id: i64,
    /// `Ds_Merchant_Order`: 4 digits, then 8 random letters or digits.
    pub reference: String,
    pub amount_cents: i64,
    /// ISO 4217 code (`EUR`).
    pub currency: String,
    /// `open`, `approved`, `declined`, `void` (the order was cancelled or is paid
    /// another way) or `to-refund` (money came for an order that could not take it).
    pub status: String,
}

/// What the gateway answered for an attempt, its signature, amount and currency
/// checked against the attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GatewayAnswer {
    Approved,
    Declined,
}

/// How a gateway's answer left the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settlement {
    /// The order is paid; its confirmation is queued.
    Paid,
    /// This attempt failed; the order still waits for its payment, stock held.
    Declined,
    /// Money came for an order that could not take it (cancelled, or paid already):
    /// recorded as money to refund and shown to staff; the order is unchanged.
    ToRefund,
    /// The attempt had been answered before: nothing changed (a repeated notification).
    AlreadySettled,
}

/// How an order is paid when the card payment is given up for another way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfflineMethod {
    BankTransfer,
    CashOnDelivery,
}

impl OfflineMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            OfflineMethod::BankTransfer => "bank-transfer",
            OfflineMethod::CashOnDelivery => "cash-on-delivery",
        }
    }
}

/// What the store does with orders' payments.
#[async_trait]
pub trait PaymentStore: Send + Sync {
    /// The open attempt of a card order still waiting for its payment, for
    /// `amount_cents`, or a new one with `fresh_reference`; `None` when the order
    /// cannot be paid by card now (paid, cancelled, not a card order).
    async fn open_payment_attempt(
        &self,
        order_id: i64,
        provider: &str,
        fresh_reference: &str,
    ) -> Result<Option<PaymentAttempt>>;

    /// The attempt a gateway reference names.
    async fn payment_attempt(&self, reference: &str) -> Result<Option<PaymentAttempt>>;

    /// Applies the gateway's answer for an attempt, exactly once however often it
    /// is notified. An approval pays the order (queuing `confirmation`) if it still
    /// waits for this payment, and is otherwise recorded as money to refund.
    async fn settle_payment_attempt(
        &self,
        attempt_id: i64,
        answer: GatewayAnswer,
        confirmation: &OutgoingMail,
    ) -> Result<Settlement>;

    /// Cancels the orders paid by `payment_method` still unpaid from before
    /// `placed_before` (and not yet being prepared): payment failed, open attempts
    /// void, units back once. How many.
    async fn expire_unpaid_orders(
        &self,
        payment_method: &str,
        placed_before: DateTime<Utc>,
    ) -> Result<usize>;

    /// Switches a card order still waiting for its payment to `method`, voiding its
    /// open attempts and queuing `confirmation`; `false` if it no longer waits.
    async fn switch_to_offline_payment(
        &self,
        order_id: i64,
        method: OfflineMethod,
        confirmation: &OutgoingMail,
    ) -> Result<bool>;

    /// Unpaid bank-transfer orders placed before `placed_before` not yet reminded.
    async fn transfers_to_remind(&self, placed_before: DateTime<Utc>) -> Result<Vec<i64>>;

    /// Queues the reminder of an unpaid transfer, once; `false` if it was queued
    /// before or the order no longer waits for its payment.
    async fn queue_transfer_reminder(
        &self,
        order_id: i64,
        reminder: &OutgoingMail,
        now: DateTime<Utc>,
    ) -> Result<bool>;

    /// Open unpaid bank-transfer and cash-on-delivery orders placed from
    /// `client_address` (not cancelled, not yet shipped).
    async fn open_unpaid_orders_of_client(&self, client_address: &str) -> Result<u64>;
}

pub(crate) const ATTEMPT_COLUMNS: &str = "id, order_id, reference, amount_cents, currency, status";
pub(crate) static OPEN_ATTEMPT_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {ATTEMPT_COLUMNS} FROM payment_attempts WHERE order_id = $1 AND provider = $2 \
         AND amount_cents = $3 AND status = 'open' ORDER BY id DESC LIMIT 1"
    )
});
pub(crate) static ATTEMPT_BY_REFERENCE_SQL: LazyLock<String> = LazyLock::new(|| {
    format!("SELECT {ATTEMPT_COLUMNS} FROM payment_attempts WHERE reference = $1")
});
pub(crate) static ATTEMPT_SQL: LazyLock<String> =
    LazyLock::new(|| format!("SELECT {ATTEMPT_COLUMNS} FROM payment_attempts WHERE id = $1"));
pub(crate) static INSERT_ATTEMPT_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "INSERT INTO payment_attempts (order_id, provider, reference, amount_cents, currency) \
         VALUES ($1, $2, $3, $4, 'EUR') RETURNING {ATTEMPT_COLUMNS}"
    )
});
/// The order of a card attempt, if a card payment may start now: its total.
pub(crate) static PAYABLE_BY_CARD_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT total_cents FROM orders WHERE id = $1 AND payment_method = 'card' AND {}",
        OrderStep::PayByCard.guard_sql(PaymentTiming::BeforeShipping)
    )
});
/// Locks an order's row until the transaction ends, in both backends (SQLite's
/// writers take turns anyway). Every transaction that moves an order and its attempts
/// locks the order first, so two of them never wait for each other in a cycle.
pub(crate) const LOCK_ORDER_SQL: &str =
    "UPDATE orders SET refund_due_cents = refund_due_cents WHERE id = $1";
pub(crate) const ORDER_OF_ATTEMPT_SQL: &str = "SELECT order_id FROM payment_attempts WHERE id = $1";
/// An answer is taken once: an attempt already approved or refunded is left alone.
pub(crate) const TAKE_APPROVAL_SQL: &str = "UPDATE payment_attempts SET status = 'approved' \
     WHERE id = $1 AND status IN ('open', 'declined', 'void') RETURNING order_id";
pub(crate) const TAKE_DECLINE_SQL: &str = "UPDATE payment_attempts SET status = 'declined' WHERE id = $1 AND status = 'open' RETURNING order_id";
pub(crate) static PAY_BY_CARD_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "UPDATE orders SET payment_status = 'paid' WHERE id = $1 AND payment_method = 'card' AND {} \
         RETURNING id",
        OrderStep::PayByCard.guard_sql(PaymentTiming::BeforeShipping)
    )
});
pub(crate) const MARK_TO_REFUND_SQL: &str =
    "UPDATE payment_attempts SET status = 'to-refund' WHERE id = $1";
pub(crate) const ADD_REFUND_DUE_SQL: &str =
    "UPDATE orders SET refund_due_cents = refund_due_cents + $2 WHERE id = $1";
pub(crate) const PAYMENT_EVENT_SQL: &str = "INSERT INTO order_events \
     (order_id, at, actor, kind, text, amount_cents) VALUES ($1, $2, 'payment gateway', 'payment', $3, $4)";
pub(crate) static EXPIRED_UNPAID_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT id FROM orders WHERE payment_status = 'pending' AND payment_method = $1 \
         AND placed_at < $2 AND {} ORDER BY id",
        OrderStep::Expire.guard_sql(PaymentTiming::BeforeShipping)
    )
});
pub(crate) static EXPIRE_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "UPDATE orders SET payment_status = 'failed', fulfilment_status = 'cancelled' \
         WHERE id = $1 AND payment_method = $2 AND placed_at < $3 AND {} RETURNING id",
        OrderStep::Expire.guard_sql(PaymentTiming::BeforeShipping)
    )
});
pub(crate) static SWITCH_METHOD_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "UPDATE orders SET payment_method = $2 WHERE id = $1 AND payment_method = 'card' AND {} \
         RETURNING id",
        OrderStep::PayByCard.guard_sql(PaymentTiming::BeforeShipping)
    )
});
pub(crate) const VOID_OPEN_ATTEMPTS_SQL: &str =
    "UPDATE payment_attempts SET status = 'void' WHERE order_id = $1 AND status = 'open'";
/// Marks the order's lines not yet back on the shelf as returned: each line once.
pub(crate) const RESTOCK_LINES_SQL: &str = "UPDATE order_lines SET restocked_at = $2 \
     WHERE order_id = $1 AND restocked_at IS NULL RETURNING variant_id, CAST(quantity AS BIGINT)";
/// Puts units back on the shelf; a variant whose units are not counted keeps its count.
pub(crate) const RETURN_UNITS_SQL: &str = "UPDATE variants \
     SET stock = CASE WHEN stock_policy = 'not_counted' THEN stock ELSE stock + $2 END \
     WHERE id = $1 RETURNING product_id";
pub(crate) static TRANSFERS_TO_REMIND_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT id FROM orders WHERE payment_status = 'pending' AND payment_method = 'bank-transfer' \
         AND reminded_at IS NULL AND placed_at < $1 AND {} ORDER BY id",
        OrderStep::Expire.guard_sql(PaymentTiming::BeforeShipping)
    )
});
pub(crate) static MARK_REMINDED_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "UPDATE orders SET reminded_at = $2 WHERE id = $1 AND reminded_at IS NULL \
         AND payment_method = 'bank-transfer' AND {} RETURNING id",
        OrderStep::Expire.guard_sql(PaymentTiming::BeforeShipping)
    )
});
pub(crate) const OPEN_UNPAID_OF_CLIENT_SQL: &str = "SELECT COUNT(*) FROM orders \
     WHERE client_address = $1 AND payment_status = 'pending' \
     AND payment_method IN ('bank-transfer', 'cash-on-delivery') \
     AND fulfilment_status IN ('new', 'processing')";

/// Writes `impl PaymentStore for $store`, a backend's store type.
macro_rules! impl_payment_store {
    ($store:ty) => {
        const _: () = {
        use $crate::change_log::ChangeKind;
        use $crate::dialect::Dialect;

        #[async_trait::async_trait]
        impl $crate::payments::PaymentStore for $store {
            async fn open_payment_attempt(
                &self,
                order_id: i64,
                provider: &str,
                fresh_reference: &str,
            ) -> $crate::Result<Option<$crate::payments::PaymentAttempt>> {
                use $crate::payments as p;
                let mut tx = self.begin_write().await?;
                sqlx::query(p::LOCK_ORDER_SQL)
                    .bind(order_id)
                    .execute(&mut *tx)
                    .await?;
                let total: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(
                    p::PAYABLE_BY_CARD_SQL.as_str(),
                ))
                .bind(order_id)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(total) = total else {
                    return Ok(None);
                };
                let open: Option<p::PaymentAttempt> =
                    sqlx::query_as(sqlx::AssertSqlSafe(p::OPEN_ATTEMPT_SQL.as_str()))
                        .bind(order_id)
                        .bind(provider)
                        .bind(total)
                        .fetch_optional(&mut *tx)
                        .await?;
                let attempt = match open {
                    Some(attempt) => attempt,
                    None => {
                        sqlx::query_as(sqlx::AssertSqlSafe(p::INSERT_ATTEMPT_SQL.as_str()))
                            .bind(order_id)
                            .bind(provider)
                            .bind(fresh_reference)
                            .bind(total)
                            .fetch_one(&mut *tx)
                            .await?
                    }
                };
                tx.commit().await?;
                Ok(Some(attempt))
            }

            async fn payment_attempt(
                &self,
                reference: &str,
            ) -> $crate::Result<Option<$crate::payments::PaymentAttempt>> {
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(
                    $crate::payments::ATTEMPT_BY_REFERENCE_SQL.as_str(),
                ))
                .bind(reference)
                .fetch_optional(self.pool())
                .await?)
            }

            async fn settle_payment_attempt(
                &self,
                attempt_id: i64,
                answer: $crate::payments::GatewayAnswer,
                confirmation: &$crate::OutgoingMail,
            ) -> $crate::Result<$crate::payments::Settlement> {
                use $crate::payments::{self as p, GatewayAnswer, Settlement};
                let mut tx = self.begin_write().await?;
                let order_id: Option<i64> = sqlx::query_scalar(p::ORDER_OF_ATTEMPT_SQL)
                    .bind(attempt_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(order_id) = order_id else {
                    return Ok(Settlement::AlreadySettled);
                };
                sqlx::query(p::LOCK_ORDER_SQL)
                    .bind(order_id)
                    .execute(&mut *tx)
                    .await?;
                let take = match answer {
                    GatewayAnswer::Approved => p::TAKE_APPROVAL_SQL,
                    GatewayAnswer::Declined => p::TAKE_DECLINE_SQL,
                };
                let taken: Option<i64> = sqlx::query_scalar(take)
                    .bind(attempt_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                if taken.is_none() {
                    return Ok(Settlement::AlreadySettled);
                }
                if answer == GatewayAnswer::Declined {
                    tx.commit().await?;
                    return Ok(Settlement::Declined);
                }
                let paid: Option<i64> =
                    sqlx::query_scalar(sqlx::AssertSqlSafe(p::PAY_BY_CARD_SQL.as_str()))
                        .bind(order_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                let settlement = if paid.is_some() {
                    Self::enqueue(&mut tx, confirmation).await?;
                    // Last: its series and the chain's head stay held until commit.
                    if self.invoice_moment() == $crate::InvoiceMoment::Paid {
                        Self::issue_invoice(&mut tx, order_id, chrono::Utc::now()).await?;
                    }
                    Settlement::Paid
                } else {
                    let attempt: p::PaymentAttempt =
                        sqlx::query_as(sqlx::AssertSqlSafe(p::ATTEMPT_SQL.as_str()))
                            .bind(attempt_id)
                            .fetch_one(&mut *tx)
                            .await?;
                    sqlx::query(p::MARK_TO_REFUND_SQL)
                        .bind(attempt_id)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query(p::ADD_REFUND_DUE_SQL)
                        .bind(order_id)
                        .bind(attempt.amount_cents)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query(p::PAYMENT_EVENT_SQL)
                        .bind(order_id)
                        .bind(chrono::Utc::now())
                        .bind(format!(
                            "card payment {} received for an order that could not take it: refund it",
                            attempt.reference
                        ))
                        .bind(attempt.amount_cents)
                        .execute(&mut *tx)
                        .await?;
                    Settlement::ToRefund
                };
                tx.commit().await?;
                Ok(settlement)
            }

            async fn expire_unpaid_orders(
                &self,
                payment_method: &str,
                placed_before: chrono::DateTime<chrono::Utc>,
            ) -> $crate::Result<usize> {
                use $crate::payments as p;
                let candidates: Vec<i64> =
                    sqlx::query_scalar(sqlx::AssertSqlSafe(p::EXPIRED_UNPAID_SQL.as_str()))
                        .bind(payment_method)
                        .bind(placed_before)
                        .fetch_all(self.pool())
                        .await?;
                let mut expired = 0;
                for order_id in candidates {
                    let mut tx = self.begin_write().await?;
                    let moved: Option<i64> =
                        sqlx::query_scalar(sqlx::AssertSqlSafe(p::EXPIRE_SQL.as_str()))
                            .bind(order_id)
                            .bind(payment_method)
                            .bind(placed_before)
                            .fetch_optional(&mut *tx)
                            .await?;
                    if moved.is_some() {
                        let products = Self::release_order(&mut tx, order_id).await?;
                        if !products.is_empty() {
                            Self::append_changes(&mut tx, ChangeKind::Stock, &products).await?;
                        }
                        expired += 1;
                    }
                    tx.commit().await?;
                }
                Ok(expired)
            }

            async fn switch_to_offline_payment(
                &self,
                order_id: i64,
                method: $crate::payments::OfflineMethod,
                confirmation: &$crate::OutgoingMail,
            ) -> $crate::Result<bool> {
                use $crate::payments as p;
                let mut tx = self.begin_write().await?;
                let switched: Option<i64> =
                    sqlx::query_scalar(sqlx::AssertSqlSafe(p::SWITCH_METHOD_SQL.as_str()))
                        .bind(order_id)
                        .bind(method.as_str())
                        .fetch_optional(&mut *tx)
                        .await?;
                if switched.is_some() {
                    sqlx::query(p::VOID_OPEN_ATTEMPTS_SQL)
                        .bind(order_id)
                        .execute(&mut *tx)
                        .await?;
                    Self::enqueue(&mut tx, confirmation).await?;
                }
                tx.commit().await?;
                Ok(switched.is_some())
            }

            async fn transfers_to_remind(
                &self,
                placed_before: chrono::DateTime<chrono::Utc>,
            ) -> $crate::Result<Vec<i64>> {
                Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(
                    $crate::payments::TRANSFERS_TO_REMIND_SQL.as_str(),
                ))
                .bind(placed_before)
                .fetch_all(self.pool())
                .await?)
            }

            async fn queue_transfer_reminder(
                &self,
                order_id: i64,
                reminder: &$crate::OutgoingMail,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::Result<bool> {
                let mut tx = self.begin_write().await?;
                let marked: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(
                    $crate::payments::MARK_REMINDED_SQL.as_str(),
                ))
                .bind(order_id)
                .bind(now)
                .fetch_optional(&mut *tx)
                .await?;
                if marked.is_some() {
                    Self::enqueue(&mut tx, reminder).await?;
                }
                tx.commit().await?;
                Ok(marked.is_some())
            }

            async fn open_unpaid_orders_of_client(
                &self,
                client_address: &str,
            ) -> $crate::Result<u64> {
                let count: i64 = sqlx::query_scalar($crate::payments::OPEN_UNPAID_OF_CLIENT_SQL)
                    .bind(client_address)
                    .fetch_one(self.pool())
                    .await?;
                Ok(u64::try_from(count).unwrap_or(0))
            }
        }
        };
    };
}
pub(crate) use impl_payment_store;
