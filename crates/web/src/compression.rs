//! Compressed bodies made once and kept: the shop's static files when they are
//! loaded, pages for everyone the first time their bytes are seen. Compressing on
//! every request would cost more CPU than rendering the page.
//! Answers that are not kept (private pages, JSON) are compressed by tower-http's
//! `CompressionLayer`, which leaves alone a body that already has its encoding.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Mutex;

use axum::body::Bytes;
use axum::http::header::{self, HeaderMap, HeaderValue};

/// A body's encoding, as `Accept-Encoding` and `Content-Encoding` name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContentCoding {
    Brotli,
    Gzip,
    Identity,
}

impl ContentCoding {
    /// The best coding the client accepts: brotli (smaller), then gzip, else none.
    /// A coding with `q=0` is refused.
    pub fn preferred(headers: &HeaderMap) -> ContentCoding {
        let Some(accepted) = headers
            .get(header::ACCEPT_ENCODING)
            .and_then(|value| value.to_str().ok())
        else {
            return ContentCoding::Identity;
        };
        let accepts = |wanted: &str| {
            accepted.split(',').any(|item| {
                let mut parts = item.split(';');
                let name = parts.next().unwrap_or_default().trim();
                let refused = parts.any(|parameter| {
                    let parameter = parameter.trim().replace(' ', "");
                    parameter
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                        .is_some_and(|q| q <= 0.0)
                });
                name.eq_ignore_ascii_case(wanted) && !refused
            })
        };
        if accepts("br") {
            ContentCoding::Brotli
        } else if accepts("gzip") {
            ContentCoding::Gzip
        } else {
            ContentCoding::Identity
        }
    }

    /// The `Content-Encoding` value; `None` for identity.
    pub fn header_value(self) -> Option<HeaderValue> {
        match self {
            ContentCoding::Brotli => Some(HeaderValue::from_static("br")),
            ContentCoding::Gzip => Some(HeaderValue::from_static("gzip")),
            ContentCoding::Identity => None,
        }
    }

    /// The strong ETag of a body whose uncompressed bytes hash to `hash`, sent in
    /// this coding: each coding has its own (`"…-br"`, `"…-gz"`).
    pub fn etag(self, hash: u64) -> HeaderValue {
        let suffix = match self {
            ContentCoding::Brotli => "-br",
            ContentCoding::Gzip => "-gz",
            ContentCoding::Identity => "",
        };
        HeaderValue::from_str(&format!("\"{hash:016x}{suffix}\""))
            .expect("hex digits make a header value")
    }

    /// `bytes` in this coding; `None` when that would not be smaller.
    pub fn compress(self, bytes: &[u8]) -> Option<Bytes> {
        let compressed = match self {
            ContentCoding::Identity => return None,
            ContentCoding::Gzip => {
                let mut encoder =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
                encoder.write_all(bytes).ok()?;
                encoder.finish().ok()?
            }
            ContentCoding::Brotli => {
                let mut compressed = Vec::new();
                // Quality 6 of 11: nearly the best ratio on HTML at a fraction of
                // the time of 11 (which takes ~100 ms for a listing page).
                let parameters = brotli::enc::BrotliEncoderParams {
                    quality: 6,
                    lgwin: 22,
                    ..Default::default()
                };
                brotli::BrotliCompress(&mut &bytes[..], &mut compressed, &parameters).ok()?;
                compressed
            }
        };
        (compressed.len() < bytes.len()).then(|| Bytes::from(compressed))
    }
}

/// Whether a body of `content_type` is worth compressing: text, scripts, JSON,
/// XML, SVG (images other than SVG and archives are compressed already).
pub fn compressible(content_type: Option<&HeaderValue>) -> bool {
    let Some(content_type) = content_type.and_then(|value| value.to_str().ok()) else {
        return false;
    };
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence.starts_with("text/")
        || matches!(
            essence,
            "application/javascript"
                | "application/json"
                | "application/xml"
                | "application/ld+json"
                | "image/svg+xml"
        )
}

