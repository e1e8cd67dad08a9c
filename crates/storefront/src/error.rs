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
    #[error("store: {0}")]
    Store(#[from] comptoir_store::StoreError),
    #[error("shopper state: {0}")]
    State(#[from] comptoir_sessions::StateError),
    #[error("session: {0}")]
    Session(#[from] tower_sessions::session::Error),
    #[error("password hashing: {0}")]
    Password(#[from] comptoir_accounts::PasswordError),
    #[error("internal: {0}")]
    Internal(&'static str),
}

impl IntoResponse for StorefrontError {
    fn into_response(self) -> Response {
        let status = match &self {
            StorefrontError::NotFound => StatusCode::NOT_FOUND,
            StorefrontError::BadRequest(reason) => {
                tracing::debug!(reason, "bad request");
                StatusCode::BAD_REQUEST
            }
            StorefrontError::State(error) => {
                tracing::error!(%error, "shopper state unavailable");
                StatusCode::SERVICE_UNAVAILABLE
            }
            error => {
                tracing::error!(%error, "request failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        // The body is left empty: the site layer renders the page in the visitor's
        // language.
        status.into_response()
    }
}
