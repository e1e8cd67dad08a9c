//! The back office's one error type and how it reaches the staff member: a status
//! code and an error page, the cause in the log and never on the page.

use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use comptoir_domain::staff::Permission;

#[derive(Debug, thiserror::Error)]
pub enum BackofficeError {
    #[error("not found")]
    NotFound,
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    /// No staff session: the login page, then back.
    #[error("login required")]
    LoginRequired,
    /// The staff member's role does not allow this; nothing was done.
    #[error("the role does not allow {0:?}")]
    NotAllowed(Permission),
    #[error("template rendering failed: {0}")]
    Render(#[from] askama::Error),
    #[error("store: {0}")]
    Store(#[from] comptoir_store::StoreError),
    #[error("session: {0}")]
    Session(#[from] tower_sessions::session::Error),
    #[error("password hashing: {0}")]
    Password(#[from] comptoir_accounts::PasswordError),
    #[error("internal: {0}")]
    Internal(&'static str),
}

impl IntoResponse for BackofficeError {
    fn into_response(self) -> Response {
        let status = match &self {
            BackofficeError::LoginRequired => return Redirect::to("/login").into_response(),
            BackofficeError::NotFound => StatusCode::NOT_FOUND,
            BackofficeError::BadRequest(reason) => {
                tracing::debug!(reason, "bad request");
                StatusCode::BAD_REQUEST
            }
            BackofficeError::NotAllowed(permission) => {
                tracing::warn!(?permission, "action refused to a role without the right");
                StatusCode::FORBIDDEN
            }
            error => {
                tracing::error!(%error, "back office request failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        // The body is left empty: `with_error_page` renders it.
        status.into_response()
    }
}

#[derive(Template)]
#[template(path = "backoffice/error.html")]
struct ErrorPage {
    status: u16,
    message: &'static str,
}

/// Replaces the bare body of an error status with the error page; pages handlers
/// rendered themselves (HTML) are kept.
pub(crate) fn with_error_page(response: Response) -> Response {
    let status = response.status();
    let rendered = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"text/html"));
    if !(status.is_client_error() || status.is_server_error()) || rendered {
        return response;
    }
    let message = match status {
        StatusCode::NOT_FOUND => "There is no such page.",
        StatusCode::FORBIDDEN => {
            "You are not allowed to do this, or the form had expired: nothing was changed."
        }
        StatusCode::BAD_REQUEST => "The request could not be understood: nothing was changed.",
        StatusCode::TOO_MANY_REQUESTS => "Too many attempts. Wait a few minutes and try again.",
        StatusCode::PAYLOAD_TOO_LARGE => {
            "That is larger than this form accepts: nothing was changed."
        }
        StatusCode::METHOD_NOT_ALLOWED => "This address does not take that kind of request.",
        status if status.is_server_error() => {
            "Something went wrong on our side. The error was logged; try again in a moment."
        }
        _ => "The request could not be served.",
    };
    let page = ErrorPage {
        status: status.as_u16(),
        message,
    };
    match page.render() {
        Ok(body) => (status, Html(body)).into_response(),
        Err(error) => {
            tracing::error!(%error, "error page rendering failed");
            status.into_response()
        }
    }
}
