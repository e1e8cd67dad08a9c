//! What an indexable page tells search engines and link previews besides its body:
//! a description, the same page on the other sites (`hreflang`), Open Graph tags and
//! structured data (schema.org JSON-LD, as Google documents it for product snippets
//! and merchant listings).

use chrono::{DateTime, Utc};
use comptoir_domain::checkout::{self, DELIVERY_TIME, WITHDRAWAL_DAYS};
use comptoir_domain::{Locale, Product, SiteCode, StockPolicy, StockState};
use serde::Serialize;
use serde_json::{Value, json};

use super::views::Link;
use crate::extract::Shop;

/// Longest meta description: what result pages show before cutting.
const DESCRIPTION_CHARS: usize = 160;

/// The page on one site, for `<link rel="alternate" hreflang>`.
pub struct Alternate {
    pub hreflang: &'static str,
    pub url: String,
}

/// The head of a page search engines may index, beyond its title and canonical URL.
pub struct Seo {
    pub description: String,
    /// `<meta name="keywords">`, where staff wrote them.
    pub keywords: String,
    /// The same page on every site that has it, this one included.
    pub alternates: Vec<Alternate>,
    /// For visitors of none of the sites' languages: the site chooser.
    pub x_default: Option<String>,
    /// `og:type`: `website` or `product`.
    pub kind: &'static str,
    /// `og:locale`, such as `es_ES`.
    pub og_locale: &'static str,
    /// An absolute image URL for link previews.
    pub image: Option<String>,
    /// JSON-LD documents, serialised for a `<script>` element.
    pub structured_data: Vec<String>,
}

impl Seo {
    /// The head of a page that exists on each of `sites` at `url_on(site)`.
    pub fn new(
        shop: &Shop,
        description: &str,
        sites: impl IntoIterator<Item = SiteCode>,
        url_on: impl Fn(SiteCode) -> String,
    ) -> Seo {
        Seo {
            description: describe(description),
            keywords: String::new(),
            alternates: sites
                .into_iter()
                .map(|site| Alternate {
                    hreflang: site.locale().html_lang(),
                    url: url_on(site),
                })
                .collect(),
            x_default: shop.state.sites.chooser().map(str::to_owned),
            kind: "website",
            og_locale: og_locale(shop.locale()),
            image: None,
            structured_data: Vec::new(),
        }
    }

    pub fn with_data(mut self, data: &impl Serialize) -> Seo {
        self.structured_data.push(script_text(data));
        self
    }
}

fn og_locale(locale: Locale) -> &'static str {
    match locale {
        Locale::Es => "es_ES",
        Locale::Fr => "fr_FR",
        Locale::Pt => "pt_PT",
        Locale::It => "it_IT",
    }
}

/// `text` on one line, cut at a word to at most [`DESCRIPTION_CHARS`] characters,
/// with an ellipsis when cut.
pub fn describe(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut description = String::new();
    let mut chars = 0;
    for (n, word) in words.iter().enumerate() {
        let length = word.chars().count() + usize::from(n > 0);
        // Room is kept for the ellipsis unless this is the last word.
        let room = DESCRIPTION_CHARS - usize::from(n + 1 < words.len());
        if chars + length > room {
            if n == 0 {
                // One word longer than the room: cut inside it.
                description.extend(word.chars().take(DESCRIPTION_CHARS - 1));
            }
            description.push('…');
            return description;
        }
        if n > 0 {
            description.push(' ');
        }
        description.push_str(word);
        chars += length;
    }
    description
}

/// A description made of short statements (a name, a price, the delivery facts),
/// each ended by one full stop.
pub fn sentences<'t>(parts: impl IntoIterator<Item = &'t str>) -> String {
    parts
        .into_iter()
        .map(|part| format!("{}.", part.trim_end_matches('.')))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The shop itself, for the home page.
pub fn organization(shop: &Shop) -> Value {
    json!({
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": "Comptoir",
        "url": shop.url(""),
        "logo": shop.absolute(shop.state.static_files.url("img/logo.svg")),
    })
}

/// The trail from the home page to the page, whose own name and URL come last.
pub fn breadcrumb_list(shop: &Shop, trail: &[Link<'_>], name: &str, url: &str) -> Value {
    let home = (shop.t().home, shop.url(""));
    let items: Vec<Value> = std::iter::once((home.0, home.1.as_str()))
        .chain(trail.iter().map(|link| (link.label, link.url.as_str())))
        .chain(std::iter::once((name, url)))
        .enumerate()
        .map(|(n, (name, url))| {
            json!({"@type": "ListItem", "position": n + 1, "name": name, "item": url})
        })
        .collect();
    json!({
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": items,
    })
}

/// What a product page sells: one offer per variant, each with its price,
/// availability, delivery to the site's country and return policy.
pub struct ProductFacts<'a> {
    pub product: &'a Product,
    pub url: &'a str,
    pub description: &'a str,
    /// Absolute URLs.
    pub images: Vec<String>,
    pub now: DateTime<Utc>,
}

/// schema.org's `Product`, written from borrowed fields: product pages are on the hot
/// path, and a `serde_json::Value` tree would allocate every key of every offer.
#[derive(Serialize)]
struct ProductData<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    description: &'a str,
    sku: &'a str,
    url: &'a str,
    image: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    brand: Option<BrandData<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gtin: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    country_of_origin: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    weight: Option<serde_json::Value>,
    offers: Vec<OfferData<'a>>,
}

