//! Cart, checkout and payment through HTTP, on PostgreSQL + Redis and on the embedded
//! default (SQLite, shopper state in the database).

use std::collections::BTreeSet;
use std::time::Duration;

use comptoir_domain::{SiteCode, Sku};
use comptoir_e2e::{
    Shopper, StandInVies, TestStore, coded_promotion, on_both_backends, spawn_app,
    spawn_app_configured,
};

on_both_backends! {
    guest_checkout_with_the_test_bank,
    a_sale_in_spain_above_three_thousand_euros_needs_the_buyers_tax_id,
    a_declined_card_leaves_the_order_to_pay_again_or_otherwise,
    bank_transfer_orders_are_placed_pending,
    no_order_without_the_terms_accepted_and_the_version_is_kept,
    forged_forms_change_nothing,
    tampered_quantities_and_variants_are_refused,
    the_same_checkout_placed_five_times_is_one_order,
    fifty_shoppers_race_for_ten_units,
    canary_islands_pay_no_vat_and_madeira_its_own,
    an_expired_session_orders_nothing_and_keeps_the_cart,
    sold_out_at_placement_goes_back_to_the_cart,
    another_shoppers_order_is_not_found,
    redsys_notifications_are_verified_and_settle_once,
    the_test_bank_trusts_only_its_own_key_and_returns_to_the_shop,
    payment_references_are_random_and_reused_on_reload,
    quantities_and_unpaid_orders_are_limited,
    private_pages_are_never_stored,
    two_storefronts_serve_one_shopper,
    cookies_are_secure_behind_https,
    the_carrier_gets_a_phone_and_a_company_its_invoice_details,
    a_coupon_code_lowers_the_cart_and_the_order_names_it,
    a_code_used_up_at_the_review_leaves_the_order_at_the_new_total,
    guessing_codes_is_throttled_and_odd_codes_are_refused_clearly,
    a_paid_orders_invoice_downloads_from_its_page_for_its_shopper_only,
    a_business_abroad_whose_vat_number_vies_confirms_pays_no_vat,
}

const WITCH_PAGE: &str = "/es/p/disfraz-de-bruja-para-mujer";

/// Puts `quantity` of `variant` in the shopper's cart, from the product page.
async fn add_to_cart(shopper: &Shopper, variant: &str, quantity: &str) {
    assert_eq!(shopper.get(WITCH_PAGE).await.status, 200);
    let added = shopper
        .post(
            "/es/cart/add",
            &[("variant", variant), ("quantity", quantity)],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    assert_eq!(added.location_path(), "/es/cart?notice=added");
}

/// Goes through the address and payment steps; the review page.
async fn checkout_to_review(
    shopper: &Shopper,
    site: &str,
    postcode: &str,
    country: &str,
    method: &str,
) -> comptoir_e2e::Page {
    let start = shopper.get(&format!("/{site}/checkout")).await;
    assert_eq!(start.status, 303);
    assert_eq!(start.location_path(), format!("/{site}/checkout/address"));
    let address = shopper
        .post(
            &format!("/{site}/checkout/address"),
            &[
                ("email", "Ana.Garcia@Example.es"),
                ("name", "Ana García"),
                ("street", "Calle Mayor 1"),
                ("postcode", postcode),
                ("city", "Ciudad"),
                ("country", country),
                ("phone", "+34 612 345 678"),
                ("region", "RM"),
            ],
        )
        .await;
    assert_eq!(address.status, 303, "{}", address.body);
    assert_eq!(
        address.location_path(),
        format!("/{site}/checkout/payment"),
        "one shipping method: no step to choose it"
    );
    let payment = shopper
        .post(&format!("/{site}/checkout/payment"), &[("method", method)])
        .await;
    assert_eq!(payment.status, 303);
    assert_eq!(payment.location_path(), format!("/{site}/checkout/review"));
    let review = shopper.get(&format!("/{site}/checkout/review")).await;
    assert_eq!(review.status, 200);
    let button = match site {
        "es" => "Comprar y pagar",
        "fr" => "Commander avec obligation de paiement",
        "pt" => "Encomendar com obrigação de pagamento",
        _ => "Ordina con obbligo di pagamento",
    };
    assert!(
        review.body.contains(&format!(
            "<button type=\"submit\" class=\"button\">{button}</button>"
        )),
        "{site}: the button says ordering means paying"
    );
    review
}

async fn place(shopper: &Shopper, site: &str, review: &comptoir_e2e::Page) -> comptoir_e2e::Page {
    let attempt = review
        .hidden("attempt")
        .expect("the review has an attempt key");
    // As a browser sends the form: with the total the review showed.
    let total = review.hidden("total_cents").unwrap_or_default();
    shopper
        .post(
            &format!("/{site}/checkout/place"),
            &[
                ("attempt", &attempt),
                ("accept_terms", "1"),
                ("total_cents", &total),
            ],
        )
        .await
}

/// A card order of one unit of `variant`, placed by `shopper` for delivery to
/// `postcode` in Spain: the answer to placing it (to the payment page).
async fn card_order(shopper: &Shopper, variant: &str, postcode: &str) -> comptoir_e2e::Page {
    add_to_cart(shopper, variant, "1").await;
    let review = checkout_to_review(shopper, "es", postcode, "ES", "card").await;
    place(shopper, "es", &review).await
}

/// Pays a placed card order at the test bank; where the bank sends the shopper back.
async fn pay_at_test_bank(
    shopper: &Shopper,
    placed: &comptoir_e2e::Page,
    decision: &str,
) -> String {
    assert_eq!(placed.status, 303, "{}", placed.body);
    assert!(
        placed.location_path().starts_with("/es/pay/ES-"),
        "{}",
        placed.location()
    );
    let pay = shopper.get(&placed.location_path()).await;
    assert_eq!(pay.status, 200);
    let parameters = pay.hidden("Ds_MerchantParameters").unwrap();
    let signature = pay.hidden("Ds_Signature").unwrap();
    let bank = shopper.send_to_test_bank(&parameters, &signature).await;
    assert_eq!(bank.status, 200, "{}", bank.body);
    assert!(bank.body.contains("data-amount"));
    let answered = shopper
        .post(
            "/es/test-bank/answer",
            &[
                (
                    "merchant_parameters",
                    &bank.hidden("merchant_parameters").unwrap(),
                ),
                ("signature", &bank.hidden("signature").unwrap()),
                ("decision", decision),
            ],
        )
        .await;
    assert_eq!(answered.status, 303);
    answered.location_path()
}

async fn order_by_number(db: &TestStore, number: &str) -> comptoir_store::OrderRecord {
    let id = db.store.order_id_by_number(number).await.unwrap().unwrap();
    db.store.order(id).await.unwrap().unwrap()
}

/// The address step asks a phone the carrier can call (and an Italian address's
/// province); a shopper who wants an invoice in a company's name gives its tax id,
/// checked with its check digits, and billing address. The order keeps them.
async fn the_carrier_gets_a_phone_and_a_company_its_invoice_details(db: TestStore) {
    let app = spawn_app(db).await;
    let shopper = Shopper::new(&app.address);
    add_to_cart(&shopper, "DIS-BRUJA-MUJER-M", "1").await;
    assert_eq!(shopper.get("/it/checkout").await.status, 303);
    let address = [
        ("email", "giulia@example.it"),
        ("name", "Giulia Bianchi"),
        ("street", "Via Roma 1"),
        ("postcode", "20121"),
        ("city", "Milano"),
        ("country", "IT"),
    ];
    let send = |extra: &'static [(&'static str, &'static str)]| {
        let shopper = &shopper;
        async move {
            let fields: Vec<(&str, &str)> = address.iter().chain(extra).copied().collect();
            shopper.post("/it/checkout/address", &fields).await
        }
    };
    // No phone, no province: both said beside their fields.
    let refused = send(&[]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("id=\"phone-error\""));
    assert!(refused.body.contains("id=\"region-error\""));
    // A company's invoice with a partita IVA whose check digit is wrong.
    let refused = send(&[
        ("phone", "347 123 4567"),
        ("region", "mi"),
        ("invoice_name", "Feste Srl"),
        ("tax_id", "07643520568"),
        ("billing_street", "Corso Como 2"),
        ("billing_postcode", "20154"),
        ("billing_city", "Milano"),
        ("billing_country", "IT"),
    ])
    .await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("id=\"tax_id-error\""));
    assert!(!refused.body.contains("id=\"phone-error\""));
    let saved = send(&[
        ("phone", "347 123 4567"),
        ("region", "mi"),
        ("invoice_name", "Feste Srl"),
        ("tax_id", "IT 07643520567"),
        ("billing_street", "Corso Como 2"),
        ("billing_postcode", "20154"),
        ("billing_city", "Milano"),
        ("billing_country", "IT"),
    ])
    .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let payment = shopper
        .post("/it/checkout/payment", &[("method", "bank-transfer")])
        .await;
    assert_eq!(payment.status, 303);
    let review = shopper.get("/it/checkout/review").await;
    assert!(review.body.contains("+393471234567"));
    assert!(review.body.contains("Feste Srl · 07643520567"));
    let placed = place(&shopper, "it", &review).await;
    let number = placed
        .location_path()
        .trim_start_matches("/it/order/")
        .to_owned();
    let order = order_by_number(&app.db, &number).await;
    assert_eq!(order.phone, "+393471234567");
    assert_eq!(order.ship_region, "MI");
    let invoice = order.invoice.expect("the invoice details are kept");
    assert_eq!(invoice.tax_id, "07643520567");
    assert_eq!(invoice.billing.name, "Feste Srl");
    assert_eq!(invoice.billing.postcode, "20154");
    let mail = app
        .db
        .mail_with(&number)
        .await
        .expect("the confirmation is queued at once for a transfer");
    assert!(
        mail.contains("+393471234567"),
        "the phone in the confirmation"
    );
    assert!(
        mail.contains("Feste Srl · 07643520567"),
        "and the invoice details"
    );
}

