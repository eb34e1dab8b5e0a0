//! The answer bot's brain: ranks help-center articles for a customer's
//! message (Spanish, English or both mixed; typos, missing accents, slang)
//! and decides whether to answer with them or hand over to a person.
//!
//! Ranking is BM25 over language-tagged stems: an article is indexed in its
//! own language and, where a machine translation is stored, in the other;
//! a message's words are looked up as both languages' stems, so a Spanish
//! question finds an English article through its Spanish translation.
//! Words the corpus does not know are matched to its nearest words (one or
//! two letters off). The decision ([`decide`]) is separate from ranking.
//!
//! No I/O here except [`apertium`], the offline translator run as a
//! separate process.

pub mod apertium;
pub mod cluster;
mod decide;
pub mod encoder;
mod handover;
mod lexicon;
mod text;
pub mod topics;

pub use decide::{Decision, Reason, Thresholds, confidence, decide};
pub use encoder::Encoder;
pub use handover::asks_for_person;
use search::analyze::Language;
use std::collections::HashMap;
use std::sync::Arc;
use text::{TaggedTerm, content_words, document_terms, query_variants};

/// A message's content words, sorted and joined: the same question in
/// other words or order has the same key (for grouping knowledge gaps).
pub fn content_key(message: &str) -> String {
    let mut w = content_words(message);
    w.sort();
    w.dedup();
    w.join(" ")
}

/// An article as the bot reads it.
#[derive(Debug, Clone)]
pub struct Document {
    /// The article's id.
    pub id: i64,
    pub language: Language,
    pub title: String,
    /// Plain text.
    pub body: String,
    /// Its machine translation into the other language, where one is stored.
    pub translated: Option<Translated>,
    /// Other ways customers ask what it answers (its authors'), in its
    /// language: matched as its title is.
    pub phrasings: Vec<String>,
    /// Its sentence vectors ([`article_texts`] encoded), where the encoder
    /// is installed.
    pub vectors: Vec<Vec<f32>>,
}

/// What of an article the sentence encoder reads: its title, and its title
/// with the start of its body (what it is about; a whole article's mean
/// would blur it — and each body sentence apart measured no better).
pub fn article_texts(title: &str, body: &str) -> Vec<String> {
    const LEAD_WORDS: usize = 60;
    let lead: Vec<&str> = body.split_whitespace().take(LEAD_WORDS).collect();
    vec![title.to_owned(), format!("{title}. {}", lead.join(" "))]
}

/// The most phrasings of one article text the bot reads.
pub const MAX_PHRASINGS: usize = 20;

/// An article text's phrasings as stored (one per line), cleaned.
pub fn phrasings_of(stored: &str) -> Vec<String> {
    stored
        .lines()
        .map(|l| l.trim().chars().take(200).collect::<String>())
        .filter(|l| !l.is_empty())
        .take(MAX_PHRASINGS)
        .collect()
}

/// A machine translation of an article's title and body.
#[derive(Debug, Clone, Default)]
pub struct Translated {
    pub title: String,
    pub body: String,
}

/// BM25's saturation and length normalisation (the usual values).
const K1: f32 = 1.2;
const B: f32 = 0.75;
/// Word weights are computed as for at least this many articles.
const MIN_CORPUS: f32 = 50.0;
/// A title word counts as this many body words.
const TITLE_WEIGHT: f32 = 2.0;

/// What the index keeps of one document.
struct DocStats {
    id: i64,
    /// Weighted length (title words count `TITLE_WEIGHT` times).
    len: f32,
}

/// The articles, indexed. Build once per change of the help center; read
/// from many threads.
pub struct Index {
    docs: Vec<DocStats>,
    /// Tagged term → (document, weighted term frequency).
    postings: HashMap<TaggedTerm, Vec<(u32, f32)>>,
    /// Folded surface words of the corpus → their tagged terms, for
    /// matching misspelt words.
    surface: HashMap<String, Vec<TaggedTerm>>,
    /// A term → the terms of the same lexicon group (its synonyms and
    /// translations).
    synonyms: HashMap<TaggedTerm, Vec<TaggedTerm>>,
    avg_len: f32,
    /// Per document, its sentence vectors (empty without the encoder).
    vectors: Vec<Vec<Vec<f32>>>,
    /// Encodes the questions, where installed.
    encoder: Option<Arc<Encoder>>,
}

