//! Topics admins always want a person for ("a charge I don't recognise",
//! "cancel my contract", "formal complaint"): one per line, in either
//! language. A message is on a topic when every content word of the topic
//! is in it, as the same stem in Spanish or English — in any order, among
//! other words, without accents.

use crate::text::{TaggedTerm, content_words, query_variants};

/// The most topics read (the rest are ignored).
pub const MAX_TOPICS: usize = 100;

/// The hand-over topics, ready to match.
#[derive(Debug, Clone, Default)]
pub struct Topics {
    /// Per topic: its line as written, and per content word the stems it
    /// may be.
    topics: Vec<(String, Vec<Vec<TaggedTerm>>)>,
}

impl Topics {
    /// One topic per line; blank lines and lines without a content word
    /// are skipped.
    pub fn parse(text: &str) -> Topics {
        let topics = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .filter_map(|line| {
                let words: Vec<Vec<TaggedTerm>> = content_words(line)
                    .iter()
                    .map(|w| query_variants(w))
                    .filter(|v| !v.is_empty())
                    .collect();
                (!words.is_empty()).then(|| (line.to_string(), words))
            })
            .take(MAX_TOPICS)
            .collect();
        Topics { topics }
    }

    pub fn is_empty(&self) -> bool {
        self.topics.is_empty()
    }

    /// The first topic the message is on, as the admin wrote it.
    pub fn matching(&self, message: &str) -> Option<&str> {
        if self.topics.is_empty() {
            return None;
        }
        let said: Vec<TaggedTerm> = content_words(message)
            .iter()
            .flat_map(|w| query_variants(w))
            .collect();
        self.topics
            .iter()
            .find(|(_, words)| {
                words
                    .iter()
                    .all(|variants| variants.iter().any(|v| said.contains(v)))
            })
            .map(|(line, _)| line.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_is_on_a_topic_when_it_holds_all_its_words() {
        let t = Topics::parse("cargo no reconocido\n\n  queja formal \nunrecognised charge\n---\n");
        assert!(!t.is_empty());
        assert_eq!(
            t.matching("Me ha aparecido un CARGO que no he reconocido en la tarjeta"),
            Some("cargo no reconocido")
        );
        assert_eq!(
            t.matching("quiero poner una queja, formal y por escrito"),
            Some("queja formal")
        );
        assert_eq!(
            t.matching("there is a charge I have not recognised"),
            None,
            "not all words"
        );
        assert_eq!(
            t.matching("an unrecognised charges on my card"),
            Some("unrecognised charge")
        );
        assert_eq!(t.matching("¿cuánto cuesta el envío?"), None);
        assert_eq!(Topics::parse("").matching("cargo no reconocido"), None);
    }
}
