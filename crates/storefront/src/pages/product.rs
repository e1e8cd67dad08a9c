//! Product pages: gallery, VAT-included price, variants with their stock, details.

use std::borrow::Cow;

use askama::Template;
use axum::Router;
use axum::extract::Path;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;
use comptoir_domain::checkout;
use comptoir_domain::price_tiers;
use comptoir_domain::{
    COLOUR, LinkKind, Locale, Money, Product, SIZE, SiteCode, StockState, Visibility,
};

use super::seo::{self, Seo};
use super::views::{self, Layout, Link, Picture, ProductCard, Reduction};
use crate::ShopSettings;
use crate::extract::Shop;
use crate::i18n::{ShopTexts, Texts};
use crate::responses::moved_permanently;
use crate::snapshot::{CategoryIndex, Snapshot};
use crate::{AppState, HttpError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/p/{key}", get(product))
        .route("/p/{key}/", get(product_with_slash))
}

/// One choice of a configurable product told apart by one attribute (a size or
/// a colour): a variant, with its stock.
struct VariantOption {
    sku: String,
    label: String,
    stock_label: &'static str,
    stock_class: &'static str,
    available: bool,
}

/// The values of one attribute of a product chosen by several (a size group, a
/// gender group): the form sends one of each, the server finds the variant.
struct ChoiceGroup {
    attribute: String,
    legend: String,
    values: Vec<ChoiceValue>,
    /// For the size group.
    size_guide_url: Option<String>,
}

struct ChoiceValue {
    value: String,
    label: String,
    /// Whether some variant with it can be bought.
    available: bool,
}

/// A variant as the product page's script reads it, to say the price and stock
/// of the values picked.
#[derive(serde::Serialize)]
struct ChosenVariant<'a> {
    values: std::collections::HashMap<&'a str, &'a str>,
    price: String,
    stock: &'static str,
    available: bool,
}

/// An option picked on top of the variant (Magento's custom options): its field's
/// name, title, and values as (value id, label with its surcharge).
struct OptionField {
    name: String,
    title: String,
    required: bool,
    values: Vec<(i64, String)>,
}

