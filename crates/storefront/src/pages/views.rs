//! What templates show, prepared from the snapshot: links are absolute URLs on the
//! site's base URL, amounts are formatted for the site's locale.

use chrono::Utc;
use comptoir_domain::{Locale, Product, SiteCode};

use crate::AppState;
use crate::i18n::Texts;
use crate::snapshot::{CategoryIndex, Snapshot};

pub struct Link {
    pub label: String,
    pub url: String,
}

/// The frame every page shares: header, navigation, footer.
pub struct Layout {
    pub t: &'static Texts,
    pub lang: &'static str,
    pub title: String,
    /// The page's canonical URL, when it has one.
    pub canonical: Option<String>,
    pub home_url: String,
    /// Top-level categories.
    pub nav: Vec<Link>,
    /// The other countries' home pages, each named in its own language.
    pub other_sites: Vec<Link>,
}

impl Layout {
    pub fn new(
        state: &AppState,
        snapshot: &Snapshot,
        site: SiteCode,
        title: String,
        canonical: Option<String>,
    ) -> Layout {
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
            nav,
            other_sites: SiteCode::ALL
                .into_iter()
                .filter(|other| *other != site)
                .map(|other| Link {
                    label: other.country_name().to_owned(),
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

pub fn category_link(
    state: &AppState,
    snapshot: &Snapshot,
    site: SiteCode,
    category: CategoryIndex,
) -> Link {
    Link {
        label: snapshot.category(category).category.names[site.locale()].clone(),
        url: category_url(state, snapshot, site, category),
    }
}

pub fn product_url(state: &AppState, site: SiteCode, product: &Product) -> String {
    state
        .sites
        .base(site)
        .join(&format!("p/{}", product.url_keys[site.locale()]))
}

/// Where a product's image is served.
pub fn image_url(path: &str) -> String {
    format!("/static/{path}")
}

/// A product in a grid of products.
pub struct ProductCard {
    pub name: String,
    pub url: String,
    pub image: String,
    pub price: String,
    /// The regular price, shown struck through while a sale runs.
    pub regular_price: Option<String>,
    pub stock_label: &'static str,
    /// CSS modifier: `in-stock`, `low` or `out`.
    pub stock_class: &'static str,
}

pub fn stock_class(state: comptoir_domain::StockState) -> &'static str {
    match state {
        comptoir_domain::StockState::InStock => "in-stock",
        comptoir_domain::StockState::Low => "low",
        comptoir_domain::StockState::OutOfStock => "out",
    }
}

impl ProductCard {
    /// The card of a product listed on `site` (`None` if it is not).
    pub fn new(state: &AppState, site: SiteCode, product: &Product) -> Option<ProductCard> {
        let offer = product.site(site)?;
        let locale: Locale = site.locale();
        let now = Utc::now();
        let texts = Texts::of(locale);
        Some(ProductCard {
            name: product.names[locale].clone(),
            url: product_url(state, site, product),
            image: product
                .images
                .first()
                .map(|path| image_url(path))
                .unwrap_or_default(),
            price: offer.effective(now).format(locale),
            regular_price: offer.on_sale(now).then(|| offer.price.format(locale)),
            stock_label: texts.stock(product.stock_state()),
            stock_class: stock_class(product.stock_state()),
        })
    }
}
