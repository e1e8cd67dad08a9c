//! A cart priced for checkout, from the catalogue and never from the shopper: each
//! line's current price on the site, stock checked, the promotions running,
//! shipping by destination, totals for the destination's VAT.

use chrono::{DateTime, Utc};

use crate::cart::Cart;
use crate::catalogue::{CategoryId, Product, Sku, Variant};
use crate::destination::{Country, Destination};
use crate::local_time::TimeZone;
use crate::money::Money;
use crate::price_tiers;
use crate::product_options::{self, OptionPicks};
use crate::promotions::{self, CouponCode, EnteredCode, LineFacts, Outcome, Rule, Shopper};
use crate::site::SiteCode;
use crate::totals::{self, LineInput, Totals, TotalsError};

/// How long an order takes to arrive, in working days: packed within `handling`,
/// then carried within `transit`. Pages say the sum; structured data gives both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryTime {
    pub handling: (u32, u32),
    pub transit: (u32, u32),
}

impl DeliveryTime {
    /// The fewest and most working days from the order to the door.
    pub fn total(self) -> (u32, u32) {
        (
            self.handling.0 + self.transit.0,
            self.handling.1 + self.transit.1,
        )
    }
}

/// The shop's delivery promise.
pub const DELIVERY_TIME: DeliveryTime = DeliveryTime {
    handling: (0, 1),
    transit: (2, 3),
};

/// Days a consumer has to withdraw from a distance sale without giving a reason
/// (Directive 2011/83/EU, art. 9), counted from delivery.
pub const WITHDRAWAL_DAYS: u32 = 14;

/// Shipping price per destination country, free from a threshold of items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShippingRates(Vec<(Country, Money, Option<Money>)>);

impl Default for ShippingRates {
    /// The demo shop's rates: 4,95 € (free from 49 €) in Spain and Portugal, 5,95 €
    /// (free from 59 €) in France and Italy.
    fn default() -> Self {
        ShippingRates(vec![
            (Country::Es, Money::eur(495), Some(Money::eur(4_900))),
            (Country::Pt, Money::eur(495), Some(Money::eur(4_900))),
            (Country::Fr, Money::eur(595), Some(Money::eur(5_900))),
            (Country::It, Money::eur(595), Some(Money::eur(5_900))),
        ])
    }
}

impl ShippingRates {
    pub fn new(rates: Vec<(Country, Money, Option<Money>)>) -> ShippingRates {
        ShippingRates(rates)
    }

    /// Reads rates written `ES=4.95/49,FR=5.95/59,IT=5.95`: per country, the price and,
    /// after a slash, the amount from which shipping is free.
    pub fn parse(text: &str) -> Result<ShippingRates, String> {
        let mut rates = Vec::new();
        for entry in text.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (country, amounts) = entry
                .split_once('=')
                .ok_or_else(|| format!("'{entry}' is not COUNTRY=PRICE[/FREE_FROM]"))?;
            let country = Country::parse(country).map_err(|e| e.to_string())?;
            let (price, free_from) = match amounts.split_once('/') {
                Some((price, free)) => (price, Some(free)),
                None => (amounts, None),
            };
            let money = |text: &str| {
                Money::parse(text, crate::money::Currency::Eur)
                    .ok()
                    .filter(|m| m.cents() >= 0)
                    .ok_or_else(|| format!("'{text}' is not an amount in euros"))
            };
            if rates.iter().any(|(c, _, _)| *c == country) {
                return Err(format!("{} is given twice", country.code()));
            }
            rates.push((country, money(price)?, free_from.map(money).transpose()?));
        }
        if rates.is_empty() {
            return Err("no country to deliver to".to_owned());
        }
        Ok(ShippingRates(rates))
    }

    /// Whether the shop delivers to `country`.
    pub fn delivers_to(&self, country: Country) -> bool {
        self.0.iter().any(|(c, _, _)| *c == country)
    }

    /// From which amount of items shipping to `country` is free, if it ever is.
    pub fn free_from(&self, country: Country) -> Option<Money> {
        self.0
            .iter()
            .find(|(c, _, _)| *c == country)
            .and_then(|(_, _, free_from)| *free_from)
    }

    /// Shipping (VAT included at the shelf rate) for `items` (at shelf prices) sent to
    /// `country`; `None` where the shop does not deliver.
    pub fn cost(&self, country: Country, items: Money) -> Option<Money> {
        let (_, price, free_from) = self.0.iter().find(|(c, _, _)| *c == country)?;
        Some(match free_from {
            Some(threshold) if items.cents() >= threshold.cents() => {
                Money::from_cents(0, price.currency())
            }
            _ => *price,
        })
    }
}