async fn guest_checkout_with_the_test_bank(db: TestStore) {
    let app = spawn_app(db).await;
    let shopper = Shopper::new(&app.address);
    add_to_cart(&shopper, "DIS-BRUJA-MUJER-M", "2").await;
    assert_eq!(shopper.cookie("cart_units").as_deref(), Some("2"));
    let cart = shopper.get("/es/cart?notice=added").await;
    assert!(cart.body.contains("Artículo añadido a la cesta."));
    assert!(cart.body.contains("49,98\u{a0}€"), "two at 24,99 €");
    let review = checkout_to_review(&shopper, "es", "28013", "ES", "card").await;
    assert!(
        review.body.contains("ana.garcia@example.es"),
        "e-mail lower-cased"
    );
    assert!(
        review.body.contains("data-total>49,98\u{a0}€"),
        "free shipping from 49 €"
    );
    let placed = place(&shopper, "es", &review).await;
    let number = placed
        .location_path()
        .trim_start_matches("/es/pay/")
        .to_owned();
    assert_eq!(
        app.db.stock_of("DIS-BRUJA-MUJER-M").await,
        23,
        "taken at placement"
    );
    assert_eq!(
        order_by_number(&app.db, &number).await.payment_status,
        "pending"
    );
    let back = pay_at_test_bank(&shopper, &placed, "approve").await;
    assert_eq!(back, format!("/es/order/{number}"));
    let confirmation = shopper.get(&back).await;
    assert_eq!(confirmation.status, 200);
    assert!(confirmation.body.contains("¡Gracias por tu pedido!"));
    assert!(confirmation.body.contains(&number));
    assert!(confirmation.body.contains("Pagado"));
    let order = order_by_number(&app.db, &number).await;
    assert_eq!(order.payment_status, "paid");
    assert_eq!(order.total_cents, 4_998);
    assert_eq!(order.vat_cents, 867, "49,98 € at 21 %: 41,31 + 8,67");
    let mail = app
        .db
        .mail_with(&number)
        .await
        .expect("the confirmation is sent");
    assert!(mail.contains("To: ana.garcia@example.es"));
    assert!(mail.contains("Confirmación de tu pedido"));
    assert!(
        mail.contains("2 × Disfraz de bruja para mujer · Talla M: 49,98"),
        "{mail}"
    );
    let emptied = shopper.get("/es/cart").await;
    assert!(
        emptied.body.contains("Tu cesta está vacía."),
        "cart emptied"
    );
    assert_eq!(shopper.cookie("cart_units").as_deref(), Some("0"));
}

async fn a_declined_card_leaves_the_order_to_pay_again_or_otherwise(db: TestStore) {
    let app = spawn_app(db).await;
    let shopper = Shopper::new(&app.address);
    let placed = card_order(&shopper, "DIS-BRUJA-MUJER-S", "08001").await;
    assert_eq!(app.db.stock_of("DIS-BRUJA-MUJER-S").await, 9);
    let back = pay_at_test_bank(&shopper, &placed, "decline").await;
    let number = placed
        .location_path()
        .trim_start_matches("/es/pay/")
        .to_owned();
    assert_eq!(back, format!("/es/order/{number}?payment=declined"));
    let page = shopper.get(&back).await;
    assert!(page.body.contains("data-payment-declined"), "{}", page.body);
    assert!(page.body.contains("Tu pedido sigue reservado"));
    assert!(
        !page.body.contains("¡Gracias por tu pedido!"),
        "no thanks for a decline"
    );
    assert!(page.body.contains("Pagar por transferencia"));
    let order = order_by_number(&app.db, &number).await;
    assert_eq!(
        (
            order.payment_status.as_str(),
            order.fulfilment_status.as_str()
        ),
        ("pending", "new"),
        "a decline fails that attempt only"
    );
    assert_eq!(
        app.db.stock_of("DIS-BRUJA-MUJER-S").await,
        9,
        "stock still held"
    );
    assert!(
        app.db.mail_with(&number).await.is_none(),
        "nothing confirmed"
    );
    // A second try, approved.
    let again = pay_at_test_bank(&shopper, &placed, "approve").await;
    assert_eq!(again, format!("/es/order/{number}"));
    assert_eq!(
        order_by_number(&app.db, &number).await.payment_status,
        "paid"
    );
    assert_eq!(app.db.stock_of("DIS-BRUJA-MUJER-S").await, 9);
    let paid = shopper.get(&placed.location_path()).await;
    assert_eq!(paid.status, 409, "a paid order cannot be paid again");
    assert!(paid.body.contains("Este pedido ya está pagado."));

    // Another shopper declines, then pays by bank transfer instead.
    let other = Shopper::new(&app.address);
    let placed = card_order(&other, "DIS-BRUJA-MUJER-S", "08001").await;
    let back = pay_at_test_bank(&other, &placed, "decline").await;
    let page = other.get(&back).await;
    let number = placed
        .location_path()
        .trim_start_matches("/es/pay/")
        .to_owned();
    let switch = format!("/es/order/{number}/payment-method");
    assert!(
        page.body.contains(&format!("{switch}\"")),
        "a form posting to {switch}"
    );
    let csrf = page.hidden("csrf").expect("the form's token");
    let switched = other
        .post_raw(&switch, &[("csrf", &csrf), ("method", "bank-transfer")])
        .await;
    assert_eq!(switched.status, 303, "{}", switched.body);
    let order = order_by_number(&app.db, &number).await;
    assert_eq!(
        (order.payment_method.as_str(), order.payment_status.as_str()),
        ("bank-transfer", "pending")
    );
    let page = other.get(&format!("/es/order/{number}")).await;
    assert!(
        page.body.contains("ES91 2100 0418 4502 0005 1332"),
        "transfer instructions"
    );
    assert!(!page.body.contains("data-second-chance"));
    let mail = app
        .db
        .mail_with(&number)
        .await
        .expect("confirmed once switched");
    assert!(mail.contains("ES91 2100 0418 4502 0005 1332"));
    assert_eq!(
        other.get(&placed.location_path()).await.status,
        409,
        "no card any more"
    );
}

