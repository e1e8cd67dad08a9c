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
        _ => Err("usage: shopper-journey ADDRESS (register EMAIL | buy EMAIL TOKEN)".into()),
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
    let product = shopper.get(PRODUCT).await;
    expect(&product, 200, "name=\"variant\"", "product")?;
    let variant = product
        .hidden("variant")
        .ok_or("product page without a variant")?;
    let added = shopper
        .post("/es/cart/add", &[("variant", &variant), ("quantity", "1")])
        .await;
    expect(&added, 303, "", "add to cart")?;
    expect(&shopper.get("/es/cart").await, 200, "bruja", "cart")?;
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
    let number = order_path.rsplit('/').next().unwrap_or_default();
    println!("paid order {number}");
    Ok(())
}
