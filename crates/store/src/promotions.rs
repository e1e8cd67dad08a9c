//! Promotion rules and their coupon codes. Rules are read whole by every replica
//! (a few hundred at most); a code is looked up when a shopper enters it, and its
//! uses are claimed in the transaction that places the order (`orders.rs`).

use std::sync::LazyLock;

use async_trait::async_trait;
use chrono::NaiveDateTime;
use comptoir_domain::destination::Country;
use comptoir_domain::promotions::{
    Action, Audience, Conditions, CouponCode, Discount, FoundCode, Percent, ProductFilter, Rule,
    Target, Trigger, UseLimits,
};
use comptoir_domain::{CategoryId, Currency, Money, PerLocale, SiteCode, Sku};

use crate::{Actor, Result, StoreError};

/// How rules were created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromotionOutcome {
    /// Their ids, in their order.
    Created(Vec<i64>),
    /// None was: this shared code belongs to another rule already (or to two of
    /// those given).
    CodeTaken(CouponCode),
}

/// A rule another shop had, for a migration: with its codes and the uses they
/// had there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromotionImport {
    /// Where it came from (`magento:12`): a migration run again finds it.
    pub source: String,
    pub rule: Rule,
    /// Its codes (a shared code's one) with the orders that used each.
    pub codes: Vec<(CouponCode, u32)>,
    /// Its uses by each customer, by lower-cased e-mail address.
    pub customer_uses: Vec<(String, u32)>,
}

/// What a migration's rules became.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PromotionImportOutcome {
    pub created: usize,
    /// Written by an earlier run: left as they are, staff may have changed them.
    pub already_there: usize,
    /// Codes another rule has, with their rule's source: a shared code's rule is
    /// not written, a generated code is left out.
    pub codes_taken: Vec<(String, CouponCode)>,
}

/// A rule as staff see it in the list: its version (for optimistic concurrency)
/// and what it has given so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromotionSummary {
    pub rule: Rule,
    pub version: i64,
    /// Codes it holds (one for a shared code, the batch's otherwise).
    pub codes: i64,
    /// Orders it applied to, the discount they got and what they paid, in cents;
    /// cancelled orders left out.
    pub orders: i64,
    pub discount_cents: i64,
    pub revenue_cents: i64,
}

/// How a change to a rule went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromotionEdit {
    Saved,
    /// Someone saved it since the editor was opened: nothing written.
    Stale,
    CodeTaken(CouponCode),
    NotFound,
}

/// Promotions as the shop reads them.
#[async_trait]
pub trait PromotionStore: Send + Sync {
    /// Every rule, switched on or not (the evaluation decides what runs).
    async fn promotion_rules(&self) -> Result<Vec<Rule>>;

    /// Every version of these products' offers, oldest first: what a promotion that
    /// lowers their prices announces its reduction against.
    async fn offer_histories(
        &self,
        ids: &[comptoir_domain::ProductId],
    ) -> Result<comptoir_domain::price_history::OfferHistories>;

    /// When each rule was created: a price reduction without a start date began
    /// then.
    async fn promotion_creation_times(
        &self,
    ) -> Result<std::collections::HashMap<i64, chrono::DateTime<chrono::Utc>>>;

    /// The rule `code` belongs to, and whether its uses are used up: in all, or by
    /// `customer` (a lower-cased e-mail address) when given.
    async fn find_code(
        &self,
        code: &CouponCode,
        customer: Option<&str>,
    ) -> Result<Option<FoundCode>>;
}

/// Promotions as staff and the command line write them.
#[async_trait]
pub trait PromotionAdminStore: Send + Sync {
    /// Creates rules that [`Rule::check`] accepts, with their shared codes, audited,
    /// in one transaction: all of them, or none.
    async fn create_promotions(&self, rules: &[Rule], by: &Actor) -> Result<PromotionOutcome>;

    /// Every rule with its version and usage, by priority.
    async fn promotion_summaries(&self) -> Result<Vec<PromotionSummary>>;

    /// Changes rule `id` to `rule` (checked) if it is still at `expected_version`,
    /// audited with its state before; a new shared code replaces the old one, which
    /// orders keep by name.
    async fn update_promotion(
        &self,
        id: i64,
        rule: &Rule,
        expected_version: i64,
        by: &Actor,
    ) -> Result<PromotionEdit>;

    /// A rule's codes with their uses, oldest first.
    async fn promotion_codes(&self, rule_id: i64) -> Result<Vec<(String, i64)>>;

    /// The products of these variants, as stored: a preview's sample cart.
    async fn products_of_variants(&self, skus: &[Sku]) -> Result<Vec<comptoir_domain::Product>>;

    /// Writes rules another shop had, in one transaction: all of them, or none
    /// when one fails. A rule whose source is here already is left as it is.
    async fn import_promotions(
        &self,
        imports: &[PromotionImport],
        by: &Actor,
    ) -> Result<PromotionImportOutcome>;

