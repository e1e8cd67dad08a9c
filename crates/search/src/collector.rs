//! One pass over the matching documents: filters applied, facets counted, matches
//! kept with their sort keys, all read from each segment's fast fields, held as plain
//! arrays ([`SegmentFacts`]). Nothing is kept of a document that fails a filter but
//! its counts.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, Mutex};

use tantivy::columnar::Column;
use tantivy::index::SegmentId;
use tantivy::{DocId, Score, Searcher, SegmentReader};

use crate::matching::{Matcher, SegmentMatches};
use crate::types::{PriceRange, SearchSort};

/// Relevance is multiplied by `1 + POPULARITY_WEIGHT × ln(1 + units sold)`, so that
/// among equally relevant products the best sellers come first.
const POPULARITY_WEIGHT: f32 = 0.25;

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
/// The two computed facets, after the six stored ones: their bits in a failure mask.
const PRICE: usize = 6;
const STOCK: usize = 7;
const PRICE_BIT: u16 = 1 << PRICE;
const STOCK_BIT: u16 = 1 << STOCK;

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

impl Selection {
    /// Whether the filter of `filter` (a stored facet, [`PRICE`] or [`STOCK`]) is in
    /// use: without it, no document fails it.
    fn filters(&self, filter: usize) -> bool {
        match filter {
            PRICE => self.prices.contains(&true),
            STOCK => self.in_stock,
            facet => !self.groups[facet].is_empty(),
        }
    }
}

/// Indexes touched so far, each once, in the order first touched: so that a narrow
/// search spreads only the counts it has.
struct Touched {
    order: Vec<u32>,
    seen: Vec<bool>,
}

impl Touched {
    fn among(count: usize) -> Touched {
        Touched {
            order: Vec::new(),
            seen: vec![false; count],
        }
    }

    fn touch(&mut self, index: usize) {
        if !self.seen[index] {
            self.seen[index] = true;
            self.order.push(index as u32);
        }
    }
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
    /// How many documents pass every filter (without counting, only those seen
    /// looking for the best: at least one if any does).
    pub total: u64,
    /// The matches kept ([`Keep`]): all of them, or the best ones in no order.
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
        self.total += other.total;
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

/// Which matches a search keeps.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Keep {
    /// Every match, unordered (a category page filtering its own listing).
    All,
    /// The best `count` in `sort`'s order: a page of results and the pages before it.
    /// Kept in a bounded heap as they come, rather than every match sorted after.
    Best { count: usize, sort: SearchSort },
}

/// Whether `a` comes before `b` in `sort`'s order; ties go by id, so that pages never
/// overlap.
pub(crate) fn order(sort: SearchSort, a: &Match, b: &Match) -> Ordering {
    match sort {
        SearchSort::Relevance => b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)),
        SearchSort::PriceAscending => (a.price, a.id).cmp(&(b.price, b.id)),
        SearchSort::PriceDescending => (b.price, a.id).cmp(&(a.price, b.id)),
        SearchSort::Newest => (b.created, a.id).cmp(&(a.created, b.id)),
        SearchSort::BestSellers => (b.popularity, a.id).cmp(&(a.popularity, b.id)),
    }
}

/// Whether a match with this `score` and `price` comes after `worst` in `sort`'s
/// order whatever its other keys, so that nothing more of it need be read.
fn ranks_below(sort: SearchSort, score: Score, price: u64, worst: &Match) -> bool {
    match sort {
        SearchSort::Relevance => score < worst.score,
        SearchSort::PriceAscending => price > worst.price,
        SearchSort::PriceDescending => price < worst.price,
        SearchSort::Newest | SearchSort::BestSellers => false,
    }
}

/// A match in a heap whose top is the worst kept.
struct Ranked {
    hit: Match,
    sort: SearchSort,
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ranked {}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        order(self.sort, &self.hit, &other.hit)
    }
}

pub(crate) struct TallyCollector {
    pub selection: Arc<Selection>,
    /// Whether relevance is computed (only to sort by relevance).
    pub scoring: bool,
    pub keep: Keep,
    /// Whether facets and the total are counted.
    pub counting: bool,
    /// The segments' fast fields as plain arrays.
    pub facts: Arc<FactsCache>,
}

