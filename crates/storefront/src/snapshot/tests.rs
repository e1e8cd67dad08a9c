use std::collections::BTreeSet;

use chrono::{TimeZone, Utc};
use comptoir_domain::catalogue::Sale;
use comptoir_domain::price_history::ReferencePrices;
use comptoir_domain::{Locale, Money, Product, SiteCode};
use comptoir_store::ChangePosition;

use super::{ProductDisplay, Snapshot, SortOrder};

fn at(day: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, 12, 0, 0).unwrap()
}

fn snapshot() -> Snapshot {
    Snapshot::build(comptoir_demo::generate(500), ChangePosition(1), at(1))
}

fn product_by_sku<'s>(snapshot: &'s Snapshot, sku: &str) -> (u32, &'s Product) {
    (0..snapshot.products.len() as u32)
        .find_map(|i| {
            snapshot
                .product(i)
                .filter(|p| p.sku.as_str() == sku)
                .map(|p| (i, p))
        })
        .expect("the demo catalogue has it")
}

fn category(snapshot: &Snapshot, path: &str) -> u32 {
    snapshot
        .category_by_path(Locale::Es, path)
        .expect("the demo tree has it")
}

fn prices(snapshot: &Snapshot, site: SiteCode, category: u32, sort: SortOrder) -> Vec<i64> {
    snapshot
        .listing(site, category, sort)
        .iter()
        .map(|&i| {
            snapshot
                .product(i)
                .unwrap()
                .site(site)
                .unwrap()
                .effective(at(1))
                .cents()
        })
        .collect()
}

#[test]
fn a_category_lists_its_childrens_products_once() {
    let snapshot = snapshot();
    let halloween = category(&snapshot, "halloween");
    let witches = category(&snapshot, "halloween/mujer/bruja");
    let all = snapshot.listing(SiteCode::Es, halloween, SortOrder::Position);
    let unique: BTreeSet<_> = all.iter().collect();
    assert_eq!(unique.len(), all.len());
    for product in snapshot.listing(SiteCode::Es, witches, SortOrder::Position) {
        assert!(all.contains(product));
    }
    // Merchandising position first: the two hand-written witches (position 0), the
    // newer first.
    let first_two: Vec<&str> = snapshot.listing(SiteCode::Es, witches, SortOrder::Position)[..2]
        .iter()
        .map(|&i| snapshot.product(i).unwrap().sku.as_str())
        .collect();
    assert_eq!(first_two, ["DIS-HECHICERA", "DIS-BRUJA-MUJER"]);
}

#[test]
fn sorts_order_their_lists() {
    let snapshot = snapshot();
    let carnival = category(&snapshot, "carnaval");
    let ascending = prices(&snapshot, SiteCode::Fr, carnival, SortOrder::PriceAscending);
    assert!(ascending.windows(2).all(|w| w[0] <= w[1]));
    let descending = prices(
        &snapshot,
        SiteCode::Fr,
        carnival,
        SortOrder::PriceDescending,
    );
    assert!(descending.windows(2).all(|w| w[0] >= w[1]));
    let newest = snapshot.listing(SiteCode::Fr, carnival, SortOrder::Newest);
    let dates: Vec<_> = newest
        .iter()
        .map(|&i| snapshot.product(i).unwrap().created_at)
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]));
    assert_eq!(
        SortOrder::parse("price-desc"),
        Some(SortOrder::PriceDescending)
    );
    assert_eq!(SortOrder::parse("cheapest"), None);
}

#[test]
fn only_products_listed_on_a_site_appear_there() {
    let snapshot = snapshot();
    let root = category(&snapshot, "por-tematica");
    for site in SiteCode::ALL {
        for &i in snapshot.listing(site, root, SortOrder::Name) {
            assert!(snapshot.product(i).unwrap().listed_on(site).is_some());
        }
    }
}