    /// Adds generated codes to a rule; codes that exist already are skipped. Those
    /// added.
    async fn add_promotion_codes(
        &self,
        rule_id: i64,
        codes: &[CouponCode],
        by: &Actor,
    ) -> Result<Vec<CouponCode>>;
}

/// A rule's columns, as the SQL below names them.
pub(crate) const RULE_COLUMNS: &str = "name_es, name_fr, name_pt, name_it, sites, starts_at, \
     ends_at, audience, priority, stop_further, min_subtotal_cents, min_quantity, categories, \
     themes, skus, attributes, countries, discount, discount_value, take_units, pay_units, \
     target, free_shipping, max_discount_cents, activation, uses_total, uses_per_customer, \
     enabled";
/// Every rule's columns as [`RuleRow`] reads them, followed by `$tail`.
macro_rules! concat_rules {
    ($tail:literal) => {
        concat!(
            "SELECT r.id, r.name_es, r.name_fr, r.name_pt, r.name_it, \
     r.sites, r.starts_at, r.ends_at, r.audience, CAST(r.priority AS BIGINT) AS priority, \
     r.stop_further, r.min_subtotal_cents, CAST(r.min_quantity AS BIGINT) AS min_quantity, \
     r.categories, r.themes, r.skus, r.attributes, r.countries, r.discount, r.discount_value, \
     CAST(r.take_units AS BIGINT) AS take_units, CAST(r.pay_units AS BIGINT) AS pay_units, \
     r.target, r.free_shipping, r.max_discount_cents, r.activation, \
     CAST(r.uses_total AS BIGINT) AS uses_total, \
     CAST(r.uses_per_customer AS BIGINT) AS uses_per_customer, r.enabled, \
     (SELECT c.code FROM promotion_codes AS c WHERE c.rule_id = r.id \
      AND r.activation = 'shared_code' ORDER BY c.id LIMIT 1) AS shared_code \
     FROM promotion_rules AS r",
            $tail
        )
    };
}
pub(crate) const RULES_SQL: &str = concat_rules!(" ORDER BY r.priority, r.id");
pub(crate) const RULE_SQL: &str = concat_rules!(" WHERE r.id = $1");
/// A code's rule and limits, with its uses and the customer's (`$2`, may be NULL).
pub(crate) const FIND_CODE_SQL: &str = "SELECT c.rule_id, CAST(c.uses AS BIGINT), \
     CAST(r.uses_total AS BIGINT), CAST(r.uses_per_customer AS BIGINT), \
     (SELECT CAST(u.uses AS BIGINT) FROM promotion_customer_uses AS u \
      WHERE u.rule_id = c.rule_id AND u.customer_key = $2) \
     FROM promotion_codes AS c JOIN promotion_rules AS r ON r.id = c.rule_id WHERE c.code = $1";
/// Followed by a list of product ids, then `)`.
pub(crate) const OFFER_HISTORIES_IN: &str = "SELECT h.product_id, h.site, h.valid_from, \
     h.price_cents, h.sale_price_cents, h.sale_starts_at, h.sale_ends_at FROM offer_history h \
     WHERE h.product_id IN (";
pub(crate) const CREATION_TIMES_SQL: &str = "SELECT id, created_at FROM promotion_rules";
pub(crate) const CODE_EXISTS_SQL: &str = "SELECT id FROM promotion_codes WHERE code = $1";
pub(crate) const INSERT_CODE_SQL: &str = "INSERT INTO promotion_codes (rule_id, code, created_at) \
     VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING";
pub(crate) const RULE_EXISTS_SQL: &str = "SELECT id FROM promotion_rules WHERE id = $1";
pub(crate) const RULE_OF_SOURCE_SQL: &str = "SELECT id FROM promotion_rules WHERE source = $1";
pub(crate) const SET_SOURCE_SQL: &str = "UPDATE promotion_rules SET source = $1 WHERE id = $2";
/// A code with the uses it had in another shop.
pub(crate) const INSERT_USED_CODE_SQL: &str = "INSERT INTO promotion_codes \
     (rule_id, code, uses, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING";
pub(crate) const INSERT_CUSTOMER_USES_SQL: &str = "INSERT INTO promotion_customer_uses \
     (rule_id, customer_key, uses) VALUES ($1, $2, $3)";
/// Each rule's version, codes and usage (orders not cancelled), by rule id.
pub(crate) const SUMMARIES_SQL: &str = "SELECT r.id, r.version, \
     (SELECT COUNT(*) FROM promotion_codes AS c WHERE c.rule_id = r.id) AS codes, \
     COUNT(o.id) AS orders, \
     CAST(COALESCE(SUM(CASE WHEN o.id IS NULL THEN 0 ELSE p.amount_cents END), 0) AS BIGINT) \
     AS discount_cents, \
     CAST(COALESCE(SUM(o.total_cents), 0) AS BIGINT) AS revenue_cents \
     FROM promotion_rules AS r \
     LEFT JOIN order_promotions AS p ON p.rule_id = r.id \
     LEFT JOIN orders AS o ON o.id = p.order_id AND o.fulfilment_status <> 'cancelled' \
     GROUP BY r.id, r.version";
