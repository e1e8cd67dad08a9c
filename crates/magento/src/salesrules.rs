//! Magento's shopping cart price rules (`salesrule`) as Comptoir's promotions:
//! their labels, websites, customer groups, coupons and the uses those had.
//! Their conditions and actions, PHP-serialised, are mapped where a Comptoir
//! rule says the same; a rule that would give more or other than it did is
//! left out and reported with why, for staff to recreate by hand.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use comptoir_domain::destination::Country;
use comptoir_domain::promotions::{
    Action, Audience, Conditions, CouponCode, Discount, Percent, ProductFilter, Rule, Target,
    Trigger, UseLimits,
};
use comptoir_domain::{CategoryId, Money, PerLocale, SiteCode, Sku};
use comptoir_import::magento_products::amount;

use crate::php::{PhpValue, unserialize};
use crate::report::Report;
use crate::stores::Stores;
use crate::{MagentoDb, MagentoError, grouped, lossy};

/// Codes with the orders that used each in Magento.
pub type UsedCodes = Vec<(CouponCode, u32)>;

/// A Magento rule as Comptoir will hold it.
#[derive(Debug, Clone, PartialEq)]
pub struct MigratedRule {
    pub magento_id: u64,
    /// How the report names it: `cart price rule 7 (Halloween 20 %)`, with its
    /// Magento name.
    pub entity: String,
    /// Its categories are Magento's ([`MigratedRule::categories`]) until the
    /// catalogue is written and they have Comptoir ids.
    pub rule: Rule,
    pub categories: Vec<u64>,
    pub codes: UsedCodes,
    /// Its uses by each customer (a lower-cased e-mail address).
    pub customer_uses: Vec<(String, u32)>,
}

impl MigratedRule {
    /// The rule to write, its categories given Comptoir's ids by `resolve`; none
    /// when one of them is not in the catalogue.
    pub fn resolved(&self, resolve: impl Fn(u64) -> Option<CategoryId>) -> Option<Rule> {
        let mut rule = self.rule.clone();
        rule.conditions.products.categories = self
            .categories
            .iter()
            .map(|magento| resolve(*magento))
            .collect::<Option<_>>()?;
        Some(rule)
    }
}

/// How the report names rule `row`, mapped or not.
fn entity_of(row: &RuleRow) -> String {
    format!(
        "cart price rule {} ({})",
        row.id,
        lossy(row.name.as_deref())
    )
}

/// Magento's customer group of shoppers not logged in.
const NOT_LOGGED_IN: u64 = 0;
/// The group Magento gives customers who register.
const GENERAL: u64 = 1;

/// `salesrule.coupon_type`: no coupon, one specific coupon, generated ones.
const NO_COUPON: i64 = 1;
const SPECIFIC_COUPON: i64 = 2;

/// The longest rule name Comptoir keeps.
const NAME_CHARS: usize = 120;

/// A row of `salesrule`.
#[derive(sqlx::FromRow)]
struct RuleRow {
    id: u64,
    name: Option<Vec<u8>>,
    from_date: Option<String>,
    to_date: Option<String>,
    uses_per_customer: i64,
    is_active: i64,
    conditions: Option<Vec<u8>>,
    actions: Option<Vec<u8>>,
    stop_further: i64,
    sort_order: i64,
    simple_action: Option<String>,
    discount_amount: String,
    discount_qty: String,
    discount_step: i64,
    free_shipping: i64,
    apply_to_shipping: i64,
    coupon_type: i64,
    auto_generation: i64,
    uses_per_coupon: i64,
}

/// What a rule's rows say besides its own.
struct RuleFacts<'a> {
    sites: Vec<SiteCode>,
    groups: &'a [u64],
    all_groups: &'a [u64],
    labels: &'a [(u64, String)],
    coupons: &'a [(Vec<u8>, u64, bool)],
}

