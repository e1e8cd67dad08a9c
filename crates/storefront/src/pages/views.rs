//! What templates show, prepared from the snapshot: links are absolute URLs on the
//! site's base URL, amounts are formatted for the site's locale. Texts are borrowed
//! from the snapshot rather than copied, since pages are rendered on the hot path.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use comptoir_domain::content::{BlockSlot, ContentRole};
use comptoir_domain::destination::{Country, Postcode};
use comptoir_domain::local_time::TimeZone;
use comptoir_domain::price_history::PriceTag;
use comptoir_domain::product_options::{self, OptionPicks};
use comptoir_domain::{
    COLOUR, ChoiceAttribute, Locale, Product, ProductId, ProductLink, SIZE, SiteCode, StockState,
};
use comptoir_web::assets::StaticFiles;

use super::seo::Seo;
use crate::extract::Shop;
use crate::i18n::{ShopTexts, Texts};
use crate::snapshot::{CategoryIndex, PictureSources, Snapshot};

/// Where the EU model withdrawal form is downloaded, on every site.
pub const WITHDRAWAL_FORM_PATH: &str = "withdrawal-form";

pub struct Link<'a> {
    pub label: &'a str,
    pub url: String,
}

/// The frame every page shares: header, navigation, footer.
pub struct Layout<'a> {
    pub t: &'static Texts,
    /// Texts of the shopping path (cart, checkout, account).
    pub s: &'static ShopTexts,
    pub lang: &'static str,
    pub title: String,
    /// The page's canonical URL, when it has one.
    pub canonical: Option<String>,
    /// Whether search engines may follow the page's links but not index it: search
    /// results, filtered or sorted listings (robots.txt leaves them crawlable, so
    /// that crawlers read this).
    pub noindex: bool,
    /// Description, alternates, link previews and structured data of the pages
    /// search engines index.
    pub seo: Option<Seo>,
    pub home_url: String,
    /// Top-level categories.
    pub nav: Vec<Link<'a>>,
    /// The other countries' home pages, each named in its own language.
    pub other_sites: Vec<Link<'static>>,
    /// Where the search box sends its query.
    pub search_url: String,
    /// What the search box shows (the current query on the search page).
    pub search_query: String,
    pub cart_url: String,
    pub account_url: String,
    /// The content pages the footer links (legal texts first, as staff ordered).
    pub footer_links: Vec<Link<'a>>,
    pub withdrawal_form_url: String,
    /// Who sells: company, tax id, address (the law wants them on every page).
    pub seller: &'a [String],
    /// The site's notice block above the header, rendered.
    pub notice: Option<&'a str>,
    /// The analytics script pages load once the shopper consents; `None`: no
    /// banner, no script.
    pub consent_script: Option<&'a str>,
    pub cookie_policy: Option<Link<'a>>,
    /// The shop's stylesheets, scripts and icons, under their fingerprinted names.
    pub assets: &'a StaticFiles,
}

impl<'a> Layout<'a> {
    pub fn new(shop: &'a Shop, title: String, canonical: Option<String>) -> Layout<'a> {
        let site = shop.site;
        let nav = shop
            .snapshot
            .roots()
            .iter()
            .map(|&root| category_link(shop, root))
            .collect();
        let content = shop.snapshot.content().site(site);
        Layout {
            footer_links: content
                .footer()
                .iter()
                .map(|page| Link {
                    label: &page.title,
                    url: shop.url(&page.url_key),
                })
                .collect(),
            withdrawal_form_url: shop.url(WITHDRAWAL_FORM_PATH),
            seller: &content.seller,
            notice: content.block(BlockSlot::SiteNotice),
            consent_script: shop.state.shop.analytics_script.as_ref().map(|s| s.url()),
            cookie_policy: content
                .page_with_role(ContentRole::Cookies)
                .map(|page| Link {
                    label: &page.title,
                    url: shop.url(&page.url_key),
                }),
            assets: &shop.state.static_files,
            t: shop.t(),
            s: shop.s(),
            cart_url: shop.url("cart"),
            account_url: shop.url("account"),
            lang: site.locale().html_lang(),
            title,
            canonical,
            noindex: false,
            seo: None,
            home_url: shop.url(""),
            search_url: shop.url(shop.t().search_path),
            search_query: String::new(),
            nav,
            other_sites: SiteCode::ALL
                .into_iter()
                .filter(|other| *other != site)
                .map(|other| Link {
                    label: other.country_name(),
                    url: shop.state.sites.base(other).join(""),
                })
                .collect(),
        }
    }
}

pub fn category_link(shop: &Shop, category: CategoryIndex) -> Link<'_> {
    Link {
        label: &shop.snapshot.category(category).category.names[shop.locale()],
        url: shop.category_url(category),
    }
}

