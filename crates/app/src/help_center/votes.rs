//! "Was this article helpful?": one answer per reader and article, a new
//! one replacing the old, counted on the article (Zendesk's votes). Anyone
//! who may read an article may answer; signed-in users by their account,
//! visitors of the public site by the random id their browser keeps.

use super::*;
use domain::VoteId;
use domain::model::{Vote, VoteValue, Voter};

/// A visitor id is what the site's cookie carries: 16–64 letters, digits
/// or dashes, never anything a person typed.
fn valid_visitor(id: &str) -> bool {
    (16..=64).contains(&id.len()) && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

impl App {
    /// A signed-in user's answer on an article they may read, counted for
    /// the locale they read it in (its source locale's when none is named).
    pub async fn vote_as_user(
        &self,
        actor: Actor,
        article: ArticleId,
        locale: Option<&str>,
        value: VoteValue,
    ) -> Result<Vote, AppError> {
        let a = self.article(actor, article, locale).await?;
        self.cast(a, Voter::User(actor.user), value).await
    }

    /// A public-site visitor's answer on a public article, as read in
    /// `locale`.
    pub async fn vote_as_visitor(
        &self,
        visitor: &str,
        article: ArticleId,
        locale: &str,
        value: VoteValue,
    ) -> Result<Vote, AppError> {
        if !valid_visitor(visitor) {
            return Err(AppError::BadRequest {
                code: "InvalidValue",
                message: "the visitor id is not one the site gave".into(),
            });
        }
        let a = {
            let mut rc = self.read().await?;
            store::repo::translations::articles_in(&mut rc.conn(), &[article.0], locale)
                .await?
                .pop()
                .filter(Article::is_public)
                .ok_or(AppError::NotFound)?
        };
        self.cast(a, Voter::Visitor(visitor.to_string()), value)
            .await
    }

    async fn cast(&self, a: Article, voter: Voter, value: VoteValue) -> Result<Vote, AppError> {
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(
                async move { Ok(hc::cast_vote(c, a.id, &voter, &a.locale, value, now).await?) },
            )
        })
        .await
    }

    /// An article's votes: staff's to read.
    pub async fn article_votes(
        &self,
        actor: Actor,
        article: ArticleId,
    ) -> Result<Vec<Vote>, AppError> {
        staff_only(&actor)?;
        let mut rc = self.read().await?;
        Ok(hc::article_votes(&mut rc.conn(), article).await?)
    }

    /// One vote: its voter's or staff's to read.
    pub async fn vote(&self, actor: Actor, id: VoteId) -> Result<Vote, AppError> {
        let mut rc = self.read().await?;
        hc::votes_by_id(&mut rc.conn(), id)
            .await?
            .filter(|v| may_see_vote(&actor, v))
            .ok_or(AppError::NotFound)
    }

    /// Takes a vote back: its voter, or staff who write articles (a
    /// group-restricted agent may read votes, not remove them).
    pub async fn delete_vote(&self, actor: Actor, id: VoteId) -> Result<(), AppError> {
        let v = self.vote(actor, id).await?;
        if v.voter != Voter::User(actor.user) {
            article_writer(&actor)?;
        }
        self.write(move |c| {
            Box::pin(async move {
                hc::delete_vote(c, id).await?;
                Ok(())
            })
        })
        .await
    }
}

fn may_see_vote(actor: &Actor, v: &Vote) -> bool {
    v.voter == Voter::User(actor.user) || domain::policy::reads_internal(actor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visitor_ids_are_only_what_the_site_gives() {
        assert!(valid_visitor("0123456789abcdef0123456789abcdef"));
        assert!(!valid_visitor("short"));
        assert!(!valid_visitor("0123456789abcdef<script>alert(1)</script>"));
        assert!(!valid_visitor(&"a".repeat(65)));
    }
}
