//! A promotion rule as staff write it: where and when it runs, for whom, on which
//! carts, and what it gives. [`Rule::check`] refuses what makes no sense, naming
//! the field.

use chrono::NaiveDateTime;

use crate::catalogue::{CategoryId, Sku};
use crate::destination::Country;
use crate::money::Money;
use crate::promotions::code::CouponCode;
use crate::site::{Locale, PerLocale, SiteCode};

/// A whole percentage in hundredths: `2000` is 20 %.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Percent(u32);

impl Percent {
    /// Reads `20`, `12.5` or `12,5` (percent), from more than 0 to 100.
    pub fn parse(text: &str) -> Option<Percent> {
        let text = text.trim().trim_end_matches('%').trim().replace(',', ".");
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
        if whole.is_empty() || fraction.len() > 2 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let whole: u32 = whole.parse().ok()?;
        let fraction: u32 = format!("{fraction:0<2}").parse().ok()?;
        Percent::from_hundredths(whole.checked_mul(100)?.checked_add(fraction)?)
    }

    /// From hundredths of a percent: more than 0, at most 100 %.
    pub fn from_hundredths(hundredths: u32) -> Option<Percent> {
        (1..=10_000)
            .contains(&hundredths)
            .then_some(Percent(hundredths))
    }

    pub fn hundredths(self) -> u32 {
        self.0
    }

    /// `20`, `12.5`: as CSV files and forms write it.
    pub fn decimal(self) -> String {
        let text = format!("{}.{:02}", self.0 / 100, self.0 % 100);
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    }

    /// `amount` × this percentage, rounded half up, in cents.
    pub fn of(self, cents: i64) -> i64 {
        ((i128::from(cents) * i128::from(self.0) + 5_000) / 10_000) as i64
    }
}

/// Who a rule is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Everyone,
    /// Shoppers logged in to their account.
    Customers,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Everyone => "everyone",
            Audience::Customers => "customers",
        }
    }

    pub fn parse(text: &str) -> Option<Audience> {
        match text {
            "everyone" => Some(Audience::Everyone),
            "customers" => Some(Audience::Customers),
            _ => None,
        }
    }
}

/// Which cart lines a rule is about. A line matches when it meets every kind of
/// criterion given (any value of each); no criterion matches every line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductFilter {
    /// A category or any below it.
    pub categories: Vec<CategoryId>,
    pub themes: Vec<String>,
    /// A product's SKU (all its variants) or a variant's.
    pub skus: Vec<Sku>,
    /// Attribute code and value: `gender=women`, `size=XL`.
    pub attributes: Vec<(String, String)>,
}

impl ProductFilter {
    pub fn is_empty(&self) -> bool {
        self.categories.is_empty()
            && self.themes.is_empty()
            && self.skus.is_empty()
            && self.attributes.is_empty()
    }
}

/// What the cart must hold for a rule to apply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conditions {
    /// The cart's items at shelf prices, before any discount.
    pub min_subtotal: Option<Money>,
    /// Units of the matching lines (of every line without a filter).
    pub min_quantity: Option<u32>,
    /// At least one line must match; line discounts go to matching lines.
    pub products: ProductFilter,
    /// Shipping to one of these; any when empty.
    pub countries: Vec<Country>,
}

/// The discount itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Discount {
    PercentOff(Percent),
    /// Off the target lines together (VAT included).
    AmountOff(Money),
    /// Each matching unit sold at this price (VAT included), never more than it was.
    FixedPrice(Money),
    /// Take `take`, pay `pay`: of each `take` matching units, the cheapest
    /// `take - pay` are free ("3 × 2").
    TakePay {
        take: u32,
        pay: u32,
    },
}

/// Which lines a percentage or an amount off comes off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    MatchingLines,
    WholeCart,
}

/// What a rule gives: a discount, free shipping, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Action {
    pub discount: Option<Discount>,
    pub target: Target,
    /// Shipping is free (a percentage off never reduces it).
    pub free_shipping: bool,
}

/// How a rule is triggered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trigger {
    /// Applies by itself to every cart that qualifies.
    Automatic,
    /// One code shared by everyone who has it.
    SharedCode(CouponCode),
    /// Unique codes generated in batches; each is used up by `uses_total`.
    GeneratedCodes,
}

