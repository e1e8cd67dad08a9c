//! Real browsers (headless Chromium). The main shopping path: search, pick a size,
//! add to the cart, check out as a guest, pay at the test bank, see the confirmation;
//! and the confirmation mail leaves through the outbox. The back office: a price
//! changed and found in the audit log.

use std::time::Duration;

use comptoir_domain::staff::Role;
use comptoir_e2e::{
    Backend, Browser, MagentoFixture, QuietMigration, STAFF_PASSWORD, Script, StandInAeat,
    StandInVies, TestApp, backoffice_config, default_networks, fresh_store, paid, spawn_app,
    spawn_app_configured, spawn_backoffice, transfer,
};
use comptoir_magento::MagentoDb;
use comptoir_magento::migration::{self, MigrationSettings};

const HOUR: Duration = Duration::from_secs(3600);

/// A headless browser and a shop on SQLite with its search ready; `None` (skipped)
/// without a browser.
async fn browser_and_shop() -> Option<(Browser, TestApp)> {
    let browser = Browser::start().await?;
    let db = fresh_store(Backend::Sqlite)
        .await
        .expect("SQLite is always there");
    let app = spawn_app(db).await;
    app.search_ready().await;
    Some((browser, app))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guest_buys_a_costume_in_the_browser() {
    let Some((browser, app)) = browser_and_shop().await else {
        return;
    };

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
    check_out_by_card(
        &browser,
        [
            "lucia@example.es",
            "Lucía Pérez",
            "Calle del Carnaval 7",
            "41001",
            "Sevilla",
            "612 34 56 78",
        ],
    )
    .await;
    assert_eq!(
        browser.text("[data-total]").await,
        "29,94 €",
        "with shipping"
    );
    // Ordering without accepting the terms is refused, and the box says why.
    browser
        .click("form.checkout-form button[type=submit]")
        .await;
    browser
        .find("input[name=accept_terms][aria-invalid=true]")
        .await;
    assert!(
        browser
            .text("#accept_terms-error")
            .await
            .contains("condiciones generales")
    );
    browser.click("input[name=accept_terms]").await;
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

    // Paid: the simplified invoice is on the order's page, as a PDF to save.
    let invoice = browser.text("[data-invoices] a").await;
    assert!(invoice.starts_with("Factura simplificada F2-"), "{invoice}");
    screenshots_of(&browser, "[data-invoices]", "order-invoices-es").await;
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

/// An order manager finds the invoice of a paid transfer in the back office and
/// registers it again; the list shows its record waiting to be sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_find_an_invoice_and_register_it_again() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let db = fresh_store(Backend::Sqlite)
        .await
        .expect("SQLite is always there");
    let order = paid(&db, &transfer("browser-invoice", 3)).await;
    // AEAT rejected its record.
    let number = db.store.invoices_of_order(order).await.unwrap()[0]
        .number
        .text();
    let aeat = StandInAeat::start(Script::rejecting(
        &number,
        "1110",
        "El NIF del emisor no está identificado en el censo de la AEAT.",
    ))
    .await;
    assert!(matches!(
        aeat.sender(db.store.clone())
            .send_due(chrono::Utc::now())
            .await
            .unwrap(),
        comptoir_verifactu::Round::Answered { rejected: 1, .. }
    ));
    let office = spawn_backoffice(db, backoffice_config(default_networks(), HOUR)).await;
    office
        .add_staff("pedro@comptoir.test", Role::OrderManager)
        .await;
    let url = |path: &str| format!("http://{}{path}", office.address);

    browser.viewport(1366, 900).await;
    browser.go(&url("/")).await;
    browser.wait_for_url("/login").await;
    browser
        .fill("input[name=email]", "pedro@comptoir.test")
        .await;
    browser.fill("input[name=password]", STAFF_PASSWORD).await;
    browser.click("form.stacked button[type=submit]").await;
    browser.find("header a[href='/invoices']").await;
    browser.click("header a[href='/invoices']").await;
    browser.wait_for_url("/invoices").await;
    assert_eq!(browser.text("h1").await, "Invoices");
    assert!(
        browser
            .text("table.grid tbody tr td")
            .await
            .starts_with("F2-")
    );
    assert_eq!(browser.text("table.grid td[data-total]").await, "30.00");
    screenshot_fitting(&browser, "backoffice-invoices-desktop").await;
    // The full invoice asked for afterwards: its form opens in the row.
    browser.click("table.grid details summary").await;
    browser
        .find("form[action$='/full'] input[name=tax_id]")
        .await;
    screenshot_fitting(&browser, "backoffice-invoices-full-invoice-form").await;
    browser
        .click("form[action$='/correct'] button[type=submit]")
        .await;
    browser.wait_for_url("done=correct").await;
    assert!(
        browser
            .text("p.notice")
            .await
            .starts_with("Registered again")
    );
    // The records page: the rejected record with AEAT's words, its correction waiting.
    browser.click("a[href='/invoices/records']").await;
    browser.wait_for_url("/invoices/records").await;
    assert_eq!(browser.text("h1").await, "VERI*FACTU records");
    assert_eq!(browser.text("[data-waiting]").await, "1");
    assert_eq!(
        browser.text("tr[data-record='1'] [data-state]").await,
        "rejected"
    );
    assert_eq!(
        browser.text("tr[data-record='2'] [data-state]").await,
        "queued"
    );
    screenshot_fitting(&browser, "backoffice-verifactu-records-desktop").await;
    browser.viewport(390, 844).await;
    browser
        .screenshot("backoffice-verifactu-records-phone")
        .await;
}

/// Saves a screenshot of the page as `name`, after checking that it fits the
/// viewport's width (nothing to scroll sideways but what scrolls on purpose).
async fn screenshot_fitting(browser: &Browser, name: &str) {
    let overflow = browser
        .script("return document.documentElement.scrollWidth - window.innerWidth;")
        .await;
    browser.screenshot(name).await;
    assert!(
        overflow.as_i64().unwrap_or(0) <= 0,
        "{name}: {overflow} px wider than the screen"
    );
}

/// Screenshots `name`-desktop and, at a phone's width, `name`-phone, each scrolled to
/// what `selector` finds, each fitting the screen's width.
async fn screenshots_of(browser: &Browser, selector: &str, name: &str) {
    let scroll = format!("document.querySelector({selector:?}).scrollIntoView();");
    browser.script(&scroll).await;
    screenshot_fitting(browser, &format!("{name}-desktop")).await;
    browser.viewport(390, 844).await;
    browser.script(&scroll).await;
    screenshot_fitting(browser, &format!("{name}-phone")).await;
}

/// From the address step to the review: the address (e-mail, name, street,
/// postcode, city, phone) typed, card payment.
async fn check_out_by_card(browser: &Browser, address: [&str; 6]) {
    for (field, value) in ["#email", "#name", "#street", "#postcode", "#city", "#phone"]
        .into_iter()
        .zip(address)
    {
        browser.fill(field, value).await;
    }
    pay_by_card_to_review(browser).await;
}

/// From the address step, filled, to the review: card payment.
async fn pay_by_card_to_review(browser: &Browser) {
    browser
        .click("form.checkout-form button[type=submit]")
        .await;
    browser.wait_for_url("/checkout/payment").await;
    browser.click("input[value=card]").await;
    browser
        .click("form.checkout-form button[type=submit]")
        .await;
    browser.wait_for_url("/checkout/review").await;
}

/// A company in Italy orders with its VAT number, which VIES confirms: the review
/// shows the order without VAT and says why, on a desktop and on a phone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_italian_company_confirmed_by_vies_orders_without_vat() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let vies = StandInVies::start(&[("IT", "07643520567")], &[]).await;
    let db = fresh_store(Backend::Sqlite)
        .await
        .expect("SQLite is always there");
    let url = vies.url.clone();
    let app = spawn_app_configured(db, move |_, mut config| {
        config.shop.vies_url = url;
        config
    })
    .await;
    browser.viewport(1366, 900).await;
    browser
        .go(&app.url("/it/p/costume-da-strega-da-donna"))
        .await;
    browser.click("input[value='DIS-BRUJA-MUJER-M']").await;
    browser.click("form.add-to-cart button[type=submit]").await;
    browser.wait_for_url("/it/cart").await;
    browser.click("a[href$='/checkout']").await;
    browser.wait_for_url("/checkout/address").await;
    for (field, value) in [
        ("#email", "acquisti@feste.example.it"),
        ("#name", "Giulia Bianchi"),
        ("#street", "Corso Como 2"),
        ("#postcode", "20154"),
        ("#city", "Milano"),
        ("#phone", "347 123 4567"),
        ("#region", "MI"),
    ] {
        browser.fill(field, value).await;
    }
    browser.click("details.invoice-request summary").await;
    for (field, value) in [
        ("#invoice_name", "Feste Srl"),
        ("#tax_id", "IT07643520567"),
        ("#billing_street", "Corso Como 2"),
        ("#billing_postcode", "20154"),
        ("#billing_city", "Milano"),
    ] {
        browser.fill(field, value).await;
    }
    pay_by_card_to_review(&browser).await;
    assert!(
        browser
            .text("[data-exempt-supply]")
            .await
            .starts_with("Cessione intracomunitaria non imponibile IVA")
    );
    screenshots_of(
        &browser,
        "[data-exempt-supply]",
        "checkout-review-exempt-supply-it",
    )
    .await;
}

