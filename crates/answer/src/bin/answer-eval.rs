//! Measures the answer bot on the bilingual evaluation set
//! (`eval/answer_bot/`): top-1, top-3, MRR, correct and false hand-over,
//! and end-to-end accuracy, split by same-language, cross-language and
//! code-switched messages. Articles are machine-translated with Apertium
//! when it is installed (cached under `target/answer-eval/`).
//!
//! With `--scale N` it measures speed instead: the help center grown to N
//! articles (the set's own plus articles recombined from their sentences),
//! all machine-translated, then the time to translate and index them, the
//! time per question (p50, p99) and the process's memory.
//!
//! With `--intents CSV` the messages are the support-intents utterances
//! (English; `utterance,intent,language`), each expecting the article its
//! intent maps to in `intent-map.tsv`, or a hand-over.
//!
//! usage: answer-eval [EVAL_DIR] [--no-translation] [--show-misses]
//!        [--min-confidence=X] [--scale N] [--intents CSV] [--no-encoder]
//!
//! The sentence encoder is read from `ATIENDE_MODELS` where installed
//! (`scripts/install-models.sh`).

use answer::apertium::Apertium;
use answer::{Document, Encoder, Index, Thresholds, Translated, asks_for_person, decide};
use search::analyze::Language;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

#[derive(Deserialize)]
struct Article {
    key: String,
    locale: String,
    title: String,
    body: String,
}

#[derive(Deserialize)]
struct Message {
    text: String,
    answer: Option<String>,
    kind: String,
}

fn read_lines<T: for<'de> Deserialize<'de>>(path: &std::path::Path) -> Vec<T> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{}: {e}: {l}", path.display())))
        .collect()
}

/// Machine translations of the articles, from the cache or from Apertium.
fn translations(
    articles: &[Article],
    cache: &std::path::Path,
) -> HashMap<String, (String, String)> {
    let mut known: HashMap<String, (String, String)> = std::fs::read_to_string(cache)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let key = cache_key;
    let missing: Vec<&Article> = articles
        .iter()
        .filter(|a| !known.contains_key(&key(a)))
        .collect();
    if missing.is_empty() {
        return known;
    }
    let Some(mt) = Apertium::find() else {
        eprintln!("apertium is not installed: articles are not translated");
        return known;
    };
    for lang in [Language::Spanish, Language::English] {
        let batch: Vec<&&Article> = missing
            .iter()
            .filter(|a| language(&a.locale) == lang)
            .collect();
        let texts: Vec<String> = batch
            .iter()
            .flat_map(|a| [a.title.clone(), a.body.clone()])
            .collect();
        match mt.translate(lang, &texts) {
            Ok(out) => {
                for (a, pair) in batch.iter().zip(out.chunks(2)) {
                    known.insert(key(a), (pair[0].clone(), pair[1].clone()));
                }
            }
            Err(e) => eprintln!("{e}"),
        }
    }
    if let Some(dir) = cache.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let _ = std::fs::write(cache, serde_json::to_string(&known).unwrap_or_default());
    known
}

fn language(locale: &str) -> Language {
    if locale.starts_with("es") {
        Language::Spanish
    } else {
        Language::English
    }
}

#[derive(Default)]
struct Tally {
    n: usize,
    top1: usize,
    top3: usize,
    rr: f64,
    /// Answerable messages the bot handed over.
    false_handover: usize,
    /// Messages decided right end to end (answered with the right article,
    /// or handed over when none answers).
    right: usize,
    /// Unanswerable messages handed over.
    correct_handover: usize,
}

/// The fields of one CSV line (quoted fields may hold commas and `""`).
fn csv_fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                if let Some(f) = out.last_mut() {
                    f.push('"');
                }
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(String::new()),
            other => {
                if let Some(f) = out.last_mut() {
                    f.push(other);
                }
            }
        }
    }
    out
}