/// How often a rule's codes may be used. Empty: without limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UseLimits {
    /// A shared code's uses in all; each generated code's.
    pub uses_total: Option<u32>,
    /// By one customer (guests counted by e-mail address).
    pub uses_per_customer: Option<u32>,
}

/// A cart price rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub id: i64,
    /// Shown to shoppers in the site's language; an empty one falls back to the
    /// Spanish, then to any other.
    pub names: PerLocale<String>,
    pub sites: Vec<SiteCode>,
    /// Wall-clock times on each site's clock (Halloween starts at midnight on every site).
    pub starts_at: Option<NaiveDateTime>,
    pub ends_at: Option<NaiveDateTime>,
    pub audience: Audience,
    /// Lower first.
    pub priority: i32,
    /// No rule after this one applies to a cart it applied to.
    pub stop_further: bool,
    pub conditions: Conditions,
    pub action: Action,
    /// The most this rule takes off one order.
    pub max_discount: Option<Money>,
    pub trigger: Trigger,
    pub limits: UseLimits,
    /// Switched off by staff, whatever its dates.
    pub enabled: bool,
}

/// What is wrong with a rule, by field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("name: give the rule a name in at least one language")]
    Name,
    #[error("name: at most 120 characters")]
    NameTooLong,
    #[error("sites: choose at least one site")]
    Sites,
    #[error("ends_at: the end is before the start")]
    EndsBeforeStart,
    #[error("discount: the rule gives nothing (no discount, no free shipping)")]
    NothingGiven,
    #[error("amount_off: must be above 0")]
    AmountOff,
    #[error("fixed_price: cannot be negative")]
    FixedPrice,
    #[error("take_pay: pay fewer units than taken, at least one (3 × 2)")]
    TakePay,
    #[error("max_discount: must be above 0")]
    MaxDiscount,
    #[error("min_subtotal: cannot be negative")]
    MinSubtotal,
    #[error("min_quantity: must be at least 1")]
    MinQuantity,
    #[error("uses_total: must be at least 1")]
    UsesTotal,
    #[error("uses_per_customer: must be at least 1")]
    UsesPerCustomer,
    #[error("uses: limits count uses of a code; an automatic rule has none")]
    LimitsWithoutCode,
    #[error("fixed_price, take_pay: apply to matching lines, not to the whole cart")]
    WholeCartPerUnit,
}

impl Rule {
    /// Refuses a rule that makes no sense; the first fault found, by field.
    pub fn check(&self) -> Result<(), RuleError> {
        if self.names.0.iter().all(|n| n.trim().is_empty()) {
            return Err(RuleError::Name);
        }
        if self.names.0.iter().any(|n| n.chars().count() > 120) {
            return Err(RuleError::NameTooLong);
        }
        if self.sites.is_empty() {
            return Err(RuleError::Sites);
        }
        if let (Some(start), Some(end)) = (self.starts_at, self.ends_at)
            && end <= start
        {
            return Err(RuleError::EndsBeforeStart);
        }
        match self.action.discount {
            None if !self.action.free_shipping => return Err(RuleError::NothingGiven),
            Some(Discount::AmountOff(amount)) if amount.cents() <= 0 => {
                return Err(RuleError::AmountOff);
            }
            Some(Discount::FixedPrice(price)) if price.cents() < 0 => {
                return Err(RuleError::FixedPrice);
            }
            Some(Discount::TakePay { take, pay }) if pay == 0 || pay >= take => {
                return Err(RuleError::TakePay);
            }
            Some(Discount::FixedPrice(_) | Discount::TakePay { .. })
                if self.action.target == Target::WholeCart =>
            {
                return Err(RuleError::WholeCartPerUnit);
            }
            _ => {}
        }
        if self.max_discount.is_some_and(|m| m.cents() <= 0) {
            return Err(RuleError::MaxDiscount);
        }
        if self.conditions.min_subtotal.is_some_and(|m| m.cents() < 0) {
            return Err(RuleError::MinSubtotal);
        }
        if self.conditions.min_quantity == Some(0) {
            return Err(RuleError::MinQuantity);
        }
        if self.limits.uses_total == Some(0) {
            return Err(RuleError::UsesTotal);
        }
        if self.limits.uses_per_customer == Some(0) {
            return Err(RuleError::UsesPerCustomer);
        }
        if self.trigger == Trigger::Automatic && self.limits != UseLimits::default() {
            return Err(RuleError::LimitsWithoutCode);
        }
        Ok(())
    }

