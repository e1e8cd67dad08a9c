//! The back office's error page, painted over a bare error status (see
//! [`comptoir_web::error`]): what went wrong in a sentence, the cause in the log.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

#[derive(Template)]
#[template(path = "backoffice/error.html")]
struct ErrorPage {
    status: u16,
    message: &'static str,
}

/// Replaces the bare body of an error status with the error page; pages handlers
/// rendered themselves (HTML) are kept.
pub(crate) fn with_error_page(response: Response) -> Response {
    if !comptoir_web::error::needs_error_page(&response) {
        return response;
    }
    let status = response.status();
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
