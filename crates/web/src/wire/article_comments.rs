//! Article comments and their votes as Zendesk's Help Center API gives
//! them.

use super::Vote;
use domain::article_comment::{ArticleComment as CommentRecord, CommentVote};
use serde::Serialize;
use utoipa::ToSchema;

/// A reader's comment on an article.
#[derive(Serialize, ToSchema)]
pub struct ArticleComment<'a> {
    pub id: i64,
    pub url: String,
    /// The comment on the article's page.
    pub html_url: String,
    /// Sanitised HTML.
    pub body: &'a str,
    pub author_id: i64,
    pub source_id: i64,
    pub source_type: &'static str,
    pub locale: &'a str,
    pub vote_sum: i64,
    pub vote_count: i64,
    /// Who other than the author changed it last, and when.
    pub non_author_editor_id: Option<i64>,
    pub non_author_updated_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

pub fn article_comment<'a>(base: &str, m: &'a CommentRecord) -> ArticleComment<'a> {
    ArticleComment {
        id: m.id.0,
        url: format!(
            "{base}/api/v2/help_center/articles/{}/comments/{}.json",
            m.article_id.0, m.id.0
        ),
        html_url: format!(
            "{base}/hc/{}/articles/{}#comment-{}",
            m.locale, m.article_id.0, m.id.0
        ),
        body: &m.body,
        author_id: m.author_id.0,
        source_id: m.article_id.0,
        source_type: "Article",
        locale: &m.locale,
        vote_sum: m.vote_sum,
        vote_count: m.vote_count,
        non_author_editor_id: m.edited_by.map(|(u, _)| u.0),
        non_author_updated_at: m.edited_by.map(|(_, at)| at.to_iso()),
        created_at: m.created_at.to_iso(),
        updated_at: m.updated_at.to_iso(),
    }
}

/// A vote on a comment, in the article votes' shape (its `url` is the
/// comment's votes: comment votes have ids of their own).
pub fn comment_vote(base: &str, article: i64, v: &CommentVote) -> Vote {
    Vote {
        id: v.id.0,
        url: format!(
            "{base}/api/v2/help_center/articles/{article}/comments/{}/votes.json",
            v.comment_id.0
        ),
        user_id: Some(v.user_id.0),
        value: v.value.number(),
        item_id: v.comment_id.0,
        item_type: "Comment",
        created_at: v.created_at.to_iso(),
        updated_at: v.updated_at.to_iso(),
    }
}
