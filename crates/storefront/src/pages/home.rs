//! The home page of a site: category entry points and featured products.

use askama::Template;
use axum::Router;
use axum::response::Html;
use axum::routing::get;

use comptoir_domain::SiteCode;

use super::seo::{self, Seo};
use super::views::{self, Layout, Link, ProductCard};
use crate::extract::Shop;
use crate::{AppState, HttpError};

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

/// A top-level category with a few of its children.
struct Department<'a> {
    link: Link<'a>,
    children: Vec<Link<'a>>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    layout: Layout<'a>,
    departments: Vec<Department<'a>>,
    featured: Vec<ProductCard<'a>>,
    /// The site's home banner block, rendered.
    banner: Option<&'a str>,
}

/// Children shown under each department on the home page.
const CHILDREN_SHOWN: usize = 5;

async fn home(shop: Shop) -> Result<Html<String>, HttpError> {
    let snapshot = &shop.snapshot;
    let now = chrono::Utc::now();
    let departments = snapshot
        .roots()
        .iter()
        .map(|&root| Department {
            link: views::category_link(&shop, root),
            children: snapshot
                .category(root)
                .children
                .iter()
                .take(CHILDREN_SHOWN)
                .map(|&child| views::category_link(&shop, child))
                .collect(),
        })
        .collect();
    let featured = snapshot
        .featured(shop.site)
        .filter_map(|product| ProductCard::new(&shop, product, now))
        .collect();
    let tagline = shop.t().tagline;
    let mut layout = Layout::new(&shop, tagline.to_owned(), Some(shop.url("")));
    let facts = &shop.state.delivery_facts[shop.site.index()];
    let description =
        seo::sentences(std::iter::once(tagline).chain(facts.iter().map(String::as_str)));
    layout.seo = Some(
        Seo::new(&shop, &description, SiteCode::ALL, |site| {
            shop.state.sites.base(site).join("")
        })
        .with_data(&seo::organization(&shop)),
    );
    let page = HomePage {
        layout,
        departments,
        featured,
        banner: snapshot
            .content()
            .site(shop.site)
            .block(comptoir_domain::content::BlockSlot::HomeBanner),
    };
    Ok(Html(views::render_page(&page)?))
}
