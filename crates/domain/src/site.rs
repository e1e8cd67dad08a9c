//! The four country sites and their languages.

use std::fmt;
use std::ops::{Index, IndexMut};
use std::str::FromStr;

use crate::money::Currency;
use crate::vat::VatRate;

/// A country site of the shop. Each has one language, one currency, one standard VAT
/// rate and one time zone; its base URL is configuration, not domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SiteCode {
    Es,
    Fr,
    Pt,
    It,
}

/// A language of the shop's texts. Today one per site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Locale {
    Es,
    Fr,
    Pt,
    It,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown site '{0}' (expected es, fr, pt or it)")]
pub struct UnknownSite(pub String);

impl SiteCode {
    pub const ALL: [SiteCode; 4] = [SiteCode::Es, SiteCode::Fr, SiteCode::Pt, SiteCode::It];

    pub fn parse(code: &str) -> Result<Self, UnknownSite> {
        match code {
            "es" => Ok(SiteCode::Es),
            "fr" => Ok(SiteCode::Fr),
            "pt" => Ok(SiteCode::Pt),
            "it" => Ok(SiteCode::It),
            other => Err(UnknownSite(other.to_owned())),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SiteCode::Es => "es",
            SiteCode::Fr => "fr",
            SiteCode::Pt => "pt",
            SiteCode::It => "it",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn locale(self) -> Locale {
        match self {
            SiteCode::Es => Locale::Es,
            SiteCode::Fr => Locale::Fr,
            SiteCode::Pt => Locale::Pt,
            SiteCode::It => Locale::It,
        }
    }

    pub fn currency(self) -> Currency {
        Currency::Eur
    }

    /// The standard VAT rate of the site's country (mainland).
    pub fn standard_vat_rate(self) -> VatRate {
        match self {
            SiteCode::Es => VatRate::percent(21),
            SiteCode::Fr => VatRate::percent(20),
            SiteCode::Pt => VatRate::percent(23),
            SiteCode::It => VatRate::percent(22),
        }
    }

    /// IANA time zone of the site's country (mainland).
    pub fn time_zone(self) -> &'static str {
        match self {
            SiteCode::Es => "Europe/Madrid",
            SiteCode::Fr => "Europe/Paris",
            SiteCode::Pt => "Europe/Lisbon",
            SiteCode::It => "Europe/Rome",
        }
    }

    /// The country's name in its own language, for the site chooser.
    pub fn country_name(self) -> &'static str {
        match self {
            SiteCode::Es => "España",
            SiteCode::Fr => "France",
            SiteCode::Pt => "Portugal",
            SiteCode::It => "Italia",
        }
    }
}

impl FromStr for SiteCode {
    type Err = UnknownSite;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SiteCode::parse(s)
    }
}

impl fmt::Display for SiteCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Locale {
    pub const ALL: [Locale; 4] = [Locale::Es, Locale::Fr, Locale::Pt, Locale::It];

    pub fn parse(code: &str) -> Option<Self> {
        Locale::ALL.into_iter().find(|l| l.as_str() == code)
    }

    /// The site speaking this language (each site has its own).
    pub fn site(self) -> SiteCode {
        SiteCode::ALL
            .into_iter()
            .find(|site| site.locale() == self)
            .expect("every locale has its site")
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Locale::Es => "es",
            Locale::Fr => "fr",
            Locale::Pt => "pt",
            Locale::It => "it",
        }
    }

    /// BCP 47 tag for the `lang` attribute of pages.
    pub fn html_lang(self) -> &'static str {
        match self {
            Locale::Es => "es-ES",
            Locale::Fr => "fr-FR",
            Locale::Pt => "pt-PT",
            Locale::It => "it-IT",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One value per locale, such as a product's translated names.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PerLocale<T>(pub [T; 4]);

impl<T> PerLocale<T> {
    pub fn from_fn(mut f: impl FnMut(Locale) -> T) -> Self {
        PerLocale(Locale::ALL.map(&mut f))
    }

    pub fn iter(&self) -> impl Iterator<Item = (Locale, &T)> {
        Locale::ALL.into_iter().zip(self.0.iter())
    }

    /// Each language's value changed by `f`.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> PerLocale<U> {
        PerLocale(self.0.map(f))
    }
}

impl<T> Index<Locale> for PerLocale<T> {
    type Output = T;
    fn index(&self, locale: Locale) -> &T {
        &self.0[locale.index()]
    }
}

impl<T> IndexMut<Locale> for PerLocale<T> {
    fn index_mut(&mut self, locale: Locale) -> &mut T {
        &mut self.0[locale.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for site in SiteCode::ALL {
            assert_eq!(SiteCode::parse(site.as_str()), Ok(site));
            assert_eq!(site.locale().as_str(), site.as_str());
        }
        assert!(SiteCode::parse("de").is_err());
        assert!(SiteCode::parse("ES").is_err());
    }

    #[test]
    fn standard_rates() {
        let rates: Vec<u32> = SiteCode::ALL
            .iter()
            .map(|s| s.standard_vat_rate().basis_points())
            .collect();
        assert_eq!(rates, [2100, 2000, 2300, 2200]);
    }
}
