//! Invoices issued: the latest listed with their record's state, and what order
//! managers do to one: annul it when it was issued by mistake, or register it
//! again when its record's data was wrong. Each is a new VERI*FACTU record, audited.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use comptoir_domain::Money;
use comptoir_store::{InvoiceAction, InvoiceListRow};
use comptoir_web::csrf::CsrfForm;
use serde::Deserialize;

use super::{ButtonOnly, Layout, render};
use crate::staff_session::{ManageOrders, Staff};
use crate::{AppState, HttpError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/invoices", get(list))
        .route("/invoices/{number}/annul", post(annul))
        .route("/invoices/{number}/correct", post(correct))
}

/// Invoices listed.
const LISTED: u32 = 200;

#[derive(Template)]
#[template(path = "backoffice/invoices.html")]
struct InvoicesPage<'a> {
    layout: Layout<'a>,
    invoices: Vec<InvoiceListRow>,
    errors: Vec<String>,
    may_act: bool,
}

impl InvoicesPage<'_> {
    fn euros(cents: &i64) -> String {
        Money::eur(*cents).decimal()
    }
}

#[derive(Deserialize)]
struct Done {
    done: Option<String>,
}

async fn page(
    state: &AppState,
    layout: Layout<'_>,
    may_act: bool,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, HttpError> {
    let page = InvoicesPage {
        layout,
        invoices: state.store.invoice_list(LISTED).await?,
        errors,
        may_act,
    };
    Ok((status, render(&page)?).into_response())
}

async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(done): Query<Done>,
) -> Result<Response, HttpError> {
    let mut layout = staff.layout();
    layout = match done.done.as_deref() {
        Some("annul") => layout.with_notice("Annulled: its annulment record joins the chain."),
        Some("correct") => layout.with_notice("Registered again with its corrected data."),
        _ => layout,
    };
    let may_act = staff
        .member
        .role
        .may(comptoir_domain::staff::Permission::ManageOrders);
    page(&state, layout, may_act, Vec::new(), StatusCode::OK).await
}

/// The answer to an action on invoice `number`.
async fn answer(
    state: &AppState,
    staff: &Staff<ManageOrders>,
    action: InvoiceAction,
    done: &str,
    number: &str,
) -> Result<Response, HttpError> {
    match action {
        InvoiceAction::Done => Ok(Redirect::to(&format!("/invoices?done={done}")).into_response()),
        InvoiceAction::NotFound => Err(HttpError::NotFound),
        InvoiceAction::Annulled => {
            let message = format!("Invoice {number} is annulled: it takes no further record.");
            page(
                state,
                staff.layout(),
                true,
                vec![message],
                StatusCode::CONFLICT,
            )
            .await
        }
    }
}

async fn annul(
    State(state): State<AppState>,
    staff: Staff<ManageOrders>,
    Path(number): Path<String>,
    CsrfForm(ButtonOnly {}): CsrfForm<ButtonOnly>,
) -> Result<Response, HttpError> {
    let action = state.store.annul_invoice(&number, &staff.actor()).await?;
    answer(&state, &staff, action, "annul", &number).await
}

async fn correct(
    State(state): State<AppState>,
    staff: Staff<ManageOrders>,
    Path(number): Path<String>,
    CsrfForm(ButtonOnly {}): CsrfForm<ButtonOnly>,
) -> Result<Response, HttpError> {
    let action = state
        .store
        .register_correction(&number, &staff.actor())
        .await?;
    answer(&state, &staff, action, "correct", &number).await
}
