//! Card payments. The shopper is sent to the gateway's page with a signed form; the
//! gateway notifies the result with a signed message, which settles the order exactly
//! once however often it comes. The demo's test bank is a page of this shop playing
//! the gateway: it checks the shop's signed request, lets the shopper approve or
//! decline, and delivers its signed answer through the same notification path a
//! real gateway uses. No card number is ever typed into or stored by the shop.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use comptoir_domain::SiteCode;
use comptoir_payments::redsys::OrderReference;
use comptoir_payments::{GatewayKind, ReturnUrls};
use comptoir_store::{GatewayAnswer, OrderRecord, Settlement};
use serde::Deserialize;
use tower_sessions::Session;

use super::views::{self, Layout};
use crate::extract::{Shop, SignedIn};
use crate::mails::{self, OrderSummary};
use crate::{AppState, HttpError};
use comptoir_web::csrf::{CsrfForm, FormToken};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/pay/{number}", get(pay))
        .route("/payment/notify", post(notify))
        .route("/test-bank", post(test_bank))
        .route("/test-bank/answer", post(test_bank_answer))
}

#[derive(Template)]
#[template(path = "pay.html")]
struct PayPage<'a> {
    layout: Layout<'a>,
    action: String,
    signature_version: &'static str,
    merchant_parameters: String,
    signature: String,
    total: String,
}

#[derive(Template)]
#[template(path = "pay_unavailable.html")]
struct PayUnavailablePage<'a> {
    layout: Layout<'a>,
    reason: &'static str,
    order_url: String,
}

/// Sends the shopper of a card order still waiting for its payment to the gateway,
/// with the open attempt (a reload reuses it) or a new one.
async fn pay(
    shop: Shop,
    session: Session,
    customer: Option<SignedIn>,
    Path(number): Path<String>,
) -> Result<Response, HttpError> {
    let order =
        super::order::visible_order_numbered(&shop, &session, customer.as_ref(), &number).await?;
    let (state, site, s) = (&shop.state, shop.site, shop.s());
    let order_url = shop.url(&format!("order/{}", order.number));
    let gateway = &state.gateway;
    let attempt = state
        .store
        .open_payment_attempt(
            order.id,
            gateway.kind.as_str(),
            OrderReference::random().as_str(),
        )
        .await?;
    let Some(attempt) = attempt else {
        let reason = match (
            order.payment_status.as_str(),
            order.fulfilment_status.as_str(),
        ) {
            ("paid" | "refunded", _) => s.pay_already_paid,
            (_, "cancelled") => s.pay_cancelled,
            _ => s.pay_not_by_card,
        };
        let page = PayUnavailablePage {
            layout: Layout::new(&shop, s.go_to_payment.to_owned(), None),
            reason,
            order_url,
        };
        let html = views::render_page(&page)?;
        return Ok((StatusCode::CONFLICT, Html(html)).into_response());
    };
    let reference = OrderReference::parse(&attempt.reference)
        .map_err(|_| HttpError::internal("a stored payment reference is malformed"))?;
    let urls = ReturnUrls {
        notification: shop.url("payment/notify"),
        ok: order_url.clone(),
        ko: format!("{order_url}?payment=declined"),
    };
    let redirect = gateway.redirect(&reference, attempt.amount_cents, &urls);
    let page = PayPage {
        layout: Layout::new(&shop, s.go_to_payment.to_owned(), None),
        action: if gateway.kind == GatewayKind::TestBank {
            shop.url("test-bank")
        } else {
            redirect.action
        },
        signature_version: redirect.form.signature_version,
        merchant_parameters: redirect.form.merchant_parameters,
        signature: redirect.form.signature,
        total: comptoir_domain::Money::from_cents(attempt.amount_cents, site.currency())
            .format(site.locale()),
    };
    Ok(Html(views::render_page(&page)?).into_response())
}

/// The fields a gateway posts: Redsys's names.
#[derive(Deserialize)]
struct SignedFields {
    #[serde(rename = "Ds_SignatureVersion", default)]
    signature_version: String,
    #[serde(rename = "Ds_MerchantParameters", default)]
    merchant_parameters: String,
    #[serde(rename = "Ds_Signature", default)]
    signature: String,
}

/// ISO 4217 numeric code of the euro, as Redsys writes `Ds_Currency`.
const EURO_NUMERIC: &str = "978";

