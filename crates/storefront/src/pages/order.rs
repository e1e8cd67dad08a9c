//! A placed order's page: the thanks after checkout, the detail in the account, and,
//! while a card order waits for its payment, a second chance: pay again, or switch to
//! bank transfer or cash on delivery. Only the shopper who placed it (this session, or
//! the logged-in customer) sees it; to anyone else it does not exist.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use comptoir_domain::{Money, SiteCode};
use comptoir_payments::PaymentMethod;
use comptoir_store::{OfflineMethod, OrderRecord};
use serde::Deserialize;
use tower_sessions::Session;

use super::views::{self, Layout, Picture, PricedLine};
use crate::extract::{ClientAddress, Shop, SignedIn};
use crate::mails::{self, OrderSummary};
use crate::shopper;
use crate::{AppState, HttpError};
use comptoir_web::csrf::{CsrfForm, FormToken};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/order/{number}", get(order_page))
        .route("/order/{number}/invoices/{invoice}", get(invoice_pdf))
        .route(
            "/order/{number}/payment-method",
            post(switch_payment_method),
        )
}

/// An order, if this session placed it or its customer is logged in.
async fn visible_order(
    shop: &Shop,
    session: &Session,
    customer: Option<&SignedIn>,
    id: i64,
) -> Result<Option<OrderRecord>, HttpError> {
    let Some(order) = shop.state.store.order(id).await? else {
        return Ok(None);
    };
    let customer = customer.map(|SignedIn(customer)| customer.id);
    let mine = (customer.is_some() && order.customer_id == customer)
        || shopper::placed_here(session, id).await?;
    Ok(mine.then_some(order))
}

/// The order a URL names by its number, if this session may see it; another
/// shopper's order does not exist, as far as this one can tell (404).
pub(super) async fn visible_order_numbered(
    shop: &Shop,
    session: &Session,
    customer: Option<&SignedIn>,
    number: &str,
) -> Result<OrderRecord, HttpError> {
    let id = match comptoir_domain::order::OrderNumber::parse(number) {
        Some(number) => shop.state.store.order_id_by_number(number.as_str()).await?,
        None => None,
    };
    let order = match id {
        Some(id) => visible_order(shop, session, customer, id).await?,
        None => None,
    };
    order.ok_or(HttpError::NotFound)
}

#[derive(Template)]
#[template(path = "order.html")]
struct OrderPage<'a> {
    layout: Layout<'a>,
    /// Just placed (the thanks) or looked up later (the account's order detail).
    thanks: bool,
    number: String,
    placed_at: String,
    payment_status: &'static str,
    fulfilment_status: &'static str,
    payment_label: &'static str,
    payment_note: Option<String>,
    /// The gateway sent the shopper back after a declined payment.
    declined: bool,
    /// The ways to pay a card order still waiting for its payment.
    second_chance: Option<SecondChance>,
    /// Why the shopper's last change was refused.
    refusal: Option<String>,
    lines: Vec<PricedLine>,
    totals: OrderTotalsView,
    ship_to: String,
    phone: String,
    /// Who the invoice is made out to, and the billing address.
    invoice: Option<(String, String)>,
    email: String,
    /// The order's invoices issued so far: what each is, its PDF's URL, and
    /// whether it was annulled as issued by mistake.
    invoices: Vec<(String, String, bool)>,
}

/// Pay again by card, or switch to another way to pay.
struct SecondChance {
    pay_url: String,
    switch_url: String,
    csrf: String,
}

/// The totals of a stored order.
struct OrderTotalsView {
    items: String,
    /// Each promotion the order got: its name (with its code), and what it took
    /// off or `None` for free shipping alone.
    discounts: Vec<(String, Option<String>)>,
    shipping: Option<String>,
    vat: String,
    total: String,
    outside_eu_vat: bool,
    exempt_supply: bool,
}

#[derive(Deserialize)]
struct OrderQuery {
    /// `declined` when the gateway sends the shopper back after a decline.
    payment: Option<String>,
}

