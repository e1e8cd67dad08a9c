//! What a search asks and answers: the engine's API, in process and over HTTP (JSON).

use serde::{Deserialize, Serialize};

/// A search of one site's catalogue.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchRequest {
    /// What the shopper typed; empty means every product (a filtered listing).
    #[serde(default)]
    pub query: String,
    /// Only products in this category or below it (a category page), whatever the
    /// category filters say.
    #[serde(default)]
    pub within_category: Option<i64>,
    #[serde(default)]
    pub filters: Filters,
    #[serde(default)]
    pub sort: SearchSort,
    /// 1-based page number.
    #[serde(default = "first_page")]
    pub page: u32,
    #[serde(default = "default_per_page")]
    pub per_page: u32,
    /// Answer every matching product, unordered, instead of one page (for listings
    /// that keep their own order, such as category pages).
    #[serde(default)]
    pub all_matches: bool,
    /// Only the page of products: neither facets nor the total counted (suggestions
    /// while typing show neither). The total is then only nonzero when anything
    /// matches.
    #[serde(default)]
    pub products_only: bool,
}

fn first_page() -> u32 {
    1
}

fn default_per_page() -> u32 {
    24
}

/// Layered navigation: OR within one facet, AND across facets. Values nobody sells
/// are simply never matched.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filters {
    #[serde(default)]
    pub categories: Vec<i64>,
    #[serde(default)]
    pub sizes: Vec<String>,
    #[serde(default)]
    pub colours: Vec<String>,
    #[serde(default)]
    pub themes: Vec<String>,
    #[serde(default)]
    pub genders: Vec<String>,
    #[serde(default)]
    pub age_groups: Vec<String>,
    #[serde(default)]
    pub prices: Vec<PriceRange>,
    #[serde(default)]
    pub in_stock: bool,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }
}

/// The price bands of the price facet (VAT-included shelf prices), written as in
/// URLs (`"10-20"`) in JSON too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PriceRange {
    #[serde(rename = "0-10")]
    Under10,
    #[serde(rename = "10-20")]
    From10To20,
    #[serde(rename = "20-30")]
    From20To30,
    #[serde(rename = "30-50")]
    From30To50,
    #[serde(rename = "50-")]
    From50,
}

impl PriceRange {
    pub const ALL: [PriceRange; 5] = [
        PriceRange::Under10,
        PriceRange::From10To20,
        PriceRange::From20To30,
        PriceRange::From30To50,
        PriceRange::From50,
    ];

    /// The band of a price in cents.
    pub fn of(cents: u64) -> PriceRange {
        match cents {
            0..1_000 => PriceRange::Under10,
            1_000..2_000 => PriceRange::From10To20,
            2_000..3_000 => PriceRange::From20To30,
            3_000..5_000 => PriceRange::From30To50,
            _ => PriceRange::From50,
        }
    }

    /// Value in URLs.
    pub fn code(self) -> &'static str {
        match self {
            PriceRange::Under10 => "0-10",
            PriceRange::From10To20 => "10-20",
            PriceRange::From20To30 => "20-30",
            PriceRange::From30To50 => "30-50",
            PriceRange::From50 => "50-",
        }
    }

    pub fn parse(code: &str) -> Option<PriceRange> {
        PriceRange::ALL
            .into_iter()
            .find(|range| range.code() == code)
    }

    /// Bounds in euros, for labels: `(from, to)`.
    pub fn bounds(self) -> (u32, Option<u32>) {
        match self {
            PriceRange::Under10 => (0, Some(10)),
            PriceRange::From10To20 => (10, Some(20)),
            PriceRange::From20To30 => (20, Some(30)),
            PriceRange::From30To50 => (30, Some(50)),
            PriceRange::From50 => (50, None),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SearchSort {
    #[default]
    Relevance,
    PriceAscending,
    PriceDescending,
    Newest,
    BestSellers,
}

impl SearchSort {
    pub const ALL: [SearchSort; 5] = [
        SearchSort::Relevance,
        SearchSort::PriceAscending,
        SearchSort::PriceDescending,
        SearchSort::Newest,
        SearchSort::BestSellers,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SearchSort::Relevance => "relevance",
            SearchSort::PriceAscending => "price-asc",
            SearchSort::PriceDescending => "price-desc",
            SearchSort::Newest => "newest",
            SearchSort::BestSellers => "best-sellers",
        }
    }

    pub fn parse(code: &str) -> Option<SearchSort> {
        SearchSort::ALL.into_iter().find(|sort| sort.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount<T> {
    pub value: T,
    pub count: u64,
}

/// How many products each facet value would leave, every other active filter applied.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCounts {
    /// Per category id, counting products placed in it or below it.
    pub categories: Vec<FacetCount<i64>>,
    pub sizes: Vec<FacetCount<String>>,
    pub colours: Vec<FacetCount<String>>,
    pub themes: Vec<FacetCount<String>>,
    pub genders: Vec<FacetCount<String>>,
    pub age_groups: Vec<FacetCount<String>>,
    pub prices: Vec<FacetCount<PriceRange>>,
    /// Products in stock.
    pub in_stock: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    /// Matching products, all filters applied.
    pub total: u64,
    /// Product ids of the requested page (or all matches), best first.
    pub products: Vec<i64>,
    pub facets: FacetCounts,
    /// A corrected query built from the index's own words, when nothing matched.
    pub did_you_mean: Option<String>,
}
