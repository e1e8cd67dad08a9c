//! Product pages: gallery, VAT-included price, variants with their stock, details.

use askama::Template;
use axum::Router;
use axum::extract::Path;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;
use comptoir_domain::{Product, SiteCode, StockState, Visibility};

use super::views::{self, Layout, Link};
use crate::extract::Shop;
use crate::responses::moved_permanently;
use crate::{AppState, HttpError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/p/{key}", get(product))
        .route("/p/{key}/", get(product_with_slash))
}

/// One choice of a configurable product (a size or a colour).
struct VariantOption {
    sku: String,
    label: String,
    stock_label: &'static str,
    stock_class: &'static str,
    available: bool,
}

struct Detail {
    label: &'static str,
    value: String,
}

#[derive(Template)]
#[template(path = "product.html")]
struct ProductPage<'a> {
    layout: Layout<'a>,
    breadcrumbs: Vec<Link<'a>>,
    name: String,
    description: String,
    /// Paths under `/static/`.
    images: &'a [String],
    price: String,
    regular_price: Option<String>,
    vat_note: String,
    stock_label: &'static str,
    stock_class: &'static str,
    /// What the variants differ by (`Talla`, `Couleur`), when there is a choice.
    option_label: Option<&'static str>,
    options: Vec<VariantOption>,
    details: Vec<Detail>,
    /// The variant a product without choices is sold as.
    only_variant: Option<String>,
    /// Whether anything of the product can be bought now.
    can_buy: bool,
}

async fn product_with_slash(shop: Shop, Path(key): Path<String>) -> Result<Response, HttpError> {
    let snapshot = &shop.snapshot;
    let index = snapshot
        .product_by_key(shop.locale(), &key)
        .ok_or(HttpError::NotFound)?;
    let product = snapshot.product(index).ok_or(HttpError::NotFound)?;
    Ok(moved_permanently(&shop.product_url(product)))
}

async fn product(shop: Shop, Path(key): Path<String>) -> Result<Response, HttpError> {
    let (snapshot, site, locale) = (&shop.snapshot, shop.site, shop.locale());
    let Some(index) = snapshot.product_by_key(locale, &key) else {
        // The product's URL in another language: send the visitor to this one's.
        let product = snapshot
            .product_by_foreign_key(&key)
            .and_then(|i| snapshot.product(i));
        return match product.filter(|p| shown_on(p, site)) {
            Some(product) => Ok(moved_permanently(&shop.product_url(product))),
            None => Err(HttpError::NotFound),
        };
    };
    let product = snapshot
        .product(index)
        .filter(|p| shown_on(p, site))
        .ok_or(HttpError::NotFound)?;
    // The same page for every visitor (no form token, no cookie): a cache may
    // serve it to all.
    Ok(Html(render(&shop, product)?).into_response())
}

/// A product has a page on a site when it is enabled and sold there, even if it is
/// listed only in search results.
pub fn shown_on(product: &Product, site: SiteCode) -> bool {
    product.enabled
        && product
            .site(site)
            .is_some_and(|offer| offer.visibility != Visibility::NotVisible)
}

fn render(shop: &Shop, product: &Product) -> Result<String, HttpError> {
    let (snapshot, site, locale, t) = (&shop.snapshot, shop.site, shop.locale(), shop.t());
    let offer = product.site(site).ok_or(HttpError::NotFound)?;
    let now = Utc::now();
    let rate = site.standard_vat_rate();
    let has_sizes = product.variants.iter().any(|v| v.size.is_some());
    let has_colours = product.variants.iter().any(|v| v.colour.is_some());
    let options = if has_sizes || has_colours {
        product
            .variants
            .iter()
            .map(|variant| {
                let label = match (&variant.size, &variant.colour) {
                    (Some(size), Some(colour)) => format!(
                        "{} · {}",
                        snapshot.option_label("size", size, locale),
                        snapshot.option_label("colour", colour, locale)
                    ),
                    (Some(size), None) => snapshot.option_label("size", size, locale).to_owned(),
                    (None, Some(colour)) => {
                        snapshot.option_label("colour", colour, locale).to_owned()
                    }
                    (None, None) => variant.sku.to_string(),
                };
                let state = StockState::from_quantity(variant.stock);
                VariantOption {
                    sku: variant.sku.to_string(),
                    label,
                    stock_label: t.stock(state),
                    stock_class: views::stock_class(state),
                    available: state != StockState::OutOfStock,
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut details = Vec::new();
    if let Some(theme) = &product.theme {
        details.push(Detail {
            label: t.theme,
            value: snapshot.option_label("theme", theme, locale).to_owned(),
        });
    }
    if let Some(gender) = product.gender {
        details.push(Detail {
            label: t.gender,
            value: t.gender_label(gender).to_owned(),
        });
    }
    if let Some(age_group) = product.age_group {
        details.push(Detail {
            label: t.age_group,
            value: t.age_group_label(age_group).to_owned(),
        });
    }
    details.push(Detail {
        label: t.reference,
        value: product.sku.to_string(),
    });
    let name = product.names[locale].clone();
    let page = ProductPage {
        layout: Layout::new(shop, name.clone(), Some(shop.product_url(product))),
        breadcrumbs: breadcrumbs(shop, product),
        description: product.descriptions[locale].clone(),
        images: &product.images,
        price: offer.effective(now).format(locale),
        regular_price: offer.on_sale(now).then(|| offer.price.format(locale)),
        vat_note: format!("{} ({})", t.vat_included, rate.label()),
        stock_label: t.stock(product.stock_state()),
        stock_class: views::stock_class(product.stock_state()),
        option_label: match (has_sizes, has_colours) {
            (true, _) => Some(t.size),
            (false, true) => Some(t.colour),
            _ => None,
        },
        only_variant: match product.variants.as_slice() {
            [only] if options.is_empty() => Some(only.sku.to_string()),
            _ => None,
        },
        can_buy: product.stock_state() != StockState::OutOfStock,
        options,
        details,
        name,
    };
    Ok(views::render_page(&page)?)
}

/// The trail to the product's deepest enabled category.
fn breadcrumbs<'a>(shop: &'a Shop, product: &Product) -> Vec<Link<'a>> {
    let snapshot = &shop.snapshot;
    let deepest = product
        .categories
        .iter()
        .filter_map(|(id, position)| {
            let index = snapshot.category_by_id(*id)?;
            let node = snapshot.category(index);
            node.category.enabled.then_some((
                std::cmp::Reverse(node.ancestors.len()),
                *position,
                index,
            ))
        })
        .min();
    let Some((_, _, index)) = deepest else {
        return Vec::new();
    };
    let node = snapshot.category(index);
    node.ancestors
        .iter()
        .chain(std::iter::once(&index))
        .map(|&i| views::category_link(shop, i))
        .collect()
}
