//! The checkout's first step: where the order goes (and who is told), prefilled
//! from the account when the shopper has one.

use super::*;
use crate::shopper::InvoiceRequest;

/// A logged-in customer's e-mail and first saved address.
pub(super) async fn prefill_from_account(
    shop: &Shop,
    customer: comptoir_store::Customer,
    checkout: &mut CheckoutState,
) -> Result<(), HttpError> {
    let customer_id = customer.id;
    checkout.email = customer.email;
    checkout.name = customer.name;
    if let Some(saved) = shop
        .state
        .store
        .addresses(customer_id)
        .await?
        .into_iter()
        .next()
    {
        checkout.name = saved.address.name;
        checkout.street = saved.address.street;
        checkout.postcode = saved.address.postcode;
        checkout.city = saved.address.city;
        checkout.country = saved.address.country;
    }
    Ok(())
}

pub(super) fn field(value: &str) -> Field {
    Field {
        value: value.to_owned(),
        error: None,
    }
}

pub(super) async fn address_page(
    shop: Shop,
    checkout: ActiveCheckout,
    csrf: FormToken,
) -> Result<Response, HttpError> {
    let ActiveCheckout {
        details: checkout,
        cart,
        buyer,
        ..
    } = checkout;
    let mut page =
        CheckoutPage::with_summary(&shop, &csrf, Step::Address, &checkout, &cart, &buyer);
    page.email = field(&checkout.email);
    page.name = field(&checkout.name);
    page.street = field(&checkout.street);
    page.postcode = field(&checkout.postcode);
    page.city = field(&checkout.city);
    page.phone = field(&checkout.phone);
    page.region = field(&checkout.region);
    page.show_region |= checkout.country == Country::It.code();
    page.invoice = InvoiceFields::of(checkout.invoice.as_ref());
    page.country = field(if checkout.country.is_empty() {
        checkout::home_country(shop.site).code()
    } else {
        &checkout.country
    });
    render(&page, StatusCode::OK)
}

/// The address form's fields as typed, each with its message: email, name, street,
/// postcode, city, country.
type AddressFields = [(&'static str, Field); 6];

/// A required text field, trimmed and bounded.
pub(super) fn text_field(value: &str, s: &ShopTexts) -> Field {
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
pub(super) fn check_address(
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
        ..
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

pub(super) async fn save_address(
    shop: Shop,
    checkout: Result<ActiveCheckout, HttpError>,
    csrf: FormToken,
    CsrfForm(form): CsrfForm<AddressForm>,
) -> Result<Response, HttpError> {
    let mut checkout = checkout?;
    let s = shop.s();
    let rates = &shop.state.shop.shipping_rates;
    let address = check_address(&form, s, |c| rates.delivers_to(c));
    let contact = check_contact(&form, s);
    let invoice = check_invoice(&form, s);
    if let (Ok((email, address)), Ok((phone, region)), Ok(invoice)) = (&address, &contact, &invoice)
    {
        let details = &mut checkout.details;
        details.email = email.as_str().to_owned();
        details.name = address.name.clone();
        details.street = address.street.clone();
        details.postcode = address.postcode.clone();
        details.city = address.city.clone();
        details.country = address.country.clone();
        details.phone = phone.clone();
        details.region = region.clone();
        let before = std::mem::replace(&mut details.invoice, invoice.clone());
        details.address_done = true;
        ask_vies(&shop, details, before).await;
        checkout.save(&shop).await?;
        return Ok(to_step(&shop, Step::next(&checkout.details)));
    }
    // Sent back: every field as typed, the wrong ones with their message.
    let mut page = CheckoutPage::with_summary(
        &shop,
        &csrf,
        Step::Address,
        &checkout.details,
        &checkout.cart,
        &checkout.buyer,
    );
    let typed = |value: &str| field(value.trim());
    [
        page.email,
        page.name,
        page.street,
        page.postcode,
        page.city,
        page.country,
    ] = match address {
        Ok(_) => [
            typed(&form.email),
            typed(&form.name),
            typed(&form.street),
            typed(&form.postcode),
            typed(&form.city),
            typed(&form.country),
        ],
        Err(fields) => fields.map(|(_, field)| field),
    };
    (page.phone, page.region) = match contact {
        Ok(_) => (typed(&form.phone), typed(&form.region)),
        Err(fields) => *fields,
    };
    page.show_region |= page.country.value == Country::It.code();
    page.invoice = match invoice {
        Ok(request) => InvoiceFields::of(request.as_ref()),
        Err(fields) => *fields,
    };
    render(&page, StatusCode::UNPROCESSABLE_ENTITY)
}

/// Asks VIES about the tax id of an invoice for a business in another member state,
/// where the order goes: confirmed, the order is an exempt intra-community supply.
/// The same number saved again keeps the verdict of `before`, the invoice saved
/// last: VIES is asked again only when it did not answer.
async fn ask_vies(shop: &Shop, details: &mut CheckoutState, before: Option<InvoiceRequest>) {
    let abroad = checkout_postcode(details)
        .map(|postcode| Destination::of(&postcode))
        .is_some_and(Destination::in_another_member_state);
    let Some(invoice) = details.invoice.as_mut() else {
        return;
    };
    let country = Country::parse(&invoice.country)
        .ok()
        .filter(|c| *c != Country::Es);
    let known = before
        .filter(|b| b.country == invoice.country && b.tax_id == invoice.tax_id)
        .and_then(|b| b.vies)
        .filter(|verdict| *verdict != ViesCheck::Unavailable);
    invoice.vies = match country {
        Some(_) if abroad && known.is_some() => known,
        Some(country) if abroad => Some(shop.state.vies.check(country, &invoice.tax_id).await),
        _ => None,
    };
}
