//! The checkout: address → shipping → payment → review → place order, then the order
//! page. Guests may check out. Each step keeps what the shopper chose in the session;
//! the order is priced again from the catalogue when it is placed, in one database
//! transaction with an idempotency key per attempt, so a double click, a retry or a
//! replay yields one order.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use chrono::Utc;
use comptoir_domain::SiteCode;
use comptoir_domain::cart::Cart;
use comptoir_domain::checkout::{self, Quote, QuoteError};
use comptoir_domain::destination::{Country, Destination, Postcode};
use comptoir_domain::email::Email;
use comptoir_payments::PaymentMethod;
use comptoir_store::{NewOrder, NewOrderLine, OrderRecord, ShippingAddress, StoreError};
use serde::Deserialize;
use tower_cookies::Cookies;
use tower_sessions::Session;

use super::cart::{Notice, to_cart};
use super::views::{self, Layout, PricedLine, TotalsView};
use crate::client::ClientAddress;
use crate::i18n::ShopTexts;
use crate::mails::{self, OrderSummary};
use crate::shopper::{self, CheckoutState};
use crate::{AppState, HttpError};
use comptoir_web::csrf::{CsrfForm, FormToken};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/checkout", get(start))
        .route("/checkout/address", get(address_page).post(save_address))
        .route("/checkout/shipping", get(shipping_page).post(save_shipping))
        .route("/checkout/payment", get(payment_page).post(save_payment))
        .route("/checkout/review", get(review_page))
        .route("/checkout/place", post(place))
}

/// The one shipping method offered today; its rates are per country.
pub const STANDARD_SHIPPING: &str = "standard";
/// Longest text accepted in an address field.
const MAX_FIELD_CHARS: usize = 200;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    Address,
    Shipping,
    Payment,
    Review,
}

impl Step {
    fn path(self) -> &'static str {
        match self {
            Step::Address => "checkout/address",
            Step::Shipping => "checkout/shipping",
            Step::Payment => "checkout/payment",
            Step::Review => "checkout/review",
        }
    }

    /// The first step the shopper has not done yet.
    fn next(state: &CheckoutState) -> Step {
        if !state.address_done {
            Step::Address
        } else if !state.shipping_done {
            Step::Shipping
        } else if state.payment.is_none() {
            Step::Payment
        } else {
            Step::Review
        }
    }
}

fn to_step(state: &AppState, site: SiteCode, step: Step) -> Response {
    Redirect::to(&state.sites.base(site).join(step.path())).into_response()
}

/// A field of the address form: what was typed and what is wrong with it.
#[derive(Default)]
struct Field {
    value: String,
    error: Option<&'static str>,
}

struct StepLink {
    label: &'static str,
    current: bool,
}

#[derive(Template)]
#[template(path = "checkout.html")]
struct CheckoutPage<'a> {
    layout: Layout<'a>,
    csrf: String,
    steps: Vec<StepLink>,
    /// `address`, `shipping`, `payment` or `review`.
    step: &'static str,
    action: String,
    back_url: Option<String>,
    errors: Vec<String>,
    email: Field,
    name: Field,
    street: Field,
    postcode: Field,
    city: Field,
    country: Field,
    /// (code, name) of the countries the shop delivers to.
    countries: Vec<(&'static str, &'static str)>,
    shipping_price: String,
    /// (code, label, chosen) of each payment method.
    payment_methods: Vec<(&'static str, &'static str, bool)>,
    lines: Vec<PricedLine>,
    totals: Option<TotalsView>,
    ship_to: String,
    payment_label: &'static str,
    attempt: String,
}

