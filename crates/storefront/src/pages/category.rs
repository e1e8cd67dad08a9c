//! Category pages: the products of a category and its children, sorted and paginated,
//! narrowed by layered navigation. Without filters a page only slices a precomputed
//! listing; with filters, the search engine names the matching products and the
//! listing keeps its own order.

use std::collections::HashSet;
use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::{Path, RawQuery};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use comptoir_domain::SiteCode;
use comptoir_search::{FacetCounts, SearchRequest};

use super::facets::{ListingParams, facet_views, render_panel};
use super::views::{self, Layout, Link, ProductCard};
use crate::extract::Shop;
use crate::responses::moved_permanently;
use crate::snapshot::{CategoryIndex, Snapshot, SortOrder};
use crate::{AppState, HttpError};

pub fn router() -> Router<AppState> {
    Router::new().route("/c/{*path}", get(category))
}

/// Products per page.
pub const PAGE_SIZE: usize = 24;

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
    total: u64,
    sorts: Vec<SortLink>,
    products: Vec<ProductCard<'a>>,
    /// The filter panel, rendered (and escaped) by its own template.
    facets_html: &'a str,
    pages: Vec<PageLink>,
    previous: Option<String>,
    next: Option<String>,
    page_number: usize,
}

async fn category(
    shop: Shop,
    Path(path): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, HttpError> {
    let (state, snapshot, site, locale) = (&shop.state, &shop.snapshot, shop.site, shop.locale());
    let params = ListingParams::parse(raw.as_deref());
    let Some(index) = snapshot.category_by_path(locale, &path) else {
        // Another form of a category URL: a trailing slash, another language's keys,
        // capitals.
        let trimmed = path.trim_end_matches('/');
        let found = snapshot
            .category_by_path(locale, trimmed)
            .or_else(|| snapshot.category_by_foreign_path(trimmed));
        return match found {
            Some(index) => Ok(moved_permanently(&params.url(&shop.category_url(index)))),
            None => Err(HttpError::NotFound),
        };
    };
    let sort = params.sort_or(SortOrder::Position, SortOrder::parse)?;
    let requested_page = params.page_number()? as usize;
    let category_id = snapshot.category(index).category.id.0;
    let base_url = shop.category_url(index);
    if requested_page == 1 && params.page.is_some() {
        // `?page=1` is the bare URL.
        return Ok(moved_permanently(&params.with_page(1).url(&base_url)));
    }
    let (matching, facets_html): (Option<HashSet<i64>>, Arc<str>) = if params.filters.is_empty() {
        // No filter: the listing as precomputed, the panel from the cache.
        let html = match state.facet_cache.get(site, category_id, sort.code()) {
            Some(html) => html,
            None => {
                let request = SearchRequest {
                    within_category: Some(category_id),
                    per_page: 1,
                    ..SearchRequest::default()
                };
                let html: Arc<str> = match state.search.search(site, &request).await {
                    Ok(results) => {
                        panel(snapshot, site, index, &base_url, &params, &results.facets)?.into()
                    }
                    // Search is not ready: the page goes on without filters.
                    Err(_) => Arc::from(""),
                };
                state
                    .facet_cache
                    .put(site, category_id, sort.code(), html.clone());
                html
            }
        };
        (None, html)
    } else {
        let request = SearchRequest {
            within_category: Some(category_id),
            filters: params.filters.clone(),
            all_matches: true,
            ..SearchRequest::default()
        };
        match state.search.search(site, &request).await {
            Ok(results) => {
                let html = panel(snapshot, site, index, &base_url, &params, &results.facets)?;
                (Some(results.products.into_iter().collect()), html.into())
            }
            Err(error) => {
                tracing::warn!(%error, "category filters unavailable");
                return Ok(StatusCode::SERVICE_UNAVAILABLE.into_response());
            }
        }
    };
    let request = ListingRequest {
        index,
        base_url: &base_url,
        sort,
        requested_page,
        params: &params,
        matching,
        facets_html: &facets_html,
    };
    Ok(Html(render(&shop, request)?).into_response())
}

/// What a category page shows.
struct ListingRequest<'a> {
    index: CategoryIndex,
    /// The category's URL.
    base_url: &'a str,
    sort: SortOrder,
    requested_page: usize,
    params: &'a ListingParams,
    /// The products the filters leave, when there are filters.
    matching: Option<HashSet<i64>>,
    facets_html: &'a str,
}

/// The filter panel of a category page: its children and every attribute as facets.
fn panel(
    snapshot: &Snapshot,
    site: SiteCode,
    index: CategoryIndex,
    base_url: &str,
    params: &ListingParams,
    counts: &FacetCounts,
) -> Result<String, HttpError> {
    let children = &snapshot.category(index).children;
    let facets = facet_views(base_url, params, counts, snapshot, site.locale(), children);
    let clear = (!params.filters.is_empty()).then(|| {
        ListingParams {
            sort: params.sort.clone(),
            ..ListingParams::default()
        }
        .url(base_url)
    });
    Ok(render_panel(site.locale(), &facets, clear.as_deref())?)
}

fn render(shop: &Shop, request: ListingRequest<'_>) -> Result<String, HttpError> {
    let ListingRequest {
        index,
        base_url,
        sort,
        requested_page,
        params,
        matching,
        facets_html,
    } = request;
    let (snapshot, site, locale, t) = (&shop.snapshot, shop.site, shop.locale(), shop.t());
    let node = snapshot.category(index);
    let with = |sort: SortOrder, page: usize| {
        let sort = (sort != SortOrder::Position).then(|| sort.code().to_owned());
        ListingParams {
            sort,
            ..params.clone()
        }
        .with_page(page)
        .url(base_url)
    };
    let listing = snapshot.listing(site, index, sort);
    let filtered: Vec<u32>;
    let listing: &[u32] = match &matching {
        None => listing,
        Some(ids) => {
            filtered = listing
                .iter()
                .copied()
                .filter(|&i| snapshot.product(i).is_some_and(|p| ids.contains(&p.id.0)))
                .collect();
            &filtered
        }
    };
    let page_count = listing.len().div_ceil(PAGE_SIZE).max(1);
    let page = requested_page;
    if page > page_count {
        return Err(HttpError::NotFound);
    }
    let now = chrono::Utc::now();
    let products = listing
        .iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .filter_map(|&i| ProductCard::new(shop, snapshot.product(i)?, now))
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
        url: with(sort, number),
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
    let mut layout = Layout::new(
        shop,
        node.category.names[locale].clone(),
        Some(with(sort, page)),
    );
    // Each page of the listing is its own canonical; filtered or sorted, it is not
    // indexed.
    layout.noindex = !params.filters.is_empty() || sort != SortOrder::Position;
    let page_view = CategoryPage {
        layout,
        name: &node.category.names[locale],
        breadcrumbs: node
            .ancestors
            .iter()
            .map(|&a| views::category_link(shop, a))
            .collect(),
        children: node
            .children
            .iter()
            .map(|&c| views::category_link(shop, c))
            .collect(),
        total: listing.len() as u64,
        sorts: SortOrder::ALL
            .into_iter()
            .map(|s| SortLink {
                label: sort_label(s),
                url: with(s, 1),
                current: s == sort,
            })
            .collect(),
        products,
        facets_html,
        pages: if page_count > 1 {
            numbers.into_iter().map(page_link).collect()
        } else {
            Vec::new()
        },
        previous: (page > 1).then(|| with(sort, page - 1)),
        next: (page < page_count).then(|| with(sort, page + 1)),
        page_number: page,
    };
    Ok(views::render_page(&page_view)?)
}
