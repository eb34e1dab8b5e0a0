//! Readers' comments on help-center articles, and their votes: what the
//! people who read an article add to it (a missing step, a question).

use crate::model::VoteValue;
use crate::{ArticleCommentId, ArticleId, CommentVoteId, Timestamp, UserId};

/// The longest comment kept, in characters of its HTML.
pub const BODY_MAX: usize = 20_000;

#[derive(Debug, Clone, PartialEq)]
pub struct ArticleComment {
    pub id: ArticleCommentId,
    pub article_id: ArticleId,
    pub author_id: UserId,
    pub locale: String,
    /// Sanitised HTML.
    pub body: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Who other than the author changed it last, and when.
    pub edited_by: Option<(UserId, Timestamp)>,
    /// The sum of its votes (up 1, down -1) and how many there are.
    pub vote_sum: i64,
    pub vote_count: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CommentVote {
    pub id: CommentVoteId,
    pub comment_id: ArticleCommentId,
    pub user_id: UserId,
    pub value: VoteValue,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// Whose comments a list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentScope {
    OnArticle(ArticleId),
    ByAuthor(UserId),
}
