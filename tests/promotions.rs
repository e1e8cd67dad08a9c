//! Promotions on both backends: rules stored as written, codes' limits exact under
//! concurrency, and uses given back by orders that were never paid.

use std::sync::Arc;

use comptoir_domain::promotions::{
    Action, Audience, Conditions, CouponCode, Discount, Percent, ProductFilter, Rule, Target,
    Trigger, UseLimits,
};
use comptoir_domain::{CategoryId, Money, PerLocale, SiteCode, Sku};
use comptoir_e2e::{TestStore, on_both_backends, test_order};
use comptoir_store::{Actor, NewOrder, NewOrderPromotion, PromotionOutcome, StoreError};

on_both_backends! {
    rules_are_stored_as_written,
    a_code_with_ten_uses_gives_exactly_ten_discounted_orders,
    a_customer_uses_a_code_as_often_as_allowed_and_an_unpaid_order_gives_it_back,
}

fn code(text: &str) -> CouponCode {
    CouponCode::for_rule(text).unwrap()
}

/// 15 % off wigs with the code `text`, on the Spanish site.
fn coded_rule(text: &str, limits: UseLimits) -> Rule {
    Rule {
        id: 0,
        names: PerLocale([
            "Pelucas 15 %".into(),
            "Perruques".into(),
            String::new(),
            String::new(),
        ]),
        sites: vec![SiteCode::Es],
        starts_at: None,
        ends_at: None,
        audience: Audience::Everyone,
        priority: 0,
        stop_further: false,
        conditions: Conditions::default(),
        action: Action {
            discount: Some(Discount::PercentOff(Percent::parse("15").unwrap())),
            target: Target::MatchingLines,
            free_shipping: false,
        },
        max_discount: None,
        trigger: Trigger::SharedCode(code(text)),
        limits,
        enabled: true,
    }
}

async fn create(t: &TestStore, rule: &Rule) -> i64 {
    match t
        .store
        .create_promotion(rule, &Actor::command_line())
        .await
        .unwrap()
    {
        PromotionOutcome::Saved { id } => id,
        other => panic!("{other:?}"),
    }
}

/// An order of one wig by `email`, with the code `text` of rule `rule_id`.
fn with_code(key: &str, email: &str, rule_id: i64, text: &str) -> NewOrder {
    let mut order = test_order(key, &[("PEL-AFRO-MULTI", 1)]);
    order.email = email.to_owned();
    order.discount_cents = 150;
    order.total_cents -= 150;
    order.promotions = vec![NewOrderPromotion {
        rule_id,
        name: "Pelucas 15 %".to_owned(),
        code: Some(code(text)),
        amount_cents: 150,
        free_shipping: false,
    }];
    order
}

async fn rules_are_stored_as_written(t: TestStore) {
    let at = |text: &str| chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
    let everything = Rule {
        id: 0,
        names: PerLocale::from_fn(|l| format!("Halloween {l}")),
        sites: vec![SiteCode::Es, SiteCode::Pt],
        starts_at: Some(at("2026-10-31 00:00")),
        ends_at: Some(at("2026-11-02 23:59")),
        audience: Audience::Customers,
        priority: -3,
        stop_further: true,
        conditions: Conditions {
            min_subtotal: Some(Money::eur(3_900)),
            min_quantity: Some(3),
            products: ProductFilter {
                categories: vec![CategoryId(4), CategoryId(9)],
                themes: vec!["halloween".into()],
                skus: vec![Sku::parse("PEL-AFRO").unwrap()],
                attributes: vec![
                    ("gender".into(), "women".into()),
                    ("size".into(), "XL".into()),
                ],
            },
            countries: vec![comptoir_domain::destination::Country::Pt],
        },
        action: Action {
            discount: Some(Discount::TakePay { take: 3, pay: 2 }),
            target: Target::MatchingLines,
            free_shipping: true,
        },
        max_discount: Some(Money::eur(2_000)),
        trigger: Trigger::GeneratedCodes,
        limits: UseLimits {
            uses_total: Some(1),
            uses_per_customer: Some(2),
        },
        enabled: false,
    };
    let id = create(&t, &everything).await;
    let shared = coded_rule("BRUJA", UseLimits::default());
    let shared_id = create(&t, &shared).await;
    let stored = t.store.promotion_rules().await.unwrap();
    assert_eq!(
        stored,
        [
            Rule { id, ..everything },
            Rule {
                id: shared_id,
                ..shared
            }
        ]
    );
    // A code belongs to one rule: typed in another case, it is the same code.
    let again = coded_rule("bruja", UseLimits::default());
    assert_eq!(
        t.store
            .create_promotion(&again, &Actor::command_line())
            .await
            .unwrap(),
        PromotionOutcome::CodeTaken(code("BRUJA"))
    );
    let codes: Vec<CouponCode> = (0..100).map(|n| code(&format!("HAL-{n:04}"))).collect();
    let added = t
        .store
        .add_promotion_codes(id, &codes, &Actor::command_line())
        .await
        .unwrap();
    assert_eq!(added, 100);
    let added = t
        .store
        .add_promotion_codes(id, &codes[..10], &Actor::command_line())
        .await
        .unwrap();
    assert_eq!(added, 0, "codes that exist are skipped");
    let found = t
        .store
        .find_code(&code("hal-0042"), None)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.rule_id, id);
    assert!(
        t.store
            .find_code(&code("NADA"), None)
            .await
            .unwrap()
            .is_none()
    );
    assert!(matches!(
        t.store
            .add_promotion_codes(id + 1_000, &codes, &Actor::command_line())
            .await,
        Err(StoreError::NotFound(_))
    ));
}

