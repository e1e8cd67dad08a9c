//! A cart's promotions: the rules that run are applied in priority order, each to
//! what the lines still cost after the ones before, and the code a shopper entered
//! is told why it did or did not apply.

use chrono::NaiveDateTime;

use crate::catalogue::{CategoryId, Sku};
use crate::destination::Country;
use crate::money::Money;
use crate::promotions::code::CouponCode;
use crate::promotions::rule::{Audience, Discount, ProductFilter, Rule, Target, Trigger};
use crate::site::SiteCode;
use crate::totals::allocate;

/// A priced cart line as rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineFacts {
    /// The variant's SKU, and its product's.
    pub sku: Sku,
    pub product_sku: Sku,
    /// The product's categories and every category above them.
    pub categories: Vec<CategoryId>,
    pub theme: Option<String>,
    /// Attribute code and value (`gender=women`, `size=XL`).
    pub attributes: Vec<(String, String)>,
    /// Shelf price of one unit (VAT included at the site's rate), tiers and options
    /// counted.
    pub unit_price: Money,
    pub quantity: u32,
}

impl LineFacts {
    fn gross(&self) -> i64 {
        self.unit_price.cents() * i64::from(self.quantity)
    }

    /// Whether the line is one `filter` is about.
    pub fn matches(&self, filter: &ProductFilter) -> bool {
        (filter.categories.is_empty()
            || filter
                .categories
                .iter()
                .any(|c| self.categories.contains(c)))
            && (filter.themes.is_empty()
                || self.theme.as_ref().is_some_and(|theme| {
                    filter.themes.iter().any(|t| t.eq_ignore_ascii_case(theme))
                }))
            && (filter.skus.is_empty()
                || filter
                    .skus
                    .iter()
                    .any(|s| *s == self.sku || *s == self.product_sku))
            && (filter.attributes.is_empty()
                || filter.attributes.iter().any(|(code, value)| {
                    self.attributes
                        .iter()
                        .any(|(c, v)| c == code && v.eq_ignore_ascii_case(value))
                }))
    }
}

/// Who is shopping, where and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shopper {
    pub site: SiteCode,
    /// The site's clock now.
    pub local_time: NaiveDateTime,
    pub logged_in: bool,
    /// Where the cart ships (the site's country for an estimate).
    pub country: Country,
}

/// A code the shopper entered, as the store found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnteredCode {
    pub code: CouponCode,
    /// The rule it belongs to and whether its uses (in all, or by this shopper) are
    /// used up; `None` when no rule has it.
    pub found: Option<FoundCode>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FoundCode {
    pub rule_id: i64,
    pub used_up: bool,
}

/// What a cart lacks for a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortfall {
    /// This much more in the cart.
    Subtotal(Money),
    /// This many more matching units.
    Quantity(u32),
    /// None of the products it is for.
    Products,
    /// Not shipped where it applies.
    Country,
    /// Only for logged-in customers.
    LogIn,
    /// Another promotion applied excludes it.
    Excluded,
}

/// Why an entered code gives what it gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeVerdict {
    Applied,
    Unknown,
    /// Starts at this time on the site's clock.
    NotYetValid(NaiveDateTime),
    Expired,
    UsedUp,
    /// Not on this site.
    OtherSite,
    Lacks(Shortfall),
}

/// One rule applied to the cart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub rule_id: i64,
    /// The code that triggered it.
    pub code: Option<CouponCode>,
    /// Taken off the lines, VAT included (shelf prices), in all and line by line.
    pub amount: Money,
    pub per_line: Vec<i64>,
    pub free_shipping: bool,
    /// The rule's maximum cut the discount.
    pub capped: bool,
}

/// Everything the cart's promotions come to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub applied: Vec<Applied>,
    /// Per line, all rules together (shelf prices, VAT included); never more than
    /// the line.
    pub line_discounts: Vec<Money>,
    pub free_shipping: bool,
    /// About the code entered, if one was.
    pub code: Option<CodeVerdict>,
}

impl Outcome {
    pub fn discount(&self) -> i64 {
        self.line_discounts.iter().map(|d| d.cents()).sum()
    }
}

