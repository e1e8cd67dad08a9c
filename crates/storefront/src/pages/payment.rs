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
use axum::{Extension, Form, Router};
use comptoir_domain::SiteCode;
use comptoir_payments::{PaymentMethod, ReturnUrls, attempt_of_reference};
use comptoir_store::Settlement;
use serde::Deserialize;
use tower_cookies::Cookies;
use tower_sessions::Session;

use super::views::{self, Layout};
use crate::i18n::ShopTexts;
use crate::mails::{self, OrderSummary};
use crate::{AppState, StorefrontError};
use comptoir_web::csrf::{self, CsrfForm};

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

/// Sends the shopper of a pending card order to the gateway, as a new payment
/// attempt with its own reference.
async fn pay(
    State(state): State<AppState>,
    Extension(site): Extension<SiteCode>,
    session: Session,
    Path(number): Path<String>,
) -> Result<Response, StorefrontError> {
    let order = super::checkout::visible_order_numbered(&state, &session, &number).await?;
    let base = state.sites.base(site);
    let order_url = base.join(&format!("order/{}", order.number));
    if order.payment_method != PaymentMethod::Card.as_str() || order.payment_status != "pending" {
        return Ok(Redirect::to(&order_url).into_response());
    }
    let gateway = &state.shop.card_gateway;
    let attempt = state
        .store
        .new_payment_attempt(order.id, gateway.kind.as_str())
        .await?;
    let urls = ReturnUrls {
        notification: base.join("payment/notify"),
        ok: order_url.clone(),
        ko: order_url,
    };
    let redirect = gateway.redirect(attempt, order.total_cents, &urls);
    let snapshot = state.snapshot.load();
    let s = ShopTexts::of(site.locale());
    let page = PayPage {
        layout: Layout::new(&state, &snapshot, site, s.go_to_payment.to_owned(), None),
        action: if gateway.kind == comptoir_payments::GatewayKind::TestBank {
            base.join("test-bank")
        } else {
            redirect.action
        },
        signature_version: redirect.form.signature_version,
        merchant_parameters: redirect.form.merchant_parameters,
        signature: redirect.form.signature,
        total: comptoir_domain::Money::from_cents(order.total_cents, site.currency())
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

/// Why a notification was refused. Each is logged; the order is left unchanged.
#[derive(Debug, thiserror::Error)]
enum Refused {
    #[error("signature version '{0}'")]
    Version(String),
    #[error("{0}")]
    Gateway(#[from] comptoir_payments::redsys::RedsysError),
    #[error("reference '{0}' names no payment attempt")]
    UnknownAttempt(String),
    #[error("amount {notified:?} differs from the order's {expected}")]
    Amount {
        notified: Option<i64>,
        expected: i64,
    },
}

/// Verifies a gateway's notification and settles the order it names: paid (queuing
/// the confirmation mail) or failed (cancelled, stock returned), exactly once.
async fn receive_notification(
    state: &AppState,
    site: SiteCode,
    fields: &SignedFields,
) -> Result<Result<Settlement, Refused>, StorefrontError> {
    if fields.signature_version != comptoir_payments::redsys::SIGNATURE_VERSION {
        return Ok(Err(Refused::Version(fields.signature_version.clone())));
    }
    let notification = match state
        .shop
        .card_gateway
        .verify(&fields.merchant_parameters, &fields.signature)
    {
        Ok(notification) => notification,
        Err(error) => return Ok(Err(error.into())),
    };
    let attempt = attempt_of_reference(&notification.order);
    let order_id = match attempt {
        Some(attempt) => state.store.order_of_payment_attempt(attempt).await?,
        None => None,
    };
    let Some(order) = (match order_id {
        Some(id) => state.store.order(id).await?,
        None => None,
    }) else {
        return Ok(Err(Refused::UnknownAttempt(notification.order)));
    };
    let authorised = notification.authorised();
    if authorised && notification.amount_cents != Some(order.total_cents) {
        return Ok(Err(Refused::Amount {
            notified: notification.amount_cents,
            expected: order.total_cents,
        }));
    }
    let order_site = SiteCode::parse(&order.site).unwrap_or(site);
    let mail = mails::order_confirmation(
        &OrderSummary::of_record(&order, order_site),
        &state.shop.bank_transfer_iban,
    );
    let settlement = state
        .store
        .settle_payment(order.id, authorised, authorised.then_some(&mail))
        .await?;
    tracing::info!(
        order = order.number,
        authorised,
        ?settlement,
        "payment notified"
    );
    Ok(Ok(settlement))
}

/// The gateway's server-to-server notification (no session, no CSRF token: the
/// signature is the proof). Anything invalid is refused with 400 and logged.
async fn notify(
    State(state): State<AppState>,
    Extension(site): Extension<SiteCode>,
    Form(fields): Form<SignedFields>,
) -> Result<Response, StorefrontError> {
    match receive_notification(&state, site, &fields).await? {
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
    State(state): State<AppState>,
    Extension(site): Extension<SiteCode>,
    cookies: Cookies,
    Form(fields): Form<SignedFields>,
) -> Result<Response, StorefrontError> {
    let request = state
        .shop
        .card_gateway
        .test_bank_request(&fields.merchant_parameters, &fields.signature)
        .ok_or(StorefrontError::NotFound)?
        .map_err(|_| StorefrontError::BadRequest("payment request with a bad signature"))?;
    let snapshot = state.snapshot.load();
    let s = ShopTexts::of(site.locale());
    let page = TestBankPage {
        layout: Layout::new(&state, &snapshot, site, s.test_bank_title.to_owned(), None),
        csrf: csrf::token(&cookies, state.carts.secure()),
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
/// notification path, and sends the shopper back to the shop.
async fn test_bank_answer(
    State(state): State<AppState>,
    Extension(site): Extension<SiteCode>,
    CsrfForm(answer): CsrfForm<TestBankAnswer>,
) -> Result<Response, StorefrontError> {
    let gateway = &state.shop.card_gateway;
    let request = gateway
        .test_bank_request(&answer.merchant_parameters, &answer.signature)
        .ok_or(StorefrontError::NotFound)?
        .map_err(|_| StorefrontError::BadRequest("payment request with a bad signature"))?;
    let approve = answer.decision == "approve";
    let signed = gateway
        .test_bank_answer(&request.order, request.amount_cents, approve)
        .ok_or(StorefrontError::NotFound)?;
    let fields = SignedFields {
        signature_version: signed.signature_version.to_owned(),
        merchant_parameters: signed.merchant_parameters,
        signature: signed.signature,
    };
    if let Err(refused) = receive_notification(&state, site, &fields).await? {
        tracing::warn!(reason = %refused, "test bank notification refused");
    }
    // The return URLs were signed by the shop and checked above: they are its own.
    let back = if approve {
        request.ok_url
    } else {
        request.ko_url
    };
    Ok(Redirect::to(&back).into_response())
}
