//! Uploaded files. Bytes live in the database (one backup covers them) and
//! an upload token groups the files a client will attach to one comment.

use super::map_rows;
use crate::model::Attachment;
use crate::paging::placeholders;
use crate::{Conn, Row, StoreError, Value, q};
use domain::{AttachmentId, CommentId, Timestamp, UserId};

const COLS: &str = "id, token, uploader_id, comment_id, file_name, content_type, size, sha256, created_at, expires_at";

fn from_row(r: &Row) -> Result<Attachment, StoreError> {
    Ok(Attachment {
        id: AttachmentId(r.int(0)?),
        token: r.text(1)?,
        uploader_id: UserId(r.int(2)?),
        comment_id: r.opt_int(3)?.map(CommentId),
        file_name: r.text(4)?,
        content_type: r.text(5)?,
        size: r.int(6)?,
        sha256: r.text(7)?,
        created_at: Timestamp(r.int(8)?),
        expires_at: Timestamp(r.int(9)?),
    })
}

/// Stores an uploaded file under a token.
pub async fn insert(
    c: &mut Conn<'_>,
    a: &Attachment,
    data: Vec<u8>,
) -> Result<AttachmentId, StoreError> {
    Ok(AttachmentId(
        c.insert(
            q("INSERT INTO attachments (token, uploader_id, file_name, content_type, size, sha256, data, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id")
                .bind(&a.token)
                .bind(a.uploader_id)
                .bind(&a.file_name)
                .bind(&a.content_type)
                .bind(a.size)
                .bind(&a.sha256)
                .bind(data)
                .bind(a.created_at)
                .bind(a.expires_at),
        )
        .await?,
    ))
}

pub async fn by_token(c: &mut Conn<'_>, token: &str) -> Result<Vec<Attachment>, StoreError> {
    map_rows(
        c.all(
            q(format!(
                "SELECT {COLS} FROM attachments WHERE token = $1 ORDER BY id"
            ))
            .bind(token),
        )
        .await?,
        from_row,
    )
}

pub async fn get(c: &mut Conn<'_>, id: AttachmentId) -> Result<Option<Attachment>, StoreError> {
    c.opt(q(format!("SELECT {COLS} FROM attachments WHERE id = $1")).bind(id))
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// The stored bytes of an attachment.
pub async fn data(c: &mut Conn<'_>, id: AttachmentId) -> Result<Option<Vec<u8>>, StoreError> {
    match c
        .opt(q("SELECT data FROM attachments WHERE id = $1").bind(id))
        .await?
    {
        Some(r) => r.opt_bytes(0),
        None => Ok(None),
    }
}

/// Links the unattached files of a token to a comment; returns how many.
pub async fn attach_token(
    c: &mut Conn<'_>,
    token: &str,
    comment: CommentId,
    uploader: UserId,
) -> Result<u64, StoreError> {
    c.exec(q("UPDATE attachments SET comment_id = $2 WHERE token = $1 AND comment_id IS NULL AND uploader_id = $3").bind(token).bind(comment).bind(uploader)).await
}

/// Deletes the files of a token that were never attached.
pub async fn delete_token(c: &mut Conn<'_>, token: &str) -> Result<u64, StoreError> {
    c.exec(q("DELETE FROM attachments WHERE token = $1 AND comment_id IS NULL").bind(token))
        .await
}

pub async fn for_comments(
    c: &mut Conn<'_>,
    comment_ids: &[i64],
) -> Result<Vec<Attachment>, StoreError> {
    if comment_ids.is_empty() {
        return Ok(vec![]);
    }
    let mut query = q(format!(
        "SELECT {COLS} FROM attachments WHERE comment_id IN ({}) ORDER BY id",
        placeholders(1, comment_ids.len())
    ));
    query.args = comment_ids.iter().map(|&i| Value::Int(i)).collect();
    map_rows(c.all(query).await?, from_row)
}

/// The ticket an attachment's comment belongs to and whether that comment
/// is public, for access checks.
pub async fn ticket_of(
    c: &mut Conn<'_>,
    id: AttachmentId,
) -> Result<Option<(i64, bool)>, StoreError> {
    c.opt(q("SELECT cm.ticket_id, cm.public FROM attachments a JOIN comments cm ON cm.id = a.comment_id WHERE a.id = $1").bind(id))
        .await?
        .map(|r| Ok((r.int(0)?, r.bool(1)?)))
        .transpose()
}