/// Reads the rules; one that cannot be mapped is reported and left out.
pub async fn read(
    db: &mut MagentoDb,
    stores: &Stores,
    report: &mut Report,
) -> Result<Vec<MigratedRule>, MagentoError> {
    let tables = [
        "salesrule",
        "salesrule_website",
        "salesrule_customer_group",
        "salesrule_label",
        "salesrule_coupon",
        "customer_group",
    ];
    if let Some(missing) = tables.iter().find(|table| !db.tables().has(table)) {
        // Magento before 1.7 kept websites and groups in the rule's own row.
        report.note(
            "cart price rules",
            format!("no {missing} table (Magento before 1.7?): cart price rules not read"),
        );
        return Ok(Vec::new());
    }
    let name = |table: &str| db.tables().name(table);
    let (rules_table, websites, groups, labels, coupons, customer_groups) = (
        name("salesrule"),
        name("salesrule_website"),
        name("salesrule_customer_group"),
        name("salesrule_label"),
        name("salesrule_coupon"),
        name("customer_group"),
    );
    let rows: Vec<RuleRow> = db
        .rows(
            "salesrule",
            &format!(
                "SELECT CAST(rule_id AS UNSIGNED) AS id, CAST(name AS BINARY) AS name, \
                 CAST(from_date AS CHAR) AS from_date, CAST(to_date AS CHAR) AS to_date, \
                 CAST(uses_per_customer AS SIGNED) AS uses_per_customer, \
                 CAST(is_active AS SIGNED) AS is_active, \
                 CAST(conditions_serialized AS BINARY) AS conditions, \
                 CAST(actions_serialized AS BINARY) AS actions, \
                 CAST(stop_rules_processing AS SIGNED) AS stop_further, \
                 CAST(sort_order AS SIGNED) AS sort_order, \
                 CAST(simple_action AS CHAR) AS simple_action, \
                 CAST(discount_amount AS CHAR) AS discount_amount, \
                 CAST(COALESCE(discount_qty, 0) AS CHAR) AS discount_qty, \
                 CAST(discount_step AS SIGNED) AS discount_step, \
                 CAST(simple_free_shipping AS SIGNED) AS free_shipping, \
                 CAST(apply_to_shipping AS SIGNED) AS apply_to_shipping, \
                 CAST(coupon_type AS SIGNED) AS coupon_type, \
                 CAST(use_auto_generation AS SIGNED) AS auto_generation, \
                 CAST(uses_per_coupon AS SIGNED) AS uses_per_coupon \
                 FROM {rules_table} ORDER BY sort_order, rule_id"
            ),
        )
        .await?;
    let websites: Vec<(u64, u64)> = db
        .rows(
            "salesrule_website",
            &format!(
                "SELECT CAST(rule_id AS UNSIGNED), CAST(website_id AS UNSIGNED) FROM {websites}"
            ),
        )
        .await?;
    let groups: Vec<(u64, u64)> = db
        .rows(
            "salesrule_customer_group",
            &format!(
                "SELECT CAST(rule_id AS UNSIGNED), CAST(customer_group_id AS UNSIGNED) \
                 FROM {groups} ORDER BY customer_group_id"
            ),
        )
        .await?;
    let all_groups: Vec<(u64,)> = db
        .rows(
            "customer_group",
            &format!(
                "SELECT CAST(customer_group_id AS UNSIGNED) FROM {customer_groups} \
                 ORDER BY customer_group_id"
            ),
        )
        .await?;
    let labels: Vec<(u64, u64, Option<Vec<u8>>)> = db
        .rows(
            "salesrule_label",
            &format!(
                "SELECT CAST(rule_id AS UNSIGNED), CAST(store_id AS UNSIGNED), \
                 CAST(label AS BINARY) FROM {labels}"
            ),
        )
        .await?;
    let coupons: Vec<(u64, Vec<u8>, u64, i64)> = db
        .rows(
            "salesrule_coupon",
            &format!(
                "SELECT CAST(rule_id AS UNSIGNED), CAST(code AS BINARY), \
                 CAST(times_used AS UNSIGNED), CAST(COALESCE(is_primary, 0) AS SIGNED) \
                 FROM {coupons} WHERE code IS NOT NULL ORDER BY coupon_id"
            ),
        )
        .await?;
    let customer_uses = customer_uses(db).await?;
    let all_groups: Vec<u64> = all_groups.into_iter().map(|(id,)| id).collect();
    let websites = grouped(websites);
    let groups = grouped(groups);
    let labels = grouped(
        labels
            .into_iter()
            .map(|(rule, store, label)| (rule, (store, lossy(label.as_deref())))),
    );
    let coupons = grouped(
        coupons
            .into_iter()
            .map(|(rule, code, used, primary)| (rule, (code, used, primary == 1))),
    );
    let mut migrated = Vec::with_capacity(rows.len());
    for row in &rows {
        let entity = entity_of(row);
        let sites = rule_sites(stores, websites.get(&row.id).map_or(&[], Vec::as_slice));
        let facts = RuleFacts {
            sites,
            groups: groups.get(&row.id).map_or(&[], Vec::as_slice),
            all_groups: &all_groups,
            labels: labels.get(&row.id).map_or(&[], Vec::as_slice),
            coupons: coupons.get(&row.id).map_or(&[], Vec::as_slice),
        };
        match map_rule(row, &facts, stores) {
            Ok((mut rule, notes)) => {
                for note in notes {
                    report.note(&entity, note);
                }
                rule.customer_uses = customer_uses.get(&row.id).cloned().unwrap_or_default();
                migrated.push(rule);
            }
            Err(why) => report.problem(&entity, format!("{why}: left out")),
        }
    }
    let counts = report.counts("cart price rules");
    counts.read = rows.len();
    counts.skipped = rows.len() - migrated.len();
    Ok(migrated)
}

/// Each rule's uses by each registered customer (`salesrule_customer`, which
/// Magento counts per customer whatever the code), by lower-cased e-mail address.
async fn customer_uses(
    db: &mut MagentoDb,
) -> Result<HashMap<u64, Vec<(String, u32)>>, MagentoError> {
    if !db.tables().has("salesrule_customer") {
        return Ok(HashMap::new());
    }
    let (uses, customers) = (
        db.tables().name("salesrule_customer"),
        db.tables().name("customer_entity"),
    );
    let rows: Vec<(u64, Vec<u8>, u64)> = db
        .rows(
            "salesrule_customer",
            &format!(
                "SELECT CAST(u.rule_id AS UNSIGNED), CAST(c.email AS BINARY), \
                 CAST(u.times_used AS UNSIGNED) FROM {uses} u \
                 JOIN {customers} c ON c.entity_id = u.customer_id \
                 WHERE u.times_used > 0 ORDER BY u.rule_customer_id"
            ),
        )
        .await?;
    Ok(grouped(rows.into_iter().map(|(rule, email, used)| {
        let email = String::from_utf8_lossy(&email).trim().to_lowercase();
        (rule, (email, u32::try_from(used).unwrap_or(u32::MAX)))
    })))
}

/// The sites of the store views of a rule's websites, in Comptoir's order.
fn rule_sites(stores: &Stores, websites: &[u64]) -> Vec<SiteCode> {
    SiteCode::ALL
        .into_iter()
        .filter(|site| {
            stores
                .mapped()
                .any(|(view, of)| of == *site && websites.contains(&view.website_id))
        })
        .collect()
}