/// For each account and cart link of the header: whether it is wholly in the
/// viewport, its height, and the contrast of its text on what is behind it.
const HEADER_LINKS: &str = r#"
function luminance(colour) {
  var c = colour.match(/[\d.]+/g).slice(0, 3).map(Number).map(function (v) {
    v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}
function background(element) {
  for (; element; element = element.parentElement) {
    var colour = getComputedStyle(element).backgroundColor;
    var alpha = colour.match(/rgba\(.*,\s*([\d.]+)\)/);
    if (colour !== "transparent" && !(alpha && parseFloat(alpha[1]) === 0)) return colour;
  }
  return "rgb(255, 255, 255)";
}
return Array.from(document.querySelectorAll("header .shopper-links a")).map(function (a) {
  var r = a.getBoundingClientRect();
  var text = luminance(getComputedStyle(a).color), behind = luminance(background(a));
  return {
    text: a.innerText,
    visible: r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0
      && r.bottom <= innerHeight && r.right <= innerWidth,
    height: r.height,
    contrast: (Math.max(text, behind) + 0.05) / (Math.min(text, behind) + 0.05)
  };
});
"#;

/// Where a listing's filters and first product are.
const LISTING: &str = r#"
var drawer = document.querySelector("details[data-filters]");
var facet = document.querySelector(".facet summary");
var card = document.querySelector(".grid .card");
return {
  drawer_open: drawer.open,
  facet_height: facet ? facet.getBoundingClientRect().height : 0,
  first_product_top: card.getBoundingClientRect().top,
  viewport_height: innerHeight
};
"#;

/// A shopper on a desktop (1366×900) and on a phone (390×844), on each site: the
/// header's account and cart links are visible and readable, and a category page
/// shows its filters beside the products on the desktop, behind a closed "filter"
/// button on the phone, where a product is in the first screen.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_header_and_the_filters_suit_a_desktop_and_a_phone() {
    let Some((browser, app)) = browser_and_shop().await else {
        return;
    };
    for (device, width, height) in [("desktop", 1366, 900), ("phone", 390, 844)] {
        browser.viewport(width, height).await;
        for site in ["es", "fr", "pt", "it"] {
            browser.go(&app.url(&format!("/{site}/"))).await;
            browser.find(".shopper-links").await;
            let links = browser.script(HEADER_LINKS).await;
            let links = links.as_array().expect("the header's links");
            assert_eq!(links.len(), 2, "{site} {device}: account and cart");
            for link in links {
                assert_eq!(link["visible"], true, "{site} {device}: {link}");
                assert!(link["height"].as_f64().unwrap() >= 24.0, "{link}");
                assert!(
                    link["contrast"].as_f64().unwrap() >= 4.5,
                    "{site} {device}: {link}"
                );
            }
            screenshot_fitting(&browser, &format!("home-{site}-{device}")).await;

            let category = browser
                .script("return document.querySelector('.main-nav a').href;")
                .await;
            browser.go(category.as_str().expect("a department")).await;
            browser.find(".grid .card").await;
            let listing = browser.script(LISTING).await;
            if device == "phone" {
                assert_eq!(listing["drawer_open"], false, "{site}: {listing}");
                assert!(
                    listing["first_product_top"].as_f64().unwrap()
                        < listing["viewport_height"].as_f64().unwrap() - 100.0,
                    "{site}: a product in the first screen: {listing}"
                );
            } else {
                assert!(
                    listing["facet_height"].as_f64().unwrap() > 0.0,
                    "{site}: the filters beside the products: {listing}"
                );
            }
            screenshot_fitting(&browser, &format!("category-{site}-{device}")).await;

            // The footer links the site's legal pages; the terms read on a phone too.
            let legal = browser
                .script("return [...document.querySelectorAll('.legal-links a')].map(a => a.href);")
                .await;
            let legal = legal.as_array().expect("the legal links");
            assert!(legal.len() >= 5, "{site}: {legal:?}");
            browser.go(legal[1].as_str().expect("the terms")).await;
            browser.find(".content-page h2").await;
            screenshot_fitting(&browser, &format!("terms-{site}-{device}")).await;
        }
    }
}

/// A card payment declined at the bank leaves the order waiting, says so plainly
/// (no thanks, no confirmation) and offers to pay again; paid the second time, the
/// order is confirmed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declined_card_payment_is_paid_at_the_second_attempt() {
    let Some((browser, app)) = browser_and_shop().await else {
        return;
    };
    browser.viewport(390, 844).await;
    browser
        .go(&app.url("/fr/p/deguisement-de-sorciere-pour-femme"))
        .await;
    browser.click("input[value='DIS-BRUJA-MUJER-S']").await;
    browser.click("form.add-to-cart button[type=submit]").await;
    browser.wait_for_url("/fr/cart").await;
    screenshot_fitting(&browser, "cart-fr-phone").await;
    browser.click("a[href$='/checkout']").await;
    browser.wait_for_url("/checkout/address").await;
    browser.fill("#email", "camille@example.fr").await;
    browser.fill("#name", "Camille Martin").await;
    browser.fill("#street", "12 rue du Carnaval").await;
    browser.fill("#postcode", "1300").await;
    browser.fill("#city", "Marseille").await;
    browser
        .click("form.checkout-form button[type=submit]")
        .await;
    // A wrong postcode is said beside its field.
    browser.find("#postcode[aria-invalid=true]").await;
    assert!(!browser.text("#postcode-error").await.is_empty());
    screenshot_fitting(&browser, "checkout-address-error-fr-phone").await;
    check_out_by_card(
        &browser,
        [
            "camille@example.fr",
            "Camille Martin",
            "12 rue du Carnaval",
            "13001",
            "Marseille",
            "06 12 34 56 78",
        ],
    )
    .await;
    screenshot_fitting(&browser, "checkout-review-fr-phone").await;
    browser.click("input[name=accept_terms]").await;
    browser
        .click("form.checkout-form button[type=submit]")
        .await;

    browser.wait_for_url("/fr/test-bank").await;
    browser.click("button[value=decline]").await;
    browser.wait_for_url("payment=declined").await;
    browser.find("[data-payment-declined]").await;
    assert!(!browser.text("h1").await.starts_with("Merci"), "no thanks");
    assert!(
        browser
            .text("[data-payment-status]")
            .await
            .starts_with("Paiement en attente"),
        "the order waits for its payment"
    );
    screenshot_fitting(&browser, "order-declined-fr-phone").await;

    browser.click("[data-pay-again]").await;
    browser.wait_for_url("/fr/test-bank").await;
    browser.click("button[value=approve]").await;
    browser.wait_for_url("/fr/order/FR-").await;
    browser.find("[data-order-number]").await;
    assert!(
        browser
            .url()
            .await
            .ends_with(&browser.text("[data-order-number]").await)
    );
    assert!(
        browser
            .text("[data-payment-status]")
            .await
            .starts_with("Payée"),
        "paid the second time"
    );
    screenshot_fitting(&browser, "order-paid-fr-phone").await;
}

