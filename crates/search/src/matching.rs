//! Which documents of a segment a search matches, and their relevance, a term at a
//! time: each alternative's postings are read in blocks and their scores added into
//! one score per document, then the documents that matched every word are handed on
//! in document order. A broad word matches tens of thousands of documents in four
//! fields; merging the fields' postings document by document (tantivy's union
//! scorer) cost as much as scoring them.
//!
//! The scores are tantivy's: BM25 per term with the searcher's statistics, times the
//! field's weight; a constant for a word found through an automaton (typos, prefix);
//! summed over what matched.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::query::{Bm25Weight, EnableScoring, FuzzyTermQuery, Query, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Score, Searcher, SegmentReader, Term};

/// What a search matches.
pub(crate) enum Matcher {
    /// Every document, each scored 1 (no words: a category page, an empty search).
    All,
    /// Documents matching every word, or the SKU.
    Text(TextQuery),
}

/// Documents matching each word (through any of its alternatives), scored by the sum
/// of what matched; or matching the SKU exactly, whatever their words.
pub(crate) struct TextQuery {
    words: Vec<Word>,
    sku: ScoredTerm,
}

/// The ways one word of a query may match.
#[derive(Default)]
pub(crate) struct Word(Vec<Alternative>);

/// One way a word may match.
enum Alternative {
    /// A stemmed word in a text field.
    Term(ScoredTerm),
    /// Any word of a field an automaton accepts, at a constant score.
    Expansion {
        weight: Box<dyn Weight>,
        score: Score,
    },
}

/// A term scored by BM25, times its field's weight.
struct ScoredTerm {
    term: Term,
    bm25: Bm25Weight,
    /// How the field's postings are read when scoring (term frequencies or not).
    record: IndexRecordOption,
}

impl TextQuery {
    /// Documents matching every word, or `sku` (in a field without term frequencies),
    /// scored by BM25 times `sku_weight`.
    pub(crate) fn new(
        searcher: &Searcher,
        words: Vec<Word>,
        sku: Term,
        sku_weight: Score,
    ) -> tantivy::Result<TextQuery> {
        let sku = ScoredTerm::new(searcher, sku, sku_weight, IndexRecordOption::Basic)?;
        Ok(TextQuery { words, sku })
    }
}

impl Word {
    /// `term` (in a text field with term frequencies) matches the word, scored by
    /// BM25 times `weight`.
    pub(crate) fn term(
        &mut self,
        searcher: &Searcher,
        term: Term,
        weight: Score,
    ) -> tantivy::Result<()> {
        let scored = ScoredTerm::new(searcher, term, weight, IndexRecordOption::WithFreqs)?;
        self.0.push(Alternative::Term(scored));
        Ok(())
    }

    /// Any word `automaton` accepts matches the word, scored `score`.
    pub(crate) fn expansion(
        &mut self,
        searcher: &Searcher,
        automaton: FuzzyTermQuery,
        score: Score,
    ) -> tantivy::Result<()> {
        let weight = automaton.weight(EnableScoring::disabled_from_searcher(searcher))?;
        self.0.push(Alternative::Expansion { weight, score });
        Ok(())
    }
}

impl ScoredTerm {
    fn new(
        searcher: &Searcher,
        term: Term,
        weight: Score,
        record: IndexRecordOption,
    ) -> tantivy::Result<ScoredTerm> {
        let bm25 = Bm25Weight::for_terms(searcher, std::slice::from_ref(&term))?.boost_by(weight);
        Ok(ScoredTerm { term, bm25, record })
    }

    /// Calls `hit` with each document of `segment` holding the term, and its score
    /// (0 when not `scoring`).
    fn for_each(
        &self,
        segment: &SegmentReader,
        scoring: bool,
        hit: &mut impl FnMut(DocId, Score),
    ) -> tantivy::Result<()> {
        let field = self.term.field();
        let record = if scoring {
            self.record
        } else {
            IndexRecordOption::Basic
        };
        let Some(mut postings) = segment
            .inverted_index(field)?
            .read_block_postings(&self.term, record)?
        else {
            return Ok(());
        };
        // Field lengths matter only to scores (tantivy's default without them: 1).
        let norms = if scoring {
            segment.fieldnorms_readers().get_field(field)?
        } else {
            None
        }
        .unwrap_or_else(|| FieldNormReader::constant(segment.max_doc(), 1));
        loop {
            let docs = postings.docs();
            if docs.is_empty() {
                return Ok(());
            }
            if !scoring {
                docs.iter().for_each(|&doc| hit(doc, 0.0));
            } else if record == IndexRecordOption::Basic {
                // Without frequencies, each document holds the term once.
                for &doc in docs {
                    hit(doc, self.bm25.score(norms.fieldnorm_id(doc), 1));
                }
            } else {
                for (&doc, &frequency) in docs.iter().zip(postings.freqs()) {
                    hit(doc, self.bm25.score(norms.fieldnorm_id(doc), frequency));
                }
            }
            postings.advance();
        }
    }
}

