//! The search page (at a translated path: `/buscar`, `/recherche`, `/pesquisa`,
//! `/cerca`) and the autocomplete endpoint.

use askama::Template;
use axum::extract::RawQuery;
use axum::http::{StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use comptoir_domain::Locale;
use comptoir_domain::slug::slugify;
use comptoir_search::{SearchRequest, SearchSort};
use serde::Serialize;

use super::facets::{ListingParams, facet_views, render_panel};
use super::views::{self, Layout, Link, Picture, ProductCard};
use crate::extract::Shop;
use crate::i18n::Texts;
use crate::responses::moved_permanently;
use crate::snapshot::{CategoryIndex, Snapshot};
use crate::{AppState, HttpError};

pub fn router() -> Router<AppState> {
    let mut router = Router::new().route("/autocomplete", get(autocomplete));
    for locale in Locale::ALL {
        router = router.route(&format!("/{}", Texts::of(locale).search_path), get(search));
    }
    router
}

/// Results per page.
const PAGE_SIZE: u32 = 24;

pub struct SortLink {
    pub label: &'static str,
    pub url: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage<'a> {
    layout: Layout<'a>,
    query: String,
    total: u64,
    products: Vec<ProductCard<'a>>,
    /// The filter panel, rendered (and escaped) by its own template.
    facets_html: String,
    sorts: Vec<SortLink>,
    previous: Option<String>,
    next: Option<String>,
    /// A corrected query and its results' URL.
    did_you_mean: Option<(String, String)>,
    /// Entry points when there is nothing to show: no query, or nothing found.
    departments: Vec<Link<'a>>,
    unavailable: bool,
}

async fn search(shop: Shop, uri: Uri, RawQuery(raw): RawQuery) -> Result<Response, HttpError> {
    let (state, snapshot, site, t) = (&shop.state, &shop.snapshot, shop.site, shop.t());
    let base = shop.url(t.search_path);
    let params = ListingParams::parse(raw.as_deref())?;
    if uri.path() != format!("/{}", t.search_path) {
        // Another language's search path: this site's own.
        return Ok(moved_permanently(&params.url(&base)));
    }
    params.check_values(snapshot)?;
    let sort = params.sort_or(SearchSort::Relevance, SearchSort::parse)?;
    let page = params.page_number()?;
    if page == 1 && params.page.is_some() {
        // `?page=1` is the bare URL.
        return Ok(moved_permanently(&params.with_page(1).url(&base)));
    }
    let departments: Vec<Link<'_>> = snapshot
        .roots()
        .iter()
        .map(|&root| views::category_link(&shop, root))
        .collect();
    let title = if params.query.is_empty() {
        t.search.to_owned()
    } else {
        format!("{} «{}»", t.results_for, params.query)
    };
    let mut layout = Layout::new(&shop, title, None);
    layout.search_query = params.query.clone();
    layout.noindex = true;
    let mut page_view = SearchPage {
        layout,
        query: params.query.clone(),
        total: 0,
        products: Vec::new(),
        facets_html: String::new(),
        sorts: Vec::new(),
        previous: None,
        next: None,
        did_you_mean: None,
        departments,
        unavailable: false,
    };
    if params.query.trim().is_empty() && params.filters.is_empty() {
        // Nothing asked: the category browser.
        return Ok(Html(views::render_page(&page_view)?).into_response());
    }
    let request = SearchRequest {
        query: params.query.clone(),
        within_category: None,
        filters: params.filters.clone(),
        sort,
        page,
        per_page: PAGE_SIZE,
        ..SearchRequest::default()
    };
    let results = match state.search.search(site, &request).await {
        Ok(results) => results,
        Err(error) => {
            tracing::warn!(%error, "search unavailable");
            page_view.unavailable = true;
            let body = views::render_page(&page_view)?;
            return Ok((StatusCode::SERVICE_UNAVAILABLE, Html(body)).into_response());
        }
    };
    let now = chrono::Utc::now();
    page_view.total = results.total;
    page_view.products = results
        .products
        .iter()
        .filter_map(|id| snapshot.product_by_id(comptoir_domain::ProductId(*id)))
        .filter_map(|i| ProductCard::new(&shop, snapshot.product(i)?, now))
        .collect();
    let facets = facet_views(
        &base,
        &params,
        &results.facets,
        snapshot,
        site.locale(),
        &facet_categories(snapshot),
    );
    let clear_filters = (!params.filters.is_empty()).then(|| {
        ListingParams {
            query: params.query.clone(),
            sort: params.sort.clone(),
            ..ListingParams::default()
        }
        .url(&base)
    });
    page_view.facets_html = render_panel(site.locale(), &facets, clear_filters.as_deref())?;
    page_view.sorts = SearchSort::ALL
        .into_iter()
        .map(|s| SortLink {
            label: sort_label(t, s),
            url: ListingParams {
                sort: (s != SearchSort::Relevance).then(|| s.code().to_owned()),
                page: None,
                ..params.clone()
            }
            .url(&base),
            current: s == sort,
        })
        .collect();
    let pages = results.total.div_ceil(u64::from(PAGE_SIZE)).max(1);
    let page = u64::from(page);
    if page > pages {
        return Err(HttpError::NotFound);
    }
    page_view.previous = (page > 1).then(|| params.with_page(page as usize - 1).url(&base));
    page_view.next = (page < pages).then(|| params.with_page(page as usize + 1).url(&base));
    page_view.did_you_mean = results.did_you_mean.map(|suggestion| {
        let url = ListingParams {
            query: suggestion.clone(),
            ..ListingParams::default()
        }
        .url(&base);
        (suggestion, url)
    });
    Ok(Html(views::render_page(&page_view)?).into_response())
}

/// Categories offered as search facets: the departments and their sections.
fn facet_categories(snapshot: &Snapshot) -> Vec<CategoryIndex> {
    snapshot
        .roots()
        .iter()
        .flat_map(|&root| {
            std::iter::once(root).chain(snapshot.category(root).children.iter().copied())
        })
        .collect()
}

pub fn sort_label(t: &Texts, sort: SearchSort) -> &'static str {
    match sort {
        SearchSort::Relevance => t.sort_relevance,
        SearchSort::PriceAscending => t.sort_price_asc,
        SearchSort::PriceDescending => t.sort_price_desc,
        SearchSort::Newest => t.sort_newest,
        SearchSort::BestSellers => t.sort_best_sellers,
    }
}

