//! The checkout under way on this site, with the cart it is for.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use comptoir_domain::cart::Cart;
use comptoir_store::Customer;
use tower_cookies::Cookies;
use tower_sessions::Session;

use super::{Buyer, Shop};
use crate::pages::{CartNotice, cart_url};
use crate::shopper::{self, CheckoutState};
use crate::{AppState, HttpError};

/// What the shopper chose so far in this site's checkout, and the cart. A shopper
/// with an empty cart is sent back to the cart; one whose session was lost too, with
/// the cart intact and a word on why. A form handler takes
/// `Result<ActiveCheckout, HttpError>` and applies it once its form is checked.
pub struct ActiveCheckout {
    pub details: CheckoutState,
    pub cart: Cart,
    /// The customer logged in, if one is.
    pub customer: Option<Customer>,
    /// Who the cart is priced for: logged in or not, its code's uses by the
    /// checkout's e-mail address.
    pub buyer: Buyer,
    session: Session,
}

impl ActiveCheckout {
    /// Keeps `details` for the next step.
    pub async fn save(&self, shop: &Shop) -> Result<(), HttpError> {
        shopper::save_checkout_state(&self.session, shop.site, &self.details).await
    }
}

impl FromRequestParts<AppState> for ActiveCheckout {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, HttpError> {
        let shop = Shop::from_request_parts(parts, state).await?;
        let missing_layer = |(_, why): (_, &'static str)| HttpError::internal(why);
        let cookies = Cookies::from_request_parts(parts, state)
            .await
            .map_err(missing_layer)?;
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(missing_layer)?;
        let cart = state.carts.load(&cookies).await?;
        if cart.lines.is_empty() {
            return Err(HttpError::SeeOther(cart_url(&shop, CartNotice::Updated)));
        }
        match shopper::checkout_state(&session, shop.site).await? {
            Some(details) => {
                let customer = shopper::customer(state.store.as_ref(), &session).await?;
                let email = Some(details.email.as_str()).filter(|e| !e.is_empty());
                let buyer = shop.buyer(&cart, customer.is_some(), email).await?;
                Ok(ActiveCheckout {
                    details,
                    cart,
                    customer,
                    buyer,
                    session,
                })
            }
            None => Err(HttpError::SeeOther(cart_url(
                &shop,
                CartNotice::SessionExpired,
            ))),
        }
    }
}