/// axe-core finds no serious or critical accessibility violation on the shopping
/// path of a site: home, category, product, search, cart and each checkout step.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shopping_path_passes_an_accessibility_check() {
    let Some((browser, app)) = browser_and_shop().await else {
        return;
    };
    browser.viewport(1366, 900).await;
    let mut found = Vec::new();
    let mut check = |page: &'static str, violations: Option<Vec<String>>| {
        found.extend(
            violations
                .into_iter()
                .flatten()
                .map(|v| format!("{page}: {v}")),
        );
    };
    for (page, path) in [
        ("home", "/es/"),
        ("category", "/es/c/halloween"),
        ("search", "/es/buscar?q=bruja"),
        ("size-guide", "/es/guia-de-tallas"),
        ("product", "/es/p/disfraz-de-bruja-para-mujer"),
    ] {
        browser.go(&app.url(path)).await;
        browser.find("main").await;
        browser.screenshot(&format!("{page}-es-desktop")).await;
        check(page, browser.accessibility_violations().await);
    }
    browser.click("input[value='DIS-BRUJA-MUJER-M']").await;
    browser.click("form.add-to-cart button[type=submit]").await;
    browser.wait_for_url("/es/cart").await;
    check("cart", browser.accessibility_violations().await);
    browser.click("a[href$='/checkout']").await;
    browser.wait_for_url("/checkout/address").await;
    check("address", browser.accessibility_violations().await);
    // The address sent back with a wrong postcode.
    browser.fill("#postcode", "999").await;
    browser
        .click("form.checkout-form button[type=submit]")
        .await;
    browser.find("#postcode[aria-invalid=true]").await;
    check(
        "address with errors",
        browser.accessibility_violations().await,
    );
    check_out_by_card(
        &browser,
        [
            "ines@example.es",
            "Inés Ruiz",
            "Calle Luna 3",
            "28013",
            "Madrid",
            "+34 612 345 678",
        ],
    )
    .await;
    check("review", browser.accessibility_violations().await);
    browser.go(&app.url("/es/checkout/payment")).await;
    browser.find("input[value=card]").await;
    check("payment", browser.accessibility_violations().await);
    assert!(found.is_empty(), "{found:#?}");
}

