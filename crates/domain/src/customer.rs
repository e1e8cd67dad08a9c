//! Customer accounts, as other parts bring them to the store, and how long their
//! orders outlive an erased account.

use chrono::NaiveDate;

use crate::{Locale, SiteCode};

/// An account to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCustomer {
    pub email: String,
    pub name: String,
    pub password_hash: String,
}

/// What an old shop's account held besides the name and e-mail address (Magento's
/// customer attributes): kept with the account, in its owner's data download.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerDetails {
    pub phone: String,
    pub company: String,
    /// As the customer gave it (a NIF, a partita IVA): not checked.
    pub tax_id: String,
    pub birth_date: Option<NaiveDate>,
    /// As the old shop recorded it (`female`, `male`, `other`).
    pub gender: Option<&'static str>,
    /// The old shop's customer group (Magento's `group_id`), for B2B prices.
    pub group: String,
    /// The language of the store view they registered on.
    pub locale: Option<Locale>,
}

/// An address book entry's fields beyond a shipping address: company, region
/// (province), phone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressDetails {
    pub company: String,
    pub region: String,
    pub phone: String,
}

/// How long orders' billing data must be kept after an erasure, per country: tax law
/// (art. 17(3)(b) GDPR) keeps it intact, restricted, until then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionYears(pub [u16; 4]);

impl RetentionYears {
    pub fn of(&self, site: SiteCode) -> u16 {
        self.0[site.index()]
    }

    /// `es=6,fr=10,pt=10,it=10`: every site, each once.
    pub fn parse(text: &str) -> Result<RetentionYears, String> {
        let mut years: [Option<u16>; 4] = [None; 4];
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (site, count) = part
                .split_once('=')
                .ok_or_else(|| format!("`{part}`: expected site=years"))?;
            let site = SiteCode::parse(site.trim()).map_err(|e| e.to_string())?;
            let count: u16 = count
                .trim()
                .parse()
                .ok()
                .filter(|n| (1..=30).contains(n))
                .ok_or_else(|| format!("`{part}`: years from 1 to 30"))?;
            if years[site.index()].replace(count).is_some() {
                return Err(format!("{} given twice", site.as_str()));
            }
        }
        let mut all = [0; 4];
        for site in SiteCode::ALL {
            all[site.index()] =
                years[site.index()].ok_or_else(|| format!("{} missing", site.as_str()))?;
        }
        Ok(RetentionYears(all))
    }
}

impl Default for RetentionYears {
    /// Spain keeps accounting records six years (Código de Comercio art. 30); France
    /// (Code de commerce L123-22), Portugal and Italy ten.
    fn default() -> Self {
        RetentionYears([6, 10, 10, 10])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retention_names_every_site_once() {
        assert_eq!(
            RetentionYears::parse("es=6, fr=10,pt=10,it=10"),
            Ok(RetentionYears::default())
        );
        assert_eq!(RetentionYears::default().of(SiteCode::Es), 6);
        assert!(RetentionYears::parse("es=6,fr=10,pt=10").is_err());
        assert!(RetentionYears::parse("es=6,es=7,fr=10,pt=10,it=10").is_err());
        assert!(RetentionYears::parse("es=0,fr=10,pt=10,it=10").is_err());
        assert!(RetentionYears::parse("es=six,fr=10,pt=10,it=10").is_err());
        assert!(RetentionYears::parse("de=6,fr=10,pt=10,it=10").is_err());
    }
}
