//! Rectifying invoices by difference (`TipoRectificativa` I): what a refund gives
//! back, with its amounts negative, referring to the invoice it corrects. A whole
//! refund takes every line back; a partial one takes back, at each VAT rate, a part
//! of the refund in proportion to what is left at that rate; the refund that gives
//! back the rest takes back exactly what is left, so that an invoice refunded in
//! parts gives back its VAT to the cent.

use chrono::{DateTime, NaiveDate, Utc};

use crate::invoicing::{Invoice, InvoiceLine, InvoiceNumber};
use crate::money::Money;
use crate::totals::allocate;
use crate::vat::VatRate;

/// Why a refund cannot be rectified.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RectifyingError {
    #[error("a refund must be above zero")]
    Nothing,
    #[error("the refunds would exceed what the invoice charged")]
    MoreThanInvoiced,
    #[error("{0}")]
    Money(#[from] crate::money::MoneyError),
}

/// What a refund is given back for, as the rectifying invoice says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refund {
    /// VAT included, above zero.
    pub amount: Money,
    /// The line's text for a partial refund, in the invoice's language.
    pub label: String,
}

/// The rectifying invoice of `original` for `refund`, after the rectifying invoices
/// `earlier` of it, numbered `number` (of the type
/// [`crate::invoicing::InvoiceType::rectified_by`] gives), issued `at` (`on` Madrid's
/// clock).
pub fn rectifying(
    original: &Invoice,
    earlier: &[Invoice],
    refund: &Refund,
    number: InvoiceNumber,
    at: DateTime<Utc>,
    on: NaiveDate,
) -> Result<Invoice, RectifyingError> {
    let left = left_by_rate(original, earlier);
    let left_total: i64 = left.iter().map(|(_, net, vat)| net + vat).sum();
    let amount = refund.amount.cents();
    if amount <= 0 {
        return Err(RectifyingError::Nothing);
    }
    if amount > left_total {
        return Err(RectifyingError::MoreThanInvoiced);
    }
    let lines = if earlier.is_empty() && amount == left_total {
        original
            .lines
            .iter()
            .map(|line| InvoiceLine {
                quantity: -line.quantity,
                discount: Money::eur(-line.discount.cents()),
                net: Money::eur(-line.net.cents()),
                vat: Money::eur(-line.vat.cents()),
                ..line.clone()
            })
            .collect()
    } else if amount == left_total {
        // The rest, exactly: what is left at each rate.
        left.into_iter()
            .filter(|(_, net, vat)| net + vat != 0)
            .map(|(rate, net, vat)| refund_line(&refund.label, rate, -net, -vat))
            .collect()
    } else {
        partial_lines(&left, amount, &refund.label)?
    };
    Ok(Invoice {
        number,
        issued_at: at,
        issued_on: on,
        language: original.language,
        treatment: original.treatment,
        seller: original.seller.clone(),
        buyer: original.buyer.clone(),
        lines,
        refers_to: Some((original.number, original.issued_on)),
    })
}

/// What `original` charged at each VAT rate (none: without VAT), net and VAT in
/// cents, less what the rectifying invoices `earlier` gave back, in the order the
/// rates first appear.
fn left_by_rate(original: &Invoice, earlier: &[Invoice]) -> Vec<(Option<VatRate>, i64, i64)> {
    let mut left: Vec<(Option<VatRate>, i64, i64)> = Vec::new();
    for line in original
        .lines
        .iter()
        .chain(earlier.iter().flat_map(|e| &e.lines))
    {
        match left.iter_mut().find(|(rate, _, _)| *rate == line.rate) {
            Some((_, net, vat)) => {
                *net += line.net.cents();
                *vat += line.vat.cents();
            }
            None => left.push((line.rate, line.net.cents(), line.vat.cents())),
        }
    }
    left
}

/// One line per VAT rate, sharing `amount` out in proportion to what is left at each.
fn partial_lines(
    left: &[(Option<VatRate>, i64, i64)],
    amount: i64,
    label: &str,
) -> Result<Vec<InvoiceLine>, RectifyingError> {
    let weights: Vec<i64> = left.iter().map(|(_, net, vat)| net + vat).collect();
    let shares = allocate(amount, &weights);
    let mut lines = Vec::new();
    for ((rate, _, _), share) in left.iter().zip(shares) {
        if share == 0 {
            continue;
        }
        let gross = Money::eur(-share);
        let (net, vat) = match rate {
            Some(rate) => {
                let split = rate.split_gross(gross)?;
                (split.net.cents(), split.vat.cents())
            }
            None => (gross.cents(), 0),
        };
        lines.push(refund_line(label, *rate, net, vat));
    }
    Ok(lines)
}

