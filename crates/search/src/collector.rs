//! One pass over the matching documents: filters applied, facets counted, matches
//! kept with their sort keys, all read from the index's fast fields. Nothing is kept of
//! a document that fails a filter but its counts.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::types::PriceRange;

/// A hasher for keys that are already well-spread numbers (facet hashes, ids):
/// one multiplication instead of SipHash's rounds.
#[derive(Default, Clone, Copy)]
pub(crate) struct NumberHasher(u64);

impl Hasher for NumberHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (n ^ (n >> 29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

pub(crate) type NumberMap<V> = HashMap<u64, V, BuildHasherDefault<NumberHasher>>;
pub(crate) type NumberSet = HashSet<u64, BuildHasherDefault<NumberHasher>>;

/// Fast fields of the facets stored as values, in `FACETS` order.
pub(crate) const FACET_FIELDS: [&str; 6] =
    ["category", "size", "colour", "theme", "gender", "age_group"];
/// Index of the category facet in `FACET_FIELDS`.
pub(crate) const CATEGORY: usize = 0;
/// Bits of the two computed facets in a failure mask, after the six stored ones.
const PRICE_BIT: u32 = 1 << 6;
const STOCK_BIT: u32 = 1 << 7;

/// The active filters, as sets of indexed values.
#[derive(Debug, Default)]
pub(crate) struct Selection {
    /// Only documents shown in this place ([`crate::document::LISTED`] on a category
    /// page, [`crate::document::FOUND`] for a search), not a facet.
    pub place: u64,
    /// Only documents in this category (a category page), not a facet.
    pub within: Option<u64>,
    pub groups: [NumberSet; 6],
    pub prices: [bool; 5],
    pub in_stock: bool,
}

/// A document passing every filter, with its sort keys.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Match {
    pub id: u64,
    pub score: Score,
    pub price: u64,
    pub created: i64,
    pub popularity: u64,
}

/// What a search found: the matches and the facet counts.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    pub matching: Vec<Match>,
    /// Per stored facet, per value: documents passing every *other* filter.
    pub counts: [NumberMap<u64>; 6],
    pub prices: [u64; 5],
    pub in_stock: u64,
    /// Per stored facet, per value: documents failing that facet's filter alone,
    /// which selecting one more of its values (OR) would add to the matches.
    pub added: [NumberMap<u64>; 6],
    pub added_prices: [u64; 5],
}

impl Tally {
    fn merge(&mut self, other: Tally) {
        self.matching.extend(other.matching);
        for (mine, theirs) in self.counts.iter_mut().zip(other.counts) {
            for (value, count) in theirs {
                *mine.entry(value).or_default() += count;
            }
        }
        for (mine, theirs) in self.prices.iter_mut().zip(other.prices) {
            *mine += theirs;
        }
        self.in_stock += other.in_stock;
        for (mine, theirs) in self.added.iter_mut().zip(other.added) {
            for (value, count) in theirs {
                *mine.entry(value).or_default() += count;
            }
        }
        for (mine, theirs) in self.added_prices.iter_mut().zip(other.added_prices) {
            *mine += theirs;
        }
    }
}

pub(crate) struct TallyCollector {
    pub selection: Arc<Selection>,
    /// Whether relevance scores are needed (only to sort by relevance).
    pub scoring: bool,
}

pub(crate) struct SegmentTally {
    selection: Arc<Selection>,
    id: Column<u64>,
    price: Column<u64>,
    in_stock: Column<u64>,
    places: Column<u64>,
    created: Column<i64>,
    popularity: Column<u64>,
    facets: [Column<u64>; 6],
    /// The current document's values per facet, reused from one document to the next.
    values: [Vec<u64>; 6],
    tally: Tally,
}

