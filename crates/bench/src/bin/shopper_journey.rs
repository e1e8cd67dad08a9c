//! One shopper's visit to a running shop, step by step, for the stack test
//! (`scripts/stack-test.sh`) through the balancer: every step must answer as a
//! shopper expects, or the tool says which did not and exits non-zero.
//!
//! Usage:
//! - `shopper-journey ADDRESS register EMAIL`: opens an account (the shop then mails
//!   its activation link);
//! - `shopper-journey ADDRESS buy EMAIL TOKEN`: activates it with the token of that
//!   link, logs in, browses a category and a product, searches, adds to the cart,
//!   checks out with the test bank and sees the order paid. Prints the order number.
//!
//! - `shopper-journey ADDRESS orders SECONDS`: guests order and pay, one after the
//!   other, for SECONDS; a line per order: `placed NUMBER`, or `failed STEP STATUS`
//!   (for the stack test's faults: the database restarted meanwhile). Exits 0.
//!
//! ADDRESS is `host:port` (the balancer's). Spanish site, demo catalogue.

use comptoir_e2e::{Page, Shopper};

const PASSWORD: &str = "viaje-de-prueba-2026";
const PRODUCT: &str = "/es/p/disfraz-de-bruja-para-mujer";

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        [address, "register", email] => register(address, email).await,
        [address, "buy", email, token] => buy(address, email, token).await,
        [address, "orders", seconds] => {
            let seconds = seconds.parse().map_err(|_| "SECONDS: a whole number");
            match seconds {
                Ok(seconds) => {
                    guest_orders(address, std::time::Duration::from_secs(seconds)).await;
                    Ok(())
                }
                Err(error) => Err(error.to_owned()),
            }
        }
        _ => Err(
            "usage: shopper-journey ADDRESS (register EMAIL | buy EMAIL TOKEN | orders SECONDS)"
                .into(),
        ),
    };
    if let Err(step) = outcome {
        eprintln!("shopper journey failed: {step}");
        std::process::exit(1);
    }
}

/// `Err` naming `step` unless `page` answered `status` (and contains `text`).
fn expect(page: &Page, status: u16, text: &str, step: &str) -> Result<(), String> {
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

async fn register(address: &str, email: &str) -> Result<(), String> {
    let shopper = Shopper::new(address).staying();
    expect(
        &shopper.get("/es/account/register").await,
        200,
        "",
        "register page",
    )?;
    let registered = shopper
        .post(
            "/es/account/register",
            &[
                ("name", "Ana Viaje"),
                ("email", email),
                ("password", PASSWORD),
                ("password_again", PASSWORD),
            ],
        )
        .await;
    expect(&registered, 200, "Te hemos enviado un correo", "register")?;
    println!("registered {email}");
    Ok(())
}

async fn buy(address: &str, email: &str, token: &str) -> Result<(), String> {
    let shopper = Shopper::new(address).staying();
    let form = shopper
        .get(&format!("/es/account/activate?token={token}"))
        .await;
    expect(&form, 200, "", "activation page")?;
    let activated = shopper
        .post("/es/account/activate", &[("token", token)])
        .await;
    expect(&activated, 303, "", "activate")?;
    expect(&shopper.log_in(email, PASSWORD).await, 303, "", "log in")?;
    expect(&shopper.get("/es/").await, 200, "Comptoir", "home")?;
    expect(
        &shopper.get("/es/c/halloween").await,
        200,
        "class=\"grid\"",
        "category",
    )?;
    let found = shopper.get("/es/buscar?q=bruja").await;
    expect(&found, 200, "disfraz-de-bruja-para-mujer", "search")?;
    let number = order_and_pay(&shopper, PRODUCT, email).await?;
    println!("paid order {number}");
    Ok(())
}

/// Guests ordering one after the other until `duration` has passed, each outcome
/// printed: what the stack test counts when the database restarts meanwhile.
async fn guest_orders(address: &str, duration: std::time::Duration) {
    let products = product_pages(address).await;
    let deadline = std::time::Instant::now() + duration;
    let mut n = 0;
    while std::time::Instant::now() < deadline {
        n += 1;
        let shopper = Shopper::new(address).staying();
        let email = format!("invitado{n}@example.es");
        // A different product each time: no order waits for stock another holds.
        let product = &products[n % products.len()];
        match order_and_pay(&shopper, product, &email).await {
            Ok(number) => println!("placed {number}"),
            Err(step) => println!("failed {step}"),
        }
    }
}

/// The product pages the Halloween category lists on its first pages.
async fn product_pages(address: &str) -> Vec<String> {
    let shopper = Shopper::new(address).staying();
    let mut pages = Vec::new();
    for page in 1..=5 {
        let listing = shopper.get(&format!("/es/c/halloween?page={page}")).await;
        for link in listing.body.split("href=\"").skip(1) {
            let url = link.split('"').next().unwrap_or_default();
            if let Some(start) = url.find("/es/p/")
                && !pages.iter().any(|known| known == &url[start..])
            {
                pages.push(url[start..].to_owned());
            }
        }
    }
    if pages.is_empty() {
        pages.push(PRODUCT.to_owned());
    }
    pages
}

/// From `product`'s page to the paid order, as `shopper`; the order's number.
async fn order_and_pay(shopper: &Shopper, product: &str, email: &str) -> Result<String, String> {
    let product = shopper.get(product).await;
    expect(&product, 200, "name=\"variant\"", "product")?;
    let variant = variant_in_stock(&product.body).ok_or("sold out")?;
    let added = shopper
        .post("/es/cart/add", &[("variant", &variant), ("quantity", "1")])
        .await;
    expect(&added, 303, "", "add to cart")?;
    expect(&shopper.get("/es/cart").await, 200, &variant, "cart")?;
    expect(&shopper.get("/es/checkout").await, 303, "", "checkout")?;
    expect(
        &shopper.get("/es/checkout/address").await,
        200,
        "",
        "address page",
    )?;
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
    let bank = shopper
        .post_raw(
            "/es/test-bank",
            &[
                ("Ds_SignatureVersion", "HMAC_SHA256_V1"),
                ("Ds_MerchantParameters", &parameters),
                ("Ds_Signature", &signature),
            ],
        )
        .await;
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
    let order_path = answer.location_path();
    let order = shopper.get(&order_path).await;
    expect(&order, 200, "Pagado", "order page, paid")?;
    Ok(order_path.rsplit('/').next().unwrap_or_default().to_owned())
}

/// The first variant a product page offers that is not sold out (its radio button
/// is not disabled, or the product's only variant).
fn variant_in_stock(page: &str) -> Option<String> {
    page.split("<input").skip(1).find_map(|input| {
        let input = input.split('>').next()?;
        let offered = input.contains("name=\"variant\"") && !input.contains("disabled");
        let value = input.split("value=\"").nth(1)?.split('"').next()?;
        offered.then(|| value.to_owned())
    })
}
