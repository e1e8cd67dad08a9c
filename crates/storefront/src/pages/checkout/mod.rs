//! The checkout: address → shipping → payment → review → place order, then the order
//! page. Guests may check out. Each step keeps what the shopper chose in the session;
//! the order is priced again from the catalogue when it is placed, in one database
//! transaction with an idempotency key per attempt, so a double click, a retry or a
//! replay yields one order.

use askama::Template;
use axum::Router;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use comptoir_domain::SiteCode;
use comptoir_domain::cart::Cart;
use comptoir_domain::checkout::{self, Quote, QuoteError};
use comptoir_domain::content::ContentRole;
use comptoir_domain::destination::{Country, Destination, Postcode};
use comptoir_domain::email::Email;
use comptoir_domain::promotions::CodeVerdict;
use comptoir_payments::PaymentMethod;
use comptoir_store::{
    AcceptedTerms, NewOrder, NewOrderLine, NewOrderPromotion, OrderRecord, ShippingAddress,
    StoreError,
};
use serde::Deserialize;
use tower_cookies::Cookies;
use tower_sessions::Session;

use super::views::{self, Layout, PricedLine, TotalsView};
use crate::extract::{ActiveCheckout, Buyer, ClientAddress, Shop, SignedIn};
use crate::i18n::ShopTexts;
use crate::mails::{self, OrderSummary};
use crate::pages::cart::{Notice, to_cart};
use crate::shopper::{self, CheckoutState};
use crate::vies::ViesCheck;
use crate::{AppState, HttpError};
use comptoir_web::csrf::{CsrfForm, FormToken};

mod address;
mod contact;
mod payment;
mod place;

use address::*;
use contact::*;
use payment::*;
pub(super) use place::*;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/checkout", get(start))
        .route("/checkout/address", get(address_page).post(save_address))
        .route("/checkout/payment", get(payment_page).post(save_payment))
        .route("/checkout/review", get(review_page))
        .route("/checkout/place", post(place))
}

/// The one shipping method offered today, so the checkout has no step to choose
/// one; its rates are per country.
pub const STANDARD_SHIPPING: &str = "standard";
/// Longest text accepted in an address field.
const MAX_FIELD_CHARS: usize = 200;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    Address,
    Payment,
    Review,
}

impl Step {
    fn path(self) -> &'static str {
        match self {
            Step::Address => "checkout/address",
            Step::Payment => "checkout/payment",
            Step::Review => "checkout/review",
        }
    }

    /// The first step the shopper has not done yet.
    fn next(state: &CheckoutState) -> Step {
        if !state.address_done {
            Step::Address
        } else if state.payment.is_none() {
            Step::Payment
        } else {
            Step::Review
        }
    }
}

fn to_step(shop: &Shop, step: Step) -> Response {
    shop.redirect(step.path())
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
    /// `address`, `payment` or `review`.
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
    phone: Field,
    /// The province, asked of an Italian address.
    region: Field,
    show_region: bool,
    invoice: InvoiceFields,
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
    /// (title, URL) of the site's terms of sale and privacy policy, linked beside
    /// the box that accepts them.
    terms_link: Option<(String, String)>,
    privacy_link: Option<(String, String)>,
    /// The order was refused for want of the box ticked.
    terms_refused: bool,
    /// At review: the code entered in the cart, kept until removed.
    code: Option<String>,
    /// At review: the total shown, sent back with the order to be compared.
    total_cents: i64,
}

