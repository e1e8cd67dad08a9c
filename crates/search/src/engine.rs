//! The search engine: four indexes (one per site), their writers, and the search
//! itself.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};

use chrono::{DateTime, Utc};
use comptoir_domain::{Catalogue, Locale, Product, ProductId, SiteCode};
use tantivy::query::FuzzyTermQuery;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, Term};

use crate::analysis::{self, Synonyms};
use crate::collector::{
    CATEGORY, FactsCache, Keep, NumberSet, Selection, Tally, TallyCollector, order,
};
use crate::document::{
    self, AGE_GROUP, CatalogueContext, FOUND, Fields, GENDER, LISTED, facet_code,
};
use crate::matching::{Matcher, TextQuery, Word};
use crate::types::{
    FacetCount, FacetCounts, Filters, PriceRange, SearchRequest, SearchResults, SearchSort,
};

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index error: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index folder: {0}")]
    Folder(#[from] tantivy::directory::error::OpenDirectoryError),
    #[error("search index input/output: {0}")]
    Io(#[from] std::io::Error),
    #[error("the search index is not built yet")]
    NotReady,
}

/// Memory of each index writer's arena.
const WRITER_MEMORY: usize = 40_000_000;
/// Index format of this version: a change of schema or analysis rebuilds the index.
const FORMAT: &str = "comptoir-search-2";

struct SiteIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    synonyms: Synonyms,
    locale: Locale,
    facts: Arc<FactsCache>,
}

/// The search engine of the four sites.
pub struct SearchEngine {
    sites: [SiteIndex; 4],
    /// Categories and option labels documents are built with.
    context: RwLock<Option<CatalogueContext>>,
    /// When a sale starts or ends next among indexed prices.
    next_price_change: Mutex<Option<DateTime<Utc>>>,
    /// The change-log position every index has committed, if they were ever built:
    /// read from their metadata once, then kept as they commit (every search asks).
    position: Mutex<Option<i64>>,
}

impl SearchEngine {
    /// Opens the indexes in `folder` (one subfolder per site), creating them if they
    /// are missing or of an older format; in memory when `folder` is `None`.
    pub fn open(folder: Option<&Path>) -> Result<SearchEngine, SearchError> {
        let mut sites = Vec::with_capacity(4);
        for site in SiteCode::ALL {
            let locale = site.locale();
            let (schema, fields) = Fields::schema(locale);
            let index = match folder {
                None => Index::create_in_ram(schema),
                Some(folder) => open_folder(&folder.join(site.as_str()), schema)?,
            };
            analysis::register_tokenizers(index.tokenizers(), locale);
            let reader = index
                .reader_builder()
                .reload_policy(ReloadPolicy::Manual)
                .try_into()?;
            let writer = index.writer_with_num_threads(1, WRITER_MEMORY)?;
            sites.push(SiteIndex {
                index,
                reader,
                writer: Mutex::new(writer),
                fields,
                synonyms: Synonyms::for_locale(locale),
                locale,
                facts: Arc::default(),
            });
        }
        let sites: [SiteIndex; 4] = sites.try_into().map_err(|_| SearchError::NotReady)?;
        let position = sites
            .iter()
            .map(|site| {
                let payload = site.index.load_metas().ok()?.payload?;
                payload
                    .strip_prefix(FORMAT)?
                    .strip_prefix(':')?
                    .parse::<i64>()
                    .ok()
            })
            .collect::<Option<Vec<i64>>>()
            .and_then(|positions| positions.into_iter().min());
        Ok(SearchEngine {
            sites,
            context: RwLock::new(None),
            next_price_change: Mutex::new(None),
            position: Mutex::new(position),
        })
    }

    /// The change-log position the indexes reflect, if they were ever built.
    pub fn position(&self) -> Option<i64> {
        *self.position.lock().expect("position lock")
    }

    /// Whether searches can be answered (the catalogue's structure is known).
    pub fn is_ready(&self) -> bool {
        self.context.read().is_ok_and(|context| context.is_some()) && self.position().is_some()
    }

