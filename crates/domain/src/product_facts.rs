//! What a product page tells besides its name, price and description: a short
//! description, its brand, where it was made, its weight, its barcode, the days
//! it is shown as new, and the keywords of its page.

use std::fmt;

use chrono::NaiveDate;

use crate::site::PerLocale;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductFacts {
    /// A sentence or two shown under the name, sanitised HTML like the description.
    pub short_descriptions: PerLocale<String>,
    /// The page's `<meta name="keywords">`, comma-separated.
    pub keywords: PerLocale<String>,
    pub brand: Option<String>,
    pub made_in: Option<CountryCode>,
    pub weight_grams: Option<u32>,
    pub gtin: Option<Gtin>,
    /// The days it is shown as new, both included; no end means until further notice.
    pub new_from: Option<NaiveDate>,
    pub new_until: Option<NaiveDate>,
}

impl ProductFacts {
    /// A tonne: anything heavier is a mistyped weight.
    pub const HEAVIEST_GRAMS: u32 = 1_000_000;

    /// Shown as new on `today` (the shop's day): from `new_from` to `new_until`,
    /// both included. No start means never new, as in Magento.
    pub fn is_new_on(&self, today: NaiveDate) -> bool {
        self.new_from.is_some_and(|from| from <= today)
            && self.new_until.is_none_or(|until| today <= until)
    }
}

/// A GTIN (EAN-13, UPC-A, EAN-8 or GTIN-14): 8, 12, 13 or 14 digits whose last is
/// the check digit of the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gtin(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GtinError {
    #[error("'{0}' is not 8, 12, 13 or 14 digits")]
    NotDigits(String),
    #[error("'{0}' has a wrong check digit")]
    CheckDigit(String),
}

impl Gtin {
    /// Reads a barcode number, spaces and dashes between digits allowed.
    pub fn parse(text: &str) -> Result<Gtin, GtinError> {
        let digits: String = text
            .trim()
            .chars()
            .filter(|c| *c != ' ' && *c != '-')
            .collect();
        if !matches!(digits.len(), 8 | 12 | 13 | 14) || !digits.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(GtinError::NotDigits(text.trim().to_owned()));
        }
        let values: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
        let (body, check) = values.split_at(values.len() - 1);
        // Weights 3 and 1 alternate from the digit next to the check digit.
        let sum: u32 = body
            .iter()
            .rev()
            .enumerate()
            .map(|(i, digit)| if i % 2 == 0 { digit * 3 } else { *digit })
            .sum();
        if (10 - sum % 10) % 10 != check[0] {
            return Err(GtinError::CheckDigit(text.trim().to_owned()));
        }
        Ok(Gtin(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Gtin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A country as ISO 3166-1 writes it in two letters (`CN`, `ES`): where a product
/// was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountryCode([u8; 2]);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a two-letter country code")]
pub struct CountryCodeError(String);

impl CountryCode {
    /// Reads `CN` or `cn`.
    pub fn parse(text: &str) -> Result<CountryCode, CountryCodeError> {
        match text.trim().as_bytes() {
            [a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => Ok(CountryCode([
                a.to_ascii_uppercase(),
                b.to_ascii_uppercase(),
            ])),
            _ => Err(CountryCodeError(text.trim().to_owned())),
        }
    }

    pub fn as_str(&self) -> &str {
        // Two ASCII letters, checked by `parse`.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn barcodes_are_checked() {
        for good in ["4006381333931", "8412345678905", "96385074", "036000291452"] {
            assert_eq!(Gtin::parse(good).unwrap().as_str(), good);
        }
        assert_eq!(
            Gtin::parse(" 4006381-333931 ").unwrap().as_str(),
            "4006381333931"
        );
        assert_eq!(
            Gtin::parse("00012345600012").unwrap().as_str(),
            "00012345600012"
        );
        assert_eq!(
            Gtin::parse("4006381333932"),
            Err(GtinError::CheckDigit("4006381333932".into()))
        );
        for bad in ["", "12345", "400638133393A", "400638133393100"] {
            assert!(
                matches!(Gtin::parse(bad), Err(GtinError::NotDigits(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn countries_are_two_letters() {
        assert_eq!(CountryCode::parse(" cn").unwrap().as_str(), "CN");
        for bad in ["", "C", "CHN", "C1", "ñа"] {
            assert!(CountryCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn new_between_its_days() {
        let facts = ProductFacts {
            new_from: Some(day("2026-10-01")),
            new_until: Some(day("2026-10-31")),
            ..ProductFacts::default()
        };
        assert!(!facts.is_new_on(day("2026-09-30")));
        assert!(facts.is_new_on(day("2026-10-01")));
        assert!(facts.is_new_on(day("2026-10-31")));
        assert!(!facts.is_new_on(day("2026-11-01")));
        let open = ProductFacts {
            new_until: None,
            ..facts.clone()
        };
        assert!(open.is_new_on(day("2030-01-01")));
        let never = ProductFacts {
            new_from: None,
            ..facts
        };
        assert!(!never.is_new_on(day("2026-10-15")));
    }
}
