//! The facet counts of unfiltered category pages, kept a few seconds: a category page
//! without filters stays a slice of a precomputed listing, with no search per request.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use comptoir_domain::SiteCode;
use comptoir_search::{FacetCounts, SearchRequest};

use crate::search::SearchClient;

/// How long counts are reused; catalogue changes show in facets within this time.
const FRESH_FOR: Duration = Duration::from_secs(5);

/// Counts of one category on one site, and when they were counted.
type Entry = (Instant, Arc<FacetCounts>);

#[derive(Default)]
pub struct FacetCache {
    counts: RwLock<HashMap<(SiteCode, i64), Entry>>,
}

impl FacetCache {
    /// The counts of a category on a site, from the cache while fresh; `None` while
    /// search is unavailable.
    pub async fn get(
        &self,
        search: &SearchClient,
        site: SiteCode,
        category: i64,
    ) -> Option<Arc<FacetCounts>> {
        if let Some((at, counts)) = self.counts.read().ok()?.get(&(site, category))
            && at.elapsed() < FRESH_FOR
        {
            return Some(counts.clone());
        }
        let request = SearchRequest {
            within_category: Some(category),
            per_page: 1,
            ..SearchRequest::default()
        };
        let counts = Arc::new(search.search(site, &request).await.ok()?.facets);
        if let Ok(mut cache) = self.counts.write() {
            cache.insert((site, category), (Instant::now(), counts.clone()));
        }
        Some(counts)
    }
}
