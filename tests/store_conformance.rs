//! The store conformance suite: every test runs against SQLite and PostgreSQL, so the
//! two backends keep behaving alike.

use std::collections::BTreeSet;

use chrono::Utc;

use comptoir_domain::catalogue::Sale;
use comptoir_domain::order::OrderNumber;
use comptoir_domain::staff::Role;
use comptoir_domain::{Catalogue, Money, ProductId, SiteCode, Sku};
use comptoir_domain::{Locale, PerLocale};
use comptoir_e2e::{TEST_PRODUCT_COUNT, TestStore, on_both_backends, test_order};
use comptoir_store::{
    Actor, AuditFilter, BulkChange, BulkOutcome, CategoryEdit, CategoryOutcome, ChangeKind,
    ChangePosition, EditOutcome, GatewayAnswer, NewCustomer, NewStaff, OrderChange,
    OrderChangeOutcome, OrderFilter, OrderRefusal, OutgoingMail, PaymentAttempt, ProductEdit,
    ProductFilter, QueuedMail, Settlement, StockFilter, StoreError,
};

on_both_backends! {
    units_are_taken_and_returned_as_each_variants_stock_policy_says,
    catalogue_round_trips,
    erased_customers_orders_are_restricted_then_masked,
    newsletter_subscribers_join_leave_and_are_never_imported_back,
    price_change_is_logged_and_visible,
    changes_other_than_stock_wake_the_followers,
    stock_change_is_logged_and_guarded,
    unknown_articles_are_not_found,
    reseeding_never_duplicates,
    concurrent_changes_are_never_skipped,
    placing_an_order_takes_stock_and_logs_it,
    fifty_shoppers_race_for_ten_units,
    the_same_attempt_places_one_order,
    an_order_short_of_stock_writes_nothing,
    a_payment_is_settled_exactly_once,
    a_decline_fails_the_attempt_only,
    unpaid_orders_expire_once_with_their_stock,
    each_payment_attempt_has_its_own_reference,
    a_cancelled_order_is_never_paid_nor_restocked_twice,
    cancel_payment_and_sweeper_race,
    an_order_short_of_stock_queues_no_mail,
    one_account_per_email,
    addresses_belong_to_their_customer,
    a_reset_token_works_once_and_expires,
    counters_restart_with_each_window,
    orders_read_back_as_placed,
    staff_changes_are_audited_with_their_values,
    the_audit_log_filters,
    the_product_list_filters_and_counts,
    a_product_edit_is_saved_logged_and_audited,
    every_price_change_is_kept_for_the_reference_price,
    an_edit_based_on_an_old_version_is_refused,
    orders_move_on_by_their_rules,
    the_order_list_filters,
    bulk_changes_apply_to_each_product_with_its_version_and_audit,
    the_category_tree_is_edited_with_its_rules,
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
    // The structure alone: the same categories and options, at the same position.
    let whole = t.store.load_catalogue().await.unwrap();
    let structure = t.store.load_structure().await.unwrap();
    assert!(structure.catalogue.products.is_empty());
    assert_eq!(structure.position, whole.position);
    assert_eq!(structure.catalogue.categories, whole.catalogue.categories);
    assert_eq!(
        structure.catalogue.attribute_options,
        whole.catalogue.attribute_options
    );
}

async fn changes_other_than_stock_wake_the_followers(t: TestStore) {
    let Some(wake) = t.store.change_wakeups() else {
        assert_eq!(
            t.store.backend(),
            "sqlite",
            "the embedded store polls alone"
        );
        return;
    };
    // The listener connects in the background.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let within = std::time::Duration::from_secs(2);
    let witch = Sku::parse(comptoir_demo::fixed::WITCH_COSTUME_SKU).unwrap();

    let stock = wake.notified();
    tokio::pin!(stock);
    stock.as_mut().enable();
    let size = Sku::parse("DIS-BRUJA-MUJER-XL").unwrap();
    t.store.set_stock(&size, 7).await.unwrap();
    assert!(
        tokio::time::timeout(within, stock).await.is_err(),
        "a stock change is left to the poll"
    );

    let price = wake.notified();
    tokio::pin!(price);
    price.as_mut().enable();
    t.store
        .set_price(&witch, SiteCode::Fr, Money::eur(2222))
        .await
        .unwrap();
    assert!(
        tokio::time::timeout(within, price).await.is_ok(),
        "a price change wakes"
    );
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
    // Sitemaps' lastmod: the price change is the product's last modification.
    let times = t.store.modification_times().await.unwrap();
    assert_eq!(times.products.get(&product), Some(&changes[0].changed_at));
    assert_eq!(times.of(product), Some(changes[0].changed_at));
    let seeded = times.catalogue_replaced.expect("the seed is logged");
    assert!(seeded <= changes[0].changed_at);
}