impl<'a> CheckoutPage<'a> {
    fn new(
        state: &AppState,
        snapshot: &'a crate::snapshot::Snapshot,
        site: SiteCode,
        csrf: &FormToken,
        step: Step,
    ) -> CheckoutPage<'a> {
        let s = ShopTexts::of(site.locale());
        let base = state.sites.base(site);
        let order = [Step::Address, Step::Shipping, Step::Payment, Step::Review];
        let at = order.iter().position(|x| *x == step).unwrap_or(0);
        CheckoutPage {
            layout: Layout::new(state, snapshot, site, s.checkout.to_owned(), None),
            csrf: csrf.0.clone(),
            steps: [
                s.step_address,
                s.step_shipping,
                s.step_payment,
                s.step_review,
            ]
            .into_iter()
            .enumerate()
            .map(|(i, label)| StepLink {
                label,
                current: i == at,
            })
            .collect(),
            step: match step {
                Step::Address => "address",
                Step::Shipping => "shipping",
                Step::Payment => "payment",
                Step::Review => "review",
            },
            action: base.join(step.path()),
            back_url: match at {
                0 => Some(base.join("cart")),
                n => Some(base.join(order[n - 1].path())),
            },
            errors: Vec::new(),
            email: Field::default(),
            name: Field::default(),
            street: Field::default(),
            postcode: Field::default(),
            city: Field::default(),
            country: Field::default(),
            countries: delivery_countries(state),
            shipping_price: String::new(),
            payment_methods: Vec::new(),
            lines: Vec::new(),
            totals: None,
            ship_to: String::new(),
            payment_label: "",
            attempt: String::new(),
        }
    }
}

/// One input of the address form.
struct AddressInput<'f> {
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    autocomplete: &'static str,
    field: &'f Field,
}

impl CheckoutPage<'_> {
    fn address_inputs(&self) -> Vec<AddressInput<'_>> {
        let s = self.layout.s;
        let input = |name, label, kind, autocomplete, field| AddressInput {
            name,
            label,
            kind,
            autocomplete,
            field,
        };
        vec![
            input("email", s.email, "email", "email", &self.email),
            input("name", s.full_name, "text", "name", &self.name),
            input("street", s.street, "text", "street-address", &self.street),
            input(
                "postcode",
                s.postcode,
                "text",
                "postal-code",
                &self.postcode,
            ),
            input("city", s.city, "text", "address-level2", &self.city),
        ]
    }
}

/// (code, name) of the countries the shop delivers to.
pub(super) fn delivery_countries(state: &AppState) -> Vec<(&'static str, &'static str)> {
    Country::ALL
        .into_iter()
        .filter(|c| state.shop.shipping_rates.delivers_to(*c))
        .map(|c| (c.code(), country_name(c)))
        .collect()
}

/// Checks an address for the address book. `Err`: the message of each wrong field,
/// by field name.
pub(super) fn check_address_fields(
    state: &AppState,
    form: &AddressForm,
    s: &ShopTexts,
) -> Result<ShippingAddress, std::collections::HashMap<&'static str, &'static str>> {
    let rates = &state.shop.shipping_rates;
    check_address(form, s, |c| rates.delivers_to(c))
        .map(|(_, address)| address)
        .map_err(|fields| {
            fields
                .iter()
                .filter_map(|(name, field)| Some((*name, field.error?)))
                .collect()
        })
}

/// A country in its own language, as the shopper picks it.
fn country_name(country: Country) -> &'static str {
    match country {
        Country::Es => "España",
        Country::Fr => "France",
        Country::Pt => "Portugal",
        Country::It => "Italia",
    }
}

fn render(page: &CheckoutPage<'_>, status: StatusCode) -> Result<Response, HttpError> {
    Ok((status, Html(views::render_page(page)?)).into_response())
}

/// The checkout of this site so far and the cart, or where to send a shopper who has
/// none: an empty cart goes back to the cart; a lost session too, with the cart intact.
async fn current(
    state: &AppState,
    site: SiteCode,
    session: &Session,
    cookies: &Cookies,
) -> Result<Result<(CheckoutState, Cart), Response>, HttpError> {
    let cart = state.carts.load(cookies).await?;
    if cart.lines.is_empty() {
        return Ok(Err(to_cart(state, site, Notice::Updated)));
    }
    Ok(match shopper::checkout_state(session, site).await? {
        Some(checkout) => Ok((checkout, cart)),
        None => Err(to_cart(state, site, Notice::SessionExpired)),
    })
}

