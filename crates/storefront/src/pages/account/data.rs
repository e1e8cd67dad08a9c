//! A customer's own data, downloaded from the account as JSON (the right of access
//! and to portability, GDPR articles 15 and 20): the account, the address book and
//! every order with its lines. The password hash is a credential, not data about
//! the customer, and is left out.

use comptoir_domain::order::{InvoiceDetails, ShippingAddress};
use comptoir_store::{OrderRecord, SavedAddress};
use serde::Serialize;

use super::*;

#[derive(Serialize)]
struct DataExport<'a> {
    exported_at: String,
    account: AccountData<'a>,
    addresses: Vec<SavedAddressData<'a>>,
    orders: Vec<OrderData<'a>>,
}

#[derive(Serialize)]
struct AccountData<'a> {
    email: &'a str,
    name: &'a str,
    activated: bool,
    /// What the shop this one replaced knew of the account (empty when nothing).
    phone: &'a str,
    company: &'a str,
    tax_id: &'a str,
    birth_date: Option<String>,
    gender: Option<&'a str>,
    customer_group: &'a str,
    language: Option<&'a str>,
    /// When they subscribed to the newsletter, if they get it.
    newsletter_since: Option<String>,
}

/// An address book entry: the address, and what an old shop's book added to it.
#[derive(Serialize)]
struct SavedAddressData<'a> {
    #[serde(flatten)]
    address: AddressData<'a>,
    company: &'a str,
    region: &'a str,
    phone: &'a str,
}

#[derive(Serialize)]
struct AddressData<'a> {
    name: &'a str,
    street: &'a str,
    postcode: &'a str,
    city: &'a str,
    country: &'a str,
}

impl<'a> AddressData<'a> {
    fn of(address: &'a ShippingAddress) -> AddressData<'a> {
        AddressData {
            name: &address.name,
            street: &address.street,
            postcode: &address.postcode,
            city: &address.city,
            country: &address.country,
        }
    }
}

#[derive(Serialize)]
struct InvoiceData<'a> {
    tax_id: &'a str,
    billing: AddressData<'a>,
}

/// Amounts as decimal numbers in the order's currency, as the shopper paid them.
#[derive(Serialize)]
struct OrderData<'a> {
    number: &'a str,
    site: &'a str,
    placed_at: String,
    email: &'a str,
    phone: &'a str,
    ship_to: AddressData<'a>,
    invoice: Option<InvoiceData<'a>>,
    shipping_method: &'a str,
    payment_method: &'a str,
    payment_status: &'a str,
    fulfilment_status: &'a str,
    currency: &'static str,
    items: String,
    discount: String,
    shipping: String,
    vat: String,
    total: String,
    refunded: String,
    lines: Vec<LineData<'a>>,
}

#[derive(Serialize)]
struct LineData<'a> {
    sku: &'a str,
    name: &'a str,
    quantity: i64,
    unit_price: String,
    total: String,
}

/// `GET /account/data`: the signed-in customer's data as a JSON download.
pub(super) async fn download(
    shop: Shop,
    SignedIn(customer): SignedIn,
) -> Result<Response, HttpError> {
    let store = &shop.state.store;
    let addresses: Vec<SavedAddress> = store.addresses(customer.id).await?;
    let details = store.customer_details(customer.id).await?;
    let mut orders: Vec<OrderRecord> = Vec::new();
    for summary in store.customer_orders(customer.id, u32::MAX).await? {
        orders.extend(store.order(summary.id).await?);
    }
    let export = DataExport {
        exported_at: Utc::now().to_rfc3339(),
        account: AccountData {
            email: &customer.email,
            name: &customer.name,
            activated: customer.activated,
            phone: &details.phone,
            company: &details.company,
            tax_id: &details.tax_id,
            birth_date: details.birth_date.map(|day| day.to_string()),
            gender: details.gender,
            customer_group: &details.group,
            language: details.locale.map(|locale| locale.as_str()),
            newsletter_since: store
                .newsletter_subscription(&customer.email)
                .await?
                .map(|at| at.to_rfc3339()),
        },
        addresses: addresses
            .iter()
            .map(|saved| SavedAddressData {
                address: AddressData::of(&saved.address),
                company: &saved.details.company,
                region: &saved.details.region,
                phone: &saved.details.phone,
            })
            .collect(),
        orders: orders.iter().map(order_data).collect(),
    };
    let json = serde_json::to_vec_pretty(&export).map_err(HttpError::internal)?;
    tracing::info!(customer = customer.id, "customer data downloaded");
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/json; charset=utf-8",
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"my-data.json\"",
            ),
        ],
        json,
    )
        .into_response())
}

fn order_data(order: &OrderRecord) -> OrderData<'_> {
    let currency =
        SiteCode::parse(&order.site).map_or(comptoir_domain::Currency::Eur, SiteCode::currency);
    let amount = |cents: i64| Money::from_cents(cents, currency).decimal();
    OrderData {
        number: &order.number,
        site: &order.site,
        placed_at: order.placed_at.to_rfc3339(),
        email: &order.email,
        phone: &order.phone,
        ship_to: AddressData::of(&order.ship_to),
        invoice: order
            .invoice
            .as_ref()
            .map(|invoice: &InvoiceDetails| InvoiceData {
                tax_id: &invoice.tax_id,
                billing: AddressData::of(&invoice.billing),
            }),
        shipping_method: &order.shipping_method,
        payment_method: &order.payment_method,
        payment_status: &order.payment_status,
        fulfilment_status: &order.fulfilment_status,
        currency: currency.code(),
        items: amount(order.items_cents),
        discount: amount(order.discount_cents),
        shipping: amount(order.shipping_cents),
        vat: amount(order.vat_cents),
        total: amount(order.total_cents),
        refunded: amount(order.refunded_cents),
        lines: order
            .lines
            .iter()
            .map(|line| LineData {
                sku: &line.sku,
                name: &line.name,
                quantity: line.quantity,
                unit_price: amount(line.unit_cents),
                total: amount(line.gross_cents - line.discount_cents),
            })
            .collect(),
    }
}
