//! How long an invoice's PDF takes to make, as the mail worker and the downloads
//! make it: a simplified invoice of 3 lines and a full one of 40 lines (three
//! pages), each laid out and written again and again. Prints the time of one PDF
//! (mean, p50, p99) and its size.
//!
//! Usage: `cargo run --release -p comptoir-bench --bin invoice-pdf [ROUNDS]`
//! (default 2 000).

use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};
use comptoir_domain::destination::Country;
use comptoir_domain::invoicing::verifactu::AeatHost;
use comptoir_domain::invoicing::{
    Invoice, InvoiceLine, InvoiceNumber, InvoiceType, Party, Treatment,
};
use comptoir_domain::vat::VatRate;
use comptoir_domain::{Locale, Money};

fn invoice(kind: InvoiceType, treatment: Treatment, lines: usize) -> Invoice {
    Invoice {
        number: InvoiceNumber {
            kind,
            year: 2027,
            sequence: 4_250,
        },
        issued_at: Utc::now(),
        issued_on: NaiveDate::from_ymd_opt(2027, 2, 11).expect("a date"),
        language: Locale::Es,
        treatment,
        seller: Party {
            name: "Disfraces y Fiestas del Carnaval, S.L.".to_owned(),
            tax_id: Some("B12345674".to_owned()),
            address: "Calle Mayor 1, 28013 Madrid".to_owned(),
        },
        buyer: (kind != InvoiceType::F2).then(|| Party {
            name: "Jeanne Martin".to_owned(),
            tax_id: None,
            address: "12 rue de la Paix, 75002 Paris (FR)".to_owned(),
        }),
        lines: (0..lines)
            .map(|n| InvoiceLine {
                description: format!("Disfraz de bruja para mujer con sombrero, talla {n}"),
                sku: format!("DIS-BRUJA-{n:03}"),
                quantity: 1,
                unit_price: Money::eur(2_499),
                discount: Money::eur(0),
                rate: Some(VatRate::percent(21)),
                net: Money::eur(2_065),
                vat: Money::eur(434),
            })
            .collect(),
        refers_to: None,
    }
}

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2_000);
    let cases = [
        (
            "simplified, 3 lines",
            invoice(InvoiceType::F2, Treatment::Domestic, 3),
        ),
        (
            "full, 40 lines",
            invoice(InvoiceType::F1, Treatment::DistanceSale(Country::Fr), 40),
        ),
    ];
    for (name, sold) in &cases {
        let mut times: Vec<Duration> = Vec::with_capacity(rounds);
        let mut size = 0;
        for _ in 0..rounds {
            let started = Instant::now();
            let pdf = comptoir_invoice_pdf::render(sold, "ES-100004250", AeatHost::Test)
                .expect("the invoice renders");
            times.push(started.elapsed());
            size = pdf.len();
        }
        times.sort_unstable();
        let mean = times.iter().sum::<Duration>() / rounds as u32;
        let at = |q: f64| times[((rounds as f64 * q) as usize).min(rounds - 1)];
        println!(
            "{name}, {rounds} rounds: mean {:.2} ms, p50 {:.2} ms, p99 {:.2} ms; {size} bytes",
            mean.as_secs_f64() * 1e3,
            at(0.50).as_secs_f64() * 1e3,
            at(0.99).as_secs_f64() * 1e3,
        );
    }
}
