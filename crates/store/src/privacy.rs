//! Customers' right to erasure (GDPR art. 17): a customer asks from their account
//! (`PrivacyStore`), staff carry the request out or refuse it with a reason
//! (`PrivacyAdminStore`). Carried out, the account, its addresses, its pending
//! activation and reset links and the copies of mails sent to it are deleted; its
//! orders, which tax law keeps intact (art. 17(3)(b)), are detached and restricted
//! until the site's retention period ends, then masked.

use async_trait::async_trait;
use chrono::{DateTime, Months, Utc};
use comptoir_domain::SiteCode;
use comptoir_domain::customer::RetentionYears;

use crate::staff::Actor;
use crate::{OutgoingMail, Result, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErasureStatus {
    Requested,
    Erased,
    Refused,
}

impl ErasureStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ErasureStatus::Requested => "requested",
            ErasureStatus::Erased => "erased",
            ErasureStatus::Refused => "refused",
        }
    }

    fn parse(code: &str) -> Result<ErasureStatus> {
        match code {
            "requested" => Ok(ErasureStatus::Requested),
            "erased" => Ok(ErasureStatus::Erased),
            "refused" => Ok(ErasureStatus::Refused),
            other => Err(StoreError::Corrupt(format!("erasure status '{other}'"))),
        }
    }
}

/// A customer's request to be erased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErasureRequest {
    pub id: i64,
    /// `None` once the account is erased.
    pub customer_id: Option<i64>,
    /// The account's address; masked (`a•••@example.es`) once erased.
    pub email: String,
    /// The site it was asked on: the language of the answer.
    pub site: SiteCode,
    pub requested_at: DateTime<Utc>,
    pub status: ErasureStatus,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<String>,
    /// Why it was refused.
    pub reason: String,
}

/// How deciding a request ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErasureOutcome {
    /// Carried out: this many orders kept, restricted.
    Erased {
        orders_restricted: u64,
    },
    Refused,
    /// Decided already (by another staff member): nothing changed.
    NotPending,
}

/// What the storefront asks: a customer's request.
#[async_trait]
pub trait PrivacyStore: Send + Sync {
    /// Records the customer's request; `false` when one is pending already.
    async fn request_erasure(
        &self,
        customer_id: i64,
        email: &str,
        site: SiteCode,
        now: DateTime<Utc>,
    ) -> Result<bool>;

    /// When the customer's pending request was made, if one is.
    async fn pending_erasure(&self, customer_id: i64) -> Result<Option<DateTime<Utc>>>;
}

/// What staff do with the requests.
#[async_trait]
pub trait PrivacyAdminStore: Send + Sync {
    /// Requests, pending ones first, then the newest.
    async fn erasure_requests(&self, limit: u32) -> Result<Vec<ErasureRequest>>;

    async fn erasure_request(&self, id: i64) -> Result<Option<ErasureRequest>>;

    /// Carries a pending request out, telling the customer with `mail`, in one
    /// transaction with its audit entry.
    async fn erase_customer(
        &self,
        request: i64,
        retention: &RetentionYears,
        mail: &OutgoingMail,
        by: &Actor,
    ) -> Result<ErasureOutcome>;

    /// Refuses a pending request for `reason`, telling the customer with `mail`.
    async fn refuse_erasure(
        &self,
        request: i64,
        reason: &str,
        mail: &OutgoingMail,
        by: &Actor,
    ) -> Result<ErasureOutcome>;

    /// Masks the personal data of the orders (and the old shop's orders) whose
    /// restriction ended by `now`; how many.
    async fn mask_expired_orders(&self, now: DateTime<Utc>) -> Result<u64>;
}

/// `ana.garcia@example.es` → `a•••@example.es`: enough to recognise a record, not
/// to reach anyone.
pub fn masked_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}•••@{domain}")
        }
        None => "•••".to_owned(),
    }
}

