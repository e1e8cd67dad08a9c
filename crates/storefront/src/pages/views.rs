//! What templates show, prepared from the snapshot: links are absolute URLs on the
//! site's base URL, amounts are formatted for the site's locale. Texts are borrowed
//! from the snapshot rather than copied, since pages are rendered on the hot path.

use chrono::{DateTime, Utc};
use comptoir_domain::{Product, SiteCode, StockState};

use crate::AppState;
use crate::i18n::Texts;
use crate::snapshot::{CategoryIndex, Snapshot};

pub struct Link<'a> {
    pub label: &'a str,
    pub url: String,
}

/// The frame every page shares: header, navigation, footer.
pub struct Layout<'a> {
    pub t: &'static Texts,
    pub lang: &'static str,
    pub title: String,
    /// The page's canonical URL, when it has one.
    pub canonical: Option<String>,
    pub home_url: String,
    /// Top-level categories.
    pub nav: Vec<Link<'a>>,
    /// The other countries' home pages, each named in its own language.
    pub other_sites: Vec<Link<'static>>,
    /// Where the search box sends its query.
    pub search_url: String,
    /// What the search box shows (the current query on the search page).
    pub search_query: String,
}

impl<'a> Layout<'a> {
    pub fn new(
        state: &AppState,
        snapshot: &'a Snapshot,
        site: SiteCode,
        title: String,
        canonical: Option<String>,
    ) -> Layout<'a> {
        let nav = snapshot
            .roots()
            .iter()
            .map(|&root| category_link(state, snapshot, site, root))
            .collect();
        Layout {
            t: Texts::of(site.locale()),
            lang: site.locale().html_lang(),
            title,
            canonical,
            home_url: state.sites.base(site).join(""),
            search_url: state
                .sites
                .base(site)
                .join(Texts::of(site.locale()).search_path),
            search_query: String::new(),
            nav,
            other_sites: SiteCode::ALL
                .into_iter()
                .filter(|other| *other != site)
                .map(|other| Link {
                    label: other.country_name(),
                    url: state.sites.base(other).join(""),
                })
                .collect(),
        }
    }
}

pub fn category_url(
    state: &AppState,
    snapshot: &Snapshot,
    site: SiteCode,
    category: CategoryIndex,
) -> String {
    let path = &snapshot.category(category).paths[site.locale()];
    state.sites.base(site).join(&format!("c/{path}"))
}

pub fn category_link<'a>(
    state: &AppState,
    snapshot: &'a Snapshot,
    site: SiteCode,
    category: CategoryIndex,
) -> Link<'a> {
    Link {
        label: &snapshot.category(category).category.names[site.locale()],
        url: category_url(state, snapshot, site, category),
    }
}

pub fn product_url(state: &AppState, site: SiteCode, product: &Product) -> String {
    state
        .sites
        .base(site)
        .join(&format!("p/{}", product.url_keys[site.locale()]))
}

/// CSS modifier of a stock state.
pub fn stock_class(state: StockState) -> &'static str {
    match state {
        StockState::InStock => "in-stock",
        StockState::Low => "low",
        StockState::OutOfStock => "out",
    }
}

/// A product in a grid of products.
pub struct ProductCard<'a> {
    pub name: &'a str,
    pub url: String,
    /// Path of the main image under `/static/`.
    pub image: &'a str,
    pub price: String,
    /// The regular price, shown struck through while a sale runs.
    pub regular_price: Option<String>,
    pub stock_label: &'static str,
    /// CSS modifier: `in-stock`, `low` or `out`.
    pub stock_class: &'static str,
}

impl<'a> ProductCard<'a> {
    /// The card of a product sold on `site` (`None` if it is not), priced at `now`.
    pub fn new(
        state: &AppState,
        site: SiteCode,
        product: &'a Product,
        now: DateTime<Utc>,
    ) -> Option<ProductCard<'a>> {
        let offer = product.site(site)?;
        let locale = site.locale();
        let stock = product.stock_state();
        Some(ProductCard {
            name: &product.names[locale],
            url: product_url(state, site, product),
            image: product.images.first().map_or("", String::as_str),
            price: offer.effective(now).format(locale),
            regular_price: offer.on_sale(now).then(|| offer.price.format(locale)),
            stock_label: Texts::of(locale).stock(stock),
            stock_class: stock_class(stock),
        })
    }
}

/// Renders a page into a buffer sized for a whole page, saving the reallocations of
/// growing one.
pub fn render_page(page: &impl askama::Template) -> Result<String, askama::Error> {
    let mut html = String::with_capacity(32 * 1024);
    page.render_into(&mut html)?;
    Ok(html)
}