/// `/checkout`: starts a checkout (or resumes one) at the first step not done.
async fn start(
    State(state): State<AppState>,
    Extension(site): Extension<SiteCode>,
    session: Session,
    cookies: Cookies,
) -> Result<Response, HttpError> {
    if state.carts.load(&cookies).await?.lines.is_empty() {
        return Ok(to_cart(&state, site, Notice::Updated));
    }
    let checkout = match shopper::checkout_state(&session, site).await? {
        Some(checkout) => checkout,
        None => {
            let mut checkout = CheckoutState {
                idempotency_key: comptoir_web::random_token(),
                ..CheckoutState::default()
            };
            prefill_from_account(&state, &session, &mut checkout).await?;
            shopper::save_checkout_state(&session, site, &checkout).await?;
            checkout
        }
    };
    Ok(to_step(&state, site, Step::next(&checkout)))
}

/// A logged-in customer's e-mail and first saved address.
async fn prefill_from_account(
    state: &AppState,
    session: &Session,
    checkout: &mut CheckoutState,
) -> Result<(), HttpError> {
    let Some(customer) = shopper::customer(state.store.as_ref(), session).await? else {
        return Ok(());
    };
    let customer_id = customer.id;
    checkout.email = customer.email;
    checkout.name = customer.name;
    if let Some(saved) = state.store.addresses(customer_id).await?.into_iter().next() {
        checkout.name = saved.address.name;
        checkout.street = saved.address.street;
        checkout.postcode = saved.address.postcode;
        checkout.city = saved.address.city;
        checkout.country = saved.address.country;
    }
    Ok(())
}

fn field(value: &str) -> Field {
    Field {
        value: value.to_owned(),
        error: None,
    }
}

async fn address_page(
    State(state): State<AppState>,
    Extension(site): Extension<SiteCode>,
    session: Session,
    cookies: Cookies,
    csrf: FormToken,
) -> Result<Response, HttpError> {
    let checkout = match current(&state, site, &session, &cookies).await? {
        Ok((checkout, _)) => checkout,
        Err(redirect) => return Ok(redirect),
    };
    let snapshot = state.snapshot.load();
    let mut page = CheckoutPage::new(&state, &snapshot, site, &csrf, Step::Address);
    page.email = field(&checkout.email);
    page.name = field(&checkout.name);
    page.street = field(&checkout.street);
    page.postcode = field(&checkout.postcode);
    page.city = field(&checkout.city);
    page.country = field(if checkout.country.is_empty() {
        checkout::home_country(site).code()
    } else {
        &checkout.country
    });
    render(&page, StatusCode::OK)
}

#[derive(Deserialize)]
pub(super) struct AddressForm {
    #[serde(default)]
    pub(super) email: String,
    #[serde(default)]
    pub(super) name: String,
    #[serde(default)]
    pub(super) street: String,
    #[serde(default)]
    pub(super) postcode: String,
    #[serde(default)]
    pub(super) city: String,
    #[serde(default)]
    pub(super) country: String,
}

