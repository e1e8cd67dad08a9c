//! Order totals, decided once: lines priced for the destination, each with its part
//! of the promotions (and so its VAT), shipping, the VAT breakdown per rate and the
//! grand total, all in cents with the rounding rule of [`crate::vat`].
//!
//! Shelf prices include the site's standard VAT. Shipped where another rate applies,
//! a line keeps its net price and takes the destination's VAT; outside EU VAT (the
//! Canary Islands, Ceuta, Melilla) the net price is charged.

use crate::destination::TaxZone;
use crate::money::{Money, MoneyError};
use crate::vat::{VatRate, VatSplit};

/// A cart line as priced on the shelf.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineInput {
    /// Unit price, VAT included at the site's standard rate.
    pub unit_price: Money,
    pub quantity: u32,
    /// Taken off the line by promotions, VAT included at the site's standard rate.
    pub discount: Money,
}

/// A line of the order, priced for the destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineTotal {
    /// Price of one unit for the destination: without VAT where it does not apply.
    pub unit_price: Money,
    /// Price of the line for the destination, before discount.
    pub gross: Money,
    /// The promotions' part of this line, for the destination.
    pub discount: Money,
    /// What the shopper pays for the line, split into net and VAT.
    pub payable: VatSplit,
    /// The VAT rate applied; `None` outside EU VAT.
    pub rate: Option<VatRate>,
}

/// VAT of one rate across the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VatLine {
    pub rate: VatRate,
    pub net: Money,
    pub vat: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    pub lines: Vec<LineTotal>,
    /// Sum of the lines before discount.
    pub items: Money,
    pub discount: Money,
    pub shipping: VatSplit,
    /// VAT per rate, lines and shipping together; empty outside EU VAT.
    pub vat: Vec<VatLine>,
    pub total: Money,
    /// No VAT is charged, as delivered outside EU VAT: the shopper is told so.
    pub outside_eu_vat: bool,
    /// No VAT is charged, as an exempt intra-community supply: the shopper is told so.
    pub exempt_supply: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TotalsError {
    #[error(transparent)]
    Money(#[from] MoneyError),
    #[error("a line's discount cannot be negative or exceed the line")]
    Discount,
}

/// The VAT an order pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VatCharge {
    /// Its destination's rate.
    Rate(VatRate),
    /// None: delivered outside EU VAT (the Canaries, Ceuta, Melilla).
    OutsideEuVat,
    /// None: an intra-community supply to a business of another member state whose
    /// VAT number VIES confirmed, exempt in Spain (art. 25 of the VAT law), the
    /// buyer accounting for it.
    ExemptSupply,
}

impl VatCharge {
    fn rate(self) -> Option<VatRate> {
        match self {
            VatCharge::Rate(rate) => Some(rate),
            VatCharge::OutsideEuVat | VatCharge::ExemptSupply => None,
        }
    }
}

impl From<TaxZone> for VatCharge {
    fn from(zone: TaxZone) -> VatCharge {
        zone.vat_rate()
            .map_or(VatCharge::OutsideEuVat, VatCharge::Rate)
    }
}

/// The price at the destination of an amount that includes VAT at `shelf_rate`.
fn for_destination(
    gross: Money,
    shelf_rate: VatRate,
    charge: VatCharge,
) -> Result<Money, MoneyError> {
    match charge.rate() {
        Some(rate) if rate == shelf_rate => Ok(gross),
        Some(rate) => rate.gross_from_net(shelf_rate.split_gross(gross)?.net),
        None => Ok(shelf_rate.split_gross(gross)?.net),
    }
}

fn split(amount: Money, rate: Option<VatRate>) -> Result<VatSplit, MoneyError> {
    match rate {
        Some(rate) => rate.split_gross(amount),
        None => Ok(VatSplit {
            gross: amount,
            net: amount,
            vat: Money::from_cents(0, amount.currency()),
        }),
    }
}

/// Shares `amount` out in proportion to `weights`, exactly: each share rounded down,
/// the cents left given to the largest remainders (the first on a tie).
pub(crate) fn allocate(amount: i64, weights: &[i64]) -> Vec<i64> {
    let total: i128 = weights.iter().map(|w| i128::from(*w)).sum();
    if total <= 0 {
        return vec![0; weights.len()];
    }
    let exact: Vec<(i64, i128)> = weights
        .iter()
        .map(|w| {
            let product = i128::from(amount) * i128::from(*w);
            ((product / total) as i64, product % total)
        })
        .collect();
    let mut shares: Vec<i64> = exact.iter().map(|(share, _)| *share).collect();
    let mut left = amount - shares.iter().sum::<i64>();
    let mut by_remainder: Vec<usize> = (0..weights.len()).collect();
    by_remainder.sort_by(|a, b| exact[*b].1.cmp(&exact[*a].1).then(a.cmp(b)));
    for index in by_remainder {
        if left == 0 {
            break;
        }
        shares[index] += 1;
        left -= 1;
    }
    shares
}

