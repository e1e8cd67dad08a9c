//! A campaign profile: the campaign's traffic, the sites' shares, what a visit is
//! made of, the service level to keep and the prices to size with. The shipped
//! default is the retailer's peak (`docs/campaign.toml`); a profile file gives
//! only what it changes, and every value is checked, an error naming its field.

use std::collections::BTreeMap;
use std::path::Path;

use comptoir_domain::SiteCode;
use serde::Deserialize;

/// The shipped default profile.
pub const DEFAULT_PROFILE: &str = include_str!("../../../docs/campaign.toml");

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub campaign: Campaign,
    /// Share of visitors per site.
    pub sites: BTreeMap<String, f64>,
    pub journey: Journey,
    pub slo: Slo,
    pub sizing: Sizing,
    pub prices: Prices,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    pub visitors_per_day: f64,
    pub peak_concurrent_shoppers: f64,
    pub orders_per_day: f64,
    /// Relative traffic of each hour of the day (24 weights).
    pub hourly_traffic: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Journey {
    pub think_time_seconds: f64,
    pub land_on_home: f64,
    pub filter: f64,
    pub search: f64,
    pub search_typo: f64,
    pub products_viewed: f64,
    pub add_to_cart: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Slo {
    pub page_p99_ms: f64,
    pub checkout_p99_ms: f64,
    pub max_error_rate: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sizing {
    pub headroom: f64,
    pub replica_cores: f64,
    pub cpu_target: f64,
    pub min_storefront_replicas: u32,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prices {
    pub currency: String,
    pub storefront_per_hour: f64,
    pub search_per_hour: f64,
}

/// Why a profile cannot be used, naming the field (`journey.search`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    #[error("cannot read the profile {path}: {cause}")]
    Unreadable { path: String, cause: String },
    #[error("the profile is not valid TOML: {0}")]
    Syntax(String),
    #[error("{field}: {message}")]
    Field { field: String, message: String },
}

fn field(field: &str, message: impl Into<String>) -> ProfileError {
    ProfileError::Field {
        field: field.to_owned(),
        message: message.into(),
    }
}

impl Default for Profile {
    fn default() -> Self {
        Profile::parse("").expect("the shipped profile is valid")
    }
}

impl Profile {
    pub fn read(path: &Path) -> Result<Profile, ProfileError> {
        let text = std::fs::read_to_string(path).map_err(|e| ProfileError::Unreadable {
            path: path.display().to_string(),
            cause: e.to_string(),
        })?;
        Profile::parse(&text)
    }

    /// The default profile with `text`'s values over it, checked.
    pub fn parse(text: &str) -> Result<Profile, ProfileError> {
        let syntax = |e: toml::de::Error| ProfileError::Syntax(e.message().to_owned());
        let mut merged: toml::Table = toml::from_str(DEFAULT_PROFILE).map_err(syntax)?;
        let given: toml::Table = toml::from_str(text).map_err(syntax)?;
        for (section, values) in given {
            match (merged.get_mut(&section), values) {
                // The sites' shares are replaced whole: a profile names every site it sells on.
                (Some(toml::Value::Table(known)), toml::Value::Table(values))
                    if section != "sites" =>
                {
                    known.extend(values);
                }
                (_, values) => {
                    merged.insert(section, values);
                }
            }
        }
        let profile: Profile = toml::Value::Table(merged).try_into().map_err(|e| {
            let e: toml::de::Error = e;
            ProfileError::Syntax(e.message().to_owned())
        })?;
        profile.check()?;
        Ok(profile)
    }

    fn check(&self) -> Result<(), ProfileError> {
        let positive = |name: &str, value: f64| {
            if value.is_finite() && value > 0.0 {
                Ok(())
            } else {
                Err(field(name, format!("must be above 0, not {value}")))
            }
        };
        let share = |name: &str, value: f64| {
            if (0.0..=1.0).contains(&value) {
                Ok(())
            } else {
                Err(field(
                    name,
                    format!("must be a share from 0 to 1, not {value}"),
                ))
            }
        };
        let c = &self.campaign;
        positive("campaign.visitors_per_day", c.visitors_per_day)?;
        positive(
            "campaign.peak_concurrent_shoppers",
            c.peak_concurrent_shoppers,
        )?;
        if !(c.orders_per_day.is_finite() && c.orders_per_day >= 0.0) {
            return Err(field(
                "campaign.orders_per_day",
                format!("must be 0 or more, not {}", c.orders_per_day),
            ));
        }
        if c.hourly_traffic.len() != 24 {
            return Err(field(
                "campaign.hourly_traffic",
                format!("needs 24 hours, not {}", c.hourly_traffic.len()),
            ));
        }
        if c.hourly_traffic.iter().any(|w| !w.is_finite() || *w < 0.0)
            || c.hourly_traffic.iter().sum::<f64>() <= 0.0
        {
            return Err(field(
                "campaign.hourly_traffic",
                "weights must be 0 or more, some above 0",
            ));
        }
        if self.sites.is_empty() {
            return Err(field("sites", "names no site"));
        }
        for (code, value) in &self.sites {
            let name = format!("sites.{code}");
            SiteCode::parse(code).map_err(|_| field(&name, "is not a site: es, fr, pt or it"))?;
            share(&name, *value)?;
        }
        let total: f64 = self.sites.values().sum();
        if (total - 1.0).abs() > 0.001 {
            return Err(field(
                "sites",
                format!("shares add up to {total:.3}, not 1"),
            ));
        }
        let j = &self.journey;
        positive("journey.think_time_seconds", j.think_time_seconds)?;
        for (name, value) in [
            ("journey.land_on_home", j.land_on_home),
            ("journey.filter", j.filter),
            ("journey.search", j.search),
            ("journey.search_typo", j.search_typo),
            ("journey.add_to_cart", j.add_to_cart),
        ] {
            share(name, value)?;
        }
        positive("journey.products_viewed", j.products_viewed)?;
        if self.conversion() > j.add_to_cart {
            return Err(field(
                "journey.add_to_cart",
                format!(
                    "{} of visits add to the cart, fewer than the {:.4} that order \
                     (campaign.orders_per_day / campaign.visitors_per_day)",
                    j.add_to_cart,
                    self.conversion()
                ),
            ));
        }
        positive("slo.page_p99_ms", self.slo.page_p99_ms)?;
        positive("slo.checkout_p99_ms", self.slo.checkout_p99_ms)?;
        share("slo.max_error_rate", self.slo.max_error_rate)?;
        let s = &self.sizing;
        if !(s.headroom.is_finite() && s.headroom >= 0.0) {
            return Err(field("sizing.headroom", "must be 0 or more"));
        }
        positive("sizing.replica_cores", s.replica_cores)?;
        positive("sizing.cpu_target", s.cpu_target)?;
        share("sizing.cpu_target", s.cpu_target)?;
        if s.min_storefront_replicas == 0 {
            return Err(field("sizing.min_storefront_replicas", "must be 1 or more"));
        }
        for (name, value) in [
            (
                "prices.storefront_per_hour",
                self.prices.storefront_per_hour,
            ),
            ("prices.search_per_hour", self.prices.search_per_hour),
        ] {
            if !(value.is_finite() && value >= 0.0) {
                return Err(field(name, format!("must be 0 or more, not {value}")));
            }
        }
        Ok(())
    }

    /// Share of visits that end in an order.
    pub fn conversion(&self) -> f64 {
        self.campaign.orders_per_day / self.campaign.visitors_per_day
    }

    /// The sites' shares, as sites.
    pub fn site_shares(&self) -> Vec<(SiteCode, f64)> {
        self.sites
            .iter()
            .filter_map(|(code, share)| Some((SiteCode::parse(code).ok()?, *share)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_the_retailers_peak() {
        let profile = Profile::default();
        assert_eq!(profile.campaign.visitors_per_day, 240_000.0);
        assert_eq!(profile.campaign.peak_concurrent_shoppers, 4_000.0);
        assert_eq!(profile.campaign.orders_per_day, 4_250.0);
        assert!((profile.conversion() - 0.017_708).abs() < 1e-6);
        assert_eq!(profile.site_shares().len(), 4);
    }

    #[test]
    fn a_profile_gives_only_what_it_changes() {
        let profile = Profile::parse(
            "[campaign]\npeak_concurrent_shoppers = 500\n[sites]\nes = 0.7\nfr = 0.3\n",
        )
        .unwrap();
        assert_eq!(profile.campaign.peak_concurrent_shoppers, 500.0);
        assert_eq!(profile.campaign.visitors_per_day, 240_000.0, "kept");
        assert_eq!(
            profile.site_shares(),
            [(SiteCode::Es, 0.7), (SiteCode::Fr, 0.3)],
            "the sites replaced whole"
        );
    }

    #[test]
    fn a_wrong_value_is_named() {
        for (text, says) in [
            (
                "[campaign]\nvisitors_per_day = -5",
                "campaign.visitors_per_day",
            ),
            ("[sites]\nes = 0.5\nfr = 0.2", "shares add up to 0.700"),
            ("[sites]\nes = 0.5\nde = 0.5", "sites.de: is not a site"),
            ("[journey]\nsearch = 1.5", "journey.search"),
            ("[journey]\nadd_to_cart = 0.01", "journey.add_to_cart"),
            ("[campaign]\nhourly_traffic = [1, 2]", "needs 24 hours"),
            ("[journey]\nteleport = 1", "teleport"),
            ("[slo]\npage_p99_ms = \"fast\"", "invalid type"),
            ("[campaign", "unclosed table"),
        ] {
            let error = Profile::parse(text).unwrap_err().to_string();
            assert!(error.contains(says), "{text}: {error}");
        }
    }
}