#[derive(Serialize)]
struct Suggestions {
    products: Vec<ProductSuggestion>,
    categories: Vec<CategorySuggestion>,
}

#[derive(Serialize)]
struct ProductSuggestion {
    name: String,
    url: String,
    price: String,
    image: String,
}

#[derive(Serialize)]
struct CategorySuggestion {
    name: String,
    url: String,
}

/// Products and categories to suggest while typing.
const SUGGESTIONS: usize = 5;

/// `GET /autocomplete?q=…`: the top products and categories for what is typed so far.
async fn autocomplete(shop: Shop, RawQuery(raw): RawQuery) -> Response {
    let query = ListingParams::query_of(raw.as_deref());
    let (snapshot, site, locale) = (&shop.snapshot, shop.site, shop.locale());
    let mut suggestions = Suggestions {
        products: Vec::new(),
        categories: Vec::new(),
    };
    if query.chars().count() >= 2 {
        let request = SearchRequest {
            query: query.clone(),
            per_page: SUGGESTIONS as u32,
            products_only: true,
            ..SearchRequest::default()
        };
        if let Ok(results) = shop.state.search.search(site, &request).await {
            let now = chrono::Utc::now();
            suggestions.products = results
                .products
                .iter()
                .filter_map(|id| snapshot.product_by_id(comptoir_domain::ProductId(*id)))
                .filter_map(|i| snapshot.product(i))
                .filter_map(|product| {
                    let card = ProductCard::new(&shop, product, now)?;
                    let image = product.images.first().map_or("", String::as_str);
                    Some(ProductSuggestion {
                        name: card.name.to_owned(),
                        url: card.url,
                        price: card.price,
                        image: Picture::thumbnail(snapshot, image).into_owned(),
                    })
                })
                .collect();
        }
        suggestions.categories = matching_categories(snapshot, locale, &query)
            .into_iter()
            .take(SUGGESTIONS)
            .map(|index| CategorySuggestion {
                name: snapshot.category(index).category.names[locale].clone(),
                url: shop.category_url(index),
            })
            .collect();
    }
    (
        [(axum::http::header::CACHE_CONTROL, "public, max-age=60")],
        Json(suggestions),
    )
        .into_response()
}

/// Enabled categories with a name word starting with the query's last word (accents
/// and case folded), shallow ones first.
fn matching_categories(snapshot: &Snapshot, locale: Locale, query: &str) -> Vec<CategoryIndex> {
    let typed = slugify(query);
    let Some(last) = typed.rsplit('-').next().filter(|w| !w.is_empty()) else {
        return Vec::new();
    };
    let mut found: Vec<(usize, CategoryIndex)> = (0..snapshot.category_count() as CategoryIndex)
        .filter(|&i| {
            let node = snapshot.category(i);
            node.category.enabled
                && slugify(&node.category.names[locale])
                    .split('-')
                    .any(|word| word.starts_with(last))
        })
        .map(|i| (snapshot.category(i).ancestors.len(), i))
        .collect();
    found.sort_unstable();
    // "Bruja" is a section of several departments: suggest the name once.
    let mut names = std::collections::HashSet::new();
    found.retain(|(_, i)| names.insert(snapshot.category(*i).category.names[locale].as_str()));
    found.into_iter().map(|(_, i)| i).collect()
}