/// A synonym's match counts a little less than the word itself.
const SYNONYM_WEIGHT: f32 = 0.9;

fn synonyms() -> HashMap<TaggedTerm, Vec<TaggedTerm>> {
    let mut out: HashMap<TaggedTerm, Vec<TaggedTerm>> = HashMap::new();
    for group in lexicon::GROUPS {
        let terms: Vec<TaggedTerm> = group
            .iter()
            .filter_map(|m| lexicon::member(m))
            .filter_map(|(lang, w)| text::term_of(lang, w))
            .collect();
        for t in &terms {
            let e = out.entry(t.clone()).or_default();
            for u in &terms {
                if u != t && !e.contains(u) {
                    e.push(u.clone());
                }
            }
        }
    }
    out
}

/// One ranked article.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    pub id: i64,
    pub score: f32,
    /// The share (0–1) of the message's meaning found in the article: the
    /// inverse-document-frequency weight of the message's words it holds,
    /// over that of all of them.
    pub coverage: f32,
    /// The score over the weight of the rarest possible word: comparable
    /// between help centers of any size.
    pub strength: f32,
    /// The cosine of the message's and the article's nearest sentence
    /// vectors (0 without the encoder).
    pub similarity: f32,
    /// Whether the message was also matched by meaning (the encoder is
    /// installed and the articles have vectors).
    pub semantic: bool,
}

/// A message, analysed: its content words and what the corpus knows of
/// them.
#[derive(Debug, Clone)]
pub struct Analysed {
    /// Content words (not stop words in both languages), folded.
    pub words: Vec<String>,
    /// Per word: the tagged terms it is looked up as, each with how much
    /// a match counts.
    variants: Vec<Vec<(TaggedTerm, f32)>>,
    /// Per word: its weight (the best inverse document frequency among its
    /// variants; an unknown word weighs as the rarest).
    weights: Vec<f32>,
    /// How many words the corpus knows (directly or one typo away).
    pub known: usize,
    /// The message's sentence vector, where the encoder is installed.
    pub vector: Option<Vec<f32>>,
}

