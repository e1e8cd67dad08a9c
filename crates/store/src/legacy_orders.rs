//! Orders of the shop Comptoir replaced, kept to be read: by their customer in
//! their account, by staff in the back office. Imported once (an order already
//! there is left as it is), never changed, never touching stock.

use async_trait::async_trait;
use comptoir_domain::import::{LegacyOrder, LegacyOrderLine};

use crate::Result;
use crate::staff::Actor;

/// What an import of old orders did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LegacyOrderImport {
    pub created: usize,
    /// Left as they were: an order of that number was there already.
    pub already_there: usize,
}

/// The old shop's orders.
#[async_trait]
pub trait LegacyOrderStore: Send + Sync {
    /// Keeps `orders` (each with the account of its e-mail address, if any: given
    /// as accounts keep them, `Email::parse`'s form), in one transaction; a number
    /// there already is left as it is.
    async fn import_legacy_orders(
        &self,
        orders: &[LegacyOrder],
        by: &Actor,
    ) -> Result<LegacyOrderImport>;

    /// A customer's old orders, newest first.
    async fn customer_legacy_orders(&self, customer: i64) -> Result<Vec<LegacyOrder>>;

    /// Old orders whose number is `search`, or whose e-mail address contains it,
    /// newest first, at most `limit`.
    async fn find_legacy_orders(&self, search: &str, limit: i64) -> Result<Vec<LegacyOrder>>;
}

pub(crate) const INSERT_ORDER_SQL: &str = "INSERT INTO legacy_orders (number, site, customer_id, \
     email, placed_at, status, currency, subtotal_cents, shipping_cents, discount_cents, \
     tax_cents, total_cents, paid_cents, payment_method, shipping_method, billing_address, \
     shipping_address, invoices, shipments) \
     VALUES ($1, $2, (SELECT id FROM customers WHERE email = $3), $3, $4, $5, $6, \
     $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) \
     ON CONFLICT (number) DO NOTHING RETURNING id";
pub(crate) const INSERT_LINE_SQL: &str = "INSERT INTO legacy_order_lines \
     (order_id, position, sku, name, units, unit_price_cents, total_cents) \
     VALUES ($1, $2, $3, $4, $5, $6, $7)";
const ORDER_COLUMNS: &str = "id, number, site, email, placed_at, status, currency, \
     subtotal_cents, shipping_cents, discount_cents, tax_cents, total_cents, paid_cents, \
     payment_method, shipping_method, billing_address, shipping_address, invoices, shipments";
pub(crate) fn customer_orders_sql() -> String {
    format!(
        "SELECT {ORDER_COLUMNS} FROM legacy_orders WHERE customer_id = $1 \
         ORDER BY placed_at DESC, id DESC"
    )
}
pub(crate) fn find_orders_sql() -> String {
    format!(
        "SELECT {ORDER_COLUMNS} FROM legacy_orders \
         WHERE number = $1 OR lower(email) LIKE '%' || lower($1) || '%' \
         ORDER BY placed_at DESC, id DESC LIMIT $2"
    )
}
pub(crate) const LINES_SQL: &str = "SELECT sku, name, units, unit_price_cents, total_cents \
     FROM legacy_order_lines WHERE order_id = $1 ORDER BY position";

/// A row of `legacy_orders`.
#[derive(sqlx::FromRow)]
pub(crate) struct LegacyOrderRow {
    pub id: i64,
    number: String,
    site: String,
    email: String,
    placed_at: chrono::DateTime<chrono::Utc>,
    status: String,
    currency: String,
    subtotal_cents: i64,
    shipping_cents: i64,
    discount_cents: i64,
    tax_cents: i64,
    total_cents: i64,
    paid_cents: i64,
    payment_method: String,
    shipping_method: String,
    billing_address: String,
    shipping_address: String,
    invoices: String,
    shipments: String,
}

impl LegacyOrderRow {
    pub(crate) fn into_order(self, lines: Vec<LegacyOrderLine>) -> LegacyOrder {
        let list = |text: String| -> Vec<String> {
            text.lines()
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect()
        };
        LegacyOrder {
            number: self.number,
            site: comptoir_domain::SiteCode::parse(&self.site)
                .unwrap_or(comptoir_domain::SiteCode::Es),
            email: self.email,
            placed_at: self.placed_at,
            status: self.status,
            currency: self.currency,
            subtotal_cents: self.subtotal_cents,
            shipping_cents: self.shipping_cents,
            discount_cents: self.discount_cents,
            tax_cents: self.tax_cents,
            total_cents: self.total_cents,
            paid_cents: self.paid_cents,
            payment_method: self.payment_method,
            shipping_method: self.shipping_method,
            billing_address: self.billing_address,
            shipping_address: self.shipping_address,
            invoices: list(self.invoices),
            shipments: list(self.shipments),
            lines,
        }
    }
}

/// A row of `legacy_order_lines`.
#[derive(sqlx::FromRow)]
pub(crate) struct LegacyLineRow {
    sku: String,
    name: String,
    units: i32,
    unit_price_cents: i64,
    total_cents: i64,
}