/// The clock the shopper of an order reads its dates on: that of the address it
/// goes to when in Spain (the Canaries keep another time than the mainland), else
/// that of the site's country.
pub fn order_clock(site: SiteCode, ship_to: &comptoir_domain::order::ShippingAddress) -> TimeZone {
    let spanish = Postcode::parse(Country::Es, &ship_to.postcode).ok();
    match spanish.filter(|_| ship_to.country == Country::Es.code()) {
        Some(postcode) => TimeZone::of_spanish_postcode(&postcode),
        None => TimeZone::of_site(site),
    }
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
    pub image: Picture<'a>,
    pub price: String,
    pub reduction: Option<Reduction>,
    pub stock_label: &'static str,
    /// CSS modifier: `in-stock`, `low` or `out`.
    pub stock_class: &'static str,
    /// Shown as new today, in the site's time zone.
    pub is_new: bool,
}

/// A product image as `<picture>` shows it: its renditions once they are made, the
/// original until then.
pub struct Picture<'a> {
    /// For browsers that take neither `srcset`: the 480 px JPEG, or the original.
    pub src: Cow<'a, str>,
    /// JPEG and WebP `srcset`s, once renditions exist.
    pub srcsets: Option<(&'a str, &'a str)>,
}

impl<'a> Picture<'a> {
    /// The picture of the image stored at `path` (relative to `/static/`).
    pub fn of(snapshot: &'a Snapshot, path: &str) -> Picture<'a> {
        match snapshot.picture(path) {
            Some(sources) => Picture {
                src: Cow::Borrowed(&sources.src),
                srcsets: Some((&sources.jpeg_srcset, &sources.webp_srcset)),
            },
            None => Picture {
                src: Cow::Owned(snapshot.static_base().join(path)),
                srcsets: None,
            },
        }
    }

    /// A small version (thumbnails, the cart), as one `src`.
    pub fn thumbnail(snapshot: &'a Snapshot, path: &str) -> Cow<'a, str> {
        Self::one_size(snapshot, path, |sources| &sources.thumbnail)
    }

    /// The largest version (link previews, structured data), as one `src`.
    pub fn large(snapshot: &'a Snapshot, path: &str) -> Cow<'a, str> {
        Self::one_size(snapshot, path, |sources| &sources.large)
    }

    /// One rendition, chosen by `size`, or the original until renditions exist.
    fn one_size(
        snapshot: &'a Snapshot,
        path: &str,
        size: impl Fn(&PictureSources) -> &String,
    ) -> Cow<'a, str> {
        snapshot.picture(path).map_or_else(
            || Cow::Owned(snapshot.static_base().join(path)),
            |sources| Cow::Borrowed(size(sources).as_str()),
        )
    }
}

/// An announced reduction, as shown beside the price.
pub struct Reduction {
    /// The reference price (the lowest of the 30 days before the reduction began),
    /// struck through.
    pub was: String,
    /// "−20 %".
    pub percent_off: String,
}

impl Reduction {
    pub fn of(tag: PriceTag, locale: Locale) -> Option<Reduction> {
        Some(Reduction {
            was: tag.was?.format(locale),
            percent_off: format!("\u{2212}{}\u{a0}%", tag.percent_off()?),
        })
    }
}

impl<'a> ProductCard<'a> {
    /// The card of a product sold on `site` (`None` if it is not), priced at `now`.
    pub fn new(
        shop: &'a Shop,
        product: &'a Product,
        now: DateTime<Utc>,
    ) -> Option<ProductCard<'a>> {
        let site = shop.site;
        let tag = shop.snapshot.price_tag(product, site, now)?;
        let locale = site.locale();
        let stock = product.stock_state();
        Some(ProductCard {
            name: &product.names[locale],
            url: shop.product_url(product),
            image: Picture::of(
                &shop.snapshot,
                product.images.first().map_or("", String::as_str),
            ),
            price: tag.price.format(locale),
            reduction: Reduction::of(tag, locale),
            stock_label: Texts::of(locale).stock(stock),
            stock_class: stock_class(stock),
            is_new: is_new(product, site, now),
        })
    }
}

/// The products `links` name that `site` lists and has in stock, each once and
/// none of `taken`, up to `limit`, in the links' order.
pub fn linked_products<'s, 'l>(
    snapshot: &'s Snapshot,
    site: SiteCode,
    links: impl IntoIterator<Item = &'l ProductLink>,
    taken: &[ProductId],
    limit: usize,
) -> Vec<&'s Product> {
    let mut found: Vec<&Product> = Vec::with_capacity(limit);
    for product in links
        .into_iter()
        .filter_map(|link| snapshot.product_by_sku(&link.sku))
    {
        if found.len() < limit
            && product.listed_on(site).is_some()
            && product.stock_state() != StockState::OutOfStock
            && !taken.contains(&product.id)
            && !found.iter().any(|p| p.id == product.id)
        {
            found.push(product);
        }
    }
    found
}