impl Alternative {
    fn for_each(
        &self,
        segment: &SegmentReader,
        scoring: bool,
        hit: &mut impl FnMut(DocId, Score),
    ) -> tantivy::Result<()> {
        match self {
            Alternative::Term(term) => term.for_each(segment, scoring, hit),
            Alternative::Expansion { weight, score } => {
                weight.for_each_no_score(segment, &mut |docs| {
                    docs.iter().for_each(|&doc| hit(doc, *score));
                })
            }
        }
    }
}

/// What a search matched in one segment.
pub(crate) struct SegmentMatches<'s> {
    segment: &'s SegmentReader,
    /// Per document, how many words it matched in a row from the first (`None`:
    /// every document matches).
    words_matched: Option<Vec<u8>>,
    every_word: u8,
    /// Per document, its relevance when scoring.
    scores: Vec<Score>,
}

impl Matcher {
    /// What the search matches in `segment`, with relevance if `scoring`.
    pub(crate) fn matches<'s>(
        &self,
        segment: &'s SegmentReader,
        scoring: bool,
    ) -> tantivy::Result<SegmentMatches<'s>> {
        Ok(match self {
            Matcher::All => SegmentMatches {
                segment,
                words_matched: None,
                every_word: 0,
                scores: Vec::new(),
            },
            Matcher::Text(query) => {
                let (words_matched, scores) = query.accumulate(segment, scoring)?;
                SegmentMatches {
                    segment,
                    words_matched: Some(words_matched),
                    every_word: query.words.len() as u8,
                    scores,
                }
            }
        })
    }
}

impl SegmentMatches<'_> {
    /// The relevance of `doc` if it is a live match (0 when not scoring, 1 for every
    /// document).
    #[inline]
    pub(crate) fn score(&self, doc: DocId) -> Option<Score> {
        let at = doc as usize;
        match &self.words_matched {
            None => (doc < self.segment.max_doc() && self.is_alive(doc)).then_some(1.0),
            Some(words_matched) => (words_matched.get(at) == Some(&self.every_word)
                && self.is_alive(doc))
            .then(|| self.text_score(at)),
        }
    }

    /// Whether `doc` is not deleted.
    fn is_alive(&self, doc: DocId) -> bool {
        self.segment
            .alive_bitset()
            .is_none_or(|set| set.is_alive(doc))
    }

    /// The relevance of the text match at `at` (0 when not scoring).
    fn text_score(&self, at: usize) -> Score {
        self.scores.get(at).copied().unwrap_or(0.0)
    }

    /// Calls `visit` with each live match and its relevance, in document order.
    pub(crate) fn for_each(&self, mut visit: impl FnMut(DocId, Score)) {
        match &self.words_matched {
            None => (0..self.segment.max_doc())
                .filter(|&doc| self.is_alive(doc))
                .for_each(|doc| visit(doc, 1.0)),
            Some(words_matched) => {
                let mut visit_match = |at: usize| {
                    let doc = at as DocId;
                    if self.is_alive(doc) {
                        visit(doc, self.text_score(at));
                    }
                };
                // Eight documents at a time: which of them matched, as the high bits
                // of a word, then each of those. Testing each document alone
                // mispredicted a branch for most of a broad search's documents.
                let every_word = u64::from_ne_bytes([self.every_word; 8]);
                let chunks = words_matched.chunks_exact(8);
                let rest = chunks.len() * 8;
                for (chunk, eight) in chunks.enumerate() {
                    let eight = u64::from_le_bytes(eight.try_into().expect("eight bytes"));
                    let mut matched = equal_bytes(eight, every_word);
                    while matched != 0 {
                        visit_match(chunk * 8 + matched.trailing_zeros() as usize / 8);
                        matched &= matched - 1;
                    }
                }
                for (at, matched) in words_matched.iter().enumerate().skip(rest) {
                    if *matched == self.every_word {
                        visit_match(at);
                    }
                }
            }
        }
    }

    /// No match is more relevant than this.
    pub(crate) fn best_score(&self) -> Score {
        let Some(words_matched) = &self.words_matched else {
            return 1.0;
        };
        let matched_score = |matched: u8, score: Score| {
            if matched == self.every_word {
                score
            } else {
                0.0
            }
        };
        // Eight running maxima over slices of one length, with plain comparisons
        // (scores are never NaN): the loop runs on vectors, where a fold over the
        // zipped documents took a third of a broad suggestion's time.
        let documents = words_matched.len().min(self.scores.len());
        let (words_matched, scores) = (&words_matched[..documents], &self.scores[..documents]);
        let mut lanes = [0.0; 8];
        let chunks = words_matched.chunks_exact(8).zip(scores.chunks_exact(8));
        for (matched, scores) in chunks {
            for lane in 0..8 {
                let score = matched_score(matched[lane], scores[lane]);
                if score > lanes[lane] {
                    lanes[lane] = score;
                }
            }
        }
        let rest = documents - documents % 8;
        words_matched[rest..]
            .iter()
            .zip(&scores[rest..])
            .map(|(matched, score)| matched_score(*matched, *score))
            .chain(lanes)
            .fold(0.0, |best, score| if score > best { score } else { best })
    }
}