    /// Sets what documents are built with, without reindexing (after opening an
    /// index that is already built).
    pub fn set_context(&self, context: CatalogueContext) {
        if let Ok(mut current) = self.context.write() {
            *current = Some(context);
        }
    }

    /// Indexes the whole catalogue anew, as of change-log `position`, reporting the
    /// products done and their total. One commit per site at the end.
    pub fn rebuild(
        &self,
        catalogue: &Catalogue,
        position: i64,
        now: DateTime<Utc>,
        progress: &dyn Fn(u64, u64),
    ) -> Result<(), SearchError> {
        let context = CatalogueContext::of(catalogue);
        let mut writers: Vec<_> = self
            .sites
            .iter()
            .map(|s| s.writer.lock().expect("writer lock"))
            .collect();
        for writer in &mut writers {
            writer.delete_all_documents()?;
        }
        let total = catalogue.products.len() as u64;
        for (done, product) in catalogue.products.iter().enumerate() {
            for (site, writer) in SiteCode::ALL.into_iter().zip(&writers) {
                let fields = &self.sites[site.index()].fields;
                if let Some(doc) = document::document(fields, &context, product, site, now) {
                    writer.add_document(doc)?;
                }
            }
            if done % 1_000 == 999 {
                progress(done as u64 + 1, total);
            }
        }
        progress(total, total);
        for writer in &mut writers {
            commit(writer, position)?;
        }
        drop(writers);
        *self.position.lock().expect("position lock") = Some(position);
        self.reload_readers()?;
        self.set_next_price_change(catalogue.products.iter(), now);
        self.set_context(context);
        Ok(())
    }

    /// Reindexes the `changed` products: `products` holds those that still exist. One
    /// commit per site for the whole batch.
    pub fn apply(
        &self,
        changed: &BTreeSet<ProductId>,
        products: &[Product],
        position: i64,
        now: DateTime<Utc>,
    ) -> Result<(), SearchError> {
        let context = self.context.read().expect("context lock");
        let context = context.as_ref().ok_or(SearchError::NotReady)?;
        for site in SiteCode::ALL {
            let index = &self.sites[site.index()];
            let mut writer = index.writer.lock().expect("writer lock");
            for id in changed {
                writer.delete_term(Term::from_field_u64(index.fields.id, id.0 as u64));
            }
            for product in products {
                if let Some(doc) = document::document(&index.fields, context, product, site, now) {
                    writer.add_document(doc)?;
                }
            }
            commit(&mut writer, position)?;
        }
        *self.position.lock().expect("position lock") = Some(position);
        self.reload_readers()?;
        if let Ok(mut next) = self.next_price_change.lock() {
            let changed_next = products.iter().filter_map(|p| next_change(p, now)).min();
            *next = [*next, changed_next].into_iter().flatten().min();
        }
        Ok(())
    }

    /// Whether a sale has started or ended since prices were indexed.
    pub fn prices_are_stale(&self, now: DateTime<Utc>) -> bool {
        self.next_price_change
            .lock()
            .is_ok_and(|next| next.is_some_and(|at| at <= now))
    }

