//! The e-mails the shop sends, in the language of the site they concern. They are
//! queued in the outbox with what they announce and sent by the mail worker.

use comptoir_domain::checkout::WITHDRAWAL_DAYS;
use comptoir_domain::content::ContentRole;
use comptoir_domain::{Money, SiteCode};
use comptoir_store::{InvoiceDetails, OrderRecord, OutgoingMail, ShippingAddress};

use crate::AppState;
use crate::i18n::ShopTexts;
use crate::pages::WITHDRAWAL_FORM_PATH;

/// The links an order's confirmation carries: the order's page and how to withdraw.
pub struct OrderLinks {
    pub order: String,
    /// The site's returns and withdrawal page, when it has one.
    pub withdrawal_page: Option<String>,
    pub withdrawal_form: String,
}

impl OrderLinks {
    pub fn of(state: &AppState, site: SiteCode, number: &str) -> OrderLinks {
        let base = state.sites.base(site);
        let snapshot = state.snapshot.load();
        OrderLinks {
            order: base.join(&format!("order/{number}")),
            withdrawal_page: snapshot
                .content()
                .site(site)
                .page_with_role(ContentRole::Withdrawal)
                .map(|page| base.join(&page.url_key)),
            withdrawal_form: base.join(WITHDRAWAL_FORM_PATH),
        }
    }
}

/// An address on one line, as pages and mails show it:
/// `Ana García, Calle Mayor 1, 28013 Madrid (ES)`.
pub fn address_text(address: &ShippingAddress) -> String {
    format!(
        "{}, {}, {} {} ({})",
        address.name, address.street, address.postcode, address.city, address.country
    )
}

/// What an order confirmation says, from an order about to be placed or a stored one.
pub struct OrderSummary<'a> {
    pub site: SiteCode,
    pub number: &'a str,
    pub email: &'a str,
    pub ship_to: &'a ShippingAddress,
    pub phone: &'a str,
    pub invoice: Option<&'a InvoiceDetails>,
    /// (description, quantity, line total in cents).
    pub lines: Vec<(&'a str, i64, i64)>,
    /// Each promotion: its name with its code, and what it took off in cents (0 for
    /// free shipping alone).
    pub discounts: Vec<(String, i64)>,
    pub shipping_cents: i64,
    pub vat_cents: i64,
    pub total_cents: i64,
    pub payment_method: &'a str,
}

