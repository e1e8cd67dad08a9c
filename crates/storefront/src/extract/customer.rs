//! The customer logged in: required by the account's pages, optional elsewhere.

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use comptoir_store::Customer;
use tower_sessions::Session;

use super::Shop;
use crate::{AppState, HttpError, shopper};

/// The customer whose session this is. Without one, a page that needs it sends the
/// shopper to the login page; `Option<SignedIn>` serves guests and customers alike.
/// A form handler takes `Result<SignedIn, HttpError>` and applies it once its form
/// is checked: a forged form is refused as forged, logged in or not.
pub struct SignedIn(pub Customer);

async fn signed_in(parts: &mut Parts, state: &AppState) -> Result<Option<Customer>, HttpError> {
    let session = Session::from_request_parts(parts, state)
        .await
        .map_err(|(_, why)| HttpError::internal(why))?;
    shopper::customer(state.store.as_ref(), &session).await
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, HttpError> {
        match signed_in(parts, state).await? {
            Some(customer) => Ok(SignedIn(customer)),
            None => {
                let shop = Shop::from_request_parts(parts, state).await?;
                Err(HttpError::LoginRequired(shop.url("account/login")))
            }
        }
    }
}

impl OptionalFromRequestParts<AppState> for SignedIn {
    type Rejection = HttpError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, HttpError> {
        Ok(signed_in(parts, state).await?.map(SignedIn))
    }
}
