//! The recapitulative statement of intra-community operations (modelo 349): per
//! buyer (its VAT number with its country's prefix), what the period's exempt
//! supplies to it came to (key `E`); rectifications of supplies of an earlier
//! quarter are declared apart, as corrections of that quarter.

use chrono::NaiveDate;

use crate::destination::Country;
use crate::invoicing::period::{Period, Quarter};
use crate::invoicing::vat_summary::Section;
use crate::money::Money;

/// Supplies to one buyer, as the store adds them up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupplyFigure {
    pub country: Country,
    /// Without its country's prefix, as invoiced.
    pub vat_number: String,
    pub name: String,
    /// For rectifying invoices: the date of the invoice they correct.
    pub corrects: Option<NaiveDate>,
    pub base: Money,
}

/// One line of the statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementRow {
    pub section: Section,
    /// `FR12345678901`.
    pub vat_number: String,
    pub name: String,
    /// `E`: intra-community supplies of goods.
    pub key: char,
    pub base: Money,
}

/// `figures` of invoices issued in `period` as the statement's lines: the period's
/// first, then corrections by quarter; by VAT number within each.
pub fn statement(period: Period, figures: &[SupplyFigure]) -> Vec<StatementRow> {
    let first_quarter = Quarter::of(period.first);
    let mut rows: Vec<StatementRow> = Vec::new();
    for figure in figures {
        let section = match figure.corrects.map(Quarter::of) {
            Some(quarter) if quarter < first_quarter => Section::CorrectionOf(quarter),
            _ => Section::Period,
        };
        let vat_number = prefixed(figure.country, &figure.vat_number);
        match rows
            .iter_mut()
            .find(|row| row.section == section && row.vat_number == vat_number)
        {
            Some(row) => row.base = Money::eur(row.base.cents() + figure.base.cents()),
            None => rows.push(StatementRow {
                section,
                vat_number,
                name: figure.name.clone(),
                key: 'E',
                base: figure.base,
            }),
        }
    }
    rows.sort_by(|a, b| (a.section, &a.vat_number).cmp(&(b.section, &b.vat_number)));
    rows
}

/// A VAT number with its country's prefix, once.
fn prefixed(country: Country, number: &str) -> String {
    if number.starts_with(country.code()) {
        number.to_owned()
    } else {
        format!("{}{number}", country.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn supply(country: Country, number: &str, corrects: Option<&str>, base: i64) -> SupplyFigure {
        SupplyFigure {
            country,
            vat_number: number.to_owned(),
            name: format!("Buyer {number}"),
            corrects: corrects.map(day),
            base: Money::eur(base),
        }
    }

    #[test]
    fn each_buyer_once_a_quarter_its_returns_of_earlier_quarters_apart() {
        let period = Period::parse("2027-Q2").unwrap();
        let rows = statement(
            period,
            &[
                supply(Country::It, "07643520567", None, 100_000),
                supply(Country::Fr, "FR40303265045", None, 50_000),
                // A return of a sale of this quarter lowers it.
                supply(Country::It, "07643520567", Some("2027-04-10"), -20_000),
                // One of a sale of the first quarter is declared apart.
                supply(Country::It, "07643520567", Some("2027-02-03"), -5_000),
            ],
        );
        let lines: Vec<(Section, &str, char, i64)> = rows
            .iter()
            .map(|r| (r.section, r.vat_number.as_str(), r.key, r.base.cents()))
            .collect();
        let q1 = Quarter::of(day("2027-01-01"));
        assert_eq!(
            lines,
            [
                (Section::Period, "FR40303265045", 'E', 50_000),
                (Section::Period, "IT07643520567", 'E', 80_000),
                (Section::CorrectionOf(q1), "IT07643520567", 'E', -5_000),
            ]
        );
        assert_eq!(rows[1].name, "Buyer 07643520567");
    }
}
