//! Tax identification numbers of the customers who want an invoice in a company's
//! (or their own) name, checked with their check digits: NIF, NIE and CIF in Spain,
//! NIF in Portugal, codice fiscale and partita IVA in Italy, SIREN and the VAT number
//! in France. The EU VAT form (`ES`, `PT`, `IT`, `FR` before the number) is accepted
//! too.

use std::fmt;

use crate::destination::Country;

/// A tax id that passed its country's check, upper-cased, without spaces, dots,
/// dashes or the EU VAT country prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxId {
    country: Country,
    number: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TaxIdError {
    #[error("not the form of a tax id of that country")]
    Form,
    #[error("its check digit is wrong")]
    CheckDigit,
}

impl TaxId {
    pub fn parse(country: Country, text: &str) -> Result<TaxId, TaxIdError> {
        let mut number: String = text
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-' | '/'))
            .flat_map(char::to_uppercase)
            .collect();
        // The EU VAT form: the country's code first (Greece aside, the ISO code).
        if let Some(rest) = number.strip_prefix(country.code())
            && rest.len() >= 8
        {
            number = rest.to_owned();
        }
        if !number.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(TaxIdError::Form);
        }
        let valid = match country {
            Country::Es => spanish(&number),
            Country::Pt => portuguese(&number),
            Country::It => italian(&number),
            Country::Fr => french(&number),
        }?;
        if valid {
            Ok(TaxId { country, number })
        } else {
            Err(TaxIdError::CheckDigit)
        }
    }

    pub fn country(&self) -> Country {
        self.country
    }

    pub fn as_str(&self) -> &str {
        &self.number
    }
}

impl fmt::Display for TaxId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.number)
    }
}

fn digits(text: &str) -> Option<Vec<u32>> {
    text.chars().map(|c| c.to_digit(10)).collect()
}

/// NIF (eight digits and a letter), NIE (X, Y or Z, seven digits, a letter) or CIF
/// (an organisation letter, seven digits, a control digit or letter).
fn spanish(number: &str) -> Result<bool, TaxIdError> {
    const LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";
    if number.len() != 9 {
        return Err(TaxIdError::Form);
    }
    let (first, rest) = number.split_at(1);
    let (body, control) = number.split_at(8);
    let control = control.as_bytes()[0];
    let personal = match first {
        "X" => Some(format!("0{}", &body[1..])),
        "Y" => Some(format!("1{}", &body[1..])),
        "Z" => Some(format!("2{}", &body[1..])),
        _ if first.as_bytes()[0].is_ascii_digit() => Some(body.to_owned()),
        _ => None,
    };
    if let Some(personal) = personal {
        let value: u32 = personal.parse().map_err(|_| TaxIdError::Form)?;
        return Ok(LETTERS[(value % 23) as usize] == control);
    }
    // CIF: the organisation's letter, seven digits, its control.
    if !"ABCDEFGHJNPQRSUVW".contains(first) {
        return Err(TaxIdError::Form);
    }
    let seven = digits(&rest[..7]).ok_or(TaxIdError::Form)?;
    let sum: u32 = seven
        .iter()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 0 {
                let doubled = d * 2;
                doubled / 10 + doubled % 10
            } else {
                d
            }
        })
        .sum();
    let check = (10 - sum % 10) % 10;
    let as_letter = b"JABCDEFGHI"[check as usize];
    let as_digit = b'0' + check as u8;
    Ok(match first {
        // Bodies without share capital, foreign ones, the public sector: a letter.
        "N" | "P" | "Q" | "R" | "S" | "W" => control == as_letter,
        // Companies: a digit.
        "A" | "B" | "E" | "H" => control == as_digit,
        _ => control == as_letter || control == as_digit,
    })
}

/// NIF: nine digits, the last a check digit (weights 9 to 2, modulo 11).
fn portuguese(number: &str) -> Result<bool, TaxIdError> {
    let nine = digits(number)
        .filter(|d| d.len() == 9)
        .ok_or(TaxIdError::Form)?;
    if !matches!(nine[0], 1 | 2 | 3 | 5 | 6 | 8 | 9) {
        return Err(TaxIdError::Form);
    }
    let sum: u32 = nine[..8]
        .iter()
        .zip((2..=9).rev())
        .map(|(d, w)| d * w)
        .sum();
    let check = match 11 - sum % 11 {
        10 | 11 => 0,
        n => n,
    };
    Ok(nine[8] == check)
}

