//! What the storefront and the back office share on the web side: CSRF protection
//! for every form, cookies only the shop's pages read, random tokens, and the
//! security headers of every response.

pub mod assets;
pub mod client;
pub mod compression;
pub mod csrf;
pub mod download;
pub mod error;
pub mod headers;
pub mod health;
pub mod metrics;
pub mod observe;

use std::time::Duration;

use axum::Router;
use axum::http::HeaderValue;
use axum::http::header;
use tower_cookies::cookie::{Cookie, SameSite};

/// A setting that may hold a password (a Redis or SMTP URL, a key): `Debug` never
/// prints it, so no log or panic message shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value itself, for the one place that uses it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;

    fn from_str(value: &str) -> Result<Secret, Self::Err> {
        Ok(Secret::new(value))
    }
}

/// 32 random bytes, hex-encoded: cart ids, keys, reset tokens, idempotency keys.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system provides random bytes");
    hex::encode(bytes)
}

/// CPU-heavy work (argon2 hashing, parsing a file) on the blocking pool, off the
/// async executor.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, error::HttpError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|_| error::HttpError::internal("blocking work was interrupted"))
}

/// A cookie only this application's pages send back: HttpOnly, SameSite=Lax, and
/// Secure when it is served over https.
pub fn private_cookie(
    name: &'static str,
    value: String,
    secure: bool,
    max_age: Duration,
) -> Cookie<'static> {
    let mut cookie = Cookie::new(name, value);
    cookie.set_http_only(true);
    cookie.set_same_site(SameSite::Lax);
    cookie.set_secure(secure);
    cookie.set_path("/");
    cookie.set_max_age(tower_cookies::cookie::time::Duration::try_from(max_age).ok());
    cookie
}

/// `routes` with the shop's own files (`static_files`) at `/static/` and the images
/// staff upload (`media_dir`, shared by every replica) at `/static/media/`. Image
/// renditions are named by their content: browsers keep them for a year.
pub fn with_static_files<S: Clone + Send + Sync + 'static>(
    routes: Router<S>,
    static_files: std::sync::Arc<assets::StaticFiles>,
    media_dir: &std::path::Path,
) -> Router<S> {
    use axum::extract::Path;
    use axum::http::HeaderMap;
    use tower_http::services::ServeDir;
    use tower_http::set_header::SetResponseHeader;
    let renditions = SetResponseHeader::overriding(
        ServeDir::new(media_dir.join(comptoir_domain::image::RENDITIONS_FOLDER)),
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    routes
        .nest_service("/static/media/renditions", renditions)
        .nest_service("/static/media", ServeDir::new(media_dir))
        .route(
            "/static/{*path}",
            axum::routing::get(move |Path(path): Path<String>, headers: HeaderMap| {
                let static_files = static_files.clone();
                async move { static_files.answer(&path, &headers) }
            }),
        )
}