/// The test bank signs with its own key, made for this installation: a request or an
/// answer signed with Redsys's public test key is refused, and whatever the request
/// says, the shopper comes back to the order's page on this shop.
async fn the_test_bank_trusts_only_its_own_key_and_returns_to_the_shop(db: TestStore) {
    use comptoir_payments::redsys::{MerchantKey, OrderReference, PaymentRequest};
    let app = spawn_app(db).await;
    let shopper = Shopper::new(&app.address);
    let placed = card_order(&shopper, "DIS-BRUJA-MUJER-M", "28013").await;
    let pay = shopper.get(&placed.location_path()).await;
    let parameters = pay.hidden("Ds_MerchantParameters").unwrap();
    let reference = pay_reference(&parameters);
    let public_key = MerchantKey::parse(REDSYS_PUBLIC_TEST_KEY).unwrap();
    let evil = |key: &MerchantKey| {
        PaymentRequest {
            order: OrderReference::parse(&reference).unwrap(),
            amount_cents: 2_994,
            merchant_code: "999008881".into(),
            terminal: "1".into(),
            notification_url: "https://evil.example/notify".into(),
            ok_url: "https://evil.example/ok".into(),
            ko_url: "https://evil.example/ko".into(),
        }
        .sign(key)
    };
    let forged = evil(&public_key);
    let bank = shopper
        .send_to_test_bank(&forged.merchant_parameters, &forged.signature)
        .await;
    assert_eq!(
        bank.status, 400,
        "Redsys's public test key signs nothing here"
    );
    // Even a request signed with the right key (say, leaked) cannot send the shopper
    // elsewhere.
    let key = comptoir_e2e::test_bank_key(&app.db).await;
    let signed = evil(&key);
    let bank = shopper
        .send_to_test_bank(&signed.merchant_parameters, &signed.signature)
        .await;
    assert_eq!(bank.status, 200);
    let answered = shopper
        .post(
            "/es/test-bank/answer",
            &[
                ("merchant_parameters", &signed.merchant_parameters),
                ("signature", &signed.signature),
                ("decision", "approve"),
            ],
        )
        .await;
    assert_eq!(answered.status, 303);
    assert!(
        answered
            .location()
            .starts_with(&format!("http://{}/es/order/ES-", app.address)),
        "{}",
        answered.location()
    );
}

/// Each reload of the payment page reuses the open attempt; references are random
/// Redsys order numbers.
async fn payment_references_are_random_and_reused_on_reload(db: TestStore) {
    let app = spawn_app(db).await;
    let shopper = Shopper::new(&app.address);
    let placed = card_order(&shopper, "DIS-BRUJA-MUJER-M", "28013").await;
    let mut references = BTreeSet::new();
    for _ in 0..10 {
        let pay = shopper.get(&placed.location_path()).await;
        assert_eq!(pay.status, 200);
        references.insert(pay_reference(&pay.hidden("Ds_MerchantParameters").unwrap()));
    }
    assert_eq!(
        references.len(),
        1,
        "one attempt however often the page is opened"
    );
    let reference = references.pop_first().unwrap();
    let bytes = reference.as_bytes();
    assert_eq!(bytes.len(), 12);
    assert!(bytes[..4].iter().all(u8::is_ascii_digit), "{reference}");
    assert!(
        bytes[4..].iter().all(u8::is_ascii_alphanumeric),
        "{reference}"
    );
    assert!(
        !bytes[4..].iter().all(u8::is_ascii_digit),
        "not a counter: {reference} (a digit-only tail has odds of 1 in 2·10⁶)"
    );
}

/// Redsys's test key, published in its documentation: it must sign nothing here.
const REDSYS_PUBLIC_TEST_KEY: &str = "sq7HjrUOBfKmC576ILgskD5srU870gJ7";

/// The attempt's reference in a payment form's `Ds_MerchantParameters`.
fn pay_reference(parameters: &str) -> String {
    use base64::Engine;
    let json = base64::engine::general_purpose::STANDARD
        .decode(parameters)
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&json).unwrap();
    json["DS_MERCHANT_ORDER"].as_str().unwrap().to_owned()
}

/// A shopper may hold a limited number of units per article and of open unpaid
/// transfer and cash-on-delivery orders; card orders are not counted.
async fn quantities_and_unpaid_orders_are_limited(db: TestStore) {
    let app = spawn_app(db).await;
    let shopper = Shopper::new(&app.address);
    assert_eq!(shopper.get(WITCH_PAGE).await.status, 200);
    let too_many = shopper
        .post(
            "/es/cart/add",
            &[("variant", "DIS-BRUJA-MUJER-M"), ("quantity", "21")],
        )
        .await;
    assert_eq!(too_many.status, 422);
    assert!(
        too_many.body.contains("como máximo 20 unidades"),
        "{}",
        too_many.body
    );
    for n in 0..3 {
        add_to_cart(&shopper, "DIS-BRUJA-MUJER-M", "1").await;
        let review = checkout_to_review(&shopper, "es", "28013", "ES", "bank-transfer").await;
        let placed = place(&shopper, "es", &review).await;
        assert_eq!(placed.status, 303, "order {n}: {}", placed.body);
    }
    add_to_cart(&shopper, "DIS-BRUJA-MUJER-M", "1").await;
    let review = checkout_to_review(&shopper, "es", "28013", "ES", "cash-on-delivery").await;
    let refused = place(&shopper, "es", &review).await;
    assert_eq!(refused.status, 409);
    assert!(
        refused.body.contains("Tienes 3 pedidos pendientes de pago"),
        "{}",
        refused.body
    );
    // By card it goes through: its payment expires on its own.
    let payment = shopper
        .post("/es/checkout/payment", &[("method", "card")])
        .await;
    assert_eq!(payment.status, 303);
    let review = shopper.get("/es/checkout/review").await;
    let placed = place(&shopper, "es", &review).await;
    assert!(placed.location_path().starts_with("/es/pay/ES-"));
}

async fn bank_transfer_orders_are_placed_pending(db: TestStore) {
    let app = spawn_app(db).await;
    let shopper = Shopper::new(&app.address);
    add_to_cart(&shopper, "DIS-BRUJA-MUJER-M", "1").await;
    let review = checkout_to_review(&shopper, "es", "28013", "ES", "bank-transfer").await;
    assert!(
        review.body.contains("data-total>29,94\u{a0}€"),
        "24,99 € + 4,95 € shipping"
    );
    let placed = place(&shopper, "es", &review).await;
    assert_eq!(placed.status, 303);
    assert!(placed.location_path().starts_with("/es/order/ES-"));
    let page = shopper.get(&placed.location_path()).await;
    assert!(
        page.body.contains("ES91 2100 0418 4502 0005 1332"),
        "transfer instructions"
    );
    let number = placed
        .location_path()
        .trim_start_matches("/es/order/")
        .to_owned();
    let order = order_by_number(&app.db, &number).await;
    assert_eq!(
        (order.payment_method.as_str(), order.payment_status.as_str()),
        ("bank-transfer", "pending")
    );
    let mail = app.db.mail_with(&number).await.expect("confirmed at once");
    assert!(mail.contains("ES91 2100 0418 4502 0005 1332"));
    assert!(
        mail.contains(&app.url(&format!("/es/order/{number}"))),
        "{mail}"
    );
    assert!(mail.contains("tienes 14 días naturales desde la entrega para desistir"));
    assert!(mail.contains(&app.url("/es/devoluciones-y-desistimiento")));
    assert!(mail.contains(&app.url("/es/withdrawal-form")));
    let form = app.get("/es/withdrawal-form").await;
    assert_eq!(form.status, 200);
    assert_eq!(
        form.headers["content-disposition"],
        "attachment; filename=\"formulario-de-desistimiento.txt\""
    );
    assert!(
        form.body
            .contains("A la atención de Comptoir Demo, S.L., Calle de Ejemplo 1")
    );
}

