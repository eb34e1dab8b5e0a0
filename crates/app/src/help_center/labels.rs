//! Article labels (Zendesk's article labels API): the names an article
//! carries, each with an id. Labels are added and removed through their
//! article; every name an article is saved with gets its id then.

use super::article_writer;
use crate::{App, AppError, FieldError};
use domain::model::ArticleLabel;
use domain::{Actor, ArticleId, LabelId, Timestamp};
use store::repo::hc_labels;
use store::repo::help_center as hc;

/// Label names as written: trimmed, no commas (they separate the stored
/// names), no empty or repeated ones, at most 100 characters.
pub(super) fn cleaned(names: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(names.len());
    for name in names {
        let name: String = name.trim().chars().take(100).collect();
        if !name.is_empty() && !name.contains(',') && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

impl App {
    /// Every label of the help center (staff).
    pub async fn article_labels(&self, actor: Actor) -> Result<Vec<ArticleLabel>, AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        Ok(hc_labels::all(&mut rc.conn()).await?)
    }

    /// One label (staff).
    pub async fn article_label(&self, actor: Actor, id: LabelId) -> Result<ArticleLabel, AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        hc_labels::get(&mut rc.conn(), id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// An article's labels, for whoever may read the article.
    pub async fn labels_of_article(
        &self,
        actor: Actor,
        id: ArticleId,
    ) -> Result<Vec<ArticleLabel>, AppError> {
        let a = self.article(actor, id, None).await?;
        let mut rc = self.read().await?;
        Ok(hc_labels::named(&mut rc.conn(), &a.label_names).await?)
    }

    /// Puts a label on an article (writers); the label, new or not.
    pub async fn add_article_label(
        &self,
        actor: Actor,
        id: ArticleId,
        name: &str,
    ) -> Result<ArticleLabel, AppError> {
        article_writer(&actor)?;
        let name = cleaned(&[name.to_string()])
            .pop()
            .ok_or_else(|| AppError::field(FieldError::invalid("name", "a name without commas")))?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let mut a = live_article(c, id).await?;
                if !a.label_names.contains(&name) {
                    a.label_names.push(name.clone());
                    a.updated_at = now;
                    hc::update_article(c, &a).await?;
                }
                hc_labels::ensure(c, std::slice::from_ref(&name), now).await?;
                hc_labels::named(c, &[name])
                    .await?
                    .pop()
                    .ok_or(AppError::NotFound)
            })
        })
        .await
        .inspect(|_| self.bot.forget())
    }

    /// Takes a label off an article (writers); `NotFound` if it had none.
    pub async fn remove_article_label(
        &self,
        actor: Actor,
        id: ArticleId,
        label: LabelId,
    ) -> Result<(), AppError> {
        article_writer(&actor)?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let mut a = live_article(c, id).await?;
                let l = hc_labels::get(c, label).await?.ok_or(AppError::NotFound)?;
                let before = a.label_names.len();
                a.label_names.retain(|n| *n != l.name);
                if a.label_names.len() == before {
                    return Err(AppError::NotFound);
                }
                a.updated_at = now;
                hc::update_article(c, &a).await?;
                Ok(())
            })
        })
        .await
        .inspect(|_| self.bot.forget())
    }
}

/// An article not archived, or `NotFound`.
async fn live_article(
    c: &mut store::Conn<'_>,
    id: ArticleId,
) -> Result<store::model::Article, AppError> {
    hc::articles(c, &[id.0])
        .await?
        .pop()
        .filter(|a| a.archived_at.is_none())
        .ok_or(AppError::NotFound)
}