/// An image of the gallery, and its thumbnail below it.
struct GalleryImage<'a> {
    picture: Picture<'a>,
    thumbnail: Cow<'a, str>,
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
    short_description: String,
    brand: Option<String>,
    is_new: bool,
    /// Paths under `/static/`.
    images: Vec<GalleryImage<'a>>,
    price: String,
    reduction: Option<Reduction>,
    /// Lower unit prices by quantity, a line each.
    tiers: Vec<String>,
    vat_note: String,
    stock_label: &'static str,
    stock_class: &'static str,
    /// What the variants differ by (`Talla`, `Couleur`), when there is a choice
    /// of one attribute.
    option_label: Option<String>,
    options: Vec<VariantOption>,
    /// When the variants differ by several attributes: a group for each.
    groups: Vec<ChoiceGroup>,
    /// The variants as JSON for the groups' script.
    variants_json: String,
    product_id: i64,
    /// When variants or options cost more or less than the price shown.
    price_varies: bool,
    /// Options picked on top of the variant.
    product_options: Vec<OptionField>,
    /// The fewest units the product is sold by (Magento's `min_sale_qty`).
    minimum_units: u32,
    details: Vec<Detail>,
    /// The variant a product without choices is sold as.
    only_variant: Option<String>,
    /// Whether anything of the product can be bought now.
    can_buy: bool,
    /// Shipping, delivery time and returns, a line each.
    facts: &'a [String],
    /// For hygiene goods, which the right of withdrawal leaves out once unsealed.
    hygiene_note: Option<&'static str>,
    /// Products of the same category, of the same theme first.
    related: Vec<ProductCard<'a>>,
    /// For a product sold in sizes.
    size_guide_url: Option<String>,
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
    let now = Utc::now();
    let tag = snapshot
        .price_tag(product, site, now)
        .ok_or(HttpError::NotFound)?;
    let rate = site.standard_vat_rate();
    let offer = product.site(site).ok_or(HttpError::NotFound)?;
    let attributes = product.choice_attributes();
    let value_label = |attribute: &str, value: &str| match attribute {
        SIZE | COLOUR => snapshot.option_label(attribute, value, locale).to_owned(),
        _ => value.to_owned(),
    };
    let options = match attributes.as_slice() {
        [attribute] => product
            .variants
            .iter()
            .map(|variant| {
                let value = variant.value_of(attribute).unwrap_or(variant.sku.as_str());
                let state = variant.stock_state();
                VariantOption {
                    sku: variant.sku.to_string(),
                    label: value_label(attribute, value)
                        + &surcharge_note(variant.surcharge(site), locale),
                    stock_label: t.stock(state),
                    stock_class: views::stock_class(state),
                    available: state != StockState::OutOfStock,
                }
            })
            .collect(),
        _ => Vec::new(),
    };
    let groups: Vec<ChoiceGroup> = if attributes.len() > 1 {
        attributes
            .iter()
            .map(|&attribute| ChoiceGroup {
                attribute: attribute.to_owned(),
                legend: views::choice_legend(snapshot, attribute, locale),
                values: product
                    .values_of(attribute)
                    .into_iter()
                    .map(|value| ChoiceValue {
                        value: value.to_owned(),
                        label: value_label(attribute, value),
                        available: product.variants.iter().any(|v| {
                            v.value_of(attribute) == Some(value)
                                && v.stock_state() != StockState::OutOfStock
                        }),
                    })
                    .collect(),
                size_guide_url: (attribute == SIZE).then(|| shop.url(t.size_guide_path)),
            })
            .collect()
    } else {
        Vec::new()
    };
    let variants_json = if groups.is_empty() {
        String::new()
    } else {
        let chosen: Vec<ChosenVariant<'_>> = product
            .variants
            .iter()
            .map(|variant| ChosenVariant {
                values: attributes
                    .iter()
                    .filter_map(|&a| Some((a, variant.value_of(a)?)))
                    .collect(),
                price: variant.unit_price(offer, site, now).format(locale),
                stock: t.stock(variant.stock_state()),
                available: variant.stock_state() != StockState::OutOfStock,
            })
            .collect();
        // Inside a <script> element: no `<` may close it.
        serde_json::to_string(&chosen)
            .map_err(HttpError::internal)?
            .replace('<', "\\u003c")
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
    if let Some(brand) = &product.facts.brand {
        details.push(Detail {
            label: t.brand,
            value: brand.clone(),
        });
    }
    details.push(Detail {
        label: t.reference,
        value: product.sku.to_string(),
    });
    if let Some(gtin) = &product.facts.gtin {
        details.push(Detail {
            label: t.barcode,
            value: gtin.to_string(),
        });
    }
    if let Some(grams) = product.facts.weight_grams {
        details.push(Detail {
            label: t.weight,
            value: weight(grams),
        });
    }
    let name = product.names[locale].clone();
    let url = shop.product_url(product);
    let facts = &shop.state.delivery_facts[site.index()];
    let breadcrumbs = breadcrumbs(shop, product);
    let title = product.meta[locale]
        .written_title()
        .map_or_else(|| name.clone(), str::to_owned);
    let mut layout = Layout::new(shop, title, Some(url.clone()));
    layout.seo = Some(head(shop, product, &url, &breadcrumbs, facts, now));
    let page = ProductPage {
        layout,
        breadcrumbs,
        description: product.descriptions[locale].clone(),
        short_description: product.facts.short_descriptions[locale].clone(),
        brand: product.facts.brand.clone(),
        is_new: views::is_new(product, site, now),
        images: product
            .images
            .iter()
            .map(|path| GalleryImage {
                picture: Picture::of(snapshot, path),
                thumbnail: Picture::thumbnail(snapshot, path),
            })
            .collect(),
        price: tag.price.format(locale),
        reduction: Reduction::of(tag, locale),
        tiers: price_tiers::listed_tiers(&product.price_tiers, site, tag.price)
            .into_iter()
            .map(|(units, price)| {
                t.tier_price
                    .replace("{n}", &units.to_string())
                    .replace("{price}", &price.format(locale))
            })
            .collect(),
        vat_note: format!("{} ({})", t.vat_included, rate.label()),
        stock_label: t.stock(product.stock_state()),
        stock_class: views::stock_class(product.stock_state()),
        option_label: match attributes.as_slice() {
            [attribute] => Some(views::choice_legend(snapshot, attribute, locale)),
            _ => None,
        },
        only_variant: match product.variants.as_slice() {
            [only] if attributes.is_empty() => Some(only.sku.to_string()),
            _ => None,
        },
        price_varies: product
            .variants
            .iter()
            .any(|v| v.surcharge(site).cents() != 0)
            || product
                .options
                .iter()
                .flat_map(|o| &o.values)
                .any(|v| v.surcharge(site).cents() != 0),
        product_options: product
            .options
            .iter()
            .map(|option| OptionField {
                name: format!("option-{}", option.id),
                title: option.titles[locale].clone(),
                required: option.required,
                values: option
                    .values
                    .iter()
                    .map(|value| {
                        let label = value.titles[locale].clone()
                            + &surcharge_note(value.surcharge(site), locale);
                        (value.id, label)
                    })
                    .collect(),
            })
            .collect(),
        minimum_units: product
            .variants
            .iter()
            .map(|v| v.sale_units.min)
            .min()
            .unwrap_or(1),
        product_id: product.id.0,
        variants_json,
        groups,
        can_buy: product.stock_state() != StockState::OutOfStock,
        facts,
        hygiene_note: hygiene_sealed(snapshot, product).then_some(t.hygiene_returns),
        related: related(shop, product, now),
        size_guide_url: (attributes.as_slice() == [SIZE]).then(|| shop.url(t.size_guide_path)),
        options,
        details,
        name,
    };
    Ok(views::render_page(&page)?)
}