impl<'a> OrderSummary<'a> {
    pub fn of_record(order: &'a OrderRecord, site: SiteCode) -> OrderSummary<'a> {
        OrderSummary {
            site,
            number: &order.number,
            email: &order.email,
            ship_to: &order.ship_to,
            phone: &order.phone,
            invoice: order.invoice.as_ref(),
            lines: order
                .lines
                .iter()
                .map(|l| (l.name.as_str(), l.quantity, l.gross_cents))
                .collect(),
            discounts: order
                .promotions
                .iter()
                .map(|p| (discount_label(&p.name, p.code.as_deref()), p.amount_cents))
                .collect(),
            shipping_cents: order.shipping_cents,
            vat_cents: order.vat_cents,
            total_cents: order.total_cents,
            payment_method: &order.payment_method,
        }
    }
}

/// The order confirmation, with how to pay when payment is still to come.
/// A promotion as mails and pages name it: `Name (CODE)`.
pub fn discount_label(name: &str, code: Option<&str>) -> String {
    match code {
        Some(code) => format!("{name} ({code})"),
        None => name.to_owned(),
    }
}

pub fn order_confirmation(
    order: &OrderSummary<'_>,
    bank_transfer_iban: &str,
    links: &OrderLinks,
) -> OutgoingMail {
    let locale = order.site.locale();
    let s = ShopTexts::of(locale);
    let amount = |cents: i64| Money::from_cents(cents, order.site.currency()).format(locale);
    let mut body = s
        .order_mail_intro
        .replace("{name}", &order.ship_to.name)
        .replace("{number}", order.number);
    body.push_str("\n\n");
    for (description, quantity, total) in &order.lines {
        body.push_str(&format!(
            "  {quantity} × {description}: {}\n",
            amount(*total)
        ));
    }
    for (label, cents) in &order.discounts {
        let given = if *cents > 0 {
            format!("−{}", amount(*cents))
        } else {
            s.free_shipping.to_owned()
        };
        body.push_str(&format!("  {label}: {given}\n"));
    }
    body.push_str(&format!(
        "\n{}: {}\n{}: {}\n{} ({}): {}\n\n{}: {}\n{}: {}\n",
        s.shipping,
        amount(order.shipping_cents),
        s.total,
        amount(order.total_cents),
        s.vat_of_which,
        s.total.to_lowercase(),
        amount(order.vat_cents),
        s.ship_to,
        address_text(order.ship_to),
        s.payment_method,
        s.payment_method(order.payment_method),
    ));
    if !order.phone.is_empty() {
        body.push_str(&format!("{}: {}\n", s.phone, order.phone));
    }
    if let Some(invoice) = order.invoice {
        body.push_str(&format!(
            "{}: {} · {}\n{}: {}\n",
            s.invoice_name,
            invoice.billing.name,
            invoice.tax_id,
            s.billing_address,
            address_text(&invoice.billing),
        ));
    }
    match order.payment_method {
        "bank-transfer" => {
            body.push('\n');
            body.push_str(
                &s.transfer_instructions
                    .replace("{amount}", &amount(order.total_cents))
                    .replace("{iban}", bank_transfer_iban)
                    .replace("{number}", order.number),
            );
            body.push('\n');
        }
        "cash-on-delivery" => {
            body.push('\n');
            body.push_str(s.cod_note);
            body.push('\n');
        }
        _ => {}
    }
    body.push('\n');
    body.push_str(&s.order_mail_link.replace("{url}", &links.order));
    body.push_str("\n\n");
    body.push_str(
        &s.withdrawal_mail
            .replace("{days}", &WITHDRAWAL_DAYS.to_string()),
    );
    body.push('\n');
    if let Some(page) = &links.withdrawal_page {
        body.push_str(&format!("{page}\n"));
    }
    body.push_str(&format!(
        "{}: {}\n\n",
        s.withdrawal_form, links.withdrawal_form
    ));
    body.push_str(s.order_mail_outro);
    OutgoingMail {
        recipient: order.email.to_owned(),
        subject: s.order_mail_subject.replace("{number}", order.number),
        body,
    }
}

/// The password reset mail, carrying the one-time link.
pub fn password_reset(site: SiteCode, email: &str, link: &str) -> OutgoingMail {
    let s = ShopTexts::of(site.locale());
    OutgoingMail {
        recipient: email.to_owned(),
        subject: s.reset_mail_subject.to_owned(),
        body: s.reset_mail_body.replace("{link}", link),
    }
}

/// The mail carrying the link that activates a new account.
pub fn account_activation(site: SiteCode, email: &str, link: &str) -> OutgoingMail {
    let s = ShopTexts::of(site.locale());
    OutgoingMail {
        recipient: email.to_owned(),
        subject: s.activation_mail_subject.to_owned(),
        body: s.activation_mail_body.replace("{link}", link),
    }
}

/// The mail telling an account's owner that someone tried to register with their
/// address, with the way to a new password should it have been them.
pub fn already_registered(site: SiteCode, email: &str, reset_page: &str) -> OutgoingMail {
    let s = ShopTexts::of(site.locale());
    OutgoingMail {
        recipient: email.to_owned(),
        subject: s.already_registered_subject.to_owned(),
        body: s.already_registered_body.replace("{link}", reset_page),
    }
}

/// The reminder of a bank transfer not received yet, with the day the order will be
/// cancelled without it.
pub fn transfer_reminder(
    order: &OrderRecord,
    site: SiteCode,
    bank_transfer_iban: &str,
    expires_at: chrono::DateTime<chrono::Utc>,
) -> OutgoingMail {
    let locale = site.locale();
    let s = ShopTexts::of(locale);
    OutgoingMail {
        recipient: order.email.clone(),
        subject: s
            .transfer_reminder_subject
            .replace("{number}", &order.number),
        body: s
            .transfer_reminder_body
            .replace("{number}", &order.number)
            .replace(
                "{amount}",
                &Money::from_cents(order.total_cents, site.currency()).format(locale),
            )
            .replace("{iban}", bank_transfer_iban)
            .replace(
                "{date}",
                &comptoir_domain::local_time::TimeZone::of_site(site)
                    .local(expires_at)
                    .format("%d/%m/%Y")
                    .to_string(),
            ),
    }
}
