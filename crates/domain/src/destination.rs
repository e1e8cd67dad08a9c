//! Where an order ships, and which VAT that destination pays.
//!
//! The destination decides VAT: mainland Spain, France, Portugal and Italy at their
//! standard rates; the Canary Islands, Ceuta and Melilla are outside EU VAT (the net
//! price is charged); the Azores (16 %) and Madeira (22 %) have their own rates.

use std::fmt;

use crate::vat::VatRate;

/// A country the shop delivers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Country {
    Es,
    Fr,
    Pt,
    It,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PostcodeError {
    #[error("unknown country '{0}'")]
    UnknownCountry(String),
    #[error("'{postcode}' is not a postcode of {country} ({expected})")]
    Invalid {
        country: Country,
        postcode: String,
        expected: &'static str,
    },
}

impl Country {
    pub const ALL: [Country; 4] = [Country::Es, Country::Fr, Country::Pt, Country::It];

    /// ISO 3166-1 alpha-2 code.
    pub fn code(self) -> &'static str {
        match self {
            Country::Es => "ES",
            Country::Fr => "FR",
            Country::Pt => "PT",
            Country::It => "IT",
        }
    }

    pub fn parse(code: &str) -> Result<Country, PostcodeError> {
        Country::ALL
            .into_iter()
            .find(|c| c.code().eq_ignore_ascii_case(code.trim()))
            .ok_or_else(|| PostcodeError::UnknownCountry(code.to_owned()))
    }

    pub fn standard_vat_rate(self) -> VatRate {
        match self {
            Country::Es => VatRate::percent(21),
            Country::Fr => VatRate::percent(20),
            Country::Pt => VatRate::percent(23),
            Country::It => VatRate::percent(22),
        }
    }

    /// The shape of the country's postcodes, as shoppers are told.
    fn postcode_format(self) -> &'static str {
        match self {
            Country::Es | Country::Fr | Country::It => "5 digits",
            Country::Pt => "NNNN-NNN",
        }
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A postcode valid for its country, in its canonical form (`28013`, `9000-018`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Postcode {
    country: Country,
    code: String,
}

impl Postcode {
    /// Validates a postcode as typed (spaces around it ignored; a Portuguese code may
    /// omit its hyphen).
    pub fn parse(country: Country, input: &str) -> Result<Postcode, PostcodeError> {
        let text: String = input
            .trim()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let invalid = || PostcodeError::Invalid {
            country,
            postcode: input.trim().to_owned(),
            expected: country.postcode_format(),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let code = match country {
            Country::Es => {
                // Provinces are numbered 01 to 52.
                let province: u32 = text
                    .get(..2)
                    .and_then(|p| p.parse().ok())
                    .ok_or_else(invalid)?;
                (text.len() == 5 && digits(&text) && (1..=52).contains(&province)).then_some(text)
            }
            Country::Fr | Country::It => (text.len() == 5 && digits(&text)).then_some(text),
            Country::Pt => {
                let (first, second) = match text.split_once('-') {
                    Some(parts) => parts,
                    None if text.len() == 7 => text.split_at(4),
                    None => ("", ""),
                };
                (first.len() == 4
                    && second.len() == 3
                    && digits(first)
                    && digits(second)
                    && !first.starts_with('0'))
                .then(|| format!("{first}-{second}"))
            }
        };
        code.map(|code| Postcode { country, code })
            .ok_or_else(invalid)
    }

    pub fn country(&self) -> Country {
        self.country
    }

    pub fn as_str(&self) -> &str {
        &self.code
    }

    /// Whether the code is of the Canary Islands: 35 Las Palmas, 38 Santa Cruz de
    /// Tenerife.
    pub fn in_canaries(&self) -> bool {
        self.country == Country::Es && matches!(self.area(2), 35 | 38)
    }

    /// The leading number of the code (Spanish province, Portuguese area).
    fn area(&self, digits: usize) -> u32 {
        self.code[..digits].parse().unwrap_or(0)
    }
}

/// Where an order ships, as far as prices care: the country (for shipping rates) and
/// its VAT territory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Destination {
    pub country: Country,
    pub zone: TaxZone,
    /// Bought by a business whose VAT number of this other member state VIES
    /// confirmed: an exempt intra-community supply.
    pub business_abroad: bool,
}

impl Destination {
    pub fn of(postcode: &Postcode) -> Destination {
        Destination {
            country: postcode.country(),
            zone: TaxZone::of(postcode),
            business_abroad: false,
        }
    }

    /// A country's mainland: what a cart shows before the shopper gives an address.
    pub fn mainland(country: Country) -> Destination {
        Destination {
            country,
            zone: TaxZone::Standard(country),
            business_abroad: false,
        }
    }

    /// Whether a business buying here could be supplied exempt, intra-community:
    /// delivered in another member state's VAT territory.
    pub fn in_another_member_state(self) -> bool {
        match self.zone {
            TaxZone::Standard(country) => country != Country::Es,
            TaxZone::Azores | TaxZone::Madeira => true,
            TaxZone::OutsideEuVat => false,
        }
    }

    /// Bought by a business whose VAT number VIES confirmed, where that makes an
    /// intra-community supply.
    pub fn for_business_abroad(self) -> Destination {
        Destination {
            business_abroad: self.in_another_member_state(),
            ..self
        }
    }

    /// The VAT the order pays.
    pub fn vat_charge(self) -> crate::totals::VatCharge {
        if self.business_abroad {
            crate::totals::VatCharge::ExemptSupply
        } else {
            self.zone.into()
        }
    }
}

impl From<&Postcode> for Destination {
    fn from(postcode: &Postcode) -> Destination {
        Destination::of(postcode)
    }
}

/// The VAT territory a delivery falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaxZone {
    /// A country's mainland (and islands at its standard rate).
    Standard(Country),
    /// Canary Islands, Ceuta, Melilla: outside EU VAT.
    OutsideEuVat,
    Azores,
    Madeira,
}

