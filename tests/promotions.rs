//! Promotions on both backends: rules stored as written, codes' limits exact under
//! concurrency, and uses given back by orders that were never paid.

use std::sync::Arc;
use std::time::Duration;

use comptoir_domain::promotions::{
    Action, Audience, Conditions, CouponCode, Discount, Percent, ProductFilter, Rule, Target,
    Trigger, UseLimits,
};
use comptoir_domain::staff::Role;
use comptoir_domain::{CategoryId, Money, PerLocale, SiteCode, Sku};
use comptoir_e2e::{
    TestStore, backoffice_config, coded_promotion, default_networks, on_both_backends, post_file,
    spawn_app, spawn_backoffice, test_order,
};
use comptoir_store::{Actor, NewOrder, NewOrderPromotion, PromotionOutcome, StoreError};

on_both_backends! {
    rules_are_stored_as_written,
    a_code_with_ten_uses_gives_exactly_ten_discounted_orders,
    a_customer_uses_a_code_as_often_as_allowed_and_an_unpaid_order_gives_it_back,
    marketing_staff_write_rules_and_others_only_read_them,
    a_reduction_for_everyone_shows_on_the_page_against_its_reference,
}

fn code(text: &str) -> CouponCode {
    CouponCode::for_rule(text).unwrap()
}

/// 15 % off the lines of every product with the code `text`, on the Spanish site.
fn coded_rule(text: &str, limits: UseLimits) -> Rule {
    let mut rule = coded_promotion(
        "Pelucas 15 %",
        text,
        Discount::PercentOff(Percent::parse("15").unwrap()),
    );
    rule.names = PerLocale([
        "Pelucas 15 %".into(),
        "Perruques".into(),
        String::new(),
        String::new(),
    ]);
    rule.action.target = Target::MatchingLines;
    rule.limits = limits;
    rule
}

