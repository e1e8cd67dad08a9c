//! What the benchmark tools share: a shopper's checkout over HTTP, from a filled cart
//! to the test bank's approval, each step checked, as `checkout-load` repeats it
//! under load and `shopper-journey` walks it through the stack's balancer; and the
//! demo catalogue as a Magento export (`magento-export`).

pub mod magento_db;
pub mod magento_export;

use comptoir_e2e::{Page, Shopper};

/// `Err` naming `step` unless `page` answered `status` (and contains `text`).
pub fn expect(page: &Page, status: u16, text: &str, step: &str) -> Result<(), String> {
    if page.status == status && page.body.contains(text) {
        Ok(())
    } else {
        Err(format!(
            "{step}: status {} (wanted {status}{}), location {:?}",
            page.status,
            if text.is_empty() {
                String::new()
            } else {
                format!(" with {text:?}")
            },
            page.headers.get("location")
        ))
    }
}

/// From `shopper`'s cart on the Spanish site to a card order paid at the test bank,
/// delivered in Madrid to `email`: the bank's answer, which sends the shopper to the
/// order's page. `Err("sold out")` when the stock went meanwhile; any other `Err`
/// names the step that did not answer as expected.
pub async fn check_out_and_pay_by_card(shopper: &Shopper, email: &str) -> Result<Page, String> {
    expect(&shopper.get("/es/checkout").await, 303, "", "checkout")?;
    // The address form, with the token its session's forms carry.
    let address_page = shopper.get("/es/checkout/address").await;
    expect(&address_page, 200, "", "address page")?;
    let address_form = [
        ("email", email),
        ("name", "Ana Viaje"),
        ("street", "Calle Mayor 1"),
        ("postcode", "28013"),
        ("city", "Madrid"),
        ("country", "ES"),
        ("phone", "612345678"),
    ];
    let addressed = shopper.post("/es/checkout/address", &address_form).await;
    expect(&addressed, 303, "", "address")?;
    let payment = shopper
        .post("/es/checkout/payment", &[("method", "card")])
        .await;
    expect(&payment, 303, "", "payment method")?;
    let review = shopper.get("/es/checkout/review").await;
    expect(&review, 200, "accept_terms", "review")?;
    let attempt = review.hidden("attempt").ok_or("review without attempt")?;
    let placed = shopper
        .post(
            "/es/checkout/place",
            &[("attempt", &attempt), ("accept_terms", "1")],
        )
        .await;
    expect(&placed, 303, "", "place the order")?;
    if placed.location_path().contains("sold-out") {
        return Err("sold out".to_owned());
    }
    let pay = shopper.get(&placed.location_path()).await;
    expect(&pay, 200, "Ds_MerchantParameters", "pay")?;
    let parameters = pay.hidden("Ds_MerchantParameters").ok_or("no parameters")?;
    let signature = pay.hidden("Ds_Signature").ok_or("no signature")?;
    let bank = shopper.send_to_test_bank(&parameters, &signature).await;
    expect(&bank, 200, "", "test bank")?;
    let answer = shopper
        .post(
            "/es/test-bank/answer",
            &[
                ("merchant_parameters", &parameters),
                ("signature", &signature),
                ("decision", "approve"),
            ],
        )
        .await;
    expect(&answer, 303, "", "bank answer")?;
    Ok(answer)
}
