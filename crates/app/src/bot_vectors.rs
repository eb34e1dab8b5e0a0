//! The answer bot's second signal: what articles and questions mean, as
//! sentence vectors (the `answer` crate's encoder). The encoder is loaded
//! from the models folder on first use (never fetched: see
//! `scripts/install-models.sh`); article vectors are made in the
//! background when a text is saved and stored, so every node reads them
//! instead of encoding the help center again.

use crate::sanitize::html_to_text;
use crate::{App, AppError};
use answer::Encoder;
pub use answer::encoder::models_from_env;
use domain::{Timestamp, TranslationId};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use store::repo::answer_bot as repo;

/// The name stored with each vector: vectors of another model are made
/// again.
pub const MODEL: &str = "use-multilingual-v3/6bit";
/// Article texts encoded per batch.
const ENCODE_BATCH: i64 = 50;

/// Where the encoder's files are, and the encoder once loaded.
#[derive(Default)]
pub struct SentenceEncoder {
    models: Option<PathBuf>,
    loaded: OnceLock<Option<Arc<Encoder>>>,
}

impl SentenceEncoder {
    /// The encoder under a models folder (loaded when first needed).
    pub fn at(models: PathBuf) -> SentenceEncoder {
        SentenceEncoder {
            models: Some(models),
            loaded: OnceLock::new(),
        }
    }

    /// Whether its files are installed (without loading them).
    pub fn installed(&self) -> bool {
        self.models.as_ref().is_some_and(|m| {
            m.join(answer::encoder::FOLDER)
                .join("weights.npz")
                .is_file()
        })
    }

    /// The encoder, loading it on the first call (blocking: about a
    /// second); `None` when not installed or unreadable (logged once).
    pub fn get(&self) -> Option<Arc<Encoder>> {
        self.loaded
            .get_or_init(|| {
                let models = self.models.as_ref()?;
                match Encoder::find(models)? {
                    Ok(e) => Some(Arc::new(e)),
                    Err(e) => {
                        tracing::warn!(error = %e, "answer bot: the sentence encoder does not load");
                        None
                    }
                }
            })
            .clone()
    }
}

/// Vectors as stored: little-endian `f32`s, one vector after the other.
pub(crate) fn to_bytes(vectors: &[Vec<f32>]) -> Vec<u8> {
    vectors
        .iter()
        .flat_map(|v| v.iter().flat_map(|x| x.to_le_bytes()))
        .collect()
}

/// Stored vectors back (none if the size is not whole vectors).
pub(crate) fn from_bytes(bytes: &[u8]) -> Vec<Vec<f32>> {
    let width = answer::encoder::DIM * 4;
    if bytes.is_empty() || !bytes.len().is_multiple_of(width) {
        return Vec::new();
    }
    bytes
        .chunks_exact(width)
        .map(|v| {
            v.chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect()
        })
        .collect()
}

impl App {
    /// The sentence encoder, loaded off the async threads on first use.
    pub(crate) async fn sentence_encoder(&self) -> Option<Arc<Encoder>> {
        if let Some(loaded) = self.meaning.loaded.get() {
            return loaded.clone();
        }
        if !self.meaning.installed() {
            return None;
        }
        let meaning = self.meaning.clone();
        tokio::task::spawn_blocking(move || meaning.get())
            .await
            .ok()
            .flatten()
    }

    /// Makes the sentence vectors of article texts that have none (or
    /// changed since): a batch; returns how many. Nothing without the
    /// encoder.
    pub async fn encode_pending_articles(&self) -> Result<usize, AppError> {
        let Some(encoder) = self.sentence_encoder().await else {
            return Ok(0);
        };
        let pending = {
            let mut rc = self.read().await?;
            repo::unencoded(&mut rc.conn(), MODEL, ENCODE_BATCH).await?
        };
        if pending.is_empty() {
            return Ok(0);
        }
        let rows: Vec<(TranslationId, Vec<u8>, Timestamp)> =
            tokio::task::spawn_blocking(move || {
                pending
                    .iter()
                    .map(|p| {
                        let mut texts = answer::article_texts(&p.title, &html_to_text(&p.body));
                        texts.extend(answer::phrasings_of(&p.phrasings));
                        let vectors: Vec<Vec<f32>> =
                            texts.iter().map(|t| encoder.encode(t)).collect();
                        (p.translation, to_bytes(&vectors), p.updated_at)
                    })
                    .collect()
            })
            .await
            .map_err(|e| AppError::Unavailable(e.to_string()))?;
        let done = rows.len();
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                for (id, vectors, source) in rows {
                    repo::save_vectors(c, id, MODEL, vectors, source, now).await?;
                }
                Ok(())
            })
        })
        .await?;
        self.bot.forget();
        Ok(done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors_survive_storage_and_bad_sizes_are_none() {
        let v = vec![
            vec![0.5f32; answer::encoder::DIM],
            vec![-1.0; answer::encoder::DIM],
        ];
        assert_eq!(from_bytes(&to_bytes(&v)), v);
        assert!(from_bytes(&[1, 2, 3]).is_empty());
        assert!(!SentenceEncoder::default().installed());
        assert!(SentenceEncoder::default().get().is_none());
    }
}