async fn order_page(
    shop: Shop,
    session: Session,
    customer: Option<SignedIn>,
    csrf: FormToken,
    Path(number): Path<String>,
    Query(query): Query<OrderQuery>,
) -> Result<Response, HttpError> {
    let order = visible_order_numbered(&shop, &session, customer.as_ref(), &number).await?;
    let placed_here = shopper::placed_here(&session, order.id).await?;
    let second_chance = second_chance(&shop, &csrf, &order);
    let declined = second_chance.is_some() && query.payment.as_deref() == Some("declined");
    // The thanks (and "we sent you the confirmation") only for an order confirmed:
    // paid by card, or to be paid by transfer or on delivery.
    let confirmed = order.payment_method != PaymentMethod::Card.as_str()
        || matches!(order.payment_status.as_str(), "paid");
    let annulled = shop
        .state
        .store
        .annulled_invoices_of_order(order.id)
        .await?;
    let invoices = shop
        .state
        .store
        .invoices_of_order(order.id)
        .await?
        .iter()
        .map(|invoice| {
            let number = invoice.number.text();
            let url = shop.url(&format!("order/{}/invoices/{number}", order.number));
            let void = annulled.contains(&number);
            (comptoir_invoice_pdf::title(invoice), url, void)
        })
        .collect();
    let page = OrderPage {
        second_chance,
        invoices,
        ..order_page_of(&shop, &order, placed_here && confirmed, declined)
    };
    Ok(Html(views::render_page(&page)?).into_response())
}

/// An invoice of an order this session may see, as its PDF; any other invoice
/// does not exist, as far as this shopper can tell (404).
async fn invoice_pdf(
    shop: Shop,
    session: Session,
    customer: Option<SignedIn>,
    Path((number, invoice)): Path<(String, String)>,
) -> Result<Response, HttpError> {
    let order = visible_order_numbered(&shop, &session, customer.as_ref(), &number).await?;
    let document = shop
        .state
        .store
        .invoice_document(&invoice)
        .await?
        .filter(|document| document.order_id == order.id)
        .ok_or(HttpError::NotFound)?;
    let host = shop.state.shop.verifactu.qr_host();
    comptoir_web::download::invoice_pdf(document, host).await
}

/// Pay again or another way, for a card order still waiting for its payment.
fn second_chance(shop: &Shop, csrf: &FormToken, order: &OrderRecord) -> Option<SecondChance> {
    let waits_for_card = order.payment_method == PaymentMethod::Card.as_str()
        && order.payment_status == "pending"
        && order.fulfilment_status == "new";
    waits_for_card.then(|| SecondChance {
        pay_url: shop.url(&format!("pay/{}", order.number)),
        switch_url: shop.url(&format!("order/{}/payment-method", order.number)),
        csrf: csrf.0.clone(),
    })
}