/// Why a notification was refused. Each is logged; nothing is changed.
#[derive(Debug, thiserror::Error)]
enum Refused {
    #[error("signature version '{0}'")]
    Version(String),
    #[error("{0}")]
    Gateway(#[from] comptoir_payments::redsys::RedsysError),
    #[error("reference '{0}' names no payment attempt")]
    UnknownAttempt(String),
    #[error("amount {notified:?} differs from the attempt's {expected}")]
    Amount {
        notified: Option<i64>,
        expected: i64,
    },
    #[error("currency {0:?} is not the attempt's (euro)")]
    Currency(Option<String>),
}

/// A notification as settled: what it did, and the order it was for.
struct Settled {
    settlement: Settlement,
    order: OrderRecord,
}

/// Verifies a gateway's notification against the attempt it names and applies it,
/// exactly once: an approval of the attempt's amount and currency pays the order
/// (queuing the confirmation mail) or, when the order can no longer take it, is kept
/// as money to refund; a decline fails that attempt only.
async fn receive_notification(
    state: &AppState,
    fields: &SignedFields,
) -> Result<Result<Settled, Refused>, HttpError> {
    if fields.signature_version != comptoir_payments::redsys::SIGNATURE_VERSION {
        return Ok(Err(Refused::Version(fields.signature_version.clone())));
    }
    let notification = match state
        .gateway
        .verify(&fields.merchant_parameters, &fields.signature)
    {
        Ok(notification) => notification,
        Err(error) => return Ok(Err(error.into())),
    };
    let Some(attempt) = state.store.payment_attempt(&notification.order).await? else {
        return Ok(Err(Refused::UnknownAttempt(notification.order)));
    };
    let answer = if notification.authorised() {
        if notification.amount_cents != Some(attempt.amount_cents) {
            return Ok(Err(Refused::Amount {
                notified: notification.amount_cents,
                expected: attempt.amount_cents,
            }));
        }
        if notification.currency.as_deref() != Some(EURO_NUMERIC) || attempt.currency != "EUR" {
            return Ok(Err(Refused::Currency(notification.currency)));
        }
        GatewayAnswer::Approved
    } else {
        GatewayAnswer::Declined
    };
    let order = state
        .store
        .order(attempt.order_id)
        .await?
        .ok_or(HttpError::internal("a payment attempt's order is gone"))?;
    let order_site = SiteCode::parse(&order.site).unwrap_or(SiteCode::Es);
    let mail = mails::order_confirmation(
        &OrderSummary::of_record(&order, order_site),
        &state.shop.bank_transfer_iban,
        &mails::OrderLinks::of(state, order_site, &order.number),
    );
    let settlement = state
        .store
        .settle_payment_attempt(attempt.id, answer, &mail)
        .await?;
    if settlement == Settlement::Paid {
        metrics::counter!("comptoir_orders_paid_total", "site" => order_site.as_str()).increment(1);
    }
    match settlement {
        Settlement::ToRefund => tracing::warn!(
            order = order.number,
            reference = attempt.reference,
            "card payment for an order that could not take it: to refund"
        ),
        _ => tracing::info!(
            order = order.number,
            ?answer,
            ?settlement,
            "payment notified"
        ),
    }
    Ok(Ok(Settled { settlement, order }))
}

/// The gateway's server-to-server notification (no session, no CSRF token: the
/// signature is the proof). Anything invalid is refused with 400 and logged.
async fn notify(
    State(state): State<AppState>,
    Form(fields): Form<SignedFields>,
) -> Result<Response, HttpError> {
    match receive_notification(&state, &fields).await? {
        Ok(_) => Ok((StatusCode::OK, "OK").into_response()),
        Err(refused) => {
            tracing::warn!(reason = %refused, "payment notification refused");
            Ok((StatusCode::BAD_REQUEST, "refused").into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "test_bank.html")]
struct TestBankPage<'a> {
    layout: Layout<'a>,
    csrf: String,
    amount: String,
    reference: String,
    merchant_parameters: String,
    signature: String,
}

/// The test bank's page: the shop's request, checked, and two buttons.
async fn test_bank(
    shop: Shop,
    csrf: FormToken,
    Form(fields): Form<SignedFields>,
) -> Result<Response, HttpError> {
    let (site, s) = (shop.site, shop.s());
    let request = shop
        .state
        .gateway
        .test_bank_request(&fields.merchant_parameters, &fields.signature)
        .ok_or(HttpError::NotFound)?
        .map_err(|_| HttpError::BadRequest("payment request with a bad signature"))?;
    let page = TestBankPage {
        layout: Layout::new(&shop, s.test_bank_title.to_owned(), None),
        csrf: csrf.0,
        amount: comptoir_domain::Money::from_cents(request.amount_cents, site.currency())
            .format(site.locale()),
        reference: request.order.as_str().to_owned(),
        merchant_parameters: fields.merchant_parameters,
        signature: fields.signature,
    };
    Ok(Html(views::render_page(&page)?).into_response())
}

#[derive(Deserialize)]
struct TestBankAnswer {
    #[serde(default)]
    merchant_parameters: String,
    #[serde(default)]
    signature: String,
    #[serde(default)]
    decision: String,
}

/// The shopper decided: the bank signs its answer, notifies the shop through the
/// notification path, and sends the shopper back to the order's page. That address
/// is the shop's own, made here from the order: never one taken from the request.
async fn test_bank_answer(
    State(state): State<AppState>,
    CsrfForm(answer): CsrfForm<TestBankAnswer>,
) -> Result<Response, HttpError> {
    let gateway = &state.gateway;
    let request = gateway
        .test_bank_request(&answer.merchant_parameters, &answer.signature)
        .ok_or(HttpError::NotFound)?
        .map_err(|_| HttpError::BadRequest("payment request with a bad signature"))?;
    let approve = answer.decision == "approve";
    let signed = gateway
        .test_bank_answer(&request.order, request.amount_cents, approve)
        .ok_or(HttpError::NotFound)?;
    let fields = SignedFields {
        signature_version: signed.signature_version.to_owned(),
        merchant_parameters: signed.merchant_parameters,
        signature: signed.signature,
    };
    let settled = match receive_notification(&state, &fields).await? {
        Ok(settled) => settled,
        Err(refused) => {
            tracing::warn!(reason = %refused, "test bank notification refused");
            return Err(HttpError::BadRequest("payment request for no attempt"));
        }
    };
    let site = SiteCode::parse(&settled.order.site).unwrap_or(SiteCode::Es);
    let mut back = state
        .sites
        .base(site)
        .join(&format!("order/{}", settled.order.number));
    if settled.settlement == Settlement::Declined {
        back.push_str("?payment=declined");
    }
    Ok(Redirect::to(&back).into_response())
}
