//! Readers' comments on articles (Zendesk's article comments API): anyone
//! who may read an article reads its comments; signed-in readers write
//! them (sanitised HTML) unless the article has comments turned off; the
//! author or an article writer edits and deletes; signed-in readers vote.

use super::article_writer;
use crate::{App, AppError, FieldError};
use domain::article_comment::{ArticleComment, BODY_MAX, CommentScope, CommentVote};
use domain::model::{Article, VoteValue};
use domain::{Actor, ArticleCommentId, ArticleId, Timestamp, UserId};
use store::paging::{Paged, Paging};
use store::repo::hc_comments;

/// A comment body as kept: sanitised, not empty, not too long.
fn checked_body(html: &str) -> Result<String, AppError> {
    let clean = crate::sanitize::clean_html(html.trim());
    if crate::sanitize::html_to_text(&clean).trim().is_empty() {
        return Err(AppError::field(FieldError::blank("body")));
    }
    if clean.chars().count() > BODY_MAX {
        return Err(AppError::field(FieldError::invalid(
            "body",
            format!("at most {BODY_MAX} characters"),
        )));
    }
    Ok(clean)
}

fn signed_in(actor: &Actor) -> Result<(), AppError> {
    if actor.is_anonymous() {
        return Err(AppError::Unauthorized);
    }
    Ok(())
}

impl App {
    /// A page of an article's comments, for whoever may read the article,
    /// changed at or after `since`.
    pub async fn article_comments(
        &self,
        actor: Actor,
        article: ArticleId,
        since: Timestamp,
        paging: Paging,
    ) -> Result<(Vec<ArticleComment>, Paged), AppError> {
        self.article(actor, article, None).await?;
        self.comments_page(CommentScope::OnArticle(article), since, paging)
            .await
    }

    /// The comments of an article the reader has just been given (its
    /// page, which read it for them), oldest first, at most 200, each
    /// with its author's name: two reads, no second look at the article.
    pub async fn article_comments_shown(
        &self,
        a: &Article,
    ) -> Result<Vec<(ArticleComment, String)>, AppError> {
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let comments = hc_comments::of_article(c, a.id, 200).await?;
        let mut ids: Vec<i64> = comments.iter().map(|m| m.author_id.0).collect();
        ids.sort_unstable();
        ids.dedup();
        let people = store::repo::users::get_many(c, &ids).await?;
        Ok(comments
            .into_iter()
            .map(|m| {
                let name = people
                    .iter()
                    .find(|u| u.id == m.author_id)
                    .map(|u| u.name.clone())
                    .unwrap_or_default();
                (m, name)
            })
            .collect())
    }

    /// A person's comments: their own, or anyone's for staff.
    pub async fn user_article_comments(
        &self,
        actor: Actor,
        user: UserId,
        paging: Paging,
    ) -> Result<(Vec<ArticleComment>, Paged), AppError> {
        signed_in(&actor)?;
        if actor.user != user && !actor.is_staff() {
            return Err(AppError::NotFound);
        }
        self.comments_page(CommentScope::ByAuthor(user), Timestamp(0), paging)
            .await
    }

    async fn comments_page(
        &self,
        scope: CommentScope,
        since: Timestamp,
        paging: Paging,
    ) -> Result<(Vec<ArticleComment>, Paged), AppError> {
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let paged = hc_comments::page(c, scope, since, paging).await?;
        Ok((hc_comments::get_many(c, &paged.ids).await?, paged))
    }

    /// One comment of an article the caller may read.
    pub async fn article_comment(
        &self,
        actor: Actor,
        article: ArticleId,
        id: ArticleCommentId,
    ) -> Result<ArticleComment, AppError> {
        self.article(actor, article, None).await?;
        let mut rc = self.read().await?;
        hc_comments::get(&mut rc.conn(), id)
            .await?
            .filter(|m| m.article_id == article)
            .ok_or(AppError::NotFound)
    }

    /// A signed-in reader's comment on an article they may read.
    pub async fn comment_on_article(
        &self,
        actor: Actor,
        article: ArticleId,
        locale: Option<&str>,
        body: &str,
    ) -> Result<ArticleComment, AppError> {
        signed_in(&actor)?;
        let a = self.article(actor, article, locale).await?;
        if a.comments_disabled {
            return Err(AppError::forbidden(
                "comments are turned off on this article",
            ));
        }
        let now = Timestamp::now();
        let mut m = ArticleComment {
            id: ArticleCommentId(0),
            article_id: article,
            author_id: actor.user,
            locale: a.locale,
            body: checked_body(body)?,
            created_at: now,
            updated_at: now,
            edited_by: None,
            vote_sum: 0,
            vote_count: 0,
        };
        let row = m.clone();
        m.id = self
            .write(move |c| Box::pin(async move { Ok(hc_comments::insert(c, &row).await?) }))
            .await?;
        Ok(m)
    }

    /// The comment, if the caller wrote it or writes articles.
    async fn own_or_moderated(
        &self,
        actor: Actor,
        article: ArticleId,
        id: ArticleCommentId,
    ) -> Result<ArticleComment, AppError> {
        signed_in(&actor)?;
        let m = self.article_comment(actor, article, id).await?;
        if m.author_id != actor.user {
            article_writer(&actor)?;
        }
        Ok(m)
    }

    /// A new body from the author or a moderator (who is remembered).
    pub async fn edit_article_comment(
        &self,
        actor: Actor,
        article: ArticleId,
        id: ArticleCommentId,
        body: &str,
    ) -> Result<ArticleComment, AppError> {
        let m = self.own_or_moderated(actor, article, id).await?;
        let body = checked_body(body)?;
        let editor = (m.author_id != actor.user).then_some(actor.user);
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                hc_comments::update_body(c, id, &body, editor, now).await?;
                hc_comments::get(c, id).await?.ok_or(AppError::NotFound)
            })
        })
        .await
    }

    pub async fn delete_article_comment(
        &self,
        actor: Actor,
        article: ArticleId,
        id: ArticleCommentId,
    ) -> Result<(), AppError> {
        self.own_or_moderated(actor, article, id).await?;
        self.write(move |c| {
            Box::pin(async move { crate::error::found(hc_comments::delete(c, id).await?) })
        })
        .await
    }

    /// A signed-in reader's vote on a comment, replacing theirs.
    pub async fn vote_on_comment(
        &self,
        actor: Actor,
        article: ArticleId,
        id: ArticleCommentId,
        value: VoteValue,
    ) -> Result<CommentVote, AppError> {
        signed_in(&actor)?;
        self.article_comment(actor, article, id).await?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(
                async move { Ok(hc_comments::cast_vote(c, id, actor.user, value, now).await?) },
            )
        })
        .await
    }

    /// A comment's votes (staff, as Zendesk's).
    pub async fn comment_votes(
        &self,
        actor: Actor,
        article: ArticleId,
        id: ArticleCommentId,
    ) -> Result<Vec<CommentVote>, AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        self.article_comment(actor, article, id).await?;
        let mut rc = self.read().await?;
        Ok(hc_comments::votes_of(&mut rc.conn(), id).await?)
    }
}