    /// The rule's name in `locale`'s language, or the Spanish one, or any.
    pub fn name(&self, locale: Locale) -> &str {
        let own = self.names[locale].trim();
        if !own.is_empty() {
            return own;
        }
        self.names
            .0
            .iter()
            .map(|n| n.trim())
            .find(|n| !n.is_empty())
            .unwrap_or_default()
    }

    /// A unit's price as this rule's discount leaves it (a percentage or a fixed
    /// price; any other discount leaves it as it is).
    pub fn reduced(&self, price: Money) -> Money {
        let cents = price.cents();
        let reduced = match self.action.discount {
            Some(Discount::PercentOff(percent)) => cents - percent.of(cents),
            Some(Discount::FixedPrice(fixed)) => cents.min(fixed.cents()),
            _ => cents,
        };
        Money::from_cents(reduced.max(0), price.currency())
    }

    /// Running on `site` at `local` (the site's clock): enabled, and within its dates.
    pub fn runs(&self, site: SiteCode, local: NaiveDateTime) -> bool {
        self.enabled
            && self.sites.contains(&site)
            && self.starts_at.is_none_or(|start| start <= local)
            && self.ends_at.is_none_or(|end| local < end)
    }

    /// An announced price reduction (Directive 98/6/EC, art. 6a): open to every
    /// shopper without a code, lowering the price of products with no other
    /// condition. Wherever it is shown, the price it reduces from is the lowest of
    /// the 30 days before.
    pub fn is_price_reduction(&self) -> bool {
        self.trigger == Trigger::Automatic
            && self.audience == Audience::Everyone
            && self.action.target == Target::MatchingLines
            // A price of each unit: an amount off comes off the lines together.
            && matches!(
                self.action.discount,
                Some(Discount::PercentOff(_) | Discount::FixedPrice(_))
            )
            && self.conditions.min_subtotal.is_none()
            && self.conditions.min_quantity.is_none()
            && self.conditions.countries.is_empty()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An automatic rule for every site, 20 % off everything, enabled, without dates.
    pub(crate) fn twenty_percent_off() -> Rule {
        Rule {
            id: 1,
            names: PerLocale::from_fn(|_| "Halloween".to_owned()),
            sites: vec![SiteCode::Es, SiteCode::Fr, SiteCode::Pt, SiteCode::It],
            starts_at: None,
            ends_at: None,
            audience: Audience::Everyone,
            priority: 0,
            stop_further: false,
            conditions: Conditions::default(),
            action: Action {
                discount: Some(Discount::PercentOff(Percent::parse("20").unwrap())),
                target: Target::MatchingLines,
                free_shipping: false,
            },
            max_discount: None,
            trigger: Trigger::Automatic,
            limits: UseLimits::default(),
            enabled: true,
        }
    }

    #[test]
    fn percentages_are_read_as_staff_type_them() {
        assert_eq!(Percent::parse("20").unwrap().hundredths(), 2_000);
        assert_eq!(Percent::parse("12,5 %").unwrap().hundredths(), 1_250);
        assert_eq!(Percent::parse("0.01").unwrap().hundredths(), 1);
        assert_eq!(Percent::parse("100").unwrap().decimal(), "100");
        assert_eq!(Percent::parse("12.50").unwrap().decimal(), "12.5");
        for bad in ["", "0", "-5", "100.01", "150", "1.234", "abc", ".5", "5.x"] {
            assert_eq!(Percent::parse(bad), None, "{bad}");
        }
        let twenty = Percent::parse("20").unwrap();
        assert_eq!(twenty.of(2_499), 500, "499.8 rounds to 500");
        assert_eq!(Percent::parse("12.5").unwrap().of(4), 1, "0.5 rounds up");
    }

    #[test]
    fn a_rule_that_makes_no_sense_is_refused_by_field() {
        let good = twenty_percent_off();
        assert_eq!(good.check(), Ok(()));
        let refused = |change: &dyn Fn(&mut Rule)| {
            let mut rule = good.clone();
            change(&mut rule);
            rule.check().unwrap_err()
        };
        assert_eq!(
            refused(&|r| r.names = PerLocale::default()),
            RuleError::Name
        );
        assert_eq!(refused(&|r| r.sites.clear()), RuleError::Sites);
        let day = |d: u32| {
            chrono::NaiveDate::from_ymd_opt(2026, 10, d)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap()
        };
        assert_eq!(
            refused(&|r| {
                r.starts_at = Some(day(31));
                r.ends_at = Some(day(20));
            }),
            RuleError::EndsBeforeStart
        );
        assert_eq!(
            refused(&|r| r.action.discount = None),
            RuleError::NothingGiven
        );
        assert_eq!(
            refused(&|r| r.action.discount = Some(Discount::AmountOff(Money::eur(-500)))),
            RuleError::AmountOff
        );
        assert_eq!(
            refused(&|r| r.action.discount = Some(Discount::TakePay { take: 3, pay: 3 })),
            RuleError::TakePay
        );
        assert_eq!(
            refused(&|r| {
                r.action.discount = Some(Discount::TakePay { take: 3, pay: 2 });
                r.action.target = Target::WholeCart;
            }),
            RuleError::WholeCartPerUnit
        );
        assert_eq!(
            refused(&|r| r.limits.uses_total = Some(10)),
            RuleError::LimitsWithoutCode
        );
        assert_eq!(
            refused(&|r| {
                r.trigger = Trigger::SharedCode(CouponCode::for_rule("BRUJA").unwrap());
                r.limits.uses_per_customer = Some(0);
            }),
            RuleError::UsesPerCustomer
        );
    }

    #[test]
    fn a_rule_runs_on_its_sites_between_its_dates_on_their_clocks() {
        let mut rule = twenty_percent_off();
        rule.sites = vec![SiteCode::Es];
        let at = |text: &str| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
        rule.starts_at = Some(at("2026-10-31 00:00"));
        rule.ends_at = Some(at("2026-11-02 00:00"));
        assert!(!rule.runs(SiteCode::Es, at("2026-10-30 23:59")));
        assert!(rule.runs(SiteCode::Es, at("2026-10-31 00:00")));
        assert!(!rule.runs(SiteCode::Es, at("2026-11-02 00:00")));
        assert!(!rule.runs(SiteCode::Fr, at("2026-11-01 12:00")));
        rule.enabled = false;
        assert!(!rule.runs(SiteCode::Es, at("2026-11-01 12:00")));
    }

    #[test]
    fn only_an_unconditional_automatic_reduction_is_an_announced_price_reduction() {
        let rule = twenty_percent_off();
        assert!(rule.is_price_reduction());
        let mut threshold = rule.clone();
        threshold.conditions.min_subtotal = Some(Money::eur(3_900));
        assert!(!threshold.is_price_reduction());
        let mut coded = rule.clone();
        coded.trigger = Trigger::SharedCode(CouponCode::for_rule("BRUJA").unwrap());
        assert!(!coded.is_price_reduction());
        let mut three_for_two = rule.clone();
        three_for_two.action.discount = Some(Discount::TakePay { take: 3, pay: 2 });
        assert!(!three_for_two.is_price_reduction());
        let mut amount = rule.clone();
        amount.action.discount = Some(Discount::AmountOff(Money::eur(500)));
        assert!(!amount.is_price_reduction(), "off the lines together");
        assert_eq!(rule.reduced(Money::eur(2_499)), Money::eur(1_999));
        let mut members = rule;
        members.audience = Audience::Customers;
        assert!(!members.is_price_reduction());
    }

    #[test]
    fn a_name_falls_back_to_another_language() {
        let mut rule = twenty_percent_off();
        rule.names = PerLocale([
            "Carnaval".into(),
            String::new(),
            String::new(),
            "Carnevale".into(),
        ]);
        assert_eq!(rule.name(Locale::It), "Carnevale");
        assert_eq!(rule.name(Locale::Fr), "Carnaval");
    }
}