async fn a_code_with_ten_uses_gives_exactly_ten_discounted_orders(t: TestStore) {
    let limits = UseLimits {
        uses_total: Some(10),
        uses_per_customer: None,
    };
    let rule_id = create(&t, &coded_rule("DIEZ", limits)).await;
    let store: Arc<dyn comptoir_store::Store> = t.store.clone();
    let placing: Vec<_> = (0..50)
        .map(|n| {
            let store = store.clone();
            let order = with_code(
                &format!("race-{n}"),
                &format!("c{n}@example.es"),
                rule_id,
                "DIEZ",
            );
            tokio::spawn(async move { store.place_order(&order, &|_| None).await })
        })
        .collect();
    let mut placed = 0;
    let mut used_up = 0;
    for placing in placing {
        match placing.await.unwrap() {
            Ok(_) => placed += 1,
            Err(StoreError::PromotionUsedUp { code }) => {
                assert_eq!(code, "DIEZ");
                used_up += 1;
            }
            Err(other) => panic!("{other}"),
        }
    }
    assert_eq!((placed, used_up), (10, 40));
    let found = t
        .store
        .find_code(&code("diez"), None)
        .await
        .unwrap()
        .unwrap();
    assert!(found.used_up);
    // The refused orders wrote nothing: stock went for ten wigs only.
    assert_eq!(t.stock_of("PEL-AFRO-MULTI").await, 40 - 10);
}

async fn a_customer_uses_a_code_as_often_as_allowed_and_an_unpaid_order_gives_it_back(
    t: TestStore,
) {
    let limits = UseLimits {
        uses_total: None,
        uses_per_customer: Some(1),
    };
    let rule_id = create(&t, &coded_rule("UNAVEZ", limits)).await;
    let first = t
        .store
        .place_order(
            &with_code("ana-1", "ana@example.es", rule_id, "UNAVEZ"),
            &|_| None,
        )
        .await
        .unwrap();
    let again = t
        .store
        .place_order(
            &with_code("ana-2", "Ana@Example.es", rule_id, "UNAVEZ"),
            &|_| None,
        )
        .await;
    assert!(
        matches!(again, Err(StoreError::PromotionUsedUp { .. })),
        "{again:?}"
    );
    let found = t
        .store
        .find_code(&code("UNAVEZ"), Some("ana@example.es"))
        .await
        .unwrap();
    assert!(found.unwrap().used_up);
    let other = t
        .store
        .find_code(&code("UNAVEZ"), Some("bea@example.es"))
        .await
        .unwrap();
    assert!(!other.unwrap().used_up);
    let order = t.store.order(first.id).await.unwrap().unwrap();
    assert_eq!(order.promotions.len(), 1);
    assert_eq!(order.promotions[0].code.as_deref(), Some("UNAVEZ"));
    assert_eq!(order.promotions[0].amount_cents, 150);
    // Never paid, the order expires: Ana may use the code again.
    let later = chrono::Utc::now() + chrono::Duration::seconds(5);
    assert_eq!(
        t.store.expire_unpaid_orders("card", later).await.unwrap(),
        1
    );
    let found = t
        .store
        .find_code(&code("UNAVEZ"), Some("ana@example.es"))
        .await
        .unwrap();
    assert!(!found.unwrap().used_up);
    assert_eq!(
        t.store.expire_unpaid_orders("card", later).await.unwrap(),
        0
    );
    t.store
        .place_order(
            &with_code("ana-3", "ana@example.es", rule_id, "UNAVEZ"),
            &|_| None,
        )
        .await
        .unwrap();
}