    fn set_next_price_change<'p>(
        &self,
        products: impl Iterator<Item = &'p Product>,
        now: DateTime<Utc>,
    ) {
        if let Ok(mut next) = self.next_price_change.lock() {
            *next = products.filter_map(|p| next_change(p, now)).min();
        }
    }

    fn reload_readers(&self) -> Result<(), SearchError> {
        for site in &self.sites {
            site.reader.reload()?;
        }
        Ok(())
    }

    /// Searches `site`'s catalogue.
    pub fn search(
        &self,
        site: SiteCode,
        request: &SearchRequest,
    ) -> Result<SearchResults, SearchError> {
        let context = self.context.read().expect("context lock");
        let context = context.as_ref().ok_or(SearchError::NotReady)?;
        let index = &self.sites[site.index()];
        let searcher = index.reader.searcher();
        let words = analysis::words(&request.query);
        let matcher = if words.is_empty() {
            Matcher::All
        } else {
            Matcher::Text(index.text_query(&searcher, &words, &request.query)?)
        };
        let selection = Arc::new(selection(
            &request.filters,
            request.within_category,
            context,
        ));
        let per_page = request.per_page.clamp(1, 100) as usize;
        let start = (request.page.max(1) as usize - 1).saturating_mul(per_page);
        let keep = if request.all_matches {
            Keep::All
        } else {
            Keep::Best {
                count: start + per_page,
                sort: request.sort,
            }
        };
        let collector = TallyCollector {
            selection,
            scoring: request.sort == SearchSort::Relevance && !request.all_matches,
            keep,
            counting: !request.products_only,
            facts: index.facts.clone(),
        };
        index.facts.keep_only(&searcher);
        let tally = collector.search(&searcher, &matcher)?;
        let facets = facet_counts(&tally, &collector.selection, context);
        let mut matching = tally.matching;
        let total = tally.total;
        let products = match keep {
            Keep::All => matching.into_iter().map(|hit| hit.id as i64).collect(),
            Keep::Best { sort, .. } => {
                matching.sort_unstable_by(|a, b| order(sort, a, b));
                matching
                    .into_iter()
                    .skip(start)
                    .take(per_page)
                    .map(|hit| hit.id as i64)
                    .collect()
            }
        };
        let suggestion = if total == 0 && !words.is_empty() {
            index.did_you_mean(&words)?
        } else {
            None
        };
        // A suggestion only if each of its words finds something where this search
        // looks: the index also holds the words of products searching does not show.
        let did_you_mean = match suggestion {
            Some(suggestion) => {
                let mut each_found = true;
                for word in analysis::words(&suggestion) {
                    let alone = index.text_query(&searcher, std::slice::from_ref(&word), &word)?;
                    let found = collector.search(&searcher, &Matcher::Text(alone))?;
                    each_found &= found.total > 0;
                }
                each_found.then_some(suggestion)
            }
            None => None,
        };
        Ok(SearchResults {
            total,
            products,
            facets,
            did_you_mean,
        })
    }
}

fn next_change(product: &Product, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    product
        .sites
        .iter()
        .flatten()
        .filter_map(|offer| offer.next_change_after(now))
        .min()
}

fn commit(writer: &mut IndexWriter, position: i64) -> Result<(), SearchError> {
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&format!("{FORMAT}:{position}"));
    prepared.commit()?;
    Ok(())
}

/// Opens an index folder, starting it afresh if it holds another format.
fn open_folder(folder: &Path, schema: tantivy::schema::Schema) -> Result<Index, SearchError> {
    std::fs::create_dir_all(folder)?;
    let open = || -> Result<Index, SearchError> {
        let directory = tantivy::directory::MmapDirectory::open(folder)?;
        Ok(Index::open_or_create(directory, schema.clone())?)
    };
    let index = open();
    let current = index.as_ref().ok().and_then(|index| {
        let payload = index.load_metas().ok()?.payload?;
        payload.starts_with(FORMAT).then_some(())
    });
    match (index, current) {
        (Ok(index), Some(())) => Ok(index),
        (Ok(index), None) if index.searchable_segment_ids()?.is_empty() => Ok(index),
        _ => {
            tracing::info!(folder = %folder.display(), "search index of another format: rebuilding it");
            std::fs::remove_dir_all(folder)?;
            std::fs::create_dir_all(folder)?;
            open()
        }
    }
}