/// Computes an order's totals. Lines, their discounts and `shipping` are
/// VAT-included at the shelf rate; each line is priced for the destination before
/// and after its discount, so that its discount carries its own VAT.
pub fn compute(
    shelf_rate: VatRate,
    charge: impl Into<VatCharge>,
    lines: &[LineInput],
    shipping: Money,
) -> Result<Totals, TotalsError> {
    let currency = shipping.currency();
    let zone = charge.into();
    let rate = zone.rate();
    let mut line_totals = Vec::with_capacity(lines.len());
    for line in lines {
        let shelf = line.unit_price.checked_mul(i64::from(line.quantity))?;
        if line.discount.cents() < 0 || line.discount.cents() > shelf.cents() {
            return Err(TotalsError::Discount);
        }
        let gross = for_destination(shelf, shelf_rate, zone)?;
        let after = Money::from_cents(shelf.cents() - line.discount.cents(), currency);
        let payable = split(for_destination(after, shelf_rate, zone)?, rate)?;
        line_totals.push(LineTotal {
            unit_price: for_destination(line.unit_price, shelf_rate, zone)?,
            gross,
            discount: Money::from_cents(gross.cents() - payable.gross.cents(), currency),
            payable,
            rate,
        });
    }
    let sum = |amount: fn(&LineTotal) -> Money| {
        line_totals
            .iter()
            .try_fold(Money::from_cents(0, currency), |sum, line| {
                sum.checked_add(amount(line))
            })
    };
    let items = sum(|line| line.gross)?;
    let discount = sum(|line| line.discount)?;
    let shipping = split(for_destination(shipping, shelf_rate, zone)?, rate)?;
    let mut vat = Vec::new();
    if let Some(rate) = rate {
        let splits = line_totals.iter().map(|l| l.payable).chain([shipping]);
        let (net, tax) = splits.fold((0, 0), |(net, tax), s| {
            (net + s.net.cents(), tax + s.vat.cents())
        });
        vat.push(VatLine {
            rate,
            net: Money::from_cents(net, currency),
            vat: Money::from_cents(tax, currency),
        });
    }
    let total = line_totals
        .iter()
        .map(|l| l.payable.gross)
        .chain([shipping.gross])
        .try_fold(Money::from_cents(0, currency), |sum, amount| {
            sum.checked_add(amount)
        })?;
    Ok(Totals {
        lines: line_totals,
        items,
        discount,
        shipping,
        vat,
        total,
        outside_eu_vat: zone == VatCharge::OutsideEuVat,
        exempt_supply: zone == VatCharge::ExemptSupply,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::destination::{Country, Postcode};

    fn zone(country: Country, postcode: &str) -> TaxZone {
        TaxZone::of(&Postcode::parse(country, postcode).unwrap())
    }

    fn line(cents: i64, quantity: u32) -> LineInput {
        LineInput {
            unit_price: Money::eur(cents),
            quantity,
            discount: NOTHING,
        }
    }

    fn discounted(cents: i64, quantity: u32, discount: i64) -> LineInput {
        LineInput {
            discount: Money::eur(discount),
            ..line(cents, quantity)
        }
    }

    const NOTHING: Money = Money::eur(0);

    #[test]
    fn mainland_pays_the_shelf_price() {
        let totals = compute(
            VatRate::percent(21),
            zone(Country::Es, "28013"),
            &[line(2499, 1)],
            NOTHING,
        )
        .unwrap();
        assert_eq!(totals.total, Money::eur(2499));
        assert_eq!(
            totals.vat,
            [VatLine {
                rate: VatRate::percent(21),
                net: Money::eur(2065),
                vat: Money::eur(434)
            }]
        );
        let french = compute(
            VatRate::percent(20),
            zone(Country::Fr, "75008"),
            &[line(999, 3)],
            NOTHING,
        )
        .unwrap();
        assert_eq!(
            (french.total, french.vat[0].net, french.vat[0].vat),
            (Money::eur(2997), Money::eur(2498), Money::eur(499))
        );
    }

    #[test]
    fn the_canary_islands_pay_the_net_price() {
        let totals = compute(
            VatRate::percent(21),
            zone(Country::Es, "35001"),
            &[line(2499, 1)],
            Money::eur(484),
        )
        .unwrap();
        assert!(totals.outside_eu_vat);
        assert!(!totals.exempt_supply);
        assert_eq!(totals.lines[0].payable.gross, Money::eur(2065));
        assert_eq!(totals.lines[0].payable.vat, NOTHING);
        assert_eq!(totals.shipping.gross, Money::eur(400));
        assert_eq!(totals.total, Money::eur(2465));
        assert!(totals.vat.is_empty());
    }

    #[test]
    fn a_business_abroad_pays_the_net_price_of_its_exempt_supply() {
        let totals = compute(
            VatRate::percent(20),
            VatCharge::ExemptSupply,
            &[discounted(2400, 2, 240)],
            Money::eur(600),
        )
        .unwrap();
        assert!(totals.exempt_supply && !totals.outside_eu_vat);
        assert_eq!(totals.lines[0].unit_price, Money::eur(2000));
        assert_eq!(totals.lines[0].payable.gross, Money::eur(3800));
        assert_eq!(totals.lines[0].payable.vat, NOTHING);
        assert_eq!(totals.shipping.gross, Money::eur(500));
        assert_eq!(totals.total, Money::eur(4300));
        assert!(totals.vat.is_empty());
    }

    #[test]
    fn madeira_pays_its_own_rate_on_the_net_price() {
        let totals = compute(
            VatRate::percent(23),
            zone(Country::Pt, "9000-018"),
            &[line(2499, 1)],
            NOTHING,
        )
        .unwrap();
        // 24,99 € at 23 % is 20,32 € net; at 22 % that is 24,79 €.
        assert_eq!(totals.total, Money::eur(2479));
        assert_eq!(
            totals.vat,
            [VatLine {
                rate: VatRate::percent(22),
                net: Money::eur(2032),
                vat: Money::eur(447)
            }]
        );
        let azores = compute(
            VatRate::percent(23),
            zone(Country::Pt, "9500-100"),
            &[line(2499, 1)],
            NOTHING,
        )
        .unwrap();
        assert_eq!(azores.vat[0].rate, VatRate::percent(16));
        assert_eq!(azores.total, Money::eur(2357));
    }

    #[test]
    fn a_discount_is_carried_by_its_lines_exactly() {
        assert_eq!(allocate(101, &[1000, 3000]), [25, 76]);
        assert_eq!(allocate(100, &[1, 1, 1]), [34, 33, 33]);
        assert_eq!(allocate(0, &[5, 5]), [0, 0]);
        let totals = compute(
            VatRate::percent(21),
            zone(Country::Es, "08001"),
            &[discounted(1000, 1, 100), discounted(1500, 2, 300)],
            Money::eur(395),
        )
        .unwrap();
        let discounts: Vec<i64> = totals.lines.iter().map(|l| l.discount.cents()).collect();
        assert_eq!(discounts, [100, 300]);
        assert_eq!(totals.total, Money::eur(1000 + 3000 - 400 + 395));
        let net_plus_vat = totals.vat[0].net.cents() + totals.vat[0].vat.cents();
        assert_eq!(
            net_plus_vat,
            totals.total.cents(),
            "the VAT breakdown adds up to the total"
        );
    }

    #[test]
    fn a_discount_elsewhere_is_priced_for_the_destination_like_its_line() {
        // 24,99 € less 5,00 € on the Portuguese shelf (23 %), shipped to Madeira (22 %).
        let totals = compute(
            VatRate::percent(23),
            zone(Country::Pt, "9000-018"),
            &[discounted(2499, 1, 500)],
            NOTHING,
        )
        .unwrap();
        // 19,99 € is 16,25 € net, 19,83 € at 22 %; the line was 24,79 €.
        assert_eq!(totals.total, Money::eur(1983));
        assert_eq!(totals.discount, Money::eur(2479 - 1983));
        assert_eq!(
            totals.items.cents() - totals.discount.cents(),
            totals.total.cents()
        );
    }

    #[test]
    fn a_discount_cannot_exceed_its_line() {
        let zone = zone(Country::It, "00184");
        for discount in [501, -1] {
            assert_eq!(
                compute(
                    VatRate::percent(22),
                    zone,
                    &[discounted(500, 1, discount)],
                    NOTHING
                ),
                Err(TotalsError::Discount)
            );
        }
        assert!(
            compute(
                VatRate::percent(22),
                zone,
                &[line(i64::MAX / 2, 3)],
                NOTHING
            )
            .is_err()
        );
    }
}