/// One rule as Comptoir's, with notes on what changed on the way; or why it
/// cannot be.
fn map_rule(
    row: &RuleRow,
    facts: &RuleFacts<'_>,
    stores: &Stores,
) -> Result<(MigratedRule, Vec<String>), String> {
    let mut notes = Vec::new();
    if facts.sites.is_empty() {
        return Err("its websites feed no Comptoir site".to_owned());
    }
    let audience = audience(facts.groups, facts.all_groups, &mut notes)?;
    let conditions = match row.conditions.as_deref() {
        None | Some(b"") => CartConditions::default(),
        Some(text) => cart_conditions(&unserialize(text).map_err(|e| format!("conditions: {e}"))?)?,
    };
    let applies_to = match row.actions.as_deref() {
        None | Some(b"") => MagentoFilter::default(),
        Some(text) => {
            let actions = unserialize(text).map_err(|e| format!("actions: {e}"))?;
            holds_when_true(&actions, "actions")?;
            product_filter(&actions)?
        }
    };
    let discount = discount(row)?;
    let (filter, target) = lines(conditions.filter, applies_to, discount)?;
    if conditions.cart_quantity.is_some() && !filter.is_empty() {
        return Err(
            "it counts the whole cart's items and names products: Comptoir counts \
             the named products' items"
                .to_owned(),
        );
    }
    let free_shipping = row.free_shipping != 0;
    if row.free_shipping == 1 && !filter.is_empty() {
        notes.push(
            "free shipping of the matching items becomes free shipping of the order \
             when they are in the cart"
                .to_owned(),
        );
    }
    if row.apply_to_shipping != 0 && matches!(discount, Some(Discount::PercentOff(_))) {
        notes.push("its percentage no longer reduces shipping (Comptoir's never do)".to_owned());
    }
    if conditions.min_subtotal.is_some() {
        notes.push(
            "its minimum subtotal is compared with the cart's subtotal with VAT (Magento's \
             base subtotal may have been without): check it"
                .to_owned(),
        );
    }
    let (trigger, limits, codes) = trigger(row, facts.coupons, &mut notes)?;
    let (starts_at, ends_at) = (
        start_of(row.from_date.as_deref(), 0)?,
        start_of(row.to_date.as_deref(), 1)?,
    );
    let rule = Rule {
        id: 0,
        names: names(row, facts.labels, stores, &mut notes),
        sites: facts.sites.clone(),
        starts_at,
        ends_at,
        audience,
        priority: i32::try_from(row.sort_order).unwrap_or(i32::MAX),
        stop_further: row.stop_further != 0,
        conditions: Conditions {
            min_subtotal: conditions.min_subtotal,
            min_quantity: conditions.cart_quantity.or(conditions.matching_quantity),
            products: ProductFilter {
                skus: filter.skus,
                ..ProductFilter::default()
            },
            countries: conditions.countries,
        },
        action: Action {
            discount,
            target,
            free_shipping,
        },
        max_discount: None,
        trigger,
        limits,
        enabled: row.is_active != 0,
    };
    rule.check().map_err(|e| e.to_string())?;
    Ok((
        MigratedRule {
            magento_id: row.id,
            entity: entity_of(row),
            rule,
            categories: filter.categories,
            codes,
            customer_uses: Vec::new(),
        },
        notes,
    ))
}

/// Everyone when guests and registered customers both have it; logged-in
/// customers when only the latter; any other mix of groups is Magento's B2B side,
/// which Comptoir's promotions do not have yet.
fn audience(groups: &[u64], all: &[u64], notes: &mut Vec<String>) -> Result<Audience, String> {
    let has = |group| groups.contains(&group);
    let audience = match (has(NOT_LOGGED_IN), has(GENERAL)) {
        (true, true) => Audience::Everyone,
        (false, true) => Audience::Customers,
        _ if groups.is_empty() => return Err("it is for no customer group".to_owned()),
        _ => {
            let named: Vec<String> = groups.iter().map(u64::to_string).collect();
            return Err(format!(
                "it is only for customer groups {}: Comptoir's promotions are for everyone \
                 or for logged-in customers",
                named.join(", ")
            ));
        }
    };
    let left: Vec<String> = all
        .iter()
        .filter(|group| **group != NOT_LOGGED_IN && !has(**group))
        .map(u64::to_string)
        .collect();
    if !left.is_empty() {
        notes.push(format!(
            "Magento kept it from customer groups {}: Comptoir gives it to every {}",
            left.join(", "),
            if audience == Audience::Everyone {
                "shopper"
            } else {
                "logged-in customer"
            }
        ));
    }
    Ok(audience)
}

/// The discount of `simple_action`, none for free shipping alone.
fn discount(row: &RuleRow) -> Result<Option<Discount>, String> {
    let action = row.simple_action.as_deref().unwrap_or("by_percent");
    let value = row.discount_amount.trim();
    if decimal_is_zero(value) {
        if row.free_shipping == 0 {
            return Err("it gives nothing (no discount, no free shipping)".to_owned());
        }
        return Ok(None);
    }
    if !decimal_is_zero(&row.discount_qty) {
        return Err(format!(
            "it discounts at most {} items: Comptoir cannot cap discounted items (give it \
             a maximum discount instead)",
            trimmed_decimal(&row.discount_qty)
        ));
    }
    if action != "buy_x_get_y" && row.discount_step > 1 {
        return Err(format!(
            "it discounts items in steps of {}: Comptoir discounts every matching item",
            row.discount_step
        ));
    }
    let wrong = || format!("its discount '{value}' is not one Comptoir can give");
    match action {
        "by_percent" => Percent::parse(&trimmed_decimal(value))
            .map(|percent| Some(Discount::PercentOff(percent)))
            .ok_or_else(wrong),
        "cart_fixed" => amount(value, SiteCode::Es)
            .map(|money| Some(Discount::AmountOff(money)))
            .ok_or_else(wrong),
        "buy_x_get_y" => {
            let free: u32 = trimmed_decimal(value).parse().map_err(|_| wrong())?;
            let pay = u32::try_from(row.discount_step)
                .ok()
                .filter(|pay| *pay >= 1)
                .ok_or("buy X get Y free without an X")?;
            Ok(Some(Discount::TakePay {
                take: pay.checked_add(free).ok_or_else(wrong)?,
                pay,
            }))
        }
        "by_fixed" => Err(format!(
            "it takes {value} off each item: Comptoir takes an amount off the matching \
             lines together, or sells each at a fixed price"
        )),
        other => Err(format!("its action '{other}' is not Magento 1.9's")),
    }
}