/// The country a site sells in by default: its cart estimates ship there.
pub fn home_country(site: SiteCode) -> Country {
    match site {
        SiteCode::Es => Country::Es,
        SiteCode::Fr => Country::Fr,
        SiteCode::Pt => Country::Pt,
        SiteCode::It => Country::It,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuoteError {
    #[error("{0} is no longer sold")]
    Unavailable(Sku),
    #[error("only {available} left of {sku}")]
    NotEnoughStock { sku: Sku, available: u32 },
    #[error("{sku} is sold {minimum} units at a time at least")]
    BelowMinimum { sku: Sku, minimum: u32 },
    #[error("we do not deliver to {0}")]
    NoDelivery(Country),
    #[error("the cart is empty")]
    EmptyCart,
    #[error(transparent)]
    Totals(#[from] TotalsError),
}

/// A priced line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteLine {
    pub sku: Sku,
    /// The product's options picked with the variant.
    pub options: OptionPicks,
    pub product_name: String,
    /// The site's current shelf price (VAT included at the site's rate).
    pub unit_price: Money,
    pub quantity: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub lines: Vec<QuoteLine>,
    /// The promotions applied, and the entered code's verdict.
    pub promotions: Outcome,
    pub totals: Totals,
}

/// A promotion as the quote shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscountLine {
    pub rule_id: i64,
    pub code: Option<CouponCode>,
    /// Its part of the totals' discount (for the destination, VAT included).
    pub amount: Money,
    pub free_shipping: bool,
}

impl Quote {
    /// Each promotion applied with its part of the discount: the totals' discount
    /// (priced for the destination) shared as the rules took it off the shelf
    /// prices, exactly.
    pub fn discount_lines(&self) -> Vec<DiscountLine> {
        let applied = &self.promotions.applied;
        let weights: Vec<i64> = applied.iter().map(|a| a.amount.cents()).collect();
        let shares = crate::totals::allocate(self.totals.discount.cents(), &weights);
        applied
            .iter()
            .zip(shares)
            .map(|(applied, share)| DiscountLine {
                rule_id: applied.rule_id,
                code: applied.code.clone(),
                amount: Money::from_cents(share, self.totals.discount.currency()),
                free_shipping: applied.free_shipping,
            })
            .collect()
    }
}

/// The promotions a quote applies: the rules running, who shops, the code entered.
pub struct Promotions<'a> {
    pub rules: &'a [Rule],
    pub logged_in: bool,
    pub code: Option<&'a EnteredCode>,
    /// A product's categories with every category above them.
    pub categories: &'a dyn Fn(&Product) -> Vec<CategoryId>,
}

fn no_categories(_: &Product) -> Vec<CategoryId> {
    Vec::new()
}

impl Promotions<'_> {
    /// No rule at all.
    pub const NONE: Promotions<'static> = Promotions {
        rules: &[],
        logged_in: false,
        code: None,
        categories: &no_categories,
    };
}

/// A line as the rules see it.
fn line_facts(
    product: &Product,
    variant: &Variant,
    line: &QuoteLine,
    promotions: &Promotions<'_>,
) -> LineFacts {
    let mut attributes = Vec::new();
    if let Some(gender) = product.gender {
        attributes.push(("gender".to_owned(), gender.as_str().to_owned()));
    }
    if let Some(age_group) = product.age_group {
        attributes.push(("age_group".to_owned(), age_group.as_str().to_owned()));
    }
    for (code, value) in [("size", &variant.size), ("colour", &variant.colour)] {
        if let Some(value) = value {
            attributes.push((code.to_owned(), value.clone()));
        }
    }
    LineFacts {
        sku: variant.sku.clone(),
        product_sku: product.sku.clone(),
        categories: (promotions.categories)(product),
        theme: product.theme.clone(),
        attributes,
        unit_price: line.unit_price,
        quantity: line.quantity,
    }
}

