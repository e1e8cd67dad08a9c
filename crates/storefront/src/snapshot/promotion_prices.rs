//! Prices lowered by promotions, as pages announce them (Directive 98/6/EC art. 6a):
//! a rule that lowers prices for everyone, without a code or a condition on the
//! cart, shows each of its products at the lowered price against the lowest price
//! of the 30 days before the rule started (one without a start date started when
//! it was created).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use comptoir_domain::local_time::TimeZone;
use comptoir_domain::price_history::{REFERENCE_PERIOD, lowest_price_between};
use comptoir_domain::promotions::{LineFacts, Rule};
use comptoir_domain::{Money, Product, ProductId, SiteCode};
use comptoir_store::ShopStore;

use super::Snapshot;

/// Per product and site, the rules lowering its price (by their id, in priority
/// order) with the price each reduction is announced against: a price tag looks
/// only at the rules of its own product.
pub type PromotionReferences = HashMap<(ProductId, SiteCode), Vec<(i64, Money)>>;

/// A product as a rule's filter sees it: its first variant, its categories with
/// their ancestors, its theme, gender and age group.
fn product_facts(snapshot: &Snapshot, product: &Product) -> Option<LineFacts> {
    let variant = product.variants.first()?;
    let mut attributes = Vec::new();
    if let Some(gender) = product.gender {
        attributes.push(("gender".to_owned(), gender.as_str().to_owned()));
    }
    if let Some(age_group) = product.age_group {
        attributes.push(("age_group".to_owned(), age_group.as_str().to_owned()));
    }
    Some(LineFacts {
        sku: variant.sku.clone(),
        product_sku: product.sku.clone(),
        categories: snapshot.category_ids_with_ancestors(product),
        theme: product.theme.clone(),
        attributes,
        unit_price: Money::eur(0),
        quantity: 1,
    })
}

/// The references of every product each price-lowering rule of `snapshot` lowers.
pub async fn load(
    store: &dyn ShopStore,
    snapshot: &Snapshot,
    now: DateTime<Utc>,
) -> comptoir_store::Result<PromotionReferences> {
    references_of(store, snapshot, snapshot.products(), now).await
}

/// `snapshot`'s references with those of products `ids` made again: a product
/// repriced, placed elsewhere or new may be lowered otherwise (a rule starting
/// later reads the prices of the days before it, which a change now is among).
pub async fn refreshed(
    store: &dyn ShopStore,
    snapshot: &Snapshot,
    ids: &[ProductId],
    now: DateTime<Utc>,
) -> comptoir_store::Result<PromotionReferences> {
    let changed: HashSet<ProductId> = ids.iter().copied().collect();
    let mut references = snapshot.promotion_references().clone();
    references.retain(|(id, _), _| !changed.contains(id));
    let products = ids
        .iter()
        .filter_map(|id| snapshot.product(snapshot.product_by_id(*id)?));
    references.extend(references_of(store, snapshot, products, now).await?);
    Ok(references)
}

/// The references of `products` that `snapshot`'s price-lowering rules lower.
async fn references_of<'p>(
    store: &dyn ShopStore,
    snapshot: &Snapshot,
    products: impl Iterator<Item = &'p Product>,
    now: DateTime<Utc>,
) -> comptoir_store::Result<PromotionReferences> {
    let rules: Vec<&Rule> = snapshot
        .promotions()
        .iter()
        .filter(|rule| rule.enabled && rule.is_price_reduction())
        .collect();
    if rules.is_empty() {
        return Ok(PromotionReferences::new());
    }
    let mut lowered: Vec<(&Product, SiteCode, &Rule)> = Vec::new();
    for product in products {
        let Some(facts) = product_facts(snapshot, product) else {
            continue;
        };
        for rule in &rules {
            if facts.matches(&rule.conditions.products) {
                lowered.extend(
                    rule.sites
                        .iter()
                        .filter(|site| product.site(**site).is_some())
                        .map(|site| (product, *site, *rule)),
                );
            }
        }
    }
    let mut ids: Vec<ProductId> = lowered.iter().map(|(product, _, _)| product.id).collect();
    ids.sort_unstable_by_key(|id| id.0);
    ids.dedup();
    let (histories, created) = if ids.is_empty() {
        (HashMap::new(), HashMap::new())
    } else {
        (
            store.offer_histories(&ids).await?,
            store.promotion_creation_times().await?,
        )
    };
    let mut references = PromotionReferences::new();
    for (product, site, rule) in lowered {
        // The rule's start on the site's clock; one without a start began when it
        // was created.
        let began = match rule.starts_at {
            Some(start) => TimeZone::of_site(site).instant_of(start),
            None => created.get(&rule.id).copied().unwrap_or(now),
        };
        let before = histories
            .get(&(product.id, site))
            .and_then(|versions| lowest_price_between(versions, began - REFERENCE_PERIOD, began));
        // Without a recorded history, the price as it stands is the one it had.
        let reference = before.or_else(|| product.site(site).map(|offer| offer.effective(now)));
        if let Some(reference) = reference {
            references
                .entry((product.id, site))
                .or_default()
                .push((rule.id, reference));
        }
    }
    Ok(references)
}
