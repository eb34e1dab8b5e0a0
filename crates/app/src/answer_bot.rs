//! The answer bot as the help desk uses it: it answers a customer's
//! question from the public help center (never an internal or restricted
//! article) or hands over to a person, and records each question and what
//! the customer said of the answer, for admins. The ranking and the
//! decision are the `answer` crate's; here are the help center it reads
//! (kept in memory, rebuilt when articles change), the machine
//! translations made offline when articles are saved, and the records.

use crate::auth::{random_token, token_hash};
use crate::bot_vectors;
use crate::help_center::snippet;
use crate::sanitize::html_to_text;
use crate::{App, AppError, FieldError};
use answer::topics::Topics;
use answer::{Document, Index, Thresholds, Translated, asks_for_person, decide};
use domain::{ArticleId, Timestamp, UserId};
use search::analyze::Language;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use store::repo::answer_bot::{self as repo, BotText, Interaction};

/// Why the bot answered or handed over.
pub use answer::Reason;

/// A recorded question as the admin page shows it.
pub use store::repo::answer_bot::Asked as BotReportQuestion;

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

/// The longest question the bot reads (longer ones are cut).
const MAX_ENQUIRY: usize = 5_000;
/// How often the bot asks the database whether the help center changed.
const RECHECK: Duration = Duration::from_secs(2);
/// Article texts machine-translated per batch.
const TRANSLATE_BATCH: i64 = 100;

/// One article the bot offers.
#[derive(Debug, Clone)]
pub struct BotArticle {
    pub article_id: ArticleId,
    pub locale: String,
    pub title: String,
    /// Escaped text with the matched words in `<em>`.
    pub snippet: String,
    pub score: f32,
}

/// The bot's answer to one question.
#[derive(Debug, Clone)]
pub struct BotAnswer {
    /// Best first; empty when it hands over.
    pub articles: Vec<BotArticle>,
    pub handover: bool,
    pub confidence: f32,
    pub reason: Reason,
    /// Lets the customer's "did this answer your question?" reach this
    /// question (Zendesk's `interaction_access_token`).
    pub token: String,
}

/// A question no article answers, and how often it was asked.
#[derive(Debug, Clone)]
pub struct Gap {
    key: String,
    /// One way it was asked.
    pub example: String,
    pub times: usize,
    pub last: Timestamp,
}

/// The bot, for admins.
#[derive(Debug, Clone)]
pub struct BotReport {
    /// Articles are also read in their machine translation.
    pub translation: bool,
    /// Questions are also matched by meaning (the sentence encoder is
    /// installed).
    pub meaning: bool,
    /// The hand-over topics, one per line.
    pub topics: String,
    /// Public article texts, and how many have their sentence vectors.
    pub texts: usize,
    pub encoded: usize,
    /// The latest questions, newest first.
    pub recent: Vec<repo::Asked>,
    pub gaps: Vec<Gap>,
    /// The last 30 days.
    pub answered: i64,
    pub handed_over: i64,
    pub resolved: i64,
    pub rejected: i64,
    pub opened: i64,
    pub deflected: i64,
}

/// The help center as the bot reads it, built once per change.
struct Built {
    version: (i64, i64, i64, i64),
    index: Index,
    texts: Vec<BotText>,
    /// The hand-over topics as the admins wrote them, and parsed.
    topics_text: String,
    topics: Topics,
}

/// The settings key of the hand-over topics (one per line).
pub const TOPICS_KEY: &str = "answer_bot.handover_topics";

/// The bot's index, shared by every request of a node.
#[derive(Default)]
pub struct BotIndex {
    built: Mutex<Option<(Instant, Arc<Built>)>>,
    /// Held while the index is checked and rebuilt: questions arriving
    /// meanwhile wait for that one build instead of each making their own.
    rebuilding: tokio::sync::Mutex<()>,
}

fn language_of(locale: &str) -> Language {
    if locale.starts_with("es") {
        Language::Spanish
    } else {
        Language::English
    }
}

/// The word for why the bot decided as it did (stored and sent).
pub fn reason_word(r: Reason) -> &'static str {
    match r {
        Reason::AskedForPerson => "asked_for_person",
        Reason::HandoverTopic => "handover_topic",
        Reason::NothingToAnswer => "nothing_to_answer",
        Reason::NoGoodMatch => "no_good_match",
        Reason::Answered => "answered",
    }
}

impl BotIndex {
    /// Makes the next question check the help center again at once (this
    /// node just changed what the bot reads — an article, a translation, a
    /// machine translation, vectors; other nodes see it within `RECHECK`).
    pub(crate) fn forget(&self) {
        // Dropped, not just due for a check: an edit in the same second as
        // the last build leaves the version the same.
        if let Ok(mut slot) = self.built.lock() {
            *slot = None;
        }
    }
}