async fn stock_change_is_logged_and_guarded(t: TestStore) {
    let start = t.store.load_catalogue().await.unwrap().position;
    let variant = Sku::parse("DIS-BRUJA-MUJER-XL").unwrap();
    let times_before = t.store.modification_times().await.unwrap();
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
    assert_eq!(
        t.store.modification_times().await.unwrap(),
        times_before,
        "a stock change is no modification of a product's page"
    );
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

/// Places orders without a confirmation mail.
fn no_mail(_: &OrderNumber) -> Option<OutgoingMail> {
    None
}

/// A confirmation mail naming the order.
fn confirmation(number: &OrderNumber) -> Option<OutgoingMail> {
    Some(OutgoingMail {
        recipient: "ana@example.es".to_owned(),
        subject: format!("Pedido {number}"),
        body: "Gracias".to_owned(),
    })
}

async fn queued_mails(t: &TestStore) -> Vec<QueuedMail> {
    t.store
        .claim_due_mails(Utc::now() + chrono::Duration::minutes(1), 100)
        .await
        .unwrap()
}

async fn placing_an_order_takes_stock_and_logs_it(t: TestStore) {
    let start = t.store.load_catalogue().await.unwrap().position;
    let placed = t
        .store
        .place_order(
            &test_order("first", &[("DIS-BRUJA-MUJER-M", 2), ("PEL-AFRO-MULTI", 1)]),
            &no_mail,
        )
        .await
        .unwrap();
    assert!(placed.newly_placed);
    assert_eq!(placed.number.as_str(), "ES-100000000");
    assert_eq!(placed.total_cents, 3_000);
    assert_eq!(t.stock_of("DIS-BRUJA-MUJER-M").await, 23);
    assert_eq!(t.stock_of("PEL-AFRO-MULTI").await, 39);
    let changes = t.store.changes_after(start, 10).await.unwrap();
    assert_eq!(changes.len(), 2);
    assert!(changes.iter().all(|c| c.kind == ChangeKind::Stock));
    let second = t
        .store
        .place_order(&test_order("second", &[("SOM-BRUJA", 1)]), &no_mail)
        .await
        .unwrap();
    assert_eq!(second.number.as_str(), "ES-100000001");
    // Reseeding the demo shop forgets its orders with the catalogue they refer to.
    t.store
        .replace_catalogue(&comptoir_demo::generate(TEST_PRODUCT_COUNT), &|_| {})
        .await
        .unwrap();
    assert_eq!(t.stock_of("DIS-BRUJA-MUJER-M").await, 25);
}

async fn fifty_shoppers_race_for_ten_units(t: TestStore) {
    t.store
        .set_stock(&Sku::parse("DIS-VAMPIRO-HOMBRE-L").unwrap(), 10)
        .await
        .unwrap();
    let shoppers: Vec<_> = (0..50)
        .map(|i| {
            let store = t.store.clone();
            tokio::spawn(async move {
                store
                    .place_order(
                        &test_order(&format!("race-{i}"), &[("DIS-VAMPIRO-HOMBRE-L", 1)]),
                        &no_mail,
                    )
                    .await
            })
        })
        .collect();
    let mut placed = 0;
    let mut refused = 0;
    for shopper in shoppers {
        match shopper.await.unwrap() {
            Ok(order) => {
                assert!(order.newly_placed);
                placed += 1;
            }
            Err(StoreError::OutOfStock { available: 0, .. }) => refused += 1,
            Err(other) => panic!("a shopper met an error: {other}"),
        }
    }
    assert_eq!((placed, refused), (10, 40));
    assert_eq!(t.stock_of("DIS-VAMPIRO-HOMBRE-L").await, 0);
}

async fn the_same_attempt_places_one_order(t: TestStore) {
    let attempt = test_order("double-click", &[("MAQ-SANGRE", 3)]);
    let clicks: Vec<_> = (0..5)
        .map(|_| {
            let store = t.store.clone();
            let attempt = attempt.clone();
            tokio::spawn(async move { store.place_order(&attempt, &confirmation).await.unwrap() })
        })
        .collect();
    let mut orders = Vec::new();
    for click in clicks {
        orders.push(click.await.unwrap());
    }
    assert_eq!(orders.iter().filter(|o| o.newly_placed).count(), 1);
    assert!(
        orders
            .iter()
            .all(|o| o.number == orders[0].number && o.id == orders[0].id)
    );
    assert_eq!(t.stock_of("MAQ-SANGRE").await, 97, "stock taken once");
    let mails = queued_mails(&t).await;
    assert_eq!(mails.len(), 1, "one confirmation for one order");
    assert_eq!(mails[0].subject, format!("Pedido {}", orders[0].number));
}

async fn an_order_short_of_stock_writes_nothing(t: TestStore) {
    let start = t.store.load_catalogue().await.unwrap().position;
    let result = t
        .store
        .place_order(
            &test_order("short", &[("SOM-BRUJA", 2), ("DIS-BRUJA-MUJER-XL", 1)]),
            &no_mail,
        )
        .await;
    match result {
        Err(StoreError::OutOfStock { sku, available }) => {
            assert_eq!((sku.as_str(), available), ("DIS-BRUJA-MUJER-XL", 0));
        }
        other => panic!("expected out of stock, got {other:?}"),
    }
    assert_eq!(
        t.stock_of("SOM-BRUJA").await,
        50,
        "the other line's stock is untouched"
    );
    assert!(t.store.changes_after(start, 10).await.unwrap().is_empty());
    // The attempt can be retried once the cart is fixed: its key was not kept.
    let retried = t
        .store
        .place_order(&test_order("short", &[("SOM-BRUJA", 2)]), &no_mail)
        .await
        .unwrap();
    assert!(retried.newly_placed);
}

/// A card order placed for these lines, and an open payment attempt for it.
async fn card_order_with_attempt(
    t: &TestStore,
    key: &str,
    lines: &[(&str, u32)],
) -> (comptoir_store::PlacedOrder, PaymentAttempt) {
    let placed = t
        .store
        .place_order(&test_order(key, lines), &no_mail)
        .await
        .unwrap();
    let attempt = t
        .store
        .open_payment_attempt(placed.id, "test-bank", &fresh_reference())
        .await
        .unwrap()
        .expect("a pending card order can be paid");
    (placed, attempt)
}

/// A reference as the storefront makes them.
fn fresh_reference() -> String {
    comptoir_payments::redsys::OrderReference::random()
        .as_str()
        .to_owned()
}

fn paid_mail() -> OutgoingMail {
    OutgoingMail {
        recipient: "ana@example.es".to_owned(),
        subject: "Pedido pagado".to_owned(),
        body: "Gracias".to_owned(),
    }
}

/// The gateway's answer for an attempt, applied.
async fn settle(t: &TestStore, attempt: &PaymentAttempt, answer: GatewayAnswer) -> Settlement {
    t.store
        .settle_payment_attempt(attempt.id, answer, &paid_mail())
        .await
        .unwrap()
}

/// An order's payment and fulfilment statuses.
async fn statuses(t: &TestStore, order_id: i64) -> (String, String) {
    let order = t.store.order(order_id).await.unwrap().unwrap();
    (order.payment_status, order.fulfilment_status)
}

async fn a_payment_is_settled_exactly_once(t: TestStore) {
    let (placed, attempt) = card_order_with_attempt(&t, "pay-once", &[("PEL-AFRO-MULTI", 2)]).await;
    // The gateway notifies several times, concurrently.
    let notifications: Vec<_> = (0..6)
        .map(|_| {
            let store = t.store.clone();
            tokio::spawn(async move {
                store
                    .settle_payment_attempt(attempt.id, GatewayAnswer::Approved, &paid_mail())
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut paid = 0;
    for notification in notifications {
        match notification.await.unwrap() {
            Settlement::Paid => paid += 1,
            Settlement::AlreadySettled => {}
            other => panic!("a repeated approval is {other:?}"),
        }
    }
    assert_eq!(paid, 1);
    let mails = queued_mails(&t).await;
    let (invoices, confirmations): (Vec<_>, Vec<_>) =
        mails.iter().partition(|mail| mail.invoice_number.is_some());
    assert_eq!(confirmations.len(), 1, "one confirmation");
    assert_eq!(invoices.len(), 1, "and one invoice");
    // A late "declined" for a paid attempt changes nothing.
    assert_eq!(
        settle(&t, &attempt, GatewayAnswer::Declined).await,
        Settlement::AlreadySettled
    );
    let order = t.store.order(placed.id).await.unwrap().unwrap();
    assert_eq!(order.payment_status, "paid");
    assert_eq!(t.stock_of("PEL-AFRO-MULTI").await, 38);
    assert_eq!(
        t.store
            .open_payment_attempt(placed.id, "test-bank", &fresh_reference())
            .await
            .unwrap(),
        None,
        "a paid order takes no other attempt"
    );
}

async fn a_decline_fails_the_attempt_only(t: TestStore) {
    let (placed, declined) =
        card_order_with_attempt(&t, "declined", &[("SOM-BRUJA", 5), ("MAQ-SANGRE", 1)]).await;
    assert_eq!(t.stock_of("SOM-BRUJA").await, 45);
    assert_eq!(
        settle(&t, &declined, GatewayAnswer::Declined).await,
        Settlement::Declined
    );
    assert_eq!(
        statuses(&t, placed.id).await,
        ("pending".to_owned(), "new".to_owned()),
        "the order still waits for its payment"
    );
    assert_eq!(t.stock_of("SOM-BRUJA").await, 45, "its stock still held");
    assert!(queued_mails(&t).await.is_empty());
    // The shopper tries again: a new attempt, a new reference; this one is approved.
    let again = t
        .store
        .open_payment_attempt(placed.id, "test-bank", &fresh_reference())
        .await
        .unwrap()
        .unwrap();
    assert_ne!(again.reference, declined.reference);
    assert_eq!(
        settle(&t, &again, GatewayAnswer::Approved).await,
        Settlement::Paid
    );
    assert_eq!(t.stock_of("SOM-BRUJA").await, 45);
}

async fn unpaid_orders_expire_once_with_their_stock(t: TestStore) {
    let (pending, attempt) =
        card_order_with_attempt(&t, "left-pending", &[("DIS-PIRATA-NINO-5-6", 3)]).await;
    let transfer = {
        let mut transfer = test_order("by-transfer", &[("DIS-PIRATA-NINO-5-6", 1)]);
        transfer.payment_method = "bank-transfer".to_owned();
        t.store.place_order(&transfer, &no_mail).await.unwrap()
    };
    assert_eq!(t.stock_of("DIS-PIRATA-NINO-5-6").await, 5);
    let before = t.store.load_catalogue().await.unwrap().position;
    let not_yet = Utc::now() - chrono::Duration::minutes(30);
    assert_eq!(
        t.store.expire_unpaid_orders("card", not_yet).await.unwrap(),
        0,
        "too recent"
    );
    let later = Utc::now() + chrono::Duration::seconds(1);
    assert_eq!(
        t.store.expire_unpaid_orders("card", later).await.unwrap(),
        1
    );
    assert_eq!(
        t.stock_of("DIS-PIRATA-NINO-5-6").await,
        8,
        "only the card order's units came back"
    );
    let changes = t.store.changes_after(before, 10).await.unwrap();
    assert_eq!(
        changes.len(),
        1,
        "the returned stock is logged for the replicas"
    );
    assert_eq!(
        t.store.expire_unpaid_orders("card", later).await.unwrap(),
        0
    );
    assert_eq!(t.stock_of("DIS-PIRATA-NINO-5-6").await, 8, "returned once");
    assert_eq!(
        statuses(&t, pending.id).await,
        ("failed".to_owned(), "cancelled".to_owned())
    );
    // The shopper was still at the bank: the money that comes now is to refund.
    assert_eq!(
        settle(&t, &attempt, GatewayAnswer::Approved).await,
        Settlement::ToRefund
    );
    let expired = t.store.order(pending.id).await.unwrap().unwrap();
    assert_eq!(
        expired.payment_status, "failed",
        "never paid once cancelled"
    );
    assert_eq!(expired.refund_due_cents, expired.total_cents);
    assert!(queued_mails(&t).await.is_empty(), "no confirmation for it");

    // Bank transfers: reminded once, then expired with their stock.
    let reminder = OutgoingMail {
        recipient: "ana@example.es".to_owned(),
        subject: "Recordatorio".to_owned(),
        body: "Transfiere".to_owned(),
    };
    assert_eq!(
        t.store.transfers_to_remind(later).await.unwrap(),
        vec![transfer.id]
    );
    assert!(
        t.store
            .queue_transfer_reminder(transfer.id, &reminder, Utc::now())
            .await
            .unwrap()
    );
    assert!(
        !t.store
            .queue_transfer_reminder(transfer.id, &reminder, Utc::now())
            .await
            .unwrap()
    );
    assert!(t.store.transfers_to_remind(later).await.unwrap().is_empty());
    assert_eq!(queued_mails(&t).await.len(), 1, "one reminder");
    assert_eq!(
        t.store
            .expire_unpaid_orders("bank-transfer", later)
            .await
            .unwrap(),
        1
    );
    assert_eq!(t.stock_of("DIS-PIRATA-NINO-5-6").await, 9);
}

async fn each_payment_attempt_has_its_own_reference(t: TestStore) {
    let (placed, first) = card_order_with_attempt(&t, "attempts", &[("SOM-BRUJA", 1)]).await;
    assert_eq!(first.amount_cents, placed.total_cents);
    assert_eq!(first.currency, "EUR");
    let reloaded = t
        .store
        .open_payment_attempt(placed.id, "test-bank", &fresh_reference())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(reloaded, first, "a reload reuses the open attempt");
    settle(&t, &first, GatewayAnswer::Declined).await;
    let second = t
        .store
        .open_payment_attempt(placed.id, "test-bank", &fresh_reference())
        .await
        .unwrap()
        .unwrap();
    assert_ne!(
        first.reference, second.reference,
        "a retried payment gets a new reference"
    );
    assert_eq!(
        t.store.payment_attempt(&second.reference).await.unwrap(),
        Some(second.clone())
    );
    assert_eq!(t.store.payment_attempt("0000ABCDEFGH").await.unwrap(), None);
}

/// A variant sold beyond its stock (backorders) goes below zero and comes back up
/// when cancelled; one whose units are not counted sells with none and keeps its
/// count; switching back to counted forgives the units owed.
async fn units_are_taken_and_returned_as_each_variants_stock_policy_says(t: TestStore) {
    use comptoir_domain::StockPolicy;
    use comptoir_domain::order::FulfilmentStatus;
    let catalogue = t.store.load_catalogue().await.unwrap().catalogue;
    let witch = catalogue
        .products
        .iter()
        .find(|p| {
            p.variants
                .iter()
                .any(|v| v.sku.as_str() == "DIS-BRUJA-MUJER-XL")
        })
        .unwrap();
    let variant_id = |sku: &str| {
        witch
            .variants
            .iter()
            .find(|v| v.sku.as_str() == sku)
            .unwrap()
            .id
    };
    let (xl, l) = (
        variant_id("DIS-BRUJA-MUJER-XL"),
        variant_id("DIS-BRUJA-MUJER-L"),
    );
    let (product, version) = t.store.product_for_edit(witch.id).await.unwrap().unwrap();
    let mut edit = unchanged(&product);
    edit.stock_policies = vec![(xl, StockPolicy::Backorders), (l, StockPolicy::NotCounted)];
    let version = saved_version(&t, &edit, version).await;
    let (xl_before, l_before) = (
        t.stock_of("DIS-BRUJA-MUJER-XL").await,
        t.stock_of("DIS-BRUJA-MUJER-L").await,
    );
    assert_eq!(xl_before, 0, "the seed has none of XL");
    let placed = t
        .store
        .place_order(
            &test_order(
                "beyond-stock",
                &[("DIS-BRUJA-MUJER-XL", 2), ("DIS-BRUJA-MUJER-L", 40)],
            ),
            &no_mail,
        )
        .await
        .unwrap();
    assert_eq!(t.stock_of("DIS-BRUJA-MUJER-XL").await, -2, "two units owed");
    assert_eq!(
        t.stock_of("DIS-BRUJA-MUJER-L").await,
        l_before,
        "not counted"
    );
    let cancel = OrderChange::Fulfilment(FulfilmentStatus::Cancelled);
    let done = t
        .store
        .change_order(placed.id, &cancel, &Actor::command_line(), None)
        .await
        .unwrap();
    assert_eq!(done, OrderChangeOutcome::Done);
    assert_eq!(t.stock_of("DIS-BRUJA-MUJER-XL").await, 0);
    assert_eq!(t.stock_of("DIS-BRUJA-MUJER-L").await, l_before);

    t.store
        .place_order(&test_order("owed", &[("DIS-BRUJA-MUJER-XL", 3)]), &no_mail)
        .await
        .unwrap();
    let (product, _) = t.store.product_for_edit(witch.id).await.unwrap().unwrap();
    let mut edit = unchanged(&product);
    edit.stock_policies = vec![(xl, StockPolicy::Counted)];
    saved_version(&t, &edit, version).await;
    assert_eq!(
        t.stock_of("DIS-BRUJA-MUJER-XL").await,
        0,
        "units owed forgiven"
    );
    let short = t
        .store
        .place_order(
            &test_order("counted-again", &[("DIS-BRUJA-MUJER-XL", 1)]),
            &no_mail,
        )
        .await;
    assert!(
        matches!(short, Err(StoreError::OutOfStock { .. })),
        "{short:?}"
    );
}

async fn a_cancelled_order_is_never_paid_nor_restocked_twice(t: TestStore) {
    use comptoir_domain::order::FulfilmentStatus;
    let by = Actor::command_line();
    let cancel = OrderChange::Fulfilment(FulfilmentStatus::Cancelled);
    let (placed, attempt) =
        card_order_with_attempt(&t, "cancel-then-pay", &[("DIS-PIRATA-NINO-7-9", 1)]).await;
    let stock = t.stock_of("DIS-PIRATA-NINO-7-9").await;
    let done = t
        .store
        .change_order(placed.id, &cancel, &by, None)
        .await
        .unwrap();
    assert_eq!(done, OrderChangeOutcome::Done);
    assert_eq!(t.stock_of("DIS-PIRATA-NINO-7-9").await, stock + 1);
    // The shopper, still on the gateway's page, pays.
    assert_eq!(
        settle(&t, &attempt, GatewayAnswer::Approved).await,
        Settlement::ToRefund
    );
    assert_eq!(
        statuses(&t, placed.id).await,
        ("pending".to_owned(), "cancelled".to_owned())
    );
    let order = t.store.order(placed.id).await.unwrap().unwrap();
    assert_eq!(
        order.refund_due_cents, order.total_cents,
        "shown to staff as money to refund"
    );
    let events = t.store.order_events(placed.id).await.unwrap();
    assert!(
        events
            .iter()
            .any(|e| e.kind == "payment" && e.text.contains("refund"))
    );
    assert!(queued_mails(&t).await.is_empty(), "no confirmation");
    assert_eq!(
        t.store
            .open_payment_attempt(placed.id, "test-bank", &fresh_reference())
            .await
            .unwrap(),
        None,
        "a cancelled order cannot be paid"
    );
    // The sweeper passes later: the units are not returned a second time.
    let later = Utc::now() + chrono::Duration::seconds(1);
    assert_eq!(
        t.store.expire_unpaid_orders("card", later).await.unwrap(),
        0
    );
    assert_eq!(t.stock_of("DIS-PIRATA-NINO-7-9").await, stock + 1);

    // An unpaid card order cannot be shipped.
    let (unpaid, _) = card_order_with_attempt(&t, "ship-unpaid", &[("SOM-BRUJA", 1)]).await;
    let processing = OrderChange::Fulfilment(FulfilmentStatus::Processing);
    let ship = OrderChange::Ship {
        carrier: "SEUR".into(),
        tracking: "1".into(),
    };
    for change in [processing, ship] {
        let outcome = t
            .store
            .change_order(unpaid.id, &change, &by, None)
            .await
            .unwrap();
        assert!(
            matches!(outcome, OrderChangeOutcome::Refused(_)),
            "{change:?}"
        );
    }
}

/// Staff cancel, the shopper pays and the sweeper expires, all at once, on many
/// orders: each order ends paid or cancelled, never both; a cancelled order's units
/// come back once; an approval that lost the race is money to refund.
async fn cancel_payment_and_sweeper_race(t: TestStore) {
    use comptoir_domain::order::FulfilmentStatus;
    const ORDERS: usize = 12;
    let sku = "SOM-BRUJA";
    let start = t.stock_of(sku).await;
    let mut orders = Vec::new();
    for n in 0..ORDERS {
        orders.push(card_order_with_attempt(&t, &format!("race-{n}"), &[(sku, 2)]).await);
    }
    let later = Utc::now() + chrono::Duration::seconds(1);
    let mut tasks = Vec::new();
    for (placed, attempt) in &orders {
        let (store, id) = (t.store.clone(), placed.id);
        tasks.push(tokio::spawn(async move {
            let cancel = OrderChange::Fulfilment(FulfilmentStatus::Cancelled);
            store
                .change_order(id, &cancel, &Actor::command_line(), None)
                .await
                .map(|_| ())
        }));
        let (store, attempt_id) = (t.store.clone(), attempt.id);
        tasks.push(tokio::spawn(async move {
            store
                .settle_payment_attempt(attempt_id, GatewayAnswer::Approved, &paid_mail())
                .await
                .map(|_| ())
        }));
        let store = t.store.clone();
        tasks.push(tokio::spawn(async move {
            store.expire_unpaid_orders("card", later).await.map(|_| ())
        }));
    }
    for task in tasks {
        task.await
            .unwrap()
            .expect("no statement fails, none deadlocks");
    }
    let mut kept_units = 0;
    for (placed, _) in &orders {
        let order = t.store.order(placed.id).await.unwrap().unwrap();
        match (
            order.payment_status.as_str(),
            order.fulfilment_status.as_str(),
        ) {
            ("paid", "cancelled") => {
                // Staff may cancel a paid order (they then refund it); its units came back.
                assert_eq!(order.refund_due_cents, 0);
            }
            ("paid", "new") => kept_units += 2,
            (_, "cancelled") => assert_eq!(
                order.refund_due_cents, order.total_cents,
                "the approval that came too late is money to refund"
            ),
            other => panic!("order ended {other:?}"),
        }
    }
    assert_eq!(
        t.stock_of(sku).await,
        start - kept_units,
        "every cancelled order's units came back exactly once"
    );
}
async fn an_order_short_of_stock_queues_no_mail(t: TestStore) {
    let short = t
        .store
        .place_order(
            &test_order("no-mail", &[("GLO-CALABAZA", 1)]),
            &confirmation,
        )
        .await;
    assert!(matches!(short, Err(StoreError::OutOfStock { .. })));
    assert!(queued_mails(&t).await.is_empty());
}

fn ana() -> NewCustomer {
    NewCustomer {
        email: "ana@example.es".to_owned(),
        name: "Ana García".to_owned(),
        password_hash: "$argon2id$placeholder".to_owned(),
    }
}

async fn one_account_per_email(t: TestStore) {
    let id = t.store.create_customer(&ana()).await.unwrap().unwrap();
    assert_eq!(t.store.create_customer(&ana()).await.unwrap(), None);
    let found = t.store.customer_by_email("ana@example.es").await.unwrap();
    assert_eq!(found.map(|c| c.id), Some(id));
    t.store
        .set_password_hash(id, "$argon2id$new")
        .await
        .unwrap();
    let customer = t.store.customer(id).await.unwrap().unwrap();
    assert_eq!(customer.password_hash, "$argon2id$new");
    assert_eq!(t.store.customer(id + 1).await.unwrap(), None);
}

async fn addresses_belong_to_their_customer(t: TestStore) {
    let ana = t.store.create_customer(&ana()).await.unwrap().unwrap();
    let mut other = self::ana();
    other.email = "luis@example.es".to_owned();
    let luis = t.store.create_customer(&other).await.unwrap().unwrap();
    let address = test_order("address", &[]).ship_to;
    let id = t
        .store
        .add_address(ana, &address, 2)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(t.store.addresses(ana).await.unwrap()[0].address, address);
    let second = t
        .store
        .add_address(ana, &address, 2)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        t.store.add_address(ana, &address, 2).await.unwrap(),
        None,
        "the book is full"
    );
    assert!(t.store.delete_address(ana, second).await.unwrap());
    assert!(!t.store.delete_address(luis, id).await.unwrap());
    assert_eq!(t.store.addresses(ana).await.unwrap().len(), 1);
    assert!(t.store.delete_address(ana, id).await.unwrap());
    assert!(t.store.addresses(ana).await.unwrap().is_empty());
}

async fn a_reset_token_works_once_and_expires(t: TestStore) {
    let id = t.store.create_customer(&ana()).await.unwrap().unwrap();
    let now = Utc::now();
    let mail = confirmation(&OrderNumber::new(SiteCode::Es, 100_000_000)).unwrap();
    let hour = chrono::Duration::hours(1);
    t.store
        .create_password_reset(id, "token-hash", now + hour, &mail)
        .await
        .unwrap();
    assert_eq!(queued_mails(&t).await.len(), 1, "the token travels by mail");
    assert_eq!(
        t.store
            .reset_password("token-hash", "$argon2id$reset", now)
            .await
            .unwrap(),
        Some(id)
    );
    let customer = t.store.customer(id).await.unwrap().unwrap();
    assert_eq!(customer.password_hash, "$argon2id$reset");
    assert_eq!(
        t.store
            .reset_password("token-hash", "$argon2id$again", now)
            .await
            .unwrap(),
        None,
        "used once"
    );
    t.store
        .create_password_reset(id, "old-token", now + hour, &mail)
        .await
        .unwrap();
    assert_eq!(
        t.store
            .reset_password("old-token", "$argon2id$late", now + hour * 2)
            .await
            .unwrap(),
        None,
        "expired"
    );
    assert_eq!(
        t.store.customer(id).await.unwrap().unwrap().password_hash,
        "$argon2id$reset"
    );
}

async fn counters_restart_with_each_window(t: TestStore) {
    let now = Utc::now();
    let window = chrono::Duration::minutes(15);
    for expected in 1..=3 {
        let count = t
            .store
            .count_in_window("login:ana", now + window, now)
            .await
            .unwrap();
        assert_eq!(count, expected);
    }
    let later = now + window + chrono::Duration::seconds(1);
    let count = t
        .store
        .count_in_window("login:ana", later + window, later)
        .await
        .unwrap();
    assert_eq!(count, 1, "a new window starts again");
    let other = t
        .store
        .count_in_window("login:luis", now + window, now)
        .await
        .unwrap();
    assert_eq!(other, 1);
}

async fn orders_read_back_as_placed(t: TestStore) {
    let customer = t.store.create_customer(&ana()).await.unwrap().unwrap();
    let mut new_order = test_order("read-back", &[("SOM-BRUJA", 2), ("MAQ-SANGRE", 1)]);
    new_order.customer_id = Some(customer);
    let placed = t.store.place_order(&new_order, &no_mail).await.unwrap();
    let record = t.store.order(placed.id).await.unwrap().unwrap();
    assert_eq!(record.number, placed.number.as_str());
    assert_eq!(record.customer_id, Some(customer));
    assert_eq!(record.ship_to, new_order.ship_to);
    assert_eq!(record.payment_status, "pending");
    assert_eq!(record.fulfilment_status, "new");
    assert_eq!(record.total_cents, new_order.total_cents);
    let skus: Vec<&str> = record.lines.iter().map(|l| l.sku.as_str()).collect();
    assert_eq!(skus, ["SOM-BRUJA", "MAQ-SANGRE"], "lines in cart order");
    assert_eq!(record.lines[0].quantity, 2);
    assert_eq!(record.lines[0].vat_rate_bp, 2_100);
    assert_eq!(
        t.store
            .order_id_by_number(placed.number.as_str())
            .await
            .unwrap(),
        Some(placed.id)
    );
    let other = t
        .store
        .place_order(
            &test_order("read-back-2", &[("PEL-AFRO-MULTI", 1)]),
            &no_mail,
        )
        .await
        .unwrap();
    let many = t
        .store
        .orders_by_ids(&[other.id, other.id + 1000, placed.id])
        .await
        .unwrap();
    assert_eq!(
        many,
        [t.store.order(other.id).await.unwrap().unwrap(), record],
        "many orders read at once, in the order asked, unknown ones left out"
    );
    let history = t.store.customer_orders(customer, 20).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].id, placed.id);
    assert!(
        t.store
            .customer_orders(customer + 1, 20)
            .await
            .unwrap()
            .is_empty()
    );
}

fn marta(role: Role) -> NewStaff {
    NewStaff {
        email: "marta@comptoir.test".to_owned(),
        name: "Marta".to_owned(),
        role,
        password_hash: "$argon2id$secret-hash".to_owned(),
    }
}

async fn staff_changes_are_audited_with_their_values(t: TestStore) {
    let cli = Actor::command_line();
    let id = t
        .store
        .create_staff(&marta(Role::Admin), &cli)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        t.store
            .create_staff(&marta(Role::Support), &cli)
            .await
            .unwrap(),
        None
    );
    let admin = t
        .store
        .staff_by_email("marta@comptoir.test")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (admin.id, admin.role, admin.active),
        (id, Role::Admin, true)
    );

    let by_admin = Actor::staff(&admin);
    let luis = t
        .store
        .create_staff(
            &NewStaff {
                email: "luis@comptoir.test".to_owned(),
                name: "Luis".to_owned(),
                role: Role::OrderManager,
                password_hash: "$argon2id$other".to_owned(),
            },
            &by_admin,
        )
        .await
        .unwrap()
        .unwrap();
    assert!(
        t.store
            .update_staff(luis, "Luis P.", Role::Support, false, &by_admin)
            .await
            .unwrap()
    );
    assert!(
        !t.store
            .update_staff(luis + 100, "x", Role::Support, true, &by_admin)
            .await
            .unwrap()
    );
    assert!(
        t.store
            .set_staff_password(luis, "$argon2id$new", &by_admin)
            .await
            .unwrap()
    );
    let luis_now = t.store.staff_member(luis).await.unwrap().unwrap();
    assert_eq!(
        (
            luis_now.name.as_str(),
            luis_now.role,
            luis_now.active,
            luis_now.password_hash.as_str()
        ),
        ("Luis P.", Role::Support, false, "$argon2id$new")
    );
    let emails: Vec<_> = t
        .store
        .all_staff()
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.email)
        .collect();
    assert_eq!(emails, ["luis@comptoir.test", "marta@comptoir.test"]);

    let staff_changes = AuditFilter {
        entity: Some("staff".to_owned()),
        ..AuditFilter::default()
    };
    let log = t.store.audit_entries(&staff_changes, 10, 0).await.unwrap();
    let actions: Vec<_> = log
        .iter()
        .map(|e| (e.action.as_str(), e.actor.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            ("staff.password", "marta@comptoir.test"),
            ("staff.update", "marta@comptoir.test"),
            ("staff.create", "marta@comptoir.test"),
            ("staff.create", "command line"),
        ]
    );
    let update = &log[1];
    assert_eq!(update.entity_id, luis.to_string());
    let before: serde_json::Value =
        serde_json::from_str(update.before.as_deref().unwrap()).unwrap();
    let after: serde_json::Value = serde_json::from_str(update.after.as_deref().unwrap()).unwrap();
    assert_eq!(
        (before["role"].as_str(), before["active"].as_bool()),
        (Some("orders"), Some(true))
    );
    assert_eq!(
        (after["role"].as_str(), after["active"].as_bool()),
        (Some("support"), Some(false))
    );
    for entry in &log {
        for values in [&entry.before, &entry.after].into_iter().flatten() {
            assert!(
                !values.contains("argon2"),
                "a password hash reached the audit log: {values}"
            );
        }
    }
}

