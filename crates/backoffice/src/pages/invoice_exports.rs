//! The accountant's exports of a period's invoices, as CSV: the VAT summary (per
//! kind of sale, country and rate: the figures of Spain's VAT return and of the
//! one-stop shop's, corrections of earlier quarters apart) and the register of
//! invoices issued, streamed.

use axum::Router;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use comptoir_domain::invoicing::Treatment;
use comptoir_domain::invoicing::period::Period;
use comptoir_domain::invoicing::recapitulative::statement;
use comptoir_domain::invoicing::vat_summary::{Section, summary};
use comptoir_domain::vat::VatRate;
use comptoir_domain::{Money, destination::Country};
use serde::Deserialize;
use tokio::sync::mpsc;

use super::exports::{amount, csv_bytes, csv_download, send, text};
use super::invoices;
use crate::staff_session::{ManageOrders, Staff};
use crate::{AppState, HttpError};

/// Invoices read from the store at a time for the register.
const REGISTER_CHUNK: u32 = 500;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/invoices/vat-summary.csv", get(vat_summary))
        .route("/invoices/register.csv", get(register))
        .route("/invoices/modelo-349.csv", get(recapitulative))
}

#[derive(Deserialize)]
struct PeriodQuery {
    #[serde(default)]
    period: String,
}

/// An export asked for: by an order manager, for a period. A wrong period is named
/// on the invoices page (400).
struct ExportRequest {
    staff: Staff<ManageOrders>,
    period: Period,
}

impl FromRequestParts<AppState> for ExportRequest {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let staff = Staff::<ManageOrders>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let Query(query) = Query::<PeriodQuery>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        if let Some(period) = Period::parse(&query.period) {
            return Ok(ExportRequest { staff, period });
        }
        let error = format!(
            "'{}' is not a period: give a year (2027), a quarter (2027-Q1) or a month (2027-03).",
            query.period.trim()
        );
        let page = invoices::page(
            state,
            staff.layout(),
            true,
            vec![error],
            StatusCode::BAD_REQUEST,
        );
        Err(page.await.into_response())
    }
}

const SUMMARY_COLUMNS: [&str; 7] = [
    "section",
    "regime",
    "country",
    "vat_rate",
    "taxable_base",
    "vat",
    "invoices",
];

const STATEMENT_COLUMNS: [&str; 5] = ["section", "vat_number", "name", "key", "taxable_base"];

const REGISTER_COLUMNS: [&str; 14] = [
    "number",
    "issued_on",
    "type",
    "refers_to",
    "order",
    "buyer_name",
    "buyer_tax_id",
    "regime",
    "country",
    "vat_rate",
    "taxable_base",
    "vat",
    "total",
    "annulled",
];

/// How a sale is taxed, and where, as the two columns say it.
fn regime(treatment: Treatment) -> (&'static str, Country) {
    match treatment {
        Treatment::Domestic => ("domestic", Country::Es),
        Treatment::DistanceSale(country) => ("oss_distance_sale", country),
        Treatment::IntraCommunitySupply(country) => ("intra_community_supply", country),
        Treatment::Export => ("export", Country::Es),
    }
}

/// `21.00`, or `exempt` where no VAT applies.
fn rate(rate: Option<VatRate>) -> String {
    match rate {
        Some(rate) => format!(
            "{}.{:02}",
            rate.basis_points() / 100,
            rate.basis_points() % 100
        ),
        None => "exempt".to_owned(),
    }
}

async fn vat_summary(
    State(state): State<AppState>,
    ExportRequest { staff, period }: ExportRequest,
) -> Result<Response, HttpError> {
    let figures = state.store.vat_figures(period).await?;
    tracing::info!(by = staff.member.email, period = %period.text(), "VAT summary exported");
    let rows = summary(period, &figures).into_iter().map(|row| {
        let (regime, country) = regime(row.treatment);
        vec![
            section(row.section),
            regime.to_owned(),
            country.code().to_owned(),
            rate(row.rate),
            amount(row.base),
            amount(row.vat),
            row.invoices.to_string(),
        ]
    });
    let header = std::iter::once(SUMMARY_COLUMNS.map(String::from).to_vec());
    let bytes = csv_bytes(header.chain(rows)).map_err(HttpError::internal)?;
    Ok(comptoir_web::download::attachment(
        &format!("vat-summary_{}.csv", period.text()),
        "text/csv; charset=utf-8",
        bytes,
    ))
}

/// The modelo 349's lines: per buyer, its intra-community supplies of the period.
async fn recapitulative(
    State(state): State<AppState>,
    ExportRequest { staff, period }: ExportRequest,
) -> Result<Response, HttpError> {
    let figures = state.store.intra_community_supplies(period).await?;
    tracing::info!(by = staff.member.email, period = %period.text(), "modelo 349 exported");
    let rows = statement(period, &figures).into_iter().map(|row| {
        vec![
            section(row.section),
            text(&row.vat_number),
            text(&row.name),
            row.key.to_string(),
            amount(row.base),
        ]
    });
    let header = std::iter::once(STATEMENT_COLUMNS.map(String::from).to_vec());
    let bytes = csv_bytes(header.chain(rows)).map_err(HttpError::internal)?;
    Ok(comptoir_web::download::attachment(
        &format!("modelo-349_{}.csv", period.text()),
        "text/csv; charset=utf-8",
        bytes,
    ))
}

/// `period`, or the quarter a section corrects.
fn section(section: Section) -> String {
    match section {
        Section::Period => "period".to_owned(),
        Section::CorrectionOf(quarter) => format!("correction of {}", quarter.text()),
    }
}

async fn register(
    State(state): State<AppState>,
    ExportRequest { staff, period }: ExportRequest,
) -> Result<Response, HttpError> {
    tracing::info!(by = staff.member.email, period = %period.text(), "invoice register exported");
    let (sender, chunks) = mpsc::channel(4);
    let store = state.store.clone();
    tokio::spawn(async move {
        let header =
            csv_bytes([REGISTER_COLUMNS.map(String::from).to_vec()]).map_err(|e| e.to_string());
        if !send(&sender, header).await {
            return;
        }
        let mut after_id = 0;
        loop {
            let lines = store
                .invoice_register(period, after_id, REGISTER_CHUNK)
                .await;
            let (chunk, last) = match lines {
                Ok(lines) => {
                    let last = lines.last().map(|line| line.invoice_id);
                    let rows = lines.into_iter().map(|line| {
                        let (regime, country) = regime(line.treatment);
                        vec![
                            line.number,
                            line.issued_on,
                            line.invoice_type,
                            line.refers_to.unwrap_or_default(),
                            line.order_number,
                            text(line.buyer_name.as_deref().unwrap_or_default()),
                            text(line.buyer_tax_id.as_deref().unwrap_or_default()),
                            regime.to_owned(),
                            country.code().to_owned(),
                            rate(line.rate),
                            amount(line.base),
                            amount(line.vat),
                            amount(Money::eur(line.base.cents() + line.vat.cents())),
                            if line.annulled { "yes" } else { "no" }.to_owned(),
                        ]
                    });
                    (csv_bytes(rows).map_err(|e| e.to_string()), last)
                }
                Err(error) => (Err(error.to_string()), None),
            };
            if let Err(error) = &chunk {
                tracing::error!(%error, "invoice register export failed");
            }
            let failed = chunk.is_err();
            if !send(&sender, chunk).await || failed {
                return;
            }
            match last {
                Some(id) => after_id = id,
                None => return,
            }
        }
    });
    Ok(csv_download(
        &format!("invoice-register_{}.csv", period.text()),
        chunks,
    ))
}