/// Which lines the discount comes off, from the products the conditions name
/// and those the actions apply to.
fn lines(
    condition: Option<MagentoFilter>,
    applies_to: MagentoFilter,
    discount: Option<Discount>,
) -> Result<(MagentoFilter, Target), String> {
    let condition = condition.unwrap_or_default();
    if !applies_to.is_empty() {
        if !condition.is_empty() && condition != applies_to {
            return Err(
                "its conditions and its actions name different products: a Comptoir rule \
                 discounts the products it requires"
                    .to_owned(),
            );
        }
        return Ok((applies_to, Target::MatchingLines));
    }
    // The discount comes off every item: of the whole cart, when it holds the
    // products the conditions name.
    match discount {
        Some(Discount::AmountOff(_)) => Ok((condition, Target::WholeCart)),
        Some(Discount::PercentOff(_)) if !condition.is_empty() => {
            Ok((condition, Target::WholeCart))
        }
        Some(Discount::TakePay { .. } | Discount::FixedPrice(_)) if !condition.is_empty() => Err(
            "buy X get Y free on every item of a cart holding given products: Comptoir's \
             applies to the products named"
                .to_owned(),
        ),
        _ => Ok((condition, Target::MatchingLines)),
    }
}

/// How the rule is triggered, its limits and its codes with their uses.
fn trigger(
    row: &RuleRow,
    coupons: &[(Vec<u8>, u64, bool)],
    notes: &mut Vec<String>,
) -> Result<(Trigger, UseLimits, UsedCodes), String> {
    let limit = |value: i64| u32::try_from(value).ok().filter(|n| *n > 0);
    let used = |times: u64| u32::try_from(times).unwrap_or(u32::MAX);
    if row.coupon_type == NO_COUPON {
        if limit(row.uses_per_customer).is_some() {
            notes.push(format!(
                "its limit of {} uses per customer is dropped: Comptoir's rules without a code \
                 apply to every cart that qualifies",
                row.uses_per_customer
            ));
        }
        return Ok((Trigger::Automatic, UseLimits::default(), Vec::new()));
    }
    let limits = UseLimits {
        uses_total: limit(row.uses_per_coupon),
        uses_per_customer: limit(row.uses_per_customer),
    };
    if row.coupon_type == SPECIFIC_COUPON && row.auto_generation == 0 {
        let (code, times, _) = coupons
            .iter()
            .find(|(_, _, primary)| *primary)
            .or(coupons.first())
            .ok_or("its coupon code is missing")?;
        let text = String::from_utf8_lossy(code);
        let code = CouponCode::for_rule(&text)
            .map_err(|e| format!("its coupon code '{text}' cannot be typed in Comptoir: {e}"))?;
        return Ok((
            Trigger::SharedCode(code.clone()),
            limits,
            vec![(code, used(*times))],
        ));
    }
    let mut codes = Vec::with_capacity(coupons.len());
    let mut refused = 0;
    for (code, times, _) in coupons {
        match CouponCode::parse(&String::from_utf8_lossy(code)) {
            Ok(code) => codes.push((code, used(*times))),
            Err(_) => refused += 1,
        }
    }
    if refused > 0 {
        notes.push(format!(
            "{refused} of its generated codes cannot be typed in Comptoir: left out"
        ));
    }
    Ok((Trigger::GeneratedCodes, limits, codes))
}

/// Its label in each language: a store view's of a site with that language,
/// else the label of every store view (store 0), else the rule's name.
fn names(
    row: &RuleRow,
    labels: &[(u64, String)],
    stores: &Stores,
    notes: &mut Vec<String>,
) -> PerLocale<String> {
    let label = |store: u64| {
        labels
            .iter()
            .find(|(of, label)| *of == store && !label.trim().is_empty())
            .map(|(_, label)| label.trim().to_owned())
    };
    let fallback = label(0).unwrap_or_else(|| lossy(row.name.as_deref()).trim().to_owned());
    let mut shortened = false;
    let names = PerLocale::from_fn(|locale| {
        let name = stores
            .mapped()
            .filter(|(_, site)| site.locale() == locale)
            .find_map(|(view, _)| label(view.id))
            .unwrap_or_else(|| fallback.clone());
        if name.chars().count() > NAME_CHARS {
            shortened = true;
            return name.chars().take(NAME_CHARS).collect();
        }
        name
    });
    if shortened {
        notes.push(format!("its name is cut to {NAME_CHARS} characters"));
    }
    names
}

/// Midnight `days` after a Magento date (its `to_date` is its last day); none
/// for no date.
fn start_of(date: Option<&str>, days: u64) -> Result<Option<NaiveDateTime>, String> {
    let Some(text) = date.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let day = NaiveDate::parse_from_str(text.split(' ').next().unwrap_or(text), "%Y-%m-%d")
        .map_err(|_| format!("its date '{text}' is not one"))?;
    Ok(day
        .checked_add_days(chrono::Days::new(days))
        .and_then(|day| day.and_hms_opt(0, 0, 0)))
}

/// `20.0000` as `20`, `12.5000` as `12.5`.
fn trimmed_decimal(text: &str) -> String {
    let text = text.trim();
    if !text.contains('.') {
        return text.to_owned();
    }
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn decimal_is_zero(text: &str) -> bool {
    let text = trimmed_decimal(text);
    text.is_empty() || text == "0"
}

/// The products a rule names: in any of these categories (Magento's ids), and
/// with any of these SKUs; none of either is every product.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MagentoFilter {
    categories: Vec<u64>,
    skus: Vec<Sku>,
}

impl MagentoFilter {
    fn is_empty(&self) -> bool {
        self.categories.is_empty() && self.skus.is_empty()
    }
}

