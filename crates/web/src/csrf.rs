//! Protection of every state-changing form against cross-site request forgery.
//!
//! Two kinds of forms, two checks, both made before the handler runs (a refused post
//! changes nothing and answers 403):
//!
//! - Forms on private pages (cart, checkout, account, back office) carry a token bound
//!   to the visitor's session: an HMAC, under the installation's key, of the session
//!   id. Logging in or out gives the session a new id, so every token is rotated
//!   then; another site can neither read the token nor compute it. [`CsrfForm`]
//!   checks it, and that the post comes from this site.
//! - Forms on pages anyone may be served from a cache (add to cart from a product
//!   page, search) carry no per-visitor token and set no cookie. [`SameSiteForm`]
//!   accepts their posts only when the browser says they come from this site
//!   (`Origin`, or `Sec-Fetch-Site: same-origin`); shopper cookies are
//!   `SameSite=Lax`, so another site's post carries none of them anyway.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRef, FromRequest, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, KeyInit, Mac};
use serde::de::DeserializeOwned;
use sha2::Sha256;
use subtle::ConstantTimeEq;
use tower_sessions::Session;

/// The hidden field of every form with a token.
pub const FIELD: &str = "csrf";
/// Largest form accepted.
const MAX_FORM_BYTES: usize = 64 * 1024;
/// What a session holds so that it is kept (an empty session is never stored, and
/// a token needs a stored session's id).
const FORMS_KEY: &str = "forms";

/// The installation's key for form tokens: generated once, kept in the database,
/// the same in every replica (a form rendered by one is posted to another).
#[derive(Clone)]
pub struct CsrfKey(Arc<[u8; 32]>);

impl std::fmt::Debug for CsrfKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CsrfKey(***)")
    }
}

impl CsrfKey {
    /// The key from its stored form (64 hex digits).
    pub fn parse(hex_key: &str) -> Option<CsrfKey> {
        let bytes: [u8; 32] = hex::decode(hex_key.trim()).ok()?.try_into().ok()?;
        Some(CsrfKey(Arc::new(bytes)))
    }

    /// A new key in its stored form.
    fn generate() -> String {
        crate::random_token()
    }

    /// This installation's key: made by the first process to start (storefront or
    /// back office) and kept in the database, where every other one reads it.
    pub async fn of_installation(
        store: &dyn comptoir_store::EphemeralStore,
    ) -> Result<CsrfKey, comptoir_store::StoreError> {
        const NAME: &str = "csrf-key";
        let kept = store
            .installation_secret(NAME, &CsrfKey::generate())
            .await?;
        CsrfKey::parse(&kept).ok_or_else(|| {
            comptoir_store::StoreError::Corrupt(format!("the stored secret '{NAME}' is not a key"))
        })
    }

