//! Promotions: cart price rules that apply by themselves or with a coupon code.
//!
//! - [`rule`]: what staff write (sites, dates, audience, conditions, discount).
//! - [`code`]: coupon codes as typed, and batches of generated ones.
//! - [`evaluate`]: a cart's rules applied, exactly to the cent, and the entered
//!   code's verdict.
//!
//! Uses of codes are counted by the store, in the order's transaction.

pub mod code;
pub mod evaluate;
pub mod rule;

pub use code::{BatchSpec, CodeError, CouponCode};
pub use evaluate::{
    Applied, CodeVerdict, EnteredCode, FoundCode, LineFacts, Outcome, Shopper, Shortfall, apply,
};
pub use rule::{
    Action, Audience, Conditions, Discount, Percent, ProductFilter, Rule, RuleError, Target,
    Trigger, UseLimits,
};
