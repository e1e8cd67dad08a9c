//! Orders as the store writes them: everything computed beforehand (prices, VAT,
//! totals, from the catalogue, never from the shopper), placed in one transaction.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use comptoir_domain::order::{InvoiceDetails, OrderNumber};
use comptoir_domain::promotions::CouponCode;
use comptoir_domain::{SiteCode, Sku};

use crate::{Result, ShippingAddress};

/// An order ready to be placed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrder {
    pub site: SiteCode,
    /// One per checkout attempt (16 to 128 characters): placing the same attempt
    /// twice yields the first order.
    pub idempotency_key: String,
    pub email: String,
    /// The account the order was placed from; `None` for a guest.
    pub customer_id: Option<i64>,
    pub ship_to: ShippingAddress,
    /// The carrier calls it: international form (`+34612345678`).
    pub phone: String,
    /// The province of an Italian address (`MI`); empty elsewhere.
    pub ship_region: String,
    pub invoice: Option<InvoiceDetails>,
    pub shipping_method: String,
    pub payment_method: String,
    /// The client address it was placed from, for the limit on open unpaid orders.
    pub client_address: Option<String>,
    pub lines: Vec<NewOrderLine>,
    pub items_cents: i64,
    pub discount_cents: i64,
    pub shipping_cents: i64,
    pub vat_cents: i64,
    pub total_cents: i64,
    pub outside_eu_vat: bool,
    /// The terms of sale the shopper accepted, when the checkout asked.
    pub terms: Option<AcceptedTerms>,
    /// The promotions applied, in the order they applied.
    pub promotions: Vec<NewOrderPromotion>,
}

/// A promotion as the order got it. A code's use is claimed as the order is placed:
/// used up meanwhile, the order is not placed ([`crate::StoreError::PromotionUsedUp`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrderPromotion {
    pub rule_id: i64,
    /// In the order's language.
    pub name: String,
    pub code: Option<CouponCode>,
    /// Off the lines, VAT included.
    pub amount_cents: i64,
    pub free_shipping: bool,
}

/// A promotion an order got, as the shopper saw it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OrderPromotionRecord {
    pub name: String,
    pub code: Option<String>,
    pub amount_cents: i64,
    pub free_shipping: bool,
}

/// The terms of sale a shopper accepted at checkout: the page and its version (where
/// the site has a terms page), and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AcceptedTerms {
    pub page_id: Option<i64>,
    pub version: Option<i64>,
    pub accepted_at: DateTime<Utc>,
}

/// A line with its price snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrderLine {
    pub sku: Sku,
    pub name: String,
    pub unit_cents: i64,
    pub quantity: u32,
    pub gross_cents: i64,
    pub discount_cents: i64,
    pub net_cents: i64,
    pub vat_cents: i64,
    pub vat_rate_bp: u32,
}

/// The mail confirming an order, once its number is known: written in the
/// transaction that places the order, so that no order goes unannounced.
pub type ConfirmationMail<'a> =
    &'a (dyn Fn(&OrderNumber) -> Option<crate::OutgoingMail> + Send + Sync);

/// An order as placed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacedOrder {
    pub id: i64,
    pub number: OrderNumber,
    pub total_cents: i64,
    /// `false` when the attempt had been placed before: this is that order.
    pub newly_placed: bool,
}

/// An order as its shopper sees it afterwards: the snapshot taken at placement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderRecord {
    pub id: i64,
    pub number: String,
    /// `es`, `fr`, `pt` or `it`.
    pub site: String,
    pub customer_id: Option<i64>,
    pub email: String,
    pub ship_to: ShippingAddress,
    pub phone: String,
    pub ship_region: String,
    pub invoice: Option<InvoiceDetails>,
    pub shipping_method: String,
    pub payment_method: String,
    pub payment_status: String,
    pub fulfilment_status: String,
    pub items_cents: i64,
    pub discount_cents: i64,
    pub shipping_cents: i64,
    pub vat_cents: i64,
    pub total_cents: i64,
    /// Given back so far (refunds recorded by staff).
    pub refunded_cents: i64,
    /// Card payments received when the order could no longer take them: to give
    /// back.
    pub refund_due_cents: i64,
    pub outside_eu_vat: bool,
    pub placed_at: DateTime<Utc>,
    pub terms: Option<AcceptedTerms>,
    /// The customer was erased: the order is kept for tax law only, until then.
    pub restricted_until: Option<DateTime<Utc>>,
    pub lines: Vec<OrderLineRecord>,
    pub promotions: Vec<OrderPromotionRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OrderLineRecord {
    pub sku: String,
    pub name: String,
    pub unit_cents: i64,
    pub quantity: i64,
    pub gross_cents: i64,
    pub discount_cents: i64,
    pub net_cents: i64,
    pub vat_cents: i64,
    pub vat_rate_bp: i64,
}

