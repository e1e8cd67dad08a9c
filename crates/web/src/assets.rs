//! The shop's own static files (stylesheets, scripts, icons), read once at start and
//! served from memory. Each gets a second name with its content's hash
//! (`css/shop.3f9c2a7e01bd.css`) that pages link: browsers and CDNs keep those for a
//! year, and a new release links new names. Bodies are compressed once (brotli,
//! gzip) and answered with an ETag, so a revalidation costs a 304.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Response, StatusCode};
use comptoir_domain::static_base::StaticBase;

use crate::compression::{ContentCoding, compressible};

/// Fingerprinted names never change: kept a year.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Plain names (the back office's, old pages in caches, image paths staff typed):
/// asked again every time, answered 304 while unchanged.
const REVALIDATED: &str = "public, no-cache";

/// Why the static files could not be read.
#[derive(Debug, thiserror::Error)]
#[error("cannot read the static files in {folder} (COMPTOIR_STATIC_DIR)")]
pub struct AssetsError {
    folder: PathBuf,
    source: std::io::Error,
}

/// The static files, by the path under `/static/` they are asked for.
pub struct StaticFiles {
    by_request_path: HashMap<String, (Arc<StaticFile>, &'static str)>,
    /// The URL pages use for each file's plain name.
    urls: HashMap<String, String>,
}

impl std::fmt::Debug for StaticFiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StaticFiles")
            .field("files", &self.urls.len())
            .finish_non_exhaustive()
    }
}

struct StaticFile {
    content_type: HeaderValue,
    /// The file in each coding kept (plain last), with its ETag.
    bodies: Vec<(ContentCoding, Bytes, HeaderValue)>,
}

impl StaticFiles {
    /// Reads every file under `folder`; pages point at them under `base`.
    pub fn load(folder: &Path, base: &StaticBase) -> Result<StaticFiles, AssetsError> {
        let error = |source| AssetsError {
            folder: folder.to_owned(),
            source,
        };
        let mut files = StaticFiles {
            by_request_path: HashMap::new(),
            urls: HashMap::new(),
        };
        for path in files_under(folder).map_err(error)? {
            let bytes = std::fs::read(&path).map_err(error)?;
            let name = path
                .strip_prefix(folder)
                .expect("found under the folder")
                .to_string_lossy()
                .replace('\\', "/");
            files.add(&name, bytes, base);
        }
        Ok(files)
    }

    fn add(&mut self, name: &str, bytes: Vec<u8>, base: &StaticBase) {
        let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
        let content_type = HeaderValue::from_static(content_type(name));
        let mut bodies = Vec::new();
        if compressible(Some(&content_type)) {
            for coding in [ContentCoding::Brotli, ContentCoding::Gzip] {
                if let Some(compressed) = coding.compress(&bytes) {
                    bodies.push((coding, compressed, coding.etag(hash)));
                }
            }
        }
        let plain = ContentCoding::Identity;
        bodies.push((plain, Bytes::from(bytes), plain.etag(hash)));
        let file = Arc::new(StaticFile {
            content_type,
            bodies,
        });
        let fingerprinted = fingerprinted(name, hash);
        self.urls.insert(name.to_owned(), base.join(&fingerprinted));
        self.by_request_path
            .insert(fingerprinted, (file.clone(), IMMUTABLE));
        self.by_request_path
            .insert(name.to_owned(), (file, REVALIDATED));
    }

    /// The URL pages link for the file `name` (`css/shop.css`): its fingerprinted
    /// name under the static base.
    ///
    /// # Panics
    /// When there is no such file: a template names a file the release lacks.
    pub fn url(&self, name: &str) -> &str {
        self.urls
            .get(name)
            .unwrap_or_else(|| panic!("no static file {name}"))
    }

    /// The answer to a request for `path` (under `/static/`) with `request`'s
    /// headers: the file in the best coding the client takes, or 304 when its ETag
    /// matches, or 404.
    pub fn answer(&self, path: &str, request: &HeaderMap) -> Response<Body> {
        let Some((file, cache_control)) = self.by_request_path.get(path) else {
            return status(StatusCode::NOT_FOUND);
        };
        let wanted = ContentCoding::preferred(request);
        let (coding, body, etag) = file
            .bodies
            .iter()
            .find(|(coding, _, _)| *coding == wanted)
            .or_else(|| file.bodies.last())
            .expect("every file has its plain body");
        let mut response = if if_none_match_names(request.get(header::IF_NONE_MATCH), etag) {
            status(StatusCode::NOT_MODIFIED)
        } else {
            let mut response = Response::new(Body::from(body.clone()));
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, file.content_type.clone());
            if let Some(encoding) = coding.header_value() {
                headers.insert(header::CONTENT_ENCODING, encoding);
            }
            response
        };
        let headers = response.headers_mut();
        headers.insert(header::ETAG, etag.clone());
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(cache_control),
        );
        if file.bodies.len() > 1 {
            headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        }
        response
    }
}

/// Whether the request's `If-None-Match` names `etag` (or is `*`).
pub fn if_none_match_names(if_none_match: Option<&HeaderValue>, etag: &HeaderValue) -> bool {
    let Some(wanted) = if_none_match.and_then(|value| value.to_str().ok()) else {
        return false;
    };
    let etag = etag.to_str().unwrap_or_default();
    wanted
        .split(',')
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == "*" || tag == etag)
}

