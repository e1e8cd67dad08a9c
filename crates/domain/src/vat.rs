//! VAT, derived from VAT-included amounts.
//!
//! The rule, decided once for the whole shop: shelf prices include VAT (the shopper
//! sees the digits staff typed). For each line, the net amount is the gross amount
//! divided by `1 + rate`, rounded half-up to the cent; the VAT is the gross minus that
//! net, so net + VAT always equals what the shopper pays.

use crate::money::{Money, MoneyError};

/// A VAT rate in basis points (21 % = 2100), so reduced rates like 5,5 % stay exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VatRate(u32);

/// A gross amount split into its net part and its VAT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VatSplit {
    pub gross: Money,
    pub net: Money,
    pub vat: Money,
}

impl VatRate {
    pub const fn from_basis_points(basis_points: u32) -> Self {
        VatRate(basis_points)
    }

    pub const fn percent(percent: u32) -> Self {
        VatRate(percent * 100)
    }

    pub const fn basis_points(self) -> u32 {
        self.0
    }

    /// `21 %`, `5,5 %`: the rate as shoppers read it (decimal comma in all four locales).
    pub fn label(self) -> String {
        let (whole, fraction) = (self.0 / 100, self.0 % 100);
        match fraction {
            0 => format!("{whole}\u{a0}%"),
            f if f % 10 == 0 => format!("{whole},{}\u{a0}%", f / 10),
            f => format!("{whole},{f:02}\u{a0}%"),
        }
    }

    /// The VAT-included amount of a net amount, rounded half-up to the cent.
    pub fn gross_from_net(self, net: Money) -> Result<Money, MoneyError> {
        let numerator = i128::from(net.cents()) * (10_000 + i128::from(self.0));
        let rounded = (2 * numerator.abs() + 10_000) / 20_000;
        let cents = if numerator < 0 { -rounded } else { rounded };
        let cents = i64::try_from(cents).map_err(|_| MoneyError::Overflow)?;
        Ok(Money::from_cents(cents, net.currency()))
    }

    /// Splits a VAT-included amount (a whole line: unit price × quantity).
    pub fn split_gross(self, gross: Money) -> Result<VatSplit, MoneyError> {
        let denominator = 10_000 + i128::from(self.0);
        let numerator = i128::from(gross.cents()) * 10_000;
        // Half-up rounding of numerator / denominator, symmetric for negative amounts
        // (refunds) so that a refund splits exactly like the sale it reverses.
        let rounded = (2 * numerator.abs() + denominator) / (2 * denominator);
        let net_cents = if numerator < 0 { -rounded } else { rounded };
        let net_cents = i64::try_from(net_cents).map_err(|_| MoneyError::Overflow)?;
        let net = Money::from_cents(net_cents, gross.currency());
        let vat = Money::from_cents(gross.cents() - net_cents, gross.currency());
        Ok(VatSplit { gross, net, vat })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_costume_at_spanish_rate() {
        let split = VatRate::percent(21).split_gross(Money::eur(2499)).unwrap();
        assert_eq!(split.net, Money::eur(2065));
        assert_eq!(split.vat, Money::eur(434));
    }

    #[test]
    fn three_units_at_french_rate_round_half_up() {
        let line = Money::eur(999).checked_mul(3).unwrap();
        assert_eq!(line, Money::eur(2997));
        let split = VatRate::percent(20).split_gross(line).unwrap();
        // 2997 / 1.2 = 2497.5 exactly: half-up gives 2498.
        assert_eq!(split.net, Money::eur(2498));
        assert_eq!(split.vat, Money::eur(499));
    }

    #[test]
    fn net_plus_vat_is_always_gross() {
        for rate in [0, 400, 550, 1000, 1600, 2000, 2100, 2200, 2300] {
            for cents in (0..5_000).chain([-2997, -1, 1_000_000_007]) {
                let split = VatRate::from_basis_points(rate)
                    .split_gross(Money::eur(cents))
                    .unwrap();
                assert_eq!(split.net.cents() + split.vat.cents(), cents);
            }
        }
    }

    #[test]
    fn refunds_mirror_sales() {
        let sale = VatRate::percent(20).split_gross(Money::eur(2997)).unwrap();
        let refund = VatRate::percent(20).split_gross(Money::eur(-2997)).unwrap();
        assert_eq!(refund.net.cents(), -sale.net.cents());
    }

    #[test]
    fn gross_from_net_rounds_half_up() {
        assert_eq!(
            VatRate::percent(22).gross_from_net(Money::eur(2032)),
            Ok(Money::eur(2479))
        );
        assert_eq!(
            VatRate::percent(20).gross_from_net(Money::eur(2498)),
            Ok(Money::eur(2998))
        );
        assert_eq!(
            VatRate::percent(0).gross_from_net(Money::eur(2065)),
            Ok(Money::eur(2065))
        );
    }

    #[test]
    fn labels() {
        assert_eq!(VatRate::percent(21).label(), "21\u{a0}%");
        assert_eq!(VatRate::from_basis_points(550).label(), "5,5\u{a0}%");
    }
}