impl TaxZone {
    /// The zone of an address as stored: its country's mainland when its postcode
    /// is not one (the checkout took only valid ones).
    pub fn of_address(country: Country, postcode: &str) -> TaxZone {
        Postcode::parse(country, postcode).map_or(TaxZone::Standard(country), |p| TaxZone::of(&p))
    }

    pub fn of(postcode: &Postcode) -> TaxZone {
        match postcode.country() {
            // The Canaries, 51 Ceuta, 52 Melilla.
            Country::Es if postcode.in_canaries() || matches!(postcode.area(2), 51 | 52) => {
                TaxZone::OutsideEuVat
            }
            // 9000–9499 Madeira and Porto Santo, 9500–9999 the Azores.
            Country::Pt if (9000..9500).contains(&postcode.area(4)) => TaxZone::Madeira,
            Country::Pt if postcode.area(4) >= 9500 => TaxZone::Azores,
            country => TaxZone::Standard(country),
        }
    }

    /// The VAT rate charged there; `None` outside EU VAT (no VAT charged).
    pub fn vat_rate(self) -> Option<VatRate> {
        match self {
            TaxZone::Standard(country) => Some(country.standard_vat_rate()),
            TaxZone::OutsideEuVat => None,
            TaxZone::Azores => Some(VatRate::percent(16)),
            TaxZone::Madeira => Some(VatRate::percent(22)),
        }
    }
}

