//! The middle steps: how the order travels, and how it is paid.

use super::*;

/// `cart` priced for the checkout's address.
pub(super) async fn quote_for(
    state: &AppState,
    site: SiteCode,
    cookies: &Cookies,
    checkout: &CheckoutState,
    mut cart: Cart,
) -> Result<Result<Quote, Response>, HttpError> {
    let snapshot = state.snapshot.load();
    let units_per_line = state.shop.order_limits.units_per_line;
    if !crate::pages::cart::repair(&mut cart, &snapshot, site, units_per_line).is_empty() {
        state.carts.save(cookies, &cart).await?;
        return Ok(Err(to_cart(state, site, Notice::SoldOut)));
    }
    let Some(postcode) = Country::parse(&checkout.country)
        .ok()
        .and_then(|c| Postcode::parse(c, &checkout.postcode).ok())
    else {
        return Ok(Err(to_step(state, site, Step::Address)));
    };
    let quote = checkout::quote(
        &cart,
        site,
        Destination::of(&postcode),
        &state.shop.shipping_rates,
        Utc::now(),
        |sku| snapshot.variant(sku),
    );
    Ok(match quote {
        Ok(quote) => Ok(quote),
        Err(QuoteError::EmptyCart) => Err(to_cart(state, site, Notice::Updated)),
        Err(QuoteError::NoDelivery(_)) => Err(to_step(state, site, Step::Address)),
        Err(error) => {
            tracing::info!(%error, "checkout cart no longer priceable");
            Err(to_cart(state, site, Notice::SoldOut))
        }
    })
}

pub(super) async fn shipping_page(
    State(state): State<AppState>,
    Extension(site): Extension<SiteCode>,
    session: Session,
    cookies: Cookies,
    csrf: FormToken,
) -> Result<Response, HttpError> {
    let (checkout, cart) = match current(&state, site, &session, &cookies).await? {
        Ok((checkout, cart)) if checkout.address_done => (checkout, cart),
        Ok(_) => return Ok(to_step(&state, site, Step::Address)),
        Err(redirect) => return Ok(redirect),
    };
    let quote = match quote_for(&state, site, &cookies, &checkout, cart).await? {
        Ok(quote) => quote,
        Err(redirect) => return Ok(redirect),
    };
    let snapshot = state.snapshot.load();
    let s = ShopTexts::of(site.locale());
    let mut page = CheckoutPage::new(&state, &snapshot, site, &csrf, Step::Shipping);
    page.shipping_price = match quote.totals.shipping.gross.cents() {
        0 => s.free.to_owned(),
        _ => quote.totals.shipping.gross.format(site.locale()),
    };
    render(&page, StatusCode::OK)
}

#[derive(Deserialize)]
pub(super) struct ShippingForm {
    #[serde(default)]
    method: String,
}

pub(super) async fn save_shipping(
    State(state): State<AppState>,
    Extension(site): Extension<SiteCode>,
    session: Session,
    cookies: Cookies,
    CsrfForm(form): CsrfForm<ShippingForm>,
) -> Result<Response, HttpError> {
    let mut checkout = match current(&state, site, &session, &cookies).await? {
        Ok((checkout, _)) => checkout,
        Err(redirect) => return Ok(redirect),
    };
    if form.method != STANDARD_SHIPPING {
        return Ok(to_step(&state, site, Step::Shipping));
    }
    checkout.shipping_done = true;
    shopper::save_checkout_state(&session, site, &checkout).await?;
    Ok(to_step(&state, site, Step::next(&checkout)))
}

pub(super) fn payment_methods(
    s: &ShopTexts,
    chosen: Option<PaymentMethod>,
) -> Vec<(&'static str, &'static str, bool)> {
    PaymentMethod::ALL
        .into_iter()
        .map(|m| (m.as_str(), s.payment_method(m.as_str()), Some(m) == chosen))
        .collect()
}

pub(super) async fn payment_page(
    State(state): State<AppState>,
    Extension(site): Extension<SiteCode>,
    session: Session,
    cookies: Cookies,
    csrf: FormToken,
) -> Result<Response, HttpError> {
    let checkout = match current(&state, site, &session, &cookies).await? {
        Ok((checkout, _)) if checkout.address_done && checkout.shipping_done => checkout,
        Ok((checkout, _)) => return Ok(to_step(&state, site, Step::next(&checkout))),
        Err(redirect) => return Ok(redirect),
    };
    let snapshot = state.snapshot.load();
    let s = ShopTexts::of(site.locale());
    let mut page = CheckoutPage::new(&state, &snapshot, site, &csrf, Step::Payment);
    page.payment_methods = payment_methods(s, checkout.payment.or(Some(PaymentMethod::Card)));
    render(&page, StatusCode::OK)
}

#[derive(Deserialize)]
pub(super) struct PaymentForm {
    #[serde(default)]
    method: String,
}

pub(super) async fn save_payment(
    State(state): State<AppState>,
    Extension(site): Extension<SiteCode>,
    session: Session,
    cookies: Cookies,
    csrf: FormToken,
    CsrfForm(form): CsrfForm<PaymentForm>,
) -> Result<Response, HttpError> {
    let mut checkout = match current(&state, site, &session, &cookies).await? {
        Ok((checkout, _)) => checkout,
        Err(redirect) => return Ok(redirect),
    };
    let Some(method) = PaymentMethod::parse(&form.method) else {
        let snapshot = state.snapshot.load();
        let s = ShopTexts::of(site.locale());
        let mut page = CheckoutPage::new(&state, &snapshot, site, &csrf, Step::Payment);
        page.payment_methods = payment_methods(s, None);
        page.errors.push(s.choose_payment.to_owned());
        return render(&page, StatusCode::UNPROCESSABLE_ENTITY);
    };
    checkout.payment = Some(method);
    shopper::save_checkout_state(&session, site, &checkout).await?;
    Ok(to_step(&state, site, Step::next(&checkout)))
}
