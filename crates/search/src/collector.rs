//! Collects every matching document with what filtering, facet counting and sorting
//! need, read from the index's fast fields.

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// A matching product and its facet values.
#[derive(Debug, Clone)]
pub(crate) struct Hit {
    pub id: u64,
    pub score: Score,
    pub price: u64,
    pub in_stock: bool,
    pub created: i64,
    pub popularity: u64,
    /// Per facet (see `engine::Facet`), the document's values.
    pub values: [Vec<u64>; 6],
}

pub(crate) struct HitCollector;

pub(crate) struct SegmentHits {
    id: Column<u64>,
    price: Column<u64>,
    in_stock: Column<u64>,
    created: Column<i64>,
    popularity: Column<u64>,
    facets: [Column<u64>; 6],
    hits: Vec<Hit>,
}

/// Fast fields of the facets, in `engine::Facet` order.
pub(crate) const FACET_FIELDS: [&str; 6] =
    ["category", "size", "colour", "theme", "gender", "age_group"];

impl Collector for HitCollector {
    type Fruit = Vec<Hit>;
    type Child = SegmentHits;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentHits> {
        let fast = segment.fast_fields();
        let facets = [
            fast.u64(FACET_FIELDS[0])?,
            fast.u64(FACET_FIELDS[1])?,
            fast.u64(FACET_FIELDS[2])?,
            fast.u64(FACET_FIELDS[3])?,
            fast.u64(FACET_FIELDS[4])?,
            fast.u64(FACET_FIELDS[5])?,
        ];
        Ok(SegmentHits {
            id: fast.u64("id")?,
            price: fast.u64("price")?,
            in_stock: fast.u64("in_stock")?,
            created: fast.i64("created")?,
            popularity: fast.u64("popularity")?,
            facets,
            hits: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Hit>>) -> tantivy::Result<Vec<Hit>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for SegmentHits {
    type Fruit = Vec<Hit>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let Some(id) = self.id.first(doc) else { return };
        self.hits.push(Hit {
            id,
            score,
            price: self.price.first(doc).unwrap_or(0),
            in_stock: self.in_stock.first(doc) == Some(1),
            created: self.created.first(doc).unwrap_or(0),
            popularity: self.popularity.first(doc).unwrap_or(0),
            values: std::array::from_fn(|group| self.facets[group].values_for_doc(doc).collect()),
        });
    }

    fn harvest(self) -> Vec<Hit> {
        self.hits
    }
}
