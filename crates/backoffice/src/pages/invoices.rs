//! Invoices issued: the latest listed with their record's state, and what order
//! managers do to one: issue a full invoice in place of a simplified one on its
//! customer's request, annul one issued by mistake, or register one again when its
//! record's data was wrong. Each is a new VERI*FACTU record, audited.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use comptoir_domain::Money;
use comptoir_domain::destination::Country;
use comptoir_domain::invoicing::Party;
use comptoir_domain::tax_id::TaxId;
use comptoir_store::{FullInvoiceOutcome, InvoiceAction, InvoiceListRow};
use comptoir_web::csrf::CsrfForm;
use serde::Deserialize;

use super::{ButtonOnly, Layout, render};
use crate::staff_session::{ManageOrders, Staff};
use crate::{AppState, HttpError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/invoices", get(list))
        .route("/invoices/{number}/pdf", get(pdf))
        .route("/invoices/{number}/annul", post(annul))
        .route("/invoices/{number}/correct", post(correct))
        .route("/invoices/{number}/full", post(full))
}

/// The longest buyer's name or address a full invoice takes.
const MAX_PARTY_CHARS: usize = 200;

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

pub(super) async fn page(
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

/// An invoice's PDF, as its customer got it; any staff member may read it.
async fn pdf(
    State(state): State<AppState>,
    _staff: Staff,
    Path(number): Path<String>,
) -> Result<Response, HttpError> {
    let document = state
        .store
        .invoice_document(&number)
        .await?
        .ok_or(HttpError::NotFound)?;
    comptoir_web::download::invoice_pdf(document, state.verifactu.qr_host()).await
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
        Some("full") => layout.with_notice("Full invoice issued in place of the simplified one."),
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

/// A customer's request for a full invoice, as typed.
#[derive(Deserialize)]
struct FullInvoiceForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    tax_id: String,
    #[serde(default)]
    address: String,
}

impl FullInvoiceForm {
    /// The buyer it names, or what is wrong or missing, by field.
    fn buyer(&self) -> Result<Party, Vec<String>> {
        let mut errors = Vec::new();
        let (name, address) = (self.name.trim(), self.address.trim());
        if name.is_empty() || name.chars().count() > MAX_PARTY_CHARS {
            errors.push(format!(
                "Name: the customer's or company's name, at most {MAX_PARTY_CHARS} characters."
            ));
        }
        if address.is_empty() || address.chars().count() > MAX_PARTY_CHARS {
            errors.push(format!(
                "Address: street, postcode and city, at most {MAX_PARTY_CHARS} characters."
            ));
        }
        let tax_id = TaxId::parse(Country::Es, &self.tax_id);
        if let Err(why) = &tax_id {
            errors.push(format!(
                "NIF or NIE: '{}' is not one ({why}).",
                self.tax_id.trim()
            ));
        }
        match tax_id {
            Ok(tax_id) if errors.is_empty() => Ok(Party {
                name: name.to_owned(),
                tax_id: Some(tax_id.as_str().to_owned()),
                address: address.to_owned(),
            }),
            _ => Err(errors),
        }
    }
}

async fn full(
    State(state): State<AppState>,
    staff: Staff<ManageOrders>,
    Path(number): Path<String>,
    CsrfForm(form): CsrfForm<FullInvoiceForm>,
) -> Result<Response, HttpError> {
    let buyer = match form.buyer() {
        Ok(buyer) => buyer,
        Err(errors) => {
            let errors = errors
                .into_iter()
                .map(|error| format!("Full invoice for {number}: {error}"))
                .collect();
            return page(
                &state,
                staff.layout(),
                true,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let refused = |message: String| (message, StatusCode::CONFLICT);
    let (message, status) = match state
        .store
        .issue_full_invoice(&number, &buyer, &staff.actor())
        .await?
    {
        FullInvoiceOutcome::Issued(_) => {
            return Ok(Redirect::to("/invoices?done=full").into_response());
        }
        FullInvoiceOutcome::NotFound => return Err(HttpError::NotFound),
        FullInvoiceOutcome::NotSimplified => refused(format!(
            "Invoice {number} is a full invoice already: only a simplified one is replaced."
        )),
        FullInvoiceOutcome::Replaced(by) => {
            refused(format!("Invoice {number} was replaced already, by {by}."))
        }
        FullInvoiceOutcome::Annulled => refused(format!("Invoice {number} is annulled.")),
        FullInvoiceOutcome::Rectified => refused(format!(
            "Invoice {number} was refunded: its rectifying invoices stand, it cannot be replaced."
        )),
    };
    page(&state, staff.layout(), true, vec![message], status).await
}
