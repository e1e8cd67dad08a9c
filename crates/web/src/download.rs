//! Files to save rather than pages to show: exports and invoices.

use axum::body::Body;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use comptoir_domain::invoicing::verifactu::AeatHost;
use comptoir_store::InvoiceDocument;

use crate::error::HttpError;

/// `body` as a file named `file_name` to save.
pub fn attachment(file_name: &str, content_type: &str, body: impl Into<Body>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        body.into(),
    )
        .into_response()
}

/// An invoice's PDF to save, its QR code pointing at `host`; laid out on a thread
/// where blocking is allowed, as laying out pages is CPU work.
pub async fn invoice_pdf(document: InvoiceDocument, host: AeatHost) -> Result<Response, HttpError> {
    let file_name = comptoir_invoice_pdf::file_name(&document.invoice);
    let pdf = tokio::task::spawn_blocking(move || {
        comptoir_invoice_pdf::render(&document.invoice, &document.order_number, host)
    })
    .await
    .map_err(HttpError::internal)?
    .map_err(HttpError::internal)?;
    Ok(attachment(&file_name, "application/pdf", pdf))
}