async fn create(t: &TestStore, rule: &Rule) -> i64 {
    let created = t
        .store
        .create_promotions(std::slice::from_ref(rule), &Actor::command_line())
        .await
        .unwrap();
    match created {
        PromotionOutcome::Created(ids) => ids[0],
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
    // A code belongs to one rule: typed in another case, it is the same code; the
    // rules given with it are not created either.
    let fresh = coded_rule("NUEVO", UseLimits::default());
    let again = coded_rule("bruja", UseLimits::default());
    assert_eq!(
        t.store
            .create_promotions(&[fresh, again], &Actor::command_line())
            .await
            .unwrap(),
        PromotionOutcome::CodeTaken(code("BRUJA"))
    );
    assert_eq!(t.store.promotion_rules().await.unwrap().len(), 2);
    assert!(
        t.store
            .find_code(&code("NUEVO"), None)
            .await
            .unwrap()
            .is_none()
    );
    let codes: Vec<CouponCode> = (0..100).map(|n| code(&format!("HAL-{n:04}"))).collect();
    let added = t
        .store
        .add_promotion_codes(id, &codes, &Actor::command_line())
        .await
        .unwrap();
    assert_eq!(added.len(), 100);
    let added = t
        .store
        .add_promotion_codes(id, &codes[..10], &Actor::command_line())
        .await
        .unwrap();
    assert!(added.is_empty(), "codes that exist are skipped");
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

/// The rule form's fields for 3 × 2 on a wig, automatic, on the Spanish site.
fn three_for_two_form() -> Vec<(&'static str, &'static str)> {
    vec![
        ("name", "Pelucas 3x2"),
        ("site", "es"),
        ("enabled", "yes"),
        ("audience", "everyone"),
        ("priority", "0"),
        ("skus", "PEL-AFRO-MULTI"),
        ("discount", "take_pay"),
        ("take", "3"),
        ("pay", "2"),
        ("target", "matching_lines"),
        ("trigger", "automatic"),
    ]
}

async fn marketing_staff_write_rules_and_others_only_read_them(t: TestStore) {
    let app = spawn_backoffice(
        t,
        backoffice_config(default_networks(), std::time::Duration::from_secs(3600)),
    )
    .await;
    app.add_staff("marketing@comptoir.test", Role::Marketing)
        .await;
    app.add_staff("support@comptoir.test", Role::Support).await;
    let support = app.logged_in("support@comptoir.test").await;
    assert_eq!(support.get("/promotions").await.status, 200);
    assert_eq!(support.get("/promotions/new").await.status, 403);
    assert_eq!(
        support
            .post("/promotions", &three_for_two_form())
            .await
            .status,
        403
    );

    let marketing = app.logged_in("marketing@comptoir.test").await;
    assert_eq!(marketing.get("/promotions/new").await.status, 200);
    // Bad input: a clear message, nothing saved.
    let mut wrong = three_for_two_form();
    wrong.retain(|(name, _)| *name != "discount");
    wrong.extend([("discount", "percent_off"), ("discount_value", "150")]);
    let refused = marketing.post("/promotions", &wrong).await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.body.contains("percent_off: &#39;150&#39;")
            || refused.body.contains("percent_off: '150'"),
        "{}",
        refused.body
    );
    assert!(app.db.store.promotion_rules().await.unwrap().is_empty());

    marketing.get("/promotions/new").await;
    let created = marketing.post("/promotions", &three_for_two_form()).await;
    assert_eq!(created.status, 303, "{}", created.body);
    let path = created.location_path();
    let id: i64 = path
        .trim_start_matches("/promotions/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let stored = app.db.store.promotion_rules().await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(
        stored[0].action.discount,
        Some(Discount::TakePay { take: 3, pay: 2 })
    );
    let list = marketing.get("/promotions?state=running").await;
    assert!(list.body.contains("Pelucas 3x2") && list.body.contains("take 3 pay 2"));

    // The preview: three wigs, one free.
    let page = marketing.get(&format!("/promotions/{id}")).await;
    assert_eq!(page.status, 200);
    let preview = marketing
        .post(
            &format!("/promotions/{id}/preview"),
            &[
                ("sample", "PEL-AFRO-MULTI 3"),
                ("site", "es"),
                ("country", "ES"),
            ],
        )
        .await;
    assert_eq!(preview.status, 200);
    assert!(
        preview.body.contains("This cart: applies."),
        "{}",
        preview.body
    );
    assert!(
        !preview.body.contains("data-preview-discount>0,00"),
        "{}",
        preview.body
    );

    // Two editors: the second, from the same version, saves nothing.
    let version = page.hidden("version").unwrap();
    let mut renamed = three_for_two_form();
    renamed[0] = ("name", "Pelucas tres por dos");
    renamed.push(("version", version.as_str()));
    let saved = marketing.post(&format!("/promotions/{id}"), &renamed).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    marketing.get(&format!("/promotions/{id}")).await;
    let stale = marketing.post(&format!("/promotions/{id}"), &renamed).await;
    assert_eq!(stale.status, 409);
    assert!(stale.body.contains("Someone saved this rule"));

    // A rule of generated codes: a batch, exported.
    marketing.get("/promotions/new").await;
    let mut batch = three_for_two_form();
    batch[0] = ("name", "Socio");
    batch.retain(|(name, _)| *name != "trigger");
    batch.extend([("trigger", "generated_codes"), ("uses_total", "1")]);
    let created = marketing.post("/promotions", &batch).await;
    assert_eq!(created.status, 303, "{}", created.body);
    let batch_path = created.location_path();
    let batch_id = batch_path
        .trim_start_matches("/promotions/")
        .split('?')
        .next()
        .unwrap();
    marketing.get(&format!("/promotions/{batch_id}")).await;
    let generated = marketing
        .post(
            &format!("/promotions/{batch_id}/codes"),
            &[("count", "50"), ("length", "8"), ("prefix", "soc-")],
        )
        .await;
    assert_eq!(generated.status, 303, "{}", generated.body);
    let codes = marketing
        .get(&format!("/promotions/{batch_id}/codes.csv"))
        .await;
    let lines: Vec<&str> = codes.body.lines().collect();
    assert_eq!(lines.len(), 51, "a header and 50 codes");
    assert!(
        lines[1..]
            .iter()
            .all(|code| code.starts_with("SOC-") && code.len() == 12)
    );
    let too_many = marketing
        .post(
            &format!("/promotions/{batch_id}/codes"),
            &[("count", "100000"), ("length", "6"), ("prefix", "")],
        )
        .await;
    assert_eq!(too_many.status, 422);

    // A file from a spreadsheet: a wrong row and nothing is imported; then a right one.
    let header = "name,sites,code,percent_off,amount_off,free_shipping,min_subtotal,starts_at,ends_at,uses_total,uses_per_customer";
    let list = marketing.get("/promotions").await;
    let token = list.hidden("csrf");
    let wrong = format!("{header}\nCarnaval,es,CARNAVAL,15,,no,,,,,\nMal,xx,,10,,no,,,,,\n");
    let refused = post_file(
        &app,
        &marketing,
        "/promotions/import",
        ("file", "reglas.csv"),
        wrong.into_bytes(),
        token.clone(),
    )
    .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.body.contains("line 3: sites: &#39;xx&#39;")
            || refused.body.contains("line 3: sites: 'xx'"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("Nothing was imported."));
    let right = format!("{header}\nCarnaval,es|it,CARNAVAL,15,,no,30.00,,,,\n");
    let imported = post_file(
        &app,
        &marketing,
        "/promotions/import",
        ("file", "reglas.csv"),
        right.into_bytes(),
        token.clone(),
    )
    .await;
    assert_eq!(imported.status, 303, "{}", imported.body);
    assert!(
        app.db
            .store
            .find_code(&code("CARNAVAL"), None)
            .await
            .unwrap()
            .is_some()
    );
    let forged = post_file(
        &app,
        &marketing,
        "/promotions/import",
        ("file", "reglas.csv"),
        b"x".to_vec(),
        None,
    )
    .await;
    assert_eq!(forged.status, 403);
    let support_import = post_file(
        &app,
        &support,
        "/promotions/import",
        ("file", "reglas.csv"),
        b"x".to_vec(),
        token,
    )
    .await;
    assert_eq!(support_import.status, 403);

    let export = marketing.get("/promotions.csv").await;
    assert!(export.body.starts_with("name,sites,code,percent_off,amount_off,free_shipping,min_subtotal,starts_at,ends_at,uses_total,uses_per_customer"));
    assert!(export.body.contains("Pelucas tres por dos"));
    let filter = comptoir_store::AuditFilter {
        entity: Some("promotion".to_owned()),
        ..Default::default()
    };
    let audited = app.db.store.audit_entries(&filter, 50, 0).await.unwrap();
    // Two rules created, one changed, one batch of codes, one imported.
    assert_eq!(audited.len(), 5, "{audited:?}");
}

/// The marketing role's migration copies SQLite's staff table: an installation with
/// staff and their audit trail keeps both, and its foreign keys hold.
#[tokio::test]
async fn the_marketing_role_reaches_an_embedded_shop_with_staff_and_history() {
    use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
    let folder = tempfile::tempdir().unwrap();
    let options = SqliteConnectOptions::new()
        .filename(folder.path().join("shop.db"))
        .create_if_missing(true)
        .foreign_keys(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .unwrap();
    let all = comptoir_store::sqlite::SqliteStore::migrator();
    let before = sqlx::migrate::Migrator {
        migrations: all
            .migrations
            .iter()
            .filter(|m| m.version < 36)
            .cloned()
            .collect(),
        ..sqlx::migrate::Migrator::DEFAULT
    };
    before.run(&pool).await.unwrap();
    sqlx::query(
        "INSERT INTO staff (email, name, role, password_hash, created_at) \
         VALUES ('ana@comptoir.test', 'Ana', 'admin', 'x', '2026-01-01T00:00:00Z')",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO audit_log (at, staff_id, actor, action, entity, entity_id) \
         VALUES ('2026-01-01T00:00:00Z', 1, 'ana@comptoir.test', 'create', 'product', '7')",
    )
    .execute(&pool)
    .await
    .unwrap();
    all.run(&pool).await.unwrap();
    let kept: (String, String) = sqlx::query_as("SELECT email, role FROM staff WHERE id = 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(kept, ("ana@comptoir.test".to_owned(), "admin".to_owned()));
    let broken: Vec<(String,)> = sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert!(broken.is_empty(), "{broken:?}");
    sqlx::query(
        "INSERT INTO staff (email, name, role, password_hash, created_at) \
         VALUES ('eva@comptoir.test', 'Eva', 'marketing', 'x', '2026-01-01T00:00:00Z')",
    )
    .execute(&pool)
    .await
    .unwrap();
    // The audit trail still refers to staff that exist, and only to them.
    let orphan = sqlx::query(
        "INSERT INTO audit_log (at, staff_id, actor, action, entity, entity_id) \
         VALUES ('2026-01-01T00:00:00Z', 99, 'x', 'create', 'product', '7')",
    )
    .execute(&pool)
    .await;
    assert!(orphan.is_err(), "foreign keys are on again");
}

/// "−20 % on the witch costume", for everyone and without a code: the product page
/// and the category show the lowered price against the lowest of the 30 days before
/// (Directive 98/6/EC art. 6a), and the cart charges it. A rule with a condition on
/// the cart, or with a code, leaves the page as it was. A product the rule names
/// that arrives while replicas run is lowered on its page as soon as they learn it.
async fn a_reduction_for_everyone_shows_on_the_page_against_its_reference(t: TestStore) {
    // Sold at 22,00 € for a moment before going back to 24,99 €: the lowest price of
    // the 30 days before the rule (created next, without a start date) is 22,00 €.
    t.reprice("DIS-BRUJA-MUJER", SiteCode::Es, 2_200).await;
    t.reprice("DIS-BRUJA-MUJER", SiteCode::Es, 2_499).await;
    let mut reduction = coded_rule("BRUJA", UseLimits::default());
    reduction.names = PerLocale::from_fn(|_| "Brujas".to_owned());
    reduction.trigger = Trigger::Automatic;
    reduction.action.discount = Some(Discount::PercentOff(Percent::parse("20").unwrap()));
    reduction.conditions.products.skus = vec![Sku::parse("DIS-BRUJA-MUJER").unwrap()];
    let mut threshold = reduction.clone();
    threshold.conditions.min_subtotal = Some(Money::eur(10_000));
    threshold.priority = -1;
    let mut coded = reduction.clone();
    coded.trigger = Trigger::SharedCode(code("BRUJAS"));
    coded.priority = -2;
    let mut newcomer = reduction.clone();
    newcomer.conditions.products.skus = vec![Sku::parse("CAPA-NUEVA").unwrap()];
    create(&t, &reduction).await;
    create(&t, &threshold).await;
    create(&t, &coded).await;
    create(&t, &newcomer).await;
    let writer = TestStore::sharing(&t).await;
    let app = spawn_app(t).await;
    let page = app.get("/es/p/disfraz-de-bruja-para-mujer").await;
    assert!(
        page.body
            .contains("<strong class=\"sale\">19,99\u{a0}€</strong>"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("22,00\u{a0}€</del>"),
        "the lowest of the 30 days before"
    );
    assert!(
        page.body.contains("\u{2212}9\u{a0}%"),
        "19,99 € is 9 % below 22,00 €"
    );
    // The French site has no such rule.
    let french = app.get("/fr/p/deguisement-de-sorciere-pour-femme").await;
    assert!(!french.body.contains("class=\"sale\""));

    writer
        .import_magento(
            "sku,_store,_type,name,price,status,visibility,url_key,qty\n\
             CAPA-NUEVA,,simple,Capa nueva,10.0000,1,4,capa-nueva,5.0000\n",
        )
        .await;
    assert!(
        app.eventually("/es/p/capa-nueva", Duration::from_secs(10), |body| {
            body.contains("<strong class=\"sale\">8,00\u{a0}€</strong>")
        })
        .await,
        "the new product at its lowered price"
    );
}
