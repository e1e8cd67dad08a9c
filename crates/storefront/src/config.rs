use std::path::PathBuf;
use std::time::Duration;

use crate::sites::SiteUrls;

/// How a storefront replica runs.
#[derive(Debug, Clone)]
pub struct StorefrontConfig {
    /// The canonical base URL of each site.
    pub sites: SiteUrls,
    /// How often the replica reads the catalogue change log.
    pub catalogue_poll_interval: Duration,
    /// Folder served at `/static/` (CSS, placeholder images).
    pub static_dir: PathBuf,
    pub search: SearchSettings,
}

/// Where searches are answered.
#[derive(Debug, Clone)]
pub enum SearchSettings {
    /// In this process, with its index in this folder (in memory when `None`).
    InProcess { index_dir: Option<PathBuf> },
    /// By the `search` service at this base URL.
    Service { url: String },
}