async fn the_audit_log_filters(t: TestStore) {
    let cli = Actor::command_line();
    let marta = t
        .store
        .create_staff(&marta(Role::Admin), &cli)
        .await
        .unwrap()
        .unwrap();
    let admin = Actor::staff(&t.store.staff_member(marta).await.unwrap().unwrap());
    t.store
        .update_staff(marta, "Marta R.", Role::Admin, true, &admin)
        .await
        .unwrap();
    let count = |filter: AuditFilter| {
        let store = t.store.clone();
        async move { store.audit_entries(&filter, 50, 0).await.unwrap().len() }
    };
    assert_eq!(
        count(AuditFilter {
            staff_id: Some(marta),
            ..AuditFilter::default()
        })
        .await,
        1
    );
    assert_eq!(
        count(AuditFilter {
            action_prefix: Some("staff.".into()),
            ..AuditFilter::default()
        })
        .await,
        2
    );
    assert_eq!(
        count(AuditFilter {
            action_prefix: Some("staff.%".into()),
            ..AuditFilter::default()
        })
        .await,
        0,
        "a wildcard in the filter is taken literally"
    );
    assert_eq!(
        count(AuditFilter {
            entity: Some("staff".into()),
            entity_id: Some(marta.to_string()),
            ..AuditFilter::default()
        })
        .await,
        2
    );
    let hour = chrono::Duration::hours(1);
    assert_eq!(
        count(AuditFilter {
            from: Some(Utc::now() + hour),
            ..AuditFilter::default()
        })
        .await,
        0
    );
    assert_eq!(
        count(AuditFilter {
            entity: Some("staff".into()),
            until: Some(Utc::now() + hour),
            ..AuditFilter::default()
        })
        .await,
        2
    );
    let page = t
        .store
        .audit_entries(&AuditFilter::default(), 1, 1)
        .await
        .unwrap();
    assert_eq!(page[0].action, "staff.create");
}