/// A line of a customer's order history.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OrderSummary {
    pub id: i64,
    pub number: String,
    pub site: String,
    pub payment_status: String,
    pub fulfilment_status: String,
    pub total_cents: i64,
    pub placed_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct OrderRow {
    id: i64,
    number: String,
    site: String,
    customer_id: Option<i64>,
    email: String,
    ship_name: String,
    ship_street: String,
    ship_postcode: String,
    ship_city: String,
    ship_country: String,
    phone: String,
    ship_region: String,
    invoice_tax_id: Option<String>,
    invoice_name: Option<String>,
    invoice_street: Option<String>,
    invoice_postcode: Option<String>,
    invoice_city: Option<String>,
    invoice_country: Option<String>,
    shipping_method: String,
    payment_method: String,
    payment_status: String,
    fulfilment_status: String,
    items_cents: i64,
    discount_cents: i64,
    shipping_cents: i64,
    vat_cents: i64,
    total_cents: i64,
    refunded_cents: i64,
    refund_due_cents: i64,
    outside_eu_vat: bool,
    placed_at: DateTime<Utc>,
    terms_page_id: Option<i64>,
    terms_version: Option<i64>,
    terms_accepted_at: Option<DateTime<Utc>>,
    restricted_until: Option<DateTime<Utc>>,
    invoice_vies_proof: Option<String>,
}

impl OrderRow {
    pub(crate) fn id(&self) -> i64 {
        self.id
    }

    pub(crate) fn with_lines(
        self,
        lines: Vec<OrderLineRecord>,
        promotions: Vec<OrderPromotionRecord>,
    ) -> OrderRecord {
        OrderRecord {
            id: self.id,
            number: self.number,
            site: self.site,
            customer_id: self.customer_id,
            email: self.email,
            ship_to: ShippingAddress {
                name: self.ship_name,
                street: self.ship_street,
                postcode: self.ship_postcode,
                city: self.ship_city,
                country: self.ship_country,
            },
            phone: self.phone,
            ship_region: self.ship_region,
            invoice: self.invoice_tax_id.map(|tax_id| InvoiceDetails {
                tax_id,
                billing: ShippingAddress {
                    name: self.invoice_name.unwrap_or_default(),
                    street: self.invoice_street.unwrap_or_default(),
                    postcode: self.invoice_postcode.unwrap_or_default(),
                    city: self.invoice_city.unwrap_or_default(),
                    country: self.invoice_country.unwrap_or_default(),
                },
                vies_proof: self.invoice_vies_proof,
            }),
            shipping_method: self.shipping_method,
            payment_method: self.payment_method,
            payment_status: self.payment_status,
            fulfilment_status: self.fulfilment_status,
            items_cents: self.items_cents,
            discount_cents: self.discount_cents,
            shipping_cents: self.shipping_cents,
            vat_cents: self.vat_cents,
            total_cents: self.total_cents,
            refunded_cents: self.refunded_cents,
            refund_due_cents: self.refund_due_cents,
            outside_eu_vat: self.outside_eu_vat,
            placed_at: self.placed_at,
            terms: self.terms_accepted_at.map(|accepted_at| AcceptedTerms {
                page_id: self.terms_page_id,
                version: self.terms_version,
                accepted_at,
            }),
            restricted_until: self.restricted_until,
            lines,
            promotions,
        }
    }
}

/// Orders as the shop places and shows them.
#[async_trait]
pub trait OrderStore: Send + Sync {
    /// Places an order in one transaction: the attempt's idempotency key claimed,
    /// each line's stock decremented only if enough is left, lines and totals
    /// written, stock changes logged. Not enough stock for a line: nothing is
    /// written ([`crate::StoreError::OutOfStock`]). The same attempt placed again,
    /// even concurrently, returns the first order. The mail `confirmation` gives for
    /// the order's number, if any, is queued in the same transaction.
    async fn place_order(
        &self,
        order: &NewOrder,
        confirmation: ConfirmationMail<'_>,
    ) -> Result<PlacedOrder>;