pub(crate) const RULE_VERSION_SQL: &str = "SELECT version FROM promotion_rules WHERE id = $1";
pub(crate) const CODES_OF_RULE_SQL: &str = "SELECT code, CAST(uses AS BIGINT) \
     FROM promotion_codes WHERE rule_id = $1 ORDER BY id";
pub(crate) const CODE_ELSEWHERE_SQL: &str =
    "SELECT id FROM promotion_codes WHERE code = $1 AND rule_id <> $2";
/// A shared code's rule keeps one code: the old one goes when it changes.
pub(crate) const DROP_OTHER_CODES_SQL: &str =
    "DELETE FROM promotion_codes WHERE rule_id = $1 AND code <> $2";
/// Followed by a list of SKUs, then `)`.
pub(crate) const PRODUCTS_OF_VARIANTS_IN: &str =
    "SELECT DISTINCT product_id FROM variants WHERE sku IN (";
pub(crate) const DROP_CODES_SQL: &str = "DELETE FROM promotion_codes WHERE rule_id = $1";
pub(crate) const DROP_CODE_SQL: &str =
    "DELETE FROM promotion_codes WHERE rule_id = $1 AND code = $2";
/// `$columns` of order `$1`'s codes not given back yet, when it was never paid.
macro_rules! codes_to_give_back {
    ($columns:literal) => {
        concat!(
            "SELECT ",
            $columns,
            " FROM order_promotions WHERE order_id = $1 AND released_at IS NULL \
             AND code_id IS NOT NULL \
             AND (SELECT payment_status FROM orders WHERE id = $1) IN ('pending', 'failed')"
        )
    };
}
pub(crate) const GIVE_BACK_CODES_SQL: &str = concat!(
    "UPDATE promotion_codes SET uses = uses - 1 WHERE uses > 0 AND id IN (",
    codes_to_give_back!("code_id"),
    ")"
);
pub(crate) const GIVE_BACK_CUSTOMER_USES_SQL: &str = concat!(
    "UPDATE promotion_customer_uses SET uses = uses - 1 WHERE uses > 0 \
     AND (rule_id, customer_key) IN (",
    codes_to_give_back!("rule_id, customer_key"),
    ")"
);
/// After the counts: the same codes marked given back, at `$2`.
pub(crate) const MARK_CODES_GIVEN_BACK_SQL: &str = concat!(
    "UPDATE order_promotions SET released_at = $2 WHERE order_id = $1 AND position IN (",
    codes_to_give_back!("position"),
    ")"
);

/// `INSERT INTO promotion_rules` with every column, numbered from `$1`; then
/// `created_at` and `updated_at` as `$29`, `$30`.
pub(crate) static INSERT_RULE_SQL: LazyLock<String> = LazyLock::new(|| {
    let count = RULE_COLUMNS.split(',').count();
    let values: Vec<String> = (1..=count + 2).map(|n| format!("${n}")).collect();
    format!(
        "INSERT INTO promotion_rules ({RULE_COLUMNS}, created_at, updated_at) VALUES ({}) \
         RETURNING id",
        values.join(", ")
    )
});

/// `UPDATE promotion_rules` of every column, numbered from `$1`; then
/// `updated_at`, the id and the version expected as `$29`, `$30`, `$31`.
pub(crate) static UPDATE_RULE_SQL: LazyLock<String> = LazyLock::new(|| {
    let columns: Vec<&str> = RULE_COLUMNS.split(',').map(str::trim).collect();
    let count = columns.len();
    let sets: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, column)| format!("{column} = ${}", i + 1))
        .collect();
    format!(
        "UPDATE promotion_rules SET {}, updated_at = ${}, version = version + 1 \
         WHERE id = ${} AND version = ${} RETURNING id",
        sets.join(", "),
        count + 1,
        count + 2,
        count + 3
    )
});

/// A rule as stored: the columns of [`RULES_SQL`].
#[derive(sqlx::FromRow)]
pub(crate) struct RuleRow {
    id: i64,
    name_es: String,
    name_fr: String,
    name_pt: String,
    name_it: String,
    sites: String,
    starts_at: Option<String>,
    ends_at: Option<String>,
    audience: String,
    priority: i64,
    stop_further: bool,
    min_subtotal_cents: Option<i64>,
    min_quantity: Option<i64>,
    categories: String,
    themes: String,
    skus: String,
    attributes: String,
    countries: String,
    discount: Option<String>,
    discount_value: Option<i64>,
    take_units: Option<i64>,
    pay_units: Option<i64>,
    target: String,
    free_shipping: bool,
    max_discount_cents: Option<i64>,
    activation: String,
    uses_total: Option<i64>,
    uses_per_customer: Option<i64>,
    enabled: bool,
    shared_code: Option<String>,
}

const WALL_CLOCK: &str = "%Y-%m-%dT%H:%M:%S";

/// `a|b|c`, without empty items.
fn items(list: &str) -> impl Iterator<Item = &str> {
    list.split('|').filter(|item| !item.is_empty())
}