/// Applies `rules` to `lines`. Rules run by priority (then id); an automatic rule
/// applies wherever it qualifies, a coded one only with its code entered.
pub fn apply(
    rules: &[Rule],
    lines: &[LineFacts],
    shopper: &Shopper,
    entered: Option<&EnteredCode>,
) -> Outcome {
    let currency = shopper.site.currency();
    let mut remaining: Vec<i64> = lines.iter().map(LineFacts::gross).collect();
    let subtotal: i64 = remaining.iter().sum();
    let mut order: Vec<&Rule> = rules.iter().collect();
    order.sort_by_key(|rule| (rule.priority, rule.id));
    let entered_rule = entered.and_then(|e| e.found).map(|found| found.rule_id);
    // Unknown until its rule is met below (a known code whose rule is not among
    // `rules` stays unknown).
    let mut code = entered.map(|_| CodeVerdict::Unknown);
    let mut outcome = Outcome {
        applied: Vec::new(),
        line_discounts: Vec::new(),
        free_shipping: false,
        code: None,
    };
    let mut stopped = false;
    for rule in order {
        let is_entered = entered_rule == Some(rule.id);
        let coded = rule.trigger != Trigger::Automatic;
        if coded && !is_entered {
            continue;
        }
        let verdict = standing(rule, lines, shopper, subtotal, entered);
        if is_entered {
            code = Some(verdict.unwrap_or(CodeVerdict::Applied));
        }
        if verdict.is_some() {
            continue;
        }
        if stopped {
            if is_entered {
                code = Some(CodeVerdict::Lacks(Shortfall::Excluded));
            }
            continue;
        }
        let (per_line, capped) = discount(rule, lines, &remaining);
        for (left, taken) in remaining.iter_mut().zip(&per_line) {
            *left -= taken;
        }
        outcome.free_shipping |= rule.action.free_shipping;
        outcome.applied.push(Applied {
            rule_id: rule.id,
            code: is_entered
                .then(|| entered.map(|e| e.code.clone()))
                .flatten(),
            amount: Money::from_cents(per_line.iter().sum(), currency),
            per_line,
            free_shipping: rule.action.free_shipping,
            capped,
        });
        stopped = rule.stop_further;
    }
    outcome.line_discounts = lines
        .iter()
        .zip(&remaining)
        .map(|(line, left)| Money::from_cents(line.gross() - left, currency))
        .collect();
    outcome.code = code;
    outcome
}

/// Why `rule` does not apply to this cart, or `None` when it does.
fn standing(
    rule: &Rule,
    lines: &[LineFacts],
    shopper: &Shopper,
    subtotal: i64,
    entered: Option<&EnteredCode>,
) -> Option<CodeVerdict> {
    if !rule.enabled {
        return Some(CodeVerdict::Expired);
    }
    if !rule.sites.contains(&shopper.site) {
        return Some(CodeVerdict::OtherSite);
    }
    if let Some(start) = rule.starts_at.filter(|start| shopper.local_time < *start) {
        return Some(CodeVerdict::NotYetValid(start));
    }
    if rule.ends_at.is_some_and(|end| shopper.local_time >= end) {
        return Some(CodeVerdict::Expired);
    }
    if entered
        .and_then(|e| e.found)
        .is_some_and(|found| found.rule_id == rule.id && found.used_up)
    {
        return Some(CodeVerdict::UsedUp);
    }
    if rule.audience == Audience::Customers && !shopper.logged_in {
        return Some(CodeVerdict::Lacks(Shortfall::LogIn));
    }
    let conditions = &rule.conditions;
    if !conditions.countries.is_empty() && !conditions.countries.contains(&shopper.country) {
        return Some(CodeVerdict::Lacks(Shortfall::Country));
    }
    let matching: Vec<&LineFacts> = lines
        .iter()
        .filter(|line| line.matches(&conditions.products))
        .collect();
    if matching.is_empty() {
        return Some(CodeVerdict::Lacks(Shortfall::Products));
    }
    if let Some(minimum) = conditions.min_subtotal.filter(|m| subtotal < m.cents()) {
        return Some(CodeVerdict::Lacks(Shortfall::Subtotal(Money::from_cents(
            minimum.cents() - subtotal,
            minimum.currency(),
        ))));
    }
    let units: u32 = matching.iter().map(|line| line.quantity).sum();
    if let Some(minimum) = conditions.min_quantity.filter(|m| units < *m) {
        return Some(CodeVerdict::Lacks(Shortfall::Quantity(minimum - units)));
    }
    None
}

