//! Category pages: the products of a category and its children, sorted and paginated,
//! narrowed by layered navigation. Without filters a page only slices a precomputed
//! listing; with filters, the search engine names the matching products and the
//! listing keeps its own order.

use std::collections::HashSet;
use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::{Path, RawQuery};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use comptoir_domain::SiteCode;
use comptoir_search::{FacetCounts, SearchRequest};

use super::facets::{ListingParams, facet_views, render_panel};
use super::seo::{self, Seo};
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
    /// The pages linked, `None` where some are left out.
    pages: Vec<Option<PageLink>>,
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
    let params = ListingParams::parse(raw.as_deref())?;
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
    params.check_values(snapshot)?;
    let sort = params.sort_or(SortOrder::Position, SortOrder::parse)?;
    let requested_page = params.page_number()? as usize;
    let category_id = snapshot.category(index).category.id.0;
    let base_url = shop.category_url(index);
    if requested_page == 1 && params.page.is_some() {
        // `?page=1` is the bare URL.
        return Ok(moved_permanently(&params.with_page(1).url(&base_url)));
    }
    // `filtered`: false when the filters could not be applied (search down): the
    // page then is not what its URL names, and no cache may keep it.
    let (matching, facets_html, filtered): (Option<HashSet<i64>>, Arc<str>, bool) =
        if params.filters.is_empty() {
            // No filter: the listing as precomputed, the panel from the cache.
            let html = match state.facet_cache.get(site, category_id, sort.code()) {
                Some(html) => html,
                None => {
                    let request = SearchRequest {
                        within_category: Some(category_id),
                        per_page: 1,
                        ..SearchRequest::default()
                    };
                    match state.search.search(site, &request).await {
                        Ok(results) => {
                            let html: Arc<str> =
                                panel(snapshot, site, index, &base_url, &params, &results.facets)?
                                    .into();
                            state
                                .facet_cache
                                .put(site, category_id, sort.code(), html.clone());
                            html
                        }
                        // Search is not ready or down: the listing (from the snapshot)
                        // goes on without filters, which the next page asks for again.
                        Err(_) => Arc::from(""),
                    }
                }
            };
            (None, html, true)
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
                    (
                        Some(results.products.into_iter().collect()),
                        html.into(),
                        true,
                    )
                }
                Err(error) => {
                    // The listing from the snapshot, unfiltered, saying why.
                    tracing::warn!(%error, "category filters unavailable");
                    let notice = format!(
                        "<p class=\"notice\" role=\"status\">{}</p>",
                        shop.t().search_unavailable
                    );
                    (None, notice.into(), false)
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
    let page = Html(render(&shop, request)?);
    Ok(if filtered {
        page.into_response()
    } else {
        ([(header::CACHE_CONTROL, "no-store")], page).into_response()
    })
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
    let breadcrumbs: Vec<Link<'_>> = node
        .ancestors
        .iter()
        .map(|&a| views::category_link(shop, a))
        .collect();
    let title = match page {
        1 => title(shop, index),
        _ => format!("{} · {} {page}", title(shop, index), t.page),
    };
    let canonical = with(sort, page);
    let mut layout = Layout::new(shop, title, Some(canonical.clone()));
    // Each page of the listing is its own canonical; filtered or sorted, it is not
    // indexed.
    layout.noindex = !params.filters.is_empty() || sort != SortOrder::Position;
    if !layout.noindex {
        let listed = ListedPage {
            index,
            page,
            url: &canonical,
        };
        layout.seo = Some(head(shop, listed, &layout.title, &breadcrumbs));
    }
    let page_view = CategoryPage {
        layout,
        name: &node.category.names[locale],
        breadcrumbs,
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
            page_window(page, page_count)
                .into_iter()
                .map(|number| number.map(page_link))
                .collect()
        } else {
            Vec::new()
        },
        previous: (page > 1).then(|| with(sort, page - 1)),
        next: (page < page_count).then(|| with(sort, page + 1)),
        page_number: page,
    };
    Ok(views::render_page(&page_view)?)
}

/// The pages a listing links to from page `current` of `count`: the first, two
/// either side of the current one and the last, `None` for each run left out. From
/// any page a crawler reaches every other in a few steps.
fn page_window(current: usize, count: usize) -> Vec<Option<usize>> {
    let mut numbers: Vec<usize> = [1, count]
        .into_iter()
        .chain(current.saturating_sub(2)..=current + 2)
        .filter(|n| (1..=count).contains(n))
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    let mut window = Vec::with_capacity(numbers.len() + 2);
    for (i, &number) in numbers.iter().enumerate() {
        if i > 0 && number > numbers[i - 1] + 1 {
            window.push(None);
        }
        window.push(Some(number));
    }
    window
}