    /// An order with its lines, as placed.
    async fn order(&self, id: i64) -> Result<Option<OrderRecord>>;

    async fn order_id_by_number(&self, number: &str) -> Result<Option<i64>>;

    /// The order a checkout attempt placed, if it placed one.
    async fn order_id_by_idempotency_key(&self, key: &str) -> Result<Option<i64>>;

    /// A customer's latest orders, newest first.
    async fn customer_orders(&self, customer_id: i64, limit: u32) -> Result<Vec<OrderSummary>>;
}

/// Lines in the order their stock rows are locked: always the same, so two orders
/// sharing variants cannot deadlock.
pub(crate) fn in_lock_order(lines: &[NewOrderLine]) -> Vec<(usize, &NewOrderLine)> {
    let mut sorted: Vec<(usize, &NewOrderLine)> = lines.iter().enumerate().collect();
    sorted.sort_by(|a, b| a.1.sku.cmp(&b.1.sku));
    sorted
}

pub(crate) const INSERT_ORDER_SQL: &str = "INSERT INTO orders (number, site, idempotency_key, email, \
     ship_name, ship_street, ship_postcode, ship_city, ship_country, payment_method, items_cents, \
     discount_cents, shipping_cents, vat_cents, total_cents, outside_eu_vat, placed_at, customer_id, \
     shipping_method, client_address, phone, ship_region, invoice_tax_id, invoice_name, \
     invoice_street, invoice_postcode, invoice_city, invoice_country, terms_page_id, \
     terms_version, terms_accepted_at, invoice_vies_proof) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, \
     $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32) \
     ON CONFLICT (idempotency_key) DO NOTHING RETURNING id";
pub(crate) const EXISTING_ORDER_SQL: &str =
    "SELECT id, number, total_cents FROM orders WHERE idempotency_key = $1";
/// The guard against overselling: the decrement happens only if enough is left.
/// Takes a line's units: while enough are left, beyond zero with backorders, and
/// none (the count untouched) when the variant's units are not counted.
pub(crate) const TAKE_STOCK_SQL: &str = "UPDATE variants \
     SET stock = CASE WHEN stock_policy = 'not_counted' THEN stock ELSE stock - $2 END \
     WHERE sku = $1 AND (stock >= $2 OR stock_policy <> 'counted') RETURNING id, product_id";
pub(crate) const STOCK_OF_SQL: &str = "SELECT CAST(stock AS BIGINT) FROM variants WHERE sku = $1";
/// Claims one use of a code, while its rule's limit allows.
pub(crate) const CLAIM_CODE_SQL: &str = "UPDATE promotion_codes SET uses = uses + 1 \
     WHERE code = $1 AND rule_id = $2 AND uses < COALESCE((SELECT uses_total \
     FROM promotion_rules WHERE id = $2), 2147483647) RETURNING id";
/// Claims one of a customer's uses of a rule, while its limit per customer allows.
pub(crate) const CLAIM_CUSTOMER_USE_SQL: &str = "INSERT INTO promotion_customer_uses \
     (rule_id, customer_key, uses) VALUES ($1, $2, 1) \
     ON CONFLICT (rule_id, customer_key) DO UPDATE SET uses = promotion_customer_uses.uses + 1 \
     WHERE promotion_customer_uses.uses < COALESCE((SELECT uses_per_customer \
     FROM promotion_rules WHERE id = $1), 2147483647) RETURNING rule_id";
pub(crate) const INSERT_ORDER_PROMOTION_SQL: &str = "INSERT INTO order_promotions (order_id, \
     position, rule_id, code_id, name, code, amount_cents, free_shipping, customer_key) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
pub(crate) const ORDER_PROMOTIONS_SQL: &str = "SELECT name, code, amount_cents, free_shipping \
     FROM order_promotions WHERE order_id = $1 ORDER BY position";
