//! Each folded ticket's topic (`domain::trends`): its category or a
//! telling tag where people set one, else the topic its text joins
//! (`answer::cluster`, with the answer bot's sentence encoder where
//! installed). A ticket's text topic is decided once — on the pass that
//! first folds it — and kept, so counts compare across weeks and a
//! rebuild of the reports does not read the text again.

use crate::bot_vectors::{self, from_bytes};
use crate::{App, AppError};
use answer::cluster::{self, Centre};
use domain::model::Ticket;
use domain::trends::{Topic, TrendSettings, topic_of};
use domain::{FieldId, FieldType, TextTopicId, TicketId, Timestamp};
use std::collections::HashMap;
use store::Conn;
use store::repo::{fields, settings, trends};

/// The setting that holds [`TrendSettings`].
pub(crate) const SETTINGS_KEY: &str = "trends.settings";
/// The model name of the hashed-stems vectors (no encoder installed).
const HASHED: &str = "hashed-stems";
/// The most text topics kept per model; past it a ticket joins the
/// nearest (no topic list anyone reads is that long).
const MAX_TEXT_TOPICS: usize = 5000;
/// The most of a ticket's text read (the encoder reads 256 pieces).
const TEXT_CHARS: usize = 1200;

/// What decides a topic before the text: the category fields and the
/// tags that say nothing.
pub(crate) struct TopicRules {
    categories: Vec<FieldId>,
    ignored: Vec<String>,
}

impl TopicRules {
    pub(crate) async fn read(c: &mut Conn<'_>) -> Result<TopicRules, AppError> {
        let categories = fields::all(c)
            .await?
            .into_iter()
            .filter(|f| f.active && f.field_type == FieldType::Tagger)
            .map(|f| f.id)
            .collect();
        Ok(TopicRules {
            categories,
            ignored: load(c).await?.ignored_tags,
        })
    }

    /// The ticket's topic from what people set, or `None`: its text
    /// decides.
    pub(crate) fn topic(&self, t: &Ticket) -> Option<Topic> {
        topic_of(&t.custom_fields, &self.categories, &t.tags, &self.ignored)
    }
}

/// The text a ticket's topic is read from.
pub(crate) fn text_of(t: &Ticket) -> String {
    format!("{}. {}", t.subject, t.description)
        .chars()
        .take(TEXT_CHARS)
        .collect()
}

pub(crate) async fn load(c: &mut Conn<'_>) -> Result<TrendSettings, AppError> {
    Ok(settings::get(c, SETTINGS_KEY)
        .await?
        .and_then(|raw| serde_json::from_str(&raw).ok())
        .unwrap_or_default())
}

/// A text topic as the pass holds it: stored (`id`) or new, and whether
/// it changed.
struct Held {
    id: Option<TextTopicId>,
    words: Vec<(String, i64)>,
    changed: bool,
}

/// The text topics of one fold pass's tickets, decided in a read and
/// written in the pass's write.
pub(crate) struct TextPlacing {
    model: &'static str,
    centres: Vec<Centre>,
    held: Vec<Held>,
    /// Tickets whose topic was decided before.
    known: HashMap<TicketId, TextTopicId>,
    /// Tickets placed now: the index of their topic in `held`.
    placed: Vec<(TicketId, usize)>,
}

impl TextPlacing {
    /// Writes the new and moved topics and the tickets placed now; every
    /// asked ticket's topic.
    pub(crate) async fn write(
        mut self,
        c: &mut Conn<'_>,
        now: Timestamp,
    ) -> Result<HashMap<TicketId, TextTopicId>, AppError> {
        for (centre, held) in self.centres.iter().zip(self.held.iter_mut()) {
            // New topics are always changed; untouched ones stay as stored.
            if !held.changed {
                continue;
            }
            let bytes = bot_vectors::to_bytes(std::slice::from_ref(&centre.vector));
            match held.id {
                None => {
                    held.id = Some(
                        trends::insert_text_topic(
                            c,
                            self.model,
                            &bytes,
                            centre.size,
                            &held.words,
                            now,
                        )
                        .await?,
                    );
                }
                Some(id) => {
                    trends::update_text_topic(c, id, &bytes, centre.size, &held.words, now).await?;
                }
            }
        }
        let mut topics = self.known;
        for (ticket, i) in self.placed {
            if let Some(id) = self.held[i].id {
                trends::set_text_topic(c, ticket, id, self.model).await?;
                topics.insert(ticket, id);
            }
        }
        Ok(topics)
    }
}

impl App {
    /// Decides the text topics of tickets whose topic nobody set (`texts`:
    /// each ticket's [`text_of`]): those decided before are read, the rest
    /// join the nearest topic or start one.
    pub(crate) async fn place_texts(
        &self,
        texts: Vec<(TicketId, String)>,
    ) -> Result<TextPlacing, AppError> {
        // Most passes have nothing to place: no encoder loaded, no read.
        if texts.is_empty() {
            return Ok(TextPlacing {
                model: HASHED,
                centres: Vec::new(),
                held: Vec::new(),
                known: HashMap::new(),
                placed: Vec::new(),
            });
        }
        let encoder = self.sentence_encoder().await;
        let (model, join) = match encoder {
            Some(_) => (bot_vectors::MODEL, cluster::JOIN),
            None => (HASHED, cluster::JOIN_HASHED),
        };
        let ids: Vec<TicketId> = texts.iter().map(|(id, _)| *id).collect();
        let (known, stored) = {
            let mut rc = self.read().await?;
            let c = &mut rc.conn();
            let known = trends::text_topics_of(c, model, &ids).await?;
            let stored = if known.len() < texts.len() {
                trends::text_topics(c, model).await?
            } else {
                Vec::new()
            };
            (known, stored)
        };
        let fresh: Vec<(TicketId, String)> = texts
            .into_iter()
            .filter(|(id, _)| !known.contains_key(id))
            .collect();
        let mut centres = Vec::with_capacity(stored.len());
        let mut held = Vec::with_capacity(stored.len());
        for t in stored {
            let Some(vector) = from_bytes(&t.centre).into_iter().next() else {
                continue;
            };
            centres.push(Centre {
                vector,
                size: t.size,
            });
            held.push(Held {
                id: Some(t.id),
                words: t.words,
                changed: false,
            });
        }
        // Encoding is the pass's one heavy step: off the async threads.
        let placed = tokio::task::spawn_blocking(move || {
            let mut placed = Vec::with_capacity(fresh.len());
            for (ticket, text) in &fresh {
                let v = match &encoder {
                    Some(e) => e.encode(text),
                    None => cluster::hashed_vector(text),
                };
                let join = if centres.len() >= MAX_TEXT_TOPICS {
                    -1.0
                } else {
                    join
                };
                let i = cluster::place(&mut centres, v, join);
                if i == held.len() {
                    held.push(Held {
                        id: None,
                        words: Vec::new(),
                        changed: true,
                    });
                }
                cluster::count_words(&mut held[i].words, &cluster::topic_words(text));
                held[i].changed = true;
                placed.push((*ticket, i));
            }
            (centres, held, placed)
        })
        .await
        .map_err(|e| AppError::Unavailable(format!("placing tickets' topics: {e}")))?;
        let (centres, held, placed) = placed;
        Ok(TextPlacing {
            model,
            centres,
            held,
            known,
            placed,
        })
    }
}
