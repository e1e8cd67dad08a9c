//! How text becomes search terms: lower-cased, accents folded, stemmed in the site's
//! language; synonyms and stop words per language; typo tolerance by word length.

use std::collections::HashMap;

use comptoir_domain::Locale;
use comptoir_domain::slug::fold_accent;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer, TokenizerManager,
};

/// Tokenizer of the stemmed text fields of a locale's index.
pub fn stemmed_tokenizer_name(locale: Locale) -> &'static str {
    match locale {
        Locale::Es => "stemmed_es",
        Locale::Fr => "stemmed_fr",
        Locale::Pt => "stemmed_pt",
        Locale::It => "stemmed_it",
    }
}

/// Tokenizer of the unstemmed fields that typo tolerance and prefixes match against.
pub const FOLDED_TOKENIZER: &str = "folded";

fn language(locale: Locale) -> Language {
    match locale {
        Locale::Es => Language::Spanish,
        Locale::Fr => Language::French,
        Locale::Pt => Language::Portuguese,
        Locale::It => Language::Italian,
    }
}

/// Longest token indexed; longer ones are noise (or an attack).
const LONGEST_TOKEN: usize = 40;

pub fn stemmed_analyzer(locale: Locale) -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_TOKEN))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(language(locale)))
        .build()
}

pub fn folded_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_TOKEN))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

pub fn register_tokenizers(manager: &TokenizerManager, locale: Locale) {
    manager.register(stemmed_tokenizer_name(locale), stemmed_analyzer(locale));
    manager.register(FOLDED_TOKENIZER, folded_analyzer());
}

/// Most words a query is cut to.
pub const MAX_QUERY_WORDS: usize = 12;

/// The words of a query: lower-case, accents folded, split on anything that is not a
/// letter or a digit (so query-syntax characters are plain separators).
pub fn words(query: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    for c in query.chars() {
        if c.is_alphanumeric() {
            match fold_accent(c) {
                Some(folded) => current.push_str(folded),
                None => current.extend(c.to_lowercase()),
            }
        } else if !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words.retain(|w| w.chars().count() <= LONGEST_TOKEN);
    words.truncate(MAX_QUERY_WORDS);
    words
}

/// The stem of a folded word in `locale`, as the index stores it.
pub fn stem(analyzer: &mut TextAnalyzer, word: &str) -> Option<String> {
    let mut stream = analyzer.token_stream(word);
    let mut stem = None;
    while stream.advance() {
        stem.get_or_insert_with(|| stream.token().text.clone());
    }
    stem
}

/// Edits a typed word may contain and still match: none for short words, one from
/// 5 letters, two from 9.
pub fn typo_tolerance(word: &str) -> u8 {
    match word.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// Words that carry no meaning alone: they may match but need not.
pub fn is_stop_word(locale: Locale, word: &str) -> bool {
    let list: &[&str] = match locale {
        Locale::Es => &[
            "de", "del", "la", "el", "los", "las", "para", "con", "y", "en", "un", "una",
        ],
        Locale::Fr => &[
            "de", "du", "des", "la", "le", "les", "pour", "avec", "et", "en", "un", "une", "d", "l",
        ],
        Locale::Pt => &[
            "de", "do", "da", "dos", "das", "o", "a", "os", "as", "para", "com", "e", "em", "um",
            "uma",
        ],
        Locale::It => &[
            "di", "da", "del", "della", "il", "lo", "la", "i", "gli", "le", "per", "con", "e",
            "in", "un", "una",
        ],
    };
    list.contains(&word)
}

/// Synonym groups of one language: each word maps to the other words of its group.
#[derive(Debug, Default)]
pub struct Synonyms(HashMap<String, Vec<String>>);

impl Synonyms {
    /// Parses a synonym file: one group a line, comma-separated; `#` starts a comment.
    pub fn parse(text: &str) -> Synonyms {
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("");
            let group: Vec<String> = line
                .split(',')
                .filter_map(|word| words(word).into_iter().next())
                .collect();
            for word in &group {
                let others = group.iter().filter(|other| *other != word).cloned();
                map.entry(word.clone()).or_default().extend(others);
            }
        }
        Synonyms(map)
    }

    /// The checked-in synonyms of `locale`.
    pub fn for_locale(locale: Locale) -> Synonyms {
        Synonyms::parse(match locale {
            Locale::Es => include_str!("../synonyms/es.txt"),
            Locale::Fr => include_str!("../synonyms/fr.txt"),
            Locale::Pt => include_str!("../synonyms/pt.txt"),
            Locale::It => include_str!("../synonyms/it.txt"),
        })
    }

    pub fn of(&self, word: &str) -> &[String] {
        self.0.get(word).map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_fold_case_and_accents_and_drop_syntax() {
        assert_eq!(words("SORCIÈRES"), ["sorcieres"]);
        assert_eq!(
            words("  disfráz \"de\" (bruja)* AND -x:y"),
            ["disfraz", "de", "bruja", "and", "x", "y"]
        );
        assert_eq!(words("\u{0}\u{7}"), Vec::<String>::new());
        assert_eq!(words(&"a ".repeat(1_000)).len(), MAX_QUERY_WORDS);
    }

    #[test]
    fn stems_agree_across_accents_and_plurals() {
        let mut french = stemmed_analyzer(Locale::Fr);
        assert_eq!(
            stem(&mut french, "sorcieres"),
            stem(&mut french, "sorcière")
        );
        let mut spanish = stemmed_analyzer(Locale::Es);
        assert_eq!(stem(&mut spanish, "brujas"), stem(&mut spanish, "bruja"));
        assert_eq!(stem(&mut spanish, "disfráz"), stem(&mut spanish, "disfraz"));
    }

    #[test]
    fn typo_tolerance_grows_with_length() {
        assert_eq!(typo_tolerance("afro"), 0);
        assert_eq!(typo_tolerance("bruja"), 1);
        assert_eq!(typo_tolerance("esqueleto"), 2);
    }

    #[test]
    fn synonym_files_parse() {
        let spanish = Synonyms::for_locale(Locale::Es);
        assert_eq!(spanish.of("bruja"), ["hechicera"]);
        assert!(spanish.of("hechicera").contains(&"bruja".to_owned()));
        let french = Synonyms::for_locale(Locale::Fr);
        assert!(french.of("sorciere").contains(&"enchanteresse".to_owned()));
        assert!(Synonyms::parse("# only a comment\n\n").of("x").is_empty());
    }
}
