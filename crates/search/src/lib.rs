//! Comptoir's product search, replacing Solr: one tantivy index per site, analysed in
//! the site's language, with typo tolerance, synonyms, an exact-SKU shortcut and
//! layered-navigation facets.
//!
//! The [`SearchEngine`] runs inside the storefront by default, or behind the `search`
//! service's HTTP API; either way it is kept current from the catalogue change log.

pub mod analysis;
mod collector;
mod document;
mod engine;
pub mod follower;
mod matching;
mod types;

pub use document::CatalogueContext;
pub use engine::{SearchEngine, SearchError};
pub use types::{
    FacetCount, FacetCounts, Filters, PriceRange, SearchRequest, SearchResults, SearchSort,
};