fn status(status: StatusCode) -> Response<Body> {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    response
}

/// `css/shop.css` with `hash` → `css/shop.3f9c2a7e01bd.css`.
fn fingerprinted(name: &str, hash: u64) -> String {
    let fingerprint = &format!("{hash:016x}")[..12];
    let file_start = name.rfind('/').map_or(0, |slash| slash + 1);
    match name[file_start..].rfind('.') {
        Some(dot) => {
            let dot = file_start + dot;
            format!("{}.{fingerprint}{}", &name[..dot], &name[dot..])
        }
        None => format!("{name}.{fingerprint}"),
    }
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or_default() {
        "css" => "text/css; charset=utf-8",
        "js" => "application/javascript",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        "json" => "application/json",
        _ => "application/octet-stream",
    }
}

/// Every file under `folder`, recursively.
fn files_under(folder: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut folders = vec![folder.to_owned()];
    while let Some(next) = folders.pop() {
        for entry in std::fs::read_dir(&next)? {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                folders.push(entry.path());
            } else {
                files.push(entry.path());
            }
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shop_files(base: &StaticBase) -> StaticFiles {
        let mut files = StaticFiles {
            by_request_path: HashMap::new(),
            urls: HashMap::new(),
        };
        let css = "body { color: #222; }\n".repeat(50);
        files.add("css/shop.css", css.into_bytes(), base);
        files.add("img/logo.png", vec![0x89, b'P', b'N', b'G'], base);
        files
    }

    fn headers(pairs: &[(header::HeaderName, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(name, value)| (name.clone(), HeaderValue::from_static(value)))
            .collect()
    }

    #[test]
    fn names_get_the_contents_hash_before_the_extension() {
        assert_eq!(
            fingerprinted("css/shop.css", 0x3f9c_2a7e_01bd_4455),
            "css/shop.3f9c2a7e01bd.css"
        );
        assert_eq!(
            fingerprinted("a.b/LICENSE", 0xabcd_0000_0000_0000),
            "a.b/LICENSE.abcd00000000"
        );
    }

    #[test]
    fn pages_link_fingerprinted_urls_under_the_base() {
        let files = shop_files(&StaticBase::parse("https://cdn.example.com/static").unwrap());
        let url = files.url("css/shop.css");
        assert!(url.starts_with("https://cdn.example.com/static/css/shop."));
        assert!(url.ends_with(".css"));
        assert_ne!(url, "https://cdn.example.com/static/css/shop.css");
    }

    #[test]
    fn fingerprinted_names_are_immutable_plain_ones_revalidated() {
        let files = shop_files(&StaticBase::default());
        let path = files.url("css/shop.css").trim_start_matches("/static/");
        let answer = files.answer(path, &HeaderMap::new());
        assert_eq!(answer.status(), 200);
        assert_eq!(answer.headers()[header::CACHE_CONTROL], IMMUTABLE);
        assert_eq!(
            answer.headers()[header::CONTENT_TYPE],
            "text/css; charset=utf-8"
        );
        let plain = files.answer("css/shop.css", &HeaderMap::new());
        assert_eq!(plain.headers()[header::CACHE_CONTROL], REVALIDATED);
        assert_eq!(
            files.answer("css/none.css", &HeaderMap::new()).status(),
            404
        );
    }

    #[test]
    fn the_best_accepted_coding_is_sent_with_its_own_etag_and_304_after() {
        let files = shop_files(&StaticBase::default());
        let brotli = files.answer(
            "css/shop.css",
            &headers(&[(header::ACCEPT_ENCODING, "gzip, br")]),
        );
        assert_eq!(brotli.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(brotli.headers()[header::VARY], "accept-encoding");
        let gzip = files.answer(
            "css/shop.css",
            &headers(&[(header::ACCEPT_ENCODING, "gzip")]),
        );
        assert_eq!(gzip.headers()[header::CONTENT_ENCODING], "gzip");
        let plain = files.answer("css/shop.css", &HeaderMap::new());
        assert!(!plain.headers().contains_key(header::CONTENT_ENCODING));
        let etags = [&brotli, &gzip, &plain].map(|r| r.headers()[header::ETAG].clone());
        assert!(etags[0] != etags[1] && etags[1] != etags[2]);

        let mut again = HeaderMap::new();
        again.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("br"));
        again.insert(header::IF_NONE_MATCH, etags[0].clone());
        let revalidated = files.answer("css/shop.css", &again);
        assert_eq!(revalidated.status(), 304);
        assert_eq!(revalidated.headers()[header::ETAG], etags[0]);
    }

    #[test]
    fn images_are_sent_as_they_are() {
        let files = shop_files(&StaticBase::default());
        let png = files.answer("img/logo.png", &headers(&[(header::ACCEPT_ENCODING, "br")]));
        assert!(!png.headers().contains_key(header::CONTENT_ENCODING));
        assert!(!png.headers().contains_key(header::VARY));
        assert_eq!(png.headers()[header::CONTENT_TYPE], "image/png");
    }
}