#[test]
fn a_reduction_is_announced_against_its_reference_price_until_it_changes() {
    let before = snapshot();
    let (_, wig) = product_by_sku(&before, "PEL-AFRO-MULTI");
    let mut on_sale = wig.clone();
    let regular = on_sale.site(SiteCode::Es).unwrap().price;
    on_sale.sites[SiteCode::Es.index()].as_mut().unwrap().sale = Some(Sale {
        price: Money::eur(999),
        starts_at: Some(at(2)),
        ends_at: None,
    });
    let changed = BTreeSet::from([wig.id]);
    let references = ProductDisplay {
        reference_prices: ReferencePrices::from([((wig.id, SiteCode::Es), regular)]),
        ..ProductDisplay::default()
    };
    let after = before.apply(
        &changed,
        vec![on_sale.clone()],
        references,
        ChangePosition(2),
        true,
    );
    let tag = after.price_tag(&on_sale, SiteCode::Es, at(3)).unwrap();
    assert_eq!((tag.price, tag.was), (Money::eur(999), Some(regular)));
    assert_eq!(
        after.price_tag(&on_sale, SiteCode::Es, at(1)).unwrap().was,
        None,
        "not started"
    );
    assert_eq!(
        after.price_tag(&on_sale, SiteCode::Fr, at(3)).unwrap().was,
        None
    );

    // Its history now gives no reference (say the sale ran since it was created).
    let later = after.apply(
        &changed,
        vec![on_sale.clone()],
        ProductDisplay::default(),
        ChangePosition(3),
        true,
    );
    let tag = later.price_tag(&on_sale, SiteCode::Es, at(3)).unwrap();
    assert_eq!((tag.price, tag.was), (Money::eur(999), None));
}

#[test]
fn a_price_change_resorts_only_what_it_touches() {
    let before = snapshot();
    let (index, wig) = product_by_sku(&before, "PEL-AFRO-MULTI");
    let mut cheaper = wig.clone();
    cheaper.sites[SiteCode::Es.index()].as_mut().unwrap().price = Money::eur(1);
    let changed = BTreeSet::from([wig.id]);
    let after = before.apply(
        &changed,
        vec![cheaper],
        ProductDisplay::default(),
        ChangePosition(2),
        true,
    );

    assert_eq!(after.position(), ChangePosition(2));
    let colour_wigs = category(&after, "pelucas/pelucas-de-colores");
    assert_eq!(
        after.listing(SiteCode::Es, colour_wigs, SortOrder::PriceAscending)[0],
        index
    );
    // The French price did not change: its order did not either.
    assert_eq!(
        after.listing(SiteCode::Fr, colour_wigs, SortOrder::PriceAscending),
        before.listing(SiteCode::Fr, colour_wigs, SortOrder::PriceAscending)
    );
    // The snapshot it came from is untouched (readers may still hold it).
    assert_eq!(
        before
            .product(index)
            .unwrap()
            .site(SiteCode::Es)
            .unwrap()
            .price,
        Money::eur(1299)
    );
}

#[test]
fn a_moved_product_leaves_its_old_categories() {
    let before = snapshot();
    let (index, witch) = product_by_sku(&before, "DIS-BRUJA-MUJER");
    let pirates = before
        .category(category(&before, "carnaval/hombre/pirata"))
        .category
        .id;
    let mut moved = witch.clone();
    moved.categories = vec![(pirates, 5)];
    let after = before.apply(
        &BTreeSet::from([witch.id]),
        vec![moved],
        ProductDisplay::default(),
        ChangePosition(2),
        true,
    );
    let witches = category(&after, "halloween/mujer/bruja");
    assert!(
        !after
            .listing(SiteCode::Es, witches, SortOrder::Position)
            .contains(&index)
    );
    let carnival = category(&after, "carnaval");
    assert!(
        after
            .listing(SiteCode::Es, carnival, SortOrder::Position)
            .contains(&index)
    );
}