impl SiteIndex {
    /// Each word must match (stop words only alone), in the name, description, categories
    /// or attributes, stemmed, through a synonym, with typos by length, or as the
    /// prefix of a name word for the last one. An exact SKU outranks everything.
    fn text_query(
        &self,
        searcher: &Searcher,
        words: &[String],
        raw_query: &str,
    ) -> Result<TextQuery, SearchError> {
        let mut analyzer: TextAnalyzer = analysis::stemmed_analyzer(self.locale);
        let f = &self.fields;
        // Beside words that must match, a stop word ("de", "para") is left out: it is
        // in nearly every description, and would add about the same to every match's
        // score at the cost of scoring it for each. A query of stop words alone
        // needs them all.
        let only_stop_words = words
            .iter()
            .all(|word| analysis::is_stop_word(self.locale, word));
        let mut must_match = Vec::new();
        for (i, word) in words.iter().enumerate() {
            if !only_stop_words && analysis::is_stop_word(self.locale, word) {
                continue;
            }
            let last = i + 1 == words.len();
            let mut alternatives = Word::default();
            for variant in std::iter::once(word).chain(self.synonyms.of(word)) {
                if let Some(stem) = analysis::stem(&mut analyzer, variant) {
                    for (field, weight) in f.weighted_text() {
                        let term = Term::from_field_text(field, &stem);
                        alternatives.term(searcher, term, weight)?;
                    }
                }
                let folded = Term::from_field_text(f.name_folded, variant);
                // A word some name has as it is was typed right: looking for its
                // neighbours or its longer forms (an automaton over the whole
                // vocabulary, and thousands more documents to score) would only add
                // noise to a broad search; stemming finds its other forms.
                let known = self.has_name_word(searcher, &folded)?;
                let typos = analysis::typo_tolerance(variant);
                if typos > 0 && !known {
                    let neighbours = FuzzyTermQuery::new(folded.clone(), typos, true);
                    alternatives.expansion(searcher, neighbours, 1.0)?;
                }
                // The last word may be still being typed ("disf"), unless it is a
                // whole word already.
                if last && !known && variant.chars().count() >= 2 {
                    let longer = FuzzyTermQuery::new_prefix(folded, 0, true);
                    alternatives.expansion(searcher, longer, 0.8)?;
                }
            }
            must_match.push(alternatives);
        }
        let sku = Term::from_field_text(f.sku, &raw_query.trim().to_ascii_lowercase());
        Ok(TextQuery::new(searcher, must_match, sku, 1_000.0)?)
    }

    /// Whether some product name has the folded word `term` as it is.
    fn has_name_word(&self, searcher: &Searcher, term: &Term) -> Result<bool, SearchError> {
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(self.fields.name_folded)?;
            if inverted.get_term_info(term)?.is_some() {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// A corrected query from the index's own name words: each unknown word replaced
    /// by the closest known one (the most frequent on a tie).
    fn did_you_mean(&self, words: &[String]) -> Result<Option<String>, SearchError> {
        let searcher = self.reader.searcher();
        let mut vocabulary: HashMap<String, u64> = HashMap::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(self.fields.name_folded)?;
            let mut terms = inverted.terms().stream()?;
            while terms.advance() {
                if let Ok(term) = std::str::from_utf8(terms.key()) {
                    *vocabulary.entry(term.to_owned()).or_default() +=
                        u64::from(terms.value().doc_freq);
                }
            }
        }
        let mut changed = false;
        let corrected: Vec<String> = words
            .iter()
            .map(|word| {
                if vocabulary.contains_key(word) || analysis::is_stop_word(self.locale, word) {
                    return word.clone();
                }
                let best = vocabulary
                    .iter()
                    .filter_map(|(term, freq)| {
                        let distance = levenshtein(word, term, suggestion_distance(word))?;
                        Some((distance, std::cmp::Reverse(*freq), term))
                    })
                    .min();
                match best {
                    Some((_, _, term)) => {
                        changed = true;
                        term.clone()
                    }
                    None => word.clone(),
                }
            })
            .collect();
        Ok(changed.then(|| corrected.join(" ")))
    }
}

/// Edits a suggestion may be away from a word that found nothing: one more than typo
/// tolerance allows for long words, since those typos were already tolerated.
fn suggestion_distance(word: &str) -> usize {
    if word.chars().count() >= 7 { 3 } else { 2 }
}

/// Edit distance between `a` and `b` if it is at most `limit`.
fn levenshtein(a: &str, b: &str, limit: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        if current.iter().min().is_some_and(|m| *m > limit) {
            return None;
        }
        previous = current;
    }
    Some(previous[b.len()]).filter(|d| *d <= limit)
}

