//! Topics from text: what new tickets are about, for "frequent problems".
//! Each ticket's text becomes a unit vector (the sentence encoder's where
//! installed, else its stems hashed — see [`hashed_vector`]) and joins the
//! nearest topic whose centre is at least [`JOIN`] close, or starts a new
//! one: a single pass in arrival order, so a ticket's topic is decided
//! once and never moves, and this week's counts compare with last week's.

use crate::text::{content_words, query_variants};
use std::collections::HashMap;

/// How close (cosine) a ticket's vector must be to a topic's centre to
/// join it. Lower mixes neighbouring problems in one topic, higher splits
/// one problem into its phrasings; measured with `topics-eval` (our
/// bilingual set: purity 0.87, completeness 0.55; support-intents 0.82,
/// 0.53), it leans to topics that do not mix problems.
pub const JOIN: f32 = 0.55;
/// The same for the hashed-stems fallback (sparser vectors: the same
/// problem sits lower).
pub const JOIN_HASHED: f32 = 0.40;
/// The most words a topic remembers for its name.
pub const MAX_WORDS: usize = 24;
/// Width of the hashed-stems vector (the encoder's width, so both fit
/// the same column).
const HASHED_DIM: usize = crate::encoder::DIM;

/// A topic's centre and how many tickets made it.
#[derive(Debug, Clone, PartialEq)]
pub struct Centre {
    pub vector: Vec<f32>,
    pub size: i64,
}

impl Centre {
    /// A topic started by one ticket.
    pub fn of(vector: Vec<f32>) -> Centre {
        Centre { vector, size: 1 }
    }

    /// Takes in one more ticket: the centre moves towards it by
    /// 1/(size+1), and stays unit length.
    pub fn absorb(&mut self, v: &[f32]) {
        let n = self.size as f32;
        for (c, x) in self.vector.iter_mut().zip(v) {
            *c = *c * n + x;
        }
        normalise(&mut self.vector);
        self.size += 1;
    }
}

/// The nearest centre at least `join` close: (its index, the cosine).
pub fn nearest(centres: &[Centre], v: &[f32], join: f32) -> Option<(usize, f32)> {
    centres
        .iter()
        .enumerate()
        .filter(|(_, c)| c.vector.len() == v.len())
        .map(|(i, c)| (i, crate::encoder::cosine(&c.vector, v)))
        .filter(|(_, s)| *s >= join)
        .max_by(|a, b| a.1.total_cmp(&b.1))
}

/// Where a text goes among `centres`: the index of the topic it joins
/// (whose centre has taken it in), or of the new topic it starts.
pub fn place(centres: &mut Vec<Centre>, v: Vec<f32>, join: f32) -> usize {
    match nearest(centres, &v, join) {
        Some((i, _)) => {
            centres[i].absorb(&v);
            i
        }
        None => {
            centres.push(Centre::of(v));
            centres.len() - 1
        }
    }
}

/// A text's content words (accents folded, stop words and greetings
/// left out), to name a topic by its most frequent ones.
pub fn topic_words(text: &str) -> Vec<String> {
    let mut words = content_words(text);
    words.retain(|w| w.chars().count() > 2 && !w.chars().any(|c| c.is_ascii_digit()));
    words.sort();
    words.dedup();
    words
}

/// Adds a text's words to a topic's word counts, keeping the
/// [`MAX_WORDS`] most frequent (ties: the earlier kept).
pub fn count_words(counts: &mut Vec<(String, i64)>, words: &[String]) {
    for w in words {
        match counts.iter_mut().find(|(k, _)| k == w) {
            Some((_, n)) => *n += 1,
            None => counts.push((w.clone(), 1)),
        }
    }
    counts.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    counts.truncate(MAX_WORDS);
}

/// A topic's name: its most frequent words, at most `n`, among those
/// said by at least a third of its tickets (so one ticket's odd word
/// does not name a big topic).
pub fn name_of(counts: &[(String, i64)], size: i64, n: usize) -> String {
    let floor = (size / 3).max(1);
    let named: Vec<&str> = counts
        .iter()
        .filter(|(_, c)| *c >= floor)
        .take(n)
        .map(|(w, _)| w.as_str())
        .collect();
    if named.is_empty() {
        counts.first().map(|(w, _)| w.clone()).unwrap_or_default()
    } else {
        named.join(" · ")
    }
}

/// A text as a unit vector of its Spanish and English stems hashed into
/// [`HASHED_DIM`] slots (the fallback where the encoder is not installed:
/// the same problem in other words of the same stems still meets).
pub fn hashed_vector(text: &str) -> Vec<f32> {
    let mut v = vec![0.0f32; HASHED_DIM];
    let mut seen: HashMap<String, ()> = HashMap::new();
    for word in content_words(text) {
        for term in query_variants(&word) {
            if seen.insert(term.clone(), ()).is_none() {
                let h = fnv1a(term.as_bytes());
                let slot = (h % HASHED_DIM as u64) as usize;
                v[slot] += if h >> 63 == 0 { 1.0 } else { -1.0 };
            }
        }
    }
    normalise(&mut v);
    v
}

