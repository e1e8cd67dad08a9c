//! CSV exports of the catalogue and of orders, streamed: the first rows leave while
//! later ones are still read, so 65 000 products never sit in memory as one file;
//! and the newsletter's subscribers, for the mailing tool.
//!
//! The catalogue export is Comptoir's own product format: one row per variant, the
//! product's columns repeated on each (the format the import reads back).

use std::collections::HashMap;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use comptoir_domain::{Locale, Money, Product, SiteCode};
use comptoir_store::{OrderFilter, Store};
use tokio::sync::mpsc;

use super::orders::ListQuery;
use crate::staff_session::{HandlePrivacyRequests, Staff};
use crate::{AppState, HttpError};

/// Products read from the store at a time.
const PRODUCT_CHUNK: usize = 500;
/// Orders read from the store at a time.
const ORDER_CHUNK: u32 = 200;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/products/export.csv", get(export_products))
        .route("/orders/export.csv", get(export_orders))
        .route("/privacy/newsletter.csv", get(export_newsletter))
}

/// A text cell, marked as text when a spreadsheet would run it as a formula
/// (`comptoir_import::spreadsheet`). Amounts and quantities are written as they are.
pub(super) fn text(value: &str) -> String {
    comptoir_import::spreadsheet::neutralised(value).into_owned()
}

pub(super) fn amount(money: Money) -> String {
    money.decimal()
}

/// A product's rows: one per variant.
fn product_rows(product: &Product, category_paths: &HashMap<i64, String>) -> Vec<Vec<String>> {
    let mut common = vec![
        text(product.sku.as_str()),
        product.kind.as_str().to_owned(),
        u8::from(product.enabled).to_string(),
        text(product.theme.as_deref().unwrap_or_default()),
        product
            .gender
            .map(|g| g.as_str())
            .unwrap_or_default()
            .to_owned(),
        product
            .age_group
            .map(|a| a.as_str())
            .unwrap_or_default()
            .to_owned(),
    ];
    for texts in [&product.names, &product.descriptions, &product.url_keys] {
        common.extend(Locale::ALL.map(|locale| text(&texts[locale])));
    }
    common.extend(Locale::ALL.map(|locale| text(&product.meta[locale].title)));
    common.extend(Locale::ALL.map(|locale| text(&product.meta[locale].description)));
    for site in SiteCode::ALL {
        let offer = product.site(site);
        let sale = offer.and_then(|o| o.sale);
        let day = |at: Option<chrono::DateTime<chrono::Utc>>| {
            at.map(|at| at.format("%Y-%m-%d").to_string())
                .unwrap_or_default()
        };
        common.extend([
            offer.map(|o| amount(o.price)).unwrap_or_default(),
            sale.map(|s| amount(s.price)).unwrap_or_default(),
            day(sale.and_then(|s| s.starts_at)),
            sale.and_then(|s| s.last_day())
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            offer
                .map(|o| o.visibility.as_str())
                .unwrap_or_default()
                .to_owned(),
        ]);
    }
    common.push(text(
        &product
            .categories
            .iter()
            .filter_map(|(id, _)| category_paths.get(&id.0).cloned())
            .collect::<Vec<_>>()
            .join("|"),
    ));
    common.push(text(&product.images.join("|")));
    product
        .variants
        .iter()
        .map(|variant| {
            let mut row = common.clone();
            row.extend([
                text(variant.sku.as_str()),
                text(variant.size.as_deref().unwrap_or_default()),
                text(variant.colour.as_deref().unwrap_or_default()),
                variant.stock.to_string(),
                variant.stock_policy.as_str().to_owned(),
                text(&comptoir_import::comptoir_products::choices_text(
                    &variant.choices,
                )),
            ]);
            row.extend(
                variant
                    .surcharge_cents
                    .map(comptoir_import::comptoir_products::surcharge_text),
            );
            row.extend([
                variant.sale_units.min.to_string(),
                variant
                    .sale_units
                    .max
                    .map(|max| max.to_string())
                    .unwrap_or_default(),
            ]);
            row.extend(
                comptoir_import::comptoir_products::fact_cells(&product.facts)
                    .iter()
                    .map(|cell| text(cell)),
            );
            row
        })
        .collect()
}

