//! Machine translation of the articles (Apertium, offline) and the
//! background loop that keeps translations, sentence vectors and the
//! index fresh.

use crate::sanitize::html_to_text;
use crate::{App, AppError};
use domain::Timestamp;
use search::analyze::Language;
use std::sync::Arc;
use std::time::Duration;
use store::repo::answer_bot as repo;

use super::language_of;

/// Translates article texts between Spanish and English, offline (the
/// Apertium process; tests may bring their own).
pub trait Translator: Send + Sync {
    /// One result per text, from `from` into the other language.
    fn translate(&self, from: Language, texts: &[String]) -> Result<Vec<String>, String>;
}

impl Translator for answer::apertium::Apertium {
    fn translate(&self, from: Language, texts: &[String]) -> Result<Vec<String>, String> {
        answer::apertium::Apertium::translate(self, from, texts).map_err(|e| e.to_string())
    }
}

/// Apertium, when installed (`apertium` with the English–Spanish pair):
/// the bot then also reads each article in the other language.
pub fn installed_translator() -> Option<Arc<dyn Translator>> {
    answer::apertium::Apertium::find().map(|a| Arc::new(a) as Arc<dyn Translator>)
}

/// Article texts machine-translated per batch.
const TRANSLATE_BATCH: i64 = 100;

impl App {
    /// Machine-translates article texts that have no translation yet (or
    /// changed since): a batch; returns how many were translated. Nothing
    /// without a translator.
    pub async fn machine_translate_pending(&self) -> Result<usize, AppError> {
        let Some(translator) = self.translator.clone() else {
            return Ok(0);
        };
        let pending = {
            let mut rc = self.read().await?;
            repo::untranslated(&mut rc.conn(), TRANSLATE_BATCH).await?
        };
        let mut done = 0;
        for lang in [Language::Spanish, Language::English] {
            let batch: Vec<_> = pending
                .iter()
                .filter(|p| language_of(&p.locale) == lang)
                .cloned()
                .collect();
            if batch.is_empty() {
                continue;
            }
            let texts: Vec<String> = batch
                .iter()
                .flat_map(|p| [p.title.clone(), html_to_text(&p.body)])
                .collect();
            let t = translator.clone();
            let out = tokio::task::spawn_blocking(move || t.translate(lang, &texts))
                .await
                .map_err(|e| AppError::Unavailable(e.to_string()))?
                .map_err(AppError::Unavailable)?;
            let target = match lang {
                Language::Spanish => "en-us",
                Language::English => "es",
            };
            let now = Timestamp::now();
            let rows: Vec<(domain::TranslationId, String, String, Timestamp)> = batch
                .iter()
                .zip(out.chunks(2))
                .filter_map(|(p, pair)| match pair {
                    [title, body] => {
                        Some((p.translation, title.clone(), body.clone(), p.updated_at))
                    }
                    _ => None,
                })
                .collect();
            done += rows.len();
            self.write(move |c| {
                Box::pin(async move {
                    for (id, title, body, source) in &rows {
                        repo::save_machine_translation(c, *id, target, title, body, *source, now)
                            .await?;
                    }
                    Ok(())
                })
            })
            .await?;
            self.bot.forget();
        }
        Ok(done)
    }
}

/// Keeps the machine translations and the sentence vectors of the
/// articles up to date for as long as the process lives: a batch every few
/// seconds while there is work, on the node holding the lease; and keeps
/// this node's index of the help center warm.
pub fn spawn_machine_translation(app: App, node: String) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        // The encoder is loaded now, not by the first question.
        let _ = app.sentence_encoder().await;
        loop {
            tokio::time::sleep(Duration::from_secs(5)).await;
            // Every node keeps its index warm, so a question after a
            // change seldom waits for the rebuild.
            if let Err(e) = app.bot_index().await {
                tracing::warn!(error = %e, "the answer bot's index could not be rebuilt");
            }
            if app.translator.is_none() && !app.meaning.installed() {
                continue;
            }
            match app.take_lease("machine_translation", &node, 60).await {
                Ok(true) => {}
                _ => continue,
            }
            loop {
                match app.machine_translate_pending().await {
                    Ok(0) => break,
                    Ok(n) => tracing::info!(n, "articles machine-translated"),
                    Err(e) => {
                        tracing::warn!(error = %e, "machine translation failed");
                        break;
                    }
                }
            }
            loop {
                match app.encode_pending_articles().await {
                    Ok(0) => break,
                    Ok(n) => tracing::info!(n, "articles encoded for the answer bot"),
                    Err(e) => {
                        tracing::warn!(error = %e, "encoding articles failed");
                        break;
                    }
                }
            }
        }
    })
}