/// What the collector reads of each document, read once per segment from the fast
/// fields into plain arrays: reading columns document by document was most of a
/// broad search's time (per-document decoding, optional-index ranks). Documents with
/// the same facet values, price band and stock share a [`Combination`]: filters are
/// checked once per combination and a document's counts are one increment, spread
/// over the combination's values once at the end.
pub(crate) struct SegmentFacts {
    docs: Vec<DocFacts>,
    /// The documents by boost, highest first: where the most relevant matches of a
    /// search that counts nothing are looked for first.
    by_boost: Vec<DocId>,
    details: Vec<DocDetails>,
    combinations: Vec<Combination>,
    facet_sets: Vec<FacetSet>,
    /// Per facet, the indexed value of each ordinal.
    values: [Vec<u64>; 6],
}

/// What every matching document is checked for, 16 bytes a document: a broad
/// search's pass over tens of thousands stays in the processor's cache.
#[derive(Debug, Clone, Copy, Default)]
struct DocFacts {
    combination: u32,
    /// In cents (a shelf price of more than 42 million saturates).
    price: u32,
    /// What relevance is multiplied by for the product's sales.
    boost: f32,
    places: u8,
}

/// What only a document that may make the page is read for.
#[derive(Debug, Clone, Copy, Default)]
struct DocDetails {
    id: Option<u64>,
    created: i64,
    popularity: u64,
}

/// What some documents have in common for every filter: their values of the stored
/// facets, their price band and stock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Combination {
    /// Index in [`SegmentFacts::facet_sets`].
    facet_set: u32,
    /// The price's [`PriceRange`], as its index.
    price_band: u8,
    in_stock: bool,
}

/// Values of the six stored facets some documents have, per facet as ordinals into
/// [`SegmentFacts::values`]. Fewer than combinations: the counts of combinations
/// are summed per set before being spread over its values.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct FacetSet([Vec<u32>; 6]);

impl SegmentFacts {
    fn read(segment: &SegmentReader) -> tantivy::Result<SegmentFacts> {
        let fast = segment.fast_fields();
        let (id, price, in_stock, places) = (
            fast.u64("id")?,
            fast.u64("price")?,
            fast.u64("in_stock")?,
            fast.u64("places")?,
        );
        let (created, popularity) = (fast.i64("created")?, fast.u64("popularity")?);
        let mut columns = Vec::with_capacity(6);
        for field in FACET_FIELDS {
            columns.push(fast.u64(field)?);
        }
        let mut values: [Vec<u64>; 6] = Default::default();
        let mut ordinal_of: [NumberMap<u32>; 6] = Default::default();
        let mut facet_sets = Vec::new();
        let mut facet_set_of: HashMap<FacetSet, u32> = HashMap::new();
        let mut combinations = Vec::new();
        let mut combination_of: HashMap<Combination, u32> = HashMap::new();
        let mut docs = Vec::with_capacity(segment.max_doc() as usize);
        let mut details = Vec::with_capacity(segment.max_doc() as usize);
        for doc in 0..segment.max_doc() {
            let price = price.first(doc).unwrap_or(0);
            let facet_set = FacetSet(std::array::from_fn(|facet| {
                let column: &Column<u64> = &columns[facet];
                column
                    .values_for_doc(doc)
                    .map(|value| {
                        *ordinal_of[facet].entry(value).or_insert_with(|| {
                            values[facet].push(value);
                            (values[facet].len() - 1) as u32
                        })
                    })
                    .collect()
            }));
            let next = facet_sets.len() as u32;
            let facet_set = *facet_set_of.entry(facet_set).or_insert_with_key(|known| {
                facet_sets.push(known.clone());
                next
            });
            let combination = Combination {
                facet_set,
                price_band: PriceRange::of(price) as u8,
                in_stock: in_stock.first(doc) == Some(1),
            };
            let next = combinations.len() as u32;
            let combination = *combination_of
                .entry(combination)
                .or_insert_with_key(|known| {
                    combinations.push(*known);
                    next
                });
            let popularity = popularity.first(doc).unwrap_or(0);
            docs.push(DocFacts {
                combination,
                price: u32::try_from(price).unwrap_or(u32::MAX),
                boost: 1.0 + POPULARITY_WEIGHT * (1.0 + popularity as f32).ln(),
                places: u8::try_from(places.first(doc).unwrap_or(0)).unwrap_or(u8::MAX),
            });
            details.push(DocDetails {
                id: id.first(doc),
                created: created.first(doc).unwrap_or(0),
                popularity,
            });
        }
        tracing::debug!(
            documents = docs.len(),
            combinations = combinations.len(),
            facet_sets = facet_sets.len(),
            "search segment read"
        );
        let mut by_boost: Vec<DocId> = (0..segment.max_doc()).collect();
        by_boost.sort_by(|a, b| docs[*b as usize].boost.total_cmp(&docs[*a as usize].boost));
        Ok(SegmentFacts {
            docs,
            by_boost,
            details,
            combinations,
            facet_sets,
            values,
        })
    }
}

