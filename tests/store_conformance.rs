//! The store conformance suite: every test runs against SQLite and PostgreSQL, so the
//! two backends keep behaving alike.

use std::collections::BTreeSet;

use comptoir_domain::{Catalogue, Money, ProductId, SiteCode, Sku};
use comptoir_e2e::{TEST_PRODUCT_COUNT, TestStore, on_both_backends};
use comptoir_store::{ChangeKind, ChangePosition, StoreError};

on_both_backends! {
    catalogue_round_trips,
    price_change_is_logged_and_visible,
    stock_change_is_logged_and_guarded,
    unknown_articles_are_not_found,
    reseeding_never_duplicates,
    concurrent_changes_are_never_skipped,
}

/// Orders what a store may return in any order, to compare catalogues.
fn normalised(mut catalogue: Catalogue) -> Catalogue {
    catalogue
        .attribute_options
        .sort_by(|a, b| (&a.attribute, a.position).cmp(&(&b.attribute, b.position)));
    for product in &mut catalogue.products {
        product.categories.sort_unstable();
    }
    catalogue
}

async fn catalogue_round_trips(t: TestStore) {
    let loaded = t.store.load_catalogue().await.unwrap();
    let expected = comptoir_demo::generate(TEST_PRODUCT_COUNT);
    assert_eq!(loaded.catalogue.products.len(), TEST_PRODUCT_COUNT);
    let (loaded, expected) = (normalised(loaded.catalogue), normalised(expected));
    assert_eq!(loaded.categories, expected.categories);
    assert_eq!(loaded.attribute_options, expected.attribute_options);
    for (got, want) in loaded.products.iter().zip(&expected.products) {
        assert_eq!(got, want);
    }
}

async fn price_change_is_logged_and_visible(t: TestStore) {
    let start = t.store.load_catalogue().await.unwrap().position;
    let sku = Sku::parse(comptoir_demo::fixed::WITCH_COSTUME_SKU).unwrap();
    t.store
        .set_price(&sku, SiteCode::Fr, Money::eur(2222))
        .await
        .unwrap();

    let changes = t.store.changes_after(start, 100).await.unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].kind, ChangeKind::Price);
    let product = changes[0]
        .product
        .expect("a price change names its product");
    let reloaded = t.store.load_products(&[product]).await.unwrap();
    assert_eq!(reloaded[0].sku, sku);
    assert_eq!(
        reloaded[0].site(SiteCode::Fr).unwrap().price,
        Money::eur(2222)
    );
    assert_eq!(
        reloaded[0].site(SiteCode::Es).unwrap().price,
        Money::eur(2499)
    );
    assert!(
        t.store
            .changes_after(changes[0].position, 100)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn stock_change_is_logged_and_guarded(t: TestStore) {
    let start = t.store.load_catalogue().await.unwrap().position;
    let variant = Sku::parse("DIS-BRUJA-MUJER-XL").unwrap();
    t.store.set_stock(&variant, 7).await.unwrap();
    let error = t.store.set_stock(&variant, -1).await.unwrap_err();
    assert!(matches!(error, StoreError::Database(_)), "{error}");

    let changes = t.store.changes_after(start, 100).await.unwrap();
    assert_eq!(
        changes.len(),
        1,
        "the refused change wrote nothing: {changes:?}"
    );
    assert_eq!(changes[0].kind, ChangeKind::Stock);
    let product = t
        .store
        .load_products(&[changes[0].product.unwrap()])
        .await
        .unwrap();
    let xl = product[0]
        .variants
        .iter()
        .find(|v| v.sku == variant)
        .unwrap();
    assert_eq!(xl.stock, 7);
}

async fn unknown_articles_are_not_found(t: TestStore) {
    let nothing = Sku::parse("NO-SUCH-THING").unwrap();
    assert!(matches!(
        t.store.set_stock(&nothing, 1).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        t.store
            .set_price(&nothing, SiteCode::Es, Money::eur(1))
            .await,
        Err(StoreError::NotFound(_))
    ));
    assert!(
        t.store
            .load_products(&[ProductId(999_999)])
            .await
            .unwrap()
            .is_empty()
    );
}

async fn reseeding_never_duplicates(t: TestStore) {
    let before = t.store.load_catalogue().await.unwrap();
    let catalogue = comptoir_demo::generate(TEST_PRODUCT_COUNT);
    t.store
        .replace_catalogue(&catalogue, &|_| {})
        .await
        .unwrap();
    let after = t.store.load_catalogue().await.unwrap();
    assert_eq!(after.catalogue.products.len(), TEST_PRODUCT_COUNT);
    assert_eq!(normalised(after.catalogue), normalised(before.catalogue));
    let changes = t.store.changes_after(before.position, 10).await.unwrap();
    assert_eq!(
        changes.iter().map(|c| c.kind).collect::<Vec<_>>(),
        [ChangeKind::Reset]
    );
    assert!(!t.store.catalogue_is_empty().await.unwrap());
}

/// Many writers append while a reader polls `id > last`: the reader must end with
/// every change, none passed over because it committed after a larger id.
async fn concurrent_changes_are_never_skipped(t: TestStore) {
    let start = t.store.load_catalogue().await.unwrap().position;
    let catalogue = comptoir_demo::generate(TEST_PRODUCT_COUNT);
    let variants: Vec<Sku> = catalogue
        .products
        .iter()
        .take(60)
        .map(|p| p.variants[0].sku.clone())
        .collect();
    let writers: Vec<_> = variants
        .into_iter()
        .enumerate()
        .map(|(i, sku)| {
            let store = t.store.clone();
            tokio::spawn(async move { store.set_stock(&sku, i as i32).await.unwrap() })
        })
        .collect();
    let reader_store = t.store.clone();
    let reader = tokio::spawn(async move {
        let mut seen = BTreeSet::new();
        let mut last = start;
        for _ in 0..2_000 {
            for change in reader_store.changes_after(last, 7).await.unwrap() {
                last = change.position;
                seen.insert(change.position);
            }
            if seen.len() == 60 {
                break;
            }
            tokio::task::yield_now().await;
        }
        seen
    });
    for writer in writers {
        writer.await.unwrap();
    }
    let seen = reader.await.unwrap();
    let all: BTreeSet<ChangePosition> = t
        .store
        .changes_after(start, 1_000)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.position)
        .collect();
    assert_eq!(all.len(), 60);
    assert_eq!(seen, all, "the polling reader skipped changes");
}