impl<'a> CheckoutPage<'a> {
    fn new(shop: &'a Shop, csrf: &FormToken, step: Step) -> CheckoutPage<'a> {
        let s = shop.s();
        let order = [Step::Address, Step::Payment, Step::Review];
        let at = order.iter().position(|x| *x == step).unwrap_or(0);
        CheckoutPage {
            layout: Layout::new(shop, s.checkout.to_owned(), None),
            csrf: csrf.0.clone(),
            steps: [s.step_address, s.step_payment, s.step_review]
                .into_iter()
                .enumerate()
                .map(|(i, label)| StepLink {
                    label,
                    current: i == at,
                })
                .collect(),
            step: match step {
                Step::Address => "address",
                Step::Payment => "payment",
                Step::Review => "review",
            },
            action: shop.url(step.path()),
            back_url: match at {
                0 => Some(shop.url("cart")),
                n => Some(shop.url(order[n - 1].path())),
            },
            errors: Vec::new(),
            email: Field::default(),
            name: Field::default(),
            street: Field::default(),
            postcode: Field::default(),
            city: Field::default(),
            country: Field::default(),
            phone: Field::default(),
            region: Field::default(),
            show_region: shop.site == comptoir_domain::SiteCode::It,
            invoice: InvoiceFields::default(),
            countries: delivery_countries(shop),
            shipping_price: String::new(),
            payment_methods: Vec::new(),
            lines: Vec::new(),
            totals: None,
            ship_to: String::new(),
            payment_label: "",
            attempt: String::new(),
            terms_link: None,
            privacy_link: None,
            terms_refused: false,
            code: None,
            total_cents: 0,
        }
    }
}

/// One input of the address form.
struct AddressInput<'f> {
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    autocomplete: &'static str,
    required: bool,
    field: &'f Field,
}

impl<'f> AddressInput<'f> {
    fn new(
        name: &'static str,
        label: &'static str,
        kind: &'static str,
        autocomplete: &'static str,
        field: &'f Field,
    ) -> AddressInput<'f> {
        AddressInput {
            name,
            label,
            kind,
            autocomplete,
            required: true,
            field,
        }
    }

    /// An input of the invoice section, which the shopper may leave empty.
    fn optional(mut self) -> AddressInput<'f> {
        self.required = false;
        self
    }
}

impl<'a> CheckoutPage<'a> {
    /// The order beside the step: its lines, shipping and totals as `quote` prices
    /// them.
    fn summarise(&mut self, shop: &Shop, quote: &Quote) {
        let s = shop.s();
        self.lines = views::quote_lines(shop, quote);
        self.totals = Some(TotalsView::of(shop, quote));
        self.shipping_price = match quote.totals.shipping.gross.cents() {
            0 => s.free.to_owned(),
            _ => quote.totals.shipping.gross.format(shop.locale()),
        };
    }

    /// The page of `step` with the order's summary beside it, priced for the
    /// checkout's address once known.
    fn with_summary(
        shop: &'a Shop,
        csrf: &FormToken,
        step: Step,
        details: &CheckoutState,
        cart: &Cart,
        buyer: &Buyer,
    ) -> CheckoutPage<'a> {
        let mut page = CheckoutPage::new(shop, csrf, step);
        if let Some(quote) = summary_quote(shop, details, cart, buyer) {
            page.summarise(shop, &quote);
        }
        page
    }

    /// Whether a field of the form was sent back wrong: the page says so at its top.
    fn has_field_errors(&self) -> bool {
        [
            &self.email,
            &self.name,
            &self.street,
            &self.postcode,
            &self.city,
            &self.country,
            &self.phone,
            &self.region,
        ]
        .into_iter()
        .chain(self.invoice.fields())
        .any(|field| field.error.is_some())
    }

    fn address_inputs(&self) -> Vec<AddressInput<'_>> {
        let s = self.layout.s;
        vec![
            AddressInput::new("email", s.email, "email", "email", &self.email),
            AddressInput::new("name", s.full_name, "text", "name", &self.name),
            AddressInput::new("street", s.street, "text", "street-address", &self.street),
            AddressInput::new(
                "postcode",
                s.postcode,
                "text",
                "postal-code",
                &self.postcode,
            ),
            AddressInput::new("city", s.city, "text", "address-level2", &self.city),
        ]
    }

    /// The province (of an Italian address) and the phone.
    fn contact_inputs(&self) -> Vec<AddressInput<'_>> {
        let s = self.layout.s;
        let region = AddressInput::new("region", s.region, "text", "address-level1", &self.region);
        self.show_region
            .then_some(region)
            .into_iter()
            .chain([AddressInput::new(
                "phone",
                s.phone,
                "tel",
                "tel",
                &self.phone,
            )])
            .collect()
    }

    fn invoice_inputs(&self) -> Vec<AddressInput<'_>> {
        let (s, invoice) = (self.layout.s, &self.invoice);
        vec![
            AddressInput::new(
                "invoice_name",
                s.invoice_name,
                "text",
                "organization",
                &invoice.name,
            )
            .optional(),
            AddressInput::new("tax_id", s.tax_id, "text", "off", &invoice.tax_id).optional(),
        ]
    }

    fn billing_inputs(&self) -> Vec<AddressInput<'_>> {
        let (s, invoice) = (self.layout.s, &self.invoice);
        vec![
            AddressInput::new(
                "billing_street",
                s.street,
                "text",
                "billing street-address",
                &invoice.street,
            )
            .optional(),
            AddressInput::new(
                "billing_postcode",
                s.postcode,
                "text",
                "billing postal-code",
                &invoice.postcode,
            )
            .optional(),
            AddressInput::new(
                "billing_city",
                s.city,
                "text",
                "billing address-level2",
                &invoice.city,
            )
            .optional(),
        ]
    }
}