#[test]
fn a_deleted_product_disappears_and_a_new_one_appears() {
    let before = snapshot();
    let (index, wig) = product_by_sku(&before, "PEL-AFRO-MULTI");
    let mut new_product = wig.clone();
    new_product.id = comptoir_domain::ProductId(10_000);
    new_product.sku = comptoir_domain::Sku::parse("PEL-NUEVA").unwrap();
    new_product.url_keys[Locale::Es] = "peluca-nueva".to_owned();
    let changed = BTreeSet::from([wig.id, new_product.id]);
    let after = before.apply(
        &changed,
        vec![new_product],
        ProductDisplay::default(),
        ChangePosition(3),
        true,
    );
    assert!(after.product(index).is_none());
    assert!(
        after
            .product_by_key(Locale::Es, "peluca-afro-multicolor")
            .is_none()
    );
    let added = after
        .product_by_key(Locale::Es, "peluca-nueva")
        .expect("indexed");
    let colour_wigs = category(&after, "pelucas/pelucas-de-colores");
    let listing = after.listing(SiteCode::Es, colour_wigs, SortOrder::Position);
    assert!(listing.contains(&added) && !listing.contains(&index));
}

#[test]
fn a_stock_change_keeps_the_listings() {
    let before = snapshot();
    let (index, witch) = product_by_sku(&before, "DIS-BRUJA-MUJER");
    let mut restocked = witch.clone();
    restocked.variants[3].stock = 50;
    let after = before.apply(
        &BTreeSet::from([witch.id]),
        vec![restocked],
        ProductDisplay::default(),
        ChangePosition(2),
        false,
    );
    assert_eq!(after.product(index).unwrap().variants[3].stock, 50);
    assert!(std::sync::Arc::ptr_eq(&before.listings, &after.listings));
    assert!(
        std::sync::Arc::ptr_eq(&before.lookup, &after.lookup),
        "no URL key or SKU changed: the lookup tables are shared, not copied"
    );
    let sku = comptoir_domain::Sku::parse("DIS-BRUJA-MUJER-XL").unwrap();
    assert_eq!(after.variant(&sku).unwrap().1.stock, 50);
}

#[test]
fn a_new_url_key_replaces_the_old_one() {
    let before = snapshot();
    let (index, witch) = product_by_sku(&before, "DIS-BRUJA-MUJER");
    let mut renamed = witch.clone();
    renamed.url_keys[Locale::Es] = "bruja-elegante".to_owned();
    let after = before.apply(
        &BTreeSet::from([witch.id]),
        vec![renamed],
        ProductDisplay::default(),
        ChangePosition(2),
        true,
    );
    assert_eq!(
        after.product_by_key(Locale::Es, "bruja-elegante"),
        Some(index)
    );
    assert_eq!(
        after.product_by_key(Locale::Es, "disfraz-de-bruja-para-mujer"),
        None
    );
    let sku = comptoir_domain::Sku::parse("DIS-BRUJA-MUJER-M").unwrap();
    assert!(
        after.variant(&sku).is_some(),
        "its variants are still found"
    );
}

#[test]
fn sales_that_start_later_resort_the_listings_when_they_start() {
    let mut catalogue = comptoir_demo::generate(200);
    let wig = catalogue
        .products
        .iter_mut()
        .find(|p| p.sku.as_str() == "PEL-AFRO-MULTI")
        .unwrap();
    wig.sites[SiteCode::It.index()].as_mut().unwrap().sale = Some(Sale {
        price: Money::eur(2),
        starts_at: Some(at(10)),
        ends_at: Some(at(20)),
    });
    let before = Snapshot::build(catalogue, ChangePosition(1), at(1));
    let colour_wigs = category(&before, "pelucas/pelucas-de-colores");
    let (index, _) = product_by_sku(&before, "PEL-AFRO-MULTI");
    assert!(!before.prices_are_stale(at(9)));
    assert!(before.prices_are_stale(at(10)));
    let during = before.repriced(at(10));
    assert_eq!(
        during.listing(SiteCode::It, colour_wigs, SortOrder::PriceAscending)[0],
        index
    );
    assert!(during.prices_are_stale(at(20)));
}