/// An order's page: the confirmation after checkout, the detail in the account.
fn order_page_of<'a>(
    shop: &'a Shop,
    order: &OrderRecord,
    thanks: bool,
    declined: bool,
) -> OrderPage<'a> {
    let (state, site, locale, s) = (&shop.state, shop.site, shop.locale(), shop.s());
    let amount = |cents: i64| Money::from_cents(cents, site.currency()).format(locale);
    let payment_note = match (order.payment_method.as_str(), order.payment_status.as_str()) {
        _ if declined => None,
        (_, "failed") => Some(s.payment_failed.to_owned()),
        ("bank-transfer", "pending") => Some(
            s.transfer_instructions
                .replace("{amount}", &amount(order.total_cents))
                .replace("{iban}", &state.shop.bank_transfer_iban)
                .replace("{number}", &order.number),
        ),
        ("cash-on-delivery", _) => Some(s.cod_note.to_owned()),
        ("card", "pending") if order.fulfilment_status != "cancelled" => {
            Some(s.payment_waiting.to_owned())
        }
        ("card", "paid") => Some(s.payment_done.to_owned()),
        _ => None,
    };
    OrderPage {
        layout: Layout::new(shop, order.number.clone(), None),
        thanks,
        number: order.number.clone(),
        placed_at: views::order_clock(SiteCode::parse(&order.site).unwrap_or(site), &order.ship_to)
            .local(order.placed_at)
            .format("%d/%m/%Y %H:%M")
            .to_string(),
        payment_status: s.payment_status(&order.payment_status),
        fulfilment_status: s.fulfilment_status(&order.fulfilment_status),
        payment_label: s.payment_method(&order.payment_method),
        payment_note,
        declined,
        second_chance: None,
        refusal: None,
        lines: order
            .lines
            .iter()
            .map(|line| PricedLine {
                sku: line.sku.clone(),
                // The order's lines are not changed from here: their name says it all.
                options: String::new(),
                name: line.name.clone(),
                url: None,
                image: comptoir_domain::Sku::parse(&line.sku)
                    .ok()
                    .and_then(|sku| shop.snapshot.variant(&sku))
                    .and_then(|(product, _)| product.images.first())
                    .map(|path| Picture::thumbnail(&shop.snapshot, path).into_owned()),
                unit_price: amount(line.unit_cents),
                quantity: u32::try_from(line.quantity).unwrap_or(0),
                total: amount(line.gross_cents),
            })
            .collect(),
        totals: OrderTotalsView {
            items: amount(order.items_cents),
            discounts: order
                .promotions
                .iter()
                .map(|promotion| {
                    let label = mails::discount_label(&promotion.name, promotion.code.as_deref());
                    (
                        label,
                        (promotion.amount_cents > 0).then(|| amount(promotion.amount_cents)),
                    )
                })
                .collect(),
            shipping: (order.shipping_cents > 0).then(|| amount(order.shipping_cents)),
            vat: amount(order.vat_cents),
            total: amount(order.total_cents),
            outside_eu_vat: order.outside_eu_vat,
            exempt_supply: order
                .invoice
                .as_ref()
                .is_some_and(|invoice| invoice.vies_proof.is_some()),
        },
        ship_to: mails::address_text(&order.ship_to),
        phone: order.phone.clone(),
        invoice: order.invoice.as_ref().map(|invoice| {
            (
                format!("{} · {}", invoice.billing.name, invoice.tax_id),
                mails::address_text(&invoice.billing),
            )
        }),
        email: order.email.clone(),
        invoices: Vec::new(),
    }
}

#[derive(Deserialize)]
struct SwitchForm {
    #[serde(default)]
    method: String,
}

/// The shopper of a card order still waiting for its payment pays another way: the
/// order is confirmed for that way (its mail queued), its open card attempts void.
/// The limit on open unpaid orders per client applies as at checkout.
async fn switch_payment_method(
    shop: Shop,
    session: Session,
    customer: Option<SignedIn>,
    csrf: FormToken,
    client: ClientAddress,
    Path(number): Path<String>,
    CsrfForm(form): CsrfForm<SwitchForm>,
) -> Result<Response, HttpError> {
    let order = visible_order_numbered(&shop, &session, customer.as_ref(), &number).await?;
    let method = match PaymentMethod::parse(&form.method) {
        Some(PaymentMethod::BankTransfer) => OfflineMethod::BankTransfer,
        Some(PaymentMethod::CashOnDelivery) => OfflineMethod::CashOnDelivery,
        _ => return Err(HttpError::BadRequest("no such way to pay instead")),
    };
    if let Some(refusal) = super::checkout::unpaid_limit_reached(&shop, &client).await? {
        let page = OrderPage {
            second_chance: second_chance(&shop, &csrf, &order),
            refusal: Some(refusal),
            ..order_page_of(&shop, &order, false, false)
        };
        let html = views::render_page(&page)?;
        return Ok((StatusCode::CONFLICT, Html(html)).into_response());
    }
    let mut switched = order.clone();
    switched.payment_method = method.as_str().to_owned();
    let order_site = SiteCode::parse(&order.site).unwrap_or(shop.site);
    let mail = mails::order_confirmation(
        &OrderSummary::of_record(&switched, order_site),
        &shop.state.shop.bank_transfer_iban,
        &mails::OrderLinks::of(&shop.state, order_site, &order.number),
    );
    // Whether or not it still waited (a second click finds it switched), the order's
    // page tells where it stands.
    shop.state
        .store
        .switch_to_offline_payment(order.id, method, &mail)
        .await?;
    Ok(shop.redirect(&format!("order/{}", order.number)))
}
