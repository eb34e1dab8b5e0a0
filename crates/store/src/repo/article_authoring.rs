//! What article writers keep besides the texts: every saved text as a
//! revision (the history of changes), and the files attached to articles.

use crate::{Conn, Row, StoreError, q};
use domain::model::{ArticleAttachment as ArticleFile, ArticleRevision as Revision};
use domain::{ArticleAttachmentId, ArticleId, ArticleRevisionId, Timestamp, UserId};

const REVISION_COLS: &str = "id, article_id, locale, title, body, draft, author_id, created_at";

fn revision(r: &Row) -> Result<Revision, StoreError> {
    Ok(Revision {
        id: ArticleRevisionId(r.int(0)?),
        article: ArticleId(r.int(1)?),
        locale: r.text(2)?,
        title: r.text(3)?,
        body: r.text(4)?,
        draft: r.bool(5)?,
        author: r.opt_int(6)?.map(UserId),
        created_at: Timestamp(r.int(7)?),
    })
}

/// Records a saved text, unless it is the same as the latest of its
/// locale (saving without a change makes no history).
pub async fn record_revision(c: &mut Conn<'_>, r: &Revision) -> Result<(), StoreError> {
    let latest = c
        .opt(
            q(format!(
                "SELECT {REVISION_COLS} FROM hc_article_revisions WHERE article_id = $1 AND locale = $2 ORDER BY id DESC LIMIT 1"
            ))
            .bind(r.article)
            .bind(&r.locale),
        )
        .await?
        .map(|row| revision(&row))
        .transpose()?;
    if latest.is_some_and(|l| l.title == r.title && l.body == r.body && l.draft == r.draft) {
        return Ok(());
    }
    c.exec(
        q("INSERT INTO hc_article_revisions (article_id, locale, title, body, draft, author_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(r.article)
            .bind(&r.locale)
            .bind(&r.title)
            .bind(&r.body)
            .bind(r.draft)
            .bind(r.author)
            .bind(r.created_at),
    )
    .await?;
    Ok(())
}

/// An article's revisions, newest first (every locale), at most `limit`.
pub async fn revisions(
    c: &mut Conn<'_>,
    article: ArticleId,
    limit: i64,
) -> Result<Vec<Revision>, StoreError> {
    c.all(
        q(format!(
            "SELECT {REVISION_COLS} FROM hc_article_revisions WHERE article_id = $1 ORDER BY id DESC LIMIT $2"
        ))
        .bind(article)
        .bind(limit),
    )
    .await?
    .iter()
    .map(revision)
    .collect()
}

pub async fn revision_of(
    c: &mut Conn<'_>,
    article: ArticleId,
    id: ArticleRevisionId,
) -> Result<Option<Revision>, StoreError> {
    c.opt(
        q(format!(
            "SELECT {REVISION_COLS} FROM hc_article_revisions WHERE article_id = $1 AND id = $2"
        ))
        .bind(article)
        .bind(id),
    )
    .await?
    .map(|r| revision(&r))
    .transpose()
}

const FILE_COLS: &str =
    "id, article_id, file_name, content_type, size, inline, author_id, created_at";

fn file(r: &Row) -> Result<ArticleFile, StoreError> {
    Ok(ArticleFile {
        id: ArticleAttachmentId(r.int(0)?),
        article: ArticleId(r.int(1)?),
        file_name: r.text(2)?,
        content_type: r.text(3)?,
        size: r.int(4)?,
        inline: r.bool(5)?,
        author: r.opt_int(6)?.map(UserId),
        created_at: Timestamp(r.int(7)?),
    })
}

pub async fn insert_file(
    c: &mut Conn<'_>,
    f: &ArticleFile,
    data: Vec<u8>,
) -> Result<ArticleAttachmentId, StoreError> {
    Ok(ArticleAttachmentId(
        c.insert(
            q("INSERT INTO hc_article_attachments (article_id, file_name, content_type, size, inline, data, author_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
                .bind(f.article)
                .bind(&f.file_name)
                .bind(&f.content_type)
                .bind(f.size)
                .bind(f.inline)
                .bind(data)
                .bind(f.author)
                .bind(f.created_at),
        )
        .await?,
    ))
}

/// An article's files, oldest first.
pub async fn files(c: &mut Conn<'_>, article: ArticleId) -> Result<Vec<ArticleFile>, StoreError> {
    c.all(
        q(format!(
            "SELECT {FILE_COLS} FROM hc_article_attachments WHERE article_id = $1 ORDER BY id"
        ))
        .bind(article),
    )
    .await?
    .iter()
    .map(file)
    .collect()
}

/// One file, without its bytes.
pub async fn file_by_id(
    c: &mut Conn<'_>,
    id: ArticleAttachmentId,
) -> Result<Option<ArticleFile>, StoreError> {
    c.opt(
        q(format!(
            "SELECT {FILE_COLS} FROM hc_article_attachments WHERE id = $1"
        ))
        .bind(id),
    )
    .await?
    .map(|r| file(&r))
    .transpose()
}

/// One file with its bytes.
pub async fn file_with_data(
    c: &mut Conn<'_>,
    id: ArticleAttachmentId,
) -> Result<Option<(ArticleFile, Vec<u8>)>, StoreError> {
    let Some(r) = c
        .opt(
            q(format!(
                "SELECT {FILE_COLS}, data FROM hc_article_attachments WHERE id = $1"
            ))
            .bind(id),
        )
        .await?
    else {
        return Ok(None);
    };
    Ok(Some((file(&r)?, r.opt_bytes(8)?.unwrap_or_default())))
}

pub async fn delete_file(
    c: &mut Conn<'_>,
    article: ArticleId,
    id: ArticleAttachmentId,
) -> Result<u64, StoreError> {
    c.exec(
        q("DELETE FROM hc_article_attachments WHERE article_id = $1 AND id = $2")
            .bind(article)
            .bind(id),
    )
    .await
}
