//! What the address step asks beside the address: the phone the carrier calls, the
//! province of an Italian address, and, if the shopper wants one, an invoice in a
//! company's (or their own) name with its tax id and billing address.

use comptoir_domain::destination::italian_province;
use comptoir_domain::phone::Phone;
use comptoir_domain::tax_id::TaxId;

use super::*;
use crate::shopper::InvoiceRequest;

/// The fields of the invoice form, as typed, each with its message.
#[derive(Default)]
pub(super) struct InvoiceFields {
    pub(super) open: bool,
    pub(super) name: Field,
    pub(super) tax_id: Field,
    pub(super) street: Field,
    pub(super) postcode: Field,
    pub(super) city: Field,
    pub(super) country: Field,
}

impl InvoiceFields {
    pub(super) fn fields(&self) -> [&Field; 6] {
        [
            &self.name,
            &self.tax_id,
            &self.street,
            &self.postcode,
            &self.city,
            &self.country,
        ]
    }

    /// The fields of a stored request, to show it again.
    pub(super) fn of(request: Option<&InvoiceRequest>) -> InvoiceFields {
        let Some(request) = request else {
            return InvoiceFields::default();
        };
        InvoiceFields {
            open: true,
            name: field(&request.name),
            tax_id: field(&request.tax_id),
            street: field(&request.street),
            postcode: field(&request.postcode),
            city: field(&request.city),
            country: field(&request.country),
        }
    }
}

/// The phone (international form) and the province (Italy's addresses only), or
/// their fields with messages.
pub(super) fn check_contact(
    form: &AddressForm,
    s: &ShopTexts,
) -> Result<(String, String), Box<(Field, Field)>> {
    let country = Country::parse(&form.country).ok();
    let phone = country.and_then(|country| Phone::parse(country, &form.phone).ok());
    let phone_field = Field {
        value: form.phone.trim().to_owned(),
        error: match (form.phone.trim().is_empty(), &phone) {
            (true, _) => Some(s.required_field),
            (false, None) => Some(s.invalid_phone),
            (false, Some(_)) => None,
        },
    };
    let in_italy = country == Some(Country::It);
    let region = italian_province(&form.region);
    let region_field = Field {
        value: form.region.trim().to_owned(),
        error: (in_italy && region.is_none()).then_some(s.invalid_region),
    };
    match (phone, phone_field.error.or(region_field.error)) {
        (Some(phone), None) => Ok((
            phone.as_str().to_owned(),
            region.filter(|_| in_italy).unwrap_or_default().to_owned(),
        )),
        _ => Err(Box::new((phone_field, region_field))),
    }
}

/// The invoice request, if any of its fields was filled: then every one is
/// required, the tax id checked for the billing country.
pub(super) fn check_invoice(
    form: &AddressForm,
    s: &ShopTexts,
) -> Result<Option<InvoiceRequest>, Box<InvoiceFields>> {
    let typed = [
        &form.invoice_name,
        &form.tax_id,
        &form.billing_street,
        &form.billing_postcode,
        &form.billing_city,
    ];
    if typed.iter().all(|value| value.trim().is_empty()) {
        return Ok(None);
    }
    let country = Country::parse(&form.billing_country).ok();
    let tax_id = country.and_then(|country| TaxId::parse(country, &form.tax_id).ok());
    let postcode =
        country.and_then(|country| Postcode::parse(country, &form.billing_postcode).ok());
    let fields = InvoiceFields {
        open: true,
        name: text_field(&form.invoice_name, s),
        tax_id: Field {
            value: form.tax_id.trim().to_owned(),
            error: tax_id.is_none().then_some(s.invalid_tax_id),
        },
        street: text_field(&form.billing_street, s),
        postcode: Field {
            value: form.billing_postcode.trim().to_owned(),
            error: postcode.is_none().then_some(s.invalid_postcode),
        },
        city: text_field(&form.billing_city, s),
        country: Field {
            value: form.billing_country.trim().to_owned(),
            error: country.is_none().then_some(s.no_delivery),
        },
    };
    match (
        tax_id,
        postcode,
        fields.fields().iter().all(|f| f.error.is_none()),
    ) {
        (Some(tax_id), Some(postcode), true) => Ok(Some(InvoiceRequest {
            name: fields.name.value,
            tax_id: tax_id.as_str().to_owned(),
            street: fields.street.value,
            postcode: postcode.as_str().to_owned(),
            city: fields.city.value,
            country: postcode.country().code().to_owned(),
            vies: None,
        })),
        _ => Err(Box::new(fields)),
    }
}