/// Compressed pages by their bytes' hash and coding, bounded in size: when full it
/// starts again empty (pages are small and made again from the snapshot, so the
/// cost of a miss is one compression).
pub struct CompressedPages {
    entries: Mutex<CacheEntries>,
    capacity_bytes: usize,
}

#[derive(Default)]
struct CacheEntries {
    bodies: HashMap<(u64, ContentCoding), Option<Bytes>>,
    bytes: usize,
}

impl CompressedPages {
    pub fn new(capacity_bytes: usize) -> CompressedPages {
        CompressedPages {
            entries: Mutex::default(),
            capacity_bytes,
        }
    }

    /// The page whose bytes hash to `hash` in `coding`, compressed on first sight;
    /// `None` when compressing does not make it smaller.
    pub fn get_or_compress(&self, hash: u64, coding: ContentCoding, page: &[u8]) -> Option<Bytes> {
        let key = (hash, coding);
        if let Some(known) = self.lock().bodies.get(&key) {
            return known.clone();
        }
        // Compressed outside the lock: two requests may both compress a new page,
        // which costs less than making every other page wait.
        let compressed = coding.compress(page);
        let mut entries = self.lock();
        let size = compressed.as_ref().map_or(0, Bytes::len) + 64;
        if entries.bytes + size > self.capacity_bytes {
            *entries = CacheEntries::default();
        }
        entries.bytes += size;
        entries.bodies.insert(key, compressed.clone());
        compressed
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, CacheEntries> {
        // The map is valid whatever a panicking holder did.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn accepting(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn brotli_first_then_gzip_and_never_a_refused_one() {
        use ContentCoding::*;
        assert_eq!(
            ContentCoding::preferred(&accepting("gzip, deflate, br, zstd")),
            Brotli
        );
        assert_eq!(ContentCoding::preferred(&accepting("gzip")), Gzip);
        assert_eq!(ContentCoding::preferred(&accepting("br;q=0, gzip")), Gzip);
        assert_eq!(ContentCoding::preferred(&accepting("br; q=0.0")), Identity);
        assert_eq!(ContentCoding::preferred(&accepting("identity")), Identity);
        assert_eq!(ContentCoding::preferred(&HeaderMap::new()), Identity);
    }

    #[test]
    fn compressed_bodies_decompress_to_the_page() {
        let page = "<li>Disfraz de bruja</li>".repeat(200);
        let gzip = ContentCoding::Gzip.compress(page.as_bytes()).unwrap();
        let mut unzipped = String::new();
        flate2::read::GzDecoder::new(&gzip[..])
            .read_to_string(&mut unzipped)
            .unwrap();
        assert_eq!(unzipped, page);

        let brotli = ContentCoding::Brotli.compress(page.as_bytes()).unwrap();
        let mut unbrotlied = Vec::new();
        brotli::BrotliDecompress(&mut &brotli[..], &mut unbrotlied).unwrap();
        assert_eq!(unbrotlied, page.as_bytes());
        assert!(brotli.len() < gzip.len());

        assert_eq!(ContentCoding::Gzip.compress(b"ab"), None, "not smaller");
    }

    #[test]
    fn pages_are_compressed_once_and_the_cache_stays_bounded() {
        let cache = CompressedPages::new(1_000);
        let page = "<p>capa</p>".repeat(500);
        let first = cache.get_or_compress(1, ContentCoding::Gzip, page.as_bytes());
        let again = cache.get_or_compress(1, ContentCoding::Gzip, b"other bytes, same hash");
        assert_eq!(first, again, "the kept body is answered");
        for hash in 2..100 {
            cache.get_or_compress(hash, ContentCoding::Gzip, page.as_bytes());
        }
        assert!(cache.lock().bytes <= 1_000);
    }

    #[test]
    fn text_scripts_and_svg_are_compressible_images_are_not() {
        let is = |value: &'static str| compressible(Some(&HeaderValue::from_static(value)));
        assert!(is("text/html; charset=utf-8"));
        assert!(is("application/javascript"));
        assert!(is("image/svg+xml"));
        assert!(!is("image/jpeg"));
        assert!(!is("application/gzip"));
        assert!(!compressible(None));
    }
}
