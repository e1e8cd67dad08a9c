//! The reference server of the page benchmarks: a bare axum handler returning a fixed
//! 30 KB page, on the same runtime settings as the storefront. Pages are measured
//! beside it in the same run, because this machine is shared and noisy.
//!
//! Usage: `reference-server [ADDRESS]` (default `127.0.0.1:8099`).

use axum::Router;
use axum::response::Html;
use axum::routing::get;

/// The storefront's allocator, so that the two differ only in their handlers.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// 30 KB of HTML, about the size of a category page.
static PAGE: &str = include_str!("reference-page.html");

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let address = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8099".to_owned());
    let listener = tokio::net::TcpListener::bind(&address).await?;
    println!("reference server on http://{address}/");
    let app = Router::new().route("/", get(|| async { Html(PAGE) }));
    axum::serve(listener, app).await
}