/// What `rule` takes off each line, given what the lines still cost; whether its
/// maximum cut it.
fn discount(rule: &Rule, lines: &[LineFacts], remaining: &[i64]) -> (Vec<i64>, bool) {
    let targets: Vec<bool> = lines
        .iter()
        .map(|line| match rule.action.target {
            Target::WholeCart => true,
            Target::MatchingLines => line.matches(&rule.conditions.products),
        })
        .collect();
    let weights: Vec<i64> = remaining
        .iter()
        .zip(&targets)
        .map(|(left, target)| if *target { *left } else { 0 })
        .collect();
    let base: i64 = weights.iter().sum();
    let mut per_line = match rule.action.discount {
        None => vec![0; lines.len()],
        Some(Discount::PercentOff(percent)) => allocate(percent.of(base), &weights),
        Some(Discount::AmountOff(amount)) => allocate(amount.cents().min(base), &weights),
        Some(Discount::FixedPrice(price)) => lines
            .iter()
            .zip(&weights)
            .map(|(line, weight)| {
                if *weight == 0 {
                    0
                } else {
                    (weight - price.cents() * i64::from(line.quantity)).max(0)
                }
            })
            .collect(),
        Some(Discount::TakePay { take, pay }) => take_pay(lines, &weights, take, pay),
    };
    let total: i64 = per_line.iter().sum();
    let capped = rule.max_discount.is_some_and(|max| total > max.cents());
    if let Some(max) = rule.max_discount.filter(|_| capped) {
        per_line = allocate(max.cents(), &per_line);
    }
    (per_line, capped)
}

