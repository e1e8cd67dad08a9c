//! How long a cart's promotions take to evaluate with many rules running: 500 rules
//! of every kind (percentages and amounts off categories, themes and SKUs, 3 × 2,
//! fixed prices, free shipping from a threshold, coded rules with their code
//! entered) against a 20-line cart, evaluated again and again. Prints the time of
//! one evaluation (mean, p50, p99) and the discount, so the work is not optimised
//! away.
//!
//! Usage: `cargo run --release -p comptoir-bench --bin promotion-rules [RULES] [ROUNDS]`
//! (default 500 rules, 20 000 rounds).

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use comptoir_domain::destination::Country;
use comptoir_domain::promotions::{
    self, Action, Audience, Conditions, CouponCode, Discount, EnteredCode, FoundCode, LineFacts,
    Percent, ProductFilter, Rule, Shopper, Target, Trigger, UseLimits,
};
use comptoir_domain::{CategoryId, Money, PerLocale, SiteCode, Sku};

fn rule(n: i64) -> Rule {
    let category = CategoryId(10 + n % 40);
    let (discount, target, products) = match n % 6 {
        0 => (
            Some(Discount::PercentOff(Percent::parse("10").unwrap())),
            Target::MatchingLines,
            ProductFilter {
                categories: vec![category],
                ..ProductFilter::default()
            },
        ),
        1 => (
            Some(Discount::AmountOff(Money::eur(300))),
            Target::WholeCart,
            ProductFilter {
                themes: vec![format!("theme-{}", n % 7)],
                ..ProductFilter::default()
            },
        ),
        2 => (
            Some(Discount::TakePay { take: 3, pay: 2 }),
            Target::MatchingLines,
            ProductFilter {
                categories: vec![category],
                ..ProductFilter::default()
            },
        ),
        3 => (
            Some(Discount::FixedPrice(Money::eur(999))),
            Target::MatchingLines,
            ProductFilter {
                skus: vec![Sku::parse(&format!("SKU-{}", n % 20)).unwrap()],
                ..ProductFilter::default()
            },
        ),
        4 => (
            None,
            Target::WholeCart,
            ProductFilter {
                attributes: vec![("gender".to_owned(), "women".to_owned())],
                ..ProductFilter::default()
            },
        ),
        _ => (
            Some(Discount::PercentOff(Percent::parse("5").unwrap())),
            Target::WholeCart,
            ProductFilter::default(),
        ),
    };
    Rule {
        id: n,
        names: PerLocale::from_fn(|_| format!("Regla {n}")),
        sites: vec![SiteCode::Es, SiteCode::Fr],
        starts_at: NaiveDate::from_ymd_opt(2026, 10, 1).and_then(|d| d.and_hms_opt(0, 0, 0)),
        ends_at: None,
        audience: Audience::Everyone,
        priority: (n % 10) as i32,
        stop_further: false,
        conditions: Conditions {
            min_subtotal: (n % 4 == 0).then(|| Money::eur(3_900)),
            products,
            ..Conditions::default()
        },
        action: Action {
            discount,
            target,
            free_shipping: n % 6 == 4,
        },
        max_discount: (n % 5 == 0).then(|| Money::eur(2_000)),
        trigger: if n % 50 == 7 {
            Trigger::SharedCode(CouponCode::for_rule(&format!("CODE{n}")).unwrap())
        } else {
            Trigger::Automatic
        },
        limits: UseLimits::default(),
        enabled: true,
    }
}

fn line(n: i64) -> LineFacts {
    LineFacts {
        sku: Sku::parse(&format!("SKU-{n}-M")).unwrap(),
        product_sku: Sku::parse(&format!("SKU-{n}")).unwrap(),
        categories: vec![CategoryId(10 + n * 2), CategoryId(1)],
        theme: Some(format!("theme-{}", n % 7)),
        attributes: vec![
            (
                "gender".to_owned(),
                if n % 2 == 0 { "women" } else { "men" }.to_owned(),
            ),
            ("size".to_owned(), "M".to_owned()),
        ],
        unit_price: Money::eur(999 + n * 250),
        quantity: 1 + (n % 3) as u32,
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let count: i64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(500);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let rules: Vec<Rule> = (0..count).map(rule).collect();
    let lines: Vec<LineFacts> = (0..20).map(line).collect();
    let shopper = Shopper {
        site: SiteCode::Es,
        local_time: NaiveDate::from_ymd_opt(2026, 10, 31)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .unwrap(),
        logged_in: false,
        country: Country::Es,
    };
    let entered = EnteredCode {
        code: CouponCode::parse("CODE7").unwrap(),
        found: Some(FoundCode {
            rule_id: 7,
            used_up: false,
        }),
    };
    let mut times: Vec<Duration> = Vec::with_capacity(rounds);
    let mut discount = 0;
    let mut applied = 0;
    for _ in 0..rounds {
        let started = Instant::now();
        let outcome = promotions::apply(&rules, &lines, &shopper, Some(&entered));
        times.push(started.elapsed());
        discount = outcome.discount();
        applied = outcome.applied.len();
    }
    times.sort_unstable();
    let mean = times.iter().sum::<Duration>() / rounds as u32;
    let at = |q: f64| times[((rounds as f64 * q) as usize).min(rounds - 1)];
    println!(
        "{count} rules, 20 lines, {rounds} rounds: mean {:.1} µs, p50 {:.1} µs, p99 {:.1} µs; \
         {applied} rules applied, {} off",
        mean.as_secs_f64() * 1e6,
        at(0.50).as_secs_f64() * 1e6,
        at(0.99).as_secs_f64() * 1e6,
        Money::eur(discount).format(comptoir_domain::Locale::Es)
    );
}
