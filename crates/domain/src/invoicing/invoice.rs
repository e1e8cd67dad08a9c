//! An invoice as issued: who sells and who buys, each line with its quantity,
//! price and VAT rate, the VAT per rate and the totals. Issued once and never
//! changed; a rectifying invoice carries the difference, its amounts negative.

use chrono::{DateTime, NaiveDate, Utc};

use crate::invoicing::verifactu::{InvoiceId, Record, RecordKind};
use crate::invoicing::{InvoiceNumber, Treatment};
use crate::money::Money;
use crate::site::Locale;
use crate::totals::VatLine;
use crate::vat::VatRate;

/// The issuer or the buyer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    pub name: String,
    /// NIF, NIE or a VAT number; a consumer may have none.
    pub tax_id: Option<String>,
    pub address: String,
}

/// A NIF AEAT publishes for tests, well-formed: the issuer of a shop whose legal
/// settings are not filled in yet, named as a sample on every invoice.
pub const SAMPLE_ISSUER_TAX_ID: &str = "89890001K";

/// One line: an article, or the shipping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceLine {
    pub description: String,
    pub sku: String,
    /// Negative on a rectifying invoice that takes units back.
    pub quantity: i64,
    /// One unit's price as charged, VAT included.
    pub unit_price: Money,
    /// Taken off by promotions, VAT included.
    pub discount: Money,
    /// `None` where no VAT applies (an export).
    pub rate: Option<VatRate>,
    pub net: Money,
    pub vat: Money,
}

/// An issued invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invoice {
    pub number: InvoiceNumber,
    pub issued_at: DateTime<Utc>,
    /// The date on Madrid's clock, as printed and registered.
    pub issued_on: NaiveDate,
    /// The language it is written in: its order's site's.
    pub language: Locale,
    pub treatment: Treatment,
    pub seller: Party,
    /// Who it is made out to; a simplified invoice may name no one.
    pub buyer: Option<Party>,
    pub lines: Vec<InvoiceLine>,
    /// The invoice it refers to, by number and date: the one a rectifying invoice
    /// corrects, or the simplified one a full invoice on request (F3) replaces.
    pub refers_to: Option<(InvoiceNumber, NaiveDate)>,
}

impl Invoice {
    /// The full invoice (numbered `number`, an F3) that replaces this simplified one
    /// on its customer's request: the same sale, naming `buyer`.
    pub fn replaced_for(
        &self,
        buyer: Party,
        number: InvoiceNumber,
        at: DateTime<Utc>,
        on: NaiveDate,
    ) -> Invoice {
        Invoice {
            number,
            issued_at: at,
            issued_on: on,
            buyer: Some(buyer),
            refers_to: Some((self.number, self.issued_on)),
            ..self.clone()
        }
    }

    /// VAT per rate across the lines, by rate.
    pub fn vat_breakdown(&self) -> Vec<VatLine> {
        let mut breakdown: Vec<VatLine> = Vec::new();
        for line in &self.lines {
            let Some(rate) = line.rate else { continue };
            match breakdown.iter_mut().find(|vat| vat.rate == rate) {
                Some(vat) => {
                    vat.net = Money::eur(vat.net.cents() + line.net.cents());
                    vat.vat = Money::eur(vat.vat.cents() + line.vat.cents());
                }
                None => breakdown.push(VatLine {
                    rate,
                    net: line.net,
                    vat: line.vat,
                }),
            }
        }
        breakdown.sort_by_key(|vat| vat.rate);
        breakdown
    }

    pub fn net(&self) -> Money {
        Money::eur(self.lines.iter().map(|line| line.net.cents()).sum())
    }

    pub fn vat(&self) -> Money {
        Money::eur(self.lines.iter().map(|line| line.vat.cents()).sum())
    }

    pub fn total(&self) -> Money {
        Money::eur(self.net().cents() + self.vat().cents())
    }

    /// How AEAT identifies it.
    pub fn id(&self) -> InvoiceId {
        InvoiceId {
            issuer: self
                .seller
                .tax_id
                .clone()
                .unwrap_or_else(|| SAMPLE_ISSUER_TAX_ID.to_owned()),
            number: self.number.text(),
            issued_on: self.issued_on,
        }
    }

    /// Its registration record, chained after `previous`: the Spanish VAT it
    /// charges (none for a distance sale, taxed where it goes) and its total.
    pub fn registration(
        &self,
        previous: Option<crate::invoicing::verifactu::Footprint>,
        generated_at: DateTime<chrono::FixedOffset>,
        correction: bool,
    ) -> Record {
        let vat_total = if self.treatment.charges_spanish_vat() {
            self.vat()
        } else {
            Money::eur(0)
        };
        Record {
            invoice: self.id(),
            kind: RecordKind::Registration {
                invoice_type: self.number.kind,
                vat_total,
                total: self.total(),
                correction,
            },
            previous,
            generated_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::destination::Country;
    use crate::invoicing::InvoiceType;

    fn line(net: i64, vat: i64, rate: u32) -> InvoiceLine {
        InvoiceLine {
            description: "Disfraz".to_owned(),
            sku: "DIS".to_owned(),
            quantity: 1,
            unit_price: Money::eur(net + vat),
            discount: Money::eur(0),
            rate: Some(VatRate::percent(rate)),
            net: Money::eur(net),
            vat: Money::eur(vat),
        }
    }

    fn invoice(treatment: Treatment, lines: Vec<InvoiceLine>) -> Invoice {
        Invoice {
            number: InvoiceNumber {
                kind: InvoiceType::F1,
                year: 2027,
                sequence: 7,
            },
            issued_at: DateTime::parse_from_rfc3339("2027-01-04T09:15:02Z")
                .unwrap()
                .to_utc(),
            issued_on: NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(),
            language: Locale::Es,
            treatment,
            seller: Party {
                name: "Disfraces SL".to_owned(),
                tax_id: Some("B12345674".to_owned()),
                address: "Calle Mayor 1, Madrid".to_owned(),
            },
            buyer: None,
            lines,
            refers_to: None,
        }
    }

    #[test]
    fn vat_is_broken_down_per_rate_and_totals_add_up() {
        let sold = invoice(
            Treatment::DistanceSale(Country::Pt),
            vec![line(2033, 468, 23), line(862, 198, 23), line(407, 89, 22)],
        );
        let breakdown = sold.vat_breakdown();
        assert_eq!(breakdown.len(), 2);
        assert_eq!(
            (breakdown[1].rate, breakdown[1].net, breakdown[1].vat),
            (VatRate::percent(23), Money::eur(2895), Money::eur(666))
        );
        assert_eq!(sold.total(), Money::eur(4057));
        let record = sold.registration(
            None,
            DateTime::parse_from_rfc3339("2027-01-04T10:15:02+01:00").unwrap(),
            false,
        );
        let fields = record.fields();
        assert_eq!(fields[1].1, "F1-2027-000007");
        assert_eq!(fields[4].1, "0.00", "Portugal's VAT is not Spain's");
        assert_eq!(fields[5].1, "40.57");
        let domestic = invoice(Treatment::Domestic, vec![line(2065, 434, 21)]);
        let fields = domestic
            .registration(None, record.generated_at, false)
            .fields();
        assert_eq!(
            (fields[4].1.as_str(), fields[5].1.as_str()),
            ("4.34", "24.99")
        );
    }

    #[test]
    fn an_issuer_without_a_tax_id_is_the_sample_one() {
        let mut sample = invoice(Treatment::Domestic, Vec::new());
        sample.seller.tax_id = None;
        assert_eq!(sample.id().issuer, SAMPLE_ISSUER_TAX_ID);
    }
}