    /// The token of the session `session_id`.
    fn token_of(&self, session_id: &str) -> String {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(self.0.as_slice()).expect("HMAC takes any key length");
        mac.update(session_id.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

/// Makes sure the visitor has a stored session, so that its forms can carry a token:
/// for pages that a visitor without a session may open (login, cart).
pub async fn ensure_session(session: &Session) -> Result<(), tower_sessions::session::Error> {
    session.insert(FORMS_KEY, true).await?;
    if session.id().is_none() {
        session.save().await?;
    }
    Ok(())
}

/// The token of the forms of a private page, or `None` when the visitor has no
/// stored session yet (call [`ensure_session`] first on pages such visitors open).
pub fn token(session: &Session, key: &CsrfKey) -> Option<String> {
    session.id().map(|id| key.token_of(&id.to_string()))
}

/// The token of the forms of the page being rendered, the visitor's session stored
/// first if it was new: what a handler that renders a private page's forms takes.
pub struct FormToken(pub String);

impl<S> axum::extract::FromRequestParts<S> for FormToken
where
    S: Send + Sync,
    CsrfKey: FromRef<S>,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let session = parts
            .extensions
            .get::<Session>()
            .cloned()
            .ok_or_else(|| CsrfRejection::NoSessionLayer.into_response())?;
        ensure_session(&session).await.map_err(|error| {
            tracing::error!(%error, "a session for a form cannot be stored");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        })?;
        let key = CsrfKey::from_ref(state);
        token(&session, &key)
            .map(FormToken)
            .ok_or_else(|| CsrfRejection::NoSessionLayer.into_response())
    }
}

/// Why a post was refused before its handler ran: nothing was changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsrfRejection {
    /// No token, a token that does not match, or a post from another site.
    Forbidden(&'static str),
    /// A body that is not a form of the expected shape.
    BadRequest(&'static str),
    /// The application was built without the session layer.
    NoSessionLayer,
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
            CsrfRejection::NoSessionLayer => {
                tracing::error!("the session layer is missing");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
        .into_response()
    }
}

/// A posted form from a private page whose token matches the visitor's session;
/// anything else is refused with 403 before the handler runs.
pub struct CsrfForm<T>(pub T);

impl<S, T> FromRequest<S> for CsrfForm<T>
where
    S: Send + Sync,
    CsrfKey: FromRef<S>,
    T: DeserializeOwned,
{
    type Rejection = CsrfRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = request.into_parts();
        check_origin(&parts.headers, false)?;
        let expected = expected_token(&parts, &CsrfKey::from_ref(state))?;
        let bytes = form_bytes(Request::from_parts(parts, body), state).await?;
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

/// A posted form from a page that carries no per-visitor token (it may be cached
/// for everyone): accepted only when the browser says it comes from this site.
pub struct SameSiteForm<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for SameSiteForm<T> {
    type Rejection = CsrfRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        check_origin(request.headers(), true)?;
        let bytes = form_bytes(request, state).await?;
        serde_urlencoded::from_bytes(&bytes)
            .map(SameSiteForm)
            .map_err(|_| CsrfRejection::BadRequest("malformed form"))
    }
}

/// Checks a token sent some other way than an urlencoded form (a multipart upload's
/// first field) against the visitor's session's, and the post's origin.
pub fn verify(headers: &HeaderMap, expected: &FormToken, sent: &str) -> Result<(), CsrfRejection> {
    check_origin(headers, false)?;
    same_token(sent, &expected.0)
}

async fn form_bytes<S: Send + Sync>(request: Request, state: &S) -> Result<Bytes, CsrfRejection> {
    let bytes = Bytes::from_request(request, state)
        .await
        .map_err(|_| CsrfRejection::BadRequest("unreadable form"))?;
    if bytes.len() > MAX_FORM_BYTES {
        return Err(CsrfRejection::BadRequest("form too large"));
    }
    Ok(bytes)
}

/// The token the visitor's session gives.
fn expected_token(parts: &Parts, key: &CsrfKey) -> Result<String, CsrfRejection> {
    let session = parts
        .extensions
        .get::<Session>()
        .ok_or(CsrfRejection::NoSessionLayer)?;
    token(session, key).ok_or(CsrfRejection::Forbidden("no session"))
}

/// Compares in constant time: timing tells nothing about the expected token.
fn same_token(sent: &str, expected: &str) -> Result<(), CsrfRejection> {
    if bool::from(sent.as_bytes().ct_eq(expected.as_bytes())) {
        Ok(())
    } else {
        Err(CsrfRejection::Forbidden("CSRF token mismatch"))
    }
}

/// Browsers name the page a post comes from (`Origin`) and whether it is this site
/// (`Sec-Fetch-Site`); a post from another site is forged. With `required`, a post
/// that says neither is refused too: without a token, nothing else vouches for it.
fn check_origin(headers: &HeaderMap, required: bool) -> Result<(), CsrfRejection> {
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    match fetch_site {
        Some("same-origin") => return Ok(()),
        Some("cross-site" | "same-site") => {
            return Err(CsrfRejection::Forbidden("cross-origin post"));
        }
        _ => {}
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return if required {
            Err(CsrfRejection::Forbidden("a post that names no origin"))
        } else {
            Ok(())
        };
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

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, value.parse().unwrap());
        }
        headers
    }

    #[test]
    fn tokens_are_bound_to_the_session_and_the_key() {
        let key = CsrfKey::parse(&CsrfKey::generate()).unwrap();
        let other = CsrfKey::parse(&CsrfKey::generate()).unwrap();
        assert_eq!(key.token_of("a"), key.token_of("a"));
        assert_ne!(key.token_of("a"), key.token_of("b"), "another session");
        assert_ne!(
            key.token_of("a"),
            other.token_of("a"),
            "another installation"
        );
        assert!(CsrfKey::parse("not hex").is_none());
        assert_eq!(format!("{key:?}"), "CsrfKey(***)");
    }

    #[test]
    fn posts_without_a_token_must_say_they_come_from_this_site() {
        let host = ("host", "shop.example");
        assert!(check_origin(&headers(&[host, ("origin", "https://shop.example")]), true).is_ok());
        assert!(check_origin(&headers(&[host, ("sec-fetch-site", "same-origin")]), true).is_ok());
        assert!(check_origin(&headers(&[host, ("origin", "https://evil.example")]), true).is_err());
        assert!(check_origin(&headers(&[host, ("sec-fetch-site", "cross-site")]), true).is_err());
        assert!(
            check_origin(&headers(&[host]), true).is_err(),
            "says nothing"
        );
        assert!(
            check_origin(&headers(&[host]), false).is_ok(),
            "the token vouches"
        );
        assert!(check_origin(&headers(&[host, ("origin", "null")]), false).is_err());
    }
}