/// The review links the terms and the privacy policy beside an unticked box; placing
/// without it ticked places nothing and says why; placed with it, the order keeps
/// which version of the terms was accepted, and when.
async fn no_order_without_the_terms_accepted_and_the_version_is_kept(db: TestStore) {
    let app = spawn_app(db).await;
    let shopper = Shopper::new(&app.address);
    add_to_cart(&shopper, "DIS-BRUJA-MUJER-M", "1").await;
    let review = checkout_to_review(&shopper, "es", "28013", "ES", "bank-transfer").await;
    assert!(
        review
            .body
            .contains(r#"<input type="checkbox" name="accept_terms" value="1" required>"#),
        "an unticked, required box"
    );
    assert!(review.body.contains("/es/condiciones-generales\""));
    assert!(review.body.contains("/es/politica-de-privacidad\""));
    let attempt = review.hidden("attempt").unwrap();
    let refused = shopper
        .post("/es/checkout/place", &[("attempt", &attempt)])
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused
            .body
            .contains("Para hacer el pedido, acepta las condiciones generales.")
    );
    assert_eq!(
        app.db
            .store
            .order_id_by_idempotency_key(&attempt)
            .await
            .unwrap(),
        None,
        "nothing placed"
    );
    let before = chrono::Utc::now();
    let placed = place(&shopper, "es", &review).await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    let number = placed
        .location_path()
        .trim_start_matches("/es/order/")
        .to_owned();
    let order = order_by_number(&app.db, &number).await;
    let terms = order.terms.expect("the acceptance is recorded");
    let content = app.db.store.content().await.unwrap();
    let page = content
        .pages
        .iter()
        .find(|page| page.url_key == "condiciones-generales")
        .unwrap();
    assert_eq!(
        (terms.page_id, terms.version),
        (Some(page.id), Some(page.version))
    );
    assert!(terms.accepted_at >= before - chrono::Duration::seconds(1));
}

/// Forms on cacheable pages (add to cart) carry no token: another site's post, or
/// one that names no origin, is refused. Forms on private pages (the cart) carry a
/// token bound to the session: a post without it, with a made-up one or with
/// another shopper's is refused. Nothing changes; a translated 403 page.
async fn forged_forms_change_nothing(db: TestStore) {
    let app = spawn_app(db).await;
    let shopper = Shopper::new(&app.address);
    let product = shopper.get(WITCH_PAGE).await;
    assert!(
        !product.body.contains("name=\"csrf\""),
        "no per-visitor token"
    );
    assert!(
        product.headers.get("set-cookie").is_none(),
        "no cookie: the page can be cached for everyone"
    );
    let body = "variant=DIS-BRUJA-MUJER-M&quantity=1";
    let add = |headers: &'static [(&'static str, &'static str)]| {
        let url = app.url("/es/cart/add");
        let client = app.client.clone();
        async move {
            let mut request = client
                .post(url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body);
            for (name, value) in headers {
                request = request.header(*name, *value);
            }
            comptoir_e2e::Page::read(request.send().await.unwrap()).await
        }
    };
    let nameless = add(&[]).await;
    assert_eq!(
        nameless.status, 403,
        "a post that says nothing of where it comes from"
    );
    assert!(
        nameless.body.contains("Acción no permitida"),
        "a translated page"
    );
    assert_eq!(add(&[("origin", "https://evil.example")]).await.status, 403);
    assert_eq!(add(&[("sec-fetch-site", "cross-site")]).await.status, 403);
    let same = add(&[("sec-fetch-site", "same-origin")]).await;
    assert_eq!(same.status, 303, "this site's own post");

    // The cart's own forms need the session's token.
    add_to_cart(&shopper, "DIS-BRUJA-MUJER-M", "1").await;
    let cart = shopper.get("/es/cart").await;
    let token = cart.hidden("csrf").expect("the cart's forms carry a token");
    let update = |token: String| {
        let shopper = &shopper;
        async move {
            shopper
                .post_raw(
                    "/es/cart/update",
                    &[
                        ("csrf", &token),
                        ("variant", "DIS-BRUJA-MUJER-M"),
                        ("quantity", "5"),
                    ],
                )
                .await
                .status
        }
    };
    assert_eq!(
        shopper
            .post_raw(
                "/es/cart/update",
                &[("variant", "DIS-BRUJA-MUJER-M"), ("quantity", "5")]
            )
            .await
            .status,
        403
    );
    assert_eq!(update("0".repeat(64)).await, 403);
    let other = Shopper::new(&app.address);
    add_to_cart(&other, "DIS-BRUJA-MUJER-S", "1").await;
    let others_token = other.get("/es/cart").await.hidden("csrf").unwrap();
    assert_ne!(others_token, token, "each session its own token");
    assert_eq!(update(others_token).await, 403);
    assert!(
        shopper.get("/es/cart").await.body.contains("value=\"1\""),
        "unchanged"
    );
    assert_eq!(update(token).await, 303);
}

async fn tampered_quantities_and_variants_are_refused(db: TestStore) {
    let app = spawn_app(db).await;
    let shopper = Shopper::new(&app.address);
    shopper.get(WITCH_PAGE).await;
    for quantity in ["-1", "0", "abc", "1000", "", "1e3", "99999999999999999999"] {
        let page = shopper
            .post(
                "/es/cart/add",
                &[("variant", "DIS-BRUJA-MUJER-M"), ("quantity", quantity)],
            )
            .await;
        assert_eq!(page.status, 422, "quantity {quantity:?}");
        assert!(
            page.body.contains("La cantidad debe ser un número entero"),
            "{quantity:?}"
        );
    }
    let too_many = shopper
        .post(
            "/es/cart/add",
            &[("variant", "DIS-BRUJA-MUJER-L"), ("quantity", "3")],
        )
        .await;
    assert_eq!(too_many.status, 409);
    assert!(too_many.body.contains("Solo quedan 2 unidades"));
    for variant in ["NO-SUCH-SKU", "", "DIS-BRUJA-MUJER-M' OR 1=1"] {
        let page = shopper
            .post("/es/cart/add", &[("variant", variant), ("quantity", "1")])
            .await;
        assert_eq!(page.status, 422, "variant {variant:?}");
    }
    // A price in the form is ignored: prices come from the catalogue.
    add_to_cart(&shopper, "DIS-BRUJA-MUJER-M", "1").await;
    let priced = shopper
        .post(
            "/es/cart/update",
            &[
                ("variant", "DIS-BRUJA-MUJER-M"),
                ("quantity", "1"),
                ("price", "0.01"),
            ],
        )
        .await;
    assert_eq!(priced.status, 303);
    assert!(shopper.get("/es/cart").await.body.contains("24,99\u{a0}€"));
    let cart = app
        .db
        .store
        .ephemeral_get("nothing", chrono::Utc::now())
        .await
        .unwrap();
    assert!(cart.is_none());
}

async fn the_same_checkout_placed_five_times_is_one_order(db: TestStore) {
    let app = spawn_app(db).await;
    let shopper = std::sync::Arc::new(Shopper::new(&app.address));
    add_to_cart(&shopper, "MAQ-SANGRE", "3").await;
    let review = checkout_to_review(&shopper, "es", "28013", "ES", "cash-on-delivery").await;
    let attempt = review.hidden("attempt").unwrap();
    let clicks: Vec<_> = (0..5)
        .map(|_| {
            let shopper = shopper.clone();
            let attempt = attempt.clone();
            tokio::spawn(async move {
                shopper
                    .post(
                        "/es/checkout/place",
                        &[("attempt", &attempt), ("accept_terms", "1")],
                    )
                    .await
            })
        })
        .collect();
    let mut places = Vec::new();
    for click in clicks {
        places.push(click.await.unwrap());
    }
    let order_id = app
        .db
        .store
        .order_id_by_idempotency_key(&attempt)
        .await
        .unwrap();
    let order = app
        .db
        .store
        .order(order_id.expect("one order"))
        .await
        .unwrap()
        .unwrap();
    for place in &places {
        assert_eq!(place.status, 303);
        assert_eq!(
            place.location_path(),
            format!("/es/order/{}", order.number),
            "every click finds the one order"
        );
    }
    assert_eq!(app.db.stock_of("MAQ-SANGRE").await, 97, "stock taken once");
}

