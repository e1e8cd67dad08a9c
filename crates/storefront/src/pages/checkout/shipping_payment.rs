//! The middle steps: how the order travels, and how it is paid.

use super::*;

/// `cart` priced for the checkout's address.
pub(super) async fn quote_for(
    shop: &Shop,
    cookies: &Cookies,
    checkout: &CheckoutState,
    mut cart: Cart,
) -> Result<Result<Quote, Response>, HttpError> {
    let (state, snapshot, site) = (&shop.state, &shop.snapshot, shop.site);
    let units_per_line = state.shop.order_limits.units_per_line;
    if !crate::pages::cart::repair(&mut cart, snapshot, site, units_per_line).is_empty() {
        state.carts.save(cookies, &cart).await?;
        return Ok(Err(to_cart(shop, Notice::SoldOut)));
    }
    let Some(postcode) = Country::parse(&checkout.country)
        .ok()
        .and_then(|c| Postcode::parse(c, &checkout.postcode).ok())
    else {
        return Ok(Err(to_step(shop, Step::Address)));
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
        Err(QuoteError::EmptyCart) => Err(to_cart(shop, Notice::Updated)),
        Err(QuoteError::NoDelivery(_)) => Err(to_step(shop, Step::Address)),
        Err(error) => {
            tracing::info!(%error, "checkout cart no longer priceable");
            Err(to_cart(shop, Notice::SoldOut))
        }
    })
}

pub(super) async fn shipping_page(
    shop: Shop,
    checkout: ActiveCheckout,
    cookies: Cookies,
    csrf: FormToken,
) -> Result<Response, HttpError> {
    if !checkout.details.address_done {
        return Ok(to_step(&shop, Step::Address));
    }
    let quote = match quote_for(&shop, &cookies, &checkout.details, checkout.cart).await? {
        Ok(quote) => quote,
        Err(redirect) => return Ok(redirect),
    };
    let mut page = CheckoutPage::new(&shop, &csrf, Step::Shipping);
    page.shipping_price = match quote.totals.shipping.gross.cents() {
        0 => shop.s().free.to_owned(),
        _ => quote.totals.shipping.gross.format(shop.locale()),
    };
    render(&page, StatusCode::OK)
}

#[derive(Deserialize)]
pub(super) struct ShippingForm {
    #[serde(default)]
    method: String,
}

pub(super) async fn save_shipping(
    shop: Shop,
    checkout: Result<ActiveCheckout, HttpError>,
    CsrfForm(form): CsrfForm<ShippingForm>,
) -> Result<Response, HttpError> {
    let mut checkout = checkout?;
    if form.method != STANDARD_SHIPPING {
        return Ok(to_step(&shop, Step::Shipping));
    }
    checkout.details.shipping_done = true;
    checkout.save(&shop).await?;
    Ok(to_step(&shop, Step::next(&checkout.details)))
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
    shop: Shop,
    checkout: ActiveCheckout,
    csrf: FormToken,
) -> Result<Response, HttpError> {
    let checkout = checkout.details;
    if !(checkout.address_done && checkout.shipping_done) {
        return Ok(to_step(&shop, Step::next(&checkout)));
    }
    let mut page = CheckoutPage::new(&shop, &csrf, Step::Payment);
    page.payment_methods =
        payment_methods(shop.s(), checkout.payment.or(Some(PaymentMethod::Card)));
    render(&page, StatusCode::OK)
}

#[derive(Deserialize)]
pub(super) struct PaymentForm {
    #[serde(default)]
    method: String,
}

pub(super) async fn save_payment(
    shop: Shop,
    checkout: Result<ActiveCheckout, HttpError>,
    csrf: FormToken,
    CsrfForm(form): CsrfForm<PaymentForm>,
) -> Result<Response, HttpError> {
    let mut checkout = checkout?;
    let Some(method) = PaymentMethod::parse(&form.method) else {
        let mut page = CheckoutPage::new(&shop, &csrf, Step::Payment);
        page.payment_methods = payment_methods(shop.s(), None);
        page.errors.push(shop.s().choose_payment.to_owned());
        return render(&page, StatusCode::UNPROCESSABLE_ENTITY);
    };
    checkout.details.payment = Some(method);
    checkout.save(&shop).await?;
    Ok(to_step(&shop, Step::next(&checkout.details)))
}