/// Whether `product` is shown as new at `now`, by the day on `site`.
pub fn is_new(product: &Product, site: SiteCode, now: DateTime<Utc>) -> bool {
    let today = TimeZone::of_site(site).local(now).date_naive();
    product.facts.is_new_on(today)
}

/// Renders a page into a buffer sized for a whole page, saving the reallocations of
/// growing one.
pub fn render_page(page: &impl askama::Template) -> Result<String, askama::Error> {
    let mut html = String::with_capacity(32 * 1024);
    page.render_into(&mut html)?;
    Ok(html)
}

/// A priced line of a cart or an order.
pub struct PricedLine {
    pub sku: String,
    /// The options picked, as the line's forms send them back.
    pub options: String,
    pub name: String,
    /// The product page, while the product is still sold.
    pub url: Option<String>,
    /// URL of a small version of the product's main image, while it is still sold.
    pub image: Option<String>,
    pub unit_price: String,
    pub quantity: u32,
    pub total: String,
}

/// The totals block of the cart, the checkout review, the confirmation and the order
/// pages.
/// A promotion applied, as the totals show it.
pub struct DiscountView {
    /// Its name, with its code.
    pub label: String,
    /// Its conditions, shown with it (LSSI art. 20.2).
    pub conditions: String,
    /// What it takes off; `None` for free shipping alone.
    pub amount: Option<String>,
}

pub struct TotalsView {
    pub items: String,
    pub discounts: Vec<DiscountView>,
    /// `None`: free.
    pub shipping: Option<String>,
    /// VAT per rate: (`IVA 21 %`, amount).
    pub vat: Vec<(String, String)>,
    pub total: String,
    pub outside_eu_vat: bool,
    /// An exempt intra-community supply: no VAT, the buyer accounts for it.
    pub exempt_supply: bool,
}

