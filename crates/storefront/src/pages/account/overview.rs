//! The account itself: the order history and the address book.

use comptoir_domain::local_time::TimeZone;

use super::*;

// ---------- the account ----------

pub(super) struct OrderRow {
    number: String,
    url: String,
    date: String,
    status: String,
    total: String,
}

/// An order of the shop Comptoir replaced: read only.
pub(super) struct PreviousOrderRow {
    number: String,
    date: String,
    status: String,
    total: String,
    /// `1 × Disfraz de bruja (BRUJA-M)`, each line.
    lines: Vec<String>,
    shipments: Vec<String>,
}

pub(super) struct AddressRow {
    id: i64,
    text: String,
}

#[derive(Template)]
#[template(path = "account.html")]
pub(super) struct AccountPage<'a> {
    layout: Layout<'a>,
    csrf: String,
    name: String,
    email: String,
    notices: Vec<String>,
    errors: Vec<String>,
    orders: Vec<OrderRow>,
    previous_orders: Vec<PreviousOrderRow>,
    addresses: Vec<AddressRow>,
    /// The add-address form: (name, label, value, error) per input.
    address_inputs: Vec<Input>,
    countries: Vec<(&'static str, &'static str)>,
    country: String,
    /// When the customer asked to be erased, if the request is pending.
    erasure_requested: Option<String>,
    /// "Subscribed since …" when they get the newsletter.
    newsletter_since: Option<String>,
}

pub(super) async fn overview(
    shop: Shop,
    SignedIn(customer): SignedIn,
    csrf: FormToken,
    Query(query): Query<Notice>,
) -> Result<Response, HttpError> {
    let notices = match query.notice.as_deref() {
        Some("address-saved") => vec![shop.s().address_saved.to_owned()],
        Some("newsletter-on") => vec![shop.s().newsletter_on.to_owned()],
        Some("newsletter-off") => vec![shop.s().newsletter_off.to_owned()],
        _ => Vec::new(),
    };
    account_page(&shop, customer, &csrf, notices, Vec::new(), None).await
}

