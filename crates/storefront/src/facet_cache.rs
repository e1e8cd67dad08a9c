//! The rendered facet panels of unfiltered category pages, kept a few seconds: such a
//! page stays a slice of a precomputed listing, with no search per request.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use comptoir_domain::SiteCode;

/// How long a panel is reused; catalogue changes show in facets within this time.
const FRESH_FOR: Duration = Duration::from_secs(5);

/// A category page's panel: site, category id, sort code.
type Key = (SiteCode, i64, &'static str);

#[derive(Default)]
pub struct FacetCache {
    panels: RwLock<HashMap<Key, (Instant, Arc<str>)>>,
}

impl FacetCache {
    /// The panel of a category page, while fresh.
    pub fn get(&self, site: SiteCode, category: i64, sort: &'static str) -> Option<Arc<str>> {
        let panels = self.panels.read().ok()?;
        let (at, html) = panels.get(&(site, category, sort))?;
        (at.elapsed() < FRESH_FOR).then(|| html.clone())
    }

    pub fn put(&self, site: SiteCode, category: i64, sort: &'static str, html: Arc<str>) {
        if let Ok(mut panels) = self.panels.write() {
            panels.insert((site, category, sort), (Instant::now(), html));
        }
    }
}