/// What a rule's conditions ask of the cart, as far as Comptoir can ask it.
#[derive(Debug, Default, PartialEq)]
struct CartConditions {
    min_subtotal: Option<Money>,
    /// Items in the whole cart.
    cart_quantity: Option<u32>,
    /// Items of the named products.
    matching_quantity: Option<u32>,
    /// Products the cart must hold.
    filter: Option<MagentoFilter>,
    countries: Vec<Country>,
}

fn kind(condition: &PhpValue) -> String {
    condition
        .get("type")
        .and_then(PhpValue::text)
        .unwrap_or_default()
}

fn field(condition: &PhpValue, name: &str) -> String {
    condition
        .get(name)
        .and_then(PhpValue::text)
        .unwrap_or_default()
}

/// Children of a combination, and whether any one of them is enough (else all
/// must hold).
fn children<'v>(combine: &'v PhpValue, what: &str) -> Result<(Vec<&'v PhpValue>, bool), String> {
    let children: Vec<&PhpValue> = combine
        .get("conditions")
        .map(|list| list.values().collect())
        .unwrap_or_default();
    let any = match field(combine, "aggregator").as_str() {
        "all" | "" => false,
        "any" => children.len() > 1,
        other => return Err(format!("its {what} are joined by '{other}'")),
    };
    Ok((children, any))
}

/// A combination that holds when its children are true (Magento's editor also
/// offers "are FALSE").
fn holds_when_true(combine: &PhpValue, what: &str) -> Result<(), String> {
    match field(combine, "value").as_str() {
        "1" | "" => Ok(()),
        _ => Err(format!("its {what} must all be false")),
    }
}

/// The cart conditions of `salesrule.conditions_serialized`.
fn cart_conditions(root: &PhpValue) -> Result<CartConditions, String> {
    let mut cart = CartConditions::default();
    holds_when_true(root, "conditions")?;
    let (conditions, any) = children(root, "conditions")?;
    if any {
        return Err("its conditions need only one of them to hold".to_owned());
    }
    for condition in conditions {
        let (attribute, operator, value) = (
            field(condition, "attribute"),
            field(condition, "operator"),
            field(condition, "value"),
        );
        let unmapped = || format!("its condition '{attribute} {operator} {value}'");
        match (kind(condition).as_str(), attribute.as_str()) {
            ("salesrule/rule_condition_address", "base_subtotal")
                if cart.min_subtotal.is_none() =>
            {
                let floor = amount(value.trim(), SiteCode::Es).ok_or_else(unmapped)?;
                cart.min_subtotal = Some(match operator.as_str() {
                    ">=" => floor,
                    ">" => Money::from_cents(floor.cents() + 1, floor.currency()),
                    _ => return Err(unmapped()),
                });
            }
            ("salesrule/rule_condition_address", "total_qty") if cart.cart_quantity.is_none() => {
                cart.cart_quantity = Some(at_least(&operator, &value).ok_or_else(unmapped)?);
            }
            ("salesrule/rule_condition_address", "country_id") if cart.countries.is_empty() => {
                if !matches!(operator.as_str(), "==" | "()") {
                    return Err(unmapped());
                }
                for code in value.split(',').map(str::trim) {
                    cart.countries.push(Country::parse(code).map_err(|_| {
                        format!("it ships to '{code}', which no Comptoir site sells to")
                    })?);
                }
            }
            ("salesrule/rule_condition_product_found", _) if cart.filter.is_none() => {
                if value != "1" {
                    return Err("it asks for products NOT in the cart".to_owned());
                }
                cart.filter = Some(product_filter(condition)?);
            }
            ("salesrule/rule_condition_product_subselect", "qty") if cart.filter.is_none() => {
                cart.matching_quantity = Some(at_least(&operator, &value).ok_or_else(unmapped)?);
                cart.filter = Some(product_filter(condition)?);
            }
            (kind, _) => {
                let kind = kind.trim_start_matches("salesrule/rule_condition_");
                return Err(format!(
                    "its condition '{kind} {attribute} {operator} {value}' has no Comptoir \
                     equivalent"
                ));
            }
        }
    }
    Ok(cart)
}

/// A whole number from `>= n` or `> n`.
fn at_least(operator: &str, value: &str) -> Option<u32> {
    let number: u32 = trimmed_decimal(value).parse().ok()?;
    match operator {
        ">=" => Some(number),
        ">" => number.checked_add(1),
        _ => None,
    }
}

/// The products a combination of product conditions names: categories and
/// SKUs, each at most once when all must hold, one kind when any may.
fn product_filter(combine: &PhpValue) -> Result<MagentoFilter, String> {
    let (conditions, any) = children(combine, "product conditions")?;
    let mut filter = MagentoFilter::default();
    let (mut categories, mut skus) = (0, 0);
    for condition in conditions {
        let (attribute, operator, value) = (
            field(condition, "attribute"),
            field(condition, "operator"),
            field(condition, "value"),
        );
        if kind(condition) != "salesrule/rule_condition_product"
            || !matches!(operator.as_str(), "==" | "()")
        {
            return Err(format!(
                "its product condition '{attribute} {operator} {value}' has no Comptoir \
                 equivalent"
            ));
        }
        let values = value.split(',').map(str::trim).filter(|v| !v.is_empty());
        match attribute.as_str() {
            "category_ids" => {
                categories += 1;
                for id in values {
                    filter.categories.push(
                        id.parse()
                            .map_err(|_| format!("'{id}' is not a category id"))?,
                    );
                }
            }
            "sku" => {
                skus += 1;
                for sku in values {
                    filter
                        .skus
                        .push(Sku::parse(sku).map_err(|e| format!("its SKU condition: {e}"))?);
                }
            }
            _ => {
                return Err(format!(
                    "its product condition on '{attribute}' has no Comptoir equivalent \
                     (categories and SKUs have)"
                ));
            }
        }
    }
    if any && categories > 0 && skus > 0 {
        return Err("its products are in given categories OR have given SKUs".to_owned());
    }
    if !any && (categories > 1 || skus > 1) {
        return Err("its products must be in several category lists at once".to_owned());
    }
    Ok(filter)
}