/// Rows as CSV text.
pub(super) fn csv_bytes(rows: impl IntoIterator<Item = Vec<String>>) -> Result<Bytes, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::with_capacity(64 * 1024));
    for row in rows {
        writer.write_record(&row)?;
    }
    writer
        .into_inner()
        .map(Bytes::from)
        .map_err(|error| csv::Error::from(error.into_error()))
}

/// A streamed CSV download named `filename`, fed by `produce` through a channel.
pub(super) fn csv_download(
    filename: &str,
    chunks: mpsc::Receiver<Result<Bytes, std::io::Error>>,
) -> Response {
    let stream = futures_util::stream::unfold(chunks, |mut chunks| async move {
        chunks.recv().await.map(|chunk| (chunk, chunks))
    });
    csv_attachment(filename, Body::from_stream(stream))
}

/// `body` as a CSV file named `filename` to save.
fn csv_attachment(filename: &str, body: Body) -> Response {
    comptoir_web::download::attachment(filename, "text/csv; charset=utf-8", body)
}

/// Everyone subscribed to the newsletter now, for the mailing tool: address,
/// site, language and when they consented. Admins only: it is a list of people.
async fn export_newsletter(
    State(state): State<AppState>,
    staff: Staff<HandlePrivacyRequests>,
) -> Result<Response, HttpError> {
    let subscribers = state.store.newsletter_subscribers().await?;
    let header = ["email", "site", "language", "subscribed_at"].map(str::to_owned);
    let rows = subscribers.iter().map(|subscriber| {
        vec![
            text(&subscriber.email),
            subscriber.site.as_str().to_owned(),
            subscriber.site.locale().as_str().to_owned(),
            subscriber.subscribed_at.to_rfc3339(),
        ]
    });
    let file =
        csv_bytes(std::iter::once(header.to_vec()).chain(rows)).map_err(HttpError::internal)?;
    tracing::info!(
        by = staff.member.email,
        subscribers = subscribers.len(),
        "newsletter subscribers exported"
    );
    Ok(csv_attachment("newsletter.csv", Body::from(file)))
}

/// Sends `chunk`; `false` when the download was abandoned.
pub(super) async fn send(
    chunks: &mpsc::Sender<Result<Bytes, std::io::Error>>,
    chunk: Result<Bytes, String>,
) -> bool {
    let chunk = chunk.map_err(std::io::Error::other);
    chunks.send(chunk).await.is_ok()
}