/// Prices `cart` on `site` for delivery to `destination` (a postcode, or a country's
/// mainland for an estimate), with `promotions`. `find` gives a variant's product
/// and the variant itself, as the catalogue has them now.
pub fn quote<'c>(
    cart: &Cart,
    site: SiteCode,
    destination: impl Into<Destination>,
    rates: &ShippingRates,
    now: DateTime<Utc>,
    find: impl Fn(&Sku) -> Option<(&'c Product, &'c Variant)>,
    promotions: &Promotions<'_>,
) -> Result<Quote, QuoteError> {
    if cart.lines.is_empty() {
        return Err(QuoteError::EmptyCart);
    }
    let mut lines = Vec::with_capacity(cart.lines.len());
    let mut facts = Vec::with_capacity(cart.lines.len());
    for line in &cart.lines {
        let (product, variant) =
            find(&line.sku).ok_or_else(|| QuoteError::Unavailable(line.sku.clone()))?;
        let offer = product
            .site(site)
            .filter(|_| product.enabled)
            .ok_or_else(|| QuoteError::Unavailable(line.sku.clone()))?;
        let available = variant
            .units_for_sale()
            .min(variant.sale_units.cap(u32::MAX));
        if line.quantity.get() < variant.sale_units.min {
            return Err(QuoteError::BelowMinimum {
                sku: line.sku.clone(),
                minimum: variant.sale_units.min,
            });
        }
        if line.quantity.get() > available {
            return Err(QuoteError::NotEnoughStock {
                sku: line.sku.clone(),
                available,
            });
        }
        // Options the product no longer offers as picked: not sold as the cart says.
        let picked = line
            .options
            .resolve(&product.options)
            .ok_or_else(|| QuoteError::Unavailable(line.sku.clone()))?;
        let unit_price = price_tiers::unit_price(
            variant,
            &product.price_tiers,
            offer,
            site,
            now,
            line.quantity.get(),
        );
        let with_options = (unit_price.cents() + product_options::surcharge(&picked, site)).max(0);
        let quoted = QuoteLine {
            sku: variant.sku.clone(),
            options: line.options.clone(),
            product_name: product.names[site.locale()].clone(),
            unit_price: Money::from_cents(with_options, unit_price.currency()),
            quantity: line.quantity.get(),
        };
        facts.push(line_facts(product, variant, &quoted, promotions));
        lines.push(quoted);
    }
    let destination = destination.into();
    let country = destination.country;
    let shopper = Shopper {
        site,
        local_time: TimeZone::of_site(site).local(now).naive_local(),
        logged_in: promotions.logged_in,
        country,
    };
    let outcome = promotions::apply(promotions.rules, &facts, &shopper, promotions.code);
    let inputs: Vec<LineInput> = lines
        .iter()
        .zip(&outcome.line_discounts)
        .map(|(l, discount)| LineInput {
            unit_price: l.unit_price,
            quantity: l.quantity,
            discount: *discount,
        })
        .collect();
    // Free shipping from a threshold counts the items before promotions.
    let items_at_shelf = inputs
        .iter()
        .map(|l| l.unit_price.cents() * i64::from(l.quantity))
        .sum();
    let shipping = rates
        .cost(country, Money::from_cents(items_at_shelf, site.currency()))
        .ok_or(QuoteError::NoDelivery(country))?;
    let shipping = if outcome.free_shipping {
        Money::from_cents(0, site.currency())
    } else {
        shipping
    };
    let totals = totals::compute(
        site.standard_vat_rate(),
        destination.vat_charge(),
        &inputs,
        shipping,
    )?;
    Ok(Quote {
        lines,
        promotions: outcome,
        totals,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cart::Quantity;
    use crate::catalogue::{ProductKind, SitePrice, TaxClass, Visibility};
    use crate::destination::Postcode;
    use crate::site::PerLocale;
    use crate::{ProductId, Sale};

    fn costume() -> Product {
        let offer = SitePrice {
            price: Money::eur(2499),
            sale: None,
            visibility: Visibility::CatalogueAndSearch,
        };
        Product {
            id: ProductId(1),
            sku: Sku::parse("DIS-BRUJA").unwrap(),
            kind: ProductKind::Configurable,
            tax_class: TaxClass::Standard,
            enabled: true,
            created_at: Utc::now(),
            popularity: 0,
            theme: None,
            gender: None,
            age_group: None,
            names: PerLocale::from_fn(|l| format!("Bruja {l}")),
            descriptions: PerLocale::default(),
            url_keys: PerLocale::from_fn(|l| format!("bruja-{l}")),
            meta: PerLocale::default(),
            facts: Default::default(),
            links: Vec::new(),
            price_tiers: Vec::new(),
            images: Vec::new(),
            sites: [Some(offer.clone()), Some(offer.clone()), Some(offer), None],
            variants: vec![Variant {
                id: 1,
                sku: Sku::parse("DIS-BRUJA-M").unwrap(),
                size: Some("M".into()),
                colour: None,
                choices: Vec::new(),
                surcharge_cents: [0; 4],
                stock: 3,
                stock_policy: crate::StockPolicy::Counted,
                sale_units: crate::SaleUnits::default(),
                position: 0,
            }],
            options: Vec::new(),
            categories: Vec::new(),
        }
    }

    #[test]
    fn rates_are_read_from_settings() {
        let rates = ShippingRates::parse("ES=4.95/49, FR=5.95/59,IT=7").unwrap();
        assert_eq!(
            rates.cost(Country::Es, Money::eur(4_899)),
            Some(Money::eur(495))
        );
        assert_eq!(
            rates.cost(Country::Es, Money::eur(4_900)),
            Some(Money::eur(0))
        );
        assert_eq!(rates.free_from(Country::Fr), Some(Money::eur(5_900)));
        assert_eq!(
            rates.cost(Country::It, Money::eur(100_000)),
            Some(Money::eur(700))
        );
        assert_eq!(rates.cost(Country::Pt, Money::eur(0)), None);
        assert!(rates.delivers_to(Country::It) && !rates.delivers_to(Country::Pt));
        for bad in ["", "ES", "XX=1", "ES=abc", "ES=-1", "ES=1,ES=2", "ES=1/x"] {
            assert!(ShippingRates::parse(bad).is_err(), "{bad}");
        }
    }

    fn cart(quantity: u32) -> Cart {
        let mut cart = Cart::default();
        cart.add(
            Sku::parse("DIS-BRUJA-M").unwrap(),
            Quantity::new(quantity).unwrap(),
            99,
        )
        .unwrap();
        cart
    }

    /// Looks a variant up in `product`, as the catalogue would.
    fn finder<'p>(
        product: &'p Product,
    ) -> impl Fn(&Sku) -> Option<(&'p Product, &'p Variant)> + Copy {
        move |sku: &Sku| {
            product
                .variants
                .iter()
                .find(|v| &v.sku == sku)
                .map(|v| (product, v))
        }
    }

    fn postcode(country: Country, code: &str) -> Postcode {
        Postcode::parse(country, code).unwrap()
    }

    #[test]
    fn prices_come_from_the_catalogue() {
        let product = costume();
        let find = finder(&product);
        let rates = ShippingRates::default();
        let quote = quote(
            &cart(1),
            SiteCode::Es,
            &postcode(Country::Es, "28013"),
            &rates,
            Utc::now(),
            find,
            &Promotions::NONE,
        )
        .unwrap();
        assert_eq!(quote.lines[0].unit_price, Money::eur(2499));
        assert_eq!(quote.lines[0].product_name, "Bruja es");
        assert_eq!(quote.totals.shipping.gross, Money::eur(495));
        assert_eq!(quote.totals.total, Money::eur(2994));
        // Two costumes pass the free-shipping threshold.
        let two = super::quote(
            &cart(2),
            SiteCode::Es,
            &postcode(Country::Es, "28013"),
            &rates,
            Utc::now(),
            find,
            &Promotions::NONE,
        )
        .unwrap();
        assert_eq!(two.totals.shipping.gross, Money::eur(0));
        // To the Canaries: the net price, no VAT.
        let canaries = super::quote(
            &cart(1),
            SiteCode::Es,
            &postcode(Country::Es, "38001"),
            &rates,
            Utc::now(),
            find,
            &Promotions::NONE,
        )
        .unwrap();
        assert!(canaries.totals.outside_eu_vat);
        assert_eq!(canaries.totals.total, Money::eur(2065 + 409));
    }

    #[test]
    fn promotions_lower_the_lines_with_their_vat_and_can_free_shipping() {
        use crate::promotions::{
            Action, Audience, Conditions, Discount, EnteredCode, FoundCode, Percent, Rule, Target,
            Trigger, UseLimits,
        };
        let product = costume();
        let find = finder(&product);
        let rule = Rule {
            id: 7,
            names: PerLocale::from_fn(|_| "Brujas".to_owned()),
            sites: vec![SiteCode::Es],
            starts_at: None,
            ends_at: None,
            audience: Audience::Everyone,
            priority: 0,
            stop_further: false,
            conditions: Conditions {
                products: crate::promotions::ProductFilter {
                    categories: vec![CategoryId(12)],
                    ..Default::default()
                },
                ..Default::default()
            },
            action: Action {
                discount: Some(Discount::PercentOff(Percent::parse("20").unwrap())),
                target: Target::MatchingLines,
                free_shipping: true,
            },
            max_discount: None,
            trigger: Trigger::SharedCode(crate::promotions::CouponCode::for_rule("BRUJA").unwrap()),
            limits: UseLimits::default(),
            enabled: true,
        };
        let code = EnteredCode {
            code: crate::promotions::CouponCode::parse("bruja").unwrap(),
            found: Some(FoundCode {
                rule_id: 7,
                used_up: false,
            }),
        };
        let in_category = |_: &Product| vec![CategoryId(12), CategoryId(1)];
        let promotions = Promotions {
            rules: std::slice::from_ref(&rule),
            logged_in: false,
            code: Some(&code),
            categories: &in_category,
        };
        let es = postcode(Country::Es, "28013");
        let rates = ShippingRates::default();
        let quote = quote(
            &cart(1),
            SiteCode::Es,
            &es,
            &rates,
            Utc::now(),
            find,
            &promotions,
        )
        .unwrap();
        assert_eq!(
            quote.promotions.code,
            Some(crate::promotions::CodeVerdict::Applied)
        );
        assert_eq!(quote.totals.discount, Money::eur(500));
        assert_eq!(quote.totals.shipping.gross, Money::eur(0));
        assert_eq!(quote.totals.total, Money::eur(1999));
        let lines = quote.discount_lines();
        assert_eq!(lines.len(), 1);
        assert_eq!((lines[0].rule_id, lines[0].amount), (7, Money::eur(500)));
        assert!(lines[0].free_shipping);
        assert_eq!(
            quote.totals.vat[0].net.cents() + quote.totals.vat[0].vat.cents(),
            1999
        );
        let elsewhere = |_: &Product| vec![CategoryId(99)];
        let other = Promotions {
            categories: &elsewhere,
            ..promotions
        };
        let quote = super::quote(
            &cart(1),
            SiteCode::Es,
            &es,
            &rates,
            Utc::now(),
            find,
            &other,
        )
        .unwrap();
        assert_eq!(
            quote.promotions.code,
            Some(crate::promotions::CodeVerdict::Lacks(
                crate::promotions::Shortfall::Products
            ))
        );
        assert_eq!(quote.totals.total, Money::eur(2994));
    }

    #[test]
    fn a_running_sale_is_the_price() {
        let mut product = costume();
        product.sites[0].as_mut().unwrap().sale = Some(Sale {
            price: Money::eur(1999),
            starts_at: None,
            ends_at: None,
        });
        let find = finder(&product);
        let quote = quote(
            &cart(1),
            SiteCode::Es,
            &postcode(Country::Es, "28013"),
            &ShippingRates::default(),
            Utc::now(),
            find,
            &Promotions::NONE,
        )
        .unwrap();
        assert_eq!(quote.lines[0].unit_price, Money::eur(1999));
    }

    #[test]
    fn a_line_of_enough_units_is_priced_at_its_tier() {
        let mut product = costume();
        product.price_tiers = vec![
            price_tiers::PriceTier {
                customer_group: None,
                min_units: 3,
                unit_price_cents: [2199; 4],
            },
            price_tiers::PriceTier {
                customer_group: Some("2".into()),
                min_units: 1,
                unit_price_cents: [1500; 4],
            },
        ];
        let find = finder(&product);
        let priced = |units: u32| {
            quote(
                &cart(units),
                SiteCode::Es,
                &postcode(Country::Es, "28013"),
                &ShippingRates::default(),
                Utc::now(),
                find,
                &Promotions::NONE,
            )
            .unwrap()
            .lines[0]
                .unit_price
        };
        assert_eq!(
            priced(2),
            Money::eur(2499),
            "the group's price is not charged"
        );
        assert_eq!(priced(3), Money::eur(2199));
    }

    #[test]
    fn a_line_holds_the_units_its_variant_is_sold_by() {
        let mut product = costume();
        product.variants[0].sale_units = crate::SaleUnits::new(2, Some(2)).unwrap();
        let find = finder(&product);
        let es = postcode(Country::Es, "28013");
        let rates = ShippingRates::default();
        let sku = Sku::parse("DIS-BRUJA-M").unwrap();
        assert_eq!(
            quote(
                &cart(1),
                SiteCode::Es,
                &es,
                &rates,
                Utc::now(),
                find,
                &Promotions::NONE
            ),
            Err(QuoteError::BelowMinimum {
                sku: sku.clone(),
                minimum: 2
            })
        );
        assert!(
            quote(
                &cart(2),
                SiteCode::Es,
                &es,
                &rates,
                Utc::now(),
                find,
                &Promotions::NONE
            )
            .is_ok()
        );
        assert_eq!(
            quote(
                &cart(3),
                SiteCode::Es,
                &es,
                &rates,
                Utc::now(),
                find,
                &Promotions::NONE
            ),
            Err(QuoteError::NotEnoughStock { sku, available: 2 })
        );
    }

    #[test]
    fn options_picked_add_their_surcharges_and_stale_picks_are_not_sold() {
        use crate::cart::Article;
        use crate::product_options::{OptionValue, ProductOption};
        let mut product = costume();
        product.options = vec![ProductOption {
            id: 4,
            titles: PerLocale::from_fn(|_| "Capa".to_owned()),
            required: true,
            values: vec![OptionValue {
                id: 41,
                titles: PerLocale::from_fn(|_| "Larga".to_owned()),
                surcharge_cents: [300, 250, 0, 0],
            }],
        }];
        let find = finder(&product);
        let es = postcode(Country::Es, "28013");
        let rates = ShippingRates::default();
        let with = |picks: &str| {
            let mut cart = Cart::default();
            let article = Article {
                sku: Sku::parse("DIS-BRUJA-M").unwrap(),
                options: OptionPicks::parse(picks).unwrap(),
            };
            cart.add(article, Quantity::new(1).unwrap(), 9).unwrap();
            cart
        };
        let quote = quote(
            &with("4:41"),
            SiteCode::Es,
            &es,
            &rates,
            Utc::now(),
            find,
            &Promotions::NONE,
        )
        .unwrap();
        assert_eq!(quote.lines[0].unit_price, Money::eur(2499 + 300));
        // Without the required option, or with a value it no longer has: not sold.
        for stale in ["", "4:40"] {
            assert!(matches!(
                super::quote(
                    &with(stale),
                    SiteCode::Es,
                    &es,
                    &rates,
                    Utc::now(),
                    find,
                    &Promotions::NONE
                ),
                Err(QuoteError::Unavailable(_))
            ));
        }
    }

    #[test]
    fn a_variants_surcharge_is_added_on_its_site() {
        let mut product = costume();
        product.variants[0].surcharge_cents = [500, 0, 0, 0];
        let find = finder(&product);
        let quote = quote(
            &cart(2),
            SiteCode::Es,
            &postcode(Country::Es, "28013"),
            &ShippingRates::default(),
            Utc::now(),
            find,
            &Promotions::NONE,
        )
        .unwrap();
        assert_eq!(quote.lines[0].unit_price, Money::eur(2999));
        assert_eq!(quote.totals.total, Money::eur(2 * 2999));
    }

    #[test]
    fn unsellable_carts_are_refused() {
        let product = costume();
        let find = finder(&product);
        let rates = ShippingRates::default();
        let es = postcode(Country::Es, "28013");
        assert_eq!(
            quote(
                &cart(4),
                SiteCode::Es,
                &es,
                &rates,
                Utc::now(),
                find,
                &Promotions::NONE
            ),
            Err(QuoteError::NotEnoughStock {
                sku: Sku::parse("DIS-BRUJA-M").unwrap(),
                available: 3
            })
        );
        assert!(matches!(
            quote(
                &cart(1),
                SiteCode::It,
                &postcode(Country::It, "00184"),
                &rates,
                Utc::now(),
                find,
                &Promotions::NONE
            ),
            Err(QuoteError::Unavailable(_))
        ));
        assert_eq!(
            quote(
                &Cart::default(),
                SiteCode::Es,
                &es,
                &rates,
                Utc::now(),
                find,
                &Promotions::NONE
            ),
            Err(QuoteError::EmptyCart)
        );
        let nowhere = ShippingRates::new(vec![]);
        assert_eq!(
            quote(
                &cart(1),
                SiteCode::Es,
                &es,
                &nowhere,
                Utc::now(),
                find,
                &Promotions::NONE
            ),
            Err(QuoteError::NoDelivery(Country::Es))
        );
        let gone = |_: &Sku| None;
        assert!(matches!(
            quote(
                &cart(1),
                SiteCode::Es,
                &es,
                &rates,
                Utc::now(),
                gone,
                &Promotions::NONE
            ),
            Err(QuoteError::Unavailable(_))
        ));
    }
}
