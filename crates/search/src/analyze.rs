//! The analyzer: one function for documents and one for query words, so the
//! terms written to the index and the terms looked up always agree.

use rust_stemmers::{Algorithm, Stemmer};
use std::sync::LazyLock;

/// The languages atiende stems; documents are stemmed in the one they look
/// like, query words in both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    English,
    Spanish,
}

static EN: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));
static ES: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::Spanish));

/// Words too common to be worth indexing, already accent-folded.
const STOP_EN: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "i",
    "if", "in", "into", "is", "it", "its", "me", "my", "of", "on", "or", "our", "so", "that",
    "the", "their", "them", "then", "there", "these", "they", "this", "to", "was", "we", "were",
    "will", "with", "you", "your",
];
const STOP_ES: &[&str] = &[
    "a", "al", "con", "como", "de", "del", "el", "en", "es", "esta", "este", "la", "las", "le",
    "lo", "los", "me", "mi", "mis", "para", "pero", "por", "que", "se", "su", "sus", "un", "una",
    "unos", "unas", "y", "ya", "yo", "o", "mas", "muy", "sin", "sobre", "tu", "hay",
];

/// Lower-cases and removes diacritics (`Canción` → `cancion`, `ß` → `ss`), so
/// search is accent-insensitive in both languages.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        for l in c.to_lowercase() {
            match l {
                'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ā' => out.push('a'),
                'é' | 'è' | 'ê' | 'ë' | 'ē' | 'ę' => out.push('e'),
                'í' | 'ì' | 'î' | 'ï' | 'ī' => out.push('i'),
                'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' | 'ō' => out.push('o'),
                'ú' | 'ù' | 'û' | 'ü' | 'ū' => out.push('u'),
                'ñ' | 'ń' => out.push('n'),
                'ç' | 'ć' | 'č' => out.push('c'),
                'ý' | 'ÿ' => out.push('y'),
                'ß' => out.push_str("ss"),
                'š' => out.push('s'),
                'ž' => out.push('z'),
                other => out.push(other),
            }
        }
    }
    out
}

/// Splits folded text into words: runs of letters and digits, at most 40
/// characters (longer runs are cut, never dropped).
pub fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| match w.char_indices().nth(40) {
            Some((i, _)) => &w[..i],
            None => w,
        })
}

fn stop_word_counts(folded: &str) -> (u32, u32) {
    let (mut en, mut es) = (0u32, 0u32);
    for w in words(folded).take(400) {
        en += u32::from(STOP_EN.contains(&w));
        es += u32::from(STOP_ES.contains(&w));
    }
    (en, es)
}

/// Guesses the language of a text by counting stop words of each
/// (English when in doubt: good enough for stemming).
pub fn detect(folded: &str) -> Language {
    let (en, es) = stop_word_counts(folded);
    if es > en {
        Language::Spanish
    } else {
        Language::English
    }
}

/// The language of a text only when its words say so clearly (more stop
/// words of one than the other): routing must not demand English of a
/// two-word Spanish message.
pub fn detect_clearly(folded: &str) -> Option<Language> {
    match stop_word_counts(folded) {
        (en, es) if es > en => Some(Language::Spanish),
        (en, es) if en > es => Some(Language::English),
        _ => None,
    }
}

/// A folded word's stem in a language (numbers stay as they are).
pub fn stem(lang: Language, word: &str) -> String {
    if word.chars().any(|c| c.is_ascii_digit()) {
        return word.to_string();
    }
    match lang {
        Language::English => EN.stem(word).into_owned(),
        Language::Spanish => ES.stem(word).into_owned(),
    }
}

/// Whether a folded word is too common in a language to mean anything.
pub fn is_stop(lang: Language, w: &str) -> bool {
    match lang {
        Language::English => STOP_EN.contains(&w),
        Language::Spanish => STOP_ES.contains(&w),
    }
}

/// Turns a document into space-separated index terms, in order (so phrase
/// queries work). Stop words of the detected language are dropped.
pub fn analyze_document(text: &str) -> String {
    let folded = fold(text);
    let lang = detect(&folded);
    let mut out = String::with_capacity(folded.len());
    for w in words(&folded) {
        if is_stop(lang, w) {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&stem(lang, w));
    }
    out
}

/// The index terms a query word may have been stored as: its English and its
/// Spanish stem (one if they agree). Empty for a stop word of either language
/// (it carries no meaning to search for) and for input with no letters or
/// digits.
pub fn analyze_query_word(word: &str) -> Vec<String> {
    let folded = fold(word);
    let Some(w) = words(&folded).next() else {
        return Vec::new();
    };
    if is_stop(Language::English, w) || is_stop(Language::Spanish, w) {
        return Vec::new();
    }
    let mut out = vec![stem(Language::English, w)];
    let es = stem(Language::Spanish, w);
    if es != out[0] {
        out.push(es);
    }
    out
}

/// The index term a word of a phrase has in a document of `lang`, or `None`
/// if such a document drops it as a stop word.
pub fn analyze_phrase_word(lang: Language, word: &str) -> Option<String> {
    let folded = fold(word);
    let w = words(&folded).next()?;
    (!is_stop(lang, w)).then(|| stem(lang, w))
}

/// Splits free text (a phrase) into its query words, in order.
pub fn query_words(text: &str) -> Vec<String> {
    let folded = fold(text);
    words(&folded).map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_and_case() {
        assert_eq!(fold("Canción ÑANDÚ Straße"), "cancion nandu strasse");
    }

    #[test]
    fn stems_spanish_documents_as_spanish() {
        let doc = analyze_document("No llegó el reembolso de mis pedidos");
        assert!(doc.contains("reembols"), "{doc}");
        assert!(doc.contains("ped"), "{doc}");
        assert!(!doc.split(' ').any(|t| t == "el"), "{doc}");
    }

    #[test]
    fn a_query_word_matches_its_document_form_in_either_language() {
        let doc = analyze_document("The refunds were never processed for my orders");
        for q in ["refund", "Refunding", "orders"] {
            let terms = analyze_query_word(q);
            assert!(
                terms.iter().any(|t| doc.split(' ').any(|d| d == t)),
                "{q}: {terms:?} vs {doc}"
            );
        }
        let es = analyze_document("Quiero cancelar la suscripción, por favor");
        let terms = analyze_query_word("suscripcion");
        assert!(
            terms.iter().any(|t| es.split(' ').any(|d| d == t)),
            "{terms:?} vs {es}"
        );
    }

    #[test]
    fn stop_words_of_both_languages_vanish() {
        assert!(analyze_query_word("the").is_empty());
        assert!(analyze_query_word("¿¡!?").is_empty());
    }
}

/// The index term for a ticket tag: `tg` and the tag's bytes in hex, so any
/// tag is one token to both FTS5 and tsvector and never collides with a
/// word. Tags in the text index let a search intersect them with words.
pub fn tag_term(tag: &str) -> String {
    let mut out = String::with_capacity(2 + tag.len() * 2);
    out.push_str("tg");
    for b in tag.as_bytes() {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

#[cfg(test)]
mod tag_tests {
    #[test]
    fn tag_terms_are_single_alphanumeric_tokens() {
        let t = super::tag_term("envío-urgente");
        assert!(
            t.starts_with("tg") && t.chars().all(|c| c.is_ascii_alphanumeric()),
            "{t}"
        );
        assert_ne!(super::tag_term("a"), super::tag_term("b"));
    }
}
