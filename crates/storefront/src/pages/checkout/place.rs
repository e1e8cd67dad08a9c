//! The review and the placing of the order: once per checkout attempt, prices from
//! the catalogue, stock taken in the same transaction.

use comptoir_domain::invoicing::{Treatment, invoice_type};

use super::*;

/// Where the checkout ships to.
pub(super) fn ship_to(checkout: &CheckoutState) -> ShippingAddress {
    ShippingAddress {
        name: checkout.name.clone(),
        street: checkout.street.clone(),
        postcode: checkout.postcode.clone(),
        city: checkout.city.clone(),
        country: checkout.country.clone(),
    }
}

/// Whether this order's invoice must name the buyer by tax id and the checkout
/// gives none: a sale in Spain above the simplified invoice's limit.
fn lacks_tax_id(checkout: &CheckoutState, quote: &Quote) -> bool {
    let Some(destination) = checkout_destination(checkout) else {
        return false;
    };
    let treatment = Treatment::of(destination.zone, destination.business_abroad);
    let asked = checkout.invoice.is_some();
    invoice_type(treatment, quote.totals.total, asked, asked).is_err()
}

pub(super) async fn review_page(
    shop: Shop,
    checkout: ActiveCheckout,
    cookies: Cookies,
    csrf: FormToken,
) -> Result<Response, HttpError> {
    let ActiveCheckout {
        details: checkout,
        cart,
        buyer,
        ..
    } = checkout;
    if Step::next(&checkout) != Step::Review {
        return Ok(to_step(&shop, Step::next(&checkout)));
    }
    let quote = match quote_for(&shop, &cookies, &checkout, cart, &buyer).await? {
        Ok(quote) => quote,
        Err(redirect) => return Ok(redirect),
    };
    render(
        &review(&shop, &csrf, &checkout, &quote, &buyer),
        StatusCode::OK,
    )
}

/// The review step: what will be ordered, where to, how paid, and the box that
/// accepts the terms of sale.
fn review<'a>(
    shop: &'a Shop,
    csrf: &FormToken,
    checkout: &CheckoutState,
    quote: &Quote,
    buyer: &Buyer,
) -> CheckoutPage<'a> {
    let s = shop.s();
    let mut page = CheckoutPage::new(shop, csrf, Step::Review);
    // The code's own form, beside the order's; told here too when it does not apply.
    if let Some(entered) = &buyer.code {
        page.code = Some(entered.code.to_string());
        if let Some(verdict) = quote.promotions.code.filter(|v| *v != CodeVerdict::Applied) {
            page.errors.push(crate::pages::promotion_code::verdict_text(
                shop,
                &entered.code,
                verdict,
            ));
        }
    }
    if lacks_tax_id(checkout, quote) {
        page.errors.push(s.tax_id_needed.to_owned());
    }
    match checkout
        .invoice
        .as_ref()
        .and_then(|invoice| invoice.vies.as_ref())
    {
        Some(ViesCheck::NotRegistered) => page.errors.push(s.vies_not_registered.to_owned()),
        Some(ViesCheck::Unavailable) => page.errors.push(s.vies_unavailable.to_owned()),
        Some(ViesCheck::Confirmed { .. }) | None => {}
    }
    page.action = shop.url("checkout/place");
    page.summarise(shop, quote);
    page.ship_to = mails::address_text(&ship_to(checkout));
    page.email = field(&checkout.email);
    page.phone = field(&checkout.phone);
    page.invoice = InvoiceFields::of(checkout.invoice.as_ref());
    page.payment_label = s.payment_method(checkout.payment.map_or("", PaymentMethod::as_str));
    page.attempt = checkout.idempotency_key.clone();
    page.total_cents = quote.totals.total.cents();
    let content = shop.snapshot.content().site(shop.site);
    let link = |role| {
        content
            .page_with_role(role)
            .map(|page| (page.title.clone(), shop.url(&page.url_key)))
    };
    page.terms_link = link(ContentRole::Terms);
    page.privacy_link = link(ContentRole::Privacy);
    page
}