/// Waits for the stand-in analytics script to have run; how many times it has, in
/// this page.
const ANALYTICS_LOADS: &str = "const done = arguments[arguments.length - 1];\
     const wait = () => window.analyticsLoads ? done(window.analyticsLoads) : setTimeout(wait, 50);\
     wait();";

/// Serves a stand-in analytics script on an ephemeral port, counting its loads.
async fn counting_script_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/script.js", listener.local_addr().unwrap());
    let loads = std::sync::Arc::new(AtomicUsize::new(0));
    let counted = loads.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut request = [0u8; 2048];
            let _ = stream.read(&mut request).await;
            counted.fetch_add(1, Ordering::SeqCst);
            let body = "window.analyticsLoads = (window.analyticsLoads || 0) + 1;";
            let answer = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/javascript\r\n\
                 content-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes()).await;
        }
    });
    (url, loads)
}

/// With an analytics script set, pages ask first: nothing loads before the shopper
/// accepts, refusing weighs as much as accepting, the choice is remembered, and the
/// footer opens the question again. Without one, no banner at all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn optional_cookies_wait_for_consent() {
    use std::sync::atomic::Ordering;
    let Some(browser) = Browser::start().await else {
        return;
    };
    let db = fresh_store(Backend::Sqlite).await.expect("SQLite");
    let plain = spawn_app(comptoir_e2e::TestStore::sharing(&db).await).await;
    let home = plain.get("/es/").await;
    assert!(!home.body.contains("cookie-banner"), "no banner by default");
    assert!(!home.body.contains("consent.js"));

    let (script, loads) = counting_script_server().await;
    let script_url = comptoir_web::headers::ThirdPartyScript::parse(&script).unwrap();
    let app = spawn_app_configured(db, |_, mut config| {
        config.shop.analytics_script = Some(script_url);
        config
    })
    .await;
    let page = app.get("/es/").await;
    let policy = page.headers["content-security-policy"].to_str().unwrap();
    let origin = script.trim_end_matches("/script.js");
    assert!(
        policy.contains(&format!("script-src 'self' {origin};")),
        "{policy}"
    );

    let banner_shown = "return !document.querySelector('.cookie-banner').hidden;";
    browser.viewport(390, 844).await;
    browser.go(&app.url("/es/")).await;
    assert_eq!(browser.script(banner_shown).await, true);
    browser.screenshot("cookie-banner-es-phone").await;
    let buttons = browser
        .script(
            "return [...document.querySelectorAll('.cookie-choices button')]\
             .map(b => b.getBoundingClientRect().height + ' ' + getComputedStyle(b).backgroundColor);",
        )
        .await;
    assert_eq!(buttons[0], buttons[1], "refusing looks like accepting");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(loads.load(Ordering::SeqCst), 0, "nothing before consent");

    browser.click("[data-consent=refused]").await;
    assert_eq!(browser.script(banner_shown).await, false);
    browser.go(&app.url("/es/c/carnaval")).await;
    assert_eq!(
        browser.script(banner_shown).await,
        false,
        "the choice is kept"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(loads.load(Ordering::SeqCst), 0, "refused: never loaded");

    browser.click("[data-cookie-settings]").await;
    assert_eq!(browser.script(banner_shown).await, true, "asked again");
    browser.click("[data-consent=accepted]").await;
    let loaded = browser.script_async(ANALYTICS_LOADS).await;
    assert_eq!(loaded, 1);
    browser.go(&app.url("/es/")).await;
    assert_eq!(browser.script(banner_shown).await, false);
    let loaded = browser.script_async(ANALYTICS_LOADS).await;
    assert_eq!(loaded, 1, "loaded on the next page by itself");
    assert_eq!(loads.load(Ordering::SeqCst), 2);
}

