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

use comptoir_bench::{check_out_and_pay_by_card, expect};
use comptoir_e2e::Shopper;

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
    let answer = check_out_and_pay_by_card(shopper, email).await?;
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