impl App {
    /// The cached index and when it was last checked.
    fn cached_index(&self) -> Option<(Instant, Arc<Built>)> {
        self.bot
            .built
            .lock()
            .ok()
            .and_then(|b| b.as_ref().map(|(at, built)| (*at, built.clone())))
    }

    /// The bot's view of the help center, rebuilt if articles changed.
    async fn bot_index(&self) -> Result<Arc<Built>, AppError> {
        if let Some((at, built)) = self.cached_index()
            && at.elapsed() < RECHECK
        {
            return Ok(built);
        }
        let _one_at_a_time = self.bot.rebuilding.lock().await;
        // Another question may have checked (and rebuilt) meanwhile.
        let cached = self.cached_index();
        if let Some((at, built)) = &cached
            && at.elapsed() < RECHECK
        {
            return Ok(built.clone());
        }
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let version = repo::version(c).await?;
        let topics_text = store::repo::settings::get(c, TOPICS_KEY)
            .await?
            .unwrap_or_default();
        let built = match cached {
            Some((_, built)) if built.version == version && built.topics_text == topics_text => {
                built
            }
            _ => {
                let texts = repo::public_texts(c).await?;
                let encoder = self.sentence_encoder().await;
                let docs: Vec<Document> = texts
                    .iter()
                    .enumerate()
                    .map(|(i, t)| Document {
                        id: i as i64,
                        language: language_of(&t.locale),
                        title: t.title.clone(),
                        body: html_to_text(&t.body),
                        translated: t.machine.as_ref().map(|(title, body)| Translated {
                            title: title.clone(),
                            body: body.clone(),
                        }),
                        phrasings: answer::phrasings_of(&t.phrasings),
                        vectors: match (&t.vectors, &encoder) {
                            (Some((model, bytes)), Some(_)) if model == bot_vectors::MODEL => {
                                bot_vectors::from_bytes(bytes)
                            }
                            _ => Vec::new(),
                        },
                    })
                    .collect();
                Arc::new(Built {
                    version,
                    index: Index::build(&docs, encoder),
                    texts,
                    topics: Topics::parse(&topics_text),
                    topics_text,
                })
            }
        };
        if let Ok(mut slot) = self.bot.built.lock() {
            *slot = Some((Instant::now(), built.clone()));
        }
        Ok(built)
    }

    /// Answers a question from the public help center, or hands over: at
    /// most `limit` articles, in `locale` where an article has a text in
    /// it. The question is recorded with what the bot did.
    pub async fn answer_bot(
        &self,
        user: Option<UserId>,
        enquiry: &str,
        locale: Option<&str>,
        limit: usize,
    ) -> Result<BotAnswer, AppError> {
        let enquiry: String = enquiry.trim().chars().take(MAX_ENQUIRY).collect();
        if enquiry.is_empty() {
            return Err(AppError::field(FieldError::blank("enquiry")));
        }
        let locale = crate::help_center::normalize_locale(locale);
        let built = self.bot_index().await?;
        let asked = asks_for_person(&enquiry);
        let analysed = built.index.analyse(&enquiry);
        let ranked = built.index.rank(&analysed, limit.max(1) * 4);
        let thresholds = Thresholds::default();
        let decision = if !asked && built.topics.matching(&enquiry).is_some() {
            answer::Decision {
                handover: true,
                confidence: 1.0,
                reason: Reason::HandoverTopic,
            }
        } else {
            decide(asked, &analysed, &ranked, thresholds)
        };
        // The candidates: each article once, in the customer's language
        // where it has a text, passing the line the first one did.
        let mut candidates: Vec<(&answer::Ranked, &BotText)> = Vec::new();
        if !decision.handover {
            for r in ranked
                .iter()
                .filter(|r| answer::confidence(r) >= thresholds.min_for(r))
            {
                let Some(hit) = usize::try_from(r.id).ok().and_then(|i| built.texts.get(i)) else {
                    continue;
                };
                if candidates.iter().any(|(_, t)| t.article == hit.article) {
                    continue;
                }
                let shown = built
                    .texts
                    .iter()
                    .find(|t| t.article == hit.article && t.locale == locale)
                    .unwrap_or(hit);
                candidates.push((r, shown));
                if candidates.len() >= limit.max(1) * 2 {
                    break;
                }
            }
        }
        // The index may be a moment old (other nodes' edits show within
        // `RECHECK`): what is offered is checked to be public now.
        let public = if candidates.is_empty() {
            Default::default()
        } else {
            let ids: Vec<domain::TranslationId> =
                candidates.iter().map(|(_, t)| t.translation).collect();
            let mut rc = self.read().await?;
            repo::still_public(&mut rc.conn(), &ids).await?
        };
        let articles: Vec<BotArticle> = candidates
            .iter()
            .filter(|(_, t)| public.contains(&t.translation))
            .take(limit)
            .map(|(r, shown)| BotArticle {
                article_id: shown.article,
                locale: shown.locale.clone(),
                title: shown.title.clone(),
                snippet: snippet(&html_to_text(&shown.body), &analysed.words),
                score: answer::confidence(r),
            })
            .collect();
        let decision = if !decision.handover && articles.is_empty() {
            answer::Decision {
                handover: true,
                confidence: 1.0,
                reason: Reason::NoGoodMatch,
            }
        } else {
            decision
        };
        let token = random_token(32);
        let record = Interaction {
            user,
            enquiry,
            locale,
            articles: articles.iter().map(|a| a.article_id).collect(),
            handover: decision.handover,
            reason: reason_word(decision.reason),
            confidence: f64::from(decision.confidence),
            at: Timestamp::now(),
        };
        let hash = token_hash(&token);
        self.write(move |c| {
            Box::pin(async move { Ok(repo::insert_interaction(c, &hash, &record).await?) })
        })
        .await?;
        Ok(BotAnswer {
            articles,
            handover: decision.handover,
            confidence: decision.confidence,
            reason: decision.reason,
            token,
        })
    }