impl TextQuery {
    /// Per document of `segment`: how many words it matched in a row from the first
    /// (all of them, or the SKU, for a match), and its score when `scoring`.
    fn accumulate(
        &self,
        segment: &SegmentReader,
        scoring: bool,
    ) -> tantivy::Result<(Vec<u8>, Vec<Score>)> {
        let documents = segment.max_doc() as usize;
        let mut words_matched = vec![0u8; documents];
        let mut scores = if scoring {
            vec![0.0; documents]
        } else {
            Vec::new()
        };
        for (word, alternatives) in self.words.iter().enumerate() {
            // A document matching one more word: one that matched each before it.
            let (before, after) = (word as u8, word as u8 + 1);
            let mut hit = |doc: DocId, score: Score| {
                let doc = doc as usize;
                if words_matched[doc] == before {
                    words_matched[doc] = after;
                }
                if scoring {
                    scores[doc] += score;
                }
            };
            for alternative in &alternatives.0 {
                alternative.for_each(segment, scoring, &mut hit)?;
            }
        }
        let every_word = self.words.len() as u8;
        self.sku.for_each(segment, scoring, &mut |doc, score| {
            let doc = doc as usize;
            if scoring {
                // Added to the words' score only if they all matched.
                if words_matched[doc] == every_word {
                    scores[doc] += score;
                } else {
                    scores[doc] = score;
                }
            }
            words_matched[doc] = every_word;
        })?;
        Ok((words_matched, scores))
    }
}

/// The high bit of each byte of `a` equal to the same byte of `b`.
fn equal_bytes(a: u64, b: u64) -> u64 {
    const LOW_SEVEN: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let differing = a ^ b;
    // A byte's high bit is set when any of its bits is: its low seven carried into it,
    // or its own.
    let nonzero = ((differing & LOW_SEVEN) + LOW_SEVEN) | differing;
    !nonzero & !LOW_SEVEN
}

#[cfg(test)]
mod tests {
    use super::equal_bytes;

    #[test]
    fn equal_bytes_marks_exactly_the_equal_ones() {
        let a = u64::from_le_bytes([3, 0, 3, 1, 2, 3, 0x83, 3]);
        let b = u64::from_ne_bytes([3; 8]);
        let marked = equal_bytes(a, b);
        let equal: Vec<usize> = (0..8).filter(|i| marked >> (i * 8 + 7) & 1 == 1).collect();
        assert_eq!(equal, [0, 2, 5, 7]);
        assert_eq!(marked & !0x8080_8080_8080_8080, 0);
        assert_eq!(equal_bytes(0, 0), 0x8080_8080_8080_8080);
        assert_eq!(equal_bytes(u64::MAX, 0), 0);
    }
}