#[derive(Deserialize)]
/// The address step's form, also the account's address book form.
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
    /// The checkout's alone from here: the address book keeps addresses only.
    #[serde(default)]
    pub(super) phone: String,
    #[serde(default)]
    pub(super) region: String,
    #[serde(default)]
    pub(super) invoice_name: String,
    #[serde(default)]
    pub(super) tax_id: String,
    #[serde(default)]
    pub(super) billing_street: String,
    #[serde(default)]
    pub(super) billing_postcode: String,
    #[serde(default)]
    pub(super) billing_city: String,
    #[serde(default)]
    pub(super) billing_country: String,
}

/// (code, name in the site's language) of the countries the shop delivers to.
pub(super) fn delivery_countries(shop: &Shop) -> Vec<(&'static str, &'static str)> {
    Country::ALL
        .into_iter()
        .filter(|c| shop.state.shop.shipping_rates.delivers_to(*c))
        .map(|c| (c.code(), shop.s().country_name(c)))
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

fn render(page: &CheckoutPage<'_>, status: StatusCode) -> Result<Response, HttpError> {
    Ok((status, Html(views::render_page(page)?)).into_response())
}

/// The cart priced for the summary beside a step: for the checkout's address once
/// it is known, else for the site's mainland. `None` when it cannot be priced (the
/// step that needs the price says why).
fn summary_quote(
    shop: &Shop,
    details: &CheckoutState,
    cart: &Cart,
    buyer: &Buyer,
) -> Option<Quote> {
    let destination = checkout_destination(details)
        .unwrap_or_else(|| Destination::mainland(checkout::home_country(shop.site)));
    shop.quote(cart, destination, buyer).ok()
}

/// Where the checkout ships, once the address gives it: for a business abroad
/// whose VAT number VIES confirmed, an exempt intra-community supply.
fn checkout_destination(details: &CheckoutState) -> Option<Destination> {
    let destination = Destination::of(&checkout_postcode(details)?);
    let business = details
        .invoice
        .as_ref()
        .is_some_and(|invoice| matches!(invoice.vies, Some(ViesCheck::Confirmed { .. })));
    Some(if business {
        destination.for_business_abroad()
    } else {
        destination
    })
}

/// The checkout's postcode, in its country's form, once the address gives one.
fn checkout_postcode(details: &CheckoutState) -> Option<Postcode> {
    let country = Country::parse(&details.country).ok()?;
    Postcode::parse(country, &details.postcode).ok()
}

/// `/checkout`: starts a checkout (or resumes one) at the first step not done.
async fn start(
    shop: Shop,
    session: Session,
    cookies: Cookies,
    customer: Option<SignedIn>,
) -> Result<Response, HttpError> {
    if shop.state.carts.load(&cookies).await?.lines.is_empty() {
        return Ok(to_cart(&shop, Notice::Updated));
    }
    let checkout = match shopper::checkout_state(&session, shop.site).await? {
        Some(checkout) => checkout,
        None => {
            let mut checkout = CheckoutState {
                idempotency_key: comptoir_web::random_token(),
                ..CheckoutState::default()
            };
            if let Some(SignedIn(customer)) = customer {
                prefill_from_account(&shop, customer, &mut checkout).await?;
            }
            shopper::save_checkout_state(&session, shop.site, &checkout).await?;
            checkout
        }
    };
    Ok(to_step(&shop, Step::next(&checkout)))
}
