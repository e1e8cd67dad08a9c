//! The shop's order history (`sales_flat_order` with its items, addresses,
//! payment, invoices and shipments with tracking numbers), kept to be read: never
//! touching stock, numbered with the old increment ids. Reviews are counted only:
//! Comptoir has none yet.

use std::collections::HashMap;

use comptoir_domain::import::{LegacyOrder, LegacyOrderLine};

use crate::report::Report;
use crate::stores::Stores;
use crate::{MagentoDb, MagentoError, timestamp};

#[derive(sqlx::FromRow)]
struct OrderRow {
    id: u64,
    number: Option<String>,
    store: Option<u64>,
    email: Option<Vec<u8>>,
    placed_at: Option<String>,
    status: Option<String>,
    currency: Option<String>,
    subtotal: Option<String>,
    shipping: Option<String>,
    discount: Option<String>,
    tax: Option<String>,
    total: Option<String>,
    shipping_method: Option<Vec<u8>>,
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    order: u64,
    sku: Option<Vec<u8>>,
    name: Option<Vec<u8>>,
    units: Option<String>,
    price: Option<String>,
    total: Option<String>,
}

#[derive(sqlx::FromRow)]
struct AddressRow {
    order: u64,
    kind: Option<String>,
    firstname: Option<Vec<u8>>,
    lastname: Option<Vec<u8>>,
    street: Option<Vec<u8>>,
    postcode: Option<Vec<u8>>,
    city: Option<Vec<u8>>,
    country: Option<String>,
}

/// An invoice or shipment of an order.
#[derive(sqlx::FromRow)]
struct DocumentRow {
    id: u64,
    order: u64,
    number: Option<String>,
    at: Option<String>,
    amount: Option<String>,
}

impl DocumentRow {
    /// Its number and day: `100000015 · 2025-10-20`.
    fn text(&self) -> String {
        let day = self
            .at
            .as_deref()
            .and_then(|at| at.get(..10))
            .unwrap_or_default();
        format!("{} · {day}", self.number.as_deref().unwrap_or_default())
    }
}

/// A tracking number of a shipment.
#[derive(sqlx::FromRow)]
struct TrackRow {
    shipment: u64,
    carrier: Option<Vec<u8>>,
    number: Option<Vec<u8>>,
}

/// Reads every order of a store view that feeds a site; one of another store view,
/// or without a number, is reported and left out.
pub async fn read(
    db: &mut MagentoDb,
    stores: &Stores,
    report: &mut Report,
) -> Result<Vec<LegacyOrder>, MagentoError> {
    count_reviews(db, report).await?;
    if !db.tables().has("sales_flat_order") {
        report.note(
            "orders",
            "no sales_flat_order table (Magento before 1.4.1): order history not read",
        );
        return Ok(Vec::new());
    }
    let orders_table = db.tables().name("sales_flat_order");
    let rows: Vec<OrderRow> = db
        .rows(
            "sales_flat_order",
            &format!(
                "SELECT CAST(entity_id AS UNSIGNED) AS id, CAST(increment_id AS CHAR) AS number, \
                 CAST(store_id AS UNSIGNED) AS store, CAST(customer_email AS BINARY) AS email, \
                 CAST(created_at AS CHAR) AS placed_at, CAST(status AS CHAR) AS status, \
                 CAST(order_currency_code AS CHAR) AS currency, \
                 CAST(subtotal_incl_tax AS CHAR) AS subtotal, \
                 CAST(shipping_incl_tax AS CHAR) AS shipping, \
                 CAST(discount_amount AS CHAR) AS discount, CAST(tax_amount AS CHAR) AS tax, \
                 CAST(grand_total AS CHAR) AS total, \
                 CAST(shipping_description AS BINARY) AS shipping_method \
                 FROM {orders_table} ORDER BY entity_id"
            ),
        )
        .await?;
    let items = items(db).await?;
    let addresses = addresses(db).await?;
    let payments = payments(db).await?;
    let invoices = invoices(db).await?;
    let shipments = shipments(db).await?;
    let read = rows.len();
    report.counts("orders").read = read;
    let mut orders = Vec::with_capacity(rows.len());
    for row in rows {
        let entity = format!("order {} ({})", row.id, row.number.as_deref().unwrap_or(""));
        let Some(number) = row.number.filter(|number| !number.trim().is_empty()) else {
            report.problem(&entity, "no increment id: left out".to_owned());
            continue;
        };
        let Some(site) = row.store.and_then(|store| stores.site_of(store)) else {
            report.problem(
                &entity,
                "of a store view no site takes: left out".to_owned(),
            );
            continue;
        };
        let Some(placed_at) = row.placed_at.as_deref().and_then(timestamp) else {
            report.problem(&entity, "no date it was placed: left out".to_owned());
            continue;
        };
        let cents = |amount: &Option<String>| amount.as_deref().map_or(0, cents);
        let (payment_method, paid_cents) = payments.get(&row.id).cloned().unwrap_or_default();
        let address = |kind: &str| {
            addresses
                .get(&row.id)
                .and_then(|book| book.iter().find(|(k, _)| k == kind))
                .map(|(_, text)| text.clone())
                .unwrap_or_default()
        };
        orders.push(LegacyOrder {
            number: number.trim().to_owned(),
            site,
            // As accounts keep addresses, so that the order finds its customer's.
            email: normalised_email(trimmed(row.email)),
            placed_at,
            status: row.status.unwrap_or_default(),
            currency: row
                .currency
                .filter(|c| c.len() == 3)
                .unwrap_or_else(|| site.currency().code().to_owned()),
            subtotal_cents: cents(&row.subtotal),
            shipping_cents: cents(&row.shipping),
            discount_cents: cents(&row.discount),
            tax_cents: cents(&row.tax),
            total_cents: cents(&row.total),
            paid_cents,
            payment_method,
            shipping_method: trimmed(row.shipping_method),
            billing_address: address("billing"),
            shipping_address: address("shipping"),
            invoices: invoices.get(&row.id).cloned().unwrap_or_default(),
            shipments: shipments.get(&row.id).cloned().unwrap_or_default(),
            lines: items.get(&row.id).cloned().unwrap_or_default(),
        });
    }
    report.counts("orders").skipped = read - orders.len();
    Ok(orders)
}

