//! The home page of a site: category entry points and featured products.

use askama::Template;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use axum::{Extension, Router};
use comptoir_domain::SiteCode;

use super::views::{self, Layout, Link, ProductCard};
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

async fn home(
    State(state): State<AppState>,
    Extension(site): Extension<SiteCode>,
) -> Result<Html<String>, HttpError> {
    let snapshot = state.snapshot.load();
    let t = crate::i18n::Texts::of(site.locale());
    let now = chrono::Utc::now();
    let departments = snapshot
        .roots()
        .iter()
        .map(|&root| Department {
            link: views::category_link(&state, &snapshot, site, root),
            children: snapshot
                .category(root)
                .children
                .iter()
                .take(CHILDREN_SHOWN)
                .map(|&child| views::category_link(&state, &snapshot, site, child))
                .collect(),
        })
        .collect();
    let featured = snapshot
        .featured(site)
        .iter()
        .filter_map(|&i| ProductCard::new(&state, site, snapshot.product(i)?, now))
        .collect();
    let canonical = state.sites.base(site).join("");
    let layout = Layout::new(
        &state,
        &snapshot,
        site,
        t.tagline.to_owned(),
        Some(canonical),
    );
    let page = HomePage {
        layout,
        departments,
        featured,
    };
    Ok(Html(views::render_page(&page)?))
}