/// A refund's line at one rate: its amounts negative.
fn refund_line(label: &str, rate: Option<VatRate>, net: i64, vat: i64) -> InvoiceLine {
    InvoiceLine {
        description: label.to_owned(),
        sku: String::new(),
        quantity: 1,
        unit_price: Money::eur(net + vat),
        discount: Money::eur(0),
        rate,
        net: Money::eur(net),
        vat: Money::eur(vat),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::invoicing::{InvoiceType, Party, Treatment};

    fn line(sku: &str, quantity: i64, net: i64, vat: i64, rate: u32) -> InvoiceLine {
        InvoiceLine {
            description: sku.to_owned(),
            sku: sku.to_owned(),
            quantity,
            unit_price: Money::eur((net + vat) / quantity),
            discount: Money::eur(0),
            rate: Some(VatRate::percent(rate)),
            net: Money::eur(net),
            vat: Money::eur(vat),
        }
    }

    fn original() -> Invoice {
        Invoice {
            number: InvoiceNumber {
                kind: InvoiceType::F2,
                year: 2027,
                sequence: 12,
            },
            issued_at: Utc::now(),
            issued_on: NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(),
            language: crate::site::Locale::Es,
            treatment: Treatment::Domestic,
            seller: Party {
                name: "Disfraces SL".to_owned(),
                tax_id: Some("B12345674".to_owned()),
                address: String::new(),
            },
            buyer: None,
            // 2 × 24,99 € at 21 % and 4,95 € of books at 4 %.
            lines: vec![line("DIS", 2, 4131, 867, 21), line("LIB", 1, 476, 19, 4)],
            refers_to: None,
        }
    }

    fn number(sequence: u32) -> InvoiceNumber {
        InvoiceNumber {
            kind: InvoiceType::R5,
            year: 2027,
            sequence,
        }
    }

    fn refund(cents: i64) -> Refund {
        Refund {
            amount: Money::eur(cents),
            label: "Devolución parcial".to_owned(),
        }
    }

    #[test]
    fn a_whole_refund_takes_every_line_back() {
        let sold = original();
        let on = NaiveDate::from_ymd_opt(2027, 1, 20).unwrap();
        let back = rectifying(&sold, &[], &refund(5493), number(1), Utc::now(), on).unwrap();
        assert_eq!(back.total(), Money::eur(-5493));
        assert_eq!(back.lines[0].quantity, -2);
        assert_eq!(back.vat_breakdown()[1].vat, Money::eur(-867));
        assert_eq!(back.refers_to, Some((sold.number, sold.issued_on)));
    }

    #[test]
    fn a_partial_refund_is_shared_by_rate_and_never_exceeds_the_invoice() {
        let sold = original();
        let on = sold.issued_on;
        let back = rectifying(&sold, &[], &refund(2499), number(1), Utc::now(), on).unwrap();
        assert_eq!(back.total(), Money::eur(-2499), "exactly the refund");
        assert_eq!(back.lines.len(), 2, "a part at each rate");
        let at_21 = &back.lines[0];
        assert_eq!(at_21.rate, Some(VatRate::percent(21)));
        assert_eq!(
            at_21.net.cents() + at_21.vat.cents(),
            -2274,
            "49,98 of 54,93 € was at 21 %"
        );
        let earlier = [back];
        assert_eq!(
            rectifying(&sold, &earlier, &refund(3000), number(2), Utc::now(), on),
            Err(RectifyingError::MoreThanInvoiced)
        );
        let rest = rectifying(&sold, &earlier, &refund(2994), number(2), Utc::now(), on).unwrap();
        for (rate, charged) in sold.vat_breakdown().iter().enumerate() {
            let given_back = earlier[0].vat_breakdown()[rate].vat.cents()
                + rest.vat_breakdown()[rate].vat.cents();
            assert_eq!(
                given_back,
                -charged.vat.cents(),
                "the last refund gives back exactly the VAT left"
            );
        }
        assert_eq!(
            rectifying(&sold, &[], &refund(0), number(2), Utc::now(), on),
            Err(RectifyingError::Nothing)
        );
    }
}
