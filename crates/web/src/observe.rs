//! What operators see of each request: a span with its method, matched route, site,
//! status and latency, a request id that follows it to the search service, and the
//! request counted in the metrics (`http_requests_total`,
//! `http_request_duration_seconds`, by route, site and status class).
//!
//! The span is at `info` (what is logged while serving carries its fields); the line
//! for each request served is at `debug` (`RUST_LOG=comptoir_web=debug` turns on an
//! access log), so a busy shop does not write a line per page by default.

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

/// The header that carries a request's id, in and out.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The site a request is for (`es`, `fr`...), set by the storefront before routing.
#[derive(Debug, Clone, Copy)]
pub struct RequestSite(pub &'static str);

tokio::task_local! {
    static REQUEST_ID: HeaderValue;
}

/// The id of the request being served, for calls to other services.
pub fn current_request_id() -> Option<HeaderValue> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// Opens the request's span and gives the request its id: the caller's when it sent
/// a sound one (a storefront calling the search service), a new one otherwise. The
/// response carries the id back.
pub async fn trace_request(request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get(REQUEST_ID_HEADER)
        .filter(|id| is_sound(id.as_bytes()))
        .cloned()
        .unwrap_or_else(new_request_id);
    // Paths no route matched (content pages, unknown paths) share one label, so
    // that the metrics' labels stay few.
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("fallback", MatchedPath::as_str)
        .to_owned();
    let site = request
        .extensions()
        .get::<RequestSite>()
        .map_or("-", |s| s.0);
    let span = tracing::info_span!(
        "request",
        id = id.to_str().unwrap_or("-"),
        method = %request.method(),
        route = route.as_str(),
        site,
        status = tracing::field::Empty,
        ms = tracing::field::Empty,
    );
    let started = Instant::now();
    let mut response = REQUEST_ID
        .scope(id.clone(), next.run(request))
        .instrument(span.clone())
        .await;
    let elapsed = started.elapsed().as_secs_f64();
    let status = response.status().as_u16();
    metrics::counter!(
        "http_requests_total",
        "route" => route.clone(),
        "site" => site,
        "status" => crate::metrics::status_class(status),
    )
    .increment(1);
    metrics::histogram!("http_request_duration_seconds", "route" => route, "site" => site)
        .record(elapsed);
    if !span.is_disabled() {
        let ms = elapsed * 1000.0;
        span.record("status", status);
        span.record("ms", ms);
        tracing::debug!(parent: &span, status, ms, "served");
    }
    response.headers_mut().insert(REQUEST_ID_HEADER, id);
    response
}

/// A new id: this process's random prefix and a count, so that ids are unique
/// across replicas without a system call per request.
fn new_request_id() -> HeaderValue {
    static PREFIX: std::sync::LazyLock<u64> = std::sync::LazyLock::new(|| {
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes).expect("the operating system provides random bytes");
        u64::from_le_bytes(bytes)
    });
    static COUNT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let count = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    HeaderValue::try_from(format!("{:016x}{count:016x}", *PREFIX))
        .expect("hex is a valid header value")
}

/// Short and plain enough to repeat in logs as it came.
fn is_sound(id: &[u8]) -> bool {
    (8..=64).contains(&id.len())
        && id
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::Body;
    use axum::routing::get;
    use tower::ServiceExt;

    use super::*;

    /// A handler that answers with the request id it sees while serving.
    fn echo_app() -> Router {
        Router::new()
            .route(
                "/",
                get(|| async {
                    current_request_id()
                        .and_then(|id| id.to_str().ok().map(str::to_owned))
                        .unwrap_or_default()
                }),
            )
            .layer(axum::middleware::from_fn(trace_request))
    }

    async fn call(id: Option<&str>) -> (String, String) {
        let mut request = axum::http::Request::get("/");
        if let Some(id) = id {
            request = request.header(REQUEST_ID_HEADER, id);
        }
        let response = echo_app()
            .oneshot(request.body(Body::empty()).unwrap())
            .await
            .unwrap();
        let header = response.headers()[REQUEST_ID_HEADER]
            .to_str()
            .unwrap()
            .to_owned();
        let body = axum::body::to_bytes(response.into_body(), 1024)
            .await
            .unwrap();
        (header, String::from_utf8(body.to_vec()).unwrap())
    }

    #[tokio::test]
    async fn a_sound_incoming_id_is_the_requests_own_while_serving_and_after() {
        let (header, seen) = call(Some("storefront-1234abcd")).await;
        assert_eq!(header, "storefront-1234abcd");
        assert_eq!(seen, "storefront-1234abcd");
    }

    #[tokio::test]
    async fn a_missing_or_unsound_id_is_replaced_by_a_new_one() {
        for id in [None, Some("bad id\twith tab"), Some("x")] {
            let (header, seen) = call(id).await;
            assert_eq!(header, seen);
            assert_eq!(header.len(), 32, "{id:?}");
            assert_ne!(Some(header.as_str()), id);
        }
    }

    #[test]
    fn only_plain_ids_are_kept() {
        assert!(is_sound(b"0123456789abcdef"));
        assert!(is_sound(b"req-42_abcdef"));
        assert!(!is_sound(b"short"));
        assert!(!is_sound(b"has space in it"));
        assert!(!is_sound("niño-0123456".as_bytes()));
        assert!(!is_sound(&[b'a'; 65]));
        assert!(is_sound(new_request_id().as_bytes()));
    }
}