#[derive(Deserialize)]
pub(super) struct PlaceForm {
    #[serde(default)]
    attempt: String,
    /// The box accepting the terms of sale: present only when ticked.
    accept_terms: Option<String>,
    /// The total the review showed, in cents.
    total_cents: Option<String>,
}

/// The terms the shopper accepts now: the site's terms page as shown.
fn accepted_terms(shop: &Shop) -> AcceptedTerms {
    let terms = shop
        .snapshot
        .content()
        .site(shop.site)
        .page_with_role(ContentRole::Terms);
    AcceptedTerms {
        page_id: terms.map(|page| page.id),
        version: terms.map(|page| page.version),
        accepted_at: chrono::Utc::now(),
    }
}

/// The order an attempt placed. The attempt key is a secret shown only to the shopper
/// whose checkout it is, so a request carrying it may see the order: a concurrent
/// double click is answered before the first click's session is saved.
pub(super) async fn placed_by_attempt(
    shop: &Shop,
    session: &Session,
    attempt: &str,
) -> Result<Option<OrderRecord>, HttpError> {
    if attempt.len() != 64 {
        return Ok(None);
    }
    let Some(id) = shop
        .state
        .store
        .order_id_by_idempotency_key(attempt)
        .await?
    else {
        return Ok(None);
    };
    shopper::remember_order(session, id).await?;
    Ok(shop.state.store.order(id).await?)
}

/// Where the shopper goes once the order exists: to pay by card, or to the order.
pub(super) fn after_placing(shop: &Shop, order: &OrderRecord) -> Response {
    let to_pay =
        order.payment_method == PaymentMethod::Card.as_str() && order.payment_status == "pending";
    to_order(shop, &order.number, to_pay)
}

/// To the order's page, or first to pay for it by card.
pub(super) fn to_order(shop: &Shop, number: &str, to_pay: bool) -> Response {
    if to_pay {
        shop.redirect(&format!("pay/{number}"))
    } else {
        shop.redirect(&format!("order/{number}"))
    }
}

/// The order an attempt placed, else `otherwise`: a concurrent click may have
/// placed the order and emptied the cart since this request began.
async fn placed_or(
    shop: &Shop,
    session: &Session,
    attempt: &str,
    otherwise: Response,
) -> Result<Response, HttpError> {
    Ok(match placed_by_attempt(shop, session, attempt).await? {
        Some(order) => after_placing(shop, &order),
        None => otherwise,
    })
}