/// Followed by a list of ids, then `)`.
pub(crate) const ORDER_PROMOTIONS_IN: &str = "SELECT order_id, name, code, amount_cents, \
     free_shipping FROM order_promotions WHERE order_id IN (";

/// An order's promotion with the order it belongs to, for reading many orders at once.
#[derive(sqlx::FromRow)]
pub(crate) struct OrderPromotionOf {
    pub(crate) order_id: i64,
    #[sqlx(flatten)]
    pub(crate) promotion: OrderPromotionRecord,
}
pub(crate) const INSERT_LINE_SQL: &str = "INSERT INTO order_lines (order_id, position, variant_id, \
     sku, name, unit_cents, quantity, gross_cents, discount_cents, net_cents, vat_cents, vat_rate_bp) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";

/// An order's columns as [`OrderRow`] reads them.
macro_rules! select_orders {
    () => {
        "SELECT id, number, site, customer_id, email, ship_name, \
         ship_street, ship_postcode, ship_city, ship_country, phone, ship_region, invoice_tax_id, \
         invoice_name, invoice_street, invoice_postcode, invoice_city, invoice_country, \
         shipping_method, payment_method, \
         payment_status, fulfilment_status, items_cents, discount_cents, shipping_cents, vat_cents, \
         total_cents, refunded_cents, refund_due_cents, outside_eu_vat, placed_at, \
         terms_page_id, terms_version, terms_accepted_at, restricted_until, invoice_vies_proof \
         FROM orders"
    };
}
/// An order line's columns as [`OrderLineRecord`] (and [`OrderLineOf`]) read them.
macro_rules! select_order_lines {
    () => {
        "SELECT order_id, sku, name, unit_cents, CAST(quantity AS BIGINT) AS quantity, \
         gross_cents, discount_cents, net_cents, vat_cents, \
         CAST(vat_rate_bp AS BIGINT) AS vat_rate_bp FROM order_lines"
    };
}
pub(crate) const ORDER_SQL: &str = concat!(select_orders!(), " WHERE id = $1");
pub(crate) const ORDER_LINES_SQL: &str = concat!(
    select_order_lines!(),
    " WHERE order_id = $1 ORDER BY position"
);
/// Followed by a list of ids, then `)`.
pub(crate) const ORDERS_IN: &str = concat!(select_orders!(), " WHERE id IN (");
pub(crate) const ORDER_LINES_IN: &str = concat!(select_order_lines!(), " WHERE order_id IN (");

/// An order line with the order it belongs to, for reading many orders at once.
#[derive(sqlx::FromRow)]
pub(crate) struct OrderLineOf {
    pub(crate) order_id: i64,
    #[sqlx(flatten)]
    pub(crate) line: OrderLineRecord,
}
pub(crate) const ORDER_ID_BY_NUMBER_SQL: &str = "SELECT id FROM orders WHERE number = $1";
pub(crate) const CUSTOMER_ORDERS_SQL: &str = "SELECT id, number, site, payment_status, \
     fulfilment_status, total_cents, placed_at FROM orders WHERE customer_id = $1 \
     ORDER BY placed_at DESC, id DESC LIMIT $2";

pub(crate) const ORDER_BY_KEY_SQL: &str = "SELECT id FROM orders WHERE idempotency_key = $1";

