//! Words as the bot reads them: language-tagged stems for articles, both
//! languages' stems for a message's words, customer chatter left out, and
//! the edit distance that matches a misspelt word.

use search::analyze::{Language, fold, is_stop, stem, words};

/// A stem tagged with its language (`s:pag`, `e:payment`): the same letters
/// mean different things in Spanish and English.
pub type TaggedTerm = String;

fn tag(lang: Language) -> &'static str {
    match lang {
        Language::Spanish => "s:",
        Language::English => "e:",
    }
}

pub fn other(lang: Language) -> Language {
    match lang {
        Language::Spanish => Language::English,
        Language::English => Language::Spanish,
    }
}

/// The terms of a text written in `lang`, with the folded word each came
/// from; stop words left out.
pub fn document_terms(lang: Language, text: &str) -> Vec<(String, TaggedTerm)> {
    let folded = fold(text);
    words(&folded)
        .filter(|w| !is_stop(lang, w))
        .map(|w| (w.to_string(), format!("{}{}", tag(lang), stem(lang, w))))
        .collect()
}

/// Words that say nothing about what a customer needs: greetings,
/// courtesy, asking words, "I want/need/can". Folded.
const CHATTER: &[&str] = &[
    // Spanish
    "hola",
    "buenas",
    "buenos",
    "dias",
    "tardes",
    "noches",
    "gracias",
    "favor",
    "porfa",
    "porfavor",
    "quiero",
    "queria",
    "quisiera",
    "necesito",
    "puedo",
    "puede",
    "podeis",
    "podria",
    "pueden",
    "tengo",
    "teneis",
    "tienen",
    "saber",
    "ayuda",
    "ayudar",
    "ayudame",
    "duda",
    "pregunta",
    "mire",
    "oye",
    "vale",
    "bueno",
    "pues",
    "nada",
    "algo",
    "alguien",
    "donde",
    "cuando",
    "cual",
    "cuales",
    "hacer",
    "hago",
    "hace",
    "favor",
    "le",
    "les",
    "os",
    "te",
    "nos",
    "eso",
    "esto",
    "ese",
    "esa",
    "q",
    "k",
    "xq",
    "porque",
    "si",
    "no",
    "ni",
    "ahora",
    "hoy",
    "ayer",
    "ok",
    "okay",
    // English
    "hi",
    "hello",
    "hey",
    "please",
    "plz",
    "pls",
    "thanks",
    "thank",
    "thx",
    "want",
    "wanna",
    "need",
    "can",
    "could",
    "would",
    "should",
    "how",
    "what",
    "whats",
    "where",
    "wheres",
    "when",
    "why",
    "which",
    "who",
    "do",
    "does",
    "did",
    "done",
    "am",
    "im",
    "ive",
    "dont",
    "doesnt",
    "didnt",
    "cant",
    "wont",
    "isnt",
    "not",
    "help",
    "just",
    "still",
    "some",
    "any",
    "get",
    "got",
    "know",
    "there",
    "here",
    "u",
    "ur",
    "yes",
    "no",
    "ok",
    "okay",
    "so",
    "basically",
    "really",
];

/// Runs of three or more of one letter become one (`pedidoooo`).
fn squeeze(w: &str) -> String {
    let mut out = String::with_capacity(w.len());
    let chars: Vec<char> = w.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let mut j = i;
        while j < chars.len() && chars[j] == c {
            j += 1;
        }
        let run = j - i;
        let keep = if run >= 3 { 1 } else { run };
        for _ in 0..keep {
            out.push(c);
        }
        i = j;
    }
    out
}

/// The term a single word has in a language (`None` for a stop word or
/// anything that is not one word).
pub fn term_of(lang: Language, word: &str) -> Option<TaggedTerm> {
    let folded = fold(word);
    let mut ws = words(&folded);
    let w = ws.next()?;
    if ws.next().is_some() || is_stop(lang, w) {
        return None;
    }
    Some(format!("{}{}", tag(lang), stem(lang, w)))
}

/// A message's content words, folded, in order: no stop word of either
/// language, no chatter.
pub fn content_words(message: &str) -> Vec<String> {
    let folded = fold(message);
    words(&folded)
        .map(squeeze)
        .filter(|w| {
            !is_stop(Language::Spanish, w)
                && !is_stop(Language::English, w)
                && !CHATTER.contains(&w.as_str())
        })
        .collect()
}

/// The terms a message's word may be in an article: its Spanish and its
/// English stem.
pub fn query_variants(word: &str) -> Vec<TaggedTerm> {
    let mut out = Vec::with_capacity(2);
    for lang in [Language::Spanish, Language::English] {
        if !is_stop(lang, word) {
            out.push(format!("{}{}", tag(lang), stem(lang, word)));
        }
    }
    out
}

/// Levenshtein distance with adjacent swaps counted as one edit, giving up
/// (returning `max + 1`) once it must exceed `max`.
pub fn edit_distance(a: &str, b: &str, max: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > max {
        return max + 1;
    }
    let mut prev2 = vec![0usize; m + 1];
    let mut prev: Vec<usize> = (0..=m).collect();
    let mut cur = vec![0usize; m + 1];
    for i in 1..=n {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return max + 1;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[m]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_keep_only_what_they_are_about() {
        assert_eq!(content_words("Hola, ¿dónde está mi pedidoooo?"), ["pedido"]);
        assert_eq!(
            content_words("hi, how do I reset my password please"),
            ["reset", "password"]
        );
    }

    #[test]
    fn distances_count_swaps_as_one() {
        assert_eq!(edit_distance("contrasena", "contrasena", 2), 0);
        assert_eq!(edit_distance("pasword", "password", 1), 1);
        assert_eq!(edit_distance("recieve", "receive", 1), 1);
        assert!(edit_distance("gato", "perro", 1) > 1);
    }
}