/// A Magento configurable chosen by size and gender: the page marks the values
/// that do not combine with those picked, says the price of the combination (the
/// XXL surcharge included) or that it does not exist, and the cart sells it at
/// that price. On a desktop and a phone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_costume_is_chosen_by_size_and_gender_at_its_price() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let db = fresh_store(Backend::Sqlite)
        .await
        .expect("SQLite is always there");
    let file = "sku,_store,_type,name,price,status,visibility,url_key,qty,talla,genero,\
                _super_products_sku,_super_attribute_code,_super_attribute_option,_super_attribute_price_corr\n\
                DIS-M-H,,simple,Disfraz de vampiro M hombre,20.0000,1,1,vampiro-m-h,3.0000,M,Hombre,,,,\n\
                DIS-XXL-H,,simple,Disfraz de vampiro XXL hombre,20.0000,1,1,vampiro-xxl-h,2.0000,XXL,Hombre,,,,\n\
                DIS-M-M,,simple,Disfraz de vampiro M mujer,20.0000,1,1,vampiro-m-m,1.0000,M,Mujer,,,,\n\
                DIS,,configurable,Disfraz de vampiro,20.0000,1,4,disfraz-de-vampiro,,,,DIS-M-H,talla,XXL,5.0000\n\
                ,,,,,,,,,,,DIS-XXL-H,genero,Hombre,\n\
                ,,,,,,,,,,,DIS-M-M,,,\n";
    db.import_magento(file).await;
    let app = spawn_app(db).await;

    for (device, width, height) in [("desktop", 1366, 900), ("phone", 390, 844)] {
        browser.viewport(width, height).await;
        browser.go(&app.url("/es/p/disfraz-de-vampiro")).await;
        browser
            .click("input[name='choice-size'][value='XXL']")
            .await;
        // Only men's costumes come in XXL.
        browser
            .find("label.unavailable input[name='choice-genero'][value='Mujer']")
            .await;
        browser
            .click("input[name='choice-genero'][value='Hombre']")
            .await;
        assert!(
            browser
                .text("[data-chosen]")
                .await
                .starts_with("25,00 € · "),
            "{device}: the XXL surcharge is in the price"
        );
        screenshot_fitting(&browser, &format!("product-choices-es-{device}")).await;
        browser
            .click("input[name='choice-genero'][value='Mujer']")
            .await;
        assert_eq!(
            browser.text("[data-chosen]").await,
            "Esta combinación no está disponible: elige otra."
        );
    }
    browser
        .click("input[name='choice-genero'][value='Hombre']")
        .await;
    browser.click("form.add-to-cart button[type=submit]").await;
    browser.wait_for_url("/es/cart").await;
    assert_eq!(browser.text("td.line-total").await, "25,00 €");
    screenshot_fitting(&browser, "cart-choices-es-phone").await;
}

