//! Options a product offers on top of its variant, with no stock of their own
//! (Magento's drop-down and radio custom options): a wig's length, gift wrapping.
//! Each value may cost more; a required option must be picked. A cart line is a
//! variant with the values picked.

use crate::money::Money;
use crate::site::{Locale, PerLocale, SiteCode};

/// One option of a product, its values in their order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductOption {
    /// Database identity: what a cart line names.
    pub id: i64,
    pub titles: PerLocale<String>,
    pub required: bool,
    pub values: Vec<OptionValue>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionValue {
    pub id: i64,
    pub titles: PerLocale<String>,
    /// What picking it adds to the price on each site (by [`SiteCode::index`]), in
    /// cents.
    pub surcharge_cents: [i64; 4],
}

impl OptionValue {
    pub fn surcharge(&self, site: SiteCode) -> Money {
        Money::from_cents(self.surcharge_cents[site.index()], site.currency())
    }
}

/// The values a shopper picked, as (option id, value id), ordered by option id:
/// two lines of one variant with the same picks are one line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct OptionPicks(Vec<(i64, i64)>);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OptionError {
    /// A required option without a value: its id.
    #[error("option {0} must be picked")]
    NotPicked(i64),
    /// A value the product does not offer (an old page, a forged form).
    #[error("no such option value")]
    Unknown,
}

impl OptionPicks {
    pub fn none() -> OptionPicks {
        OptionPicks::default()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn pairs(&self) -> &[(i64, i64)] {
        &self.0
    }

    /// Picks as written in a form or a stored cart: `12:34,13:40`; empty for none.
    pub fn parse(text: &str) -> Option<OptionPicks> {
        let mut pairs = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (option, value) = part.split_once(':')?;
            pairs.push((option.trim().parse().ok()?, value.trim().parse().ok()?));
        }
        Some(OptionPicks::from_pairs(pairs))
    }

    pub fn from_pairs(mut pairs: Vec<(i64, i64)>) -> OptionPicks {
        pairs.sort_unstable();
        pairs.dedup_by_key(|(option, _)| *option);
        OptionPicks(pairs)
    }

    /// The picks as [`OptionPicks::parse`] reads them.
    pub fn code(&self) -> String {
        self.0
            .iter()
            .map(|(option, value)| format!("{option}:{value}"))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The picks a shopper made among `options` (`picked` gives the value id typed
    /// for an option id, empty when none): every required option picked, every
    /// value one the option offers.
    pub fn choose<'t>(
        options: &[ProductOption],
        picked: impl Fn(i64) -> Option<&'t str>,
    ) -> Result<OptionPicks, OptionError> {
        let mut pairs = Vec::new();
        for option in options {
            match picked(option.id).map(str::trim).filter(|v| !v.is_empty()) {
                None if option.required => return Err(OptionError::NotPicked(option.id)),
                None => {}
                Some(text) => {
                    let value = text.parse::<i64>().map_err(|_| OptionError::Unknown)?;
                    if !option.values.iter().any(|v| v.id == value) {
                        return Err(OptionError::Unknown);
                    }
                    pairs.push((option.id, value));
                }
            }
        }
        Ok(OptionPicks::from_pairs(pairs))
    }

    /// The options and values picked, as `options` has them now; `None` when a
    /// pick no longer names one, or a required option is not picked (the product
    /// changed since the line was added).
    pub fn resolve<'o>(
        &self,
        options: &'o [ProductOption],
    ) -> Option<Vec<(&'o ProductOption, &'o OptionValue)>> {
        let mut resolved = Vec::with_capacity(self.0.len());
        for (option_id, value_id) in &self.0 {
            let option = options.iter().find(|o| o.id == *option_id)?;
            let value = option.values.iter().find(|v| v.id == *value_id)?;
            resolved.push((option, value));
        }
        let all_required = options
            .iter()
            .filter(|o| o.required)
            .all(|o| self.0.iter().any(|(id, _)| *id == o.id));
        all_required.then_some(resolved)
    }
}

/// What the picks add to the price on `site`.
pub fn surcharge(picked: &[(&ProductOption, &OptionValue)], site: SiteCode) -> i64 {
    picked
        .iter()
        .map(|(_, value)| value.surcharge_cents[site.index()])
        .sum()
}

/// The picks as shoppers read them: `Longitud: Larga · Envoltorio: Sí`.
pub fn describe(picked: &[(&ProductOption, &OptionValue)], locale: Locale) -> String {
    picked
        .iter()
        .map(|(option, value)| format!("{}: {}", option.titles[locale], value.titles[locale]))
        .collect::<Vec<_>>()
        .join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn option(id: i64, required: bool, values: &[(i64, &str, i64)]) -> ProductOption {
        ProductOption {
            id,
            titles: PerLocale::from_fn(|_| format!("Opción {id}")),
            required,
            values: values
                .iter()
                .map(|&(id, title, cents)| OptionValue {
                    id,
                    titles: PerLocale::from_fn(|_| title.to_owned()),
                    surcharge_cents: [cents; 4],
                })
                .collect(),
        }
    }

    #[test]
    fn required_options_must_be_picked_and_values_must_be_offered() {
        let options = [
            option(7, true, &[(70, "Corta", 0), (71, "Larga", 300)]),
            option(8, false, &[(80, "Sí", 150)]),
        ];
        let picks = |pairs: &'static [(i64, &'static str)]| {
            OptionPicks::choose(&options, |id| {
                pairs.iter().find(|(o, _)| *o == id).map(|(_, v)| *v)
            })
        };
        assert_eq!(picks(&[(8, "80")]), Err(OptionError::NotPicked(7)));
        assert_eq!(picks(&[(7, "80")]), Err(OptionError::Unknown));
        assert_eq!(picks(&[(7, "x")]), Err(OptionError::Unknown));
        let chosen = picks(&[(8, "80"), (7, " 71 ")]).unwrap();
        assert_eq!(chosen.code(), "7:71,8:80");
        assert_eq!(OptionPicks::parse(&chosen.code()), Some(chosen.clone()));
        let resolved = chosen.resolve(&options).unwrap();
        assert_eq!(surcharge(&resolved, SiteCode::Es), 450);
        assert_eq!(
            describe(&resolved, Locale::Es),
            "Opción 7: Larga · Opción 8: Sí"
        );
        // Optional ones may be left out.
        assert_eq!(picks(&[(7, "70")]).unwrap().code(), "7:70");
        // A pick the product no longer offers resolves to nothing.
        assert_eq!(OptionPicks::parse("7:99").unwrap().resolve(&options), None);
        assert_eq!(OptionPicks::parse("8:80").unwrap().resolve(&options), None);
        assert_eq!(OptionPicks::parse("7"), None);
        assert_eq!(OptionPicks::parse(""), Some(OptionPicks::none()));
    }
}