/// Reviews and their ratings are counted: Comptoir has none yet.
async fn count_reviews(db: &mut MagentoDb, report: &mut Report) -> Result<(), MagentoError> {
    let mut counted = Vec::new();
    for (table, what) in [("review", "reviews"), ("rating_option_vote", "ratings")] {
        if db.tables().has(table) {
            let name = db.tables().name(table);
            let rows: Vec<(i64,)> = db
                .rows(table, &format!("SELECT COUNT(*) FROM {name}"))
                .await?;
            counted.push(format!("{} {what}", rows.first().map_or(0, |(n,)| *n)));
        }
    }
    if !counted.is_empty() {
        report.note(
            "reviews",
            format!(
                "{} not migrated: Comptoir has no reviews yet",
                counted.join(" and ")
            ),
        );
    }
    Ok(())
}

/// Each order's lines: the items a shopper chose (a configurable's child rows,
/// with their parent's, are left out).
async fn items(db: &mut MagentoDb) -> Result<HashMap<u64, Vec<LegacyOrderLine>>, MagentoError> {
    let table = db.tables().name("sales_flat_order_item");
    let rows: Vec<ItemRow> = db
        .rows(
            "sales_flat_order_item",
            &format!(
                "SELECT CAST(order_id AS UNSIGNED) AS `order`, CAST(sku AS BINARY) AS sku, \
                 CAST(name AS BINARY) AS name, CAST(qty_ordered AS CHAR) AS units, \
                 CAST(price_incl_tax AS CHAR) AS price, \
                 CAST(row_total_incl_tax AS CHAR) AS total \
                 FROM {table} WHERE parent_item_id IS NULL ORDER BY order_id, item_id"
            ),
        )
        .await?;
    Ok(crate::grouped(rows.into_iter().map(|row| {
        let units = row
            .units
            .as_deref()
            .and_then(|units| units.split('.').next()?.parse().ok())
            .unwrap_or(0);
        let line = LegacyOrderLine {
            sku: trimmed(row.sku),
            name: trimmed(row.name),
            units,
            unit_price_cents: row.price.as_deref().map_or(0, cents),
            total_cents: row.total.as_deref().map_or(0, cents),
        };
        (row.order, line)
    })))
}

/// Each order's addresses as one line each, by kind (`billing`, `shipping`).
async fn addresses(
    db: &mut MagentoDb,
) -> Result<HashMap<u64, Vec<(String, String)>>, MagentoError> {
    let table = db.tables().name("sales_flat_order_address");
    let rows: Vec<AddressRow> = db
        .rows(
            "sales_flat_order_address",
            &format!(
                "SELECT CAST(parent_id AS UNSIGNED) AS `order`, CAST(address_type AS CHAR) AS kind, \
                 CAST(firstname AS BINARY) AS firstname, CAST(lastname AS BINARY) AS lastname, \
                 CAST(street AS BINARY) AS street, CAST(postcode AS BINARY) AS postcode, \
                 CAST(city AS BINARY) AS city, CAST(country_id AS CHAR) AS country \
                 FROM {table} WHERE parent_id IS NOT NULL ORDER BY parent_id, entity_id"
            ),
        )
        .await?;
    Ok(crate::grouped(rows.into_iter().map(|row| {
        let name = format!("{} {}", trimmed(row.firstname), trimmed(row.lastname));
        let street = trimmed(row.street).replace('\n', ", ");
        let town = format!("{} {}", trimmed(row.postcode), trimmed(row.city));
        let parts = [name, street, town, row.country.unwrap_or_default()];
        let text = parts
            .iter()
            .map(|part| part.trim())
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        (row.order, (row.kind.unwrap_or_default(), text))
    })))
}

