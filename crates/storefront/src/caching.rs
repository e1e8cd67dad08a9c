//! What shared caches (a CDN, the balancer) may keep of a site's pages. A page that
//! says nothing of its own (no `Cache-Control` of its own, no cookie set) is the same
//! for every visitor: a shared cache may serve it for a minute, and stale for five
//! more while it asks again; browsers ask every time, with the page's ETag, and get
//! 304 when nothing changed. Private pages say
//! `private, no-store` themselves.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use comptoir_web::assets::if_none_match_names;
use comptoir_web::compression::{CompressedPages, ContentCoding, compressible};

/// Largest body given an ETag (a sitemap file is a few hundred KB).
const MAX_BODY: usize = 16 * 1024 * 1024;

/// Browsers always ask (`max-age=0`); shared caches keep a page 60 s, and serve it
/// stale 300 s more while they ask again.
const PUBLIC: &str = "public, max-age=0, s-maxage=60, stale-while-revalidate=300";

/// What of the request decides the answer's form: the coding the client takes
/// and the ETag it already has.
pub struct Conditions {
    coding: ContentCoding,
    if_none_match: Option<HeaderValue>,
}

impl Conditions {
    pub fn of(request: &HeaderMap) -> Conditions {
        Conditions {
            coding: ContentCoding::preferred(request),
            if_none_match: request.get(header::IF_NONE_MATCH).cloned(),
        }
    }
}

/// `response` with what shared caches need when it is a page for everyone: cache
/// lifetimes, the body in the client's coding (compressed once per content, kept in
/// `compressed`), an ETag of its bytes, or 304 when the request names it.
pub async fn for_shared_caches(
    method: &Method,
    request: Conditions,
    compressed: &CompressedPages,
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
    let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
    let compressible = compressible(parts.headers.get(header::CONTENT_TYPE));
    let body = match compressible {
        true => compressed
            .get_or_compress(hash, request.coding, &bytes)
            .map(|body| (request.coding, body)),
        false => None,
    };
    let (coding, body) = body.unwrap_or((ContentCoding::Identity, bytes));
    let etag = coding.etag(hash);
    let headers = &mut parts.headers;
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(PUBLIC));
    if compressible {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    if if_none_match_names(request.if_none_match.as_ref(), &etag) {
        let mut not_modified = StatusCode::NOT_MODIFIED.into_response();
        let kept = not_modified.headers_mut();
        kept.insert(header::ETAG, etag);
        for name in [header::CACHE_CONTROL, header::VARY] {
            if let Some(value) = headers.get(&name) {
                kept.insert(name, value.clone());
            }
        }
        return not_modified;
    }
    headers.insert(header::ETAG, etag);
    if let Some(encoding) = coding.header_value() {
        headers.insert(header::CONTENT_ENCODING, encoding);
        headers.remove(header::CONTENT_LENGTH);
    }
    Response::from_parts(parts, Body::from(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(pairs: &[(header::HeaderName, HeaderValue)]) -> Conditions {
        Conditions::of(&pairs.iter().cloned().collect())
    }

    fn page() -> Response {
        let mut page = Response::new(Body::from("<li>Disfraz de bruja</li>".repeat(100)));
        page.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        page
    }

    async fn cached(request: Conditions, response: Response) -> Response {
        for_shared_caches(
            &Method::GET,
            request,
            &CompressedPages::new(1 << 20),
            response,
        )
        .await
    }

    #[tokio::test]
    async fn pages_for_everyone_get_an_etag_and_304_when_unchanged() {
        let first = cached(request(&[]), page()).await;
        assert_eq!(first.status(), 200);
        assert_eq!(first.headers()[header::CACHE_CONTROL], PUBLIC);
        let etag = first.headers()[header::ETAG].clone();

        let again = cached(request(&[(header::IF_NONE_MATCH, etag.clone())]), page()).await;
        assert_eq!(again.status(), 304);
        assert_eq!(again.headers()[header::ETAG], etag);

        let other = HeaderValue::from_static("\"other\"");
        let changed = cached(request(&[(header::IF_NONE_MATCH, other)]), page()).await;
        assert_eq!(changed.status(), 200);
    }

    #[tokio::test]
    async fn pages_are_sent_compressed_each_coding_with_its_etag() {
        let accepting =
            |value| request(&[(header::ACCEPT_ENCODING, HeaderValue::from_static(value))]);
        let brotli = cached(accepting("gzip, br"), page()).await;
        assert_eq!(brotli.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(brotli.headers()[header::VARY], "accept-encoding");
        let gzip = cached(accepting("gzip"), page()).await;
        assert_eq!(gzip.headers()[header::CONTENT_ENCODING], "gzip");
        assert_ne!(brotli.headers()[header::ETAG], gzip.headers()[header::ETAG]);
        let bytes = axum::body::to_bytes(brotli.into_body(), MAX_BODY)
            .await
            .unwrap();
        let mut page = Vec::new();
        brotli::BrotliDecompress(&mut &bytes[..], &mut page).unwrap();
        assert_eq!(page, "<li>Disfraz de bruja</li>".repeat(100).as_bytes());
    }

    #[tokio::test]
    async fn private_posted_and_cookie_setting_answers_are_left_alone() {
        let mut private = Response::new(Body::from("cart"));
        private.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
        let private = cached(request(&[]), private).await;
        assert!(!private.headers().contains_key(header::ETAG));
        let mut cookie = Response::new(Body::from("hello"));
        cookie
            .headers_mut()
            .insert(header::SET_COOKIE, HeaderValue::from_static("a=b"));
        let cookie = cached(request(&[]), cookie).await;
        assert!(!cookie.headers().contains_key(header::CACHE_CONTROL));
        let pages = CompressedPages::new(1 << 20);
        let posted = Response::new(Body::empty());
        let posted = for_shared_caches(&Method::POST, request(&[]), &pages, posted).await;
        assert!(!posted.headers().contains_key(header::ETAG));
        let missing = StatusCode::NOT_FOUND.into_response();
        let missing = cached(request(&[]), missing).await;
        assert!(!missing.headers().contains_key(header::CACHE_CONTROL));
    }
}