fn joined<T>(values: &[T], show: impl Fn(&T) -> String) -> String {
    values.iter().map(show).collect::<Vec<_>>().join("|")
}

impl RuleRow {
    pub(crate) fn into_rule(self) -> Result<Rule> {
        let id = self.id;
        let corrupt = |what: &str| StoreError::Corrupt(format!("promotion rule {id}: {what}"));
        let eur = |cents: i64| Money::from_cents(cents, Currency::Eur);
        let count = |value: i64, what: &str| u32::try_from(value).map_err(|_| corrupt(what));
        let wall_clock = |text: Option<String>| {
            text.map(|t| NaiveDateTime::parse_from_str(&t, WALL_CLOCK).map_err(|_| corrupt("date")))
                .transpose()
        };
        let sites = items(&self.sites)
            .map(|s| SiteCode::parse(s).map_err(|_| corrupt("site")))
            .collect::<Result<Vec<_>>>()?;
        let products = ProductFilter {
            categories: items(&self.categories)
                .map(|c| c.parse().map(CategoryId).map_err(|_| corrupt("category")))
                .collect::<Result<_>>()?,
            themes: items(&self.themes).map(str::to_owned).collect(),
            skus: items(&self.skus)
                .map(|s| Sku::parse(s).map_err(|_| corrupt("sku")))
                .collect::<Result<_>>()?,
            attributes: items(&self.attributes)
                .map(|pair| {
                    pair.split_once('=')
                        .map(|(code, value)| (code.to_owned(), value.to_owned()))
                        .ok_or_else(|| corrupt("attribute"))
                })
                .collect::<Result<_>>()?,
        };
        let countries = items(&self.countries)
            .map(|c| Country::parse(c).map_err(|_| corrupt("country")))
            .collect::<Result<_>>()?;
        let value = || self.discount_value.ok_or_else(|| corrupt("discount value"));
        let discount = match self.discount.as_deref() {
            None => None,
            Some("percent_off") => Some(Discount::PercentOff(
                u32::try_from(value()?)
                    .ok()
                    .and_then(Percent::from_hundredths)
                    .ok_or_else(|| corrupt("percentage"))?,
            )),
            Some("amount_off") => Some(Discount::AmountOff(eur(value()?))),
            Some("fixed_price") => Some(Discount::FixedPrice(eur(value()?))),
            Some("take_pay") => Some(Discount::TakePay {
                take: count(self.take_units.unwrap_or(0), "take")?,
                pay: count(self.pay_units.unwrap_or(0), "pay")?,
            }),
            Some(_) => return Err(corrupt("discount")),
        };
        let trigger = match (self.activation.as_str(), self.shared_code) {
            ("automatic", _) => Trigger::Automatic,
            ("shared_code", Some(code)) => {
                Trigger::SharedCode(CouponCode::parse(&code).map_err(|_| corrupt("code"))?)
            }
            ("generated_codes", _) => Trigger::GeneratedCodes,
            _ => return Err(corrupt("activation")),
        };
        Ok(Rule {
            id,
            names: PerLocale([self.name_es, self.name_fr, self.name_pt, self.name_it]),
            sites,
            starts_at: wall_clock(self.starts_at)?,
            ends_at: wall_clock(self.ends_at)?,
            audience: Audience::parse(&self.audience).ok_or_else(|| corrupt("audience"))?,
            priority: i32::try_from(self.priority).map_err(|_| corrupt("priority"))?,
            stop_further: self.stop_further,
            conditions: Conditions {
                min_subtotal: self.min_subtotal_cents.map(eur),
                min_quantity: self
                    .min_quantity
                    .map(|q| count(q, "min_quantity"))
                    .transpose()?,
                products,
                countries,
            },
            action: Action {
                discount,
                target: match self.target.as_str() {
                    "matching_lines" => Target::MatchingLines,
                    "whole_cart" => Target::WholeCart,
                    _ => return Err(corrupt("target")),
                },
                free_shipping: self.free_shipping,
            },
            max_discount: self.max_discount_cents.map(eur),
            trigger,
            limits: UseLimits {
                uses_total: self
                    .uses_total
                    .map(|u| count(u, "uses_total"))
                    .transpose()?,
                uses_per_customer: self
                    .uses_per_customer
                    .map(|u| count(u, "uses_per_customer"))
                    .transpose()?,
            },
            enabled: self.enabled,
        })
    }
}

