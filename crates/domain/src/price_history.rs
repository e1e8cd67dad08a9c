//! The price a reduction is announced against (Directive 98/6/EC art. 6a, the
//! "Omnibus" rule): the lowest price applied in the 30 days before the reduction
//! began. A progressive reduction (one sale price after another, without a break)
//! began at its first step, so each step is measured against the price before it.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

use crate::catalogue::{ProductId, Sale, SitePrice};
use crate::money::Money;
use crate::site::SiteCode;

/// How far back before a reduction the reference price is looked for.
pub const REFERENCE_PERIOD: Duration = Duration::days(30);

/// The reference price of every offer announcing a reduction.
pub type ReferencePrices = HashMap<(ProductId, SiteCode), Money>;

/// Offers' versions, oldest first.
pub type OfferHistories = HashMap<(ProductId, SiteCode), Vec<OfferVersion>>;

/// One version of a product's offer on a site, as it stood from `from` until the next
/// version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfferVersion {
    pub from: DateTime<Utc>,
    pub price: Money,
    pub sale: Option<Sale>,
}

/// A stretch of time during which one price applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stretch {
    start: DateTime<Utc>,
    /// `None`: still applies.
    end: Option<DateTime<Utc>>,
    price: Money,
    reduced: bool,
}

/// The reference price of the reduction the offer's latest version announces, from
/// its `versions` oldest first; `None` when it announces none, or when no price is
/// known from before the reduction began (a product on sale since it appeared has
/// no earlier price to be reduced from).
pub fn reference_price(versions: &[OfferVersion]) -> Option<Money> {
    let latest = versions.last()?;
    let sale = latest.sale.filter(|sale| sale.price < latest.price)?;
    let first_applied = sale
        .starts_at
        .map_or(latest.from, |start| start.max(latest.from));
    if sale.ends_at.is_some_and(|end| end <= first_applied) {
        return None;
    }
    let stretches = stretches(versions);
    let current = stretches
        .iter()
        .rposition(|stretch| stretch.start <= first_applied)?;
    let first_step = stretches[..=current]
        .iter()
        .rposition(|stretch| !stretch.reduced)
        .map_or(0, |regular| regular + 1);
    let began = stretches[first_step].start;
    let window_start = began - REFERENCE_PERIOD;
    stretches[..first_step]
        .iter()
        .filter(|stretch| stretch.end.is_none_or(|end| end > window_start))
        .map(|stretch| stretch.price)
        .min_by_key(|price| price.cents())
}

/// The lowest price applied at any moment from `from` until `until`, from an offer's
/// `versions` oldest first; `None` when none applied then (the offer is younger).
pub fn lowest_price_between(
    versions: &[OfferVersion],
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Option<Money> {
    stretches(versions)
        .into_iter()
        .filter(|stretch| stretch.start < until && stretch.end.is_none_or(|end| end > from))
        .map(|stretch| stretch.price)
        .min_by_key(|price| price.cents())
}

/// The prices applied over time: each version split where its sale starts and ends,
/// empty stretches left out.
fn stretches(versions: &[OfferVersion]) -> Vec<Stretch> {
    let mut stretches = Vec::new();
    for (i, version) in versions.iter().enumerate() {
        let end = versions.get(i + 1).map(|next| next.from);
        let mut push = |start: DateTime<Utc>, end: Option<DateTime<Utc>>, price, reduced| {
            if end.is_none_or(|end| start < end) {
                stretches.push(Stretch {
                    start,
                    end,
                    price,
                    reduced,
                });
            }
        };
        let Some(sale) = version.sale.filter(|sale| sale.price < version.price) else {
            push(version.from, end, version.price, false);
            continue;
        };
        let clip = |instant: DateTime<Utc>| {
            let instant = instant.max(version.from);
            end.map_or(instant, |end| instant.min(end))
        };
        let sale_start = sale.starts_at.map_or(version.from, clip);
        let sale_end = match (sale.ends_at, end) {
            (Some(sale_end), _) => Some(clip(sale_end)),
            (None, end) => end,
        };
        push(version.from, Some(sale_start), version.price, false);
        push(sale_start, sale_end, sale.price, true);
        if let Some(sale_end) = sale_end {
            push(sale_end, end, version.price, false);
        }
    }
    stretches
}

/// What a shopper is told of a price at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceTag {
    pub price: Money,
    /// While a reduction is announced: the reference price, shown struck through.
    pub was: Option<Money>,
}

impl PriceTag {
    /// The tag of `offer` at `now`, given its reduction's reference price. A sale
    /// price that is not below the reference is sold without announcing a reduction.
    pub fn of(offer: &SitePrice, reference: Option<Money>, now: DateTime<Utc>) -> PriceTag {
        let price = offer.effective(now);
        let was = reference.filter(|reference| offer.on_sale(now) && *reference > price);
        PriceTag { price, was }
    }