impl TotalsView {
    /// A quote's totals on `shop`'s site, each promotion by its name.
    pub fn of(shop: &Shop, quote: &comptoir_domain::checkout::Quote) -> TotalsView {
        let (site, totals) = (shop.site, &quote.totals);
        let locale = site.locale();
        let t = Texts::of(locale);
        TotalsView {
            items: totals.items.format(locale),
            discounts: quote
                .discount_lines()
                .into_iter()
                .map(|line| {
                    let name = shop.promotion_name(line.rule_id);
                    let code = line.code.as_ref().map(|c| c.as_str());
                    DiscountView {
                        label: crate::mails::discount_label(&name, code),
                        conditions: super::promotion_code::conditions_text(shop, line.rule_id),
                        amount: (line.amount.cents() > 0).then(|| line.amount.format(locale)),
                    }
                })
                .collect(),
            shipping: (totals.shipping.gross.cents() > 0)
                .then(|| totals.shipping.gross.format(locale)),
            vat: totals
                .vat
                .iter()
                .map(|line| {
                    (
                        format!("{} {}", t.vat_rate, line.rate.label()),
                        line.vat.format(locale),
                    )
                })
                .collect(),
            total: totals.total.format(locale),
            outside_eu_vat: totals.outside_eu_vat,
            exempt_supply: totals.exempt_supply,
        }
    }
}

/// The lines of a quote, with links to their products.
pub fn quote_lines(shop: &Shop, quote: &comptoir_domain::checkout::Quote) -> Vec<PricedLine> {
    let (snapshot, site, locale) = (&shop.snapshot, shop.site, shop.locale());
    quote
        .lines
        .iter()
        .zip(&quote.totals.lines)
        .map(|(line, total)| {
            let product = snapshot.variant(&line.sku).map(|(p, _)| p);
            PricedLine {
                sku: line.sku.to_string(),
                options: line.options.code(),
                name: match product {
                    Some(product) => {
                        variant_name(snapshot, site, product, &line.sku, &line.options)
                    }
                    None => line.product_name.clone(),
                },
                url: product.map(|p| shop.product_url(p)),
                image: product
                    .and_then(|p| p.images.first())
                    .map(|path| Picture::thumbnail(snapshot, path).into_owned()),
                unit_price: total.unit_price.format(locale),
                quantity: line.quantity,
                total: total.gross.format(locale),
            }
        })
        .collect()
}

/// A variant's product name with what it was chosen by and the options picked:
/// `Disfraz de bruja · Talla M · Formato A4 · Capa: Larga`.
pub fn variant_name(
    snapshot: &Snapshot,
    site: SiteCode,
    product: &Product,
    sku: &comptoir_domain::Sku,
    options: &OptionPicks,
) -> String {
    let locale = site.locale();
    let t = Texts::of(locale);
    let name = &product.names[locale];
    let Some(variant) = product.variants.iter().find(|v| &v.sku == sku) else {
        return name.clone();
    };
    let mut parts = vec![name.clone()];
    if let Some(size) = &variant.size {
        parts.push(format!(
            "{} {}",
            t.size,
            snapshot.option_label(SIZE, size, locale)
        ));
    }
    if let Some(colour) = &variant.colour {
        parts.push(snapshot.option_label(COLOUR, colour, locale).to_owned());
    }
    for choice in &variant.choices {
        parts.push(format!(
            "{} {}",
            snapshot.attribute_label(&choice.attribute, locale),
            choice.value
        ));
    }
    if let Some(picked) = options.resolve(&product.options)
        && !picked.is_empty()
    {
        parts.push(product_options::describe(&picked, locale));
    }
    parts.join(" · ")
}

/// The legend of a product page's group of choices: the size, the colour, or a
/// further attribute's label.
pub fn choice_legend(snapshot: &Snapshot, attribute: &str, locale: Locale) -> String {
    let t = Texts::of(locale);
    match attribute {
        SIZE => t.size.to_owned(),
        COLOUR => t.colour.to_owned(),
        other => ChoiceAttribute::parse(other).map_or_else(
            |_| other.to_owned(),
            |attribute| snapshot.attribute_label(&attribute, locale),
        ),
    }
}