/// A Magento product with its facts, a related product, a price from ten units
/// and a cross-sell, on each site, on a desktop and a phone: the short
/// description, brand, "new" badge and tier under the name, the details, the
/// related product; ten units in the cart at the tier's price, the cross-sell
/// suggested below.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_product_tells_its_facts_tiers_and_suggestions() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let db = fresh_store(Backend::Sqlite)
        .await
        .expect("SQLite is always there");
    let file = "sku,_store,_type,name,price,status,visibility,url_key,qty,\
                short_description,manufacturer,ean,weight,news_from_date,\
                _links_related_sku,_links_related_position,_links_crosssell_sku,_links_crosssell_position,\
                _tier_price_website,_tier_price_customer_group,_tier_price_qty,_tier_price_price\n\
                GLOBOS,,simple,Globos metalizados,5.0000,1,4,globos,100.0000,\
                <p>Bolsa de <b>50</b> globos de colores.</p>,Smiffys,4006381333931,0.3500,\
                2020-01-01 00:00:00,banderines,1,hinchador,1,all,all,10.0000,4.0000\n\
                ,fr,,Ballons métallisés,,,,ballons,,<p>Sac de <b>50</b> ballons.</p>,,,,,,,,,,,,\n\
                ,pt,,Balões metalizados,,,,baloes,,<p>Saco de <b>50</b> balões.</p>,,,,,,,,,,,,\n\
                ,it,,Palloncini metallizzati,,,,palloncini,,<p>Busta di <b>50</b> palloncini.</p>,,,,,,,,,,,,\n\
                BANDERINES,,simple,Banderines,3.0000,1,4,banderines,20.0000,,,,,,,,,,,,,\n\
                HINCHADOR,,simple,Hinchador,6.0000,1,4,hinchador,20.0000,,,,,,,,,,,,,\n";
    db.import_magento(file).await;
    let app = spawn_app(db).await;

    for (device, width, height) in [("desktop", 1366, 900), ("phone", 390, 844)] {
        browser.viewport(width, height).await;
        for (site, key, tier) in [
            ("es", "globos", "A partir de 10 unidades: 4,00"),
            ("fr", "ballons", "À partir de 10 unités : 4,00"),
            ("pt", "baloes", "A partir de 10 unidades: 4,00"),
            ("it", "palloncini", "Da 10 pezzi: 4,00"),
        ] {
            browser.go(&app.url(&format!("/{site}/p/{key}"))).await;
            assert!(
                browser.text(".tiers").await.starts_with(tier),
                "{site} {device}"
            );
            browser.find(".buy-box .badge-new").await;
            browser.find(".related a[href$='/banderines']").await;
            screenshot_fitting(&browser, &format!("product-facts-{site}-{device}")).await;
        }
    }
    browser.go(&app.url("/es/p/globos")).await;
    browser.fill("input[name='quantity']", "10").await;
    browser.click("form.add-to-cart button[type=submit]").await;
    browser.wait_for_url("/es/cart").await;
    assert_eq!(browser.text("td.line-total").await, "40,00 €");
    browser.find(".related a[href$='/hinchador']").await;
    screenshot_fitting(&browser, "cart-suggestions-es-phone").await;
}