/// A rule's columns as bound, in [`RULE_COLUMNS`]' order.
pub(crate) struct RuleColumns {
    pub(crate) names: [String; 4],
    pub(crate) sites: String,
    pub(crate) starts_at: Option<String>,
    pub(crate) ends_at: Option<String>,
    pub(crate) audience: &'static str,
    pub(crate) priority: i64,
    pub(crate) stop_further: bool,
    pub(crate) min_subtotal_cents: Option<i64>,
    pub(crate) min_quantity: Option<i64>,
    pub(crate) categories: String,
    pub(crate) themes: String,
    pub(crate) skus: String,
    pub(crate) attributes: String,
    pub(crate) countries: String,
    pub(crate) discount: Option<&'static str>,
    pub(crate) discount_value: Option<i64>,
    pub(crate) take_units: Option<i64>,
    pub(crate) pay_units: Option<i64>,
    pub(crate) target: &'static str,
    pub(crate) free_shipping: bool,
    pub(crate) max_discount_cents: Option<i64>,
    pub(crate) activation: &'static str,
    pub(crate) uses_total: Option<i64>,
    pub(crate) uses_per_customer: Option<i64>,
    pub(crate) enabled: bool,
}

impl RuleColumns {
    pub(crate) fn of(rule: &Rule) -> RuleColumns {
        let wall_clock = |t: Option<NaiveDateTime>| t.map(|t| t.format(WALL_CLOCK).to_string());
        let products = &rule.conditions.products;
        let (discount, discount_value, take_units, pay_units) = match rule.action.discount {
            None => (None, None, None, None),
            Some(Discount::PercentOff(p)) => (
                Some("percent_off"),
                Some(i64::from(p.hundredths())),
                None,
                None,
            ),
            Some(Discount::AmountOff(m)) => (Some("amount_off"), Some(m.cents()), None, None),
            Some(Discount::FixedPrice(m)) => (Some("fixed_price"), Some(m.cents()), None, None),
            Some(Discount::TakePay { take, pay }) => (
                Some("take_pay"),
                None,
                Some(i64::from(take)),
                Some(i64::from(pay)),
            ),
        };
        RuleColumns {
            names: rule.names.0.clone(),
            sites: joined(&rule.sites, |s| s.as_str().to_owned()),
            starts_at: wall_clock(rule.starts_at),
            ends_at: wall_clock(rule.ends_at),
            audience: rule.audience.as_str(),
            priority: i64::from(rule.priority),
            stop_further: rule.stop_further,
            min_subtotal_cents: rule.conditions.min_subtotal.map(Money::cents),
            min_quantity: rule.conditions.min_quantity.map(i64::from),
            categories: joined(&products.categories, |c| c.0.to_string()),
            themes: joined(&products.themes, Clone::clone),
            skus: joined(&products.skus, |s| s.as_str().to_owned()),
            attributes: joined(&products.attributes, |(c, v)| format!("{c}={v}")),
            countries: joined(&rule.conditions.countries, |c| c.code().to_owned()),
            discount,
            discount_value,
            take_units,
            pay_units,
            target: match rule.action.target {
                Target::MatchingLines => "matching_lines",
                Target::WholeCart => "whole_cart",
            },
            free_shipping: rule.action.free_shipping,
            max_discount_cents: rule.max_discount.map(Money::cents),
            activation: match rule.trigger {
                Trigger::Automatic => "automatic",
                Trigger::SharedCode(_) => "shared_code",
                Trigger::GeneratedCodes => "generated_codes",
            },
            uses_total: rule.limits.uses_total.map(i64::from),
            uses_per_customer: rule.limits.uses_per_customer.map(i64::from),
            enabled: rule.enabled,
        }
    }
}

/// Whether a code's uses (`uses` of `limit`) or a customer's (`customer_uses`
/// of `per_customer`) are used up.
pub(crate) fn used_up(
    uses: i64,
    limit: Option<i64>,
    customer_uses: Option<i64>,
    per_customer: Option<i64>,
) -> bool {
    limit.is_some_and(|limit| uses >= limit)
        || per_customer.is_some_and(|limit| customer_uses.unwrap_or(0) >= limit)
}

