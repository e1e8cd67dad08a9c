//! Prices by quantity and by customer group (Magento's tier and group prices): a
//! lower unit price from a number of units, for every shopper or for one group of
//! customers (wholesale, say).
//!
//! Tiers for every shopper lower the price in the cart and the checkout. Those of a
//! customer group are kept for the B2B side: no shopper is told their group yet, so
//! none is charged them.

use chrono::{DateTime, Utc};

use crate::catalogue::{SitePrice, Variant};
use crate::money::Money;
use crate::site::SiteCode;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceTier {
    /// `None`: every shopper; else the customer group it is kept for (Magento's
    /// group id, as the customers' import keeps it).
    pub customer_group: Option<String>,
    /// From this many units of one line.
    pub min_units: u32,
    /// The unit price per site (by [`SiteCode::index`]), VAT included, in cents.
    pub unit_price_cents: [i64; 4],
}

/// The lowest price every shopper gets for `units` of a product on `site`, if a
/// tier gives one.
pub fn tier_price(tiers: &[PriceTier], site: SiteCode, units: u32) -> Option<Money> {
    tiers
        .iter()
        .filter(|tier| tier.customer_group.is_none() && tier.min_units <= units)
        .map(|tier| tier.unit_price_cents[site.index()])
        .min()
        .map(|cents| Money::from_cents(cents, site.currency()))
}

/// The unit price of `units` of `variant` on `site` at `now`: the offer's price, or
/// a tier's when lower, with the variant's surcharge; never below zero.
pub fn unit_price(
    variant: &Variant,
    tiers: &[PriceTier],
    offer: &SitePrice,
    site: SiteCode,
    now: DateTime<Utc>,
    units: u32,
) -> Money {
    let shelf = offer.effective(now).cents();
    let base = tier_price(tiers, site, units).map_or(shelf, |tier| tier.cents().min(shelf));
    let cents = base + variant.surcharge_cents[site.index()];
    Money::from_cents(cents.max(0), site.currency())
}

/// The tiers a product page lists for every shopper on `site`: from how many units,
/// at what unit price, those that lower the price below `shelf` only, fewest units
/// first.
pub fn listed_tiers(tiers: &[PriceTier], site: SiteCode, shelf: Money) -> Vec<(u32, Money)> {
    let mut listed: Vec<(u32, Money)> = tiers
        .iter()
        .filter(|tier| tier.customer_group.is_none() && tier.min_units > 1)
        .map(|tier| {
            let price = Money::from_cents(tier.unit_price_cents[site.index()], site.currency());
            (tier.min_units, price)
        })
        .filter(|(_, price)| price.cents() < shelf.cents())
        .collect();
    listed.sort_by_key(|(units, _)| *units);
    listed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{SaleUnits, StockPolicy, Visibility};
    use crate::{Sale, Sku};

    fn tier(group: Option<&str>, min_units: u32, es_cents: i64) -> PriceTier {
        PriceTier {
            customer_group: group.map(str::to_owned),
            min_units,
            unit_price_cents: [es_cents, es_cents + 100, es_cents, es_cents],
        }
    }

    fn variant(surcharge_cents: i64) -> Variant {
        Variant {
            id: 1,
            sku: Sku::parse("GLOBO-1").unwrap(),
            size: None,
            colour: None,
            choices: Vec::new(),
            surcharge_cents: [surcharge_cents; 4],
            stock: 100,
            stock_policy: StockPolicy::Counted,
            sale_units: SaleUnits::default(),
            position: 0,
        }
    }

    fn offer(price_cents: i64, sale_cents: Option<i64>) -> SitePrice {
        SitePrice {
            price: Money::eur(price_cents),
            sale: sale_cents.map(|cents| Sale {
                price: Money::eur(cents),
                starts_at: None,
                ends_at: None,
            }),
            visibility: Visibility::CatalogueAndSearch,
        }
    }

    #[test]
    fn the_lowest_tier_reached_applies_for_every_shopper_only() {
        let tiers = [
            tier(None, 10, 450),
            tier(None, 50, 400),
            tier(Some("2"), 1, 300),
        ];
        assert_eq!(tier_price(&tiers, SiteCode::Es, 9), None);
        assert_eq!(tier_price(&tiers, SiteCode::Es, 10), Some(Money::eur(450)));
        assert_eq!(tier_price(&tiers, SiteCode::Es, 60), Some(Money::eur(400)));
        assert_eq!(tier_price(&tiers, SiteCode::Fr, 60), Some(Money::eur(500)));
    }

    #[test]
    fn a_tier_never_raises_the_price_and_surcharges_add_to_it() {
        let now = Utc::now();
        let tiers = [tier(None, 10, 450)];
        let es = SiteCode::Es;
        assert_eq!(
            unit_price(&variant(0), &tiers, &offer(499, None), es, now, 1),
            Money::eur(499)
        );
        assert_eq!(
            unit_price(&variant(0), &tiers, &offer(499, None), es, now, 10),
            Money::eur(450)
        );
        assert_eq!(
            unit_price(&variant(50), &tiers, &offer(499, None), es, now, 10),
            Money::eur(500)
        );
        assert_eq!(
            unit_price(&variant(0), &tiers, &offer(499, Some(399)), es, now, 10),
            Money::eur(399),
            "a sale below the tier wins"
        );
    }

    #[test]
    fn the_page_lists_the_tiers_that_lower_the_price() {
        let tiers = [
            tier(None, 50, 400),
            tier(None, 10, 450),
            tier(None, 5, 520),
            tier(Some("2"), 2, 300),
        ];
        assert_eq!(
            listed_tiers(&tiers, SiteCode::Es, Money::eur(499)),
            [(10, Money::eur(450)), (50, Money::eur(400))]
        );
    }
}
