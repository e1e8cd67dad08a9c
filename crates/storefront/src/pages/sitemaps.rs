//! Sitemaps, per site: an index (`sitemap.xml`) naming the product sitemaps first
//! (`sitemaps/products-1.xml.gz`, …) and then the other pages' (`sitemaps/pages.xml.gz`:
//! home, categories, size guide, content pages), each of at most 50 000 URLs, gzipped, with
//! `lastmod` from the change log. They are made from the snapshot, never from the
//! database, and made again only once the catalogue has changed beyond stock.

use std::io::Write;
use std::sync::Arc;

use axum::Router;
use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, SecondsFormat, Utc};
use comptoir_domain::SiteCode;
use comptoir_store::ChangePosition;
use flate2::Compression;
use flate2::write::GzEncoder;
use tokio::sync::Mutex;

use super::product::shown_on;
use crate::extract::Shop;
use crate::i18n::Texts;
use crate::sites::BaseUrl;
use crate::snapshot::{Snapshot, SortOrder};
use crate::{AppState, HttpError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sitemap.xml", get(index))
        .route("/sitemaps/{file}", get(file))
}

/// The most URLs a sitemap file may list (sitemaps.org).
const URLS_PER_FILE: usize = 50_000;

/// How long crawlers and caches may keep a sitemap.
const CACHE_CONTROL: &str = "public, max-age=600";

/// Each site's sitemaps, as last made.
#[derive(Default)]
pub struct SitemapCache {
    sites: [Mutex<Option<Arc<SiteSitemaps>>>; 4],
}

/// One site's sitemaps, made from the snapshots of one content position.
pub struct SiteSitemaps {
    content_position: ChangePosition,
    index: String,
    /// File name (under `sitemaps/`) and gzipped XML.
    files: Vec<(String, Vec<u8>)>,
}

async fn index(shop: Shop) -> Result<Response, HttpError> {
    let sitemaps = current(&shop).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/xml; charset=utf-8"),
            (header::CACHE_CONTROL, CACHE_CONTROL),
        ],
        sitemaps.index.clone(),
    )
        .into_response())
}

async fn file(shop: Shop, Path(name): Path<String>) -> Result<Response, HttpError> {
    let sitemaps = current(&shop).await?;
    let (_, gzipped) = sitemaps
        .files
        .iter()
        .find(|(file, _)| *file == name)
        .ok_or(HttpError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/gzip"),
            (header::CACHE_CONTROL, CACHE_CONTROL),
        ],
        gzipped.clone(),
    )
        .into_response())
}

/// The site's sitemaps for the request's snapshot, made now if the catalogue
/// changed since they were; one request makes them while the others wait.
async fn current(shop: &Shop) -> Result<Arc<SiteSitemaps>, HttpError> {
    let mut cached = shop.state.sitemaps.sites[shop.site.index()].lock().await;
    let position = shop.snapshot.content_position();
    if let Some(sitemaps) = cached.as_ref().filter(|s| s.content_position == position) {
        return Ok(sitemaps.clone());
    }
    let (snapshot, site) = (shop.snapshot.clone(), shop.site);
    let base = shop.state.sites.base(site).clone();
    let started = std::time::Instant::now();
    let made = comptoir_web::blocking(move || make(&snapshot, site, &base))
        .await?
        .map_err(HttpError::internal)?;
    tracing::info!(
        %site,
        files = made.files.len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "sitemaps made"
    );
    let made = Arc::new(made);
    *cached = Some(made.clone());
    Ok(made)
}

/// A URL of a sitemap, and when its page last changed.
struct Entry {
    url: String,
    modified: Option<DateTime<Utc>>,
}

fn make(snapshot: &Snapshot, site: SiteCode, base: &BaseUrl) -> std::io::Result<SiteSitemaps> {
    let locale = site.locale();
    let products: Vec<Entry> = snapshot
        .products()
        .filter(|product| shown_on(product, site))
        .map(|product| Entry {
            url: base.join(&format!("p/{}", product.url_keys[locale])),
            modified: Some(snapshot.modified_at(product)),
        })
        .collect();
    let latest = products.iter().filter_map(|entry| entry.modified).max();
    let mut pages = vec![Entry {
        url: base.join(""),
        modified: latest,
    }];
    for index in 0..snapshot.category_count() as u32 {
        let node = snapshot.category(index);
        let listing = snapshot.listing(site, index, SortOrder::Position);
        if !node.category.enabled || listing.is_empty() {
            continue;
        }
        pages.push(Entry {
            url: base.join(&format!("c/{}", node.paths[locale])),
            modified: listing
                .iter()
                .filter_map(|&i| snapshot.product(i))
                .map(|product| snapshot.modified_at(product))
                .max(),
        });
    }
    pages.push(Entry {
        url: base.join(Texts::of(locale).size_guide_path),
        modified: None,
    });
    pages.extend(
        snapshot
            .content()
            .site(site)
            .pages()
            .iter()
            .map(|page| Entry {
                url: base.join(&page.url_key),
                modified: Some(page.updated_at),
            }),
    );

    let mut files = Vec::new();
    for (n, chunk) in products.chunks(URLS_PER_FILE).enumerate() {
        files.push((format!("products-{}.xml.gz", n + 1), chunk));
    }
    files.push(("pages.xml.gz".to_owned(), &pages[..]));
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut gzipped = Vec::with_capacity(files.len());
    for (name, entries) in files {
        index.push_str("<sitemap><loc>");
        index.push_str(&xml_escape(&base.join(&format!("sitemaps/{name}"))));
        index.push_str("</loc>");
        push_lastmod(&mut index, entries.iter().filter_map(|e| e.modified).max());
        index.push_str("</sitemap>\n");
        gzipped.push((name, gzip(&url_set(entries))?));
    }
    index.push_str("</sitemapindex>\n");
    Ok(SiteSitemaps {
        content_position: snapshot.content_position(),
        index,
        files: gzipped,
    })
}

fn url_set(entries: &[Entry]) -> String {
    let mut xml = String::with_capacity(entries.len() * 120 + 200);
    xml.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for entry in entries {
        xml.push_str("<url><loc>");
        xml.push_str(&xml_escape(&entry.url));
        xml.push_str("</loc>");
        push_lastmod(&mut xml, entry.modified);
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// `<lastmod>` in the W3C date-time form sitemaps take.
fn push_lastmod(xml: &mut String, modified: Option<DateTime<Utc>>) {
    if let Some(modified) = modified {
        xml.push_str("<lastmod>");
        xml.push_str(&modified.to_rfc3339_opts(SecondsFormat::Secs, true));
        xml.push_str("</lastmod>");
    }
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

fn gzip(text: &str) -> std::io::Result<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(text.len() / 8), Compression::default());
    encoder.write_all(text.as_bytes())?;
    encoder.finish()
}
