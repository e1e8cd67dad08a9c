//! The back office's figures, over HTTP against running servers: how long the
//! catalogue export takes, and how long a price saved in the product editor takes to
//! show on a storefront (10 saves, the storefront polled every 20 ms).
//!
//! Usage: `DATABASE_URL=postgres://… STAFF_EMAIL=… STAFF_PASSWORD=… backoffice-figures
//! BACKOFFICE STOREFRONT`, both as `127.0.0.1:port`, the staff member allowed to edit
//! the catalogue. It changes the Spanish price of the demo's afro wig.

use std::time::{Duration, Instant};

use comptoir_domain::{Locale, ProductId};
use comptoir_e2e::Shopper;
use comptoir_store::{ProductFilter, StoreConfig};

const SAVES: usize = 10;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: backoffice-figures BACKOFFICE STOREFRONT";
    let backoffice = args.next().ok_or(usage)?;
    let storefront = args.next().ok_or(usage)?;
    let email = std::env::var("STAFF_EMAIL").map_err(|_| "set STAFF_EMAIL")?;
    let password = std::env::var("STAFF_PASSWORD").map_err(|_| "set STAFF_PASSWORD")?;
    let url = std::env::var("DATABASE_URL").map_err(|_| "set DATABASE_URL")?;
    let store = comptoir_store::open(&StoreConfig {
        database_url: Some(comptoir_store::DatabaseUrl::new(url)),
        data_dir: "data".into(),
        max_connections: 2,
        connect_wait: std::time::Duration::ZERO,
        invoice_on: comptoir_store::InvoiceMoment::Paid,
    })
    .await?;

    let staff = Shopper::new(&backoffice);
    staff.get("/login").await;
    let login = staff
        .post("/login", &[("email", &email), ("password", &password)])
        .await;
    if login.status != 303 {
        return Err(format!("login answered {}", login.status).into());
    }

    let started = Instant::now();
    let export = staff.get("/products/export.csv").await;
    let elapsed = started.elapsed();
    if export.status != 200 {
        return Err(format!("export answered {}", export.status).into());
    }
    println!(
        "catalogue export: {} rows, {:.1} MB in {:.2} s",
        export.body.lines().count().saturating_sub(1),
        export.body.len() as f64 / 1e6,
        elapsed.as_secs_f64()
    );

    let filter = ProductFilter {
        text: Some("PEL-AFRO-MULTI".into()),
        ..ProductFilter::default()
    };
    let id = store.find_products(&filter, 1, 0).await?.rows[0].id;
    let (product, _) = store
        .product_for_edit(ProductId(id))
        .await?
        .ok_or("no afro wig in this catalogue")?;
    let page = format!("/es/p/{}", product.url_keys[Locale::Es]);
    let shopper = Shopper::new(&storefront);
    let mut delays = Vec::new();
    for save in 0..SAVES {
        let cents = 4_000 + save as i64 * 7 + 1;
        let typed = format!("{}.{:02}", cents / 100, cents % 100);
        let shown = format!("{},{:02}", cents / 100, cents % 100);
        let editor = staff.get(&format!("/products/{id}")).await;
        let mut fields = editor.form_fields(&format!("/products/{id}"));
        for (name, value) in &mut fields {
            match name.as_str() {
                "price_es" => *value = typed.clone(),
                "sale_price_es" => value.clear(),
                _ => {}
            }
        }
        let fields: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let saved_at = Instant::now();
        let saved = staff.post_raw(&format!("/products/{id}"), &fields).await;
        if saved.status != 303 {
            return Err(format!("save answered {}", saved.status).into());
        }
        loop {
            if shopper.get(&page).await.body.contains(&shown) {
                delays.push(saved_at.elapsed());
                break;
            }
            if saved_at.elapsed() > Duration::from_secs(30) {
                return Err("the price did not show within 30 s".into());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    delays.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1_000.0;
    println!(
        "save to storefront: {SAVES} saves, min {:.0} ms, median {:.0} ms, max {:.0} ms",
        ms(delays[0]),
        ms(delays[SAVES / 2]),
        ms(delays[SAVES - 1])
    );
    Ok(())
}