/// Each order's payment method and amount paid.
async fn payments(db: &mut MagentoDb) -> Result<HashMap<u64, (String, i64)>, MagentoError> {
    if !db.tables().has("sales_flat_order_payment") {
        return Ok(HashMap::new());
    }
    let table = db.tables().name("sales_flat_order_payment");
    let rows: Vec<(u64, Option<String>, Option<String>)> = db
        .rows(
            "sales_flat_order_payment",
            &format!(
                "SELECT CAST(parent_id AS UNSIGNED), CAST(method AS CHAR), \
                 CAST(amount_paid AS CHAR) FROM {table} ORDER BY entity_id"
            ),
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(|(order, method, paid)| {
            (
                order,
                (method.unwrap_or_default(), paid.as_deref().map_or(0, cents)),
            )
        })
        .collect())
}

/// Each order's invoices: number, day, amount.
async fn invoices(db: &mut MagentoDb) -> Result<HashMap<u64, Vec<String>>, MagentoError> {
    let rows = documents(db, "sales_flat_invoice", "CAST(grand_total AS CHAR)").await?;
    Ok(crate::grouped(rows.into_iter().map(|row| {
        let amount = row.amount.as_deref().map_or(0, cents);
        let text = format!("{} · {}.{:02}", row.text(), amount / 100, amount % 100);
        (row.order, text)
    })))
}

/// Each order's shipments: number, day and their tracking numbers.
async fn shipments(db: &mut MagentoDb) -> Result<HashMap<u64, Vec<String>>, MagentoError> {
    let mut tracking: HashMap<u64, Vec<String>> = HashMap::new();
    if db.tables().has("sales_flat_shipment_track") {
        let table = db.tables().name("sales_flat_shipment_track");
        let rows: Vec<TrackRow> = db
            .rows(
                "sales_flat_shipment_track",
                &format!(
                    "SELECT CAST(parent_id AS UNSIGNED) AS shipment, CAST(title AS BINARY) AS carrier, \
                     CAST(track_number AS BINARY) AS number FROM {table} \
                     ORDER BY parent_id, entity_id"
                ),
            )
            .await?;
        tracking = crate::grouped(rows.into_iter().map(|row| {
            let text = format!("{} {}", trimmed(row.carrier), trimmed(row.number));
            (row.shipment, text.trim().to_owned())
        }));
    }
    let rows = documents(db, "sales_flat_shipment", "NULL").await?;
    Ok(crate::grouped(rows.into_iter().map(|row| {
        let mut text = row.text();
        for track in tracking.get(&row.id).into_iter().flatten() {
            text.push_str(" · ");
            text.push_str(track);
        }
        (row.order, text)
    })))
}

/// The rows of an order document table (`sales_flat_invoice`, `sales_flat_shipment`),
/// none when the install lacks it.
async fn documents(
    db: &mut MagentoDb,
    table: &str,
    amount: &str,
) -> Result<Vec<DocumentRow>, MagentoError> {
    if !db.tables().has(table) {
        return Ok(Vec::new());
    }
    let name = db.tables().name(table);
    db.rows(
        table,
        &format!(
            "SELECT CAST(entity_id AS UNSIGNED) AS id, CAST(order_id AS UNSIGNED) AS `order`, \
             CAST(increment_id AS CHAR) AS number, CAST(created_at AS CHAR) AS at, \
             CAST({amount} AS CHAR) AS amount FROM {name} ORDER BY order_id, entity_id"
        ),
    )
    .await
}

fn normalised_email(text: String) -> String {
    match comptoir_domain::email::Email::parse(&text) {
        Ok(email) => email.as_str().to_owned(),
        Err(_) => text,
    }
}

/// [`crate::lossy`], trimmed: the old shop's order fields often end in spaces.
fn trimmed(bytes: Option<Vec<u8>>) -> String {
    crate::lossy(bytes.as_deref()).trim().to_owned()
}

/// A Magento amount (`39.9800`, `-5.0000`) in cents, rounded half away from zero.
fn cents(amount: &str) -> i64 {
    let amount = amount.trim();
    let (sign, digits) = match amount.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, amount),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let fraction = format!("{fraction:0<4}");
    let whole: i64 = whole.parse().unwrap_or(0);
    let ten_thousandths: i64 = fraction.get(..4).and_then(|f| f.parse().ok()).unwrap_or(0);
    sign * (whole * 100 + (ten_thousandths + 50) / 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_cents_rounded_half_away_from_zero() {
        assert_eq!(cents("39.9800"), 3998);
        assert_eq!(cents("4.1250"), 413);
        assert_eq!(cents("-5.0000"), -500);
        assert_eq!(cents("12"), 1200);
        assert_eq!(cents(""), 0);
    }
}
