//! What admins see of the bot and set for it: its signals, questions,
//! knowledge gaps, the month's figures, the hand-over topics.

use crate::bot_vectors;
use crate::{App, AppError};
use domain::Timestamp;
use store::repo::answer_bot as repo;

use super::TOPICS_KEY;

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

/// The bot and self-service over a period, for reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BotFigures {
    pub answered: i64,
    pub handed_over: i64,
    pub resolved: i64,
    pub rejected: i64,
    /// Suggested articles opened, and of those no request followed.
    pub opened: i64,
    pub deflected: i64,
}

impl App {
    /// The bot's figures for questions asked within `[from, to)` (staff
    /// who read reports).
    pub async fn bot_figures_between(
        &self,
        actor: domain::Actor,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<BotFigures, AppError> {
        crate::error::require(&actor, domain::policy::Capability::ReadReports)?;
        let mut rc = self.read().await?;
        let [answered, handed_over, resolved, rejected, opened, deflected] =
            repo::counts_between(&mut rc.conn(), (from, to)).await?;
        Ok(BotFigures {
            answered,
            handed_over,
            resolved,
            rejected,
            opened,
            deflected,
        })
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
}