/// Leaves out the rules naming a category that is not `migrated`, reported: they
/// would match other products than they did.
pub fn naming_migrated_categories(
    rules: Vec<MigratedRule>,
    migrated: impl Fn(u64) -> bool,
    report: &mut Report,
) -> Vec<MigratedRule> {
    let read = rules.len();
    let kept: Vec<MigratedRule> = rules
        .into_iter()
        .filter(
            |rule| match rule.categories.iter().find(|c| !migrated(**c)) {
                Some(category) => {
                    report.problem(
                        &rule.entity,
                        format!("it names category {category}, which is not migrated: left out"),
                    );
                    false
                }
                None => true,
            },
        )
        .collect();
    report.counts("cart price rules").skipped += read - kept.len();
    kept
}

#[cfg(test)]
mod tests {
    use comptoir_domain::Locale;
    use comptoir_import::magento_products::StoreSites;

    use super::*;
    use crate::stores::StoreView;

    /// Text as PHP's `serialize()` writes it.
    fn serialized(value: &PhpValue) -> String {
        match value {
            PhpValue::Null => "N;".to_owned(),
            PhpValue::Bool(on) => format!("b:{};", u8::from(*on)),
            PhpValue::Int(number) => format!("i:{number};"),
            PhpValue::Float(number) => format!("d:{number};"),
            PhpValue::String(text) => format!("s:{}:\"{text}\";", text.len()),
            PhpValue::Array(entries) => {
                let inner: String = entries
                    .iter()
                    .map(|(key, value)| {
                        let key = match key.parse::<i64>() {
                            Ok(number) => PhpValue::Int(number),
                            Err(_) => PhpValue::String(key.clone()),
                        };
                        serialized(&key) + &serialized(value)
                    })
                    .collect();
                format!("a:{}:{{{inner}}}", entries.len())
            }
        }
    }

    fn text(value: &str) -> PhpValue {
        PhpValue::String(value.to_owned())
    }

    /// One condition on `attribute`, as Magento's rule editor saves it.
    fn condition(kind: &str, attribute: &str, operator: &str, value: &str) -> PhpValue {
        PhpValue::Array(vec![
            (
                "type".into(),
                text(&format!("salesrule/rule_condition_{kind}")),
            ),
            ("attribute".into(), text(attribute)),
            ("operator".into(), text(operator)),
            ("value".into(), text(value)),
            ("is_value_processed".into(), PhpValue::Bool(false)),
        ])
    }

    /// A combination of `children` (`combine`, `product_found`, ...).
    fn combine(kind: &str, aggregator: &str, value: &str, children: Vec<PhpValue>) -> PhpValue {
        let mut entries = vec![
            (
                "type".into(),
                text(&format!("salesrule/rule_condition_{kind}")),
            ),
            ("attribute".into(), PhpValue::Null),
            ("operator".into(), PhpValue::Null),
            ("value".into(), text(value)),
            ("is_value_processed".into(), PhpValue::Null),
            ("aggregator".into(), text(aggregator)),
        ];
        if !children.is_empty() {
            let list = children
                .into_iter()
                .enumerate()
                .map(|(at, child)| (at.to_string(), child))
                .collect();
            entries.push(("conditions".into(), PhpValue::Array(list)));
        }
        PhpValue::Array(entries)
    }

    fn conditions_of(children: Vec<PhpValue>) -> Result<CartConditions, String> {
        let root = serialized(&combine("combine", "all", "1", children));
        cart_conditions(&unserialize(root.as_bytes()).unwrap())
    }

    fn in_categories(ids: &str) -> PhpValue {
        condition("product", "category_ids", "()", ids)
    }

    #[test]
    fn cart_conditions_become_comptoirs() {
        let cart = conditions_of(vec![
            condition("address", "base_subtotal", ">", "39"),
            condition("address", "country_id", "()", "ES, PT"),
            combine(
                "product_found",
                "all",
                "1",
                vec![
                    in_categories("12, 15"),
                    condition("product", "sku", "==", "wig-1"),
                ],
            ),
        ])
        .unwrap();
        assert_eq!(cart.min_subtotal, Some(Money::eur(39_01)), "more than 39");
        assert_eq!(cart.countries, [Country::Es, Country::Pt]);
        assert_eq!(cart.matching_quantity, None);
        let filter = cart.filter.unwrap();
        assert_eq!(filter.categories, [12, 15]);
        assert_eq!(filter.skus, [Sku::parse("WIG-1").unwrap()]);

        let mut subselect = condition("product_subselect", "qty", ">=", "3");
        let PhpValue::Array(entries) = &mut subselect else {
            unreachable!()
        };
        entries.push(("aggregator".into(), text("all")));
        entries.push((
            "conditions".into(),
            PhpValue::Array(vec![("0".into(), in_categories("12"))]),
        ));
        let cart = conditions_of(vec![subselect]).unwrap();
        assert_eq!(cart.matching_quantity, Some(3));
        assert_eq!(cart.filter.unwrap().categories, [12]);
    }