    /// The customer's word on an answer: the article answered their
    /// question (`resolved`) or did not. `NotFound` for an unknown token
    /// or an article the bot did not offer.
    pub async fn answer_bot_feedback(
        &self,
        token: &str,
        article: ArticleId,
        resolved: bool,
    ) -> Result<(), AppError> {
        let hash = token_hash(token);
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                repo::feedback(c, &hash, article, resolved, now)
                    .await?
                    .map(|_| ())
                    .ok_or(AppError::NotFound)
            })
        })
        .await
    }

    /// The customer opened an article the bot suggested (on the request
    /// form): a deflection, unless a request follows.
    pub async fn answer_bot_opened(&self, token: &str, article: ArticleId) -> Result<(), AppError> {
        let hash = token_hash(token);
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                match repo::opened(c, &hash, article, now).await? {
                    0 => Err(AppError::NotFound),
                    _ => Ok(()),
                }
            })
        })
        .await
    }

    /// Suggestions opened and deflections (opened, no request after)
    /// since a time: staff's to read.
    pub async fn deflections(
        &self,
        actor: domain::Actor,
        since: Timestamp,
    ) -> Result<(i64, i64), AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        Ok(repo::deflections_since(&mut rc.conn(), since).await?)
    }

    /// What admins see of the bot: which signals it uses, the latest
    /// questions, the knowledge gaps, and the month's figures.
    pub async fn answer_bot_report(&self, actor: domain::Actor) -> Result<BotReport, AppError> {
        crate::error::require(&actor, domain::policy::Capability::ArrangeHelpCenter)?;
        let month_ago = Timestamp(Timestamp::now().0 - 30 * 86_400);
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let recent = repo::recent(c, 50).await?;
        let [answered, handed_over, resolved, rejected] = repo::counts_since(c, month_ago).await?;
        let (opened, deflected) = repo::deflections_since(c, month_ago).await?;
        // The same question asked in other words is one gap: grouped by
        // its content words.
        let mut gaps: Vec<Gap> = Vec::new();
        for (q, at) in repo::unanswered(c, 500).await? {
            let key = answer::content_key(&q);
            match gaps.iter_mut().find(|g| g.key == key) {
                Some(g) => g.times += 1,
                None => gaps.push(Gap {
                    key,
                    example: q,
                    times: 1,
                    last: at,
                }),
            }
        }
        gaps.sort_by(|a, b| b.times.cmp(&a.times).then(b.last.0.cmp(&a.last.0)));
        gaps.truncate(30);
        let built = self.bot_index().await?;
        let encoded = built
            .texts
            .iter()
            .filter(|t| {
                t.vectors
                    .as_ref()
                    .is_some_and(|(model, _)| model == bot_vectors::MODEL)
            })
            .count();
        Ok(BotReport {
            translation: self.translator.is_some(),
            meaning: self.meaning.installed(),
            topics: built.topics_text.clone(),
            texts: built.texts.len(),
            encoded,
            recent,
            gaps,
            answered,
            handed_over,
            resolved,
            rejected,
            opened,
            deflected,
        })
    }

    /// Sets the topics the bot always hands over (one per line, at most
    /// `answer::topics::MAX_TOPICS`).
    pub async fn set_handover_topics(
        &self,
        actor: domain::Actor,
        text: &str,
    ) -> Result<(), AppError> {
        crate::error::require(&actor, domain::policy::Capability::ArrangeHelpCenter)?;
        let cleaned = text
            .lines()
            .map(|l| l.trim().chars().take(200).collect::<String>())
            .filter(|l| !l.is_empty())
            .take(answer::topics::MAX_TOPICS)
            .collect::<Vec<_>>()
            .join("\n");
        self.write(move |c| {
            Box::pin(async move { Ok(store::repo::settings::set(c, TOPICS_KEY, &cleaned).await?) })
        })
        .await
        .inspect(|_| self.bot.forget())
    }

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