async fn export_products(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Response, HttpError> {
    let ids = state.store.product_ids().await?;
    let category_paths: HashMap<i64, String> = state
        .store
        .category_choices()
        .await?
        .into_iter()
        .map(|category| (category.id, category.path))
        .collect();
    tracing::info!(
        by = staff.member.email,
        products = ids.len(),
        "catalogue exported"
    );
    let (sender, chunks) = mpsc::channel(4);
    let store = state.store.clone();
    tokio::spawn(async move {
        let header =
            csv_bytes([comptoir_import::comptoir_products::columns()]).map_err(|e| e.to_string());
        if !send(&sender, header).await {
            return;
        }
        for chunk in ids.chunks(PRODUCT_CHUNK) {
            let rows = match store.load_products(chunk).await {
                Ok(products) => csv_bytes(
                    products
                        .iter()
                        .flat_map(|product| product_rows(product, &category_paths)),
                )
                .map_err(|e| e.to_string()),
                Err(error) => Err(error.to_string()),
            };
            let failed = rows.is_err();
            if let Err(error) = &rows {
                // Cut the download short: a partial file must not look complete.
                tracing::error!(%error, "catalogue export failed");
            }
            if !send(&sender, rows).await || failed {
                return;
            }
        }
    });
    Ok(csv_download("catalogue.csv", chunks))
}

const ORDER_COLUMNS: [&str; 31] = [
    "number",
    "placed_at",
    "site",
    "email",
    "ship_name",
    "ship_street",
    "ship_postcode",
    "ship_city",
    "ship_country",
    "shipping_method",
    "payment_method",
    "payment_status",
    "fulfilment_status",
    "items",
    "shipping",
    "vat",
    "total",
    "refunded",
    "line_sku",
    "line_name",
    "quantity",
    "unit_price",
    "line_total",
    // What carriers and invoices need, after the columns of the first exports.
    "phone",
    "ship_region",
    "invoice_name",
    "invoice_tax_id",
    "invoice_street",
    "invoice_postcode",
    "invoice_city",
    "invoice_country",
];

/// The orders matching `filter`, one row per order line.
async fn order_rows(
    store: &dyn Store,
    filter: &OrderFilter,
    offset: u32,
) -> Result<(Vec<Vec<String>>, usize), comptoir_store::StoreError> {
    let page = store.find_orders(filter, ORDER_CHUNK, offset).await?;
    let ids: Vec<i64> = page.rows.iter().map(|summary| summary.id).collect();
    let mut rows = Vec::new();
    for order in store.orders_by_ids(&ids).await? {
        let euros = |cents: i64| amount(Money::eur(cents));
        let common = [
            order.number.clone(),
            order.placed_at.to_rfc3339(),
            order.site.clone(),
            text(&order.email),
            text(&order.ship_to.name),
            text(&order.ship_to.street),
            text(&order.ship_to.postcode),
            text(&order.ship_to.city),
            order.ship_to.country.clone(),
            text(&order.shipping_method),
            order.payment_method.clone(),
            order.payment_status.clone(),
            order.fulfilment_status.clone(),
            euros(order.items_cents),
            euros(order.shipping_cents),
            euros(order.vat_cents),
            euros(order.total_cents),
            euros(order.refunded_cents),
        ];
        let invoice = order.invoice.as_ref();
        let billing = |field: fn(&comptoir_store::ShippingAddress) -> &String| {
            invoice.map_or(String::new(), |invoice| text(field(&invoice.billing)))
        };
        let contact = [
            text(&order.phone),
            order.ship_region.clone(),
            billing(|address| &address.name),
            invoice.map_or(String::new(), |invoice| text(&invoice.tax_id)),
            billing(|address| &address.street),
            billing(|address| &address.postcode),
            billing(|address| &address.city),
            billing(|address| &address.country),
        ];
        for line in &order.lines {
            let mut row = common.to_vec();
            row.extend([
                text(&line.sku),
                text(&line.name),
                line.quantity.to_string(),
                euros(line.unit_cents),
                euros(line.gross_cents),
            ]);
            row.extend(contact.iter().cloned());
            rows.push(row);
        }
    }
    Ok((rows, page.rows.len()))
}

async fn export_orders(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<ListQuery>,
) -> Result<Response, HttpError> {
    let (mut filter, _) = query.filter();
    // Orders placed while the export runs are left out: they would shift the pages
    // (newest first) and repeat rows.
    let started = chrono::Utc::now();
    filter.placed_until = Some(
        filter
            .placed_until
            .map_or(started, |until| until.min(started)),
    );
    tracing::info!(by = staff.member.email, "orders exported");
    let (sender, chunks) = mpsc::channel(4);
    let store = state.store.clone();
    tokio::spawn(async move {
        let header =
            csv_bytes([ORDER_COLUMNS.map(String::from).to_vec()]).map_err(|e| e.to_string());
        if !send(&sender, header).await {
            return;
        }
        let mut offset = 0;
        loop {
            let (chunk, read) = match order_rows(store.as_ref(), &filter, offset).await {
                Ok((rows, read)) => (csv_bytes(rows).map_err(|e| e.to_string()), read),
                Err(error) => (Err(error.to_string()), 0),
            };
            let failed = chunk.is_err();
            if let Err(error) = &chunk {
                tracing::error!(%error, "order export failed");
            }
            if !send(&sender, chunk).await || failed || read < ORDER_CHUNK as usize {
                return;
            }
            offset += ORDER_CHUNK;
        }
    });
    Ok(csv_download("orders.csv", chunks))
}