/// A customer of the old shop, migrated from its database, logs in with her old
/// password and finds her old orders and her newsletter choice in her account,
/// on a desktop and a phone, in each site's language; she leaves the newsletter.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_migrated_customer_finds_her_old_orders_and_her_newsletter_choice() {
    let Some(fixture) = MagentoFixture::load("").await else {
        return;
    };
    let Some(browser) = Browser::start().await else {
        return;
    };
    let db = fresh_store(Backend::Sqlite)
        .await
        .expect("SQLite is always there");
    let settings = MigrationSettings {
        media_dir: db.media_dir(),
        ..MigrationSettings::default()
    };
    let magento = MagentoDb::connect(&fixture.url, "").await.unwrap();
    migration::migrate(magento, db.store.as_ref(), &settings, &QuietMigration)
        .await
        .unwrap();
    let app = spawn_app(db).await;

    browser.go(&app.url("/es/account/login")).await;
    browser.fill("#email", "lucia.garcia@example.com").await;
    browser.fill("#password", "bruja2019").await;
    browser
        .click(".account-form form button[type=submit]")
        .await;
    browser.wait_for_url("/es/account").await;
    for (device, width, height) in [("desktop", 1366, 900), ("phone", 390, 844)] {
        browser.viewport(width, height).await;
        for (site, heading) in [
            ("es", "Pedidos en nuestra tienda anterior"),
            ("fr", "Commandes passées sur notre ancienne boutique"),
            ("pt", "Encomendas na nossa loja anterior"),
            ("it", "Ordini nel nostro negozio precedente"),
        ] {
            browser.go(&app.url(&format!("/{site}/account"))).await;
            let account = browser.text("main").await;
            assert!(account.contains(heading), "{site} {device}");
            assert!(account.contains("100000021"), "{site} {device}");
            assert!(account.contains("PK123456789ES"), "{site} {device}");
            assert_eq!(
                browser
                    .script("return document.querySelector('input[name=subscribed]').checked;")
                    .await,
                true,
                "subscribed in the old shop"
            );
            screenshot_fitting(&browser, &format!("account-migrated-{site}-{device}")).await;
        }
    }
    browser.go(&app.url("/es/account")).await;
    browser
        .script("document.querySelector('form.newsletter').scrollIntoView();")
        .await;
    screenshot_fitting(&browser, "account-newsletter-es-phone").await;
    browser.click("input[name=subscribed]").await;
    browser.click("form.newsletter button[type=submit]").await;
    browser.wait_for_url("notice=newsletter-off").await;
    assert!(
        browser
            .text("main")
            .await
            .contains("Ya no recibirás el boletín.")
    );
    screenshot_fitting(&browser, "account-newsletter-left-es-phone").await;
}

