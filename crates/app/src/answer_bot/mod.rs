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
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use store::repo::answer_bot::{self as repo, BotText, Interaction};

/// Why the bot answered or handed over.
pub use answer::Reason;

mod report;
mod translation;

pub use report::{BotFigures, BotReport, Gap};
pub use translation::{Translator, installed_translator, spawn_machine_translation};

/// A recorded question as the admin page shows it.
pub use store::repo::answer_bot::Asked as BotReportQuestion;

/// The longest question the bot reads (longer ones are cut).
const MAX_ENQUIRY: usize = 5_000;
/// How often the bot asks the database whether the help center changed.
const RECHECK: Duration = Duration::from_secs(2);

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

/// The help center as the bot reads it, built once per change.
struct Built {
    version: (i64, i64, i64, i64),
    index: Index,
    texts: Vec<BotText>,
    /// The hand-over topics as the admins wrote them, and parsed.
    topics_text: String,
    topics: Topics,
}

/// What customers said of the answers, per question (its content words)
/// and article: helped minus did not help. Kept apart from the index: a
/// customer's click reloads this, not the help center.
type Learned = HashMap<String, HashMap<ArticleId, i32>>;

/// The most answers with feedback the bot learns from (the newest).
const FEEDBACK_READ: i64 = 5_000;
/// An article customers said twice more did not help than did, for the
/// same question, is no longer offered for it.
const FEEDBACK_DROP: i32 = -2;

/// The sort key that puts answers customers said helped first.
fn helped_first(net: i32) -> i32 {
    -net.max(0)
}

/// Feedback per question key and article.
fn learned(given: &[(String, ArticleId, bool)]) -> Learned {
    let mut out: HashMap<String, HashMap<ArticleId, i32>> = HashMap::new();
    for (question, article, helped) in given {
        *out.entry(answer::content_key(question))
            .or_default()
            .entry(*article)
            .or_default() += if *helped { 1 } else { -1 };
    }
    out
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
    /// The feedback learned: when checked, its version, the feedback.
    learned: Mutex<Option<(Instant, i64, Arc<Learned>)>>,
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

    /// Makes the next question read the feedback again (this node just
    /// recorded some).
    pub(crate) fn forget_feedback(&self) {
        if let Ok(mut slot) = self.learned.lock() {
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

    /// What the bot would say to a question, without recording it: at
    /// most `limit` public articles in `locale` where they have a text in
    /// it, and whether it hands over (then `articles` is empty).
    pub(crate) async fn bot_choice(
        &self,
        enquiry: &str,
        locale: &str,
        limit: usize,
    ) -> Result<(Vec<BotArticle>, answer::Decision), AppError> {
        let built = self.bot_index().await?;
        let asked = asks_for_person(enquiry);
        let analysed = built.index.analyse(enquiry);
        let ranked = built.index.rank(&analysed, limit.max(1) * 4);
        let thresholds = Thresholds::default();
        let decision = if !asked && built.topics.matching(enquiry).is_some() {
            answer::Decision {
                handover: true,
                confidence: 1.0,
                reason: Reason::HandoverTopic,
            }
        } else {
            decide(asked, &analysed, &ranked, thresholds)
        };
        // What customers said of the answers to this same question.
        let learned = self.learned_feedback().await?;
        let votes = learned.get(&answer::content_key(enquiry));
        let net = |a: ArticleId| votes.and_then(|v| v.get(&a)).copied().unwrap_or(0);
        // The candidates: each article once, in the customer's language
        // where it has a text, passing the line the first one did, none
        // customers said did not help.
        let mut candidates: Vec<(&answer::Ranked, &BotText)> = Vec::new();
        if !decision.handover {
            for r in ranked.iter().filter(|r| {
                let article = usize::try_from(r.id)
                    .ok()
                    .and_then(|i| built.texts.get(i))
                    .map(|t| t.article);
                article.map_or(0, net) > FEEDBACK_DROP
                    && answer::confidence(r) >= thresholds.min_for(r)
            }) {
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
        // The ones customers said helped first (the sort keeps the rank
        // among equals).
        candidates.sort_by_key(|(_, t)| helped_first(net(t.article)));
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
        Ok((articles, decision))
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
        let (articles, decision) = self.bot_choice(&enquiry, &locale, limit).await?;
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
        .inspect(|_| self.bot.forget_feedback())
    }

    /// What customers said of the answers, read again when it changed
    /// (checked at most every `RECHECK`; one count over a partial index).
    async fn learned_feedback(&self) -> Result<Arc<Learned>, AppError> {
        let cached = self.bot.learned.lock().ok().and_then(|l| l.clone());
        if let Some((at, _, l)) = &cached
            && at.elapsed() < RECHECK
        {
            return Ok(l.clone());
        }
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let version = repo::feedback_version(c).await?;
        let l = match cached {
            Some((_, v, l)) if v == version => l,
            _ => Arc::new(learned(&repo::feedback_given(c, FEEDBACK_READ).await?)),
        };
        if let Ok(mut slot) = self.bot.learned.lock() {
            *slot = Some((Instant::now(), version, l.clone()));
        }
        Ok(l)
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feedback_is_counted_per_question_in_any_word_order() {
        let given = vec![
            (
                "¿Cómo funcionan los puntos?".to_string(),
                ArticleId(1),
                false,
            ),
            (
                "los puntos, como funcionan".to_string(),
                ArticleId(1),
                false,
            ),
            ("como funcionan los puntos".to_string(), ArticleId(2), true),
            ("otra pregunta".to_string(), ArticleId(1), true),
        ];
        let l = learned(&given);
        let same = &l[&answer::content_key("cómo funcionan los puntos")];
        assert_eq!(same[&ArticleId(1)], -2);
        assert!(same[&ArticleId(1)] <= FEEDBACK_DROP, "no longer offered");
        assert_eq!(same[&ArticleId(2)], 1);
        let mut order = [(ArticleId(1), -2), (ArticleId(3), 0), (ArticleId(2), 1)];
        order.sort_by_key(|(_, n)| helped_first(*n));
        assert_eq!(
            order.iter().map(|(a, _)| a.0).collect::<Vec<_>>(),
            vec![2, 1, 3]
        );
    }
}
