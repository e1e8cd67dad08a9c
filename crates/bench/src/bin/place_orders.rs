//! Order placement throughput on the store alone (no HTTP): concurrent clients place
//! two-line orders for a fixed time, then the orders per second and the latency of a
//! placement are printed. It measures the transaction issue 4 relies on: guarded
//! stock decrements, the idempotency key, the per-site number and the change-log
//! append (whose lock every order takes at its end).
//!
//! Usage: `DATABASE_URL=postgres://… place-orders [CLIENTS] [SECONDS]` on a database
//! seeded with `comptoir seed` (default 32 clients, 10 s). It restocks the variants
//! it uses and leaves its orders behind: use a benchmark database.

use std::sync::Arc;
use std::time::{Duration, Instant};

use comptoir_domain::{SiteCode, Sku};
use comptoir_store::{NewOrder, NewOrderLine, ShippingAddress, StoreConfig};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Variants the orders draw from: plenty, so that clients rarely touch the same rows.
const VARIANTS: usize = 2_000;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let clients: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(32);
    let seconds: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(10);
    let url = std::env::var("DATABASE_URL")
        .map_err(|_| "set DATABASE_URL to a seeded benchmark database")?;
    let config = StoreConfig {
        database_url: Some(comptoir_store::DatabaseUrl::new(url)),
        data_dir: "data".into(),
        max_connections: clients as u32 + 2,
        connect_wait: std::time::Duration::ZERO,
        invoice_on: comptoir_store::InvoiceMoment::Paid,
    };
    let store = comptoir_store::open(&config).await?;
    store.migrate().await?;
    let catalogue = store.load_catalogue().await?.catalogue;
    let skus: Vec<Sku> = catalogue
        .products
        .iter()
        .flat_map(|p| &p.variants)
        .map(|v| v.sku.clone())
        .take(VARIANTS)
        .collect();
    for sku in &skus {
        store.set_stock(sku, 1_000_000).await?;
    }
    let skus = Arc::new(skus);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let run = std::process::id();
    let workers: Vec<_> = (0..clients)
        .map(|client| {
            let store = store.clone();
            let skus = skus.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut n = 0usize;
                while Instant::now() < deadline {
                    let pick = |k: usize| {
                        skus[(client * 7_919 + n * 104_729 + k * 31) % skus.len()].clone()
                    };
                    let order = order(format!("bench-{run}-{client}-{n}"), [pick(0), pick(1)]);
                    let started = Instant::now();
                    store
                        .place_order(&order, &|_| None)
                        .await
                        .expect("an order is placed");
                    latencies.push(started.elapsed());
                    n += 1;
                }
                latencies
            })
        })
        .collect();
    let started = Instant::now();
    let mut latencies = Vec::new();
    for worker in workers {
        latencies.extend(worker.await?);
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    let percentile =
        |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!(
        "{} orders in {elapsed:.1} s with {clients} clients: {:.0} orders/s, p50 {:.1} ms, p99 {:.1} ms",
        latencies.len(),
        latencies.len() as f64 / elapsed,
        percentile(0.50).as_secs_f64() * 1e3,
        percentile(0.99).as_secs_f64() * 1e3,
    );
    Ok(())
}

fn order(key: String, skus: [Sku; 2]) -> NewOrder {
    let lines: Vec<NewOrderLine> = skus
        .into_iter()
        .map(|sku| NewOrderLine {
            name: sku.to_string(),
            sku,
            unit_cents: 2_499,
            quantity: 1,
            gross_cents: 2_499,
            discount_cents: 0,
            net_cents: 2_065,
            vat_cents: 434,
            vat_rate_bp: 2_100,
        })
        .collect();
    NewOrder {
        site: SiteCode::Es,
        idempotency_key: format!("{key:0>16}"),
        email: "bench@example.es".to_owned(),
        customer_id: None,
        ship_to: ShippingAddress {
            name: "Banco de pruebas".to_owned(),
            street: "Calle Mayor 1".to_owned(),
            postcode: "28013".to_owned(),
            city: "Madrid".to_owned(),
            country: "ES".to_owned(),
        },
        phone: "+34612345678".to_owned(),
        ship_region: String::new(),
        invoice: None,
        shipping_method: "standard".to_owned(),
        payment_method: "bank-transfer".to_owned(),
        client_address: None,
        lines,
        items_cents: 4_998,
        discount_cents: 0,
        shipping_cents: 0,
        vat_cents: 868,
        total_cents: 4_998,
        outside_eu_vat: false,
        terms: None,
        promotions: Vec::new(),
    }
}
