//! The answers that are not a page of the catalogue or of the shopping path: the
//! permanent redirect of every non-canonical URL, the translated error pages and the
//! site chooser. The site layer and the pages both answer through here.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use comptoir_domain::{Locale, SiteCode};
use comptoir_web::assets::StaticFiles;

use crate::extract::Shop;
use crate::pages::views::Layout;
use crate::{AppState, HttpError};

/// A `301 Moved Permanently` to `location`: the answer to every non-canonical form
/// of a page's URL.
pub fn moved_permanently(location: &str) -> Response {
    match HeaderValue::try_from(location) {
        Ok(location) => (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, location)],
        )
            .into_response(),
        Err(_) => StatusCode::BAD_REQUEST.into_response(),
    }
}

/// A host's `robots.txt`, which crawlers may keep a day.
pub fn robots_txt(robots: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        robots,
    )
        .into_response()
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
    let shop = Shop::new(state, site);
    let (t, s) = (shop.t(), shop.s());
    let (heading, text) = match status {
        StatusCode::NOT_FOUND => (t.not_found_title, t.not_found_text),
        StatusCode::FORBIDDEN => (s.forbidden_title, s.forbidden_text),
        StatusCode::TOO_MANY_REQUESTS => (s.too_many_title, s.too_many_attempts),
        StatusCode::SERVICE_UNAVAILABLE => (t.unavailable_title, t.unavailable_text),
        s if s.is_server_error() => (t.server_error_title, t.server_error_text),
        _ => (t.bad_request_title, t.bad_request_text),
    };
    let page = ErrorPage {
        layout: Layout::new(&shop, heading.to_owned(), None),
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

/// Replaces the bare body of an error status (from a handler or from axum itself,
/// such as a rejected query string) with the site's translated error page. Pages that
/// handlers rendered themselves (HTML) are kept.
pub fn with_error_page(state: &AppState, site: SiteCode, response: Response) -> Response {
    if comptoir_web::error::needs_error_page(&response) {
        error_page(state, Some(site), site.locale(), response.status())
    } else {
        response
    }
}

#[derive(Template)]
#[template(path = "chooser.html")]
struct ChooserPage<'a> {
    assets: &'a StaticFiles,
    /// The visitor's preferred language among the shop's.
    lang: &'static str,
    /// This page's URL: every page's `x-default` alternate, and the page names each
    /// site's home as the alternate of its language.
    canonical: Option<String>,
    sites: Vec<SiteChoice>,
}

/// A country's site, named in its own language.
struct SiteChoice {
    label: &'static str,
    lang: &'static str,
    url: String,
}

/// The page at the root of a host that serves no site there: the four countries.
pub fn chooser_page(state: &AppState, locale: Locale) -> Response {
    let sites = SiteCode::ALL
        .into_iter()
        .map(|site| SiteChoice {
            label: site.country_name(),
            lang: site.locale().html_lang(),
            url: state.sites.base(site).join(""),
        })
        .collect();
    let page = ChooserPage {
        assets: &state.static_files,
        lang: locale.html_lang(),
        canonical: state.sites.chooser().map(str::to_owned),
        sites,
    };
    match page.render() {
        Ok(body) => Html(body).into_response(),
        Err(error) => HttpError::from(error).into_response(),
    }
}
