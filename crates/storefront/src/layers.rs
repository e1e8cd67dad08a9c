//! The layer every request passes: it finds the site, redirects non-canonical URLs,
//! turns error statuses into translated pages and adds security headers.

use axum::extract::{Request, State};
use axum::http::header::{self, HeaderMap};
use axum::http::{StatusCode, Uri};
use axum::middleware::Next;
use axum::response::Response;
use comptoir_domain::Locale;

use crate::AppState;
use crate::caching;
use crate::responses;
use crate::sites::Resolution;

/// Longest path or query string served; longer ones get 414.
const MAX_URI_PART: usize = 2_048;

pub async fn site_layer(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let uri = request.uri().clone();
    let path = uri.path();
    let query = uri.query();
    let fallback_locale = preferred_locale(request.headers());
    let mut response = if path.len() > MAX_URI_PART || query.is_some_and(|q| q.len() > MAX_URI_PART)
    {
        responses::error_page(&state, None, fallback_locale, StatusCode::URI_TOO_LONG)
    } else if path.starts_with("/static/") || path == "/health" || path.starts_with("/health/") {
        next.run(request).await
    } else {
        let host = request
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .or_else(|| uri.authority().map(|a| a.as_str()));
        match state.sites.resolve(host, path) {
            Resolution::Site { site, path: rest } => {
                let inner = match query {
                    Some(query) => format!("/{rest}?{query}"),
                    None => format!("/{rest}"),
                };
                match inner.parse::<Uri>() {
                    Ok(inner) => {
                        let method = request.method().clone();
                        let conditions = caching::Conditions::of(request.headers());
                        *request.uri_mut() = inner;
                        request.extensions_mut().insert(site);
                        request
                            .extensions_mut()
                            .insert(comptoir_web::observe::RequestSite(site.as_str()));
                        let response = next.run(request).await;
                        let response = responses::with_error_page(&state, site, response);
                        caching::for_shared_caches(
                            &method,
                            conditions,
                            &state.compressed_pages,
                            response,
                        )
                        .await
                    }
                    Err(_) => responses::error_page(
                        &state,
                        Some(site),
                        site.locale(),
                        StatusCode::BAD_REQUEST,
                    ),
                }
            }
            Resolution::Redirect { location } => {
                let location = match query {
                    Some(query) => format!("{location}?{query}"),
                    None => location,
                };
                responses::moved_permanently(&location)
            }
            Resolution::Chooser => responses::chooser_page(&state, fallback_locale),
            Resolution::Robots(robots) => responses::robots_txt(robots),
            Resolution::Unknown => {
                responses::error_page(&state, None, fallback_locale, StatusCode::NOT_FOUND)
            }
        }
    };
    comptoir_web::headers::add_security_headers(
        response.headers_mut(),
        state.sites.any_https(),
        &state.content_security_policy,
    );
    response
}

/// The visitor's preferred language among the shop's four, for pages that belong to
/// no site; Spanish when none matches.
fn preferred_locale(headers: &HeaderMap) -> Locale {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            value.split(',').find_map(|tag| {
                let language = tag.split(';').next()?.trim().get(..2)?.to_ascii_lowercase();
                Locale::parse(&language)
            })
        })
        .unwrap_or(Locale::Es)
}