async fn the_product_list_filters_and_counts(t: TestStore) {
    let catalogue = comptoir_demo::generate(TEST_PRODUCT_COUNT);
    let all = t
        .store
        .find_products(&ProductFilter::default(), 50, 0)
        .await
        .unwrap();
    assert_eq!(all.total, TEST_PRODUCT_COUNT as i64);
    assert_eq!(all.rows.len(), 50);
    assert!(all.rows.windows(2).all(|w| w[0].sku < w[1].sku), "by SKU");
    let last_page = t
        .store
        .find_products(
            &ProductFilter::default(),
            50,
            TEST_PRODUCT_COUNT as u32 - 10,
        )
        .await
        .unwrap();
    assert_eq!(last_page.rows.len(), 10);

    let product = &catalogue.products[17];
    let word = product.names[Locale::Es]
        .split_whitespace()
        .last()
        .unwrap()
        .to_uppercase();
    let by_name = ProductFilter {
        text: Some(word.clone()),
        ..ProductFilter::default()
    };
    let found = t.store.find_products(&by_name, 500, 0).await.unwrap();
    assert!(
        found.rows.iter().any(|row| row.id == product.id.0),
        "'{word}' finds its product"
    );
    assert!(
        found
            .rows
            .iter()
            .all(|row| row.name.to_uppercase().contains(&word) || row.sku.starts_with(&word))
    );
    let by_sku = ProductFilter {
        text: Some(product.sku.as_str().to_lowercase()),
        ..ProductFilter::default()
    };
    assert_eq!(
        t.store.find_products(&by_sku, 5, 0).await.unwrap().rows[0].id,
        product.id.0
    );
    let wildcard = ProductFilter {
        text: Some("%".into()),
        ..ProductFilter::default()
    };
    assert_eq!(
        t.store.find_products(&wildcard, 5, 0).await.unwrap().total,
        0,
        "% is a character"
    );

    t.store
        .set_stock(&product.variants[0].sku, 0)
        .await
        .unwrap();
    for variant in &product.variants[1..] {
        t.store.set_stock(&variant.sku, 0).await.unwrap();
    }
    let out = ProductFilter {
        stock: Some(StockFilter::Out),
        ..ProductFilter::default()
    };
    let listed = t.store.find_products(&out, 5_000, 0).await.unwrap();
    assert!(listed.rows.iter().any(|row| row.id == product.id.0));
    assert!(listed.rows.iter().all(|row| row.stock == 0));
    // Sold beyond its count, the product is never out of stock.
    let (stored, version) = t.store.product_for_edit(product.id).await.unwrap().unwrap();
    let mut edit = unchanged(&stored);
    edit.stock_policies = vec![(
        stored.variants[0].id,
        comptoir_domain::StockPolicy::Backorders,
    )];
    saved_version(&t, &edit, version).await;
    let listed = t.store.find_products(&out, 5_000, 0).await.unwrap();
    assert!(listed.rows.iter().all(|row| row.id != product.id.0));
    let in_stock = ProductFilter {
        stock: Some(StockFilter::In),
        ..ProductFilter::default()
    };
    let listed = t.store.find_products(&in_stock, 5_000, 0).await.unwrap();
    assert!(listed.rows.iter().any(|row| row.id == product.id.0));
    let disabled = ProductFilter {
        enabled: Some(false),
        ..ProductFilter::default()
    };
    let disabled = t.store.find_products(&disabled, 5_000, 0).await.unwrap();
    let expected = catalogue.products.iter().filter(|p| !p.enabled).count();
    assert_eq!(disabled.total, expected as i64);

    let categories = t.store.category_choices().await.unwrap();
    assert_eq!(categories.len(), catalogue.categories.len());
    let root = categories.iter().find(|c| c.depth == 0).unwrap();
    let under_root = ProductFilter {
        category: Some(root.id),
        ..ProductFilter::default()
    };
    let under_root = t
        .store
        .find_products(&under_root, 1, 0)
        .await
        .unwrap()
        .total;
    let placed_in_root = catalogue
        .products
        .iter()
        .filter(|p| p.categories.iter().any(|(c, _)| c.0 == root.id))
        .count() as i64;
    assert!(
        under_root >= placed_in_root && under_root > 0,
        "the subtree counts"
    );
}