pub(super) async fn place(
    shop: Shop,
    session: Session,
    checkout: Result<ActiveCheckout, HttpError>,
    cookies: Cookies,
    csrf: FormToken,
    client: ClientAddress,
    CsrfForm(form): CsrfForm<PlaceForm>,
) -> Result<Response, HttpError> {
    // A replay of an attempt already placed (a double click, a retry after a lost
    // answer) finds its order.
    if let Some(order) = placed_by_attempt(&shop, &session, &form.attempt).await? {
        return Ok(after_placing(&shop, &order));
    }
    let ActiveCheckout {
        details: checkout,
        cart,
        customer,
        buyer,
        ..
    } = match checkout {
        Ok(checkout) => checkout,
        Err(elsewhere) => {
            let elsewhere = elsewhere.into_response();
            return placed_or(&shop, &session, &form.attempt, elsewhere).await;
        }
    };
    if Step::next(&checkout) != Step::Review {
        return Ok(to_step(&shop, Step::next(&checkout)));
    }
    if form.attempt != checkout.idempotency_key {
        // A review page from an earlier attempt: show the current one.
        return Ok(to_step(&shop, Step::Review));
    }
    let quote = match quote_for(&shop, &cookies, &checkout, cart, &buyer).await? {
        Ok(quote) => quote,
        Err(redirect) => return placed_or(&shop, &session, &form.attempt, redirect).await,
    };
    // The total the review showed, when it has changed since (a code used up by
    // another order, a price): shown again, never charged unseen.
    if form
        .total_cents
        .as_deref()
        .and_then(|seen| seen.parse::<i64>().ok())
        .is_some_and(|seen| seen != quote.totals.total.cents())
    {
        let mut page = review(&shop, &csrf, &checkout, &quote, &buyer);
        let told = match (&buyer.code, quote.promotions.code) {
            (Some(entered), Some(CodeVerdict::UsedUp)) => shop
                .s()
                .code_used_up_while_ordering
                .replace("{code}", entered.code.as_str()),
            _ => shop.s().total_changed.to_owned(),
        };
        page.errors = vec![told];
        return render(&page, StatusCode::CONFLICT);
    }
    if lacks_tax_id(&checkout, &quote) {
        let page = review(&shop, &csrf, &checkout, &quote, &buyer);
        return render(&page, StatusCode::UNPROCESSABLE_ENTITY);
    }
    if form.accept_terms.is_none() {
        let mut page = review(&shop, &csrf, &checkout, &quote, &buyer);
        page.terms_refused = true;
        return render(&page, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (state, site) = (&shop.state, shop.site);
    let method = checkout.payment.unwrap_or(PaymentMethod::Card);
    if method != PaymentMethod::Card
        && let Some(refusal) = unpaid_limit_reached(&shop, &client).await?
    {
        let status = StatusCode::CONFLICT;
        return crate::pages::cart::render(
            &shop,
            &cookies,
            &csrf,
            customer.as_ref(),
            Vec::new(),
            vec![refusal],
            status,
        )
        .await;
    }
    let customer = customer.map(|customer| customer.id);
    let mut order = new_order(site, &checkout, &quote, method, customer, |rule_id| {
        shop.promotion_name(rule_id)
    });
    order.client_address = Some(client.0.clone());
    order.terms = Some(accepted_terms(&shop));
    // Each line keeps the name the shopper saw, size, colour and options included.
    for (line, quoted) in order.lines.iter_mut().zip(&quote.lines) {
        if let Some((product, _)) = shop.snapshot.variant(&line.sku) {
            line.name =
                views::variant_name(&shop.snapshot, site, product, &line.sku, &quoted.options);
        }
    }
    let iban = state.shop.bank_transfer_iban.clone();
    // A card order is confirmed once paid; the others at once.
    let confirm_now = method != PaymentMethod::Card;
    let confirmation = |number: &comptoir_domain::order::OrderNumber| {
        confirm_now.then(|| {
            let mut summary = summary_of(&order, site);
            summary.number = number.as_str();
            let links = mails::OrderLinks::of(state, site, number.as_str());
            mails::order_confirmation(&summary, &iban, &links)
        })
    };
    match state.store.place_order(&order, &confirmation).await {
        Ok(placed) => {
            shopper::finish_checkout(&session, site, placed.id).await?;
            state.carts.clear(&cookies).await?;
            if placed.newly_placed {
                metrics::counter!(
                    "comptoir_orders_placed_total",
                    "site" => site.as_str(),
                    "payment" => method.as_str(),
                )
                .increment(1);
                let to_pay = method == PaymentMethod::Card;
                return Ok(to_order(&shop, placed.number.as_str(), to_pay));
            }
            // Placed before by this attempt: its payment may be settled already.
            let record = state
                .store
                .order(placed.id)
                .await?
                .ok_or(HttpError::internal("a placed order cannot be read back"))?;
            Ok(after_placing(&shop, &record))
        }
        Err(StoreError::OutOfStock { sku, available }) => {
            tracing::info!(sku, available, "sold out while ordering; back to the cart");
            Ok(to_cart(&shop, Notice::SoldOut))
        }
        Err(StoreError::PromotionUsedUp { code }) => {
            // The review again, priced without the code: the shopper may place the
            // order at the new total.
            tracing::info!(code, "code used up while ordering; back to the review");
            let cart = state.carts.load(&cookies).await?;
            let buyer = shop
                .buyer(&cart, buyer.logged_in, Some(&checkout.email))
                .await?;
            let quote = match quote_for(&shop, &cookies, &checkout, cart, &buyer).await? {
                Ok(quote) => quote,
                Err(redirect) => return Ok(redirect),
            };
            let mut page = review(&shop, &csrf, &checkout, &quote, &buyer);
            // Said once, in the words of what just happened.
            page.errors.clear();
            page.errors.push(
                shop.s()
                    .code_used_up_while_ordering
                    .replace("{code}", &code),
            );
            render(&page, StatusCode::CONFLICT)
        }
        Err(error) => Err(error.into()),
    }
}

/// Why `client` may not hold one more open unpaid bank-transfer or cash-on-delivery
/// order, as the shopper reads it; `None` when one more is allowed.
pub(in crate::pages) async fn unpaid_limit_reached(
    shop: &Shop,
    client: &ClientAddress,
) -> Result<Option<String>, HttpError> {
    let limit = shop.state.shop.order_limits.open_unpaid_per_client;
    let open = shop
        .state
        .store
        .open_unpaid_orders_of_client(&client.0)
        .await?;
    if open < u64::from(limit) {
        return Ok(None);
    }
    tracing::info!(client = client.0, open, "open unpaid orders limited");
    let message = shop.s().too_many_unpaid;
    Ok(Some(message.replace("{n}", &open.to_string())))
}

/// The order to place, every amount from the quote (the catalogue and its
/// promotions), none from the shopper; each promotion named by `promotion_name`.
pub(super) fn new_order(
    site: SiteCode,
    checkout: &CheckoutState,
    quote: &Quote,
    method: PaymentMethod,
    customer_id: Option<i64>,
    promotion_name: impl Fn(i64) -> String,
) -> NewOrder {
    let totals = &quote.totals;
    let lines = quote
        .lines
        .iter()
        .zip(&totals.lines)
        .map(|(line, total)| NewOrderLine {
            sku: line.sku.clone(),
            name: line.product_name.clone(),
            unit_cents: total.unit_price.cents(),
            quantity: line.quantity,
            gross_cents: total.gross.cents(),
            discount_cents: total.discount.cents(),
            net_cents: total.payable.net.cents(),
            vat_cents: total.payable.vat.cents(),
            vat_rate_bp: total.rate.map_or(0, |r| r.basis_points()),
        })
        .collect();
    NewOrder {
        site,
        idempotency_key: checkout.idempotency_key.clone(),
        email: checkout.email.clone(),
        customer_id,
        ship_to: ship_to(checkout),
        phone: checkout.phone.clone(),
        ship_region: checkout.region.clone(),
        invoice: checkout
            .invoice
            .as_ref()
            .map(|request| comptoir_store::InvoiceDetails {
                tax_id: request.tax_id.clone(),
                billing: ShippingAddress {
                    name: request.name.clone(),
                    street: request.street.clone(),
                    postcode: request.postcode.clone(),
                    city: request.city.clone(),
                    country: request.country.clone(),
                },
                vies_proof: request.vies.as_ref().and_then(ViesCheck::proof),
            }),
        shipping_method: STANDARD_SHIPPING.to_owned(),
        payment_method: method.as_str().to_owned(),
        client_address: None,
        lines,
        items_cents: totals.items.cents(),
        discount_cents: totals.discount.cents(),
        shipping_cents: totals.shipping.gross.cents(),
        vat_cents: totals.vat.iter().map(|v| v.vat.cents()).sum(),
        total_cents: totals.total.cents(),
        outside_eu_vat: totals.outside_eu_vat,
        terms: None,
        promotions: quote
            .discount_lines()
            .into_iter()
            .map(|line| NewOrderPromotion {
                rule_id: line.rule_id,
                name: promotion_name(line.rule_id),
                code: line.code,
                amount_cents: line.amount.cents(),
                free_shipping: line.free_shipping,
            })
            .collect(),
    }
}

pub(super) fn summary_of(order: &NewOrder, site: SiteCode) -> OrderSummary<'_> {
    OrderSummary {
        site,
        number: "",
        email: &order.email,
        ship_to: &order.ship_to,
        phone: &order.phone,
        invoice: order.invoice.as_ref(),
        lines: order
            .lines
            .iter()
            .map(|l| (l.name.as_str(), i64::from(l.quantity), l.gross_cents))
            .collect(),
        discounts: order
            .promotions
            .iter()
            .map(|p| {
                let code = p.code.as_ref().map(|c| c.as_str());
                (mails::discount_label(&p.name, code), p.amount_cents)
            })
            .collect(),
        shipping_cents: order.shipping_cents,
        vat_cents: order.vat_cents,
        total_cents: order.total_cents,
        payment_method: &order.payment_method,
    }
}