    #[test]
    fn conditions_comptoir_would_read_otherwise_are_told() {
        for (children, why) in [
            (
                vec![condition("address", "base_subtotal", "<", "50")],
                "its condition 'base_subtotal < 50'",
            ),
            (
                vec![condition("address", "payment_method", "==", "checkmo")],
                "its condition 'address payment_method == checkmo' has no Comptoir equivalent",
            ),
            (
                vec![condition("address", "country_id", "==", "DE")],
                "it ships to 'DE', which no Comptoir site sells to",
            ),
            (
                vec![combine(
                    "product_found",
                    "all",
                    "0",
                    vec![in_categories("12")],
                )],
                "it asks for products NOT in the cart",
            ),
            (
                vec![combine(
                    "product_found",
                    "all",
                    "1",
                    vec![condition("product", "color", "==", "24")],
                )],
                "its product condition on 'color' has no Comptoir equivalent (categories and SKUs have)",
            ),
            (
                vec![combine(
                    "product_found",
                    "any",
                    "1",
                    vec![in_categories("12"), condition("product", "sku", "==", "W")],
                )],
                "its products are in given categories OR have given SKUs",
            ),
            (
                vec![combine(
                    "product_found",
                    "all",
                    "1",
                    vec![in_categories("12"), in_categories("15")],
                )],
                "its products must be in several category lists at once",
            ),
            (
                vec![combine(
                    "product_found",
                    "all",
                    "1",
                    vec![condition("product", "category_ids", "!()", "12")],
                )],
                "its product condition 'category_ids !() 12' has no Comptoir equivalent",
            ),
        ] {
            assert_eq!(conditions_of(children).unwrap_err(), why);
        }
        let any = serialized(&combine(
            "combine",
            "any",
            "1",
            vec![
                condition("address", "base_subtotal", ">=", "39"),
                condition("address", "total_qty", ">=", "3"),
            ],
        ));
        assert_eq!(
            cart_conditions(&unserialize(any.as_bytes()).unwrap()).unwrap_err(),
            "its conditions need only one of them to hold"
        );
        let alone = serialized(&combine(
            "combine",
            "any",
            "1",
            vec![condition("address", "total_qty", ">", "2")],
        ));
        assert_eq!(
            cart_conditions(&unserialize(alone.as_bytes()).unwrap())
                .unwrap()
                .cart_quantity,
            Some(3),
            "any of one condition is that condition"
        );
    }

    fn row() -> RuleRow {
        RuleRow {
            id: 7,
            name: Some(b"Halloween".to_vec()),
            from_date: Some("2026-10-15".to_owned()),
            to_date: Some("2026-10-31".to_owned()),
            uses_per_customer: 0,
            is_active: 1,
            conditions: None,
            actions: None,
            stop_further: 0,
            sort_order: 2,
            simple_action: Some("by_percent".to_owned()),
            discount_amount: "20.0000".to_owned(),
            discount_qty: "0.0000".to_owned(),
            discount_step: 0,
            free_shipping: 0,
            apply_to_shipping: 0,
            coupon_type: NO_COUPON,
            auto_generation: 0,
            uses_per_coupon: 0,
        }
    }

    fn stores() -> Stores {
        let view = |id, code: &str, site| StoreView {
            id,
            code: code.to_owned(),
            website_id: 1,
            site: Some(site),
        };
        Stores {
            views: vec![view(1, "es", SiteCode::Es), view(2, "fr", SiteCode::Fr)],
            sites: StoreSites::default(),
        }
    }

    fn mapped(
        row: &RuleRow,
        coupons: &[(Vec<u8>, u64, bool)],
    ) -> Result<(Rule, Vec<String>), String> {
        let stores = stores();
        let facts = RuleFacts {
            sites: rule_sites(&stores, &[1]),
            groups: &[0, 1, 2],
            all_groups: &[0, 1, 2],
            labels: &[
                (0, "Halloween -20 %".to_owned()),
                (2, "Halloween -20 % FR".to_owned()),
            ],
            coupons,
        };
        map_rule(row, &facts, &stores).map(|(migrated, notes)| (migrated.rule, notes))
    }

    #[test]
    fn a_percentage_for_everyone_is_an_automatic_rule_on_the_websites_sites() {
        let (rule, notes) = mapped(&row(), &[]).unwrap();
        assert_eq!(rule.sites, [SiteCode::Es, SiteCode::Fr]);
        assert_eq!(rule.audience, Audience::Everyone);
        assert_eq!(rule.trigger, Trigger::Automatic);
        assert_eq!(
            rule.action.discount,
            Some(Discount::PercentOff(Percent::parse("20").unwrap()))
        );
        assert_eq!(rule.name(Locale::Es), "Halloween -20 %");
        assert_eq!(rule.name(Locale::Fr), "Halloween -20 % FR");
        assert_eq!(rule.priority, 2);
        assert_eq!(
            (
                rule.starts_at.unwrap().to_string(),
                rule.ends_at.unwrap().to_string()
            ),
            (
                "2026-10-15 00:00:00".to_owned(),
                "2026-11-01 00:00:00".to_owned()
            ),
            "its last day is whole"
        );
        assert!(rule.is_price_reduction(), "{rule:?}");
        assert!(notes.is_empty(), "{notes:?}");
    }

    #[test]
    fn coupons_bring_their_codes_limits_and_uses() {
        let mut shared = row();
        (
            shared.coupon_type,
            shared.uses_per_coupon,
            shared.uses_per_customer,
        ) = (SPECIFIC_COUPON, 100, 1);
        let coupons = [(b"bruja10".to_vec(), 37, true)];
        let stores = stores();
        let facts = RuleFacts {
            sites: vec![SiteCode::Es],
            groups: &[0, 1],
            all_groups: &[0, 1],
            labels: &[],
            coupons: &coupons,
        };
        let (migrated, _) = map_rule(&shared, &facts, &stores).unwrap();
        let code = CouponCode::parse("BRUJA10").unwrap();
        assert_eq!(migrated.rule.trigger, Trigger::SharedCode(code.clone()));
        assert_eq!(migrated.codes, [(code, 37)]);
        assert_eq!(
            migrated.rule.limits,
            UseLimits {
                uses_total: Some(100),
                uses_per_customer: Some(1)
            }
        );
        assert_eq!(
            migrated.rule.name(Locale::Es),
            "Halloween",
            "no label: its name"
        );

        let mut generated = row();
        (generated.coupon_type, generated.uses_per_coupon) = (3, 1);
        let coupons = [
            (b"HW-AB12".to_vec(), 1, false),
            (b"HW CD34".to_vec(), 0, false),
        ];
        let (rule, notes) = mapped(&generated, &coupons).unwrap();
        assert_eq!(rule.trigger, Trigger::GeneratedCodes);
        assert_eq!(
            notes,
            ["1 of its generated codes cannot be typed in Comptoir: left out"]
        );

        let mut automatic_with_limit = row();
        automatic_with_limit.uses_per_customer = 1;
        let (_, notes) = mapped(&automatic_with_limit, &[]).unwrap();
        assert!(notes[0].starts_with("its limit of 1 uses per customer is dropped"));

        let mut unreadable = row();
        unreadable.coupon_type = SPECIFIC_COUPON;
        assert_eq!(
            mapped(&unreadable, &[(b"10% OFF".to_vec(), 0, true)]).unwrap_err(),
            "its coupon code '10% OFF' cannot be typed in Comptoir: a code holds only letters, \
             digits, '-' and '_'"
        );
    }