/// The edit of a product that changes nothing yet.
/// Saves `edit`, made from `version`, which must succeed; the product's new version.
async fn saved_version(t: &TestStore, edit: &ProductEdit, version: i64) -> i64 {
    let saved = t
        .store
        .save_product(edit, version, &Actor::command_line())
        .await
        .unwrap();
    let EditOutcome::Saved { version } = saved else {
        panic!("saved: {saved:?}")
    };
    version
}

fn unchanged(product: &comptoir_domain::Product) -> ProductEdit {
    ProductEdit {
        id: product.id,
        enabled: product.enabled,
        theme: product.theme.clone(),
        gender: product.gender,
        age_group: product.age_group,
        categories: product.categories.clone(),
        names: product.names.clone(),
        descriptions: product.descriptions.clone(),
        url_keys: product.url_keys.clone(),
        meta: product.meta.clone(),
        sites: product.sites.clone(),
        stock_counts: Vec::new(),
        stock_policies: Vec::new(),
    }
}

async fn every_price_change_is_kept_for_the_reference_price(t: TestStore) {
    // The seed's sales began after their products were created, at the regular price.
    let seeded = comptoir_demo::generate(TEST_PRODUCT_COUNT);
    let references = t.store.reference_prices(None).await.unwrap();
    let mut reductions = 0;
    for product in &seeded.products {
        for site in SiteCode::ALL {
            let Some(offer) = product.site(site) else {
                continue;
            };
            let expected = offer
                .sale
                .filter(|sale| sale.price < offer.price)
                .map(|_| offer.price);
            assert_eq!(
                references.get(&(product.id, site)).copied(),
                expected,
                "{} on {site}",
                product.sku
            );
            reductions += usize::from(expected.is_some());
        }
    }
    assert!(reductions > 0, "the seed has sales");
    assert_eq!(references.len(), reductions);

    // A product of the seed's hand-written ones, never on sale.
    let (product, version) = t
        .store
        .product_for_edit(ProductId(1))
        .await
        .unwrap()
        .unwrap();
    let regular = product.site(SiteCode::Es).unwrap().price;
    assert!(
        !t.store
            .reference_prices(None)
            .await
            .unwrap()
            .contains_key(&(product.id, SiteCode::Es)),
        "no reduction announced yet"
    );

    // A sale from tomorrow is measured against the price of the 30 days before it.
    let tomorrow = Utc::now() + chrono::Duration::days(1);
    let mut edit = unchanged(&product);
    edit.sites[SiteCode::Es.index()].as_mut().unwrap().sale = Some(Sale {
        price: Money::eur(regular.cents() / 2),
        starts_at: Some(tomorrow),
        ends_at: None,
    });
    let version = saved_version(&t, &edit, version).await;
    let references = t.store.reference_prices(Some(&[product.id])).await.unwrap();
    assert_eq!(references.get(&(product.id, SiteCode::Es)), Some(&regular));
    assert_eq!(references.len(), 1, "only the Spanish offer has a sale");

    // Raising the regular price before the sale starts does not raise the reference:
    // the lower price applied within the 30 days before the reduction.
    let es = edit.sites[SiteCode::Es.index()].as_mut().unwrap();
    es.price = Money::eur(regular.cents() * 2);
    saved_version(&t, &edit, version).await;
    let references = t.store.reference_prices(None).await.unwrap();
    assert_eq!(references.get(&(product.id, SiteCode::Es)), Some(&regular));

    // The sale ends: nothing is announced.
    let sku = product.sku.clone();
    t.store
        .set_price(&sku, SiteCode::Es, Money::eur(regular.cents() / 2))
        .await
        .unwrap();
    let references = t.store.reference_prices(Some(&[product.id])).await.unwrap();
    assert!(
        references.is_empty(),
        "a sale price not below the price is no sale: {references:?}"
    );
}

