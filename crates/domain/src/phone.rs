//! A phone number the carrier can call: typed as the shopper writes it at home
//! (`612 34 56 78`, `06 12 34 56 78`) or with its international prefix, kept in the
//! international form (`+34612345678`).

use std::fmt;

use crate::destination::Country;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a phone number of that country, nor one with its international prefix")]
pub struct InvalidPhone;

impl Phone {
    /// A number of `country` (the address's), or any with its `+` or `00` prefix.
    pub fn parse(country: Country, text: &str) -> Result<Phone, InvalidPhone> {
        let compact: String = text
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')' | '\u{a0}'))
            .collect();
        let international = compact
            .strip_prefix('+')
            .or_else(|| compact.strip_prefix("00"));
        let digits = international.unwrap_or(&compact);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(InvalidPhone);
        }
        if international.is_some() {
            // E.164: a country code and a national number, fifteen digits at most.
            return if (8..=15).contains(&digits.len()) && !digits.starts_with('0') {
                Ok(Phone(format!("+{digits}")))
            } else {
                Err(InvalidPhone)
            };
        }
        let national = match country {
            // Nine digits, from 6 to 9.
            Country::Es => (digits.len() == 9 && matches!(digits.as_bytes()[0], b'6'..=b'9'))
                .then(|| format!("+34{digits}")),
            // Ten digits from 0, the 0 dropped after +33.
            Country::Fr => {
                (digits.len() == 10 && digits.starts_with('0') && digits.as_bytes()[1] != b'0')
                    .then(|| format!("+33{}", &digits[1..]))
            }
            // Nine digits, landlines from 2, mobiles from 9.
            Country::Pt => (digits.len() == 9 && matches!(digits.as_bytes()[0], b'2' | b'9'))
                .then(|| format!("+351{digits}")),
            // Landlines keep their 0 (6 to 11 digits); mobiles start with 3 (9 or 10).
            Country::It => ((digits.starts_with('0') && (6..=11).contains(&digits.len()))
                || (digits.starts_with('3') && (9..=10).contains(&digits.len())))
            .then(|| format!("+39{digits}")),
        };
        national.map(Phone).ok_or(InvalidPhone)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phone(country: Country, text: &str) -> Option<String> {
        Phone::parse(country, text).ok().map(|p| p.0)
    }

    #[test]
    fn national_numbers_take_their_country_prefix() {
        assert_eq!(
            phone(Country::Es, "612 34 56 78").as_deref(),
            Some("+34612345678")
        );
        assert_eq!(
            phone(Country::Fr, "06.12.34.56.78").as_deref(),
            Some("+33612345678")
        );
        assert_eq!(
            phone(Country::Pt, "912-345-678").as_deref(),
            Some("+351912345678")
        );
        assert_eq!(
            phone(Country::It, "347 123 4567").as_deref(),
            Some("+393471234567")
        );
        assert_eq!(
            phone(Country::It, "02 1234 5678").as_deref(),
            Some("+390212345678")
        );
    }

    #[test]
    fn international_numbers_are_kept() {
        assert_eq!(
            phone(Country::Es, "+33 6 12 34 56 78").as_deref(),
            Some("+33612345678")
        );
        assert_eq!(
            phone(Country::Pt, "0034612345678").as_deref(),
            Some("+34612345678")
        );
    }

    #[test]
    fn anything_else_is_refused() {
        for (country, text) in [
            (Country::Es, "12345678"),
            (Country::Es, "512345678"),
            (Country::Fr, "6 12 34 56 78"),
            (Country::Pt, "812345678"),
            (Country::It, "12345"),
            (Country::Es, "+0612"),
            (Country::Es, "call me"),
            (Country::Es, ""),
        ] {
            assert_eq!(phone(country, text), None, "{text}");
        }
    }
}