/// The support-intents utterances as messages of this set.
fn intent_messages(dir: &std::path::Path, csv: &str, articles: &[Article]) -> Vec<Message> {
    let map: HashMap<String, String> = std::fs::read_to_string(dir.join("intent-map.tsv"))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t'))
        .map(|(i, k)| (i.trim().to_string(), k.trim().to_string()))
        .collect();
    let text = std::fs::read_to_string(csv).unwrap_or_else(|e| panic!("{csv}: {e}"));
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let f = csv_fields(l);
            let target = map.get(f.get(1)?)?;
            let answer = (target != "handover").then(|| target.clone());
            let kind = match &answer {
                None => "none",
                Some(k) => match articles.iter().find(|a| &a.key == k) {
                    Some(a) if a.locale.starts_with("en") => "same",
                    _ => "cross",
                },
            };
            Some(Message {
                text: f[0].clone(),
                answer,
                kind: kind.to_string(),
            })
        })
        .collect()
}

/// The key of an article's translation in the cache.
fn cache_key(a: &Article) -> String {
    format!("{}\u{1}{}\u{1}{}", a.locale, a.title, a.body)
}

/// The articles as the bot reads them (ids are their positions), with the
/// machine translations there are.
fn documents(
    articles: &[Article],
    mt: &HashMap<String, (String, String)>,
    encoder: Option<&Encoder>,
) -> Vec<Document> {
    articles
        .iter()
        .enumerate()
        .map(|(i, a)| Document {
            vectors: encoder.map_or_else(Vec::new, |e| {
                answer::article_texts(&a.title, &a.body)
                    .iter()
                    .map(|t| e.encode(t))
                    .collect()
            }),
            id: i as i64,
            phrasings: Vec::new(),
            language: language(&a.locale),
            title: a.title.clone(),
            body: a.body.clone(),
            translated: mt.get(&cache_key(a)).map(|(t, b)| Translated {
                title: t.clone(),
                body: b.clone(),
            }),
        })
        .collect()
}

/// Resident memory of this process, in MiB (Linux).
fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .nth(1)
                .and_then(|p| p.parse::<f64>().ok())
        })
        .map_or(0.0, |pages| pages * 4096.0 / 1_048_576.0)
}

/// `n` articles: the set's, then new ones made of sentences of theirs
/// (same language), deterministic.
fn grown(articles: &[Article], n: usize) -> Vec<Article> {
    let mut out: Vec<Article> = articles
        .iter()
        .map(|a| Article {
            key: a.key.clone(),
            locale: a.locale.clone(),
            title: a.title.clone(),
            body: a.body.clone(),
        })
        .collect();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |m: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % m as u64) as usize
    };
    while out.len() < n {
        let a = &articles[next(articles.len())];
        let same: Vec<&Article> = articles.iter().filter(|b| b.locale == a.locale).collect();
        let mut body = String::new();
        for _ in 0..5 {
            let b = same[next(same.len())];
            let sentences: Vec<&str> = b.body.split(". ").collect();
            body.push_str(sentences[next(sentences.len())]);
            body.push_str(". ");
        }
        let t = same[next(same.len())];
        out.push(Article {
            key: format!("{}-{}", a.key, out.len()),
            locale: a.locale.clone(),
            title: format!("{} ({})", t.title, out.len()),
            body,
        });
    }
    out
}

/// The sentence encoder from `ATIENDE_MODELS`, unless `--no-encoder`.
fn encoder(args: &[String]) -> Option<Arc<Encoder>> {
    if args.iter().any(|a| a == "--no-encoder") {
        return None;
    }
    let Some(models) = answer::encoder::models_from_env() else {
        eprintln!("ATIENDE_MODELS is not set: no sentence encoder");
        return None;
    };
    match Encoder::find(&models) {
        Some(Ok(e)) => Some(Arc::new(e)),
        Some(Err(e)) => panic!("the encoder does not load: {e}"),
        None => {
            eprintln!(
                "no encoder under {}: run scripts/install-models.sh",
                models.display()
            );
            None
        }
    }
}