/// The sigle of Italy's provinces and metropolitan cities, which an Italian address
/// carries after its city (`20121 Milano MI`).
const ITALIAN_PROVINCES: [&str; 107] = [
    "AG", "AL", "AN", "AO", "AP", "AQ", "AR", "AT", "AV", "BA", "BG", "BI", "BL", "BN", "BO", "BR",
    "BS", "BT", "BZ", "CA", "CB", "CE", "CH", "CL", "CN", "CO", "CR", "CS", "CT", "CZ", "EN", "FC",
    "FE", "FG", "FI", "FM", "FR", "GE", "GO", "GR", "IM", "IS", "KR", "LC", "LE", "LI", "LO", "LT",
    "LU", "MB", "MC", "ME", "MI", "MN", "MO", "MS", "MT", "NA", "NO", "NU", "OR", "PA", "PC", "PD",
    "PE", "PG", "PI", "PN", "PO", "PR", "PT", "PU", "PV", "PZ", "RA", "RC", "RE", "RG", "RI", "RM",
    "RN", "RO", "SA", "SI", "SO", "SP", "SR", "SS", "SU", "SV", "TA", "TE", "TN", "TO", "TP", "TR",
    "TS", "TV", "UD", "VA", "VB", "VC", "VE", "VI", "VR", "VT", "VV",
];

/// An Italian province's sigla, upper-cased, if `text` is one.
pub fn italian_province(text: &str) -> Option<&'static str> {
    let wanted = text.trim().to_ascii_uppercase();
    ITALIAN_PROVINCES
        .iter()
        .copied()
        .find(|sigla| *sigla == wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(country: Country, code: &str) -> TaxZone {
        TaxZone::of(&Postcode::parse(country, code).unwrap())
    }

    #[test]
    fn postcodes_are_validated_per_country() {
        assert_eq!(
            Postcode::parse(Country::Es, " 28013 ").unwrap().as_str(),
            "28013"
        );
        assert_eq!(
            Postcode::parse(Country::Pt, "9000018").unwrap().as_str(),
            "9000-018"
        );
        assert_eq!(
            Postcode::parse(Country::Pt, "1100-148").unwrap().as_str(),
            "1100-148"
        );
        assert!(Postcode::parse(Country::Fr, "75 008").is_ok());
        assert!(Postcode::parse(Country::It, "00184").is_ok());
        for (country, bad) in [
            (Country::Es, "53001"),
            (Country::Es, "00001"),
            (Country::Es, "2801"),
            (Country::Fr, "7500A"),
            (Country::Pt, "110-0148"),
            (Country::Pt, "0100-148"),
            (Country::It, "001845"),
            (Country::It, ""),
        ] {
            assert!(Postcode::parse(country, bad).is_err(), "{country} {bad}");
        }
        assert_eq!(Country::parse("pt"), Ok(Country::Pt));
        assert!(Country::parse("DE").is_err());
    }

    #[test]
    fn destinations_decide_vat() {
        assert_eq!(
            zone(Country::Es, "28013").vat_rate(),
            Some(VatRate::percent(21))
        );
        for outside in ["35001", "38001", "51001", "52001"] {
            assert_eq!(
                zone(Country::Es, outside),
                TaxZone::OutsideEuVat,
                "{outside}"
            );
            assert_eq!(zone(Country::Es, outside).vat_rate(), None);
        }
        assert_eq!(
            zone(Country::Pt, "9000-018").vat_rate(),
            Some(VatRate::percent(22))
        );
        assert_eq!(zone(Country::Pt, "9400-010"), TaxZone::Madeira);
        assert_eq!(
            zone(Country::Pt, "9500-100").vat_rate(),
            Some(VatRate::percent(16))
        );
        assert_eq!(
            zone(Country::Pt, "1100-148").vat_rate(),
            Some(VatRate::percent(23))
        );
        assert_eq!(
            zone(Country::Fr, "20000").vat_rate(),
            Some(VatRate::percent(20))
        );
        assert_eq!(
            zone(Country::It, "00184").vat_rate(),
            Some(VatRate::percent(22))
        );
    }

    #[test]
    fn italian_provinces_by_their_sigla() {
        assert_eq!(italian_province(" mi "), Some("MI"));
        assert_eq!(italian_province("SU"), Some("SU"));
        assert_eq!(italian_province("XX"), None);
        assert!(
            ITALIAN_PROVINCES.windows(2).all(|w| w[0] < w[1]),
            "sorted, no repeat"
        );
    }
}