/// The [`SegmentFacts`] of an index's current segments, read when a segment is first
/// searched (segments never change; a commit adds or merges them).
#[derive(Default)]
pub(crate) struct FactsCache(Mutex<Vec<(SegmentId, Arc<SegmentFacts>)>>);

impl FactsCache {
    fn of(&self, segment: &SegmentReader) -> tantivy::Result<Arc<SegmentFacts>> {
        let mut cached = self.0.lock().expect("facts lock");
        let id = segment.segment_id();
        if let Some((_, facts)) = cached.iter().find(|(known, _)| *known == id) {
            return Ok(facts.clone());
        }
        let facts = Arc::new(SegmentFacts::read(segment)?);
        cached.push((id, facts.clone()));
        Ok(facts)
    }

    /// Forgets the segments `searcher` no longer has (merged away).
    pub(crate) fn keep_only(&self, searcher: &Searcher) {
        let current: Vec<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(SegmentReader::segment_id)
            .collect();
        self.0
            .lock()
            .expect("facts lock")
            .retain(|(id, _)| current.contains(id));
    }
}

/// Of a combination, under a selection: which filters it fails (the bits of their
/// facets), or that it is outside the category searched.
const OUTSIDE: u16 = 1 << 8;

/// The selection, as it applies to a segment's combinations.
struct SegmentSelection {
    place: u64,
    /// Per combination: [`OUTSIDE`], or the filters it fails.
    failed: Vec<u16>,
}

impl SegmentSelection {
    fn of(selection: &Selection, facts: &SegmentFacts) -> SegmentSelection {
        // Per facet, which of its ordinals the filter takes (`None`: no filter).
        let taken: [Option<Vec<bool>>; 6] = std::array::from_fn(|facet| {
            let selected = &selection.groups[facet];
            (!selected.is_empty()).then(|| {
                facts.values[facet]
                    .iter()
                    .map(|value| selected.contains(value))
                    .collect()
            })
        });
        let within = selection.within.map(|category| {
            facts.values[CATEGORY]
                .iter()
                .position(|value| *value == category)
                .map(|at| at as u32)
        });
        // Per facet set, then per combination of a set with a price band and stock.
        let facet_sets_failed: Vec<u16> = if taken.iter().all(Option::is_none) && within.is_none() {
            vec![0; facts.facet_sets.len()]
        } else {
            facts
                .facet_sets
                .iter()
                .map(|FacetSet(ordinals)| {
                    if let Some(category) = within
                        && !category.is_some_and(|c| ordinals[CATEGORY].contains(&c))
                    {
                        return OUTSIDE;
                    }
                    let mut failed = 0;
                    for (facet, taken) in taken.iter().enumerate() {
                        if let Some(taken) = taken
                            && !ordinals[facet].iter().any(|&o| taken[o as usize])
                        {
                            failed |= 1 << facet;
                        }
                    }
                    failed
                })
                .collect()
        };
        let any_price = selection.filters(PRICE);
        let failed = facts
            .combinations
            .iter()
            .map(|combination| {
                let mut failed = facet_sets_failed[combination.facet_set as usize];
                if any_price && !selection.prices[usize::from(combination.price_band)] {
                    failed |= PRICE_BIT;
                }
                if selection.in_stock && !combination.in_stock {
                    failed |= STOCK_BIT;
                }
                failed
            })
            .collect();
        SegmentSelection {
            place: selection.place,
            failed,
        }
    }
}

