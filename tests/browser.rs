//! Real browsers (headless Chromium). The main shopping path: search, pick a size,
//! add to the cart, check out as a guest, pay at the test bank, see the confirmation;
//! and the confirmation mail leaves through the outbox. The back office: a price
//! changed and found in the audit log.

use std::time::Duration;

use comptoir_domain::staff::Role;
use comptoir_e2e::{
    Backend, Browser, STAFF_PASSWORD, backoffice_config, default_networks, fresh_store, spawn_app,
    spawn_backoffice,
};

const HOUR: Duration = Duration::from_secs(3600);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guest_buys_a_costume_in_the_browser() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let db = fresh_store(Backend::Sqlite)
        .await
        .expect("SQLite is always there");
    let app = spawn_app(db).await;
    app.search_ready().await;

    browser.go(&app.url("/es/")).await;
    browser.fill("input[name=q]", "disfraz bruja mujer").await;
    browser.click("form.search-box button[type=submit]").await;
    browser.wait_for_url("/es/buscar").await;
    browser
        .click("a[href$='/p/disfraz-de-bruja-para-mujer']")
        .await;
    browser.wait_for_url("/p/disfraz-de-bruja-para-mujer").await;

    // Size M, then the cart.
    browser.click("input[value='DIS-BRUJA-MUJER-M']").await;
    browser.click("form.add-to-cart button[type=submit]").await;
    browser.wait_for_url("/es/cart").await;
    assert_eq!(
        browser.text("[data-cart-units]").await,
        "1",
        "the mini-cart counts it"
    );
    assert_eq!(browser.text("td.line-total").await, "24,99 €");
    browser.click("a[href$='/checkout']").await;

    browser.wait_for_url("/checkout/address").await;
    browser.fill("#email", "lucia@example.es").await;
    browser.fill("#name", "Lucía Pérez").await;
    browser.fill("#street", "Calle del Carnaval 7").await;
    browser.fill("#postcode", "41001").await;
    browser.fill("#city", "Sevilla").await;
    browser
        .click("form.checkout-form button[type=submit]")
        .await;
    browser.wait_for_url("/checkout/shipping").await;
    browser
        .click("form.checkout-form button[type=submit]")
        .await;
    browser.wait_for_url("/checkout/payment").await;
    browser.click("input[value=card]").await;
    browser
        .click("form.checkout-form button[type=submit]")
        .await;
    browser.wait_for_url("/checkout/review").await;
    assert_eq!(
        browser.text("[data-total]").await,
        "29,94 €",
        "with shipping"
    );
    browser
        .click("form.checkout-form button[type=submit]")
        .await;

    // The pay page sends the browser on to the test bank by itself.
    browser.wait_for_url("/es/test-bank").await;
    assert_eq!(browser.text("[data-amount]").await, "29,94 €");
    browser.click("button[value=approve]").await;
    browser.wait_for_url("/es/order/ES-").await;
    assert_eq!(browser.text("h1").await, "¡Gracias por tu pedido!");
    assert!(
        browser
            .text("[data-payment-status]")
            .await
            .starts_with("Pagado")
    );
    let number = browser.text("[data-order-number]").await;

    let mail = app
        .db
        .mail_with(&number)
        .await
        .expect("the confirmation leaves through the outbox");
    assert!(mail.contains("To: lucia@example.es"));
}

/// Staff in the back office: log in, change a product's price, find the change in
/// the audit log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_change_a_price_and_find_it_in_the_audit_log() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let db = fresh_store(Backend::Sqlite)
        .await
        .expect("SQLite is always there");
    let office = spawn_backoffice(db, backoffice_config(default_networks(), HOUR)).await;
    office.add_staff("marta@comptoir.test", Role::Admin).await;
    let url = |path: &str| format!("http://{}{path}", office.address);

    browser.go(&url("/")).await;
    browser.wait_for_url("/login").await;
    browser
        .fill("input[name=email]", "marta@comptoir.test")
        .await;
    browser.fill("input[name=password]", STAFF_PASSWORD).await;
    browser.click("form.stacked button[type=submit]").await;
    // The menu appears once logged in.
    browser.find("header a[href='/products']").await;
    assert_eq!(browser.text("h1").await, "Today");

    browser.click("header a[href='/products']").await;
    browser.wait_for_url("/products").await;
    browser.fill("input[name=q]", "DIS-BRUJA-MUJER").await;
    browser.click("form.filters button[type=submit]").await;
    browser.wait_for_url("q=DIS-BRUJA-MUJER").await;
    browser.click("table.grid a[href^='/products/']").await;
    browser.wait_for_url("/products/").await;
    assert_eq!(browser.text("h1").await, "Product DIS-BRUJA-MUJER");
    browser.fill("input[name=price_es]", "27.50").await;
    browser.click("form.editor button#save").await;
    browser.wait_for_url("done=1").await;
    assert!(browser.text("p.notice").await.starts_with("Saved."));

    browser.click("a[href^='/audit?entity=product']").await;
    browser.wait_for_url("/audit").await;
    assert_eq!(
        browser.text("table.audit tbody tr td:nth-child(2)").await,
        "marta@comptoir.test"
    );
    assert_eq!(
        browser.text("table.audit tbody tr td:nth-child(3)").await,
        "product.edit"
    );
    assert!(
        browser
            .text("table.audit tbody tr td:nth-child(6)")
            .await
            .contains("2750")
    );
}
