//! Category pages: the products of a category and its children, sorted and paginated.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use comptoir_domain::SiteCode;
use serde::Deserialize;

use super::views::{self, Layout, Link, ProductCard};
use crate::snapshot::{CategoryIndex, Snapshot, SortOrder};
use crate::{AppState, StorefrontError};

pub fn router() -> Router<AppState> {
    Router::new().route("/c/{*path}", get(category))
}

/// Products per page.
pub const PAGE_SIZE: usize = 24;

/// Query parameters, taken as text so that a bad value gets our 400 page.
#[derive(Deserialize)]
pub struct ListingQuery {
    sort: Option<String>,
    page: Option<String>,
}

pub struct SortLink {
    pub label: &'static str,
    pub url: String,
    pub current: bool,
}

pub struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "category.html")]
struct CategoryPage<'a> {
    layout: Layout<'a>,
    name: &'a str,
    breadcrumbs: Vec<Link<'a>>,
    children: Vec<Link<'a>>,
    total: usize,
    sorts: Vec<SortLink>,
    products: Vec<ProductCard<'a>>,
    pages: Vec<PageLink>,
    previous: Option<String>,
    next: Option<String>,
    page_number: usize,
}

async fn category(
    State(state): State<AppState>,
    Extension(site): Extension<SiteCode>,
    Path(path): Path<String>,
    Query(query): Query<ListingQuery>,
) -> Result<Response, StorefrontError> {
    let snapshot = state.snapshot.load();
    let locale = site.locale();
    let Some(index) = snapshot.category_by_path(locale, &path) else {
        // Another form of a category URL: a trailing slash, another language's keys,
        // capitals.
        let trimmed = path.trim_end_matches('/');
        let found = snapshot
            .category_by_path(locale, trimmed)
            .or_else(|| snapshot.category_by_foreign_path(trimmed));
        return match found {
            Some(index) => {
                let mut url = views::category_url(&state, &snapshot, site, index);
                if let Some(query) = canonical_query(&query) {
                    url.push('?');
                    url.push_str(&query);
                }
                Ok(crate::moved_permanently(&url))
            }
            None => Err(StorefrontError::NotFound),
        };
    };
    let sort = match query.sort.as_deref() {
        None | Some("") => SortOrder::Position,
        Some(code) => SortOrder::parse(code).ok_or(StorefrontError::BadRequest("unknown sort"))?,
    };
    let requested_page = match query.page.as_deref() {
        None | Some("") => 1,
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or(StorefrontError::BadRequest("bad page number"))?,
    };
    Ok(Html(render(
        &state,
        &snapshot,
        site,
        index,
        sort,
        requested_page,
    )?)
    .into_response())
}

/// The query string of a canonical listing URL (`None` when all are defaults).
fn canonical_query(query: &ListingQuery) -> Option<String> {
    let sort = query
        .sort
        .as_deref()
        .and_then(SortOrder::parse)
        .filter(|s| *s != SortOrder::Position);
    let page = query
        .page
        .as_deref()
        .and_then(|p| p.parse::<usize>().ok())
        .filter(|p| *p > 1);
    listing_query(sort.unwrap_or(SortOrder::Position), page.unwrap_or(1))
}

fn listing_query(sort: SortOrder, page: usize) -> Option<String> {
    match (sort, page) {
        (SortOrder::Position, 1) => None,
        (SortOrder::Position, page) => Some(format!("page={page}")),
        (sort, 1) => Some(format!("sort={}", sort.code())),
        (sort, page) => Some(format!("sort={}&page={page}", sort.code())),
    }
}

fn render(
    state: &AppState,
    snapshot: &Snapshot,
    site: SiteCode,
    index: CategoryIndex,
    sort: SortOrder,
    requested_page: usize,
) -> Result<String, StorefrontError> {
    let locale = site.locale();
    let t = crate::i18n::Texts::of(locale);
    let node = snapshot.category(index);
    let base_url = views::category_url(state, snapshot, site, index);
    let url = |sort: SortOrder, page: usize| match listing_query(sort, page) {
        Some(query) => format!("{base_url}?{query}"),
        None => base_url.clone(),
    };
    let listing = snapshot.listing(site, index, sort);
    let page_count = listing.len().div_ceil(PAGE_SIZE).max(1);
    // Past the last page: show the last one rather than an empty page.
    let page = requested_page.min(page_count);
    let now = chrono::Utc::now();
    let products = listing
        .iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .filter_map(|&i| ProductCard::new(state, site, snapshot.product(i)?, now))
        .collect();
    let sort_label = |sort: SortOrder| match sort {
        SortOrder::Position => t.sort_position,
        SortOrder::PriceAscending => t.sort_price_asc,
        SortOrder::PriceDescending => t.sort_price_desc,
        SortOrder::Name => t.sort_name,
        SortOrder::Newest => t.sort_newest,
    };
    let page_link = |number: usize| PageLink {
        number,
        url: url(sort, number),
        current: number == page,
    };
    let mut numbers: Vec<usize> = [
        1,
        page.saturating_sub(2),
        page.saturating_sub(1),
        page,
        page + 1,
        page + 2,
        page_count,
    ]
    .into_iter()
    .filter(|n| (1..=page_count).contains(n))
    .collect();
    numbers.sort_unstable();
    numbers.dedup();
    let page_view = CategoryPage {
        layout: Layout::new(
            state,
            snapshot,
            site,
            node.category.names[locale].clone(),
            Some(url(sort, page)),
        ),
        name: &node.category.names[locale],
        breadcrumbs: node
            .ancestors
            .iter()
            .map(|&a| views::category_link(state, snapshot, site, a))
            .collect(),
        children: node
            .children
            .iter()
            .map(|&c| views::category_link(state, snapshot, site, c))
            .collect(),
        total: listing.len(),
        sorts: SortOrder::ALL
            .into_iter()
            .map(|s| SortLink {
                label: sort_label(s),
                url: url(s, 1),
                current: s == sort,
            })
            .collect(),
        products,
        pages: if page_count > 1 {
            numbers.into_iter().map(page_link).collect()
        } else {
            Vec::new()
        },
        previous: (page > 1).then(|| url(sort, page - 1)),
        next: (page < page_count).then(|| url(sort, page + 1)),
        page_number: page,
    };
    Ok(views::render_page(&page_view)?)
}
