//! Promotion rules for tests that need one, as staff would write it.

use comptoir_domain::promotions::{
    Action, Audience, Conditions, CouponCode, Discount, Rule, Target, Trigger, UseLimits,
};
use comptoir_domain::{PerLocale, SiteCode};

/// `discount` off the whole cart on the Spanish site, for everyone, with the shared
/// code `code`, without limits: tests change what they are about.
pub fn coded_promotion(name: &str, code: &str, discount: Discount) -> Rule {
    Rule {
        id: 0,
        names: PerLocale::from_fn(|_| name.to_owned()),
        sites: vec![SiteCode::Es],
        starts_at: None,
        ends_at: None,
        audience: Audience::Everyone,
        priority: 0,
        stop_further: false,
        conditions: Conditions::default(),
        action: Action {
            discount: Some(discount),
            target: Target::WholeCart,
            free_shipping: false,
        },
        max_discount: None,
        trigger: Trigger::SharedCode(CouponCode::for_rule(code).expect("a valid code")),
        limits: UseLimits::default(),
        enabled: true,
    }
}
