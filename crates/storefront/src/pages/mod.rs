//! The storefront's pages. Each module exposes its routes; they are merged here.

mod account;
mod cart;
mod category;
mod checkout;
mod content;
mod facets;
mod home;
mod order;
mod payment;
mod product;
mod promotion_code;
mod search;
mod seo;
mod sitemaps;
mod size_guide;
pub(crate) mod views;
mod withdrawal_form;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use comptoir_store::OldUrlTarget;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::extract::Shop;
use crate::responses::moved_permanently;
use crate::{AppState, HttpError};

pub(crate) use cart::{Notice as CartNotice, cart_url};
pub(crate) use product::delivery_facts;
pub(crate) use sitemaps::SitemapCache;
pub(crate) use views::WITHDRAWAL_FORM_PATH;

pub fn router() -> Router<AppState> {
    // Pages that show a shopper's own data or carry a per-visitor form token: no
    // browser, proxy or CDN may keep them.
    let private = Router::new()
        .merge(cart::router())
        .merge(promotion_code::router())
        .merge(checkout::router())
        .merge(order::router())
        .merge(payment::router())
        .merge(account::router())
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        ));
    Router::new()
        .merge(search::router())
        .merge(size_guide::router())
        .merge(withdrawal_form::router())
        .merge(sitemaps::router())
        .merge(home::router())
        .merge(category::router())
        .merge(product::router())
        .merge(private)
        .fallback(old_url)
}

/// Longest old path looked up.
const MAX_OLD_PATH: usize = 500;

/// Any other path: a content page (or its old key), else an imported product's or
/// category's old URL (Magento's `url_key.html`, `url_path`, category
/// `url_path.html`) answers 301 to its page here; anything else is not found.
async fn old_url(shop: Shop, uri: axum::http::Uri) -> Result<Response, HttpError> {
    let path = uri.path().trim_start_matches('/');
    if path.is_empty() || path.len() > MAX_OLD_PATH {
        return Err(HttpError::NotFound);
    }
    // Browsers send `café.html` as `caf%C3%A9.html`; old URLs are stored as text.
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let path = decoded.as_ref();
    if let Some(page) = content::page(&shop, path) {
        return page;
    }
    let (site, snapshot) = (shop.site, &shop.snapshot);
    let target = shop.state.store.redirect_target(site, path).await?;
    let url = match target {
        Some(OldUrlTarget::Product(id)) => snapshot
            .product_by_id(id)
            .and_then(|index| snapshot.product(index))
            .filter(|product| product.listed_on(site).is_some() || product.site(site).is_some())
            .map(|product| shop.product_url(product)),
        Some(OldUrlTarget::Category(id)) => snapshot
            .category_by_id(id)
            .filter(|&category| snapshot.category(category).category.enabled)
            .map(|category| shop.category_url(category)),
        None => None,
    };
    url.map(|url| moved_permanently(&url))
        .ok_or(HttpError::NotFound)
}