impl Collector for TallyCollector {
    type Fruit = Tally;
    type Child = SegmentTally;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentTally> {
        let fast = segment.fast_fields();
        let mut facets = Vec::with_capacity(6);
        for field in FACET_FIELDS {
            facets.push(fast.u64(field)?);
        }
        Ok(SegmentTally {
            selection: self.selection.clone(),
            id: fast.u64("id")?,
            price: fast.u64("price")?,
            in_stock: fast.u64("in_stock")?,
            places: fast.u64("places")?,
            created: fast.i64("created")?,
            popularity: fast.u64("popularity")?,
            facets: facets
                .try_into()
                .map_err(|_| tantivy::TantivyError::InternalError("facet columns".into()))?,
            values: Default::default(),
            tally: Tally::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scoring
    }

    fn merge_fruits(&self, fruits: Vec<Tally>) -> tantivy::Result<Tally> {
        let mut total = Tally::default();
        for fruit in fruits {
            total.merge(fruit);
        }
        Ok(total)
    }
}

/// One document's facet values, each read from its column when first needed.
struct FacetValues<'a> {
    columns: &'a [Column<u64>; 6],
    values: &'a mut [Vec<u64>; 6],
    read: [bool; 6],
}

impl FacetValues<'_> {
    fn of(&mut self, doc: DocId, facet: usize) -> &[u64] {
        if !self.read[facet] {
            self.read[facet] = true;
            self.values[facet].clear();
            self.values[facet].extend(self.columns[facet].values_for_doc(doc));
        }
        &self.values[facet]
    }
}

impl SegmentCollector for SegmentTally {
    type Fruit = Tally;

    fn collect(&mut self, doc: DocId, score: Score) {
        let selection = &*self.selection;
        let mut values = FacetValues {
            columns: &self.facets,
            values: &mut self.values,
            read: [false; 6],
        };
        if self.places.first(doc).unwrap_or(0) & selection.place == 0 {
            return;
        }
        if let Some(category) = selection.within
            && !values.of(doc, CATEGORY).contains(&category)
        {
            return;
        }
        let price = self.price.first(doc).unwrap_or(0);
        let price_band = PriceRange::of(price) as usize;
        let in_stock = self.in_stock.first(doc) == Some(1);
        let mut failed = 0u32;
        if selection.prices.contains(&true) && !selection.prices[price_band] {
            failed |= PRICE_BIT;
        }
        if selection.in_stock && !in_stock {
            failed |= STOCK_BIT;
        }
        for (facet, selected) in selection.groups.iter().enumerate() {
            if selected.is_empty() {
                continue;
            }
            if !values.of(doc, facet).iter().any(|v| selected.contains(v)) {
                failed |= 1 << facet;
            }
            // Failing two filters, a document counts nowhere: read no further.
            if failed.count_ones() >= 2 {
                return;
            }
        }
        if failed.count_ones() >= 2 {
            return;
        }
        // A document counts for a facet when it passes every other filter.
        let counts_for = |bit: u32| failed & !bit == 0;
        for facet in 0..FACET_FIELDS.len() {
            if counts_for(1 << facet) {
                for value in values.of(doc, facet) {
                    *self.tally.counts[facet].entry(*value).or_default() += 1;
                }
            }
        }
        if counts_for(PRICE_BIT) {
            self.tally.prices[price_band] += 1;
        }
        if counts_for(STOCK_BIT) && in_stock {
            self.tally.in_stock += 1;
        }
        if failed == PRICE_BIT {
            self.tally.added_prices[price_band] += 1;
        } else if failed.count_ones() == 1 && failed < PRICE_BIT {
            let facet = failed.trailing_zeros() as usize;
            for value in values.of(doc, facet) {
                *self.tally.added[facet].entry(*value).or_default() += 1;
            }
        }
        if failed == 0
            && let Some(id) = self.id.first(doc)
        {
            self.tally.matching.push(Match {
                id,
                score,
                price,
                created: self.created.first(doc).unwrap_or(0),
                popularity: self.popularity.first(doc).unwrap_or(0),
            });
        }
    }

    fn harvest(self) -> Tally {
        self.tally
    }
}