/// Writes `impl PromotionStore` and `impl PromotionAdminStore` for `$store`, a
/// backend's store type.
macro_rules! impl_promotion_store {
    ($store:ty) => {
        const _: () = {
            use comptoir_domain::promotions::{CouponCode, FoundCode, Rule, Trigger};

            use $crate::dialect::Dialect;
            use $crate::promotions::{self as sql, PromotionOutcome, RuleColumns, RuleRow};
            use $crate::{Actor, ChangeKind, Result, StoreError};

            /// Binds a rule's columns, in [`sql::RULE_COLUMNS`]' order.
            fn bind_rule<'q, O>(
                query: sqlx::query::QueryScalar<
                    'q,
                    <$store as Dialect>::Db,
                    O,
                    <<$store as Dialect>::Db as sqlx::Database>::Arguments,
                >,
                c: &'q RuleColumns,
            ) -> sqlx::query::QueryScalar<
                'q,
                <$store as Dialect>::Db,
                O,
                <<$store as Dialect>::Db as sqlx::Database>::Arguments,
            > {
                let [es, fr, pt, it] = &c.names;
                query
                    .bind(es)
                    .bind(fr)
                    .bind(pt)
                    .bind(it)
                    .bind(&c.sites)
                    .bind(&c.starts_at)
                    .bind(&c.ends_at)
                    .bind(c.audience)
                    .bind(c.priority)
                    .bind(c.stop_further)
                    .bind(c.min_subtotal_cents)
                    .bind(c.min_quantity)
                    .bind(&c.categories)
                    .bind(&c.themes)
                    .bind(&c.skus)
                    .bind(&c.attributes)
                    .bind(&c.countries)
                    .bind(c.discount)
                    .bind(c.discount_value)
                    .bind(c.take_units)
                    .bind(c.pay_units)
                    .bind(c.target)
                    .bind(c.free_shipping)
                    .bind(c.max_discount_cents)
                    .bind(c.activation)
                    .bind(c.uses_total)
                    .bind(c.uses_per_customer)
                    .bind(c.enabled)
            }

            #[async_trait::async_trait]
            impl $crate::promotions::PromotionStore for $store {
                async fn promotion_rules(&self) -> Result<Vec<Rule>> {
                    let rows: Vec<RuleRow> = sqlx::query_as(sql::RULES_SQL)
                        .fetch_all(self.pool())
                        .await?;
                    rows.into_iter().map(RuleRow::into_rule).collect()
                }

                async fn promotion_creation_times(
                    &self,
                ) -> Result<std::collections::HashMap<i64, chrono::DateTime<chrono::Utc>>> {
                    let rows: Vec<(i64, chrono::DateTime<chrono::Utc>)> =
                        sqlx::query_as(sql::CREATION_TIMES_SQL)
                            .fetch_all(self.pool())
                            .await?;
                    Ok(rows.into_iter().collect())
                }

                async fn offer_histories(
                    &self,
                    ids: &[comptoir_domain::ProductId],
                ) -> Result<comptoir_domain::price_history::OfferHistories> {
                    let mut rows: Vec<$crate::rows::OfferVersionRow> = Vec::new();
                    for chunk in ids.chunks($crate::catalogue::IDS_PER_STATEMENT) {
                        let mut query =
                            Self::listed(sql::OFFER_HISTORIES_IN, chunk.iter().map(|id| id.0));
                        query.push(" ORDER BY h.product_id, h.site, h.valid_from");
                        rows.extend(query.build_query_as().fetch_all(self.pool()).await?);
                    }
                    $crate::rows::offer_histories(rows)
                }

                async fn find_code(
                    &self,
                    code: &CouponCode,
                    customer: Option<&str>,
                ) -> Result<Option<FoundCode>> {
                    let row: Option<(i64, i64, Option<i64>, Option<i64>, Option<i64>)> =
                        sqlx::query_as(sql::FIND_CODE_SQL)
                            .bind(code.as_str())
                            .bind(customer)
                            .fetch_optional(self.pool())
                            .await?;
                    Ok(row.map(
                        |(rule_id, uses, limit, per_customer, customer_uses)| FoundCode {
                            rule_id,
                            used_up: sql::used_up(uses, limit, customer_uses, per_customer),
                        },
                    ))
                }
            }

            #[async_trait::async_trait]
            impl $crate::promotions::PromotionAdminStore for $store {
                async fn create_promotions(
                    &self,
                    rules: &[Rule],
                    by: &Actor,
                ) -> Result<PromotionOutcome> {
                    for rule in rules {
                        rule.check()
                            .map_err(|e| StoreError::Corrupt(format!("promotion rule: {e}")))?;
                    }
                    let mut tx = self.begin_write().await?;
                    let mut ids = Vec::with_capacity(rules.len());
                    let now = chrono::Utc::now();
                    for rule in rules {
                        if let Trigger::SharedCode(code) = &rule.trigger {
                            let taken: Option<i64> = sqlx::query_scalar(sql::CODE_EXISTS_SQL)
                                .bind(code.as_str())
                                .fetch_optional(&mut *tx)
                                .await?;
                            if taken.is_some() {
                                return Ok(PromotionOutcome::CodeTaken(code.clone()));
                            }
                        }
                        let id: i64 = bind_rule(
                            sqlx::query_scalar(sqlx::AssertSqlSafe(sql::INSERT_RULE_SQL.as_str())),
                            &RuleColumns::of(rule),
                        )
                        .bind(now)
                        .bind(now)
                        .fetch_one(&mut *tx)
                        .await?;
                        if let Trigger::SharedCode(code) = &rule.trigger {
                            sqlx::query(sql::INSERT_CODE_SQL)
                                .bind(id)
                                .bind(code.as_str())
                                .bind(now)
                                .execute(&mut *tx)
                                .await?;
                        }
                        Self::audit(
                            &mut tx,
                            by,
                            "create",
                            "promotion",
                            &id.to_string(),
                            None,
                            Some(rule.name(comptoir_domain::Locale::Es).to_owned()),
                        )
                        .await?;
                        ids.push(id);
                    }
                    Self::append_changes(&mut tx, ChangeKind::Promotion, &[]).await?;
                    tx.commit().await?;
                    Ok(PromotionOutcome::Created(ids))
                }

                async fn promotion_summaries(
                    &self,
                ) -> Result<Vec<$crate::promotions::PromotionSummary>> {
                    let rules =
                        <Self as $crate::promotions::PromotionStore>::promotion_rules(self).await?;
                    let rows: Vec<(i64, i64, i64, i64, i64, i64)> =
                        sqlx::query_as(sql::SUMMARIES_SQL)
                            .fetch_all(self.pool())
                            .await?;
                    let mut usage: std::collections::HashMap<i64, (i64, i64, i64, i64, i64)> = rows
                        .into_iter()
                        .map(|(id, version, codes, orders, discount, revenue)| {
                            (id, (version, codes, orders, discount, revenue))
                        })
                        .collect();
                    Ok(rules
                        .into_iter()
                        .map(|rule| {
                            let (version, codes, orders, discount_cents, revenue_cents) =
                                usage.remove(&rule.id).unwrap_or_default();
                            $crate::promotions::PromotionSummary {
                                rule,
                                version,
                                codes,
                                orders,
                                discount_cents,
                                revenue_cents,
                            }
                        })
                        .collect())
                }

                async fn update_promotion(
                    &self,
                    id: i64,
                    rule: &Rule,
                    expected_version: i64,
                    by: &Actor,
                ) -> Result<$crate::promotions::PromotionEdit> {
                    use $crate::promotions::PromotionEdit;
                    rule.check()
                        .map_err(|e| StoreError::Corrupt(format!("promotion rule: {e}")))?;
                    let mut tx = self.begin_write().await?;
                    let version: Option<i64> = sqlx::query_scalar(sql::RULE_VERSION_SQL)
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?;
                    match version {
                        None => return Ok(PromotionEdit::NotFound),
                        Some(version) if version != expected_version => {
                            return Ok(PromotionEdit::Stale);
                        }
                        Some(_) => {}
                    }
                    let before: Option<Rule> = sqlx::query_as::<_, RuleRow>(sql::RULE_SQL)
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?
                        .map(RuleRow::into_rule)
                        .transpose()?;
                    let now = chrono::Utc::now();
                    match &rule.trigger {
                        Trigger::SharedCode(code) => {
                            let elsewhere: Option<i64> =
                                sqlx::query_scalar(sql::CODE_ELSEWHERE_SQL)
                                    .bind(code.as_str())
                                    .bind(id)
                                    .fetch_optional(&mut *tx)
                                    .await?;
                            if elsewhere.is_some() {
                                return Ok(PromotionEdit::CodeTaken(code.clone()));
                            }
                            sqlx::query(sql::DROP_OTHER_CODES_SQL)
                                .bind(id)
                                .bind(code.as_str())
                                .execute(&mut *tx)
                                .await?;
                            sqlx::query(sql::INSERT_CODE_SQL)
                                .bind(id)
                                .bind(code.as_str())
                                .bind(now)
                                .execute(&mut *tx)
                                .await?;
                        }
                        Trigger::Automatic => {
                            sqlx::query(sql::DROP_CODES_SQL)
                                .bind(id)
                                .execute(&mut *tx)
                                .await?;
                        }
                        Trigger::GeneratedCodes => {
                            // A shared code left behind is not one of the batch.
                            if let Some(Trigger::SharedCode(old)) =
                                before.as_ref().map(|b| &b.trigger)
                            {
                                sqlx::query(sql::DROP_CODE_SQL)
                                    .bind(id)
                                    .bind(old.as_str())
                                    .execute(&mut *tx)
                                    .await?;
                            }
                        }
                    }
                    let updated: Option<i64> = bind_rule(
                        sqlx::query_scalar(sqlx::AssertSqlSafe(sql::UPDATE_RULE_SQL.as_str())),
                        &RuleColumns::of(rule),
                    )
                    .bind(now)
                    .bind(id)
                    .bind(expected_version)
                    .fetch_optional(&mut *tx)
                    .await?;
                    if updated.is_none() {
                        return Ok(PromotionEdit::Stale);
                    }
                    Self::audit(
                        &mut tx,
                        by,
                        "update",
                        "promotion",
                        &id.to_string(),
                        before.map(|b| format!("{b:?}")),
                        Some(format!("{rule:?}")),
                    )
                    .await?;
                    Self::append_changes(&mut tx, ChangeKind::Promotion, &[]).await?;
                    tx.commit().await?;
                    Ok(PromotionEdit::Saved)
                }

                async fn products_of_variants(
                    &self,
                    skus: &[comptoir_domain::Sku],
                ) -> Result<Vec<comptoir_domain::Product>> {
                    let ids: Vec<i64> = Self::listed(
                        sql::PRODUCTS_OF_VARIANTS_IN,
                        skus.iter().map(|s| s.as_str()),
                    )
                    .build_query_scalar()
                    .fetch_all(self.pool())
                    .await?;
                    let mut conn = self.pool().acquire().await?;
                    Self::products_in(&mut *conn, &ids).await
                }

                async fn promotion_codes(&self, rule_id: i64) -> Result<Vec<(String, i64)>> {
                    Ok(sqlx::query_as(sql::CODES_OF_RULE_SQL)
                        .bind(rule_id)
                        .fetch_all(self.pool())
                        .await?)
                }

                async fn import_promotions(
                    &self,
                    imports: &[$crate::promotions::PromotionImport],
                    by: &Actor,
                ) -> Result<$crate::promotions::PromotionImportOutcome> {
                    for import in imports {
                        import.rule.check().map_err(|e| {
                            StoreError::Corrupt(format!("promotion {}: {e}", import.source))
                        })?;
                    }
                    let mut tx = self.begin_write().await?;
                    let mut outcome = $crate::promotions::PromotionImportOutcome::default();
                    let now = chrono::Utc::now();
                    for import in imports {
                        let there: Option<i64> = sqlx::query_scalar(sql::RULE_OF_SOURCE_SQL)
                            .bind(&import.source)
                            .fetch_optional(&mut *tx)
                            .await?;
                        if there.is_some() {
                            outcome.already_there += 1;
                            continue;
                        }
                        if let Trigger::SharedCode(code) = &import.rule.trigger {
                            let taken: Option<i64> = sqlx::query_scalar(sql::CODE_EXISTS_SQL)
                                .bind(code.as_str())
                                .fetch_optional(&mut *tx)
                                .await?;
                            if taken.is_some() {
                                outcome
                                    .codes_taken
                                    .push((import.source.clone(), code.clone()));
                                continue;
                            }
                        }
                        let id: i64 = bind_rule(
                            sqlx::query_scalar(sqlx::AssertSqlSafe(sql::INSERT_RULE_SQL.as_str())),
                            &RuleColumns::of(&import.rule),
                        )
                        .bind(now)
                        .bind(now)
                        .fetch_one(&mut *tx)
                        .await?;
                        sqlx::query(sql::SET_SOURCE_SQL)
                            .bind(&import.source)
                            .bind(id)
                            .execute(&mut *tx)
                            .await?;
                        for (code, uses) in &import.codes {
                            let inserted = sqlx::query(sql::INSERT_USED_CODE_SQL)
                                .bind(id)
                                .bind(code.as_str())
                                .bind(i64::from(*uses))
                                .bind(now)
                                .execute(&mut *tx)
                                .await?
                                .rows_affected();
                            if inserted == 0 {
                                outcome
                                    .codes_taken
                                    .push((import.source.clone(), code.clone()));
                            }
                        }
                        for (customer, uses) in &import.customer_uses {
                            sqlx::query(sql::INSERT_CUSTOMER_USES_SQL)
                                .bind(id)
                                .bind(customer)
                                .bind(i64::from(*uses))
                                .execute(&mut *tx)
                                .await?;
                        }
                        Self::audit(
                            &mut tx,
                            by,
                            "migrate",
                            "promotion",
                            &id.to_string(),
                            None,
                            Some(format!(
                                "{} from {}",
                                import.rule.name(comptoir_domain::Locale::Es),
                                import.source
                            )),
                        )
                        .await?;
                        outcome.created += 1;
                    }
                    Self::append_changes(&mut tx, ChangeKind::Promotion, &[]).await?;
                    tx.commit().await?;
                    Ok(outcome)
                }

                async fn add_promotion_codes(
                    &self,
                    rule_id: i64,
                    codes: &[CouponCode],
                    by: &Actor,
                ) -> Result<Vec<CouponCode>> {
                    let mut tx = self.begin_write().await?;
                    let exists: Option<i64> = sqlx::query_scalar(sql::RULE_EXISTS_SQL)
                        .bind(rule_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                    if exists.is_none() {
                        return Err(StoreError::NotFound(format!("promotion rule {rule_id}")));
                    }
                    let now = chrono::Utc::now();
                    let mut added = Vec::with_capacity(codes.len());
                    for code in codes {
                        let inserted = sqlx::query(sql::INSERT_CODE_SQL)
                            .bind(rule_id)
                            .bind(code.as_str())
                            .bind(now)
                            .execute(&mut *tx)
                            .await?
                            .rows_affected();
                        if inserted == 1 {
                            added.push(code.clone());
                        }
                    }
                    Self::audit(
                        &mut tx,
                        by,
                        "generate codes",
                        "promotion",
                        &rule_id.to_string(),
                        None,
                        Some(format!("{} codes", added.len())),
                    )
                    .await?;
                    tx.commit().await?;
                    Ok(added)
                }
            }
        };
    };
}
pub(crate) use impl_promotion_store;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_insert_binds_every_column_and_both_times() {
        let sql = INSERT_RULE_SQL.as_str();
        assert!(sql.contains("$30)"), "{sql}");
        assert!(!sql.contains("$31"));
    }

    #[test]
    fn a_code_is_used_up_in_all_or_by_its_customer() {
        assert!(!used_up(9, Some(10), None, None));
        assert!(used_up(10, Some(10), None, None));
        assert!(!used_up(100, None, Some(0), Some(1)));
        assert!(used_up(0, None, Some(1), Some(1)));
        assert!(
            !used_up(0, None, None, Some(1)),
            "a customer who never used it"
        );
    }
}