impl Index {
    /// The index of `documents`; with an encoder, questions are also
    /// matched by meaning against the documents' vectors.
    pub fn build(documents: &[Document], encoder: Option<Arc<Encoder>>) -> Index {
        let mut postings: HashMap<TaggedTerm, Vec<(u32, f32)>> = HashMap::new();
        let mut surface: HashMap<String, Vec<TaggedTerm>> = HashMap::new();
        let mut docs = Vec::with_capacity(documents.len());
        let mut vectors = Vec::with_capacity(documents.len());
        for (n, d) in documents.iter().enumerate() {
            let n = u32::try_from(n).unwrap_or(u32::MAX);
            let mut tf: HashMap<TaggedTerm, f32> = HashMap::new();
            let mut len = 0.0;
            let mut add = |lang: Language, text: &str, weight: f32| {
                for (word, term) in document_terms(lang, text) {
                    *tf.entry(term.clone()).or_default() += weight;
                    len += weight;
                    let known = surface.entry(word).or_default();
                    if !known.contains(&term) {
                        known.push(term);
                    }
                }
            };
            add(d.language, &d.title, TITLE_WEIGHT);
            add(d.language, &d.body, 1.0);
            for p in &d.phrasings {
                add(d.language, p, TITLE_WEIGHT);
            }
            if let Some(t) = &d.translated {
                let other = text::other(d.language);
                add(other, &t.title, TITLE_WEIGHT);
                add(other, &t.body, 1.0);
            }
            for (term, f) in tf {
                postings.entry(term).or_default().push((n, f));
            }
            docs.push(DocStats { id: d.id, len });
            vectors.push(d.vectors.clone());
        }
        let avg_len = if docs.is_empty() {
            1.0
        } else {
            docs.iter().map(|d| d.len).sum::<f32>() / docs.len() as f32
        };
        Index {
            docs,
            postings,
            surface,
            synonyms: synonyms(),
            avg_len: avg_len.max(1.0),
            vectors,
            encoder,
        }
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The corpus size word weights are computed for: a small help center
    /// weighs its words as if it had `MIN_CORPUS` articles, so a word in
    /// one of its five articles is not mistaken for a common one.
    fn corpus(&self) -> f32 {
        (self.docs.len() as f32).max(MIN_CORPUS)
    }

    fn idf(&self, term: &TaggedTerm) -> f32 {
        let n = self.corpus();
        let df = self.postings.get(term).map_or(0, Vec::len) as f32;
        ((n - df + 0.5) / (df + 0.5) + 1.0).ln()
    }

    /// The weight of a word no document holds: as rare as a word can be.
    fn unknown_weight(&self) -> f32 {
        let n = self.corpus();
        ((n + 0.5) / 0.5).ln()
    }

    /// A message's content words and the terms each is looked up as.
    pub fn analyse(&self, message: &str) -> Analysed {
        let words = content_words(message);
        let mut variants = Vec::with_capacity(words.len());
        let mut weights = Vec::with_capacity(words.len());
        let mut known = 0;
        for w in &words {
            let mut own = query_variants(w);
            if !own.iter().any(|t| self.postings.contains_key(t)) {
                let near = self.nearest(w);
                if !near.is_empty() {
                    own = near;
                }
            }
            let mut v: Vec<(TaggedTerm, f32)> = Vec::new();
            for t in &own {
                if self.postings.contains_key(t) {
                    v.push((t.clone(), 1.0));
                }
                for s in self.synonyms.get(t).map_or(&[][..], Vec::as_slice) {
                    if self.postings.contains_key(s) && !v.iter().any(|(x, _)| x == s) {
                        v.push((s.clone(), SYNONYM_WEIGHT));
                    }
                }
            }
            if v.is_empty() {
                weights.push(self.unknown_weight());
            } else {
                known += 1;
                weights.push(v.iter().map(|(t, _)| self.idf(t)).fold(0.0_f32, f32::max));
            }
            variants.push(v);
        }
        let vector = self
            .encoder
            .as_ref()
            .filter(|_| self.vectors.iter().any(|v| !v.is_empty()))
            .map(|e| e.encode(message));
        Analysed {
            words,
            variants,
            weights,
            known,
            vector,
        }
    }

    /// The corpus's terms for the words nearest a word it does not know:
    /// one letter off (two for long words), or the word cut short.
    fn nearest(&self, word: &str) -> Vec<TaggedTerm> {
        let n = word.chars().count();
        if n < 4 {
            return Vec::new();
        }
        let max = if n >= 8 { 2 } else { 1 };
        let mut best: Option<(usize, Vec<TaggedTerm>)> = None;
        for (w, terms) in &self.surface {
            let m = w.chars().count();
            if m.abs_diff(n) > max || m < 4 {
                continue;
            }
            let d = text::edit_distance(word, w, max);
            if d > max {
                continue;
            }
            match &mut best {
                Some((bd, bt)) if *bd == d => {
                    for t in terms {
                        if !bt.contains(t) {
                            bt.push(t.clone());
                        }
                    }
                }
                Some((bd, _)) if *bd < d => {}
                _ => best = Some((d, terms.clone())),
            }
        }
        best.map(|(_, t)| t).unwrap_or_default()
    }

    /// The articles for a message, best first, at most `limit`. Without
    /// the encoder, by BM25; with it, by the sum of the two signals'
    /// z-scores over the help center (BM25, and the best cosine of the
    /// message's vector with the article's).
    pub fn rank(&self, a: &Analysed, limit: usize) -> Vec<Ranked> {
        let total: f32 = a.weights.iter().sum();
        let n = self.docs.len();
        // Per document: BM25 score, and the weight of the words it holds.
        let mut lexical = vec![(0.0f32, 0.0f32); n];
        if total > 0.0 {
            for (i, vs) in a.variants.iter().enumerate() {
                // A word counts once per document: its best variant there.
                let mut best: HashMap<u32, f32> = HashMap::new();
                for (t, weight) in vs {
                    let idf = self.idf(t) * weight;
                    for &(doc, tf) in self.postings.get(t).map_or(&[][..], Vec::as_slice) {
                        let len = self.docs[doc as usize].len;
                        let s =
                            idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len / self.avg_len));
                        let e = best.entry(doc).or_default();
                        *e = e.max(s);
                    }
                }
                for (doc, s) in best {
                    let e = &mut lexical[doc as usize];
                    e.0 += s;
                    e.1 += a.weights[i];
                }
            }
        }
        let similarity: Vec<f32> = match &a.vector {
            Some(q) => self
                .vectors
                .iter()
                .map(|vs| {
                    vs.iter()
                        .map(|v| encoder::cosine(q, v))
                        .fold(0.0f32, f32::max)
                })
                .collect(),
            None => vec![0.0; n],
        };
        let semantic = a.vector.is_some();
        let bm25: Vec<f32> = lexical.iter().map(|l| l.0).collect();
        let (zb, zs) = (z_scores(&bm25), z_scores(&similarity));
        let rarest = self.unknown_weight().max(f32::EPSILON);
        let mut ranked: Vec<(f32, Ranked)> = (0..n)
            .filter(|&d| lexical[d].0 > 0.0 || (semantic && similarity[d] > 0.0))
            .map(|d| {
                let (s, held) = lexical[d];
                // Equal weights: tuning them on our own set would only fit it.
                let fused = if semantic { zb[d] + zs[d] } else { s };
                let r = Ranked {
                    id: self.docs[d].id,
                    score: s,
                    coverage: if total > 0.0 { held / total } else { 0.0 },
                    strength: s / rarest,
                    similarity: similarity[d],
                    semantic,
                };
                (fused, r)
            })
            .collect();
        ranked.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.id.cmp(&y.1.id)));
        ranked.truncate(limit);
        ranked.into_iter().map(|(_, r)| r).collect()
    }
}