/// A category's title: the meta title staff wrote, else its name, then its
/// parents' from the nearest ("Mujer · Carnaval"), since names such as "Mujer"
/// recur under many parents.
fn title(shop: &Shop, index: CategoryIndex) -> String {
    let snapshot = &shop.snapshot;
    let node = snapshot.category(index);
    if let Some(written) = node.category.meta[shop.locale()].written_title() {
        return written.to_owned();
    }
    std::iter::once(index)
        .chain(node.ancestors.iter().rev().copied())
        .map(|i| snapshot.category(i).category.names[shop.locale()].as_str())
        .collect::<Vec<_>>()
        .join(" · ")
}

/// A page of a category's listing, unsorted and unfiltered.
struct ListedPage<'a> {
    index: CategoryIndex,
    page: usize,
    url: &'a str,
}

/// A listing's head: the meta description staff wrote, else one from its facts; the
/// same page of the category on each site that lists that many products in it; a
/// product photo for link previews; its trail.
fn head(shop: &Shop, listed: ListedPage<'_>, title: &str, breadcrumbs: &[Link<'_>]) -> Seo {
    let ListedPage { index, page, url } = listed;
    let (snapshot, site, locale) = (&shop.snapshot, shop.site, shop.locale());
    let category = &snapshot.category(index).category;
    let description = category.meta[locale]
        .written_description()
        .map_or_else(|| made_description(shop, index, title), str::to_owned);
    let sites = SiteCode::ALL.into_iter().filter(|other| {
        let products = snapshot.listing(*other, index, SortOrder::Position).len();
        *other == site || products > (page - 1) * PAGE_SIZE
    });
    let mut head = Seo::new(shop, &description, sites, |other| {
        ListingParams::default()
            .with_page(page)
            .url(&shop.category_url_on(other, index))
    });
    // Link previews show the first photographed product of the listing's first
    // page (looking no further: most products may have no photo).
    head.image = snapshot
        .listing(site, index, SortOrder::Position)
        .iter()
        .take(PAGE_SIZE)
        .filter_map(|&i| snapshot.product(i)?.images.first())
        .next()
        .map(|path| shop.absolute(&views::Picture::large(snapshot, path)));
    head.with_data(&seo::breadcrumb_list(
        shop,
        breadcrumbs,
        &category.names[locale],
        url,
    ))
}

/// A listing's description from its facts: how many products, from which price,
/// delivery and returns.
fn made_description(shop: &Shop, index: CategoryIndex, title: &str) -> String {
    let (snapshot, site, locale) = (&shop.snapshot, shop.site, shop.locale());
    let listing = snapshot.listing(site, index, SortOrder::PriceAscending);
    let cheapest = listing
        .first()
        .and_then(|&i| snapshot.price_tag(snapshot.product(i)?, site, chrono::Utc::now()));
    let summary = match cheapest {
        Some(tag) => shop
            .t()
            .listing_description
            .replace("{name}", title)
            .replace("{count}", &shop.t().product_count(listing.len() as u64))
            .replace("{price}", &tag.price.format(locale)),
        None => title.to_owned(),
    };
    let facts = &shop.state.delivery_facts[site.index()];
    seo::sentences(std::iter::once(summary.as_str()).chain(facts.iter().map(String::as_str)))
}

#[cfg(test)]
mod tests {
    use super::page_window;

    #[test]
    fn pages_around_the_current_one_with_the_first_and_last() {
        let shown = |current, count| -> Vec<String> {
            page_window(current, count)
                .into_iter()
                .map(|n| n.map_or("…".to_owned(), |n| n.to_string()))
                .collect()
        };
        assert_eq!(shown(1, 1), ["1"]);
        assert_eq!(shown(1, 682), ["1", "2", "3", "…", "682"]);
        assert_eq!(
            shown(5, 682),
            ["1", "…", "3", "4", "5", "6", "7", "…", "682"]
        );
        assert_eq!(shown(4, 7), ["1", "2", "3", "4", "5", "6", "7"]);
        assert_eq!(shown(682, 682), ["1", "…", "680", "681", "682"]);
    }
}