/// A weight as shoppers of all four sites read it: `450 g`, `1,25 kg`.
fn weight(grams: u32) -> String {
    if grams < 1000 {
        return format!("{grams}\u{a0}g");
    }
    // To the nearest 10 g, trailing zeros dropped.
    let centikilos = (grams + 5) / 10;
    let (whole, hundredths) = (centikilos / 100, centikilos % 100);
    match hundredths {
        0 => format!("{whole}\u{a0}kg"),
        h if h % 10 == 0 => format!("{whole},{}\u{a0}kg", h / 10),
        h => format!("{whole},{h:02}\u{a0}kg"),
    }
}

/// A surcharge shown by the choice it comes with: " (+5,00 €)" in "XXL (+5,00 €)";
/// nothing without one.
fn surcharge_note(surcharge: Money, locale: Locale) -> String {
    match surcharge.cents() {
        0 => String::new(),
        cents if cents > 0 => format!(" (+{})", surcharge.format(locale)),
        _ => format!(" ({})", surcharge.format(locale)),
    }
}

/// The product's head: the meta description staff wrote, else its own description,
/// else its name, price and delivery facts; its page on each site that sells it, its
/// main image and its offers.
fn head(
    shop: &Shop,
    product: &Product,
    url: &str,
    breadcrumbs: &[Link<'_>],
    facts: &[String],
    now: chrono::DateTime<Utc>,
) -> Seo {
    let locale = shop.locale();
    let own = comptoir_domain::rich_text::plain_text(&product.descriptions[locale]);
    let description = if let Some(written) = product.meta[locale].written_description() {
        written.to_owned()
    } else if own.is_empty() {
        let price = shop
            .snapshot
            .price_tag(product, shop.site, now)
            .map(|tag| tag.price.format(locale));
        seo::sentences(
            std::iter::once(product.names[locale].as_str())
                .chain(price.as_deref())
                .chain(facts.iter().map(String::as_str)),
        )
    } else {
        own
    };
    let images: Vec<String> = product
        .images
        .iter()
        .map(|path| shop.absolute(&Picture::large(&shop.snapshot, path)))
        .collect();
    let mut head = Seo::new(
        shop,
        &description,
        SiteCode::ALL
            .into_iter()
            .filter(|site| shown_on(product, *site)),
        |site| shop.product_url_on(site, product),
    );
    head.kind = "product";
    head.image = images.first().cloned();
    head.keywords = product.facts.keywords[locale].trim().to_owned();
    let trail = seo::breadcrumb_list(shop, breadcrumbs, &product.names[locale], url);
    head.with_product(
        shop,
        seo::ProductFacts {
            product,
            url,
            description: &description,
            images,
            now,
        },
    )
    .with_data(&trail)
}

/// What a shopper checks before buying, the same for every product of `site` (so
/// made once, at start): shipping to the site's country (and from which amount it is
/// free), delivery time, the right of withdrawal.
pub fn delivery_facts(settings: &ShopSettings, site: SiteCode) -> Vec<String> {
    let (t, s) = (Texts::of(site.locale()), ShopTexts::of(site.locale()));
    let country = checkout::home_country(site);
    let rates = &settings.shipping_rates;
    let mut facts = Vec::with_capacity(3);
    if let Some(cost) = rates.cost(country, comptoir_domain::Money::eur(0)) {
        let amount = match cost.cents() {
            0 => s.free.to_owned(),
            _ => cost.format(site.locale()),
        };
        let mut shipping = t
            .shipping_to
            .replace("{country}", s.country_name(country))
            .replace("{amount}", &amount);
        if let Some(threshold) = rates.free_from(country).filter(|_| cost.cents() > 0) {
            shipping.push_str(" · ");
            shipping.push_str(
                &t.free_shipping_from
                    .replace("{amount}", &threshold.format(site.locale())),
            );
        }
        facts.push(shipping);
    }
    let (fewest, most) = checkout::DELIVERY_TIME.total();
    facts.push(
        t.delivery_time
            .replace("{min}", &fewest.to_string())
            .replace("{max}", &most.to_string()),
    );
    facts.push(
        t.returns
            .replace("{days}", &checkout::WITHDRAWAL_DAYS.to_string()),
    );
    facts
}

/// Products related to this one: in stock in its deepest category, those of its
/// theme first. Only the start of the category's listing is read, and no further
/// than needed, so a big category costs no more than a small one.
fn related<'a>(
    shop: &'a Shop,
    product: &Product,
    now: chrono::DateTime<Utc>,
) -> Vec<ProductCard<'a>> {
    const SHOWN: usize = 4;
    const READ: usize = 200;
    let snapshot = &shop.snapshot;
    // Those staff linked come first: the better ones (up-sells), then the related.
    let linked = [LinkKind::UpSell, LinkKind::Related]
        .into_iter()
        .flat_map(|kind| product.links.iter().filter(move |link| link.kind == kind));
    let mut chosen = views::linked_products(snapshot, shop.site, linked, &[product.id], SHOWN);
    if let Some(category) = deepest_category(snapshot, product)
        && chosen.len() < SHOWN
    {
        let wanted = SHOWN - chosen.len();
        let mut same_theme: Vec<&Product> = Vec::with_capacity(wanted);
        let mut others: Vec<&Product> = Vec::with_capacity(wanted);
        for other in snapshot
            .listing(shop.site, category, crate::snapshot::SortOrder::Position)
            .iter()
            .take(READ)
            .filter_map(|&index| snapshot.product(index))
        {
            let theme_matches = product.theme.is_some() && other.theme == product.theme;
            let list = if theme_matches {
                &mut same_theme
            } else {
                &mut others
            };
            if list.len() < wanted
                && other.id != product.id
                && other.stock_state() != StockState::OutOfStock
                && !chosen.iter().any(|c| c.id == other.id)
            {
                list.push(other);
            }
            if same_theme.len() == wanted {
                break;
            }
        }
        chosen.extend(same_theme.into_iter().chain(others).take(wanted));
    }
    chosen
        .into_iter()
        .filter_map(|other| ProductCard::new(shop, other, now))
        .take(SHOWN)
        .collect()
}