/// Take `take`, pay `pay`: every matching unit priced at what its line still
/// costs, dearest first; in each full group of `take`, the cheapest `take - pay`
/// are free.
fn take_pay(lines: &[LineFacts], weights: &[i64], take: u32, pay: u32) -> Vec<i64> {
    let mut units: Vec<(i64, usize)> = Vec::new();
    for (index, (line, weight)) in lines.iter().zip(weights).enumerate() {
        if *weight > 0 {
            let each = weight / i64::from(line.quantity.max(1));
            units.extend(std::iter::repeat_n((each, index), line.quantity as usize));
        }
    }
    units.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut free = vec![0_u32; lines.len()];
    for group in units.chunks_exact(take as usize) {
        for (_, index) in &group[pay as usize..] {
            free[*index] += 1;
        }
    }
    lines
        .iter()
        .zip(weights)
        .zip(free)
        .map(|((line, weight), free)| weight * i64::from(free) / i64::from(line.quantity.max(1)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::promotions::rule::tests::twenty_percent_off;
    use crate::promotions::rule::{Percent, Trigger, UseLimits};

    fn line(sku: &str, cents: i64, quantity: u32, category: i64) -> LineFacts {
        LineFacts {
            sku: Sku::parse(sku).unwrap(),
            product_sku: Sku::parse(sku.split('-').next().unwrap()).unwrap(),
            categories: vec![CategoryId(category), CategoryId(1)],
            theme: Some("halloween".into()),
            attributes: vec![("gender".into(), "women".into())],
            unit_price: Money::eur(cents),
            quantity,
        }
    }

    fn shopper() -> Shopper {
        Shopper {
            site: SiteCode::Es,
            local_time: at("2026-10-31 12:00"),
            logged_in: false,
            country: Country::Es,
        }
    }

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    fn cents(outcome: &Outcome) -> Vec<i64> {
        outcome.line_discounts.iter().map(|d| d.cents()).collect()
    }

    const WIGS: i64 = 20;
    const COSTUMES: i64 = 30;

    fn wigs_three_for_two() -> Rule {
        let mut rule = twenty_percent_off();
        rule.id = 2;
        rule.conditions.products.categories = vec![CategoryId(WIGS)];
        rule.action.discount = Some(Discount::TakePay { take: 3, pay: 2 });
        rule
    }

    fn coded(mut rule: Rule, code: &str) -> Rule {
        rule.trigger = Trigger::SharedCode(CouponCode::for_rule(code).unwrap());
        rule
    }

    fn entered(code: &str, rule_id: Option<i64>) -> EnteredCode {
        EnteredCode {
            code: CouponCode::parse(code).unwrap(),
            found: rule_id.map(|rule_id| FoundCode {
                rule_id,
                used_up: false,
            }),
        }
    }

    #[test]
    fn a_percentage_off_is_exact_to_the_cent_across_lines() {
        let lines = [
            line("DIS-BRUJA-M", 2_499, 1, COSTUMES),
            line("PEL-AFRO", 999, 3, WIGS),
        ];
        let outcome = apply(&[twenty_percent_off()], &lines, &shopper(), None);
        // 20 % of 54.96 € is 10.992 €: 10.99 € in all, shared by weight.
        assert_eq!(outcome.discount(), 1_099);
        assert_eq!(cents(&outcome), [500, 599]);
        assert_eq!(outcome.applied.len(), 1);
        assert!(!outcome.free_shipping);
        assert_eq!(outcome.code, None);
    }

    #[test]
    fn three_for_two_gives_the_cheapest_of_each_group() {
        let lines = [
            line("PEL-AFRO", 999, 2, WIGS),
            line("PEL-BOB", 1_499, 2, WIGS),
            line("DIS-BRUJA-M", 2_499, 1, COSTUMES),
        ];
        let outcome = apply(&[wigs_three_for_two()], &lines, &shopper(), None);
        // Wigs dearest first: 14.99, 14.99, 9.99 | 9.99 (an incomplete group pays).
        assert_eq!(cents(&outcome), [999, 0, 0]);
        let six = [line("PEL-AFRO", 999, 6, WIGS)];
        assert_eq!(
            cents(&apply(&[wigs_three_for_two()], &six, &shopper(), None)),
            [1_998]
        );
    }

    #[test]
    fn rules_apply_in_priority_order_to_what_is_left_and_can_stop_the_rest() {
        let lines = [line("PEL-AFRO", 1_000, 3, WIGS)];
        let mut first = wigs_three_for_two();
        first.priority = 1;
        let mut then = twenty_percent_off();
        then.priority = 2;
        let both = apply(&[then.clone(), first.clone()], &lines, &shopper(), None);
        // 3 × 2 takes 10 €; 20 % of the 20 € left takes 4 €.
        assert_eq!(both.discount(), 1_400);
        assert_eq!(
            both.applied.iter().map(|a| a.rule_id).collect::<Vec<_>>(),
            [2, 1]
        );
        first.stop_further = true;
        let alone = apply(&[then, first], &lines, &shopper(), None);
        assert_eq!(alone.discount(), 1_000);
    }

    #[test]
    fn a_discount_never_makes_a_line_negative_and_respects_its_maximum() {
        let lines = [
            line("PEL-AFRO", 500, 1, WIGS),
            line("DIS-BRUJA-M", 2_000, 1, COSTUMES),
        ];
        let mut amount = twenty_percent_off();
        amount.action.discount = Some(Discount::AmountOff(Money::eur(10_000)));
        amount.action.target = Target::WholeCart;
        assert_eq!(
            cents(&apply(&[amount.clone()], &lines, &shopper(), None)),
            [500, 2_000]
        );
        amount.max_discount = Some(Money::eur(1_000));
        let capped = apply(&[amount], &lines, &shopper(), None);
        assert_eq!(cents(&capped), [200, 800]);
        assert!(capped.applied[0].capped);
        let mut fixed = twenty_percent_off();
        fixed.conditions.products.categories = vec![CategoryId(WIGS)];
        fixed.action.discount = Some(Discount::FixedPrice(Money::eur(700)));
        // A wig already under 7 € is not raised to 7 €.
        assert_eq!(cents(&apply(&[fixed], &lines, &shopper(), None)), [0, 0]);
        let mut full = twenty_percent_off();
        full.action.discount = Some(Discount::PercentOff(Percent::parse("100").unwrap()));
        let mut more = twenty_percent_off();
        more.priority = 5;
        assert_eq!(
            cents(&apply(&[full, more], &lines, &shopper(), None)),
            [500, 2_000]
        );
    }

    #[test]
    fn line_discounts_go_to_matching_lines_only() {
        let lines = [
            line("PEL-AFRO", 1_000, 1, WIGS),
            line("DIS-BRUJA-M", 2_000, 1, COSTUMES),
        ];
        let mut rule = twenty_percent_off();
        rule.conditions.products.skus = vec![Sku::parse("DIS").unwrap()];
        assert_eq!(
            cents(&apply(&[rule.clone()], &lines, &shopper(), None)),
            [0, 400]
        );
        rule.action.target = Target::WholeCart;
        assert_eq!(
            cents(&apply(&[rule.clone()], &lines, &shopper(), None)),
            [200, 400]
        );
        rule.conditions.products.skus.clear();
        rule.conditions.products.attributes = vec![("gender".into(), "MEN".into())];
        assert_eq!(cents(&apply(&[rule], &lines, &shopper(), None)), [0, 0]);
    }

    #[test]
    fn free_shipping_is_its_own_action() {
        let lines = [line("PEL-AFRO", 1_000, 4, WIGS)];
        let mut rule = twenty_percent_off();
        rule.action.discount = None;
        rule.action.free_shipping = true;
        rule.conditions.min_subtotal = Some(Money::eur(3_900));
        let outcome = apply(&[rule.clone()], &lines, &shopper(), None);
        assert!(outcome.free_shipping);
        assert_eq!(outcome.discount(), 0);
        let fewer = [line("PEL-AFRO", 1_000, 3, WIGS)];
        assert!(!apply(&[rule], &fewer, &shopper(), None).free_shipping);
    }

    #[test]
    fn an_entered_code_is_told_why_it_does_not_apply() {
        let lines = [line("PEL-AFRO", 2_800, 1, WIGS)];
        let mut rule = coded(twenty_percent_off(), "BRUJA");
        rule.limits = UseLimits {
            uses_total: Some(10),
            uses_per_customer: Some(1),
        };
        rule.conditions.min_subtotal = Some(Money::eur(3_900));
        let verdict = |rule: &Rule, code: &EnteredCode, shopper: &Shopper| {
            apply(std::slice::from_ref(rule), &lines, shopper, Some(code)).code
        };
        let known = entered("bruja", Some(1));
        assert_eq!(
            verdict(&rule, &known, &shopper()),
            Some(CodeVerdict::Lacks(Shortfall::Subtotal(Money::eur(1_100))))
        );
        assert_eq!(
            verdict(&rule, &entered("NADA", None), &shopper()),
            Some(CodeVerdict::Unknown)
        );
        let mut later = rule;
        later.conditions.min_subtotal = None;
        later.starts_at = Some(at("2026-11-01 00:00"));
        assert_eq!(
            verdict(&later, &known, &shopper()),
            Some(CodeVerdict::NotYetValid(at("2026-11-01 00:00")))
        );
        let mut over = later;
        over.starts_at = None;
        over.ends_at = Some(at("2026-10-31 12:00"));
        assert_eq!(
            verdict(&over, &known, &shopper()),
            Some(CodeVerdict::Expired)
        );
        let mut used = known.clone();
        used.found = Some(FoundCode {
            rule_id: 1,
            used_up: true,
        });
        over.ends_at = None;
        assert_eq!(verdict(&over, &used, &shopper()), Some(CodeVerdict::UsedUp));
        let portuguese = Shopper {
            site: SiteCode::Pt,
            ..shopper()
        };
        over.sites = vec![SiteCode::Es];
        assert_eq!(
            verdict(&over, &known, &portuguese),
            Some(CodeVerdict::OtherSite)
        );
        over.sites = vec![SiteCode::Es, SiteCode::Pt];
        over.audience = Audience::Customers;
        assert_eq!(
            verdict(&over, &known, &shopper()),
            Some(CodeVerdict::Lacks(Shortfall::LogIn))
        );
        let applied = apply(
            std::slice::from_ref(&over),
            &lines,
            &Shopper {
                logged_in: true,
                ..shopper()
            },
            Some(&known),
        );
        assert_eq!(applied.code, Some(CodeVerdict::Applied));
        assert_eq!(
            applied.applied[0].code,
            Some(CouponCode::parse("BRUJA").unwrap())
        );
        assert_eq!(applied.discount(), 560);
    }

    #[test]
    fn a_coded_rule_needs_its_code_and_may_be_excluded_by_an_earlier_rule() {
        let lines = [line("PEL-AFRO", 1_000, 1, WIGS)];
        let mut exclusive = twenty_percent_off();
        exclusive.stop_further = true;
        let mut rule = coded(twenty_percent_off(), "BRUJA");
        rule.id = 9;
        rule.priority = 10;
        assert_eq!(
            apply(&[rule.clone()], &lines, &shopper(), None).discount(),
            0
        );
        let outcome = apply(
            &[exclusive, rule],
            &lines,
            &shopper(),
            Some(&entered("BRUJA", Some(9))),
        );
        assert_eq!(outcome.code, Some(CodeVerdict::Lacks(Shortfall::Excluded)));
        assert_eq!(outcome.applied.len(), 1);
    }

    #[test]
    fn five_hundred_rules_leave_the_cart_exact() {
        let lines: Vec<LineFacts> = (0..20)
            .map(|i| {
                line(
                    &format!("SKU-{i}"),
                    1_000 + i * 7,
                    1 + (i as u32 % 3),
                    10 + i,
                )
            })
            .collect();
        let rules: Vec<Rule> = (0..500)
            .map(|i| {
                let mut rule = twenty_percent_off();
                rule.id = i;
                rule.conditions.products.categories = vec![CategoryId(10 + i % 40)];
                rule
            })
            .collect();
        let outcome = apply(&rules, &lines, &shopper(), None);
        for (line, discount) in lines.iter().zip(&outcome.line_discounts) {
            assert!(discount.cents() <= line.gross() && discount.cents() >= 0);
        }
        let applied: i64 = outcome.applied.iter().map(|a| a.amount.cents()).sum();
        assert_eq!(applied, outcome.discount());
    }
}
