//! The coupon code in the cart: entered in a form of its own (never inside the
//! order's form), kept with the cart until removed, and told how it applies. Codes
//! that do not exist are counted per client: past [`REFUSED_CODES`] in
//! [`WINDOW_MINUTES`], the client waits for the window's end.

use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use chrono::Utc;
use comptoir_domain::promotions::{Audience, CodeVerdict, CouponCode, Discount, Shortfall};
use serde::Deserialize;
use tower_cookies::Cookies;

use super::cart::render;
use crate::extract::{ClientAddress, Shop, SignedIn};
use crate::{AppState, HttpError};
use comptoir_web::csrf::{CsrfForm, FormToken};

/// Codes that do not exist one client may type in a window.
pub const REFUSED_CODES: u64 = 20;
pub const WINDOW_MINUTES: i64 = 10;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cart/code", post(apply))
        .route("/cart/code/remove", post(remove))
}

#[derive(Deserialize)]
struct CodeForm {
    #[serde(default)]
    code: String,
    /// `review` when sent from the checkout's review, where the shopper goes back.
    #[serde(default)]
    from: String,
}

/// Back where the form was: the checkout's review, or the cart.
fn back(shop: &Shop, form: &CodeForm) -> Response {
    if form.from == "review" {
        shop.redirect("checkout/review")
    } else {
        shop.redirect("cart")
    }
}

/// A promotion's conditions as shoppers read them beside its discount (Spain's
/// LSSI art. 20.2): from what amount, how many units, on which products, for whom,
/// until when, how much at most; empty for a rule without any.
pub fn conditions_text(shop: &Shop, rule_id: i64) -> String {
    let Some(rule) = shop.snapshot.promotions().iter().find(|r| r.id == rule_id) else {
        return String::new();
    };
    let (s, locale, snapshot) = (shop.s(), shop.locale(), &shop.snapshot);
    let conditions = &rule.conditions;
    let mut parts = Vec::new();
    if let Some(Discount::TakePay { take, pay }) = rule.action.discount {
        parts.push(format!("{take} × {pay}"));
    }
    if let Some(minimum) = conditions.min_subtotal {
        parts.push(s.cond_from.replace("{amount}", &minimum.format(locale)));
    }
    if let Some(units) = conditions.min_quantity {
        parts.push(s.cond_units.replace("{n}", &units.to_string()));
    }
    let products = &conditions.products;
    let mut named: Vec<String> = products
        .categories
        .iter()
        .filter_map(|id| snapshot.category_by_id(*id))
        .map(|index| snapshot.category(index).category.names[locale].clone())
        .collect();
    named.extend(
        products
            .themes
            .iter()
            .map(|theme| snapshot.option_label("theme", theme, locale).to_owned()),
    );
    if !named.is_empty() {
        parts.push(s.cond_on.replace("{what}", &named.join(", ")));
    } else if !products.is_empty() {
        parts.push(s.cond_selected_products.to_owned());
    }
    if !conditions.countries.is_empty() {
        let countries: Vec<&str> = conditions
            .countries
            .iter()
            .map(|country| s.country_name(*country))
            .collect();
        parts.push(s.cond_shipping_to.replace("{what}", &countries.join(", ")));
    }
    if rule.audience == Audience::Customers {
        parts.push(s.cond_customers.to_owned());
    }
    if let Some(max) = rule.max_discount {
        parts.push(s.cond_max.replace("{amount}", &max.format(locale)));
    }
    if let Some(uses) = rule.limits.uses_per_customer {
        parts.push(s.cond_per_customer.replace("{n}", &uses.to_string()));
    }
    if let Some(end) = rule.ends_at {
        parts.push(
            s.cond_until
                .replace("{date}", &end.format("%d/%m/%Y %H:%M").to_string()),
        );
    }
    parts.join(" · ")
}

/// What a code's verdict tells the shopper.
pub fn verdict_text(shop: &Shop, code: &CouponCode, verdict: CodeVerdict) -> String {
    let s = shop.s();
    let locale = shop.locale();
    let text = match verdict {
        CodeVerdict::Applied => s.code_applied.to_owned(),
        CodeVerdict::Unknown => s.code_unknown.to_owned(),
        CodeVerdict::NotYetValid(start) => s
            .code_not_yet_valid
            .replace("{date}", &start.format("%d/%m/%Y %H:%M").to_string()),
        CodeVerdict::Expired => s.code_expired.to_owned(),
        CodeVerdict::UsedUp => s.code_used_up.to_owned(),
        CodeVerdict::OtherSite => s.code_other_site.to_owned(),
        CodeVerdict::Lacks(Shortfall::Subtotal(more)) => s
            .code_needs_subtotal
            .replace("{amount}", &more.format(locale)),
        CodeVerdict::Lacks(Shortfall::Quantity(more)) => {
            s.code_needs_quantity.replace("{n}", &more.to_string())
        }
        CodeVerdict::Lacks(Shortfall::Products) => s.code_needs_products.to_owned(),
        CodeVerdict::Lacks(Shortfall::Country) => s.code_needs_country.to_owned(),
        CodeVerdict::Lacks(Shortfall::LogIn) => s.code_needs_login.to_owned(),
        CodeVerdict::Lacks(Shortfall::Excluded) => s.code_excluded.to_owned(),
    };
    text.replace("{code}", code.as_str())
}

/// Keeps the code with the cart when the shop knows it; the cart page then says
/// how it applies.
async fn apply(
    shop: Shop,
    cookies: Cookies,
    csrf: FormToken,
    client: ClientAddress,
    customer: Option<SignedIn>,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<Response, HttpError> {
    let (state, s) = (&shop.state, shop.s());
    let customer = customer.as_ref().map(|SignedIn(customer)| customer);
    let refuse = |message: String, status| {
        render(
            &shop,
            &cookies,
            &csrf,
            customer,
            Vec::new(),
            vec![message],
            status,
        )
    };
    let now = Utc::now();
    let waiting = format!("code-wait:{}", client.0);
    if state.store.ephemeral_get(&waiting, now).await?.is_some() {
        return refuse(s.too_many_codes.to_owned(), StatusCode::TOO_MANY_REQUESTS).await;
    }
    let known = match CouponCode::parse(&form.code) {
        Ok(code) => state
            .store
            .find_code(&code, None)
            .await?
            .map(|_| code)
            .ok_or_else(|| {
                s.code_unknown
                    .replace("{code}", &form.code.trim().to_uppercase())
            }),
        Err(_) => Err(s.code_malformed.to_owned()),
    };
    let code = match known {
        Ok(code) => code,
        Err(message) => {
            let window_ends = now + chrono::Duration::minutes(WINDOW_MINUTES);
            let tries_key = format!("code-tries:{}", client.0);
            let tries = state
                .store
                .count_in_window(&tries_key, window_ends, now)
                .await?;
            if tries >= REFUSED_CODES {
                tracing::warn!(client = client.0, tries, "coupon codes throttled");
                state
                    .store
                    .ephemeral_put(&waiting, b"wait", window_ends)
                    .await?;
            }
            return refuse(message, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let mut cart = state.carts.load(&cookies).await?;
    cart.code = Some(code);
    state.carts.save(&cookies, &cart).await?;
    // The page says how the code applies.
    Ok(back(&shop, &form))
}

async fn remove(
    shop: Shop,
    cookies: Cookies,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<Response, HttpError> {
    let mut cart = shop.state.carts.load(&cookies).await?;
    cart.code = None;
    shop.state.carts.save(&cookies, &cart).await?;
    Ok(back(&shop, &form))
}
