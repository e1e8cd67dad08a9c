//! Protection of every state-changing form against cross-site request forgery.
//!
//! Each visitor gets a random token in a cookie (HttpOnly, SameSite=Lax, Secure over
//! https) and every form carries the same token in a hidden field; a post is accepted
//! only when the two match, compared in constant time ("double submit"). A page on
//! another site can neither read nor set the cookie, so it cannot forge a matching
//! form. A post whose `Origin` names another host is refused as well. The check
//! needs no server-side storage, so pages with forms stay as cheap as the others.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use subtle::ConstantTimeEq;
use tower_cookies::Cookies;

use crate::{private_cookie, random_token};

const COOKIE: &str = "csrf";
/// The hidden field of every form.
pub const FIELD: &str = "csrf";
/// Largest form accepted.
const MAX_FORM_BYTES: usize = 64 * 1024;
/// The token outlives sessions: a form left open for hours still posts.
const TOKEN_LIFETIME: std::time::Duration = std::time::Duration::from_secs(30 * 24 * 3600);

/// The visitor's token for the forms of a page, given to them in a cookie if they
/// had none.
pub fn token(cookies: &Cookies, secure: bool) -> String {
    if let Some(existing) = cookies.get(COOKIE).map(|c| c.value().to_owned())
        && existing.len() == 64
    {
        return existing;
    }
    let token = random_token();
    cookies.add(private_cookie(
        COOKIE,
        token.clone(),
        secure,
        TOKEN_LIFETIME,
    ));
    token
}

/// Why a post was refused before its handler ran: nothing was changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsrfRejection {
    /// No token, a token that does not match, or a post from another site.
    Forbidden(&'static str),
    /// A body that is not a form of the expected shape.
    BadRequest(&'static str),
    /// The application was built without the cookie layer.
    NoCookieLayer,
}

impl IntoResponse for CsrfRejection {
    /// A bare status: each application's layer renders its own error page for it.
    fn into_response(self) -> Response {
        match self {
            CsrfRejection::Forbidden(reason) => {
                tracing::warn!(reason, "form refused");
                StatusCode::FORBIDDEN
            }
            CsrfRejection::BadRequest(reason) => {
                tracing::debug!(reason, "bad request");
                StatusCode::BAD_REQUEST
            }
            CsrfRejection::NoCookieLayer => {
                tracing::error!("the cookie layer is missing");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
        .into_response()
    }
}

/// A posted form whose CSRF token was checked; anything else is refused with 403
/// before the handler runs, so nothing is changed.
pub struct CsrfForm<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for CsrfForm<T> {
    type Rejection = CsrfRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = request.into_parts();
        check_origin(&parts.headers)?;
        let expected = expected_token(&cookies_of(&parts)?)?;
        let request = Request::from_parts(parts, body);
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|_| CsrfRejection::BadRequest("unreadable form"))?;
        if bytes.len() > MAX_FORM_BYTES {
            return Err(CsrfRejection::BadRequest("form too large"));
        }
        let sent = form_urlencoded::parse(&bytes)
            .find(|(name, _)| name == FIELD)
            .map(|(_, value)| value.into_owned())
            .ok_or(CsrfRejection::Forbidden("no CSRF field"))?;
        same_token(&sent, &expected)?;
        serde_urlencoded::from_bytes(&bytes)
            .map(CsrfForm)
            .map_err(|_| CsrfRejection::BadRequest("malformed form"))
    }
}

/// Checks a token sent some other way than an urlencoded form (a multipart upload's
/// first field) against the cookie, and the post's origin.
pub fn verify(headers: &HeaderMap, cookies: &Cookies, sent: &str) -> Result<(), CsrfRejection> {
    check_origin(headers)?;
    same_token(sent, &expected_token(cookies)?)
}

/// The token the visitor's cookie holds.
fn expected_token(cookies: &Cookies) -> Result<String, CsrfRejection> {
    cookies
        .get(COOKIE)
        .map(|c| c.value().to_owned())
        .ok_or(CsrfRejection::Forbidden("no CSRF cookie"))
}

/// Compares in constant time: timing tells nothing about the expected token.
fn same_token(sent: &str, expected: &str) -> Result<(), CsrfRejection> {
    if bool::from(sent.as_bytes().ct_eq(expected.as_bytes())) {
        Ok(())
    } else {
        Err(CsrfRejection::Forbidden("CSRF token mismatch"))
    }
}

/// Browsers name the page a post comes from; a post from another host is forged.
fn check_origin(headers: &HeaderMap) -> Result<(), CsrfRejection> {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(());
    };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let origin_host = origin
        .to_str()
        .ok()
        .and_then(|o| o.split_once("://"))
        .map(|(_, rest)| rest);
    match origin_host {
        Some(origin_host) if origin_host.eq_ignore_ascii_case(host) => Ok(()),
        _ => Err(CsrfRejection::Forbidden("cross-origin post")),
    }
}

/// The request's cookies, which the cookie layer put in its extensions.
pub fn cookies_of(parts: &Parts) -> Result<Cookies, CsrfRejection> {
    parts
        .extensions
        .get::<Cookies>()
        .cloned()
        .ok_or(CsrfRejection::NoCookieLayer)
}