pub(crate) struct SegmentTally {
    facts: Arc<SegmentFacts>,
    selection: SegmentSelection,
    /// Per combination: documents passing every filter.
    passing: Vec<u64>,
    /// Per filter (the six stored facets, price, stock), per combination: documents
    /// failing that filter alone. (Empty for a filter not in use: no document fails
    /// it.)
    failing_only: [Vec<u64>; 8],
    /// The combinations counted so far.
    touched: Touched,
    keep: Keep,
    counting: bool,
    best: BinaryHeap<Ranked>,
    tally: Tally,
}

impl TallyCollector {
    /// Tallies what `matcher` matches in each of `searcher`'s segments.
    pub(crate) fn search(&self, searcher: &Searcher, matcher: &Matcher) -> tantivy::Result<Tally> {
        let mut total = Tally::default();
        for segment in searcher.segment_readers() {
            let matches = matcher.matches(segment, self.scoring)?;
            let mut tally = self.for_segment(segment)?;
            match self.keep {
                Keep::Best {
                    sort: SearchSort::Relevance,
                    ..
                } if !self.counting => tally.collect_best(&matches),
                _ => matches.for_each(|doc, score| tally.collect(doc, score)),
            }
            total.merge(tally.harvest());
        }
        Ok(total)
    }

    fn for_segment(&self, segment: &SegmentReader) -> tantivy::Result<SegmentTally> {
        let facts = self.facts.of(segment)?;
        let per_combination = || vec![0; facts.combinations.len()];
        Ok(SegmentTally {
            selection: SegmentSelection::of(&self.selection, &facts),
            passing: per_combination(),
            failing_only: std::array::from_fn(|filter| {
                if self.selection.filters(filter) {
                    per_combination()
                } else {
                    Vec::new()
                }
            }),
            touched: Touched::among(facts.combinations.len()),
            keep: self.keep,
            counting: self.counting,
            best: BinaryHeap::new(),
            facts,
            tally: Tally::default(),
        })
    }
}

impl SegmentTally {
    /// Counts a document of `combination` failing at most one filter (`failed`); the
    /// counts are spread over the facets at the harvest.
    fn count(&mut self, combination: usize, failed: u16) {
        if failed == 0 {
            self.passing[combination] += 1;
        } else {
            self.failing_only[failed.trailing_zeros() as usize][combination] += 1;
        }
        self.touched.touch(combination);
    }

    /// The worst match kept, once `count` are kept.
    fn worst_of_full(&self, count: usize) -> Option<&Match> {
        (self.best.len() == count)
            .then(|| self.best.peek().map(|worst| &worst.hit))
            .flatten()
    }

    /// Keeps the most relevant matches without counting them all: looked for among
    /// the documents of highest boost first, until no document left could rank
    /// above the worst kept even with the best relevance of any match.
    fn collect_best(&mut self, matches: &SegmentMatches<'_>) {
        let Keep::Best { count, .. } = self.keep else {
            return;
        };
        let best = matches.best_score();
        let facts = self.facts.clone();
        for &doc in &facts.by_boost {
            if self
                .worst_of_full(count)
                .is_some_and(|worst| best * facts.docs[doc as usize].boost < worst.score)
            {
                return;
            }
            if let Some(score) = matches.score(doc) {
                self.collect(doc, score);
            }
        }
    }

