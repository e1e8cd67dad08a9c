//! Money as integer cents with an explicit currency.

use std::fmt;

use crate::site::Locale;

/// The currencies Comptoir sells in. All four sites sell in euros today; the type
/// exists so that an amount never travels without saying what it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Currency {
    Eur,
}

impl Currency {
    /// ISO 4217 code.
    pub fn code(self) -> &'static str {
        match self {
            Currency::Eur => "EUR",
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Currency::Eur => "€",
        }
    }
}

/// An amount of money in the currency's minor unit (cents).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    cents: i64,
    currency: Currency,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("amounts of different currencies cannot be combined")]
    CurrencyMismatch,
    #[error("amount is out of range")]
    Overflow,
    #[error("'{0}' is not an amount like 19.99 or 19,99")]
    Invalid(String),
}

impl Money {
    pub const fn from_cents(cents: i64, currency: Currency) -> Self {
        Money { cents, currency }
    }

    pub const fn eur(cents: i64) -> Self {
        Money::from_cents(cents, Currency::Eur)
    }

    /// Parses an amount typed by staff: `19.99`, `19,99`, `19`, `19,9`.
    /// More than two decimals is refused rather than silently rounded.
    pub fn parse(input: &str, currency: Currency) -> Result<Self, MoneyError> {
        let invalid = || MoneyError::Invalid(input.to_owned());
        let text = input.trim();
        let (whole, fraction) = match text.find(['.', ',']) {
            Some(at) => (&text[..at], &text[at + 1..]),
            None => (text, ""),
        };
        let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits_only(whole) || !digits_only(fraction) || fraction.len() > 2 {
            return Err(invalid());
        }
        let whole: i64 = whole.parse().map_err(|_| MoneyError::Overflow)?;
        let fraction: i64 = match fraction.len() {
            0 => 0,
            1 => fraction.parse::<i64>().map_err(|_| invalid())? * 10,
            _ => fraction.parse().map_err(|_| invalid())?,
        };
        whole
            .checked_mul(100)
            .and_then(|c| c.checked_add(fraction))
            .map(|cents| Money::from_cents(cents, currency))
            .ok_or(MoneyError::Overflow)
    }

    pub const fn cents(self) -> i64 {
        self.cents
    }

    pub const fn currency(self) -> Currency {
        self.currency
    }

    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch);
        }
        self.cents
            .checked_add(other.cents)
            .map(|cents| Money::from_cents(cents, self.currency))
            .ok_or(MoneyError::Overflow)
    }

    pub fn checked_mul(self, quantity: i64) -> Result<Money, MoneyError> {
        self.cents
            .checked_mul(quantity)
            .map(|cents| Money::from_cents(cents, self.currency))
            .ok_or(MoneyError::Overflow)
    }

    /// The amount changed by `percent` (`-20` for 20 % off), to the nearest cent,
    /// halves rounded up (away from zero); never below zero.
    pub fn changed_by_percent(self, percent: i64) -> Result<Money, MoneyError> {
        let scaled = i128::from(self.cents) * i128::from(100 + percent);
        let rounded = (scaled + 50 * scaled.signum()) / 100;
        let cents = i64::try_from(rounded.max(0)).map_err(|_| MoneyError::Overflow)?;
        Ok(Money::from_cents(cents, self.currency))
    }

    /// The amount as a shopper of `locale` reads it: `1.234,56 €` in Spain and Italy,
    /// `1 234,56 €` in France and Portugal (narrow no-break space for thousands).
    pub fn format(self, locale: Locale) -> String {
        let sign = if self.cents < 0 { "-" } else { "" };
        let abs = self.cents.unsigned_abs();
        format!(
            "{sign}{},{:02}\u{a0}{}",
            group_thousands(abs / 100, locale),
            abs % 100,
            self.currency.symbol()
        )
    }

    /// The amount as a plain decimal number with a point, as machines read it
    /// (`19.99`, `-0.05`): structured data, logs, CSV.
    pub fn decimal(self) -> String {
        let sign = if self.cents < 0 { "-" } else { "" };
        let abs = self.cents.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

/// A whole number as a shopper of `locale` reads it: `16.361` in Spain and Italy,
/// `16 361` in France and Portugal (a narrow no-break space).
pub fn group_thousands(number: u64, locale: Locale) -> String {
    let digits = number.to_string();
    let separator = match locale {
        Locale::Es | Locale::It => ".",
        Locale::Fr | Locale::Pt => "\u{202f}",
    };
    let mut grouped = String::with_capacity(digits.len() + 8);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push_str(separator);
        }
        grouped.push(digit);
    }
    grouped
}