/// Partita IVA (eleven digits, Luhn-like) or codice fiscale (sixteen characters,
/// the last a check letter).
fn italian(number: &str) -> Result<bool, TaxIdError> {
    match number.len() {
        11 => {
            let eleven = digits(number).ok_or(TaxIdError::Form)?;
            Ok(luhn(&eleven))
        }
        16 => {
            const ODD: [u32; 36] = [
                1, 0, 5, 7, 9, 13, 15, 17, 19, 21, // 0-9
                1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22,
                25, 24, 23, // A-Z
            ];
            let value = |c: char| -> Option<(u32, u32)> {
                // (position in 0-9A-Z, value as an even character)
                match c {
                    '0'..='9' => Some((c as u32 - '0' as u32, c as u32 - '0' as u32)),
                    'A'..='Z' => Some((10 + c as u32 - 'A' as u32, c as u32 - 'A' as u32)),
                    _ => None,
                }
            };
            let chars: Vec<char> = number.chars().collect();
            let mut sum = 0;
            for (i, &c) in chars[..15].iter().enumerate() {
                let (position, even) = value(c).ok_or(TaxIdError::Form)?;
                // Positions are counted from one: the first character is odd.
                sum += if i % 2 == 0 {
                    ODD[position as usize]
                } else {
                    even
                };
            }
            if !chars[15].is_ascii_uppercase() {
                return Err(TaxIdError::Form);
            }
            Ok(chars[15] as u32 - 'A' as u32 == sum % 26)
        }
        _ => Err(TaxIdError::Form),
    }
}

/// SIREN (nine digits, Luhn) or the VAT number (a two-digit key, then the SIREN).
fn french(number: &str) -> Result<bool, TaxIdError> {
    let all = digits(number).ok_or(TaxIdError::Form)?;
    match all.len() {
        9 => Ok(luhn(&all)),
        11 => {
            let siren: u64 = number[2..].parse().map_err(|_| TaxIdError::Form)?;
            let key: u64 = number[..2].parse().map_err(|_| TaxIdError::Form)?;
            Ok(luhn(&all[2..]) && key == (12 + 3 * (siren % 97)) % 97)
        }
        _ => Err(TaxIdError::Form),
    }
}

/// The Luhn check over `digits`, the last being the check digit.
fn luhn(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid(country: Country, text: &str) -> bool {
        TaxId::parse(country, text).is_ok()
    }

    #[test]
    fn spanish_nif_nie_and_cif() {
        assert!(valid(Country::Es, "12345678Z"));
        assert!(valid(Country::Es, "12.345.678-z"));
        assert!(valid(Country::Es, "ES12345678Z"));
        assert_eq!(
            TaxId::parse(Country::Es, "12345678A"),
            Err(TaxIdError::CheckDigit)
        );
        assert!(valid(Country::Es, "X1234567L"));
        assert!(valid(Country::Es, "Y1234567X"));
        assert!(!valid(Country::Es, "X1234567A"));
        // A company (digit), a foundation (letter).
        assert!(valid(Country::Es, "B12345674"));
        assert!(!valid(Country::Es, "B12345675"));
        assert!(valid(Country::Es, "Q2826000H"));
        assert!(!valid(Country::Es, "Q28260008"));
        assert_eq!(TaxId::parse(Country::Es, "1234"), Err(TaxIdError::Form));
        assert_eq!(
            TaxId::parse(Country::Es, "T1234567A"),
            Err(TaxIdError::Form)
        );
    }

    #[test]
    fn portuguese_nif() {
        assert!(valid(Country::Pt, "123456789"));
        assert!(valid(Country::Pt, "PT 501 964 843"));
        assert!(!valid(Country::Pt, "123456780"));
        assert_eq!(
            TaxId::parse(Country::Pt, "412345678"),
            Err(TaxIdError::Form)
        );
    }

    #[test]
    fn italian_partita_iva_and_codice_fiscale() {
        assert!(valid(Country::It, "07643520567"));
        assert!(valid(Country::It, "IT07643520567"));
        assert!(!valid(Country::It, "07643520568"));
        assert!(valid(Country::It, "RSSMRA85T10A562S"));
        assert!(valid(Country::It, "rssmra85t10a562s"));
        assert!(!valid(Country::It, "RSSMRA85T10A562T"));
    }

    #[test]
    fn french_siren_and_vat_number() {
        assert!(valid(Country::Fr, "732 829 320"));
        assert!(!valid(Country::Fr, "732829321"));
        assert!(valid(Country::Fr, "FR44732829320"));
        assert!(!valid(Country::Fr, "FR45732829320"));
    }
}
