//! What shared caches (a CDN, the balancer) may keep of a site's pages. A page that
//! says nothing of its own (no `Cache-Control` of its own, no cookie set) is the same
//! for every visitor: a shared cache may serve it for a minute, and stale for five
//! more while it asks again; browsers ask every time, with the page's ETag, and get
//! 304 when nothing changed. Private pages say
//! `private, no-store` themselves.

use axum::body::Body;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Largest body given an ETag (a sitemap file is a few hundred KB).
const MAX_BODY: usize = 16 * 1024 * 1024;

/// Browsers always ask (`max-age=0`); shared caches keep a page 60 s, and serve it
/// stale 300 s more while they ask again.
const PUBLIC: &str = "public, max-age=0, s-maxage=60, stale-while-revalidate=300";

/// `response` with what shared caches need when it is a page for everyone: cache
/// lifetimes and an ETag of its bytes, or 304 when the request's `If-None-Match`
/// names it.
pub async fn for_shared_caches(
    method: &Method,
    if_none_match: Option<&HeaderValue>,
    response: Response,
) -> Response {
    let for_everyone = (method == Method::GET || method == Method::HEAD)
        && response.status() == StatusCode::OK
        && !response.headers().contains_key(header::CACHE_CONTROL)
        && !response.headers().contains_key(header::SET_COOKIE);
    if !for_everyone {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let etag = format!("\"{:016x}\"", xxhash_rust::xxh3::xxh3_64(&bytes));
    let etag = HeaderValue::from_str(&etag).expect("hex digits make a header value");
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(PUBLIC));
    if names(if_none_match, &etag) {
        let mut not_modified = StatusCode::NOT_MODIFIED.into_response();
        let headers = not_modified.headers_mut();
        headers.insert(header::ETAG, etag);
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(PUBLIC));
        return not_modified;
    }
    parts.headers.insert(header::ETAG, etag);
    Response::from_parts(parts, Body::from(bytes))
}

/// Whether the request's `If-None-Match` names `etag` (or is `*`).
fn names(if_none_match: Option<&HeaderValue>, etag: &HeaderValue) -> bool {
    let Some(wanted) = if_none_match.and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let etag = etag.to_str().unwrap_or_default();
    wanted
        .split(',')
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == "*" || tag == etag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn pages_for_everyone_get_an_etag_and_304_when_unchanged() {
        let page = || Response::new(Body::from("<p>bruja</p>"));
        let first = for_shared_caches(&Method::GET, None, page()).await;
        assert_eq!(first.status(), 200);
        assert_eq!(first.headers()[header::CACHE_CONTROL], PUBLIC);
        let etag = first.headers()[header::ETAG].clone();

        let again = for_shared_caches(&Method::GET, Some(&etag), page()).await;
        assert_eq!(again.status(), 304);
        assert_eq!(again.headers()[header::ETAG], etag);

        let other = HeaderValue::from_static("\"other\"");
        let changed = for_shared_caches(&Method::GET, Some(&other), page()).await;
        assert_eq!(changed.status(), 200);
    }

    #[tokio::test]
    async fn private_posted_and_cookie_setting_answers_are_left_alone() {
        let mut private = Response::new(Body::from("cart"));
        private.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
        let private = for_shared_caches(&Method::GET, None, private).await;
        assert!(!private.headers().contains_key(header::ETAG));
        let mut cookie = Response::new(Body::from("hello"));
        cookie
            .headers_mut()
            .insert(header::SET_COOKIE, HeaderValue::from_static("a=b"));
        let cookie = for_shared_caches(&Method::GET, None, cookie).await;
        assert!(!cookie.headers().contains_key(header::CACHE_CONTROL));
        let posted = for_shared_caches(&Method::POST, None, Response::new(Body::empty())).await;
        assert!(!posted.headers().contains_key(header::ETAG));
        let missing = StatusCode::NOT_FOUND.into_response();
        let missing = for_shared_caches(&Method::GET, None, missing).await;
        assert!(!missing.headers().contains_key(header::CACHE_CONTROL));
    }
}
