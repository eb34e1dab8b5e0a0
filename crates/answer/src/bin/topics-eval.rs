//! Measures how "frequent problems" groups tickets by their text
//! (`answer::cluster`): the bilingual evaluation set's messages that an
//! article answers (`eval/answer_bot/messages.jsonl`, the article as the
//! label), in a fixed shuffled order as tickets would arrive, grouped at
//! several join thresholds; prints topics, purity and completeness.
//!
//! With `--intents CSV` the support-intents utterances (`utterance,intent`)
//! are measured too, the first 40 of each intent.
//!
//! usage: topics-eval [EVAL_DIR] [--intents CSV] [--no-encoder]
//!
//! The sentence encoder is read from `ATIENDE_MODELS`.

use answer::Encoder;
use answer::cluster::{Centre, JOIN, JOIN_HASHED, agreement, hashed_vector, place};
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Deserialize)]
struct Message {
    text: String,
    answer: Option<String>,
}

/// A fixed shuffle (a linear congruential generator; the same every run).
fn shuffled<T>(mut items: Vec<T>) -> Vec<T> {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for i in (1..items.len()).rev() {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        items.swap(i, (state >> 33) as usize % (i + 1));
    }
    items
}

fn measure(name: &str, labelled: &[(String, String)], encoder: Option<&Encoder>) {
    let started = std::time::Instant::now();
    let vectors: Vec<Vec<f32>> = labelled
        .iter()
        .map(|(text, _)| match encoder {
            Some(e) => e.encode(text),
            None => hashed_vector(text),
        })
        .collect();
    let encoding = started.elapsed();
    let labels = labelled
        .iter()
        .map(|(_, l)| l.as_str())
        .collect::<std::collections::HashSet<_>>()
        .len();
    println!(
        "{name}: {} texts, {labels} problems, {:.2} ms a text to encode ({})",
        labelled.len(),
        encoding.as_secs_f64() * 1e3 / labelled.len().max(1) as f64,
        if encoder.is_some() {
            "sentence encoder"
        } else {
            "hashed stems"
        }
    );
    let chosen = if encoder.is_some() { JOIN } else { JOIN_HASHED };
    for join in [0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70] {
        let mut centres: Vec<Centre> = Vec::new();
        let pairs: Vec<(&str, usize)> = labelled
            .iter()
            .zip(&vectors)
            .map(|((_, label), v)| (label.as_str(), place(&mut centres, v.clone(), join)))
            .collect();
        let (purity, completeness) = agreement(&pairs);
        let big = {
            let mut sizes: HashMap<usize, usize> = HashMap::new();
            for (_, t) in &pairs {
                *sizes.entry(*t).or_default() += 1;
            }
            sizes.values().filter(|n| **n >= 3).count()
        };
        println!(
            "  join {join:.2}{}: {} topics ({big} of 3+), purity {purity:.3}, completeness {completeness:.3}",
            if (join - chosen).abs() < 1e-6 {
                " (chosen)"
            } else {
                ""
            },
            centres.len()
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = args
        .iter()
        .enumerate()
        .find(|(i, a)| !a.starts_with("--") && (*i == 0 || args[i - 1] != "--intents"))
        .map_or_else(
            || std::path::PathBuf::from("eval/answer_bot"),
            |(_, a)| std::path::PathBuf::from(a),
        );
    let encoder = if args.iter().any(|a| a == "--no-encoder") {
        None
    } else {
        answer::encoder::models_from_env()
            .and_then(|m| Encoder::find(&m))
            .map(|e| e.unwrap_or_else(|e| panic!("the encoder does not load: {e}")))
    };
    let path = dir.join("messages.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let own: Vec<(String, String)> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| serde_json::from_str::<Message>(l).ok())
        .filter_map(|m| Some((m.text, m.answer?)))
        .collect();
    measure("our set", &shuffled(own), encoder.as_ref());
    if let Some(csv) = args
        .iter()
        .position(|a| a == "--intents")
        .and_then(|i| args.get(i + 1))
    {
        let text = std::fs::read_to_string(csv).unwrap_or_else(|e| panic!("{csv}: {e}"));
        let mut per: HashMap<String, usize> = HashMap::new();
        let rows: Vec<(String, String)> = text
            .lines()
            .skip(1)
            .filter_map(|l| {
                let mut f = l.rsplitn(3, ',');
                let (_lang, intent, utterance) = (f.next()?, f.next()?, f.next()?);
                let n = per.entry(intent.to_string()).or_default();
                *n += 1;
                (*n <= 40).then(|| (utterance.trim_matches('"').to_string(), intent.to_string()))
            })
            .collect();
        measure("support-intents", &shuffled(rows), encoder.as_ref());
    }
}