async fn fifty_shoppers_race_for_ten_units(db: TestStore) {
    let app = spawn_app(db).await;
    app.db
        .store
        .set_stock(&Sku::parse("SOM-BRUJA").unwrap(), 10)
        .await
        .unwrap();
    // Every shopper reaches the review while ten units are left.
    let mut ready = Vec::new();
    let preparing: Vec<_> = (0..50)
        .map(|_| {
            let address = app.address.clone();
            tokio::spawn(async move {
                let shopper = Shopper::new(&address);
                shopper.get("/es/p/sombrero-de-bruja").await;
                let added = shopper
                    .post(
                        "/es/cart/add",
                        &[("variant", "SOM-BRUJA"), ("quantity", "1")],
                    )
                    .await;
                assert_eq!(added.status, 303, "{}", added.body);
                // By card: one client's card orders are never limited in number.
                let review = checkout_to_review(&shopper, "es", "28013", "ES", "card").await;
                (shopper, review)
            })
        })
        .collect();
    for shopper in preparing {
        ready.push(shopper.await.unwrap());
    }
    let placing: Vec<_> = ready
        .into_iter()
        .map(|(shopper, review)| tokio::spawn(async move { place(&shopper, "es", &review).await }))
        .collect();
    let (mut placed, mut refused) = (0, 0);
    for outcome in placing {
        let page = outcome.await.unwrap();
        assert_eq!(page.status, 303, "never an error page: {}", page.body);
        match page.location_path().as_str() {
            path if path.starts_with("/es/pay/") => placed += 1,
            "/es/cart?notice=sold-out" => refused += 1,
            other => panic!("unexpected redirect to {other}"),
        }
    }
    assert_eq!((placed, refused), (10, 40));
    assert_eq!(app.db.stock_of("SOM-BRUJA").await, 0);
}

async fn canary_islands_pay_no_vat_and_madeira_its_own(db: TestStore) {
    let app = spawn_app(db).await;
    let canaries = Shopper::new(&app.address);
    add_to_cart(&canaries, "DIS-BRUJA-MUJER-M", "2").await;
    let review = checkout_to_review(&canaries, "es", "35001", "ES", "bank-transfer").await;
    assert!(
        review.body.contains("fuera del territorio IVA"),
        "the shopper is told"
    );
    // 49,98 € include 21 % VAT: 41,31 € net (41,306 rounded), charged as such;
    // shipping is free from 49 € of shelf prices.
    assert!(
        review.body.contains("data-total>41,31\u{a0}€"),
        "net price, free shipping"
    );
    let placed = place(&canaries, "es", &review).await;
    let number = placed
        .location_path()
        .trim_start_matches("/es/order/")
        .to_owned();
    let order = order_by_number(&app.db, &number).await;
    assert!(order.outside_eu_vat);
    assert_eq!((order.total_cents, order.vat_cents), (4_131, 0));

    let madeira = Shopper::new(&app.address);
    madeira.get("/pt/p/fantasia-de-bruxa-para-mulher").await;
    let added = madeira
        .post(
            "/pt/cart/add",
            &[("variant", "DIS-BRUJA-MUJER-M"), ("quantity", "1")],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let review = checkout_to_review(&madeira, "pt", "9000-018", "PT", "bank-transfer").await;
    assert!(
        review.body.contains("IVA 22\u{a0}%"),
        "Madeira's rate: {}",
        review.body
    );
}

/// A form posted after its session expired is refused (its token was the session's)
/// and orders nothing; the cart, kept apart from the session, is intact.
async fn an_expired_session_orders_nothing_and_keeps_the_cart(db: TestStore) {
    let app = spawn_app(db).await;
    let shopper = Shopper::new(&app.address);
    add_to_cart(&shopper, "DIS-BRUJA-MUJER-M", "1").await;
    let review = checkout_to_review(&shopper, "es", "28013", "ES", "card").await;
    shopper.drop_cookie("session");
    let placed = place(&shopper, "es", &review).await;
    assert_eq!(placed.status, 403);
    let cart = shopper.get("/es/cart").await;
    assert!(
        cart.body.contains("DIS-BRUJA-MUJER-M"),
        "the cart is intact"
    );
    assert_eq!(
        app.db.stock_of("DIS-BRUJA-MUJER-M").await,
        25,
        "nothing ordered"
    );
}

async fn sold_out_at_placement_goes_back_to_the_cart(db: TestStore) {
    let app = spawn_app(db).await;
    let shopper = Shopper::new(&app.address);
    add_to_cart(&shopper, "DIS-BRUJA-MUJER-L", "2").await;
    let review = checkout_to_review(&shopper, "es", "28013", "ES", "card").await;
    // Another channel sells one of the two while the shopper reads the review.
    app.db
        .store
        .set_stock(&Sku::parse("DIS-BRUJA-MUJER-L").unwrap(), 1)
        .await
        .unwrap();
    let placed = place(&shopper, "es", &review).await;
    assert_eq!(placed.location_path(), "/es/cart?notice=sold-out");
    let cart = shopper.get(&placed.location_path()).await;
    assert!(cart.body.contains("se ha agotado un artículo") || cart.body.contains("Solo quedan 1"));
    assert_eq!(
        app.db.stock_of("DIS-BRUJA-MUJER-L").await,
        1,
        "nothing written"
    );
}

/// Paid by card, an order's page lists its simplified invoice; its PDF downloads
/// for the shopper who placed it, and for no one else, nor under another order.
async fn a_paid_orders_invoice_downloads_from_its_page_for_its_shopper_only(db: TestStore) {
    let app = spawn_app(db).await;
    let shopper = Shopper::new(&app.address);
    let placed = card_order(&shopper, "DIS-BRUJA-MUJER-M", "28013").await;
    let back = pay_at_test_bank(&shopper, &placed, "approve").await;
    let page = shopper.get(&back).await;
    assert!(page.body.contains("Facturas (PDF)"), "{}", page.body);
    let number = back.trim_start_matches("/es/order/").to_owned();
    let order = order_by_number(&app.db, &number).await;
    let invoice = app.db.store.invoices_of_order(order.id).await.unwrap()[0]
        .number
        .text();
    let link = format!("/es/order/{number}/invoices/{invoice}");
    assert!(
        page.body.contains(&format!(
            "{link}\" download>Factura simplificada {invoice}</a>"
        )),
        "{}",
        page.body
    );
    let pdf = shopper.get(&link).await;
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.headers["content-type"], "application/pdf");
    assert_eq!(
        pdf.headers["content-disposition"],
        format!("attachment; filename=\"{invoice}.pdf\"").as_str()
    );
    assert_eq!(pdf.headers["cache-control"], "private, no-store");
    assert!(pdf.body.starts_with("%PDF-"));

    // Annulled as issued by mistake, it says so on the page.
    app.db
        .store
        .annul_invoice(&invoice, &comptoir_store::Actor::command_line())
        .await
        .unwrap();
    let page = shopper.get(&back).await;
    assert!(
        page.body
            .contains("<span data-annulled>(anulada: emitida por error, sin validez)</span>"),
        "{}",
        page.body
    );

    let stranger = Shopper::new(&app.address);
    assert_eq!(stranger.get(&link).await.status, 404);
    // Another order of the same shopper does not lend its page to this invoice.
    let second = card_order(&shopper, "DIS-BRUJA-MUJER-M", "28013").await;
    let other = second
        .location_path()
        .trim_start_matches("/es/pay/")
        .to_owned();
    let borrowed = format!("/es/order/{other}/invoices/{invoice}");
    assert_eq!(shopper.get(&borrowed).await.status, 404);
    assert_eq!(
        shopper
            .get(&format!("/es/order/{number}/invoices/F2-2099-000001"))
            .await
            .status,
        404
    );
}

async fn another_shoppers_order_is_not_found(db: TestStore) {
    let app = spawn_app(db).await;
    let shopper = Shopper::new(&app.address);
    add_to_cart(&shopper, "DIS-BRUJA-MUJER-M", "1").await;
    let review = checkout_to_review(&shopper, "es", "28013", "ES", "cash-on-delivery").await;
    let placed = place(&shopper, "es", &review).await;
    assert_eq!(shopper.get(&placed.location_path()).await.status, 200);
    let stranger = Shopper::new(&app.address);
    assert_eq!(stranger.get(&placed.location_path()).await.status, 404);
    assert_eq!(stranger.get("/es/order/ES-999999999").await.status, 404);
    assert_eq!(stranger.get("/es/order/nonsense").await.status, 404);
}