/// The address form's fields as typed, each with its message: email, name, street,
/// postcode, city, country.
type AddressFields = [(&'static str, Field); 6];

/// A required text field, trimmed and bounded.
fn text_field(value: &str, s: &ShopTexts) -> Field {
    let value = value.trim().to_owned();
    let error = if value.is_empty() {
        Some(s.required_field)
    } else if value.chars().count() > MAX_FIELD_CHARS {
        Some(s.field_too_long)
    } else {
        None
    };
    Field { value, error }
}

/// Checks an address form field by field. `Ok`: the address, with its postcode in
/// the country's form; `Err`: the fields with their messages, as typed.
fn check_address(
    form: &AddressForm,
    s: &ShopTexts,
    deliverable: impl Fn(Country) -> bool,
) -> Result<(Email, ShippingAddress), Box<AddressFields>> {
    let AddressForm {
        email: form_email,
        name,
        street,
        postcode,
        city,
        country,
    } = form;
    let email = Email::parse(form_email);
    let email_field = Field {
        value: form_email.trim().to_owned(),
        error: email.is_err().then_some(s.invalid_email),
    };
    let name = text_field(name, s);
    let street = text_field(street, s);
    let city = text_field(city, s);
    let country_parsed = Country::parse(country).ok().filter(|c| deliverable(*c));
    let country_field = Field {
        value: country.trim().to_owned(),
        error: country_parsed.is_none().then_some(s.no_delivery),
    };
    let postcode_parsed = country_parsed.and_then(|c| Postcode::parse(c, postcode).ok());
    let postcode_field = Field {
        value: postcode.trim().to_owned(),
        error: (country_parsed.is_some() && postcode_parsed.is_none())
            .then_some(s.invalid_postcode),
    };
    let fields = [
        ("email", email_field),
        ("name", name),
        ("street", street),
        ("postcode", postcode_field),
        ("city", city),
        ("country", country_field),
    ];
    match (
        email,
        postcode_parsed,
        fields.iter().all(|(_, f)| f.error.is_none()),
    ) {
        (Ok(email), Some(postcode), true) => {
            let [_, (_, name), (_, street), _, (_, city), _] = fields;
            Ok((
                email,
                ShippingAddress {
                    name: name.value,
                    street: street.value,
                    postcode: postcode.as_str().to_owned(),
                    city: city.value,
                    country: postcode.country().code().to_owned(),
                },
            ))
        }
        _ => Err(Box::new(fields)),
    }
}

async fn save_address(
    State(state): State<AppState>,
    Extension(site): Extension<SiteCode>,
    session: Session,
    cookies: Cookies,
    csrf: FormToken,
    CsrfForm(form): CsrfForm<AddressForm>,
) -> Result<Response, HttpError> {
    let mut checkout = match current(&state, site, &session, &cookies).await? {
        Ok((checkout, _)) => checkout,
        Err(redirect) => return Ok(redirect),
    };
    let s = ShopTexts::of(site.locale());
    let rates = &state.shop.shipping_rates;
    let checked = check_address(&form, s, |c| rates.delivers_to(c));
    match checked {
        Ok((email, address)) => {
            checkout.email = email.as_str().to_owned();
            checkout.name = address.name;
            checkout.street = address.street;
            checkout.postcode = address.postcode;
            checkout.city = address.city;
            checkout.country = address.country;
            checkout.address_done = true;
            shopper::save_checkout_state(&session, site, &checkout).await?;
            Ok(to_step(&state, site, Step::next(&checkout)))
        }
        Err(fields) => {
            let snapshot = state.snapshot.load();
            let mut page = CheckoutPage::new(&state, &snapshot, site, &csrf, Step::Address);
            let [
                (_, email),
                (_, name),
                (_, street),
                (_, postcode),
                (_, city),
                (_, country),
            ] = *fields;
            page.email = email;
            page.name = name;
            page.street = street;
            page.postcode = postcode;
            page.city = city;
            page.country = country;
            render(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

/// `cart` priced for the checkout's address.
async fn quote_for(
    state: &AppState,
    site: SiteCode,
    cookies: &Cookies,
    checkout: &CheckoutState,
    mut cart: Cart,
) -> Result<Result<Quote, Response>, HttpError> {
    let snapshot = state.snapshot.load();
    let units_per_line = state.shop.order_limits.units_per_line;
    if !super::cart::repair(&mut cart, &snapshot, site, units_per_line).is_empty() {
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

async fn shipping_page(
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
struct ShippingForm {
    #[serde(default)]
    method: String,
}

async fn save_shipping(
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

fn payment_methods(
    s: &ShopTexts,
    chosen: Option<PaymentMethod>,
) -> Vec<(&'static str, &'static str, bool)> {
    PaymentMethod::ALL
        .into_iter()
        .map(|m| (m.as_str(), s.payment_method(m.as_str()), Some(m) == chosen))
        .collect()
}

async fn payment_page(
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
struct PaymentForm {
    #[serde(default)]
    method: String,
}

async fn save_payment(
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

/// Where the checkout ships to.
fn ship_to(checkout: &CheckoutState) -> ShippingAddress {
    ShippingAddress {
        name: checkout.name.clone(),
        street: checkout.street.clone(),
        postcode: checkout.postcode.clone(),
        city: checkout.city.clone(),
        country: checkout.country.clone(),
    }
}

async fn review_page(
    State(state): State<AppState>,
    Extension(site): Extension<SiteCode>,
    session: Session,
    cookies: Cookies,
    csrf: FormToken,
) -> Result<Response, HttpError> {
    let (checkout, cart) = match current(&state, site, &session, &cookies).await? {
        Ok((checkout, cart)) if Step::next(&checkout) == Step::Review => (checkout, cart),
        Ok((checkout, _)) => return Ok(to_step(&state, site, Step::next(&checkout))),
        Err(redirect) => return Ok(redirect),
    };
    let quote = match quote_for(&state, site, &cookies, &checkout, cart).await? {
        Ok(quote) => quote,
        Err(redirect) => return Ok(redirect),
    };
    let snapshot = state.snapshot.load();
    let s = ShopTexts::of(site.locale());
    let mut page = CheckoutPage::new(&state, &snapshot, site, &csrf, Step::Review);
    page.action = state.sites.base(site).join("checkout/place");
    page.lines = views::quote_lines(&state, &snapshot, site, &quote);
    page.totals = Some(TotalsView::of(&quote.totals, site));
    page.ship_to = mails::address_text(&ship_to(&checkout));
    page.email = field(&checkout.email);
    page.payment_label = s.payment_method(checkout.payment.map_or("", PaymentMethod::as_str));
    page.attempt = checkout.idempotency_key.clone();
    render(&page, StatusCode::OK)
}

#[derive(Deserialize)]
struct PlaceForm {
    #[serde(default)]
    attempt: String,
}

/// The order an attempt placed. The attempt key is a secret shown only to the shopper
/// whose checkout it is, so a request carrying it may see the order: a concurrent
/// double click is answered before the first click's session is saved.
async fn placed_by_attempt(
    state: &AppState,
    session: &Session,
    attempt: &str,
) -> Result<Option<OrderRecord>, HttpError> {
    if attempt.len() != 64 {
        return Ok(None);
    }
    let Some(id) = state.store.order_id_by_idempotency_key(attempt).await? else {
        return Ok(None);
    };
    shopper::remember_order(session, id).await?;
    Ok(state.store.order(id).await?)
}

/// Where the shopper goes once the order exists: to pay by card, or to the order.
fn after_placing(state: &AppState, site: SiteCode, order: &OrderRecord) -> Response {
    let to_pay =
        order.payment_method == PaymentMethod::Card.as_str() && order.payment_status == "pending";
    to_order(state, site, &order.number, to_pay)
}

/// To the order's page, or first to pay for it by card.
fn to_order(state: &AppState, site: SiteCode, number: &str, to_pay: bool) -> Response {
    let path = if to_pay {
        format!("pay/{number}")
    } else {
        format!("order/{number}")
    };
    Redirect::to(&state.sites.base(site).join(&path)).into_response()
}

async fn place(
    State(state): State<AppState>,
    Extension(site): Extension<SiteCode>,
    session: Session,
    cookies: Cookies,
    csrf: FormToken,
    client: ClientAddress,
    CsrfForm(form): CsrfForm<PlaceForm>,
) -> Result<Response, HttpError> {
    // A replay of an attempt already placed (a double click, a retry after a lost
    // answer) finds its order.
    if let Some(order) = placed_by_attempt(&state, &session, &form.attempt).await? {
        return Ok(after_placing(&state, site, &order));
    }
    let (checkout, cart) = match current(&state, site, &session, &cookies).await? {
        Ok((checkout, cart)) if Step::next(&checkout) == Step::Review => (checkout, cart),
        Ok((checkout, _)) => return Ok(to_step(&state, site, Step::next(&checkout))),
        // A concurrent click may have placed the order and emptied the cart since
        // the check above.
        Err(redirect) => {
            return Ok(
                match placed_by_attempt(&state, &session, &form.attempt).await? {
                    Some(order) => after_placing(&state, site, &order),
                    None => redirect,
                },
            );
        }
    };
    if form.attempt != checkout.idempotency_key {
        // A review page from an earlier attempt: show the current one.
        return Ok(to_step(&state, site, Step::Review));
    }
    let quote = match quote_for(&state, site, &cookies, &checkout, cart).await? {
        Ok(quote) => quote,
        Err(redirect) => {
            return Ok(
                match placed_by_attempt(&state, &session, &form.attempt).await? {
                    Some(order) => after_placing(&state, site, &order),
                    None => redirect,
                },
            );
        }
    };
    let method = checkout.payment.unwrap_or(PaymentMethod::Card);
    if method != PaymentMethod::Card
        && let Some(refusal) = unpaid_limit_reached(&state, site, &client).await?
    {
        let status = StatusCode::CONFLICT;
        return super::cart::render(
            &state,
            site,
            &cookies,
            &csrf,
            Vec::new(),
            vec![refusal],
            status,
        )
        .await;
    }
    let customer = shopper::customer(state.store.as_ref(), &session)
        .await?
        .map(|customer| customer.id);
    let mut order = new_order(site, &checkout, &quote, method, customer);
    order.client_address = Some(client.0.clone());
    // Each line keeps the name the shopper saw, size or colour included.
    let snapshot = state.snapshot.load();
    for line in &mut order.lines {
        if let Some((product, _)) = snapshot.variant(&line.sku) {
            line.name = views::variant_name(&snapshot, site, product, &line.sku);
        }
    }
    let iban = state.shop.bank_transfer_iban.clone();
    // A card order is confirmed once paid; the others at once.
    let confirm_now = method != PaymentMethod::Card;
    let confirmation = |number: &comptoir_domain::order::OrderNumber| {
        confirm_now.then(|| {
            let mut summary = summary_of(&order, site);
            summary.number = number.as_str();
            mails::order_confirmation(&summary, &iban)
        })
    };
    match state.store.place_order(&order, &confirmation).await {
        Ok(placed) => {
            shopper::finish_checkout(&session, site, placed.id).await?;
            state.carts.clear(&cookies).await?;
            if placed.newly_placed {
                let to_pay = method == PaymentMethod::Card;
                return Ok(to_order(&state, site, placed.number.as_str(), to_pay));
            }
            // Placed before by this attempt: its payment may be settled already.
            let record = state
                .store
                .order(placed.id)
                .await?
                .ok_or(HttpError::internal("a placed order cannot be read back"))?;
            Ok(after_placing(&state, site, &record))
        }
        Err(StoreError::OutOfStock { sku, available }) => {
            tracing::info!(sku, available, "sold out while ordering; back to the cart");
            Ok(to_cart(&state, site, Notice::SoldOut))
        }
        Err(error) => Err(error.into()),
    }
}

/// Why `client` may not hold one more open unpaid bank-transfer or cash-on-delivery
/// order, as the shopper reads it; `None` when one more is allowed.
pub(super) async fn unpaid_limit_reached(
    state: &AppState,
    site: SiteCode,
    client: &ClientAddress,
) -> Result<Option<String>, HttpError> {
    let limit = state.shop.order_limits.open_unpaid_per_client;
    let open = state.store.open_unpaid_orders_of_client(&client.0).await?;
    if open < u64::from(limit) {
        return Ok(None);
    }
    tracing::info!(client = client.0, open, "open unpaid orders limited");
    let message = ShopTexts::of(site.locale()).too_many_unpaid;
    Ok(Some(message.replace("{n}", &open.to_string())))
}

/// The order to place, every amount from the quote (the catalogue), none from the
/// shopper.
fn new_order(
    site: SiteCode,
    checkout: &CheckoutState,
    quote: &Quote,
    method: PaymentMethod,
    customer_id: Option<i64>,
) -> NewOrder {
    let totals = &quote.totals;
    let lines = quote
        .lines
        .iter()
        .zip(&totals.lines)
        .map(|(line, total)| NewOrderLine {
            sku: line.sku.clone(),
            name: line.product_name.clone(),
            unit_cents: line.unit_price.cents(),
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
    }
}

fn summary_of(order: &NewOrder, site: SiteCode) -> OrderSummary<'_> {
    OrderSummary {
        site,
        number: "",
        email: &order.email,
        ship_to: &order.ship_to,
        lines: order
            .lines
            .iter()
            .map(|l| (l.name.as_str(), i64::from(l.quantity), l.gross_cents))
            .collect(),
        shipping_cents: order.shipping_cents,
        vat_cents: order.vat_cents,
        total_cents: order.total_cents,
        payment_method: &order.payment_method,
    }
}