/// When an order placed at `placed_at` on `site` may be masked.
pub(crate) fn restricted_until(
    placed_at: DateTime<Utc>,
    site: &str,
    retention: &RetentionYears,
) -> Result<DateTime<Utc>> {
    let site = SiteCode::parse(site).map_err(|_| StoreError::Corrupt(format!("site '{site}'")))?;
    let months = u32::from(retention.of(site)) * 12;
    placed_at
        .checked_add_months(Months::new(months))
        .ok_or_else(|| StoreError::Corrupt(format!("order date {placed_at}")))
}

pub(crate) const REQUEST_SQL: &str = "INSERT INTO erasure_requests \
     (customer_id, email, site, requested_at) VALUES ($1, $2, $3, $4) \
     ON CONFLICT (customer_id) WHERE status = 'requested' DO NOTHING";
pub(crate) const PENDING_SQL: &str = "SELECT requested_at FROM erasure_requests \
     WHERE customer_id = $1 AND status = 'requested'";
/// A request's columns as [`RequestRow`] reads them.
macro_rules! select_requests {
    () => {
        "SELECT id, customer_id, email, site, requested_at, status, decided_at, decided_by, \
         reason FROM erasure_requests"
    };
}
pub(crate) const REQUESTS_SQL: &str = concat!(
    select_requests!(),
    " ORDER BY CASE WHEN status = 'requested' THEN 0 ELSE 1 END, requested_at DESC, id DESC \
     LIMIT $1"
);
pub(crate) const REQUEST_BY_ID_SQL: &str = concat!(select_requests!(), " WHERE id = $1");
/// Decides a request still pending: the one statement two staff cannot both pass.
pub(crate) const DECIDE_SQL: &str = "UPDATE erasure_requests \
     SET status = $2, decided_at = $3, decided_by = $4, reason = $5 \
     WHERE id = $1 AND status = 'requested' RETURNING customer_id, email";
pub(crate) const ORDERS_OF_SQL: &str = "SELECT id, site, placed_at FROM orders \
     WHERE customer_id = $1 OR email = $2";
pub(crate) const RESTRICT_ORDER_SQL: &str =
    "UPDATE orders SET customer_id = NULL, restricted_until = $2 WHERE id = $1";
pub(crate) const FORGET_SENT_MAILS_SQL: &str =
    "DELETE FROM outbox WHERE recipient = $1 AND sent_at IS NOT NULL";
pub(crate) const LEGACY_ORDERS_OF_SQL: &str = "SELECT id, site, placed_at FROM legacy_orders \
     WHERE customer_id = $1 OR email = $2";
pub(crate) const RESTRICT_LEGACY_ORDER_SQL: &str =
    "UPDATE legacy_orders SET customer_id = NULL, restricted_until = $2 WHERE id = $1";
pub(crate) const MASK_LEGACY_ORDERS_SQL: &str = "UPDATE legacy_orders SET email = 'erased', \
     billing_address = '', shipping_address = '', masked_at = $1 \
     WHERE restricted_until <= $1 AND masked_at IS NULL";
pub(crate) const DELETE_CUSTOMER_SQL: &str = "DELETE FROM customers WHERE id = $1";
pub(crate) const MASK_REQUEST_SQL: &str = "UPDATE erasure_requests SET email = $2 WHERE id = $1";
pub(crate) const MASK_ORDERS_SQL: &str = "UPDATE orders SET email = 'erased', ship_name = '', \
     ship_street = '', phone = '', client_address = NULL, \
     invoice_tax_id = CASE WHEN invoice_tax_id IS NULL THEN NULL ELSE '' END, \
     invoice_name = CASE WHEN invoice_name IS NULL THEN NULL ELSE '' END, \
     invoice_street = CASE WHEN invoice_street IS NULL THEN NULL ELSE '' END, \
     masked_at = $1 \
     WHERE restricted_until <= $1 AND masked_at IS NULL";

pub(crate) type RequestRow = (
    i64,
    Option<i64>,
    String,
    String,
    DateTime<Utc>,
    String,
    Option<DateTime<Utc>>,
    Option<String>,
    String,
);