/// The account page; `form` is an address form sent back with its messages, and
/// `errors` why the last change was refused.
pub(super) async fn account_page(
    shop: &Shop,
    customer: Customer,
    csrf: &FormToken,
    notices: Vec<String>,
    errors: Vec<String>,
    form: Option<(Vec<Input>, String)>,
) -> Result<Response, HttpError> {
    let (state, site, locale, s) = (&shop.state, shop.site, shop.locale(), shop.s());
    let orders = state
        .store
        .customer_orders(customer.id, ORDER_HISTORY)
        .await?
        .into_iter()
        .map(|order| {
            let order_site = SiteCode::parse(&order.site).unwrap_or(site);
            OrderRow {
                url: state
                    .sites
                    .base(order_site)
                    .join(&format!("order/{}", order.number)),
                date: TimeZone::of_site(order_site)
                    .local(order.placed_at)
                    .format("%d/%m/%Y")
                    .to_string(),
                status: format!(
                    "{} · {}",
                    s.payment_status(&order.payment_status),
                    s.fulfilment_status(&order.fulfilment_status)
                ),
                total: Money::from_cents(order.total_cents, site.currency()).format(locale),
                number: order.number,
            }
        })
        .collect();
    let previous_orders = state
        .store
        .customer_legacy_orders(customer.id)
        .await?
        .into_iter()
        .map(|order| {
            PreviousOrderRow {
                date: TimeZone::of_site(order.site)
                    .local(order.placed_at)
                    .format("%d/%m/%Y")
                    .to_string(),
                status: s.previous_order_status(&order.status),
                // Every site sells in euros, as the old shop did.
                total: Money::from_cents(order.total_cents, order.site.currency()).format(locale),
                lines: order
                    .lines
                    .iter()
                    .map(|line| format!("{} × {} ({})", line.units, line.name, line.sku))
                    .collect(),
                shipments: order.shipments,
                number: order.number,
            }
        })
        .collect();
    let addresses = state
        .store
        .addresses(customer.id)
        .await?
        .into_iter()
        .map(|saved| AddressRow {
            id: saved.id,
            text: mails::address_text(&saved.address),
        })
        .collect();
    let erasure_requested = state.store.pending_erasure(customer.id).await?.map(|at| {
        let date = TimeZone::of_site(site).local(at).format("%d/%m/%Y");
        s.erase_requested.replace("{date}", &date.to_string())
    });
    let newsletter_since = state
        .store
        .newsletter_subscription(&customer.email)
        .await?
        .map(|at| {
            let date = TimeZone::of_site(site).local(at).format("%d/%m/%Y");
            s.newsletter_since.replace("{date}", &date.to_string())
        });
    let has_errors = form.is_some() || !errors.is_empty();
    let (address_inputs, country) = form.unwrap_or_else(|| {
        (
            address_inputs(s),
            comptoir_domain::checkout::home_country(site)
                .code()
                .to_owned(),
        )
    });
    let page = AccountPage {
        layout: Layout::new(shop, s.my_account.to_owned(), None),
        csrf: csrf.0.clone(),
        name: customer.name,
        email: customer.email,
        notices,
        errors,
        orders,
        previous_orders,
        addresses,
        address_inputs,
        countries: crate::pages::checkout::delivery_countries(shop),
        country,
        erasure_requested,
        newsletter_since,
    };
    let status = if has_errors {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render(&page, status)
}

pub(super) fn address_inputs(s: &ShopTexts) -> Vec<Input> {
    vec![
        Input::new("name", s.full_name, "text", "name"),
        Input::new("street", s.street, "text", "street-address"),
        Input::new("postcode", s.postcode, "text", "postal-code"),
        Input::new("city", s.city, "text", "address-level2"),
    ]
}

pub(super) async fn add_address(
    shop: Shop,
    customer: Result<SignedIn, HttpError>,
    csrf: FormToken,
    CsrfForm(mut form): CsrfForm<AddressForm>,
) -> Result<Response, HttpError> {
    let SignedIn(customer) = customer?;
    let s = shop.s();
    // The address book's addresses are the account's: its e-mail address.
    form.email = customer.email.clone();
    let checked = crate::pages::checkout::check_address_fields(&shop.state, &form, s);
    match checked {
        Ok(address) => {
            let added = shop
                .state
                .store
                .add_address(customer.id, &address, MAX_ADDRESSES)
                .await?;
            if added.is_some() {
                return Ok(shop.redirect("account?notice=address-saved"));
            }
            let full = s
                .address_book_full
                .replace("{n}", &MAX_ADDRESSES.to_string());
            account_page(&shop, customer, &csrf, Vec::new(), vec![full], None).await
        }
        Err(errors) => {
            let inputs = address_inputs(s)
                .into_iter()
                .zip([&form.name, &form.street, &form.postcode, &form.city])
                .map(|(input, value)| {
                    let error = errors.get(input.name).copied();
                    input.with_value(value).with_error(error)
                })
                .collect();
            account_page(
                &shop,
                customer,
                &csrf,
                Vec::new(),
                Vec::new(),
                Some((inputs, form.country.clone())),
            )
            .await
        }
    }
}

#[derive(Deserialize)]
pub(super) struct DeleteAddressForm {
    #[serde(default)]
    id: String,
}

pub(super) async fn delete_address(
    shop: Shop,
    customer: Result<SignedIn, HttpError>,
    CsrfForm(form): CsrfForm<DeleteAddressForm>,
) -> Result<Response, HttpError> {
    let SignedIn(customer) = customer?;
    let id: i64 = form
        .id
        .parse()
        .map_err(|_| HttpError::BadRequest("address id"))?;
    if !shop.state.store.delete_address(customer.id, id).await? {
        // Another customer's address does not exist, as far as this one can tell.
        return Err(HttpError::NotFound);
    }
    Ok(shop.redirect("account"))
}

// ---------- newsletter ----------

#[derive(Deserialize)]
pub(super) struct NewsletterForm {
    /// Present ("1") when the box is ticked; an unticked box sends nothing.
    #[serde(default)]
    subscribed: Option<String>,
}

/// The customer subscribes to the newsletter of the site they are on, or leaves it.
pub(super) async fn set_newsletter(
    shop: Shop,
    customer: Result<SignedIn, HttpError>,
    CsrfForm(form): CsrfForm<NewsletterForm>,
) -> Result<Response, HttpError> {
    let SignedIn(customer) = customer?;
    let subscribed = form.subscribed.is_some();
    shop.state
        .store
        .set_newsletter(&customer.email, shop.site, subscribed, Utc::now())
        .await?;
    tracing::info!(
        customer = customer.id,
        subscribed,
        "newsletter choice saved"
    );
    let notice = if subscribed {
        "newsletter-on"
    } else {
        "newsletter-off"
    };
    Ok(shop.redirect(&format!("account?notice={notice}")))
}

// ---------- erasure ----------

#[derive(Deserialize)]
pub(super) struct EraseForm {
    #[serde(default)]
    password: String,
}

/// The customer asks to be erased, confirming with their password; staff carry it
/// out (or refuse it, saying why) from the back office.
pub(super) async fn request_erasure(
    shop: Shop,
    customer: Result<SignedIn, HttpError>,
    csrf: FormToken,
    CsrfForm(form): CsrfForm<EraseForm>,
) -> Result<Response, HttpError> {
    let SignedIn(customer) = customer?;
    let stored = customer.password_hash.clone();
    let verification =
        blocking(move || comptoir_accounts::verify_account(&form.password, Some(&stored))).await?;
    if verification == Verification::Invalid {
        let errors = vec![shop.s().erase_wrong_password.to_owned()];
        return account_page(&shop, customer, &csrf, Vec::new(), errors, None).await;
    }
    let first = shop
        .state
        .store
        .request_erasure(customer.id, &customer.email, shop.site, Utc::now())
        .await?;
    if first {
        tracing::info!(customer = customer.id, "erasure requested");
    }
    Ok(shop.redirect("account"))
}
