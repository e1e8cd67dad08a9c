//! Orders for tests that need some placed, without going through the checkout.

use comptoir_domain::{SiteCode, Sku};
use comptoir_store::{
    Actor, NewOrder, NewOrderLine, OrderChange, OrderChangeOutcome, ShippingAddress,
};

use crate::TestStore;

/// An order of `lines` (SKU, quantity) at 10 € a unit, on the Spanish site, paid by
/// card; `key` makes its idempotency key.
pub fn test_order(key: &str, lines: &[(&str, u32)]) -> NewOrder {
    let lines: Vec<NewOrderLine> = lines
        .iter()
        .map(|(sku, quantity)| NewOrderLine {
            sku: Sku::parse(sku).unwrap(),
            name: sku.to_string(),
            unit_cents: 1_000,
            quantity: *quantity,
            gross_cents: 1_000 * i64::from(*quantity),
            discount_cents: 0,
            net_cents: 826 * i64::from(*quantity),
            vat_cents: 174 * i64::from(*quantity),
            vat_rate_bp: 2_100,
        })
        .collect();
    let total = lines.iter().map(|l| l.gross_cents).sum();
    NewOrder {
        site: SiteCode::Es,
        idempotency_key: format!("attempt-{key:0>16}"),
        email: "ana@example.es".to_owned(),
        customer_id: None,
        ship_to: ShippingAddress {
            name: "Ana García".to_owned(),
            street: "Calle Mayor 1".to_owned(),
            postcode: "28013".to_owned(),
            city: "Madrid".to_owned(),
            country: "ES".to_owned(),
        },
        phone: "+34612345678".to_owned(),
        ship_region: String::new(),
        invoice: None,
        shipping_method: "standard".to_owned(),
        payment_method: "card".to_owned(),
        client_address: None,
        lines,
        items_cents: total,
        discount_cents: 0,
        shipping_cents: 0,
        vat_cents: total - total * 100 / 121,
        total_cents: total,
        outside_eu_vat: false,
        terms: None,
        promotions: Vec::new(),
    }
}

/// A bank-transfer order of `quantity` pumpkin balloons, for staff to mark paid.
pub fn transfer(key: &str, quantity: u32) -> NewOrder {
    let mut order = test_order(key, &[("MAQ-SANGRE", quantity)]);
    order.payment_method = "bank-transfer".to_owned();
    order
}

/// Places `order` and marks it paid as staff do when the transfer arrives: its
/// invoice is issued. The order's id.
pub async fn paid(t: &TestStore, order: &NewOrder) -> i64 {
    let placed = t.store.place_order(order, &|_| None).await.unwrap();
    let outcome = t
        .store
        .change_order(
            placed.id,
            &OrderChange::MarkPaid,
            &Actor::command_line(),
            None,
        )
        .await
        .unwrap();
    assert_eq!(outcome, OrderChangeOutcome::Done);
    placed.id
}

/// `order` shipped to the Canaries, outside the EU's VAT: its one line (a balloon of
/// 10 € with 21 % VAT on the peninsula) sold at 8.26 € without VAT.
pub fn shipped_to_the_canaries(order: &mut NewOrder) {
    order.ship_to.postcode = "35001".to_owned();
    order.ship_to.country = "ES".to_owned();
    order.outside_eu_vat = true;
    let line = &mut order.lines[0];
    (
        line.vat_cents,
        line.net_cents,
        line.unit_cents,
        line.gross_cents,
    ) = (0, 826, 826, 826);
    (order.items_cents, order.vat_cents, order.total_cents) = (826, 0, 826);
}

/// Records a refund of `cents` of order `order` as staff do: its rectifying invoice
/// is issued.
pub async fn refunded(t: &TestStore, order: i64, cents: i64) {
    let refund = OrderChange::Refund {
        amount_cents: cents,
        reason: "devuelto".to_owned(),
    };
    let outcome = t
        .store
        .change_order(order, &refund, &Actor::command_line(), None)
        .await
        .unwrap();
    assert_eq!(outcome, OrderChangeOutcome::Done);
}
