//! Article comments (`hc_article_comments`) and their votes
//! (`hc_comment_votes`): a comment is read with its vote sum and count.

use crate::paging::{Paged, Paging, page_ids, placeholders};
use crate::{Conn, StoreError, Value, q};
use domain::article_comment::{ArticleComment, CommentScope, CommentVote};
use domain::model::VoteValue;
use domain::{ArticleCommentId, ArticleId, CommentVoteId, Timestamp, UserId};

const COLS: &str = "c.id, c.article_id, c.author_id, c.locale, c.body, c.created_at, c.updated_at, \
    c.editor_id, c.edited_at, \
    CAST(COALESCE((SELECT SUM(v.value) FROM hc_comment_votes v WHERE v.comment_id = c.id), 0) AS BIGINT), \
    (SELECT COUNT(*) FROM hc_comment_votes v WHERE v.comment_id = c.id)";

fn comment(r: &crate::Row) -> Result<ArticleComment, StoreError> {
    let edited_by = match (r.opt_int(7)?, r.opt_int(8)?) {
        (Some(by), Some(at)) => Some((UserId(by), Timestamp(at))),
        _ => None,
    };
    Ok(ArticleComment {
        id: ArticleCommentId(r.int(0)?),
        article_id: ArticleId(r.int(1)?),
        author_id: UserId(r.int(2)?),
        locale: r.text(3)?,
        body: r.text(4)?,
        created_at: Timestamp(r.int(5)?),
        updated_at: Timestamp(r.int(6)?),
        edited_by,
        vote_sum: r.int(9)?,
        vote_count: r.int(10)?,
    })
}

pub async fn insert(c: &mut Conn<'_>, m: &ArticleComment) -> Result<ArticleCommentId, StoreError> {
    Ok(ArticleCommentId(
        c.insert(
            q("INSERT INTO hc_article_comments (article_id, author_id, locale, body, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
            .bind(m.article_id)
            .bind(m.author_id)
            .bind(m.locale.clone())
            .bind(m.body.clone())
            .bind(m.created_at)
            .bind(m.updated_at),
        )
        .await?,
    ))
}

/// A new body, by its author (`editor` none) or someone else.
pub async fn update_body(
    c: &mut Conn<'_>,
    id: ArticleCommentId,
    body: &str,
    editor: Option<UserId>,
    now: Timestamp,
) -> Result<(), StoreError> {
    let sql = if editor.is_some() {
        "UPDATE hc_article_comments SET body = $2, updated_at = $3, editor_id = $4, edited_at = $3 WHERE id = $1"
    } else {
        "UPDATE hc_article_comments SET body = $2, updated_at = $3 WHERE id = $1"
    };
    let mut query = q(sql).bind(id).bind(body.to_string()).bind(now);
    if let Some(e) = editor {
        query = query.bind(e);
    }
    c.exec(query).await?;
    Ok(())
}

/// Deletes a comment and its votes; the comments deleted (0 or 1).
pub async fn delete(c: &mut Conn<'_>, id: ArticleCommentId) -> Result<u64, StoreError> {
    c.exec(q("DELETE FROM hc_comment_votes WHERE comment_id = $1").bind(id))
        .await?;
    c.exec(q("DELETE FROM hc_article_comments WHERE id = $1").bind(id))
        .await
}

/// The comments with these ids, by id.
pub async fn get_many(c: &mut Conn<'_>, ids: &[i64]) -> Result<Vec<ArticleComment>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut query = q(format!(
        "SELECT {COLS} FROM hc_article_comments c WHERE c.id IN ({}) ORDER BY c.id",
        placeholders(1, ids.len())
    ));
    query.args = ids.iter().map(|&i| Value::Int(i)).collect();
    c.all(query).await?.iter().map(comment).collect()
}

pub async fn get(
    c: &mut Conn<'_>,
    id: ArticleCommentId,
) -> Result<Option<ArticleComment>, StoreError> {
    Ok(get_many(c, &[id.0]).await?.pop())
}

/// An article's first `limit` comments, oldest first, in one read.
pub async fn of_article(
    c: &mut Conn<'_>,
    article: ArticleId,
    limit: i64,
) -> Result<Vec<ArticleComment>, StoreError> {
    c.all(
        q(format!(
            "SELECT {COLS} FROM hc_article_comments c WHERE c.article_id = $1 ORDER BY c.id LIMIT $2"
        ))
        .bind(article)
        .bind(limit),
    )
    .await?
    .iter()
    .map(comment)
    .collect()
}

/// A page of an article's or an author's comments, oldest first, written
/// at or after `since`.
pub async fn page(
    c: &mut Conn<'_>,
    scope: CommentScope,
    since: Timestamp,
    paging: Paging,
) -> Result<Paged, StoreError> {
    let (cond, owner): (&str, Value) = match scope {
        CommentScope::OnArticle(a) => ("t.article_id = $1", a.into()),
        CommentScope::ByAuthor(u) => ("t.author_id = $1", u.into()),
    };
    page_ids(
        c,
        &format!("hc_article_comments t WHERE {cond} AND t.updated_at >= $2"),
        vec![owner, since.into()],
        paging,
    )
    .await
}

/// A reader's vote on a comment, replacing their earlier one.
pub async fn cast_vote(
    c: &mut Conn<'_>,
    comment: ArticleCommentId,
    user: UserId,
    value: VoteValue,
    now: Timestamp,
) -> Result<CommentVote, StoreError> {
    c.exec(
        q("INSERT INTO hc_comment_votes (comment_id, user_id, value, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) \
           ON CONFLICT (comment_id, user_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at")
        .bind(comment)
        .bind(user)
        .bind(value.number())
        .bind(now),
    )
    .await?;
    let r = c
        .one(
            q(format!(
                "SELECT {VOTE_COLS} FROM hc_comment_votes WHERE comment_id = $1 AND user_id = $2"
            ))
            .bind(comment)
            .bind(user),
        )
        .await?;
    vote(&r)
}

const VOTE_COLS: &str = "id, comment_id, user_id, value, created_at, updated_at";

fn vote(r: &crate::Row) -> Result<CommentVote, StoreError> {
    Ok(CommentVote {
        id: CommentVoteId(r.int(0)?),
        comment_id: ArticleCommentId(r.int(1)?),
        user_id: UserId(r.int(2)?),
        value: VoteValue::from_number(r.int(3)?).unwrap_or(VoteValue::Up),
        created_at: Timestamp(r.int(4)?),
        updated_at: Timestamp(r.int(5)?),
    })
}

/// A comment's votes, oldest first.
pub async fn votes_of(
    c: &mut Conn<'_>,
    comment: ArticleCommentId,
) -> Result<Vec<CommentVote>, StoreError> {
    c.all(
        q(format!(
            "SELECT {VOTE_COLS} FROM hc_comment_votes WHERE comment_id = $1 ORDER BY id"
        ))
        .bind(comment),
    )
    .await?
    .iter()
    .map(vote)
    .collect()
}