#[derive(Serialize)]
struct BrandData<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OfferData<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    sku: &'a str,
    url: &'a str,
    price: &'a str,
    price_currency: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    price_valid_until: Option<&'a str>,
    availability: &'static str,
    item_condition: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    shipping_details: Option<&'a Value>,
    has_merchant_return_policy: &'a Value,
}

impl Seo {
    /// The head with the product's data, when it is sold on the shop's site.
    pub fn with_product(mut self, shop: &Shop, facts: ProductFacts<'_>) -> Seo {
        if let Some(data) = product(shop, facts) {
            self.structured_data.push(data);
        }
        self
    }
}

fn product(shop: &Shop, facts: ProductFacts<'_>) -> Option<String> {
    let ProductFacts {
        product,
        url,
        description,
        images,
        now,
    } = facts;
    let site = shop.site;
    let offer = product.site(site)?;
    let price = shop.snapshot.price_tag(product, site, now)?.price;
    let country = checkout::home_country(site).code();
    let shipping = shop
        .state
        .shop
        .shipping_rates
        .cost(checkout::home_country(site), price)
        .map(|cost| {
            let days = |(min, max): (u32, u32)| {
                json!({"@type": "QuantitativeValue", "minValue": min, "maxValue": max, "unitCode": "DAY"})
            };
            json!({
                "@type": "OfferShippingDetails",
                "shippingRate": {"@type": "MonetaryAmount", "value": cost.decimal(), "currency": cost.currency().code()},
                "shippingDestination": {"@type": "DefinedRegion", "addressCountry": country},
                "deliveryTime": {
                    "@type": "ShippingDeliveryTime",
                    "handlingTime": days(DELIVERY_TIME.handling),
                    "transitTime": days(DELIVERY_TIME.transit),
                },
            })
        });
    let returns = json!({
        "@type": "MerchantReturnPolicy",
        "applicableCountry": country,
        "returnPolicyCategory": "https://schema.org/MerchantReturnFiniteReturnWindow",
        "merchantReturnDays": WITHDRAWAL_DAYS,
        "returnMethod": "https://schema.org/ReturnByMail",
        "returnFees": "https://schema.org/ReturnFeesCustomerResponsibility",
    });
    let valid_until = offer
        .sale
        .filter(|sale| sale.is_active(now))
        .and_then(|sale| sale.last_day())
        .map(|day| day.to_string());
    let price_text = price.decimal();
    let data = ProductData {
        context: "https://schema.org",
        kind: "Product",
        name: &product.names[site.locale()],
        description,
        sku: product.sku.as_str(),
        url,
        image: &images,
        brand: product.facts.brand.as_deref().map(|name| BrandData {
            kind: "Brand",
            name,
        }),
        gtin: product.facts.gtin.as_ref().map(|gtin| gtin.as_str()),
        country_of_origin: product.facts.made_in.as_ref().map(|c| c.as_str()),
        weight: product
            .facts
            .weight_grams
            .map(|grams| json!({"@type": "QuantitativeValue", "value": grams, "unitCode": "GRM"})),
        offers: product
            .variants
            .iter()
            .map(|variant| OfferData {
                kind: "Offer",
                sku: variant.sku.as_str(),
                url,
                price: &price_text,
                price_currency: price.currency().code(),
                price_valid_until: valid_until.as_deref(),
                availability: match (variant.stock_state(), variant.stock_policy) {
                    // Sold beyond what is on the shelf: the units left say when.
                    (_, StockPolicy::Backorders) if variant.stock <= 0 => {
                        "https://schema.org/BackOrder"
                    }
                    (StockState::InStock, _) => "https://schema.org/InStock",
                    (StockState::Low, _) => "https://schema.org/LimitedAvailability",
                    (StockState::OutOfStock, _) => "https://schema.org/OutOfStock",
                },
                item_condition: "https://schema.org/NewCondition",
                shipping_details: shipping.as_ref(),
                has_merchant_return_policy: &returns,
            })
            .collect(),
    };
    Some(script_text(&data))
}

/// `data` as the text of a JSON-LD `<script>`: `<` escaped, so no text of the
/// catalogue can close the element.
fn script_text(data: &impl Serialize) -> String {
    serde_json::to_string(data)
        .expect("structured data always serialises")
        .replace('<', "\\u003c")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_end_with_one_full_stop_each() {
        assert_eq!(
            sentences(["Peluca afro", "12,99 €", "Entrega en 2–4 días."]),
            "Peluca afro. 12,99 €. Entrega en 2–4 días."
        );
    }

    #[test]
    fn a_short_description_is_kept_on_one_line() {
        assert_eq!(
            describe("  Peluca   afro\n de colores. "),
            "Peluca afro de colores."
        );
        assert_eq!(describe(""), "");
    }

    #[test]
    fn a_long_description_is_cut_at_a_word_with_an_ellipsis() {
        let long = "palabra ".repeat(40);
        let described = describe(&long);
        assert!(described.ends_with("palabra…"), "{described}");
        assert!(described.chars().count() <= DESCRIPTION_CHARS);
        let exact = "a".repeat(DESCRIPTION_CHARS);
        assert_eq!(describe(&exact), exact);
        let one_over = format!("{} b", "a".repeat(DESCRIPTION_CHARS - 1));
        assert_eq!(
            describe(&one_over),
            format!("{}…", "a".repeat(DESCRIPTION_CHARS - 1))
        );
        let one_long_word = "x".repeat(500);
        assert_eq!(describe(&one_long_word).chars().count(), DESCRIPTION_CHARS);
    }
}