async fn a_product_edit_is_saved_logged_and_audited(t: TestStore) {
    let (product, version) = t
        .store
        .product_for_edit(ProductId(5))
        .await
        .unwrap()
        .unwrap();
    let position = t.store.load_catalogue().await.unwrap().position;
    let mut edit = unchanged(&product);
    edit.names = PerLocale::from_fn(|locale| format!("{} (nuevo)", product.names[locale]));
    edit.meta[Locale::Pt] = comptoir_domain::PageMeta {
        title: "Fantasia de pirata barata".to_owned(),
        description: "A fantasia de pirata mais vendida, entregue em 48 horas.".to_owned(),
    };
    let es = edit.sites[SiteCode::Es.index()].as_mut().unwrap();
    es.price = Money::eur(es.price.cents() + 100);
    edit.sites[SiteCode::It.index()] = None;
    edit.stock_counts = vec![(product.variants[0].id, 77)];
    edit.gender = Some(comptoir_domain::Gender::Unisex);
    let category = t.store.category_choices().await.unwrap()[3].id;
    edit.categories = vec![(comptoir_domain::CategoryId(category), 4)];
    let marta = Actor::command_line();
    let saved = t.store.save_product(&edit, version, &marta).await.unwrap();
    assert_eq!(
        saved,
        EditOutcome::Saved {
            version: version + 1
        }
    );

    let (after, _) = t
        .store
        .product_for_edit(ProductId(5))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        after.names[Locale::Fr],
        format!("{} (nuevo)", product.names[Locale::Fr])
    );
    assert_eq!(after.sites, edit.sites);
    assert_eq!(after.meta, edit.meta, "page meta written per language");
    assert_eq!(after.variants[0].stock, 77);
    assert_eq!(
        &after.variants[1..],
        &product.variants[1..],
        "untouched counts stay"
    );
    let changes = t.store.changes_after(position, 10).await.unwrap();
    assert!(
        changes
            .iter()
            .any(|c| c.kind == ChangeKind::Product && c.product == Some(ProductId(5)))
    );

    let log = t
        .store
        .audit_entries(&AuditFilter::default(), 1, 0)
        .await
        .unwrap();
    assert_eq!(
        (log[0].action.as_str(), log[0].entity_id.as_str()),
        ("product.edit", "5")
    );
    let before: serde_json::Value =
        serde_json::from_str(log[0].before.as_deref().unwrap()).unwrap();
    let after: serde_json::Value = serde_json::from_str(log[0].after.as_deref().unwrap()).unwrap();
    assert_eq!(
        after["stock.".to_owned() + product.variants[0].sku.as_str()],
        77
    );
    assert_eq!(after["site.it"], serde_json::Value::Null);
    assert_eq!(after["meta_title.pt"], "Fantasia de pirata barata");
    assert_eq!(before["meta_title.pt"], "");
    assert!(before["site.it"].is_object());
    assert!(
        before.get("enabled").is_none(),
        "unchanged fields are left out"
    );

    let other = t
        .store
        .product_for_edit(ProductId(6))
        .await
        .unwrap()
        .unwrap();
    let mut taken = unchanged(&other.0);
    taken.url_keys[Locale::Pt] = after_key(&t, Locale::Pt).await;
    assert_eq!(
        t.store.save_product(&taken, other.1, &marta).await.unwrap(),
        EditOutcome::UrlKeyTaken(Locale::Pt)
    );
    let (unchanged_other, version) = t
        .store
        .product_for_edit(ProductId(6))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((unchanged_other, version), other, "nothing written");
}

/// Product 5's URL key in `locale`.
async fn after_key(t: &TestStore, locale: Locale) -> String {
    let (product, _) = t
        .store
        .product_for_edit(ProductId(5))
        .await
        .unwrap()
        .unwrap();
    product.url_keys[locale].clone()
}

async fn an_edit_based_on_an_old_version_is_refused(t: TestStore) {
    let (product, version) = t
        .store
        .product_for_edit(ProductId(9))
        .await
        .unwrap()
        .unwrap();
    let by = Actor::command_line();
    let mut first = unchanged(&product);
    first.enabled = !product.enabled;
    let mut second = unchanged(&product);
    second.names[Locale::Es] = "Otro nombre".into();
    // Orders moving stock meanwhile are not edits.
    t.store
        .set_stock(&product.variants[0].sku, 3)
        .await
        .unwrap();
    assert_eq!(
        t.store.save_product(&first, version, &by).await.unwrap(),
        EditOutcome::Saved {
            version: version + 1
        }
    );
    assert_eq!(
        t.store.save_product(&second, version, &by).await.unwrap(),
        EditOutcome::Conflict
    );
    let (now, _) = t
        .store
        .product_for_edit(ProductId(9))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(now.names[Locale::Es], product.names[Locale::Es]);
    assert_eq!(
        now.variants[0].stock, 3,
        "the edit did not write stock back"
    );
    let mut missing = unchanged(&product);
    missing.id = ProductId(9_999_999);
    assert_eq!(
        t.store.save_product(&missing, 0, &by).await.unwrap(),
        EditOutcome::NotFound
    );
}

async fn orders_move_on_by_their_rules(t: TestStore) {
    use comptoir_domain::order::{FulfilmentStatus, PaymentStatus};
    let by = Actor::command_line();
    let mut transfer = test_order("transfer", &[("DIS-BRUJA-MUJER-M", 2)]);
    transfer.payment_method = "bank-transfer".to_owned();
    let placed = t.store.place_order(&transfer, &no_mail).await.unwrap();
    let id = placed.id;
    let change = |change: OrderChange| {
        let store = t.store.clone();
        let by = by.clone();
        async move { store.change_order(id, &change, &by, None).await.unwrap() }
    };
    assert_eq!(
        change(OrderChange::Fulfilment(FulfilmentStatus::Delivered)).await,
        OrderChangeOutcome::Refused(OrderRefusal::UnreachableStatus)
    );
    assert_eq!(
        change(OrderChange::MarkPaid).await,
        OrderChangeOutcome::Done
    );
    assert!(
        matches!(
            change(OrderChange::MarkPaid).await,
            OrderChangeOutcome::Refused(_)
        ),
        "paid once"
    );
    assert_eq!(
        change(OrderChange::Fulfilment(FulfilmentStatus::Processing)).await,
        OrderChangeOutcome::Done
    );
    let mail = OutgoingMail {
        recipient: "ana@example.es".into(),
        subject: "Tu pedido va de camino".into(),
        body: "SEUR 123".into(),
    };
    let shipped = t
        .store
        .change_order(
            id,
            &OrderChange::Ship {
                carrier: "SEUR".into(),
                tracking: "123".into(),
            },
            &by,
            Some(&mail),
        )
        .await
        .unwrap();
    assert_eq!(shipped, OrderChangeOutcome::Done);
    assert!(
        queued_mails(&t)
            .await
            .iter()
            .any(|m| m.subject == "Tu pedido va de camino")
    );
    assert!(
        matches!(
            change(OrderChange::Fulfilment(FulfilmentStatus::Cancelled)).await,
            OrderChangeOutcome::Refused(_)
        ),
        "shipped: too late"
    );
    assert_eq!(
        change(OrderChange::Refund {
            amount_cents: 500,
            reason: "talla".into()
        })
        .await,
        OrderChangeOutcome::Done
    );
    assert!(matches!(
        change(OrderChange::Refund {
            amount_cents: 1_501,
            reason: String::new()
        })
        .await,
        OrderChangeOutcome::Refused(_)
    ));
    assert_eq!(
        change(OrderChange::Refund {
            amount_cents: 1_500,
            reason: String::new()
        })
        .await,
        OrderChangeOutcome::Done
    );
    assert_eq!(
        change(OrderChange::Note("Cliente contenta".into())).await,
        OrderChangeOutcome::Done
    );
    let record = t.store.order(id).await.unwrap().unwrap();
    assert_eq!(record.payment_status, PaymentStatus::Refunded.as_str());
    assert_eq!(record.fulfilment_status, FulfilmentStatus::Shipped.as_str());
    let kinds: Vec<_> = t
        .store
        .order_events(id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        ["payment", "status", "shipment", "refund", "refund", "note"]
    );
    let log = t
        .store
        .audit_entries(
            &AuditFilter {
                entity: Some("order".into()),
                ..AuditFilter::default()
            },
            10,
            0,
        )
        .await
        .unwrap();
    assert_eq!(log.len(), 6);

    // A cancellation returns the stock, through the change log.
    let other = t
        .store
        .place_order(&test_order("cancelled", &[("PEL-AFRO-MULTI", 3)]), &no_mail)
        .await
        .unwrap();
    let stock = t.stock_of("PEL-AFRO-MULTI").await;
    let position = t.store.load_catalogue().await.unwrap().position;
    let cancel = OrderChange::Fulfilment(FulfilmentStatus::Cancelled);
    assert_eq!(
        t.store
            .change_order(other.id, &cancel, &by, None)
            .await
            .unwrap(),
        OrderChangeOutcome::Done
    );
    assert_eq!(t.stock_of("PEL-AFRO-MULTI").await, stock + 3);
    assert!(
        t.store
            .changes_after(position, 5)
            .await
            .unwrap()
            .iter()
            .any(|c| c.kind == ChangeKind::Stock)
    );
    assert!(
        matches!(
            t.store
                .change_order(other.id, &cancel, &by, None)
                .await
                .unwrap(),
            OrderChangeOutcome::Refused(_)
        ),
        "cancelled once: stock returned once"
    );
    assert_eq!(t.stock_of("PEL-AFRO-MULTI").await, stock + 3);
    assert_eq!(
        t.store
            .change_order(999_999, &cancel, &by, None)
            .await
            .unwrap(),
        OrderChangeOutcome::NotFound
    );
}

