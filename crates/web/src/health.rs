//! Health for balancers and orchestrators, and draining at shutdown.
//!
//! `/health/live`: the process answers. `/health/ready`: it should be sent traffic;
//! each application says what that needs (its snapshot, its search index, the
//! database and Redis it uses), and none is ready while draining. On SIGTERM a
//! server turns not-ready, keeps serving for its grace period while balancers
//! notice, then stops accepting, closes idle keep-alive connections and finishes the
//! requests under way, giving up on them at [`SHUTDOWN_LIMIT`].

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tokio::net::TcpListener;

/// From the signal to exit, at most.
pub const SHUTDOWN_LIMIT: Duration = Duration::from_secs(15);

/// Whether this server is shutting down, and how long it keeps serving once it is.
#[derive(Debug, Clone)]
pub struct Drain {
    draining: Arc<AtomicBool>,
    grace: Duration,
}

impl Drain {
    /// A server that keeps serving for `grace` after the signal (capped so that it
    /// still exits within [`SHUTDOWN_LIMIT`]).
    pub fn new(grace: Duration) -> Drain {
        Drain {
            draining: Arc::default(),
            grace: grace.min(SHUTDOWN_LIMIT / 2),
        }
    }

    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::Relaxed)
    }

    fn begin(&self) {
        self.draining.store(true, Ordering::Relaxed);
    }
}

/// `GET /health/live`: the process answers.
#[expect(clippy::unused_async, reason = "an axum handler is an async function")]
pub async fn live() -> &'static str {
    "live\n"
}

/// The answer of `/health/ready`: 200 with `detail` (such as the change-log
/// position, for comparing replicas), or 503 naming what is missing.
pub fn ready_answer(drain: &Drain, readiness: Result<String, String>) -> Response {
    if drain.is_draining() {
        return (StatusCode::SERVICE_UNAVAILABLE, "draining\n").into_response();
    }
    match readiness {
        Ok(detail) => format!("ready {detail}\n").into_response(),
        Err(missing) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("not ready: {missing}\n"),
        )
            .into_response(),
    }
}

/// Serves `app` until SIGTERM or Ctrl-C, then drains (see the module's comment).
pub async fn serve(listener: TcpListener, app: Router, drain: Drain) -> std::io::Result<()> {
    serve_until(listener, app, drain, shutdown_signal()).await
}

/// [`serve`] until `stop` completes rather than a signal.
pub async fn serve_until(
    listener: TcpListener,
    app: Router,
    drain: Drain,
    stop: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let stopping = Arc::new(tokio::sync::Notify::new());
    let signalled = stopping.clone();
    let grace = drain.grace;
    let server = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        stop.await;
        drain.begin();
        signalled.notify_one();
        tracing::info!(
            grace_s = grace.as_secs_f64(),
            "draining: not ready, still serving"
        );
        tokio::time::sleep(grace).await;
        tracing::info!("closing: no new connection, finishing the requests under way");
    });
    tokio::select! {
        served = server => served,
        () = async {
            stopping.notified().await;
            tokio::time::sleep(SHUTDOWN_LIMIT - grace).await;
        } => {
            tracing::warn!("requests still under way at the shutdown limit: leaving them");
            Ok(())
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;

    /// A server draining: ready turns 503 at once, pages are still served during the
    /// grace period, and it exits once the grace period is over.
    #[tokio::test]
    async fn a_draining_server_turns_unready_then_serves_out_its_grace() {
        let drain = Drain::new(Duration::from_millis(600));
        let seen = drain.clone();
        let app = Router::new()
            .route("/page", get(|| async { "page" }))
            .route(
                "/health/ready",
                get(move || {
                    let drain = seen.clone();
                    async move { ready_answer(&drain, Ok("7".to_owned())) }
                }),
            );
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(serve_until(listener, app, drain, async {
            let _ = stopped.await;
        }));
        let client = reqwest::Client::new();
        let ready = client
            .get(format!("{base}/health/ready"))
            .send()
            .await
            .unwrap();
        assert_eq!(ready.status(), 200);
        assert_eq!(ready.text().await.unwrap(), "ready 7\n");

        let started = std::time::Instant::now();
        stop.send(()).unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        let ready = client
            .get(format!("{base}/health/ready"))
            .send()
            .await
            .unwrap();
        assert_eq!(ready.status(), 503, "not ready while draining");
        let page = client.get(format!("{base}/page")).send().await.unwrap();
        assert_eq!(page.status(), 200, "still serving during the grace period");
        server.await.unwrap().unwrap();
        let took = started.elapsed();
        assert!(took >= Duration::from_millis(600), "{took:?}");
        assert!(took < SHUTDOWN_LIMIT, "{took:?}");
        assert!(
            client.get(format!("{base}/page")).send().await.is_err(),
            "closed after the grace period"
        );
    }

    #[test]
    fn readiness_says_what_is_missing() {
        let drain = Drain::new(Duration::from_secs(5));
        assert_eq!(
            ready_answer(&drain, Err("search index".to_owned())).status(),
            503
        );
        assert_eq!(ready_answer(&drain, Ok(String::new())).status(), 200);
    }
}