async fn redsys_notifications_are_verified_and_settle_once(db: TestStore) {
    use comptoir_payments::redsys::{MerchantKey, OrderReference, sign_notification};
    let app = spawn_app(db).await;
    let shopper = Shopper::new(&app.address);
    let placed = card_order(&shopper, "DIS-BRUJA-MUJER-M", "28013").await;
    let number = placed
        .location_path()
        .trim_start_matches("/es/pay/")
        .to_owned();
    let pay = shopper.get(&placed.location_path()).await;
    assert_eq!(pay.status, 200);
    let order = order_by_number(&app.db, &number).await;
    let reference = OrderReference::parse(&pay_reference(
        &pay.hidden("Ds_MerchantParameters").unwrap(),
    ))
    .unwrap();
    let key = comptoir_e2e::test_bank_key(&app.db).await;
    let signed = sign_notification(&key, &reference, order.total_cents, 0);
    let notify = |parameters: String, signature: String| {
        let client = reqwest::Client::new();
        let url = app.url("/es/payment/notify");
        async move {
            client
                .post(url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(
                    form_urlencoded::Serializer::new(String::new())
                        .append_pair("Ds_SignatureVersion", "HMAC_SHA256_V1")
                        .append_pair("Ds_MerchantParameters", &parameters)
                        .append_pair("Ds_Signature", &signature)
                        .finish(),
                )
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    // Tampered: the amount changed after signing.
    let tampered = signed.merchant_parameters.replacen('M', "N", 1);
    assert_eq!(notify(tampered, signed.signature.clone()).await, 400);
    // Signed with Redsys's public test key: approvals and declines alike refused.
    let public_key = MerchantKey::parse(REDSYS_PUBLIC_TEST_KEY).unwrap();
    for response in [0, 190] {
        let forged = sign_notification(&public_key, &reference, order.total_cents, response);
        assert_eq!(
            notify(forged.merchant_parameters, forged.signature).await,
            400
        );
    }
    // A reference no attempt has, correctly signed.
    let unknown = OrderReference::parse("0000ABCDEFGH").unwrap();
    let stray = sign_notification(&key, &unknown, order.total_cents, 190);
    assert_eq!(
        notify(stray.merchant_parameters, stray.signature).await,
        400
    );
    let cheaper = sign_notification(&key, &reference, 1, 0);
    assert_eq!(
        notify(cheaper.merchant_parameters, cheaper.signature).await,
        400,
        "amount must match"
    );
    assert_eq!(
        order_by_number(&app.db, &number).await.payment_status,
        "pending",
        "unchanged"
    );
    // URL-safe base64, as Redsys may send it; then replayed.
    let url_safe = signed.signature.replace('+', "-").replace('/', "_");
    assert_eq!(
        notify(signed.merchant_parameters.clone(), url_safe).await,
        200
    );
    for _ in 0..3 {
        assert_eq!(
            notify(signed.merchant_parameters.clone(), signed.signature.clone()).await,
            200
        );
    }
    assert_eq!(
        order_by_number(&app.db, &number).await.payment_status,
        "paid"
    );
    let mail = app
        .db
        .mail_with(&number)
        .await
        .expect("confirmed once paid");
    assert!(mail.contains(&number));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mails = app.db.mails();
    let of_order = |subject: &str| {
        mails
            .iter()
            .filter(|(_, m)| m.contains(&number) && m.contains(subject))
            .count()
    };
    assert_eq!(
        of_order("Confirmación de tu pedido"),
        1,
        "one confirmation however often notified"
    );
    assert_eq!(of_order("Subject: Su factura"), 1, "and one invoice");
}

/// A shopper whose requests go to one replica and then another (a round-robin
/// balancer, or a replica lost mid-checkout) keeps the cart, the checkout and the
/// order: sessions, carts and the checkout live in Redis or the database.
async fn two_storefronts_serve_one_shopper(db: TestStore) {
    let first = spawn_app(db).await;
    let second_db = TestStore::sharing(&first.db).await;
    let second = spawn_app(second_db).await;
    // Consecutive requests alternate between the two replicas, as a round-robin
    // balancer sends them; both use the same PostgreSQL and Redis (or the same file).
    let mut shopper = Shopper::new(&first.address);
    add_to_cart(&shopper, "DIS-BRUJA-MUJER-M", "1").await;
    shopper.address = second.address.clone();
    let cart = shopper.get("/es/cart").await;
    assert!(
        cart.body.contains("DIS-BRUJA-MUJER-M"),
        "the other replica sees the cart"
    );
    let start = shopper.get("/es/checkout").await;
    assert_eq!(start.status, 303);
    shopper.address = first.address.clone();
    let review = checkout_to_review(&shopper, "es", "28013", "ES", "cash-on-delivery").await;
    shopper.address = second.address.clone();
    let placed = place(&shopper, "es", &review).await;
    assert!(
        placed.location_path().starts_with("/es/order/ES-"),
        "{}",
        placed.location()
    );
    shopper.address = first.address.clone();
    assert_eq!(shopper.get(&placed.location_path()).await.status, 200);
    // The same click repeated on the other replica (its answer lost with a
    // replica) places nothing more.
    let again = place(&shopper, "es", &review).await;
    assert_eq!(again.location_path(), placed.location_path());
    let orders = first
        .db
        .store
        .find_orders(&Default::default(), 10, 0)
        .await
        .unwrap();
    assert_eq!(orders.total, 1, "placed once");
}

async fn cookies_are_secure_behind_https(db: TestStore) {
    use comptoir_storefront::SearchSettings;
    use comptoir_storefront::sites::{BaseUrl, SiteUrls};
    // TLS ends at the balancer: the shop is configured with its https URLs and is
    // reached over plain HTTP with the public Host header.
    let app =
        comptoir_e2e::spawn_app_with(db, SearchSettings::InProcess { index_dir: None }, |_| {
            let url = |u: &str| BaseUrl::parse(u).unwrap();
            SiteUrls::new([
                url("https://disfraces.example.es/"),
                url("https://deguisements.example.fr/"),
                url("https://fantasias.example.pt/"),
                url("https://costumi.example.it/"),
            ])
        })
        .await;
    let host = [("host", "disfraces.example.es")];
    let page = app.get_with("/p/disfraz-de-bruja-para-mujer", &host).await;
    assert_eq!(page.status, 200);
    assert!(page.headers.contains_key("strict-transport-security"));
    let set_cookie = |page: &comptoir_e2e::Page, name: &str| {
        page.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with(&format!("{name}=")))
            .map(str::to_owned)
            .unwrap_or_else(|| panic!("no {name} cookie"))
    };
    assert!(
        page.headers.get("set-cookie").is_none(),
        "a product page sets no cookie"
    );
    let added = app
        .client
        .post(app.url("/cart/add"))
        .header("host", "disfraces.example.es")
        .header("origin", "https://disfraces.example.es")
        .header("sec-fetch-site", "same-origin")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("variant=DIS-BRUJA-MUJER-M&quantity=1")
        .send()
        .await
        .unwrap();
    let added = comptoir_e2e::Page::read(added).await;
    assert_eq!(added.status, 303);
    let cart_cookie = set_cookie(&added, "cart");
    assert!(cart_cookie.contains("Secure") && cart_cookie.contains("HttpOnly"));
    let cart_id = cart_cookie
        .trim_start_matches("cart=")
        .split(';')
        .next()
        .unwrap();
    let checkout = app
        .get_with(
            "/checkout",
            &[
                ("host", "disfraces.example.es"),
                ("cookie", &format!("cart={cart_id}")),
            ],
        )
        .await;
    assert_eq!(checkout.status, 303);
    // Over https the session cookie is bound to the exact host.
    let session_cookie = set_cookie(&checkout, "__Host-session");
    for flag in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(session_cookie.contains(flag), "{session_cookie}: {flag}");
    }
    assert!(!session_cookie.contains("Domain="), "{session_cookie}");
}

/// Every page that shows a shopper's own data or carries a per-visitor form token is
/// sent `no-store`; catalogue pages are not.
async fn private_pages_are_never_stored(db: TestStore) {
    let app = spawn_app(db).await;
    let shopper = Shopper::new(&app.address);
    add_to_cart(&shopper, "DIS-BRUJA-MUJER-M", "1").await;
    let review = checkout_to_review(&shopper, "es", "28013", "ES", "card").await;
    assert_eq!(review.headers["cache-control"], "private, no-store");
    let placed = place(&shopper, "es", &review).await;
    let pay = placed.location_path();
    let order = pay.replace("/es/pay/", "/es/order/");
    for path in [
        "/es/cart",
        "/es/checkout",
        "/es/checkout/address",
        "/es/account",
        "/es/account/login",
        "/es/account/register",
        "/es/account/forgot",
        "/es/account/reset?token=x",
        &order,
        &pay,
    ] {
        let page = shopper.get(path).await;
        assert!(page.status < 500, "{path}: {}", page.status);
        assert_eq!(
            page.headers
                .get("cache-control")
                .map(|v| v.to_str().unwrap()),
            Some("private, no-store"),
            "{path}"
        );
    }
    let product = shopper.get(WITCH_PAGE).await;
    assert_ne!(
        product
            .headers
            .get("cache-control")
            .map(|v| v.to_str().unwrap()),
        Some("private, no-store"),
        "catalogue pages stay cacheable"
    );
}

/// A code entered in the cart waits until the cart qualifies, then lowers it by
/// name; the review charges the same total and the order keeps the promotion.
async fn a_coupon_code_lowers_the_cart_and_the_order_names_it(db: TestStore) {
    use comptoir_domain::promotions::{Discount, Percent};
    let mut rule = coded_promotion(
        "Brujas 20 %",
        "BRUJA20",
        Discount::PercentOff(Percent::parse("20").unwrap()),
    );
    rule.conditions.min_subtotal = Some(comptoir_domain::Money::eur(3_000));
    rule.limits.uses_total = Some(5);
    db.store
        .create_promotions(&[rule], &comptoir_store::Actor::command_line())
        .await
        .unwrap();
    let app = spawn_app(db).await;
    let shopper = Shopper::new(&app.address);
    add_to_cart(&shopper, "DIS-BRUJA-MUJER-M", "1").await;
    let cart = shopper.get("/es/cart").await;
    let unknown = shopper.post("/es/cart/code", &[("code", "nada")]).await;
    assert_eq!(unknown.status, 422);
    assert!(
        unknown.body.contains("El código NADA no existe."),
        "{}",
        unknown.body
    );
    assert!(cart.body.contains("name=\"code\""));
    let entered = shopper
        .post("/es/cart/code", &[("code", " bruja20 ")])
        .await;
    assert_eq!(entered.status, 303);
    let waiting = shopper.get("/es/cart").await;
    assert!(
        waiting
            .body
            .contains("Añade 5,01\u{a0}€ más a tu cesta para usar el código BRUJA20."),
        "{}",
        waiting.body
    );
    assert!(
        waiting.body.contains("data-total>29,94\u{a0}€"),
        "24,99 € and 4,95 € shipping"
    );
    add_to_cart(&shopper, "DIS-BRUJA-MUJER-M", "1").await;
    let applied = shopper.get("/es/cart").await;
    assert!(applied.body.contains("Código BRUJA20 aplicado."));
    assert!(applied.body.contains("Brujas 20 % (BRUJA20)"));
    assert!(
        applied
            .body
            .contains("<small class=\"conditions\">desde 30,00\u{a0}€</small>"),
        "the conditions with the discount"
    );
    assert!(applied.body.contains("−10,00\u{a0}€"), "20 % of 49,98 €");
    // Free shipping from 49 € counts the items before the discount.
    assert!(
        applied.body.contains("data-total>39,98\u{a0}€"),
        "{}",
        applied.body
    );
    let review = checkout_to_review(&shopper, "es", "28013", "ES", "card").await;
    assert!(review.body.contains("data-total>39,98\u{a0}€"));
    assert!(review.body.contains("Brujas 20 % (BRUJA20)"));
    let placed = place(&shopper, "es", &review).await;
    let number = placed
        .location_path()
        .trim_start_matches("/es/pay/")
        .to_owned();
    let order = order_by_number(&app.db, &number).await;
    assert_eq!((order.discount_cents, order.total_cents), (1_000, 3_998));
    assert_eq!(order.promotions.len(), 1);
    assert_eq!(order.promotions[0].name, "Brujas 20 %");
    assert_eq!(order.promotions[0].code.as_deref(), Some("BRUJA20"));
    pay_at_test_bank(&shopper, &placed, "approve").await;
    let mail = app
        .db
        .mail_with(&number)
        .await
        .expect("the confirmation is sent");
    assert!(mail.contains("Brujas 20 % (BRUJA20): −10,00"), "{mail}");
    let page = shopper.get(&format!("/es/order/{number}")).await;
    assert!(
        page.body.contains("Brujas 20 % (BRUJA20)"),
        "the order page names it"
    );
    assert!(page.body.contains("−10,00\u{a0}€"));
    let line_discounts: i64 = order.lines.iter().map(|l| l.discount_cents).sum();
    assert_eq!(
        line_discounts, 1_000,
        "the discount is carried by the lines"
    );
}

/// Two shoppers enter a one-use code at the review; the first places the order with
/// it. The second is sent back to the review, told, at the total without the code,
/// and places the order at that total: it never names the code.
async fn a_code_used_up_at_the_review_leaves_the_order_at_the_new_total(db: TestStore) {
    use comptoir_domain::promotions::Discount;
    let mut rule = coded_promotion(
        "Último",
        "ULTIMO",
        Discount::AmountOff(comptoir_domain::Money::eur(500)),
    );
    rule.limits.uses_total = Some(1);
    db.store
        .create_promotions(&[rule], &comptoir_store::Actor::command_line())
        .await
        .unwrap();
    let app = spawn_app(db).await;
    let mut reviews = Vec::new();
    for _ in 0..2 {
        let shopper = Shopper::new(&app.address);
        add_to_cart(&shopper, "DIS-BRUJA-MUJER-M", "1").await;
        checkout_to_review(&shopper, "es", "28013", "ES", "bank-transfer").await;
        // The code's form at the review, a form of its own, back to the review.
        let entered = shopper
            .post("/es/cart/code", &[("code", "ultimo"), ("from", "review")])
            .await;
        assert_eq!(entered.status, 303);
        assert_eq!(entered.location_path(), "/es/checkout/review");
        let review = shopper.get("/es/checkout/review").await;
        assert!(review.body.contains("Último (ULTIMO)"), "{}", review.body);
        assert!(
            review.body.contains("data-total>24,94\u{a0}€"),
            "24,99 − 5 + 4,95"
        );
        reviews.push((shopper, review));
    }
    let (first, first_review) = &reviews[0];
    let placed = place(first, "es", first_review).await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    let (second, second_review) = &reviews[1];
    let refused = place(second, "es", second_review).await;
    assert_eq!(refused.status, 409);
    assert!(
        refused
            .body
            .contains("El código ULTIMO se ha agotado mientras hacías el pedido.")
    );
    assert!(
        refused.body.contains("data-total>29,94\u{a0}€"),
        "the new total"
    );
    let placed = place(second, "es", &refused).await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    let number = placed
        .location_path()
        .trim_start_matches("/es/order/")
        .to_owned();
    let order = order_by_number(&app.db, &number).await;
    assert_eq!((order.discount_cents, order.total_cents), (0, 2_994));
    assert!(
        order.promotions.is_empty(),
        "an order without the discount never names the code"
    );
}

/// Odd codes get a clear message, nothing kept; a client that keeps trying codes
/// that do not exist waits after the twentieth, while a code it knows still works
/// for others.
async fn guessing_codes_is_throttled_and_odd_codes_are_refused_clearly(db: TestStore) {
    let app = spawn_app(db).await;
    let shopper = Shopper::new(&app.address);
    add_to_cart(&shopper, "DIS-BRUJA-MUJER-M", "1").await;
    shopper.get("/es/cart").await;
    let long = "A".repeat(10_000);
    for odd in [long.as_str(), "DESCUENTO€", "<script>", "a b"] {
        let refused = shopper.post("/es/cart/code", &[("code", odd)]).await;
        assert_eq!(refused.status, 422, "{odd}");
        assert!(
            refused.body.contains("Un código solo lleva letras, cifras"),
            "{odd}"
        );
        assert!(!refused.body.contains("<script>"), "never echoed unescaped");
    }
    for n in 4..20 {
        let refused = shopper
            .post("/es/cart/code", &[("code", &format!("NADA{n}"))])
            .await;
        assert_eq!(refused.status, 422);
        assert!(
            refused
                .body
                .contains(&format!("El código NADA{n} no existe."))
        );
    }
    let waiting = shopper.post("/es/cart/code", &[("code", "NADA20")]).await;
    assert_eq!(waiting.status, 429);
    assert!(waiting.body.contains("Demasiados códigos que no existen."));
    let cart = shopper.get("/es/cart").await;
    assert!(!cart.body.contains("Quitar el código"), "no code kept");
}

/// Above 3 000 € a sale in Spain takes a full invoice naming the buyer by NIF or
/// NIE: the review says so and placing is refused until the shopper gives one; the
/// order then carries it.
async fn a_sale_in_spain_above_three_thousand_euros_needs_the_buyers_tax_id(t: TestStore) {
    t.reprice("DIS-BRUJA-MUJER", SiteCode::Es, 350_000).await;
    let app = spawn_app(t).await;
    let shopper = Shopper::new(&app.address);
    add_to_cart(&shopper, "DIS-BRUJA-MUJER-M", "1").await;
    let review = checkout_to_review(&shopper, "es", "28013", "ES", "bank-transfer").await;
    let needed = "Para un pedido de más de 3.000 € la factura debe llevar tu NIF o NIE";
    assert!(review.body.contains(needed), "{}", review.body);
    let refused = place(&shopper, "es", &review).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains(needed));
    let with_tax_id = shopper
        .post(
            "/es/checkout/address",
            &[
                ("email", "ana@example.es"),
                ("name", "Ana García"),
                ("street", "Calle Mayor 1"),
                ("postcode", "28013"),
                ("city", "Madrid"),
                ("country", "ES"),
                ("phone", "+34 612 345 678"),
                ("invoice_name", "Ana García"),
                ("tax_id", "12345678Z"),
                ("billing_street", "Calle Mayor 1"),
                ("billing_postcode", "28013"),
                ("billing_city", "Madrid"),
                ("billing_country", "ES"),
            ],
        )
        .await;
    assert_eq!(with_tax_id.status, 303, "{}", with_tax_id.body);
    shopper
        .post("/es/checkout/payment", &[("method", "bank-transfer")])
        .await;
    let review = shopper.get("/es/checkout/review").await;
    assert!(!review.body.contains(needed));
    let placed = place(&shopper, "es", &review).await;
    assert_eq!(placed.status, 303, "{}", placed.body);
}