fn scale(articles: &[Article], messages: &[Message], n: usize, encoder: Option<Arc<Encoder>>) {
    println!(
        "process memory with the encoder loaded (or not): {:.0} MiB",
        rss_mib()
    );
    let all = grown(articles, n);
    let started = Instant::now();
    let mt = translations(
        &all,
        std::path::Path::new(&format!("target/answer-eval/translations-{n}.json")),
    );
    let translated_in = started.elapsed();
    let before = rss_mib();
    let t0 = Instant::now();
    let docs = documents(&all, &mt, encoder.as_deref());
    let encoded = t0.elapsed();
    let t0 = Instant::now();
    let index = Index::build(&docs, encoder.clone());
    let built = t0.elapsed();
    let mut times = Vec::new();
    for _ in 0..5 {
        for m in messages {
            let t = Instant::now();
            let asked = asks_for_person(&m.text);
            let a = index.analyse(&m.text);
            let r = index.rank(&a, 12);
            let _ = decide(asked, &a, &r, Thresholds::default());
            times.push(t.elapsed());
        }
    }
    times.sort();
    let pct = |q: f64| times[((times.len() as f64 - 1.0) * q) as usize].as_secs_f64() * 1e3;
    println!(
        "{} articles ({} machine-translated; translating took {:.1} s, 0 when cached), \
         encoded in {:.1} s ({}), index built in {:.0} ms, \
         {} questions: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms; memory {:.0} MiB (index and vectors {:.0} MiB)",
        all.len(),
        docs.iter().filter(|d| d.translated.is_some()).count(),
        translated_in.as_secs_f64(),
        encoded.as_secs_f64(),
        if encoder.is_some() {
            "sentence encoder"
        } else {
            "no encoder"
        },
        built.as_secs_f64() * 1e3,
        times.len(),
        pct(0.5),
        pct(0.99),
        pct(1.0),
        rss_mib(),
        rss_mib() - before,
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // The one argument that is neither a flag nor a flag's value.
    let takes_value = ["--scale", "--intents"];
    let dir = args
        .iter()
        .enumerate()
        .find(|(i, a)| {
            !a.starts_with("--") && (*i == 0 || !takes_value.contains(&args[i - 1].as_str()))
        })
        .map_or_else(
            || std::path::PathBuf::from("eval/answer_bot"),
            |(_, a)| std::path::PathBuf::from(a),
        );
    let translate = !args.iter().any(|a| a == "--no-translation");
    let show = args.iter().any(|a| a == "--show-misses");
    let thresholds = args
        .iter()
        .find_map(|a| a.strip_prefix("--min-confidence="))
        .and_then(|v| v.parse().ok())
        .map_or_else(Thresholds::default, |min| Thresholds {
            min_confidence: min,
            min_confidence_with_meaning: min,
        });
    let dump = args.iter().any(|a| a == "--dump");
    let articles: Vec<Article> = read_lines(&dir.join("articles.jsonl"));
    let messages: Vec<Message> = match args
        .iter()
        .position(|a| a == "--intents")
        .and_then(|i| args.get(i + 1))
    {
        Some(csv) => intent_messages(&dir, csv, &articles),
        None => read_lines(&dir.join("messages.jsonl")),
    };
    if let Some(n) = args
        .iter()
        .position(|a| a == "--scale")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse::<usize>().ok())
    {
        scale(&articles, &messages, n, encoder(&args));
        return;
    }
    let mt = if translate {
        translations(
            &articles,
            std::path::Path::new("target/answer-eval/translations.json"),
        )
    } else {
        HashMap::new()
    };
    let encoder = encoder(&args);
    let docs = documents(&articles, &mt, encoder.as_deref());
    let translated = docs.iter().filter(|d| d.translated.is_some()).count();
    let started = Instant::now();
    let index = Index::build(&docs, encoder.clone());
    let built = started.elapsed();
    let mut tallies: HashMap<&str, Tally> = HashMap::new();
    let mut times = Vec::new();
    for m in &messages {
        let t0 = Instant::now();
        let asked = asks_for_person(&m.text);
        let analysed = index.analyse(&m.text);
        let ranked = index.rank(&analysed, 3);
        let d = decide(asked, &analysed, &ranked, thresholds);
        times.push(t0.elapsed());
        let expected = m
            .answer
            .as_ref()
            .and_then(|k| articles.iter().position(|a| &a.key == k));
        let kind = m.kind.as_str();
        for group in [kind, "all"] {
            let t = tallies.entry(group).or_default();
            t.n += 1;
            match expected {
                Some(e) => {
                    let pos = ranked.iter().position(|r| r.id == e as i64);
                    t.top1 += usize::from(pos == Some(0));
                    t.top3 += usize::from(pos.is_some_and(|p| p < 3));
                    t.rr += pos.map_or(0.0, |p| 1.0 / (p as f64 + 1.0));
                    t.false_handover += usize::from(d.handover);
                    t.right += usize::from(!d.handover && pos == Some(0));
                }
                None => {
                    t.correct_handover += usize::from(d.handover);
                    t.right += usize::from(d.handover);
                }
            }
        }
        if dump {
            let e = expected.map(|e| e as i64);
            println!(
                "DUMP\t{kind}\t{}\t{:.3}\t{:.3}\t{}\t{}\t{:.3}\t{:.3}\t{:.3}",
                i32::from(ranked.first().map(|r| r.id) == e),
                ranked.first().map_or(0.0, |r| r.coverage),
                ranked.first().map_or(0.0, answer::confidence),
                analysed.known,
                analysed.words.len(),
                ranked.get(1).map_or(0.0, |r| r.score),
                ranked.first().map_or(0.0, |r| r.similarity),
                ranked.get(1).map_or(0.0, |r| r.similarity),
            );
        }
        if show {
            let top = ranked
                .first()
                .map_or("-", |r| articles[r.id as usize].key.as_str());
            let wrong = match expected {
                Some(e) => d.handover || ranked.first().map(|r| r.id) != Some(e as i64),
                None => !d.handover,
            };
            if wrong {
                println!(
                    "MISS [{kind}] {:?} → {top} ({:?}, confidence {:.2}, similarity {:.2}) want {}",
                    m.text,
                    d.reason,
                    ranked.first().map_or(0.0, answer::confidence),
                    ranked.first().map_or(0.0, |r| r.similarity),
                    m.answer.as_deref().unwrap_or("hand-over")
                );
                for r in index.rank(&analysed, 40).iter().take(3) {
                    println!(
                        "      {:<22} bm25 {:>6.2} coverage {:.2} similarity {:.2}",
                        articles[r.id as usize].key, r.score, r.coverage, r.similarity
                    );
                }
                if let Some(e) = expected {
                    let all = index.rank(&analysed, 40);
                    if let Some((p, r)) = all.iter().enumerate().find(|(_, r)| r.id == e as i64) {
                        println!(
                            "      want at {}: bm25 {:.2} coverage {:.2} similarity {:.2}",
                            p + 1,
                            r.score,
                            r.coverage,
                            r.similarity
                        );
                    }
                }
            }
        }
    }
    times.sort();
    let pct = |q: f64| times[((times.len() as f64 - 1.0) * q) as usize];
    println!(
        "{} articles ({} machine-translated), {} messages; index built in {:.1} ms; per message p50 {:.3} ms, p99 {:.3} ms",
        articles.len(),
        translated,
        messages.len(),
        built.as_secs_f64() * 1e3,
        pct(0.5).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3
    );
    println!(
        "{:<8} {:>5} {:>6} {:>6} {:>6} {:>10} {:>10} {:>10}",
        "group", "n", "top-1", "top-3", "MRR", "false h-o", "correct h-o", "end-to-end"
    );
    for group in ["same", "cross", "mixed", "none", "all"] {
        let Some(t) = tallies.get(group) else {
            continue;
        };
        let answerable = t.n
            - if group == "none" {
                t.n
            } else if group == "all" {
                tallies.get("none").map_or(0, |x| x.n)
            } else {
                0
            };
        let unanswerable = t.n - answerable;
        let ratio = |a: usize, b: usize| {
            if b == 0 {
                "-".to_string()
            } else {
                format!("{:.3}", a as f64 / b as f64)
            }
        };
        println!(
            "{:<8} {:>5} {:>6} {:>6} {:>6} {:>10} {:>10} {:>10}",
            group,
            t.n,
            ratio(t.top1, answerable),
            ratio(t.top3, answerable),
            if answerable == 0 {
                "-".into()
            } else {
                format!("{:.3}", t.rr / answerable as f64)
            },
            ratio(t.false_handover, answerable),
            ratio(t.correct_handover, unanswerable),
            ratio(t.right, t.n),
        );
    }
}