async fn the_order_list_filters(t: TestStore) {
    use comptoir_domain::order::PaymentStatus;
    for n in 0..12 {
        let mut placed = test_order(&format!("list-{n}"), &[("PEL-AFRO-MULTI", 1 + n % 3)]);
        placed.email = format!("cliente{n}@example.es");
        if n % 4 == 0 {
            placed.site = SiteCode::Fr;
        }
        t.store.place_order(&placed, &no_mail).await.unwrap();
    }
    let all = t
        .store
        .find_orders(&OrderFilter::default(), 5, 0)
        .await
        .unwrap();
    assert_eq!((all.total, all.rows.len()), (12, 5));
    assert!(
        all.rows
            .windows(2)
            .all(|w| w[0].placed_at >= w[1].placed_at),
        "newest first"
    );
    let count = |filter: OrderFilter| {
        let store = t.store.clone();
        async move { store.find_orders(&filter, 50, 0).await.unwrap().total }
    };
    assert_eq!(
        count(OrderFilter {
            site: Some(SiteCode::Fr),
            ..OrderFilter::default()
        })
        .await,
        3
    );
    assert_eq!(
        count(OrderFilter {
            text: Some("CLIENTE1".into()),
            ..OrderFilter::default()
        })
        .await,
        3,
        "1, 10, 11"
    );
    assert_eq!(
        count(OrderFilter {
            text: Some("es-100000000".into()),
            ..OrderFilter::default()
        })
        .await,
        1
    );
    assert_eq!(
        count(OrderFilter {
            min_total_cents: Some(3_000),
            ..OrderFilter::default()
        })
        .await,
        4
    );
    assert_eq!(
        count(OrderFilter {
            payment: Some(PaymentStatus::Paid),
            ..OrderFilter::default()
        })
        .await,
        0
    );
    let hour = chrono::Duration::hours(1);
    assert_eq!(
        count(OrderFilter {
            placed_from: Some(Utc::now() - hour),
            placed_until: Some(Utc::now() + hour),
            ..OrderFilter::default()
        })
        .await,
        12
    );
    assert_eq!(
        count(OrderFilter {
            text: Some("%".into()),
            ..OrderFilter::default()
        })
        .await,
        0
    );
}

async fn bulk_changes_apply_to_each_product_with_its_version_and_audit(t: TestStore) {
    let by = Actor::command_line();
    let ids = [ProductId(3), ProductId(4), ProductId(5)];
    let before: Vec<_> = t.store.load_products(&ids).await.unwrap();
    let versions = |store: std::sync::Arc<dyn comptoir_store::Store>| async move {
        let mut versions = Vec::new();
        for id in [3, 4, 5] {
            versions.push(
                store
                    .product_for_edit(ProductId(id))
                    .await
                    .unwrap()
                    .unwrap()
                    .1,
            );
        }
        versions
    };
    let position = t.store.load_catalogue().await.unwrap().position;

    assert_eq!(
        t.store
            .bulk_change(&ids, BulkChange::Enable(false), &by)
            .await
            .unwrap(),
        BulkOutcome::Done(3)
    );
    assert!(
        t.store
            .load_products(&ids)
            .await
            .unwrap()
            .iter()
            .all(|p| !p.enabled)
    );
    assert_eq!(
        versions(t.store.clone()).await,
        [1, 1, 1],
        "open editors must reload"
    );
    let logged = t.store.changes_after(position, 10).await.unwrap();
    assert_eq!(
        logged
            .iter()
            .filter(|c| c.kind == ChangeKind::Product)
            .count(),
        3
    );

    let categories = t.store.category_choices().await.unwrap();
    let target = categories.last().unwrap().id;
    let moved = t
        .store
        .bulk_change(&ids[..1], BulkChange::MoveToCategory(target), &by)
        .await
        .unwrap();
    assert_eq!(moved, BulkOutcome::Done(1));
    let placed = &t.store.load_products(&ids[..1]).await.unwrap()[0].categories;
    assert_eq!(
        placed.iter().map(|(c, _)| c.0).collect::<Vec<_>>(),
        [target]
    );
    assert!(matches!(
        t.store
            .bulk_change(&ids, BulkChange::MoveToCategory(9_999_999), &by)
            .await
            .unwrap(),
        BulkOutcome::UnknownCategory
    ));

    let es_only = BulkChange::PriceByPercent {
        site: Some(SiteCode::Es),
        percent: -20,
    };
    assert_eq!(
        t.store.bulk_change(&ids, es_only, &by).await.unwrap(),
        BulkOutcome::Done(3)
    );
    let after = t.store.load_products(&ids).await.unwrap();
    for (old, new) in before.iter().zip(&after) {
        let (old_es, new_es) = (
            old.site(SiteCode::Es).unwrap(),
            new.site(SiteCode::Es).unwrap(),
        );
        assert_eq!(new_es.price, old_es.price.changed_by_percent(-20).unwrap());
        if let Some(sale) = new_es.sale {
            assert!(sale.price < new_es.price, "a sale stays below the price");
        }
        assert_eq!(
            new.site(SiteCode::Fr),
            old.site(SiteCode::Fr),
            "other sites untouched"
        );
    }
    let audited = t
        .store
        .audit_entries(
            &AuditFilter {
                action_prefix: Some("product.bulk.".into()),
                ..AuditFilter::default()
            },
            50,
            0,
        )
        .await
        .unwrap();
    assert_eq!(audited.len(), 7, "one entry per product changed");
}

async fn the_category_tree_is_edited_with_its_rules(t: TestStore) {
    use comptoir_domain::CategoryId;
    let by = Actor::command_line();
    let tree = t.store.all_categories().await.unwrap();
    let root = tree.iter().find(|c| c.parent.is_none()).unwrap().clone();
    let child = tree
        .iter()
        .find(|c| c.parent == Some(root.id))
        .unwrap()
        .clone();
    let position = t.store.load_catalogue().await.unwrap().position;

    let new = CategoryEdit {
        id: None,
        parent: Some(root.id),
        position: 99,
        enabled: true,
        hygiene_sealed: true,
        names: PerLocale::from_fn(|l| format!("Novedades {}", l.as_str())),
        url_keys: PerLocale::from_fn(|l| format!("novedades-{}", l.as_str())),
        meta: PerLocale::from_fn(|l| comptoir_domain::PageMeta {
            title: format!("Novedades de carnaval ({})", l.as_str()),
            description: String::new(),
        }),
    };
    let CategoryOutcome::Saved(id) = t.store.save_category(&new, &by).await.unwrap() else {
        panic!("saved");
    };
    let reloaded = t.store.load_catalogue().await.unwrap();
    let created = reloaded
        .catalogue
        .categories
        .iter()
        .find(|c| c.id == id)
        .unwrap();
    assert_eq!(
        (created.parent, created.names[Locale::Fr].as_str()),
        (Some(root.id), "Novedades fr")
    );
    assert!(created.hygiene_sealed, "the hygiene mark is kept");
    assert_eq!(created.meta, new.meta);
    assert!(
        t.store
            .changes_after(position, 10)
            .await
            .unwrap()
            .iter()
            .any(|c| c.kind == ChangeKind::Category)
    );

    let mut clash = new.clone();
    clash.url_keys = PerLocale::from_fn(|l| format!("otra-{}", l.as_str()));
    clash.url_keys[Locale::It] = child.url_keys[Locale::It].clone();
    assert_eq!(
        t.store.save_category(&clash, &by).await.unwrap(),
        CategoryOutcome::KeyTaken(Locale::It)
    );
    let mut cycle: CategoryEdit = (&root).into();
    cycle.parent = Some(child.id);
    assert_eq!(
        t.store.save_category(&cycle, &by).await.unwrap(),
        CategoryOutcome::InvalidParent
    );
    let mut own: CategoryEdit = (&root).into();
    own.parent = Some(root.id);
    assert_eq!(
        t.store.save_category(&own, &by).await.unwrap(),
        CategoryOutcome::InvalidParent
    );
    let mut moved: CategoryEdit = (&child).into();
    moved.parent = None;
    moved.enabled = false;
    assert_eq!(
        t.store.save_category(&moved, &by).await.unwrap(),
        CategoryOutcome::Saved(child.id)
    );

    assert_eq!(
        t.store.delete_category(root.id, &by).await.unwrap(),
        CategoryOutcome::NotEmpty
    );
    assert_eq!(
        t.store.delete_category(id, &by).await.unwrap(),
        CategoryOutcome::Deleted
    );
    assert_eq!(
        t.store
            .delete_category(CategoryId(9_999_999), &by)
            .await
            .unwrap(),
        CategoryOutcome::NotFound
    );
    let log = t
        .store
        .audit_entries(
            &AuditFilter {
                entity: Some("category".into()),
                ..AuditFilter::default()
            },
            10,
            0,
        )
        .await
        .unwrap();
    let actions: Vec<_> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["category.delete", "category.update", "category.create"]
    );
}

