//! What Prometheus scrapes: counters, gauges and latency histograms in its text
//! format at `/metrics`, on an address of their own (`METRICS_BIND`), never on the
//! public port. Histograms (`_bucket{le=…}`), unlike summaries, add up across
//! replicas. Code anywhere records with the `metrics` macros; this module installs
//! the recorder once per process and serves what it holds.

use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::get;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

/// Latency buckets, in seconds: from a page out of memory (≈1 ms) to a slow
/// checkout.
const LATENCY_BUCKETS: [f64; 13] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

/// The process's recorder, installed on first use (tests start several apps in one
/// process; they share it).
pub fn recorder() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let handle = PrometheusBuilder::new()
            .set_buckets(&LATENCY_BUCKETS)
            .expect("the buckets are not empty")
            .install_recorder()
            .expect("no other metrics recorder is installed");
        let upkeep = handle.clone();
        // Histograms keep their samples until upkeep folds them into buckets.
        std::thread::spawn(move || {
            loop {
                std::thread::sleep(Duration::from_secs(5));
                upkeep.run_upkeep();
            }
        });
        handle
    })
}

/// The metrics router: `GET /metrics` in Prometheus' text format.
pub fn router() -> Router {
    let handle = recorder();
    Router::new().route(
        "/metrics",
        get(move || async move {
            if let Some(seconds) = process_cpu_seconds() {
                metrics::gauge!("process_cpu_seconds_total").set(seconds);
            }
            (
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/plain; version=0.0.4"),
                )],
                handle.render(),
            )
                .into_response()
        }),
    )
}

/// The CPU time this process has used, user and system, all threads (Linux's
/// `/proc/self/stat`, in clock ticks of 1/100 s: `USER_HZ`, fixed for user space);
/// `None` elsewhere. `comptoir sizing` reads it to size by CPU per visit.
fn process_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name may hold spaces: the fields are counted after its `)`.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = |at: usize| fields.get(at)?.parse::<f64>().ok();
    // utime and stime are the 14th and 15th fields, the 12th and 13th after `)`.
    Some((ticks(11)? + ticks(12)?) / 100.0)
}

/// Serves `/metrics` on `bind` in the background. An address that cannot be bound
/// is logged: the shop serves on without its metrics.
pub async fn serve(bind: SocketAddr) {
    let listener = match tokio::net::TcpListener::bind(bind).await {
        Ok(listener) => listener,
        Err(error) => {
            tracing::warn!(%bind, %error, "metrics not served: METRICS_BIND cannot be bound");
            return;
        }
    };
    tracing::info!(%bind, "metrics on http://{bind}/metrics");
    tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, router()).await {
            tracing::warn!(%error, "the metrics listener stopped");
        }
    });
}

/// Every 5 s, the database pool's connections (`comptoir_db_pool_connections` by
/// state: in use, idle, max), the sign of queries waiting when in use reaches max.
pub fn sample_database_pool(store: std::sync::Arc<dyn comptoir_store::Schema>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tick.tick().await;
            let pool = store.pool_status();
            let gauge = |state: &'static str, value: u32| {
                metrics::gauge!("comptoir_db_pool_connections", "state" => state)
                    .set(f64::from(value));
            };
            gauge("in_use", pool.open.saturating_sub(pool.idle));
            gauge("idle", pool.idle);
            gauge("max", pool.max);
        }
    });
}

/// `200` → `2xx`: the status label, a handful of values.
pub fn status_class(status: u16) -> &'static str {
    match status {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_has_used_some_cpu() {
        let busy: u64 = (0..20_000_000u64).map(|n| n % 7).sum();
        assert!(busy > 0);
        let seconds = process_cpu_seconds().expect("Linux's /proc");
        assert!(seconds > 0.0 && seconds < 1e6, "{seconds}");
    }

    #[test]
    fn statuses_fall_in_their_class() {
        assert_eq!(status_class(200), "2xx");
        assert_eq!(status_class(304), "3xx");
        assert_eq!(status_class(404), "4xx");
        assert_eq!(status_class(503), "5xx");
    }

    #[tokio::test]
    async fn latencies_are_rendered_as_histograms() {
        recorder();
        metrics::histogram!("test_latency_seconds", "route" => "/p/{key}").record(0.003);
        metrics::counter!("test_requests_total", "status" => "2xx").increment(2);
        let rendered = recorder().render();
        assert!(
            rendered.contains("test_latency_seconds_bucket{route=\"/p/{key}\",le=\"0.005\"} 1"),
            "{rendered}"
        );
        assert!(rendered.contains("test_requests_total{status=\"2xx\"} 2"));
    }

    #[tokio::test]
    async fn an_address_in_use_is_logged_not_fatal() {
        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        serve(taken.local_addr().unwrap()).await;
    }
}