/// Amounts compare only within one currency.
impl PartialOrd for Money {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        (self.currency == other.currency).then(|| self.cents.cmp(&other.cents))
    }
}

impl fmt::Display for Money {
    /// Neutral machine form (`19.99 EUR`), for logs and CSV; pages use [`Money::format`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.decimal(), self.currency.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_form_has_a_point_and_two_decimals() {
        assert_eq!(Money::eur(1999).decimal(), "19.99");
        assert_eq!(Money::eur(5).decimal(), "0.05");
        assert_eq!(Money::eur(-120_000).decimal(), "-1200.00");
        assert_eq!(Money::eur(-5).to_string(), "-0.05 EUR");
    }

    #[test]
    fn formats_per_locale() {
        assert_eq!(Money::eur(1999).format(Locale::Es), "19,99\u{a0}€");
        assert_eq!(Money::eur(123456).format(Locale::Es), "1.234,56\u{a0}€");
        assert_eq!(Money::eur(123456).format(Locale::It), "1.234,56\u{a0}€");
        assert_eq!(
            Money::eur(123456789).format(Locale::Fr),
            "1\u{202f}234\u{202f}567,89\u{a0}€"
        );
        assert_eq!(Money::eur(5).format(Locale::Pt), "0,05\u{a0}€");
        assert_eq!(Money::eur(-250).format(Locale::Es), "-2,50\u{a0}€");
        assert_eq!(Money::eur(-250).to_string(), "-2.50 EUR");
    }

    #[test]
    fn parses_staff_input() {
        assert_eq!(Money::parse("19,99", Currency::Eur), Ok(Money::eur(1999)));
        assert_eq!(Money::parse("19.9", Currency::Eur), Ok(Money::eur(1990)));
        assert_eq!(Money::parse(" 7 ", Currency::Eur), Ok(Money::eur(700)));
        for bad in [
            "",
            "1.999",
            "abc",
            "-1",
            ",5",
            "1,2,3",
            "99999999999999999999",
        ] {
            assert!(Money::parse(bad, Currency::Eur).is_err(), "{bad}");
        }
    }

    #[test]
    fn arithmetic_is_checked() {
        assert_eq!(
            Money::eur(999)
                .checked_mul(3)
                .unwrap()
                .checked_add(Money::eur(1)),
            Ok(Money::eur(2998))
        );
        assert_eq!(
            Money::eur(i64::MAX).checked_mul(2),
            Err(MoneyError::Overflow)
        );
    }

    #[test]
    fn percent_changes_round_to_the_nearest_cent() {
        let eur = Money::eur;
        assert_eq!(eur(2_499).changed_by_percent(-20), Ok(eur(1_999)));
        assert_eq!(eur(2_499).changed_by_percent(10), Ok(eur(2_749)));
        assert_eq!(
            eur(5).changed_by_percent(10),
            Ok(eur(6)),
            "5.5 cents round up"
        );
        assert_eq!(eur(1_000).changed_by_percent(0), Ok(eur(1_000)));
        assert_eq!(eur(1_000).changed_by_percent(-100), Ok(eur(0)));
        assert_eq!(
            eur(1_000).changed_by_percent(-150),
            Ok(eur(0)),
            "never negative"
        );
        assert!(eur(i64::MAX).changed_by_percent(100).is_err());
    }
}
