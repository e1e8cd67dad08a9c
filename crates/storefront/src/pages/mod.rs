//! The storefront's pages. Each module exposes its routes; they are merged here.

mod account;
mod cart;
mod category;
mod checkout;
mod facets;
mod home;
mod order;
mod payment;
mod product;
mod search;
mod views;

use askama::Template;
use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use comptoir_domain::{Locale, SiteCode};
use comptoir_store::OldUrlTarget;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::AppState;
use crate::i18n::{ShopTexts, Texts};
use views::{Layout, Link};

pub fn router() -> Router<AppState> {
    // Pages that show a shopper's own data or carry a per-visitor form token: no
    // browser, proxy or CDN may keep them.
    let private = Router::new()
        .merge(cart::router())
        .merge(checkout::router())
        .merge(order::router())
        .merge(payment::router())
        .merge(account::router())
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));
    Router::new()
        .merge(search::router())
        .merge(home::router())
        .merge(category::router())
        .merge(product::router())
        .merge(private)
        .fallback(old_url)
}

/// Longest old path looked up.
const MAX_OLD_PATH: usize = 500;

/// Any other path: an imported product's or category's old URL (Magento's
/// `url_key.html`, `url_path`, category `url_path.html`) answers 301 to its page
/// here; anything else is not found.
async fn old_url(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::Extension(site): axum::Extension<SiteCode>,
    uri: axum::http::Uri,
) -> Result<Response, crate::HttpError> {
    let path = uri.path().trim_start_matches('/');
    if path.is_empty() || path.len() > MAX_OLD_PATH {
        return Err(crate::HttpError::NotFound);
    }
    let target = state.store.redirect_target(site, path).await?;
    let snapshot = state.snapshot.load();
    let url = match target {
        Some(OldUrlTarget::Product(id)) => snapshot
            .product_by_id(id)
            .and_then(|index| snapshot.product(index))
            .filter(|product| product.listed_on(site).is_some() || product.site(site).is_some())
            .map(|product| views::product_url(&state, site, product)),
        Some(OldUrlTarget::Category(id)) => snapshot
            .category_by_id(id)
            .filter(|&category| snapshot.category(category).category.enabled)
            .map(|category| views::category_url(&state, &snapshot, site, category)),
        None => None,
    };
    url.map(|url| crate::moved_permanently(&url))
        .ok_or(crate::HttpError::NotFound)
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    layout: Layout<'a>,
    status: u16,
    heading: &'static str,
    text: &'static str,
}

/// The translated page of an error status; for a request that belongs to no site,
/// in `locale` and linking to that language's site.
pub fn error_page(
    state: &AppState,
    site: Option<SiteCode>,
    locale: Locale,
    status: StatusCode,
) -> Response {
    let site = site.unwrap_or(match locale {
        Locale::Es => SiteCode::Es,
        Locale::Fr => SiteCode::Fr,
        Locale::Pt => SiteCode::Pt,
        Locale::It => SiteCode::It,
    });
    let t = Texts::of(site.locale());
    let s = ShopTexts::of(site.locale());
    let (heading, text) = match status {
        StatusCode::NOT_FOUND => (t.not_found_title, t.not_found_text),
        StatusCode::FORBIDDEN => (s.forbidden_title, s.forbidden_text),
        StatusCode::TOO_MANY_REQUESTS => (s.too_many_title, s.too_many_attempts),
        s if s.is_server_error() => (t.server_error_title, t.server_error_text),
        _ => (t.bad_request_title, t.bad_request_text),
    };
    let snapshot = state.snapshot.load();
    let page = ErrorPage {
        layout: Layout::new(state, &snapshot, site, heading.to_owned(), None),
        status: status.as_u16(),
        heading,
        text,
    };
    match page.render() {
        Ok(body) => (status, Html(body)).into_response(),
        Err(error) => {
            tracing::error!(%error, "error page could not be rendered");
            status.into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "chooser.html")]
struct ChooserPage {
    sites: Vec<Link<'static>>,
}

/// The page at the root of a host that serves no site there: the four countries.
pub fn chooser_page(state: &AppState) -> Response {
    let sites = SiteCode::ALL
        .into_iter()
        .map(|site| Link {
            label: site.country_name(),
            url: state.sites.base(site).join(""),
        })
        .collect();
    match (ChooserPage { sites }).render() {
        Ok(body) => Html(body).into_response(),
        Err(error) => crate::HttpError::from(error).into_response(),
    }
}