/// Puts the first `count` matches in `sort` order at the front (the rest unordered).
/// The active filters as indexed values; values the catalogue does not know are
/// dropped (the other filters are kept).
fn selection(filters: &Filters, within: Option<i64>, context: &CatalogueContext) -> Selection {
    let codes = |attribute: &str, values: &[String]| -> NumberSet {
        values
            .iter()
            .map(|code| facet_code(attribute, code))
            .filter(|hash| context.codes.contains_key(hash))
            .collect()
    };
    let mut prices = [false; 5];
    for range in &filters.prices {
        prices[*range as usize] = true;
    }
    Selection {
        // A category page lists what its categories list; a search finds what
        // searching finds.
        place: if within.is_some() { LISTED } else { FOUND },
        within: within.map(|id| id as u64),
        groups: [
            filters
                .categories
                .iter()
                .filter(|id| context.has_category(**id))
                .map(|id| *id as u64)
                .collect(),
            codes("size", &filters.sizes),
            codes("colour", &filters.colours),
            codes("theme", &filters.themes),
            codes(GENDER, &filters.genders),
            codes(AGE_GROUP, &filters.age_groups),
        ],
        prices,
        in_stock: filters.in_stock,
    }
}

/// The tally's counts, with values named: each the number of products its link
/// shows. Values of a facet OR together, so where some are selected, another's link
/// shows the matches and what it adds; a selected one counts the products having it.
fn facet_counts(tally: &Tally, selection: &Selection, context: &CatalogueContext) -> FacetCounts {
    let total = tally.total;
    let shown = |facet: usize, value: u64, count: u64| {
        let selected = &selection.groups[facet];
        if selected.is_empty() || selected.contains(&value) {
            count
        } else {
            total + tally.added[facet].get(&value).copied().unwrap_or(0)
        }
    };
    let named = |facet: usize| -> Vec<FacetCount<String>> {
        let mut named: Vec<FacetCount<String>> = tally.counts[facet]
            .iter()
            .filter_map(|(hash, count)| {
                let (_, code) = context.codes.get(hash)?;
                Some(FacetCount {
                    value: code.clone(),
                    count: shown(facet, *hash, *count),
                })
            })
            .collect();
        named.sort_by(|a, b| a.value.cmp(&b.value));
        named
    };
    let mut categories: Vec<FacetCount<i64>> = tally.counts[CATEGORY]
        .iter()
        .map(|(id, count)| FacetCount {
            value: *id as i64,
            count: shown(CATEGORY, *id, *count),
        })
        .collect();
    categories.sort_by_key(|c| c.value);
    let any_price = selection.prices.contains(&true);
    FacetCounts {
        categories,
        sizes: named(1),
        colours: named(2),
        themes: named(3),
        genders: named(4),
        age_groups: named(5),
        prices: PriceRange::ALL
            .into_iter()
            .zip(tally.prices)
            .filter(|(_, count)| *count > 0)
            .map(|(value, count)| FacetCount {
                value,
                count: if !any_price || selection.prices[value as usize] {
                    count
                } else {
                    total + tally.added_prices[value as usize]
                },
            })
            .collect(),
        in_stock: tally.in_stock,
    }
}

#[cfg(test)]
mod tests {
    use super::levenshtein;

    #[test]
    fn edit_distances() {
        assert_eq!(levenshtein("disfras", "disfraz", 2), Some(1));
        assert_eq!(levenshtein("bruja", "bruja", 2), Some(0));
        assert_eq!(levenshtein("pirata", "vampiro", 2), None);
        assert_eq!(levenshtein("sorcier", "sorciere", 1), Some(1));
    }
}