impl From<LegacyLineRow> for LegacyOrderLine {
    fn from(row: LegacyLineRow) -> LegacyOrderLine {
        LegacyOrderLine {
            sku: row.sku,
            name: row.name,
            units: row.units,
            unit_price_cents: row.unit_price_cents,
            total_cents: row.total_cents,
        }
    }
}

/// Writes `impl LegacyOrderStore for $store`, a backend's store type.
macro_rules! impl_legacy_order_store {
    ($store:ty) => {
        const _: () = {
            use $crate::dialect::Dialect;
            use $crate::legacy_orders::{LegacyLineRow, LegacyOrderRow};

            impl $store {
                /// The orders of `rows`, each with its lines.
                async fn with_lines(
                    &self,
                    rows: Vec<LegacyOrderRow>,
                ) -> $crate::Result<Vec<comptoir_domain::import::LegacyOrder>> {
                    let mut orders = Vec::with_capacity(rows.len());
                    for row in rows {
                        let lines: Vec<LegacyLineRow> =
                            sqlx::query_as($crate::legacy_orders::LINES_SQL)
                                .bind(row.id)
                                .fetch_all(self.pool())
                                .await?;
                        orders.push(row.into_order(lines.into_iter().map(Into::into).collect()));
                    }
                    Ok(orders)
                }
            }

            #[async_trait::async_trait]
            impl $crate::legacy_orders::LegacyOrderStore for $store {
                async fn import_legacy_orders(
                    &self,
                    orders: &[comptoir_domain::import::LegacyOrder],
                    by: &$crate::staff::Actor,
                ) -> $crate::Result<$crate::legacy_orders::LegacyOrderImport> {
                    let mut tx = self.begin_write().await?;
                    let mut created = 0;
                    for order in orders {
                        let id: Option<i64> =
                            sqlx::query_scalar($crate::legacy_orders::INSERT_ORDER_SQL)
                                .bind(&order.number)
                                .bind(order.site.as_str())
                                .bind(&order.email)
                                .bind(order.placed_at)
                                .bind(&order.status)
                                .bind(&order.currency)
                                .bind(order.subtotal_cents)
                                .bind(order.shipping_cents)
                                .bind(order.discount_cents)
                                .bind(order.tax_cents)
                                .bind(order.total_cents)
                                .bind(order.paid_cents)
                                .bind(&order.payment_method)
                                .bind(&order.shipping_method)
                                .bind(&order.billing_address)
                                .bind(&order.shipping_address)
                                .bind(order.invoices.join("\n"))
                                .bind(order.shipments.join("\n"))
                                .fetch_optional(&mut *tx)
                                .await?;
                        let Some(id) = id else {
                            continue;
                        };
                        created += 1;
                        for (position, line) in order.lines.iter().enumerate() {
                            sqlx::query($crate::legacy_orders::INSERT_LINE_SQL)
                                .bind(id)
                                .bind(i32::try_from(position).unwrap_or(i32::MAX))
                                .bind(&line.sku)
                                .bind(&line.name)
                                .bind(line.units)
                                .bind(line.unit_price_cents)
                                .bind(line.total_cents)
                                .execute(&mut *tx)
                                .await?;
                        }
                    }
                    let report = $crate::legacy_orders::LegacyOrderImport {
                        created,
                        already_there: orders.len() - created,
                    };
                    let after = serde_json::json!({
                        "created": report.created,
                        "already_there": report.already_there,
                    })
                    .to_string();
                    Self::audit(
                        &mut tx,
                        by,
                        "legacy_orders.import",
                        "legacy_orders",
                        "",
                        None,
                        Some(after),
                    )
                    .await?;
                    tx.commit().await?;
                    Ok(report)
                }

                async fn customer_legacy_orders(
                    &self,
                    customer: i64,
                ) -> $crate::Result<Vec<comptoir_domain::import::LegacyOrder>> {
                    let rows: Vec<LegacyOrderRow> = sqlx::query_as(sqlx::AssertSqlSafe(
                        $crate::legacy_orders::customer_orders_sql(),
                    ))
                    .bind(customer)
                    .fetch_all(self.pool())
                    .await?;
                    self.with_lines(rows).await
                }

                async fn find_legacy_orders(
                    &self,
                    search: &str,
                    limit: i64,
                ) -> $crate::Result<Vec<comptoir_domain::import::LegacyOrder>> {
                    let search = search.trim();
                    if search.is_empty() {
                        return Ok(Vec::new());
                    }
                    let rows: Vec<LegacyOrderRow> = sqlx::query_as(sqlx::AssertSqlSafe(
                        $crate::legacy_orders::find_orders_sql(),
                    ))
                    .bind(search)
                    .bind(limit)
                    .fetch_all(self.pool())
                    .await?;
                    self.with_lines(rows).await
                }
            }
        };
    };
}
pub(crate) use impl_legacy_order_store;