    /// The reduction in whole percent, rounded down so it is never overstated.
    pub fn percent_off(&self) -> Option<i64> {
        let was = self.was?.cents();
        Some((was - self.price.cents()) * 100 / was)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::catalogue::Visibility;

    fn day(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + Duration::days(i64::from(d))
    }

    fn eur(cents: i64) -> Money {
        Money::eur(cents)
    }

    fn regular(from: u32, cents: i64) -> OfferVersion {
        OfferVersion {
            from: day(from),
            price: eur(cents),
            sale: None,
        }
    }

    fn on_sale(
        from: u32,
        cents: i64,
        sale_cents: i64,
        starts: Option<u32>,
        ends: Option<u32>,
    ) -> OfferVersion {
        OfferVersion {
            from: day(from),
            price: eur(cents),
            sale: Some(Sale {
                price: eur(sale_cents),
                starts_at: starts.map(day),
                ends_at: ends.map(day),
            }),
        }
    }

    #[test]
    fn a_scheduled_sale_is_measured_against_the_price_before_it() {
        let versions = [on_sale(0, 2999, 1999, Some(50), Some(60))];
        assert_eq!(reference_price(&versions), Some(eur(2999)));
    }

    #[test]
    fn the_lowest_price_of_the_thirty_days_before_counts() {
        // 25 € until day 40, 20 € from day 40, then a sale at 15 € from day 60:
        // within the 30 days before day 60 the price was 25 € (days 30–40) and 20 €.
        let versions = [
            regular(0, 2500),
            regular(40, 2000),
            on_sale(55, 2000, 1500, Some(60), None),
        ];
        assert_eq!(reference_price(&versions), Some(eur(2000)));
    }

    #[test]
    fn a_price_raised_just_before_a_sale_does_not_inflate_the_reduction() {
        // 10 € for months, raised to 20 € on day 95, "reduced" to 15 € on day 100.
        let versions = [regular(0, 1000), on_sale(95, 2000, 1500, Some(100), None)];
        let reference = reference_price(&versions);
        assert_eq!(reference, Some(eur(1000)));
        let offer = SitePrice {
            price: eur(2000),
            sale: versions[1].sale,
            visibility: Visibility::CatalogueAndSearch,
        };
        let tag = PriceTag::of(&offer, reference, day(101));
        assert_eq!(tag.price, eur(1500));
        assert_eq!(tag.was, None, "not a reduction from the reference price");
    }

    #[test]
    fn prices_older_than_thirty_days_before_the_reduction_do_not_count() {
        let versions = [
            regular(0, 900),
            regular(10, 3000),
            on_sale(10, 3000, 2000, Some(100), None),
        ];
        assert_eq!(reference_price(&versions), Some(eur(3000)));
    }

    #[test]
    fn a_progressive_reduction_keeps_the_price_before_its_first_step() {
        // 30 € → 25 € from day 50 → 20 € from day 60 (the sale edited without a break).
        let versions = [
            on_sale(0, 3000, 2500, Some(50), None),
            on_sale(60, 3000, 2000, None, None),
        ];
        assert_eq!(reference_price(&versions), Some(eur(3000)));
    }

    #[test]
    fn a_new_sale_after_a_break_counts_the_earlier_sale_price() {
        // A sale at 20 € on days 10–20, back to 30 €, then a sale at 25 € from day 30:
        // the lowest price of the 30 days before day 30 is the earlier 20 €.
        let versions = [
            on_sale(0, 3000, 2000, Some(10), Some(20)),
            on_sale(25, 3000, 2500, Some(30), None),
        ];
        assert_eq!(reference_price(&versions), Some(eur(2000)));
    }

    #[test]
    fn a_sale_since_the_product_appeared_has_no_reference() {
        let versions = [on_sale(0, 3000, 2000, None, None)];
        assert_eq!(reference_price(&versions), None);
    }

    #[test]
    fn no_sale_or_a_sale_over_before_its_version_means_no_reference() {
        assert_eq!(reference_price(&[regular(0, 1000)]), None);
        assert_eq!(reference_price(&[]), None);
        let ended = [
            regular(0, 3000),
            on_sale(40, 3000, 2000, Some(10), Some(20)),
        ];
        assert_eq!(reference_price(&ended), None);
    }

    #[test]
    fn a_sale_price_above_the_price_is_no_sale() {
        assert_eq!(
            reference_price(&[on_sale(0, 1000, 1200, Some(5), None)]),
            None
        );
    }

    #[test]
    fn the_tag_shows_the_reference_only_while_the_sale_runs() {
        let offer = SitePrice {
            price: eur(2999),
            sale: Some(Sale {
                price: eur(1999),
                starts_at: Some(day(50)),
                ends_at: Some(day(60)),
            }),
            visibility: Visibility::CatalogueAndSearch,
        };
        let reference = Some(eur(2999));
        let before = PriceTag::of(&offer, reference, day(49));
        assert_eq!((before.price, before.was), (eur(2999), None));
        let during = PriceTag::of(&offer, reference, day(55));
        assert_eq!((during.price, during.was), (eur(1999), Some(eur(2999))));
        assert_eq!(during.percent_off(), Some(33), "33.3 % rounded down");
        assert_eq!(PriceTag::of(&offer, reference, day(60)).was, None);
    }

    #[test]
    fn the_lowest_price_of_a_window_counts_sales_that_ran_in_it() {
        let versions = [
            regular(0, 3_000),
            on_sale(10, 3_000, 2_000, Some(12), Some(15)),
            regular(20, 2_800),
        ];
        assert_eq!(
            lowest_price_between(&versions, day(0), day(11)),
            Some(eur(3_000))
        );
        assert_eq!(
            lowest_price_between(&versions, day(0), day(30)),
            Some(eur(2_000))
        );
        assert_eq!(
            lowest_price_between(&versions, day(16), day(30)),
            Some(eur(2_800))
        );
        assert_eq!(lowest_price_between(&versions[2..], day(0), day(19)), None);
    }
}