/// How well topics agree with known labels, each item weighing the same:
/// purity (the share of items whose topic's most common label is theirs:
/// topics do not mix problems) and completeness (the share of items in
/// their label's most common topic: one problem is not split).
pub fn agreement<L: Eq + std::hash::Hash, T: Eq + std::hash::Hash>(pairs: &[(L, T)]) -> (f64, f64) {
    fn majority_share<A: Eq + std::hash::Hash, B: Eq + std::hash::Hash>(
        pairs: impl Iterator<Item = (A, B)>,
        n: usize,
    ) -> f64 {
        let mut by: HashMap<A, HashMap<B, usize>> = HashMap::new();
        for (a, b) in pairs {
            *by.entry(a).or_default().entry(b).or_default() += 1;
        }
        let kept: usize = by
            .values()
            .map(|m| m.values().max().copied().unwrap_or(0))
            .sum();
        kept as f64 / n.max(1) as f64
    }
    let purity = majority_share(pairs.iter().map(|(l, t)| (t, l)), pairs.len());
    let completeness = majority_share(pairs.iter().map(|(l, t)| (l, t)), pairs.len());
    (purity, completeness)
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    })
}

fn normalise(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        for x in v.iter_mut() {
            *x /= norm;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_centre_moves_towards_what_it_takes_in_and_stays_unit_length() {
        let mut c = Centre::of(vec![1.0, 0.0]);
        c.absorb(&[0.0, 1.0]);
        assert_eq!(c.size, 2);
        let s = std::f32::consts::FRAC_1_SQRT_2;
        assert!((c.vector[0] - s).abs() < 1e-6 && (c.vector[1] - s).abs() < 1e-6);
        let mut centres = vec![c];
        assert_eq!(place(&mut centres, vec![1.0, 0.0], 0.9), 1, "too far: new");
        assert_eq!(
            place(&mut centres, vec![0.99, 0.141], 0.9),
            1,
            "the nearest of two"
        );
        assert_eq!(centres[1].size, 2);
    }

    #[test]
    fn words_name_a_topic_by_what_most_of_it_says() {
        let mut counts = Vec::new();
        for t in [
            "Mi paquete no ha llegado, pedido 12345",
            "el paquete no llegó todavía",
            "¿Dónde está mi paquete? Hola",
        ] {
            count_words(&mut counts, &topic_words(t));
        }
        assert_eq!(counts[0], ("paquete".to_string(), 3));
        assert!(
            !counts
                .iter()
                .any(|(w, _)| w.contains("12345") || w == "hola")
        );
        assert_eq!(name_of(&counts, 3, 1), "paquete");
        assert!(name_of(&counts, 3, 3).starts_with("paquete · "));
        assert_eq!(
            name_of(&counts, 6, 3),
            "paquete",
            "the others said by 1 of 6"
        );
        assert_eq!(name_of(&[], 0, 3), "");
    }

    #[test]
    fn agreement_counts_mixed_and_split_topics() {
        let pairs = [("a", 1), ("a", 1), ("b", 1), ("b", 2)];
        let (purity, completeness) = agreement(&pairs);
        assert!((purity - 0.75).abs() < 1e-9, "topic 1 mixes a and b");
        assert!((completeness - 0.75).abs() < 1e-9, "b is split");
    }

    /// Our bilingual evaluation set's answerable messages, grouped in file
    /// order with the installed encoder, agree with their articles about
    /// as `topics-eval` measured (a regression guard; CI installs it).
    #[test]
    fn the_encoder_groups_our_set_by_problem() {
        let found = crate::encoder::models_from_env().and_then(|m| crate::Encoder::find(&m));
        let encoder = match found {
            Some(Ok(e)) => e,
            Some(Err(e)) => panic!("the installed encoder does not load: {e}"),
            None if std::env::var_os("CI").is_some() => {
                panic!("no encoder: run scripts/install-models.sh")
            }
            None => return,
        };
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../eval/answer_bot/messages.jsonl"
        );
        let text = std::fs::read_to_string(path).expect("the evaluation set");
        let mut centres = Vec::new();
        let pairs: Vec<(String, usize)> = text
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|m| {
                let label = m["answer"].as_str()?.to_string();
                let v = encoder.encode(m["text"].as_str()?);
                Some((label, place(&mut centres, v, JOIN)))
            })
            .collect();
        assert!(pairs.len() > 200);
        let (purity, completeness) = agreement(&pairs);
        assert!(purity >= 0.80, "purity {purity}");
        assert!(completeness >= 0.45, "completeness {completeness}");
    }

    #[test]
    fn hashed_vectors_meet_on_shared_stems_in_either_language() {
        let a = hashed_vector("No puedo cambiar mi contraseña");
        let b = hashed_vector("cambié la contraseña y no puedo entrar");
        let c = hashed_vector("¿Cuánto cuesta el envío a Canarias?");
        let cos = crate::encoder::cosine;
        assert!(cos(&a, &b) > cos(&a, &c));
        assert!(cos(&a, &b) >= JOIN_HASHED, "{}", cos(&a, &b));
        assert!(cos(&a, &c) < JOIN_HASHED, "{}", cos(&a, &c));
        assert!(hashed_vector("").iter().all(|x| *x == 0.0));
    }
}
