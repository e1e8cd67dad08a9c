//! The one error type of both applications' handlers, and how it reaches the
//! visitor: a status code here, the cause in the log and never on the page. The body
//! is left empty; each application paints its own error page over a bare error
//! status ([`needs_error_page`]): the storefront in the visitor's language, the back
//! office in English.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use comptoir_store::StoreError;

type Cause = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error("not found")]
    NotFound,
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    /// No session of someone logged in: to the login page at this URL.
    #[error("login required")]
    LoginRequired(String),
    /// What the request asks for is over (a checkout whose session ended): to the
    /// page at this URL instead.
    #[error("see {0}")]
    SeeOther(String),
    /// Who is logged in may not do this; nothing was done.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The request came too late for what it asks (no stock left, say).
    #[error("conflict: {0}")]
    Conflict(String),
    /// A service the request needs is down; the request may work later.
    #[error("unavailable: {0}")]
    Unavailable(Cause),
    #[error("internal: {0}")]
    Internal(Cause),
}

impl HttpError {
    pub fn internal(cause: impl Into<Cause>) -> HttpError {
        HttpError::Internal(cause.into())
    }

    pub fn unavailable(cause: impl Into<Cause>) -> HttpError {
        HttpError::Unavailable(cause.into())
    }

    pub fn forbidden(why: impl std::fmt::Display) -> HttpError {
        HttpError::Forbidden(why.to_string())
    }
}

impl From<StoreError> for HttpError {
    fn from(error: StoreError) -> HttpError {
        match error {
            StoreError::NotFound(_) => HttpError::NotFound,
            StoreError::OutOfStock { .. } => HttpError::Conflict(error.to_string()),
            // A restart of the database: "try again in a moment", not "broken".
            error if error.is_unreachable() => HttpError::unavailable(error),
            error => HttpError::internal(error),
        }
    }
}

impl From<askama::Error> for HttpError {
    fn from(error: askama::Error) -> HttpError {
        HttpError::internal(error)
    }
}

impl From<tower_sessions::session::Error> for HttpError {
    fn from(error: tower_sessions::session::Error) -> HttpError {
        HttpError::internal(error)
    }
}

impl From<comptoir_accounts::PasswordError> for HttpError {
    fn from(error: comptoir_accounts::PasswordError) -> HttpError {
        HttpError::internal(error)
    }
}

impl From<comptoir_sessions::StateError> for HttpError {
    fn from(error: comptoir_sessions::StateError) -> HttpError {
        HttpError::unavailable(error)
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let status = match &self {
            HttpError::LoginRequired(url) | HttpError::SeeOther(url) => {
                return Redirect::to(url).into_response();
            }
            HttpError::NotFound => StatusCode::NOT_FOUND,
            HttpError::BadRequest(reason) => {
                tracing::debug!(reason, "bad request");
                StatusCode::BAD_REQUEST
            }
            HttpError::Forbidden(why) => {
                tracing::warn!(why, "request refused");
                StatusCode::FORBIDDEN
            }
            HttpError::Conflict(why) => {
                tracing::info!(why, "request too late");
                StatusCode::CONFLICT
            }
            HttpError::Unavailable(error) => {
                tracing::error!(%error, "a service the request needs is unavailable");
                StatusCode::SERVICE_UNAVAILABLE
            }
            HttpError::Internal(error) => {
                tracing::error!(%error, "request failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        status.into_response()
    }
}

/// Whether `response` is an error status whose body is still to be painted: pages
/// (and JSON answers) handlers rendered themselves are kept.
pub fn needs_error_page(response: &Response) -> bool {
    let status = response.status();
    let rendered = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| {
            value.as_bytes().starts_with(b"text/html")
                || value.as_bytes().starts_with(b"application/json")
        });
    (status.is_client_error() || status.is_server_error()) && !rendered
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_errors_keep_their_meaning() {
        let status = |error| HttpError::from(error).into_response().status();
        assert_eq!(
            status(StoreError::NotFound("product 1".into())),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            status(StoreError::OutOfStock {
                sku: "A-1".into(),
                available: 0
            }),
            StatusCode::CONFLICT
        );
        assert_eq!(
            status(StoreError::Corrupt("x".into())),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }

    #[test]
    fn only_bare_error_statuses_are_painted() {
        assert!(needs_error_page(&StatusCode::NOT_FOUND.into_response()));
        assert!(!needs_error_page(&StatusCode::OK.into_response()));
        let page = (StatusCode::NOT_FOUND, axum::response::Html("<p>gone</p>")).into_response();
        assert!(!needs_error_page(&page));
    }
}
