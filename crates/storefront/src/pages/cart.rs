//! The cart: add a variant, change a quantity, remove a line, and the cart page with
//! line totals, VAT and a shipping estimate. Prices always come from the catalogue;
//! forms carry only SKUs, the options or values picked, and quantities.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use comptoir_domain::cart::{Article, Cart, CartError, Quantity};
use comptoir_domain::checkout::{QuoteError, home_country};
use comptoir_domain::destination::Destination;
use comptoir_domain::product_options::{OptionError, OptionPicks};
use comptoir_domain::promotions::CodeVerdict;
use comptoir_domain::{
    ChoiceError, LinkKind, Locale, Product, ProductId, SaleUnits, SiteCode, Sku,
};
use comptoir_store::Customer;
use serde::Deserialize;
use tower_cookies::Cookies;

use super::views::{self, Layout, PricedLine, ProductCard, TotalsView};
use crate::extract::{Shop, SignedIn};
use crate::i18n::ShopTexts;
use crate::snapshot::Snapshot;
use crate::{AppState, HttpError};
use comptoir_web::csrf::{CsrfForm, FormToken, SameSiteForm};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cart", get(show))
        .route("/cart/add", post(add))
        .route("/cart/update", post(update))
        .route("/cart/remove", post(remove))
}

#[derive(Template)]
#[template(path = "cart.html")]
struct CartPage<'a> {
    layout: Layout<'a>,
    csrf: String,
    notices: Vec<String>,
    errors: Vec<String>,
    lines: Vec<PricedLine>,
    totals: Option<TotalsView>,
    free_shipping_hint: Option<String>,
    checkout_url: String,
    continue_url: String,
    /// What the cart's products suggest adding (Magento's cross-sells).
    suggestions: Vec<ProductCard<'a>>,
    /// The code entered, kept until removed.
    code: Option<String>,
}

/// What a redirect to the cart page announces.
#[derive(Deserialize, Default)]
pub struct CartQuery {
    #[serde(default)]
    notice: Option<String>,
}

/// Why the shopper is sent back to the cart.
pub enum Notice {
    Added,
    Updated,
    /// The session ended mid-checkout; the cart is intact.
    SessionExpired,
    /// Stock ran out between the review and the order.
    SoldOut,
}

impl Notice {
    fn code(&self) -> &'static str {
        match self {
            Notice::Added => "added",
            Notice::Updated => "updated",
            Notice::SessionExpired => "session-expired",
            Notice::SoldOut => "sold-out",
        }
    }

    fn parse(code: &str) -> Option<Notice> {
        [
            Notice::Added,
            Notice::Updated,
            Notice::SessionExpired,
            Notice::SoldOut,
        ]
        .into_iter()
        .find(|n| n.code() == code)
    }

    fn text(&self, s: &ShopTexts) -> &'static str {
        match self {
            Notice::Added => s.added_to_cart,
            Notice::Updated => s.cart_updated,
            Notice::SessionExpired => s.session_expired,
            Notice::SoldOut => s.sold_out_while_ordering,
        }
    }
}

/// A `303 See Other` to the cart page, announcing `notice`.
pub fn to_cart(shop: &Shop, notice: Notice) -> Response {
    Redirect::to(&cart_url(shop, notice)).into_response()
}

/// The cart page, announcing `notice`.
pub fn cart_url(shop: &Shop, notice: Notice) -> String {
    shop.url(&format!("cart?notice={}", notice.code()))
}

