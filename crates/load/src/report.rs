//! A load run told: per action and per class, requests, errors and latency
//! percentiles; visits, orders and what the generator could not start.

use std::fmt::Write;

use crate::journey::{Action, Class};
use crate::run::{LoadSettings, Measured};

/// The run as text for the terminal.
pub fn text(settings: &LoadSettings, measured: &Measured) -> String {
    let seconds = measured.elapsed.as_secs_f64().max(0.001);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:.1} s at {:.2} visits/s offered: {} visits started, {} finished, {} orders paid, \
         {} sold out{}",
        seconds,
        settings.arrivals_per_second,
        measured.visits_started,
        measured.visits_finished,
        measured.orders,
        measured.sold_out,
        if measured.dropped > 0 {
            format!(", {} dropped (the generator was behind)", measured.dropped)
        } else {
            String::new()
        }
    );
    let _ = writeln!(
        out,
        "{} requests ({:.1}/s), {} errors ({:.3} %)",
        measured.requests(),
        measured.requests() as f64 / seconds,
        measured.errors(),
        measured.error_rate() * 100.0
    );
    let _ = writeln!(
        out,
        "{:<12} {:>9} {:>7} {:>9} {:>9} {:>9} {:>9}",
        "action", "requests", "errors", "p50 ms", "p90 ms", "p99 ms", "max ms"
    );
    let ms = |micros: u64| micros as f64 / 1_000.0;
    for action in Action::ALL {
        let Some(stats) = measured.actions.get(&action) else {
            continue;
        };
        let h = &stats.latency;
        let _ = writeln!(
            out,
            "{:<12} {:>9} {:>7} {:>9.2} {:>9.2} {:>9.2} {:>9.2}",
            action.name(),
            stats.requests(),
            stats.errors,
            ms(h.value_at_quantile(0.5)),
            ms(h.value_at_quantile(0.9)),
            ms(h.value_at_quantile(0.99)),
            ms(h.max())
        );
    }
    for (class, name) in [(Class::Page, "pages"), (Class::Checkout, "checkout")] {
        let h = measured.class(class);
        if h.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "{:<12} {:>9} {:>7} {:>9.2} {:>9.2} {:>9.2} {:>9.2}",
            name,
            h.len(),
            "",
            ms(h.value_at_quantile(0.5)),
            ms(h.value_at_quantile(0.9)),
            ms(h.value_at_quantile(0.99)),
            ms(h.max())
        );
    }
    for error in &measured.first_errors {
        let _ = writeln!(out, "  error: {error}");
    }
    out
}

/// The run as JSON, for automation.
pub fn json(settings: &LoadSettings, measured: &Measured) -> serde_json::Value {
    let ms = |micros: u64| micros as f64 / 1_000.0;
    let actions: serde_json::Map<String, serde_json::Value> = Action::ALL
        .iter()
        .filter_map(|action| {
            let stats = measured.actions.get(action)?;
            let h = &stats.latency;
            Some((
                action.name().to_owned(),
                serde_json::json!({
                    "requests": stats.requests(),
                    "errors": stats.errors,
                    "p50_ms": ms(h.value_at_quantile(0.5)),
                    "p99_ms": ms(h.value_at_quantile(0.99)),
                    "max_ms": ms(h.max()),
                }),
            ))
        })
        .collect();
    serde_json::json!({
        "offered_visits_per_second": settings.arrivals_per_second,
        "seconds": measured.elapsed.as_secs_f64(),
        "visits_started": measured.visits_started,
        "visits_finished": measured.visits_finished,
        "orders": measured.orders,
        "sold_out": measured.sold_out,
        "dropped": measured.dropped,
        "requests": measured.requests(),
        "errors": measured.errors(),
        "error_rate": measured.error_rate(),
        "page_p99_ms": measured.quantile_ms(Class::Page, 0.99),
        "checkout_p99_ms": measured.quantile_ms(Class::Checkout, 0.99),
        "actions": actions,
    })
}
