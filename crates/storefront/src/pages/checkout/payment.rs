//! The middle step: how the order is paid (it travels by the one shipping method,
//! whose price the step shows).

use super::*;

/// `cart` priced for the checkout's address.
pub(super) async fn quote_for(
    shop: &Shop,
    cookies: &Cookies,
    checkout: &CheckoutState,
    mut cart: Cart,
    buyer: &Buyer,
) -> Result<Result<Quote, Response>, HttpError> {
    let (state, snapshot, site) = (&shop.state, &shop.snapshot, shop.site);
    let units_per_line = state.shop.order_limits.units_per_line;
    if !crate::pages::cart::repair(&mut cart, snapshot, site, units_per_line).is_empty() {
        state.carts.save(cookies, &cart).await?;
        return Ok(Err(to_cart(shop, Notice::SoldOut)));
    }
    let Some(destination) = checkout_destination(checkout) else {
        return Ok(Err(to_step(shop, Step::Address)));
    };
    Ok(match shop.quote(&cart, destination, buyer) {
        Ok(quote) => Ok(quote),
        Err(QuoteError::EmptyCart) => Err(to_cart(shop, Notice::Updated)),
        Err(QuoteError::NoDelivery(_)) => Err(to_step(shop, Step::Address)),
        Err(error) => {
            tracing::info!(%error, "checkout cart no longer priceable");
            Err(to_cart(shop, Notice::SoldOut))
        }
    })
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
    cookies: Cookies,
    csrf: FormToken,
) -> Result<Response, HttpError> {
    let ActiveCheckout {
        details,
        cart,
        buyer,
        ..
    } = checkout;
    if !details.address_done {
        return Ok(to_step(&shop, Step::Address));
    }
    let quote = match quote_for(&shop, &cookies, &details, cart, &buyer).await? {
        Ok(quote) => quote,
        Err(redirect) => return Ok(redirect),
    };
    let mut page = CheckoutPage::new(&shop, &csrf, Step::Payment);
    page.summarise(&shop, &quote);
    page.payment_methods = payment_methods(shop.s(), details.payment.or(Some(PaymentMethod::Card)));
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
        let mut page = CheckoutPage::with_summary(
            &shop,
            &csrf,
            Step::Payment,
            &checkout.details,
            &checkout.cart,
            &checkout.buyer,
        );
        page.payment_methods = payment_methods(shop.s(), None);
        page.errors.push(shop.s().choose_payment.to_owned());
        return render(&page, StatusCode::UNPROCESSABLE_ENTITY);
    };
    checkout.details.payment = Some(method);
    checkout.save(&shop).await?;
    Ok(to_step(&shop, Step::next(&checkout.details)))
}
