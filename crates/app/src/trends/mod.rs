//! Frequent problems and trends: the most frequent topics of new tickets
//! in a period against the period before, each with its channels, example
//! tickets and the help-center article that answers it (or none: a
//! knowledge gap); and spikes ([`spikes`]). Topics are decided by the
//! reports fold (`reports::topics`).

pub mod spikes;

use crate::reports::ReportAsk;
use crate::reports::topics::{SETTINGS_KEY, load};
use crate::{App, AppError, FieldError};
use answer::cluster::name_of;
use domain::model::Ticket;
use domain::policy::Capability;
use domain::report::Period;
use domain::trends::{Topic, TopicCount, TrendSettings, top_topics};
use domain::{Actor, ArticleId, TextTopicId, TicketId};
use std::collections::HashMap;
use store::Conn;
use store::repo::{fields, settings, tickets, trends};

/// Topics shown.
pub const TOP: usize = 10;
/// Example tickets per topic.
const EXAMPLES: i64 = 3;
/// Words in a text topic's name.
const NAME_WORDS: usize = 3;

/// Where a topic comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopicSource {
    Category,
    Tag,
    Text,
}

/// The article that answers a topic (what the answer bot would offer a
/// customer who wrote its newest example).
#[derive(Debug, Clone, PartialEq)]
pub struct Answering {
    pub article: ArticleId,
    pub locale: String,
    pub title: String,
}

/// One frequent problem.
#[derive(Debug, Clone)]
pub struct Problem {
    pub counts: TopicCount,
    pub name: String,
    pub source: TopicSource,
    /// The newest tickets of the period: (id, subject).
    pub examples: Vec<(TicketId, String)>,
    /// `None`: no article answers it (a knowledge gap).
    pub answering: Option<Answering>,
}

/// The frequent problems of a period.
#[derive(Debug, Clone)]
pub struct Problems {
    pub period: Period,
    pub problems: Vec<Problem>,
    /// Every new ticket of the period with a topic (the share's base).
    pub total: i64,
}

/// Names topics: a category by its field and option, a tag as it is, a
/// text topic by its most frequent words.
pub(crate) struct Namer {
    options: HashMap<(i64, String), String>,
    texts: HashMap<TextTopicId, (Vec<(String, i64)>, i64)>,
}

impl Namer {
    pub(crate) async fn read(c: &mut Conn<'_>, topics: &[&Topic]) -> Result<Namer, AppError> {
        let mut options = HashMap::new();
        if topics.iter().any(|t| matches!(t, Topic::Category { .. })) {
            for f in fields::all(c).await? {
                for o in &f.options {
                    options.insert(
                        (f.id.0, o.value.clone()),
                        format!("{}: {}", f.title, o.name),
                    );
                }
            }
        }
        let text_ids: Vec<TextTopicId> = topics
            .iter()
            .filter_map(|t| match t {
                Topic::Text(id) => Some(*id),
                _ => None,
            })
            .collect();
        Ok(Namer {
            options,
            texts: trends::text_topics_named(c, &text_ids).await?,
        })
    }

    pub(crate) fn name(&self, t: &Topic) -> (String, TopicSource) {
        match t {
            Topic::Category { field, value } => (
                self.options
                    .get(&(field.0, value.clone()))
                    .cloned()
                    .unwrap_or_else(|| value.clone()),
                TopicSource::Category,
            ),
            Topic::Tag(tag) => (tag.clone(), TopicSource::Tag),
            Topic::Text(id) => (
                self.texts
                    .get(id)
                    .map(|(words, size)| name_of(words, *size, NAME_WORDS))
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| format!("#{}", id.0)),
                TopicSource::Text,
            ),
        }
    }
}

impl App {
    /// The most frequent problems of the asked period against the one
    /// before (staff who read reports; the report filters apply); the
    /// answering articles in `locale` where they have a text in it.
    pub async fn frequent_problems(
        &self,
        actor: Actor,
        ask: &ReportAsk,
        locale: &str,
    ) -> Result<Problems, AppError> {
        crate::error::require(&actor, Capability::ReadReports)?;
        let (period, _) = ask.clock()?;
        let before = period.previous();
        let (lines, total, namer, examples) = {
            let mut rc = self.read().await?;
            let c = &mut rc.conn();
            let now = trends::counts(c, period, &ask.filter).await?;
            let earlier: Vec<(Topic, i64)> = trends::counts(c, before, &ask.filter)
                .await?
                .into_iter()
                .map(|(t, _, n)| (t, n))
                .collect();
            let total: i64 = now.iter().map(|(_, _, n)| n).sum();
            let lines = top_topics(&now, &earlier, TOP);
            let topics: Vec<&Topic> = lines.iter().map(|l| &l.topic).collect();
            let namer = Namer::read(c, &topics).await?;
            let mut ids = Vec::with_capacity(lines.len());
            for l in &lines {
                ids.push(trends::examples(c, &l.topic, period, &ask.filter, EXAMPLES).await?);
            }
            // Every line's examples in one read.
            let raw: Vec<i64> = ids.iter().flatten().map(|i| i.0).collect();
            // A deleted ticket is left out of its line.
            let mut found: HashMap<TicketId, Ticket> = tickets::get_many(c, &raw, false)
                .await?
                .into_iter()
                .map(|t| (t.id, t))
                .collect();
            let examples: Vec<Vec<Ticket>> = ids
                .iter()
                .map(|line| line.iter().filter_map(|id| found.remove(id)).collect())
                .collect();
            (lines, total, namer, examples)
        };
        let mut problems = Vec::with_capacity(lines.len());
        for (counts, found) in lines.into_iter().zip(examples) {
            let (name, source) = namer.name(&counts.topic);
            let answering = match found.first() {
                Some(t) => {
                    self.answering(&crate::reports::topics::text_of(t), locale)
                        .await?
                }
                None => None,
            };
            problems.push(Problem {
                counts,
                name,
                source,
                examples: found.into_iter().map(|t| (t.id, t.subject)).collect(),
                answering,
            });
        }
        Ok(Problems {
            period,
            problems,
            total,
        })
    }

    /// The article the bot would offer for a text, if it would answer.
    async fn answering(&self, text: &str, locale: &str) -> Result<Option<Answering>, AppError> {
        // `text_of` has cut it to the length of a question.
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let (articles, decision) = self.bot_choice(text, locale, 1).await?;
        Ok((!decision.handover)
            .then(|| articles.into_iter().next())
            .flatten()
            .map(|a| Answering {
                article: a.article_id,
                locale: a.locale,
                title: a.title,
            }))
    }

    /// How frequent problems are found and told (staff who read reports).
    pub async fn trend_settings(&self, actor: Actor) -> Result<TrendSettings, AppError> {
        crate::error::require(&actor, Capability::ReadReports)?;
        let mut rc = self.read().await?;
        load(&mut rc.conn()).await
    }

    /// Changes them (admins); refused in words when they cannot be kept.
    pub async fn set_trend_settings(
        &self,
        actor: Actor,
        s: TrendSettings,
    ) -> Result<TrendSettings, AppError> {
        if !actor.is_admin() {
            return Err(AppError::forbidden(
                "only admins change how problems are found",
            ));
        }
        let s = s
            .checked()
            .map_err(|r| AppError::field(FieldError::invalid(r.0, r.1)))?;
        let raw = serde_json::to_string(&s).map_err(|e| AppError::Unavailable(e.to_string()))?;
        self.write(move |c| {
            Box::pin(async move { Ok(settings::set(c, SETTINGS_KEY, &raw).await?) })
        })
        .await?;
        Ok(s)
    }
}