/// A marketing manager writes a Halloween code in the back office's editor; a
/// shopper enters it in the cart, typed carelessly, and sees the discount by name,
/// at desktop and phone sizes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_written_in_the_back_office_lowers_a_shoppers_cart() {
    let Some((browser, app)) = browser_and_shop().await else {
        return;
    };
    let office = spawn_backoffice(
        comptoir_e2e::TestStore::sharing(&app.db).await,
        backoffice_config(default_networks(), HOUR),
    )
    .await;
    office.add_staff("eva@comptoir.test", Role::Marketing).await;
    let staff_url = |path: &str| format!("http://{}{path}", office.address);
    browser.go(&staff_url("/login")).await;
    browser.fill("input[name=email]", "eva@comptoir.test").await;
    browser.fill("input[name=password]", STAFF_PASSWORD).await;
    browser.click("form.stacked button[type=submit]").await;
    browser.find("header a[href='/promotions']").await;
    browser.click("header a[href='/promotions']").await;
    browser.wait_for_url("/promotions").await;
    browser.click("a[href='/promotions/new']").await;
    browser.wait_for_url("/promotions/new").await;
    browser.fill("input[name=name]", "Halloween 20 %").await;
    for site in ["fr", "pt", "it"] {
        browser
            .click(&format!("input[name=site][value={site}]"))
            .await;
    }
    browser.fill("input[name=min_subtotal]", "20").await;
    browser.fill("input[name=discount_value]", "20").await;
    browser
        .script("document.querySelector('select[name=trigger]').value = 'shared_code';")
        .await;
    browser.fill("input[name=code]", "HALLOWEEN20").await;
    browser.viewport(1366, 900).await;
    browser.screenshot("backoffice-promotion-new").await;
    browser.click("form.edit button[type=submit]").await;
    browser.wait_for_url("done=1").await;
    assert!(browser.text("p.notice").await.starts_with("Saved."));
    // Replicas apply it at their next look at the change log.
    tokio::time::sleep(Duration::from_secs(2)).await;

    browser
        .go(&app.url("/es/p/disfraz-de-bruja-para-mujer"))
        .await;
    browser.click("input[value='DIS-BRUJA-MUJER-M']").await;
    browser.click("form.add-to-cart button[type=submit]").await;
    browser.wait_for_url("/es/cart").await;
    browser.fill("#coupon-code", " halloween20 ").await;
    browser.click("div.coupon form button[type=submit]").await;
    browser.wait_for_url("/es/cart").await;
    assert_eq!(browser.text("dd.discount").await, "−5,00 €");
    assert!(
        browser
            .text("dt.discount")
            .await
            .starts_with("Halloween 20 % (HALLOWEEN20)")
    );
    assert_eq!(browser.text("small.conditions").await, "desde 20,00 €");
    assert_eq!(
        browser.text("dd[data-total]").await,
        "24,94 €",
        "19,99 € and 4,95 € shipping"
    );
    screenshot_fitting(&browser, "cart-coupon-es-desktop").await;
    browser.viewport(390, 844).await;
    screenshot_fitting(&browser, "cart-coupon-es-phone").await;
    // The same cart on the other sites, in their languages.
    for (site, conditions, applied) in [
        ("fr", "dès 20,00 €", "Code HALLOWEEN20 appliqué."),
        ("pt", "a partir de 20,00 €", "Código HALLOWEEN20 aplicado."),
        ("it", "da 20,00 €", "Codice HALLOWEEN20 applicato."),
    ] {
        browser.viewport(1366, 900).await;
        browser.go(&app.url(&format!("/{site}/cart"))).await;
        assert_eq!(browser.text("small.conditions").await, conditions, "{site}");
        assert!(browser.text("main").await.contains(applied), "{site}");
        screenshot_fitting(&browser, &format!("cart-coupon-{site}-desktop")).await;
        browser.viewport(390, 844).await;
        screenshot_fitting(&browser, &format!("cart-coupon-{site}-phone")).await;
    }
}