pub(crate) fn request_of(row: RequestRow) -> Result<ErasureRequest> {
    let (id, customer_id, email, site, requested_at, status, decided_at, decided_by, reason) = row;
    Ok(ErasureRequest {
        id,
        customer_id,
        email,
        site: SiteCode::parse(&site).map_err(|_| StoreError::Corrupt(format!("site '{site}'")))?,
        requested_at,
        status: ErasureStatus::parse(&status)?,
        decided_at,
        decided_by,
        reason,
    })
}

/// Writes `impl PrivacyStore` and `impl PrivacyAdminStore` for `$store`.
macro_rules! impl_privacy_store {
    ($store:ty) => {
        const _: () = {
            use $crate::dialect::Dialect;
            use $crate::privacy::{self as sql, ErasureOutcome, ErasureStatus};

            #[async_trait::async_trait]
            impl $crate::privacy::PrivacyStore for $store {
                async fn request_erasure(
                    &self,
                    customer_id: i64,
                    email: &str,
                    site: comptoir_domain::SiteCode,
                    now: chrono::DateTime<chrono::Utc>,
                ) -> $crate::Result<bool> {
                    let written = sqlx::query(sql::REQUEST_SQL)
                        .bind(customer_id)
                        .bind(email)
                        .bind(site.as_str())
                        .bind(now)
                        .execute(self.pool())
                        .await?
                        .rows_affected();
                    Ok(written == 1)
                }

                async fn pending_erasure(
                    &self,
                    customer_id: i64,
                ) -> $crate::Result<Option<chrono::DateTime<chrono::Utc>>> {
                    Ok(sqlx::query_scalar(sql::PENDING_SQL)
                        .bind(customer_id)
                        .fetch_optional(self.pool())
                        .await?)
                }
            }

            #[async_trait::async_trait]
            impl $crate::privacy::PrivacyAdminStore for $store {
                async fn erasure_requests(
                    &self,
                    limit: u32,
                ) -> $crate::Result<Vec<$crate::privacy::ErasureRequest>> {
                    let rows: Vec<sql::RequestRow> = sqlx::query_as(sql::REQUESTS_SQL)
                        .bind(i64::from(limit))
                        .fetch_all(self.pool())
                        .await?;
                    rows.into_iter().map(sql::request_of).collect()
                }

                async fn erasure_request(
                    &self,
                    id: i64,
                ) -> $crate::Result<Option<$crate::privacy::ErasureRequest>> {
                    let row: Option<sql::RequestRow> = sqlx::query_as(sql::REQUEST_BY_ID_SQL)
                        .bind(id)
                        .fetch_optional(self.pool())
                        .await?;
                    row.map(sql::request_of).transpose()
                }

                async fn erase_customer(
                    &self,
                    request: i64,
                    retention: &comptoir_domain::customer::RetentionYears,
                    mail: &$crate::OutgoingMail,
                    by: &$crate::staff::Actor,
                ) -> $crate::Result<ErasureOutcome> {
                    let now = chrono::Utc::now();
                    let mut tx = self.begin_write().await?;
                    let decided: Option<(Option<i64>, String)> = sqlx::query_as(sql::DECIDE_SQL)
                        .bind(request)
                        .bind(ErasureStatus::Erased.as_str())
                        .bind(now)
                        .bind(&by.name)
                        .bind("")
                        .fetch_optional(&mut *tx)
                        .await?;
                    let Some((customer_id, email)) = decided else {
                        return Ok(ErasureOutcome::NotPending);
                    };
                    // Orders, and the old shop's (records of the same kind of sale),
                    // restricted alike; the count told is of the shop's own.
                    let mut orders = 0;
                    for (find, restrict, told) in [
                        (sql::ORDERS_OF_SQL, sql::RESTRICT_ORDER_SQL, true),
                        (
                            sql::LEGACY_ORDERS_OF_SQL,
                            sql::RESTRICT_LEGACY_ORDER_SQL,
                            false,
                        ),
                    ] {
                        let found: Vec<(i64, String, chrono::DateTime<chrono::Utc>)> =
                            sqlx::query_as(find)
                                .bind(customer_id)
                                .bind(&email)
                                .fetch_all(&mut *tx)
                                .await?;
                        for (order, site, placed_at) in &found {
                            sqlx::query(restrict)
                                .bind(order)
                                .bind(sql::restricted_until(*placed_at, site, retention)?)
                                .execute(&mut *tx)
                                .await?;
                        }
                        if told {
                            orders = found.len();
                        }
                    }
                    sqlx::query($crate::newsletter::FORGET_SQL)
                        .bind(&email)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query(sql::FORGET_SENT_MAILS_SQL)
                        .bind(&email)
                        .execute(&mut *tx)
                        .await?;
                    if let Some(customer) = customer_id {
                        sqlx::query(sql::DELETE_CUSTOMER_SQL)
                            .bind(customer)
                            .execute(&mut *tx)
                            .await?;
                    }
                    let masked = sql::masked_email(&email);
                    sqlx::query(sql::MASK_REQUEST_SQL)
                        .bind(request)
                        .bind(&masked)
                        .execute(&mut *tx)
                        .await?;
                    Self::enqueue(&mut tx, mail).await?;
                    Self::audit(
                        &mut tx,
                        by,
                        "customer.erase",
                        "erasure_request",
                        &request.to_string(),
                        None,
                        Some(
                            serde_json::json!({
                                "email": masked,
                                "orders_restricted": orders,
                            })
                            .to_string(),
                        ),
                    )
                    .await?;
                    tx.commit().await?;
                    Ok(ErasureOutcome::Erased {
                        orders_restricted: orders as u64,
                    })
                }

                async fn refuse_erasure(
                    &self,
                    request: i64,
                    reason: &str,
                    mail: &$crate::OutgoingMail,
                    by: &$crate::staff::Actor,
                ) -> $crate::Result<ErasureOutcome> {
                    let mut tx = self.begin_write().await?;
                    let decided: Option<(Option<i64>, String)> = sqlx::query_as(sql::DECIDE_SQL)
                        .bind(request)
                        .bind(ErasureStatus::Refused.as_str())
                        .bind(chrono::Utc::now())
                        .bind(&by.name)
                        .bind(reason)
                        .fetch_optional(&mut *tx)
                        .await?;
                    let Some((_, email)) = decided else {
                        return Ok(ErasureOutcome::NotPending);
                    };
                    Self::enqueue(&mut tx, mail).await?;
                    Self::audit(
                        &mut tx,
                        by,
                        "customer.erase_refused",
                        "erasure_request",
                        &request.to_string(),
                        None,
                        Some(
                            serde_json::json!({
                                "email": sql::masked_email(&email),
                                "reason": reason,
                            })
                            .to_string(),
                        ),
                    )
                    .await?;
                    tx.commit().await?;
                    Ok(ErasureOutcome::Refused)
                }

                async fn mask_expired_orders(
                    &self,
                    now: chrono::DateTime<chrono::Utc>,
                ) -> $crate::Result<u64> {
                    let mut tx = self.begin_write().await?;
                    let mut masked = 0;
                    for statement in [sql::MASK_ORDERS_SQL, sql::MASK_LEGACY_ORDERS_SQL] {
                        masked += sqlx::query(statement)
                            .bind(now)
                            .execute(&mut *tx)
                            .await?
                            .rows_affected();
                    }
                    tx.commit().await?;
                    Ok(masked)
                }
            }
        };
    };
}
pub(crate) use impl_privacy_store;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masked_addresses_keep_a_letter_and_the_domain() {
        assert_eq!(masked_email("ana.garcia@example.es"), "a•••@example.es");
        assert_eq!(masked_email("nobody"), "•••");
    }

    #[test]
    fn orders_are_restricted_for_their_sites_years() {
        let placed = DateTime::parse_from_rfc3339("2028-02-29T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let retention = RetentionYears::default();
        let es = restricted_until(placed, "es", &retention).unwrap();
        let fr = restricted_until(placed, "fr", &retention).unwrap();
        assert_eq!(es.to_rfc3339(), "2034-02-28T10:00:00+00:00");
        assert_eq!(fr.to_rfc3339(), "2038-02-28T10:00:00+00:00");
        assert!(restricted_until(placed, "de", &retention).is_err());
    }
}