/// A subscriber keeps the date of their consent; one who left is not on the list,
/// and importing the old shop's list again does not put them back; subscribing
/// again does, from that day.
async fn newsletter_subscribers_join_leave_and_are_never_imported_back(t: TestStore) {
    use comptoir_store::NewsletterSubscriber;

    let day = |d: u32| chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 10, d, 9, 0, 0).unwrap();
    let ana = "ana@example.es";
    t.store
        .set_newsletter(ana, SiteCode::Es, true, day(1))
        .await
        .unwrap();
    t.store
        .set_newsletter(ana, SiteCode::Fr, true, day(2))
        .await
        .unwrap();
    assert_eq!(
        t.store.newsletter_subscription(ana).await.unwrap(),
        Some(day(1))
    );
    let old_list = [
        NewsletterSubscriber {
            email: ana.to_owned(),
            site: SiteCode::Es,
            subscribed_at: day(3),
        },
        NewsletterSubscriber {
            email: "luis@example.pt".to_owned(),
            site: SiteCode::Pt,
            subscribed_at: day(4),
        },
    ];
    let imported = t
        .store
        .import_newsletter_subscribers(&old_list)
        .await
        .unwrap();
    assert_eq!((imported.created, imported.already_there), (1, 1));
    let list = t.store.newsletter_subscribers().await.unwrap();
    assert_eq!(
        list.iter()
            .map(|s| (s.email.as_str(), s.site, s.subscribed_at))
            .collect::<Vec<_>>(),
        [
            (ana, SiteCode::Fr, day(1)),
            ("luis@example.pt", SiteCode::Pt, day(4))
        ],
        "by site; Ana's site is her latest choice, her date her first"
    );
    t.store
        .set_newsletter(ana, SiteCode::Fr, false, day(5))
        .await
        .unwrap();
    assert_eq!(t.store.newsletter_subscription(ana).await.unwrap(), None);
    let again = t
        .store
        .import_newsletter_subscribers(&old_list)
        .await
        .unwrap();
    assert_eq!((again.created, again.already_there), (0, 2));
    assert_eq!(
        t.store.newsletter_subscribers().await.unwrap().len(),
        1,
        "she left"
    );
    t.store
        .set_newsletter(ana, SiteCode::Es, true, day(6))
        .await
        .unwrap();
    assert_eq!(
        t.store.newsletter_subscription(ana).await.unwrap(),
        Some(day(6))
    );
}

/// An order of the old shop, placed at `placed_at` by `email`.
fn legacy_order(
    number: &str,
    email: &str,
    placed_at: chrono::DateTime<Utc>,
) -> comptoir_domain::import::LegacyOrder {
    comptoir_domain::import::LegacyOrder {
        number: number.to_owned(),
        site: SiteCode::Es,
        email: email.to_owned(),
        placed_at,
        status: "complete".to_owned(),
        currency: "EUR".to_owned(),
        subtotal_cents: 2_999,
        shipping_cents: 499,
        discount_cents: 0,
        tax_cents: 607,
        total_cents: 3_498,
        paid_cents: 3_498,
        payment_method: "Tarjeta".to_owned(),
        shipping_method: "Envío estándar".to_owned(),
        billing_address: "Ana García, Calle Mayor 1, 28013 Madrid".to_owned(),
        shipping_address: "Ana García, Calle Mayor 1, 28013 Madrid".to_owned(),
        invoices: Vec::new(),
        shipments: Vec::new(),
        lines: Vec::new(),
    }
}

/// Carrying an erasure out deletes the account, takes it off the newsletter and
/// restricts its orders (and the old shop's) for the site's retention years,
/// once; masking reaches them only after that; a refusal keeps the account and
/// its reason.
async fn erased_customers_orders_are_restricted_then_masked(t: TestStore) {
    use comptoir_domain::customer::RetentionYears;
    use comptoir_store::{ErasureOutcome, ErasureStatus};

    let ana_id = t.store.create_customer(&ana()).await.unwrap().unwrap();
    let mut order = test_order("erase-me-please-1", &[("SOM-BRUJA", 1)]);
    order.customer_id = Some(ana_id);
    let placed = t.store.place_order(&order, &confirmation).await.unwrap();
    let now = Utc::now();
    let email = "ana@example.es";
    // She bought in the old shop too, and gets the newsletter.
    let old_order = legacy_order("100000007", email, now);
    t.store
        .import_legacy_orders(std::slice::from_ref(&old_order), &Actor::command_line())
        .await
        .unwrap();
    assert_eq!(
        t.store.customer_legacy_orders(ana_id).await.unwrap().len(),
        1
    );
    t.store
        .set_newsletter(email, SiteCode::Es, true, now)
        .await
        .unwrap();
    assert!(
        t.store
            .request_erasure(ana_id, email, SiteCode::Es, now)
            .await
            .unwrap()
    );
    assert!(
        !t.store
            .request_erasure(ana_id, email, SiteCode::Es, now)
            .await
            .unwrap(),
        "one pending"
    );
    assert!(t.store.pending_erasure(ana_id).await.unwrap().is_some());
    let request = t.store.erasure_requests(10).await.unwrap()[0].clone();
    assert_eq!(
        (request.customer_id, request.status),
        (Some(ana_id), ErasureStatus::Requested)
    );

    let told = OutgoingMail {
        recipient: email.to_owned(),
        subject: "Hemos suprimido tu cuenta".to_owned(),
        body: "…".to_owned(),
    };
    let admin = Actor::command_line();
    let retention = RetentionYears::default();
    assert_eq!(
        t.store
            .erase_customer(request.id, &retention, &told, &admin)
            .await
            .unwrap(),
        ErasureOutcome::Erased {
            orders_restricted: 1
        }
    );
    assert_eq!(
        t.store
            .erase_customer(request.id, &retention, &told, &admin)
            .await
            .unwrap(),
        ErasureOutcome::NotPending
    );
    assert_eq!(t.store.customer(ana_id).await.unwrap(), None);
    assert_eq!(
        t.store.newsletter_subscription(email).await.unwrap(),
        None,
        "off the newsletter, with no trace"
    );
    assert!(t.store.newsletter_subscribers().await.unwrap().is_empty());
    let old = t.store.find_legacy_orders("100000007", 5).await.unwrap();
    assert_eq!(
        (old[0].email.as_str(), old[0].billing_address.as_str()),
        (email, old_order.billing_address.as_str()),
        "the old shop's order intact while restricted"
    );
    let kept = t.store.order(placed.id).await.unwrap().unwrap();
    assert_eq!(kept.customer_id, None);
    assert_eq!(kept.email, email, "intact while restricted");
    let until = kept.restricted_until.unwrap();
    assert_eq!(
        until,
        kept.placed_at
            .checked_add_months(chrono::Months::new(72))
            .unwrap()
    );
    let decided = t.store.erasure_request(request.id).await.unwrap().unwrap();
    assert_eq!(decided.status, ErasureStatus::Erased);
    assert_eq!(decided.email, "a•••@example.es");
    assert_eq!(decided.customer_id, None);
    assert!(
        queued_mails(&t)
            .await
            .iter()
            .any(|m| m.subject == "Hemos suprimido tu cuenta"),
        "the customer is told"
    );

    assert_eq!(t.store.mask_expired_orders(now).await.unwrap(), 0);
    let later = until + chrono::Duration::days(1);
    assert_eq!(
        t.store.mask_expired_orders(later).await.unwrap(),
        2,
        "hers and the old shop's"
    );
    let old = t.store.find_legacy_orders("100000007", 5).await.unwrap();
    assert_eq!(
        (
            old[0].email.as_str(),
            old[0].billing_address.as_str(),
            old[0].total_cents
        ),
        ("erased", "", old_order.total_cents)
    );
    let masked = t.store.order(placed.id).await.unwrap().unwrap();
    assert_eq!(
        (
            masked.email.as_str(),
            masked.ship_to.name.as_str(),
            masked.phone.as_str()
        ),
        ("erased", "", "")
    );
    assert_eq!(masked.total_cents, kept.total_cents, "the amounts stay");
    assert_eq!(t.store.mask_expired_orders(later).await.unwrap(), 0);

    let luis = t
        .store
        .create_customer(&NewCustomer {
            email: "luis@example.es".to_owned(),
            ..ana()
        })
        .await
        .unwrap()
        .unwrap();
    assert!(
        t.store
            .request_erasure(luis, "luis@example.es", SiteCode::Fr, now)
            .await
            .unwrap()
    );
    let request = t.store.erasure_requests(10).await.unwrap()[0].clone();
    assert_eq!(request.customer_id, Some(luis), "pending ones first");
    assert_eq!(
        t.store
            .refuse_erasure(request.id, "Un pedido en disputa.", &told, &admin)
            .await
            .unwrap(),
        ErasureOutcome::Refused
    );
    assert!(t.store.customer(luis).await.unwrap().is_some());
    let refused = t.store.erasure_request(request.id).await.unwrap().unwrap();
    assert_eq!(
        (refused.status, refused.reason.as_str()),
        (ErasureStatus::Refused, "Un pedido en disputa.")
    );
    let audit = t
        .store
        .audit_entries(
            &AuditFilter {
                entity: Some("erasure_request".to_owned()),
                ..AuditFilter::default()
            },
            10,
            0,
        )
        .await
        .unwrap();
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["customer.erase_refused", "customer.erase"]);
}
