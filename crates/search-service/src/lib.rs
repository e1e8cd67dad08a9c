//! The `search` service's HTTP API: the search engine of the storefront, in its own
//! process so that search replicas scale apart from storefront replicas.
//!
//! - `POST /v1/sites/{site}/search` with a JSON `SearchRequest` → `SearchResults`
//!   (503 while the index is not built, 400/422 for a bad request, 413 past 16 KiB).
//! - `GET /health` → `ok {position}` once the index is ready, 503 before.
//! - `GET /health/live`; `GET /health/ready` → `ready {position}` once the index is
//!   ready and while not draining, 503 otherwise.

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use comptoir_domain::SiteCode;
use comptoir_search::{SearchEngine, SearchError, SearchRequest};
use comptoir_web::health::{Drain, ready_answer};
use serde::Serialize;

/// Largest request body accepted: a search request is a few hundred bytes.
pub const MAX_REQUEST_BYTES: usize = 16 * 1024;

/// What every handler can reach.
#[derive(Clone)]
struct Service {
    engine: Arc<SearchEngine>,
    drain: Drain,
}

impl axum::extract::FromRef<Service> for Arc<SearchEngine> {
    fn from_ref(service: &Service) -> Arc<SearchEngine> {
        service.engine.clone()
    }
}

pub fn router(engine: Arc<SearchEngine>, drain: Drain) -> Router {
    Router::new()
        .route("/v1/sites/{site}/search", post(search))
        .route("/health", get(health))
        .route("/health/live", get(comptoir_web::health::live))
        .route("/health/ready", get(ready))
        .layer(DefaultBodyLimit::max(MAX_REQUEST_BYTES))
        .layer(axum::middleware::from_fn(
            comptoir_web::observe::trace_request,
        ))
        .with_state(Service { engine, drain })
}

#[derive(Serialize)]
struct ErrorBody {
    error: &'static str,
}

fn error(status: StatusCode, message: &'static str) -> Response {
    (status, Json(ErrorBody { error: message })).into_response()
}

async fn search(
    State(engine): State<Arc<SearchEngine>>,
    Path(site): Path<String>,
    Json(request): Json<SearchRequest>,
) -> Response {
    let Ok(site) = SiteCode::parse(&site) else {
        return error(StatusCode::NOT_FOUND, "unknown site");
    };
    if !engine.is_ready() {
        return error(
            StatusCode::SERVICE_UNAVAILABLE,
            "the search index is being built",
        );
    }
    match engine.search(site, &request) {
        Ok(results) => Json(results).into_response(),
        Err(SearchError::NotReady) => error(
            StatusCode::SERVICE_UNAVAILABLE,
            "the search index is being built",
        ),
        Err(cause) => {
            tracing::error!(%cause, "search failed");
            error(StatusCode::INTERNAL_SERVER_ERROR, "search failed")
        }
    }
}

async fn ready(State(service): State<Service>) -> Response {
    let engine = &service.engine;
    let position = engine.position().filter(|_| engine.is_ready());
    let readiness = position
        .map(|position| position.to_string())
        .ok_or_else(|| "the search index is being built".to_owned());
    ready_answer(&service.drain, readiness)
}

async fn health(State(engine): State<Arc<SearchEngine>>) -> Response {
    match engine.position().filter(|_| engine.is_ready()) {
        Some(position) => format!("ok {position}\n").into_response(),
        None => (StatusCode::SERVICE_UNAVAILABLE, "starting\n").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;

    async fn call(app: Router, request: Request<Body>) -> (StatusCode, String) {
        let response = app.oneshot(request).await.unwrap();
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    fn post(path: &str, body: impl Into<Body>) -> Request<Body> {
        Request::post(path)
            .header("content-type", "application/json")
            .body(body.into())
            .unwrap()
    }

    #[tokio::test]
    async fn answers_503_until_built_then_searches() {
        let engine = Arc::new(SearchEngine::open(None).unwrap());
        let app = router(engine.clone(), Drain::new(std::time::Duration::ZERO));
        let (status, _) = call(
            app.clone(),
            post("/v1/sites/es/search", r#"{"query":"bruja"}"#),
        )
        .await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        let (status, _) = call(
            app.clone(),
            Request::get("/health").body(Body::empty()).unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        let (status, body) = call(
            app.clone(),
            Request::get("/health/ready").body(Body::empty()).unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
        let (status, _) = call(
            app.clone(),
            Request::get("/health/live").body(Body::empty()).unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "alive while building");

        engine
            .rebuild(
                &comptoir_demo::generate(200),
                3,
                chrono::Utc::now(),
                &|_, _| {},
            )
            .unwrap();
        let (status, body) = call(
            app.clone(),
            post(
                "/v1/sites/fr/search",
                r#"{"query":"sorciere","per_page":3}"#,
            ),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let results: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(results["products"].as_array().unwrap().len(), 3);
        let (status, body) = call(
            app.clone(),
            Request::get("/health").body(Body::empty()).unwrap(),
        )
        .await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, "ok 3\n"));
        let (status, body) = call(
            app,
            Request::get("/health/ready").body(Body::empty()).unwrap(),
        )
        .await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, "ready 3\n"));
    }

    #[tokio::test]
    async fn refuses_bad_requests() {
        let engine = Arc::new(SearchEngine::open(None).unwrap());
        engine
            .rebuild(
                &comptoir_demo::generate(50),
                1,
                chrono::Utc::now(),
                &|_, _| {},
            )
            .unwrap();
        let app = router(engine, Drain::new(std::time::Duration::ZERO));
        let huge = format!(r#"{{"query":"{}"}}"#, "x".repeat(MAX_REQUEST_BYTES));
        assert_eq!(
            call(app.clone(), post("/v1/sites/es/search", huge)).await.0,
            StatusCode::PAYLOAD_TOO_LARGE
        );
        assert_eq!(
            call(app.clone(), post("/v1/sites/de/search", "{}")).await.0,
            StatusCode::NOT_FOUND
        );
        assert!(
            call(app.clone(), post("/v1/sites/es/search", "{not json"))
                .await
                .0
                .is_client_error()
        );
        let (status, _) = call(app, post("/v1/sites/es/search", r#"{"query":"\"(*:"}"#)).await;
        assert_eq!(status, StatusCode::OK);
    }
}
