//! The shop a request is for: the application's state, the site the site layer
//! found, and the catalogue snapshot the whole request renders from.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use comptoir_domain::cart::Cart;
use comptoir_domain::checkout::{self, Quote, QuoteError};
use comptoir_domain::destination::Destination;
use comptoir_domain::promotions::EnteredCode;
use comptoir_domain::{Locale, Product, SiteCode};

use crate::i18n::{ShopTexts, Texts};
use crate::snapshot::{CategoryIndex, Snapshot};
use crate::{AppState, HttpError};

/// Who a cart is priced for.
pub struct Buyer {
    pub logged_in: bool,
    /// The cart's code, as the store found it.
    pub code: Option<EnteredCode>,
}

pub struct Shop {
    pub state: AppState,
    pub site: SiteCode,
    /// One snapshot per request, so a page never mixes two versions of the catalogue.
    pub snapshot: Arc<Snapshot>,
}

impl FromRequestParts<AppState> for Shop {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Shop, HttpError> {
        let site = parts
            .extensions
            .get::<SiteCode>()
            .copied()
            .ok_or(HttpError::internal(
                "a page was routed outside the site layer",
            ))?;
        Ok(Shop::new(state, site))
    }
}

impl Shop {
    pub fn new(state: &AppState, site: SiteCode) -> Shop {
        Shop {
            state: state.clone(),
            site,
            snapshot: state.snapshot.load_full(),
        }
    }

    pub fn locale(&self) -> Locale {
        self.site.locale()
    }

    /// Texts of the catalogue pages.
    pub fn t(&self) -> &'static Texts {
        Texts::of(self.locale())
    }

    /// Texts of the shopping path (cart, checkout, account).
    pub fn s(&self) -> &'static ShopTexts {
        ShopTexts::of(self.locale())
    }

    /// The absolute URL of `path` (no leading slash) on this site.
    pub fn url(&self, path: &str) -> String {
        self.state.sites.base(self.site).join(path)
    }

    /// A `303 See Other` to `path` on this site: where a form sends the shopper next.
    pub fn redirect(&self, path: &str) -> Response {
        Redirect::to(&self.url(path)).into_response()
    }

    /// The absolute URL of a path from the host's root, such as an image's
    /// `/static/…` (a URL on a CDN is absolute already).
    pub fn absolute(&self, path: &str) -> String {
        if path.starts_with("https://") || path.starts_with("http://") {
            return path.to_owned();
        }
        format!("{}{path}", self.state.sites.base(self.site).origin())
    }

    pub fn category_url(&self, category: CategoryIndex) -> String {
        self.category_url_on(self.site, category)
    }

    /// The category's page on `site`, in that site's language.
    pub fn category_url_on(&self, site: SiteCode, category: CategoryIndex) -> String {
        let path = &self.snapshot.category(category).paths[site.locale()];
        self.state.sites.base(site).join(&format!("c/{path}"))
    }

    /// Who `cart` is priced for: logged in or not, and its code as the store knows
    /// it, with its uses by `email` (a guest's, once given at checkout).
    pub async fn buyer(
        &self,
        cart: &Cart,
        logged_in: bool,
        email: Option<&str>,
    ) -> Result<Buyer, HttpError> {
        let code = match &cart.code {
            Some(code) => {
                let customer = email.map(str::to_lowercase);
                let found = self
                    .state
                    .store
                    .find_code(code, customer.as_deref())
                    .await?;
                Some(EnteredCode {
                    code: code.clone(),
                    found,
                })
            }
            None => None,
        };
        Ok(Buyer { logged_in, code })
    }

    /// `cart` priced now for `buyer`, from this request's snapshot (its catalogue
    /// and promotions), for delivery to `destination` at the shop's shipping rates.
    pub fn quote(
        &self,
        cart: &Cart,
        destination: Destination,
        buyer: &Buyer,
    ) -> Result<Quote, QuoteError> {
        let categories = |product: &Product| self.snapshot.category_ids_with_ancestors(product);
        checkout::quote(
            cart,
            self.site,
            destination,
            &self.state.shop.shipping_rates,
            chrono::Utc::now(),
            |sku| self.snapshot.variant(sku),
            &checkout::Promotions {
                rules: self.snapshot.promotions(),
                logged_in: buyer.logged_in,
                code: buyer.code.as_ref(),
                categories: &categories,
            },
        )
    }

    /// A promotion's name in this site's language.
    pub fn promotion_name(&self, rule_id: i64) -> String {
        self.snapshot
            .promotions()
            .iter()
            .find(|rule| rule.id == rule_id)
            .map(|rule| rule.name(self.locale()).to_owned())
            .unwrap_or_default()
    }

    pub fn product_url(&self, product: &Product) -> String {
        self.product_url_on(self.site, product)
    }

    /// The product's page on `site`, in that site's language.
    pub fn product_url_on(&self, site: SiteCode, product: &Product) -> String {
        let key = &product.url_keys[site.locale()];
        self.state.sites.base(site).join(&format!("p/{key}"))
    }
}