/// A company in Italy with a VAT number VIES confirms buys without VAT: an exempt
/// intra-community supply, shown as such, invoiced (F1, exempt under art. 25) with
/// VIES's consultation kept on the order. A number VIES does not know, or a VIES
/// that does not answer, leaves the order with Italy's VAT, and the shopper is told.
async fn a_business_abroad_whose_vat_number_vies_confirms_pays_no_vat(t: TestStore) {
    use comptoir_domain::destination::Country;
    use comptoir_domain::invoicing::{InvoiceType, Treatment};
    let vies = StandInVies::start(&[("IT", "07643520567")], &["11111111115"]).await;
    let url = vies.url.clone();
    let app = spawn_app_configured(t, move |_, mut config| {
        config.shop.vies_url = url;
        config
    })
    .await;
    let checkout = |tax_id: &'static str| {
        let shopper = Shopper::new(&app.address);
        async move {
            add_to_cart(&shopper, "DIS-BRUJA-MUJER-M", "1").await;
            assert_eq!(shopper.get("/it/checkout").await.status, 303);
            save_italian_company(&shopper, tax_id).await;
            shopper
                .post("/it/checkout/payment", &[("method", "bank-transfer")])
                .await;
            let review = shopper.get("/it/checkout/review").await;
            (shopper, review)
        }
    };
    // A partita IVA VIES does not know (its check digit is right): Italy's VAT.
    let (unknown, consumer) = checkout("12345678903").await;
    assert!(
        consumer.body.contains("VIES non conferma"),
        "{}",
        consumer.body
    );
    assert!(!consumer.body.contains("data-exempt-supply"));
    assert!(consumer.body.contains("IVA"));
    // Saved again, the same number keeps VIES's verdict; one VIES did not answer
    // about is asked again.
    save_italian_company(&unknown, "12345678903").await;
    let (down, unanswered) = checkout("11111111115").await;
    save_italian_company(&down, "11111111115").await;
    let asked = |number: &str| vies.asked().iter().filter(|(_, n)| n == number).count();
    assert_eq!((asked("12345678903"), asked("11111111115")), (1, 2));
    assert!(
        unanswered.body.contains("Non siamo riusciti a consultare"),
        "{}",
        unanswered.body
    );
    assert!(!unanswered.body.contains("data-exempt-supply"));

    let (shopper, review) = checkout("IT07643520567").await;
    assert!(
        review.body.contains("data-exempt-supply"),
        "{}",
        review.body
    );
    assert!(!review.body.contains("VIES non conferma"));
    let placed = place(&shopper, "it", &review).await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    let number = placed
        .location_path()
        .trim_start_matches("/it/order/")
        .to_owned();
    let order = order_by_number(&app.db, &number).await;
    assert_eq!(order.vat_cents, 0, "no VAT on an exempt supply");
    let total = |page: &comptoir_e2e::Page| {
        page.body
            .split("data-total>")
            .nth(1)
            .map(|rest| rest.split('<').next().unwrap_or_default().to_owned())
    };
    assert_ne!(
        total(&review),
        total(&consumer),
        "the consumer pays Italy's VAT"
    );
    assert!(order.lines.iter().all(|line| line.vat_cents == 0));
    let proof = order.invoice.as_ref().unwrap().vies_proof.clone().unwrap();
    assert!(
        proof.starts_with("VIES 20") && proof.ends_with(" WAPIAAAAZ1X2Y3"),
        "{proof}"
    );
    assert!(
        vies.asked()
            .contains(&("IT".to_owned(), "07643520567".to_owned()))
    );
    let order_page = shopper.get(&format!("/it/order/{number}")).await;
    assert!(order_page.body.contains("data-exempt-supply"));

    // Paid: its invoice is a full one, exempt, naming the buyer's VAT number.
    let by = comptoir_store::Actor::command_line();
    app.db
        .store
        .change_order(order.id, &comptoir_store::OrderChange::MarkPaid, &by, None)
        .await
        .unwrap();
    let invoice = &app.db.store.invoices_of_order(order.id).await.unwrap()[0];
    assert_eq!(invoice.number.kind, InvoiceType::F1);
    assert_eq!(
        invoice.treatment,
        Treatment::IntraCommunitySupply(Country::It)
    );
    assert_eq!(invoice.vat().cents(), 0);
    assert!(
        invoice.lines.iter().all(|line| line.rate.is_none()),
        "exempt lines carry no rate"
    );
    assert_eq!(invoice.total().cents(), order.total_cents);
    assert_eq!(
        invoice.buyer.as_ref().and_then(|b| b.tax_id.as_deref()),
        Some("07643520567")
    );
}

/// Saves the checkout's address step of Feste Srl, in Milan, invoiced to `tax_id`.
async fn save_italian_company(shopper: &Shopper, tax_id: &str) {
    let saved = shopper
        .post(
            "/it/checkout/address",
            &[
                ("email", "acquisti@feste.example.it"),
                ("name", "Giulia Bianchi"),
                ("street", "Corso Como 2"),
                ("postcode", "20154"),
                ("city", "Milano"),
                ("country", "IT"),
                ("phone", "347 123 4567"),
                ("region", "MI"),
                ("invoice_name", "Feste Srl"),
                ("tax_id", tax_id),
                ("billing_street", "Corso Como 2"),
                ("billing_postcode", "20154"),
                ("billing_city", "Milano"),
                ("billing_country", "IT"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
}