async fn show(
    shop: Shop,
    cookies: Cookies,
    csrf: FormToken,
    customer: Option<SignedIn>,
    Query(query): Query<CartQuery>,
) -> Result<Response, HttpError> {
    let notices = query
        .notice
        .as_deref()
        .and_then(Notice::parse)
        .map(|n| n.text(shop.s()).to_owned())
        .into_iter()
        .collect();
    render(
        &shop,
        &cookies,
        &csrf,
        customer.as_ref().map(|SignedIn(customer)| customer),
        notices,
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

/// Renders the cart, first bringing it in line with the catalogue: lines no longer
/// sold are removed and quantities above the stock lowered, each with a message;
/// the code entered is told how it applies (for `customer`, when one is logged in:
/// promotions for customers, and their own uses of a code).
pub(super) async fn render(
    shop: &Shop,
    cookies: &Cookies,
    csrf: &FormToken,
    customer: Option<&Customer>,
    mut notices: Vec<String>,
    mut errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, HttpError> {
    let (state, snapshot, site, s) = (&shop.state, &shop.snapshot, shop.site, shop.s());
    let mut cart = state.carts.load(cookies).await?;
    let repairs = repair(
        &mut cart,
        snapshot,
        site,
        state.shop.order_limits.units_per_line,
    );
    if !repairs.is_empty() {
        state.carts.save(cookies, &cart).await?;
        errors.extend(repairs);
    }
    let country = home_country(site);
    let email = customer.map(|customer| customer.email.as_str());
    let buyer = shop.buyer(&cart, customer.is_some(), email).await?;
    let quote = shop.quote(&cart, Destination::mainland(country), &buyer);
    if let (Ok(quote), Some(code)) = (&quote, &cart.code)
        && let Some(verdict) = quote.promotions.code
    {
        let told = super::promotion_code::verdict_text(shop, code, verdict);
        if verdict == CodeVerdict::Applied {
            notices.push(told);
        } else {
            errors.push(told);
        }
    }
    let (lines, totals) = match &quote {
        Ok(quote) => (
            views::quote_lines(shop, quote),
            Some(TotalsView::of(shop, quote)),
        ),
        Err(QuoteError::EmptyCart) => (Vec::new(), None),
        Err(error) => {
            tracing::warn!(%error, "cart cannot be priced");
            return Err(HttpError::BadRequest("cart cannot be priced"));
        }
    };
    let free_shipping_hint = match (&totals, state.shop.shipping_rates.free_from(country)) {
        (Some(totals), Some(threshold)) if totals.shipping.is_some() => Some(
            s.free_shipping_from
                .replace("{amount}", &threshold.format(site.locale())),
        ),
        _ => None,
    };
    let page = CartPage {
        layout: Layout::new(shop, s.cart.to_owned(), None),
        csrf: csrf.0.clone(),
        notices,
        errors,
        lines,
        totals,
        free_shipping_hint,
        checkout_url: shop.url("checkout"),
        continue_url: shop.url(""),
        suggestions: suggestions(shop, &cart),
        code: cart.code.as_ref().map(ToString::to_string),
    };
    Ok((status, Html(views::render_page(&page)?)).into_response())
}

/// Up to four products the cart's products suggest adding (their cross-sells),
/// sold on the site, in stock, and not in the cart already.
fn suggestions<'a>(shop: &'a Shop, cart: &Cart) -> Vec<ProductCard<'a>> {
    const SHOWN: usize = 4;
    let (snapshot, site, now) = (&shop.snapshot, shop.site, Utc::now());
    let in_cart: Vec<&Product> = cart
        .lines
        .iter()
        .filter_map(|line| snapshot.variant(&line.sku).map(|(product, _)| product))
        .collect();
    let cross_sells = in_cart
        .iter()
        .flat_map(|product| &product.links)
        .filter(|link| link.kind == LinkKind::CrossSell);
    let taken: Vec<ProductId> = in_cart.iter().map(|product| product.id).collect();
    let chosen = views::linked_products(snapshot, site, cross_sells, &taken, SHOWN);
    chosen
        .into_iter()
        .filter_map(|product| ProductCard::new(shop, product, now))
        .collect()
}

/// Brings `cart` in line with what `site` sells now and with the units one shopper
/// may order of a variant (`units_per_line`); the messages saying what changed.
pub fn repair(
    cart: &mut Cart,
    snapshot: &Snapshot,
    site: SiteCode,
    units_per_line: u32,
) -> Vec<String> {
    let s = ShopTexts::of(site.locale());
    let mut messages = Vec::new();
    for line in cart.lines.clone() {
        // Sold, with the options picked still offered.
        let sold = snapshot
            .variant(&line.sku)
            .filter(|(product, _)| super::product::shown_on(product, site))
            .filter(|(product, _)| line.options.resolve(&product.options).is_some());
        match sold {
            None => {
                cart.remove(line.article());
                messages.push(s.no_longer_sold.replace("{name}", line.sku.as_str()));
            }
            Some((product, variant)) => {
                let in_stock = variant.units_for_sale();
                let limit = variant.sale_units.cap(units_per_line);
                let available = in_stock.min(limit);
                let minimum = variant.sale_units.min;
                if line.quantity.get() < minimum {
                    // The variant's minimum rose since it was added.
                    messages.push(s.minimum_units.replace("{n}", &minimum.to_string()));
                    match Quantity::new(minimum).filter(|_| minimum <= available) {
                        Some(quantity) => {
                            let _ = cart.set(line.article(), quantity, available);
                        }
                        None => cart.remove(line.article()),
                    }
                } else if line.quantity.get() > available {
                    let name =
                        views::variant_name(snapshot, site, product, &line.sku, &line.options);
                    messages.push(if available < in_stock {
                        s.units_per_line_limit.replace("{n}", &limit.to_string())
                    } else {
                        s.only_left
                            .replace("{n}", &available.to_string())
                            .replace("{name}", &name)
                    });
                    match Quantity::new(available) {
                        Some(quantity) => {
                            let _ = cart.set(line.article(), quantity, available);
                        }
                        None => cart.remove(line.article()),
                    }
                }
            }
        }
    }
    messages
}

#[derive(Deserialize)]
struct LineForm {
    #[serde(default)]
    variant: String,
    #[serde(default)]
    quantity: String,
    /// From the cart page: the line's options as its forms send them back
    /// (`OptionPicks::code`); `None` from a product page, whose options come as
    /// `option-<id>` fields.
    #[serde(default)]
    options: Option<String>,
    /// From a product page with several groups of choices: the product's id, and
    /// the value picked in each group as `choice-<attribute>`.
    #[serde(default)]
    product: String,
    #[serde(flatten)]
    choices: HashMap<String, String>,
}

impl LineForm {
    /// The options the form picks for `sku`: sent back by the cart page, or
    /// picked on the product page (every required one, each value offered); else
    /// why not, as shoppers read it.
    fn option_picks(
        &self,
        snapshot: &Snapshot,
        sku: &Sku,
        locale: Locale,
    ) -> Result<OptionPicks, String> {
        let s = ShopTexts::of(locale);
        let Some((product, _)) = snapshot.variant(sku) else {
            return Ok(OptionPicks::none());
        };
        if let Some(code) = &self.options {
            // Sent back by the cart page: still what the product offers.
            return OptionPicks::parse(code)
                .filter(|picks| picks.resolve(&product.options).is_some())
                .ok_or_else(|| s.combination_unavailable.to_owned());
        }
        OptionPicks::choose(&product.options, |id| {
            self.choices
                .get(&format!("option-{id}"))
                .map(String::as_str)
        })
        .map_err(|error| match error {
            OptionError::NotPicked(id) => {
                let title = product
                    .options
                    .iter()
                    .find(|option| option.id == id)
                    .map_or_else(String::new, |option| option.titles[locale].to_lowercase());
                s.choose_each_option.replace("{attribute}", &title)
            }
            OptionError::Unknown => s.combination_unavailable.to_owned(),
        })
    }

    /// The SKU of the variant the form names: given, or found by the values
    /// picked on the product page; else why none is named, as shoppers read it.
    fn variant_sku(&self, snapshot: &Snapshot, locale: Locale) -> Result<String, String> {
        let s = ShopTexts::of(locale);
        if !self.variant.trim().is_empty() || self.product.trim().is_empty() {
            return Ok(self.variant.clone());
        }
        let product = self
            .product
            .trim()
            .parse()
            .ok()
            .and_then(|id| snapshot.product_by_id(ProductId(id)))
            .and_then(|index| snapshot.product(index))
            .ok_or_else(|| s.no_longer_sold.replace("{name}", self.product.trim()))?;
        product
            .variant_chosen(|attribute| {
                self.choices
                    .get(&format!("choice-{attribute}"))
                    .map(String::as_str)
            })
            .map(|variant| variant.sku.to_string())
            .map_err(|error| match error {
                ChoiceError::NotChosen(attribute) => {
                    let legend = views::choice_legend(snapshot, &attribute, locale).to_lowercase();
                    s.choose_each_option.replace("{attribute}", &legend)
                }
                ChoiceError::NoSuchCombination => s.combination_unavailable.to_owned(),
            })
    }
}

/// Why a cart change was refused, as the shopper reads it.
fn refusal(error: &CartError, snapshot: &Snapshot, site: SiteCode) -> (StatusCode, String) {
    let s = ShopTexts::of(site.locale());
    match error {
        CartError::Quantity => (
            StatusCode::UNPROCESSABLE_ENTITY,
            s.invalid_quantity.to_owned(),
        ),
        CartError::TooManyLines => (StatusCode::UNPROCESSABLE_ENTITY, s.cart_full.to_owned()),
        CartError::NotEnoughStock { sku, available } => {
            let name = snapshot
                .variant(sku)
                .map(|(product, _)| {
                    views::variant_name(snapshot, site, product, sku, &OptionPicks::none())
                })
                .unwrap_or_else(|| sku.to_string());
            (
                StatusCode::CONFLICT,
                s.only_left
                    .replace("{n}", &available.to_string())
                    .replace("{name}", &name),
            )
        }
    }
}

/// The variant a form names, if `site` sells it: its SKU, the units one order may
/// take of its stock, and the units it is sold by.
fn sold_variant(snapshot: &Snapshot, site: SiteCode, text: &str) -> Option<(Sku, u32, SaleUnits)> {
    let sku = Sku::parse(text).ok()?;
    let (_, variant) = snapshot
        .variant(&sku)
        .filter(|(product, _)| super::product::shown_on(product, site))?;
    Some((
        variant.sku.clone(),
        variant.units_for_sale(),
        variant.sale_units,
    ))
}

/// Adds to the cart from a product page, which carries no per-visitor token (it
/// may be cached for everyone): the post must come from this site.
async fn add(
    shop: Shop,
    cookies: Cookies,
    csrf: FormToken,
    customer: Option<SignedIn>,
    SameSiteForm(form): SameSiteForm<LineForm>,
) -> Result<Response, HttpError> {
    metrics::counter!("comptoir_cart_additions_total", "site" => shop.site.as_str()).increment(1);
    change(
        &shop,
        &cookies,
        &csrf,
        customer.as_ref().map(|SignedIn(customer)| customer),
        &form,
        Notice::Added,
        |cart, article, quantity, stock| cart.add(article, quantity, stock),
    )
    .await
}

async fn update(
    shop: Shop,
    cookies: Cookies,
    csrf: FormToken,
    customer: Option<SignedIn>,
    CsrfForm(form): CsrfForm<LineForm>,
) -> Result<Response, HttpError> {
    // Zero removes the line, as shoppers expect of a quantity box.
    if form.quantity.trim() == "0" {
        return remove_line(&shop, &cookies, &form).await;
    }
    change(
        &shop,
        &cookies,
        &csrf,
        customer.as_ref().map(|SignedIn(customer)| customer),
        &form,
        Notice::Updated,
        |cart, article, quantity, stock| cart.set(article, quantity, stock),
    )
    .await
}

async fn remove(
    shop: Shop,
    cookies: Cookies,
    CsrfForm(form): CsrfForm<LineForm>,
) -> Result<Response, HttpError> {
    remove_line(&shop, &cookies, &form).await
}

/// Removes the line the cart page's form names (its variant and options).
async fn remove_line(
    shop: &Shop,
    cookies: &Cookies,
    form: &LineForm,
) -> Result<Response, HttpError> {
    let no_such_line = || HttpError::BadRequest("no such line");
    let sku = Sku::parse(&form.variant).map_err(|_| no_such_line())?;
    let options =
        OptionPicks::parse(form.options.as_deref().unwrap_or_default()).ok_or_else(no_such_line)?;
    let mut cart = shop.state.carts.load(cookies).await?;
    cart.remove(Article { sku, options });
    shop.state.carts.save(cookies, &cart).await?;
    Ok(to_cart(shop, Notice::Updated))
}

/// Applies a change to the cart after checking the variant and the quantity; a
/// refused change shows the cart with the reason, and nothing is saved.
async fn change(
    shop: &Shop,
    cookies: &Cookies,
    csrf: &FormToken,
    customer: Option<&Customer>,
    form: &LineForm,
    done: Notice,
    apply: impl FnOnce(&mut Cart, Article, Quantity, u32) -> Result<(), CartError>,
) -> Result<Response, HttpError> {
    let (state, snapshot, site, s) = (&shop.state, &shop.snapshot, shop.site, shop.s());
    let chosen = form
        .variant_sku(snapshot, site.locale())
        .and_then(|variant| {
            sold_variant(snapshot, site, &variant).ok_or_else(|| {
                let message = if variant.trim().is_empty() {
                    s.choose_variant_first
                } else {
                    s.no_longer_sold
                };
                message.replace("{name}", variant.trim())
            })
        })
        .and_then(|(sku, stock, sale_units)| {
            let options = form.option_picks(snapshot, &sku, site.locale())?;
            Ok((Article { sku, options }, stock, sale_units))
        });
    let (article, stock, sale_units) = match chosen {
        Ok(chosen) => chosen,
        Err(message) => {
            return render(
                shop,
                cookies,
                csrf,
                customer,
                Vec::new(),
                vec![message],
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let mut cart = state.carts.load(cookies).await?;
    let limit = sale_units.cap(state.shop.order_limits.units_per_line);
    let outcome = Quantity::parse(&form.quantity)
        .and_then(|q| apply(&mut cart, article.clone(), q, stock.min(limit)));
    let (status, message) = match outcome {
        Ok(()) if cart.quantity_of(&article) < sale_units.min => (
            StatusCode::UNPROCESSABLE_ENTITY,
            s.minimum_units.replace("{n}", &sale_units.min.to_string()),
        ),
        Ok(()) => {
            state.carts.save(cookies, &cart).await?;
            return Ok(to_cart(shop, done));
        }
        Err(CartError::NotEnoughStock { available, .. }) if available < stock => (
            StatusCode::UNPROCESSABLE_ENTITY,
            s.units_per_line_limit.replace("{n}", &limit.to_string()),
        ),
        Err(error) => refusal(&error, snapshot, site),
    };
    render(
        shop,
        cookies,
        csrf,
        customer,
        Vec::new(),
        vec![message],
        status,
    )
    .await
}
