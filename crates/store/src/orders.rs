//! Orders as the store writes them: everything computed beforehand (prices, VAT,
//! totals, from the catalogue, never from the shopper), placed in one transaction.

use comptoir_domain::order::OrderNumber;
use comptoir_domain::{SiteCode, Sku};

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
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShippingAddress {
    pub name: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    /// ISO code: `ES`, `FR`, `PT`, `IT`.
    pub country: String,
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
     shipping_method, client_address) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) \
     ON CONFLICT (idempotency_key) DO NOTHING RETURNING id";
pub(crate) const EXISTING_ORDER_SQL: &str =
    "SELECT id, number, total_cents FROM orders WHERE idempotency_key = $1";
/// The guard against overselling: the decrement happens only if enough is left.
pub(crate) const TAKE_STOCK_SQL: &str = "UPDATE variants SET stock = stock - $2 WHERE sku = $1 AND stock >= $2 RETURNING id, product_id";
pub(crate) const STOCK_OF_SQL: &str = "SELECT CAST(stock AS BIGINT) FROM variants WHERE sku = $1";
pub(crate) const INSERT_LINE_SQL: &str = "INSERT INTO order_lines (order_id, position, variant_id, \
     sku, name, unit_cents, quantity, gross_cents, discount_cents, net_cents, vat_cents, vat_rate_bp) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";

/// Writes an order inside the caller's write transaction, in either backend: claims
/// the idempotency key (`None`: already placed), takes each line's stock (an
/// `OutOfStock` error: the caller rolls back), writes the lines and queues the
/// confirmation mail. Evaluates to the order's id and the products whose stock
/// changed.
macro_rules! write_order {
    ($conn:expr, $order:expr, $number:expr, $confirmation:expr) => {{
        let conn = $conn;
        let order: &$crate::NewOrder = $order;
        let claimed: Option<i64> = sqlx::query_scalar($crate::orders::INSERT_ORDER_SQL)
            .bind($number)
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
            .fetch_optional(&mut *conn)
            .await?;
        match claimed {
            None => Ok(None),
            Some(order_id) => {
                let mut products: Vec<i64> = Vec::new();
                let mut outcome = Ok(());
                for (position, line) in $crate::orders::in_lock_order(&order.lines) {
                    let taken: Option<(i64, i64)> = sqlx::query_as($crate::orders::TAKE_STOCK_SQL)
                        .bind(line.sku.as_str())
                        .bind(i64::from(line.quantity))
                        .fetch_optional(&mut *conn)
                        .await?;
                    let Some((variant_id, product_id)) = taken else {
                        let available: Option<i64> =
                            sqlx::query_scalar($crate::orders::STOCK_OF_SQL)
                                .bind(line.sku.as_str())
                                .fetch_optional(&mut *conn)
                                .await?;
                        outcome = Err($crate::StoreError::OutOfStock {
                            sku: line.sku.to_string(),
                            available: available.unwrap_or(0),
                        });
                        break;
                    };
                    products.push(product_id);
                    sqlx::query($crate::orders::INSERT_LINE_SQL)
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
                products.sort_unstable();
                products.dedup();
                if outcome.is_ok() {
                    let confirmation: Option<$crate::OutgoingMail> = $confirmation;
                    if let Some(mail) = &confirmation {
                        $crate::outbox::enqueue!(&mut *conn, mail);
                    }
                }
                outcome.map(|()| Some((order_id, products)))
            }
        }
    }};
}
pub(crate) use write_order;

/// Reads back the order placed first by this attempt.
macro_rules! existing_order {
    ($executor:expr, $key:expr) => {{
        let (id, number, total_cents): (i64, String, i64) =
            sqlx::query_as($crate::orders::EXISTING_ORDER_SQL)
                .bind($key)
                .fetch_one($executor)
                .await?;
        let number = comptoir_domain::order::OrderNumber::parse(&number)
            .ok_or_else(|| $crate::StoreError::Corrupt(format!("order number '{number}'")))?;
        $crate::PlacedOrder {
            id,
            number,
            total_cents,
            newly_placed: false,
        }
    }};
}
pub(crate) use existing_order;