/// Whether the product is a hygiene good: placed in a category marked so, or below
/// one.
fn hygiene_sealed(snapshot: &Snapshot, product: &Product) -> bool {
    let sealed = |index: CategoryIndex| snapshot.category(index).category.hygiene_sealed;
    product
        .categories
        .iter()
        .filter_map(|(id, _)| snapshot.category_by_id(*id))
        .any(|index| {
            sealed(index)
                || snapshot
                    .category(index)
                    .ancestors
                    .iter()
                    .any(|&a| sealed(a))
        })
}

/// The trail to the product's deepest enabled category.
fn breadcrumbs<'a>(shop: &'a Shop, product: &Product) -> Vec<Link<'a>> {
    let Some(index) = deepest_category(&shop.snapshot, product) else {
        return Vec::new();
    };
    let node = shop.snapshot.category(index);
    node.ancestors
        .iter()
        .chain(std::iter::once(&index))
        .map(|&i| views::category_link(shop, i))
        .collect()
}

/// The product's deepest enabled category (its first placed, among equals).
fn deepest_category(snapshot: &Snapshot, product: &Product) -> Option<CategoryIndex> {
    product
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
        .min()
        .map(|(_, _, index)| index)
}

#[cfg(test)]
mod tests {
    use super::weight;

    #[test]
    fn weights_in_grams_then_kilograms() {
        assert_eq!(weight(450), "450\u{a0}g");
        assert_eq!(weight(1000), "1\u{a0}kg");
        assert_eq!(weight(1250), "1,25\u{a0}kg");
        assert_eq!(weight(2005), "2,01\u{a0}kg");
        assert_eq!(weight(1500), "1,5\u{a0}kg");
        assert_eq!(weight(1050), "1,05\u{a0}kg");
    }
}