    /// Tallies a matching document.
    #[inline]
    fn collect(&mut self, doc: DocId, score: Score) {
        let (selection, facts) = (&self.selection, &*self.facts);
        let document = facts.docs[doc as usize];
        if u64::from(document.places) & selection.place == 0 {
            return;
        }
        let combination = document.combination as usize;
        let failed = selection.failed[combination];
        // Outside the category, or failing two filters, a document counts nowhere.
        if failed == OUTSIDE || failed.count_ones() >= 2 || (failed != 0 && !self.counting) {
            return;
        }
        if self.counting {
            self.count(combination, failed);
        }
        if failed != 0 {
            return;
        }
        self.tally.total += 1;
        let (score, price) = (score * document.boost, u64::from(document.price));
        if let Keep::Best { count, sort } = self.keep
            && self
                .worst_of_full(count)
                .is_some_and(|worst| ranks_below(sort, score, price, worst))
        {
            return;
        }
        let details = self.facts.details[doc as usize];
        let Some(id) = details.id else { return };
        let hit = Match {
            id,
            score,
            price,
            created: details.created,
            popularity: details.popularity,
        };
        match self.keep {
            Keep::All => self.tally.matching.push(hit),
            Keep::Best { count, sort } => {
                let ranked = Ranked { hit, sort };
                if self.best.len() < count {
                    self.best.push(ranked);
                } else if let Some(mut worst) = self.best.peek_mut()
                    && ranked < *worst
                {
                    *worst = ranked;
                }
            }
        }
    }

    fn harvest(mut self) -> Tally {
        self.tally
            .matching
            .extend(self.best.drain().map(|ranked| ranked.hit));
        let facts = &*self.facts;
        // Summed per ordinal first (a few hundred values), named by value after.
        let mut counts: [Vec<u64>; 6] =
            std::array::from_fn(|facet| vec![0; facts.values[facet].len()]);
        let mut added: [Vec<u64>; 6] = std::array::from_fn(|facet| {
            if self.failing_only[facet].is_empty() {
                Vec::new()
            } else {
                vec![0; facts.values[facet].len()]
            }
        });
        // A document counts for a filter's values when it passes every other filter:
        // one failing none counts for them all, one failing a filter alone counts
        // for that filter's values (and adds to them). Price and stock are the
        // combination's own; the stored facets' counts are summed per facet set
        // first.
        let sets = facts.facet_sets.len();
        let mut set_passing = vec![0; sets];
        let mut set_failing_only: [Vec<u64>; 6] = std::array::from_fn(|facet| {
            if self.failing_only[facet].is_empty() {
                Vec::new()
            } else {
                vec![0; sets]
            }
        });
        let mut touched_sets = Touched::among(sets);
        for &at in &self.touched.order {
            let at = at as usize;
            let combination = &facts.combinations[at];
            let passing = self.passing[at];
            let failing_only =
                |filter: usize| self.failing_only[filter].get(at).copied().unwrap_or(0);
            let band = usize::from(combination.price_band);
            self.tally.prices[band] += passing + failing_only(PRICE);
            self.tally.added_prices[band] += failing_only(PRICE);
            // One failing the stock filter alone is out of stock.
            if combination.in_stock {
                self.tally.in_stock += passing;
            }
            let set = combination.facet_set as usize;
            touched_sets.touch(set);
            set_passing[set] += passing;
            for (facet, sums) in set_failing_only.iter_mut().enumerate() {
                if let Some(sum) = sums.get_mut(set) {
                    *sum += failing_only(facet);
                }
            }
        }
        for set in touched_sets.order {
            let set = set as usize;
            let FacetSet(ordinals) = &facts.facet_sets[set];
            for (facet, facet_ordinals) in ordinals.iter().enumerate() {
                let failing_only = set_failing_only[facet].get(set).copied().unwrap_or(0);
                for &ordinal in facet_ordinals {
                    counts[facet][ordinal as usize] += set_passing[set] + failing_only;
                    if failing_only > 0 {
                        added[facet][ordinal as usize] += failing_only;
                    }
                }
            }
        }
        let by_value = |facet: usize, sums: &[u64]| -> NumberMap<u64> {
            sums.iter()
                .enumerate()
                .filter(|(_, sum)| **sum > 0)
                .map(|(ordinal, sum)| (facts.values[facet][ordinal], *sum))
                .collect()
        };
        for facet in 0..FACET_FIELDS.len() {
            self.tally.counts[facet] = by_value(facet, &counts[facet]);
            self.tally.added[facet] = by_value(facet, &added[facet]);
        }
        self.tally
    }
}
