//! Content pages (`/es/aviso-legal`): what staff wrote, at the page's key on its
//! site; an old key answers 301 to the page's key now. Reached through the router's
//! fallback, so a key never shadows one of the shop's own pages.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use comptoir_domain::SiteCode;

use super::seo::Seo;
use super::views::{self, Layout};
use crate::HttpError;
use crate::content::{Found, ShownPage};
use crate::extract::Shop;
use crate::responses::moved_permanently;

#[derive(Template)]
#[template(path = "content_page.html")]
struct ContentPageView<'a> {
    layout: Layout<'a>,
    page: &'a ShownPage,
}

/// The content page at `key`, if the site has one (or had one under that key).
pub fn page(shop: &Shop, key: &str) -> Option<Result<Response, HttpError>> {
    let content = shop.snapshot.content().site(shop.site);
    Some(match content.find(key)? {
        Found::Moved(page) => Ok(moved_permanently(&shop.url(&page.url_key))),
        Found::Page(page) => show(shop, page),
    })
}

fn show(shop: &Shop, page: &ShownPage) -> Result<Response, HttpError> {
    let title = page
        .meta
        .written_title()
        .map_or_else(|| page.title.clone(), str::to_owned);
    let description = page.meta.written_description().unwrap_or(&page.summary);
    let contents = shop.snapshot.content();
    // A legal page's equivalents on the other sites are those with its role.
    let sites: Vec<(SiteCode, &ShownPage)> = match page.role {
        Some(role) => SiteCode::ALL
            .into_iter()
            .filter_map(|site| Some((site, contents.site(site).page_with_role(role)?)))
            .collect(),
        None => vec![(shop.site, page)],
    };
    let mut layout = Layout::new(shop, title, Some(shop.url(&page.url_key)));
    layout.seo = Some(Seo::new(
        shop,
        description,
        sites.iter().map(|(site, _)| *site),
        |site| {
            let key = sites
                .iter()
                .find(|(s, _)| *s == site)
                .map_or("", |(_, page)| page.url_key.as_str());
            shop.state.sites.base(site).join(key)
        },
    ));
    let view = ContentPageView { layout, page };
    Ok(Html(views::render_page(&view)?).into_response())
}