    #[test]
    fn actions_become_discounts_or_are_told() {
        let with = |change: &dyn Fn(&mut RuleRow)| {
            let mut row = row();
            change(&mut row);
            mapped(&row, &[])
        };
        let three_for_two = with(&|row| {
            row.simple_action = Some("buy_x_get_y".to_owned());
            (row.discount_amount, row.discount_step) = ("1.0000".to_owned(), 2);
        })
        .unwrap()
        .0;
        assert_eq!(
            three_for_two.action.discount,
            Some(Discount::TakePay { take: 3, pay: 2 })
        );
        let cart_fixed = with(&|row| {
            row.simple_action = Some("cart_fixed".to_owned());
            row.discount_amount = "5.5000".to_owned();
        })
        .unwrap()
        .0;
        assert_eq!(
            cart_fixed.action.discount,
            Some(Discount::AmountOff(Money::eur(550)))
        );
        assert_eq!(cart_fixed.action.target, Target::WholeCart);
        let shipping = with(&|row| {
            row.discount_amount = "0.0000".to_owned();
            row.free_shipping = 2;
        })
        .unwrap()
        .0;
        assert_eq!(
            (shipping.action.discount, shipping.action.free_shipping),
            (None, true)
        );

        for (change, why) in [
            (
                &(|row: &mut RuleRow| row.simple_action = Some("by_fixed".to_owned()))
                    as &dyn Fn(&mut RuleRow),
                "it takes 20.0000 off each item: Comptoir takes an amount off the matching \
                 lines together, or sells each at a fixed price",
            ),
            (
                &|row: &mut RuleRow| row.discount_qty = "2.0000".to_owned(),
                "it discounts at most 2 items: Comptoir cannot cap discounted items (give it a \
                 maximum discount instead)",
            ),
            (
                &|row: &mut RuleRow| row.discount_step = 3,
                "it discounts items in steps of 3: Comptoir discounts every matching item",
            ),
            (
                &|row: &mut RuleRow| row.discount_amount = "150.0000".to_owned(),
                "its discount '150.0000' is not one Comptoir can give",
            ),
            (
                &|row: &mut RuleRow| row.discount_amount = "0.0000".to_owned(),
                "it gives nothing (no discount, no free shipping)",
            ),
            (
                &|row: &mut RuleRow| {
                    row.from_date = Some("2026-11-01".to_owned());
                },
                "ends_at: the end is before the start",
            ),
            (
                &|row: &mut RuleRow| row.conditions = Some(b"a:1:{".to_vec()),
                "conditions: not PHP's serialised format at byte 5: a value is missing",
            ),
        ] {
            assert_eq!(with(change).unwrap_err(), why);
        }
    }

    #[test]
    fn the_lines_a_discount_comes_off_follow_conditions_and_actions() {
        let wigs = MagentoFilter {
            categories: vec![12],
            skus: Vec::new(),
        };
        let masks = MagentoFilter {
            categories: vec![15],
            skus: Vec::new(),
        };
        let percent = Some(Discount::PercentOff(Percent::parse("10").unwrap()));
        assert_eq!(
            lines(Some(wigs.clone()), wigs.clone(), percent),
            Ok((wigs.clone(), Target::MatchingLines))
        );
        assert_eq!(
            lines(None, wigs.clone(), percent),
            Ok((wigs.clone(), Target::MatchingLines))
        );
        assert_eq!(
            lines(Some(wigs.clone()), MagentoFilter::default(), percent),
            Ok((wigs.clone(), Target::WholeCart)),
            "a cart holding a wig: 10 % off all of it"
        );
        assert!(lines(Some(wigs.clone()), masks, percent).is_err());
        let take_pay = Some(Discount::TakePay { take: 3, pay: 2 });
        assert!(lines(Some(wigs), MagentoFilter::default(), take_pay).is_err());
    }

    #[test]
    fn audiences_are_everyone_or_customers() {
        let mut notes = Vec::new();
        assert_eq!(
            audience(&[0, 1, 2, 3], &[0, 1, 2, 3], &mut notes),
            Ok(Audience::Everyone)
        );
        assert!(notes.is_empty());
        assert_eq!(
            audience(&[1], &[0, 1, 2], &mut notes),
            Ok(Audience::Customers)
        );
        assert_eq!(
            notes,
            [
                "Magento kept it from customer groups 2: Comptoir gives it to every logged-in customer"
            ]
        );
        assert_eq!(
            audience(&[2], &[0, 1, 2], &mut notes).unwrap_err(),
            "it is only for customer groups 2: Comptoir's promotions are for everyone or for \
             logged-in customers"
        );
        assert_eq!(
            audience(&[], &[0, 1], &mut notes).unwrap_err(),
            "it is for no customer group"
        );
    }
}