/// Writes `impl OrderStore for $store`, a backend's store type.
macro_rules! impl_order_store {
    ($store:ty) => {
        const _: () = {
            use comptoir_domain::order::OrderNumber;
            use comptoir_domain::promotions::CouponCode;

            use $crate::change_log::ChangeKind;
            use $crate::dialect::{Connection, Dialect};
            use $crate::orders::{
                self as sql, ConfirmationMail, NewOrder, OrderRecord, OrderRow, OrderStore,
                OrderSummary, PlacedOrder,
            };
            use $crate::{OutgoingMail, Result, StoreError};

            /// What writing an order in a transaction came to.
            enum Written {
                /// The order's id, and the products whose stock moved.
                Placed(i64, Vec<i64>),
                /// The attempt had been placed before.
                AlreadyPlaced,
                /// Out of stock, or a code used up: the caller rolls back.
                Refused(StoreError),
            }

            /// Writes an order inside the caller's write transaction: claims the
            /// idempotency key, takes each line's stock and each code's use (either
            /// missing: refused, and the caller rolls back), writes the lines and
            /// promotions and queues the confirmation mail.
            async fn write_order(
                conn: &mut Connection<$store>,
                order: &NewOrder,
                number: &OrderNumber,
                confirmation: Option<OutgoingMail>,
            ) -> Result<Written> {
                let claimed: Option<i64> = sqlx::query_scalar(sql::INSERT_ORDER_SQL)
                    .bind(number.as_str())
                    .bind(order.site.as_str())
                    .bind(&order.idempotency_key)
                    .bind(&order.email)
                    .bind(&order.ship_to.name)
                    .bind(&order.ship_to.street)
                    .bind(&order.ship_to.postcode)
                    .bind(&order.ship_to.city)
                    .bind(&order.ship_to.country)
                    .bind(&order.payment_method)
                    .bind(order.items_cents)
                    .bind(order.discount_cents)
                    .bind(order.shipping_cents)
                    .bind(order.vat_cents)
                    .bind(order.total_cents)
                    .bind(order.outside_eu_vat)
                    // Bound rather than defaulted, so that both backends store one format.
                    .bind(chrono::Utc::now())
                    .bind(order.customer_id)
                    .bind(&order.shipping_method)
                    .bind(&order.client_address)
                    .bind(&order.phone)
                    .bind(&order.ship_region)
                    .bind(order.invoice.as_ref().map(|i| &i.tax_id))
                    .bind(order.invoice.as_ref().map(|i| &i.billing.name))
                    .bind(order.invoice.as_ref().map(|i| &i.billing.street))
                    .bind(order.invoice.as_ref().map(|i| &i.billing.postcode))
                    .bind(order.invoice.as_ref().map(|i| &i.billing.city))
                    .bind(order.invoice.as_ref().map(|i| &i.billing.country))
                    .bind(order.terms.and_then(|t| t.page_id))
                    .bind(order.terms.and_then(|t| t.version))
                    .bind(order.terms.map(|t| t.accepted_at))
                    .bind(order.invoice.as_ref().and_then(|i| i.vies_proof.as_ref()))
                    .fetch_optional(&mut *conn)
                    .await?;
                let Some(order_id) = claimed else {
                    return Ok(Written::AlreadyPlaced);
                };
                let mut products: Vec<i64> = Vec::new();
                for (position, line) in sql::in_lock_order(&order.lines) {
                    let taken: Option<(i64, i64)> = sqlx::query_as(sql::TAKE_STOCK_SQL)
                        .bind(line.sku.as_str())
                        .bind(i64::from(line.quantity))
                        .fetch_optional(&mut *conn)
                        .await?;
                    let Some((variant_id, product_id)) = taken else {
                        let available: Option<i64> = sqlx::query_scalar(sql::STOCK_OF_SQL)
                            .bind(line.sku.as_str())
                            .fetch_optional(&mut *conn)
                            .await?;
                        return Ok(Written::Refused(StoreError::OutOfStock {
                            sku: line.sku.to_string(),
                            available: available.unwrap_or(0),
                        }));
                    };
                    products.push(product_id);
                    sqlx::query(sql::INSERT_LINE_SQL)
                        .bind(order_id)
                        .bind(position as i64)
                        .bind(variant_id)
                        .bind(line.sku.as_str())
                        .bind(&line.name)
                        .bind(line.unit_cents)
                        .bind(i64::from(line.quantity))
                        .bind(line.gross_cents)
                        .bind(line.discount_cents)
                        .bind(line.net_cents)
                        .bind(line.vat_cents)
                        .bind(i64::from(line.vat_rate_bp))
                        .execute(&mut *conn)
                        .await?;
                }
                let customer_key = order.email.to_lowercase();
                for (position, promotion) in order.promotions.iter().enumerate() {
                    let mut code_id = None;
                    if let Some(code) = &promotion.code {
                        let used_up = || {
                            Ok(Written::Refused(StoreError::PromotionUsedUp {
                                code: code.to_string(),
                            }))
                        };
                        let claimed: Option<i64> = sqlx::query_scalar(sql::CLAIM_CODE_SQL)
                            .bind(code.as_str())
                            .bind(promotion.rule_id)
                            .fetch_optional(&mut *conn)
                            .await?;
                        if claimed.is_none() {
                            return used_up();
                        }
                        let by_customer: Option<i64> =
                            sqlx::query_scalar(sql::CLAIM_CUSTOMER_USE_SQL)
                                .bind(promotion.rule_id)
                                .bind(&customer_key)
                                .fetch_optional(&mut *conn)
                                .await?;
                        if by_customer.is_none() {
                            return used_up();
                        }
                        code_id = claimed;
                    }
                    sqlx::query(sql::INSERT_ORDER_PROMOTION_SQL)
                        .bind(order_id)
                        .bind(position as i64)
                        .bind(promotion.rule_id)
                        .bind(code_id)
                        .bind(&promotion.name)
                        .bind(promotion.code.as_ref().map(CouponCode::as_str))
                        .bind(promotion.amount_cents)
                        .bind(promotion.free_shipping)
                        .bind(&customer_key)
                        .execute(&mut *conn)
                        .await?;
                }
                products.sort_unstable();
                products.dedup();
                if let Some(mail) = &confirmation {
                    <$store>::enqueue(conn, mail).await?;
                }
                Ok(Written::Placed(order_id, products))
            }

            #[async_trait::async_trait]
            impl OrderStore for $store {
                async fn place_order(
                    &self,
                    order: &NewOrder,
                    confirmation: ConfirmationMail<'_>,
                ) -> Result<PlacedOrder> {
                    let mut tx = self.begin_write().await?;
                    let value = Self::next_order_number(&mut tx, order.site).await?;
                    let number = OrderNumber::new(order.site, value);
                    match write_order(&mut tx, order, &number, confirmation(&number)).await? {
                        Written::Placed(id, products) => {
                            Self::append_changes(&mut tx, ChangeKind::Stock, &products).await?;
                            tx.commit().await?;
                            Ok(PlacedOrder {
                                id,
                                number,
                                total_cents: order.total_cents,
                                newly_placed: true,
                            })
                        }
                        Written::AlreadyPlaced => {
                            tx.rollback().await?;
                            let (id, number, total_cents): (i64, String, i64) =
                                sqlx::query_as(sql::EXISTING_ORDER_SQL)
                                    .bind(&order.idempotency_key)
                                    .fetch_one(self.pool())
                                    .await?;
                            let number = OrderNumber::parse(&number).ok_or_else(|| {
                                StoreError::Corrupt(format!("order number '{number}'"))
                            })?;
                            Ok(PlacedOrder {
                                id,
                                number,
                                total_cents,
                                newly_placed: false,
                            })
                        }
                        Written::Refused(error) => {
                            tx.rollback().await?;
                            Err(error)
                        }
                    }
                }

                async fn order(&self, id: i64) -> Result<Option<OrderRecord>> {
                    let row: Option<OrderRow> = sqlx::query_as(sql::ORDER_SQL)
                        .bind(id)
                        .fetch_optional(self.pool())
                        .await?;
                    let Some(row) = row else {
                        return Ok(None);
                    };
                    let lines = sqlx::query_as(sql::ORDER_LINES_SQL)
                        .bind(id)
                        .fetch_all(self.pool())
                        .await?;
                    let promotions = sqlx::query_as(sql::ORDER_PROMOTIONS_SQL)
                        .bind(id)
                        .fetch_all(self.pool())
                        .await?;
                    Ok(Some(row.with_lines(lines, promotions)))
                }

                async fn order_id_by_number(&self, number: &str) -> Result<Option<i64>> {
                    let query = sqlx::query_scalar(sql::ORDER_ID_BY_NUMBER_SQL).bind(number);
                    Ok(query.fetch_optional(self.pool()).await?)
                }

                async fn order_id_by_idempotency_key(&self, key: &str) -> Result<Option<i64>> {
                    let query = sqlx::query_scalar(sql::ORDER_BY_KEY_SQL).bind(key);
                    Ok(query.fetch_optional(self.pool()).await?)
                }

                async fn customer_orders(
                    &self,
                    customer_id: i64,
                    limit: u32,
                ) -> Result<Vec<OrderSummary>> {
                    let query = sqlx::query_as(sql::CUSTOMER_ORDERS_SQL)
                        .bind(customer_id)
                        .bind(i64::from(limit));
                    Ok(query.fetch_all(self.pool()).await?)
                }
            }
        };
    };
}
pub(crate) use impl_order_store;
