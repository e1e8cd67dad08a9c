//! What a period's invoices charged, per place of taxation and VAT rate: the
//! figures of Spain's VAT return and of the one-stop shop's (OSS) return, where
//! rectifying invoices of sales made in an earlier quarter are declared apart, as
//! corrections of that quarter.

use chrono::NaiveDate;

use crate::invoicing::Treatment;
use crate::invoicing::period::{Period, Quarter};
use crate::money::Money;
use crate::vat::VatRate;

/// Invoices of one kind of sale at one rate, as the store adds them up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedFigure {
    pub treatment: Treatment,
    /// `None` where no VAT applies.
    pub rate: Option<VatRate>,
    /// For rectifying invoices: the date of the invoice they correct.
    pub corrects: Option<NaiveDate>,
    pub base: Money,
    pub vat: Money,
    pub invoices: i64,
}

/// Which part of the return a figure belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    /// Sales of the period, with corrections of sales of the same quarter.
    Period,
    /// Corrections of sales made in an earlier quarter.
    CorrectionOf(Quarter),
}

/// One line of the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryRow {
    pub section: Section,
    pub treatment: Treatment,
    pub rate: Option<VatRate>,
    pub base: Money,
    pub vat: Money,
    pub invoices: i64,
}

/// `figures` of invoices issued in `period` as the summary's lines: by section,
/// then kind of sale (domestic, distance sales, intra-community supplies,
/// exports) and place, then rate, highest first.
pub fn summary(period: Period, figures: &[IssuedFigure]) -> Vec<SummaryRow> {
    let first_quarter = Quarter::of(period.first);
    let mut rows: Vec<SummaryRow> = Vec::new();
    for figure in figures {
        let section = match figure.corrects.map(Quarter::of) {
            Some(quarter) if quarter < first_quarter => Section::CorrectionOf(quarter),
            _ => Section::Period,
        };
        let same = |row: &&mut SummaryRow| {
            row.section == section && row.treatment == figure.treatment && row.rate == figure.rate
        };
        match rows.iter_mut().find(same) {
            Some(row) => {
                row.base = Money::eur(row.base.cents() + figure.base.cents());
                row.vat = Money::eur(row.vat.cents() + figure.vat.cents());
                row.invoices += figure.invoices;
            }
            None => rows.push(SummaryRow {
                section,
                treatment: figure.treatment,
                rate: figure.rate,
                base: figure.base,
                vat: figure.vat,
                invoices: figure.invoices,
            }),
        }
    }
    rows.sort_by_key(|row| {
        (
            row.section,
            treatment_order(row.treatment),
            std::cmp::Reverse(row.rate),
        )
    });
    rows
}

fn treatment_order(treatment: Treatment) -> (u8, &'static str) {
    match treatment {
        Treatment::Domestic => (0, ""),
        Treatment::DistanceSale(country) => (1, country.code()),
        Treatment::IntraCommunitySupply(country) => (2, country.code()),
        Treatment::Export => (3, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::destination::Country;

    fn figure(
        treatment: Treatment,
        rate: u32,
        corrects: Option<NaiveDate>,
        base: i64,
        vat: i64,
    ) -> IssuedFigure {
        IssuedFigure {
            treatment,
            rate: (rate > 0).then(|| VatRate::percent(rate)),
            corrects,
            base: Money::eur(base),
            vat: Money::eur(vat),
            invoices: 1,
        }
    }

    #[test]
    fn corrections_of_earlier_quarters_stand_apart_and_the_rest_adds_up_per_place_and_rate() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        let quarter = Period::parse("2027-Q2").unwrap();
        let rows = summary(
            quarter,
            &[
                figure(
                    Treatment::DistanceSale(Country::Fr),
                    20,
                    None,
                    10_000,
                    2_000,
                ),
                figure(Treatment::Domestic, 21, None, 5_000, 1_050),
                figure(Treatment::DistanceSale(Country::Fr), 20, None, 1_000, 200),
                // Refunds: one of a sale of this quarter, one of the last.
                figure(
                    Treatment::DistanceSale(Country::Fr),
                    20,
                    day(2027, 4, 2),
                    -500,
                    -100,
                ),
                figure(
                    Treatment::DistanceSale(Country::Fr),
                    20,
                    day(2027, 3, 30),
                    -250,
                    -50,
                ),
                figure(Treatment::Domestic, 10, None, 1_000, 100),
                figure(Treatment::Export, 0, None, 3_000, 0),
                figure(Treatment::DistanceSale(Country::It), 22, None, 2_000, 440),
            ],
        );
        let lines: Vec<(Section, Treatment, Option<u32>, i64, i64, i64)> = rows
            .iter()
            .map(|row| {
                (
                    row.section,
                    row.treatment,
                    row.rate.map(VatRate::basis_points),
                    row.base.cents(),
                    row.vat.cents(),
                    row.invoices,
                )
            })
            .collect();
        let first = Quarter {
            year: 2027,
            number: 1,
        };
        assert_eq!(
            lines,
            vec![
                (
                    Section::Period,
                    Treatment::Domestic,
                    Some(2100),
                    5_000,
                    1_050,
                    1
                ),
                (
                    Section::Period,
                    Treatment::Domestic,
                    Some(1000),
                    1_000,
                    100,
                    1
                ),
                (
                    Section::Period,
                    Treatment::DistanceSale(Country::Fr),
                    Some(2000),
                    10_500,
                    2_100,
                    3
                ),
                (
                    Section::Period,
                    Treatment::DistanceSale(Country::It),
                    Some(2200),
                    2_000,
                    440,
                    1
                ),
                (Section::Period, Treatment::Export, None, 3_000, 0, 1),
                (
                    Section::CorrectionOf(first),
                    Treatment::DistanceSale(Country::Fr),
                    Some(2000),
                    -250,
                    -50,
                    1
                ),
            ]
        );
    }
}
