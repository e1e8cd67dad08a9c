//! The storefront's one error type and how it reaches the visitor: a status code here,
//! a translated page from [`crate::layers`], the cause in the log and never on the
//! page.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum StorefrontError {
    #[error("not found")]
    NotFound,
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    #[error("template rendering failed: {0}")]
    Render(#[from] askama::Error),
}

impl IntoResponse for StorefrontError {
    fn into_response(self) -> Response {
        let status = match &self {
            StorefrontError::NotFound => StatusCode::NOT_FOUND,
            StorefrontError::BadRequest(reason) => {
                tracing::debug!(reason, "bad request");
                StatusCode::BAD_REQUEST
            }
            StorefrontError::Render(error) => {
                tracing::error!(%error, "page could not be rendered");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        // The body is left empty: the site layer renders the page in the visitor's
        // language.
        status.into_response()
    }
}