/// Each value's distance from the mean in standard deviations (all 0
/// when they are all equal).
fn z_scores(values: &[f32]) -> Vec<f32> {
    let n = values.len().max(1) as f32;
    let mean = values.iter().sum::<f32>() / n;
    let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f32>() / n).sqrt();
    if sd <= f32::EPSILON {
        return vec![0.0; values.len()];
    }
    values.iter().map(|v| (v - mean) / sd).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: i64, language: Language, title: &str, body: &str) -> Document {
        Document {
            id,
            language,
            title: title.into(),
            body: body.into(),
            translated: None,
            phrasings: Vec::new(),
            vectors: Vec::new(),
        }
    }

    #[test]
    fn authors_phrasings_count_as_the_title() {
        let mut pw = doc(
            1,
            Language::Spanish,
            "Cambiar la contraseña",
            "Pulsa «Cambiar».",
        );
        let other = doc(2, Language::Spanish, "Envíos", "Enviamos en 48 horas.");
        let index = Index::build(&[pw.clone(), other.clone()], None);
        let top = |i: &Index, m: &str| i.rank(&i.analyse(m), 1).first().map(|r| r.id);
        assert_eq!(top(&index, "me he quedado fuera"), None);
        pw.phrasings = phrasings_of("me he quedado fuera de mi cuenta\n\n   \n");
        assert_eq!(pw.phrasings.len(), 1);
        let index = Index::build(&[pw, other], None);
        assert_eq!(top(&index, "me he quedado fuera"), Some(1));
    }

    #[test]
    fn ranks_by_meaning_words_in_either_language_with_typos() {
        let mut pay = doc(
            1,
            Language::Spanish,
            "Métodos de pago",
            "Aceptamos tarjeta, PayPal y Bizum.",
        );
        pay.translated = Some(Translated {
            title: "Payment methods".into(),
            body: "We accept card, PayPal and Bizum.".into(),
        });
        let pw = doc(
            2,
            Language::English,
            "Reset your password",
            "Use the link on the sign-in page to reset your password.",
        );
        let index = Index::build(&[pay, pw], None);
        let top = |m: &str| index.rank(&index.analyse(m), 3).first().map(|r| r.id);
        assert_eq!(top("que metodos de pago aceptais"), Some(1));
        assert_eq!(
            top("which payment methods"),
            Some(1),
            "through the translation"
        );
        assert_eq!(top("forgot my pasword"), Some(2), "one letter off");
        assert_eq!(top("lorem ipsum"), None);
        let a = index.analyse("reset password please");
        let r = index.rank(&a, 1);
        assert!(r[0].coverage > 0.6, "{r:?}");
    }
}
