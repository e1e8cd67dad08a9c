//! The home page of a site: category entry points and featured products.

use askama::Template;
use axum::Router;
use axum::response::Html;
use axum::routing::get;

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
    let page = HomePage {
        layout: Layout::new(&shop, shop.t().tagline.to_owned(), Some(shop.url(""))),
        departments,
        featured,
    };
    Ok(Html(views::render_page(&page)?))
}
