//! The shopping path under load, over HTTP against a running storefront: concurrent
//! shoppers each view a product, add it to the cart, go through the checkout and pay
//! at the test bank, again and again for a fixed time. Prints the orders placed per
//! second and the latency of adding to the cart and of a whole order.
//!
//! Then, for 10 s, the same clients only add to their carts, as fast as they can: the
//! add-to-cart latency on its own at that concurrency.
//!
//! Usage: `DATABASE_URL=postgres://… checkout-load ADDRESS [CLIENTS] [SECONDS]`, with
//! ADDRESS the storefront's `127.0.0.1:port` (default 32 clients, 20 s); with
//! `PROMOTION_CODE` set, each shopper enters that code in the cart. It restocks
//! the variants it buys through the store (so the replicas hear of it) and leaves its
//! orders behind: use a benchmark database.

use std::sync::Arc;
use std::time::{Duration, Instant};

use comptoir_bench::{check_out_and_pay_by_card, expect};
use comptoir_domain::{Locale, SiteCode, Visibility};
use comptoir_e2e::Shopper;
use comptoir_store::StoreConfig;

/// Products the shoppers buy from: enough that they rarely share a stock row.
const PRODUCTS: usize = 500;

/// A variant to buy and the path of its product page on the Spanish site.
struct Article {
    sku: String,
    page: String,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let address = args
        .next()
        .ok_or("usage: checkout-load ADDRESS [CLIENTS] [SECONDS]")?;
    let clients: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(32);
    let seconds: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let url = std::env::var("DATABASE_URL")
        .map_err(|_| "set DATABASE_URL to the storefront's benchmark database")?;
    let store = comptoir_store::open(&StoreConfig {
        database_url: Some(comptoir_store::DatabaseUrl::new(url)),
        data_dir: "data".into(),
        max_connections: 2,
        connect_wait: std::time::Duration::ZERO,
        invoice_on: comptoir_store::InvoiceMoment::Paid,
    })
    .await?;
    let catalogue = store.load_catalogue().await?.catalogue;
    let mut articles = Vec::new();
    for product in catalogue
        .products
        .iter()
        .filter(|p| {
            p.enabled
                && p.site(SiteCode::Es)
                    .is_some_and(|offer| offer.visibility != Visibility::NotVisible)
        })
        .take(PRODUCTS)
    {
        let variant = &product.variants[0];
        store.set_stock(&variant.sku, 1_000_000).await?;
        articles.push(Article {
            sku: variant.sku.to_string(),
            page: format!("/es/p/{}", product.url_keys[Locale::Es]),
        });
    }
    // The storefront hears of the restock through the change log.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let articles = Arc::new(articles);
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let workers: Vec<_> = (0..clients)
        .map(|client| {
            let articles = articles.clone();
            let address = address.clone();
            tokio::spawn(async move {
                let mut adds = Vec::new();
                let mut orders = Vec::new();
                let mut n = 0usize;
                while Instant::now() < deadline {
                    let article = &articles[(client * 7_919 + n * 104_729) % articles.len()];
                    let order_started = Instant::now();
                    match buy(&address, article, &mut adds).await {
                        Ok(()) => orders.push(order_started.elapsed()),
                        Err(step) => eprintln!("client {client}: {step}"),
                    }
                    n += 1;
                }
                (adds, orders)
            })
        })
        .collect();
    let (mut adds, mut orders) = (Vec::new(), Vec::new());
    for worker in workers {
        let (a, o) = worker.await?;
        adds.extend(a);
        orders.extend(o);
    }
    let elapsed = started.elapsed().as_secs_f64();
    adds.sort_unstable();
    orders.sort_unstable();
    let percentile = |sorted: &[Duration], p: f64| {
        sorted
            .get(((sorted.len() as f64 * p) as usize).min(sorted.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1_000.0)
    };
    println!(
        "{clients} shoppers, {elapsed:.1} s: {} orders paid, {:.1} orders/s",
        orders.len(),
        orders.len() as f64 / elapsed
    );
    println!(
        "add to cart: {} requests, p50 {:.2} ms, p99 {:.2} ms",
        adds.len(),
        percentile(&adds, 0.50),
        percentile(&adds, 0.99)
    );
    // The cart page and the code's form come on top when a code is entered.
    let requests = if std::env::var("PROMOTION_CODE").is_ok() {
        13
    } else {
        11
    };
    println!(
        "whole order ({requests} requests): p50 {:.1} ms, p99 {:.1} ms",
        percentile(&orders, 0.50),
        percentile(&orders, 0.99)
    );

    let started = Instant::now();
    let deadline = started + Duration::from_secs(10);
    let workers: Vec<_> = (0..clients)
        .map(|client| {
            let articles = articles.clone();
            let address = address.clone();
            tokio::spawn(async move { only_add(&address, &articles, client, deadline).await })
        })
        .collect();
    let mut adds = Vec::new();
    for worker in workers {
        adds.extend(worker.await?);
    }
    adds.sort_unstable();
    println!(
        "add to cart alone, {clients} connections: {:.0} requests/s, p50 {:.2} ms, p99 {:.2} ms",
        adds.len() as f64 / started.elapsed().as_secs_f64(),
        percentile(&adds, 0.50),
        percentile(&adds, 0.99)
    );
    Ok(())
}

/// Adds articles to carts until `deadline`, a new shopper every 20 additions (a cart
/// holds 50 lines at most); the latency of each addition.
async fn only_add(
    address: &str,
    articles: &[Article],
    client: usize,
    deadline: Instant,
) -> Vec<Duration> {
    let mut latencies = Vec::new();
    let mut n = 0usize;
    while Instant::now() < deadline {
        let shopper = Shopper::new(address).staying();
        shopper.get(&articles[client % articles.len()].page).await;
        for _ in 0..20 {
            let article = &articles[(client * 7_919 + n * 104_729) % articles.len()];
            let started = Instant::now();
            let added = shopper
                .post(
                    "/es/cart/add",
                    &[("variant", &article.sku), ("quantity", "1")],
                )
                .await;
            latencies.push(started.elapsed());
            if added.status != 303 {
                eprintln!("client {client}: add to cart answered {}", added.status);
            }
            n += 1;
        }
    }
    latencies
}

/// One shopper's visit, from the product page to the paid order; the add-to-cart
/// latency is recorded in `adds`. `Err`: the step that did not answer as expected.
async fn buy(address: &str, article: &Article, adds: &mut Vec<Duration>) -> Result<(), String> {
    let shopper = Shopper::new(address).staying();
    expect(&shopper.get(&article.page).await, 200, "", "product page")?;
    let timed = Instant::now();
    let added = shopper
        .post(
            "/es/cart/add",
            &[("variant", &article.sku), ("quantity", "1")],
        )
        .await;
    adds.push(timed.elapsed());
    expect(&added, 303, "", "add to cart")?;
    if let Ok(code) = std::env::var("PROMOTION_CODE") {
        // The cart's form carries the token the code's form needs.
        expect(&shopper.get("/es/cart").await, 200, "", "cart")?;
        let entered = shopper.post("/es/cart/code", &[("code", &code)]).await;
        expect(&entered, 303, "", "coupon code")?;
    }
    check_out_and_pay_by_card(&shopper, "carga@example.es").await?;
    Ok(())
}
