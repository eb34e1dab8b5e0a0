//! Measures the answer bot on the bilingual evaluation set
//! (`eval/answer_bot/`): top-1, top-3, MRR, correct and false hand-over,
//! and end-to-end accuracy, split by same-language, cross-language and
//! code-switched messages. Articles are machine-translated with Apertium
//! when it is installed (cached under `target/answer-eval/`).
//!
//! usage: answer-eval [EVAL_DIR] [--no-translation] [--show-misses]

use answer::apertium::Apertium;
use answer::{Document, Index, Thresholds, Translated, asks_for_person, decide};
use search::analyze::Language;
use serde::Deserialize;
use std::collections::HashMap;
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
    let key = |a: &Article| format!("{}\u{1}{}\u{1}{}", a.locale, a.title, a.body);
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

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = args.iter().find(|a| !a.starts_with("--")).map_or_else(
        || std::path::PathBuf::from("eval/answer_bot"),
        std::path::PathBuf::from,
    );
    let translate = !args.iter().any(|a| a == "--no-translation");
    let show = args.iter().any(|a| a == "--show-misses");
    let thresholds = args
        .iter()
        .find_map(|a| a.strip_prefix("--min-confidence="))
        .and_then(|v| v.parse().ok())
        .map_or_else(Thresholds::default, |min_confidence| Thresholds {
            min_confidence,
        });
    let dump = args.iter().any(|a| a == "--dump");
    let articles: Vec<Article> = read_lines(&dir.join("articles.jsonl"));
    let messages: Vec<Message> = read_lines(&dir.join("messages.jsonl"));
    let mt = if translate {
        translations(
            &articles,
            std::path::Path::new("target/answer-eval/translations.json"),
        )
    } else {
        HashMap::new()
    };
    let docs: Vec<Document> = articles
        .iter()
        .enumerate()
        .map(|(i, a)| Document {
            id: i as i64,
            language: language(&a.locale),
            title: a.title.clone(),
            body: a.body.clone(),
            translated: mt
                .get(&format!("{}\u{1}{}\u{1}{}", a.locale, a.title, a.body))
                .map(|(t, b)| Translated {
                    title: t.clone(),
                    body: b.clone(),
                }),
        })
        .collect();
    let translated = docs.iter().filter(|d| d.translated.is_some()).count();
    let started = Instant::now();
    let index = Index::build(&docs);
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
                "DUMP\t{kind}\t{}\t{:.3}\t{:.3}\t{}\t{}\t{:.3}",
                i32::from(ranked.first().map(|r| r.id) == e),
                ranked.first().map_or(0.0, |r| r.coverage),
                ranked.first().map_or(0.0, answer::confidence),
                analysed.known,
                analysed.words.len(),
                ranked.get(1).map_or(0.0, |r| r.score),
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
                    "MISS [{kind}] {:?} → {top} ({:?}, confidence {:.2}) want {}",
                    m.text,
                    d.reason,
                    ranked.first().map_or(0.0, answer::confidence),
                    m.answer.as_deref().unwrap_or("hand-over")
                );
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
